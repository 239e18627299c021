//! The transposed GEMV of a full matrix on vector registers: y += alpha * op(A) * x with
//! op(A) = A^T or A^H, one dot product of x per column of A. Columns go four at a time
//! (x is loaded once for four columns). A real column is summed into two vectors of
//! partial sums, so that eight independent chains of fused multiply-adds hide their
//! latency; a complex one (its parts side by side, as stored) into the lanes' products
//! with x and with x's parts exchanged, which give the real and imaginary parts.
//!
//! Every column is summed in the same order whatever its neighbours, the group it falls
//! in and the thread that computes it: the same column gives the same bits in any call
//! (LAPACK compares results of calls that share columns).

use crate::blas::vector::{Pairs, Vector};
use crate::scalar::Scalar;

/// y(j) += alpha * op(column j of the m x n matrix at `a`) . x for j < y.len(), op the
/// conjugate when the flag is set (complex T); x has m elements, `usize` is A's leading
/// dimension.
pub type Kernel<T> = unsafe fn(*const T, usize, T, bool, &[T], &mut [T]);

/// The register kernel for T on this machine (AVX2 or AVX-512), if there is one. c32
/// keeps the generic sweep and faer's kernel: on the registers, Netlib's CTFSM test
/// (ctest_rfp, M = N = 50, its triangle made by our CGEQRF) measured a ratio of 30.14
/// against its threshold of 30, and a near-tie between two column norms in CGEQP3 went
/// the other way than the reference LAPACK's (reference-tests, CGELSY 300 x 240): single
/// precision's near-ties follow the summation order, which this keeps as it was.
pub fn kernel_for<T: Scalar>() -> Option<Kernel<T>> {
    // SAFETY: each item is the Kernel of the scalar named before it.
    match crate::simd::level() {
        #[cfg(target_arch = "x86_64")]
        crate::simd::Level::Avx512 => unsafe {
            crate::for_scalar!(T;
                f64 => x86::avx512_f64 as Kernel<f64>, f32 => x86::avx512_f32 as Kernel<f32>,
                c64 => x86::avx512_c64 as Kernel<c64>)
        },
        #[cfg(target_arch = "x86_64")]
        crate::simd::Level::Avx2 => unsafe {
            crate::for_scalar!(T;
                f64 => x86::avx2_f64 as Kernel<f64>, f32 => x86::avx2_f32 as Kernel<f32>,
                c64 => x86::avx2_c64 as Kernel<c64>)
        },
        _ => None,
    }
}

#[cfg(target_arch = "x86_64")]
use crate::scalar::c64;

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{c64, columns, complex_columns};
    use crate::blas::vector::x86::{F32x16, F32x8, F64x4, F64x8};

    macro_rules! variant {
        ($name:ident, $features:literal, $r:ty, $v:ty) => {
            #[target_feature(enable = $features)]
            pub(super) unsafe fn $name(
                a: *const $r,
                ld: usize,
                alpha: $r,
                _conj: bool,
                x: &[$r],
                y: &mut [$r],
            ) {
                columns::<$v>(a, ld, alpha, x, y)
            }
        };
    }
    variant!(avx512_f64, "avx512f,fma", f64, F64x8);
    variant!(avx512_f32, "avx512f,fma", f32, F32x16);
    variant!(avx2_f64, "avx2,fma", f64, F64x4);
    variant!(avx2_f32, "avx2,fma", f32, F32x8);

    /// A complex variant: the arrays read as reals (each element its re, im in turn).
    macro_rules! complex_variant {
        ($name:ident, $features:literal, $c:ty, $r:ty, $v:ty) => {
            #[target_feature(enable = $features)]
            pub(super) unsafe fn $name(
                a: *const $c,
                ld: usize,
                alpha: $c,
                conj: bool,
                x: &[$c],
                y: &mut [$c],
            ) {
                let x = std::slice::from_raw_parts(x.as_ptr() as *const $r, 2 * x.len());
                let y = std::slice::from_raw_parts_mut(y.as_mut_ptr() as *mut $r, 2 * y.len());
                let (a, alpha) = (a as *const $r, (alpha.re, alpha.im));
                if conj {
                    complex_columns::<$v, true>(a, 2 * ld, alpha, x, y)
                } else {
                    complex_columns::<$v, false>(a, 2 * ld, alpha, x, y)
                }
            }
        };
    }
    complex_variant!(avx512_c64, "avx512f,fma", c64, f64, F64x8);
    complex_variant!(avx2_c64, "avx2,fma", c64, f64, F64x4);
}

