//! Eigenvalues and eigenvectors of a general matrix: xGEEV, on faer's eigendecomposition
//! (Hessenberg reduction, multishift QR to Schur form, back-substitution), except for
//! real orders below [`OWN_QR_BELOW`] and from [`OWN_QR_FROM`], which take LAPACK's path
//! on our own code ([`lapack_path`]), and results whose residuals show that faer's QR
//! lost an eigenvalue, which are computed again on that path ([`Path::Lapack`]). As
//! LAPACK's xGEEV, the matrix is balanced first (xGEBAL 'B', `crate::lapack::balance`)
//! and the vectors taken back (xGEBAK) before they are normalized.
//!
//! Netlib's tests demand that the eigenvalues be bit-identical whether or not vectors are
//! wanted, and VR whether or not VL is (and vice versa). faer runs a different QR
//! iteration when no vectors are asked for, so on its path we always ask for at least
//! the right ones (LAPACK's path always accumulates the Schur vectors), and the left
//! and right back-substitutions never depend on each other. A vector whose residual
//! faer's back-substitution leaves too large is recomputed by inverse iteration
//! (`crate::lapack::inverse_iteration`), which depends on that vector's side only.

use crate::blas::level3::view;
use crate::lapack::balance;
use crate::lapack::complex_schur_vectors;
use crate::lapack::hessenberg::gehrd_with_q;
use crate::lapack::inverse_iteration::inverse_iteration;
use crate::lapack::multishift_schur::{complex_schur, real_schur};
use crate::lapack::raw::RawMat;
use crate::lapack::scaling;
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

/// Real orders below this, and from [`OWN_QR_FROM`], take LAPACK's path on our code
/// first ([`lapack_path`]); faer's is faster between.
const OWN_QR_BELOW: usize = 176;

/// See [`OWN_QR_BELOW`]. dgeev, 2 threads (2-core AMD EPYC), s, faer's / ours: 256
/// 0.028-0.032 / 0.032-0.035, 384 0.072 / 0.068-0.069, 512 0.176-0.181 / 0.153-0.160,
/// 1024 0.758 / 0.641-0.730, 2048 5.3-7.7 / 3.4, 4096 50 / 21 (one call each).
const OWN_QR_FROM: usize = 384;

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
    /// `a` itself when this type is its own wide type (f64, c64): xGEEV overwrites A, so
    /// the decomposition may work in it, one n x n copy fewer.
    fn as_wide(a: RawMat<Self>) -> Option<RawMat<Self::Wide>>;
}

impl Eigen for f32 {
    type Wide = f64;
    fn as_wide(_: RawMat<f32>) -> Option<RawMat<f64>> {
        None
    }
}
impl Eigen for f64 {
    type Wide = f64;
    fn as_wide(a: RawMat<f64>) -> Option<RawMat<f64>> {
        Some(a)
    }
}
impl Eigen for c32 {
    type Wide = c64;
    fn as_wide(_: RawMat<c32>) -> Option<RawMat<c64>> {
        None
    }
}
impl Eigen for c64 {
    type Wide = c64;
    fn as_wide(a: RawMat<c64>) -> Option<RawMat<c64>> {
        Some(a)
    }
}

/// faer's eigendecomposition and LAPACK's path on our code, in f64 or c64: eigenvalues
/// as (re, im) pairs and the eigenvectors in faer's layout (for f64, a complex pair j,
/// j+1 stored as real and imaginary parts in columns j and j+1, as LAPACK does).
pub trait WideEigen: Scalar<RealPart = f64> {
    /// faer's decomposition. Returns false when it refuses (NaN or Inf).
    fn evd(
        a: MatRef<'_, Self>,
        values: &mut [(f64, f64)],
        left: Option<MatMut<'_, Self>>,
        right: Option<MatMut<'_, Self>>,
        par: Par,
    ) -> bool;

