//! The OpenCL engine: device discovery, one context and queue per device, a program
//! cache, a per-device tuning table and the offloaded routines.
//!
//! libOpenCL is loaded at run time (`opencl3` with its `dynamic` feature), so a process on
//! a machine without OpenCL never fails to load us: every entry here returns a
//! [`GpuError`] instead, and the router runs the call on the CPU. Declining is normal
//! control flow; the first decline that the user could care about prints one warning.

pub mod complex_1m;
pub mod depth_split;
pub mod device_matrix;
pub mod gemm;
pub mod level3;
pub mod list_json;
pub mod memory;
pub mod output_split;
pub mod program;
pub mod runtime;
pub mod staging;
pub mod tuning;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

pub use runtime::{device, Gpu};

/// Why the GPU path declined a call. Never reaches the caller of a BLAS routine.
#[derive(Clone, Debug)]
pub struct GpuError(pub String);

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<opencl3::error_codes::ClError> for GpuError {
    fn from(e: opencl3::error_codes::ClError) -> Self {
        GpuError(format!("OpenCL error {} ({})", e.0, e))
    }
}

pub type Result<T> = std::result::Result<T, GpuError>;

/// Prints `liblapack_ai: GPU path unavailable ...` the first time only.
pub fn warn_once(e: &GpuError) {
    static WARNED: Once = Once::new();
    WARNED.call_once(|| {
        eprintln!(
            "liblapack_ai: warning: GPU path unavailable ({e}); running on the CPU \
             (results are unaffected; printed once)"
        );
    });
}

/// Calls run on the device and calls the device declined, since the process started.
static OFFLOADED: AtomicU64 = AtomicU64::new(0);
static DECLINED: AtomicU64 = AtomicU64::new(0);

pub(crate) fn count(ok: bool) {
    let c = if ok { &OFFLOADED } else { &DECLINED };
    c.fetch_add(1, Ordering::Relaxed);
}

/// (calls completed on the device, calls the device declined).
pub fn counts() -> (u64, u64) {
    (
        OFFLOADED.load(Ordering::Relaxed),
        DECLINED.load(Ordering::Relaxed),
    )
}

/// Test-only fault injection: `LAPACK_AI_GPU_FAULT=init|build|alloc|enqueue` (or
/// [`fault::set`] from a test) makes that step fail as an OpenCL error would.
pub mod fault {
    use parking_lot::Mutex;

    static OVERRIDE: Mutex<Option<Option<String>>> = Mutex::new(None);

    /// Replace the injected fault for the rest of the process (tests only).
    #[doc(hidden)]
    pub fn set(kind: Option<&str>) {
        *OVERRIDE.lock() = Some(kind.map(str::to_string));
    }

    /// Fails with an injected error when `kind` is the configured fault.
    pub fn check(kind: &str) -> super::Result<()> {
        let active = match &*OVERRIDE.lock() {
            Some(k) => k.as_deref() == Some(kind),
            None => crate::config::get().gpu_fault.as_deref() == Some(kind),
        };
        if active {
            Err(super::GpuError(format!(
                "injected fault '{kind}' (LAPACK_AI_GPU_FAULT, test only)"
            )))
        } else {
            Ok(())
        }
    }
}
