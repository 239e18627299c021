//! Level-1 BLAS bodies, generic over the scalar: vector updates, reductions and plane
//! rotations. Each does what reference BLAS 3.11 does: `n <= 0` returns at once, a
//! negative increment walks the vector from its far end, an increment of 0 reuses the
//! first element, and SCAL, ASUM and IAMAX do nothing (return 0) for `incx <= 0`.
//! NRM2 is the 3.10+ Blue's-algorithm version (no overflow or underflow), ROTG the
//! 3.10+ safe-scaling version. The entry points are in `crate::abi::blas_level1`.
//!
//! Contiguous vectors (`inc == 1`, not overlapping) run as plain slice loops that the
//! compiler vectorizes; every other case walks element by element in the reference
//! order, reading an element pair before writing it, so overlapping arguments behave
//! as they do under reference BLAS.

use crate::blas::args::first_index;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{Real, Scalar};

/// Independent partial sums for the contiguous reductions (lets them vectorize).
const LANES: usize = 8;

/// Independent partial sums of a contiguous dot product: four AVX-512 registers of
/// doubles, enough to hide the adds' latency (one chain of 8 ran at half the speed).
const DOT_LANES: usize = 32;

/// The length of a vector argument, or None for the `n <= 0` quick return.
fn len(n: i64) -> Option<usize> {
    (n > 0).then_some(n as usize)
}

/// A strided vector in caller memory, walked as reference BLAS walks it.
#[derive(Clone, Copy)]
struct Walk<T> {
    first: *mut T,
    inc: isize,
}

impl<T> Walk<T> {
    /// # Safety
    /// `ptr` must be valid for `n` elements `inc` apart.
    unsafe fn new(ptr: *const T, n: usize, inc: i64) -> Walk<T> {
        let inc = inc as isize;
        Walk {
            first: (ptr as *mut T).offset(first_index(n, inc)),
            inc,
        }
    }

    /// Element `i` (counted from 0) in the walking order.
    #[inline(always)]
    unsafe fn at(self, i: usize) -> *mut T {
        self.first.offset(i as isize * self.inc)
    }
}

/// True if two unit-stride vectors of `n` elements share no memory.
fn disjoint<T, U>(x: *const T, y: *const U, n: usize) -> bool {
    let (x0, y0) = (x as usize, y as usize);
    let (x1, y1) = (
        x0 + n * std::mem::size_of::<T>(),
        y0 + n * std::mem::size_of::<U>(),
    );
    x1 <= y0 || y1 <= x0
}

/// A vector of `T` viewed as its real components (two per complex element).
unsafe fn components<'a, T: Scalar>(x: *const T, n: usize) -> &'a [T::RealPart] {
    let per = if T::IS_COMPLEX { 2 } else { 1 };
    std::slice::from_raw_parts(x as *const T::RealPart, n * per)
}

/// `x * r` for a real `r`, component by component (as CSSCAL and CSROT compute it).
#[inline(always)]
fn mul_real<T: Scalar>(x: T, r: T::RealPart) -> T {
    T::from_parts(x.re() * r, x.im() * r)
}

/// `x / r` for a real `r` as Fortran's ROTG computes it: `r` becomes the complex (r, 0)
/// and gfortran divides with range reduction (ratio = 0 / r). For finite values this
/// is x.re / r, x.im / r; an infinite component gives NaN as in reference BLAS.
#[inline(always)]
fn div_real<T: Scalar>(x: T, r: T::RealPart) -> T {
    let ratio = <T::RealPart as Scalar>::zero() / r;
    T::from_parts((x.im() * ratio + x.re()) / r, (x.im() - x.re() * ratio) / r)
}

/// `x * r` for a real `r` as Fortran's ROTG computes it: the product with (r, 0).
#[inline(always)]
fn mul_complex_real<T: Scalar>(x: T, r: T::RealPart) -> T {
    x * T::from_real(r)
}

/// |re|^2 + |im|^2 without scaling (ROTG's ABSSQ).
#[inline(always)]
fn abssq<T: Scalar>(x: T) -> T::RealPart {
    x.re() * x.re() + x.im() * x.im()
}

fn is_single<R: Real>() -> bool {
    std::mem::size_of::<R>() == 4
}

/// 2^e as a real of either precision (e within the normal range of f64).
fn pow2<R: Real>(e: i32) -> R {
    R::from_f64(f64::from_bits(((e + 1023) as u64) << 52))
}

/// Applies `f` to the element pairs (x_i, y_i) of two vectors, writing back what it
/// returns. With `y_first` the strided path stores y_i before x_i (the reference order
/// of ROT; it only matters when x_i and y_i are the same memory).
///
/// # Safety
/// Both vectors valid for `n` elements at their increments, writable.
#[inline(always)]
unsafe fn update_pairs<T: Copy, U: Copy>(
    n: usize,
    (x, incx): (*mut T, i64),
    (y, incy): (*mut U, i64),
    y_first: bool,
    mut f: impl FnMut(T, U) -> (T, U),
) {
    if incx == 1 && incy == 1 && disjoint(x, y, n) {
        let x = std::slice::from_raw_parts_mut(x, n);
        let y = std::slice::from_raw_parts_mut(y, n);
        for (xi, yi) in x.iter_mut().zip(y.iter_mut()) {
            (*xi, *yi) = f(*xi, *yi);
        }
    } else {
        let (wx, wy) = (Walk::new(x, n, incx), Walk::new(y, n, incy));
        for i in 0..n {
            let (px, py) = (wx.at(i), wy.at(i));
            let (nx, ny) = f(*px, *py);
            if y_first {
                *py = ny;
                *px = nx;
            } else {
                *px = nx;
                *py = ny;
            }
        }
    }
}

/// Sets y_i := f(x_i, y_i) over two vectors, x read-only.
///
/// # Safety
/// `x` valid for `n` elements at `incx`, `y` writable for `n` elements at `incy`.
#[inline(always)]
unsafe fn update_y<T: Copy, U: Copy>(
    n: usize,
    (x, incx): (*const T, i64),
    (y, incy): (*mut U, i64),
    mut f: impl FnMut(T, U) -> U,
) {
    if incx == 1 && incy == 1 && disjoint(x, y, n) {
        let x = std::slice::from_raw_parts(x, n);
        let y = std::slice::from_raw_parts_mut(y, n);
        // Up to y's first cache-line boundary one at a time, then whole vector stores
        // (a 64-byte store that straddles two lines costs two).
        let (x_head, x_rest) = x.split_at(to_cache_line(y.as_ptr(), n));
        let (y_head, y_rest) = y.split_at_mut(x_head.len());
        for (xi, yi) in x_head.iter().zip(y_head.iter_mut()) {
            *yi = f(*xi, *yi);
        }
        for (xi, yi) in x_rest.iter().zip(y_rest.iter_mut()) {
            *yi = f(*xi, *yi);
        }
    } else {
        let (wx, wy) = (Walk::new(x, n, incx), Walk::new(y, n, incy));
        for i in 0..n {
            let py = wy.at(i);
            *py = f(*wx.at(i), *py);
        }
    }
}

/// How many of the `n` elements at `p` come before the first 64-byte boundary (0 when
/// the elements are not aligned to their size, where no count reaches it).
fn to_cache_line<T>(p: *const T, n: usize) -> usize {
    let size = std::mem::size_of::<T>();
    let offset = p as usize % 64;
    if offset == 0 || size == 0 || !offset.is_multiple_of(size) {
        return 0;
    }
    ((64 - offset) / size).min(n)
}

