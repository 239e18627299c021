//! The SVD of a real upper bidiagonal matrix by implicit QR iteration, with vectors
//! (LAPACK's xBDSQR; Demmel and Kahan, "Accurate singular values of bidiagonal
//! matrices", 1990). Each unreduced block is chased from its larger end; a shift from
//! the trailing 2 x 2 unless it would spoil the small values' relative accuracy, then
//! the zero-shift sweep; convergence by Demmel and Kahan's relative criterion. A sweep's
//! rotations are kept and applied to U and V afterwards, a few rows at a time through
//! all of them (each entry loaded and stored once a sweep).
//!
//! For the bidiagonals of small SVDs and the divide and conquer's leaves (its setup and
//! merges cost more than they save there; LAPACK's xBDSDC takes this path below 26).

use crate::lapack::bidiagonal_svd::BidiagonalSvd;
use crate::lapack::tridiagonal_qr::{lartg, sign};
use crate::scalar::Real;

/// Sweeps allowed per value on average (LAPACK's MAXITR).
const MAX_SWEEPS: usize = 6;

/// The SVD of the n x n upper bidiagonal matrix with diagonal `d` and superdiagonal `e`
/// (n - 1 entries): values descending, U and V n x n. None when an entry is not finite
/// or the iteration did not converge (xBDSQR's INFO > 0).
pub fn svd(d: &[f64], e: &[f64]) -> Option<BidiagonalSvd> {
    let n = d.len();
    assert!(e.len() + 1 == n.max(1));
    let identity = || {
        let mut x = vec![0.0; n * n];
        x.iter_mut().step_by(n + 1).for_each(|x| *x = 1.0);
        x
    };
    let mut out = BidiagonalSvd {
        s: d.to_vec(),
        u: identity(),
        v: identity(),
    };
    let mut e = e.to_vec();
    svd_onto(&mut out.s, &mut e, (&mut out.u, n), (&mut out.v, n))?;
    Some(out)
}

/// xBDSQR with NRU and NCVT rows: d becomes B's values (descending), U := U Qb and
/// V := V Pb where B = Qb diag(d) Pb^T; `u` and `v` are (column-major data, rows) with n
/// columns. e is destroyed. None (d, e, U and V then meaningless) when an entry is not
/// finite or the iteration did not converge.
pub fn svd_onto(
    d: &mut [f64],
    e: &mut [f64],
    (u, u_rows): (&mut [f64], usize),
    (v, v_rows): (&mut [f64], usize),
) -> Option<()> {
    let n = d.len();
    assert!(e.len() + 1 >= n && u.len() >= u_rows * n && v.len() >= v_rows * n);
    let e = &mut e[..n.saturating_sub(1)];
    if !d.iter().chain(e.iter()).all(|x| x.is_finite()) {
        return None;
    }
    if n > 1 {
        Iteration {
            d: &mut *d,
            e,
            u: Vectors {
                data: u,
                rows: u_rows,
            },
            v: Vectors {
                data: v,
                rows: v_rows,
            },
        }
        .run()?;
    }
    // Values positive (V's column takes the sign) and descending, one swap a vector.
    for (i, value) in d.iter_mut().enumerate() {
        if *value < 0.0 {
            *value = -*value;
            v[i * v_rows..(i + 1) * v_rows]
                .iter_mut()
                .for_each(|x| *x = -*x);
        } else {
            *value = value.abs();
        }
    }
    for last in (1..n).rev() {
        let smallest = (0..=last)
            .rev()
            .min_by(|&a, &b| d[a].total_cmp(&d[b]))
            .unwrap_or(last);
        if smallest != last {
            d.swap(smallest, last);
            swap_columns(u, u_rows, smallest, last);
            swap_columns(v, v_rows, smallest, last);
        }
    }
    Some(())
}

fn swap_columns(x: &mut [f64], rows: usize, a: usize, b: usize) {
    let (a, b) = (a.min(b), a.max(b));
    let (head, tail) = x.split_at_mut(b * rows);
    head[a * rows..(a + 1) * rows].swap_with_slice(&mut tail[..rows]);
}

/// Vectors updated by the rotations: `rows` x (B's order), column-major.
struct Vectors<'a> {
    data: &'a mut [f64],
    rows: usize,
}

