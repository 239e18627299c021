//! The Schur form of an upper Hessenberg matrix by the small-bulge QR algorithm, as
//! LAPACK's xLAHQR does it: a double-shift (Francis) sweep for real matrices, leaving
//! 2 x 2 blocks in LAPACK's standard form (xLANV2: equal diagonal, off-diagonals of
//! opposite signs), and a single-shift sweep for complex ones with a real subdiagonal.
//! H := Z^H H Z is applied in place and Z (when given) accumulates the transformations.

use crate::lapack::householder::reflector;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{Real, Scalar};

/// Exceptional shifts every KEXSH iterations without deflation (LAPACK's constants).
const KEXSH: usize = 10;
const DAT1: f64 = 0.75;
const DAT2: f64 = -0.4375;

fn sign<R: Real>(magnitude: R, sign: R) -> R {
    if sign >= R::zero() {
        magnitude.abs()
    } else {
        -magnitude.abs()
    }
}

/// sqrt(a^2 + b^2) without overflow (xLAPY2).
fn hypot<R: Real>(a: R, b: R) -> R {
    let (a, b) = (a.abs(), b.abs());
    let (big, small) = if a >= b { (a, b) } else { (b, a) };
    if big == R::zero() || small == R::zero() {
        big + small
    } else {
        let q = small / big;
        big * (R::one() + q * q).sqrt()
    }
}

/// LAPACK's xLAMCH('P'): eps times the base.
pub(crate) fn precision<R: Real>() -> R {
    R::epsilon() * R::from_f64(2.0)
}

/// A real 2 x 2 block reduced to standard Schur form (xLANV2).
pub struct Standard2x2<R> {
    /// The new block [a b; c d]: c = 0 (real eigenvalues) or a = d, b c < 0.
    pub block: [R; 4],
    /// Eigenvalues (re, im), the first with im >= 0.
    pub values: [(R, R); 2],
    /// The rotation [cs -sn; sn cs] with block = rot^T old rot.
    pub cs: R,
    pub sn: R,
}

