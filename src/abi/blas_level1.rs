//! Fortran and CBLAS entry points of level-1 BLAS. Level-1 routines check nothing (no
//! XERBLA calls in reference BLAS): each entry reads its arguments and calls the generic
//! body in `crate::blas::level1`, which carries the reference quick returns.
//!
//! Fortran passes everything by reference; functions return their value as gfortran
//! does (REAL in xmm0, COMPLEX as a `#[repr(C)]` pair in xmm0/xmm1). CBLAS passes
//! integers and real scalars by value, complex scalars through `const void *`, and
//! returns complex dot products through a pointer. The `*sub_` names are reference
//! CBLAS's Fortran wrappers that return a function's value through the last argument.
//! CBLAS's I?AMAX is 0-based.

use crate::abi::cblas_support::CblasScalar;
use crate::abi::int::read;
use crate::blas::level1;
use crate::for_each_abi;
use crate::scalar::{c32, c64, Scalar};

/// The 0-based CBLAS index for a 1-based Fortran one (0 stays 0, as reference CBLAS).
fn cblas_index(i: i64) -> usize {
    if i > 0 {
        (i - 1) as usize
    } else {
        0
    }
}

/// Reads a 5-element ROTM parameter array.
unsafe fn param<R: Copy>(p: *const R) -> [R; 5] {
    *(p as *const [R; 5])
}

macro_rules! axpy {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $f:ident, $cblas:ident) => {
        /// Fortran ?AXPY: y := alpha*x + y.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(
            n: *const $I,
            alpha: *const $T,
            x: *const $T,
            incx: *const $I,
            y: *mut $T,
            incy: *const $I,
        ) {
            crate::ffi_boundary!(stringify!($f), (), {
                level1::axpy(read(n), *alpha, x, read(incx), y, read(incy))
            })
        }

        /// CBLAS ?axpy.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(
            n: $I,
            alpha: <$T as CblasScalar>::Arg,
            x: *const $T,
            incx: $I,
            y: *mut $T,
            incy: $I,
        ) {
            crate::ffi_boundary!(stringify!($cblas), (), {
                let alpha = <$T as CblasScalar>::read(alpha);
                level1::axpy(n.into(), alpha, x, incx.into(), y, incy.into())
            })
        }
    };
}

for_each_abi! {
    axpy!(f32, saxpy_, cblas_saxpy);
    axpy!(f64, daxpy_, cblas_daxpy);
    axpy!(c32, caxpy_, cblas_caxpy);
    axpy!(c64, zaxpy_, cblas_zaxpy);
}

/// COPY and SWAP: two vectors, no scalar.
macro_rules! two_vectors {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $body:ident, $doc:literal, $f:ident, $cblas:ident, $xmut:ty) => {
        #[doc = concat!("Fortran ", $doc)]
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(
            n: *const $I,
            x: $xmut,
            incx: *const $I,
            y: *mut $T,
            incy: *const $I,
        ) {
            crate::ffi_boundary!(stringify!($f), (), {
                level1::$body(read(n), x as _, read(incx), y, read(incy))
            })
        }

        #[doc = concat!("CBLAS ", $doc)]
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(n: $I, x: $xmut, incx: $I, y: *mut $T, incy: $I) {
            crate::ffi_boundary!(stringify!($cblas), (), {
                level1::$body(n.into(), x as _, incx.into(), y, incy.into())
            })
        }
    };
}

for_each_abi! {
    two_vectors!(f32, copy, "?COPY: y := x.", scopy_, cblas_scopy, *const f32);
    two_vectors!(f64, copy, "?COPY: y := x.", dcopy_, cblas_dcopy, *const f64);
    two_vectors!(c32, copy, "?COPY: y := x.", ccopy_, cblas_ccopy, *const c32);
    two_vectors!(c64, copy, "?COPY: y := x.", zcopy_, cblas_zcopy, *const c64);
    two_vectors!(f32, swap, "?SWAP: x <-> y.", sswap_, cblas_sswap, *mut f32);
    two_vectors!(f64, swap, "?SWAP: x <-> y.", dswap_, cblas_dswap, *mut f64);
    two_vectors!(c32, swap, "?SWAP: x <-> y.", cswap_, cblas_cswap, *mut c32);
    two_vectors!(c64, swap, "?SWAP: x <-> y.", zswap_, cblas_zswap, *mut c64);
}

