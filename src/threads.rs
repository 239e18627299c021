//! How many threads a call may use. faer runs on rayon's global pool; we size it from
//! the configuration and keep small calls sequential (a 4x4 product must not wake a
//! pool). A child after fork() runs on a pool of its own (`pool`), so every parallel
//! step goes through [`on_pool`], [`for_rayon`] or [`run_parts`], which know which pool
//! is this process's. The pool's size is fixed once; [`set_count`] (threadpoolctl,
//! through the C API) lowers how many of its threads a call may use.

mod desk;
mod pool;

pub use desk::Desk;
use pool::Pool;

use faer::Par;
use once_cell::sync::Lazy;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;

/// The limit set by [`set_count`]; 0: none (the pool's size).
static LIMIT: AtomicUsize = AtomicUsize::new(0);

/// Sizes the rayon pool once and registers the fork handler; returns the thread count.
static THREADS: Lazy<usize> = Lazy::new(|| {
    let threads = crate::config::get().threads;
    unsafe { libc::pthread_atfork(None, None, Some(pool::after_fork_in_child)) };
    // Fails harmlessly when the host process already built rayon's global pool.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global();
    threads
});

/// Below this many flops a call runs on the calling thread: waking the pool costs more.
pub const PARALLEL_FLOPS: f64 = 2.0e6;

thread_local! {
    /// Set while the calling thread runs its share of work already divided among threads.
    static SEQUENTIAL_HERE: Cell<bool> = const { Cell::new(false) };
    /// The desk of the [`with_team`] this thread runs, while none of its calls is shared.
    static TEAM_DESK: Cell<*const Desk> = const { Cell::new(std::ptr::null()) };
    /// The desk of the team this thread helps.
    static HELPING: Cell<*const Desk> = const { Cell::new(std::ptr::null()) };
}

/// Sets a thread-local cell for a scope, restoring it when dropped (also on a panic).
struct Restore<T: Copy + 'static>(&'static std::thread::LocalKey<Cell<T>>, T);

impl<T: Copy + 'static> Restore<T> {
    fn set(key: &'static std::thread::LocalKey<Cell<T>>, value: T) -> Self {
        Restore(key, key.with(|cell| cell.replace(value)))
    }
}

impl<T: Copy + 'static> Drop for Restore<T> {
    fn drop(&mut self) {
        self.0.with(|cell| cell.set(self.1));
    }
}

/// Runs `f` on the calling thread with the pool's other threads kept at a desk for the
/// whole of `f`: every [`run_parts`] `f` makes on this thread hands its parts to threads
/// already awake. For algorithms made of many short threaded calls with a little
/// sequential work between them: handed to rayon one by one, each call wakes a sleeping
/// thread (xGEBRD at 1024 on 2 threads, two matrix-vector products a column: about 15%
/// of the time in the scheduler). The helpers spin (then yield) between calls and run
/// rayon's pending work meanwhile, so `f` may still use rayon directly.
pub fn with_team<R>(f: impl FnOnce() -> R) -> R {
    let helpers = count() - 1;
    if helpers == 0 || !pool_available() || !TEAM_DESK.with(Cell::get).is_null() {
        return f();
    }
    let desk = Arc::new(Desk::new(true));
    let owner = std::thread::current().id();
    for _ in 0..helpers {
        let desk = Arc::clone(&desk);
        pool().spawn(move || {
            // On a pool thread, the caller may come to this job itself while it waits
            // inside `f` for rayon's work: helping its own team there would never end.
            // A helper that comes to another helper's job of its team (rayon's work)
            // stays one helper; another team's it serves until that one ends.
            let team = Arc::as_ptr(&desk);
            if std::thread::current().id() == owner || HELPING.with(Cell::get) == team {
                return;
            }
            let _helping = Restore::set(&HELPING, team);
            desk.serve(|| matches!(rayon::yield_now(), Some(rayon::Yield::Executed)));
        });
    }
    let _close = desk.closer();
    let _team = Restore::set(&TEAM_DESK, Arc::as_ptr(&desk));
    f()
}

/// Runs `f` with every call it makes kept on the calling thread: for the parts of an
/// algorithm that divides its work among threads itself (a part that fanned out again
/// would wait on threads busy with the other parts).
pub fn sequential<R>(f: impl FnOnce() -> R) -> R {
    let _restore = Restore::set(&SEQUENTIAL_HERE, true);
    f()
}

