//! Eigenvectors of a real symmetric tridiagonal matrix T for given eigenvalues, by
//! inverse iteration (LAPACK's xSTEIN): from a pseudo-random start, solve
//! (T - lambda I) x = b with T - lambda I factored once by Gaussian elimination with
//! partial pivoting (tiny pivots replaced by eps |U|), at most `MAX_ITERATIONS` times,
//! until the solution has grown enough, then `EXTRA_ITERATIONS` more. Eigenvalues
//! closer than 1e-3 |T| form a cluster: each solution is orthogonalized against the
//! cluster's earlier vectors, and equal eigenvalues are pulled apart by 10 ulp so that
//! their factorizations differ. (LAPACK orthogonalizes by modified Gram-Schmidt; here
//! classical Gram-Schmidt done twice, which is as accurate and runs as GEMVs.)

use faer::linalg::matmul::matmul;
use faer::{Accum, MatMut, MatRef, Par};

/// How many solves a vector may take before it counts as not converged.
const MAX_ITERATIONS: usize = 5;
/// Solves after the growth test first passed (xSTEIN's EXTRA).
const EXTRA_ITERATIONS: usize = 2;

/// The eigenvectors (n x values.len(), column-major, unit 2-norm, largest entry
/// positive) of the tridiagonal matrix with diagonal `d` (n) and off-diagonal `e`
/// (n - 1) for `values` (ascending). None when a vector did not converge.
pub fn eigenvectors(d: &[f64], e: &[f64], values: &[f64]) -> Option<Vec<f64>> {
    let n = d.len();
    let m = values.len();
    let mut z = vec![0.0; n * m];
    if n == 1 {
        z.iter_mut().for_each(|x| *x = 1.0);
        return Some(z);
    }
    // ||T||_1 (rows of T), the cluster tolerance and the growth wanted.
    let norm = (0..n)
        .map(|i| {
            d[i].abs()
                + if i > 0 { e[i - 1].abs() } else { 0.0 }
                + e.get(i).map_or(0.0, |x| x.abs())
        })
        .fold(0.0, f64::max);
    if norm == 0.0 {
        // T = 0: the unit vectors.
        for j in 0..m {
            z[j * n + j] = 1.0;
        }
        return Some(z);
    }
    // Scaled by a power of 2 to |T| ~ 1: the solves' scaling (n |T| |pivot| / |b|)
    // must not overflow for a T near the overflow threshold (the vectors are the same).
    let to_unit = 2f64.powi((-norm.log2().round()).clamp(-1000.0, 1000.0) as i32);
    let d: Vec<f64> = d.iter().map(|v| v * to_unit).collect();
    let e: Vec<f64> = e.iter().map(|v| v * to_unit).collect();
    let norm = norm * to_unit;
    let cluster_gap = 1e-3 * norm;
    let growth_wanted = (0.1 / n as f64).sqrt();
    let eps = f64::EPSILON / 2.0;
    let mut random = Uniform::new();
    let mut cluster_start = 0;
    let mut previous = 0.0;
    let mut x = vec![0.0; n];
    let mut coefficients = vec![0.0; m];
    for j in 0..m {
        let mut lambda = values[j] * to_unit;
        if j > 0 {
            // Equal (or nearly) eigenvalues: move the shift so the solves differ.
            let separation = 10.0 * (eps * lambda).abs();
            if lambda - previous < separation {
                lambda = previous + separation;
            }
            if (lambda - previous).abs() > cluster_gap {
                cluster_start = j;
            }
        }
        let lu = Factored::new(&d, &e, lambda);
        x.iter_mut().for_each(|xi| *xi = random.next());
        let mut converged = false;
        let mut extra = 0;
        for _ in 0..MAX_ITERATIONS {
            // Scale b so that enough growth shows as an entry of at least growth_wanted.
            let size: f64 = x.iter().map(|v| v.abs()).sum();
            let scale = n as f64 * norm * eps.max(lu.last_pivot().abs()) / size;
            if !scale.is_finite() || size == 0.0 {
                x.iter_mut().for_each(|xi| *xi = random.next());
            } else {
                x.iter_mut().for_each(|xi| *xi *= scale);
            }
            lu.solve(&mut x);
            if j > cluster_start {
                orthogonalize(&mut x, &z[cluster_start * n..j * n], &mut coefficients);
            }
            let largest = x.iter().fold(0.0f64, |acc, v| acc.max(v.abs()));
            if !largest.is_finite() {
                return None;
            }
            if largest >= growth_wanted {
                extra += 1;
                if extra > EXTRA_ITERATIONS {
                    converged = true;
                    break;
                }
            }
        }
        if !converged {
            return None;
        }
        let norm2 = x.iter().map(|v| v * v).sum::<f64>().sqrt();
        let largest = x
            .iter()
            .copied()
            .reduce(|a, b| if b.abs() > a.abs() { b } else { a })
            .unwrap_or(1.0);
        let scale = if largest < 0.0 { -1.0 } else { 1.0 } / norm2;
        for (zk, xk) in z[j * n..(j + 1) * n].iter_mut().zip(&x) {
            *zk = xk * scale;
        }
        previous = lambda;
    }
    Some(z)
}

