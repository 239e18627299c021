//! The SVD of a real upper bidiagonal matrix by divide and conquer, with vectors
//! (LAPACK's xBDSDC 'I': xLASD0 to xLASD4; Gu and Eisenstat, "A divide-and-conquer
//! algorithm for the bidiagonal SVD", 1995). B is split at a middle row into an upper
//! part with one column more than rows and a lower part; with their SVDs B becomes
//! Ul M Vr^T, M a row z over a diagonal D, whose SVD comes from the secular equation
//! 1 + sum z_j^2 / (d_j^2 - sigma^2) = 0. Entries of z that are negligible, or pairs of
//! nearly equal d_j, deflate: those values are already B's and their vectors stay. The
//! vectors of the rest come from a z recomputed from the roots (Gu and Eisenstat's
//! formula), which makes them orthogonal to working precision however close the roots;
//! two products per side (the upper and the lower rows of Ul and Vr, each with only the
//! columns that reach it) finish the merge. Small parts go to one-sided Jacobi
//! (`jacobi_svd`), accurate in every value.
//!
//! Double precision only: the drivers solve single precision in double (`widen`).

use crate::blas::args::Trans;
use crate::blas::level3;
use crate::lapack::bidiagonal_qr;
use crate::lapack::tridiagonal_qr::lartg;
use crate::threads;

use parking_lot::Mutex;

/// Parts of at most this many rows are solved by the QR iteration (xBDSDC's SMLSIZ is
/// 25; dgesdd 2 threads, leaves of 32 against 8: 256 0.97, 1024 the same within noise).
const LEAF: usize = 32;

/// Iterations allowed for one root of the secular equation (LAPACK's MAXIT is 400; the
/// safeguarded rational steps here take about 3 to 6).
const MAX_ITERATIONS: usize = 400;

/// B = U diag(s) V^T: s descending, U and V n x n, column-major.
pub struct BidiagonalSvd {
    pub s: Vec<f64>,
    pub u: Vec<f64>,
    pub v: Vec<f64>,
}

/// The SVD of the n x n upper bidiagonal matrix with diagonal `d` and superdiagonal `e`
/// (n - 1 entries). None when a root of a secular equation was not found or an entry is
/// not finite.
pub fn divide_and_conquer(d: &[f64], e: &[f64]) -> Option<BidiagonalSvd> {
    solve_with_leaf(d, e, LEAF)
}

/// [`divide_and_conquer`] with parts of at most `leaf` (>= 3) rows left to Jacobi.
fn solve_with_leaf(d: &[f64], e: &[f64], leaf: usize) -> Option<BidiagonalSvd> {
    let n = d.len();
    assert!(e.len() + 1 == n.max(1) && leaf >= 3);
    if !d.iter().chain(e).all(|x| x.is_finite()) {
        return None;
    }
    if n == 0 {
        return Some(BidiagonalSvd {
            s: vec![],
            u: vec![],
            v: vec![],
        });
    }
    let part = solve(d, e, 0, leaf)?;
    // Descending, as LAPACK returns them.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| part.s[b].total_cmp(&part.s[a]));
    let mut out = BidiagonalSvd {
        s: order.iter().map(|&j| part.s[j]).collect(),
        u: vec![0.0; n * n],
        v: vec![0.0; n * n],
    };
    for (to, &from) in order.iter().enumerate() {
        out.u[to * n..(to + 1) * n].copy_from_slice(part.u.col(from));
        out.v[to * n..(to + 1) * n].copy_from_slice(part.v.col(from));
    }
    Some(out)
}

/// Parts of at least this many rows solve their two halves on two threads.
const PARALLEL_ROWS: usize = 256;

/// A square column-major matrix.
struct Square {
    order: usize,
    data: Vec<f64>,
}

