//! Symmetric indefinite factorization with Bunch-Kaufman pivoting and its solves:
//! SYTRF/HETRF and SYTRS/HETRS (SYSV/HESV are the two in a row), in LAPACK's exact
//! storage so that the forwarded consumers (SYTRI, SYCON, SYRFS, SYTRS2, SYCONV) read
//! our factor: D's 1x1 and 2x2 blocks on the diagonal (and first sub/superdiagonal),
//! the multipliers of L (U) below (above) them, each column in the row order of its own
//! step (later interchanges are not applied to it), and the pivots as LAPACK's IPIV.
//!
//! One body serves both triangles: the Upper factorization U D U^T, which runs from the
//! last column back, is the Lower one L D L^T of the same matrix with its rows and
//! columns in reverse order ([`View`]). It is blocked as LAPACK's xLASYF: a panel of
//! columns is factored left-looking (each column updated by one matrix-vector product
//! with the panel so far, kept with D applied in a workspace W), then the trailing
//! matrix takes one GEMM-rich update A22 -= L21 W21^T. A matrix of at most [`BLOCK`]
//! columns is one panel (no trailing update): the unblocked algorithm.

use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::blas::{level3, triangle_update};
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::{Accum, Conj};

/// Panel width, LAPACK's block size for xSYTRF (its workspace query reports N * BLOCK).
pub const BLOCK: usize = 64;

/// Columns of the trailing update done per GEMM call (the diagonal blocks by a
/// triangular product, the rest rectangular).
const UPDATE_BLOCK: usize = 256;

/// Below this many multiply-adds a column update is a plain loop, not a GEMM call.
const SMALL_UPDATE: usize = 4096;

/// One entry of IPIV, 0-based: a 1x1 pivot whose row was interchanged with row p
/// (LAPACK's IPIV(k) = p + 1), or a row of a 2x2 pivot whose interchange was with row p
/// (IPIV = -(p + 1) on both of its rows).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pivot {
    One(usize),
    Two(usize),
}

impl Pivot {
    pub fn row(self) -> usize {
        match self {
            Pivot::One(p) | Pivot::Two(p) => p,
        }
    }

    fn moved(self, by: usize) -> Pivot {
        match self {
            Pivot::One(p) => Pivot::One(p + by),
            Pivot::Two(p) => Pivot::Two(p + by),
        }
    }

    fn mirrored(self, n: usize) -> Pivot {
        match self {
            Pivot::One(p) => Pivot::One(n - 1 - p),
            Pivot::Two(p) => Pivot::Two(n - 1 - p),
        }
    }
}

/// A matrix seen with element (i, j) at `ptr + i * rs + j * cs`: the caller's array
/// (rs = 1, cs = ld) or the same array in reverse order (rs = -1, cs = -ld, `ptr` at
/// the last element), where the Upper triangle becomes a Lower one.
#[derive(Clone, Copy)]
struct View<T> {
    ptr: *mut T,
    rs: isize,
    cs: isize,
}

impl<T: Scalar> View<T> {
    /// The n x n matrix `a` as the Lower algorithm sees it for `uplo`.
    unsafe fn of(uplo: Uplo, n: usize, a: RawMat<T>) -> View<T> {
        View::oriented(uplo == Uplo::Upper, (n, n), a)
    }

    /// The rows x cols matrix `a`, reversed (rows, and columns unless `cols` is None)
    /// or not.
    unsafe fn oriented(reversed: bool, (rows, cols): (usize, usize), a: RawMat<T>) -> View<T> {
        let ld = a.ld as isize;
        if reversed && rows > 0 && cols > 0 {
            View {
                ptr: a.at(rows - 1, cols - 1).ptr,
                rs: -1,
                cs: -ld,
            }
        } else {
            View {
                ptr: a.ptr,
                rs: 1,
                cs: ld,
            }
        }
    }

    #[inline(always)]
    unsafe fn at(self, i: usize, j: usize) -> View<T> {
        View {
            ptr: self.ptr.offset(i as isize * self.rs + j as isize * self.cs),
            ..self
        }
    }

    #[inline(always)]
    unsafe fn get(self, i: usize, j: usize) -> T {
        *self.at(i, j).ptr
    }

    #[inline(always)]
    unsafe fn set(self, i: usize, j: usize, value: T) {
        *self.at(i, j).ptr = value;
    }

    #[inline(always)]
    unsafe fn swap(self, a: (usize, usize), b: (usize, usize)) {
        std::ptr::swap(self.at(a.0, a.1).ptr, self.at(b.0, b.1).ptr);
    }

