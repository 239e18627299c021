//! The Schur form of a large real upper Hessenberg matrix by LAPACK's multishift QR
//! (xLAQR0): each iteration first tries aggressive early deflation on a window at the
//! bottom of the active block (xLAQR3), then, unless that deflated enough, chases a chain
//! of small bulges down the block with the window's leftover eigenvalues as shifts
//! (xLAQR5). The chase runs on a copy of a diagonal window at a time and collects its
//! reflections in one orthogonal matrix U, so that the rest of H and all of Z are updated
//! by matrix products. Active blocks below [`SMALL_BLOCK`] run the double-shift QR of
//! [`crate::lapack::schur`] (xLAHQR), as in LAPACK; so do whole matrices below
//! [`MULTISHIFT_FROM`], where it is as fast or faster here.

use crate::blas::args::{Side, Trans};
use crate::blas::level3;
use crate::lapack::householder::{apply_left, apply_right, reflector};
use crate::lapack::raw::RawMat;
use crate::lapack::schur::{self, standardize};
use crate::lapack::schur_reorder::move_up;
use crate::lapack::widen::copy_in;
use crate::lapack::{hessenberg, qr};
use crate::scalar::Real;

/// Active blocks and deflation windows smaller than this run the double-shift QR
/// (LAPACK's NMIN).
const SMALL_BLOCK: usize = 75;
/// Matrices from this order take the multishift QR. Measured (dgees, 2 threads, ms,
/// double-shift / multishift): 240 24-26 / 25-30, 280 36-55 / 31-36, 360 74 / 55.
pub const MULTISHIFT_FROM: usize = 256;
/// No sweep after an aggressive deflation that removed more than this percentage of
/// the window (LAPACK's NIBBLE).
const SKIP_SWEEP_PERCENT: usize = 14;
/// Exceptional shifts after this many iterations without a deflation (KEXSH).
const EXCEPTIONAL_EVERY: usize = 6;
/// The window doubles after this many iterations without a deflation (KEXNW).
const WIDEN_AFTER: usize = 5;
/// Exceptional shifts' constants (WILK1, WILK2).
const WILK1: f64 = 0.75;
const WILK2: f64 = -0.4375;

/// Shifts per sweep for an active block of order nh (LAPACK's IPARMQ), even.
fn shift_count(nh: usize) -> usize {
    let ns = match nh {
        0..30 => 2,
        30..60 => 4,
        60..150 => 10,
        150..590 => ((nh as f64) / (nh as f64).log2().round()) as usize,
        590..3000 => 64,
        3000..6000 => 128,
        _ => 256,
    };
    let ns = ns.max(if nh >= 150 { 10 } else { 2 });
    ns - ns % 2
}

/// The deflation window for an active block of order nh (IPARMQ's NW).
fn window_size(nh: usize) -> usize {
    let ns = shift_count(nh);
    if nh <= 500 {
        ns
    } else {
        3 * ns / 2
    }
}

/// Real xHSEQR('S'): rows and columns `lo..=hi` of the n x n Hessenberg `h` are reduced
/// to Schur form (H := Z^T H Z on the whole of H, Z accumulated when given); the
/// eigenvalues (re, im) go to `w`. Returns LAPACK's INFO: 0, or i (1-based) when the
/// iteration stopped with rows up to i unfinished.
///
/// # Safety
/// `h` valid for n x n, `z` for n x n when given, `w` has n entries.
pub unsafe fn real_schur<R: Real>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
    w: &mut [(R, R)],
) -> usize {
    if n == 0 || hi + 1 - lo < MULTISHIFT_FROM {
        return schur::real_hqr(n, lo, hi, h, z, w);
    }
    real_multishift(n, lo, hi, h, z, w)
}

/// [`real_schur`] by the multishift QR at any order.
///
/// # Safety
/// As for [`real_schur`]; n > 0.
pub unsafe fn real_multishift<R: Real>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
    w: &mut [(R, R)],
) -> usize {
    for i in (0..lo).chain(hi + 1..n) {
        w[i] = (h.get(i, i), R::zero());
    }
    multishift(n, lo, hi, h, z, w, false)
}

