//! The level-3 device paths with the kernel asking for shapes padded to a multiple of 8
//! (the tests-only knob of tests/gpu_gemm_padded.rs, as the tensor-core DGEMM does on
//! NVIDIA): block edges, offsets and padding of SYRK/SYR2K/HERK, SYMM/HEMM, TRMM and
//! TRSM then follow the granule, on `pocl` (or `$LAPACK_AI_TEST_DEVICE`), against the CPU.

mod common;

use common::level3::{rank_k_case, symm_case, triangular_case, DIAGS, SIDES, UPLOS};
use common::{Rng, TRANS};
use lapack_ai::blas::args::Trans;
use lapack_ai::gpu;
use lapack_ai::scalar::{c32, c64};
use std::sync::atomic::Ordering;

// One test function: the knob and the environment are process-wide.
#[test]
fn padded_level3_paths() {
    common::use_test_device("gpu");
    gpu::gemm::PORTABLE_PAD_FOR_TESTS.store(8, Ordering::Relaxed);
    let have = gpu::device().is_ok();
    let mut rng = Rng::new(3);
    let mut calls = 0u64;
    let mut count = |d: Option<lapack_ai::route::Decision>| {
        let d = d.expect("routed");
        assert_eq!(d.ran_on_device(), have, "{}", d.reason);
        calls += 1;
    };
    for &uplo in &UPLOS {
        for (n, k) in [(1, 1), (7, 5), (8, 16), (29, 3), (45, 17)] {
            count(rank_k_case::<f64>(
                &mut rng,
                (false, false),
                uplo,
                Trans::Trans,
                (n, k),
                0.5,
                0.0,
                1,
            ));
            count(rank_k_case::<c64>(
                &mut rng,
                (true, true),
                uplo,
                Trans::No,
                (n, k),
                c64::new(0.5, 1.0),
                c64::new(2.0, 0.0),
                0,
            ));
            count(rank_k_case::<c32>(
                &mut rng,
                (true, false),
                uplo,
                Trans::ConjTrans,
                (n, k),
                c32::new(1.5, 0.0),
                c32::new(0.0, 0.0),
                2,
            ));
        }
        for &side in &SIDES {
            for (m, n) in [(1, 1), (7, 13), (16, 8), (33, 9)] {
                count(symm_case::<f32>(
                    &mut rng,
                    false,
                    side,
                    uplo,
                    (m, n),
                    0.5,
                    1.0,
                    1,
                ));
                count(symm_case::<c64>(
                    &mut rng,
                    true,
                    side,
                    uplo,
                    (m, n),
                    c64::new(0.5, 1.0),
                    c64::new(0.0, 0.0),
                    0,
                ));
                for &trans in &TRANS {
                    for &diag in &DIAGS {
                        let args = (side, uplo, trans, diag);
                        count(triangular_case::<f64>(
                            &mut rng,
                            false,
                            args,
                            (m, n),
                            -1.5,
                            2,
                        ));
                        count(triangular_case::<c32>(
                            &mut rng,
                            true,
                            args,
                            (m, n),
                            c32::new(0.5, 1.0),
                            1,
                        ));
                        count(triangular_case::<f64>(
                            &mut rng,
                            true,
                            args,
                            (m + 30, n + 20),
                            0.75,
                            0,
                        ));
                    }
                }
            }
        }
    }
    common::assert_offloaded(have, 0, calls);
}
