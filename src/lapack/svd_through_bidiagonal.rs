//! The SVD with vectors as LAPACK's xGESDD computes it for a matrix not far from square:
//! W = Q B P^H by our blocked bidiagonalization (`bidiagonal`, xGEBRD), B = Qb S Pb^T by
//! divide and conquer (`bidiagonal_svd`, xBDSDC), then U = Q Qb and V = P Pb by the
//! reflectors' blocked products (xORMBR through xORMQR). faer's SVD reduces to B one
//! column at a time, a sweep of the trailing matrix each (55% of dgesdd 2048, 67% of
//! 4096 on 2 cores).

use crate::blas::args::{Side, Trans};
use crate::lapack::bidiagonal::{self, Reflectors};
use crate::lapack::bidiagonal_qr;
use crate::lapack::bidiagonal_svd;
use crate::lapack::qr;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::{Mat, MatMut};

/// Reflectors applied a block at a time in the back-transformation: 128 for large
/// matrices (as in the symmetric eigensolver: longer products of U and V), 32 below
/// (forming a block's triangular factor costs about k^3 / 6 scalar steps: order 128 took
/// 1.3 ms with blocks of 128, 0.15 ms with 32).
fn block(k: usize) -> usize {
    if k >= 512 {
        128
    } else {
        32
    }
}

/// Bidiagonals of smaller order take their reflectors back one at a time (xORM2R):
/// there forming and applying a block's triangular factor costs more than it saves.
/// dgesdd on 2 cores, us, blocked / one at a time: 8 7.9 / 6.5, 16 22.2 / 20.6, 32 82 /
/// 78, 48 168 / 162; 64 298 / 317. The break-even lies between 48 and 64 (not measured
/// there); 48 itself, 4% faster one at a time, stays blocked.
const ONE_REFLECTOR_BELOW: usize = 48;

/// C := Q C for `dims` = (rows, columns of C, reflectors) of the bidiagonalization of
/// order k, in blocks or one reflector at a time by k.
///
/// # Safety
/// As `qr::ormqr` with side Left.
unsafe fn apply_q<T: Scalar>(
    k: usize,
    dims: (usize, usize, usize),
    a: RawMat<T>,
    tau: &[T],
    c: RawMat<T>,
) {
    if k < ONE_REFLECTOR_BELOW {
        qr::ormqr_unblocked(dims, a, tau, c)
    } else {
        qr::ormqr_in_blocks(block(k), Side::Left, Trans::No, dims, a, tau, c)
    }
}

/// Bidiagonals of smaller order are solved by the QR iteration (`bidiagonal_qr`), the
/// rest by divide and conquer: the QR iteration's n^2 sequential rotations are cheaper
/// than the merges below (dgesdd 64 on 2 cores: 0.30 ms against 0.31 with leaves of 32
/// and one merge, 0.41 with leaves of 16).
pub const QR_ITERATION_BELOW: usize = 112;