    fn reversed(self) -> bool {
        self.rs < 0
    }

    /// Rows i0..i1 of column j as a slice in memory order (reversed views store them
    /// backwards; element-wise operations between two such slices of one orientation
    /// do not care).
    #[inline(always)]
    unsafe fn segment<'a>(self, (i0, i1): (usize, usize), j: usize) -> &'a mut [T] {
        if i1 <= i0 {
            return &mut [];
        }
        let first = if self.reversed() { i1 - 1 } else { i0 };
        std::slice::from_raw_parts_mut(self.at(first, j).ptr, i1 - i0)
    }

    /// The view row of the t-th element of [`View::segment`] (i0, i1).
    fn segment_row(self, (i0, i1): (usize, usize), t: usize) -> usize {
        if self.reversed() {
            i1 - 1 - t
        } else {
            i0 + t
        }
    }

    /// The rows x cols block at (i, j) as the caller's column-major (pointer, ld):
    /// a reversed block is the same block in memory, its (0, 0) at its last view
    /// element. Products of reversed blocks are products of the memory blocks, as long
    /// as every operand (the summed index included) is reversed alike.
    unsafe fn natural(
        self,
        (i, j): (usize, usize),
        (rows, cols): (usize, usize),
    ) -> (*mut T, usize) {
        if self.reversed() {
            (self.at(i + rows - 1, j + cols - 1).ptr, (-self.cs) as usize)
        } else {
            (self.at(i, j).ptr, self.cs as usize)
        }
    }
}

/// Bunch and Kaufman's (1 + sqrt(17)) / 8: the growth bound of 1x1 and 2x2 steps is
/// then the same.
fn bunch_kaufman_alpha<R: Float>() -> R {
    R::from_f64((1.0 + 17f64.sqrt()) / 8.0)
}

/// conj(x) for the Hermitian factorization, x for the symmetric one.
#[inline(always)]
fn cj<T: Scalar>(hermitian: bool, x: T) -> T {
    if hermitian {
        x.conj()
    } else {
        x
    }
}

/// The size LAPACK compares a diagonal entry by: |re| + |im| (CABS1), or |re| when the
/// matrix is Hermitian (its diagonal is real).
#[inline(always)]
fn diagonal_size<T: Scalar>(hermitian: bool, x: T) -> T::RealPart {
    if hermitian {
        x.re().abs()
    } else {
        x.abs1()
    }
}

/// The first (in memory order, as I?AMAX on the caller's array) entry of rows i0..i1 of
/// column j of largest |re| + |im|: (view row, size). I?AMAX's NaN rule too: a NaN is
/// chosen only when it comes first.
unsafe fn largest<T: Scalar>(v: View<T>, rows: (usize, usize), j: usize) -> (usize, T::RealPart) {
    let segment = v.segment(rows, j);
    let mut best = (0, segment[0].abs1());
    for (t, x) in segment.iter().enumerate().skip(1) {
        let size = x.abs1();
        if size > best.1 {
            best = (t, size);
        }
    }
    (v.segment_row(rows, best.0), best.1)
}

/// Factors the n x n symmetric (or, with `hermitian`, Hermitian) matrix A, its `uplo`
/// triangle read and overwritten, as U D U^T / L D L^T (^H when Hermitian), with
/// Bunch-Kaufman pivoting. `pivots` (n entries) receives IPIV, 0-based. Returns
/// LAPACK's INFO: 0, or i when D(i, i) is exactly zero (the first such column the
/// factorization meets: the lowest for Lower, the highest for Upper; the factorization
/// is still completed).
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn sytrf<T: Scalar>(
    hermitian: bool,
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    pivots: &mut [Pivot],
) -> usize {
    if n == 0 {
        return 0;
    }
    let v = View::of(uplo, n, a);
    let width = BLOCK.min(n);
    let mut workspace = vec![T::zero(); n * width];
    let mut info = 0;
    let mut start = 0;
    while start < n {
        let m = n - start;
        let last = m <= BLOCK;
        let columns = if last { m } else { BLOCK };
        let w = View::oriented(
            v.reversed(),
            (m, columns),
            RawMat::new(workspace.as_mut_ptr(), m),
        );
        let stop = if last { m } else { BLOCK - 1 };
        let panel_pivots = &mut pivots[start..];
        let (done, panel_info) =
            factor_panel(hermitian, m, v.at(start, start), w, stop, panel_pivots);
        if !last {
            update_trailing(hermitian, (m, done), v.at(start, start), w);
        }
        undo_panel_interchanges(done, v.at(start, start), panel_pivots);
        for p in &mut panel_pivots[..done] {
            *p = p.moved(start);
        }
        if info == 0 && panel_info != 0 {
            info = panel_info + start;
        }
        start += done;
    }
    if uplo == Uplo::Upper {
        // Pivots and INFO were found in view order; IPIV is indexed by the caller's
        // rows and INFO names the caller's column.
        pivots.reverse();
        for p in pivots.iter_mut() {
            *p = p.mirrored(n);
        }
        if info != 0 {
            info = n + 1 - info;
        }
    }
    info
}