/// The state of one xBDSQR run: B's entries and the vectors.
struct Iteration<'a> {
    d: &'a mut [f64],
    e: &'a mut [f64],
    u: Vectors<'a>,
    v: Vectors<'a>,
}

/// Which end of a block the bulge starts from (the end with the larger entry).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Down,
    Up,
}

impl Iteration<'_> {
    fn run(&mut self) -> Option<()> {
        let n = self.d.len();
        // xLAMCH('E'): the unit roundoff.
        let eps = f64::EPSILON / 2.0;
        let tol = eps * eps.powf(-0.125).clamp(10.0, 100.0);
        let unfl = f64::MIN_POSITIVE;
        // Demmel and Kahan's estimate of the smallest value, for the absolute floor.
        let mut smallest = self.d[0].abs();
        let mut mu = smallest;
        for i in 1..n {
            if smallest == 0.0 {
                break;
            }
            mu = self.d[i].abs() * (mu / (mu + self.e[i - 1].abs()));
            smallest = smallest.min(mu);
        }
        let floor = MAX_SWEEPS as f64 * (n as f64 * (n as f64 * unfl));
        let thresh = (tol * smallest / (n as f64).sqrt()).max(floor);

        let max_steps = MAX_SWEEPS * n * n;
        let mut steps = 0;
        let mut direction = Direction::Down;
        let (mut old_first, mut old_last) = (None, None);
        let mut rotations = Rotations::new(n);
        // The unconverged part is rows 0..=last.
        let mut last = n - 1;
        'outer: while last > 0 {
            if steps >= max_steps {
                return None;
            }
            let (d, e) = (&mut *self.d, &mut *self.e);
            // The block first..=last: e[first..last] nonzero.
            let mut largest = d[last].abs();
            let mut first = 0;
            for l in (0..last).rev() {
                let (abss, abse) = (d[l].abs(), e[l].abs());
                // An exact zero splits even when thresh is NaN.
                if abse <= thresh || abse == 0.0 {
                    e[l] = 0.0;
                    first = l + 1;
                    break;
                }
                largest = largest.max(abss).max(abse);
            }
            if first == last {
                last -= 1;
                continue;
            }
            if first + 1 == last {
                let (small, big, sinr, cosr, sinl, cosl) = lasv2(d[last - 1], e[last - 1], d[last]);
                d[last - 1] = big;
                e[last - 1] = 0.0;
                d[last] = small;
                // SAFETY: none beyond the arguments' (checked there).
                unsafe {
                    let (v, u) = (&mut self.v, &mut self.u);
                    apply_rotations::<f64>(v.data, v.rows, last - 1, &[(cosr, sinr)], true);
                    apply_rotations::<f64>(u.data, u.rows, last - 1, &[(cosl, sinl)], true);
                }
                if last < 2 {
                    break;
                }
                last -= 2;
                continue;
            }
            // A new block: chase from its larger end.
            if old_last.is_none_or(|old| first > old) || old_first.is_some_and(|old| last < old) {
                direction = if d[first].abs() >= d[last].abs() {
                    Direction::Down
                } else {
                    Direction::Up
                };
            }
            // Convergence: the near end's test, then the relative criterion through
            // the block (a negligible e splits; the loop restarts).
            let smin;
            if direction == Direction::Down {
                if e[last - 1].abs() <= tol * d[last].abs() {
                    e[last - 1] = 0.0;
                    continue;
                }
                let mut mu = d[first].abs();
                let mut low = mu;
                for l in first..last {
                    if e[l].abs() <= tol * mu {
                        e[l] = 0.0;
                        continue 'outer;
                    }
                    mu = d[l + 1].abs() * (mu / (mu + e[l].abs()));
                    low = low.min(mu);
                }
                smin = low;
            } else {
                if e[first].abs() <= tol * d[first].abs() {
                    e[first] = 0.0;
                    continue;
                }
                let mut mu = d[last].abs();
                let mut low = mu;
                for l in (first..last).rev() {
                    if e[l].abs() <= tol * mu {
                        e[l] = 0.0;
                        continue 'outer;
                    }
                    mu = d[l].abs() * (mu / (mu + e[l].abs()));
                    low = low.min(mu);
                }
                smin = low;
            }
            old_first = Some(first);
            old_last = Some(last);

            // A shift that would ruin the small values' relative accuracy is zero.
            let shift = if n as f64 * tol * (smin / largest) <= eps.max(0.01 * tol) {
                0.0
            } else {
                let (end, (shift, _)) = match direction {
                    Direction::Down => (d[first].abs(), las2(d[last - 1], e[last - 1], d[last])),
                    Direction::Up => (d[last].abs(), las2(d[first], e[first], d[first + 1])),
                };
                if end > 0.0 && (shift / end).powi(2) < eps {
                    0.0
                } else {
                    shift
                }
            };
            steps += last - first;
            let block = Block { first, last };
            match (direction, shift == 0.0) {
                (Direction::Down, true) => block.zero_shift_down(d, e, &mut rotations),
                (Direction::Up, true) => block.zero_shift_up(d, e, &mut rotations),
                (Direction::Down, false) => block.shifted_down(d, e, shift, &mut rotations),
                (Direction::Up, false) => block.shifted_up(d, e, shift, &mut rotations),
            }
            let end = if direction == Direction::Down {
                last - 1
            } else {
                first
            };
            if e[end].abs() <= thresh {
                e[end] = 0.0;
            }
            let forward = direction == Direction::Down;
            let len = last - first;
            // SAFETY: none beyond the arguments' (checked there).
            unsafe {
                let (v, u) = (&mut self.v, &mut self.u);
                apply_rotations::<f64>(v.data, v.rows, first, &rotations.right[..len], forward);
                apply_rotations::<f64>(u.data, u.rows, first, &rotations.left[..len], forward);
            }
        }
        Some(())
    }
}

