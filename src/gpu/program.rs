//! Compiled programs, cached in memory per device by (precision, kernel, parameters),
//! and on disk as device binaries under `$XDG_CACHE_HOME/lapack_ai/kernels` (else
//! `~/.cache/...`), keyed by a hash of device name, driver version, build options and the
//! full source, so a new driver or a changed kernel never loads a stale binary. The disk
//! cache is best effort: any failure there means a build from source.
//! Sources are `kernels/*.cl` compiled into the library; `LAPACK_AI_KERNEL_DIR` (kernel
//! experiments on a device machine without a Rust toolchain) reads `<dir>/<name>.cl` at
//! run time instead, where that file exists.

use super::runtime::DeviceInfo;
use super::tuning::Precision;
use super::{fault, GpuError, Result};
use opencl3::context::Context;
use opencl3::program::Program;
use parking_lot::Mutex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

const COMMON: &str = include_str!("../../kernels/common.cl");

/// The source of kernel file `name` (without `.cl`).
pub fn source(name: &str) -> Option<&'static str> {
    match name {
        "gemm" => Some(include_str!("../../kernels/gemm.cl")),
        "gemm_mma" => Some(include_str!("../../kernels/gemm_mma.cl")),
        "gemm_1m" => Some(include_str!("../../kernels/gemm_1m.cl")),
        _ => None,
    }
}

/// The source of kernel file `name`: `$LAPACK_AI_KERNEL_DIR/<name>.cl` if that variable
/// is set and the file reads, else the built-in one.
fn load(name: &str) -> Option<Cow<'static, str>> {
    let dir = std::env::var_os("LAPACK_AI_KERNEL_DIR").filter(|d| !d.is_empty());
    if let Some(text) =
        dir.and_then(|d| std::fs::read_to_string(PathBuf::from(d).join(format!("{name}.cl"))).ok())
    {
        return Some(Cow::Owned(text));
    }
    source(name).map(Cow::Borrowed)
}

type Key = (Precision, &'static str, String);

#[derive(Default)]
pub struct ProgramCache {
    // Failed builds are kept too, so that an optional kernel the device rejects (the
    // tensor-core GEMM on an older GPU) costs one build attempt, not one per call.
    programs: Mutex<HashMap<Key, Result<Arc<Program>>>>,
}

impl ProgramCache {
    /// The program of kernel file `kernel` at `precision` with `defines` prepended and
    /// `extra` appended to the build options (vendor options of a tuning entry), built on
    /// first use. The lock is held during a build so that concurrent first
    /// callers build once.
    pub fn get(
        &self,
        device: &DeviceInfo,
        context: &Context,
        precision: Precision,
        kernel: &'static str,
        defines: &str,
        extra: &str,
    ) -> Result<Arc<Program>> {
        fault::check("build")?;
        let mut map = self.programs.lock();
        let key = (precision, kernel, format!("{defines}\n{extra}"));
        if let Some(p) = map.get(&key) {
            return p.clone();
        }
        let body = load(kernel).ok_or_else(|| GpuError(format!("no kernel {kernel}")))?;
        let src = format!("{defines}\n{COMMON}\n{body}");
        let options = format!("-cl-std=CL1.2 -DPRECISION={} {extra}", precision.define());
        let file = disk_path(device, &options, &src);
        let cached = file.as_ref().and_then(|f| {
            let bin = std::fs::read(f).ok()?;
            Program::create_and_build_from_binary(context, &[&bin], &options).ok()
        });
        let program = match cached {
            Some(p) => p,
            None => {
                let built =
                    Program::create_and_build_from_source(context, &src, &options).map_err(|log| {
                        GpuError(format!("build of {kernel}.cl failed: {}", log.trim()))
                    });
                let p = match built {
                    Ok(p) => {
                        log_build(&p, kernel);
                        p
                    }
                    Err(e) => {
                        map.insert(key, Err(e.clone()));
                        return Err(e);
                    }
                };
                if let Some(f) = &file {
                    store(&p, f);
                }
                p
            }
        };
        let program = Arc::new(program);
        map.insert(key, Ok(program.clone()));
        Ok(program)
    }
}

/// Kernel experiments: with `LAPACK_AI_BUILD_LOG` set, the compiler's log of every
/// successful build from source goes to stderr (with NVIDIA's `-cl-nv-verbose` among a
/// tile's options, the registers and spills the device's assembler reports).
fn log_build(program: &Program, kernel: &str) {
    if std::env::var_os("LAPACK_AI_BUILD_LOG").is_none() {
        return;
    }
    for device in program.get_devices().unwrap_or_default() {
        if let Ok(log) = program.get_build_log(device as _) {
            eprintln!("build log of {kernel}.cl:\n{}", log.trim());
        }
    }
}

/// FNV-1a, 64 bits: stable across Rust versions (unlike `DefaultHasher`).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes().iter().chain(&[0u8]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("lapack_ai").join("kernels"))
}

fn disk_path(device: &DeviceInfo, options: &str, src: &str) -> Option<PathBuf> {
    let key = fnv1a(&[
        &device.platform,
        &device.name,
        &device.driver,
        options,
        src,
        env!("CARGO_PKG_VERSION"),
    ]);
    Some(cache_dir()?.join(format!("{key:016x}.bin")))
}

/// Writes the program's (single-device) binary to `file` atomically; errors are ignored.
fn store(program: &Program, file: &PathBuf) {
    let Ok(bins) = program.get_binaries() else {
        return;
    };
    let Some(bin) = bins.into_iter().next().filter(|b| !b.is_empty()) else {
        return;
    };
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, &bin).is_ok() && std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}
