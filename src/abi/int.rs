//! Integer widths of the ABI: LP64 (`i32`, the default names) and ILP64 (`i64`, the
//! `_64_` names). Entry points read integers through this trait so one checked body
//! serves both widths.

pub trait AbiInt: Copy {
    fn get(self) -> i64;
    fn from_i64(value: i64) -> Self;
}

impl AbiInt for i32 {
    fn get(self) -> i64 {
        self as i64
    }
    fn from_i64(value: i64) -> Self {
        value as i32
    }
}

impl AbiInt for i64 {
    fn get(self) -> i64 {
        self
    }
    fn from_i64(value: i64) -> Self {
        value
    }
}

/// Reads a Fortran integer argument (passed by reference).
///
/// # Safety
/// `p` must point to a readable integer.
pub unsafe fn read<I: AbiInt>(p: *const I) -> i64 {
    (*p).get()
}

/// Writes an integer result (INFO, a pivot index, a rank) back to the caller.
///
/// # Safety
/// `p` must point to a writable integer. Values fit: they are bounded by dimensions the
/// caller passed in the same width.
pub unsafe fn write<I: AbiInt>(p: *mut I, value: i64) {
    *p = I::from_i64(value);
}
