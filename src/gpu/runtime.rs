//! OpenCL platform and device discovery, and the process's one open device: a context,
//! an in-order queue behind a lock (concurrent BLAS callers take turns) and its program
//! cache.

use super::program::ProgramCache;
use super::staging::Staging;
use super::{fault, GpuError, Result};
use once_cell::sync::OnceCell;
use opencl3::command_queue::CommandQueue;
use opencl3::context::Context;
use opencl3::device::{Device, CL_DEVICE_TYPE_ALL, CL_DEVICE_TYPE_CPU};
use opencl3::platform::get_platforms;
use opencl3::types::cl_device_id;
use parking_lot::{Mutex, MutexGuard};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// What we know about one OpenCL device.
#[derive(Clone, Debug)]
pub struct DeviceInfo {
    /// Position in the list of all devices of all platforms (`LAPACK_AI_DEVICE=<index>`).
    pub index: usize,
    pub platform: String,
    /// The platform's vendor ("The pocl project", "NVIDIA Corporation").
    pub platform_vendor: String,
    pub name: String,
    pub vendor: String,
    pub driver: String,
    pub is_gpu: bool,
    pub compute_units: u32,
    pub clock_mhz: u32,
    pub global_mem_size: u64,
    pub local_mem_size: u64,
    pub max_work_group_size: usize,
    pub fp64: bool,
}

fn describe(index: usize, platform: (&str, &str), id: cl_device_id) -> Result<DeviceInfo> {
    let d = Device::new(id);
    let ty = d.dev_type()?;
    Ok(DeviceInfo {
        index,
        platform: platform.0.to_string(),
        platform_vendor: platform.1.to_string(),
        name: d.name()?.trim().to_string(),
        vendor: d.vendor()?.trim().to_string(),
        driver: d.driver_version()?.trim().to_string(),
        // Anything that is not a CPU (GPU, accelerator) counts as a GPU for routing.
        is_gpu: ty & CL_DEVICE_TYPE_CPU == 0,
        compute_units: d.max_compute_units()?,
        clock_mhz: d.max_clock_frequency()?,
        global_mem_size: d.global_mem_size()?,
        local_mem_size: d.local_mem_size()?,
        max_work_group_size: d.max_work_group_size()?,
        fp64: d.double_fp_config().map(|c| c != 0).unwrap_or(false),
    })
}

/// Every device of every platform, in platform order. Errors when libOpenCL is missing
/// or has no platform.
pub fn list() -> Result<Vec<(DeviceInfo, cl_device_id)>> {
    let platforms = get_platforms().map_err(|e| {
        GpuError(if e.0 == -2000 {
            "no OpenCL runtime (libOpenCL.so.1 not found)".into()
        } else {
            format!("no OpenCL platform ({e})")
        })
    })?;
    let mut out = Vec::new();
    for p in platforms {
        let pname = p.name().unwrap_or_default().trim().to_string();
        let pvendor = p.vendor().unwrap_or_default().trim().to_string();
        let Ok(ids) = p.get_devices(CL_DEVICE_TYPE_ALL) else {
            continue;
        };
        for id in ids {
            if let Ok(info) = describe(out.len(), (&pname, &pvendor), id) {
                out.push((info, id));
            }
        }
    }
    if out.is_empty() {
        return Err(GpuError("no OpenCL device".into()));
    }
    Ok(out)
}

/// The device `selector` names (`LAPACK_AI_DEVICE` syntax: an index, or a case-insensitive
/// substring of the platform name, platform vendor, device name or device vendor, so
/// `pocl` finds "The pocl project"); None: the first GPU.
pub fn select(selector: Option<&str>) -> Result<(DeviceInfo, cl_device_id)> {
    let all = list()?;
    let found = match selector {
        None => all.into_iter().find(|(d, _)| d.is_gpu),
        Some(s) => match s.parse::<usize>() {
            Ok(i) => all.into_iter().nth(i),
            Err(_) => {
                let s = s.to_ascii_lowercase();
                all.into_iter().find(|(d, _)| {
                    [&d.name, &d.vendor, &d.platform, &d.platform_vendor]
                        .iter()
                        .any(|f| f.to_ascii_lowercase().contains(&s))
                })
            }
        },
    };
    found.ok_or_else(|| {
        GpuError(match selector {
            None => "no OpenCL GPU (set LAPACK_AI_DEVICE to use another device)".into(),
            Some(s) => format!("no OpenCL device matches LAPACK_AI_DEVICE={s:?}"),
        })
    })
}

