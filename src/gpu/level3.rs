//! SYRK/HERK, SYR2K/HER2K, SYMM/HEMM, TRMM and TRSM on the device, as launches of the
//! GEMM kernel on blocks of operands uploaded once per call ([`DeviceMatrix`]).
//!
//! - SYMM/HEMM and TRMM: the triangle of A is expanded (mirrored, or zero-filled with
//!   the unit diagonal) while it is packed for upload; then one GEMM. 2-3 uploads (A, B,
//!   C when beta != 0), 1 launch.
//! - SYRK/SYR2K/HERK/HER2K: C in column blocks; one launch per block (two for the 2k
//!   updates) computes the block's rows in C's triangle, diagonal block in full; only the
//!   referenced triangle is merged back. Uploads: A (and B) once, C's triangle once when
//!   beta != 0.
//! - TRSM: blocked right-looking substitution. The diagonal blocks are solved on the host
//!   (the CPU TRSM, so the result is as accurate as on the CPU); each solved block goes
//!   up once and one launch updates all the blocks still to solve. Uploads: A once,
//!   alpha*B once, then one block up and one down per block.
//!
//! Every block edge is a multiple of the kernel's granule, padding is zero, and the
//! caller's output is only written after the last device step: any error leaves it as
//! it was, so the router can rerun the call on the CPU.

use super::device_matrix::DeviceMatrix;
use super::gemm::GemmKernel;
use super::runtime::Gpu;
use super::staging::HostBlock;
use super::Result;
use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::level3::{trsm_cpu, Order};
use crate::scalar::Scalar;

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The common multiple of the kernel's M, N and K granules: block edges and padded
/// sizes are multiples of it, so every launch on a block meets the padding rule.
pub fn granule(kernel: &GemmKernel) -> usize {
    kernel
        .granule()
        .iter()
        .fold(1, |l, &g| l / gcd(l, g.max(1)) * g.max(1))
}

/// The block edge for a dimension of `n`: about an eighth of it (few launches, little
/// redundant work on the diagonal blocks), at least 16, a multiple of `granule`.
pub fn block_edge(n: usize, granule: usize) -> usize {
    n.div_ceil(8).max(16).next_multiple_of(granule)
}

fn block<T>(ptr: *const T, rows: usize, cols: usize, ld: usize) -> HostBlock<T> {
    HostBlock {
        ptr: ptr as *mut T,
        rows,
        cols,
        ld,
    }
}

/// Whether (i, j) lies in the `uplo` triangle (diagonal included).
fn in_triangle(uplo: Uplo, i: usize, j: usize) -> bool {
    match uplo {
        Uplo::Upper => i <= j,
        Uplo::Lower => i >= j,
    }
}

