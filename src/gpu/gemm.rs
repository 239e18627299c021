//! GEMM on the device: copy the caller's column-major operands (any leading dimension)
//! into packed device buffers, run `kernels/gemm.cl`, copy C back.
//!
//! On NVIDIA sm_90 devices DGEMM runs on the tensor cores (`kernels/gemm_mma.cl`), which
//! needs the operands padded to its tiles; the copies write into zero-filled padded
//! buffers then. ZGEMM runs there too, as one real GEMM ([`super::complex_1m`]). This version copies synchronously from pageable caller memory. Next step: stage
//! through pinned buffers (`CL_MEM_ALLOC_HOST_PTR`) in panels and overlap the copies with
//! the kernel on a second queue, keep device buffers between calls.

use super::complex_1m::{self, OneM};
use super::depth_split::{self, Product};
use super::output_split;
use super::runtime::Gpu;
use super::staging::{self, DeviceShape, HostBlock, Staging};
use super::tuning::{gemm_params, mma_params, GemmParams, MmaParams, Precision};
use super::{fault, GpuError, Result};
use crate::blas::args::Trans;
use crate::scalar::Scalar;
use opencl3::command_queue::CommandQueue;
use opencl3::kernel::Kernel;
use opencl3::memory::{Buffer, ClMem, CL_MEM_READ_ONLY, CL_MEM_READ_WRITE};
use opencl3::types::{cl_int, cl_mem, cl_ulong, CL_BLOCKING};
use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The kernel precision of scalar `T`.
pub fn precision<T: Scalar>() -> Precision {
    match (std::mem::size_of::<T>(), T::IS_COMPLEX) {
        (4, false) => Precision::S,
        (8, false) => Precision::D,
        (8, true) => Precision::C,
        _ => Precision::Z,
    }
}

/// `v` as a kernel's int argument, or an error naming it.
pub(super) fn int(v: usize, what: &str) -> Result<cl_int> {
    cl_int::try_from(v).map_err(|_| GpuError(format!("{what}={v} exceeds the kernel's int range")))
}

/// A device buffer of `len.max(1)` elements (OpenCL rejects empty buffers).
pub fn alloc<T>(gpu: &Gpu, flags: u64, len: usize) -> Result<Buffer<T>> {
    fault::check("alloc")?;
    Ok(unsafe { Buffer::<T>::create(gpu.context(), flags, len.max(1), ptr::null_mut())? })
}

/// Copies the `rows x cols` block at `src` (leading dimension `ld`) into `buf`, whose
/// leading dimension is `buf_ld` (>= rows; `rows` packs it).
///
/// # Safety
/// `src` valid for the block; `buf` holds `buf_ld * cols` elements.
pub unsafe fn upload<T>(
    queue: &CommandQueue,
    buf: &mut Buffer<T>,
    src: *const T,
    block: (usize, usize, usize),
    buf_ld: usize,
) -> Result<()> {
    upload_at(queue, buf, 0, src, block, buf_ld)
}

/// [`upload`] into the block of `buf` that starts `buf_off` elements in.
///
/// # Safety
/// `src` valid for the block; `buf` holds `buf_off + buf_ld * cols` elements.
pub unsafe fn upload_at<T>(
    queue: &CommandQueue,
    buf: &mut Buffer<T>,
    buf_off: usize,
    src: *const T,
    (rows, cols, ld): (usize, usize, usize),
    buf_ld: usize,
) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Ok(());
    }
    let sz = std::mem::size_of::<T>();
    if ld == rows && buf_ld == rows {
        let data = std::slice::from_raw_parts(src, rows * cols);
        queue.enqueue_write_buffer(buf, CL_BLOCKING, buf_off * sz, data, &[])?;
    } else {
        let buf_origin = [buf_off * sz, 0, 0];
        let origin = [0usize; 3];
        let region = [rows * sz, cols, 1];
        queue.enqueue_write_buffer_rect(
            buf,
            CL_BLOCKING,
            buf_origin.as_ptr(),
            origin.as_ptr(),
            region.as_ptr(),
            buf_ld * sz,
            0,
            ld * sz,
            0,
            src as *mut c_void,
            &[],
        )?;
    }
    Ok(())
}

