//! Level-3 BLAS bodies, generic over the scalar, on faer's matrix kernels.
//! Arguments arrive checked (see `crate::abi::blas_level3`).

use crate::blas::args::{Diag, GemmArgs, Side, Trans, TrsmArgs, Uplo};
use crate::blas::{gemm_blocked, gemm_small, syrk_small, triangle_update, trsm_leaf, trsm_small};
use crate::route::{self, Decision};
use crate::scalar::Scalar;
use faer::linalg::matmul::matmul_with_conj;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::linalg::triangular_solve::{
    solve_lower_triangular_in_place_with_conj, solve_unit_lower_triangular_in_place_with_conj,
    solve_unit_upper_triangular_in_place_with_conj, solve_upper_triangular_in_place_with_conj,
};
use faer::{Accum, Conj, Mat, MatMut, MatRef};

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
#[inline(always)]
pub unsafe fn gemm<T: Scalar>(
    transa: Trans,
    transb: Trans,
    dims: (usize, usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*const T, usize),
    beta: T,
    c: (*mut T, usize),
) -> Option<Decision> {
    // The small products first, inlined into the entry point: exactly the calls that
    // `gemm_in` would send through `gemm_cpu` to the small-product loops (not a quick
    // return, never routed to the device), without the calls in between.
    let (m, n, k) = dims;
    if m != 0
        && n != 0
        && k != 0
        && !alpha.is_zero()
        && m.saturating_mul(n).saturating_mul(k) <= gemm_small::MAX_VOLUME
        && crate::route::cpu_only(dims).is_some()
    {
        gemm_small::gemm(&GemmArgs::new((transa, transb), dims, alpha, a, b, beta, c));
        return None;
    }
    gemm_in(Order::Reference, transa, transb, dims, alpha, a, b, beta, c)
}

/// Whether small products must sum in the fixed reference order (the BLAS entry points:
/// LAPACK's tests compare results bit for bit across shapes) or may take the fastest
/// kernel (our own LAPACK bodies, whose results are checked by residuals).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Reference,
    Any,
}

/// [`gemm`] for the native LAPACK bodies: any summation order.
///
/// # Safety
/// As for [`gemm`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm_any_order<T: Scalar>(
    transa: Trans,
    transb: Trans,
    dims: (usize, usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*const T, usize),
    beta: T,
    c: (*mut T, usize),
) {
    gemm_in(Order::Any, transa, transb, dims, alpha, a, b, beta, c);
}

#[allow(clippy::too_many_arguments)]
unsafe fn gemm_in<T: Scalar>(
    order: Order,
    transa: Trans,
    transb: Trans,
    (m, n, k): (usize, usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*const T, usize),
    beta: T,
    (c, ldc): (*mut T, usize),
) -> Option<Decision> {
    // None: a quick return, or a call too small for the router (the CPU ran it).
    if m == 0 || n == 0 || ((alpha.is_zero() || k == 0) && beta == T::one()) {
        return None;
    }
    let dims = (m, n, k);
    let args = GemmArgs::new(
        (transa, transb),
        dims,
        alpha,
        (a, lda),
        (b, ldb),
        beta,
        (c, ldc),
    );
    if crate::route::cpu_only(dims).is_some() {
        gemm_cpu(order, &args);
        return None;
    }
    let decision = crate::route::gemm(&args);
    if !decision.ran_on_device() {
        gemm_cpu(order, &args);
    }
    Some(decision)
}

/// GEMM on the CPU: the small-product loops, our blocked real kernels, or faer's kernels.
///
/// # Safety
/// As for [`gemm`].
pub(crate) unsafe fn gemm_cpu<T: Scalar>(order: Order, args: &GemmArgs<T>) {
    let GemmArgs {
        transa,
        transb,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
    } = *args;
    if order == Order::Reference
        && !alpha.is_zero()
        && k != 0
        && m * n * k <= gemm_small::MAX_VOLUME
    {
        return gemm_small::gemm(args);
    }
    if !alpha.is_zero() && k != 0 && gemm_blocked::serves((m, n, k)) && gemm_blocked::gemm(args) {
        return;
    }
    let mut c = view_mut(c, m, n, ldc);
    if alpha.is_zero() || k == 0 {
        scale(c, beta);
        return;
    }
    let (a_rows, a_cols) = transa.stored_shape(m, k);
    let (b_rows, b_cols) = transb.stored_shape(k, n);
    let (a, conj_a) = op(view(a, a_rows, a_cols, lda), transa);
    let (b, conj_b) = op(view(b, b_rows, b_cols, ldb), transb);
    let accum = if beta.is_zero() {
        Accum::Replace
    } else {
        scale(c.as_mut(), beta);
        Accum::Add
    };
    let par = crate::threads::par_for(2.0 * (m * n * k) as f64);
    crate::threads::for_rayon(par, move || {
        matmul_with_conj(c, accum, a, conj_a, b, conj_b, alpha, par)
    });
}

/// Which triangle of a square operand a BLAS routine reads, as faer's block structure.
fn structure(lower: bool, diag: Diag) -> BlockStructure {
    match (lower, diag) {
        (true, Diag::NonUnit) => BlockStructure::TriangularLower,
        (true, Diag::Unit) => BlockStructure::UnitTriangularLower,
        (false, Diag::NonUnit) => BlockStructure::TriangularUpper,
        (false, Diag::Unit) => BlockStructure::UnitTriangularUpper,
    }
}