/// The rank-k updates of C's `uplo` triangle (see `crate::blas::level3::rank_k`):
/// C := alpha op(A) op(A)^T + beta C, or with `b`
/// C := alpha op(A) op(B)^T + alpha' op(B) op(A)^T + beta C (^H and alpha' = conj(alpha)
/// when `hermitian`; C's diagonal then real). The other triangle is not written.
///
/// # Safety
/// As for `crate::blas::level3::rank_k`; n > 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn rank_k<T: Scalar>(
    gpu: &Gpu,
    uplo: Uplo,
    trans: Trans,
    hermitian: bool,
    (n, k): (usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    b: Option<(*const T, usize)>,
    beta: T,
    (c, ldc): (*mut T, usize),
) -> Result<()> {
    // alpha == 0: A and B are not referenced, the launches run with k = 0 (C := beta C).
    let k = if alpha.is_zero() { 0 } else { k };
    let kernel = GemmKernel::new::<T>(gpu)?;
    let g = granule(&kernel);
    let (np, kp) = (n.next_multiple_of(g), k.next_multiple_of(g));
    let nb = block_edge(n, g).min(np);
    let transposed = trans.is_transposed();
    let adjoint = if hermitian {
        Trans::ConjTrans
    } else {
        Trans::Trans
    };
    // op(X) is n x k: X is stored n x k (not transposed) or k x n.
    let (rows, cols) = trans.stored_shape(n, k);
    let (rows_p, cols_p) = trans.stored_shape(np, kp);
    let queue = gpu.queue();
    let staging = gpu.staging(&queue);
    let upload = |(x, ld): (*const T, usize)| -> Result<DeviceMatrix<T>> {
        let mut d = DeviceMatrix::<T>::new(gpu, rows_p, cols_p)?;
        if k > 0 {
            d.put(&queue, staging, block(x, rows, cols, ld))?;
        }
        Ok(d)
    };
    let da = upload((a, lda))?;
    let db = b.map(upload).transpose()?;
    let mut dc = DeviceMatrix::<T>::new(gpu, np, np)?;
    if !beta.is_zero() {
        // Only the referenced triangle goes up (the rest is never read back); a Hermitian
        // C's diagonal is taken as real, as reference HERK does.
        let src = c as usize;
        dc.fill(&queue, staging, |j, dst| {
            for (i, d) in dst.iter_mut().enumerate() {
                *d = if i < n && j < n && in_triangle(uplo, i, j) {
                    let v = *(src as *const T).add(i + j * ldc);
                    if hermitian && i == j {
                        T::from_real(v.re())
                    } else {
                        v
                    }
                } else {
                    T::zero()
                };
            }
        })?;
    }
    // The block of op(X) made of rows r0.. (left factor), or its rows j0.. as the right
    // factor op(X)^T: (offset, leading dimension, op) in X's device image.
    let left = |x: &DeviceMatrix<T>, r0: usize| {
        if transposed {
            (x.at(0, r0), x.ld, adjoint)
        } else {
            (x.at(r0, 0), x.ld, Trans::No)
        }
    };
    let right = |x: &DeviceMatrix<T>, j0: usize| {
        if transposed {
            (x.at(0, j0), x.ld, Trans::No)
        } else {
            (x.at(j0, 0), x.ld, adjoint)
        }
    };
    let alpha2 = if hermitian { alpha.conj() } else { alpha };
    for j0 in (0..np).step_by(nb) {
        let j1 = (j0 + nb).min(np);
        // The block column's rows inside C's triangle, its diagonal block whole.
        let (r0, r1) = match uplo {
            Uplo::Upper => (0, j1),
            Uplo::Lower => (j0, np),
        };
        let dims = (r1 - r0, j1 - j0, kp);
        let mut terms = vec![(&da, db.as_ref().unwrap_or(&da), alpha, beta)];
        if let Some(db) = &db {
            terms.push((db, &da, alpha2, T::one()));
        }
        for (x, y, scale, beta) in terms {
            if dims.2 == 0 && beta == T::one() {
                continue; // k = 0: the first term already scaled C
            }
            let (mut xo, xld, xt) = left(x, r0);
            let (mut yo, yld, yt) = right(y, j0);
            if kp == 0 {
                (xo, yo) = (0, 0); // empty images: nothing is read
            }
            kernel.enqueue_at(
                &queue,
                (xt, yt),
                dims,
                scale,
                (&x.buf, xo, xld),
                (&y.buf, yo, yld),
                beta,
                (&dc.buf, dc.at(r0, j0), dc.ld),
            )?;
        }
    }
    queue.finish()?;
    // Only now the caller's C, block column by block column: the rectangle off the
    // diagonal block straight into C, the diagonal block through a small buffer from which
    // only its triangle is merged (the other triangle untouched).
    let mut diag = vec![T::zero(); nb * nb];
    for j0 in (0..n).step_by(nb) {
        let j1 = (j0 + nb).min(n);
        let w = j1 - j0;
        let (r0, r1) = match uplo {
            Uplo::Upper => (0, j0),
            Uplo::Lower => (j1, n),
        };
        if r1 > r0 {
            let dst = c.add(r0 + j0 * ldc);
            dc.read_block(&queue, (r0, j0), dst, (r1 - r0, w, ldc))?;
        }
        dc.read_block(&queue, (j0, j0), diag.as_mut_ptr(), (w, w, w))?;
        for j in 0..w {
            for i in 0..w {
                if in_triangle(uplo, i, j) {
                    let v = diag[i + j * w];
                    *c.add(j0 + i + (j0 + j) * ldc) = if hermitian && i == j {
                        T::from_real(v.re())
                    } else {
                        v
                    };
                }
            }
        }
    }
    Ok(())
}

