//! Selected eigenvalues of a Hermitian matrix: SYEVR / HEEVR (one body). RANGE = 'A'
//! (or 'I' with IL = 1, IU = N) is `symmetric_eigen::heevd`. For a value interval or a
//! partial index range the selection is LAPACK's (xSTEBZ's): A is reduced to a real
//! symmetric tridiagonal T (faer's Householder tridiagonalization; a complex
//! off-diagonal only enters through its modulus), the eigenvalues in (VL, VU] are those
//! whose indices lie between the Sturm counts of T at VL and at VU, and each selected
//! eigenvalue is found by bisection on T's Sturm count to LAPACK's tolerance
//! (ABSTOL, or ulp |T| when ABSTOL <= 0, and at least 2 ulp relative). So an
//! eigenvalue lying on an interval end is counted as LAPACK counts it, W lies in
//! (VL, VU], and the eigenvalues do not depend on JOBZ. For a few eigenvalues (at most
//! a quarter of them) their eigenvectors are T's by inverse iteration
//! (`tridiagonal_eigenvectors`, xSTEIN) taken back through the reduction's reflectors
//! (as xORMTR); for more, or when inverse iteration does not converge, they are those of
//! the same indices from `heevd`'s full decomposition.

use crate::blas::args::Uplo;
use crate::lapack::raw::RawMat;
use crate::lapack::symmetric_eigen;
use crate::lapack::tridiagonal_eigenvectors;
use crate::lapack::widen;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{c64, Scalar};
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::tridiag;
use faer::linalg::householder;
use faer::{Conj, Mat};

/// LAPACK's RANGE with its bounds (indices from 1, as the caller gave them).
#[derive(Clone, Copy, Debug)]
pub enum Range<R> {
    All,
    /// The half-open interval (VL, VU].
    Value(R, R),
    /// The IL-th through IU-th smallest eigenvalues.
    Index(usize, usize),
}

/// The outputs of [`heevr`] besides W, Z and ISUPPZ: M and INFO.
pub struct Selected {
    pub m: usize,
    pub info: usize,
}

/// Computes the eigenvalues of the Hermitian matrix whose `uplo` triangle A holds that
/// `range` selects, ascending in `w[..m]`, and with `vectors` their orthonormal
/// eigenvectors in Z's first m columns (for n = 1, Z(1,1) = 1 even when m = 0, as
/// LAPACK). A is destroyed. INFO > 0 (then m = 0 and W's n entries NaN) when A holds
/// NaN or Inf or the eigensolver fails.
///
/// # Safety
/// `a` valid for n x n, `w` for n reals; with `vectors`, `z` for n x max(1, m).
#[allow(clippy::too_many_arguments)]
pub unsafe fn heevr<T: Scalar>(
    vectors: bool,
    range: Range<T::RealPart>,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    abstol: T::RealPart,
    w: *mut T::RealPart,
    z: RawMat<T>,
) -> Selected {
    if n == 0 {
        return Selected { m: 0, info: 0 };
    }
    if n == 1 {
        // LAPACK's order-1 case: Z(1,1) = 1 and ISUPPZ = (1, 1) even when M = 0.
        let value = a.get(0, 0).re();
        let m = match range {
            Range::Value(vl, vu) => usize::from(vl < value && value <= vu),
            _ => 1,
        };
        if m == 1 {
            *w = value;
        }
        if vectors {
            z.set(0, 0, T::one());
        }
        return Selected { m, info: 0 };
    }
    if widen::is_single::<T>() {
        return if T::IS_COMPLEX {
            heevr_wide::<T, c64>(vectors, range, uplo, n, a, abstol, w, z)
        } else {
            heevr_wide::<T, f64>(vectors, range, uplo, n, a, abstol, w, z)
        };
    }
    let w = std::slice::from_raw_parts_mut(w, n);
    let everything = match range {
        Range::All => true,
        Range::Index(il, iu) => il == 1 && iu == n,
        Range::Value(..) => false,
    };
    let m = if everything {
        let info = symmetric_eigen::heevd(vectors, uplo, n, a, w.as_mut_ptr());
        if info != 0 {
            return failed(w);
        }
        if vectors {
            copy_columns(a, 0, n, n, z);
        }
        n
    } else {
        let Some((tridiagonal, reduction)) = Tridiagonal::of(uplo, n, a) else {
            return failed(w);
        };
        let values = tridiagonal.select(range, abstol.to_f64());
        for (wi, value) in w.iter_mut().zip(&values.values) {
            *wi = T::RealPart::from_f64(*value);
        }
        let m = values.values.len();
        let by_inverse_iteration = vectors
            && m > 0
            && m <= n / INVERSE_ITERATION_SHARE
            && tridiagonal_eigenvectors::eigenvectors(
                &tridiagonal.d,
                &tridiagonal.e,
                &values.scaled,
            )
            .map(|x| reduction.back_transform(&x, m, z))
            .is_some();
        if vectors && m > 0 && !by_inverse_iteration {
            // A's triangle is still intact: `Tridiagonal::of` worked on a copy.
            let mut all = vec![T::RealPart::zero(); n];
            if symmetric_eigen::heevd(true, uplo, n, a, all.as_mut_ptr()) != 0 {
                return failed(w);
            }
            copy_columns(a, values.first, m, n, z);
        }
        m
    };
    Selected { m, info: 0 }
}

