//! Eigenvalues and eigenvectors of a general matrix: xGEEV, on faer's eigendecomposition
//! (Hessenberg reduction, multishift QR to Schur form, back-substitution), except for
//! real orders below [`OWN_QR_BELOW`], which take LAPACK's small-matrix path on our own
//! code (`small_evd`).
//!
//! Netlib's tests demand that the eigenvalues be bit-identical whether or not vectors are
//! wanted, and VR whether or not VL is (and vice versa). faer runs a different QR
//! iteration when no vectors are asked for, so we always ask for at least the right
//! ones (the Schur vectors are then always accumulated), and the left and right
//! back-substitutions never depend on each other. A vector whose residual faer's
//! back-substitution leaves too large is recomputed by inverse iteration
//! (`crate::lapack::inverse_iteration`), which depends on that vector's side only.

use crate::lapack::hessenberg::gehrd_with_q;
use crate::lapack::inverse_iteration::inverse_iteration;
use crate::lapack::raw::RawMat;
use crate::lapack::scaling;
use crate::lapack::schur::real_hqr;
use crate::lapack::schur_vectors;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{c32, c64, Scalar};
use crate::threads::par_for;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::linalg::matmul::matmul_with_conj;
use faer::{Accum, Conj, Mat, MatMut, MatRef, Par};
use std::cell::RefCell;

/// Orders below this run sequentially (see `geev`'s choice of threads).
const PARALLEL_FROM: usize = 384;

/// Real orders below this take LAPACK's small-matrix path (`small_evd`).
const OWN_QR_BELOW: usize = 176;

/// Complex orders below this run faer's small-matrix QR rather than its multishift QR,
/// whose default 10 shifts in a window of 10 (these orders; from 150 ours are set)
/// now and then leave eigenvalues far from the matrix's: a random order-100 matrix
/// (reference-tests' test_geev) came back with two eigenvalues 1.4e-11 off (1000 ulp;
/// vector residual ratios 137 and 49), one of 150 at order 130 with ratio 33 (0.26 on
/// the small QR and the reference). Other settings only moved the failures (12 in a
/// window of 12: one of 200 at order 90). The small QR: no failure in 600 (orders 90,
/// 110, 140), as fast below 128 and 15% slower to 150 (ms, multishift / small: 100
/// 7.1-9.6 / 6.8, 128 12.9 / 15.0).
const COMPLEX_SMALL_QR_BELOW: usize = 150;

/// The type the decomposition runs in: f64 or c64. Single precision is promoted,
/// because faer's eigenvector back-substitution does not rescale against overflow
/// (LAPACK's xTREVC does), and in single precision it overflows on defective matrices
/// of order 20 already; in double the growth fits for the orders Netlib tests.
pub trait Eigen: Scalar {
    type Wide: WideEigen;
}

impl Eigen for f32 {
    type Wide = f64;
}
impl Eigen for f64 {
    type Wide = f64;
}
impl Eigen for c32 {
    type Wide = c64;
}
impl Eigen for c64 {
    type Wide = c64;
}

/// faer's eigendecomposition: eigenvalues as (re, im) pairs and the eigenvectors in
/// faer's layout (for f64, a complex pair j, j+1 stored as real and imaginary parts in
/// columns j and j+1, as LAPACK does). Returns false when faer refuses (NaN or Inf).
pub trait WideEigen: Scalar<RealPart = f64> {
    fn evd(
        a: MatRef<'_, Self>,
        values: &mut [(f64, f64)],
        left: Option<MatMut<'_, Self>>,
        right: Option<MatMut<'_, Self>>,
        par: Par,
    ) -> bool;
}

/// From this order faer's QR chases 32 shifts in a window of 64 (see [`params`]).
const FIXED_WINDOW_FROM: usize = 590;

