"""xGELS, xGELSY and xGELSS against reference LAPACK: INFO (a singular triangular factor
for xGELS), RANK (xGELSY's incremental condition estimate, xGELSS's threshold), the
solution, the residual's components left in B, the factors left in A, JPVT, S,
workspace queries, scaling of tiny and huge inputs, and nothing written outside the
outputs."""

import numpy as np
from common import Arg, DTYPES, THRESH, eps, real_dtype

SENTINEL = 7.0


def store(a, ld, cols, dtype):
    full = np.full((max(ld, 1), max(cols, 1)), SENTINEL, dtype=dtype, order='F')
    full[:a.shape[0], :a.shape[1]] = a
    return full


def rhs(t, a, nrhs, dtype, rows=None):
    """A right-hand side with max(m, n) rows, the meaningful ones random."""
    m, n = a.shape
    b = t.random(max(m, n), nrhs, dtype)[1].copy(order='F')
    b[(rows if rows is not None else m):, :] = 0
    return b


def rel(x, y, scale):
    x, y = x.astype(np.complex128), y.astype(np.complex128)
    if x.size == 0:
        return 0.0
    return float(np.max(np.abs(x - y))) / max(scale, np.finfo(np.float64).tiny)


# ----- xGELS -----

def gels(t, lib, p, trans, a, b, ld_extra=0, lwork=None):
    dtype = DTYPES[p]
    m, n = a.shape
    nrhs = b.shape[1]
    lda, ldb = max(1, m) + ld_extra, max(1, m, n) + ld_extra
    fa, fb = store(a, lda, n, dtype), store(b, ldb, nrhs, dtype)
    q = np.zeros(1, dtype=dtype)
    t.call(lib, f'{p}gels_', Arg(trans), m, n, nrhs, fa, lda, fb, ldb, q, -1, 0)
    lw = int(q[0].real) if lwork is None else lwork
    work = np.full(max(lw, 1) + 4, SENTINEL, dtype=dtype)
    info = t.call(lib, f'{p}gels_', Arg(trans), m, n, nrhs, fa, lda, fb, ldb, work, lw, 0)[-1]
    return dict(info=info, a=fa, b=fb, work=work, lwork=lw, query=q[0].real)


