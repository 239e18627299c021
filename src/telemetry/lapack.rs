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
    begin_call::<T>(family, flops, m * n, || {
        format!("m={m} n={n} vectors={vectors}")
    })
}

pub static GETRF: Family = family!("GETRF");
pub static GETRS: Family = family!("GETRS");
pub static GESV: Family = family!("GESV");
pub static LASWP: Family = family!("LASWP");

/// LU of an m x n matrix: max(m,n) k^2 - k^3/3 flops with k = min(m, n).
fn lu_flops(m: i64, n: i64) -> f64 {
    let (k, big) = (m.min(n) as f64, m.max(n) as f64);
    big * k * k - k * k * k / 3.0
}

pub fn getrf<T: Scalar>(m: i64, n: i64) -> Call {
    begin_call::<T>(&GETRF, lu_flops(m, n), m * n, || format!("m={m} n={n}"))
}

/// Two triangular solves with nrhs right-hand sides (plus the factorization for GESV).
pub fn getrs<T: Scalar>(family: &'static Family, n: i64, nrhs: i64) -> Call {
    let factor = if std::ptr::eq(family, &GESV) {
        lu_flops(n, n)
    } else {
        0.0
    };
    let f = n as f64;
    begin_call::<T>(
        family,
        factor + 2.0 * f * f * nrhs as f64,
        n * (n + nrhs),
        || format!("n={n} nrhs={nrhs}"),
    )
}

pub fn laswp<T: Scalar>(n: i64, k1: i64, k2: i64) -> Call {
    begin_call::<T>(&LASWP, 0.0, 2 * n * (k2 - k1 + 1).max(0), || {
        format!("n={n} k1={k1} k2={k2}")
    })
}

pub static GEQRF: Family = family!("GEQRF");
/// ORGQR for real types, UNGQR for complex ones (LAPACK's names).
pub static ORGQR: Family = Family::new(["SORGQR", "DORGQR", "CUNGQR", "ZUNGQR"]);
pub static ORMQR: Family = Family::new(["SORMQR", "DORMQR", "CUNMQR", "ZUNMQR"]);

/// QR of an m x n matrix (m >= n): 2 m n^2 - 2 n^3 / 3 flops; transposed for m < n.
fn qr_flops(m: i64, n: i64) -> f64 {
    let (m, n) = (m as f64, n as f64);
    if m >= n {
        2.0 * m * n * n - 2.0 * n * n * n / 3.0
    } else {
        2.0 * n * m * m - 2.0 * m * m * m / 3.0
    }
}

pub fn geqrf<T: Scalar>(m: i64, n: i64) -> Call {
    begin_call::<T>(&GEQRF, qr_flops(m, n), m * n, || format!("m={m} n={n}"))
}

/// Q (m x n) from k reflectors: 4 m n k - 2 (m + n) k^2 + 4 k^3 / 3 flops.
pub fn orgqr<T: Scalar>(m: i64, n: i64, k: i64) -> Call {
    let (mf, nf, kf) = (m as f64, n as f64, k as f64);
    let flops = 4.0 * mf * nf * kf - 2.0 * (mf + nf) * kf * kf + 4.0 * kf * kf * kf / 3.0;
    begin_call::<T>(&ORGQR, flops, m * n, || format!("m={m} n={n} k={k}"))
}

/// op(Q) applied to an m x n matrix from k reflectors of length q: about 4 m n k flops.
pub fn ormqr<T: Scalar>(side: u8, trans: u8, m: i64, n: i64, k: i64) -> Call {
    let flops = 4.0 * m as f64 * n as f64 * k as f64;
    begin_call::<T>(&ORMQR, flops, m * n, || {
        format!("{}{} m={m} n={n} k={k}", side as char, trans as char)
    })
}

pub static TRTRS: Family = family!("TRTRS");
pub static TRTRI: Family = family!("TRTRI");
pub static GETRI: Family = family!("GETRI");
pub static POTRI: Family = family!("POTRI");
pub static LANGE: Family = family!("LANGE");
pub static LANSY: Family = family!("LANSY");
pub static LANHE: Family = family!("LANHE");

/// Inverses: n^3/3 (TRTRI), 4n^3/3 (GETRI), 2n^3/3 (POTRI).
pub fn inverse<T: Scalar>(family: &'static Family, n: i64) -> Call {
    let f = n as f64;
    let cube = f * f * f;
    let flops = if std::ptr::eq(family, &GETRI) {
        4.0 * cube / 3.0
    } else if std::ptr::eq(family, &POTRI) {
        2.0 * cube / 3.0
    } else {
        cube / 3.0
    };
    begin_call::<T>(family, flops, n * n, || format!("n={n}"))
}

