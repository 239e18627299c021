//! Symmetric / Hermitian eigensolvers. SYEV/HEEV ([`heev`]) are LAPACK's algorithm:
//! tridiagonal reduction, then root-free QL/QR for the values or QL/QR with the
//! rotations accumulated for the vectors (see `tridiagonal`, `tridiagonal_qr`), so
//! their eigenvalues are the reference's bit for bit on the same BLAS.
//!
//! SYEVD/HEEVD ([`heevd`]): real without vectors LAPACK's xSYTRD and xSTERF; real with
//! vectors beyond the last-level cache our xSYTRD, faer's tridiagonal divide and
//! conquer and xORMTR (see [`reduced_then_divided`]); otherwise faer reduces to
//! tridiagonal form and runs QR (small n) or divide and conquer. Around it we keep
//! LAPACK's contract: only the UPLO triangle is read, the matrix is scaled first (into
//! LAPACK's safe range for LAPACK's algorithms, to largest entry in [1, 2) for faer's,
//! whose tolerances are absolute), eigenvalues come back ascending and eigenvectors
//! overwrite A. Single
//! precision is solved in double (see `widen`): faer's f32 eigenvalues are 50-100 ulp
//! off where LAPACK's are 10-30, beyond the Netlib CHEGV residual threshold. n <= 16
//! goes to cyclic Jacobi instead of faer (see `jacobi_eigen`).

use crate::blas::args::{Side, Trans, Uplo};
use crate::blas::level3::view_mut;
use crate::lapack::jacobi_eigen;
use crate::lapack::norms::{self, Norm, Shape};
use crate::lapack::raw::RawMat;
use crate::lapack::scaling::{self, rescale};
use crate::lapack::widen;
use crate::lapack::{qr, tridiagonal, tridiagonal_qr};
use crate::scalar::c64;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::Mat;

