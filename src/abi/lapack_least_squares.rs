//! Fortran entry points of xGELSD (minimum-norm least squares through the SVD).
//! Arguments are checked in the reference order; the first bad one goes to XERBLA and
//! INFO = -position. LWORK = -1 answers the minimum sizes in WORK(1), IWORK(1) and (for
//! complex types) RWORK(1); the body allocates its own workspace.

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_numeric_checks::{after_svd_solve, scan_inputs};
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::diag::nan_check::{self, Operand};
use crate::lapack::least_squares;
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GELSD};

/// xGELSD's checks and body; returns (RANK, INFO). `rwork` is null for real types.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gelsd_checked<T: Scalar, I: AbiInt>(
    (m, n, nrhs): (i64, i64, i64),
    (a, lda): (*mut T, i64),
    (b, ldb): (*mut T, i64),
    s: *mut T::RealPart,
    rcond: T::RealPart,
    (work, lwork): (*mut T, i64),
    rwork: *mut T::RealPart,
    iwork: *mut I,
) -> (Option<i64>, i64) {
    let mut checks = vec![
        Check::dim(1, m),
        Check::dim(2, n),
        Check::dim(3, nrhs),
        Check::ld(5, lda, m, "max(1, M)"),
        Check::ld(7, ldb, m.max(n), "max(1, M, N)"),
    ];
    if let Some(info) = rejected::<T>(&GELSD, &checks) {
        return (None, info);
    }
    let dims = (m as usize, n as usize, nrhs as usize);
    let (min_work, min_iwork, min_rwork) = least_squares::gelsd_work::<T>(dims.0, dims.1, dims.2);
    let query = lwork == -1;
    let rule = "the documented minimum";
    checks.push(Check::workspace(12, lwork, min_work as i64, rule));
    set_work_size(work, min_work);
    write(iwork, min_iwork as i64);
    if T::IS_COMPLEX {
        set_work_size(rwork, min_rwork);
    }
    if let Some(info) = rejected::<T>(&GELSD, &checks) {
        return (None, info);
    }
    if query {
        return (None, 0);
    }
    if m == 0 || n == 0 || (T::IS_COMPLEX && nrhs == 0) {
        return (Some(0), 0);
    }
    if nan_check::enabled() {
        let operands = [
            Operand::general("A", 4, a, (m, n), lda),
            Operand::general("B", 6, b, (m, nrhs), ldb),
        ];
        scan_inputs::<T>(&GELSD, &operands);
    }
    let _call = telemetry::gelsd::<T>(m, n, nrhs);
    let a = RawMat::new(a, lda as usize);
    let b = RawMat::new(b, ldb as usize);
    let solved = least_squares::gelsd(dims, a, b, s, rcond);
    if solved.info == 0 {
        after_svd_solve::<T>(&GELSD, s, m.min(n) as usize);
    }
    (
        Some(solved.rank as i64),
        outcome::<T>(&GELSD, solved.info as i64),
    )
}

macro_rules! gelsd_fortran {
    // Real: xGELSD(M, N, NRHS, A, LDA, B, LDB, S, RCOND, RANK, WORK, LWORK, IWORK, INFO).
    ([$I:ty, $pre:literal, $suf:literal], real $T:ty, $name:ident) => {
        gelsd_fortran!(@emit [$I, $pre, $suf], $T, $name, []);
    };
    // Complex: RWORK comes between LWORK and IWORK.
    ([$I:ty, $pre:literal, $suf:literal], complex $T:ty, $name:ident) => {
        gelsd_fortran!(@emit [$I, $pre, $suf], $T, $name, [rwork]);
    };
    (@emit [$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, [$($rwork:ident)?]) => {
        /// xGELSD: minimum-norm least squares through the SVD.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            m: *const $I,
            n: *const $I,
            nrhs: *const $I,
            a: *mut $T,
            lda: *const $I,
            b: *mut $T,
            ldb: *const $I,
            s: *mut <$T as Scalar>::RealPart,
            rcond: *const <$T as Scalar>::RealPart,
            rank: *mut $I,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut <$T as Scalar>::RealPart,)?
            iwork: *mut $I,
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                #[allow(unused_mut, unused_assignments)]
                let mut rwork_ptr: *mut <$T as Scalar>::RealPart = std::ptr::null_mut();
                $(rwork_ptr = $rwork;)?
                let (result_rank, result) = gelsd_checked::<$T, $I>(
                    (read(m), read(n), read(nrhs)),
                    (a, read(lda)),
                    (b, read(ldb)),
                    s,
                    *rcond,
                    (work, read(lwork)),
                    rwork_ptr,
                    iwork,
                );
                if let Some(r) = result_rank {
                    write(rank, r);
                }
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    gelsd_fortran!(real f32, sgelsd_);
    gelsd_fortran!(real f64, dgelsd_);
    gelsd_fortran!(complex c32, cgelsd_);
    gelsd_fortran!(complex c64, zgelsd_);
}