/// W(k.., c) -= A(k.., 0..k) * cj(W(r, 0..k))^T: the column in W(k.., c), copied from
/// the matrix before this panel, becomes the column of the matrix updated by the
/// panel's first k columns (A holds their multipliers, W the same columns times D).
unsafe fn update_column<T: Scalar>(
    hermitian: bool,
    (m, k): (usize, usize),
    a: View<T>,
    w: View<T>,
    (c, r): (usize, usize),
) {
    if k == 0 || k >= m {
        return;
    }
    let rows = m - k;
    if rows * k <= SMALL_UPDATE {
        let target = w.segment((k, m), c);
        for l in 0..k {
            let factor = cj(hermitian, w.get(r, l));
            let source = a.segment((k, m), l);
            for (t, s) in target.iter_mut().zip(source.iter()) {
                *t -= *s * factor;
            }
        }
        return;
    }
    let trans = if hermitian {
        Trans::ConjTrans
    } else {
        Trans::Trans
    };
    let (pa, lda) = a.natural((k, 0), (rows, k));
    let (pw, ldw) = w.natural((r, 0), (1, k));
    let (pc, ldc) = w.natural((k, c), (rows, 1));
    level3::gemm_any_order(
        Trans::No,
        trans,
        (rows, 1, k),
        -T::one(),
        (pa as *const T, lda),
        (pw as *const T, ldw),
        T::one(),
        (pc, ldc),
    );
}

/// Makes the diagonal entry (i, j) of a Hermitian matrix real (its rounding errors
/// leave an imaginary part that LAPACK drops).
#[inline(always)]
unsafe fn real_diagonal<T: Scalar>(hermitian: bool, v: View<T>, i: usize, j: usize) {
    if hermitian {
        v.set(i, j, T::from_real(v.get(i, j).re()));
    }
}

/// Factors columns of the m x m matrix `a` (a view, Lower) left-looking, as LAPACK's
/// xLASYF: a step may start while k < `stop` (the panel's width less one, so that a
/// 2x2 step fits in W; m for the last panel, which then takes every column). W (m x
/// stop + 1) receives the factored columns times D in the row order of the latest
/// interchange, and the rows of the factored columns are interchanged alike, so that
/// the trailing update can use them. Returns (columns factored, INFO of this panel).
unsafe fn factor_panel<T: Scalar>(
    hermitian: bool,
    m: usize,
    a: View<T>,
    w: View<T>,
    stop: usize,
    pivots: &mut [Pivot],
) -> (usize, usize) {
    let alpha = bunch_kaufman_alpha::<T::RealPart>();
    let zero = T::RealPart::zero();
    let mut info = 0;
    let mut k = 0;
    while k < m && k < stop {
        // Column k of the matrix updated by the panel so far, into W(k.., k).
        w.segment((k, m), k).copy_from_slice(a.segment((k, m), k));
        update_column(hermitian, (m, k), a, w, (k, k));
        real_diagonal(hermitian, w, k, k);
        let diagonal = diagonal_size(hermitian, w.get(k, k));
        let (imax, column_max) = if k + 1 < m {
            largest(w, (k + 1, m), k)
        } else {
            (k, zero)
        };
        let mut step = 1;
        let pivot;
        if (diagonal == zero && column_max == zero) || diagonal.is_nan() {
            // A zero column (or a NaN on the diagonal): D(k, k) is singular; the column
            // is left as it is, updated, and the factorization goes on.
            if info == 0 {
                info = k + 1;
            }
            pivot = k;
            a.segment((k, m), k).copy_from_slice(w.segment((k, m), k));
        } else {
            if diagonal >= alpha * column_max {
                pivot = k;
            } else {
                // Column imax of the updated matrix, into W(k.., k + 1): its entries
                // above the diagonal are the (conjugated) row imax of the triangle.
                for i in k..imax {
                    w.set(i, k + 1, cj(hermitian, a.get(imax, i)));
                }
                w.segment((imax, m), k + 1)
                    .copy_from_slice(a.segment((imax, m), imax));
                update_column(hermitian, (m, k), a, w, (k + 1, imax));
                real_diagonal(hermitian, w, imax, k + 1);
                let mut row_max = largest(w, (k, imax), k + 1).1;
                if imax + 1 < m {
                    row_max = row_max.max(largest(w, (imax + 1, m), k + 1).1);
                }
                if diagonal >= alpha * column_max * (column_max / row_max) {
                    pivot = k;
                } else if diagonal_size(hermitian, w.get(imax, k + 1)) >= alpha * row_max {
                    pivot = imax;
                    let (column, candidate) = (w.segment((k, m), k), w.segment((k, m), k + 1));
                    column.copy_from_slice(candidate);
                } else {
                    pivot = imax;
                    step = 2;
                }
            }
            let kk = k + step - 1;
            if pivot != kk {
                interchange(hermitian, m, a, w, (kk, pivot));
            }
            if step == 1 {
                store_one(hermitian, m, a, w, k);
            } else {
                store_two(hermitian, m, a, w, k);
            }
        }
        if step == 1 {
            pivots[k] = Pivot::One(pivot);
        } else {
            pivots[k] = Pivot::Two(pivot);
            pivots[k + 1] = Pivot::Two(pivot);
        }
        k += step;
    }
    (k, info)
}