/// xLAQR0 on rows and columns `lo..=hi`; `nested` when this is a deflation window's own
/// QR, whose windows then take the double-shift QR (LAPACK's xLAQR4 and xLAQR2).
unsafe fn multishift<R: Real>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
    w: &mut [(R, R)],
    nested: bool,
) -> usize {
    let zero = R::zero();
    let nh = hi + 1 - lo;
    let ulp = schur::precision::<R>();
    let tol = (ulp, R::safe_min() * (R::from_f64(nh as f64) / ulp));
    // The sweeps' windows copy everything below the diagonal: it must be zero.
    for j in lo..=hi {
        for i in j + 2..=hi {
            h.set(i, j, zero);
        }
    }
    let ns_max = shift_count(nh);
    let nw_max = window_size(nh);
    let nw_bound = nw_max.max((n - 1) / 3).min(nh);
    let mut nw = nw_max;
    let mut without_deflation = 1;
    // kbot: one past the last row of the active block (0 when all converged).
    let mut kbot = hi + 1;
    for _ in 0..30 * nh.max(10) {
        if kbot <= lo {
            return 0;
        }
        let last = kbot - 1;
        let ktop = active_top(lo, last, h, tol);
        let active = last + 1 - ktop;
        if active < SMALL_BLOCK {
            let info = small_qr(n, ktop, last, h, z, w);
            if info > 0 {
                return info;
            }
            kbot = ktop;
            continue;
        }
        nw = if without_deflation < WIDEN_AFTER {
            nw_max.min(nw_bound)
        } else {
            (2 * nw).min(nw_bound)
        };
        nw = nw.min(active);
        if nw < nw_bound {
            if nw + 1 >= active {
                nw = active;
            } else {
                let kwtop = last + 1 - nw;
                if h.get(kwtop, kwtop - 1).abs() > h.get(kwtop - 1, kwtop - 2).abs() {
                    nw += 1;
                }
            }
        }
        let window = Window {
            n,
            ktop,
            last,
            size: nw,
            nested,
        };
        let (deflated, undeflated) = deflate_window(window, h, z, w, tol);
        kbot -= deflated;
        without_deflation = if deflated > 0 {
            1
        } else {
            without_deflation + 1
        };
        let remaining = kbot - ktop;
        let sweep_needed = deflated == 0
            || (100 * deflated <= nw * SKIP_SWEEP_PERCENT && remaining > SMALL_BLOCK.min(nw_max));
        if !sweep_needed {
            continue;
        }
        let last = kbot - 1;
        let mut ns = ns_max.min(remaining - 1).max(2);
        ns -= ns % 2;
        let mut ks = kbot - undeflated;
        if without_deflation.is_multiple_of(EXCEPTIONAL_EVERY) {
            ks = kbot - ns;
            exceptional_shifts(ktop, last, ks, h, w);
        } else {
            if kbot - ks <= ns / 2 {
                ks = kbot - ns;
                ks = shifts_of_trailing_block(ks, last, h, w);
            }
            if kbot - ks > ns {
                sort_by_magnitude(&mut w[ks..kbot]);
            }
            pair_up(&mut w[ks..kbot]);
        }
        if kbot - ks == 2 && w[last].1 == zero {
            // Two real shifts: the one closer to H(last, last) twice.
            let corner = h.get(last, last);
            if (w[last].0 - corner).abs() < (w[last - 1].0 - corner).abs() {
                w[last - 1] = w[last];
            } else {
                w[last] = w[last - 1];
            }
        }
        ns = ns.min(kbot - ks);
        ns -= ns % 2;
        ks = kbot - ns;
        let shifts = w[ks..kbot].to_vec();
        sweep(n, ktop, last, &shifts, h, z);
    }
    kbot
}

/// The top row of the active block ending at `last`: the search upwards for a
/// negligible subdiagonal entry (xLAHQR's test), which is set to zero.
unsafe fn active_top<R: Real>(lo: usize, last: usize, h: RawMat<R>, tol: (R, R)) -> usize {
    let abs = |i: usize, j: usize| h.get(i, j).abs();
    let diff = |k: usize| (h.get(k - 1, k - 1) - h.get(k, k)).abs();
    let k = schur::negligible_subdiagonal((lo, last, lo, last), tol, abs, abs, diff);
    if k > lo {
        h.set(k, k - 1, R::zero());
    }
    k
}

