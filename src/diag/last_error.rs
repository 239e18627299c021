//! The last error of this thread, in words: argument errors (XERBLA) record their message
//! here, and native LAPACK routines may record why they returned INFO > 0. Bindings
//! (`lapack_py`) read it once with [`take`] to put it in the exception they raise.

use std::cell::RefCell;

thread_local! {
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers `message` as this thread's last error (replacing an older one).
pub fn record(message: String) {
    LAST.with(|last| *last.borrow_mut() = Some(message));
}

/// This thread's last error, cleared by reading it; None when nothing was recorded since.
pub fn take() -> Option<String> {
    LAST.with(|last| last.borrow_mut().take())
}

#[cfg(test)]
mod tests {
    #[test]
    fn record_then_take_once_per_thread() {
        assert_eq!(super::take(), None);
        super::record("first".into());
        super::record("second".into());
        std::thread::spawn(|| assert_eq!(super::take(), None))
            .join()
            .unwrap();
        assert_eq!(super::take().as_deref(), Some("second"));
        assert_eq!(super::take(), None);
    }
}
