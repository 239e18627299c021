//! Telemetry, the "watching" half of errors-and-telemetry: what ran, where, how fast.
//!
//! - [`counters`]: always-on per-routine, per-backend counters (calls, flops, bytes,
//!   time), per-thread blocks summed on read; read by `lapack_ai_stats_json`.
//! - [`call`]: the guard every routed call holds (`begin` ... drop).
//! - [`verbose`], [`trace`], [`report`], [`exit`]: `LAPACK_AI_VERBOSE`, `LAPACK_AI_TRACE`,
//!   `LAPACK_AI_REPORT` and the work they need at process exit.
//! - [`blas`]: the hooks of the native BLAS entries (flops and bytes formulas).
//! - [`serve`], [`prometheus`], [`live`], [`process`]: `LAPACK_AI_METRICS`, the
//!   Prometheus endpoint and the live dashboard; [`fork`]: our locks across `fork`
//!   ([`fork_lock`]: the lock they are).
//! - [`html_report`], [`svg`]: `lapack-ai report TRACE --html`.
//!
//! A new routine needs one static and one line:
//! ```ignore
//! static DAXPY: telemetry::Routine = telemetry::Routine::new("DAXPY");
//! let _call = telemetry::begin(&DAXPY, 2 * n, 3 * n * 8, || format!("n={n}"));
//! ```

pub mod backend;
pub mod blas;
pub mod call;
pub mod counters;
pub mod exit;
pub mod fork;
mod fork_lock;
pub mod html_report;
pub mod json;
pub mod lapack;
pub mod live;
pub mod process;
pub mod prometheus;
pub mod report;
pub mod routine;
pub mod serve;
pub mod svg;
pub mod thread_table;
pub mod trace;
pub mod units;
pub mod verbose;

pub use backend::Backend;
pub use call::{begin, detailed, Call, TIMED_MIN_FLOPS};
pub use counters::{reset, snapshot, Row, Totals};
pub use routine::{Family, Routine};

/// The counters since the last reset, as the JSON object `lapack_ai_stats_json` returns.
pub fn stats_json() -> String {
    json::stats(&snapshot(None).unwrap_or_default(), TIMED_MIN_FLOPS)
}

#[cfg(test)]
mod tests;