/// Interchanges rows and columns kk and p (kk < p) of the trailing matrix, which is not
/// updated yet: only what survives is moved (column kk is about to be replaced by the
/// factor). Rows kk and p of the panel's factored columns, and of W's, swap too.
unsafe fn interchange<T: Scalar>(
    hermitian: bool,
    m: usize,
    a: View<T>,
    w: View<T>,
    (kk, p): (usize, usize),
) {
    a.set(p, p, a.get(kk, kk));
    real_diagonal(hermitian, a, p, p);
    for j in kk + 1..p {
        a.set(p, j, cj(hermitian, a.get(j, kk)));
    }
    if p + 1 < m {
        let (from, to) = (a.segment((p + 1, m), kk), a.segment((p + 1, m), p));
        to.copy_from_slice(from);
    }
    for j in 0..=kk {
        a.swap((kk, j), (p, j));
        w.swap((kk, j), (p, j));
    }
}

/// A 1x1 step at k: D(k, k) and the multipliers W(k+1.., k) / D(k, k) into A.
unsafe fn store_one<T: Scalar>(hermitian: bool, m: usize, a: View<T>, w: View<T>, k: usize) {
    a.segment((k, m), k).copy_from_slice(w.segment((k, m), k));
    let d = a.get(k, k);
    let inverse = if hermitian {
        T::from_real(T::RealPart::one() / d.re())
    } else {
        T::one().quotient(d)
    };
    for x in a.segment((k + 1, m), k) {
        *x *= inverse;
    }
}

/// A 2x2 step at (k, k+1): D's block, and the multipliers [W(j, k) W(j, k+1)] D^-1
/// for the rows j below it, computed as LAPACK does, through ratios to D(k+1, k)
/// (which is never small next to the rest of the block) so nothing overflows.
unsafe fn store_two<T: Scalar>(hermitian: bool, m: usize, a: View<T>, w: View<T>, k: usize) {
    let (d11, d21, d22) = (w.get(k, k), w.get(k + 1, k), w.get(k + 1, k + 1));
    if k + 2 < m {
        let one = T::one();
        let r22 = d22.quotient(d21);
        let r11 = d11.quotient(cj(hermitian, d21));
        let mut t = one.quotient(r22 * r11 - one);
        if hermitian {
            t = T::from_real(t.re());
        }
        let scale = t.quotient(d21);
        let scale_conj = cj(hermitian, scale);
        for j in k + 2..m {
            let (wk, wk1) = (w.get(j, k), w.get(j, k + 1));
            a.set(j, k, scale_conj * (r22 * wk - wk1));
            a.set(j, k + 1, scale * (r11 * wk1 - wk));
        }
    }
    a.set(k, k, d11);
    a.set(k + 1, k, d21);
    a.set(k + 1, k + 1, d22);
}

