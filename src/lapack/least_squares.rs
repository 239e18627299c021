//! Minimum-norm least squares through the SVD: xGELSD and xGELSS, one body that differs
//! only in which singular values count as zero. A tall A is first reduced to its n x n
//! triangle R (A = QR, B := Q^H B, so rows n+1..m of B hold the residual's components, as
//! in LAPACK); then R (or a wide A) = U S V^H and X = V S^+ U^H B. The first min(m, n)
//! rows of A receive V^H (xGELSS's documented output). xGELSD first tries the full-rank
//! path of `bidiagonal_least_squares`, which forms no singular vectors.

use crate::blas::level3;
use crate::lapack::bidiagonal_least_squares;
use crate::lapack::raw::RawMat;
use crate::lapack::scaling::{self, Scaled};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use crate::threads::driver_par;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::householder::apply_block_householder_sequence_transpose_on_the_left_in_place_with_conj;
use faer::linalg::matmul::matmul_with_conj;
use faer::linalg::qr::no_pivoting::factor as qr;
use faer::linalg::svd::{self, ComputeSvdVectors};
use faer::{Accum, Conj, Mat, MatMut, MatRef, Par};

/// LAPACK's SMLSIZ for xGELSD (ILAENV ispec 9): the size of the divide-and-conquer
/// leaves, which enters the workspace formulas.
const SMLSIZ: usize = 25;

/// Minimum workspace of xGELSD: (LWORK, LIWORK, LRWORK), as the reference computes them.
pub fn gelsd_work<T: Scalar>(m: usize, n: usize, nrhs: usize) -> (usize, usize, usize) {
    let minmn = m.min(n);
    // MNTHR = ILAENV(6): min(m, n) * 1.6 in single precision.
    let mnthr = (minmn as f32 * 1.6f32) as usize;
    let leaves = |k: usize| -> usize {
        let levels = ((k as f64 / (SMLSIZ + 1) as f64).ln() / 2f64.ln()) as i64 + 1;
        levels.max(0) as usize
    };
    let tree = (SMLSIZ + 1) * (SMLSIZ + 1);
    if minmn == 0 && T::PREFIX != 'D' {
        return (1, 1, 1);
    }
    if !T::IS_COMPLEX {
        // DGELSD of LAPACK 3.11 sizes even empty problems with max(1, min(m, n)).
        let k = minmn.max(1);
        let nlvl = leaves(k);
        let liwork = 3 * k * nlvl + 11 * k;
        let lalsd = |k: usize| 9 * k + 2 * k * SMLSIZ + 8 * k * nlvl + k * nrhs + tree;
        let lwork = if m >= n {
            let mm = if m >= mnthr { n } else { m };
            (3 * n + mm).max(3 * n + nrhs).max(3 * n + lalsd(n))
        } else {
            (3 * m + nrhs).max(3 * m + m).max(3 * m + lalsd(m))
        };
        return (lwork, liwork, 1);
    }
    let nlvl = leaves(minmn);
    let liwork = 3 * minmn * nlvl + 11 * minmn;
    let lrwork = |k: usize| {
        10 * k
            + 2 * k * SMLSIZ
            + 8 * k * nlvl
            + 3 * SMLSIZ * nrhs
            + tree.max(n * (1 + nrhs) + 2 * nrhs)
    };
    if m >= n {
        let mm = if m >= mnthr { n } else { m };
        ((2 * n + mm).max(2 * n + n * nrhs), liwork, lrwork(n))
    } else {
        ((2 * m + n).max(2 * m + m * nrhs), liwork, lrwork(m))
    }
}

/// Minimum workspace of xGELSS (LAPACK's MINWRK) and its formula, for the message of a
/// too short LWORK; complex types also take RWORK(5 min(m, n)).
pub fn gelss_work<T: Scalar>(m: usize, n: usize, nrhs: usize) -> (usize, &'static str) {
    let (minmn, maxmn) = (m.min(n), m.max(n));
    if minmn == 0 {
        return (1, "1 (min(M, N) = 0)");
    }
    if T::IS_COMPLEX {
        let minimum = 2 * minmn + nrhs.max(maxmn);
        return (minimum, "2*min(M, N) + max(M, N, NRHS)");
    }
    // A tall A reduced to its triangle first (m >= MNTHR = 1.6 n) needs only 3n + n.
    let mnthr = (minmn as f32 * 1.6f32) as usize;
    if m >= n && m >= mnthr {
        let minimum = (3 * n + n).max(3 * n + nrhs).max(5 * n);
        return (minimum, "3*N + max(2*N, NRHS) (M >= 1.6*N)");
    }
    let minimum = (3 * minmn + maxmn).max(3 * minmn + nrhs).max(5 * minmn);
    (minimum, "3*min(M, N) + max(2*min(M, N), max(M, N), NRHS)")
}

/// Which singular values count as zero.
#[derive(Clone, Copy)]
pub enum Cutoff<R> {
    /// xGELSD: s <= rcond * s_max, machine epsilon for rcond <= 0 or >= 1 (xLALSD).
    Gelsd(R),
    /// xGELSS: s <= max(rcond * s_max, safe minimum), the ulp for rcond < 0.
    Gelss(R),
}

