//! GEMM for small products, on register-blocked loops with one fixed summation order.
//!
//! Two reasons to keep it apart from faer's kernels: a 4x4 call must not pay for
//! dispatch and packing, and LAPACK relies on C(i,j) not depending on the shape or the
//! address of the surrounding call (its tests compare eigenvalues computed with and
//! without vectors bit for bit: the same column updated as part of a wider or narrower
//! DGEMM must round the same). Every C(i,j) here is beta*C(i,j) followed by the terms
//! (alpha*op(B)(l,j)) * op(A)(i,l) added in order l = 0..k (see `real_block` and
//! `complex_block`), whichever block size computes it: blocks only decide which
//! elements share registers, never the order of one element's operations.
//!
//! Speed comes from the layout: the factors alpha*op(B)(l,j) are computed once into a
//! panel read in order, op(A) is read as contiguous columns (packed when transposed),
//! complex operands are split into real and imaginary planes so both vectorize like
//! real ones, and each vector unit gets its own block height (two vectors of rows).

use crate::blas::args::{GemmArgs, Trans};
#[cfg(target_arch = "x86_64")]
use crate::blas::vector::x86;
use crate::blas::vector::{One, Vector};
use crate::scalar::Scalar;
use crate::simd::{level, Level};

/// Largest m*n*k served here; beyond it faer's blocked kernels win.
pub const MAX_VOLUME: usize = 64 * 64 * 64;

/// Columns of C a register block holds; the last n % NR columns go one at a time.
const NR: usize = 4;

/// Real scratch elements (packed op(A), factors) kept on the stack; more go to the heap.
const STACK_SCRATCH: usize = 2048;

#[inline(always)]
fn scaled<T: Scalar>(beta: T, c: T) -> T {
    if beta.is_zero() {
        T::zero()
    } else if beta == T::one() {
        c
    } else {
        beta * c
    }
}

/// One product with its operands as planes of reals (`R`: f32 or f64), each column
/// contiguous, for the kernels.
#[derive(Clone, Copy)]
struct Planes<R> {
    m: usize,
    n: usize,
    k: usize,
    complex: bool,
    /// op(A): the values, or the real parts with the imaginary parts at `a_im`.
    a: *const R,
    a_im: *const R,
    lda: usize,
    /// alpha*op(B)(l,j) (real parts; imaginary parts at `f_im`): the columns j0..j0+w of
    /// a register block at j0*k, element (l, j0+jj) at l*w + jj.
    f: *const R,
    f_im: *const R,
    /// beta*C, already scaled: updated in place (imaginary parts at `c_im`).
    c: *mut R,
    c_im: *mut R,
    ldc: usize,
}

