//! Fortran entry points of xSYEVR / xHEEVR (selected eigenvalues and eigenvectors of a
//! symmetric / Hermitian matrix). Arguments are checked in the reference order;
//! workspace minima are LAPACK's documented ones (the body allocates its own, so
//! WORK/RWORK/IWORK are only read for their sizes and given WORK(1) etc. back).

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_eigen::wants_vectors;
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::blas::args::{option_char, Uplo};
use crate::diag::check::{Value, JOB_NV, RANGE, UPLO};
use crate::lapack::raw::RawMat;
use crate::lapack::selected_eigen::{self, Range};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, HEEVR};
use std::ffi::c_char;

/// A workspace minimum and its documented formula.
type Minimum = (i64, &'static str);

/// LWORK, LRWORK, LIWORK minima: max(1, 26N), -, max(1, 10N) real; max(1, 2N),
/// max(1, 24N), max(1, 10N) complex.
fn heevr_minimum<T: Scalar>(n: i64) -> (Minimum, Minimum, Minimum) {
    let iwork = ((10 * n).max(1), "max(1, 10*N)");
    if T::IS_COMPLEX {
        (
            ((2 * n).max(1), "max(1, 2*N)"),
            ((24 * n).max(1), "max(1, 24*N)"),
            iwork,
        )
    } else {
        (((26 * n).max(1), "max(1, 26*N)"), (1, "1"), iwork)
    }
}

/// RANGE: 'A', 'V' (VL, VU) or 'I' (IL, IU).
fn range_kind(range: u8) -> Option<u8> {
    let range = range.to_ascii_uppercase();
    matches!(range, b'A' | b'V' | b'I').then_some(range)
}

/// xSYEVR / xHEEVR's checks and body; returns INFO. For real `T`, `rwork` is null and
/// LIWORK is argument 20; for complex, LRWORK is 20 and LIWORK 22.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn heevr_checked<T: Scalar, I: AbiInt>(
    (jobz, range, uplo): (u8, u8, u8),
    n: i64,
    (a, lda): (*mut T, i64),
    (vl, vu, il, iu): (T::RealPart, T::RealPart, i64, i64),
    abstol: T::RealPart,
    (m, w): (*mut I, *mut T::RealPart),
    (z, ldz, isuppz): (*mut T, i64, *mut I),
    (work, lwork): (*mut T, i64),
    (rwork, lrwork): (*mut T::RealPart, i64),
    (iwork, liwork): (*mut I, i64),
) -> i64 {
    let (vectors, kind, tri) = (
        wants_vectors(jobz),
        range_kind(range),
        Uplo::from_char(uplo),
    );
    let (value, index) = (kind == Some(b'V'), kind == Some(b'I'));
    // VU (RANGE = 'V'): VL < VU when N > 0. IL, IU (RANGE = 'I'): 1 <= IL <= IU <= N,
    // or IL = 1 and IU = 0 when N = 0. Not checked for the other ranges.
    let vu_check = Check::rule(
        8,
        value && n > 0 && vu <= vl,
        Value::Real(vu.to_f64()),
        "must be > VL when RANGE = 'V' (the interval (VL, VU] must not be empty)",
    );
    let (il_check, iu_check) = if index {
        (
            Check::between(9, il, ("1", 1), ("max(1, N)", n.max(1))),
            Check::between(10, iu, ("min(N, IL)", n.min(il)), ("N", n)),
        )
    } else {
        (Check::from((9, false)), Check::from((10, false)))
    };
    // LDZ >= 1, and >= N when the eigenvectors are wanted.
    let ldz_check = if vectors == Some(true) {
        Check::ld(15, ldz, n, "max(1, N) (JOBZ = 'V')")
    } else {
        Check::at_least(15, ldz, 1, "1")
    };
    let checks = [
        Check::option(1, jobz, vectors.is_some(), JOB_NV),
        Check::option(2, range, kind.is_some(), RANGE),
        Check::option(3, uplo, tri.is_some(), UPLO),
        Check::dim(4, n),
        Check::ld(6, lda, n, "max(1, N)"),
        vu_check,
        il_check,
        iu_check,
        ldz_check,
    ];
    let ((min_work, work_rule), (min_rwork, rwork_rule), (min_iwork, iwork_rule)) =
        heevr_minimum::<T>(n);
    let query = lwork == -1 || liwork == -1 || (T::IS_COMPLEX && lrwork == -1);
    let liwork_position = if T::IS_COMPLEX { 22 } else { 20 };
    let rwork_check = if T::IS_COMPLEX {
        Check::workspace(20, lrwork, min_rwork, rwork_rule)
    } else {
        Check::from((20, false))
    };
    let sizes = [
        Check::workspace(18, lwork, min_work, work_rule),
        rwork_check,
        Check::workspace(liwork_position, liwork, min_iwork, iwork_rule),
    ];
    if let Some(info) = rejected::<T>(&HEEVR, &checks) {
        return info;
    }
    // A query in any of LWORK, LRWORK, LIWORK answers all three sizes.
    if !query {
        if let Some(info) = rejected::<T>(&HEEVR, &sizes) {
            return info;
        }
    }
    let store_sizes = || {
        set_work_size(work, min_work as usize);
        write(iwork, min_iwork);
        if T::IS_COMPLEX {
            set_work_size(rwork, min_rwork as usize);
        }
    };
    store_sizes();
    if query {
        return 0;
    }
    let (vectors, tri) = (vectors.unwrap(), tri.unwrap());
    let range = match kind {
        Some(b'V') => Range::Value(vl, vu),
        Some(b'I') => Range::Index(il as usize, iu as usize),
        _ => Range::All,
    };
    // LAPACK fills ISUPPZ only for the whole spectrum (its xSTEMR path) and for N = 1;
    // otherwise the caller may pass no room for it (SciPy's wrapper passes an empty
    // array for RANGE = 'V'), so it must not be written.
    let whole_spectrum = match range {
        Range::All => true,
        Range::Index(il, iu) => il == 1 && iu as i64 == n,
        Range::Value(..) => false,
    };
    let _call = telemetry::heevr::<T>(vectors, n);
    let (n, z) = (n as usize, RawMat::new(z, ldz as usize));
    let a = RawMat::new(a, lda as usize);
    let selected = selected_eigen::heevr(vectors, range, tri, n, a, abstol, w, z);
    write(m, selected.m as i64);
    if vectors && (whole_spectrum || n == 1) {
        // Of the caller's Z, in its precision; LAPACK's order 1 sets ISUPPZ even when
        // M = 0.
        let columns = if n == 1 { 1 } else { selected.m };
        for j in 0..columns {
            let (top, bottom) = selected_eigen::support(z, n, j);
            write(isuppz.add(2 * j), top as i64);
            write(isuppz.add(2 * j + 1), bottom as i64);
        }
    }
    store_sizes();
    outcome::<T>(&HEEVR, selected.info as i64)
}

