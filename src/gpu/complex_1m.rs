//! Complex GEMM on the device as one real GEMM of twice the rows and depth: the 1m method
//! (Van Zee and Smith). C, read as reals, is a 2m x n real matrix; op(B) read as reals is
//! 2k x n; alpha op(A) is expanded (`kernels/gemm_1m.cl`) into the 2m x 2k real matrix
//! whose 2x2 block (i, l) is [[re a, -im a], [im a, re a]]. The real product then has the
//! complex flop count and runs on the base precision's fastest kernel: ZGEMM on the
//! tensor-core DGEMM (`kernels/gemm_mma.cl`), where the portable complex kernel reaches a
//! sixth of cuBLAS (BENCHMARKS.md, "GPU: ZGEMM through the tensor-core DGEMM (1m)").
//!
//! The expansion is O(mk) memory traffic next to O(mnk) flops; its buffer (4mk reals, and
//! 2kn for op(B) when B is transposed or conjugated) is kept by the kernel object between
//! launches, so blocked callers expand into the same memory.

use super::depth_split::{self, Product};
use super::gemm::int;
use super::tuning::Precision;
use super::{fault, GpuError, Result};
use crate::blas::args::Trans;
use crate::scalar::Scalar;
use opencl3::command_queue::CommandQueue;
use opencl3::kernel::Kernel;
use opencl3::memory::{Buffer, ClMem, CL_MEM_READ_WRITE};
use opencl3::types::{cl_int, cl_mem, cl_ulong};
use parking_lot::Mutex;
use std::ptr;

/// Side of the work-group tile of `pack_1m` (its `PACK_TILE`).
const PACK_TILE: usize = 16;

/// Whether complex GEMM at precision `p` runs by the 1m method, given the variant of the
/// real kernel of its base precision: `LAPACK_AI_GPU_1M` decides when set; else ZGEMM
/// where the real kernel is the tensor-core one (there 1m runs 5x the portable complex
/// kernel). CGEMM stays on the portable complex kernel: the real f32 kernel is the same
/// portable FMA kernel, so 1m buys nothing there (measured in BENCHMARKS.md).
pub fn chosen(p: Precision, real_on_tensor_cores: bool) -> bool {
    match crate::config::get().gpu_1m {
        Some(on) => on && p.is_complex(),
        None => p == Precision::Z && real_on_tensor_cores,
    }
}

/// A device buffer of operands in a real GEMM's view: (memory, offset in real elements,
/// leading dimension in real elements).
pub type RealView = (cl_mem, usize, usize);

/// The packing kernels of one complex precision and the expansion buffer.
pub struct OneM {
    pack: Kernel,
    scale: Kernel,
    scratch: Mutex<Option<Scratch>>,
}

struct Scratch {
    buf: Buffer<u8>,
    bytes: usize,
    _held: super::memory::Held,
}

impl OneM {
    pub fn new(gpu: &super::Gpu, p: Precision) -> Result<OneM> {
        let program = gpu
            .programs
            .get(&gpu.info, gpu.context(), p, "gemm_1m", "", "")?;
        Ok(OneM {
            pack: Kernel::create(&program, "pack_1m")?,
            scale: Kernel::create(&program, "scale_1m")?,
            scratch: Mutex::new(None),
        })
    }

    /// The expansion buffer, at least `bytes` long (grown, never shrunk).
    fn scratch(&self, queue: &CommandQueue, bytes: usize) -> Result<cl_mem> {
        let mut s = self.scratch.lock();
        if s.as_ref().is_none_or(|s| s.bytes < bytes) {
            fault::check("alloc")?;
            // Dropping the old buffer is safe with launches in flight: OpenCL frees it
            // once the commands using it have finished.
            *s = None;
            let mem = unsafe {
                opencl3::memory::create_buffer(
                    queue.context()?,
                    CL_MEM_READ_WRITE,
                    bytes.max(1),
                    ptr::null_mut(),
                )
            }
            .map_err(|e| GpuError(format!("OpenCL error {e} allocating {bytes} bytes")))?;
            *s = Some(Scratch {
                buf: Buffer::new(mem),
                bytes,
                _held: super::memory::hold(bytes as u64),
            });
        }
        Ok(s.as_ref().map(|s| s.buf.get()).unwrap_or(ptr::null_mut()))
    }