/// C(i0..i0+rows, j0..j0+W) in registers: `V` vectors of rows (the last `rows` modulo
/// the lanes when `PART`). Real: C + f*a, multiply then add as reference DGEMM does
/// (STFSM's threshold notices anything else). Complex: f*a + C as `Scalar::fma`
/// computes it (fused: twice as fast, and within CTFSM's threshold), real part
/// f.re*a.re + ((-f.im)*a.im + c.re), imaginary part f.re*a.im + (f.im*a.re + c.im).
#[inline(always)]
unsafe fn block<V: Vector, const VR: usize, const W: usize, const PART: bool>(
    p: &Planes<V::R>,
    i0: usize,
    j0: usize,
    rows: usize,
) {
    let count = |q: usize| (rows - q * V::LANES).min(V::LANES);
    let at = i0 + j0 * p.ldc;
    let f = p.f.add(j0 * p.k);
    let zero = V::splat(V::R::default());
    let mut re = [[zero; VR]; W];
    for (jj, column) in re.iter_mut().enumerate() {
        for (q, x) in column.iter_mut().enumerate() {
            *x = V::load::<PART>(p.c.add(at + jj * p.ldc + q * V::LANES), count(q));
        }
    }
    if !p.complex {
        for l in 0..p.k {
            let mut a = [zero; VR];
            for (q, x) in a.iter_mut().enumerate() {
                *x = V::load::<PART>(p.a.add(i0 + l * p.lda + q * V::LANES), count(q));
            }
            for (jj, column) in re.iter_mut().enumerate() {
                let factor = V::splat(*f.add(l * W + jj));
                for (x, &y) in column.iter_mut().zip(&a) {
                    *x = x.add_product(factor, y);
                }
            }
        }
    } else {
        let f_im = p.f_im.add(j0 * p.k);
        let mut im = re;
        for (jj, column) in im.iter_mut().enumerate() {
            for (q, x) in column.iter_mut().enumerate() {
                *x = V::load::<PART>(p.c_im.add(at + jj * p.ldc + q * V::LANES), count(q));
            }
        }
        for l in 0..p.k {
            let mut a_re = [zero; VR];
            let mut a_im = a_re;
            for q in 0..VR {
                let offset = i0 + l * p.lda + q * V::LANES;
                a_re[q] = V::load::<PART>(p.a.add(offset), count(q));
                a_im[q] = V::load::<PART>(p.a_im.add(offset), count(q));
            }
            for jj in 0..W {
                let fr = V::splat(*f.add(l * W + jj));
                let fi = *f_im.add(l * W + jj);
                let (fi, minus_fi) = (V::splat(fi), V::splat(-fi));
                for q in 0..VR {
                    re[jj][q] = re[jj][q]
                        .add_product_fused(minus_fi, a_im[q])
                        .add_product_fused(fr, a_re[q]);
                    im[jj][q] = im[jj][q]
                        .add_product_fused(fi, a_re[q])
                        .add_product_fused(fr, a_im[q]);
                }
            }
        }
        for (jj, column) in im.iter().enumerate() {
            for (q, x) in column.iter().enumerate() {
                x.store::<PART>(p.c_im.add(at + jj * p.ldc + q * V::LANES), count(q));
            }
        }
    }
    for (jj, column) in re.iter().enumerate() {
        for (q, x) in column.iter().enumerate() {
            x.store::<PART>(p.c.add(at + jj * p.ldc + q * V::LANES), count(q));
        }
    }
}

/// All rows of columns j0..j0+W: blocks of `VR` vectors, then one vector, then the rows
/// left over in a partial vector.
#[inline(always)]
unsafe fn columns<V: Vector, const VR: usize, const W: usize>(p: &Planes<V::R>, j0: usize) {
    let lanes = V::LANES;
    let mut i = 0;
    while p.m - i >= VR * lanes {
        block::<V, VR, W, false>(p, i, j0, VR * lanes);
        i += VR * lanes;
    }
    while p.m - i >= lanes {
        block::<V, 1, W, false>(p, i, j0, lanes);
        i += lanes;
    }
    if i < p.m {
        block::<V, 1, W, true>(p, i, j0, p.m - i);
    }
}

/// The whole product, `VR` vectors of rows a register block.
#[inline(always)]
unsafe fn run<V: Vector, const VR: usize>(p: &Planes<V::R>) {
    let mut j = 0;
    while j + NR <= p.n {
        columns::<V, VR, NR>(p, j);
        j += NR;
    }
    while j < p.n {
        columns::<V, VR, 1>(p, j);
        j += 1;
    }
}

/// Reinterprets planes of `R` as planes of `S` when they are the same type.
#[inline(always)]
unsafe fn same<R: 'static, S: 'static>(p: &Planes<R>) -> Option<&Planes<S>> {
    (std::any::TypeId::of::<R>() == std::any::TypeId::of::<S>())
        .then(|| &*(p as *const Planes<R> as *const Planes<S>))
}