/// C := beta * C on the `uplo` triangle of the square C (beta == 0 never reads C).
fn scale_triangle<T: Scalar>(c: MatMut<'_, T>, uplo: Uplo, beta: T) {
    if beta == T::one() {
        return;
    }
    let n = c.ncols();
    let (p, rs, cs) = (c.as_ptr_mut(), c.row_stride(), c.col_stride());
    for j in 0..n {
        let rows = match uplo {
            Uplo::Upper => 0..j + 1,
            Uplo::Lower => j..n,
        };
        for i in rows {
            // SAFETY: (i, j) is inside the n x n view. (Raw: an indexed element costs a
            // bounds check a piece, which a tiny SYRK notices.)
            unsafe {
                let x = p.offset(i as isize * rs + j as isize * cs);
                *x = if beta.is_zero() { T::zero() } else { beta * *x };
            }
        }
    }
}

/// Drops the imaginary part of C's diagonal, as reference HERK/HER2K do.
fn real_diagonal<T: Scalar>(mut c: MatMut<'_, T>) {
    for j in 0..c.ncols() {
        let v = c[(j, j)].re();
        c[(j, j)] = T::from_real(v);
    }
}

/// C := alpha*A*B + beta*C (side Left) or alpha*B*A + beta*C (side Right), where A is
/// symmetric (or Hermitian when `hermitian`) and only its `uplo` triangle is read; for a
/// Hermitian A the imaginary part of its diagonal is taken as zero. C is m x n.
///
/// Returns the router's decision, None for a quick return or a call too small for the
/// router (the CPU ran it).
///
/// # Safety
/// Pointers valid for the checked shapes and leading dimensions; C disjoint from A, B.
#[allow(clippy::too_many_arguments)]
pub unsafe fn symm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    hermitian: bool,
    (m, n): (usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*const T, usize),
    beta: T,
    c: (*mut T, usize),
) -> Option<Decision> {
    if m == 0 || n == 0 || (alpha.is_zero() && beta == T::one()) {
        return None;
    }
    let ka = if side == Side::Left { m } else { n };
    let volume = route::level3::symm_volume((m, n), ka);
    on_device_or_cpu(
        route::cpu_only_volume(volume).is_none(),
        || route::level3::symm(side, uplo, hermitian, (m, n), alpha, a, b, beta, c),
        || symm_cpu(side, uplo, hermitian, (m, n), alpha, a, b, beta, c),
    )
}

/// [`symm`] on the CPU.
///
/// # Safety
/// As for [`symm`].
#[allow(clippy::too_many_arguments)]
unsafe fn symm_cpu<T: Scalar>(
    side: Side,
    uplo: Uplo,
    hermitian: bool,
    (m, n): (usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*const T, usize),
    beta: T,
    (c, ldc): (*mut T, usize),
) {
    let mut c = view_mut(c, m, n, ldc);
    if alpha.is_zero() {
        scale(c, beta);
        return;
    }
    let ka = if side == Side::Left { m } else { n };
    let a = view(a, ka, ka, lda);
    let b = view(b, m, n, ldb);
    // The full operand from the stored triangle: O(ka^2) work against O(ka^2 * other)
    // for the product, which then runs on faer's dense kernel.
    let stored = |i: usize, j: usize| match uplo {
        Uplo::Upper => i <= j,
        Uplo::Lower => i >= j,
    };
    let full = Mat::<T>::from_fn(ka, ka, |i, j| {
        if i == j && hermitian {
            T::from_real(a[(i, i)].re())
        } else if stored(i, j) {
            a[(i, j)]
        } else if hermitian {
            a[(j, i)].conj()
        } else {
            a[(j, i)]
        }
    });
    let accum = if beta.is_zero() {
        Accum::Replace
    } else {
        scale(c.as_mut(), beta);
        Accum::Add
    };
    let par = crate::threads::par_for(2.0 * (ka * m * n) as f64);
    let (lhs, rhs) = match side {
        Side::Left => (full.as_ref(), b),
        Side::Right => (b, full.as_ref()),
    };
    crate::threads::for_rayon(par, move || {
        matmul_with_conj(c, accum, lhs, Conj::No, rhs, Conj::No, alpha, par)
    });
}