    /// xHSEQR('S') with Z on the Hessenberg `h`; LAPACK's INFO.
    ///
    /// # Safety
    /// `h` and `z` valid for n x n, `values` n long.
    unsafe fn schur(n: usize, h: RawMat<Self>, z: RawMat<Self>, values: &mut [(f64, f64)])
        -> usize;

    /// xTREVC's right and left vectors of the Schur form `t` into `x`.
    ///
    /// # Safety
    /// `t` and `x` valid for n x n with contiguous columns, not overlapping.
    unsafe fn right_vectors(n: usize, t: RawMat<Self>, x: RawMat<Self>);
    /// See [`WideEigen::right_vectors`].
    ///
    /// # Safety
    /// As [`WideEigen::right_vectors`].
    unsafe fn left_vectors(n: usize, t: RawMat<Self>, x: RawMat<Self>);
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
        left: Option<MatMut<'_, f64>>,
        right: Option<MatMut<'_, f64>>,
        par: Par,
    ) -> bool {
        let n = a.nrows();
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

    unsafe fn schur(n: usize, h: RawMat<f64>, z: RawMat<f64>, values: &mut [(f64, f64)]) -> usize {
        real_schur(n, 0, n - 1, h, Some(z), values)
    }

    unsafe fn right_vectors(n: usize, t: RawMat<f64>, x: RawMat<f64>) {
        schur_vectors::right(n, t, x)
    }

    unsafe fn left_vectors(n: usize, t: RawMat<f64>, x: RawMat<f64>) {
        schur_vectors::left(n, t, x)
    }
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

    unsafe fn schur(n: usize, h: RawMat<c64>, z: RawMat<c64>, values: &mut [(f64, f64)]) -> usize {
        complex_schur(n, 0, n - 1, h, Some(z), values)
    }

    unsafe fn right_vectors(n: usize, t: RawMat<c64>, x: RawMat<c64>) {
        complex_schur_vectors::right(n, t, x)
    }

    unsafe fn left_vectors(n: usize, t: RawMat<c64>, x: RawMat<c64>) {
        complex_schur_vectors::left(n, t, x)
    }
}