/// [`run`] for a vector unit of `VECTOR` bytes (16: no AVX2, scalar code), two vectors
/// of rows a block (one for complex types on AVX2, whose 16 registers hold no more).
#[inline(always)]
unsafe fn kernels<R: Scalar<RealPart = R>, const VECTOR: usize>(p: &Planes<R>) {
    #[cfg(target_arch = "x86_64")]
    match (VECTOR, same::<R, f64>(p), same::<R, f32>(p), p.complex) {
        (64, Some(p), _, _) => return run::<x86::F64x8, 2>(p),
        (64, _, Some(p), _) => return run::<x86::F32x16, 2>(p),
        (32, Some(p), _, false) => return run::<x86::F64x4, 2>(p),
        (32, Some(p), _, true) => return run::<x86::F64x4, 1>(p),
        (32, _, Some(p), false) => return run::<x86::F32x8, 2>(p),
        (32, _, Some(p), true) => return run::<x86::F32x8, 1>(p),
        _ => {}
    }
    run::<One<R>, 2>(p)
}

/// Reads op(X)(row, col) of X stored column-major: one type per `Trans`, so that the
/// packing loops take the match once.
trait Op {
    unsafe fn at<T: Scalar>(x: *const T, ld: usize, row: usize, col: usize) -> T;
}
struct Plain;
struct Transposed;
struct ConjTransposed;
impl Op for Plain {
    #[inline(always)]
    unsafe fn at<T: Scalar>(x: *const T, ld: usize, row: usize, col: usize) -> T {
        *x.add(row + col * ld)
    }
}
impl Op for Transposed {
    #[inline(always)]
    unsafe fn at<T: Scalar>(x: *const T, ld: usize, row: usize, col: usize) -> T {
        *x.add(col + row * ld)
    }
}
impl Op for ConjTransposed {
    #[inline(always)]
    unsafe fn at<T: Scalar>(x: *const T, ld: usize, row: usize, col: usize) -> T {
        (*x.add(col + row * ld)).conj()
    }
}

/// The planes of alpha*op(B), laid out as [`Planes::f`] describes.
#[inline(always)]
unsafe fn pack_factors<T: Scalar, O: Op>(
    call: &GemmArgs<T>,
    f: *mut T::RealPart,
    f_im: *mut T::RealPart,
) {
    let (n, k) = (call.n, call.k);
    let mut j0 = 0;
    while j0 < n {
        let width = if j0 + NR <= n { NR } else { 1 };
        for jj in 0..width {
            for l in 0..k {
                let factor = call.alpha * O::at(call.b, call.ldb, l, j0 + jj);
                let at = j0 * k + l * width + jj;
                f.add(at).write(factor.re());
                if T::IS_COMPLEX {
                    f_im.add(at).write(factor.im());
                }
            }
        }
        j0 += width;
    }
}

/// The planes of op(A), m x k with leading dimension m.
#[inline(always)]
unsafe fn pack_a<T: Scalar, O: Op>(
    call: &GemmArgs<T>,
    a: *mut T::RealPart,
    a_im: *mut T::RealPart,
) {
    let m = call.m;
    for l in 0..call.k {
        for i in 0..m {
            let x = O::at(call.a, call.lda, i, l);
            a.add(i + l * m).write(x.re());
            if T::IS_COMPLEX {
                a_im.add(i + l * m).write(x.im());
            }
        }
    }
}

/// `packer::<T, O>` for the `O` that reads op(X) as `trans` says.
macro_rules! with_op {
    ($trans:expr, $packer:ident::<$T:ty>($($arg:expr),*)) => {
        match $trans {
            Trans::No => $packer::<$T, Plain>($($arg),*),
            Trans::Trans => $packer::<$T, Transposed>($($arg),*),
            Trans::ConjTrans => $packer::<$T, ConjTransposed>($($arg),*),
        }
    };
}

