//! GEMM whose depth runs as several launches accumulating into C (`depth_split`), forced
//! here to 20-deep launches (`LAPACK_AI_K_CHUNK=20`, rounded up to the kernel's K tile)
//! on `pocl` in CI (or `$LAPACK_AI_TEST_DEVICE`), for s/d/c/z: every op(A)/op(B), depths
//! below, at, one past and several times the chunk, k = 0, beta == 0 with NaN in C,
//! lda > rows, with and without the kernel asking for padded shapes (a 24-deep chunk
//! then), against a naive reference.

mod common;

use common::Rng;
use lapack_ai::gpu;
use lapack_ai::gpu::depth_split::{chunk, Product};

fn setup() -> bool {
    // Before the library reads its configuration (once per process).
    common::use_test_device("gpu");
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

// One test function: the padding knob and the environment are process-wide.
#[test]
fn gemm_depth_in_several_launches() {
    let have = setup();
    for product in [Product::TensorCore, Product::Portable, Product::OneM] {
        assert_eq!(chunk(product), Some(20));
    }
    let (before, _) = gpu::counts();
    let calls = common::every_gemm_case("depth-split gemm", &mut Rng::new(3), &SHAPES);
    common::assert_offloaded(have, before, calls);
}
