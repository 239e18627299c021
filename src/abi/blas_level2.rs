//! Fortran and CBLAS entry points of level-2 BLAS. Each Fortran routine checks its
//! arguments in the reference order, reports the first bad one through the process's
//! XERBLA with the reference position, and calls a generic body in `crate::blas::level2`.
//!
//! CBLAS row-major calls are the column-major routine on the transposed matrix, called
//! exactly as reference CBLAS calls it (same argument order, so a Fortran-level error
//! reaches XERBLA at the position the CBLAS testers expect). Where the transpose turns
//! A^H into conj(A), reference CBLAS conjugates: a conjugated copy of x, y conjugated in
//! place around the call, conj(alpha) and conj(beta). We do the same.

use crate::abi::blas_level3::routine_name;
use crate::abi::cblas_support::{
    cblas_bad_option, cblas_diag, cblas_trans, cblas_uplo, diag_char, trans_char, uplo_char,
    CblasCall, CblasScalar, CBLAS_COL_MAJOR, CBLAS_DIAG_RULE, CBLAS_ORDER_RULE, CBLAS_ROW_MAJOR,
    CBLAS_TRANS_RULE, CBLAS_UPLO_RULE,
};
use crate::abi::int::{addressable, read};
use crate::abi::xerbla::argument_error_because;
use crate::blas::args::{option_char, Diag, Trans, Uplo};
use crate::blas::level2::{self, Storage};
use crate::blas::{gemm_small, hermitian_mv};
use crate::diag::check::{first_failure, Check, DIAG, TRANS, UPLO};
use crate::for_each_abi;
use crate::scalar::{c32, c64, Scalar};
use std::ffi::{c_char, c_int, CStr};

/// The reference name for scalar `T`: `real` for S/D, `complex` for C/Z ("DSYMV", "ZHEMV").
fn name<T: Scalar>(real: &str, complex: &str) -> String {
    routine_name::<T>(if T::IS_COMPLEX { complex } else { real })
}

/// Reports the failed check (if any) for `routine`; true when the call must stop.
fn reject(routine: impl FnOnce() -> String, failed: Option<Check>) -> bool {
    match failed {
        Some(check) => {
            argument_error_because(&routine(), &check);
            true
        }
        None => false,
    }
}

fn band_of<T>(ptr: *const T, ld: i64, n: i64, uplo: Uplo, k: i64) -> Storage<T> {
    let (kl, ku) = match uplo {
        Uplo::Upper => (0, k as usize),
        Uplo::Lower => (k as usize, 0),
    };
    Storage::Band {
        ptr: ptr as *mut T,
        ld: ld as usize,
        m: n as usize,
        kl,
        ku,
    }
}

fn full_of<T>(ptr: *const T, ld: i64, m: i64, uplo: Option<Uplo>) -> Storage<T> {
    Storage::Full {
        ptr: ptr as *mut T,
        ld: ld as usize,
        m: m as usize,
        uplo,
    }
}

fn packed_of<T>(ptr: *const T, n: i64, uplo: Uplo) -> Storage<T> {
    Storage::Packed {
        ptr: ptr as *mut T,
        n: n as usize,
        uplo,
    }
}

// ---------------------------------------------------------------------------------------
// Fortran-level checked bodies (reference argument order and positions).

/// GEMV(TRANS, M, N, ALPHA, A, LDA, X, INCX, BETA, Y, INCY).
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemv_checked<T: Scalar>(
    trans: u8,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let t = Trans::from_char(trans);
    let info = first_failure!(
        Check::option(1, trans, t.is_some(), TRANS),
        Check::dim(2, m),
        Check::dim(3, n),
        Check::ld(6, lda, m, "max(1, M)"),
        Check::increment(8, incx),
        Check::increment(11, incy),
        Check::addressable(6, lda, addressable::<T>(n, lda)),
        Check::addressable(8, incx, addressable::<T>(m.max(n), incx)),
        Check::addressable(11, incy, addressable::<T>(m.max(n), incy)),
    );
    if reject(|| routine_name::<T>("GEMV"), info) {
        return;
    }
    let _call = crate::telemetry::blas::gemv::<T>(trans, m, n);
    let dims = (m as usize, n as usize);
    if t == Some(Trans::No)
        && incx == 1
        && incy == 1
        && gemm_small::gemv(dims, alpha, (a, lda as usize), x, beta, y)
    {
        return;
    }
    let a = full_of(a, lda, m, None);
    level2::mv(
        t.unwrap(),
        a,
        dims,
        alpha,
        (x, incx as isize),
        beta,
        (y, incy as isize),
    );
}

/// GBMV(TRANS, M, N, KL, KU, ALPHA, A, LDA, X, INCX, BETA, Y, INCY).
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gbmv_checked<T: Scalar>(
    trans: u8,
    m: i64,
    n: i64,
    kl: i64,
    ku: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let t = Trans::from_char(trans);
    let info = first_failure!(
        Check::option(1, trans, t.is_some(), TRANS),
        Check::dim(2, m),
        Check::dim(3, n),
        Check::dim(4, kl),
        Check::dim(5, ku),
        Check::at_least(8, lda, kl + ku + 1, "KL + KU + 1"),
        Check::increment(10, incx),
        Check::increment(13, incy),
        Check::addressable(8, lda, addressable::<T>(n, lda)),
        Check::addressable(10, incx, addressable::<T>(m.max(n), incx)),
        Check::addressable(13, incy, addressable::<T>(m.max(n), incy)),
    );
    if reject(|| routine_name::<T>("GBMV"), info) {
        return;
    }
    let _call = crate::telemetry::blas::gbmv::<T>(trans, m, n, kl, ku);
    let a = Storage::Band {
        ptr: a as *mut T,
        ld: lda as usize,
        m: m as usize,
        kl: kl as usize,
        ku: ku as usize,
    };
    let dims = (m as usize, n as usize);
    level2::mv(
        t.unwrap(),
        a,
        dims,
        alpha,
        (x, incx as isize),
        beta,
        (y, incy as isize),
    );
}