/// Copies the `rows x cols` block of `buf` (leading dimension `buf_ld`) back into `dst`
/// (leading dimension `ld`).
///
/// # Safety
/// `dst` valid for the block.
pub unsafe fn download<T>(
    queue: &CommandQueue,
    buf: &Buffer<T>,
    buf_ld: usize,
    dst: *mut T,
    block: (usize, usize, usize),
) -> Result<()> {
    download_at(queue, buf, 0, buf_ld, dst, block)
}

/// [`download`] of the block of `buf` that starts `buf_off` elements in.
///
/// # Safety
/// `dst` valid for the block; `buf` holds `buf_off + buf_ld * cols` elements.
pub unsafe fn download_at<T>(
    queue: &CommandQueue,
    buf: &Buffer<T>,
    buf_off: usize,
    buf_ld: usize,
    dst: *mut T,
    (rows, cols, ld): (usize, usize, usize),
) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Ok(());
    }
    let sz = std::mem::size_of::<T>();
    if ld == rows && buf_ld == rows {
        queue.enqueue_read_buffer(
            buf,
            CL_BLOCKING,
            buf_off * sz,
            std::slice::from_raw_parts_mut(dst, rows * cols),
            &[],
        )?;
    } else {
        let buf_origin = [buf_off * sz, 0, 0];
        let origin = [0usize; 3];
        let region = [rows * sz, cols, 1];
        queue.enqueue_read_buffer_rect(
            buf,
            CL_BLOCKING,
            buf_origin.as_ptr(),
            origin.as_ptr(),
            region.as_ptr(),
            buf_ld * sz,
            0,
            ld * sz,
            0,
            dst as *mut c_void,
            &[],
        )?;
    }
    Ok(())
}

/// Tests only: makes the portable kernel ask for shapes padded to this multiple, so that
/// the padded path the tensor-core kernel needs runs (and is checked) on any device.
#[doc(hidden)]
pub static PORTABLE_PAD_FOR_TESTS: AtomicUsize = AtomicUsize::new(1);

/// Which kernel a [`GemmKernel`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `kernels/gemm.cl`: every precision and device, any shape.
    Portable(GemmParams),
    /// `kernels/gemm_mma.cl`: DGEMM on NVIDIA tensor cores, shapes padded to its tiles.
    TensorCore(MmaParams),
}

/// A GEMM kernel built for one device and precision, ready to enqueue on device buffers.
pub struct GemmKernel {
    kernel: Kernel,
    /// The kernel `kernel` runs; with `one_m`, the real kernel of the base precision.
    pub variant: Variant,
    /// Complex GEMM as one real GEMM on `kernel` (the 1m method, [`super::complex_1m`]).
    one_m: Option<OneM>,
}

impl GemmKernel {
    /// The fastest kernel that builds and passes its self-check on `gpu` for `T`.
    pub fn new<T: Scalar>(gpu: &Gpu) -> Result<GemmKernel> {
        let p = precision::<T>();
        if p.is_double() && !gpu.info.fp64 {
            return Err(GpuError(format!("{} has no fp64", gpu.info.name)));
        }
        if p == Precision::D {
            if let Some(tiles) = mma_params(&gpu.info) {
                if let Ok(k) = Self::with_variant::<T>(gpu, Variant::TensorCore(tiles)) {
                    return Ok(k);
                }
            }
        }
        if p.is_complex() && complex_1m::chosen(p, mma_params(&gpu.info).is_some() && p.is_double())
        {
            if let Some(k) = Self::one_m::<T>(gpu)? {
                return Ok(k);
            }
        }
        Self::with_variant::<T>(gpu, Variant::Portable(gemm_params(&gpu.info, p)))
    }

    /// Complex GEMM by the 1m method on the base precision's real kernel, or None when
    /// that kernel is not the one the method was chosen for (the tensor-core kernel
    /// failed its build or self-check) or the packing kernels do not build.
    fn one_m<T: Scalar>(gpu: &Gpu) -> Result<Option<GemmKernel>> {
        let p = precision::<T>();
        let real = GemmKernel::new::<T::RealPart>(gpu)?;
        let on_tensor_cores = matches!(real.variant, Variant::TensorCore(_));
        if !complex_1m::chosen(p, on_tensor_cores) {
            return Ok(None);
        }
        Ok(OneM::new(gpu, p).ok().map(|one_m| GemmKernel {
            one_m: Some(one_m),
            ..real
        }))
    }

