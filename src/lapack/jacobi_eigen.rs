//! Cyclic two-sided Jacobi for small Hermitian matrices: eigenvalues as accurate as
//! the matrix's own entries allow, rotations stopped only when every off-diagonal
//! entry is negligible relative to its two diagonal entries. Double precision only
//! (single precision is widened before it gets here).

use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::Mat;

/// The largest n that takes the Jacobi path.
pub const MAX_JACOBI: usize = 16;

fn real<T: Scalar>(x: f64) -> T {
    T::from_real(<T::RealPart as Scalar>::from_f64_lossy(x))
}

/// Eigenvalues (ascending) and eigenvectors (columns, in that order) of the Hermitian
/// matrix whose lower triangle is stored in `h`.
pub fn evd<T: Scalar>(h: &Mat<T>) -> (Vec<f64>, Mat<T>) {
    let n = h.nrows();
    let mut a = Mat::<T>::from_fn(n, n, |i, j| {
        if i > j {
            h[(i, j)]
        } else if i < j {
            h[(j, i)].conj()
        } else {
            T::from_real(h[(i, i)].re())
        }
    });
    let mut v = Mat::<T>::zeros(n, n);
    for j in 0..n {
        v[(j, j)] = T::one();
    }
    let eps = f64::EPSILON / 2.0;
    let tiny = f64::MIN_POSITIVE;
    let mut largest = 0.0f64;
    for j in 0..n {
        for i in 0..n {
            largest = largest.max(a[(i, j)].modulus().to_f64());
        }
    }
    // Off-diagonal entries below eps^2 |A| are zero to working precision.
    let floor = (eps * eps * largest).max(tiny);
    for _sweep in 0..60 {
        let mut rotated = false;
        for p in 0..n.saturating_sub(1) {
            for q in p + 1..n {
                let apq = a[(p, q)];
                let size = apq.modulus().to_f64();
                let (app, aqq) = (a[(p, p)].re().to_f64(), a[(q, q)].re().to_f64());
                if size == 0.0 || size <= eps * (app.abs() * aqq.abs()).sqrt() || size <= floor {
                    if size != 0.0 {
                        a[(p, q)] = T::zero();
                        a[(q, p)] = T::zero();
                    }
                    continue;
                }
                rotated = true;
                // Column q times phase = conj(apq) / |apq| makes a_pq real and positive.
                let phase = if T::IS_COMPLEX {
                    apq.conj() * real::<T>(1.0 / size)
                } else {
                    real::<T>(apq.re().to_f64().signum())
                };
                let tau = (aqq - app) / (2.0 * size);
                let t = if tau == 0.0 {
                    1.0
                } else {
                    tau.signum() / (tau.abs() + 1.0f64.hypot(tau))
                };
                let c = 1.0 / 1.0f64.hypot(t);
                let s = c * t;
                let (cc, ss) = (real::<T>(c), real::<T>(s));
                // A <- A G (columns), then A <- G^H A (rows), V <- V G.
                for i in 0..n {
                    let x = a[(i, p)];
                    let y = a[(i, q)] * phase;
                    a[(i, p)] = cc * x - ss * y;
                    a[(i, q)] = ss * x + cc * y;
                }
                let phase_h = phase.conj();
                for j in 0..n {
                    let x = a[(p, j)];
                    let y = a[(q, j)] * phase_h;
                    a[(p, j)] = cc * x - ss * y;
                    a[(q, j)] = ss * x + cc * y;
                }
                a[(p, q)] = T::zero();
                a[(q, p)] = T::zero();
                a[(p, p)] = real::<T>(app - t * size);
                a[(q, q)] = real::<T>(aqq + t * size);
                for i in 0..n {
                    let x = v[(i, p)];
                    let y = v[(i, q)] * phase;
                    v[(i, p)] = cc * x - ss * y;
                    v[(i, q)] = ss * x + cc * y;
                }
            }
        }
        if !rotated {
            break;
        }
    }
    let values: Vec<f64> = (0..n).map(|i| a[(i, i)].re().to_f64()).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| {
        values[x]
            .partial_cmp(&values[y])
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let sorted = order.iter().map(|&j| values[j]).collect();
    let vectors = Mat::from_fn(n, n, |i, k| v[(i, order[k])]);
    (sorted, vectors)
}
