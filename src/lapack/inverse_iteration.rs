//! Repairs an eigenvector that came out less accurate than backward stability allows.
//! faer's back-substitution for a real matrix's complex pairs solves each 2x2 block by
//! Cramer's rule on squared quantities, which loses accuracy when another eigenvalue lies
//! close to the pair (LAPACK's xLALN2 pivots instead). One step of inverse iteration
//! with the computed eigenvalue as shift restores a residual of order eps ||A||.

use crate::scalar::c64;

/// Inverse iteration: solves (M - mu I) w = b, where M is A, or A^H when `adjoint` (for a
/// left eigenvector). The faulty vector itself is a poor b (for an ill-conditioned or
/// defective eigenvalue it lies nearly in the range of M - mu I, which the solve does not
/// amplify), so like LAPACK's xLAEIN we start from fixed vectors, (1, ..., 1) first, and
/// keep the solution that grew most; enough growth means a residual ||b|| / ||w|| at the
/// level of a backward stable solve. `a(i, j)` reads A. Zero or tiny pivots are replaced
/// by eps ||M - mu I||.
pub fn inverse_iteration(
    n: usize,
    a: impl Fn(usize, usize) -> c64,
    mu: c64,
    adjoint: bool,
) -> Vec<c64> {
    // M - mu I, column-major.
    let mut m: Vec<c64> = (0..n * n)
        .map(|k| {
            let (i, j) = (k % n, k / n);
            let x = if adjoint { a(j, i).conj() } else { a(i, j) };
            if i == j {
                x - mu
            } else {
                x
            }
        })
        .collect();
    let norm = (0..n)
        .map(|j| (0..n).map(|i| abs1(m[i + j * n])).sum::<f64>())
        .fold(0.0, f64::max);
    let tiny = (f64::EPSILON * norm).max(f64::MIN_POSITIVE);
    let pivots = factor(n, &mut m, tiny);
    let starts: [fn(usize) -> f64; 3] = [
        |_| 1.0,
        |i| if i % 2 == 0 { 1.0 } else { -1.0 },
        |i| ((i as f64 * 0.618_033_988_75).fract() - 0.5) * 2.0,
    ];
    let mut best: Option<(f64, Vec<c64>)> = None;
    for start in starts {
        let mut w: Vec<c64> = (0..n).map(|i| c64::new(start(i), 0.0)).collect();
        let before: f64 = w.iter().map(|&x| abs1(x)).sum();
        solve(n, &m, &pivots, &mut w);
        let growth = w.iter().map(|&x| abs1(x)).sum::<f64>() / before;
        let done = growth * f64::EPSILON * norm >= 1.0;
        if best.as_ref().is_none_or(|(g, _)| growth > *g) {
            best = Some((growth, w));
        }
        if done {
            break;
        }
    }
    best.map(|(_, w)| w).unwrap_or_default()
}

/// LU with partial pivoting in place; returns the row interchanges.
fn factor(n: usize, m: &mut [c64], tiny: f64) -> Vec<usize> {
    let mut pivots = Vec::with_capacity(n);
    for k in 0..n {
        let p = (k..n)
            .max_by(|&x, &y| abs1(m[x + k * n]).total_cmp(&abs1(m[y + k * n])))
            .unwrap();
        pivots.push(p);
        if p != k {
            for j in 0..n {
                m.swap(k + j * n, p + j * n);
            }
        }
        if abs1(m[k + k * n]) < tiny {
            m[k + k * n] = c64::new(tiny, 0.0);
        }
        let pivot = m[k + k * n];
        for i in k + 1..n {
            let l = m[i + k * n] / pivot;
            m[i + k * n] = l;
            for j in k + 1..n {
                let u = m[k + j * n];
                m[i + j * n] -= l * u;
            }
        }
    }
    pivots
}

/// Solves with the factors of [`factor`], rescaling w when it grows toward overflow.
fn solve(n: usize, m: &[c64], pivots: &[usize], w: &mut [c64]) {
    // The interchanges swapped whole rows of the factors, so they all apply first.
    for (k, &p) in pivots.iter().enumerate() {
        w.swap(k, p);
    }
    for k in 0..n {
        let wk = w[k];
        for i in k + 1..n {
            w[i] -= m[i + k * n] * wk;
        }
    }
    for k in (0..n).rev() {
        let mut s = w[k];
        for j in k + 1..n {
            s -= m[k + j * n] * w[j];
        }
        w[k] = s / m[k + k * n];
        let big = abs1(w[k]);
        if big > 1e150 {
            for x in w.iter_mut() {
                *x *= c64::new(1.0 / big, 0.0);
            }
        }
    }
}

fn abs1(x: c64) -> f64 {
    x.re.abs() + x.im.abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jordan_block_null_vector() {
        // A = I + N (ones below the diagonal): the eigenvector of 1 is e3.
        let a = |i: usize, j: usize| c64::new(if i == j || i == j + 1 { 1.0 } else { 0.0 }, 0.0);
        let w = inverse_iteration(3, a, c64::new(1.0, 0.0), false);
        assert!(
            w[2].re.abs() > 1e10 * (w[0].re.abs() + w[1].re.abs()),
            "{w:?}"
        );
    }
}
