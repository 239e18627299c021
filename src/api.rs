//! Our own C API (include/lapack_ai.h is generated from this file by cbindgen).

use std::ffi::{c_char, c_int};

/// The library's version, e.g. "0.1.0", as a static NUL-terminated string.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char
}

/// Number of exported BLAS/CBLAS/LAPACK/LAPACKE names that run natively (not forwarded).
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_native_count() -> usize {
    crate::coverage::SYMBOLS.iter().filter(|s| s.native).count()
}

/// Number of exported BLAS/CBLAS/LAPACK/LAPACKE names, native and forwarded.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_symbol_count() -> usize {
    crate::coverage::SYMBOLS.len()
}

/// The telemetry counters since the start (or the last `lapack_ai_stats_reset`) as a JSON
/// object: `{"version": "0.1.0", "timed_min_flops": 100000, "routines": [{"routine":
/// "DGEMM", "backend": "cpu", "calls": 3, "flops": 384, "bytes": 1152, "timed_calls": 0,
/// "timed_flops": 0, "ns": 0}, ...]}`, one entry per routine and backend with calls.
/// `ns` and `timed_flops` cover the timed calls only: those of at least
/// `timed_min_flops` flops, or every call when LAPACK_AI_VERBOSE or LAPACK_AI_TRACE is set.
///
/// Ownership: the string is allocated with malloc and belongs to the caller, who
/// releases it with `lapack_ai_free_string` (or free). NULL if it cannot be allocated.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_stats_json() -> *mut c_char {
    crate::ffi_boundary!("lapack_ai_stats_json", std::ptr::null_mut(), {
        malloc_string(&crate::telemetry::stats_json())
    })
}

/// `text` as a NUL-terminated string allocated with malloc (NULL if it cannot be).
fn malloc_string(text: &str) -> *mut c_char {
    // SAFETY: a fresh allocation of len + 1 bytes, filled before it is returned.
    unsafe {
        let p = libc::malloc(text.len() + 1) as *mut u8;
        if !p.is_null() {
            std::ptr::copy_nonoverlapping(text.as_ptr(), p, text.len());
            *p.add(text.len()) = 0;
        }
        p as *mut c_char
    }
}

/// Releases a string returned by `lapack_ai_stats_json`, `lapack_ai_last_error`,
/// `lapack_ai_explain` or `lapack_ai_devices_json`. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a pointer returned by one of those functions, not yet released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lapack_ai_free_string(s: *mut c_char) {
    // SAFETY: the caller's contract; the string came from malloc.
    unsafe { libc::free(s as *mut libc::c_void) }
}

/// Sets every telemetry counter (all routines, all threads) back to zero.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_stats_reset() {
    crate::ffi_boundary!("lapack_ai_stats_reset", (), { crate::telemetry::reset() })
}

/// The last error of the calling thread, in words, or NULL when there was none since the
/// last call: argument errors with the value and the rule (e.g. "DGESV: argument 4 (LDA =
/// 3) must be >= max(1, N) = 5. ..."), for native LAPACK routines why they returned
/// INFO > 0, and the warnings of `LAPACK_AI_CHECK` ("DGESV: B(3,1) is NaN (argument 6)").
/// Reading it clears it.
///
/// Ownership: malloc'd, released with `lapack_ai_free_string`.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_last_error() -> *mut c_char {
    crate::ffi_boundary!("lapack_ai_last_error", std::ptr::null_mut(), {
        match crate::diag::last_error::take() {
            Some(text) => malloc_string(&text),
            None => std::ptr::null_mut(),
        }
    })
}

