//! Integer widths of the ABI: LP64 (`i32`, the default names) and ILP64 (`i64`, the
//! `_64_` names). Entry points read integers through this trait so one checked body
//! serves both widths.

pub trait AbiInt: Copy {
    fn get(self) -> i64;
}

impl AbiInt for i32 {
    fn get(self) -> i64 {
        self as i64
    }
}

impl AbiInt for i64 {
    fn get(self) -> i64 {
        self
    }
}

/// Reads a Fortran integer argument (passed by reference).
///
/// # Safety
/// `p` must point to a readable integer.
pub unsafe fn read<I: AbiInt>(p: *const I) -> i64 {
    (*p).get()
}