/// Sets x_i := f(x_i) over one vector with a positive increment.
///
/// # Safety
/// `x` writable for `n` elements at `incx > 0`.
#[inline(always)]
unsafe fn update_x<T: Copy>(n: usize, x: *mut T, incx: i64, mut f: impl FnMut(T) -> T) {
    if incx == 1 {
        for xi in std::slice::from_raw_parts_mut(x, n) {
            *xi = f(*xi);
        }
    } else {
        let wx = Walk::new(x, n, incx);
        for i in 0..n {
            let p = wx.at(i);
            *p = f(*p);
        }
    }
}

/// The sum over i of f(x_i, y_i), in `DOT_LANES` partial sums when both are contiguous.
///
/// # Safety
/// Both vectors readable for `n` elements at their increments.
#[inline(always)]
unsafe fn sum_pairs<T: Copy, U: Copy, S: Copy + std::ops::AddAssign>(
    n: usize,
    (x, incx): (*const T, i64),
    (y, incy): (*const U, i64),
    zero: S,
    f: impl Fn(T, U) -> S,
) -> S {
    let mut total = zero;
    if incx == 1 && incy == 1 {
        let x = std::slice::from_raw_parts(x, n);
        let y = std::slice::from_raw_parts(y, n);
        let mut acc = [zero; LANES];
        let (mut xr, mut yr) = (x, y);
        // Short vectors (a tiny call's 16 elements) skip the wide partial sums: setting
        // them up and folding them cost such a call twice its work.
        if n >= 2 * DOT_LANES {
            let mut wide = [zero; DOT_LANES];
            let (xc, yc) = (x.chunks_exact(DOT_LANES), y.chunks_exact(DOT_LANES));
            (xr, yr) = (xc.remainder(), yc.remainder());
            for (xs, ys) in xc.zip(yc) {
                for k in 0..DOT_LANES {
                    wide[k] += f(xs[k], ys[k]);
                }
            }
            // Folded into LANES partial sums, which then take the rest by LANES.
            for (k, w) in wide.iter().enumerate() {
                acc[k % LANES] += *w;
            }
        }
        let (xc, yc) = (xr.chunks_exact(LANES), yr.chunks_exact(LANES));
        let (xr, yr) = (xc.remainder(), yc.remainder());
        for (xs, ys) in xc.zip(yc) {
            for k in 0..LANES {
                acc[k] += f(xs[k], ys[k]);
            }
        }
        for a in acc {
            total += a;
        }
        for (&xi, &yi) in xr.iter().zip(yr) {
            total += f(xi, yi);
        }
    } else {
        let (wx, wy) = (Walk::new(x, n, incx), Walk::new(y, n, incy));
        for i in 0..n {
            total += f(*wx.at(i), *wy.at(i));
        }
    }
    total
}

/// The sum of f over a contiguous slice, in `LANES` partial sums.
#[inline(always)]
fn sum_slice<R: Copy + std::ops::AddAssign>(x: &[R], zero: R, f: impl Fn(R) -> R) -> R {
    let mut acc = [zero; LANES];
    let chunks = x.chunks_exact(LANES);
    let rest = chunks.remainder();
    for xs in chunks {
        for k in 0..LANES {
            acc[k] += f(xs[k]);
        }
    }
    let mut total = zero;
    for a in acc {
        total += a;
    }
    for &xi in rest {
        total += f(xi);
    }
    total
}

/// ?AXPY: y := alpha*x + y. Nothing happens for alpha == 0. Long contiguous disjoint
/// vectors are cut into one part per thread (each element's result is the same).
///
/// # Safety
/// `x` readable and `y` writable for `n` elements at their increments.
pub unsafe fn axpy<T: Scalar>(n: i64, alpha: T, x: *const T, incx: i64, y: *mut T, incy: i64) {
    if n <= CHUNK as i64 {
        // Short vectors go straight to the kernel, without the chunked path's frame.
        return axpy_serial(n, alpha, x, incx, y, incy);
    }
    axpy_long(n, alpha, x, incx, y, incy)
}

/// [`axpy`] of more than one chunk.
#[inline(never)]
unsafe fn axpy_long<T: Scalar>(n: i64, alpha: T, x: *const T, incx: i64, y: *mut T, incy: i64) {
    let (xa, ya) = (x as usize, y as usize);
    match len(n) {
        Some(len) if incx == 1 && incy == 1 && len >= 2 * PARALLEL_LEN && disjoint(x, y, len) => {
            let parts = crate::threads::parts_for(len, PARALLEL_LEN);
            crate::threads::run_parts(parts, &|p| {
                let (start, end) = (part_start(len, parts, p), part_start(len, parts, p + 1));
                let (x, y) = (xa as *const T, ya as *mut T);
                axpy_serial(
                    (end - start) as i64,
                    alpha,
                    x.add(start),
                    1,
                    y.add(start),
                    1,
                )
            });
        }
        _ => axpy_serial(n, alpha, x, incx, y, incy),
    }
}

/// Where part `p` of `parts` of `len` elements starts: equal shares, cut at multiples
/// of 64 elements (whole cache lines for aligned vectors).
fn part_start(len: usize, parts: usize, p: usize) -> usize {
    if p >= parts {
        len
    } else {
        (len * p / parts) & !63
    }
}

crate::dispatched! {
    /// AXPY on one thread.
    ///
    /// # Safety
    /// As for [`axpy`].
    unsafe fn axpy_serial<T: Scalar>(n: i64, alpha: T, x: *const T, incx: i64, y: *mut T, incy: i64) -> () {
        let Some(n) = len(n) else { return };
        if alpha.is_zero() {
            return;
        }
        update_y(n, (x, incx), (y, incy), |xi, yi| yi + alpha * xi);
    }
}

/// ?COPY: y := x.
///
/// # Safety
/// As for [`axpy`].
pub unsafe fn copy<T: Scalar>(n: i64, x: *const T, incx: i64, y: *mut T, incy: i64) {
    let Some(n) = len(n) else { return };
    if incx == 1 && incy == 1 && disjoint(x, y, n) {
        std::slice::from_raw_parts_mut(y, n).copy_from_slice(std::slice::from_raw_parts(x, n));
    } else {
        update_y(n, (x, incx), (y, incy), |xi, _| xi);
    }
}

/// ?SWAP: x <-> y.
///
/// # Safety
/// Both vectors writable for `n` elements at their increments.
pub unsafe fn swap<T: Scalar>(n: i64, x: *mut T, incx: i64, y: *mut T, incy: i64) {
    let Some(n) = len(n) else { return };
    update_pairs(n, (x, incx), (y, incy), false, |xi, yi| (yi, xi));
}

crate::dispatched! {
    /// ?SCAL: x := alpha*x. Nothing happens for incx <= 0 or alpha == 1.
    ///
    /// # Safety
    /// `x` writable for `n` elements at `incx`.
    pub unsafe fn scal<T: Scalar>(n: i64, alpha: T, x: *mut T, incx: i64) -> () {
        let Some(n) = len(n) else { return };
        if incx <= 0 || alpha == T::one() {
            return;
        }
        update_x(n, x, incx, |xi| alpha * xi);
    }
}

