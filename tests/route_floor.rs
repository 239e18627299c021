//! LAPACK_AI_BACKEND=auto with a calibrated device: a call whose offload the calibrated
//! fixed cost alone already rules out stays on the CPU without opening the device (no
//! OpenCL context, no driver threads); a call it does not rule out opens the device
//! (`pocl` in CI, or `$LAPACK_AI_TEST_DEVICE`) and gets the full estimate.

use lapack_ai::gpu;
use lapack_ai::route::calibration::{Calibration, DeviceCalibration};
use lapack_ai::route::{decide_gemm, Reason, Target};

#[test]
fn calls_the_fixed_cost_rules_out_do_not_open_the_device() {
    // Before the library reads its configuration (once per process): a cost model in a
    // cache directory of our own, with a device whose calls cost at least 10 ms.
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("route_floor");
    let dev = std::env::var("LAPACK_AI_TEST_DEVICE").unwrap_or_else(|_| "pocl".into());
    std::env::set_var("XDG_CACHE_HOME", &cache);
    std::env::set_var("LAPACK_AI_BACKEND", "auto");
    std::env::set_var("LAPACK_AI_DEVICE", dev);
    std::env::set_var("LAPACK_AI_NUM_THREADS", "2");
    let calibration = Calibration {
        created_unix: 1,
        threads: 2,
        cpu_flops_per_thread_f64: 1e10,
        cpu_flops_per_thread_f32: 2e10,
        device: Some(DeviceCalibration {
            name: "a calibrated device".into(),
            flops_f64: 1e13,
            flops_f32: 1e13,
            flops_c64: 1e13,
            flops_c32: 1e13,
            link_bytes_per_s: 1e10,
            launch_s: 1e-5,
            overhead_s: 10e-3,
        }),
    };
    calibration
        .save(&cache.join("lapack-ai").join("cost-model.json"))
        .unwrap();

    // 2 * 256^3 flop on 2 x 10 GFLOP/s: 1.7 ms on the CPU, under the device's 10 ms.
    let (small, dev) = decide_gemm::<f64>((256, 256, 256));
    assert_eq!(small.target, Target::Cpu);
    match small.reason {
        Reason::Floor { gpu_s, cpu_s } => {
            assert_eq!(gpu_s, 10e-3);
            assert!(
                (cpu_s - 2.0 * 256f64.powi(3) / 2e10).abs() < 1e-9,
                "{cpu_s}"
            );
        }
        ref r => panic!("{r}"),
    }
    assert!(dev.is_none() && gpu::runtime::opened().is_none());
    // Complex: 8 flop a multiply-add, 6.7 ms, still under 10 ms / the offload margin.
    let (complex, _) = decide_gemm::<lapack_ai::scalar::c64>((256, 256, 256));
    assert!(
        matches!(complex.reason, Reason::Floor { .. }),
        "{}",
        complex.reason
    );
    assert!(gpu::runtime::opened().is_none());

    // 2 * 1024^3 flop: 107 ms on the CPU, so the device is opened and estimated.
    let (big, _) = decide_gemm::<f64>((1024, 1024, 1024));
    assert!(
        !matches!(big.reason, Reason::Floor { .. }),
        "{}",
        big.reason
    );
    if gpu::device().is_ok() {
        assert!(gpu::runtime::opened().is_some());
        assert!(
            matches!(big.reason, Reason::Estimate { .. }),
            "{}",
            big.reason
        );
    }
}
