//! Singular value decomposition: GESDD and GESVD (one body; they differ in how the
//! caller names the parts it wants and in the workspace contract). faer bidiagonalizes
//! (after a QR for very tall or wide matrices) and runs QR or divide and conquer on the
//! bidiagonal; around it we keep LAPACK's contract: the matrix is scaled into a safe
//! range first, singular values come back descending, V comes back as VT = V^H, and
//! the 'O' parts overwrite A. Single precision is solved in double (see `widen`),
//! min(m, n) <= 16 by one-sided Jacobi instead of faer (see `jacobi_svd`) unless our
//! QR iteration takes it (from 8, see `QR_ITERATION_FROM`), the
//! singular values alone by bidiagonalization and dqds (see `singular_values`), and
//! near-square matrices with vectors of most sizes by our bidiagonalization and
//! bidiagonal QR iteration or divide and conquer (see `svd_through_bidiagonal`).

use crate::blas::level3::view_mut;
use crate::lapack::jacobi_svd;
use crate::lapack::raw::RawMat;
use crate::lapack::singular_values;
use crate::lapack::svd_through_bidiagonal;
use crate::lapack::widen;
use crate::scalar::c64;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::svd::{self, ComputeSvdVectors};
use faer::{Mat, MatMut};

/// Which part of U (JOBU) or of VT (JOBVT) the caller wants.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Part {
    /// 'A': all m columns of U / n rows of VT, in U / VT.
    All,
    /// 'S': the first min(m, n), in U / VT.
    Leading,
    /// 'O': the first min(m, n), overwriting A.
    Overwrite,
    /// 'N': none.
    Nothing,
}

impl Part {
    pub fn from_char(c: u8) -> Option<Part> {
        match c.to_ascii_uppercase() {
            b'A' => Some(Part::All),
            b'S' => Some(Part::Leading),
            b'O' => Some(Part::Overwrite),
            b'N' => Some(Part::Nothing),
            _ => None,
        }
    }
}

/// How a decomposition ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    Done,
    /// A holds a NaN (nothing written).
    HasNaN,
    /// A holds an Inf, or the iteration failed: S (and every requested vector) is NaN.
    Failed,
}

