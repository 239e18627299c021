//! Cholesky factorization and solves: POTRF, POTRS, POSV.
//! POTRF recurses on halves (as LAPACK's xPOTRF2) so nearly all the work is one TRSM and
//! one HERK/SYRK per level; blocks of at most `BASE` columns use the unblocked
//! left-looking loop.

use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::level3;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Below this order the unblocked loop is faster than another level of recursion.
const BASE: usize = 32;

/// Factors the Hermitian positive definite n x n matrix A (the `uplo` triangle is read
/// and overwritten) as U^H U or L L^H. Returns LAPACK's INFO: 0, or j when the leading
/// minor of order j is not positive definite (the factorization stops there, as
/// LAPACK's does, with A(j, j) holding the failed pivot).
///
/// # Safety
/// `a` valid for n x n with the given leading dimension.
pub unsafe fn potrf<T: Scalar>(uplo: Uplo, n: usize, a: RawMat<T>) -> usize {
    if n <= BASE {
        return potrf_unblocked(uplo, n, a);
    }
    if crate::lapack::lookahead::alone(n) {
        return crate::threads::sequential(|| potrf(uplo, n, a));
    }
    if crate::lapack::cholesky_lookahead::serves::<T>(n) {
        return crate::lapack::cholesky_lookahead::potrf(uplo, n, a);
    }
    let n1 = n / 2;
    let n2 = n - n1;
    let info = potrf(uplo, n1, a);
    if info != 0 {
        return info;
    }
    let (a11, a22) = (a, a.at(n1, n1));
    let one = T::one();
    match uplo {
        Uplo::Lower => {
            // A21 := A21 L11^-H, A22 := A22 - A21 A21^H.
            let a21 = a.at(n1, 0);
            level3::trsm_any_order(&TrsmArgs::new(
                (Side::Right, Uplo::Lower, Trans::ConjTrans, Diag::NonUnit),
                (n2, n1),
                one,
                a11.arg_const(),
                a21.arg(),
            ));
            hermitian_update(Uplo::Lower, (n2, n1), a21, a22);
        }
        Uplo::Upper => {
            // A12 := U11^-H A12, A22 := A22 - A12^H A12.
            let a12 = a.at(0, n1);
            level3::trsm_any_order(&TrsmArgs::new(
                (Side::Left, Uplo::Upper, Trans::ConjTrans, Diag::NonUnit),
                (n1, n2),
                one,
                a11.arg_const(),
                a12.arg(),
            ));
            hermitian_update(Uplo::Upper, (n2, n1), a12, a22);
        }
    }
    match potrf(uplo, n2, a22) {
        0 => 0,
        info => info + n1,
    }
}

/// Column blocks of the trailing update: each diagonal block by HERK, the rest by GEMM
/// (the faster kernel; the diagonal blocks keep the other triangle untouched).
const UPDATE_BLOCK: usize = 256;

/// C := C - X X^H (Lower: X is n x k, below the panel) or C - X^H X (Upper: X is k x n,
/// right of the panel) on the `uplo` triangle of the n x n C.
pub(crate) unsafe fn hermitian_update<T: Scalar>(
    uplo: Uplo,
    (n, k): (usize, usize),
    x: RawMat<T>,
    c: RawMat<T>,
) {
    let one = T::one();
    let mut j = 0;
    while j < n {
        let nb = UPDATE_BLOCK.min(n - j);
        match uplo {
            Uplo::Lower => {
                let xj = x.at(j, 0);
                level3::rank_k(
                    Uplo::Lower,
                    Trans::No,
                    true,
                    (nb, k),
                    -one,
                    xj.arg_const(),
                    None,
                    one,
                    c.at(j, j).arg(),
                );
                if j + nb < n {
                    let dims = (n - j - nb, nb, k);
                    let below = x.at(j + nb, 0).arg_const();
                    level3::gemm_any_order(
                        Trans::No,
                        Trans::ConjTrans,
                        dims,
                        -one,
                        below,
                        xj.arg_const(),
                        one,
                        c.at(j + nb, j).arg(),
                    );
                }
            }
            Uplo::Upper => {
                let xj = x.at(0, j);
                level3::rank_k(
                    Uplo::Upper,
                    Trans::ConjTrans,
                    true,
                    (nb, k),
                    -one,
                    xj.arg_const(),
                    None,
                    one,
                    c.at(j, j).arg(),
                );
                if j > 0 {
                    let dims = (j, nb, k);
                    level3::gemm_any_order(
                        Trans::ConjTrans,
                        Trans::No,
                        dims,
                        -one,
                        x.arg_const(),
                        xj.arg_const(),
                        one,
                        c.at(0, j).arg(),
                    );
                }
            }
        }
        j += nb;
    }
}

