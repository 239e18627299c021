//! XERBLA, the argument-error hook of BLAS and LAPACK. Ours prints what went wrong and
//! returns (reference XERBLA stops the process; ours never does unless asked with
//! `LAPACK_AI_ERRORS=abort`). A program's own `xerbla_` wins over ours: we export ours
//! as an ordinary symbol and our own code reaches XERBLA through the dynamic linker.

use crate::abi::int::read;
use crate::config::{self, ErrorMode};
use crate::diag::check::{Check, Rule, Value};
use crate::for_each_abi;
use once_cell::sync::Lazy;
use std::cell::RefCell;
use std::ffi::c_char;

/// What is wrong when argument `position` of `routine` is illegal, as a sentence
/// ("DGESV: argument 1 (N) had an illegal value ..."), when only the position is known.
pub fn explanation(routine: &str, position: i32) -> String {
    crate::diag::check::message(routine, position, Value::Unknown, Rule::Illegal)
}

/// The line printed for an argument error: the explanation, prefixed with our name.
pub fn message(routine: &str, position: i32) -> String {
    format!("liblapack_ai: {}", explanation(routine, position))
}

thread_local! {
    /// The full sentence of the argument error our code is reporting right now
    /// (routine, position, text), for our XERBLA to print instead of the generic one.
    static PENDING: RefCell<Option<(String, i32, String)>> = const { RefCell::new(None) };
}

/// The sentence for argument `position` of `routine`: the pending one of a check of our
/// own if it is the same error, else the generic explanation (XERBLA called by
/// forwarded code, or by a program).
fn sentence(routine: &str, position: i32) -> String {
    let pending = PENDING.with(|p| p.borrow_mut().take());
    match pending {
        Some((name, at, text)) if name == routine && at == position => text,
        _ => explanation(routine, position),
    }
}

/// Records the error as this thread's last error, then prints (or not) as configured.
/// The sentence is the pending one of our own check, if it is for this error.
pub fn report(routine: &str, position: i32) {
    let text = sentence(routine, position);
    crate::diag::last_error::record(text.clone());
    match config::get().errors {
        ErrorMode::Quiet => {}
        ErrorMode::Print => eprintln!("liblapack_ai: {text}"),
        ErrorMode::Abort => {
            eprintln!("liblapack_ai: {text} Aborting (LAPACK_AI_ERRORS=abort).");
            std::process::abort();
        }
    }
}

/// An INFO or position argument as XERBLA reports it (positions are small; a value
/// beyond `i32` is clamped rather than wrapped).
pub fn info_position(info: i64) -> i32 {
    info.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// Our XERBLA's body: `srname` of hidden length `len`, argument `info`.
unsafe fn own_xerbla(srname: *const c_char, info: i64, len: usize) {
    let routine = crate::abi::fortran::fortran_str(srname, len);
    report(&routine, info_position(info));
}

/// XERBLA(SRNAME, INFO) under every ABI name (`xerbla_`, `xerbla_64_`, ...).
macro_rules! xerbla {
    ([$I:ty, $pre:literal, $suf:literal],) => {
        /// XERBLA(SRNAME, INFO): argument INFO of routine SRNAME was illegal.
        ///
        /// # Safety
        /// `srname` must point to `len` bytes and `info` to an integer.
        #[unsafe(export_name = concat!($pre, "xerbla_", $suf))]
        pub unsafe extern "C" fn xerbla_(srname: *const c_char, info: *const $I, len: usize) {
            crate::ffi_boundary!("XERBLA", (), {
                own_xerbla(srname, if info.is_null() { 0 } else { read(info) }, len)
            })
        }
    };
}

for_each_abi! {
    xerbla!();
}

/// Our LP64 XERBLA as a function pointer: the fallback when the process has none.
unsafe extern "C" fn lp64_xerbla(srname: *const c_char, info: *const i32, len: usize) {
    crate::ffi_boundary!("XERBLA", (), {
        own_xerbla(srname, if info.is_null() { 0 } else { read(info) }, len)
    })
}

type XerblaFn = unsafe extern "C" fn(*const c_char, *const i32, usize);

/// The `xerbla_` the dynamic linker binds for this process: the program's own if it has
/// one (the Netlib testers do, and check what they receive), else ours.
static PROCESS_XERBLA: Lazy<XerblaFn> = Lazy::new(|| {
    let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"xerbla_".as_ptr()) };
    if found.is_null() {
        lp64_xerbla
    } else {
        unsafe { std::mem::transmute::<*mut libc::c_void, XerblaFn>(found) }
    }
});

