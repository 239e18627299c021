//! Right-looking blocked factorizations across threads with a look-ahead of one panel
//! (LU, Cholesky, QR). In each step the calling thread brings the next panel up to date and
//! factors it (the part no other thread can share) while the other threads apply the
//! current panel to the columns after it, in chunks they claim one at a time; the caller
//! claims chunks too once its panel is done. Nobody waits on work that has not started,
//! so a busy pool (or none) only costs speed.

use crate::blas::args::GemmArgs;
use crate::blas::gemm_blocked::{self, PackedA};
use crate::blas::level3::{self, Order};
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;
use crate::threads;
use parking_lot::Mutex;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Whether a factorization of order `k` should take the threaded form: more than one
/// thread to keep busy (and not more than `max_threads`), enough panels; and not the
/// work the router would send to the device (the recursive forms' large updates suit it
/// better): `top_update` is the GEMM shape of their first level.
pub fn worth_it<T: Scalar>(
    k: usize,
    top_update: (usize, usize, usize),
    max_threads: usize,
) -> bool {
    if k < MIN_ORDER || !threads::pool_available() || threads::count() > max_threads {
        return false;
    }
    crate::route::cpu_only(top_update).is_some()
        || !crate::route::decide_gemm::<T>(top_update).0.ran_on_device()
}

/// Below this order the recursive forms' few calls cost less than the steps' hand-offs.
const MIN_ORDER: usize = 256;

/// Below this order Cholesky and QR run on the calling thread alone: their products are
/// too small to share. 2-core AMD EPYC, order 256, one thread against two: dpotrf 0.209 /
/// 0.270 ms, dgeqrf 1.20 / 1.30; at 384 two were faster (dpotrf 0.519 / 0.555). LU keeps
/// its threads (dgetrf 256 within the noise either way).
pub const ONE_THREAD_BELOW: usize = 320;

/// Whether a factorization of order `k` should move onto the calling thread alone
/// (below [`ONE_THREAD_BELOW`], and not there already): the caller then reruns itself
/// inside `threads::sequential`.
pub fn alone(k: usize) -> bool {
    k < ONE_THREAD_BELOW && !threads::sequential_here()
}

/// Columns of a panel: wider panels make the trailing products deeper (faster per flop)
/// and the serial panel longer.
pub fn panel_width(k: usize) -> usize {
    match k {
        0..1024 => 64,
        1024..3072 => 128,
        _ => 256,
    }
}

/// The panels of width [`panel_width`] covering 0..k.
pub fn panels(k: usize) -> Vec<Range<usize>> {
    let nb = panel_width(k);
    (0..k).step_by(nb).map(|j| j..(j + nb).min(k)).collect()
}

/// A matrix in caller memory that the parts of a step share: each part writes only the
/// columns it claimed (the caller: the next panel's).
#[derive(Clone, Copy)]
pub struct Shared<T>(RawMat<T>);
unsafe impl<T> Send for Shared<T> {}
unsafe impl<T> Sync for Shared<T> {}

impl<T: Scalar> Shared<T> {
    pub fn new(a: RawMat<T>) -> Self {
        Shared(a)
    }

    /// The matrix (a method, so that closures capture the Sync wrapper, not the field).
    pub fn get(&self) -> RawMat<T> {
        self.0
    }
}

/// Runs a factorization whose panels are `panels` over the columns 0..`columns`:
/// `factor(panel, spare)` factors a panel (its columns brought up to date; `spare` is an
/// earlier panel's result to reuse the memory of) and returns what the updates need;
/// `apply(panel, factored, cols)` applies a factored panel to the columns `cols` after
/// it; `finish(panel, factored)` sees each panel's result in order and returns false to
/// stop (no later panel is factored). Every call runs on one thread.
pub fn right_looking<F: Send + Sync>(
    panels: &[Range<usize>],
    columns: usize,
    factor: impl Fn(Range<usize>, Option<F>) -> F + Sync,
    apply: impl Fn(&Range<usize>, &F, Range<usize>) + Sync,
    mut finish: impl FnMut(&Range<usize>, &F) -> bool,
) {
    let Some(first) = panels.first() else {
        return;
    };
    let mut current = threads::sequential(|| factor(first.clone(), None));
    if !finish(first, &current) {
        return;
    }
    let mut spare = None;
    for (p, panel) in panels.iter().enumerate() {
        let next = panels.get(p + 1);
        let rest = next.map_or(panel.end, |next| next.end)..columns;
        let chunks = Claims::new(split(rest, chunk_width(panel.len()), panel.end));
        let next_factored = Mutex::new(spare.take());
        threads::run_parts(threads::count(), &|part| {
            threads::sequential(|| {
                if part == 0 {
                    if let Some(next) = next {
                        apply(panel, &current, next.clone());
                        let mut slot = next_factored.lock();
                        *slot = Some(factor(next.clone(), slot.take()));
                    }
                }
                chunks.run(|cols| apply(panel, &current, cols));
            })
        });
        let (Some(next), Some(factored)) = (next, next_factored.into_inner()) else {
            return;
        };
        spare = Some(std::mem::replace(&mut current, factored));
        if !finish(next, &current) {
            return;
        }
    }
}

