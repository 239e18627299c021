//! The router: one decision per call, CPU or GPU, with the reason (for the verbose log).
//! `LAPACK_AI_BACKEND=cpu|gpu` wins over the cost model of `auto` (see [`cost`]).
//! When the device declines (any OpenCL error), the call runs on the CPU and the
//! decision says so; the caller's result is the same either way.

pub mod cost;

use crate::blas::args::Trans;
use crate::config::{self, Backend};
use crate::gpu;
use crate::scalar::Scalar;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Cpu,
    Gpu,
}

/// Where a call ran and why.
#[derive(Clone, Debug)]
pub struct Decision {
    pub target: Target,
    pub reason: String,
}

impl Decision {
    fn cpu(reason: impl Into<String>) -> Decision {
        Decision {
            target: Target::Cpu,
            reason: reason.into(),
        }
    }
    /// True when the device computed the result (the caller must not).
    pub fn ran_on_device(&self) -> bool {
        self.target == Target::Gpu
    }
}

/// Where GEMM of this shape should run, before trying.
pub fn decide_gemm<T: Scalar>(
    (m, n, k): (usize, usize, usize),
) -> (Decision, Option<&'static gpu::Gpu>) {
    let shape = format!("{}gemm m={m} n={n} k={k}", T::PREFIX.to_ascii_lowercase());
    match config::get().backend {
        Backend::Cpu => (
            Decision::cpu(format!("{shape}: LAPACK_AI_BACKEND=cpu")),
            None,
        ),
        Backend::Gpu => match gpu::device() {
            Ok(dev) => (
                Decision {
                    target: Target::Gpu,
                    reason: format!("{shape}: LAPACK_AI_BACKEND=gpu ({})", dev.info.name),
                },
                Some(dev),
            ),
            Err(e) => {
                // The user asked for the device: say once why it is not used.
                gpu::warn_once(&e);
                (Decision::cpu(format!("{shape}: no device ({e})")), None)
            }
        },
        Backend::Auto => {
            if (m as f64) * (n as f64) * (k as f64) < cost::MIN_GEMM_VOLUME {
                return (
                    Decision::cpu(format!("{shape}: below the offload threshold")),
                    None,
                );
            }
            let dev = match gpu::device() {
                Ok(d) => d,
                // No OpenCL on this machine: the CPU, silently.
                Err(e) => return (Decision::cpu(format!("{shape}: no device ({e})")), None),
            };
            if !dev.info.is_gpu && !dev.named {
                return (
                    Decision::cpu(format!(
                        "{shape}: {} is a CPU device (name it in LAPACK_AI_DEVICE to use it)",
                        dev.info.name
                    )),
                    None,
                );
            }
            let est = cost::gemm::<T>(dev, (m, n, k));
            let reason = format!(
                "{shape}: est. {:.3} ms GPU vs {:.3} ms CPU",
                est.gpu_s * 1e3,
                est.cpu_s * 1e3
            );
            if est.gpu_s < est.cpu_s {
                (
                    Decision {
                        target: Target::Gpu,
                        reason,
                    },
                    Some(dev),
                )
            } else {
                (Decision::cpu(reason), None)
            }
        }
    }
}

/// Runs GEMM on the device when the router says so. Returns the decision; when it is
/// `Cpu`, the caller computes (C untouched).
///
/// # Safety
/// As for `crate::blas::level3::gemm`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm<T: Scalar>(
    transa: Trans,
    transb: Trans,
    dims: (usize, usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*const T, usize),
    beta: T,
    c: (*mut T, usize),
) -> Decision {
    let (decision, dev) = decide_gemm::<T>(dims);
    let Some(dev) = dev else {
        return decision;
    };
    match gpu::gemm::run(dev, transa, transb, dims, alpha, a, b, beta, c) {
        Ok(()) => {
            gpu::count(true);
            decision
        }
        Err(e) => {
            gpu::count(false);
            gpu::warn_once(&e);
            Decision::cpu(format!("{}; GPU declined: {e}", decision.reason))
        }
    }
}
