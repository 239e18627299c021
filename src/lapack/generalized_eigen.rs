//! The generalized symmetric-definite eigenproblem: HEGST (reduction to standard form)
//! and HEGVD (the driver: Cholesky of B, HEGST, the standard eigensolver of
//! `symmetric_eigen`, back-transformation of the eigenvectors). SY and HE are one body.
//!
//! HEGST works on the whole Hermitian matrix in our own storage: two triangular
//! solves (or multiplies) with n right-hand sides, both level 3, then the `uplo`
//! triangle is written back. That is 2n^3 flops against LAPACK's n^3 (which updates
//! one triangle through SYR2K), but every flop runs in the TRSM/TRMM kernels.

use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::level3;
use crate::lapack::cholesky;
use crate::lapack::raw::RawMat;
use crate::lapack::symmetric_eigen;
use crate::lapack::widen;
use crate::scalar::{c64, Scalar};

/// LAPACK's ITYPE: which product the eigenproblem is about.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Problem {
    /// 1: A x = lambda B x.
    Ax,
    /// 2: A B x = lambda x.
    Abx,
    /// 3: B A x = lambda x.
    Bax,
}

impl Problem {
    pub fn from_itype(itype: i64) -> Option<Problem> {
        match itype {
            1 => Some(Problem::Ax),
            2 => Some(Problem::Abx),
            3 => Some(Problem::Bax),
            _ => None,
        }
    }
}

/// Overwrites the `uplo` triangle of the Hermitian A with the standard-form matrix C:
/// inv(U^H) A inv(U) or inv(L) A inv(L^H) for [`Problem::Ax`], U A U^H or L^H A L for
/// the other two, where B = U^H U or L L^H is the Cholesky factor held in `b`'s `uplo`
/// triangle. The other triangle of A is not touched; C's diagonal is real.
///
/// # Safety
/// `a` and `b` valid for n x n.
pub unsafe fn hegst<T: Scalar>(problem: Problem, uplo: Uplo, n: usize, a: RawMat<T>, b: RawMat<T>) {
    if n == 0 {
        return;
    }
    let mut storage = vec![T::zero(); n * n];
    let full = RawMat::new(storage.as_mut_ptr(), n);
    for j in 0..n {
        for i in 0..n {
            let stored = match uplo {
                Uplo::Lower => i >= j,
                Uplo::Upper => i <= j,
            };
            let x = if i == j {
                T::from_real(a.get(i, i).re())
            } else if stored {
                a.get(i, j)
            } else {
                a.get(j, i).conj()
            };
            full.set(i, j, x);
        }
    }
    let f = full.arg();
    let factor = b.arg_const();
    let one = T::one();
    // (the left operation, the right one): op(F) = left * F * right.
    let (left, right) = match (problem, uplo) {
        (Problem::Ax, Uplo::Upper) => (Trans::ConjTrans, Trans::No),
        (Problem::Ax, Uplo::Lower) => (Trans::No, Trans::ConjTrans),
        (_, Uplo::Upper) => (Trans::No, Trans::ConjTrans),
        (_, Uplo::Lower) => (Trans::ConjTrans, Trans::No),
    };
    for (side, trans) in [(Side::Left, left), (Side::Right, right)] {
        if problem == Problem::Ax {
            level3::trsm_any_order(&TrsmArgs::new(
                (side, uplo, trans, Diag::NonUnit),
                (n, n),
                one,
                factor,
                f,
            ));
        } else {
            level3::trmm(side, uplo, trans, Diag::NonUnit, (n, n), one, factor, f);
        }
    }
    for j in 0..n {
        let rows = match uplo {
            Uplo::Lower => j..n,
            Uplo::Upper => 0..j + 1,
        };
        for i in rows {
            let x = full.get(i, j);
            a.set(i, j, if i == j { T::from_real(x.re()) } else { x });
        }
    }
}