/// Lays the operands out as [`Planes`] in `scratch`, runs the kernels for `VECTOR`
/// bytes and writes C back. Inlined into each instruction set's variant of [`gemm`], so
/// the packing loops are vectorized too (their arithmetic rounds the same on any).
#[inline(always)]
unsafe fn pack_and_run<T: Scalar, const VECTOR: usize>(call: &GemmArgs<T>) {
    let GemmArgs {
        m, n, k, c, ldc, ..
    } = *call;
    let complex = T::IS_COMPLEX;
    if m * n * k <= if complex { TINY_COMPLEX } else { TINY_REAL } {
        return with_op!(call.transa, tiny::<T>(call));
    }
    let planes = if complex { 2 } else { 1 };
    let packs_a = complex || call.transa != Trans::No;
    let a_len = if packs_a { planes * m * k } else { 0 };
    let f_len = planes * n * k;
    let c_len = if complex { 2 * m * n } else { 0 };
    let len = a_len + f_len + c_len;
    let mut stack = std::mem::MaybeUninit::<[T::RealPart; STACK_SCRATCH]>::uninit();
    let mut heap = Vec::new();
    let scratch: *mut T::RealPart = if len <= STACK_SCRATCH {
        stack.as_mut_ptr() as *mut T::RealPart
    } else {
        // Written before it is read.
        heap.reserve_exact(len);
        heap.as_mut_ptr()
    };
    // For real types the imaginary planes alias the real ones and are never written.
    let second = |plane: *mut T::RealPart, len: usize| {
        if complex {
            plane.add(len)
        } else {
            plane
        }
    };

    let f = scratch.add(a_len);
    let f_im = second(f, n * k);
    with_op!(call.transb, pack_factors::<T>(call, f, f_im));

    let (a, a_im, lda) = if packs_a {
        let a_im = second(scratch, m * k);
        with_op!(call.transa, pack_a::<T>(call, scratch, a_im));
        (scratch as *const T::RealPart, a_im as *const T::RealPart, m)
    } else {
        // A real type's values are its real parts.
        let a = call.a as *const T::RealPart;
        (a, a, call.lda)
    };

    // beta*C first: the kernels add the terms to C as it stands.
    let beta = call.beta;
    let (c_re, c_im, ld) = if complex {
        let c_re = scratch.add(a_len + f_len);
        let c_im = c_re.add(m * n);
        for j in 0..n {
            for i in 0..m {
                let x = scaled(beta, *c.add(i + j * ldc));
                c_re.add(i + j * m).write(x.re());
                c_im.add(i + j * m).write(x.im());
            }
        }
        (c_re, c_im, m)
    } else {
        if beta != T::one() {
            for j in 0..n {
                for i in 0..m {
                    let x = c.add(i + j * ldc);
                    *x = if beta.is_zero() { T::zero() } else { beta * *x };
                }
            }
        }
        (c as *mut T::RealPart, c as *mut T::RealPart, ldc)
    };

    kernels::<T::RealPart, VECTOR>(&Planes {
        m,
        n,
        k,
        complex,
        a,
        a_im,
        lda,
        f,
        f_im,
        c: c_re,
        c_im,
        ldc: ld,
    });

    if complex {
        for j in 0..n {
            for i in 0..m {
                *c.add(i + j * ldc) = T::from_parts(*c_re.add(i + j * m), *c_im.add(i + j * m));
            }
        }
    }
}

/// Products up to this m*n*k skip the packing: the kernels would read the packed values
/// while the stores that wrote them are still in flight, which costs more than the
/// arithmetic (a 4x4x4 dgemm: 5.0-9.9e-08 s a call on plain loops against 6.3-11.7e-08
/// packed, four alternating runs on the dev machine).
const TINY_REAL: usize = 4 * 4 * 4;
const TINY_COMPLEX: usize = 6 * 6 * 6;

/// Element (row, col) of op(X) for X stored column-major with leading dimension `ld`.
#[inline(always)]
unsafe fn op_at<T: Scalar>(x: *const T, ld: usize, trans: Trans, row: usize, col: usize) -> T {
    match trans {
        Trans::No => Plain::at(x, ld, row, col),
        Trans::Trans => Transposed::at(x, ld, row, col),
        Trans::ConjTrans => ConjTransposed::at(x, ld, row, col),
    }
}

