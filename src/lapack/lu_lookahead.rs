//! GETRF across threads on the CPU: LAPACK's blocked right-looking LU with a look-ahead
//! of one panel ([`lookahead::right_looking`]). A panel is factored by the recursive
//! form ([`lu::getrf_shared`]) on the calling thread, its products, the next panel's solve
//! and update and L21's packing shared through the step's desk with the threads that
//! have run out of chunks; its interchanges, rows of U and update reach each chunk
//! of later columns back to back, while the chunk is in cache; its L21 is packed once
//! for the blocked kernel and shared by every chunk's product. The columns of L take
//! the later panels' interchanges at the end, one pass each.
//!
//! The recursive form leaves one thread idle while a narrow panel is factored and
//! spends its last levels in thin products; this one keeps them busy. It records the
//! same row interchanges LAPACK's callers expect.

use crate::blas::args::{Diag, GemmArgs, Side, Trans, TrsmArgs, Uplo};
use crate::blas::gemm_blocked::PackedA;
use crate::lapack::lookahead::{self, Claims, Shared};
use crate::lapack::lu;
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;
use crate::threads;
use crate::threads::Desk;
use std::ops::Range;

/// Whether an m x n GETRF should run here rather than in the recursive form.
pub fn serves<T: Scalar>(m: usize, n: usize) -> bool {
    let k = m.min(n);
    // Any thread count: on the 16-core H100 host (16 threads) dgetrf took 1.01 / 1.13-1.29
    // / 1.45-1.86x OpenBLAS's time at 1024 / 2048 / 4096 against the recursive form's
    // 1.88 / 2.1 / 1.85x.
    lookahead::worth_it::<T>(k, (m - k / 2, n - k / 2, k / 2), usize::MAX)
}

/// From this order LU's panels are narrower on many threads ([`lookahead::panel_width`]):
/// its pivot searches and narrow solves make a long critical path (16-core Xeon, dgetrf
/// 2048 / 4096 with 64 / 128 columns 1.15-1.3x / 1.0-1.1x faster than 128 / 256).
const NARROW_FROM: usize = 1024;

/// A factored panel: its pivots (absolute rows), INFO for the matrix so far, and L21
/// packed for the blocked kernel (when it serves T and the rows are enough).
struct Panel<T> {
    pivots: Vec<usize>,
    info: usize,
    packed: PackedA<T>,
    is_packed: bool,
}

/// [`lu::getrf`]'s contract, computed in steps of one panel.
///
/// # Safety
/// `a` valid for m x n; `pivots` has min(m, n) entries.
pub unsafe fn getrf<T: Scalar>(m: usize, n: usize, a: RawMat<T>, pivots: &mut [usize]) -> usize {
    let k = m.min(n);
    let panels = lookahead::panels(k, lookahead::panel_width(k, NARROW_FROM));
    let a = Shared::new(a);
    let mut info = 0;
    lookahead::right_looking(
        &panels,
        n,
        |panel, spare, desk| factor(m, a.get(), panel, spare, desk),
        |panel, factored, cols, desk| apply(m, a.get(), panel, factored, cols, desk),
        |panel, factored| {
            pivots[panel.clone()].copy_from_slice(&factored.pivots);
            if info == 0 {
                info = factored.info;
            }
            true
        },
    );
    // Each panel's columns of L take the interchanges of the panels after it, all in one
    // pass over the column (rather than one pass a step).
    let pivots = &pivots[..];
    let left = Claims::new(panels[..panels.len() - 1].to_vec());
    threads::run_parts(threads::count(), &|_| {
        left.run(|panel| {
            lu::swap_rows(
                panel.len(),
                a.get().at(0, panel.start),
                &pivots[panel.end..k],
                panel.end,
            )
        })
    });
    info
}

/// Factors the columns `panel` from their diagonal down (rows panel.start..m) and packs
/// its L21; INFO for the whole matrix (0, or the 1-based column of an exact zero pivot).
unsafe fn factor<T: Scalar>(
    m: usize,
    a: RawMat<T>,
    panel: Range<usize>,
    spare: Option<Panel<T>>,
    desk: &Desk,
) -> Panel<T> {
    let j = panel.start;
    let mut pivots = vec![0; panel.len()];
    let info = match lu::getrf_shared(m - j, panel.len(), a.at(j, j), &mut pivots, desk) {
        0 => 0,
        info => info + j,
    };
    for p in &mut pivots {
        *p += j;
    }
    let mut packed = spare.map(|s| s.packed).unwrap_or_default();
    let rows = m - panel.end;
    let is_packed = rows >= MIN_PACKED_ROWS
        && packed.pack_in_blocks(
            Trans::No,
            (rows, panel.len()),
            a.at(panel.end, j).arg_const(),
            &|blocks, pack| desk.share(blocks, pack),
        );
    Panel {
        pivots,
        info,
        packed,
        is_packed,
    }
}

/// Fewer rows below a panel than this go to `gemm_cpu` unpacked.
const MIN_PACKED_ROWS: usize = 64;

