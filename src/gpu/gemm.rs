//! GEMM on the device: copy the caller's column-major operands (any leading dimension)
//! into packed device buffers, run `kernels/gemm.cl`, copy C back.
//!
//! This first version copies synchronously from pageable caller memory. Next step: stage
//! through pinned buffers (`CL_MEM_ALLOC_HOST_PTR`) in panels and overlap the copies with
//! the kernel on a second queue, keep device buffers between calls.

use super::runtime::Gpu;
use super::tuning::{gemm_params, Precision};
use super::{fault, GpuError, Result};
use crate::blas::args::Trans;
use crate::scalar::Scalar;
use opencl3::command_queue::CommandQueue;
use opencl3::kernel::Kernel;
use opencl3::memory::{Buffer, ClMem, CL_MEM_READ_ONLY, CL_MEM_READ_WRITE};
use opencl3::types::{cl_int, CL_BLOCKING};
use std::ffi::c_void;
use std::ptr;

/// The kernel precision of scalar `T`.
pub fn precision<T: Scalar>() -> Precision {
    match (std::mem::size_of::<T>(), T::IS_COMPLEX) {
        (4, false) => Precision::S,
        (8, false) => Precision::D,
        (8, true) => Precision::C,
        _ => Precision::Z,
    }
}

fn int(v: usize, what: &str) -> Result<cl_int> {
    cl_int::try_from(v).map_err(|_| GpuError(format!("{what}={v} exceeds the kernel's int range")))
}

/// A device buffer of `len.max(1)` elements (OpenCL rejects empty buffers).
pub fn alloc<T>(gpu: &Gpu, flags: u64, len: usize) -> Result<Buffer<T>> {
    fault::check("alloc")?;
    Ok(unsafe { Buffer::<T>::create(gpu.context(), flags, len.max(1), ptr::null_mut())? })
}

/// Copies the `rows x cols` block at `src` (leading dimension `ld`) into `buf`, packed.
///
/// # Safety
/// `src` valid for the block.
pub unsafe fn upload<T>(
    queue: &CommandQueue,
    buf: &mut Buffer<T>,
    src: *const T,
    (rows, cols, ld): (usize, usize, usize),
) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Ok(());
    }
    let sz = std::mem::size_of::<T>();
    if ld == rows {
        let data = std::slice::from_raw_parts(src, rows * cols);
        queue.enqueue_write_buffer(buf, CL_BLOCKING, 0, data, &[])?;
    } else {
        let origin = [0usize; 3];
        let region = [rows * sz, cols, 1];
        queue.enqueue_write_buffer_rect(
            buf,
            CL_BLOCKING,
            origin.as_ptr(),
            origin.as_ptr(),
            region.as_ptr(),
            rows * sz,
            0,
            ld * sz,
            0,
            src as *mut c_void,
            &[],
        )?;
    }
    Ok(())
}

/// Copies packed `buf` back into the `rows x cols` block at `dst` (leading dimension `ld`).
///
/// # Safety
/// `dst` valid for the block.
pub unsafe fn download<T>(
    queue: &CommandQueue,
    buf: &Buffer<T>,
    dst: *mut T,
    (rows, cols, ld): (usize, usize, usize),
) -> Result<()> {
    let sz = std::mem::size_of::<T>();
    if ld == rows {
        queue.enqueue_read_buffer(
            buf,
            CL_BLOCKING,
            0,
            std::slice::from_raw_parts_mut(dst, rows * cols),
            &[],
        )?;
    } else {
        let origin = [0usize; 3];
        let region = [rows * sz, cols, 1];
        queue.enqueue_read_buffer_rect(
            buf,
            CL_BLOCKING,
            origin.as_ptr(),
            origin.as_ptr(),
            region.as_ptr(),
            rows * sz,
            0,
            ld * sz,
            0,
            dst as *mut c_void,
            &[],
        )?;
    }
    Ok(())
}

/// A GEMM kernel built for one device and precision, ready to enqueue on device buffers.
pub struct GemmKernel {
    kernel: Kernel,
    local: [usize; 2],
    tile: [usize; 2],
}

impl GemmKernel {
    pub fn new<T: Scalar>(gpu: &Gpu) -> Result<GemmKernel> {
        let p = precision::<T>();
        if p.is_double() && !gpu.info.fp64 {
            return Err(GpuError(format!("{} has no fp64", gpu.info.name)));
        }
        let params = gemm_params(&gpu.info, p);
        let program = gpu
            .programs
            .get(&gpu.info, gpu.context(), p, "gemm", &params.defines())?;
        Ok(GemmKernel {
            kernel: Kernel::create(&program, "xgemm")?,
            local: [params.mdimc, params.ndimc],
            tile: [params.mwg, params.nwg],
        })
    }

