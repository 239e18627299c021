//! `lapack-ai report TRACE --html out.html`: one self-contained HTML page (inline SVG,
//! no script) from the records of a trace file: time per routine and backend, GFLOP/s
//! against the size of the call, calls over time, and the summary table.

use super::backend::Backend;
use super::svg::{self, Series};
use super::trace::Record;
use super::{report, units};
use std::collections::BTreeMap;

/// Columns of the calls-over-time chart.
const TIME_BUCKETS: usize = 60;

fn seconds(s: f64) -> String {
    units::time((s * 1e9) as u64)
}

/// Seconds per routine, split by backend, largest first.
fn time_chart(records: &[Record]) -> String {
    let mut per: BTreeMap<&str, [f64; Backend::COUNT]> = BTreeMap::new();
    for r in records {
        per.entry(&r.routine).or_default()[r.backend as usize] += r.ns as f64 * 1e-9;
    }
    let mut rows: Vec<(String, Vec<f64>)> = per
        .into_iter()
        .map(|(name, t)| (name.to_string(), t.to_vec()))
        .collect();
    rows.sort_by(|a, b| b.1.iter().sum::<f64>().total_cmp(&a.1.iter().sum::<f64>()));
    svg::bars(&rows, &[("cpu", svg::CPU), ("gpu", svg::GPU)], seconds)
}

/// Median GFLOP/s per (routine, backend) and size; one line each.
fn rate_chart(records: &[Record]) -> String {
    let mut per: BTreeMap<(&str, Backend), BTreeMap<u64, Vec<f64>>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.ns > 0 && r.flops > 0) {
        if let Some(size) = r.size() {
            let rates = per.entry((&r.routine, r.backend)).or_default();
            rates
                .entry(size)
                .or_default()
                .push(units::gflops(r.flops, r.ns));
        }
    }
    let series: Vec<Series> = per
        .into_iter()
        .enumerate()
        .map(|(i, ((routine, backend), sizes))| Series {
            name: format!("{routine} {}", backend.name()),
            color: svg::color(i),
            points: sizes
                .into_iter()
                .map(|(size, mut rates)| {
                    rates.sort_by(f64::total_cmp);
                    (size as f64, rates[rates.len() / 2])
                })
                .collect(),
        })
        .collect();
    svg::lines(
        &series,
        true,
        "size (largest dimension, log scale)",
        "GFLOP/s (median)",
    )
}

/// Calls per time bucket over the trace's span, stacked by backend.
fn calls_chart(records: &[Record]) -> String {
    let stamped: Vec<&Record> = records.iter().filter(|r| r.ts_us > 0).collect();
    let t0 = stamped.iter().map(|r| r.ts_us).min().unwrap_or(0);
    let t1 = stamped.iter().map(|r| r.ts_us).max().unwrap_or(0);
    let span = (t1 - t0).max(1) as f64;
    let mut columns = vec![vec![0.0; Backend::COUNT]; TIME_BUCKETS];
    for r in &stamped {
        let i = (((r.ts_us - t0) as f64 / span) * TIME_BUCKETS as f64) as usize;
        columns[i.min(TIME_BUCKETS - 1)][r.backend as usize] += 1.0;
    }
    let bucket = span * 1e-6 / TIME_BUCKETS as f64;
    svg::columns(
        &columns,
        &[("cpu", svg::CPU), ("gpu", svg::GPU)],
        "0 s",
        &format!("{} (columns of {})", seconds(span * 1e-6), seconds(bucket)),
    )
}

/// The whole page for the records of `source`.
pub fn page(records: &[Record], source: &str) -> String {
    let rows = report::from_records(records);
    let table = report::table(&rows, "every traced call");
    let total_s: f64 = records.iter().map(|r| r.ns as f64 * 1e-9).sum();
    let gpu_calls = records.iter().filter(|r| r.backend == Backend::Gpu).count();
    let source = svg::escape(source);
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>liblapack_ai report: {source}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; max-width: 780px; }}
h1 {{ font-size: 20px; }} h2 {{ font-size: 15px; margin-top: 28px; }}
.meta {{ color: #667085; }} pre {{ background: #f6f7f9; padding: 10px; overflow-x: auto; }}
svg {{ max-width: 100%; height: auto; border: 1px solid #e3e6eb; border-radius: 6px; }}
</style></head>
<body>
<h1>liblapack_ai report</h1>
<p class="meta">{source}: <span id="calls">{calls}</span> calls ({gpu_calls} on the GPU), {time} in calls, {routines} routines.</p>
<h2>Time per routine and backend</h2>
{time_chart}
<h2>GFLOP/s against size</h2>
{rate_chart}
<h2>Calls over time</h2>
{calls_chart}
<h2>Summary</h2>
<pre>{table}</pre>
</body></html>
"#,
        calls = records.len(),
        time = seconds(total_s),
        routines = rows
            .iter()
            .map(|r| &r.routine)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        time_chart = time_chart(records),
        rate_chart = rate_chart(records),
        calls_chart = calls_chart(records),
        table = svg::escape(&table),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(routine: &str, n: u64, backend: Backend, ts_us: u64) -> Record {
        Record {
            routine: routine.into(),
            shape: format!("m={n} n={n} k={n} NN"),
            backend,
            ns: n * n * n / 10 + 1,
            flops: 2 * n * n * n,
            bytes: 24 * n * n,
            ts_us,
        }
    }

    #[test]
    fn page_has_the_three_charts_with_data() {
        let recs = vec![
            record("DGEMM", 64, Backend::Cpu, 1_000_000),
            record("DGEMM", 512, Backend::Cpu, 1_500_000),
            record("DGEMM", 4096, Backend::Gpu, 3_000_000),
            record("DGETRF", 256, Backend::Cpu, 2_000_000),
        ];
        let html = page(&recs, "t<1>.jsonl");
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(html.contains("t&lt;1&gt;.jsonl: <span id=\"calls\">4</span> calls (1 on the GPU)"));
        // Bars: DGEMM on both backends and DGETRF; lines: three series (DGEMM cpu has two sizes).
        assert_eq!(html.matches("<title>DGEMM cpu:").count(), 1);
        assert_eq!(html.matches("<title>DGEMM gpu:").count(), 1);
        assert_eq!(html.matches("<polyline").count(), 3);
        assert_eq!(html.matches("<title>DGEMM cpu 512:").count(), 1);
        // Columns: 4 calls in 4 different buckets, 2 s span.
        assert_eq!(html.matches("<title>cpu: 1</title>").count(), 3);
        assert_eq!(html.matches("<title>gpu: 1</title>").count(), 1);
        assert!(html.contains("2.00 s (columns of"));
        assert!(html.contains("DGETRF"));
    }
}