/// One sweep's rotations: `right` for V's columns, `left` for U's; (c, s) each.
struct Rotations {
    right: Vec<(f64, f64)>,
    left: Vec<(f64, f64)>,
}

impl Rotations {
    fn new(n: usize) -> Rotations {
        Rotations {
            right: vec![(1.0, 0.0); n],
            left: vec![(1.0, 0.0); n],
        }
    }
}

/// Rows and columns first..=last of B: an unreduced block.
struct Block {
    first: usize,
    last: usize,
}

impl Block {
    fn zero_shift_down(&self, d: &mut [f64], e: &mut [f64], rot: &mut Rotations) {
        let (first, last) = (self.first, self.last);
        let (mut cs, mut old_cs, mut old_sn) = (1.0, 1.0, 0.0);
        for i in first..last {
            let (c, sn, r) = lartg(d[i] * cs, e[i]);
            cs = c;
            if i > first {
                e[i - 1] = old_sn * r;
            }
            let (oc, os, di) = lartg(old_cs * r, d[i + 1] * sn);
            (old_cs, old_sn, d[i]) = (oc, os, di);
            rot.right[i - first] = (cs, sn);
            rot.left[i - first] = (old_cs, old_sn);
        }
        let h = d[last] * cs;
        d[last] = h * old_cs;
        e[last - 1] = h * old_sn;
    }

    fn zero_shift_up(&self, d: &mut [f64], e: &mut [f64], rot: &mut Rotations) {
        let (first, last) = (self.first, self.last);
        let (mut cs, mut old_cs, mut old_sn) = (1.0, 1.0, 0.0);
        for i in (first + 1..=last).rev() {
            let (c, sn, r) = lartg(d[i] * cs, e[i - 1]);
            cs = c;
            if i < last {
                e[i] = old_sn * r;
            }
            let (oc, os, di) = lartg(old_cs * r, d[i - 1] * sn);
            (old_cs, old_sn, d[i]) = (oc, os, di);
            rot.left[i - first - 1] = (cs, -sn);
            rot.right[i - first - 1] = (old_cs, -old_sn);
        }
        let h = d[first] * cs;
        d[first] = h * old_cs;
        e[first] = h * old_sn;
    }

    fn shifted_down(&self, d: &mut [f64], e: &mut [f64], shift: f64, rot: &mut Rotations) {
        let (first, last) = (self.first, self.last);
        let mut f = (d[first].abs() - shift) * (1f64.copysign(d[first]) + shift / d[first]);
        let mut g = e[first];
        for i in first..last {
            let (cosr, sinr, r) = lartg(f, g);
            if i > first {
                e[i - 1] = r;
            }
            f = cosr * d[i] + sinr * e[i];
            e[i] = cosr * e[i] - sinr * d[i];
            g = sinr * d[i + 1];
            d[i + 1] *= cosr;
            let (cosl, sinl, r) = lartg(f, g);
            d[i] = r;
            f = cosl * e[i] + sinl * d[i + 1];
            d[i + 1] = cosl * d[i + 1] - sinl * e[i];
            if i + 1 < last {
                g = sinl * e[i + 1];
                e[i + 1] *= cosl;
            }
            rot.right[i - first] = (cosr, sinr);
            rot.left[i - first] = (cosl, sinl);
        }
        e[last - 1] = f;
    }