/// Column j (`dst`, the device image's leading dimension long) of the full ka x ka
/// matrix that the `uplo` triangle of A stands for: symmetric or Hermitian (`mirror`
/// Some(hermitian)), or triangular with zeros outside (`mirror` None; `unit`: ones on
/// the diagonal, which is then not read). Zero outside ka x ka.
///
/// # Safety
/// `a` valid for the triangle.
#[allow(clippy::too_many_arguments)]
unsafe fn expand_column<T: Scalar>(
    (a, lda): (*const T, usize),
    ka: usize,
    uplo: Uplo,
    mirror: Option<bool>,
    unit: bool,
    j: usize,
    dst: &mut [T],
) {
    let at = |i: usize, j: usize| *a.add(i + j * lda);
    for (i, d) in dst.iter_mut().enumerate() {
        *d = if i >= ka || j >= ka {
            T::zero()
        } else if i == j {
            match mirror {
                Some(true) => T::from_real(at(i, i).re()),
                _ if unit => T::one(),
                _ => at(i, i),
            }
        } else if in_triangle(uplo, i, j) {
            at(i, j)
        } else {
            match mirror {
                Some(true) => at(j, i).conj(),
                Some(false) => at(j, i),
                None => T::zero(),
            }
        };
    }
}

/// The square operand of SYMM/HEMM/TRMM expanded to a full ka x ka matrix, padded to
/// `kap`, on the device.
///
/// # Safety
/// `a` valid for its triangle.
#[allow(clippy::too_many_arguments)]
unsafe fn expanded<T: Scalar>(
    gpu: &Gpu,
    queue: &opencl3::command_queue::CommandQueue,
    staging: Option<&super::staging::Staging>,
    (a, lda): (*const T, usize),
    (ka, kap): (usize, usize),
    uplo: Uplo,
    mirror: Option<bool>,
    unit: bool,
) -> Result<DeviceMatrix<T>> {
    let mut d = DeviceMatrix::<T>::new(gpu, kap, kap)?;
    let src = a as usize;
    d.fill(queue, staging, |j, dst| {
        expand_column((src as *const T, lda), ka, uplo, mirror, unit, j, dst)
    })?;
    Ok(d)
}

/// SYMM/HEMM (see `crate::blas::level3::symm`): C := alpha A B + beta C (side Left) or
/// alpha B A + beta C, A symmetric or Hermitian from its `uplo` triangle.
///
/// # Safety
/// As for `crate::blas::level3::symm`; m, n > 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn symm<T: Scalar>(
    gpu: &Gpu,
    side: Side,
    uplo: Uplo,
    hermitian: bool,
    (m, n): (usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*const T, usize),
    beta: T,
    (c, ldc): (*mut T, usize),
) -> Result<()> {
    let kernel = GemmKernel::new::<T>(gpu)?;
    let g = granule(&kernel);
    let (mp, np) = (m.next_multiple_of(g), n.next_multiple_of(g));
    let (ka, kap) = if side == Side::Left { (m, mp) } else { (n, np) };
    let queue = gpu.queue();
    let staging = gpu.staging(&queue);
    let mut dc = DeviceMatrix::<T>::new(gpu, mp, np)?;
    if !beta.is_zero() {
        dc.put(&queue, staging, block(c, m, n, ldc))?;
    }
    let out = (&dc.buf, 0, dc.ld);
    if alpha.is_zero() {
        // A and B are not referenced: C := beta C.
        let none = (&dc.buf, 0, dc.ld);
        let plain = (Trans::No, Trans::No);
        kernel.enqueue_at(&queue, plain, (mp, np, 0), alpha, none, none, beta, out)?;
    } else {
        let full = expanded(
            gpu,
            &queue,
            staging,
            (a, lda),
            (ka, kap),
            uplo,
            Some(hermitian),
            false,
        )?;
        let mut db = DeviceMatrix::<T>::new(gpu, mp, np)?;
        db.put(&queue, staging, block(b, m, n, ldb))?;
        let (fa, fb) = ((&full.buf, 0, full.ld), (&db.buf, 0, db.ld));
        let (lhs, rhs) = if side == Side::Left {
            (fa, fb)
        } else {
            (fb, fa)
        };
        let plain = (Trans::No, Trans::No);
        kernel.enqueue_at(&queue, plain, (mp, np, kap), alpha, lhs, rhs, beta, out)?;
    }
    dc.get(&queue, staging, block(c, m, n, ldc))?;
    queue.finish()?;
    Ok(())
}

