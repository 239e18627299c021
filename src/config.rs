//! The `LAPACK_AI_*` environment, read once per process.

use once_cell::sync::Lazy;
use std::path::PathBuf;

/// What to do with an argument error reported through XERBLA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorMode {
    Print,
    Quiet,
    Abort,
}

/// `LAPACK_AI_BACKEND`: who runs calls that have a GPU implementation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The cost model decides (default).
    Auto,
    /// Never the device.
    Cpu,
    /// The device whenever it has an implementation, whatever the size.
    Gpu,
}

/// `LAPACK_AI_CHECK`: the opt-in numerical checks (all off by default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Checks {
    /// `nan`: name NaN/Inf entries of the input matrices of native LAPACK and level-3
    /// BLAS routines.
    pub nan: bool,
    /// `cond`: estimate the reciprocal condition number after factorizations and
    /// solves, and warn when it is below the machine epsilon.
    pub cond: bool,
}

impl Checks {
    /// Parses a comma list of `nan`, `cond` (also `all`, `none`); unknown words are
    /// reported and ignored.
    pub fn parse(value: &str) -> Checks {
        let mut checks = Checks::default();
        for word in value.split(',').map(|w| w.trim().to_ascii_lowercase()) {
            match word.as_str() {
                "nan" => checks.nan = true,
                "cond" => checks.cond = true,
                "all" => {
                    checks = Checks {
                        nan: true,
                        cond: true,
                    }
                }
                "" | "none" | "off" | "0" => {}
                other => warn_bad("LAPACK_AI_CHECK", other, "a comma list of nan, cond"),
            }
        }
        checks
    }
}

