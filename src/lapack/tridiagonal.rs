//! Reduction of a Hermitian matrix to real symmetric tridiagonal form, Q^H A Q = T
//! (xSYTRD/xHETRD: unblocked xSYTD2/xHETD2 below the crossover, xLATRD panels and a
//! rank-2k update above it), and the generation of Q (xORGTR/xUNGTR). The BLAS calls
//! are ours, made in the reference's order with its arguments, so that T (diagonal d,
//! off-diagonal e) equals the reference LAPACK's bit for bit when that runs on our BLAS:
//! xSYEV's eigenvalues then are LAPACK's, which Netlib's DDRVST relies on (it builds
//! DSYEVX's search interval from them).

use crate::blas::args::{Trans, Uplo};
use crate::blas::level2::{self, Storage};
use crate::blas::{hermitian_mv, level1, level3};
use crate::lapack::householder::reflector;
use crate::lapack::qr;
use crate::lapack::raw::{conjugate, RawMat};
use crate::scalar::Scalar;

/// xSYTRD's panel width, crossover and smallest useful panel with the reference
/// ILAENV (NB = 32, NX = 32, NBMIN = 2 for SYTRD and HETRD).
pub const BLOCK: usize = 32;
const CROSSOVER: usize = 32;
const MIN_BLOCK: usize = 2;

/// The panel width xSYTRD uses for order n given `lwork` elements of its workspace,
/// or None for the unblocked reduction (as the reference: a panel needs n*NB).
pub fn panel_width(n: usize, lwork: usize) -> Option<usize> {
    let crossover = BLOCK.max(CROSSOVER);
    if BLOCK <= 1 || BLOCK >= n || crossover >= n {
        return None;
    }
    if lwork >= n * BLOCK {
        return Some(BLOCK);
    }
    let nb = (lwork / n).max(1);
    (nb >= MIN_BLOCK).then_some(nb)
}

fn full<T>(a: RawMat<T>, m: usize, uplo: Option<Uplo>) -> Storage<T> {
    Storage::Full {
        ptr: a.ptr,
        ld: a.ld,
        m,
        uplo,
    }
}

/// The transpose GEMV uses: T for real, C for complex (as the reference's calls).
fn adjoint<T: Scalar>() -> Trans {
    if T::IS_COMPLEX {
        Trans::ConjTrans
    } else {
        Trans::Trans
    }
}

/// Keeps only the real part of a(i, j) (a Hermitian diagonal entry).
unsafe fn make_real<T: Scalar>(a: RawMat<T>, i: usize, j: usize) {
    a.set(i, j, T::from_real(a.get(i, j).re()));
}

/// -(1/2) tau (x^H y): the correction xSYTD2 and xLATRD apply to w.
unsafe fn half_correction<T: Scalar>(tau: T, len: usize, x: *const T, y: *const T) -> T {
    let half = T::from_real(<T::RealPart as Scalar>::from_f64_lossy(0.5));
    -(half * tau * level1::dot(len as i64, x, 1, y, 1, true))
}

/// xSYTD2's update of the len x len trailing block `a` by H = I - tau v v^H from both
/// sides: w = tau A v - (tau/2) (w^H v) v, then A := A - v w^H - w v^H (the reference's
/// calls, in its order, so the rounding is the same).
///
/// # Safety
/// `a` valid for len x len, `v` and `w` for len elements.
unsafe fn two_sided_update<T: Scalar>(
    uplo: Uplo,
    a: RawMat<T>,
    len: usize,
    tau: T,
    v: *mut T,
    w: *mut T,
) {
    let block = full(a, len, Some(uplo));
    hermitian_mv::hermitian_mv(uplo, block, len, tau, (v, 1), T::zero(), (w, 1));
    let alpha = half_correction(tau, len, w, v);
    level1::axpy(len as i64, alpha, v, 1, w, 1);
    level2::hermitian_rank2(uplo, block, len, -T::one(), (v, 1), (w, 1));
}

