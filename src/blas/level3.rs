//! Level-3 BLAS bodies, generic over the scalar, on faer's matrix kernels.
//! Arguments arrive checked (see `crate::abi::blas_level3`).

use crate::blas::args::Trans;
use crate::blas::gemm_small;
use crate::scalar::Scalar;
use faer::linalg::matmul::matmul_with_conj;
use faer::{Accum, Conj, MatMut, MatRef};

/// A column-major matrix in caller memory: `rows x cols`, leading dimension `ld`.
/// # Safety
/// `ptr` must be valid for the whole `ld x cols` block when rows, cols > 0.
pub unsafe fn view<'a, T: Scalar>(
    ptr: *const T,
    rows: usize,
    cols: usize,
    ld: usize,
) -> MatRef<'a, T> {
    MatRef::from_raw_parts(ptr, rows, cols, 1, ld as isize)
}

/// The mutable twin of [`view`].
/// # Safety
/// As for [`view`], and nothing else may access the block meanwhile.
pub unsafe fn view_mut<'a, T: Scalar>(
    ptr: *mut T,
    rows: usize,
    cols: usize,
    ld: usize,
) -> MatMut<'a, T> {
    MatMut::from_raw_parts_mut(ptr, rows, cols, 1, ld as isize)
}

/// op(X) for an operand stored `rows x cols` (before op): the view and its conjugation.
pub fn op<T: Scalar>(x: MatRef<'_, T>, trans: Trans) -> (MatRef<'_, T>, Conj) {
    match trans {
        Trans::No => (x, Conj::No),
        Trans::Trans => (x.transpose(), Conj::No),
        Trans::ConjTrans => (x.transpose(), Conj::Yes),
    }
}

/// C := beta * C, where beta == 0 sets C to zero without reading it (BLAS semantics:
/// NaN or Inf already in C must not survive).
pub fn scale<T: Scalar>(mut c: MatMut<'_, T>, beta: T) {
    if beta == T::one() {
        return;
    }
    for j in 0..c.ncols() {
        for i in 0..c.nrows() {
            let v = if beta.is_zero() {
                T::zero()
            } else {
                beta * c[(i, j)]
            };
            c[(i, j)] = v;
        }
    }
}

/// C := alpha * op(A) * op(B) + beta * C, with op(A) m x k and op(B) k x n.
///
/// # Safety
/// Pointers valid for the checked shapes and leading dimensions; C disjoint from A and B.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm<T: Scalar>(
    transa: Trans,
    transb: Trans,
    (m, n, k): (usize, usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*const T, usize),
    beta: T,
    (c, ldc): (*mut T, usize),
) {
    if m == 0 || n == 0 || ((alpha.is_zero() || k == 0) && beta == T::one()) {
        return;
    }
    let dims = (m, n, k);
    if crate::route::gemm(
        transa,
        transb,
        dims,
        alpha,
        (a, lda),
        (b, ldb),
        beta,
        (c, ldc),
    )
    .ran_on_device()
    {
        return;
    }
    if !alpha.is_zero() && k != 0 && m * n * k <= gemm_small::MAX_VOLUME {
        return gemm_small::gemm(
            transa,
            transb,
            (m, n, k),
            alpha,
            (a, lda),
            (b, ldb),
            beta,
            (c, ldc),
        );
    }
    let mut c = view_mut(c, m, n, ldc);
    if alpha.is_zero() || k == 0 {
        scale(c, beta);
        return;
    }
    let (a_rows, a_cols) = if transa.is_transposed() {
        (k, m)
    } else {
        (m, k)
    };
    let (b_rows, b_cols) = if transb.is_transposed() {
        (n, k)
    } else {
        (k, n)
    };
    let (a, conj_a) = op(view(a, a_rows, a_cols, lda), transa);
    let (b, conj_b) = op(view(b, b_rows, b_cols, ldb), transb);
    let accum = if beta.is_zero() {
        Accum::Replace
    } else {
        scale(c.as_mut(), beta);
        Accum::Add
    };
    let flops = 2.0 * (m * n * k) as f64;
    matmul_with_conj(
        c,
        accum,
        a,
        conj_a,
        b,
        conj_b,
        alpha,
        crate::threads::par_for(flops),
    );
}
