//! HEMV, HBMV and HPMV (SYMV, SBMV, SPMV for real scalars): y := alpha*A*x + beta*y
//! with one triangle of the Hermitian A referenced. Arguments arrive checked (see
//! `crate::abi::blas_level2`).
//!
//! Every stored off-diagonal a_ij is read once and used twice: it adds (alpha*x_j)*a_ij
//! to y_i (column j applied as stored) and conj(a_ij)*x_i to column j's dot product,
//! which gives y_j. Four columns go together, so y's rows are loaded and stored once
//! per four columns and the four dot products run side by side.
//!
//! A large triangle is cut into column parts of about equal area; each part adds into
//! its own vector (the first into y itself) and the vectors are added to y in part
//! order. The cuts depend only on the order, so the result is the same on any number of
//! threads (xSYTRD's tridiagonal form must not change with the thread count).

use crate::blas::args::Uplo;
use crate::blas::level2::{scale, with_vector, with_vector_mut, Storage};
use crate::scalar::Scalar;

/// The fewest triangle elements a part may have (about 10 us of work in cache).
const PART_ELEMENTS: usize = 1 << 15;

/// The most parts a triangle is cut into, whatever the threads: each costs a vector of
/// up to n to clear and add (at n = 2048 sixteen cost 1.5% of the products).
const MAX_PARTS: usize = 16;

/// Rows a dot-product accumulator covers: eight partial sums per column, so the loop
/// vectorizes without reordering any one sum.
const LANES: usize = 8;

/// y := alpha * A * x + beta * y for Hermitian A of order n stored in `a` (one
/// triangle). The diagonal's imaginary part is not read, as reference BLAS.
///
/// # Safety
/// Storage and vectors valid for the checked shapes; y disjoint from A and x.
pub unsafe fn hermitian_mv<T: Scalar>(
    uplo: Uplo,
    a: Storage<T>,
    n: usize,
    alpha: T,
    (x, incx): (*const T, isize),
    beta: T,
    (y, incy): (*mut T, isize),
) {
    if n == 0 || (alpha.is_zero() && beta == T::one()) {
        return;
    }
    with_vector_mut(y, n, incy, |y| {
        scale(y, beta);
        if alpha.is_zero() {
            return;
        }
        with_vector(x, n, incx, |x| {
            let pass = Pass {
                uplo,
                a,
                cols: (0, n),
                alpha,
                x,
                first_row: 0,
            };
            if part_count(n) == 1 {
                add_columns(&pass, y);
            } else {
                add_in_parts(&pass, &part_cuts(uplo, n), y);
            }
        })
    })
}

/// How many parts an order-n triangle is cut into.
fn part_count(n: usize) -> usize {
    (n * (n + 1) / 2 / PART_ELEMENTS).clamp(1, MAX_PARTS)
}

/// The column cuts of an order-n triangle into parts of about equal area: part p is
/// columns cuts[p]..cuts[p + 1] (at most [`part_count`] parts).
fn part_cuts(uplo: Uplo, n: usize) -> Vec<usize> {
    let area = n * (n + 1) / 2;
    let parts = part_count(n);
    let mut cuts = vec![0];
    // The area of columns 0..c is c(c + 1)/2 (Upper) or area - (n - c)(n - c + 1)/2
    // (Lower); the cut for part p is the first multiple of 4 whose area reaches p/parts.
    let area_before = |c: usize| match uplo {
        Uplo::Upper => c * (c + 1) / 2,
        Uplo::Lower => area - (n - c) * (n - c + 1) / 2,
    };
    let mut c = 0;
    for p in 1..parts {
        let goal = area * p / parts;
        while c < n && area_before(c) < goal {
            c += 4;
        }
        let c = c.min(n);
        if c > *cuts.last().unwrap() && c < n {
            cuts.push(c);
        }
    }
    cuts.push(n);
    cuts
}

