"""xGETRF, xGETRS, xGESV, xLASWP against reference LAPACK."""

import numpy as np
from common import Arg, DTYPES, THRESH, ratio

SHAPES = [(0, 0), (0, 3), (3, 0), (1, 1), (1, 5), (5, 1), (4, 4), (10, 7), (7, 10),
          (33, 33), (64, 64), (100, 100), (257, 130), (130, 257)]


def permuted(a, ipiv):
    """P^T A: the rows of `a` interchanged as IPIV says (1-based), in order."""
    a = a.copy()
    for i, p in enumerate(ipiv):
        a[[i, p - 1]] = a[[p - 1, i]]
    return a


def getrf_case(t, p, a, name, ld_extra=0, compare_info=True):
    m, n = a.shape
    dtype = DTYPES[p]
    ld = max(1, m + ld_extra)
    full = np.full((ld, n), 5.0, dtype=dtype, order='F')
    full[:m] = a
    mine, theirs = full.copy(order='F'), full.copy(order='F')
    ipiv = np.zeros(min(m, n), np.int32)
    ipiv_ref = np.zeros(min(m, n), np.int32)
    info = t.call(t.ours, f'{p}getrf_', m, n, mine, ld, ipiv, 0)[-1]
    ref_info = t.call(t.ref, f'{p}getrf_', m, n, theirs, ld, ipiv_ref, 0)[-1]
    label = f'{p}getrf {m}x{n} {name}' + (f' lda={ld}' if ld_extra else '')
    if compare_info:
        t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: pivots in range', all(i + 1 <= q <= m for i, q in enumerate(ipiv)), str(ipiv))
    t.check(f'{label}: rows below m untouched', np.array_equal(mine[m:], full[m:]))
    if min(m, n) and np.isfinite(a).all():
        k = min(m, n)
        lu = mine[:m]
        lower = np.tril(lu[:, :k], -1) + np.eye(m, k)
        upper = np.triu(lu[:k])
        r = ratio(lower.astype(np.complex128) @ upper - permuted(a, ipiv), a, max(m, n), dtype)
        t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')


def solve_case(t, p, trans, a, nrhs, name):
    n = a.shape[0]
    dtype = DTYPES[p]
    _, b = t.random(n, nrhs, dtype)
    b = np.asfortranarray(b)
    factor, ipiv = a.copy(order='F'), np.zeros(n, np.int32)
    ld = max(1, n)
    if trans:
        t.call(t.ref, f'{p}getrf_', n, n, factor, ld, ipiv, 0)
        x = b.copy(order='F')
        info = t.call(t.ours, f'{p}getrs_', Arg(trans), n, nrhs, factor, ld, ipiv, x, ld, 0)[-1]
        label = f'{p}getrs {trans} n={n} nrhs={nrhs} {name}'
        t.check(f'{label}: INFO', info == 0, f'INFO {info}')
    else:
        x, x_ref = b.copy(order='F'), b.copy(order='F')
        f_ref, ipiv_ref = a.copy(order='F'), np.zeros(n, np.int32)
        info = t.call(t.ours, f'{p}gesv_', n, nrhs, factor, ld, ipiv, x, ld, 0)[-1]
        ref_info = t.call(t.ref, f'{p}gesv_', n, nrhs, f_ref, ld, ipiv_ref, x_ref, ld, 0)[-1]
        label = f'{p}gesv n={n} nrhs={nrhs} {name}'
        t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    op = {'N': a, 'T': a.T, 'C': a.conj().T, None: a}[trans]
    if info == 0 and n and nrhs:
        residual = op.astype(np.complex128) @ x - b
        r = ratio(residual, np.linalg.norm(a, 1) * np.linalg.norm(x, 1), n, dtype)
        t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')


def laswp_case(t, p, n_cols, m, k1, k2, incx):
    dtype = DTYPES[p]
    _, a = t.random(m, n_cols, dtype)
    count = k2 - k1 + 1
    ipiv = np.zeros(k1 - 1 + count * max(abs(incx), 1), np.int32)
    for s in range(count):
        ipiv[k1 - 1 + s * max(abs(incx), 1)] = t.rng.integers(k1 + s, m + 1)
    mine, theirs = np.asfortranarray(a.copy()), np.asfortranarray(a.copy())
    t.call(t.ours, f'{p}laswp_', n_cols, mine, m, k1, k2, ipiv, incx)
    t.call(t.ref, f'{p}laswp_', n_cols, theirs, m, k1, k2, ipiv, incx)
    t.check(f'{p}laswp {m}x{n_cols} k={k1}..{k2} incx={incx}', np.array_equal(mine, theirs))