/// xSYTRD/xHETRD: reduces the `uplo` triangle of the n x n Hermitian A to tridiagonal
/// form, d (n) and e (n - 1) its diagonal and off-diagonal, the reflectors stored in
/// the triangle and `tau` (n - 1 entries) as LAPACK. `lwork` is the workspace the
/// reference xSYTRD would have been given; it decides the panel width.
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn sytrd<T: Scalar>(
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    d: &mut [T::RealPart],
    e: &mut [T::RealPart],
    tau: &mut [T],
    lwork: usize,
) {
    if n == 0 {
        return;
    }
    let Some(nb) = panel_width(n, lwork) else {
        return sytd2(uplo, n, a, d, e, tau);
    };
    let nx = BLOCK.max(CROSSOVER);
    let ldw = n;
    let mut work = vec![T::zero(); ldw * nb];
    let w = RawMat::new(work.as_mut_ptr(), ldw);
    let minus_one = -T::one();
    match uplo {
        Uplo::Upper => {
            // Panels of nb columns from the right; the leading kk columns unblocked.
            let kk = n - (n - nx).div_ceil(nb) * nb;
            let mut i = n - nb;
            loop {
                latrd(uplo, i + nb, nb, a, e, tau, w);
                level3::rank_k(
                    uplo,
                    Trans::No,
                    T::IS_COMPLEX,
                    (i, nb),
                    minus_one,
                    a.at(0, i).arg_const(),
                    Some(w.arg_const()),
                    T::one(),
                    a.arg(),
                );
                for j in i..i + nb {
                    a.set(j - 1, j, T::from_real(e[j - 1]));
                    d[j] = a.get(j, j).re();
                }
                if i < kk + nb {
                    break;
                }
                i -= nb;
            }
            sytd2(uplo, kk, a, d, e, tau);
        }
        Uplo::Lower => {
            let mut i = 0;
            while i < n - nx {
                let (e_panel, tau_panel) = (&mut e[i..], &mut tau[i..]);
                latrd(uplo, n - i, nb, a.at(i, i), e_panel, tau_panel, w);
                level3::rank_k(
                    uplo,
                    Trans::No,
                    T::IS_COMPLEX,
                    (n - i - nb, nb),
                    minus_one,
                    a.at(i + nb, i).arg_const(),
                    Some(w.at(nb, 0).arg_const()),
                    T::one(),
                    a.at(i + nb, i + nb).arg(),
                );
                for j in i..i + nb {
                    a.set(j + 1, j, T::from_real(e[j]));
                    d[j] = a.get(j, j).re();
                }
                i += nb;
            }
            sytd2(
                uplo,
                n - i,
                a.at(i, i),
                &mut d[i..],
                &mut e[i..],
                &mut tau[i..],
            );
        }
    }
}

/// xSYTD2/xHETD2: the unblocked reduction (see [`sytrd`]).
///
/// # Safety
/// `a` valid for n x n.
unsafe fn sytd2<T: Scalar>(
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    d: &mut [T::RealPart],
    e: &mut [T::RealPart],
    tau: &mut [T],
) {
    if n == 0 {
        return;
    }
    let tau_ptr = tau.as_mut_ptr();
    match uplo {
        Uplo::Upper => {
            make_real(a, n - 1, n - 1);
            for i in (0..n - 1).rev() {
                // H(i) annihilates A(0..i, i+1); len = i + 1 entries with the unit.
                let len = i + 1;
                let v = a.at(0, i + 1).ptr;
                let mut alpha = a.get(i, i + 1);
                let taui = reflector(len, &mut alpha, v);
                e[i] = alpha.re();
                if !taui.is_zero() {
                    a.set(i, i + 1, T::one());
                    // w is kept in tau(0..len).
                    two_sided_update(uplo, a, len, taui, v, tau_ptr);
                } else {
                    make_real(a, i, i);
                }
                a.set(i, i + 1, T::from_real(e[i]));
                d[i + 1] = a.get(i + 1, i + 1).re();
                tau[i] = taui;
            }
            d[0] = a.get(0, 0).re();
        }
        Uplo::Lower => {
            make_real(a, 0, 0);
            for i in 0..n - 1 {
                // H(i) annihilates A(i+2.., i); len = n - i - 1 entries with the unit.
                let len = n - i - 1;
                let v = a.at(i + 1, i).ptr;
                let mut alpha = a.get(i + 1, i);
                let taui = reflector(len, &mut alpha, a.at((i + 2).min(n - 1), i).ptr);
                e[i] = alpha.re();
                if !taui.is_zero() {
                    a.set(i + 1, i, T::one());
                    // w is kept in tau(i..n - 1).
                    two_sided_update(uplo, a.at(i + 1, i + 1), len, taui, v, tau_ptr.add(i));
                } else {
                    make_real(a, i + 1, i + 1);
                }
                a.set(i + 1, i, T::from_real(e[i]));
                d[i] = a.get(i, i).re();
                tau[i] = taui;
            }
            d[n - 1] = a.get(n - 1, n - 1).re();
        }
    }
}

