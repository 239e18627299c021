//! LU factorization with partial pivoting and its solves: GETRF, GETRS, GESV, LASWP.
//! GETRF recurses on column halves as LAPACK's xGETRF2 does (Toledo's recursive LU):
//! the work is one TRSM and one GEMM per level, and the pivots it records are the
//! row interchanges LAPACK's callers expect (`pivots[i]` = the row swapped with row i,
//! 0-based here, 1-based at the ABI).

use crate::blas::args::{Diag, GemmArgs, Side, Trans, TrsmArgs, Uplo};
use crate::blas::{level1, level3};
use crate::lapack::lookahead;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use crate::threads::Desk;

/// Factors the m x n matrix A as P L U in place (L unit lower, U upper). `pivots` has
/// min(m, n) entries. Returns LAPACK's INFO: 0, or i when U(i, i) is exactly zero
/// (the first such i; the factorization is still completed).
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn getrf<T: Scalar>(m: usize, n: usize, a: RawMat<T>, pivots: &mut [usize]) -> usize {
    recursive(m, n, a, pivots, None)
}

/// [`getrf`] with its row-tall products shared through `desk` (a look-ahead's panel).
///
/// # Safety
/// As for [`getrf`].
pub unsafe fn getrf_shared<T: Scalar>(
    m: usize,
    n: usize,
    a: RawMat<T>,
    pivots: &mut [usize],
    desk: &Desk,
) -> usize {
    recursive(m, n, a, pivots, Some(desk))
}

/// Toledo's recursion; products through `desk` when given, else on the threads as
/// `level3` decides (and large orders to the look-ahead form).
unsafe fn recursive<T: Scalar>(
    m: usize,
    n: usize,
    a: RawMat<T>,
    pivots: &mut [usize],
    desk: Option<&Desk>,
) -> usize {
    let k = m.min(n);
    if k == 0 {
        return 0;
    }
    if m == 1 {
        pivots[0] = 0;
        return if a.get(0, 0).is_zero() { 1 } else { 0 };
    }
    if n <= BASE {
        return getrf_unblocked(m, n, a, pivots);
    }
    if desk.is_none() && crate::lapack::lu_lookahead::serves::<T>(m, n) {
        return crate::lapack::lu_lookahead::getrf(m, n, a, pivots);
    }
    let n1 = k / 2;
    let n2 = n - n1;
    let mut info = recursive(m, n1, a, &mut pivots[..n1], desk);
    let (a12, a21, a22) = (a.at(0, n1), a.at(n1, 0), a.at(n1, n1));
    swap_rows(n2, a12, &pivots[..n1], 0);
    level3::trsm_any_order(&TrsmArgs::new(
        (Side::Left, Uplo::Lower, Trans::No, Diag::Unit),
        (n1, n2),
        T::one(),
        a.arg_const(),
        a12.arg(),
    ));
    let update = GemmArgs::new(
        (Trans::No, Trans::No),
        (m - n1, n2, n1),
        -T::one(),
        a21.arg_const(),
        a12.arg_const(),
        T::one(),
        a22.arg(),
    );
    match desk {
        Some(desk) => lookahead::shared_product(Some(desk), &update, None, 0),
        None => level3::gemm_any_order(
            update.transa,
            update.transb,
            (update.m, update.n, update.k),
            update.alpha,
            (update.a, update.lda),
            (update.b, update.ldb),
            update.beta,
            (update.c, update.ldc),
        ),
    }
    let lower_info = recursive(m - n1, n2, a22, &mut pivots[n1..k], desk);
    if info == 0 && lower_info != 0 {
        info = lower_info + n1;
    }
    for p in &mut pivots[n1..k] {
        *p += n1;
    }
    // The second half's interchanges, applied to the first half's columns of L.
    swap_rows(n1, a, &pivots[n1..k], n1);
    info
}

/// Panels at most this wide are factored column by column (fewer, larger BLAS calls
/// than recursing down to single columns).
const BASE: usize = 8;

crate::dispatched! {
    /// Right-looking unblocked LU (xGETF2) of an m x n panel, n <= BASE; row swaps are
    /// applied across the panel's columns only (the caller swaps the rest).
    unsafe fn getrf_unblocked<T: Scalar>(m: usize, n: usize, a: RawMat<T>, pivots: &mut [usize]) -> usize {
        let mut info = 0;
        for (j, pivot) in pivots.iter_mut().enumerate().take(m.min(n)) {
            let column = a.at(0, j);
            let singular = factor_column(m - j, column.at(j, 0), pivot);
            *pivot += j;
            if singular != 0 && info == 0 {
                info = j + 1;
            }
            let p = *pivot;
            for c in 0..n {
                if c != j && p != j {
                    a.swap((j, c), (p, c));
                }
            }
            // Trailing panel columns: A(j+1.., c) -= L(j+1.., j) U(j, c).
            for c in j + 1..n {
                let u = a.get(j, c);
                let target = a.at(0, c).ptr;
                for i in j + 1..m {
                    *target.add(i) -= *column.ptr.add(i) * u;
                }
            }
        }
        info
    }
}

/// One column: pick the entry of largest |re| + |im| as pivot (the first on ties, as
/// I?AMAX), swap it to the top and scale the rest by its inverse. Returns 1 when the
/// column is exactly zero (nothing is then changed).
#[inline(always)]
unsafe fn factor_column<T: Scalar>(m: usize, a: RawMat<T>, pivot: &mut usize) -> usize {
    let p = (level1::iamax(m as i64, a.ptr, 1) - 1).max(0) as usize;
    *pivot = p;
    let top = a.get(p, 0);
    if top.is_zero() {
        return 1;
    }
    if p != 0 {
        a.set(p, 0, a.get(0, 0));
        a.set(0, 0, top);
    }
    // Multiplying by 1/pivot is faster; below the safe minimum 1/pivot overflows, so
    // divide (LAPACK's xGETRF2 makes the same choice).
    if top.modulus() >= T::RealPart::safe_min() {
        let inverse = T::one().quotient(top);
        level1::scal(m as i64 - 1, inverse, a.ptr.add(1), 1);
    } else {
        for i in 1..m {
            a.set(i, 0, a.get(i, 0).quotient(top));
        }
    }
    0
}

