//! Fortran entry points of the generalized symmetric-definite eigenproblem: xSYGVD /
//! xHEGVD (the driver) and xSYGST / xHEGST (the reduction to standard form, which the
//! reference xSYGV / xSYGVX reach through it). Arguments are checked in the reference
//! order; workspace minima are xSYEVD's (LAPACK documents the same numbers), and as
//! there the caller's WORK/RWORK/IWORK are only read for their sizes.

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_eigen::{heevd_minimum, wants_vectors};
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::blas::args::{option_char, Uplo};
use crate::diag::check::{JOB_NV, UPLO};
use crate::lapack::generalized_eigen::{self, Problem};
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, HEGST, HEGVD};
use std::ffi::c_char;

/// ITYPE (argument 1): the problem, A x = lambda B x (1), A B x (2) or B A x (3).
fn itype_check(itype: i64) -> Check {
    Check::between(1, itype, ("1", 1), ("3", 3))
}

/// xSYGST / xHEGST's checks and body; returns INFO (always 0 once the arguments pass).
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn hegst_checked<T: Scalar>(
    itype: i64,
    uplo: u8,
    n: i64,
    (a, lda): (*mut T, i64),
    (b, ldb): (*mut T, i64),
) -> i64 {
    let (problem, tri) = (Problem::from_itype(itype), Uplo::from_char(uplo));
    let checks = [
        itype_check(itype),
        Check::option(2, uplo, tri.is_some(), UPLO),
        Check::dim(3, n),
        Check::ld(5, lda, n, "max(1, N)"),
        Check::ld(7, ldb, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&HEGST, &checks) {
        return info;
    }
    let _call = telemetry::hegst::<T>(n);
    let (a, b) = (RawMat::new(a, lda as usize), RawMat::new(b, ldb as usize));
    generalized_eigen::hegst(problem.unwrap(), tri.unwrap(), n as usize, a, b);
    0
}

/// xSYGVD / xHEGVD's checks and body; returns INFO. For real `T`, `rwork` is null and
/// LWORK, LIWORK are arguments 11 and 13; for complex, LRWORK is 13 and LIWORK 15.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn hegvd_checked<T: Scalar, I: AbiInt>(
    itype: i64,
    jobz: u8,
    uplo: u8,
    n: i64,
    (a, lda): (*mut T, i64),
    (b, ldb): (*mut T, i64),
    w: *mut T::RealPart,
    (work, lwork): (*mut T, i64),
    (rwork, lrwork): (*mut T::RealPart, i64),
    (iwork, liwork): (*mut I, i64),
) -> i64 {
    let problem = Problem::from_itype(itype);
    let (vectors, tri) = (wants_vectors(jobz), Uplo::from_char(uplo));
    let checks = [
        itype_check(itype),
        Check::option(2, jobz, vectors.is_some(), JOB_NV),
        Check::option(3, uplo, tri.is_some(), UPLO),
        Check::dim(4, n),
        Check::ld(6, lda, n, "max(1, N)"),
        Check::ld(8, ldb, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&HEGVD, &checks) {
        return info;
    }
    let (problem, vectors, tri) = (problem.unwrap(), vectors.unwrap(), tri.unwrap());
    let ((min_work, work_rule), (min_rwork, rwork_rule), (min_iwork, iwork_rule)) =
        heevd_minimum::<T>(vectors, n);
    // As the reference, the sizes are stored before LWORK is checked.
    set_work_size(work, min_work as usize);
    write(iwork, min_iwork);
    if T::IS_COMPLEX {
        set_work_size(rwork, min_rwork as usize);
    }
    let query = lwork == -1 || liwork == -1 || (T::IS_COMPLEX && lrwork == -1);
    let liwork_position = if T::IS_COMPLEX { 15 } else { 13 };
    let rwork_check = if T::IS_COMPLEX {
        Check::workspace(13, lrwork, min_rwork, rwork_rule)
    } else {
        Check::from((13, false))
    };
    let checks = [
        Check::workspace(11, lwork, min_work, work_rule),
        rwork_check,
        Check::workspace(liwork_position, liwork, min_iwork, iwork_rule),
    ];
    // A query in any of LWORK, LRWORK, LIWORK answers all three sizes.
    if !query {
        if let Some(info) = rejected::<T>(&HEGVD, &checks) {
            return info;
        }
    }
    if query {
        return 0;
    }
    let _call = telemetry::hegvd::<T>(vectors, n);
    let (a, b) = (RawMat::new(a, lda as usize), RawMat::new(b, ldb as usize));
    let info = generalized_eigen::hegvd(problem, vectors, tri, n as usize, a, b, w);
    outcome::<T>(&HEGVD, info as i64)
}

macro_rules! hegst_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xSYGST / xHEGST(ITYPE, UPLO, N, A, LDA, B, LDB, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            itype: *const $I,
            uplo: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            b: *mut $T,
            ldb: *const $I,
            info: *mut $I,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = hegst_checked::<$T>(
                    read(itype),
                    option_char(uplo),
                    read(n),
                    (a, read(lda)),
                    (b, read(ldb)),
                );
                write(info, result);
            })
        }
    };
}

macro_rules! hegvd_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident $(, $rwork:ident, $lrwork:ident)?) => {
        /// xSYGVD(ITYPE, JOBZ, UPLO, N, A, LDA, B, LDB, W, WORK, LWORK, IWORK, LIWORK,
        /// INFO) / xHEGVD(..., WORK, LWORK, RWORK, LRWORK, IWORK, LIWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            itype: *const $I,
            jobz: *const c_char,
            uplo: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            b: *mut $T,
            ldb: *const $I,
            w: *mut $R,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut $R, $lrwork: *const $I,)?
            iwork: *mut $I,
            liwork: *const $I,
            info: *mut $I,
            _jobz_len: usize,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                #[allow(unused_variables)]
                let real_work: (*mut $R, i64) = (std::ptr::null_mut(), 0);
                $(let real_work = ($rwork, read($lrwork));)?
                let result = hegvd_checked::<$T, $I>(
                    read(itype),
                    option_char(jobz),
                    option_char(uplo),
                    read(n),
                    (a, read(lda)),
                    (b, read(ldb)),
                    w,
                    (work, read(lwork)),
                    real_work,
                    (iwork, read(liwork)),
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    hegst_fortran!(f32, ssygst_);
    hegst_fortran!(f64, dsygst_);
    hegst_fortran!(c32, chegst_);
    hegst_fortran!(c64, zhegst_);
    hegvd_fortran!(f32, f32, ssygvd_);
    hegvd_fortran!(f64, f64, dsygvd_);
    hegvd_fortran!(c32, f32, chegvd_, rwork, lrwork);
    hegvd_fortran!(c64, f64, zhegvd_, rwork, lrwork);
}
