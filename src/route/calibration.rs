//! The measured cost model: `lapack-ai calibrate` stores it under the user's cache
//! directory (`config::Config::cost_model_path`), the router reads it once, at its first
//! decision, and uses it instead of the built-in tables (CPU rates always; the device's
//! rates when the stored device is the one in use).
//!
//! The file is one flat JSON object, e.g. `{"format":1,"created_unix":1795000000,
//! "threads":2,"cpu_flops_per_thread_f64":2.1e10,"cpu_flops_per_thread_f32":4.0e10,
//! "device":"NVIDIA H100 80GB HBM3","device_flops_f64":1.2e13,...}`; the device keys are
//! absent when no OpenCL device was measured. The complex rates (`device_flops_c32`,
//! `device_flops_c64`) came later: a file without them takes the real rates for them.

use crate::gpu::tuning::DeviceModel;
use crate::telemetry::json::{self, Value};
use once_cell::sync::Lazy;
use std::path::{Path, PathBuf};

const FORMAT: f64 = 1.0;

/// What one OpenCL device measured.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceCalibration {
    /// The device's OpenCL name (the model applies to a device of that name only).
    pub name: String,
    /// Our GEMM kernel's rate, operands already on the device, flop/s.
    pub flops_f64: f64,
    pub flops_f32: f64,
    /// The same for complex GEMM (8 real flops a complex multiply-add).
    pub flops_c64: f64,
    pub flops_c32: f64,
    /// What an offloaded call pays per byte of its operands (staged copies, packing),
    /// bytes/s, fitted to end-to-end calls.
    pub link_bytes_per_s: f64,
    /// One empty kernel launch and wait, seconds.
    pub launch_s: f64,
    /// The fixed cost of an offloaded call (buffers, launches, waits), seconds, fitted to
    /// end-to-end calls.
    pub overhead_s: f64,
    /// What a process's first offloaded call pays once, seconds: the OpenCL context, the
    /// kernels from the disk cache, their check, the staging buffers.
    pub open_s: f64,
}

/// [`DeviceCalibration::open_s`] for a file from before it was measured: first calls in
/// fresh processes on an H200 host took 0.29-0.46 s, of which the call's own work 2-70 ms
/// (BENCHMARKS.md, "GPU: the device opened when it pays").
pub const DEFAULT_OPEN_S: f64 = 0.3;

#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub created_unix: u64,
    /// CPU threads of the measurement.
    pub threads: usize,
    /// CPU GEMM rate per thread, flop/s.
    pub cpu_flops_per_thread_f64: f64,
    pub cpu_flops_per_thread_f32: f64,
    pub device: Option<DeviceCalibration>,
}

impl Calibration {
    pub fn to_json(&self) -> String {
        let mut s = format!(
            "{{\"format\":{FORMAT},\"created_unix\":{},\"threads\":{},\
             \"cpu_flops_per_thread_f64\":{},\"cpu_flops_per_thread_f32\":{}",
            self.created_unix,
            self.threads,
            json::number(self.cpu_flops_per_thread_f64),
            json::number(self.cpu_flops_per_thread_f32)
        );
        if let Some(d) = &self.device {
            s.push_str(",\"device\":");
            json::string(&mut s, &d.name);
            s.push_str(&format!(
                ",\"device_flops_f64\":{},\"device_flops_f32\":{},\
                 \"device_link_bytes_per_s\":{},\"device_launch_s\":{},\"device_overhead_s\":{}",
                json::number(d.flops_f64),
                json::number(d.flops_f32),
                json::number(d.link_bytes_per_s),
                json::number(d.launch_s),
                json::number(d.overhead_s)
            ));
            s.push_str(&format!(
                ",\"device_flops_c64\":{},\"device_flops_c32\":{},\"device_open_s\":{}",
                json::number(d.flops_c64),
                json::number(d.flops_c32),
                json::number(d.open_s)
            ));
        }
        s.push_str("}\n");
        s
    }