/// xLANV2: the Schur factorization of the real 2 x 2 matrix [a b; c d].
pub fn standardize<R: Real>(mut a: R, mut b: R, mut c: R, mut d: R) -> Standard2x2<R> {
    let zero = R::zero();
    let one = R::one();
    let half = R::from_f64(0.5);
    let eps = precision::<R>();
    let safmn2 =
        R::from_f64(2f64.powi(((R::safe_min() / eps).to_f64().ln() / 2f64.ln() / 2.0) as i32));
    let safmx2 = one / safmn2;
    let (mut cs, mut sn);
    if c == zero {
        cs = one;
        sn = zero;
    } else if b == zero {
        // Swap rows and columns.
        cs = zero;
        sn = one;
        std::mem::swap(&mut a, &mut d);
        b = -c;
        c = zero;
    } else if a - d == zero && sign(one, b) != sign(one, c) {
        cs = one;
        sn = zero;
    } else {
        let mut temp = a - d;
        let mut p = half * temp;
        let bcmax = b.abs().max(c.abs());
        let bcmis = b.abs().min(c.abs()) * sign(one, b) * sign(one, c);
        let mut scale = p.abs().max(bcmax);
        let mut z = (p / scale) * p + (bcmax / scale) * bcmis;
        if z >= R::from_f64(4.0) * eps {
            // Real eigenvalues: compute a and d.
            z = p + sign(scale.sqrt() * z.sqrt(), p);
            a = d + z;
            d -= (bcmax / z) * bcmis;
            let tau = hypot(c, z);
            cs = z / tau;
            sn = c / tau;
            b -= c;
            c = zero;
        } else {
            // Complex or nearly equal real eigenvalues: make the diagonal equal.
            let mut sigma = b + c;
            for _ in 0..=20 {
                scale = temp.abs().max(sigma.abs());
                if scale >= safmx2 {
                    sigma *= safmn2;
                    temp *= safmn2;
                    continue;
                }
                if scale <= safmn2 {
                    sigma *= safmx2;
                    temp *= safmx2;
                    continue;
                }
                break;
            }
            p = half * temp;
            let mut tau = hypot(sigma, temp);
            cs = (half * (one + sigma.abs() / tau)).sqrt();
            sn = -(p / (tau * cs)) * sign(one, sigma);
            // [aa bb; cc dd] = [a b; c d] [cs -sn; sn cs], then rot^T times it.
            let (aa, bb) = (a * cs + b * sn, -a * sn + b * cs);
            let (cc, dd) = (c * cs + d * sn, -c * sn + d * cs);
            a = aa * cs + cc * sn;
            b = bb * cs + dd * sn;
            c = -aa * sn + cc * cs;
            d = -bb * sn + dd * cs;
            temp = half * (a + d);
            a = temp;
            d = temp;
            if c != zero {
                if b != zero {
                    if sign(one, b) == sign(one, c) {
                        // Real eigenvalues: reduce to upper triangular form.
                        let sab = b.abs().sqrt();
                        let sac = c.abs().sqrt();
                        p = sign(sab * sac, c);
                        tau = one / (b + c).abs().sqrt();
                        a = temp + p;
                        d = temp - p;
                        b -= c;
                        c = zero;
                        let cs1 = sab * tau;
                        let sn1 = sac * tau;
                        let t = cs * cs1 - sn * sn1;
                        sn = cs * sn1 + sn * cs1;
                        cs = t;
                    }
                } else {
                    b = -c;
                    c = zero;
                    let t = cs;
                    cs = -sn;
                    sn = t;
                }
            }
        }
    }
    let im = if c == zero {
        zero
    } else {
        b.abs().sqrt() * c.abs().sqrt()
    };
    Standard2x2 {
        block: [a, b, c, d],
        values: [(a, im), (d, -im)],
        cs,
        sn,
    }
}

/// Rows (or columns) x and y := (c x + s y, c y - conj(s) x) for n pairs at strides.
///
/// # Safety
/// Both vectors valid for n elements at `inc`.
pub unsafe fn rotate<T: Scalar>(n: usize, x: *mut T, y: *mut T, inc: usize, c: T::RealPart, s: T) {
    let c = T::from_real(c);
    for k in 0..n {
        let (px, py) = (x.add(k * inc), y.add(k * inc));
        let (xv, yv) = (*px, *py);
        *px = c * xv + s * yv;
        *py = c * yv - s.conj() * xv;
    }
}

/// Applies the standardizing rotation of the 2 x 2 block at (i, i) of the n x n Schur
/// form `t` (and to columns i, i+1 of `z`), storing the new block. Returns its values.
///
/// # Safety
/// `t` valid for n x n, `z` for n x n when given; i + 1 < n.
pub unsafe fn standardize_block<R: Real>(
    n: usize,
    t: RawMat<R>,
    z: Option<RawMat<R>>,
    i: usize,
) -> [(R, R); 2] {
    let s = standardize(
        t.get(i, i),
        t.get(i, i + 1),
        t.get(i + 1, i),
        t.get(i + 1, i + 1),
    );
    t.set(i, i, s.block[0]);
    t.set(i, i + 1, s.block[1]);
    t.set(i + 1, i, s.block[2]);
    t.set(i + 1, i + 1, s.block[3]);
    if i + 2 < n {
        rotate(
            n - i - 2,
            t.at(i, i + 2).ptr,
            t.at(i + 1, i + 2).ptr,
            t.ld,
            s.cs,
            s.sn,
        );
    }
    rotate(i, t.at(0, i).ptr, t.at(0, i + 1).ptr, 1, s.cs, s.sn);
    if let Some(z) = z {
        rotate(n, z.at(0, i).ptr, z.at(0, i + 1).ptr, 1, s.cs, s.sn);
    }
    s.values
}

