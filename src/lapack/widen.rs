//! Single precision computed in double: the eigen- and singular-value bodies convert an
//! f32 / c32 problem to f64 / c64, solve it there and round the results back. The
//! results are then more accurate than LAPACK's single-precision ones (which the
//! Netlib testers' residual thresholds are tuned to), at the cost of a copy.

use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::Scalar;

/// Whether T is f32 or c32.
pub fn is_single<T: Scalar>() -> bool {
    std::mem::size_of::<T::RealPart>() == 4
}

/// A real number in another precision.
pub fn convert_real<R: Scalar + Float, S: Scalar + Float>(x: R) -> S {
    S::from_f64(x.to_f64())
}

/// A scalar in another precision (the same field: real to real, complex to complex).
pub fn convert<T: Scalar, W: Scalar>(x: T) -> W
where
    T::RealPart: Float,
    W::RealPart: Float,
{
    W::from_parts(convert_real(x.re()), convert_real(x.im()))
}

/// A copy (leading dimension `rows`) of the rows x cols block of `a`, in precision W.
///
/// # Safety
/// `a` valid for rows x cols.
pub unsafe fn copy_in<T: Scalar, W: Scalar>(a: RawMat<T>, rows: usize, cols: usize) -> Vec<W>
where
    T::RealPart: Float,
    W::RealPart: Float,
{
    let mut out = Vec::with_capacity(rows * cols);
    for j in 0..cols {
        for i in 0..rows {
            out.push(convert(a.get(i, j)));
        }
    }
    out
}

/// Writes `src` (leading dimension `rows`) back into the rows x cols block of `a`.
///
/// # Safety
/// `a` valid for rows x cols, `src` holds rows * cols values.
pub unsafe fn copy_out<W: Scalar, T: Scalar>(src: &[W], a: RawMat<T>, rows: usize, cols: usize)
where
    T::RealPart: Float,
    W::RealPart: Float,
{
    for j in 0..cols {
        for i in 0..rows {
            a.set(i, j, convert(src[i + j * rows]));
        }
    }
}
