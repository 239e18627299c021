//! A child of fork() whose parent opened the device (Python's multiprocessing forks by
//! default): the child never touches the parent's device (CUDA forbids it, and its queue
//! lock or an unfinished opening would hang the child); its calls run on the CPU with the
//! right results, and the parent keeps its device. On `pocl` in CI, or
//! `$LAPACK_AI_TEST_DEVICE`.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::route::{decide_gemm, Reason, Target};

/// The child's checks; Err(what failed) instead of a panic, which must not unwind into
/// the test harness's copy in the child.
fn in_the_child() -> Result<(), String> {
    let why = match gpu::device() {
        Ok(_) => return Err("the child got the parent's device".into()),
        Err(e) => e.to_string(),
    };
    if !why.contains("forked") {
        return Err(format!("unexpected reason: {why}"));
    }
    if gpu::runtime::opened().is_some() {
        return Err("opened() gave the child the parent's device".into());
    }
    let (before, declined) = gpu::counts();
    let d = decide_gemm::<f64>((64, 64, 64)).0;
    match (d.target, &d.reason) {
        (Target::Cpu, Reason::NoDevice(_)) => {}
        _ => return Err(format!("decided {:?}: {}", d.target, d.reason)),
    }
    // Forced onto the device, every call runs on the CPU and is checked by run_case.
    std::panic::catch_unwind(|| {
        let mut rng = Rng::new(17);
        for &ta in &TRANS {
            for &tb in &TRANS {
                run_case::<f64>("child dgemm", &mut rng, (ta, tb), (40, 33, 70), 0.5, 1.5, 1);
            }
        }
    })
    .map_err(|_| "a child product was wrong".to_string())?;
    if gpu::counts() != (before, declined) {
        return Err(format!("the device ran calls: {:?}", gpu::counts()));
    }
    Ok(())
}

#[test]
fn a_forked_child_leaves_the_parents_device_alone() {
    common::use_test_device("gpu");
    let have = gpu::device().is_ok();
    let mut rng = Rng::new(5);
    // One offloaded product first: the device is in use (queue, kernels, staging).
    run_case::<f64>(
        "parent dgemm",
        &mut rng,
        (TRANS[0], TRANS[1]),
        (50, 40, 30),
        1.0,
        0.0,
        2,
    );
    let offloaded = gpu::counts().0;
    assert_eq!(offloaded, have as u64);

    // SAFETY: the child only runs the checks above and leaves by _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let code = match in_the_child() {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("child: {e}");
                1
            }
        };
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the child failed (status {status}; its message is above)"
    );

    // The parent keeps its device.
    run_case::<f64>(
        "parent dgemm",
        &mut rng,
        (TRANS[1], TRANS[0]),
        (50, 40, 30),
        1.0,
        0.0,
        2,
    );
    assert_eq!(gpu::counts(), (offloaded + have as u64, 0));
}
