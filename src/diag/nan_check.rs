//! `LAPACK_AI_CHECK=nan`: before a native LAPACK or level-3 BLAS routine runs, the
//! entries of its input matrices that it reads are scanned, and the first NaN or Inf of
//! each is named by argument and index: "DGESV: B(3,1) is NaN (argument 6)". The call
//! then runs as usual. With the check off the entry points skip this entirely.

use crate::lapack::norms::Shape;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Whether `LAPACK_AI_CHECK` names `nan`.
#[inline]
pub fn enabled() -> bool {
    crate::config::get().checks.nan
}

/// One input matrix: its argument name and position, where it is, its size and which
/// entries the routine reads (`Shape::General`: all; symmetric, Hermitian: the stored
/// triangle; triangular: the triangle, without the diagonal when it is a unit one).
pub struct Operand<T: Scalar> {
    pub name: &'static str,
    pub position: i32,
    pub a: RawMat<T>,
    pub rows: usize,
    pub cols: usize,
    pub shape: Shape,
}

impl<T: Scalar> Operand<T> {
    /// A general `rows x cols` matrix at `ptr` with leading dimension `ld`.
    pub fn general(
        name: &'static str,
        position: i32,
        ptr: *const T,
        dims: (i64, i64),
        ld: i64,
    ) -> Self {
        Operand::shaped(name, position, ptr, dims, ld, Shape::General)
    }

    /// A matrix of which only the entries `shape` says are read.
    pub fn shaped(
        name: &'static str,
        position: i32,
        ptr: *const T,
        (rows, cols): (i64, i64),
        ld: i64,
        shape: Shape,
    ) -> Self {
        Operand {
            name,
            position,
            a: RawMat::new(ptr as *mut T, ld.max(1) as usize),
            rows: rows.max(0) as usize,
            cols: cols.max(0) as usize,
            shape,
        }
    }
}

/// Whether entry (i, j) is one the routine reads.
fn reads(shape: Shape, i: usize, j: usize) -> bool {
    use crate::blas::args::{Diag, Uplo};
    match shape {
        Shape::General => true,
        Shape::Symmetric(Uplo::Upper) | Shape::Hermitian(Uplo::Upper) => i <= j,
        Shape::Symmetric(Uplo::Lower) | Shape::Hermitian(Uplo::Lower) => i >= j,
        Shape::Triangular(uplo, diag) => {
            let in_triangle = match uplo {
                Uplo::Upper => i <= j,
                Uplo::Lower => i >= j,
            };
            in_triangle && !(diag == Diag::Unit && i == j)
        }
    }
}

/// "NaN", "Inf" or "-Inf" for a non-finite value (of either part of a complex one).
fn kind<T: Scalar>(value: T) -> Option<&'static str> {
    let (re, im) = (value.re().to_f64(), value.im().to_f64());
    if re.is_nan() || im.is_nan() {
        Some("NaN")
    } else if re.is_infinite() || im.is_infinite() {
        Some(if re == f64::NEG_INFINITY || im == f64::NEG_INFINITY {
            "-Inf"
        } else {
            "Inf"
        })
    } else {
        None
    }
}

/// The warning for the first non-finite entry of `operand`, if any.
///
/// # Safety
/// The entries `operand` describes are readable.
pub unsafe fn first_non_finite<T: Scalar>(routine: &str, operand: &Operand<T>) -> Option<String> {
    let mut found: Option<(usize, usize, &str)> = None;
    let mut count = 0usize;
    for j in 0..operand.cols {
        for i in 0..operand.rows {
            if !reads(operand.shape, i, j) {
                continue;
            }
            if let Some(what) = kind(operand.a.get(i, j)) {
                count += 1;
                found.get_or_insert((i, j, what));
            }
        }
    }
    let (i, j, what) = found?;
    let (name, position) = (operand.name, operand.position);
    let mut text = format!(
        "{routine}: {name}({},{}) is {what} (argument {position})",
        i + 1,
        j + 1
    );
    if count > 1 {
        text.push_str(&format!("; {} entries of {name} are NaN or Inf", count));
    }
    Some(text)
}

/// Warns about the first NaN/Inf of each operand of `routine` ("DGESV").
///
/// # Safety
/// The entries each operand describes are readable.
pub unsafe fn scan<T: Scalar>(routine: &str, operands: &[Operand<T>]) {
    for operand in operands {
        if let Some(text) = first_non_finite(routine, operand) {
            crate::diag::warning::warn(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::args::{Diag, Uplo};

    #[test]
    fn names_the_first_non_finite_entry_by_argument_and_index() {
        let first = |b: &mut [f64; 6]| {
            let operand = Operand::general("B", 6, b.as_mut_ptr(), (3, 2), 3);
            unsafe { first_non_finite("DGESV", &operand) }
        };
        let mut b = [1.0f64, 2.0, f64::NAN, 4.0, f64::INFINITY, 6.0];
        assert_eq!(
            first(&mut b).unwrap(),
            "DGESV: B(3,1) is NaN (argument 6); 2 entries of B are NaN or Inf"
        );
        b[2] = 3.0;
        assert_eq!(first(&mut b).unwrap(), "DGESV: B(2,2) is Inf (argument 6)");
        b[4] = 5.0;
        assert_eq!(first(&mut b), None);
    }

    #[test]
    fn entries_the_routine_does_not_read_are_ignored() {
        // Column-major 2 x 2: NaN below the diagonal, -Inf on it.
        let mut a = [f64::NEG_INFINITY, f64::NAN, 0.0, 1.0];
        let upper = Operand::shaped(
            "A",
            3,
            a.as_mut_ptr(),
            (2, 2),
            2,
            Shape::Symmetric(Uplo::Upper),
        );
        let text = unsafe { first_non_finite("DPOTRF", &upper) }.unwrap();
        assert_eq!(text, "DPOTRF: A(1,1) is -Inf (argument 3)");
        let unit = Shape::Triangular(Uplo::Upper, Diag::Unit);
        let unit = Operand::shaped("A", 6, a.as_mut_ptr(), (2, 2), 2, unit);
        assert_eq!(unsafe { first_non_finite("DTRTRS", &unit) }, None);
        let c = [crate::scalar::c64::new(0.0, f64::NAN)];
        let complex = Operand::general("A", 3, c.as_ptr(), (1, 1), 1);
        assert!(unsafe { first_non_finite("ZGETRF", &complex) }
            .unwrap()
            .ends_with("A(1,1) is NaN (argument 3)"));
    }
}
