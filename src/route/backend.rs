//! The backend in force for the calling thread: `LAPACK_AI_BACKEND`, unless the thread
//! set an override (`lapack_ai_set_backend`, used by `lapack_py`'s `gpu=` argument).
//! The override is per thread so that one caller's choice never moves another's calls.

use crate::config::{self, Backend};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

thread_local! {
    static OVERRIDE: Cell<Option<Backend>> = const { Cell::new(None) };
}

/// Whether any thread has ever set an override. Until then no thread has one, and
/// [`current`] skips the thread-local lookup (a `__tls_get_addr` call from a shared
/// object), which every tiny level-3 call would otherwise pay.
static EVER_OVERRIDDEN: AtomicBool = AtomicBool::new(false);

/// The backend that routes this thread's calls.
#[inline(always)]
pub fn current() -> Backend {
    if EVER_OVERRIDDEN.load(Relaxed) {
        if let Some(backend) = this_threads_override() {
            return backend;
        }
    }
    config::get().backend
}

/// Out of line: LLVM would otherwise compute the thread-local's address before the
/// test above, paying the lookup on every call.
#[inline(never)]
fn this_threads_override() -> Option<Backend> {
    OVERRIDE.with(Cell::get)
}

/// This thread's override, if it set one.
pub fn override_here() -> Option<Backend> {
    if EVER_OVERRIDDEN.load(Relaxed) {
        this_threads_override()
    } else {
        None
    }
}

/// Sets (Some) or clears (None) this thread's override; returns the previous one.
pub fn set_override(backend: Option<Backend>) -> Option<Backend> {
    if backend.is_some() {
        // Before the override itself: this thread reads its own override back in
        // program order either way; other threads never see it.
        EVER_OVERRIDDEN.store(true, Relaxed);
    }
    OVERRIDE.with(|o| o.replace(backend))
}

/// The C API's numbering: 0 = no override, 1 = auto, 2 = cpu, 3 = gpu.
pub fn to_code(backend: Option<Backend>) -> i32 {
    match backend {
        None => 0,
        Some(Backend::Auto) => 1,
        Some(Backend::Cpu) => 2,
        Some(Backend::Gpu) => 3,
    }
}

/// The inverse of [`to_code`]: Some(override), or None for codes outside 0..=3.
pub fn from_code(code: i32) -> Option<Option<Backend>> {
    match code {
        0 => Some(None),
        1 => Some(Some(Backend::Auto)),
        2 => Some(Some(Backend::Cpu)),
        3 => Some(Some(Backend::Gpu)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_is_per_thread_and_restorable() {
        let env = config::get().backend;
        assert_eq!(current(), env);
        assert_eq!(set_override(Some(Backend::Gpu)), None);
        assert_eq!(current(), Backend::Gpu);
        std::thread::spawn(move || assert_eq!(current(), env))
            .join()
            .unwrap();
        assert_eq!(set_override(Some(Backend::Cpu)), Some(Backend::Gpu));
        assert_eq!(current(), Backend::Cpu);
        assert_eq!(set_override(None), Some(Backend::Cpu));
        assert_eq!(current(), env);
    }

    #[test]
    fn codes_round_trip() {
        for code in 0..=3 {
            assert_eq!(to_code(from_code(code).unwrap()), code);
        }
        assert!(from_code(4).is_none() && from_code(-1).is_none());
    }

    #[test]
    fn forced_cpu_keeps_a_large_gemm_on_the_cpu() {
        let before = set_override(Some(Backend::Cpu));
        assert!(super::super::cpu_only((4096, 4096, 4096)).is_some());
        let (decision, dev) = super::super::decide_gemm::<f64>((4096, 4096, 4096));
        assert!(!decision.ran_on_device() && dev.is_none());
        set_override(before);
    }
}