/// One GEMV y := alpha op(A) x + beta y with unit-stride y (A m x n as stored).
#[allow(clippy::too_many_arguments)]
unsafe fn gemv<T: Scalar>(
    trans: Trans,
    (m, n): (usize, usize),
    alpha: T,
    a: RawMat<T>,
    (x, incx): (*const T, usize),
    beta: T,
    y: *mut T,
) {
    level2::mv(
        trans,
        full(a, m, None),
        (m, n),
        alpha,
        (x, incx as isize),
        beta,
        (y, 1),
    );
}

/// xLATRD: reduces nb rows and columns of the n x n Hermitian A to tridiagonal form
/// (the last nb for Upper, the first nb for Lower) and returns in W (n x nb) the
/// matrix with which the rest is updated, A := A - V W^H - W V^H.
///
/// # Safety
/// `a` valid for n x n, `w` for n x nb.
unsafe fn latrd<T: Scalar>(
    uplo: Uplo,
    n: usize,
    nb: usize,
    a: RawMat<T>,
    e: &mut [T::RealPart],
    tau: &mut [T],
    w: RawMat<T>,
) {
    let (one, zero, minus_one) = (T::one(), T::zero(), -T::one());
    let ct = adjoint::<T>();
    let (lda, ldw) = (a.ld, w.ld);
    match uplo {
        Uplo::Upper => {
            for i in (n - nb..n).rev() {
                let iw = i + nb - n;
                let right = n - 1 - i;
                if right > 0 {
                    // Update A(0..=i, i) with the panel's earlier columns.
                    make_real(a, i, i);
                    conjugate(right, w.at(i, iw + 1).ptr, ldw);
                    gemv(
                        Trans::No,
                        (i + 1, right),
                        minus_one,
                        a.at(0, i + 1),
                        (w.at(i, iw + 1).ptr, ldw),
                        one,
                        a.at(0, i).ptr,
                    );
                    conjugate(right, w.at(i, iw + 1).ptr, ldw);
                    conjugate(right, a.at(i, i + 1).ptr, lda);
                    gemv(
                        Trans::No,
                        (i + 1, right),
                        minus_one,
                        w.at(0, iw + 1),
                        (a.at(i, i + 1).ptr, lda),
                        one,
                        a.at(0, i).ptr,
                    );
                    conjugate(right, a.at(i, i + 1).ptr, lda);
                    make_real(a, i, i);
                }
                if i > 0 {
                    // The reflector annihilating A(0..i-1, i), and column iw of W.
                    let v = a.at(0, i).ptr;
                    let wcol = w.at(0, iw).ptr;
                    let mut alpha = a.get(i - 1, i);
                    tau[i - 1] = reflector(i, &mut alpha, v);
                    e[i - 1] = alpha.re();
                    a.set(i - 1, i, one);
                    hermitian_mv::hermitian_mv(
                        Uplo::Upper,
                        full(a, i, Some(Uplo::Upper)),
                        i,
                        one,
                        (v, 1),
                        zero,
                        (wcol, 1),
                    );
                    if right > 0 {
                        let below = w.at(i + 1, iw).ptr;
                        gemv(ct, (i, right), one, w.at(0, iw + 1), (v, 1), zero, below);
                        gemv(
                            Trans::No,
                            (i, right),
                            minus_one,
                            a.at(0, i + 1),
                            (below, 1),
                            one,
                            wcol,
                        );
                        gemv(ct, (i, right), one, a.at(0, i + 1), (v, 1), zero, below);
                        gemv(
                            Trans::No,
                            (i, right),
                            minus_one,
                            w.at(0, iw + 1),
                            (below, 1),
                            one,
                            wcol,
                        );
                    }
                    level1::scal(i as i64, tau[i - 1], wcol, 1);
                    let alpha = half_correction(tau[i - 1], i, wcol, v);
                    level1::axpy(i as i64, alpha, v, 1, wcol, 1);
                }
            }
        }
        Uplo::Lower => {
            for i in 0..nb {
                // Update A(i.., i) with the panel's earlier columns.
                make_real(a, i, i);
                conjugate(i, w.at(i, 0).ptr, ldw);
                gemv(
                    Trans::No,
                    (n - i, i),
                    minus_one,
                    a.at(i, 0),
                    (w.at(i, 0).ptr, ldw),
                    one,
                    a.at(i, i).ptr,
                );
                conjugate(i, w.at(i, 0).ptr, ldw);
                conjugate(i, a.at(i, 0).ptr, lda);
                gemv(
                    Trans::No,
                    (n - i, i),
                    minus_one,
                    w.at(i, 0),
                    (a.at(i, 0).ptr, lda),
                    one,
                    a.at(i, i).ptr,
                );
                conjugate(i, a.at(i, 0).ptr, lda);
                make_real(a, i, i);
                if i + 1 < n {
                    // The reflector annihilating A(i+2.., i), and column i of W.
                    let len = n - i - 1;
                    let v = a.at(i + 1, i).ptr;
                    let wcol = w.at(i + 1, i).ptr;
                    let top = w.at(0, i).ptr;
                    let mut alpha = a.get(i + 1, i);
                    tau[i] = reflector(len, &mut alpha, a.at((i + 2).min(n - 1), i).ptr);
                    e[i] = alpha.re();
                    a.set(i + 1, i, one);
                    hermitian_mv::hermitian_mv(
                        Uplo::Lower,
                        full(a.at(i + 1, i + 1), len, Some(Uplo::Lower)),
                        len,
                        one,
                        (v, 1),
                        zero,
                        (wcol, 1),
                    );
                    gemv(ct, (len, i), one, w.at(i + 1, 0), (v, 1), zero, top);
                    gemv(
                        Trans::No,
                        (len, i),
                        minus_one,
                        a.at(i + 1, 0),
                        (top, 1),
                        one,
                        wcol,
                    );
                    gemv(ct, (len, i), one, a.at(i + 1, 0), (v, 1), zero, top);
                    gemv(
                        Trans::No,
                        (len, i),
                        minus_one,
                        w.at(i + 1, 0),
                        (top, 1),
                        one,
                        wcol,
                    );
                    level1::scal(len as i64, tau[i], wcol, 1);
                    let alpha = half_correction(tau[i], len, wcol, v);
                    level1::axpy(len as i64, alpha, v, 1, wcol, 1);
                }
            }
        }
    }
}

