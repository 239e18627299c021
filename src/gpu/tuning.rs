//! Tuned kernel parameters and a coarse performance model per device, looked up
//! device name -> vendor -> device type -> default (CLBlast's order). Parameters reach the
//! kernel source as `#define`s, so they are part of the program cache key.

use super::runtime::DeviceInfo;

/// The four precisions of a kernel (`-DPRECISION=...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    S,
    D,
    C,
    Z,
}

impl Precision {
    pub fn define(self) -> u32 {
        match self {
            Precision::S => 32,
            Precision::D => 64,
            Precision::C => 3232,
            Precision::Z => 6464,
        }
    }
    pub fn is_double(self) -> bool {
        matches!(self, Precision::D | Precision::Z)
    }
    pub fn is_complex(self) -> bool {
        matches!(self, Precision::C | Precision::Z)
    }
    /// Bytes of one element.
    pub fn size(self) -> usize {
        match self {
            Precision::S => 4,
            Precision::D | Precision::C => 8,
            Precision::Z => 16,
        }
    }
}

/// Tile sizes of `kernels/gemm.cl`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GemmParams {
    pub mwg: usize,
    pub nwg: usize,
    pub kwg: usize,
    pub mdimc: usize,
    pub ndimc: usize,
}

impl GemmParams {
    pub const fn new(mwg: usize, nwg: usize, kwg: usize, mdimc: usize, ndimc: usize) -> Self {
        GemmParams {
            mwg,
            nwg,
            kwg,
            mdimc,
            ndimc,
        }
    }

    /// The `#define` lines prepended to the kernel source.
    pub fn defines(&self) -> String {
        format!(
            "#define MWG {}\n#define NWG {}\n#define KWG {}\n#define MDIMC {}\n#define NDIMC {}\n",
            self.mwg, self.nwg, self.kwg, self.mdimc, self.ndimc
        )
    }

    fn local_bytes(&self, p: Precision) -> usize {
        self.kwg * (self.mwg + 1 + self.nwg + 1) * p.size()
    }

    fn fits(&self, dev: &DeviceInfo, p: Precision) -> bool {
        self.mwg.is_multiple_of(self.mdimc)
            && self.nwg.is_multiple_of(self.ndimc)
            && self.mdimc * self.ndimc <= dev.max_work_group_size
            && self.local_bytes(p) as u64 <= dev.local_mem_size
    }
}

/// The GEMM tiles for `dev` at precision `p`.
pub fn gemm_params(dev: &DeviceInfo, p: Precision) -> GemmParams {
    use Precision::*;
    let name = dev.name.to_ascii_lowercase();
    let vendor = dev.vendor.to_ascii_lowercase();
    let tuned = if name.contains("h100") || name.contains("h200") || name.contains("a100") {
        // NVIDIA data-centre parts: large register blocks.
        match p {
            S => GemmParams::new(128, 128, 16, 16, 16),
            D | C => GemmParams::new(64, 64, 16, 16, 16),
            Z => GemmParams::new(64, 64, 8, 16, 16),
        }
    } else if !dev.is_gpu {
        // CPU OpenCL (PoCL; its vendor is the CPU's, e.g. "AuthenticAMD"): small
        // work-groups, the work-item loops vectorise well.
        GemmParams::new(32, 32, 16, 8, 8)
    } else if vendor.contains("nvidia") || vendor.contains("advanced micro") || vendor == "amd" {
        match p {
            S | D | C => GemmParams::new(64, 64, 16, 16, 16),
            Z => GemmParams::new(32, 32, 16, 16, 16),
        }
    } else {
        GemmParams::new(32, 32, 16, 8, 8)
    };
    if tuned.fits(dev, p) {
        tuned
    } else {
        GemmParams::new(16, 16, 8, 4, 4)
    }
}

/// Tiles of `kernels/gemm_mma.cl` (DGEMM on NVIDIA tensor cores): a BM x BN tile of C a
/// work-group, BK-deep slices, a WM x WN tile a warp, `stages` slices in local memory (1
/// or 2 staged through registers; 3: through `cp.async`, two slices in flight).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MmaParams {
    pub bm: usize,
    pub bn: usize,
    pub bk: usize,
    pub wm: usize,
    pub wn: usize,
    pub stages: usize,
    /// Tile rows walked together in launch order (L2 reuse); 0: plain order.
    pub group_m: usize,
}

