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
use parking_lot::Mutex;
use std::borrow::Cow;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering::Relaxed};

/// Calls with fewer flops are not timed (unless LAPACK_AI_VERBOSE or LAPACK_AI_TRACE is
/// set): a clock read costs about as much as a 4x4 GEMM.
pub const TIMED_MIN_FLOPS: u64 = 100_000;

/// The reason shown for a call no router has explained.
pub const DEFAULT_REASON: &str = "native";

/// [`detailed`] as one byte: 0 not known yet, 1 no, 2 yes.
static DETAILED: AtomicU8 = AtomicU8::new(0);

/// Calls of at least this many flops take [`begin_slow`] (timed, and described when
/// [`detailed`]): [`TIMED_MIN_FLOPS`], or 0 while every call is detailed and until the
/// first call has read the configuration. One comparison on the hot path.
static SLOW_FROM: AtomicU64 = AtomicU64::new(0);

/// Serializes the writers of DETAILED and SLOW_FROM, so the two always agree.
static SWITCH: Mutex<()> = Mutex::new(());

/// True when every call is logged or traced (and so timed and described).
#[inline]
pub fn detailed() -> bool {
    match DETAILED.load(Relaxed) {
        1 => false,
        2 => true,
        _ => detailed_first(),
    }
}

fn detailed_now() -> bool {
    static TRACED: Lazy<bool> = Lazy::new(|| config::get().trace.is_some());
    verbose::enabled() || *TRACED
}

fn store_detailed(on: bool) {
    DETAILED.store(if on { 2 } else { 1 }, Relaxed);
    SLOW_FROM.store(if on { 0 } else { TIMED_MIN_FLOPS }, Relaxed);
}

#[cold]
fn detailed_first() -> bool {
    let _switch = SWITCH.lock();
    // Only if still unknown: a `refresh_detailed` before us has the newer answer.
    if DETAILED.load(Relaxed) == 0 {
        store_detailed(detailed_now());
    }
    DETAILED.load(Relaxed) == 2
}

/// Recomputes [`detailed`] after `LAPACK_AI_VERBOSE` is switched at run time.
pub fn refresh_detailed() {
    let _switch = SWITCH.lock();
    store_detailed(detailed_now());
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

/// A call in flight: counted when it begins, timed (if it is timed) when it drops.
#[must_use = "the call is timed when this guard drops; bind it with `let _call = ...`"]
pub struct Call {
    routine: &'static Routine,
    /// The routine's counters ([`Routine::offset`]).
    offset: u32,
    backend: Backend,
    flops: u64,
    bytes: u64,
    /// Monotonic clock at the start in ns, 0 if the call is not timed; a described call
    /// is always timed. (Plain integers: the guard stays a bag of scalars that the
    /// compiler keeps in registers.)
    start: u64,
    /// Taken (and freed) by `finish_slow`; ManuallyDrop keeps the drop glue of `Call`
    /// down to `Drop::drop`.
    detail: ManuallyDrop<Option<Box<Detail>>>,
}

/// Starts a call of `routine` doing `flops` floating-point operations on `bytes` bytes
/// of operands, and counts it (on the CPU until [`Call::set_backend`] says otherwise).
/// `shape` describes the call ("m=512 n=512 k=512 NN"); it is only called when the call
/// is logged or traced.
#[inline(always)]
pub fn begin(
    routine: &'static Routine,
    flops: u64,
    bytes: u64,
    shape: impl FnOnce() -> String,
) -> Call {
    let mut call = Call {
        routine,
        offset: 0,
        backend: Backend::Cpu,
        flops,
        bytes,
        start: 0,
        detail: ManuallyDrop::new(None),
    };
    if cfg!(feature = "telemetry") {
        let offset = routine.offset();
        counters::record(offset, Backend::Cpu, flops, bytes);
        call.offset = offset as u32;
        if flops >= SLOW_FROM.load(Relaxed) {
            let (start, detail) = begin_slow(routine, flops, shape);
            call.start = start;
            call.detail = ManuallyDrop::new(detail);
        }
    }
    call
}

/// A call that is timed, and described if [`detailed`]: its start time and description.
#[cold]
#[inline(never)]
fn begin_slow(
    routine: &'static Routine,
    flops: u64,
    shape: impl FnOnce() -> String,
) -> (u64, Option<Box<Detail>>) {
    let detail = detailed().then(|| {
        Box::new(Detail {
            routine: routine.name(),
            shape: shape(),
            reason: Cow::Borrowed(DEFAULT_REASON),
        })
    });
    // SLOW_FROM is 0 before the configuration is read: a small call is timed only if
    // it is described.
    if detail.is_some() || flops >= TIMED_MIN_FLOPS {
        (now_ns(), detail)
    } else {
        (0, None)
    }
}

/// CLOCK_MONOTONIC in ns (never 0).
fn now_ns() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut t) };
    (t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64).max(1)
}

impl Call {
    /// Records where the call runs and why (`reason` is shown in the verbose line/trace).
    #[inline(always)]
    pub fn set_backend(&mut self, backend: Backend, reason: &'static str) {
        self.move_to(backend);
        if let Some(d) = self.detail.as_mut() {
            d.reason = Cow::Borrowed(reason);
        }
    }

    /// As [`Call::set_backend`], with a reason formatted only if it will be shown.
    #[inline(always)]
    pub fn set_backend_with(&mut self, backend: Backend, reason: impl FnOnce() -> String) {
        self.move_to(backend);
        if let Some(d) = self.detail.as_mut() {
            d.reason = Cow::Owned(reason());
        }
    }

    #[inline(always)]
    fn move_to(&mut self, backend: Backend) {
        if backend != self.backend {
            if cfg!(feature = "telemetry") {
                counters::move_call(
                    self.offset as usize,
                    self.backend,
                    backend,
                    self.flops,
                    self.bytes,
                );
            }
            self.backend = backend;
        }
    }

    /// True when this call will be logged or traced.
    #[inline(always)]
    pub fn detailed(&self) -> bool {
        self.detail.is_some()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn routine(&self) -> &'static Routine {
        self.routine
    }

    /// Ends the call now (the same as dropping it).
    pub fn finish(self) {}
}

/// The end of a timed call. Takes the guard's fields by value: a `&mut Call` here
/// would keep every guard in memory (stored on each call) instead of in registers.
#[cold]
#[inline(never)]
fn finish_slow(
    offset: u32,
    backend: Backend,
    flops: u64,
    bytes: u64,
    start: u64,
    detail: Option<Box<Detail>>,
) {
    let ns = now_ns().saturating_sub(start);
    counters::record_time(offset as usize, backend, flops, ns);
    if let Some(d) = detail {
        emit(&d, backend, ns, flops, bytes);
    }
}

impl Drop for Call {
    #[inline(always)]
    fn drop(&mut self) {
        // A small call was counted by `begin`: nothing left to do. (A described call
        // is timed, so `start` says both.)
        if self.start != 0 {
            finish_slow(
                self.offset,
                self.backend,
                self.flops,
                self.bytes,
                self.start,
                self.detail.take(),
            );
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
    if verbose::enabled() {
        verbose::write(&event);
    }
    if config::get().trace.is_some() {
        trace::write(&event);
    }
}