/// The rank-k and rank-2k updates of the `uplo` triangle of the n x n matrix C:
/// SYRK  C := alpha*op(A)*op(A)^T + beta*C,
/// SYR2K C := alpha*op(A)*op(B)^T + alpha*op(B)*op(A)^T + beta*C (`b` is Some),
/// and with `hermitian` HERK/HER2K, ^H in place of ^T and conj(alpha) on the second
/// term; the imaginary part of C's diagonal is then set to zero. op(X) is X (n x k) for
/// `trans` No and X^T (X^H when hermitian) otherwise. The other triangle is not touched.
///
/// Returns the router's decision, None for a quick return or a call too small for the
/// router (the CPU ran it).
///
/// # Safety
/// Pointers valid for the checked shapes and leading dimensions; C disjoint from A, B.
#[allow(clippy::too_many_arguments)]
pub unsafe fn rank_k<T: Scalar>(
    uplo: Uplo,
    trans: Trans,
    hermitian: bool,
    (n, k): (usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: Option<(*const T, usize)>,
    beta: T,
    c: (*mut T, usize),
) -> Option<Decision> {
    if n == 0 || ((alpha.is_zero() || k == 0) && beta == T::one()) {
        return None;
    }
    let volume = route::level3::rank_k_volume(n, k, b.is_some());
    // A tiny real SYRK the CPU serves: on plain loops with faer's rounding.
    if !hermitian
        && b.is_none()
        && syrk_small::serves((n, k), alpha)
        && route::cpu_only_volume(volume).is_some()
    {
        syrk_small::syrk(uplo, trans, (n, k), alpha, a, beta, c);
        return None;
    }
    on_device_or_cpu(
        route::cpu_only_volume(volume).is_none(),
        || route::level3::rank_k(uplo, trans, hermitian, (n, k), alpha, a, b, beta, c),
        || rank_k_cpu(uplo, trans, hermitian, (n, k), alpha, a, b, beta, c),
    )
}

/// SYRK on faer's kernels whatever the size (the tests compare `syrk_small` with it).
///
/// # Safety
/// As for [`rank_k`].
#[cfg(test)]
pub(crate) unsafe fn rank_k_faer<T: Scalar>(
    uplo: Uplo,
    trans: Trans,
    dims: (usize, usize),
    alpha: T,
    a: (*const T, usize),
    beta: T,
    c: (*mut T, usize),
) {
    rank_k_cpu(uplo, trans, false, dims, alpha, a, None, beta, c);
}

/// [`rank_k`] on the CPU.
///
/// # Safety
/// As for [`rank_k`].
#[allow(clippy::too_many_arguments)]
unsafe fn rank_k_cpu<T: Scalar>(
    uplo: Uplo,
    trans: Trans,
    hermitian: bool,
    (n, k): (usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    b: Option<(*const T, usize)>,
    beta: T,
    (c, ldc): (*mut T, usize),
) {
    let mut c = view_mut(c, n, n, ldc);
    if alpha.is_zero() || k == 0 {
        scale_triangle(c.as_mut(), uplo, beta);
        if hermitian {
            real_diagonal(c);
        }
        return;
    }
    // Real SYRK, and SYR2K as two triangle products, on the blocked kernel (false: not
    // this scalar type or machine, for either product alike).
    if !hermitian && gemm_blocked::serves((n, n, k)) {
        let c_ptr = (c.as_ptr_mut(), ldc);
        let product = |x, y, beta| {
            gemm_blocked::triangle_product(uplo, trans, (n, k), alpha, x, y, beta, c_ptr)
        };
        let a = (a, lda);
        let served = match b {
            None => product(a, a, beta),
            Some(b) => product(a, b, beta) && product(b, a, T::one()),
        };
        if served {
            return;
        }
    }
    let transposed = trans.is_transposed();
    let (rows, cols) = if transposed { (k, n) } else { (n, k) };
    let a = view(a, rows, cols, lda);
    let b = b.map(|(b, ldb)| view(b, rows, cols, ldb));
    // op(X) (n x k) with its conjugation, and op(X)^T or op(X)^H (k x n) with its own.
    let left = |x: MatRef<'static, T>| {
        if transposed {
            (x.transpose(), if hermitian { Conj::Yes } else { Conj::No })
        } else {
            (x, Conj::No)
        }
    };
    let right = |x: MatRef<'static, T>| {
        if transposed {
            (x, Conj::No)
        } else {
            (x.transpose(), if hermitian { Conj::Yes } else { Conj::No })
        }
    };
    let accum = if beta.is_zero() {
        Accum::Replace
    } else {
        scale_triangle(c.as_mut(), uplo, beta);
        Accum::Add
    };
    let lower = uplo == Uplo::Lower;
    triangle_update::add_product(
        c.as_mut(),
        lower,
        left(a),
        right(b.unwrap_or(a)),
        alpha,
        accum,
    );
    if let Some(b) = b {
        let alpha2 = if hermitian { alpha.conj() } else { alpha };
        triangle_update::add_product(c.as_mut(), lower, left(b), right(a), alpha2, Accum::Add);
    }
    if hermitian {
        real_diagonal(c);
    }
}

/// The triangular operand as it acts in TRMM/TRSM: for side Left op(A), for side Right
/// op(A)^T (so that X*op(A) becomes op(A)^T * X^T). Returns the view, whether it is
/// lower triangular, and its conjugation.
fn tri_operand<T: Scalar>(
    a: MatRef<'_, T>,
    side: Side,
    uplo: Uplo,
    trans: Trans,
) -> (MatRef<'_, T>, bool, Conj) {
    let lower = uplo == Uplo::Lower;
    let conj = if trans == Trans::ConjTrans {
        Conj::Yes
    } else {
        Conj::No
    };
    // Left: op(A) is A (No) or A^T (T, C). Right: op(A)^T is A^T (No) or A (T, C).
    let transposed = (side == Side::Left) == trans.is_transposed();
    if transposed {
        (a.transpose(), !lower, conj)
    } else {
        (a, lower, conj)
    }
}

/// B := alpha*op(A)*B (side Left) or alpha*B*op(A) (side Right), A triangular (`uplo`,
/// unit diagonal not read when `diag` is Unit). B is m x n. alpha == 0 zeroes B
/// without reading A.
///
/// Returns the router's decision, None for a quick return (alpha == 0 included: B := 0
/// needs no device) or a call too small for the router (the CPU ran it).
///
/// # Safety
/// Pointers valid for the checked shapes and leading dimensions; B disjoint from A.
#[allow(clippy::too_many_arguments)]
pub unsafe fn trmm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    trans: Trans,
    diag: Diag,
    (m, n): (usize, usize),
    alpha: T,
    a: (*const T, usize),
    b: (*mut T, usize),
) -> Option<Decision> {
    if m == 0 || n == 0 {
        return None;
    }
    let ka = if side == Side::Left { m } else { n };
    let volume = route::level3::triangular_volume((m, n), ka);
    on_device_or_cpu(
        !alpha.is_zero() && route::cpu_only_volume(volume).is_none(),
        || route::level3::trmm(side, uplo, trans, diag, (m, n), alpha, a, b),
        || trmm_cpu(side, uplo, trans, diag, (m, n), alpha, a, b),
    )
}

