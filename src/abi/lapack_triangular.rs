//! Fortran entry points of the triangular and inverse routines: xTRTRS, xTRTRI,
//! xGETRI, xPOTRI. Arguments are checked in the reference order; the first bad one
//! goes to XERBLA and INFO = -position.

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_lu::{bad_pivot, PIVOT_IN_N};
use crate::abi::lapack_numeric_checks::{after_triangular, scan_inputs};
use crate::abi::lapack_support::{illegal_because, outcome, rejected, set_work_size, Check};
use crate::blas::args::{option_char, Diag, Trans, Uplo};
use crate::diag::check::{DIAG, TRANS, UPLO};
use crate::diag::cond_check::Consequence;
use crate::diag::nan_check::{self, Operand};
use crate::lapack::norms::Shape;
use crate::lapack::raw::RawMat;
use crate::lapack::{cholesky, lu, triangular};
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GETRI, POTRI, TRTRI, TRTRS};
use std::ffi::c_char;

/// TRTRS's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn trtrs_checked<T: Scalar>(
    (uplo, trans, diag): (u8, u8, u8),
    n: i64,
    nrhs: i64,
    a: *mut T,
    lda: i64,
    b: *mut T,
    ldb: i64,
) -> i64 {
    let (tri, op, unit) = (
        Uplo::from_char(uplo),
        Trans::from_char(trans),
        Diag::from_char(diag),
    );
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::option(2, trans, op.is_some(), TRANS),
        Check::option(3, diag, unit.is_some(), DIAG),
        Check::dim(4, n),
        Check::dim(5, nrhs),
        Check::ld(7, lda, n, "max(1, N)"),
        Check::ld(9, ldb, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&TRTRS, &checks) {
        return info;
    }
    let options = (tri.unwrap(), op.unwrap(), unit.unwrap());
    if nan_check::enabled() {
        let shape = Shape::Triangular(options.0, options.2);
        let operands = [
            Operand::shaped("A", 6, a, (n, n), lda, shape),
            Operand::general("B", 8, b, (n, nrhs), ldb),
        ];
        scan_inputs::<T>(&TRTRS, &operands);
    }
    let _call = telemetry::trtrs::<T>(n, nrhs);
    let (a, b) = (RawMat::new(a, lda as usize), RawMat::new(b, ldb as usize));
    let info = triangular::trtrs(options, (n as usize, nrhs as usize), a, b) as i64;
    if info == 0 {
        let triangle = (options.0, options.2, n);
        after_triangular::<T>(&TRTRS, triangle, a, Consequence::Solution);
    }
    outcome::<T>(&TRTRS, info)
}

/// TRTRI's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn trtri_checked<T: Scalar>(uplo: u8, diag: u8, n: i64, a: *mut T, lda: i64) -> i64 {
    let (tri, unit) = (Uplo::from_char(uplo), Diag::from_char(diag));
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::option(2, diag, unit.is_some(), DIAG),
        Check::dim(3, n),
        Check::ld(5, lda, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&TRTRI, &checks) {
        return info;
    }
    if nan_check::enabled() {
        let shape = Shape::Triangular(tri.unwrap(), unit.unwrap());
        scan_inputs::<T>(&TRTRI, &[Operand::shaped("A", 4, a, (n, n), lda, shape)]);
    }
    let _call = telemetry::inverse::<T>(&TRTRI, n);
    let info = triangular::trtri(
        tri.unwrap(),
        unit.unwrap(),
        n as usize,
        RawMat::new(a, lda as usize),
    );
    outcome::<T>(&TRTRI, info as i64)
}

/// POTRI's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn potri_checked<T: Scalar>(uplo: u8, n: i64, a: *mut T, lda: i64) -> i64 {
    let tri = Uplo::from_char(uplo);
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::dim(2, n),
        Check::ld(4, lda, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&POTRI, &checks) {
        return info;
    }
    if nan_check::enabled() {
        let shape = Shape::Triangular(tri.unwrap(), Diag::NonUnit);
        scan_inputs::<T>(&POTRI, &[Operand::shaped("A", 3, a, (n, n), lda, shape)]);
    }
    let _call = telemetry::inverse::<T>(&POTRI, n);
    outcome::<T>(
        &POTRI,
        cholesky::potri(tri.unwrap(), n as usize, RawMat::new(a, lda as usize)) as i64,
    )
}

