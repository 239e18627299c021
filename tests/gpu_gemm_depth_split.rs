//! GEMM whose depth runs as several launches accumulating into C (`depth_split`), forced
//! here to 20-deep launches (`LAPACK_AI_K_CHUNK=20`, rounded up to the kernel's K tile)
//! on `pocl` in CI (or `$LAPACK_AI_TEST_DEVICE`), for s/d/c/z: every op(A)/op(B), depths
//! below, at, one past and several times the chunk, k = 0, beta == 0 with NaN in C,
//! lda > rows, with and without the kernel asking for padded shapes (a 24-deep chunk
//! then), against a naive reference.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::gpu::depth_split::{chunk, Product};
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::{c32, c64, Scalar};
use std::sync::atomic::Ordering;

fn setup() -> bool {
    // Before the library reads its configuration (once per process).
    let dev = std::env::var("LAPACK_AI_TEST_DEVICE").unwrap_or_else(|_| "pocl".into());
    std::env::set_var("LAPACK_AI_BACKEND", "gpu");
    std::env::set_var("LAPACK_AI_DEVICE", dev);
    std::env::set_var("LAPACK_AI_K_CHUNK", "20");
    gpu::device().is_ok()
}

const SHAPES: [(usize, usize, usize); 9] = [
    (3, 4, 0),
    (7, 13, 5),
    (17, 9, 20),
    (2, 3, 21),
    (64, 8, 48),
    (31, 17, 37),
    (33, 17, 65),
    (1000, 3, 61),
    (5, 300, 100),
];

fn cases<T: Scalar>(rng: &mut Rng) -> u64 {
    let c = |re: f64, im: f64| T::from_parts(Float::from_f64(re), Float::from_f64(im));
    let pairs = [(c(0.5, 0.25), c(-1.5, 0.0)), (c(1.0, 0.0), c(0.0, 0.0))];
    let mut calls = 0;
    for &ta in &TRANS {
        for &tb in &TRANS {
            for (s, &dims) in SHAPES.iter().enumerate() {
                for (alpha, beta) in pairs {
                    let pad = [0, 3][s % 2];
                    run_case::<T>("depth-split gemm", rng, (ta, tb), dims, alpha, beta, pad);
                    calls += 1;
                }
            }
        }
    }
    calls
}

// One test function: the padding knob and the environment are process-wide.
#[test]
fn gemm_depth_in_several_launches() {
    let have = setup();
    for product in [Product::TensorCore, Product::Portable, Product::OneM] {
        assert_eq!(chunk(product), Some(20));
    }
    let (before, _) = gpu::counts();
    let mut rng = Rng::new(3);
    let mut calls = 0;
    for pad in [1, 8] {
        gpu::gemm::PORTABLE_PAD_FOR_TESTS.store(pad, Ordering::Relaxed);
        calls += cases::<f64>(&mut rng);
        calls += cases::<f32>(&mut rng);
        calls += cases::<c64>(&mut rng);
        calls += cases::<c32>(&mut rng);
    }
    gpu::gemm::PORTABLE_PAD_FOR_TESTS.store(1, Ordering::Relaxed);
    common::assert_offloaded(have, before, calls);
}
