//! gpu-bench: GEMM on an OpenCL device, kernel-only and end-to-end, in TFLOP/s.
//!
//! ```text
//! gpu-bench [--list] [--device SEL] [--types d,s,z,c] [--sizes 2048,4096,8192]
//!           [--shapes 'M,N,K;...'] [--reps N] [--trans NN]
//! ```
//! `--shapes` adds products of any shape to the squares of `--sizes` (e.g. one output
//! block of a larger product: `--shapes 8192,8192,16384`).
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
use lapack_ai::gpu::tuning::{gemm_params, GemmParams, MmaParams, Precision};
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::{c32, c64, Scalar};
use opencl3::memory::{CL_MEM_READ_ONLY, CL_MEM_READ_WRITE};
use std::time::Instant;

struct Opts {
    device: Option<String>,
    types: Vec<char>,
    sizes: Vec<usize>,
    /// Products of any shape (M, N, K), timed after the squares of `sizes`.
    shapes: Vec<(usize, usize, usize)>,
    reps: usize,
    trans: (Trans, Trans),
    /// Extra DGEMM tensor-core tiles to time kernel-only ("BM,BN,BK,WM,WN" each).
    mma_tiles: Vec<MmaParams>,
    /// Extra portable-kernel tiles to time kernel-only, any precision
    /// ("MWG,NWG,KWG,MDIMC,NDIMC" each).
    portable: Vec<GemmParams>,
    /// Only the tensor-core kernels, no portable kernel, no end-to-end call (sweeps).
    kernel_only: bool,
    /// Kernel-only operands get leading dimension (padded n) + ld_pad on the device.
    ld_pad: usize,
    /// Kernel-only: also time `reps` single launches, each waited for, and print their
    /// median (the statistic of benches/gpu/cublas_baseline.py).
    median: bool,
}

fn usage() -> ! {
    eprintln!(
        "usage: gpu-bench [--list] [--device SEL] [--types d,s,z,c] [--sizes 2048,4096,8192] \
         [--shapes 'M,N,K;...'] [--reps N] [--trans NN|NT|TN|TT|CN|...] [--mma-tiles 'BM,BN,BK,WM,WN;...'] \
         [--portable 'MWG,NWG,KWG,MDIMC,NDIMC;...'] [--kernel-only] [--median] [--ld-pad P]"
    );
    std::process::exit(2)
}

/// "M,N,K" as (m, n, k).
fn shape(t: &str) -> (usize, usize, usize) {
    match t.split(',').map(|d| d.trim().parse()).collect::<Vec<_>>()[..] {
        [Ok(m), Ok(n), Ok(k)] => (m, n, k),
        _ => usage(),
    }
}

