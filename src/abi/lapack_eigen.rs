//! Fortran entry points of the symmetric/Hermitian eigensolvers: xSYEVD/xHEEVD and
//! xSYEV/xHEEV. Arguments are checked in the reference order; workspace sizes are
//! LAPACK's documented minima (the bodies allocate what they need, so the caller's
//! WORK/RWORK/IWORK are only read for their sizes and given WORK(1) etc. back).
//!
//! xSYEV/xHEEV run LAPACK's own algorithm (tridiagonal QL/QR), so that their
//! eigenvalues are the reference's: Netlib DDRVST builds DSYEVX's RANGE='V' search
//! interval from DSYEV's eigenvalues, and the reference DSYEVX's eigenvectors for an
//! n = 5 matrix clustered at +-ulp (type 10) lost orthogonality (60-72 ulp, threshold
//! 50) when the interval ends differed from LAPACK's in the last bits.

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_numeric_checks::scan_inputs;
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::blas::args::{option_char, Uplo};
use crate::diag::check::{JOB_NV, UPLO};
use crate::diag::nan_check::{self, Operand};
use crate::lapack::norms::Shape;
use crate::lapack::raw::RawMat;
use crate::lapack::{symmetric_eigen, tridiagonal};
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, HEEV, HEEVD};
use crate::telemetry::Family;
use std::ffi::c_char;

/// JOBZ: 'V' computes eigenvectors, 'N' only eigenvalues.
pub(crate) fn wants_vectors(jobz: u8) -> Option<bool> {
    match jobz.to_ascii_uppercase() {
        b'V' => Some(true),
        b'N' => Some(false),
        _ => None,
    }
}