/// Applies the row interchanges `pairs` (row i with row p, in the order given) to
/// `cols` columns of `a`. Column by column, so each column is walked once.
///
/// # Safety
/// `a` valid for every row named and `cols` columns.
unsafe fn interchange<T: Scalar>(
    cols: usize,
    a: RawMat<T>,
    pairs: impl Iterator<Item = (usize, usize)> + Clone,
) {
    for j in 0..cols {
        for (i, p) in pairs.clone() {
            if p != i {
                a.swap((i, j), (p, j));
            }
        }
    }
}

/// Row (i + offset) swapped with row pivots[i], for i in order (LAPACK's pivots, 0-based).
///
/// # Safety
/// `a` valid for every row named and `cols` columns.
pub unsafe fn swap_rows<T: Scalar>(cols: usize, a: RawMat<T>, pivots: &[usize], offset: usize) {
    interchange(
        cols,
        a,
        pivots.iter().enumerate().map(|(i, &p)| (i + offset, p)),
    );
}

/// The interchanges in reverse order, undoing [`swap_rows`].
unsafe fn swap_rows_back<T: Scalar>(cols: usize, a: RawMat<T>, pivots: &[usize]) {
    interchange(
        cols,
        a,
        pivots.iter().enumerate().rev().map(|(i, &p)| (i, p)),
    );
}

/// Solves op(A) X = B with A = P L U from [`getrf`] (n x n); B (n x nrhs) is overwritten.
///
/// # Safety
/// `a` valid for n x n, `b` for n x nrhs, `pivots` has n entries.
pub unsafe fn getrs<T: Scalar>(
    trans: Trans,
    (n, nrhs): (usize, usize),
    a: RawMat<T>,
    pivots: &[usize],
    b: RawMat<T>,
) {
    if n == 0 || nrhs == 0 {
        return;
    }
    let solve = |uplo, trans, diag| {
        level3::trsm_any_order(&TrsmArgs::new(
            (Side::Left, uplo, trans, diag),
            (n, nrhs),
            T::one(),
            a.arg_const(),
            b.arg(),
        ))
    };
    if trans == Trans::No {
        swap_rows(nrhs, b, pivots, 0);
        solve(Uplo::Lower, Trans::No, Diag::Unit);
        solve(Uplo::Upper, Trans::No, Diag::NonUnit);
    } else {
        solve(Uplo::Upper, trans, Diag::NonUnit);
        solve(Uplo::Lower, trans, Diag::Unit);
        swap_rows_back(nrhs, b, pivots);
    }
}

/// LASWP: the interchanges IPIV(K1..K2) (1-based rows, read at stride INCX; INCX < 0
/// applies them in reverse), on `cols` columns of A. Reference LASWP checks nothing.
///
/// # Safety
/// `a` valid for every row named, `ipiv` readable where it is read.
pub unsafe fn laswp<T: Scalar>(
    cols: usize,
    a: RawMat<T>,
    (k1, k2): (i64, i64),
    ipiv: impl Fn(usize) -> i64,
    incx: i64,
) {
    if incx == 0 || k2 < k1 {
        return;
    }
    let count = (k2 - k1 + 1) as usize;
    // Row k1 + t takes IPIV(k1 + t * |incx|) for either sign of incx (reference LASWP);
    // the sign only sets the order.
    let entry = |t: usize| -> (usize, usize) {
        let position = (k1 - 1) as usize + t * incx.unsigned_abs() as usize;
        ((k1 - 1) as usize + t, (ipiv(position) - 1) as usize)
    };
    let pairs = (0..count).map(entry);
    if incx > 0 {
        interchange(cols, a, pairs);
    } else {
        interchange(cols, a, pairs.rev());
    }
}

/// GETRI: overwrites A = P L U from [`getrf`] with inv(A) = inv(U) inv(L) P^T. Returns
/// i > 0, with A unchanged, when U(i, i) is exactly zero (A is singular).
///
/// # Safety
/// `a` valid for n x n, `pivots` has n entries in 0..n.
pub unsafe fn getri<T: Scalar>(n: usize, a: RawMat<T>, pivots: &[usize]) -> usize {
    let info = crate::lapack::triangular::trtri(Uplo::Upper, Diag::NonUnit, n, a);
    if info != 0 || n == 0 {
        return info;
    }
    // X L = inv(U) for X: L moves out (unit lower, below the diagonal) and A keeps inv(U).
    let mut lower = vec![T::zero(); n * n];
    let l = RawMat::new(lower.as_mut_ptr(), n);
    for j in 0..n {
        for i in j + 1..n {
            l.set(i, j, a.get(i, j));
            a.set(i, j, T::zero());
        }
    }
    level3::trsm_any_order(&TrsmArgs::new(
        (Side::Right, Uplo::Lower, Trans::No, Diag::Unit),
        (n, n),
        T::one(),
        l.arg_const(),
        a.arg(),
    ));
    // inv(A) = X P^T: the row interchanges become column interchanges, last first.
    for j in (0..n.saturating_sub(1)).rev() {
        let p = pivots[j];
        if p != j {
            for i in 0..n {
                a.swap((i, j), (i, p));
            }
        }
    }
    0
}