/// The SVD A = U diag(S) VT of the m x n matrix A: S (min(m, n) reals, descending),
/// and the parts of U and VT that `jobu` / `jobvt` ask for. A is written for an
/// `Overwrite` part and, for values alone of a tall A, is the work space (LAPACK
/// destroys A in both); otherwise it is left as it was.
/// A NaN in A stops at once with `stop_on_nan` (GESDD's contract), else fails as an Inf.
///
/// # Safety
/// `a` valid for m x n, `s` for min(m, n) reals, `u` / `vt` for the parts asked.
pub unsafe fn gesvd<T: Scalar>(
    (jobu, jobvt): (Part, Part),
    (m, n): (usize, usize),
    a: RawMat<T>,
    s: *mut T::RealPart,
    u: RawMat<T>,
    vt: RawMat<T>,
    stop_on_nan: bool,
) -> Outcome {
    let k = m.min(n);
    if k == 0 {
        return Outcome::Done;
    }
    if widen::is_single::<T>() {
        let wide = if T::IS_COMPLEX {
            gesvd_wide::<T, c64>
        } else {
            gesvd_wide::<T, f64>
        };
        return wide((jobu, jobvt), (m, n), a, s, u, vt, stop_on_nan);
    }
    let s = std::slice::from_raw_parts_mut(s, k);

    // Values alone (beyond Jacobi's sizes) come from `singular_values`, which wants
    // rows >= columns: a wide A is copied as A^H, which has the same values.
    let values_only = jobu == Part::Nothing && jobvt == Part::Nothing && k > jacobi_svd::MAX_JACOBI;
    let transposed = values_only && m < n;
    // Values alone of a tall A are computed in A: one m x n copy fewer (NumPy's
    // `svd(compute_uv=False)`). Otherwise our own copy: faer reads its input while we
    // write the 'O' part into A.
    let in_place = values_only && !transposed;
    let mut x = if transposed {
        Mat::<T>::zeros(n, m)
    } else if in_place {
        Mat::<T>::new()
    } else {
        Mat::<T>::zeros(m, n)
    };
    let (mut anrm, mut nan, mut inf) = (T::RealPart::zero(), false, false);
    for j in 0..n {
        for i in 0..m {
            let value = a.get(i, j);
            let size = value.modulus();
            nan |= value.re().is_nan() || value.im().is_nan();
            inf |= size.to_f64().is_infinite();
            anrm = anrm.max(size);
            if transposed {
                x[(j, i)] = value.conj();
            } else if !in_place {
                x[(i, j)] = value;
            }
        }
    }
    if nan && stop_on_nan {
        return Outcome::HasNaN;
    }
    let u_cols = if jobu == Part::All { m } else { k };
    let v_cols = if jobvt == Part::All { n } else { k };
    if nan || inf {
        return fail((jobu, jobvt), (m, n), (u_cols, v_cols), a, s, u, vt);
    }

    // LAPACK's scaling: the largest entry into [sqrt(safmin)/ulp, its inverse].
    let (smlnum, bignum) = safe_range::<T::RealPart>();
    let sigma = if anrm > T::RealPart::zero() && anrm < smlnum {
        smlnum / anrm
    } else if anrm > bignum {
        bignum / anrm
    } else {
        T::RealPart::one()
    };
    let mut work = if in_place {
        view_mut(a.ptr, m, n, a.ld)
    } else {
        x.as_mut()
    };
    if sigma != T::RealPart::one() {
        let factor = T::from_real(sigma);
        for j in 0..work.ncols() {
            for i in 0..work.nrows() {
                work[(i, j)] *= factor;
            }
        }
    }

    let kind = |part: Part| match part {
        Part::Nothing => ComputeSvdVectors::No,
        Part::All => ComputeSvdVectors::Full,
        Part::Leading | Part::Overwrite => ComputeSvdVectors::Thin,
    };
    let vectors = jobu != Part::Nothing || jobvt != Part::Nothing;
    let (big, small) = (m.max(n) as f64, k as f64);
    let flops = big * small * small * if vectors { 16.0 } else { 4.0 };
    let par = crate::threads::driver_par(k, flops);
    if values_only {
        // Should dqds and its fallback both fail (not seen), INFO > 0 as a failed SVD.
        let Some(values) =
            crate::threads::on_pool(par, move || singular_values::of_tall(work, par))
        else {
            return fail((jobu, jobvt), (m, n), (u_cols, v_cols), a, s, u, vt);
        };
        for (si, value) in s.iter_mut().zip(values) {
            *si = value / sigma;
        }
        return Outcome::Done;
    }
    let params = svd_params::<T>(k);
    let scratch = svd::svd_scratch::<T>(m, n, kind(jobu), kind(jobvt), par, params);
    let mut buffer = MemBuffer::new(scratch);
    let stack = MemStack::new(&mut buffer);

    // U goes straight into the caller's U when it is wanted there; an 'O' U and V
    // (which LAPACK returns transposed) go through our own storage.
    let mut u_own = Mat::<T>::zeros(if jobu == Part::Overwrite { m } else { 0 }, k);
    let u_out: Option<MatMut<'_, T>> = match jobu {
        Part::Nothing => None,
        Part::Overwrite => Some(u_own.as_mut()),
        _ => {
            // faer's tall-matrix path leaves the top right block of a full U as it
            // found it (zero in its own allocations): start from zero.
            let mut view = view_mut(u.ptr, m, u_cols, u.ld);
            view.fill(T::zero());
            Some(view)
        }
    };
    let mut v_own = Mat::<T>::zeros(n, if jobvt == Part::Nothing { 0 } else { v_cols });
    let v_out = (jobvt != Part::Nothing).then(|| v_own.as_mut());
    let mut values = Diag::<T>::zeros(k);
    // Should a secular equation not converge there (not seen), faer's SVD takes over.
    let (mut u_out, mut v_out) = (u_out, v_out);
    let ours = through_bidiagonal(m, n) && {
        // Our path works in x itself (one m x n copy fewer); A, not yet written, gives
        // x again should it fail.
        let (taken, u, v) = (
            std::mem::replace(&mut x, Mat::new()),
            u_out.as_mut().map(|u| u.as_mut()),
            v_out.as_mut().map(|v| v.as_mut()),
        );
        let found = if ours_fails_for_test() {
            None
        } else {
            crate::threads::on_pool(par, move || svd_through_bidiagonal::svd(taken, u, v))
        };
        for (i, value) in found.iter().flatten().enumerate() {
            values[i] = T::from_real(<T::RealPart as Scalar>::from_f64_lossy(*value));
        }
        if found.is_none() {
            let factor = T::from_real(sigma);
            x = Mat::from_fn(m, n, |i, j| a.get(i, j) * factor);
        }
        found.is_some()
    };
    let solved = if ours {
        true
    } else if k <= jacobi_svd::MAX_JACOBI && !widen::is_single::<T>() {
        // Small matrices: one-sided Jacobi, whose small singular values are accurate
        // relative to themselves (see `jacobi_svd`).
        let (jv, ju, jvv) = jacobi_svd::svd(&x, u_cols, v_cols);
        for (i, value) in jv.iter().enumerate() {
            values[i] = T::from_real(<T::RealPart as Scalar>::from_f64_lossy(*value));
        }
        if let Some(mut target) = u_out {
            for j in 0..target.ncols() {
                for i in 0..m {
                    target[(i, j)] = ju[(i, j)];
                }
            }
        }
        if let Some(mut target) = v_out {
            for j in 0..target.ncols() {
                for i in 0..n {
                    target[(i, j)] = jvv[(i, j)];
                }
            }
        }
        true
    } else {
        let (x, values) = (x.as_ref(), values.as_mut());
        // faer's bidiagonalization runs a threaded step a column: a team keeps the
        // threads awake between them (dgesdd 1024 on 2 threads: 0.21 -> 0.18 s).
        crate::threads::on_pool(par, move || {
            crate::threads::with_team(|| svd::svd(x, values, u_out, v_out, par, stack, params))
                .is_ok()
        })
    };
    if !solved {
        return fail((jobu, jobvt), (m, n), (u_cols, v_cols), a, s, u, vt);
    }

    for (i, si) in s.iter_mut().enumerate() {
        *si = values.column_vector()[i].re() / sigma;
    }
    if jobu == Part::Overwrite {
        for j in 0..k {
            for i in 0..m {
                a.set(i, j, u_own[(i, j)]);
            }
        }
    }
    if jobvt != Part::Nothing {
        let target = if jobvt == Part::Overwrite { a } else { vt };
        for j in 0..n {
            for i in 0..v_cols {
                target.set(i, j, v_own[(j, i)].conj());
            }
        }
    }
    Outcome::Done
}