/// Inverse iteration serves selections of at most n / INVERSE_ITERATION_SHARE
/// eigenvectors. Its cost grows with the clusters' sizes (Gram-Schmidt against the
/// cluster): measured at n = 1000 with one cluster of all selected, 250 vectors took
/// about the time of the full decomposition alone (0.6 s against 0.55 s, plus the
/// reduction this path already did), 100 vectors 0.33 s.
const INVERSE_ITERATION_SHARE: usize = 4;

/// ISUPPZ's pair for column j of Z (n rows): the first and last row, from 1, where it
/// is nonzero ((1, n) for a zero column).
///
/// # Safety
/// `z` valid for n x (j + 1).
pub unsafe fn support<T: Scalar>(z: RawMat<T>, n: usize, j: usize) -> (usize, usize) {
    let nonzero = |i: &usize| !z.get(*i, j).is_zero();
    let top = (0..n).find(nonzero).unwrap_or(0);
    let bottom = (0..n).rev().find(nonzero).unwrap_or(n - 1);
    (top + 1, bottom + 1)
}

/// Z(:, 0..count) := A(:, first..first + count) (n rows).
unsafe fn copy_columns<T: Scalar>(
    a: RawMat<T>,
    first: usize,
    count: usize,
    n: usize,
    z: RawMat<T>,
) {
    for j in 0..count {
        for i in 0..n {
            z.set(i, j, a.get(i, first + j));
        }
    }
}

/// The outputs of a failed call: W's n entries NaN, M = 0, INFO = n + 1.
fn failed<R: Scalar + Float>(w: &mut [R]) -> Selected {
    w.fill(R::from_f64(f64::NAN));
    Selected {
        m: 0,
        info: w.len() + 1,
    }
}

/// [`heevr`] of a single-precision T computed in W (its double-precision field), as
/// `symmetric_eigen` does for xSYEVD.
#[allow(clippy::too_many_arguments)]
unsafe fn heevr_wide<T: Scalar, W: Scalar>(
    vectors: bool,
    range: Range<T::RealPart>,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    abstol: T::RealPart,
    w: *mut T::RealPart,
    z: RawMat<T>,
) -> Selected {
    let mut wide_a = widen::copy_in::<T, W>(a, n, n);
    let mut wide_z = vec![W::zero(); if vectors { n * n } else { 0 }];
    let mut values = vec![W::RealPart::zero(); n];
    let range = match range {
        Range::All => Range::All,
        Range::Value(vl, vu) => Range::Value(widen::convert_real(vl), widen::convert_real(vu)),
        Range::Index(il, iu) => Range::Index(il, iu),
    };
    let selected = heevr::<W>(
        vectors,
        range,
        uplo,
        n,
        RawMat::new(wide_a.as_mut_ptr(), n),
        widen::convert_real(abstol),
        values.as_mut_ptr(),
        RawMat::new(wide_z.as_mut_ptr(), n),
    );
    let w = std::slice::from_raw_parts_mut(w, n);
    let written = if selected.info == 0 { selected.m } else { n };
    for (wi, value) in w.iter_mut().zip(&values).take(written) {
        *wi = widen::convert_real(*value);
    }
    if vectors {
        widen::copy_out(&wide_z, z, n, selected.m);
    }
    selected
}

/// The eigenvalues a range selects: their values ascending and the index (from 0) of
/// the first.
struct Values {
    first: usize,
    values: Vec<f64>,
    /// The same eigenvalues of T (that is, scaled by sigma).
    scaled: Vec<f64>,
}

/// The Householder reduction A = Q T_A Q^H behind a [`Tridiagonal`]: faer's reduced
/// matrix (reflectors below the subdiagonal, T_A's complex off-diagonal on it) and the
/// blocked reflectors' triangular factors.
struct Reduction<T> {
    reduced: Mat<T>,
    factors: Mat<T>,
}

