//! Run-time choice of the vector instruction set. The crate is compiled for the x86-64
//! baseline (SSE2) so that it loads on any machine; a hot routine declared through
//! [`dispatched!`] is compiled three times (AVX-512, AVX2, baseline; the first two with
//! FMA available) and the CPU's widest variant runs. Only the instruction set differs:
//! the arithmetic and its order are the same source, so results do not depend on it.
//! The register kernels written against `blas::vector` are the exception where they
//! keep a partial sum per lane (GEMV 'T', SYMV/HEMV): `LAPACK_AI_SIMD` caps the level
//! to reproduce a narrower machine's results (and lets tests reach its kernels).

use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Avx512,
    Avx2,
    Baseline,
}

/// [`level`] as one byte: 0 until the first call has detected it, then 1 + the
/// `Level` discriminant. A plain byte rather than a `Lazy`: every dispatched call
/// reads it, and a tiny call must not pay for the lazy cell's state test and guard.
static DETECTED: AtomicU8 = AtomicU8::new(0);

/// The widest instruction set of this CPU (detected once).
#[inline(always)]
pub fn level() -> Level {
    match DETECTED.load(Relaxed) {
        1 => Level::Avx512,
        2 => Level::Avx2,
        3 => Level::Baseline,
        _ => detect(),
    }
}

/// [`level`] once detected, else None (the dispatchers then detect it out of line, so
/// that their own code stays a test and tail calls, with no frame to build).
#[inline(always)]
pub fn known_level() -> Option<Level> {
    match DETECTED.load(Relaxed) {
        1 => Some(Level::Avx512),
        2 => Some(Level::Avx2),
        3 => Some(Level::Baseline),
        _ => None,
    }
}

#[cold]
#[inline(never)]
pub fn detect() -> Level {
    let fma = std::is_x86_feature_detected!("fma");
    let widest = if fma && std::is_x86_feature_detected!("avx512f") {
        Level::Avx512
    } else if fma && std::is_x86_feature_detected!("avx2") {
        Level::Avx2
    } else {
        Level::Baseline
    };
    let level = capped(widest, crate::config::get().simd_cap);
    // Racing threads store the same value.
    DETECTED.store(1 + level as u8, Relaxed);
    level
}

/// `widest` lowered to `cap` (`LAPACK_AI_SIMD`) where the cap is narrower: the
/// narrower variants then run on a wider machine, as on the machines that have only
/// them (our kernels only: faer's own detection is its own).
pub(crate) fn capped(widest: Level, cap: Level) -> Level {
    if (cap as u8) > (widest as u8) {
        cap
    } else {
        widest
    }
}

/// The first `item` built for the scalar T, as T's: `for_scalar!(T; f64 => a, f32 => b)`
/// is `a` when T is f64, `b` when T is f32, else None. Each item (a kernel, a table of
/// kernels, a reference to one) must have the type that the caller's expects written
/// with the scalar named before it, so that when that scalar is T the two are one type:
/// the expansion is unsafe code, to be used in an `unsafe` block that keeps this promise.
#[macro_export]
macro_rules! for_scalar {
    ($T:ty; $($R:ty => $item:expr),+ $(,)?) => {{
        let found = None;
        $(
            let found = found.or_else(|| {
                (std::any::TypeId::of::<$R>() == std::any::TypeId::of::<$T>())
                    .then(|| $crate::simd::same_type($item))
            });
        )+
        found
    }};
}

/// `item` as B, which [`for_scalar!`] has found to be its own type written with another
/// name for the same scalar.
///
/// # Safety
/// A and B must be one type.
#[doc(hidden)]
pub unsafe fn same_type<A, B>(item: A) -> B {
    assert_eq!(std::mem::size_of::<A>(), std::mem::size_of::<B>());
    let item = std::mem::ManuallyDrop::new(item);
    // SAFETY: A and B are one type (the caller's promise); the sizes agree.
    unsafe { std::mem::transmute_copy::<A, B>(&item) }
}

/// Declares `unsafe fn name<T: Bound>(args) -> Ret { body }` whose body is compiled for
/// each [`Level`] and dispatched at run time. The body is inlined into each variant, so
/// everything it calls with `#[inline(always)]` is vectorized for that variant too.
#[macro_export]
macro_rules! dispatched {
    (
        $(#[$meta:meta])*
        $vis:vis unsafe fn $name:ident<$T:ident: $bound:path>($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty
        $body:block
    ) => {
        $(#[$meta])*
        $vis unsafe fn $name<$T: $bound>($($arg: $ty),*) -> $ret {
            #[inline(always)]
            unsafe fn body<$T: $bound>($($arg: $ty),*) -> $ret $body
            #[target_feature(enable = "avx512f,fma")]
            unsafe fn avx512<$T: $bound>($($arg: $ty),*) -> $ret {
                body::<$T>($($arg),*)
            }
            #[target_feature(enable = "avx2,fma")]
            unsafe fn avx2<$T: $bound>($($arg: $ty),*) -> $ret {
                body::<$T>($($arg),*)
            }
            // Out of line like the others: the dispatcher stays a test and a tail call,
            // without the register saves the inlined baseline body would need.
            #[inline(never)]
            unsafe fn baseline<$T: $bound>($($arg: $ty),*) -> $ret {
                body::<$T>($($arg),*)
            }
            // The first call detects the level, then dispatches again.
            #[cold]
            #[inline(never)]
            unsafe fn first<$T: $bound>($($arg: $ty),*) -> $ret {
                $crate::simd::detect();
                $name::<$T>($($arg),*)
            }
            match $crate::simd::known_level() {
                Some($crate::simd::Level::Avx512) => avx512::<$T>($($arg),*),
                Some($crate::simd::Level::Avx2) => avx2::<$T>($($arg),*),
                Some($crate::simd::Level::Baseline) => baseline::<$T>($($arg),*),
                None => first::<$T>($($arg),*),
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::{capped, Level};

    #[test]
    fn a_cap_only_narrows() {
        assert_eq!(capped(Level::Avx512, Level::Avx2), Level::Avx2);
        assert_eq!(capped(Level::Avx512, Level::Baseline), Level::Baseline);
        assert_eq!(capped(Level::Avx2, Level::Avx512), Level::Avx2);
        assert_eq!(capped(Level::Baseline, Level::Avx2), Level::Baseline);
        assert_eq!(capped(Level::Avx512, Level::Avx512), Level::Avx512);
    }
}