/// The double-shift QR on the active block `ktop..=last` of the whole H and Z.
unsafe fn small_qr<R: Real>(
    n: usize,
    ktop: usize,
    last: usize,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
    w: &mut [(R, R)],
) -> usize {
    let mut values = vec![(R::zero(), R::zero()); n];
    let info = schur::real_sweeps(n, ktop, last, h, z, &mut values);
    w[ktop..=last].copy_from_slice(&values[ktop..=last]);
    info
}

/// LAPACK's exceptional shifts from the subdiagonal at the bottom of the block.
unsafe fn exceptional_shifts<R: Real>(
    ktop: usize,
    last: usize,
    ks: usize,
    h: RawMat<R>,
    w: &mut [(R, R)],
) {
    let mut i = last;
    while i >= (ks + 1).max(ktop + 2) {
        let ss = h.get(i, i - 1).abs() + h.get(i - 1, i - 2).abs();
        let aa = R::from_f64(WILK1) * ss + h.get(i, i);
        let s = standardize(aa, ss, R::from_f64(WILK2) * ss, aa);
        w[i - 1] = s.values[0];
        w[i] = s.values[1];
        i -= 2;
    }
    if ks == ktop {
        w[ks + 1] = (h.get(ks + 1, ks + 1), R::zero());
        w[ks] = w[ks + 1];
    }
}

/// Shifts when the window left too few: the eigenvalues of the trailing block
/// `ks..=last` (a copy). Returns the first row whose value converged.
unsafe fn shifts_of_trailing_block<R: Real>(
    ks: usize,
    last: usize,
    h: RawMat<R>,
    w: &mut [(R, R)],
) -> usize {
    let m = last + 1 - ks;
    let ld = m | 1;
    let mut copy = vec![R::zero(); ld * m];
    let c = RawMat::new(copy.as_mut_ptr(), ld);
    copy_hessenberg(m, h.at(ks, ks), c);
    let mut values = vec![(R::zero(), R::zero()); m];
    let info = schur::real_sweeps(m, 0, m - 1, c, None, &mut values);
    w[ks + info..=last].copy_from_slice(&values[info..]);
    let ks = ks + info;
    if ks >= last {
        let s = standardize(
            h.get(last - 1, last - 1),
            h.get(last - 1, last),
            h.get(last, last - 1),
            h.get(last, last),
        );
        w[last - 1] = s.values[0];
        w[last] = s.values[1];
        return last - 1;
    }
    ks
}

/// Bubble sort by decreasing |re| + |im| (stable: conjugate pairs stay together).
fn sort_by_magnitude<R: Real>(w: &mut [(R, R)]) {
    let size = |v: (R, R)| v.0.abs() + v.1.abs();
    let mut sorted = false;
    while !sorted {
        sorted = true;
        for i in 0..w.len().saturating_sub(1) {
            if size(w[i]) < size(w[i + 1]) {
                w.swap(i, i + 1);
                sorted = false;
            }
        }
    }
}

/// Shuffles the shifts into pairs of real shifts and complex conjugate pairs (which
/// arrive adjacent), from the bottom, as xLAQR0 does.
fn pair_up<R: Real>(w: &mut [(R, R)]) {
    let mut i = w.len();
    while i >= 3 {
        let k = i - 1;
        if w[k].1 != -w[k - 1].1 {
            w[k - 2..=k].rotate_right(1);
        }
        i -= 2;
    }
}

/// The deflation window at the bottom of an active block.
#[derive(Clone, Copy)]
struct Window {
    n: usize,
    ktop: usize,
    last: usize,
    size: usize,
    nested: bool,
}