impl<R: crate::scalar::Real> Cutoff<R> {
    fn threshold(self, s_max: R) -> R {
        let (zero, one) = (R::from_f64(0.0), R::from_f64(1.0));
        match self {
            Cutoff::Gelsd(rcond) => {
                let rcnd = if rcond <= zero || rcond >= one {
                    R::epsilon()
                } else {
                    rcond
                };
                rcnd * s_max
            }
            Cutoff::Gelss(rcond) => {
                let rcnd = if rcond < zero {
                    R::epsilon() * R::from_f64(2.0)
                } else {
                    rcond
                };
                (rcnd * s_max).max(R::safe_min())
            }
        }
    }
}

/// The result of [`svd_solve`]: the effective rank and INFO (> 0: the SVD did not
/// converge).
pub struct Solved {
    pub rank: usize,
    pub info: usize,
}

/// Solves min ||B - A X|| with minimum ||X|| for the m x n matrix A (destroyed) and the
/// max(m, n) x nrhs matrix B (its first n rows become X). S receives the min(m, n)
/// singular values in decreasing order; `cutoff` says which count as zero.
///
/// # Safety
/// `a` valid for m x n, `b` for max(m, n) x nrhs, `s` for min(m, n) values.
pub unsafe fn svd_solve<T: Scalar>(
    (m, n, nrhs): (usize, usize, usize),
    a: RawMat<T>,
    b: RawMat<T>,
    s: *mut T::RealPart,
    cutoff: Cutoff<T::RealPart>,
) -> Solved {
    let k = m.min(n);
    let rows = m.max(n);
    let s = std::slice::from_raw_parts_mut(s, k);
    let zero = T::RealPart::from_f64(0.0);
    let anrm = scaling::max_abs(m, n, a);
    if anrm.is_nan() || anrm.to_f64().is_infinite() {
        // The reference's arithmetic turns every output into NaN here; say so directly
        // rather than hand NaN to the SVD's iterations.
        s.fill(T::RealPart::from_f64(f64::NAN));
        fill(n, nrhs, b, T::from_real(T::RealPart::from_f64(f64::NAN)));
        return Solved { rank: 0, info: 0 };
    }
    if anrm == zero {
        s.fill(zero);
        fill(rows, nrhs, b, T::zero());
        return Solved { rank: 0, info: 0 };
    }
    let a_scaled = scaling::into_range(anrm, m, n, a);
    let b_scaled = scaling::into_range(scaling::max_abs(m, nrhs, b), m, nrhs, b);
    if m < n {
        fill(n - m, nrhs, b.at(m, 0), T::zero());
    }

    let flops = (m * n * k + k * k * k) as f64 * 8.0;
    let par = driver_par(k, flops);
    // All of it on the pool's threads: faer's work, and ours that calls no BLAS entry.
    // A tall A goes through its triangle first (MNTHR = 1.6 n, as in LAPACK) when the
    // bidiagonalization of all of A would cost more; xGELSS always does.
    // The path without vectors takes S from dqds, accurate relative to each value: in
    // single precision too (xSTERF on the Golub-Kahan form, accurate relative to the
    // largest only, missed SciPy's test_gelsd by 3.4e-6 relative on the smaller of
    // two values, its rtol being 25 eps).
    let solved = crate::threads::on_pool_unsent(par, || {
        let gelsd = matches!(cutoff, Cutoff::Gelsd(_));
        let mut square = None;
        if m > n && (!gelsd || m as f64 >= 1.6 * n as f64) {
            square = Some(reduce_to_triangle((m, n, nrhs), a, b, par));
        }
        let full_rank = if gelsd {
            let w = match &square {
                Some(r) => r.clone(),
                None if m < n => view(a, m, n).adjoint().to_owned(),
                None => view(a, m, n).to_owned(),
            };
            let threshold = |largest| cutoff.threshold(largest);
            bidiagonal_least_squares::solve_full_rank(w, m < n, b, nrhs, threshold)
        } else {
            None
        };
        match full_rank {
            Some(values) => {
                s.copy_from_slice(&values);
                Some(k)
            }
            None => {
                let square = match square {
                    Some(r) => r,
                    None if m > n => reduce_to_triangle((m, n, nrhs), a, b, par),
                    None => view(a, m, n).to_owned(),
                };
                solve_through_svd((m, n, nrhs), square.as_ref(), a, b, s, cutoff, par)
            }
        }
    });
    let Some(rank) = solved else {
        return Solved { rank: 0, info: 1 };
    };

    if let Scaled::From { norm, target } = a_scaled {
        scaling::rescale(norm, target, n, nrhs, b);
        let s_mat = RawMat::new(s.as_mut_ptr(), k.max(1));
        scaling::rescale::<T::RealPart>(target, norm, k, 1, s_mat);
    }
    if let Scaled::From { norm, target } = b_scaled {
        scaling::rescale(target, norm, n, nrhs, b);
    }
    Solved { rank, info: 0 }
}

