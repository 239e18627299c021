//! Fortran calling-convention helpers: hidden string lengths and CHARACTER arguments.

use crate::for_each_abi;
use std::ffi::c_char;

/// The Fortran CHARACTER argument `ptr` of hidden length `len`, without trailing blanks.
///
/// # Safety
/// `ptr` must be null or point to `len` readable bytes.
pub unsafe fn fortran_str(ptr: *const c_char, len: usize) -> String {
    if ptr.is_null() {
        return String::new();
    }
    let bytes = std::slice::from_raw_parts(ptr as *const u8, len);
    // Fortran strings are blank-padded; C callers sometimes pass NUL-terminated ones.
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(len);
    String::from_utf8_lossy(&bytes[..end])
        .trim_end()
        .to_string()
}

/// LSAME: whether the first characters of `ca` and `cb` match, ignoring case.
///
/// # Safety
/// Both pointers must be null or valid for one byte.
pub unsafe fn lsame(ca: *const c_char, cb: *const c_char) -> bool {
    !ca.is_null() && !cb.is_null() && (*ca as u8).eq_ignore_ascii_case(&(*cb as u8))
}

macro_rules! lsame {
    ([$I:ty, $pre:literal, $suf:literal],) => {
        /// LSAME(CA, CB) as a Fortran LOGICAL of the ABI's integer width.
        ///
        /// # Safety
        /// Both pointers must be valid for one byte.
        #[unsafe(export_name = concat!($pre, "lsame_", $suf))]
        pub unsafe extern "C" fn lsame_(
            ca: *const c_char,
            cb: *const c_char,
            _la: usize,
            _lb: usize,
        ) -> $I {
            crate::ffi_boundary!("LSAME", 0, { lsame(ca, cb) as $I })
        }
    };
}

for_each_abi! {
    lsame!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsame_ignores_case_and_reads_one_character() {
        let (upper, lower, other) = (
            b"N".as_ptr() as _,
            b"notrans".as_ptr() as _,
            b"T".as_ptr() as _,
        );
        unsafe {
            assert!(lsame(upper, lower));
            assert!(lsame(lower, upper));
            assert!(!lsame(upper, other));
            assert!(!lsame(upper, std::ptr::null()));
        }
    }

    #[test]
    fn fortran_strings_lose_their_padding() {
        let padded = b"DGEMM \0junk";
        assert_eq!(unsafe { fortran_str(padded.as_ptr() as _, 6) }, "DGEMM");
        assert_eq!(unsafe { fortran_str(padded.as_ptr() as _, 11) }, "DGEMM");
        assert_eq!(unsafe { fortran_str(std::ptr::null(), 3) }, "");
    }
}
