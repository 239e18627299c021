//! Eigenvalues (and eigenvectors) of a real symmetric tridiagonal matrix by LAPACK's
//! implicit QL/QR iteration: xSTERF (the root-free Pal-Walker-Kahan variant, values
//! only) and xSTEQR (Givens rotations, accumulated into Z; Z complex for xHEEV). Each
//! unreduced block is iterated from its end with the smaller diagonal entry (QL from
//! the top or QR from the bottom), scaled into a safe range first. The arithmetic
//! follows the reference step for step, so the eigenvalues are LAPACK's to the bit.

use crate::lapack::raw::RawMat;
use crate::lapack::scaling::rescale;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{Real, Scalar};

/// At most this many sweeps per eigenvalue, as the reference.
const MAX_SWEEPS: usize = 30;

/// Fortran's SIGN(a, b) as gfortran computes it: |a| with b's sign bit.
pub(crate) fn sign<R: Real>(a: R, b: R) -> R {
    if b.to_f64().is_sign_negative() {
        -a.abs()
    } else {
        a.abs()
    }
}

/// xLAPY2: sqrt(x^2 + y^2) without needless overflow; a NaN argument is returned.
fn lapy2<R: Real>(x: R, y: R) -> R {
    if y.is_nan() {
        return y;
    }
    if x.is_nan() {
        return x;
    }
    let (xa, ya) = (x.abs(), y.abs());
    let (w, z) = (xa.max(ya), xa.min(ya));
    if z == R::zero() || w.to_f64().is_infinite() {
        w
    } else {
        let q = z / w;
        w * (R::one() + q * q).sqrt()
    }
}

/// The larger-magnitude eigenvalue rt1, the other rt2, and sqrt of the 2x2 symmetric
/// [[a, b], [b, c]]'s discriminant term shared by xLAE2 and xLAEV2: (sm, df, rt, tb,
/// ab, rt1, rt2, sign of rt1).
#[allow(clippy::type_complexity)]
fn eigen2<R: Real>(a: R, b: R, c: R) -> (R, R, R, R, R, bool) {
    let (one, two, half, zero) = (R::one(), R::from_f64(2.0), R::from_f64(0.5), R::zero());
    let sm = a + c;
    let df = a - c;
    let adf = df.abs();
    let tb = b + b;
    let ab = tb.abs();
    let (acmx, acmn) = if a.abs() > c.abs() { (a, c) } else { (c, a) };
    let rt = if adf > ab {
        let q = ab / adf;
        adf * (one + q * q).sqrt()
    } else if adf < ab {
        let q = adf / ab;
        ab * (one + q * q).sqrt()
    } else {
        ab * two.sqrt()
    };
    let (rt1, rt2, positive) = if sm < zero {
        let rt1 = half * (sm - rt);
        (rt1, (acmx / rt1) * acmn - (b / rt1) * b, false)
    } else if sm > zero {
        let rt1 = half * (sm + rt);
        (rt1, (acmx / rt1) * acmn - (b / rt1) * b, true)
    } else {
        (half * rt, -half * rt, true)
    };
    (rt1, rt2, df, rt, tb, positive)
}

/// xLAE2: the eigenvalues of [[a, b], [b, c]], |rt1| >= |rt2|.
fn lae2<R: Real>(a: R, b: R, c: R) -> (R, R) {
    let (rt1, rt2, ..) = eigen2(a, b, c);
    (rt1, rt2)
}

/// xLAEV2: as [`lae2`], with (cs, sn) the unit eigenvector of rt1.
fn laev2<R: Real>(a: R, b: R, c: R) -> (R, R, R, R) {
    let one = R::one();
    let (rt1, rt2, df, rt, tb, positive1) = eigen2(a, b, c);
    let ab = tb.abs();
    let (cs, positive2) = if df >= R::zero() {
        (df + rt, true)
    } else {
        (df - rt, false)
    };
    let (mut cs1, mut sn1);
    if cs.abs() > ab {
        let ct = -tb / cs;
        sn1 = one / (one + ct * ct).sqrt();
        cs1 = ct * sn1;
    } else if ab == R::zero() {
        cs1 = one;
        sn1 = R::zero();
    } else {
        let tn = -cs / tb;
        cs1 = one / (one + tn * tn).sqrt();
        sn1 = tn * cs1;
    }
    if positive1 == positive2 {
        let tn = cs1;
        cs1 = -sn1;
        sn1 = tn;
    }
    (rt1, rt2, cs1, sn1)
}

