//! LQ and RQ factorizations (xGELQF, xGERQF) and LQ's orthogonal factor (xORGLQ/xUNGLQ,
//! xORMLQ/xUNMLQ), in LAPACK's storage so that the reference's consumers read our
//! factors. Each is the QR of a conjugate-transposed copy: A = L Q is A^H = Q^H L^H, and
//! the reflectors xGELQ2 stores conjugated along row i are exactly those xGEQR2 leaves
//! in column i of A^H (same alpha, same x, same tau). RQ is the same with the rows and
//! columns reversed (xGERQ2 works from the last row up, its reflectors end at the
//! diagonal), so the blocked QR of `crate::lapack::qr` serves all of them.

use crate::blas::args::{Side, Trans};
use crate::lapack::qr;
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;

/// The n x m matrix A^H of the m x n block A, or (reversed) J A^H J with J the reversal
/// permutation, in a column-major buffer with leading dimension max(n, 1).
pub struct Adjoint<T> {
    data: Vec<T>,
    m: usize,
    n: usize,
    reversed: bool,
}

impl<T: Scalar> Adjoint<T> {
    /// Copies the adjoint of A (m x n) out of the caller's memory.
    ///
    /// # Safety
    /// `a` valid for m x n.
    pub unsafe fn of(m: usize, n: usize, a: RawMat<T>, reversed: bool) -> Self {
        let mut adjoint = Adjoint {
            data: vec![T::zero(); n.max(1) * m],
            m,
            n,
            reversed,
        };
        let buffer = adjoint.mat();
        for j in 0..n {
            for i in 0..m {
                let (p, q) = adjoint.position(i, j);
                buffer.set(p, q, a.get(i, j).conj());
            }
        }
        adjoint
    }

    /// The buffer: n rows, m columns.
    pub fn mat(&mut self) -> RawMat<T> {
        RawMat::new(self.data.as_mut_ptr(), self.n.max(1))
    }

    /// Where A(i, j) lies in the buffer.
    fn position(&self, i: usize, j: usize) -> (usize, usize) {
        if self.reversed {
            (self.n - 1 - j, self.m - 1 - i)
        } else {
            (j, i)
        }
    }

    /// Writes the adjoint of the buffer back over A.
    ///
    /// # Safety
    /// `a` valid for m x n.
    pub unsafe fn store(&mut self, a: RawMat<T>) {
        let buffer = self.mat();
        for j in 0..self.n {
            for i in 0..self.m {
                let (p, q) = self.position(i, j);
                a.set(i, j, buffer.get(p, q).conj());
            }
        }
    }
}

/// xGELQF: A (m x n) = L Q in place; `tau` has min(m, n) entries.
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn gelqf<T: Scalar>(m: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    let mut adjoint = Adjoint::of(m, n, a, false);
    qr::geqrf(n, m, adjoint.mat(), tau);
    adjoint.store(a);
}

/// xGERQF: A (m x n) = R Q in place, the reflectors in the last min(m, n) rows;
/// `tau` has min(m, n) entries, tau(k - 1) belonging to the last row.
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn gerqf<T: Scalar>(m: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    let mut adjoint = Adjoint::of(m, n, a, true);
    qr::geqrf(n, m, adjoint.mat(), tau);
    adjoint.store(a);
    tau.reverse();
}

/// xORGLQ/xUNGLQ: overwrites A (m x n, n >= m >= k) holding k reflectors from
/// [`gelqf`] with the first m rows of Q.
///
/// # Safety
/// `a` valid for m x n, `tau` has k entries.
pub unsafe fn orglq<T: Scalar>(m: usize, n: usize, k: usize, a: RawMat<T>, tau: &[T]) {
    let mut adjoint = Adjoint::of(m, n, a, false);
    qr::orgqr(n, m, k, adjoint.mat(), tau);
    adjoint.store(a);
}

/// xORMLQ/xUNMLQ: C (m x n) := op(Q) C (side Left) or C op(Q) (side Right), Q from the k
/// reflectors in the rows of `a` (k x m for Left, k x n for Right).
///
/// # Safety
/// `a` valid for k x (m or n), `c` for m x n; they do not overlap.
pub unsafe fn ormlq<T: Scalar>(
    side: Side,
    trans: Trans,
    (m, n, k): (usize, usize, usize),
    a: RawMat<T>,
    tau: &[T],
    c: RawMat<T>,
) {
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    let nq = if side == Side::Left { m } else { n };
    // Q is the adjoint of the QR factor whose reflectors are the columns of A^H.
    let mut adjoint = Adjoint::of(k, nq, a, false);
    let flipped = if trans == Trans::No {
        Trans::ConjTrans
    } else {
        Trans::No
    };
    qr::ormqr(side, flipped, (m, n, k), adjoint.mat(), tau, c);
}