impl Square {
    fn zeros(order: usize) -> Square {
        Square {
            order,
            data: vec![0.0; order * order],
        }
    }
    fn col(&self, j: usize) -> &[f64] {
        &self.data[j * self.order..(j + 1) * self.order]
    }
    fn col_mut(&mut self, j: usize) -> &mut [f64] {
        &mut self.data[j * self.order..(j + 1) * self.order]
    }
    /// Copies `block` into the diagonal block starting at (at, at).
    fn place(&mut self, at: usize, block: &Square) {
        for j in 0..block.order {
            self.col_mut(at + j)[at..at + block.order].copy_from_slice(block.col(j));
        }
    }
    /// [p, q] := [c p - s q, s p + c q] on columns p and q.
    fn rotate(&mut self, p: usize, q: usize, c: f64, s: f64) {
        for i in 0..self.order {
            let (x, y) = (self.data[i + p * self.order], self.data[i + q * self.order]);
            self.data[i + p * self.order] = c * x - s * y;
            self.data[i + q * self.order] = s * x + c * y;
        }
    }
}

/// The SVD of an n x (n + sqre) part: values s (any order), U (n x n) and V ((n + sqre)
/// square); column j of U and V belongs to s[j], V's column n (when sqre = 1) to no value:
/// it spans the part's null space.
struct Part {
    s: Vec<f64>,
    u: Square,
    v: Square,
}

/// The part with diagonal `d` (n entries) and superdiagonal `e` (n - 1 + sqre).
fn solve(d: &[f64], e: &[f64], sqre: usize, leaf: usize) -> Option<Part> {
    let n = d.len();
    if n <= leaf {
        return solve_leaf(d, e, sqre);
    }
    let nl = n / 2;
    let upper = || solve(&d[..nl], &e[..nl], 1, leaf);
    let lower = || solve(&d[nl + 1..], &e[nl + 1..], sqre, leaf);
    let (upper, lower) = if n >= PARALLEL_ROWS {
        let mut halves = each_part(2, |i| if i == 0 { upper() } else { lower() }).into_iter();
        (halves.next().flatten()?, halves.next().flatten()?)
    } else {
        (upper()?, lower()?)
    };
    merge(upper, lower, (d[nl], e[nl]), sqre)
}

/// A leaf by the QR iteration (`bidiagonal_qr`, as xLASDQ). With sqre = 1 the extra
/// column's entry is first rotated away, up through the rows by rotations of the last
/// column with each (V takes them): the leaf is then square with a zero column.
fn solve_leaf(d: &[f64], e: &[f64], sqre: usize) -> Option<Part> {
    let n = d.len();
    let m = n + sqre;
    let (mut d, mut e) = (d.to_vec(), e[..n - 1 + sqre].to_vec());
    let identity = |order: usize| {
        let mut x = Square::zeros(order);
        x.data.iter_mut().step_by(order + 1).for_each(|x| *x = 1.0);
        x
    };
    let (mut u, mut v) = (identity(n), identity(m));
    if sqre == 1 {
        let mut f = e[n - 1];
        for j in (0..n).rev() {
            let (c, s, r) = lartg(d[j], f);
            d[j] = r;
            if j > 0 {
                f = -s * e[j - 1];
                e[j - 1] *= c;
            }
            v.rotate(j, n, c, -s);
        }
    }
    bidiagonal_qr::svd_onto(&mut d, &mut e, (&mut u.data, n), (&mut v.data[..m * n], m))?;
    Some(Part { s: d, u, v })
}

