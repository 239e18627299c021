//! Our own C API (include/lapack_ai.h is generated from this file by cbindgen).

use std::ffi::c_char;

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
        let text = crate::telemetry::stats_json();
        // SAFETY: a fresh allocation of len + 1 bytes, filled before it is returned.
        unsafe {
            let p = libc::malloc(text.len() + 1) as *mut u8;
            if !p.is_null() {
                std::ptr::copy_nonoverlapping(text.as_ptr(), p, text.len());
                *p.add(text.len()) = 0;
            }
            p as *mut c_char
        }
    })
}

/// Releases a string returned by `lapack_ai_stats_json`. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a pointer returned by `lapack_ai_stats_json`, not yet released.
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