/// xLAHQR's search, from row `iu` up to `l`, for a negligible subdiagonal entry H(k, k-1)
/// of the active block `lo..=hi` (Ahues and Kressner's test); returns k, or `l` when there
/// is none. `size` is the magnitude LAPACK uses for an entry (|x|, or |re| + |im| for
/// complex), `real_size` the one it uses for a subdiagonal neighbour (the complex QR keeps
/// the subdiagonal real, so LAPACK looks at the real part there), `diff(k)` the size of
/// H(k-1, k-1) - H(k, k).
pub(crate) fn negligible_subdiagonal<R: Real>(
    (l, iu, lo, hi): (usize, usize, usize, usize),
    (ulp, smlnum): (R, R),
    size: impl Fn(usize, usize) -> R,
    real_size: impl Fn(usize, usize) -> R,
    diff: impl Fn(usize) -> R,
) -> usize {
    let mut k = iu;
    while k > l {
        if size(k, k - 1) <= smlnum {
            break;
        }
        let mut tst = size(k - 1, k - 1) + size(k, k);
        if tst == R::zero() {
            if k >= lo + 2 {
                tst += real_size(k - 1, k - 2);
            }
            if k < hi {
                tst += real_size(k + 1, k);
            }
        }
        if real_size(k, k - 1) <= ulp * tst {
            let ab = size(k, k - 1).max(size(k - 1, k));
            let ba = size(k, k - 1).min(size(k - 1, k));
            let aa = size(k, k).max(diff(k));
            let bb = size(k, k).min(diff(k));
            let s = aa + ab;
            if ba * (ab / s) <= smlnum.max(ulp * (bb * (aa / s))) {
                break;
            }
        }
        k -= 1;
    }
    k
}

/// Real xLAHQR with the full Schur form wanted: rows and columns `lo..=hi` of the n x n
/// Hessenberg `h` are reduced; the eigenvalues (re, im) go to `w`. Returns LAPACK's
/// INFO: 0, or i (1-based) when eigenvalue i failed to converge (w(i+1..) are valid).
///
/// # Safety
/// `h` valid for n x n, `z` for n x n when given, `w` has n entries.
pub unsafe fn real_hqr<R: Real>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
    w: &mut [(R, R)],
) -> usize {
    with_spread_rows(n, h, |h| real_sweeps(n, lo, hi, h, z, w))
}

/// xLAQR1 for one pair of shifts (re, im): a multiple of the first column of
/// (H - s1)(H - s2) at row `k` (3 entries); zero when its scale is.
///
/// # Safety
/// `h` valid for rows and columns k..=k+2.
pub(crate) unsafe fn shift_column<R: Real>(
    h: RawMat<R>,
    k: usize,
    (s1, s2): ((R, R), (R, R)),
) -> [R; 3] {
    let zero = R::zero();
    let h21 = h.get(k + 1, k);
    let s = (h.get(k, k) - s2.0).abs() + s2.1.abs() + h21.abs();
    if s == zero {
        return [zero; 3];
    }
    let h21s = h21 / s;
    [
        h21s * h.get(k, k + 1) + (h.get(k, k) - s1.0) * ((h.get(k, k) - s2.0) / s)
            - s1.1 * (s2.1 / s),
        h21s * (h.get(k, k) + h.get(k + 1, k + 1) - s1.0 - s2.0),
        h21s * h.get(k + 2, k + 1),
    ]
}