/// HEMV / SYMV(UPLO, N, ALPHA, A, LDA, X, INCX, BETA, Y, INCY).
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn hemv_checked<T: Scalar>(
    uplo: u8,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let u = Uplo::from_char(uplo);
    let info = first_failure!(
        Check::option(1, uplo, u.is_some(), UPLO),
        Check::dim(2, n),
        Check::ld(5, lda, n, "max(1, N)"),
        Check::increment(7, incx),
        Check::increment(10, incy),
        Check::addressable(5, lda, addressable::<T>(n, lda)),
        Check::addressable(7, incx, addressable::<T>(n, incx)),
        Check::addressable(10, incy, addressable::<T>(n, incy)),
    );
    if reject(|| name::<T>("SYMV", "HEMV"), info) {
        return;
    }
    let _call = crate::telemetry::blas::hemv::<T>(uplo, n, None, false);
    let u = u.unwrap();
    let a = full_of(a, lda, n, Some(u));
    hermitian_mv::hermitian_mv(
        u,
        a,
        n as usize,
        alpha,
        (x, incx as isize),
        beta,
        (y, incy as isize),
    );
}

/// HBMV / SBMV(UPLO, N, K, ALPHA, A, LDA, X, INCX, BETA, Y, INCY).
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn hbmv_checked<T: Scalar>(
    uplo: u8,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let u = Uplo::from_char(uplo);
    let info = first_failure!(
        Check::option(1, uplo, u.is_some(), UPLO),
        Check::dim(2, n),
        Check::dim(3, k),
        Check::at_least(6, lda, k + 1, "K + 1"),
        Check::increment(8, incx),
        Check::increment(11, incy),
        Check::addressable(6, lda, addressable::<T>(n, lda)),
        Check::addressable(8, incx, addressable::<T>(n, incx)),
        Check::addressable(11, incy, addressable::<T>(n, incy)),
    );
    if reject(|| name::<T>("SBMV", "HBMV"), info) {
        return;
    }
    let _call = crate::telemetry::blas::hemv::<T>(uplo, n, Some(k), false);
    let u = u.unwrap();
    let a = band_of(a, lda, n, u, k);
    hermitian_mv::hermitian_mv(
        u,
        a,
        n as usize,
        alpha,
        (x, incx as isize),
        beta,
        (y, incy as isize),
    );
}

/// HPMV / SPMV(UPLO, N, ALPHA, AP, X, INCX, BETA, Y, INCY).
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn hpmv_checked<T: Scalar>(
    uplo: u8,
    n: i64,
    alpha: T,
    ap: *const T,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let u = Uplo::from_char(uplo);
    let info = first_failure!(
        Check::option(1, uplo, u.is_some(), UPLO),
        Check::dim(2, n),
        Check::increment(6, incx),
        Check::increment(9, incy),
        Check::addressable(2, n, addressable::<T>(n, n / 2 + 1)),
        Check::addressable(6, incx, addressable::<T>(n, incx)),
        Check::addressable(9, incy, addressable::<T>(n, incy)),
    );
    if reject(|| name::<T>("SPMV", "HPMV"), info) {
        return;
    }
    let _call = crate::telemetry::blas::hemv::<T>(uplo, n, None, true);
    let u = u.unwrap();
    let a = packed_of(ap, n, u);
    hermitian_mv::hermitian_mv(
        u,
        a,
        n as usize,
        alpha,
        (x, incx as isize),
        beta,
        (y, incy as isize),
    );
}

/// How a triangular routine's matrix is stored, with its Fortran arguments.
#[derive(Clone, Copy)]
pub enum TriangleArgs {
    /// TRMV/TRSV: A, LDA.
    Full { lda: i64 },
    /// TBMV/TBSV: K, A, LDA.
    Band { k: i64, lda: i64 },
    /// TPMV/TPSV: AP.
    Packed,
}

/// TRMV, TBMV, TPMV (`solve == false`) and TRSV, TBSV, TPSV (`solve == true`):
/// (UPLO, TRANS, DIAG, N, [K,] A, [LDA,] X, INCX).
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn triangular_checked<T: Scalar>(
    solve: bool,
    storage: TriangleArgs,
    uplo: u8,
    trans: u8,
    diag: u8,
    n: i64,
    a: *const T,
    x: *mut T,
    incx: i64,
) {
    let (u, t, d) = (
        Uplo::from_char(uplo),
        Trans::from_char(trans),
        Diag::from_char(diag),
    );
    let head = [
        Check::option(1, uplo, u.is_some(), UPLO),
        Check::option(2, trans, t.is_some(), TRANS),
        Check::option(3, diag, d.is_some(), DIAG),
        Check::dim(4, n),
    ];
    let (info, base) = match storage {
        TriangleArgs::Full { lda } => (
            first_failure!(
                head[0],
                head[1],
                head[2],
                head[3],
                Check::ld(6, lda, n, "max(1, N)"),
                Check::increment(8, incx),
                Check::addressable(6, lda, addressable::<T>(n, lda)),
                Check::addressable(8, incx, addressable::<T>(n, incx)),
            ),
            "TR",
        ),
        TriangleArgs::Band { k, lda } => (
            first_failure!(
                head[0],
                head[1],
                head[2],
                head[3],
                Check::dim(5, k),
                Check::at_least(7, lda, k + 1, "K + 1"),
                Check::increment(9, incx),
                Check::addressable(7, lda, addressable::<T>(n, lda)),
                Check::addressable(9, incx, addressable::<T>(n, incx)),
            ),
            "TB",
        ),
        TriangleArgs::Packed => (
            first_failure!(
                head[0],
                head[1],
                head[2],
                head[3],
                Check::increment(7, incx),
                Check::addressable(4, n, addressable::<T>(n, n / 2 + 1)),
                Check::addressable(7, incx, addressable::<T>(n, incx)),
            ),
            "TP",
        ),
    };
    let op = if solve { "SV" } else { "MV" };
    if reject(|| routine_name::<T>(&format!("{base}{op}")), info) {
        return;
    }
    let _call = crate::telemetry::blas::trxv::<T>(solve, storage, uplo, trans, diag, n);
    let u = u.unwrap();
    let a = match storage {
        TriangleArgs::Full { lda } => full_of(a, lda, n, Some(u)),
        TriangleArgs::Band { k, lda } => band_of(a, lda, n, u, k),
        TriangleArgs::Packed => packed_of(a, n, u),
    };
    level2::triangular(
        solve,
        u,
        t.unwrap(),
        d.unwrap(),
        a,
        n as usize,
        (x, incx as isize),
    );
}