/// LAPACK's path on our code: Hessenberg reduction (xGEHRD, xORGHR/xUNGHR), the Schur
/// QR with Z (`multishift_schur`: xLAHQR, the multishift QR from order 256 real and 128
/// complex), the eigenvectors of the Schur form (xTREVC: `schur_vectors`,
/// `complex_schur_vectors`) taken back through Z by one product. Returns false, leaving
/// the vectors untouched, when the QR iteration does not converge.
fn lapack_path<'a, W: WideEigen>(
    a: MatRef<'_, W>,
    values: &mut [(f64, f64)],
    left: Option<MatMut<'a, W>>,
    right: Option<MatMut<'a, W>>,
    par: Par,
) -> bool {
    let n = a.nrows();
    if n == 0 {
        return true;
    }
    let mut t = a.to_owned();
    let mut z = Mat::<W>::zeros(n, n);
    let (tm, zm) = (RawMat::of_mat(&mut t), RawMat::of_mat(&mut z));
    // SAFETY: t and z are n x n, values n long (the caller's contract).
    unsafe {
        gehrd_with_q(n, 0, n - 1, tm, Some(zm));
        if W::schur(n, tm, zm, values) != 0 {
            return false;
        }
    }
    let mut x = Mat::<W>::zeros(n, n);
    let xm = RawMat::of_mat(&mut x);
    type Solve<W> = unsafe fn(usize, RawMat<W>, RawMat<W>);
    let sides: [(Option<MatMut<'a, W>>, Solve<W>, bool); 2] = [
        (right, W::right_vectors, true),
        (left, W::left_vectors, false),
    ];
    for (out, solve, upper) in sides {
        if let Some(out) = out {
            // SAFETY: t and x are n x n with contiguous columns.
            unsafe { solve(n, tm, xm) };
            times_quasi_triangular(out, z.as_ref(), x.as_ref(), upper, par);
        }
    }
    true
}

/// Columns of the eigenvectors taken back through Z by one product each.
const BACK_COLUMNS: usize = 256;

/// out := Z X for X upper (or lower) quasi-triangular: X's columns in blocks, each
/// multiplied by the rows of X (columns of Z) it can have nonzero (one more than a
/// triangle's, for a 2 x 2 block's): half the flops of one full product.
fn times_quasi_triangular<W: Scalar>(
    mut out: MatMut<'_, W>,
    z: MatRef<'_, W>,
    x: MatRef<'_, W>,
    upper: bool,
    par: Par,
) {
    let n = x.nrows();
    for first in (0..n).step_by(BACK_COLUMNS) {
        let cols = BACK_COLUMNS.min(n - first);
        let rows = if upper {
            0..(first + cols + 1).min(n)
        } else {
            first.saturating_sub(1)..n
        };
        matmul_with_conj(
            out.as_mut().submatrix_mut(0, first, n, cols),
            Accum::Replace,
            z.submatrix(0, rows.start, n, rows.len()),
            Conj::No,
            x.submatrix(rows.start, first, rows.len(), cols),
            Conj::No,
            W::one(),
            par,
        );
    }
}

/// Which decomposition [`decompose`] runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    /// `WideEigen::evd`, faer's.
    Faer,
    /// [`lapack_path`]: first for real orders outside [`OWN_QR_BELOW`]..[`OWN_QR_FROM`],
    /// and in place of faer's result whenever one of its right vectors has a residual
    /// ratio above [`REPAIR_ABOVE`]: faer's multishift QR loses eigenvalues of some
    /// matrices, and no vector can repair a wrong eigenvalue. Complex: a unitary
    /// similarity of clustered triples at order 150, ratio 54 where LAPACK's is 0.3 (and
    /// eigenvalues 1.4e-11 off on a random matrix of order 100 before its small QR took
    /// those orders); real: an orthogonal one at order 600, ratios 37 and 92 where
    /// OpenBLAS's are below 0.5. The check costs one product A X, which the right
    /// vectors' repair check reuses.
    Lapack,
}

/// Eigenvalues as (re, im), the right vectors and the left ones (0 x n unless asked for).
struct Decomposition<W> {
    values: Vec<(f64, f64)>,
    left: Mat<W>,
    right: Mat<W>,
}

/// The decomposition of the n x n `a` on `path` (the left and right vectors when wanted;
/// on faer's path always the right ones, which decide whether its result stands), on
/// the pool's threads; None when it fails (faer refuses NaN or Inf, LAPACK's QR did not
/// converge).
fn decompose<W: WideEigen>(
    a: MatRef<'_, W>,
    (want_left, want_right): (bool, bool),
    par: Par,
    path: Path,
) -> Option<Decomposition<W>> {
    let n = a.nrows();
    let want_right = want_right || path == Path::Faer;
    let size = |wanted: bool| if wanted { n } else { 0 };
    let mut left = Mat::<W>::zeros(size(want_left), n);
    let mut right = Mat::<W>::zeros(size(want_right), n);
    let mut values = vec![(0.0, 0.0); n];
    let left_arg = want_left.then(|| left.as_mut());
    let right_arg = want_right.then(|| right.as_mut());
    let values_out = &mut values;
    // A team keeps the threads awake between faer's threaded steps (1024 on 2 threads:
    // 0.51 -> 0.50 s; faer's symmetric solver was 4% slower with one).
    let found = crate::threads::on_pool(par, move || {
        crate::threads::with_team(|| match path {
            Path::Faer => W::evd(a, values_out, left_arg, right_arg, par),
            Path::Lapack => lapack_path(a, values_out, left_arg, right_arg, par),
        })
    });
    found.then_some(Decomposition {
        values,
        left,
        right,
    })
}

