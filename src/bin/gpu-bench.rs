//! gpu-bench: GEMM on an OpenCL device, kernel-only and end-to-end, in TFLOP/s.
//!
//! ```text
//! gpu-bench [--list] [--device SEL] [--types d,s,z,c] [--sizes 2048,4096,8192]
//!           [--reps N] [--trans NN]
//! ```
//! `--device` takes `LAPACK_AI_DEVICE` syntax (index or name substring; default: that
//! variable, else the first GPU). Kernel-only: operands already on the device, `reps`
//! back-to-back launches timed between `clFinish`es. End-to-end: `lapack_ai::gpu::gemm::run`
//! on host memory (packed uploads, kernel, download), best of `reps`. Every result is spot-
//! checked against a dot product on the host. On an NVIDIA machine, register the ICD first:
//! `mkdir -p /etc/OpenCL/vendors; echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd`
//! (libOpenCL.so.1, the ICD loader, must exist; else point OPENCL_DYLIB_PATH at one).

use lapack_ai::blas::args::Trans;
use lapack_ai::gpu::gemm::Variant;
use lapack_ai::gpu::gemm::{alloc, download, precision, upload, GemmKernel};
use lapack_ai::gpu::runtime::{list, Gpu};
use lapack_ai::gpu::tuning::{gemm_params, MmaParams, Precision};
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::{c32, c64, Scalar};
use opencl3::memory::{CL_MEM_READ_ONLY, CL_MEM_READ_WRITE};
use std::time::Instant;

struct Opts {
    device: Option<String>,
    types: Vec<char>,
    sizes: Vec<usize>,
    reps: usize,
    trans: (Trans, Trans),
    /// Extra DGEMM tensor-core tiles to time kernel-only ("BM,BN,BK,WM,WN" each).
    mma_tiles: Vec<MmaParams>,
    /// Only the tensor-core kernels, no portable kernel, no end-to-end call (sweeps).
    kernel_only: bool,
    /// Kernel-only operands get leading dimension (padded n) + ld_pad on the device.
    ld_pad: usize,
}

fn usage() -> ! {
    eprintln!(
        "usage: gpu-bench [--list] [--device SEL] [--types d,s,z,c] [--sizes 2048,4096,8192] \
         [--reps N] [--trans NN|NT|TN|TT|CN|...] [--mma-tiles 'BM,BN,BK,WM,WN;...'] \
         [--kernel-only] [--ld-pad P]"
    );
    std::process::exit(2)
}

fn parse() -> Opts {
    let mut o = Opts {
        device: std::env::var("LAPACK_AI_DEVICE").ok(),
        types: vec!['d', 's', 'z'],
        sizes: vec![2048, 4096, 6144, 8192],
        reps: 5,
        trans: (Trans::No, Trans::No),
        mma_tiles: Vec::new(),
        kernel_only: false,
        ld_pad: 0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--list" => {
                match list() {
                    Ok(devs) => {
                        for (d, _) in devs {
                            println!(
                                "{}: {} | {} ({}) | {} CUs {} MHz fp64={} gpu={} driver {}",
                                d.index,
                                d.platform,
                                d.name,
                                d.vendor,
                                d.compute_units,
                                d.clock_mhz,
                                d.fp64,
                                d.is_gpu,
                                d.driver
                            )
                        }
                    }
                    Err(e) => println!("{e}"),
                }
                std::process::exit(0)
            }
            "--device" => o.device = Some(val()),
            "--types" => o.types = val().split(',').filter_map(|s| s.chars().next()).collect(),
            "--sizes" => {
                o.sizes = val()
                    .split(',')
                    .map(|s| s.trim().parse().unwrap_or_else(|_| usage()))
                    .collect()
            }
            "--mma-tiles" => {
                o.mma_tiles = val()
                    .split(';')
                    .map(|t| MmaParams::parse(t).unwrap_or_else(|| usage()))
                    .collect()
            }
            "--kernel-only" => o.kernel_only = true,
            "--ld-pad" => o.ld_pad = val().parse().unwrap_or_else(|_| usage()),
            "--reps" => o.reps = val().parse().unwrap_or_else(|_| usage()),
            "--trans" => {
                let v = val().into_bytes();
                let t = |c: u8| Trans::from_char(c).unwrap_or_else(|| usage());
                if v.len() != 2 {
                    usage()
                }
                o.trans = (t(v[0]), t(v[1]));
            }
            _ => usage(),
        }
    }
    o
}