/// A22 -= L21 cj(W21)^T on the Lower triangle (view) of the trailing matrix, after a
/// panel of `done` columns of the m x m `a`: column blocks, each a triangular product
/// on the diagonal and a GEMM below it.
unsafe fn update_trailing<T: Scalar>(
    hermitian: bool,
    (m, done): (usize, usize),
    a: View<T>,
    w: View<T>,
) {
    let rows = m - done;
    let (l21, w21, a22) = (a.at(done, 0), w.at(done, 0), a.at(done, done));
    let trans = if hermitian {
        Trans::ConjTrans
    } else {
        Trans::Trans
    };
    let conj = if hermitian { Conj::Yes } else { Conj::No };
    let mut j = 0;
    while j < rows {
        let nb = UPDATE_BLOCK.min(rows - j);
        // Diagonal block: only its Lower (view) triangle, by a triangular product.
        let (pc, ldc) = a22.natural((j, j), (nb, nb));
        let (pl, ldl) = l21.natural((j, 0), (nb, done));
        let (pw, ldw) = w21.natural((j, 0), (nb, done));
        triangle_update::add_product(
            level3::view_mut(pc, nb, nb, ldc),
            !a.reversed(),
            (level3::view(pl, nb, done, ldl), Conj::No),
            (level3::view(pw, nb, done, ldw).transpose(), conj),
            -T::one(),
            Accum::Add,
        );
        if hermitian {
            for i in j..j + nb {
                real_diagonal(true, a22, i, i);
            }
        }
        if j + nb < rows {
            let below = rows - j - nb;
            let (pc, ldc) = a22.natural((j + nb, j), (below, nb));
            let (pl, ldl) = l21.natural((j + nb, 0), (below, done));
            level3::gemm_any_order(
                Trans::No,
                trans,
                (below, nb, done),
                -T::one(),
                (pl as *const T, ldl),
                (pw as *const T, ldw),
                T::one(),
                (pc, ldc),
            );
        }
        j += nb;
    }
}

/// The panel interchanged rows of its own earlier columns (so that its updates lined
/// up); LAPACK's storage keeps each column in the row order of its own step, so those
/// interchanges are undone, latest first, on the columns before each step.
unsafe fn undo_panel_interchanges<T: Scalar>(done: usize, a: View<T>, pivots: &[Pivot]) {
    let mut j = done as isize - 1;
    while j > 0 {
        let kk = j as usize;
        let pivot = pivots[kk];
        if let Pivot::Two(_) = pivot {
            j -= 1;
        }
        j -= 1;
        let p = pivot.row();
        if p != kk && j >= 0 {
            for c in 0..=j as usize {
                a.swap((kk, c), (p, c));
            }
        }
    }
}

/// Solves A X = B with A = U D U^T / L D L^T (^H when Hermitian) from [`sytrf`]: B
/// (n x nrhs) is overwritten with X. `pivots` are IPIV (0-based) as [`sytrf`] gives
/// them, checked: rows inside 0..n, and a 2x2 block never hanging off the matrix.
///
/// # Safety
/// `a` valid for n x n, `b` for n x nrhs.
pub unsafe fn sytrs<T: Scalar>(
    hermitian: bool,
    uplo: Uplo,
    (n, nrhs): (usize, usize),
    a: RawMat<T>,
    pivots: &[Pivot],
    b: RawMat<T>,
) {
    if n == 0 || nrhs == 0 {
        return;
    }
    let reversed = uplo == Uplo::Upper;
    let v = View::of(uplo, n, a);
    let bv = View::oriented(reversed, (n, 1), b);
    // Columns keep their order: only the rows of B are reversed with A's.
    let bv = View {
        cs: b.ld as isize,
        ..bv
    };
    let pivot = |k: usize| -> Pivot {
        if reversed {
            pivots[n - 1 - k].mirrored(n)
        } else {
            pivots[k]
        }
    };
    let swap = |k: usize, p: usize| {
        if p != k {
            for j in 0..nrhs {
                bv.swap((k, j), (p, j));
            }
        }
    };
    if nrhs >= LEVEL3_RHS && n >= LEVEL3_ORDER {
        return solve_by_blocks(hermitian, (n, nrhs), v, &pivot, b, bv);
    }
    // L D X' = P B, forward.
    let mut k = 0;
    while k < n {
        match pivot(k) {
            Pivot::One(p) => {
                swap(k, p);
                let d = v.get(k, k);
                for j in 0..nrhs {
                    let bk = bv.get(k, j);
                    subtract_multiple(v.segment((k + 1, n), k), bv.segment((k + 1, n), j), bk);
                    let x = if hermitian {
                        bk.quotient(T::from_real(d.re()))
                    } else {
                        bk.quotient(d)
                    };
                    bv.set(k, j, x);
                }
                k += 1;
            }
            Pivot::Two(p) => {
                swap(k + 1, p);
                let (d11, d21, d22) = (v.get(k, k), v.get(k + 1, k), v.get(k + 1, k + 1));
                let r11 = d11.quotient(cj(hermitian, d21));
                let r22 = d22.quotient(d21);
                let denominator = r11 * r22 - T::one();
                for j in 0..nrhs {
                    let (b1, b2) = (bv.get(k, j), bv.get(k + 1, j));
                    subtract_multiple(v.segment((k + 2, n), k), bv.segment((k + 2, n), j), b1);
                    subtract_multiple(v.segment((k + 2, n), k + 1), bv.segment((k + 2, n), j), b2);
                    let s1 = b1.quotient(cj(hermitian, d21));
                    let s2 = b2.quotient(d21);
                    bv.set(k, j, (r22 * s1 - s2).quotient(denominator));
                    bv.set(k + 1, j, (r11 * s2 - s1).quotient(denominator));
                }
                k += 2;
            }
        }
    }
    // L^T X = X', backward, then the interchanges undone.
    let mut k = n;
    while k > 0 {
        let last = k - 1;
        let (first, p) = match pivot(last) {
            Pivot::One(p) => (last, p),
            Pivot::Two(p) => (last - 1, p),
        };
        for j in 0..nrhs {
            for c in first..=last {
                let dot = conj_dot(
                    hermitian,
                    v.segment((last + 1, n), c),
                    bv.segment((last + 1, n), j),
                );
                bv.set(c, j, bv.get(c, j) - dot);
            }
        }
        swap(last, p);
        k = first;
    }
}