impl<T: Scalar> Reduction<T> {
    /// Z(:, 0..m) := Q D X, where X (n x m, column-major) holds eigenvectors of the real
    /// T and D the unit diagonal with D^H T_A D = T (T_A's off-diagonal phases).
    ///
    /// # Safety
    /// `z` valid for n x m.
    unsafe fn back_transform(&self, x: &[f64], m: usize, z: RawMat<T>) {
        let n = self.reduced.nrows();
        let mut phase = vec![T::one(); n];
        for i in 1..n {
            let sub = self.reduced[(i, i - 1)] * phase[i - 1];
            let size = sub.modulus();
            phase[i] = if size.is_zero() {
                T::one()
            } else {
                sub * T::from_real(T::RealPart::from_f64(1.0) / size)
            };
        }
        let mut u = Mat::<T>::zeros(n, m);
        for j in 0..m {
            for i in 0..n {
                u[(i, j)] = phase[i] * T::from_real(T::RealPart::from_f64(x[i + j * n]));
            }
        }
        let block = self.factors.nrows();
        let par = crate::threads::par_for(2.0 * (n * n * m) as f64);
        let mut buffer = MemBuffer::new(
            householder::apply_block_householder_sequence_on_the_left_in_place_scratch::<T>(
                n - 1,
                block,
                m,
            ),
        );
        let (reduced, factors) = (self.reduced.as_ref(), self.factors.as_ref());
        let (target, stack) = (u.as_mut().subrows_mut(1, n - 1), MemStack::new(&mut buffer));
        crate::threads::for_rayon(par, move || {
            householder::apply_block_householder_sequence_on_the_left_in_place_with_conj(
                reduced.submatrix(1, 0, n - 1, n - 1),
                factors,
                Conj::No,
                target,
                par,
                stack,
            )
        });
        for j in 0..m {
            for i in 0..n {
                z.set(i, j, u[(i, j)]);
            }
        }
    }
}

/// A real symmetric tridiagonal matrix (diagonal d, off-diagonal e) with the same
/// eigenvalues as the scaled A, and the scale (eigenvalues of A = those of T / sigma).
struct Tridiagonal {
    d: Vec<f64>,
    e: Vec<f64>,
    sigma: f64,
    /// The diagonal entries that are 1 x 1 blocks of T (zero off-diagonals on both
    /// sides), ascending: eigenvalues known exactly.
    singletons: Vec<f64>,
    /// xSTEBZ's PIVMIN: the smallest pivot magnitude of a Sturm count.
    pivmin: f64,
    ulp: f64,
}

impl Tridiagonal {
    /// T for the Hermitian matrix whose `uplo` triangle A holds (A is only read), and
    /// the reduction that gave it; None when that triangle holds NaN or Inf.
    unsafe fn of<T: Scalar>(
        uplo: Uplo,
        n: usize,
        a: RawMat<T>,
    ) -> Option<(Tridiagonal, Reduction<T>)> {
        let mut h = Mat::<T>::zeros(n, n);
        let mut anrm = 0.0f64;
        for j in 0..n {
            for i in j..n {
                let x = match uplo {
                    Uplo::Lower => a.get(i, j),
                    Uplo::Upper => a.get(j, i).conj(),
                };
                let x = if i == j { T::from_real(x.re()) } else { x };
                let size = x.modulus().to_f64();
                if !size.is_finite() {
                    return None;
                }
                anrm = anrm.max(size);
                h[(i, j)] = x;
            }
        }
        // LAPACK's scaling into [sqrt(safmin / ulp), its inverse] (as xSYEVR).
        let eps = T::RealPart::epsilon().to_f64();
        let ulp = 2.0 * eps;
        let safmin = T::RealPart::safe_min().to_f64();
        let (rmin, rmax) = ((safmin / ulp).sqrt(), (ulp / safmin).sqrt());
        let sigma = if anrm > 0.0 && anrm < rmin {
            rmin / anrm
        } else if anrm > rmax {
            rmax / anrm
        } else {
            1.0
        };
        if sigma != 1.0 {
            let factor = T::from_real(T::RealPart::from_f64(sigma));
            for j in 0..n {
                for i in j..n {
                    h[(i, j)] *= factor;
                }
            }
        }
        let par = crate::threads::driver_par(n, 4.0 / 3.0 * (n as f64).powi(3));
        let params = Default::default();
        let block = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<T>(n, n);
        let mut householder = Mat::<T>::zeros(block, n - 1);
        let mut buffer = MemBuffer::new(tridiag::tridiag_in_place_scratch::<T>(n, par, params));
        let stack = MemStack::new(&mut buffer);
        let (target, factors) = (h.as_mut(), householder.as_mut());
        crate::threads::on_pool(par, move || {
            tridiag::tridiag_in_place(target, factors, par, stack, params)
        });
        let d: Vec<f64> = (0..n).map(|i| h[(i, i)].re().to_f64()).collect();
        let mut e: Vec<f64> = (0..n - 1)
            .map(|i| h[(i + 1, i)].modulus().to_f64())
            .collect();
        // xSTEBZ's splitting: an off-diagonal negligible next to its diagonal
        // neighbours is set to zero.
        for (i, ei) in e.iter_mut().enumerate() {
            if *ei * *ei <= (d[i] * d[i + 1]).abs() * ulp * ulp + safmin {
                *ei = 0.0;
            }
        }
        let mut singletons: Vec<f64> = (0..n)
            .filter(|&i| (i == 0 || e[i - 1] == 0.0) && (i + 1 == n || e[i] == 0.0))
            .map(|i| d[i])
            .collect();
        singletons.sort_by(f64::total_cmp);
        let largest = e.iter().fold(1.0f64, |acc, x| acc.max(x * x));
        let tridiagonal = Tridiagonal {
            d,
            e,
            singletons,
            sigma,
            pivmin: safmin * largest,
            ulp,
        };
        let reduction = Reduction {
            reduced: h,
            factors: householder,
        };
        Some((tridiagonal, reduction))
    }