/// Computes the eigenvalues (ascending, in `w`) and, with `vectors`, the orthonormal
/// eigenvectors (overwriting A's n x n block) of the Hermitian matrix whose `uplo`
/// triangle is stored in A. Without `vectors` A is left as it was (LAPACK only
/// promises it is destroyed). Returns LAPACK's INFO: 0, or > 0 when the iteration
/// failed, which includes any NaN or Inf in the triangle: then W (and A with
/// `vectors`) is filled with NaN and INFO is n - 1 without vectors (every off-diagonal
/// unconverged) or (n + 1) + n with vectors (the whole matrix, LAPACK's
/// rows INFO/(N+1) through MOD(INFO, N+1) encoding).
///
/// # Safety
/// `a` valid for n x n, `w` for n reals.
pub unsafe fn heevd<T: Scalar>(
    vectors: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    w: *mut T::RealPart,
) -> usize {
    if widen::is_single::<T>() && n > 1 {
        return if T::IS_COMPLEX {
            heevd_wide::<T, c64>(vectors, uplo, n, a, w)
        } else {
            heevd_wide::<T, f64>(vectors, uplo, n, a, w)
        };
    }
    let w = std::slice::from_raw_parts_mut(w, n);
    if n == 0 {
        return 0;
    }
    if n == 1 {
        // The imaginary part of a Hermitian diagonal is ignored, as in LAPACK.
        w[0] = a.get(0, 0).re();
        if vectors {
            a.set(0, 0, T::one());
        }
        return 0;
    }

    // The full Hermitian matrix's lower triangle, in our own storage (faer reads the
    // lower triangle and must not alias the eigenvector output, which is A).
    let mut h = Mat::<T>::zeros(n, n);
    let mut finite = true;
    let mut anrm = T::RealPart::zero();
    for j in 0..n {
        for i in j..n {
            let x = match uplo {
                Uplo::Lower => a.get(i, j),
                Uplo::Upper => a.get(j, i).conj(),
            };
            let x = if i == j { T::from_real(x.re()) } else { x };
            let size = x.modulus();
            finite &= size.to_f64().is_finite();
            anrm = anrm.max(size);
            h[(i, j)] = x;
        }
    }
    if !finite {
        return failed(vectors, n, a, w);
    }

    // Jacobi (small n) and, for real matrices without vectors, xSYEV's own computation
    // take LAPACK's scaling: the largest entry into [sqrt(smlnum), sqrt(bignum)], so
    // that the reduction neither underflows nor overflows. faer's solvers always get the
    // largest entry in [1, 2) (see `unit_scale`).
    let by_jacobi = n <= jacobi_eigen::MAX_JACOBI && !widen::is_single::<T>();
    let by_lapack = by_jacobi || (!T::IS_COMPLEX && !vectors);
    let (rmin, rmax) = safe_range::<T::RealPart>();
    let sigma = if !by_lapack {
        unit_scale(anrm)
    } else if anrm > T::RealPart::zero() && anrm < rmin {
        rmin / anrm
    } else if anrm > rmax {
        rmax / anrm
    } else {
        T::RealPart::one()
    };
    if sigma != T::RealPart::one() {
        let factor = T::from_real(sigma);
        for j in 0..n {
            for i in j..n {
                h[(i, j)] *= factor;
            }
        }
    }

    if by_jacobi {
        let (values, z) = jacobi_eigen::evd(&h);
        for (wi, value) in w.iter_mut().zip(&values) {
            *wi = <T::RealPart as Scalar>::from_f64_lossy(*value) / sigma;
        }
        if vectors {
            for j in 0..n {
                for i in 0..n {
                    a.set(i, j, z[(i, j)]);
                }
            }
        }
        return 0;
    }

    // Real matrices as LAPACK's, on the copy `h`, already scaled into the range xSYEV
    // scales to. Values alone by xSYEV's computation (xSYTRD on our DSYMV and DSYR2K,
    // then xSTERF; faer's reduction took 1.3x the time on 2 cores at n = 2048 and
    // 1.5-1.9x on 16); vectors once A is more than twice the last-level cache (see
    // [`reduced_then_divided`]). Complex ones stay on faer (our ZHETRD runs ZHEMV on
    // plain code and ZHER2K on faer's triangular product: 1.5x faer's time at 2048).
    let bytes = n.saturating_mul(n).saturating_mul(std::mem::size_of::<T>());
    if !T::IS_COMPLEX && (!vectors || bytes > 2 * crate::cache::last_level_bytes()) {
        let solved = if vectors {
            reduced_then_divided(n, &mut h, a, w)
        } else {
            let lower = RawMat::of_mat(&mut h);
            heev(false, Uplo::Lower, n, lower, w.as_mut_ptr(), sytrd_lwork(n)) == 0
        };
        if !solved {
            return failed(vectors, n, a, w);
        }
        for wi in w.iter_mut() {
            *wi /= sigma;
        }
        return 0;
    }
    let flops = if vectors { 9.0 } else { 4.0 / 3.0 } * (n as f64).powi(3);
    let par = crate::threads::driver_par(n, flops);
    let params = Default::default();
    let compute = if vectors {
        ComputeEigenvectors::Yes
    } else {
        ComputeEigenvectors::No
    };
    let mut buffer = MemBuffer::new(evd::self_adjoint_evd_scratch::<T>(n, compute, par, params));
    let stack = MemStack::new(&mut buffer);
    let mut s = Diag::<T>::zeros(n);
    let u = vectors.then(|| view_mut(a.ptr, n, n, a.ld));
    let (h, values) = (h.as_ref(), s.as_mut());
    let solved = crate::threads::on_pool(par, move || {
        evd::self_adjoint_evd(h, values, u, par, stack, params).is_ok()
    });
    if !solved {
        return failed(vectors, n, a, w);
    }
    for (i, wi) in w.iter_mut().enumerate() {
        *wi = s.column_vector()[i].re() / sigma;
    }
    0
}

/// The LWORK xSYEV's workspace query returns for order n: room for xSYTRD's full panels.
fn sytrd_lwork(n: usize) -> usize {
    (tridiagonal::BLOCK + 2) * n
}

/// Reflectors applied at a time to the eigenvectors (see `qr::ormqr_in_blocks`).
const BACK_TRANSFORM_BLOCK: usize = 128;