/// CSSCAL, ZDSCAL (and ?SCAL for real types): x := alpha*x with a real alpha, applied
/// to both components.
///
/// # Safety
/// As for [`scal`].
pub unsafe fn scal_real<T: Scalar>(n: i64, alpha: T::RealPart, x: *mut T, incx: i64) {
    let Some(n) = len(n) else { return };
    if incx <= 0 || alpha == <T::RealPart as Scalar>::one() {
        return;
    }
    update_x(n, x, incx, |xi| mul_real(xi, alpha));
}

/// ?DOT, ?DOTU (conj == false) and ?DOTC (conj == true): sum of op(x_i) * y_i. Long
/// contiguous vectors are summed in fixed chunks, their partial sums added in order;
/// from `2 * PARALLEL_LEN` elements the chunks are shared among the threads. The chunks
/// and their order do not depend on the thread count, so neither does the result.
///
/// # Safety
/// Both vectors readable for `n` elements at their increments.
pub unsafe fn dot<T: Scalar>(
    n: i64,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    conj: bool,
) -> T {
    if n <= CHUNK as i64 {
        // Short vectors go straight to the kernel, without the chunked path's frame.
        return dot_serial(n, x, incx, y, incy, conj);
    }
    dot_long(n, x, incx, y, incy, conj)
}

/// [`dot`] of more than one chunk.
#[inline(never)]
unsafe fn dot_long<T: Scalar>(
    n: i64,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    conj: bool,
) -> T {
    let (xa, ya) = (x as usize, y as usize);
    match len(n) {
        Some(len) if incx == 1 && incy == 1 && len > CHUNK => {
            let chunks = len.div_ceil(CHUNK);
            let mut partials = vec![T::zero(); chunks];
            let out = partials.as_mut_ptr() as usize;
            let parts = crate::threads::parts_for(len, PARALLEL_LEN);
            crate::threads::run_parts(parts, &|p| {
                let (x, y) = (xa as *const T, ya as *const T);
                for c in chunks * p / parts..chunks * (p + 1) / parts {
                    let (start, count) = (c * CHUNK, CHUNK.min(len - c * CHUNK));
                    let sum = dot_serial(count as i64, x.add(start), 1, y.add(start), 1, conj);
                    // Each chunk's slot is written by the one part that owns it.
                    *(out as *mut T).add(c) = sum;
                }
            });
            partials.into_iter().fold(T::zero(), |acc, p| acc + p)
        }
        _ => dot_serial(n, x, incx, y, incy, conj),
    }
}

/// Elements per chunk of a long level-1 operation (128 KiB of doubles): long enough to
/// pay for handing a chunk to another thread.
const CHUNK: usize = 1 << 14;

/// The fewest elements a thread's share of a level-1 call may have: about 3 us of work
/// for doubles in cache, against about 1 us to hand a part to a spinning pool thread
/// (OpenBLAS threads ddot and daxpy from 10,000 elements).
pub(crate) const PARALLEL_LEN: usize = 1 << 14;

crate::dispatched! {
    /// DOT on one thread.
    ///
    /// # Safety
    /// As for [`dot`].
    unsafe fn dot_serial<T: Scalar>(
        n: i64,
        x: *const T,
        incx: i64,
        y: *const T,
        incy: i64,
        conj: bool,
    ) -> T {
        let Some(n) = len(n) else {
            return T::zero();
        };
        if conj {
            sum_pairs(n, (x, incx), (y, incy), T::zero(), |xi: T, yi| xi.conj() * yi)
        } else {
            sum_pairs(n, (x, incx), (y, incy), T::zero(), |xi: T, yi| xi * yi)
        }
    }
}

/// DSDOT and SDSDOT: `init` plus the dot product of two single-precision vectors,
/// accumulated in double precision.
///
/// # Safety
/// Both vectors readable for `n` elements at their increments.
pub unsafe fn dot_f32_in_f64(
    n: i64,
    init: f64,
    x: *const f32,
    incx: i64,
    y: *const f32,
    incy: i64,
) -> f64 {
    let Some(n) = len(n) else { return init };
    init + sum_pairs(n, (x, incx), (y, incy), 0.0f64, |xi, yi| {
        xi as f64 * yi as f64
    })
}

crate::dispatched! {
    /// ?ASUM, SCASUM, DZASUM: the sum of |re(x_i)| + |im(x_i)|. 0 for incx <= 0.
    ///
    /// # Safety
    /// `x` readable for `n` elements at `incx`.
    pub unsafe fn asum<T: Scalar>(n: i64, x: *const T, incx: i64) -> T::RealPart {
        let zero = <T::RealPart as Scalar>::zero();
        let Some(n) = len(n) else { return zero };
        if incx <= 0 {
            return zero;
        }
        if incx == 1 {
            sum_slice(components(x, n), zero, Float::abs)
        } else {
            let wx = Walk::new(x, n, incx);
            let mut total = zero;
            for i in 0..n {
                total += (*wx.at(i)).abs1();
            }
            total
        }
    }
}

/// I?AMAX: the 1-based index of the first element of largest |re| + |im|; 0 for n < 1
/// or incx <= 0. Comparisons are `>` as in reference BLAS, so a NaN is picked only
/// when it comes first.
///
/// # Safety
/// `x` readable for `n` elements at `incx`.
pub unsafe fn iamax<T: Scalar>(n: i64, x: *const T, incx: i64) -> i64 {
    if n < 1 || incx <= 0 {
        return 0;
    }
    let wx = Walk::new(x, n as usize, incx);
    let mut best = 1;
    let mut max = (*wx.at(0)).abs1();
    for i in 1..n as usize {
        let v = (*wx.at(i)).abs1();
        if v > max {
            best = i as i64 + 1;
            max = v;
        }
    }
    best
}

/// The constants of Blue's algorithm for the precision of `R` (LAPACK's la_constants):
/// squares of values in [tsml, tbig] neither overflow nor underflow; smaller ones are
/// scaled up by ssml, bigger ones down by sbig.
struct Blue<R> {
    tsml: R,
    tbig: R,
    ssml: R,
    sbig: R,
}

impl<R: Real> Blue<R> {
    fn new() -> Blue<R> {
        let (tsml, tbig, ssml, sbig) = if is_single::<R>() {
            (-63, 52, 75, -76)
        } else {
            (-511, 486, 537, -538)
        };
        Blue {
            tsml: pow2(tsml),
            tbig: pow2(tbig),
            ssml: pow2(ssml),
            sbig: pow2(sbig),
        }
    }

    /// The three scaled sums of squares (small, medium, big) of `ax` = |component|.
    #[inline(always)]
    fn split(&self, ax: R) -> [R; 3] {
        let zero = R::zero();
        let big = ax > self.tbig;
        let small = ax < self.tsml;
        let (s, b) = (ax * self.ssml, ax * self.sbig);
        [
            if small { s * s } else { zero },
            if !big && !small { ax * ax } else { zero },
            if big { b * b } else { zero },
        ]
    }