/// GER / GERU (`conj == false`) and GERC (`conj == true`):
/// (M, N, ALPHA, X, INCX, Y, INCY, A, LDA); errors are reported as routine `base`.
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn ger_checked<T: Scalar>(
    base: &str,
    conj: bool,
    m: i64,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    let info = first_failure!(
        Check::dim(1, m),
        Check::dim(2, n),
        Check::increment(5, incx),
        Check::increment(7, incy),
        Check::ld(9, lda, m, "max(1, M)"),
        Check::addressable(5, incx, addressable::<T>(m, incx)),
        Check::addressable(7, incy, addressable::<T>(n, incy)),
        Check::addressable(9, lda, addressable::<T>(n, lda)),
    );
    if reject(|| routine_name::<T>(base), info) {
        return;
    }
    let _call = crate::telemetry::blas::ger::<T>(base, m, n);
    let a = full_of(a, lda, m, None);
    let dims = (m as usize, n as usize);
    level2::rank1(conj, a, dims, alpha, (x, incx as isize), (y, incy as isize));
}

/// How a Hermitian update's matrix is stored: full with LDA, or packed.
#[derive(Clone, Copy)]
pub enum UpdateArgs {
    Full { lda: i64 },
    Packed,
}

/// The checks on the matrix HER/HER2 (SPR/SPR2) update: (LDA follows the reference
/// rule, the matrix fits in the address space: reported at LDA's `lda_position`, or at
/// N's for packed storage).
fn updated_matrix_checks<T>(storage: UpdateArgs, n: i64, lda_position: i32) -> (Check, Check) {
    match storage {
        UpdateArgs::Full { lda } => (
            Check::ld(lda_position, lda, n, "max(1, N)"),
            Check::addressable(lda_position, lda, addressable::<T>(n, lda)),
        ),
        UpdateArgs::Packed => (
            Check::from((lda_position, false)),
            Check::addressable(2, n, addressable::<T>(n, n / 2 + 1)),
        ),
    }
}

/// HER / SYR(UPLO, N, ALPHA, X, INCX, A, LDA) and HPR / SPR(UPLO, N, ALPHA, X, INCX, AP);
/// `alpha` is real.
///
/// # Safety
/// Reference BLAS contract.
pub unsafe fn her_checked<T: Scalar>(
    storage: UpdateArgs,
    uplo: u8,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    a: *mut T,
) {
    let u = Uplo::from_char(uplo);
    let (lda_check, a_fits) = updated_matrix_checks::<T>(storage, n, 7);
    let routine = match storage {
        UpdateArgs::Full { .. } => ("SYR", "HER"),
        UpdateArgs::Packed => ("SPR", "HPR"),
    };
    let failed = first_failure!(
        Check::option(1, uplo, u.is_some(), UPLO),
        Check::dim(2, n),
        Check::increment(5, incx),
        lda_check,
        Check::addressable(5, incx, addressable::<T>(n, incx)),
        a_fits,
    );
    if reject(|| name::<T>(routine.0, routine.1), failed) {
        return;
    }
    let _call = crate::telemetry::blas::her::<T>(false, storage, uplo, n);
    let u = u.unwrap();
    let a = match storage {
        UpdateArgs::Full { lda } => full_of(a, lda, n, Some(u)),
        UpdateArgs::Packed => packed_of(a, n, u),
    };
    level2::hermitian_rank1(u, a, n as usize, alpha, (x, incx as isize));
}

/// HER2 / SYR2(UPLO, N, ALPHA, X, INCX, Y, INCY, A, LDA) and
/// HPR2 / SPR2(UPLO, N, ALPHA, X, INCX, Y, INCY, AP).
///
/// # Safety
/// Reference BLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn her2_checked<T: Scalar>(
    storage: UpdateArgs,
    uplo: u8,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
) {
    let u = Uplo::from_char(uplo);
    let (lda_check, a_fits) = updated_matrix_checks::<T>(storage, n, 9);
    let routine = match storage {
        UpdateArgs::Full { .. } => ("SYR2", "HER2"),
        UpdateArgs::Packed => ("SPR2", "HPR2"),
    };
    let failed = first_failure!(
        Check::option(1, uplo, u.is_some(), UPLO),
        Check::dim(2, n),
        Check::increment(5, incx),
        Check::increment(7, incy),
        lda_check,
        Check::addressable(5, incx, addressable::<T>(n, incx)),
        Check::addressable(7, incy, addressable::<T>(n, incy)),
        a_fits,
    );
    if reject(|| name::<T>(routine.0, routine.1), failed) {
        return;
    }
    let _call = crate::telemetry::blas::her::<T>(true, storage, uplo, n);
    let u = u.unwrap();
    let a = match storage {
        UpdateArgs::Full { lda } => full_of(a, lda, n, Some(u)),
        UpdateArgs::Packed => packed_of(a, n, u),
    };
    let (x, y) = ((x, incx as isize), (y, incy as isize));
    level2::hermitian_rank2(u, a, n as usize, alpha, x, y);
}

// Thin wrappers with the exact Fortran argument lists, for the entry-point macro.