/// One sentence saying what INFO = `info` > 0 means for `routine` (e.g. "DGESV" or
/// "dgesv_", any precision letter): `lapack_ai_explain("DGESV", 3)` gives "DGESV: U(3,3)
/// is exactly zero; the matrix is singular". NULL when `info` <= 0, `routine` is NULL or
/// the routine is not one we explain (getrf, gesv, getri, potrf, gesdd, gesvd, geev,
/// syevd, heevd, gelsd and their neighbours).
///
/// Ownership: malloc'd, released with `lapack_ai_free_string`.
///
/// # Safety
/// `routine` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lapack_ai_explain(routine: *const c_char, info: c_int) -> *mut c_char {
    crate::ffi_boundary!("lapack_ai_explain", std::ptr::null_mut(), {
        if routine.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract.
        let name = unsafe { std::ffi::CStr::from_ptr(routine) }.to_string_lossy();
        match crate::diag::explain::explain(&name, info) {
            Some(text) => malloc_string(&text),
            None => std::ptr::null_mut(),
        }
    })
}

/// Overrides `LAPACK_AI_BACKEND` for the calling thread's calls: 0 = no override (the
/// environment decides), 1 = auto, 2 = cpu, 3 = gpu. Returns the previous override
/// (0..3), to restore later, or -1 (nothing changed) for any other `backend`.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_set_backend(backend: c_int) -> c_int {
    crate::ffi_boundary!("lapack_ai_set_backend", -1, {
        use crate::route::backend;
        match backend::from_code(backend) {
            Some(b) => backend::to_code(backend::set_override(b)),
            None => -1,
        }
    })
}

/// The backend in force for the calling thread's calls: 1 = auto, 2 = cpu, 3 = gpu
/// (the thread's override, else `LAPACK_AI_BACKEND`).
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_get_backend() -> c_int {
    crate::ffi_boundary!("lapack_ai_get_backend", -1, {
        crate::route::backend::to_code(Some(crate::route::backend::current()))
    })
}

/// How many threads a call may use (`LAPACK_AI_NUM_THREADS`, or the last
/// `lapack_ai_set_num_threads`).
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_get_num_threads() -> c_int {
    crate::ffi_boundary!("lapack_ai_get_num_threads", 1, {
        crate::threads::count() as c_int
    })
}

/// Lets calls use at most `n` threads, for every thread of the process. The pool is
/// sized once (from `LAPACK_AI_NUM_THREADS`), so `n` is clamped to 1..=that size.
/// Returns the count now in force.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_set_num_threads(n: c_int) -> c_int {
    crate::ffi_boundary!("lapack_ai_set_num_threads", -1, {
        crate::threads::set_count(n.max(1) as usize) as c_int
    })
}

/// Every OpenCL device as JSON: `{"selector": "pocl", "selected": 0, "error": null,
/// "devices": [{"index": 0, "platform": "...", "platform_vendor": "...", "name": "...",
/// "vendor": "...", "driver": "...", "is_gpu": false, "compute_units": 2, "clock_mhz":
/// 0, "global_mem_size": 0, "local_mem_size": 0, "max_work_group_size": 4096, "fp64":
/// true}]}`. `selector` is `LAPACK_AI_DEVICE` (or null), `selected` the index of the
/// device GPU calls would use (or null, and `error` says why).
///
/// Ownership: malloc'd, released with `lapack_ai_free_string`.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_devices_json() -> *mut c_char {
    crate::ffi_boundary!("lapack_ai_devices_json", std::ptr::null_mut(), {
        malloc_string(&crate::gpu::list_json::devices_json())
    })
}

/// Turns the one-line-per-call log on stderr (`LAPACK_AI_VERBOSE`) on (`on` != 0) or off
/// for the whole process. Returns the previous state (1 on, 0 off).
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_set_verbose(on: c_int) -> c_int {
    crate::ffi_boundary!("lapack_ai_set_verbose", -1, {
        crate::telemetry::verbose::set_enabled(on != 0) as c_int
    })
}

/// 1 when the one-line-per-call log is on, else 0.
#[unsafe(no_mangle)]
pub extern "C" fn lapack_ai_get_verbose() -> c_int {
    crate::ffi_boundary!("lapack_ai_get_verbose", -1, {
        crate::telemetry::verbose::enabled() as c_int
    })
}
