//! Householder reflectors in LAPACK's convention: H = I - tau v v^H with v(0) = 1,
//! chosen so that H^H [alpha; x] = [beta; 0] with beta real (xLARFG), and the blocked
//! form H(0) H(1) ... H(k-1) = I - V T V^H (xLARFT, forward, column-wise) applied to a
//! matrix from either side (xLARFB). QR, its Q and products with Q build on these.

use crate::blas::args::{Diag, Side, Trans, Uplo};
use crate::blas::level2::{self, Storage};
use crate::blas::{level1, level3};
use crate::lapack::raw::RawMat;
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{Real, Scalar};

/// xLARFG: overwrites `alpha` with beta and x (n - 1 entries at `x`, unit stride) with
/// v(1..n), and returns tau. tau = 0 (H = I) when x is zero and alpha is real.
///
/// # Safety
/// `x` valid for n - 1 elements.
pub unsafe fn reflector<T: Scalar>(n: usize, alpha: &mut T, x: *mut T) -> T {
    if n == 0 {
        return T::zero();
    }
    let rest = n as i64 - 1;
    let mut xnorm = level1::nrm2(rest, x, 1);
    let (mut alphr, mut alphi) = (alpha.re(), alpha.im());
    let zero = T::RealPart::zero();
    if xnorm == zero && alphi == zero {
        return T::zero();
    }
    let mut beta = -copysign(norm3(alphr, alphi, xnorm), alphr);
    // Rescale while beta would lose precision to underflow (at most 20 times, as LAPACK).
    let safmin = T::RealPart::safe_min() / T::RealPart::epsilon();
    let rsafmn = T::RealPart::from_f64(1.0) / safmin;
    let mut rescaled = 0;
    while beta.abs() < safmin && rescaled < 20 {
        level1::scal_real(rest, rsafmn, x, 1);
        beta *= rsafmn;
        alphr *= rsafmn;
        alphi *= rsafmn;
        rescaled += 1;
    }
    if rescaled > 0 {
        xnorm = level1::nrm2(rest, x, 1);
        beta = -copysign(norm3(alphr, alphi, xnorm), alphr);
    }
    let tau = T::from_parts((beta - alphr) / beta, -alphi / beta);
    let scale = reciprocal(T::from_parts(alphr, alphi) - T::from_real(beta));
    level1::scal(rest, scale, x, 1);
    for _ in 0..rescaled {
        beta *= safmin;
    }
    *alpha = T::from_real(beta);
    tau
}

/// 1 / x as xLARFG forms it: a real division, or for complex x xLADIV's scaled
/// division (Baudin and Smith), so that the reflector is the reference's to the bit.
fn reciprocal<T: Scalar>(x: T) -> T {
    if !T::IS_COMPLEX {
        return T::one().quotient(x);
    }
    let (re, im) = ladiv(T::RealPart::one(), T::RealPart::zero(), x.re(), x.im());
    T::from_parts(re, im)
}

/// xLADIV: (a + ib) / (c + id) = p + iq, scaled against over- and underflow.
pub fn ladiv<R: Real>(a: R, b: R, c: R, d: R) -> (R, R) {
    let (half, two) = (R::from_f64(0.5), R::from_f64(2.0));
    let (mut aa, mut bb, mut cc, mut dd) = (a, b, c, d);
    let ab = a.abs().max(b.abs());
    let cd = c.abs().max(d.abs());
    let mut s = R::one();
    // xLAMCH('O'), the largest finite value.
    let ov = if std::mem::size_of::<R>() == 4 {
        R::from_f64(f32::MAX as f64)
    } else {
        R::from_f64(f64::MAX)
    };
    let un = R::safe_min();
    let eps = R::epsilon();
    let be = two / (eps * eps);
    if ab >= half * ov {
        aa = half * aa;
        bb = half * bb;
        s = two * s;
    }
    if cd >= half * ov {
        cc = half * cc;
        dd = half * dd;
        s = half * s;
    }
    if ab <= un * two / eps {
        aa *= be;
        bb *= be;
        s /= be;
    }
    if cd <= un * two / eps {
        cc *= be;
        dd *= be;
        s *= be;
    }
    let (p, q) = if d.abs() <= c.abs() {
        ladiv1(aa, bb, cc, dd)
    } else {
        let (p, q) = ladiv1(bb, aa, dd, cc);
        (p, -q)
    };
    (p * s, q * s)
}