/// The real kernel's body on the registers V (inlined into a variant that enables them).
#[inline(always)]
unsafe fn columns<V: Vector>(a: *const V::R, ld: usize, alpha: V::R, x: &[V::R], y: &mut [V::R]) {
    let n = y.len();
    let mut j = 0;
    while j + 4 <= n {
        let sums = dots::<V, 4>(a.add(j * ld), ld, x);
        for (yj, s) in y[j..j + 4].iter_mut().zip(sums) {
            *yj += alpha * s;
        }
        j += 4;
    }
    for (j, yj) in y.iter_mut().enumerate().skip(j) {
        let [s] = dots::<V, 1>(a.add(j * ld), ld, x);
        *yj += alpha * s;
    }
}

/// The dot products of x with G adjacent real columns (the first at `a`); each column's
/// sum in an order that does not depend on G.
#[inline(always)]
unsafe fn dots<V: Vector, const G: usize>(a: *const V::R, ld: usize, x: &[V::R]) -> [V::R; G] {
    let (len, lanes) = (x.len(), V::LANES);
    let x = x.as_ptr();
    let zero = V::splat(V::R::zero());
    let mut sums = [[zero; 2]; G];
    let mut i = 0;
    while i + 2 * lanes <= len {
        for (u, at) in [i, i + lanes].into_iter().enumerate() {
            let xv = V::load::<false>(x.add(at), lanes);
            for (g, sum) in sums.iter_mut().enumerate() {
                let av = V::load::<false>(a.add(g * ld + at), lanes);
                sum[u] = sum[u].add_product_fused(av, xv);
            }
        }
        i += 2 * lanes;
    }
    while i < len {
        let count = (len - i).min(lanes);
        let xv = V::load::<true>(x.add(i), count);
        for (g, sum) in sums.iter_mut().enumerate() {
            let av = V::load::<true>(a.add(g * ld + i), count);
            sum[0] = sum[0].add_product_fused(av, xv);
        }
        i += count;
    }
    let mut totals = [V::R::zero(); G];
    let mut parts = [V::R::zero(); 32];
    for (total, sum) in totals.iter_mut().zip(&sums) {
        sum[0].store::<false>(parts.as_mut_ptr(), lanes);
        sum[1].store::<false>(parts.as_mut_ptr().add(lanes), lanes);
        *total = fold(&mut parts[..2 * lanes], 1)[0];
    }
    totals
}

/// Sums `parts` (a power of two long) pairwise down to its first `width` elements:
/// element l then holds the sum of the elements congruent to l modulo `width`.
#[inline(always)]
fn fold<R: Scalar>(parts: &mut [R], width: usize) -> &[R] {
    let mut half = parts.len();
    while half > width {
        half /= 2;
        for l in 0..half {
            parts[l] += parts[l + half];
        }
    }
    &parts[..width]
}

/// One step of [`complex_dots`]: `count` reals of x and of each column from `a` and `x`.
#[inline(always)]
unsafe fn complex_step<V: Pairs, const G: usize, const PART: bool>(
    a: *const V::R,
    ld: usize,
    x: *const V::R,
    count: usize,
    sums: &mut [[V; 2]; G],
) {
    let xv = V::load::<PART>(x, count);
    let swapped = xv.swap_pairs();
    for (g, sum) in sums.iter_mut().enumerate() {
        let column = V::load::<PART>(a.add(g * ld), count);
        sum[0] = sum[0].add_product_fused(column, xv);
        sum[1] = sum[1].add_product_fused(column, swapped);
    }
}

/// The complex kernel's body: `a`, x and y hold (re, im) pairs, `ld` counts reals;
/// CONJ takes A^H.
#[inline(always)]
unsafe fn complex_columns<V: Pairs, const CONJ: bool>(
    a: *const V::R,
    ld: usize,
    (alpha_re, alpha_im): (V::R, V::R),
    x: &[V::R],
    y: &mut [V::R],
) {
    let n = y.len() / 2;
    let mut add = |j: usize, (re, im): (V::R, V::R)| {
        y[2 * j] += alpha_re * re - alpha_im * im;
        y[2 * j + 1] += alpha_re * im + alpha_im * re;
    };
    let mut j = 0;
    while j + 4 <= n {
        let sums = complex_dots::<V, 4, CONJ>(a.add(j * ld), ld, x);
        for (g, s) in sums.into_iter().enumerate() {
            add(j + g, s);
        }
        j += 4;
    }
    for j in j..n {
        let [s] = complex_dots::<V, 1, CONJ>(a.add(j * ld), ld, x);
        add(j, s);
    }
}