/// The parallelism for a LAPACK driver of `order` (the matrix's smaller side) doing about
/// `flops`: one thread below order [`DRIVER_PARALLEL_ORDER`], where its steps are too small
/// to share (2-core AMD EPYC, 2 threads against 1 on the pool's threads: dsyevd, dsyevr,
/// dgesdd, dgelsd and zheevd 64 took 1.1-1.7x the time; at 128 0.9-1.1x; at 256 two were
/// 1.0-1.5x faster).
pub fn driver_par(order: usize, flops: f64) -> Par {
    if order < DRIVER_PARALLEL_ORDER {
        return Par::Seq;
    }
    par_for(flops)
}

/// See [`driver_par`].
pub const DRIVER_PARALLEL_ORDER: usize = 128;

/// Runs `f` on a thread of the pool when `par` is parallel and the caller is not one of
/// them, so that each parallel step inside `f` splits its work on the pool directly: from
/// outside, rayon hands every step over and puts the caller to sleep on a lock until it
/// is done, a wake-up per step (faer's Schur form of an order-512 matrix on 2 threads
/// spent a quarter of its time in the scheduler; our xGEHRD of order 1024 a fifth of its
/// time). The caller's backend override goes with `f`, so that products inside it route
/// as the caller's own calls would.
pub fn on_pool<R: Send>(par: Par, f: impl FnOnce() -> R + Send) -> R {
    if matches!(par, Par::Seq) {
        return f();
    }
    let backend = crate::route::backend::override_here();
    pool().install(move || {
        let before = crate::route::backend::set_override(backend);
        let result = f();
        crate::route::backend::set_override(before);
        result
    })
}

/// [`on_pool`] for a body that holds raw pointers into the caller's arrays (our own
/// LAPACK bodies on `RawMat`s).
///
/// # Safety
/// `f` may run on another thread while the caller waits: what it points to must stay
/// valid and untouched by the caller until it returns, and `f` must not rely on the
/// calling thread's identity or thread-local state (other than the backend override).
pub unsafe fn on_pool_unsent<R: Send>(par: Par, f: impl FnOnce() -> R) -> R {
    struct Unsent<F>(F);
    // SAFETY: see the function's contract; the caller blocks until `f` has run.
    unsafe impl<F> Send for Unsent<F> {}
    impl<F> Unsent<F> {
        // A method, so that the closure below captures the whole wrapper (a pattern
        // would capture only its field, which is not Send).
        fn take(self) -> F {
            self.0
        }
    }
    let job = Unsent(f);
    on_pool(par, move || job.take()())
}

/// Runs `f`, which hands `par`'s work to rayon (a faer call with `par`), where that work
/// reaches this process's threads: as it is in the process that loaded the library
/// (rayon takes work from a caller outside its pool), on the pool's own threads in a
/// forked child (rayon's global pool there would wait on the parent's threads).
pub fn for_rayon<R: Send>(par: Par, f: impl FnOnce() -> R + Send) -> R {
    match (par, pool()) {
        (Par::Seq, _) | (_, Pool::Global) => f(),
        (_, child) => child.install(f),
    }
}

/// This process's pool (see `pool`).
fn pool() -> Pool {
    pool::current(*THREADS)
}

/// True while the calling thread runs inside [`sequential`].
pub fn sequential_here() -> bool {
    SEQUENTIAL_HERE.with(Cell::get)
}

/// The parallelism for a call of about `flops` floating-point operations.
pub fn par_for(flops: f64) -> Par {
    if flops < PARALLEL_FLOPS || SEQUENTIAL_HERE.with(Cell::get) {
        return Par::Seq;
    }
    match count() {
        0 | 1 => Par::Seq,
        _ if matches!(pool(), Pool::Unavailable) => Par::Seq,
        n => Par::rayon(n),
    }
}

/// How many threads a call of about `flops` operations should use (1: the caller's).
pub fn threads_for(flops: f64) -> usize {
    match par_for(flops) {
        Par::Seq => 1,
        Par::Rayon(n) => n.get(),
    }
}

/// The threads a call may use: the configured count, or less after [`set_count`].
pub fn count() -> usize {
    match LIMIT.load(Ordering::Relaxed) {
        0 => *THREADS,
        n => n.min(*THREADS),
    }
}

/// Lets calls use at most `n` threads (at least 1, at most the pool's size); returns the
/// count now in force.
pub fn set_count(n: usize) -> usize {
    LIMIT.store(n.clamp(1, *THREADS), Ordering::Relaxed);
    count()
}

/// True when work may go to the pool at all (more than one thread, not a forked child).
pub fn pool_available() -> bool {
    !matches!(par_for(f64::INFINITY), Par::Seq)
}

/// The parts of one [`run_parts`] call that went to the pool, and how far each got.
struct Handoff {
    /// The caller's function; dereferenced only by a pool thread that moved its part from
    /// PENDING to RUNNING, while the caller waits for it (so it is still alive).
    job: *const (dyn Fn(usize) + Sync),
    /// One state per handed-off part (part k + 1).
    state: Vec<AtomicU8>,
    panicked: AtomicBool,
}

