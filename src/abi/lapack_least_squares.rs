//! Fortran entry points of the least-squares drivers: xGELS (QR/LQ), xGELSY (pivoted QR
//! and a complete orthogonal factorization), xGELSS and xGELSD (the SVD).
//! Arguments are checked in the reference order; the first bad one goes to XERBLA and
//! INFO = -position. The bodies allocate their own workspace: LWORK is checked against
//! LAPACK's minimum, and LWORK = -1 answers a size at least that minimum (xGELSD also
//! IWORK(1) and, for complex types, RWORK(1)).

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_numeric_checks::{after_svd_solve, scan_inputs};
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::blas::args::Trans;
use crate::diag::check::first_failed;
use crate::diag::nan_check::{self, Operand};
use crate::lapack::least_squares::{self, Cutoff};
use crate::lapack::qr::BLOCK;
use crate::lapack::raw::RawMat;
use crate::lapack::{complete_orthogonal, qr_least_squares};
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GELS, GELSD, GELSS, GELSY};
use std::ffi::c_char;

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
    let solved = least_squares::svd_solve(dims, a, b, s, Cutoff::Gelsd(rcond));
    if solved.info == 0 {
        after_svd_solve::<T>(&GELSD, s, m.min(n) as usize);
    }
    (
        Some(solved.rank as i64),
        outcome::<T>(&GELSD, solved.info as i64),
    )
}

/// The TRANS choices of xGELS: 'N' or 'T' for real types, 'N' or 'C' for complex ones.
fn trans_rule<T: Scalar>() -> &'static str {
    if T::IS_COMPLEX {
        "'N' or 'C'"
    } else {
        "'N' or 'T'"
    }
}

/// xGELS's checks and body; returns INFO. TRANS is 'N' or 'T' for real types, 'N' or
/// 'C' for complex ones, as in the reference.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn gels_checked<T: Scalar>(
    trans: u8,
    (m, n, nrhs): (i64, i64, i64),
    (a, lda): (*mut T, i64),
    (b, ldb): (*mut T, i64),
    (work, lwork): (*mut T, i64),
) -> i64 {
    let query = lwork == -1;
    let op = match (trans.to_ascii_uppercase(), T::IS_COMPLEX) {
        (b'N', _) => Some(Trans::No),
        (b'T', false) | (b'C', true) => Some(Trans::ConjTrans),
        _ => None,
    };
    let mn = m.min(n);
    let mut checks = vec![
        Check::option(1, trans, op.is_some(), trans_rule::<T>()),
        Check::dim(2, m),
        Check::dim(3, n),
        Check::dim(4, nrhs),
        Check::ld(6, lda, m, "max(1, M)"),
        Check::ld(8, ldb, m.max(n), "max(1, M, N)"),
    ];
    if let Some(info) = rejected::<T>(&GELS, &checks) {
        return info;
    }
    let optimal = (mn + mn.max(nrhs) * BLOCK as i64).max(1);
    set_work_size(work, optimal as usize);
    let minimum = (mn + mn.max(nrhs)).max(1);
    let rule = "max(1, min(M, N) + max(min(M, N), NRHS))";
    checks.push(Check::workspace(10, lwork, minimum, rule));
    if let Some(info) = rejected::<T>(&GELS, &checks) {
        return info;
    }
    if query {
        return 0;
    }
    let dims = (m as usize, n as usize, nrhs as usize);
    let (a, b) = (RawMat::new(a, lda as usize), RawMat::new(b, ldb as usize));
    let info = {
        let _call = telemetry::gels::<T>(&GELS, m, n, nrhs);
        qr_least_squares::gels(op.unwrap(), dims, a, b)
    };
    set_work_size(work, optimal as usize);
    outcome::<T>(&GELS, info as i64)
}

/// xGELSS's checks and body; returns (RANK, INFO).
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn gelss_checked<T: Scalar>(
    (m, n, nrhs): (i64, i64, i64),
    (a, lda): (*mut T, i64),
    (b, ldb): (*mut T, i64),
    s: *mut T::RealPart,
    rcond: T::RealPart,
    (work, lwork): (*mut T, i64),
) -> (Option<i64>, i64) {
    let mut checks = vec![
        Check::dim(1, m),
        Check::dim(2, n),
        Check::dim(3, nrhs),
        Check::ld(5, lda, m, "max(1, M)"),
        Check::ld(7, ldb, m.max(n), "max(1, M, N)"),
    ];
    if let Some(info) = rejected::<T>(&GELSS, &checks) {
        return (None, info);
    }
    let dims = (m as usize, n as usize, nrhs as usize);
    let (min_work, rule) = least_squares::gelss_work::<T>(dims.0, dims.1, dims.2);
    let query = lwork == -1;
    set_work_size(work, min_work);
    checks.push(Check::workspace(12, lwork, min_work as i64, rule));
    if let Some(info) = rejected::<T>(&GELSS, &checks) {
        return (None, info);
    }
    if query {
        return (None, 0);
    }
    if m == 0 || n == 0 {
        return (Some(0), 0);
    }
    let _call = telemetry::gelss::<T>(m, n, nrhs);
    let a = RawMat::new(a, lda as usize);
    let b = RawMat::new(b, ldb as usize);
    let solved = least_squares::svd_solve(dims, a, b, s, Cutoff::Gelss(rcond));
    set_work_size(work, min_work);
    (
        Some(solved.rank as i64),
        outcome::<T>(&GELSS, solved.info as i64),
    )
}