/// From this order a sweep is skipped when the aggressive deflation removed more than
/// [`SKIP_SWEEP_PERCENT`] of its window, as LAPACK's xLAQR0 does with 14% (NIBBLE), instead
/// of faer's 50%: fewer sweeps. dgeev 4096 (32 shifts in a window of 64, 2 threads, AMD
/// EPYC Zen 5), seven paired rounds: 8% faster than 14% in five, level in two (16.5-19.2 s
/// against 16.7-23.6); 50% took 18.0-18.5 where 14% took 16.7-17.1. At 1024 the sweeps
/// pay (14%: 0.53 s against 0.49); at 2048 level within the noise.
const SKIP_SWEEP_FROM: usize = 3000;

/// See [`SKIP_SWEEP_FROM`].
const SKIP_SWEEP_PERCENT: usize = 8;

/// faer's parameters for an n x n decomposition. Its QR sweeps (as LAPACK's xLAQR0)
/// deflate aggressively in a window that runs the small-matrix QR, whose 3-element
/// reflectors go through a general Householder routine, so smaller windows and fewer
/// shifts than faer's defaults cost less where they were measured (AMD EPYC Zen 5):
/// - from order 590 (faer: 64 shifts in a window of 96, from 3000 128 and 192) 32 in 64:
///   dgeev 1024 took 0.49-0.50 s against 0.64-0.67, 2048 2.62-2.67 against 2.92-2.94,
///   4096 20.1 against 24.0 (2 threads);
/// - from 150 to the sequential orders' end (faer: 32 shifts, a window of n / log2 n)
///   n / 16 of each, at least 12: dgeev 176 7.0 ms against 8.1-8.3, 192 8.6 against
///   9.2-9.3, 256 16.0-16.7 against 17.7-18.5, 320 6% and zgeev 160 and 256 7-10% less;
///   at 384 and 512 (two threads) faer's own were the fastest tried.
fn params<W: Scalar>(n: usize) -> faer::Spec<evd::EvdParams, W> {
    extern "C" fn shifts(_: usize, _: usize) -> usize {
        32
    }
    extern "C" fn window(_: usize, _: usize) -> usize {
        64
    }
    extern "C" fn sixteenth(n: usize, _: usize) -> usize {
        (n / 16).max(12) / 2 * 2
    }
    let mut params: evd::EvdParams = faer::Auto::<W>::auto();
    if n >= FIXED_WINDOW_FROM {
        params.schur.recommended_shift_count = shifts;
        params.schur.recommended_deflation_window = window;
    } else if (150..PARALLEL_FROM).contains(&n) {
        params.schur.recommended_shift_count = sixteenth;
        params.schur.recommended_deflation_window = sixteenth;
    }
    if n >= SKIP_SWEEP_FROM {
        params.schur.nibble_threshold = SKIP_SWEEP_PERCENT;
    }
    if W::IS_COMPLEX && n < COMPLEX_SMALL_QR_BELOW {
        params.schur.blocking_threshold = COMPLEX_SMALL_QR_BELOW;
    }
    params.into()
}

/// faer's workspace for an n x n decomposition with the vectors asked for.
fn workspace<W: Scalar>(n: usize, left: bool, right: bool, par: Par) -> MemBuffer {
    let want = |yes: bool| {
        if yes {
            ComputeEigenvectors::Yes
        } else {
            ComputeEigenvectors::No
        }
    };
    MemBuffer::new(evd::evd_scratch::<W>(
        n,
        want(left),
        want(right),
        par,
        Default::default(),
    ))
}

