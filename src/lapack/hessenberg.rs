//! Reduction to upper Hessenberg form and its orthogonal factor: xGEHRD, xORGHR/xUNGHR.
//! A = Q H Q^H with Q = H(ilo) ... H(ihi-1) stored as LAPACK stores it: v_i in column i
//! below the subdiagonal (v_i(i+1) = 1 implied) and tau_i in TAU, so that the
//! reference's xORMHR, xHSEQR and xGEBAK work on our output. Large problems are blocked
//! as LAPACK's xGEHRD/xLAHR2: a panel's reflectors are accumulated as (V, T, Y = A V T)
//! and the trailing matrix is updated with level-3 BLAS.

use crate::blas::args::{Diag, Side, Trans, Uplo};
use crate::blas::level2::{self, Storage};
use crate::blas::level3;
use crate::lapack::householder::{apply_block, apply_left, apply_right, reflector};
use crate::lapack::qr;
use crate::lapack::raw::{gemv, RawMat};
use crate::scalar::Scalar;

/// Panel width of the blocked reduction (LAPACK's ILAENV for xGEHRD).
pub const BLOCK: usize = 32;

/// Below this many trailing columns the unblocked reduction finishes the matrix (the
/// crossover LAPACK's ILAENV gives, so small results round as the reference's do).
const CROSSOVER: usize = 128;

/// x := op(A) x for the k x k triangular block `a` (xTRMV).
unsafe fn trmv<T: Scalar>(uplo: Uplo, trans: Trans, diag: Diag, a: RawMat<T>, k: usize, x: *mut T) {
    let storage = Storage::Full {
        ptr: a.ptr,
        ld: a.ld,
        m: k,
        uplo: Some(uplo),
    };
    level2::triangular(false, uplo, trans, diag, storage, k, (x, 1));
}

/// xGEHRD: reduces rows and columns `lo..=hi` (0-based) of the n x n matrix A to upper
/// Hessenberg form in place; A is already upper triangular outside them (as xGEBAL
/// leaves it). `tau` has n - 1 entries; those outside `lo..hi` are set to zero.
///
/// # Safety
/// `a` valid for n x n, lo <= hi < n (or n == 0).
pub unsafe fn gehrd<T: Scalar>(n: usize, lo: usize, hi: usize, a: RawMat<T>, tau: &mut [T]) {
    if n == 0 {
        return;
    }
    tau[..lo].fill(T::zero());
    tau[hi.min(n - 1)..].fill(T::zero());
    let nh = hi + 1 - lo;
    if nh <= 1 {
        return;
    }
    // Many short threaded steps: run them from a pool thread.
    let par = crate::threads::driver_par(nh, 10.0 / 3.0 * (nh as f64).powi(3));
    crate::threads::on_pool_unsent(par, || reduce(n, lo, hi, a, tau));
}

/// [`gehrd`]'s body for nh = hi + 1 - lo > 1.
unsafe fn reduce<T: Scalar>(n: usize, lo: usize, hi: usize, a: RawMat<T>, tau: &mut [T]) {
    let nh = hi + 1 - lo;
    let mut start = lo;
    if CROSSOVER < nh {
        let mut t = vec![T::zero(); BLOCK * BLOCK];
        let t = RawMat::new(t.as_mut_ptr(), BLOCK);
        let mut y = vec![T::zero(); (hi + 1) * BLOCK];
        let y = RawMat::new(y.as_mut_ptr(), hi + 1);
        // LAPACK's loop: panels start at lo, lo + BLOCK, ... while i <= hi - 1 - CROSSOVER.
        while start + CROSSOVER < hi {
            let i = start;
            let ib = BLOCK.min(hi - i);
            reduce_panel(hi + 1, i + 1, ib, a.at(0, i), &mut tau[i..i + ib], t, y);
            update_trailing(n, hi, i, ib, a, t, y);
            start += BLOCK;
        }
    }
    gehd2(n, start, hi, a, tau);
}

