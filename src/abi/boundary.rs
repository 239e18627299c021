//! Every `extern "C"` body runs inside `ffi_boundary!`: a panic is caught, reported
//! once with the routine's name, and turned into the routine's default return value.
//! A panic never unwinds into C or Fortran.

/// Runs `body`; on a panic prints an internal-error message and returns `default`.
#[macro_export]
macro_rules! ffi_boundary {
    ($routine:expr, $default:expr, $body:block) => {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(payload) => {
                $crate::abi::boundary::report_panic($routine, payload);
                $default
            }
        }
    };
}

/// Tells the user that a call failed inside the library rather than dying.
pub fn report_panic(routine: &str, payload: Box<dyn std::any::Any + Send>) {
    let reason = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    eprintln!(
        "liblapack_ai: internal error in {routine}: {reason}. The call returned without a result; \
         please report this with the call's arguments."
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_the_default_value() {
        let value: i32 = crate::ffi_boundary!("TEST", -7, {
            if true {
                panic!("boom");
            }
            1
        });
        assert_eq!(value, -7);
    }

    #[test]
    fn a_normal_body_returns_its_value() {
        assert_eq!(crate::ffi_boundary!("TEST", -7, { 3 }), 3);
    }
}
