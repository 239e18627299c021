//! `lapack-ai`: the command-line companion of liblapack_ai.
//!
//! lapack-ai coverage [--list]   native / forwarded counts per family (and per name)
//! lapack-ai info                version, coverage and where forwarded names come from

use lapack_ai::{coverage, forward};

fn usage() -> ! {
    eprintln!("usage: lapack-ai coverage [--list] | lapack-ai info");
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
        _ => usage(),
    }
}
