//! LAPACK_AI_BACKEND=auto with a calibrated device, before any call opened it: a call
//! the calibrated estimate keeps on the CPU does not open the device (no OpenCL context,
//! no driver threads); a call the device would win stays on the CPU too until the
//! savings such calls forwent cover the opening's cost, and that call opens the device
//! (`pocl` in CI, or `$LAPACK_AI_TEST_DEVICE`), which then gets the full estimate.

mod common;

use lapack_ai::gpu;
use lapack_ai::route::calibration::{Calibration, DeviceCalibration};
use lapack_ai::route::{decide_gemm, Reason, Target};

#[test]
fn the_device_opens_only_when_it_pays() {
    // Before the library reads its configuration (once per process): a cost model in a
    // cache directory of our own, with a device whose calls cost at least 10 ms and
    // whose opening costs 50 ms.
    let cache = common::private_cache("route_opening");
    common::use_test_device("auto");
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
            open_s: 50e-3,
        }),
    };
    calibration
        .save(&cache.join("lapack-ai").join("cost-model.json"))
        .unwrap();
    let closed = || gpu::runtime::opened().is_none();

    // 2 * 256^3 flop on 2 x 10 GFLOP/s: 1.7 ms on the CPU, under the device's 10 ms.
    let (small, dev) = decide_gemm::<f64>((256, 256, 256));
    assert_eq!(small.target, Target::Cpu);
    match small.reason {
        Reason::Estimate {
            gpu_s,
            cpu_s,
            opened: false,
        } => {
            assert!(gpu_s > 10e-3, "{gpu_s}");
            assert!(
                (cpu_s - 2.0 * 256f64.powi(3) / 2e10).abs() < 1e-9,
                "{cpu_s}"
            );
        }
        ref r => panic!("{r}"),
    }
    assert!(dev.is_none() && closed());
    // Complex: 8 flop a multiply-add, 6.7 ms, still under 10 ms / the offload margin.
    let (complex, _) = decide_gemm::<lapack_ai::scalar::c64>((256, 256, 256));
    assert!(
        matches!(complex.reason, Reason::Estimate { opened: false, .. }),
        "{}",
        complex.reason
    );
    assert!(closed());

    // 640^3: 26.2 ms on the CPU, 11.4 ms on the device (10 ms + 1.3 ms of copies + the
    // kernel), a saving of 14.8 ms a call: three calls forgo 44 ms, under the opening's
    // 50 ms, and stay on the CPU with the device closed.
    let mut forgone = Vec::new();
    for _ in 0..3 {
        let (d, dev) = decide_gemm::<f64>((640, 640, 640));
        assert_eq!(d.target, Target::Cpu);
        match d.reason {
            Reason::NotOpenedYet {
                forgone_s, open_s, ..
            } => {
                assert_eq!(open_s, 50e-3);
                forgone.push(forgone_s);
            }
            ref r => panic!("{r}"),
        }
        assert!(dev.is_none() && closed());
    }
    let saving = forgone[0];
    assert!((saving - 14.8e-3).abs() < 0.1e-3, "{forgone:?}");
    assert!((forgone[2] - 3.0 * saving).abs() < 1e-12, "{forgone:?}");

    // The fourth brings the sum to 59 ms: it opens the device and gets the full estimate
    // (the device in use is not the calibrated one, so the built-in table prices it).
    let (fourth, _) = decide_gemm::<f64>((640, 640, 640));
    match gpu::device() {
        Ok(_) => {
            assert!(!closed());
            assert!(
                matches!(fourth.reason, Reason::Estimate { opened: true, .. }),
                "{}",
                fourth.reason
            );
        }
        Err(_) => assert!(
            matches!(fourth.reason, Reason::NoDevice(_)),
            "{}",
            fourth.reason
        ),
    }
    // Open, the device prices every call it is asked about.
    let (big, _) = decide_gemm::<f64>((1024, 1024, 1024));
    assert!(
        !matches!(big.reason, Reason::Estimate { opened: false, .. }),
        "{}",
        big.reason
    );
}
