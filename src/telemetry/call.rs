//! The per-call guard: `begin` before the work, drop (or `finish`) after it.
//!
//! ```ignore
//! let mut call = telemetry::begin(GEMM.of::<T>(), flops, bytes, || format!("m={m} n={n}"));
//! // the router, when it sends the call to the device:
//! call.set_backend(Backend::Gpu, "forced by LAPACK_AI_BACKEND=gpu");
//! call.set_backend_with(Backend::Gpu, || format!("n={n} gemm: est. {g} ms GPU vs {c} ms CPU"));
//! // ... the work ...
//! // dropping `call` counts it (and logs/traces it when asked)
//! ```
//!
//! The non-verbose path allocates nothing, formats nothing, and reads the clock only for
//! calls of at least [`TIMED_MIN_FLOPS`]: tiny calls are counted, not timed.

use super::backend::Backend;
use super::routine::Routine;
use super::{counters, trace, verbose};
use crate::config;
use once_cell::sync::Lazy;
use std::borrow::Cow;
use std::time::Instant;

/// Calls with fewer flops are not timed (unless LAPACK_AI_VERBOSE or LAPACK_AI_TRACE is
/// set): a clock read costs about as much as a 4x4 GEMM.
pub const TIMED_MIN_FLOPS: u64 = 100_000;

/// The reason shown for a call no router has explained.
pub const DEFAULT_REASON: &str = "native";

/// True when every call is logged or traced (and so timed and described).
pub fn detailed() -> bool {
    static DETAILED: Lazy<bool> = Lazy::new(|| {
        let c = config::get();
        c.verbose || c.trace.is_some()
    });
    *DETAILED
}

/// What the verbose line and the trace need; only built when [`detailed`].
struct Detail {
    routine: &'static str,
    shape: String,
    reason: Cow<'static, str>,
}

/// One finished call, as the verbose line and the trace see it.
pub struct Event<'a> {
    pub routine: &'a str,
    pub shape: &'a str,
    pub backend: Backend,
    pub reason: &'a str,
    pub ns: u64,
    pub flops: u64,
    pub bytes: u64,
}

/// A call in flight; counted when dropped.
#[must_use = "the call is counted when this guard drops; bind it with `let _call = ...`"]
pub struct Call {
    index: Option<usize>,
    flops: u64,
    bytes: u64,
    backend: Backend,
    start: Option<Instant>,
    detail: Option<Box<Detail>>,
}

/// Starts counting a call of `routine` doing `flops` floating-point operations on
/// `bytes` bytes of operands. `shape` describes the call ("m=512 n=512 k=512 NN"); it is
/// only called when the call is logged or traced. The backend starts as CPU.
#[inline]
pub fn begin(
    routine: &'static Routine,
    flops: u64,
    bytes: u64,
    shape: impl FnOnce() -> String,
) -> Call {
    let detail = detailed().then(|| {
        Box::new(Detail {
            routine: routine.name(),
            shape: shape(),
            reason: Cow::Borrowed(DEFAULT_REASON),
        })
    });
    let timed = detail.is_some() || flops >= TIMED_MIN_FLOPS;
    Call {
        index: routine.index(),
        flops,
        bytes,
        backend: Backend::Cpu,
        detail,
        start: timed.then(Instant::now),
    }
}

impl Call {
    /// Records where the call runs and why (`reason` is shown in the verbose line/trace).
    #[inline]
    pub fn set_backend(&mut self, backend: Backend, reason: &'static str) {
        self.backend = backend;
        if let Some(d) = &mut self.detail {
            d.reason = Cow::Borrowed(reason);
        }
    }

    /// As [`Call::set_backend`], with a reason formatted only if it will be shown.
    #[inline]
    pub fn set_backend_with(&mut self, backend: Backend, reason: impl FnOnce() -> String) {
        self.backend = backend;
        if let Some(d) = &mut self.detail {
            d.reason = Cow::Owned(reason());
        }
    }

    /// True when this call will be logged or traced.
    pub fn detailed(&self) -> bool {
        self.detail.is_some()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Ends the call now (the same as dropping it).
    pub fn finish(self) {}
}

impl Drop for Call {
    #[inline]
    fn drop(&mut self) {
        let ns = self.start.map(|s| s.elapsed().as_nanos() as u64);
        if let Some(index) = self.index {
            counters::record(index, self.backend, self.flops, self.bytes, ns);
        }
        if let Some(d) = self.detail.take() {
            emit(&d, self.backend, ns.unwrap_or(0), self.flops, self.bytes);
        }
    }
}

#[cold]
#[inline(never)]
fn emit(d: &Detail, backend: Backend, ns: u64, flops: u64, bytes: u64) {
    let event = Event {
        routine: d.routine,
        shape: &d.shape,
        backend,
        reason: &d.reason,
        ns,
        flops,
        bytes,
    };
    let c = config::get();
    if c.verbose {
        verbose::write(&event);
    }
    if c.trace.is_some() {
        trace::write(&event);
    }
}
