//! y += alpha * A * x for a full complex A (GEMV with TRANS = 'N') on vector registers,
//! rounded as the reference rounds it: t_j = alpha * x_j, then for each column in turn
//! y_i := y_i + t_j * a_ij, the complex product formed as (tr ar - ti ai, tr ai + ti ar)
//! with every product and sum rounded (no fused multiply-add). A register holds a few
//! elements as (re, im) pairs: tr times the pairs plus (-ti, ti) times the pairs
//! exchanged is exactly that product. Four columns go a pass, so y is loaded and stored
//! once per four columns; each element still gets its terms in column order. The same
//! update serves GERU/GERC's columns (x times the column's factor) and HER2's (x and y
//! times theirs).

use crate::blas::vector::Pairs;
use crate::scalar::Scalar;

/// y += alpha * A * x, A the y.len() x n matrix at `a` with leading dimension `usize`;
/// x has n elements.
pub type Kernel<T> = unsafe fn(*const T, isize, usize, T, &[T], &mut [T]);

/// z := z + x * t elementwise (x as long as z): GER's column update, t = alpha * op(y_j).
pub type RankOneKernel<T> = unsafe fn(&mut [T], &[T], T);

/// z := (z + x * t1) + y * t2 elementwise (x, y as long as z): HER2's column update
/// (SYR2's, HPR2's) in the reference's order.
pub type RankTwoKernel<T> = unsafe fn(&mut [T], &[T], &[T], T, T);

/// The register kernels of one complex type.
#[derive(Clone, Copy)]
pub struct Kernels<T> {
    pub gemv: Kernel<T>,
    pub rank_one: RankOneKernel<T>,
    pub rank_two: RankTwoKernel<T>,
}

/// The register kernels for complex T on this machine (AVX2 or AVX-512), if there are.
pub fn kernels_for<T: Scalar>() -> Option<Kernels<T>> {
    // SAFETY: each item is the Kernels of the scalar named before it.
    match crate::simd::level() {
        #[cfg(target_arch = "x86_64")]
        crate::simd::Level::Avx512 => unsafe {
            crate::for_scalar!(T; c64 => x86::AVX512_C64, c32 => x86::AVX512_C32)
        },
        #[cfg(target_arch = "x86_64")]
        crate::simd::Level::Avx2 => unsafe {
            crate::for_scalar!(T; c64 => x86::AVX2_C64, c32 => x86::AVX2_C32)
        },
        _ => None,
    }
}

#[cfg(target_arch = "x86_64")]
use crate::scalar::{c32, c64};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{add_columns, c32, c64, columns, Kernels};
    use crate::blas::vector::x86::{F32x16, F32x8, F64x4, F64x8};

    macro_rules! variant {
        ($name:ident, $gemv:ident, $rank_one:ident, $rank_two:ident, $features:literal, $c:ty,
         $r:ty, $v:ty) => {
            #[target_feature(enable = $features)]
            unsafe fn $gemv(a: *const $c, ld: isize, n: usize, alpha: $c, x: &[$c], y: &mut [$c]) {
                let x = std::slice::from_raw_parts(x.as_ptr() as *const $r, 2 * n);
                let y = std::slice::from_raw_parts_mut(y.as_mut_ptr() as *mut $r, 2 * y.len());
                columns::<$v>(a as *const $r, 2 * ld, (alpha.re, alpha.im), x, y)
            }
            #[target_feature(enable = $features)]
            unsafe fn $rank_one(z: &mut [$c], x: &[$c], t: $c) {
                let z = std::slice::from_raw_parts_mut(z.as_mut_ptr() as *mut $r, 2 * z.len());
                add_columns::<$v, 1>([x.as_ptr() as *const $r], [(t.re, t.im)], z);
            }
            #[target_feature(enable = $features)]
            unsafe fn $rank_two(z: &mut [$c], x: &[$c], y: &[$c], t1: $c, t2: $c) {
                let len = 2 * z.len();
                let z = std::slice::from_raw_parts_mut(z.as_mut_ptr() as *mut $r, len);
                let cols = [x.as_ptr() as *const $r, y.as_ptr() as *const $r];
                add_columns::<$v, 2>(cols, [(t1.re, t1.im), (t2.re, t2.im)], z);
            }
            pub(super) static $name: Kernels<$c> = Kernels {
                gemv: $gemv,
                rank_one: $rank_one,
                rank_two: $rank_two,
            };
        };
    }
    variant!(
        AVX512_C64,
        avx512_c64,
        avx512_c64_rank_one,
        avx512_c64_rank_two,
        "avx512f",
        c64,
        f64,
        F64x8
    );
    variant!(
        AVX512_C32,
        avx512_c32,
        avx512_c32_rank_one,
        avx512_c32_rank_two,
        "avx512f",
        c32,
        f32,
        F32x16
    );
    variant!(
        AVX2_C64,
        avx2_c64,
        avx2_c64_rank_one,
        avx2_c64_rank_two,
        "avx2",
        c64,
        f64,
        F64x4
    );
    variant!(
        AVX2_C32,
        avx2_c32,
        avx2_c32_rank_one,
        avx2_c32_rank_two,
        "avx2",
        c32,
        f32,
        F32x8
    );
}