/// The SVD of `x` (m x n, double precision; consumed as the work space) = U diag(s)
/// V^H: returns s (descending) and writes U's first columns into `u_out` (m x min(m, n)
/// or m x m) and V's into `v_out` (n x min(m, n) or n x n), where given. None (outputs
/// untouched) when the bidiagonal SVD (QR iteration or divide and conquer) does not
/// converge.
pub fn svd<T: Scalar>(
    x: Mat<T>,
    u_out: Option<MatMut<'_, T>>,
    v_out: Option<MatMut<'_, T>>,
) -> Option<Vec<f64>> {
    let (m, n) = x.shape();
    let wide = m < n;
    // W = A (m >= n) or A^H: W's left vectors are A's right ones when `wide`.
    let mut w = if wide {
        let w = Mat::from_fn(n, m, |i, j| x[(j, i)].conj());
        drop(x);
        w
    } else {
        x
    };
    let (rows, k) = w.shape();
    let wm = RawMat::of_mat(&mut w);
    // SAFETY: W is rows x k, rows >= k.
    let Reflectors { d, e, tauq, taup } = unsafe { bidiagonal::gebrd(rows, k, wm) };
    let real = |v: &[T]| v.iter().map(|x| x.re().to_f64()).collect::<Vec<f64>>();
    let b = if k < QR_ITERATION_BELOW {
        bidiagonal_qr::svd(&real(&d), &real(&e))?
    } else {
        bidiagonal_svd::divide_and_conquer(&real(&d), &real(&e))?
    };

    let bidiagonal_svd::BidiagonalSvd { s, u: qb, v: pb } = b;
    let (left_out, right_out) = if wide { (v_out, u_out) } else { (u_out, v_out) };
    // The vectors are formed in the caller's storage (columns contiguous), each of the
    // bidiagonal's freed once used: the SVD's peak memory is n x n matrices fewer.
    if let Some(mut target) = left_out {
        // Q [Qb 0; 0 I]: as many columns as the caller wants.
        let cols = target.ncols();
        for j in 0..cols {
            for i in 0..rows {
                target[(i, j)] = match (i < k, j < k) {
                    (true, true) => T::from_f64_lossy(qb[i + j * k]),
                    (false, false) if i == j => T::one(),
                    _ => T::zero(),
                };
            }
        }
        // SAFETY: W's k reflectors have `rows` rows; `target` is rows x cols.
        unsafe {
            apply_q(k, (rows, cols, k), wm, &tauq, RawMat::of_view(&mut target));
        }
    }
    drop(qb);
    if let Some(mut target) = right_out {
        let cols = target.ncols();
        debug_assert!(target.nrows() == k && cols <= k);
        // P [Pb]: k x k, of which the caller wants `cols` columns.
        let mut own = Mat::<T>::zeros(if cols < k { k } else { 0 }, k);
        let mut right = if cols < k {
            own.as_mut()
        } else {
            target.as_mut()
        };
        for j in 0..k {
            for i in 0..k {
                right[(i, j)] = T::from_f64_lossy(pb[i + j * k]);
            }
        }
        drop(pb);
        if k > 1 {
            let mut basis = bidiagonal::right_reflectors(&w, k);
            // SAFETY: k - 1 reflectors of k - 1 rows applied to rows 1..k of `right`.
            unsafe {
                apply_q(
                    k,
                    (k - 1, k, k - 1),
                    RawMat::of_mat(&mut basis),
                    &taup[..k - 1],
                    RawMat::of_view(&mut right).at(1, 0),
                );
            }
        }
        if cols < k {
            target.copy_from(own.subcols(0, cols));
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::lapack::singular_values;
    use crate::scalar::c64;
    use faer::Par;

    fn from_values<T: Scalar>(m: usize, n: usize, seed: u64) -> Mat<T> {
        let v = values::<T>(m * n, seed);
        Mat::from_fn(m, n, |i, j| v[i + j * m])
    }

    fn times<T: Scalar>(a: &Mat<T>, b: &Mat<T>, adjoint_b: bool) -> Mat<T> {
        let (m, inner) = a.shape();
        let n = if adjoint_b { b.nrows() } else { b.ncols() };
        Mat::from_fn(m, n, |i, j| {
            (0..inner).fold(T::zero(), |acc, l| {
                acc + a[(i, l)]
                    * if adjoint_b {
                        b[(j, l)].conj()
                    } else {
                        b[(l, j)]
                    }
            })
        })
    }

    fn largest<T: Scalar>(a: &Mat<T>) -> f64 {
        (0..a.ncols())
            .flat_map(|j| (0..a.nrows()).map(move |i| (i, j)))
            .fold(0.0f64, |x, (i, j)| x.max(a[(i, j)].modulus().to_f64()))
    }

    /// ||I - X^H X||_max / (rows eps).
    fn orthogonality<T: Scalar>(x: &Mat<T>) -> f64 {
        let xh = Mat::from_fn(x.ncols(), x.nrows(), |i, j| x[(j, i)].conj());
        let mut g = times(&xh, x, false);
        for i in 0..g.nrows() {
            g[(i, i)] -= T::one();
        }
        largest(&g) / (x.nrows() as f64 * f64::EPSILON)
    }

    /// The SVD of `a` for thin and full vectors: A = U S V^H within 10 max(m, n) eps
    /// ||A||_max entrywise, U and V orthonormal within 10 of their order times eps, S
    /// descending and equal to dqds's values within 10 k eps ||S||.
    fn check<T: Scalar>(a: &Mat<T>, what: &str) {
        let (m, n) = a.shape();
        let k = m.min(n);
        let reference = if m >= n {
            singular_values::of_tall(a.clone().as_mut(), Par::Seq)
        } else {
            singular_values::of_tall(
                Mat::from_fn(n, m, |i, j| a[(j, i)].conj()).as_mut(),
                Par::Seq,
            )
        }
        .expect("dqds");
        let scale = largest(a).max(f64::MIN_POSITIVE);
        for full in [false, true] {
            let (uc, vc) = if full { (m, n) } else { (k, k) };
            let mut u = Mat::<T>::zeros(m, uc);
            let mut v = Mat::<T>::zeros(n, vc);
            let s = svd(a.clone(), Some(u.as_mut()), Some(v.as_mut()))
                .unwrap_or_else(|| panic!("{what}: no result"));
            assert!(s.windows(2).all(|w| w[0] >= w[1]), "{what}: order");
            let top = s[0].max(f64::MIN_POSITIVE);
            for (x, y) in s.iter().zip(&reference) {
                let diff = (x - y.to_f64()).abs() / (k as f64 * f64::EPSILON * top);
                assert!(
                    diff < 10.0,
                    "{what}: value {x} against {}: {diff}",
                    y.to_f64()
                );
            }
            let us = Mat::from_fn(m, k, |i, j| u[(i, j)] * T::from_f64_lossy(s[j]));
            let vk = Mat::from_fn(n, k, |i, j| v[(i, j)]);
            let product = times(&us, &vk, true);
            let r = Mat::from_fn(m, n, |i, j| a[(i, j)] - product[(i, j)]);
            let residual = largest(&r) / (m.max(n) as f64 * f64::EPSILON * scale);
            let (ou, ov) = (orthogonality(&u), orthogonality(&v));
            assert!(
                residual < 10.0 && ou < 10.0 && ov < 10.0,
                "{what} (full {full}): residual {residual}, U {ou}, V {ov}"
            );
        }
    }

    fn shapes<T: Scalar>() {
        // Bidiagonals of order 8-150: the QR iteration below QR_ITERATION_BELOW, divide
        // and conquer from it.
        for (m, n) in [
            (180, 180),
            (210, 150),
            (150, 210),
            (8, 8),
            (12, 9),
            (10, 16),
            (17, 17),
            (60, 45),
            (40, 70),
        ] {
            let kind = if T::IS_COMPLEX { "complex" } else { "real" };
            check(
                &from_values::<T>(m, n, 11),
                &format!("{kind} random {m}x{n}"),
            );
            // Rank k/2: half the values zero to working precision.
            let r = m.min(n) / 2;
            let (x, y) = (from_values::<T>(m, r, 12), from_values::<T>(n, r, 13));
            check(&times(&x, &y, true), &format!("{kind} rank {r} {m}x{n}"));
            // Clustered: identity plus a tiny perturbation.
            let mut c = from_values::<T>(m, n, 14);
            for j in 0..n {
                for i in 0..m {
                    c[(i, j)] = c[(i, j)] * T::from_f64_lossy(1e-10)
                        + if i == j { T::one() } else { T::zero() };
                }
            }
            check(&c, &format!("{kind} clustered {m}x{n}"));
            // Graded columns over 20 orders of magnitude.
            let g = from_values::<T>(m, n, 15);
            let g = Mat::from_fn(m, n, |i, j| {
                g[(i, j)] * T::from_f64_lossy(10f64.powf(-20.0 * j as f64 / n as f64))
            });
            check(&g, &format!("{kind} graded {m}x{n}"));
            check(&Mat::<T>::zeros(m, n), &format!("{kind} zero {m}x{n}"));
        }
    }

    #[test]
    fn real_and_complex_matrices_of_every_kind() {
        shapes::<f64>();
        shapes::<c64>();
    }
}