/// TRMM (see `crate::blas::level3::trmm`): B := alpha op(A) B (side Left) or
/// alpha B op(A), A triangular. alpha != 0 (the caller zeroes B itself).
///
/// # Safety
/// As for `crate::blas::level3::trmm`; m, n > 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn trmm<T: Scalar>(
    gpu: &Gpu,
    side: Side,
    uplo: Uplo,
    trans: Trans,
    diag: Diag,
    (m, n): (usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*mut T, usize),
) -> Result<()> {
    let kernel = GemmKernel::new::<T>(gpu)?;
    let g = granule(&kernel);
    let (mp, np) = (m.next_multiple_of(g), n.next_multiple_of(g));
    let (ka, kap) = if side == Side::Left { (m, mp) } else { (n, np) };
    let queue = gpu.queue();
    let staging = gpu.staging(&queue);
    let unit = diag == Diag::Unit;
    let tri = expanded(gpu, &queue, staging, (a, lda), (ka, kap), uplo, None, unit)?;
    let mut db = DeviceMatrix::<T>::new(gpu, mp, np)?;
    db.put(&queue, staging, block(b, m, n, ldb))?;
    // Out of place: the product goes to a third image, then back into B.
    let dc = DeviceMatrix::<T>::new(gpu, mp, np)?;
    let (ta, tb) = ((&tri.buf, 0, tri.ld), (&db.buf, 0, db.ld));
    let (lhs, rhs, ops) = if side == Side::Left {
        (ta, tb, (trans, Trans::No))
    } else {
        (tb, ta, (Trans::No, trans))
    };
    let out = (&dc.buf, 0, dc.ld);
    kernel.enqueue_at(&queue, ops, (mp, np, kap), alpha, lhs, rhs, T::zero(), out)?;
    dc.get(&queue, staging, block(b, m, n, ldb))?;
    queue.finish()?;
    Ok(())
}

