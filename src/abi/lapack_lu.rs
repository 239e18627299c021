//! Fortran entry points of the LU family: xGETRF, xGETRS, xGESV, xLASWP. Arguments are
//! checked in the reference order; the first bad one goes to XERBLA and INFO = -position.
//! Pivots cross the ABI 1-based in the caller's integer width.

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_numeric_checks::{after_lu, norm_before, scan_inputs};
use crate::abi::lapack_support::{illegal_because, outcome, rejected, Check};
use crate::blas::args::{option_char, Trans};
use crate::diag::check::Value;
use crate::diag::cond_check::Consequence;
use crate::diag::nan_check::{self, Operand};
use crate::lapack::lu;
use crate::lapack::norms::Shape;
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GESV, GETRF, GETRS, LASWP};
use crate::telemetry::Family;
use std::ffi::c_char;

/// GETRF's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn getrf_checked<T: Scalar, I: AbiInt>(
    m: i64,
    n: i64,
    a: *mut T,
    lda: i64,
    ipiv: *mut I,
) -> i64 {
    let checks = [
        Check::dim(1, m),
        Check::dim(2, n),
        Check::ld(4, lda, m, "max(1, M)"),
    ];
    if let Some(info) = rejected::<T>(&GETRF, &checks) {
        return info;
    }
    if nan_check::enabled() {
        scan_inputs::<T>(&GETRF, &[Operand::general("A", 3, a, (m, n), lda)]);
    }
    let _call = telemetry::getrf::<T>(m, n);
    let matrix = RawMat::new(a, lda as usize);
    let anorm = if m == n {
        norm_before(n, matrix, Shape::General)
    } else {
        None
    };
    let info = factor(m as usize, n as usize, matrix, ipiv);
    if info == 0 {
        after_lu::<T>(&GETRF, n, matrix, anorm, Consequence::Factors);
    }
    outcome::<T>(&GETRF, info)
}

/// Runs GETRF's body and stores the pivots 1-based; returns INFO.
unsafe fn factor<T: Scalar, I: AbiInt>(m: usize, n: usize, a: RawMat<T>, ipiv: *mut I) -> i64 {
    let mut pivots = vec![0usize; m.min(n)];
    let info = lu::getrf(m, n, a, &mut pivots);
    for (i, &p) in pivots.iter().enumerate() {
        write(ipiv.add(i), p as i64 + 1);
    }
    info as i64
}

/// GETRS (factorization given) and GESV (factor first) checks and body; returns INFO.
/// `trans` is None for GESV, which has no TRANS argument (its positions shift by one).
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn getrs_checked<T: Scalar, I: AbiInt>(
    family: &'static Family,
    trans: Option<u8>,
    n: i64,
    nrhs: i64,
    a: *mut T,
    lda: i64,
    ipiv: *mut I,
    b: *mut T,
    ldb: i64,
) -> i64 {
    let op = trans.map(Trans::from_char);
    let shift = op.is_some() as i32;
    let checks = [
        Check::option(
            1,
            trans.unwrap_or(b'N'),
            op.is_none_or(|t| t.is_some()),
            "'N', 'T' or 'C'",
        ),
        Check::dim(1 + shift, n),
        Check::dim(2 + shift, nrhs),
        Check::ld(4 + shift, lda, n, "max(1, N)"),
        Check::ld(7 + shift, ldb, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(family, &checks) {
        return info;
    }
    if nan_check::enabled() {
        let operands = [
            Operand::general("A", 3 + shift, a, (n, n), lda),
            Operand::general("B", 6 + shift, b, (n, nrhs), ldb),
        ];
        scan_inputs::<T>(family, &operands);
    }
    let _call = telemetry::getrs::<T>(family, n, nrhs);
    let (un, a, b) = (
        n as usize,
        RawMat::new(a, lda as usize),
        RawMat::new(b, ldb as usize),
    );
    let mut anorm = None;
    if op.is_none() {
        anorm = norm_before(n, a, Shape::General);
        let info = factor(un, un, a, ipiv);
        if info != 0 {
            return outcome::<T>(family, info);
        }
    }
    // Pivots from the caller are checked: a row outside 1..=N would make the
    // interchanges write outside B.
    let mut pivots = Vec::with_capacity(un);
    for i in 0..un {
        let p = read(ipiv.add(i));
        if p < 1 || p > n {
            return illegal_because::<T>(family, &bad_pivot(5 + shift, i, p, PIVOT_IN_N));
        }
        pivots.push(p as usize - 1);
    }
    let op = op.flatten().unwrap_or(Trans::No);
    lu::getrs(op, (un, nrhs as usize), a, &pivots, b);
    after_lu::<T>(family, n, a, anorm, Consequence::Solution);
    0
}

/// What GETRS/GETRI need of IPIV.
pub const PIVOT_IN_N: &str = "must hold row numbers between 1 and N (as GETRF returns them)";

/// The check a pivot IPIV(entry + 1) = `p` fails when it names a row outside the
/// matrix (reported at IPIV's `position`; `rule` says which rows are allowed).
pub fn bad_pivot(position: i32, entry: usize, p: i64, rule: &'static str) -> Check {
    let value = Value::Entry(entry + 1, p);
    Check::rule(position, true, value, rule)
}

/// LASWP(N, A, LDA, K1, K2, IPIV, INCX). The reference checks nothing; we refuse (as
/// an illegal IPIV) pivots naming a row outside 1..=LDA, which would write outside A.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn laswp_checked<T: Scalar, I: AbiInt>(
    n: i64,
    a: *mut T,
    lda: i64,
    (k1, k2): (i64, i64),
    ipiv: *const I,
    incx: i64,
) {
    if n <= 0 || lda <= 0 || k1 < 1 {
        return;
    }
    let stride = incx.unsigned_abs() as usize;
    let entries = (k2 - k1 + 1).max(0) as usize;
    for t in 0..entries {
        let p = read(ipiv.add((k1 - 1) as usize + t * stride));
        if p < 1 || p > lda {
            let entry = (k1 - 1) as usize + t * stride;
            illegal_because::<T>(
                &LASWP,
                &bad_pivot(6, entry, p, "must hold row numbers between 1 and LDA"),
            );
            return;
        }
    }
    let _call = telemetry::laswp::<T>(n, k1, k2);
    let a = RawMat::new(a, lda as usize);
    lu::laswp(n as usize, a, (k1, k2), |i| read(ipiv.add(i)), incx);
}

macro_rules! getrf_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xGETRF(M, N, A, LDA, IPIV, INFO): LU factorization with partial pivoting.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        pub unsafe extern "C" fn $name(
            m: *const $I,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            ipiv: *mut $I,
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = getrf_checked::<$T, $I>(read(m), read(n), a, read(lda), ipiv);
                write(info, result);
            })
        }
    };
}

