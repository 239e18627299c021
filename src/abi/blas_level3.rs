//! Fortran and CBLAS entry points of level-3 BLAS. Each checks its arguments in the
//! reference order, reports the first bad one through the process's XERBLA with the
//! reference position, and calls the generic body in `crate::blas::level3`.
//! CBLAS row-major calls are the column-major routine on the transposed problem.

use crate::abi::cblas_support::{
    cblas_bad_option, cblas_diag, cblas_side, cblas_trans, cblas_uplo, diag_char, side_char,
    trans_char, uplo_char, CblasCall, CblasScalar, CBLAS_DIAG_RULE, CBLAS_ORDER_RULE,
    CBLAS_SIDE_RULE, CBLAS_TRANS_RULE, CBLAS_UPLO_RULE,
};
use crate::abi::cblas_support::{CBLAS_COL_MAJOR, CBLAS_ROW_MAJOR};
use crate::abi::int::{addressable, read, AbiInt};
use crate::abi::xerbla::argument_error_because;
use crate::blas::args::{option_char, Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::level3;
use crate::diag::check::{first_failure, Check, DIAG, SIDE, TRANS, UPLO};
use crate::diag::nan_check::{self, Operand};
use crate::for_each_abi;
use crate::lapack::norms::Shape;
use crate::route::{level3 as route3, Decision};
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::{Backend, Call};
use std::convert::identity;
use std::ffi::{c_char, c_int, c_void, CStr};

/// The reference name of routine `base` ("GEMM") for scalar `T`: "DGEMM".
pub fn routine_name<T: Scalar>(base: &str) -> String {
    format!("{}{base}", T::PREFIX)
}

/// The leading-dimension rule of an operand whose stored rows depend on its TRANS:
/// (rule when not transposed, rule when transposed).
type RowsRule = (&'static str, &'static str);
const ROWS_M_OR_K: RowsRule = (
    "max(1, M) (TRANSA = 'N')",
    "max(1, K) (TRANSA = 'T' or 'C')",
);
const ROWS_K_OR_N: RowsRule = (
    "max(1, K) (TRANSB = 'N')",
    "max(1, N) (TRANSB = 'T' or 'C')",
);
const ROWS_N_OR_K: RowsRule = ("max(1, N) (TRANS = 'N')", "max(1, K) (TRANS = 'T' or 'C')");

fn rows_rule(t: Option<Trans>, (plain, transposed): RowsRule) -> &'static str {
    if t.is_some_and(Trans::is_transposed) {
        transposed
    } else {
        plain
    }
}

/// LDA's rule for SYMM/TRMM/TRSM, whose A is M x M on the left and N x N on the right.
fn side_rule(side: Option<Side>) -> &'static str {
    if side == Some(Side::Right) {
        "max(1, N) (SIDE = 'R')"
    } else {
        "max(1, M) (SIDE = 'L')"
    }
}

/// `LAPACK_AI_CHECK=nan`: the operands (those the call reads) of routine `base`.
#[cold]
unsafe fn scan<T: Scalar>(base: &str, operands: [Option<Operand<T>>; 3]) {
    let operands: Vec<Operand<T>> = operands.into_iter().flatten().collect();
    nan_check::scan(&routine_name::<T>(base), &operands);
}