/// The parts of [`part_cuts`] on the threads: part 0 adds into y, part p > 0 into its
/// own vector over the rows its columns reach, then those are added to y in order.
///
/// # Safety
/// As for [`hermitian_mv`]; `whole` covers every column, `y.len() == n`.
unsafe fn add_in_parts<T: Scalar>(whole: &Pass<T>, cuts: &[usize], y: &mut [T]) {
    let n = y.len();
    let parts = cuts.len() - 1;
    // Rows part p touches: from its first column down (Lower), up to its last (Upper).
    let rows = |p: usize| match whole.uplo {
        Uplo::Lower => cuts[p]..n,
        Uplo::Upper => 0..cuts[p + 1],
    };
    let mut extra: Vec<Vec<T>> = (1..parts).map(|p| vec![T::zero(); rows(p).len()]).collect();
    let targets: Vec<(usize, usize)> = std::iter::once((y.as_mut_ptr() as usize, n))
        .chain(extra.iter_mut().map(|v| (v.as_mut_ptr() as usize, v.len())))
        .collect();
    let job = |p: usize| {
        let (ptr, len) = targets[p];
        // Each part writes only its own target vector.
        let target = std::slice::from_raw_parts_mut(ptr as *mut T, len);
        let first_row = if p == 0 { 0 } else { rows(p).start };
        let pass = Pass {
            cols: (cuts[p], cuts[p + 1]),
            first_row,
            ..*whole
        };
        add_columns(&pass, target);
    };
    crate::threads::run_in_runs(parts, &job);
    for (k, v) in extra.iter().enumerate() {
        let start = rows(k + 1).start;
        for (yi, &vi) in y[start..start + v.len()].iter_mut().zip(v) {
            *yi += vi;
        }
    }
}

/// One pass's inputs: columns cols.0..cols.1 of the `uplo` triangle in `a`, applied
/// with alpha to x, into a target holding rows `first_row..` of y.
#[derive(Clone, Copy)]
struct Pass<'a, T> {
    uplo: Uplo,
    a: Storage<T>,
    cols: (usize, usize),
    alpha: T,
    x: &'a [T],
    first_row: usize,
}

// The parts only read the storage.
unsafe impl<T: Sync> Sync for Pass<'_, T> {}

/// target[i - first_row] += alpha * (row i's terms from the pass's columns), on vector
/// registers on AVX2 and AVX-512.
///
/// # Safety
/// As for [`hermitian_mv`]; `pass.x.len() == n`, the target covers every row from
/// `first_row` the columns reach.
unsafe fn add_columns<T: Scalar>(pass: &Pass<T>, target: &mut [T]) {
    match registers::columns_for::<T>() {
        Some(columns) => columns(pass, target),
        None => add_columns_plain(pass, target),
    }
}

crate::dispatched! {
    /// [`add_columns`] on plain scalar code (machines without AVX2).
    ///
    /// # Safety
    /// As for [`add_columns`].
    unsafe fn add_columns_plain<T: Scalar>(pass: &Pass<T>, target: &mut [T]) -> () {
        columns_body::<T, Plain>(pass, target)
    }
}

/// The four-column kernel of [`columns_body`]: y_i += t_0 a_i0 + ... + t_3 a_i3 over
/// a run of rows, returning the four sums op(a_ik) x_i.
trait Fused<T> {
    /// # Safety
    /// The columns and x hold at least y.len() elements; the CPU has the kernel's
    /// instructions.
    unsafe fn fused(cols: [&[T]; 4], t: [T; 4], x: &[T], y: &mut [T]) -> [T; 4];
}

/// [`Fused`] on plain scalar code.
struct Plain;

