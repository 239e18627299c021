//! Fortran entry points of the Cholesky family: xPOTRF, xPOTRS, xPOSV. Arguments are
//! checked in the reference order; the first bad one goes to XERBLA and INFO = -position.

use crate::abi::int::{read, write};
use crate::abi::lapack_numeric_checks::{after_cholesky, norm_before, scan_inputs};
use crate::abi::lapack_support::{outcome, rejected, Check};
use crate::blas::args::{option_char, Uplo};
use crate::diag::check::UPLO;
use crate::diag::cond_check::Consequence;
use crate::diag::nan_check::{self, Operand};
use crate::lapack::cholesky;
use crate::lapack::norms::Shape;
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, POSV, POTRF, POTRS};
use crate::telemetry::Family;
use std::ffi::c_char;

/// How POTRF reads A: the `tri` triangle of a symmetric (real) or Hermitian matrix.
fn hermitian<T: Scalar>(tri: Uplo) -> Shape {
    if T::IS_COMPLEX {
        Shape::Hermitian(tri)
    } else {
        Shape::Symmetric(tri)
    }
}

/// POTRF's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn potrf_checked<T: Scalar>(uplo: u8, n: i64, a: *mut T, lda: i64) -> i64 {
    let tri = Uplo::from_char(uplo);
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::dim(2, n),
        Check::ld(4, lda, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&POTRF, &checks) {
        return info;
    }
    let (tri, matrix) = (tri.unwrap(), RawMat::new(a, lda as usize));
    let shape = hermitian::<T>(tri);
    if nan_check::enabled() {
        scan_inputs::<T>(&POTRF, &[Operand::shaped("A", 3, a, (n, n), lda, shape)]);
    }
    let _call = telemetry::potrf::<T>(n);
    let anorm = norm_before(n, matrix, shape);
    let info = cholesky::potrf(tri, n as usize, matrix);
    if info == 0 {
        after_cholesky::<T>(&POTRF, (tri, n), matrix, anorm, Consequence::Factors);
    }
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
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::dim(2, n),
        Check::dim(3, nrhs),
        Check::ld(5, lda, n, "max(1, N)"),
        Check::ld(7, ldb, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(family, &checks) {
        return info;
    }
    let (tri, dims) = (tri.unwrap(), (n as usize, nrhs as usize));
    if nan_check::enabled() {
        let operands = [
            Operand::shaped("A", 4, a, (n, n), lda, hermitian::<T>(tri)),
            Operand::general("B", 6, b, (n, nrhs), ldb),
        ];
        scan_inputs::<T>(family, &operands);
    }
    let (a, b) = (RawMat::new(a, lda as usize), RawMat::new(b, ldb as usize));
    let _call = telemetry::potrs::<T>(family, n, nrhs);
    let factoring = std::ptr::eq(family, &POSV);
    let anorm = if factoring {
        norm_before(n, a, hermitian::<T>(tri))
    } else {
        None
    };
    let info = if factoring {
        cholesky::potrf(tri, n as usize, a)
    } else {
        0
    };
    if info == 0 {
        cholesky::potrs(tri, dims, a, b);
        after_cholesky::<T>(family, (tri, n), a, anorm, Consequence::Solution);
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