/// Runs `sweeps` on the n x n `h`, or, when h's columns are a multiple of 1 KiB apart,
/// on a copy with an odd leading dimension: the sweeps update H by rows as well, and
/// entries 1 KiB apart fall into a few cache sets (dgees 256 with LDA = 256 took 3x the
/// time of LDA = 257).
unsafe fn with_spread_rows<T: Scalar, X>(
    n: usize,
    h: RawMat<T>,
    sweeps: impl FnOnce(RawMat<T>) -> X,
) -> X {
    if n < 32 || !(h.ld * std::mem::size_of::<T>()).is_multiple_of(1024) {
        return sweeps(h);
    }
    let ld = n | 1;
    let mut spread = vec![T::zero(); ld * n];
    let copy = RawMat::new(spread.as_mut_ptr(), ld);
    let copy_all = |from: RawMat<T>, to: RawMat<T>| {
        for j in 0..n {
            for i in 0..n {
                to.set(i, j, from.get(i, j));
            }
        }
    };
    copy_all(h, copy);
    let out = sweeps(copy);
    copy_all(copy, h);
    out
}

/// [`real_hqr`] on H as it is.
pub(crate) unsafe fn real_sweeps<R: Real>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<R>,
    z: Option<RawMat<R>>,
    w: &mut [(R, R)],
) -> usize {
    let zero = R::zero();
    if n == 0 {
        return 0;
    }
    for i in (0..lo).chain(hi + 1..n) {
        w[i] = (h.get(i, i), zero);
    }
    if lo == hi {
        w[lo] = (h.get(lo, lo), zero);
        return 0;
    }
    for j in lo..hi.saturating_sub(1) {
        h.set(j + 2, j, zero);
        if j + 3 <= hi {
            h.set(j + 3, j, zero);
        }
    }
    let nh = hi - lo + 1;
    let ulp = precision::<R>();
    let smlnum = R::safe_min() * (R::from_f64(nh as f64) / ulp);
    let itmax = 30 * nh.max(10);
    let mut kdefl = 0;
    let abs = |i: usize, j: usize| h.get(i, j).abs();
    // i: the last row of the active block (0-based); the loop runs while i >= lo.
    let mut i = hi as isize;
    while i >= lo as isize {
        let iu = i as usize;
        let mut l = lo;
        let mut converged = false;
        for _ in 0..=itmax {
            let diff = |k: usize| (h.get(k - 1, k - 1) - h.get(k, k)).abs();
            let block = (l, iu, lo, hi);
            l = negligible_subdiagonal(block, (ulp, smlnum), abs, abs, diff);
            if l > lo {
                h.set(l, l - 1, zero);
            }
            if l + 1 >= iu {
                converged = true;
                break;
            }
            kdefl += 1;
            let (h11, h12, h21, h22);
            if kdefl % (2 * KEXSH) == 0 {
                let s = abs(iu, iu - 1) + abs(iu - 1, iu - 2);
                h11 = R::from_f64(DAT1) * s + h.get(iu, iu);
                h12 = R::from_f64(DAT2) * s;
                h21 = s;
                h22 = h11;
            } else if kdefl % KEXSH == 0 {
                let s = abs(l + 1, l) + abs(l + 2, l + 1);
                h11 = R::from_f64(DAT1) * s + h.get(l, l);
                h12 = R::from_f64(DAT2) * s;
                h21 = s;
                h22 = h11;
            } else {
                h11 = h.get(iu - 1, iu - 1);
                h21 = h.get(iu, iu - 1);
                h12 = h.get(iu - 1, iu);
                h22 = h.get(iu, iu);
            }
            let s = h11.abs() + h12.abs() + h21.abs() + h22.abs();
            let (rt1r, rt1i, rt2r, rt2i);
            if s == zero {
                (rt1r, rt1i, rt2r, rt2i) = (zero, zero, zero, zero);
            } else {
                let (h11, h12, h21, h22) = (h11 / s, h12 / s, h21 / s, h22 / s);
                let tr = (h11 + h22) / R::from_f64(2.0);
                let det = (h11 - tr) * (h22 - tr) - h12 * h21;
                let rtdisc = det.abs().sqrt();
                if det >= zero {
                    rt1r = tr * s;
                    rt2r = rt1r;
                    rt1i = rtdisc * s;
                    rt2i = -rt1i;
                } else {
                    // Two real shifts: use the one closer to h22 twice.
                    let (a, b) = (tr + rtdisc, tr - rtdisc);
                    let pick = if (a - h22).abs() <= (b - h22).abs() {
                        a * s
                    } else {
                        b * s
                    };
                    (rt1r, rt2r, rt1i, rt2i) = (pick, pick, zero, zero);
                }
            }
            // Two consecutive small subdiagonals: start the bulge at row m.
            let mut m = iu - 2;
            let mut v = loop {
                let mut v = shift_column(h, m, ((rt1r, rt1i), (rt2r, rt2i)));
                let s = v[0].abs() + v[1].abs() + v[2].abs();
                for x in v.iter_mut() {
                    *x /= s;
                }
                if m == l {
                    break v;
                }
                let h00 = abs(m, m - 1) * (v[1].abs() + v[2].abs());
                let h01 = v[0].abs() * (abs(m - 1, m - 1) + abs(m, m) + abs(m + 1, m + 1));
                if h00 <= ulp * h01 {
                    break v;
                }
                m -= 1;
            };
            // The double-shift sweep.
            for k in m..iu {
                let nr = 3.min(iu - k + 1);
                if k > m {
                    for (r, x) in v.iter_mut().enumerate().take(nr) {
                        *x = h.get(k + r, k - 1);
                    }
                }
                let mut alpha = v[0];
                let t1 = reflector(nr, &mut alpha, v.as_mut_ptr().add(1));
                v[0] = alpha;
                if k > m {
                    h.set(k, k - 1, v[0]);
                    h.set(k + 1, k - 1, zero);
                    if k + 1 < iu {
                        h.set(k + 2, k - 1, zero);
                    }
                } else if m > l {
                    // Not -h(k, k-1): avoids a sign error when v(1..) underflow.
                    h.set(k, k - 1, h.get(k, k - 1) * (R::one() - t1));
                }
                let v2 = v[1];
                let t2 = t1 * v2;
                let last_row = (k + 3).min(iu);
                if nr == 3 {
                    let v3 = v[2];
                    let t3 = t1 * v3;
                    for j in k..n {
                        let sum = h.get(k, j) + v2 * h.get(k + 1, j) + v3 * h.get(k + 2, j);
                        h.set(k, j, h.get(k, j) - sum * t1);
                        h.set(k + 1, j, h.get(k + 1, j) - sum * t2);
                        h.set(k + 2, j, h.get(k + 2, j) - sum * t3);
                    }
                    let reflector = [v2, v3, t1, t2, t3];
                    reflect_columns(h.at(0, k), last_row + 1, reflector);
                    if let Some(z) = z {
                        reflect_columns(z.at(0, k), n, reflector);
                    }
                } else if nr == 2 {
                    for j in k..n {
                        let sum = h.get(k, j) + v2 * h.get(k + 1, j);
                        h.set(k, j, h.get(k, j) - sum * t1);
                        h.set(k + 1, j, h.get(k + 1, j) - sum * t2);
                    }
                    let columns = |c: RawMat<R>, rows: usize| {
                        for j in 0..rows {
                            let sum = c.get(j, k) + v2 * c.get(j, k + 1);
                            c.set(j, k, c.get(j, k) - sum * t1);
                            c.set(j, k + 1, c.get(j, k + 1) - sum * t2);
                        }
                    };
                    columns(h, iu + 1);
                    if let Some(z) = z {
                        columns(z, n);
                    }
                }
            }
        }
        if !converged {
            return iu + 1;
        }
        if l == iu {
            w[iu] = (h.get(iu, iu), zero);
        } else {
            let values = standardize_block(n, h, z, iu - 1);
            w[iu - 1] = values[0];
            w[iu] = values[1];
        }
        kdefl = 0;
        i = l as isize - 1;
    }
    0
}

