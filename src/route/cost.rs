//! The cost model of `LAPACK_AI_BACKEND=auto`: estimated seconds on the CPU (threads x a
//! per-thread rate) against the device (kernel rate + host-link copies + a fixed
//! overhead). The rates come from `lapack-ai calibrate` when it has been run
//! ([`super::calibration`]), else from coarse built-in tables. Below [`MIN_GEMM_VOLUME`]
//! nothing is offloaded.

use super::calibration;
use crate::gpu::gemm::precision;
use crate::gpu::tuning::{self, DeviceModel};
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

/// The device's rates: measured if the calibration measured this device, else the table.
pub fn device_model(dev: &Gpu) -> DeviceModel {
    calibration::in_use()
        .and_then(|c| c.device_model(&dev.info.name))
        .unwrap_or_else(|| tuning::model(&dev.info))
}

pub fn gemm<T: Scalar>(dev: &Gpu, (m, n, k): (usize, usize, usize)) -> Estimate {
    let p = precision::<T>();
    let (m, n, k) = (m as f64, n as f64, k as f64);
    let flops = if p.is_complex() { 8.0 } else { 2.0 } * m * n * k;
    let model = device_model(dev);
    let dev_flops = if p.is_double() {
        model.flops_f64
    } else {
        model.flops_f32
    };
    let bytes = (m * k + k * n + 2.0 * m * n) * p.size() as f64;
    let gpu_s = if dev_flops > 0.0 {
        flops / dev_flops + bytes / model.link_bytes_per_s + model.overhead_s
    } else {
        f64::INFINITY
    };
    Estimate {
        cpu_s: flops / cpu_flops_per_s(p.is_double()),
        gpu_s,
    }
}
