//! Injected OpenCL failures (`LAPACK_AI_GPU_FAULT`, test only) in the level-3 device
//! paths: every call declines and the CPU computes the same result as a CPU-only call,
//! with nothing outside the output touched (the device paths write the caller's C or B
//! only after their last device step). One test function: the fault is process-wide.

mod common;

use common::level3::{rank_k_case, symm_case, triangular_case};
use common::Rng;
use lapack_ai::blas::args::{Diag, Side, Trans, Uplo};
use lapack_ai::gpu;
use lapack_ai::route::Decision;
use lapack_ai::scalar::{c32, c64};

#[test]
fn injected_faults_fall_back_to_the_cpu() {
    std::env::set_var("LAPACK_AI_BACKEND", "gpu");
    std::env::set_var("LAPACK_AI_DEVICE", "pocl");
    let have = {
        gpu::fault::set(None);
        gpu::device().is_ok()
    };
    let mut rng = Rng::new(17);
    let on_cpu = |d: Option<Decision>| assert!(!d.expect("routed").ran_on_device());
    for fault in ["init", "build", "alloc", "enqueue"] {
        gpu::fault::set(Some(fault));
        let (ok0, declined0) = gpu::counts();
        let two = (false, true);
        let herk = (true, false);
        let c = c64::new(0.5, -1.0);
        on_cpu(rank_k_case::<f64>(
            &mut rng,
            two,
            Uplo::Lower,
            Trans::No,
            (37, 20),
            0.5,
            1.5,
            1,
        ));
        on_cpu(rank_k_case::<c64>(
            &mut rng,
            herk,
            Uplo::Upper,
            Trans::ConjTrans,
            (21, 9),
            c64::new(2.0, 0.0),
            c64::new(0.0, 0.0),
            0,
        ));
        on_cpu(symm_case::<c64>(
            &mut rng,
            true,
            Side::Right,
            Uplo::Upper,
            (9, 23),
            c,
            c,
            2,
        ));
        let args = (Side::Left, Uplo::Upper, Trans::Trans, Diag::Unit);
        on_cpu(triangular_case::<f32>(
            &mut rng,
            false,
            args,
            (19, 8),
            1.5,
            1,
        ));
        let args = (Side::Right, Uplo::Lower, Trans::No, Diag::NonUnit);
        on_cpu(triangular_case::<c32>(
            &mut rng,
            true,
            args,
            (12, 45),
            c32::new(1.0, 1.0),
            0,
        ));
        let args = (Side::Left, Uplo::Lower, Trans::ConjTrans, Diag::NonUnit);
        on_cpu(triangular_case::<f64>(
            &mut rng,
            true,
            args,
            (50, 7),
            -2.0,
            2,
        ));
        let (ok1, declined1) = gpu::counts();
        assert_eq!(ok1, ok0, "{fault}: nothing may complete on the device");
        if have && fault != "init" {
            assert_eq!(declined1 - declined0, 6, "{fault}: every call declined");
        }
    }
    // Faults cleared: the device is used again (when there is one).
    gpu::fault::set(None);
    let d = symm_case::<f64>(
        &mut rng,
        false,
        Side::Left,
        Uplo::Lower,
        (20, 30),
        1.0,
        1.0,
        0,
    );
    assert_eq!(d.expect("routed").ran_on_device(), have);
}
