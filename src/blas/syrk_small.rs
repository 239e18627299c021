//! SYRK for tiny real products on plain loops, with faer's rounding.
//!
//! faer's triangular matmul costs about 1,500 instructions a call whatever the size
//! (dispatch, its own thread-local, packing); a 4x4 SYRK is 40 multiply-adds. These loops
//! compute what faer's kernels compute for such shapes, element by element: acc = the
//! fused multiply-adds op(A)(i,l) * op(A)(j,l) + acc for l = 0..k from acc = +0, then
//! C(i,j) = alpha*acc (beta = 0) or beta*C(i,j) + alpha*acc (beta*C(i,j) is C(i,j) when
//! beta = 1), so results do not depend on which path served the call. The test below
//! checks that bit for bit against `level3::rank_k`'s faer path on every shape served.

use crate::blas::args::{Trans, Uplo};
use crate::scalar::Scalar;

/// The largest n and n*n*k served here.
const MAX_ORDER: usize = 16;
const MAX_VOLUME: usize = 16 * 16 * 16;

/// Whether a real SYRK of order `n` and rank `k` is served here (alpha != 0, n, k > 0).
#[inline(always)]
pub fn serves<T: Scalar>((n, k): (usize, usize), alpha: T) -> bool {
    !T::IS_COMPLEX
        && n != 0
        && k != 0
        && !alpha.is_zero()
        && n <= MAX_ORDER
        && n * n * k.min(MAX_VOLUME) <= MAX_VOLUME
}

crate::dispatched! {
    /// C := alpha*op(A)*op(A)^T + beta*C on the `uplo` triangle, for a call [`serves`]
    /// accepts. Compiled with FMA where the CPU has it (elsewhere `mul_add` rounds the
    /// same, in software).
    ///
    /// # Safety
    /// A valid for op(A) n x k at `lda`, C for n x n at `ldc`, disjoint.
    pub unsafe fn syrk<T: Scalar>(
        uplo: Uplo,
        trans: Trans,
        dims: (usize, usize),
        alpha: T,
        a: (*const T, usize),
        beta: T,
        c: (*mut T, usize),
    ) -> () {
        let ((n, k), (a, lda), (c, ldc)) = (dims, a, c);
        let at = |i: usize, l: usize| {
            if trans.is_transposed() {
                *a.add(l + i * lda)
            } else {
                *a.add(i + l * lda)
            }
        };
        // One element at a time: a short scalar chain each (accumulating a whole column
        // in a vector-friendly array measured 2x slower at n = 4).
        for j in 0..n {
            let rows = match uplo {
                Uplo::Upper => 0..j + 1,
                Uplo::Lower => j..n,
            };
            for i in rows {
                let mut acc = T::zero();
                for l in 0..k {
                    acc = at(i, l).fma(at(j, l), acc);
                }
                let product = alpha * acc;
                let x = c.add(i + j * ldc);
                *x = if beta.is_zero() {
                    product
                } else if beta == T::one() {
                    *x + product
                } else {
                    beta * *x + product
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits<T>(v: &[T]) -> &[u8] {
        unsafe { std::slice::from_raw_parts(v.as_ptr() as *const u8, std::mem::size_of_val(v)) }
    }

    /// Every served shape, both triangles and both TRANS, beta 0, 1 and other, against
    /// faer's path (`level3::rank_k` with the small path bypassed), bit for bit.
    fn same_bits_as_faer<T: Scalar>() {
        let mut state = 0x853c49e6748fea9bu64;
        let mut value = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            T::from_f64_lossy((state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
        };
        let mut cases = 0;
        for n in 1..=MAX_ORDER {
            for k in 1..=MAX_ORDER {
                if !serves::<T>((n, k), T::one()) {
                    continue;
                }
                for (case, (uplo, trans)) in [Uplo::Lower, Uplo::Upper]
                    .into_iter()
                    .flat_map(|u| [Trans::No, Trans::Trans].map(move |t| (u, t)))
                    .enumerate()
                {
                    let rows = if trans.is_transposed() { k } else { n };
                    let cols = if trans.is_transposed() { n } else { k };
                    let lda = rows + case % 2;
                    let ldc = n + 1;
                    let a: Vec<T> = (0..lda * cols).map(|_| value()).collect();
                    let c0: Vec<T> = (0..ldc * n).map(|_| value()).collect();
                    let alpha = value();
                    for beta in [T::zero(), T::one(), value()] {
                        let (mut mine, mut faer) = (c0.clone(), c0.clone());
                        unsafe {
                            syrk(
                                uplo,
                                trans,
                                (n, k),
                                alpha,
                                (a.as_ptr(), lda),
                                beta,
                                (mine.as_mut_ptr(), ldc),
                            );
                            crate::blas::level3::rank_k_faer(
                                uplo,
                                trans,
                                (n, k),
                                alpha,
                                (a.as_ptr(), lda),
                                beta,
                                (faer.as_mut_ptr(), ldc),
                            );
                        }
                        assert!(
                            bits(&mine) == bits(&faer),
                            "{}SYRK n={n} k={k} {uplo:?} {trans:?}",
                            T::PREFIX
                        );
                        cases += 1;
                    }
                }
            }
        }
        assert!(cases > 100);
    }

    #[test]
    fn tiny_syrk_has_faers_bits() {
        same_bits_as_faer::<f64>();
        same_bits_as_faer::<f32>();
    }

    #[test]
    fn serves_only_small_real_calls() {
        assert!(serves::<f64>((4, 4), 1.0));
        assert!(!serves::<f64>((4, 4), 0.0));
        assert!(!serves::<f64>((0, 4), 1.0) && !serves::<f64>((4, 0), 1.0));
        assert!(!serves::<f64>((17, 1), 1.0) && !serves::<f64>((16, 17), 1.0));
        assert!(!serves::<crate::scalar::c64>(
            (2, 2),
            crate::scalar::c64::new(1.0, 0.0)
        ));
    }
}