crate::dispatched! {
    /// Right-looking unblocked Cholesky: each step scales one column of L (one row of U)
    /// and updates the trailing triangle, whose inner loops run down contiguous columns.
    unsafe fn potrf_unblocked<T: Scalar>(uplo: Uplo, n: usize, a: RawMat<T>) -> usize {
        for j in 0..n {
            let ajj = a.get(j, j).re();
            if ajj <= T::RealPart::zero() || ajj.is_nan() {
                a.set(j, j, T::from_real(ajj));
                return j + 1;
            }
            let ajj = ajj.sqrt();
            a.set(j, j, T::from_real(ajj));
            let inverse = T::from_real(T::RealPart::from_f64(1.0) / ajj);
            match uplo {
                Uplo::Lower => {
                    for i in j + 1..n {
                        a.set(i, j, a.get(i, j) * inverse);
                    }
                    // A(k.., k) -= L(k.., j) conj(L(k, j)) for the columns k > j.
                    for k in j + 1..n {
                        let factor = a.get(k, j).conj();
                        let (target, source) = (a.at(0, k).ptr, a.at(0, j).ptr);
                        for i in k..n {
                            *target.add(i) -= *source.add(i) * factor;
                        }
                    }
                }
                Uplo::Upper => {
                    for i in j + 1..n {
                        a.set(j, i, a.get(j, i) * inverse);
                    }
                    // A(j+1..=i, i) -= conj(U(j, j+1..=i)) U(j, i) for the columns i > j.
                    for i in j + 1..n {
                        let factor = a.get(j, i);
                        let target = a.at(0, i).ptr;
                        for k in j + 1..=i {
                            *target.add(k) -= a.get(j, k).conj() * factor;
                        }
                    }
                }
            }
        }
        0
    }
}

/// Solves A X = B with A = U^H U or L L^H from POTRF; B (n x nrhs) is overwritten.
///
/// # Safety
/// `a` valid for n x n, `b` for n x nrhs.
pub unsafe fn potrs<T: Scalar>(uplo: Uplo, (n, nrhs): (usize, usize), a: RawMat<T>, b: RawMat<T>) {
    let (first, second) = match uplo {
        Uplo::Lower => (Trans::No, Trans::ConjTrans),
        Uplo::Upper => (Trans::ConjTrans, Trans::No),
    };
    for trans in [first, second] {
        level3::trsm_any_order(&TrsmArgs::new(
            (Side::Left, uplo, trans, Diag::NonUnit),
            (n, nrhs),
            T::one(),
            a.arg_const(),
            b.arg(),
        ));
    }
}

/// POTRI: overwrites the Cholesky factor from [`potrf`] with the `uplo` triangle of
/// inv(A) = inv(U) inv(U)^H (or inv(L)^H inv(L)). Returns i > 0, with A unchanged, when
/// the factor's (i, i) entry is exactly zero.
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn potri<T: Scalar>(uplo: Uplo, n: usize, a: RawMat<T>) -> usize {
    use crate::lapack::triangular::{lauum, trtri};
    let info = trtri(uplo, Diag::NonUnit, n, a);
    if info == 0 {
        lauum(uplo, n, a);
    }
    info
}
