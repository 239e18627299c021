//! Help for the thread on a step's critical path. The thread factoring the next panel
//! posts its large pieces of work here (the row blocks of a product, the column blocks of
//! a solve); threads with no chunk of the step left take pieces too, and the poster
//! returns once every piece is done. The poster claims pieces itself and waits only for
//! pieces a helper has started, so a helper that never comes costs only speed.

use crate::threads::Backoff;
use parking_lot::Mutex;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// One posted piece of work: `pieces` independent calls of `work`.
struct Job {
    /// The poster's function; called only for a claimed piece, and every piece is claimed
    /// and finished before the poster (whose stack holds the function) returns.
    work: *const (dyn Fn(usize) + Sync),
    pieces: usize,
    next: AtomicUsize,
    done: AtomicUsize,
    /// A piece panicked; the poster panics once every piece is done.
    panicked: AtomicBool,
}

unsafe impl Send for Job {}
unsafe impl Sync for Job {}

impl Job {
    /// Runs unclaimed pieces until none is left; whether this thread ran any. A panic
    /// stays here (a helper must not unwind, the poster must not leave while helpers
    /// still run pieces of its function) and is recorded for the poster.
    fn run(&self) -> bool {
        let mut ran = false;
        loop {
            let piece = self.next.fetch_add(1, Ordering::Relaxed);
            if piece >= self.pieces {
                return ran;
            }
            let work = unsafe { &*self.work };
            if catch_unwind(AssertUnwindSafe(|| work(piece))).is_err() {
                self.panicked.store(true, Ordering::Relaxed);
            }
            self.done.fetch_add(1, Ordering::Release);
            ran = true;
        }
    }
}

/// A step's help desk (see the module's comment).
#[derive(Default)]
pub struct Desk {
    /// Whether other threads may come to help: without them, callers make their calls
    /// whole rather than in pieces.
    helpers: bool,
    job: Mutex<Option<Arc<Job>>>,
    /// Jobs posted so far: helpers look at the slot only when this moves.
    posted: AtomicUsize,
    /// The critical-path work of the step is done: helpers may leave.
    closed: AtomicBool,
}

impl Desk {
    /// A desk; `helpers`: whether other threads may come.
    pub fn new(helpers: bool) -> Self {
        Desk {
            helpers,
            ..Default::default()
        }
    }

    /// Whether other threads may come to help.
    pub fn has_helpers(&self) -> bool {
        self.helpers
    }

    /// Runs `work(0..pieces)`, sharing the pieces with whoever helps.
    pub fn share(&self, pieces: usize, work: &(dyn Fn(usize) + Sync)) {
        if pieces <= 1 || !self.helpers {
            (0..pieces).for_each(work);
            return;
        }
        // Only the lifetime is erased: the pointer is used while this call waits below.
        let work: *const (dyn Fn(usize) + Sync) = unsafe { std::mem::transmute(work) };
        let job = Arc::new(Job {
            work,
            pieces,
            next: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            panicked: AtomicBool::new(false),
        });
        *self.job.lock() = Some(Arc::clone(&job));
        self.posted.fetch_add(1, Ordering::Release);
        job.run();
        *self.job.lock() = None;
        let mut backoff = Backoff::default();
        while job.done.load(Ordering::Acquire) < pieces {
            backoff.wait();
        }
        if job.panicked.load(Ordering::Relaxed) {
            panic!("a piece of a shared call panicked");
        }
    }

    /// Helps until the desk is closed and `own` has nothing left: between the desk's
    /// pieces, `own` does one piece of the helper's own work and says whether there was
    /// any. After work of either kind the helper spins again before yielding.
    pub fn serve(&self, mut own: impl FnMut() -> bool) {
        let (mut seen, mut backoff) = (0, Backoff::default());
        loop {
            if self.help(&mut seen) || own() {
                backoff = Backoff::default();
            } else if self.is_closed() {
                return;
            } else {
                backoff.wait();
            }
        }
    }

    /// Takes pieces of a job posted since `seen` (updated); whether it ran any.
    fn help(&self, seen: &mut usize) -> bool {
        let posted = self.posted.load(Ordering::Acquire);
        if posted == *seen {
            return false;
        }
        *seen = posted;
        let job = self.job.lock().clone();
        job.is_some_and(|job| job.run())
    }

    /// Whether the step's critical-path work is done.
    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// A guard that closes the desk when dropped (also when the poster panics, so that
    /// no helper waits for ever).
    pub fn closer(&self) -> impl Drop + '_ {
        struct Closer<'a>(&'a AtomicBool);
        impl Drop for Closer<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Release);
            }
        }
        Closer(&self.closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threads;

    #[test]
    fn every_piece_runs_once_with_or_without_helpers() {
        for helpers in [0usize, 1, 3] {
            let desk = Desk::new(true);
            let runs: Vec<AtomicUsize> = (0..37).map(|_| AtomicUsize::new(0)).collect();
            threads::run_parts(helpers + 1, &|part| {
                if part == 0 {
                    let _close = desk.closer();
                    for round in 0..5 {
                        desk.share(runs.len(), &|i| {
                            runs[i].fetch_add(1, Ordering::Relaxed);
                        });
                        assert!(runs.iter().all(|r| r.load(Ordering::Relaxed) == round + 1));
                    }
                } else {
                    desk.serve(|| false);
                }
            });
        }
    }
}
