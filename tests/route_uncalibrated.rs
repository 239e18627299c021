//! LAPACK_AI_BACKEND=auto without a calibration: calls are priced before the device is
//! opened on the fastest device of the built-in table (and a 0.3 s opening), so a small
//! call never opens it, a call such a device would win stays on the CPU until the savings
//! forgone cover the opening, and one that saves more than the opening alone opens it
//! (`pocl` in CI, or `$LAPACK_AI_TEST_DEVICE`).

mod common;

use lapack_ai::gpu;
use lapack_ai::route::{decide_gemm, Reason, Target};

#[test]
fn without_a_calibration_the_device_opens_only_when_it_pays() {
    // Before the library reads its configuration: an empty cache directory (no cost model).
    let cache = common::private_cache("route_uncalibrated");
    let _ = std::fs::remove_dir_all(&cache);
    common::use_test_device("auto");
    std::env::set_var("LAPACK_AI_NUM_THREADS", "2");
    assert!(lapack_ai::route::calibration::in_use().is_none());

    // 300^3 on 2 x 30 GFLOP/s: 0.9 ms; the device's fixed cost and copies alone near that.
    let (small, _) = decide_gemm::<f64>((300, 300, 300));
    assert_eq!(small.target, Target::Cpu);
    assert!(
        matches!(small.reason, Reason::Estimate { opened: false, .. }),
        "{}",
        small.reason
    );
    // 1024^3: 36 ms on the CPU, about 5 ms on a tensor-core device: it would win, but 31 ms
    // forgone do not pay for a 0.3 s opening.
    let (medium, _) = decide_gemm::<f64>((1024, 1024, 1024));
    assert_eq!(medium.target, Target::Cpu);
    match medium.reason {
        Reason::NotOpenedYet {
            forgone_s, open_s, ..
        } => {
            assert_eq!(open_s, 0.3);
            assert!(forgone_s > 0.02 && forgone_s < 0.05, "{forgone_s}");
        }
        ref r => panic!("{r}"),
    }
    assert!(!gpu::runtime::tried());

    // 4096^3: 2.3 s on the CPU, far more saved than the opening costs: the device is
    // opened (or found missing) and prices the call itself.
    let (big, _) = decide_gemm::<f64>((4096, 4096, 4096));
    assert!(gpu::runtime::tried());
    match gpu::device() {
        Ok(_) => assert!(
            matches!(
                big.reason,
                Reason::Estimate { opened: true, .. } | Reason::CpuDevice(_)
            ),
            "{}",
            big.reason
        ),
        Err(_) => assert!(matches!(big.reason, Reason::NoDevice(_)), "{}", big.reason),
    }
}
