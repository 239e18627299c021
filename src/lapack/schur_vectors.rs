//! Eigenvectors of a real Schur form (LAPACK's xTREVC with HOWMNY = 'A', before the
//! back-transformation): for an upper quasi-triangular T (1 x 1 blocks and 2 x 2 blocks
//! in standard form, as `schur::real_hqr` leaves them), the upper quasi-triangular X with
//! T X = X diag(lambda). Column j holds the vector of a real lambda_j; for a complex pair
//! j, j + 1 (lambda_j the one with positive imaginary part) columns j and j + 1 hold the
//! real and imaginary parts of lambda_j's vector. Each column is scaled to largest
//! component 1 in modulus.
//!
//! The back-substitution keeps LAPACK's safeguards: a pivot smaller than smin (a few ulps
//! of lambda) is raised to smin, so equal or close eigenvalues still give a vector, and
//! the vector is scaled down whenever the next step could overflow. Left vectors are the
//! right vectors of the reversed transpose.

use crate::blas::level1;
use crate::lapack::householder::ladiv;
use crate::lapack::lookahead::{Claims, Shared};
use crate::lapack::raw::RawMat;
use crate::scalar::Real;
use crate::threads;
use std::ops::Range;

/// A complex number as (re, im): the few operations the pair solves need.
#[derive(Clone, Copy)]
struct Complex<R> {
    re: R,
    im: R,
}

impl<R: Real> Complex<R> {
    fn new(re: R, im: R) -> Self {
        Complex { re, im }
    }

    fn real(re: R) -> Self {
        Complex::new(re, R::zero())
    }

    fn abs1(self) -> R {
        self.re.abs() + self.im.abs()
    }

    fn sub(self, o: Self) -> Self {
        Complex::new(self.re - o.re, self.im - o.im)
    }

    fn mul(self, o: Self) -> Self {
        Complex::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }

    fn scale(self, s: R) -> Self {
        Complex::new(self.re * s, self.im * s)
    }

    /// self / o without intermediate overflow: xLADIV, or two real divisions by a real o.
    fn div(self, o: Self) -> Self {
        if o.im == R::zero() {
            return Complex::new(self.re / o.re, self.im / o.re);
        }
        let (re, im) = ladiv(self.re, self.im, o.re, o.im);
        Complex::new(re, im)
    }
}

/// The thresholds of the back-substitution (xTREVC's): pivots are kept above
/// max(ulp |lambda|, smlnum), and a vector is scaled before any entry would pass bignum.
struct Limits<R> {
    ulp: R,
    smlnum: R,
    bignum: R,
}

impl<R: Real> Limits<R> {
    fn new(n: usize) -> Self {
        let ulp = R::epsilon() * R::from_f64(2.0);
        let smlnum = R::safe_min() * (R::from_f64(n as f64) / ulp);
        Limits {
            ulp,
            smlnum,
            bignum: (R::one() - ulp) / smlnum,
        }
    }
}

/// A vector being solved for: its real part and, for a complex eigenvalue, its
/// imaginary part (entries 0..len).
struct Vector<'a, R> {
    re: &'a mut [R],
    im: Option<&'a mut [R]>,
}

impl<R: Real> Vector<'_, R> {
    fn get(&self, i: usize) -> Complex<R> {
        let im = self.im.as_ref().map_or(R::zero(), |im| im[i]);
        Complex::new(self.re[i], im)
    }

    fn set(&mut self, i: usize, value: Complex<R>) {
        self.re[i] = value.re;
        if let Some(im) = self.im.as_mut() {
            im[i] = value.im;
        }
    }

    fn scale(&mut self, s: R) {
        self.re.iter_mut().for_each(|x| *x *= s);
        if let Some(im) = self.im.as_mut() {
            im.iter_mut().for_each(|x| *x *= s);
        }
    }

    /// x(0..rows) -= y * column, the update after solving for one entry.
    /// (AXPY's vector kernel: x + (-y) t has the bits of x - y t.)
    fn subtract(&mut self, rows: usize, y: Complex<R>, column: &[R]) {
        let column = &column[..rows];
        let minus_y_times_column = |x: &mut [R], y: R| {
            let x = &mut x[..rows];
            // SAFETY: both slices hold `rows` elements.
            unsafe { level1::axpy(rows as i64, -y, column.as_ptr(), 1, x.as_mut_ptr(), 1) };
        };
        minus_y_times_column(self.re, y.re);
        if let Some(im) = self.im.as_mut() {
            minus_y_times_column(im, y.im);
        }
    }

    fn max_abs(&self) -> R {
        let re = self.re.iter().fold(R::zero(), |m, x| m.max(x.abs()));
        match self.im.as_ref() {
            Some(im) => im.iter().fold(re, |m, x| m.max(x.abs())),
            None => re,
        }
    }
}

