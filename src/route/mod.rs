//! The router: one decision per call, CPU or GPU, with the reason (for the verbose log).
//! `LAPACK_AI_BACKEND=cpu|gpu` (or the thread's override, see [`backend`]) wins over the
//! cost model of `auto` (see [`cost`]).
//! When the device declines (any OpenCL error), the call runs on the CPU and the
//! decision says so; the caller's result is the same either way.
//!
//! Deciding costs no allocation on the common paths (the reason is an enum, rendered only
//! when someone prints it), so small calls pay a few nanoseconds.

pub mod backend;
pub mod calibration;
pub mod cost;
pub mod level3;
pub mod measure;
pub mod opening;

use crate::blas::args::GemmArgs;
use crate::config::{self, Backend};
use crate::gpu::{self, GpuError};
use crate::scalar::Scalar;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Cpu,
    Gpu,
}

/// Why a call went where it went. `Display` gives the text of the verbose log.
#[derive(Clone, Debug)]
pub enum Reason {
    /// `LAPACK_AI_BACKEND=cpu` or `gpu`, or the thread's override.
    Forced(Backend),
    /// m * n * k below [`cost::MIN_GEMM_VOLUME`].
    BelowThreshold,
    /// No usable OpenCL device (no runtime, no platform, no GPU, no match).
    NoDevice(GpuError),
    /// The default device is a CPU (PoCL): used only when `LAPACK_AI_DEVICE` names it.
    CpuDevice(&'static str),
    /// The cost model's estimates, seconds; `opened` false when they price the device as
    /// known before any call opened it ([`cost::Device::unopened`]), and this call did not.
    Estimate {
        gpu_s: f64,
        cpu_s: f64,
        opened: bool,
    },
    /// The device would win, but is not open yet and has not paid for its opening so far
    /// (see [`opening`]): the savings forgone with this call's, and the opening's cost.
    NotOpenedYet {
        gpu_s: f64,
        cpu_s: f64,
        forgone_s: f64,
        open_s: f64,
    },
    /// The device was chosen but failed; the CPU ran the call.
    Declined(Box<Reason>, GpuError),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Forced(b) => write!(f, "LAPACK_AI_BACKEND={}", format!("{b:?}").to_lowercase()),
            Reason::BelowThreshold => f.write_str("below the offload threshold"),
            Reason::NoDevice(e) => write!(f, "no device ({e})"),
            Reason::CpuDevice(name) => write!(
                f,
                "{name} is a CPU device (name it in LAPACK_AI_DEVICE to use it)"
            ),
            Reason::Estimate {
                gpu_s,
                cpu_s,
                opened,
            } => write!(
                f,
                "est. {:.3} ms GPU{} vs {:.3} ms CPU",
                gpu_s * 1e3,
                if *opened { "" } else { " (device not opened)" },
                cpu_s * 1e3
            ),
            Reason::NotOpenedYet {
                gpu_s,
                cpu_s,
                forgone_s,
                open_s,
            } => write!(
                f,
                "est. {:.3} ms GPU vs {:.3} ms CPU, but the device is not open: opening it \
                 costs {:.0} ms, and calls have forgone {:.1} ms so far",
                gpu_s * 1e3,
                cpu_s * 1e3,
                open_s * 1e3,
                forgone_s * 1e3
            ),
            Reason::Declined(why, e) => write!(f, "{why}; GPU declined: {e}"),
        }
    }
}

/// Where a call ran and why.
#[derive(Clone, Debug)]
pub struct Decision {
    pub target: Target,
    pub reason: Reason,
}

impl Decision {
    fn cpu(reason: Reason) -> Decision {
        Decision {
            target: Target::Cpu,
            reason,
        }
    }
    /// True when the device computed the result (the caller must not).
    pub fn ran_on_device(&self) -> bool {
        self.target == Target::Gpu
    }
}

/// Why GEMM of this shape stays on the CPU whatever the device (`cpu`, or `auto` below
/// the offload threshold), or None when the router must decide. Lets the smallest calls
/// skip building a decision.
#[inline(always)]
pub fn cpu_only((m, n, k): (usize, usize, usize)) -> Option<&'static str> {
    // In integers: the same answer as the f64 product against MIN_GEMM_VOLUME (2^24,
    // exact in both; a saturated product is above it, as the rounded one is), without
    // three integer-to-float conversions on every small call.
    const MIN: usize = cost::MIN_GEMM_VOLUME as usize;
    match backend::current() {
        Backend::Cpu => Some(FORCED_CPU),
        Backend::Gpu => None,
        Backend::Auto => (m.saturating_mul(n).saturating_mul(k) < MIN).then_some(BELOW_THRESHOLD),
    }
}

const FORCED_CPU: &str = "LAPACK_AI_BACKEND=cpu";
const BELOW_THRESHOLD: &str = "below the offload threshold";

/// [`cpu_only`] for a call whose work is that of a GEMM of m * n * k = `volume`.
#[inline(always)]
pub fn cpu_only_volume(volume: f64) -> Option<&'static str> {
    match backend::current() {
        Backend::Cpu => Some(FORCED_CPU),
        Backend::Gpu => None,
        Backend::Auto => (volume < cost::MIN_GEMM_VOLUME).then_some(BELOW_THRESHOLD),
    }
}

/// Where GEMM of this shape should run, before trying, and on which device.
pub fn decide_gemm<T: Scalar>(
    (m, n, k): (usize, usize, usize),
) -> (Decision, Option<&'static gpu::Gpu>) {
    let volume = (m as f64) * (n as f64) * (k as f64);
    decide::<T>(volume, |device| cost::gemm::<T>(device, (m, n, k)))
}