/// One column of M while merging: its value d and z entry, its columns in the stacked
/// U and V, and which of their rows (the upper part's, 0..=nl, or the lower's) they reach.
#[derive(Clone, Copy)]
struct Item {
    d: f64,
    z: f64,
    col: usize,
    u_reach: Reach,
    v_reach: Reach,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Reach {
    upper: bool,
    lower: bool,
}

impl Reach {
    const UPPER: Reach = Reach {
        upper: true,
        lower: false,
    };
    const LOWER: Reach = Reach {
        upper: false,
        lower: true,
    };
    const BOTH: Reach = Reach {
        upper: true,
        lower: true,
    };
    fn union(self, other: Reach) -> Reach {
        Reach {
            upper: self.upper || other.upper,
            lower: self.lower || other.lower,
        }
    }
}

/// The part [upper 0; alpha e_nl^T beta e_0^T; 0 lower] from its two solved parts (xLASD1):
/// U and V stacked as diag(U1, 1, U2) and diag(V1, V2), whose column nl (the middle row's
/// and the upper part's null vector) joins the middle row to M.
fn merge(upper: Part, lower: Part, (alpha, beta): (f64, f64), sqre: usize) -> Option<Part> {
    let (nl, nr) = (upper.s.len(), lower.s.len());
    let n = nl + nr + 1;
    let m = n + sqre;
    let mut u = Square::zeros(n);
    u.place(0, &upper.u);
    u.data[nl + nl * n] = 1.0;
    u.place(nl + 1, &lower.u);
    let mut v = Square::zeros(m);
    v.place(0, &upper.v);
    v.place(nl + 1, &lower.v);
    let s: Vec<f64> = upper
        .s
        .iter()
        .chain([&0.0])
        .chain(&lower.s)
        .copied()
        .collect();

    let scale = s.iter().fold(alpha.abs().max(beta.abs()), |x, &y| x.max(y));
    if scale == 0.0 {
        // A zero block: the stacked vectors serve as they are.
        return Some(Part { s, u, v });
    }
    let (alpha, beta) = (alpha / scale, beta / scale);

    // The parts' null vectors (V's columns nl and n) meet the middle row in one column of
    // M; with sqre the other combination is the merged part's null vector.
    let z_upper = alpha * v.data[nl + nl * m];
    let mut middle = Item {
        d: 0.0,
        z: z_upper,
        col: nl,
        u_reach: Reach::UPPER,
        v_reach: Reach::UPPER,
    };
    if sqre == 1 {
        let z_lower = beta * v.data[(nl + 1) + n * m];
        let r = z_upper.hypot(z_lower);
        let (c, s) = if r == 0.0 {
            (1.0, 0.0)
        } else {
            (z_upper / r, z_lower / r)
        };
        // [nl, n] := [c nl + s n, -s nl + c n]
        v.rotate(nl, n, c, -s);
        middle.z = r;
        if s != 0.0 {
            middle.v_reach = Reach::BOTH;
        }
    }
    let item = |col: usize, z: f64, reach: Reach| Item {
        d: s[col] / scale,
        z,
        col,
        u_reach: reach,
        v_reach: reach,
    };
    let mut items: Vec<Item> = (0..nl)
        .map(|j| item(j, alpha * v.data[nl + j * m], Reach::UPPER))
        .chain((nl + 1..n).map(|j| item(j, beta * v.data[(nl + 1) + j * m], Reach::LOWER)))
        .collect();
    items.sort_by(|a, b| a.d.total_cmp(&b.d));

    let (kept, deflated) = deflate(&mut u, &mut v, middle, items);
    let k = kept.len();
    let dk: Vec<f64> = kept.iter().map(|it| it.d).collect();
    let zk: Vec<f64> = kept.iter().map(|it| it.z).collect();
    let (roots, u_m, v_m) = secular_vectors(&dk, &zk)?;

    let mut out = Part {
        s: vec![0.0; n],
        u: Square::zeros(n),
        v: Square::zeros(m),
    };
    products(&u, nl + 1, &kept, &u_m, |it| it.u_reach, &mut out.u);
    products(&v, nl + 1, &kept, &v_m, |it| it.v_reach, &mut out.v);
    for (j, it) in deflated.iter().enumerate() {
        out.u.col_mut(k + j).copy_from_slice(u.col(it.col));
        out.v.col_mut(k + j).copy_from_slice(v.col(it.col));
    }
    if sqre == 1 {
        out.v.col_mut(n).copy_from_slice(v.col(n));
    }
    for (j, value) in roots
        .iter()
        .chain(deflated.iter().map(|it| &it.d))
        .enumerate()
    {
        out.s[j] = value * scale;
    }
    Some(out)
}

/// xLASD2's deflation, on values scaled to at most 1: items whose z is negligible, and
/// the first of two whose values are within the tolerance (after a rotation of their
/// vectors that moves its z onto the second), keep their value and vectors. Returns the
/// middle item and the rest still coupled (values ascending, more than the tolerance
/// apart), and the deflated items.
fn deflate(
    u: &mut Square,
    v: &mut Square,
    middle: Item,
    sorted: Vec<Item>,
) -> (Vec<Item>, Vec<Item>) {
    // 8 eps in LAPACK's units (eps = 2^-53).
    let tol = 4.0 * f64::EPSILON;
    let mut kept = vec![middle];
    let mut deflated = Vec::new();
    for mut item in sorted {
        if item.z.abs() <= tol {
            deflated.push(item);
            continue;
        }
        let last = kept.len() - 1;
        if last > 0 && item.d - kept[last].d <= tol {
            let previous = kept[last];
            let r = previous.z.hypot(item.z);
            let (c, s) = (item.z / r, previous.z / r);
            u.rotate(previous.col, item.col, c, s);
            v.rotate(previous.col, item.col, c, s);
            item.z = r;
            item.u_reach = previous.u_reach.union(item.u_reach);
            item.v_reach = previous.v_reach.union(item.v_reach);
            deflated.push(Item {
                z: 0.0,
                u_reach: item.u_reach,
                v_reach: item.v_reach,
                ..previous
            });
            kept[last] = item;
            continue;
        }
        kept.push(item);
    }
    // The first root lies between 0 and the smallest coupled value: keep both clear.
    if kept[0].z.abs() <= tol {
        kept[0].z = tol;
    }
    if kept.len() > 1 && kept[1].d <= tol / 2.0 {
        kept[1].d = tol / 2.0;
    }
    (kept, deflated)
}

/// out[:, 0..k] = x[:, kept] * w (w: k x k), as two products: the rows 0..upper with the
/// items whose vectors reach them, the rows below likewise.
fn products(
    x: &Square,
    upper: usize,
    kept: &[Item],
    w: &[f64],
    reach: impl Fn(&Item) -> Reach,
    out: &mut Square,
) {
    let (rows, k) = (x.order, kept.len());
    for (first, count, lower) in [(0, upper, false), (upper, rows - upper, true)] {
        let chosen: Vec<usize> = (0..k)
            .filter(|&j| {
                if lower {
                    reach(&kept[j]).lower
                } else {
                    reach(&kept[j]).upper
                }
            })
            .collect();
        let inner = chosen.len();
        if inner == 0 || count == 0 {
            continue;
        }
        let mut gathered = vec![0.0; count * inner];
        let mut weights = vec![0.0; inner * k];
        for (c, &j) in chosen.iter().enumerate() {
            gathered[c * count..(c + 1) * count]
                .copy_from_slice(&x.col(kept[j].col)[first..first + count]);
            for i in 0..k {
                weights[c + i * inner] = w[j + i * k];
            }
        }
        // SAFETY: count x inner, inner x k, and out's rows first.. of its first k columns.
        unsafe {
            level3::gemm_any_order(
                Trans::No,
                Trans::No,
                (count, k, inner),
                1.0,
                (gathered.as_ptr(), count),
                (weights.as_ptr(), inner),
                0.0,
                (out.data.as_mut_ptr().add(first), rows),
            );
        }
    }
}

/// The SVD of M = [z; 0 diag(d_1..)] (d_0 = 0 < d_1 < ... , values at most about 1, no
/// z_j zero): the roots ascending, and M's left and right singular vectors (k x k each,
/// column-major), built from Gu and Eisenstat's recomputed z (xLASD3).
fn secular_vectors(d: &[f64], z: &[f64]) -> Option<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let k = d.len();
    // Row i of `gaps`: d_j^2 - sigma_i^2, each to its own relative accuracy.
    let (mut roots, mut gaps) = (Vec::with_capacity(k), Vec::with_capacity(k * k));
    let z2: Vec<f64> = z.iter().map(|x| x * x).collect();
    for found in in_parts(k, |range| secular_roots(d, &z2, range)) {
        let found = found?;
        roots.extend(found.roots);
        gaps.extend(found.gaps);
    }
    // z_hat_j^2 = (sigma_{k-1}^2 - d_j^2) prod_{i < j} (sigma_i^2 - d_j^2) / (d_i^2 - d_j^2)
    //   prod_{j <= i < k-1} (sigma_i^2 - d_j^2) / (d_{i+1}^2 - d_j^2), every factor positive.
    // Accumulated a root (a row of gaps) at a time for each run of j.
    let row = |i: usize| &gaps[i * k..(i + 1) * k];
    let z_hat: Vec<f64> = in_parts(k, |range| {
        let mut products: Vec<f64> = range.clone().map(|j| row(k - 1)[j].abs()).collect();
        for i in 0..k - 1 {
            let gaps = row(i);
            for (product, j) in products.iter_mut().zip(range.clone()) {
                let pole = if i < j { d[i] } else { d[i + 1] };
                *product *= (gaps[j] / ((pole - d[j]) * (pole + d[j]))).abs();
            }
        }
        range
            .zip(products)
            .map(|(j, product)| product.sqrt().copysign(z[j]))
            .collect::<Vec<f64>>()
    })
    .concat();
    // v_i = z_hat / (d^2 - sigma_i^2) and u_i = (-1, d_1 v_i1, ...), each normalized.
    let columns = in_parts(k, |range| {
        let mut u = vec![0.0; range.len() * k];
        let mut v = vec![0.0; range.len() * k];
        for (at, i) in range.enumerate() {
            let gaps = row(i);
            let (u, v) = (&mut u[at * k..(at + 1) * k], &mut v[at * k..(at + 1) * k]);
            for j in 0..k {
                v[j] = z_hat[j] / gaps[j];
                u[j] = d[j] * v[j];
            }
            u[0] = -1.0;
            for x in [u, v] {
                let norm = x.iter().map(|t| t * t).sum::<f64>().sqrt();
                x.iter_mut().for_each(|t| *t /= norm);
            }
        }
        (u, v)
    });
    let left = columns.iter().flat_map(|(u, _)| u).copied().collect();
    let right = columns.iter().flat_map(|(_, v)| v).copied().collect();
    Some((roots, left, right))
}

