//! xGEES: the Schur factorization A = Z T Z^H of a general matrix, optionally with the
//! eigenvalues a SELECT function picks moved to the top left of T. Step for step as
//! LAPACK's driver: scaling of A into [smlnum, bignum], xGEBAL's permutation (no
//! scaling), xGEHRD, xORGHR, the QR algorithm (`crate::lapack::schur`, for large real
//! matrices `crate::lapack::multishift_schur`), xTRSEN
//! (`crate::lapack::schur_reorder`), xGEBAK, and the scaling undone.

use crate::lapack::balance::{permute, unpermute};
use crate::lapack::hessenberg::gehrd_with_q;
use crate::lapack::multishift_schur::{complex_schur, real_schur};
use crate::lapack::raw::RawMat;
use crate::lapack::scaling::{max_abs, rescale};
use crate::lapack::schur_reorder::{reorder_complex, reorder_real};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{c32, c64, Real, Scalar};

/// An eigenvalue as (re, im).
pub type Eigenvalue<R> = (R, R);

/// What differs between the real and the complex Schur form.
pub trait SchurForm: Scalar {
    /// xHSEQR('S'): the Schur form of the Hessenberg `h` in place, Z accumulated; the
    /// eigenvalues in `w`. Returns INFO (0, or the 1-based row that did not converge).
    ///
    /// # Safety
    /// `h` and `z` valid for n x n, `w` has n entries.
    unsafe fn schur(
        n: usize,
        lo: usize,
        hi: usize,
        h: RawMat<Self>,
        z: Option<RawMat<Self>>,
        w: &mut [Eigenvalue<Self::RealPart>],
    ) -> usize;

    /// xTRSEN('N'): reorders `t`; returns (SDIM, whether every swap was accepted).
    ///
    /// # Safety
    /// As for `schur`; `select` has n entries.
    unsafe fn reorder(
        n: usize,
        t: RawMat<Self>,
        z: Option<RawMat<Self>>,
        select: &[bool],
    ) -> (usize, bool);

    /// The eigenvalues as xTRSEN reads them off the Schur form.
    ///
    /// # Safety
    /// `t` valid for n x n.
    unsafe fn values_of(n: usize, t: RawMat<Self>) -> Vec<Eigenvalue<Self::RealPart>> {
        (0..n)
            .map(|k| (t.get(k, k).re(), t.get(k, k).im()))
            .collect()
    }
}

unsafe fn real_values<R: Real>(n: usize, t: RawMat<R>) -> Vec<Eigenvalue<R>> {
    let mut w: Vec<_> = (0..n).map(|k| (t.get(k, k), R::zero())).collect();
    for k in 0..n.saturating_sub(1) {
        if t.get(k + 1, k) != R::zero() {
            let im = t.get(k, k + 1).abs().sqrt() * t.get(k + 1, k).abs().sqrt();
            w[k].1 = im;
            w[k + 1].1 = -im;
        }
    }
    w
}

macro_rules! real_form {
    ($t:ty) => {
        impl SchurForm for $t {
            unsafe fn schur(
                n: usize,
                lo: usize,
                hi: usize,
                h: RawMat<$t>,
                z: Option<RawMat<$t>>,
                w: &mut [Eigenvalue<$t>],
            ) -> usize {
                real_schur(n, lo, hi, h, z, w)
            }
            unsafe fn reorder(
                n: usize,
                t: RawMat<$t>,
                z: Option<RawMat<$t>>,
                select: &[bool],
            ) -> (usize, bool) {
                reorder_real(n, t, z, select)
            }
            unsafe fn values_of(n: usize, t: RawMat<$t>) -> Vec<Eigenvalue<$t>> {
                real_values(n, t)
            }
        }
    };
}