/// With at least this many right-hand sides (and this order) the solve runs on blocks
/// of L's columns by TRSM and GEMM: each column of L is then read once per block of
/// right-hand sides, not once per right-hand side.
const LEVEL3_RHS: usize = 4;
const LEVEL3_ORDER: usize = 32;

/// Columns of L per block of the level-3 solve.
const SOLVE_BLOCK: usize = 128;

/// One step of the factorization as the solve replays it: its first column, its size
/// (1 or 2), and the interchange of rows `swapped` and `pivot` that came before it.
#[derive(Clone, Copy)]
struct Step {
    first: usize,
    size: usize,
    swapped: usize,
    pivot: usize,
}

/// [`sytrs`] by blocks of L's columns, as LAPACK's xSYTRS2 by blocks and without
/// writing A. A block's columns are copied out with the block's own later interchanges
/// applied to its earlier columns (the interchanges of later blocks are applied to B
/// in turn, as in the unblocked solve), so that the block is one unit triangle (TRSM)
/// over one rectangle (GEMM). X = P L^-T D^-1 L^-1 P^T B.
unsafe fn solve_by_blocks<T: Scalar>(
    hermitian: bool,
    (n, nrhs): (usize, usize),
    v: View<T>,
    pivot: &dyn Fn(usize) -> Pivot,
    b: RawMat<T>,
    bv: View<T>,
) {
    let reversed = v.reversed();
    let mut steps = Vec::new();
    let mut k = 0;
    while k < n {
        let step = match pivot(k) {
            Pivot::One(p) => Step {
                first: k,
                size: 1,
                swapped: k,
                pivot: p,
            },
            Pivot::Two(p) => Step {
                first: k,
                size: 2,
                swapped: k + 1,
                pivot: p,
            },
        };
        steps.push(step);
        k += step.size;
    }
    // Blocks of whole steps, about SOLVE_BLOCK columns each.
    let mut blocks = Vec::new();
    let mut from = 0;
    for (i, step) in steps.iter().enumerate() {
        let columns = step.first + step.size - steps[from].first;
        if columns >= SOLVE_BLOCK || i + 1 == steps.len() {
            blocks.push(&steps[from..=i]);
            from = i + 1;
        }
    }
    let swap_b = |k: usize, p: usize| {
        if p != k {
            for j in 0..nrhs {
                bv.swap((k, j), (p, j));
            }
        }
    };
    // Rows i0..i1 of B (view order) as the caller's (pointer, ld).
    let b_rows = |i0: usize, i1: usize| -> (*mut T, usize) {
        let first = if reversed { n - i1 } else { i0 };
        (b.at(first, 0).ptr, b.ld)
    };
    let tri = if reversed { Uplo::Upper } else { Uplo::Lower };
    let transposed = if hermitian {
        Trans::ConjTrans
    } else {
        Trans::Trans
    };
    let mut buffer = vec![T::zero(); n * (SOLVE_BLOCK + 1)];
    // Copies the block's columns of L (rows from its first column down) into `buffer`,
    // D's off-diagonal entries zeroed and the block's later interchanges applied to its
    // earlier columns; returns the copy and its first and last + 1 columns.
    let copy_block = |block: &[Step], buffer: &mut Vec<T>| -> (View<T>, usize, usize) {
        let (k0, last) = (block[0].first, block[block.len() - 1]);
        let k1 = last.first + last.size;
        let (rows, width) = (n - k0, k1 - k0);
        let l = View::oriented(
            reversed,
            (rows, width),
            RawMat::new(buffer.as_mut_ptr(), rows),
        );
        for step in block {
            let local = step.first - k0;
            if step.pivot != step.swapped {
                for c in 0..local {
                    l.swap((step.swapped - k0, c), (step.pivot - k0, c));
                }
            }
            let below = step.first + step.size;
            for c in step.first..below {
                for i in c + 1..below {
                    l.set(i - k0, c - k0, T::zero());
                }
                l.segment((below - k0, rows), c - k0)
                    .copy_from_slice(v.segment((below, n), c));
            }
        }
        (l, k0, k1)
    };
    // L^-1 P^T B, block by block from the first.
    for block in &blocks {
        let (l, k0, k1) = copy_block(block, &mut buffer);
        for step in block.iter() {
            swap_b(step.swapped, step.pivot);
        }
        let width = k1 - k0;
        let (pd, ldd) = l.natural((0, 0), (width, width));
        level3::trsm_any_order(&TrsmArgs::new(
            (Side::Left, tri, Trans::No, Diag::Unit),
            (width, nrhs),
            T::one(),
            (pd as *const T, ldd),
            b_rows(k0, k1),
        ));
        if k1 < n {
            let (pl, ldl) = l.natural((width, 0), (n - k1, width));
            let (pb, ldb) = b_rows(k0, k1);
            level3::gemm_any_order(
                Trans::No,
                Trans::No,
                (n - k1, nrhs, width),
                -T::one(),
                (pl as *const T, ldl),
                (pb as *const T, ldb),
                T::one(),
                b_rows(k1, n),
            );
        }
    }
    // D^-1, block by block.
    for step in &steps {
        let k = step.first;
        if step.size == 1 {
            let d = v.get(k, k);
            let d = if hermitian { T::from_real(d.re()) } else { d };
            for j in 0..nrhs {
                bv.set(k, j, bv.get(k, j).quotient(d));
            }
        } else {
            let (d11, d21, d22) = (v.get(k, k), v.get(k + 1, k), v.get(k + 1, k + 1));
            let r11 = d11.quotient(cj(hermitian, d21));
            let r22 = d22.quotient(d21);
            let denominator = r11 * r22 - T::one();
            for j in 0..nrhs {
                let s1 = bv.get(k, j).quotient(cj(hermitian, d21));
                let s2 = bv.get(k + 1, j).quotient(d21);
                bv.set(k, j, (r22 * s1 - s2).quotient(denominator));
                bv.set(k + 1, j, (r11 * s2 - s1).quotient(denominator));
            }
        }
    }
    // P L^-T, block by block from the last.
    for block in blocks.iter().rev() {
        let (l, k0, k1) = copy_block(block, &mut buffer);
        let width = k1 - k0;
        if k1 < n {
            let (pl, ldl) = l.natural((width, 0), (n - k1, width));
            let (pb, ldb) = b_rows(k1, n);
            level3::gemm_any_order(
                transposed,
                Trans::No,
                (width, nrhs, n - k1),
                -T::one(),
                (pl as *const T, ldl),
                (pb as *const T, ldb),
                T::one(),
                b_rows(k0, k1),
            );
        }
        let (pd, ldd) = l.natural((0, 0), (width, width));
        level3::trsm_any_order(&TrsmArgs::new(
            (Side::Left, tri, transposed, Diag::Unit),
            (width, nrhs),
            T::one(),
            (pd as *const T, ldd),
            b_rows(k0, k1),
        ));
        for step in block.iter().rev() {
            swap_b(step.swapped, step.pivot);
        }
    }
}