/// x := (I - Z Z^T) x twice (classical Gram-Schmidt with reorthogonalization, as two
/// GEMVs: a large cluster costs 4 n k flops per solve, vectorized), where Z's columns
/// (n rows each, column-major in `cluster`) are orthonormal.
fn orthogonalize(x: &mut [f64], cluster: &[f64], coefficients: &mut [f64]) {
    let n = x.len();
    let k = cluster.len() / n;
    let z = MatRef::from_column_major_slice(cluster, n, k);
    let c = &mut coefficients[..k];
    for _ in 0..2 {
        let mut cm = MatMut::from_column_major_slice_mut(c, k, 1);
        let xm = MatRef::from_column_major_slice(x, n, 1);
        matmul(
            cm.as_mut(),
            Accum::Replace,
            z.transpose(),
            xm,
            1.0,
            Par::Seq,
        );
        let mut xm = MatMut::from_column_major_slice_mut(x, n, 1);
        let cr = MatRef::from_column_major_slice(c, k, 1);
        matmul(xm.as_mut(), Accum::Add, z, cr, -1.0, Par::Seq);
    }
}

/// T - lambda I = P L U by Gaussian elimination with partial pivoting (xLAGTF): U
/// upper triangular with two superdiagonals, L unit lower bidiagonal.
struct Factored {
    /// U's diagonal and its first and second superdiagonals.
    u0: Vec<f64>,
    u1: Vec<f64>,
    u2: Vec<f64>,
    /// L's subdiagonal and whether rows k and k + 1 were exchanged at step k.
    l: Vec<f64>,
    swapped: Vec<bool>,
    /// Pivots smaller than this are replaced by it (xLAGTS's perturbation).
    tiny: f64,
}

impl Factored {
    fn new(d: &[f64], e: &[f64], lambda: f64) -> Factored {
        let n = d.len();
        let mut f = Factored {
            u0: vec![0.0; n],
            u1: vec![0.0; n],
            u2: vec![0.0; n],
            l: vec![0.0; n],
            swapped: vec![false; n],
            tiny: 0.0,
        };
        // The row being eliminated into: its diagonal and superdiagonal entries.
        let (mut diag, mut sup) = (d[0] - lambda, e.first().copied().unwrap_or(0.0));
        for k in 0..n - 1 {
            let sub = e[k];
            let next_diag = d[k + 1] - lambda;
            let next_sup = e.get(k + 1).copied().unwrap_or(0.0);
            if diag.abs() >= sub.abs() {
                let l = if diag != 0.0 { sub / diag } else { 0.0 };
                (f.u0[k], f.u1[k], f.u2[k]) = (diag, sup, 0.0);
                f.l[k] = l;
                diag = next_diag - l * sup;
                sup = next_sup;
            } else {
                let l = diag / sub;
                (f.u0[k], f.u1[k], f.u2[k]) = (sub, next_diag, next_sup);
                f.l[k] = l;
                f.swapped[k] = true;
                diag = sup - l * next_diag;
                sup = -l * next_sup;
            }
        }
        f.u0[n - 1] = diag;
        let largest =
            f.u0.iter()
                .chain(&f.u1)
                .chain(&f.u2)
                .fold(0.0f64, |acc, v| acc.max(v.abs()));
        f.tiny = if largest > 0.0 {
            largest * f64::EPSILON / 2.0
        } else {
            f64::EPSILON / 2.0
        };
        f
    }

    fn last_pivot(&self) -> f64 {
        self.u0[self.u0.len() - 1]
    }