/// The body of [`add_columns`].
#[inline(always)]
unsafe fn columns_body<T: Scalar, K: Fused<T>>(pass: &Pass<T>, y: &mut [T]) {
    let Pass {
        uplo,
        a,
        cols: (first, end),
        alpha,
        x,
        first_row,
    } = *pass;
    let conj = T::IS_COMPLEX;
    let mut j = first;
    while j < end {
        let group = (end - j).min(4);
        let mut spans = [(0usize, &[] as &[T]); 4];
        let mut t = [T::zero(); 4];
        let mut sums = [T::zero(); 4];
        for k in 0..group {
            spans[k] = a.column(j + k);
            t[k] = alpha * x[j + k];
        }
        // Rows every column of a full group holds off its diagonal block.
        let shared = if group == 4 {
            let start = spans.iter().map(|s| s.0).max().unwrap();
            let end = spans.iter().map(|s| s.0 + s.1.len()).min().unwrap();
            match uplo {
                Uplo::Lower => (j + 4).max(start)..end.max(j + 4),
                Uplo::Upper => start..end.min(j).max(start),
            }
        } else {
            0..0
        };
        if !shared.is_empty() {
            let part = |k: usize| {
                let (lo, col) = spans[k];
                &col[shared.start - lo..shared.end - lo]
            };
            let yr = shared.start - first_row..shared.end - first_row;
            sums = K::fused(
                [part(0), part(1), part(2), part(3)],
                t,
                &x[shared.clone()],
                &mut y[yr],
            );
        }
        for k in 0..group {
            let (lo, col) = spans[k];
            let jj = j + k;
            let (before, after) = if shared.is_empty() {
                (lo..lo + col.len(), 0..0)
            } else {
                (lo..shared.start, shared.end..lo + col.len())
            };
            for i in before.chain(after) {
                let v = col[i - lo];
                if i == jj {
                    y[i - first_row] += t[k] * T::from_real(v.re());
                } else {
                    y[i - first_row] += t[k] * v;
                    sums[k] += if conj { v.conj() } else { v } * x[i];
                }
            }
            y[jj - first_row] += alpha * sums[k];
        }
        j += group;
    }
}

impl<T: Scalar> Fused<T> for Plain {
    /// op is conjugation for complex T; each sum is kept in LANES partial sums so that
    /// the loop vectorizes.
    #[inline(always)]
    unsafe fn fused(cols: [&[T]; 4], t: [T; 4], x: &[T], y: &mut [T]) -> [T; 4] {
        let len = y.len();
        let cols = cols.map(|c| &c[..len]);
        let x = &x[..len];
        let op = |v: T| if T::IS_COMPLEX { v.conj() } else { v };
        let mut s = [[T::zero(); LANES]; 4];
        let whole = len - len % LANES;
        let [c0, c1, c2, c3] = cols.map(|c| c[..whole].chunks_exact(LANES));
        let rows = y[..whole]
            .chunks_exact_mut(LANES)
            .zip(x[..whole].chunks_exact(LANES));
        for (((((yc, xc), a0), a1), a2), a3) in rows.zip(c0).zip(c1).zip(c2).zip(c3) {
            for l in 0..LANES {
                yc[l] += t[0] * a0[l] + t[1] * a1[l] + t[2] * a2[l] + t[3] * a3[l];
            }
            for (sk, ak) in s.iter_mut().zip([a0, a1, a2, a3]) {
                for l in 0..LANES {
                    sk[l] += op(ak[l]) * xc[l];
                }
            }
        }
        let mut totals = s.map(|sk| {
            let mut total = T::zero();
            for v in sk {
                total += v;
            }
            total
        });
        for i in whole..len {
            y[i] += t[0] * cols[0][i] + t[1] * cols[1][i] + t[2] * cols[2][i] + t[3] * cols[3][i];
            for (total, col) in totals.iter_mut().zip(&cols) {
                *total += op(col[i]) * x[i];
            }
        }
        totals
    }
}

/// [`Fused`] on vector registers: for real f32 and f64 two vectors of rows a step, the
/// four columns' products fused multiply-adds into y and into two partial sums each; for
/// complex scalars one vector of (re, im) pairs a step.
mod registers {
    use super::{columns_body, Fused, Pass};
    use crate::blas::vector::{Pairs, Vector};
    use crate::scalar::{c32, c64, Scalar};

    type Columns<T> = unsafe fn(&Pass<T>, &mut [T]);

    /// The register variant of `add_columns` for T on this machine, if there is one.
    pub(super) fn columns_for<T: Scalar>() -> Option<Columns<T>> {
        columns_at::<T>(crate::simd::level())
    }

