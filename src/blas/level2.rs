//! Level-2 BLAS bodies, generic over the scalar. Arguments arrive checked (see
//! `crate::abi::blas_level2`).
//!
//! Every routine walks the matrix a column at a time. Where column j lives depends on the
//! storage (full, band, packed: [`Storage`]), but in all three the referenced part of a
//! column is one contiguous run of rows, so one body serves e.g. TRMV, TBMV and TPMV.
//! Vectors are handed to the bodies as contiguous slices in the order reference BLAS
//! walks them (the caller's memory itself for increment 1, a gathered copy otherwise),
//! so the inner loops are plain slice loops: axpy-style down a column when the matrix
//! is applied as stored, dot-style when it is applied transposed. Large GEMV, GER,
//! SYR2/HER2 and full-triangle TRMV/TRSV (`triangular_mv`) run on vector-register kernels
//! and share their columns or rows among the threads.

use crate::blas::args::{first_index, Diag, Trans, Uplo};
use crate::blas::{complex_gemv, transposed_mv, triangular_mv};
use crate::scalar::Scalar;
use faer::linalg::matmul::matmul_with_conj;
use faer::{Accum, ColMut, ColRef, Conj};
use std::ops::Range;

/// Where a matrix's referenced elements live in caller memory.
#[derive(Clone, Copy, Debug)]
pub enum Storage<T> {
    /// Column-major, leading dimension `ld`, `m` rows; `uplo` restricts column j to its
    /// triangle (rows 0..=j for Upper, j..m for Lower), `None` references every row.
    Full {
        ptr: *mut T,
        ld: usize,
        m: usize,
        uplo: Option<Uplo>,
    },
    /// Band storage: element (i, j) at `ptr[ku + i - j + j * ld]`, for the `m` rows
    /// within `kl` below and `ku` above the diagonal.
    Band {
        ptr: *mut T,
        ld: usize,
        m: usize,
        kl: usize,
        ku: usize,
    },
    /// One triangle of an order-`n` matrix packed column by column.
    Packed { ptr: *mut T, n: usize, uplo: Uplo },
}

impl<T: Scalar> Storage<T> {
    /// Column j's referenced rows: (first row, offset of that element, row count).
    fn span(&self, j: usize) -> (usize, usize, usize) {
        match *self {
            Storage::Full { ld, m, uplo, .. } => {
                let (lo, hi) = match uplo {
                    None => (0, m),
                    Some(Uplo::Upper) => (0, j + 1),
                    Some(Uplo::Lower) => (j, m),
                };
                (lo, lo + j * ld, hi - lo)
            }
            Storage::Band { ld, m, kl, ku, .. } => {
                let lo = j.saturating_sub(ku);
                let hi = m.min(j + kl + 1);
                (lo, ku + lo - j + j * ld, hi.saturating_sub(lo))
            }
            Storage::Packed { n, uplo, .. } => match uplo {
                Uplo::Upper => (0, j * (j + 1) / 2, j + 1),
                Uplo::Lower => (j, j * (2 * n - j + 1) / 2, n - j),
            },
        }
    }

    fn ptr(&self) -> *mut T {
        match *self {
            Storage::Full { ptr, .. } | Storage::Band { ptr, .. } | Storage::Packed { ptr, .. } => {
                ptr
            }
        }
    }

    /// Column j's referenced elements and the row of the first one.
    /// # Safety
    /// The storage must describe valid caller memory.
    pub(crate) unsafe fn column<'a>(&self, j: usize) -> (usize, &'a [T]) {
        let (lo, offset, len) = self.span(j);
        (lo, std::slice::from_raw_parts(self.ptr().add(offset), len))
    }

    /// The mutable twin of [`Storage::column`].
    /// # Safety
    /// As for `column`, and no other reference to the column may be alive.
    unsafe fn column_mut<'a>(&self, j: usize) -> (usize, &'a mut [T]) {
        let (lo, offset, len) = self.span(j);
        (
            lo,
            std::slice::from_raw_parts_mut(self.ptr().add(offset), len),
        )
    }
}

/// Runs `f` on the `n` elements of the vector at `x` with increment `inc`, in logical
/// order as one slice: the caller's memory for `inc == 1`, a gathered copy otherwise.
/// # Safety
/// `x` valid for the strided vector; `inc != 0` unless `n <= 1`.
pub unsafe fn with_vector<T: Scalar, R>(
    x: *const T,
    n: usize,
    inc: isize,
    f: impl FnOnce(&[T]) -> R,
) -> R {
    if inc == 1 || n == 0 {
        return f(std::slice::from_raw_parts(x, n));
    }
    let start = x.offset(first_index(n, inc));
    let copy: Vec<T> = (0..n).map(|i| *start.offset(i as isize * inc)).collect();
    f(&copy)
}

/// Like [`with_vector`], for a vector the body updates: a gathered copy is scattered back.
/// # Safety
/// As for `with_vector`, and nothing else may access the vector meanwhile.
pub unsafe fn with_vector_mut<T: Scalar, R>(
    x: *mut T,
    n: usize,
    inc: isize,
    f: impl FnOnce(&mut [T]) -> R,
) -> R {
    if inc == 1 || n == 0 {
        return f(std::slice::from_raw_parts_mut(x, n));
    }
    let start = x.offset(first_index(n, inc));
    let mut copy: Vec<T> = (0..n).map(|i| *start.offset(i as isize * inc)).collect();
    let result = f(&mut copy);
    for (i, &v) in copy.iter().enumerate() {
        *start.offset(i as isize * inc) = v;
    }
    result
}