    fn shifted_up(&self, d: &mut [f64], e: &mut [f64], shift: f64, rot: &mut Rotations) {
        let (first, last) = (self.first, self.last);
        let mut f = (d[last].abs() - shift) * (1f64.copysign(d[last]) + shift / d[last]);
        let mut g = e[last - 1];
        for i in (first + 1..=last).rev() {
            let (cosr, sinr, r) = lartg(f, g);
            if i < last {
                e[i] = r;
            }
            f = cosr * d[i] + sinr * e[i - 1];
            e[i - 1] = cosr * e[i - 1] - sinr * d[i];
            g = sinr * d[i - 1];
            d[i - 1] *= cosr;
            let (cosl, sinl, r) = lartg(f, g);
            d[i] = r;
            f = cosl * e[i - 1] + sinl * d[i - 1];
            d[i - 1] = cosl * d[i - 1] - sinl * e[i - 1];
            if i > first + 1 {
                g = sinl * e[i - 2];
                e[i - 2] *= cosl;
            }
            rot.left[i - first - 1] = (cosr, -sinr);
            rot.right[i - first - 1] = (cosl, -sinl);
        }
        e[first] = f;
    }
}

/// Rows at a time in [`apply_rotations`]: one AVX-512 register of f64.
const ROWS: usize = 8;

crate::dispatched! {
    /// xLASR('R', 'V', forward or backward) on the column-major `x` (columns of n
    /// rows): rotation j of `rot`, (c, s), makes columns (from + j, from + j + 1) = (p,
    /// q) into (c p + s q, c q - s p), in order (or reverse order). 32 rows (then 8, then 1) at a time
    /// through every rotation, the running column kept in registers: each entry is
    /// loaded and stored once.
    ///
    /// # Safety
    /// None beyond the arguments' (checked): `x` holds columns 0..=from + rot.len().
    unsafe fn apply_rotations<R: Real>(
        x: &mut [R],
        n: usize,
        from: usize,
        rot: &[(R, R)],
        forward: bool,
    ) -> () {
        assert!(x.len() >= n * (from + rot.len() + 1));
        // Four registers' rows at a time: four independent chains hide the latency of
        // each rotation's multiply and add.
        let mut start = 0;
        while start + 4 * ROWS <= n {
            rows_through::<R, { 4 * ROWS }>(x, n, start, from, rot, forward);
            start += 4 * ROWS;
        }
        while start + ROWS <= n {
            rows_through::<R, ROWS>(x, n, start, from, rot, forward);
            start += ROWS;
        }
        for row in start..n {
            rows_through::<R, 1>(x, n, row, from, rot, forward);
        }
    }
}

/// [`apply_rotations`] on rows start..start + W.
#[inline(always)]
fn rows_through<R: Real, const W: usize>(
    x: &mut [R],
    n: usize,
    start: usize,
    from: usize,
    rot: &[(R, R)],
    forward: bool,
) {
    let col = |j: usize| start + j * n;
    let load = |x: &[R], j: usize| -> [R; W] {
        let mut v = [R::zero(); W];
        v.copy_from_slice(&x[col(j)..col(j) + W]);
        v
    };
    let k = rot.len();
    if forward {
        // carry: column j; it meets column j + 1 and leaves column j done.
        let mut carry = load(x, from);
        for (step, &(c, s)) in rot.iter().enumerate() {
            let j = from + step;
            let next = load(x, j + 1);
            let out = &mut x[col(j)..col(j) + W];
            for r in 0..W {
                out[r] = c * carry[r] + s * next[r];
                carry[r] = c * next[r] - s * carry[r];
            }
        }
        x[col(from + k)..col(from + k) + W].copy_from_slice(&carry);
    } else {
        // carry: column j + 1; it meets column j and leaves column j + 1 done.
        let mut carry = load(x, from + k);
        for (step, &(c, s)) in rot.iter().enumerate().rev() {
            let j = from + step;
            let next = load(x, j);
            let out = &mut x[col(j + 1)..col(j + 1) + W];
            for r in 0..W {
                out[r] = c * carry[r] - s * next[r];
                carry[r] = c * next[r] + s * carry[r];
            }
        }
        x[col(from)..col(from) + W].copy_from_slice(&carry);
    }
}

