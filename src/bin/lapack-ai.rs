//! `lapack-ai`: the command-line companion of liblapack_ai.
//!
//! lapack-ai coverage [--list]   native / forwarded counts per family (and per name)
//! lapack-ai info                version, coverage and where forwarded names come from
//! lapack-ai report TRACE        summary table of a LAPACK_AI_TRACE file

use lapack_ai::{coverage, forward, telemetry};

fn usage() -> ! {
    eprintln!("usage: lapack-ai coverage [--list] | lapack-ai info | lapack-ai report TRACE");
    std::process::exit(2);
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
        ["info"] => {
            println!("liblapack_ai {}", env!("CARGO_PKG_VERSION"));
            println!("\nforwarded names are served by, in order:");
            println!("  1. the definition the process would use without liblapack_ai (RTLD_NEXT)");
            for (i, path) in forward::candidate_paths().iter().enumerate() {
                let state = if path.exists() { "present" } else { "absent" };
                println!("  {}. {} ({state})", i + 2, path.display());
            }
            println!("\ncoverage:\n{}", coverage::report(false));
        }
        ["report", path] => {
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
                eprintln!("lapack-ai report: {path}: {e}");
                std::process::exit(1);
            });
            let (rows, bad) = telemetry::report::from_trace(&text);
            if rows.is_empty() {
                println!("{path}: no traced calls");
            } else {
                print!("{}", telemetry::report::table(&rows, "every traced call"));
            }
            if bad > 0 {
                eprintln!("lapack-ai report: {bad} lines of {path} are not trace records");
            }
        }
        _ => usage(),
    }
}
