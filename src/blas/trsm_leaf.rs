//! Real triangular solves with many right-hand sides on vector registers: the leaves of
//! TRSM's halves. Every side, triangle and transpose becomes one form (unknowns solved in
//! turn, each equation reading the unknowns before it) through two packed copies: the
//! triangle by blocks of [`BLOCK_ROWS`] equations, and the right-hand sides by panels of
//! two vectors. A block's equations then take the solved unknowns' terms as a GEMM
//! micro-kernel does (12 accumulators, two loads and one broadcast a step: AVX2's 16
//! registers) and solve their small triangle in the registers.

use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::vector::Vector;
use crate::scalar::Scalar;
use std::cell::RefCell;

/// Equations a register block solves at once.
const BLOCK_ROWS: usize = 6;

/// The largest triangle served here (TRSM's halves cut larger ones): its packed copy,
/// about order^2 / 2 elements (1 MiB of f64 at 512), stays in a core's level-2 cache.
pub const MAX_ORDER: usize = 512;

/// Solves `args` (alpha != 0, order at most [`MAX_ORDER`]) when T is real, this
/// machine's kernels are the AVX2 ones and there is at least one whole panel of
/// right-hand sides; false (nothing touched) otherwise. Packing the triangle costs about
/// as much as solving a few right-hand sides (2-core AMD EPYC, order 512: 130 us for 3
/// to 8 of them, 125-245 us on faer's solver), so fewer stay with faer's solver.
///
/// # Safety
/// As for `level3::trsm`.
pub unsafe fn solve<T: Scalar>(args: &TrsmArgs<T>) -> bool {
    match kernel_for::<T>(crate::simd::level()) {
        Some(kernel) if args.rhs() >= 2 * kernel.0 => {
            solve_with(args, kernel);
            true
        }
        _ => false,
    }
}

/// [`solve`] with `kernel` on vectors of `lanes` reals.
unsafe fn solve_with<T: Scalar>(args: &TrsmArgs<T>, (lanes, kernel): (usize, Kernel<T>)) {
    let order = args.ka();
    debug_assert!(order <= MAX_ORDER && !args.alpha.is_zero());
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let words = (packed_len(order) + order * 2 * lanes) * std::mem::size_of::<T>();
        let len = words.div_ceil(8).max(scratch.len());
        scratch.resize(len, 0);
        let base = scratch.as_mut_ptr() as *mut T;
        let triangle = std::slice::from_raw_parts_mut(base, packed_len(order));
        let rows = std::slice::from_raw_parts_mut(base.add(triangle.len()), order * 2 * lanes);
        kernel(&Form::of(args), triangle, rows);
    });
}

