//! GEMM for small products, on plain loops with one fixed summation order.
//!
//! Two reasons to keep it apart from faer's kernels: a 4x4 call must not pay for
//! dispatch and packing, and LAPACK relies on C(i,j) not depending on the shape or the
//! address of the surrounding call (its tests compare eigenvalues computed with and
//! without vectors bit for bit: the same column updated as part of a wider or narrower
//! DGEMM must round the same). Every C(i,j) here is beta*C(i,j) followed by the terms
//! (alpha*op(B)(l,j)) * op(A)(i,l) added in order l = 0..k (see `update`), whichever
//! block path (vector block or single row) computes it.

use crate::blas::args::Trans;
use crate::scalar::Scalar;

/// Largest m*n*k served here; beyond it faer's blocked kernels win.
pub const MAX_VOLUME: usize = 64 * 64 * 64;

/// Columns of C a register block holds (its rows: `columns`).
const NR: usize = 4;

/// Elements of op(A) packed on the stack; larger panels go to the heap.
const STACK_PANEL: usize = 1024;

/// Element (row, col) of op(X) for X stored column-major with leading dimension `ld`.
#[inline(always)]
unsafe fn op_at<T: Scalar>(x: *const T, ld: usize, trans: Trans, row: usize, col: usize) -> T {
    match trans {
        Trans::No => *x.add(row + col * ld),
        Trans::Trans => *x.add(col + row * ld),
        Trans::ConjTrans => (*x.add(col + row * ld)).conj(),
    }
}

/// c + factor * a: reference DGEMM's multiply then add for real types (STFSM's threshold
/// notices anything else), fused multiply-adds for complex ones (twice as fast, and
/// within CTFSM's threshold). Either way the same for every element, whichever path.
#[inline(always)]
fn update<T: Scalar>(c: T, factor: T, a: T) -> T {
    if T::IS_COMPLEX {
        factor.fma(a, c)
    } else {
        c + factor * a
    }
}

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

/// The operands of one product, op(A) already as contiguous columns (`a`, `lda`).
#[derive(Clone, Copy)]
struct Problem<T> {
    m: usize,
    n: usize,
    k: usize,
    alpha: T,
    a: *const T,
    lda: usize,
    b: *const T,
    ldb: usize,
    transb: Trans,
    beta: T,
    c: *mut T,
    ldc: usize,
}

/// C(i0..i0+R, j0..j0+W) for compile-time R x W, accumulated in registers.
#[inline(always)]
unsafe fn block<T: Scalar, const R: usize, const W: usize>(p: &Problem<T>, i0: usize, j0: usize) {
    let mut acc = [[T::zero(); R]; W];
    for (jj, column) in acc.iter_mut().enumerate() {
        for (ii, x) in column.iter_mut().enumerate() {
            *x = scaled(p.beta, *p.c.add(i0 + ii + (j0 + jj) * p.ldc));
        }
    }
    for l in 0..p.k {
        let a = &*(p.a.add(i0 + l * p.lda) as *const [T; R]);
        for (jj, column) in acc.iter_mut().enumerate() {
            let factor = p.alpha * op_at(p.b, p.ldb, p.transb, l, j0 + jj);
            for (x, &y) in column.iter_mut().zip(a) {
                *x = update(*x, factor, y);
            }
        }
    }
    for (jj, column) in acc.iter().enumerate() {
        for (ii, &x) in column.iter().enumerate() {
            *p.c.add(i0 + ii + (j0 + jj) * p.ldc) = x;
        }
    }
}

/// Rows i0..m of columns j0..j0+W one element at a time, in the same order.
#[inline(always)]
unsafe fn tail_rows<T: Scalar, const W: usize>(p: &Problem<T>, i0: usize, j0: usize) {
    for jj in 0..W {
        for i in i0..p.m {
            let mut x = scaled(p.beta, *p.c.add(i + (j0 + jj) * p.ldc));
            for l in 0..p.k {
                x = update(
                    x,
                    p.alpha * op_at(p.b, p.ldb, p.transb, l, j0 + jj),
                    *p.a.add(i + l * p.lda),
                );
            }
            *p.c.add(i + (j0 + jj) * p.ldc) = x;
        }
    }
}

/// Row blocks of `R` then `R / 2`, then single rows, for columns j0..j0+W.
#[inline(always)]
unsafe fn rows_of<T: Scalar, const R: usize, const HALF: usize, const W: usize>(
    p: &Problem<T>,
    j0: usize,
) {
    let mut i = 0;
    while i + R <= p.m {
        block::<T, R, W>(p, i, j0);
        i += R;
    }
    if i + HALF <= p.m {
        block::<T, HALF, W>(p, i, j0);
        i += HALF;
    }
    tail_rows::<T, W>(p, i, j0);
}

/// Eight rows a register block for real types (LLVM vectorizes 16-row f32 blocks
/// worse), four for complex ones.
#[inline(always)]
unsafe fn columns<T: Scalar, const W: usize>(p: &Problem<T>, j0: usize) {
    if T::IS_COMPLEX {
        rows_of::<T, 4, 2, W>(p, j0)
    } else {
        rows_of::<T, 8, 4, W>(p, j0)
    }
}

#[inline(always)]
unsafe fn run<T: Scalar>(p: &Problem<T>) {
    let mut j = 0;
    while j + NR <= p.n {
        columns::<T, NR>(p, j);
        j += NR;
    }
    while j < p.n {
        columns::<T, 1>(p, j);
        j += 1;
    }
}

crate::dispatched! {
    /// [`run`] compiled for the CPU's widest vector unit.
    unsafe fn run_wide<T: Scalar>(p: &Problem<T>) -> () {
        run(p)
    }
}

/// C := alpha*op(A)*op(B) + beta*C for m*n*k <= MAX_VOLUME, with m, n, k > 0.
///
/// # Safety
/// As for `level3::gemm`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm<T: Scalar>(
    transa: Trans,
    transb: Trans,
    (m, n, k): (usize, usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*const T, usize),
    beta: T,
    (c, ldc): (*mut T, usize),
) {
    let mut problem = Problem {
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        transb,
        beta,
        c,
        ldc,
    };
    // op(A) must be contiguous columns: pack it when it is transposed.
    let mut stack = std::mem::MaybeUninit::<[T; STACK_PANEL]>::uninit();
    let mut heap = Vec::new();
    if transa != Trans::No {
        let packed: *mut T = if m * k <= STACK_PANEL {
            stack.as_mut_ptr() as *mut T
        } else {
            heap.resize(m * k, T::zero());
            heap.as_mut_ptr()
        };
        for l in 0..k {
            for i in 0..m {
                packed.add(i + l * m).write(op_at(a, lda, transa, i, l));
            }
        }
        problem.a = packed;
        problem.lda = m;
    }
    run_wide(&problem)
}
