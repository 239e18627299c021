//! The opt-in numerical checks (`LAPACK_AI_CHECK=nan,cond`) as the LAPACK entry points
//! call them: a NaN/Inf scan of the input matrices, and the condition estimate after a
//! factorization or solve (the 1-norm of A is taken before the factorization overwrites
//! it). Each entry tests `nan_check::enabled()` / `cond_check::enabled()` first, so with
//! the checks off nothing here runs.

use crate::blas::args::{Diag, Uplo};
use crate::diag::cond_check::{self, Consequence};
use crate::diag::nan_check::{self, Operand};
use crate::lapack::condition;
use crate::lapack::norms::{self, Norm, Shape};
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use crate::telemetry::Family;

/// Scans `operands` of `family`'s `T` routine for NaN/Inf when the check is on.
///
/// # Safety
/// The entries each operand describes are readable.
pub unsafe fn scan_inputs<T: Scalar>(family: &'static Family, operands: &[Operand<T>]) {
    nan_check::scan(family.of::<T>().name(), operands);
}

/// The 1-norm of the n x n matrix `a` stored as `shape`, taken before a factorization
/// when the condition check is on (None otherwise, for an empty matrix, or when A holds
/// a NaN or Inf: the NaN check names that cause).
///
/// # Safety
/// `a` valid for the entries `shape` reads.
pub unsafe fn norm_before<T: Scalar>(n: i64, a: RawMat<T>, shape: Shape) -> Option<T::RealPart> {
    if !cond_check::enabled() || n <= 0 {
        return None;
    }
    let anorm = norms::norm(Norm::One, shape, (n as usize, n as usize), a);
    anorm.to_f64().is_finite().then_some(anorm)
}

/// After an LU factorization (INFO = 0) of a matrix of 1-norm `anorm`: GECON, warning.
///
/// # Safety
/// `a` holds the n x n LU factors.
pub unsafe fn after_lu<T: Scalar>(
    family: &'static Family,
    n: i64,
    a: RawMat<T>,
    anorm: Option<T::RealPart>,
    consequence: Consequence,
) {
    if let Some(anorm) = anorm {
        let mut work = vec![T::zero(); 2 * n as usize];
        let rcond = condition::gecon(true, n as usize, a, anorm, work.as_mut_ptr());
        cond_check::check::<T>(family.of::<T>().name(), rcond.to_f64(), consequence);
    }
}

/// After a Cholesky factorization (INFO = 0): POCON, warning.
///
/// # Safety
/// `a` holds the n x n Cholesky factor in its `uplo` triangle.
pub unsafe fn after_cholesky<T: Scalar>(
    family: &'static Family,
    (uplo, n): (Uplo, i64),
    a: RawMat<T>,
    anorm: Option<T::RealPart>,
    consequence: Consequence,
) {
    if let Some(anorm) = anorm {
        let mut work = vec![T::zero(); 2 * n as usize];
        let rcond = condition::pocon(uplo, n as usize, a, anorm, work.as_mut_ptr());
        cond_check::check::<T>(family.of::<T>().name(), rcond.to_f64(), consequence);
    }
}

/// After a triangular solve or a QR factorization (R upper): TRCON, warning, when the
/// condition check is on.
///
/// # Safety
/// `a` holds the n x n triangle.
pub unsafe fn after_triangular<T: Scalar>(
    family: &'static Family,
    (uplo, diag, n): (Uplo, Diag, i64),
    a: RawMat<T>,
    consequence: Consequence,
) {
    if !cond_check::enabled() || n <= 0 {
        return;
    }
    let shape = Shape::Triangular(uplo, diag);
    if !norms::norm(Norm::One, shape, (n as usize, n as usize), a)
        .to_f64()
        .is_finite()
    {
        return; // a NaN or Inf: the NaN check names it
    }
    let mut work = vec![T::zero(); 2 * n as usize];
    let rcond = condition::trcon(true, uplo, diag, n as usize, a, work.as_mut_ptr());
    cond_check::check::<T>(family.of::<T>().name(), rcond.to_f64(), consequence);
}

/// After a least-squares solve through the SVD: smallest / largest singular value.
///
/// # Safety
/// `s` holds `k` singular values in decreasing order.
pub unsafe fn after_svd_solve<T: Scalar>(family: &'static Family, s: *const T::RealPart, k: usize) {
    if !cond_check::enabled() || k == 0 {
        return;
    }
    let (largest, smallest) = ((*s).to_f64(), (*s.add(k - 1)).to_f64());
    let rcond = if largest > 0.0 {
        smallest / largest
    } else {
        0.0
    };
    cond_check::check::<T>(family.of::<T>().name(), rcond, Consequence::RankDeficient);
}