#[allow(clippy::too_many_arguments)]
unsafe fn trmv_f<T: Scalar>(
    u: u8,
    t: u8,
    d: u8,
    n: i64,
    a: *const T,
    lda: i64,
    x: *mut T,
    incx: i64,
) {
    triangular_checked(false, TriangleArgs::Full { lda }, u, t, d, n, a, x, incx)
}
#[allow(clippy::too_many_arguments)]
unsafe fn trsv_f<T: Scalar>(
    u: u8,
    t: u8,
    d: u8,
    n: i64,
    a: *const T,
    lda: i64,
    x: *mut T,
    incx: i64,
) {
    triangular_checked(true, TriangleArgs::Full { lda }, u, t, d, n, a, x, incx)
}
#[allow(clippy::too_many_arguments)]
unsafe fn tbmv_f<T: Scalar>(
    u: u8,
    t: u8,
    d: u8,
    n: i64,
    k: i64,
    a: *const T,
    lda: i64,
    x: *mut T,
    incx: i64,
) {
    triangular_checked(false, TriangleArgs::Band { k, lda }, u, t, d, n, a, x, incx)
}
#[allow(clippy::too_many_arguments)]
unsafe fn tbsv_f<T: Scalar>(
    u: u8,
    t: u8,
    d: u8,
    n: i64,
    k: i64,
    a: *const T,
    lda: i64,
    x: *mut T,
    incx: i64,
) {
    triangular_checked(true, TriangleArgs::Band { k, lda }, u, t, d, n, a, x, incx)
}
unsafe fn tpmv_f<T: Scalar>(u: u8, t: u8, d: u8, n: i64, ap: *const T, x: *mut T, incx: i64) {
    triangular_checked(false, TriangleArgs::Packed, u, t, d, n, ap, x, incx)
}
unsafe fn tpsv_f<T: Scalar>(u: u8, t: u8, d: u8, n: i64, ap: *const T, x: *mut T, incx: i64) {
    triangular_checked(true, TriangleArgs::Packed, u, t, d, n, ap, x, incx)
}
#[allow(clippy::too_many_arguments)]
unsafe fn ger_f<T: Scalar>(
    m: i64,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    ger_checked(
        if T::IS_COMPLEX { "GERU" } else { "GER" },
        false,
        m,
        n,
        alpha,
        x,
        incx,
        y,
        incy,
        a,
        lda,
    )
}
#[allow(clippy::too_many_arguments)]
unsafe fn gerc_f<T: Scalar>(
    m: i64,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    ger_checked("GERC", true, m, n, alpha, x, incx, y, incy, a, lda)
}
unsafe fn her_f<T: Scalar>(u: u8, n: i64, alpha: T, x: *const T, incx: i64, a: *mut T, lda: i64) {
    her_checked(UpdateArgs::Full { lda }, u, n, alpha, x, incx, a)
}
unsafe fn hpr_f<T: Scalar>(u: u8, n: i64, alpha: T, x: *const T, incx: i64, ap: *mut T) {
    her_checked(UpdateArgs::Packed, u, n, alpha, x, incx, ap)
}
#[allow(clippy::too_many_arguments)]
unsafe fn her2_f<T: Scalar>(
    u: u8,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    her2_checked(UpdateArgs::Full { lda }, u, n, alpha, x, incx, y, incy, a)
}
#[allow(clippy::too_many_arguments)]
unsafe fn hpr2_f<T: Scalar>(
    u: u8,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    ap: *mut T,
) {
    her2_checked(UpdateArgs::Packed, u, n, alpha, x, incx, y, incy, ap)
}

// ---------------------------------------------------------------------------------------
// Fortran entry points. Argument kinds: `chr` CHARACTER (hidden length at the end),
// `int` INTEGER, `scal` a scalar of the routine's type, `real` a real scalar (HER's
// alpha), `arr`/`out` arrays read / written.

macro_rules! f_type {
    (chr, $T:ty, $I:ty) => { *const c_char };
    (int, $T:ty, $I:ty) => { *const $I };
    (scal, $T:ty, $I:ty) => { *const $T };
    (real, $T:ty, $I:ty) => { *const <$T as Scalar>::RealPart };
    (arr, $T:ty, $I:ty) => { *const $T };
    (out, $T:ty, $I:ty) => { *mut $T };
}

macro_rules! f_value {
    (chr, $v:ident, $T:ty) => {
        option_char($v)
    };
    (int, $v:ident, $T:ty) => {
        read($v)
    };
    (scal, $v:ident, $T:ty) => {
        *$v
    };
    (real, $v:ident, $T:ty) => {
        <$T as Scalar>::from_real(*$v)
    };
    (arr, $v:ident, $T:ty) => {
        $v
    };
    (out, $v:ident, $T:ty) => {
        $v
    };
}

/// Stamps the Fortran entry `$name` for scalar `$T`, calling `$body::<$T>` with the
/// arguments converted; `hidden(...)` names the trailing CHARACTER lengths.
macro_rules! fortran {
    ($body:ident, $args:tt, hidden $hidden:tt, $($T:ty => $name:ident),+) => {
        $(for_each_abi! { fortran_one!($body, $args, $hidden, $T, $name); })+
    };
}

macro_rules! fortran_one {
    ([$I:ty, $pre:literal, $suf:literal], $body:ident, ($($arg:ident: $kind:ident),*), ($($len:ident),*), $T:ty, $name:ident) => {
            /// Fortran level-2 BLAS entry point (reference argument list).
            ///
            /// # Safety
            /// Reference BLAS contract.
            #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
            #[allow(clippy::too_many_arguments)]
            pub unsafe extern "C" fn $name($($arg: f_type!($kind, $T, $I),)* $($len: usize),*) {
                crate::ffi_boundary!(stringify!($name), (), {
                    $body::<$T>($(f_value!($kind, $arg, $T)),*)
                })
            }
    };
}

