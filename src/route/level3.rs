//! The router for the level-3 routines other than GEMM: each call's work for the cost
//! model ([`cost::Work`]: what the CPU path does against what the device path runs,
//! expanded triangles and host-solved blocks included), the decision, and the device
//! path of `crate::gpu::level3` when it is chosen. A `Cpu` decision means the caller
//! computes (its outputs untouched).

use super::{cost, decide, offload, Decision};
use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::level3::Order;
use crate::gpu::{self, level3::block_edge};
use crate::scalar::Scalar;

/// The granule of the device's GEMM kernel for `T`: 1 when it cannot be built (the
/// device path will decline anyway), and before the device is open 128, the tensor-core
/// kernel's (a 128 x 64 x 8 tile) on the GPUs measured.
fn granule<T: Scalar>(device: &cost::Device) -> usize {
    let Some(dev) = device.gpu else {
        return 128;
    };
    gpu::gemm::GemmKernel::new::<T>(dev)
        .map(|k| gpu::level3::granule(&k))
        .unwrap_or(1)
}

/// Multiply-adds of SYRK/HERK (`terms` 1) or SYR2K/HER2K (2) on the CPU path (the
/// triangle) and the device path (the triangle plus the diagonal blocks in full).
pub fn rank_k_work(n: usize, k: usize, terms: f64, edge: usize) -> cost::Work {
    let (nf, kf) = (n as f64, k as f64);
    cost::Work {
        cpu_products: terms * nf * (nf + 1.0) / 2.0 * kf,
        device_products: terms * nf * (nf + edge as f64) / 2.0 * kf,
        host_products: 0.0,
        elements_moved: terms * nf * kf + 2.0 * nf * nf,
        round_trips: 0.0,
        overrun: cost::SYRK_OVERRUN,
    }
}

/// The routines' volumes for the offload threshold ([`super::cpu_only_volume`]): their
/// multiply-adds, the m * n * k of a GEMM of the same work.
pub fn rank_k_volume(n: usize, k: usize, two: bool) -> f64 {
    (if two { 2.0 } else { 1.0 }) * (n as f64) * (n as f64) * (k as f64) / 2.0
}

pub fn symm_volume((m, n): (usize, usize), ka: usize) -> f64 {
    (m as f64) * (n as f64) * (ka as f64)
}

/// TRMM and TRSM do half a GEMM's multiply-adds.
pub fn triangular_volume((m, n): (usize, usize), ka: usize) -> f64 {
    (m as f64) * (n as f64) * (ka as f64) / 2.0
}

/// SYRK/HERK/SYR2K/HER2K through the router (see `crate::blas::level3::rank_k`).
///
/// # Safety
/// As for `crate::blas::level3::rank_k`; n > 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn rank_k<T: Scalar>(
    uplo: Uplo,
    trans: Trans,
    hermitian: bool,
    (n, k): (usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: Option<(*const T, usize)>,
    beta: T,
    c: (*mut T, usize),
) -> Decision {
    let terms = if b.is_some() { 2.0 } else { 1.0 };
    let choice = decide::<T>(rank_k_volume(n, k, b.is_some()), |device| {
        let edge = block_edge(n, granule::<T>(device));
        cost::estimate::<T>(device, rank_k_work(n, k, terms, edge))
    });
    offload(choice, |dev| {
        gpu::level3::rank_k(dev, uplo, trans, hermitian, (n, k), alpha, a, b, beta, c)
    })
}

/// SYMM/HEMM through the router (see `crate::blas::level3::symm`).
///
/// # Safety
/// As for `crate::blas::level3::symm`; m, n > 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn symm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    hermitian: bool,
    (m, n): (usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*const T, usize),
    beta: T,
    c: (*mut T, usize),
) -> Decision {
    let ka = if side == Side::Left { m } else { n };
    let choice = decide::<T>(symm_volume((m, n), ka), |device| {
        let (mf, nf, kf) = (m as f64, n as f64, ka as f64);
        let products = mf * nf * kf;
        let work = cost::Work {
            cpu_products: products,
            device_products: products,
            host_products: 0.0,
            elements_moved: kf * kf + 3.0 * mf * nf,
            round_trips: 0.0,
            overrun: 1.0,
        };
        cost::estimate::<T>(device, work)
    });
    offload(choice, |dev| {
        gpu::level3::symm(dev, side, uplo, hermitian, (m, n), alpha, a, b, beta, c)
    })
}

/// TRMM through the router (see `crate::blas::level3::trmm`); the device multiplies
/// by the whole expanded triangle, twice the CPU's multiply-adds.
///
/// # Safety
/// As for `crate::blas::level3::trmm`; m, n > 0, alpha != 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn trmm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    trans: Trans,
    diag: Diag,
    (m, n): (usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*mut T, usize),
) -> Decision {
    let ka = if side == Side::Left { m } else { n };
    let choice = decide::<T>(triangular_volume((m, n), ka), |device| {
        let (mf, nf, kf) = (m as f64, n as f64, ka as f64);
        let work = cost::Work {
            cpu_products: mf * nf * kf / 2.0,
            device_products: mf * nf * kf,
            host_products: 0.0,
            elements_moved: kf * kf + 2.0 * mf * nf,
            round_trips: 0.0,
            overrun: 1.0,
        };
        cost::estimate::<T>(device, work)
    });
    offload(choice, |dev| {
        gpu::level3::trmm(dev, side, uplo, trans, diag, (m, n), alpha, a, b)
    })
}

/// TRSM through the router (see `crate::blas::level3::trsm`): the diagonal blocks
/// are solved on the host, each block a round trip.
///
/// # Safety
/// As for `crate::blas::level3::trsm`; m, n > 0, alpha != 0.
pub unsafe fn trsm<T: Scalar>(order: Order, args: &TrsmArgs<T>) -> Decision {
    let (m, n, ka, other) = (args.m, args.n, args.ka(), args.rhs());
    let choice = decide::<T>(triangular_volume((m, n), ka), |device| {
        let edge = block_edge(ka, granule::<T>(device)).min(ka.max(1));
        let (kf, of, ef) = (ka as f64, other as f64, edge as f64);
        let work = cost::Work {
            cpu_products: kf * kf * of / 2.0,
            device_products: kf * (kf - ef).max(0.0) * of / 2.0,
            host_products: kf * ef * of / 2.0,
            elements_moved: kf * kf + 4.0 * kf * of,
            round_trips: (kf / ef).ceil(),
            overrun: cost::TRSM_OVERRUN,
        };
        cost::estimate::<T>(device, work)
    });
    offload(choice, |dev| gpu::level3::trsm(dev, order, args))
}
