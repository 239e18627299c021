//! Fortran entry points of the SVD: xGESDD and xGESVD. Arguments are checked in the
//! reference order. LWORK is rejected only below what the reference code itself
//! requires on the path it would take (so every call the reference accepts runs).
//! Queries answer the documented minimum, except real GESDD with JOBZ = 'S' (and 'A'
//! when not much taller than wide or wider than tall): the
//! reference's own answer there (3mn^2 + 7mn when square, which SciPy checks exactly)
//! is below the documented 4mn^2 + 7mn, and we answer as it does. The body allocates
//! what faer needs: WORK, RWORK and IWORK are not otherwise touched.

use crate::abi::int::{read, write};
use crate::abi::lapack_numeric_checks::scan_inputs;
use crate::abi::lapack_support::{outcome, rejected, set_work_size, Check};
use crate::blas::args::option_char;
use crate::diag::check::Value;
use crate::diag::nan_check::{self, Operand};
use crate::lapack::raw::RawMat;
use crate::lapack::svd::{self, Outcome, Part};
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GESDD, GESVD};
use std::ffi::c_char;

/// (the reference code's MINWRK on the path it takes, the query's answer) of xGESDD.
fn gesdd_work<T: Scalar>(jobz: Part, m: i64, n: i64) -> (i64, i64) {
    let (mn, mx) = (m.min(n), m.max(n));
    if mn == 0 {
        return (1, 1);
    }
    let documented = match (T::IS_COMPLEX, jobz) {
        (false, Part::Nothing) => 3 * mn + mx.max(7 * mn),
        (false, Part::Overwrite) => 3 * mn + mx.max(5 * mn * mn + 4 * mn),
        (false, Part::All) if mx >= mn * 11 / 6 => 4 * mn * mn + 6 * mn + mx,
        (false, _) => 3 * mn + mx.max(3 * mn * mn + 4 * mn),
        (true, Part::Nothing) => 2 * mn + mx,
        (true, Part::Overwrite) => 2 * mn * mn + 2 * mn + mx,
        (true, Part::Leading) => mn * mn + 3 * mn,
        (true, Part::All) => mn * mn + 2 * mn + mx,
    };
    let (n2, sq) = (mn * mn, mn); // mn^2 and mn, in the reference's terms
    let required = if T::IS_COMPLEX {
        // Paths 1-4 (mx >= 17/9 mn) work on the QR/LQ factor; 5-6 on A itself.
        if mx >= mn * 17 / 9 {
            match jobz {
                Part::Nothing => 3 * sq,
                Part::Overwrite => 2 * n2 + 3 * sq,
                Part::Leading => n2 + 3 * sq,
                Part::All => n2 + (3 * sq).max(sq + mx),
            }
        } else {
            2 * sq + mx + if jobz == Part::Overwrite { n2 } else { 0 }
        }
    } else {
        let bdspac = if jobz == Part::Nothing {
            7 * sq
        } else {
            3 * n2 + 4 * sq
        };
        if mx >= mn * 11 / 6 {
            match jobz {
                Part::Nothing => bdspac + sq,
                Part::Overwrite => bdspac + 2 * n2 + 3 * sq,
                Part::Leading => bdspac + n2 + 3 * sq,
                Part::All => n2 + (3 * sq + bdspac).max(sq + mx),
            }
        } else {
            let extra = if jobz == Part::Overwrite { n2 } else { 0 };
            3 * sq + mx.max(extra + bdspac)
        }
    };
    (required, documented.max(required))
}

/// The choices of JOBZ, JOBU and JOBVT.
const JOBS: &str = "'A', 'S', 'O' or 'N'";

/// (the reference code's MINWRK, the documented minimum) of xGESVD.
fn gesvd_work<T: Scalar>((jobu, jobvt): (Part, Part), m: i64, n: i64) -> (i64, i64) {
    let (mn, mx) = (m.min(n), m.max(n));
    if mn == 0 {
        return (1, 1);
    }
    // The QR (LQ) path that computes no vectors on the long side needs less.
    let no_long_vectors = if m >= n {
        jobu == Part::Nothing
    } else {
        jobvt == Part::Nothing
    };
    let long_path = mx >= mn * 16 / 10 && no_long_vectors;
    if T::IS_COMPLEX {
        let required = if long_path { 3 * mn } else { 2 * mn + mx };
        (required, 2 * mn + mx)
    } else {
        let required = if long_path {
            5 * mn
        } else {
            (3 * mn + mx).max(5 * mn)
        };
        (required, (3 * mn + mx).max(5 * mn))
    }
}