/// xGELSY's checks and body; returns (RANK, INFO). The minimum LWORK is LAPACK's
/// MN + max(2 MN, N + 1, MN + NRHS) (1 for an empty real problem).
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gelsy_checked<T: Scalar, I: AbiInt>(
    (m, n, nrhs): (i64, i64, i64),
    (a, lda): (*mut T, i64),
    (b, ldb): (*mut T, i64),
    jpvt: *mut I,
    rcond: T::RealPart,
    (work, lwork): (*mut T, i64),
) -> (Option<i64>, i64) {
    let query = lwork == -1;
    let mn = m.min(n);
    let empty = mn == 0 || nrhs == 0;
    let nb = BLOCK as i64;
    let formula = mn + (2 * mn).max(n + 1).max(mn + nrhs);
    // The real drivers ask for nothing on an empty problem, the complex ones do.
    let (minimum, optimal, rule) = if empty && !T::IS_COMPLEX {
        (1, 1, "1 (min(M, N) = 0 or NRHS = 0)")
    } else {
        let optimal = (mn + 2 * n + nb * (n + 1)).max(2 * mn + nb * nrhs);
        let rule = "min(M, N) + max(2*min(M, N), N + 1, min(M, N) + NRHS)";
        (formula, optimal.max(formula).max(1), rule)
    };
    let mut checks = vec![
        Check::dim(1, m),
        Check::dim(2, n),
        Check::dim(3, nrhs),
        Check::ld(5, lda, m, "max(1, M)"),
        Check::ld(7, ldb, m.max(n), "max(1, M, N)"),
    ];
    if T::IS_COMPLEX || first_failed(&checks).is_none() {
        set_work_size(work, optimal.max(1) as usize);
    }
    checks.push(Check::workspace(12, lwork, minimum, rule));
    if let Some(info) = rejected::<T>(&GELSY, &checks) {
        return (None, info);
    }
    if query {
        return (None, 0);
    }
    if empty {
        return (Some(0), 0);
    }
    let _call = telemetry::gels::<T>(&GELSY, m, n, nrhs);
    let mut pivots: Vec<i64> = (0..n as usize).map(|j| read(jpvt.add(j))).collect();
    let rank = complete_orthogonal::gelsy(
        (m as usize, n as usize, nrhs as usize),
        RawMat::new(a, lda as usize),
        RawMat::new(b, ldb as usize),
        &mut pivots,
        rcond,
    );
    for (j, &p) in pivots.iter().enumerate() {
        write(jpvt.add(j), p);
    }
    set_work_size(work, optimal.max(1) as usize);
    (Some(rank as i64), 0)
}

macro_rules! gels_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xGELS(TRANS, M, N, NRHS, A, LDA, B, LDB, WORK, LWORK, INFO): least squares or
        /// minimum norm through QR or LQ.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            trans: *const c_char,
            m: *const $I,
            n: *const $I,
            nrhs: *const $I,
            a: *mut $T,
            lda: *const $I,
            b: *mut $T,
            ldb: *const $I,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
            _trans_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = gels_checked::<$T>(
                    crate::blas::args::option_char(trans),
                    (read(m), read(n), read(nrhs)),
                    (a, read(lda)),
                    (b, read(ldb)),
                    (work, read(lwork)),
                );
                write(info, result);
            })
        }
    };
}

macro_rules! gelss_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident $(, $rwork:ident)?) => {
        /// xGELSS(M, N, NRHS, A, LDA, B, LDB, S, RCOND, RANK, WORK, LWORK, [RWORK,] INFO):
        /// minimum-norm least squares through the SVD.
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
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let (result_rank, result) = gelss_checked::<$T>(
                    (read(m), read(n), read(nrhs)),
                    (a, read(lda)),
                    (b, read(ldb)),
                    s,
                    *rcond,
                    (work, read(lwork)),
                );
                if let Some(r) = result_rank {
                    write(rank, r);
                }
                write(info, result);
            })
        }
    };
}

macro_rules! gelsy_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident $(, $rwork:ident)?) => {
        /// xGELSY(M, N, NRHS, A, LDA, B, LDB, JPVT, RCOND, RANK, WORK, LWORK, [RWORK,] INFO):
        /// minimum-norm least squares through QR with column pivoting.
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
            jpvt: *mut $I,
            rcond: *const <$T as Scalar>::RealPart,
            rank: *mut $I,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut <$T as Scalar>::RealPart,)?
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let (result_rank, result) = gelsy_checked::<$T, $I>(
                    (read(m), read(n), read(nrhs)),
                    (a, read(lda)),
                    (b, read(ldb)),
                    jpvt,
                    *rcond,
                    (work, read(lwork)),
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
    gels_fortran!(f32, sgels_);
    gels_fortran!(f64, dgels_);
    gels_fortran!(c32, cgels_);
    gels_fortran!(c64, zgels_);
    gelss_fortran!(f32, sgelss_);
    gelss_fortran!(f64, dgelss_);
    gelss_fortran!(c32, cgelss_, _rwork);
    gelss_fortran!(c64, zgelss_, _rwork);
    gelsy_fortran!(f32, sgelsy_);
    gelsy_fortran!(f64, dgelsy_);
    gelsy_fortran!(c32, cgelsy_, _rwork);
    gelsy_fortran!(c64, zgelsy_, _rwork);
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
