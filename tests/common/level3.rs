//! Cases for SYRK/HERK/SYR2K/HER2K, SYMM/HEMM, TRMM and TRSM through the router
//! (`lapack_ai::blas::level3`), each run twice: on the CPU (this thread's backend
//! override) and as the environment routes it; the second must match the first within
//! BLAS rounding, and every element outside the routine's output (the other triangle of
//! C, rows between the matrix and its leading dimension) must keep its bits.
//! Entries the routine must not read hold NaN: the unreferenced triangle of A, a unit
//! diagonal, A's and B's padding rows, and C's referenced triangle when beta == 0.

use super::Rng;
use lapack_ai::blas::args::{Diag, Side, Trans, TrsmArgs, Uplo};
use lapack_ai::blas::level3;
use lapack_ai::config::Backend;
use lapack_ai::route::{backend::set_override, Decision};
use lapack_ai::scalar::num_traits_lite::Float;
use lapack_ai::scalar::Scalar;

pub const UPLOS: [Uplo; 2] = [Uplo::Upper, Uplo::Lower];
pub const SIDES: [Side; 2] = [Side::Left, Side::Right];
pub const DIAGS: [Diag; 2] = [Diag::NonUnit, Diag::Unit];

pub fn nan<T: Scalar>() -> T {
    let v = <T::RealPart as Float>::from_f64(f64::NAN);
    T::from_parts(v, v)
}

pub fn real<T: Scalar>(v: f64) -> T {
    T::from_real(Float::from_f64(v))
}

/// 0, 1, -1, 0.7 and, for complex types unless `real_only`, 0.3 - 0.8i.
pub fn specials<T: Scalar>(real_only: bool) -> Vec<T> {
    let mut v = vec![real(0.0), real(1.0), real(-1.0), real(0.7)];
    if T::IS_COMPLEX && !real_only {
        v.push(T::from_parts(Float::from_f64(0.3), Float::from_f64(-0.8)));
    }
    v
}

/// A `rows x cols` column-major matrix with leading dimension rows + pad (at least 1),
/// random inside, NaN in the padding rows.
pub fn matrix<T: Scalar>(rng: &mut Rng, rows: usize, cols: usize, pad: usize) -> (Vec<T>, usize) {
    let ld = rows.max(1) + pad;
    let mut x = rng.vec::<T>(ld * cols.max(1));
    for j in 0..cols {
        for i in rows..ld {
            x[i + j * ld] = nan();
        }
    }
    (x, ld)
}

fn in_triangle(uplo: Uplo, i: usize, j: usize) -> bool {
    match uplo {
        Uplo::Upper => i <= j,
        Uplo::Lower => i >= j,
    }
}

/// A square `ka x ka` operand read only in its `uplo` triangle (and not on the diagonal
/// when `unit`): NaN elsewhere. With `triangular`, kept well conditioned for TRSM.
pub fn triangle<T: Scalar>(
    rng: &mut Rng,
    ka: usize,
    uplo: Uplo,
    unit: bool,
    triangular: bool,
    pad: usize,
) -> (Vec<T>, usize) {
    let (mut a, lda) = matrix::<T>(rng, ka, ka, pad);
    for j in 0..ka {
        for i in 0..ka {
            let v = &mut a[i + j * lda];
            if !in_triangle(uplo, i, j) || (unit && i == j) {
                *v = nan();
            } else if triangular && i == j {
                *v += real::<T>(4.0);
            } else if triangular {
                *v *= real::<T>(1.0 / (ka as f64).sqrt().max(1.0));
            }
        }
    }
    (a, lda)
}

fn abs<T: Scalar>(v: T) -> f64 {
    v.modulus().to_f64()
}