/// Reports an illegal argument the way reference BLAS/LAPACK do: `routine` upper-case
/// without the trailing underscore ("DGEMM"), `position` counted from 1. Entry points of
/// every ABI (ILP64 too) report through the process's LP64 `xerbla_`: that is the one
/// programs override (NumPy, SciPy, the Netlib testers), and a position fits any width.
/// The error is recorded as this thread's last error even when the program's own
/// XERBLA replaces ours.
pub fn argument_error(routine: &str, position: i32) {
    report_through_xerbla(routine, position, explanation(routine, position));
}

/// [`argument_error`] for a failed check of our own: XERBLA still receives only the
/// routine and the position (the reference contract); the sentence with the value and
/// the rule is what our XERBLA prints and what the last error holds.
#[cold]
#[inline(never)]
pub fn argument_error_because(routine: &str, check: &Check) {
    report_through_xerbla(routine, check.position, check.message(routine));
}

fn report_through_xerbla(routine: &str, position: i32, text: String) {
    with_sentence(routine, position, text, || {
        // Fortran callers declare SRNAME as at least CHARACTER*6 and read all six: pad
        // with blanks as reference BLAS's 'DGEMM ' literal is.
        let name = format!("{routine:<6}");
        unsafe { PROCESS_XERBLA(name.as_ptr() as *const c_char, &position, name.len()) };
    });
}

/// Runs `call_hook` (which calls the process's XERBLA or cblas_xerbla for argument
/// `position` of `routine`) with `text` recorded as the last error and pending for our
/// own hook to print instead of the generic sentence.
pub fn with_sentence(routine: &str, position: i32, text: String, call_hook: impl FnOnce()) {
    crate::diag::last_error::record(text.clone());
    PENDING.with(|p| *p.borrow_mut() = Some((routine.to_string(), position, text)));
    call_hook();
    // A program's own hook never consumed it.
    PENDING.with(|p| p.borrow_mut().take());
}

#[cfg(test)]
mod tests {
    #[test]
    fn message_names_routine_and_position() {
        let text = super::message("DGEMM", 8);
        assert!(
            text.contains("DGEMM") && text.contains("argument 8 (LDA)"),
            "{text}"
        );
        let unknown = super::message("DLAXYZ", 3);
        assert!(unknown.contains("argument 3 had"), "{unknown}");
    }
}

macro_rules! xerbla_array {
    ([$I:ty, $pre:literal, $suf:literal],) => {
        /// XERBLA_ARRAY(SRNAME_ARRAY, SRNAME_LEN, INFO): XERBLA for callers (C, LAPACKE)
        /// that hold the routine name as a character array; passes it on to the
        /// process's XERBLA.
        ///
        /// # Safety
        /// `name` must point to `*len` bytes, `len` and `info` to integers.
        #[unsafe(export_name = concat!($pre, "xerbla_array_", $suf))]
        pub unsafe extern "C" fn xerbla_array_(
            name: *const c_char,
            len: *const $I,
            info: *const $I,
            _hidden: usize,
        ) {
            crate::ffi_boundary!("XERBLA_ARRAY", (), {
                let len = if len.is_null() {
                    0
                } else {
                    read(len).max(0) as usize
                };
                let routine = crate::abi::fortran::fortran_str(name, len);
                argument_error(
                    &routine,
                    info_position(if info.is_null() { 0 } else { read(info) }),
                );
            })
        }
    };
}

for_each_abi! {
    xerbla_array!();
}