macro_rules! complex_form {
    ($t:ty) => {
        impl SchurForm for $t {
            unsafe fn schur(
                n: usize,
                lo: usize,
                hi: usize,
                h: RawMat<$t>,
                z: Option<RawMat<$t>>,
                w: &mut [Eigenvalue<<$t as Scalar>::RealPart>],
            ) -> usize {
                complex_schur(n, lo, hi, h, z, w)
            }
            unsafe fn reorder(
                n: usize,
                t: RawMat<$t>,
                z: Option<RawMat<$t>>,
                select: &[bool],
            ) -> (usize, bool) {
                (reorder_complex(n, t, z, select), true)
            }
        }
    };
}

real_form!(f32);
real_form!(f64);
complex_form!(c32);
complex_form!(c64);

/// Scales the upper Hessenberg part (`sub` = 1) or upper triangle (`sub` = 0) of the
/// n x n `a` by cto / cfrom (xLASCL with TYPE 'H' or 'U').
unsafe fn rescale_upper<T: Scalar>(
    cfrom: T::RealPart,
    cto: T::RealPart,
    n: usize,
    sub: usize,
    a: RawMat<T>,
) {
    for j in 0..n {
        rescale(cfrom, cto, (j + 1 + sub).min(n), 1, a.at(0, j));
    }
}

/// xGEES's results besides A (overwritten by T) and Z.
pub struct Schur<R> {
    pub info: usize,
    pub sdim: usize,
    pub values: Vec<Eigenvalue<R>>,
}

/// xGEES on the n x n `a` (n >= 1): T overwrites A, Z goes to `vs` when given, and with
/// `select` the eigenvalues it picks lead T. INFO as LAPACK's: i in 1..=n when the QR
/// algorithm failed, n + 1 when a swap was rejected, n + 2 when rounding in the
/// reordering changed a selected eigenvalue so that SELECT no longer picks it.
///
/// # Safety
/// `a` and `vs` valid for n x n.
pub unsafe fn gees<T: SchurForm>(
    n: usize,
    a: RawMat<T>,
    vs: Option<RawMat<T>>,
    mut select: Option<&mut dyn FnMut(Eigenvalue<T::RealPart>) -> bool>,
) -> Schur<T::RealPart> {
    let zero = T::RealPart::zero();
    let eps = T::RealPart::epsilon() * T::RealPart::from_f64(2.0);
    let smlnum = T::RealPart::safe_min().sqrt() / eps;
    let bignum = T::RealPart::one() / smlnum;
    let anrm = max_abs(n, n, a);
    let cscale = if anrm > zero && anrm < smlnum {
        Some(smlnum)
    } else if anrm > bignum {
        Some(bignum)
    } else {
        None
    };
    if let Some(c) = cscale {
        rescale(anrm, c, n, n, a);
    }
    let mut perm: Vec<usize> = (0..n).collect();
    let (lo, hi) = permute(n, a, &mut perm);
    let mut values = vec![(zero, zero); n];
    // The reduction and the QR (not `select`, which may need the caller's thread) run
    // from a pool thread: many short threaded steps.
    let par = crate::threads::driver_par(n, 10.0 * (n as f64).powi(3));
    let ieval = crate::threads::on_pool_unsent(par, || {
        gehrd_with_q(n, lo, hi, a, vs);
        T::schur(n, lo, hi, a, vs, &mut values)
    });
    // xHSEQR leaves zeros below the subdiagonal.
    for j in 0..n {
        for i in j + 2..n {
            a.set(i, j, T::zero());
        }
    }
    let mut info = ieval;
    let mut sdim = 0;
    if let (Some(pick), 0) = (select.as_mut(), info) {
        let unscaled = |v: Eigenvalue<T::RealPart>| match cscale {
            Some(c) => {
                let mut pair = [v.0, v.1];
                rescale(c, anrm, 2, 1, RawMat::new(pair.as_mut_ptr(), 2));
                (pair[0], pair[1])
            }
            None => v,
        };
        let chosen: Vec<bool> = values.iter().map(|&v| pick(unscaled(v))).collect();
        let (m, ok) = T::reorder(n, a, vs, &chosen);
        sdim = m;
        if !ok {
            info = n + 1;
        }
        values = T::values_of(n, a);
    }
    if let Some(z) = vs {
        unpermute(n, lo, hi, &perm, z);
    }
    if let Some(c) = cscale {
        undo_scaling::<T>(
            n,
            a,
            vs,
            c,
            anrm,
            (lo, hi),
            ieval,
            select.is_some(),
            &mut values,
        );
    }
    if let (Some(pick), false, 0) = (select.as_mut(), T::IS_COMPLEX, info) {
        // Check that the reordering kept the selected eigenvalues selected.
        let (mut lastsl, mut lst2sl) = (true, true);
        let mut second = false;
        sdim = 0;
        for &v in values.iter() {
            let mut cursl = pick(v);
            if v.1 == zero {
                if cursl {
                    sdim += 1;
                }
                second = false;
                if cursl && !lastsl {
                    info = n + 2;
                }
            } else if second {
                cursl = cursl || lastsl;
                lastsl = cursl;
                if cursl {
                    sdim += 2;
                }
                second = false;
                if cursl && !lst2sl {
                    info = n + 2;
                }
            } else {
                second = true;
            }
            lst2sl = lastsl;
            lastsl = cursl;
        }
    }
    Schur { info, sdim, values }
}

