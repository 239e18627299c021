//! `lapack_ai_set_backend`: a thread's override beats LAPACK_AI_BACKEND, for that thread
//! only, through the C API. Needs PoCL (`pocl-opencl-icd`) for the GPU half.

use lapack_ai::api::{lapack_ai_get_backend, lapack_ai_set_backend};
use lapack_ai::route::{decide_gemm, Target};

#[test]
fn override_routes_this_threads_gemm() {
    std::env::set_var("LAPACK_AI_BACKEND", "cpu");
    std::env::set_var("LAPACK_AI_DEVICE", "pocl");
    assert_eq!(lapack_ai_get_backend(), 2);
    // A small GEMM that `auto` would keep on the CPU goes to the device when forced.
    assert_eq!(lapack_ai_set_backend(3), 0);
    assert_eq!(lapack_ai_get_backend(), 3);
    let (forced, _) = decide_gemm::<f64>((8, 8, 8));
    if lapack_ai::gpu::device().is_ok() {
        assert_eq!(forced.target, Target::Gpu, "{}", forced.reason);
    }
    // Other threads still follow the environment.
    std::thread::spawn(|| {
        assert_eq!(lapack_ai_get_backend(), 2);
        assert_eq!(decide_gemm::<f64>((4096, 4096, 4096)).0.target, Target::Cpu);
    })
    .join()
    .unwrap();
    assert_eq!(lapack_ai_set_backend(9), -1, "invalid codes change nothing");
    assert_eq!(lapack_ai_get_backend(), 3);
    assert_eq!(lapack_ai_set_backend(0), 3);
    assert_eq!(lapack_ai_get_backend(), 2);
    assert_eq!(decide_gemm::<f64>((4096, 4096, 4096)).0.target, Target::Cpu);
}
