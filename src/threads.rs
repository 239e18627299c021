//! How many threads a call may use. faer runs on rayon's global pool; we size it from
//! the configuration, keep small calls sequential (a 4x4 product must not wake a pool),
//! and go sequential in a child after fork(), where the parent's pool threads are gone.
//! The pool's size is fixed once; [`set_count`] (threadpoolctl, through the C API) lowers
//! how many of its threads a call may use.

use faer::Par;
use once_cell::sync::Lazy;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static IN_FORKED_CHILD: AtomicBool = AtomicBool::new(false);

/// The limit set by [`set_count`]; 0: none (the pool's size).
static LIMIT: AtomicUsize = AtomicUsize::new(0);

extern "C" fn after_fork_in_child() {
    IN_FORKED_CHILD.store(true, Ordering::Relaxed);
}

/// Sizes the rayon pool once and registers the fork handler; returns the thread count.
static THREADS: Lazy<usize> = Lazy::new(|| {
    let threads = crate::config::get().threads;
    unsafe { libc::pthread_atfork(None, None, Some(after_fork_in_child)) };
    // Fails harmlessly when the host process already built rayon's global pool.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global();
    threads
});

/// Below this many flops a call runs on the calling thread: waking the pool costs more.
pub const PARALLEL_FLOPS: f64 = 2.0e6;

/// The parallelism for a call of about `flops` floating-point operations.
pub fn par_for(flops: f64) -> Par {
    if flops < PARALLEL_FLOPS || IN_FORKED_CHILD.load(Ordering::Relaxed) {
        return Par::Seq;
    }
    match count() {
        0 | 1 => Par::Seq,
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

#[cfg(test)]
mod tests {
    #[test]
    fn set_count_limits_and_clamps() {
        let pool = *super::THREADS;
        assert_eq!(super::set_count(1), 1);
        assert!(matches!(super::par_for(1e12), faer::Par::Seq));
        assert_eq!(super::set_count(0), 1);
        assert_eq!(super::set_count(pool + 5), pool);
        assert_eq!(super::count(), pool);
    }
}
