"""xPOTRF, xPOTRS, xPOSV against reference LAPACK."""

import numpy as np
from common import Arg, DTYPES, THRESH, ratio

SIZES = [0, 1, 2, 5, 31, 32, 33, 64, 100, 257, 600]


def triangle(a, uplo):
    return np.tril(a) if uplo == 'L' else np.triu(a)


def other_triangle_kept(before, after, uplo):
    strict = np.triu(np.ones(before.shape, bool), 1) if uplo == 'L' else np.tril(np.ones(before.shape, bool), -1)
    return np.array_equal(before[strict], after[strict], equal_nan=True)


def potrf_case(t, p, uplo, a, name, ld_extra=0):
    """Factors `a` with ours and the reference: same INFO; when 0, ||A - LL^H|| small;
    the other triangle and the rows below n untouched."""
    n = a.shape[0]
    dtype = DTYPES[p]
    full = np.full((n + ld_extra, n), 7.0, dtype=dtype, order='F')
    full[:n, :] = a
    mine, theirs = full.copy(order='F'), full.copy(order='F')
    info = t.call(t.ours, f'{p}potrf_', Arg(uplo), n, mine, max(1, n + ld_extra), 0)[-1]
    ref_info = t.call(t.ref, f'{p}potrf_', Arg(uplo), n, theirs, max(1, n + ld_extra), 0)[-1]
    label = f'{p}potrf {uplo} n={n} {name}'
    t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: only the {uplo} triangle written', other_triangle_kept(full[:n], mine[:n], uplo))
    t.check(f'{label}: rows below n untouched', np.array_equal(mine[n:], full[n:]))
    if info == 0 and n and np.isfinite(a).all():
        f = triangle(mine[:n], uplo)
        product = f @ f.conj().T if uplo == 'L' else f.conj().T @ f
        full_a = np.tril(a) + np.tril(a, -1).conj().T if uplo == 'L' else np.triu(a) + np.triu(a, 1).conj().T
        r = ratio(product.astype(np.complex128) - full_a, full_a, n, dtype)
        t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')
    return mine


def solve_case(t, p, routine, uplo, a, nrhs, name):
    n = a.shape[0]
    dtype = DTYPES[p]
    _, b = t.random(n, nrhs, dtype)
    b = np.asfortranarray(b)
    label = f'{p}{routine} {uplo} n={n} nrhs={nrhs} {name}'
    if routine == 'potrs':
        factor = a.copy(order='F')
        t.call(t.ref, f'{p}potrf_', Arg(uplo), n, factor, max(1, n), 0)
    else:
        factor = a.copy(order='F')
    x, x_ref = b.copy(order='F'), b.copy(order='F')
    f_ref = a.copy(order='F')
    info = t.call(t.ours, f'{p}{routine}_', Arg(uplo), n, nrhs, factor, max(1, n), x, max(1, n), 0)[-1]
    if routine == 'posv':
        ref_info = t.call(t.ref, f'{p}posv_', Arg(uplo), n, nrhs, f_ref, max(1, n), x_ref, max(1, n), 0)[-1]
        t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    else:
        t.check(f'{label}: INFO', info == 0, f'INFO {info}')
    if info == 0 and n and nrhs:
        full_a = np.tril(a) + np.tril(a, -1).conj().T if uplo == 'L' else np.triu(a) + np.triu(a, 1).conj().T
        residual = full_a.astype(np.complex128) @ x - b
        r = ratio(residual, np.linalg.norm(full_a, 1) * np.linalg.norm(x, 1), n, dtype)
        t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')


def run(t):
    for p, dtype in DTYPES.items():
        for uplo in 'UL':
            for n in SIZES:
                potrf_case(t, p, uplo, t.hermitian_positive(n, dtype), 'well-conditioned')
                potrf_case(t, p, uplo, t.hermitian_positive(n, dtype), 'lda > n', ld_extra=3)
            big = 1e5 if p in 'sc' else 1e12
            potrf_case(t, p, uplo, t.hermitian_positive(80, dtype, cond=big), f'cond {big:g}')
            for n, k in [(1, 0), (5, 2), (40, 39), (70, 33), (100, 60)]:
                a = t.hermitian_positive(n, dtype)
                a[k, k] = -1.0
                potrf_case(t, p, uplo, a, f'not positive definite at {k + 1}')
            for bad in [np.nan, np.inf]:
                for n, (i, j) in [(1, (0, 0)), (6, (3, 3)), (50, (40, 2)), (70, (2, 40))]:
                    a = t.hermitian_positive(n, dtype)
                    a[i, j] = bad
                    potrf_case(t, p, uplo, a, f'{bad} at ({i + 1},{j + 1})')
            # Orders from 256 on take the threaded look-ahead form.
            potrf_case(t, p, uplo, t.hermitian_positive(300, dtype), 'order 300', ld_extra=3)
            potrf_case(t, p, uplo, t.hermitian_positive(300, dtype, cond=big), f'order 300, cond {big:g}')
            a = t.hermitian_positive(300, dtype)
            a[200, 200] = -1.0
            potrf_case(t, p, uplo, a, 'order 300, not positive definite at 201')
            solve_case(t, p, 'posv', uplo, t.hermitian_positive(400, dtype), 3, 'order 400')
            for routine in ['potrs', 'posv']:
                for n, nrhs in [(0, 3), (3, 0), (1, 1), (10, 3), (40, 1), (100, 7)]:
                    solve_case(t, p, routine, uplo, t.hermitian_positive(n, dtype), nrhs, 'random')
            a = t.hermitian_positive(20, dtype)
            a[7, 7] = -2.0
            solve_case(t, p, 'posv', uplo, a, 2, 'not positive definite')


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    b = np.zeros((4, 4), order='F')
    return [
        ('DPOTRF', 1, [Arg('X'), 2, a, 2, 0]),
        ('DPOTRF', 2, [Arg('U'), -1, a, 2, 0]),
        ('DPOTRF', 4, [Arg('L'), 3, a, 2, 0]),
        ('DPOTRS', 1, [Arg('/'), 2, 1, a, 2, b, 2, 0]),
        ('DPOTRS', 2, [Arg('U'), -2, 1, a, 2, b, 2, 0]),
        ('DPOTRS', 3, [Arg('U'), 2, -1, a, 2, b, 2, 0]),
        ('DPOTRS', 5, [Arg('U'), 2, 1, a, 1, b, 2, 0]),
        ('DPOTRS', 7, [Arg('U'), 2, 1, a, 2, b, 1, 0]),
        ('DPOSV', 7, [Arg('L'), 3, 1, a, 3, b, 2, 0]),
        ('DPOSV', 1, [Arg('X'), 2, 1, a, 2, b, 2, 0]),
        ('DPOSV', 2, [Arg('U'), -1, 1, a, 2, b, 2, 0]),
        ('DPOSV', 3, [Arg('U'), 2, -1, a, 2, b, 2, 0]),
        ('DPOSV', 5, [Arg('U'), 3, 1, a, 2, b, 3, 0]),
    ]
