//! LAPACK's guard against over- and underflow: a matrix whose largest entry lies outside
//! [smlnum, bignum] is scaled into that range before the work and the results are scaled
//! back after (xLANGE('M') and xLASCL('G') of the reference drivers).

use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{Real, Scalar};

/// (smlnum, bignum) = (safmin / eps, 1 / smlnum) with eps = xLAMCH('P') (the full ulp).
pub fn safe_range<R: Real>() -> (R, R) {
    let one = R::from_f64(1.0);
    let smlnum = R::safe_min() / (R::epsilon() * R::from_f64(2.0));
    (smlnum, one / smlnum)
}

/// The largest |a(i, j)| of the m x n block, NaN if any entry is NaN (xLANGE('M')).
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn max_abs<T: Scalar>(m: usize, n: usize, a: RawMat<T>) -> T::RealPart {
    let mut value = T::RealPart::from_f64(0.0);
    for j in 0..n {
        for i in 0..m {
            let x = a.get(i, j).modulus();
            if value < x || x.is_nan() {
                value = x;
            }
        }
    }
    value
}

/// Multiplies the m x n block by cto / cfrom without over- or underflow in the ratio,
/// in steps of at most smlnum or bignum, as xLASCL('G').
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn rescale<T: Scalar>(
    cfrom: T::RealPart,
    cto: T::RealPart,
    m: usize,
    n: usize,
    a: RawMat<T>,
) {
    let one = T::RealPart::from_f64(1.0);
    let smlnum = T::RealPart::safe_min();
    let bignum = one / smlnum;
    let (mut cfromc, mut ctoc) = (cfrom, cto);
    loop {
        let cfrom1 = cfromc * smlnum;
        let (mul, done);
        if cfrom1 == cfromc {
            // cfromc is infinite: one step, giving 0, or NaN for an infinite cto.
            mul = ctoc / cfromc;
            done = true;
        } else {
            let cto1 = ctoc / bignum;
            if cto1 == ctoc {
                // ctoc is 0 or infinite.
                mul = ctoc;
                done = true;
                cfromc = one;
            } else if cfrom1.abs() > ctoc.abs() && ctoc != T::RealPart::from_f64(0.0) {
                mul = smlnum;
                done = false;
                cfromc = cfrom1;
            } else if cto1.abs() > cfromc.abs() {
                mul = bignum;
                done = false;
                ctoc = cto1;
            } else {
                mul = ctoc / cfromc;
                done = true;
                if mul == one {
                    return;
                }
            }
        }
        for j in 0..n {
            for i in 0..m {
                let x = a.get(i, j);
                a.set(i, j, T::from_parts(x.re() * mul, x.im() * mul));
            }
        }
        if done {
            return;
        }
    }
}

/// Which way a matrix was scaled into [smlnum, bignum], to undo it afterwards.
#[derive(Clone, Copy, PartialEq)]
pub enum Scaled<R> {
    No,
    /// Scaled from `norm` to `target` (smlnum or bignum).
    From {
        norm: R,
        target: R,
    },
}

/// Scales the m x n block to largest entry 1 if its largest entry `norm` lies outside
/// [sqrt(smlnum), sqrt(bignum)]. (LAPACK scales only to the edges of [smlnum, bignum];
/// faer's kernels form squares of entries, so they need the tighter range.)
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn into_range<T: Scalar>(
    norm: T::RealPart,
    m: usize,
    n: usize,
    a: RawMat<T>,
) -> Scaled<T::RealPart> {
    let (smlnum, bignum) = safe_range::<T::RealPart>();
    let zero = T::RealPart::from_f64(0.0);
    if norm == zero || (norm >= smlnum.sqrt() && norm <= bignum.sqrt()) || norm.is_nan() {
        return Scaled::No;
    }
    let target = T::RealPart::from_f64(1.0);
    rescale(norm, target, m, n, a);
    Scaled::From { norm, target }
}

/// The reference drivers' own scaling (xGELS, xGELSY, ...): a block whose largest entry
/// `norm` is positive and below smlnum is scaled up to smlnum, one above bignum down to
/// bignum; anything else (zero, NaN, in range) is left alone.
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn into_safe_range<T: Scalar>(
    norm: T::RealPart,
    m: usize,
    n: usize,
    a: RawMat<T>,
) -> Scaled<T::RealPart> {
    let (smlnum, bignum) = safe_range::<T::RealPart>();
    let zero = T::RealPart::from_f64(0.0);
    let target = if norm > zero && norm < smlnum {
        smlnum
    } else if norm > bignum {
        bignum
    } else {
        return Scaled::No;
    };
    rescale(norm, target, m, n, a);
    Scaled::From { norm, target }
}

impl<R: Real> Scaled<R> {
    /// Undoes this scaling of A on a solution X (m x n) of A X = B: X := X * target / norm.
    ///
    /// # Safety
    /// `x` valid for m x n.
    pub unsafe fn undo_on_solution<T: Scalar<RealPart = R>>(
        self,
        m: usize,
        n: usize,
        x: RawMat<T>,
    ) {
        if let Scaled::From { norm, target } = self {
            rescale(norm, target, m, n, x);
        }
    }

    /// Undoes this scaling of B on the solution X (m x n): X := X * norm / target.
    ///
    /// # Safety
    /// `x` valid for m x n.
    pub unsafe fn undo<T: Scalar<RealPart = R>>(self, m: usize, n: usize, x: RawMat<T>) {
        if let Scaled::From { norm, target } = self {
            rescale(target, norm, m, n, x);
        }
    }
}
