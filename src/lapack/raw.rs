//! Column-major matrices in caller memory, addressed the way LAPACK's Fortran does:
//! a base pointer and a leading dimension. The recursive factorizations split these
//! into blocks and hand the blocks to the BLAS bodies.

use crate::blas::args::Trans;
use crate::blas::level2::{self, Storage};
use crate::scalar::Scalar;

/// A column-major block: element (i, j) is at `ptr + i + j * ld`.
#[derive(Clone, Copy)]
pub struct RawMat<T> {
    pub ptr: *mut T,
    pub ld: usize,
}

impl<T: Scalar> RawMat<T> {
    #[inline(always)]
    pub fn new(ptr: *mut T, ld: usize) -> Self {
        RawMat { ptr, ld }
    }

    /// The block whose (0, 0) is this block's (i, j).
    ///
    /// # Safety
    /// (i, j) must lie inside the caller's array.
    #[inline(always)]
    pub unsafe fn at(self, i: usize, j: usize) -> RawMat<T> {
        RawMat::new(self.ptr.add(i + j * self.ld), self.ld)
    }

    /// # Safety
    /// (i, j) must lie inside the caller's array.
    #[inline(always)]
    pub unsafe fn get(self, i: usize, j: usize) -> T {
        *self.ptr.add(i + j * self.ld)
    }

    /// # Safety
    /// (i, j) must lie inside the caller's array.
    #[inline(always)]
    pub unsafe fn set(self, i: usize, j: usize, value: T) {
        *self.ptr.add(i + j * self.ld) = value;
    }

    /// Exchanges elements (i1, j1) and (i2, j2).
    ///
    /// # Safety
    /// Both positions must lie inside the caller's array.
    #[inline(always)]
    pub unsafe fn swap(self, (i1, j1): (usize, usize), (i2, j2): (usize, usize)) {
        std::ptr::swap(
            self.ptr.add(i1 + j1 * self.ld),
            self.ptr.add(i2 + j2 * self.ld),
        );
    }

    /// The whole of faer's matrix `m` (its column stride as the leading dimension).
    pub fn of_mat(m: &mut faer::Mat<T>) -> Self {
        RawMat::new(m.as_ptr_mut(), m.col_stride() as usize)
    }

    /// The whole of faer's view `m`, whose columns must be contiguous.
    pub fn of_view(m: &mut faer::MatMut<'_, T>) -> Self {
        debug_assert_eq!(m.row_stride(), 1);
        RawMat::new(m.as_ptr_mut(), m.col_stride() as usize)
    }

    /// A copy of the leading rows x cols block, columns packed (leading dimension `rows`).
    ///
    /// # Safety
    /// The block must lie inside the caller's array.
    pub unsafe fn packed_copy(self, rows: usize, cols: usize) -> Vec<T> {
        let mut out = Vec::with_capacity(rows * cols);
        for j in 0..cols {
            out.extend_from_slice(std::slice::from_raw_parts(self.ptr.add(j * self.ld), rows));
        }
        out
    }

    /// The (pointer, leading dimension) pair the BLAS bodies take.
    pub fn arg(self) -> (*mut T, usize) {
        (self.ptr, self.ld)
    }

    pub fn arg_const(self) -> (*const T, usize) {
        (self.ptr as *const T, self.ld)
    }
}

/// xLACGV: conjugates `len` entries `inc` apart (nothing for real T).
///
/// # Safety
/// `x` valid for `len` entries at stride `inc`.
pub unsafe fn conjugate<T: Scalar>(len: usize, x: *mut T, inc: usize) {
    if T::IS_COMPLEX {
        for k in 0..len {
            let p = x.add(k * inc);
            *p = (*p).conj();
        }
    }
}

/// y := alpha op(A) x + beta y for the m x n block `a` (xGEMV), x and y given as
/// (pointer, stride), as the unblocked and panel reductions call it.
///
/// # Safety
/// `a` valid for m x n, x and y for their lengths at their strides.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemv<T: Scalar>(
    trans: Trans,
    a: RawMat<T>,
    (m, n): (usize, usize),
    alpha: T,
    x: (*const T, usize),
    beta: T,
    y: (*mut T, usize),
) {
    let storage = Storage::Full {
        ptr: a.ptr,
        ld: a.ld,
        m,
        uplo: None,
    };
    let (x, y) = ((x.0, x.1 as isize), (y.0, y.1 as isize));
    level2::mv(trans, storage, (m, n), alpha, x, beta, y);
}
