//! Two matrix-vector products from one sweep of A, the second's weights made column by
//! column from the first's results: s_j = a_j^H x, w_j from s_j, then z += A w. xLABRD
//! makes such a pair every column (Y's column is A^H v; the next reflector u, whose
//! product A u is X's column, is the row updated by Y's column), and each product
//! alone reads a trailing matrix larger than the caches from memory. Here a block of
//! columns is read from memory once for its dot products and again from L2 for its
//! share of z (the fused operators of Howell et al., "Cache efficient bidiagonalization
//! using BLAS 2.5 operators", 2008).

use crate::blas::args::Trans;
use crate::blas::level2::{self, gemv_rows};
use crate::scalar::Scalar;
use crate::threads;

/// Columns whose dot products are finished before their axpys start: 16 columns of 4096
/// doubles (512 KiB) stay in a 1 MiB L2 between the two reads.
const BLOCK: usize = 16;

/// The fewest matrix elements a part of the sweep may have (about 10 us of work).
const PART_ELEMENTS: usize = 1 << 15;

/// The most parts a sweep is cut into, whatever the threads: each part past the first
/// costs a vector of m to clear and add. dgelsd 2048 on 2 threads, five rounds: 8 parts
/// 0.489-0.495 s, 16 parts 0.501-0.512, two parts (one a thread) 0.484-0.503.
const MAX_PARTS: usize = 8;

/// For each column block of the `m x n` matrix A at `a` (leading dimension `ld`): s =
/// A_block^H x, then `weights(j0, s)` turns s (the block's from column j0) into its
/// weights w in place, then z += A_block(skip.., :) w. `weights` sees every column once,
/// possibly on another thread, blocks of one part in order.
///
/// The columns are cut into parts fixed by the shape, each adding into its own vector,
/// those summed in part order: z has the same bits on any number of threads (so has the
/// bidiagonal form xGEBRD builds on it).
///
/// `partial` is scratch space for the parts' vectors, kept by a caller that sweeps
/// again (allocated afresh for every column, dgelsd 2048 took about 3% longer).
///
/// # Safety
/// `a` valid for the matrix; `x.len() == m`, `z.len() == m - skip`.
pub unsafe fn dots_then_axpys<T: Scalar>(
    (a, ld): (*const T, usize),
    (m, n): (usize, usize),
    x: &[T],
    skip: usize,
    weights: &(dyn Fn(usize, &mut [T]) + Sync),
    z: &mut [T],
    partial: &mut Vec<T>,
) {
    debug_assert!(x.len() == m && z.len() == m - skip);
    let parts = part_count(m, n);
    let rows = z.len();
    // Part 0 adds into z, the others into their own rows of `partial`, summed at the end.
    partial.clear();
    partial.resize(rows * (parts - 1), T::zero());
    let (a, z_at, partial_at) = (
        a as usize,
        z.as_mut_ptr() as usize,
        partial.as_mut_ptr() as usize,
    );
    let cut = |p: usize| (n * p / parts).next_multiple_of(4).min(n);
    let part = |p: usize| {
        let into = if p == 0 {
            z_at as *mut T
        } else {
            (partial_at as *mut T).add((p - 1) * rows)
        };
        // Each part writes only its own vector.
        let into = std::slice::from_raw_parts_mut(into, rows);
        let cols = cut(p)..cut(p + 1);
        sweep_columns((a as *const T, ld), m, cols, x, skip, weights, into);
    };
    threads::run_in_runs(parts, &part);
    for share in partial.chunks_exact(rows.max(1)) {
        for (zi, &si) in z.iter_mut().zip(share) {
            *zi += si;
        }
    }
}

/// How many parts the sweep of an `m x n` matrix is cut into.
fn part_count(m: usize, n: usize) -> usize {
    (m.saturating_mul(n) / PART_ELEMENTS).clamp(1, MAX_PARTS)
}