/// The triangle a SYMM/HEMM (SYRK/HERK) reads of its symmetric or Hermitian matrix.
fn symmetric_shape(hermitian: bool, uplo: Uplo) -> Shape {
    if hermitian {
        Shape::Hermitian(uplo)
    } else {
        Shape::Symmetric(uplo)
    }
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
    if let Some(failed) = first_failure!(
        Check::option(1, transa, ta.is_some(), TRANS),
        Check::option(2, transb, tb.is_some(), TRANS),
        Check::dim(3, m),
        Check::dim(4, n),
        Check::dim(5, k),
        Check::ld(8, lda, nrowa, rows_rule(ta, ROWS_M_OR_K)),
        Check::ld(10, ldb, nrowb, rows_rule(tb, ROWS_K_OR_N)),
        Check::ld(13, ldc, m, "max(1, M)"),
        Check::addressable(8, lda, addressable::<T>(m.max(k), lda)),
        Check::addressable(10, ldb, addressable::<T>(k.max(n), ldb)),
        Check::addressable(13, ldc, addressable::<T>(n, ldc)),
    ) {
        return argument_error_because(&routine_name::<T>("GEMM"), &failed);
    }
    if nan_check::enabled() {
        // op(A) is m x k and op(B) k x n; C is read only when beta != 0.
        let ka = if ta.is_some_and(Trans::is_transposed) {
            m
        } else {
            k
        };
        let kb = if tb.is_some_and(Trans::is_transposed) {
            k
        } else {
            n
        };
        let products = alpha != T::zero() && k > 0;
        scan::<T>(
            "GEMM",
            [
                products.then(|| Operand::general("A", 7, a, (nrowa, ka), lda)),
                products.then(|| Operand::general("B", 9, b, (nrowb, kb), ldb)),
                (beta != T::zero()).then(|| Operand::general("C", 12, c, (m, n), ldc)),
            ],
        );
    }
    let mut call = crate::telemetry::blas::gemm::<T>(transa, transb, m, n, k);
    let dims = (m as usize, n as usize, k as usize);
    let decision = level3::gemm(
        ta.unwrap(),
        tb.unwrap(),
        dims,
        alpha,
        (a, lda as usize),
        (b, ldb as usize),
        beta,
        (c, ldc as usize),
    );
    record_backend(&mut call, decision, || (m as f64) * (n as f64) * (k as f64));
}

/// Tells the call's telemetry where it ran and why: the router's decision, or for a
/// small call or a quick return (counted on the CPU already) the reason the router was
/// skipped, looked up only for the log and the trace. `volume` gives the call's GEMM-
/// equivalent m * n * k (computed only for that lookup).
#[inline(always)]
fn record_backend(call: &mut Call, decision: Option<Decision>, volume: impl FnOnce() -> f64) {
    match decision {
        Some(decision) => {
            let backend = if decision.ran_on_device() {
                Backend::Gpu
            } else {
                Backend::Cpu
            };
            call.set_backend_with(backend, || decision.reason.to_string());
        }
        None if call.detailed() => {
            if let Some(reason) = crate::route::cpu_only_volume(volume()) {
                call.set_backend(Backend::Cpu, reason);
            }
        }
        None => {}
    }
}

macro_rules! gemm_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// Fortran GEMM: C := alpha*op(A)*op(B) + beta*C.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
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

