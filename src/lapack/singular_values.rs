//! Singular values without vectors (xGESVD with JOBU = JOBVT = 'N', xGESDD with
//! JOBZ = 'N'), the way LAPACK computes them: a QR first when the matrix is much taller
//! than wide, Householder bidiagonalization (`bidiagonal`), then dqds (xLASQ1) on the moduli of the
//! bidiagonal, which gives every value to a few ulps of itself rather than of the
//! largest. A wide matrix goes through its conjugate transpose (same values).

use crate::lapack::bidiagonal::gebrd;
use crate::lapack::dqds::lasq1;
use crate::lapack::raw::RawMat;
use crate::lapack::tridiagonal_qr::sterf;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::qr::no_pivoting::factor as qr;
use faer::{Mat, MatMut, Par};

/// Rows per column from which the QR goes first: LAPACK's MNTHR for xGESVD (ILAENV 6).
/// Bidiagonalizing an m x n matrix costs 4mn^2 - 4n^3/3 flops, half of them in
/// matrix-vector products; the QR (2mn^2 - 2n^3/3, in blocks) and then the n x n
/// triangle (8n^3/3) cost about as much at 1.6 and grow more slowly.
const QR_RATIO: f64 = 1.6;

/// The singular values of W (rows >= columns = k >= 1, columns contiguous), descending;
/// W is destroyed.
/// None when neither dqds nor its fallback finished.
pub fn of_tall<T: Scalar>(mut w: MatMut<'_, T>, par: Par) -> Option<Vec<T::RealPart>> {
    let (rows, k) = w.shape();
    debug_assert!(rows >= k && k >= 1);
    if rows as f64 >= QR_RATIO * k as f64 {
        let block = qr::recommended_block_size::<T>(rows, k);
        let mut coeff = Mat::<T>::zeros(block, k);
        let scratch = qr::qr_in_place_scratch::<T>(rows, k, block, par, Default::default());
        let mut buffer = MemBuffer::new(scratch);
        qr::qr_in_place(
            w.as_mut(),
            coeff.as_mut(),
            par,
            MemStack::new(&mut buffer),
            Default::default(),
        );
        // R, in W's top k x k block with zeros below its diagonal.
        for j in 0..k {
            for i in j + 1..k {
                w[(i, j)] = T::zero();
            }
        }
        w = w.submatrix_mut(0, 0, k, k);
    }
    let rows = w.nrows();
    // SAFETY: w is rows x k, rows >= k, its columns contiguous (row stride 1).
    let b = unsafe { gebrd(rows, k, RawMat::of_view(&mut w)) };
    of_bidiagonal(&b.d, &b.e)
}

