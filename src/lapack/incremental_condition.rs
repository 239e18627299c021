//! Incremental condition estimation (LAPACK's xLAIC1): given an estimate sest of the
//! largest or smallest singular value of a triangular L (j x j) with approximate
//! singular vector x (||x|| = 1), the estimate for L grown by the column [w; gamma]
//! (L' = [L w; 0 gamma] in the transposed form xLAIC1 describes) and the new vector
//! [s x; c]. xGELSY uses it to find the numerical rank of R from QR with pivoting.

use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Which singular value is tracked.
#[derive(Clone, Copy, PartialEq)]
pub enum Extreme {
    Largest,
    Smallest,
}

/// The grown estimate: sestpr, and (s, c) with the new vector [s x; c].
pub struct Grown<T: Scalar> {
    pub sest: T::RealPart,
    pub s: T,
    pub c: T,
}

/// xLAIC1 for `job`: x and w have j entries, sest = |estimate| for the leading j x j.
pub fn laic1<T: Scalar>(job: Extreme, x: &[T], sest: T::RealPart, w: &[T], gamma: T) -> Grown<T> {
    let r = |v: f64| T::RealPart::from_f64(v);
    let (zero, one) = (r(0.0), r(1.0));
    let eps = T::RealPart::epsilon();
    let mut alpha = T::zero();
    for (xi, wi) in x.iter().zip(w) {
        alpha += xi.conj() * *wi;
    }
    let (absalp, absgam, absest) = (alpha.modulus(), gamma.modulus(), sest.abs());
    let div = |z: T, d: T::RealPart| T::from_parts(z.re() / d, z.im() / d);
    let squared = |z: T| z.re() * z.re() + z.im() * z.im();
    let grown = |sest, s, c| Grown { sest, s, c };
    // Normalizes (s, c) to unit length.
    let unit = |sine: T, cosine: T| {
        let tmp = (squared(sine) + squared(cosine)).sqrt();
        (div(sine, tmp), div(cosine, tmp))
    };
    let (t0, t1) = (T::zero(), T::one());
    let big = job == Extreme::Largest;

    if sest == zero {
        if big {
            let s1 = absgam.max(absalp);
            if s1 == zero {
                return grown(zero, t0, t1);
            }
            let (s, c) = (div(alpha, s1), div(gamma, s1));
            let tmp = (squared(s) + squared(c)).sqrt();
            return grown(s1 * tmp, div(s, tmp), div(c, tmp));
        }
        let (sine, cosine) = if absgam.max(absalp) == zero {
            (t1, t0)
        } else {
            (-gamma.conj(), alpha.conj())
        };
        let s1 = sine.modulus().max(cosine.modulus());
        let (s, c) = unit(div(sine, s1), div(cosine, s1));
        return grown(zero, s, c);
    }
    if absgam <= eps * absest {
        if big {
            let tmp = absest.max(absalp);
            let (s1, s2) = (absest / tmp, absalp / tmp);
            return grown(tmp * (s1 * s1 + s2 * s2).sqrt(), t1, t0);
        }
        return grown(absgam, t0, t1);
    }
    if absalp <= eps * absest {
        // The new column barely couples: the estimate is the larger (smaller) of |gamma|
        // and sest, and the vector its direction (c = 1: the new one).
        let take_gamma = (absgam <= absest) != big;
        return if take_gamma {
            grown(absgam, t0, t1)
        } else {
            grown(absest, t1, t0)
        };
    }
    if absest <= eps * absalp || absest <= eps * absgam {
        let (s1, s2) = (absgam, absalp);
        let larger = s1.max(s2);
        let tmp = if s1 <= s2 { s1 / s2 } else { s2 / s1 };
        let scl = (one + tmp * tmp).sqrt();
        if big {
            let sest = larger * scl;
            return grown(
                sest,
                div(div(alpha, larger), scl),
                div(div(gamma, larger), scl),
            );
        }
        let sest = if s1 <= s2 {
            absest * (tmp / scl)
        } else {
            absest / scl
        };
        return grown(
            sest,
            -div(div(gamma.conj(), larger), scl),
            div(div(alpha.conj(), larger), scl),
        );
    }

    // The normal case: the root of the secular equation.
    let zeta1 = absalp / absest;
    let zeta2 = absgam / absest;
    let half = r(0.5);
    let (a_hat, g_hat) = (div(alpha, absest), div(gamma, absest));
    if big {
        let b = (one - zeta1 * zeta1 - zeta2 * zeta2) * half;
        let c = zeta1 * zeta1;
        let t = if b > zero {
            c / (b + (b * b + c).sqrt())
        } else {
            (b * b + c).sqrt() - b
        };
        let (s, c) = unit(-div(a_hat, t), -div(g_hat, one + t));
        return grown((t + one).sqrt() * absest, s, c);
    }
    let norma = (one + zeta1 * zeta1 + zeta1 * zeta2).max(zeta1 * zeta2 + zeta2 * zeta2);
    let test = one + r(2.0) * (zeta1 - zeta2) * (zeta1 + zeta2);
    let guard = r(4.0) * eps * eps * norma;
    let (sine, cosine, sest) = if test >= zero {
        // The root is close to zero: compute it directly.
        let b = (zeta1 * zeta1 + zeta2 * zeta2 + one) * half;
        let c = zeta2 * zeta2;
        let t = c / (b + (b * b - c).abs().sqrt());
        let sest = (t + guard).sqrt() * absest;
        (div(a_hat, one - t), -div(g_hat, t), sest)
    } else {
        // The root is closer to one: shift by it.
        let b = (zeta2 * zeta2 + zeta1 * zeta1 - one) * half;
        let c = zeta1 * zeta1;
        let t = if b >= zero {
            -c / (b + (b * b + c).sqrt())
        } else {
            b - (b * b + c).sqrt()
        };
        let sest = (one + t + guard).sqrt() * absest;
        (-div(a_hat, t), -div(g_hat, one + t), sest)
    };
    let (s, c) = unit(sine, cosine);
    grown(sest, s, c)
}
