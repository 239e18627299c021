//! Fortran calling-convention helpers: hidden string lengths and CHARACTER arguments.

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

/// LSAME: true if the first characters of `ca` and `cb` match, ignoring case.
///
/// # Safety
/// Both pointers must be valid for one byte.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn lsame_(
    ca: *const c_char,
    cb: *const c_char,
    _la: usize,
    _lb: usize,
) -> i32 {
    crate::ffi_boundary!("LSAME", 0, {
        if ca.is_null() || cb.is_null() {
            return 0;
        }
        let (a, b) = (*ca as u8, *cb as u8);
        a.eq_ignore_ascii_case(&b) as i32
    })
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
            assert_eq!(lsame_(upper, lower, 1, 7), 1);
            assert_eq!(lsame_(lower, upper, 7, 1), 1);
            assert_eq!(lsame_(upper, other, 1, 1), 0);
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
