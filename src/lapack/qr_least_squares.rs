//! Least squares and minimum-norm solutions of full-rank systems through QR or LQ:
//! xGELS. A tall A is factored A = Q R in place, a wide one A = L Q (its LQ factors left
//! in A as xGELQF leaves them). Both come down to one QR factor F = Q R with rows >= cols
//! (A itself, or A^H for a wide A), and to one of two problems on it: least squares
//! min ||F X - B|| (X = R^-1 (Q^H B)(1:cols)), or the minimum-norm solution of F^H X = B
//! (X = Q [R^-H B; 0]).

use crate::blas::args::{Diag, Side, Trans, Uplo};
use crate::lapack::lq_rq::Adjoint;
use crate::lapack::qr;
use crate::lapack::raw::RawMat;
use crate::lapack::scaling;
use crate::lapack::triangular::trtrs;
use crate::scalar::Scalar;

/// Solves op(A) X = B in the least-squares sense (op(A) tall) or for the minimum-norm X
/// (op(A) wide); op = `trans` (ConjTrans for both 'T' of a real type and 'C'). A (m x n)
/// receives its QR or LQ factors, B (max(m, n) x nrhs) the solution in its first n (or m
/// for op = ConjTrans) rows. Returns INFO: i > 0 when the triangular factor's (i, i) is
/// exactly zero (A is rank deficient, no solution computed), as xGELS.
///
/// # Safety
/// `a` valid for m x n, `b` for max(m, n) x nrhs.
pub unsafe fn gels<T: Scalar>(
    trans: Trans,
    (m, n, nrhs): (usize, usize, usize),
    a: RawMat<T>,
    b: RawMat<T>,
) -> usize {
    let k = m.min(n);
    if k == 0 || nrhs == 0 {
        fill_zero(m.max(n), nrhs, b);
        return 0;
    }
    let transposed = trans != Trans::No;
    let anrm = scaling::max_abs(m, n, a);
    let a_scaled = scaling::into_safe_range(anrm, m, n, a);
    if anrm == T::RealPart::from_f64_lossy(0.0) {
        fill_zero(m.max(n), nrhs, b);
        return 0;
    }
    let brow = if transposed { n } else { m };
    let bnrm = scaling::max_abs(brow, nrhs, b);
    let b_scaled = scaling::into_safe_range(bnrm, brow, nrhs, b);

    let mut tau = vec![T::zero(); k];
    let info = if m >= n {
        qr::geqrf(m, n, a, &mut tau);
        solve_with_qr(!transposed, (m, n, nrhs), a, &tau, b)
    } else {
        let mut adjoint = Adjoint::of(m, n, a, false);
        let f = adjoint.mat();
        qr::geqrf(n, m, f, &mut tau);
        let info = solve_with_qr(transposed, (n, m, nrhs), f, &tau, b);
        adjoint.store(a);
        info
    };
    if info > 0 {
        return info;
    }
    let solution_rows = if transposed { m } else { n };
    a_scaled.undo_on_solution(solution_rows, nrhs, b);
    b_scaled.undo(solution_rows, nrhs, b);
    0
}

/// With F = Q R (rows x cols, rows >= cols) in `f` and `tau` as [`qr::geqrf`] left them:
/// least squares min ||F X - B|| when `overdetermined`, else the minimum-norm solution of
/// F^H X = B. B has `rows` rows; X lands in its first cols (or rows) rows.
unsafe fn solve_with_qr<T: Scalar>(
    overdetermined: bool,
    (rows, cols, nrhs): (usize, usize, usize),
    f: RawMat<T>,
    tau: &[T],
    b: RawMat<T>,
) -> usize {
    if overdetermined {
        qr::ormqr(Side::Left, Trans::ConjTrans, (rows, nrhs, cols), f, tau, b);
        let upper = (Uplo::Upper, Trans::No, Diag::NonUnit);
        return trtrs(upper, (cols, nrhs), f, b);
    }
    let upper_adjoint = (Uplo::Upper, Trans::ConjTrans, Diag::NonUnit);
    let info = trtrs(upper_adjoint, (cols, nrhs), f, b);
    if info > 0 {
        return info;
    }
    fill_zero(rows - cols, nrhs, b.at(cols, 0));
    qr::ormqr(Side::Left, Trans::No, (rows, nrhs, cols), f, tau, b);
    0
}

/// Zeroes the m x n block.
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn fill_zero<T: Scalar>(m: usize, n: usize, a: RawMat<T>) {
    for j in 0..n {
        for i in 0..m {
            a.set(i, j, T::zero());
        }
    }
}
