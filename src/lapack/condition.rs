//! Condition estimates: RCOND = 1 / (||A|| ||inv(A)||) in the 1- or infinity-norm, with
//! ||inv(A)|| estimated by Higham's refinement of Hager's method (xLACN2) from a few
//! solves with the factors: GECON (from an LU), POCON (from a Cholesky factor), TRCON
//! (triangular). The estimator follows xLACN2 step for step, so estimates agree with
//! the reference's. Solves whose result overflows give RCOND = 0, as LAPACK's scaled
//! solves (xLATRS) do when the scale factor underflows.

use crate::blas::args::{Diag, Trans, Uplo};
use crate::blas::level2::{self, Storage};
use crate::lapack::norms::{self, Norm, Shape};
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{Real, Scalar};

/// xLACN2's limit on the refinement steps.
const MAX_STEPS: usize = 5;

/// What xLACN2 leaves behind: the estimate, and in WORK the last product X (first n
/// entries) and V = B W with ||V||_1 / ||W||_1 = the estimate (next n entries), which
/// callers such as xLATDF read back as an approximate null vector.
pub struct Estimate<T: Scalar> {
    pub norm: T::RealPart,
    pub x: Vec<T>,
    pub v: Vec<T>,
}

impl<T: Scalar> Estimate<T> {
    /// Stores X and V where xGECON/xPOCON/xTRCON's WORK holds them (WORK(1..N),
    /// WORK(N+1..2N)); every caller's WORK has at least 2N entries.
    ///
    /// # Safety
    /// `work` valid for 2n elements.
    pub unsafe fn store(&self, work: *mut T) {
        let n = self.x.len();
        std::ptr::copy_nonoverlapping(self.x.as_ptr(), work, n);
        std::ptr::copy_nonoverlapping(self.v.as_ptr(), work.add(n), n);
    }
}

/// Estimates ||B||_1 of the n x n operator B given `apply(x, transposed)`, which
/// overwrites x with B x (or B^H x) and returns false if the product overflowed.
/// None when a product overflowed.
pub fn estimate_norm1<T: Scalar>(
    n: usize,
    mut apply: impl FnMut(&mut [T], bool) -> bool,
) -> Option<Estimate<T>> {
    let one = T::RealPart::from_f64(1.0);
    let sum = |x: &[T]| x.iter().fold(T::RealPart::zero(), |s, &v| s + abs(v));
    let mut x = vec![T::from_real(one / T::RealPart::from_f64(n as f64)); n];
    if !apply(&mut x, false) {
        return None;
    }
    if n == 1 {
        return Some(Estimate {
            norm: abs(x[0]),
            v: x.clone(),
            x,
        });
    }
    let mut estimate = sum(&x);
    let mut signs = signs_of(&mut x);
    if !apply(&mut x, true) {
        return None;
    }
    let mut j = largest(&x);
    let mut step = 2;
    let mut v = vec![T::zero(); n];
    loop {
        // x = e_j; v = B x.
        x.iter_mut().for_each(|v| *v = T::zero());
        x[j] = T::one();
        if !apply(&mut x, false) {
            return None;
        }
        let previous = estimate;
        v.copy_from_slice(&x);
        estimate = sum(&x);
        // Real case: a repeated sign vector means convergence.
        let repeated = !T::IS_COMPLEX && x.iter().zip(&signs).all(|(v, s)| sign(v.re()) == s.re());
        if repeated || estimate <= previous {
            break;
        }
        signs = signs_of(&mut x);
        if !apply(&mut x, true) {
            return None;
        }
        let last = j;
        j = largest(&x);
        // xLACN2 compares the signed x(last) for real types.
        let previous_peak = if T::IS_COMPLEX {
            abs(x[last])
        } else {
            x[last].re()
        };
        if previous_peak == abs(x[j]) || step >= MAX_STEPS {
            break;
        }
        step += 1;
    }
    // The alternating test vector catches what the iteration can miss.
    let mut alternating = 1.0;
    for (i, v) in x.iter_mut().enumerate() {
        *v = T::from_real(T::RealPart::from_f64(
            alternating * (1.0 + i as f64 / (n - 1) as f64),
        ));
        alternating = -alternating;
    }
    if !apply(&mut x, false) {
        return None;
    }
    let test = T::RealPart::from_f64(2.0) * (sum(&x) / T::RealPart::from_f64(3.0 * n as f64));
    if test > estimate {
        v.copy_from_slice(&x);
        estimate = test;
    }
    Some(Estimate {
        norm: estimate,
        x,
        v,
    })
}

/// |v| as xLACN2 measures it: |re| for real types, the modulus for complex ones.
fn abs<T: Scalar>(v: T) -> T::RealPart {
    if T::IS_COMPLEX {
        v.modulus()
    } else {
        v.re().abs()
    }
}

fn sign<R: Real>(v: R) -> R {
    if v >= R::zero() {
        R::from_f64(1.0)
    } else {
        R::from_f64(-1.0)
    }
}

/// Replaces x by its sign vector (x_i / |x_i| for complex types, 1 where |x_i| is below
/// the safe minimum) and returns a copy.
fn signs_of<T: Scalar>(x: &mut [T]) -> Vec<T> {
    for v in x.iter_mut() {
        *v = if T::IS_COMPLEX {
            let m = v.modulus();
            if m > T::RealPart::safe_min() {
                v.quotient(T::from_real(m))
            } else {
                T::one()
            }
        } else {
            T::from_real(sign(v.re()))
        };
    }
    x.to_vec()
}

