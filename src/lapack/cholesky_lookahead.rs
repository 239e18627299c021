//! POTRF across threads on the CPU: the blocked right-looking Cholesky with a look-ahead
//! of one panel ([`lookahead::right_looking`]). A panel is its diagonal block, factored
//! by the recursive [`cholesky::potrf`], and the solve for the rest of its columns of L
//! (rows of U), on the calling thread, the solve and the next panel's update shared
//! through the step's desk; chunks of later columns then take their update, the
//! diagonal block by HERK and the rest by GEMM with the panel packed once for the
//! blocked kernel. The recursive form runs each level's update across the threads but
//! leaves them waiting at every level's small factorizations; this one overlaps them.

use crate::blas::args::{Diag, GemmArgs, Side, Trans, TrsmArgs, Uplo};
use crate::blas::gemm_blocked::PackedA;
use crate::blas::level3;
use crate::lapack::cholesky;
use crate::lapack::lookahead::{self, Shared};
use crate::lapack::raw::RawMat;
use crate::scalar::Scalar;
use crate::threads::Desk;
use std::ops::Range;

/// Whether an order-n POTRF should run here rather than in the recursive form: on any
/// thread count since the panel's solve is shared (16-core Xeon, dpotrf 2048 / 4096 /
/// 8192 1.1-1.2 / 1.7-1.8 / 2.1-2.3x faster than the recursive form).
pub fn serves<T: Scalar>(n: usize) -> bool {
    lookahead::worth_it::<T>(n, (n - n / 2, n - n / 2, n / 2), usize::MAX)
}

/// From this order Cholesky's panels are narrower on many threads
/// ([`lookahead::panel_width`]; 16-core Xeon, dpotrf 4096 / 8192 with 128 columns 1.1-1.2x
/// / 1.05x faster than with 256; at 2048, 128 was 1.1x faster than 64).
const NARROW_FROM: usize = 3072;

/// A factored panel: INFO for the matrix so far, and the panel's part of the factor
/// after the diagonal block, as the first operand of the updates (L21, or U12^H),
/// packed for the blocked kernel when it serves T.
struct Panel<T> {
    uplo: Uplo,
    info: usize,
    packed: PackedA<T>,
    is_packed: bool,
}

/// [`cholesky::potrf`]'s contract, computed in steps of one panel.
///
/// # Safety
/// `a` valid for n x n.
pub unsafe fn potrf<T: Scalar>(uplo: Uplo, n: usize, a: RawMat<T>) -> usize {
    let a = Shared::new(a);
    let mut info = 0;
    lookahead::right_looking(
        &lookahead::panels(n, lookahead::panel_width(n, NARROW_FROM)),
        n,
        |panel, spare, desk| factor(uplo, n, a.get(), panel, spare, desk),
        |panel, factored, cols, desk| apply(uplo, n, a.get(), panel, factored, cols, desk),
        |_, factored| {
            info = factored.info;
            info == 0
        },
    );
    info
}

/// Factors the panel's diagonal block, solves for the rest of its part of the factor
/// (L21 := A21 L11^-H, or U12 := U11^-H A12) and packs it.
unsafe fn factor<T: Scalar>(
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    panel: Range<usize>,
    spare: Option<Panel<T>>,
    desk: &Desk,
) -> Panel<T> {
    let (j, width, rest) = (panel.start, panel.len(), n - panel.end);
    let mut packed = spare.map(|s| s.packed).unwrap_or_default();
    let info = match cholesky::potrf(uplo, width, a.at(j, j)) {
        0 => 0,
        info => info + j,
    };
    if info != 0 || rest == 0 {
        return Panel {
            uplo,
            info,
            packed,
            is_packed: false,
        };
    }
    let diagonal = a.at(j, j).arg_const();
    let (side, dims, part, transa) = match uplo {
        Uplo::Lower => (Side::Right, (rest, width), a.at(panel.end, j), Trans::No),
        Uplo::Upper => (
            Side::Left,
            (width, rest),
            a.at(j, panel.end),
            Trans::ConjTrans,
        ),
    };
    lookahead::shared_solve(
        Some(desk),
        &TrsmArgs::new(
            (side, uplo, Trans::ConjTrans, Diag::NonUnit),
            dims,
            T::one(),
            diagonal,
            part.arg(),
        ),
    );
    let is_packed =
        packed.pack_in_blocks(transa, (rest, width), part.arg_const(), &|blocks, pack| {
            desk.share(blocks, pack)
        });
    Panel {
        uplo,
        info,
        packed,
        is_packed,
    }
}

/// The factored `panel` on the columns `cols` of the trailing matrix, on its `uplo`
/// triangle: A22 -= L21 L21^H (or U12^H U12), the diagonal block by HERK, the rest by
/// GEMM. Lower: the rows below the diagonal block. Upper: the rows above it, except the
/// next panel's rows, which the look-ahead call (cols = the next panel) updates across
/// all later columns, since factoring the next panel solves for them.
unsafe fn apply<T: Scalar>(
    uplo: Uplo,
    n: usize,
    a: RawMat<T>,
    panel: &Range<usize>,
    factored: &Panel<T>,
    cols: Range<usize>,
    desk: Option<&Desk>,
) {
    let (j, width) = (panel.start, panel.len());
    let (rank_trans, x_cols) = match uplo {
        Uplo::Lower => (Trans::No, a.at(cols.start, j)),
        Uplo::Upper => (Trans::ConjTrans, a.at(j, cols.start)),
    };
    level3::rank_k(
        uplo,
        rank_trans,
        true,
        (cols.len(), width),
        -T::one(),
        x_cols.arg_const(),
        None,
        T::one(),
        a.at(cols.start, cols.start).arg(),
    );
    let look_ahead = cols.start == panel.end;
    let next_end = (panel.end + lookahead::panel_width(n, NARROW_FROM)).min(n);
    match uplo {
        Uplo::Lower => update(a, panel, factored, cols.end..n, cols, desk),
        Uplo::Upper if look_ahead => update(a, panel, factored, cols.clone(), cols.end..n, desk),
        Uplo::Upper => update(a, panel, factored, next_end..cols.start, cols, desk),
    }
}

