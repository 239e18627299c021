//! The cost model of `LAPACK_AI_BACKEND=auto`: estimated seconds on the CPU (threads x a
//! per-thread rate) against the device (kernel rate + host-link copies + a fixed
//! overhead). The rates come from `lapack-ai calibrate` when it has been run
//! ([`super::calibration`]), else from coarse built-in tables. Below [`MIN_GEMM_VOLUME`]
//! nothing is offloaded.

use super::calibration;
use crate::gpu::gemm::precision;
use crate::gpu::tuning::{self, DeviceModel, Precision};
use crate::gpu::Gpu;
use crate::scalar::Scalar;

/// m * n * k below which GEMM always stays on the CPU (256^3).
pub const MIN_GEMM_VOLUME: f64 = 256.0 * 256.0 * 256.0;

/// Built-in sustained CPU GEMM flop/s per thread (AVX2/AVX-512 class core, faer).
const CPU_FLOPS_PER_THREAD_F32: f64 = 60e9;
const CPU_FLOPS_PER_THREAD_F64: f64 = 30e9;

pub struct Estimate {
    pub cpu_s: f64,
    pub gpu_s: f64,
}

/// The CPU's GEMM rate with every thread a call may use, flop/s (real double or single).
pub fn cpu_flops_per_s(double: bool) -> f64 {
    let per_thread = match (calibration::in_use(), double) {
        (Some(c), true) => c.cpu_flops_per_thread_f64,
        (Some(c), false) => c.cpu_flops_per_thread_f32,
        (None, true) => CPU_FLOPS_PER_THREAD_F64,
        (None, false) => CPU_FLOPS_PER_THREAD_F32,
    };
    per_thread * crate::threads::count() as f64
}

/// The device a call is priced for: its rates, and the device itself once it is open
/// (level 3's estimates size their diagonal blocks by its kernel's tile).
pub struct Device<'a> {
    pub model: DeviceModel,
    pub gpu: Option<&'a Gpu>,
}

impl<'a> Device<'a> {
    /// An open device: measured rates if the calibration measured this device, else the
    /// table.
    pub fn opened(gpu: &'a Gpu) -> Device<'a> {
        let model = calibration::in_use()
            .and_then(|c| c.device_model(&gpu.info.name))
            .unwrap_or_else(|| tuning::model(&gpu.info));
        Device {
            model,
            gpu: Some(gpu),
        }
    }

    /// The device before any call opened it, with the seconds that opening it costs a
    /// process: the one `lapack-ai calibrate` measured (taken for the one a call would
    /// open, as the calibration's CPU rates take this machine for the one measured), else
    /// the fastest device of the built-in table ([`tuning::unopened_model`]) and
    /// [`calibration::DEFAULT_OPEN_S`].
    pub fn unopened() -> (Device<'static>, f64) {
        let calibrated = calibration::in_use().and_then(|c| {
            let d = c.device.as_ref()?;
            Some((c.device_model(&d.name)?, d.open_s))
        });
        let (model, open_s) =
            calibrated.unwrap_or_else(|| (tuning::unopened_model(), calibration::DEFAULT_OPEN_S));
        (Device { model, gpu: None }, open_s)
    }
}

pub fn gemm<T: Scalar>(dev: &Device, (m, n, k): (usize, usize, usize)) -> Estimate {
    let (m, n, k) = (m as f64, n as f64, k as f64);
    let products = m * n * k;
    estimate::<T>(
        dev,
        Work {
            cpu_products: products,
            device_products: products,
            host_products: 0.0,
            elements_moved: m * k + k * n + 2.0 * m * n,
            round_trips: 0.0,
            overrun: 1.0,
        },
    )
}

/// A call's work, in multiply-adds ("products") and elements, for [`estimate`].
pub struct Work {
    /// Multiply-adds of the CPU path.
    pub cpu_products: f64,
    /// Multiply-adds the device path runs on the device (expanded triangles and whole
    /// diagonal blocks included) and on the host (TRSM's diagonal blocks).
    pub device_products: f64,
    pub host_products: f64,
    /// Elements copied between host and device.
    pub elements_moved: f64,
    /// Synchronous host <-> device exchanges beyond the call's first (TRSM's blocks).
    pub round_trips: f64,
    /// How much longer the device path measured than this model says (1 for GEMM, whose
    /// costs `lapack-ai calibrate` fits; see [`SYRK_OVERRUN`], [`TRSM_OVERRUN`]).
    pub overrun: f64,
}

/// The device paths of SYRK/HERK/SYR2K/HER2K (a launch and a pageable read-back per
/// column block) measured 1.2x (n = 8192) to 3.1x (n = 1024) the model's time on an H100
/// (BENCHMARKS.md, "GPU: level 3 beyond GEMM"); 2.5 keeps n = 1024 on the CPU, where the
/// device lost, and offloads from 2048, where it won 2.8x.
pub const SYRK_OVERRUN: f64 = 2.5;

/// TRSM's device path (host-solved diagonal blocks, a round trip each) measured 3.5x
/// (n = 8192) to 4.8x (n = 2048) the model's time on the H100; it won only at 8192.
pub const TRSM_OVERRUN: f64 = 4.0;

/// Flops of one multiply-add in precision `p`: 8 complex (four real products, four sums),
/// 2 real.
fn flops_per_product(p: Precision) -> f64 {
    if p.is_complex() {
        8.0
    } else {
        2.0
    }
}

/// Estimated seconds of `work` on the CPU and on `dev` (kernel rate, copies, a fixed
/// overhead a call and a quarter of it per extra round trip, host work at the CPU rate).
pub fn estimate<T: Scalar>(dev: &Device, work: Work) -> Estimate {
    let p = precision::<T>();
    let flops_per_product = flops_per_product(p);
    let model = &dev.model;
    let dev_flops = model.flops(p);
    let cpu_rate = cpu_flops_per_s(p.is_double());
    let bytes = work.elements_moved * p.size() as f64;
    let gpu_s = if dev_flops > 0.0 {
        work.overrun
            * (flops_per_product * work.device_products / dev_flops
                + flops_per_product * work.host_products / cpu_rate
                + bytes / model.link_bytes_per_s
                + model.overhead_s * (1.0 + 0.25 * work.round_trips))
    } else {
        f64::INFINITY
    };
    Estimate {
        cpu_s: flops_per_product * work.cpu_products / cpu_rate,
        gpu_s,
    }
}
