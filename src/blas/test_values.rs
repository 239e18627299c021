//! Deterministic inputs for the BLAS modules' tests.

use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// `count` reals in [-0.5, 0.5) from a 64-bit linear congruential stream seeded by `seed`,
/// with every bit of the fraction in use.
pub fn reals(count: usize, seed: u64) -> Vec<f64> {
    const MUL: u64 = 6364136223846793005;
    const ADD: u64 = 1442695040888963407;
    let mut state = seed.wrapping_mul(MUL).wrapping_add(ADD);
    (0..count)
        .map(|_| {
            state = state.wrapping_mul(MUL).wrapping_add(ADD);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
        .collect()
}

/// `n` scalars from [`reals`], real and imaginary parts in turn (the imaginary part is
/// dropped for real types).
pub fn values<T: Scalar>(n: usize, seed: u64) -> Vec<T> {
    reals(2 * n, seed)
        .chunks(2)
        .map(|pair| {
            let re = <T::RealPart as Float>::from_f64(pair[0]);
            let im = <T::RealPart as Float>::from_f64(pair[1]);
            T::from_parts(re, im)
        })
        .collect()
}
