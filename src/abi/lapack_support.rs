//! What every native LAPACK entry point shares: reporting an illegal argument (XERBLA
//! plus INFO = -position, as reference LAPACK) and answering workspace queries.

use crate::abi::xerbla::argument_error_because;
use crate::diag::check::first_failed;
pub use crate::diag::check::Check;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use crate::telemetry::Family;

/// Reports the first failed check of `checks` (in the reference routine's order) for
/// `family`'s `T` routine, with the argument's value and the rule it broke, and returns
/// the INFO LAPACK sets for it, -position; None when every check passed.
pub fn rejected<T: Scalar>(family: &'static Family, checks: &[Check]) -> Option<i64> {
    let failed = first_failed(checks)?;
    Some(illegal_because::<T>(family, &failed))
}

/// Reports one failed check through the process's XERBLA (the message carries the
/// argument's value and rule) and returns the INFO LAPACK sets for it, -position.
pub fn illegal_because<T: Scalar>(family: &'static Family, check: &Check) -> i64 {
    argument_error_because(family.of::<T>().name(), check);
    -(check.position as i64)
}

/// Stores a workspace size in WORK(1) as LAPACK does, as a value of the scalar type.
/// Single precision rounds up (LAPACK's SROUNDUP_LWORK) so that converting it back to
/// an integer never gives less than `size`.
///
/// # Safety
/// `work` points to at least one element.
pub unsafe fn set_work_size<T: Scalar>(work: *mut T, size: usize) {
    let mut value = T::RealPart::from_f64(size as f64);
    if (value.to_f64() as usize) < size {
        value = T::RealPart::from_f64(value.to_f64() * (1.0 + T::RealPart::epsilon().to_f64()));
    }
    *work = T::from_real(value);
}

/// Returns INFO, first recording what an INFO > 0 means (a singular pivot, a minor
/// that is not positive definite, ...) as this thread's last error, which
/// `lapack_ai_last_error` and the Python bindings report.
pub fn outcome<T: Scalar>(family: &'static Family, info: i64) -> i64 {
    if info > 0 {
        if let Some(text) = crate::diag::explain::explain(family.of::<T>().name(), info as i32) {
            crate::diag::last_error::record(text);
        }
    }
    info
}