impl WideEigen for f64 {
    fn evd(
        a: MatRef<'_, f64>,
        values: &mut [(f64, f64)],
        mut left: Option<MatMut<'_, f64>>,
        mut right: Option<MatMut<'_, f64>>,
        par: Par,
    ) -> bool {
        let n = a.nrows();
        if n > 0
            && n < OWN_QR_BELOW
            && small_evd(
                a,
                values,
                left.as_mut().map(|m| m.as_mut()),
                right.as_mut().map(|m| m.as_mut()),
            )
        {
            return true;
        }
        let (mut re, mut im) = (Mat::<f64>::zeros(n, 1), Mat::<f64>::zeros(n, 1));
        let mut buffer = workspace::<f64>(n, left.is_some(), right.is_some(), par);
        let ok = evd::evd_real(
            a,
            re.as_mut().col_mut(0).as_diagonal_mut(),
            im.as_mut().col_mut(0).as_diagonal_mut(),
            left,
            right,
            par,
            MemStack::new(&mut buffer),
            params::<f64>(n),
        )
        .is_ok();
        for (i, value) in values.iter_mut().enumerate() {
            *value = (re[(i, 0)], im[(i, 0)]);
        }
        ok
    }
}

/// LAPACK's path for a small real matrix, where faer's QR iteration costs more than the
/// rest of the decomposition: our Hessenberg reduction, the double-shift QR of
/// `schur::real_hqr` with the Schur vectors Z accumulated, and the eigenvectors of the
/// Schur form (`schur_vectors`, xTREVC) taken back through Z. Returns false, leaving the
/// vectors untouched, when the QR iteration does not converge (faer's then runs).
fn small_evd<'a>(
    a: MatRef<'_, f64>,
    values: &mut [(f64, f64)],
    left: Option<MatMut<'a, f64>>,
    right: Option<MatMut<'a, f64>>,
) -> bool {
    let n = a.nrows();
    let mut t = a.to_owned();
    let mut z = Mat::<f64>::zeros(n, n);
    let (tm, zm) = (RawMat::of_mat(&mut t), RawMat::of_mat(&mut z));
    // SAFETY: t and z are n x n, values n long (the caller's contract).
    unsafe {
        gehrd_with_q(n, 0, n - 1, tm, Some(zm));
        if real_hqr(n, 0, n - 1, tm, Some(zm), values) != 0 {
            return false;
        }
    }
    let mut x = Mat::<f64>::zeros(n, n);
    let xm = RawMat::of_mat(&mut x);
    type Solve = unsafe fn(usize, RawMat<f64>, RawMat<f64>);
    let sides: [(Option<MatMut<'a, f64>>, Solve); 2] =
        [(right, schur_vectors::right), (left, schur_vectors::left)];
    for (out, solve) in sides {
        if let Some(mut out) = out {
            // SAFETY: t and x are n x n with contiguous columns.
            unsafe { solve(n, tm, xm) };
            let (x, z) = (x.as_ref(), z.as_ref());
            matmul_with_conj(
                out.as_mut(),
                Accum::Replace,
                z,
                Conj::No,
                x,
                Conj::No,
                1.0,
                Par::Seq,
            );
        }
    }
    true
}

impl WideEigen for c64 {
    fn evd(
        a: MatRef<'_, c64>,
        values: &mut [(f64, f64)],
        left: Option<MatMut<'_, c64>>,
        right: Option<MatMut<'_, c64>>,
        par: Par,
    ) -> bool {
        let n = a.nrows();
        let mut w = Mat::<c64>::zeros(n, 1);
        let mut buffer = workspace::<c64>(n, left.is_some(), right.is_some(), par);
        let ok = evd::evd_cplx(
            a,
            w.as_mut().col_mut(0).as_diagonal_mut(),
            left,
            right,
            par,
            MemStack::new(&mut buffer),
            params::<c64>(n),
        )
        .is_ok();
        for (i, value) in values.iter_mut().enumerate() {
            *value = (w[(i, 0)].re, w[(i, 0)].im);
        }
        ok
    }
}

/// Computes the eigenvalues of the n x n matrix A (left as it is) and, where given, its
/// left (u^H A = lambda u^H) and right (A v = lambda v) eigenvectors in LAPACK's
/// layout, each of Euclidean norm 1 with its largest component real. Eigenvalues come
/// back as (re, im); for real types conjugate pairs are consecutive, positive imaginary
/// part first. Returns INFO: 0, or n when A holds NaN or Inf (every output is then NaN).
///
/// # Safety
/// `a` valid for n x n, `vl`/`vr` for n x n when given, `values` n long.
pub unsafe fn geev<T: Eigen>(
    n: usize,
    a: RawMat<T>,
    values: &mut [(T::RealPart, T::RealPart)],
    vl: Option<RawMat<T>>,
    vr: Option<RawMat<T>>,
) -> usize {
    let nan = T::RealPart::from_f64(f64::NAN);
    let anrm = scaling::max_abs(n, n, a);
    if anrm.is_nan() || anrm.to_f64().is_infinite() {
        values.fill((nan, nan));
        for v in [vl, vr].into_iter().flatten() {
            fill(n, v, T::from_parts(nan, nan));
        }
        return n;
    }
    // faer's eigenvector solve for complex pairs has absolute thresholds that fail for
    // small matrices (entries near 1e-20 already), so the decomposition always runs on
    // A scaled by a power of two to largest entry in [1, 2): exact, and exactly undone.
    let exponent = if anrm == T::RealPart::from_f64(0.0) {
        0
    } else {
        anrm.to_f64().log2().floor() as i32
    };
    let factor = 2f64.powi(-exponent.clamp(-1000, 1000));
    let wide =
        Mat::<T::Wide>::from_fn(n, n, |i, j| widen(a.get(i, j)) * T::Wide::from_real(factor));
    // Depends on n only, so that every job runs the same arithmetic. Small orders stay on
    // one thread: dgeev 256 on 2 threads (the 2-core AMD EPYC) took 1.2x the time of one
    // even on the pool's threads; at 512 they were equal, at 1024 and 2048 two 1.1-1.3x
    // faster.
    let par = if n < PARALLEL_FROM {
        Par::Seq
    } else {
        par_for(10.0 * (n as f64).powi(3))
    };
    // Always at least the right vectors: see the module comment.
    let mut right = Mat::<T::Wide>::zeros(n, n);
    let mut left = Mat::<T::Wide>::zeros(if vl.is_some() { n } else { 0 }, n);
    let left_arg = vl.map(|_| left.as_mut());
    let right_arg = if vr.is_some() || vl.is_none() {
        Some(right.as_mut())
    } else {
        None
    };
    let mut wide_values = vec![(0.0, 0.0); n];
    let wide_ref = wide.as_ref();
    let values_out = &mut wide_values;
    // A team keeps the threads awake between faer's threaded steps (1024 on 2 threads:
    // 0.51 -> 0.50 s; faer's symmetric solver was 4% slower with one).
    let found = crate::threads::on_pool(par, move || {
        crate::threads::with_team(|| T::Wide::evd(wide_ref, values_out, left_arg, right_arg, par))
    });
    if !found {
        values.fill((nan, nan));
        return n;
    }
    for (value, wide) in values.iter_mut().zip(&wide_values) {
        let unscale = |x: f64| T::RealPart::from_f64(x / factor);
        *value = (unscale(wide.0), unscale(wide.1));
    }
    let flipped = order_pairs::<T>(values);
    for (k, value) in wide_values.iter_mut().enumerate() {
        if values[k].1 != T::RealPart::from_f64(0.0) {
            // The same orientation as `values`, in the scaled problem.
            value.1 = if values[k].1 > T::RealPart::from_f64(0.0) {
                value.1.abs()
            } else {
                -value.1.abs()
            };
        }
    }
    let check = |x: MatRef<'_, T::Wide>, adjoint| {
        Residual::new(wide.as_ref(), x, &wide_values, adjoint, par)
    };
    if let Some(vl) = vl {
        // faer's left pairs already belong to the eigenvalue of positive imaginary part
        // (its left solve runs on the reversed transpose, which swaps the pair).
        store_normalized(
            values,
            &vec![false; n],
            left.as_ref(),
            &check(left.as_ref(), true),
            vl,
        );
    }
    if let Some(vr) = vr {
        store_normalized(
            values,
            &flipped,
            right.as_ref(),
            &check(right.as_ref(), false),
            vr,
        );
    }
    0
}

/// For real types, each conjugate pair with its positive imaginary part first. Returns,
/// per eigenvalue, whether faer had the pair the other way round (its vectors are then
/// those of the conjugate).
fn order_pairs<T: Scalar>(values: &mut [(T::RealPart, T::RealPart)]) -> Vec<bool> {
    let mut flipped = vec![false; values.len()];
    if T::IS_COMPLEX {
        return flipped;
    }
    let zero = T::RealPart::from_f64(0.0);
    let mut j = 0;
    while j < values.len() {
        if values[j].1 != zero && j + 1 < values.len() {
            flipped[j] = values[j].1 < zero;
            let im = values[j].1.abs();
            values[j].1 = im;
            values[j + 1].1 = -im;
            j += 2;
        } else {
            j += 1;
        }
    }
    flipped
}

/// What a vector's residual is checked against: A (or A^H for left vectors), the
/// product of that with faer's vectors, and the eigenvalues, all in the scaled problem.
struct Residual<'a, W: Scalar> {
    a: MatRef<'a, W>,
    product: Mat<W>,
    values: &'a [(f64, f64)],
    adjoint: bool,
    norm1: f64,
    /// Vectors already recomputed, by shift: a defective eigenvalue repeats exactly,
    /// and one O(n^3) inverse iteration serves all its copies.
    repaired: RefCell<Vec<(c64, Vec<c64>)>>,
}

