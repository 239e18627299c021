//! Where LAPACK's multishift QR differs between real and complex arithmetic (xLAQR0,
//! xLAQR3 and xLAQR5 against their Z versions): the real QR keeps conjugate pairs of
//! shifts together and leaves 2 x 2 blocks in the Schur form; the complex one takes any
//! two shifts for a bulge and leaves a triangle.
//! Eigenvalues and shifts are (re, im) pairs in both.

use crate::lapack::raw::RawMat;
use crate::lapack::schur::{self, complex_sqrt, standardize};
use crate::lapack::schur_reorder::{move_up, move_up_complex};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{c32, c64, Real, Scalar};

/// An eigenvalue or shift (re, im) in T's real type.
pub type Value<T> = (<T as Scalar>::RealPart, <T as Scalar>::RealPart);

/// The field-specific steps of the multishift QR.
pub trait QrField: Scalar {
    /// The small-matrix QR (xLAHQR) on rows and columns `lo..=hi` of the whole n x n H
    /// and Z; eigenvalues into `w[lo..=hi]`. Returns LAPACK's INFO.
    ///
    /// # Safety
    /// `h` (and `z` when given) valid for n x n; `w` has n entries.
    unsafe fn small_qr(
        n: usize,
        lo: usize,
        hi: usize,
        h: RawMat<Self>,
        z: Option<RawMat<Self>>,
        w: &mut [Value<Self>],
    ) -> usize;

    /// A multiple of the first column of (H - s1)(H - s2) at row k (xLAQR1): 3 entries.
    ///
    /// # Safety
    /// `h` valid for rows and columns k..=k+2.
    unsafe fn shift_column(
        h: RawMat<Self>,
        k: usize,
        shifts: (Value<Self>, Value<Self>),
    ) -> [Self; 3];

    /// The eigenvalues of the m x m Schur form `t` (for real, of its standardized blocks).
    ///
    /// # Safety
    /// `t` valid for m x m; `w` has m entries.
    unsafe fn read_values(m: usize, t: RawMat<Self>, w: &mut [Value<Self>]);

    /// xTREXC: the block of the m x m Schur form `t` at `first` moved up to `top`, the
    /// rotations accumulated in `v`; false when a swap was rejected.
    ///
    /// # Safety
    /// `t` and `v` valid for m x m; top <= first < m.
    unsafe fn move_up(m: usize, t: RawMat<Self>, v: RawMat<Self>, first: usize, top: usize)
        -> bool;

    /// xLAQR0's exceptional shifts into `w[ks..=last]`, from the subdiagonal.
    ///
    /// # Safety
    /// `h` valid for rows and columns ktop..=last; `w` has more than `last` entries.
    unsafe fn exceptional_shifts(
        ktop: usize,
        last: usize,
        ks: usize,
        h: RawMat<Self>,
        w: &mut [Value<Self>],
    );

    /// The eigenvalues of the 2 x 2 [a b; c d] (xLAQR0's shifts from the trailing block).
    fn values_2x2(a: Self, b: Self, c: Self, d: Self) -> [Value<Self>; 2];

    /// Orders the shifts into the pairs the bulges take (xLAQR0 keeps real pairs and
    /// conjugate pairs together; any two complex shifts make a bulge).
    fn pair_up(w: &mut [Value<Self>]);
}

/// xLAQR0's exceptional shifts' constants (WILK1, WILK2).
const WILK1: f64 = 0.75;
const WILK2: f64 = -0.4375;