/// The device must be estimated this much faster than the CPU to take a call: near the
/// break-even the model's error decides, and the errors are one-sided. With the loop- and
/// envelope-fitted calibration (beta = 1/2) on an H200 host, loops of offloaded calls took
/// 1.09 / 1.31 / 1.21 / 1.24 / 1.10x the model's price at n = 640 / 768 / 896 / 1024 /
/// 2048, while the CPU's estimate was within 3%; at 0.9, n = 768 (estimated 1.71 ms
/// against 2.09 on the CPU) went to the device and auto took 1.13x CPU-only's time
/// (BENCHMARKS.md, "the router at the break-even"). A call kept on the CPU by mistake
/// loses at most this margin's speed-up; one sent to the device by mistake breaks the
/// promise of never being much slower than the CPU alone.
const OFFLOAD_MARGIN: f64 = 0.75;

/// Where a call should run, before trying, and on which device: `volume` is the m * n * k
/// of a GEMM of the same work (for the threshold; the multiply-adds of the CPU path),
/// `estimate` its cost on a device.
pub fn decide<T: Scalar>(
    volume: f64,
    estimate: impl Fn(&cost::Device) -> cost::Estimate,
) -> (Decision, Option<&'static gpu::Gpu>) {
    let backend = backend::current();
    let dev = match backend {
        Backend::Cpu => return (Decision::cpu(Reason::Forced(backend)), None),
        Backend::Gpu => match gpu::device() {
            Ok(dev) => {
                let d = Decision {
                    target: Target::Gpu,
                    reason: Reason::Forced(backend),
                };
                return (d, Some(dev));
            }
            Err(e) => {
                // The user asked for the device: say once why it is not used.
                gpu::warn_once(&e);
                return (Decision::cpu(Reason::NoDevice(e)), None);
            }
        },
        Backend::Auto => {
            if volume < cost::MIN_GEMM_VOLUME {
                return (Decision::cpu(Reason::BelowThreshold), None);
            }
            if !gpu::runtime::tried() {
                if let Some(reason) = stays_closed(&estimate) {
                    return (Decision::cpu(reason), None);
                }
            }
            match gpu::device() {
                Ok(d) => d,
                Err(e) => {
                    // No OpenCL on this machine: the CPU, silently; but a device the user
                    // named and we cannot open deserves the one warning.
                    if config::get().device.is_some() {
                        gpu::warn_once(&e);
                    }
                    return (Decision::cpu(Reason::NoDevice(e)), None);
                }
            }
        }
    };
    if !dev.info.is_gpu && !dev.named {
        return (Decision::cpu(Reason::CpuDevice(&dev.info.name)), None);
    }
    let est = estimate(&cost::Device::opened(dev));
    let reason = Reason::Estimate {
        gpu_s: est.gpu_s,
        cpu_s: est.cpu_s,
        opened: true,
    };
    if est.gpu_s < OFFLOAD_MARGIN * est.cpu_s {
        let d = Decision {
            target: Target::Gpu,
            reason,
        };
        (d, Some(dev))
    } else {
        (Decision::cpu(reason), None)
    }
}

/// Why a call in `auto` should leave the device closed, priced on the device as it is
/// known before opening ([`cost::Device::unopened`]: calibrated, or the fastest of the
/// built-in table): the estimate says the CPU, or the device would win but has not paid
/// for its opening yet ([`opening`]). Opening costs the first call about 0.3 s and leaves
/// the driver's threads beside ours.
fn stays_closed(estimate: &impl Fn(&cost::Device) -> cost::Estimate) -> Option<Reason> {
    let (device, open_s) = cost::Device::unopened();
    let est = estimate(&device);
    let (gpu_s, cpu_s) = (est.gpu_s, est.cpu_s);
    if gpu_s >= OFFLOAD_MARGIN * cpu_s {
        return Some(Reason::Estimate {
            gpu_s,
            cpu_s,
            opened: false,
        });
    }
    match opening::pays(cpu_s - gpu_s, open_s) {
        Ok(()) => None,
        Err(forgone_s) => Some(Reason::NotOpenedYet {
            gpu_s,
            cpu_s,
            forgone_s,
            open_s,
        }),
    }
}

/// Runs `on_device` when the router chose the device; its failure is counted, warned
/// about once and turned into a `Cpu` decision (the caller then computes; the device
/// paths write the caller's outputs only once nothing can fail any more).
pub fn offload(
    (decision, dev): (Decision, Option<&'static gpu::Gpu>),
    on_device: impl FnOnce(&'static gpu::Gpu) -> gpu::Result<()>,
) -> Decision {
    let Some(dev) = dev else {
        return decision;
    };
    match on_device(dev) {
        Ok(()) => {
            gpu::count(true);
            decision
        }
        Err(e) => {
            gpu::count(false);
            gpu::warn_once(&e);
            Decision::cpu(Reason::Declined(Box::new(decision.reason), e))
        }
    }
}

/// Runs GEMM on the device when the router says so. Returns the decision; when it is
/// `Cpu`, the caller computes (C untouched).
///
/// # Safety
/// As for `crate::blas::level3::gemm`.
pub unsafe fn gemm<T: Scalar>(args: &GemmArgs<T>) -> Decision {
    let dims = (args.m, args.n, args.k);
    offload(decide_gemm::<T>(dims), |dev| {
        let (a, b, c) = ((args.a, args.lda), (args.b, args.ldb), (args.c, args.ldc));
        gpu::gemm::run(
            dev,
            args.transa,
            args.transb,
            dims,
            args.alpha,
            a,
            b,
            args.beta,
            c,
        )
    })
}
