//! Fortran entry points of xPSTRF, the pivoted Cholesky factorization. Arguments are
//! checked in the reference order; the first bad one goes to XERBLA and INFO =
//! -position. WORK (2N reals in the reference) is not needed and not written. PIV
//! crosses the ABI 1-based in the caller's integer width.

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_support::{outcome, rejected, Check};
use crate::blas::args::{option_char, Uplo};
use crate::diag::check::UPLO;
use crate::lapack::pivoted_cholesky;
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, PSTRF};
use std::ffi::c_char;

/// PSTRF's checks and body; returns INFO. RANK is written unless N = 0 (as the
/// reference, which returns before setting it).
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn pstrf_checked<T: Scalar, I: AbiInt>(
    uplo: u8,
    n: i64,
    (a, lda): (*mut T, i64),
    piv: *mut I,
    rank: *mut I,
    tol: T::RealPart,
) -> i64 {
    let tri = Uplo::from_char(uplo);
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::dim(2, n),
        Check::ld(4, lda, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&PSTRF, &checks) {
        return info;
    }
    if n == 0 {
        return 0;
    }
    let _call = telemetry::pstrf::<T>(n);
    let mut order = vec![0usize; n as usize];
    let (computed_rank, info) = pivoted_cholesky::pstrf(
        tri.unwrap(),
        n as usize,
        RawMat::new(a, lda as usize),
        &mut order,
        tol,
    );
    for (i, &p) in order.iter().enumerate() {
        write(piv.add(i), p as i64 + 1);
    }
    write(rank, computed_rank as i64);
    outcome::<T>(&PSTRF, info as i64)
}

macro_rules! pstrf_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident) => {
        /// xPSTRF(UPLO, N, A, LDA, PIV, RANK, TOL, WORK, INFO): Cholesky factorization
        /// with complete pivoting of a positive semidefinite matrix.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            uplo: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            piv: *mut $I,
            rank: *mut $I,
            tol: *const $R,
            _work: *mut $R,
            info: *mut $I,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = pstrf_checked::<$T, $I>(
                    option_char(uplo),
                    read(n),
                    (a, read(lda)),
                    piv,
                    rank,
                    *tol,
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    pstrf_fortran!(f32, f32, spstrf_);
    pstrf_fortran!(f64, f64, dpstrf_);
    pstrf_fortran!(c32, f32, cpstrf_);
    pstrf_fortran!(c64, f64, zpstrf_);
}