fortran!(gemv_checked,
    (trans: chr, m: int, n: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    hidden(_trans_len),
    f32 => sgemv_, f64 => dgemv_, c32 => cgemv_, c64 => zgemv_);
fortran!(gbmv_checked,
    (trans: chr, m: int, n: int, kl: int, ku: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    hidden(_trans_len),
    f32 => sgbmv_, f64 => dgbmv_, c32 => cgbmv_, c64 => zgbmv_);
fortran!(hemv_checked,
    (uplo: chr, n: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    hidden(_uplo_len),
    f32 => ssymv_, f64 => dsymv_, c32 => chemv_, c64 => zhemv_);
fortran!(hbmv_checked,
    (uplo: chr, n: int, k: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    hidden(_uplo_len),
    f32 => ssbmv_, f64 => dsbmv_, c32 => chbmv_, c64 => zhbmv_);
fortran!(hpmv_checked,
    (uplo: chr, n: int, alpha: scal, ap: arr, x: arr, incx: int, beta: scal, y: out, incy: int),
    hidden(_uplo_len),
    f32 => sspmv_, f64 => dspmv_, c32 => chpmv_, c64 => zhpmv_);
fortran!(trmv_f,
    (uplo: chr, trans: chr, diag: chr, n: int, a: arr, lda: int, x: out, incx: int),
    hidden(_uplo_len, _trans_len, _diag_len),
    f32 => strmv_, f64 => dtrmv_, c32 => ctrmv_, c64 => ztrmv_);
fortran!(trsv_f,
    (uplo: chr, trans: chr, diag: chr, n: int, a: arr, lda: int, x: out, incx: int),
    hidden(_uplo_len, _trans_len, _diag_len),
    f32 => strsv_, f64 => dtrsv_, c32 => ctrsv_, c64 => ztrsv_);
fortran!(tbmv_f,
    (uplo: chr, trans: chr, diag: chr, n: int, k: int, a: arr, lda: int, x: out, incx: int),
    hidden(_uplo_len, _trans_len, _diag_len),
    f32 => stbmv_, f64 => dtbmv_, c32 => ctbmv_, c64 => ztbmv_);
fortran!(tbsv_f,
    (uplo: chr, trans: chr, diag: chr, n: int, k: int, a: arr, lda: int, x: out, incx: int),
    hidden(_uplo_len, _trans_len, _diag_len),
    f32 => stbsv_, f64 => dtbsv_, c32 => ctbsv_, c64 => ztbsv_);
fortran!(tpmv_f,
    (uplo: chr, trans: chr, diag: chr, n: int, ap: arr, x: out, incx: int),
    hidden(_uplo_len, _trans_len, _diag_len),
    f32 => stpmv_, f64 => dtpmv_, c32 => ctpmv_, c64 => ztpmv_);
fortran!(tpsv_f,
    (uplo: chr, trans: chr, diag: chr, n: int, ap: arr, x: out, incx: int),
    hidden(_uplo_len, _trans_len, _diag_len),
    f32 => stpsv_, f64 => dtpsv_, c32 => ctpsv_, c64 => ztpsv_);
fortran!(ger_f,
    (m: int, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, a: out, lda: int),
    hidden(),
    f32 => sger_, f64 => dger_, c32 => cgeru_, c64 => zgeru_);
fortran!(gerc_f,
    (m: int, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, a: out, lda: int),
    hidden(),
    c32 => cgerc_, c64 => zgerc_);
fortran!(her_f,
    (uplo: chr, n: int, alpha: real, x: arr, incx: int, a: out, lda: int),
    hidden(_uplo_len),
    f32 => ssyr_, f64 => dsyr_, c32 => cher_, c64 => zher_);
fortran!(hpr_f,
    (uplo: chr, n: int, alpha: real, x: arr, incx: int, ap: out),
    hidden(_uplo_len),
    f32 => sspr_, f64 => dspr_, c32 => chpr_, c64 => zhpr_);
fortran!(her2_f,
    (uplo: chr, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, a: out, lda: int),
    hidden(_uplo_len),
    f32 => ssyr2_, f64 => dsyr2_, c32 => cher2_, c64 => zher2_);
fortran!(hpr2_f,
    (uplo: chr, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, ap: out),
    hidden(_uplo_len),
    f32 => sspr2_, f64 => dspr2_, c32 => chpr2_, c64 => zhpr2_);

// ---------------------------------------------------------------------------------------
// CBLAS bodies.

/// Checks the CBLAS order argument (position 1): Some(row_major), or None once reported.
fn layout(routine: &CStr, order: c_int) -> Option<bool> {
    match order {
        CBLAS_ROW_MAJOR => Some(true),
        CBLAS_COL_MAJOR => Some(false),
        _ => {
            cblas_bad_option(routine, 1, order, CBLAS_ORDER_RULE);
            None
        }
    }
}

/// A conjugated contiguous copy of the `n` elements of x (increment `inc`), as reference
/// CBLAS makes for row-major complex calls; None for real scalars, `n <= 0`, or `inc == 0`
/// (left for the Fortran-level check to report).
unsafe fn conj_copy<T: Scalar>(x: *const T, n: i64, inc: i64) -> Option<Vec<T>> {
    if !T::IS_COMPLEX || n <= 0 || inc == 0 {
        return None;
    }
    let n = n as usize;
    Some(level2::with_vector(x, n, inc as isize, |v| {
        v.iter().map(|&e| Scalar::conj(e)).collect()
    }))
}

/// The pointer and increment to pass for x given its optional conjugated copy.
fn pass<T>(copy: &Option<Vec<T>>, x: *const T, inc: i64) -> (*const T, i64) {
    match copy {
        Some(v) => (v.as_ptr(), 1),
        None => (x, inc),
    }
}

/// Conjugates the `n` elements of y (increment `inc`) in place (complex scalars only).
unsafe fn conj_in_place<T: Scalar>(y: *mut T, n: i64, inc: i64) {
    if !T::IS_COMPLEX || n <= 0 || inc == 0 {
        return;
    }
    let step = inc.unsigned_abs() as usize;
    for i in 0..n as usize {
        let p = y.add(i * step);
        *p = Scalar::conj(*p);
    }
}

/// Reference CBLAS's device for a row-major operator that became conj(B): runs `f` on
/// conj(x) (a copy) and conj(alpha), conj(beta) while y is conjugated in place, then
/// conjugates y back. For real scalars everything passes through unchanged.
#[allow(clippy::too_many_arguments)]
unsafe fn conjugated<T: Scalar>(
    (x, nx, incx): (*const T, i64, i64),
    (y, ny, incy): (*mut T, i64, i64),
    alpha: T,
    beta: T,
    f: impl FnOnce(T, *const T, i64, T),
) {
    let copy = conj_copy(x, nx, incx);
    let (x, incx) = pass(&copy, x, incx);
    conj_in_place(y, ny, incy);
    f(Scalar::conj(alpha), x, incx, Scalar::conj(beta));
    conj_in_place(y, ny, incy);
}

/// cblas_?gemv(order, trans, M, N, alpha, A, lda, X, incX, beta, Y, incY).
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_gemv<T: Scalar>(
    routine: &CStr,
    order: c_int,
    trans: c_int,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    let Some(t) = cblas_trans(trans) else {
        return cblas_bad_option(routine, 2, trans, CBLAS_TRANS_RULE);
    };
    if !row_major {
        return gemv_checked(trans_char(t), m, n, alpha, a, lda, x, incx, beta, y, incy);
    }
    match t {
        Trans::No => gemv_checked(b'T', n, m, alpha, a, lda, x, incx, beta, y, incy),
        Trans::Trans => gemv_checked(b'N', n, m, alpha, a, lda, x, incx, beta, y, incy),
        Trans::ConjTrans => conjugated(
            (x, m, incx),
            (y, n, incy),
            alpha,
            beta,
            |al, x, incx, be| gemv_checked(b'N', n, m, al, a, lda, x, incx, be, y, incy),
        ),
    }
}

/// cblas_?gbmv(order, trans, M, N, KL, KU, alpha, A, lda, X, incX, beta, Y, incY).
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_gbmv<T: Scalar>(
    routine: &CStr,
    order: c_int,
    trans: c_int,
    m: i64,
    n: i64,
    kl: i64,
    ku: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    let Some(t) = cblas_trans(trans) else {
        return cblas_bad_option(routine, 2, trans, CBLAS_TRANS_RULE);
    };
    if !row_major {
        return gbmv_checked(
            trans_char(t),
            m,
            n,
            kl,
            ku,
            alpha,
            a,
            lda,
            x,
            incx,
            beta,
            y,
            incy,
        );
    }
    match t {
        Trans::No => gbmv_checked(b'T', n, m, ku, kl, alpha, a, lda, x, incx, beta, y, incy),
        Trans::Trans => gbmv_checked(b'N', n, m, ku, kl, alpha, a, lda, x, incx, beta, y, incy),
        Trans::ConjTrans => conjugated(
            (x, m, incx),
            (y, n, incy),
            alpha,
            beta,
            |al, x, incx, be| gbmv_checked(b'N', n, m, ku, kl, al, a, lda, x, incx, be, y, incy),
        ),
    }
}

/// The Hermitian/symmetric matrix-vector products: how the matrix is passed.
#[derive(Clone, Copy)]
pub enum HermitianArgs {
    Full { lda: i64 },
    Band { k: i64, lda: i64 },
    Packed,
}

/// cblas_?hemv/?symv, ?hbmv/?sbmv, ?hpmv/?spmv. Row-major is the other triangle of the
/// conjugated matrix (for real scalars just the other triangle).
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_hermitian_mv<T: Scalar>(
    routine: &CStr,
    storage: HermitianArgs,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    a: *const T,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    let Some(u) = cblas_uplo(uplo) else {
        return cblas_bad_option(routine, 2, uplo, CBLAS_UPLO_RULE);
    };
    let call = |u: Uplo, alpha: T, x: *const T, incx: i64, beta: T| {
        let u = uplo_char(u);
        match storage {
            HermitianArgs::Full { lda } => {
                hemv_checked(u, n, alpha, a, lda, x, incx, beta, y, incy)
            }
            HermitianArgs::Band { k, lda } => {
                hbmv_checked(u, n, k, alpha, a, lda, x, incx, beta, y, incy)
            }
            HermitianArgs::Packed => hpmv_checked(u, n, alpha, a, x, incx, beta, y, incy),
        }
    };
    if !row_major {
        return call(u, alpha, x, incx, beta);
    }
    conjugated(
        (x, n, incx),
        (y, n, incy),
        alpha,
        beta,
        |al, x, incx, be| call(u.flip(), al, x, incx, be),
    );
}

#[allow(clippy::too_many_arguments)]
unsafe fn cblas_hemv<T: Scalar>(
    routine: &CStr,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let s = HermitianArgs::Full { lda };
    cblas_hermitian_mv(routine, s, order, uplo, n, alpha, a, x, incx, beta, y, incy)
}

#[allow(clippy::too_many_arguments)]
unsafe fn cblas_hbmv<T: Scalar>(
    routine: &CStr,
    order: c_int,
    uplo: c_int,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let s = HermitianArgs::Band { k, lda };
    cblas_hermitian_mv(routine, s, order, uplo, n, alpha, a, x, incx, beta, y, incy)
}

#[allow(clippy::too_many_arguments)]
unsafe fn cblas_hpmv<T: Scalar>(
    routine: &CStr,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    ap: *const T,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let s = HermitianArgs::Packed;
    cblas_hermitian_mv(
        routine, s, order, uplo, n, alpha, ap, x, incx, beta, y, incy,
    )
}

/// cblas_?tr{mv,sv}, ?tb{mv,sv}, ?tp{mv,sv}. Row-major is the other triangle with the
/// transpose undone; A^H becomes conj(B), applied to x conjugated in place.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_triangular<T: Scalar>(
    routine: &CStr,
    solve: bool,
    storage: TriangleArgs,
    order: c_int,
    uplo: c_int,
    trans: c_int,
    diag: c_int,
    n: i64,
    a: *const T,
    x: *mut T,
    incx: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    let Some(u) = cblas_uplo(uplo) else {
        return cblas_bad_option(routine, 2, uplo, CBLAS_UPLO_RULE);
    };
    let Some(t) = cblas_trans(trans) else {
        return cblas_bad_option(routine, 3, trans, CBLAS_TRANS_RULE);
    };
    let Some(d) = cblas_diag(diag) else {
        return cblas_bad_option(routine, 4, diag, CBLAS_DIAG_RULE);
    };
    let d = diag_char(d);
    if !row_major {
        let (u, t) = (uplo_char(u), trans_char(t));
        return triangular_checked(solve, storage, u, t, d, n, a, x, incx);
    }
    let u = uplo_char(u.flip());
    match t {
        Trans::No => triangular_checked(solve, storage, u, b'T', d, n, a, x, incx),
        Trans::Trans => triangular_checked(solve, storage, u, b'N', d, n, a, x, incx),
        Trans::ConjTrans => {
            conj_in_place(x, n, incx);
            triangular_checked(solve, storage, u, b'N', d, n, a, x, incx);
            conj_in_place(x, n, incx);
        }
    }
}

macro_rules! cblas_triangular_variants {
    ($(($fn:ident, $solve:expr)),*) => {
        $(
            #[allow(clippy::too_many_arguments)]
            unsafe fn $fn<T: Scalar>(
                routine: &CStr,
                order: c_int,
                uplo: c_int,
                trans: c_int,
                diag: c_int,
                n: i64,
                a: *const T,
                lda: i64,
                x: *mut T,
                incx: i64,
            ) {
                let s = TriangleArgs::Full { lda };
                cblas_triangular(routine, $solve, s, order, uplo, trans, diag, n, a, x, incx)
            }
        )*
    };
}
cblas_triangular_variants!((cblas_trmv, false), (cblas_trsv, true));

macro_rules! cblas_band_triangular_variants {
    ($(($fn:ident, $solve:expr)),*) => {
        $(
            #[allow(clippy::too_many_arguments)]
            unsafe fn $fn<T: Scalar>(
                routine: &CStr,
                order: c_int,
                uplo: c_int,
                trans: c_int,
                diag: c_int,
                n: i64,
                k: i64,
                a: *const T,
                lda: i64,
                x: *mut T,
                incx: i64,
            ) {
                let s = TriangleArgs::Band { k, lda };
                cblas_triangular(routine, $solve, s, order, uplo, trans, diag, n, a, x, incx)
            }
        )*
    };
}
cblas_band_triangular_variants!((cblas_tbmv, false), (cblas_tbsv, true));

macro_rules! cblas_packed_triangular_variants {
    ($(($fn:ident, $solve:expr)),*) => {
        $(
            #[allow(clippy::too_many_arguments)]
            unsafe fn $fn<T: Scalar>(
                routine: &CStr,
                order: c_int,
                uplo: c_int,
                trans: c_int,
                diag: c_int,
                n: i64,
                ap: *const T,
                x: *mut T,
                incx: i64,
            ) {
                let s = TriangleArgs::Packed;
                cblas_triangular(routine, $solve, s, order, uplo, trans, diag, n, ap, x, incx)
            }
        )*
    };
}
cblas_packed_triangular_variants!((cblas_tpmv, false), (cblas_tpsv, true));

/// cblas_?ger / ?geru(order, M, N, alpha, X, incX, Y, incY, A, lda): row-major swaps
/// the roles of x and y.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_ger<T: Scalar>(
    routine: &CStr,
    order: c_int,
    m: i64,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    let base = if T::IS_COMPLEX { "GERU" } else { "GER" };
    if row_major {
        ger_checked(base, false, n, m, alpha, y, incy, x, incx, a, lda)
    } else {
        ger_checked(base, false, m, n, alpha, x, incx, y, incy, a, lda)
    }
}

/// cblas_?gerc: row-major is GERU on the transposed matrix with conj(y) (a copy).
/// Errors are reported as GERC, the routine the caller called.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_gerc<T: Scalar>(
    routine: &CStr,
    order: c_int,
    m: i64,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    if !row_major {
        return ger_checked("GERC", true, m, n, alpha, x, incx, y, incy, a, lda);
    }
    let copy = conj_copy(y, n, incy);
    let (y, incy) = pass(&copy, y, incy);
    ger_checked("GERC", false, n, m, alpha, y, incy, x, incx, a, lda)
}

/// cblas_?her/?syr and ?hpr/?spr (real alpha): row-major is the other triangle updated
/// with conj(x).
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_her_any<T: Scalar>(
    routine: &CStr,
    storage: UpdateArgs,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    a: *mut T,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    let Some(u) = cblas_uplo(uplo) else {
        return cblas_bad_option(routine, 2, uplo, CBLAS_UPLO_RULE);
    };
    if !row_major {
        return her_checked(storage, uplo_char(u), n, alpha, x, incx, a);
    }
    let copy = conj_copy(x, n, incx);
    let (x, incx) = pass(&copy, x, incx);
    her_checked(storage, uplo_char(u.flip()), n, alpha, x, incx, a)
}

#[allow(clippy::too_many_arguments)]
unsafe fn cblas_her<T: Scalar>(
    routine: &CStr,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    a: *mut T,
    lda: i64,
) {
    let s = UpdateArgs::Full { lda };
    cblas_her_any(routine, s, order, uplo, n, alpha, x, incx, a)
}

#[allow(clippy::too_many_arguments)]
unsafe fn cblas_hpr<T: Scalar>(
    routine: &CStr,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    ap: *mut T,
) {
    cblas_her_any(
        routine,
        UpdateArgs::Packed,
        order,
        uplo,
        n,
        alpha,
        x,
        incx,
        ap,
    )
}

/// cblas_?her2/?syr2 and ?hpr2/?spr2: row-major is the other triangle; for complex
/// scalars updated with conj(y) in x's place and conj(x) in y's, as reference CBLAS.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn cblas_her2_any<T: Scalar>(
    routine: &CStr,
    storage: UpdateArgs,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
) {
    let _call = CblasCall::begin(order == CBLAS_ROW_MAJOR);
    let Some(row_major) = layout(routine, order) else {
        return;
    };
    let Some(u) = cblas_uplo(uplo) else {
        return cblas_bad_option(routine, 2, uplo, CBLAS_UPLO_RULE);
    };
    if !row_major {
        return her2_checked(storage, uplo_char(u), n, alpha, x, incx, y, incy, a);
    }
    let u = uplo_char(u.flip());
    if !T::IS_COMPLEX {
        return her2_checked(storage, u, n, alpha, x, incx, y, incy, a);
    }
    let (copy_x, copy_y) = (conj_copy(x, n, incx), conj_copy(y, n, incy));
    let (x, incx) = pass(&copy_x, x, incx);
    let (y, incy) = pass(&copy_y, y, incy);
    her2_checked(storage, u, n, alpha, y, incy, x, incx, a)
}