def gels_case(t, p, trans, a, nrhs, name, ld_extra=0, b=None, minimum_lwork=False):
    dtype = DTYPES[p]
    m, n = a.shape
    k, rows = min(m, n), max(m, n)
    brows, xrows = (m, n) if trans == 'N' else (n, m)
    if b is None:
        b = rhs(t, a, nrhs, dtype, brows)
    label = f'{p}gels {trans} m={m} n={n} nrhs={nrhs} {name}'
    lwork = max(1, k + max(k, nrhs)) if minimum_lwork else None
    ours = gels(t, t.ours, p, trans, a, b, ld_extra, lwork)
    ref = gels(t, t.ref, p, trans, a, b, ld_extra, lwork)
    t.check(f'{label}: INFO', ours['info'] == ref['info'], f'ours {ours["info"]}, reference {ref["info"]}')
    t.check(f'{label}: query at least the reference', ours['query'] >= ref['query'],
            f'ours {ours["query"]}, reference {ref["query"]}')
    t.check(f'{label}: nothing past LWORK', np.all(ours['work'][max(ours['lwork'], 1):] == SENTINEL))
    t.check(f'{label}: nothing outside A and B',
            np.all(ours['a'][m:, :] == SENTINEL) and np.all(ours['b'][rows:, :] == SENTINEL))
    if ours['info'] != 0 or ref['info'] != 0:
        return
    if k == 0 or nrhs == 0 or not np.any(a):
        t.check(f'{label}: B zeroed', not np.any(ours['b'][:rows, :nrhs]))
        return
    x, x_ref = ours['b'][:xrows, :nrhs], ref['b'][:xrows, :nrhs]
    if not np.isfinite(a).all():
        t.check(f'{label}: NaN in X as in the reference', np.isnan(x).any() and np.isnan(x_ref).any())
        return
    s = np.linalg.svd(a.astype(np.complex128), compute_uv=False)
    cond = s[0] / s[-1]
    scale = max(np.max(np.abs(x_ref)), np.max(np.abs(b)) / s[0])
    r = rel(x, x_ref, scale) / (cond * rows * eps(dtype))
    t.check(f'{label}: X as the reference', r < THRESH, f'ratio {r:.3g}')
    # The factors left in A: the triangle as the reference's.
    tri = np.triu(ours['a'][:k, :n]) if m >= n else np.tril(ours['a'][:m, :k])
    tri_ref = np.triu(ref['a'][:k, :n]) if m >= n else np.tril(ref['a'][:m, :k])
    r = rel(tri, tri_ref, np.max(np.abs(tri_ref))) / (rows * eps(dtype))
    t.check(f'{label}: triangular factor as the reference', r < THRESH * cond, f'ratio {r:.3g}')
    a64 = a.astype(np.complex128)
    op = a64 if trans == 'N' else a64.conj().T
    resid = b[:brows].astype(np.complex128) - op @ x.astype(np.complex128)
    norm_a, norm_b = np.linalg.norm(a64, 1), max(np.linalg.norm(b, 1), 1e-300)
    if brows >= xrows:
        # Netlib's normal-equations test ||op(A)^H r|| / (||A|| ||B|| max(m,n) eps).
        r = np.linalg.norm(op.conj().T @ resid, 1) / (norm_a * norm_b * rows * eps(dtype))
        t.check(f'{label}: op(A)^H residual', r < THRESH * cond, f'ratio {r:.3g}')
        if brows > xrows:
            # Rows xrows+1..brows hold the residual's components, in B's scaled units as
            # the reference leaves them: the same column norms as the reference's.
            tail, tail_ref = ours['b'][xrows:brows, :nrhs], ref['b'][xrows:brows, :nrhs]
            big = max(np.max(np.abs(tail_ref)), np.finfo(np.float64).tiny)
            norms = np.linalg.norm((tail / big).astype(np.complex128), axis=0)
            norms_ref = np.linalg.norm((tail_ref / big).astype(np.complex128), axis=0)
            bscale = np.max(np.abs(ref['b'][:brows, :nrhs])) / big
            r = np.max(np.abs(norms - norms_ref)) / (max(bscale, 1.0) * rows * cond * eps(dtype))
            t.check(f'{label}: residual norms in rows {xrows + 1}..{brows}', r < THRESH, f'ratio {r:.3g}')
    else:
        r = np.linalg.norm(resid, 1) / (norm_a * max(np.linalg.norm(x, 1), 1e-300) * rows * eps(dtype))
        t.check(f'{label}: op(A) X = B', r < THRESH * cond, f'ratio {r:.3g}')


def run_gels(t):
    shapes = [(1, 1), (3, 3), (5, 3), (3, 5), (40, 13), (13, 40), (60, 60), (150, 140), (140, 150), (300, 130)]
    for p, dtype in DTYPES.items():
        transposes = ['N', 'T' if p in 'sd' else 'C']
        for trans in transposes:
            for m, n in shapes:
                for nrhs in [1, 3]:
                    gels_case(t, p, trans, t.random(m, n, dtype)[1].copy(order='F'), nrhs, 'random')
                gels_case(t, p, trans, t.random(m, n, dtype)[1].copy(order='F'), 2, 'lda, ldb > rows', ld_extra=3)
                gels_case(t, p, trans, t.random(m, n, dtype)[1].copy(order='F'), 20, 'minimum LWORK',
                          minimum_lwork=True)
            for m, n, nrhs in [(0, 0, 2), (0, 3, 2), (3, 0, 2), (4, 3, 0), (3, 4, 0)]:
                gels_case(t, p, trans, t.random(m, n, dtype)[1].copy(order='F'), nrhs, 'empty')
            gels_case(t, p, trans, np.zeros((6, 4), dtype=dtype, order='F'), 2, 'zero matrix')
            gels_case(t, p, trans, np.zeros((4, 6), dtype=dtype, order='F'), 2, 'zero matrix')
            for m, n in [(8, 5), (5, 8), (140, 135), (135, 140)]:
                a = t.random(m, n, dtype)[1].copy(order='F')
                if m >= n:
                    a[:, 2] = 0
                else:
                    a[2, :] = 0
                gels_case(t, p, trans, a, 2, 'exactly singular factor')
            big = 1e3 if p in 'sc' else 1e8
            for m, n in [(30, 20), (20, 30)]:
                a = t.with_singular_values(m, n, dtype, np.geomspace(1, 1 / big, min(m, n)))
                gels_case(t, p, trans, a, 2, f'cond {big:g}')
            tiny, huge = (1e-35, 1e35) if p in 'sc' else (1e-300, 1e300)
            for factor in [tiny, huge]:
                for m, n in [(12, 8), (8, 12)]:
                    a = np.asfortranarray(t.random(m, n, dtype)[1] * dtype(factor))
                    gels_case(t, p, trans, a, 2, f'A scaled by {factor:g}')
                    a = t.random(m, n, dtype)[1].copy(order='F')
                    brows = m if trans == 'N' else n
                    b = rhs(t, a, 2, dtype, brows) * dtype(factor)
                    gels_case(t, p, trans, a, 2, f'B scaled by {factor:g}', b=np.asfortranarray(b))
            for m, n in [(6, 4), (4, 6)]:
                a = t.random(m, n, dtype)[1].copy(order='F')
                a[1, 1] = np.nan
                gels_case(t, p, trans, a, 2, 'NaN in A')


