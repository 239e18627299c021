"""xGELQF, xGERQF, xORGLQ/xUNGLQ, xORMLQ/xUNMLQ against reference LAPACK. Our factors
are also handed to the reference's consumers (ORGLQ, ORGRQ, ORMRQ), which proves the
storage contract (reflectors, TAU, their placement), not only the arithmetic."""

import numpy as np
from common import Arg, DTYPES, THRESH, eps, ratio

SHAPES = [(0, 0), (0, 3), (3, 0), (1, 1), (1, 5), (5, 1), (7, 10), (10, 7), (33, 33),
          (40, 100), (100, 40), (130, 257), (200, 140)]
SENTINEL = 3.0


def orglq_name(p):
    return f'{p}orglq_' if p in 'sd' else f'{p}unglq_'


def ormlq_name(p):
    return f'{p}ormlq_' if p in 'sd' else f'{p}unmlq_'


def orgrq_name(p):
    return f'{p}orgrq_' if p in 'sd' else f'{p}ungrq_'


def ormrq_name(p):
    return f'{p}ormrq_' if p in 'sd' else f'{p}unmrq_'


def factor(t, lib, p, kind, a, ld, lwork=None):
    """xGELQF or xGERQF (kind 'lq' / 'rq') on a copy with leading dimension ld."""
    m, n = a.shape
    full = np.full((ld, max(n, 1)), SENTINEL, dtype=a.dtype, order='F')
    full[:m, :n] = a
    k = min(m, n)
    tau = np.full(k + 2, SENTINEL, dtype=a.dtype)
    lw = max(m, 1) * 64 if lwork is None else lwork
    work = np.zeros(max(lw, 1), dtype=a.dtype)
    info = t.call(lib, f'{p}ge{kind}f_', m, n, full, ld, tau, work, lw, 0)[-1]
    return full, tau, info


def q_rows(t, lib, p, kind, fac, tau, m, n):
    """The k x n matrix of Q's k = min(m, n) rows that A = L Q (R Q) uses, by `lib`'s
    ORGLQ (ORGRQ): the first k rows for LQ, the last k for RQ."""
    k = min(m, n)
    rows = fac[:k, :n] if kind == 'lq' else fac[m - k:m, :n]
    q = np.asfortranarray(rows.copy())
    work = np.zeros(max(k, 1) * 64, dtype=fac.dtype)
    name = orglq_name(p) if kind == 'lq' else orgrq_name(p)
    info = t.call(lib, name, k, n, k, q, max(1, k), tau, work, len(work), 0)[-1]
    return q, info


def triangle(kind, fac, m, n):
    """L (m x k, lower trapezoidal) of LQ, or R (m x k, upper trapezoidal, the last k
    columns of A's storage) of RQ."""
    k = min(m, n)
    if kind == 'lq':
        return np.tril(fac[:m, :k])
    # R(i, j) of the m x k factor lies at A(i, n - k + j), nonzero for i <= m - k + j.
    return np.triu(fac[:m, n - k:n], -(m - k))


def factor_case(t, p, kind, a, name, ld_extra=0, compare=True):
    m, n = a.shape
    dtype = DTYPES[p]
    ld = max(1, m + ld_extra)
    label = f'{p}ge{kind}f {m}x{n} {name}' + (f' lda={ld}' if ld_extra else '')
    mine, tau, info = factor(t, t.ours, p, kind, a, ld)
    theirs, tau_ref, ref_info = factor(t, t.ref, p, kind, a, ld)
    k = min(m, n)
    t.check(f'{label}: INFO', info == ref_info == 0, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: nothing written outside A and TAU(1:k)',
            np.all(mine[m:] == SENTINEL) and np.all(tau[k:] == SENTINEL)
            and np.all(mine[:, n:] == SENTINEL))
    if not k or not np.isfinite(a).all():
        return
    tri = triangle(kind, mine, m, n)
    if compare:
        d = ratio(tri - triangle(kind, theirs, m, n), a, max(m, n), dtype)
        t.check(f'{label}: triangle as the reference', d < THRESH, f'ratio {d:.3g}')
        tr = np.max(np.abs(tau[:k] - tau_ref[:k])) / eps(dtype)
        t.check(f'{label}: TAU as the reference', tr < THRESH * max(m, n), f'{tr:.3g} ulp')
    consumers = [(t.ref, 'reference')] + ([(t.ours, 'our')] if kind == 'lq' else [])
    for lib, who in consumers:
        q, qinfo = q_rows(t, lib, p, kind, mine, tau, m, n)
        res = ratio(tri.astype(np.complex128) @ q - a, a, max(m, n), dtype)
        t.check(f'{label}: A = {"LQ" if kind == "lq" else "RQ"} with {who} ORG{kind.upper()}',
                qinfo == 0 and res < THRESH, f'INFO {qinfo}, ratio {res:.3g}')
        orth = ratio(q.astype(np.complex128) @ q.conj().T - np.eye(k), 1.0, n, dtype)
        t.check(f'{label}: Q Q^H = I with {who} ORG{kind.upper()}', orth < THRESH, f'ratio {orth:.3g}')


