//! `lapack-ai`: the command-line companion of liblapack_ai.
//!
//! lapack-ai coverage [--list]            native / forwarded counts per family (and per name)
//! lapack-ai info                         version, cost model, OpenCL devices, coverage, providers
//! lapack-ai report TRACE [--html OUT]    summary table of a LAPACK_AI_TRACE file (and an HTML report)
//! lapack-ai calibrate                    measure this machine, store the router's cost model
//! lapack-ai first-call [--baseline]      (started by calibrate) one offloaded call, or none

use lapack_ai::route::calibration::{self, Calibration, State};
use lapack_ai::route::measure;
use lapack_ai::{config, coverage, forward, gpu, telemetry};
use std::time::{SystemTime, UNIX_EPOCH};

fn usage() -> ! {
    eprintln!(
        "usage: lapack-ai coverage [--list] | lapack-ai info | lapack-ai report TRACE [--html OUT.html] \
         | lapack-ai calibrate"
    );
    std::process::exit(2);
}

fn gflops(x: f64) -> String {
    format!("{:.1} GFLOP/s", x / 1e9)
}

fn describe(c: &Calibration) -> String {
    let mut s = format!(
        "CPU GEMM {} (f64) / {} (f32) per thread, measured with {} threads",
        gflops(c.cpu_flops_per_thread_f64),
        gflops(c.cpu_flops_per_thread_f32),
        c.threads
    );
    if let Some(d) = &c.device {
        s.push_str(&format!(
            "\n    device {}: kernel {} (f64) / {} (f32) / {} (c64) / {} (c32), operands \
             {:.2} GB/s, launch {:.1} us, fixed cost of a call {:.1} us, opening {:.0} ms",
            d.name,
            gflops(d.flops_f64),
            gflops(d.flops_f32),
            gflops(d.flops_c64),
            gflops(d.flops_c32),
            d.link_bytes_per_s / 1e9,
            d.launch_s * 1e6,
            d.overhead_s * 1e6,
            d.open_s * 1e3
        ));
    }
    s
}

fn info() {
    println!("liblapack_ai {}", env!("CARGO_PKG_VERSION"));
    match calibration::read_state() {
        State::Loaded(path, c) => {
            println!("\ncost model: calibrated, from {}", path.display());
            println!("    {}", describe(&c));
        }
        State::Absent(path) => println!(
            "\ncost model: built-in estimates (no {}; `lapack-ai calibrate` measures this machine)",
            path.display()
        ),
        State::Invalid(path, e) => println!(
            "\ncost model: built-in estimates ({} is ignored: {e})",
            path.display()
        ),
        State::NoPath => println!("\ncost model: built-in estimates (no HOME or XDG_CACHE_HOME)"),
    }
    println!("\nOpenCL devices:");
    match gpu::runtime::list() {
        Ok(devices) => {
            for (d, _) in devices {
                let kind = if d.is_gpu {
                    "GPU"
                } else {
                    "CPU device, used only when named"
                };
                println!("  {}. {} ({}; {})", d.index, d.name, d.platform, kind);
            }
        }
        Err(e) => println!("  none ({e})"),
    }
    println!("\nforwarded names are served by, in order:");
    println!("  1. the definition the process would use without liblapack_ai (RTLD_NEXT)");
    for (i, path) in forward::candidate_paths().iter().enumerate() {
        let state = if path.exists() { "present" } else { "absent" };
        println!("  {}. {} ({state})", i + 2, path.display());
    }
    println!("\ncoverage:\n{}", coverage::report(false));
}

