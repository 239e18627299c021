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
