//! The option characters of BLAS (TRANS, UPLO, DIAG, SIDE) as enums, and the helpers
//! that walk strided vectors the way reference BLAS does.

/// op(A): A, A^T or A^H.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trans {
    No,
    Trans,
    ConjTrans,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uplo {
    Upper,
    Lower,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Diag {
    Unit,
    NonUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

/// The arguments of one GEMM, C := alpha * op(A) * op(B) + beta * C with op(A) m x k and
/// op(B) k x n, column-major with leading dimensions: what every GEMM kernel takes.
#[derive(Clone, Copy)]
pub struct GemmArgs<T> {
    pub transa: Trans,
    pub transb: Trans,
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub alpha: T,
    pub a: *const T,
    pub lda: usize,
    pub b: *const T,
    pub ldb: usize,
    pub beta: T,
    pub c: *mut T,
    pub ldc: usize,
}

impl<T: 'static> GemmArgs<T> {
    /// The arguments in the grouping the BLAS layers pass them.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub fn new(
        (transa, transb): (Trans, Trans),
        (m, n, k): (usize, usize, usize),
        alpha: T,
        (a, lda): (*const T, usize),
        (b, ldb): (*const T, usize),
        beta: T,
        (c, ldc): (*mut T, usize),
    ) -> GemmArgs<T> {
        GemmArgs {
            transa,
            transb,
            m,
            n,
            k,
            alpha,
            a,
            lda,
            b,
            ldb,
            beta,
            c,
            ldc,
        }
    }

    /// The same arguments typed as `S`'s, when `T` is `S` (kernels written per type).
    #[inline(always)]
    pub fn as_type<S: 'static>(&self) -> Option<&GemmArgs<S>> {
        // SAFETY: the same type, so the same layout.
        (std::any::TypeId::of::<T>() == std::any::TypeId::of::<S>())
            .then(|| unsafe { &*(self as *const GemmArgs<T> as *const GemmArgs<S>) })
    }
}

/// The arguments of one TRSM, op(A) X = alpha B (side Left) or X op(A) = alpha B (side
/// Right) with X over the m x n B and A triangular, column-major with leading dimensions:
/// what every TRSM layer takes.
#[derive(Clone, Copy)]
pub struct TrsmArgs<T> {
    pub side: Side,
    pub uplo: Uplo,
    pub trans: Trans,
    pub diag: Diag,
    pub m: usize,
    pub n: usize,
    pub alpha: T,
    pub a: *const T,
    pub lda: usize,
    pub b: *mut T,
    pub ldb: usize,
}

impl<T: Copy> TrsmArgs<T> {
    /// The arguments in the grouping the BLAS layers pass them.
    #[inline(always)]
    pub fn new(
        (side, uplo, trans, diag): (Side, Uplo, Trans, Diag),
        (m, n): (usize, usize),
        alpha: T,
        (a, lda): (*const T, usize),
        (b, ldb): (*mut T, usize),
    ) -> TrsmArgs<T> {
        TrsmArgs {
            side,
            uplo,
            trans,
            diag,
            m,
            n,
            alpha,
            a,
            lda,
            b,
            ldb,
        }
    }

    /// The same solve (side, uplo, trans, diag) on other operands: a block of this one.
    #[inline(always)]
    pub fn with_operands(
        &self,
        dims: (usize, usize),
        alpha: T,
        a: (*const T, usize),
        b: (*mut T, usize),
    ) -> TrsmArgs<T> {
        TrsmArgs::new(
            (self.side, self.uplo, self.trans, self.diag),
            dims,
            alpha,
            a,
            b,
        )
    }

    /// The order of the triangle A: m for side Left, n for side Right.
    #[inline(always)]
    pub fn ka(&self) -> usize {
        match self.side {
            Side::Left => self.m,
            Side::Right => self.n,
        }
    }

    /// The number of right-hand sides: B's columns for side Left, its rows for Right.
    #[inline(always)]
    pub fn rhs(&self) -> usize {
        match self.side {
            Side::Left => self.n,
            Side::Right => self.m,
        }
    }
}

