//! What the CBLAS layer of reference BLAS defines besides the routines (its error hook
//! and the two globals the Netlib CBLAS testers read), and the helpers every CBLAS entry
//! point shares: the order/transpose codes, the globals' protocol, scalar arguments.

use crate::abi::int::AbiInt;
use crate::blas::args::{Diag, Side, Trans, Uplo};
use crate::diag::check::{Check, Value};
use crate::for_each_abi;
use crate::scalar::{c32, c64, Scalar};
use once_cell::sync::Lazy;
use std::ffi::{c_char, c_int, c_void, CStr};

/// Set by row-major CBLAS calls while they run (reference CBLAS's `RowMajorStrg`).
#[unsafe(no_mangle)]
#[allow(non_upper_case_globals)]
pub static mut RowMajorStrg: c_int = 0;

/// Set while a CBLAS routine calls the Fortran core (reference CBLAS's `CBLAS_CallFromC`).
#[unsafe(no_mangle)]
#[allow(non_upper_case_globals)]
pub static mut CBLAS_CallFromC: c_int = 0;

/// Our cblas_xerbla's body: parameter `p` of CBLAS routine `rout` was illegal.
unsafe fn own_cblas_xerbla(p: i64, rout: *const c_char) {
    let routine = if rout.is_null() {
        "a CBLAS routine".to_string()
    } else {
        CStr::from_ptr(rout).to_string_lossy().into_owned()
    };
    let position = crate::abi::xerbla::info_position(p);
    crate::abi::xerbla::report(&routine, position);
}

macro_rules! cblas_xerbla {
    ([$I:ty, $pre:literal, $suf:literal],) => {
        /// cblas_xerbla(p, rout, form, ...): parameter `p` of CBLAS routine `rout` was
        /// illegal (`p` is `blasint`: 64-bit in `cblas_xerbla64_`, as OpenBLAS). The C
        /// declaration is variadic; the extra arguments only format the reference
        /// text, so ignoring them is ABI-safe on x86-64.
        ///
        /// # Safety
        /// `rout` must be null or a NUL-terminated string.
        #[unsafe(export_name = concat!($pre, "cblas_xerbla", $suf))]
        pub unsafe extern "C" fn cblas_xerbla(p: $I, rout: *const c_char, _form: *const c_char) {
            crate::ffi_boundary!("cblas_xerbla", (), { own_cblas_xerbla(p.get(), rout) })
        }
    };
}

for_each_abi! {
    cblas_xerbla!();
}

/// Our LP64 cblas_xerbla as a function pointer: the fallback when the process has none.
unsafe extern "C" fn lp64_cblas_xerbla(p: c_int, rout: *const c_char, _form: *const c_char) {
    crate::ffi_boundary!("cblas_xerbla", (), { own_cblas_xerbla(p.into(), rout) })
}

type CblasXerblaFn = unsafe extern "C" fn(c_int, *const c_char, *const c_char);

/// The process's `cblas_xerbla` (a program's own wins, as for `xerbla_`).
static PROCESS_CBLAS_XERBLA: Lazy<CblasXerblaFn> = Lazy::new(|| {
    let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"cblas_xerbla".as_ptr()) };
    if found.is_null() {
        lp64_cblas_xerbla
    } else {
        unsafe { std::mem::transmute::<*mut c_void, CblasXerblaFn>(found) }
    }
});

/// Reports illegal parameter `position` of CBLAS routine `routine` ("cblas_dgemm").
pub fn cblas_argument_error(routine: &CStr, position: c_int) {
    unsafe { PROCESS_CBLAS_XERBLA(position, routine.as_ptr(), c"".as_ptr()) };
}

/// The rules of the CBLAS enumerations, for [`cblas_bad_option`].
pub const CBLAS_ORDER_RULE: &str = "must be CblasRowMajor (101) or CblasColMajor (102)";
pub const CBLAS_TRANS_RULE: &str =
    "must be CblasNoTrans (111), CblasTrans (112) or CblasConjTrans (113)";
pub const CBLAS_UPLO_RULE: &str = "must be CblasUpper (121) or CblasLower (122)";
pub const CBLAS_DIAG_RULE: &str = "must be CblasNonUnit (131) or CblasUnit (132)";
pub const CBLAS_SIDE_RULE: &str = "must be CblasLeft (141) or CblasRight (142)";

/// Reports enumeration argument `position` of CBLAS routine `routine`, whose value
/// `code` breaks `rule`: the process's cblas_xerbla gets the routine and the position
/// (the reference contract); ours prints "cblas_dgemm: argument 2 (value 7) must be
/// CblasNoTrans (111), ...".
pub fn cblas_bad_option(routine: &CStr, position: c_int, code: c_int, rule: &'static str) {
    let name = routine.to_string_lossy();
    let check = Check::rule(position, true, Value::Int(code.into()), rule);
    crate::abi::xerbla::with_sentence(&name, position, check.message(&name), || {
        cblas_argument_error(routine, position)
    });
}

