"""xLANGE, xLANSY, xLANHE against reference LAPACK."""

import ctypes
import numpy as np
from common import Arg, DTYPES, eps

SHAPES = [(0, 0), (0, 4), (4, 0), (1, 1), (5, 3), (3, 5), (40, 40), (70, 33)]


def restype(p):
    return ctypes.c_float if p in 'sc' else ctypes.c_double


def same(ours, ref, dtype, n):
    if np.isnan(ref) or np.isnan(ours):
        return np.isnan(ref) and np.isnan(ours)
    return abs(ours - ref) <= 4 * max(n, 1) * eps(dtype) * abs(ref)


def run(t):
    for p, dtype in DTYPES.items():
        for kind in 'M1OIFE':
            for m, n in SHAPES:
                for name, a in [('random', t.random(m, n, dtype)[1]),
                                ('huge', t.random(m, n, dtype)[1] * np.float32(1e30) if m * n else t.random(m, n, dtype)[1])]:
                    work = np.zeros(max(m, 1), dtype=np.finfo(dtype).dtype)
                    a = np.asfortranarray(a)
                    v = t.call(t.ours, f'{p}lange_', Arg(kind), m, n, a, max(1, m), work, restype=restype(p))
                    r = t.call(t.ref, f'{p}lange_', Arg(kind), m, n, a, max(1, m), work, restype=restype(p))
                    t.check(f'{p}lange {kind} {m}x{n} {name}', same(v, r, dtype, m * n), f'ours {v}, reference {r}')
            a = np.asfortranarray(t.random(6, 6, dtype)[1])
            a[2, 3] = np.nan
            work = np.zeros(6, dtype=np.finfo(dtype).dtype)
            v = t.call(t.ours, f'{p}lange_', Arg(kind), 6, 6, a, 6, work, restype=restype(p))
            r = t.call(t.ref, f'{p}lange_', Arg(kind), 6, 6, a, 6, work, restype=restype(p))
            t.check(f'{p}lange {kind} with a NaN', same(v, r, dtype, 36), f'ours {v}, reference {r}')
            routines = [f'{p}lansy_'] + ([f'{p}lanhe_'] if p in 'cz' else [])
            for routine in routines:
                for uplo in 'UL':
                    for n in [0, 1, 7, 40]:
                        a = np.asfortranarray(t.random(n + 2, n, dtype)[1])
                        work = np.zeros(max(n, 1), dtype=np.finfo(dtype).dtype)
                        v = t.call(t.ours, routine, Arg(kind), Arg(uplo), n, a, n + 2, work, restype=restype(p))
                        r = t.call(t.ref, routine, Arg(kind), Arg(uplo), n, a, n + 2, work, restype=restype(p))
                        t.check(f'{routine[:-1]} {kind} {uplo} n={n} lda={n + 2}', same(v, r, dtype, n * n), f'ours {v}, reference {r}')


def illegal(t):
    # Functions without INFO: an unknown NORM (or UPLO) is reported, 0 returned.
    a = np.zeros((2, 2), order='F')
    w = np.zeros(4)
    return [
        ('DLANGE', 1, [Arg('X'), 2, 2, a, 2, w], False),
        ('DLANSY', 1, [Arg('X'), Arg('U'), 2, a, 2, w], False),
        ('DLANSY', 2, [Arg('M'), Arg('X'), 2, a, 2, w], False),
        ('ZLANHE', 2, [Arg('M'), Arg('X'), 2, np.zeros((2, 2), np.complex128, order='F'), 2, w], False),
    ]