#[allow(clippy::too_many_arguments)]
unsafe fn cblas_her2<T: Scalar>(
    routine: &CStr,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    let s = UpdateArgs::Full { lda };
    cblas_her2_any(routine, s, order, uplo, n, alpha, x, incx, y, incy, a)
}

#[allow(clippy::too_many_arguments)]
unsafe fn cblas_hpr2<T: Scalar>(
    routine: &CStr,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    ap: *mut T,
) {
    let s = UpdateArgs::Packed;
    cblas_her2_any(routine, s, order, uplo, n, alpha, x, incx, y, incy, ap)
}

// ---------------------------------------------------------------------------------------
// CBLAS entry points. Argument kinds: `code` an enum code (c_int), `int` an integer by
// value, `scal` alpha/beta as CBLAS passes them, `real` a real scalar by value, `arr`/`out`.

macro_rules! c_type {
    (code, $T:ty, $I:ty) => { c_int };
    (int, $T:ty, $I:ty) => { $I };
    (scal, $T:ty, $I:ty) => { <$T as CblasScalar>::Arg };
    (real, $T:ty, $I:ty) => { <$T as Scalar>::RealPart };
    (arr, $T:ty, $I:ty) => { *const $T };
    (out, $T:ty, $I:ty) => { *mut $T };
}

