//! QR with column pivoting, GEQP3: A P = Q R, choosing at each step the remaining column
//! of largest norm, after moving the caller's "fixed" columns (JPVT(j) != 0 on entry) to
//! the front and factoring those first without pivoting. The free columns go in panels
//! of `BLOCK` (LAPACK's xLAQPS: the reflectors of a panel reach the trailing matrix as
//! one GEMM, A22 -= A21 F^H, the pivot rows and norms updated as they go), the last
//! `CROSSOVER` columns one at a time (xLAQP2). Both downdate the partial column norms
//! and recompute those that lost too much accuracy (the sqrt(eps) test), as LAPACK.

use crate::blas::args::{Side, Trans};
use crate::blas::level2::{self, Storage};
use crate::blas::{level1, level3};
use crate::lapack::householder::{reduce_column, reflector};
use crate::lapack::qr::{self, BLOCK};
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use crate::threads;

/// Factors the m x n matrix A in place; `jpvt` (n entries, 1-based column numbers)
/// says on entry which columns are fixed (nonzero) and on exit which column of A is
/// column j of A P; `tau` has min(m, n) entries.
///
/// # Safety
/// `a` valid for m x n.
pub unsafe fn geqp3<T: Scalar>(m: usize, n: usize, a: RawMat<T>, jpvt: &mut [i64], tau: &mut [T]) {
    // A threaded product a column (xLAQPS's F): the team keeps the threads awake
    // between them.
    if m.min(n) > CROSSOVER {
        return threads::with_team(|| geqp3_with(m, n, a, jpvt, tau, (BLOCK, CROSSOVER)));
    }
    geqp3_with(m, n, a, jpvt, tau, (BLOCK, CROSSOVER));
}

/// [`geqp3`] with panels of `block` columns while more than `crossover` remain.
unsafe fn geqp3_with<T: Scalar>(
    m: usize,
    n: usize,
    a: RawMat<T>,
    jpvt: &mut [i64],
    tau: &mut [T],
    (block, crossover): (usize, usize),
) {
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
        // Panels while more than CROSSOVER columns remain (xGEQP3 with ILAENV's NB and
        // NX for xGEQRF), then the unblocked steps.
        let mut j = offset;
        if block < k - offset && crossover < k - offset {
            let last_panel_end = k - crossover;
            while j < last_panel_end {
                let width = block.min(last_panel_end - j);
                let done = laqps(
                    m,
                    j,
                    width,
                    a.at(0, j),
                    &mut jpvt[j..],
                    &mut tau[j..k],
                    (&mut vn1[j - offset..], &mut vn2[j - offset..]),
                );
                j += done;
            }
        }
        if j < k {
            laqp2(
                m,
                j,
                a.at(0, j),
                &mut jpvt[j..],
                &mut tau[j..k],
                (&mut vn1[j - offset..], &mut vn2[j - offset..]),
            );
        }
    }
}

/// Below this many remaining columns GEQP3 goes unblocked (ILAENV's crossover for
/// xGEQRF, as the reference's GEQP3 uses).
const CROSSOVER: usize = 128;

/// y := alpha op(A) x + beta y for the m x n block `a` (x, y unit stride).
unsafe fn gemv<T: Scalar>(
    trans: Trans,
    (m, n): (usize, usize),
    alpha: T,
    a: RawMat<T>,
    x: &[T],
    beta: T,
    y: &mut [T],
) {
    let storage = Storage::Full {
        ptr: a.ptr,
        ld: a.ld,
        m,
        uplo: None,
    };
    level2::mv(
        trans,
        storage,
        (m, n),
        alpha,
        (x.as_ptr(), 1),
        beta,
        (y.as_mut_ptr(), 1),
    );
}