macro_rules! real_field {
    ($t:ty) => {
        impl QrField for $t {
            unsafe fn small_qr(
                n: usize,
                lo: usize,
                hi: usize,
                h: RawMat<$t>,
                z: Option<RawMat<$t>>,
                w: &mut [Value<$t>],
            ) -> usize {
                let mut values = vec![(0.0, 0.0); n];
                let info = schur::real_sweeps(n, lo, hi, h, z, &mut values);
                w[lo..=hi].copy_from_slice(&values[lo..=hi]);
                info
            }

            unsafe fn shift_column(
                h: RawMat<$t>,
                k: usize,
                shifts: (Value<$t>, Value<$t>),
            ) -> [$t; 3] {
                schur::shift_column(h, k, shifts)
            }

            unsafe fn read_values(m: usize, t: RawMat<$t>, w: &mut [Value<$t>]) {
                real_values(m, t, w)
            }

            unsafe fn move_up(
                m: usize,
                t: RawMat<$t>,
                v: RawMat<$t>,
                first: usize,
                top: usize,
            ) -> bool {
                move_up(m, t, Some(v), first, top)
            }

            unsafe fn exceptional_shifts(
                ktop: usize,
                last: usize,
                ks: usize,
                h: RawMat<$t>,
                w: &mut [Value<$t>],
            ) {
                real_exceptional_shifts(ktop, last, ks, h, w)
            }

            fn values_2x2(a: $t, b: $t, c: $t, d: $t) -> [Value<$t>; 2] {
                standardize(a, b, c, d).values
            }

            fn pair_up(w: &mut [Value<$t>]) {
                real_pairs(w)
            }
        }
    };
}

macro_rules! complex_field {
    ($t:ty) => {
        impl QrField for $t {
            unsafe fn small_qr(
                n: usize,
                lo: usize,
                hi: usize,
                h: RawMat<$t>,
                z: Option<RawMat<$t>>,
                w: &mut [Value<$t>],
            ) -> usize {
                let mut values = vec![<$t>::zero(); n];
                let info = schur::complex_sweeps(n, lo, hi, h, z, &mut values);
                for i in lo..=hi {
                    w[i] = (values[i].re(), values[i].im());
                }
                info
            }

            unsafe fn shift_column(
                h: RawMat<$t>,
                k: usize,
                shifts: (Value<$t>, Value<$t>),
            ) -> [$t; 3] {
                complex_shift_column(h, k, shifts)
            }

            unsafe fn read_values(m: usize, t: RawMat<$t>, w: &mut [Value<$t>]) {
                for (i, value) in w.iter_mut().enumerate().take(m) {
                    *value = (t.get(i, i).re(), t.get(i, i).im());
                }
            }

            unsafe fn move_up(
                m: usize,
                t: RawMat<$t>,
                v: RawMat<$t>,
                first: usize,
                top: usize,
            ) -> bool {
                move_up_complex(m, t, Some(v), first, top);
                true
            }

            unsafe fn exceptional_shifts(
                _ktop: usize,
                last: usize,
                ks: usize,
                h: RawMat<$t>,
                w: &mut [Value<$t>],
            ) {
                complex_exceptional_shifts(last, ks, h, w)
            }

            fn values_2x2(a: $t, b: $t, c: $t, d: $t) -> [Value<$t>; 2] {
                complex_values_2x2(a, b, c, d)
            }

            fn pair_up(_w: &mut [Value<$t>]) {}
        }
    };
}

real_field!(f32);
real_field!(f64);
complex_field!(c32);
complex_field!(c64);

/// The eigenvalues of the quasi-triangular `t` (its 2 x 2 blocks in standard form).
unsafe fn real_values<R: Real>(m: usize, t: RawMat<R>, w: &mut [(R, R)]) {
    let mut i = 0;
    while i < m {
        if i + 1 < m && t.get(i + 1, i) != R::zero() {
            let s = standardize(
                t.get(i, i),
                t.get(i, i + 1),
                t.get(i + 1, i),
                t.get(i + 1, i + 1),
            );
            w[i] = s.values[0];
            w[i + 1] = s.values[1];
            i += 2;
        } else {
            w[i] = (t.get(i, i), R::zero());
            i += 1;
        }
    }
}