/// Solves (B - lambda I) y = b for the 1 x 1 or 2 x 2 diagonal block B, pivots raised to
/// `smin`. Returns y and the factor s <= 1 by which b was scaled so that y cannot
/// overflow (y solves the system for s b).
fn solve_block<R: Real>(
    block: &[[R; 2]; 2],
    size: usize,
    lambda: Complex<R>,
    b: [Complex<R>; 2],
    smin: R,
    bignum: R,
) -> ([Complex<R>; 2], R) {
    let one = R::one();
    let entry = |i: usize, j: usize| {
        let t = Complex::real(block[i][j]);
        if i == j {
            t.sub(lambda)
        } else {
            t
        }
    };
    // Scale when |b| > 1 would give |b / pivot| > bignum.
    let guard = |bound: R, pivot: R| {
        if pivot < one && bound > one && bound > bignum * pivot {
            one / bound
        } else {
            one
        }
    };
    if size == 1 {
        let mut d = entry(0, 0);
        if d.abs1() < smin {
            d = Complex::real(smin);
        }
        let s = guard(b[0].abs1(), d.abs1());
        return ([b[0].scale(s).div(d), Complex::real(R::zero())], s);
    }
    // Complete pivoting on the 2 x 2 complex matrix (as xLALN2).
    let mut pivot = (0, 0);
    let mut largest = R::zero();
    for i in 0..2 {
        for j in 0..2 {
            if entry(i, j).abs1() > largest {
                largest = entry(i, j).abs1();
                pivot = (i, j);
            }
        }
    }
    if largest < smin {
        // The whole block is negligible: solve with smin I.
        let bound = b[0].abs1().max(b[1].abs1());
        let s = guard(bound, smin);
        let d = Complex::real(smin);
        return ([b[0].scale(s).div(d), b[1].scale(s).div(d)], s);
    }
    let (r, c) = pivot;
    let (r2, c2) = (1 - r, 1 - c);
    let p = entry(r, c);
    let l = entry(r2, c).div(p);
    let mut u = entry(r2, c2).sub(l.mul(entry(r, c2)));
    if u.abs1() < smin {
        u = Complex::real(smin);
    }
    let b1 = b[r];
    let b2 = b[r2].sub(l.mul(b1));
    let bound = b2.abs1().max(b1.abs1() * (u.abs1() / p.abs1()));
    let s = guard(bound, u.abs1());
    let y2 = b2.scale(s).div(u);
    let y1 = b1.scale(s).sub(entry(r, c2).mul(y2)).div(p);
    let mut y = [y1, y1];
    y[c] = y1;
    y[c2] = y2;
    (y, s)
}

/// The diagonal blocks of the quasi-triangular T, as (first row, size), bottom first.
unsafe fn blocks_bottom_up<R: Real>(n: usize, t: RawMat<R>) -> Vec<(usize, usize)> {
    let mut blocks = Vec::with_capacity(n);
    let mut end = n;
    while end > 0 {
        let last = end - 1;
        if last > 0 && t.get(last, last - 1) != R::zero() {
            blocks.push((last - 1, 2));
            end -= 2;
        } else {
            blocks.push((last, 1));
            end -= 1;
        }
    }
    blocks
}

/// One vector's back-substitution through the blocks of T above its own (their order
/// bottom up), from rows 0..top of `x` holding the right-hand side.
unsafe fn substitute<R: Real>(
    t: RawMat<R>,
    blocks: &[(usize, usize)],
    column_norms: &[R],
    solving: &mut Solving<'_, R>,
) {
    for &block in blocks {
        solving.step(t, block, column_norms);
    }
}

/// A vector being back-substituted: its entries and its eigenvalue's parameters.
struct Solving<'a, R> {
    x: Vector<'a, R>,
    lambda: Complex<R>,
    smin: R,
    limits: &'a Limits<R>,
}

