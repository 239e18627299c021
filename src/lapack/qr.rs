//! QR factorization and its orthogonal factor: GEQRF, ORGQR/UNGQR, ORMQR/UNMQR.
//! A = Q R with Q = H(0) H(1) ... H(k-1) stored as LAPACK stores it: v_i below the
//! diagonal of column i (v_i(i) = 1 implied) and tau_i in TAU. Blocked as LAPACK's
//! xGEQRF: an unblocked panel of `BLOCK` columns, then its block reflector applied to
//! the trailing columns with level-3 BLAS.

use crate::blas::args::{Side, Trans};
use crate::lapack::householder::{apply_block, apply_left, block_factor, reduce_column};
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;

/// Panel width of the blocked algorithms.
pub const BLOCK: usize = 32;

/// Below this many reflectors the unblocked algorithm runs on the whole matrix (the
/// crossover reference LAPACK's ILAENV gives, so small results round as the
/// reference's do).
const CROSSOVER: usize = 128;

/// Factors the m x n matrix A = Q R in place; `tau` has min(m, n) entries.
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn geqrf<T: Scalar>(m: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    let k = m.min(n);
    if k < CROSSOVER {
        return geqr2(m, n, a, tau);
    }
    if crate::lapack::lookahead::alone(k) {
        return crate::threads::sequential(|| geqrf(m, n, a, tau));
    }
    if crate::lapack::qr_lookahead::serves::<T>(m, n) {
        return crate::lapack::qr_lookahead::geqrf(m, n, a, tau);
    }
    let mut t = vec![T::zero(); BLOCK * BLOCK];
    let t = RawMat::new(t.as_mut_ptr(), BLOCK);
    let mut i = 0;
    while i < k {
        let ib = BLOCK.min(k - i);
        let panel = a.at(i, i);
        geqr2(m - i, ib, panel, &mut tau[i..i + ib]);
        if i + ib < n {
            block_factor(m - i, ib, panel, &tau[i..i + ib], t);
            apply_block(
                Side::Left,
                Trans::ConjTrans,
                (m - i, n - i - ib, ib),
                panel,
                t,
                a.at(i, i + ib),
            );
        }
        i += ib;
    }
}

/// Unblocked QR (xGEQR2) of the m x n panel.
unsafe fn geqr2<T: Scalar>(m: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    for (i, t) in tau.iter_mut().enumerate().take(m.min(n)) {
        *t = reduce_column(m - i, n - i - 1, a.at(i, i));
    }
}

/// xORGQR/xUNGQR: overwrites A (m x n, m >= n >= k) holding k reflectors from
/// [`geqrf`] with the first n columns of Q = H(0) ... H(k-1).
///
/// # Safety
/// `a` valid for m x n, `tau` has k entries.
pub unsafe fn orgqr<T: Scalar>(m: usize, n: usize, k: usize, a: RawMat<T>, tau: &[T]) {
    // Many short threaded steps: run them from a pool thread.
    let flops = 4.0 * m as f64 * n as f64 * k as f64;
    let par = crate::threads::driver_par(n, flops);
    crate::threads::on_pool_unsent(par, || {
        // Columns k.. start as those of the identity; the blocks are then applied last to
        // first, each to the columns it affects.
        for j in k..n {
            for i in 0..m {
                a.set(i, j, if i == j { T::one() } else { T::zero() });
            }
        }
        let mut t = vec![T::zero(); BLOCK * BLOCK];
        let t = RawMat::new(t.as_mut_ptr(), BLOCK);
        let mut end = k;
        while end > 0 {
            let start = (end - 1) / BLOCK * BLOCK;
            let ib = end - start;
            let panel = a.at(start, start);
            if end < n {
                block_factor(m - start, ib, panel, &tau[start..end], t);
                apply_block(
                    Side::Left,
                    Trans::No,
                    (m - start, n - end, ib),
                    panel,
                    t,
                    a.at(start, end),
                );
            }
            org2r(m - start, ib, panel, &tau[start..end]);
            for j in start..end {
                for i in 0..start {
                    a.set(i, j, T::zero());
                }
            }
            end = start;
        }
    })
}

/// Unblocked xORG2R on an m x k panel whose k reflectors generate all its columns.
unsafe fn org2r<T: Scalar>(m: usize, k: usize, a: RawMat<T>, tau: &[T]) {
    for i in (0..k).rev() {
        if i + 1 < k {
            a.set(i, i, T::one());
            apply_left(m - i, k - i - 1, a.at(i, i).ptr, tau[i], a.at(i, i + 1));
        }
        for r in i + 1..m {
            a.set(r, i, -tau[i] * a.get(r, i));
        }
        a.set(i, i, T::one() - tau[i]);
        for r in 0..i {
            a.set(r, i, T::zero());
        }
    }
}

