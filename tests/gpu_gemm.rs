//! GEMM through the GPU path (`LAPACK_AI_BACKEND=gpu`) on an OpenCL device matching
//! `pocl` (or `$LAPACK_AI_TEST_DEVICE`), against a naive reference, for s/d/c/z, every
//! op(A)/op(B), edge shapes, leading dimensions larger than the rows, special alpha/beta
//! and NaN in C with beta == 0. Without such a device the same cases run and must be
//! correct through the CPU fallback, and the tests assert that nothing was offloaded.

mod common;

use common::{run_case, Rng, TRANS};
use lapack_ai::gpu;
use lapack_ai::route::{decide_gemm, Target};
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::{c32, c64, Scalar};
use std::sync::Once;

fn setup() -> bool {
    static ENV: Once = Once::new();
    ENV.call_once(|| {
        // Before the library reads its configuration (once per process).
        common::use_test_device("gpu");
    });
    let have = gpu::device().is_ok();
    if !have {
        eprintln!("no OpenCL device matches: checking the CPU fallback only");
    }
    have
}

const SHAPES: [(usize, usize, usize); 10] = [
    (0, 3, 4),
    (3, 0, 4),
    (3, 4, 0),
    (1, 1, 1),
    (2, 3, 1),
    (7, 13, 5),
    (33, 17, 65),
    (65, 1, 33),
    (1, 70, 3),
    (64, 64, 16),
];

fn specials<T: Scalar>() -> Vec<T> {
    let r = |v: f64| T::from_real(Float::from_f64(v));
    let mut v = vec![r(0.0), r(1.0), r(-1.0), r(0.7)];
    if T::IS_COMPLEX {
        v.push(T::from_parts(Float::from_f64(0.3), Float::from_f64(-0.8)));
    }
    v
}

fn suite<T: Scalar>() {
    let have = setup();
    let d = decide_gemm::<T>((7, 13, 5)).0;
    assert_eq!(d.target == Target::Gpu, have, "decision: {}", d.reason);
    let (on_device_before, _) = gpu::counts();
    let mut rng = Rng::new(T::PREFIX as u64);
    let mut offloaded = 0u64;
    for &ta in &TRANS {
        for &tb in &TRANS {
            for &dims in &SHAPES {
                for &alpha in &specials::<T>() {
                    for &beta in &specials::<T>() {
                        for pad in [0, 3] {
                            run_case::<T>(
                                &format!("{}gemm", T::PREFIX),
                                &mut rng,
                                (ta, tb),
                                dims,
                                alpha,
                                beta,
                                pad,
                            );
                            let (m, n, k) = dims;
                            let quick = m == 0
                                || n == 0
                                || ((alpha.is_zero() || k == 0) && beta == T::one());
                            offloaded += !quick as u64;
                        }
                    }
                }
            }
        }
    }
    common::assert_offloaded(have, on_device_before, offloaded);
}

#[test]
fn sgemm_gpu_path() {
    suite::<f32>();
}

#[test]
fn dgemm_gpu_path() {
    suite::<f64>();
}

#[test]
fn cgemm_gpu_path() {
    suite::<c32>();
}

#[test]
fn zgemm_gpu_path() {
    suite::<c64>();
}

/// Larger than one work-group tile in every direction, not a multiple of any tile.
#[test]
fn dgemm_gpu_multi_tile() {
    setup();
    let mut rng = Rng::new(99);
    for &ta in &TRANS {
        for &tb in &TRANS {
            run_case::<f64>("dgemm", &mut rng, (ta, tb), (131, 97, 70), 0.5, -1.5, 2);
        }
    }
    run_case::<c64>(
        "zgemm",
        &mut rng,
        (
            lapack_ai::blas::args::Trans::ConjTrans,
            lapack_ai::blas::args::Trans::Trans,
        ),
        (67, 45, 129),
        c64::new(0.5, 1.0),
        c64::new(0.0, 0.0),
        1,
    );
}

/// Concurrent callers share the device's queue (behind its lock) and program cache.
#[test]
fn concurrent_callers() {
    setup();
    std::thread::scope(|s| {
        for t in 0..4u64 {
            s.spawn(move || {
                let mut rng = Rng::new(1000 + t);
                for i in 0..6 {
                    let dims = (20 + 7 * i + t as usize, 9 + i, 31);
                    if t % 2 == 0 {
                        run_case::<f64>(
                            "dgemm",
                            &mut rng,
                            (TRANS[i % 3], TRANS[t as usize % 3]),
                            dims,
                            1.0,
                            0.5,
                            1,
                        );
                    } else {
                        run_case::<c32>(
                            "cgemm",
                            &mut rng,
                            (TRANS[t as usize % 3], TRANS[i % 3]),
                            dims,
                            c32::new(0.5, 2.0),
                            c32::new(0.0, 0.0),
                            2,
                        );
                    }
                }
            });
        }
    });
}
