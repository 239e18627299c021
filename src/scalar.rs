//! The four BLAS/LAPACK scalar types behind one trait, so every routine is written once.
//! `c32`/`c64` are faer's complex types: `#[repr(C)]` pairs, laid out like Fortran's
//! COMPLEX and C99's `float _Complex`.

use faer::traits::ComplexField;
pub use faer::{c32, c64};
use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub, SubAssign};

/// `f32` or `f64`: the real part type of a [`Scalar`].
pub trait Real: Scalar<RealPart = Self> + PartialOrd + num_traits_lite::Float {}

/// Minimal float operations we need on the real type (kept local to avoid a dependency).
pub mod num_traits_lite {
    pub trait Float: Copy {
        fn sqrt(self) -> Self;
        fn abs(self) -> Self;
        fn max(self, other: Self) -> Self;
        fn min(self, other: Self) -> Self;
        fn is_nan(self) -> bool;
        fn epsilon() -> Self;
        fn safe_min() -> Self;
        fn to_f64(self) -> f64;
        fn from_f64(v: f64) -> Self;
    }
}

/// One of f32, f64, c32, c64.
pub trait Scalar:
    ComplexField
    + Copy
    + Send
    + Sync
    + Debug
    + PartialEq
    + Default
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + 'static
{
    type RealPart: Real;
    /// The BLAS/LAPACK prefix letter: 'S', 'D', 'C' or 'Z'.
    const PREFIX: char;
    const IS_COMPLEX: bool;

    fn zero() -> Self {
        Self::default()
    }
    fn one() -> Self {
        Self::from_real(<Self::RealPart as Scalar>::from_f64_lossy(1.0))
    }
    fn from_real(re: Self::RealPart) -> Self;
    fn from_parts(re: Self::RealPart, im: Self::RealPart) -> Self;
    fn re(self) -> Self::RealPart;
    fn im(self) -> Self::RealPart;
    fn conj(self) -> Self;
    /// |re| + |im|, the norm BLAS uses for IxAMAX and xASUM.
    fn abs1(self) -> Self::RealPart;
    /// The modulus, computed without overflow for complex values.
    fn modulus(self) -> Self::RealPart;
    fn is_zero(self) -> bool {
        self == Self::zero()
    }
    /// self / divisor without the overflow and underflow of the textbook complex formula
    /// (|divisor|^2 underflows for entries near 1e-20 in single precision): Smith's
    /// algorithm, as Fortran compilers divide COMPLEX values. Plain division for reals.
    fn quotient(self, divisor: Self) -> Self;
    /// self * b + c with fused multiply-adds (one rounding per real operation). Compiled
    /// with the `fma` target feature this is one instruction per real part.
    fn fma(self, b: Self, c: Self) -> Self;
    fn from_f64_lossy(v: f64) -> Self;
}

/// Whether both parts of `v` are finite (no NaN, no infinity).
pub fn is_finite<T: Scalar>(v: T) -> bool {
    use num_traits_lite::Float;
    v.re().to_f64().is_finite() && v.im().to_f64().is_finite()
}