    /// Enqueues C := alpha op(A) op(B) + beta C on packed-or-strided device buffers.
    /// `beta == 0` writes C without reading it. `k == 0` gives C := beta C.
    ///
    /// # Safety
    /// Buffers large enough for the shapes and leading dimensions.
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn enqueue<T: Scalar>(
        &self,
        queue: &CommandQueue,
        (transa, transb): (Trans, Trans),
        (m, n, k): (usize, usize, usize),
        alpha: T,
        (a, lda): (&Buffer<T>, usize),
        (b, ldb): (&Buffer<T>, usize),
        beta: T,
        (c, ldc): (&Buffer<T>, usize),
    ) -> Result<()> {
        fault::check("enqueue")?;
        let kr = &self.kernel;
        let flag = |t: bool| t as cl_int;
        kr.set_arg(0, &int(m, "m")?)?;
        kr.set_arg(1, &int(n, "n")?)?;
        kr.set_arg(2, &int(k, "k")?)?;
        kr.set_arg(3, &alpha)?;
        kr.set_arg(4, &beta)?;
        kr.set_arg(5, &flag(beta.is_zero()))?;
        kr.set_arg(6, &flag(transa.is_transposed()))?;
        kr.set_arg(7, &flag(transa == Trans::ConjTrans && T::IS_COMPLEX))?;
        kr.set_arg(8, &flag(transb.is_transposed()))?;
        kr.set_arg(9, &flag(transb == Trans::ConjTrans && T::IS_COMPLEX))?;
        kr.set_arg(10, &a.get())?;
        kr.set_arg(11, &int(lda, "lda")?)?;
        kr.set_arg(12, &b.get())?;
        kr.set_arg(13, &int(ldb, "ldb")?)?;
        kr.set_arg(14, &c.get())?;
        kr.set_arg(15, &int(ldc, "ldc")?)?;
        let global = [
            m.div_ceil(self.tile[0]) * self.local[0],
            n.div_ceil(self.tile[1]) * self.local[1],
        ];
        queue.enqueue_nd_range_kernel(
            kr.get(),
            2,
            ptr::null(),
            global.as_ptr(),
            self.local.as_ptr(),
            &[],
        )?;
        Ok(())
    }
}

/// C := alpha op(A) op(B) + beta C on `gpu`, operands in caller memory. Any error leaves
/// C untouched (C is only written by the final copy back), so the caller can rerun the
/// call on the CPU.
///
/// # Safety
/// As for `crate::blas::level3::gemm`.
#[allow(clippy::too_many_arguments)]
pub unsafe fn run<T: Scalar>(
    gpu: &Gpu,
    transa: Trans,
    transb: Trans,
    (m, n, k): (usize, usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*const T, usize),
    beta: T,
    (c, ldc): (*mut T, usize),
) -> Result<()> {
    if m == 0 || n == 0 {
        return Ok(());
    }
    // alpha == 0: A and B are not referenced (BLAS), the kernel runs with k = 0.
    let k = if alpha.is_zero() { 0 } else { k };
    let kernel = GemmKernel::new::<T>(gpu)?;
    let (a_rows, a_cols) = transa.stored_shape(m, k);
    let (b_rows, b_cols) = transb.stored_shape(k, n);
    let queue = gpu.queue();
    let mut da = alloc::<T>(gpu, CL_MEM_READ_ONLY, a_rows * a_cols)?;
    let mut db = alloc::<T>(gpu, CL_MEM_READ_ONLY, b_rows * b_cols)?;
    let mut dc = alloc::<T>(gpu, CL_MEM_READ_WRITE, m * n)?;
    let elements = a_rows * a_cols + b_rows * b_cols + m * n;
    let _held = super::memory::hold((elements * std::mem::size_of::<T>()) as u64);
    upload(&queue, &mut da, a, (a_rows, a_cols, lda))?;
    upload(&queue, &mut db, b, (b_rows, b_cols, ldb))?;
    if !beta.is_zero() {
        upload(&queue, &mut dc, c, (m, n, ldc))?;
    }
    kernel.enqueue(
        &queue,
        (transa, transb),
        (m, n, k),
        alpha,
        (&da, a_rows.max(1)),
        (&db, b_rows.max(1)),
        beta,
        (&dc, m),
    )?;
    download(&queue, &dc, c, (m, n, ldc))?;
    queue.finish()?;
    Ok(())
}