# ----- xGELSY -----

def gelsy(t, lib, p, a, b, rcond, jpvt_in, ld_extra=0, lwork=None):
    dtype = DTYPES[p]
    rdtype = real_dtype(dtype)
    m, n = a.shape
    nrhs = b.shape[1]
    lda, ldb = max(1, m) + ld_extra, max(1, m, n) + ld_extra
    fa, fb = store(a, lda, n, dtype), store(b, ldb, nrhs, dtype)
    jpvt = np.array(list(jpvt_in) + [-5], dtype=np.int32)
    rc = np.array([rcond], dtype=rdtype)
    extra = [np.full(2 * max(n, 1) + 4, SENTINEL, dtype=rdtype)] if p in 'cz' else []
    q = np.zeros(1, dtype=dtype)
    t.call(lib, f'{p}gelsy_', m, n, nrhs, fa, lda, fb, ldb, jpvt, rc, 0, q, -1, *extra, 0)
    lw = int(q[0].real) if lwork is None else lwork
    work = np.full(max(lw, 1) + 4, SENTINEL, dtype=dtype)
    ints = t.call(lib, f'{p}gelsy_', m, n, nrhs, fa, lda, fb, ldb, jpvt, rc, 0, work, lw, *extra, 0)
    return dict(info=ints[-1], rank=ints[-3], a=fa, b=fb, jpvt=jpvt, work=work, lwork=lw, query=q[0].real)