/// y += a * x.
#[inline(always)]
fn axpy<T: Scalar>(y: &mut [T], a: T, x: &[T]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// sum op(a_i) * x_i with op the identity or conjugation; four partial sums so the
/// loop vectorizes.
#[inline(always)]
fn dot<T: Scalar>(a: &[T], x: &[T], conj: bool) -> T {
    if conj {
        dot_op::<T, true>(a, x)
    } else {
        dot_op::<T, false>(a, x)
    }
}

#[inline(always)]
fn dot_op<T: Scalar, const CONJ: bool>(a: &[T], x: &[T]) -> T {
    let n = a.len().min(x.len());
    let (a, x) = (&a[..n], &x[..n]);
    let op = |v: T| if CONJ { Scalar::conj(v) } else { v };
    let mut s = [T::zero(); 4];
    let (a4, a_rest) = a.split_at(n - n % 4);
    let (x4, x_rest) = x.split_at(n - n % 4);
    for (ac, xc) in a4.chunks_exact(4).zip(x4.chunks_exact(4)) {
        for l in 0..4 {
            s[l] += op(ac[l]) * xc[l];
        }
    }
    let mut total = (s[0] + s[1]) + (s[2] + s[3]);
    for (&ai, &xi) in a_rest.iter().zip(x_rest) {
        total += op(ai) * xi;
    }
    total
}

/// y := beta * y; beta == 0 sets zeros without reading y (NaN in y must not survive).
pub(crate) fn scale<T: Scalar>(y: &mut [T], beta: T) {
    if beta == T::one() {
    } else if beta.is_zero() {
        y.fill(T::zero());
    } else {
        for v in y.iter_mut() {
            *v *= beta;
        }
    }
}

/// [`dot`] of four columns with one x, each summed in exactly [`dot`]'s order (so a
/// column's result does not depend on its neighbours), the four interleaved.
#[inline(always)]
fn dots<T: Scalar>(cols: [&[T]; 4], x: &[T], conj: bool) -> [T; 4] {
    if conj {
        dots_op::<T, true>(cols, x)
    } else {
        dots_op::<T, false>(cols, x)
    }
}

#[inline(always)]
fn dots_op<T: Scalar, const CONJ: bool>(cols: [&[T]; 4], x: &[T]) -> [T; 4] {
    let n = x.len();
    let cols = cols.map(|c| &c[..n]);
    let op = |v: T| if CONJ { Scalar::conj(v) } else { v };
    let mut s = [[T::zero(); 4]; 4];
    let whole = n - n % 4;
    let [c0, c1, c2, c3] = cols.map(|c| c[..whole].chunks_exact(4));
    for ((((xc, a0), a1), a2), a3) in x[..whole].chunks_exact(4).zip(c0).zip(c1).zip(c2).zip(c3) {
        for (sc, a) in s.iter_mut().zip([a0, a1, a2, a3]) {
            for l in 0..4 {
                sc[l] += op(a[l]) * xc[l];
            }
        }
    }
    let mut totals = s.map(|sc| (sc[0] + sc[1]) + (sc[2] + sc[3]));
    for i in whole..n {
        for (t, col) in totals.iter_mut().zip(&cols) {
            *t += op(col[i]) * x[i];
        }
    }
    totals
}

fn op_value<T: Scalar>(v: T, conj: bool) -> T {
    if conj {
        Scalar::conj(v)
    } else {
        v
    }
}

/// On machines without a register kernel (`transposed_mv`, AVX2 or AVX-512), a
/// transposed GEMV of at least this many matrix elements goes to faer's kernels (the
/// generic sweep's four partial sums of [`dot`] lost to faer there).
const GEMV_FAER_ELEMENTS: usize = 64 * 64;

/// From this many elements, without a register kernel, a transposed GEMV streams A from
/// memory, where the column sweep (four columns read side by side) on every thread
/// outruns faer's kernel: 2-core AMD EPYC, dgemv 'T', OpenBLAS / ours, 1 and 2 threads:
/// 2048 0.80 / 0.80 against 0.57 / 0.55 on faer, 4096 0.94 / 0.93 against 0.59 / 0.61; at
/// 1024 (0.66 / 0.57 against 0.68 / 0.70) and below, in cache, faer's kernel is faster.
const GEMV_STREAM_ELEMENTS: usize = 1 << 21;

/// The fewest matrix elements a thread's share of a GEMV may have (about 3 us of work
/// in cache; OpenBLAS threads DGEMV from about 9,000 elements).
pub(super) const GEMV_PARALLEL_ELEMENTS: usize = 1 << 14;

/// y := alpha * op(A) * x + beta * y for an `m x n` general or band matrix (GEMV, GBMV).
///
/// # Safety
/// Storage and vectors valid for the checked shapes; y disjoint from A and x.
#[allow(clippy::too_many_arguments)]
pub unsafe fn mv<T: Scalar>(
    trans: Trans,
    a: Storage<T>,
    (m, n): (usize, usize),
    alpha: T,
    (x, incx): (*const T, isize),
    beta: T,
    (y, incy): (*mut T, isize),
) {
    if m == 0 || n == 0 || (alpha.is_zero() && beta == T::one()) {
        return;
    }
    let (lenx, leny) = if trans.is_transposed() {
        (m, n)
    } else {
        (n, m)
    };
    with_vector_mut(y, leny, incy, |y| {
        scale(y, beta);
        if alpha.is_zero() {
            return;
        }
        with_vector(x, lenx, incx, |x| {
            if let Storage::Full { ptr, ld, .. } = a {
                if !trans.is_transposed() {
                    return gemv_plain_split((ptr as *const T, ld as isize), (m, n), alpha, x, y);
                }
                if let Some(kernel) = transposed_kernel::<T>(m) {
                    return mv_transposed_split(
                        Some(kernel),
                        trans,
                        (ptr, ld),
                        (m, n),
                        alpha,
                        x,
                        y,
                    );
                }
                if m * n >= GEMV_STREAM_ELEMENTS {
                    return mv_transposed_split(None, trans, (ptr, ld), (m, n), alpha, x, y);
                }
                if m * n >= GEMV_FAER_ELEMENTS {
                    return mv_faer(trans, crate::blas::level3::view(ptr, m, n, ld), alpha, x, y);
                }
            }
            mv_columns(trans, a, n, alpha, x, y)
        })
    })
}

crate::dispatched! {
    /// The column sweep of [`mv`]: axpy down each column for op(A) = A, a dot product
    /// per column otherwise.
    ///
    /// # Safety
    /// `a` describes valid memory for `n` columns; x and y have op(A)'s lengths.
    unsafe fn mv_columns<T: Scalar>(trans: Trans, a: Storage<T>, n: usize, alpha: T, x: &[T], y: &mut [T]) -> () {
        let conj = trans == Trans::ConjTrans;
        let mut j = 0;
        if trans.is_transposed() {
            // Four columns of equal span at a time: their dot products run side by side
            // (one dependency chain each would leave the FMA units mostly idle).
            while j + 4 <= n {
                let cols = [a.column(j), a.column(j + 1), a.column(j + 2), a.column(j + 3)];
                let (lo, len) = (cols[0].0, cols[0].1.len());
                if len == 0 || cols.iter().any(|c| c.0 != lo || c.1.len() != len) {
                    break;
                }
                let sums = dots(cols.map(|c| c.1), &x[lo..lo + len], conj);
                for (yj, s) in y[j..j + 4].iter_mut().zip(sums) {
                    *yj += alpha * s;
                }
                j += 4;
            }
        }
        for j in j..n {
            let (lo, col) = a.column(j);
            if col.is_empty() {
                continue;
            }
            let rows = lo..lo + col.len();
            if trans.is_transposed() {
                y[j] += alpha * dot(col, &x[rows], conj);
            } else {
                axpy(&mut y[rows], alpha * x[j], col);
            }
        }
    }
}

/// y += alpha * op(A) * x, op(A) = A^T or A^H of a full `m x n` matrix: `kernel`'s dot
/// products (the column sweep's without one), columns shared among the threads in whole
/// groups of four (the sweep's groups), so that every y_j is computed as on one thread.
///
/// # Safety
/// `a` valid for the `m x n` matrix; `x.len() == m`, `y.len() == n`.
pub(super) unsafe fn mv_transposed_split<T: Scalar>(
    kernel: Option<transposed_mv::Kernel<T>>,
    trans: Trans,
    (a, ld): (*mut T, usize),
    (m, n): (usize, usize),
    alpha: T,
    x: &[T],
    y: &mut [T],
) {
    let parts = crate::threads::parts_for(m * n, GEMV_PARALLEL_ELEMENTS);
    let boundary = |p: usize| (n * p / parts).next_multiple_of(4).min(n);
    let (a, y_start) = (a as usize, y.as_mut_ptr() as usize);
    let part = |p: usize| {
        let cols = boundary(p)..boundary(p + 1);
        if cols.is_empty() {
            return;
        }
        // Each part writes its own columns' entries of y.
        let y = std::slice::from_raw_parts_mut((y_start as *mut T).add(cols.start), cols.len());
        let first = (a as *mut T).add(cols.start * ld);
        transposed_columns(kernel, trans, (first, ld), m, alpha, x, y);
    };
    crate::threads::run_parts(parts, &part);
}

/// The register kernel a transposed GEMV of `m` rows uses, if any (see [`SHORT_DOT`]).
pub(super) fn transposed_kernel<T: Scalar>(m: usize) -> Option<transposed_mv::Kernel<T>> {
    transposed_mv::kernel_for::<T>().filter(|_| m >= SHORT_DOT)
}

/// y += alpha * op(A) * x on the calling thread, op(A) = A^T or A^H of the `m x y.len()`
/// matrix at `a`: `kernel`'s dot products, or the column sweep's.
///
/// # Safety
/// `a` valid for the matrix; `x.len() == m`.
pub(super) unsafe fn transposed_columns<T: Scalar>(
    kernel: Option<transposed_mv::Kernel<T>>,
    trans: Trans,
    (a, ld): (*mut T, usize),
    m: usize,
    alpha: T,
    x: &[T],
    y: &mut [T],
) {
    if let Some(kernel) = kernel {
        return kernel(a, ld, alpha, trans == Trans::ConjTrans, x, y);
    }
    let storage = Storage::Full {
        ptr: a,
        ld,
        m,
        uplo: None,
    };
    mv_columns(trans, storage, y.len(), alpha, x, y);
}

/// y += alpha * A * x for a full `m x n` matrix at `a` (leading dimension `ld`).
///
/// Every y_i gets the reference's operations in the reference's order, whatever the
/// blocking and the threads: y_i + (alpha*x_j)*a_ij for j = 0, 1, ..., each product and
/// sum rounded (as DGEMV). LAPACK notices anything else: its tests compare eigenvalues
/// computed with and without vectors bit for bit, where the same row is updated as part
/// of a taller or shorter GEMV. Above `GEMV_PARALLEL_ELEMENTS` per thread the rows are
/// shared among the threads. Complex A goes to `complex_gemv`'s register kernel where
/// there is one (same bits).
///
/// # Safety
/// `a` valid for the `m x n` matrix; `x.len() == n`, `y.len() == m`.
pub(super) unsafe fn gemv_plain_split<T: Scalar>(
    (a, ld): (*const T, isize),
    (m, n): (usize, usize),
    alpha: T,
    x: &[T],
    y: &mut [T],
) {
    let parts = crate::threads::parts_for(m * n, GEMV_PARALLEL_ELEMENTS);
    let (a, ya) = (a as usize, y.as_mut_ptr() as usize);
    // Part p: rows [start, end), cut at multiples of 16.
    let cut = |q: usize| {
        if q >= parts {
            m
        } else {
            (m * q / parts) & !15
        }
    };
    crate::threads::run_parts(parts, &|p| {
        let (i0, i1) = (cut(p), cut(p + 1));
        let y = std::slice::from_raw_parts_mut((ya as *mut T).add(i0), i1 - i0);
        gemv_rows((a as *const T).add(i0), ld, n, alpha, x, y)
    });
}

/// y += alpha * A * x on one thread, as [`gemv_plain_split`] (the `y.len() x n` matrix
/// at `a`, column stride `ld`, which may be negative).
///
/// # Safety
/// `a` valid for the matrix; `x.len() == n`.
pub(super) unsafe fn gemv_rows<T: Scalar>(
    a: *const T,
    ld: isize,
    n: usize,
    alpha: T,
    x: &[T],
    y: &mut [T],
) {
    match complex_gemv::kernels_for::<T>() {
        Some(kernels) => (kernels.gemv)(a, ld, n, alpha, x, y),
        None => gemv_plain(a, ld, n, alpha, x, y),
    }
}

/// Below this many rows GEMV 'T' keeps the column sweep, whose sums are the same on
/// every machine: the register kernels' lane sums depend on the vector width, and
/// Netlib's DGEESX/DGGES tests on ill-conditioned orders 5 and 20 (a Schur form's
/// reordering, INFO = N + 1) failed on the AVX-512 lanes while passing on AVX2's.
const SHORT_DOT: usize = 16;

/// Columns one pass of [`gemv_plain`] adds into y (y is loaded and stored once a pass).
const GEMV_COLUMNS: usize = 8;

/// Rows of y a small GEMV keeps in registers across all its columns.
const GEMV_ROW_BLOCK: usize = 32;

/// Up to this many columns and elements GEMV goes by row blocks (A in L1, the column
/// passes' setup a large part of the call: 32x32 took 1.1e-7 s that way, 5.9e-8 s by row
/// blocks); beyond, the row blocks' strided reads of A lose to the column passes.
const GEMV_ROW_BLOCK_COLUMNS: usize = 64;
const GEMV_ROW_BLOCK_ELEMENTS: usize = 8192;

crate::dispatched! {
    /// y += alpha * A * x for the `y.len() x n` matrix at `a`, GEMV_COLUMNS columns a
    /// pass, each element's terms added in column order.
    ///
    /// # Safety
    /// `a` valid for the matrix; `x.len() == n`.
    unsafe fn gemv_plain<T: Scalar>(a: *const T, ld: isize, n: usize, alpha: T, x: &[T], y: &mut [T]) -> () {
        let mut y = y;
        let mut a = a;
        if n <= GEMV_ROW_BLOCK_COLUMNS && y.len() * n <= GEMV_ROW_BLOCK_ELEMENTS {
            let rows = y.len();
            let mut blocks = y.chunks_exact_mut(GEMV_ROW_BLOCK);
            for (b, block) in (&mut blocks).enumerate() {
                let block: &mut [T; GEMV_ROW_BLOCK] = block.try_into().unwrap();
                add_row_block(a.add(b * GEMV_ROW_BLOCK), ld, alpha, &x[..n], block);
            }
            let rest = blocks.into_remainder();
            a = a.add(rows - rest.len());
            y = rest;
        }
        if y.is_empty() {
            return;
        }
        let mut j = 0;
        while j + GEMV_COLUMNS <= n {
            add_columns::<T, GEMV_COLUMNS>(a.offset(j as isize * ld), ld, alpha, &x[j..], y);
            j += GEMV_COLUMNS;
        }
        if j + 4 <= n {
            add_columns::<T, 4>(a.offset(j as isize * ld), ld, alpha, &x[j..], y);
            j += 4;
        }
        while j < n {
            add_columns::<T, 1>(a.offset(j as isize * ld), ld, alpha, &x[j..], y);
            j += 1;
        }
    }
}

/// The rows of `y` (GEMV_ROW_BLOCK of them) += alpha * A * x, held in registers across
/// the columns; each element gets the terms in column order, as in [`add_columns`].
#[inline(always)]
unsafe fn add_row_block<T: Scalar>(
    a: *const T,
    ld: isize,
    alpha: T,
    x: &[T],
    y: &mut [T; GEMV_ROW_BLOCK],
) {
    let mut acc = *y;
    for (j, &xj) in x.iter().enumerate() {
        let t = alpha * xj;
        let col = &*(a.offset(j as isize * ld) as *const [T; GEMV_ROW_BLOCK]);
        for (v, &aij) in acc.iter_mut().zip(col) {
            *v += t * aij;
        }
    }
    *y = acc;
}

/// y_i := (...(y_i + t_0*a_i0) + t_1*a_i1 ...) + t_{G-1}*a_i,G-1 with t_j = alpha*x_j.
#[inline(always)]
unsafe fn add_columns<T: Scalar, const G: usize>(
    a: *const T,
    ld: isize,
    alpha: T,
    x: &[T],
    y: &mut [T],
) {
    let len = y.len();
    // Plain loops, not std::array::from_fn: that one is not inlined into the
    // vector-ISA variants and leaves them scalar code.
    let mut t = [T::zero(); G];
    let mut cols: [&[T]; G] = [&[]; G];
    for g in 0..G {
        t[g] = alpha * x[g];
        cols[g] = std::slice::from_raw_parts(a.offset(g as isize * ld), len);
    }
    for (i, yi) in y.iter_mut().enumerate() {
        let mut v = *yi;
        for g in 0..G {
            v += t[g] * cols[g][i];
        }
        *yi = v;
    }
}

/// y += alpha * op(A) * x on faer's kernels (large transposed GEMV).
fn mv_faer<T: Scalar>(trans: Trans, a: faer::MatRef<'_, T>, alpha: T, x: &[T], y: &mut [T]) {
    let (a, conj_a) = crate::blas::level3::op(a, trans);
    let par = crate::threads::par_for(2.0 * (a.nrows() * a.ncols()) as f64);
    let x = ColRef::from_slice(x).as_mat();
    let y = ColMut::from_slice_mut(y).as_mat_mut();
    crate::threads::for_rayon(par, move || {
        matmul_with_conj(y, Accum::Add, a, conj_a, x, Conj::No, alpha, par)
    });
}

/// x := op(A) * x (`solve == false`: TRMV, TBMV, TPMV) or x := op(A)^-1 * x
/// (`solve == true`: TRSV, TBSV, TPSV) for triangular A of order n.
///
/// # Safety
/// Storage and vector valid for the checked shapes; x disjoint from A.
pub unsafe fn triangular<T: Scalar>(
    solve: bool,
    uplo: Uplo,
    trans: Trans,
    diag: Diag,
    a: Storage<T>,
    n: usize,
    (x, incx): (*mut T, isize),
) {
    if n == 0 {
        return;
    }
    let conj = trans == Trans::ConjTrans;
    let nounit = diag == Diag::NonUnit;
    with_vector_mut(x, n, incx, |x| {
        // A full triangle: blocked, on the GEMV kernels (op(A) = A: the same bits).
        if let (Storage::Full { ptr, ld, .. }, true) = (a, n >= triangular_mv::BLOCKED_FROM) {
            let triangle = triangular_mv::Triangle { ptr, ld, uplo };
            if trans == Trans::No {
                return match solve {
                    true => triangular_mv::solve(triangle, nounit, x),
                    false => triangular_mv::multiply(triangle, nounit, x),
                };
            }
            if let Some(kernel) = transposed_mv::kernel_for::<T>() {
                return match solve {
                    true => triangular_mv::solve_transposed(triangle, conj, nounit, kernel, x),
                    false => triangular_mv::multiply_transposed(triangle, conj, nounit, kernel, x),
                };
            }
        }
        if solve {
            triangular_solve(uplo, trans.is_transposed(), conj, nounit, a, x)
        } else {
            triangular_multiply(uplo, trans.is_transposed(), conj, nounit, a, x)
        }
    })
}

/// Column j of a triangle: its diagonal element, the off-diagonal part, and the row
/// where that part starts.
unsafe fn triangle_column<'a, T: Scalar>(
    a: &Storage<T>,
    uplo: Uplo,
    j: usize,
) -> (T, &'a [T], usize) {
    let (lo, col) = a.column(j);
    match uplo {
        Uplo::Upper => (col[j - lo], &col[..j - lo], lo),
        Uplo::Lower => (col[0], &col[1..], j + 1),
    }
}

