//! Fortran entry points of the QR family: xGEQRF, xORGQR/xUNGQR, xORMQR/xUNMQR.
//! Arguments are checked in the reference order (LAPACK 3.11); the first bad one goes
//! to XERBLA and INFO = -position. The bodies need no caller workspace: LWORK is
//! checked against LAPACK's minimum and a query (LWORK = -1) answers LAPACK's optimal
//! size, so callers allocate what they would for the reference.

use crate::abi::int::AbiInt;
use crate::abi::int::{read, write};
use crate::abi::lapack_numeric_checks::{after_triangular, scan_inputs};
use crate::abi::lapack_support::{rejected, set_work_size, Check};
use crate::blas::args::{option_char, Diag, Side, Trans, Uplo};
use crate::diag::check::SIDE;
use crate::diag::cond_check::Consequence;
use crate::diag::nan_check::{self, Operand};
use crate::lapack::pivoted_qr;
use crate::lapack::qr::{self, BLOCK};
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GEQP3, GEQRF, ORGQR, ORMQR};
use std::ffi::c_char;

/// The reference's storage of the triangular factors in ORMQR's workspace.
const TSIZE: i64 = 64 * 65;

/// GEQRF's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn geqrf_checked<T: Scalar>(
    m: i64,
    n: i64,
    a: *mut T,
    lda: i64,
    tau: *mut T,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let checks = [
        Check::dim(1, m),
        Check::dim(2, n),
        Check::ld(4, lda, m, "max(1, M)"),
        Check::workspace(7, lwork, n.max(1), "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&GEQRF, &checks) {
        return info;
    }
    if query {
        set_work_size(work, (n * BLOCK as i64).max(1) as usize);
        return 0;
    }
    if nan_check::enabled() {
        scan_inputs::<T>(&GEQRF, &[Operand::general("A", 3, a, (m, n), lda)]);
    }
    let k = m.min(n) as usize;
    if k > 0 {
        let _call = telemetry::geqrf::<T>(m, n);
        let tau = std::slice::from_raw_parts_mut(tau, k);
        let matrix = RawMat::new(a, lda as usize);
        qr::geqrf(m as usize, n as usize, matrix, tau);
        if m >= n {
            // A = QR with R n x n: A is as well conditioned as R.
            let triangle = (Uplo::Upper, Diag::NonUnit, n);
            after_triangular::<T>(&GEQRF, triangle, matrix, Consequence::Factors);
        }
    }
    set_work_size(work, n.max(1) as usize);
    0
}

/// ORGQR/UNGQR's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn orgqr_checked<T: Scalar>(
    m: i64,
    n: i64,
    k: i64,
    a: *mut T,
    lda: i64,
    tau: *const T,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let checks = [
        Check::dim(1, m),
        Check::between(2, n, ("0", 0), ("M", m)),
        Check::between(3, k, ("0", 0), ("N", n)),
        Check::ld(5, lda, m, "max(1, M)"),
        Check::workspace(8, lwork, n.max(1), "max(1, N)"),
    ];
    if let Some(info) = rejected::<T>(&ORGQR, &checks) {
        return info;
    }
    if query {
        set_work_size(work, (n.max(1) * BLOCK as i64) as usize);
        return 0;
    }
    if n > 0 {
        let _call = telemetry::orgqr::<T>(m, n, k);
        let tau = std::slice::from_raw_parts(tau, k as usize);
        qr::orgqr(
            m as usize,
            n as usize,
            k as usize,
            RawMat::new(a, lda as usize),
            tau,
        );
    }
    set_work_size(work, n.max(1) as usize);
    0
}

