//! Complex GEMM by the 1m method (one real GEMM of twice the rows and depth, on the real
//! kernel of the base precision), which ZGEMM uses on NVIDIA's tensor cores. Forced here
//! (`LAPACK_AI_GPU_1M=1`) so that it runs on any device, `pocl` in CI (or
//! `$LAPACK_AI_TEST_DEVICE`), for c32 and c64: every op(A)/op(B), complex, real, zero and
//! one alpha/beta, beta == 0 with NaN in C, sizes 1, primes, 1000 and 2047, lda > rows,
//! with and without the real kernel asking for padded shapes, the real depth split into
//! several launches, against a naive reference.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::gpu::gemm::GemmKernel;
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::{c32, c64, Scalar};
use std::sync::atomic::Ordering;

fn setup() -> bool {
    // Before the library reads its configuration (once per process).
    common::use_test_device("gpu");
    std::env::set_var("LAPACK_AI_GPU_1M", "1");
    // Real depths above 64 in several launches accumulating into C (16384 by default,
    // deeper than any case here).
    std::env::set_var("LAPACK_AI_K_CHUNK", "64");
    gpu::device().is_ok()
}

const SHAPES: [(usize, usize, usize); 9] = [
    (1, 1, 1),
    (2, 3, 1),
    (7, 13, 5),
    (31, 17, 37),
    (64, 8, 16),
    (1000, 3, 17),
    (5, 2047, 3),
    (2047, 2, 1000),
    (3, 1000, 2047),
];

fn values<T: Scalar>() -> [T; 5] {
    let c = |re: f64, im: f64| T::from_parts(Float::from_f64(re), Float::from_f64(im));
    [
        c(0.0, 0.0),
        c(1.0, 0.0),
        c(-0.7, 0.0),
        c(0.3, -0.8),
        c(0.0, 1.25),
    ]
}

/// Every case once; returns the calls that must have run on the device.
fn cases<T: Scalar>(rng: &mut Rng) -> u64 {
    let mut calls = 0;
    for &ta in &TRANS {
        for &tb in &TRANS {
            for (s, &dims) in SHAPES.iter().enumerate() {
                let big = dims.0 * dims.1 * dims.2 > 100_000;
                // The large shapes with one complex (alpha, beta) pair, beta == 0 every
                // other shape; the small ones with all pairs.
                let v = values::<T>();
                let pairs: Vec<(T, T)> = if big {
                    vec![if s % 2 == 0 {
                        (v[3], v[0])
                    } else {
                        (v[4], v[3])
                    }]
                } else {
                    v.iter()
                        .flat_map(|&a| v.iter().map(move |&b| (a, b)))
                        .collect()
                };
                for (alpha, beta) in pairs {
                    let pad = [0, 3][s % 2];
                    run_case::<T>("1m gemm", rng, (ta, tb), dims, alpha, beta, pad);
                    // BLAS returns at once when alpha == 0 and beta == 1.
                    calls += !(alpha.is_zero() && beta == T::one()) as u64;
                }
            }
        }
    }
    calls
}

// One test function: the padding knob and the environment are process-wide.
#[test]
fn complex_gemm_by_the_1m_method() {
    let have = setup();
    if have {
        let dev = gpu::device().unwrap();
        for one_m in [
            GemmKernel::new::<c32>(dev).map(|k| k.is_one_m()),
            GemmKernel::new::<c64>(dev).map(|k| k.is_one_m()),
        ] {
            assert!(one_m.expect("the complex kernel builds"), "1m not chosen");
        }
    }
    let (before, _) = gpu::counts();
    let mut rng = Rng::new(1);
    let mut calls = 0;
    // The real kernel unpadded, then asking for multiples of 8 (the tensor-core kernel's
    // padded path: m, n, k of the complex product padded to 4, 8, 4).
    for pad in [1, 8] {
        gpu::gemm::PORTABLE_PAD_FOR_TESTS.store(pad, Ordering::Relaxed);
        calls += cases::<c64>(&mut rng);
        calls += cases::<c32>(&mut rng);
    }
    gpu::gemm::PORTABLE_PAD_FOR_TESTS.store(1, Ordering::Relaxed);
    common::assert_offloaded(have, before, calls);
}