pub const CBLAS_ROW_MAJOR: c_int = 101;
pub const CBLAS_COL_MAJOR: c_int = 102;

/// The reference CBLAS protocol around a call: `CBLAS_CallFromC` is 1 while the Fortran
/// core runs (so a program's `xerbla_` knows to translate positions) and `RowMajorStrg`
/// says whether the caller's order was row-major. Both return to 0 when the guard drops.
pub struct CblasCall(());

impl CblasCall {
    pub fn begin(row_major: bool) -> CblasCall {
        unsafe {
            CBLAS_CallFromC = 1;
            RowMajorStrg = row_major as c_int;
        }
        CblasCall(())
    }
}

impl Drop for CblasCall {
    fn drop(&mut self) {
        unsafe {
            CBLAS_CallFromC = 0;
            RowMajorStrg = 0;
        }
    }
}

/// CBLAS_TRANSPOSE: 111 N, 112 T, 113 C.
pub fn cblas_trans(code: c_int) -> Option<Trans> {
    match code {
        111 => Some(Trans::No),
        112 => Some(Trans::Trans),
        113 => Some(Trans::ConjTrans),
        _ => None,
    }
}

/// CBLAS_UPLO: 121 upper, 122 lower.
pub fn cblas_uplo(code: c_int) -> Option<Uplo> {
    match code {
        121 => Some(Uplo::Upper),
        122 => Some(Uplo::Lower),
        _ => None,
    }
}

/// CBLAS_DIAG: 131 non-unit, 132 unit.
pub fn cblas_diag(code: c_int) -> Option<Diag> {
    match code {
        131 => Some(Diag::NonUnit),
        132 => Some(Diag::Unit),
        _ => None,
    }
}

/// CBLAS_SIDE: 141 left, 142 right.
pub fn cblas_side(code: c_int) -> Option<Side> {
    match code {
        141 => Some(Side::Left),
        142 => Some(Side::Right),
        _ => None,
    }
}

/// The Fortran option character for each enum, to call the Fortran-level checked body.
pub fn trans_char(t: Trans) -> u8 {
    match t {
        Trans::No => b'N',
        Trans::Trans => b'T',
        Trans::ConjTrans => b'C',
    }
}
pub fn uplo_char(u: Uplo) -> u8 {
    match u {
        Uplo::Upper => b'U',
        Uplo::Lower => b'L',
    }
}
pub fn diag_char(d: Diag) -> u8 {
    match d {
        Diag::Unit => b'U',
        Diag::NonUnit => b'N',
    }
}
pub fn side_char(s: Side) -> u8 {
    match s {
        Side::Left => b'L',
        Side::Right => b'R',
    }
}

/// How CBLAS passes a scalar argument such as alpha: by value for real types, through a
/// `const void *` for complex ones.
pub trait CblasScalar: Scalar {
    type Arg: Copy;
    /// # Safety
    /// For complex types `arg` must point to a readable value.
    unsafe fn read(arg: Self::Arg) -> Self;
}

impl CblasScalar for f32 {
    type Arg = f32;
    unsafe fn read(arg: f32) -> f32 {
        arg
    }
}
impl CblasScalar for f64 {
    type Arg = f64;
    unsafe fn read(arg: f64) -> f64 {
        arg
    }
}
impl CblasScalar for c32 {
    type Arg = *const c_void;
    unsafe fn read(arg: *const c_void) -> c32 {
        *(arg as *const c32)
    }
}
impl CblasScalar for c64 {
    type Arg = *const c_void;
    unsafe fn read(arg: *const c_void) -> c64 {
        *(arg as *const c64)
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::last_error;

    #[test]
    fn enumeration_errors_show_the_code_and_the_choices() {
        let (a, mut c) = ([1.0f64; 4], [0.0f64; 4]);
        let call = |order, transa, c: &mut [f64; 4]| unsafe {
            crate::abi::blas_level3::cblas_gemm::<f64>(
                c"cblas_dgemm",
                order,
                transa,
                111,
                2,
                2,
                2,
                1.0,
                a.as_ptr(),
                2,
                a.as_ptr(),
                2,
                0.0,
                c.as_mut_ptr(),
                2,
            )
        };
        last_error::take();
        call(99, 111, &mut c);
        assert_eq!(
            last_error::take().as_deref(),
            Some(
                "cblas_dgemm: argument 1 (value 99) must be CblasRowMajor (101) or \
                 CblasColMajor (102)."
            )
        );
        call(102, 7, &mut c);
        let text = last_error::take().unwrap();
        assert!(
            text.starts_with("cblas_dgemm: argument 2 (value 7) must be CblasNoTrans (111)"),
            "{text}"
        );
        call(102, 111, &mut c);
        assert_eq!(last_error::take(), None);
        assert_eq!(c, [2.0; 4]); // the call itself ran
    }
}