def gelsy_case(t, p, a, nrhs, name, rcond=1e-8, fixed=(), ld_extra=0, b=None, minimum_lwork=False,
               compare_solution=True):
    dtype = DTYPES[p]
    m, n = a.shape
    k, rows = min(m, n), max(m, n)
    if b is None:
        b = rhs(t, a, nrhs, dtype)
    jpvt_in = [1 if j in fixed else 0 for j in range(n)]
    label = f'{p}gelsy m={m} n={n} nrhs={nrhs} {name}'
    lwork = k + max(2 * k, n + 1, k + nrhs) if minimum_lwork else None
    ours = gelsy(t, t.ours, p, a, b, rcond, jpvt_in, ld_extra, lwork)
    # (The reference's real xGELSY fails its own xGEQP3's LWORK check at its minimum.)
    ref = gelsy(t, t.ref, p, a, b, rcond, jpvt_in, ld_extra)
    t.check(f'{label}: INFO', ours['info'] == ref['info'] == 0, f'ours {ours["info"]}, reference {ref["info"]}')
    t.check(f'{label}: RANK as the reference', ours['rank'] == ref['rank'], f'ours {ours["rank"]}, reference {ref["rank"]}')
    t.check(f'{label}: query at least the reference', ours['query'] >= ref['query'],
            f'ours {ours["query"]}, reference {ref["query"]}')
    t.check(f'{label}: nothing past LWORK, JPVT(n)', np.all(ours['work'][max(ours['lwork'], 1):] == SENTINEL)
            and ours['jpvt'][n] == -5)
    t.check(f'{label}: nothing outside A and B',
            np.all(ours['a'][m:, :] == SENTINEL) and np.all(ours['b'][rows:, :] == SENTINEL))
    if k == 0 or nrhs == 0:
        t.check(f'{label}: A, B and JPVT untouched', np.array_equal(ours['a'][:m, :n], a)
                and np.array_equal(ours['b'][:b.shape[0], :nrhs], b) and list(ours['jpvt'][:n]) == jpvt_in)
        return
    if not np.any(a):
        t.check(f'{label}: B zeroed, RANK 0', not np.any(ours['b'][:rows, :nrhs]) and ours['rank'] == 0)
        return
    rank = ref['rank']
    # Past the rank the columns left are rounding noise: their order is arbitrary. In
    # single precision a rank-deficient A's remaining columns tie to rounding before
    # that, so xGEQP3's choices may differ; T11's singular values must agree anyway.
    lead = n if rank == k else rank
    same_pivots = np.array_equal(ours['jpvt'][:lead], ref['jpvt'][:lead])
    if p in 'dz':
        t.check(f'{label}: JPVT(1:{lead}) as the reference', same_pivots,
                f'{ours["jpvt"][:lead]} vs {ref["jpvt"][:lead]}')
    elif rank == k:
        # Single precision: two partial column norms can tie to rounding, and either
        # choice is xGEQP3's; the pivots' |R(j,j)| then still agree with the reference's.
        d = np.abs(np.diag(ours['a'][:k, :k]).astype(np.complex128))
        d_ref = np.abs(np.diag(ref['a'][:k, :k]).astype(np.complex128))
        r = np.max(np.abs(d - d_ref) / d_ref) / (rows * eps(dtype))
        t.check(f'{label}: JPVT(1:{lead}) as the reference or a tie (|R(j,j)| as the reference)',
                same_pivots or r < THRESH, f'ratio {r:.3g}; {ours["jpvt"][:lead]} vs {ref["jpvt"][:lead]}')
    x, x_ref = ours['b'][:n, :nrhs], ref['b'][:n, :nrhs]
    # The solution is that of the rank-r problem: its conditioning is R11's.
    t11 = np.triu(ours['a'][:rank, :rank]).astype(np.complex128)
    t11_ref = np.triu(ref['a'][:rank, :rank]).astype(np.complex128)
    sv = np.linalg.svd(t11_ref, compute_uv=False)
    cond = sv[0] / sv[-1]
    if same_pivots:
        r = rel(t11, t11_ref, sv[0]) / (rows * eps(dtype))
        t.check(f'{label}: T11 as the reference', r < THRESH * cond, f'ratio {r:.3g}')
    sa = np.linalg.svd(a.astype(np.complex128), compute_uv=False)
    r = np.max(np.abs(np.linalg.svd(t11, compute_uv=False) - sa[:rank])) / (sa[0] * rows * eps(dtype))
    # (Unless RCOND cut off singular values that are not negligible.)
    exact = rank == k or sa[rank] <= 10 * rows * eps(dtype) * sa[0]
    t.check(f'{label}: singular values of T11 are those of A', not exact or r < THRESH * cond, f'ratio {r:.3g}')
    if compare_solution:
        scale = max(np.max(np.abs(x_ref)), np.max(np.abs(b)) / sv[0])
        r = rel(x, x_ref, scale) / (cond * rows * eps(dtype))
        t.check(f'{label}: X as the reference', r < THRESH, f'ratio {r:.3g}')
    if rank == k:
        a64 = a.astype(np.complex128)
        resid = b[:m].astype(np.complex128) - a64 @ x.astype(np.complex128)
        r = np.linalg.norm(a64.conj().T @ resid, 1) / (np.linalg.norm(a64, 1) * np.linalg.norm(b, 1) * rows * eps(dtype))
        t.check(f'{label}: A^H residual', r < THRESH * cond, f'ratio {r:.3g}')