def orglq_case(t, p, m, n, k):
    """Our ORGLQ on the reference's GELQF output equals the reference's ORGLQ."""
    dtype = DTYPES[p]
    fac, tau, _ = factor(t, t.ref, p, 'lq', t.random(m, n, dtype)[1], max(1, m))
    fac = fac[:max(1, m), :max(n, 1)]
    work = np.zeros(max(m, 1) * 64, dtype=dtype)
    mine, theirs = np.asfortranarray(fac.copy()), np.asfortranarray(fac.copy())
    info = t.call(t.ours, orglq_name(p), m, n, k, mine, max(1, m), tau, work, len(work), 0)[-1]
    ref_info = t.call(t.ref, orglq_name(p), m, n, k, theirs, max(1, m), tau, work, len(work), 0)[-1]
    label = f'{orglq_name(p)[:-1]} m={m} n={n} k={k}'
    t.check(f'{label}: INFO', info == ref_info == 0, f'{info} {ref_info}')
    d = ratio(mine[:m, :n] - theirs[:m, :n], 1.0, max(n, 1), dtype)
    t.check(f'{label}: as the reference', d < THRESH, f'ratio {d:.3g}')


def ormlq_case(t, p, side, trans, m, n, k):
    """op(Q) C from the same reflector matrix factored by us and by the reference: our
    ORMLQ on our GELQF factors against the reference's ORMLQ on its own, and the
    reference's ORMRQ on our GERQF factors against it on its own."""
    dtype = DTYPES[p]
    nq = m if side == 'L' else n
    c = t.random(m, n, dtype)[1]
    a = t.random(k, nq, dtype)[1]
    work = np.zeros(max(m, n, 1) * 64 + 4160, dtype=dtype)
    for kind, name in [('lq', ormlq_name(p)), ('rq', ormrq_name(p))]:
        fac, tau, _ = factor(t, t.ours, p, kind, a, max(1, k))
        fac_ref, tau_ref, _ = factor(t, t.ref, p, kind, a, max(1, k))
        mine, theirs = np.asfortranarray(c.copy()), np.asfortranarray(c.copy())
        args = lambda f, tu, out: [Arg(side), Arg(trans), m, n, k, f, max(1, k), tu, out, max(1, m), work,
                                   len(work), 0]
        before = fac.copy()
        label = f'{name[:-1]} {side}{trans} m={m} n={n} k={k}'
        applier = t.ours if kind == 'lq' else t.ref
        info = t.call(applier, name, *args(fac, tau, mine))[-1]
        ref_info = t.call(t.ref, name, *args(fac_ref, tau_ref, theirs))[-1]
        t.check(f'{label}: INFO', info == ref_info == 0, f'{info} {ref_info}')
        t.check(f'{label}: A not modified', np.array_equal(before, fac))
        d = ratio(mine - theirs, c, max(m, n, 1), dtype)
        who = 'ours on our GELQF' if kind == 'lq' else "the reference's on our GERQF"
        t.check(f'{label}: {who} as the reference', d < THRESH, f'ratio {d:.3g}')


def query_case(t, p):
    """LWORK = -1 answers at least LAPACK's minimum and the reference's size; the
    documented minimum works."""
    dtype = DTYPES[p]
    a = np.zeros((30, 50), dtype=dtype, order='F')
    tau = np.zeros(30, dtype=dtype)
    for kind in ['lq', 'rq']:
        sizes = []
        for lib in [t.ours, t.ref]:
            w = np.zeros(1, dtype=dtype)
            t.call(lib, f'{p}ge{kind}f_', 30, 50, a, 30, tau, w, -1, 0)
            sizes.append(w[0].real)
        t.check(f'{p}ge{kind}f query', sizes[0] >= max(sizes[1], 30), f'ours {sizes[0]}, reference {sizes[1]}')
        b = np.asfortranarray(t.random(30, 50, dtype)[1])
        info = t.call(t.ours, f'{p}ge{kind}f_', 30, 50, b, 30, tau, np.zeros(30, dtype), 30, 0)[-1]
        t.check(f'{p}ge{kind}f with the minimum LWORK', info == 0, f'INFO {info}')
    for name, args in [(orglq_name(p), [20, 30, 10, a, 30, tau]),
                       (ormlq_name(p), [Arg('L'), Arg('N'), 30, 20, 10, a, 30, tau, a, 30])]:
        sizes = []
        for lib in [t.ours, t.ref]:
            w = np.zeros(1, dtype=dtype)
            t.call(lib, name, *args, w, -1, 0)
            sizes.append(w[0].real)
        t.check(f'{name[:-1]} query', sizes[0] >= sizes[1], f'ours {sizes[0]}, reference {sizes[1]}')


