//! Fortran entry points of the norm functions xLANGE, xLANSY, xLANHE (REAL functions
//! for S and C, DOUBLE PRECISION for D and Z). Like the reference they check nothing;
//! an unknown NORM character is reported through XERBLA (the reference returns an
//! undefined value) and gives 0.

use crate::abi::int::read;
use crate::abi::lapack_support::{illegal_because, Check};
use crate::blas::args::{option_char, Uplo};
use crate::diag::check::UPLO;
use crate::lapack::norms::{self, Norm, Shape};
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, LANGE, LANHE, LANSY};
use crate::telemetry::Family;
use std::ffi::c_char;

/// The choices of NORM.
const NORM: &str = "'M', '1', 'O', 'I', 'F' or 'E'";

/// The norm of an m x n matrix stored as `shape` says (`uplo` None: general).
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn norm_checked<T: Scalar>(
    family: &'static Family,
    norm: u8,
    uplo: Option<u8>,
    (m, n): (i64, i64),
    a: *const T,
    lda: i64,
) -> T::RealPart {
    let zero = <T::RealPart as Scalar>::zero();
    let Some(kind) = Norm::from_char(norm) else {
        illegal_because::<T>(family, &Check::option(1, norm, false, NORM));
        return zero;
    };
    let shape = match uplo.map(|c| (Uplo::from_char(c), std::ptr::eq(family, &LANHE))) {
        None => Shape::General,
        Some((Some(tri), true)) => Shape::Hermitian(tri),
        Some((Some(tri), false)) => Shape::Symmetric(tri),
        Some((None, _)) => {
            illegal_because::<T>(family, &Check::option(2, uplo.unwrap_or(0), false, UPLO));
            return zero;
        }
    };
    if m <= 0 || n <= 0 || lda < m.max(1) {
        return zero;
    }
    let _call = telemetry::norm::<T>(family, m, n);
    norms::norm(
        kind,
        shape,
        (m as usize, n as usize),
        RawMat::new(a as *mut T, lda as usize),
    )
}

macro_rules! lange_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident) => {
        /// xLANGE(NORM, M, N, A, LDA, WORK): a norm of a general matrix.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        pub unsafe extern "C" fn $name(
            norm: *const c_char,
            m: *const $I,
            n: *const $I,
            a: *const $T,
            lda: *const $I,
            _work: *mut $R,
            _norm_len: usize,
        ) -> $R {
            crate::ffi_boundary!(stringify!($name), 0.0, {
                norm_checked::<$T>(
                    &LANGE,
                    option_char(norm),
                    None,
                    (read(m), read(n)),
                    a,
                    read(lda),
                )
            })
        }
    };
}

macro_rules! lansy_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $family:ident, $name:ident) => {
        /// xLANSY / xLANHE(NORM, UPLO, N, A, LDA, WORK): a norm of a symmetric or
        /// Hermitian matrix stored in one triangle.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        pub unsafe extern "C" fn $name(
            norm: *const c_char,
            uplo: *const c_char,
            n: *const $I,
            a: *const $T,
            lda: *const $I,
            _work: *mut $R,
            _norm_len: usize,
            _uplo_len: usize,
        ) -> $R {
            crate::ffi_boundary!(stringify!($name), 0.0, {
                let n = read(n);
                let uplo = Some(option_char(uplo));
                norm_checked::<$T>(&$family, option_char(norm), uplo, (n, n), a, read(lda))
            })
        }
    };
}

crate::for_each_abi! {
    lange_fortran!(f32, f32, slange_);
    lange_fortran!(f64, f64, dlange_);
    lange_fortran!(c32, f32, clange_);
    lange_fortran!(c64, f64, zlange_);
    lansy_fortran!(f32, f32, LANSY, slansy_);
    lansy_fortran!(f64, f64, LANSY, dlansy_);
    lansy_fortran!(c32, f32, LANSY, clansy_);
    lansy_fortran!(c64, f64, LANSY, zlansy_);
    lansy_fortran!(c32, f32, LANHE, clanhe_);
    lansy_fortran!(c64, f64, LANHE, zlanhe_);
}