/// xLARTG (LAPACK 3.10's): c, s, r with [c s; -s c] [f; g] = [r; 0].
pub(crate) fn lartg<R: Real>(f: R, g: R) -> (R, R, R) {
    let (zero, one) = (R::zero(), R::one());
    let safmin = R::safe_min();
    let safmax = one / safmin;
    let rtmin = safmin.sqrt();
    let rtmax = (safmax / R::from_f64(2.0)).sqrt();
    let (f1, g1) = (f.abs(), g.abs());
    if g == zero {
        (one, zero, f)
    } else if f == zero {
        (zero, sign(one, g), g1)
    } else if f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax {
        let d = (f * f + g * g).sqrt();
        let c = f1 / d;
        let r = sign(d, f);
        (c, g / r, r)
    } else {
        let u = safmax.min(safmin.max(f1).max(g1));
        let (fs, gs) = (f / u, g / u);
        let d = (fs * fs + gs * gs).sqrt();
        let c = fs.abs() / d;
        let r = sign(d, f);
        (c, gs / r, r * u)
    }
}

/// xLANST('M'): the largest |d_i|, |e_i|, NaN if any is NaN.
fn max_entry<R: Real>(d: &[R], e: &[R]) -> R {
    let n = d.len();
    let mut norm = d[n - 1].abs();
    for i in 0..n - 1 {
        for value in [d[i].abs(), e[i].abs()] {
            if norm < value || value.is_nan() {
                norm = value;
            }
        }
    }
    norm
}

/// xLASCL('G') of a vector: x := x * cto / cfrom without over- or underflow.
unsafe fn rescale_vector<R: Real>(cfrom: R, cto: R, x: &mut [R]) {
    if !x.is_empty() {
        rescale(cfrom, cto, x.len(), 1, RawMat::new(x.as_mut_ptr(), x.len()));
    }
}

/// The constants xSTERF and xSTEQR share: (eps, eps^2, safmin, ssfmax, ssfmin).
fn constants<R: Real>() -> (R, R, R, R, R) {
    let eps = R::epsilon();
    let eps2 = eps * eps;
    let safmin = R::safe_min();
    let safmax = R::one() / safmin;
    let ssfmax = safmax.sqrt() / R::from_f64(3.0);
    let ssfmin = safmin.sqrt() / eps2;
    (eps, eps2, safmin, ssfmax, ssfmin)
}

/// How an unreduced block was scaled before its iteration.
#[derive(Clone, Copy, PartialEq)]
enum BlockScale {
    None,
    Down,
    Up,
}

/// QL's split of the block l..=lend: the first m from l up whose off-diagonal e(m)
/// (between d(m) and d(m + 1)) is `negligible(e, d(m), d(m + 1))`, set to zero; else lend.
fn split_from_top<R: Real>(
    d: &[R],
    e: &mut [R],
    (l, lend): (isize, isize),
    negligible: impl Fn(R, R, R) -> bool,
) -> isize {
    let at = |i: isize| i as usize;
    let m = (l..lend)
        .find(|&mm| negligible(e[at(mm)], d[at(mm)], d[at(mm + 1)]))
        .unwrap_or(lend);
    if m < lend {
        e[at(m)] = R::zero();
    }
    m
}

/// QR's split of the block lend..=l: the first m from l down whose off-diagonal
/// e(m - 1) is `negligible(e, d(m), d(m - 1))`, set to zero; else lend.
fn split_from_bottom<R: Real>(
    d: &[R],
    e: &mut [R],
    (l, lend): (isize, isize),
    negligible: impl Fn(R, R, R) -> bool,
) -> isize {
    let at = |i: isize| i as usize;
    let m = (lend + 1..=l)
        .rev()
        .find(|&mm| negligible(e[at(mm - 1)], d[at(mm)], d[at(mm - 1)]))
        .unwrap_or(lend);
    if m > lend {
        e[at(m - 1)] = R::zero();
    }
    m
}