crate::dispatched! {
    /// Columns 0, 1, 2 of `c` (rows 0..rows) times I - t (1, v2, v3)^T (1, v2, v3)^H,
    /// with `reflector` = [v2, v3, t, t conj(v2), t conj(v3)]: the double-shift sweep's
    /// update from the right, elementwise in the order of the plain loop (the same bits
    /// at every width).
    pub(crate) unsafe fn reflect_columns<T: Scalar>(c: RawMat<T>, rows: usize, reflector: [T; 5]) -> () {
        let [v2, v3, t1, t2, t3] = reflector;
        // SAFETY: the caller's three columns of `rows` entries, distinct since ld >= rows.
        let (x0, x1, x2) = unsafe {
            (
                std::slice::from_raw_parts_mut(c.ptr, rows),
                std::slice::from_raw_parts_mut(c.at(0, 1).ptr, rows),
                std::slice::from_raw_parts_mut(c.at(0, 2).ptr, rows),
            )
        };
        for ((a, b), d) in x0.iter_mut().zip(x1.iter_mut()).zip(x2.iter_mut()) {
            let sum = *a + v2 * *b + v3 * *d;
            *a -= sum * t1;
            *b -= sum * t2;
            *d -= sum * t3;
        }
    }
}

/// sqrt of a complex number, principal branch.
pub(crate) fn complex_sqrt<T: Scalar>(x: T) -> T {
    let zero = T::RealPart::zero();
    let (re, im) = (x.re(), x.im());
    let r = x.modulus();
    if r == zero {
        return T::zero();
    }
    let half = T::RealPart::from_f64(0.5);
    let t = (half * (r + re.abs())).sqrt();
    if re >= zero {
        T::from_parts(t, im / (t + t))
    } else {
        T::from_parts(im.abs() / (t + t), sign(t, im))
    }
}