fn max_abs<T: Scalar>(x: &[T]) -> f64 {
    x.iter()
        .map(|&v| abs(v))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

fn same_bits<T: Scalar>(x: T, y: T) -> bool {
    x == y || (x.re().is_nan() && y.re().is_nan())
}

/// Runs `call` on the CPU into a copy of `out0`, then as routed into another copy, and
/// compares: elements where `inside(i, j)` within `tol`, all others bit for bit with
/// `out0`. Returns the routed call's decision.
fn compare<T: Scalar>(
    what: &str,
    (out0, rows, cols, ld): (&[T], usize, usize, usize),
    inside: impl Fn(usize, usize) -> bool,
    tol: impl Fn(&[T]) -> f64,
    call: impl Fn(*mut T) -> Option<Decision>,
) -> Option<Decision> {
    let mut cpu = out0.to_vec();
    let before = set_override(Some(Backend::Cpu));
    call(cpu.as_mut_ptr());
    set_override(before);
    let mut routed = out0.to_vec();
    let decision = call(routed.as_mut_ptr());
    let tol = tol(&cpu);
    for j in 0..cols.max(1) {
        for i in 0..ld {
            let (c, r, o) = (cpu[i + j * ld], routed[i + j * ld], out0[i + j * ld]);
            if i < rows && j < cols && inside(i, j) {
                let diff = abs(r - c);
                assert!(
                    diff <= tol,
                    "{what}: ({i},{j}) = {r:?}, CPU {c:?} (diff {diff:e} > tol {tol:e})"
                );
            } else {
                assert!(
                    same_bits(r, o),
                    "{what}: ({i},{j}) outside the output was written: {o:?} -> {r:?}"
                );
            }
        }
    }
    decision
}

fn eps<T: Scalar>() -> f64 {
    <T::RealPart as Float>::epsilon().to_f64()
}

/// SYRK/HERK (`two` false) or SYR2K/HER2K on random operands; alpha and beta as given
/// (real ones for HERK's beta and alpha, HER2K's beta).
#[allow(clippy::too_many_arguments)]
pub fn rank_k_case<T: Scalar>(
    rng: &mut Rng,
    (hermitian, two): (bool, bool),
    uplo: Uplo,
    trans: Trans,
    (n, k): (usize, usize),
    alpha: T,
    beta: T,
    pad: usize,
) -> Option<Decision> {
    let (rows, cols) = if trans == Trans::No { (n, k) } else { (k, n) };
    let (a, lda) = matrix::<T>(rng, rows, cols, pad);
    let (b, ldb) = matrix::<T>(rng, rows, cols, pad + 1);
    let (mut c0, ldc) = matrix::<T>(rng, n, n, pad);
    if beta.is_zero() {
        for j in 0..n {
            for i in 0..n {
                if in_triangle(uplo, i, j) {
                    c0[i + j * ldc] = nan();
                }
            }
        }
    }
    let what = format!(
        "{}{} {uplo:?} {trans:?} n={n} k={k} alpha={alpha:?} beta={beta:?} pad={pad}",
        T::PREFIX,
        match (hermitian, two) {
            (false, false) => "syrk",
            (true, false) => "herk",
            (false, true) => "syr2k",
            (true, true) => "her2k",
        }
    );
    let scale = (if two { 2.0 } else { 1.0 }) * abs(alpha) * max_abs(&a) * max_abs(&b) * k as f64
        + abs(beta) * max_abs(&c0);
    let tol = 16.0 * (k as f64 + 2.0) * eps::<T>() * scale.max(1e-30);
    compare(
        &what,
        (&c0, n, n, ldc),
        |i, j| in_triangle(uplo, i, j),
        |_| tol,
        |c| unsafe {
            level3::rank_k(
                uplo,
                trans,
                hermitian,
                (n, k),
                alpha,
                (a.as_ptr(), lda),
                two.then_some((b.as_ptr(), ldb)),
                beta,
                (c, ldc),
            )
        },
    )
}

/// SYMM/HEMM on random operands.
#[allow(clippy::too_many_arguments)]
pub fn symm_case<T: Scalar>(
    rng: &mut Rng,
    hermitian: bool,
    side: Side,
    uplo: Uplo,
    (m, n): (usize, usize),
    alpha: T,
    beta: T,
    pad: usize,
) -> Option<Decision> {
    let ka = if side == Side::Left { m } else { n };
    let (a, lda) = triangle::<T>(rng, ka, uplo, false, false, pad);
    let (b, ldb) = matrix::<T>(rng, m, n, pad + 1);
    let (mut c0, ldc) = matrix::<T>(rng, m, n, pad);
    if beta.is_zero() {
        for j in 0..n {
            for i in 0..m {
                c0[i + j * ldc] = nan();
            }
        }
    }
    let what = format!(
        "{}{} {side:?} {uplo:?} m={m} n={n} alpha={alpha:?} beta={beta:?} pad={pad}",
        T::PREFIX,
        if hermitian { "hemm" } else { "symm" }
    );
    let scale = abs(alpha) * max_abs(&a) * max_abs(&b) * ka as f64 + abs(beta) * max_abs(&c0);
    let tol = 16.0 * (ka as f64 + 2.0) * eps::<T>() * scale.max(1e-30);
    compare(
        &what,
        (&c0, m, n, ldc),
        |_, _| true,
        |_| tol,
        |c| unsafe {
            level3::symm(
                side,
                uplo,
                hermitian,
                (m, n),
                alpha,
                (a.as_ptr(), lda),
                (b.as_ptr(), ldb),
                beta,
                (c, ldc),
            )
        },
    )
}

/// TRMM (`solve` false) or TRSM on a well-conditioned triangular A and random B.
pub fn triangular_case<T: Scalar>(
    rng: &mut Rng,
    solve: bool,
    (side, uplo, trans, diag): (Side, Uplo, Trans, Diag),
    (m, n): (usize, usize),
    alpha: T,
    pad: usize,
) -> Option<Decision> {
    let ka = if side == Side::Left { m } else { n };
    let (a, lda) = triangle::<T>(rng, ka, uplo, diag == Diag::Unit, true, pad);
    let (b0, ldb) = matrix::<T>(rng, m, n, pad);
    let what = format!(
        "{}{} {side:?} {uplo:?} {trans:?} {diag:?} m={m} n={n} alpha={alpha:?} pad={pad}",
        T::PREFIX,
        if solve { "trsm" } else { "trmm" }
    );
    let ka_f = ka as f64 + 2.0;
    let tol = |cpu: &[T]| {
        let scale = if solve {
            // Well-conditioned A: the solutions agree to a few ulps of their size.
            max_abs(cpu)
        } else {
            abs(alpha) * (max_abs(&a) + 1.0) * max_abs(&b0) * ka as f64
        };
        16.0 * ka_f * eps::<T>() * scale.max(1e-30)
    };
    compare(
        &what,
        (&b0, m, n, ldb),
        |_, _| true,
        tol,
        |b| unsafe {
            let (a, b) = ((a.as_ptr(), lda), (b, ldb));
            if solve {
                level3::trsm(&TrsmArgs::new(
                    (side, uplo, trans, diag),
                    (m, n),
                    alpha,
                    a,
                    b,
                ))
            } else {
                level3::trmm(side, uplo, trans, diag, (m, n), alpha, a, b)
            }
        },
    )
}
