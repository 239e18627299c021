//! Matrix norms of LAPACK's auxiliary routines: xLANGE (general), xLANSY (symmetric)
//! and xLANHE (Hermitian), each by NORM = 'M' (largest modulus), '1'/'O' (largest
//! column sum), 'I' (largest row sum) or 'F'/'E' (Frobenius). A NaN entry makes the
//! result NaN, as in LAPACK (which tests with DISNAN at every comparison).

use crate::blas::args::{Diag, Uplo};
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Norm {
    Max,
    One,
    Infinity,
    Frobenius,
}

impl Norm {
    pub fn from_char(c: u8) -> Option<Norm> {
        match c.to_ascii_uppercase() {
            b'M' => Some(Norm::Max),
            b'1' | b'O' => Some(Norm::One),
            b'I' => Some(Norm::Infinity),
            b'F' | b'E' => Some(Norm::Frobenius),
            _ => None,
        }
    }
}

/// Which entries of an n x n (or m x n) array a norm reads, and how.
#[derive(Clone, Copy)]
pub enum Shape {
    General,
    /// Only the `uplo` triangle is stored; the other is its transpose.
    Symmetric(Uplo),
    /// As Symmetric, the other triangle the conjugate, the diagonal's imaginary part
    /// taken as zero.
    Hermitian(Uplo),
    /// Only the `uplo` triangle, zeros elsewhere; a unit diagonal counts as ones.
    Triangular(Uplo, Diag),
}

/// The norm of the m x n matrix A (square for the symmetric shapes).
///
/// # Safety
/// `a` valid for the entries `shape` reads.
pub unsafe fn norm<T: Scalar>(
    norm: Norm,
    shape: Shape,
    (m, n): (usize, usize),
    a: RawMat<T>,
) -> T::RealPart {
    let zero = T::RealPart::zero();
    if m == 0 || n == 0 {
        return zero;
    }
    // Every stored entry with its position in the full matrix: (i, j, |a_ij|).
    let entries = |f: &mut dyn FnMut(usize, usize, T::RealPart)| match shape {
        Shape::General => {
            for j in 0..n {
                for i in 0..m {
                    f(i, j, a.get(i, j).modulus());
                }
            }
        }
        Shape::Triangular(uplo, diag) => {
            for j in 0..n {
                let rows = match uplo {
                    Uplo::Upper => 0..(j + 1).min(m),
                    Uplo::Lower => j.min(m)..m,
                };
                for i in rows {
                    let unit = i == j && diag == Diag::Unit;
                    f(
                        i,
                        j,
                        if unit {
                            T::RealPart::from_f64(1.0)
                        } else {
                            a.get(i, j).modulus()
                        },
                    );
                }
            }
        }
        Shape::Symmetric(uplo) | Shape::Hermitian(uplo) => {
            let hermitian = matches!(shape, Shape::Hermitian(_));
            for j in 0..n {
                let rows = match uplo {
                    Uplo::Upper => 0..j + 1,
                    Uplo::Lower => j..n,
                };
                for i in rows {
                    let x = a.get(i, j);
                    let value = if i == j && hermitian {
                        x.re().abs()
                    } else {
                        x.modulus()
                    };
                    f(i, j, value);
                    if i != j {
                        f(j, i, value);
                    }
                }
            }
        }
    };
    let mut result = zero;
    let mut keep_larger = |value: T::RealPart| {
        if value > result || value.is_nan() {
            result = value;
        }
    };
    match norm {
        Norm::Max => {
            let mut nan = false;
            entries(&mut |_, _, v| {
                nan |= v.is_nan();
                keep_larger(v);
            });
            if nan {
                return T::RealPart::from_f64(f64::NAN);
            }
        }
        Norm::One | Norm::Infinity => {
            let lines = if norm == Norm::One { n } else { m };
            let mut sums = vec![zero; lines];
            entries(&mut |i, j, v| sums[if norm == Norm::One { j } else { i }] += v);
            sums.into_iter().for_each(keep_larger);
        }
        Norm::Frobenius => {
            // Scaled by the largest entry so the squares neither overflow nor underflow.
            let mut largest = zero;
            let mut nan = false;
            entries(&mut |_, _, v| {
                nan |= v.is_nan();
                largest = largest.max(v);
            });
            if nan {
                return T::RealPart::from_f64(f64::NAN);
            }
            if largest == zero || !largest.to_f64().is_finite() {
                return largest;
            }
            let mut sum = zero;
            entries(&mut |_, _, v| {
                let scaled = v / largest;
                sum += scaled * scaled;
            });
            result = largest * sum.sqrt();
        }
    }
    result
}
