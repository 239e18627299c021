//! TRMV and TRSV on a full triangle (x := op(A) x, x := op(A)^-1 x), blocked so that all
//! but the diagonal blocks run on the GEMV kernels, on several threads.
//!
//! op(A) = A: the reference sweeps A column by column, so each x(i) gets its terms one
//! column at a time in the sweep's column order (ascending or descending). The blocks
//! keep that order: a diagonal block is the column sweep itself, and the rest of a row's terms come
//! from GEMV's column loop (`level2::gemv_plain_split`, each term rounded as the reference
//! rounds it), on a negative column stride where the sweep runs backwards. So every x(i)
//! has the sweep's bits, whatever the order n, the block size or the threads. (Only the
//! sign of a zero may differ in complex arithmetic: GEMV forms its factor as alpha * x(j)
//! with alpha = 1 or -1, whose zero imaginary part can change -0 into +0.)
//!
//! op(A) = A^T or A^H: each x(j) is its diagonal block's sweep plus the transposed GEMV
//! kernel's sum over the rest of its column (not the reference's order, as that kernel's
//! sums are not; the same on any number of threads).

use crate::blas::args::{Trans, Uplo};
use crate::blas::level2::{gemv_plain_split, gemv_rows, mv_transposed_split};
use crate::blas::level2::{triangular_multiply, triangular_solve};
use crate::blas::level2::{Storage, GEMV_PARALLEL_ELEMENTS};
use crate::blas::transposed_mv;
use crate::scalar::Scalar;

/// Order of a diagonal block (swept column by column).
const BLOCK: usize = 64;

/// From this order the blocked form runs; below it the sweep alone.
pub(super) const BLOCKED_FROM: usize = 2 * BLOCK;

/// The full triangle `uplo` of the order-n matrix at `ptr` (leading dimension `ld`).
#[derive(Clone, Copy)]
pub(super) struct Triangle<T> {
    pub ptr: *mut T,
    pub ld: usize,
    pub uplo: Uplo,
}

// Threads only read A; each writes its own entries of x.
unsafe impl<T: Sync> Sync for Triangle<T> {}

/// Block b's rows or columns in an order-n triangle.
fn block_range(b: usize, n: usize) -> (usize, usize) {
    (b * BLOCK, ((b + 1) * BLOCK).min(n))
}

/// The block a sweep takes at `step`: forwards (block `step`) or backwards.
fn block_at(step: usize, blocks: usize, forwards: bool) -> usize {
    if forwards {
        step
    } else {
        blocks - 1 - step
    }
}

impl<T: Scalar> Triangle<T> {
    /// The diagonal block of rows and columns `start..start + order`: the same triangle.
    fn diagonal_block(&self, start: usize, order: usize) -> Storage<T> {
        Storage::Full {
            ptr: unsafe { self.ptr.add(start + start * self.ld) },
            ld: self.ld,
            m: order,
            uplo: Some(self.uplo),
        }
    }

    /// Address of element (i, j).
    fn at(&self, i: usize, j: usize) -> *const T {
        unsafe { self.ptr.add(i + j * self.ld) }
    }

    /// GEMV's operands for columns j0..j1 from row `first_row` on, taken in ascending
    /// order (`forwards`) or descending: the matrix (its first column and column stride)
    /// and the columns' factors `x_block`, in `buffer` reversed where descending.
    fn columns_in_order<'a>(
        &self,
        first_row: usize,
        (j0, j1): (usize, usize),
        forwards: bool,
        x_block: &'a [T],
        buffer: &'a mut [T; BLOCK],
    ) -> ((*const T, isize), &'a [T]) {
        if forwards {
            return ((self.at(first_row, j0), self.ld as isize), x_block);
        }
        let reversed = &mut buffer[..j1 - j0];
        reversed
            .iter_mut()
            .zip(x_block.iter().rev())
            .for_each(|(r, &v)| *r = v);
        ((self.at(first_row, j1 - 1), -(self.ld as isize)), reversed)
    }
}