/// [`trmm`] on the CPU.
///
/// # Safety
/// As for [`trmm`].
#[allow(clippy::too_many_arguments)]
unsafe fn trmm_cpu<T: Scalar>(
    side: Side,
    uplo: Uplo,
    trans: Trans,
    diag: Diag,
    (m, n): (usize, usize),
    alpha: T,
    (a, lda): (*const T, usize),
    (b, ldb): (*mut T, usize),
) {
    if m == 0 || n == 0 {
        return;
    }
    let b = view_mut(b, m, n, ldb);
    if alpha.is_zero() {
        scale(b, T::zero());
        return;
    }
    let ka = if side == Side::Left { m } else { n };
    let (tri, lower, conj) = tri_operand(view(a, ka, ka, lda), side, uplo, trans);
    // Work on B^T for side Right: B^T := alpha * op(A)^T * B^T.
    let b = if side == Side::Left {
        b
    } else {
        b.transpose_mut()
    };
    let copy = b.as_ref().to_owned();
    let par = crate::threads::par_for((ka * m * n) as f64);
    crate::threads::for_rayon(par, || {
        triangular::matmul_with_conj(
            b,
            BlockStructure::Rectangular,
            Accum::Replace,
            tri,
            structure(lower, diag),
            conj,
            copy.as_ref(),
            BlockStructure::Rectangular,
            Conj::No,
            alpha,
            par,
        )
    });
}

/// Solves op(A)*X = alpha*B (side Left) or X*op(A) = alpha*B (side Right) for X,
/// overwriting B (m x n). A is triangular (`uplo`; unit diagonal not read when `diag`
/// is Unit). alpha == 0 zeroes B without reading A.
///
/// # Safety
/// Pointers valid for the checked shapes and leading dimensions; B disjoint from A.
pub unsafe fn trsm<T: Scalar>(args: &TrsmArgs<T>) -> Option<Decision> {
    trsm_in(Order::Reference, args)
}

/// [`trsm`] for the native LAPACK bodies: any summation order.
///
/// # Safety
/// As for [`trsm`].
pub unsafe fn trsm_any_order<T: Scalar>(args: &TrsmArgs<T>) {
    trsm_in(Order::Any, args);
}

/// Returns the router's decision, None for a quick return (alpha == 0 included) or a
/// call too small for the router (the CPU ran it).
unsafe fn trsm_in<T: Scalar>(order: Order, args: &TrsmArgs<T>) -> Option<Decision> {
    let (m, n, alpha) = (args.m, args.n, args.alpha);
    if m == 0 || n == 0 {
        return None;
    }
    let volume = route::level3::triangular_volume((m, n), args.ka());
    on_device_or_cpu(
        !alpha.is_zero() && route::cpu_only_volume(volume).is_none(),
        || route::level3::trsm(order, args),
        || trsm_cpu(order, args),
    )
}

/// Asks the router (`device`) when `offloadable`, then runs `cpu` unless the device
/// computed the result. Returns the router's decision, None when it was not asked.
fn on_device_or_cpu(
    offloadable: bool,
    device: impl FnOnce() -> Decision,
    cpu: impl FnOnce(),
) -> Option<Decision> {
    let decision = offloadable.then(device);
    if !decision.as_ref().is_some_and(Decision::ran_on_device) {
        cpu();
    }
    decision
}

/// TRSM on the CPU (the device path solves its diagonal blocks here).
///
/// # Safety
/// As for [`trsm`].
pub(crate) unsafe fn trsm_cpu<T: Scalar>(order: Order, args: &TrsmArgs<T>) {
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
    if m == 0 || n == 0 {
        return;
    }
    let ka = args.ka();
    if order == Order::Reference && !alpha.is_zero() && ka * m * n <= trsm_small::MAX_VOLUME {
        return trsm_small::trsm(args);
    }
    if !alpha.is_zero() {
        if let Some(parts) = rhs_parts(args) {
            return trsm_by_parts(order, args, parts);
        }
        // Halves pay only with the GEMM on several threads; alone, faer's solver was
        // faster (1 thread, order 2048: halves down to 1024 / 512 / 256 took 1.03 /
        // 1.04 / 1.06x its time).
        if ka > trsm_split()
            && (crate::threads::threads_for((ka * m * n) as f64) > 1 || !wide_simd())
        {
            return trsm_halves(order, args);
        }
        if ka <= trsm_leaf::MAX_ORDER && trsm_leaf::solve(args) {
            return;
        }
    }
    let mut b = view_mut(b, m, n, ldb);
    scale(b.as_mut(), alpha);
    if alpha.is_zero() {
        return;
    }
    let (tri, lower, conj) = tri_operand(view(a, ka, ka, lda), side, uplo, trans);
    let b = if side == Side::Left {
        b
    } else {
        b.transpose_mut()
    };
    let par = crate::threads::par_for((ka * m * n) as f64);
    crate::threads::for_rayon(par, move || match (lower, diag) {
        (true, Diag::NonUnit) => solve_lower_triangular_in_place_with_conj(tri, conj, b, par),
        (true, Diag::Unit) => solve_unit_lower_triangular_in_place_with_conj(tri, conj, b, par),
        (false, Diag::NonUnit) => solve_upper_triangular_in_place_with_conj(tri, conj, b, par),
        (false, Diag::Unit) => solve_unit_upper_triangular_in_place_with_conj(tri, conj, b, par),
    });
}