/// ?SCAL (alpha of the vector's type) and CSSCAL/ZDSCAL (real alpha): `$A` is alpha's
/// type, `$cblas_arg` how CBLAS passes it, `$body` the generic body.
macro_rules! scal {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $A:ty, $cblas_arg:ty, $body:ident, $f:ident, $cblas:ident) => {
        /// Fortran ?SCAL: x := alpha*x.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(n: *const $I, alpha: *const $A, x: *mut $T, incx: *const $I) {
            crate::ffi_boundary!(stringify!($f), (), {
                level1::$body::<$T>(read(n), *alpha, x, read(incx))
            })
        }

        /// CBLAS ?scal.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(n: $I, alpha: $cblas_arg, x: *mut $T, incx: $I) {
            crate::ffi_boundary!(stringify!($cblas), (), {
                let alpha = <$A as CblasScalar>::read(alpha);
                level1::$body::<$T>(n.into(), alpha, x, incx.into())
            })
        }
    };
}

for_each_abi! {
    scal!(f32, f32, f32, scal, sscal_, cblas_sscal);
    scal!(f64, f64, f64, scal, dscal_, cblas_dscal);
    scal!(c32, c32, *const std::ffi::c_void, scal, cscal_, cblas_cscal);
    scal!(c64, c64, *const std::ffi::c_void, scal, zscal_, cblas_zscal);
    scal!(c32, f32, f32, scal_real, csscal_, cblas_csscal);
    scal!(c64, f64, f64, scal_real, zdscal_, cblas_zdscal);
}

/// Dot products: the Fortran function, its `*sub_` wrapper, and the CBLAS name (by value
/// for real types, through a pointer for complex ones: `$cblas_kind`).
macro_rules! dot {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $conj:literal, $f:ident, $sub:ident, $cblas:ident, value) => {
        dot!(@fortran [$I, $pre, $suf], $T, $conj, $f, $sub);

        /// CBLAS dot product.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(
            n: $I,
            x: *const $T,
            incx: $I,
            y: *const $T,
            incy: $I,
        ) -> $T {
            crate::ffi_boundary!(stringify!($cblas), <$T>::zero(), {
                level1::dot(n.into(), x, incx.into(), y, incy.into(), $conj)
            })
        }
    };
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $conj:literal, $f:ident, $sub:ident, $cblas:ident, pointer) => {
        dot!(@fortran [$I, $pre, $suf], $T, $conj, $f, $sub);

        /// CBLAS complex dot product, returned through `dot`.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(
            n: $I,
            x: *const $T,
            incx: $I,
            y: *const $T,
            incy: $I,
            dot: *mut $T,
        ) {
            crate::ffi_boundary!(stringify!($cblas), (), {
                *dot = level1::dot(n.into(), x, incx.into(), y, incy.into(), $conj)
            })
        }
    };
    (@fortran [$I:ty, $pre:literal, $suf:literal], $T:ty, $conj:literal, $f:ident, $sub:ident) => {
        /// Fortran dot product function.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(
            n: *const $I,
            x: *const $T,
            incx: *const $I,
            y: *const $T,
            incy: *const $I,
        ) -> $T {
            crate::ffi_boundary!(stringify!($f), <$T>::zero(), {
                level1::dot(read(n), x, read(incx), y, read(incy), $conj)
            })
        }

        /// Reference CBLAS's Fortran wrapper: the dot product through `dot`.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($sub), $suf))]
        pub unsafe extern "C" fn $sub(
            n: *const $I,
            x: *const $T,
            incx: *const $I,
            y: *const $T,
            incy: *const $I,
            dot: *mut $T,
        ) {
            crate::ffi_boundary!(stringify!($sub), (), {
                *dot = level1::dot(read(n), x, read(incx), y, read(incy), $conj)
            })
        }
    };
}

for_each_abi! {
    dot!(f32, false, sdot_, sdotsub_, cblas_sdot, value);
    dot!(f64, false, ddot_, ddotsub_, cblas_ddot, value);
    dot!(c32, false, cdotu_, cdotusub_, cblas_cdotu_sub, pointer);
    dot!(c32, true, cdotc_, cdotcsub_, cblas_cdotc_sub, pointer);
    dot!(c64, false, zdotu_, zdotusub_, cblas_zdotu_sub, pointer);
    dot!(c64, true, zdotc_, zdotcsub_, cblas_zdotc_sub, pointer);
}