for_each_abi! {
    gemm_fortran!(f32, sgemm_);
    gemm_fortran!(f64, dgemm_);
    gemm_fortran!(c32, cgemm_);
    gemm_fortran!(c64, zgemm_);
}

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
        return cblas_bad_option(routine, 1, order, CBLAS_ORDER_RULE);
    }
    let Some(ta) = cblas_trans(transa) else {
        return cblas_bad_option(routine, 2, transa, CBLAS_TRANS_RULE);
    };
    let Some(tb) = cblas_trans(transb) else {
        return cblas_bad_option(routine, 3, transb, CBLAS_TRANS_RULE);
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
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident) => {
        /// CBLAS GEMM.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
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

for_each_abi! {
    gemm_cblas!(f32, cblas_sgemm);
    gemm_cblas!(f64, cblas_dgemm);
    gemm_cblas!(c32, cblas_cgemm);
    gemm_cblas!(c64, cblas_zgemm);
}

/// SYMM (or HEMM with `hermitian`) with Fortran-level arguments.
///
/// # Safety
/// Pointers valid for the shapes the arguments describe.
#[allow(clippy::too_many_arguments)]
pub unsafe fn symm_checked<T: Scalar>(
    hermitian: bool,
    side: u8,
    uplo: u8,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *const T,
    ldb: i64,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let (sd, ul) = (Side::from_char(side), Uplo::from_char(uplo));
    let nrowa = if sd == Some(Side::Left) { m } else { n };
    if let Some(failed) = first_failure!(
        Check::option(1, side, sd.is_some(), SIDE),
        Check::option(2, uplo, ul.is_some(), UPLO),
        Check::dim(3, m),
        Check::dim(4, n),
        Check::ld(7, lda, nrowa, side_rule(sd)),
        Check::ld(9, ldb, m, "max(1, M)"),
        Check::ld(12, ldc, m, "max(1, M)"),
        Check::addressable(7, lda, addressable::<T>(nrowa, lda)),
        Check::addressable(9, ldb, addressable::<T>(n, ldb)),
        Check::addressable(12, ldc, addressable::<T>(n, ldc)),
    ) {
        let base = if hermitian { "HEMM" } else { "SYMM" };
        return argument_error_because(&routine_name::<T>(base), &failed);
    }
    if nan_check::enabled() {
        let shape = symmetric_shape(hermitian, ul.unwrap());
        let products = alpha != T::zero();
        scan::<T>(
            if hermitian { "HEMM" } else { "SYMM" },
            [
                products.then(|| Operand::shaped("A", 6, a, (nrowa, nrowa), lda, shape)),
                products.then(|| Operand::general("B", 8, b, (m, n), ldb)),
                (beta != T::zero()).then(|| Operand::general("C", 11, c, (m, n), ldc)),
            ],
        );
    }
    let mut call = crate::telemetry::blas::symm::<T>(hermitian, side, uplo, m, n);
    let ka = if sd == Some(Side::Left) { m } else { n };
    let decision = level3::symm(
        sd.unwrap(),
        ul.unwrap(),
        hermitian,
        (m as usize, n as usize),
        alpha,
        (a, lda as usize),
        (b, ldb as usize),
        beta,
        (c, ldc as usize),
    );
    record_backend(&mut call, decision, || {
        route3::symm_volume((m as usize, n as usize), ka as usize)
    });
}

/// SYRK, HERK (`hermitian`), SYR2K and HER2K (`b` is Some) with Fortran-level
/// arguments. Real types accept TRANS = N, T, C; complex SYRK/SYR2K accept N, T and
/// HERK/HER2K accept N, C, as reference BLAS does.
///
/// # Safety
/// Pointers valid for the shapes the arguments describe.
#[allow(clippy::too_many_arguments)]
pub unsafe fn rank_k_checked<T: Scalar>(
    hermitian: bool,
    uplo: u8,
    trans: u8,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: Option<(*const T, i64)>,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let ul = Uplo::from_char(uplo);
    let tr = Trans::from_char(trans).filter(|t| match t {
        Trans::No => true,
        Trans::Trans => !(T::IS_COMPLEX && hermitian),
        Trans::ConjTrans => !T::IS_COMPLEX || hermitian,
    });
    let nrowa = if tr == Some(Trans::No) { n } else { k };
    let two = b.is_some();
    let ldb = b.map_or(0, |(_, ldb)| ldb);
    let allowed = match (T::IS_COMPLEX, hermitian) {
        (false, _) => TRANS,
        (true, false) => "'N' or 'T'",
        (true, true) => "'N' or 'C'",
    };
    let ldc_position = if two { 12 } else { 10 };
    let rows = rows_rule(tr, ROWS_N_OR_K);
    let (ldb_check, b_fits) = if two {
        (
            Check::ld(9, ldb, nrowa, rows),
            Check::addressable(9, ldb, addressable::<T>(n.max(k), ldb)),
        )
    } else {
        (Check::from((9, false)), Check::from((9, false)))
    };
    if let Some(failed) = first_failure!(
        Check::option(1, uplo, ul.is_some(), UPLO),
        Check::option(2, trans, tr.is_some(), allowed),
        Check::dim(3, n),
        Check::dim(4, k),
        Check::ld(7, lda, nrowa, rows),
        ldb_check,
        Check::ld(ldc_position, ldc, n, "max(1, N)"),
        Check::addressable(ldc_position, ldc, addressable::<T>(n, ldc)),
        Check::addressable(7, lda, addressable::<T>(n.max(k), lda)),
        b_fits,
    ) {
        let base = match (hermitian, two) {
            (false, false) => "SYRK",
            (true, false) => "HERK",
            (false, true) => "SYR2K",
            (true, true) => "HER2K",
        };
        return argument_error_because(&routine_name::<T>(base), &failed);
    }
    if nan_check::enabled() {
        let ka = if tr == Some(Trans::No) { k } else { n };
        let products = alpha != T::zero() && k > 0;
        let shape = symmetric_shape(hermitian, ul.unwrap());
        let base = match (hermitian, two) {
            (false, false) => "SYRK",
            (true, false) => "HERK",
            (false, true) => "SYR2K",
            (true, true) => "HER2K",
        };
        scan::<T>(
            base,
            [
                products.then(|| Operand::general("A", 6, a, (nrowa, ka), lda)),
                b.filter(|_| products)
                    .map(|(b, ldb)| Operand::general("B", 8, b, (nrowa, ka), ldb)),
                (beta != T::zero())
                    .then(|| Operand::shaped("C", ldc_position - 1, c, (n, n), ldc, shape)),
            ],
        );
    }
    let mut call = crate::telemetry::blas::rank_k::<T>(hermitian, two, uplo, trans, n, k);
    let decision = level3::rank_k(
        ul.unwrap(),
        tr.unwrap(),
        hermitian,
        (n as usize, k as usize),
        alpha,
        (a, lda as usize),
        b.map(|(b, ldb)| (b, ldb as usize)),
        beta,
        (c, ldc as usize),
    );
    record_backend(&mut call, decision, || {
        route3::rank_k_volume(n as usize, k as usize, two)
    });
}

/// TRMM or TRSM (`solve`) with Fortran-level arguments.
///
/// # Safety
/// Pointers valid for the shapes the arguments describe.
#[allow(clippy::too_many_arguments)]
pub unsafe fn triangular_checked<T: Scalar>(
    solve: bool,
    side: u8,
    uplo: u8,
    transa: u8,
    diag: u8,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *mut T,
    ldb: i64,
) {
    let (sd, ul) = (Side::from_char(side), Uplo::from_char(uplo));
    let (ta, di) = (Trans::from_char(transa), Diag::from_char(diag));
    let nrowa = if sd == Some(Side::Left) { m } else { n };
    if let Some(failed) = first_failure!(
        Check::option(1, side, sd.is_some(), SIDE),
        Check::option(2, uplo, ul.is_some(), UPLO),
        Check::option(3, transa, ta.is_some(), TRANS),
        Check::option(4, diag, di.is_some(), DIAG),
        Check::dim(5, m),
        Check::dim(6, n),
        Check::ld(9, lda, nrowa, side_rule(sd)),
        Check::ld(11, ldb, m, "max(1, M)"),
        Check::addressable(9, lda, addressable::<T>(nrowa, lda)),
        Check::addressable(11, ldb, addressable::<T>(n, ldb)),
    ) {
        let base = if solve { "TRSM" } else { "TRMM" };
        return argument_error_because(&routine_name::<T>(base), &failed);
    }
    if nan_check::enabled() && alpha != T::zero() {
        let shape = Shape::Triangular(ul.unwrap(), di.unwrap());
        scan::<T>(
            if solve { "TRSM" } else { "TRMM" },
            [
                Some(Operand::shaped("A", 8, a, (nrowa, nrowa), lda, shape)),
                Some(Operand::general("B", 10, b, (m, n), ldb)),
                None,
            ],
        );
    }
    let mut call = crate::telemetry::blas::trxm::<T>(solve, side, uplo, transa, diag, m, n);
    let options = (sd.unwrap(), ul.unwrap(), ta.unwrap(), di.unwrap());
    let (dims, a, b) = (
        (m as usize, n as usize),
        (a, lda as usize),
        (b, ldb as usize),
    );
    let decision = if solve {
        level3::trsm(&TrsmArgs::new(options, dims, alpha, a, b))
    } else {
        let (side, uplo, trans, diag) = options;
        level3::trmm(side, uplo, trans, diag, dims, alpha, a, b)
    };
    record_backend(&mut call, decision, || {
        route3::triangular_volume((m as usize, n as usize), nrowa as usize)
    });
}

macro_rules! symm_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, $hermitian:expr) => {
        /// Fortran SYMM/HEMM: C := alpha*A*B + beta*C or alpha*B*A + beta*C.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            side: *const c_char,
            uplo: *const c_char,
            m: *const $I,
            n: *const $I,
            alpha: *const $T,
            a: *const $T,
            lda: *const $I,
            b: *const $T,
            ldb: *const $I,
            beta: *const $T,
            c: *mut $T,
            ldc: *const $I,
            _side_len: usize,
            _uplo_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                symm_checked::<$T>(
                    $hermitian,
                    option_char(side),
                    option_char(uplo),
                    read(m),
                    read(n),
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

for_each_abi! {
    symm_fortran!(f32, ssymm_, false);
    symm_fortran!(f64, dsymm_, false);
    symm_fortran!(c32, csymm_, false);
    symm_fortran!(c64, zsymm_, false);
    symm_fortran!(c32, chemm_, true);
    symm_fortran!(c64, zhemm_, true);
}

macro_rules! rank_k_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $S:ty, $name:ident, $hermitian:expr, $widen:expr) => {
        /// Fortran SYRK/HERK: C := alpha*op(A)*op(A)' + beta*C on one triangle.
        /// (HERK's alpha and beta are real.)
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            uplo: *const c_char,
            trans: *const c_char,
            n: *const $I,
            k: *const $I,
            alpha: *const $S,
            a: *const $T,
            lda: *const $I,
            beta: *const $S,
            c: *mut $T,
            ldc: *const $I,
            _uplo_len: usize,
            _trans_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                rank_k_checked::<$T>(
                    $hermitian,
                    option_char(uplo),
                    option_char(trans),
                    read(n),
                    read(k),
                    $widen(*alpha),
                    a,
                    read(lda),
                    None,
                    $widen(*beta),
                    c,
                    read(ldc),
                )
            })
        }
    };
}