/// The smallest share of right-hand sides a thread solves on its own. 64 rather than
/// the 256 first chosen on 2 threads: on the 16-core Xeon of the GPU machine 256 left
/// half the threads idle (dtrsm 1024 / 2048 at 4 / 8 parts: 0.51 / 0.73x OpenBLAS; 16
/// parts: 1.24 / 0.94-1.21x); on the 2-core AMD EPYC, dtrsm 256 then splits too (1.39
/// against 0.78x OpenBLAS, noisy) and 384-1024 stay level.
const RHS_PER_PART: usize = 64;

/// How many threads solve [`trsm_cpu`]'s right-hand sides (columns of B for side Left,
/// rows for Right) apart, each for its own share against the whole triangle; None when
/// the call is not split that way. Measured on 2 threads against faer's threaded solver
/// (and halves above order 2048): 0.92 / 0.95 / 0.94x its time at order 1024 / 2048 /
/// 4096 with as many right-hand sides.
fn rhs_parts<T: Scalar>(args: &TrsmArgs<T>) -> Option<usize> {
    let parts = crate::threads::parts_for(args.rhs(), RHS_PER_PART);
    (parts > 1 && args.ka() >= RHS_PER_PART).then_some(parts)
}

/// [`trsm_cpu`] on `parts` threads, each solving a share of the right-hand sides with
/// every call it makes on its own thread (no waiting on the others).
///
/// # Safety
/// As for [`trsm`]; alpha != 0.
unsafe fn trsm_by_parts<T: Scalar>(order: Order, args: &TrsmArgs<T>, parts: usize) {
    let rhs = args.rhs();
    // Shares in whole vectors of rows when B's rows are split.
    let boundary = |s: usize| (rhs * s / parts).next_multiple_of(16).min(rhs);
    // The arguments' address, for the other threads: they read A and write disjoint
    // shares of B, and `run_parts` returns when every share is solved.
    let shared = args as *const TrsmArgs<T> as usize;
    crate::threads::run_parts(parts, &|s| {
        let args = &*(shared as *const TrsmArgs<T>);
        let share = boundary(s)..boundary(s + 1);
        let (b, dims) = match args.side {
            Side::Left => (args.b.add(share.start * args.ldb), (args.m, share.len())),
            Side::Right => (args.b.add(share.start), (share.len(), args.n)),
        };
        let part = args.with_operands(dims, args.alpha, (args.a, args.lda), (b, args.ldb));
        crate::threads::sequential(|| trsm_cpu(order, &part));
    });
}

/// Triangles of a larger order are solved in halves; faer's solvers below (measured
/// faster than halving at 1024 and 2048).
const TRSM_SPLIT: usize = 2048;

/// Where faer's kernels are narrower than ours (AVX2: faer's solver reached 0.57x
/// OpenBLAS's speed at order 256 on 2 threads), halves from this order, and
/// [`trsm_leaf`]'s kernel below it. 2-core AMD EPYC, 2 threads, OpenBLAS / ours with
/// leaves up to 512 / 256 / 128 / faer's solver below 128 (medians of 5 rounds): dtrsm
/// 512 1.07 / 1.11 / 1.01 / 0.79, 1024 1.04 / 0.93 / 0.95 / 0.81, 2048 1.02 / 1.00 / 1.00
/// / 0.91; dgetrf 2048 1.01 / 0.98 / 0.97 / 0.96.
const TRSM_SPLIT_NARROW: usize = 512;

/// Whether this machine has AVX-512 (where faer's solver kernels are as fast as ours).
fn wide_simd() -> bool {
    crate::simd::level() == crate::simd::Level::Avx512
}

/// [`TRSM_SPLIT`] (or [`TRSM_SPLIT_NARROW`]), or in tests a smaller one set for the
/// calling thread.
fn trsm_split() -> usize {
    #[cfg(test)]
    if let Some(split) = tests::TRSM_SPLIT_HERE.with(|s| s.get()) {
        return split;
    }
    if wide_simd() {
        TRSM_SPLIT
    } else {
        TRSM_SPLIT_NARROW
    }
}

