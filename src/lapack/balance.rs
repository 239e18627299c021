//! Balancing (LAPACK's xGEBAL and xGEBAK): a permutation that isolates eigenvalues
//! already exposed by zero rows and columns, and a diagonal similarity D^-1 A D that
//! brings the rows and columns of the rest to comparable norms. xGEES uses the
//! permutation only (as LAPACK's does); xGEEV both: on a badly scaled matrix the
//! eigenvalues of the balanced one are many digits more accurate (D R D^-1 with D from
//! 1 to 1e10, order 50-400: relative errors 0.1-0.23 unbalanced, 1e-14 balanced).

use crate::blas::level1::{iamax, nrm2};
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// xGEBAL with JOB = 'P': permutes rows and columns so that A is upper triangular
/// outside rows/columns lo..=hi (0-based, returned). `perm[i]` records the row swapped
/// with row i, as LAPACK's SCALE does.
///
/// # Safety
/// `a` valid for n x n, n >= 1; `perm` n long.
pub unsafe fn permute<T: Scalar>(n: usize, a: RawMat<T>, perm: &mut [usize]) -> (usize, usize) {
    let (mut k, mut l) = (0, n - 1);
    let exchange = |j: usize, m: usize, k: usize, l: usize, perm: &mut [usize]| {
        perm[m] = j;
        if j != m {
            for r in 0..=l {
                a.swap((r, j), (r, m));
            }
            for c in k..n {
                a.swap((j, c), (m, c));
            }
        }
    };
    // Rows isolating an eigenvalue go to the bottom, searching again after each move.
    while let Some(j) = (0..=l)
        .rev()
        .find(|&j| (0..=l).all(|i| i == j || a.get(j, i).is_zero()))
    {
        exchange(j, l, k, l, perm);
        if l == 0 {
            return (k, l);
        }
        l -= 1;
    }
    // Columns isolating an eigenvalue go to the left.
    while let Some(j) = (k..=l).find(|&j| (k..=l).all(|i| i == j || a.get(i, j).is_zero())) {
        exchange(j, k, k, l, perm);
        k += 1;
    }
    (k, l)
}

/// xGEBAK('P', 'R'): undoes [`permute`] on the rows of the n x n `v`.
///
/// # Safety
/// `v` valid for n x n; lo, hi and `perm` from [`permute`] of order n.
pub unsafe fn unpermute<T: Scalar>(n: usize, lo: usize, hi: usize, perm: &[usize], v: RawMat<T>) {
    for (i, k) in interchanges(n, lo, hi, perm) {
        for c in 0..n {
            v.swap((i, c), (k, c));
        }
    }
}

/// The row interchanges (i, perm[i]), i != perm[i], that undo [`permute`] of order n,
/// in xGEBAK's order: rows lo - 1 down to 0, then hi + 1 up to n - 1.
pub fn interchanges<'a>(
    n: usize,
    lo: usize,
    hi: usize,
    perm: &'a [usize],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    (0..lo)
        .rev()
        .chain(hi + 1..n)
        .map(move |i| (i, perm[i]))
        .filter(|&(i, k)| i != k)
}

/// What xGEBAL('B') did to a matrix: rows and columns outside lo..=hi permuted out
/// ([`permute`]'s `perm`), D's diagonal (1 outside lo..=hi).
pub struct Balanced<R> {
    pub lo: usize,
    pub hi: usize,
    pub perm: Vec<usize>,
    pub scale: Vec<R>,
}

impl Balanced<f64> {
    /// xGEBAK('B'): a vector of the balanced matrix (as (re, im) pairs) to the original
    /// matrix's (right: D z, left: D^-1 z, then the rows interchanged back).
    pub fn back(&self, z: &mut [(f64, f64)], left: bool) {
        if z.is_empty() {
            return;
        }
        for (c, &d) in z[self.lo..=self.hi]
            .iter_mut()
            .zip(&self.scale[self.lo..=self.hi])
        {
            let d = if left { 1.0 / d } else { d };
            *c = (c.0 * d, c.1 * d);
        }
        for (i, k) in interchanges(z.len(), self.lo, self.hi, &self.perm) {
            z.swap(i, k);
        }
    }
}