/// C(rows, cols) -= L21(rows) L21(cols)^H, or U12(:, rows)^H U12(:, cols): one GEMM, its
/// first operand from the packed panel when the kernel serves T and `rows` starts at a
/// whole panel of it.
unsafe fn update<T: Scalar>(
    a: RawMat<T>,
    panel: &Range<usize>,
    factored: &Panel<T>,
    rows: Range<usize>,
    cols: Range<usize>,
    desk: Option<&Desk>,
) {
    if rows.is_empty() || cols.is_empty() {
        return;
    }
    let j = panel.start;
    let (transa, transb, first, second) = match factored.uplo {
        Uplo::Lower => (
            Trans::No,
            Trans::ConjTrans,
            a.at(rows.start, j),
            a.at(cols.start, j),
        ),
        Uplo::Upper => (
            Trans::ConjTrans,
            Trans::No,
            a.at(j, rows.start),
            a.at(j, cols.start),
        ),
    };
    let args = GemmArgs::new(
        (transa, transb),
        (rows.len(), cols.len(), panel.len()),
        -T::one(),
        first.arg_const(),
        second.arg_const(),
        T::one(),
        a.at(rows.start, cols.start).arg(),
    );
    let packed = factored.is_packed.then_some(&factored.packed);
    lookahead::shared_product(desk, &args, packed, rows.start - panel.end);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::test_values::values;
    use crate::scalar::num_traits_lite::Float;
    use crate::scalar::{c32, c64};
    use crate::threads;

    /// A Hermitian positive definite matrix of order n (leading dimension n + 2, the
    /// padding rows hold 9s): B B^H / n + I.
    fn positive_definite<T: Scalar>(n: usize) -> (Vec<T>, usize) {
        let ld = n + 2;
        let b = values::<T>(n * n, n as u64);
        let mut a = vec![T::from_real(T::RealPart::from_f64(9.0)); ld * n];
        let scale = T::from_real(T::RealPart::from_f64(1.0 / n as f64));
        for j in 0..n {
            for i in 0..n {
                let mut sum = T::zero();
                for l in 0..n {
                    sum += b[i + l * n] * b[j + l * n].conj();
                }
                a[i + j * ld] = sum * scale + if i == j { T::one() } else { T::zero() };
            }
        }
        (a, ld)
    }

    /// max |A - factor product| over the `uplo` triangle / (n * max |A| * eps); the
    /// other triangle and the padding must be as they were.
    fn residual<T: Scalar>(uplo: Uplo, n: usize, ld: usize, a: &[T], f: &[T]) -> f64 {
        let inside = |i: usize, j: usize| match uplo {
            Uplo::Lower => i >= j,
            Uplo::Upper => i <= j,
        };
        let factor = |i: usize, j: usize| {
            if inside(i, j) {
                f[i + j * ld]
            } else {
                T::zero()
            }
        };
        let (mut worst, mut largest) = (0.0f64, 0.0f64);
        for j in 0..n {
            for i in 0..ld {
                if i >= n || !inside(i, j) {
                    assert_eq!(f[i + j * ld], a[i + j * ld], "({i},{j}) outside changed");
                    continue;
                }
                let sum = (0..n).fold(T::zero(), |s, l| match uplo {
                    Uplo::Lower => s + factor(i, l) * factor(j, l).conj(),
                    Uplo::Upper => s + factor(l, i).conj() * factor(l, j),
                });
                worst = worst.max((sum - a[i + j * ld]).modulus().to_f64());
                largest = largest.max(a[i + j * ld].modulus().to_f64());
            }
        }
        worst / (n as f64 * largest * T::RealPart::epsilon().to_f64())
    }

    fn factors_like_lapack<T: Scalar>(orders: &[usize]) {
        for &n in orders {
            let (a, ld) = positive_definite::<T>(n);
            for uplo in [Uplo::Lower, Uplo::Upper] {
                let mut f = a.clone();
                let info = unsafe { potrf(uplo, n, RawMat::new(f.as_mut_ptr(), ld)) };
                assert_eq!(info, 0, "{uplo:?} {n}");
                let r = residual(uplo, n, ld, &a, &f);
                assert!(r < 30.0, "{uplo:?} {n}: residual {r}");
                // Not positive definite from row 200 on (a later panel): INFO names it.
                let mut g = a.clone();
                g[200 + 200 * ld] = T::from_real(T::RealPart::from_f64(-1.0));
                let info = unsafe { potrf(uplo, n, RawMat::new(g.as_mut_ptr(), ld)) };
                assert_eq!(info, 201, "{uplo:?} {n}: not positive definite");
            }
        }
    }

    #[test]
    fn factors_like_lapack_in_every_precision() {
        // 1030: the wider panels of larger orders.
        factors_like_lapack::<f64>(&[300, 517, 1030]);
        factors_like_lapack::<f32>(&[300, 517]);
        factors_like_lapack::<c64>(&[300]);
        factors_like_lapack::<c32>(&[300]);
    }

    #[test]
    fn factors_like_lapack_with_the_panels_work_shared() {
        lookahead::with_helpers(|| {
            factors_like_lapack::<f64>(&[300, 517, 1030]);
            factors_like_lapack::<c64>(&[300]);
        });
    }

    #[test]
    fn factors_like_lapack_on_one_thread() {
        threads::sequential(|| factors_like_lapack::<f64>(&[300]));
    }
}
