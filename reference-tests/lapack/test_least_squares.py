"""xGELSD against reference LAPACK: rank, singular values, the minimum-norm solution,
the residual's components left in rows n+1..m of B, workspace queries and contracts."""

import numpy as np
from common import DTYPES, THRESH, eps, real_dtype

SENTINEL = 7.0


def gelsd(t, lib, p, a, b, rcond, ld_extra=0, lwork=None):
    """Calls xGELSD on copies stored with lda = m + ld_extra, ldb = max(m, n) + ld_extra;
    returns (info, rank, s, full B array, full A array, work array, lwork used)."""
    dtype = DTYPES[p]
    rdtype = real_dtype(dtype)
    m, n = a.shape
    nrhs = b.shape[1]
    lda, ldb = max(1, m + ld_extra), max(1, m, n) + ld_extra
    fa = np.full((lda, max(n, 1)), SENTINEL, dtype=dtype, order='F')
    fa[:m, :n] = a
    fb = np.full((ldb, max(nrhs, 1)), SENTINEL, dtype=dtype, order='F')
    fb[:b.shape[0], :nrhs] = b
    k = min(m, n)
    s = np.full(max(k, 1) + 2, SENTINEL, dtype=rdtype)
    rc = np.array([rcond], dtype=rdtype)
    # Query: WORK(1), IWORK(1), RWORK(1).
    qw = np.zeros(1, dtype=dtype)
    qi = np.zeros(1, dtype=np.int32)
    qr = np.zeros(1, dtype=rdtype)
    extra = [qr] if p in 'cz' else []
    t.call(lib, f'{p}gelsd_', m, n, nrhs, fa, lda, fb, ldb, s, rc, 0, qw, -1, *extra, qi, 0)
    lw = int(qw[0].real) if lwork is None else lwork
    liw, lrw = int(qi[0]), int(qr[0]) if p in 'cz' else 0
    work = np.full(lw + 5, SENTINEL, dtype=dtype)
    iwork = np.full(max(liw, 1) + 5, 12345, dtype=np.int32)
    rwork = np.full(max(lrw, 1) + 5, SENTINEL, dtype=rdtype)
    extra = [rwork] if p in 'cz' else []
    ints = t.call(lib, f'{p}gelsd_', m, n, nrhs, fa, lda, fb, ldb, s, rc, 0, work, lw, *extra, iwork, 0)
    return dict(info=ints[-1], rank=ints[-3], s=s, b=fb, a=fa, work=work, lwork=lw, liwork=liw,
                lrwork=lrw, iwork=iwork, rwork=rwork, query=(qw[0].real, qi[0], qr[0]))


