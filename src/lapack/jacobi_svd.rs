//! One-sided (Hestenes) Jacobi SVD for small matrices. faer's bidiagonal QR treats
//! entries below eps * |B| as zero, so the small singular values of a (nearly)
//! rank-deficient matrix come back a few times larger than LAPACK's xBDSQR gives them,
//! and so does the residual of a truncated SVD (SciPy's `pinv` test_atol_rtol needs
//! |A A+ A - A| < 1e-13 for a rank-2 7 x 5 matrix). Jacobi rotations, stopped only
//! when every pair of columns is orthogonal to working precision relative to the
//! columns' own norms, compute those small values to high relative accuracy.
//!
//! Run in double precision only (single precision is widened before it gets here).

use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::Mat;

/// The largest min(m, n) that takes the Jacobi path.
pub const MAX_JACOBI: usize = 16;

/// The Euclidean norm of column j, without overflow or underflow: the plain sum of
/// squares where it is safe, else scaled by the largest entry.
fn column_norm<T: Scalar>(a: &Mat<T>, j: usize) -> f64 {
    let x = a.col_as_slice(j);
    let sum: f64 = x.iter().map(|v| squared(*v)).sum();
    if sum.is_finite() && sum >= f64::MIN_POSITIVE / f64::EPSILON {
        return sum.sqrt();
    }
    let scale = x.iter().fold(0.0f64, |s, v| s.max(v.modulus().to_f64()));
    if scale == 0.0 || !scale.is_finite() {
        return scale;
    }
    let sum: f64 = x.iter().map(|v| squared(*v) / (scale * scale)).sum();
    scale * sum.sqrt()
}

fn squared<T: Scalar>(v: T) -> f64 {
    let (re, im) = (v.re().to_f64(), v.im().to_f64());
    re * re + im * im
}

/// a_p^H a_q / (|a_p| |a_q|) for columns of norms np and nq (both positive): the plain
/// product where no entry product can overflow or lose digits to underflow, else summed
/// over the scaled columns.
fn cosine<T: Scalar>(a: &Mat<T>, (p, np): (usize, f64), (q, nq): (usize, f64)) -> T {
    let (x, y) = (a.col_as_slice(p), a.col_as_slice(q));
    let (inv_p, inv_q) = (real::<T>(1.0 / np), real::<T>(1.0 / nq));
    if (np * nq).is_finite() && np.min(nq) >= (f64::MIN_POSITIVE / f64::EPSILON).sqrt() {
        let g = x
            .iter()
            .zip(y)
            .fold(T::zero(), |g, (u, v)| g + u.conj() * *v);
        return g * inv_p * inv_q;
    }
    x.iter().zip(y).fold(T::zero(), |g, (u, v)| {
        g + (*u * inv_p).conj() * (*v * inv_q)
    })
}

fn real<T: Scalar>(x: f64) -> T {
    T::from_real(<T::RealPart as Scalar>::from_f64_lossy(x))
}

/// Rotates columns p and q of `a`: (p, q) <- (c p - s e q, s p + c e q), e a unit phase.
fn rotate<T: Scalar>(a: &mut Mat<T>, p: usize, q: usize, c: f64, s: f64, phase: T) {
    let (c, s) = (real::<T>(c), real::<T>(s));
    let (xp, xq) = a.two_cols_mut(p, q);
    let contiguous = "a Mat's columns are contiguous";
    let xp = xp.try_as_col_major_mut().expect(contiguous).as_slice_mut();
    let xq = xq.try_as_col_major_mut().expect(contiguous).as_slice_mut();
    for (u, v) in xp.iter_mut().zip(xq.iter_mut()) {
        let (old, other) = (*u, *v * phase);
        *u = c * old - s * other;
        *v = s * old + c * other;
    }
}

