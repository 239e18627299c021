//! Compiled programs, cached in memory per device by (precision, kernel, parameters).
//! Sources are `kernels/*.cl` compiled into the library; one build serves every later call.

use super::tuning::Precision;
use super::{fault, GpuError, Result};
use opencl3::context::Context;
use opencl3::program::Program;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

const COMMON: &str = include_str!("../../kernels/common.cl");

/// The source of kernel file `name` (without `.cl`).
pub fn source(name: &str) -> Option<&'static str> {
    match name {
        "gemm" => Some(include_str!("../../kernels/gemm.cl")),
        _ => None,
    }
}

type Key = (Precision, &'static str, String);

#[derive(Default)]
pub struct ProgramCache {
    programs: Mutex<HashMap<Key, Arc<Program>>>,
}

impl ProgramCache {
    /// The program of kernel file `kernel` at `precision` with `defines` prepended,
    /// built on first use. The lock is held during a build so that concurrent first
    /// callers build once.
    pub fn get(
        &self,
        context: &Context,
        precision: Precision,
        kernel: &'static str,
        defines: &str,
    ) -> Result<Arc<Program>> {
        fault::check("build")?;
        let mut map = self.programs.lock();
        let key = (precision, kernel, defines.to_string());
        if let Some(p) = map.get(&key) {
            return Ok(p.clone());
        }
        let body = source(kernel).ok_or_else(|| GpuError(format!("no kernel {kernel}")))?;
        let src = format!("{defines}\n{COMMON}\n{body}");
        let options = format!("-cl-std=CL1.2 -DPRECISION={}", precision.define());
        let program = Program::create_and_build_from_source(context, &src, &options)
            .map_err(|log| GpuError(format!("build of {kernel}.cl failed: {}", log.trim())))?;
        let program = Arc::new(program);
        map.insert(key, program.clone());
        Ok(program)
    }
}
