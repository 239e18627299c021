//! `LAPACK_AI_VERBOSE=1`: one line per call on stderr. The switch starts from the
//! environment and can be flipped at run time ([`set_enabled`], `lapack_ai_set_verbose`).

use super::call::Event;
use super::units;
use once_cell::sync::Lazy;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: Lazy<AtomicBool> = Lazy::new(|| AtomicBool::new(crate::config::get().verbose));

/// True when every call prints its line.
#[inline(always)]
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Turns the verbose log on or off for the whole process; returns the previous state.
pub fn set_enabled(on: bool) -> bool {
    let previous = ENABLED.swap(on, Ordering::Relaxed);
    super::call::refresh_detailed();
    previous
}

/// "liblapack_ai: DGEMM m=512 n=512 k=512 NN | cpu (native) | 1.234 ms | 217.5 GFLOP/s | 6.29 MB"
pub fn line(e: &Event) -> String {
    format!(
        "liblapack_ai: {} {} | {} ({}) | {} | {:.2} GFLOP/s | {}\n",
        e.routine,
        e.shape,
        e.backend.name(),
        e.reason,
        units::time(e.ns),
        units::gflops(e.flops, e.ns),
        units::bytes(e.bytes)
    )
}

pub fn write(e: &Event) {
    // One write per line, so lines of concurrent calls do not interleave.
    let _ = std::io::stderr().lock().write_all(line(e).as_bytes());
}
