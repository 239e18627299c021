//! The measurements of `lapack-ai calibrate`: the CPU's GEMM rate, and on an OpenCL
//! device its kernel rate, launch latency, and what a whole offloaded call costs besides
//! the kernel (a fixed part and a per-byte part, fitted to end-to-end GEMM calls, so
//! that staging, packing and synchronization count as they do in real calls). Kernel
//! rates are the best of a few repetitions; what the router weighs against each other
//! (the CPU's rate, whole offloaded calls) the time a call takes in a loop of calls.

use super::backend::set_override;
use super::calibration::DeviceCalibration;
use crate::blas::args::Trans;
use crate::config::Backend;
use crate::gpu::gemm::{alloc, get, put, upload, GemmKernel};
use crate::gpu::staging::{DeviceShape, HostBlock};
use crate::gpu::{Gpu, Result};
use crate::scalar::{c32, c64, Scalar};
use opencl3::memory::{CL_MEM_READ_ONLY, CL_MEM_READ_WRITE};
use std::time::Instant;

fn filled<T: Scalar>(len: usize) -> Vec<T> {
    (0..len)
        .map(|i| T::from_f64_lossy((i * 7919 % 1000) as f64 / 1000.0 - 0.5))
        .collect()
}

/// Seconds of `f`: the fastest of `reps` runs after one warm-up run.
fn best<F: FnMut() -> Result<()>>(reps: usize, mut f: F) -> Result<f64> {
    f()?;
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let t = Instant::now();
        f()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok(best)
}

/// Seconds of `f`: the median of `reps` runs after one warm-up run.
fn median<F: FnMut() -> Result<()>>(reps: usize, mut f: F) -> Result<f64> {
    f()?;
    let mut times = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok(times[reps / 2])
}

/// Seconds per call of `f` as a caller's loop sees them: after one warm-up call, `batches`
/// batches of back-to-back calls, each at least `batch_s` long (and two calls), and the
/// median of their means. Single calls hide the slow ones: on an H100 machine the median
/// of single n = 768 offloaded calls was 1.6-1.7 ms where a loop of them took 2.1-2.4 ms a
/// call, and one CPU measurement of five single n = 1024 GEMMs came out at 9.6 GFLOP/s a
/// thread where loops ran at 22 (BENCHMARKS.md, "GPU: DGEMM under the power cap; the
/// router at the break-even").
fn per_call<F: FnMut() -> Result<()>>(batches: usize, batch_s: f64, mut f: F) -> Result<f64> {
    f()?;
    let mut means = Vec::with_capacity(batches);
    for _ in 0..batches {
        let t = Instant::now();
        let mut calls = 0u32;
        while calls < 2 || t.elapsed().as_secs_f64() < batch_s {
            f()?;
            calls += 1;
        }
        means.push(t.elapsed().as_secs_f64() / f64::from(calls));
    }
    means.sort_by(f64::total_cmp);
    Ok(means[batches / 2])
}

/// The CPU's n x n GEMM rate with every thread a call may use, flop/s.
pub fn cpu_gemm<T: Scalar>(n: usize) -> f64 {
    let (a, b) = (filled::<T>(n * n), filled::<T>(n * n));
    let mut c = vec![T::zero(); n * n];
    let previous = set_override(Some(Backend::Cpu));
    let seconds = per_call(5, 0.05, || {
        // SAFETY: three n x n column-major matrices with leading dimension n.
        unsafe {
            crate::blas::level3::gemm(
                Trans::No,
                Trans::No,
                (n, n, n),
                T::one(),
                (a.as_ptr(), n),
                (b.as_ptr(), n),
                T::zero(),
                (c.as_mut_ptr(), n),
            );
        }
        Ok(())
    });
    set_override(previous);
    2.0 * (n as f64).powi(3) / seconds.unwrap_or(f64::INFINITY)
}