    /// True when this complex kernel runs as one real GEMM (the 1m method).
    pub fn is_one_m(&self) -> bool {
        self.one_m.is_some()
    }

    /// The kernel of `variant`, built (or taken from the cache). A tensor-core kernel
    /// must also reproduce a small product computed on the host once per process: a
    /// compiler or driver that mistranslates the inline PTX then costs speed, not results.
    pub fn with_variant<T: Scalar>(gpu: &Gpu, variant: Variant) -> Result<GemmKernel> {
        let p = precision::<T>();
        let (file, name, defines, options) = match variant {
            Variant::Portable(t) => ("gemm", "xgemm", t.defines(), String::new()),
            Variant::TensorCore(t) => ("gemm_mma", "dgemm_mma", t.defines(), t.build_options()),
        };
        let program = gpu
            .programs
            .get(&gpu.info, gpu.context(), p, file, &defines, &options)?;
        let kernel = GemmKernel {
            kernel: Kernel::create(&program, name)?,
            variant,
            one_m: None,
        };
        if let Variant::TensorCore(tiles) = variant {
            if !gpu.verified(&format!("{defines}{options}"), || {
                self_check(gpu, &kernel, tiles)
            }) {
                return Err(GpuError(format!("{file}.cl failed its self-check")));
            }
        }
        Ok(kernel)
    }

    /// The multiples every launch's M, N and K must be (of the real product under 1m).
    fn launch_granule(&self) -> [usize; 3] {
        match self.variant {
            Variant::Portable(_) => [PORTABLE_PAD_FOR_TESTS.load(Ordering::Relaxed).max(1); 3],
            Variant::TensorCore(t) => [t.bm, t.bn, t.bk],
        }
    }

    /// The multiples the kernel needs M, N and K padded to.
    pub fn granule(&self) -> [usize; 3] {
        let [gm, gn, gk] = self.launch_granule();
        if self.one_m.is_some() {
            // The real product is (2m, n, 2k): m and k need half the real granule.
            let half = |g: usize| if g.is_multiple_of(2) { g / 2 } else { g };
            [half(gm), gn, half(gk)]
        } else {
            [gm, gn, gk]
        }
    }

    /// Enqueues C := alpha op(A) op(B) + beta C on device buffers. `beta == 0` writes C
    /// without reading it. `k == 0` gives C := beta C. M, N, K must be multiples of
    /// [`Self::granule`], with op(A)'s and op(B)'s padding zero.
    ///
    /// # Safety
    /// Buffers large enough for the shapes and leading dimensions.
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn enqueue<T: Scalar>(
        &self,
        queue: &CommandQueue,
        trans: (Trans, Trans),
        dims: (usize, usize, usize),
        alpha: T,
        (a, lda): (&Buffer<T>, usize),
        (b, ldb): (&Buffer<T>, usize),
        beta: T,
        (c, ldc): (&Buffer<T>, usize),
    ) -> Result<()> {
        self.enqueue_at(
            queue,
            trans,
            dims,
            alpha,
            (a, 0, lda),
            (b, 0, ldb),
            beta,
            (c, 0, ldc),
        )
    }