pub fn trtrs<T: Scalar>(n: i64, nrhs: i64) -> Call {
    let f = n as f64;
    begin_call::<T>(&TRTRS, f * f * nrhs as f64, n * (n + nrhs), || {
        format!("n={n} nrhs={nrhs}")
    })
}

/// A norm reads every entry once.
pub fn norm<T: Scalar>(family: &'static Family, m: i64, n: i64) -> Call {
    begin_call::<T>(family, (m * n) as f64, m * n, || format!("m={m} n={n}"))
}

pub static GECON: Family = family!("GECON");
pub static POCON: Family = family!("POCON");
pub static TRCON: Family = family!("TRCON");

/// A condition estimate: up to about ten triangular solve pairs, 2 n^2 flops each.
pub fn condition<T: Scalar>(family: &'static Family, n: i64) -> Call {
    let f = n as f64;
    begin_call::<T>(family, 20.0 * f * f, n * n, || format!("n={n}"))
}

pub static GEQP3: Family = family!("GEQP3");

pub fn geqp3<T: Scalar>(m: i64, n: i64) -> Call {
    begin_call::<T>(&GEQP3, qr_flops(m, n), m * n, || format!("m={m} n={n}"))
}

// ----- LQ and RQ (xGELQF, xGERQF, xORGLQ/xUNGLQ, xORMLQ/xUNMLQ) -----

pub static GELQF: Family = family!("GELQF");
pub static GERQF: Family = family!("GERQF");
pub static ORGLQ: Family = Family::new(["SORGLQ", "DORGLQ", "CUNGLQ", "ZUNGLQ"]);
pub static ORMLQ: Family = Family::new(["SORMLQ", "DORMLQ", "CUNMLQ", "ZUNMLQ"]);

/// LQ or RQ of an m x n matrix: QR's count on the transpose.
pub fn lq_or_rq<T: Scalar>(family: &'static Family, m: i64, n: i64) -> Call {
    begin_call::<T>(family, qr_flops(m, n), m * n, || format!("m={m} n={n}"))
}

/// Q (m x n) from k row reflectors: ORGQR's count with m and n exchanged.
pub fn orglq<T: Scalar>(m: i64, n: i64, k: i64) -> Call {
    let (mf, nf, kf) = (m as f64, n as f64, k as f64);
    let flops = 4.0 * mf * nf * kf - 2.0 * (mf + nf) * kf * kf + 4.0 * kf * kf * kf / 3.0;
    begin_call::<T>(&ORGLQ, flops, m * n, || format!("m={m} n={n} k={k}"))
}

pub fn ormlq<T: Scalar>(side: u8, trans: u8, m: i64, n: i64, k: i64) -> Call {
    let flops = 4.0 * m as f64 * n as f64 * k as f64;
    begin_call::<T>(&ORMLQ, flops, m * n, || {
        format!("{}{} m={m} n={n} k={k}", side as char, trans as char)
    })
}

// ----- Least squares through QR/LQ, pivoted QR and the SVD (xGELS, xGELSY, xGELSS) -----

pub static GELS: Family = family!("GELS");
pub static GELSY: Family = family!("GELSY");
pub static GELSS: Family = family!("GELSS");

/// xGELS and xGELSY: the factorization plus applying Q and a triangular solve per
/// right-hand side.
pub fn gels<T: Scalar>(family: &'static Family, m: i64, n: i64, nrhs: i64) -> Call {
    let (big, small) = (m.max(n) as f64, m.min(n) as f64);
    let flops = qr_flops(m, n) + (4.0 * big * small + small * small) * nrhs as f64;
    begin_call::<T>(family, flops, m * n + m.max(n) * nrhs, || {
        format!("m={m} n={n} nrhs={nrhs}")
    })
}

/// xGELSS: xGELSD's count.
pub fn gelss<T: Scalar>(m: i64, n: i64, nrhs: i64) -> Call {
    let (big, small) = (m.max(n) as f64, m.min(n) as f64);
    let flops =
        4.0 * big * small * small + 8.0 * small * small * small + 4.0 * big * small * nrhs as f64;
    begin_call::<T>(&GELSS, flops, m * n + m.max(n) * nrhs, || {
        format!("m={m} n={n} nrhs={nrhs}")
    })
}

// ----- Generalized symmetric-definite eigenproblem (xSYGVD/xHEGVD, xSYGST/xHEGST) -----

pub static HEGVD: Family = Family::new(["SSYGVD", "DSYGVD", "CHEGVD", "ZHEGVD"]);
pub static HEGST: Family = Family::new(["SSYGST", "DSYGST", "CHEGST", "ZHEGST"]);