/// Our GEMM kernel's n x n rate on `gpu`, operands already on the device, flop/s (the
/// kernel `gemm::run` uses: ZGEMM by the 1m method where that is chosen).
fn kernel_gemm<T: Scalar>(gpu: &Gpu, n: usize) -> Result<f64> {
    let kernel = GemmKernel::new::<T>(gpu)?;
    let mut da = alloc::<T>(gpu, CL_MEM_READ_ONLY, n * n)?;
    let mut db = alloc::<T>(gpu, CL_MEM_READ_ONLY, n * n)?;
    let dc = alloc::<T>(gpu, CL_MEM_READ_WRITE, n * n)?;
    let host = filled::<T>(n * n);
    let queue = gpu.queue();
    // SAFETY: buffers of n * n elements, host data of the same size.
    unsafe {
        upload(&queue, &mut da, host.as_ptr(), (n, n, n), n)?;
        upload(&queue, &mut db, host.as_ptr(), (n, n, n), n)?;
    }
    let seconds = best(3, || {
        // SAFETY: as above.
        unsafe {
            kernel.enqueue(
                &queue,
                (Trans::No, Trans::No),
                (n, n, n),
                T::one(),
                (&da, n),
                (&db, n),
                T::zero(),
                (&dc, n),
            )?;
        }
        Ok(queue.finish()?)
    })?;
    let flops_per_product = if T::IS_COMPLEX { 8.0 } else { 2.0 };
    Ok(flops_per_product * (n as f64).powi(3) / seconds)
}

/// Measures `gpu` (a GPU with large operands, a CPU device such as PoCL with small ones);
/// `open_s` is what opening it costs a process ([`first_call`], timed in a fresh one).
pub fn device(gpu: &Gpu, open_s: f64) -> Result<DeviceCalibration> {
    let large = gpu.info.is_gpu;
    let n = if large { 2048 } else { 256 };
    let flops_f64 = if gpu.info.fp64 {
        kernel_gemm::<f64>(gpu, n)?
    } else {
        0.0
    };
    let flops_f32 = kernel_gemm::<f32>(gpu, n)?;
    let flops_c64 = if gpu.info.fp64 {
        kernel_gemm::<c64>(gpu, n)?
    } else {
        0.0
    };
    let flops_c32 = kernel_gemm::<c32>(gpu, n)?;
    // Launch latency: a 1x1x1 kernel on resident buffers, enqueue to finish.
    let launch_s = {
        let kernel = GemmKernel::new::<f32>(gpu)?;
        let bufs: Vec<_> = (0..3)
            .map(|_| alloc::<f32>(gpu, CL_MEM_READ_WRITE, 1))
            .collect::<Result<_>>()?;
        let queue = gpu.queue();
        median(21, || {
            // SAFETY: 1-element buffers for a 1x1x1 product.
            unsafe {
                kernel.enqueue(
                    &queue,
                    (Trans::No, Trans::No),
                    (1, 1, 1),
                    1.0f32,
                    (&bufs[0], 1),
                    (&bufs[1], 1),
                    0.0,
                    (&bufs[2], 1),
                )?;
            }
            Ok(queue.finish()?)
        })?
    };
    // Whole offloaded calls from the smallest size the router weighs up to well past the
    // break-even with the CPU: time minus kernel = fixed + bytes / link. The per-byte cost
    // is fitted to the smallest and the largest; the fixed cost is the largest any size
    // needs, so that the model prices no measured call below what it took. A line through
    // two sizes alone (512 and 2048) priced n = 768 at 1.30 ms where it took 2.37 on an
    // H100 machine, and auto took 1.19x the CPU's time there (BENCHMARKS.md, "GPU: DGEMM
    // under the power cap; the router at the break-even"); pricing the device too high near
    // the break-even costs little, since both sides are near equal there.
    let sizes: &[usize] = if large {
        &[512, 768, 1024, 2048]
    } else {
        &[64, 128, 256]
    };
    let double = gpu.info.fp64;
    let kernel_rate = if double { flops_f64 } else { flops_f32 };
    let cost = |n: usize| -> Result<(f64, f64)> {
        let seconds = if double {
            end_to_end::<f64>(gpu, n)?
        } else {
            end_to_end::<f32>(gpu, n)?
        };
        let size = if double { 8.0 } else { 4.0 };
        let flops = 2.0 * (n as f64).powi(3);
        // The router's count: op(A), op(B), C in and C out.
        let bytes = 4.0 * (n * n) as f64 * size;
        Ok((bytes, seconds - flops / kernel_rate))
    };
    let calls = sizes.iter().map(|&n| cost(n)).collect::<Result<Vec<_>>>()?;
    let ((b1, t1), (b2, t2)) = (calls[0], calls[calls.len() - 1]);
    let fitted_link = (b2 - b1) / (t2 - t1);
    let (link_bytes_per_s, overhead_s) = if fitted_link.is_finite() && fitted_link > 0.0 {
        let fixed = calls
            .iter()
            .map(|&(b, t)| t - b / fitted_link)
            .fold(launch_s, f64::max);
        (fitted_link, fixed)
    } else {
        // Noise made the larger call look cheaper: fall back to the parts measured alone.
        (
            staged_copy_rate(gpu, if large { 2048 } else { 1024 })?,
            t1.max(launch_s),
        )
    };
    Ok(DeviceCalibration {
        name: gpu.info.name.clone(),
        flops_f64,
        flops_f32,
        flops_c64,
        flops_c32,
        link_bytes_per_s,
        launch_s,
        overhead_s,
        open_s,
    })
}