    pub fn parse(text: &str) -> Result<Calibration, String> {
        let fields = json::parse_object(text.trim()).ok_or("not a flat JSON object")?;
        let get = |k: &str| fields.iter().find(|f| f.0 == k).map(|f| &f.1);
        let num = |k: &str| -> Result<f64, String> {
            get(k)
                .and_then(Value::as_f64)
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or(format!("no valid \"{k}\""))
        };
        let rate = |k: &str| {
            num(k).and_then(|x| {
                if x > 0.0 {
                    Ok(x)
                } else {
                    Err(format!("\"{k}\" is 0"))
                }
            })
        };
        if num("format")? != FORMAT {
            return Err(format!(
                "format {} (this library reads {FORMAT})",
                num("format")?
            ));
        }
        let device = match get("device").and_then(Value::as_str) {
            None => None,
            Some(name) => Some(DeviceCalibration {
                name: name.to_string(),
                flops_f64: num("device_flops_f64")?,
                flops_f32: rate("device_flops_f32")?,
                flops_c64: match get("device_flops_c64") {
                    Some(_) => num("device_flops_c64")?,
                    None => num("device_flops_f64")?,
                },
                flops_c32: match get("device_flops_c32") {
                    Some(_) => rate("device_flops_c32")?,
                    None => rate("device_flops_f32")?,
                },
                link_bytes_per_s: rate("device_link_bytes_per_s")?,
                launch_s: num("device_launch_s")?,
                overhead_s: num("device_overhead_s")?,
                open_s: match get("device_open_s") {
                    Some(_) => num("device_open_s")?,
                    None => DEFAULT_OPEN_S,
                },
            }),
        };
        Ok(Calibration {
            created_unix: num("created_unix")? as u64,
            threads: num("threads")? as usize,
            cpu_flops_per_thread_f64: rate("cpu_flops_per_thread_f64")?,
            cpu_flops_per_thread_f32: rate("cpu_flops_per_thread_f32")?,
            device,
        })
    }

    pub fn load(path: &Path) -> Result<Calibration, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        Calibration::parse(&text)
    }

    /// Writes the file (a temporary file renamed over it, so readers never see half).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, self.to_json())?;
        std::fs::rename(&tmp, path)
    }

    /// The measured device model, if this calibration measured the device `name`.
    pub fn device_model(&self, name: &str) -> Option<DeviceModel> {
        let d = self.device.as_ref().filter(|d| d.name == name)?;
        Some(DeviceModel {
            flops_f32: d.flops_f32,
            flops_f64: d.flops_f64,
            flops_c32: d.flops_c32,
            flops_c64: d.flops_c64,
            link_bytes_per_s: d.link_bytes_per_s,
            overhead_s: d.overhead_s,
        })
    }
}

/// Where the calibration is read from, and what was found there.
pub enum State {
    /// No cache directory (neither XDG_CACHE_HOME nor HOME).
    NoPath,
    Absent(PathBuf),
    Invalid(PathBuf, String),
    Loaded(PathBuf, Calibration),
}

pub fn read_state() -> State {
    let Some(path) = crate::config::get().cost_model_path.clone() else {
        return State::NoPath;
    };
    if !path.exists() {
        return State::Absent(path);
    }
    match Calibration::load(&path) {
        Ok(c) => State::Loaded(path, c),
        Err(e) => State::Invalid(path, e),
    }
}

/// The calibration the router uses (read once per process), None for the built-in model.
/// An unreadable file is reported once and ignored.
pub fn in_use() -> Option<&'static Calibration> {
    static IN_USE: Lazy<Option<Calibration>> = Lazy::new(|| match read_state() {
        State::Loaded(_, c) => Some(c),
        State::Invalid(path, e) => {
            eprintln!(
                "liblapack_ai: ignoring the cost model {}: {e} (run `lapack-ai calibrate` again)",
                path.display()
            );
            None
        }
        State::NoPath | State::Absent(_) => None,
    });
    IN_USE.as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_and_without_a_device() {
        let mut c = Calibration {
            created_unix: 1_795_000_000,
            threads: 2,
            cpu_flops_per_thread_f64: 2.5e10,
            cpu_flops_per_thread_f32: 5e10,
            device: None,
        };
        assert_eq!(Calibration::parse(&c.to_json()).unwrap(), c);
        c.device = Some(DeviceCalibration {
            name: "dev \"x\"".into(),
            flops_f64: 1e12,
            flops_f32: 2e12,
            flops_c64: 3e12,
            flops_c32: 4e12,
            link_bytes_per_s: 8e9,
            launch_s: 1e-5,
            overhead_s: 1e-4,
            open_s: 0.25,
        });
        let back = Calibration::parse(&c.to_json()).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.device_model("dev \"x\"").unwrap().flops_f64, 1e12);
        assert!(back.device_model("other").is_none());
        assert_eq!(back.device_model("dev \"x\"").unwrap().flops_c64, 3e12);
        // A file from before the complex rates and the opening cost: the complex rates
        // take the real ones, the opening cost the default.
        let old = c.to_json().replace(
            ",\"device_flops_c64\":3000000000000,\"device_flops_c32\":4000000000000,\"device_open_s\":0.25",
            "",
        );
        assert_ne!(old, c.to_json());
        let d = Calibration::parse(&old).unwrap().device.unwrap();
        assert_eq!((d.flops_c64, d.flops_c32), (1e12, 2e12));
        assert_eq!(d.open_s, DEFAULT_OPEN_S);
        assert!(Calibration::parse("{\"format\":2}").is_err());
        let zero_rate = c.to_json().replace(
            "\"cpu_flops_per_thread_f32\":50000000000",
            "\"cpu_flops_per_thread_f32\":0",
        );
        assert_ne!(zero_rate, c.to_json());
        assert!(Calibration::parse(&zero_rate).is_err());
    }
}