/// The SVD of the m x n matrix `a` (m >= n): singular values (descending), the first
/// `u_cols` (n or m) columns of U and all of V, as A = U diag(S) V^H.
fn tall<T: Scalar>(mut a: Mat<T>, u_cols: usize) -> (Vec<f64>, Mat<T>, Mat<T>) {
    let (m, n) = (a.nrows(), a.ncols());
    let mut v = Mat::<T>::zeros(n, n);
    for j in 0..n {
        v[(j, j)] = T::one();
    }
    let eps = f64::EPSILON / 2.0;
    let mut norms: Vec<f64> = (0..n).map(|j| column_norm(&a, j)).collect();
    for _sweep in 0..60 {
        let mut rotated = false;
        let floor = eps * eps * norms.iter().fold(0.0f64, |x, &y| x.max(y));
        for p in 0..n.saturating_sub(1) {
            for q in p + 1..n {
                let (np, nq) = (norms[p], norms[q]);
                // A column below eps^2 |A| is zero to working precision: rotating it
                // only shrinks it further (when its rounding errors lie in the span of
                // the others, as for equal rows) until it underflows.
                if np.min(nq) <= floor {
                    continue;
                }
                let g = cosine(&a, (p, np), (q, nq));
                let cos = g.modulus().to_f64();
                if cos.is_nan() || cos <= eps {
                    continue;
                }
                rotated = true;
                // Turn g real: q <- q conj(g) / |g|.
                let phase = if T::IS_COMPLEX {
                    g.conj() * real::<T>(1.0 / cos)
                } else {
                    real::<T>(g.re().to_f64().signum())
                };
                let zeta = (nq / np - np / nq) / (2.0 * cos);
                // The smaller root of t^2 + 2 zeta t - 1 = 0 (|t| <= 1); sqrt(1 + zeta^2)
                // written out (libm's hypot was 40% of a 16 x 16 SVD), |zeta| past 1e150
                // (where its square overflows) by t = 1 / (2 zeta).
                let t = if zeta == 0.0 {
                    1.0
                } else if zeta.abs() > 1e150 {
                    0.5 / zeta
                } else {
                    zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt())
                };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                rotate(&mut a, p, q, c, s, phase);
                rotate(&mut v, p, q, c, s, phase);
                norms[p] = column_norm(&a, p);
                norms[q] = column_norm(&a, q);
            }
        }
        if !rotated {
            break;
        }
    }

    // Columns left below the floor are zero: their U columns come from `complete`.
    let floor = eps * eps * norms.iter().fold(0.0f64, |x, &y| x.max(y));
    for x in norms.iter_mut() {
        if *x <= floor {
            *x = 0.0;
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| {
        norms[y]
            .partial_cmp(&norms[x])
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let values: Vec<f64> = order.iter().map(|&j| norms[j]).collect();
    let mut u = Mat::<T>::zeros(m, u_cols);
    let mut vs = Mat::<T>::zeros(n, n);
    let mut filled = vec![false; u_cols];
    for (k, &j) in order.iter().enumerate() {
        for i in 0..n {
            vs[(i, k)] = v[(i, j)];
        }
        if values[k] > 0.0 {
            let inv = real::<T>(1.0 / values[k]);
            for i in 0..m {
                u[(i, k)] = a[(i, j)] * inv;
            }
            filled[k] = true;
        }
    }
    complete(&mut u, &mut filled);
    (values, u, vs)
}

/// Fills U's unfilled columns with unit vectors orthogonal to every other column:
/// for each, the first coordinate vector that keeps more than half its length after
/// two Gram-Schmidt passes (else the one that keeps the most).
fn complete<T: Scalar>(u: &mut Mat<T>, filled: &mut [bool]) {
    let m = u.nrows();
    for k in 0..u.ncols() {
        if filled[k] {
            continue;
        }
        let mut best: Option<(f64, Vec<T>)> = None;
        for e in 0..m {
            let mut x = vec![T::zero(); m];
            x[e] = T::one();
            for _pass in 0..2 {
                for j in 0..u.ncols() {
                    if !filled[j] {
                        continue;
                    }
                    let mut d = T::zero();
                    for i in 0..m {
                        d += u[(i, j)].conj() * x[i];
                    }
                    for i in 0..m {
                        x[i] -= u[(i, j)] * d;
                    }
                }
            }
            let size = x
                .iter()
                .map(|y| y.modulus().to_f64().powi(2))
                .sum::<f64>()
                .sqrt();
            let good = size > 0.5;
            if best.as_ref().is_none_or(|(b, _)| size > *b) {
                best = Some((size, x));
            }
            if good {
                // Enough of e survives: take it (a scan of all m would be O(m^2 k)).
                break;
            }
        }
        let (size, x) = best.expect("m > 0");
        let inv = real::<T>(1.0 / size);
        for i in 0..m {
            u[(i, k)] = x[i] * inv;
        }
        filled[k] = true;
    }
}

/// The SVD A = U diag(S) V^H of the m x n matrix `a`: S (min(m, n), descending), the
/// first `u_cols` columns of U (min(m, n) or m) and the first `v_cols` of V.
pub fn svd<T: Scalar>(a: &Mat<T>, u_cols: usize, v_cols: usize) -> (Vec<f64>, Mat<T>, Mat<T>) {
    let (m, n) = (a.nrows(), a.ncols());
    if m >= n {
        let (s, u, v) = tall(a.clone(), u_cols);
        let v = Mat::from_fn(n, v_cols, |i, j| v[(i, j)]);
        (s, u, v)
    } else {
        // A^H = U' S V'^H, so A = V' S U'^H.
        let ah = Mat::from_fn(n, m, |i, j| a[(j, i)].conj());
        let (s, u2, v2) = tall(ah, v_cols);
        let u = Mat::from_fn(m, u_cols, |i, j| v2[(i, j)]);
        (s, u, u2)
    }
}