/// f over runs of 0..k, on the pool's threads when k is large enough to pay (each item
/// here costs a pass over k values): the results in order.
fn in_parts<R: Send>(k: usize, f: impl Fn(std::ops::Range<usize>) -> R + Sync) -> Vec<R> {
    let parts = threads::parts_for(k, 128);
    each_part(parts, |p| f(p * k / parts..(p + 1) * k / parts))
}

/// f(0), ..., f(parts - 1) on the pool's threads (see `threads::run_parts`): the results
/// in order.
fn each_part<R: Send>(parts: usize, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    let slots: Vec<Mutex<Option<R>>> = (0..parts).map(|_| Mutex::new(None)).collect();
    threads::run_parts(parts, &|p| *slots[p].lock() = Some(f(p)));
    slots
        .into_iter()
        .map(|slot| slot.into_inner().expect("every part runs"))
        .collect()
}

/// Roots of the secular equation with, for each, d_j^2 - sigma^2 (rows of k entries).
struct Roots {
    roots: Vec<f64>,
    gaps: Vec<f64>,
}

/// The roots numbered `range` (see [`secular_root`]; `z2` holds the z_j^2); None if one
/// was not found.
fn secular_roots(d: &[f64], z2: &[f64], range: std::ops::Range<usize>) -> Option<Roots> {
    let k = d.len();
    let count = range.len();
    let mut found = Roots {
        roots: Vec::with_capacity(count),
        gaps: vec![0.0; count * k],
    };
    for (row, i) in range.enumerate() {
        let at = row * k..(row + 1) * k;
        let root = secular_root(d, z2, i, &mut found.gaps[at])?;
        found.roots.push(root);
    }
    Some(found)
}