for_each_abi! {
    rank_k_fortran!(f32, f32, ssyrk_, false, identity);
    rank_k_fortran!(f64, f64, dsyrk_, false, identity);
    rank_k_fortran!(c32, c32, csyrk_, false, identity);
    rank_k_fortran!(c64, c64, zsyrk_, false, identity);
    rank_k_fortran!(c32, f32, cherk_, true, c32::from_real);
    rank_k_fortran!(c64, f64, zherk_, true, c64::from_real);
}

macro_rules! rank_2k_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $B:ty, $name:ident, $hermitian:expr, $widen:expr) => {
        /// Fortran SYR2K/HER2K: C := alpha*op(A)*op(B)' + alpha'*op(B)*op(A)' + beta*C
        /// on one triangle. (HER2K's beta is real.)
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            uplo: *const c_char,
            trans: *const c_char,
            n: *const $I,
            k: *const $I,
            alpha: *const $T,
            a: *const $T,
            lda: *const $I,
            b: *const $T,
            ldb: *const $I,
            beta: *const $B,
            c: *mut $T,
            ldc: *const $I,
            _uplo_len: usize,
            _trans_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                rank_k_checked::<$T>(
                    $hermitian,
                    option_char(uplo),
                    option_char(trans),
                    read(n),
                    read(k),
                    *alpha,
                    a,
                    read(lda),
                    Some((b, read(ldb))),
                    $widen(*beta),
                    c,
                    read(ldc),
                )
            })
        }
    };
}