/// x := A * x (TRMV, op(A) = A), x.len() = n >= 1: the reference's column sweep, a
/// diagonal block at a time, with the rows shared among the threads (equal areas, whole
/// blocks): each thread runs every block's GEMV on its rows and the diagonal blocks in
/// them, so nothing waits between blocks. Every GEMV reads x's original values.
///
/// # Safety
/// `a` valid for the order-n triangle; x disjoint from A.
pub(super) unsafe fn multiply<T: Scalar>(a: Triangle<T>, nounit: bool, x: &mut [T]) {
    let n = x.len();
    let original = x.to_vec();
    let blocks = n.div_ceil(BLOCK);
    // Row block r reaches these columns.
    let cuts = shares(blocks, |r| match a.uplo {
        Uplo::Upper => n - r * BLOCK,
        Uplo::Lower => ((r + 1) * BLOCK).min(n),
    });
    let uplo = a.uplo;
    // Upper: blocks forwards, columns ascending; Lower: backwards, descending.
    let forwards = uplo == Uplo::Upper;
    // The threads get x's address as a number (raw pointers are not Sync).
    let x_start = x.as_mut_ptr() as usize;
    crate::threads::run_parts(cuts.len() - 1, &|p| {
        let owned = cuts[p] * BLOCK..(cuts[p + 1] * BLOCK).min(n);
        // SAFETY: the parts' rows are disjoint.
        let rows = |r: std::ops::Range<usize>| {
            std::slice::from_raw_parts_mut((x_start as *mut T).add(r.start), r.len())
        };
        let mut buffer = [T::zero(); BLOCK];
        for step in 0..blocks {
            let (j0, j1) = block_range(block_at(step, blocks, forwards), n);
            let far = match uplo {
                Uplo::Upper => owned.start..j0.min(owned.end),
                Uplo::Lower => j1.max(owned.start)..owned.end,
            };
            if !far.is_empty() {
                let x_block = &original[j0..j1];
                let (matrix, factors) =
                    a.columns_in_order(far.start, (j0, j1), forwards, x_block, &mut buffer);
                gemv_rows(matrix.0, matrix.1, j1 - j0, T::one(), factors, rows(far));
            }
            if owned.contains(&j0) {
                let diagonal = a.diagonal_block(j0, j1 - j0);
                triangular_multiply(uplo, false, false, nounit, diagonal, rows(j0..j1));
            }
        }
    });
}

/// The threads' shares of `blocks` blocks of BLOCK rows (or columns), `width(b)` elements
/// each of block b's rows: part p takes blocks cuts[p]..cuts[p + 1], of about equal areas.
fn shares(blocks: usize, width: impl Fn(usize) -> usize) -> Vec<usize> {
    let total: usize = (0..blocks).map(&width).sum();
    let parts = crate::threads::parts_for(total * BLOCK, GEMV_PARALLEL_ELEMENTS);
    // A block opens part p when the running area up to it passes p / parts of the total.
    let mut cuts = vec![0];
    let mut area = 0;
    for b in 0..blocks {
        area += width(b);
        while cuts.len() < parts && area > total * cuts.len() / parts {
            cuts.push(b + 1);
        }
    }
    cuts.resize(parts + 1, blocks);
    cuts
}

/// x := op(A) * x (TRMV, op(A) = A^T or, `conj`, A^H), x.len() = n >= 1, on the
/// transposed GEMV's register kernel: each x(j) is its diagonal block's column sweep
/// (the reference's order) plus the kernel's sum over the column's rows outside the
/// block, of x's original values. The column blocks are shared among the threads.
///
/// # Safety
/// As for [`multiply`].
pub(super) unsafe fn multiply_transposed<T: Scalar>(
    a: Triangle<T>,
    conj: bool,
    nounit: bool,
    kernel: transposed_mv::Kernel<T>,
    x: &mut [T],
) {
    let n = x.len();
    let original = x.to_vec();
    let blocks = n.div_ceil(BLOCK);
    // Column block c reaches these rows.
    let cuts = shares(blocks, |c| match a.uplo {
        Uplo::Upper => ((c + 1) * BLOCK).min(n),
        Uplo::Lower => n - c * BLOCK,
    });
    let (uplo, x_start) = (a.uplo, x.as_mut_ptr() as usize);
    crate::threads::run_parts(cuts.len() - 1, &|p| {
        for c in cuts[p]..cuts[p + 1] {
            let (j0, j1) = block_range(c, n);
            // SAFETY: the parts' column blocks, and so these entries of x, are disjoint.
            let block = std::slice::from_raw_parts_mut((x_start as *mut T).add(j0), j1 - j0);
            let diagonal = a.diagonal_block(j0, j1 - j0);
            triangular_multiply(uplo, true, conj, nounit, diagonal, block);
            let (first_row, x_far) = match uplo {
                Uplo::Upper => (0, &original[..j0]),
                Uplo::Lower => (j1, &original[j1..]),
            };
            if !x_far.is_empty() {
                kernel(a.at(first_row, j0), a.ld, T::one(), conj, x_far, block);
            }
        }
    });
}