/// Root i of 1 + sum z_j^2 / (d_j^2 - sigma^2) = 0, in (d_i, d_{i+1}) or, for the last,
/// above d_{k-1} (xLASD4). The unknown is tau = sigma^2 - d_o^2 with d_o the nearer end,
/// so that every d_j^2 - sigma^2 = (d_j - d_o)(d_j + d_o) - tau keeps its relative
/// accuracy; each step solves a model with the two nearest poles, kept inside a bracket
/// (bisection when it would leave it). Writes d_j^2 - sigma^2 into `gaps`.
fn secular_root(d: &[f64], z2: &[f64], i: usize, gaps: &mut [f64]) -> Option<f64> {
    let k = d.len();
    let last = i + 1 == k;
    let shifted = |o: usize, j: usize| (d[j] - d[o]) * (d[j] + d[o]);
    // d_j^2 - d_o^2 for the origin o, in `gaps` until the root is found.
    let shift_to = |o: usize, gaps: &mut [f64]| {
        for (j, x) in gaps.iter_mut().enumerate() {
            *x = shifted(o, j);
        }
    };
    // f, its slope from the poles left of the root (j <= i) and right of it, and the
    // sum of |terms| (the size of f's rounding error).
    let secular = |shifts: &[f64], tau: f64| {
        let left = secular_terms(&shifts[..=i], &z2[..=i], tau);
        let right = secular_terms(&shifts[i + 1..], &z2[i + 1..], tau);
        (1.0 + left.0 + right.0, left.2, right.2, left.1 + right.1)
    };
    shift_to(i, gaps);
    let (o, mut lo, mut hi, mut tau) = if last {
        let norm2: f64 = z2.iter().sum();
        (i, 0.0, norm2, norm2)
    } else {
        let half = shifted(i, i + 1) / 2.0;
        if secular(gaps, half).0 >= 0.0 {
            (i, 0.0, half, half)
        } else {
            shift_to(i + 1, gaps);
            (i + 1, -half, 0.0, -half)
        }
    };
    let mut converged = false;
    for _ in 0..MAX_ITERATIONS {
        let (f, left_slope, right_slope, size) = secular(gaps, tau);
        let error = f64::EPSILON * (8.0 * size + 1.0 + tau.abs() * (left_slope + right_slope));
        if f.abs() <= error {
            converged = true;
            break;
        }
        if f < 0.0 {
            lo = tau;
        } else {
            hi = tau;
        }
        let step = if last {
            // One pole (d_{k-1}) carrying the whole slope.
            let delta = shifted(o, i) - tau;
            let slope = left_slope + right_slope;
            let c = f - slope * delta;
            (c > 0.0).then(|| delta + slope * delta * delta / c)
        } else {
            two_pole_step(
                f,
                (shifted(o, i) - tau, left_slope),
                (shifted(o, i + 1) - tau, right_slope),
            )
        };
        let mut next = step.map_or(f64::NAN, |eta| tau + eta);
        if !(next > lo && next < hi) {
            next = lo + (hi - lo) / 2.0;
        }
        if next == tau {
            converged = true;
            break;
        }
        tau = next;
    }
    if !converged || !tau.is_finite() {
        return None;
    }
    // d_j^2 - sigma^2 = (d_j^2 - d_o^2) - tau: no cancellation (tau is at most half the
    // distance to the interval's other end).
    gaps.iter_mut().for_each(|x| *x -= tau);
    Some((d[o] * d[o] + tau).sqrt())
}

