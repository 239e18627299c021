//! What the metrics endpoint adds to the counters: gauges read at the moment of the
//! request (memory, device use, the cost model's CPU rate), and `/stats.json`, the
//! object the dashboard polls.

use super::counters::Row;
use super::{json, TIMED_MIN_FLOPS};
use once_cell::sync::Lazy;
use std::time::Instant;

/// Values sampled when a request is served.
#[derive(Clone, Debug, Default)]
pub struct Gauges {
    pub gpu_bytes: u64,
    pub gpu_peak_bytes: u64,
    pub gpu_offloaded: u64,
    pub gpu_declined: u64,
    pub rss_bytes: u64,
    pub rss_peak_bytes: u64,
    /// The OpenCL device's name, once a call has opened it.
    pub gpu_device: Option<String>,
    /// True when the router uses a stored calibration (`lapack-ai calibrate`).
    pub calibrated: bool,
    /// The router's CPU DGEMM rate, flop/s (all threads): the dashboard's estimate of
    /// what a GPU call would have cost on the CPU when no CPU call of it was timed.
    pub cpu_flops_per_s: f64,
    pub uptime_s: f64,
}

static STARTED: Lazy<Instant> = Lazy::new(Instant::now);

/// Marks the start of the uptime the endpoint reports.
pub fn mark_start() {
    Lazy::force(&STARTED);
}

pub fn gauges() -> Gauges {
    let (gpu_bytes, gpu_peak_bytes) = crate::gpu::memory::usage();
    let (gpu_offloaded, gpu_declined) = crate::gpu::counts();
    let (rss_bytes, rss_peak_bytes) = super::process::memory();
    Gauges {
        gpu_bytes,
        gpu_peak_bytes,
        gpu_offloaded,
        gpu_declined,
        rss_bytes,
        rss_peak_bytes,
        gpu_device: crate::gpu::runtime::opened().map(|g| g.info.name.clone()),
        calibrated: crate::route::calibration::in_use().is_some(),
        cpu_flops_per_s: crate::route::cost::cpu_flops_per_s(true),
        uptime_s: STARTED.elapsed().as_secs_f64(),
    }
}

/// `/stats.json`: the object of `lapack_ai_stats_json` plus the gauges and the pid.
pub fn stats_json(rows: &[Row], g: &Gauges) -> String {
    let mut extra = format!(
        "\"pid\":{},\"uptime_s\":{},\"rss_bytes\":{},\"rss_peak_bytes\":{},\
         \"gpu_memory_bytes\":{},\"gpu_memory_peak_bytes\":{},\"gpu_offloaded\":{},\
         \"gpu_declined\":{},\"calibrated\":{},\"cpu_flops_per_s\":{},\"gpu_device\":",
        std::process::id(),
        json::number(g.uptime_s),
        g.rss_bytes,
        g.rss_peak_bytes,
        g.gpu_bytes,
        g.gpu_peak_bytes,
        g.gpu_offloaded,
        g.gpu_declined,
        g.calibrated,
        json::number(g.cpu_flops_per_s),
    );
    match &g.gpu_device {
        Some(name) => json::string(&mut extra, name),
        None => extra.push_str("null"),
    }
    json::stats_with(rows, TIMED_MIN_FLOPS, &extra)
}
