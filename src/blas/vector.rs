//! The vector registers the GEMM kernels are written against: one trait, implemented for
//! a plain real (machines without AVX2) and for AVX2 and AVX-512 registers of f32 and f64.
//! A kernel generic over [`Vector`] compiles to the same order of operations on each.

use crate::scalar::Scalar;

/// A vector register of `LANES` reals, as the kernels use it.
///
/// # Safety
/// Every method needs the CPU features of its register type (callers run inside a
/// function that enables them); `load` and `store` need `count` valid elements at `p`.
#[allow(clippy::missing_safety_doc)]
pub trait Vector: Copy {
    type R: Scalar<RealPart = Self::R>;
    const LANES: usize;
    unsafe fn splat(x: Self::R) -> Self;
    /// The first `count` (1..=LANES) elements at `p`, zeros above when `PART`.
    unsafe fn load<const PART: bool>(p: *const Self::R, count: usize) -> Self;
    unsafe fn store<const PART: bool>(self, p: *mut Self::R, count: usize);
    /// self + f*a, rounded after the product and after the sum.
    unsafe fn add_product(self, f: Self, a: Self) -> Self;
    /// f*a + self, rounded once.
    unsafe fn add_product_fused(self, f: Self, a: Self) -> Self;
    /// self * f.
    unsafe fn mul(self, f: Self) -> Self;
    /// self + other.
    unsafe fn add(self, other: Self) -> Self;
    /// self / d, correctly rounded.
    unsafe fn div(self, d: Self) -> Self;
}

/// A register of several reals read as (re, im) pairs: complex numbers side by side.
///
/// # Safety
/// As for [`Vector`].
#[allow(clippy::missing_safety_doc)]
pub trait Pairs: Vector {
    /// Each pair's two lanes exchanged: (re, im) becomes (im, re).
    unsafe fn swap_pairs(self) -> Self;

    /// (-t, t) in every pair: times a register's pairs exchanged, it gives the part of
    /// (tr + i t) * (re + i im) that t contributes, (-t im, t re).
    #[inline(always)]
    unsafe fn alternating(t: Self::R) -> Self {
        let mut lanes = [Self::R::zero(); 16];
        for (l, v) in lanes[..Self::LANES].iter_mut().enumerate() {
            *v = if l % 2 == 0 { -t } else { t };
        }
        Self::load::<false>(lanes.as_ptr(), Self::LANES)
    }
}

/// One real: the kernels' shape on machines without AVX2.
#[derive(Clone, Copy)]
pub struct One<R>(pub R);

impl<R: Scalar<RealPart = R>> Vector for One<R> {
    type R = R;
    const LANES: usize = 1;
    #[inline(always)]
    unsafe fn splat(x: R) -> Self {
        One(x)
    }
    #[inline(always)]
    unsafe fn load<const PART: bool>(p: *const R, _count: usize) -> Self {
        One(*p)
    }
    #[inline(always)]
    unsafe fn store<const PART: bool>(self, p: *mut R, _count: usize) {
        *p = self.0
    }
    #[inline(always)]
    unsafe fn add_product(self, f: Self, a: Self) -> Self {
        One(self.0 + f.0 * a.0)
    }
    #[inline(always)]
    unsafe fn add_product_fused(self, f: Self, a: Self) -> Self {
        One(f.0.fma(a.0, self.0))
    }
    #[inline(always)]
    unsafe fn mul(self, f: Self) -> Self {
        One(self.0 * f.0)
    }
    #[inline(always)]
    unsafe fn div(self, d: Self) -> Self {
        One(self.0 / d.0)
    }
    #[inline(always)]
    unsafe fn add(self, other: Self) -> Self {
        One(self.0 + other.0)
    }
}

#[cfg(target_arch = "x86_64")]
pub mod x86 {
    use super::Vector;
    use std::arch::x86_64::*;

