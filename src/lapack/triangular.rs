//! Triangular matrices: solve with a singularity check (TRTRS), inverse in place
//! (TRTRI), and the product of a triangle with its conjugate transpose (LAUUM, which
//! turns an inverted Cholesky factor into the inverse of the matrix). The inverse and
//! LAUUM recurse on halves, so the work is TRSM/TRMM/HERK on large blocks; blocks of at
//! most `BASE` columns use the unblocked loops.

use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::level3;
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;

const BASE: usize = 16;

/// LAPACK's singularity test of a triangular matrix: the first exactly zero diagonal
/// entry (1-based), 0 when there is none or the diagonal is unit.
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn first_zero_diagonal<T: Scalar>(n: usize, diag: Diag, a: RawMat<T>) -> usize {
    if diag == Diag::Unit {
        return 0;
    }
    (0..n).find(|&i| a.get(i, i).is_zero()).map_or(0, |i| i + 1)
}

/// Solves op(A) X = B for a triangular A; B (n x nrhs) is overwritten. Returns i > 0,
/// without touching B, when A(i, i) is exactly zero.
///
/// # Safety
/// `a` valid for n x n, `b` for n x nrhs.
pub unsafe fn trtrs<T: Scalar>(
    (uplo, trans, diag): (Uplo, Trans, Diag),
    (n, nrhs): (usize, usize),
    a: RawMat<T>,
    b: RawMat<T>,
) -> usize {
    let info = first_zero_diagonal(n, diag, a);
    if info == 0 {
        level3::trsm_any_order(&TrsmArgs::new(
            (Side::Left, uplo, trans, diag),
            (n, nrhs),
            T::one(),
            a.arg_const(),
            b.arg(),
        ));
    }
    info
}

/// Inverts the triangular n x n matrix A in place. Returns i > 0, without changing A,
/// when A(i, i) is exactly zero.
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn trtri<T: Scalar>(uplo: Uplo, diag: Diag, n: usize, a: RawMat<T>) -> usize {
    let info = first_zero_diagonal(n, diag, a);
    if info == 0 {
        invert(uplo, diag, n, a);
    }
    info
}

unsafe fn invert<T: Scalar>(uplo: Uplo, diag: Diag, n: usize, a: RawMat<T>) {
    if n <= BASE {
        return invert_unblocked(uplo, diag, n, a);
    }
    let n1 = n / 2;
    let n2 = n - n1;
    let (a11, a22) = (a, a.at(n1, n1));
    let solve = |side, dims, alpha, tri: RawMat<T>, target: RawMat<T>| {
        level3::trsm_any_order(&TrsmArgs::new(
            (side, uplo, Trans::No, diag),
            dims,
            alpha,
            tri.arg_const(),
            target.arg(),
        ))
    };
    match uplo {
        // inv([A11 A12; 0 A22]) has -inv(A11) A12 inv(A22) in the corner.
        Uplo::Upper => {
            let a12 = a.at(0, n1);
            solve(Side::Right, (n1, n2), -T::one(), a22, a12);
            solve(Side::Left, (n1, n2), T::one(), a11, a12);
        }
        // inv([A11 0; A21 A22]) has -inv(A22) A21 inv(A11) in the corner.
        Uplo::Lower => {
            let a21 = a.at(n1, 0);
            solve(Side::Right, (n2, n1), -T::one(), a11, a21);
            solve(Side::Left, (n2, n1), T::one(), a22, a21);
        }
    }
    invert(uplo, diag, n1, a11);
    invert(uplo, diag, n2, a22);
}

