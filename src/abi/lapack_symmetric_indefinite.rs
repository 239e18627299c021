//! Fortran entry points of the symmetric indefinite family: xSYTRF, xSYTRS, xSYSV
//! (s/d/c/z: complex symmetric for c/z) and xHETRF, xHETRS, xHESV (Hermitian, c/z).
//! Arguments are checked in the reference order (LAPACK 3.11); the first bad one goes to
//! XERBLA and INFO = -position. The factorization needs no caller workspace: LWORK is
//! checked against LAPACK's minimum (1) and a query answers LAPACK's optimal N * NB.
//! Pivots cross the ABI 1-based in the caller's integer width, negative for 2x2 blocks.

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_support::{illegal_because, outcome, rejected, set_work_size, Check};
use crate::blas::args::{option_char, Uplo};
use crate::diag::check::{Value, UPLO};
use crate::lapack::raw::RawMat;
use crate::lapack::symmetric_indefinite::{self as bunch_kaufman, BadPivot, Pivot, BLOCK};
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, HESV, HETRF, HETRS, SYSV, SYTRF, SYTRS};
use crate::telemetry::Family;
use std::ffi::c_char;

/// LAPACK's optimal LWORK for xSYTRF/xHETRF: N times its block size (0 for N = 0).
fn optimal_work(n: i64) -> usize {
    (n.max(0) as usize) * BLOCK
}

/// Runs the factorization and stores IPIV 1-based; returns INFO.
unsafe fn factor<T: Scalar, I: AbiInt>(
    hermitian: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    ipiv: *mut I,
) -> i64 {
    let mut pivots = vec![Pivot::One(0); n];
    let info = bunch_kaufman::sytrf(hermitian, uplo, n, a, &mut pivots);
    for (i, p) in pivots.iter().enumerate() {
        let value = p.row() as i64 + 1;
        write(
            ipiv.add(i),
            if let Pivot::Two(_) = p { -value } else { value },
        );
    }
    info as i64
}

/// SYTRF/HETRF's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn sytrf_checked<T: Scalar, I: AbiInt>(
    family: &'static Family,
    hermitian: bool,
    uplo: u8,
    n: i64,
    (a, lda): (*mut T, i64),
    ipiv: *mut I,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let tri = Uplo::from_char(uplo);
    let query = lwork == -1;
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::dim(2, n),
        Check::ld(4, lda, n, "max(1, N)"),
        Check::workspace(7, lwork, 1, "1"),
    ];
    if let Some(info) = rejected::<T>(family, &checks) {
        return info;
    }
    set_work_size(work, optimal_work(n));
    if query {
        return 0;
    }
    let _call = telemetry::sytrf::<T>(family, n, 0);
    let a = RawMat::new(a, lda as usize);
    let info = factor(hermitian, tri.unwrap(), n as usize, a, ipiv);
    outcome::<T>(family, info)
}

/// SYTRS/HETRS (factorization given: `lwork` None) and SYSV/HESV (factor first) checks
/// and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn sytrs_checked<T: Scalar, I: AbiInt>(
    family: &'static Family,
    hermitian: bool,
    uplo: u8,
    (n, nrhs): (i64, i64),
    (a, lda): (*mut T, i64),
    ipiv: *mut I,
    (b, ldb): (*mut T, i64),
    workspace: Option<(*mut T, i64)>,
) -> i64 {
    let tri = Uplo::from_char(uplo);
    let query = workspace.is_some_and(|(_, lwork)| lwork == -1);
    // LWORK (SYSV/HESV only) is argument 10.
    let lwork_check = match workspace {
        Some((_, lwork)) => Check::workspace(10, lwork, 1, "1"),
        None => Check::from((10, false)),
    };
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::dim(2, n),
        Check::dim(3, nrhs),
        Check::ld(5, lda, n, "max(1, N)"),
        Check::ld(8, ldb, n, "max(1, N)"),
        lwork_check,
    ];
    if let Some(info) = rejected::<T>(family, &checks) {
        return info;
    }
    if let Some((work, _)) = workspace {
        // SYSV's answer: SYTRF's, or 1 for N = 0.
        set_work_size(work, if n == 0 { 1 } else { optimal_work(n) });
        if query {
            return 0;
        }
    }
    let (tri, un) = (tri.unwrap(), n as usize);
    let (a, b) = (RawMat::new(a, lda as usize), RawMat::new(b, ldb as usize));
    let _call = telemetry::sytrf::<T>(family, n, nrhs);
    if workspace.is_some() {
        let info = factor(hermitian, tri, un, a, ipiv);
        if info != 0 {
            return outcome::<T>(family, info);
        }
    }
    // Pivots from the caller are checked: a row outside 1..=N, or a 2x2 block cut off
    // by the matrix's edge, would make the solve read or write outside A and B.
    let pivots = match bunch_kaufman::decode_pivots(tri, un, |i| read(ipiv.add(i))) {
        Ok(pivots) => pivots,
        Err(bad) => return illegal_because::<T>(family, &bad_pivot(bad, |i| read(ipiv.add(i)))),
    };
    bunch_kaufman::sytrs(hermitian, tri, (un, nrhs as usize), a, &pivots, b);
    0
}

