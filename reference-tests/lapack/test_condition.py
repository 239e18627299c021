"""xGECON, xPOCON, xTRCON against reference LAPACK: the estimator follows xLACN2 step
by step, so RCOND must agree with the reference's closely (Netlib's own test, xGET06,
only asks for agreement within a factor of 30 with the true value)."""

import ctypes
import numpy as np
from common import Arg, DTYPES

TOL = 1e-2


def real_box(p, value=0.0):
    return np.array([value], dtype=np.float32 if p in 'sc' else np.float64)


def agree(ours, ref):
    if ref == 0 or ours == 0:
        return ours == ref
    return abs(ours / ref - 1) < TOL


def anorm_of(t, p, kind, a):
    n = a.shape[0]
    return t.call(t.ref, f'{p}lange_', Arg(kind), n, n, a, max(1, n), np.zeros(max(n, 1)),
                  restype=ctypes.c_float if p in 'sc' else ctypes.c_double)


def run(t):
    for p, dtype in DTYPES.items():
        work = np.zeros(4 * 400, dtype=dtype)
        iwork = np.zeros(4 * 400, np.float64)  # big enough for IWORK or RWORK
        for n, name, builder in [
            (0, 'empty', lambda n: t.random(n, n, dtype)[1]),
            (1, '1x1', lambda n: t.random(n, n, dtype)[1]),
            (10, 'random', lambda n: t.random(n, n, dtype)[1]),
            (100, 'random', lambda n: t.random(n, n, dtype)[1]),
            (60, 'cond 1e6', lambda n: t.with_singular_values(n, n, dtype, np.geomspace(1, 1e-6, n))),
            (50, 'cond 1e12', lambda n: t.with_singular_values(n, n, dtype, np.geomspace(1, 1e-12, n))),
        ]:
            a = np.asfortranarray(builder(n))
            factor, ipiv = a.copy(order='F'), np.zeros(max(n, 1), np.int32)
            t.call(t.ref, f'{p}getrf_', n, n, factor, max(1, n), ipiv, 0)
            for kind in 'O1I':
                anorm = real_box(p, anorm_of(t, p, 'I' if kind == 'I' else '1', a))
                mine, theirs = real_box(p), real_box(p)
                work_ref = np.zeros_like(work)
                info = t.call(t.ours, f'{p}gecon_', Arg(kind), n, factor, max(1, n), anorm, mine, work, iwork, 0)[-1]
                t.call(t.ref, f'{p}gecon_', Arg(kind), n, factor, max(1, n), anorm, theirs, work_ref, iwork, 0)
                t.check(f'{p}gecon {kind} n={n} {name}', info == 0 and agree(mine[0], theirs[0]), f'INFO {info}, ours {mine[0]:.6g}, reference {theirs[0]:.6g}')
                # xLATDF reads the estimator's vector V back from WORK(N+1..2N).
                v, v_ref = work[n:2 * n], work_ref[n:2 * n]
                scale = max(np.max(np.abs(v_ref)) if n else 0, 1e-300)
                t.check(f'{p}gecon {kind} n={n} {name}: WORK(N+1..2N) as the reference', np.max(np.abs(v - v_ref), initial=0) <= TOL * scale, f'max difference {np.max(np.abs(v - v_ref), initial=0):.3g} of {scale:.3g}')
                tri = np.asfortranarray(np.triu(factor))
                for uplo, diag in [('U', 'N'), ('L', 'U')]:
                    mine, theirs = real_box(p), real_box(p)
                    info = t.call(t.ours, f'{p}trcon_', Arg(kind), Arg(uplo), Arg(diag), n, factor, max(1, n), mine, work, iwork, 0)[-1]
                    t.call(t.ref, f'{p}trcon_', Arg(kind), Arg(uplo), Arg(diag), n, factor, max(1, n), theirs, work, iwork, 0)
                    t.check(f'{p}trcon {kind}{uplo}{diag} n={n} {name}', info == 0 and agree(mine[0], theirs[0]), f'INFO {info}, ours {mine[0]:.6g}, reference {theirs[0]:.6g}')
        for uplo in 'UL':
            for n, cond in [(0, 1), (1, 1), (30, 10), (120, 1e5), (40, 1e10)]:
                a = t.hermitian_positive(n, dtype, cond=cond)
                anorm = real_box(p, anorm_of(t, p, '1', a) if n else 0)
                factor = a.copy(order='F')
                t.call(t.ref, f'{p}potrf_', Arg(uplo), n, factor, max(1, n), 0)
                mine, theirs = real_box(p), real_box(p)
                info = t.call(t.ours, f'{p}pocon_', Arg(uplo), n, factor, max(1, n), anorm, mine, work, iwork, 0)[-1]
                t.call(t.ref, f'{p}pocon_', Arg(uplo), n, factor, max(1, n), anorm, theirs, work, iwork, 0)
                t.check(f'{p}pocon {uplo} n={n} cond {cond:g}', info == 0 and agree(mine[0], theirs[0]), f'INFO {info}, ours {mine[0]:.6g}, reference {theirs[0]:.6g}')
        # An exactly singular U: the solves overflow; RCOND is 0 for both.
        a = t.random(20, 20, dtype)[1].copy()
        a[:, 3] = 0
        factor, ipiv = np.asfortranarray(a), np.zeros(20, np.int32)
        t.call(t.ref, f'{p}getrf_', 20, 20, factor, 20, ipiv, 0)
        anorm = real_box(p, anorm_of(t, p, '1', a))
        mine, theirs = real_box(p, -1), real_box(p, -1)
        t.call(t.ours, f'{p}gecon_', Arg('1'), 20, factor, 20, anorm, mine, work, iwork, 0)
        t.call(t.ref, f'{p}gecon_', Arg('1'), 20, factor, 20, anorm, theirs, work, iwork, 0)
        t.check(f'{p}gecon singular', mine[0] == theirs[0] == 0, f'ours {mine[0]}, reference {theirs[0]}')


