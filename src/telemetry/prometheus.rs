//! `/metrics` of `LAPACK_AI_METRICS`: the counters in Prometheus' text exposition
//! format (version 0.0.4), one family a counter, labelled by routine and backend.

use super::counters::{Row, Totals};
use super::live::Gauges;
use super::TIMED_MIN_FLOPS;
use std::fmt::Write;

/// A label value with `\`, `"` and newlines escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A sample value: integers as integers, others in Rust's shortest round-trip form.
fn value(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "NaN".into()
    }
}

/// How a family's sample is read from a row's totals.
type RowValue = fn(&Totals) -> f64;

/// The exposition text of `rows` (the counters since the last reset) and `gauges`.
pub fn text(rows: &[Row], gauges: &Gauges) -> String {
    let mut out = String::new();
    let per_row: [(&str, &str, RowValue); 6] = [
        (
            "lapack_ai_calls_total",
            "BLAS/LAPACK calls, by routine and the backend that ran them.",
            |t| t.calls as f64,
        ),
        (
            "lapack_ai_flops_total",
            "Floating-point operations of those calls (the routine's nominal count).",
            |t| t.flops as f64,
        ),
        (
            "lapack_ai_bytes_total",
            "Bytes of operands those calls read and wrote.",
            |t| t.bytes as f64,
        ),
        (
            "lapack_ai_seconds_total",
            "Wall time of the timed calls, seconds.",
            |t| t.ns as f64 / 1e9,
        ),
        (
            "lapack_ai_timed_calls_total",
            "Calls that were timed.",
            |t| t.timed_calls as f64,
        ),
        (
            "lapack_ai_timed_flops_total",
            "Floating-point operations of the timed calls.",
            |t| t.timed_flops as f64,
        ),
    ];
    for (name, help, get) in per_row {
        let help = if name.contains("seconds") || name.contains("timed") {
            format!(
                "{help} Timed: calls of at least {TIMED_MIN_FLOPS} flops, or every call \
                 with LAPACK_AI_VERBOSE or LAPACK_AI_TRACE."
            )
        } else {
            help.to_string()
        };
        family(&mut out, name, "counter", &help);
        for row in rows {
            let _ = writeln!(
                out,
                "{name}{{routine=\"{}\",backend=\"{}\"}} {}",
                label(&row.routine),
                row.backend.name(),
                value(get(&row.totals))
            );
        }
    }
    let scalars: [(&str, &str, &str, f64); 6] = [
        (
            "lapack_ai_gpu_memory_bytes",
            "gauge",
            "Device memory held by offloaded calls now, bytes.",
            gauges.gpu_bytes as f64,
        ),
        (
            "lapack_ai_gpu_memory_peak_bytes",
            "gauge",
            "High-water mark of device memory held by offloaded calls, bytes.",
            gauges.gpu_peak_bytes as f64,
        ),
        (
            "lapack_ai_gpu_offloaded_calls_total",
            "counter",
            "Calls completed on the OpenCL device since the process started.",
            gauges.gpu_offloaded as f64,
        ),
        (
            "lapack_ai_gpu_declined_calls_total",
            "counter",
            "Calls the device declined (run on the CPU instead) since the process started.",
            gauges.gpu_declined as f64,
        ),
        (
            "lapack_ai_process_resident_bytes",
            "gauge",
            "Resident memory of the whole process, bytes.",
            gauges.rss_bytes as f64,
        ),
        (
            "lapack_ai_process_resident_peak_bytes",
            "gauge",
            "Peak resident memory of the whole process, bytes.",
            gauges.rss_peak_bytes as f64,
        ),
    ];
    for (name, kind, help, v) in scalars {
        family(&mut out, name, kind, help);
        let _ = writeln!(out, "{name} {}", value(v));
    }
    family(
        &mut out,
        "lapack_ai_info",
        "gauge",
        "Always 1; the labels describe the library.",
    );
    let _ = writeln!(
        out,
        "lapack_ai_info{{version=\"{}\",calibrated=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION"),
        gauges.calibrated
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Backend, Row, Totals};
    use super::*;

    #[test]
    fn every_sample_has_its_family_declared() {
        let rows = [Row {
            routine: "DGEMM".into(),
            backend: Backend::Gpu,
            totals: Totals {
                calls: 3,
                flops: 384,
                bytes: 1152,
                timed_calls: 1,
                timed_flops: 128,
                ns: 2_500_000_000,
            },
        }];
        let text = text(&rows, &Gauges::default());
        assert!(text.contains("lapack_ai_calls_total{routine=\"DGEMM\",backend=\"gpu\"} 3\n"));
        assert!(text.contains("lapack_ai_seconds_total{routine=\"DGEMM\",backend=\"gpu\"} 2.5\n"));
        let mut declared = Vec::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                declared.push(rest.split(' ').next().unwrap().to_string());
            } else if !line.starts_with('#') {
                let name = line.split(['{', ' ']).next().unwrap();
                assert_eq!(declared.last().map(String::as_str), Some(name), "{line}");
            }
        }
        assert_eq!(label("a\"b\\c\n"), "a\\\"b\\\\c\\n");
    }
}