/// xLAQR3: the Schur form of the window, its eigenvalues whose spike entries are
/// negligible deflated at the bottom, the rest moved up and the window returned to
/// Hessenberg form. The window's eigenvalues go to `w`; returns (deflated, undeflated),
/// the undeflated ones at the top of the window's part of `w`. (0, 0) when the window's
/// own QR failed (nothing changed).
unsafe fn deflate_window<R: Real>(
    win: Window,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
    w: &mut [(R, R)],
    (ulp, smlnum): (R, R),
) -> (usize, usize) {
    let (zero, one) = (R::zero(), R::one());
    let Window { n, ktop, last, .. } = win;
    let jw = win.size.min(last + 1 - ktop);
    let kwtop = last + 1 - jw;
    let mut s = if kwtop == ktop {
        zero
    } else {
        h.get(kwtop, kwtop - 1)
    };
    if jw == 1 {
        let d = h.get(kwtop, kwtop);
        w[kwtop] = (d, zero);
        if s.abs() <= smlnum.max(ulp * d.abs()) {
            if kwtop > ktop {
                h.set(kwtop, kwtop - 1, zero);
            }
            return (1, 0);
        }
        return (0, 1);
    }
    let ld = jw | 1;
    let mut t_store = vec![zero; ld * jw];
    let mut v_store = vec![zero; ld * jw];
    let t = RawMat::new(t_store.as_mut_ptr(), ld);
    let v = RawMat::new(v_store.as_mut_ptr(), ld);
    copy_hessenberg(jw, h.at(kwtop, kwtop), t);
    for j in 0..jw {
        v.set(j, j, one);
    }
    let mut values = vec![(zero, zero); jw];
    let info = if win.nested || jw < SMALL_BLOCK {
        schur::real_sweeps(jw, 0, jw - 1, t, Some(v), &mut values)
    } else {
        multishift(jw, 0, jw - 1, t, Some(v), &mut values, true)
    };
    if info > 0 {
        return (0, 0);
    }
    // From the bottom: a block whose spike entries are negligible deflates; any other
    // moves up to the top of the undeflated part.
    let mut ns = jw;
    let mut top = 0;
    while top < ns {
        let pair = ns >= 2 && t.get(ns - 1, ns - 2) != zero;
        let first = if pair { ns - 2 } else { ns - 1 };
        let mut size = t.get(ns - 1, ns - 1).abs();
        let mut spike = (s * v.get(0, ns - 1)).abs();
        if pair {
            size += t.get(ns - 1, ns - 2).abs().sqrt() * t.get(ns - 2, ns - 1).abs().sqrt();
            spike = spike.max((s * v.get(0, ns - 2)).abs());
        }
        if size == zero {
            size = s.abs();
        }
        if spike <= smlnum.max(ulp * size) {
            ns = first;
        } else {
            // A rejected swap leaves the rest undeflated.
            if !move_up(jw, t, Some(v), first, top) {
                break;
            }
            top += ns - first;
        }
    }
    if ns == 0 {
        s = zero;
    }
    read_values(jw, t, &mut w[kwtop..=last]);
    if ns < jw || s == zero {
        if ns > 1 && s != zero {
            // Reflect the spike back into one entry, then Hessenberg form again.
            let mut spike: Vec<R> = (0..ns).map(|j| v.get(0, j)).collect();
            let mut beta = spike[0];
            let tau = reflector(ns, &mut beta, spike.as_mut_ptr().add(1));
            spike[0] = one;
            for j in 0..jw {
                for i in j + 2..jw {
                    t.set(i, j, zero);
                }
            }
            apply_left(ns, jw, spike.as_ptr(), tau, t);
            apply_right(ns, ns, spike.as_ptr(), tau, t);
            apply_right(jw, ns, spike.as_ptr(), tau, v);
            // xGEHRD on T's leading ns x ns block (its rows to column jw), xORMHR into V;
            // the reflectors left below T's subdiagonal are not copied back.
            let mut taus = vec![zero; jw - 1];
            hessenberg::gehrd(jw, 0, ns - 1, t, &mut taus);
            let shape = (jw, ns - 1, ns - 2);
            qr::ormqr(Side::Right, Trans::No, shape, t.at(1, 0), &taus, v.at(0, 1));
        }
        if kwtop > 0 {
            h.set(kwtop, kwtop - 1, s * v.get(0, 0));
        }
        copy_hessenberg(jw, t, h.at(kwtop, kwtop));
        update_outside(n, (kwtop, last), v, h, z);
    }
    (jw - ns, ns)
}

/// The eigenvalues of the quasi-triangular `t` (its 2 x 2 blocks in standard form).
unsafe fn read_values<R: Real>(m: usize, t: RawMat<R>, w: &mut [(R, R)]) {
    let mut i = 0;
    while i < m {
        if i + 1 < m && t.get(i + 1, i) != R::zero() {
            let s = standardize(
                t.get(i, i),
                t.get(i, i + 1),
                t.get(i + 1, i),
                t.get(i + 1, i + 1),
            );
            w[i] = s.values[0];
            w[i + 1] = s.values[1];
            i += 2;
        } else {
            w[i] = (t.get(i, i), R::zero());
            i += 1;
        }
    }
}