/// A workspace minimum and its documented formula.
type Minimum = (i64, &'static str);

/// LWORK, LRWORK, LIWORK minima of xSYEVD (LRWORK unused) / xHEEVD.
pub(crate) fn heevd_minimum<T: Scalar>(vectors: bool, n: i64) -> (Minimum, Minimum, Minimum) {
    let one = (1, "1");
    match (n <= 1, vectors, T::IS_COMPLEX) {
        (true, _, _) => (one, one, one),
        (false, true, false) => (
            (1 + 6 * n + 2 * n * n, "1 + 6*N + 2*N**2"),
            one,
            (3 + 5 * n, "3 + 5*N"),
        ),
        (false, false, false) => ((2 * n + 1, "2*N + 1"), one, one),
        (false, true, true) => (
            (2 * n + n * n, "2*N + N**2"),
            (1 + 5 * n + 2 * n * n, "1 + 5*N + 2*N**2"),
            (3 + 5 * n, "3 + 5*N"),
        ),
        (false, false, true) => ((n + 1, "N + 1"), (n, "N"), one),
    }
}

/// `LAPACK_AI_CHECK=nan`: the `tri` triangle of A (argument 4).
unsafe fn scan_matrix<T: Scalar>(family: &'static Family, tri: Uplo, n: i64, a: *mut T, lda: i64) {
    if nan_check::enabled() {
        let shape = if T::IS_COMPLEX {
            Shape::Hermitian(tri)
        } else {
            Shape::Symmetric(tri)
        };
        scan_inputs::<T>(family, &[Operand::shaped("A", 4, a, (n, n), lda, shape)]);
    }
}

/// The checks xSYEV(D) and xHEEV(D) share, in the reference order (JOBZ, UPLO, N,
/// LDA): (whether vectors are wanted, the triangle), or the INFO of the first bad one.
fn leading_checks<T: Scalar>(
    family: &'static Family,
    jobz: u8,
    uplo: u8,
    n: i64,
    lda: i64,
) -> Result<(bool, Uplo), i64> {
    let (vectors, tri) = (wants_vectors(jobz), Uplo::from_char(uplo));
    let checks = [
        Check::option(1, jobz, vectors.is_some(), JOB_NV),
        Check::option(2, uplo, tri.is_some(), UPLO),
        Check::dim(3, n),
        Check::ld(5, lda, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(family, &checks) {
        return Err(info);
    }
    Ok((vectors.unwrap(), tri.unwrap()))
}

/// xSYEVD / xHEEVD's checks and body; returns INFO. For real `T`, `rwork` is null and
/// LIWORK is argument 10; for complex, LRWORK is 10 and LIWORK 12.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn heevd_checked<T: Scalar, I: AbiInt>(
    jobz: u8,
    uplo: u8,
    n: i64,
    (a, lda): (*mut T, i64),
    w: *mut T::RealPart,
    (work, lwork): (*mut T, i64),
    (rwork, lrwork): (*mut T::RealPart, i64),
    (iwork, liwork): (*mut I, i64),
) -> i64 {
    let (vectors, tri) = match leading_checks::<T>(&HEEVD, jobz, uplo, n, lda) {
        Ok(options) => options,
        Err(info) => return info,
    };
    let ((min_work, work_rule), (min_rwork, rwork_rule), (min_iwork, iwork_rule)) =
        heevd_minimum::<T>(vectors, n);
    // As the reference, the sizes are stored before LWORK is checked.
    set_work_size(work, min_work as usize);
    write(iwork, min_iwork);
    let query = lwork == -1 || liwork == -1 || (T::IS_COMPLEX && lrwork == -1);
    let liwork_position = if T::IS_COMPLEX { 12 } else { 10 };
    if T::IS_COMPLEX {
        set_work_size(rwork, min_rwork as usize);
    }
    let rwork_check = if T::IS_COMPLEX {
        Check::workspace(10, lrwork, min_rwork, rwork_rule)
    } else {
        Check::from((10, false))
    };
    let checks = [
        Check::workspace(8, lwork, min_work, work_rule),
        rwork_check,
        Check::workspace(liwork_position, liwork, min_iwork, iwork_rule),
    ];
    if !query {
        if let Some(info) = rejected::<T>(&HEEVD, &checks) {
            return info;
        }
    }
    if query {
        return 0;
    }
    scan_matrix::<T>(&HEEVD, tri, n, a, lda);
    let _call = telemetry::heev::<T>(&HEEVD, vectors, n);
    let info = symmetric_eigen::heevd(vectors, tri, n as usize, RawMat::new(a, lda as usize), w);
    outcome::<T>(&HEEVD, info as i64)
}

/// xSYEV / xHEEV's checks and body: LAPACK's own algorithm (see
/// `symmetric_eigen::heev`). LWORK >= max(1, 3N-1) real, max(1, 2N-1) complex; a
/// query answers the reference's optimum, (NB+2)N real and (NB+1)N complex, with
/// which the reduction runs blocked as the reference's would. RWORK (complex) is not
/// read: the body keeps its own.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn heev_checked<T: Scalar>(
    jobz: u8,
    uplo: u8,
    n: i64,
    (a, lda): (*mut T, i64),
    w: *mut T::RealPart,
    (work, lwork): (*mut T, i64),
) -> i64 {
    let (vectors, tri) = match leading_checks::<T>(&HEEV, jobz, uplo, n, lda) {
        Ok(options) => options,
        Err(info) => return info,
    };
    let (min_work, rule, extra) = if T::IS_COMPLEX {
        (2 * n - 1, "max(1, 2*N - 1)", 1)
    } else {
        (3 * n - 1, "max(1, 3*N - 1)", 2)
    };
    let optimum = ((tridiagonal::BLOCK as i64 + extra) * n).max(1);
    set_work_size(work, optimum as usize);
    let query = lwork == -1;
    let check = Check::workspace(8, lwork, min_work.max(1), rule);
    if let Some(info) = rejected::<T>(&HEEV, &[check]) {
        return info;
    }
    if query {
        return 0;
    }
    scan_matrix::<T>(&HEEV, tri, n, a, lda);
    let _call = telemetry::heev::<T>(&HEEV, vectors, n);
    let a = RawMat::new(a, lda as usize);
    let info = symmetric_eigen::heev(vectors, tri, n as usize, a, w, lwork as usize);
    if n == 1 {
        // As the reference, which returns before storing the optimum.
        set_work_size(work, 3 - extra as usize);
    }
    outcome::<T>(&HEEV, info as i64)
}

macro_rules! heevd_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident $(, $rwork:ident, $lrwork:ident)?) => {
        /// xSYEVD(JOBZ, UPLO, N, A, LDA, W, WORK, LWORK, IWORK, LIWORK, INFO) /
        /// xHEEVD(..., WORK, LWORK, RWORK, LRWORK, IWORK, LIWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            jobz: *const c_char,
            uplo: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
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
                let result = heevd_checked::<$T, $I>(
                    option_char(jobz),
                    option_char(uplo),
                    read(n),
                    (a, read(lda)),
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

macro_rules! heev_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident $(, $rwork:ident)?) => {
        /// xSYEV(JOBZ, UPLO, N, A, LDA, W, WORK, LWORK, INFO) /
        /// xHEEV(..., WORK, LWORK, RWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            jobz: *const c_char,
            uplo: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            w: *mut $R,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut $R,)?
            info: *mut $I,
            _jobz_len: usize,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = heev_checked::<$T>(
                    option_char(jobz),
                    option_char(uplo),
                    read(n),
                    (a, read(lda)),
                    w,
                    (work, read(lwork)),
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    heevd_fortran!(f32, f32, ssyevd_);
    heevd_fortran!(f64, f64, dsyevd_);
    heevd_fortran!(c32, f32, cheevd_, rwork, lrwork);
    heevd_fortran!(c64, f64, zheevd_, rwork, lrwork);
    heev_fortran!(f32, f32, ssyev_);
    heev_fortran!(f64, f64, dsyev_);
    heev_fortran!(c32, f32, cheev_, _rwork);
    heev_fortran!(c64, f64, zheev_, _rwork);
}