    /// The number of eigenvalues of T that are <= x (xSTEBZ's Sturm count: the
    /// negative and zero pivots of the LDL^T factorization of T - x I, a pivot smaller
    /// than PIVMIN in magnitude taken as -PIVMIN).
    fn count(&self, x: f64) -> usize {
        let mut pivot = self.d[0] - x;
        let mut below = 0;
        for i in 0.. {
            if pivot.abs() < self.pivmin {
                pivot = -self.pivmin;
            }
            if pivot <= 0.0 {
                below += 1;
            }
            if i + 1 == self.d.len() {
                break;
            }
            pivot = self.d[i + 1] - x - self.e[i] * self.e[i] / pivot;
        }
        below
    }

    /// The eigenvalues (of A, unscaled) that `range` selects.
    fn select<R: Scalar + Float>(&self, range: Range<R>, abstol: f64) -> Values {
        let n = self.d.len();
        // Gershgorin bounds, widened as xSTEBZ does, so that count(low) = 0 and
        // count(high) = n.
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        for i in 0..n {
            let radius =
                if i > 0 { self.e[i - 1] } else { 0.0 } + self.e.get(i).copied().unwrap_or(0.0);
            low = low.min(self.d[i] - radius);
            high = high.max(self.d[i] + radius);
        }
        let norm = low.abs().max(high.abs());
        let fudge = 2.1 * (norm * self.ulp * n as f64 + 2.0 * self.pivmin);
        low -= fudge;
        high += fudge;
        while self.count(low) > 0 {
            low -= (low.abs() * self.ulp).max(fudge);
        }
        while self.count(high) < n {
            high += (high.abs() * self.ulp).max(fudge);
        }
        let atol = if abstol > 0.0 {
            abstol * self.sigma
        } else {
            self.ulp * norm
        };
        let (left, right, first, last) = match range {
            Range::Value(vl, vu) => {
                let (vl, vu) = (vl.to_f64() * self.sigma, vu.to_f64() * self.sigma);
                let (left, right) = (vl.max(low), vu.min(high));
                if left >= right {
                    (left, right, 0, 0)
                } else {
                    (left, right, self.count(left), self.count(right))
                }
            }
            Range::Index(il, iu) => (low, high, il - 1, iu),
            Range::All => (low, high, 0, n),
        };
        let scaled: Vec<f64> = (first + 1..=last)
            .map(|k| self.bisect(k, (left, right), atol))
            .collect();
        let values = scaled.iter().map(|v| v / self.sigma).collect();
        Values {
            first,
            values,
            scaled,
        }
    }

    /// The k-th smallest eigenvalue (k from 1) by bisection on (left, right], where
    /// count(left) < k <= count(right), to within xSTEBZ's max(atol, PIVMIN, 2 ulp
    /// |lambda|).
    fn bisect(&self, k: usize, (mut left, mut right): (f64, f64), atol: f64) -> f64 {
        loop {
            let width = right - left;
            let relative = 2.0 * self.ulp * left.abs().max(right.abs());
            let tolerance = atol.max(self.pivmin).max(relative);
            let middle = left + 0.5 * width;
            if width <= tolerance || middle <= left || middle >= right {
                break;
            }
            if self.count(middle) >= k {
                right = middle;
            } else {
                left = middle;
            }
        }
        // A 1 x 1 block's entry there is the eigenvalue exactly (as xSTEBZ returns it);
        // PIVMIN wide margins, as the count moves a zero pivot by PIVMIN.
        let next = self
            .singletons
            .partition_point(|&v| v <= left - self.pivmin);
        let exact = self.singletons.get(next);
        if let Some(&exact) = exact.filter(|&&v| v <= right + self.pivmin) {
            return exact;
        }
        // Else the midpoint, as xSTEBZ returns; `right` when it rounds onto `left`
        // (which may be VL, outside the interval).
        let middle = left + 0.5 * (right - left);
        if middle > left {
            middle
        } else {
            right
        }
    }
}