/// xORMQR/xUNMQR: C (m x n) := op(Q) C (side Left) or C op(Q) (side Right), Q from k
/// reflectors stored in `a` (rows = m for Left, n for Right).
///
/// # Safety
/// `a` valid for (m or n) x k, `c` for m x n; they do not overlap.
pub unsafe fn ormqr<T: Scalar>(
    side: Side,
    trans: Trans,
    (m, n, k): (usize, usize, usize),
    a: RawMat<T>,
    tau: &[T],
    c: RawMat<T>,
) {
    ormqr_in_blocks(BLOCK, side, trans, (m, n, k), a, tau, c)
}

/// Q C for Q = H(0) ... H(k-1) from k reflectors in `a` (m rows), one reflector at a time
/// (xORM2R, side Left, no transpose).
///
/// # Safety
/// `a` valid for m x k, `c` for m x n; they do not overlap.
pub unsafe fn ormqr_unblocked<T: Scalar>(
    (m, n, k): (usize, usize, usize),
    a: RawMat<T>,
    tau: &[T],
    c: RawMat<T>,
) {
    let mut v = vec![T::zero(); m];
    for i in (0..k).rev() {
        let len = m - i;
        v[0] = T::one();
        for (r, vr) in v.iter_mut().enumerate().take(len).skip(1) {
            *vr = a.get(i + r, i);
        }
        apply_left(len, n, v.as_ptr(), tau[i], c.at(i, 0));
    }
}

/// [`ormqr`] applying `block` reflectors at a time (wider blocks make longer products of
/// C: 128 applied eigenvectors of order 4096 in 0.84 s on 2 cores, 32 in 1.2 s).
///
/// # Safety
/// As [`ormqr`].
pub unsafe fn ormqr_in_blocks<T: Scalar>(
    block: usize,
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
    // Many short threaded steps: run them from a pool thread.
    let flops = 4.0 * m as f64 * n as f64 * k as f64;
    let par = crate::threads::driver_par(m.max(n), flops);
    crate::threads::on_pool_unsent(par, || {
        let rows = if side == Side::Left { m } else { n };
        let mut t = vec![T::zero(); block * block];
        let t = RawMat::new(t.as_mut_ptr(), block);
        let starts: Vec<usize> = (0..k).step_by(block).collect();
        // Q = H(0)...H(k-1): Q C and C Q^H apply the last block first.
        let forward = (side == Side::Left) != (trans == Trans::No);
        let order: Box<dyn Iterator<Item = &usize>> = if forward {
            Box::new(starts.iter())
        } else {
            Box::new(starts.iter().rev())
        };
        for &start in order {
            let ib = block.min(k - start);
            let panel = a.at(start, start);
            block_factor(rows - start, ib, panel, &tau[start..start + ib], t);
            let (target, dims) = match side {
                Side::Left => (c.at(start, 0), (m - start, n, ib)),
                Side::Right => (c.at(0, start), (m, n - start, ib)),
            };
            apply_block(side, trans, dims, panel, t, target);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::c64;
    use crate::scalar::num_traits_lite::Float;

    /// One reflector at a time gives the blocked product (blocks of 3 over 7 reflectors:
    /// two full blocks and a partial one) to rounding, real and complex.
    fn unblocked_matches_blocked<T: Scalar>() {
        let (m, n, k) = (13, 5, 7);
        let mut a: Vec<T> = values(m * k, 21);
        let mut tau = vec![T::zero(); k];
        // SAFETY: a is m x k with leading dimension m.
        unsafe { geqrf(m, k, RawMat::new(a.as_mut_ptr(), m), &mut tau) };
        let c0: Vec<T> = values(m * n, 22);
        let (mut one, mut blocked) = (c0.clone(), c0.clone());
        let a = RawMat::new(a.as_mut_ptr(), m);
        // SAFETY: reflectors m x k, C m x n, all with leading dimension m.
        unsafe {
            ormqr_unblocked((m, n, k), a, &tau, RawMat::new(one.as_mut_ptr(), m));
            ormqr_in_blocks(
                3,
                Side::Left,
                Trans::No,
                (m, n, k),
                a,
                &tau,
                RawMat::new(blocked.as_mut_ptr(), m),
            );
        }
        let eps = <T::RealPart as Float>::epsilon().to_f64();
        for (i, (x, y)) in one.iter().zip(&blocked).enumerate() {
            let error = (*x - *y).modulus().to_f64();
            assert!(error <= 50.0 * eps, "entry {i}: {error:e}");
        }
        assert!(one != c0, "Q C left C unchanged");
    }

    #[test]
    fn one_reflector_at_a_time_matches_blocks() {
        unblocked_matches_blocked::<f64>();
        unblocked_matches_blocked::<c64>();
    }
}