    /// x := (T - lambda I)^-1 x, with U's tiny pivots perturbed to +-tiny.
    fn solve(&self, x: &mut [f64]) {
        let n = x.len();
        for k in 0..n - 1 {
            if self.swapped[k] {
                x.swap(k, k + 1);
            }
            x[k + 1] -= self.l[k] * x[k];
        }
        let pivot = |k: usize| {
            let p = self.u0[k];
            if p.abs() < self.tiny {
                if p < 0.0 {
                    -self.tiny
                } else {
                    self.tiny
                }
            } else {
                p
            }
        };
        for k in (0..n).rev() {
            let mut s = x[k];
            if k + 1 < n {
                s -= self.u1[k] * x[k + 1];
            }
            if k + 2 < n {
                s -= self.u2[k] * x[k + 2];
            }
            x[k] = s / pivot(k);
            // Keep the growth representable; only the direction matters.
            if x[k].abs() > 1e150 {
                let shrink = 1.0 / x[k].abs();
                x[k..].iter_mut().for_each(|v| *v *= shrink);
            }
        }
    }
}

/// Uniform(-1, 1) numbers from a fixed seed (xLARNV's role in xSTEIN): the same
/// input gives the same vectors.
struct Uniform(u64);

impl Uniform {
    fn new() -> Uniform {
        Uniform(0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> f64 {
        // xorshift64*: 53 random bits to (-1, 1).
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (bits as f64 + 0.5) / (1u64 << 52) as f64 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn residual_and_orthogonality(d: &[f64], e: &[f64], values: &[f64], z: &[f64]) -> (f64, f64) {
        let n = d.len();
        let mut residual = 0.0f64;
        let mut orthogonality = 0.0f64;
        for (j, &lambda) in values.iter().enumerate() {
            let x = &z[j * n..(j + 1) * n];
            for i in 0..n {
                let mut t = (d[i] - lambda) * x[i];
                if i > 0 {
                    t += e[i - 1] * x[i - 1];
                }
                if i + 1 < n {
                    t += e[i] * x[i + 1];
                }
                residual = residual.max(t.abs());
            }
            for k in 0..values.len() {
                let y = &z[k * n..(k + 1) * n];
                let dot: f64 = x.iter().zip(y).map(|(a, b)| a * b).sum();
                let want = if j == k { 1.0 } else { 0.0 };
                orthogonality = orthogonality.max((dot - want).abs());
            }
        }
        (residual, orthogonality)
    }

    /// The eigenvalues of T by bisection on the Sturm count (enough for the tests).
    fn eigenvalues(d: &[f64], e: &[f64]) -> Vec<f64> {
        let n = d.len();
        let count = |x: f64| {
            let mut below = 0;
            let mut p = d[0] - x;
            for i in 0..n {
                if i > 0 {
                    p = d[i] - x - e[i - 1] * e[i - 1] / p;
                }
                if p.abs() < 1e-300 {
                    p = -1e-300;
                }
                if p <= 0.0 {
                    below += 1;
                }
            }
            below
        };
        let bound =
            d.iter().map(|v| v.abs()).sum::<f64>() + 2.0 * e.iter().map(|v| v.abs()).sum::<f64>();
        (1..=n)
            .map(|k| {
                let (mut lo, mut hi) = (-bound - 1.0, bound + 1.0);
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    if count(mid) >= k {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                0.5 * (lo + hi)
            })
            .collect()
    }

    #[test]
    fn glued_wilkinson_clusters() {
        // Three W21+ Wilkinson matrices glued by 1e-10: pairs of eigenvalues agree to
        // far below the cluster tolerance.
        let mut d = Vec::new();
        let mut e = Vec::new();
        for block in 0..3 {
            if block > 0 {
                e.push(1e-10);
            }
            for i in 0..21 {
                d.push((10i32 - i).abs() as f64);
                if i < 20 {
                    e.push(1.0);
                }
            }
        }
        let all = eigenvalues(&d, &e);
        let picked = &all[50..63];
        let z = eigenvectors(&d, &e, picked).expect("converged");
        let (res, orth) = residual_and_orthogonality(&d, &e, picked, &z);
        let n = d.len() as f64;
        assert!(res < 10.0 * n * f64::EPSILON * 12.0, "residual {res}");
        assert!(orth < 10.0 * n * f64::EPSILON, "orthogonality {orth}");
    }

    #[test]
    fn repeated_eigenvalues_of_a_split_matrix() {
        // Diagonal blocks [2 1; 1 2] repeated: eigenvalues 1 and 3, each 20 times.
        let mut d = vec![2.0; 40];
        let mut e = vec![0.0; 39];
        for k in 0..20 {
            e[2 * k] = 1.0;
        }
        d[0] = 2.0;
        let values = vec![1.0; 20];
        let z = eigenvectors(&d, &e, &values).expect("converged");
        let (res, orth) = residual_and_orthogonality(&d, &e, &values, &z);
        assert!(res < 1e-13 && orth < 1e-13, "{res} {orth}");
    }
}