/// [`gesvd`] of a single-precision T computed in W (its double-precision field).
unsafe fn gesvd_wide<T: Scalar, W: Scalar>(
    (jobu, jobvt): (Part, Part),
    (m, n): (usize, usize),
    a: RawMat<T>,
    s: *mut T::RealPart,
    u: RawMat<T>,
    vt: RawMat<T>,
    stop_on_nan: bool,
) -> Outcome {
    let k = m.min(n);
    let u_cols = if jobu == Part::All { m } else { k };
    let v_rows = if jobvt == Part::All { n } else { k };
    let wanted = |part: Part| part == Part::All || part == Part::Leading;
    let mut a_wide = widen::copy_in::<T, W>(a, m, n);
    let mut s_wide = vec![W::RealPart::zero(); k];
    let mut u_wide = vec![W::zero(); if wanted(jobu) { m * u_cols } else { 0 }];
    let mut vt_wide = vec![W::zero(); if wanted(jobvt) { v_rows * n } else { 0 }];
    let outcome = gesvd(
        (jobu, jobvt),
        (m, n),
        RawMat::new(a_wide.as_mut_ptr(), m),
        s_wide.as_mut_ptr(),
        RawMat::new(u_wide.as_mut_ptr(), m.max(1)),
        RawMat::new(vt_wide.as_mut_ptr(), v_rows.max(1)),
        stop_on_nan,
    );
    if outcome == Outcome::HasNaN {
        return outcome;
    }
    let s = std::slice::from_raw_parts_mut(s, k);
    for (si, value) in s.iter_mut().zip(&s_wide) {
        *si = widen::convert_real(*value);
    }
    if jobu == Part::Overwrite || jobvt == Part::Overwrite {
        // The untouched entries round-trip exactly.
        widen::copy_out(&a_wide, a, m, n);
    }
    if wanted(jobu) {
        widen::copy_out(&u_wide, u, m, u_cols);
    }
    if wanted(jobvt) {
        widen::copy_out(&vt_wide, vt, v_rows, n);
    }
    outcome
}