    /// Lane i of a 256-bit mask: all ones when i < count.
    #[inline(always)]
    unsafe fn mask256(count: usize, lanes: i64) -> __m256i {
        let index = if lanes == 4 {
            _mm256_setr_epi64x(0, 1, 2, 3)
        } else {
            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)
        };
        if lanes == 4 {
            _mm256_cmpgt_epi64(_mm256_set1_epi64x(count as i64), index)
        } else {
            _mm256_cmpgt_epi32(_mm256_set1_epi32(count as i32), index)
        }
    }

    macro_rules! avx512 {
        ($name:ident, $r:ty, $v:ty, $lanes:literal, $mask:ty,
         $set1:ident, $loadu:ident, $maskz_loadu:ident, $storeu:ident, $mask_storeu:ident,
         $mul:ident, $add:ident, $fmadd:ident, $div:ident) => {
            #[derive(Clone, Copy)]
            pub struct $name($v);
            impl Vector for $name {
                type R = $r;
                const LANES: usize = $lanes;
                #[inline(always)]
                unsafe fn splat(x: $r) -> Self {
                    $name($set1(x))
                }
                #[inline(always)]
                unsafe fn load<const PART: bool>(p: *const $r, count: usize) -> Self {
                    if PART {
                        $name($maskz_loadu(((1u32 << count) - 1) as $mask, p))
                    } else {
                        $name($loadu(p))
                    }
                }
                #[inline(always)]
                unsafe fn store<const PART: bool>(self, p: *mut $r, count: usize) {
                    if PART {
                        $mask_storeu(p, ((1u32 << count) - 1) as $mask, self.0)
                    } else {
                        $storeu(p, self.0)
                    }
                }
                #[inline(always)]
                unsafe fn add_product(self, f: Self, a: Self) -> Self {
                    $name($add(self.0, $mul(f.0, a.0)))
                }
                #[inline(always)]
                unsafe fn add_product_fused(self, f: Self, a: Self) -> Self {
                    $name($fmadd(f.0, a.0, self.0))
                }
                #[inline(always)]
                unsafe fn mul(self, f: Self) -> Self {
                    $name($mul(self.0, f.0))
                }
                #[inline(always)]
                unsafe fn div(self, d: Self) -> Self {
                    $name($div(self.0, d.0))
                }
                #[inline(always)]
                unsafe fn add(self, other: Self) -> Self {
                    $name($add(self.0, other.0))
                }
            }
        };
    }
    avx512!(
        F64x8,
        f64,
        __m512d,
        8,
        u8,
        _mm512_set1_pd,
        _mm512_loadu_pd,
        _mm512_maskz_loadu_pd,
        _mm512_storeu_pd,
        _mm512_mask_storeu_pd,
        _mm512_mul_pd,
        _mm512_add_pd,
        _mm512_fmadd_pd,
        _mm512_div_pd
    );
    avx512!(
        F32x16,
        f32,
        __m512,
        16,
        u16,
        _mm512_set1_ps,
        _mm512_loadu_ps,
        _mm512_maskz_loadu_ps,
        _mm512_storeu_ps,
        _mm512_mask_storeu_ps,
        _mm512_mul_ps,
        _mm512_add_ps,
        _mm512_fmadd_ps,
        _mm512_div_ps
    );

    macro_rules! avx2 {
        ($name:ident, $r:ty, $v:ty, $lanes:literal, $set1:ident, $loadu:ident, $maskload:ident,
         $storeu:ident, $maskstore:ident, $mul:ident, $add:ident, $fmadd:ident, $div:ident) => {
            #[derive(Clone, Copy)]
            pub struct $name($v);
            impl Vector for $name {
                type R = $r;
                const LANES: usize = $lanes;
                #[inline(always)]
                unsafe fn splat(x: $r) -> Self {
                    $name($set1(x))
                }
                #[inline(always)]
                unsafe fn load<const PART: bool>(p: *const $r, count: usize) -> Self {
                    if PART {
                        $name($maskload(p, mask256(count, $lanes)))
                    } else {
                        $name($loadu(p))
                    }
                }
                #[inline(always)]
                unsafe fn store<const PART: bool>(self, p: *mut $r, count: usize) {
                    if PART {
                        $maskstore(p, mask256(count, $lanes), self.0)
                    } else {
                        $storeu(p, self.0)
                    }
                }
                #[inline(always)]
                unsafe fn add_product(self, f: Self, a: Self) -> Self {
                    $name($add(self.0, $mul(f.0, a.0)))
                }
                #[inline(always)]
                unsafe fn add_product_fused(self, f: Self, a: Self) -> Self {
                    $name($fmadd(f.0, a.0, self.0))
                }
                #[inline(always)]
                unsafe fn mul(self, f: Self) -> Self {
                    $name($mul(self.0, f.0))
                }
                #[inline(always)]
                unsafe fn div(self, d: Self) -> Self {
                    $name($div(self.0, d.0))
                }
                #[inline(always)]
                unsafe fn add(self, other: Self) -> Self {
                    $name($add(self.0, other.0))
                }
            }
        };
    }
    avx2!(
        F64x4,
        f64,
        __m256d,
        4,
        _mm256_set1_pd,
        _mm256_loadu_pd,
        _mm256_maskload_pd,
        _mm256_storeu_pd,
        _mm256_maskstore_pd,
        _mm256_mul_pd,
        _mm256_add_pd,
        _mm256_fmadd_pd,
        _mm256_div_pd
    );
    avx2!(
        F32x8,
        f32,
        __m256,
        8,
        _mm256_set1_ps,
        _mm256_loadu_ps,
        _mm256_maskload_ps,
        _mm256_storeu_ps,
        _mm256_maskstore_ps,
        _mm256_mul_ps,
        _mm256_add_ps,
        _mm256_fmadd_ps,
        _mm256_div_ps
    );

    macro_rules! pairs {
        ($name:ident, $swap:expr) => {
            impl super::Pairs for $name {
                #[inline(always)]
                unsafe fn swap_pairs(self) -> Self {
                    $name($swap(self.0))
                }
            }
        };
    }
    pairs!(F64x4, _mm256_permute_pd::<0b0101>);
    pairs!(F32x8, _mm256_permute_ps::<0b1011_0001>);
    pairs!(F64x8, _mm512_permute_pd::<0b0101_0101>);
    pairs!(F32x16, _mm512_permute_ps::<0b1011_0001>);
}
