//! Reordering a Schur form T = Z^H A Z so that selected eigenvalues lead (LAPACK's
//! xTRSEN with JOB = 'N', on xTREXC and xLAEXC): adjacent diagonal blocks are swapped by
//! orthogonal similarities. Real forms have 1 x 1 and 2 x 2 blocks; a 2 x 2 swap solves
//! a small Sylvester equation and is rejected when it would perturb T by more than
//! about eps ||T|| (LAPACK's INFO = 1, which xGEES reports as N + 1).

use crate::lapack::householder::{apply_left, apply_right, reflector};
use crate::lapack::raw::RawMat;
use crate::lapack::schur::{rotate, standardize_block};
use crate::scalar::num_traits_lite::Float;
use crate::scalar::{Real, Scalar};

/// xLARTG: (c, s) with [c s; -conj(s) c] [f; g] = [r; 0], c real.
fn rotation<T: Scalar>(f: T, g: T) -> (T::RealPart, T) {
    let zero = T::RealPart::zero();
    if g.is_zero() {
        return (T::RealPart::one(), T::zero());
    }
    if f.is_zero() {
        return (zero, g.conj().quotient(T::from_real(g.modulus())));
    }
    let (fa, ga) = (f.modulus(), g.modulus());
    let big = fa.max(ga);
    let d = big * ((fa / big) * (fa / big) + (ga / big) * (ga / big)).sqrt();
    let phase = f.quotient(T::from_real(fa));
    (fa / d, g.conj() * phase.quotient(T::from_real(d)))
}

/// Swaps the adjacent 1 x 1 blocks at k and k + 1 of the n x n triangular `t`.
unsafe fn swap_single<T: Scalar>(n: usize, t: RawMat<T>, z: Option<RawMat<T>>, k: usize) {
    let (t11, t22) = (t.get(k, k), t.get(k + 1, k + 1));
    let (c, s) = rotation(t.get(k, k + 1), t22 - t11);
    if k + 2 < n {
        rotate(
            n - k - 2,
            t.at(k, k + 2).ptr,
            t.at(k + 1, k + 2).ptr,
            t.ld,
            c,
            s,
        );
    }
    rotate(k, t.at(0, k).ptr, t.at(0, k + 1).ptr, 1, c, s.conj());
    t.set(k, k, t22);
    t.set(k + 1, k + 1, t11);
    if let Some(z) = z {
        rotate(n, z.at(0, k).ptr, z.at(0, k + 1).ptr, 1, c, s.conj());
    }
}