/// Solves the generalized eigenproblem `problem` for the Hermitian A (its `uplo`
/// triangle) and the Hermitian positive definite B (likewise): eigenvalues ascending
/// in `w` and, with `vectors`, the eigenvectors in A, normalized as LAPACK's
/// (Z^H B Z = I for Ax and Abx, Z^H inv(B) Z = I for Bax). B is overwritten by its
/// Cholesky factor. Returns LAPACK's INFO: 0; n + i when B's leading minor of order i
/// is not positive definite (A then untouched); or the standard eigensolver's INFO
/// (see [`symmetric_eigen::heevd`]) when it fails.
///
/// # Safety
/// `a`, `b` valid for n x n, `w` for n reals.
pub unsafe fn hegvd<T: Scalar>(
    problem: Problem,
    vectors: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    b: RawMat<T>,
    w: *mut T::RealPart,
) -> usize {
    // The factorization in the caller's precision, so that INFO = n + i is LAPACK's.
    let info = cholesky::potrf(uplo, n, b);
    if info != 0 {
        return n + info;
    }
    if widen::is_single::<T>() && n > 1 {
        // As xSYEVD here: the rest in double (see `symmetric_eigen`).
        return if T::IS_COMPLEX {
            reduce_and_solve_wide::<T, c64>(problem, vectors, uplo, n, a, b, w)
        } else {
            reduce_and_solve_wide::<T, f64>(problem, vectors, uplo, n, a, b, w)
        };
    }
    reduce_and_solve(problem, vectors, uplo, n, a, b, w)
}

/// HEGVD after the factorization: HEGST, HEEVD, and the eigenvectors back to the
/// original problem (x = inv(U) y or inv(L^H) y for Ax and Abx, U^H y or L y for Bax).
unsafe fn reduce_and_solve<T: Scalar>(
    problem: Problem,
    vectors: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    b: RawMat<T>,
    w: *mut T::RealPart,
) -> usize {
    hegst(problem, uplo, n, a, b);
    let info = symmetric_eigen::heevd(vectors, uplo, n, a, w);
    if info != 0 || !vectors || n == 0 {
        return info;
    }
    let trans = match uplo {
        Uplo::Upper => Trans::No,
        Uplo::Lower => Trans::ConjTrans,
    };
    let (factor, z) = (b.arg_const(), a.arg());
    if problem == Problem::Bax {
        let trans = match uplo {
            Uplo::Upper => Trans::ConjTrans,
            Uplo::Lower => Trans::No,
        };
        level3::trmm(
            Side::Left,
            uplo,
            trans,
            Diag::NonUnit,
            (n, n),
            T::one(),
            factor,
            z,
        );
    } else {
        level3::trsm_any_order(&TrsmArgs::new(
            (Side::Left, uplo, trans, Diag::NonUnit),
            (n, n),
            T::one(),
            factor,
            z,
        ));
    }
    0
}

/// [`reduce_and_solve`] of a single-precision T computed in W (its double field).
unsafe fn reduce_and_solve_wide<T: Scalar, W: Scalar>(
    problem: Problem,
    vectors: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    b: RawMat<T>,
    w: *mut T::RealPart,
) -> usize {
    let mut wide_a = widen::copy_in::<T, W>(a, n, n);
    let mut wide_b = widen::copy_in::<T, W>(b, n, n);
    let mut values = vec![W::RealPart::zero(); n];
    let info = reduce_and_solve(
        problem,
        vectors,
        uplo,
        n,
        RawMat::new(wide_a.as_mut_ptr(), n),
        RawMat::new(wide_b.as_mut_ptr(), n),
        values.as_mut_ptr(),
    );
    let w = std::slice::from_raw_parts_mut(w, n);
    for (wi, value) in w.iter_mut().zip(&values) {
        *wi = widen::convert_real(*value);
    }
    // Without vectors this is the reduced matrix (LAPACK leaves A destroyed).
    widen::copy_out(&wide_a, a, n, n);
    info
}