macro_rules! c_value {
    (code, $v:ident, $T:ty) => {
        $v
    };
    (int, $v:ident, $T:ty) => {
        $v as i64
    };
    (scal, $v:ident, $T:ty) => {
        <$T as CblasScalar>::read($v)
    };
    (real, $v:ident, $T:ty) => {
        <$T as Scalar>::from_real($v)
    };
    (arr, $v:ident, $T:ty) => {
        $v
    };
    (out, $v:ident, $T:ty) => {
        $v
    };
}

/// Stamps the CBLAS entry `$name` for scalar `$T`, calling `$body::<$T>(routine, ...)`.
macro_rules! cblas {
    ($body:ident, $args:tt, $($T:ty => $name:ident),+) => {
        $(for_each_abi! { cblas_one!($body, $args, $T, $name); })+
    };
}

macro_rules! cblas_one {
    ([$I:ty, $pre:literal, $suf:literal], $body:ident, ($($arg:ident: $kind:ident),*), $T:ty, $name:ident) => {
            /// CBLAS level-2 entry point (reference CBLAS argument list).
            ///
            /// # Safety
            /// Reference CBLAS contract.
            #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
            #[allow(clippy::too_many_arguments)]
            pub unsafe extern "C" fn $name($($arg: c_type!($kind, $T, $I)),*) {
                let routine =
                    CStr::from_bytes_with_nul(concat!(stringify!($name), "\0").as_bytes()).unwrap();
                crate::ffi_boundary!(stringify!($name), (), {
                    $body::<$T>(routine, $(c_value!($kind, $arg, $T)),*)
                })
            }
    };
}