/// [`dots_then_axpys`] for the columns `cols` on the calling thread.
unsafe fn sweep_columns<T: Scalar>(
    (a, ld): (*const T, usize),
    m: usize,
    cols: std::ops::Range<usize>,
    x: &[T],
    skip: usize,
    weights: &(dyn Fn(usize, &mut [T]) + Sync),
    z: &mut [T],
) {
    let kernel = level2::transposed_kernel::<T>(m);
    let mut s = [T::zero(); BLOCK];
    let mut j0 = cols.start;
    while j0 < cols.end {
        let width = BLOCK.min(cols.end - j0);
        let s = &mut s[..width];
        s.fill(T::zero());
        let block = a.add(j0 * ld);
        level2::transposed_columns(
            kernel,
            Trans::ConjTrans,
            (block as *mut T, ld),
            m,
            T::one(),
            x,
            s,
        );
        weights(j0, s);
        gemv_rows(block.add(skip), ld as isize, width, T::one(), s, z);
        j0 += width;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::c64;
    use crate::scalar::num_traits_lite::Float;

    /// Against the two products made one after the other, on one thread and on the
    /// pool's, for shapes of partial blocks and parts.
    fn agrees<T: Scalar>(m: usize, n: usize, skip: usize) {
        let a = values::<T>(m * n, 1);
        let x = values::<T>(m, 2);
        let shift = values::<T>(n, 3);
        let col = |j: usize| &a[j * m..(j + 1) * m];
        let s: Vec<T> = (0..n)
            .map(|j| {
                col(j)
                    .iter()
                    .zip(&x)
                    .fold(T::zero(), |t, (&p, &q)| t + p.conj() * q)
            })
            .collect();
        let w: Vec<T> = s.iter().zip(&shift).map(|(&sj, &c)| sj * c - c).collect();
        let mut expected = vec![T::zero(); m - skip];
        for (j, &wj) in w.iter().enumerate() {
            for (e, &p) in expected.iter_mut().zip(&col(j)[skip..]) {
                *e += p * wj;
            }
        }
        let seen: Vec<std::sync::atomic::AtomicUsize> = (0..n)
            .map(|_| std::sync::atomic::AtomicUsize::new(0))
            .collect();
        let mut z = vec![T::zero(); m - skip];
        unsafe {
            dots_then_axpys(
                (a.as_ptr(), m),
                (m, n),
                &x,
                skip,
                &|j0, s| {
                    for (k, v) in s.iter_mut().enumerate() {
                        seen[j0 + k].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        *v = *v * shift[j0 + k] - shift[j0 + k];
                    }
                },
                &mut z,
                &mut Vec::new(),
            );
        }
        assert!(seen
            .iter()
            .all(|c| c.load(std::sync::atomic::Ordering::Relaxed) == 1));
        let scale = (m * n) as f64 * 4.0 * T::RealPart::epsilon().to_f64();
        for (i, (&got, &want)) in z.iter().zip(&expected).enumerate() {
            let err = (got - want).abs1().to_f64();
            assert!(
                err <= scale * (1.0 + want.abs1().to_f64()),
                "{m}x{n} skip {skip} row {i}: {err}"
            );
        }
    }

    /// xGEBRD's bidiagonal form must not change with the thread count.
    #[test]
    fn same_bits_on_any_number_of_threads() {
        fn on_threads<T: Scalar>(m: usize, n: usize) {
            assert!(part_count(m, n) > 2, "{m} x {n}: too few parts to share");
            let a = values::<T>(m * n, 8);
            let x = values::<T>(m, 9);
            let run = || {
                let mut z = values::<T>(m - 1, 10);
                let halve = |_: usize, s: &mut [T]| {
                    for v in s.iter_mut() {
                        *v *= T::from_f64_lossy(0.5);
                    }
                };
                unsafe {
                    dots_then_axpys(
                        (a.as_ptr(), m),
                        (m, n),
                        &x,
                        1,
                        &halve,
                        &mut z,
                        &mut Vec::new(),
                    )
                };
                z
            };
            let many = run();
            let one = threads::sequential(run);
            assert!(many == one, "{m} x {n}: bits differ with the thread count");
        }
        on_threads::<f64>(700, 301);
        on_threads::<c64>(523, 250);
    }

    #[test]
    fn one_sweep_gives_both_products() {
        for (m, n, skip) in [
            (1, 1, 0),
            (5, 3, 1),
            (40, 17, 1),
            (300, 200, 1),
            (1000, 90, 3),
        ] {
            agrees::<f64>(m, n, skip);
            agrees::<c64>(m, n, skip);
            agrees::<f32>(m, n, skip);
        }
    }
}
