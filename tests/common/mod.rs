//! Shared by the GPU tests: a naive reference GEMM and the Netlib-style error bound.
#![allow(dead_code)]

use lapack_ai::blas::args::Trans;
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::Scalar;

pub const TRANS: [Trans; 3] = [Trans::No, Trans::Trans, Trans::ConjTrans];

/// Points the library at the test device (`$LAPACK_AI_TEST_DEVICE`, else `pocl`, CI's)
/// under `LAPACK_AI_BACKEND=backend`: before the library reads its configuration (once
/// per process).
pub fn use_test_device(backend: &str) {
    let dev = std::env::var("LAPACK_AI_TEST_DEVICE").unwrap_or_else(|_| "pocl".into());
    std::env::set_var("LAPACK_AI_BACKEND", backend);
    std::env::set_var("LAPACK_AI_DEVICE", dev);
}

/// A cache directory of this test's own (`XDG_CACHE_HOME`, where the router reads its
/// cost model), named `name` under cargo's scratch directory for tests.
pub fn private_cache(name: &str) -> std::path::PathBuf {
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::env::set_var("XDG_CACHE_HOME", &cache);
    cache
}

/// Deterministic values in [-1, 1) (real and imaginary parts).
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }
    fn next_f64(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
    pub fn scalar<T: Scalar>(&mut self) -> T {
        let re = self.next_f64();
        let im = self.next_f64();
        T::from_parts(Float::from_f64(re), Float::from_f64(im))
    }
    pub fn vec<T: Scalar>(&mut self, len: usize) -> Vec<T> {
        (0..len).map(|_| self.scalar()).collect()
    }
}

fn opv<T: Scalar>(x: &[T], ld: usize, t: Trans, i: usize, l: usize) -> T {
    match t {
        Trans::No => x[i + l * ld],
        Trans::Trans => x[l + i * ld],
        Trans::ConjTrans => x[l + i * ld].conj(),
    }
}

/// Equal, or both NaN (padding rows keep the NaN they started with).
fn same<T: Scalar>(x: T, y: T) -> bool {
    x == y || (x.re().is_nan() && y.re().is_nan())
}

fn abs<T: Scalar>(v: T) -> f64 {
    v.modulus().to_f64()
}

/// Checks `got` (m x n, ldc) against alpha op(A) op(B) + beta C0 computed naively, with
/// the bound |diff| <= 4 (k + 2) eps (|alpha| sum |a||b| + |beta||c|) + tiny.
/// With beta == 0, C0 is not used (it may hold NaN).
#[allow(clippy::too_many_arguments)]
pub fn check<T: Scalar>(
    what: &str,
    (ta, tb): (Trans, Trans),
    (m, n, k): (usize, usize, usize),
    alpha: T,
    (a, lda): (&[T], usize),
    (b, ldb): (&[T], usize),
    beta: T,
    (c0, got, ldc): (&[T], &[T], usize),
) {
    let eps = <T::RealPart as Float>::epsilon().to_f64();
    for j in 0..n {
        for i in 0..m {
            let mut s = T::zero();
            let mut mag = 0.0;
            if !alpha.is_zero() {
                for l in 0..k {
                    let (x, y) = (opv(a, lda, ta, i, l), opv(b, ldb, tb, l, j));
                    s += x * y;
                    mag += abs(x) * abs(y);
                }
            }
            let mut want = alpha * s;
            let mut bound = abs(alpha) * mag;
            if !beta.is_zero() {
                want += beta * c0[i + j * ldc];
                bound += abs(beta) * abs(c0[i + j * ldc]);
            }
            let g = got[i + j * ldc];
            let diff = abs(g - want);
            let tol = 4.0 * (k as f64 + 2.0) * eps * bound + 1e-30;
            assert!(
                diff <= tol,
                "{what}: {ta:?}{tb:?} m={m} n={n} k={k} alpha={alpha:?} beta={beta:?} \
                 C[{i},{j}] = {g:?}, want {want:?} (diff {diff:e} > tol {tol:e})"
            );
        }
    }
    // Rows between m and ldc are not part of C and must be untouched.
    for j in 0..n {
        for i in m..ldc {
            assert!(
                same(got[i + j * ldc], c0[i + j * ldc]),
                "{what}: padding row {i} of column {j} was written"
            );
        }
    }
}

