//! What the CBLAS layer of reference BLAS defines besides the routines: its error hook
//! and the two globals the Netlib CBLAS testers read.

use std::ffi::{c_char, c_int, CStr};

/// Set by row-major CBLAS calls while they run (reference CBLAS's `RowMajorStrg`).
#[unsafe(no_mangle)]
#[allow(non_upper_case_globals)]
pub static mut RowMajorStrg: c_int = 0;

/// Set while a CBLAS routine calls the Fortran core (reference CBLAS's `CBLAS_CallFromC`).
#[unsafe(no_mangle)]
#[allow(non_upper_case_globals)]
pub static mut CBLAS_CallFromC: c_int = 0;

/// cblas_xerbla(p, rout, form, ...): parameter `p` of CBLAS routine `rout` was illegal.
/// The C declaration is variadic; the extra arguments only format the reference text,
/// so ignoring them is ABI-safe on x86-64.
///
/// # Safety
/// `rout` must be null or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cblas_xerbla(p: c_int, rout: *const c_char, _form: *const c_char) {
    crate::ffi_boundary!("cblas_xerbla", (), {
        let routine = if rout.is_null() {
            "a CBLAS routine".to_string()
        } else {
            CStr::from_ptr(rout).to_string_lossy().into_owned()
        };
        eprintln!("{}", crate::abi::xerbla::message(&routine, p));
    })
}