/// The next unreduced block from `l1` on: sets negligible off-diagonals to zero (the
/// split test sqrt|d_m| sqrt|d_m+1| eps) and returns its last index.
fn block_end<R: Real>(d: &[R], e: &mut [R], l1: usize, eps: R, exact_zero_first: bool) -> usize {
    let n = d.len();
    for m in l1..n - 1 {
        let tst = e[m].abs();
        if exact_zero_first && tst == R::zero() {
            return m;
        }
        if tst <= (d[m].abs().sqrt() * d[m + 1].abs().sqrt()) * eps {
            e[m] = R::zero();
            return m;
        }
    }
    n - 1
}

/// Scales the block d[l..=lend], e[l..lend] into [ssfmin, ssfmax] if its largest
/// entry `norm` lies outside.
unsafe fn scale_block<R: Real>(
    d: &mut [R],
    e: &mut [R],
    (l, lend): (usize, usize),
    norm: R,
    (ssfmin, ssfmax): (R, R),
) -> BlockScale {
    let (target, how) = if norm > ssfmax {
        (ssfmax, BlockScale::Down)
    } else if norm < ssfmin {
        (ssfmin, BlockScale::Up)
    } else {
        return BlockScale::None;
    };
    rescale_vector(norm, target, &mut d[l..=lend]);
    rescale_vector(norm, target, &mut e[l..lend]);
    how
}

/// The number of nonzero off-diagonals: INFO after the sweeps ran out.
fn unconverged<R: Real>(e: &[R]) -> usize {
    e.iter().filter(|x| **x != R::zero()).count()
}

/// The next unreduced block of (d, e) from `*l1` on, as xSTERF and xSTEQR split: the
/// off-diagonal before it zeroed, its end found by [`block_end`] and `*l1` moved past it.
/// Returns its bounds and largest entry, the block scaled into the safe range, or None
/// when it is 1 x 1 or zero.
///
/// # Safety
/// As for [`scale_block`].
unsafe fn next_block<R: Real>(
    d: &mut [R],
    e: &mut [R],
    l1: &mut usize,
    eps: R,
    exact_zero_first: bool,
    safe: (R, R),
) -> Option<(usize, usize, R, BlockScale)> {
    if *l1 > 0 {
        e[*l1 - 1] = R::zero();
    }
    let (start, end) = (*l1, block_end(d, e, *l1, eps, exact_zero_first));
    *l1 = end + 1;
    if end == start {
        return None;
    }
    let norm = max_entry(&d[start..=end], &e[start..end]);
    if norm == R::zero() {
        return None;
    }
    Some((
        start,
        end,
        norm,
        scale_block(d, e, (start, end), norm, safe),
    ))
}