for_each_abi! {
    rank_2k_fortran!(f32, f32, ssyr2k_, false, identity);
    rank_2k_fortran!(f64, f64, dsyr2k_, false, identity);
    rank_2k_fortran!(c32, c32, csyr2k_, false, identity);
    rank_2k_fortran!(c64, c64, zsyr2k_, false, identity);
    rank_2k_fortran!(c32, f32, cher2k_, true, c32::from_real);
    rank_2k_fortran!(c64, f64, zher2k_, true, c64::from_real);
}

macro_rules! triangular_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, $solve:expr) => {
        /// Fortran TRMM (B := alpha*op(A)*B or alpha*B*op(A)) or TRSM (solves
        /// op(A)*X = alpha*B or X*op(A) = alpha*B).
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            side: *const c_char,
            uplo: *const c_char,
            transa: *const c_char,
            diag: *const c_char,
            m: *const $I,
            n: *const $I,
            alpha: *const $T,
            a: *const $T,
            lda: *const $I,
            b: *mut $T,
            ldb: *const $I,
            _side_len: usize,
            _uplo_len: usize,
            _transa_len: usize,
            _diag_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                triangular_checked::<$T>(
                    $solve,
                    option_char(side),
                    option_char(uplo),
                    option_char(transa),
                    option_char(diag),
                    read(m),
                    read(n),
                    *alpha,
                    a,
                    read(lda),
                    b,
                    read(ldb),
                )
            })
        }
    };
}