/// xGEBAL with JOB = 'B': [`permute`], then the rows and columns lo..=hi scaled by powers
/// of two (A := D^-1 A D) until no step changes a row and column norm pair by more
/// than 5%, as LAPACK 3.12's loop does. n = 0 does nothing.
///
/// # Safety
/// `a` valid for n x n, every entry finite.
pub unsafe fn balance<T: Scalar>(n: usize, a: RawMat<T>) -> Balanced<T::RealPart> {
    if n == 0 {
        return Balanced {
            lo: 0,
            hi: 0,
            perm: Vec::new(),
            scale: Vec::new(),
        };
    }
    let mut perm: Vec<usize> = (0..n).collect();
    let (lo, hi) = permute(n, a, &mut perm);
    let one = T::RealPart::one();
    let mut scale = vec![one; n];
    let radix = T::RealPart::from_f64(2.0);
    let sfmin1 = T::RealPart::safe_min() / (T::RealPart::epsilon() * radix);
    let sfmax1 = one / sfmin1;
    let sfmin2 = sfmin1 * radix;
    let sfmax2 = one / sfmin2;
    // The modulus of the entry largest in |re| + |im| (IxAMAX's choice, as xGEBAL).
    let largest = |x: *const T, len: usize, inc: usize| {
        (*x.add((iamax(len as i64, x, inc as i64) - 1) as usize * inc)).modulus()
    };
    let block = (hi + 1 - lo) as i64;
    let mut converged = false;
    while !converged {
        converged = true;
        for (i, d) in scale.iter_mut().enumerate().take(hi + 1).skip(lo) {
            let mut c = nrm2(block, a.at(lo, i).ptr, 1);
            let mut r = nrm2(block, a.at(i, lo).ptr, a.ld as i64);
            let mut ca = largest(a.at(0, i).ptr, hi + 1, 1);
            let mut ra = largest(a.at(i, lo).ptr, n - lo, a.ld);
            if c == T::RealPart::zero() || r == T::RealPart::zero() {
                continue;
            }
            let s = c + r;
            let mut f = one;
            let mut g = r / radix;
            while c < g && f.max(c).max(ca) < sfmax2 && r.min(g).min(ra) > sfmin2 {
                f *= radix;
                c *= radix;
                ca *= radix;
                r /= radix;
                g /= radix;
                ra /= radix;
            }
            g = c / radix;
            while g >= r && r.max(ra) < sfmax2 && f.min(c).min(g).min(ca) > sfmin2 {
                f /= radix;
                c /= radix;
                g /= radix;
                ca /= radix;
                r *= radix;
                ra *= radix;
            }
            if c + r >= T::RealPart::from_f64(0.95) * s
                || (f < one && *d < one && f * *d <= sfmin1)
                || (f > one && *d > one && *d >= sfmax1 / f)
            {
                continue;
            }
            *d *= f;
            converged = false;
            let (row, column) = (T::from_real(one / f), T::from_real(f));
            for j in lo..n {
                a.set(i, j, a.get(i, j) * row);
            }
            for k in 0..=hi {
                a.set(k, i, a.get(k, i) * column);
            }
        }
    }
    Balanced {
        lo,
        hi,
        perm,
        scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::c64;

    /// D R D^-1 with D = diag(2^(0..n)): rows and columns whose norms span 2^n.
    fn badly_scaled<T: Scalar>(n: usize) -> Vec<T> {
        let r = values::<T>(n * n, 11);
        let d = |i: usize| T::from_f64_lossy(2f64.powi(i as i32));
        (0..n * n).map(|k| d(k % n) * r[k] / d(k / n)).collect()
    }

    fn column_norm_spread<T: Scalar>(n: usize, a: &[T]) -> f64 {
        let norms: Vec<f64> = (0..n)
            .map(|j| {
                a[j * n..(j + 1) * n]
                    .iter()
                    .map(|x| x.modulus().to_f64().powi(2))
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        norms.iter().fold(0.0f64, |m, &x| m.max(x)) / norms.iter().fold(f64::MAX, |m, &x| m.min(x))
    }

    fn balances_exactly<T: Scalar>() {
        let n = 30;
        let a = badly_scaled::<T>(n);
        let mut b = a.clone();
        let Balanced {
            lo,
            hi,
            perm,
            scale,
        } = unsafe { balance(n, RawMat::new(b.as_mut_ptr(), n)) };
        assert_eq!((lo, hi), (0, n - 1));
        assert!(perm.iter().enumerate().all(|(i, &p)| i == p));
        // Powers of two, so B = D^-1 A D holds exactly.
        for (i, d) in scale.iter().enumerate() {
            let d = d.to_f64();
            assert_eq!(d, 2f64.powi(d.log2().round() as i32), "scale {i}");
        }
        for j in 0..n {
            for i in 0..n {
                let expected = a[i + j * n] * T::from_real(scale[j]) / T::from_real(scale[i]);
                assert!(b[i + j * n] == expected, "({i}, {j})");
            }
        }
        let (before, after) = (column_norm_spread(n, &a), column_norm_spread(n, &b));
        assert!(before > 1e6 && after < 100.0, "{before} -> {after}");
    }

    #[test]
    fn balancing_evens_out_norms_by_an_exact_similarity() {
        balances_exactly::<f64>();
        balances_exactly::<c64>();
    }

    #[test]
    fn an_isolated_eigenvalue_is_permuted_out_and_not_scaled() {
        // Row 1 is zero off the diagonal: its eigenvalue goes to the bottom.
        let n = 4;
        let mut a: Vec<f64> = values::<f64>(n * n, 3);
        for j in 0..n {
            if j != 1 {
                a[1 + j * n] = 0.0;
            }
        }
        let balanced = unsafe { balance(n, RawMat::new(a.as_mut_ptr(), n)) };
        assert_eq!((balanced.lo, balanced.hi, balanced.perm[3]), (0, 2, 1));
        assert_eq!(balanced.scale[3], 1.0);
        assert!((0..3).all(|j| a[3 + j * n] == 0.0), "{a:?}");
    }
}