macro_rules! heevr_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident $(, $rwork:ident, $lrwork:ident)?) => {
        /// xSYEVR(JOBZ, RANGE, UPLO, N, A, LDA, VL, VU, IL, IU, ABSTOL, M, W, Z, LDZ,
        /// ISUPPZ, WORK, LWORK, IWORK, LIWORK, INFO) / xHEEVR(..., WORK, LWORK, RWORK,
        /// LRWORK, IWORK, LIWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            jobz: *const c_char,
            range: *const c_char,
            uplo: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            vl: *const $R,
            vu: *const $R,
            il: *const $I,
            iu: *const $I,
            abstol: *const $R,
            m: *mut $I,
            w: *mut $R,
            z: *mut $T,
            ldz: *const $I,
            isuppz: *mut $I,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut $R, $lrwork: *const $I,)?
            iwork: *mut $I,
            liwork: *const $I,
            info: *mut $I,
            _jobz_len: usize,
            _range_len: usize,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                #[allow(unused_variables)]
                let real_work: (*mut $R, i64) = (std::ptr::null_mut(), 0);
                $(let real_work = ($rwork, read($lrwork));)?
                let result = heevr_checked::<$T, $I>(
                    (option_char(jobz), option_char(range), option_char(uplo)),
                    read(n),
                    (a, read(lda)),
                    (*vl, *vu, read(il), read(iu)),
                    *abstol,
                    (m, w),
                    (z, read(ldz), isuppz),
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
    heevr_fortran!(f32, f32, ssyevr_);
    heevr_fortran!(f64, f64, dsyevr_);
    heevr_fortran!(c32, f32, cheevr_, rwork, lrwork);
    heevr_fortran!(c64, f64, zheevr_, rwork, lrwork);
}
