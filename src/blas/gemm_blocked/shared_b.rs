//! Threads sharing each packed block of op(B), as OpenBLAS and BLIS go parallel: the
//! product runs as stages, one per (column block, depth block) of the slice loops, each
//! with its KC x NC block of op(B) packed once into a buffer every thread reads; the row
//! blocks of C in a stage are work items that the threads claim in order, each packing
//! its own MC x KC block of op(A). op(A) is packed once in all (the split into column
//! slices packs it once per thread), and a thread that runs slower (this host's noisy
//! neighbours moved the two slices of a dgemm 2048 apart by up to 14%) just claims fewer
//! items.
//!
//! No step waits on a thread that has not started: every wait is for an item or a pack
//! that a running thread has claimed, and claims go in stage order, so one thread alone
//! (a pool thread that never came) still finishes the product.

use super::{depth_unit, steps, Block, Product, Shape};
use crate::scalar::Scalar;
use parking_lot::Mutex;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Whether a product with `row_blocks` row blocks of C runs this way on `threads`:
/// enough items per thread in each stage to even out the threads' speeds.
pub(super) fn serves(row_blocks: usize, threads: usize) -> bool {
    threads > 1 && row_blocks >= ITEMS_PER_THREAD * threads
}

/// Row blocks a stage needs per thread (see [`serves`]).
const ITEMS_PER_THREAD: usize = 2;

/// Groups of B panels a stage's packing is split into, per thread.
const GROUPS_PER_THREAD: usize = 4;

/// C := alpha op(A) op(B) + beta C for `p` (all of C or its triangle) on `threads` threads.
///
/// # Safety
/// As for `gemm_blocked::gemm`.
pub(super) unsafe fn run<R: Scalar>(p: &Product<R>, shape: &Shape<R>, threads: usize) {
    let blocking = shape.blocking;
    let rows: Vec<Range<usize>> = steps(
        0..p.m,
        blocking.rows(p.k, depth_unit(p), shape.mr),
        shape.mr,
    )
    .map(|(start, len)| start..start + len)
    .collect();
    let mut stages = Vec::new();
    for (jc, nc) in steps(0..p.n, blocking.nc, shape.nr) {
        for (pc, kc) in steps(0..p.k, blocking.kc, depth_unit(p)) {
            stages.push((jc..jc + nc, pc..pc + kc));
        }
    }
    // Two buffers: a stage's B is packed while the stage before still runs.
    let buffer_elements = blocking.nc.div_ceil(shape.nr) * shape.nr * blocking.kc;
    with_shared_buffers::<R, _>(2 * buffer_elements, |memory| {
        let schedule = Schedule {
            p,
            shape,
            progress: rows.iter().map(|_| AtomicUsize::new(0)).collect(),
            rows,
            stages,
            threads,
            groups: GROUPS_PER_THREAD * threads,
            next_item: AtomicUsize::new(0),
            buffers: [0, 1].map(|b| Buffer {
                start: memory.add(b * buffer_elements),
                claimed: AtomicUsize::new(0),
                packed: AtomicUsize::new(0),
                finished: AtomicUsize::new(0),
            }),
        };
        crate::threads::run_parts(threads, &|_| {
            super::with_buffers::<R, _>(shape, |a_pack, _| schedule.work(a_pack))
        });
    });
}

/// One product's stages, items and shared B buffers.
struct Schedule<'a, R> {
    p: &'a Product<R>,
    shape: &'a Shape<R>,
    /// C's row blocks (whole kernel panels).
    rows: Vec<Range<usize>>,
    /// (columns, depth) of each stage, in the order the slice loops take them.
    stages: Vec<(Range<usize>, Range<usize>)>,
    threads: usize,
    /// B panel groups per stage.
    groups: usize,
    /// Items claimed so far; item i is row block i % rows of stage i / rows.
    next_item: AtomicUsize,
    /// Per row block, how many stages have finished it (its C is then theirs to add to).
    progress: Vec<AtomicUsize>,
    /// Stage s packs into buffer s % 2.
    buffers: [Buffer<R>; 2],
}

/// A buffer for a stage's packed op(B). Its u-th use (stage 2u + its index) owns panel
/// groups u * groups .. (u + 1) * groups and follows the items of every earlier use:
/// the counters only grow, so no thread ever resets them under another.
struct Buffer<R> {
    start: *mut R,
    claimed: AtomicUsize,
    packed: AtomicUsize,
    /// Items finished on this buffer's B, over all its uses.
    finished: AtomicUsize,
}

