//! Eigenvectors of a complex Schur form (LAPACK's xTREVC for complex types with HOWMNY =
//! 'A', before the back-transformation): for an upper triangular T, the upper triangular
//! X with T X = X diag(T). Column k is the vector of T(k, k), scaled to largest
//! component 1 in the |re| + |im| sense.
//!
//! The back-substitution keeps LAPACK's safeguards: a pivot T(j, j) - T(k, k) smaller
//! than smin (a few ulps of T(k, k)) is raised to smin, so equal or close eigenvalues
//! still give a vector, and the vector is scaled down whenever the next step could
//! overflow. Left vectors are the conjugated right vectors of the reversed transpose.

use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Right eigenvectors of the n x n upper triangular `t` into `x` (n x n, overwritten,
/// upper triangular; entries below T's diagonal are not read).
///
/// # Safety
/// `t` and `x` valid for n x n, not overlapping, `x` with contiguous columns.
pub unsafe fn right<T: Scalar>(n: usize, t: RawMat<T>, x: RawMat<T>) {
    let (zero, one) = (T::RealPart::zero(), T::RealPart::one());
    let ulp = T::RealPart::epsilon() * T::RealPart::from_f64(2.0);
    let smlnum = T::RealPart::safe_min() * (T::RealPart::from_f64(n as f64) / ulp);
    let bignum = (one - ulp) / smlnum;
    // |T(0..j, j)|_1 per column: how much an entry of size y can add above it.
    let column_norms: Vec<T::RealPart> = (0..n)
        .map(|j| (0..j).fold(zero, |s, i| s + t.get(i, j).abs1()))
        .collect();
    for j in 0..n {
        let column = std::slice::from_raw_parts_mut(x.at(0, j).ptr, n);
        column.fill(T::zero());
    }
    for k in 0..n {
        let lambda = t.get(k, k);
        let smin = (ulp * lambda.abs1()).max(smlnum);
        let v = std::slice::from_raw_parts_mut(x.at(0, k).ptr, k + 1);
        v[k] = T::one();
        for (i, entry) in v[..k].iter_mut().enumerate() {
            *entry = -t.get(i, k);
        }
        for j in (0..k).rev() {
            let mut d = t.get(j, j) - lambda;
            if d.abs1() < smin {
                d = T::from_real(smin);
            }
            // Scale when |v(j)| > 1 would give |v(j) / d| > bignum.
            let (size, pivot) = (v[j].abs1(), d.abs1());
            if pivot < one && size > one && size > bignum * pivot {
                scale(v, one / size);
            }
            let mut y = v[j].quotient(d);
            // Scale when the update of the entries above could overflow.
            let ysize = y.abs1();
            if ysize > one && column_norms[j] > bignum / ysize {
                let s = one / ysize;
                scale(v, s);
                y *= T::from_real(s);
            }
            v[j] = y;
            let column = std::slice::from_raw_parts(t.at(0, j).ptr, j);
            for (entry, &tij) in v[..j].iter_mut().zip(column) {
                *entry -= y * tij;
            }
        }
        let big = v.iter().fold(zero, |m, e| m.max(e.abs1()));
        scale(v, one / big);
    }
}

/// Left eigenvectors (u^H T = T(k, k) u^H) of the n x n upper triangular `t` into `x`
/// (n x n, lower triangular), scaled as [`right`]'s.
///
/// # Safety
/// As [`right`].
pub unsafe fn left<T: Scalar>(n: usize, t: RawMat<T>, x: RawMat<T>) {
    // With P the reversal, T' = P T^T P is upper triangular with T(k, k) at n - 1 - k;
    // its right vector y there gives T^T (P y) = T(k, k) (P y), so u = conj(P y).
    let mut reversed = vec![T::zero(); n * n];
    let r = RawMat::new(reversed.as_mut_ptr(), n);
    for j in 0..n {
        for i in 0..=j {
            r.set(i, j, t.get(n - 1 - j, n - 1 - i));
        }
    }
    let mut y = vec![T::zero(); n * n];
    let ry = RawMat::new(y.as_mut_ptr(), n);
    right(n, r, ry);
    for k in 0..n {
        for i in 0..n {
            x.set(i, k, ry.get(n - 1 - i, n - 1 - k).conj());
        }
    }
}

fn scale<T: Scalar>(v: &mut [T], s: T::RealPart) {
    let s = T::from_real(s);
    v.iter_mut().for_each(|e| *e *= s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::reals;
    use crate::scalar::c64;

    /// A pseudo-random upper triangular n x n matrix (column-major, ld n).
    fn triangular(n: usize, seed: u64) -> Vec<c64> {
        let parts = reals(2 * n * n, seed);
        (0..n * n)
            .map(|k| {
                let (i, j) = (k % n, k / n);
                if i <= j {
                    c64::new(parts[2 * k], parts[2 * k + 1])
                } else {
                    c64::new(0.0, 0.0)
                }
            })
            .collect()
    }

    /// max over k of ||op(T) v - mu v||_1 / (||T||_1 ||v||_1 ulp), op = T or T^H with
    /// mu = T(k, k) or its conjugate.
    fn residual(n: usize, t: &[c64], x: &[c64], left: bool) -> f64 {
        let op = |i: usize, j: usize| {
            if left {
                t[j + i * n].conj()
            } else {
                t[i + j * n]
            }
        };
        let norm = (0..n)
            .map(|j| (0..n).map(|i| t[i + j * n].abs1()).sum::<f64>())
            .fold(0.0, f64::max);
        let mut worst: f64 = 0.0;
        for k in 0..n {
            let lambda = t[k + k * n];
            let mu = if left { lambda.conj() } else { lambda };
            let v = &x[k * n..(k + 1) * n];
            let mut r = 0.0;
            for i in 0..n {
                let s: c64 = (0..n).map(|j| op(i, j) * v[j]).sum();
                r += (s - mu * v[i]).abs1();
            }
            let size: f64 = v.iter().map(|e| e.abs1()).sum();
            assert!(size > 0.0, "zero vector {k}");
            worst = worst.max(r / (norm * size * f64::EPSILON));
        }
        worst
    }

    fn vectors(n: usize, t: &mut [c64], left_side: bool) -> Vec<c64> {
        let mut x = vec![c64::new(f64::NAN, 0.0); n * n];
        let (tm, xm) = (
            RawMat::new(t.as_mut_ptr(), n),
            RawMat::new(x.as_mut_ptr(), n),
        );
        unsafe {
            if left_side {
                left(n, tm, xm)
            } else {
                right(n, tm, xm)
            }
        };
        x
    }

    #[test]
    fn vectors_of_random_triangles_have_small_residuals_and_shape() {
        for (n, seed) in [(1, 1), (2, 2), (5, 3), (17, 4), (64, 5)] {
            let mut t = triangular(n, seed);
            for left_side in [false, true] {
                let x = vectors(n, &mut t, left_side);
                let worst = residual(n, &t, &x, left_side);
                assert!(
                    worst < 10.0 * n as f64,
                    "n = {n}, left = {left_side}: {worst}"
                );
                for k in 0..n {
                    let v = &x[k * n..(k + 1) * n];
                    let big = v.iter().fold(0.0f64, |m, e| m.max(e.abs1()));
                    assert!((big - 1.0).abs() < 4.0 * f64::EPSILON, "column {k}");
                    // Right vectors upper triangular, left ones lower.
                    let outside = |i: usize| if left_side { i < k } else { i > k };
                    assert!((0..n)
                        .filter(|&i| outside(i))
                        .all(|i| v[i] == c64::new(0.0, 0.0)));
                }
            }
        }
    }

    #[test]
    fn equal_eigenvalues_give_finite_vectors() {
        // A Jordan block: every eigenvalue 2 + i, one eigenvector direction.
        let n = 6;
        let mut t = vec![c64::new(0.0, 0.0); n * n];
        for i in 0..n {
            t[i + i * n] = c64::new(2.0, 1.0);
            if i + 1 < n {
                t[i + (i + 1) * n] = c64::new(1.0, 0.0);
            }
        }
        for left_side in [false, true] {
            let x = vectors(n, &mut t, left_side);
            assert!(x.iter().all(|v| v.re.is_finite() && v.im.is_finite()));
        }
    }

    #[test]
    fn growth_is_scaled_not_overflowed() {
        // Nearly equal eigenvalues and huge couplings: unscaled substitution overflows.
        let n = 8;
        let mut t = vec![c64::new(0.0, 0.0); n * n];
        for j in 0..n {
            t[j + j * n] = c64::new(1.0 + j as f64 * 1e-15, 0.0);
            for i in 0..j {
                t[i + j * n] = c64::new(1e200, -1e200);
            }
        }
        for left_side in [false, true] {
            let x = vectors(n, &mut t, left_side);
            assert!(
                x.iter().all(|v| v.re.is_finite() && v.im.is_finite()),
                "{x:?}"
            );
        }
    }
}