    /// The register variant of `add_columns` for T at `level`, if there is one.
    fn columns_at<T: Scalar>(level: crate::simd::Level) -> Option<Columns<T>> {
        // SAFETY: each item is the Columns of the scalar named before it.
        match level {
            #[cfg(target_arch = "x86_64")]
            crate::simd::Level::Avx512 => unsafe {
                crate::for_scalar!(T;
                    f64 => x86::avx512_f64 as Columns<f64>, f32 => x86::avx512_f32 as Columns<f32>,
                    c64 => x86::avx512_c64 as Columns<c64>, c32 => x86::avx512_c32 as Columns<c32>)
            },
            #[cfg(target_arch = "x86_64")]
            crate::simd::Level::Avx2 => unsafe {
                crate::for_scalar!(T;
                    f64 => x86::avx2_f64 as Columns<f64>, f32 => x86::avx2_f32 as Columns<f32>,
                    c64 => x86::avx2_c64 as Columns<c64>, c32 => x86::avx2_c32 as Columns<c32>)
            },
            _ => None,
        }
    }

    /// Every register variant of `add_columns` for T this CPU can run, with its level.
    #[cfg(test)]
    pub(super) fn all_for<T: Scalar>() -> Vec<(Columns<T>, crate::simd::Level)> {
        use crate::simd::Level;
        let widest = crate::simd::level();
        [Level::Avx512, Level::Avx2]
            .into_iter()
            .filter(|&level| crate::simd::capped(widest, level) == level)
            .filter_map(|level| Some((columns_at::<T>(level)?, level)))
            .collect()
    }

    #[cfg(target_arch = "x86_64")]
    mod x86 {
        use super::*;
        use super::{PairRegisters, Registers};
        use crate::blas::vector::x86::{F32x16, F32x8, F64x4, F64x8};

        macro_rules! variant {
            ($name:ident, $features:literal, $t:ty, $kernel:ty) => {
                #[target_feature(enable = $features)]
                pub(super) unsafe fn $name(pass: &Pass<$t>, target: &mut [$t]) {
                    columns_body::<$t, $kernel>(pass, target)
                }
            };
        }
        variant!(avx512_f64, "avx512f,fma", f64, Registers<F64x8>);
        variant!(avx512_f32, "avx512f,fma", f32, Registers<F32x16>);
        variant!(avx2_f64, "avx2,fma", f64, Registers<F64x4>);
        variant!(avx2_f32, "avx2,fma", f32, Registers<F32x8>);
        variant!(avx512_c64, "avx512f,fma", c64, PairRegisters<F64x8>);
        variant!(avx512_c32, "avx512f,fma", c32, PairRegisters<F32x16>);
        variant!(avx2_c64, "avx2,fma", c64, PairRegisters<F64x4>);
        variant!(avx2_c32, "avx2,fma", c32, PairRegisters<F32x8>);
    }

    /// [`Fused`] on the registers V (inlined into a variant that enables them).
    struct Registers<V>(V);

    /// The sum of `v` (a power-of-two length) by halves: a dependency chain of log2 of
    /// its length rather than its length, once per four columns.
    #[inline(always)]
    fn halving_sum<R: Scalar>(v: &mut [R]) -> R {
        let mut width = v.len();
        while width > 1 {
            width /= 2;
            for i in 0..width {
                let upper = v[i + width];
                v[i] += upper;
            }
        }
        v[0]
    }

