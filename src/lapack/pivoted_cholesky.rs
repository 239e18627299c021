//! Cholesky factorization with complete (diagonal) pivoting of a positive semidefinite
//! matrix: PSTRF. P^T A P = U^H U or L L^H, stopping at the computed rank, with LAPACK's
//! contract: PIV (the order the rows and columns were taken in), RANK, and INFO = 1
//! when the matrix is rank deficient (a pivot at or below the stopping value, or not a
//! number) or not positive semidefinite. Blocked as LAPACK's xPSTRF: within a block of
//! columns each pivot is the largest diagonal of the matrix updated so far (running sums
//! of squares update the diagonal without touching the trailing matrix) and each column
//! is one matrix-vector product; after the block, the trailing matrix takes one HERK.

use crate::blas::args::{Trans, Uplo};
use crate::blas::{level1, level3};
use crate::lapack::cholesky::hermitian_update;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Columns per block (LAPACK takes xPOTRF's block size, 64 in the reference ILAENV).
const BLOCK: usize = 64;

/// The stored triangle read as the Lower one: element (i, j), i >= j, of L's storage is
/// A(i, j) for Lower and conj(A(j, i)) for Upper (U = L^H).
#[derive(Clone, Copy)]
struct Triangle<T> {
    a: RawMat<T>,
    upper: bool,
}

impl<T: Scalar> Triangle<T> {
    #[inline(always)]
    unsafe fn get(self, i: usize, j: usize) -> T {
        if self.upper {
            self.a.get(j, i).conj()
        } else {
            self.a.get(i, j)
        }
    }

    #[inline(always)]
    unsafe fn set(self, i: usize, j: usize, value: T) {
        if self.upper {
            self.a.set(j, i, value.conj());
        } else {
            self.a.set(i, j, value);
        }
    }

    #[inline(always)]
    unsafe fn swap(self, x: (usize, usize), y: (usize, usize)) {
        let t = self.get(x.0, x.1);
        self.set(x.0, x.1, self.get(y.0, y.1));
        self.set(y.0, y.1, t);
    }

    unsafe fn diagonal(self, i: usize) -> T::RealPart {
        self.a.get(i, i).re()
    }
}

/// The index of the largest value (the first of equals; NaNs skipped unless every
/// value is one, as Fortran's MAXLOC).
fn first_max<R: Float + PartialOrd>(values: &[R]) -> usize {
    let mut best: Option<usize> = None;
    for (i, v) in values.iter().enumerate() {
        if !v.is_nan() && best.is_none_or(|b| *v > values[b]) {
            best = Some(i);
        }
    }
    best.unwrap_or(0)
}

/// Factors the n x n Hermitian positive semidefinite A (its `uplo` triangle read and
/// overwritten) with diagonal pivoting. `piv` (n entries) receives the pivot order,
/// 0-based. `tol` < 0 stops at n * eps * max(diag(A)). Returns (RANK, INFO): INFO = 1
/// when the rank is below n; the first RANK columns of L (rows of U) are then complete
/// and A(RANK+1, RANK+1) holds the rejected pivot.
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn pstrf<T: Scalar>(
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    piv: &mut [usize],
    tol: T::RealPart,
) -> (usize, usize) {
    for (i, p) in piv.iter_mut().enumerate() {
        *p = i;
    }
    if n == 0 {
        return (0, 0);
    }
    let l = Triangle {
        a,
        upper: uplo == Uplo::Upper,
    };
    let zero = T::RealPart::zero();
    // The first pivot: the largest diagonal entry, as LAPACK finds it (a NaN first wins).
    let mut pivot = 0;
    let mut largest = l.diagonal(0);
    for i in 1..n {
        if l.diagonal(i) > largest {
            pivot = i;
            largest = l.diagonal(i);
        }
    }
    if largest <= zero || largest.is_nan() {
        return (0, 1);
    }
    let stop = if tol < zero {
        T::RealPart::from_f64(n as f64) * T::RealPart::epsilon() * largest
    } else {
        tol
    };
    // sums[i]: sum over this block's columns of |L(i, c)|^2; remaining[i]: A(i, i) less
    // that, the diagonal of the matrix updated so far.
    let mut sums = vec![zero; n];
    let mut remaining = vec![zero; n];
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK).min(n);
        sums[start..].fill(zero);
        for j in start..end {
            for i in j..n {
                if j > start {
                    let x = l.get(i, j - 1);
                    sums[i] += x.re() * x.re() + x.im() * x.im();
                }
                remaining[i] = l.diagonal(i) - sums[i];
            }
            let mut ajj = largest;
            if j > 0 {
                pivot = j + first_max(&remaining[j..n]);
                ajj = remaining[pivot];
                if ajj <= stop || ajj.is_nan() {
                    l.set(j, j, T::from_real(ajj));
                    return (j, 1);
                }
            }
            if pivot != j {
                interchange(l, n, (j, pivot));
                sums.swap(j, pivot);
                piv.swap(j, pivot);
            }
            let ajj = ajj.sqrt();
            l.set(j, j, T::from_real(ajj));
            if j + 1 < n {
                compute_column(l, (n, start, j), ajj);
            }
        }
        if end < n {
            let (x, trailing) = if l.upper {
                (a.at(start, end), a.at(end, end))
            } else {
                (a.at(end, start), a.at(end, end))
            };
            hermitian_update(uplo, (n - end, end - start), x, trailing);
        }
        start = end;
    }
    (n, 0)
}

/// Symmetric interchange of rows and columns j < p of the Lower triangle (as read
/// through `l`), including the rows of the columns already factored.
unsafe fn interchange<T: Scalar>(l: Triangle<T>, n: usize, (j, p): (usize, usize)) {
    l.set(p, p, l.get(j, j));
    for c in 0..j {
        l.swap((j, c), (p, c));
    }
    for i in p + 1..n {
        l.swap((i, j), (i, p));
    }
    for i in j + 1..p {
        let t = l.get(i, j).conj();
        l.set(i, j, l.get(p, i).conj());
        l.set(p, i, t);
    }
    l.set(p, j, l.get(p, j).conj());
}

/// L(j+1.., j) = (A(j+1.., j) - L(j+1.., start..j) L(j, start..j)^H) / L(j, j): the
/// block's earlier columns (the trailing matrix already holds the earlier blocks').
unsafe fn compute_column<T: Scalar>(
    l: Triangle<T>,
    (n, start, j): (usize, usize, usize),
    ajj: T::RealPart,
) {
    let (rows, k) = (n - j - 1, j - start);
    let a = l.a;
    let one = T::one();
    if l.upper {
        // U(j, j+1..) -= U(start..j, j)^H U(start..j, j+1..), a row.
        level3::gemm_any_order(
            Trans::ConjTrans,
            Trans::No,
            (1, rows, k),
            -one,
            a.at(start, j).arg_const(),
            a.at(start, j + 1).arg_const(),
            one,
            a.at(j, j + 1).arg(),
        );
        let inverse = <T::RealPart as Scalar>::one() / ajj;
        level1::scal_real(rows as i64, inverse, a.at(j, j + 1).ptr, a.ld as i64);
    } else {
        level3::gemm_any_order(
            Trans::No,
            Trans::ConjTrans,
            (rows, 1, k),
            -one,
            a.at(j + 1, start).arg_const(),
            a.at(j, start).arg_const(),
            one,
            a.at(j + 1, j).arg(),
        );
        let inverse = <T::RealPart as Scalar>::one() / ajj;
        level1::scal_real(rows as i64, inverse, a.at(j + 1, j).ptr, 1);
    }
}