def illegal(t):
    a = np.zeros((4, 4), order='F')
    r = np.zeros(1)
    w = np.zeros(64)
    iw = np.zeros(64, np.int32)
    return [
        ('DGECON', 1, [Arg('X'), 2, a, 2, np.array([1.0]), r, w, iw, 0]),
        ('DGECON', 2, [Arg('1'), -1, a, 2, np.array([1.0]), r, w, iw, 0]),
        ('DGECON', 4, [Arg('I'), 3, a, 2, np.array([1.0]), r, w, iw, 0]),
        ('DGECON', 5, [Arg('O'), 2, a, 2, np.array([-1.0]), r, w, iw, 0]),
        ('DPOCON', 1, [Arg('X'), 2, a, 2, np.array([1.0]), r, w, iw, 0]),
        ('DPOCON', 2, [Arg('U'), -1, a, 2, np.array([1.0]), r, w, iw, 0]),
        ('DPOCON', 4, [Arg('U'), 3, a, 2, np.array([1.0]), r, w, iw, 0]),
        ('DPOCON', 5, [Arg('L'), 2, a, 2, np.array([-1.0]), r, w, iw, 0]),
        ('DTRCON', 1, [Arg('X'), Arg('U'), Arg('N'), 2, a, 2, r, w, iw, 0]),
        ('DTRCON', 2, [Arg('1'), Arg('X'), Arg('N'), 2, a, 2, r, w, iw, 0]),
        ('DTRCON', 3, [Arg('1'), Arg('U'), Arg('X'), 2, a, 2, r, w, iw, 0]),
        ('DTRCON', 4, [Arg('1'), Arg('U'), Arg('N'), -1, a, 2, r, w, iw, 0]),
        ('DTRCON', 6, [Arg('1'), Arg('U'), Arg('N'), 3, a, 2, r, w, iw, 0]),
    ]