def case(t, p, a, nrhs, name, rcond=-1.0, ld_extra=0, b=None):
    dtype = DTYPES[p]
    m, n = a.shape
    if b is None:
        b = t.random(max(m, n), nrhs, dtype)[1].copy(order='F')
        b[m:, :] = 0
    label = f'{p}gelsd m={m} n={n} nrhs={nrhs} {name}'
    ours = gelsd(t, t.ours, p, a, b, rcond, ld_extra)
    k, rows = min(m, n), max(m, n)
    if not np.isfinite(a).all():
        # The reference stops in xLASCL's XERBLA on these (CFROM = NaN); the outputs must
        # be NaN, as its arithmetic would make them.
        t.check(f'{label}: INFO 0, NaN in S and X', ours['info'] == 0 and np.isnan(ours['s'][:k]).all()
                and np.isnan(ours['b'][:n, :nrhs]).all())
        return
    ref = gelsd(t, t.ref, p, a, b, rcond, ld_extra)
    t.check(f'{label}: INFO', ours['info'] == ref['info'], f'ours {ours["info"]}, reference {ref["info"]}')
    qo, qr = ours['query'], ref['query']
    t.check(f'{label}: IWORK/RWORK query', qo[1] == qr[1] and qo[2] == qr[2], f'ours {qo}, reference {qr}')
    t.check(f'{label}: nothing past LWORK/LIWORK/LRWORK',
            np.all(ours['work'][ours['lwork']:] == SENTINEL) and np.all(ours['iwork'][ours['liwork']:] == 12345)
            and np.all(ours['rwork'][max(ours['lrwork'], 1):] == SENTINEL))
    t.check(f'{label}: S only min(m,n) long', np.all(ours['s'][k:] == SENTINEL) if k else ours['s'][1] == SENTINEL)
    t.check(f'{label}: B rows past max(m,n) untouched', np.array_equal(ours['b'][rows:], ref['b'][rows:]))
    if ours['info'] != 0 or k == 0 or (p in 'cz' and nrhs == 0):
        t.check(f'{label}: RANK', ours['rank'] == ref['rank'] or k == 0, f'ours {ours["rank"]}, reference {ref["rank"]}')
        return
    t.check(f'{label}: RANK', ours['rank'] == ref['rank'], f'ours {ours["rank"]}, reference {ref["rank"]}')
    s, s_ref = ours['s'][:k].astype(np.float64), ref['s'][:k].astype(np.float64)
    smax = max(s_ref[0], np.finfo(np.float64).tiny)
    r = np.max(np.abs(s - s_ref)) / (smax * max(m, n) * eps(dtype))
    t.check(f'{label}: S', r < THRESH and np.all(np.diff(s) <= 0), f'ratio {r:.3g}')
    if nrhs == 0:
        return
    x, x_ref = ours['b'][:n, :nrhs].astype(np.complex128), ref['b'][:n, :nrhs].astype(np.complex128)
    rank = ref['rank']
    # The truncated problem's condition number bounds how far two correct solutions drift.
    cond = s_ref[0] / s_ref[rank - 1] if rank else 1.0
    # Max-norms: entries near the overflow threshold would overflow a 2-norm.
    scale = max(np.max(np.abs(x_ref)), np.max(np.abs(b)) / smax, np.finfo(np.float64).tiny)
    r = np.max(np.abs(x - x_ref)) / scale / (cond * max(m, n) * eps(dtype))
    t.check(f'{label}: X agrees with the reference', r < THRESH, f'ratio {r:.3g}')
    # Netlib's test of the normal equations: ||A^H (B - A X)|| / (||A|| ||B|| max(m,n) eps).
    a64 = a.astype(np.complex128)
    resid = b[:m].astype(np.complex128) - a64 @ x
    r = np.linalg.norm(a64.conj().T @ resid, 1) / (max(np.linalg.norm(a64, 1), 1e-300) * max(np.linalg.norm(b, 1), 1e-300) * max(m, n) * eps(dtype))
    if rank == k:
        t.check(f'{label}: A^H residual', r < THRESH * cond, f'ratio {r:.3g}')
    if m > n and rank == n:
        # Rows n+1..m of B hold the residual's components: same sums of squares.
        tail = np.sum(np.abs(ours['b'][n:m, :nrhs].astype(np.complex128)) ** 2, axis=0)
        want = np.sum(np.abs(resid) ** 2, axis=0)
        bnorm = np.sum(np.abs(b.astype(np.complex128)) ** 2, axis=0)
        r = np.max(np.abs(tail - want) / np.maximum(bnorm, 1e-300)) / (max(m, n) * cond * eps(dtype))
        t.check(f'{label}: residual sum of squares in rows n+1..m', r < THRESH, f'ratio {r:.3g}')