/// x := op(A)^-1 * x (TRSV, op(A) = A^T or, `conj`, A^H), x.len() = n >= 1: column
/// blocks in the sweep's direction (forwards for Upper), each first less the transposed
/// GEMV of the solved entries outside it (the register kernel, shared among the threads
/// by columns), then solved by its diagonal block's column sweep.
///
/// # Safety
/// As for [`multiply`].
pub(super) unsafe fn solve_transposed<T: Scalar>(
    a: Triangle<T>,
    conj: bool,
    nounit: bool,
    kernel: transposed_mv::Kernel<T>,
    x: &mut [T],
) {
    let n = x.len();
    let trans = if conj { Trans::ConjTrans } else { Trans::Trans };
    let blocks = n.div_ceil(BLOCK);
    for step in 0..blocks {
        let (j0, j1) = block_range(block_at(step, blocks, a.uplo == Uplo::Upper), n);
        let (head, tail) = x.split_at_mut(j1);
        let (above, block) = head.split_at_mut(j0);
        let (first_row, solved) = match a.uplo {
            Uplo::Upper => (0, &*above),
            Uplo::Lower => (j1, &*tail),
        };
        if !solved.is_empty() {
            let matrix = (a.at(first_row, j0) as *mut T, a.ld);
            let shape = (solved.len(), j1 - j0);
            mv_transposed_split(Some(kernel), trans, matrix, shape, -T::one(), solved, block);
        }
        triangular_solve(
            a.uplo,
            true,
            conj,
            nounit,
            a.diagonal_block(j0, j1 - j0),
            block,
        );
    }
}

