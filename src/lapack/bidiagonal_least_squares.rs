//! xGELSD's full-rank path: W = Q B P^H by our Householder bidiagonalization (xGEBRD,
//! `bidiagonal`), the singular values of B by dqds (xLASQ1, see `singular_values`), and,
//! when none of them is negligible, the solution by one bidiagonal substitution between
//! the two Householder sequences (xORMBR's products, through xORMQR). Like LAPACK's
//! xLALSD, it forms no singular vectors (the thin-SVD path costs about three times the
//! flops); a rank-deficient or nearly so matrix is left to the SVD.

use crate::blas::args::{Side, Trans};
use crate::lapack::bidiagonal::{self, Reflectors};
use crate::lapack::qr;
use crate::lapack::raw::RawMat;
use crate::lapack::singular_values::of_bidiagonal;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::Mat;

/// Minimum-norm least squares through W, which is A (m >= n, or its triangle R after a
/// QR) or A^H (`wide`: m < n), k = W's column count. B holds W's row count of rows: the
/// right-hand sides, rows k.. zero when `wide`; on success its first rows hold X (n rows;
/// for a tall W rows k.. then hold the residual's components, as LAPACK leaves them).
/// Returns the k singular values, descending, or None (B untouched) when the smallest is
/// not clearly above `threshold(largest)`: the caller then solves through the SVD.
///
/// # Safety
/// `b` valid for W's row count x nrhs.
pub unsafe fn solve_full_rank<T: Scalar>(
    mut w: Mat<T>,
    wide: bool,
    b: RawMat<T>,
    nrhs: usize,
    threshold: impl Fn(T::RealPart) -> T::RealPart,
) -> Option<Vec<T::RealPart>> {
    let (rows, k) = w.shape();
    if k == 0 || rows < k {
        return None;
    }
    let wm = RawMat::of_mat(&mut w);
    let Reflectors { d, e, tauq, taup } = bidiagonal::gebrd(rows, k, wm);

    let s = of_bidiagonal::<T>(&d, &e)?;
    let (largest, smallest) = (s[0], s[k - 1]);
    // B carries the bidiagonalization's error, a few k ulps of the largest value (and so
    // would xSTERF's fallback): keep clear of it.
    let noise = T::RealPart::epsilon() * T::RealPart::from_f64(4.0 * k as f64) * largest;
    if !(smallest > threshold(largest) && smallest > noise) {
        return None;
    }

    // P's reflectors as a QR factor on rows 1..k (none when k = 1).
    let mut right_basis = if k > 1 {
        bidiagonal::right_reflectors(&w, k)
    } else {
        Mat::new()
    };
    let basis = RawMat::of_mat(&mut right_basis);
    let right = |trans: Trans, c: RawMat<T>| {
        if k > 1 {
            qr::ormqr(
                Side::Left,
                trans,
                (k - 1, nrhs, k - 1),
                basis,
                &taup[..k - 1],
                c.at(1, 0),
            );
        }
    };
    let left = |trans: Trans, c: RawMat<T>| {
        qr::ormqr(Side::Left, trans, (rows, nrhs, k), wm, &tauq, c);
    };
    if !wide {
        // W = Q B P^H: X = P B^-1 (Q^H B)(1:k).
        left(Trans::ConjTrans, b);
        for j in 0..nrhs {
            let mut next = b.get(k - 1, j).quotient(d[k - 1]);
            b.set(k - 1, j, next);
            for i in (0..k - 1).rev() {
                next = (b.get(i, j) - e[i] * next).quotient(d[i]);
                b.set(i, j, next);
            }
        }
        right(Trans::No, b);
    } else {
        // A = W^H = P B^T Q^H (B is real): X = Q [B^-T P^H B; 0].
        right(Trans::ConjTrans, b);
        for j in 0..nrhs {
            let mut previous = b.get(0, j).quotient(d[0]);
            b.set(0, j, previous);
            for i in 1..k {
                previous = (b.get(i, j) - e[i - 1] * previous).quotient(d[i]);
                b.set(i, j, previous);
            }
        }
        left(Trans::No, b);
    }
    Some(s)
}
