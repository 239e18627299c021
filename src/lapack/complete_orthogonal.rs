//! Minimum-norm least squares through a complete orthogonal factorization: xGELSY.
//! A P = Q R by QR with column pivoting; the numerical rank r is the largest leading
//! R11 whose incremental condition estimate (xLAIC1) stays below 1 / rcond; then
//! [R11 R12] = [T 0] Z (xTZRZF's RZ factorization, reflectors that touch row i and the
//! last n - r columns) and X = P Z^H [T^-1 (Q^H B)(1:r); 0].

use crate::blas::args::{Diag, Side, Trans, Uplo};
use crate::blas::level2::{self, Storage};
use crate::blas::level3;
use crate::lapack::householder::reflector;
use crate::lapack::incremental_condition::{laic1, Extreme};
use crate::lapack::pivoted_qr;
use crate::lapack::qr;
use crate::lapack::qr_least_squares::fill_zero;
use crate::lapack::raw::RawMat;
use crate::lapack::scaling::{self, Scaled};
use crate::scalar::Scalar;

/// Solves min ||B - A X|| with minimum ||X|| for the m x n matrix A (overwritten by
/// its complete orthogonal factorization, R11's triangle T in its leading rank x rank
/// block) and B (max(m, n) x nrhs; its first n rows become X). `jpvt` (n entries,
/// 1-based) marks fixed columns on entry and holds the permutation P on exit. Returns
/// the effective rank. m, n and nrhs are positive.
///
/// # Safety
/// `a` valid for m x n, `b` for max(m, n) x nrhs.
pub unsafe fn gelsy<T: Scalar>(
    (m, n, nrhs): (usize, usize, usize),
    a: RawMat<T>,
    b: RawMat<T>,
    jpvt: &mut [i64],
    rcond: T::RealPart,
) -> usize {
    let mn = m.min(n);
    let anrm = scaling::max_abs(m, n, a);
    let a_scaled = scaling::into_safe_range(anrm, m, n, a);
    if anrm == T::RealPart::from_f64_lossy(0.0) {
        fill_zero(m.max(n), nrhs, b);
        return 0;
    }
    let bnrm = scaling::max_abs(m, nrhs, b);
    let b_scaled = scaling::into_safe_range(bnrm, m, nrhs, b);

    let mut tau = vec![T::zero(); mn];
    pivoted_qr::geqp3(m, n, a, jpvt, &mut tau);
    let rank = numerical_rank(mn, a, rcond);
    if rank == 0 {
        fill_zero(m.max(n), nrhs, b);
        return 0;
    }
    let mut tau_z = vec![T::zero(); rank];
    if rank < n {
        tzrzf(rank, n, a, &mut tau_z);
    }
    qr::ormqr(Side::Left, Trans::ConjTrans, (m, nrhs, mn), a, &tau, b);
    level3::trsm_any_order(
        Side::Left,
        Uplo::Upper,
        Trans::No,
        Diag::NonUnit,
        (rank, nrhs),
        T::one(),
        a.arg_const(),
        b.arg(),
    );
    fill_zero(n - rank, nrhs, b.at(rank, 0));
    if rank < n {
        apply_rz_adjoint(rank, n, a, &tau_z, nrhs, b);
    }
    // B := P B.
    let mut column = vec![T::zero(); n];
    for j in 0..nrhs {
        for (i, &p) in jpvt.iter().enumerate() {
            column[p as usize - 1] = b.get(i, j);
        }
        for (i, &value) in column.iter().enumerate() {
            b.set(i, j, value);
        }
    }
    a_scaled.undo_on_solution(n, nrhs, b);
    if let Scaled::From { norm, target } = a_scaled {
        // T back to A's scale (xLASCL('U') on the leading rank x rank triangle).
        for j in 0..rank {
            scaling::rescale(target, norm, j + 1, 1, a.at(0, j));
        }
    }
    b_scaled.undo(n, nrhs, b);
    rank
}