def netlib_like(t, m, n, rank, dtype, scale):
    """A rank-r matrix as Netlib's xQRT15 builds them: random factors, singular values
    spread over [eps-ish, 1], then scaled by a tiny or huge norm."""
    values = np.r_[np.geomspace(1, 1e-2, rank), np.zeros(min(m, n) - rank)]
    return np.asfortranarray(t.with_singular_values(m, n, dtype, values) * dtype(scale))


def run_gelsy(t):
    shapes = [(1, 1), (5, 3), (3, 5), (20, 20), (40, 13), (13, 40), (70, 50), (50, 70)]
    for p, dtype in DTYPES.items():
        for m, n in shapes:
            for nrhs in [1, 3]:
                gelsy_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), nrhs, 'random')
            gelsy_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 2, 'lda, ldb > rows', ld_extra=2)
            gelsy_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 4, 'minimum LWORK', minimum_lwork=True)
        gelsy_case(t, p, t.random(30, 20, dtype)[1].copy(order='F'), 2, 'fixed 2,5,9', fixed=(2, 5, 9))
        for m, n, nrhs in [(0, 0, 2), (0, 3, 2), (3, 0, 2), (4, 3, 0)]:
            gelsy_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), nrhs, 'empty')
        gelsy_case(t, p, np.zeros((6, 4), dtype=dtype, order='F'), 2, 'zero matrix')
        tiny, huge = (1e-35, 1e35) if p in 'sc' else (1e-300, 1e300)
        for m, n in [(20, 15), (15, 20), (25, 25), (60, 40)]:
            k = min(m, n)
            for rank in [k * 3 // 10, k // 2, k * 9 // 10]:
                for scale in [1.0, tiny, huge]:
                    a = netlib_like(t, m, n, max(rank, 1), dtype, scale)
                    rcond = 1e-3 if p in 'sc' else 1e-6
                    gelsy_case(t, p, a, 2, f'rank {max(rank, 1)} scaled {scale:g}', rcond=rcond)
        for rcond in [0.0, 0.02, 0.5]:
            a = t.with_singular_values(30, 20, dtype, np.geomspace(1, 1e-3, 20))
            gelsy_case(t, p, a, 2, f'rcond {rcond}', rcond=rcond, compare_solution=rcond != 0.0)
        # Rank >= 128 with rank < n: the blocked RZ reduction.
        gelsy_case(t, p, t.random(150, 300, dtype)[1].copy(order='F'), 3, 'wide, blocked RZ')
        values = np.r_[np.geomspace(1, 1e-2, 150), np.zeros(50)]
        gelsy_case(t, p, t.with_singular_values(300, 200, dtype, values), 3, 'rank 150, blocked RZ',
                   rcond=1e-3 if p in 'sc' else 1e-6)
        # Past 32 + 128 columns GEQP3 goes in xLAQPS panels.
        for m, n in [(320, 260), (260, 320), (400, 180)]:
            gelsy_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 2, 'blocked GEQP3')
        gelsy_case(t, p, t.random(300, 240, dtype)[1].copy(order='F'), 2, 'blocked GEQP3, fixed',
                   fixed=tuple(range(0, 240, 9)))
        gelsy_case(t, p, t.random(280, 250, dtype)[1].copy(order='F'), 2, 'blocked GEQP3, minimum LWORK',
                   minimum_lwork=True)
        for rank in [100, 230]:
            gelsy_case(t, p, netlib_like(t, 300, 260, rank, dtype, 1.0), 2, f'blocked GEQP3, rank {rank}',
                       rcond=1e-3 if p in 'sc' else 1e-6)
        a = t.random(12, 8, dtype)[1].copy(order='F')
        b = rhs(t, a, 2, dtype) * dtype(huge)
        gelsy_case(t, p, a, 2, 'B huge', b=np.asfortranarray(b))


# ----- xGELSS -----

