//! Work at process exit: flush the trace and the verbose log file, print the report.
//!
//! Registered with `atexit` on the first counted call when `LAPACK_AI_TRACE`,
//! `LAPACK_AI_REPORT` or a `LAPACK_AI_VERBOSE` file is set. From a shared library, glibc runs it at `exit` or at
//! `dlclose`, whichever comes first, on whatever thread calls it. It takes no lock
//! without a timeout (the thread that held it may be gone) and never unwinds.

use crate::config;
use std::sync::Once;
use std::time::Duration;

pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let c = config::get();
        if c.report || c.trace.is_some() || c.verbose_path.is_some() {
            // SAFETY: registering a plain extern "C" fn.
            unsafe { libc::atexit(at_exit) };
        }
    });
}

extern "C" fn at_exit() {
    let _ = std::panic::catch_unwind(|| {
        super::trace::flush(Duration::from_millis(200));
        super::verbose::flush(Duration::from_millis(200));
        if config::get().report {
            super::report::print_at_exit();
        }
    });
}
