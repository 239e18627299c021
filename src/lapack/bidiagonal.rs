//! Householder bidiagonalization A = Q B P^H of an m x n matrix with m >= n (LAPACK's
//! xGEBRD, xLABRD, xGEBD2), in LAPACK's layout: B upper bidiagonal (d, e, real), Q =
//! H(0) ... H(n-1) with v_i below the diagonal of column i, P = G(0) ... G(n-2) with
//! conj(u_i) right of the superdiagonal in row i. Blocked as the reference: a panel of
//! NB columns and rows is reduced with its updates kept as A - V Y^H - X U^H, half the
//! work in matrix-vector products, the other half in two products per panel on the
//! trailing matrix (our GEMV and GEMM kernels). faer's bidiagonalization updates the whole
//! trailing matrix after every column, one more pass over it per column.

use crate::blas::args::Trans;
use crate::blas::{fused_mv, level1, level3};
use crate::lapack::householder::{apply_right, reduce_column, reflector};
use crate::lapack::raw::{conjugate, gemv, RawMat};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{is_finite, Scalar};
use crate::threads;

/// Panel width and the order below which the unblocked reduction finishes the matrix
/// (LAPACK's ILAENV values for xGEBRD).
const NB: usize = 32;
const CROSSOVER: usize = 128;

/// The reduction's outputs besides A: diagonal and superdiagonal of B (real values in T)
/// and the reflectors' factors.
pub struct Reflectors<T> {
    pub d: Vec<T>,
    pub e: Vec<T>,
    pub tauq: Vec<T>,
    pub taup: Vec<T>,
}

/// Reduces m x n A (m >= n) in place; see the module note for the layout.
///
/// # Safety
/// `a` valid for m x n, m >= n.
pub unsafe fn gebrd<T: Scalar>(m: usize, n: usize, a: RawMat<T>) -> Reflectors<T> {
    debug_assert!(m >= n);
    // Two matrix-vector products a column, each shared among the threads: the team keeps
    // the threads awake between them.
    if n > CROSSOVER {
        return threads::with_team(|| reduce(m, n, a));
    }
    reduce(m, n, a)
}

/// P's k - 1 reflectors from the reduced k-column W (stored conjugated along its rows
/// right of the superdiagonal) as the columns of a (k - 1) x (k - 1) unit lower
/// trapezoid: a QR factor, with `taup`, that xORMQR applies to rows 1..k of the space P
/// acts on (xORMBR 'P'). k >= 2.
pub fn right_reflectors<T: Scalar>(w: &faer::Mat<T>, k: usize) -> faer::Mat<T> {
    faer::Mat::from_fn(k - 1, k - 1, |i, j| {
        if i >= j {
            w[(j, i + 1)].conj()
        } else {
            T::zero()
        }
    })
}

/// [`gebrd`] on the calling thread's team.
unsafe fn reduce<T: Scalar>(m: usize, n: usize, a: RawMat<T>) -> Reflectors<T> {
    let mut out = Reflectors {
        d: vec![T::zero(); n],
        e: vec![T::zero(); n.saturating_sub(1)],
        tauq: vec![T::zero(); n],
        taup: vec![T::zero(); n],
    };
    let mut x = vec![T::zero(); m * NB];
    let mut y = vec![T::zero(); n * NB];
    let mut i = 0;
    while n - i > CROSSOVER {
        let (x, y) = (
            RawMat::new(x.as_mut_ptr(), m),
            RawMat::new(y.as_mut_ptr(), n),
        );
        reduce_panel(m - i, n - i, a.at(i, i), &mut out, i, x, y);
        // A22 -= V Y^H + X U^H, with the unit entries the panel left in place.
        let (rows, cols) = (m - i - NB, n - i - NB);
        let one = T::one();
        level3::gemm_any_order(
            Trans::No,
            Trans::ConjTrans,
            (rows, cols, NB),
            -one,
            a.at(i + NB, i).arg_const(),
            y.at(NB, 0).arg_const(),
            one,
            a.at(i + NB, i + NB).arg(),
        );
        level3::gemm_any_order(
            Trans::No,
            Trans::No,
            (rows, cols, NB),
            -one,
            x.at(NB, 0).arg_const(),
            a.at(i, i + NB).arg_const(),
            one,
            a.at(i + NB, i + NB).arg(),
        );
        for j in i..i + NB {
            a.set(j, j, out.d[j]);
            a.set(j, j + 1, out.e[j]);
        }
        i += NB;
    }
    reduce_unblocked(m - i, n - i, a.at(i, i), &mut out, i);
    out
}