impl MmaParams {
    /// Parses "BM,BN,BK,WM,WN,STAGES,GROUP_M" (benchmark sweeps); None unless valid.
    pub fn parse(s: &str) -> Option<MmaParams> {
        let v: Vec<usize> = s
            .split(',')
            .map(|x| x.trim().parse().ok())
            .collect::<Option<_>>()?;
        let [bm, bn, bk, wm, wn, stages, group_m] = v[..] else {
            return None;
        };
        let p = MmaParams {
            bm,
            bn,
            bk,
            wm,
            wn,
            stages,
            group_m,
        };
        p.valid().then_some(p)
    }

    /// Work-items of a work-group: 32 a warp.
    pub fn threads(&self) -> usize {
        (self.bm / self.wm) * (self.bn / self.wn) * 32
    }

    fn valid(&self) -> bool {
        self.wm > 0
            && self.wn > 0
            && self.wm.is_multiple_of(16)
            && self.wn.is_multiple_of(8)
            && self.bm.is_multiple_of(self.wm)
            && self.bn.is_multiple_of(self.wn)
            && self.bk > 0
            && self.bk.is_multiple_of(8)
            && self.threads() <= 1024
            && (1..=3).contains(&self.stages)
            // Three stages: cp.async into unpadded, swizzled rows (16 lanes a row apart).
            && (self.stages < 3 || (self.bm.is_multiple_of(16) && self.bn.is_multiple_of(16)))
            && self.stages * self.bk * (self.bm + self.bn + if self.stages == 3 { 0 } else { 8 }) * 8
                <= 48 * 1024
    }

    pub fn defines(&self) -> String {
        format!(
            "#define BM {}\n#define BN {}\n#define BK {}\n#define WM {}\n#define WN {}\n\
             #define STAGES {}\n#define GROUP_M {}\n",
            self.bm, self.bn, self.bk, self.wm, self.wn, self.stages, self.group_m
        )
    }
}

/// The tensor-core DGEMM tiles for `dev`, or None where the kernel does not apply: only
/// NVIDIA devices can build its inline PTX (`mma...f64` needs sm_90; an older NVIDIA GPU
/// fails the build and keeps the portable kernel). `LAPACK_AI_GPU_MMA=0` turns it off.
pub fn mma_params(dev: &DeviceInfo) -> Option<MmaParams> {
    let vendor = dev.vendor.to_ascii_lowercase();
    if !dev.is_gpu || !vendor.contains("nvidia") || !dev.fp64 {
        return None;
    }
    if !crate::config::get().gpu_mma {
        return None;
    }
    MmaParams::parse("128,128,8,64,32,1,0")
}

/// Sustained rates the cost model uses for a device (estimates, not measurements of
/// this build: they only need to be good to a factor of two near the threshold).
#[derive(Clone, Copy, Debug)]
pub struct DeviceModel {
    /// Flop/s of our GEMM kernel, real single and double precision.
    pub flops_f32: f64,
    pub flops_f64: f64,
    /// Host <-> device bytes/s from pageable caller memory.
    pub link_bytes_per_s: f64,
    /// Fixed cost of one offloaded call (launch, synchronisation), seconds.
    pub overhead_s: f64,
}

pub fn model(dev: &DeviceInfo) -> DeviceModel {
    let name = dev.name.to_ascii_lowercase();
    if name.contains("h100") || name.contains("h200") {
        // Measured (BENCHMARKS.md): the portable kernel runs SGEMM at 26 TFLOP/s (H200),
        // DGEMM at 12.7 (H200/H100) and 42 on the tensor cores (gemm_mma.cl, H100);
        // end-to-end calls from pageable memory move about 7.5 GB/s and pay about 0.4 ms
        // of buffer set-up, launch and synchronisation.
        let tensor_cores = mma_params(dev).is_some();
        return DeviceModel {
            flops_f32: 25e12,
            flops_f64: if tensor_cores { 40e12 } else { 12e12 },
            link_bytes_per_s: 7.5e9,
            overhead_s: 400e-6,
        };
    }
    if name.contains("a100") {
        return DeviceModel {
            flops_f32: 12e12,
            flops_f64: 7e12,
            link_bytes_per_s: 12e9,
            overhead_s: 50e-6,
        };
    }
    // Generic: compute units x clock x a guess of lanes per unit.
    let lanes = if dev.is_gpu { 64.0 } else { 8.0 };
    let peak = 2.0 * lanes * dev.compute_units as f64 * dev.clock_mhz as f64 * 1e6;
    let sustained = 0.3 * peak;
    DeviceModel {
        flops_f32: sustained,
        flops_f64: if dev.fp64 { sustained / 8.0 } else { 0.0 },
        link_bytes_per_s: if dev.is_gpu { 8e9 } else { 20e9 },
        overhead_s: 100e-6,
    }
}