    impl<V: Vector> Fused<V::R> for Registers<V> {
        #[inline(always)]
        unsafe fn fused(cols: [&[V::R]; 4], t: [V::R; 4], x: &[V::R], y: &mut [V::R]) -> [V::R; 4] {
            let len = y.len();
            let lanes = V::LANES;
            let zero = V::splat(V::R::zero());
            let mut factor = [zero; 4];
            let mut a = [std::ptr::null::<V::R>(); 4];
            for k in 0..4 {
                factor[k] = V::splat(t[k]);
                a[k] = cols[k][..len].as_ptr();
            }
            let (x, yp) = (x[..len].as_ptr(), y.as_mut_ptr());
            // Two sets of the four partial sums: one per register of a two-register step.
            let mut sums = [[zero; 4]; 2];
            #[inline(always)]
            unsafe fn step<V: Vector, const PART: bool>(
                (a, factor): (&[*const V::R; 4], &[V; 4]),
                (x, y): (*const V::R, *mut V::R),
                sums: &mut [V; 4],
                (at, count): (usize, usize),
            ) {
                let xv = V::load::<PART>(x.add(at), count);
                let mut yv = V::load::<PART>(y.add(at), count);
                for k in 0..4 {
                    let av = V::load::<PART>(a[k].add(at), count);
                    yv = yv.add_product_fused(factor[k], av);
                    sums[k] = sums[k].add_product_fused(av, xv);
                }
                yv.store::<PART>(y.add(at), count);
            }
            let columns = (&a, &factor);
            // Rows go to the partial sums by their position from the first row, never by
            // address: the sums must not depend on where A sits (xSYEV's eigenvalues
            // are bitwise the reference's on this BLAS). Starting at a 64-byte boundary
            // instead (DSYMV 2000, one thread: 48.6 -> 63.2 GB/s) broke that.
            let mut i = 0;
            while i + 2 * lanes <= len {
                step::<V, false>(columns, (x, yp), &mut sums[0], (i, lanes));
                step::<V, false>(columns, (x, yp), &mut sums[1], (i + lanes, lanes));
                i += 2 * lanes;
            }
            while i < len {
                let count = (len - i).min(lanes);
                step::<V, true>(columns, (x, yp), &mut sums[0], (i, count));
                i += count;
            }
            let mut lanes_of = [[V::R::zero(); 16]; 4];
            for k in 0..4 {
                sums[0][k]
                    .add(sums[1][k])
                    .store::<false>(lanes_of[k].as_mut_ptr(), lanes);
            }
            let mut totals = [V::R::zero(); 4];
            for k in 0..4 {
                totals[k] = halving_sum(&mut lanes_of[k][..lanes]);
            }
            totals
        }
    }

    /// [`Fused`] on vector registers for complex scalars (T's real part V::R), a
    /// register holding (re, im) pairs: t * a is a * tr + swap(a) * (-ti, ti), and
    /// conj(a) * x has the real part of the lanes of a * x summed and the imaginary part
    /// the even lanes of a * swap(x) less the odd ones.
    struct PairRegisters<V>(V);

    impl<T: Scalar, V: Pairs<R = T::RealPart>> Fused<T> for PairRegisters<V> {
        #[inline(always)]
        unsafe fn fused(cols: [&[T]; 4], t: [T; 4], x: &[T], y: &mut [T]) -> [T; 4] {
            let (rows, lanes) = (y.len(), V::LANES);
            let len = 2 * rows;
            let zero = V::splat(V::R::zero());
            let (mut re, mut im) = ([zero; 4], [zero; 4]);
            let mut a = [std::ptr::null::<V::R>(); 4];
            for k in 0..4 {
                re[k] = V::splat(t[k].re());
                im[k] = V::alternating(t[k].im());
                a[k] = cols[k][..rows].as_ptr() as *const V::R;
            }
            let xp = x[..rows].as_ptr() as *const V::R;
            let yp = y.as_mut_ptr() as *mut V::R;
            let (mut same, mut crossed) = ([zero; 4], [zero; 4]);
            #[inline(always)]
            unsafe fn step<V: Pairs, const PART: bool>(
                a: &[*const V::R; 4],
                (re, im): (&[V; 4], &[V; 4]),
                (xp, yp): (*const V::R, *mut V::R),
                (same, crossed): (&mut [V; 4], &mut [V; 4]),
                (at, count): (usize, usize),
            ) {
                let xv = V::load::<PART>(xp.add(at), count);
                let xs = xv.swap_pairs();
                let mut yv = V::load::<PART>(yp.add(at), count);
                for k in 0..4 {
                    let av = V::load::<PART>(a[k].add(at), count);
                    yv = yv.add_product_fused(av, re[k]);
                    yv = yv.add_product_fused(av.swap_pairs(), im[k]);
                    same[k] = same[k].add_product_fused(av, xv);
                    crossed[k] = crossed[k].add_product_fused(av, xs);
                }
                yv.store::<PART>(yp.add(at), count);
            }
            let mut i = 0;
            while i + lanes <= len {
                let sums = (&mut same, &mut crossed);
                step::<V, false>(&a, (&re, &im), (xp, yp), sums, (i, lanes));
                i += lanes;
            }
            if i < len {
                let sums = (&mut same, &mut crossed);
                step::<V, true>(&a, (&re, &im), (xp, yp), sums, (i, len - i));
            }
            let mut totals = [T::zero(); 4];
            let mut lanes_of = [V::R::zero(); 16];
            let (mut even, mut odd) = ([V::R::zero(); 8], [V::R::zero(); 8]);
            for k in 0..4 {
                same[k].store::<false>(lanes_of.as_mut_ptr(), lanes);
                let real = halving_sum(&mut lanes_of[..lanes]);
                crossed[k].store::<false>(lanes_of.as_mut_ptr(), lanes);
                for l in 0..lanes / 2 {
                    (even[l], odd[l]) = (lanes_of[2 * l], lanes_of[2 * l + 1]);
                }
                let imag = halving_sum(&mut even[..lanes / 2]) - halving_sum(&mut odd[..lanes / 2]);
                totals[k] = T::from_parts(real, imag);
            }
            totals
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, c64};