/// The factored `panel` on the columns `cols`: its interchanges, then their rows of U
/// (L11 U12 = A12), then the rows below (A22 -= L21 U12).
unsafe fn apply<T: Scalar>(
    m: usize,
    a: RawMat<T>,
    panel: &Range<usize>,
    factored: &Panel<T>,
    cols: Range<usize>,
    desk: Option<&Desk>,
) {
    let (j, width) = (panel.start, panel.len());
    lu::swap_rows(cols.len(), a.at(0, cols.start), &factored.pivots, j);
    let solve = TrsmArgs::new(
        (Side::Left, Uplo::Lower, Trans::No, Diag::Unit),
        (width, cols.len()),
        T::one(),
        a.at(j, j).arg_const(),
        a.at(j, cols.start).arg(),
    );
    lookahead::shared_solve(desk, &solve);
    let below = panel.end;
    let args = GemmArgs::new(
        (Trans::No, Trans::No),
        (m - below, cols.len(), width),
        -T::one(),
        a.at(below, j).arg_const(),
        a.at(j, cols.start).arg_const(),
        T::one(),
        a.at(below, cols.start).arg(),
    );
    let packed = factored.is_packed.then_some(&factored.packed);
    lookahead::shared_product(desk, &args, packed, 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, c64};

    /// max |A - P L U| / (max(m, n) * max |A| * eps) for the factors `lu` of the m x n `a`
    /// (both with leading dimension `ld`): under 30 in Netlib's tests.
    fn residual<T: Scalar>(
        (m, n, ld): (usize, usize, usize),
        a: &[T],
        lu: &[T],
        pivots: &[usize],
    ) -> f64 {
        let k = m.min(n);
        let mut product = vec![T::zero(); m * n];
        for j in 0..n {
            for i in 0..m {
                let mut sum = T::zero();
                for l in 0..=i.min(j).min(k - 1) {
                    let lower = if l == i { T::one() } else { lu[i + l * ld] };
                    sum += lower * lu[l + j * ld];
                }
                product[i + j * m] = sum;
            }
        }
        for i in (0..k).rev() {
            for j in 0..n {
                product.swap(i + j * m, pivots[i] + j * m);
            }
        }
        let mut worst = 0.0f64;
        let mut largest = 0.0f64;
        for j in 0..n {
            for i in 0..m {
                worst = worst.max((product[i + j * m] - a[i + j * ld]).modulus().to_f64());
                largest = largest.max(a[i + j * ld].modulus().to_f64());
            }
        }
        worst / (m.max(n) as f64 * largest * T::RealPart::epsilon().to_f64())
    }

    /// Factors an m x n matrix (leading dimension m + 3, the padding must stay as it was)
    /// with column `zero_column` set to zero when given; returns the residual and INFO.
    fn factor<T: Scalar>(m: usize, n: usize, zero_column: Option<usize>) -> (f64, usize) {
        let ld = m + 3;
        let mut a = values::<T>(ld * n, (m * 7919 + n) as u64);
        if let Some(j) = zero_column {
            a[j * ld..j * ld + m].fill(T::zero());
        }
        let mut lu = a.clone();
        let mut pivots = vec![usize::MAX; m.min(n)];
        let info = unsafe { getrf(m, n, RawMat::new(lu.as_mut_ptr(), ld), &mut pivots) };
        for j in 0..n {
            assert_eq!(
                &lu[j * ld + m..(j + 1) * ld],
                &a[j * ld + m..(j + 1) * ld],
                "padding"
            );
        }
        assert!(
            pivots.iter().enumerate().all(|(i, &p)| p >= i && p < m),
            "{pivots:?}"
        );
        (residual((m, n, ld), &a, &lu, &pivots), info)
    }

    /// Square, tall, wide; panel and chunk edges that do not divide the sizes.
    const SHAPES: [(usize, usize); 3] = [(300, 300), (520, 300), (300, 520)];

    fn factors_like_lapack<T: Scalar>(shapes: &[(usize, usize)]) {
        for &(m, n) in shapes {
            let (residual, info) = factor::<T>(m, n, None);
            assert_eq!(info, 0, "{m}x{n}");
            assert!(residual < 30.0, "{m}x{n}: residual {residual}");
        }
        // An exact zero pivot in a later panel: INFO names its column, the rest still factors.
        let (residual, info) = factor::<T>(300, 300, Some(200));
        assert_eq!(info, 201);
        assert!(residual < 30.0, "singular: residual {residual}");
    }

    #[test]
    fn factors_like_lapack_in_every_precision() {
        // 1100 x 1030: the wider panels of larger orders.
        factors_like_lapack::<f64>(&[SHAPES[0], SHAPES[1], SHAPES[2], (1100, 1030)]);
        factors_like_lapack::<f32>(&SHAPES);
        factors_like_lapack::<c64>(&SHAPES);
        factors_like_lapack::<c32>(&SHAPES);
    }

    #[test]
    fn factors_like_lapack_with_the_panels_work_shared() {
        lookahead::with_helpers(|| {
            factors_like_lapack::<f64>(&[SHAPES[0], SHAPES[1], SHAPES[2], (1100, 1030)]);
            factors_like_lapack::<c32>(&SHAPES);
        });
    }

    #[test]
    fn factors_like_lapack_on_one_thread() {
        threads::sequential(|| factors_like_lapack::<f64>(&SHAPES));
    }
}
