//! Fortran entry points of xGEEV (eigenvalues and left/right eigenvectors of a general
//! matrix). Arguments are checked in the reference order; the first bad one goes to
//! XERBLA and INFO = -position. LWORK = -1 answers the minimum in WORK(1); the body
//! allocates its own workspace, so WORK and RWORK are otherwise untouched.

use crate::abi::int::{read, write};
use crate::abi::lapack_numeric_checks::scan_inputs;
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::blas::args::option_char;
use crate::diag::check::JOB_NV;
use crate::diag::nan_check::{self, Operand};
use crate::lapack::nonsymmetric_eigen::{self, Eigen};
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GEEV};
use std::ffi::c_char;

/// Where xGEEV puts the eigenvalues: WR and WI (real types) or W (complex types).
pub enum Values<T: Scalar> {
    Split(*mut T::RealPart, *mut T::RealPart),
    Complex(*mut T),
}

/// xGEEV's checks and body; returns INFO. `positions` are those of LDVL, LDVR and
/// LWORK, which differ between the real and complex argument lists.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn geev_checked<T: Eigen>(
    (jobvl, jobvr): (u8, u8),
    n: i64,
    (a, lda): (*mut T, i64),
    values: Values<T>,
    (vl, ldvl): (*mut T, i64),
    (vr, ldvr): (*mut T, i64),
    (work, lwork): (*mut T, i64),
    positions: [i32; 3],
) -> i64 {
    let job = |c: u8| match c.to_ascii_uppercase() {
        b'V' => Some(true),
        b'N' => Some(false),
        _ => None,
    };
    let (wantvl, wantvr) = (job(jobvl), job(jobvr));
    // LDVL >= 1, and >= N when the left vectors are wanted (the same for LDVR).
    let vectors_ld = |position, ld: i64, wanted: Option<bool>| {
        if wanted == Some(true) {
            Check::ld(position, ld, n, "max(1, N) (the vectors are wanted)")
        } else {
            Check::at_least(position, ld, 1, "1")
        }
    };
    let mut checks = vec![
        Check::option(1, jobvl, wantvl.is_some(), JOB_NV),
        Check::option(2, jobvr, wantvr.is_some(), JOB_NV),
        Check::dim(3, n),
        Check::ld(5, lda, n, "max(1, N)"),
        vectors_ld(positions[0], ldvl, wantvl),
        vectors_ld(positions[1], ldvr, wantvr),
    ];
    if let Some(info) = rejected::<T>(&GEEV, &checks) {
        return info;
    }
    let (wantvl, wantvr) = (wantvl.unwrap(), wantvr.unwrap());
    let min_work = geev_work::<T>(n as usize, wantvl || wantvr);
    let query = lwork == -1;
    let rule = match (T::IS_COMPLEX, wantvl || wantvr) {
        (false, true) => "max(1, 4*N)",
        (false, false) => "max(1, 3*N)",
        (true, _) => "max(1, 2*N)",
    };
    checks.push(Check::workspace(positions[2], lwork, min_work as i64, rule));
    set_work_size(work, min_work);
    if let Some(info) = rejected::<T>(&GEEV, &checks) {
        return info;
    }
    if query || n == 0 {
        return 0;
    }
    if nan_check::enabled() {
        scan_inputs::<T>(&GEEV, &[Operand::general("A", 4, a, (n, n), lda)]);
    }
    let n = n as usize;
    let _call = telemetry::geev::<T>(n as i64, wantvl, wantvr);
    let mut eigenvalues = vec![
        (
            T::RealPart::from_f64_lossy(0.0),
            T::RealPart::from_f64_lossy(0.0)
        );
        n
    ];
    let vl = wantvl.then(|| RawMat::new(vl, ldvl as usize));
    let vr = wantvr.then(|| RawMat::new(vr, ldvr as usize));
    let info = nonsymmetric_eigen::geev(n, RawMat::new(a, lda as usize), &mut eigenvalues, vl, vr);
    for (i, &(re, im)) in eigenvalues.iter().enumerate() {
        match values {
            Values::Split(wr, wi) => {
                *wr.add(i) = re;
                *wi.add(i) = im;
            }
            Values::Complex(w) => *w.add(i) = T::from_parts(re, im),
        }
    }
    set_work_size(work, min_work);
    outcome::<T>(&GEEV, info as i64)
}

/// LAPACK's minimum LWORK for xGEEV: real 3n (4n with vectors), complex 2n; 1 for n = 0.
pub fn geev_work<T: Scalar>(n: usize, vectors: bool) -> usize {
    if n == 0 {
        1
    } else if T::IS_COMPLEX {
        2 * n
    } else if vectors {
        4 * n
    } else {
        3 * n
    }
}

macro_rules! geev_fortran {
    // Real: xGEEV(JOBVL, JOBVR, N, A, LDA, WR, WI, VL, LDVL, VR, LDVR, WORK, LWORK, INFO).
    ([$I:ty, $pre:literal, $suf:literal], real $T:ty, $name:ident) => {
        geev_fortran!(@emit [$I, $pre, $suf], $T, $name, [wr, wi], Values::Split(wr, wi), [], [9, 11, 13]);
    };
    // Complex: xGEEV(JOBVL, JOBVR, N, A, LDA, W, VL, LDVL, VR, LDVR, WORK, LWORK, RWORK,
    // INFO); RWORK is not needed.
    ([$I:ty, $pre:literal, $suf:literal], complex $T:ty, $name:ident) => {
        geev_fortran!(@emit [$I, $pre, $suf], $T, $name, [w], Values::Complex(w), [_rwork], [8, 10, 12]);
    };
    (@emit [$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident, [$($w:ident),+], $values:expr, [$($rwork:ident)?],
     $positions:expr) => {
        /// xGEEV: eigenvalues and left/right eigenvectors of a general matrix.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            jobvl: *const c_char,
            jobvr: *const c_char,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            $($w: *mut $T,)+
            vl: *mut $T,
            ldvl: *const $I,
            vr: *mut $T,
            ldvr: *const $I,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut <$T as Scalar>::RealPart,)?
            info: *mut $I,
            _jobvl_len: usize,
            _jobvr_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = geev_checked::<$T>(
                    (option_char(jobvl), option_char(jobvr)),
                    read(n),
                    (a, read(lda)),
                    $values,
                    (vl, read(ldvl)),
                    (vr, read(ldvr)),
                    (work, read(lwork)),
                    $positions,
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    geev_fortran!(real f32, sgeev_);
    geev_fortran!(real f64, dgeev_);
    geev_fortran!(complex c32, cgeev_);
    geev_fortran!(complex c64, zgeev_);
}