def run(t):
    shapes = [(1, 1), (2, 2), (5, 3), (3, 5), (10, 10), (40, 13), (13, 40), (60, 59), (100, 30), (30, 100)]
    for p, dtype in DTYPES.items():
        for m, n in shapes:
            for nrhs in [1, 3]:
                case(t, p, t.random(m, n, dtype)[1].copy(order='F'), nrhs, 'random')
            case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 2, 'lda, ldb > m', ld_extra=3)
        # (NRHS = 0 with a nonempty A is an error inside the reference's xLALSD.)
        for m, n in [(0, 0), (0, 3), (3, 0)]:
            case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 0, 'nrhs = 0')
        for m, n in [(0, 3), (3, 0), (0, 0)]:
            case(t, p, np.zeros((m, n), dtype=dtype, order='F'), 2, 'empty')
        case(t, p, np.zeros((6, 4), dtype=dtype, order='F'), 2, 'zero matrix')
        big = 1e5 if p in 'sc' else 1e12
        for m, n in [(30, 20), (20, 30), (25, 25)]:
            k = min(m, n)
            a = t.with_singular_values(m, n, dtype, np.geomspace(1, 1 / big, k))
            case(t, p, a, 2, f'cond {big:g}')
            values = np.r_[np.geomspace(1, 0.1, k - 5), np.zeros(5)]
            a = t.with_singular_values(m, n, dtype, values)
            case(t, p, a, 2, 'rank k-5', rcond=1e-3)
            values = np.geomspace(1, 1e-4, k)
            for rcond in [0.0, 0.025, 0.5, 2.0]:  # away from the values 10^(-i/6)
                case(t, p, t.with_singular_values(m, n, dtype, values), 2, f'rcond {rcond}', rcond=rcond)
        # xGELSD's full-rank bidiagonal path (no singular vectors formed): square, tall
        # below and above MNTHR = 1.6 n, wide, several right-hand sides; the smallest
        # singular value just above the cutoff (that path), just below it (the SVD path).
        for m, n in [(120, 120), (150, 100), (170, 100), (100, 150)]:
            case(t, p, t.random(m, n, dtype)[1].copy(order='F'), 5, 'bidiagonal path')
        for m, n in [(40, 30), (30, 40), (35, 35)]:
            k = min(m, n)
            for smallest in [2e-3, 5e-4]:
                a = t.with_singular_values(m, n, dtype, np.geomspace(1, smallest, k))
                case(t, p, a, 3, f'smallest {smallest:g}, rcond 1e-3', rcond=1e-3)
            a = t.with_singular_values(m, n, dtype, np.geomspace(1, 1000 * k * eps(dtype), k))
            case(t, p, a, 2, 'smallest 1000 k ulps')
        tiny, huge = (1e-33, 1e33) if p in 'sc' else (1e-300, 1e300)
        for factor in [tiny, huge]:
            a = t.random(12, 8, dtype)[1] * dtype(factor)
            case(t, p, np.asfortranarray(a), 2, f'A scaled by {factor:g}')
            a = t.random(8, 12, dtype)[1].copy(order='F')
            b = np.asfortranarray(t.random(12, 2, dtype)[1] * dtype(factor))
            b[8:] = 0
            case(t, p, a, 2, f'B scaled by {factor:g}', b=b)
        for bad in [np.nan, np.inf]:
            for m, n in [(4, 3), (3, 4), (30, 20)]:
                a = t.random(m, n, dtype)[1].copy(order='F')
                a[1, 1] = bad
                case(t, p, a, 2, f'{bad} in A')


def illegal(t):
    a = np.zeros((4, 4), order='F')
    b = np.zeros((4, 4), order='F')
    s = np.zeros(4)
    w = np.zeros(10)
    iw = np.zeros(100, dtype=np.int32)
    rc = np.array([-1.0])
    return [
        ('DGELSD', 1, [-1, 2, 1, a, 2, b, 2, s, rc, 0, w, 10, iw, 0]),
        ('DGELSD', 2, [2, -1, 1, a, 2, b, 2, s, rc, 0, w, 10, iw, 0]),
        ('DGELSD', 3, [2, 2, -1, a, 2, b, 2, s, rc, 0, w, 10, iw, 0]),
        ('DGELSD', 5, [3, 2, 1, a, 2, b, 3, s, rc, 0, w, 10, iw, 0]),
        ('DGELSD', 7, [2, 3, 1, a, 2, b, 2, s, rc, 0, w, 10, iw, 0]),
        ('DGELSD', 12, [2, 2, 1, a, 2, b, 2, s, rc, 0, w, 10, iw, 0]),
    ]
