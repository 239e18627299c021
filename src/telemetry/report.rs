//! The summary table: at process exit (`LAPACK_AI_REPORT=1`) from the counters, and
//! from a trace file (`lapack-ai report TRACE`).

use super::backend::Backend;
use super::counters::{Row, Totals};
use super::trace::Record;
use super::{units, TIMED_MIN_FLOPS};
use std::collections::BTreeMap;
use std::time::Duration;

/// One line per routine (calls, calls on the GPU, CPU time, GPU time, GFLOP/s over the
/// timed calls, bytes), a total line, and a note on what the times cover.
pub fn table(rows: &[Row], timing_note: &str) -> String {
    let mut per: BTreeMap<&str, [Totals; Backend::COUNT]> = BTreeMap::new();
    for row in rows {
        per.entry(&row.routine).or_default()[row.backend as usize].add(&row.totals);
    }
    let mut lines = vec![[
        "routine".to_string(),
        "calls".into(),
        "gpu calls".into(),
        "cpu time".into(),
        "gpu time".into(),
        "GFLOP/s".into(),
        "bytes".into(),
    ]];
    let mut all = [Totals::default(); Backend::COUNT];
    let line = |name: &str, t: &[Totals; Backend::COUNT]| {
        let (cpu, gpu) = (&t[Backend::Cpu as usize], &t[Backend::Gpu as usize]);
        let rate = units::gflops(cpu.timed_flops + gpu.timed_flops, cpu.ns + gpu.ns);
        [
            name.to_string(),
            (cpu.calls + gpu.calls).to_string(),
            gpu.calls.to_string(),
            units::time(cpu.ns),
            units::time(gpu.ns),
            if cpu.ns + gpu.ns == 0 {
                "-".into()
            } else {
                format!("{rate:.2}")
            },
            units::bytes(cpu.bytes + gpu.bytes),
        ]
    };
    for (name, t) in &per {
        lines.push(line(name, t));
        for (a, b) in all.iter_mut().zip(t) {
            a.add(b);
        }
    }
    lines.push(line("total", &all));
    let widths: Vec<usize> = (0..7)
        .map(|c| lines.iter().map(|l| l[c].len()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        for (c, cell) in l.iter().enumerate() {
            if c == 0 {
                out.push_str(&format!("{cell:<w$}", w = widths[0]));
            } else {
                out.push_str(&format!("  {cell:>w$}", w = widths[c]));
            }
        }
        out.push('\n');
        if i == 0 || i == lines.len() - 2 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * 6));
            out.push('\n');
        }
    }
    let timed: u64 = all.iter().map(|t| t.timed_calls).sum();
    let calls: u64 = all.iter().map(|t| t.calls).sum();
    out.push_str(&format!(
        "time and GFLOP/s cover the timed calls: {timed} of {calls} ({timing_note})\n"
    ));
    out
}

/// The note for tables made from the counters.
pub fn counters_note() -> String {
    format!(
        "calls of >= {TIMED_MIN_FLOPS} flops; every call with LAPACK_AI_VERBOSE or LAPACK_AI_TRACE"
    )
}

/// Prints the exit report on stderr (skipped if the counters stay locked).
pub fn print_at_exit() {
    let Some(rows) = super::counters::snapshot(Some(Duration::from_millis(200))) else {
        eprintln!("liblapack_ai: report skipped (counters busy at exit)");
        return;
    };
    let body = if rows.is_empty() {
        "no BLAS/LAPACK calls were counted\n".to_string()
    } else {
        table(&rows, &counters_note())
    };
    eprint!("liblapack_ai report (LAPACK_AI_REPORT=1):\n{body}");
}

/// The rows of trace records (every traced call is timed).
pub fn from_records(records: &[Record]) -> Vec<Row> {
    let mut sums: BTreeMap<(&str, Backend), Totals> = BTreeMap::new();
    for r in records {
        sums.entry((&r.routine, r.backend))
            .or_default()
            .add(&Totals {
                calls: 1,
                flops: r.flops,
                bytes: r.bytes,
                timed_calls: 1,
                timed_flops: r.flops,
                ns: r.ns,
            });
    }
    sums.into_iter()
        .map(|((routine, backend), totals)| Row {
            routine: routine.to_string(),
            backend,
            totals,
        })
        .collect()
}

/// The rows of a trace file's text, and the number of lines that are not trace objects.
pub fn from_trace(text: &str) -> (Vec<Row>, usize) {
    let (records, bad) = super::trace::read(text);
    (from_records(&records), bad)
}