impl<'a, W: Scalar<RealPart = f64>> Residual<'a, W> {
    fn new(
        a: MatRef<'a, W>,
        x: MatRef<'_, W>,
        values: &'a [(f64, f64)],
        adjoint: bool,
        par: Par,
    ) -> Self {
        let n = a.nrows();
        let mut product = Mat::<W>::zeros(n, n);
        let (op, conj) = if adjoint {
            (a.transpose(), Conj::Yes)
        } else {
            (a, Conj::No)
        };
        matmul_with_conj(
            product.as_mut(),
            Accum::Replace,
            op,
            conj,
            x,
            Conj::No,
            W::one(),
            par,
        );
        let norm1 = (0..n)
            .map(|j| (0..n).map(|i| a[(i, j)].abs1()).sum::<f64>())
            .fold(0.0, f64::max);
        Residual {
            a,
            product,
            values,
            adjoint,
            norm1,
            repaired: RefCell::new(Vec::new()),
        }
    }

    /// z itself, or the vector of inverse iteration when ||M z - mu z||_1 exceeds
    /// n ulp ||M||_1 ||z||_2 (Netlib flags 20 times that). Not lower: the LU solve of
    /// inverse iteration leaves residuals of that order itself.
    fn repaired(&self, j: usize, z: Vec<(f64, f64)>, mz: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
        let n = z.len();
        let (re, im) = self.values[j];
        let mu = if self.adjoint {
            c64::new(re, -im)
        } else {
            c64::new(re, im)
        };
        let zc: Vec<c64> = z.iter().map(|&(a, b)| c64::new(a, b)).collect();
        let residual: f64 = mz
            .iter()
            .zip(&zc)
            .map(|(&(a, b), &x)| (c64::new(a, b) - mu * x).abs1())
            .sum();
        let size = zc
            .iter()
            .map(|x| x.re * x.re + x.im * x.im)
            .sum::<f64>()
            .sqrt();
        if residual <= n as f64 * f64::EPSILON * self.norm1 * size {
            return z;
        }
        if let Some((_, w)) = self
            .repaired
            .borrow()
            .iter()
            .find(|(shift, _)| *shift == mu)
        {
            return w.iter().map(|x| (x.re, x.im)).collect();
        }
        let a = |i: usize, k: usize| c64::new(self.a[(i, k)].re(), self.a[(i, k)].im());
        let w = inverse_iteration(n, a, mu, self.adjoint);
        let out = w.iter().map(|x| (x.re, x.im)).collect();
        self.repaired.borrow_mut().push((mu, w));
        out
    }
}