for_each_abi! {
    triangular_fortran!(f32, strmm_, false);
    triangular_fortran!(f64, dtrmm_, false);
    triangular_fortran!(c32, ctrmm_, false);
    triangular_fortran!(c64, ztrmm_, false);
    triangular_fortran!(f32, strsm_, true);
    triangular_fortran!(f64, dtrsm_, true);
    triangular_fortran!(c32, ctrsm_, true);
    triangular_fortran!(c64, ztrsm_, true);
}

/// cblas_?symm / cblas_?hemm: row-major is C^T = B^T A^T (or A^T B^T), the
/// column-major call with side and uplo flipped and m and n swapped (A^T of a
/// Hermitian A is Hermitian again, stored in the other triangle).
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_symm<T: CblasScalar>(
    routine: &CStr,
    hermitian: bool,
    order: c_int,
    side: c_int,
    uplo: c_int,
    m: i64,
    n: i64,
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
        return cblas_bad_option(routine, 1, order, CBLAS_ORDER_RULE);
    }
    let row_major = order == CBLAS_ROW_MAJOR;
    let Some(sd) = cblas_side(side) else {
        return cblas_bad_option(routine, 2, side, CBLAS_SIDE_RULE);
    };
    let Some(ul) = cblas_uplo(uplo) else {
        return cblas_bad_option(routine, 3, uplo, CBLAS_UPLO_RULE);
    };
    let (alpha, beta) = (T::read(alpha), T::read(beta));
    if row_major {
        let (sd, ul) = (side_char(sd.flip()), uplo_char(ul.flip()));
        symm_checked(hermitian, sd, ul, n, m, alpha, a, lda, b, ldb, beta, c, ldc);
    } else {
        let (sd, ul) = (side_char(sd), uplo_char(ul));
        symm_checked(hermitian, sd, ul, m, n, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}

/// cblas_?syrk, ?herk, ?syr2k, ?her2k (`b` is Some). Row-major C is column-major C^T
/// with A^T in place of A: uplo flips, and op(A) = A becomes op = T (C for the
/// Hermitian ones) and back. As in reference CBLAS, row-major accepts CblasConjTrans
/// for real SYRK/SYR2K only and CblasTrans not for HERK/HER2K; row-major HER2K takes
/// conj(alpha) (C^T = conj(C) swaps the two terms).
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_rank_k<T: CblasScalar>(
    routine: &CStr,
    hermitian: bool,
    order: c_int,
    uplo: c_int,
    trans: c_int,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: Option<(*const T, i64)>,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    if order != CBLAS_ROW_MAJOR && order != CBLAS_COL_MAJOR {
        return cblas_bad_option(routine, 1, order, CBLAS_ORDER_RULE);
    }
    let Some(ul) = cblas_uplo(uplo) else {
        return cblas_bad_option(routine, 2, uplo, CBLAS_UPLO_RULE);
    };
    let Some(tr) = cblas_trans(trans) else {
        return cblas_bad_option(routine, 3, trans, CBLAS_TRANS_RULE);
    };
    if order == CBLAS_COL_MAJOR {
        let (ul, tr) = (uplo_char(ul), trans_char(tr));
        return rank_k_checked(hermitian, ul, tr, n, k, alpha, a, lda, b, beta, c, ldc);
    }
    let flipped = match (tr, hermitian, T::IS_COMPLEX) {
        (Trans::No, true, _) => Some(b'C'),
        (Trans::No, false, _) => Some(b'T'),
        (Trans::ConjTrans, true, _) | (Trans::Trans, false, _) => Some(b'N'),
        (Trans::ConjTrans, false, false) => Some(b'N'),
        _ => None,
    };
    let Some(tr) = flipped else {
        let rule = if hermitian {
            "must be CblasNoTrans (111) or CblasConjTrans (113)"
        } else {
            "must be CblasNoTrans (111) or CblasTrans (112)"
        };
        return cblas_bad_option(routine, 3, trans, rule);
    };
    let alpha = if hermitian { alpha.conj() } else { alpha };
    let ul = uplo_char(ul.flip());
    rank_k_checked(hermitian, ul, tr, n, k, alpha, a, lda, b, beta, c, ldc);
}

/// cblas_?trmm / cblas_?trsm: row-major B is column-major B^T and A is A^T, so side
/// and uplo flip, m and n swap, and TRANSA and DIAG pass unchanged.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_triangular<T: CblasScalar>(
    routine: &CStr,
    solve: bool,
    order: c_int,
    side: c_int,
    uplo: c_int,
    transa: c_int,
    diag: c_int,
    m: i64,
    n: i64,
    alpha: T::Arg,
    a: *const T,
    lda: i64,
    b: *mut T,
    ldb: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    if order != CBLAS_ROW_MAJOR && order != CBLAS_COL_MAJOR {
        return cblas_bad_option(routine, 1, order, CBLAS_ORDER_RULE);
    }
    let Some(sd) = cblas_side(side) else {
        return cblas_bad_option(routine, 2, side, CBLAS_SIDE_RULE);
    };
    let Some(ul) = cblas_uplo(uplo) else {
        return cblas_bad_option(routine, 3, uplo, CBLAS_UPLO_RULE);
    };
    let Some(ta) = cblas_trans(transa) else {
        return cblas_bad_option(routine, 4, transa, CBLAS_TRANS_RULE);
    };
    let Some(di) = cblas_diag(diag) else {
        return cblas_bad_option(routine, 5, diag, CBLAS_DIAG_RULE);
    };
    let alpha = T::read(alpha);
    let (ta, di) = (trans_char(ta), diag_char(di));
    if order == CBLAS_ROW_MAJOR {
        let (sd, ul) = (side_char(sd.flip()), uplo_char(ul.flip()));
        triangular_checked(solve, sd, ul, ta, di, n, m, alpha, a, lda, b, ldb);
    } else {
        let (sd, ul) = (side_char(sd), uplo_char(ul));
        triangular_checked(solve, sd, ul, ta, di, m, n, alpha, a, lda, b, ldb);
    }
}

