//! xGELSD's full-rank path: W = U_h B V_h^H by faer's Householder bidiagonalization, the
//! singular values of B by dqds (xLASQ1, see `singular_values`), and, when none of them is
//! negligible, the solution by one bidiagonal substitution between the two Householder
//! sequences. Like LAPACK's xLALSD, it forms no singular vectors (the thin-SVD path costs
//! about three times the flops); a rank-deficient or nearly so matrix is left to the SVD.

use crate::blas::level3;
use crate::lapack::raw::RawMat;
use crate::lapack::singular_values::{self, of_bidiagonal, Bidiagonal};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::householder::{
    apply_block_householder_sequence_on_the_left_in_place_scratch as apply_scratch,
    apply_block_householder_sequence_on_the_left_in_place_with_conj as apply,
    apply_block_householder_sequence_transpose_on_the_left_in_place_scratch as apply_transpose_scratch,
    apply_block_householder_sequence_transpose_on_the_left_in_place_with_conj as apply_transpose,
};
use faer::{Conj, Mat, Par};

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
    par: Par,
) -> Option<Vec<T::RealPart>> {
    let (rows, k) = w.shape();
    if k == 0 || rows < k {
        return None;
    }
    let block = singular_values::block_size::<T>(rows, k);
    let scratch = singular_values::bidiagonalize_scratch::<T>(rows, k, par)
        .or(apply_scratch::<T>(rows, block, nrhs))
        .or(apply_transpose_scratch::<T>(rows, block, nrhs));
    let mut buffer = MemBuffer::new(scratch);
    let stack = MemStack::new(&mut buffer);
    let Bidiagonal { left, right, d, e } = singular_values::bidiagonalize(&mut w, par, stack);

    let s = of_bidiagonal::<T>(&d, &e)?;
    let (largest, smallest) = (s[0], s[k - 1]);
    // B carries the bidiagonalization's error, a few k ulps of the largest value (and so
    // would xSTERF's fallback): keep clear of it.
    let noise = T::RealPart::epsilon() * T::RealPart::from_f64(4.0 * k as f64) * largest;
    if !(smallest > threshold(largest) && smallest > noise) {
        return None;
    }

    // V_h's reflectors, stored along W's rows right of the diagonal, as columns.
    let right_basis =
        Mat::<T>::from_fn(
            k - 1,
            k - 1,
            |i, j| {
                if i >= j {
                    w[(j, i + 1)]
                } else {
                    T::zero()
                }
            },
        );
    let mut c = level3::view_mut(b.ptr, rows, nrhs, b.ld);
    if !wide {
        // X = V_h B^-1 (U_h^H B)(1:k).
        apply_transpose(w.as_ref(), left.as_ref(), Conj::Yes, c.as_mut(), par, stack);
        for j in 0..nrhs {
            let mut next = c[(k - 1, j)].quotient(d[k - 1]);
            c[(k - 1, j)] = next;
            for i in (0..k - 1).rev() {
                next = (c[(i, j)] - e[i] * next).quotient(d[i]);
                c[(i, j)] = next;
            }
        }
        if k > 1 {
            let tail = c.as_mut().subrows_mut(1, k - 1);
            apply(
                right_basis.as_ref(),
                right.as_ref(),
                Conj::Yes,
                tail,
                par,
                stack,
            );
        }
    } else {
        // A = V_h B^H U_h^H: X = U_h [B^-H V_h^H B; 0].
        if k > 1 {
            let tail = c.as_mut().subrows_mut(1, k - 1);
            apply_transpose(
                right_basis.as_ref(),
                right.as_ref(),
                Conj::No,
                tail,
                par,
                stack,
            );
        }
        for j in 0..nrhs {
            let mut previous = c[(0, j)].quotient(d[0].conj());
            c[(0, j)] = previous;
            for i in 1..k {
                previous = (c[(i, j)] - e[i - 1].conj() * previous).quotient(d[i].conj());
                c[(i, j)] = previous;
            }
        }
        apply(w.as_ref(), left.as_ref(), Conj::No, c.as_mut(), par, stack);
    }
    Some(s)
}