def gelss(t, lib, p, a, b, rcond, lwork=None):
    dtype = DTYPES[p]
    rdtype = real_dtype(dtype)
    m, n = a.shape
    nrhs = b.shape[1]
    lda, ldb = max(1, m), max(1, m, n)
    fa, fb = store(a, lda, n, dtype), store(b, ldb, nrhs, dtype)
    k = min(m, n)
    s = np.full(k + 2, SENTINEL, dtype=rdtype)
    rc = np.array([rcond], dtype=rdtype)
    extra = [np.full(5 * max(k, 1) + 4, SENTINEL, dtype=rdtype)] if p in 'cz' else []
    q = np.zeros(1, dtype=dtype)
    t.call(lib, f'{p}gelss_', m, n, nrhs, fa, lda, fb, ldb, s, rc, 0, q, -1, *extra, 0)
    lw = int(q[0].real) if lwork is None else lwork
    work = np.full(max(lw, 1) + 4, SENTINEL, dtype=dtype)
    ints = t.call(lib, f'{p}gelss_', m, n, nrhs, fa, lda, fb, ldb, s, rc, 0, work, lw, *extra, 0)
    return dict(info=ints[-1], rank=ints[-3], a=fa, b=fb, s=s, work=work, lwork=lw, query=q[0].real)


def gelss_minimum(p, m, n, nrhs):
    k, big = min(m, n), max(m, n)
    if k == 0:
        return 1
    if p in 'cz':
        return 2 * k + max(nrhs, big)
    rows = n if m >= n and m >= int(np.float32(k) * np.float32(1.6)) else big
    return max(3 * k + rows, 3 * k + nrhs, 5 * k)


def gelss_case(t, p, a, nrhs, name, rcond=-1.0, b=None, minimum_lwork=False):
    dtype = DTYPES[p]
    m, n = a.shape
    k, rows = min(m, n), max(m, n)
    if b is None:
        b = rhs(t, a, nrhs, dtype)
    label = f'{p}gelss m={m} n={n} nrhs={nrhs} {name}'
    lwork = gelss_minimum(p, m, n, nrhs) if minimum_lwork else None
    ours = gelss(t, t.ours, p, a, b, rcond, lwork)
    ref = gelss(t, t.ref, p, a, b, rcond, lwork)
    t.check(f'{label}: INFO', ours['info'] == ref['info'] == 0, f'ours {ours["info"]}, reference {ref["info"]}')
    t.check(f'{label}: RANK as the reference', ours['rank'] == ref['rank'], f'ours {ours["rank"]}, reference {ref["rank"]}')
    t.check(f'{label}: query at least the minimum', ours['query'] >= gelss_minimum(p, m, n, nrhs))
    t.check(f'{label}: nothing past LWORK, S(k)', np.all(ours['work'][max(ours['lwork'], 1):] == SENTINEL)
            and np.all(ours['s'][k:] == SENTINEL))
    t.check(f'{label}: B rows past max(m,n) untouched', np.all(ours['b'][rows:] == SENTINEL))
    if k == 0:
        return
    s, s_ref = ours['s'][:k].astype(np.float64), ref['s'][:k].astype(np.float64)
    smax = max(s_ref[0], np.finfo(np.float64).tiny)
    r = np.max(np.abs(s - s_ref)) / (smax * rows * eps(dtype))
    t.check(f'{label}: S', r < THRESH, f'ratio {r:.3g}')
    if not np.any(a):
        t.check(f'{label}: B zeroed', not np.any(ours['b'][:rows, :nrhs]))
        return
    # A's first min(m, n) rows: the right singular vectors (orthonormal rows).
    vh = ours['a'][:k, :n].astype(np.complex128)
    r = np.max(np.abs(vh @ vh.conj().T - np.eye(k))) / (rows * eps(dtype))
    t.check(f'{label}: rows of A are orthonormal right singular vectors', r < THRESH, f'ratio {r:.3g}')
    rank = ref['rank']
    if nrhs == 0 or rank == 0:
        return
    cond = s_ref[0] / s_ref[rank - 1]
    x, x_ref = ours['b'][:n, :nrhs], ref['b'][:n, :nrhs]
    scale = max(np.max(np.abs(x_ref)), np.max(np.abs(b)) / smax)
    r = rel(x, x_ref, scale) / (cond * rows * eps(dtype))
    t.check(f'{label}: X as the reference', r < THRESH, f'ratio {r:.3g}')