/// After a window `rows.0..=rows.1` of H changed by H_w := U^T H_w U: the columns above
/// it times U, the rows to its right U^T times them, and Z's columns times U.
unsafe fn update_outside<R: Real>(
    n: usize,
    (w0, w1): (usize, usize),
    u: RawMat<R>,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
) {
    let wl = w1 + 1 - w0;
    let (one, zero) = (R::one(), R::zero());
    // C (m x wl) := C U through a copy of C.
    let times_u = |c: RawMat<R>, m: usize| {
        if m == 0 {
            return;
        }
        let copy: Vec<R> = copy_in(c, m, wl);
        level3::gemm_any_order(
            Trans::No,
            Trans::No,
            (m, wl, wl),
            one,
            (copy.as_ptr(), m),
            u.arg_const(),
            zero,
            c.arg(),
        );
    };
    times_u(h.at(0, w0), w0);
    if let Some(z) = z {
        times_u(z.at(0, w0), n);
    }
    // C (wl x right) := U^T C.
    let right = n - w1 - 1;
    if right > 0 {
        let c = h.at(w0, w1 + 1);
        let copy: Vec<R> = copy_in(c, wl, right);
        level3::gemm_any_order(
            Trans::Trans,
            Trans::No,
            (wl, right, wl),
            one,
            u.arg_const(),
            (copy.as_ptr(), wl),
            zero,
            c.arg(),
        );
    }
}

/// The upper Hessenberg part of the m x m `from` into `to`.
unsafe fn copy_hessenberg<R: Real>(m: usize, from: RawMat<R>, to: RawMat<R>) {
    for j in 0..m {
        for i in 0..=(j + 1).min(m - 1) {
            to.set(i, j, from.get(i, j));
        }
    }
}

/// xLAQR5: one sweep of shifts.len() / 2 bulges (pairs of shifts, real or conjugate)
/// through the active block `ktop..=last`, three rows apart.
///
/// Bulge b (introduced at step 3b; b = 0 first, with the last pair of shifts) sits at
/// step t at position k = ktop - 1 + t - 3b: its reflector acts on rows and columns
/// k+1..=k+3. Steps run in slabs; a slab's reflections touch only a diagonal window
/// (columns up to k+3, fill down to row k+4), which is chased on a copy while U collects
/// the reflections; the rest of H and Z are then updated through U.
unsafe fn sweep<R: Real>(
    n: usize,
    ktop: usize,
    last: usize,
    shifts: &[(R, R)],
    h: RawMat<R>,
    z: Option<RawMat<R>>,
) {
    let bulges = shifts.len() / 2;
    if bulges == 0 || last < ktop + 2 {
        return;
    }
    // Positions are offset by one (p = k + 1) to stay unsigned: p = ktop introduces.
    let last_p = last - 1;
    let position = |t: usize, b: usize| {
        (ktop + t)
            .checked_sub(3 * b)
            .filter(|&p| p >= ktop && p <= last_p)
    };
    let steps_total = 3 * (bulges - 1) + (last_p - ktop) + 1;
    let slab = 3 * bulges;
    let mut t0 = 0;
    while t0 < steps_total {
        let t1 = (t0 + slab).min(steps_total);
        let (mut p_min, mut p_max) = (usize::MAX, 0);
        for t in t0..t1 {
            for b in 0..bulges {
                if let Some(p) = position(t, b) {
                    p_min = p_min.min(p);
                    p_max = p_max.max(p);
                }
            }
        }
        // Window: row/column k = p - 1 (the column a chase step zeroes; none for an
        // introduction) through k + 4.
        let w0 = p_min.max(ktop + 1) - 1;
        let w1 = (p_max + 3).min(last);
        let wl = w1 + 1 - w0;
        let ld = wl | 1;
        let mut local = vec![R::zero(); ld * wl];
        let mut u_store = vec![R::zero(); ld * wl];
        let a = RawMat::new(local.as_mut_ptr(), ld);
        let u = RawMat::new(u_store.as_mut_ptr(), ld);
        for j in 0..wl {
            for i in 0..wl {
                a.set(i, j, h.get(w0 + i, w0 + j));
            }
            u.set(j, j, R::one());
        }
        for t in t0..t1 {
            for b in 0..bulges {
                let Some(p) = position(t, b) else { continue };
                let pair = bulges - 1 - b;
                let s = (shifts[2 * pair], shifts[2 * pair + 1]);
                chase_step((p, p == ktop), (w0, w1), last, s, a, u);
            }
        }
        for j in 0..wl {
            for i in 0..wl {
                h.set(w0 + i, w0 + j, a.get(i, j));
            }
        }
        update_outside(n, (w0, w1), u, h, z);
        t0 = t1;
    }
}