/// xSTERF: the eigenvalues of the symmetric tridiagonal (d, e), ascending in d; e
/// (n - 1 entries) is destroyed. Returns INFO: 0, or the number of off-diagonals not
/// yet zero when 30n sweeps did not suffice (d then unordered).
///
/// # Safety
/// None beyond the slices (unsafe for [`rescale`]).
pub unsafe fn sterf<R: Real>(d: &mut [R], e: &mut [R]) -> usize {
    let n = d.len();
    if n <= 1 {
        return 0;
    }
    let (zero, one, two) = (R::zero(), R::one(), R::from_f64(2.0));
    let (eps, eps2, _, ssfmax, ssfmin) = constants::<R>();
    let max_sweeps = n * MAX_SWEEPS;
    let mut sweeps = 0;
    let mut l1 = 0;
    while l1 < n {
        let Some((lsv, lendsv, norm, scaled)) =
            next_block(d, e, &mut l1, eps, false, (ssfmin, ssfmax))
        else {
            continue;
        };
        for x in &mut e[lsv..lendsv] {
            *x = *x * *x;
        }
        // Signed indices: the QR branch steps below 0.
        let (mut l, mut lend) = (lsv as isize, lendsv as isize);
        if d[lendsv].abs() < d[lsv].abs() {
            std::mem::swap(&mut l, &mut lend);
        }
        let at = |i: isize| i as usize;
        // e holds squares here: |e| <= eps^2 |d1 d2| is xSTERF's split test.
        let negligible = |e: R, d1: R, d2: R| e.abs() <= eps2 * (d1 * d2).abs();
        if lend >= l {
            // QL iteration: look for a small off-diagonal from the top.
            loop {
                let m = split_from_top(d, e, (l, lend), negligible);
                let mut p = d[at(l)];
                if m == l {
                    d[at(l)] = p;
                    l += 1;
                    if l <= lend {
                        continue;
                    }
                    break;
                }
                if m == l + 1 {
                    let rte = e[at(l)].sqrt();
                    let (rt1, rt2) = lae2(d[at(l)], rte, d[at(l + 1)]);
                    d[at(l)] = rt1;
                    d[at(l + 1)] = rt2;
                    e[at(l)] = zero;
                    l += 2;
                    if l <= lend {
                        continue;
                    }
                    break;
                }
                if sweeps == max_sweeps {
                    break;
                }
                sweeps += 1;
                let rte = e[at(l)].sqrt();
                let mut sigma = (d[at(l + 1)] - p) / (two * rte);
                let r = lapy2(sigma, one);
                sigma = p - (rte / (sigma + sign(r, sigma)));
                let (mut c, mut s) = (one, zero);
                let mut gamma = d[at(m)] - sigma;
                p = gamma * gamma;
                for i in (at(l)..at(m)).rev() {
                    let bb = e[i];
                    let r = p + bb;
                    if i as isize != m - 1 {
                        e[i + 1] = s * r;
                    }
                    let oldc = c;
                    c = p / r;
                    s = bb / r;
                    let oldgam = gamma;
                    let alpha = d[i];
                    gamma = c * (alpha - sigma) - s * oldgam;
                    d[i + 1] = oldgam + (alpha - gamma);
                    p = if c != zero {
                        (gamma * gamma) / c
                    } else {
                        oldc * bb
                    };
                }
                e[at(l)] = s * p;
                d[at(l)] = sigma + gamma;
            }
        } else {
            // QR iteration: look for a small off-diagonal from the bottom.
            loop {
                let m = split_from_bottom(d, e, (l, lend), negligible);
                let mut p = d[at(l)];
                if m == l {
                    d[at(l)] = p;
                    l -= 1;
                    if l >= lend {
                        continue;
                    }
                    break;
                }
                if m == l - 1 {
                    let rte = e[at(l - 1)].sqrt();
                    let (rt1, rt2) = lae2(d[at(l)], rte, d[at(l - 1)]);
                    d[at(l)] = rt1;
                    d[at(l - 1)] = rt2;
                    e[at(l - 1)] = zero;
                    l -= 2;
                    if l >= lend {
                        continue;
                    }
                    break;
                }
                if sweeps == max_sweeps {
                    break;
                }
                sweeps += 1;
                let rte = e[at(l - 1)].sqrt();
                let mut sigma = (d[at(l - 1)] - p) / (two * rte);
                let r = lapy2(sigma, one);
                sigma = p - (rte / (sigma + sign(r, sigma)));
                let (mut c, mut s) = (one, zero);
                let mut gamma = d[at(m)] - sigma;
                p = gamma * gamma;
                for i in at(m)..at(l) {
                    let bb = e[i];
                    let r = p + bb;
                    if i as isize != m {
                        e[i - 1] = s * r;
                    }
                    let oldc = c;
                    c = p / r;
                    s = bb / r;
                    let oldgam = gamma;
                    let alpha = d[i + 1];
                    gamma = c * (alpha - sigma) - s * oldgam;
                    d[i] = oldgam + (alpha - gamma);
                    p = if c != zero {
                        (gamma * gamma) / c
                    } else {
                        oldc * bb
                    };
                }
                e[at(l - 1)] = s * p;
                d[at(l)] = sigma + gamma;
            }
        }
        match scaled {
            BlockScale::Down => rescale_vector(ssfmax, norm, &mut d[lsv..=lendsv]),
            BlockScale::Up => rescale_vector(ssfmin, norm, &mut d[lsv..=lendsv]),
            BlockScale::None => {}
        }
        if sweeps >= max_sweeps {
            return unconverged(&e[..n - 1]);
        }
    }
    d.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    0
}

