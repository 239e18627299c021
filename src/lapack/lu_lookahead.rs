//! GETRF across threads on the CPU: LAPACK's blocked right-looking LU with a look-ahead
//! of one panel. In each step the calling thread updates the next panel's columns and
//! factors that panel (the part of LU no other thread can share) while the other threads
//! apply the current panel to the rest of the matrix in column chunks they claim one at
//! a time; the caller claims chunks too once its panel is done. Nobody waits on work that
//! has not started, so a busy pool only costs speed. The panel's L21 is packed once for
//! the blocked kernel and shared by every chunk's product.
//!
//! The recursive [`lu::getrf`](crate::lapack::lu::getrf) leaves one thread idle while a
//! narrow panel is factored and spends its last levels in thin products; this one keeps
//! both busy. It records the same row interchanges LAPACK's callers expect; the columns
//! of L take the later panels' interchanges at the end, one pass each.

use crate::blas::args::{Diag, GemmArgs, Side, Trans, Uplo};
use crate::blas::gemm_blocked::{self, PackedA};
use crate::blas::level3::{self, Order};
use crate::lapack::lu;
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;
use crate::threads;
use parking_lot::Mutex;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Whether an m x n GETRF should run here rather than in the recursive form: more than
/// one thread to keep busy, big enough for panels, and not a product the router would
/// send to the device (the recursive form's large GEMMs suit it better).
pub fn serves<T: Scalar>(m: usize, n: usize) -> bool {
    let k = m.min(n);
    if k < MIN_ORDER || !threads::pool_available() {
        return false;
    }
    let top_update = (m - k / 2, n - k / 2, k / 2);
    crate::route::cpu_only(top_update).is_some()
        || !crate::route::decide_gemm::<T>(top_update).0.ran_on_device()
}

/// Below this order the recursive form's few calls cost less than the steps' hand-offs.
const MIN_ORDER: usize = 256;

/// Columns of a panel: wider panels make the trailing products deeper (faster per flop)
/// and the serial panel longer.
fn panel_width(k: usize) -> usize {
    match k {
        0..1024 => 64,
        1024..3072 => 128,
        _ => 256,
    }
}

/// Columns a thread claims at a time: few enough that the threads finish a step
/// together, enough that each product keeps the kernel busy. A chunk's interchanges,
/// triangular solve and product run back to back, while its columns are in cache.
fn chunk_width(panel_width: usize) -> usize {
    (panel_width / 2).max(64)
}

/// A matrix in caller memory that the parts of one step share: each part writes only
/// the columns it claimed (the caller: the next panel's).
#[derive(Clone, Copy)]
struct Shared<T>(RawMat<T>);
unsafe impl<T> Send for Shared<T> {}
unsafe impl<T> Sync for Shared<T> {}

impl<T: Scalar> Shared<T> {
    /// The matrix (a method, so that closures capture the Sync wrapper, not the field).
    fn get(&self) -> RawMat<T> {
        self.0
    }
}