def run(t):
    for p, dtype in DTYPES.items():
        for m, n in SHAPES:
            getrf_case(t, p, t.random(m, n, dtype)[1], 'random')
            getrf_case(t, p, t.random(m, n, dtype)[1], 'random', ld_extra=4)
        big = 1e5 if p in 'sc' else 1e13
        for m, n in [(60, 60), (90, 40)]:
            k = min(m, n)
            a = t.with_singular_values(m, n, dtype, np.geomspace(1, 1 / big, k))
            getrf_case(t, p, a, f'cond {big:g}')
            a = t.with_singular_values(m, n, dtype, np.r_[np.ones(k // 2), np.zeros(k - k // 2)])
            getrf_case(t, p, a, 'rank-deficient', compare_info=False)
        for m, n, j in [(1, 1, 0), (5, 5, 0), (5, 5, 4), (40, 40, 17), (70, 50, 49), (50, 70, 30)]:
            a = t.random(m, n, dtype)[1].copy()
            a[:, j] = 0
            getrf_case(t, p, a, f'zero column {j + 1}')
        for bad in [np.nan, np.inf]:
            for m, n, (i, j) in [(1, 1, (0, 0)), (6, 6, (3, 2)), (80, 80, (70, 5))]:
                a = t.random(m, n, dtype)[1].copy()
                a[i, j] = bad
                getrf_case(t, p, a, f'{bad} at ({i + 1},{j + 1})')
        # Orders from 256 on take the threaded look-ahead form: panels, column chunks,
        # later panels' interchanges on earlier columns of L.
        for m, n in [(300, 300), (520, 300), (300, 520)]:
            getrf_case(t, p, t.random(m, n, dtype)[1], 'random', ld_extra=3)
        a = t.random(300, 300, dtype)[1].copy()
        a[:, 200] = 0
        getrf_case(t, p, a, 'zero column 201')
        a = t.random(300, 300, dtype)[1].copy()
        a[250, 100] = np.nan
        getrf_case(t, p, a, 'nan at (251,101)')
        a = t.with_singular_values(300, 300, dtype, np.geomspace(1, 1 / big, 300))
        getrf_case(t, p, a, f'cond {big:g}')
        solve_case(t, p, None, t.random(400, 400, dtype)[1], 3, 'random')
        for trans in ['N', 'T', 'C', None]:
            for n, nrhs in [(0, 2), (2, 0), (1, 1), (9, 3), (64, 1), (150, 5)]:
                solve_case(t, p, trans, t.random(n, n, dtype)[1], nrhs, 'random')
        a = t.random(30, 30, dtype)[1].copy()
        a[:, 12] = 0
        solve_case(t, p, None, a, 2, 'singular')
        for args in [(3, 10, 1, 10, 1), (4, 10, 2, 7, -1), (5, 12, 3, 9, 2), (2, 12, 1, 6, -3), (3, 5, 1, 5, 0)]:
            laswp_case(t, p, *args)
    run_explained(t)


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    b = np.zeros((4, 4), order='F')
    ip = np.ones(4, np.int32)
    bad_ip = np.array([1, 9, 1, 1], np.int32)
    return [
        ('DGETRF', 1, [-1, 2, a, 2, ip, 0]),
        ('DGETRF', 2, [2, -1, a, 2, ip, 0]),
        ('DGETRF', 4, [3, 2, a, 2, ip, 0]),
        ('DGETRS', 1, [Arg('X'), 2, 1, a, 2, ip, b, 2, 0]),
        ('DGETRS', 2, [Arg('N'), -1, 1, a, 2, ip, b, 2, 0]),
        ('DGETRS', 3, [Arg('T'), 2, -1, a, 2, ip, b, 2, 0]),
        ('DGETRS', 5, [Arg('C'), 2, 1, a, 1, ip, b, 2, 0]),
        ('DGETRS', 8, [Arg('N'), 3, 1, a, 3, ip, b, 2, 0]),
        ('DGETRS', 6, [Arg('N'), 4, 1, a, 4, bad_ip, b, 4, 0]),
        ('DGESV', 1, [-1, 1, a, 1, ip, b, 1, 0]),
        ('DGESV', 2, [1, -1, a, 1, ip, b, 1, 0]),
        ('DGESV', 4, [3, 1, a, 2, ip, b, 3, 0]),
        ('DGESV', 7, [3, 1, a, 3, ip, b, 2, 0]),
        # LASWP checks nothing in the reference; a pivot row outside A is refused here.
        ('DLASWP', 6, [2, a, 4, 1, 2, np.array([1, 5], np.int32), 1], False),
    ]


def last_error(t):
    """This thread's last error from our library, as text (None when there is none)."""
    import ctypes
    t.ours.lapack_ai_last_error.restype = ctypes.c_void_p
    raw = t.ours.lapack_ai_last_error()
    if not raw:
        return None
    text = ctypes.string_at(raw).decode()
    t.ours.lapack_ai_free_string(ctypes.c_void_p(raw))
    return text


def run_explained(t):
    """A singular GESV leaves an explanation of its INFO > 0 as the last error."""
    a = np.asfortranarray(np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]))
    b = np.ones((3, 1), order='F')
    last_error(t)  # clear
    info = t.call(t.ours, 'dgesv_', 3, 1, a, 3, np.zeros(3, np.int32), b, 3, 0)[-1]
    text = last_error(t) or ''
    t.check('DGESV singular: last error explains INFO', info > 0 and text.startswith(f'DGESV: U({info},{info}) is exactly zero'), repr(text))