thread_local! {
    /// The packed copies, kept between calls (8-byte words: any real type fits).
    static SCRATCH: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Elements of the packed triangle of `order` equations: block by block, the terms of
/// the unknowns before the block (BLOCK_ROWS a step) and then its own square.
fn packed_len(order: usize) -> usize {
    (0..order)
        .step_by(BLOCK_ROWS)
        .map(|start| BLOCK_ROWS * start + BLOCK_ROWS * BLOCK_ROWS)
        .sum()
}

/// The solve in the one form: equation i reads unknowns 0..=i; the coefficient of
/// unknown l in it is A's element `i * a_step.0 + l * a_step.1` from `a`, and unknown i
/// of right-hand side j is B's `i * b_step.0 + j * b_step.1` from `b`.
struct Form<T> {
    a: *const T,
    a_step: (isize, isize),
    b: *mut T,
    b_step: (isize, isize),
    order: usize,
    rhs: usize,
    alpha: T,
    unit: bool,
}

impl<T: Scalar> Form<T> {
    fn of(args: &TrsmArgs<T>) -> Form<T> {
        let order = args.ka();
        let lower = (args.uplo == Uplo::Lower) == (args.trans == Trans::No);
        let right = args.side == Side::Right;
        // Unknown i is index i of A and B, or order - 1 - i when solved in reverse:
        // op(A) upper on the left, lower on the right (X op(A) = B is op(A)^T X^T = B^T).
        let (first, step) = if lower == right {
            (order as isize - 1, -1)
        } else {
            (0, 1)
        };
        let (lda, ldb) = (args.lda as isize, args.ldb as isize);
        // Equation i is row i of op(A) on the left and column i on the right; op(A) =
        // A^T (or A^H: the same for real types) swaps them again.
        let a_step = if right != (args.trans != Trans::No) {
            (step * lda, step)
        } else {
            (step, step * lda)
        };
        let b_step = if right { (step * ldb, 1) } else { (step, ldb) };
        Form {
            a: unsafe { args.a.offset(first * (1 + lda)) },
            a_step,
            b: unsafe { args.b.offset(first * b_step.0.abs()) },
            b_step,
            order,
            rhs: args.rhs(),
            alpha: args.alpha,
            unit: args.diag == Diag::Unit,
        }
    }

    /// The coefficient of unknown l in equation i (l <= i).
    #[inline(always)]
    unsafe fn coefficient(&self, i: usize, l: usize) -> T {
        if i == l && self.unit {
            return T::one();
        }
        *self
            .a
            .offset(i as isize * self.a_step.0 + l as isize * self.a_step.1)
    }

    #[inline(always)]
    unsafe fn element(&self, i: usize, j: usize) -> *mut T {
        self.b
            .offset(i as isize * self.b_step.0 + j as isize * self.b_step.1)
    }

    /// The triangle in [`packed_len`]'s layout, the terms of earlier unknowns negated
    /// (the kernel only adds products) and the diagonal as it is (the kernel divides).
    #[inline(always)]
    unsafe fn pack_triangle(&self, packed: &mut [T]) {
        let mut blocks = packed.iter_mut();
        for start in (0..self.order).step_by(BLOCK_ROWS) {
            let rows = BLOCK_ROWS.min(self.order - start);
            for l in 0..start {
                for (r, out) in (&mut blocks).take(BLOCK_ROWS).enumerate() {
                    *out = if r < rows {
                        -self.coefficient(start + r, l)
                    } else {
                        T::zero()
                    };
                }
            }
            for q in 0..BLOCK_ROWS {
                for (r, out) in (&mut blocks).take(BLOCK_ROWS).enumerate() {
                    *out = if r >= rows || r < q {
                        T::zero()
                    } else if r == q {
                        self.coefficient(start + r, start + q)
                    } else {
                        -self.coefficient(start + r, start + q)
                    };
                }
            }
        }
    }

    /// Right-hand sides first..first + count, times alpha, as `order` rows of `width`
    /// (zeros beyond `count`: a partial panel's unused lanes are solved too).
    #[inline(always)]
    unsafe fn pack_rhs(&self, rows: &mut [T], first: usize, count: usize, width: usize) {
        if count < width {
            rows.fill(T::zero());
        }
        let alpha = self.alpha;
        self.each_element(
            first,
            count,
            width,
            |b, row| *row = alpha * *b,
            rows.as_mut_ptr(),
        );
    }

    #[inline(always)]
    unsafe fn unpack_rhs(&self, rows: &mut [T], first: usize, count: usize, width: usize) {
        self.each_element(first, count, width, |b, row| *b = *row, rows.as_mut_ptr());
    }

    /// `f(element, its place in the rows)` for the unknowns of right-hand sides
    /// first..first + count, in B's memory order (down a column on the left, along a row
    /// on the right).
    #[inline(always)]
    unsafe fn each_element(
        &self,
        first: usize,
        count: usize,
        width: usize,
        mut f: impl FnMut(*mut T, *mut T),
        rows: *mut T,
    ) {
        if self.b_step.1 == 1 {
            for i in 0..self.order {
                let b = self.element(i, first);
                for c in 0..count {
                    f(b.add(c), rows.add(i * width + c));
                }
            }
        } else {
            for c in 0..count {
                for i in 0..self.order {
                    f(self.element(i, first + c), rows.add(i * width + c));
                }
            }
        }
    }
}

/// Solves a [`Form`] with the scratch for its packed triangle and one panel of rows.
type Kernel<T> = unsafe fn(form: &Form<T>, triangle: &mut [T], rows: &mut [T]);

/// The lanes of T's vectors and the kernel for the instruction set `level`: AVX2 only.
/// Where AVX-512 is present, faer's solver kernels are as wide as these, and they were as
/// fast or faster (16-core Xeon, 16 threads, OpenBLAS / ours: dtrsm 256 0.82 on faer's
/// solver against 0.74 here; 1024-4096 and dpotrf/dgetrf level within the noise).
fn kernel_for<T: Scalar>(level: crate::simd::Level) -> Option<(usize, Kernel<T>)> {
    // SAFETY: each item is the Kernel of the scalar named before it.
    match level {
        #[cfg(target_arch = "x86_64")]
        crate::simd::Level::Avx2 => unsafe {
            crate::for_scalar!(T;
                f64 => (4usize, x86::avx2_f64 as Kernel<f64>), f32 => (8usize, x86::avx2_f32 as Kernel<f32>))
        },
        _ => None,
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{solve_body, Form};
    use crate::blas::vector::x86::{F32x8, F64x4};

    macro_rules! variant {
        ($name:ident, $r:ty, $v:ty) => {
            #[target_feature(enable = "avx2,fma")]
            pub(super) unsafe fn $name(form: &Form<$r>, triangle: &mut [$r], rows: &mut [$r]) {
                solve_body::<$v>(form, triangle, rows)
            }
        };
    }
    variant!(avx2_f64, f64, F64x4);
    variant!(avx2_f32, f32, F32x8);
}

/// [`Kernel`] on the registers V (inlined into a variant that enables them, packing
/// included): the triangle once, then each panel of right-hand sides in turn.
#[inline(always)]
unsafe fn solve_body<V: Vector>(form: &Form<V::R>, triangle: &mut [V::R], rows: &mut [V::R]) {
    let width = 2 * V::LANES;
    form.pack_triangle(triangle);
    for first in (0..form.rhs).step_by(width) {
        let count = width.min(form.rhs - first);
        form.pack_rhs(rows, first, count, width);
        panel_body::<V>(triangle, form.order, rows);
        form.unpack_rhs(rows, first, count, width);
    }
}

/// One panel of `rows` (`order` rows of two vectors) solved in place.
#[inline(always)]
unsafe fn panel_body<V: Vector>(triangle: &[V::R], order: usize, rows: &mut [V::R]) {
    debug_assert!(triangle.len() >= packed_len(order) && rows.len() >= order * 2 * V::LANES);
    let (mut block, p) = (triangle.as_ptr(), rows.as_mut_ptr());
    for start in (0..order).step_by(BLOCK_ROWS) {
        match order - start {
            1 => solve_block::<V, 1>(block, start, p),
            2 => solve_block::<V, 2>(block, start, p),
            3 => solve_block::<V, 3>(block, start, p),
            4 => solve_block::<V, 4>(block, start, p),
            5 => solve_block::<V, 5>(block, start, p),
            _ => solve_block::<V, BLOCK_ROWS>(block, start, p),
        }
        block = block.add(BLOCK_ROWS * (start + BLOCK_ROWS));
    }
}

/// Equations start..start + ROWS of a panel: their right-hand sides plus the products
/// with unknowns 0..start (already solved), then their own triangle, each unknown
/// divided by its diagonal coefficient once the terms before it are in.
#[inline(always)]
unsafe fn solve_block<V: Vector, const ROWS: usize>(
    block: *const V::R,
    start: usize,
    p: *mut V::R,
) {
    let lanes = V::LANES;
    let width = 2 * lanes;
    let row = |i: usize| p.add(i * width);
    let mut acc = [[V::splat(V::R::zero()); 2]; ROWS];
    for (r, acc) in acc.iter_mut().enumerate() {
        acc[0] = V::load::<false>(row(start + r), lanes);
        acc[1] = V::load::<false>(row(start + r).add(lanes), lanes);
    }
    for l in 0..start {
        let x = [
            V::load::<false>(row(l), lanes),
            V::load::<false>(row(l).add(lanes), lanes),
        ];
        let terms = block.add(l * BLOCK_ROWS);
        for (r, acc) in acc.iter_mut().enumerate() {
            let f = V::splat(*terms.add(r));
            acc[0] = acc[0].add_product_fused(f, x[0]);
            acc[1] = acc[1].add_product_fused(f, x[1]);
        }
    }
    let square = block.add(start * BLOCK_ROWS);
    for r in 0..ROWS {
        let (solved, rest) = acc.split_at_mut(r);
        let unknown = &mut rest[0];
        for (q, x) in solved.iter().enumerate() {
            let f = V::splat(*square.add(q * BLOCK_ROWS + r));
            unknown[0] = unknown[0].add_product_fused(f, x[0]);
            unknown[1] = unknown[1].add_product_fused(f, x[1]);
        }
        let d = V::splat(*square.add(r * BLOCK_ROWS + r));
        unknown[0] = unknown[0].div(d);
        unknown[1] = unknown[1].div(d);
    }
    for (r, acc) in acc.iter().enumerate() {
        acc[0].store::<false>(row(start + r), lanes);
        acc[1].store::<false>(row(start + r).add(lanes), lanes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::reals;
    use crate::scalar::num_traits_lite::Float;

    /// Every side, triangle, transpose and diagonal on orders around the block height
    /// and right-hand-side counts around the panel width, A and B with room beyond their
    /// rows: against substitution in f64 on the explicit op(A), with NaN outside A's
    /// triangle (and on a unit diagonal) and in B's padding, which must stay untouched.
    fn check<T: Scalar + Float>(tol: f64) {
        // The AVX2 kernels, also on machines that would not choose them.
        if !(is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")) {
            return;
        }
        let kernel = kernel_for::<T>(crate::simd::Level::Avx2).unwrap();
        let mut forms = Vec::new();
        for side in [Side::Left, Side::Right] {
            for uplo in [Uplo::Lower, Uplo::Upper] {
                for trans in [Trans::No, Trans::Trans, Trans::ConjTrans] {
                    for diag in [Diag::Unit, Diag::NonUnit] {
                        forms.push((side, uplo, trans, diag));
                    }
                }
            }
        }
        let mut seed = 1;
        for order in [1, 2, 5, 6, 7, 12, 13, 31, 64, 127, 128] {
            for rhs in [1, 3, 8, 9, 16, 17, 33] {
                for &(side, uplo, trans, diag) in &forms {
                    seed += 1;
                    let (m, n) = if side == Side::Left {
                        (order, rhs)
                    } else {
                        (rhs, order)
                    };
                    let (lda, ldb) = (order + 2, m + 3);
                    let nan = f64::NAN;
                    // A: a triangle near the identity times 4, entries in [-0.125, 0.125).
                    let values = reals(lda * order, seed);
                    let mut a = vec![nan; lda * order];
                    for j in 0..order {
                        for i in 0..order {
                            let inside = if uplo == Uplo::Lower { i >= j } else { i <= j };
                            if i == j && diag == Diag::NonUnit {
                                a[i + j * lda] = 4.0 + values[i + j * lda];
                            } else if inside && i != j {
                                a[i + j * lda] = 0.25 * values[i + j * lda];
                            }
                        }
                    }
                    let entry = |i: usize, j: usize| {
                        let inside = if uplo == Uplo::Lower { i >= j } else { i <= j };
                        match (i == j, inside, diag) {
                            (true, _, Diag::Unit) => 1.0,
                            (_, true, _) => a[i + j * lda],
                            _ => 0.0,
                        }
                    };
                    let op = |i: usize, j: usize| {
                        if trans == Trans::No {
                            entry(i, j)
                        } else {
                            entry(j, i)
                        }
                    };
                    let b_values = reals(ldb * n, seed + 1000);
                    let mut b = vec![nan; ldb * n];
                    for j in 0..n {
                        for i in 0..m {
                            b[i + j * ldb] = b_values[i + j * ldb];
                        }
                    }
                    let alpha = -1.5;
                    // The reference: op(A) X = alpha B (left) or X op(A) = alpha B by
                    // substitution, unknowns in dependency order.
                    let mut want = vec![0.0; m * n];
                    let lower = (uplo == Uplo::Lower) == (trans == Trans::No);
                    let forward = lower == (side == Side::Left);
                    let sequence: Vec<usize> = if forward {
                        (0..order).collect()
                    } else {
                        (0..order).rev().collect()
                    };
                    for r in 0..rhs {
                        for (step, &k) in sequence.iter().enumerate() {
                            let (bi, coef): (f64, Box<dyn Fn(usize) -> f64>) = match side {
                                Side::Left => (b[k + r * ldb], Box::new(|l| op(k, l))),
                                Side::Right => (b[r + k * ldb], Box::new(|l| op(l, k))),
                            };
                            let mut s = alpha * bi;
                            for &l in &sequence[..step] {
                                let x = if side == Side::Left {
                                    want[l + r * m]
                                } else {
                                    want[r + l * m]
                                };
                                s -= coef(l) * x;
                            }
                            let x = s / coef(k);
                            if side == Side::Left {
                                want[k + r * m] = x;
                            } else {
                                want[r + k * m] = x;
                            }
                        }
                    }
                    let at = |v: &[f64]| v.iter().map(|&x| T::from_f64(x)).collect::<Vec<T>>();
                    let (a_t, mut b_t) = (at(&a), at(&b));
                    let args = TrsmArgs::new(
                        (side, uplo, trans, diag),
                        (m, n),
                        T::from_f64(alpha),
                        (a_t.as_ptr(), lda),
                        (b_t.as_mut_ptr(), ldb),
                    );
                    unsafe { solve_with(&args, kernel) };
                    for j in 0..n {
                        for i in 0..ldb {
                            let got = b_t[i + j * ldb].to_f64();
                            let what = format!("{side:?} {uplo:?} {trans:?} {diag:?} order {order} rhs {rhs} ({i}, {j})");
                            if i >= m {
                                assert!(got.is_nan(), "padding written: {what}");
                            } else {
                                let w = want[i + j * m];
                                assert!(
                                    (got - w).abs() <= tol * (1.0 + w.abs()),
                                    "{what}: {got} against {w}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_form_matches_substitution() {
        check::<f64>(1e-13);
        check::<f32>(1e-5);
    }
}