/// [`trsm_cpu`] with the triangle split in two: the half of the unknowns that depends on
/// no other is solved first, the other half's right-hand sides are updated by one GEMM
/// (most of the flops, on the blocked kernel for real types), then that half is solved.
///
/// # Safety
/// As for [`trsm`]; alpha != 0 and the triangle's order above 16.
unsafe fn trsm_halves<T: Scalar>(order: Order, args: &TrsmArgs<T>) {
    let TrsmArgs {
        side,
        uplo,
        trans,
        m,
        n,
        alpha,
        a,
        lda,
        b,
        ldb,
        ..
    } = *args;
    let ka = args.ka();
    // A multiple of the kernels' panel heights.
    let split = (ka / 2).next_multiple_of(16);
    let lower = (uplo == Uplo::Lower) == (trans == Trans::No);
    // With op(A) lower, X = inv(op(A)) B starts at the top and X inv(op(A)) at the right.
    let (first, second) = if lower == (side == Side::Left) {
        (0..split, split..ka)
    } else {
        (split..ka, 0..split)
    };
    // op(A)(rows, cols) as a GEMM operand read with `trans`.
    let block = |rows: &std::ops::Range<usize>, cols: &std::ops::Range<usize>| {
        let (r, c) = if trans == Trans::No {
            (rows.start, cols.start)
        } else {
            (cols.start, rows.start)
        };
        (a.add(r + c * lda), lda)
    };
    let diagonal = |range: &std::ops::Range<usize>| (a.add(range.start * (1 + lda)), lda);
    // The right-hand sides of a half: rows of B (left) or columns (right).
    let rhs = |range: &std::ops::Range<usize>| match side {
        Side::Left => (b.add(range.start), (range.len(), n)),
        Side::Right => (b.add(range.start * ldb), (m, range.len())),
    };
    let ((b1, dims1), (b2, dims2)) = (rhs(&first), rhs(&second));
    let solve = |dims, alpha, a, b| trsm_cpu(order, &args.with_operands(dims, alpha, a, (b, ldb)));
    solve(dims1, alpha, diagonal(&first), b1);
    let minus_one = -T::one();
    match side {
        // B2 := alpha * B2 - op(A)(second, first) * X1
        Side::Left => gemm_cpu(
            order,
            &GemmArgs::new(
                (trans, Trans::No),
                (second.len(), n, first.len()),
                minus_one,
                block(&second, &first),
                (b1, ldb),
                alpha,
                (b2, ldb),
            ),
        ),
        // B2 := alpha * B2 - X1 * op(A)(first, second)
        Side::Right => gemm_cpu(
            order,
            &GemmArgs::new(
                (Trans::No, trans),
                (m, second.len(), first.len()),
                minus_one,
                (b1, ldb),
                block(&first, &second),
                alpha,
                (b2, ldb),
            ),
        ),
    }
    solve(dims2, T::one(), diagonal(&second), b2);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::c64;
    use crate::scalar::num_traits_lite::Float;

    /// Deterministic matrices, entries in [-1, 1) (and imaginary parts for complex
    /// types): `test_values`' stream, a new seed for each matrix.
    struct Inputs(u64);
    impl Inputs {
        fn mat<T: Scalar>(&mut self, rows: usize, cols: usize) -> Mat<T> {
            self.0 += 1;
            let values = crate::blas::test_values::values::<T>(rows * cols, self.0);
            let two = T::from_f64_lossy(2.0);
            Mat::from_fn(rows, cols, |i, j| two * values[i + j * rows])
        }
    }

    /// faer pads a Mat's columns: its leading dimension is its column stride.
    fn ld<T: Scalar>(x: &Mat<T>) -> usize {
        x.col_stride().max(1) as usize
    }

    fn nan<T: Scalar>() -> T {
        T::from_parts(
            T::RealPart::from_f64_lossy(f64::NAN),
            T::RealPart::from_f64_lossy(0.0),
        )
    }

    fn close<T: Scalar>(x: MatRef<'_, T>, y: MatRef<'_, T>, tol: f64) {
        for j in 0..x.ncols() {
            for i in 0..x.nrows() {
                let d = (x[(i, j)] - y[(i, j)]).modulus();
                assert!(
                    d.to_f64() <= tol,
                    "({i},{j}): {:?} vs {:?}",
                    x[(i, j)],
                    y[(i, j)]
                );
            }
        }
    }

    /// op(X) as an explicit matrix.
    fn apply_op<T: Scalar>(x: MatRef<'_, T>, trans: Trans) -> Mat<T> {
        match trans {
            Trans::No => x.to_owned(),
            Trans::Trans => Mat::from_fn(x.ncols(), x.nrows(), |i, j| x[(j, i)]),
            Trans::ConjTrans => Mat::from_fn(x.ncols(), x.nrows(), |i, j| x[(j, i)].conj()),
        }
    }

    fn naive_mul<T: Scalar>(x: MatRef<'_, T>, y: MatRef<'_, T>) -> Mat<T> {
        Mat::from_fn(x.nrows(), y.ncols(), |i, j| {
            (0..x.ncols()).fold(T::zero(), |s, l| s + x[(i, l)] * y[(l, j)])
        })
    }

    const SIZES: [(usize, usize); 5] = [(1, 1), (3, 5), (17, 4), (40, 33), (70, 9)];
    const TRANS: [Trans; 3] = [Trans::No, Trans::Trans, Trans::ConjTrans];
    const UPLOS: [Uplo; 2] = [Uplo::Upper, Uplo::Lower];

    /// A triangular ka x ka matrix with NaN outside its triangle (and on the diagonal
    /// when unit), and the explicit triangular matrix it stands for.
    fn triangle<T: Scalar>(
        rng: &mut Inputs,
        ka: usize,
        uplo: Uplo,
        diag: Diag,
    ) -> (Mat<T>, Mat<T>) {
        let mut a = rng.mat::<T>(ka, ka);
        let mut t = Mat::<T>::zeros(ka, ka);
        for j in 0..ka {
            for i in 0..ka {
                let inside = match uplo {
                    Uplo::Upper => i <= j,
                    Uplo::Lower => i >= j,
                };
                if i == j {
                    if diag == Diag::Unit {
                        a[(i, i)] = nan();
                        t[(i, i)] = T::one();
                    } else {
                        a[(i, i)] += T::from_f64_lossy(4.0); // well conditioned
                        t[(i, i)] = a[(i, i)];
                    }
                } else if inside {
                    a[(i, j)] *= T::from_f64_lossy(0.25); // keeps the solves well conditioned
                    t[(i, j)] = a[(i, j)];
                } else {
                    a[(i, j)] = nan();
                }
            }
        }
        (a, t)
    }

    fn check_triangular<T: Scalar>(tol: f64, sizes: &[(usize, usize)]) {
        let mut rng = Inputs(7);
        let alpha = T::from_f64_lossy(0.75);
        for &(m, n) in sizes {
            for side in [Side::Left, Side::Right] {
                for uplo in UPLOS {
                    for trans in TRANS {
                        for diag in [Diag::Unit, Diag::NonUnit] {
                            let ka = if side == Side::Left { m } else { n };
                            let (a, t) = triangle::<T>(&mut rng, ka, uplo, diag);
                            let b = rng.mat::<T>(m, n);
                            let opt = apply_op(t.as_ref(), trans);
                            let product = |x: MatRef<'_, T>| match side {
                                Side::Left => naive_mul(opt.as_ref(), x),
                                Side::Right => naive_mul(x, opt.as_ref()),
                            };
                            let mut x = b.clone();
                            unsafe {
                                trmm(
                                    side,
                                    uplo,
                                    trans,
                                    diag,
                                    (m, n),
                                    alpha,
                                    (a.as_ptr(), ld(&a)),
                                    (x.as_ptr_mut(), ld(&x)),
                                );
                            }
                            let want = {
                                let pb = product(b.as_ref());
                                Mat::from_fn(m, n, |i, j| alpha * pb[(i, j)])
                            };
                            close(x.as_ref(), want.as_ref(), tol);
                            let mut x = b.clone();
                            unsafe {
                                trsm(&TrsmArgs::new(
                                    (side, uplo, trans, diag),
                                    (m, n),
                                    alpha,
                                    (a.as_ptr(), ld(&a)),
                                    (x.as_ptr_mut(), ld(&x)),
                                ));
                            }
                            let back = product(x.as_ref());
                            let want = Mat::from_fn(m, n, |i, j| alpha * b[(i, j)]);
                            close(back.as_ref(), want.as_ref(), tol);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn trmm_and_trsm_match_naive_and_read_only_the_triangle() {
        check_triangular::<f64>(1e-10, &SIZES);
        check_triangular::<c64>(1e-10, &SIZES);
    }

    thread_local! {
        /// The order above which this thread's TRSMs split (None: `TRSM_SPLIT`).
        pub(super) static TRSM_SPLIT_HERE: std::cell::Cell<Option<usize>> =
            const { std::cell::Cell::new(None) };
    }

    /// Triangles of a few hundred, either side: on faer's solvers, and split in halves
    /// (once for 300, twice for 520) as the larger ones are.
    #[test]
    fn large_triangular_solves() {
        let sizes = [(300, 20), (20, 300), (520, 24)];
        for split in [None, Some(200)] {
            TRSM_SPLIT_HERE.with(|s| s.set(split));
            check_triangular::<f64>(1e-10, &sizes);
            check_triangular::<f32>(1e-3, &sizes);
            check_triangular::<c64>(1e-10, &sizes[..2]);
        }
        TRSM_SPLIT_HERE.with(|s| s.set(None));
    }

    /// Enough right-hand sides for two threads' shares (the second one shorter, not a
    /// multiple of 16), either side, against the product as above.
    #[test]
    fn right_hand_sides_split_across_threads() {
        let sizes = [(300, 600), (600, 300)];
        if crate::threads::pool_available() {
            let left = TrsmArgs::new(
                (Side::Left, Uplo::Lower, Trans::No, Diag::NonUnit),
                sizes[0],
                1.0,
                (std::ptr::null(), 300),
                (std::ptr::null_mut(), 300),
            );
            assert!(matches!(rhs_parts(&left), Some(p) if p >= 2));
        }
        check_triangular::<f64>(1e-10, &sizes);
        check_triangular::<f32>(1e-3, &sizes);
        // Rounding grows through a complex unit triangle of order 300: errors of about
        // 1e-10 on entries near 1.
        check_triangular::<c64>(1e-8, &sizes[..1]);
    }

    fn check_rank_k<T: Scalar>(hermitian: bool, two: bool) {
        let sizes: Vec<_> = SIZES.iter().copied().chain([(5, 0)]).collect();
        check_rank_k_on::<T>(hermitian, two, &sizes);
    }

    fn check_rank_k_on<T: Scalar>(hermitian: bool, two: bool, sizes: &[(usize, usize)]) {
        let mut rng = Inputs(11);
        let alpha = T::from_parts(
            T::RealPart::from_f64_lossy(0.5),
            T::RealPart::from_f64_lossy(if hermitian && !two { 0.0 } else { 0.25 }),
        );
        for &(n, k) in sizes {
            for uplo in UPLOS {
                for trans in [
                    Trans::No,
                    if hermitian {
                        Trans::ConjTrans
                    } else {
                        Trans::Trans
                    },
                ] {
                    for beta in [0.0, 1.0, 1.5] {
                        let beta = T::from_f64_lossy(beta);
                        let (rows, cols) = if trans == Trans::No { (n, k) } else { (k, n) };
                        let a = rng.mat::<T>(rows, cols);
                        let b = rng.mat::<T>(rows, cols);
                        let mut c = rng.mat::<T>(n, n);
                        let outside = |i: usize, j: usize| match uplo {
                            Uplo::Upper => i > j,
                            Uplo::Lower => i < j,
                        };
                        if beta.is_zero() {
                            for j in 0..n {
                                for i in 0..n {
                                    if !outside(i, j) {
                                        c[(i, j)] = nan();
                                    }
                                }
                            }
                        }
                        // Reference HERK returns at once (diagonal untouched) here.
                        let quick = (alpha.is_zero() || k == 0) && beta == T::one();
                        let before = c.clone();
                        let adj = if hermitian {
                            Trans::ConjTrans
                        } else {
                            Trans::Trans
                        };
                        let opa = apply_op(a.as_ref(), trans);
                        let opb = apply_op(b.as_ref(), trans);
                        let mut want = naive_mul(
                            opa.as_ref(),
                            apply_op(if two { opb.as_ref() } else { opa.as_ref() }, adj).as_ref(),
                        );
                        let alpha2 = if hermitian { alpha.conj() } else { alpha };
                        let second = naive_mul(opb.as_ref(), apply_op(opa.as_ref(), adj).as_ref());
                        for j in 0..n {
                            for i in 0..n {
                                let prior = if beta.is_zero() {
                                    T::zero()
                                } else {
                                    beta * before[(i, j)]
                                };
                                let extra = if two {
                                    alpha2 * second[(i, j)]
                                } else {
                                    T::zero()
                                };
                                want[(i, j)] = alpha * want[(i, j)] + extra + prior;
                                if hermitian && i == j && !quick {
                                    want[(i, i)] = T::from_real(want[(i, i)].re());
                                }
                            }
                        }
                        unsafe {
                            rank_k(
                                uplo,
                                trans,
                                hermitian,
                                (n, k),
                                alpha,
                                (a.as_ptr(), ld(&a)),
                                two.then_some((b.as_ptr(), ld(&b))),
                                beta,
                                (c.as_ptr_mut(), ld(&c)),
                            );
                        }
                        for j in 0..n {
                            for i in 0..n {
                                if outside(i, j) {
                                    assert_eq!(c[(i, j)], before[(i, j)], "other triangle touched");
                                } else {
                                    let d = (c[(i, j)] - want[(i, j)]).modulus().to_f64();
                                    let single = std::mem::size_of::<T::RealPart>() == 4;
                                    assert!(
                                        d < if single { 1e-3 } else { 1e-10 },
                                        "({i},{j}) n={n} k={k}: {:?} vs {:?}",
                                        c[(i, j)],
                                        want[(i, j)]
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rank_k_updates_write_only_their_triangle() {
        for two in [false, true] {
            check_rank_k::<f64>(false, two);
            check_rank_k::<c64>(false, two);
            check_rank_k::<c64>(true, two);
        }
    }

    /// Large orders: real SYRK on the blocked kernel's triangle, SYR2K on faer's
    /// triangular product.
    #[test]
    fn large_real_rank_k_updates() {
        for two in [false, true] {
            check_rank_k_on::<f64>(false, two, &[(300, 70), (520, 130)]);
            check_rank_k_on::<f32>(false, two, &[(290, 33)]);
        }
    }

    fn check_symm<T: Scalar>(hermitian: bool) {
        let mut rng = Inputs(5);
        let alpha = T::from_parts(
            T::RealPart::from_f64_lossy(0.5),
            T::RealPart::from_f64_lossy(-0.25),
        );
        let beta = T::from_f64_lossy(1.25);
        for (m, n) in SIZES {
            for side in [Side::Left, Side::Right] {
                for uplo in UPLOS {
                    let ka = if side == Side::Left { m } else { n };
                    let mut a = rng.mat::<T>(ka, ka);
                    let full = Mat::from_fn(ka, ka, |i, j| {
                        let (p, q) = match uplo {
                            Uplo::Upper => (i.min(j), i.max(j)),
                            Uplo::Lower => (i.max(j), i.min(j)),
                        };
                        let v = a[(p, q)];
                        if hermitian && i == j {
                            T::from_real(v.re())
                        } else if hermitian && (p, q) != (i, j) {
                            v.conj()
                        } else {
                            v
                        }
                    });
                    for j in 0..ka {
                        for i in 0..ka {
                            if (uplo == Uplo::Upper && i > j) || (uplo == Uplo::Lower && i < j) {
                                a[(i, j)] = nan();
                            }
                        }
                    }
                    let b = rng.mat::<T>(m, n);
                    let c0 = rng.mat::<T>(m, n);
                    let prod = match side {
                        Side::Left => naive_mul(full.as_ref(), b.as_ref()),
                        Side::Right => naive_mul(b.as_ref(), full.as_ref()),
                    };
                    let want = Mat::from_fn(m, n, |i, j| alpha * prod[(i, j)] + beta * c0[(i, j)]);
                    let mut c = c0.clone();
                    unsafe {
                        symm(
                            side,
                            uplo,
                            hermitian,
                            (m, n),
                            alpha,
                            (a.as_ptr(), ld(&a)),
                            (b.as_ptr(), ld(&b)),
                            beta,
                            (c.as_ptr_mut(), ld(&c)),
                        );
                    }
                    close(c.as_ref(), want.as_ref(), 1e-10);
                }
            }
        }
    }

    #[test]
    fn symm_and_hemm_read_only_the_stored_triangle() {
        check_symm::<f64>(false);
        check_symm::<c64>(false);
        check_symm::<c64>(true);
    }
}
