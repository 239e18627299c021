//! The telemetry hooks of the native LAPACK entries: one [`Family`] per routine and the
//! flop counts of LAPACK's own operation-count formulas (real flops; a complex
//! multiply-add counts 4 times a real one, as in `crate::telemetry::blas`).

use super::call::{begin, Call};
use super::routine::Family;
use crate::family;
use crate::scalar::Scalar;

pub static POTRF: Family = family!("POTRF");
pub static POTRS: Family = family!("POTRS");
pub static POSV: Family = family!("POSV");

/// Real flops scaled for complex scalars (a complex multiply-add is 4 real ones).
fn scaled<T: Scalar>(real_flops: f64) -> u64 {
    let factor = if T::IS_COMPLEX { 4.0 } else { 1.0 };
    (real_flops * factor).max(0.0) as u64
}

fn size<T: Scalar>() -> u64 {
    std::mem::size_of::<T>() as u64
}

/// Starts a call of `family`'s `T` routine doing `real_flops` (real-arithmetic count)
/// on `elements` matrix elements.
pub fn begin_call<T: Scalar>(
    family: &'static Family,
    real_flops: f64,
    elements: i64,
    shape: impl FnOnce() -> String,
) -> Call {
    begin(
        family.of::<T>(),
        scaled::<T>(real_flops),
        elements.max(0) as u64 * size::<T>(),
        shape,
    )
}

/// Cholesky of order n: n^3/3 flops.
pub fn potrf<T: Scalar>(n: i64) -> Call {
    let f = n as f64;
    begin_call::<T>(&POTRF, f * f * f / 3.0, n * n, || format!("n={n}"))
}

/// Two triangular solves with nrhs right-hand sides (plus the factorization for POSV).
pub fn potrs<T: Scalar>(family: &'static Family, n: i64, nrhs: i64) -> Call {
    let f = n as f64;
    let factor = if std::ptr::eq(family, &POSV) { f * f * f / 3.0 } else { 0.0 };
    begin_call::<T>(family, factor + 2.0 * f * f * nrhs as f64, n * (n + nrhs), || {
        format!("n={n} nrhs={nrhs}")
    })
}

// ----- Symmetric/Hermitian eigensolvers and SVD -----

/// xSYEVD for real scalars, xHEEVD for complex: one family, LAPACK's four names.
pub static HEEVD: Family = Family::new(["SSYEVD", "DSYEVD", "CHEEVD", "ZHEEVD"]);
pub static HEEV: Family = Family::new(["SSYEV", "DSYEV", "CHEEV", "ZHEEV"]);
pub static GESDD: Family = family!("GESDD");
pub static GESVD: Family = family!("GESVD");

/// Eigenvalues of order n: 4/3 n^3 for the tridiagonal reduction, about 9 n^3 in all
/// with eigenvectors (reduction, back-transformation and divide and conquer).
pub fn heev<T: Scalar>(family: &'static Family, vectors: bool, n: i64) -> Call {
    let f = n as f64;
    let flops = if vectors { 9.0 } else { 4.0 / 3.0 } * f * f * f;
    begin_call::<T>(family, flops, n * n, || format!("n={n} vectors={vectors}"))
}

/// SVD of an m x n matrix: the bidiagonal reduction 4 mn^2 - 4/3 n^3 (n = the smaller
/// dimension), about 12 mn^2 + 9 n^3 more with singular vectors.
pub fn svd<T: Scalar>(family: &'static Family, vectors: bool, m: i64, n: i64) -> Call {
    let (big, small) = (m.max(n) as f64, m.min(n) as f64);
    let mut flops = 4.0 * big * small * small - 4.0 / 3.0 * small * small * small;
    if vectors {
        flops += 12.0 * big * small * small + 9.0 * small * small * small;
    }
    begin_call::<T>(family, flops, m * n, || format!("m={m} n={n} vectors={vectors}"))
}