/// TRSM (see `crate::blas::level3::trsm`): solves op(A) X = alpha B (side Left) or
/// X op(A) = alpha B, overwriting B. alpha != 0 (the caller zeroes B itself). `order`
/// is passed to the host solves of the diagonal blocks.
///
/// # Safety
/// As for `crate::blas::level3::trsm`; m, n > 0.
pub unsafe fn trsm<T: Scalar>(gpu: &Gpu, order: Order, args: &TrsmArgs<T>) -> Result<()> {
    let TrsmArgs {
        side,
        uplo,
        trans,
        diag,
        m,
        n,
        alpha,
        a,
        lda,
        b,
        ldb,
    } = *args;
    let kernel = GemmKernel::new::<T>(gpu)?;
    let g = granule(&kernel);
    let (mp, np) = (m.next_multiple_of(g), n.next_multiple_of(g));
    let left = side == Side::Left;
    let (ka, kap) = if left { (m, mp) } else { (n, np) };
    let nb = block_edge(ka, g).min(kap);
    // The solve walks the blocks forward when op(A) is lower triangular (side Left) or
    // upper (side Right), else backward; each solved block updates those still to come.
    let lower = (uplo == Uplo::Lower) != trans.is_transposed();
    let forward = lower == left;
    // W := alpha B on the host: the solved blocks land here, B is written at the end.
    let mut w: Vec<T> = Vec::with_capacity(m * n);
    for j in 0..n {
        w.extend((0..m).map(|i| alpha * *b.add(i + j * ldb)));
    }
    let queue = gpu.queue();
    let staging = gpu.staging(&queue);
    // Only the strictly triangular blocks off the diagonal are read on the device: the
    // image holds the referenced triangle (diagonal blocks are solved on the host).
    let unit = diag == Diag::Unit;
    let tri = expanded(gpu, &queue, staging, (a, lda), (ka, kap), uplo, None, unit)?;
    let mut dw = DeviceMatrix::<T>::new(gpu, mp, np)?;
    dw.put(&queue, staging, block(w.as_ptr(), m, n, m))?;
    let starts: Vec<usize> = (0..kap).step_by(nb).collect();
    let order_of_blocks: Vec<usize> = if forward {
        starts.clone()
    } else {
        starts.iter().rev().copied().collect()
    };
    let wp = w.as_mut_ptr();
    for (step, &s) in order_of_blocks.iter().enumerate() {
        let e = (s + nb).min(kap);
        let real = e.min(ka) - s; // the block's rows (columns) inside A
                                  // The block as updated by the previous steps (the first is W itself).
        if step > 0 {
            if left {
                dw.read_block(&queue, (s, 0), wp.add(s), (real, n, m))?;
            } else {
                dw.read_block(&queue, (0, s), wp.add(s * m), (m, real, m))?;
            }
        }
        let diag_a = (a.add(s + s * lda), lda);
        let one = T::one();
        let block_args = if left {
            args.with_operands((real, n), one, diag_a, (wp.add(s), m))
        } else {
            args.with_operands((m, real), one, diag_a, (wp.add(s * m), m))
        };
        trsm_cpu(order, &block_args);
        // The blocks still to solve: after this one (forward) or before it.
        let (r0, r1) = if forward { (e, kap) } else { (0, s) };
        if r0 == r1 {
            continue;
        }
        // op(A)'s block (rows, cols) as (offset, op) in A's image.
        let op_block = |rows: usize, cols: usize| {
            if trans == Trans::No {
                (tri.at(rows, cols), trans)
            } else {
                (tri.at(cols, rows), trans)
            }
        };
        let minus = T::zero() - T::one();
        let k = e - s;
        if left {
            dw.write_block(&queue, (s, 0), wp.add(s), (real, n, m))?;
            // W[R, :] -= op(A)[R, S] X_S
            let (ao, ta) = op_block(r0, s);
            kernel.enqueue_at(
                &queue,
                (ta, Trans::No),
                (r1 - r0, np, k),
                minus,
                (&tri.buf, ao, tri.ld),
                (&dw.buf, dw.at(s, 0), dw.ld),
                one,
                (&dw.buf, dw.at(r0, 0), dw.ld),
            )?;
        } else {
            dw.write_block(&queue, (0, s), wp.add(s * m), (m, real, m))?;
            // W[:, R] -= X_S op(A)[S, R]
            let (ao, tb) = op_block(s, r0);
            kernel.enqueue_at(
                &queue,
                (Trans::No, tb),
                (mp, r1 - r0, k),
                minus,
                (&dw.buf, dw.at(0, s), dw.ld),
                (&tri.buf, ao, tri.ld),
                one,
                (&dw.buf, dw.at(0, r0), dw.ld),
            )?;
        }
    }
    queue.finish()?;
    drop(queue);
    for j in 0..n {
        std::ptr::copy_nonoverlapping(wp.add(j * m), b.add(j * ldb), m);
    }
    Ok(())
}
