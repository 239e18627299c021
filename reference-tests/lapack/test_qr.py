"""xGEQRF, xORGQR/xUNGQR, xORMQR/xUNMQR against reference LAPACK. Each native routine is
also checked against the reference routine that consumes its output (reference ORGQR on
our GEQRF, ...), which proves the storage contract, not only the arithmetic."""

import numpy as np
from common import Arg, DTYPES, THRESH, eps, ratio

SHAPES = [(0, 0), (0, 3), (3, 0), (1, 1), (1, 5), (5, 1), (10, 7), (7, 10), (33, 33),
          (64, 64), (100, 40), (40, 100), (257, 130)]


def orgqr_name(p):
    return f'{p}orgqr_' if p in 'sd' else f'{p}ungqr_'


def ormqr_name(p):
    return f'{p}ormqr_' if p in 'sd' else f'{p}unmqr_'


def geqrf(t, lib, p, a, ld):
    m, n = a.shape
    full = np.full((ld, n), 3.0, dtype=a.dtype, order='F')
    full[:m] = a
    tau = np.zeros(max(min(m, n), 1), dtype=a.dtype)
    work = np.zeros(max(n, 1) * 64, dtype=a.dtype)
    info = t.call(lib, f'{p}geqrf_', m, n, full, ld, tau, work, len(work), 0)[-1]
    return full, tau, info


def q_from(t, lib, p, factor, tau, m, k):
    """The m x min(m, n)... first min(m, k') columns of Q by `lib`'s ORGQR."""
    cols = min(m, k) if m else 0
    q = np.asfortranarray(factor[:m, :cols].copy())
    work = np.zeros(max(cols, 1) * 64, dtype=factor.dtype)
    info = t.call(lib, orgqr_name(p), m, cols, min(m, k), q, max(1, m), tau, work, len(work), 0)[-1]
    return q, info