/// One open device.
pub struct Gpu {
    pub info: DeviceInfo,
    /// True when the user named this device (then even a CPU device may be used).
    pub named: bool,
    pub id: cl_device_id,
    pub(crate) context: Context,
    queue: Mutex<CommandQueue>,
    pub(crate) programs: ProgramCache,
    /// Outcome of each optional kernel's one-time self-check, by its build defines.
    verified: Mutex<HashMap<String, bool>>,
    /// Pinned staging buffers, made on first use; None when the device refused them.
    staging: OnceCell<Option<Staging>>,
}

// SAFETY: cl_device_id is an opaque handle valid for the process; OpenCL objects are
// thread-safe except kernels (created per call) and the queue (behind a lock).
unsafe impl Send for Gpu {}
unsafe impl Sync for Gpu {}

impl Gpu {
    /// Opens the device `selector` names (see [`select`]).
    pub fn open(selector: Option<&str>) -> Result<Gpu> {
        fault::check("init")?;
        let (info, id) = select(selector)?;
        let context = Context::from_device(&Device::new(id))?;
        // In-order queue; clCreateCommandQueue works on every OpenCL version.
        #[allow(deprecated)]
        let queue = unsafe { CommandQueue::create(&context, id, 0)? };
        Ok(Gpu {
            info,
            named: selector.is_some(),
            id,
            context,
            queue: Mutex::new(queue),
            programs: ProgramCache::default(),
            verified: Mutex::new(HashMap::new()),
            staging: OnceCell::new(),
        })
    }

    /// The device's queue, held for the whole of one offloaded call.
    pub fn queue(&self) -> MutexGuard<'_, CommandQueue> {
        self.queue.lock()
    }

    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The staging buffers (see [`Staging`]); `queue` is this device's queue, held.
    pub fn staging(&self, queue: &CommandQueue) -> Option<&Staging> {
        self.staging
            .get_or_init(|| Staging::new(self, queue).ok())
            .as_ref()
    }

    /// Whether the kernel built with `defines` passed `check`, which runs the first time
    /// only (the queue lock is taken inside `check`, never around it).
    pub fn verified(&self, defines: &str, check: impl FnOnce() -> bool) -> bool {
        if let Some(&ok) = self.verified.lock().get(defines) {
            return ok;
        }
        let ok = check();
        self.verified.lock().insert(defines.to_string(), ok);
        ok
    }
}

static DEVICE: OnceCell<Result<Gpu>> = OnceCell::new();

/// Set once a call starts opening the device; in a child after fork(), whether the
/// parent had (see [`inherited`]).
static OPENING_STARTED: AtomicBool = AtomicBool::new(false);
static INHERITED: AtomicBool = AtomicBool::new(false);

extern "C" fn after_fork_in_child() {
    if OPENING_STARTED.load(Ordering::Relaxed) {
        INHERITED.store(true, Ordering::Relaxed);
    }
}

/// True in a child of fork() whose parent had opened the device, or was opening it: the
/// child must not touch it. CUDA (and with it NVIDIA's OpenCL) does not work in a forked
/// child once the parent initialized it, the queue's lock may have been held by a parent
/// thread that the child does not have, and an opening under way in another parent thread
/// would never finish in the child (its first call would wait forever). Python's
/// multiprocessing forks by default on Linux: such children run on the CPU.
fn inherited() -> bool {
    INHERITED.load(Ordering::Relaxed)
}

/// The process's device, opened on first use from `LAPACK_AI_DEVICE`.
pub fn device() -> Result<&'static Gpu> {
    fault::check("init")?;
    if inherited() {
        return Err(GpuError(
            "the device was opened before this process was forked, and a forked child \
             cannot use it (CUDA and most OpenCL drivers forbid it)"
                .into(),
        ));
    }
    if !OPENING_STARTED.swap(true, Ordering::Relaxed) {
        // SAFETY: registers a plain function, which only stores an atomic.
        unsafe { libc::pthread_atfork(None, None, Some(after_fork_in_child)) };
    }
    DEVICE
        .get_or_init(|| Gpu::open(crate::config::get().device.as_deref()))
        .as_ref()
        .map_err(Clone::clone)
}

/// Whether a call has tried to open the device (whatever came of it), or the device is
/// off limits in this forked child: the router then asks [`device`] directly.
pub fn tried() -> bool {
    inherited() || DEVICE.get().is_some()
}

/// The device if a call has opened it already (never opens one: for readers such as the
/// metrics endpoint, which must not start OpenCL). None in a forked child of a parent that
/// opened it.
pub fn opened() -> Option<&'static Gpu> {
    if inherited() {
        return None;
    }
    DEVICE.get().and_then(|d| d.as_ref().ok())
}
