//! Fortran entry points of the Hessenberg family: xGEHRD, xORGHR/xUNGHR. Arguments are
//! checked in the reference order (LAPACK 3.11); the first bad one goes to XERBLA and
//! INFO = -position. The bodies need no caller workspace: LWORK is checked against
//! LAPACK's minimum and a query answers LAPACK's optimal size.

use crate::abi::int::{read, write};
use crate::abi::lapack_support::{rejected, set_work_size, Check};
use crate::lapack::hessenberg::{self, BLOCK};
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GEHRD, ORGHR};

/// The reference's storage of the block reflector's T in GEHRD's workspace.
const TSIZE: i64 = 64 * 65;

/// GEHRD's and ORGHR's checks, in the reference order: N, ILO, IHI (1 <= ILO <= IHI <=
/// N, or ILO = 1 and IHI = 0 when N = 0), LDA, then the routine's `lwork` check.
fn checks(n: i64, ilo: i64, ihi: i64, lda: i64, lwork: Check) -> [Check; 5] {
    [
        Check::dim(1, n),
        Check::between(2, ilo, ("1", 1), ("max(1, N)", n.max(1))),
        Check::between(3, ihi, ("min(ILO, N)", ilo.min(n)), ("N", n)),
        Check::ld(5, lda, n, "max(1, N)"),
        lwork,
    ]
}

/// GEHRD's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gehrd_checked<T: Scalar>(
    n: i64,
    ilo: i64,
    ihi: i64,
    a: *mut T,
    lda: i64,
    tau: *mut T,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let lwork_check = Check::workspace(8, lwork, n.max(1), "max(1, N)");
    if let Some(info) = rejected::<T>(&GEHRD, &checks(n, ilo, ihi, lda, lwork_check)) {
        return info;
    }
    let optimal = (n * BLOCK as i64 + TSIZE) as usize;
    if query {
        set_work_size(work, optimal);
        return 0;
    }
    if n > 0 {
        let _call = telemetry::gehrd::<T>(ilo, ihi);
        let tau: &mut [T] = if n > 1 {
            std::slice::from_raw_parts_mut(tau, (n - 1) as usize)
        } else {
            &mut []
        };
        hessenberg::gehrd(
            n as usize,
            (ilo - 1) as usize,
            (ihi - 1) as usize,
            RawMat::new(a, lda as usize),
            tau,
        );
    }
    set_work_size(work, if ihi - ilo < 1 { 1 } else { optimal });
    0
}

/// ORGHR/UNGHR's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn orghr_checked<T: Scalar>(
    n: i64,
    ilo: i64,
    ihi: i64,
    a: *mut T,
    lda: i64,
    tau: *const T,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let nh = ihi - ilo;
    let lwork_check = Check::workspace(8, lwork, nh.max(1), "max(1, IHI - ILO)");
    if let Some(info) = rejected::<T>(&ORGHR, &checks(n, ilo, ihi, lda, lwork_check)) {
        return info;
    }
    let optimal = (nh.max(1) * BLOCK as i64) as usize;
    if query {
        set_work_size(work, optimal);
        return 0;
    }
    if n > 0 {
        let _call = telemetry::orghr::<T>(ilo, ihi);
        let tau: &[T] = if n > 1 {
            std::slice::from_raw_parts(tau, (n - 1) as usize)
        } else {
            &[]
        };
        hessenberg::orghr(
            n as usize,
            (ilo - 1) as usize,
            (ihi - 1) as usize,
            RawMat::new(a, lda as usize),
            tau,
        );
    }
    set_work_size(work, if n > 0 { optimal } else { 1 });
    0
}

macro_rules! hessenberg_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, $checked:ident, $tau:ty) => {
        /// xGEHRD / xORGHR / xUNGHR(N, ILO, IHI, A, LDA, TAU, WORK, LWORK, INFO).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            n: *const $I,
            ilo: *const $I,
            ihi: *const $I,
            a: *mut $T,
            lda: *const $I,
            tau: $tau,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = $checked::<$T>(
                    read(n),
                    read(ilo),
                    read(ihi),
                    a,
                    read(lda),
                    tau,
                    work,
                    read(lwork),
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    hessenberg_fortran!(f32, sgehrd_, gehrd_checked, *mut f32);
    hessenberg_fortran!(f64, dgehrd_, gehrd_checked, *mut f64);
    hessenberg_fortran!(c32, cgehrd_, gehrd_checked, *mut c32);
    hessenberg_fortran!(c64, zgehrd_, gehrd_checked, *mut c64);
    hessenberg_fortran!(f32, sorghr_, orghr_checked, *const f32);
    hessenberg_fortran!(f64, dorghr_, orghr_checked, *const f64);
    hessenberg_fortran!(c32, cunghr_, orghr_checked, *const c32);
    hessenberg_fortran!(c64, zunghr_, orghr_checked, *const c64);
}