fn parse() -> Opts {
    let mut o = Opts {
        device: std::env::var("LAPACK_AI_DEVICE").ok(),
        types: vec!['d', 's', 'z'],
        sizes: vec![2048, 4096, 6144, 8192],
        shapes: Vec::new(),
        reps: 5,
        trans: (Trans::No, Trans::No),
        mma_tiles: Vec::new(),
        portable: Vec::new(),
        kernel_only: false,
        ld_pad: 0,
        median: false,
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
            "--shapes" => o.shapes = val().split(';').map(shape).collect(),
            "--mma-tiles" => {
                o.mma_tiles = val()
                    .split(';')
                    .map(|t| MmaParams::parse(t).unwrap_or_else(|| usage()))
                    .collect()
            }
            "--portable" => {
                o.portable = val()
                    .split(';')
                    .map(|t| GemmParams::parse(t).unwrap_or_else(|| usage()))
                    .collect()
            }
            "--kernel-only" => o.kernel_only = true,
            "--median" => o.median = true,
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

/// Largest relative error of a few entries of the m x n product C = op(A) op(B) (depth
/// k, A and B packed: leading dimensions their stored row counts) against host dot products.
fn spot_check<T: Scalar>(
    (m, n, k): (usize, usize, usize),
    (ta, tb): (Trans, Trans),
    a: &[T],
    b: &[T],
    c: &[T],
) -> f64 {
    let at = |i: usize, l: usize| match ta {
        Trans::No => a[i + l * m],
        Trans::Trans => a[l + i * k],
        Trans::ConjTrans => a[l + i * k].conj(),
    };
    let bt = |l: usize, j: usize| match tb {
        Trans::No => b[l + j * k],
        Trans::Trans => b[j + l * n],
        Trans::ConjTrans => b[j + l * n].conj(),
    };
    let mut worst = 0.0f64;
    for &(i, j) in &[
        (0, 0),
        (m - 1, n - 1),
        (m / 3, n / 2),
        (m - 1, 0),
        (7 % m, n - 1),
    ] {
        let mut s = T::zero();
        let mut mag = 0.0;
        for l in 0..k {
            s += at(i, l) * bt(l, j);
            mag += at(i, l).modulus().to_f64() * bt(l, j).modulus().to_f64();
        }
        let err = (c[i + j * m] - s).modulus().to_f64() / mag.max(f64::MIN_POSITIVE);
        worst = worst.max(if err.is_nan() { f64::INFINITY } else { err });
    }
    worst
}

/// The `rows x cols` packed matrix `x` in a zeroed `ld x cols_p` one (ld >= rows).
fn pad<T: Scalar>(x: &[T], (rows, cols): (usize, usize), (ld, cols_p): (usize, usize)) -> Vec<T> {
    if ld == rows && cols_p == cols {
        return x.to_vec();
    }
    let mut p = vec![T::zero(); ld * cols_p];
    for j in 0..cols {
        p[j * ld..j * ld + rows].copy_from_slice(&x[j * rows..(j + 1) * rows]);
    }
    p
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
    // tensor-core tile asked for, and every portable tile asked for.
    let mut kernels = vec![default];
    let mut extra = Vec::new();
    if p == Precision::D {
        let portable = (!o.kernel_only).then(|| Variant::Portable(gemm_params(&gpu.info, p)));
        extra.extend(portable);
        extra.extend(o.mma_tiles.iter().map(|&t| Variant::TensorCore(t)));
    }
    for &t in &o.portable {
        if t.fits(&gpu.info, p) {
            extra.push(Variant::Portable(t));
        } else {
            println!("  {t:?}: does not fit {} for {p:?}", gpu.info.name);
        }
    }
    let first = kernels[0].variant;
    for v in extra.into_iter().filter(|&v| v != first) {
        match GemmKernel::with_variant::<T>(gpu, v) {
            Ok(k) => kernels.push(k),
            Err(e) => println!("  {v:?}: {e}"),
        }
    }
    let squares = o.sizes.iter().map(|&n| (n, n, n));
    for (m, n, k) in squares.chain(o.shapes.iter().copied()) {
        let flops = flop_per * m as f64 * n as f64 * k as f64;
        // Stored shapes of A and B (rows, columns), packed on the host.
        let (ta, tb) = (o.trans.0.is_transposed(), o.trans.1.is_transposed());
        let a_dims = if ta { (k, m) } else { (m, k) };
        let b_dims = if tb { (n, k) } else { (k, n) };
        let a = fill::<T>(m * k, 1);
        let b = fill::<T>(k * n, 2);
        let mut c = vec![T::zero(); m * n];
        let (alpha, beta) = (T::one(), T::zero());
        let eps = <T::RealPart as Float>::epsilon().to_f64();
        let verdict = |err: f64| {
            if err <= 4.0 * k as f64 * eps {
                "ok"
            } else {
                "WRONG"
            }
        };
        let shape = if m == n && n == k {
            format!("n={n:6}")
        } else {
            format!("n={m}x{n}x{k}")
        };
        for kernel in &kernels {
            // Operands zero-padded to the kernel's tiles; the rate counts the m n k
            // product only, so padding shows as lost speed.
            let [gm, gn, gk] = kernel.granule();
            let (mp, np, kp) = (
                m.next_multiple_of(gm),
                n.next_multiple_of(gn),
                k.next_multiple_of(gk),
            );
            // Stored padded shapes; leading dimensions + ld_pad (--ld-pad: off powers of two).
            let a_p = if ta { (kp, mp) } else { (mp, kp) };
            let b_p = if tb { (np, kp) } else { (kp, np) };
            let (lda, ldb, ldc) = (a_p.0 + o.ld_pad, b_p.0 + o.ld_pad, mp + o.ld_pad);
            let pa = pad(&a, a_dims, (lda, a_p.1));
            let pb = pad(&b, b_dims, (ldb, b_p.1));
            let padded = (mp, np, kp) != (m, n, k) || o.ld_pad > 0;
            let queue = gpu.queue();
            let mut da = alloc::<T>(gpu, CL_MEM_READ_ONLY, lda * a_p.1)?;
            let mut db = alloc::<T>(gpu, CL_MEM_READ_ONLY, ldb * b_p.1)?;
            let dc = alloc::<T>(gpu, CL_MEM_READ_WRITE, ldc * np)?;
            let (kernel_s, single_s) = unsafe {
                upload(&queue, &mut da, pa.as_ptr(), (lda, a_p.1, lda), lda)?;
                upload(&queue, &mut db, pb.as_ptr(), (ldb, b_p.1, ldb), ldb)?;
                drop((pa, pb));
                let launch = || {
                    kernel.enqueue(
                        &queue,
                        o.trans,
                        (mp, np, kp),
                        alpha,
                        (&da, lda),
                        (&db, ldb),
                        beta,
                        (&dc, ldc),
                    )
                };
                launch()?;
                queue.finish()?;
                let t = Instant::now();
                for _ in 0..o.reps {
                    launch()?;
                }
                queue.finish()?;
                let mean = t.elapsed().as_secs_f64() / o.reps as f64;
                let mut single = Vec::new();
                for _ in 0..if o.median { o.reps } else { 0 } {
                    let t = Instant::now();
                    launch()?;
                    queue.finish()?;
                    single.push(t.elapsed().as_secs_f64());
                }
                single.sort_by(f64::total_cmp);
                (mean, single.get(single.len() / 2).copied())
            };
            unsafe { download(&queue, &dc, ldc, c.as_mut_ptr(), (m, n, m))? };
            let err = spot_check((m, n, k), o.trans, &a, &b, &c);
            println!(
                "  {shape}  kernel {:8.3} ms {:7.3} TFLOP/s  rel.err {:.1e} {}  {}{:?}{}{}",
                kernel_s * 1e3,
                flops / kernel_s / 1e12,
                err,
                verdict(err),
                if kernel.is_one_m() { "1m on " } else { "" },
                kernel.variant,
                if padded {
                    format!(" (padded to {mp}x{np}x{kp}, ld {lda}/{ldb}/{ldc})")
                } else {
                    String::new()
                },
                single_s.map_or(String::new(), |t| format!(
                    "  median of single launches {:.3} TFLOP/s",
                    flops / t / 1e12
                ))
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
                    (m, n, k),
                    alpha,
                    (a.as_ptr(), a_dims.0),
                    (b.as_ptr(), b_dims.0),
                    beta,
                    (c.as_mut_ptr(), m),
                )?;
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        let err = spot_check((m, n, k), o.trans, &a, &b, &c);
        println!(
            "  {shape}  end-to-end {:8.3} ms {:7.3} TFLOP/s  rel.err {:.1e} {}",
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
