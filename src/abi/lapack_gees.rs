//! Fortran entry points of xGEES (Schur factorization, optionally sorted by a SELECT
//! function). Arguments are checked in the reference order (LAPACK 3.11); the first bad
//! one goes to XERBLA and INFO = -position. LWORK = -1 answers LAPACK's optimal size in
//! WORK(1); the body allocates its own workspace, so WORK, RWORK and BWORK are
//! otherwise untouched.

use crate::abi::int::{read, write};
use crate::abi::lapack_geev::Values;
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::blas::args::option_char;
use crate::diag::check::{JOB_NV, SORT};
use crate::lapack::gees::{self, Eigenvalue, SchurForm};
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GEES};
use std::ffi::c_char;

/// A SELECT function as the body calls it: (re, im) of an eigenvalue to a choice.
pub type Select<'a, R> = &'a mut dyn FnMut(Eigenvalue<R>) -> bool;

/// xGEES's checks and body; returns (INFO, SDIM). `positions` are those of LDVS and
/// LWORK, which differ between the real and complex argument lists.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gees_checked<T: SchurForm>(
    (jobvs, sort): (u8, u8),
    select: Select<'_, T::RealPart>,
    n: i64,
    (a, lda): (*mut T, i64),
    values: Values<T>,
    (vs, ldvs): (*mut T, i64),
    (work, lwork): (*mut T, i64),
    positions: [i32; 2],
) -> (i64, i64) {
    let flag = |c: u8, yes: u8| match c.to_ascii_uppercase() {
        c if c == yes => Some(true),
        b'N' => Some(false),
        _ => None,
    };
    let (wantvs, wantst) = (flag(jobvs, b'V'), flag(sort, b'S'));
    let query = lwork == -1;
    let (minimum, minimum_rule) = if T::IS_COMPLEX {
        ((2 * n).max(1), "max(1, 2*N)")
    } else {
        ((3 * n).max(1), "max(1, 3*N)")
    };
    // LAPACK's optimum: GEHRD's and ORGHR's blocked workspace (panels of 32) after
    // the balancing and TAU arrays; above order 15 xHSEQR's preferred workspace holds
    // a GEHRD of its deflation window, with its 64 x 65 block reflector.
    let optimal = match n {
        0 => 1,
        1..=15 => 34 * n,
        _ => 34 * n + 4160,
    };
    // LDVS >= 1, and >= N when the Schur vectors are wanted.
    let ldvs_check = if wantvs == Some(true) {
        Check::ld(positions[0], ldvs, n, "max(1, N) (JOBVS = 'V')")
    } else {
        Check::at_least(positions[0], ldvs, 1, "1")
    };
    let checks = [
        Check::option(1, jobvs, wantvs.is_some(), JOB_NV),
        Check::option(2, sort, wantst.is_some(), SORT),
        Check::dim(4, n),
        Check::ld(6, lda, n, "max(1, N)"),
        ldvs_check,
        Check::workspace(positions[1], lwork, minimum, minimum_rule),
    ];
    if let Some(info) = rejected::<T>(&GEES, &checks) {
        return (info, 0);
    }
    set_work_size(work, optimal as usize);
    if query || n == 0 {
        return (0, 0);
    }
    let (wantvs, wantst) = (wantvs.unwrap(), wantst.unwrap());
    let _call = telemetry::gees::<T>(n, wantvs);
    let vs = wantvs.then(|| RawMat::new(vs, ldvs as usize));
    let result = gees::gees(
        n as usize,
        RawMat::new(a, lda as usize),
        vs,
        if wantst { Some(select) } else { None },
    );
    for (i, &(re, im)) in result.values.iter().enumerate() {
        match values {
            Values::Split(wr, wi) => {
                *wr.add(i) = re;
                *wi.add(i) = im;
            }
            Values::Complex(w) => *w.add(i) = T::from_parts(re, im),
        }
    }
    set_work_size(work, optimal as usize);
    (outcome::<T>(&GEES, result.info as i64), result.sdim as i64)
}

macro_rules! gees_fortran {
    // Real: xGEES(JOBVS, SORT, SELECT, N, A, LDA, SDIM, WR, WI, VS, LDVS, WORK, LWORK,
    // BWORK, INFO); SELECT is LOGICAL FUNCTION SELECT(WR, WI).
    ([$I:ty, $pre:literal, $suf:literal], real $T:ty, $name:ident) => {
        gees_fortran!(@emit [$I, $pre, $suf], $T, $name, [wr, wi], Values::Split(wr, wi), [],
            [11, 13], unsafe extern "C" fn(*const $T, *const $T) -> $I,
            |f: unsafe extern "C" fn(*const $T, *const $T) -> $I, (re, im): ($T, $T)| {
                f(&re, &im) != 0
            });
    };
    // Complex: xGEES(JOBVS, SORT, SELECT, N, A, LDA, SDIM, W, VS, LDVS, WORK, LWORK,
    // RWORK, BWORK, INFO); SELECT is LOGICAL FUNCTION SELECT(W).
    ([$I:ty, $pre:literal, $suf:literal], complex $T:ty, $name:ident) => {
        gees_fortran!(@emit [$I, $pre, $suf], $T, $name, [w], Values::Complex(w), [_rwork],
            [10, 12], unsafe extern "C" fn(*const $T) -> $I,
            |f: unsafe extern "C" fn(*const $T) -> $I,
             (re, im): (<$T as Scalar>::RealPart, <$T as Scalar>::RealPart)| {
                f(&<$T>::from_parts(re, im)) != 0
            });
    };
    (@emit [$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, [$($w:ident),+], $values:expr,
     [$($rwork:ident)?], $positions:expr, $select:ty, $call:expr) => {
        /// xGEES: Schur factorization of a general matrix, optionally sorted.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            jobvs: *const c_char,
            sort: *const c_char,
            select: Option<$select>,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            sdim: *mut $I,
            $($w: *mut $T,)+
            vs: *mut $T,
            ldvs: *const $I,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut <$T as Scalar>::RealPart,)?
            _bwork: *mut $I,
            info: *mut $I,
            _jobvs_len: usize,
            _sort_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let call = $call;
                let mut pick = |v: Eigenvalue<<$T as Scalar>::RealPart>| match select {
                    Some(f) => call(f, v),
                    None => false,
                };
                let (result, dimension) = gees_checked::<$T>(
                    (option_char(jobvs), option_char(sort)),
                    &mut pick,
                    read(n),
                    (a, read(lda)),
                    $values,
                    (vs, read(ldvs)),
                    (work, read(lwork)),
                    $positions,
                );
                if result >= 0 {
                    write(sdim, dimension);
                }
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    gees_fortran!(real f32, sgees_);
    gees_fortran!(real f64, dgees_);
    gees_fortran!(complex c32, cgees_);
    gees_fortran!(complex c64, zgees_);
}