fn ladiv1<R: Real>(a: R, b: R, c: R, d: R) -> (R, R) {
    let r = d / c;
    let t = R::one() / (c + d * r);
    (ladiv2(a, b, c, d, r, t), ladiv2(b, -a, c, d, r, t))
}

fn ladiv2<R: Real>(a: R, b: R, c: R, d: R, r: R, t: R) -> R {
    let zero = R::zero();
    if r != zero {
        let br = b * r;
        if br != zero {
            (a + br) * t
        } else {
            a * t + (b * t) * r
        }
    } else {
        (a + d * (b / c)) * t
    }
}

/// Fortran's SIGN(magnitude, sign) as gfortran computes it: by the sign bit, so that
/// alpha = -0.0 gives beta > 0 as in the reference xLARFG.
fn copysign<R: Real>(magnitude: R, sign: R) -> R {
    if !sign.to_f64().is_sign_negative() {
        magnitude
    } else {
        -magnitude
    }
}

/// sqrt(a^2 + b^2 + c^2) without overflow or needless underflow (xLAPY3). As xLAPY3,
/// |a| + |b| + |c| when the largest is zero or infinite, which also keeps a NaN (the
/// maximum skips NaN: a NaN column must not give beta = 0, a "singular" factor).
fn norm3<R: Real>(a: R, b: R, c: R) -> R {
    let largest = a.abs().max(b.abs()).max(c.abs());
    if largest == R::zero() || largest.to_f64().is_infinite() {
        return a.abs() + b.abs() + c.abs();
    }
    let (a, b, c) = (a / largest, b / largest, c / largest);
    largest * (a * a + b * b + c * c).sqrt()
}

/// Applies H = I - tau v v^H (v: m entries, unit stride, v(0) taken as stored) to C
/// (m x n) from the left: C := C - tau v (v^H C). Pass conj(tau) to apply H^H.
///
/// # Safety
/// `v` valid for m elements, `c` for m x n; they do not overlap.
pub unsafe fn apply_left<T: Scalar>(m: usize, n: usize, v: *const T, tau: T, c: RawMat<T>) {
    if tau.is_zero() || m == 0 || n == 0 {
        return;
    }
    // w = C^H v, then C -= tau v w^H: xLARF's GEMV and GERC.
    let storage = Storage::Full {
        ptr: c.ptr,
        ld: c.ld,
        m,
        uplo: None,
    };
    let mut w = vec![T::zero(); n];
    level2::mv(
        Trans::ConjTrans,
        storage,
        (m, n),
        T::one(),
        (v, 1),
        T::zero(),
        (w.as_mut_ptr(), 1),
    );
    level2::rank1(true, storage, (m, n), -tau, (v, 1), (w.as_ptr(), 1));
}

/// Applies H = I - tau v v^H (v: n entries, unit stride, v(0) taken as stored) to C
/// (m x n) from the right: C := C - tau (C v) v^H (xLARF with side Right).
///
/// # Safety
/// `v` valid for n elements, `c` for m x n; they do not overlap.
pub unsafe fn apply_right<T: Scalar>(m: usize, n: usize, v: *const T, tau: T, c: RawMat<T>) {
    if tau.is_zero() || m == 0 || n == 0 {
        return;
    }
    let storage = Storage::Full {
        ptr: c.ptr,
        ld: c.ld,
        m,
        uplo: None,
    };
    let mut w = vec![T::zero(); m];
    level2::mv(
        Trans::No,
        storage,
        (m, n),
        T::one(),
        (v, 1),
        T::zero(),
        (w.as_mut_ptr(), 1),
    );
    level2::rank1(true, storage, (m, n), -tau, (w.as_ptr(), 1), (v, 1));
}

