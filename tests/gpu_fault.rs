//! Injected OpenCL failures (`LAPACK_AI_GPU_FAULT`, test only) decline the call and the
//! CPU computes the correct result. One test function: the fault is process-wide.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::route::{decide_gemm, Target};

#[test]
fn injected_faults_fall_back_to_the_cpu() {
    std::env::set_var("LAPACK_AI_BACKEND", "gpu");
    std::env::set_var("LAPACK_AI_DEVICE", "pocl");
    let have = {
        gpu::fault::set(None);
        gpu::device().is_ok()
    };
    let mut rng = Rng::new(7);
    for fault in ["init", "build", "alloc", "enqueue"] {
        gpu::fault::set(Some(fault));
        let (ok0, declined0) = gpu::counts();
        for &ta in &TRANS {
            run_case::<f64>(fault, &mut rng, (ta, TRANS[1]), (33, 17, 65), 0.5, 0.0, 2);
            run_case::<lapack_ai::scalar::c32>(
                fault,
                &mut rng,
                (ta, TRANS[2]),
                (9, 31, 4),
                lapack_ai::scalar::c32::new(1.0, -1.0),
                lapack_ai::scalar::c32::new(0.5, 0.0),
                1,
            );
        }
        let (ok1, declined1) = gpu::counts();
        assert_eq!(ok1, ok0, "{fault}: nothing may complete on the device");
        if have && fault != "init" {
            assert_eq!(declined1 - declined0, 6, "{fault}: every call declined");
        }
        assert_eq!(
            decide_gemm::<f64>((9, 9, 9)).0.target == Target::Gpu,
            have && fault != "init"
        );
    }
    // Faults cleared: the device is used again (when there is one).
    gpu::fault::set(None);
    let (ok0, _) = gpu::counts();
    run_case::<f32>(
        "after",
        &mut rng,
        (TRANS[0], TRANS[0]),
        (40, 30, 20),
        1.0,
        1.0,
        0,
    );
    assert_eq!(gpu::counts().0 - ok0, have as u64);
}
