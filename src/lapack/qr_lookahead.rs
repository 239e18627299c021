//! GEQRF across threads on the CPU: the blocked right-looking QR with a look-ahead of
//! one panel ([`lookahead::right_looking`]). A panel is factored by [`qr::geqrf`] and
//! its block reflector's T formed on one thread; each chunk of later columns then takes
//! the block reflector (xLARFB) on its own thread. Wider panels than the plain blocked
//! form's make the updates deeper products; T is formed recursively so that its cost
//! stays in level-3 calls.

use crate::blas::args::{Diag, Side, Trans, Uplo};
use crate::blas::level3;
use crate::lapack::householder::{apply_block, block_factor};
use crate::lapack::lookahead::{self, Shared};
use crate::lapack::qr;
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;
use std::ops::Range;

/// Whether an m x n GEQRF should run here rather than in the plain blocked form.
pub fn serves<T: Scalar>(m: usize, n: usize) -> bool {
    let k = m.min(n);
    k >= MIN_ORDER && lookahead::worth_it::<T>(k, (m - k / 2, n - k / 2, k / 2), MAX_THREADS)
}

/// Not measured beyond 2 threads: with many, the one factoring the panel would hold the
/// others up as it does Cholesky's (see `cholesky_lookahead`), so the plain form stays.
const MAX_THREADS: usize = 4;

/// At order 256 (four panels) the plain blocked form measured faster (0.87 against 0.76
/// of OpenBLAS's speed); from 512 the threaded one (1.18x OpenBLAS).
const MIN_ORDER: usize = 512;

/// A factored panel: its block reflector's T (width x width).
struct Panel<T> {
    t: Vec<T>,
}

/// [`qr::geqrf`]'s contract, computed in steps of one panel.
///
/// # Safety
/// `a` valid for m x n; `tau` has min(m, n) entries.
pub unsafe fn geqrf<T: Scalar>(m: usize, n: usize, a: RawMat<T>, tau: &mut [T]) {
    let k = m.min(n);
    let a = Shared::new(a);
    // Each panel writes its own part of tau; the updates read the panel's T only.
    let tau = SharedTau(tau.as_mut_ptr());
    lookahead::right_looking(
        &panels(k),
        n,
        |panel, spare, _| factor(m, a.get(), panel, &tau, spare),
        |panel, factored, cols, _| {
            let rows = m - panel.start;
            let width = panel.len();
            let v = a.get().at(panel.start, panel.start);
            let t = RawMat::new(factored.t.as_ptr() as *mut T, width);
            let c = a.get().at(panel.start, cols.start);
            apply_block(
                Side::Left,
                Trans::ConjTrans,
                (rows, cols.len(), width),
                v,
                t,
                c,
            );
        },
        |_, _| true,
    );
}

/// Panels of QR: 64 wide (an unblocked panel) below order 2048, then the plain form's
/// crossover, 128 (a blocked panel). Measured, 2 threads: 512 and 1024 ran 1.2x faster
/// at 64 than at 128; 4096 the same at 64, 128 and 192.
fn panels(k: usize) -> Vec<Range<usize>> {
    let width = if k < 2048 { 64 } else { 128 };
    (0..k)
        .step_by(width)
        .map(|j| j..(j + width).min(k))
        .collect()
}

/// `tau` shared by the parts of a step: only the caller's panel factorization writes
/// it, each panel its own entries.
struct SharedTau<T>(*mut T);
unsafe impl<T> Send for SharedTau<T> {}
unsafe impl<T> Sync for SharedTau<T> {}

/// Factors the panel (rows panel.start..m) and forms its T.
unsafe fn factor<T: Scalar>(
    m: usize,
    a: RawMat<T>,
    panel: Range<usize>,
    tau: &SharedTau<T>,
    spare: Option<Panel<T>>,
) -> Panel<T> {
    let (j, width) = (panel.start, panel.len());
    let tau = std::slice::from_raw_parts_mut(tau.0.add(j), width);
    let v = a.at(j, j);
    qr::geqrf(m - j, width, v, tau);
    let mut t = spare.map(|s| s.t).unwrap_or_default();
    t.clear();
    t.resize(width * width, T::zero());
    triangular_factor(m - j, width, v, tau, RawMat::new(t.as_mut_ptr(), width));
    Panel { t }
}

