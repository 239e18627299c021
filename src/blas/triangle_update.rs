//! C's upper or lower triangle += alpha * L * R (L n x k, R k x n), writing nothing
//! outside that triangle: the product behind complex SYRK/HERK/SYR2K/HER2K and the
//! symmetric-indefinite factorizations' diagonal blocks.
//!
//! faer's triangular matmul (`BlockStructure::TriangularLower/Upper` destination) wrote
//! entries across the diagonal for complex f64 on AVX2 machines (faer 0.24: rows 2-3 of
//! each 4 x 4 diagonal tile's first column, e.g. ZHERK 'U' n = 8 changed C(3, 1) and
//! C(4, 1), 1-based); reference BLAS must leave the other triangle as it was. Here the
//! triangle is halved recursively: each off-diagonal block is one rectangular product in
//! place; diagonal blocks up to order 128 go through faer's triangular product on a
//! scratch copy, whose triangle is copied back. Real types keep faer's product in place.

use crate::scalar::Scalar;
use faer::linalg::matmul::matmul_with_conj;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::{Accum, Conj, Mat, MatMut, MatRef};

/// Diagonal blocks of at most this order are computed in scratch.
const SCRATCH_ORDER: usize = 128;

/// C's `lower` (else upper) triangle := alpha * op(L) * op(R) (`accum` Replace: C's
/// triangle is not read) or += it (Add), where op conjugates when `cl` / `cr` say so; C
/// is n x n, L n x k, R k x n. Entries of the other strict triangle are neither read nor
/// written. Real types go to faer's triangular product in place (right there); complex
/// ones through the recursive halves.
pub fn add_product<T: Scalar>(
    mut c: MatMut<'_, T>,
    lower: bool,
    l: (MatRef<'_, T>, Conj),
    r: (MatRef<'_, T>, Conj),
    alpha: T,
    accum: Accum,
) {
    if !T::IS_COMPLEX {
        return triangular_product(c, lower, l, r, alpha, accum);
    }
    if accum == Accum::Replace {
        let n = c.nrows();
        for j in 0..n {
            for i in triangle_rows(lower, j, n) {
                c[(i, j)] = T::zero();
            }
        }
    }
    add_by_halves(c, lower, l, r, alpha);
}

/// The rows of column j inside the triangle of an n x n matrix.
fn triangle_rows(lower: bool, j: usize, n: usize) -> std::ops::Range<usize> {
    if lower {
        j..n
    } else {
        0..j + 1
    }
}

/// faer's triangular product (half the flops of a square one) straight into C.
fn triangular_product<T: Scalar>(
    c: MatMut<'_, T>,
    lower: bool,
    (l, cl): (MatRef<'_, T>, Conj),
    (r, cr): (MatRef<'_, T>, Conj),
    alpha: T,
    accum: Accum,
) {
    let n = c.nrows();
    let structure = if lower {
        BlockStructure::TriangularLower
    } else {
        BlockStructure::TriangularUpper
    };
    let rect = BlockStructure::Rectangular;
    let par = crate::threads::par_for((n * n * l.ncols()) as f64);
    crate::threads::for_rayon(par, move || {
        triangular::matmul_with_conj(c, structure, accum, l, rect, cl, r, rect, cr, alpha, par)
    });
}

/// [`add_product`]'s Add for complex types: each off-diagonal block one rectangular
/// product in place, diagonal blocks up to [`SCRATCH_ORDER`] through
/// [`triangular_product`] on a copy whose triangle alone comes back.
fn add_by_halves<T: Scalar>(
    mut c: MatMut<'_, T>,
    lower: bool,
    (l, cl): (MatRef<'_, T>, Conj),
    (r, cr): (MatRef<'_, T>, Conj),
    alpha: T,
) {
    let n = c.nrows();
    if n == 0 {
        return;
    }
    if n <= SCRATCH_ORDER {
        let mut block = Mat::<T>::zeros(n, n);
        for j in 0..n {
            for i in triangle_rows(lower, j, n) {
                block[(i, j)] = c[(i, j)];
            }
        }
        triangular_product(block.as_mut(), lower, (l, cl), (r, cr), alpha, Accum::Add);
        for j in 0..n {
            for i in triangle_rows(lower, j, n) {
                c[(i, j)] = block[(i, j)];
            }
        }
        return;
    }
    let half = n / 2;
    let (c11, c12, c21, c22) = c.split_at_mut(half, half);
    let (l1, l2) = l.split_at_row(half);
    let (r1, r2) = r.split_at_col(half);
    add_by_halves(c11, lower, (l1, cl), (r1, cr), alpha);
    add_by_halves(c22, lower, (l2, cl), (r2, cr), alpha);
    let (off, lo, ro) = if lower { (c21, l2, r1) } else { (c12, l1, r2) };
    let par = crate::threads::par_for((off.nrows() * off.ncols() * l.ncols()) as f64);
    crate::threads::for_rayon(par, move || {
        matmul_with_conj(off, Accum::Add, lo, cl, ro, cr, alpha, par)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, c64};

    /// Against a plain triple loop, both triangles, conjugations, orders across the
    /// recursion's cut; the other triangle must keep its marker.
    fn matches_plain_sums<T: Scalar>() {
        let mut seed = 0;
        let mut value = move || {
            seed += 1;
            values::<T>(1, seed)[0]
        };
        let marker = T::from_f64_lossy(12345.0);
        for &(n, k) in &[
            (1, 1),
            (3, 2),
            (8, 3),
            (17, 16),
            (33, 5),
            (70, 40),
            (131, 9),
        ] {
            for lower in [false, true] {
                for (cl, cr) in [
                    (Conj::No, Conj::No),
                    (Conj::No, Conj::Yes),
                    (Conj::Yes, Conj::No),
                ] {
                    let l = Mat::<T>::from_fn(n, k, |_, _| value());
                    let r = Mat::<T>::from_fn(k, n, |_, _| value());
                    let c0 = Mat::<T>::from_fn(n, n, |i, j| {
                        if (i > j) == lower || i == j {
                            value()
                        } else {
                            marker
                        }
                    });
                    let alpha = value();
                    let mut c = c0.clone();
                    add_product(
                        c.as_mut(),
                        lower,
                        (l.as_ref(), cl),
                        (r.as_ref(), cr),
                        alpha,
                        Accum::Add,
                    );
                    let op = |x: T, conj: Conj| {
                        if conj == Conj::Yes {
                            Scalar::conj(x)
                        } else {
                            x
                        }
                    };
                    let eps = T::RealPart::epsilon().to_f64();
                    for j in 0..n {
                        for i in 0..n {
                            let inside = if lower { i >= j } else { i <= j };
                            if !inside {
                                assert!(
                                    c[(i, j)] == marker,
                                    "{n}x{k} lower={lower}: ({i}, {j}) written"
                                );
                                continue;
                            }
                            let mut sum = T::zero();
                            for p in 0..k {
                                sum += op(l[(i, p)], cl) * op(r[(p, j)], cr);
                            }
                            let want = c0[(i, j)] + alpha * sum;
                            let err = (c[(i, j)] - want).modulus().to_f64();
                            assert!(
                                err <= 4.0 * (k as f64 + 2.0) * eps,
                                "{n}x{k}: ({i}, {j}) off by {err}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn triangle_update_matches_plain_sums_and_stays_inside() {
        matches_plain_sums::<c64>();
        matches_plain_sums::<c32>();
        matches_plain_sums::<f64>();
    }
}
