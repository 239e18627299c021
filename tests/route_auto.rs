//! LAPACK_AI_BACKEND=auto with no LAPACK_AI_DEVICE: small calls never leave the CPU, a CPU
//! OpenCL device (PoCL) is never used unless named, and results stay correct.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::route::{decide_gemm, Reason, Target};

#[test]
fn auto_routing() {
    std::env::set_var("LAPACK_AI_BACKEND", "auto");
    std::env::remove_var("LAPACK_AI_DEVICE");
    let (small, _) = decide_gemm::<f64>((255, 256, 256));
    assert_eq!(small.target, Target::Cpu);
    assert!(
        matches!(small.reason, Reason::BelowThreshold),
        "{}",
        small.reason
    );

    let (big, _) = decide_gemm::<f64>((4096, 4096, 4096));
    match gpu::device() {
        // A real GPU: the cost model decides and says how (with a calibration in the
        // user's cache, possibly that opening the device has not paid yet).
        Ok(dev) if dev.info.is_gpu => {
            assert!(
                matches!(
                    big.reason,
                    Reason::Estimate { .. } | Reason::NotOpenedYet { .. }
                ),
                "{}",
                big.reason
            )
        }
        Ok(dev) => panic!("{} is not a GPU but was opened unnamed", dev.info.name),
        // Only PoCL (or nothing): the CPU, silently, with the reason.
        Err(_) => {
            assert_eq!(big.target, Target::Cpu);
            assert!(
                big.reason.to_string().contains("no device"),
                "{}",
                big.reason
            );
        }
    }
    let mut rng = Rng::new(11);
    run_case::<f32>(
        "sgemm",
        &mut rng,
        (TRANS[1], TRANS[0]),
        (300, 260, 270),
        1.0,
        0.0,
        1,
    );
}
