//! Fortran entry points of the Cholesky family: xPOTRF, xPOTRS, xPOSV. Arguments are
//! checked in the reference order; the first bad one goes to XERBLA and INFO = -position.

use crate::abi::int::{read, write};
use crate::abi::lapack_support::{first_bad, illegal, min_ld, outcome};
use crate::blas::args::{option_char, Uplo};
use crate::lapack::cholesky;
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, POSV, POTRF, POTRS};
use crate::telemetry::Family;
use std::ffi::c_char;

/// POTRF's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn potrf_checked<T: Scalar>(uplo: u8, n: i64, a: *mut T, lda: i64) -> i64 {
    let tri = Uplo::from_char(uplo);
    if let Some(position) = first_bad(&[(1, tri.is_none()), (2, n < 0), (4, lda < min_ld(n))]) {
        return illegal::<T>(&POTRF, position);
    }
    let _call = telemetry::potrf::<T>(n);
    let info = cholesky::potrf(tri.unwrap(), n as usize, RawMat::new(a, lda as usize));
    outcome::<T>(&POTRF, info as i64)
}

/// POTRS's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn potrs_checked<T: Scalar>(
    family: &'static Family,
    uplo: u8,
    n: i64,
    nrhs: i64,
    a: *mut T,
    lda: i64,
    b: *mut T,
    ldb: i64,
) -> i64 {
    let tri = Uplo::from_char(uplo);
    let checks = [
        (1, tri.is_none()),
        (2, n < 0),
        (3, nrhs < 0),
        (5, lda < min_ld(n)),
        (7, ldb < min_ld(n)),
    ];
    if let Some(position) = first_bad(&checks) {
        return illegal::<T>(family, position);
    }
    let (tri, dims) = (tri.unwrap(), (n as usize, nrhs as usize));
    let (a, b) = (RawMat::new(a, lda as usize), RawMat::new(b, ldb as usize));
    let _call = telemetry::potrs::<T>(family, n, nrhs);
    let info = if std::ptr::eq(family, &POSV) {
        cholesky::potrf(tri, n as usize, a)
    } else {
        0
    };
    if info == 0 {
        cholesky::potrs(tri, dims, a, b);
    }
    outcome::<T>(family, info as i64)
}

macro_rules! potrf_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xPOTRF(UPLO, N, A, LDA, INFO): Cholesky factorization.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        pub unsafe extern "C" fn $name(
            uplo: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            info: *mut $I,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = potrf_checked::<$T>(option_char(uplo), read(n), a, read(lda));
                write(info, result);
            })
        }
    };
}

macro_rules! potrs_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $family:ident, $name:ident) => {
        /// xPOTRS / xPOSV(UPLO, N, NRHS, A, LDA, B, LDB, INFO): solve with (POTRS) or
        /// after (POSV) a Cholesky factorization.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            uplo: *const c_char,
            n: *const $I,
            nrhs: *const $I,
            a: *mut $T,
            lda: *const $I,
            b: *mut $T,
            ldb: *const $I,
            info: *mut $I,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = potrs_checked::<$T>(
                    &$family,
                    option_char(uplo),
                    read(n),
                    read(nrhs),
                    a,
                    read(lda),
                    b,
                    read(ldb),
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    potrf_fortran!(f32, spotrf_);
    potrf_fortran!(f64, dpotrf_);
    potrf_fortran!(c32, cpotrf_);
    potrf_fortran!(c64, zpotrf_);
    potrs_fortran!(f32, POTRS, spotrs_);
    potrs_fortran!(f64, POTRS, dpotrs_);
    potrs_fortran!(c32, POTRS, cpotrs_);
    potrs_fortran!(c64, POTRS, zpotrs_);
    potrs_fortran!(f32, POSV, sposv_);
    potrs_fortran!(f64, POSV, dposv_);
    potrs_fortran!(c32, POSV, cposv_);
    potrs_fortran!(c64, POSV, zposv_);
}
