//! QR with column pivoting, GEQP3: A P = Q R, choosing at each step the remaining column
//! of largest norm (LAPACK's xLAQP2, with its norm downdating and recomputation rule),
//! after moving the caller's "fixed" columns (JPVT(j) != 0 on entry) to the front and
//! factoring those first without pivoting. Level-2 throughout (no xLAQPS blocking yet).

use crate::blas::args::{Side, Trans};
use crate::blas::level1;
use crate::lapack::householder::reduce_column;
use crate::lapack::qr;
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Factors the m x n matrix A in place; `jpvt` (n entries, 1-based column numbers)
/// says on entry which columns are fixed (nonzero) and on exit which column of A is
/// column j of A P; `tau` has min(m, n) entries.
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn geqp3<T: Scalar>(m: usize, n: usize, a: RawMat<T>, jpvt: &mut [i64], tau: &mut [T]) {
    // Fixed columns to the front, in order (xGEQP3's first loop).
    let mut fixed = 0;
    for j in 0..n {
        if jpvt[j] != 0 {
            if j != fixed {
                level1::swap(m as i64, a.at(0, j).ptr, 1, a.at(0, fixed).ptr, 1);
                jpvt[j] = jpvt[fixed];
                jpvt[fixed] = j as i64 + 1;
            } else {
                jpvt[j] = j as i64 + 1;
            }
            fixed += 1;
        } else {
            jpvt[j] = j as i64 + 1;
        }
    }
    let k = m.min(n);
    if fixed > 0 {
        let na = m.min(fixed);
        qr::geqrf(m, na, a, &mut tau[..na]);
        if na < n {
            qr::ormqr(
                Side::Left,
                Trans::ConjTrans,
                (m, n - na, na),
                a,
                &tau[..na],
                a.at(0, na),
            );
        }
    }
    if fixed < k {
        let offset = fixed;
        // Partial column norms (vn1) and the norms they were last computed from (vn2).
        let mut vn1: Vec<T::RealPart> = (offset..n)
            .map(|j| level1::nrm2((m - offset) as i64, a.at(offset, j).ptr, 1))
            .collect();
        let mut vn2 = vn1.clone();
        laqp2(
            m,
            offset,
            a.at(0, offset),
            &mut jpvt[offset..],
            &mut tau[offset..k],
            (&mut vn1, &mut vn2),
        );
    }
}

/// xLAQP2 on the n = vn1.len() columns of `a` whose first `offset` rows are already
/// factored.
unsafe fn laqp2<T: Scalar>(
    m: usize,
    offset: usize,
    a: RawMat<T>,
    jpvt: &mut [i64],
    tau: &mut [T],
    (vn1, vn2): (&mut [T::RealPart], &mut [T::RealPart]),
) {
    let n = vn1.len();
    let zero = T::RealPart::zero();
    let tol3z = T::RealPart::epsilon().sqrt();
    for i in 0..(m - offset).min(n) {
        let row = offset + i;
        // The pivot: the first column of largest partial norm (I?AMAX on vn1).
        let mut pivot = i;
        for j in i + 1..n {
            if vn1[j] > vn1[pivot] {
                pivot = j;
            }
        }
        if pivot != i {
            level1::swap(m as i64, a.at(0, pivot).ptr, 1, a.at(0, i).ptr, 1);
            jpvt.swap(pivot, i);
            vn1[pivot] = vn1[i];
            vn2[pivot] = vn2[i];
        }
        tau[i] = reduce_column(m - row, n - i - 1, a.at(row, i));
        // Downdate the partial norms; recompute those that lost too much accuracy.
        for j in i + 1..n {
            if vn1[j] == zero {
                continue;
            }
            let ratio = a.get(row, j).modulus() / vn1[j];
            let temp = (T::RealPart::from_f64(1.0) - ratio * ratio).max(zero);
            let lost = vn1[j] / vn2[j];
            if temp * lost * lost <= tol3z {
                if row + 1 < m {
                    vn1[j] = level1::nrm2((m - row - 1) as i64, a.at(row + 1, j).ptr, 1);
                    vn2[j] = vn1[j];
                } else {
                    vn1[j] = zero;
                    vn2[j] = zero;
                }
            } else {
                vn1[j] *= temp.sqrt();
            }
        }
    }
}