/// Applies a reduced panel (columns i..i+ib, reflectors V below their subdiagonal, T,
/// Y = A V T) to the rest of A: A := (I - V T^H V^H)^H-side updates as xGEHRD does.
#[allow(clippy::too_many_arguments)]
unsafe fn update_trailing<T: Scalar>(
    n: usize,
    hi: usize,
    i: usize,
    ib: usize,
    a: RawMat<T>,
    t: RawMat<T>,
    y: RawMat<T>,
) {
    let one = T::one();
    // A(0..=hi, i+ib..=hi) -= Y V^H, with v's unit entry stored for the product.
    let ei = a.get(i + ib, i + ib - 1);
    a.set(i + ib, i + ib - 1, one);
    level3::gemm_any_order(
        Trans::No,
        Trans::ConjTrans,
        (hi + 1, hi + 1 - i - ib, ib),
        -one,
        y.arg_const(),
        a.at(i + ib, i).arg_const(),
        one,
        a.at(0, i + ib).arg(),
    );
    a.set(i + ib, i + ib - 1, ei);
    // Rows 0..=i of the panel's own columns: A(0..=i, i+1..i+ib) -= Y V1^H.
    level3::trmm(
        Side::Right,
        Uplo::Lower,
        Trans::ConjTrans,
        Diag::Unit,
        (i + 1, ib - 1),
        one,
        a.at(i + 1, i).arg_const(),
        y.arg(),
    );
    for j in 0..ib - 1 {
        for r in 0..=i {
            a.set(r, i + j + 1, a.get(r, i + j + 1) - y.get(r, j));
        }
    }
    // From the left on the columns right of the panel.
    apply_block(
        Side::Left,
        Trans::ConjTrans,
        (hi - i, n - i - ib, ib),
        a.at(i + 1, i),
        t,
        a.at(i + 1, i + ib),
    );
}

/// xLAHR2: reduces the first `nb` columns of `a` (the panel; `a` holds columns i.. of the
/// n-row active block, k = i + 1 the row of the first reflector's unit entry) so that
/// entries below the k-th subdiagonal are zero. Returns the reflectors in place, their
/// block factor in `t` (nb x nb upper triangular) and Y = A V T in `y` (n x nb).
unsafe fn reduce_panel<T: Scalar>(
    n: usize,
    k: usize,
    nb: usize,
    a: RawMat<T>,
    tau: &mut [T],
    t: RawMat<T>,
    y: RawMat<T>,
) {
    let one = T::one();
    let zero = T::zero();
    let mut ei = zero;
    let mut w = vec![zero; nb];
    for j in 0..nb {
        if j > 0 {
            // Bring column j up to date: A(k.., j) -= Y(k.., 0..j) conj(A(k+j-1, 0..j)).
            let row: Vec<T> = (0..j).map(|c| a.get(k + j - 1, c).conj()).collect();
            gemv(
                Trans::No,
                y.at(k, 0),
                (n - k, j),
                -one,
                (row.as_ptr(), 1),
                one,
                (a.at(k, j).ptr, 1),
            );
            // Apply (I - V T V^H)^H from the left: w = V^H b, w = T^H w, b -= V w.
            let b = a.at(k, j).ptr;
            w[..j].copy_from_slice(std::slice::from_raw_parts(b, j));
            trmv(
                Uplo::Lower,
                Trans::ConjTrans,
                Diag::Unit,
                a.at(k, 0),
                j,
                w.as_mut_ptr(),
            );
            gemv(
                Trans::ConjTrans,
                a.at(k + j, 0),
                (n - k - j, j),
                one,
                (b.add(j), 1),
                one,
                (w.as_mut_ptr(), 1),
            );
            trmv(
                Uplo::Upper,
                Trans::ConjTrans,
                Diag::NonUnit,
                t,
                j,
                w.as_mut_ptr(),
            );
            gemv(
                Trans::No,
                a.at(k + j, 0),
                (n - k - j, j),
                -one,
                (w.as_ptr(), 1),
                one,
                (b.add(j), 1),
            );
            trmv(
                Uplo::Lower,
                Trans::No,
                Diag::Unit,
                a.at(k, 0),
                j,
                w.as_mut_ptr(),
            );
            for (r, wr) in w[..j].iter().enumerate() {
                *b.add(r) -= *wr;
            }
            a.set(k + j - 1, j - 1, ei);
        }
        // The reflector annihilating A(k+j+1.., j).
        let len = n - k - j;
        let mut alpha = a.get(k + j, j);
        let below = a.at((k + j + 1).min(n - 1), j).ptr;
        tau[j] = reflector(len, &mut alpha, below);
        ei = alpha;
        a.set(k + j, j, one);
        let v = a.at(k + j, j).ptr;
        // Y(k.., j) = tau (A(k.., j+1..) v - Y(k.., 0..j) (V2^H v)).
        gemv(
            Trans::No,
            a.at(k, j + 1),
            (n - k, len),
            one,
            (v, 1),
            zero,
            (y.at(k, j).ptr, 1),
        );
        let tcol = t.at(0, j).ptr;
        gemv(
            Trans::ConjTrans,
            a.at(k + j, 0),
            (len, j),
            one,
            (v, 1),
            zero,
            (tcol, 1),
        );
        gemv(
            Trans::No,
            y.at(k, 0),
            (n - k, j),
            -one,
            (tcol, 1),
            one,
            (y.at(k, j).ptr, 1),
        );
        for r in k..n {
            y.set(r, j, tau[j] * y.get(r, j));
        }
        // T(0..j, j) = -tau T(0..j, 0..j) (V2^H v); T(j, j) = tau.
        for r in 0..j {
            *tcol.add(r) = -tau[j] * *tcol.add(r);
        }
        trmv(Uplo::Upper, Trans::No, Diag::NonUnit, t, j, tcol);
        t.set(j, j, tau[j]);
    }
    a.set(k + nb - 1, nb - 1, ei);
    // Rows 0..k of Y: Y = A(0..k, 1..) V T, V1 unit lower in rows k..k+nb.
    for j in 0..nb {
        for r in 0..k {
            y.set(r, j, a.get(r, j + 1));
        }
    }
    level3::trmm(
        Side::Right,
        Uplo::Lower,
        Trans::No,
        Diag::Unit,
        (k, nb),
        one,
        a.at(k, 0).arg_const(),
        y.arg(),
    );
    if n > k + nb {
        level3::gemm_any_order(
            Trans::No,
            Trans::No,
            (k, nb, n - k - nb),
            one,
            a.at(0, nb + 1).arg_const(),
            a.at(k + nb, 0).arg_const(),
            one,
            y.arg(),
        );
    }
    level3::trmm(
        Side::Right,
        Uplo::Upper,
        Trans::No,
        Diag::NonUnit,
        (k, nb),
        one,
        t.arg_const(),
        y.arg(),
    );
}