/// xLASR(SIDE = 'R', PIVOT = 'V'): applies the plane rotations (c_j, s_j), j in
/// 0..cols-1, to columns (j, j+1) of the rows x cols block Z, forward or backward.
unsafe fn rotate_columns<T: Scalar>(
    rows: usize,
    cols: usize,
    c: &[T::RealPart],
    s: &[T::RealPart],
    forward: bool,
    z: RawMat<T>,
) {
    let one = T::RealPart::one();
    let zero = T::RealPart::zero();
    let scaled = |x: T, f: T::RealPart| T::from_parts(f * x.re(), f * x.im());
    let rotate = |j: usize| {
        let (ct, st) = (c[j], s[j]);
        if ct != one || st != zero {
            // Columns j and j + 1 of Z: distinct, each `rows` long.
            let left = std::slice::from_raw_parts_mut(z.at(0, j).ptr, rows);
            let right = std::slice::from_raw_parts_mut(z.at(0, j + 1).ptr, rows);
            for (zl, zr) in left.iter_mut().zip(right.iter_mut()) {
                let (temp, zij) = (*zr, *zl);
                *zr = scaled(temp, ct) - scaled(zij, st);
                *zl = scaled(temp, st) + scaled(zij, ct);
            }
        }
    };
    if forward {
        (0..cols - 1).for_each(rotate);
    } else {
        (0..cols - 1).rev().for_each(rotate);
    }
}