/// Column j (with j + 1 for a real type's pair) of x as complex components.
fn column<W: Scalar<RealPart = f64>>(
    x: MatRef<'_, W>,
    j: usize,
    pair: bool,
    flipped: bool,
) -> Vec<(f64, f64)> {
    (0..x.nrows())
        .map(|i| match (pair, flipped) {
            (true, false) => (x[(i, j)].re(), x[(i, j + 1)].re()),
            (true, true) => (x[(i, j)].re(), -x[(i, j + 1)].re()),
            _ => (x[(i, j)].re(), x[(i, j)].im()),
        })
        .collect()
}

/// Copies faer's eigenvectors into the caller's V, repaired where inaccurate and
/// normalized as xGEEV: Euclidean norm 1, and the component of largest modulus real.
/// For a real type's complex pair the vector is V(:, j) + i V(:, j+1).
unsafe fn store_normalized<T: Scalar, W: Scalar<RealPart = f64>>(
    values: &[(T::RealPart, T::RealPart)],
    flipped: &[bool],
    x: MatRef<'_, W>,
    residual: &Residual<'_, W>,
    v: RawMat<T>,
) {
    let n = x.nrows();
    let zero = T::RealPart::from_f64(0.0);
    let mut j = 0;
    while j < n {
        let pair = !T::IS_COMPLEX && values[j].1 != zero && j + 1 < n;
        let z = column(x, j, pair, flipped[j]);
        let mz = column(residual.product.as_ref(), j, pair, flipped[j]);
        let mut z = residual.repaired(j, z, mz);
        normalize(&mut z, T::IS_COMPLEX || pair);
        for (i, &(re, im)) in z.iter().enumerate() {
            let (re, im) = (T::RealPart::from_f64(re), T::RealPart::from_f64(im));
            if pair {
                v.set(i, j, T::from_real(re));
                v.set(i, j + 1, T::from_real(im));
            } else {
                v.set(i, j, T::from_parts(re, im));
            }
        }
        j += if pair { 2 } else { 1 };
    }
}