/// y -= x * s over two slices of one orientation.
#[inline(always)]
fn subtract_multiple<T: Scalar>(x: &[T], y: &mut [T], s: T) {
    for (y, x) in y.iter_mut().zip(x) {
        *y -= *x * s;
    }
}

/// sum cj(x_i) y_i.
#[inline(always)]
fn conj_dot<T: Scalar>(hermitian: bool, x: &[T], y: &[T]) -> T {
    let mut sum = T::zero();
    for (x, y) in x.iter().zip(y) {
        sum += cj(hermitian, *x) * *y;
    }
    sum
}

/// Why an IPIV entry (0-based) was refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BadPivot {
    /// It names a row outside 1..=n.
    OutOfRange(usize),
    /// It starts a 2x2 block that the matrix's edge cuts off.
    CutOff(usize),
}

/// Reads IPIV (1-based, the caller's) into pivots, in the traversal order of the
/// solve, so that a 2x2 block never hangs off the matrix. Err names the first entry
/// (in that order) that names a row outside 1..=n or starts a cut-off 2x2 block.
pub fn decode_pivots(
    uplo: Uplo,
    n: usize,
    ipiv: impl Fn(usize) -> i64,
) -> Result<Vec<Pivot>, BadPivot> {
    let mut pivots = vec![Pivot::One(0); n];
    let decode = |i: usize| -> Result<Pivot, BadPivot> {
        let value = ipiv(i);
        let row = value.unsigned_abs() as usize;
        if row == 0 || row > n {
            return Err(BadPivot::OutOfRange(i));
        }
        Ok(if value > 0 {
            Pivot::One(row - 1)
        } else {
            Pivot::Two(row - 1)
        })
    };
    // The solve visits Lower from the first row and Upper from the last; a 2x2 block
    // is the row visited and the next one.
    let index = |t: usize| if uplo == Uplo::Upper { n - 1 - t } else { t };
    let mut t = 0;
    while t < n {
        let entry = decode(index(t))?;
        pivots[index(t)] = entry;
        if let Pivot::Two(_) = entry {
            if t + 1 >= n {
                return Err(BadPivot::CutOff(index(t)));
            }
            let second = match decode(index(t + 1))? {
                Pivot::Two(p) => Pivot::Two(p),
                Pivot::One(_) => entry,
            };
            pivots[index(t + 1)] = second;
            t += 1;
        }
        t += 1;
    }
    Ok(pivots)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rebuilds the full matrix from the factor (as LAPACK's xLAVSY would) and compares.
    fn check<T: Scalar>(hermitian: bool, uplo: Uplo, n: usize, seed: u64) {
        let mut state = seed;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        };
        let mut full = vec![T::zero(); n * n];
        for j in 0..n {
            for i in j..n {
                let x = T::from_parts(
                    T::RealPart::from_f64(next()),
                    T::RealPart::from_f64(if i == j && hermitian { 0.0 } else { next() }),
                );
                full[i + j * n] = x;
                full[j + i * n] = cj(hermitian, x);
            }
        }
        let mut a = full.clone();
        let mut pivots = vec![Pivot::One(0); n];
        let info = unsafe {
            sytrf(
                hermitian,
                uplo,
                n,
                RawMat::new(a.as_mut_ptr(), n),
                &mut pivots,
            )
        };
        assert_eq!(info, 0);
        // Solve A X = I and check A X = I.
        let mut x = vec![T::zero(); n * n];
        for i in 0..n {
            x[i + i * n] = T::one();
        }
        unsafe {
            sytrs(
                hermitian,
                uplo,
                (n, n),
                RawMat::new(a.as_mut_ptr(), n),
                &pivots,
                RawMat::new(x.as_mut_ptr(), n),
            )
        };
        let mut worst = 0.0f64;
        for j in 0..n {
            for i in 0..n {
                let mut s = T::zero();
                for l in 0..n {
                    s += full[i + l * n] * x[l + j * n];
                }
                if i == j {
                    s -= T::one();
                }
                worst = worst.max(s.modulus().to_f64());
            }
        }
        assert!(worst < 1e-6, "{hermitian} {uplo:?} n={n}: {worst}");
    }

    #[test]
    fn solves_cross_the_panel_boundary() {
        for &n in &[1, 2, 3, 7, 63, 64, 65, 130, 200] {
            for uplo in [Uplo::Lower, Uplo::Upper] {
                check::<f64>(false, uplo, n, n as u64);
                check::<crate::scalar::c64>(false, uplo, n, 7 + n as u64);
                check::<crate::scalar::c64>(true, uplo, n, 11 + n as u64);
            }
        }
    }
}