impl<'a, R: Real> Solving<'a, R> {
    /// The vector of the diagonal block (k, size) in x's columns k (and k + 1), set up
    /// for the back-substitution: its rows k.. solved, rows 0..k the right-hand side.
    ///
    /// # Safety
    /// `t` and `x` as for [`right`]; no other live reference to x's columns k, k + 1.
    unsafe fn start(
        t: RawMat<R>,
        x: RawMat<R>,
        (k, size): (usize, usize),
        limits: &'a Limits<R>,
    ) -> Self {
        let zero = R::zero();
        let column = |j: usize, len: usize| std::slice::from_raw_parts_mut(x.at(0, j).ptr, len);
        if size == 1 {
            let wr = t.get(k, k);
            let re = column(k, k + 1);
            re[k] = R::one();
            for (i, entry) in re[..k].iter_mut().enumerate() {
                *entry = -t.get(i, k);
            }
            return Solving {
                x: Vector { re, im: None },
                lambda: Complex::real(wr),
                smin: (limits.ulp * wr.abs()).max(limits.smlnum),
                limits,
            };
        }
        // The pair k, k + 1 (standard form: equal diagonal, b c < 0).
        let (b, c) = (t.get(k, k + 1), t.get(k + 1, k));
        let wr = t.get(k + 1, k + 1);
        let wi = b.abs().sqrt() * c.abs().sqrt();
        let re = column(k, k + 2);
        let im = column(k + 1, k + 2);
        // The 2 x 2 block's own eigenvector of wr + i wi, as xTREVC chooses it.
        if b.abs() >= c.abs() {
            (re[k], im[k + 1]) = (R::one(), wi / b);
        } else {
            (re[k], im[k + 1]) = (-wi / c, R::one());
        }
        (re[k + 1], im[k]) = (zero, zero);
        for i in 0..k {
            re[i] = -re[k] * t.get(i, k);
            im[i] = -im[k + 1] * t.get(i, k + 1);
        }
        Solving {
            x: Vector { re, im: Some(im) },
            lambda: Complex::new(wr, wi),
            smin: (limits.ulp * (wr.abs() + wi)).max(limits.smlnum),
            limits,
        }
    }

    /// Solves for the entries of the diagonal block (j, size) (above the vector's own)
    /// and subtracts their multiples of T's columns from the rows above it.
    unsafe fn step(&mut self, t: RawMat<R>, (j, size): (usize, usize), column_norms: &[R]) {
        let one = R::one();
        let x = &mut self.x;
        let mut block = [[R::zero(); 2]; 2];
        let mut b = [Complex::real(R::zero()); 2];
        for (r, (row, rhs)) in block.iter_mut().zip(b.iter_mut()).enumerate().take(size) {
            for (c, entry) in row.iter_mut().enumerate().take(size) {
                *entry = t.get(j + r, j + c);
            }
            *rhs = x.get(j + r);
        }
        let bignum = self.limits.bignum;
        let (mut y, s) = solve_block(&block, size, self.lambda, b, self.smin, bignum);
        if s != one {
            x.scale(s);
        }
        // Scale down when the update below could overflow.
        let ymax = y[..size].iter().fold(R::zero(), |m, v| m.max(v.abs1()));
        let norm = column_norms[j..j + size]
            .iter()
            .fold(R::zero(), |m, &v| m.max(v));
        if ymax > one && norm > bignum / ymax {
            let s = one / ymax;
            x.scale(s);
            y.iter_mut().for_each(|v| *v = v.scale(s));
        }
        for (r, &value) in y.iter().enumerate().take(size) {
            x.set(j + r, value);
            let column = std::slice::from_raw_parts(t.at(0, j + r).ptr, j);
            x.subtract(j, value, column);
        }
    }

    /// Scales the finished vector to largest component 1.
    fn normalize(mut self) {
        let big = self.x.max_abs();
        self.x.scale(R::one() / big);
    }
}

/// Vectors (diagonal blocks) back-substituted together, one block of T above them at a
/// time for all: each column of T is then read from memory once per group, not once per
/// vector (dgeev 4096 read T's triangle 4096 times, 7 s of 30). Each vector sees the
/// same operations in the same order either way.
const GROUP: usize = 16;

/// Orders from which the groups are spread over the threads.
const PARALLEL_FROM: usize = 256;