/// Smallest min(m, n) above faer's range whose vectors come from our bidiagonalization
/// and divide and conquer (`svd_through_bidiagonal`). dgesdd on 2 cores, ms, ours /
/// faer's: 64 0.30 / 0.35-0.42, 112 1.03 / 1.17 (our QR iteration); 128 1.46 / 1.23, 192
/// 3.4-3.7 / 2.6 (faer's divide and conquer from 128); 256 4.9 / 5.6, 512 25.7 / 24-27,
/// 1024 0.8x.
const THROUGH_BIDIAGONAL: usize = 256;

/// Smallest min(m, n) whose vectors come from our bidiagonalization and QR iteration
/// instead of one-sided Jacobi. dgesdd on 2 cores, us, Jacobi / QR iteration / OpenBLAS:
/// 5 2.8 / 5.3 / 3.5, 6 4.1 / 6.0 / 3.9, 8 8.8 / 7.9 / 7.0, 12 20.9 / 14.4 / 14.0, 16
/// 45.8 / 21.8 / 25.4.
const QR_ITERATION_FROM: usize = 8;

/// Whether an m x n SVD with vectors goes through `svd_through_bidiagonal`: past the
/// Jacobi sizes, outside faer's better range, and not so tall or wide that a QR first
/// would pay (xGESDD's crossover, 11/6).
fn through_bidiagonal(m: usize, n: usize) -> bool {
    let (small, big) = (m.min(n), m.max(n));
    // faer's own range: QR_ITERATION_BELOW..THROUGH_BIDIAGONAL.
    let faers = svd_through_bidiagonal::QR_ITERATION_BELOW..THROUGH_BIDIAGONAL;
    let sized = small >= QR_ITERATION_FROM && !faers.contains(&small);
    sized && 6 * big < 11 * small
}

/// Largest bidiagonal that faer's divide and conquer leaves to the QR iteration, for
/// problems above faer's default threshold (128) only. 1-thread dgesdd 'A' at n = 1024:
/// 0.70 s with 16 against 0.87 with 128. Below 128 faer's divide and conquer loses
/// accuracy on rank-deficient matrices (n = 20..100 with rank n/2: residuals 1e11 ulps),
/// so those keep the QR iteration.
const SVD_LEAF: usize = 16;

/// faer's SVD parameters for a problem of min(m, n) = `k`, with [`SVD_LEAF`] above 128.
pub fn svd_params<T: Scalar>(k: usize) -> faer::Spec<svd::SvdParams, T> {
    let mut params: svd::SvdParams = faer::Auto::<T>::auto();
    if k > params.recursion_threshold {
        params.recursion_threshold = SVD_LEAF;
    }
    params.into()
}

