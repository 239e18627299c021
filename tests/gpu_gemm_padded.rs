//! The padded device path (operands copied into zero-filled buffers whose shapes are
//! multiples of the kernel's tiles, C's padding dropped on the way back), which the
//! tensor-core DGEMM needs on NVIDIA. CI has no such GPU, so the portable kernel is told to
//! ask for padding (a tests-only knob) and the same cases run through it on `pocl`
//! (or `$LAPACK_AI_TEST_DEVICE`): every op(A)/op(B), shapes that are and are not multiples,
//! lda > rows, beta == 0 with NaN in C, against a naive reference.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::scalar::{c64, Scalar};
use std::sync::atomic::Ordering;

fn setup() -> bool {
    common::use_test_device("gpu");
    gpu::gemm::PORTABLE_PAD_FOR_TESTS.store(8, Ordering::Relaxed);
    gpu::device().is_ok()
}

fn cases<T: Scalar>(alpha: T, beta: T) -> u64 {
    let mut rng = Rng::new(7);
    let mut calls = 0;
    for &ta in &TRANS {
        for &tb in &TRANS {
            for dims in [
                (1, 1, 1),
                (7, 13, 5),
                (8, 16, 8),
                (17, 9, 33),
                (40, 3, 1),
                (5, 6, 0),
            ] {
                for pad in [0, 2] {
                    run_case::<T>("padded gemm", &mut rng, (ta, tb), dims, alpha, beta, pad);
                    // BLAS returns at once for k = 0 and beta = 1 (C unchanged).
                    calls += !(dims.2 == 0 && beta == T::one()) as u64;
                }
            }
        }
    }
    calls
}

// One test function: the knob and the environment are process-wide.
#[test]
fn padded_device_path() {
    let have = setup();
    let (before, _) = gpu::counts();
    let mut calls = cases::<f64>(0.5, -1.5);
    calls += cases::<f64>(1.0, 0.0);
    calls += cases::<c64>(c64::new(0.5, 1.0), c64::new(0.0, 0.0));
    calls += cases::<f32>(2.0, 1.0);
    common::assert_offloaded(have, before, calls);
}