    /// The norm from the three sums, combined as reference DNRM2 combines them.
    fn finish(&self, [asml, amed, abig]: [R; 3]) -> R {
        let (zero, one) = (R::zero(), R::one());
        let max_n = if is_single::<R>() {
            R::from_f64(f32::MAX as f64)
        } else {
            R::from_f64(f64::MAX)
        };
        let amed_counts = amed > zero || amed > max_n || amed.is_nan();
        let (scl, sumsq) = if abig > zero {
            let abig = if amed_counts {
                abig + (amed * self.sbig) * self.sbig
            } else {
                abig
            };
            (one / self.sbig, abig)
        } else if asml > zero {
            if amed_counts {
                let amed = Float::sqrt(amed);
                let asml = Float::sqrt(asml) / self.ssml;
                let (ymin, ymax) = if asml > amed {
                    (amed, asml)
                } else {
                    (asml, amed)
                };
                let q = ymin / ymax;
                (one, ymax * ymax * (one + q * q))
            } else {
                (one / self.ssml, asml)
            }
        } else {
            (one, amed)
        };
        scl * Float::sqrt(sumsq)
    }
}

/// ?NRM2, SCNRM2, DZNRM2: the Euclidean norm by Blue's algorithm, as LAPACK 3.10+
/// computes it (no overflow or underflow for any finite input). Negative increments
/// walk from the far end; incx == 0 gives sqrt(n) * |x_1|, as reference does.
///
/// # Safety
/// `x` readable for `n` elements at `incx`.
pub unsafe fn nrm2<T: Scalar>(n: i64, x: *const T, incx: i64) -> T::RealPart {
    let blue = Blue::<T::RealPart>::new();
    let zero = <T::RealPart as Scalar>::zero();
    let Some(n) = len(n) else { return zero };
    if std::mem::size_of::<T::RealPart>() == 4 {
        return single_nrm2_in_double(n, x, incx);
    }
    let mut sums = [zero; 3];
    if incx == 1 {
        let x = components(x, n);
        let mut acc = [[zero; 3]; LANES];
        let chunks = x.chunks_exact(LANES);
        let rest = chunks.remainder();
        for xs in chunks {
            for k in 0..LANES {
                let part = blue.split(Float::abs(xs[k]));
                for j in 0..3 {
                    acc[k][j] += part[j];
                }
            }
        }
        for lane in acc {
            for j in 0..3 {
                sums[j] += lane[j];
            }
        }
        for &v in rest {
            let part = blue.split(Float::abs(v));
            for j in 0..3 {
                sums[j] += part[j];
            }
        }
    } else {
        let wx = Walk::new(x, n, incx);
        for i in 0..n {
            let v = *wx.at(i);
            let part = blue.split(Float::abs(v.re()));
            for j in 0..3 {
                sums[j] += part[j];
            }
            if T::IS_COMPLEX {
                let part = blue.split(Float::abs(v.im()));
                for j in 0..3 {
                    sums[j] += part[j];
                }
            }
        }
    }
    blue.finish(sums)
}

/// SNRM2/SCNRM2: the sum of squares in double precision, where no single-precision
/// square can overflow or underflow, and every term counts (reference SNRM2 loses the
/// 1s in [1e4, 1, 1, ...]; SciPy's test_stable accepts that or the accurate result, and
/// OpenBLAS gives the accurate one).
unsafe fn single_nrm2_in_double<T: Scalar>(n: usize, x: *const T, incx: i64) -> T::RealPart {
    let square = |v: T::RealPart| {
        let v = v.to_f64();
        v * v
    };
    let mut lanes = [0.0f64; LANES];
    let mut sum = 0.0f64;
    if incx == 1 {
        let x = components(x, n);
        let chunks = x.chunks_exact(LANES);
        let rest = chunks.remainder();
        for xs in chunks {
            for k in 0..LANES {
                lanes[k] += square(xs[k]);
            }
        }
        rest.iter().for_each(|&v| sum += square(v));
    } else {
        let wx = Walk::new(x, n, incx);
        for i in 0..n {
            let v = *wx.at(i);
            sum += square(v.re()) + square(v.im());
        }
    }
    let total: f64 = lanes.iter().sum::<f64>() + sum;
    <T::RealPart as Float>::from_f64(total.sqrt())
}

/// ?ROT, CSROT, ZDROT: the plane rotation (x, y) := (c*x + s*y, c*y - s*x) with real
/// c and s.
///
/// # Safety
/// Both vectors writable for `n` elements at their increments.
#[allow(clippy::too_many_arguments)]
pub unsafe fn rot<T: Scalar>(
    n: i64,
    x: *mut T,
    incx: i64,
    y: *mut T,
    incy: i64,
    c: T::RealPart,
    s: T::RealPart,
) {
    let Some(n) = len(n) else { return };
    update_pairs(n, (x, incx), (y, incy), true, |xi, yi| {
        (
            mul_real(xi, c) + mul_real(yi, s),
            mul_real(yi, c) - mul_real(xi, s),
        )
    });
}

/// ?ROTM: applies the modified Givens transformation H of `param` (flag, h11, h21,
/// h12, h22) to the pairs (x_i, y_i). Flag -2 is the identity.
///
/// # Safety
/// Both vectors writable for `n` elements at their increments.
pub unsafe fn rotm<R: Real>(n: i64, x: *mut R, incx: i64, y: *mut R, incy: i64, param: &[R; 5]) {
    let [flag, h11, h21, h12, h22] = *param;
    let (zero, two) = (R::zero(), R::from_f64(2.0));
    let Some(n) = len(n) else { return };
    if flag + two == zero {
        return;
    }
    let xy = ((x, incx), (y, incy));
    if flag < zero {
        update_pairs(n, xy.0, xy.1, false, |w, z| {
            (w * h11 + z * h12, w * h21 + z * h22)
        });
    } else if flag == zero {
        update_pairs(n, xy.0, xy.1, false, |w, z| (w + z * h12, w * h21 + z));
    } else {
        update_pairs(n, xy.0, xy.1, false, |w, z| (w * h11 + z, -w + h22 * z));
    }
}

/// The range LAPACK 3.10+'s ROTG scales into: 2^(minexponent-1) and 2^(maxexponent-1).
fn safe_range<R: Real>() -> (R, R) {
    if is_single::<R>() {
        (pow2(-126), pow2(127))
    } else {
        (pow2(-1022), pow2(1023))
    }
}

/// -1 if `v` has its sign bit set, else 1 (Fortran's SIGN(1, v)).
fn sign_of<R: Real>(v: R) -> R {
    if v.to_f64().is_sign_negative() {
        -R::one()
    } else {
        R::one()
    }
}

/// SROTG, DROTG: the Givens rotation (c, s) with [c s; -s c] [a; b] = [r; 0]. On return
/// `a` holds r and `b` the reconstruction value z (LAPACK 3.10+ semantics).
pub fn rotg_real<R: Real>(a: &mut R, b: &mut R, c: &mut R, s: &mut R) {
    let (zero, one) = (R::zero(), R::one());
    let (safmin, safmax) = safe_range::<R>();
    let (anorm, bnorm) = (Float::abs(*a), Float::abs(*b));
    if bnorm == zero {
        *c = one;
        *s = zero;
        *b = zero;
    } else if anorm == zero {
        *c = zero;
        *s = one;
        *a = *b;
        *b = one;
    } else {
        let scl = Float::min(safmax, Float::max(Float::max(safmin, anorm), bnorm));
        let sigma = if anorm > bnorm {
            sign_of(*a)
        } else {
            sign_of(*b)
        };
        let (ua, ub) = (*a / scl, *b / scl);
        let r = sigma * (scl * Float::sqrt(ua * ua + ub * ub));
        *c = *a / r;
        *s = *b / r;
        let z = if anorm > bnorm {
            *s
        } else if *c != zero {
            one / *c
        } else {
            one
        };
        *a = r;
        *b = z;
    }
}