/// One chunk's product on the calling thread: op(A) from the panel packed once (its rows
/// from `first_row`) when it was packed and the kernel can start a product there, else
/// packed by the product itself.
///
/// # Safety
/// As for `level3::gemm`; `packed` holds op(A) of `args` from `first_row` on.
pub unsafe fn product<T: Scalar>(
    args: &GemmArgs<T>,
    packed: Option<&PackedA<T>>,
    first_row: usize,
) {
    let from_packed = packed.filter(|packed| {
        packed
            .row_unit()
            .is_some_and(|unit| first_row.is_multiple_of(unit))
    });
    if !from_packed.is_some_and(|packed| gemm_blocked::gemm_packed_a(args, packed, first_row)) {
        level3::gemm_cpu(Order::Any, args);
    }
}

/// Columns a thread claims at a time: few enough that the threads finish a step
/// together, enough that each product keeps the kernel busy.
fn chunk_width(panel_width: usize) -> usize {
    (panel_width / 2).max(ALIGN)
}

/// Pieces of work handed out one at a time to whichever thread asks.
pub struct Claims<W> {
    work: Vec<W>,
    next: AtomicUsize,
}

impl<W: Clone> Claims<W> {
    pub fn new(work: Vec<W>) -> Self {
        Claims {
            work,
            next: AtomicUsize::new(0),
        }
    }

    /// Runs `f` on pieces until none is left.
    pub fn run(&self, f: impl Fn(W)) {
        while let Some(piece) = self.work.get(self.next.fetch_add(1, Ordering::Relaxed)) {
            f(piece.clone());
        }
    }
}

/// `range` in consecutive pieces of about `size` (none when it is empty), the inner
/// boundaries a multiple of [`ALIGN`] from `origin`: products over the rows from a
/// boundary down may then start at a whole panel of a packed operand packed from `origin`.
pub fn split(range: Range<usize>, size: usize, origin: usize) -> Vec<Range<usize>> {
    let pieces = range.len().div_ceil(size).max(1);
    let boundary = |i: usize| {
        let even = range.start + range.len() * i / pieces;
        let aligned = origin + (even.saturating_sub(origin) + ALIGN / 2) / ALIGN * ALIGN;
        aligned.clamp(range.start, range.end)
    };
    let mut bounds: Vec<usize> = (1..pieces).map(boundary).collect();
    bounds.insert(0, range.start);
    bounds.push(range.end);
    bounds.dedup();
    bounds
        .windows(2)
        .map(|w| w[0]..w[1])
        .filter(|r| !r.is_empty())
        .collect()
}

/// A multiple of every kernel's panel height (16 and 32 rows on AVX-512, 12 and 24 on AVX2).
pub const ALIGN: usize = 96;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_covers_the_range_on_aligned_boundaries() {
        for (range, size, origin) in [
            (100..1000, 96, 4),
            (7..7, 96, 0),
            (10..50, 96, 0),
            (0..2048, 128, 0),
            (300..301, 96, 200),
        ] {
            let pieces = split(range.clone(), size, origin);
            assert_eq!(pieces.first().map_or(range.start, |p| p.start), range.start);
            assert_eq!(pieces.last().map_or(range.start, |p| p.end), range.end);
            for pair in pieces.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert_eq!((pair[1].start - origin) % ALIGN, 0, "{range:?} {pieces:?}");
            }
            assert!(pieces
                .iter()
                .all(|p| !p.is_empty() && p.len() < 2 * size + ALIGN));
        }
    }
}
