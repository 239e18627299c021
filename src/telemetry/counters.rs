//! The always-on counters: calls, flops, bytes and time per routine and backend.
//!
//! Each thread owns a block of counters that only it writes (plain load + store, no
//! locked instruction, no cache line shared with another writer). Blocks are listed in a
//! global registry; a reader sums them under the registry's lock. When a thread ends,
//! its block is folded into the registry's `retired` totals, so nothing is lost.
//! Reset does not touch other threads' blocks: it records a baseline that later reads
//! subtract.

use super::backend::Backend;
use super::routine::{self, MAX_ROUTINES};
use parking_lot::Mutex;
use std::cell::Cell;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering::*};
use std::sync::Arc;
use std::time::Duration;

/// Totals of one routine on one backend. `ns` and `timed_flops` cover the timed calls
/// only (see [`super::TIMED_MIN_FLOPS`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub calls: u64,
    pub flops: u64,
    pub bytes: u64,
    pub timed_calls: u64,
    pub timed_flops: u64,
    pub ns: u64,
}

const FIELDS: usize = 6;
type Values = [[u64; FIELDS]; Backend::COUNT];

impl Totals {
    fn from_array(v: [u64; FIELDS]) -> Totals {
        let [calls, flops, bytes, timed_calls, timed_flops, ns] = v;
        Totals {
            calls,
            flops,
            bytes,
            timed_calls,
            timed_flops,
            ns,
        }
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Totals) {
        self.calls += other.calls;
        self.flops += other.flops;
        self.bytes += other.bytes;
        self.timed_calls += other.timed_calls;
        self.timed_flops += other.timed_flops;
        self.ns += other.ns;
    }
}

/// One routine on one backend, as read from the counters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub routine: String,
    pub backend: Backend,
    pub totals: Totals,
}

const CHUNK: usize = 64;
const CHUNKS: usize = MAX_ROUTINES / CHUNK;

type Slot = [[AtomicU64; FIELDS]; Backend::COUNT];
struct Chunk([Slot; CHUNK]);

/// One thread's counters, allocated a chunk of routines at a time.
struct Block {
    chunks: [AtomicPtr<Chunk>; CHUNKS],
}

impl Block {
    fn new() -> Block {
        Block {
            chunks: std::array::from_fn(|_| AtomicPtr::new(null_mut())),
        }
    }

    /// The slot of routine `index`; only the owning thread calls this.
    #[inline(always)]
    fn slot(&self, index: usize) -> &Slot {
        let p = self.chunks[index / CHUNK].load(Acquire);
        let chunk = if p.is_null() {
            self.grow(index / CHUNK)
        } else {
            // SAFETY: a published chunk lives as long as the block.
            unsafe { &*p }
        };
        &chunk.0[index % CHUNK]
    }

    #[cold]
    fn grow(&self, c: usize) -> &Chunk {
        let layout = std::alloc::Layout::new::<Chunk>();
        // SAFETY: a non-zero-sized layout; all-zero bytes are valid AtomicU64s, so the
        // allocation is a valid Chunk, owned as a Box from here on (freed in Drop).
        let p = unsafe { std::alloc::alloc_zeroed(layout) } as *mut Chunk;
        if p.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        self.chunks[c].store(p, Release);
        // SAFETY: just published; freed only when the block drops.
        unsafe { &*p }
    }

    /// Adds this block's values into `into` (indexed by routine).
    fn read_into(&self, into: &mut Vec<Values>) {
        for (c, chunk) in self.chunks.iter().enumerate() {
            let p = chunk.load(Acquire);
            if p.is_null() {
                continue;
            }
            // SAFETY: as in `slot`; the registry lock keeps the block alive.
            let chunk = unsafe { &*p };
            for (i, slot) in chunk.0.iter().enumerate() {
                let index = c * CHUNK + i;
                for (b, fields) in slot.iter().enumerate() {
                    for (f, v) in fields.iter().enumerate() {
                        let v = v.load(Relaxed);
                        if v != 0 {
                            grow_to(into, index + 1);
                            into[index][b][f] += v;
                        }
                    }
                }
            }
        }
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        for chunk in &self.chunks {
            let p = chunk.swap(null_mut(), AcqRel);
            if !p.is_null() {
                // SAFETY: allocated by `grow` with Box::into_raw.
                drop(unsafe { Box::from_raw(p) });
            }
        }
    }
}

fn grow_to(v: &mut Vec<Values>, len: usize) {
    if v.len() < len {
        v.resize(len, [[0; FIELDS]; Backend::COUNT]);
    }
}

struct Registry {
    live: Vec<Arc<Block>>,
    /// Totals of the threads that have ended.
    retired: Vec<Values>,
    /// Totals at the last reset.
    baseline: Vec<Values>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    live: Vec::new(),
    retired: Vec::new(),
    baseline: Vec::new(),
});

thread_local! {
    /// This thread's block (null before its first call): a const-initialized pointer, so
    /// the hot path has no lazy-initialization check.
    static BLOCK: Cell<*const Block> = const { Cell::new(std::ptr::null()) };
    /// Owns this thread's block; its destructor retires the block at thread exit.
    static OWNER: Owner = const { Owner(Cell::new(None)) };
}