/// The first index of the largest |x_i| (I?AMAX's rule for reals, IZMAX1's for complex).
fn largest<T: Scalar>(x: &[T]) -> usize {
    let mut best = 0;
    for i in 1..x.len() {
        if abs(x[i]) > abs(x[best]) {
            best = i;
        }
    }
    best
}

/// x := op(A)^-1 x for a triangular A; false if x overflowed.
unsafe fn solve<T: Scalar>(
    uplo: Uplo,
    trans: Trans,
    diag: Diag,
    n: usize,
    a: RawMat<T>,
    x: &mut [T],
) -> bool {
    let storage = Storage::Full {
        ptr: a.ptr,
        ld: a.ld,
        m: n,
        uplo: Some(uplo),
    };
    level2::triangular(true, uplo, trans, diag, storage, n, (x.as_mut_ptr(), 1));
    x.iter()
        .all(|v| v.re().to_f64().is_finite() && v.im().to_f64().is_finite())
}

/// Leaves the estimator's vectors in WORK as LAPACK does and returns the estimate of
/// ||inv(A)||, None when it overflowed or is zero (RCOND is then 0).
unsafe fn finish<T: Scalar>(estimate: Option<Estimate<T>>, work: *mut T) -> Option<T::RealPart> {
    let estimate = estimate?;
    estimate.store(work);
    (estimate.norm != T::RealPart::zero()).then_some(estimate.norm)
}

/// RCOND = (1 / ||inv(A)||) / ||A||, in xGECON's and xPOCON's order of operations.
unsafe fn reciprocal<T: Scalar>(
    anorm: T::RealPart,
    estimate: Option<Estimate<T>>,
    work: *mut T,
) -> T::RealPart {
    finish(estimate, work).map_or(T::RealPart::zero(), |inverse| {
        (T::RealPart::from_f64(1.0) / inverse) / anorm
    })
}

/// GECON: RCOND of A = P L U (the LU from GETRF; pivots do not change the norm) given
/// ANORM = ||A|| in the 1-norm (`one_norm`) or the infinity norm.
///
/// # Safety
/// `a` valid for n x n.
/// `work` (2n entries) receives the estimator's vectors.
pub unsafe fn gecon<T: Scalar>(
    one_norm: bool,
    n: usize,
    a: RawMat<T>,
    anorm: T::RealPart,
    work: *mut T,
) -> T::RealPart {
    if n == 0 {
        return T::RealPart::from_f64(1.0);
    }
    if anorm == T::RealPart::zero() {
        return anorm;
    }
    // ||inv(A)||_inf = ||inv(A)^H||_1: the infinity norm swaps the two products.
    let estimate = estimate_norm1::<T>(n, |x, transposed| {
        if transposed != one_norm {
            solve(Uplo::Lower, Trans::No, Diag::Unit, n, a, x)
                && solve(Uplo::Upper, Trans::No, Diag::NonUnit, n, a, x)
        } else {
            solve(Uplo::Upper, Trans::ConjTrans, Diag::NonUnit, n, a, x)
                && solve(Uplo::Lower, Trans::ConjTrans, Diag::Unit, n, a, x)
        }
    });
    reciprocal(anorm, estimate, work)
}

/// POCON: RCOND of A = U^H U or L L^H (from POTRF) given ANORM = ||A||_1.
///
/// # Safety
/// `a` valid for n x n.
/// `work` (2n entries) receives the estimator's vectors.
pub unsafe fn pocon<T: Scalar>(
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    anorm: T::RealPart,
    work: *mut T,
) -> T::RealPart {
    if n == 0 {
        return T::RealPart::from_f64(1.0);
    }
    if anorm == T::RealPart::zero() {
        return anorm;
    }
    let (first, second) = match uplo {
        Uplo::Upper => (Trans::ConjTrans, Trans::No),
        Uplo::Lower => (Trans::No, Trans::ConjTrans),
    };
    let estimate = estimate_norm1::<T>(n, |x, _| {
        solve(uplo, first, Diag::NonUnit, n, a, x) && solve(uplo, second, Diag::NonUnit, n, a, x)
    });
    reciprocal(anorm, estimate, work)
}

/// TRCON: RCOND of a triangular A in the 1-norm (`one_norm`) or the infinity norm.
///
/// # Safety
/// `a` valid for n x n.
/// `work` (2n entries) receives the estimator's vectors.
pub unsafe fn trcon<T: Scalar>(
    one_norm: bool,
    uplo: Uplo,
    diag: Diag,
    n: usize,
    a: RawMat<T>,
    work: *mut T,
) -> T::RealPart {
    let zero = T::RealPart::zero();
    if n == 0 {
        return T::RealPart::from_f64(1.0);
    }
    let kind = if one_norm { Norm::One } else { Norm::Infinity };
    let anorm = norms::norm(kind, Shape::Triangular(uplo, diag), (n, n), a);
    if anorm <= zero {
        return zero;
    }
    let estimate = estimate_norm1::<T>(n, |x, transposed| {
        let trans = if transposed != one_norm {
            Trans::No
        } else {
            Trans::ConjTrans
        };
        solve(uplo, trans, diag, n, a, x)
    });
    // xTRCON divides in the other order: (1 / ||A||) / ||inv(A)||.
    finish(estimate, work).map_or(zero, |inverse| {
        (T::RealPart::from_f64(1.0) / anorm) / inverse
    })
}