/// Over j: (sum t_j, sum |t_j|, sum t_j / (shifts_j - tau)) with t_j = z2_j / (shifts_j -
/// tau), in eight running sums (which the compiler keeps in one vector register each).
fn secular_terms(shifts: &[f64], z2: &[f64], tau: f64) -> (f64, f64, f64) {
    const LANES: usize = 8;
    let (mut sum, mut size, mut slope) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
    let mut add = |lane: usize, shift: f64, weight: f64| {
        let inverse = 1.0 / (shift - tau);
        let term = weight * inverse;
        sum[lane] += term;
        size[lane] += term.abs();
        slope[lane] += term * inverse;
    };
    let full = shifts.len() / LANES * LANES;
    for (a, b) in shifts[..full]
        .chunks_exact(LANES)
        .zip(z2[..full].chunks_exact(LANES))
    {
        for lane in 0..LANES {
            add(lane, a[lane], b[lane]);
        }
    }
    for j in full..shifts.len() {
        add(0, shifts[j], z2[j]);
    }
    let total = |x: [f64; LANES]| x.iter().sum::<f64>();
    (total(sum), total(size), total(slope))
}

/// The step eta to the zero between the poles of c + a / (dl - eta) + b / (dr - eta),
/// the model matching f and its left and right slopes at the current point (dl < 0 < dr
/// the poles' offsets from it).
fn two_pole_step(
    f: f64,
    (dl, left_slope): (f64, f64),
    (dr, right_slope): (f64, f64),
) -> Option<f64> {
    let a = left_slope * dl * dl;
    let b = right_slope * dr * dr;
    let c = f - left_slope * dl - right_slope * dr;
    // c eta^2 - p eta + q = 0
    let p = c * (dl + dr) + a + b;
    let q = c * dl * dr + a * dr + b * dl;
    if c == 0.0 {
        return (p != 0.0).then(|| q / p);
    }
    let discriminant = p * p - 4.0 * c * q;
    if discriminant < 0.0 {
        return None;
    }
    let half = 0.5 * (p + discriminant.sqrt().copysign(p));
    let candidates = [half / c, if half != 0.0 { q / half } else { f64::NAN }];
    candidates.into_iter().find(|&eta| eta > dl && eta < dr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::Mat;

    /// ||B - U S V^T|| / (n eps ||B||) and ||U^T U - I|| / (n eps), ||V^T V - I|| / (n eps).
    fn ratios(d: &[f64], e: &[f64], out: &BidiagonalSvd) -> (f64, f64, f64) {
        let n = d.len();
        let b = |i: usize, j: usize| {
            if i == j {
                d[i]
            } else if j == i + 1 {
                e[i]
            } else {
                0.0
            }
        };
        let norm = d
            .iter()
            .chain(e)
            .fold(0.0f64, |x, y| x.max(y.abs()))
            .max(f64::MIN_POSITIVE);
        let (mut residual, mut left, mut right) = (0.0f64, 0.0f64, 0.0f64);
        for i in 0..n {
            for j in 0..n {
                let mut x = b(i, j);
                let (mut uu, mut vv) = (
                    if i == j { -1.0 } else { 0.0 },
                    if i == j { -1.0 } else { 0.0 },
                );
                for l in 0..n {
                    x -= out.u[i + l * n] * out.s[l] * out.v[j + l * n];
                    uu += out.u[l + i * n] * out.u[l + j * n];
                    vv += out.v[l + i * n] * out.v[l + j * n];
                }
                residual = residual.max(x.abs());
                left = left.max(uu.abs());
                right = right.max(vv.abs());
            }
        }
        let unit = n as f64 * f64::EPSILON;
        (residual / (unit * norm), left / unit, right / unit)
    }

    /// A bidiagonal SVD under test: the divide and conquer with its leaf size, or the QR
    /// iteration (`bidiagonal_qr`, checked here on the same matrices).
    #[derive(Clone, Copy, Debug)]
    enum Solver {
        Leaf(usize),
        QrIteration,
    }

    fn check(d: &[f64], e: &[f64], solver: Solver, what: &str) {
        let out = match solver {
            Solver::Leaf(leaf) => solve_with_leaf(d, e, leaf),
            Solver::QrIteration => crate::lapack::bidiagonal_qr::svd(d, e),
        };
        let out = out.unwrap_or_else(|| panic!("{what}: no result"));
        let (residual, left, right) = ratios(d, e, &out);
        assert!(
            residual < 10.0 && left < 10.0 && right < 10.0,
            "{what}: residual {residual}, U {left}, V {right}"
        );
        assert!(
            out.s.windows(2).all(|w| w[0] >= w[1]) && out.s.iter().all(|&x| x >= 0.0),
            "{what}: order"
        );
        // The values against Jacobi on the whole matrix (accurate to a few ulps of each).
        let n = d.len();
        let b = Mat::<f64>::from_fn(n, n, |i, j| match j.wrapping_sub(i) {
            0 => d[i],
            1 => e[i],
            _ => 0.0,
        });
        let (reference, _, _) = crate::lapack::jacobi_svd::svd(&b, n, n);
        let largest = reference.first().copied().unwrap_or(0.0);
        for (x, y) in out.s.iter().zip(&reference) {
            assert!(
                (x - y).abs() <= 30.0 * d.len() as f64 * f64::EPSILON * largest,
                "{what}: value {x} against {y}"
            );
        }
    }

    fn random(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    #[test]
    fn random_and_structured_bidiagonals() {
        let mut seed = 7u64;
        for n in [1usize, 2, 3, 4, 5, 7, 8, 13, 17, 31, 40, 64, 97, 150] {
            for leaf in [
                Solver::Leaf(3),
                Solver::Leaf(4),
                Solver::Leaf(8),
                Solver::Leaf(16),
                Solver::Leaf(LEAF),
                Solver::QrIteration,
            ] {
                let d: Vec<f64> = (0..n).map(|_| random(&mut seed)).collect();
                let e: Vec<f64> = (0..n.saturating_sub(1))
                    .map(|_| random(&mut seed))
                    .collect();
                check(&d, &e, leaf, &format!("random n={n} {leaf:?}"));
                // Equal entries: many equal or close values (deflation by pairs).
                let ones = vec![1.0; n];
                check(
                    &ones,
                    &ones[..n.saturating_sub(1)],
                    leaf,
                    &format!("ones n={n} {leaf:?}"),
                );
                // Graded: values over 30 orders of magnitude.
                let graded: Vec<f64> = (0..n)
                    .map(|i| 10f64.powf(-(i as f64) * 30.0 / n as f64))
                    .collect();
                check(
                    &graded,
                    &graded[..n.saturating_sub(1)],
                    leaf,
                    &format!("graded n={n} {leaf:?}"),
                );
                // Zeros on the diagonal and off it (splits and zero values).
                let holes: Vec<f64> = d
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| if i % 3 == 1 { 0.0 } else { x })
                    .collect();
                let gaps: Vec<f64> = e
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| if i % 4 == 2 { 0.0 } else { x })
                    .collect();
                check(&holes, &gaps, leaf, &format!("zeros n={n} {leaf:?}"));
                // Tiny off-diagonal: z entries all but negligible.
                let tiny: Vec<f64> = e.iter().map(|x| x * 1e-17).collect();
                check(&d, &tiny, leaf, &format!("tiny e n={n} {leaf:?}"));
                check(
                    &ones,
                    &vec![0.0; n.saturating_sub(1)],
                    leaf,
                    &format!("identity n={n} {leaf:?}"),
                );
                // Clustered: values within 1e-10 of 1 (the vectors need the recomputed z).
                let near: Vec<f64> = d.iter().map(|x| 1.0 + 1e-10 * x).collect();
                let small: Vec<f64> = e.iter().map(|x| 1e-10 * x).collect();
                check(&near, &small, leaf, &format!("clustered n={n} {leaf:?}"));
                let zero = vec![0.0; n];
                check(
                    &zero,
                    &zero[..n.saturating_sub(1)],
                    leaf,
                    &format!("zero n={n} {leaf:?}"),
                );
            }
        }
    }

    #[test]
    fn not_finite_entries_give_none() {
        assert!(divide_and_conquer(&[1.0, f64::NAN], &[1.0]).is_none());
        assert!(divide_and_conquer(&[1.0, 2.0], &[f64::INFINITY]).is_none());
        assert!(crate::lapack::bidiagonal_qr::svd(&[1.0, f64::NAN], &[1.0]).is_none());
        assert!(crate::lapack::bidiagonal_qr::svd(&[1.0, 2.0], &[f64::INFINITY]).is_none());
    }
}