/// Computes the eigenvalues of the n x n matrix A (overwritten, as xGEEV's A is: f64 and
/// c64 work in it) and, where given, its left (u^H A = lambda u^H) and right
/// (A v = lambda v) eigenvectors in LAPACK's layout, each of Euclidean norm 1 with its
/// largest component real. Eigenvalues come back as (re, im); for real types conjugate
/// pairs are consecutive, positive imaginary part first. Returns INFO: 0, or n when A
/// holds NaN or Inf (every output is then NaN).
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
    let scaled = T::Wide::from_real(factor);
    let mut copy: Mat<T::Wide>;
    let wide = match T::as_wide(a) {
        Some(wide) => {
            for j in 0..n {
                for i in 0..n {
                    wide.set(i, j, wide.get(i, j) * scaled);
                }
            }
            wide
        }
        None => {
            copy = Mat::from_fn(n, n, |i, j| widen(a.get(i, j)) * scaled);
            RawMat::of_mat(&mut copy)
        }
    };
    // xGEBAL('B'): the decomposition and its residual checks run on the balanced matrix,
    // whose vectors are taken back to A's by `Balanced::back`.
    // SAFETY: wide is n x n, its entries finite (checked above).
    let balanced = unsafe { balance::balance(n, wide) };
    let wide = view(wide.ptr, n, n, wide.ld);
    // Depends on n only, so that every job runs the same arithmetic. Small orders stay on
    // one thread: dgeev 256 on 2 threads (the 2-core AMD EPYC) took 1.2x the time of one
    // even on the pool's threads; at 512 they were equal, at 1024 and 2048 two 1.1-1.3x
    // faster.
    let par = if n < PARALLEL_FROM {
        Par::Seq
    } else {
        par_for(10.0 * (n as f64).powi(3))
    };
    // faer's path always computes the right vectors: its QR differs without them (the
    // module comment), and they decide whether its decomposition stands (see
    // [`Path::Lapack`]). LAPACK's path accumulates Z either way.
    let decompose = |path| decompose(wide, (vl.is_some(), vr.is_some()), par, path);
    let first = if T::IS_COMPLEX || (OWN_QR_BELOW..OWN_QR_FROM).contains(&n) {
        Path::Faer
    } else {
        Path::Lapack
    };
    let found = decompose(first).map(|d| (d, first));
    // LAPACK's path fails only when its QR does not converge; faer's then runs.
    let Some((mut found, path)) = found.or_else(|| decompose(Path::Faer).map(|d| (d, Path::Faer)))
    else {
        values.fill((nan, nan));
        return n;
    };
    let check = |found: &Decomposition<T::Wide>| {
        Residual::new(wide, found.right.as_ref(), &found.values, false, par)
    };
    // Kept when VR is to be stored (its repair reuses the product A X); without VR,
    // faer's result is checked in panels of columns.
    let mut right_check = vr.is_some().then(|| check(&found));
    let worst = match &right_check {
        Some(check) => check.worst(found.right.as_ref()),
        None if path == Path::Faer => {
            worst_in_panels(wide, found.right.as_ref(), &found.values, par)
        }
        None => 0.0,
    };
    if path == Path::Faer && worst > REPAIR_ABOVE {
        if let Some(lapack) = decompose(Path::Lapack) {
            found = lapack;
            right_check = vr.is_some().then(|| check(&found));
        }
    }
    let Decomposition {
        values: mut wide_values,
        left,
        right,
    } = found;
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
    let check =
        |x: MatRef<'_, T::Wide>, adjoint| Residual::new(wide, x, &wide_values, adjoint, par);
    if let Some(vl) = vl {
        // faer's left pairs already belong to the eigenvalue of positive imaginary part
        // (its left solve runs on the reversed transpose, which swaps the pair).
        store_normalized(
            values,
            &vec![false; n],
            left.as_ref(),
            &check(left.as_ref(), true),
            |z| balanced.back(z, true),
            vl,
        );
    }
    if let (Some(vr), Some(mut right_check)) = (vr, right_check) {
        right_check.values = wide_values.clone();
        store_normalized(
            values,
            &flipped,
            right.as_ref(),
            &right_check,
            |z| balanced.back(z, false),
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

/// A vector whose residual ratio (see `Residual::ratio`) exceeds this is recomputed by
/// inverse iteration. Half of Netlib's usual threshold (20), and above what LAPACK's own
/// vectors reach on hard well-conditioned matrices (3.3-4.0 on a cyclic permutation of
/// order 150-400, whose vectors ours left at 2-3.6 and which a trigger at 1 sent, every
/// one, through an O(n^3) solve: 6.4 s at order 400 against 0.38 s).
const REPAIR_ABOVE: f64 = 10.0;

/// Columns of A X at a time in [`worst_in_panels`].
const CHECK_PANEL: usize = 256;

/// [`Residual::worst`] of the right vectors `x` of `a` without holding A X whole: a
/// panel of columns at a time (a real pair kept together), an n x n matrix fewer for
/// eigenvalues alone (`numpy.linalg.eigvals`).
fn worst_in_panels<W: Scalar<RealPart = f64>>(
    a: MatRef<'_, W>,
    x: MatRef<'_, W>,
    values: &[(f64, f64)],
    par: Par,
) -> f64 {
    let norm1 = one_norm(a);
    panels(W::IS_COMPLEX, values)
        .into_iter()
        .map(|columns| {
            let panel = x.subcols(columns.start, columns.len());
            Residual::with_norm(a, panel, &values[columns], false, norm1, par).worst(panel)
        })
        .fold(0.0, f64::max)
}

/// The column ranges of [`worst_in_panels`]: [`CHECK_PANEL`] columns each, one more
/// where a real pair would be cut.
fn panels(complex: bool, values: &[(f64, f64)]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < values.len() {
        let mut end = start;
        while end < values.len() && end - start < CHECK_PANEL {
            end += if starts_pair(complex, values, end) {
                2
            } else {
                1
            };
        }
        ranges.push(start..end);
        start = end;
    }
    ranges
}

/// Whether eigenvalue j (of `values`, a real type's unless `complex`) begins a conjugate
/// pair, whose vector is then columns j and j + 1.
fn starts_pair<R: Float>(complex: bool, values: &[(R, R)], j: usize) -> bool {
    !complex && values[j].1.to_f64() != 0.0 && j + 1 < values.len()
}

/// ||a||_1, the largest column sum of |re| + |im| (Netlib's residual scale).
fn one_norm<W: Scalar<RealPart = f64>>(a: MatRef<'_, W>) -> f64 {
    (0..a.ncols())
        .map(|j| (0..a.nrows()).map(|i| a[(i, j)].abs1()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// What a vector's residual is checked against: A (or A^H for left vectors), the
/// product of that with faer's vectors, and the eigenvalues, all in the scaled problem.
struct Residual<'a, W: Scalar> {
    a: MatRef<'a, W>,
    product: Mat<W>,
    values: Vec<(f64, f64)>,
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
        values: &[(f64, f64)],
        adjoint: bool,
        par: Par,
    ) -> Self {
        Self::with_norm(a, x, values, adjoint, one_norm(a), par)
    }

    /// [`Residual::new`] with ||a||_1 given.
    fn with_norm(
        a: MatRef<'a, W>,
        x: MatRef<'_, W>,
        values: &[(f64, f64)],
        adjoint: bool,
        norm1: f64,
        par: Par,
    ) -> Self {
        let mut product = Mat::<W>::zeros(a.nrows(), x.ncols());
        let (op, conj) = if adjoint {
            (a.transpose(), Conj::Yes)
        } else {
            (a, Conj::No)
        };
        let out = product.as_mut();
        crate::threads::for_rayon(par, move || {
            matmul_with_conj(out, Accum::Replace, op, conj, x, Conj::No, W::one(), par)
        });
        Residual {
            a,
            product,
            values: values.to_vec(),
            adjoint,
            norm1,
            repaired: RefCell::new(Vec::new()),
        }
    }

    /// The largest residual ratio of the vectors in `x` (those this was made with, in
    /// faer's layout: a real type's pair j, j + 1 is x_j + i x_{j+1}, the vector of
    /// values[j]).
    fn worst(&self, x: MatRef<'_, W>) -> f64 {
        let n = x.ncols();
        debug_assert_eq!(n, self.values.len());
        let mut worst: f64 = 0.0;
        let mut j = 0;
        while j < n {
            let pair = starts_pair(W::IS_COMPLEX, &self.values, j);
            let mu = c64::new(self.values[j].0, self.values[j].1);
            let mu = if self.adjoint { mu.conj() } else { mu };
            let complex = |m: MatRef<'_, W>| -> Vec<c64> {
                column(m, j, pair, false)
                    .into_iter()
                    .map(|(re, im)| c64::new(re, im))
                    .collect()
            };
            worst = worst.max(self.ratio(&complex(x), &complex(self.product.as_ref()), mu));
            j += if pair { 2 } else { 1 };
        }
        worst
    }

    /// z itself, or the vector of inverse iteration when z's residual ratio
    /// ||M z - mu z||_1 / (n ulp ||M||_1 ||z||_2) exceeds [`REPAIR_ABOVE`] and inverse
    /// iteration's is smaller: its LU solve leaves a residual of the order of its last
    /// pivot, which on some matrices is worse than z (a cyclic permutation's vectors
    /// came back at ratios of 240-5,300 when they were always replaced).
    fn repaired(&self, j: usize, z: Vec<(f64, f64)>, mz: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
        let (re, im) = self.values[j];
        let mu = if self.adjoint {
            c64::new(re, -im)
        } else {
            c64::new(re, im)
        };
        let zc: Vec<c64> = z.iter().map(|&(a, b)| c64::new(a, b)).collect();
        let mzc: Vec<c64> = mz.iter().map(|&(a, b)| c64::new(a, b)).collect();
        let ratio = self.ratio(&zc, &mzc, mu);
        if ratio <= REPAIR_ABOVE {
            return z;
        }
        let w = self.inverse_iteration(mu);
        let mw = self.apply(&w);
        if self.ratio(&w, &mw, mu) < ratio {
            w.iter().map(|x| (x.re, x.im)).collect()
        } else {
            z
        }
    }

    /// Inverse iteration's vector for the shift mu, computed once per shift: a
    /// defective eigenvalue repeats exactly, and one O(n^3) solve serves all its copies.
    fn inverse_iteration(&self, mu: c64) -> Vec<c64> {
        if let Some((_, w)) = self
            .repaired
            .borrow()
            .iter()
            .find(|(shift, _)| *shift == mu)
        {
            return w.clone();
        }
        let n = self.a.nrows();
        let a = |i: usize, k: usize| c64::new(self.a[(i, k)].re(), self.a[(i, k)].im());
        let w = inverse_iteration(n, a, mu, self.adjoint);
        self.repaired.borrow_mut().push((mu, w.clone()));
        w
    }

    /// M x, with M = A or A^H.
    fn apply(&self, x: &[c64]) -> Vec<c64> {
        let n = x.len();
        let at = |i: usize, k: usize| c64::new(self.a[(i, k)].re(), self.a[(i, k)].im());
        (0..n)
            .map(|i| {
                (0..n)
                    .map(|k| {
                        if self.adjoint {
                            at(k, i).conj() * x[k]
                        } else {
                            at(i, k) * x[k]
                        }
                    })
                    .sum()
            })
            .collect()
    }

    /// ||mx - mu x||_1 / (n ulp ||M||_1 ||x||_2), Netlib's residual ratio for one vector
    /// (xGET22); infinite for a zero or non-finite x.
    fn ratio(&self, x: &[c64], mx: &[c64], mu: c64) -> f64 {
        let residual: f64 = mx.iter().zip(x).map(|(&m, &x)| (m - mu * x).abs1()).sum();
        let size = x
            .iter()
            .map(|x| x.re * x.re + x.im * x.im)
            .sum::<f64>()
            .sqrt();
        let scale = x.len() as f64 * f64::EPSILON * self.norm1 * size;
        let ratio = residual / scale;
        if ratio.is_nan() || size == 0.0 || !size.is_finite() {
            f64::INFINITY
        } else {
            ratio
        }
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
    back: impl Fn(&mut [(f64, f64)]),
    v: RawMat<T>,
) {
    let n = x.nrows();
    let mut j = 0;
    while j < n {
        let pair = starts_pair(T::IS_COMPLEX, values, j);
        let z = column(x, j, pair, flipped[j]);
        let mz = column(residual.product.as_ref(), j, pair, flipped[j]);
        let mut z = residual.repaired(j, z, mz);
        back(&mut z);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::{reals, values};
    use crate::lapack::qr;

    /// ||op(A) v_j - mu_j v_j||_1 / (n ulp ||A||_1 ||v_j||_2), the largest over j; op(A)
    /// = A^H with mu_j conjugated for left vectors.
    fn worst_ratio(a: MatRef<'_, c64>, v: MatRef<'_, c64>, w: &[(f64, f64)], left: bool) -> f64 {
        let n = a.nrows();
        let norm = (0..n)
            .map(|j| (0..n).map(|i| a[(i, j)].abs1()).sum::<f64>())
            .fold(0.0, f64::max);
        let op = |i: usize, k: usize| if left { a[(k, i)].conj() } else { a[(i, k)] };
        (0..n)
            .map(|j| {
                let mu = c64::new(w[j].0, if left { -w[j].1 } else { w[j].1 });
                let residual: f64 = (0..n)
                    .map(|i| {
                        let av: c64 = (0..n).map(|k| op(i, k) * v[(k, j)]).sum();
                        (av - mu * v[(i, j)]).abs1()
                    })
                    .sum();
                let size = (0..n).map(|i| v[(i, j)].norm_sqr()).sum::<f64>().sqrt();
                residual / (n as f64 * f64::EPSILON * norm * size)
            })
            .fold(0.0, f64::max)
    }

    fn random(n: usize, seed: u64) -> Mat<c64> {
        let v = values::<c64>(n * n, seed);
        Mat::from_fn(n, n, |i, j| v[i + j * n])
    }

    /// The check without VR (panels of A X, real pairs kept whole) finds the ratio the
    /// whole product gives, also when a panel's end falls inside a pair.
    #[test]
    fn the_panel_check_finds_the_whole_products_ratio() {
        let n = 2 * CHECK_PANEL + 37;
        let v = reals(n * n, 5);
        let a = Mat::from_fn(n, n, |i, j| v[i + j * n]);
        let mut values = vec![(0.0, 0.0); n];
        let mut right = Mat::<f64>::zeros(n, n);
        assert!(f64::evd(
            a.as_ref(),
            &mut values,
            None,
            Some(right.as_mut()),
            Par::Seq
        ));
        // This seed has a panel that would end inside a pair (and so takes one more column).
        assert!(panels(false, &values)
            .iter()
            .any(|columns| columns.len() > CHECK_PANEL));
        let whole = Residual::new(a.as_ref(), right.as_ref(), &values, false, Par::Seq)
            .worst(right.as_ref());
        let panels = worst_in_panels(a.as_ref(), right.as_ref(), &values, Par::Seq);
        assert!(whole > 0.0 && whole < REPAIR_ABOVE, "{whole}");
        assert!(
            (panels - whole).abs() <= 1e-10 * whole,
            "{panels} against {whole}"
        );
        // A wrong vector anywhere is seen.
        let mut bad = right.clone();
        bad[(3, n - 2)] += 1.0;
        let bad_ratio = worst_in_panels(a.as_ref(), bad.as_ref(), &values, Par::Seq);
        assert!(bad_ratio > 1e6, "{bad_ratio}");
    }

    #[test]
    fn lapack_path_gives_small_complex_residuals_on_both_sides() {
        // 60: the small QR; 130: the multishift QR; 300: vectors taken back in two
        // blocks of columns.
        for (n, seed) in [(1, 1), (5, 2), (60, 3), (130, 4), (300, 5)] {
            let a = random(n, seed);
            let found = decompose(a.as_ref(), (true, true), Par::Seq, Path::Lapack).unwrap();
            for (v, left) in [(&found.right, false), (&found.left, true)] {
                let r = worst_ratio(a.as_ref(), v.as_ref(), &found.values, left);
                assert!(r < 10.0, "n = {n}, left = {left}: ratio {r}");
            }
        }
    }

    /// `count` standard normal values (Box-Muller on [`reals`]).
    fn normals(count: usize, seed: u64) -> Vec<f64> {
        reals(2 * count, seed)
            .chunks(2)
            .map(|u| {
                let (u1, u2) = (u[0] + 0.5, u[1] + 0.5);
                (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
            })
            .collect()
    }

    /// Q D Q^H as the reference test's `clustered_triples` builds it: D block diagonal
    /// with 2 x 2 blocks [[a, b], [-b, a]] (a normal, 0 <= b < 1e-3), each followed by
    /// a + 1e-6 x (x normal), and 0.1 x couplings from the third superdiagonal on; Q
    /// unitary, from the QR factorization of a random matrix.
    fn clustered_triples(n: usize, seed: u64) -> Mat<c64> {
        let r = normals(n * n + 3 * n, seed);
        let u = reals(n, seed + 2000);
        let mut d = Mat::<c64>::zeros(n, n);
        let real = |x: f64| c64::new(x, 0.0);
        let mut k = 0;
        while k + 2 < n {
            let (a0, b0) = (r[k], 1e-3 * (u[k] + 0.5));
            d[(k, k)] = real(a0);
            d[(k + 1, k + 1)] = real(a0);
            d[(k, k + 1)] = real(b0);
            d[(k + 1, k)] = real(-b0);
            d[(k + 2, k + 2)] = real(a0 + 1e-6 * r[k + 2]);
            k += 3;
        }
        while k < n {
            d[(k, k)] = real(r[k]);
            k += 1;
        }
        for j in 3..n {
            for i in 0..j - 2 {
                d[(i, j)] = real(0.1 * r[3 * n + i + j * n]);
            }
        }
        let mut q = random(n, seed + 1000);
        let mut tau = vec![c64::new(0.0, 0.0); n];
        // SAFETY: q is n x n, tau n long.
        unsafe {
            let qm = RawMat::of_mat(&mut q);
            qr::geqrf(n, n, qm, &mut tau);
            qr::orgqr(n, n, n, qm, &tau);
        }
        q.as_ref() * d.as_ref() * q.as_ref().adjoint()
    }

    #[test]
    fn faer_results_failing_the_residual_check_are_replaced() {
        let n = 150;
        // faer's ratio for these seeds (order 150): 0-1, 0-1, 140, 0-1.
        let mut replaced = 0;
        for seed in 0..4 {
            let a = clustered_triples(n, seed);
            let faer = decompose(a.as_ref(), (false, true), Par::Seq, Path::Faer).unwrap();
            let faer_ratio = worst_ratio(a.as_ref(), faer.right.as_ref(), &faer.values, false);
            let mut copy = a.clone();
            let mut vr = Mat::<c64>::zeros(n, n);
            let mut w = vec![(0.0, 0.0); n];
            // SAFETY: all n x n, w n long.
            let info = unsafe {
                geev::<c64>(
                    n,
                    RawMat::of_mat(&mut copy),
                    &mut w,
                    None,
                    Some(RawMat::of_mat(&mut vr)),
                )
            };
            assert_eq!(info, 0);
            let ratio = worst_ratio(a.as_ref(), vr.as_ref(), &w, false);
            assert!(
                ratio < 10.0,
                "seed {seed}: ratio {ratio} (faer's {faer_ratio})"
            );
            if faer_ratio > REPAIR_ABOVE {
                replaced += 1;
            }
        }
        // The test is only worth its time while faer's QR fails on some of these.
        assert!(replaced > 0, "faer's complex QR passed every matrix");
    }
}