/// A process's first offloaded call: opening the device (the OpenCL runtime, the
/// context), the kernel from the disk cache and its check, the staging buffers, and a 64
/// x 64 x 64 DGEMM (or SGEMM) from host memory. `lapack-ai calibrate` times a fresh
/// process doing this, to its exit (the driver's teardown included).
pub fn first_call() -> Result<()> {
    fn once<T: Scalar>(gpu: &Gpu, n: usize) -> Result<()> {
        let (a, b, mut c) = (filled::<T>(n * n), filled::<T>(n * n), filled::<T>(n * n));
        offloaded_product(gpu, n, &a, &b, &mut c)
    }
    let gpu = crate::gpu::device()?;
    if gpu.info.fp64 {
        once::<f64>(gpu, 64)
    } else {
        once::<f32>(gpu, 64)
    }
}

/// C := A B + C / 2 through `gpu` from host memory (`gemm::run`), n x n operands; beta =
/// 1/2, so that C goes in and out as the router's count has it.
fn offloaded_product<T: Scalar>(gpu: &Gpu, n: usize, a: &[T], b: &[T], c: &mut [T]) -> Result<()> {
    assert!(a.len() >= n * n && b.len() >= n * n && c.len() >= n * n);
    // SAFETY: three n x n column-major matrices with leading dimension n (checked above).
    unsafe {
        crate::gpu::gemm::run(
            gpu,
            Trans::No,
            Trans::No,
            (n, n, n),
            T::one(),
            (a.as_ptr(), n),
            (b.as_ptr(), n),
            T::from_f64_lossy(0.5),
            (c.as_mut_ptr(), n),
        )
    }
}

/// Seconds per call of n x n x n GEMMs through `gpu` from host memory (`gemm::run`), in
/// loops. beta = 1/2, so that C goes in and out as the router's count has it: with beta = 0
/// C is not uploaded, and the fit missed that copy (a quarter of the bytes) in every call
/// it priced.
fn end_to_end<T: Scalar>(gpu: &Gpu, n: usize) -> Result<f64> {
    let (a, b) = (filled::<T>(n * n), filled::<T>(n * n));
    let mut c = filled::<T>(n * n);
    per_call(5, 0.03, || offloaded_product(gpu, n, &a, &b, &mut c))
}

/// Host <-> device copies of a side x side matrix of doubles, the way an offloaded call
/// moves its operands (through the pinned staging buffers where the device has them),
/// bytes/s of the slower direction.
fn staged_copy_rate(gpu: &Gpu, side: usize) -> Result<f64> {
    let host = filled::<f64>(side * side);
    let mut back = vec![0.0f64; side * side];
    let mut buf = alloc::<f64>(gpu, CL_MEM_READ_WRITE, side * side)?;
    let queue = gpu.queue();
    let staging = gpu.staging(&queue);
    let block = |ptr: *const f64| HostBlock {
        ptr: ptr as *mut f64,
        rows: side,
        cols: side,
        ld: side,
    };
    let dev = DeviceShape {
        ld: side,
        cols: side,
    };
    // SAFETY: side * side elements on both sides.
    let up = best(3, || unsafe {
        put(staging, &queue, &mut buf, block(host.as_ptr()), dev, false)?;
        Ok(queue.finish()?)
    })?;
    let down = best(3, || unsafe {
        get(staging, &queue, &buf, block(back.as_mut_ptr()), dev)?;
        Ok(queue.finish()?)
    })?;
    Ok((side * side * 8) as f64 / up.max(down))
}