cblas!(cblas_gemv,
    (order: code, trans: code, m: int, n: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    f32 => cblas_sgemv, f64 => cblas_dgemv, c32 => cblas_cgemv, c64 => cblas_zgemv);
cblas!(cblas_gbmv,
    (order: code, trans: code, m: int, n: int, kl: int, ku: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    f32 => cblas_sgbmv, f64 => cblas_dgbmv, c32 => cblas_cgbmv, c64 => cblas_zgbmv);
cblas!(cblas_hemv,
    (order: code, uplo: code, n: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    f32 => cblas_ssymv, f64 => cblas_dsymv, c32 => cblas_chemv, c64 => cblas_zhemv);
cblas!(cblas_hbmv,
    (order: code, uplo: code, n: int, k: int, alpha: scal, a: arr, lda: int, x: arr, incx: int, beta: scal, y: out, incy: int),
    f32 => cblas_ssbmv, f64 => cblas_dsbmv, c32 => cblas_chbmv, c64 => cblas_zhbmv);
cblas!(cblas_hpmv,
    (order: code, uplo: code, n: int, alpha: scal, ap: arr, x: arr, incx: int, beta: scal, y: out, incy: int),
    f32 => cblas_sspmv, f64 => cblas_dspmv, c32 => cblas_chpmv, c64 => cblas_zhpmv);
cblas!(cblas_trmv,
    (order: code, uplo: code, trans: code, diag: code, n: int, a: arr, lda: int, x: out, incx: int),
    f32 => cblas_strmv, f64 => cblas_dtrmv, c32 => cblas_ctrmv, c64 => cblas_ztrmv);
cblas!(cblas_trsv,
    (order: code, uplo: code, trans: code, diag: code, n: int, a: arr, lda: int, x: out, incx: int),
    f32 => cblas_strsv, f64 => cblas_dtrsv, c32 => cblas_ctrsv, c64 => cblas_ztrsv);
cblas!(cblas_tbmv,
    (order: code, uplo: code, trans: code, diag: code, n: int, k: int, a: arr, lda: int, x: out, incx: int),
    f32 => cblas_stbmv, f64 => cblas_dtbmv, c32 => cblas_ctbmv, c64 => cblas_ztbmv);
cblas!(cblas_tbsv,
    (order: code, uplo: code, trans: code, diag: code, n: int, k: int, a: arr, lda: int, x: out, incx: int),
    f32 => cblas_stbsv, f64 => cblas_dtbsv, c32 => cblas_ctbsv, c64 => cblas_ztbsv);
cblas!(cblas_tpmv,
    (order: code, uplo: code, trans: code, diag: code, n: int, ap: arr, x: out, incx: int),
    f32 => cblas_stpmv, f64 => cblas_dtpmv, c32 => cblas_ctpmv, c64 => cblas_ztpmv);
cblas!(cblas_tpsv,
    (order: code, uplo: code, trans: code, diag: code, n: int, ap: arr, x: out, incx: int),
    f32 => cblas_stpsv, f64 => cblas_dtpsv, c32 => cblas_ctpsv, c64 => cblas_ztpsv);
cblas!(cblas_ger,
    (order: code, m: int, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, a: out, lda: int),
    f32 => cblas_sger, f64 => cblas_dger, c32 => cblas_cgeru, c64 => cblas_zgeru);
cblas!(cblas_gerc,
    (order: code, m: int, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, a: out, lda: int),
    c32 => cblas_cgerc, c64 => cblas_zgerc);
cblas!(cblas_her,
    (order: code, uplo: code, n: int, alpha: real, x: arr, incx: int, a: out, lda: int),
    f32 => cblas_ssyr, f64 => cblas_dsyr, c32 => cblas_cher, c64 => cblas_zher);
cblas!(cblas_hpr,
    (order: code, uplo: code, n: int, alpha: real, x: arr, incx: int, ap: out),
    f32 => cblas_sspr, f64 => cblas_dspr, c32 => cblas_chpr, c64 => cblas_zhpr);
cblas!(cblas_her2,
    (order: code, uplo: code, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, a: out, lda: int),
    f32 => cblas_ssyr2, f64 => cblas_dsyr2, c32 => cblas_cher2, c64 => cblas_zher2);
cblas!(cblas_hpr2,
    (order: code, uplo: code, n: int, alpha: scal, x: arr, incx: int, y: arr, incy: int, ap: out),
    f32 => cblas_sspr2, f64 => cblas_dspr2, c32 => cblas_chpr2, c64 => cblas_zhpr2);