/// GETRI's checks and body; returns INFO. Pivots outside 1..=N are refused (as an
/// illegal IPIV): they would make the column interchanges write outside A.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn getri_checked<T: Scalar, I: AbiInt>(
    n: i64,
    a: *mut T,
    lda: i64,
    ipiv: *const I,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let checks = [
        Check::dim(1, n),
        Check::ld(3, lda, n, "max(1, N)"),
        Check::workspace(6, lwork, n.max(1), "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&GETRI, &checks) {
        return info;
    }
    set_work_size(work, (n * 64).max(1) as usize);
    if query || n == 0 {
        return 0;
    }
    let mut pivots = Vec::with_capacity(n as usize);
    for i in 0..n as usize {
        let p = read(ipiv.add(i));
        if p < 1 || p > n {
            return illegal_because::<T>(&GETRI, &bad_pivot(4, i, p, PIVOT_IN_N));
        }
        pivots.push(p as usize - 1);
    }
    if nan_check::enabled() {
        scan_inputs::<T>(&GETRI, &[Operand::general("A", 2, a, (n, n), lda)]);
    }
    let _call = telemetry::inverse::<T>(&GETRI, n);
    outcome::<T>(
        &GETRI,
        lu::getri(n as usize, RawMat::new(a, lda as usize), &pivots) as i64,
    )
}

macro_rules! trtrs_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xTRTRS(UPLO, TRANS, DIAG, N, NRHS, A, LDA, B, LDB, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            uplo: *const c_char,
            trans: *const c_char,
            diag: *const c_char,
            n: *const $I,
            nrhs: *const $I,
            a: *mut $T,
            lda: *const $I,
            b: *mut $T,
            ldb: *const $I,
            info: *mut $I,
            _uplo_len: usize,
            _trans_len: usize,
            _diag_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let options = (option_char(uplo), option_char(trans), option_char(diag));
                let result =
                    trtrs_checked::<$T>(options, read(n), read(nrhs), a, read(lda), b, read(ldb));
                write(info, result);
            })
        }
    };
}

macro_rules! trtri_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xTRTRI(UPLO, DIAG, N, A, LDA, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        pub unsafe extern "C" fn $name(
            uplo: *const c_char,
            diag: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            info: *mut $I,
            _uplo_len: usize,
            _diag_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = trtri_checked::<$T>(
                    option_char(uplo),
                    option_char(diag),
                    read(n),
                    a,
                    read(lda),
                );
                write(info, result);
            })
        }
    };
}

macro_rules! potri_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xPOTRI(UPLO, N, A, LDA, INFO).
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
                let result = potri_checked::<$T>(option_char(uplo), read(n), a, read(lda));
                write(info, result);
            })
        }
    };
}

macro_rules! getri_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xGETRI(N, A, LDA, IPIV, WORK, LWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        pub unsafe extern "C" fn $name(
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            ipiv: *const $I,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result =
                    getri_checked::<$T, $I>(read(n), a, read(lda), ipiv, work, read(lwork));
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    trtrs_fortran!(f32, strtrs_);
    trtrs_fortran!(f64, dtrtrs_);
    trtrs_fortran!(c32, ctrtrs_);
    trtrs_fortran!(c64, ztrtrs_);
    trtri_fortran!(f32, strtri_);
    trtri_fortran!(f64, dtrtri_);
    trtri_fortran!(c32, ctrtri_);
    trtri_fortran!(c64, ztrtri_);
    potri_fortran!(f32, spotri_);
    potri_fortran!(f64, dpotri_);
    potri_fortran!(c32, cpotri_);
    potri_fortran!(c64, zpotri_);
    getri_fortran!(f32, sgetri_);
    getri_fortran!(f64, dgetri_);
    getri_fortran!(c32, cgetri_);
    getri_fortran!(c64, zgetri_);
}