/// The eigenvalues (ascending, in `w`) and eigenvectors (into A) of the real symmetric
/// matrix in `h`'s lower triangle, as xSYEVD: xSYTRD, faer's divide and conquer on the
/// tridiagonal matrix, then A := Q A (xORMTR). False when the iteration failed.
///
/// [`heevd`] takes this path once A is more than twice the last-level cache: there
/// faer's reduction, which updates the trailing matrix column by column, falls behind
/// our blocked xSYTRD. dsyevd, 2-core AMD EPYC with 32 MiB L3: 2048 (1x) 0.46-0.47 s
/// on faer's path against 0.52-0.54 this way, 3072 (2.25x) 1.66-1.90 against
/// 1.59-1.87, 4096 (4x) 4.50-5.00 against 3.86-4.27; 16-core Xeon with 300 MiB: 3072
/// 1.54-1.66 against 1.60-1.72, 4096 (0.43x) 2.91-3.20 against 2.85-2.95.
///
/// # Safety
/// `a` valid for n x n, n >= 2.
unsafe fn reduced_then_divided<T: Scalar>(
    n: usize,
    h: &mut Mat<T>,
    a: RawMat<T>,
    w: &mut [T::RealPart],
) -> bool {
    let lower = RawMat::of_mat(h);
    let mut d = vec![T::RealPart::zero(); n];
    let mut e = vec![T::RealPart::zero(); n - 1];
    let mut tau = vec![T::zero(); n - 1];
    tridiagonal::sytrd(
        Uplo::Lower,
        n,
        lower,
        &mut d,
        &mut e,
        &mut tau,
        sytrd_lwork(n),
    );
    let mut diagonal = Diag::<T>::zeros(n);
    let mut off_diagonal = Diag::<T>::zeros(n);
    for i in 0..n {
        diagonal.column_vector_mut()[i] = T::from_real(d[i]);
        if i + 1 < n {
            off_diagonal.column_vector_mut()[i] = T::from_real(e[i]);
        }
    }
    let par = crate::threads::driver_par(n, 4.0 * (n as f64).powi(3));
    let params = Default::default();
    // The dense solver's scratch, a superset of the tridiagonal step's (faer names no
    // size for that step alone); what the step does not touch is never paged in.
    let scratch = evd::self_adjoint_evd_scratch::<T>(n, ComputeEigenvectors::Yes, par, params);
    let mut buffer = MemBuffer::new(scratch);
    let stack = MemStack::new(&mut buffer);
    let mut s = Diag::<T>::zeros(n);
    let u = view_mut(a.ptr, n, n, a.ld);
    let (diagonal, off_diagonal, values) = (diagonal.as_ref(), off_diagonal.as_ref(), s.as_mut());
    let solved = crate::threads::on_pool(par, move || {
        evd::tridiagonal_self_adjoint_evd(
            diagonal,
            off_diagonal,
            values,
            Some(u),
            par,
            stack,
            params,
        )
        .is_ok()
    });
    if !solved {
        return false;
    }
    // Q = H(0) ... H(n-2), v_i in column i from row i + 2: Q acts on rows 1..n.
    qr::ormqr_in_blocks(
        BACK_TRANSFORM_BLOCK,
        Side::Left,
        Trans::No,
        (n - 1, n, n - 1),
        lower.at(1, 0),
        &tau,
        a.at(1, 0),
    );
    for (wi, value) in w.iter_mut().zip(s.column_vector().iter()) {
        *wi = value.re();
    }
    true
}

/// [`heevd`] of a single-precision T computed in W (its double-precision field).
unsafe fn heevd_wide<T: Scalar, W: Scalar>(
    vectors: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    w: *mut T::RealPart,
) -> usize {
    let mut wide = widen::copy_in::<T, W>(a, n, n);
    let mut values = vec![W::RealPart::zero(); n];
    let info = heevd(
        vectors,
        uplo,
        n,
        RawMat::new(wide.as_mut_ptr(), n),
        values.as_mut_ptr(),
    );
    let w = std::slice::from_raw_parts_mut(w, n);
    for (wi, value) in w.iter_mut().zip(&values) {
        *wi = widen::convert_real(*value);
    }
    if vectors {
        widen::copy_out(&wide, a, n, n);
    }
    info
}

/// LAPACK's RMIN and RMAX of xSYEVD: sqrt(safmin / ulp) and its inverse.
fn safe_range<R: Scalar<RealPart = R> + Float>() -> (R, R) {
    let ulp = R::epsilon().to_f64() * 2.0;
    let smlnum = R::safe_min().to_f64() / ulp;
    (
        R::from_f64(smlnum.sqrt()),
        R::from_f64((1.0 / smlnum).sqrt()),
    )
}

/// The power of two that brings `anrm` (> 0) into [1, 2); 1 for 0. faer's tridiagonal
/// divide and conquer deflates with absolute tolerances (8 eps max(|d|, |z|) with z of
/// norm 1, and eigenvalues closer than that merged), which assume a matrix of norm
/// about 1: LAPACK's xSTEDC scales to that first, faer does not. Unscaled, dsyevd with
/// vectors at order 200 returned eigenvalues 2% off for a matrix of norm 1e-19 and 1e-4
/// off at norm 1e21 (residual ratios 1e11-1e13). A power of two scales exactly.
fn unit_scale<R: Scalar<RealPart = R> + Float>(anrm: R) -> R {
    if anrm == R::zero() {
        return R::one();
    }
    let exponent = anrm.to_f64().log2().floor().clamp(-1000.0, 1000.0);
    R::from_f64(2f64.powi(-(exponent as i32)))
}