/// ORMQR/UNMQR's checks and body; returns INFO. TRANS is 'N' or 'T' for real types,
/// 'N' or 'C' for complex ones, as in the reference.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn ormqr_checked<T: Scalar>(
    side: u8,
    trans: u8,
    (m, n, k): (i64, i64, i64),
    a: *mut T,
    lda: i64,
    tau: *const T,
    (c, ldc): (*mut T, i64),
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let side_arg = Side::from_char(side);
    let op = match (trans.to_ascii_uppercase(), T::IS_COMPLEX) {
        (b'N', _) => Some(Trans::No),
        (b'T', false) | (b'C', true) => Some(Trans::ConjTrans),
        _ => None,
    };
    let left = side_arg == Some(Side::Left);
    let (nq, nw) = if left { (m, n.max(1)) } else { (n, m.max(1)) };
    // Q is M x M applied from the left, N x N from the right.
    let (nq_rule, nw_rule) = if left {
        ("M (SIDE = 'L')", "max(1, N) (SIDE = 'L')")
    } else {
        ("N (SIDE = 'R')", "max(1, M) (SIDE = 'R')")
    };
    let lda_rule = if left {
        "max(1, M) (SIDE = 'L')"
    } else {
        "max(1, N) (SIDE = 'R')"
    };
    let trans_rule = if T::IS_COMPLEX {
        "'N' or 'C'"
    } else {
        "'N' or 'T'"
    };
    let checks = [
        Check::option(1, side, side_arg.is_some(), SIDE),
        Check::option(2, trans, op.is_some(), trans_rule),
        Check::dim(3, m),
        Check::dim(4, n),
        Check::between(5, k, ("0", 0), (nq_rule, nq)),
        Check::ld(7, lda, nq, lda_rule),
        Check::ld(10, ldc, m, "max(1, M)"),
        Check::workspace(12, lwork, nw, nw_rule),
    ];
    if let Some(info) = rejected::<T>(&ORMQR, &checks) {
        return info;
    }
    if query {
        set_work_size(work, (nw * BLOCK as i64 + TSIZE) as usize);
        return 0;
    }
    if nan_check::enabled() {
        scan_inputs::<T>(&ORMQR, &[Operand::general("C", 9, c, (m, n), ldc)]);
    }
    if m > 0 && n > 0 && k > 0 {
        let _call = telemetry::ormqr::<T>(side, trans, m, n, k);
        let tau = std::slice::from_raw_parts(tau, k as usize);
        let (a, c) = (RawMat::new(a, lda as usize), RawMat::new(c, ldc as usize));
        let dims = (m as usize, n as usize, k as usize);
        qr::ormqr(side_arg.unwrap(), op.unwrap(), dims, a, tau, c);
    }
    set_work_size(work, nw as usize);
    0
}

/// GEQP3's checks and body; returns INFO. The minimum LWORK is LAPACK's: 3N + 1 for
/// real types, N + 1 for complex ones (which take RWORK besides).
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn geqp3_checked<T: Scalar, I: AbiInt>(
    m: i64,
    n: i64,
    a: *mut T,
    lda: i64,
    jpvt: *mut I,
    tau: *mut T,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let k = m.min(n);
    let minimum = if k == 0 {
        1
    } else if T::IS_COMPLEX {
        n + 1
    } else {
        3 * n + 1
    };
    let rule = match (k == 0, T::IS_COMPLEX) {
        (true, _) => "1 (min(M, N) = 0)",
        (false, true) => "N + 1",
        (false, false) => "3*N + 1",
    };
    let checks = [
        Check::dim(1, m),
        Check::dim(2, n),
        Check::ld(4, lda, m, "max(1, M)"),
        Check::workspace(8, lwork, minimum, rule),
    ];
    if let Some(info) = rejected::<T>(&GEQP3, &checks) {
        return info;
    }
    let optimal = if k == 0 {
        1
    } else {
        2 * n + (n + 1) * BLOCK as i64
    };
    set_work_size(work, optimal as usize);
    if query {
        return 0;
    }
    if nan_check::enabled() {
        scan_inputs::<T>(&GEQP3, &[Operand::general("A", 3, a, (m, n), lda)]);
    }
    // Even with nothing to factor, JPVT is set (the fixed columns moved to the front).
    let _call = telemetry::geqp3::<T>(m, n);
    let mut pivots: Vec<i64> = (0..n as usize).map(|j| read(jpvt.add(j))).collect();
    let tau = if k > 0 {
        std::slice::from_raw_parts_mut(tau, k as usize)
    } else {
        &mut []
    };
    pivoted_qr::geqp3(
        m as usize,
        n as usize,
        RawMat::new(a, lda as usize),
        &mut pivots,
        tau,
    );
    for (j, &p) in pivots.iter().enumerate() {
        write(jpvt.add(j), p);
    }
    set_work_size(work, optimal as usize);
    0
}