/// The right eigenvectors of the n x n quasi-triangular `t` into `x` (n x n, overwritten;
/// layout in the module note).
///
/// # Safety
/// `t` and `x` valid for n x n, `x` not overlapping `t`, both with contiguous columns.
pub unsafe fn right<R: Real>(n: usize, t: RawMat<R>, x: RawMat<R>) {
    let zero = R::zero();
    let limits = Limits::<R>::new(n);
    let column_norms: Vec<R> = (0..n)
        .map(|j| (0..j).fold(zero, |s, i| s + t.get(i, j).abs()))
        .collect();
    for j in 0..n {
        for i in 0..n {
            x.set(i, j, zero);
        }
    }
    let blocks = blocks_bottom_up(n, t);
    // Bottom up, so the largest groups are claimed first.
    let groups: Vec<Range<usize>> = (0..blocks.len())
        .step_by(GROUP)
        .map(|first| first..(first + GROUP).min(blocks.len()))
        .collect();
    let claims = Claims::new(groups);
    let (t, x) = (Shared::new(t), Shared::new(x));
    let parts = if n >= PARALLEL_FROM {
        threads::count()
    } else {
        1
    };
    threads::run_parts(parts, &|_| {
        threads::sequential(|| {
            claims.run(|group| {
                let (t, x) = (t.get(), x.get());
                let mut vectors: Vec<Solving<'_, R>> = group
                    .clone()
                    .map(|index| Solving::start(t, x, blocks[index], &limits))
                    .collect();
                // The blocks of the group: each vector through those above its own.
                for (index, solving) in group.clone().zip(vectors.iter_mut()) {
                    substitute(t, &blocks[index + 1..group.end], &column_norms, solving);
                }
                for &block in &blocks[group.end..] {
                    for solving in vectors.iter_mut() {
                        solving.step(t, block, &column_norms);
                    }
                }
                vectors.into_iter().for_each(Solving::normalize);
            })
        })
    });
}