    /// y := alpha * A * x + beta * y in f64/c64 from the full Hermitian matrix `full`
    /// (row-major order irrelevant: n x n column-major), compared with [`hermitian_mv`]
    /// on the storage `a` within a Netlib-style bound: |error| <= 8 eps n (|alpha|
    /// sum|a||x| + |beta||y|).
    fn check<T: Scalar>(uplo: Uplo, a: Storage<T>, full: &[T], n: usize, incx: isize, what: &str) {
        let alpha = T::from_parts(
            <T::RealPart as Scalar>::from_f64_lossy(0.75),
            <T::RealPart as Scalar>::from_f64_lossy(-0.5),
        );
        let beta = T::from_f64_lossy(-1.25);
        let step = incx.unsigned_abs();
        let x: Vec<T> = values(n * step, 7);
        let y0: Vec<T> = values(n, 8);
        let mut y = y0.clone();
        unsafe {
            hermitian_mv(
                uplo,
                a,
                n,
                alpha,
                (x.as_ptr(), incx),
                beta,
                (y.as_mut_ptr(), 1),
            )
        };
        let logical = |i: usize| {
            if incx > 0 {
                x[i * step]
            } else {
                x[(n - 1 - i) * step]
            }
        };
        let wide = |v: T| c64::new(v.re().to_f64(), v.im().to_f64());
        let eps = <T::RealPart as Float>::epsilon().to_f64();
        for i in 0..n {
            let (mut want, mut size) = (c64::new(0.0, 0.0), 0.0);
            for j in 0..n {
                let term = wide(full[i + j * n]) * wide(logical(j));
                want += term;
                size += term.norm();
            }
            want = wide(alpha) * want + wide(beta) * wide(y0[i]);
            let bound = 8.0
                * eps
                * n as f64
                * (wide(alpha).norm() * size + wide(beta).norm() * wide(y0[i]).norm());
            let error = (wide(y[i]) - want).norm();
            assert!(
                error <= bound,
                "{what} n={n} {uplo:?} row {i}: error {error:e} > {bound:e}"
            );
        }
    }

    /// A Hermitian matrix in the three storages and, for each, the full matrix it means.
    struct Stored<T> {
        full: Vec<T>,
        dense: Vec<T>,
        packed: Vec<T>,
        band_full: Vec<T>,
        band: Vec<T>,
    }

