//! The Schur form of a large upper Hessenberg matrix by LAPACK's multishift QR (xLAQR0),
//! real or complex: each iteration first tries aggressive early deflation on a window at
//! the bottom of the active block (xLAQR3), then, unless that deflated enough, chases a
//! chain of small bulges down the block with the window's leftover eigenvalues as shifts
//! (xLAQR5). The chase runs on a copy of a diagonal window at a time and collects its
//! reflections in one unitary matrix U, so that the rest of H and all of Z are updated
//! by matrix products. Active blocks below [`SMALL_BLOCK`] run the small-matrix QR of
//! [`crate::lapack::schur`] (xLAHQR), as in LAPACK; so do whole matrices below
//! [`MULTISHIFT_FROM`] (real) and [`COMPLEX_MULTISHIFT_FROM`], where it is as fast or
//! faster here. What differs between real and complex arithmetic is in
//! [`crate::lapack::multishift_field`].

use crate::blas::args::{Side, Trans};
use crate::blas::level3;
use crate::lapack::householder::{apply_left, apply_right, reflector};
use crate::lapack::lookahead::Shared;
use crate::lapack::multishift_field::{QrField, Value};
use crate::lapack::raw::RawMat;
use crate::lapack::schur;
use crate::lapack::{hessenberg, qr};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{is_finite, Real, Scalar};
use crate::threads;

/// Active blocks and deflation windows smaller than this run the small-matrix QR
/// (LAPACK's NMIN).
const SMALL_BLOCK: usize = 75;
/// Real matrices from this order take the multishift QR. Measured (dgees, 2 threads,
/// ms, double-shift / multishift): 240 24-26 / 25-30, 280 36-55 / 31-36, 360 74 / 55.
pub const MULTISHIFT_FROM: usize = 256;
/// Complex matrices from this order take the multishift QR. Measured (zgees, 2
/// threads, ms, single-shift / multishift): 80 5.0-7.0 / 7.4-7.6, 112 12.7 / 16.0-16.7,
/// 128 27.4 / 22.4, 160 51 / 36, 200 69-95 / 52-62.
pub const COMPLEX_MULTISHIFT_FROM: usize = 128;
/// No sweep after an aggressive deflation that removed more than this percentage of
/// the window (LAPACK's NIBBLE).
const SKIP_SWEEP_PERCENT: usize = 14;
/// Exceptional shifts after this many iterations without a deflation (KEXSH).
const EXCEPTIONAL_EVERY: usize = 6;
/// The window doubles after this many iterations without a deflation (KEXNW).
const WIDEN_AFTER: usize = 5;

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
pub unsafe fn real_schur<R: Real + QrField>(
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
    any_multishift(n, lo, hi, h, z, w)
}

/// Complex xHSEQR('S') (H := Z^H H Z, T upper triangular); eigenvalues as (re, im).
///
/// # Safety
/// As for [`real_schur`].
pub unsafe fn complex_schur<T: QrField>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<T>,
    z: Option<RawMat<T>>,
    w: &mut [Value<T>],
) -> usize {
    if n == 0 || hi + 1 - lo < COMPLEX_MULTISHIFT_FROM {
        let mut values = vec![T::zero(); n];
        let info = schur::complex_hqr(n, lo, hi, h, z, &mut values);
        for (slot, v) in w.iter_mut().zip(values) {
            *slot = (v.re(), v.im());
        }
        return info;
    }
    any_multishift(n, lo, hi, h, z, w)
}

/// The multishift QR at any order, real or complex.
///
/// # Safety
/// As for [`real_schur`]; n > 0.
pub(crate) unsafe fn any_multishift<T: QrField>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<T>,
    z: Option<RawMat<T>>,
    w: &mut [Value<T>],
) -> usize {
    for i in (0..lo).chain(hi + 1..n) {
        w[i] = (h.get(i, i).re(), h.get(i, i).im());
    }
    if !active_block_is_finite(lo, hi, h) {
        // A NaN or an infinity never deflates: the iteration would spend its whole
        // budget (minutes at order 300, as the reference's does) and end with no
        // eigenvalue found. That outcome's INFO at once: rows lo..=hi unfinished.
        return hi + 1;
    }
    multishift(n, lo, hi, h, z, w, false)
}