/// The left eigenvectors (u^T T = lambda u^T, for a complex lambda u^H T = lambda u^H)
/// of the n x n quasi-triangular `t` into `x`, lower quasi-triangular, in the same
/// layout as [`right`]'s.
///
/// # Safety
/// As [`right`].
pub unsafe fn left<R: Real>(n: usize, t: RawMat<R>, x: RawMat<R>) {
    // T^T u = conj(lambda) u. With P the reversal, T' = P T^T P is upper
    // quasi-triangular, and its right vector y of lambda gives u = P conj(y).
    let mut reversed = vec![R::zero(); n * n];
    let r = RawMat::new(reversed.as_mut_ptr(), n);
    for j in 0..n {
        for i in 0..n {
            r.set(i, j, t.get(n - 1 - j, n - 1 - i));
        }
    }
    let mut y = vec![R::zero(); n * n];
    let ry = RawMat::new(y.as_mut_ptr(), n);
    right(n, r, ry);
    let mut j = 0;
    while j < n {
        let pair = j + 1 < n && t.get(j + 1, j) != R::zero();
        if pair {
            // T's pair j, j + 1 is T''s pair n - 2 - j, n - 1 - j.
            for i in 0..n {
                x.set(i, j, ry.get(n - 1 - i, n - 2 - j));
                x.set(i, j + 1, -ry.get(n - 1 - i, n - 1 - j));
            }
            j += 2;
        } else {
            for i in 0..n {
                x.set(i, j, ry.get(n - 1 - i, n - 1 - j));
            }
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::reals;
    use crate::lapack::hessenberg::gehrd;
    use crate::lapack::schur::real_hqr;

    /// A pseudo-random n x n matrix's Schur form T (column-major, ld n) and eigenvalues.
    fn schur_form(n: usize, seed: u64) -> (Vec<f64>, Vec<(f64, f64)>) {
        let mut a = reals(n * n, seed);
        let h = RawMat::new(a.as_mut_ptr(), n);
        let mut tau = vec![0.0; n.saturating_sub(1)];
        let mut w = vec![(0.0, 0.0); n];
        unsafe {
            gehrd(n, 0, n - 1, h, &mut tau);
            assert_eq!(real_hqr(n, 0, n - 1, h, None, &mut w), 0);
            for j in 0..n {
                for i in j + 2..n {
                    h.set(i, j, 0.0);
                }
            }
        }
        (a, w)
    }

    /// max over eigenvalues of ||op(T) v - mu v||_1 / (||T||_1 ||v||_1 ulp), v complex.
    fn residual(n: usize, t: &[f64], x: &[f64], w: &[(f64, f64)], transposed: bool) -> f64 {
        let at = |i: usize, j: usize| {
            if transposed {
                t[j + i * n]
            } else {
                t[i + j * n]
            }
        };
        let norm = (0..n)
            .map(|j| (0..n).map(|i| t[i + j * n].abs()).sum::<f64>())
            .fold(0.0, f64::max);
        let mut worst: f64 = 0.0;
        let mut j = 0;
        while j < n {
            let pair = w[j].1 != 0.0;
            let v = |i: usize| {
                let re = x[i + j * n];
                let im = if pair { x[i + (j + 1) * n] } else { 0.0 };
                (re, im)
            };
            // Left vectors satisfy T^T u = conj(lambda) u.
            let mu = (w[j].0, if transposed { -w[j].1 } else { w[j].1 });
            let mut r = 0.0;
            let mut size = 0.0;
            for i in 0..n {
                let (mut sr, mut si) = (0.0, 0.0);
                for k in 0..n {
                    sr += at(i, k) * v(k).0;
                    si += at(i, k) * v(k).1;
                }
                let (vr, vi) = v(i);
                r += (sr - (mu.0 * vr - mu.1 * vi)).abs() + (si - (mu.0 * vi + mu.1 * vr)).abs();
                size += vr.abs() + vi.abs();
            }
            assert!(size > 0.0, "zero vector for eigenvalue {j}");
            worst = worst.max(r / (norm * size * f64::EPSILON));
            j += if pair { 2 } else { 1 };
        }
        worst
    }

    #[test]
    fn vectors_of_random_schur_forms_have_small_residuals() {
        for (n, seed) in [(1, 1), (2, 2), (5, 3), (17, 4), (40, 5), (64, 6)] {
            let (mut t, w) = schur_form(n, seed);
            assert!(
                w.iter().any(|v| v.1 != 0.0) || n < 5,
                "no complex pair at n = {n}"
            );
            let tm = RawMat::new(t.as_mut_ptr(), n);
            for transposed in [false, true] {
                let mut x = vec![f64::NAN; n * n];
                let xm = RawMat::new(x.as_mut_ptr(), n);
                unsafe {
                    if transposed {
                        left(n, tm, xm);
                    } else {
                        right(n, tm, xm);
                    }
                }
                let worst = residual(n, &t, &x, &w, transposed);
                assert!(
                    worst < 10.0 * n as f64,
                    "n = {n}, left = {transposed}: {worst}"
                );
            }
        }
    }

    /// [`right`] of the n x n `t` (ld n).
    fn right_of(n: usize, t: &mut [f64]) -> Vec<f64> {
        let mut x = vec![0.0f64; n * n];
        unsafe {
            right(
                n,
                RawMat::new(t.as_mut_ptr(), n),
                RawMat::new(x.as_mut_ptr(), n),
            )
        };
        x
    }

    #[test]
    fn groups_on_threads_give_each_vectors_own_substitution_bits() {
        // Many groups, spread over the threads; pairs fall anywhere in a group.
        let n = PARALLEL_FROM + 37;
        let (mut t, w) = schur_form(n, 7);
        assert!(w.iter().filter(|v| v.1 != 0.0).count() > 2 * GROUP);
        let grouped = crate::threads::with_team(|| right_of(n, &mut t));
        let tm = RawMat::new(t.as_mut_ptr(), n);
        let mut alone = vec![0.0f64; n * n];
        let xm = RawMat::new(alone.as_mut_ptr(), n);
        let limits = Limits::<f64>::new(n);
        let column_norms: Vec<f64> = (0..n)
            .map(|j| (0..j).map(|i| t[i + j * n].abs()).sum())
            .collect();
        unsafe {
            let blocks = blocks_bottom_up(n, tm);
            for (index, &block) in blocks.iter().enumerate() {
                let mut solving = Solving::start(tm, xm, block, &limits);
                substitute(tm, &blocks[index + 1..], &column_norms, &mut solving);
                solving.normalize();
            }
        }
        let differing = (0..n * n)
            .filter(|&i| grouped[i].to_bits() != alone[i].to_bits())
            .count();
        assert_eq!(differing, 0);
        assert!(residual(n, &t, &grouped, &w, false) < 10.0 * n as f64);
    }

    #[test]
    fn equal_eigenvalues_give_finite_vectors() {
        // A Jordan block: every eigenvalue 2, one eigenvector direction.
        let n = 6;
        let mut t = vec![0.0; n * n];
        for i in 0..n {
            t[i + i * n] = 2.0;
            if i + 1 < n {
                t[i + (i + 1) * n] = 1.0;
            }
        }
        let x = right_of(n, &mut t);
        assert!(x.iter().all(|v| v.is_finite()));
        for j in 0..n {
            let big = (0..n).map(|i| x[i + j * n].abs()).fold(0.0, f64::max);
            assert!(
                (big - 1.0).abs() < 4.0 * f64::EPSILON,
                "column {j} not scaled to 1"
            );
        }
    }

    #[test]
    fn growth_is_scaled_not_overflowed() {
        // Nearly equal eigenvalues and huge couplings: unscaled substitution overflows.
        let n = 8;
        let mut t = vec![0.0; n * n];
        for j in 0..n {
            t[j + j * n] = 1.0 + j as f64 * 1e-15;
            for i in 0..j {
                t[i + j * n] = 1e200;
            }
        }
        let x = right_of(n, &mut t);
        assert!(x.iter().all(|v| v.is_finite()), "{x:?}");
    }
}