/// CROTG, ZROTG: the rotation with [c s; -conj(s) c] [a; b] = [r; 0], c real. On return
/// `a` holds r (LAPACK 3.10+ safe-scaling algorithm; `b` is not changed).
pub fn rotg_complex<T: Scalar>(a: &mut T, b: T, c: &mut T::RealPart, s: &mut T) {
    let zero = <T::RealPart as Scalar>::zero();
    let one = <T::RealPart as Scalar>::one();
    let (safmin, safmax) = safe_range::<T::RealPart>();
    let rtmin = Float::sqrt(safmin);
    let abs = Float::abs;
    let (f, g) = (*a, b);
    let r;
    if g.is_zero() {
        *c = one;
        *s = T::zero();
        r = f;
    } else if f.is_zero() {
        *c = zero;
        if g.re() == zero {
            let d = abs(g.im());
            *s = div_real(g.conj(), d);
            r = T::from_real(d);
        } else if g.im() == zero {
            let d = abs(g.re());
            *s = div_real(g.conj(), d);
            r = T::from_real(d);
        } else {
            let g1 = Float::max(abs(g.re()), abs(g.im()));
            let rtmax = Float::sqrt(safmax / T::RealPart::from_f64(2.0));
            if g1 > rtmin && g1 < rtmax {
                let d = Float::sqrt(abssq(g));
                *s = div_real(g.conj(), d);
                r = T::from_real(d);
            } else {
                let u = Float::min(safmax, Float::max(safmin, g1));
                let gs = div_real(g, u);
                let d = Float::sqrt(abssq(gs));
                *s = div_real(gs.conj(), d);
                r = T::from_real(d * u);
            }
        }
    } else {
        let f1 = Float::max(abs(f.re()), abs(f.im()));
        let g1 = Float::max(abs(g.re()), abs(g.im()));
        let rtmax = Float::sqrt(safmax / T::RealPart::from_f64(4.0));
        // Unscaled when both are well inside the range; otherwise scale by u (and f
        // separately by v when it is tiny next to g), then undo the scaling.
        let (fs, gs, f2, g2, w, u) = if f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax {
            (f, g, abssq(f), abssq(g), one, one)
        } else {
            let u = Float::min(safmax, Float::max(Float::max(safmin, f1), g1));
            let gs = div_real(g, u);
            if f1 / u < rtmin {
                let v = Float::min(safmax, Float::max(safmin, f1));
                let fs = div_real(f, v);
                (fs, gs, abssq(fs), abssq(gs), v / u, u)
            } else {
                let fs = div_real(f, u);
                (fs, gs, abssq(fs), abssq(gs), one, u)
            }
        };
        let h2 = f2 * w * w + g2;
        let (cc, rr, ss);
        if f2 >= h2 * safmin {
            cc = Float::sqrt(f2 / h2);
            rr = div_real(fs, cc);
            let rtmax2 = rtmax * T::RealPart::from_f64(2.0);
            ss = if f2 > rtmin && h2 < rtmax2 {
                gs.conj() * div_real(fs, Float::sqrt(f2 * h2))
            } else {
                gs.conj() * div_real(rr, h2)
            };
        } else {
            let d = Float::sqrt(f2 * h2);
            cc = f2 / d;
            rr = if cc >= safmin {
                div_real(fs, cc)
            } else {
                mul_complex_real(fs, h2 / d)
            };
            ss = gs.conj() * div_real(fs, d);
        }
        *s = ss;
        *c = cc * w;
        r = mul_complex_real(rr, u);
    }
    *a = r;
}

/// `a / b`, kept a scalar division. Left inline, LLVM's SLP vectorizer packs ROTMG's
/// independent f32 divisions into one `divps` whose unused lanes compute 0/0 and raise
/// the IEEE invalid flag (which gfortran programs report at exit); reference BLAS
/// raises none.
#[inline(never)]
fn quot<R: Real>(a: R, b: R) -> R {
    a / b
}