impl Trans {
    /// 'N', 'T', 'C' in either case; None for anything else.
    pub fn from_char(c: u8) -> Option<Trans> {
        match c.to_ascii_uppercase() {
            b'N' => Some(Trans::No),
            b'T' => Some(Trans::Trans),
            b'C' => Some(Trans::ConjTrans),
            _ => None,
        }
    }
    pub fn is_transposed(self) -> bool {
        self != Trans::No
    }
    /// The stored (rows, cols) of an operand X whose op(X) is `rows x cols`.
    pub fn stored_shape(self, rows: usize, cols: usize) -> (usize, usize) {
        if self.is_transposed() {
            (cols, rows)
        } else {
            (rows, cols)
        }
    }
}

impl Uplo {
    pub fn from_char(c: u8) -> Option<Uplo> {
        match c.to_ascii_uppercase() {
            b'U' => Some(Uplo::Upper),
            b'L' => Some(Uplo::Lower),
            _ => None,
        }
    }
    pub fn flip(self) -> Uplo {
        match self {
            Uplo::Upper => Uplo::Lower,
            Uplo::Lower => Uplo::Upper,
        }
    }
}

impl Diag {
    pub fn from_char(c: u8) -> Option<Diag> {
        match c.to_ascii_uppercase() {
            b'U' => Some(Diag::Unit),
            b'N' => Some(Diag::NonUnit),
            _ => None,
        }
    }
}

impl Side {
    pub fn from_char(c: u8) -> Option<Side> {
        match c.to_ascii_uppercase() {
            b'L' => Some(Side::Left),
            b'R' => Some(Side::Right),
            _ => None,
        }
    }
    pub fn flip(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
}

/// Offset of element 0 of a vector of length `n` with increment `inc`: reference BLAS
/// walks a negative increment from the far end, x((1 - n) * inc) first.
pub fn first_index(n: usize, inc: isize) -> isize {
    if inc < 0 {
        (1 - n.max(1) as isize) * inc
    } else {
        0
    }
}

/// The first character of a Fortran CHARACTER or C `char` argument (0 if null).
///
/// # Safety
/// `ptr` must be null or valid for one byte.
pub unsafe fn option_char(ptr: *const std::ffi::c_char) -> u8 {
    if ptr.is_null() {
        0
    } else {
        *ptr as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_in_either_case() {
        assert_eq!(Trans::from_char(b'c'), Some(Trans::ConjTrans));
        assert_eq!(Trans::from_char(b'X'), None);
        assert_eq!(Uplo::from_char(b'l'), Some(Uplo::Lower));
        assert_eq!(Diag::from_char(b'u'), Some(Diag::Unit));
        assert_eq!(Side::from_char(b'R'), Some(Side::Right));
    }

    #[test]
    fn stored_shape_swaps_for_transposes() {
        assert_eq!(Trans::No.stored_shape(2, 3), (2, 3));
        assert_eq!(Trans::Trans.stored_shape(2, 3), (3, 2));
        assert_eq!(Trans::ConjTrans.stored_shape(2, 3), (3, 2));
    }

    #[test]
    fn trsm_args_keep_the_options_on_other_operands() {
        let (a, mut b) = ([2.0f64; 9], [1.0f64; 12]);
        let options = (Side::Right, Uplo::Lower, Trans::ConjTrans, Diag::Unit);
        let args = TrsmArgs::new(options, (4, 3), 0.5, (a.as_ptr(), 3), (b.as_mut_ptr(), 4));
        assert_eq!((args.ka(), args.rhs()), (3, 4));
        assert_eq!(
            TrsmArgs {
                side: Side::Left,
                ..args
            }
            .ka(),
            4
        );
        let block = args.with_operands((2, 1), 1.0, (a.as_ptr(), 3), (b.as_mut_ptr(), 4));
        let kept = (block.side, block.uplo, block.trans, block.diag);
        assert_eq!(kept, options);
        assert_eq!((block.m, block.n, block.alpha, block.ka()), (2, 1, 1.0, 1));
    }

    #[test]
    fn negative_increments_start_at_the_far_end() {
        assert_eq!(first_index(4, 2), 0);
        assert_eq!(first_index(4, -2), 6);
        assert_eq!(first_index(0, -2), 0);
    }
}