/// SDSDOT and DSDOT: single-precision vectors, products accumulated in double.
macro_rules! f32_in_f64_dots {
    ([$I:ty, $pre:literal, $suf:literal],) => {
        /// SDSDOT: sb + x.y accumulated in double precision, returned in single.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, "sdsdot_", $suf))]
        pub unsafe extern "C" fn sdsdot_(
            n: *const $I,
            sb: *const f32,
            x: *const f32,
            incx: *const $I,
            y: *const f32,
            incy: *const $I,
        ) -> f32 {
            crate::ffi_boundary!("sdsdot_", 0.0, {
                level1::dot_f32_in_f64(read(n), *sb as f64, x, read(incx), y, read(incy)) as f32
            })
        }

        /// Reference CBLAS's Fortran wrapper of SDSDOT.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, "sdsdotsub_", $suf))]
        pub unsafe extern "C" fn sdsdotsub_(
            n: *const $I,
            sb: *const f32,
            x: *const f32,
            incx: *const $I,
            y: *const f32,
            incy: *const $I,
            dot: *mut f32,
        ) {
            crate::ffi_boundary!("sdsdotsub_", (), {
                *dot = sdsdot_(n, sb, x, incx, y, incy)
            })
        }

        /// CBLAS sdsdot.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, "cblas_sdsdot", $suf))]
        pub unsafe extern "C" fn cblas_sdsdot(
            n: $I,
            alpha: f32,
            x: *const f32,
            incx: $I,
            y: *const f32,
            incy: $I,
        ) -> f32 {
            crate::ffi_boundary!("cblas_sdsdot", 0.0, {
                level1::dot_f32_in_f64(n.into(), alpha as f64, x, incx.into(), y, incy.into())
                    as f32
            })
        }

        /// DSDOT: the dot product of single-precision vectors in double precision.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, "dsdot_", $suf))]
        pub unsafe extern "C" fn dsdot_(
            n: *const $I,
            x: *const f32,
            incx: *const $I,
            y: *const f32,
            incy: *const $I,
        ) -> f64 {
            crate::ffi_boundary!("dsdot_", 0.0, {
                level1::dot_f32_in_f64(read(n), 0.0, x, read(incx), y, read(incy))
            })
        }

        /// Reference CBLAS's Fortran wrapper of DSDOT.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, "dsdotsub_", $suf))]
        pub unsafe extern "C" fn dsdotsub_(
            n: *const $I,
            x: *const f32,
            incx: *const $I,
            y: *const f32,
            incy: *const $I,
            dot: *mut f64,
        ) {
            crate::ffi_boundary!("dsdotsub_", (), { *dot = dsdot_(n, x, incx, y, incy) })
        }

        /// CBLAS dsdot.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, "cblas_dsdot", $suf))]
        pub unsafe extern "C" fn cblas_dsdot(
            n: $I,
            x: *const f32,
            incx: $I,
            y: *const f32,
            incy: $I,
        ) -> f64 {
            crate::ffi_boundary!("cblas_dsdot", 0.0, {
                level1::dot_f32_in_f64(n.into(), 0.0, x, incx.into(), y, incy.into())
            })
        }
    };
}

for_each_abi! {
    f32_in_f64_dots!();
}

/// One-vector functions (NRM2, ASUM, I?AMAX): the Fortran function returning `$R`,
/// its `*sub_` wrapper, and the CBLAS name, whose result `$convert` maps from the
/// Fortran value.
macro_rules! reduction {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $body:ident, $f:ident, $sub:ident, $cblas:ident, $CR:ty, $convert:expr) => {
        /// The ABI's integer: I?AMAX's Fortran result (`$R` = `Int`).
        #[allow(dead_code)]
        type Int = $I;

        /// Fortran vector reduction.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(n: *const $I, x: *const $T, incx: *const $I) -> $R {
            crate::ffi_boundary!(stringify!($f), <$R>::default(), {
                level1::$body::<$T>(read(n), x, read(incx)) as $R
            })
        }

        /// Reference CBLAS's Fortran wrapper: the value through `out`.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($sub), $suf))]
        pub unsafe extern "C" fn $sub(n: *const $I, x: *const $T, incx: *const $I, out: *mut $R) {
            crate::ffi_boundary!(stringify!($sub), (), {
                *out = level1::$body::<$T>(read(n), x, read(incx)) as $R
            })
        }

        /// CBLAS vector reduction.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(n: $I, x: *const $T, incx: $I) -> $CR {
            crate::ffi_boundary!(stringify!($cblas), <$CR>::default(), {
                let convert: fn(_) -> $CR = $convert;
                convert(level1::$body::<$T>(n.into(), x, incx.into()))
            })
        }
    };
}