/// One step of unblocked QR (xGEQR2's loop body) on the block whose (0, 0) is the
/// diagonal entry: the reflector of column 0 (`rows` entries) is generated in place and
/// H^H applied to the `right` columns after it. Returns tau; beta replaces (0, 0).
///
/// # Safety
/// `a` valid for rows x (right + 1).
pub unsafe fn reduce_column<T: Scalar>(rows: usize, right: usize, a: RawMat<T>) -> T {
    let mut alpha = a.get(0, 0);
    let below = if rows > 1 { a.at(1, 0).ptr } else { a.ptr };
    let tau = reflector(rows, &mut alpha, below);
    if right > 0 {
        // v(0) = 1 stands in the diagonal while H^H is applied.
        a.set(0, 0, T::one());
        apply_left(rows, right, a.ptr, tau.conj(), a.at(0, 1));
    }
    a.set(0, 0, alpha);
    tau
}

/// xLARFT (forward, column-wise): the k x k upper triangular T with
/// H(0) ... H(k-1) = I - V T V^H, where V (m x k) is unit lower trapezoidal and stored
/// below the diagonal of `v` (the diagonal and above are not read).
///
/// # Safety
/// `v` valid for m x k, `t` for k x k (ld >= k).
pub unsafe fn block_factor<T: Scalar>(m: usize, k: usize, v: RawMat<T>, tau: &[T], t: RawMat<T>) {
    if k == 0 {
        return;
    }
    // First W = V^H V in T's upper triangle, by two products (level 3): V's top k x k
    // written out as the unit lower triangle it stands for, then the rows below.
    let top = k.min(m);
    let mut unit = vec![T::zero(); top * k];
    for j in 0..top {
        unit[j + j * top] = T::one();
        for r in j + 1..top {
            unit[r + j * top] = v.get(r, j);
        }
    }
    let unit_arg = (unit.as_ptr(), top.max(1));
    level3::gemm_any_order(
        Trans::ConjTrans,
        Trans::No,
        (k, k, top),
        T::one(),
        unit_arg,
        unit_arg,
        T::zero(),
        t.arg(),
    );
    if m > top {
        level3::gemm_any_order(
            Trans::ConjTrans,
            Trans::No,
            (k, k, m - top),
            T::one(),
            v.at(top, 0).arg_const(),
            v.at(top, 0).arg_const(),
            T::one(),
            t.arg(),
        );
    }
    // Then column by column T(0..i, i) = -tau(i) T(0..i, 0..i) W(0..i, i), T(i, i) =
    // tau(i): the product by T's columns into a separate sum (contiguous, independent
    // entries; in place it would wait on every store).
    let mut sum = vec![T::zero(); k];
    for (i, &tau_i) in tau.iter().enumerate().take(k) {
        for r in i + 1..k {
            t.set(r, i, T::zero());
        }
        if tau_i.is_zero() {
            for r in 0..=i {
                t.set(r, i, T::zero());
            }
            continue;
        }
        let sum = &mut sum[..i];
        sum.fill(T::zero());
        for c in 0..i {
            let w = t.get(c, i);
            // SAFETY: column c of T, rows 0..=c, is inside the k x k T and not column i.
            let column = std::slice::from_raw_parts(t.at(0, c).ptr, c + 1);
            for (x, &y) in sum.iter_mut().zip(column) {
                *x += y * w;
            }
        }
        for (r, &x) in sum.iter().enumerate() {
            t.set(r, i, -tau_i * x);
        }
        t.set(i, i, tau_i);
    }
}