/// sqrt(safmin) / ulp and its inverse: xGESDD's SMLNUM and BIGNUM.
fn safe_range<R: Scalar<RealPart = R> + Float>() -> (R, R) {
    let ulp = R::epsilon().to_f64() * 2.0;
    let smlnum = R::safe_min().to_f64().sqrt() / ulp;
    (R::from_f64(smlnum), R::from_f64(1.0 / smlnum))
}

/// NaN in S and in every requested part: the outputs of a failed decomposition.
#[allow(clippy::too_many_arguments)]
unsafe fn fail<T: Scalar>(
    (jobu, jobvt): (Part, Part),
    (m, n): (usize, usize),
    (u_cols, v_rows): (usize, usize),
    a: RawMat<T>,
    s: &mut [T::RealPart],
    u: RawMat<T>,
    vt: RawMat<T>,
) -> Outcome {
    let nan = T::RealPart::from_f64(f64::NAN);
    s.fill(nan);
    let fill = |target: RawMat<T>, rows: usize, cols: usize| {
        for j in 0..cols {
            for i in 0..rows {
                target.set(i, j, T::from_real(nan));
            }
        }
    };
    match jobu {
        Part::Nothing => {}
        Part::Overwrite => fill(a, m, u_cols),
        _ => fill(u, m, u_cols),
    }
    match jobvt {
        Part::Nothing => {}
        Part::Overwrite => fill(a, v_rows, n),
        _ => fill(vt, v_rows, n),
    }
    Outcome::Failed
}

#[cfg(test)]
thread_local! {
    /// Makes our bidiagonal path report a failure, so that its fallback runs.
    static OURS_FAILS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
fn ours_fails_for_test() -> bool {
    OURS_FAILS.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn ours_fails_for_test() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::reals;

    /// Our bidiagonal path works in our copy of A; when it fails, A (not yet written)
    /// gives the copy again and faer's SVD runs on it: the same factorization within
    /// rounding, A untouched.
    #[test]
    fn the_fallback_after_our_path_fails_starts_from_a() {
        let (m, n) = (300, 280);
        assert!(through_bidiagonal(m, n));
        let a0 = reals(m * n, 9);
        let run = |fail: bool| {
            let mut a = a0.clone();
            let (mut s, mut u, mut vt) = (vec![0.0; n], vec![0.0; m * n], vec![0.0; n * n]);
            OURS_FAILS.with(|c| c.set(fail));
            // SAFETY: every array holds its m x n, n, m x n, n x n doubles.
            let outcome = unsafe {
                gesvd(
                    (Part::Leading, Part::Leading),
                    (m, n),
                    RawMat::new(a.as_mut_ptr(), m),
                    s.as_mut_ptr(),
                    RawMat::new(u.as_mut_ptr(), m),
                    RawMat::new(vt.as_mut_ptr(), n),
                    false,
                )
            };
            OURS_FAILS.with(|c| c.set(false));
            assert_eq!(outcome, Outcome::Done);
            assert_eq!(a, a0, "A untouched");
            (s, u, vt)
        };
        let (s, _, _) = run(false);
        let (s_fallback, u, vt) = run(true);
        for (x, y) in s.iter().zip(&s_fallback) {
            assert!((x - y).abs() <= 1e-12 * s[0], "{x} against {y}");
        }
        // A = U S VT within rounding.
        let mut worst: f64 = 0.0;
        for j in 0..n {
            for i in 0..m {
                let sum: f64 = (0..n)
                    .map(|l| u[i + l * m] * s_fallback[l] * vt[l + j * n])
                    .sum();
                worst = worst.max((sum - a0[i + j * m]).abs());
            }
        }
        assert!(worst < 1e-12 * s[0], "{worst}");
    }
}
