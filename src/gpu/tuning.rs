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

/// Tile sizes of `kernels/gemm.cl`: an MWG x NWG tile of C a work-group of MDIMC x NDIMC
/// work-items, KWG-deep slices.
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

    /// "MWG,NWG,KWG,MDIMC,NDIMC" (gpu-bench's `--portable`).
    pub fn parse(s: &str) -> Option<GemmParams> {
        let v: Vec<usize> = s
            .split(',')
            .map(|x| x.trim().parse().ok())
            .collect::<Option<_>>()?;
        match v[..] {
            [m, n, k, dm, dn] => Some(GemmParams::new(m, n, k, dm, dn)),
            _ => None,
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

    /// Whether the kernel can be built with these tiles for `dev` and `p`.
    pub fn fits(&self, dev: &DeviceInfo, p: Precision) -> bool {
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
        // NVIDIA data-centre parts: large register blocks. SGEMM's 32-deep slices ran
        // 3-4% above 16-deep ones on an H200 (26.6 / 26.0 / 26.7 against 25.6 / 25.1 / 25.8
        // TFLOP/s at n = 2048 / 4096 / 8192; 256 x 128, 128 x 256 and 8-deep tiles lower;
        // BENCHMARKS.md, "GPU: the device opened when it pays").
        match p {
            S => GemmParams::new(128, 128, 32, 16, 16),
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
/// or 2 staged through registers; 3: through 8-byte `cp.async`, two slices in flight; with
/// `copy16`, 2 to 4 slices through 16-byte `cp.async`, all but one in flight).
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
    /// 16-byte `cp.async` copies into a local layout per operand (`stages` buffers).
    pub copy16: bool,
    /// k of the `mma` shape: 8 (m16n8k8) or, with `copy16`, 16 (m16n8k16).
    pub mma_k: usize,
    /// With `copy16` and 3 or 4 stages: A fragments (besides all of B) of the next mma
    /// step loaded while the current one runs; 0: none.
    pub frag_pipe: usize,
    /// Registers a work-item may use (NVIDIA's `-cl-nv-maxrregcount`), so that more
    /// work-groups fit an SM; 0: the compiler's choice.
    pub max_regs: usize,
}

impl MmaParams {
    /// Parses "BM,BN,BK,WM,WN,STAGES,GROUP_M[,COPY,MMA_K[,FRAG_PIPE[,MAX_REGS]]]"
    /// (benchmark sweeps; COPY is the `cp.async` width, 8 or 16, MMA_K 8 or 16); None
    /// unless valid.
    pub fn parse(s: &str) -> Option<MmaParams> {
        let v: Vec<usize> = s
            .split(',')
            .map(|x| x.trim().parse().ok())
            .collect::<Option<_>>()?;
        let (&[bm, bn, bk, wm, wn, stages, group_m], copy, mma_k, frag_pipe, max_regs) =
            (match v.len() {
                7 => (&v[..], 8, 8, 0, 0),
                9 => (&v[..7], v[7], v[8], 0, 0),
                10 => (&v[..7], v[7], v[8], v[9], 0),
                11 => (&v[..7], v[7], v[8], v[9], v[10]),
                _ => return None,
            })
        else {
            return None;
        };
        if copy != 8 && copy != 16 {
            return None;
        }
        let p = MmaParams {
            bm,
            bn,
            bk,
            wm,
            wn,
            stages,
            group_m,
            copy16: copy == 16,
            mma_k,
            frag_pipe,
            max_regs,
        };
        p.valid().then_some(p)
    }

    /// Work-items of a work-group: 32 a warp.
    pub fn threads(&self) -> usize {
        (self.bm / self.wm) * (self.bn / self.wn) * 32
    }

    fn valid(&self) -> bool {
        let local_bytes = if self.copy16 {
            self.stages * self.bk * (self.bm + self.bn) * 8
        } else {
            self.stages * self.bk * (self.bm + self.bn + if self.stages == 3 { 0 } else { 8 }) * 8
        };
        // 16-byte copies: unpadded, swizzled rows in 16-element groups, 8- or 16-deep
        // slices of whole mma steps.
        let copy16_ok = !self.copy16
            || ((2..=4).contains(&self.stages)
                && (self.bk == 8 || self.bk == 16)
                && (self.mma_k == 8 || self.mma_k == 16)
                && self.bk.is_multiple_of(self.mma_k)
                && self.bm.is_multiple_of(16)
                && self.bn.is_multiple_of(16));
        // Fragment pipelining: the slice after the current one must be resident, so one
        // more stage than the copies in flight, and one or two mma steps a slice.
        let pipe_ok = self.frag_pipe == 0
            || (self.copy16
                && (3..=4).contains(&self.stages)
                && self.bk / self.mma_k <= 2
                && self.frag_pipe * 16 <= self.wm);
        self.wm > 0
            && self.wn > 0
            && self.wm.is_multiple_of(16)
            && self.wn.is_multiple_of(8)
            && self.bm.is_multiple_of(self.wm)
            && self.bn.is_multiple_of(self.wn)
            && self.bk > 0
            && self.bk.is_multiple_of(8)
            && self.threads() <= 1024
            && (self.copy16 || ((1..=3).contains(&self.stages) && self.mma_k == 8))
            // Three stages: cp.async into unpadded, swizzled rows (16 lanes a row apart).
            && (self.stages < 3 || (self.bm.is_multiple_of(16) && self.bn.is_multiple_of(16)))
            && copy16_ok
            && pipe_ok
            && (self.max_regs == 0 || (64..=255).contains(&self.max_regs))
            && local_bytes <= 48 * 1024
    }

    /// OpenCL build options beyond the defines: the register cap, if any (NVIDIA's
    /// compiler ignores it for a kernel with `reqd_work_group_size`, which the kernel
    /// then leaves out: see `MAX_REGS` there).
    pub fn build_options(&self) -> String {
        if self.max_regs > 0 {
            format!("-cl-nv-maxrregcount={} -cl-nv-verbose", self.max_regs)
        } else {
            String::new()
        }
    }

    pub fn defines(&self) -> String {
        format!(
            "#define BM {}\n#define BN {}\n#define BK {}\n#define WM {}\n#define WN {}\n\
             #define STAGES {}\n#define GROUP_M {}\n#define COPY16 {}\n#define MMA_K {}\n\
             #define FRAG_PIPE {}\n#define MAX_REGS {}\n",
            self.bm,
            self.bn,
            self.bk,
            self.wm,
            self.wn,
            self.stages,
            self.group_m,
            self.copy16 as u8,
            self.mma_k,
            self.frag_pipe,
            self.max_regs
        )
    }
}

/// Tensor-core tiles on NVIDIA sm_90: 128x64 tiles (two work-groups an SM), 8-deep slices
/// in 4 stages through 16-byte `cp.async`, 8 tile rows walked together: 1.21-1.27x the
/// 128x128 register-staged tile ("128,128,8,64,32,1,0") at n = 2048..16384 on an H200
/// (BENCHMARKS.md, "GPU: 16-byte asynchronous copies and 16-deep slices"). Still the best
/// tile once the kernel issues its copies between the mma (128x128, 16-deep slices, other
/// tile orders and a register cap for a third work-group an SM measured slower on an
/// H100: "GPU: copies off the tensor cores' critical path").
const NVIDIA_MMA_TILES: &str = "128,64,8,64,32,4,8,16,8";

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
    MmaParams::parse(NVIDIA_MMA_TILES)
}

/// Sustained rates the cost model uses for a device (estimates, not measurements of
/// this build: they only need to be good to a factor of two near the threshold).
#[derive(Clone, Copy, Debug)]
pub struct DeviceModel {
    /// Flop/s of our GEMM kernel, real single and double precision.
    pub flops_f32: f64,
    pub flops_f64: f64,
    /// Flop/s of complex GEMM (8 real flops a complex multiply-add), single and double:
    /// ZGEMM by the 1m method on the tensor cores runs near the real rate, the portable
    /// complex kernel below it.
    pub flops_c32: f64,
    pub flops_c64: f64,
    /// Host <-> device bytes/s from pageable caller memory.
    pub link_bytes_per_s: f64,
    /// Fixed cost of one offloaded call (launch, synchronisation), seconds.
    pub overhead_s: f64,
}

impl DeviceModel {
    /// The GEMM rate at precision `p`, flop/s.
    pub fn flops(&self, p: Precision) -> f64 {
        match p {
            Precision::S => self.flops_f32,
            Precision::D => self.flops_f64,
            Precision::C => self.flops_c32,
            Precision::Z => self.flops_c64,
        }
    }
}

/// The rates of an H100/H200, with or without the tensor-core DGEMM.
fn hopper(tensor_cores: bool) -> DeviceModel {
    DeviceModel {
        flops_f32: 25e12,
        flops_f64: if tensor_cores { 40e12 } else { 12e12 },
        flops_c32: 30e12,
        flops_c64: if tensor_cores && super::complex_1m::chosen(Precision::Z, true) {
            40e12
        } else {
            9e12
        },
        link_bytes_per_s: 25e9,
        overhead_s: 1.2e-3,
    }
}

/// What the router assumes of a device it has not opened and no calibration measured:
/// the fastest in this table (an H100/H200 on its tensor cores), so that a call such a
/// device would win is never kept off it for good; once open, the device's own entry
/// prices its calls.
pub fn unopened_model() -> DeviceModel {
    hopper(true)
}

pub fn model(dev: &DeviceInfo) -> DeviceModel {
    let name = dev.name.to_ascii_lowercase();
    if name.contains("h100") || name.contains("h200") {
        // Measured (BENCHMARKS.md): the portable kernel runs SGEMM at 26 TFLOP/s (H200),
        // DGEMM at 12.7 (H200/H100) and 42 on the tensor cores (gemm_mma.cl, H100),
        // ZGEMM at 9.4 (portable) and 52 (1m on the tensor cores), CGEMM at 35;
        // end-to-end calls from pageable memory through the pinned staging buffers: eight
        // calibrations on H100/H200 hosts fitted 23.7-37.9 GB/s and a fixed 0.85-2.1 ms
        // a call (buffers, launches, waits).
        return hopper(mma_params(dev).is_some());
    }
    if name.contains("a100") {
        return DeviceModel {
            flops_f32: 12e12,
            flops_f64: 7e12,
            flops_c32: 12e12,
            flops_c64: 7e12,
            link_bytes_per_s: 12e9,
            overhead_s: 50e-6,
        };
    }
    // Generic: compute units x clock x a guess of lanes per unit.
    let lanes = if dev.is_gpu { 64.0 } else { 8.0 };
    let peak = 2.0 * lanes * dev.compute_units as f64 * dev.clock_mhz as f64 * 1e6;
    let sustained = 0.3 * peak;
    let fp64 = if dev.fp64 { sustained / 8.0 } else { 0.0 };
    DeviceModel {
        flops_f32: sustained,
        flops_f64: fp64,
        flops_c32: sustained,
        flops_c64: fp64,
        link_bytes_per_s: if dev.is_gpu { 8e9 } else { 20e9 },
        overhead_s: 100e-6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mma_tiles_parse_and_check_their_limits() {
        let default = MmaParams::parse(NVIDIA_MMA_TILES).expect("the NVIDIA default is valid");
        assert!(default.copy16 && default.stages == 4 && default.threads() == 128);
        let old = MmaParams::parse("128,128,8,64,32,1,0").unwrap();
        assert!(!old.copy16 && old.mma_k == 8 && old.frag_pipe == 0);
        let piped = MmaParams::parse("128,64,8,64,32,4,8,16,8,1").unwrap();
        assert_eq!(piped.frag_pipe, 1);
        assert!(piped.defines().contains("#define FRAG_PIPE 1\n"));
        assert!(default
            .defines()
            .contains("#define COPY16 1\n#define MMA_K 8\n"));
        assert!(default.max_regs == 0 && default.build_options().is_empty());
        let capped = MmaParams::parse("128,64,8,64,32,4,8,16,8,0,168").unwrap();
        assert_eq!(capped.max_regs, 168);
        assert!(capped.defines().contains("#define MAX_REGS 168\n"));
        assert!(capped.build_options().contains("-cl-nv-maxrregcount=168"));
        for bad in [
            "128,64,8,64,32,4,8",           // 4 stages need copy16
            "128,64,8,64,32,4,8,12,8",      // copy width 8 or 16
            "128,64,16,64,32,3,8,16,8",     // 72 KiB of local memory
            "128,128,8,64,32,1,0,8,16",     // m16n8k16 only with copy16
            "128,64,8,64,32,2,8,16,16",     // BK below the mma's k
            "128,64,8,64,32,2,8,16,8,1",    // fragment pipelining needs 3 or 4 stages
            "128,64,8,64,32,4,8,16,8,5",    // more A fragments than the warp has
            "128,64,8,64,32,4,8,16",        // 8 fields
            "128,64,8,64,32,4,8,16,8,0,32", // a register cap below 64
        ] {
            assert!(MmaParams::parse(bad).is_none(), "{bad} accepted");
        }
    }
}