macro_rules! real_scalar {
    ($t:ty, $prefix:literal) => {
        impl Scalar for $t {
            type RealPart = $t;
            const PREFIX: char = $prefix;
            const IS_COMPLEX: bool = false;
            fn from_real(re: $t) -> $t {
                re
            }
            fn from_parts(re: $t, _im: $t) -> $t {
                re
            }
            fn re(self) -> $t {
                self
            }
            fn im(self) -> $t {
                0.0
            }
            fn conj(self) -> $t {
                self
            }
            fn abs1(self) -> $t {
                self.abs()
            }
            fn modulus(self) -> $t {
                self.abs()
            }
            fn from_f64_lossy(v: f64) -> $t {
                v as $t
            }
            fn quotient(self, divisor: $t) -> $t {
                self / divisor
            }
            #[inline(always)]
            fn fma(self, b: $t, c: $t) -> $t {
                self.mul_add(b, c)
            }
        }
        impl num_traits_lite::Float for $t {
            fn sqrt(self) -> $t {
                <$t>::sqrt(self)
            }
            fn abs(self) -> $t {
                <$t>::abs(self)
            }
            fn max(self, other: $t) -> $t {
                <$t>::max(self, other)
            }
            fn min(self, other: $t) -> $t {
                <$t>::min(self, other)
            }
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            fn epsilon() -> $t {
                // LAPACK's eps (DLAMCH('E')): half the machine epsilon, rounding mode.
                <$t>::EPSILON * 0.5
            }
            fn safe_min() -> $t {
                <$t>::MIN_POSITIVE
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn from_f64(v: f64) -> $t {
                v as $t
            }
        }
        impl Real for $t {}
    };
}

macro_rules! complex_scalar {
    ($t:ty, $r:ty, $prefix:literal) => {
        impl Scalar for $t {
            type RealPart = $r;
            const PREFIX: char = $prefix;
            const IS_COMPLEX: bool = true;
            fn from_real(re: $r) -> $t {
                <$t>::new(re, 0.0)
            }
            fn from_parts(re: $r, im: $r) -> $t {
                <$t>::new(re, im)
            }
            fn re(self) -> $r {
                self.re
            }
            fn im(self) -> $r {
                self.im
            }
            fn conj(self) -> $t {
                <$t>::new(self.re, -self.im)
            }
            fn abs1(self) -> $r {
                self.re.abs() + self.im.abs()
            }
            fn modulus(self) -> $r {
                self.re.hypot(self.im)
            }
            fn from_f64_lossy(v: f64) -> $t {
                <$t>::new(v as $r, 0.0)
            }
            #[inline(always)]
            fn fma(self, b: $t, c: $t) -> $t {
                let re = self.re.mul_add(b.re, (-self.im).mul_add(b.im, c.re));
                let im = self.re.mul_add(b.im, self.im.mul_add(b.re, c.im));
                <$t>::new(re, im)
            }
            fn quotient(self, d: $t) -> $t {
                let (a, b) = (self.re, self.im);
                if d.re.abs() >= d.im.abs() {
                    let ratio = d.im / d.re;
                    let denom = d.re + d.im * ratio;
                    <$t>::new((a + b * ratio) / denom, (b - a * ratio) / denom)
                } else {
                    let ratio = d.re / d.im;
                    let denom = d.im + d.re * ratio;
                    <$t>::new((a * ratio + b) / denom, (b * ratio - a) / denom)
                }
            }
        }
    };
}

real_scalar!(f32, 'S');
real_scalar!(f64, 'D');
complex_scalar!(c32, f32, 'C');
complex_scalar!(c64, f64, 'Z');

#[cfg(test)]
mod tests {
    use super::num_traits_lite::Float;
    use super::*;

    fn roundtrip<T: Scalar>() {
        let x = T::from_parts(
            T::RealPart::from_f64_lossy(3.0),
            T::RealPart::from_f64_lossy(-4.0),
        );
        assert_eq!(x.conj().conj(), x);
        let expected_modulus = if T::IS_COMPLEX { 5.0 } else { 3.0 };
        assert_eq!(x.modulus().to_f64(), expected_modulus);
        assert_eq!(x.abs1().to_f64(), if T::IS_COMPLEX { 7.0 } else { 3.0 });
        assert!(T::zero().is_zero() && !T::one().is_zero());
    }

    #[test]
    fn every_scalar_behaves() {
        roundtrip::<f32>();
        roundtrip::<f64>();
        roundtrip::<c32>();
        roundtrip::<c64>();
    }

    #[test]
    fn complex_quotient_survives_tiny_and_huge_divisors() {
        for scale in [1e-25f32, 1.0, 1e25] {
            let d = c32::new(3.0 * scale, 4.0 * scale);
            let q = c32::new(6.0 * scale, 8.0 * scale).quotient(d);
            assert!(
                (q.re - 2.0).abs() < 1e-6 && q.im.abs() < 1e-6,
                "{scale}: {q:?}"
            );
        }
        let q = c64::new(1.0, 0.0).quotient(c64::new(0.0, 2.0));
        assert_eq!((q.re, q.im), (0.0, -0.5));
    }

    #[test]
    fn complex_layout_is_two_reals() {
        assert_eq!(std::mem::size_of::<c64>(), 16);
        assert_eq!(std::mem::align_of::<c64>(), 8);
        assert_eq!(std::mem::size_of::<c32>(), 8);
    }
}