/// c + factor*a as `block` computes it: multiply then add for real types, `Scalar::fma`
/// for complex ones.
#[inline(always)]
fn update<T: Scalar>(c: T, factor: T, a: T) -> T {
    if T::IS_COMPLEX {
        factor.fma(a, c)
    } else {
        c + factor * a
    }
}

/// C(i0..i0+R, j0..j0+W) of a tiny product in registers, on the caller's values in
/// `block`'s order: beta*C, then the terms for l = 0..k ([`update`]).
#[inline(always)]
unsafe fn tiny_block<T: Scalar, O: Op, const R: usize, const W: usize>(
    call: &GemmArgs<T>,
    i0: usize,
    j0: usize,
) {
    let c = call.c.add(i0 + j0 * call.ldc);
    let mut acc = [[T::zero(); R]; W];
    for (jj, column) in acc.iter_mut().enumerate() {
        for (ii, x) in column.iter_mut().enumerate() {
            *x = scaled(call.beta, *c.add(ii + jj * call.ldc));
        }
    }
    for l in 0..call.k {
        let mut a = [T::zero(); R];
        for (ii, x) in a.iter_mut().enumerate() {
            *x = O::at(call.a, call.lda, i0 + ii, l);
        }
        for (jj, column) in acc.iter_mut().enumerate() {
            let factor = call.alpha * op_at(call.b, call.ldb, call.transb, l, j0 + jj);
            for (x, &y) in column.iter_mut().zip(&a) {
                *x = update(*x, factor, y);
            }
        }
    }
    for (jj, column) in acc.iter().enumerate() {
        for (ii, &x) in column.iter().enumerate() {
            *c.add(ii + jj * call.ldc) = x;
        }
    }
}

/// Rows of columns j0..j0+W of a tiny product: blocks of 4, 2, 1 rows.
#[inline(always)]
unsafe fn tiny_columns<T: Scalar, O: Op, const W: usize>(call: &GemmArgs<T>, j0: usize) {
    let mut i = 0;
    while call.m - i >= 4 {
        tiny_block::<T, O, 4, W>(call, i, j0);
        i += 4;
    }
    if call.m - i >= 2 {
        tiny_block::<T, O, 2, W>(call, i, j0);
        i += 2;
    }
    if i < call.m {
        tiny_block::<T, O, 1, W>(call, i, j0);
    }
}

/// A tiny product, op(A) read through `O`.
#[inline(always)]
unsafe fn tiny<T: Scalar, O: Op>(call: &GemmArgs<T>) {
    let mut j = 0;
    while j + NR <= call.n {
        tiny_columns::<T, O, NR>(call, j);
        j += NR;
    }
    while j < call.n {
        tiny_columns::<T, O, 1>(call, j);
        j += 1;
    }
}

/// C := alpha*op(A)*op(B) + beta*C for m*n*k <= MAX_VOLUME, with m, n, k > 0.
/// Inlined: the caller builds the arguments in its own frame and makes one call, to the
/// instruction set's variant.
///
/// # Safety
/// As for `level3::gemm`.
#[inline(always)]
pub unsafe fn gemm<T: Scalar>(call: &GemmArgs<T>) {
    #[target_feature(enable = "avx512f,fma")]
    unsafe fn avx512<T: Scalar>(call: &GemmArgs<T>) {
        pack_and_run::<T, 64>(call)
    }
    #[target_feature(enable = "avx2,fma")]
    unsafe fn avx2<T: Scalar>(call: &GemmArgs<T>) {
        pack_and_run::<T, 32>(call)
    }
    #[inline(never)]
    unsafe fn baseline<T: Scalar>(call: &GemmArgs<T>) {
        pack_and_run::<T, 16>(call)
    }
    // The CPU's widest vector unit, as `crate::dispatched!` chooses it.
    match level() {
        Level::Avx512 => avx512(call),
        Level::Avx2 => avx2(call),
        Level::Baseline => baseline(call),
    }
}