/// DLAQR0's exceptional shifts: conjugate pairs from 2 x 2 blocks built on the
/// subdiagonal at the bottom of the block.
unsafe fn real_exceptional_shifts<R: Real>(
    ktop: usize,
    last: usize,
    ks: usize,
    h: RawMat<R>,
    w: &mut [(R, R)],
) {
    let mut i = last;
    while i >= (ks + 1).max(ktop + 2) {
        let ss = h.get(i, i - 1).abs() + h.get(i - 1, i - 2).abs();
        let aa = R::from_f64(WILK1) * ss + h.get(i, i);
        let s = standardize(aa, ss, R::from_f64(WILK2) * ss, aa);
        w[i - 1] = s.values[0];
        w[i] = s.values[1];
        i -= 2;
    }
    if ks == ktop {
        w[ks + 1] = (h.get(ks + 1, ks + 1), R::zero());
        w[ks] = w[ks + 1];
    }
}

/// Shuffles real shifts into pairs and keeps complex conjugate pairs (which arrive
/// adjacent) together, from the bottom, as DLAQR0 does.
fn real_pairs<R: Real>(w: &mut [(R, R)]) {
    let mut i = w.len();
    while i >= 3 {
        let k = i - 1;
        if w[k].1 != -w[k - 1].1 {
            w[k - 2..=k].rotate_right(1);
        }
        i -= 2;
    }
}

/// ZLAQR1 for a 3 x 3 Hessenberg block at row k (its H(k+2, k) is zero).
unsafe fn complex_shift_column<T: Scalar>(
    h: RawMat<T>,
    k: usize,
    (s1, s2): (Value<T>, Value<T>),
) -> [T; 3] {
    let (s1, s2) = (T::from_parts(s1.0, s1.1), T::from_parts(s2.0, s2.1));
    let h11 = h.get(k, k);
    let h21 = h.get(k + 1, k);
    let s = (h11 - s2).abs1() + h21.abs1();
    if s == T::RealPart::zero() {
        return [T::zero(); 3];
    }
    let h21s = over(h21, s);
    [
        (h11 - s1) * over(h11 - s2, s) + h.get(k, k + 1) * h21s,
        h21s * (h11 + h.get(k + 1, k + 1) - s1 - s2),
        h21s * h.get(k + 2, k + 1),
    ]
}

/// ZLAQR0's exceptional shifts: H(i, i) + 0.75 |H(i, i-1)|, twice, up from the bottom.
unsafe fn complex_exceptional_shifts<T: Scalar>(
    last: usize,
    ks: usize,
    h: RawMat<T>,
    w: &mut [Value<T>],
) {
    let mut i = last;
    while i > ks {
        let s = h.get(i, i) + T::from_real(T::RealPart::from_f64(WILK1) * h.get(i, i - 1).abs1());
        w[i] = (s.re(), s.im());
        w[i - 1] = w[i];
        if i < 2 {
            break;
        }
        i -= 2;
    }
}

/// x / s for a real s, part by part (no reciprocal to overflow).
fn over<T: Scalar>(x: T, s: T::RealPart) -> T {
    T::from_parts(x.re() / s, x.im() / s)
}

/// ZLAQR0's eigenvalues of a 2 x 2 block, scaled by the sum of its entries' sizes.
fn complex_values_2x2<T: Scalar>(a: T, b: T, c: T, d: T) -> [Value<T>; 2] {
    let s = a.abs1() + b.abs1() + c.abs1() + d.abs1();
    if s == T::RealPart::zero() {
        return [(s, s); 2];
    }
    let (aa, bb, cc, dd) = (over(a, s), over(b, s), over(c, s), over(d, s));
    let half = T::from_real(T::RealPart::from_f64(0.5));
    let tr2 = (aa + dd) * half;
    let det = (aa - tr2) * (dd - tr2) - bb * cc;
    let root = complex_sqrt(-det);
    let scale = T::from_real(s);
    let (x, y) = ((tr2 + root) * scale, (tr2 - root) * scale);
    [(x.re(), x.im()), (y.re(), y.im())]
}