/// xGEBD2 on the (m x n, m >= n) block `a` whose first column is column `at` of the
/// whole reduction.
unsafe fn reduce_unblocked<T: Scalar>(
    m: usize,
    n: usize,
    a: RawMat<T>,
    out: &mut Reflectors<T>,
    at: usize,
) {
    let mut u = vec![T::zero(); n];
    for i in 0..n {
        out.tauq[at + i] = reduce_column(m - i, n - i - 1, a.at(i, i));
        out.d[at + i] = a.get(i, i);
        if i + 1 == n {
            out.taup[at + i] = T::zero();
            break;
        }
        // G(i) from conj(row i) right of the diagonal, applied from the right.
        let len = n - i - 1;
        for (k, value) in u[..len].iter_mut().enumerate() {
            *value = a.get(i, i + 1 + k).conj();
        }
        let mut beta = u[0];
        let taup = reflector(len, &mut beta, u.as_mut_ptr().add(1));
        out.taup[at + i] = taup;
        out.e[at + i] = beta;
        u[0] = T::one();
        apply_right(m - i - 1, len, u.as_ptr(), taup, a.at(i + 1, i + 1));
        a.set(i, i + 1, beta);
        for (k, value) in u[..len].iter().enumerate().skip(1) {
            a.set(i, i + 1 + k, value.conj());
        }
    }
}