pub(super) unsafe fn triangular_multiply<T: Scalar>(
    uplo: Uplo,
    transposed: bool,
    conj: bool,
    nounit: bool,
    a: Storage<T>,
    x: &mut [T],
) {
    let n = x.len();
    let step = |j: usize, x: &mut [T]| {
        let (d, off, first) = triangle_column(&a, uplo, j);
        let rows = first..first + off.len();
        if transposed {
            let mut temp = x[j];
            if nounit {
                temp *= op_value(d, conj);
            }
            x[j] = temp + dot(off, &x[rows], conj);
        } else {
            let temp = x[j];
            axpy(&mut x[rows], temp, off);
            if nounit {
                x[j] = temp * d;
            }
        }
    };
    // Each step reads the elements it has not yet overwritten.
    let forward = (uplo == Uplo::Upper) != transposed;
    if forward {
        (0..n).for_each(|j| step(j, x));
    } else {
        (0..n).rev().for_each(|j| step(j, x));
    }
}

// Division goes through `Scalar::quotient`: robust for complex values near under/overflow.
#[allow(clippy::assign_op_pattern)]
pub(super) unsafe fn triangular_solve<T: Scalar>(
    uplo: Uplo,
    transposed: bool,
    conj: bool,
    nounit: bool,
    a: Storage<T>,
    x: &mut [T],
) {
    let n = x.len();
    let step = |j: usize, x: &mut [T]| {
        let (d, off, first) = triangle_column(&a, uplo, j);
        let rows = first..first + off.len();
        if transposed {
            let mut temp = x[j] - dot(off, &x[rows], conj);
            if nounit {
                temp = temp.quotient(op_value(d, conj));
            }
            x[j] = temp;
        } else {
            if nounit {
                x[j] = x[j].quotient(d);
            }
            let temp = x[j];
            axpy(&mut x[rows], -temp, off);
        }
    };
    let forward = (uplo == Uplo::Lower) != transposed;
    if forward {
        (0..n).for_each(|j| step(j, x));
    } else {
        (0..n).rev().for_each(|j| step(j, x));
    }
}