def qr_case(t, p, a, name, ld_extra=0, compare_r=True):
    m, n = a.shape
    dtype = DTYPES[p]
    ld = max(1, m + ld_extra)
    label = f'{p}geqrf {m}x{n} {name}' + (f' lda={ld}' if ld_extra else '')
    mine, tau, info = geqrf(t, t.ours, p, a, ld)
    theirs, tau_ref, ref_info = geqrf(t, t.ref, p, a, ld)
    t.check(f'{label}: INFO', info == ref_info == 0, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: rows below m untouched', np.array_equal(mine[m:], np.full_like(mine[m:], 3.0)))
    k = min(m, n)
    if not k or not np.isfinite(a).all():
        return
    r = np.triu(mine[:k])
    if compare_r:
        rr = ratio(r - np.triu(theirs[:k]), a, max(m, n), dtype)
        t.check(f'{label}: R as the reference', rr < THRESH, f'ratio {rr:.3g}')
        # tau(j) carries the phase of beta(j) = R(j,j), whose error is about eps ||A||
        # absolute: weigh each difference by |beta(j)| / ||A|| (a small last pivot of a
        # square complex matrix makes its tau ill-conditioned for any code).
        size = max(float(np.max(np.abs(a))), np.finfo(np.float64).tiny)
        weight = np.abs(np.diag(theirs[:k, :k]).astype(np.complex128)) / size
        tr = np.max(np.abs(tau[:k] - tau_ref[:k]) * np.minimum(weight, 1)) / eps(dtype) if k else 0
        t.check(f'{label}: tau as the reference', tr < THRESH * max(m, n), f'{tr:.3g} ulp')
    for lib, who in [(t.ours, 'our'), (t.ref, 'reference')]:
        q, qinfo = q_from(t, lib, p, mine, tau, m, k)
        res = ratio(q.astype(np.complex128) @ r - a, a, max(m, n), dtype)
        t.check(f'{label}: A = QR with {who} ORGQR', qinfo == 0 and res < THRESH, f'INFO {qinfo}, ratio {res:.3g}')
        orth = ratio(q.conj().T.astype(np.complex128) @ q - np.eye(q.shape[1]), 1.0, m, dtype)
        t.check(f'{label}: Q^H Q = I with {who} ORGQR', orth < THRESH, f'ratio {orth:.3g}')


def orgqr_case(t, p, m, n, k):
    """Our ORGQR on the reference's GEQRF output equals the reference's ORGQR."""
    dtype = DTYPES[p]
    a = t.random(m, n, dtype)[1]
    factor, tau, _ = geqrf(t, t.ref, p, a, max(1, m))
    work = np.zeros(max(n, 1) * 64, dtype=dtype)
    mine, theirs = factor.copy(order='F'), factor.copy(order='F')
    info = t.call(t.ours, orgqr_name(p), m, n, k, mine, max(1, m), tau, work, len(work), 0)[-1]
    ref_info = t.call(t.ref, orgqr_name(p), m, n, k, theirs, max(1, m), tau, work, len(work), 0)[-1]
    label = f'{orgqr_name(p)[:-1]} m={m} n={n} k={k}'
    t.check(f'{label}: INFO', info == ref_info == 0, f'{info} {ref_info}')
    d = ratio(mine - theirs, 1.0, max(m, 1), dtype)
    t.check(f'{label}: as the reference', d < THRESH, f'ratio {d:.3g}')


def ormqr_case(t, p, side, trans, m, n, k):
    dtype = DTYPES[p]
    nq = m if side == 'L' else n
    a = t.random(nq, k, dtype)[1]
    factor, tau, _ = geqrf(t, t.ref, p, a, max(1, nq))
    c = t.random(m, n, dtype)[1]
    mine, theirs = np.asfortranarray(c.copy()), np.asfortranarray(c.copy())
    work = np.zeros((max(m, n, 1)) * 64 + 4160, dtype=dtype)
    args = lambda out: [Arg(side), Arg(trans), m, n, k, factor, max(1, nq), tau, out, max(1, m), work, len(work), 0]
    before = factor.copy()
    info = t.call(t.ours, ormqr_name(p), *args(mine))[-1]
    ref_info = t.call(t.ref, ormqr_name(p), *args(theirs))[-1]
    label = f'{ormqr_name(p)[:-1]} {side}{trans} m={m} n={n} k={k}'
    t.check(f'{label}: INFO', info == ref_info == 0, f'{info} {ref_info}')
    d = ratio(mine - theirs, c, max(m, n, 1), dtype)
    t.check(f'{label}: as the reference', d < THRESH, f'ratio {d:.3g}')
    t.check(f'{label}: A not modified', np.array_equal(before, factor))


def query_case(t, p):
    """LWORK = -1 answers at least LAPACK's minimum and at least the reference's size."""
    dtype = DTYPES[p]
    a = np.zeros((50, 30), dtype=dtype, order='F')
    tau = np.zeros(30, dtype=dtype)
    for lib, who in [(t.ours, 'ours'), (t.ref, 'ref')]:
        w = np.zeros(1, dtype=dtype)
        t.call(lib, f'{p}geqrf_', 50, 30, a, 50, tau, w, -1, 0)
        if who == 'ours':
            ours = w[0].real
        else:
            t.check(f'{p}geqrf query', ours >= max(w[0].real, 30), f'ours {ours}, reference {w[0].real}')
    # The documented minimum LWORK = N works.
    _, b = t.random(50, 30, dtype)
    b = np.asfortranarray(b)
    info = t.call(t.ours, f'{p}geqrf_', 50, 30, b, 50, tau, np.zeros(30, dtype), 30, 0)[-1]
    t.check(f'{p}geqrf with the minimum LWORK', info == 0, f'INFO {info}')


def run(t):
    for p, dtype in DTYPES.items():
        for m, n in SHAPES:
            qr_case(t, p, t.random(m, n, dtype)[1], 'random')
            qr_case(t, p, t.random(m, n, dtype)[1], 'random', ld_extra=2)
        big = 1e5 if p in 'sc' else 1e13
        qr_case(t, p, t.with_singular_values(80, 50, dtype, np.geomspace(1, 1 / big, 50)), f'cond {big:g}', compare_r=False)
        qr_case(t, p, t.with_singular_values(70, 70, dtype, np.r_[np.ones(30), np.zeros(40)]), 'rank-deficient', compare_r=False)
        qr_case(t, p, np.zeros((20, 9), dtype=dtype, order='F'), 'zero matrix')
        # Orders from 512 on take the threaded look-ahead form (panels of 64).
        for m, n in [(600, 600), (800, 520), (520, 800)]:
            qr_case(t, p, t.random(m, n, dtype)[1], 'random', ld_extra=2)
        qr_case(t, p, t.with_singular_values(600, 560, dtype, np.r_[np.ones(200), np.zeros(360)]), 'order 560, rank-deficient', compare_r=False)
        for bad in [np.nan, np.inf]:
            a = t.random(40, 40, dtype)[1].copy()
            a[5, 7] = bad
            qr_case(t, p, a, f'{bad} inside')
        for m, n, k in [(0, 0, 0), (5, 0, 0), (1, 1, 1), (10, 10, 10), (40, 30, 20), (100, 70, 70), (90, 90, 33)]:
            orgqr_case(t, p, m, n, k)
        trans_ops = 'NT' if p in 'sd' else 'NC'
        for side in 'LR':
            for trans in trans_ops:
                for m, n, k in [(0, 3, 0), (3, 0, 0), (1, 1, 1), (20, 15, 10), (70, 50, 40), (50, 70, 45)]:
                    if k <= (m if side == 'L' else n):
                        ormqr_case(t, p, side, trans, m, n, k)
        query_case(t, p)
    run_geqp3(t)


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    c = np.zeros((4, 4), order='F')
    tau = np.zeros(4)
    w = np.zeros(16)
    z = np.zeros((4, 4), np.complex128, order='F')
    return [
        ('DGEQRF', 1, [-1, 2, a, 1, tau, w, 16, 0]),
        ('DGEQRF', 2, [2, -1, a, 2, tau, w, 16, 0]),
        ('DGEQRF', 4, [3, 2, a, 2, tau, w, 16, 0]),
        ('DGEQRF', 7, [3, 3, a, 3, tau, w, 2, 0]),
        ('DORGQR', 1, [-1, 0, 0, a, 1, tau, w, 16, 0]),
        ('DORGQR', 2, [2, 3, 0, a, 2, tau, w, 16, 0]),
        ('DORGQR', 3, [3, 2, 3, a, 3, tau, w, 16, 0]),
        ('DORGQR', 5, [3, 2, 2, a, 2, tau, w, 16, 0]),
        ('DORGQR', 8, [3, 3, 2, a, 3, tau, w, 2, 0]),
        ('DORMQR', 1, [Arg('X'), Arg('N'), 2, 2, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMQR', 2, [Arg('L'), Arg('C'), 2, 2, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMQR', 3, [Arg('L'), Arg('N'), -1, 2, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMQR', 4, [Arg('L'), Arg('N'), 2, -1, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMQR', 5, [Arg('L'), Arg('N'), 2, 2, 3, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMQR', 7, [Arg('R'), Arg('T'), 2, 3, 1, a, 2, tau, c, 2, w, 16, 0]),
        ('DORMQR', 10, [Arg('L'), Arg('N'), 3, 2, 1, a, 3, tau, c, 2, w, 16, 0]),
        ('DORMQR', 12, [Arg('L'), Arg('N'), 3, 3, 1, a, 3, tau, c, 3, w, 2, 0]),
        ('DGEQP3', 1, [-1, 2, a, 1, np.zeros(4, np.int32), tau, w, 16, 0]),
        ('DGEQP3', 2, [2, -1, a, 2, np.zeros(4, np.int32), tau, w, 16, 0]),
        ('DGEQP3', 4, [3, 2, a, 2, np.zeros(4, np.int32), tau, w, 16, 0]),
        ('DGEQP3', 8, [3, 3, a, 3, np.zeros(4, np.int32), tau, w, 9, 0]),
        ('ZUNMQR', 2, [Arg('L'), Arg('T'), 2, 2, 1, z, 2, z, z, 2, z, 16, 0]),
        ('ZUNGQR', 3, [3, 2, -1, z, 3, z, z, 16, 0]),
    ]


def geqp3(t, lib, p, a, jpvt_in):
    m, n = a.shape
    dtype = DTYPES[p]
    full = np.asfortranarray(a.copy())
    jpvt = np.array(jpvt_in, np.int32)
    tau = np.zeros(max(min(m, n), 1), dtype=dtype)
    work = np.zeros(3 * n + 1 + 64 * (n + 1), dtype=dtype)
    extra = [np.zeros(2 * max(n, 1), dtype=np.finfo(dtype).dtype)] if p in 'cz' else []
    info = t.call(lib, f'{p}geqp3_', m, n, full, max(1, m), jpvt, tau, work, len(work), *extra, 0)[-1]
    return full, jpvt, tau, info


def geqp3_case(t, p, a, name, fixed=(), compare_pivots=True):
    m, n = a.shape
    dtype = DTYPES[p]
    jpvt_in = [1 if j in fixed else 0 for j in range(n)]
    mine, jpvt, tau, info = geqp3(t, t.ours, p, a, jpvt_in)
    theirs, jpvt_ref, _, ref_info = geqp3(t, t.ref, p, a, jpvt_in)
    label = f'{p}geqp3 {m}x{n} {name}'
    t.check(f'{label}: INFO', info == ref_info == 0, f'{info} {ref_info}')
    t.check(f'{label}: JPVT is a permutation', sorted(jpvt) == list(range(1, n + 1)), str(jpvt))
    t.check(f'{label}: fixed columns first, in order', list(jpvt[:len(fixed)]) == [j + 1 for j in sorted(fixed)], str(jpvt))
    if compare_pivots:
        t.check(f'{label}: JPVT as the reference', np.array_equal(jpvt, jpvt_ref), f'{jpvt} vs {jpvt_ref}')
    k = min(m, n)
    if not k:
        return
    r = np.triu(mine[:k])
    q, qinfo = q_from(t, t.ref, p, mine, tau, m, k)
    res = ratio(q.astype(np.complex128) @ r - a[:, jpvt - 1], a, max(m, n), dtype)
    t.check(f'{label}: A P = QR', qinfo == 0 and res < THRESH, f'ratio {res:.3g}')
    diag = np.abs(np.diag(r))[len(fixed):]
    grows = np.any(diag[1:] > diag[:-1] * (1 + 1e3 * eps(dtype)) + 1e3 * eps(dtype) * diag[0]) if len(diag) > 1 else False
    t.check(f'{label}: |R(i,i)| non-increasing', not grows, str(diag[:8]))


def geqp3_minimum_lwork(t, p, a):
    """LAPACK's documented minimum LWORK (3N + 1, complex N + 1) works and gives the
    factorization; nothing past it is written."""
    m, n = a.shape
    dtype = DTYPES[p]
    lwork = n + 1 if p in 'cz' else 3 * n + 1
    full = np.asfortranarray(a.copy())
    jpvt = np.zeros(n, np.int32)
    tau = np.zeros(min(m, n), dtype=dtype)
    work = np.full(lwork + 8, 7.0, dtype=dtype)
    extra = [np.zeros(2 * n, dtype=np.finfo(dtype).dtype)] if p in 'cz' else []
    info = t.call(t.ours, f'{p}geqp3_', m, n, full, m, jpvt, tau, work, lwork, *extra, 0)[-1]
    label = f'{p}geqp3 {m}x{n} minimum LWORK {lwork}'
    t.check(f'{label}: INFO 0, nothing past LWORK', info == 0 and np.all(work[lwork:] == 7.0), str(info))
    k = min(m, n)
    q, qinfo = q_from(t, t.ref, p, full, tau, m, k)
    res = ratio(q.astype(np.complex128) @ np.triu(full[:k]) - a[:, jpvt - 1], a, max(m, n), dtype)
    t.check(f'{label}: A P = QR', qinfo == 0 and res < THRESH, f'ratio {res:.3g}')
    query = np.zeros(1, dtype=dtype)
    t.call(t.ours, f'{p}geqp3_', m, n, full, m, jpvt, tau, query, -1, *extra, 0)
    t.check(f'{label}: query 2N + (N + 1) NB', int(query[0].real) == 2 * n + (n + 1) * 32, str(query[0]))


def run_geqp3(t):
    for p, dtype in DTYPES.items():
        for m, n in [(0, 0), (0, 3), (3, 0), (1, 1), (5, 3), (3, 5), (20, 20), (60, 40), (40, 60), (90, 90)]:
            geqp3_case(t, p, t.random(m, n, dtype)[1], 'random')
        geqp3_case(t, p, t.random(30, 20, dtype)[1], 'fixed 2,5,9', fixed=(2, 5, 9))
        geqp3_case(t, p, t.random(25, 25, dtype)[1], 'fixed 0', fixed=(0,))
        a = t.with_singular_values(50, 40, dtype, np.r_[np.ones(15), np.zeros(25)])
        geqp3_case(t, p, a, 'rank 15', compare_pivots=False)
        geqp3_case(t, p, t.random(200, 150, dtype)[1], 'large', compare_pivots=False)
        # Past 32 + 128 columns: xLAQPS panels, then the unblocked steps.
        for m, n in [(300, 250), (250, 300), (420, 200), (190, 190)]:
            geqp3_case(t, p, t.random(m, n, dtype)[1], 'blocked', compare_pivots=p in 'dz')
        geqp3_case(t, p, t.random(300, 260, dtype)[1], 'blocked, fixed every 7th', fixed=tuple(range(3, 260, 7)),
                   compare_pivots=p in 'dz')
        geqp3_case(t, p, t.random(260, 240, dtype)[1], 'blocked, 70 fixed', fixed=tuple(range(70)),
                   compare_pivots=p in 'dz')
        a = t.with_singular_values(300, 280, dtype, np.r_[np.geomspace(1, 1e-2, 120), np.zeros(160)])
        geqp3_case(t, p, a, 'blocked, rank 120', compare_pivots=False)
        # Every column dominated by its first-row entry: after the first reflector each
        # downdated norm has lost its accuracy, so panels end early and recompute.
        a = t.random(240, 220, dtype)[1] * dtype(1e-5)
        a[0, :] += dtype(1) + np.arange(220) * dtype(1e-3)
        geqp3_case(t, p, a, 'blocked, norms recomputed', compare_pivots=p in 'dz')
        geqp3_minimum_lwork(t, p, t.random(230, 210, dtype)[1])
