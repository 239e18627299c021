//! The cost model of `LAPACK_AI_BACKEND=auto`: estimated seconds on the CPU (threads x a
//! per-core rate) against the device (kernel rate + host-link copies + a fixed overhead),
//! both from coarse tables. Below [`MIN_GEMM_VOLUME`] nothing is offloaded.

use crate::gpu::gemm::precision;
use crate::gpu::{tuning, Gpu};
use crate::scalar::Scalar;

/// m * n * k below which GEMM always stays on the CPU (256^3).
pub const MIN_GEMM_VOLUME: f64 = 256.0 * 256.0 * 256.0;

/// Sustained CPU GEMM flop/s per thread (AVX2/AVX-512 class core, faer).
const CPU_FLOPS_PER_THREAD_F32: f64 = 60e9;
const CPU_FLOPS_PER_THREAD_F64: f64 = 30e9;

pub struct Estimate {
    pub cpu_s: f64,
    pub gpu_s: f64,
}

pub fn gemm<T: Scalar>(dev: &Gpu, (m, n, k): (usize, usize, usize)) -> Estimate {
    let p = precision::<T>();
    let (m, n, k) = (m as f64, n as f64, k as f64);
    let flops = if p.is_complex() { 8.0 } else { 2.0 } * m * n * k;
    let threads = crate::threads::count() as f64;
    let per_thread = if p.is_double() {
        CPU_FLOPS_PER_THREAD_F64
    } else {
        CPU_FLOPS_PER_THREAD_F32
    };
    let model = tuning::model(&dev.info);
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
        cpu_s: flops / (per_thread * threads),
        gpu_s,
    }
}
