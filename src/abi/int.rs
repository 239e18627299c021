//! Integer widths of the ABI: LP64 (`i32`, the default names) and ILP64 (`i64`, the
//! `_64_` names), and the four names every native routine is exported under.
//! Entry points read integers through `AbiInt` so one checked body (integers as `i64`)
//! serves both widths: an ILP64 value reaches the checks whole, never truncated, so a
//! negative value stays negative whatever its low 32 bits say, and a dimension of 2^32
//! is 2^32 (and fails the reference checks, or is served, as reference BLAS would);
//! `addressable` rejects the values no array can have.

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

// The checked bodies turn checked i64 dimensions into usize and increments into isize:
// lossless only where both are 64 bits wide.
const _: () = assert!(usize::BITS == 64 && isize::BITS == 64);

/// Whether `count` columns (or vector elements) `stride` elements apart fit in the address
/// space: at most `isize::MAX` bytes, the most any array can span. A pair that the
/// reference checks accept but that does not fit cannot describe memory the caller owns,
/// and its offsets would wrap, so the checked bodies reject it through XERBLA as an
/// illegal leading dimension or increment (or N, for packed storage). No LP64 call on a
/// real array can trip it; an ILP64 one with a wild value does, instead of wrapping.
#[inline(always)]
pub fn addressable<T>(count: i64, stride: i64) -> bool {
    // The common case in two instructions: both below 2^28 (a negative count is huge as
    // u64 and takes the exact test), so at most 2^56 elements of at most 64 bytes.
    const SMALL: u64 = 1 << 28;
    if std::mem::size_of::<T>() <= 64 && (count as u64 | stride.unsigned_abs()) < SMALL {
        return true;
    }
    let elements = count.max(0) as i128 * stride.unsigned_abs().max(1) as i128;
    elements * std::mem::size_of::<T>() as i128 <= isize::MAX as i128
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

/// Stamps one native routine's entry points under every ABI name, from one invocation
/// of its export macro `$mac`:
///
/// | ABI   | integers | Fortran           | CBLAS                  | who calls it            |
/// |-------|----------|-------------------|------------------------|-------------------------|
/// | LP64  | `i32`    | `dgemm_`          | `cblas_dgemm`          | everything else         |
/// | LP64  | `i32`    | `scipy_dgemm_`    | `scipy_cblas_dgemm`    | SciPy pip wheels        |
/// | ILP64 | `i64`    | `dgemm_64_`       | `cblas_dgemm64_`       | OpenBLAS/Julia ILP64    |
/// | ILP64 | `i64`    | `scipy_dgemm_64_` | `scipy_cblas_dgemm64_` | NumPy 2.x pip wheels    |
///
/// i.e. `{"" | "scipy_"}{name}{"" | "64_"}`, OpenBLAS's `SYMBOLPREFIX`/`SYMBOLSUFFIX`
/// convention (scipy-openblas builds with `INTERFACE64=1 SYMBOLSUFFIX=64_`). With `64_`
/// every integer argument is 64-bit (dimensions, leading dimensions, increments, band
/// widths, INFO, and I?AMAX's result); CBLAS enum codes stay `int`.
///
/// Each invocation `$mac!(args...);` in the list is expanded as
/// `$mac!([$I, $pre, $suf], args...)` once per row, each in its own anonymous `const`
/// block (so the four Rust functions may share the ident `$name`). An export macro
/// therefore
/// 1. starts its pattern with `[$I:ty, $pre:literal, $suf:literal],`,
/// 2. exports with `#[unsafe(export_name = concat!($pre, stringify!($name), $suf))]`
///    instead of `#[unsafe(no_mangle)]`, and uses `$I` for every integer argument,
/// 3. is invoked inside the list: `for_each_abi! { getrf_fortran!(f64, dgetrf_); ... }`.
///
/// build.rs derives the same names from `symbols/native/*.txt` for the coverage report,
/// and `reference-tests/link/run.sh` checks that the library exports exactly those
/// (every native function under all four, no forwarded name under the other three).
#[macro_export]
macro_rules! for_each_abi {
    ($($mac:ident!($($args:tt)*);)+) => {
        $(
            const _: () = { $mac!([i32, "", ""], $($args)*); };
            const _: () = { $mac!([i32, "scipy_", ""], $($args)*); };
            const _: () = { $mac!([i64, "", "64_"], $($args)*); };
            const _: () = { $mac!([i64, "scipy_", "64_"], $($args)*); };
        )+
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_read_whole() {
        let negative: i64 = 0xFFFF_FFFF_0000_0002_u64 as i64;
        let big: i64 = (1 << 32) + 2;
        unsafe {
            assert_eq!(read(&negative), -(1 << 32) + 2);
            assert_eq!(read(&big), big);
            assert_eq!(read(&-7i32), -7);
        }
    }

    #[test]
    fn addressable_is_the_address_space() {
        assert!(addressable::<f64>(0, i64::MAX));
        assert!(addressable::<f64>(1 << 20, 1 << 20));
        assert!(addressable::<f64>(i64::MAX / 8, 1));
        assert!(!addressable::<f64>(i64::MAX / 8 + 1, 1));
        assert!(!addressable::<f64>(4, 1 << 61));
        assert!(!addressable::<f32>(2, i64::MIN));
        assert!(addressable::<[f64; 2]>(1 << 30, 1 << 28));
        assert!(!addressable::<[f64; 2]>(1 << 30, 1 << 29));
    }
}