/// A := alpha * x * op(y)^T + A for an `m x n` matrix, op conjugation when `conj`
/// (GER, GERU; GERC).
///
/// # Safety
/// Storage and vectors valid for the checked shapes; A disjoint from x and y.
pub unsafe fn rank1<T: Scalar>(
    conj: bool,
    a: Storage<T>,
    (m, n): (usize, usize),
    alpha: T,
    (x, incx): (*const T, isize),
    (y, incy): (*const T, isize),
) {
    if m == 0 || n == 0 || alpha.is_zero() {
        return;
    }
    with_vector(x, m, incx, |x| {
        with_vector(y, n, incy, |y| {
            // Columns shared among the threads; each column's update is the same on any.
            let parts = crate::threads::parts_for(m * n, GEMV_PARALLEL_ELEMENTS);
            let matrix = Shared(a);
            crate::threads::run_parts(parts, &|p| {
                let cols = n * p / parts..n * (p + 1) / parts;
                rank1_columns(conj, matrix.storage(), alpha, x, y, cols)
            });
        })
    })
}

crate::dispatched! {
    /// The column sweep of [`rank1`] over `cols`: an axpy down each column whose y_j is
    /// not zero (complex columns on `complex_gemv`'s register kernel, same bits).
    ///
    /// # Safety
    /// `a` describes valid memory for y.len() columns of x.len() rows; `cols` within them.
    unsafe fn rank1_columns<T: Scalar>(conj: bool, a: Storage<T>, alpha: T, x: &[T], y: &[T], cols: Range<usize>) -> () {
        let registers = complex_gemv::kernels_for::<T>().map(|k| k.rank_one);
        for j in cols {
            let yj = y[j];
            if yj.is_zero() {
                continue;
            }
            let (lo, col) = a.column_mut(j);
            let (t, x) = (alpha * op_value(yj, conj), &x[lo..lo + col.len()]);
            match registers {
                Some(kernel) => kernel(col, x, t),
                None => axpy(col, t, x),
            }
        }
    }
}