/// One reflection of the chase in the window copy `a` (rows and columns w0..=w1 of H):
/// at p = ktop (an introduction, `a` row 0 is ktop) from the shifts, else from column
/// p - 1 below the diagonal; applied to rows p..p+nr within the window's columns, to
/// columns p..p+nr down to row p + 3, and to U's columns.
unsafe fn chase_step<R: Real>(
    (p, introduce): (usize, bool),
    (w0, w1): (usize, usize),
    last: usize,
    shifts: ((R, R), (R, R)),
    a: RawMat<R>,
    u: RawMat<R>,
) {
    let zero = R::zero();
    let nr = 3.min(last + 1 - p);
    let r = p - w0;
    let wl = w1 + 1 - w0;
    let mut v = [zero; 3];
    if introduce {
        v = schur::shift_column(a, 0, shifts);
    } else {
        for (i, x) in v.iter_mut().enumerate().take(nr) {
            *x = a.get(r + i, r - 1);
        }
    }
    let mut beta = v[0];
    let tau = reflector(nr, &mut beta, v.as_mut_ptr().add(1));
    if !introduce {
        a.set(r, r - 1, beta);
        for i in 1..nr {
            a.set(r + i, r - 1, zero);
        }
    }
    let rows = (r + nr + 1).min(wl);
    if nr == 3 {
        let reflection = [v[1], v[2], tau, tau * v[1], tau * v[2]];
        reflect_rows(a.at(r, r), wl - r, reflection);
        schur::reflect_columns(a.at(0, r), rows, reflection);
        schur::reflect_columns(u.at(0, r), wl, reflection);
    } else {
        v[0] = R::one();
        apply_left(nr, wl - r, v.as_ptr(), tau, a.at(r, r));
        apply_right(rows, nr, v.as_ptr(), tau, a.at(0, r));
        apply_right(wl, nr, v.as_ptr(), tau, u.at(0, r));
    }
}