macro_rules! geqp3_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $T:ty, $name:ident $(, $rwork:ident)?) => {
        /// xGEQP3(M, N, A, LDA, JPVT, TAU, WORK, LWORK, [RWORK,] INFO): QR with column
        /// pivoting.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            m: *const $I,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            jpvt: *mut $I,
            tau: *mut $T,
            work: *mut $T,
            lwork: *const $I,
            $($rwork: *mut <$T as Scalar>::RealPart,)?
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = geqp3_checked::<$T, $I>(
                    read(m),
                    read(n),
                    a,
                    read(lda),
                    jpvt,
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
    geqp3_fortran!(f32, sgeqp3_);
    geqp3_fortran!(f64, dgeqp3_);
    geqp3_fortran!(c32, cgeqp3_, _rwork);
    geqp3_fortran!(c64, zgeqp3_, _rwork);
}

// The Fortran entries of the Householder families (QR here, LQ/RQ in `lapack_lq_rq`):
// one argument list per kind of routine, `$checked` the body it calls.

/// xGEQRF/xGELQF/xGERQF(M, N, A, LDA, TAU, WORK, LWORK, INFO): a factorization.
macro_rules! householder_factor_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $checked:ident, $T:ty, $name:ident) => {
        /// xGEQRF/xGELQF/xGERQF(M, N, A, LDA, TAU, WORK, LWORK, INFO): Householder
        /// factorization.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            m: *const $I,
            n: *const $I,
            a: *mut $T,
            lda: *const $I,
            tau: *mut $T,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = $checked::<$T>(read(m), read(n), a, read(lda), tau, work, read(lwork));
                write(info, result);
            })
        }
    };
}

/// xORGQR/xORGLQ (xUNG..)(M, N, K, A, LDA, TAU, WORK, LWORK, INFO): Q from the reflectors.
macro_rules! householder_generate_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $checked:ident, $T:ty, $name:ident) => {
        /// xORGQR/xORGLQ (xUNGQR/xUNGLQ)(M, N, K, A, LDA, TAU, WORK, LWORK, INFO): Q from
        /// the reflectors of a Householder factorization.
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            m: *const $I,
            n: *const $I,
            k: *const $I,
            a: *mut $T,
            lda: *const $I,
            tau: *const $T,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = $checked::<$T>(
                    read(m),
                    read(n),
                    read(k),
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

/// xORMQR/xORMLQ (xUNM..)(SIDE, TRANS, M, N, K, A, LDA, TAU, C, LDC, WORK, LWORK, INFO).
macro_rules! householder_apply_fortran {
    ([$I:ty, $pre:literal, $suf:literal], $checked:ident, $T:ty, $name:ident) => {
        /// xORMQR/xORMLQ (xUNMQR/xUNMLQ)(SIDE, TRANS, M, N, K, A, LDA, TAU, C, LDC, WORK,
        /// LWORK, INFO): C := op(Q) C or C op(Q).
        ///
        /// # Safety
        /// Reference LAPACK contract.
        #[unsafe(export_name = concat!($pre, stringify!($name), $suf))]
        #[allow(clippy::too_many_arguments)]
        pub unsafe extern "C" fn $name(
            side: *const c_char,
            trans: *const c_char,
            m: *const $I,
            n: *const $I,
            k: *const $I,
            a: *mut $T,
            lda: *const $I,
            tau: *const $T,
            c: *mut $T,
            ldc: *const $I,
            work: *mut $T,
            lwork: *const $I,
            info: *mut $I,
            _side_len: usize,
            _trans_len: usize,
        ) {
            crate::ffi_boundary!(stringify!($name), (), {
                let result = $checked::<$T>(
                    option_char(side),
                    option_char(trans),
                    (read(m), read(n), read(k)),
                    a,
                    read(lda),
                    tau,
                    (c, read(ldc)),
                    work,
                    read(lwork),
                );
                write(info, result);
            })
        }
    };
}

crate::for_each_abi! {
    householder_factor_fortran!(geqrf_checked, f32, sgeqrf_);
    householder_factor_fortran!(geqrf_checked, f64, dgeqrf_);
    householder_factor_fortran!(geqrf_checked, c32, cgeqrf_);
    householder_factor_fortran!(geqrf_checked, c64, zgeqrf_);
    householder_generate_fortran!(orgqr_checked, f32, sorgqr_);
    householder_generate_fortran!(orgqr_checked, f64, dorgqr_);
    householder_generate_fortran!(orgqr_checked, c32, cungqr_);
    householder_generate_fortran!(orgqr_checked, c64, zungqr_);
    householder_apply_fortran!(ormqr_checked, f32, sormqr_);
    householder_apply_fortran!(ormqr_checked, f64, dormqr_);
    householder_apply_fortran!(ormqr_checked, c32, cunmqr_);
    householder_apply_fortran!(ormqr_checked, c64, zunmqr_);
}

pub(crate) use {
    householder_apply_fortran, householder_factor_fortran, householder_generate_fortran,
};