/// The rank xGELSY finds in R (the leading mn x mn of `a`): grows the leading triangle
/// while the estimated largest singular value times rcond stays at most the smallest.
unsafe fn numerical_rank<T: Scalar>(mn: usize, a: RawMat<T>, rcond: T::RealPart) -> usize {
    let mut smax = a.get(0, 0).modulus();
    if smax == T::RealPart::from_f64_lossy(0.0) {
        return 0;
    }
    let mut smin = smax;
    let (mut xmin, mut xmax) = (vec![T::one()], vec![T::one()]);
    let mut rank = 1;
    while rank < mn {
        let column = std::slice::from_raw_parts(a.at(0, rank).ptr, rank);
        let gamma = a.get(rank, rank);
        let small = laic1(Extreme::Smallest, &xmin, smin, column, gamma);
        let large = laic1(Extreme::Largest, &xmax, smax, column, gamma);
        if large.sest * rcond > small.sest {
            break;
        }
        for (lo, hi) in xmin.iter_mut().zip(xmax.iter_mut()) {
            *lo = small.s * *lo;
            *hi = large.s * *hi;
        }
        xmin.push(small.c);
        xmax.push(large.c);
        smin = small.sest;
        smax = large.sest;
        rank += 1;
    }
    rank
}

/// xTZRZF (unblocked, xLATRZ): reduces the upper trapezoidal rank x n [R11 R12] to
/// [T 0] Z in place. Z(i) = I - tau(i) v v^H with v = e_i + the n - rank entries that
/// replace row i of R12; `tau` has rank entries.
unsafe fn tzrzf<T: Scalar>(rank: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    let l = n - rank;
    let tail = rank;
    let mut v = vec![T::zero(); l];
    for i in (0..rank).rev() {
        // The reflector of [A(i, i), conj(A(i, tail..n))].
        for (p, vp) in v.iter_mut().enumerate() {
            *vp = a.get(i, tail + p).conj();
        }
        let mut alpha = a.get(i, i).conj();
        let t = reflector(l + 1, &mut alpha, v.as_mut_ptr());
        tau[i] = t.conj();
        for (p, &vp) in v.iter().enumerate() {
            a.set(i, tail + p, vp);
        }
        // A(0..i, [i, tail..n]) := A(...) (I - t v v^H), v(0) = 1 at column i: xLARZ's
        // w = A(:, i) + A2 v, A(:, i) -= t w, A2 -= t w v^H.
        if !t.is_zero() && i > 0 {
            let a2 = full(a.at(0, tail), i);
            let mut w: Vec<T> = (0..i).map(|row| a.get(row, i)).collect();
            level2::mv(
                Trans::No,
                a2,
                (i, l),
                T::one(),
                (v.as_ptr(), 1),
                T::one(),
                (w.as_mut_ptr(), 1),
            );
            for (row, &wr) in w.iter().enumerate() {
                a.set(row, i, a.get(row, i) - t * wr);
            }
            level2::rank1(true, a2, (i, l), -t, (w.as_ptr(), 1), (v.as_ptr(), 1));
        }
        a.set(i, i, alpha.conj());
    }
}

/// B (n x nrhs) := Z^H B for Z = Z(0) ... Z(rank-1) from [`tzrzf`] (xORMRZ, Left,
/// conjugate transpose).
unsafe fn apply_rz_adjoint<T: Scalar>(
    rank: usize,
    n: usize,
    a: RawMat<T>,
    tau: &[T],
    nrhs: usize,
    b: RawMat<T>,
) {
    let (tail, l) = (rank, n - rank);
    let b2 = full(b.at(tail, 0), l);
    let mut w = vec![T::zero(); nrhs];
    for (i, &t) in tau.iter().enumerate() {
        let t = t.conj();
        if t.is_zero() {
            continue;
        }
        // v = e_i + row i of A's last l columns at rows tail..n; w = B^H v conjugated
        // (= v^H B); B(i, :) -= t w, B2 -= t v w^T.
        let v: Vec<T> = (0..l).map(|p| a.get(i, tail + p)).collect();
        level2::mv(
            Trans::ConjTrans,
            b2,
            (l, nrhs),
            T::one(),
            (v.as_ptr(), 1),
            T::zero(),
            (w.as_mut_ptr(), 1),
        );
        for (j, wj) in w.iter_mut().enumerate() {
            *wj = b.get(i, j) + wj.conj();
            b.set(i, j, b.get(i, j) - t * *wj);
        }
        level2::rank1(false, b2, (l, nrhs), -t, (v.as_ptr(), 1), (w.as_ptr(), 1));
    }
}

/// The BLAS view of a block with `rows` rows.
fn full<T: Scalar>(a: RawMat<T>, rows: usize) -> Storage<T> {
    Storage::Full {
        ptr: a.ptr,
        ld: a.ld,
        m: rows,
        uplo: None,
    }
}