/// The singular values of the upper bidiagonal (d, e), descending, to high relative
/// accuracy by dqds on their moduli: a bidiagonal is D1 |B| D2 for unitary diagonal
/// D1, D2 (fix the phases along the chain d_1, e_1, d_2, ...), so |B| has B's singular
/// values. Should dqds not finish, the nonnegative eigenvalues of the Golub-Kahan
/// matrix [0 B^H; B 0] (zero diagonal, off-diagonal |d_1|, |e_1|, |d_2|, ...) by
/// xSTERF, accurate relative to the largest only; None if that fails too.
pub fn of_bidiagonal<T: Scalar>(d: &[T], e: &[T]) -> Option<Vec<T::RealPart>> {
    let k = d.len();
    let zero = T::RealPart::from_f64(0.0);
    let mut values: Vec<_> = d.iter().map(|x| x.modulus()).collect();
    let mut off: Vec<_> = e.iter().map(|x| x.modulus()).collect();
    if lasq1(&mut values, &mut off) == 0 {
        return Some(values);
    }
    let mut diagonal = vec![zero; 2 * k];
    let mut off = Vec::with_capacity(2 * k - 1);
    for i in 0..k {
        off.push(d[i].modulus());
        if i + 1 < k {
            off.push(e[i].modulus());
        }
    }
    // SAFETY: slices only.
    if unsafe { sterf(&mut diagonal, &mut off) } != 0 {
        return None;
    }
    Some((0..k).map(|i| diagonal[2 * k - 1 - i].max(zero)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::c64;
    use faer::linalg::svd::{svd, svd_scratch, ComputeSvdVectors};

    /// Deterministic entries in [-0.5, 0.5).
    fn entry(i: usize) -> f64 {
        let mut x = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((x ^ (x >> 31)) >> 11) as f64 / 9_007_199_254_740_992.0 - 0.5
    }

    /// faer's singular values of `a` (its own bidiagonalization and divide and conquer).
    fn faer_values<T: Scalar>(a: &Mat<T>) -> Vec<f64> {
        let (m, n) = a.shape();
        let no = ComputeSvdVectors::No;
        let params = Default::default();
        let mut buffer = MemBuffer::new(svd_scratch::<T>(m, n, no, no, Par::Seq, params));
        let mut s = faer::diag::Diag::<T>::zeros(m.min(n));
        let stack = MemStack::new(&mut buffer);
        svd(a.as_ref(), s.as_mut(), None, None, Par::Seq, stack, params).unwrap();
        s.column_vector().iter().map(|x| x.re().to_f64()).collect()
    }

    /// Ours against faer's, relative to the largest, on shapes on both sides of the QR
    /// ratio and across faer's block sizes; complex ones check that the moduli of
    /// faer's complex bidiagonal keep its singular values.
    fn agree<T: Scalar>(make: impl Fn(usize) -> T) {
        for (m, n) in [
            (1, 1),
            (2, 1),
            (5, 5),
            (40, 17),
            (64, 40),
            (150, 140),
            (300, 100),
        ] {
            let a = Mat::<T>::from_fn(m, n, |i, j| make(i + m * j));
            let ours = of_tall(a.clone().as_mut(), Par::Seq).unwrap();
            let reference = faer_values(&a);
            let tol = 50.0 * m as f64 * f64::EPSILON * reference[0];
            for (x, y) in ours.iter().zip(&reference) {
                assert!((x.to_f64() - y).abs() <= tol, "{m}x{n}: {x:?} against {y}");
            }
            assert!(
                ours.windows(2).all(|p| p[0] >= p[1]),
                "{m}x{n}: not descending"
            );
        }
    }

    #[test]
    fn real_agrees_with_faer() {
        agree::<f64>(entry);
    }

    #[test]
    fn complex_agrees_with_faer() {
        agree::<c64>(|i| c64::new(entry(2 * i), entry(2 * i + 1)));
    }

    /// A graded upper bidiagonal (d_i, e_i about 10^-i: values from 1 down to about
    /// 1e-30), which the Householder steps leave as it is: the product of the values is
    /// |det B| = prod |d_i| to a few ulps per value, which it would miss by orders of
    /// magnitude were the small ones accurate only relative to the largest.
    fn graded<T: Scalar>(make: impl Fn(usize) -> T) {
        let n = 31;
        let scale = |i: usize| 10f64.powi(-(i as i32));
        let a = Mat::<T>::from_fn(n, n, |i, j| {
            let x = make(i + n * j);
            let grade = T::from_real(T::RealPart::from_f64(scale(j)));
            if i == j {
                (x + T::from_real(T::RealPart::from_f64(1.0))) * grade
            } else if j == i + 1 {
                x * grade
            } else {
                T::zero()
            }
        });
        let ours = of_tall(a.clone().as_mut(), Par::Seq).unwrap();
        let log_det: f64 = (0..n).map(|i| a[(i, i)].modulus().to_f64().ln()).sum();
        let log_product: f64 = ours.iter().map(|x| x.to_f64().ln()).sum();
        assert!(ours[n - 1].to_f64() < 1e-25, "smallest {:?}", ours[n - 1]);
        assert!(
            (log_det - log_product).abs() < 1e-12,
            "log |det| {log_det}, log of the product {log_product}"
        );
    }

    #[test]
    fn graded_values_are_relatively_accurate() {
        graded::<f64>(entry);
        graded::<c64>(|i| c64::new(entry(2 * i), entry(2 * i + 1)));
    }
}