    /// The full Hermitian matrix of `n` (real diagonal) and its `uplo` triangle stored
    /// full (leading dimension n + 3, the diagonal's imaginary part garbage that must not
    /// be read), packed, and as a band of width `k`.
    fn matrices<T: Scalar>(n: usize, uplo: Uplo, k: usize) -> Stored<T> {
        let raw: Vec<T> = values(n * n, 3);
        let entry = |i: usize, j: usize| {
            let (p, q) = if i >= j { (i, j) } else { (j, i) };
            let v = raw[p + q * n];
            if i == j {
                T::from_real(v.re())
            } else if i < j {
                v.conj()
            } else {
                v
            }
        };
        let stored = |i: usize, j: usize| match uplo {
            Uplo::Lower => i >= j,
            Uplo::Upper => i <= j,
        };
        let full: Vec<T> = (0..n * n).map(|p| entry(p % n, p / n)).collect();
        let garbage = T::from_parts(
            T::RealPart::zero(),
            <T::RealPart as Scalar>::from_f64_lossy(9.0),
        );
        let ld = n + 3;
        let mut dense = vec![T::from_f64_lossy(f64::NAN); ld * n];
        let mut packed = Vec::new();
        for j in 0..n {
            for i in 0..n {
                if stored(i, j) {
                    dense[i + j * ld] = entry(i, j) + if i == j { garbage } else { T::zero() };
                    packed.push(entry(i, j));
                }
            }
        }
        // Band: zeros outside width k, in the full matrix too.
        let band_full: Vec<T> = (0..n * n)
            .map(|p| {
                let (i, j) = (p % n, p / n);
                if i.abs_diff(j) <= k {
                    entry(i, j)
                } else {
                    T::zero()
                }
            })
            .collect();
        let ldb = k + 1;
        let mut band = vec![T::from_f64_lossy(f64::NAN); ldb * n];
        for j in 0..n {
            for i in j.saturating_sub(k)..(j + k + 1).min(n) {
                if stored(i, j) {
                    let row = match uplo {
                        Uplo::Upper => k + i - j,
                        Uplo::Lower => i - j,
                    };
                    band[row + j * ldb] = entry(i, j);
                }
            }
        }
        Stored {
            full,
            dense,
            packed,
            band_full,
            band,
        }
    }

    /// The `dense` storage of [`matrices`] (leading dimension n + 3) as a Storage.
    fn full_storage<T: Scalar>(dense: &mut [T], n: usize, uplo: Uplo) -> Storage<T> {
        Storage::Full {
            ptr: dense.as_mut_ptr(),
            ld: n + 3,
            m: n,
            uplo: Some(uplo),
        }
    }

    fn check_all<T: Scalar>(sizes: &[usize]) {
        for &n in sizes {
            for uplo in [Uplo::Lower, Uplo::Upper] {
                let k = 6;
                let Stored {
                    full,
                    mut dense,
                    mut packed,
                    band_full,
                    mut band,
                } = matrices::<T>(n, uplo, k);
                let d = full_storage(&mut dense, n, uplo);
                check(uplo, d, &full, n, 1, "full");
                check(uplo, d, &full, n, -2, "full, incx -2");
                let p = Storage::Packed {
                    ptr: packed.as_mut_ptr(),
                    n,
                    uplo,
                };
                check(uplo, p, &full, n, 1, "packed");
                let (kl, ku) = match uplo {
                    Uplo::Lower => (k, 0),
                    Uplo::Upper => (0, k),
                };
                let b = Storage::Band {
                    ptr: band.as_mut_ptr(),
                    ld: k + 1,
                    m: n,
                    kl,
                    ku,
                };
                check(uplo, b, &band_full, n, 1, "band");
            }
        }
    }

    /// Orders below and above the part threshold (one part, then several: 260 has two,
    /// 700 seven), with orders not a multiple of four.
    #[test]
    fn matches_the_full_matrix_product() {
        check_all::<f64>(&[1, 3, 4, 5, 9, 33, 260, 700]);
        check_all::<f32>(&[7, 19, 261]);
        check_all::<c64>(&[1, 6, 17, 259, 523]);
        check_all::<c32>(&[5, 262]);
    }

    /// xSYTRD's tridiagonal form must not change with the thread count: the parts' sums
    /// are the same bits whether one thread or several run them.
    #[test]
    fn same_bits_on_any_number_of_threads() {
        fn on_threads<T: Scalar>(n: usize) {
            for uplo in [Uplo::Lower, Uplo::Upper] {
                let mut dense = matrices::<T>(n, uplo, 1).dense;
                let a = full_storage(&mut dense, n, uplo);
                let x: Vec<T> = values(n, 5);
                let run = || {
                    let mut y: Vec<T> = values(n, 6);
                    let alpha = T::from_f64_lossy(0.5);
                    let (x, y_ptr) = ((x.as_ptr(), 1), (y.as_mut_ptr(), 1));
                    unsafe { hermitian_mv(uplo, a, n, alpha, x, T::one(), y_ptr) };
                    y
                };
                let many = run();
                let one = crate::threads::sequential(run);
                assert!(part_count(n) > 2, "{n}: too few parts to share");
                assert!(
                    many == one,
                    "{n} {uplo:?}: bits differ with the thread count"
                );
            }
        }
        on_threads::<f64>(700);
        on_threads::<f32>(1001);
        on_threads::<c64>(523);
    }