/// Solves T11 X - X T22 = scale B (n1, n2 <= 2; xLASY2 with ISGN = -1) by Gaussian
/// elimination with complete pivoting on the Kronecker form; tiny pivots are raised to
/// smin, as LAPACK does. X is n1 x n2, column-major.
fn sylvester<R: Real>(
    t11: RawMat<R>,
    t22: RawMat<R>,
    b: RawMat<R>,
    n1: usize,
    n2: usize,
) -> ([R; 4], R) {
    let size = n1 * n2;
    let mut k = [[R::zero(); 4]; 4];
    let mut rhs = [R::zero(); 4];
    let eps = R::epsilon() * R::from_f64(2.0);
    let smlnum = R::safe_min() / eps;
    let mut largest = R::zero();
    unsafe {
        for j in 0..n2 {
            for i in 0..n1 {
                let row = i + j * n1;
                rhs[row] = b.get(i, j);
                for q in 0..n2 {
                    for p in 0..n1 {
                        let col = p + q * n1;
                        let mut v = R::zero();
                        if j == q {
                            v += t11.get(i, p);
                        }
                        if i == p {
                            v -= t22.get(q, j);
                        }
                        k[row][col] = v;
                    }
                }
            }
        }
        for i in 0..n1 {
            for p in 0..n1 {
                largest = largest.max(t11.get(i, p).abs());
            }
        }
        for q in 0..n2 {
            for j in 0..n2 {
                largest = largest.max(t22.get(q, j).abs());
            }
        }
    }
    let smin = (eps * largest).max(smlnum);
    let mut colperm = [0usize, 1, 2, 3];
    for step in 0..size {
        let (mut pr, mut pc, mut best) = (step, step, R::zero());
        for (r, row) in k.iter().enumerate().take(size).skip(step) {
            for (c, v) in row.iter().enumerate().take(size).skip(step) {
                if v.abs() >= best {
                    best = v.abs();
                    pr = r;
                    pc = c;
                }
            }
        }
        k.swap(step, pr);
        rhs.swap(step, pr);
        for row in k.iter_mut() {
            row.swap(step, pc);
        }
        colperm.swap(step, pc);
        if k[step][step].abs() < smin {
            k[step][step] = smin;
        }
        for r in step + 1..size {
            let f = k[r][step] / k[step][step];
            let pivot_row = k[step];
            for (c, v) in pivot_row.iter().enumerate().take(size).skip(step) {
                k[r][c] -= f * *v;
            }
            let v = rhs[step];
            rhs[r] -= f * v;
        }
    }
    // Scale the right-hand side down if the solution could overflow.
    let mut scale = R::one();
    let bmax = rhs.iter().take(size).fold(R::zero(), |m, v| m.max(v.abs()));
    let eight = R::from_f64(8.0);
    for (i, row) in k.iter().enumerate().take(size) {
        if eight * smlnum * bmax > row[i].abs() {
            scale = (R::one() / eight) / bmax;
            break;
        }
    }
    let mut y = [R::zero(); 4];
    for i in (0..size).rev() {
        let mut sum = rhs[i] * scale;
        for c in i + 1..size {
            sum -= k[i][c] * y[c];
        }
        y[i] = sum / k[i][i];
    }
    let mut x = [R::zero(); 4];
    for i in 0..size {
        x[colperm[i]] = y[i];
    }
    (x, scale)
}