    /// Enqueues C := alpha op(A) op(B) + beta C on complex device buffers as the real
    /// product: `real_gemm(dims, A~, B~, beta, C~)` must enqueue real C~ := A~ B~ +
    /// beta C~ on those views (on `queue`: in order, so the next call's expansion waits
    /// for this product before it overwrites the shared buffer). Operands are (buffer, element offset, leading
    /// dimension) in complex elements; m, n, k already padded for the real kernel (2m, n,
    /// 2k multiples of its tiles), op(A)'s and op(B)'s padding zero; `real_k_granule` the
    /// real kernel's K tile (the real depth of every launch stays a multiple of it).
    ///
    /// # Safety
    /// Buffers large enough for the offsets, shapes and leading dimensions.
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn enqueue<T: Scalar>(
        &self,
        queue: &CommandQueue,
        (transa, transb): (Trans, Trans),
        (m, n, k): (usize, usize, usize),
        alpha: T,
        (a, a_off, lda): (cl_mem, usize, usize),
        (b, b_off, ldb): (cl_mem, usize, usize),
        beta: T,
        (c, c_off, ldc): (cl_mem, usize, usize),
        real_k_granule: usize,
        mut real_gemm: impl FnMut(
            (usize, usize, usize),
            RealView,
            RealView,
            T::RealPart,
            RealView,
        ) -> Result<()>,
    ) -> Result<()> {
        if m == 0 || n == 0 {
            return Ok(());
        }
        let real_beta_only = beta.im() == <T::RealPart as Scalar>::zero();
        if k == 0 || alpha.is_zero() || !real_beta_only {
            // C := beta C here; the real product (if any) then adds with beta = 1.
            self.scale(queue, (m, n), beta, (c, c_off, ldc))?;
            if k == 0 || alpha.is_zero() {
                return Ok(());
            }
        }
        let real_beta = if real_beta_only {
            beta.re()
        } else {
            <T::RealPart as Scalar>::one()
        };
        let size = std::mem::size_of::<T>();
        let a_bytes = 2 * m * k * size; // 2m x 2k reals
        let b_bytes = if transb == Trans::No { 0 } else { k * n * size };
        let scratch = self.scratch(queue, a_bytes + b_bytes)?;
        self.pack(
            queue,
            transa,
            (m, k),
            alpha,
            true,
            (a, a_off, lda),
            (scratch, 0, m),
        )?;
        let b_view = if transb == Trans::No {
            (b, 2 * b_off, 2 * ldb)
        } else {
            let b_at = a_bytes / size; // in complex elements
            self.pack(
                queue,
                transb,
                (k, n),
                T::one(),
                false,
                (b, b_off, ldb),
                (scratch, b_at, k),
            )?;
            (scratch, 2 * b_at, 2 * k)
        };
        // The real depth in launches accumulating into C (see depth_split).
        let (b_mem, b_at, b_ld) = b_view;
        let chunk = depth_split::chunk(Product::OneM);
        depth_split::for_each_chunk(2 * k, chunk, real_k_granule, |k0, kc, first| {
            let beta = if first {
                real_beta
            } else {
                <T::RealPart as Scalar>::one()
            };
            real_gemm(
                (2 * m, n, kc),
                (scratch, k0 * 2 * m, 2 * m),
                (b_mem, b_at + k0, b_ld),
                beta,
                (c, 2 * c_off, 2 * ldc),
            )
        })
    }

    /// dst := scale op(src), rows x cols (op's shape), or with `expand` its 1m expansion.
    #[allow(clippy::too_many_arguments)]
    unsafe fn pack<T: Scalar>(
        &self,
        queue: &CommandQueue,
        trans: Trans,
        (rows, cols): (usize, usize),
        scale: T,
        expand: bool,
        (src, off, ld): (cl_mem, usize, usize),
        (dst, dst_off, ldd): (cl_mem, usize, usize),
    ) -> Result<()> {
        fault::check("enqueue")?;
        let kr = &self.pack;
        let flag = |t: bool| t as cl_int;
        kr.set_arg(0, &int(rows, "rows")?)?;
        kr.set_arg(1, &int(cols, "cols")?)?;
        kr.set_arg(2, &scale)?;
        kr.set_arg(3, &flag(trans.is_transposed()))?;
        kr.set_arg(4, &flag(trans == Trans::ConjTrans))?;
        kr.set_arg(5, &flag(expand))?;
        kr.set_arg(6, &src)?;
        kr.set_arg(7, &int(ld, "ld")?)?;
        kr.set_arg(8, &(off as cl_ulong))?;
        kr.set_arg(9, &dst)?;
        kr.set_arg(10, &int(ldd, "ldd")?)?;
        kr.set_arg(11, &(dst_off as cl_ulong))?;
        let local = [PACK_TILE, PACK_TILE];
        let global = [
            rows.next_multiple_of(PACK_TILE),
            cols.next_multiple_of(PACK_TILE),
        ];
        queue.enqueue_nd_range_kernel(
            kr.get(),
            2,
            ptr::null(),
            global.as_ptr(),
            local.as_ptr(),
            &[],
        )?;
        Ok(())
    }

    /// C := beta C on rows x cols; beta == 0 writes zero without reading C.
    unsafe fn scale<T: Scalar>(
        &self,
        queue: &CommandQueue,
        (rows, cols): (usize, usize),
        beta: T,
        (c, off, ldc): (cl_mem, usize, usize),
    ) -> Result<()> {
        fault::check("enqueue")?;
        let kr = &self.scale;
        kr.set_arg(0, &int(rows, "rows")?)?;
        kr.set_arg(1, &int(cols, "cols")?)?;
        kr.set_arg(2, &beta)?;
        kr.set_arg(3, &(beta.is_zero() as cl_int))?;
        kr.set_arg(4, &c)?;
        kr.set_arg(5, &int(ldc, "ldc")?)?;
        kr.set_arg(6, &(off as cl_ulong))?;
        let global = [rows, cols];
        queue.enqueue_nd_range_kernel(
            kr.get(),
            2,
            ptr::null(),
            global.as_ptr(),
            ptr::null(),
            &[],
        )?;
        Ok(())
    }
}