/// xLABRD: reduces the first NB rows and columns of the m x n block `a` (the reduction's
/// column `at`), returning X (m x NB) and Y (n x NB) with A22 - V Y^H - X U^H the
/// updated trailing block. The unit entries of V and U stay in A.
unsafe fn reduce_panel<T: Scalar>(
    m: usize,
    n: usize,
    a: RawMat<T>,
    out: &mut Reflectors<T>,
    at: usize,
    x: RawMat<T>,
    y: RawMat<T>,
) {
    let (one, zero) = (T::one(), T::zero());
    let col = |r: RawMat<T>, i: usize, j: usize| (r.at(i, j).ptr as *const T, 1usize);
    let col_mut = |r: RawMat<T>, i: usize, j: usize| (r.at(i, j).ptr, 1usize);
    let row = |r: RawMat<T>, i: usize, j: usize| (r.at(i, j).ptr as *const T, r.ld);
    // G(i)'s vector u (first the updated row it is made from), conj(A(i, 0:i)) or
    // conj(X(i, 0:i)), and the reflector's rescaling threshold (xLARFG's).
    let mut u = vec![zero; n];
    let mut t = [zero; NB];
    let mut partial = Vec::new();
    let safe_beta = T::RealPart::safe_min() / T::RealPart::epsilon();
    for i in 0..NB {
        // A(i:m, i) -= A(i:m, 0:i) conj(Y(i, 0:i))^T + X(i:m, 0:i) A(0:i, i).
        conjugate(i, y.at(i, 0).ptr, y.ld);
        gemv(
            Trans::No,
            a.at(i, 0),
            (m - i, i),
            -one,
            row(y, i, 0),
            one,
            col_mut(a, i, i),
        );
        conjugate(i, y.at(i, 0).ptr, y.ld);
        gemv(
            Trans::No,
            x.at(i, 0),
            (m - i, i),
            -one,
            col(a, 0, i),
            one,
            col_mut(a, i, i),
        );
        let mut alpha = a.get(i, i);
        let tauq = reflector(m - i, &mut alpha, a.at((i + 1).min(m - 1), i).ptr);
        out.tauq[at + i] = tauq;
        out.d[at + i] = alpha;
        a.set(i, i, one);
        // Y(i+1:n, i) = tauq (A^H v - Y t1 - A(0:i, :)^H t2), t1 = V^H v and t2 = X^H v
        // (kept in the free entries Y(0:i, i) and X(0:i, i)); the corrections first.
        let v = col(a, i, i);
        let (rows, cols) = (m - i - 1, n - i - 1);
        gemv(
            Trans::ConjTrans,
            a.at(i, 0),
            (m - i, i),
            one,
            v,
            zero,
            col_mut(y, 0, i),
        );
        gemv(
            Trans::ConjTrans,
            x.at(i, 0),
            (m - i, i),
            one,
            v,
            zero,
            col_mut(x, 0, i),
        );
        let y_col = std::slice::from_raw_parts_mut(y.at(i + 1, i).ptr, cols);
        y_col.fill(zero);
        gemv(
            Trans::No,
            y.at(i + 1, 0),
            (cols, i),
            -one,
            col(y, 0, i),
            one,
            col_mut(y, i + 1, i),
        );
        gemv(
            Trans::ConjTrans,
            a.at(0, i + 1),
            (i, cols),
            -one,
            col(x, 0, i),
            one,
            col_mut(y, i + 1, i),
        );
        // Row i right of the diagonal, conjugated, in w: -= Y(i+1:n, 0:=i) conj(A(i, 0:=i))
        // + A(0:i, i+1:n)^H conj(X(i, 0:i)); Y's column i (times A(i, i) = 1) in the sweep.
        let w = &mut u[..cols];
        for (k, wk) in w.iter_mut().enumerate() {
            *wk = a.get(i, i + 1 + k).conj();
        }
        for (k, tk) in t[..i].iter_mut().enumerate() {
            *tk = a.get(i, k).conj();
        }
        gemv(
            Trans::No,
            y.at(i + 1, 0),
            (cols, i),
            -one,
            (t.as_ptr(), 1),
            one,
            (w.as_mut_ptr(), 1),
        );
        for (k, tk) in t[..i].iter_mut().enumerate() {
            *tk = x.get(i, k).conj();
        }
        gemv(
            Trans::ConjTrans,
            a.at(0, i + 1),
            (i, cols),
            -one,
            (t.as_ptr(), 1),
            one,
            (w.as_mut_ptr(), 1),
        );
        // One sweep of A(i:m, i+1:n): Y's column from A^H v, w from it, and z = A w in X's
        // column, from which A u follows once G(i) is known.
        let z = std::slice::from_raw_parts_mut(x.at(i + 1, i).ptr, rows);
        z.fill(zero);
        let (y_at, w_at) = (y_col.as_mut_ptr() as usize, w.as_mut_ptr() as usize);
        let weights = |j0: usize, s: &mut [T]| {
            for (k, sk) in s.iter_mut().enumerate() {
                // Each block's entries are its own: no other thread touches them.
                let (yk, wk) = ((y_at as *mut T).add(j0 + k), (w_at as *mut T).add(j0 + k));
                *yk = tauq * (*yk + *sk);
                *wk -= *yk;
                *sk = *wk;
            }
        };
        let column = std::slice::from_raw_parts(v.0, m - i);
        fused_mv::dots_then_axpys(
            (a.at(i, i + 1).ptr, a.ld),
            (m - i, cols),
            column,
            1,
            &weights,
            z,
            &mut partial,
        );
        let row_value = w[0];
        let mut beta = row_value;
        let taup = reflector(cols, &mut beta, w.as_mut_ptr().add(1));
        out.taup[at + i] = taup;
        out.e[at + i] = beta;
        w[0] = one;
        // X(i+1:m, i) = taup (A u - V Y^H u - X A(0:i, :) u), u = w now. u = (w - beta
        // e_1) / (w_1 - beta), so A u = (z - beta A e_1) / (w_1 - beta); where that could
        // have lost digits (tiny beta, rescaled in the reflector) or overflowed, the
        // product is made again from u.
        let first = std::slice::from_raw_parts(a.at(i + 1, i + 1).ptr, rows);
        let mut fused = taup != zero && beta.abs1() >= safe_beta;
        if fused {
            let scale = one.quotient(row_value - beta);
            for (zr, &fr) in z.iter_mut().zip(first) {
                *zr = (*zr - beta * fr) * scale;
            }
            fused = z.iter().all(|v| is_finite(*v));
        }
        let u = (w.as_ptr(), 1);
        if !fused {
            gemv(
                Trans::No,
                a.at(i + 1, i + 1),
                (rows, cols),
                one,
                u,
                zero,
                col_mut(x, i + 1, i),
            );
        }
        gemv(
            Trans::ConjTrans,
            y.at(i + 1, 0),
            (cols, i + 1),
            one,
            u,
            zero,
            col_mut(x, 0, i),
        );
        gemv(
            Trans::No,
            a.at(i + 1, 0),
            (rows, i + 1),
            -one,
            col(x, 0, i),
            one,
            col_mut(x, i + 1, i),
        );
        gemv(
            Trans::No,
            a.at(0, i + 1),
            (i, cols),
            one,
            u,
            zero,
            col_mut(x, 0, i),
        );
        gemv(
            Trans::No,
            x.at(i + 1, 0),
            (rows, i),
            -one,
            col(x, 0, i),
            one,
            col_mut(x, i + 1, i),
        );
        level1::scal(rows as i64, taup, x.at(i + 1, i).ptr, 1);
        for (k, &uk) in w.iter().enumerate() {
            a.set(i, i + 1 + k, uk.conj());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c64, Real};

    /// ||A - Q B P^H||_1 / (||A||_1 max(m, n) eps), Q and P applied to B by their
    /// reflectors one at a time (independent of the blocked code).
    fn residual<T: Scalar>(m: usize, n: usize, seed: u64) -> f64
    where
        T::RealPart: Real,
    {
        residual_of(m, n, values::<T>(m * n, seed))
    }

    fn residual_of<T: Scalar>(m: usize, n: usize, a0: Vec<T>) -> f64
    where
        T::RealPart: Real,
    {
        let mut a = a0.clone();
        let r = unsafe { gebrd(m, n, RawMat::new(a.as_mut_ptr(), m)) };
        let mut b = vec![T::zero(); m * n];
        for j in 0..n {
            b[j + j * m] = r.d[j];
            if j + 1 < n {
                b[j + (j + 1) * m] = r.e[j];
            }
            assert_eq!(r.d[j].im(), T::RealPart::zero(), "d not real");
        }
        let bm = RawMat::new(b.as_mut_ptr(), m);
        unsafe {
            // B := B P^H, P = G(0)...G(n-2): G(n-2)^H first from the right... applied as
            // (P B^H)^H, i.e. B := B G(n-2)^H ... G(0)^H, last reflector first.
            for i in (0..n.saturating_sub(1)).rev() {
                let mut u = vec![T::zero(); n - i - 1];
                u[0] = T::one();
                for k in 1..u.len() {
                    u[k] = a[i + (i + 1 + k) * m].conj();
                }
                apply_right(m, u.len(), u.as_ptr(), r.taup[i].conj(), bm.at(0, i + 1));
            }
            // B := Q B, one reflector at a time.
            crate::lapack::qr::ormqr_unblocked(
                (m, n, n),
                RawMat::new(a.as_mut_ptr(), m),
                &r.tauq,
                bm,
            );
        }
        let norm = |x: &[T]| {
            (0..n)
                .map(|j| (0..m).map(|i| x[i + j * m].abs1().to_f64()).sum::<f64>())
                .fold(0.0, f64::max)
        };
        let diff: Vec<T> = a0.iter().zip(&b).map(|(&p, &q)| p - q).collect();
        norm(&diff) / (norm(&a0) * m as f64 * T::RealPart::epsilon().to_f64())
    }

    #[test]
    fn reduction_reproduces_the_matrix() {
        // Unblocked (n <= 128) and blocked (several panels, then the unblocked tail).
        for (m, n) in [(1, 1), (5, 3), (7, 7), (40, 20), (300, 200), (260, 260)] {
            let real = residual::<f64>(m, n, 3);
            assert!(real < 10.0, "f64 {m} x {n}: {real}");
            let complex = residual::<c64>(m, n, 4);
            assert!(complex < 10.0, "c64 {m} x {n}: {complex}");
        }
    }

    /// The panel's product A u made from the fused sweep's A w, or made again where that
    /// could overflow or lose digits: entries near overflow and underflow, and rows left
    /// zero (G(i) = I).
    #[test]
    fn scaled_and_degenerate_matrices() {
        let (m, n) = (300, 200);
        for scale in [1e-300, 1e-150, 1e150, 1e300] {
            let a: Vec<f64> = values::<f64>(m * n, 5).iter().map(|v| v * scale).collect();
            let r = residual_of(m, n, a);
            assert!(r < 10.0, "scale {scale:e}: {r}");
        }
        // Only the first two columns nonzero: every later row is zero right of the
        // diagonal once the first reflectors are applied.
        let mut a = values::<f64>(m * n, 6);
        a[2 * m..].fill(0.0);
        let r = residual_of(m, n, a);
        assert!(r < 10.0, "two columns: {r}");
        let mut a = values::<c64>(m * n, 7);
        a[m..].fill(c64::zero());
        let r = residual_of(m, n, a);
        assert!(r < 10.0, "c64, one column: {r}");
    }

    /// The bidiagonal form and reflectors are the same bits on one thread and on the
    /// pool's (LAPACK users compare runs; the singular values must not move with the
    /// thread count).
    #[test]
    fn same_bits_on_any_number_of_threads() {
        let (m, n) = (420, 300);
        let run = || {
            let mut a = values::<f64>(m * n, 11);
            let r = unsafe { gebrd(m, n, RawMat::new(a.as_mut_ptr(), m)) };
            (a, r.d, r.e, r.tauq, r.taup)
        };
        let many = run();
        let one = crate::threads::sequential(run);
        assert!(many == one, "bits differ with the thread count");
    }

    /// Callers on three threads at once, each reduction on a team of its own sharing the
    /// one pool: every one finishes, and correctly.
    #[test]
    fn concurrent_reductions_share_the_pool() {
        std::thread::scope(|s| {
            let callers: Vec<_> = (0..3u64)
                .map(|k| {
                    s.spawn(move || {
                        (0..3)
                            .map(|r| residual::<f64>(400, 300, 10 * k + r))
                            .fold(0.0, f64::max)
                    })
                })
                .collect();
            for caller in callers {
                let worst = caller.join().expect("a reduction panicked");
                assert!(worst < 10.0, "{worst}");
            }
        });
    }
}