/// xLAEXC: swaps the adjacent blocks of orders n1 and n2 starting at row j1 of the real
/// Schur form `t`. Returns false when the swap was rejected (T is then unchanged).
unsafe fn swap_blocks<R: Real>(
    n: usize,
    t: RawMat<R>,
    z: Option<RawMat<R>>,
    j1: usize,
    n1: usize,
    n2: usize,
) -> bool {
    if n == 0 || n1 == 0 || n2 == 0 || j1 + n1 >= n {
        return true;
    }
    if n1 == 1 && n2 == 1 {
        swap_single(n, t, z, j1);
        return true;
    }
    let (j2, j3) = (j1 + 1, j1 + 2);
    let nd = n1 + n2;
    let mut dbuf = [R::zero(); 16];
    let d = RawMat::new(dbuf.as_mut_ptr(), 4);
    let mut dnorm = R::zero();
    for j in 0..nd {
        for i in 0..nd {
            d.set(i, j, t.get(j1 + i, j1 + j));
            dnorm = dnorm.max(t.get(j1 + i, j1 + j).abs());
        }
    }
    let eps = R::epsilon() * R::from_f64(2.0);
    let smlnum = R::safe_min() / eps;
    let thresh = (R::from_f64(10.0) * eps * dnorm).max(smlnum);
    let (x, scale) = sylvester(d, d.at(n1, n1), d.at(0, n1), n1, n2);
    let xg = |i: usize, j: usize| x[i + j * n1];
    match (n1, n2) {
        (1, 2) => {
            // (scale, X11, X12) H = (0, 0, *).
            let mut u = [scale, xg(0, 0), xg(0, 1)];
            let mut alpha = u[2];
            let tau = reflector(3, &mut alpha, u.as_mut_ptr());
            u[2] = R::one();
            let t11 = t.get(j1, j1);
            apply_left(3, 3, u.as_ptr(), tau, d);
            apply_right(3, 3, u.as_ptr(), tau, d);
            let err = d
                .get(2, 0)
                .abs()
                .max(d.get(2, 1).abs())
                .max((d.get(2, 2) - t11).abs());
            if err > thresh {
                return false;
            }
            apply_left(3, n - j1, u.as_ptr(), tau, t.at(j1, j1));
            apply_right(j2 + 1, 3, u.as_ptr(), tau, t.at(0, j1));
            t.set(j3, j1, R::zero());
            t.set(j3, j2, R::zero());
            t.set(j3, j3, t11);
            if let Some(z) = z {
                apply_right(n, 3, u.as_ptr(), tau, z.at(0, j1));
            }
        }
        (2, 1) => {
            // H (-X11; -X21; scale) = (*; 0; 0).
            let mut u = [-xg(0, 0), -xg(1, 0), scale];
            let mut alpha = u[0];
            let tau = reflector(3, &mut alpha, u.as_mut_ptr().add(1));
            u[0] = R::one();
            let t33 = t.get(j3, j3);
            apply_left(3, 3, u.as_ptr(), tau, d);
            apply_right(3, 3, u.as_ptr(), tau, d);
            let err = d
                .get(1, 0)
                .abs()
                .max(d.get(2, 0).abs())
                .max((d.get(0, 0) - t33).abs());
            if err > thresh {
                return false;
            }
            apply_right(j3 + 1, 3, u.as_ptr(), tau, t.at(0, j1));
            apply_left(3, n - j1 - 1, u.as_ptr(), tau, t.at(j1, j2));
            t.set(j1, j1, t33);
            t.set(j2, j1, R::zero());
            t.set(j3, j1, R::zero());
            if let Some(z) = z {
                apply_right(n, 3, u.as_ptr(), tau, z.at(0, j1));
            }
        }
        _ => {
            // Two reflectors: H2 H1 (-X; scale I) = (*; 0).
            let mut u1 = [-xg(0, 0), -xg(1, 0), scale];
            let mut alpha = u1[0];
            let tau1 = reflector(3, &mut alpha, u1.as_mut_ptr().add(1));
            u1[0] = R::one();
            let temp = -tau1 * (xg(0, 1) + u1[1] * xg(1, 1));
            let mut u2 = [-temp * u1[1] - xg(1, 1), -temp * u1[2], scale];
            let mut alpha = u2[0];
            let tau2 = reflector(3, &mut alpha, u2.as_mut_ptr().add(1));
            u2[0] = R::one();
            apply_left(3, 4, u1.as_ptr(), tau1, d);
            apply_right(4, 3, u1.as_ptr(), tau1, d);
            apply_left(3, 4, u2.as_ptr(), tau2, d.at(1, 0));
            apply_right(4, 3, u2.as_ptr(), tau2, d.at(0, 1));
            let err = d
                .get(2, 0)
                .abs()
                .max(d.get(2, 1).abs())
                .max(d.get(3, 0).abs())
                .max(d.get(3, 1).abs());
            if err > thresh {
                return false;
            }
            let j4 = j1 + 3;
            apply_left(3, n - j1, u1.as_ptr(), tau1, t.at(j1, j1));
            apply_right(j4 + 1, 3, u1.as_ptr(), tau1, t.at(0, j1));
            apply_left(3, n - j1, u2.as_ptr(), tau2, t.at(j2, j1));
            apply_right(j4 + 1, 3, u2.as_ptr(), tau2, t.at(0, j2));
            for (r, c) in [(j3, j1), (j3, j2), (j4, j1), (j4, j2)] {
                t.set(r, c, R::zero());
            }
            if let Some(z) = z {
                apply_right(n, 3, u1.as_ptr(), tau1, z.at(0, j1));
                apply_right(n, 3, u2.as_ptr(), tau2, z.at(0, j2));
            }
        }
    }
    // Standardize the 2 x 2 blocks in their new places.
    if n2 == 2 {
        standardize_block(n, t, z, j1);
    }
    if n1 == 2 {
        standardize_block(n, t, z, j1 + n2);
    }
    true
}

