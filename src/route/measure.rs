//! The measurements of `lapack-ai calibrate`: the CPU's GEMM rate, and on an OpenCL
//! device its copy rate, kernel rate, launch latency and the fixed cost of one call.
//! Each figure is the best (rates) or the median (latencies) of a few repetitions.

use super::backend::set_override;
use super::calibration::DeviceCalibration;
use crate::blas::args::Trans;
use crate::config::Backend;
use crate::gpu::gemm::{alloc, download, upload, GemmKernel};
use crate::gpu::{Gpu, Result};
use crate::scalar::Scalar;
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

/// The CPU's n x n GEMM rate with every thread a call may use, flop/s.
pub fn cpu_gemm<T: Scalar>(n: usize) -> f64 {
    let (a, b) = (filled::<T>(n * n), filled::<T>(n * n));
    let mut c = vec![T::zero(); n * n];
    let previous = set_override(Some(Backend::Cpu));
    let seconds = best(3, || {
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

/// Our GEMM kernel's n x n rate on `gpu`, operands already on the device, flop/s.
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
    Ok(2.0 * (n as f64).powi(3) / seconds)
}

/// Measures `gpu` (a GPU with large operands, a CPU device such as PoCL with small ones).
pub fn device(gpu: &Gpu) -> Result<DeviceCalibration> {
    let large = gpu.info.is_gpu;
    let (len, n) = if large {
        (4 << 20, 2048)
    } else {
        (1 << 20, 256)
    };
    // Copies: `len` doubles each way from pageable memory, the slower direction counts.
    let link_bytes_per_s = {
        let host = filled::<f64>(len);
        let mut back = vec![0.0f64; len];
        let mut buf = alloc::<f64>(gpu, CL_MEM_READ_WRITE, len)?;
        let queue = gpu.queue();
        // SAFETY: `len` elements on both sides.
        let up = best(3, || unsafe {
            upload(&queue, &mut buf, host.as_ptr(), (len, 1, len), len)
        })?;
        let down = best(3, || unsafe {
            download(&queue, &buf, len, back.as_mut_ptr(), (len, 1, len))
        })?;
        (len * 8) as f64 / up.max(down)
    };
    let flops_f64 = if gpu.info.fp64 {
        kernel_gemm::<f64>(gpu, n)?
    } else {
        0.0
    };
    let flops_f32 = kernel_gemm::<f32>(gpu, n)?;
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
    // The fixed cost of a whole offloaded call: buffers, copies, launch, copy back.
    let overhead_s = {
        let (a, b, mut c) = ([1.0f32], [1.0f32], [0.0f32]);
        median(11, || unsafe {
            crate::gpu::gemm::run(
                gpu,
                Trans::No,
                Trans::No,
                (1, 1, 1),
                1.0,
                (a.as_ptr(), 1),
                (b.as_ptr(), 1),
                0.0,
                (c.as_mut_ptr(), 1),
            )
        })?
    };
    Ok(DeviceCalibration {
        name: gpu.info.name.clone(),
        flops_f64,
        flops_f32,
        link_bytes_per_s,
        launch_s,
        overhead_s,
    })
}