/// The GEMV kernel's body on the registers V: `a`, x and y hold (re, im) pairs, `ld`
/// counts reals; each column's factor t_j = alpha * x_j as the reference forms it.
#[inline(always)]
unsafe fn columns<V: Pairs>(
    a: *const V::R,
    ld: isize,
    (alpha_re, alpha_im): (V::R, V::R),
    x: &[V::R],
    y: &mut [V::R],
) {
    let factor = |j: usize| {
        let (xr, xi) = (x[2 * j], x[2 * j + 1]);
        (alpha_re * xr - alpha_im * xi, alpha_re * xi + alpha_im * xr)
    };
    let n = x.len() / 2;
    let mut j = 0;
    while j + 4 <= n {
        let factors = [factor(j), factor(j + 1), factor(j + 2), factor(j + 3)];
        let cols = [0, 1, 2, 3].map(|g| a.offset((j + g) as isize * ld));
        add_columns::<V, 4>(cols, factors, y);
        j += 4;
    }
    for j in j..n {
        add_columns::<V, 1>([a.offset(j as isize * ld)], [factor(j)], y);
    }
}

/// y += t_0 * column 0 + ... + t_{G-1} * column G-1 (column g at `cols[g]`), in that
/// order, t_g = `factors[g]` as (re, im).
#[inline(always)]
unsafe fn add_columns<V: Pairs, const G: usize>(
    cols: [*const V::R; G],
    factors: [(V::R, V::R); G],
    y: &mut [V::R],
) {
    let lanes = V::LANES;
    let zero = V::splat(V::R::zero());
    let (mut re, mut im) = ([zero; G], [zero; G]);
    for (g, (tr, ti)) in factors.into_iter().enumerate() {
        re[g] = V::splat(tr);
        im[g] = V::alternating(ti);
    }
    let (len, yp) = (y.len(), y.as_mut_ptr());
    let mut i = 0;
    while i + 2 * lanes <= len {
        pair_step::<V, G>(cols.map(|c| c.add(i)), (&re, &im), yp.add(i));
        i += 2 * lanes;
    }
    while i + lanes <= len {
        step::<V, G, false>(cols.map(|c| c.add(i)), (&re, &im), yp.add(i), lanes);
        i += lanes;
    }
    if i < len {
        step::<V, G, true>(cols.map(|c| c.add(i)), (&re, &im), yp.add(i), len - i);
    }
}

/// [`step`] on two vectors of y at once: two independent chains of additions.
#[inline(always)]
unsafe fn pair_step<V: Pairs, const G: usize>(
    cols: [*const V::R; G],
    (re, im): (&[V; G], &[V; G]),
    y: *mut V::R,
) {
    let lanes = V::LANES;
    let mut sums = [
        V::load::<false>(y, lanes),
        V::load::<false>(y.add(lanes), lanes),
    ];
    for g in 0..G {
        for (u, sum) in sums.iter_mut().enumerate() {
            let column = V::load::<false>(cols[g].add(u * lanes), lanes);
            let product = column.mul(re[g]).add(column.swap_pairs().mul(im[g]));
            *sum = sum.add(product);
        }
    }
    sums[0].store::<false>(y, lanes);
    sums[1].store::<false>(y.add(lanes), lanes);
}