/// Runs the body and turns its outcome into INFO: `nan_info` < 0 stops at a NaN in A
/// with that INFO (GESDD's -4, set without XERBLA as the reference does);
/// `failed_info` when it failed.
#[allow(clippy::too_many_arguments)]
unsafe fn run<T: Scalar>(
    parts: (Part, Part),
    (m, n): (i64, i64),
    a: RawMat<T>,
    s: *mut T::RealPart,
    u: RawMat<T>,
    vt: RawMat<T>,
    nan_info: i64,
    failed_info: i64,
) -> i64 {
    match svd::gesvd(parts, (m as usize, n as usize), a, s, u, vt, nan_info < 0) {
        Outcome::Done => 0,
        Outcome::HasNaN => nan_info,
        Outcome::Failed => failed_info,
    }
}

/// xGESDD's checks and body; returns INFO. INFO > 0 (1: "did not converge") also when
/// A holds an Inf; a NaN gives INFO = -4 with nothing written, as the reference.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gesdd_checked<T: Scalar>(
    jobz: u8,
    (m, n): (i64, i64),
    (a, lda): (*mut T, i64),
    s: *mut T::RealPart,
    (u, ldu): (*mut T, i64),
    (vt, ldvt): (*mut T, i64),
    (work, lwork): (*mut T, i64),
) -> i64 {
    let job = Part::from_char(jobz);
    let (all, some) = (job == Some(Part::All), job == Some(Part::Leading));
    let over = job == Some(Part::Overwrite);
    let ldu_check = if all || some || (over && m < n) {
        Check::ld(8, ldu, m, "max(1, M) (U is computed)")
    } else {
        Check::at_least(8, ldu, 1, "1")
    };
    let ldvt_check = if all || (over && m >= n) {
        Check::ld(10, ldvt, n, "max(1, N) (VT is computed, N x N)")
    } else if some {
        Check::ld(10, ldvt, m.min(n), "max(1, min(M, N)) (JOBZ = 'S')")
    } else {
        Check::at_least(10, ldvt, 1, "1")
    };
    let checks = [
        Check::option(1, jobz, job.is_some(), JOBS),
        Check::dim(2, m),
        Check::dim(3, n),
        Check::ld(5, lda, m, "max(1, M)"),
        ldu_check,
        ldvt_check,
    ];
    if let Some(info) = rejected::<T>(&GESDD, &checks) {
        return info;
    }
    let job = job.unwrap();
    let (required, answer) = gesdd_work::<T>(job, m, n);
    set_work_size(work, answer as usize);
    if lwork == -1 {
        return 0;
    }
    let lwork_check = Check::workspace(12, lwork, required, "the documented minimum");
    if let Some(info) = rejected::<T>(&GESDD, &[lwork_check]) {
        return info;
    }
    // JOBZ = 'O' overwrites A with U when m >= n, with VT otherwise.
    let parts = match job {
        Part::Overwrite if m >= n => (Part::Overwrite, Part::All),
        Part::Overwrite => (Part::All, Part::Overwrite),
        other => (other, other),
    };
    if nan_check::enabled() {
        scan_inputs::<T>(&GESDD, &[Operand::general("A", 4, a, (m, n), lda)]);
    }
    let _call = telemetry::svd::<T>(&GESDD, job != Part::Nothing, m, n);
    let (a, u, vt) = (
        RawMat::new(a, lda as usize),
        RawMat::new(u, ldu as usize),
        RawMat::new(vt, ldvt as usize),
    );
    outcome::<T>(&GESDD, run(parts, (m, n), a, s, u, vt, -4, 1))
}

