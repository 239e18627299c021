//! TRSM for small problems, in reference BLAS's arithmetic order.
//!
//! faer's blocked solve is faster for large problems, but it rounds differently, and
//! LAPACK's tests of small ill-conditioned systems (STFSM/CTFSM, M = N = 50) sit close
//! enough to their thresholds to notice. Up to `MAX_VOLUME` we therefore follow
//! reference xTRSM step for step: the same loops, the same zero skips, division on the
//! left, multiplication by the reciprocal on the right.

use crate::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use crate::scalar::Scalar;
use std::ops::Range;

/// Largest (order of A) * m * n served here.
pub const MAX_VOLUME: usize = 64 * 64 * 64;

struct Operands<T> {
    a: *const T,
    lda: usize,
    b: *mut T,
    ldb: usize,
    conj: bool,
}

impl<T: Scalar> Operands<T> {
    #[inline(always)]
    unsafe fn a(&self, i: usize, j: usize) -> T {
        *self.a.add(i + j * self.lda)
    }
    /// A(i, j), conjugated for TRANS = 'C'.
    #[inline(always)]
    unsafe fn op_a(&self, i: usize, j: usize) -> T {
        let v = self.a(i, j);
        if self.conj {
            v.conj()
        } else {
            v
        }
    }
    #[inline(always)]
    unsafe fn b(&self, i: usize, j: usize) -> *mut T {
        self.b.add(i + j * self.ldb)
    }
    /// Column j of B, rows `rows`.
    #[inline(always)]
    unsafe fn b_column<'a>(&self, rows: Range<usize>, j: usize) -> &'a mut [T] {
        std::slice::from_raw_parts_mut(self.b(rows.start, j), rows.len())
    }
    /// B(:, j) *= factor over the m rows.
    #[inline(always)]
    unsafe fn scale_column(&self, m: usize, j: usize, factor: T) {
        for bij in self.b_column(0..m, j) {
            *bij = factor * *bij;
        }
    }
    /// B(:, j) -= factor * B(:, k) over the m rows (j != k).
    #[inline(always)]
    unsafe fn sub_column(&self, m: usize, j: usize, k: usize, factor: T) {
        let source: &[T] = self.b_column(0..m, k);
        for (bij, &bik) in self.b_column(0..m, j).iter_mut().zip(source) {
            *bij -= factor * bik;
        }
    }
    /// B(rows, j) -= factor * A(rows, k).
    #[inline(always)]
    unsafe fn sub_a_column(&self, rows: Range<usize>, j: usize, k: usize, factor: T) {
        let a = std::slice::from_raw_parts(self.a.add(rows.start + k * self.lda), rows.len());
        for (bij, &aik) in self.b_column(rows, j).iter_mut().zip(a) {
            *bij -= factor * aik;
        }
    }
}

/// 0..len, backwards when `reverse`.
fn in_order(len: usize, reverse: bool) -> impl Iterator<Item = usize> {
    (0..len).map(move |t| if reverse { len - 1 - t } else { t })
}

crate::dispatched! {
    /// Solves op(A) X = alpha B (Left) or X op(A) = alpha B (Right), X over B. alpha != 0.
    /// Compiled for each instruction set: the column updates vectorize over the rows, each
    /// element getting the same operations in the same order (no fused multiply-adds).
    ///
    /// # Safety
    /// As for `level3::trsm`.
    pub unsafe fn trsm<T: Scalar>(args: &TrsmArgs<T>) -> () {
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
        let p = Operands {
            a,
            lda,
            b,
            ldb,
            conj: trans == Trans::ConjTrans,
        };
        let nounit = diag == Diag::NonUnit;
        let one = T::one();
        match (side, trans == Trans::No) {
            // The reference's loops over k (or i) run inside its loop over the columns j; here
            // outside, so that the columns' chains of dependent divisions and updates overlap.
            // Each element still gets the same operations in the same order.
            (Side::Left, true) => {
                if alpha != one {
                    (0..n).for_each(|j| p.scale_column(m, j, alpha));
                }
                // Upper: k from the bottom, updating rows above; Lower: from the top.
                for k in in_order(m, uplo == Uplo::Upper) {
                    for j in 0..n {
                        if (*p.b(k, j)).is_zero() {
                            continue;
                        }
                        if nounit {
                            *p.b(k, j) = (*p.b(k, j)).quotient(p.a(k, k));
                        }
                        let rows = if uplo == Uplo::Upper { 0..k } else { k + 1..m };
                        p.sub_a_column(rows, j, k, *p.b(k, j));
                    }
                }
            }
            (Side::Left, false) => {
                for i in in_order(m, uplo == Uplo::Lower) {
                    for j in 0..n {
                        let mut temp = alpha * *p.b(i, j);
                        let rows = if uplo == Uplo::Upper { 0..i } else { i + 1..m };
                        for k in rows {
                            temp -= p.op_a(k, i) * *p.b(k, j);
                        }
                        if nounit {
                            temp = temp.quotient(p.op_a(i, i));
                        }
                        *p.b(i, j) = temp;
                    }
                }
            }
            (Side::Right, true) => {
                for j in in_order(n, uplo == Uplo::Lower) {
                    if alpha != one {
                        p.scale_column(m, j, alpha);
                    }
                    let ks = if uplo == Uplo::Upper { 0..j } else { j + 1..n };
                    for k in ks {
                        let akj = p.a(k, j);
                        if !akj.is_zero() {
                            p.sub_column(m, j, k, akj);
                        }
                    }
                    if nounit {
                        p.scale_column(m, j, one.quotient(p.a(j, j)));
                    }
                }
            }
            (Side::Right, false) => {
                for k in in_order(n, uplo == Uplo::Upper) {
                    if nounit {
                        p.scale_column(m, k, one.quotient(p.op_a(k, k)));
                    }
                    let js = if uplo == Uplo::Upper { 0..k } else { k + 1..n };
                    for j in js {
                        if !p.a(j, k).is_zero() {
                            p.sub_column(m, j, k, p.op_a(j, k));
                        }
                    }
                    if alpha != one {
                        p.scale_column(m, k, alpha);
                    }
                }
            }
        }
    }
}