/// Runs one gemm through `lapack_ai::blas::level3::gemm` (the router decides) on random
/// operands with leading dimensions `pad` larger than needed, and checks it. C starts as
/// NaN when beta == 0. Returns the router's decision for this shape.
pub fn run_case<T: Scalar>(
    what: &str,
    rng: &mut Rng,
    (ta, tb): (Trans, Trans),
    (m, n, k): (usize, usize, usize),
    alpha: T,
    beta: T,
    pad: usize,
) {
    let (ar, ac) = if ta == Trans::No { (m, k) } else { (k, m) };
    let (br, bc) = if tb == Trans::No { (k, n) } else { (n, k) };
    let (lda, ldb, ldc) = (ar.max(1) + pad, br.max(1) + pad, m.max(1) + pad);
    let a = rng.vec::<T>(lda * ac);
    let b = rng.vec::<T>(ldb * bc);
    let c0: Vec<T> = if beta.is_zero() {
        let nan = <T::RealPart as Float>::from_f64(f64::NAN);
        vec![T::from_parts(nan, nan); ldc * n]
    } else {
        rng.vec::<T>(ldc * n)
    };
    let mut c = c0.clone();
    unsafe {
        lapack_ai::blas::level3::gemm(
            ta,
            tb,
            (m, n, k),
            alpha,
            (a.as_ptr(), lda),
            (b.as_ptr(), ldb),
            beta,
            (c.as_mut_ptr(), ldc),
        );
    }
    check(
        what,
        (ta, tb),
        (m, n, k),
        alpha,
        (&a, lda),
        (&b, ldb),
        beta,
        (&c0, &c, ldc),
    );
}

pub mod level3;

/// Every op(A)/op(B) pair on each of `shapes` (m, n, k) with two (alpha, beta) pairs (one
/// with beta = 0: NaN in C), leading dimensions padded on every other shape, for s/d/c/z,
/// once with the portable kernel asking for no padding and once for 8; returns the count
/// of calls (each checked by [`run_case`]).
pub fn every_gemm_case(what: &str, rng: &mut Rng, shapes: &[(usize, usize, usize)]) -> u64 {
    use lapack_ai::scalar::{c32, c64};
    use std::sync::atomic::Ordering;
    fn cases<T: Scalar>(what: &str, rng: &mut Rng, shapes: &[(usize, usize, usize)]) -> u64 {
        let c = |re: f64, im: f64| T::from_parts(Float::from_f64(re), Float::from_f64(im));
        let pairs = [(c(0.5, 0.25), c(-1.5, 0.0)), (c(1.0, 0.0), c(0.0, 0.0))];
        let mut calls = 0;
        for &ta in &TRANS {
            for &tb in &TRANS {
                for (s, &dims) in shapes.iter().enumerate() {
                    for (alpha, beta) in pairs {
                        run_case::<T>(what, rng, (ta, tb), dims, alpha, beta, [0, 3][s % 2]);
                        calls += 1;
                    }
                }
            }
        }
        calls
    }
    let pad_knob = &lapack_ai::gpu::gemm::PORTABLE_PAD_FOR_TESTS;
    let mut calls = 0;
    for pad in [1, 8] {
        pad_knob.store(pad, Ordering::Relaxed);
        calls += cases::<f64>(what, rng, shapes);
        calls += cases::<f32>(what, rng, shapes);
        calls += cases::<c64>(what, rng, shapes);
        calls += cases::<c32>(what, rng, shapes);
    }
    pad_knob.store(1, Ordering::Relaxed);
    calls
}

/// Checks a GPU test's calls: none declined; with a device, at least `calls` more ran on
/// it than the `before` count of `gpu::counts()` (other tests of the binary run at the
/// same time); without one, none ran there.
pub fn assert_offloaded(have_device: bool, before: u64, calls: u64) {
    let (after, declined) = lapack_ai::gpu::counts();
    // A declined call still gives the right result (on the CPU): only this count shows
    // a broken device path.
    assert_eq!(
        declined, 0,
        "the device declined calls (see the warning above)"
    );
    if have_device {
        assert!(after - before >= calls, "calls fell back to the CPU");
    } else {
        eprintln!("no OpenCL device matches: checked the CPU fallback only");
        assert_eq!(after, 0, "nothing can run on a missing device");
    }
}
