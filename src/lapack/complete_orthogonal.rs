//! Minimum-norm least squares through a complete orthogonal factorization: xGELSY.
//! A P = Q R by QR with column pivoting; the numerical rank r is the largest leading
//! R11 whose incremental condition estimate (xLAIC1) stays below 1 / rcond; then
//! [R11 R12] = [T 0] Z (xTZRZF's RZ factorization, reflectors that touch row i and the
//! last n - r columns) and X = P Z^H [T^-1 (Q^H B)(1:r); 0].

use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
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
    level3::trsm_any_order(&TrsmArgs::new(
        (Side::Left, Uplo::Upper, Trans::No, Diag::NonUnit),
        (rank, nrhs),
        T::one(),
        a.arg_const(),
        b.arg(),
    ));
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

/// xTZRZF: reduces the upper trapezoidal rank x n [R11 R12] to [T 0] Z in place.
/// Z(i) = I - tau(i) v v^H with v = e_i + the n - rank entries that replace row i of
/// R12; `tau` has rank entries. Rows are reduced from the bottom up; above the
/// crossover in blocks of `BLOCK` rows, each block's reflectors then applied to the rows
/// above it at once with GEMM (xLARZT/xLARZB).
unsafe fn tzrzf<T: Scalar>(rank: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    if rank < CROSSOVER {
        return latrz(0, rank, n, a, tau);
    }
    let mut end = rank;
    while end > 0 {
        let start = end.saturating_sub(BLOCK);
        latrz(start, end, n, a, tau);
        if start > 0 {
            apply_rz_block(start, end, (rank, n), a, &tau[start..end]);
        }
        end = start;
    }
}

/// Reflector rows below this many use the unblocked reduction throughout.
const CROSSOVER: usize = 128;
/// Rows a block of [`tzrzf`].
const BLOCK: usize = 32;

/// xLATRZ on rows lo..hi of the trapezoid (bottom up), each reflector applied to the
/// rows from lo to just above its own.
unsafe fn latrz<T: Scalar>(lo: usize, hi: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    let rank = tau.len();
    let (tail, l) = (rank, n - rank);
    let mut v = vec![T::zero(); l];
    for i in (lo..hi).rev() {
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
        // A(lo..i, [i, tail..n]) := A(...) (I - t v v^H), v(0) = 1 at column i: xLARZ's
        // w = A(:, i) + A2 v, A(:, i) -= t w, A2 -= t w v^H.
        let rows = i - lo;
        if !t.is_zero() && rows > 0 {
            let a2 = full(a.at(lo, tail), rows);
            let mut w: Vec<T> = (lo..i).map(|row| a.get(row, i)).collect();
            level2::mv(
                Trans::No,
                a2,
                (rows, l),
                T::one(),
                (v.as_ptr(), 1),
                T::one(),
                (w.as_mut_ptr(), 1),
            );
            for (r, &wr) in w.iter().enumerate() {
                a.set(lo + r, i, a.get(lo + r, i) - t * wr);
            }
            level2::rank1(true, a2, (rows, l), -t, (w.as_ptr(), 1), (v.as_ptr(), 1));
        }
        a.set(i, i, alpha.conj());
    }
}

/// Applies the reflectors of rows start..end (already reduced) to rows 0..start:
/// C := C H(end-1) ... H(start), H(i) = I - conj(tau(i)) v_i v_i^H, as the I - V T V^H
/// of the product G(0) ... G(nb-1), G(k) = H(end-1-k) (xLARZT, then xLARZB).
unsafe fn apply_rz_block<T: Scalar>(
    start: usize,
    end: usize,
    (rank, n): (usize, usize),
    a: RawMat<T>,
    tau: &[T],
) {
    let (tail, l, nb) = (rank, n - rank, end - start);
    let one = T::one();
    // V2 (l x nb): the tails of v for G(0), G(1), ...; their unit entries lie in
    // distinct columns end-1-k, so V^H V = V2^H V2 off the diagonal.
    let mut v2 = vec![T::zero(); l * nb];
    let v2m = RawMat::new(v2.as_mut_ptr(), l.max(1));
    for k in 0..nb {
        for p in 0..l {
            v2m.set(p, k, a.get(end - 1 - k, tail + p));
        }
    }
    let mut gram = vec![T::zero(); nb * nb];
    let gm = RawMat::new(gram.as_mut_ptr(), nb);
    level3::gemm_any_order(
        Trans::ConjTrans,
        Trans::No,
        (nb, nb, l),
        one,
        v2m.arg_const(),
        v2m.arg_const(),
        T::zero(),
        gm.arg(),
    );
    // Forward T: T(0..k, k) = -tau_k T(0..k, 0..k) V(:, 0..k)^H v_k, T(k, k) = tau_k.
    let mut tm = vec![T::zero(); nb * nb];
    let t = RawMat::new(tm.as_mut_ptr(), nb);
    for k in 0..nb {
        let tau_k = tau[nb - 1 - k].conj();
        for r in 0..k {
            let mut sum = T::zero();
            for c in r..k {
                sum += t.get(r, c) * gm.get(c, k);
            }
            t.set(r, k, -tau_k * sum);
        }
        t.set(k, k, tau_k);
    }
    // W = C V = C(:, end-1-k) + C_tail V2; W := W T; C -= W V^H.
    let mut w = vec![T::zero(); start * nb];
    let wm = RawMat::new(w.as_mut_ptr(), start);
    for k in 0..nb {
        for r in 0..start {
            wm.set(r, k, a.get(r, end - 1 - k));
        }
    }
    let c_tail = a.at(0, tail);
    level3::gemm_any_order(
        Trans::No,
        Trans::No,
        (start, nb, l),
        one,
        c_tail.arg_const(),
        v2m.arg_const(),
        one,
        wm.arg(),
    );
    level3::trmm(
        Side::Right,
        Uplo::Upper,
        Trans::No,
        Diag::NonUnit,
        (start, nb),
        one,
        t.arg_const(),
        wm.arg(),
    );
    for k in 0..nb {
        for r in 0..start {
            a.set(r, end - 1 - k, a.get(r, end - 1 - k) - wm.get(r, k));
        }
    }
    level3::gemm_any_order(
        Trans::No,
        Trans::ConjTrans,
        (start, l, nb),
        -one,
        wm.arg_const(),
        v2m.arg_const(),
        one,
        c_tail.arg(),
    );
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
