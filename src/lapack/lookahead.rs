//! Right-looking blocked factorizations across threads with a look-ahead of one panel
//! (LU, Cholesky, QR). In each step the calling thread brings the next panel up to date and
//! factors it (the part no other thread can share) while the other threads apply the
//! current panel to the columns after it, in chunks they claim one at a time; the caller
//! claims chunks too once its panel is done. The next panel is the step's critical path:
//! threads with no chunk left (and between chunks) take pieces of its large calls from a
//! [`Desk`]. Nobody waits on work that has not started, so a busy pool (or none) only
//! costs speed.

use crate::blas::args::{GemmArgs, Side, Trans, TrsmArgs};
use crate::blas::gemm_blocked::{self, PackedA};
use crate::blas::level3::{self, Order};
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;
use crate::threads::{self, Desk};
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
/// and the panel, the step's critical path, longer. Many threads run out of chunks
/// sooner: from 8 threads, orders from `narrow_from` get panels one size narrower.
pub fn panel_width(k: usize, narrow_from: usize) -> usize {
    let width = match k {
        0..1024 => 64,
        1024..3072 => 128,
        _ => 256,
    };
    if k >= narrow_from && threads::count() >= 8 {
        width / 2
    } else {
        width
    }
}

/// The panels of width `width` covering 0..k.
pub fn panels(k: usize, width: usize) -> Vec<Range<usize>> {
    (0..k)
        .step_by(width)
        .map(|j| j..(j + width).min(k))
        .collect()
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
/// `factor(panel, spare, desk)` factors a panel (its columns brought up to date; `spare` is
/// an earlier panel's result to reuse the memory of) and returns what the updates need;
/// `apply(panel, factored, cols, desk)` applies a factored panel to the columns `cols`
/// after it; `finish(panel, factored)` sees each panel's result in order and returns false
/// to stop (no later panel is factored). Every call runs on one thread; the calls on the
/// critical path (the next panel's update and factorization) get a [`Desk`] to share their
/// large pieces with the threads that have run out of chunks.
pub fn right_looking<F: Send + Sync>(
    panels: &[Range<usize>],
    columns: usize,
    factor: impl Fn(Range<usize>, Option<F>, &Desk) -> F + Sync,
    apply: impl Fn(&Range<usize>, &F, Range<usize>, Option<&Desk>) + Sync,
    mut finish: impl FnMut(&Range<usize>, &F) -> bool,
) {
    let Some(first) = panels.first() else {
        return;
    };
    let factored = Mutex::new(None);
    step(None, &[], Some(first), &factored, &factor, &apply);
    let Some(mut current) = factored.into_inner() else {
        return;
    };
    if !finish(first, &current) {
        return;
    }
    let mut spare = None;
    for (p, panel) in panels.iter().enumerate() {
        let next = panels.get(p + 1);
        let rest = next.map_or(panel.end, |next| next.end)..columns;
        let chunks = split(rest, chunk_width(panel.len()), panel.end);
        let next_factored = Mutex::new(spare.take());
        step(
            Some((panel, &current)),
            &chunks,
            next,
            &next_factored,
            &factor,
            &apply,
        );
        let (Some(next), Some(factored)) = (next, next_factored.into_inner()) else {
            return;
        };
        spare = Some(std::mem::replace(&mut current, factored));
        if !finish(next, &current) {
            return;
        }
    }
}

/// From this many threads the next panel's calls are shared in pieces; with fewer the
/// other thread is mostly busy with chunks until the panel is done (2-core AMD EPYC:
/// dgetrf and dpotrf 1024 / 2048 no faster with the pieces, within the host's noise).
const HELP_FROM_THREADS: usize = 4;

fn helpers_wanted() -> bool {
    #[cfg(test)]
    if HELPERS_ALWAYS.with(std::cell::Cell::get) {
        return true;
    }
    threads::count() >= HELP_FROM_THREADS
}

#[cfg(test)]
thread_local! {
    static HELPERS_ALWAYS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with the desk's pieces shared on any thread count (tests: the machines that
/// run them have two cores).
#[cfg(test)]
pub fn with_helpers<R>(f: impl FnOnce() -> R) -> R {
    HELPERS_ALWAYS.with(|h| h.set(true));
    let result = f();
    HELPERS_ALWAYS.with(|h| h.set(false));
    result
}

/// One step across the threads: the caller applies the panel `applied` to the next
/// panel's columns and factors it into `next_factored` (which holds the spare on entry),
/// sharing pieces of that through a desk; every thread applies `applied` to the chunks
/// (claimed one at a time) and, between chunks and once they run out, helps at the desk
/// until the next panel is done.
fn step<F: Send + Sync>(
    applied: Option<(&Range<usize>, &F)>,
    chunks: &[Range<usize>],
    next: Option<&Range<usize>>,
    next_factored: &Mutex<Option<F>>,
    factor: &(impl Fn(Range<usize>, Option<F>, &Desk) -> F + Sync),
    apply: &(impl Fn(&Range<usize>, &F, Range<usize>, Option<&Desk>) + Sync),
) {
    let desk = Desk::new(helpers_wanted());
    let chunks = Claims::new(chunks.to_vec());
    threads::run_parts(threads::count(), &|part| {
        threads::sequential(|| {
            if part == 0 {
                let _close = desk.closer();
                if let Some(next) = next {
                    if let Some((panel, current)) = applied {
                        apply(panel, current, next.clone(), Some(&desk));
                    }
                    let mut slot = next_factored.lock();
                    *slot = Some(factor(next.clone(), slot.take(), &desk));
                }
            }
            desk.serve(|| {
                let Some(cols) = chunks.claim() else {
                    return false;
                };
                let (panel, current) = applied.expect("chunks come with a panel");
                apply(panel, current, cols, None);
                true
            })
        })
    });
}

/// The product `args` in blocks of C's rows (or columns, when C is wider than tall)
/// shared through `desk`, each as [`product`] (op(A) packed from `first_row` when given);
/// one [`product`] without a desk or helpers. The blocks depend only on the shape, so the
/// result does not depend on who helps.
///
/// # Safety
/// As for [`product`].
pub unsafe fn shared_product<T: Scalar>(
    desk: Option<&Desk>,
    args: &GemmArgs<T>,
    packed: Option<&PackedA<T>>,
    first_row: usize,
) {
    let Some(desk) = desk.filter(|desk| desk.has_helpers()) else {
        return product(args, packed, first_row);
    };
    let by_rows = args.m >= args.n;
    let blocks = if by_rows {
        shared_blocks(args.m, args.n * args.k)
    } else {
        shared_blocks(args.n, args.m * args.k)
    };
    let args = SharedArgs(*args);
    desk.share(blocks.len(), &|b| {
        let part = blocks[b].clone();
        let mut piece = args.get();
        if by_rows {
            piece.m = part.len();
            piece.a = match piece.transa {
                Trans::No => piece.a.add(part.start),
                _ => piece.a.add(part.start * piece.lda),
            };
            piece.c = piece.c.add(part.start);
            product(&piece, packed, first_row + part.start);
        } else {
            piece.n = part.len();
            piece.b = match piece.transb {
                Trans::No => piece.b.add(part.start * piece.ldb),
                _ => piece.b.add(part.start),
            };
            piece.c = piece.c.add(part.start * piece.ldc);
            product(&piece, packed, first_row);
        }
    });
}

/// The solve `args` in blocks of B's columns (side Left) or rows (side Right), each
/// solved on its own, shared through `desk`; one solve without a desk or helpers.
///
/// # Safety
/// As for `level3::trsm_cpu`.
pub unsafe fn shared_solve<T: Scalar>(desk: Option<&Desk>, args: &TrsmArgs<T>) {
    let Some(desk) = desk.filter(|desk| desk.has_helpers()) else {
        return level3::trsm_cpu(Order::Any, args);
    };
    let (len, block) = match args.side {
        Side::Left => (args.n, SOLVE_COLUMNS),
        Side::Right => (args.m, SOLVE_ROWS),
    };
    let blocks = split(0..len, block, 0);
    let args = SharedArgs(*args);
    desk.share(blocks.len(), &|b| {
        let part = blocks[b].clone();
        let mut piece = args.get();
        match piece.side {
            Side::Left => {
                piece.n = part.len();
                piece.b = piece.b.add(part.start * piece.ldb);
            }
            Side::Right => {
                piece.m = part.len();
                piece.b = piece.b.add(part.start);
            }
        }
        level3::trsm_cpu(Order::Any, &piece);
    });
}

/// A call's arguments (raw pointers into caller memory) shared by the threads that
/// run its blocks, each on parts no other block touches.
#[derive(Clone, Copy)]
struct SharedArgs<A>(A);
unsafe impl<A> Send for SharedArgs<A> {}
unsafe impl<A> Sync for SharedArgs<A> {}

impl<A: Copy> SharedArgs<A> {
    fn get(&self) -> A {
        self.0
    }
}

/// Right-hand sides of a shared solve's blocks: columns (side Left) or rows (Right).
const SOLVE_COLUMNS: usize = 32;
const SOLVE_ROWS: usize = 192;

/// Blocks of a shared product along a side of `len` with `per_line` multiply-adds a
/// row (or column): whole multiples of [`ALIGN`] (so that a row block can start in a
/// packed operand), about 2 MFLOP or more each; one block when the product is too small
/// to share.
fn shared_blocks(len: usize, per_line: usize) -> Vec<Range<usize>> {
    const MIN_FLOPS: usize = 1 << 21;
    let block = (MIN_FLOPS / (2 * per_line.max(1))).div_ceil(ALIGN).max(2) * ALIGN;
    (0..len)
        .step_by(block)
        .map(|r| r..(r + block).min(len))
        .collect()
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
        while let Some(piece) = self.claim() {
            f(piece);
        }
    }

    /// The next unclaimed piece, if any.
    pub fn claim(&self) -> Option<W> {
        self.work
            .get(self.next.fetch_add(1, Ordering::Relaxed))
            .cloned()
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
