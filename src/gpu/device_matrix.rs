//! A matrix image on the device for the blocked level-3 routines: one zero-padded
//! buffer, filled once per call (from caller memory, or through a column generator that
//! transforms while packing), on whose sub-blocks several GEMM launches then run.

use super::gemm::{alloc, download, download_at, upload, upload_at};
use super::memory::{self, Held};
use super::runtime::Gpu;
use super::staging::{self, DeviceShape, HostBlock, Staging};
use super::Result;
use crate::scalar::Scalar;
use opencl3::command_queue::CommandQueue;
use opencl3::memory::{Buffer, CL_MEM_READ_WRITE};

/// `ld x cols` elements on the device, column-major; the caller's block sits at (0, 0)
/// and everything else (the padding to the kernel's granule) is zero once filled.
pub struct DeviceMatrix<T> {
    pub buf: Buffer<T>,
    pub ld: usize,
    pub cols: usize,
    _held: Held,
}

impl<T: Scalar> DeviceMatrix<T> {
    /// An unfilled `ld x cols` image.
    pub fn new(gpu: &Gpu, ld: usize, cols: usize) -> Result<DeviceMatrix<T>> {
        let buf = alloc::<T>(gpu, CL_MEM_READ_WRITE, ld * cols)?;
        let bytes = (ld * cols * std::mem::size_of::<T>()) as u64;
        Ok(DeviceMatrix {
            buf,
            ld,
            cols,
            _held: memory::hold(bytes),
        })
    }

    /// The element offset of entry (i, j), for [`super::gemm::GemmKernel::enqueue_at`].
    pub fn at(&self, i: usize, j: usize) -> usize {
        i + j * self.ld
    }

    fn shape(&self) -> DeviceShape {
        DeviceShape {
            ld: self.ld,
            cols: self.cols,
        }
    }

    /// Writes the whole image: `column(j, dst)` fills all `ld` elements of column j.
    /// Through the pinned staging buffers when the device has them, else packed into
    /// host memory and written at once.
    ///
    /// # Safety
    /// `column` must only read memory that is valid.
    pub unsafe fn fill(
        &mut self,
        queue: &CommandQueue,
        staging: Option<&Staging>,
        column: impl Fn(usize, &mut [T]) + Sync + Send,
    ) -> Result<()> {
        if self.ld == 0 || self.cols == 0 {
            return Ok(());
        }
        let shape = self.shape();
        if let Some(s) = staging {
            if staging::upload_columns(s, queue, &mut self.buf, shape, &column)? {
                return Ok(());
            }
        }
        let mut packed = vec![T::zero(); self.ld * self.cols];
        for (j, dst) in packed.chunks_mut(self.ld).enumerate() {
            column(j, dst);
        }
        let (ld, cols) = (self.ld, self.cols);
        upload(queue, &mut self.buf, packed.as_ptr(), (ld, cols, ld), ld)
    }

    /// Copies the caller's block `host` to (0, 0), zero elsewhere.
    ///
    /// # Safety
    /// `host` valid for reading.
    pub unsafe fn put(
        &mut self,
        queue: &CommandQueue,
        staging: Option<&Staging>,
        host: HostBlock<T>,
    ) -> Result<()> {
        let src = host.ptr as usize;
        self.fill(queue, staging, |j, dst| {
            let keep = if j < host.cols { host.rows } else { 0 };
            for (i, d) in dst.iter_mut().enumerate() {
                *d = if i < keep {
                    *(src as *const T).add(i + j * host.ld)
                } else {
                    T::zero()
                };
            }
        })
    }

    /// Reads the block at (0, 0) of the caller's block's shape back into `host`.
    ///
    /// # Safety
    /// `host` valid for writing.
    pub unsafe fn get(
        &self,
        queue: &CommandQueue,
        staging: Option<&Staging>,
        host: HostBlock<T>,
    ) -> Result<()> {
        if host.rows == 0 || host.cols == 0 {
            return Ok(());
        }
        if let Some(s) = staging {
            if staging::download(s, queue, &self.buf, host, self.shape())? {
                return Ok(());
            }
        }
        download(
            queue,
            &self.buf,
            self.ld,
            host.ptr,
            (host.rows, host.cols, host.ld),
        )
    }

    /// Writes the `rows x cols` block at `src` (leading dimension `ld`) at entry (i, j):
    /// a direct copy, for the small blocks of a blocked algorithm.
    ///
    /// # Safety
    /// `src` valid for the block; the block inside the image.
    pub unsafe fn write_block(
        &mut self,
        queue: &CommandQueue,
        (i, j): (usize, usize),
        src: *const T,
        block: (usize, usize, usize),
    ) -> Result<()> {
        let (off, ld) = (self.at(i, j), self.ld);
        upload_at(queue, &mut self.buf, off, src, block, ld)
    }

    /// Reads the block at entry (i, j) into `dst` (`rows x cols`, leading dimension `ld`).
    ///
    /// # Safety
    /// `dst` valid for the block; the block inside the image.
    pub unsafe fn read_block(
        &self,
        queue: &CommandQueue,
        (i, j): (usize, usize),
        dst: *mut T,
        block: (usize, usize, usize),
    ) -> Result<()> {
        download_at(queue, &self.buf, self.at(i, j), self.ld, dst, block)
    }
}