fn calibrate() {
    let Some(path) = config::get().cost_model_path.clone() else {
        eprintln!("lapack-ai calibrate: no cache directory (set HOME or XDG_CACHE_HOME)");
        std::process::exit(1);
    };
    let threads = lapack_ai::threads::count();
    println!("measuring the CPU ({threads} threads)...");
    let f64_rate = measure::cpu_gemm::<f64>(1024);
    let f32_rate = measure::cpu_gemm::<f32>(1024);
    // Before this process opens the device (a child's first call took 2.6 s beside an
    // open context of ours on an H200 host, 0.28-0.30 s alone).
    let open_s = opening_in_a_fresh_process();
    let device = match gpu::device() {
        Ok(dev) => {
            println!("measuring OpenCL device {}...", dev.info.name);
            match measure::device(dev, open_s) {
                Ok(d) => Some(d),
                Err(e) => {
                    eprintln!(
                        "lapack-ai calibrate: device {} not measured: {e}",
                        dev.info.name
                    );
                    None
                }
            }
        }
        Err(e) => {
            println!("no OpenCL device measured ({e})");
            None
        }
    };
    let c = Calibration {
        created_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        threads,
        cpu_flops_per_thread_f64: f64_rate / threads as f64,
        cpu_flops_per_thread_f32: f32_rate / threads as f64,
        device,
    };
    if let Err(e) = c.save(&path) {
        eprintln!("lapack-ai calibrate: cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
    println!("{}", describe(&c));
    println!("stored in {} (read by the router at start)", path.display());
}

/// What opening the device costs a process: the wall time of a child process of this
/// program that makes one offloaded call ([`measure::first_call`], `lapack-ai
/// first-call`), start to exit, less that of one that makes none (`lapack-ai first-call
/// --baseline`); the faster of two of each, the first of which fills the kernel cache if
/// it is empty. Children started before this process opens the device: timed inside the
/// calibrating process (a second context beside its own) the opening read 0.85 s, as a
/// child beside its open context 2.6 s, where fresh processes took 0.29 s to the end of
/// the call on an H200 host. The default when no child gets a device.
fn opening_in_a_fresh_process() -> f64 {
    let fastest = |args: &[&str]| {
        let exe = std::env::current_exe().ok()?;
        let times = (0..2).filter_map(|_| {
            let t = std::time::Instant::now();
            let out = std::process::Command::new(&exe).args(args).output().ok()?;
            out.status.success().then(|| t.elapsed().as_secs_f64())
        });
        Some(times.fold(f64::INFINITY, f64::min)).filter(|s| s.is_finite())
    };
    match (
        fastest(&["first-call"]),
        fastest(&["first-call", "--baseline"]),
    ) {
        (Some(with), Some(without)) => (with - without).max(0.0),
        _ => calibration::DEFAULT_OPEN_S,
    }
}

/// `lapack-ai first-call` (started by `calibrate`): one offloaded call, exit status 0 if
/// it ran on the device; with `--baseline`, nothing (the process alone).
fn first_call(baseline: bool) {
    if baseline {
        return;
    }
    if let Err(e) = measure::first_call() {
        eprintln!("lapack-ai first-call: {e}");
        std::process::exit(1);
    }
}

fn report(path: &str, html: Option<&str>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("lapack-ai report: {path}: {e}");
        std::process::exit(1);
    });
    let (records, bad) = telemetry::trace::read(&text);
    if records.is_empty() {
        println!("{path}: no traced calls");
    } else {
        let rows = telemetry::report::from_records(&records);
        print!("{}", telemetry::report::table(&rows, "every traced call"));
    }
    if bad > 0 {
        eprintln!("lapack-ai report: {bad} lines of {path} are not trace records");
    }
    if let Some(out) = html {
        let page = telemetry::html_report::page(&records, path);
        if let Err(e) = std::fs::write(out, page) {
            eprintln!("lapack-ai report: cannot write {out}: {e}");
            std::process::exit(1);
        }
        println!("wrote {out}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["coverage"] => print!("{}", coverage::report(false)),
        ["coverage", "--list"] => print!("{}", coverage::report(true)),
        ["info"] => info(),
        ["calibrate"] => calibrate(),
        ["first-call"] => first_call(false),
        ["first-call", "--baseline"] => first_call(true),
        ["report", path] => report(path, None),
        ["report", path, "--html", out] | ["report", "--html", out, path] => {
            report(path, Some(out))
        }
        _ => usage(),
    }
}