/// Unblocked reduction (xGEHD2) of columns `start..hi`.
unsafe fn gehd2<T: Scalar>(n: usize, start: usize, hi: usize, a: RawMat<T>, tau: &mut [T]) {
    for (i, tau_i) in tau.iter_mut().enumerate().take(hi).skip(start) {
        let mut alpha = a.get(i + 1, i);
        let below = a.at((i + 2).min(n - 1), i).ptr;
        *tau_i = reflector(hi - i, &mut alpha, below);
        a.set(i + 1, i, T::one());
        let v = a.at(i + 1, i).ptr;
        apply_right(hi + 1, hi - i, v, *tau_i, a.at(0, i + 1));
        apply_left(hi - i, n - i - 1, v, tau_i.conj(), a.at(i + 1, i + 1));
        a.set(i + 1, i, alpha);
    }
}

/// [`gehrd`], then, when `q` is given, Q in it by [`orghr`] on a copy of the reflectors:
/// A = Q H Q^H with H left in `a` (its entries below the subdiagonal the reflectors).
///
/// # Safety
/// As [`gehrd`]; `q` valid for n x n and not overlapping `a`.
pub unsafe fn gehrd_with_q<T: Scalar>(
    n: usize,
    lo: usize,
    hi: usize,
    a: RawMat<T>,
    q: Option<RawMat<T>>,
) {
    let mut tau = vec![T::zero(); n.saturating_sub(1)];
    gehrd(n, lo, hi, a, &mut tau);
    if let Some(q) = q {
        for j in 0..n {
            for i in j..n {
                q.set(i, j, a.get(i, j));
            }
        }
        orghr(n, lo, hi, q, &tau);
    }
}

/// xORGHR/xUNGHR: overwrites A (n x n) holding [`gehrd`]'s reflectors for `lo..=hi` with
/// Q, the identity outside rows and columns lo+1..=hi. The reflectors are moved one
/// column right and their Q generated by xORGQR on the active block.
///
/// # Safety
/// `a` valid for n x n, `tau` for hi - lo entries starting at lo.
pub unsafe fn orghr<T: Scalar>(n: usize, lo: usize, hi: usize, a: RawMat<T>, tau: &[T]) {
    if n == 0 {
        return;
    }
    let zero = T::zero();
    for j in (lo + 1..=hi).rev() {
        for r in 0..j {
            a.set(r, j, zero);
        }
        for r in j + 1..=hi {
            a.set(r, j, a.get(r, j - 1));
        }
        for r in hi + 1..n {
            a.set(r, j, zero);
        }
    }
    for j in (0..=lo).chain(hi + 1..n) {
        for r in 0..n {
            a.set(r, j, zero);
        }
        a.set(j, j, T::one());
    }
    let nh = hi - lo;
    if nh > 0 {
        qr::orgqr(nh, nh, nh, a.at(lo + 1, lo + 1), &tau[lo..hi]);
    }
}