// The pointer is only used under the protocol above.
unsafe impl Send for Handoff {}
unsafe impl Sync for Handoff {}

const PENDING: u8 = 0;
const RUNNING: u8 = 1;
const DONE: u8 = 2;
const CLAIMED: u8 = 3;

/// Runs `f(0)`, ..., `f(parts - 1)`: part 0 on the calling thread, the others offered to
/// the pool. The caller takes back any part no pool thread has started by the time its
/// own is done, so a busy or slow pool costs no more than running sequentially, and the
/// caller never sleeps on a lock (waking it would cost more than a level-1 call). Parts
/// must be independent; which thread runs one must not change its result.
pub fn run_parts(parts: usize, f: &(dyn Fn(usize) + Sync)) {
    if parts <= 1 || !pool_available() {
        (0..parts).for_each(f);
        return;
    }
    let team = TEAM_DESK.with(Cell::get);
    if !team.is_null() {
        // Calls made inside the parts go their own way: the team is busy with these.
        let _busy = Restore::set(&TEAM_DESK, std::ptr::null());
        return unsafe { &*team }.share(parts, f);
    }
    // Only the lifetime is erased: the pointer is used while this call waits below.
    let job: *const (dyn Fn(usize) + Sync) = unsafe { std::mem::transmute(f) };
    let handoff = Arc::new(Handoff {
        job,
        state: (1..parts).map(|_| AtomicU8::new(PENDING)).collect(),
        panicked: AtomicBool::new(false),
    });
    let pool = pool();
    for k in 0..parts - 1 {
        let handoff = Arc::clone(&handoff);
        pool.spawn(move || {
            let state = &handoff.state[k];
            if state
                .compare_exchange(PENDING, RUNNING, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                let job = unsafe { &*handoff.job };
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(k + 1)));
                if run.is_err() {
                    handoff.panicked.store(true, Ordering::Relaxed);
                }
                state.store(DONE, Ordering::Release);
            }
        });
    }
    // A panic in the caller's parts waits for the pool's too: they borrow `f`'s data.
    let run_here = |part: usize| {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(part)));
        if run.is_err() {
            handoff.panicked.store(true, Ordering::Relaxed);
        }
    };
    run_here(0);
    for (k, state) in handoff.state.iter().enumerate() {
        if state
            .compare_exchange(PENDING, CLAIMED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            run_here(k + 1);
            continue;
        }
        let mut backoff = Backoff::default();
        while state.load(Ordering::Acquire) != DONE {
            backoff.wait();
        }
    }
    if handoff.panicked.load(Ordering::Relaxed) {
        panic!("a part of a threaded call panicked");
    }
}

/// A wait for another thread: spins a while, then yields the core. The waits here are
/// short on an idle machine and must not hold a core another process needs on a busy one.
#[derive(Default)]
pub struct Backoff(u32);