/// Scales T and the eigenvalues back (xGEES's last step). Real: when scaling back
/// toward underflow, a 2 x 2 block whose off-diagonal entry underflowed is split.
#[allow(clippy::too_many_arguments)]
unsafe fn undo_scaling<T: SchurForm>(
    n: usize,
    a: RawMat<T>,
    vs: Option<RawMat<T>>,
    cscale: T::RealPart,
    anrm: T::RealPart,
    (lo, hi): (usize, usize),
    ieval: usize,
    sorted: bool,
    values: &mut [Eigenvalue<T::RealPart>],
) {
    let zero = T::RealPart::zero();
    if T::IS_COMPLEX {
        rescale_upper(cscale, anrm, n, 0, a);
        for (k, v) in values.iter_mut().enumerate() {
            *v = (a.get(k, k).re(), a.get(k, k).im());
        }
        return;
    }
    rescale_upper(cscale, anrm, n, 1, a);
    for (k, v) in values.iter_mut().enumerate() {
        v.0 = a.get(k, k).re();
    }
    let wi = |values: &mut [Eigenvalue<T::RealPart>], from: usize, count: usize| {
        let mut column: Vec<T::RealPart> = values[from..from + count].iter().map(|v| v.1).collect();
        rescale(
            cscale,
            anrm,
            count,
            1,
            RawMat::new(column.as_mut_ptr(), count.max(1)),
        );
        for (v, x) in values[from..from + count].iter_mut().zip(column) {
            v.1 = x;
        }
    };
    if cscale
        == T::RealPart::safe_min().sqrt() / (T::RealPart::epsilon() * T::RealPart::from_f64(2.0))
    {
        // 1-based i1..=i2 of LAPACK as 0-based first..last.
        let (first, last) = if ieval > 0 {
            wi(values, 0, lo);
            (ieval, hi as isize - 1)
        } else if sorted {
            (0, n as isize - 2)
        } else {
            (lo, hi as isize - 1)
        };
        let mut i = first as isize;
        while i <= last {
            let iu = i as usize;
            if values[iu].1 == zero {
                i += 1;
                continue;
            }
            if a.get(iu + 1, iu).is_zero() {
                values[iu].1 = zero;
                values[iu + 1].1 = zero;
            } else if a.get(iu, iu + 1).is_zero() {
                values[iu].1 = zero;
                values[iu + 1].1 = zero;
                for r in 0..iu {
                    a.swap((r, iu), (r, iu + 1));
                }
                for c in iu + 2..n {
                    a.swap((iu, c), (iu + 1, c));
                }
                if let Some(z) = vs {
                    for r in 0..n {
                        z.swap((r, iu), (r, iu + 1));
                    }
                }
                a.set(iu, iu + 1, a.get(iu + 1, iu));
                a.set(iu + 1, iu, T::zero());
            }
            i += 2;
        }
    }
    wi(values, ieval, n - ieval);
}
