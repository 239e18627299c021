//! Copies between caller memory and device buffers through two pinned staging buffers.
//!
//! Caller memory is pageable: a plain clEnqueueWriteBuffer from it runs at about a third
//! of the link's speed (17-22 GB/s against 55 GB/s pinned on the H100/H200 machines).
//! Here the matrix goes through host-visible buffers (`CL_MEM_ALLOC_HOST_PTR`, mapped
//! once, which NVIDIA's driver pins) in column chunks: the CPU threads pack chunk c + 1
//! into one buffer while the DMA engine moves chunk c out of the other. The chunks are
//! written in the device layout (leading dimension and padding included, padding zero),
//! so a padded operand needs no separate fill.

use super::runtime::Gpu;
use super::Result;
use crate::threads;
use opencl3::command_queue::CommandQueue;
use opencl3::event::Event;
use opencl3::memory::{
    Buffer, CL_MAP_READ, CL_MAP_WRITE, CL_MEM_ALLOC_HOST_PTR, CL_MEM_READ_WRITE,
};
use opencl3::types::{cl_mem, CL_BLOCKING, CL_NON_BLOCKING};
use rayon::prelude::*;

/// Bytes of each of the two staging buffers.
const STAGE_BYTES: usize = 32 << 20;

/// The two mapped staging buffers of a device. Used only while the device's queue lock is
/// held, so one call at a time.
pub struct Staging {
    buffers: [(Buffer<u8>, *mut u8); 2],
}

// SAFETY: the mapped pointers stay valid for the buffers' lifetime; access is serialized
// by the device's queue lock.
unsafe impl Send for Staging {}
unsafe impl Sync for Staging {}

impl Staging {
    pub fn new(gpu: &Gpu, queue: &CommandQueue) -> Result<Staging> {
        let make = || -> Result<(Buffer<u8>, *mut u8)> {
            let buf = unsafe {
                Buffer::<u8>::create(
                    gpu.context(),
                    CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR,
                    STAGE_BYTES,
                    std::ptr::null_mut(),
                )?
            };
            let mut ptr: cl_mem = std::ptr::null_mut();
            unsafe {
                queue.enqueue_map_buffer(
                    &buf,
                    CL_BLOCKING,
                    CL_MAP_READ | CL_MAP_WRITE,
                    0,
                    STAGE_BYTES,
                    &mut ptr,
                    &[],
                )?
            };
            Ok((buf, ptr as *mut u8))
        };
        Ok(Staging {
            buffers: [make()?, make()?],
        })
    }
}

/// A column-major block in caller memory: `rows x cols` elements, leading dimension `ld`.
#[derive(Clone, Copy)]
pub struct HostBlock<T> {
    pub ptr: *mut T,
    pub rows: usize,
    pub cols: usize,
    pub ld: usize,
}

/// Its device image: leading dimension `ld` >= rows, `cols` >= the block's columns.
#[derive(Clone, Copy)]
pub struct DeviceShape {
    pub ld: usize,
    pub cols: usize,
}

/// Columns per chunk, or None when one device column does not fit a staging buffer.
fn chunk_cols<T>(dev: DeviceShape) -> Option<usize> {
    let column = dev.ld.max(1) * std::mem::size_of::<T>();
    (column <= STAGE_BYTES).then(|| STAGE_BYTES / column)
}

/// Runs `f(j)` for every column index in `range`, on the pool when there is enough work.
fn for_columns(range: std::ops::Range<usize>, bytes: usize, f: impl Fn(usize) + Sync + Send) {
    if threads::pool_available() && bytes >= (1 << 20) {
        threads::for_rayon(faer::Par::rayon(0), || range.into_par_iter().for_each(f));
    } else {
        range.for_each(f);
    }
}

/// Writes `host` into `buf` in the layout `dev`, zero outside the block. Returns false
/// (nothing enqueued) when a column does not fit the staging buffers.
///
/// # Safety
/// `host` valid for reading; `buf` holds `dev.ld * dev.cols` elements.
pub unsafe fn upload<T: Copy + Send + Sync>(
    staging: &Staging,
    queue: &CommandQueue,
    buf: &mut Buffer<T>,
    host: HostBlock<T>,
    dev: DeviceShape,
) -> Result<bool> {
    let src = host.ptr as usize;
    upload_columns(staging, queue, buf, dev, |j, column: &mut [T]| {
        let keep = if j < host.cols { host.rows } else { 0 };
        if keep > 0 {
            let from = (src as *const T).add(j * host.ld);
            std::ptr::copy_nonoverlapping(from, column.as_mut_ptr(), keep);
        }
        std::ptr::write_bytes(column.as_mut_ptr().add(keep), 0, column.len() - keep);
    })
}

