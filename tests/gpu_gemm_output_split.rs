//! GEMM whose output runs as several blocks, one launch run each (`output_split`), forced
//! here to 20-row/column blocks (`LAPACK_AI_MN_BLOCK=20`, rounded up to the kernel's M and N
//! tiles) and inside each block 20-deep launches (`LAPACK_AI_K_CHUNK=20`), on `pocl` in CI
//! (or `$LAPACK_AI_TEST_DEVICE`), for s/d/c/z: every op(A)/op(B), m and n below, at, one
//! past and several times the block (and past the tensor-core tiles, 128 x 64), k = 0,
//! beta == 0 with NaN in C, lda > rows, with and without the kernel asking for padded
//! shapes, against a naive reference.

mod common;

use common::Rng;
use lapack_ai::gpu;
use lapack_ai::gpu::output_split::block;

fn setup() -> bool {
    // Before the library reads its configuration (once per process).
    common::use_test_device("gpu");
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

// One test function: the padding knob and the environment are process-wide.
#[test]
fn gemm_output_in_several_blocks() {
    let have = setup();
    assert_eq!(block(), Some(20));
    let (before, _) = gpu::counts();
    let calls = common::every_gemm_case("output-split gemm", &mut Rng::new(5), &SHAPES);
    common::assert_offloaded(have, before, calls);
}
