//! Fortran entry points of the Hessenberg family: xGEHRD, xORGHR/xUNGHR. Arguments are
//! checked in the reference order (LAPACK 3.11); the first bad one goes to XERBLA and
//! INFO = -position. The bodies need no caller workspace: LWORK is checked against
//! LAPACK's minimum and a query answers LAPACK's optimal size.

use crate::abi::int::{read, write};
use crate::abi::lapack_support::{first_bad, illegal, min_ld, set_work_size};
use crate::lapack::hessenberg::{self, BLOCK};
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GEHRD, ORGHR};

/// The reference's storage of the block reflector's T in GEHRD's workspace.
const TSIZE: i64 = 64 * 65;

/// ILO and IHI's checks, shared by GEHRD and ORGHR (positions 2 and 3).
fn bad_range(n: i64, ilo: i64, ihi: i64) -> [(i32, bool); 2] {
    [
        (2, ilo < 1 || ilo > n.max(1)),
        (3, ihi < ilo.min(n) || ihi > n),
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
    let [bad_ilo, bad_ihi] = bad_range(n, ilo, ihi);
    let checks = [
        (1, n < 0),
        bad_ilo,
        bad_ihi,
        (5, lda < min_ld(n)),
        (8, !query && lwork < n.max(1)),
    ];
    if let Some(position) = first_bad(&checks) {
        return illegal::<T>(&GEHRD, position);
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
    let [bad_ilo, bad_ihi] = bad_range(n, ilo, ihi);
    let checks = [
        (1, n < 0),
        bad_ilo,
        bad_ihi,
        (5, lda < min_ld(n)),
        (8, !query && lwork < nh.max(1)),
    ];
    if let Some(position) = first_bad(&checks) {
        return illegal::<T>(&ORGHR, position);
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