// Threads share the product and buffers through the protocol above.
unsafe impl<R> Sync for Schedule<'_, R> {}

impl<R: Scalar> Schedule<'_, R> {
    /// Claims and computes items until none is left.
    unsafe fn work(&self, a_pack: *mut R) {
        let row_blocks = self.rows.len();
        let items = self.stages.len() * row_blocks;
        loop {
            let item = self.next_item.fetch_add(1, Ordering::Relaxed);
            if item >= items {
                return;
            }
            let (stage, row) = (item / row_blocks, item % row_blocks);
            let buffer = &self.buffers[stage % 2];
            self.pack_b(stage);
            // The stage before must have added its part to these rows of C.
            wait_until(|| self.progress[row].load(Ordering::Acquire) == stage);
            let (cols, depth) = self.stages[stage].clone();
            let block = Block {
                rows: self.rows[row].clone(),
                cols,
                depth,
            };
            // This thread's next item is likely `threads` rows on.
            let next = self.rows.get(row + self.threads).cloned();
            (self.shape.block)(self.p, &block, next, a_pack, buffer.start);
            self.progress[row].store(stage + 1, Ordering::Release);
            buffer.finished.fetch_add(1, Ordering::Release);
        }
    }

    /// Returns once op(B) of `stage` is packed in its buffer, having packed what groups
    /// of it no other thread had claimed.
    unsafe fn pack_b(&self, stage: usize) {
        let buffer = &self.buffers[stage % 2];
        let usage = stage / 2;
        let (first, end) = (usage * self.groups, (usage + 1) * self.groups);
        if buffer.packed.load(Ordering::Acquire) >= end {
            return;
        }
        // Every item on the buffer's previous B must be done before it is overwritten.
        let before = usage * self.rows.len();
        wait_until(|| buffer.finished.load(Ordering::Acquire) >= before);
        loop {
            let group = buffer.claimed.load(Ordering::Relaxed);
            if group >= end {
                break;
            }
            debug_assert!(group >= first);
            let claim = buffer.claimed.compare_exchange(
                group,
                group + 1,
                Ordering::AcqRel,
                Ordering::Relaxed,
            );
            if claim.is_ok() {
                self.pack_group(stage, group - first, buffer.start);
                buffer.packed.fetch_add(1, Ordering::Release);
            }
        }
        wait_until(|| buffer.packed.load(Ordering::Acquire) >= end);
    }

    /// Packs group `group` of the stage's B panels into their place in `dst`.
    unsafe fn pack_group(&self, stage: usize, group: usize, dst: *mut R) {
        let (cols, depth) = &self.stages[stage];
        let nr = self.shape.nr;
        let panels = cols.len().div_ceil(nr);
        let (from, to) = (
            panels * group / self.groups,
            panels * (group + 1) / self.groups,
        );
        if from == to {
            return;
        }
        let start = cols.start + from * nr;
        let end = (cols.start + to * nr).min(cols.end);
        let dst = dst.add(from * nr * depth.len());
        (self.shape.pack_b)(self.p, depth.clone(), start..end, dst);
    }
}

/// Spins (then yields) until `done`: what it waits for is in a running thread's hands.
fn wait_until(done: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !done() {
        spins += 1;
        if spins < 1 << 12 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// The shared B buffers, kept between calls (megabytes that a call should not map and
/// fault in afresh); a call that finds them in use by another gets fresh ones.
static SHARED: Mutex<Vec<u64>> = Mutex::new(Vec::new());

/// Runs `f` with `elements` elements of R, 64-byte aligned.
fn with_shared_buffers<R, F: FnOnce(*mut R)>(elements: usize, f: F) {
    let words = (elements * std::mem::size_of::<R>()).div_ceil(8) + 8;
    let carve = |memory: &mut Vec<u64>| {
        if memory.len() < words {
            memory.resize(words, 0);
        }
        let base = memory.as_mut_ptr() as *mut u8;
        unsafe { base.add(base.align_offset(64)) as *mut R }
    };
    match SHARED.try_lock() {
        Some(mut memory) => f(carve(&mut memory)),
        None => f(carve(&mut Vec::new())),
    }
}
