//! `LAPACK_AI_CHECK=cond`: after a native factorization or solve succeeds, a reciprocal
//! condition estimate (our GECON, POCON, TRCON) and a warning when it is below the
//! machine epsilon, i.e. when the result may have no correct digits:
//! "DGESV: rcond = 3.1e-17: solution may have no correct digits".

use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Whether `LAPACK_AI_CHECK` names `cond`.
#[inline]
pub fn enabled() -> bool {
    crate::config::get().checks.cond
}

/// What an ill-conditioned matrix means for the routine's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consequence {
    /// A solve (GESV, POSV, TRTRS): the solution.
    Solution,
    /// A factorization (GETRF, POTRF, GEQRF): what is solved with the factors later.
    Factors,
    /// A least-squares solve that truncates small singular values (GELSD).
    RankDeficient,
}

/// The warning for `rcond` of `routine`'s matrix, or None when it is at least the
/// machine epsilon of `T` (or NaN: the NaN check names that cause).
pub fn warning<T: Scalar>(routine: &str, rcond: f64, consequence: Consequence) -> Option<String> {
    let eps = T::RealPart::epsilon().to_f64();
    if rcond.is_nan() || rcond >= eps {
        return None;
    }
    let meaning = match consequence {
        Consequence::Solution => {
            "solution may have no correct digits (A is singular to working precision)"
        }
        Consequence::Factors => {
            "A is singular to working precision: solutions computed with these factors \
             may have no correct digits"
        }
        Consequence::RankDeficient => {
            "A is rank-deficient to working precision (smallest / largest singular value); \
             the solution is the minimum-norm one of the rank RANK returns"
        }
    };
    Some(format!("{routine}: rcond = {rcond:.1e}: {meaning}"))
}

/// Warns (print/quiet as configured, and as the last error) when `rcond` is too small.
pub fn check<T: Scalar>(routine: &str, rcond: f64, consequence: Consequence) {
    if let Some(text) = warning::<T>(routine, rcond, consequence) {
        crate::diag::warning::warn(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_below_epsilon_only() {
        let text = warning::<f64>("DGESV", 3.1e-17, Consequence::Solution).unwrap();
        assert_eq!(
            text,
            "DGESV: rcond = 3.1e-17: solution may have no correct digits (A is singular \
             to working precision)"
        );
        assert!(warning::<f64>("DGESV", 1e-10, Consequence::Solution).is_none());
        assert!(warning::<f64>("DGESV", f64::NAN, Consequence::Solution).is_none());
        // 1e-10 is fine in double, below single precision's epsilon it is not.
        assert!(warning::<f32>("SGETRF", 1e-10, Consequence::Factors).is_some());
        assert!(warning::<f64>("DGETRF", 0.0, Consequence::Factors).is_some());
    }
}
