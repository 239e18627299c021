//! GEMM whose output runs as several blocks, one launch run each (`output_split`), forced
//! here to 20-row/column blocks (`LAPACK_AI_MN_BLOCK=20`, rounded up to the kernel's M and N
//! tiles) and inside each block 20-deep launches (`LAPACK_AI_K_CHUNK=20`), on `pocl` in CI
//! (or `$LAPACK_AI_TEST_DEVICE`), for s/d/c/z: every op(A)/op(B), m and n below, at, one
//! past and several times the block (and past the tensor-core tiles, 128 x 64), k = 0,
//! beta == 0 with NaN in C, lda > rows, with and without the kernel asking for padded
//! shapes, against a naive reference.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::gpu::output_split::block;
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::{c32, c64, Scalar};
use std::sync::atomic::Ordering;

fn setup() -> bool {
    // Before the library reads its configuration (once per process).
    let dev = std::env::var("LAPACK_AI_TEST_DEVICE").unwrap_or_else(|_| "pocl".into());
    std::env::set_var("LAPACK_AI_BACKEND", "gpu");
    std::env::set_var("LAPACK_AI_DEVICE", dev);
    std::env::set_var("LAPACK_AI_MN_BLOCK", "20");
    std::env::set_var("LAPACK_AI_K_CHUNK", "20");
    gpu::device().is_ok()
}

const SHAPES: [(usize, usize, usize); 9] = [
    (1, 4, 3),
    (20, 20, 0),
    (21, 19, 5),
    (41, 60, 21),
    (3, 45, 7),
    (61, 2, 33),
    (129, 65, 9),
    (300, 140, 17),
    (257, 193, 40),
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
                    run_case::<T>("output-split gemm", rng, (ta, tb), dims, alpha, beta, pad);
                    calls += 1;
                }
            }
        }
    }
    calls
}

// One test function: the padding knob and the environment are process-wide.
#[test]
fn gemm_output_in_several_blocks() {
    let have = setup();
    assert_eq!(block(), Some(20));
    let (before, _) = gpu::counts();
    let mut rng = Rng::new(5);
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
