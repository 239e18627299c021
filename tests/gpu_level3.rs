//! SYRK/HERK, SYR2K/HER2K, SYMM/HEMM, TRMM and TRSM through the GPU path
//! (`LAPACK_AI_BACKEND=gpu`) on an OpenCL device matching `pocl` (or
//! `$LAPACK_AI_TEST_DEVICE`), against the CPU path, for s/d/c/z, every side, uplo, trans
//! and diag, special alpha/beta (0, 1, -1, other, complex), sizes 0, 1, primes and
//! several blocks, leading dimensions larger than the rows. Each call must have run on
//! the device (its decision says so, and nothing was declined) and left every element
//! outside its output untouched. Without such a device the same cases run through the
//! CPU fallback and nothing may be offloaded.

mod common;

use common::level3::{rank_k_case, specials, symm_case, triangular_case, DIAGS, SIDES, UPLOS};
use common::{Rng, TRANS};
use lapack_ai::blas::args::Trans;
use lapack_ai::gpu;
use lapack_ai::route::Decision;
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

/// A quick return has no decision; any other call ran on the device when there is one.
fn expect(decision: Option<Decision>, quick: bool, have: bool) {
    match decision {
        None => assert!(quick, "a call that must be routed returned no decision"),
        Some(d) => {
            assert!(!quick, "a quick return was routed");
            assert_eq!(d.ran_on_device(), have, "{}", d.reason);
        }
    }
}

fn no_declines(have: bool) {
    let (on_device, declined) = gpu::counts();
    // A declined call still gives the right result (on the CPU): only this count shows
    // a broken device path.
    assert_eq!(
        declined, 0,
        "the device declined calls (see the warning above)"
    );
    if !have {
        assert_eq!(on_device, 0, "nothing can run on a missing device");
    }
}

const SQUARE: [(usize, usize); 8] = [
    (0, 3),
    (3, 0),
    (1, 1),
    (2, 5),
    (7, 13),
    (17, 4),
    (40, 33),
    (70, 9),
];
const RECT: [(usize, usize); 8] = [
    (0, 3),
    (3, 0),
    (1, 1),
    (2, 5),
    (13, 7),
    (17, 40),
    (41, 3),
    (5, 70),
];

fn rank_k_suite<T: Scalar>() {
    let have = setup();
    let mut rng = Rng::new(11 + T::PREFIX as u64);
    let kinds: &[(bool, bool)] = if T::IS_COMPLEX {
        &[(false, false), (false, true), (true, false), (true, true)]
    } else {
        &[(false, false), (false, true)]
    };
    let mut case = 0usize;
    for &(hermitian, two) in kinds {
        let transes: &[Trans] = match (T::IS_COMPLEX, hermitian) {
            (false, _) => &TRANS,
            (true, false) => &[Trans::No, Trans::Trans],
            (true, true) => &[Trans::No, Trans::ConjTrans],
        };
        for &uplo in &UPLOS {
            for &trans in transes {
                for &(n, k) in &SQUARE {
                    // HERK's alpha and beta, HER2K's beta, are real.
                    for &alpha in &specials::<T>(hermitian && !two) {
                        for &beta in &specials::<T>(hermitian) {
                            case += 1;
                            let d = rank_k_case::<T>(
                                &mut rng,
                                (hermitian, two),
                                uplo,
                                trans,
                                (n, k),
                                alpha,
                                beta,
                                case % 3,
                            );
                            let quick = n == 0 || ((alpha.is_zero() || k == 0) && beta == T::one());
                            expect(d, quick, have);
                        }
                    }
                }
            }
        }
    }
    no_declines(have);
}

fn symm_suite<T: Scalar>() {
    let have = setup();
    let mut rng = Rng::new(5 + T::PREFIX as u64);
    let kinds: &[bool] = if T::IS_COMPLEX {
        &[false, true]
    } else {
        &[false]
    };
    let mut case = 0usize;
    for &hermitian in kinds {
        for &side in &SIDES {
            for &uplo in &UPLOS {
                for &(m, n) in &RECT {
                    for &alpha in &specials::<T>(false) {
                        for &beta in &specials::<T>(false) {
                            case += 1;
                            let d = symm_case::<T>(
                                &mut rng,
                                hermitian,
                                side,
                                uplo,
                                (m, n),
                                alpha,
                                beta,
                                case % 3,
                            );
                            let quick = m == 0 || n == 0 || (alpha.is_zero() && beta == T::one());
                            expect(d, quick, have);
                        }
                    }
                }
            }
        }
    }
    no_declines(have);
}

fn triangular_suite<T: Scalar>(solve: bool) {
    let have = setup();
    let mut rng = Rng::new(7 + T::PREFIX as u64 + solve as u64);
    let mut case = 0usize;
    for &side in &SIDES {
        for &uplo in &UPLOS {
            for &trans in &TRANS {
                for &diag in &DIAGS {
                    for &(m, n) in &RECT {
                        for &alpha in &specials::<T>(false) {
                            case += 1;
                            let d = triangular_case::<T>(
                                &mut rng,
                                solve,
                                (side, uplo, trans, diag),
                                (m, n),
                                alpha,
                                case % 3,
                            );
                            expect(d, m == 0 || n == 0 || alpha.is_zero(), have);
                        }
                    }
                }
            }
        }
    }
    no_declines(have);
}

macro_rules! suites {
    ($($t:ty: $rank_k:ident, $symm:ident, $trmm:ident, $trsm:ident;)*) => {$(
        #[test]
        fn $rank_k() {
            rank_k_suite::<$t>();
        }
        #[test]
        fn $symm() {
            symm_suite::<$t>();
        }
        #[test]
        fn $trmm() {
            triangular_suite::<$t>(false);
        }
        #[test]
        fn $trsm() {
            triangular_suite::<$t>(true);
        }
    )*};
}

suites! {
    f32: s_rank_k_gpu_path, s_symm_gpu_path, s_trmm_gpu_path, s_trsm_gpu_path;
    f64: d_rank_k_gpu_path, d_symm_gpu_path, d_trmm_gpu_path, d_trsm_gpu_path;
    c32: c_rank_k_gpu_path, c_symm_gpu_path, c_trmm_gpu_path, c_trsm_gpu_path;
    c64: z_rank_k_gpu_path, z_symm_gpu_path, z_trmm_gpu_path, z_trsm_gpu_path;
}

/// Larger than several blocks and work-group tiles, sizes that divide nothing.
#[test]
fn multi_block_shapes() {
    let have = setup();
    let mut rng = Rng::new(99);
    let (alpha, beta) = (c64::new(0.5, -1.0), c64::new(-0.25, 0.5));
    for &uplo in &UPLOS {
        let d = rank_k_case::<c64>(
            &mut rng,
            (false, true),
            uplo,
            Trans::No,
            (131, 67),
            alpha,
            beta,
            1,
        );
        expect(d, false, have);
        let d = rank_k_case::<f64>(
            &mut rng,
            (false, false),
            uplo,
            Trans::Trans,
            (157, 40),
            0.5,
            1.5,
            0,
        );
        expect(d, false, have);
        for &trans in &TRANS {
            for &side in &SIDES {
                let args = (side, uplo, trans, lapack_ai::blas::args::Diag::NonUnit);
                let d = triangular_case::<f64>(&mut rng, true, args, (129, 97), 2.0, 2);
                expect(d, false, have);
                let d =
                    triangular_case::<c32>(&mut rng, true, args, (61, 143), c32::new(1.0, 1.0), 0);
                expect(d, false, have);
            }
        }
    }
    no_declines(have);
}