for_each_abi! {
    reduction!(f32, f32, nrm2, snrm2_, snrm2sub_, cblas_snrm2, f32, |v| v);
    reduction!(f64, f64, nrm2, dnrm2_, dnrm2sub_, cblas_dnrm2, f64, |v| v);
    reduction!(c32, f32, nrm2, scnrm2_, scnrm2sub_, cblas_scnrm2, f32, |v| v);
    reduction!(c64, f64, nrm2, dznrm2_, dznrm2sub_, cblas_dznrm2, f64, |v| v);
    reduction!(f32, f32, asum, sasum_, sasumsub_, cblas_sasum, f32, |v| v);
    reduction!(f64, f64, asum, dasum_, dasumsub_, cblas_dasum, f64, |v| v);
    reduction!(c32, f32, asum, scasum_, scasumsub_, cblas_scasum, f32, |v| v);
    reduction!(c64, f64, asum, dzasum_, dzasumsub_, cblas_dzasum, f64, |v| v);
    reduction!(f32, Int, iamax, isamax_, isamaxsub_, cblas_isamax, usize, cblas_index);
    reduction!(f64, Int, iamax, idamax_, idamaxsub_, cblas_idamax, usize, cblas_index);
    reduction!(c32, Int, iamax, icamax_, icamaxsub_, cblas_icamax, usize, cblas_index);
    reduction!(c64, Int, iamax, izamax_, izamaxsub_, cblas_izamax, usize, cblas_index);
}

/// ?ROT, CSROT, ZDROT: plane rotation with real c and s.
macro_rules! rot {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $f:ident, $cblas:ident) => {
        /// Fortran plane rotation.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(
            n: *const $I,
            x: *mut $T,
            incx: *const $I,
            y: *mut $T,
            incy: *const $I,
            c: *const $R,
            s: *const $R,
        ) {
            crate::ffi_boundary!(stringify!($f), (), {
                level1::rot(read(n), x, read(incx), y, read(incy), *c, *s)
            })
        }

        /// CBLAS plane rotation.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(
            n: $I,
            x: *mut $T,
            incx: $I,
            y: *mut $T,
            incy: $I,
            c: $R,
            s: $R,
        ) {
            crate::ffi_boundary!(stringify!($cblas), (), {
                level1::rot(n.into(), x, incx.into(), y, incy.into(), c, s)
            })
        }
    };
}

for_each_abi! {
    rot!(f32, f32, srot_, cblas_srot);
    rot!(f64, f64, drot_, cblas_drot);
    rot!(c32, f32, csrot_, cblas_csrot);
    rot!(c64, f64, zdrot_, cblas_zdrot);
}

/// SROTG, DROTG (Fortran and CBLAS take the same four pointers).
macro_rules! rotg_real {
    ([$I:ty, $pre:literal, $suf:literal], $R:ty, $f:ident, $cblas:ident) => {
        /// Fortran ?ROTG: construct a Givens rotation.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(a: *mut $R, b: *mut $R, c: *mut $R, s: *mut $R) {
            crate::ffi_boundary!(stringify!($f), (), {
                level1::rotg_real(&mut *a, &mut *b, &mut *c, &mut *s)
            })
        }

        /// CBLAS ?rotg.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(a: *mut $R, b: *mut $R, c: *mut $R, s: *mut $R) {
            crate::ffi_boundary!(stringify!($cblas), (), {
                level1::rotg_real(&mut *a, &mut *b, &mut *c, &mut *s)
            })
        }
    };
}

for_each_abi! {
    rotg_real!(f32, srotg_, cblas_srotg);
    rotg_real!(f64, drotg_, cblas_drotg);
}