/// SROTMG, DROTMG: the modified Givens transformation that zeroes the second component
/// of (sqrt(d1) x1, sqrt(d2) y1); updates d1, d2, x1 and writes `param`.
pub fn rotmg<R: Real>(d1: &mut R, d2: &mut R, x1: &mut R, y1: R, param: &mut [R; 5]) {
    let (zero, one, two) = (R::zero(), R::one(), R::from_f64(2.0));
    let gam = R::from_f64(4096.0);
    // The single-precision routine spells its constants with fewer digits.
    let (gamsq, rgamsq) = if is_single::<R>() {
        (
            R::from_f64(1.67772e7f32 as f64),
            R::from_f64(5.96046e-8f32 as f64),
        )
    } else {
        (R::from_f64(16777216.0), R::from_f64(5.9604645e-8))
    };
    let gam2 = gam * gam;
    let (mut h11, mut h12, mut h21, mut h22) = (zero, zero, zero, zero);
    let mut flag;
    let abs = Float::abs;
    let zap = |d1: &mut R, d2: &mut R, x1: &mut R| {
        *d1 = zero;
        *d2 = zero;
        *x1 = zero;
    };
    if *d1 < zero {
        flag = -one;
        zap(d1, d2, x1);
    } else {
        let p2 = *d2 * y1;
        if p2 == zero {
            param[0] = -two;
            return;
        }
        let p1 = *d1 * *x1;
        let q2 = p2 * y1;
        let q1 = p1 * *x1;
        if abs(q1) > abs(q2) {
            h21 = quot(-y1, *x1);
            h12 = quot(p2, p1);
            let u = one - h12 * h21;
            if u > zero {
                flag = zero;
                *d1 = quot(*d1, u);
                *d2 = quot(*d2, u);
                *x1 *= u;
            } else {
                flag = -one;
                (h11, h12, h21, h22) = (zero, zero, zero, zero);
                zap(d1, d2, x1);
            }
        } else if q2 < zero {
            flag = -one;
            (h11, h12, h21, h22) = (zero, zero, zero, zero);
            zap(d1, d2, x1);
        } else {
            flag = one;
            h11 = quot(p1, p2);
            h22 = quot(*x1, y1);
            let u = one + h11 * h22;
            let temp = quot(*d2, u);
            *d2 = quot(*d1, u);
            *d1 = temp;
            *x1 = y1 * u;
        }
        // Rescale d1 and d2 into [rgamsq, gamsq], folding the scale into H.
        let fill = |flag: &mut R, h11: &mut R, h12: &mut R, h21: &mut R, h22: &mut R| {
            if *flag == zero {
                *h11 = one;
                *h22 = one;
            } else {
                *h21 = -one;
                *h12 = one;
            }
            *flag = -one;
        };
        if *d1 != zero {
            while *d1 <= rgamsq || *d1 >= gamsq {
                fill(&mut flag, &mut h11, &mut h12, &mut h21, &mut h22);
                if *d1 <= rgamsq {
                    *d1 *= gam2;
                    *x1 = quot(*x1, gam);
                    h11 = quot(h11, gam);
                    h12 = quot(h12, gam);
                } else {
                    *d1 = quot(*d1, gam2);
                    *x1 *= gam;
                    h11 *= gam;
                    h12 *= gam;
                }
            }
        }
        if *d2 != zero {
            while abs(*d2) <= rgamsq || abs(*d2) >= gamsq {
                fill(&mut flag, &mut h11, &mut h12, &mut h21, &mut h22);
                if abs(*d2) <= rgamsq {
                    *d2 *= gam2;
                    h21 = quot(h21, gam);
                    h22 = quot(h22, gam);
                } else {
                    *d2 = quot(*d2, gam2);
                    h21 *= gam;
                    h22 *= gam;
                }
            }
        }
    }
    if flag < zero {
        param[1] = h11;
        param[2] = h21;
        param[3] = h12;
        param[4] = h22;
    } else if flag == zero {
        param[2] = h21;
        param[3] = h12;
    } else {
        param[1] = h11;
        param[4] = h22;
    }
    param[0] = flag;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::{c32, c64};

    fn ramp(n: usize) -> Vec<f64> {
        (0..n).map(|i| i as f64 * 0.5 - 3.0).collect()
    }

    #[test]
    fn negative_increments_walk_from_the_far_end() {
        // x walked backwards pairs x[2] with y[0], x[1] with y[1], x[0] with y[2].
        let x = [1.0, 2.0, 3.0];
        let mut y = [10.0, 20.0, 30.0];
        unsafe { axpy(3, 2.0, x.as_ptr(), -1, y.as_mut_ptr(), 1) };
        assert_eq!(y, [16.0, 24.0, 32.0]);
        let mut z = [0.0; 6];
        unsafe { copy(3, x.as_ptr(), 1, z.as_mut_ptr(), -2) };
        assert_eq!(z, [3.0, 0.0, 2.0, 0.0, 1.0, 0.0]);
        let d = unsafe { dot(3, x.as_ptr(), -1, y.as_ptr(), 1, false) };
        assert_eq!(d, 3.0 * 16.0 + 2.0 * 24.0 + 32.0);
        let mut a = [1.0, 2.0];
        let mut b = [3.0, 4.0];
        unsafe { swap(2, a.as_mut_ptr(), -1, b.as_mut_ptr(), 1) };
        assert_eq!((a, b), ([4.0, 3.0], [2.0, 1.0]));
    }

    #[test]
    fn n_zero_and_bad_increments_do_nothing() {
        let mut x = [1.0f64, -2.0, 3.0];
        unsafe {
            assert_eq!(dot(0, x.as_ptr(), 1, x.as_ptr(), 1, false), 0.0);
            assert_eq!(nrm2(0, x.as_ptr(), 1), 0.0);
            assert_eq!(asum(3, x.as_ptr(), 0), 0.0);
            assert_eq!(asum(3, x.as_ptr(), -1), 0.0);
            assert_eq!(iamax(0, x.as_ptr(), 1), 0);
            assert_eq!(iamax(3, x.as_ptr(), 0), 0);
            scal(3, 5.0, x.as_mut_ptr(), 0);
            scal(3, 5.0, x.as_mut_ptr(), -1);
            scal(-1, 5.0, x.as_mut_ptr(), 1);
            axpy(-2, 1.0, [9.0].as_ptr(), 1, x.as_mut_ptr(), 1);
        }
        assert_eq!(x, [1.0, -2.0, 3.0]);
        assert_eq!(
            unsafe { dot_f32_in_f64(0, 1.5, [].as_ptr(), 1, [].as_ptr(), 1) },
            1.5
        );
    }

    #[test]
    fn zero_increment_reuses_the_first_element() {
        let x = [2.0];
        let mut y = [1.0, 1.0, 1.0];
        unsafe { axpy(3, 1.0, x.as_ptr(), 0, y.as_mut_ptr(), 1) };
        assert_eq!(y, [3.0, 3.0, 3.0]);
        let mut acc = [0.0];
        unsafe { axpy(3, 1.0, y.as_ptr(), 1, acc.as_mut_ptr(), 0) };
        assert_eq!(acc, [9.0]);
        // Reference DNRM2 walks incx == 0 too: sqrt(n) * |x1|.
        assert_eq!(unsafe { nrm2(4, [3.0f64].as_ptr(), 0) }, 6.0);
    }

    #[test]
    fn iamax_is_one_based_first_max_and_skips_nan_like_reference() {
        let x = [1.0, f64::NAN, -3.0, 3.0];
        assert_eq!(unsafe { iamax(4, x.as_ptr(), 1) }, 3);
        let first_nan = [f64::NAN, 5.0, 7.0];
        assert_eq!(unsafe { iamax(3, first_nan.as_ptr(), 1) }, 1);
        let strided = [1.0, 100.0, -2.0, 100.0, 2.0];
        assert_eq!(unsafe { iamax(3, strided.as_ptr(), 2) }, 2);
        let z = [c64::new(1.0, 1.0), c64::new(0.0, -3.0), c64::new(-2.5, 0.5)];
        assert_eq!(unsafe { iamax(3, z.as_ptr(), 1) }, 2);
    }

    #[test]
    fn sums_cross_the_lane_blocks() {
        for n in [1usize, 7, 8, 9, 17, 33] {
            let x = ramp(n);
            let y: Vec<f64> = x.iter().map(|v| v * 1.5 + 1.0).collect();
            let want_dot: f64 = x.iter().zip(&y).map(|(a, b)| a * b).sum();
            let want_asum: f64 = x.iter().map(|v| v.abs()).sum();
            let want_nrm2 = x.iter().map(|v| v * v).sum::<f64>().sqrt();
            unsafe {
                let d = dot(n as i64, x.as_ptr(), 1, y.as_ptr(), 1, false);
                assert!((d - want_dot).abs() <= 1e-12 * want_dot.abs().max(1.0));
                assert!(
                    (asum::<f64>(n as i64, x.as_ptr(), 1) - want_asum).abs() <= 1e-12 * want_asum
                );
                assert!(
                    (nrm2::<f64>(n as i64, x.as_ptr(), 1) - want_nrm2).abs() <= 1e-14 * want_nrm2
                );
            }
        }
    }

    #[test]
    fn complex_dots_conjugate_x_only_for_dotc() {
        let x = [c32::new(1.0, 2.0), c32::new(0.0, -1.0)];
        let y = [c32::new(3.0, -1.0), c32::new(2.0, 2.0)];
        let u = unsafe { dot(2, x.as_ptr(), 1, y.as_ptr(), 1, false) };
        let c = unsafe { dot(2, x.as_ptr(), 1, y.as_ptr(), 1, true) };
        // (1+2i)(3-i) + (-i)(2+2i) = (5+5i) + (2-2i); conj: (1-2i)(3-i) + i(2+2i).
        assert_eq!(u, c32::new(7.0, 3.0));
        assert_eq!(c, c32::new(-1.0, -5.0));
        assert_eq!(unsafe { asum(2, x.as_ptr(), 1) }, 4.0, "|1|+|2|+|0|+|-1|");
    }

    #[test]
    fn long_dot_sums_fixed_chunks_in_order_whatever_the_threads() {
        let n = PARALLEL_LEN + 3 * CHUNK + 17;
        let x: Vec<f64> = (0..n)
            .map(|i| ((i * 7919) % 1000) as f64 / 997.0 - 0.5)
            .collect();
        let y: Vec<f64> = (0..n)
            .map(|i| ((i * 104729) % 1000) as f64 / 991.0 - 0.5)
            .collect();
        let whole = unsafe { dot(n as i64, x.as_ptr(), 1, y.as_ptr(), 1, false) };
        let mut by_chunks = 0.0;
        for start in (0..n).step_by(CHUNK) {
            let count = CHUNK.min(n - start);
            by_chunks += unsafe {
                dot_serial(
                    count as i64,
                    x[start..].as_ptr(),
                    1,
                    y[start..].as_ptr(),
                    1,
                    false,
                )
            };
        }
        assert_eq!(whole.to_bits(), by_chunks.to_bits());
        let mut y2 = y.clone();
        unsafe { axpy(n as i64, 0.5, x.as_ptr(), 1, y2.as_mut_ptr(), 1) };
        assert!(y2
            .iter()
            .zip(&y)
            .zip(&x)
            .all(|((&r, &y), &x)| r == y + 0.5 * x));
    }

    /// Element i of a vector of n at increment inc, in BLAS's walking order.
    fn walk_index(n: usize, inc: i64, i: usize) -> usize {
        if inc >= 0 {
            i * inc as usize
        } else {
            (n - 1 - i) * (-inc) as usize
        }
    }

    /// The dot product in double-double arithmetic (error-free products and sums), and
    /// the sum of |terms| it is judged against.
    fn dot_exact<T: Scalar>(
        n: usize,
        x: &[T],
        incx: i64,
        y: &[T],
        incy: i64,
        conj: bool,
    ) -> ([f64; 2], f64) {
        let two_sum = |a: f64, b: f64| {
            let s = a + b;
            let bb = s - a;
            (s, (a - (s - bb)) + (b - bb))
        };
        let (mut hi, mut lo, mut scale) = ([0.0f64; 2], [0.0f64; 2], 0.0);
        let mut add = |part: usize, a: f64, b: f64| {
            let p = a * b;
            let e = a.mul_add(b, -p);
            let (s, t) = two_sum(hi[part], p);
            hi[part] = s;
            lo[part] += t + e;
            scale += p.abs();
        };
        for i in 0..n {
            let (a, b) = (x[walk_index(n, incx, i)], y[walk_index(n, incy, i)]);
            let a = if conj { a.conj() } else { a };
            let (ar, ai) = (a.re().to_f64(), a.im().to_f64());
            let (br, bi) = (b.re().to_f64(), b.im().to_f64());
            add(0, ar, br);
            add(0, -ai, bi);
            add(1, ar, bi);
            add(1, ai, br);
        }
        ([hi[0] + lo[0], hi[1] + lo[1]], scale)
    }

    fn check_dot<T: Scalar>(n: usize, incx: i64, incy: i64) {
        let (ax, ay) = (
            incx.unsigned_abs().max(1) as usize,
            incy.unsigned_abs().max(1) as usize,
        );
        let x: Vec<T> = values(n * ax, n as u64);
        let y: Vec<T> = values(n * ay, n as u64 + 1);
        for conj in [false, true] {
            let got = unsafe { dot(n as i64, x.as_ptr(), incx, y.as_ptr(), incy, conj) };
            let (want, scale) = dot_exact(n, &x, incx, &y, incy, conj);
            let eps = <T::RealPart as Float>::epsilon().to_f64();
            // Netlib-kind bound: the length times eps times the sum of |terms|.
            let tol = (n as f64 + 1.0) * eps * scale;
            let err = (got.re().to_f64() - want[0]).abs() + (got.im().to_f64() - want[1]).abs();
            assert!(
                err <= tol,
                "{} n={n} inc=({incx},{incy}) conj={conj}: {err} > {tol}",
                T::PREFIX
            );
        }
    }

    #[test]
    fn dot_kernel_and_threaded_split_match_double_double() {
        let long = 2 * PARALLEL_LEN + 3 * CHUNK + 13;
        for n in [1usize, 2, 31, 32, 33, 95, 1001, CHUNK + 1, long] {
            check_dot::<f32>(n, 1, 1);
            check_dot::<f64>(n, 1, 1);
            check_dot::<c32>(n, 1, 1);
            check_dot::<c64>(n, 1, 1);
        }
        for n in [1usize, 5, 33, 1001] {
            check_dot::<f64>(n, -1, 2);
            check_dot::<c64>(n, 3, -2);
            check_dot::<f32>(n, -1, -1);
        }
    }

    fn check_axpy<T: Scalar>(n: usize, offset: usize, alpha: T) {
        let x: Vec<T> = values(n + offset, 7);
        let y0: Vec<T> = values(n + offset, 8);
        let mut y = y0.clone();
        unsafe {
            axpy(
                n as i64,
                alpha,
                x[offset..].as_ptr(),
                1,
                y[offset..].as_mut_ptr(),
                1,
            )
        };
        for i in 0..n + offset {
            let want = if i < offset {
                y0[i]
            } else {
                y0[i] + alpha * x[i]
            };
            assert!(y[i] == want, "{} n={n} offset={offset} i={i}", T::PREFIX);
        }
    }

    #[test]
    fn axpy_aligned_head_and_threaded_parts_update_every_element_once() {
        let long = 2 * PARALLEL_LEN + 77;
        for offset in 0..9 {
            for n in [1usize, 3, 7, 8, 9, 63, 65, 1000, long] {
                check_axpy::<f64>(n, offset, 0.75);
                check_axpy::<f32>(n, offset, -1.25);
                check_axpy::<c64>(n, offset, c64::new(0.5, -2.0));
                check_axpy::<c32>(n, offset, c32::new(-0.5, 1.0));
            }
        }
        // Strided and negative increments keep the reference walk.
        let x: Vec<f64> = values(30, 1);
        let mut y: Vec<f64> = values(30, 2);
        let y0 = y.clone();
        unsafe { axpy(10, 2.0, x.as_ptr(), -3, y.as_mut_ptr(), 2) };
        for i in 0..10 {
            assert_eq!(y[2 * i], y0[2 * i] + 2.0 * x[3 * (9 - i)]);
            assert_eq!(y[2 * i + 1], y0[2 * i + 1]);
        }
    }

    #[test]
    fn parts_cover_the_vector_at_cache_line_cuts() {
        for (len, parts) in [(1000usize, 1usize), (65536, 2), (100_003, 3), (64, 2)] {
            assert_eq!(part_start(len, parts, 0), 0);
            assert_eq!(part_start(len, parts, parts), len);
            for p in 1..parts {
                let s = part_start(len, parts, p);
                assert!(s.is_multiple_of(64) && s >= part_start(len, parts, p - 1) && s <= len);
            }
        }
        assert_eq!(to_cache_line(64 as *const f64, 100), 0);
        assert_eq!(to_cache_line(72 as *const f64, 100), 7);
        assert_eq!(to_cache_line(72 as *const f64, 3), 3);
        assert_eq!(to_cache_line(73 as *const f64, 100), 0);
        assert_eq!(to_cache_line(80 as *const c64, 100), 3);
    }

    #[test]
    fn single_precision_nrm2_keeps_small_terms() {
        let mut x = vec![1.0f32; 10_001];
        x[0] = 1e4;
        let norm = unsafe { nrm2::<f32>(x.len() as i64, x.as_ptr(), 1) };
        assert!((norm - 1e4 - 0.5).abs() < 1e-2, "{norm}");
        let strided = unsafe { nrm2::<f32>(5_001, x.as_ptr(), 2) };
        assert!(
            (strided - (1e8f64 + 5000.0).sqrt() as f32).abs() < 1e-2,
            "{strided}"
        );
    }

    #[test]
    fn nrm2_neither_overflows_nor_underflows() {
        let big = [1e300, -1e300, 1e300, 1e300];
        let tiny = [1e-300, 1e-300, -1e-300, 1e-300];
        let mixed = [1e-300, 1.0, 1e-300];
        unsafe {
            assert!((nrm2::<f64>(4, big.as_ptr(), 1) / 2e300 - 1.0).abs() < 1e-15);
            assert!((nrm2::<f64>(4, tiny.as_ptr(), 1) / 2e-300 - 1.0).abs() < 1e-15);
            assert_eq!(nrm2::<f64>(3, mixed.as_ptr(), 1), 1.0);
            assert!((nrm2::<f64>(2, big.as_ptr(), -2) / (2f64.sqrt() * 1e300) - 1.0).abs() < 1e-15);
            let z = [c64::new(3e200, 4e200), c64::new(1e-200, 0.0)];
            assert!((nrm2::<c64>(2, z.as_ptr(), 1) / 5e200 - 1.0).abs() < 1e-15);
            let s = [3e30f32, 4e30];
            assert!((nrm2::<f32>(2, s.as_ptr(), 1) / 5e30 - 1.0).abs() < 1e-6);
            let st = [3e-30f32, 4e-30];
            assert!((nrm2::<f32>(2, st.as_ptr(), 1) / 5e-30 - 1.0).abs() < 1e-6);
            assert_eq!(nrm2(2, [f64::INFINITY, 1.0].as_ptr(), 1), f64::INFINITY);
            assert!(nrm2(2, [f64::NAN, 1.0].as_ptr(), 1).is_nan());
        }
    }

    #[test]
    fn scal_variants() {
        let mut x = [c64::new(1.0, 2.0), c64::new(-1.0, 0.5), c64::new(9.0, 9.0)];
        unsafe { scal(2, c64::new(0.0, 1.0), x.as_mut_ptr(), 1) };
        assert_eq!(x[..2], [c64::new(-2.0, 1.0), c64::new(-0.5, -1.0)]);
        unsafe { scal_real(2, 2.0, x.as_mut_ptr(), 2) };
        assert_eq!(
            x,
            [
                c64::new(-4.0, 2.0),
                c64::new(-0.5, -1.0),
                c64::new(18.0, 18.0)
            ]
        );
    }

    #[test]
    fn overlapping_copy_runs_in_reference_order() {
        // DCOPY(4, v(1), 1, v(2), 1) copies forward one element at a time: v(1) smears.
        let mut v = [1.0, 2.0, 3.0, 4.0, 5.0];
        let p = v.as_mut_ptr();
        unsafe { copy(4, p, 1, p.add(1), 1) };
        assert_eq!(v, [1.0; 5]);
    }

    #[test]
    fn rot_and_rotm() {
        let mut x = [1.0, 2.0];
        let mut y = [3.0, 4.0];
        unsafe { rot(2, x.as_mut_ptr(), 1, y.as_mut_ptr(), 1, 0.6, 0.8) };
        let close = |a: f64, b: f64| (a - b).abs() < 1e-15;
        assert!(close(x[0], 3.0) && close(y[0], 1.0) && close(x[1], 4.4) && close(y[1], 0.8));
        let (mut x, mut y) = ([1.0, 2.0], [3.0, 4.0]);
        let h = [-1.0, 1.0, 2.0, 3.0, 4.0]; // full H = [1 3; 2 4]
        unsafe { rotm(2, x.as_mut_ptr(), 1, y.as_mut_ptr(), -1, &h) };
        // x walks forward, y backward: pairs (1, 4) and (2, 3).
        assert_eq!((x, y), ([13.0, 11.0], [16.0, 18.0]));
        let mut z = [5.0];
        unsafe {
            rotm(
                1,
                z.as_mut_ptr(),
                1,
                x.as_mut_ptr(),
                1,
                &[-2.0, 9.0, 9.0, 9.0, 9.0],
            )
        };
        assert_eq!(z, [5.0]);
    }

    #[test]
    fn rotg_real_follows_lapack_3_10() {
        let (mut a, mut b, mut c, mut s) = (3.0f64, 4.0, 0.0, 0.0);
        rotg_real(&mut a, &mut b, &mut c, &mut s);
        assert!((a - 5.0).abs() < 1e-15 && (c - 0.6).abs() < 1e-15 && (s - 0.8).abs() < 1e-15);
        assert!((b - 1.0 / 0.6).abs() < 1e-14, "z = 1/c when |a| <= |b|");
        let (mut a, mut b) = (-4.0f64, 3.0);
        rotg_real(&mut a, &mut b, &mut c, &mut s);
        assert!((a + 5.0).abs() < 1e-15 && (b - s).abs() < 1e-15 && (c - 0.8).abs() < 1e-15);
        let (mut a, mut b) = (0.0f64, 2.0);
        rotg_real(&mut a, &mut b, &mut c, &mut s);
        assert_eq!((a, b, c, s), (2.0, 1.0, 0.0, 1.0));
        let (mut a, mut b) = (1e300f64, 1e300);
        rotg_real(&mut a, &mut b, &mut c, &mut s);
        assert!((a / (2f64.sqrt() * 1e300) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn rotg_complex_annihilates_b() {
        let cases = [
            (c64::new(1.0, 2.0), c64::new(3.0, -1.0)),
            (c64::new(0.0, 0.0), c64::new(3.0, -4.0)),
            (c64::new(0.0, 0.0), c64::new(0.0, -4.0)),
            (c64::new(2.0, 0.0), c64::new(0.0, 0.0)),
            (c64::new(1e-300, 1e-300), c64::new(1e300, 0.5e300)),
            (c64::new(1e200, -3e200), c64::new(2e-200, 1e-200)),
        ];
        for (f, g) in cases {
            let (mut a, mut c, mut s) = (f, 0.0, c64::new(0.0, 0.0));
            rotg_complex(&mut a, g, &mut c, &mut s);
            // [c s; -conj(s) c] [f; g] = [r; 0], scaled to the size of the inputs.
            let scale = f.norm().max(g.norm());
            let r = f * c + s * g;
            let zero = -s.conj() * f + g * c;
            assert!((r - a).norm() <= 1e-14 * scale, "{f:?} {g:?}");
            assert!(zero.norm() <= 1e-14 * scale, "{f:?} {g:?}");
            assert!((c * c + s.norm_sqr() - 1.0).abs() < 1e-14);
        }
    }

    #[test]
    fn rotmg_flags() {
        let mut p = [0.0f64; 5];
        let (mut d1, mut d2, mut x1) = (-1.0, 2.0, 3.0);
        rotmg(&mut d1, &mut d2, &mut x1, 4.0, &mut p);
        assert_eq!((p[0], d1, d2, x1), (-1.0, 0.0, 0.0, 0.0));
        let (mut d1, mut d2, mut x1) = (1.0, 0.0, 3.0);
        rotmg(&mut d1, &mut d2, &mut x1, 4.0, &mut p);
        assert_eq!(p[0], -2.0);
        // Reference DROTMG on (0.1, 0.3, 1.2, 0.2): flag 0, h21 = -1/6, h12 = 0.5.
        let (mut d1, mut d2, mut x1) = (0.1, 0.3, 1.2);
        let mut p = [0.0f64; 5];
        rotmg(&mut d1, &mut d2, &mut x1, 0.2, &mut p);
        assert_eq!(p[0], 0.0);
        assert!((p[2] + 1.0 / 6.0).abs() < 1e-15 && (p[3] - 0.5).abs() < 1e-15);
    }
}