    /// The same matrix at eight addresses gives the same bits: xSYEV's eigenvalues must
    /// equal the reference's on this BLAS whatever buffer holds A.
    #[test]
    fn same_bits_at_any_address() {
        fn at_offsets<T: Scalar>(n: usize) {
            let ld = n + 3;
            let dense = matrices::<T>(n, Uplo::Lower, 1).dense;
            let x: Vec<T> = values(n, 5);
            let run = |offset: usize| {
                let mut buffer = vec![T::zero(); offset + dense.len()];
                buffer[offset..].copy_from_slice(&dense);
                let a = Storage::Full {
                    ptr: buffer[offset..].as_mut_ptr(),
                    ld,
                    m: n,
                    uplo: Some(Uplo::Lower),
                };
                let mut y: Vec<T> = values(n, 6);
                let (xp, yp) = ((x.as_ptr(), 1), (y.as_mut_ptr(), 1));
                unsafe { hermitian_mv(Uplo::Lower, a, n, T::one(), xp, T::one(), yp) };
                y
            };
            let first = run(0);
            for offset in 1..8 {
                assert!(
                    run(offset) == first,
                    "n={n}: bits differ at offset {offset}"
                );
            }
        }
        at_offsets::<f64>(61);
        at_offsets::<f32>(77);
        at_offsets::<c64>(45);
    }

    /// Each register variant the CPU has (not only the widest, which the other tests
    /// reach) against the plain code, both triangles, orders around the vector widths.
    #[test]
    fn register_variants_match_plain_code() {
        fn compare<T: Scalar>() {
            let eps = <T::RealPart as Float>::epsilon().to_f64();
            let variants = registers::all_for::<T>();
            for n in [5, 13, 37, 130] {
                for uplo in [Uplo::Lower, Uplo::Upper] {
                    let mut dense = matrices::<T>(n, uplo, 1).dense;
                    let a = full_storage(&mut dense, n, uplo);
                    let x: Vec<T> = values(n, 5);
                    let alpha = T::from_parts(
                        <T::RealPart as Scalar>::from_f64_lossy(0.5),
                        <T::RealPart as Scalar>::from_f64_lossy(-0.25),
                    );
                    let pass = Pass {
                        uplo,
                        a,
                        cols: (0, n),
                        alpha,
                        x: &x,
                        first_row: 0,
                    };
                    let mut want: Vec<T> = values(n, 6);
                    unsafe { add_columns_plain(&pass, &mut want) };
                    for &(columns, level) in &variants {
                        let mut got: Vec<T> = values(n, 6);
                        unsafe { columns(&pass, &mut got) };
                        // Entries of at most 1 in modulus: a row's terms sum to at most 2n.
                        let bound = 16.0 * eps * (n * n) as f64;
                        for i in 0..n {
                            let error = (got[i] - want[i]).modulus().to_f64();
                            assert!(
                                error <= bound,
                                "{level:?} n={n} {uplo:?} row {i}: {error:e}"
                            );
                        }
                    }
                }
            }
        }
        compare::<f64>();
        compare::<f32>();
        compare::<c64>();
        compare::<c32>();
    }

    #[test]
    fn parts_cover_the_columns_in_order() {
        for n in [0usize, 1, 5, 255, 256, 257, 700, 2048, 4099] {
            for uplo in [Uplo::Lower, Uplo::Upper] {
                let cuts = part_cuts(uplo, n);
                assert_eq!((cuts[0], *cuts.last().unwrap()), (0, n));
                assert!(
                    cuts.windows(2).all(|w| w[0] < w[1] || n == 0),
                    "{n} {cuts:?}"
                );
                assert!(cuts.len() - 1 <= MAX_PARTS);
                let area = n * (n + 1) / 2;
                if area >= 2 * PART_ELEMENTS {
                    assert!(cuts.len() > 2, "{n}: one part");
                }
            }
        }
    }
}