def run_gelss(t):
    shapes = [(1, 1), (5, 3), (3, 5), (20, 20), (40, 13), (13, 40), (60, 59), (100, 30), (30, 100)]
    for p, dtype in DTYPES.items():
        for m, n in shapes:
            for nrhs in [1, 3]:
                gelss_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), nrhs, 'random')
            gelss_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 4, 'minimum LWORK', minimum_lwork=True)
        for m, n in [(0, 0), (0, 3), (3, 0)]:
            gelss_case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 2, 'empty')
        gelss_case(t, p, t.random(6, 4, dtype)[1].copy(order='F'), 0, 'nrhs = 0')
        gelss_case(t, p, np.zeros((6, 4), dtype=dtype, order='F'), 2, 'zero matrix')
        for m, n in [(30, 20), (20, 30)]:
            k = min(m, n)
            values = np.r_[np.geomspace(1, 0.1, k - 5), np.zeros(5)]
            gelss_case(t, p, t.with_singular_values(m, n, dtype, values), 2, 'rank k-5', rcond=1e-3)
            values = np.geomspace(1, 1e-4, k)
            for rcond in [0.0, 0.025, 0.5]:
                gelss_case(t, p, t.with_singular_values(m, n, dtype, values), 2, f'rcond {rcond}', rcond=rcond)
        tiny, huge = (1e-35, 1e35) if p in 'sc' else (1e-300, 1e300)
        for factor in [tiny, huge]:
            a = np.asfortranarray(t.random(12, 8, dtype)[1] * dtype(factor))
            gelss_case(t, p, a, 2, f'A scaled by {factor:g}')


def run(t):
    run_gels(t)
    run_gelsy(t)
    run_gelss(t)


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    b = np.zeros((4, 4), order='F')
    s = np.zeros(4)
    w = np.zeros(64)
    jp = np.zeros(4, dtype=np.int32)
    rc = np.array([-1.0])
    return [
        ('DGELS', 1, [Arg('C'), 2, 2, 1, a, 2, b, 2, w, 64, 0]),
        ('DGELS', 2, [Arg('N'), -1, 2, 1, a, 1, b, 2, w, 64, 0]),
        ('DGELS', 3, [Arg('N'), 2, -1, 1, a, 2, b, 2, w, 64, 0]),
        ('DGELS', 4, [Arg('N'), 2, 2, -1, a, 2, b, 2, w, 64, 0]),
        ('DGELS', 6, [Arg('N'), 3, 2, 1, a, 2, b, 3, w, 64, 0]),
        ('DGELS', 8, [Arg('N'), 2, 3, 1, a, 2, b, 2, w, 64, 0]),
        ('DGELS', 10, [Arg('N'), 2, 2, 1, a, 2, b, 2, w, 2, 0]),
        ('DGELSY', 1, [-1, 2, 1, a, 2, b, 2, jp, rc, 0, w, 64, 0]),
        ('DGELSY', 2, [2, -1, 1, a, 2, b, 2, jp, rc, 0, w, 64, 0]),
        ('DGELSY', 3, [2, 2, -1, a, 2, b, 2, jp, rc, 0, w, 64, 0]),
        ('DGELSY', 5, [3, 2, 1, a, 2, b, 3, jp, rc, 0, w, 64, 0]),
        ('DGELSY', 7, [2, 3, 1, a, 2, b, 2, jp, rc, 0, w, 64, 0]),
        ('DGELSY', 12, [2, 2, 1, a, 2, b, 2, jp, rc, 0, w, 5, 0]),
        ('DGELSS', 1, [-1, 2, 1, a, 2, b, 2, s, rc, 0, w, 64, 0]),
        ('DGELSS', 2, [2, -1, 1, a, 2, b, 2, s, rc, 0, w, 64, 0]),
        ('DGELSS', 3, [2, 2, -1, a, 2, b, 2, s, rc, 0, w, 64, 0]),
        ('DGELSS', 5, [3, 2, 1, a, 2, b, 3, s, rc, 0, w, 64, 0]),
        ('DGELSS', 7, [2, 3, 1, a, 2, b, 2, s, rc, 0, w, 64, 0]),
        ('DGELSS', 12, [2, 2, 1, a, 2, b, 2, s, rc, 0, w, 9, 0]),
    ]