/// xORGTR/xUNGTR: overwrites A, holding [`sytrd`]'s reflectors in its `uplo` triangle,
/// with the n x n unitary Q of Q^H A Q = T.
///
/// # Safety
/// `a` valid for n x n, `tau` has n - 1 entries.
pub unsafe fn orgtr<T: Scalar>(uplo: Uplo, n: usize, a: RawMat<T>, tau: &[T]) {
    if n == 0 {
        return;
    }
    let m = n - 1;
    match uplo {
        Uplo::Lower => {
            // Q = diag(1, Q'), Q' from the reflectors shifted one column right (xORGQR).
            for j in (1..n).rev() {
                a.set(0, j, T::zero());
                for i in j + 1..n {
                    a.set(i, j, a.get(i, j - 1));
                }
            }
            a.set(0, 0, T::one());
            for i in 1..n {
                a.set(i, 0, T::zero());
            }
            qr::orgqr(m, m, m, a.at(1, 1), tau);
        }
        Uplo::Upper => {
            // Q = diag(Q', 1) with Q' = H(m-1) ... H(0) (xORGQL). Reversing rows and
            // columns turns the QL reflectors into QR ones in QR's order: Q' = P G P
            // with G from xORGQR on the reversed vectors and P the reversal.
            let mut g = vec![T::zero(); m * m];
            let gm = RawMat::new(g.as_mut_ptr(), m.max(1));
            for k in 0..m {
                let c = m - 1 - k;
                for r in 0..c {
                    gm.set(m - 1 - r, k, a.get(r, c + 1));
                }
            }
            let reversed: Vec<T> = tau[..m].iter().rev().copied().collect();
            qr::orgqr(m, m, m, gm, &reversed);
            for c in 0..m {
                for r in 0..m {
                    a.set(r, c, gm.get(m - 1 - r, m - 1 - c));
                }
                a.set(m, c, T::zero());
                a.set(c, m, T::zero());
            }
            a.set(m, m, T::one());
        }
    }
}