/// The routine name as a C string for cblas_xerbla.
macro_rules! cblas_name {
    ($name:ident) => {
        CStr::from_bytes_with_nul(concat!(stringify!($name), "\0").as_bytes()).unwrap()
    };
}

macro_rules! symm_cblas {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, $hermitian:expr) => {
        /// CBLAS SYMM/HEMM.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            order: c_int,
            side: c_int,
            uplo: c_int,
            m: $I,
            n: $I,
            alpha: <$T as CblasScalar>::Arg,
            a: *const $T,
            lda: $I,
            b: *const $T,
            ldb: $I,
            beta: <$T as CblasScalar>::Arg,
            c: *mut $T,
            ldc: $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                cblas_symm::<$T>(
                    cblas_name!($name),
                    $hermitian,
                    order,
                    side,
                    uplo,
                    m.get(),
                    n.get(),
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

for_each_abi! {
    symm_cblas!(f32, cblas_ssymm, false);
    symm_cblas!(f64, cblas_dsymm, false);
    symm_cblas!(c32, cblas_csymm, false);
    symm_cblas!(c64, cblas_zsymm, false);
    symm_cblas!(c32, cblas_chemm, true);
    symm_cblas!(c64, cblas_zhemm, true);
}

macro_rules! rank_k_cblas {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $S:ty, $name:ident, $hermitian:expr, $read:expr) => {
        /// CBLAS SYRK/HERK (HERK's alpha and beta are real, by value).
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            order: c_int,
            uplo: c_int,
            trans: c_int,
            n: $I,
            k: $I,
            alpha: $S,
            a: *const $T,
            lda: $I,
            beta: $S,
            c: *mut $T,
            ldc: $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                cblas_rank_k::<$T>(
                    cblas_name!($name),
                    $hermitian,
                    order,
                    uplo,
                    trans,
                    n.get(),
                    k.get(),
                    $read(alpha),
                    a,
                    lda.get(),
                    None,
                    $read(beta),
                    c,
                    ldc.get(),
                )
            })
        }
    };
}