/// The outputs and INFO of a failed iteration (see [`heevd`]).
unsafe fn failed<T: Scalar>(vectors: bool, n: usize, a: RawMat<T>, w: &mut [T::RealPart]) -> usize {
    let nan = T::RealPart::from_f64(f64::NAN);
    w.fill(nan);
    if !vectors {
        return n - 1;
    }
    for j in 0..n {
        for i in 0..n {
            a.set(i, j, T::from_real(nan));
        }
    }
    (n + 1) + n
}

/// xSYEV/xHEEV: the eigenvalues (ascending, in `w`) and, with `vectors`, the
/// orthonormal eigenvectors (overwriting A) of the Hermitian matrix whose `uplo`
/// triangle is stored in A, computed as the reference does: the matrix is scaled if
/// its largest entry lies outside [sqrt(smlnum), sqrt(bignum)], reduced to tridiagonal
/// form (xSYTRD, blocked when `lwork`, the caller's LWORK, leaves room for panels as it
/// would the reference's), then xSTERF, or xORGTR and xSTEQR. Returns LAPACK's INFO:
/// 0, or the number of off-diagonals that did not converge. A NaN or Inf in the
/// triangle gives INFO = n - 1 (nothing converges) with W, and A with `vectors`, NaN.
///
/// # Safety
/// `a` valid for n x n, `w` for n reals.
pub unsafe fn heev<T: Scalar>(
    vectors: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    w: *mut T::RealPart,
    lwork: usize,
) -> usize {
    let w = std::slice::from_raw_parts_mut(w, n);
    if n == 0 {
        return 0;
    }
    if n == 1 {
        w[0] = a.get(0, 0).re();
        if vectors {
            a.set(0, 0, T::one());
        }
        return 0;
    }
    let shape = if T::IS_COMPLEX {
        Shape::Hermitian(uplo)
    } else {
        Shape::Symmetric(uplo)
    };
    let anrm = norms::norm(Norm::Max, shape, (n, n), a);
    if !anrm.to_f64().is_finite() {
        let info = failed(vectors, n, a, w);
        return info.min(n - 1);
    }
    let (smlnum, bignum) = scaling::safe_range::<T::RealPart>();
    let (rmin, rmax) = (smlnum.sqrt(), bignum.sqrt());
    let one = T::RealPart::one();
    let sigma = if anrm > T::RealPart::zero() && anrm < rmin {
        Some(rmin / anrm)
    } else if anrm > rmax {
        Some(rmax / anrm)
    } else {
        None
    };
    if let Some(sigma) = sigma {
        // xLASCL with the triangle's type: only the stored triangle is scaled.
        for j in 0..n {
            let (first, rows) = match uplo {
                Uplo::Upper => (0, j + 1),
                Uplo::Lower => (j, n - j),
            };
            rescale(one, sigma, rows, 1, a.at(first, j));
        }
    }
    // The reference hands xSYTRD what follows E and TAU in WORK (LWORK - 2n; for
    // xHEEV E is in RWORK, so LWORK - n).
    let used = if T::IS_COMPLEX { n } else { 2 * n };
    let mut e = vec![T::RealPart::zero(); n];
    let mut tau = vec![T::zero(); n];
    tridiagonal::sytrd(uplo, n, a, w, &mut e, &mut tau, lwork.saturating_sub(used));
    let info = if vectors {
        tridiagonal::orgtr(uplo, n, a, &tau);
        tridiagonal_qr::steqr(w, &mut e[..n - 1], Some(a))
    } else {
        tridiagonal_qr::sterf(w, &mut e[..n - 1])
    };
    if let Some(sigma) = sigma {
        let valid = if info == 0 { n } else { info - 1 };
        let factor = one / sigma;
        for wi in &mut w[..valid] {
            *wi *= factor;
        }
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;

    /// xSYEVD's path through our xSYTRD on matrices of small order: A Z = Z diag(w) and
    /// Z^T Z = I to Netlib-style ratios, w ascending and equal to faer's path's values.
    fn check(n: usize, a0: &[f64]) {
        let mut h = Mat::<f64>::zeros(n, n);
        for j in 0..n {
            for i in j..n {
                h[(i, j)] = a0[i + j * n];
            }
        }
        let mut z = vec![f64::NAN; n * n];
        let mut w = vec![0.0; n];
        assert!(unsafe { reduced_then_divided(n, &mut h, RawMat::new(z.as_mut_ptr(), n), &mut w) });
        let eps = f64::EPSILON;
        let norm = (0..n)
            .map(|j| (0..n).map(|i| a0[i + j * n].abs()).sum::<f64>())
            .fold(f64::MIN_POSITIVE, f64::max);
        let (mut residual, mut orthogonality) = (0.0f64, 0.0f64);
        for j in 0..n {
            let mut column = 0.0;
            for i in 0..n {
                let az: f64 = (0..n).map(|k| a0[i + k * n] * z[k + j * n]).sum();
                column += (az - w[j] * z[i + j * n]).abs();
            }
            residual = residual.max(column);
            for k in 0..n {
                let dot: f64 = (0..n).map(|i| z[i + j * n] * z[i + k * n]).sum();
                orthogonality = orthogonality.max((dot - if j == k { 1.0 } else { 0.0 }).abs());
            }
        }
        let residual = residual / (norm * n as f64 * eps);
        let orthogonality = orthogonality / (n as f64 * eps);
        assert!(residual < 10.0, "order {n}: residual {residual}");
        assert!(
            orthogonality < 10.0,
            "order {n}: orthogonality {orthogonality}"
        );
        assert!(
            w.windows(2).all(|p| p[0] <= p[1]),
            "order {n}: not ascending"
        );
        let mut copy = a0.to_vec();
        let mut faer_values = vec![0.0; n];
        let info = unsafe {
            heevd(
                false,
                Uplo::Lower,
                n,
                RawMat::new(copy.as_mut_ptr(), n),
                faer_values.as_mut_ptr(),
            )
        };
        assert_eq!(info, 0);
        for (p, q) in w.iter().zip(&faer_values) {
            assert!(
                (p - q).abs() <= 10.0 * n as f64 * eps * norm,
                "order {n}: {p} against {q}"
            );
        }
    }

    /// heevd with vectors of `a` (n x n, lower triangle read) times `factor`.
    fn values_with_vectors<T: Scalar<RealPart = f64>>(n: usize, a: &[T], factor: f64) -> Vec<f64> {
        let mut copy: Vec<T> = a.iter().map(|&x| x * T::from_real(factor)).collect();
        let mut w = vec![0.0; n];
        let info = unsafe {
            heevd(
                true,
                Uplo::Lower,
                n,
                RawMat::new(copy.as_mut_ptr(), n),
                w.as_mut_ptr(),
            )
        };
        assert_eq!(info, 0);
        w
    }

    #[test]
    fn divide_and_conquer_is_scale_invariant() {
        // Order 200 runs faer's divide and conquer (absolute tolerances): unscaled, a
        // norm of 1e-19 gave eigenvalues 2% off.
        fn check<T: Scalar<RealPart = f64>>() {
            let n = 200;
            let a = values::<T>(n * n, 7);
            let plain = values_with_vectors(n, &a, 1.0);
            let largest = plain.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            for factor in [1e-20, 1e20, 1e-300, 1e300] {
                let scaled = values_with_vectors(n, &a, factor);
                for (p, q) in plain.iter().zip(&scaled) {
                    let error = (p - q / factor).abs() / (n as f64 * f64::EPSILON * largest);
                    assert!(
                        error < 10.0,
                        "{} factor {factor}: {p} against {}",
                        T::PREFIX,
                        q / factor
                    );
                }
            }
        }
        check::<f64>();
        check::<c64>();
    }

    #[test]
    fn reduced_then_divided_solves_the_eigenproblem() {
        for n in [2, 3, 40, 300] {
            let m = values::<f64>(n * n, n as u64);
            let sym: Vec<f64> = (0..n * n)
                .map(|k| (m[k] + m[(k % n) * n + k / n]) / 2.0)
                .collect();
            check(n, &sym);
            // Clustered: the identity plus a rank-one term (n - 1 equal eigenvalues).
            let v = values::<f64>(n, 99);
            let clustered: Vec<f64> = (0..n * n)
                .map(|k| v[k % n] * v[k / n] + if k % n == k / n { 1.0 } else { 0.0 })
                .collect();
            check(n, &clustered);
        }
    }
}