/// Real GEMVs y := alpha*A*x + beta*y (A not transposed, unit increments) of at most
/// this many elements of A run here, as the product of A (m x n) and x (n x 1).
pub const GEMV_ELEMENTS: usize = 32 * 32;

/// A small real GEMV on the small-product loops, when it is one ([`GEMV_ELEMENTS`],
/// alpha != 0, m, n > 0); false (nothing done) otherwise. Each y(i) is beta*y(i), then
/// (alpha*x(l)) * A(i,l) added in order l = 0..n, multiply then add: the operations, in
/// the order, of level 2's column sweep (`level2::mv`), so the same bits, without its
/// slices and per-column calls.
///
/// # Safety
/// A valid for m x n at `lda` >= max(1, m), x for n and y for m contiguous elements.
#[inline(always)]
pub unsafe fn gemv<T: Scalar>(
    (m, n): (usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    x: *const T,
    beta: T,
    y: *mut T,
) -> bool {
    if T::IS_COMPLEX || m == 0 || n == 0 || alpha.is_zero() || m.saturating_mul(n) > GEMV_ELEMENTS {
        return false;
    }
    gemm(&GemmArgs::new(
        (Trans::No, Trans::No),
        (m, 1, n),
        alpha,
        (a, lda),
        (x, n),
        beta,
        (y, m),
    ));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::{c32, c64};

    /// C(i,j) in the order the module promises, one element at a time.
    fn expected<T: Scalar>(call: &GemmArgs<T>, c: &[T]) -> Vec<T> {
        let mut out = c.to_vec();
        for j in 0..call.n {
            for i in 0..call.m {
                let mut x = scaled(call.beta, c[i + j * call.ldc]);
                for l in 0..call.k {
                    let factor = call.alpha * unsafe { op_at(call.b, call.ldb, call.transb, l, j) };
                    let a = unsafe { op_at(call.a, call.lda, call.transa, i, l) };
                    x = update(x, factor, a);
                }
                out[i + j * call.ldc] = x;
            }
        }
        out
    }

    fn bits<T>(v: &[T]) -> &[u8] {
        unsafe { std::slice::from_raw_parts(v.as_ptr() as *const u8, std::mem::size_of_val(v)) }
    }

    /// Every shape class (tiny, partial vectors, full blocks, column tails) and option,
    /// bit for bit against the element-by-element order.
    fn matches_element_order<T: Scalar>() {
        let mut state = 0x2545f4914f6cdd1du64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        let mut value = || {
            let re = <T::RealPart as Scalar>::from_f64_lossy(random());
            T::from_parts(re, <T::RealPart as Scalar>::from_f64_lossy(random()))
        };
        let options = [Trans::No, Trans::Trans, Trans::ConjTrans];
        let shapes = [
            (1, 1, 1),
            (3, 2, 5),
            (4, 4, 4),
            (6, 6, 6),
            (7, 9, 3),
            (17, 5, 11),
        ];
        let more = [
            (33, 13, 8),
            (40, 40, 40),
            (64, 64, 64),
            (1, 64, 64),
            (64, 1, 30),
        ];
        for &(m, n, k) in shapes.iter().chain(&more) {
            for (case, (&transa, &transb)) in options
                .iter()
                .flat_map(|a| options.iter().map(move |b| (a, b)))
                .enumerate()
            {
                let (ar, ac) = if transa == Trans::No { (m, k) } else { (k, m) };
                let (br, bc) = if transb == Trans::No { (k, n) } else { (n, k) };
                let (lda, ldb, ldc) = (ar + case % 2, br + 1, m + case % 3);
                let a: Vec<T> = (0..lda * ac).map(|_| value()).collect();
                let b: Vec<T> = (0..ldb * bc).map(|_| value()).collect();
                let mut c: Vec<T> = (0..ldc * n).map(|_| value()).collect();
                let beta = [T::zero(), T::one(), value()][case % 3];
                let call = GemmArgs {
                    transa,
                    transb,
                    m,
                    n,
                    k,
                    alpha: value(),
                    a: a.as_ptr(),
                    lda,
                    b: b.as_ptr(),
                    ldb,
                    beta,
                    c: c.as_mut_ptr(),
                    ldc,
                };
                let want = expected(&call, &c);
                unsafe { gemm(&call) };
                assert!(
                    bits(&c) == bits(&want),
                    "{} m={m} n={n} k={k} {transa:?} {transb:?}",
                    T::PREFIX
                );
            }
        }
    }

    /// The small GEMV gives level 2's column sweep's bits, on every shape it serves
    /// (and declines the complex types and alpha = 0, which it does not).
    fn gemv_matches_level2<T: Scalar>() {
        let mut state = 0x9e3779b97f4a7c15u64;
        let mut value = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            T::from_f64_lossy((state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
        };
        let shapes = [(1, 1), (4, 4), (3, 7), (9, 2), (32, 32), (5, 33)];
        for (case, &(m, n)) in shapes.iter().enumerate() {
            let lda = m + case % 2;
            let a: Vec<T> = (0..lda * n).map(|_| value()).collect();
            let x: Vec<T> = (0..n).map(|_| value()).collect();
            let y0: Vec<T> = (0..m).map(|_| value()).collect();
            for beta in [T::zero(), T::one(), value()] {
                let alpha = value();
                let (mut mine, mut sweep) = (y0.clone(), y0.clone());
                let served = unsafe {
                    gemv(
                        (m, n),
                        alpha,
                        (a.as_ptr(), lda),
                        x.as_ptr(),
                        beta,
                        mine.as_mut_ptr(),
                    )
                };
                assert_eq!(served, m * n <= GEMV_ELEMENTS, "m={m} n={n}");
                let storage = crate::blas::level2::Storage::Full {
                    ptr: a.as_ptr() as *mut T,
                    ld: lda,
                    m,
                    uplo: None,
                };
                unsafe {
                    crate::blas::level2::mv(
                        Trans::No,
                        storage,
                        (m, n),
                        alpha,
                        (x.as_ptr(), 1),
                        beta,
                        (sweep.as_mut_ptr(), 1),
                    )
                };
                if served {
                    assert!(bits(&mine) == bits(&sweep), "{} m={m} n={n}", T::PREFIX);
                }
            }
        }
        let (a, x, mut y) = ([T::one(); 4], [T::one(); 2], [T::one(); 2]);
        assert!(!unsafe {
            gemv(
                (2, 2),
                T::zero(),
                (a.as_ptr(), 2),
                x.as_ptr(),
                T::one(),
                y.as_mut_ptr(),
            )
        });
    }

    #[test]
    fn small_gemv_has_the_column_sweeps_bits() {
        gemv_matches_level2::<f32>();
        gemv_matches_level2::<f64>();
        let (a, x, mut y) = (
            [c64::new(1.0, 1.0); 4],
            [c64::new(1.0, 0.0); 2],
            [c64::new(0.0, 0.0); 2],
        );
        let served = unsafe {
            gemv(
                (2, 2),
                c64::new(1.0, 0.0),
                (a.as_ptr(), 2),
                x.as_ptr(),
                c64::new(0.0, 0.0),
                y.as_mut_ptr(),
            )
        };
        assert!(!served, "complex GEMV keeps level 2's arithmetic");
    }

    #[test]
    fn every_element_in_the_documented_order() {
        matches_element_order::<f32>();
        matches_element_order::<f64>();
        matches_element_order::<c32>();
        matches_element_order::<c64>();
    }
}
