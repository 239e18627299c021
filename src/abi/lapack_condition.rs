//! Fortran entry points of the condition estimators xGECON, xPOCON, xTRCON. The real
//! routines take an integer workspace and the complex ones a real workspace in the same
//! position; neither is needed here, so both arrive as untyped pointers. WORK receives
//! the estimator's last vectors as in LAPACK (xLATDF reads them back).

use crate::abi::int::{read, write, AbiInt};
use crate::abi::lapack_numeric_checks::scan_inputs;
use crate::abi::lapack_support::{rejected, Check};
use crate::blas::args::{option_char, Diag, Uplo};
use crate::diag::check::{DIAG, UPLO};
use crate::diag::nan_check::{self, Operand};
use crate::lapack::condition;
use crate::lapack::norms::Shape;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GECON, POCON, TRCON};
use std::ffi::{c_char, c_void};

/// The choices of NORM here.
const NORM_1I: &str = "'1', 'O' or 'I'";

/// '1'/'O' (true) or 'I' (false).
fn one_norm(c: u8) -> Option<bool> {
    match c.to_ascii_uppercase() {
        b'1' | b'O' => Some(true),
        b'I' => Some(false),
        _ => None,
    }
}

/// GECON's checks and body; returns (INFO, RCOND).
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn gecon_checked<T: Scalar>(
    norm: u8,
    n: i64,
    a: *mut T,
    lda: i64,
    anorm: T::RealPart,
    work: *mut T,
) -> (i64, T::RealPart) {
    let kind = one_norm(norm);
    let zero = T::RealPart::zero();
    let checks = [
        Check::option(1, norm, kind.is_some(), NORM_1I),
        Check::dim(2, n),
        Check::ld(4, lda, n, "max(1, N)"),
        Check::not_negative(5, anorm.to_f64()),
    ];
    if let Some(info) = rejected::<T>(&GECON, &checks) {
        return (info, zero);
    }
    if nan_check::enabled() {
        scan_inputs::<T>(&GECON, &[Operand::general("A", 3, a, (n, n), lda)]);
    }
    let _call = telemetry::condition::<T>(&GECON, n);
    (
        0,
        condition::gecon(
            kind.unwrap(),
            n as usize,
            RawMat::new(a, lda as usize),
            anorm,
            work,
        ),
    )
}

/// POCON's checks and body; returns (INFO, RCOND).
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn pocon_checked<T: Scalar>(
    uplo: u8,
    n: i64,
    a: *mut T,
    lda: i64,
    anorm: T::RealPart,
    work: *mut T,
) -> (i64, T::RealPart) {
    let tri = Uplo::from_char(uplo);
    let zero = T::RealPart::zero();
    let checks = [
        Check::option(1, uplo, tri.is_some(), UPLO),
        Check::dim(2, n),
        Check::ld(4, lda, n, "max(1, N)"),
        Check::not_negative(5, anorm.to_f64()),
    ];
    if let Some(info) = rejected::<T>(&POCON, &checks) {
        return (info, zero);
    }
    if nan_check::enabled() {
        let shape = Shape::Triangular(tri.unwrap(), Diag::NonUnit);
        scan_inputs::<T>(&POCON, &[Operand::shaped("A", 3, a, (n, n), lda, shape)]);
    }
    let _call = telemetry::condition::<T>(&POCON, n);
    (
        0,
        condition::pocon(
            tri.unwrap(),
            n as usize,
            RawMat::new(a, lda as usize),
            anorm,
            work,
        ),
    )
}

/// TRCON's checks and body; returns (INFO, RCOND).
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn trcon_checked<T: Scalar>(
    (norm, uplo, diag): (u8, u8, u8),
    n: i64,
    a: *mut T,
    lda: i64,
    work: *mut T,
) -> (i64, T::RealPart) {
    let (kind, tri, unit) = (one_norm(norm), Uplo::from_char(uplo), Diag::from_char(diag));
    let checks = [
        Check::option(1, norm, kind.is_some(), NORM_1I),
        Check::option(2, uplo, tri.is_some(), UPLO),
        Check::option(3, diag, unit.is_some(), DIAG),
        Check::dim(4, n),
        Check::ld(6, lda, n, "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&TRCON, &checks) {
        return (info, T::RealPart::zero());
    }
    if nan_check::enabled() {
        let shape = Shape::Triangular(tri.unwrap(), unit.unwrap());
        scan_inputs::<T>(&TRCON, &[Operand::shaped("A", 5, a, (n, n), lda, shape)]);
    }
    let _call = telemetry::condition::<T>(&TRCON, n);
    let a = RawMat::new(a, lda as usize);
    (
        0,
        condition::trcon(
            kind.unwrap(),
            tri.unwrap(),
            unit.unwrap(),
            n as usize,
            a,
            work,
        ),
    )
}

/// Stores RCOND (only on success, as the reference) and INFO.
///
/// # Safety
/// Both pointers writable.
unsafe fn store<R, I: AbiInt>((result, value): (i64, R), rcond: *mut R, info: *mut I) {
    if result == 0 {
        *rcond = value;
    }
    write(info, result);
}

macro_rules! gecon_fortran {
    // xGECON(NORM, ...) and xPOCON(UPLO, ...) share everything but the first option's
    // meaning: `$checked` is gecon_checked or pocon_checked.
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $checked:ident, $name:ident) => {
        /// xGECON(NORM, N, A, LDA, ANORM, RCOND, WORK, IWORK or RWORK, INFO) or
        /// xPOCON(UPLO, N, A, LDA, ANORM, RCOND, WORK, IWORK or RWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            option: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            anorm: *const $R,
            rcond: *mut $R,
            work: *mut $T,
            _work2: *mut c_void,
            info: *mut $I,
            _option_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let option = option_char(option);
                let result = $checked::<$T>(option, read(n), a, read(lda), *anorm, work);
                store(result, rcond, info);
            })
        }
    };
}

macro_rules! trcon_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident) => {
        /// xTRCON(NORM, UPLO, DIAG, N, A, LDA, RCOND, WORK, IWORK or RWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            norm: *const c_char,
            uplo: *const c_char,
            diag: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            rcond: *mut $R,
            work: *mut $T,
            _work2: *mut c_void,
            info: *mut $I,
            _norm_len: usize,
            _uplo_len: usize,
            _diag_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let options = (option_char(norm), option_char(uplo), option_char(diag));
                let result = trcon_checked::<$T>(options, read(n), a, read(lda), work);
                store(result, rcond, info);
            })
        }
    };
}

crate::for_each_abi! {
    gecon_fortran!(f32, f32, gecon_checked, sgecon_);
    gecon_fortran!(f64, f64, gecon_checked, dgecon_);
    gecon_fortran!(c32, f32, gecon_checked, cgecon_);
    gecon_fortran!(c64, f64, gecon_checked, zgecon_);
    gecon_fortran!(f32, f32, pocon_checked, spocon_);
    gecon_fortran!(f64, f64, pocon_checked, dpocon_);
    gecon_fortran!(c32, f32, pocon_checked, cpocon_);
    gecon_fortran!(c64, f64, pocon_checked, zpocon_);
    trcon_fortran!(f32, f32, strcon_);
    trcon_fortran!(f64, f64, dtrcon_);
    trcon_fortran!(c32, f32, ctrcon_);
    trcon_fortran!(c64, f64, ztrcon_);
}