/// xLAS2: the smaller and larger singular values of [f g; 0 h].
fn las2(f: f64, g: f64, h: f64) -> (f64, f64) {
    let (fa, ga, ha) = (f.abs(), g.abs(), h.abs());
    let (fhmn, fhmx) = (fa.min(ha), fa.max(ha));
    if fhmn == 0.0 {
        let big = if fhmx == 0.0 {
            ga
        } else {
            let (lo, hi) = (fhmx.min(ga), fhmx.max(ga));
            hi * (1.0 + (lo / hi).powi(2)).sqrt()
        };
        (0.0, big)
    } else if ga < fhmx {
        let as_ = 1.0 + fhmn / fhmx;
        let at = (fhmx - fhmn) / fhmx;
        let au = (ga / fhmx).powi(2);
        let c = 2.0 / ((as_ * as_ + au).sqrt() + (at * at + au).sqrt());
        (fhmn * c, fhmx / c)
    } else {
        let au = fhmx / ga;
        if au == 0.0 {
            // Avoid underflow: both terms of the product are tiny against ga.
            ((fhmn * fhmx) / ga, ga)
        } else {
            let as_ = 1.0 + fhmn / fhmx;
            let at = (fhmx - fhmn) / fhmx;
            let c = 1.0 / ((1.0 + (as_ * au).powi(2)).sqrt() + (1.0 + (at * au).powi(2)).sqrt());
            (2.0 * (fhmn * c) * au, ga / (c + c))
        }
    }
}