/// xLAQPS: factors up to `nb` columns of the n = vn1.len() columns of `a` (whose first
/// `offset` rows are already factored), choosing pivots on the downdated norms, and
/// applies the panel's reflectors to the rest of `a` with one GEMM. Stops early, after
/// the column that made a norm unreliable (that norm is recomputed once the trailing
/// matrix is up to date). Returns the number of columns factored.
#[allow(clippy::too_many_arguments)]
unsafe fn laqps<T: Scalar>(
    m: usize,
    offset: usize,
    nb: usize,
    a: RawMat<T>,
    jpvt: &mut [i64],
    tau: &mut [T],
    (vn1, vn2): (&mut [T::RealPart], &mut [T::RealPart]),
) -> usize {
    let n = vn1.len();
    let zero = T::RealPart::zero();
    let one = T::one();
    let tol3z = T::RealPart::epsilon().sqrt();
    let last_row = m.min(n + offset);
    // F (n x nb): the panel's reflectors reach A as A := A - V F^H, F = A^H V T^H
    // built a column at a time.
    let mut f_store = vec![T::zero(); n * nb];
    let f = RawMat::new(f_store.as_mut_ptr(), n);
    let mut scratch = vec![T::zero(); n.max(m)];
    // Columns whose norm must be recomputed after the trailing update.
    let mut stale: Vec<usize> = Vec::new();
    let mut k = 0;
    while k < nb && stale.is_empty() {
        let row = offset + k;
        let mut pivot = k;
        for j in k + 1..n {
            if vn1[j] > vn1[pivot] {
                pivot = j;
            }
        }
        if pivot != k {
            level1::swap(m as i64, a.at(0, pivot).ptr, 1, a.at(0, k).ptr, 1);
            level1::swap(
                k as i64,
                f.at(pivot, 0).ptr,
                n as i64,
                f.at(k, 0).ptr,
                n as i64,
            );
            jpvt.swap(pivot, k);
            vn1[pivot] = vn1[k];
            vn2[pivot] = vn2[k];
        }
        // The panel's earlier reflectors on column k: A(row.., k) -= A(row.., ..k) F(k, ..k)^H.
        if k > 0 {
            let fk: Vec<T> = (0..k).map(|l| f.get(k, l).conj()).collect();
            let column = std::slice::from_raw_parts_mut(a.at(row, k).ptr, m - row);
            gemv(
                Trans::No,
                (m - row, k),
                -one,
                a.at(row, 0),
                &fk,
                one,
                column,
            );
        }
        let mut beta = a.get(row, k);
        let below = if row + 1 < m {
            a.at(row + 1, k).ptr
        } else {
            a.at(row, k).ptr
        };
        tau[k] = reflector(m - row, &mut beta, below);
        a.set(row, k, one);
        let v = std::slice::from_raw_parts(a.at(row, k).ptr, m - row);
        // F(k+1.., k) = tau A(row.., k+1..)^H v; F(..=k, k) = 0.
        for l in 0..=k {
            f.set(l, k, T::zero());
        }
        if k + 1 < n {
            let fcol = std::slice::from_raw_parts_mut(f.at(k + 1, k).ptr, n - k - 1);
            gemv(
                Trans::ConjTrans,
                (m - row, n - k - 1),
                tau[k],
                a.at(row, k + 1),
                v,
                T::zero(),
                fcol,
            );
        }
        // F(.., k) -= tau F(.., ..k) A(row.., ..k)^H v: the earlier reflectors' share.
        if k > 0 {
            let aux = &mut scratch[..k];
            gemv(
                Trans::ConjTrans,
                (m - row, k),
                -tau[k],
                a.at(row, 0),
                v,
                T::zero(),
                aux,
            );
            let fcol = std::slice::from_raw_parts_mut(f.at(0, k).ptr, n);
            gemv(Trans::No, (n, k), one, f, aux, one, fcol);
        }
        // The pivot row: A(row, k+1..) -= A(row, ..=k) F(k+1.., ..=k)^H.
        if k + 1 < n {
            let arow: Vec<T> = (0..=k).map(|l| a.get(row, l).conj()).collect();
            let update = &mut scratch[..n - k - 1];
            gemv(
                Trans::No,
                (n - k - 1, k + 1),
                one,
                f.at(k + 1, 0),
                &arow,
                T::zero(),
                update,
            );
            for (j, u) in (k + 1..n).zip(update.iter()) {
                a.set(row, j, a.get(row, j) - u.conj());
            }
        }
        // Downdate the partial norms; a norm that lost too much is recomputed later.
        if row + 1 < last_row {
            for j in k + 1..n {
                if vn1[j] == zero {
                    continue;
                }
                let ratio = a.get(row, j).modulus() / vn1[j];
                let temp = (T::RealPart::from_f64(1.0) - ratio * ratio).max(zero);
                let lost = vn1[j] / vn2[j];
                if temp * lost * lost <= tol3z {
                    stale.push(j);
                } else {
                    vn1[j] *= temp.sqrt();
                }
            }
        }
        a.set(row, k, beta);
        k += 1;
    }
    let row = offset + k;
    // The trailing matrix: A(row.., k..) -= A(row.., ..k) F(k.., ..k)^H.
    if k < n.min(m - offset) {
        level3::gemm_any_order(
            Trans::No,
            Trans::ConjTrans,
            (m - row, n - k, k),
            -one,
            a.at(row, 0).arg_const(),
            f.at(k, 0).arg_const(),
            one,
            a.at(row, k).arg(),
        );
    }
    for j in stale {
        vn1[j] = if row < m {
            level1::nrm2((m - row) as i64, a.at(row, j).ptr, 1)
        } else {
            zero
        };
        vn2[j] = vn1[j];
    }
    k
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::c64;

    /// Pseudo-random entries in (-1, 1).
    fn entries<T: Scalar>(count: usize, seed: u64) -> Vec<T> {
        let mut state = seed;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 52) as f64 - 1.0
        };
        (0..count)
            .map(|_| T::from_parts(T::RealPart::from_f64(next()), T::RealPart::from_f64(next())))
            .collect()
    }

    /// The blocked path (tiny panels, several of them, early ends included) gives the
    /// unblocked path's pivots and R to rounding.
    fn blocked_as_unblocked<T: Scalar>(m: usize, n: usize, fixed: &[usize], dominant_row: bool) {
        let mut a = entries::<T>(m * n, (m * 1000 + n) as u64);
        if dominant_row {
            // Norms concentrated in row 0: downdating loses them, panels end early.
            for j in 0..n {
                a[j * m] += T::from_real(T::RealPart::from_f64(1e4 + j as f64));
            }
        }
        let mut jpvt_in = vec![0i64; n];
        for &j in fixed {
            jpvt_in[j] = 1;
        }
        let k = m.min(n);
        let run = |sizes: (usize, usize)| {
            let mut a = a.clone();
            let mut jpvt = jpvt_in.clone();
            let mut tau = vec![T::zero(); k];
            unsafe {
                geqp3_with(
                    m,
                    n,
                    RawMat::new(a.as_mut_ptr(), m),
                    &mut jpvt,
                    &mut tau,
                    sizes,
                )
            };
            (a, jpvt)
        };
        let (reference, jpvt_ref) = run((usize::MAX, usize::MAX));
        for sizes in [(3, 0), (4, 5), (7, 2)] {
            let (blocked, jpvt) = run(sizes);
            assert_eq!(jpvt, jpvt_ref, "{m}x{n} {sizes:?}");
            let scale = reference[0].modulus().to_f64();
            for j in 0..n {
                for i in 0..=j.min(k - 1) {
                    let d = (blocked[i + j * m] - reference[i + j * m])
                        .modulus()
                        .to_f64();
                    let tol = 1e3 * T::RealPart::epsilon().to_f64() * scale;
                    assert!(d <= tol, "{m}x{n} {sizes:?} R({i},{j}) off by {d}");
                }
            }
        }
    }

    #[test]
    fn blocked_matches_unblocked() {
        blocked_as_unblocked::<f64>(40, 30, &[], false);
        blocked_as_unblocked::<f64>(30, 40, &[2, 5, 9], false);
        blocked_as_unblocked::<f64>(35, 35, &[], true);
        blocked_as_unblocked::<c64>(40, 30, &[0, 1], false);
        blocked_as_unblocked::<c64>(25, 33, &[], true);
    }
}