macro_rules! getrs_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xGETRS(TRANS, N, NRHS, A, LDA, IPIV, B, LDB, INFO): solve with an LU.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            trans: *const c_char,
            n: *const $I,
            nrhs: *const $I,
            a: *mut $T,
            lda: *const $I,
            ipiv: *mut $I,
            b: *mut $T,
            ldb: *const $I,
            info: *mut $I,
            _trans_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = getrs_checked::<$T, $I>(
                    &GETRS,
                    Some(option_char(trans)),
                    read(n),
                    read(nrhs),
                    a,
                    read(lda),
                    ipiv,
                    b,
                    read(ldb),
                );
                write(info, result);
            })
        }
    };
}

macro_rules! gesv_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xGESV(N, NRHS, A, LDA, IPIV, B, LDB, INFO): solve A X = B by LU.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            n: *const $I,
            nrhs: *const $I,
            a: *mut $T,
            lda: *const $I,
            ipiv: *mut $I,
            b: *mut $T,
            ldb: *const $I,
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = getrs_checked::<$T, $I>(
                    &GESV,
                    None,
                    read(n),
                    read(nrhs),
                    a,
                    read(lda),
                    ipiv,
                    b,
                    read(ldb),
                );
                write(info, result);
            })
        }
    };
}

macro_rules! laswp_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// xLASWP(N, A, LDA, K1, K2, IPIV, INCX): row interchanges.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        pub unsafe extern "C" fn $name(
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            k1: *const $I,
            k2: *const $I,
            ipiv: *const $I,
            incx: *const $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                laswp_checked::<$T, $I>(
                    read(n),
                    a,
                    read(lda),
                    (read(k1), read(k2)),
                    ipiv,
                    read(incx),
                )
            })
        }
    };
}

crate::for_each_abi! {
    getrf_fortran!(f32, sgetrf_);
    getrf_fortran!(f64, dgetrf_);
    getrf_fortran!(c32, cgetrf_);
    getrf_fortran!(c64, zgetrf_);
    getrs_fortran!(f32, sgetrs_);
    getrs_fortran!(f64, dgetrs_);
    getrs_fortran!(c32, cgetrs_);
    getrs_fortran!(c64, zgetrs_);
    gesv_fortran!(f32, sgesv_);
    gesv_fortran!(f64, dgesv_);
    gesv_fortran!(c32, cgesv_);
    gesv_fortran!(c64, zgesv_);
    laswp_fortran!(f32, slaswp_);
    laswp_fortran!(f64, dlaswp_);
    laswp_fortran!(c32, claswp_);
    laswp_fortran!(c64, zlaswp_);
}