/// Scales `n` entries at stride `inc` by `s`.
unsafe fn scale<T: Scalar>(n: usize, s: T, x: *mut T, inc: usize) {
    for k in 0..n {
        *x.add(k * inc) *= s;
    }
}

/// Complex xLAHQR with the full Schur form wanted (see [`real_hqr`]); the eigenvalues
/// go to `w`. Returns LAPACK's INFO.
///
/// # Safety
/// As for [`real_hqr`].
pub unsafe fn complex_hqr<T: Scalar>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<T>,
    z: Option<RawMat<T>>,
    w: &mut [T],
) -> usize {
    with_spread_rows(n, h, |h| complex_sweeps(n, lo, hi, h, z, w))
}

/// [`complex_hqr`] on H as it is.
pub(crate) unsafe fn complex_sweeps<T: Scalar>(
    n: usize,
    lo: usize,
    hi: usize,
    h: RawMat<T>,
    z: Option<RawMat<T>>,
    w: &mut [T],
) -> usize {
    let rzero = T::RealPart::zero();
    if n == 0 {
        return 0;
    }
    for i in (0..lo).chain(hi + 1..n) {
        w[i] = h.get(i, i);
    }
    if lo == hi {
        w[lo] = h.get(lo, lo);
        return 0;
    }
    for j in lo..hi.saturating_sub(1) {
        h.set(j + 2, j, T::zero());
        if j + 3 <= hi {
            h.set(j + 3, j, T::zero());
        }
    }
    // Make the subdiagonal real by a diagonal unitary similarity.
    for i in lo + 1..=hi {
        let sub = h.get(i, i - 1);
        if sub.im() != rzero {
            let sc = sub.quotient(T::from_real(sub.abs1()));
            let sc = sc.conj().quotient(T::from_real(sc.modulus()));
            h.set(i, i - 1, T::from_real(sub.modulus()));
            scale(n - i, sc, h.at(i, i).ptr, h.ld);
            scale((i + 2).min(n), sc.conj(), h.at(0, i).ptr, 1);
            if let Some(z) = z {
                scale(n, sc.conj(), z.at(0, i).ptr, 1);
            }
        }
    }
    let nh = hi - lo + 1;
    let ulp = precision::<T::RealPart>();
    let smlnum = T::RealPart::safe_min() * (T::RealPart::from_f64(nh as f64) / ulp);
    let itmax = 30 * nh.max(10);
    let mut kdefl = 0;
    let cabs = |i: usize, j: usize| h.get(i, j).abs1();
    let rabs = |i: usize, j: usize| h.get(i, j).re().abs();
    let dat1 = T::RealPart::from_f64(DAT1);
    let mut i = hi as isize;
    while i >= lo as isize {
        let iu = i as usize;
        let mut l = lo;
        let mut converged = false;
        for _ in 0..=itmax {
            let diff = |k: usize| (h.get(k - 1, k - 1) - h.get(k, k)).abs1();
            let block = (l, iu, lo, hi);
            l = negligible_subdiagonal(block, (ulp, smlnum), cabs, rabs, diff);
            if l > lo {
                h.set(l, l - 1, T::zero());
            }
            if l >= iu {
                converged = true;
                break;
            }
            kdefl += 1;
            let shift = if kdefl % (2 * KEXSH) == 0 {
                T::from_real(dat1 * rabs(iu, iu - 1)) + h.get(iu, iu)
            } else if kdefl % KEXSH == 0 {
                T::from_real(dat1 * rabs(l + 1, l)) + h.get(l, l)
            } else {
                // Wilkinson's shift.
                let mut t = h.get(iu, iu);
                let u = complex_sqrt(h.get(iu - 1, iu)) * complex_sqrt(h.get(iu, iu - 1));
                let mut s = u.abs1();
                if s != rzero {
                    let x = T::from_real(T::RealPart::from_f64(0.5)) * (h.get(iu - 1, iu - 1) - t);
                    let sx = x.abs1();
                    s = s.max(sx);
                    let (xs, us) = (x.quotient(T::from_real(s)), u.quotient(T::from_real(s)));
                    let mut y = T::from_real(s) * complex_sqrt(xs * xs + us * us);
                    if sx > rzero {
                        let xn = x.quotient(T::from_real(sx));
                        if xn.re() * y.re() + xn.im() * y.im() < rzero {
                            y = -y;
                        }
                    }
                    t -= u * u.quotient(x + y);
                }
                t
            };
            // Two consecutive small subdiagonals.
            let mut v: [T; 2];
            let mut m = iu - 1;
            loop {
                let h11 = h.get(m, m);
                let h22 = h.get(m + 1, m + 1);
                let mut h11s = h11 - shift;
                let mut h21 = h.get(m + 1, m).re();
                let s = h11s.abs1() + h21.abs();
                h11s = h11s.quotient(T::from_real(s));
                h21 /= s;
                v = [h11s, T::from_real(h21)];
                if m == l {
                    break;
                }
                let h10 = h.get(m, m - 1).re();
                if h10.abs() * h21.abs() <= ulp * (h11s.abs1() * (h11.abs1() + h22.abs1())) {
                    break;
                }
                m -= 1;
            }
            // The single-shift sweep.
            for k in m..iu {
                if k > m {
                    v = [h.get(k, k - 1), h.get(k + 1, k - 1)];
                }
                let mut alpha = v[0];
                let t1 = reflector(2, &mut alpha, v.as_mut_ptr().add(1));
                v[0] = alpha;
                if k > m {
                    h.set(k, k - 1, v[0]);
                    h.set(k + 1, k - 1, T::zero());
                }
                let v2 = v[1];
                let t2 = T::from_real((t1 * v2).re());
                for j in k..n {
                    let sum = t1.conj() * h.get(k, j) + t2 * h.get(k + 1, j);
                    h.set(k, j, h.get(k, j) - sum);
                    h.set(k + 1, j, h.get(k + 1, j) - sum * v2);
                }
                let columns = |c: RawMat<T>, rows: usize| {
                    for j in 0..rows {
                        let sum = t1 * c.get(j, k) + t2 * c.get(j, k + 1);
                        c.set(j, k, c.get(j, k) - sum);
                        c.set(j, k + 1, c.get(j, k + 1) - sum * v2.conj());
                    }
                };
                columns(h, (k + 2).min(iu) + 1);
                if let Some(z) = z {
                    columns(z, n);
                }
                if k == m && m > l {
                    // Started below a small subdiagonal: keep h(m, m-1) real.
                    let mut temp = T::one() - t1;
                    temp = temp.quotient(T::from_real(temp.modulus()));
                    h.set(m + 1, m, h.get(m + 1, m) * temp.conj());
                    if m + 2 <= iu {
                        h.set(m + 2, m + 1, h.get(m + 2, m + 1) * temp);
                    }
                    for j in m..=iu {
                        if j != m + 1 {
                            if n > j + 1 {
                                scale(n - j - 1, temp, h.at(j, j + 1).ptr, h.ld);
                            }
                            scale(j, temp.conj(), h.at(0, j).ptr, 1);
                            if let Some(z) = z {
                                scale(n, temp.conj(), z.at(0, j).ptr, 1);
                            }
                        }
                    }
                }
            }
            // Keep h(i, i-1) real.
            let temp = h.get(iu, iu - 1);
            if temp.im() != rzero {
                let r = temp.modulus();
                h.set(iu, iu - 1, T::from_real(r));
                let temp = temp.quotient(T::from_real(r));
                if n > iu + 1 {
                    scale(n - iu - 1, temp.conj(), h.at(iu, iu + 1).ptr, h.ld);
                }
                scale(iu, temp, h.at(0, iu).ptr, 1);
                if let Some(z) = z {
                    scale(n, temp, z.at(0, iu).ptr, 1);
                }
            }
        }
        if !converged {
            return iu + 1;
        }
        w[iu] = h.get(iu, iu);
        kdefl = 0;
        i = l as isize - 1;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::c64;

    /// A pseudo-random upper Hessenberg n x n matrix stored with leading dimension `ld`.
    fn hessenberg<T: Scalar>(n: usize, ld: usize) -> Vec<T> {
        let entries = values::<T>(n * n, 7);
        let mut h = vec![T::zero(); ld * n];
        for j in 0..n {
            for i in 0..n.min(j + 2) {
                h[i + j * ld] = entries[i + j * n];
            }
        }
        h
    }

    /// The sweeps on a spread copy (leading dimension 128: 1 KiB of f64, 2 KiB of c64) give the bits of
    /// the sweeps in place (leading dimension 129), for T, Z and the eigenvalues.
    #[test]
    fn spread_copy_changes_no_bit() {
        let n = 100;
        let mut runs = Vec::new();
        for ld in [128, 129] {
            let mut h = hessenberg::<f64>(n, ld);
            let mut z = vec![0.0; ld * n];
            for i in 0..n {
                z[i + i * ld] = 1.0;
            }
            let mut w = vec![(0.0, 0.0); n];
            let info = unsafe {
                real_hqr(
                    n,
                    0,
                    n - 1,
                    RawMat::new(h.as_mut_ptr(), ld),
                    Some(RawMat::new(z.as_mut_ptr(), ld)),
                    &mut w,
                )
            };
            assert_eq!(info, 0);
            let entries = |m: &[f64]| -> Vec<u64> {
                (0..n * n)
                    .map(|k| m[k % n + (k / n) * ld].to_bits())
                    .collect()
            };
            runs.push((entries(&h), entries(&z), w));
        }
        assert!(runs[0] == runs[1]);

        let mut complex = Vec::new();
        for ld in [128, 129] {
            let mut h = hessenberg::<c64>(n, ld);
            let mut w = vec![c64::new(0.0, 0.0); n];
            let info =
                unsafe { complex_hqr(n, 0, n - 1, RawMat::new(h.as_mut_ptr(), ld), None, &mut w) };
            assert_eq!(info, 0);
            complex.push(w);
        }
        assert!(complex[0] == complex[1]);
    }
}