    /// [`Self::enqueue`] on blocks of the buffers: each operand is (buffer, element
    /// offset of its first element, leading dimension), so that one upload serves
    /// launches on several of its sub-blocks.
    ///
    /// # Safety
    /// Buffers large enough for the offsets, shapes and leading dimensions.
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn enqueue_at<T: Scalar>(
        &self,
        queue: &CommandQueue,
        (transa, transb): (Trans, Trans),
        (m, n, k): (usize, usize, usize),
        alpha: T,
        (a, a_off, lda): (&Buffer<T>, usize, usize),
        (b, b_off, ldb): (&Buffer<T>, usize, usize),
        beta: T,
        (c, c_off, ldc): (&Buffer<T>, usize, usize),
    ) -> Result<()> {
        fault::check("enqueue")?;
        let [gm, gn, gk] = self.granule();
        if !(m.is_multiple_of(gm) && n.is_multiple_of(gn) && k.is_multiple_of(gk)) {
            return Err(GpuError(format!(
                "{m}x{n}x{k} is not padded to the kernel's {gm}x{gn}x{gk} tiles"
            )));
        }
        let (a, b, c) = (
            (a.get(), a_off, lda),
            (b.get(), b_off, ldb),
            (c.get(), c_off, ldc),
        );
        match &self.one_m {
            Some(one_m) => one_m.enqueue(
                queue,
                (transa, transb),
                (m, n, k),
                alpha,
                a,
                b,
                beta,
                c,
                self.launch_granule()[2],
                |dims, a, b, beta, c| {
                    let one = <T::RealPart as Scalar>::one();
                    let plain = (Trans::No, Trans::No);
                    self.launch(queue, plain, dims, one, a, b, beta, c)
                },
            ),
            None => {
                // Output blocks (see output_split), each block's depth in launches
                // accumulating into it (see depth_split): launch i of block (i0, j0)
                // reads op(A)'s rows i0.. and columns k0..k0 + kc, op(B)'s rows k0..k0 + kc
                // and columns j0...
                let product = match self.variant {
                    Variant::TensorCore(_) => Product::TensorCore,
                    Variant::Portable(_) => Product::Portable,
                };
                let (a, a_off, lda) = a;
                let (b, b_off, ldb) = b;
                let (c, c_off, ldc) = c;
                let at = |trans: Trans, ld: usize, row: usize, col: usize| {
                    if trans.is_transposed() {
                        col + row * ld
                    } else {
                        row + col * ld
                    }
                };
                let chunk = depth_split::chunk(product);
                let block = output_split::block();
                output_split::for_each_block((m, n), block, (gm, gn), |(i0, mb), (j0, nb)| {
                    let c = (c, c_off + i0 + j0 * ldc, ldc);
                    depth_split::for_each_chunk(k, chunk, gk, |k0, kc, first| {
                        let a = (a, a_off + at(transa, lda, i0, k0), lda);
                        let b = (b, b_off + at(transb, ldb, k0, j0), ldb);
                        let beta = if first { beta } else { T::one() };
                        let dims = (mb, nb, kc);
                        self.launch(queue, (transa, transb), dims, alpha, a, b, beta, c)
                    })
                })
            }
        }
    }

