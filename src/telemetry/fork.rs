//! Fork safety. The child of `fork` has only the thread that called it; a lock that
//! another thread held at that moment (the metrics thread reading the counters, a thread
//! registering its block or a routine) would stay locked for ever in the child, and its
//! first call from a new thread would hang. The prepare handler takes our locks (in the
//! readers' order: registry, then names), so no other thread holds them while the process
//! is copied; parent and child release them after. A child does not serve metrics (the
//! server thread is not copied); its counters start as a copy of the parent's.

use std::sync::Once;

pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: plain extern "C" handlers; glibc drops them if the library is unloaded.
        unsafe { libc::pthread_atfork(Some(prepare), Some(release), Some(release)) };
    });
}

extern "C" fn prepare() {
    super::counters::lock_for_fork();
    super::routine::lock_for_fork();
}

extern "C" fn release() {
    // SAFETY: `prepare` ran on this thread (glibc calls the pair around `fork`).
    unsafe {
        super::routine::unlock_after_fork();
        super::counters::unlock_after_fork();
    }
}