impl Backoff {
    pub fn wait(&mut self) {
        self.0 += 1;
        if self.0 < 1 << 12 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// How many parts of at least `min_len` elements (at most the thread count) `len`
/// elements are worth splitting into; 1 when the pool is not available.
pub fn parts_for(len: usize, min_len: usize) -> usize {
    if len < 2 * min_len || !pool_available() {
        return 1;
    }
    (len / min_len).min(count()).max(1)
}

/// Runs `job` for parts 0..parts, each of the pool's threads a run of neighbouring
/// parts: one hand-off per thread, a thread's parts together. For work cut into parts
/// fixed by its shape (so that its sums do not depend on the thread count).
pub fn run_in_runs(parts: usize, job: &(dyn Fn(usize) + Sync)) {
    let workers = parts_for(parts, 1);
    run_parts(workers, &|w| {
        (parts * w / workers..parts * (w + 1) / workers).for_each(job)
    });
}

#[cfg(test)]
mod tests {
    /// Both ways of running parts run each once: run_parts (each part its own
    /// hand-off) and run_in_runs (a run of parts per thread).
    #[test]
    fn every_part_runs_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        type Runner = fn(usize, &(dyn Fn(usize) + Sync));
        let runners: [(&str, Runner); 2] = [
            ("run_parts", super::run_parts),
            ("run_in_runs", super::run_in_runs),
        ];
        for (name, run) in runners {
            for parts in [0usize, 1, 2, 3, 7, 16] {
                let runs: Vec<AtomicUsize> = (0..parts).map(|_| AtomicUsize::new(0)).collect();
                run(parts, &|p| {
                    runs[p].fetch_add(1, Ordering::Relaxed);
                });
                assert!(
                    runs.iter().all(|r| r.load(Ordering::Relaxed) == 1),
                    "{name} {parts}"
                );
            }
        }
    }

    #[test]
    fn run_parts_passes_a_panic_on() {
        let caught = std::panic::catch_unwind(|| super::run_parts(3, &|p| assert!(p != 2)));
        assert!(caught.is_err());
    }

    /// Held by the tests that change the thread count or depend on it.
    static COUNT_LOCK: parking_lot::Mutex<()> = parking_lot::Mutex::new(());

    #[test]
    fn a_team_runs_every_part_once_and_shares_them() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use std::time::{Duration, Instant};
        let _count = COUNT_LOCK.lock();
        let helped = super::with_team(|| {
            for parts in [0usize, 1, 2, 5] {
                let runs: Vec<AtomicUsize> = (0..parts).map(|_| AtomicUsize::new(0)).collect();
                super::run_parts(parts, &|p| {
                    // A part's own threaded calls still run every part.
                    let inner = AtomicUsize::new(0);
                    super::run_parts(3, &|_| {
                        inner.fetch_add(1, Ordering::Relaxed);
                    });
                    assert_eq!(inner.load(Ordering::Relaxed), 3);
                    runs[p].fetch_add(1, Ordering::Relaxed);
                });
                assert!(
                    runs.iter().all(|r| r.load(Ordering::Relaxed) == 1),
                    "{parts}"
                );
            }
            // Part 0 waits for part 1 to start: only a helper can start it.
            let started = AtomicBool::new(false);
            let caller = std::thread::current().id();
            let elsewhere = AtomicBool::new(false);
            super::run_parts(2, &|p| {
                if p == 1 {
                    elsewhere.store(std::thread::current().id() != caller, Ordering::Relaxed);
                    started.store(true, Ordering::Release);
                } else {
                    let deadline = Instant::now() + Duration::from_secs(60);
                    while !started.load(Ordering::Acquire) && Instant::now() < deadline {
                        std::hint::spin_loop();
                    }
                }
            });
            elsewhere.load(Ordering::Relaxed)
        });
        assert_eq!(helped, super::count() > 1, "a helper took the second part");
    }

    #[test]
    fn a_team_passes_a_panic_on_and_leaves_rayon_usable() {
        let caught = std::panic::catch_unwind(|| {
            super::with_team(|| super::run_parts(4, &|p| assert!(p != 3)))
        });
        assert!(caught.is_err());
        // Rayon's own work inside a team: the helpers run it rather than block it.
        let sum: u64 = super::with_team(|| {
            use rayon::prelude::*;
            (0..100_000u64).into_par_iter().sum()
        });
        assert_eq!(sum, 4_999_950_000);
    }

    #[test]
    fn sequential_keeps_calls_on_the_caller_and_restores() {
        let inner = super::sequential(|| {
            let nested = super::sequential(super::pool_available);
            (nested, super::pool_available())
        });
        assert_eq!(inner, (false, false));
        let caught = std::panic::catch_unwind(|| super::sequential(|| panic!("inside")));
        assert!(caught.is_err());
        assert!(!super::SEQUENTIAL_HERE.with(std::cell::Cell::get));
    }

    #[test]
    fn set_count_limits_and_clamps() {
        let _count = COUNT_LOCK.lock();
        let pool = *super::THREADS;
        assert_eq!(super::set_count(1), 1);
        assert!(matches!(super::par_for(1e12), faer::Par::Seq));
        assert_eq!(super::set_count(0), 1);
        assert_eq!(super::set_count(pool + 5), pool);
        assert_eq!(super::count(), pool);
    }

    /// A body run on the pool sees the caller's backend override (its products route
    /// as the caller's own calls would), and the pool thread gets its own back after.
    #[test]
    fn on_pool_carries_the_callers_backend_override() {
        use crate::config::Backend;
        use crate::route::backend::{override_here, set_override};
        let par = faer::Par::rayon(2);
        let seen = std::thread::spawn(move || {
            set_override(Some(Backend::Cpu));
            let inside = super::on_pool(par, || {
                (rayon::current_thread_index().is_some(), override_here())
            });
            set_override(None);
            inside
        })
        .join()
        .unwrap();
        assert_eq!(seen, (true, Some(Backend::Cpu)));
        // Every pool thread is back to no override.
        let after: Vec<Option<Backend>> = std::thread::spawn(move || {
            super::on_pool(par, || {
                use rayon::prelude::*;
                (0..64).into_par_iter().map(|_| override_here()).collect()
            })
        })
        .join()
        .unwrap();
        assert!(after.iter().all(Option::is_none), "{after:?}");
    }
}