/// xTRTI2: column by column, each new column multiplied by the part already inverted.
unsafe fn invert_unblocked<T: Scalar>(uplo: Uplo, diag: Diag, n: usize, a: RawMat<T>) {
    let unit = diag == Diag::Unit;
    let order: Box<dyn Iterator<Item = usize>> = match uplo {
        Uplo::Upper => Box::new(0..n),
        Uplo::Lower => Box::new((0..n).rev()),
    };
    for j in order {
        let ajj = if unit {
            -T::one()
        } else {
            let inverse = T::one().quotient(a.get(j, j));
            a.set(j, j, inverse);
            -inverse
        };
        // x = A(rows, j) := ajj * inv(A)(rows, rows) x, rows on j's off-diagonal side.
        // In place: each new x(i) reads only entries of x not yet replaced.
        let entry = |i: usize, k: usize| {
            if i == k && unit {
                T::one()
            } else {
                a.get(i, k)
            }
        };
        match uplo {
            Uplo::Upper => {
                for i in 0..j {
                    let mut sum = T::zero();
                    for k in i..j {
                        sum += entry(i, k) * a.get(k, j);
                    }
                    a.set(i, j, ajj * sum);
                }
            }
            Uplo::Lower => {
                for i in (j + 1..n).rev() {
                    let mut sum = T::zero();
                    for k in j + 1..=i {
                        sum += entry(i, k) * a.get(k, j);
                    }
                    a.set(i, j, ajj * sum);
                }
            }
        }
    }
}

/// xLAUUM: U U^H (Upper) or L^H L (Lower) of the triangle of A, into that triangle.
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn lauum<T: Scalar>(uplo: Uplo, n: usize, a: RawMat<T>) {
    if n <= BASE {
        return lauum_unblocked(uplo, n, a);
    }
    let n1 = n / 2;
    let n2 = n - n1;
    let (a11, a22) = (a, a.at(n1, n1));
    let one = T::one();
    lauum(uplo, n1, a11);
    match uplo {
        // [U11 U12; 0 U22] [..]^H: U11 U11^H + U12 U12^H, U12 U22^H, U22 U22^H.
        Uplo::Upper => {
            let a12 = a.at(0, n1);
            level3::rank_k(
                Uplo::Upper,
                Trans::No,
                true,
                (n1, n2),
                one,
                a12.arg_const(),
                None,
                one,
                a11.arg(),
            );
            level3::trmm(
                Side::Right,
                Uplo::Upper,
                Trans::ConjTrans,
                Diag::NonUnit,
                (n1, n2),
                one,
                a22.arg_const(),
                a12.arg(),
            );
        }
        // [L11 0; L21 L22]^H [..]: L11^H L11 + L21^H L21, L22^H L21, L22^H L22.
        Uplo::Lower => {
            let a21 = a.at(n1, 0);
            level3::rank_k(
                Uplo::Lower,
                Trans::ConjTrans,
                true,
                (n1, n2),
                one,
                a21.arg_const(),
                None,
                one,
                a11.arg(),
            );
            level3::trmm(
                Side::Left,
                Uplo::Lower,
                Trans::ConjTrans,
                Diag::NonUnit,
                (n2, n1),
                one,
                a22.arg_const(),
                a21.arg(),
            );
        }
    }
    lauum(uplo, n2, a22);
}

/// Entry by entry: (U U^H)(i, j) = sum over k >= j of U(i, k) conj(U(j, k)), and
/// (L^H L)(i, j) = sum over k >= i of conj(L(k, i)) L(k, j). The order of the loops
/// only overwrites entries no later sum reads.
unsafe fn lauum_unblocked<T: Scalar>(uplo: Uplo, n: usize, a: RawMat<T>) {
    for j in 0..n {
        match uplo {
            Uplo::Upper => {
                for i in 0..=j {
                    let mut sum = T::zero();
                    for k in j..n {
                        sum += a.get(i, k) * a.get(j, k).conj();
                    }
                    a.set(i, j, if i == j { T::from_real(sum.re()) } else { sum });
                }
            }
            Uplo::Lower => {
                for i in j..n {
                    let mut sum = T::zero();
                    for k in i..n {
                        sum += a.get(k, i).conj() * a.get(k, j);
                    }
                    a.set(i, j, if i == j { T::from_real(sum.re()) } else { sum });
                }
            }
        }
    }
}