/// A := alpha * x * x^H + A for Hermitian A of order n with real alpha, one triangle
/// referenced (HER, HPR; for real scalars SYR, SPR). The diagonal stays real.
///
/// # Safety
/// Storage and vector valid for the checked shapes; A disjoint from x.
pub unsafe fn hermitian_rank1<T: Scalar>(
    uplo: Uplo,
    a: Storage<T>,
    n: usize,
    alpha: T,
    (x, incx): (*const T, isize),
) {
    if n == 0 || alpha.is_zero() {
        return;
    }
    with_vector(x, n, incx, |x| {
        for j in 0..n {
            let (d, off, first) = triangle_column_mut(&a, uplo, j);
            let xj = x[j];
            if xj.is_zero() {
                *d = T::from_real(d.re());
                continue;
            }
            let temp = alpha * Scalar::conj(xj);
            axpy(off, temp, &x[first..]);
            *d = T::from_real(d.re() + (xj * temp).re());
        }
    })
}

/// A := alpha * x * y^H + conj(alpha) * y * x^H + A for Hermitian A of order n, one
/// triangle referenced (HER2, HPR2; for real scalars SYR2, SPR2). The diagonal stays real.
///
/// # Safety
/// Storage and vectors valid for the checked shapes; A disjoint from x and y.
pub unsafe fn hermitian_rank2<T: Scalar>(
    uplo: Uplo,
    a: Storage<T>,
    n: usize,
    alpha: T,
    (x, incx): (*const T, isize),
    (y, incy): (*const T, isize),
) {
    if n == 0 || alpha.is_zero() {
        return;
    }
    with_vector(x, n, incx, |x| {
        with_vector(y, n, incy, |y| {
            // Columns shared among the threads in parts of about equal area.
            let parts = crate::threads::parts_for(n * n / 2, GEMV_PARALLEL_ELEMENTS);
            let cut = |p: usize| {
                let share = p as f64 / parts as f64;
                let fraction = match uplo {
                    Uplo::Lower => 1.0 - (1.0 - share).sqrt(),
                    Uplo::Upper => share.sqrt(),
                };
                ((n as f64 * fraction).round() as usize).min(n)
            };
            let triangle = Shared(a);
            crate::threads::run_parts(parts, &|p| {
                rank2_columns(uplo, triangle.storage(), alpha, x, y, cut(p)..cut(p + 1))
            });
        })
    })
}