struct Owner(Cell<Option<Arc<Block>>>);

impl Drop for Owner {
    fn drop(&mut self) {
        if let Some(block) = self.0.take() {
            let _ = BLOCK.try_with(|b| b.set(std::ptr::null()));
            retire(&block);
        }
    }
}

fn retire(block: &Arc<Block>) {
    let mut reg = REGISTRY.lock();
    let mut retired = std::mem::take(&mut reg.retired);
    block.read_into(&mut retired);
    reg.retired = retired;
    reg.live.retain(|b| !Arc::ptr_eq(b, block));
}

/// Creates, registers and returns this thread's block.
#[cold]
fn register_thread() -> *const Block {
    let block = Arc::new(Block::new());
    REGISTRY.lock().live.push(block.clone());
    let p = Arc::as_ptr(&block);
    // If this thread's destructors are already running, the block stays registered (and
    // counted) for the rest of the process.
    let owned = OWNER.try_with(|o| o.0.set(Some(block.clone()))).is_ok();
    if !owned {
        std::mem::forget(block);
    }
    let _ = BLOCK.try_with(|b| b.set(p));
    super::exit::install();
    super::fork::install();
    super::serve::install();
    p
}

#[inline(always)]
fn bump(counter: &AtomicU64, v: u64) {
    // Single writer: a plain read-modify-write, not a locked instruction.
    counter.store(counter.load(Relaxed).wrapping_add(v), Relaxed);
}

/// This thread's slot of routine `index` (None while the thread is being torn down).
#[inline(always)]
fn slot(index: usize) -> Option<&'static Slot> {
    let Ok(mut p) = BLOCK.try_with(Cell::get) else {
        return None;
    };
    if p.is_null() {
        p = register_thread();
    }
    // SAFETY: the block lives until this thread's OWNER drops it, which first clears
    // BLOCK; the reference does not outlive the current call.
    Some(unsafe { &*p }.slot(index))
}

/// Counts one call of routine `index` on `backend` (done when the call begins).
#[inline(always)]
pub fn record(index: usize, backend: Backend, flops: u64, bytes: u64) {
    if let Some(slot) = slot(index) {
        let c = &slot[backend as usize];
        bump(&c[0], 1);
        bump(&c[1], flops);
        bump(&c[2], bytes);
    }
}

/// Adds the time of one timed call (counted already by [`record`]).
pub fn record_time(index: usize, backend: Backend, flops: u64, ns: u64) {
    if let Some(slot) = slot(index) {
        let c = &slot[backend as usize];
        bump(&c[3], 1);
        bump(&c[4], flops);
        bump(&c[5], ns);
    }
}

/// Moves one call counted on `from` to `to` (the router chose another backend).
pub fn move_call(index: usize, from: Backend, to: Backend, flops: u64, bytes: u64) {
    if let Some(slot) = slot(index) {
        for (f, v) in [(0, 1), (1, flops), (2, bytes)] {
            bump(&slot[from as usize][f], v.wrapping_neg());
            bump(&slot[to as usize][f], v);
        }
    }
}

fn totals(reg: &Registry) -> Vec<Values> {
    let mut all = reg.retired.clone();
    for block in &reg.live {
        block.read_into(&mut all);
    }
    all
}

/// The counters since the last reset: one row per routine and backend with calls.
/// With `wait`, gives up (None) if the registry stays locked that long (at exit, the
/// lock may be held by a thread that will never run again).
pub fn snapshot(wait: Option<Duration>) -> Option<Vec<Row>> {
    let reg = match wait {
        Some(w) => REGISTRY.try_lock_for(w)?,
        None => REGISTRY.lock(),
    };
    let all = totals(&reg);
    let names = routine::names();
    let mut rows = Vec::new();
    for (index, values) in all.iter().enumerate() {
        for backend in Backend::ALL {
            let mut v = values[backend as usize];
            if let Some(base) = reg.baseline.get(index) {
                for (x, b) in v.iter_mut().zip(base[backend as usize]) {
                    *x = x.saturating_sub(b);
                }
            }
            if v[0] == 0 {
                continue;
            }
            let routine = names.get(index).copied().unwrap_or("?").to_string();
            rows.push(Row {
                routine,
                backend,
                totals: Totals::from_array(v),
            });
        }
    }
    rows.sort_by(|a, b| (&a.routine, a.backend).cmp(&(&b.routine, b.backend)));
    Some(rows)
}

/// Takes the registry's lock and keeps it (the `fork` prepare handler, [`super::fork`]).
pub(super) fn lock_for_fork() {
    std::mem::forget(REGISTRY.lock());
}

/// Releases the lock [`lock_for_fork`] kept (in the parent and in the child of `fork`).
///
/// # Safety
/// Only after [`lock_for_fork`], on the thread that called `fork`.
pub(super) unsafe fn unlock_after_fork() {
    // SAFETY: the caller's contract: this thread holds the lock, its guard forgotten.
    unsafe { REGISTRY.force_unlock(Default::default()) }
}

/// Starts the counters again from zero (for every thread).
pub fn reset() {
    let mut reg = REGISTRY.lock();
    reg.baseline = totals(&reg);
}