/// x := A^-1 * x (TRSV, op(A) = A), x.len() = n >= 1: the reference's column sweep, a
/// diagonal block at a time. A solved block's columns reach the rows on the triangle's
/// far side (below it for Lower, above for Upper) through one GEMV, shared among the
/// threads by rows; the blocks go forwards for Lower and backwards for Upper, and a
/// GEMV takes its columns in that direction too.
///
/// # Safety
/// As for [`multiply`].
pub(super) unsafe fn solve<T: Scalar>(a: Triangle<T>, nounit: bool, x: &mut [T]) {
    let n = x.len();
    let forwards = a.uplo == Uplo::Lower;
    let mut buffer = [T::zero(); BLOCK];
    let blocks = n.div_ceil(BLOCK);
    for step in 0..blocks {
        let (j0, j1) = block_range(block_at(step, blocks, forwards), n);
        let (head, tail) = x.split_at_mut(j1);
        let (above, block) = head.split_at_mut(j0);
        let (rows, first_row) = match a.uplo {
            Uplo::Lower => (tail, j1),
            Uplo::Upper => (above, 0),
        };
        triangular_solve(
            a.uplo,
            false,
            false,
            nounit,
            a.diagonal_block(j0, j1 - j0),
            block,
        );
        if rows.is_empty() {
            continue;
        }
        let shape = (rows.len(), j1 - j0);
        let (matrix, factors) =
            a.columns_in_order(first_row, (j0, j1), forwards, block, &mut buffer);
        gemv_plain_split(matrix, shape, -T::one(), factors, rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, c64};

    /// An order-n triangle `uplo` (leading dimension ld) with a dominant diagonal, the
    /// off-diagonal entries scaled by 1/n, and NaN outside the triangle.
    fn well_conditioned<T: Scalar>(n: usize, ld: usize, uplo: Uplo) -> Vec<T> {
        let mut a: Vec<T> = values(ld * n, n as u64 + 7);
        let scale = T::from_f64_lossy(1.0 / n as f64);
        for j in 0..n {
            for i in 0..n {
                let inside = match uplo {
                    Uplo::Upper => i <= j,
                    Uplo::Lower => i >= j,
                };
                a[i + j * ld] = match (i == j, inside) {
                    (true, _) => a[i + j * ld] + T::from_f64_lossy(1.5),
                    (false, true) => a[i + j * ld] * scale,
                    (false, false) => T::from_f64_lossy(f64::NAN),
                };
            }
        }
        a
    }

    /// The blocked forms' and the sweep's views of the triangle in `a`.
    fn views<T: Scalar>(a: &mut [T], n: usize, ld: usize, uplo: Uplo) -> (Triangle<T>, Storage<T>) {
        let ptr = a.as_mut_ptr();
        let whole = Storage::Full {
            ptr,
            ld,
            m: n,
            uplo: Some(uplo),
        };
        (Triangle { ptr, ld, uplo }, whole)
    }

    /// The blocked forms against the plain column sweep, bit for bit, on both triangles,
    /// unit and non-unit diagonals, orders around the block size, lda above the order,
    /// with NaN in the unreferenced triangle (which must not reach x).
    fn check<T: Scalar>() {
        for n in [
            BLOCKED_FROM,
            BLOCKED_FROM + 1,
            3 * BLOCK - 1,
            5 * BLOCK + 17,
        ] {
            let ld = n + 3;
            for uplo in [Uplo::Upper, Uplo::Lower] {
                for nounit in [true, false] {
                    let mut a = well_conditioned::<T>(n, ld, uplo);
                    let (triangle, whole) = views(&mut a, n, ld, uplo);
                    let x: Vec<T> = values(n, 3 * n as u64);
                    for solving in [false, true] {
                        let (mut want, mut got) = (x.clone(), x.clone());
                        unsafe {
                            if solving {
                                triangular_solve(uplo, false, false, nounit, whole, &mut want);
                                solve(triangle, nounit, &mut got);
                            } else {
                                triangular_multiply(uplo, false, false, nounit, whole, &mut want);
                                multiply(triangle, nounit, &mut got);
                            }
                        }
                        let bits = |v: &T| (v.re().to_f64().to_bits(), v.im().to_f64().to_bits());
                        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                            assert_eq!(
                                bits(g),
                                bits(w),
                                "n {n} {uplo:?} nounit {nounit} solve {solving} x({i})"
                            );
                            assert!(
                                !g.re().to_f64().is_nan() && !g.im().to_f64().is_nan(),
                                "NaN from the unreferenced triangle at x({i})"
                            );
                        }
                    }
                }
            }
        }
    }

    /// The transposed forms (A^T, A^H) against the column sweep, within n ulps of the
    /// entries' scale (the sums' order differs), on a well-conditioned triangle with NaN
    /// outside it; also the same bits on one thread and on several.
    fn check_transposed<T: Scalar>() {
        let Some(kernel) = transposed_mv::kernel_for::<T>() else {
            return;
        };
        let eps = <T::RealPart as Float>::epsilon().to_f64();
        for n in [BLOCKED_FROM, 3 * BLOCK - 1, 5 * BLOCK + 17] {
            let ld = n + 1;
            for uplo in [Uplo::Upper, Uplo::Lower] {
                let mut a = well_conditioned::<T>(n, ld, uplo);
                let (triangle, whole) = views(&mut a, n, ld, uplo);
                let x: Vec<T> = values(n, 5 * n as u64);
                for (conj, nounit, solving) in [
                    (false, true, false),
                    (true, false, false),
                    (false, true, true),
                    (true, true, true),
                ] {
                    let (mut want, mut got) = (x.clone(), x.clone());
                    unsafe {
                        if solving {
                            triangular_solve(uplo, true, conj, nounit, whole, &mut want);
                            solve_transposed(triangle, conj, nounit, kernel, &mut got);
                        } else {
                            triangular_multiply(uplo, true, conj, nounit, whole, &mut want);
                            multiply_transposed(triangle, conj, nounit, kernel, &mut got);
                        }
                    }
                    let size = want
                        .iter()
                        .map(|v| v.modulus().to_f64())
                        .fold(1.0, f64::max);
                    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                        let error = (*g - *w).modulus().to_f64();
                        assert!(
                            error <= 4.0 * n as f64 * eps * size,
                            "n {n} {uplo:?} conj {conj} solve {solving} x({i}): {error:e}"
                        );
                    }
                    // One thread gives the same bits.
                    let mut alone = x.clone();
                    crate::threads::sequential(|| unsafe {
                        match solving {
                            true => solve_transposed(triangle, conj, nounit, kernel, &mut alone),
                            false => {
                                multiply_transposed(triangle, conj, nounit, kernel, &mut alone)
                            }
                        }
                    });
                    let bits = |v: &T| (v.re().to_f64().to_bits(), v.im().to_f64().to_bits());
                    assert!(got.iter().zip(&alone).all(|(g, a)| bits(g) == bits(a)));
                }
            }
        }
    }

    #[test]
    fn transposed_blocks_match_the_sweep() {
        check_transposed::<f32>();
        check_transposed::<f64>();
        check_transposed::<c32>();
        check_transposed::<c64>();
    }

    #[test]
    fn blocks_have_the_column_sweeps_bits() {
        check::<f32>();
        check::<f64>();
        check::<c32>();
        check::<c64>();
    }
}