/// A matrix whose threads update disjoint columns.
struct Shared<T>(Storage<T>);

// Each thread writes its own columns only.
unsafe impl<T: Sync> Sync for Shared<T> {}

impl<T: Copy> Shared<T> {
    fn storage(&self) -> Storage<T> {
        self.0
    }
}

crate::dispatched! {
    /// The column sweep of [`hermitian_rank2`]: each column's off-diagonal part gets
    /// (a + x_i*temp1) + y_i*temp2 in one pass, complex columns on `complex_gemv`'s
    /// register kernel (same bits).
    ///
    /// # Safety
    /// `a` describes valid memory for the order-x.len() triangle; `cols` within it.
    unsafe fn rank2_columns<T: Scalar>(uplo: Uplo, a: Storage<T>, alpha: T, x: &[T], y: &[T], cols: Range<usize>) -> () {
        let registers = complex_gemv::kernels_for::<T>().map(|k| k.rank_two);
        for j in cols {
            let (d, off, first) = triangle_column_mut(&a, uplo, j);
            let (xj, yj) = (x[j], y[j]);
            if xj.is_zero() && yj.is_zero() {
                *d = T::from_real(d.re());
                continue;
            }
            let temp1 = alpha * Scalar::conj(yj);
            let temp2 = Scalar::conj(alpha * xj);
            let (x_part, y_part) = (&x[first..first + off.len()], &y[first..first + off.len()]);
            match registers {
                Some(kernel) => kernel(off, x_part, y_part, temp1, temp2),
                None => {
                    for ((o, &xi), &yi) in off.iter_mut().zip(x_part).zip(y_part) {
                        *o = *o + temp1 * xi + temp2 * yi;
                    }
                }
            }
            // Reference order: SYR2 adds the two terms one after the other, HER2
            // adds their sum; borderline-definite LAPACK inputs notice the last bit.
            *d = if T::IS_COMPLEX {
                T::from_real(d.re() + (xj * temp1 + yj * temp2).re())
            } else {
                *d + xj * temp1 + yj * temp2
            };
        }
    }
}

