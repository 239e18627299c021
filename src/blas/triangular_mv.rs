//! TRMV and TRSV with op(A) = A on a full triangle (x := A x, x := A^-1 x), blocked so
//! that all but the diagonal blocks run on the GEMV kernels, on several threads.
//!
//! The reference sweeps A column by column, so each x(i) gets its terms one column at a
//! time in the sweep's column order (ascending or descending). The blocks keep that
//! order: a diagonal block is the column sweep itself, and the rest of a row's terms come
//! from GEMV's column loop (`level2::gemv_plain_split`, each term rounded as the reference
//! rounds it), on a negative column stride where the sweep runs backwards. So every x(i)
//! has the sweep's bits, whatever the order n, the block size or the threads. (Only the
//! sign of a zero may differ in complex arithmetic: GEMV forms its factor as alpha * x(j)
//! with alpha = 1 or -1, whose zero imaginary part can change -0 into +0.)

use crate::blas::args::Uplo;
use crate::blas::level2::{gemv_plain_split, gemv_rows, triangular_multiply, triangular_solve};
use crate::blas::level2::{Storage, GEMV_PARALLEL_ELEMENTS};
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
    // Row block r's share of the triangle: the columns its rows reach.
    let width = |r: usize| match a.uplo {
        Uplo::Upper => n - r * BLOCK,
        Uplo::Lower => ((r + 1) * BLOCK).min(n),
    };
    let total: usize = (0..blocks).map(width).sum();
    let parts = crate::threads::parts_for(total * BLOCK, GEMV_PARALLEL_ELEMENTS);
    // Part p: row blocks [cut(p), cut(p + 1)); a block opens part p when the running
    // area up to it passes p / parts of the total.
    let cut = |p: usize| {
        let goal = total * p / parts;
        let mut area = 0;
        (0..blocks)
            .find(|&r| {
                area += width(r);
                area > goal
            })
            .unwrap_or(blocks)
    };
    // The threads get the addresses as numbers (raw pointers are not Sync).
    let (a_start, ld, uplo, x_start) = (a.ptr as usize, a.ld, a.uplo, x.as_mut_ptr() as usize);
    crate::threads::run_parts(parts, &|p| {
        let a = Triangle {
            ptr: a_start as *mut T,
            ld,
            uplo,
        };
        let owned = cut(p) * BLOCK..(cut(p + 1) * BLOCK).min(n);
        // SAFETY: the parts' rows are disjoint.
        let rows = |r: std::ops::Range<usize>| {
            std::slice::from_raw_parts_mut((x_start as *mut T).add(r.start), r.len())
        };
        let mut reversed = [T::zero(); BLOCK];
        for step in 0..blocks {
            // Upper: blocks forwards, columns ascending; Lower: backwards, descending.
            let b = if uplo == Uplo::Upper {
                step
            } else {
                blocks - 1 - step
            };
            let (j0, j1) = (b * BLOCK, ((b + 1) * BLOCK).min(n));
            let far = match uplo {
                Uplo::Upper => owned.start..j0.min(owned.end),
                Uplo::Lower => j1.max(owned.start)..owned.end,
            };
            if !far.is_empty() {
                let (i0, count) = (far.start, j1 - j0);
                if uplo == Uplo::Upper {
                    let matrix = a.at(i0, j0);
                    gemv_rows(
                        matrix,
                        ld as isize,
                        count,
                        T::one(),
                        &original[j0..j1],
                        rows(far),
                    );
                } else {
                    let reversed = &mut reversed[..count];
                    reversed
                        .iter_mut()
                        .zip(original[j0..j1].iter().rev())
                        .for_each(|(r, &v)| *r = v);
                    let matrix = a.at(i0, j1 - 1);
                    gemv_rows(matrix, -(ld as isize), count, T::one(), reversed, rows(far));
                }
            }
            if owned.contains(&j0) {
                let diagonal = a.diagonal_block(j0, j1 - j0);
                triangular_multiply(uplo, false, false, nounit, diagonal, rows(j0..j1));
            }
        }
    });
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
    let forward = a.uplo == Uplo::Lower;
    let mut reversed = [T::zero(); BLOCK];
    let blocks = n.div_ceil(BLOCK);
    for step in 0..blocks {
        let b = if forward { step } else { blocks - 1 - step };
        let (j0, j1) = (b * BLOCK, ((b + 1) * BLOCK).min(n));
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
        if forward {
            let matrix = (a.at(first_row, j0), a.ld as isize);
            gemv_plain_split(matrix, shape, -T::one(), block, rows);
        } else {
            let reversed = &mut reversed[..j1 - j0];
            reversed
                .iter_mut()
                .zip(block.iter().rev())
                .for_each(|(r, &v)| *r = v);
            let matrix = (a.at(first_row, j1 - 1), -(a.ld as isize));
            gemv_plain_split(matrix, shape, -T::one(), reversed, rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, c64};

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
                    let mut a: Vec<T> = values(ld * n, n as u64 + 7);
                    for j in 0..n {
                        // A diagonal that keeps the solve well conditioned.
                        a[j + j * ld] += T::from_f64_lossy(2.0);
                        for i in 0..n {
                            let outside = match uplo {
                                Uplo::Upper => i > j,
                                Uplo::Lower => i < j,
                            };
                            if outside {
                                a[i + j * ld] = T::from_f64_lossy(f64::NAN);
                            }
                        }
                    }
                    let triangle = Triangle {
                        ptr: a.as_mut_ptr(),
                        ld,
                        uplo,
                    };
                    let whole = Storage::Full {
                        ptr: a.as_mut_ptr(),
                        ld,
                        m: n,
                        uplo: Some(uplo),
                    };
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

    #[test]
    fn blocks_have_the_column_sweeps_bits() {
        check::<f32>();
        check::<f64>();
        check::<c32>();
        check::<c64>();
    }
}
