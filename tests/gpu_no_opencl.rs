//! A process whose OpenCL loader finds no platform (OCL_ICD_VENDORS points nowhere):
//! LAPACK_AI_BACKEND=gpu still gives correct results, on the CPU.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::route::{decide_gemm, Target};

#[test]
fn no_opencl_platform_runs_on_the_cpu() {
    std::env::set_var("OCL_ICD_VENDORS", "/nonexistent");
    std::env::set_var("OCL_ICD_FILENAMES", "");
    std::env::set_var("LAPACK_AI_BACKEND", "gpu");
    assert!(gpu::device().is_err());
    let d = decide_gemm::<f64>((512, 512, 512)).0;
    assert_eq!(d.target, Target::Cpu);
    let why = d.reason.to_string();
    assert!(why.contains("no device"), "{why}");
    let mut rng = Rng::new(3);
    for &ta in &TRANS {
        for &tb in &TRANS {
            run_case::<f64>("dgemm", &mut rng, (ta, tb), (33, 17, 65), -1.0, 0.0, 1);
            run_case::<lapack_ai::scalar::c64>(
                "zgemm",
                &mut rng,
                (ta, tb),
                (7, 13, 5),
                lapack_ai::scalar::c64::new(0.0, 1.0),
                lapack_ai::scalar::c64::new(1.0, 1.0),
                2,
            );
        }
    }
    assert_eq!(gpu::counts(), (0, 0));
}