/// Column j of a triangle, for update: its diagonal element, the off-diagonal part, and
/// the row where that part starts.
unsafe fn triangle_column_mut<'a, T: Scalar>(
    a: &Storage<T>,
    uplo: Uplo,
    j: usize,
) -> (&'a mut T, &'a mut [T], usize) {
    let (lo, col) = a.column_mut(j);
    match uplo {
        Uplo::Upper => {
            let (off, rest) = col.split_at_mut(j - lo);
            (&mut rest[0], off, lo)
        }
        Uplo::Lower => {
            let (d, off) = col.split_first_mut().unwrap();
            (d, off, j + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::c64;

    /// Dense reference: y = alpha * op(A) * x + beta * y with A m x n column-major.
    fn dense_mv(trans: Trans, a: &[c64], m: usize, n: usize, x: &[c64], y: &mut [c64]) {
        let leny = if trans.is_transposed() { n } else { m };
        for (i, yi) in y.iter_mut().enumerate().take(leny) {
            let mut s = c64::new(0.0, 0.0);
            let len = if trans.is_transposed() { m } else { n };
            for (k, &xk) in x.iter().enumerate().take(len) {
                let v = match trans {
                    Trans::No => a[i + k * m],
                    Trans::Trans => a[k + i * m],
                    Trans::ConjTrans => a[k + i * m].conj(),
                };
                s += v * xk;
            }
            *yi += s;
        }
    }

    fn sample(len: usize, seed: f64) -> Vec<c64> {
        (0..len)
            .map(|i| {
                c64::new(
                    (i as f64 * 0.37 + seed).sin(),
                    (i as f64 * 0.11 - seed).cos(),
                )
            })
            .collect()
    }

    #[test]
    fn gemv_matches_dense_on_both_paths() {
        for &(m, n) in &[(3usize, 5usize), (70, 90)] {
            let a = sample(m * n, 0.5);
            for trans in [Trans::No, Trans::Trans, Trans::ConjTrans] {
                let (lx, ly) = if trans.is_transposed() {
                    (m, n)
                } else {
                    (n, m)
                };
                let x = sample(lx, 1.5);
                let mut y = vec![c64::new(f64::NAN, 0.0); ly];
                let mut expected = vec![c64::new(0.0, 0.0); ly];
                dense_mv(trans, &a, m, n, &x, &mut expected);
                let storage = Storage::Full {
                    ptr: a.as_ptr() as *mut c64,
                    ld: m,
                    m,
                    uplo: None,
                };
                unsafe {
                    mv(
                        trans,
                        storage,
                        (m, n),
                        c64::new(1.0, 0.0),
                        (x.as_ptr(), 1),
                        c64::new(0.0, 0.0),
                        (y.as_mut_ptr(), 1),
                    )
                };
                for (got, want) in y.iter().zip(&expected) {
                    assert!((*got - *want).norm() < 1e-10, "{trans:?} {m}x{n}");
                }
            }
        }
    }

    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, Real};

    /// Memory index of logical element i of a vector of n at increment inc.
    fn at(n: usize, inc: isize, i: usize) -> usize {
        if inc > 0 {
            i * inc as usize
        } else {
            (n - 1 - i) * inc.unsigned_abs()
        }
    }

    /// Runs GEMV through `mv` on an `m x n` matrix with leading dimension `m + pad`.
    #[allow(clippy::too_many_arguments)]
    fn run_gemv<T: Scalar>(
        trans: Trans,
        a: &[T],
        (m, n, ld): (usize, usize, usize),
        alpha: T,
        (x, incx): (&[T], isize),
        beta: T,
        (y, incy): (&mut [T], isize),
    ) {
        let storage = Storage::Full {
            ptr: a.as_ptr() as *mut T,
            ld,
            m,
            uplo: None,
        };
        unsafe {
            mv(
                trans,
                storage,
                (m, n),
                alpha,
                (x.as_ptr(), incx),
                beta,
                (y.as_mut_ptr(), incy),
            )
        };
    }

    /// GEMV with op(A) = A against the reference's loop, bit for bit: y_i := beta*y_i,
    /// then y_i + (alpha*x_j)*a_ij for j in order; the threaded row split and the column
    /// blocking must not change one element's operations.
    fn check_plain<T: Scalar>(m: usize, n: usize, pad: usize, incs: (isize, isize)) {
        let ld = m + pad;
        let a: Vec<T> = values(ld * n, (m * 1000 + n) as u64);
        let (ix, iy) = (incs.0.unsigned_abs(), incs.1.unsigned_abs());
        let x: Vec<T> = values(n * ix, 3);
        let y0: Vec<T> = values(m * iy, 4);
        let alpha = T::from_parts(
            <T::RealPart as Float>::from_f64(0.75),
            <T::RealPart as Float>::from_f64(-0.25),
        );
        let beta = T::from_parts(
            <T::RealPart as Float>::from_f64(-1.5),
            <T::RealPart as Float>::from_f64(0.5),
        );
        let mut y = y0.clone();
        run_gemv(
            Trans::No,
            &a,
            (m, n, ld),
            alpha,
            (&x, incs.0),
            beta,
            (&mut y, incs.1),
        );
        for i in 0..m {
            let mut want = beta * y0[at(m, incs.1, i)];
            for j in 0..n {
                want += (alpha * x[at(n, incs.0, j)]) * a[i + j * ld];
            }
            let got = y[at(m, incs.1, i)];
            assert!(
                got == want,
                "{} {m}x{n} row {i}: {got:?} {want:?}",
                T::PREFIX
            );
        }
    }

    #[test]
    fn gemv_plain_matches_the_reference_loop_bit_for_bit() {
        let big = (300, 200); // 60,000 elements: split over the threads
        for (m, n) in [
            (1, 1),
            (1, 9),
            (9, 1),
            (7, 5),
            (33, 17),
            (32, 32),
            (65, 13),
            (64, 64),
            (97, 65),
            (100, 70),
            big,
        ] {
            for (pad, incs) in [(0, (1, 1)), (3, (-2, 1)), (1, (1, -3)), (0, (-1, -1))] {
                check_plain::<f64>(m, n, pad, incs);
                check_plain::<f32>(m, n, pad, incs);
                check_plain::<c64>(m, n, pad, incs);
                check_plain::<c32>(m, n, pad, incs);
            }
        }
    }

    /// GEMV with op(A) = A^T or A^H against double-double sums of the terms, within
    /// (m + 2) eps times the sum of |terms|, on both paths (columns and faer).
    fn check_transposed<T: Scalar>(
        trans: Trans,
        m: usize,
        n: usize,
        pad: usize,
        incs: (isize, isize),
    ) {
        let ld = m + pad;
        let a: Vec<T> = values(ld * n, (m * 1000 + n) as u64 + 7);
        let (ix, iy) = (incs.0.unsigned_abs(), incs.1.unsigned_abs());
        let x: Vec<T> = values(m * ix, 5);
        let y0: Vec<T> = values(n * iy, 6);
        let alpha = T::from_parts(
            <T::RealPart as Float>::from_f64(1.25),
            <T::RealPart as Float>::from_f64(0.5),
        );
        let mut y = y0.clone();
        run_gemv(
            trans,
            &a,
            (m, n, ld),
            alpha,
            (&x, incs.0),
            T::zero(),
            (&mut y, incs.1),
        );
        let eps = <T::RealPart as Float>::epsilon().to_f64();
        let conj = trans == Trans::ConjTrans;
        for j in 0..n {
            // alpha * sum op(a_ij) x_i in f64 pairs: error-free products, compensated sums.
            // [hi, lo] of the real and of the imaginary part.
            let (mut sums, mut scale) = ([[0.0f64; 2]; 2], 0.0f64);
            let (al_r, al_i) = (alpha.re().to_f64(), alpha.im().to_f64());
            for i in 0..m {
                let aij = a[i + j * ld];
                let aij = if conj { aij.conj() } else { aij };
                let xi = x[at(m, incs.0, i)];
                let (ar, ai) = (aij.re().to_f64(), aij.im().to_f64());
                let (xr, xim) = (xi.re().to_f64(), xi.im().to_f64());
                for (part, p, q) in [(0, ar, xr), (0, -ai, xim), (1, ar, xim), (1, ai, xr)] {
                    let acc = &mut sums[part];
                    let prod = p * q;
                    let s = acc[0] + prod;
                    let bb = s - acc[0];
                    acc[1] += (acc[0] - (s - bb)) + (prod - bb) + p.mul_add(q, -prod);
                    acc[0] = s;
                    scale += prod.abs();
                }
            }
            let (dr, di) = (sums[0][0] + sums[0][1], sums[1][0] + sums[1][1]);
            let (want_r, want_i) = (al_r * dr - al_i * di, al_r * di + al_i * dr);
            let got = y[at(n, incs.1, j)];
            let err = (got.re().to_f64() - want_r).abs() + (got.im().to_f64() - want_i).abs();
            let tol =
                (m as f64 + 2.0) * eps * scale * (al_r.abs() + al_i.abs()) + f64::MIN_POSITIVE;
            assert!(
                err <= tol,
                "{} {trans:?} {m}x{n} col {j}: {err} > {tol}",
                T::PREFIX
            );
        }
    }

    #[test]
    fn gemv_transposed_matches_double_double() {
        let big = (200, 300);
        for (m, n) in [
            (1, 1),
            (1, 9),
            (9, 1),
            (7, 5),
            (15, 4),
            (16, 3),
            (17, 33),
            (32, 32),
            (100, 7),
            big,
        ] {
            for (pad, incs) in [(0, (1, 1)), (2, (-1, 2)), (0, (3, -1))] {
                for trans in [Trans::Trans, Trans::ConjTrans] {
                    check_transposed::<f64>(trans, m, n, pad, incs);
                    check_transposed::<f32>(trans, m, n, pad, incs);
                    check_transposed::<c64>(trans, m, n, pad, incs);
                    check_transposed::<c32>(trans, m, n, pad, incs);
                }
            }
        }
        // Above GEMV_STREAM_ELEMENTS: the column sweep on every thread.
        let (m, n) = (2100, 1003);
        assert!(m * n >= GEMV_STREAM_ELEMENTS);
        check_transposed::<f64>(Trans::Trans, m, n, 1, (1, 1));
        check_transposed::<c32>(Trans::ConjTrans, m, n, 0, (-1, 2));
    }

    /// The threads' shares of a large transposed GEMV give the bits one thread gives.
    #[test]
    fn streamed_transposed_gemv_does_not_depend_on_the_threads() {
        let (m, n) = (2048, 1030);
        let a: Vec<f64> = values(m * n, 11);
        let x: Vec<f64> = values(m, 12);
        let run = || {
            let mut y: Vec<f64> = values(n, 13);
            run_gemv(Trans::Trans, &a, (m, n, m), 0.75, (&x, 1), 0.5, (&mut y, 1));
            y
        };
        let threaded = run();
        let alone = crate::threads::sequential(run);
        assert!(threaded
            .iter()
            .zip(&alone)
            .all(|(p, q)| p.to_bits() == q.to_bits()));
    }

    #[test]
    fn gemv_alpha_zero_never_reads_a_and_beta_zero_never_reads_y() {
        fn check<T: Scalar + Real>() {
            let nan = <T as Float>::from_f64(f64::NAN);
            let a = vec![nan; 40 * 30];
            let x = vec![nan; 40];
            let mut y = vec![<T as Float>::from_f64(2.0); 40];
            run_gemv(
                Trans::No,
                &a,
                (40, 30, 40),
                T::zero(),
                (&x, 1),
                <T as Float>::from_f64(0.5),
                (&mut y, 1),
            );
            assert!(y.iter().all(|v| *v == <T as Float>::from_f64(1.0)));
            let b: Vec<T> = values(40 * 30, 9);
            let ones = vec![T::one(); 40];
            for trans in [Trans::No, Trans::Trans] {
                let mut y = vec![nan; 40];
                run_gemv(
                    trans,
                    &b,
                    (40, 30, 40),
                    T::one(),
                    (&ones, 1),
                    T::zero(),
                    (&mut y, 1),
                );
                let len = if trans == Trans::No { 40 } else { 30 };
                assert!(y[..len].iter().all(|v| !v.is_nan()), "{trans:?}");
                assert!(y[len..].iter().all(|v| v.is_nan()));
            }
        }
        check::<f64>();
        check::<f32>();
    }

    #[test]
    fn trsv_inverts_trmv_with_negative_increment() {
        let n = 7;
        let mut a = sample(n * n, 0.2);
        for i in 0..n {
            a[i + i * n] += c64::new(4.0, 0.0);
        }
        let x0 = sample(2 * n, 0.9);
        for uplo in [Uplo::Upper, Uplo::Lower] {
            for trans in [Trans::No, Trans::Trans, Trans::ConjTrans] {
                let mut x = x0.clone();
                let storage = Storage::Full {
                    ptr: a.as_mut_ptr(),
                    ld: n,
                    m: n,
                    uplo: Some(uplo),
                };
                unsafe {
                    triangular(
                        false,
                        uplo,
                        trans,
                        Diag::NonUnit,
                        storage,
                        n,
                        (x.as_mut_ptr(), -2),
                    );
                    triangular(
                        true,
                        uplo,
                        trans,
                        Diag::NonUnit,
                        storage,
                        n,
                        (x.as_mut_ptr(), -2),
                    );
                }
                for (got, want) in x.iter().zip(&x0) {
                    assert!((*got - *want).norm() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn packed_and_band_spans_cover_the_triangle() {
        let p = Storage::<f64>::Packed {
            ptr: std::ptr::null_mut(),
            n: 4,
            uplo: Uplo::Lower,
        };
        assert_eq!(p.span(0), (0, 0, 4));
        assert_eq!(p.span(1), (1, 4, 3));
        assert_eq!(p.span(3), (3, 9, 1));
        let b = Storage::<f64>::Band {
            ptr: std::ptr::null_mut(),
            ld: 3,
            m: 4,
            kl: 0,
            ku: 2,
        };
        assert_eq!(b.span(0), (0, 2, 1));
        assert_eq!(b.span(3), (1, 9, 3));
    }

    #[test]
    fn beta_zero_never_lets_nan_in_y_through() {
        let (m, n) = (3, 2);
        let a = [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0];
        let x = [1.0f64, 0.0, 1.0, 0.0];
        let mut y = [f64::NAN; 6];
        let storage = Storage::Full {
            ptr: a.as_ptr() as *mut f64,
            ld: m,
            m,
            uplo: None,
        };
        unsafe {
            mv(
                Trans::No,
                storage,
                (m, n),
                1.0,
                (x.as_ptr(), -2),
                0.0,
                (y.as_mut_ptr(), -2),
            )
        };
        // Logical y_i sits at y[4 - 2i]; x = (1, 1): y = A * [1, 1].
        assert_eq!([y[4], y[2], y[0]], [5.0, 7.0, 9.0]);
        assert!(y[1].is_nan() && y[3].is_nan() && y[5].is_nan());
    }

    #[test]
    fn hermitian_updates_keep_the_diagonal_real() {
        let n = 3;
        // Packed lower triangle with imaginary parts on the diagonal.
        let mut ap: Vec<c64> = (0..6).map(|i| c64::new(i as f64, 1.0)).collect();
        let x = [c64::new(1.0, 2.0), c64::new(0.0, 0.0), c64::new(-1.0, 0.5)];
        let storage = Storage::Packed {
            ptr: ap.as_mut_ptr(),
            n,
            uplo: Uplo::Lower,
        };
        unsafe { hermitian_rank1(Uplo::Lower, storage, n, c64::new(2.0, 0.0), (x.as_ptr(), 1)) };
        // Diagonal of the lower packed order-3 triangle: positions 0, 3, 5.
        for (d, xj, before) in [(0, x[0], 0.0), (3, x[1], 3.0), (5, x[2], 5.0)] {
            assert_eq!(ap[d].im, 0.0);
            assert_eq!(ap[d].re, before + 2.0 * xj.norm_sqr());
        }
        // Off the diagonal: a(2,0) += 2 * x2 * conj(x0).
        let want = c64::new(2.0, 1.0) + c64::new(2.0, 0.0) * x[2] * x[0].conj();
        assert!((ap[2] - want).norm() < 1e-15);
    }
}
