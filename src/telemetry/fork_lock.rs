//! The lock of the data the `fork` handlers hold across a fork (the counter registry, the
//! routine names). parking_lot's locks queue waiting threads in a process-wide table
//! under locks of its own: a thread parking on one of our locks while another thread
//! forks (the prepare handler holds them) can leave a table bucket locked in the child,
//! by a thread the child does not have, and the child hangs the first time it wakes a
//! waiter there (seen once in the fork-while-scraped test: a child hung). This lock
//! only spins and yields: its whole state is one flag in the lock itself, which the
//! handlers clear in parent and child alike. The sections it guards are short and rare
//! (a thread's registration, a read of the counters).

use crate::threads::Backoff;
use std::cell::UnsafeCell;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct ForkLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// The value is reached only through a guard, one at a time.
unsafe impl<T: Send> Sync for ForkLock<T> {}

impl<T> ForkLock<T> {
    pub const fn new(value: T) -> Self {
        ForkLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    fn try_take(&self) -> bool {
        !self.locked.load(Ordering::Relaxed)
            && self
                .locked
                .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
    }

    pub fn lock(&self) -> ForkGuard<'_, T> {
        self.take_before(None).expect("no deadline")
    }

    /// The lock, or None if it stays taken for `wait`.
    pub fn try_lock_for(&self, wait: Duration) -> Option<ForkGuard<'_, T>> {
        self.take_before(Some(Instant::now() + wait))
    }

    fn take_before(&self, deadline: Option<Instant>) -> Option<ForkGuard<'_, T>> {
        let mut backoff = Backoff::default();
        while !self.try_take() {
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return None;
            }
            backoff.wait();
        }
        Some(ForkGuard(self))
    }

    /// Takes the lock and keeps it without a guard (a `fork` prepare handler).
    pub fn hold_for_fork(&self) {
        std::mem::forget(self.lock());
    }

    /// Releases the lock [`Self::hold_for_fork`] kept, in the parent or the child.
    ///
    /// # Safety
    /// Only after [`Self::hold_for_fork`], on the thread that called `fork`.
    pub unsafe fn release_after_fork(&self) {
        self.locked.store(false, Ordering::Release);
    }
}

pub struct ForkGuard<'a, T>(&'a ForkLock<T>);

impl<T> Deref for ForkGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock.
        unsafe { &*self.0.value.get() }
    }
}

impl<T> DerefMut for ForkGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock.
        unsafe { &mut *self.0.value.get() }
    }
}

impl<T> Drop for ForkGuard<'_, T> {
    fn drop(&mut self) {
        self.0.locked.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::ForkLock;
    use std::time::Duration;

    static SHARED: ForkLock<Vec<u32>> = ForkLock::new(Vec::new());

    #[test]
    fn excludes_and_times_out() {
        let lock = ForkLock::new(0u64);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..10_000 {
                        *lock.lock() += 1;
                    }
                });
            }
        });
        assert_eq!(*lock.lock(), 40_000);
        let held = lock.lock();
        assert!(lock.try_lock_for(Duration::from_millis(20)).is_none());
        drop(held);
        assert!(lock.try_lock_for(Duration::from_millis(20)).is_some());
    }

    /// A thread waits on the lock while it is held across `fork`: the child, which has
    /// only the forking thread, releases it and takes it again from a new thread.
    #[test]
    fn a_child_of_fork_takes_the_lock_again() {
        SHARED.hold_for_fork();
        let waiter = std::thread::spawn(|| SHARED.lock().push(1));
        std::thread::sleep(Duration::from_millis(50));
        let pid = unsafe { libc::fork() };
        if pid == 0 {
            unsafe { SHARED.release_after_fork() };
            let again =
                std::thread::spawn(|| SHARED.try_lock_for(Duration::from_secs(5)).is_some());
            let ok = again.join().unwrap_or(false) && SHARED.lock().is_empty();
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        unsafe { SHARED.release_after_fork() };
        waiter.join().unwrap();
        let mut status = -1;
        assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "child status {status}"
        );
        assert_eq!(*SHARED.lock(), vec![1]);
    }
}