    /// Sets the kernel's arguments and enqueues it on (memory, offset, leading dimension)
    /// views of the operands, shapes already checked against the granule.
    #[allow(clippy::too_many_arguments)]
    unsafe fn launch<T: Scalar>(
        &self,
        queue: &CommandQueue,
        (transa, transb): (Trans, Trans),
        (m, n, k): (usize, usize, usize),
        alpha: T,
        (a, a_off, lda): (cl_mem, usize, usize),
        (b, b_off, ldb): (cl_mem, usize, usize),
        beta: T,
        (c, c_off, ldc): (cl_mem, usize, usize),
    ) -> Result<()> {
        let kr = &self.kernel;
        let mut next = 0u32;
        macro_rules! arg {
            ($value:expr) => {{
                kr.set_arg(next, $value)?;
                next += 1;
            }};
        }
        let portable = matches!(self.variant, Variant::Portable(_));
        let flag = |t: bool| t as cl_int;
        let conj = |t: Trans| flag(t == Trans::ConjTrans && T::IS_COMPLEX);
        arg!(&int(m, "m")?);
        arg!(&int(n, "n")?);
        arg!(&int(k, "k")?);
        arg!(&alpha);
        arg!(&beta);
        arg!(&flag(beta.is_zero()));
        arg!(&flag(transa.is_transposed()));
        if portable {
            arg!(&conj(transa));
        }
        arg!(&flag(transb.is_transposed()));
        if portable {
            arg!(&conj(transb));
        }
        arg!(&a);
        arg!(&int(lda, "lda")?);
        arg!(&b);
        arg!(&int(ldb, "ldb")?);
        arg!(&c);
        arg!(&int(ldc, "ldc")?);
        arg!(&(a_off as cl_ulong));
        arg!(&(b_off as cl_ulong));
        arg!(&(c_off as cl_ulong));
        debug_assert_eq!(next, if portable { 19 } else { 17 });
        let (local, global) = match self.variant {
            Variant::Portable(t) => (
                [t.mdimc, t.ndimc],
                [m.div_ceil(t.mwg) * t.mdimc, n.div_ceil(t.nwg) * t.ndimc],
            ),
            Variant::TensorCore(t) => ([t.threads(), 1], [m / t.bm * t.threads(), n / t.bn]),
        };
        if global[0] == 0 || global[1] == 0 {
            return Ok(());
        }
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
}

/// Runs `kernel` on one tile-sized product of known small integers (exact in double)
/// with every transpose combination and beta != 0, and compares with the host.
fn self_check(gpu: &Gpu, kernel: &GemmKernel, t: MmaParams) -> bool {
    let (m, n, k) = (t.bm, t.bn, 2 * t.bk);
    let a: Vec<f64> = (0..m * k)
        .map(|i| ((i * 7 + 3) % 13) as f64 - 6.0)
        .collect();
    let b: Vec<f64> = (0..k * n)
        .map(|i| ((i * 5 + 1) % 11) as f64 - 5.0)
        .collect();
    let c0: Vec<f64> = (0..m * n).map(|i| (i % 5) as f64).collect();
    let check = || -> Result<bool> {
        let queue = gpu.queue();
        // The second case places each operand at an offset in its buffer, as the blocked
        // level-3 routines do.
        for (ta, tb, off) in [(Trans::No, Trans::No, 0), (Trans::Trans, Trans::Trans, 5)] {
            let (lda, ldb) = (
                if ta == Trans::No { m } else { k },
                if tb == Trans::No { k } else { n },
            );
            let mut da = alloc::<f64>(gpu, CL_MEM_READ_ONLY, off + m * k)?;
            let mut db = alloc::<f64>(gpu, CL_MEM_READ_ONLY, 2 * off + k * n)?;
            let mut dc = alloc::<f64>(gpu, CL_MEM_READ_WRITE, 3 * off + m * n)?;
            let (ar, ac) = (lda, m * k / lda);
            let (br, bc) = (ldb, k * n / ldb);
            unsafe {
                upload_at(&queue, &mut da, off, a.as_ptr(), (ar, ac, ar), ar)?;
                upload_at(&queue, &mut db, 2 * off, b.as_ptr(), (br, bc, br), br)?;
                upload_at(&queue, &mut dc, 3 * off, c0.as_ptr(), (m, n, m), m)?;
                kernel.enqueue_at(
                    &queue,
                    (ta, tb),
                    (m, n, k),
                    2.0,
                    (&da, off, lda),
                    (&db, 2 * off, ldb),
                    -1.0,
                    (&dc, 3 * off, m),
                )?;
            }
            let mut c = vec![0.0f64; m * n];
            unsafe { download_at(&queue, &dc, 3 * off, m, c.as_mut_ptr(), (m, n, m))? };
            queue.finish()?;
            let at = |i: usize, l: usize| {
                if ta == Trans::No {
                    a[i + l * lda]
                } else {
                    a[l + i * lda]
                }
            };
            let bt = |l: usize, j: usize| {
                if tb == Trans::No {
                    b[l + j * ldb]
                } else {
                    b[j + l * ldb]
                }
            };
            for j in 0..n {
                for i in 0..m {
                    let dot: f64 = (0..k).map(|l| at(i, l) * bt(l, j)).sum();
                    if c[i + j * m] != 2.0 * dot - c0[i + j * m] {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    };
    check().unwrap_or(false)
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
    let [gm, gn, gk] = kernel.granule();
    let (mp, np, kp) = (
        m.next_multiple_of(gm),
        n.next_multiple_of(gn),
        k.next_multiple_of(gk),
    );
    let padded = (mp, np, kp) != (m, n, k);
    let (a_rows, a_cols) = transa.stored_shape(m, k);
    let (b_rows, b_cols) = transb.stored_shape(k, n);
    let (ap_rows, ap_cols) = transa.stored_shape(mp, kp);
    let (bp_rows, bp_cols) = transb.stored_shape(kp, np);
    let queue = gpu.queue();
    let staging = gpu.staging(&queue);
    let mut da = alloc::<T>(gpu, CL_MEM_READ_ONLY, ap_rows * ap_cols)?;
    let mut db = alloc::<T>(gpu, CL_MEM_READ_ONLY, bp_rows * bp_cols)?;
    let mut dc = alloc::<T>(gpu, CL_MEM_READ_WRITE, mp * np)?;
    let elements = ap_rows * ap_cols + bp_rows * bp_cols + mp * np;
    let _held = super::memory::hold((elements * std::mem::size_of::<T>()) as u64);
    let block = |ptr: *const T, (rows, cols): (usize, usize), ld: usize| HostBlock {
        ptr: ptr as *mut T,
        rows,
        cols,
        ld,
    };
    let shape = |(rows, cols): (usize, usize)| DeviceShape { ld: rows, cols };
    // The padding of op(A) and op(B) must be zero; C's padding is never read back.
    put(
        staging,
        &queue,
        &mut da,
        block(a, (a_rows, a_cols), lda),
        shape((ap_rows, ap_cols)),
        padded,
    )?;
    put(
        staging,
        &queue,
        &mut db,
        block(b, (b_rows, b_cols), ldb),
        shape((bp_rows, bp_cols)),
        padded,
    )?;
    if !beta.is_zero() {
        put(
            staging,
            &queue,
            &mut dc,
            block(c, (m, n), ldc),
            shape((mp, np)),
            false,
        )?;
    }
    kernel.enqueue(
        &queue,
        (transa, transb),
        (mp, np, kp),
        alpha,
        (&da, ap_rows.max(1)),
        (&db, bp_rows.max(1)),
        beta,
        (&dc, mp),
    )?;
    get(staging, &queue, &dc, block(c, (m, n), ldc), shape((mp, np)))?;
    queue.finish()?;
    Ok(())
}

/// Reads `buf` (layout `dev`) back into `host`: through the pinned staging buffers when
/// the device has them, else by a direct copy.
///
/// # Safety
/// As for [`staging::download`].
pub(crate) unsafe fn get<T: Scalar>(
    staging: Option<&Staging>,
    queue: &CommandQueue,
    buf: &Buffer<T>,
    host: HostBlock<T>,
    dev: DeviceShape,
) -> Result<()> {
    if let Some(s) = staging {
        if staging::download(s, queue, buf, host, dev)? {
            return Ok(());
        }
    }
    download(
        queue,
        buf,
        dev.ld,
        host.ptr,
        (host.rows, host.cols, host.ld),
    )
}

/// Writes `host` into `buf` (layout `dev`): through the pinned staging buffers when the
/// device has them (which also zero the padding), else by a direct copy after zeroing
/// `buf` when `zero_padding`.
///
/// # Safety
/// As for [`staging::upload`].
pub(crate) unsafe fn put<T: Scalar>(
    staging: Option<&Staging>,
    queue: &CommandQueue,
    buf: &mut Buffer<T>,
    host: HostBlock<T>,
    dev: DeviceShape,
    zero_padding: bool,
) -> Result<()> {
    if dev.ld == 0 || dev.cols == 0 {
        return Ok(()); // k = 0: op(A) or op(B) is empty, its (1-element) buffer unread
    }
    if let Some(s) = staging {
        if staging::upload(s, queue, buf, host, dev)? {
            return Ok(());
        }
    }
    if zero_padding {
        zero(queue, buf, dev.ld * dev.cols)?;
    }
    upload(
        queue,
        buf,
        host.ptr,
        (host.rows, host.cols, host.ld),
        dev.ld,
    )
}

/// Sets the first `len` elements of `buf` to zero.
fn zero<T: Scalar>(queue: &CommandQueue, buf: &mut Buffer<T>, len: usize) -> Result<()> {
    if len == 0 {
        return Ok(());
    }
    let bytes = len * std::mem::size_of::<T>();
    unsafe { queue.enqueue_fill_buffer(buf, &[T::zero()], 0, bytes, &[])? };
    Ok(())
}