for_each_abi! {
    rank_k_cblas!(f32, f32, cblas_ssyrk, false, identity);
    rank_k_cblas!(f64, f64, cblas_dsyrk, false, identity);
    rank_k_cblas!(c32, *const c_void, cblas_csyrk, false, |p| { c32::read(p) });
    rank_k_cblas!(c64, *const c_void, cblas_zsyrk, false, |p| { c64::read(p) });
    rank_k_cblas!(c32, f32, cblas_cherk, true, c32::from_real);
    rank_k_cblas!(c64, f64, cblas_zherk, true, c64::from_real);
}

macro_rules! rank_2k_cblas {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $B:ty, $name:ident, $hermitian:expr, $read_beta:expr) => {
        /// CBLAS SYR2K/HER2K (HER2K's beta is real, by value).
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            order: c_int,
            uplo: c_int,
            trans: c_int,
            n: $I,
            k: $I,
            alpha: <$T as CblasScalar>::Arg,
            a: *const $T,
            lda: $I,
            b: *const $T,
            ldb: $I,
            beta: $B,
            c: *mut $T,
            ldc: $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                cblas_rank_k::<$T>(
                    cblas_name!($name),
                    $hermitian,
                    order,
                    uplo,
                    trans,
                    n.get(),
                    k.get(),
                    <$T as CblasScalar>::read(alpha),
                    a,
                    lda.get(),
                    Some((b, ldb.get())),
                    $read_beta(beta),
                    c,
                    ldc.get(),
                )
            })
        }
    };
}

for_each_abi! {
    rank_2k_cblas!(f32, f32, cblas_ssyr2k, false, identity);
    rank_2k_cblas!(f64, f64, cblas_dsyr2k, false, identity);
    rank_2k_cblas!(c32, *const c_void, cblas_csyr2k, false, |p| c32::read(p));
    rank_2k_cblas!(c64, *const c_void, cblas_zsyr2k, false, |p| c64::read(p));
    rank_2k_cblas!(c32, f32, cblas_cher2k, true, c32::from_real);
    rank_2k_cblas!(c64, f64, cblas_zher2k, true, c64::from_real);
}

macro_rules! triangular_cblas {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, $solve:expr) => {
        /// CBLAS TRMM/TRSM.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            order: c_int,
            side: c_int,
            uplo: c_int,
            transa: c_int,
            diag: c_int,
            m: $I,
            n: $I,
            alpha: <$T as CblasScalar>::Arg,
            a: *const $T,
            lda: $I,
            b: *mut $T,
            ldb: $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                cblas_triangular::<$T>(
                    cblas_name!($name),
                    $solve,
                    order,
                    side,
                    uplo,
                    transa,
                    diag,
                    m.get(),
                    n.get(),
                    alpha,
                    a,
                    lda.get(),
                    b,
                    ldb.get(),
                )
            })
        }
    };
}

for_each_abi! {
    triangular_cblas!(f32, cblas_strmm, false);
    triangular_cblas!(f64, cblas_dtrmm, false);
    triangular_cblas!(c32, cblas_ctrmm, false);
    triangular_cblas!(c64, cblas_ztrmm, false);
    triangular_cblas!(f32, cblas_strsm, true);
    triangular_cblas!(f64, cblas_dtrsm, true);
    triangular_cblas!(c32, cblas_ctrsm, true);
    triangular_cblas!(c64, cblas_ztrsm, true);
}