def run(t):
    for p, dtype in DTYPES.items():
        for kind in ['lq', 'rq']:
            for m, n in SHAPES:
                factor_case(t, p, kind, t.random(m, n, dtype)[1], 'random')
                factor_case(t, p, kind, t.random(m, n, dtype)[1], 'random', ld_extra=2)
            big = 1e5 if p in 'sc' else 1e13
            factor_case(t, p, kind, t.with_singular_values(50, 80, dtype, np.geomspace(1, 1 / big, 50)),
                        f'cond {big:g}', compare=False)
            factor_case(t, p, kind, t.with_singular_values(70, 70, dtype, np.r_[np.ones(30), np.zeros(40)]),
                        'rank-deficient', compare=False)
            factor_case(t, p, kind, np.zeros((9, 20), dtype=dtype, order='F'), 'zero matrix')
            for bad in [np.nan, np.inf]:
                a = t.random(40, 40, dtype)[1].copy()
                a[7, 5] = bad
                factor_case(t, p, kind, a, f'{bad} inside')
        for m, n, k in [(0, 0, 0), (0, 5, 0), (1, 1, 1), (10, 10, 10), (30, 40, 20), (70, 100, 70), (90, 90, 33),
                        (140, 200, 140)]:
            orglq_case(t, p, m, n, k)
        trans_ops = 'NT' if p in 'sd' else 'NC'
        for side in 'LR':
            for trans in trans_ops:
                for m, n, k in [(0, 3, 0), (3, 0, 0), (1, 1, 1), (20, 15, 10), (70, 50, 40), (50, 70, 45),
                                (150, 140, 135)]:
                    if k <= (m if side == 'L' else n):
                        ormlq_case(t, p, side, trans, m, n, k)
        query_case(t, p)


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    c = np.zeros((4, 4), order='F')
    tau = np.zeros(4)
    w = np.zeros(16)
    return [
        ('DGELQF', 1, [-1, 2, a, 1, tau, w, 16, 0]),
        ('DGELQF', 2, [2, -1, a, 2, tau, w, 16, 0]),
        ('DGELQF', 4, [3, 2, a, 2, tau, w, 16, 0]),
        ('DGELQF', 7, [3, 3, a, 3, tau, w, 2, 0]),
        ('DGERQF', 1, [-1, 2, a, 1, tau, w, 16, 0]),
        ('DGERQF', 2, [2, -1, a, 2, tau, w, 16, 0]),
        ('DGERQF', 4, [3, 2, a, 2, tau, w, 16, 0]),
        ('DGERQF', 7, [3, 3, a, 3, tau, w, 2, 0]),
        ('DGERQF', 7, [0, 0, a, 1, tau, w, 0, 0]),
        ('DORGLQ', 1, [-1, 0, 0, a, 1, tau, w, 16, 0]),
        ('DORGLQ', 2, [3, 2, 0, a, 3, tau, w, 16, 0]),
        ('DORGLQ', 3, [2, 3, 3, a, 2, tau, w, 16, 0]),
        ('DORGLQ', 5, [3, 3, 2, a, 2, tau, w, 16, 0]),
        ('DORGLQ', 8, [3, 3, 2, a, 3, tau, w, 2, 0]),
        ('DORMLQ', 1, [Arg('X'), Arg('N'), 2, 2, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMLQ', 2, [Arg('L'), Arg('C'), 2, 2, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMLQ', 3, [Arg('L'), Arg('N'), -1, 2, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMLQ', 4, [Arg('L'), Arg('N'), 2, -1, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMLQ', 5, [Arg('L'), Arg('N'), 2, 2, 3, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMLQ', 7, [Arg('R'), Arg('T'), 2, 3, 2, a, 1, tau, c, 2, w, 16, 0]),
        ('DORMLQ', 10, [Arg('L'), Arg('N'), 3, 2, 1, a, 3, tau, c, 2, w, 16, 0]),
        ('DORMLQ', 12, [Arg('L'), Arg('N'), 3, 3, 1, a, 3, tau, c, 3, w, 2, 0]),
    ]