/// Rows 0, 1, 2 of `c` (columns 0..cols) times I - t (1, v2, v3) (1, v2, v3)^T, with
/// `reflection` = [v2, v3, t, t v2, t v3].
unsafe fn reflect_rows<R: Real>(c: RawMat<R>, cols: usize, reflection: [R; 5]) {
    let [v2, v3, t1, t2, t3] = reflection;
    for j in 0..cols {
        let column = c.at(0, j).ptr;
        let (x0, x1, x2) = (*column, *column.add(1), *column.add(2));
        let sum = x0 + v2 * x1 + v3 * x2;
        *column = x0 - sum * t1;
        *column.add(1) = x1 - sum * t2;
        *column.add(2) = x2 - sum * t3;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::reals;

    /// Checks T = Z^T H0 Z, Z^T Z = I, T's quasi-triangular standard form and `w` against
    /// T's blocks; returns the two Netlib-style ratios.
    fn check(n: usize, h0: &[f64], t: &[f64], z: &[f64], w: &[(f64, f64)]) -> (f64, f64) {
        let at = |m: &[f64], i: usize, j: usize| m[i + j * n];
        let ulp = f64::EPSILON * 2.0;
        let norm = h0
            .iter()
            .map(|x| x * x)
            .sum::<f64>()
            .sqrt()
            .max(f64::MIN_POSITIVE);
        // H0 Z, then Z^T (H0 Z) - T.
        let mut hz = vec![0.0; n * n];
        for j in 0..n {
            for k in 0..n {
                let zkj = at(z, k, j);
                for i in 0..n {
                    hz[i + j * n] += at(h0, i, k) * zkj;
                }
            }
        }
        let (mut residual, mut orthogonality) = (0.0f64, 0.0f64);
        for j in 0..n {
            for i in 0..n {
                let (mut ztz, mut zthz) = (0.0, 0.0);
                for k in 0..n {
                    ztz += at(z, k, i) * at(z, k, j);
                    zthz += at(z, k, i) * hz[k + j * n];
                }
                let delta = if i == j { 1.0 } else { 0.0 };
                orthogonality += (ztz - delta) * (ztz - delta);
                residual += (zthz - at(t, i, j)).powi(2);
            }
        }
        // Quasi-triangular, 2 x 2 blocks standardized and never adjacent.
        for j in 0..n {
            for i in j + 2..n {
                assert_eq!(at(t, i, j), 0.0, "T({i}, {j}) below the subdiagonal");
            }
        }
        let mut i = 0;
        while i < n {
            if i + 1 < n && at(t, i + 1, i) != 0.0 {
                assert!(
                    i + 2 >= n || at(t, i + 2, i + 1) == 0.0,
                    "adjacent blocks at {i}"
                );
                assert_eq!(at(t, i, i), at(t, i + 1, i + 1), "block {i} not standard");
                assert!(
                    at(t, i, i + 1) * at(t, i + 1, i) < 0.0,
                    "block {i} has real values"
                );
                let im = at(t, i, i + 1).abs().sqrt() * at(t, i + 1, i).abs().sqrt();
                assert_eq!(w[i].0, at(t, i, i));
                assert!((w[i].1 - im).abs() <= 4.0 * ulp * im && w[i + 1].1 == -w[i].1);
                i += 2;
            } else {
                assert_eq!(w[i], (at(t, i, i), 0.0), "eigenvalue {i}");
                i += 1;
            }
        }
        let nf = n as f64;
        (
            residual.sqrt() / (nf * norm * ulp),
            orthogonality.sqrt() / (nf * ulp),
        )
    }

    /// Runs the multishift QR on `h0` (rows and columns lo..=hi) and checks the result.
    fn schur_of(n: usize, (lo, hi): (usize, usize), h0: &[f64]) -> Vec<(f64, f64)> {
        let mut t = h0.to_vec();
        let mut z = vec![0.0; n * n];
        for i in 0..n {
            z[i + i * n] = 1.0;
        }
        let mut w = vec![(0.0, 0.0); n];
        let info = unsafe {
            real_multishift(
                n,
                lo,
                hi,
                RawMat::new(t.as_mut_ptr(), n),
                Some(RawMat::new(z.as_mut_ptr(), n)),
                &mut w,
            )
        };
        assert_eq!(info, 0, "order {n}");
        let (residual, orthogonality) = check(n, h0, &t, &z, &w);
        assert!(residual < 30.0, "order {n}: residual ratio {residual}");
        assert!(
            orthogonality < 30.0,
            "order {n}: orthogonality ratio {orthogonality}"
        );
        // Without Z: the same eigenvalues to the bit.
        let mut t2 = h0.to_vec();
        let mut w2 = vec![(0.0, 0.0); n];
        let info =
            unsafe { real_multishift(n, lo, hi, RawMat::new(t2.as_mut_ptr(), n), None, &mut w2) };
        assert_eq!(info, 0);
        assert!(w == w2, "order {n}: eigenvalues depend on Z");
        w
    }

    fn random_hessenberg(n: usize, seed: u64) -> Vec<f64> {
        let entries = reals(n * n, seed);
        let mut h = vec![0.0; n * n];
        for j in 0..n {
            for i in 0..n.min(j + 2) {
                h[i + j * n] = entries[i + j * n];
            }
        }
        h
    }

    fn sorted(mut w: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
        w.sort_by(|a, b| a.partial_cmp(b).unwrap());
        w
    }

    /// The Hessenberg form of a random dense matrix (as xGEES and xGEEV pass it).
    fn reduced_random(n: usize, seed: u64) -> Vec<f64> {
        let mut a = reals(n * n, seed);
        let mut tau = vec![0.0; n];
        unsafe { hessenberg::gehrd(n, 0, n - 1, RawMat::new(a.as_mut_ptr(), n), &mut tau) };
        for j in 0..n {
            for i in j + 2..n {
                a[i + j * n] = 0.0;
            }
        }
        a
    }

    /// Every path: the double-shift QR below 75, windows of the double-shift QR, windows
    /// of their own multishift QR (from 590 the window is 96 wide), on random Hessenberg
    /// matrices and on reduced dense ones; the latter's (well-conditioned) eigenvalues
    /// agree with the double-shift QR's.
    #[test]
    fn random_matrices_against_double_shift() {
        for (n, seed) in [(74, 1), (75, 2), (120, 3), (260, 4), (700, 5)] {
            schur_of(n, (0, n - 1), &random_hessenberg(n, seed));
            let h0 = reduced_random(n, seed + 10);
            let w = sorted(schur_of(n, (0, n - 1), &h0));
            let mut t = h0.clone();
            let mut reference = vec![(0.0, 0.0); n];
            let info = unsafe {
                schur::real_hqr(
                    n,
                    0,
                    n - 1,
                    RawMat::new(t.as_mut_ptr(), n),
                    None,
                    &mut reference,
                )
            };
            assert_eq!(info, 0);
            let reference = sorted(reference);
            let scale = h0.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for (a, b) in w.iter().zip(&reference) {
                let d = (a.0 - b.0).abs() + (a.1 - b.1).abs();
                assert!(
                    d <= 1e-10 * scale * n as f64,
                    "order {n}: {a:?} against {b:?}"
                );
            }
        }
    }

    /// `real_schur` takes the double-shift QR below MULTISHIFT_FROM and the multishift
    /// QR from there: the same eigenvalues, bit for bit, as each path run directly.
    #[test]
    fn real_schur_dispatches_by_order() {
        for n in [MULTISHIFT_FROM - 1, MULTISHIFT_FROM + 40] {
            let h0 = reduced_random(n, 40);
            let run = |multishift: bool, direct: bool| {
                let mut t = h0.clone();
                let mut w = vec![(0.0, 0.0); n];
                let t = RawMat::new(t.as_mut_ptr(), n);
                let info = unsafe {
                    match (direct, multishift) {
                        (false, _) => real_schur(n, 0, n - 1, t, None, &mut w),
                        (true, true) => real_multishift(n, 0, n - 1, t, None, &mut w),
                        (true, false) => schur::real_hqr(n, 0, n - 1, t, None, &mut w),
                    }
                };
                assert_eq!(info, 0);
                w
            };
            let multishift = n >= MULTISHIFT_FROM;
            assert!(run(multishift, false) == run(multishift, true), "order {n}");
            assert!(
                run(multishift, false) != run(!multishift, true),
                "order {n}"
            );
        }
    }

    /// Only rows and columns lo..=hi active (as after balancing), with zero
    /// subdiagonals inside that split the block, and a graded matrix.
    #[test]
    fn partial_split_and_graded() {
        let n = 230;
        let mut h0 = random_hessenberg(n, 11);
        for j in 0..n {
            for i in j + 1..n {
                if j < 6 || i > n - 4 {
                    h0[i + j * n] = 0.0;
                }
            }
        }
        h0[100 + 99 * n] = 0.0;
        h0[181 + 180 * n] = 0.0;
        schur_of(n, (6, n - 4), &h0);
        let mut graded = random_hessenberg(160, 12);
        for j in 0..160 {
            for i in 0..160 {
                graded[i + j * 160] *= 0.8f64.powi((i + j) as i32);
            }
        }
        schur_of(160, (0, 159), &graded);
    }

    /// The cyclic shift (eigenvalues the roots of unity), where plain shifts stall and
    /// the exceptional ones must break the symmetry; and a matrix of equal eigenvalues
    /// (a Jordan-like upper bidiagonal block).
    #[test]
    fn hard_cases_converge() {
        let n = 150;
        let mut cyclic = vec![0.0; n * n];
        for i in 1..n {
            cyclic[i + (i - 1) * n] = 1.0;
        }
        cyclic[(n - 1) * n] = 1.0;
        let w = schur_of(n, (0, n - 1), &cyclic);
        for (re, im) in w {
            assert!(
                ((re * re + im * im).sqrt() - 1.0).abs() < 1e-10,
                "{re} {im}"
            );
        }
        let mut jordan = vec![0.0; n * n];
        for i in 0..n {
            jordan[i + i * n] = 2.0;
            if i + 1 < n {
                jordan[i + (i + 1) * n] = 1.0;
                jordan[i + 1 + i * n] = 1e-3;
            }
        }
        schur_of(n, (0, n - 1), &jordan);
    }
}