/// xTREXC moving the block that starts at `first` up to start at `last` (< first).
/// Returns false when a swap was rejected.
pub(crate) unsafe fn move_up<R: Real>(
    n: usize,
    t: RawMat<R>,
    z: Option<RawMat<R>>,
    first: usize,
    last: usize,
) -> bool {
    let zero = R::zero();
    let block_at = |i: usize| i + 1 < n && t.get(i + 1, i) != zero;
    let mut first = first;
    if first > 0 && t.get(first, first - 1) != zero {
        first -= 1;
    }
    let mut last = last;
    if last > 0 && t.get(last, last - 1) != zero {
        last -= 1;
    }
    if first == last {
        return true;
    }
    // nbf: 1 or 2 for a block, 3 for a 2 x 2 block that split into two 1 x 1 blocks.
    let mut nbf = if block_at(first) { 2 } else { 1 };
    let mut here = first;
    while here > last {
        let mut nbnext = if here >= 2 && t.get(here - 1, here - 2) != zero {
            2
        } else {
            1
        };
        if nbf != 3 {
            if !swap_blocks(n, t, z, here - nbnext, nbnext, nbf) {
                return false;
            }
            here -= nbnext;
            if nbf == 2 && t.get(here + 1, here) == zero {
                nbf = 3;
            }
        } else {
            if !swap_blocks(n, t, z, here - nbnext, nbnext, 1) {
                return false;
            }
            if nbnext == 1 {
                swap_blocks(n, t, z, here, 1, 1);
                here -= 1;
            } else {
                if t.get(here, here - 1) == zero {
                    nbnext = 1;
                }
                if nbnext == 2 {
                    if !swap_blocks(n, t, z, here - 1, 2, 1) {
                        return false;
                    }
                } else {
                    swap_blocks(n, t, z, here, 1, 1);
                    swap_blocks(n, t, z, here - 1, 1, 1);
                }
                here -= 2;
            }
        }
    }
    true
}

/// Real xTRSEN (JOB = 'N'): moves the selected eigenvalues (`select[k]` for the one at
/// row k; a 2 x 2 block moves when either of its rows is selected) to the top of `t`.
/// Returns (the dimension of the selected invariant subspace, whether every swap was
/// accepted).
///
/// # Safety
/// `t` valid for n x n, `z` for n x n when given; `select` has n entries.
pub unsafe fn reorder_real<R: Real>(
    n: usize,
    t: RawMat<R>,
    z: Option<RawMat<R>>,
    select: &[bool],
) -> (usize, bool) {
    let zero = R::zero();
    let mut m = 0;
    let mut k = 0;
    while k < n {
        if k + 1 < n && t.get(k + 1, k) != zero {
            if select[k] || select[k + 1] {
                m += 2;
            }
            k += 2;
        } else {
            if select[k] {
                m += 1;
            }
            k += 1;
        }
    }
    let mut placed = 0;
    let mut k = 0;
    while k < n {
        let pair = k + 1 < n && t.get(k + 1, k) != zero;
        let chosen = select[k] || (pair && select[k + 1]);
        if chosen {
            if k != placed && !move_up(n, t, z, k, placed) {
                return (m, false);
            }
            placed += if pair { 2 } else { 1 };
        }
        k += if pair { 2 } else { 1 };
    }
    (m, true)
}

/// Complex xTRSEN (JOB = 'N'): moves the selected eigenvalues to the top of the
/// triangular `t` by swaps of adjacent diagonal entries (xTREXC). Returns the number
/// selected.
///
/// # Safety
/// As for [`reorder_real`].
pub unsafe fn reorder_complex<T: Scalar>(
    n: usize,
    t: RawMat<T>,
    z: Option<RawMat<T>>,
    select: &[bool],
) -> usize {
    let mut placed = 0;
    for (k, &chosen) in select.iter().enumerate().take(n) {
        if chosen {
            move_up_complex(n, t, z, k, placed);
            placed += 1;
        }
    }
    placed
}

/// Complex xTREXC: the diagonal entry at `first` of the triangular `t` moved up to
/// `last` (<= first) by swaps of adjacent entries.
pub(crate) unsafe fn move_up_complex<T: Scalar>(
    n: usize,
    t: RawMat<T>,
    z: Option<RawMat<T>>,
    first: usize,
    last: usize,
) {
    for here in (last..first).rev() {
        swap_single(n, t, z, here);
    }
}
