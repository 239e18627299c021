//! `LAPACK_AI_VERBOSE=1`: one line per call on stderr.

use super::call::Event;
use super::units;
use std::io::Write;

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