/// Writes the device image `dev` into `buf` column by column: `fill(j, column)` writes
/// all `dev.ld` elements of column j (padding included), straight into the staging
/// buffer, so an operand transformed while packing (a triangle expanded to a full
/// matrix) costs no extra host copy. Returns false (nothing enqueued) when a column does
/// not fit the staging buffers.
///
/// # Safety
/// `buf` holds `dev.ld * dev.cols` elements.
pub unsafe fn upload_columns<T: Copy + Send + Sync>(
    staging: &Staging,
    queue: &CommandQueue,
    buf: &mut Buffer<T>,
    dev: DeviceShape,
    fill: impl Fn(usize, &mut [T]) + Sync + Send,
) -> Result<bool> {
    let Some(per_chunk) = chunk_cols::<T>(dev) else {
        return Ok(false);
    };
    let sz = std::mem::size_of::<T>();
    let mut pending: [Option<Event>; 2] = [None, None];
    for (c, c0) in (0..dev.cols).step_by(per_chunk).enumerate() {
        let c1 = (c0 + per_chunk).min(dev.cols);
        let slot = c % 2;
        if let Some(e) = pending[slot].take() {
            e.wait()?;
        }
        let stage = staging.buffers[slot].1 as usize;
        for_columns(c0..c1, (c1 - c0) * dev.ld * sz, |j| {
            let dst = (stage as *mut T).add((j - c0) * dev.ld);
            fill(j, std::slice::from_raw_parts_mut(dst, dev.ld));
        });
        let len = (c1 - c0) * dev.ld;
        let data = std::slice::from_raw_parts(stage as *const T, len);
        let e = queue.enqueue_write_buffer(buf, CL_NON_BLOCKING, c0 * dev.ld * sz, data, &[])?;
        pending[slot] = Some(e);
    }
    for e in pending.into_iter().flatten() {
        e.wait()?;
    }
    Ok(true)
}

/// Reads the block's columns of `buf` (layout `dev`) back into `host`. Returns false
/// (nothing read) when a column does not fit the staging buffers.
///
/// # Safety
/// `host` valid for writing; `buf` holds `dev.ld * host.cols` elements.
pub unsafe fn download<T: Copy + Send + Sync>(
    staging: &Staging,
    queue: &CommandQueue,
    buf: &Buffer<T>,
    host: HostBlock<T>,
    dev: DeviceShape,
) -> Result<bool> {
    let Some(per_chunk) = chunk_cols::<T>(dev) else {
        return Ok(false);
    };
    let sz = std::mem::size_of::<T>();
    let chunks: Vec<usize> = (0..host.cols).step_by(per_chunk).collect();
    let read = |c: usize| -> Result<Event> {
        let c0 = chunks[c];
        let c1 = (c0 + per_chunk).min(host.cols);
        let stage = staging.buffers[c % 2].1 as *mut T;
        let data = std::slice::from_raw_parts_mut(stage, (c1 - c0) * dev.ld);
        Ok(queue.enqueue_read_buffer(buf, CL_NON_BLOCKING, c0 * dev.ld * sz, data, &[])?)
    };
    let mut in_flight = if chunks.is_empty() {
        None
    } else {
        Some(read(0)?)
    };
    for c in 0..chunks.len() {
        // The next chunk's slot was emptied by the previous iteration's copy-out.
        let next = if c + 1 < chunks.len() {
            Some(read(c + 1)?)
        } else {
            None
        };
        if let Some(e) = in_flight.take() {
            e.wait()?;
        }
        let c0 = chunks[c];
        let c1 = (c0 + per_chunk).min(host.cols);
        let stage = staging.buffers[c % 2].1 as usize;
        let dst = host.ptr as usize;
        for_columns(c0..c1, (c1 - c0) * host.rows * sz, |j| {
            let from = (stage as *const T).add((j - c0) * dev.ld);
            std::ptr::copy_nonoverlapping(from, (dst as *mut T).add(j * host.ld), host.rows);
        });
        in_flight = next;
    }
    Ok(true)
}