/// xLASV2: the SVD of [f g; 0 h]: (ssmin, ssmax, snr, csr, snl, csl) with
/// [csl snl; -snl csl] [f g; 0 h] [csr -snr; snr csr] = diag(ssmax, ssmin), |ssmax| >=
/// |ssmin|, signs as the reference.
fn lasv2(f: f64, g: f64, h: f64) -> (f64, f64, f64, f64, f64, f64) {
    let (mut ft, mut fa, mut ht, mut ha) = (f, f.abs(), h, h.abs());
    // Which entry is largest: 1 f, 2 g, 3 h.
    let mut pmax = 1;
    let swap = ha > fa;
    if swap {
        pmax = 3;
        std::mem::swap(&mut ft, &mut ht);
        std::mem::swap(&mut fa, &mut ha);
    }
    let (gt, ga) = (g, g.abs());
    let (ssmin, ssmax, clt, crt, slt, srt);
    if ga == 0.0 {
        (ssmin, ssmax, clt, crt, slt, srt) = (ha, fa, 1.0, 1.0, 0.0, 0.0);
    } else {
        let mut small_g = true;
        let mut found = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        if ga > fa {
            pmax = 2;
            if fa / ga < f64::EPSILON / 2.0 {
                // A very large g.
                small_g = false;
                let smin = if ha > 1.0 {
                    fa / (ga / ha)
                } else {
                    (fa / ga) * ha
                };
                found = (smin, ga, 1.0, ft / gt, ht / gt, 1.0);
            }
        }
        if small_g {
            let dd = fa - ha;
            // 0 <= l <= 1 (l = 1 copes with an infinite f or h).
            let l = if dd == fa { 1.0 } else { dd / fa };
            let m = gt / ft;
            let t = 2.0 - l;
            let (mm, tt) = (m * m, t * t);
            let s = (tt + mm).sqrt();
            let r = if l == 0.0 {
                m.abs()
            } else {
                (l * l + mm).sqrt()
            };
            let a = 0.5 * (s + r);
            let t = if mm == 0.0 {
                if l == 0.0 {
                    sign(2.0, ft) * sign(1.0, gt)
                } else {
                    gt / sign(dd, ft) + m / t
                }
            } else {
                (m / (s + t) + m / (r + l)) * (1.0 + a)
            };
            let l = (t * t + 4.0).sqrt();
            let crt = 2.0 / l;
            let srt = t / l;
            let clt = (crt + srt * m) / a;
            let slt = (ht / ft) * srt / a;
            found = (ha / a, fa * a, clt, crt, slt, srt);
        }
        (ssmin, ssmax, clt, crt, slt, srt) = found;
    }
    let (csl, snl, csr, snr) = if swap {
        (srt, crt, slt, clt)
    } else {
        (clt, slt, crt, srt)
    };
    let tsign = match pmax {
        1 => sign(1.0, csr) * sign(1.0, csl) * sign(1.0, f),
        2 => sign(1.0, snr) * sign(1.0, csl) * sign(1.0, g),
        _ => sign(1.0, snr) * sign(1.0, snl) * sign(1.0, h),
    };
    let ssmax = sign(ssmax, tsign);
    let ssmin = sign(ssmin, tsign * sign(1.0, f) * sign(1.0, h));
    (ssmin, ssmax, snr, csr, snl, csl)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [csl snl; -snl csl] [f g; 0 h] [csr -snr; snr csr] is diag(ssmax, ssmin) within a
    /// few ulps of the largest entry, |ssmax| >= |ssmin|, and xLAS2 gives the same values.
    #[test]
    fn two_by_two_svd() {
        let cases = [
            (1.0, 2.0, 3.0),
            (3.0, 2.0, 1.0),
            (-1.0, 0.5, 2.0),
            (2.0, -7.0, -0.5),
            (1.0, 1e20, 1.0),
            (1e-300, 1.0, 1e300),
            (0.0, 1.0, 2.0),
            (1.0, 0.0, 1.0),
            (2.0, 1.0, 0.0),
            (0.0, 0.0, 0.0),
            (1.0, 1e-17, 1.0),
            (5.0, 3.0, -5.0),
        ];
        for (f, g, h) in cases {
            let (ssmin, ssmax, snr, csr, snl, csl) = lasv2(f, g, h);
            let left = [[csl, snl], [-snl, csl]];
            let right = [[csr, -snr], [snr, csr]];
            let b = [[f, g], [0.0, h]];
            let mut product = [[0.0; 2]; 2];
            for i in 0..2 {
                for j in 0..2 {
                    for k in 0..2 {
                        for l in 0..2 {
                            product[i][j] += left[i][k] * b[k][l] * right[l][j];
                        }
                    }
                }
            }
            let scale = f.abs().max(g.abs()).max(h.abs()).max(f64::MIN_POSITIVE);
            let expected = [[ssmax, 0.0], [0.0, ssmin]];
            for i in 0..2 {
                for j in 0..2 {
                    let error = (product[i][j] - expected[i][j]).abs() / scale;
                    assert!(error < 8.0 * f64::EPSILON, "({f}, {g}, {h}): entry {i},{j}");
                }
            }
            assert!(ssmax.abs() >= ssmin.abs(), "({f}, {g}, {h}): order");
            let (small, big) = las2(f, g, h);
            assert!((small - ssmin.abs()).abs() <= 4.0 * f64::EPSILON * scale);
            assert!((big - ssmax.abs()).abs() <= 4.0 * f64::EPSILON * big);
        }
    }

    /// U and V given as rows x n blocks are multiplied by B's vectors: the SVD of B
    /// applied onto U0 and V0 equals U0 Qb and V0 Pb.
    #[test]
    fn vectors_onto_given_blocks() {
        let n = 12;
        let d: Vec<f64> = (0..n).map(|i| 1.0 + i as f64 * 0.37).collect();
        let e: Vec<f64> = (0..n - 1).map(|i| 0.5 - i as f64 * 0.11).collect();
        let plain = svd(&d, &e).unwrap();
        let rows = 5;
        let u0: Vec<f64> = (0..rows * n).map(|x| ((x * 7) % 11) as f64 - 5.0).collect();
        let v0: Vec<f64> = (0..rows * n).map(|x| ((x * 5) % 13) as f64 - 6.0).collect();
        let (mut u, mut v, mut dd, mut ee) = (u0.clone(), v0.clone(), d.clone(), e.clone());
        svd_onto(&mut dd, &mut ee, (&mut u, rows), (&mut v, rows)).unwrap();
        assert_eq!(dd, plain.s);
        for (x0, x, q) in [(&u0, &u, &plain.u), (&v0, &v, &plain.v)] {
            for i in 0..rows {
                for j in 0..n {
                    let expected: f64 = (0..n).map(|l| x0[i + l * rows] * q[l + j * n]).sum();
                    assert!((x[i + j * rows] - expected).abs() < 1e-12, "entry {i},{j}");
                }
            }
        }
    }
}
