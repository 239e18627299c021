//! Fortran and CBLAS entry points of level-3 BLAS. Each checks its arguments in the
//! reference order, reports the first bad one through the process's XERBLA with the
//! reference position, and calls the generic body in `crate::blas::level3`.
//! CBLAS row-major calls are the column-major routine on the transposed problem.

use crate::abi::cblas_support::{
    cblas_argument_error, cblas_trans, trans_char, CblasCall, CblasScalar,
};
use crate::abi::cblas_support::{CBLAS_COL_MAJOR, CBLAS_ROW_MAJOR};
use crate::abi::int::{read, AbiInt};
use crate::abi::xerbla::argument_error;
use crate::blas::args::{option_char, Trans};
use crate::blas::level3;
use crate::scalar::{c32, c64, Scalar};
use std::ffi::{c_char, c_int, CStr};

/// The reference name of routine `base` ("GEMM") for scalar `T`: "DGEMM".
pub fn routine_name<T: Scalar>(base: &str) -> String {
    format!("{}{base}", T::PREFIX)
}

/// GEMM with Fortran-level arguments: checks in the reference order, then computes.
///
/// # Safety
/// Pointers valid for the shapes the arguments describe.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm_checked<T: Scalar>(
    transa: u8,
    transb: u8,
    m: i64,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *const T,
    ldb: i64,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let (ta, tb) = (Trans::from_char(transa), Trans::from_char(transb));
    let nrowa = if ta.is_some_and(Trans::is_transposed) {
        k
    } else {
        m
    };
    let nrowb = if tb.is_some_and(Trans::is_transposed) {
        n
    } else {
        k
    };
    let info = if ta.is_none() {
        1
    } else if tb.is_none() {
        2
    } else if m < 0 {
        3
    } else if n < 0 {
        4
    } else if k < 0 {
        5
    } else if lda < nrowa.max(1) {
        8
    } else if ldb < nrowb.max(1) {
        10
    } else if ldc < m.max(1) {
        13
    } else {
        0
    };
    if info != 0 {
        return argument_error(&routine_name::<T>("GEMM"), info);
    }
    let dims = (m as usize, n as usize, k as usize);
    level3::gemm(
        ta.unwrap(),
        tb.unwrap(),
        dims,
        alpha,
        (a, lda as usize),
        (b, ldb as usize),
        beta,
        (c, ldc as usize),
    );
}

macro_rules! gemm_fortran {
    ($T:ty, $I:ty, $name:ident) => {
        /// Fortran GEMM: C := alpha*op(A)*op(B) + beta*C.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(no_mangle)]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            transa: *const c_char,
            transb: *const c_char,
            m: *const $I,
            n: *const $I,
            k: *const $I,
            alpha: *const $T,
            a: *const $T,
            lda: *const $I,
            b: *const $T,
            ldb: *const $I,
            beta: *const $T,
            c: *mut $T,
            ldc: *const $I,
            _transa_len: usize,
            _transb_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                gemm_checked::<$T>(
                    option_char(transa),
                    option_char(transb),
                    read(m),
                    read(n),
                    read(k),
                    *alpha,
                    a,
                    read(lda),
                    b,
                    read(ldb),
                    *beta,
                    c,
                    read(ldc),
                )
            })
        }
    };
}

gemm_fortran!(f32, i32, sgemm_);
gemm_fortran!(f64, i32, dgemm_);
gemm_fortran!(c32, i32, cgemm_);
gemm_fortran!(c64, i32, zgemm_);

/// cblas_?gemm: row-major is C^T = op(B)^T op(A)^T, the column-major call with A and B
/// (and m and n) swapped.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_gemm<T: CblasScalar>(
    routine: &CStr,
    order: c_int,
    transa: c_int,
    transb: c_int,
    m: i64,
    n: i64,
    k: i64,
    alpha: T::Arg,
    a: *const T,
    lda: i64,
    b: *const T,
    ldb: i64,
    beta: T::Arg,
    c: *mut T,
    ldc: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    if order != CBLAS_ROW_MAJOR && order != CBLAS_COL_MAJOR {
        return cblas_argument_error(routine, 1);
    }
    let Some(ta) = cblas_trans(transa) else {
        return cblas_argument_error(routine, 2);
    };
    let Some(tb) = cblas_trans(transb) else {
        return cblas_argument_error(routine, 3);
    };
    let (alpha, beta) = (T::read(alpha), T::read(beta));
    let (ta, tb) = (trans_char(ta), trans_char(tb));
    if order == CBLAS_COL_MAJOR {
        gemm_checked(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    } else {
        gemm_checked(tb, ta, n, m, k, alpha, b, ldb, a, lda, beta, c, ldc);
    }
}

macro_rules! gemm_cblas {
    ($T:ty, $I:ty, $name:ident) => {
        /// CBLAS GEMM.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(no_mangle)]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            order: c_int,
            transa: c_int,
            transb: c_int,
            m: $I,
            n: $I,
            k: $I,
            alpha: <$T as CblasScalar>::Arg,
            a: *const $T,
            lda: $I,
            b: *const $T,
            ldb: $I,
            beta: <$T as CblasScalar>::Arg,
            c: *mut $T,
            ldc: $I,
        ) {
            let routine =
                CStr::from_bytes_with_nul(concat!(stringify!($name), "\0").as_bytes()).unwrap();
            crate::ffi_boundary!(stringify!($name), (), {
                cblas_gemm::<$T>(
                    routine,
                    order,
                    transa,
                    transb,
                    m.get(),
                    n.get(),
                    k.get(),
                    alpha,
                    a,
                    lda.get(),
                    b,
                    ldb.get(),
                    beta,
                    c,
                    ldc.get(),
                )
            })
        }
    };
}

gemm_cblas!(f32, i32, cblas_sgemm);
gemm_cblas!(f64, i32, cblas_dgemm);
gemm_cblas!(c32, i32, cblas_cgemm);
gemm_cblas!(c64, i32, cblas_zgemm);
