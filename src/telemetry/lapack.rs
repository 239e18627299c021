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
    let factor = if std::ptr::eq(family, &POSV) {
        f * f * f / 3.0
    } else {
        0.0
    };
    begin_call::<T>(
        family,
        factor + 2.0 * f * f * nrhs as f64,
        n * (n + nrhs),
        || format!("n={n} nrhs={nrhs}"),
    )
}

// ----- Least squares (xGELSD) -----

pub static GELSD: Family = family!("GELSD");

/// SVD least squares: about 4 m n^2 for the QR and SVD plus the solves (m >= n; the
/// roles swap for a wide A).
pub fn gelsd<T: Scalar>(m: i64, n: i64, nrhs: i64) -> Call {
    let (big, small) = (m.max(n) as f64, m.min(n) as f64);
    let flops =
        4.0 * big * small * small + 8.0 * small * small * small + 4.0 * big * small * nrhs as f64;
    begin_call::<T>(&GELSD, flops, m * n + m.max(n) * nrhs, || {
        format!("m={m} n={n} nrhs={nrhs}")
    })
}

// ----- Nonsymmetric eigenproblem (xGEEV) -----

pub static GEEV: Family = family!("GEEV");

/// LAPACK's operation-count estimate for xGEEV: about 10 n^3 for the Hessenberg
/// reduction and QR iteration, plus about 4 n^3 per set of eigenvectors.
pub fn geev<T: Scalar>(n: i64, left: bool, right: bool) -> Call {
    let f = n as f64;
    let vectors = 4.0 * f * f * f * (left as u8 + right as u8) as f64;
    begin_call::<T>(&GEEV, 10.0 * f * f * f + vectors, n * n, || {
        format!(
            "n={n} jobvl={} jobvr={}",
            if left { 'V' } else { 'N' },
            if right { 'V' } else { 'N' }
        )
    })
}
