//! Fortran entry points of the LQ and RQ family: xGELQF, xGERQF, xORGLQ/xUNGLQ,
//! xORMLQ/xUNMLQ. Arguments are checked in the reference order (LAPACK 3.11); the first
//! bad one goes to XERBLA and INFO = -position. The bodies need no caller workspace:
//! LWORK is checked against LAPACK's minimum and a query answers LAPACK's optimal size.

use crate::abi::int::{read, write};
use crate::abi::lapack_qr::{
    householder_apply_fortran, householder_factor_fortran, householder_generate_fortran,
};
use crate::abi::lapack_support::{rejected, set_work_size, Check};
use crate::blas::args::{option_char, Side, Trans};
use crate::diag::check::SIDE;
use crate::lapack::lq_rq;
use crate::lapack::qr::BLOCK;
use crate::lapack::raw::RawMat;
use crate::scalar::{c32, c64, Scalar};
use crate::telemetry::lapack::{self as telemetry, GELQF, GERQF, ORGLQ, ORMLQ};
use std::ffi::c_char;

/// The reference's storage of the triangular factors in ORMLQ's workspace.
const TSIZE: i64 = 64 * 65;

/// GELQF's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn gelqf_checked<T: Scalar>(
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
        Check::workspace(7, lwork, m.max(1), "max(1, M)"),
    ];
    if let Some(info) = rejected::<T>(&GELQF, &checks) {
        return info;
    }
    if query {
        set_work_size(work, (m * BLOCK as i64).max(1) as usize);
        return 0;
    }
    let k = m.min(n) as usize;
    if k > 0 {
        let _call = telemetry::lq_or_rq::<T>(&GELQF, m, n);
        let tau = std::slice::from_raw_parts_mut(tau, k);
        lq_rq::gelqf(m as usize, n as usize, RawMat::new(a, lda as usize), tau);
    }
    set_work_size(work, m.max(1) as usize);
    0
}

/// GERQF's checks and body; returns INFO. Its LWORK rule is GERQF's own: LWORK >= 1, and
/// >= M when N > 0.
///
/// # Safety
/// Reference LAPACK contract.
pub unsafe fn gerqf_checked<T: Scalar>(
    m: i64,
    n: i64,
    a: *mut T,
    lda: i64,
    tau: *mut T,
    work: *mut T,
    lwork: i64,
) -> i64 {
    let query = lwork == -1;
    let k = m.min(n);
    let (minimum, rule) = if n > 0 {
        (m.max(1), "max(1, M) (N > 0)")
    } else {
        (1, "1 (N = 0)")
    };
    let checks = [
        Check::dim(1, m),
        Check::dim(2, n),
        Check::ld(4, lda, m, "max(1, M)"),
        Check::workspace(7, lwork, minimum, rule),
    ];
    if let Some(info) = rejected::<T>(&GERQF, &checks) {
        return info;
    }
    let optimal = if k == 0 { 1 } else { m * BLOCK as i64 };
    set_work_size(work, optimal as usize);
    if query || k == 0 {
        return 0;
    }
    let _call = telemetry::lq_or_rq::<T>(&GERQF, m, n);
    let tau = std::slice::from_raw_parts_mut(tau, k as usize);
    lq_rq::gerqf(m as usize, n as usize, RawMat::new(a, lda as usize), tau);
    set_work_size(work, optimal as usize);
    0
}

/// ORGLQ/UNGLQ's checks and body; returns INFO.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn orglq_checked<T: Scalar>(
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
        Check::at_least(2, n, m, "M"),
        Check::between(3, k, ("0", 0), ("M", m)),
        Check::ld(5, lda, m, "max(1, M)"),
        Check::workspace(8, lwork, m.max(1), "max(1, M)"),
    ];
    if let Some(info) = rejected::<T>(&ORGLQ, &checks) {
        return info;
    }
    if query {
        set_work_size(work, (m.max(1) * BLOCK as i64) as usize);
        return 0;
    }
    if m > 0 {
        let _call = telemetry::orglq::<T>(m, n, k);
        let tau = std::slice::from_raw_parts(tau, k as usize);
        let dims = (m as usize, n as usize, k as usize);
        lq_rq::orglq(dims.0, dims.1, dims.2, RawMat::new(a, lda as usize), tau);
    }
    set_work_size(work, m.max(1) as usize);
    0
}

/// ORMLQ/UNMLQ's checks and body; returns INFO. TRANS is 'N' or 'T' for real types,
/// 'N' or 'C' for complex ones, as in the reference.
///
/// # Safety
/// Reference LAPACK contract.
#[allow(clippy::too_many_arguments)]
pub unsafe fn ormlq_checked<T: Scalar>(
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
        Check::ld(7, lda, k, "max(1, K)"),
        Check::ld(10, ldc, m, "max(1, M)"),
        Check::workspace(12, lwork, nw, nw_rule),
    ];
    if let Some(info) = rejected::<T>(&ORMLQ, &checks) {
        return info;
    }
    if query {
        set_work_size(work, (nw * BLOCK as i64 + TSIZE) as usize);
        return 0;
    }
    if m > 0 && n > 0 && k > 0 {
        let _call = telemetry::ormlq::<T>(side, trans, m, n, k);
        let tau = std::slice::from_raw_parts(tau, k as usize);
        let (a, c) = (RawMat::new(a, lda as usize), RawMat::new(c, ldc as usize));
        let dims = (m as usize, n as usize, k as usize);
        lq_rq::ormlq(side_arg.unwrap(), op.unwrap(), dims, a, tau, c);
    }
    set_work_size(work, nw as usize);
    0
}

crate::for_each_abi! {
    householder_factor_fortran!(gelqf_checked, f32, sgelqf_);
    householder_factor_fortran!(gelqf_checked, f64, dgelqf_);
    householder_factor_fortran!(gelqf_checked, c32, cgelqf_);
    householder_factor_fortran!(gelqf_checked, c64, zgelqf_);
    householder_factor_fortran!(gerqf_checked, f32, sgerqf_);
    householder_factor_fortran!(gerqf_checked, f64, dgerqf_);
    householder_factor_fortran!(gerqf_checked, c32, cgerqf_);
    householder_factor_fortran!(gerqf_checked, c64, zgerqf_);
    householder_generate_fortran!(orglq_checked, f32, sorglq_);
    householder_generate_fortran!(orglq_checked, f64, dorglq_);
    householder_generate_fortran!(orglq_checked, c32, cunglq_);
    householder_generate_fortran!(orglq_checked, c64, zunglq_);
    householder_apply_fortran!(ormlq_checked, f32, sormlq_);
    householder_apply_fortran!(ormlq_checked, f64, dormlq_);
    householder_apply_fortran!(ormlq_checked, c32, cunmlq_);
    householder_apply_fortran!(ormlq_checked, c64, zunmlq_);
}