fn fill<T: Scalar>(len: usize, seed: u64) -> Vec<T> {
    let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    (0..len)
        .map(|_| T::from_parts(Float::from_f64(next()), Float::from_f64(next())))
        .collect()
}

/// Largest relative error of a few entries of C = op(A) op(B) against host dot products.
fn spot_check<T: Scalar>(n: usize, (ta, tb): (Trans, Trans), a: &[T], b: &[T], c: &[T]) -> f64 {
    let at = |i: usize, l: usize| match ta {
        Trans::No => a[i + l * n],
        Trans::Trans => a[l + i * n],
        Trans::ConjTrans => a[l + i * n].conj(),
    };
    let bt = |l: usize, j: usize| match tb {
        Trans::No => b[l + j * n],
        Trans::Trans => b[j + l * n],
        Trans::ConjTrans => b[j + l * n].conj(),
    };
    let mut worst = 0.0f64;
    for &(i, j) in &[
        (0, 0),
        (n - 1, n - 1),
        (n / 3, n / 2),
        (n - 1, 0),
        (7 % n, n - 1),
    ] {
        let mut s = T::zero();
        let mut mag = 0.0;
        for l in 0..n {
            s += at(i, l) * bt(l, j);
            mag += at(i, l).modulus().to_f64() * bt(l, j).modulus().to_f64();
        }
        let err = (c[i + j * n] - s).modulus().to_f64() / mag.max(f64::MIN_POSITIVE);
        worst = worst.max(if err.is_nan() { f64::INFINITY } else { err });
    }
    worst
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn bench<T: Scalar>(gpu: &Gpu, o: &Opts) -> Result<(), lapack_ai::gpu::GpuError> {
    let p = precision::<T>();
    let flop_per = if T::IS_COMPLEX { 8.0 } else { 2.0 };
    let default = GemmKernel::new::<T>(gpu)?;
    println!(
        "{}gemm {:?}{:?} default kernel {:?}{}",
        T::PREFIX.to_ascii_lowercase(),
        o.trans.0,
        o.trans.1,
        default.variant,
        if default.is_one_m() {
            " (complex by the 1m method on this real kernel)"
        } else {
            ""
        }
    );
    // Kernel-only candidates: the default, then (DGEMM) the portable kernel and every
    // tensor-core tile asked for.
    let mut kernels = vec![default];
    if p == Precision::D {
        let portable = (!o.kernel_only).then(|| Variant::Portable(gemm_params(&gpu.info, p)));
        let extra = portable
            .into_iter()
            .chain(o.mma_tiles.iter().map(|&t| Variant::TensorCore(t)));
        let first = kernels[0].variant;
        for v in extra.filter(|&v| v != first) {
            match GemmKernel::with_variant::<T>(gpu, v) {
                Ok(k) => kernels.push(k),
                Err(e) => println!("  {v:?}: {e}"),
            }
        }
    }
    for &n in &o.sizes {
        let flops = flop_per * (n as f64).powi(3);
        let a = fill::<T>(n * n, 1);
        let b = fill::<T>(n * n, 2);
        let mut c = vec![T::zero(); n * n];
        let (alpha, beta) = (T::one(), T::zero());
        let eps = <T::RealPart as Float>::epsilon().to_f64();
        let verdict = |err: f64| {
            if err <= 4.0 * n as f64 * eps {
                "ok"
            } else {
                "WRONG"
            }
        };
        for kernel in &kernels {
            // Square operands zero-padded to the kernel's tiles (np >= n); the rate counts
            // the n^3 product only, so padding shows as lost speed.
            let np = kernel
                .granule()
                .iter()
                .fold(1, |l, &g| l / gcd(l, g) * g)
                .max(1);
            let np = n.next_multiple_of(np);
            // Leading dimension on the device (--ld-pad: off powers of two).
            let ld = np + o.ld_pad;
            let pad = |x: &[T]| {
                let mut p = vec![T::zero(); ld * np];
                for j in 0..n {
                    p[j * ld..j * ld + n].copy_from_slice(&x[j * n..(j + 1) * n]);
                }
                p
            };
            let (pa, pb) = if ld == n {
                (a.clone(), b.clone())
            } else {
                (pad(&a), pad(&b))
            };
            let queue = gpu.queue();
            let mut da = alloc::<T>(gpu, CL_MEM_READ_ONLY, ld * np)?;
            let mut db = alloc::<T>(gpu, CL_MEM_READ_ONLY, ld * np)?;
            let dc = alloc::<T>(gpu, CL_MEM_READ_WRITE, ld * np)?;
            let kernel_s = unsafe {
                upload(&queue, &mut da, pa.as_ptr(), (ld, np, ld), ld)?;
                upload(&queue, &mut db, pb.as_ptr(), (ld, np, ld), ld)?;
                let launch = || {
                    kernel.enqueue(
                        &queue,
                        o.trans,
                        (np, np, np),
                        alpha,
                        (&da, ld),
                        (&db, ld),
                        beta,
                        (&dc, ld),
                    )
                };
                launch()?;
                queue.finish()?;
                let t = Instant::now();
                for _ in 0..o.reps {
                    launch()?;
                }
                queue.finish()?;
                t.elapsed().as_secs_f64() / o.reps as f64
            };
            unsafe { download(&queue, &dc, ld, c.as_mut_ptr(), (n, n, n))? };
            let err = spot_check(n, o.trans, &a, &b, &c);
            println!(
                "  n={n:6}  kernel {:8.3} ms {:7.3} TFLOP/s  rel.err {:.1e} {}  {}{:?}{}",
                kernel_s * 1e3,
                flops / kernel_s / 1e12,
                err,
                verdict(err),
                if kernel.is_one_m() { "1m on " } else { "" },
                kernel.variant,
                if ld == n {
                    String::new()
                } else {
                    format!(" (padded to {np}, ld {ld})")
                }
            );
        }
        if o.kernel_only {
            continue;
        }
        // End to end from host memory.
        let mut best = f64::INFINITY;
        for _ in 0..o.reps.clamp(1, 3) {
            let t = Instant::now();
            unsafe {
                lapack_ai::gpu::gemm::run(
                    gpu,
                    o.trans.0,
                    o.trans.1,
                    (n, n, n),
                    alpha,
                    (a.as_ptr(), n),
                    (b.as_ptr(), n),
                    beta,
                    (c.as_mut_ptr(), n),
                )?;
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        let err = spot_check(n, o.trans, &a, &b, &c);
        println!(
            "  n={n:6}  end-to-end {:8.3} ms {:7.3} TFLOP/s  rel.err {:.1e} {}",
            best * 1e3,
            flops / best / 1e12,
            err,
            verdict(err)
        );
    }
    Ok(())
}

fn main() {
    let o = parse();
    let gpu = match Gpu::open(o.device.as_deref()) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("gpu-bench: {e} (try --list)");
            std::process::exit(1)
        }
    };
    println!(
        "device: {} | {} | driver {} | {} CUs",
        gpu.info.platform, gpu.info.name, gpu.info.driver, gpu.info.compute_units
    );
    for &t in &o.types {
        let r = match t {
            's' => bench::<f32>(&gpu, &o),
            'd' => bench::<f64>(&gpu, &o),
            'c' => bench::<c32>(&gpu, &o),
            'z' => bench::<c64>(&gpu, &o),
            _ => usage(),
        };
        if let Err(e) = r {
            eprintln!("gpu-bench: {t}gemm failed: {e}");
        }
    }
}