/// xGESVD's checks and body; returns INFO. A NaN or Inf in A gives INFO =
/// max(1, min(m, n) - 1) ("that many superdiagonals did not converge") and NaN outputs.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gesvd_checked<T: Scalar>(
    (jobu, jobvt): (u8, u8),
    (m, n): (i64, i64),
    (a, lda): (*mut T, i64),
    s: *mut T::RealPart,
    (u, ldu): (*mut T, i64),
    (vt, ldvt): (*mut T, i64),
    (work, lwork): (*mut T, i64),
) -> i64 {
    let (pu, pv) = (Part::from_char(jobu), Part::from_char(jobvt));
    let u_wanted = matches!(pu, Some(Part::All | Part::Leading));
    let ldu_check = if u_wanted {
        Check::ld(9, ldu, m, "max(1, M) (JOBU = 'A' or 'S')")
    } else {
        Check::at_least(9, ldu, 1, "1")
    };
    let ldvt_check = match pv {
        Some(Part::All) => Check::ld(11, ldvt, n, "max(1, N) (JOBVT = 'A')"),
        Some(Part::Leading) => Check::ld(11, ldvt, m.min(n), "max(1, min(M, N)) (JOBVT = 'S')"),
        _ => Check::at_least(11, ldvt, 1, "1"),
    };
    let both_overwrite = pu == Some(Part::Overwrite) && pv == Some(Part::Overwrite);
    let checks = [
        Check::option(1, jobu, pu.is_some(), JOBS),
        Check::option(2, jobvt, pv.is_some(), JOBS),
        Check::rule(
            2,
            both_overwrite,
            Value::Char(jobvt),
            "must not be 'O' when JOBU is 'O' (only one of U and VT can overwrite A)",
        ),
        Check::dim(3, m),
        Check::dim(4, n),
        Check::ld(6, lda, m, "max(1, M)"),
        ldu_check,
        ldvt_check,
    ];
    if let Some(info) = rejected::<T>(&GESVD, &checks) {
        return info;
    }
    let parts = (pu.unwrap(), pv.unwrap());
    let (required, documented) = gesvd_work::<T>(parts, m, n);
    set_work_size(work, documented as usize);
    if lwork == -1 {
        return 0;
    }
    let lwork_check = Check::workspace(13, lwork, required, "the documented minimum");
    if let Some(info) = rejected::<T>(&GESVD, &[lwork_check]) {
        return info;
    }
    let vectors = parts != (Part::Nothing, Part::Nothing);
    if nan_check::enabled() {
        scan_inputs::<T>(&GESVD, &[Operand::general("A", 5, a, (m, n), lda)]);
    }
    let _call = telemetry::svd::<T>(&GESVD, vectors, m, n);
    let failed = (m.min(n) - 1).max(1);
    let (a, u, vt) = (
        RawMat::new(a, lda as usize),
        RawMat::new(u, ldu as usize),
        RawMat::new(vt, ldvt as usize),
    );
    outcome::<T>(&GESVD, run(parts, (m, n), a, s, u, vt, failed, failed))
}

macro_rules! gesdd_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident $(, $rwork:ident)?) => {
        /// xGESDD(JOBZ, M, N, A, LDA, S, U, LDU, VT, LDVT, WORK, LWORK, [RWORK,] IWORK,
        /// INFO); RWORK for the complex names only.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            jobz: *const c_char,
            m: *const $I,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            s: *mut $R,
            u: *mut $T,
            ldu: *const $I,
            vt: *mut $T,
            ldvt: *const $I,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut $R,)?
            _iwork: *mut $I,
            info: *mut $I,
            _jobz_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = gesdd_checked::<$T>(
                    option_char(jobz),
                    (read(m), read(n)),
                    (a, read(lda)),
                    s,
                    (u, read(ldu)),
                    (vt, read(ldvt)),
                    (work, read(lwork)),
                );
                write(info, result);
            })
        }
    };
}

macro_rules! gesvd_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $R:ty, $name:ident $(, $rwork:ident)?) => {
        /// xGESVD(JOBU, JOBVT, M, N, A, LDA, S, U, LDU, VT, LDVT, WORK, LWORK, [RWORK,]
        /// INFO); RWORK for the complex names only.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            jobu: *const c_char,
            jobvt: *const c_char,
            m: *const $I,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            s: *mut $R,
            u: *mut $T,
            ldu: *const $I,
            vt: *mut $T,
            ldvt: *const $I,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut $R,)?
            info: *mut $I,
            _jobu_len: usize,
            _jobvt_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = gesvd_checked::<$T>(
                    (option_char(jobu), option_char(jobvt)),
                    (read(m), read(n)),
                    (a, read(lda)),
                    s,
                    (u, read(ldu)),
                    (vt, read(ldvt)),
                    (work, read(lwork)),
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    gesdd_fortran!(f32, f32, sgesdd_);
    gesdd_fortran!(f64, f64, dgesdd_);
    gesdd_fortran!(c32, f32, cgesdd_, _rwork);
    gesdd_fortran!(c64, f64, zgesdd_, _rwork);
    gesvd_fortran!(f32, f32, sgesvd_);
    gesvd_fortran!(f64, f64, dgesvd_);
    gesvd_fortran!(c32, f32, cgesvd_, _rwork);
    gesvd_fortran!(c64, f64, zgesvd_, _rwork);
}