/// [`lu::getrf`]'s contract, computed in steps of one panel.
///
/// # Safety
/// `a` valid for m x n; `pivots` has min(m, n) entries.
pub unsafe fn getrf<T: Scalar>(m: usize, n: usize, a: RawMat<T>, pivots: &mut [usize]) -> usize {
    let k = m.min(n);
    let nb = panel_width(k);
    let panels: Vec<Range<usize>> = (0..k).step_by(nb).map(|j| j..(j + nb).min(k)).collect();
    let a = Shared(a);
    let mut info = threads::sequential(|| factor_panel(m, a.get(), panels[0].clone(), pivots));
    // The current panel's L21, packed once for every chunk's product, and the memory the
    // next panel's is packed into.
    let mut packed = PackedA::default();
    let mut is_packed = pack_below(m, a.get(), &panels[0], &mut packed);
    let mut spare = PackedA::default();
    for (p, panel) in panels.iter().enumerate() {
        let next = panels.get(p + 1).cloned();
        let next_panel = Mutex::new(NextPanel {
            pivots: vec![0; next.as_ref().map_or(0, |c| c.len())],
            info: 0,
            packed: std::mem::take(&mut spare),
            is_packed: false,
        });
        let rest = next.as_ref().map_or(panel.end, |next| next.end)..n;
        let step = Step {
            a,
            m,
            panel: panel.clone(),
            pivots: &pivots[panel.clone()],
            packed: is_packed.then_some(&packed),
        };
        let chunks = Claims::new(split(rest, chunk_width(nb)));
        threads::run_parts(threads::count(), &|part| {
            threads::sequential(|| {
                if part == 0 {
                    if let Some(next) = next.clone() {
                        step.apply(next.clone());
                        let slot = &mut *next_panel.lock();
                        slot.info = factor_panel(m, step.a.get(), next.clone(), &mut slot.pivots);
                        slot.is_packed = pack_below(m, step.a.get(), &next, &mut slot.packed);
                    }
                }
                chunks.run(|cols| step.apply(cols));
            })
        });
        let done = next_panel.into_inner();
        if let Some(next) = next {
            pivots[next].copy_from_slice(&done.pivots);
            if info == 0 {
                info = done.info;
            }
        }
        spare = std::mem::replace(&mut packed, done.packed);
        is_packed = done.is_packed;
    }
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

/// What the calling thread produces for the next step while the others work on this one.
struct NextPanel<T> {
    pivots: Vec<usize>,
    info: usize,
    packed: PackedA<T>,
    is_packed: bool,
}

/// Packs `panel`'s columns of L below it (L21) for the blocked kernel; false where the
/// kernel does not serve T or the rows are too few to be worth it.
unsafe fn pack_below<T: Scalar>(
    m: usize,
    a: RawMat<T>,
    panel: &Range<usize>,
    packed: &mut PackedA<T>,
) -> bool {
    let rows = m - panel.end;
    rows >= MIN_PACKED_ROWS
        && packed.pack(
            Trans::No,
            (rows, panel.len()),
            a.at(panel.end, panel.start).arg_const(),
        )
}

/// Fewer rows below a panel than this go to `gemm_cpu` unpacked.
const MIN_PACKED_ROWS: usize = 64;

/// Factors the columns `panel` from their diagonal down (rows panel.start..m) and
/// writes their pivots (absolute rows) into `pivots`, whose first entry is the panel's.
/// Returns INFO for the whole matrix: 0, or the 1-based column of the first exact zero.
unsafe fn factor_panel<T: Scalar>(
    m: usize,
    a: RawMat<T>,
    panel: Range<usize>,
    pivots: &mut [usize],
) -> usize {
    let j = panel.start;
    let pivots = &mut pivots[..panel.len()];
    let info = lu::getrf(m - j, panel.len(), a.at(j, j), pivots);
    for p in pivots.iter_mut() {
        *p += j;
    }
    if info == 0 {
        0
    } else {
        info + j
    }
}

/// One step: the factored `panel` applied to the columns right of it.
struct Step<'a, T> {
    a: Shared<T>,
    m: usize,
    panel: Range<usize>,
    /// The panel's pivots (absolute rows).
    pivots: &'a [usize],
    /// L21 packed for the blocked kernel, when it serves.
    packed: Option<&'a PackedA<T>>,
}

impl<T: Scalar> Step<'_, T> {
    /// The panel on the columns `cols`: its interchanges, then their rows of U
    /// (L11 U12 = A12), then the rows below (A22 -= L21 U12).
    unsafe fn apply(&self, cols: Range<usize>) {
        let (a, j, width) = (self.a.get(), self.panel.start, self.panel.len());
        lu::swap_rows(cols.len(), a.at(0, cols.start), self.pivots, j);
        level3::trsm_cpu(
            Order::Any,
            Side::Left,
            Uplo::Lower,
            Trans::No,
            Diag::Unit,
            (width, cols.len()),
            T::one(),
            a.at(j, j).arg_const(),
            a.at(j, cols.start).arg(),
        );
        let below = self.panel.end;
        let dims = (self.m - below, cols.len(), width);
        let (l21, u12, a22) = (a.at(below, j), a.at(j, cols.start), a.at(below, cols.start));
        if let Some(packed) = self.packed {
            let args = GemmArgs::new(
                (Trans::No, Trans::No),
                dims,
                -T::one(),
                l21.arg_const(),
                u12.arg_const(),
                T::one(),
                a22.arg(),
            );
            if gemm_blocked::gemm_packed_a(&args, packed) {
                return;
            }
        }
        level3::gemm_cpu(
            Order::Any,
            Trans::No,
            Trans::No,
            dims,
            -T::one(),
            l21.arg_const(),
            u12.arg_const(),
            T::one(),
            a22.arg(),
        );
    }
}

/// Pieces of work handed out one at a time to whichever thread asks.
struct Claims<W> {
    work: Vec<W>,
    next: AtomicUsize,
}

impl<W: Clone> Claims<W> {
    fn new(work: Vec<W>) -> Self {
        Claims {
            work,
            next: AtomicUsize::new(0),
        }
    }

    /// Runs `f` on pieces until none is left.
    fn run(&self, f: impl Fn(W)) {
        while let Some(piece) = self.work.get(self.next.fetch_add(1, Ordering::Relaxed)) {
            f(piece.clone());
        }
    }
}

/// `range` in consecutive pieces of about `size` (none when it is empty).
fn split(range: Range<usize>, size: usize) -> Vec<Range<usize>> {
    let pieces = range.len().div_ceil(size);
    (0..pieces)
        .map(|i| {
            range.start + range.len() * i / pieces..range.start + range.len() * (i + 1) / pieces
        })
        .collect()
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
    fn factors_like_lapack_on_one_thread() {
        threads::sequential(|| factors_like_lapack::<f64>(&SHAPES));
    }
}