/// The dot products (re, im) of x with G adjacent complex columns, conjugated when
/// CONJ; each column's sum in an order that does not depend on G.
#[inline(always)]
unsafe fn complex_dots<V: Pairs, const G: usize, const CONJ: bool>(
    a: *const V::R,
    ld: usize,
    x: &[V::R],
) -> [(V::R, V::R); G] {
    let (len, lanes) = (x.len(), V::LANES);
    let x = x.as_ptr();
    let zero = V::splat(V::R::zero());
    // Lanes of [0]: (a_re x_re, a_im x_im), of [1]: (a_re x_im, a_im x_re).
    let mut sums = [[zero; 2]; G];
    let mut i = 0;
    while i + lanes <= len {
        complex_step::<V, G, false>(a.add(i), ld, x.add(i), lanes, &mut sums);
        i += lanes;
    }
    if i < len {
        complex_step::<V, G, true>(a.add(i), ld, x.add(i), len - i, &mut sums);
    }
    let mut totals = [(V::R::zero(), V::R::zero()); G];
    let mut parts = [V::R::zero(); 16];
    for (total, sum) in totals.iter_mut().zip(&sums) {
        // Each vector's even and odd lanes summed apart.
        let mut even_odd = |v: V| {
            v.store::<false>(parts.as_mut_ptr(), lanes);
            let sums = fold(&mut parts[..lanes], 2);
            (sums[0], sums[1])
        };
        let (re_re, im_im) = even_odd(sum[0]);
        let (re_im, im_re) = even_odd(sum[1]);
        *total = if CONJ {
            (re_re + im_im, re_im - im_re)
        } else {
            (re_re - im_im, re_im + im_re)
        };
    }
    totals
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;

    /// Every column's dot product against a sum in f64, within m ulps of the terms'
    /// size; a column gives the same bits alone as in its group.
    fn check<T: Scalar>(kernel: Kernel<T>, conj: bool, eps: f64) {
        let wide = |v: T| (v.re().to_f64(), v.im().to_f64());
        for &(m, n) in &[
            (1, 1),
            (3, 5),
            (7, 4),
            (8, 9),
            (16, 3),
            (17, 8),
            (33, 13),
            (100, 6),
            (257, 11),
        ] {
            let ld = m + 3;
            let a: Vec<T> = values(ld * n, 1 + m as u64);
            let x: Vec<T> = values(m, 2 + n as u64);
            let alpha = values::<T>(1, 4)[0];
            let y0: Vec<T> = values(n, 3);
            let mut y = y0.clone();
            unsafe { kernel(a.as_ptr(), ld, alpha, conj, &x, &mut y) };
            for j in 0..n {
                let (mut re, mut im, mut size) = (0.0, 0.0, 0.0);
                for i in 0..m {
                    let (ar, ai) = wide(a[i + j * ld]);
                    let ai = if conj { -ai } else { ai };
                    let (xr, xi) = wide(x[i]);
                    re += ar * xr - ai * xi;
                    im += ar * xi + ai * xr;
                    size += (ar.abs() + ai.abs()) * (xr.abs() + xi.abs());
                }
                let ((pr, pi), (yr, yi)) = (wide(alpha), wide(y0[j]));
                let want = (yr + pr * re - pi * im, yi + pr * im + pi * re);
                let got = wide(y[j]);
                let bound = (m as f64 + 4.0) * eps * 2.0 * (size + yr.abs() + yi.abs());
                assert!(
                    (got.0 - want.0).abs() <= bound && (got.1 - want.1).abs() <= bound,
                    "m {m} n {n} column {j} conj {conj}: {got:?} vs {want:?}"
                );
                let mut alone = [y0[j]];
                unsafe { kernel(a.as_ptr().add(j * ld), ld, alpha, conj, &x, &mut alone) };
                assert_eq!(wide(alone[0]), got, "m {m} n {n} column {j}");
            }
        }
    }

    #[test]
    fn columns_match_wide_sums_and_do_not_depend_on_their_group() {
        let avx2 = std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma");
        let avx512 = std::arch::is_x86_feature_detected!("avx512f");
        let (e64, e32) = (f64::EPSILON, f32::EPSILON as f64);
        for conj in [false, true] {
            if avx2 {
                check::<f64>(x86::avx2_f64, conj, e64);
                check::<f32>(x86::avx2_f32, conj, e32);
                check::<c64>(x86::avx2_c64, conj, e64);
            }
            if avx512 {
                check::<f64>(x86::avx512_f64, conj, e64);
                check::<f32>(x86::avx512_f32, conj, e32);
                check::<c64>(x86::avx512_c64, conj, e64);
            }
        }
    }
}