/// The reduction to standard form: two triangular products with n columns, 2 n^3.
pub fn hegst<T: Scalar>(n: i64) -> Call {
    let f = n as f64;
    begin_call::<T>(&HEGST, 2.0 * f * f * f, 2 * n * n, || format!("n={n}"))
}

/// Cholesky (n^3/3), reduction (2 n^3), the standard eigensolver and, with
/// eigenvectors, their back-transformation (n^3).
pub fn hegvd<T: Scalar>(vectors: bool, n: i64) -> Call {
    let f = n as f64;
    let solver = if vectors { 10.0 } else { 4.0 / 3.0 };
    let flops = (1.0 / 3.0 + 2.0 + solver) * f * f * f;
    begin_call::<T>(&HEGVD, flops, 2 * n * n, || {
        format!("n={n} vectors={vectors}")
    })
}

// ----- Selected eigenvalues (xSYEVR/xHEEVR) -----

pub static HEEVR: Family = Family::new(["SSYEVR", "DSYEVR", "CHEEVR", "ZHEEVR"]);

/// As xSYEVD: 4/3 n^3 for the tridiagonal reduction, about 9 n^3 with eigenvectors.
pub fn heevr<T: Scalar>(vectors: bool, n: i64) -> Call {
    heev::<T>(&HEEVR, vectors, n)
}

// ----- Hessenberg reduction (xGEHRD, xORGHR/xUNGHR) -----
pub static GEHRD: Family = family!("GEHRD");
/// ORGHR for real types, UNGHR for complex ones (LAPACK's names).
pub static ORGHR: Family = Family::new(["SORGHR", "DORGHR", "CUNGHR", "ZUNGHR"]);

/// LAPACK's count for xGEHRD: 10/3 nh^3 on the active block of order nh.
pub fn gehrd<T: Scalar>(ilo: i64, ihi: i64) -> Call {
    let nh = (ihi - ilo + 1) as f64;
    begin_call::<T>(
        &GEHRD,
        10.0 * nh * nh * nh / 3.0,
        (ihi - ilo + 1).pow(2),
        || format!("ilo={ilo} ihi={ihi}"),
    )
}

/// xORGHR generates Q of order nh = ihi - ilo as xORGQR does: 4/3 nh^3.
pub fn orghr<T: Scalar>(ilo: i64, ihi: i64) -> Call {
    let nh = (ihi - ilo) as f64;
    begin_call::<T>(&ORGHR, 4.0 * nh * nh * nh / 3.0, (ihi - ilo).pow(2), || {
        format!("ilo={ilo} ihi={ihi}")
    })
}

// ----- Schur factorization (xGEES) -----
pub static GEES: Family = family!("GEES");

/// LAPACK's estimate for xGEES: about 10 n^3, 15 n^3 with the Schur vectors.
pub fn gees<T: Scalar>(n: i64, vectors: bool) -> Call {
    let f = n as f64;
    let factor = if vectors { 15.0 } else { 10.0 };
    begin_call::<T>(&GEES, factor * f * f * f, n * n, || {
        format!("n={n} vectors={vectors}")
    })
}

// ----- Symmetric indefinite (Bunch-Kaufman) and pivoted Cholesky -----

pub static SYTRF: Family = family!("SYTRF");
pub static SYTRS: Family = family!("SYTRS");
pub static SYSV: Family = family!("SYSV");
// Hermitian: complex only; the real slots are never called (their names are SYTRF's).
pub static HETRF: Family = Family::new(["SSYTRF", "DSYTRF", "CHETRF", "ZHETRF"]);
pub static HETRS: Family = Family::new(["SSYTRS", "DSYTRS", "CHETRS", "ZHETRS"]);
pub static HESV: Family = Family::new(["SSYSV", "DSYSV", "CHESV", "ZHESV"]);
pub static PSTRF: Family = family!("PSTRF");

/// Bunch-Kaufman: n^3/3 flops to factor (SYTRF, HETRF, SYSV, HESV), plus 2 n^2 per
/// right-hand side solved (SYTRS, HETRS, SYSV, HESV).
pub fn sytrf<T: Scalar>(family: &'static Family, n: i64, nrhs: i64) -> Call {
    let f = n as f64;
    let solves = std::ptr::eq(family, &SYTRS) || std::ptr::eq(family, &HETRS);
    let factor = if solves { 0.0 } else { f * f * f / 3.0 };
    begin_call::<T>(
        family,
        factor + 2.0 * f * f * nrhs as f64,
        n * (n + nrhs),
        || format!("n={n} nrhs={nrhs}"),
    )
}

/// Pivoted Cholesky: at most n^3/3 flops (less when the rank is lower).
pub fn pstrf<T: Scalar>(n: i64) -> Call {
    let f = n as f64;
    begin_call::<T>(&PSTRF, f * f * f / 3.0, n * n, || format!("n={n}"))
}