#[derive(Debug)]
pub struct Config {
    /// `LAPACK_AI_BACKEND`.
    pub backend: Backend,
    /// `LAPACK_AI_DEVICE`: OpenCL device (substring of platform or device name, or an
    /// index into the list of all devices); None: the first GPU.
    pub device: Option<String>,
    /// `LAPACK_AI_GPU_FAULT` (test only): inject an OpenCL failure (`init`, `build`,
    /// `alloc`, `enqueue`) to prove the CPU fallback.
    pub gpu_fault: Option<String>,
    /// `LAPACK_AI_GPU_MMA=0`: keep DGEMM on the portable kernel even where the tensor-core
    /// kernel builds (on by default).
    pub gpu_mma: bool,
    /// `LAPACK_AI_GPU_1M=1|0`: complex GEMM on the device as one real GEMM (the 1m
    /// method) on every device and in both precisions, or never; unset: ZGEMM where the
    /// real f64 kernel runs on tensor cores.
    pub gpu_1m: Option<bool>,
    /// `LAPACK_AI_FORWARD=off`: non-native names fail loudly instead of being forwarded.
    pub forward: bool,
    /// `LAPACK_AI_SIMD=avx2|baseline`: the widest vector instructions our kernels use
    /// (default: the CPU's widest).
    pub simd_cap: crate::simd::Level,
    /// `LAPACK_AI_FALLBACK`: a BLAS/LAPACK library that serves forwarded names.
    pub fallback: Option<PathBuf>,
    /// `LAPACK_AI_ERRORS`.
    pub errors: ErrorMode,
    /// CPU threads: `LAPACK_AI_NUM_THREADS`, else `OMP_NUM_THREADS`, else the cores.
    pub threads: usize,
    /// `LAPACK_AI_VERBOSE=1`: one line per call on stderr (or in `verbose_path`).
    pub verbose: bool,
    /// `LAPACK_AI_VERBOSE=path` (a value with a `/`): the verbose lines go to that file.
    pub verbose_path: Option<PathBuf>,
    /// `LAPACK_AI_TRACE=path`: one JSON object per call, appended to `path`.
    pub trace: Option<PathBuf>,
    /// `LAPACK_AI_REPORT=1`: a summary table on stderr at process exit.
    pub report: bool,
    /// `LAPACK_AI_METRICS=host:port` (or a port alone, on loopback): the metrics endpoint
    /// and dashboard, served by a background thread started on the first counted call.
    pub metrics: Option<String>,
    /// Where `lapack-ai calibrate` stores the cost model and the router reads it:
    /// `$XDG_CACHE_HOME/lapack-ai/cost-model.json`, else `$HOME/.cache/...`.
    pub cost_model_path: Option<PathBuf>,
    /// `LAPACK_AI_CHECK`.
    pub checks: Checks,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// An on/off variable: unset, `0`, `off`, `no`, `false` are off; `1`, `on`, `yes`, `true` on.
fn flag(name: &str) -> bool {
    match var(name).map(|v| v.to_ascii_lowercase()).as_deref() {
        None | Some("0") | Some("off") | Some("no") | Some("false") => false,
        Some("1") | Some("on") | Some("yes") | Some("true") => true,
        Some(other) => {
            warn_bad(name, other, "1 or 0");
            false
        }
    }
}

fn warn_bad(name: &str, value: &str, expected: &str) {
    eprintln!("liblapack_ai: ignoring {name}={value:?}: expected {expected}");
}

impl Config {
    fn from_env() -> Config {
        let forward = match var("LAPACK_AI_FORWARD").as_deref() {
            None | Some("on") | Some("1") => true,
            Some("off") | Some("0") => false,
            Some(other) => {
                warn_bad("LAPACK_AI_FORWARD", other, "on or off");
                true
            }
        };
        let simd_cap = match var("LAPACK_AI_SIMD").as_deref() {
            None | Some("avx512") => crate::simd::Level::Avx512,
            Some("avx2") => crate::simd::Level::Avx2,
            Some("baseline") => crate::simd::Level::Baseline,
            Some(other) => {
                warn_bad("LAPACK_AI_SIMD", other, "avx512, avx2 or baseline");
                crate::simd::Level::Avx512
            }
        };
        let errors = match var("LAPACK_AI_ERRORS").as_deref() {
            None | Some("print") => ErrorMode::Print,
            Some("quiet") => ErrorMode::Quiet,
            Some("abort") => ErrorMode::Abort,
            Some(other) => {
                warn_bad("LAPACK_AI_ERRORS", other, "print, quiet or abort");
                ErrorMode::Print
            }
        };
        let threads = ["LAPACK_AI_NUM_THREADS", "OMP_NUM_THREADS"]
            .iter()
            .find_map(|name| {
                let value = var(name)?;
                // OMP_NUM_THREADS may be a list ("4,2"): its first entry is the outer level.
                let first = value.split(',').next().unwrap_or("").trim().to_string();
                match first.parse::<usize>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        warn_bad(name, &value, "a positive integer");
                        None
                    }
                }
            })
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let backend = match var("LAPACK_AI_BACKEND").as_deref() {
            None | Some("auto") => Backend::Auto,
            Some("cpu") => Backend::Cpu,
            Some("gpu") => Backend::Gpu,
            Some(other) => {
                warn_bad("LAPACK_AI_BACKEND", other, "auto, cpu or gpu");
                Backend::Auto
            }
        };
        let verbose_path = var("LAPACK_AI_VERBOSE")
            .filter(|v| v.contains('/'))
            .map(PathBuf::from);
        Config {
            backend,
            device: var("LAPACK_AI_DEVICE"),
            gpu_fault: var("LAPACK_AI_GPU_FAULT"),
            gpu_mma: var("LAPACK_AI_GPU_MMA").is_none_or(|v| {
                !matches!(
                    v.to_ascii_lowercase().as_str(),
                    "0" | "off" | "no" | "false"
                )
            }),
            gpu_1m: var("LAPACK_AI_GPU_1M").map(|_| flag("LAPACK_AI_GPU_1M")),
            verbose: verbose_path.is_some() || flag("LAPACK_AI_VERBOSE"),
            verbose_path,
            trace: var("LAPACK_AI_TRACE").map(PathBuf::from),
            report: flag("LAPACK_AI_REPORT"),
            metrics: var("LAPACK_AI_METRICS"),
            cost_model_path: cost_model_path(),
            checks: var("LAPACK_AI_CHECK").map_or_else(Checks::default, |v| Checks::parse(&v)),
            forward,
            simd_cap,
            fallback: var("LAPACK_AI_FALLBACK").map(PathBuf::from),
            errors,
            threads,
        }
    }
}

/// The cost model's file under the user's cache directory (XDG base directory rules).
fn cost_model_path() -> Option<PathBuf> {
    let xdg = var("XDG_CACHE_HOME").map(PathBuf::from);
    let cache = match xdg.filter(|p| p.is_absolute()) {
        Some(dir) => dir,
        None => PathBuf::from(var("HOME")?).join(".cache"),
    };
    Some(cache.join("lapack-ai").join("cost-model.json"))
}

pub fn get() -> &'static Config {
    static CONFIG: Lazy<Config> = Lazy::new(Config::from_env);
    &CONFIG
}

#[cfg(test)]
mod tests {
    use super::Checks;

    #[test]
    fn check_lists_parse() {
        assert_eq!(
            Checks::parse("nan"),
            Checks {
                nan: true,
                cond: false
            }
        );
        assert_eq!(
            Checks::parse("cond, NaN"),
            Checks {
                nan: true,
                cond: true
            }
        );
        assert_eq!(
            Checks::parse("all"),
            Checks {
                nan: true,
                cond: true
            }
        );
        assert_eq!(Checks::parse("bogus"), Checks::default());
    }
}