/// xSTEQR(COMPZ = 'V' with Some(z), 'N' with None): the eigenvalues of the symmetric
/// tridiagonal (d, e), and with `z` (n x n, holding the matrix that reduced the
/// original to tridiagonal form) its eigenvectors: Z := Z * (the rotations). e is
/// destroyed. Returns INFO as [`sterf`] (d then unordered, Z partly updated).
///
/// # Safety
/// `z` valid for n x n.
pub unsafe fn steqr<T: Scalar>(
    d: &mut [T::RealPart],
    e: &mut [T::RealPart],
    z: Option<RawMat<T>>,
) -> usize {
    let n = d.len();
    if n <= 1 {
        return 0;
    }
    let (zero, one, two) = (
        T::RealPart::zero(),
        T::RealPart::one(),
        T::RealPart::from_f64(2.0),
    );
    let (eps, eps2, safmin, ssfmax, ssfmin) = constants::<T::RealPart>();
    // The rotations of one sweep (the reference's WORK(1..n-1) and WORK(n..2n-2)).
    let (mut wc, mut ws) = (vec![zero; n], vec![zero; n]);
    let max_sweeps = n * MAX_SWEEPS;
    let mut sweeps = 0;
    let mut l1 = 0;
    while l1 < n {
        let Some((lsv, lendsv, norm, scaled)) =
            next_block(d, e, &mut l1, eps, true, (ssfmin, ssfmax))
        else {
            continue;
        };
        let (mut l, mut lend) = (lsv as isize, lendsv as isize);
        if d[lendsv].abs() < d[lsv].abs() {
            std::mem::swap(&mut l, &mut lend);
        }
        let at = |i: isize| i as usize;
        let negligible = |e: T::RealPart, d1: T::RealPart, d2: T::RealPart| {
            e.abs() * e.abs() <= (eps2 * d1.abs()) * d2.abs() + safmin
        };
        if lend > l {
            // QL iteration.
            loop {
                let m = split_from_top(d, e, (l, lend), negligible);
                let mut p = d[at(l)];
                if m == l {
                    d[at(l)] = p;
                    l += 1;
                    if l <= lend {
                        continue;
                    }
                    break;
                }
                if m == l + 1 {
                    let (rt1, rt2) = match z {
                        Some(z) => {
                            let (rt1, rt2, c, s) = laev2(d[at(l)], e[at(l)], d[at(l + 1)]);
                            wc[at(l)] = c;
                            ws[at(l)] = s;
                            rotate_columns(n, 2, &wc[at(l)..], &ws[at(l)..], false, z.at(0, at(l)));
                            (rt1, rt2)
                        }
                        None => lae2(d[at(l)], e[at(l)], d[at(l + 1)]),
                    };
                    d[at(l)] = rt1;
                    d[at(l + 1)] = rt2;
                    e[at(l)] = zero;
                    l += 2;
                    if l <= lend {
                        continue;
                    }
                    break;
                }
                if sweeps == max_sweeps {
                    break;
                }
                sweeps += 1;
                let mut g = (d[at(l + 1)] - p) / (two * e[at(l)]);
                let mut r = lapy2(g, one);
                g = d[at(m)] - p + (e[at(l)] / (g + sign(r, g)));
                let (mut s, mut c) = (one, one);
                p = zero;
                for i in (at(l)..at(m)).rev() {
                    let f = s * e[i];
                    let b = c * e[i];
                    (c, s, r) = lartg(g, f);
                    if i as isize != m - 1 {
                        e[i + 1] = r;
                    }
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + two * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    wc[i] = c;
                    ws[i] = -s;
                }
                if let Some(z) = z {
                    let count = at(m - l + 1);
                    rotate_columns(n, count, &wc[at(l)..], &ws[at(l)..], false, z.at(0, at(l)));
                }
                d[at(l)] -= p;
                e[at(l)] = g;
            }
        } else {
            // QR iteration.
            loop {
                let m = split_from_bottom(d, e, (l, lend), negligible);
                let mut p = d[at(l)];
                if m == l {
                    d[at(l)] = p;
                    l -= 1;
                    if l >= lend {
                        continue;
                    }
                    break;
                }
                if m == l - 1 {
                    let (rt1, rt2) = match z {
                        Some(z) => {
                            let (rt1, rt2, c, s) = laev2(d[at(l - 1)], e[at(l - 1)], d[at(l)]);
                            wc[at(m)] = c;
                            ws[at(m)] = s;
                            rotate_columns(
                                n,
                                2,
                                &wc[at(m)..],
                                &ws[at(m)..],
                                true,
                                z.at(0, at(l - 1)),
                            );
                            (rt1, rt2)
                        }
                        None => lae2(d[at(l - 1)], e[at(l - 1)], d[at(l)]),
                    };
                    d[at(l - 1)] = rt1;
                    d[at(l)] = rt2;
                    e[at(l - 1)] = zero;
                    l -= 2;
                    if l >= lend {
                        continue;
                    }
                    break;
                }
                if sweeps == max_sweeps {
                    break;
                }
                sweeps += 1;
                let mut g = (d[at(l - 1)] - p) / (two * e[at(l - 1)]);
                let mut r = lapy2(g, one);
                g = d[at(m)] - p + (e[at(l - 1)] / (g + sign(r, g)));
                let (mut s, mut c) = (one, one);
                p = zero;
                for i in at(m)..at(l) {
                    let f = s * e[i];
                    let b = c * e[i];
                    (c, s, r) = lartg(g, f);
                    if i as isize != m {
                        e[i - 1] = r;
                    }
                    g = d[i] - p;
                    r = (d[i + 1] - g) * s + two * c * b;
                    p = s * r;
                    d[i] = g + p;
                    g = c * r - b;
                    wc[i] = c;
                    ws[i] = s;
                }
                if let Some(z) = z {
                    let count = at(l - m + 1);
                    rotate_columns(n, count, &wc[at(m)..], &ws[at(m)..], true, z.at(0, at(m)));
                }
                d[at(l)] -= p;
                e[at(l - 1)] = g;
            }
        }
        match scaled {
            BlockScale::Down => {
                rescale_vector(ssfmax, norm, &mut d[lsv..=lendsv]);
                rescale_vector(ssfmax, norm, &mut e[lsv..lendsv]);
            }
            BlockScale::Up => {
                rescale_vector(ssfmin, norm, &mut d[lsv..=lendsv]);
                rescale_vector(ssfmin, norm, &mut e[lsv..lendsv]);
            }
            BlockScale::None => {}
        }
        if sweeps >= max_sweeps {
            return unconverged(&e[..n - 1]);
        }
    }
    match z {
        None => d.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal)),
        Some(z) => {
            // Selection sort, swapping the eigenvectors along (as the reference).
            for i in 0..n - 1 {
                let mut k = i;
                let mut p = d[i];
                for (j, &dj) in d.iter().enumerate().skip(i + 1) {
                    if dj < p {
                        k = j;
                        p = dj;
                    }
                }
                if k != i {
                    d[k] = d[i];
                    d[i] = p;
                    for r in 0..n {
                        z.swap((r, i), (r, k));
                    }
                }
            }
        }
    }
    0
}