/// xLARFT (forward, column-wise) by halves: for V = [V1 V2], T = [T1 T12; 0 T2] with
/// T12 = -T1 (V1^H V2) T2, where V1^H V2 is one TRMM (V2's unit triangle) and one GEMM.
///
/// # Safety
/// `v` valid for m x k (m >= k), `t` for k x k.
unsafe fn triangular_factor<T: Scalar>(m: usize, k: usize, v: RawMat<T>, tau: &[T], t: RawMat<T>) {
    if k <= 32 {
        return block_factor(m, k, v, tau, t);
    }
    let k1 = k / 2;
    let k2 = k - k1;
    triangular_factor(m, k1, v, &tau[..k1], t);
    triangular_factor(m - k1, k2, v.at(k1, k1), &tau[k1..], t.at(k1, k1));
    // T12 (k1 x k2) := V1(k1..k, :)^H, times V2's unit lower top (k2 x k2) ...
    let t12 = t.at(0, k1);
    for c in 0..k2 {
        for r in 0..k1 {
            t12.set(r, c, v.get(k1 + c, r).conj());
        }
    }
    let one = T::one();
    level3::trmm(
        Side::Right,
        Uplo::Lower,
        Trans::No,
        Diag::Unit,
        (k1, k2),
        one,
        v.at(k1, k1).arg_const(),
        t12.arg(),
    );
    // ... plus V1(k.., :)^H V2(k.., :) ...
    level3::gemm_any_order(
        Trans::ConjTrans,
        Trans::No,
        (k1, k2, m - k),
        one,
        v.at(k, 0).arg_const(),
        v.at(k, k1).arg_const(),
        one,
        t12.arg(),
    );
    // ... then -T1 (.) T2.
    level3::trmm(
        Side::Left,
        Uplo::Upper,
        Trans::No,
        Diag::NonUnit,
        (k1, k2),
        -one,
        t.arg_const(),
        t12.arg(),
    );
    level3::trmm(
        Side::Right,
        Uplo::Upper,
        Trans::No,
        Diag::NonUnit,
        (k1, k2),
        one,
        t.at(k1, k1).arg_const(),
        t12.arg(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, c64};
    use crate::threads;

    /// The recursive T equals xLARFT's column by column (to rounding).
    #[test]
    fn recursive_t_matches_the_unblocked_one() {
        let (m, k) = (300, 100);
        let mut a = values::<f64>(m * k, 5);
        let mut tau = vec![0.0; k];
        unsafe { qr::geqrf(m, k, RawMat::new(a.as_mut_ptr(), m), &mut tau) };
        let (mut fast, mut plain) = (vec![0.0; k * k], vec![0.0; k * k]);
        let v = RawMat::new(a.as_mut_ptr(), m);
        unsafe {
            triangular_factor(m, k, v, &tau, RawMat::new(fast.as_mut_ptr(), k));
            block_factor(m, k, v, &tau, RawMat::new(plain.as_mut_ptr(), k));
        }
        for (x, y) in fast.iter().zip(&plain) {
            assert!((x - y).abs() < 1e-12 * (1.0 + y.abs()), "{x} {y}");
        }
    }

    /// Q R rebuilt from the factors (Q applied to R by the plain blocked ORMQR) against
    /// A: max |A - Q R| / (max(m, n) * max |A| * eps) under 30; the R of the plain form
    /// to rounding, up to the sign of its rows.
    fn factors_like_lapack<T: Scalar>(shapes: &[(usize, usize)]) {
        for &(m, n) in shapes {
            let ld = m + 2;
            let a = values::<T>(ld * n, (m + 31 * n) as u64);
            let k = m.min(n);
            let mut f = a.clone();
            let mut tau = vec![T::zero(); k];
            unsafe { geqrf(m, n, RawMat::new(f.as_mut_ptr(), ld), &mut tau) };
            for j in 0..n {
                assert_eq!(&f[j * ld + m..(j + 1) * ld], &a[j * ld + m..(j + 1) * ld]);
            }
            let mut qr = vec![T::zero(); m * n];
            for j in 0..n {
                for i in 0..=j.min(m - 1) {
                    qr[i + j * m] = f[i + j * ld];
                }
            }
            let reflectors = RawMat::new(f.as_mut_ptr(), ld);
            let product = RawMat::new(qr.as_mut_ptr(), m);
            unsafe { qr::ormqr(Side::Left, Trans::No, (m, n, k), reflectors, &tau, product) };
            let (mut worst, mut largest) = (0.0f64, 0.0f64);
            for j in 0..n {
                for i in 0..m {
                    worst = worst.max((qr[i + j * m] - a[i + j * ld]).modulus().to_f64());
                    largest = largest.max(a[i + j * ld].modulus().to_f64());
                }
            }
            let r = worst / (m.max(n) as f64 * largest * T::RealPart::epsilon().to_f64());
            assert!(r < 30.0, "{m}x{n}: residual {r}");
        }
    }

    #[test]
    fn factors_like_lapack_in_every_precision() {
        let shapes = [(300, 300), (520, 300), (300, 520)];
        // 2100 x 2050: the blocked 128-wide panels of larger orders.
        factors_like_lapack::<f64>(&[shapes[0], shapes[1], shapes[2], (2100, 2050)]);
        factors_like_lapack::<f32>(&shapes);
        factors_like_lapack::<c64>(&shapes[..1]);
        factors_like_lapack::<c32>(&shapes[..1]);
    }

    #[test]
    fn factors_like_lapack_on_one_thread() {
        threads::sequential(|| factors_like_lapack::<f64>(&[(300, 300)]));
    }
}