/// `count` reals of y at `y` += the G columns' terms at `cols`, one column after the
/// other.
#[inline(always)]
unsafe fn step<V: Pairs, const G: usize, const PART: bool>(
    cols: [*const V::R; G],
    (re, im): (&[V; G], &[V; G]),
    y: *mut V::R,
    count: usize,
) {
    let mut sum = V::load::<PART>(y, count);
    for g in 0..G {
        let column = V::load::<PART>(cols[g], count);
        let product = column.mul(re[g]).add(column.swap_pairs().mul(im[g]));
        sum = sum.add(product);
    }
    sum.store::<PART>(y, count);
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::blas::level2::Storage;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;

    /// The reference's loop: y_i + (alpha*x_j)*a_ij for j = 0, 1, ... in T's own
    /// arithmetic (products and sums rounded one by one).
    fn reference<T: Scalar>(a: &[T], ld: usize, n: usize, alpha: T, x: &[T], y: &mut [T]) {
        for j in 0..n {
            let t = alpha * x[j];
            for (i, yi) in y.iter_mut().enumerate() {
                *yi += t * a[i + j * ld];
            }
        }
    }

    fn check<T: Scalar>(kernels: Kernels<T>) {
        let bits = |v: &T| (v.re().to_f64().to_bits(), v.im().to_f64().to_bits());
        for &(m, n) in &[
            (1, 1),
            (1, 7),
            (2, 3),
            (3, 5),
            (5, 4),
            (8, 9),
            (17, 8),
            (33, 13),
            (100, 6),
            (257, 11),
        ] {
            let ld = m + 2;
            let a: Vec<T> = values(ld * n, 5 + m as u64);
            let x: Vec<T> = values(n, 6 + n as u64);
            let alpha = values::<T>(1, 7)[0];
            let mut want: Vec<T> = values(m + 3, 8);
            let mut got = want.clone();
            reference(&a, ld, n, alpha, &x, &mut want[..m]);
            unsafe { (kernels.gemv)(a.as_ptr(), ld as isize, n, alpha, &x, &mut got[..m]) };
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(bits(g), bits(w), "gemv m {m} n {n} row {i}");
            }
            // Rank one: A(i,j) + x_i * (alpha * op(y_j)), a zero y_j leaves its column as
            // it is (NaN included); the padding rows stay untouched.
            for conj in [false, true] {
                let u: Vec<T> = values(m, 9 + m as u64);
                let mut v: Vec<T> = values(n, 10 + n as u64);
                v[n / 2] = T::zero();
                let mut want = a.clone();
                want[(n / 2) * ld] = T::from_f64_lossy(f64::NAN);
                let mut got = want.clone();
                for j in 0..n {
                    if v[j].is_zero() {
                        continue;
                    }
                    let t = alpha * if conj { v[j].conj() } else { v[j] };
                    for i in 0..m {
                        want[i + j * ld] += u[i] * t;
                    }
                }
                // Through the kernel, column by column as level2::rank1 calls it.
                let mut columns = got.clone();
                for j in (0..n).filter(|&j| !v[j].is_zero()) {
                    let t = alpha * if conj { v[j].conj() } else { v[j] };
                    unsafe { (kernels.rank_one)(&mut columns[j * ld..j * ld + m], &u, t) };
                }
                // Through GER's whole path (threads, the zero y_j skipped).
                let storage = Storage::Full {
                    ptr: got.as_mut_ptr(),
                    ld,
                    m,
                    uplo: None,
                };
                let (x, y) = ((u.as_ptr(), 1), (v.as_ptr(), 1));
                unsafe { crate::blas::level2::rank1(conj, storage, (m, n), alpha, x, y) };
                for (k, ((g, c), w)) in got.iter().zip(&columns).zip(&want).enumerate() {
                    let what = format!("rank one m {m} n {n} conj {conj} element {k}");
                    assert_eq!(bits(c), bits(w), "kernel, {what}");
                    assert_eq!(bits(g), bits(w), "GER, {what}");
                }
            }
        }
    }

    /// z + x*t1 + y*t2 as the reference's column update of HER2 orders it.
    fn check_rank_two<T: Scalar>(kernels: Kernels<T>) {
        let bits = |v: &T| (v.re().to_f64().to_bits(), v.im().to_f64().to_bits());
        for len in [1, 2, 3, 4, 5, 8, 13, 31, 64] {
            let (x, y): (Vec<T>, Vec<T>) = (values(len, 11), values(len, 12));
            let t = values::<T>(2, 13);
            let mut want: Vec<T> = values(len + 2, 14);
            let mut got = want.clone();
            for i in 0..len {
                want[i] = want[i] + x[i] * t[0] + y[i] * t[1];
            }
            unsafe { (kernels.rank_two)(&mut got[..len], &x, &y, t[0], t[1]) };
            for (k, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(bits(g), bits(w), "rank two length {len} element {k}");
            }
        }
    }

    #[test]
    fn register_columns_have_the_reference_loops_bits() {
        if std::arch::is_x86_feature_detected!("avx2") {
            check::<c64>(x86::AVX2_C64);
            check::<c32>(x86::AVX2_C32);
            check_rank_two::<c64>(x86::AVX2_C64);
            check_rank_two::<c32>(x86::AVX2_C32);
        }
        if std::arch::is_x86_feature_detected!("avx512f") {
            check::<c64>(x86::AVX512_C64);
            check::<c32>(x86::AVX512_C32);
            check_rank_two::<c64>(x86::AVX512_C64);
            check_rank_two::<c32>(x86::AVX512_C32);
        }
    }
}