/// Scales z to Euclidean norm 1 and, for complex vectors, turns its largest component
/// real (LAPACK's rule: the first of largest modulus). Safe for entries near overflow.
fn normalize(z: &mut [(f64, f64)], complex: bool) {
    let big = z
        .iter()
        .fold(0.0f64, |m, c| m.max(c.0.abs()).max(c.1.abs()));
    if big == 0.0 || !big.is_finite() {
        return;
    }
    let norm = big
        * z.iter()
            .map(|c| (c.0 / big).powi(2) + (c.1 / big).powi(2))
            .sum::<f64>()
            .sqrt();
    for c in z.iter_mut() {
        *c = (c.0 / norm, c.1 / norm);
    }
    if !complex {
        return;
    }
    let mut k = 0;
    let mut best = -1.0;
    for (i, c) in z.iter().enumerate() {
        let m = c.0 * c.0 + c.1 * c.1;
        if m > best {
            best = m;
            k = i;
        }
    }
    let r = z[k].0.hypot(z[k].1);
    let (pr, pi) = (z[k].0 / r, -z[k].1 / r);
    for c in z.iter_mut() {
        *c = (c.0 * pr - c.1 * pi, c.0 * pi + c.1 * pr);
    }
    z[k].1 = 0.0;
}

/// The element in the decomposition's type.
fn widen<T: Eigen>(x: T) -> T::Wide {
    T::Wide::from_parts(x.re().to_f64(), x.im().to_f64())
}

unsafe fn fill<T: Scalar>(n: usize, a: RawMat<T>, value: T) {
    for j in 0..n {
        for i in 0..n {
            a.set(i, j, value);
        }
    }
}