/// CROTG, ZROTG: complex a, b and s, real c.
macro_rules! rotg_complex {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $f:ident, $cblas:ident) => {
        /// Fortran ?ROTG: construct a complex Givens rotation.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(a: *mut $T, b: *const $T, c: *mut $R, s: *mut $T) {
            crate::ffi_boundary!(stringify!($f), (), {
                level1::rotg_complex(&mut *a, *b, &mut *c, &mut *s)
            })
        }

        /// CBLAS ?rotg.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(a: *mut $T, b: *const $T, c: *mut $R, s: *mut $T) {
            crate::ffi_boundary!(stringify!($cblas), (), {
                level1::rotg_complex(&mut *a, *b, &mut *c, &mut *s)
            })
        }
    };
}

for_each_abi! {
    rotg_complex!(c32, f32, crotg_, cblas_crotg);
    rotg_complex!(c64, f64, zrotg_, cblas_zrotg);
}

/// ?ROTM and ?ROTMG (real types only).
macro_rules! rotm {
    ([$I:ty, $pre:literal, $suf:literal], $R:ty, $rotm:ident, $rotmg:ident, $cblas_rotm:ident, $cblas_rotmg:ident) => {
        /// Fortran ?ROTM: apply a modified Givens transformation.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($rotm), $suf))]
        pub unsafe extern "C" fn $rotm(
            n: *const $I,
            x: *mut $R,
            incx: *const $I,
            y: *mut $R,
            incy: *const $I,
            p: *const $R,
        ) {
            crate::ffi_boundary!(stringify!($rotm), (), {
                level1::rotm(read(n), x, read(incx), y, read(incy), &param(p))
            })
        }

        /// CBLAS ?rotm.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas_rotm), $suf))]
        pub unsafe extern "C" fn $cblas_rotm(
            n: $I,
            x: *mut $R,
            incx: $I,
            y: *mut $R,
            incy: $I,
            p: *const $R,
        ) {
            crate::ffi_boundary!(stringify!($cblas_rotm), (), {
                level1::rotm(n.into(), x, incx.into(), y, incy.into(), &param(p))
            })
        }

        /// Fortran ?ROTMG: construct a modified Givens transformation.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($rotmg), $suf))]
        pub unsafe extern "C" fn $rotmg(
            d1: *mut $R,
            d2: *mut $R,
            x1: *mut $R,
            y1: *const $R,
            p: *mut $R,
        ) {
            crate::ffi_boundary!(stringify!($rotmg), (), {
                level1::rotmg(&mut *d1, &mut *d2, &mut *x1, *y1, &mut *(p as *mut [$R; 5]))
            })
        }

        /// CBLAS ?rotmg (y1 by value).
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas_rotmg), $suf))]
        pub unsafe extern "C" fn $cblas_rotmg(
            d1: *mut $R,
            d2: *mut $R,
            x1: *mut $R,
            y1: $R,
            p: *mut $R,
        ) {
            crate::ffi_boundary!(stringify!($cblas_rotmg), (), {
                level1::rotmg(&mut *d1, &mut *d2, &mut *x1, y1, &mut *(p as *mut [$R; 5]))
            })
        }
    };
}

for_each_abi! {
    rotm!(f32, srotm_, srotmg_, cblas_srotm, cblas_srotmg);
    rotm!(f64, drotm_, drotmg_, cblas_drotm, cblas_drotmg);
}

/// SCABS1, DCABS1: |re(z)| + |im(z)|.
macro_rules! cabs1 {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $f:ident, $sub:ident, $cblas:ident) => {
        /// Fortran ?CABS1.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($f), $suf))]
        pub unsafe extern "C" fn $f(z: *const $T) -> $R {
            crate::ffi_boundary!(stringify!($f), 0.0, { (*z).abs1() })
        }

        /// Reference CBLAS's Fortran wrapper of ?CABS1.
        ///
        /// # Safety
        /// Reference BLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($sub), $suf))]
        pub unsafe extern "C" fn $sub(z: *const $T, out: *mut $R) {
            crate::ffi_boundary!(stringify!($sub), (), { *out = (*z).abs1() })
        }

        /// CBLAS ?cabs1.
        ///
        /// # Safety
        /// Reference CBLAS contract.
        #[unsafe(export_name = concat!($pre, stringify!($cblas), $suf))]
        pub unsafe extern "C" fn $cblas(z: *const $T) -> $R {
            crate::ffi_boundary!(stringify!($cblas), 0.0, { (*z).abs1() })
        }
    };
}

for_each_abi! {
    cabs1!(c32, f32, scabs1_, scabs1sub_, cblas_scabs1);
    cabs1!(c64, f64, dcabs1_, dcabs1sub_, cblas_dcabs1);
}