/// The check IPIV (argument 6) fails at the entry `bad` names; `ipiv(i)` reads entry i.
fn bad_pivot(bad: BadPivot, ipiv: impl Fn(usize) -> i64) -> Check {
    let (entry, rule) = match bad {
        BadPivot::OutOfRange(entry) => (
            entry,
            "must hold row numbers between 1 and N, negated for 2x2 blocks (as the \
             factorization returns them)",
        ),
        BadPivot::CutOff(entry) => (
            entry,
            "must not start a 2x2 block at the last row the solve visits (as the \
             factorization returns them)",
        ),
    };
    Check::rule(6, true, Value::Entry(entry + 1, ipiv(entry)), rule)
}

macro_rules! sytrf_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $family:ident, $hermitian:literal, $name:ident) => {
        /// xSYTRF / xHETRF(UPLO, N, A, LDA, IPIV, WORK, LWORK, INFO): Bunch-Kaufman
        /// factorization of a symmetric / Hermitian indefinite matrix.
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
            ipiv: *mut $I,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = sytrf_checked::<$T, $I>(
                    &$family,
                    $hermitian,
                    option_char(uplo),
                    read(n),
                    (a, read(lda)),
                    ipiv,
                    work,
                    read(lwork),
                );
                write(info, result);
            })
        }
    };
}

macro_rules! sytrs_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $family:ident, $hermitian:literal, $name:ident) => {
        /// xSYTRS / xHETRS(UPLO, N, NRHS, A, LDA, IPIV, B, LDB, INFO): solve with the
        /// factorization from xSYTRF / xHETRF.
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
            ipiv: *mut $I,
            b: *mut $T,
            ldb: *const $I,
            info: *mut $I,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = sytrs_checked::<$T, $I>(
                    &$family,
                    $hermitian,
                    option_char(uplo),
                    (read(n), read(nrhs)),
                    (a, read(lda)),
                    ipiv,
                    (b, read(ldb)),
                    None,
                );
                write(info, result);
            })
        }
    };
}

macro_rules! sysv_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $family:ident, $hermitian:literal, $name:ident) => {
        /// xSYSV / xHESV(UPLO, N, NRHS, A, LDA, IPIV, B, LDB, WORK, LWORK, INFO):
        /// factor and solve.
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
            ipiv: *mut $I,
            b: *mut $T,
            ldb: *const $I,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = sytrs_checked::<$T, $I>(
                    &$family,
                    $hermitian,
                    option_char(uplo),
                    (read(n), read(nrhs)),
                    (a, read(lda)),
                    ipiv,
                    (b, read(ldb)),
                    Some((work, read(lwork))),
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    sytrf_fortran!(f32, SYTRF, false, ssytrf_);
    sytrf_fortran!(f64, SYTRF, false, dsytrf_);
    sytrf_fortran!(c32, SYTRF, false, csytrf_);
    sytrf_fortran!(c64, SYTRF, false, zsytrf_);
    sytrf_fortran!(c32, HETRF, true, chetrf_);
    sytrf_fortran!(c64, HETRF, true, zhetrf_);
    sytrs_fortran!(f32, SYTRS, false, ssytrs_);
    sytrs_fortran!(f64, SYTRS, false, dsytrs_);
    sytrs_fortran!(c32, SYTRS, false, csytrs_);
    sytrs_fortran!(c64, SYTRS, false, zsytrs_);
    sytrs_fortran!(c32, HETRS, true, chetrs_);
    sytrs_fortran!(c64, HETRS, true, zhetrs_);
    sysv_fortran!(f32, SYSV, false, ssysv_);
    sysv_fortran!(f64, SYSV, false, dsysv_);
    sysv_fortran!(c32, SYSV, false, csysv_);
    sysv_fortran!(c64, SYSV, false, zsysv_);
    sysv_fortran!(c32, HESV, true, chesv_);
    sysv_fortran!(c64, HESV, true, zhesv_);
}
