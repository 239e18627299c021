//! The always-on counters: calls, flops, bytes and time per routine and backend.
//!
//! Each thread owns a block of counters that only it writes (plain load + store, no
//! locked instruction, no cache line shared with another writer), found through one
//! thread-local pointer ([`super::thread_table`]). Blocks are listed in a
//! global registry; a reader sums them under the registry's lock. When a thread ends,
//! its block is folded into the registry's `retired` totals, so nothing is lost.
//! Reset does not touch other threads' blocks: it records a baseline that later reads
//! subtract.

use super::backend::Backend;
use super::fork_lock::ForkLock;
use super::routine::{self, MAX_ROUTINES};
use super::thread_table;
use std::alloc::Layout;
use std::cell::Cell;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
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

type Slot = [[AtomicU64; FIELDS]; Backend::COUNT];

/// Bytes of one routine's counters in a thread's table.
pub const SLOT_BYTES: usize = std::mem::size_of::<Slot>();

/// One thread's counters: a flat table of [`MAX_ROUTINES`] slots (96 KB, zeroed
/// once), at a fixed address for its life: no per-call bounds or chunk lookups.
struct Block {
    table: NonNull<Slot>,
}

// SAFETY: the table is atomics only; the owning thread writes, readers load.
unsafe impl Send for Block {}
unsafe impl Sync for Block {}

const TABLE: Layout = match Layout::array::<Slot>(MAX_ROUTINES) {
    Ok(layout) => layout,
    Err(_) => panic!("counter table too large"),
};

impl Block {
    fn new() -> Block {
        // SAFETY: a non-zero-sized layout; all-zero bytes are valid AtomicU64s, so the
        // allocation is a valid table (freed in Drop).
        let p = unsafe { std::alloc::alloc_zeroed(TABLE) } as *mut Slot;
        let Some(table) = NonNull::new(p) else {
            std::alloc::handle_alloc_error(TABLE);
        };
        Block { table }
    }

    fn slots(&self) -> &[Slot] {
        // SAFETY: MAX_ROUTINES initialized slots, alive as long as the block.
        unsafe { std::slice::from_raw_parts(self.table.as_ptr(), MAX_ROUTINES) }
    }

    /// Adds this block's values into `into` (indexed by routine).
    fn read_into(&self, into: &mut Vec<Values>) {
        for (index, slot) in self.slots().iter().enumerate() {
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

impl Drop for Block {
    fn drop(&mut self) {
        // SAFETY: allocated by `new` with this layout.
        unsafe { std::alloc::dealloc(self.table.as_ptr() as *mut u8, TABLE) };
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

static REGISTRY: ForkLock<Registry> = ForkLock::new(Registry {
    live: Vec::new(),
    retired: Vec::new(),
    baseline: Vec::new(),
});

thread_local! {
    /// Owns this thread's block; its destructor retires the block at thread exit.
    static OWNER: Owner = const { Owner(Cell::new(None)) };
}

struct Owner(Cell<Option<Arc<Block>>>);

impl Drop for Owner {
    fn drop(&mut self) {
        if let Some(block) = self.0.take() {
            thread_table::set(std::ptr::null());
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

/// Creates, registers and returns this thread's table.
#[cold]
#[inline(never)]
fn register_thread() -> *const u8 {
    let block = Arc::new(Block::new());
    REGISTRY.lock().live.push(block.clone());
    let table = block.table.as_ptr() as *const u8;
    // If this thread's destructors are already running, the block stays registered (and
    // counted) for the rest of the process.
    let owned = OWNER.try_with(|o| o.0.set(Some(block.clone()))).is_ok();
    if !owned {
        std::mem::forget(block);
    }
    thread_table::set(table);
    super::exit::install();
    super::fork::install();
    super::serve::install();
    table
}

/// The counters of routine slot `offset` ([`super::Routine::offset`]) on `backend`, in
/// this thread's table.
#[inline(always)]
fn fields(offset: usize, backend: Backend) -> &'static [AtomicU64; FIELDS] {
    let mut table = thread_table::get();
    if table.is_null() {
        table = register_thread();
    }
    // SAFETY: `offset` is a slot inside the table (Routine::offset); the table lives
    // until this thread's OWNER drops it, which first clears the pointer; the reference
    // does not outlive the current call.
    let slot = unsafe { &*(table.add(offset) as *const Slot) };
    &slot[backend as usize]
}

#[inline(always)]
fn bump(counter: &AtomicU64, v: u64) {
    // Single writer: a plain read-modify-write, not a locked instruction.
    counter.store(counter.load(Relaxed).wrapping_add(v), Relaxed);
}

/// Counts one call of the routine at `offset` on `backend` (done when the call begins).
#[inline(always)]
pub fn record(offset: usize, backend: Backend, flops: u64, bytes: u64) {
    let c = fields(offset, backend);
    bump(&c[0], 1);
    bump(&c[1], flops);
    bump(&c[2], bytes);
}

/// Adds the time of one timed call (counted already by [`record`]).
pub fn record_time(offset: usize, backend: Backend, flops: u64, ns: u64) {
    let c = fields(offset, backend);
    bump(&c[3], 1);
    bump(&c[4], flops);
    bump(&c[5], ns);
}

/// Moves one call counted on `from` to `to` (the router chose another backend).
pub fn move_call(offset: usize, from: Backend, to: Backend, flops: u64, bytes: u64) {
    let (from, to) = (fields(offset, from), fields(offset, to));
    for (f, v) in [(0, 1), (1, flops), (2, bytes)] {
        bump(&from[f], v.wrapping_neg());
        bump(&to[f], v);
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
            let routine = routine::name_of(&names, index).to_string();
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
    REGISTRY.hold_for_fork();
}

/// Releases the lock [`lock_for_fork`] kept (in the parent and in the child of `fork`).
///
/// # Safety
/// Only after [`lock_for_fork`], on the thread that called `fork`.
pub(super) unsafe fn unlock_after_fork() {
    // SAFETY: the caller's contract: this thread holds the lock, its guard forgotten.
    unsafe { REGISTRY.release_after_fork() }
}

/// Starts the counters again from zero (for every thread).
pub fn reset() {
    let mut reg = REGISTRY.lock();
    reg.baseline = totals(&reg);
}