/// xLARFB (forward, column-wise): C := op(H) C (side Left, C m x n) or C op(H) (side
/// Right), where H = I - V T V^H, V unit lower trapezoidal (stored below the diagonal of
/// `v`, rows = the side's dimension, k columns) and op(H) = H or H^H.
///
/// # Safety
/// `v` valid for (m or n) x k, `t` for k x k, `c` for m x n; C does not overlap V or T.
#[allow(clippy::too_many_arguments)]
pub unsafe fn apply_block<T: Scalar>(
    side: Side,
    trans: Trans,
    (m, n, k): (usize, usize, usize),
    v: RawMat<T>,
    t: RawMat<T>,
    c: RawMat<T>,
) {
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    let one = T::one();
    let rows = if side == Side::Left { m } else { n };
    // V = [V1 (k x k unit lower); V2 (rows - k) x k].
    let v2 = v.at(k, 0);
    match side {
        Side::Left => {
            // W (k x n) = V^H C = V1^H C1 + V2^H C2; C := C - V op(T) W.
            let mut w = vec![T::zero(); k * n];
            let wm = RawMat::new(w.as_mut_ptr(), k);
            for j in 0..n {
                for i in 0..k {
                    wm.set(i, j, c.get(i, j));
                }
            }
            level3::trmm(
                Side::Left,
                Uplo::Lower,
                Trans::ConjTrans,
                Diag::Unit,
                (k, n),
                one,
                v.arg_const(),
                wm.arg(),
            );
            level3::gemm_any_order(
                Trans::ConjTrans,
                Trans::No,
                (k, n, rows - k),
                one,
                v2.arg_const(),
                c.at(k, 0).arg_const(),
                one,
                wm.arg(),
            );
            let op_t = if trans == Trans::No {
                Trans::No
            } else {
                Trans::ConjTrans
            };
            level3::trmm(
                Side::Left,
                Uplo::Upper,
                op_t,
                Diag::NonUnit,
                (k, n),
                one,
                t.arg_const(),
                wm.arg(),
            );
            level3::gemm_any_order(
                Trans::No,
                Trans::No,
                (rows - k, n, k),
                -one,
                v2.arg_const(),
                wm.arg_const(),
                one,
                c.at(k, 0).arg(),
            );
            level3::trmm(
                Side::Left,
                Uplo::Lower,
                Trans::No,
                Diag::Unit,
                (k, n),
                one,
                v.arg_const(),
                wm.arg(),
            );
            for j in 0..n {
                for i in 0..k {
                    c.set(i, j, c.get(i, j) - wm.get(i, j));
                }
            }
        }
        Side::Right => {
            // W (m x k) = C V = C1 V1 + C2 V2; C := C - W op(T) V^H.
            let mut w = vec![T::zero(); m * k];
            let wm = RawMat::new(w.as_mut_ptr(), m);
            for j in 0..k {
                for i in 0..m {
                    wm.set(i, j, c.get(i, j));
                }
            }
            level3::trmm(
                Side::Right,
                Uplo::Lower,
                Trans::No,
                Diag::Unit,
                (m, k),
                one,
                v.arg_const(),
                wm.arg(),
            );
            level3::gemm_any_order(
                Trans::No,
                Trans::No,
                (m, k, rows - k),
                one,
                c.at(0, k).arg_const(),
                v2.arg_const(),
                one,
                wm.arg(),
            );
            let op_t = if trans == Trans::No {
                Trans::No
            } else {
                Trans::ConjTrans
            };
            level3::trmm(
                Side::Right,
                Uplo::Upper,
                op_t,
                Diag::NonUnit,
                (m, k),
                one,
                t.arg_const(),
                wm.arg(),
            );
            level3::gemm_any_order(
                Trans::No,
                Trans::ConjTrans,
                (m, rows - k, k),
                -one,
                wm.arg_const(),
                v2.arg_const(),
                one,
                c.at(0, k).arg(),
            );
            level3::trmm(
                Side::Right,
                Uplo::Lower,
                Trans::ConjTrans,
                Diag::Unit,
                (m, k),
                one,
                v.arg_const(),
                wm.arg(),
            );
            for j in 0..k {
                for i in 0..m {
                    c.set(i, j, c.get(i, j) - wm.get(i, j));
                }
            }
        }
    }
}
