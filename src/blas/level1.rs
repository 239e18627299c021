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

/// `x / r` for a real `r`, component by component.
#[inline(always)]
fn div_real<T: Scalar>(x: T, r: T::RealPart) -> T {
    T::from_parts(x.re() / r, x.im() / r)
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
        for (xi, yi) in x.iter().zip(y.iter_mut()) {
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

/// The sum over i of f(x_i, y_i), in `LANES` partial sums when both are contiguous.
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
        let (xc, yc) = (x.chunks_exact(LANES), y.chunks_exact(LANES));
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

/// ?AXPY: y := alpha*x + y. Nothing happens for alpha == 0.
///
/// # Safety
/// `x` readable and `y` writable for `n` elements at their increments.
pub unsafe fn axpy<T: Scalar>(n: i64, alpha: T, x: *const T, incx: i64, y: *mut T, incy: i64) {
    let Some(n) = len(n) else { return };
    if alpha.is_zero() {
        return;
    }
    update_y(n, (x, incx), (y, incy), |xi, yi| yi + alpha * xi);
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

/// ?SCAL: x := alpha*x. Nothing happens for incx <= 0 or alpha == 1.
///
/// # Safety
/// `x` writable for `n` elements at `incx`.
pub unsafe fn scal<T: Scalar>(n: i64, alpha: T, x: *mut T, incx: i64) {
    let Some(n) = len(n) else { return };
    if incx <= 0 || alpha == T::one() {
        return;
    }
    update_x(n, x, incx, |xi| alpha * xi);
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

/// ?DOT, ?DOTU (conj == false) and ?DOTC (conj == true): sum of op(x_i) * y_i.
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
    let Some(n) = len(n) else {
        return T::zero();
    };
    if conj {
        sum_pairs(n, (x, incx), (y, incy), T::zero(), |xi: T, yi| {
            xi.conj() * yi
        })
    } else {
        sum_pairs(n, (x, incx), (y, incy), T::zero(), |xi: T, yi| xi * yi)
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
                mul_real(fs, h2 / d)
            };
            ss = gs.conj() * div_real(fs, d);
        }
        *s = ss;
        *c = cc * w;
        r = mul_real(rr, u);
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
                *x1 = *x1 * u;
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
                    *d1 = *d1 * gam2;
                    *x1 = quot(*x1, gam);
                    h11 = quot(h11, gam);
                    h12 = quot(h12, gam);
                } else {
                    *d1 = quot(*d1, gam2);
                    *x1 = *x1 * gam;
                    h11 = h11 * gam;
                    h12 = h12 * gam;
                }
            }
        }
        if *d2 != zero {
            while abs(*d2) <= rgamsq || abs(*d2) >= gamsq {
                fill(&mut flag, &mut h11, &mut h12, &mut h21, &mut h22);
                if abs(*d2) <= rgamsq {
                    *d2 = *d2 * gam2;
                    h21 = quot(h21, gam);
                    h22 = quot(h22, gam);
                } else {
                    *d2 = quot(*d2, gam2);
                    h21 = h21 * gam;
                    h22 = h22 * gam;
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
