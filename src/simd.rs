//! Run-time choice of the vector instruction set. The crate is compiled for the x86-64
//! baseline (SSE2) so that it loads on any machine; a hot routine declared through
//! [`dispatched!`] is compiled three times (AVX-512, AVX2, baseline; the first two with
//! FMA available) and the CPU's widest variant runs. Only the instruction set differs:
//! the arithmetic and its order are the same source, so results do not depend on it.

use once_cell::sync::Lazy;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Avx512,
    Avx2,
    Baseline,
}

pub static LEVEL: Lazy<Level> = Lazy::new(|| {
    let fma = std::is_x86_feature_detected!("fma");
    if fma && std::is_x86_feature_detected!("avx512f") {
        Level::Avx512
    } else if fma && std::is_x86_feature_detected!("avx2") {
        Level::Avx2
    } else {
        Level::Baseline
    }
});

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
            match *$crate::simd::LEVEL {
                $crate::simd::Level::Avx512 => avx512::<$T>($($arg),*),
                $crate::simd::Level::Avx2 => avx2::<$T>($($arg),*),
                $crate::simd::Level::Baseline => body::<$T>($($arg),*),
            }
        }
    };
}