/// Whether the Hessenberg part of rows and columns `lo..=hi` holds only finite numbers.
unsafe fn active_block_is_finite<T: Scalar>(lo: usize, hi: usize, h: RawMat<T>) -> bool {
    (lo..=hi).all(|j| (lo..=(j + 1).min(hi)).all(|i| is_finite(h.get(i, j))))
}

/// xLAQR0 on rows and columns `lo..=hi`; `nested` when this is a deflation window's own
/// QR, whose windows then take the small-matrix QR (LAPACK's xLAQR4 and xLAQR2).
unsafe fn multishift<T: QrField>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<T>,
    z: Option<RawMat<T>>,
    w: &mut [Value<T>],
    nested: bool,
) -> usize {
    let zero = T::RealPart::zero();
    let nh = hi + 1 - lo;
    let ulp = schur::precision::<T::RealPart>();
    let tol = (
        ulp,
        T::RealPart::safe_min() * (T::RealPart::from_f64(nh as f64) / ulp),
    );
    // The sweeps' windows copy everything below the diagonal: it must be zero.
    for j in lo..=hi {
        for i in j + 2..=hi {
            h.set(i, j, T::zero());
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
            let info = T::small_qr(n, ktop, last, h, z, w);
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
                if h.get(kwtop, kwtop - 1).abs1() > h.get(kwtop - 1, kwtop - 2).abs1() {
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
            T::exceptional_shifts(ktop, last, ks, h, w);
        } else {
            if kbot - ks <= ns / 2 {
                ks = kbot - ns;
                ks = shifts_of_trailing_block(ks, last, h, w);
            }
            if kbot - ks > ns {
                sort_by_magnitude(&mut w[ks..kbot]);
            }
            T::pair_up(&mut w[ks..kbot]);
        }
        if kbot - ks == 2 && (T::IS_COMPLEX || w[last].1 == zero) {
            // Two (real) shifts: the one closer to H(last, last) twice.
            let corner = h.get(last, last);
            let distance = |v: Value<T>| (v.0 - corner.re()).abs() + (v.1 - corner.im()).abs();
            if distance(w[last]) < distance(w[last - 1]) {
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
unsafe fn active_top<T: QrField>(
    lo: usize,
    last: usize,
    h: RawMat<T>,
    tol: (T::RealPart, T::RealPart),
) -> usize {
    let size = |i: usize, j: usize| h.get(i, j).abs1();
    let diff = |k: usize| (h.get(k - 1, k - 1) - h.get(k, k)).abs1();
    let k = schur::negligible_subdiagonal((lo, last, lo, last), tol, size, size, diff);
    if k > lo {
        h.set(k, k - 1, T::zero());
    }
    k
}

/// Shifts when the window left too few: the eigenvalues of the trailing block
/// `ks..=last` (a copy). Returns the first row whose value converged.
unsafe fn shifts_of_trailing_block<T: QrField>(
    ks: usize,
    last: usize,
    h: RawMat<T>,
    w: &mut [Value<T>],
) -> usize {
    let m = last + 1 - ks;
    let ld = m | 1;
    let mut copy = vec![T::zero(); ld * m];
    let c = RawMat::new(copy.as_mut_ptr(), ld);
    copy_hessenberg(m, h.at(ks, ks), c);
    let mut values = vec![(T::RealPart::zero(), T::RealPart::zero()); m];
    let info = T::small_qr(m, 0, m - 1, c, None, &mut values);
    w[ks + info..=last].copy_from_slice(&values[info..]);
    let ks = ks + info;
    if ks >= last {
        let values = T::values_2x2(
            h.get(last - 1, last - 1),
            h.get(last - 1, last),
            h.get(last, last - 1),
            h.get(last, last),
        );
        w[last - 1] = values[0];
        w[last] = values[1];
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
unsafe fn deflate_window<T: QrField>(
    win: Window,
    h: RawMat<T>,
    z: Option<RawMat<T>>,
    w: &mut [Value<T>],
    (ulp, smlnum): (T::RealPart, T::RealPart),
) -> (usize, usize) {
    let (zero, one) = (T::zero(), T::one());
    let rzero = T::RealPart::zero();
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
        w[kwtop] = (d.re(), d.im());
        if s.abs1() <= smlnum.max(ulp * d.abs1()) {
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
    let mut values = vec![(rzero, rzero); jw];
    let info = if win.nested || jw < SMALL_BLOCK {
        T::small_qr(jw, 0, jw - 1, t, Some(v), &mut values)
    } else {
        multishift(jw, 0, jw - 1, t, Some(v), &mut values, true)
    };
    if info > 0 {
        return (0, 0);
    }
    // From the bottom: a block whose spike entries are negligible deflates; any other
    // moves up to the top of the undeflated part. (A complex T has no 2 x 2 blocks.)
    let mut ns = jw;
    let mut top = 0;
    while top < ns {
        let pair = ns >= 2 && t.get(ns - 1, ns - 2) != zero;
        let first = if pair { ns - 2 } else { ns - 1 };
        let mut size = t.get(ns - 1, ns - 1).abs1();
        let mut spike = (s * v.get(0, ns - 1)).abs1();
        if pair {
            size += t.get(ns - 1, ns - 2).abs1().sqrt() * t.get(ns - 2, ns - 1).abs1().sqrt();
            spike = spike.max((s * v.get(0, ns - 2)).abs1());
        }
        if size == rzero {
            size = s.abs1();
        }
        if spike <= smlnum.max(ulp * size) {
            ns = first;
        } else {
            // A rejected swap leaves the rest undeflated.
            if !T::move_up(jw, t, v, first, top) {
                break;
            }
            top += ns - first;
        }
    }
    if ns == 0 {
        s = zero;
    }
    T::read_values(jw, t, &mut w[kwtop..=last]);
    if ns < jw || s == zero {
        if ns > 1 && s != zero {
            // Reflect the spike (s times V's first row, conjugated) back into one entry,
            // then Hessenberg form again.
            let mut spike: Vec<T> = (0..ns).map(|j| v.get(0, j).conj()).collect();
            let mut beta = spike[0];
            let tau = reflector(ns, &mut beta, spike.as_mut_ptr().add(1));
            spike[0] = one;
            for j in 0..jw {
                for i in j + 2..jw {
                    t.set(i, j, zero);
                }
            }
            apply_left(ns, jw, spike.as_ptr(), tau.conj(), t);
            apply_right(ns, ns, spike.as_ptr(), tau, t);
            apply_right(jw, ns, spike.as_ptr(), tau, v);
            // xGEHRD on T's leading ns x ns block (its rows to column jw), xUNMHR into V;
            // the reflectors left below T's subdiagonal are not copied back. The last
            // reflector, of order 1, is the identity for real T and makes the last
            // subdiagonal entry real for complex T.
            let mut taus = vec![zero; jw - 1];
            hessenberg::gehrd(jw, 0, ns - 1, t, &mut taus);
            let reflectors = if T::IS_COMPLEX { ns - 1 } else { ns - 2 };
            let shape = (jw, ns - 1, reflectors);
            qr::ormqr(Side::Right, Trans::No, shape, t.at(1, 0), &taus, v.at(0, 1));
        }
        if kwtop > 0 {
            h.set(kwtop, kwtop - 1, s * v.get(0, 0).conj());
        }
        copy_hessenberg(jw, t, h.at(kwtop, kwtop));
        update_outside(n, (kwtop, last), v, h, z);
    }
    (jw - ns, ns)
}

/// Rows (of the columns above and of Z) or columns (of the rows to the right) that
/// [`update_outside`] copies and multiplies at a time: the copy stays in cache for its
/// product, and the blocks are spread over the threads. (The whole strip copied
/// element by element on one thread was 9% of dgeev 2048's samples.)
const UPDATE_BLOCK: usize = 192;

/// After a window `rows.0..=rows.1` of H changed by H_w := U^H H_w U: the columns above
/// it times U, the rows to its right U^H times them, and Z's columns times U.
unsafe fn update_outside<T: Scalar>(
    n: usize,
    (w0, w1): (usize, usize),
    u: RawMat<T>,
    h: RawMat<T>,
    z: Option<RawMat<T>>,
) {
    let wl = w1 + 1 - w0;
    let (one, zero) = (T::one(), T::zero());
    let u = Shared::new(u);
    // C (m x wl) := C U, a block of C's rows at a time through a copy of it.
    let times_u = |c: RawMat<T>, m: usize| {
        let c = Shared::new(c);
        in_blocks(m, &|rows| {
            let block = c.get().at(rows.start, 0);
            let copy = block.packed_copy(rows.len(), wl);
            level3::gemm_any_order(
                Trans::No,
                Trans::No,
                (rows.len(), wl, wl),
                one,
                (copy.as_ptr(), rows.len()),
                u.get().arg_const(),
                zero,
                block.arg(),
            );
        });
    };
    times_u(h.at(0, w0), w0);
    if let Some(z) = z {
        times_u(z.at(0, w0), n);
    }
    // C (wl x right) := U^H C, a block of C's columns at a time.
    let c = Shared::new(h.at(w0, w1 + 1));
    in_blocks(n - w1 - 1, &|cols| {
        let block = c.get().at(0, cols.start);
        let copy = block.packed_copy(wl, cols.len());
        level3::gemm_any_order(
            Trans::ConjTrans,
            Trans::No,
            (wl, cols.len(), wl),
            one,
            u.get().arg_const(),
            (copy.as_ptr(), wl),
            zero,
            block.arg(),
        );
    });
}

/// `f` on 0..len in blocks of [`UPDATE_BLOCK`], each thread a run of them, every block
/// on one thread (`f`'s products do not fan out again).
fn in_blocks(len: usize, f: &(dyn Fn(std::ops::Range<usize>) + Sync)) {
    let blocks = len.div_ceil(UPDATE_BLOCK);
    threads::run_in_runs(blocks, &|b| {
        let rows = b * UPDATE_BLOCK..((b + 1) * UPDATE_BLOCK).min(len);
        threads::sequential(|| f(rows));
    });
}

/// The upper Hessenberg part of the m x m `from` into `to`.
unsafe fn copy_hessenberg<T: Scalar>(m: usize, from: RawMat<T>, to: RawMat<T>) {
    for j in 0..m {
        for i in 0..=(j + 1).min(m - 1) {
            to.set(i, j, from.get(i, j));
        }
    }
}

/// xLAQR5: one sweep of shifts.len() / 2 bulges (pairs of shifts) through the active
/// block `ktop..=last`, three rows apart.
///
/// Bulge b (introduced at step 3b; b = 0 first, with the last pair of shifts) sits at
/// step t at position k = ktop - 1 + t - 3b: its reflector acts on rows and columns
/// k+1..=k+3. Steps run in slabs; a slab's reflections touch only a diagonal window
/// (columns up to k+3, fill down to row k+4), which is chased on a copy while U collects
/// the reflections; the rest of H and Z are then updated through U.
unsafe fn sweep<T: QrField>(
    n: usize,
    ktop: usize,
    last: usize,
    shifts: &[Value<T>],
    h: RawMat<T>,
    z: Option<RawMat<T>>,
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
        let mut local = vec![T::zero(); ld * wl];
        let mut u_store = vec![T::zero(); ld * wl];
        let a = RawMat::new(local.as_mut_ptr(), ld);
        let u = RawMat::new(u_store.as_mut_ptr(), ld);
        for j in 0..wl {
            for i in 0..wl {
                a.set(i, j, h.get(w0 + i, w0 + j));
            }
            u.set(j, j, T::one());
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
/// p - 1 below the diagonal; applied (as G^H) to rows p..p+nr within the window's
/// columns, (as G) to columns p..p+nr down to row p + 3, and to U's columns.
unsafe fn chase_step<T: QrField>(
    (p, introduce): (usize, bool),
    (w0, w1): (usize, usize),
    last: usize,
    shifts: (Value<T>, Value<T>),
    a: RawMat<T>,
    u: RawMat<T>,
) {
    let zero = T::zero();
    let nr = 3.min(last + 1 - p);
    let r = p - w0;
    let wl = w1 + 1 - w0;
    let mut v = [zero; 3];
    if introduce {
        v = T::shift_column(a, 0, shifts);
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
        // G^H from the left, G from the right (the same numbers for real T).
        let (v2, v3) = (v[1], v[2]);
        let tc = tau.conj();
        let left = [v2.conj(), v3.conj(), tc, tc * v2, tc * v3];
        let right = [v2, v3, tau, tau * v2.conj(), tau * v3.conj()];
        reflect_rows(a.at(r, r), wl - r, left);
        schur::reflect_columns(a.at(0, r), rows, right);
        schur::reflect_columns(u.at(0, r), wl, right);
    } else {
        v[0] = T::one();
        apply_left(nr, wl - r, v.as_ptr(), tau.conj(), a.at(r, r));
        apply_right(rows, nr, v.as_ptr(), tau, a.at(0, r));
        apply_right(wl, nr, v.as_ptr(), tau, u.at(0, r));
    }
}

/// Rows 0, 1, 2 of `c` (columns 0..cols) times I - t (1, v2, v3) (1, v2, v3)^T, with
/// `reflection` = [v2, v3, t, t v2, t v3] (for G^H: the conjugates of v and t).
unsafe fn reflect_rows<T: Scalar>(c: RawMat<T>, cols: usize, reflection: [T; 5]) {
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
    use crate::blas::test_values::values;

    /// Checks T = Z^T H0 Z, Z^T Z = I, T's quasi-triangular standard form and `w` against
    /// T's blocks; returns the two Netlib-style ratios.
    fn check(n: usize, h0: &[f64], t: &[f64], z: &[f64], w: &[(f64, f64)]) -> (f64, f64) {
        let at = |m: &[f64], i: usize, j: usize| m[i + j * n];
        let ulp = f64::EPSILON * 2.0;
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
        residual_ratios(n, h0, t, z)
    }

    /// ||Z^H H0 Z - T|| / (n ||H0|| ulp) and ||Z^H Z - I|| / (n ulp).
    pub(super) fn residual_ratios<T: Scalar<RealPart = f64>>(
        n: usize,
        h0: &[T],
        t: &[T],
        z: &[T],
    ) -> (f64, f64) {
        let at = |m: &[T], i: usize, j: usize| m[i + j * n];
        let square = |x: T| x.re() * x.re() + x.im() * x.im();
        let norm = h0.iter().map(|&x| square(x)).sum::<f64>().sqrt();
        let mut hz = vec![T::zero(); n * n];
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
                let (mut ztz, mut zthz) = (T::zero(), T::zero());
                for k in 0..n {
                    ztz += at(z, k, i).conj() * at(z, k, j);
                    zthz += at(z, k, i).conj() * hz[k + j * n];
                }
                let delta = if i == j { T::one() } else { T::zero() };
                orthogonality += square(ztz - delta);
                residual += square(zthz - at(t, i, j));
            }
        }
        let (nf, ulp) = (n as f64, f64::EPSILON * 2.0);
        (
            residual.sqrt() / (nf * norm.max(f64::MIN_POSITIVE) * ulp),
            orthogonality.sqrt() / (nf * ulp),
        )
    }

    /// Runs the multishift QR on `h0` (rows and columns lo..=hi) and checks the result.
    fn schur_of(n: usize, lohi: (usize, usize), h0: &[f64]) -> Vec<(f64, f64)> {
        checked_run(n, lohi, h0, check)
    }

    /// The residual and orthogonality ratios of (n, H0, T, Z, w).
    pub(super) type Ratios<T> = fn(usize, &[T], &[T], &[T], &[(f64, f64)]) -> (f64, f64);

    /// The multishift QR on `h0` (rows and columns lo..=hi) with Z accumulated, whose
    /// `ratios` must be below 30, and again without Z: the same eigenvalues to the bit.
    /// Returns them.
    pub(super) fn checked_run<T: QrField<RealPart = f64>>(
        n: usize,
        (lo, hi): (usize, usize),
        h0: &[T],
        ratios: Ratios<T>,
    ) -> Vec<(f64, f64)> {
        let mut t = h0.to_vec();
        let mut z = vec![T::zero(); n * n];
        for i in 0..n {
            z[i + i * n] = T::one();
        }
        let mut w = vec![(0.0, 0.0); n];
        let (tm, zm) = (
            RawMat::new(t.as_mut_ptr(), n),
            RawMat::new(z.as_mut_ptr(), n),
        );
        let info = unsafe { any_multishift(n, lo, hi, tm, Some(zm), &mut w) };
        assert_eq!(info, 0, "order {n}");
        let (residual, orthogonality) = ratios(n, h0, &t, &z, &w);
        assert!(residual < 30.0, "order {n}: residual ratio {residual}");
        assert!(
            orthogonality < 30.0,
            "order {n}: orthogonality ratio {orthogonality}"
        );
        let mut t2 = h0.to_vec();
        let mut w2 = vec![(0.0, 0.0); n];
        let info =
            unsafe { any_multishift(n, lo, hi, RawMat::new(t2.as_mut_ptr(), n), None, &mut w2) };
        assert_eq!(info, 0);
        assert!(w == w2, "order {n}: eigenvalues depend on Z");
        w
    }

    pub(super) fn random_hessenberg<T: Scalar>(n: usize, seed: u64) -> Vec<T> {
        let entries: Vec<T> = values(n * n, seed);
        let mut h = vec![T::zero(); n * n];
        for j in 0..n {
            for i in 0..n.min(j + 2) {
                h[i + j * n] = entries[i + j * n];
            }
        }
        h
    }

    /// The Hessenberg form of a random dense matrix (as xGEES and xGEEV pass it).
    pub(super) fn reduced_random<T: Scalar>(n: usize, seed: u64) -> Vec<T> {
        let mut a: Vec<T> = values(n * n, seed);
        let mut tau = vec![T::zero(); n];
        unsafe { hessenberg::gehrd(n, 0, n - 1, RawMat::new(a.as_mut_ptr(), n), &mut tau) };
        for j in 0..n {
            for i in j + 2..n {
                a[i + j * n] = T::zero();
            }
        }
        a
    }

    /// Sorted eigenvalues `w` against the sorted `reference`, within 1e-10 n max|H0|.
    pub(super) fn assert_same_values<T: Scalar<RealPart = f64>>(
        h0: &[T],
        mut w: Vec<(f64, f64)>,
        mut reference: Vec<(f64, f64)>,
    ) {
        let n = w.len();
        w.sort_by(|a, b| a.partial_cmp(b).unwrap());
        reference.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let scale = h0.iter().fold(0.0f64, |m, x| m.max(x.modulus()));
        for (a, b) in w.iter().zip(&reference) {
            let d = (a.0 - b.0).abs() + (a.1 - b.1).abs();
            assert!(
                d <= 1e-10 * scale * n as f64,
                "order {n}: {a:?} against {b:?}"
            );
        }
    }

    /// Every path: the double-shift QR below 75, windows of the double-shift QR, windows
    /// of their own multishift QR (from 590 the window is 96 wide), on random Hessenberg
    /// matrices and on reduced dense ones; the latter's (well-conditioned) eigenvalues
    /// agree with the double-shift QR's.
    #[test]
    fn random_matrices_against_double_shift() {
        let cases = [(74, 1), (75, 2), (120, 3), (260, 4), (700, 5)];
        random_against_small_qr::<f64>(&cases, check);
    }

    /// For each (order, seed): a random Hessenberg matrix and a reduced dense one through
    /// [`checked_run`]; the latter's eigenvalues agree with the small-matrix QR's.
    pub(super) fn random_against_small_qr<T: QrField<RealPart = f64>>(
        cases: &[(usize, u64)],
        ratios: Ratios<T>,
    ) {
        for &(n, seed) in cases {
            checked_run(n, (0, n - 1), &random_hessenberg::<T>(n, seed), ratios);
            let h0 = reduced_random::<T>(n, seed + 10);
            let w = checked_run(n, (0, n - 1), &h0, ratios);
            let mut t = h0.clone();
            let mut reference = vec![(0.0, 0.0); n];
            let tm = RawMat::new(t.as_mut_ptr(), n);
            assert_eq!(
                unsafe { T::small_qr(n, 0, n - 1, tm, None, &mut reference) },
                0
            );
            assert_same_values(&h0, w, reference);
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
                        (true, true) => any_multishift(n, 0, n - 1, t, None, &mut w),
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

#[cfg(test)]
mod complex_tests {
    use super::tests::{
        checked_run, random_against_small_qr, random_hessenberg, reduced_random, residual_ratios,
    };
    use super::*;
    use crate::scalar::c64;

    const ZERO: c64 = c64::new(0.0, 0.0);

    /// Checks T upper triangular with `w` its diagonal; returns the Netlib-style ratios.
    fn ratios(n: usize, h0: &[c64], t: &[c64], z: &[c64], w: &[(f64, f64)]) -> (f64, f64) {
        for j in 0..n {
            let d = t[j + j * n];
            assert_eq!(w[j], (d.re, d.im), "eigenvalue {j}");
            for i in j + 1..n {
                assert_eq!(t[i + j * n], ZERO, "T({i}, {j}) below the diagonal");
            }
        }
        residual_ratios(n, h0, t, z)
    }

    fn schur_of(n: usize, lohi: (usize, usize), h0: &[c64]) -> Vec<(f64, f64)> {
        checked_run(n, lohi, h0, ratios)
    }

    /// Random Hessenberg matrices and reduced dense ones on every path (small windows,
    /// windows of their own multishift QR from 590); the latter's eigenvalues agree
    /// with the single-shift QR's.
    #[test]
    fn random_matrices_against_single_shift() {
        let cases = [(80, 1), (130, 2), (300, 3), (650, 4)];
        random_against_small_qr::<c64>(&cases, ratios);
    }

    /// Active rows lo..=hi only, zero subdiagonals inside, a graded matrix, the cyclic
    /// shift (roots of unity: the exceptional shifts) and a Jordan-like block.
    #[test]
    fn partial_graded_and_hard_cases() {
        let n = 230;
        let mut h0 = random_hessenberg(n, 11);
        for j in 0..n {
            for i in j + 1..n {
                if j < 6 || i > n - 4 {
                    h0[i + j * n] = ZERO;
                }
            }
        }
        h0[100 + 99 * n] = ZERO;
        h0[181 + 180 * n] = ZERO;
        schur_of(n, (6, n - 4), &h0);
        let n = 160;
        let mut graded = random_hessenberg(n, 12);
        for j in 0..n {
            for i in 0..n {
                graded[i + j * n] *= 0.8f64.powi((i + j) as i32);
            }
        }
        schur_of(n, (0, n - 1), &graded);
        let mut cyclic = vec![ZERO; n * n];
        for i in 1..n {
            cyclic[i + (i - 1) * n] = c64::new(1.0, 0.0);
        }
        cyclic[(n - 1) * n] = c64::new(1.0, 0.0);
        for (re, im) in schur_of(n, (0, n - 1), &cyclic) {
            assert!(
                ((re * re + im * im).sqrt() - 1.0).abs() < 1e-10,
                "{re} {im}"
            );
        }
        let mut jordan = vec![ZERO; n * n];
        for i in 0..n {
            jordan[i + i * n] = c64::new(2.0, 1.0);
            if i + 1 < n {
                jordan[i + (i + 1) * n] = c64::new(1.0, 0.0);
                jordan[i + 1 + i * n] = c64::new(1e-3, 0.0);
            }
        }
        schur_of(n, (0, n - 1), &jordan);
    }

    /// A NaN or an infinity in the active block: INFO = hi + 1 at once (real and complex).
    #[test]
    fn non_finite_entries_stop_at_once() {
        fn stopped<T: QrField<RealPart = f64>>(bad: f64) {
            let n = 300;
            let mut h = random_hessenberg::<T>(n, 7);
            h[5 + 7 * n] = T::from_parts(bad, 0.0);
            let mut w = vec![(0.0, 0.0); n];
            let hm = RawMat::new(h.as_mut_ptr(), n);
            let started = std::time::Instant::now();
            let info = unsafe { any_multishift(n, 3, n - 2, hm, None, &mut w) };
            assert_eq!(info, n - 1, "{bad}");
            assert!(started.elapsed().as_secs_f64() < 1.0);
        }
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            stopped::<f64>(bad);
            stopped::<c64>(bad);
        }
    }

    /// `complex_schur` takes the single-shift QR below COMPLEX_MULTISHIFT_FROM and the
    /// multishift QR from there.
    #[test]
    fn complex_schur_dispatches_by_order() {
        for n in [COMPLEX_MULTISHIFT_FROM - 1, COMPLEX_MULTISHIFT_FROM + 30] {
            let h0 = reduced_random(n, 40);
            let run = |how: u8| {
                let mut t = h0.clone();
                let mut w = vec![(0.0, 0.0); n];
                let tm = RawMat::new(t.as_mut_ptr(), n);
                let info = unsafe {
                    match how {
                        0 => complex_schur(n, 0, n - 1, tm, None, &mut w),
                        1 => any_multishift(n, 0, n - 1, tm, None, &mut w),
                        _ => {
                            let mut values = vec![ZERO; n];
                            let info = schur::complex_hqr(n, 0, n - 1, tm, None, &mut values);
                            w = values.iter().map(|v| (v.re, v.im)).collect();
                            info
                        }
                    }
                };
                assert_eq!(info, 0);
                w
            };
            let (expected, other) = if n >= COMPLEX_MULTISHIFT_FROM {
                (1, 2)
            } else {
                (2, 1)
            };
            assert!(run(0) == run(expected), "order {n}");
            assert!(run(0) != run(other), "order {n}");
        }
    }
}