/// X = V S^+ U^H B(1:k) from the thin SVD of `square` (A's triangle, or A itself when
/// m <= n); S and, for xGELSS, V^H in A's first k rows. The rank, or None when the
/// SVD did not converge.
#[allow(clippy::too_many_arguments)]
unsafe fn solve_through_svd<T: Scalar>(
    (m, n, nrhs): (usize, usize, usize),
    square: MatRef<'_, T>,
    a: RawMat<T>,
    b: RawMat<T>,
    s: &mut [T::RealPart],
    cutoff: Cutoff<T::RealPart>,
    par: Par,
) -> Option<usize> {
    let k = m.min(n);
    let Svd { u, s: sv, v } = thin_svd(square, par)?;

    // C = U^H B(1:k, :), then row i of C divided by s_i or zeroed.
    let mut c = Mat::<T>::zeros(k, nrhs);
    matmul_with_conj(
        c.as_mut(),
        Accum::Replace,
        u.transpose(),
        Conj::Yes,
        view(b, k, nrhs),
        Conj::No,
        T::one(),
        par,
    );
    let tol = cutoff.threshold(sv[0].abs());
    let mut rank = 0;
    for (i, &value) in sv.iter().enumerate() {
        let keep = value > tol;
        rank += keep as usize;
        for j in 0..nrhs {
            c[(i, j)] = if keep {
                c[(i, j)].quotient(T::from_real(value))
            } else {
                T::zero()
            };
        }
    }
    matmul_with_conj(
        view_mut(b, n, nrhs),
        Accum::Replace,
        v.as_ref(),
        Conj::No,
        c.as_ref(),
        Conj::No,
        T::one(),
        par,
    );
    s.copy_from_slice(&sv);
    for i in 0..k {
        for j in 0..n {
            a.set(i, j, v[(j, i)].conj());
        }
    }
    Some(rank)
}

/// A = QR in place (m > n), B := Q^H B; returns R.
unsafe fn reduce_to_triangle<T: Scalar>(
    (m, n, nrhs): (usize, usize, usize),
    a: RawMat<T>,
    b: RawMat<T>,
    par: Par,
) -> Mat<T> {
    let block = qr::recommended_block_size::<T>(m, n);
    let mut coeff = Mat::<T>::zeros(block, n);
    let scratch = qr::qr_in_place_scratch::<T>(m, n, block, par, Default::default()).or(
        faer::linalg::householder::apply_block_householder_sequence_transpose_on_the_left_in_place_scratch::<T>(
            m, block, nrhs,
        ),
    );
    let mut buffer = MemBuffer::new(scratch);
    let stack = MemStack::new(&mut buffer);
    qr::qr_in_place(
        view_mut(a, m, n),
        coeff.as_mut(),
        par,
        stack,
        Default::default(),
    );
    apply_block_householder_sequence_transpose_on_the_left_in_place_with_conj(
        view(a, m, n),
        coeff.as_ref(),
        Conj::Yes,
        view_mut(b, m, nrhs),
        par,
        stack,
    );
    Mat::from_fn(n, n, |i, j| if i <= j { a.get(i, j) } else { T::zero() })
}

/// A thin SVD: A = U diag(s) V^H, s decreasing.
struct Svd<T: Scalar> {
    u: Mat<T>,
    s: Vec<T::RealPart>,
    v: Mat<T>,
}

/// The thin SVD of a k x n or m x k matrix, or None when the iteration did not converge.
fn thin_svd<T: Scalar>(a: MatRef<'_, T>, par: Par) -> Option<Svd<T>> {
    let (m, n) = a.shape();
    let k = m.min(n);
    let (mut u, mut v) = (Mat::<T>::zeros(m, k), Mat::<T>::zeros(n, k));
    let mut s = Mat::<T>::zeros(k, 1);
    let thin = ComputeSvdVectors::Thin;
    let mut buffer = MemBuffer::new(svd::svd_scratch::<T>(
        m,
        n,
        thin,
        thin,
        par,
        crate::lapack::svd::svd_params::<T>(k),
    ));
    let stack = MemStack::new(&mut buffer);
    svd::svd(
        a,
        s.as_mut().col_mut(0).as_diagonal_mut(),
        Some(u.as_mut()),
        Some(v.as_mut()),
        par,
        stack,
        crate::lapack::svd::svd_params::<T>(k),
    )
    .ok()?;
    let s = (0..k).map(|i| s[(i, 0)].re()).collect();
    Some(Svd { u, s, v })
}

unsafe fn view<'a, T: Scalar>(a: RawMat<T>, m: usize, n: usize) -> MatRef<'a, T> {
    level3::view(a.ptr, m, n, a.ld)
}

unsafe fn view_mut<'a, T: Scalar>(a: RawMat<T>, m: usize, n: usize) -> MatMut<'a, T> {
    level3::view_mut(a.ptr, m, n, a.ld)
}

unsafe fn fill<T: Scalar>(m: usize, n: usize, a: RawMat<T>, value: T) {
    for j in 0..n {
        for i in 0..m {
            a.set(i, j, value);
        }
    }
}
