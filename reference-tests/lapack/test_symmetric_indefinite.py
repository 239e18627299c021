"""xSYTRF, xSYTRS, xSYSV (s/d/c/z) and xHETRF, xHETRS, xHESV (c/z) against reference
LAPACK. Our factor must be LAPACK's: the same IPIV (1x1 and 2x2 pivots, negative for
2x2 blocks), and D with the multipliers stored so that the reference's own consumers
(xSYTRS, xSYTRI) work on it and so that U D U^T (L D L^T) rebuilt from it by LAPACK's
documented convention is A."""

import numpy as np
from common import Arg, DTYPES, THRESH, ratio, real_dtype

SIZES = [0, 1, 2, 3, 5, 31, 63, 64, 65, 100, 129, 200]
BLOCK = 64


def routines(p):
    """(prefix of the routine names, Hermitian) pairs for precision p."""
    return [('sy', False)] + ([('he', True)] if p in 'cz' else [])


def full_matrix(a, uplo, hermitian):
    """The matrix whose `uplo` triangle is stored in a (Hermitian: real diagonal)."""
    t = np.tril(a) if uplo == 'L' else np.triu(a)
    strict = np.tril(a, -1) if uplo == 'L' else np.triu(a, 1)
    other = strict.conj().T if hermitian else strict.T
    f = t + other
    if hermitian:
        f = f - 1j * np.diag(np.diag(f).imag) if np.iscomplexobj(f) else f
    return f


def rebuild(f, ipiv, uplo, hermitian):
    """U D U^T / L D L^T (^H when Hermitian) from a factor in LAPACK's storage, by the
    convention xSYTRF documents: U = P(n) U(n) ... P(k) U(k) ..., each U(k) unit with
    the multipliers of step k in its column(s), P(k) the interchange of step k."""
    n = f.shape[0]
    f = f.astype(np.complex128)
    x = np.eye(n, dtype=np.complex128)
    d = np.zeros((n, n), np.complex128)
    steps = []
    if uplo == 'U':
        k = n - 1
        while k >= 0:
            if ipiv[k] > 0:
                steps.append(([k], ipiv[k] - 1, k))
                k -= 1
            else:
                steps.append(([k - 1, k], -ipiv[k] - 1, k - 1))
                k -= 2
    else:
        k = 0
        while k < n:
            if ipiv[k] > 0:
                steps.append(([k], ipiv[k] - 1, k))
                k += 1
            else:
                steps.append(([k, k + 1], -ipiv[k] - 1, k + 1))
                k += 2
    for cols, kp, swapped in steps:
        p = np.eye(n, dtype=np.complex128)
        p[[swapped, kp]] = p[[kp, swapped]]
        u = np.eye(n, dtype=np.complex128)
        for c in cols:
            rows = slice(0, cols[0]) if uplo == 'U' else slice(cols[-1] + 1, n)
            u[rows, c] = f[rows, c]
        x = x @ p @ u
        block = np.ix_(cols, cols)
        if len(cols) == 1:
            d[block] = f[cols[0], cols[0]]
        else:
            i, j = cols
            off = f[i, j] if uplo == 'U' else f[j, i]
            d[i, i], d[j, j] = f[i, i], f[j, j]
            if uplo == 'U':
                d[i, j], d[j, i] = off, (np.conj(off) if hermitian else off)
            else:
                d[j, i], d[i, j] = off, (np.conj(off) if hermitian else off)
    xt = x.conj().T if hermitian else x.T
    return x @ d @ xt


def untouched_outside(before, after, n, uplo):
    """The other triangle and the rows below n are as the caller left them."""
    strict = np.triu(np.ones((n, n), bool), 1) if uplo == 'L' else np.tril(np.ones((n, n), bool), -1)
    return (np.array_equal(before[:n][strict], after[:n][strict], equal_nan=True)
            and np.array_equal(before[n:], after[n:], equal_nan=True))


def symmetric(t, n, dtype, hermitian, values=None):
    """A random symmetric (Hermitian) n x n matrix, or one with the given eigenvalues."""
    _, a = t.random(n, n, dtype)
    if values is None:
        a = a + (a.conj().T if hermitian else a.T)
    else:
        wide = np.complex128 if np.issubdtype(dtype, np.complexfloating) else np.float64
        q, _ = np.linalg.qr(t.random(n, n, wide)[1])
        a = (q * values) @ (q.conj().T if hermitian else q.T)
    if hermitian:
        a = (a + a.conj().T) / 2
    return np.asfortranarray(a.astype(dtype))


def factor_case(t, p, kind, uplo, a, name, ld_extra=0, lwork=None, check_ipiv=True, same_info=True):
    """Our xSYTRF/xHETRF against the reference's; returns (factor, ipiv, info).
    same_info off for a NaN or Inf off the diagonal: where its NaNs end up (which
    D(i,i) becomes NaN first) depends on how the BLAS's I?AMAX and GEMM treat them
    and on the order of operations (the reference LAPACK here runs on OpenBLAS); it
    must then still show, in INFO or the factor."""
    hermitian = kind == 'he'
    n = a.shape[0]
    dtype = DTYPES[p]
    ld = max(1, n + ld_extra)
    full = np.full((ld, n), 7.0, dtype=dtype, order='F')
    full[:n] = a
    mine, theirs = full.copy(order='F'), full.copy(order='F')
    ip, ip_ref = np.zeros(max(n, 1), np.int32), np.zeros(max(n, 1), np.int32)
    lwork = lwork or max(1, n * BLOCK)
    work = np.zeros(max(lwork, 1), dtype)
    label = f'{p}{kind}trf {uplo} n={n} {name}'
    info = t.call(t.ours, f'{p}{kind}trf_', Arg(uplo), n, mine, ld, ip, work, lwork, 0)[-1]
    ref_work = np.zeros(max(1, n * BLOCK), dtype)
    ref_info = t.call(t.ref, f'{p}{kind}trf_', Arg(uplo), n, theirs, ld, ip_ref, ref_work,
                      ref_work.size, 0)[-1]
    if same_info:
        t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    else:
        t.check(f'{label}: the NaN or Inf shows', info > 0 or not np.isfinite(mine[:n]).all(), f'INFO {info}')
    t.check(f'{label}: nothing written outside the {uplo} triangle', untouched_outside(full, mine, n, uplo))
    if check_ipiv and np.isfinite(a).all():
        t.check(f'{label}: IPIV', np.array_equal(ip[:n], ip_ref[:n]), f'ours {ip[:n][:12]}, reference {ip_ref[:n][:12]}')
    ok_pivots = all(1 <= abs(v) <= n for v in ip[:n])
    t.check(f'{label}: IPIV entries in 1..N', ok_pivots, f'{ip[:n]}')
    if hermitian and n:
        t.check(f'{label}: real diagonal', np.all(np.diag(mine[:n]).imag == 0))
    if n and ok_pivots and np.isfinite(a).all() and np.isfinite(mine[:n]).all():
        rebuilt = rebuild(mine[:n], ip[:n], uplo, hermitian)
        whole = full_matrix(a, uplo, hermitian)
        r = ratio(rebuilt - whole, whole, n, dtype)
        t.check(f'{label}: A = U D U^T rebuilt from the factor', r < THRESH, f'ratio {r:.3g}')
    return mine, ip, info


def solve_residual(t, whole, x, b, dtype):
    n = whole.shape[0]
    residual = whole.astype(np.complex128) @ x - b
    return ratio(residual, np.linalg.norm(whole, 1) * max(np.linalg.norm(x, 1), 1e-300), n, dtype)


def consumers_case(t, p, kind, uplo, a, f, ip, name):
    """The reference's SYTRS and SYTRI (forwarded in our library) on our factor, and our
    SYTRS on the reference's factor."""
    hermitian = kind == 'he'
    n = a.shape[0]
    dtype = DTYPES[p]
    whole = full_matrix(a, uplo, hermitian)
    label = f'{p}{kind} {uplo} n={n} {name}'
    _, b = t.random(n, 3, dtype)
    b = np.asfortranarray(b)
    x = b.copy(order='F')
    info = t.call(t.ref, f'{p}{kind}trs_', Arg(uplo), n, 3, f.copy(order='F'), n, ip, x, n, 0)[-1]
    r = solve_residual(t, whole, x, b, dtype)
    t.check(f'{label}: reference {p}{kind}trs on our factor', info == 0 and r < THRESH, f'INFO {info}, ratio {r:.3g}')
    inverse = f.copy(order='F')
    work = np.zeros(max(1, 2 * n), dtype)
    info = t.call(t.ref, f'{p}{kind}tri_', Arg(uplo), n, inverse, n, ip, work, 0)[-1]
    if info == 0:
        inv = full_matrix(inverse, uplo, hermitian)
        r = ratio(whole.astype(np.complex128) @ inv - np.eye(n), np.linalg.norm(whole, 1) * np.linalg.norm(inv, 1), n, dtype)
        t.check(f'{label}: reference {p}{kind}tri on our factor', r < THRESH, f'ratio {r:.3g}')
    else:
        t.check(f'{label}: reference {p}{kind}tri on our factor', False, f'INFO {info}')
    # The other way round: our solve on the reference's factor.
    theirs = a.copy(order='F')
    ip_ref = np.zeros(n, np.int32)
    work = np.zeros(n * BLOCK, dtype)
    t.call(t.ref, f'{p}{kind}trf_', Arg(uplo), n, theirs, n, ip_ref, work, work.size, 0)
    # The reference's condition estimate on our factor and on its own: the same
    # estimator on factors equal to rounding, so nearly the same number.
    rconds = []
    for factor, pivots in ((f, ip), (theirs, ip_ref)):
        anorm = np.array([np.linalg.norm(whole, 1)], real_dtype(dtype))
        rcond = np.zeros(1, real_dtype(dtype))
        args = [Arg(uplo), n, factor.copy(order='F'), n, pivots, anorm, rcond, np.zeros(2 * n, dtype)]
        if kind == 'sy' and p in 'sd':
            args.append(np.zeros(n, np.int32))
        info = t.call(t.ref, f'{p}{kind}con_', *args, 0)[-1]
        rconds.append((info, float(rcond[0])))
    (i1, r1), (i2, r2) = rconds
    t.check(f'{label}: reference {p}{kind}con on our factor', i1 == 0 and i2 == 0 and abs(np.log(r1 / r2)) < np.log(1.5),
            f'ours {rconds[0]}, reference {rconds[1]}')
    x = b.copy(order='F')
    info = t.call(t.ours, f'{p}{kind}trs_', Arg(uplo), n, 3, theirs, n, ip_ref, x, n, 0)[-1]
    r = solve_residual(t, whole, x, b, dtype)
    t.check(f'{label}: our {p}{kind}trs on the reference factor', info == 0 and r < THRESH, f'INFO {info}, ratio {r:.3g}')


def solve_case(t, p, kind, uplo, a, nrhs, name, ldb_extra=0):
    """Our xSYSV against the reference's (INFO, residual), and our xSYTRS after our
    xSYTRF (residual); B's rows below n untouched."""
    hermitian = kind == 'he'
    n = a.shape[0]
    dtype = DTYPES[p]
    whole = full_matrix(a, uplo, hermitian)
    ldb = max(1, n + ldb_extra)
    _, b = t.random(n, nrhs, dtype)
    bfull = np.full((ldb, nrhs), 5.0, dtype=dtype, order='F')
    bfull[:n] = b
    label = f'{p}{kind}sv {uplo} n={n} nrhs={nrhs} {name}'
    x, x_ref = bfull.copy(order='F'), bfull.copy(order='F')
    f, f_ref = a.copy(order='F'), a.copy(order='F')
    ip, ip_ref = np.zeros(max(n, 1), np.int32), np.zeros(max(n, 1), np.int32)
    work = np.zeros(max(1, n * BLOCK), dtype)
    info = t.call(t.ours, f'{p}{kind}sv_', Arg(uplo), n, nrhs, f, max(1, n), ip, x, ldb, work, work.size, 0)[-1]
    ref_info = t.call(t.ref, f'{p}{kind}sv_', Arg(uplo), n, nrhs, f_ref, max(1, n), ip_ref, x_ref, ldb,
                      work.copy(), work.size, 0)[-1]
    t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: rows of B below n untouched', np.array_equal(x[n:], bfull[n:]))
    if info == 0 and n and nrhs:
        r = solve_residual(t, whole, x[:n], b, dtype)
        t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')
        # xSYTRS with the factor xSYSV left.
        y = bfull.copy(order='F')
        info = t.call(t.ours, f'{p}{kind}trs_', Arg(uplo), n, nrhs, f, max(1, n), ip, y, ldb, 0)[-1]
        r = solve_residual(t, whole, y[:n], b, dtype)
        t.check(f'{p}{kind}trs {uplo} n={n} nrhs={nrhs} {name}: residual', info == 0 and r < THRESH,
                f'INFO {info}, ratio {r:.3g}')


def query_case(t, p, kind):
    dtype = DTYPES[p]
    for n in [0, 1, 5, 100]:
        answers = []
        for lib in (t.ours, t.ref):
            work = np.zeros(1, dtype)
            a = np.zeros((max(n, 1), max(n, 1)), dtype, order='F')
            info = t.call(lib, f'{p}{kind}trf_', Arg('L'), n, a, max(1, n), np.zeros(max(n, 1), np.int32), work, -1, 0)[-1]
            work2 = np.zeros(1, dtype)
            info2 = t.call(lib, f'{p}{kind}sv_', Arg('U'), n, 1, a, max(1, n), np.zeros(max(n, 1), np.int32),
                           a, max(1, n), work2, -1, 0)[-1]
            answers.append((info, work[0].real, info2, work2[0].real))
        t.check(f'{p}{kind}trf/{p}{kind}sv n={n}: workspace query as the reference', answers[0] == answers[1],
                f'ours {answers[0]}, reference {answers[1]}')


def run(t):
    for p, dtype in DTYPES.items():
        for kind, hermitian in routines(p):
            query_case(t, p, kind)
            for uplo in 'UL':
                for n in SIZES:
                    a = symmetric(t, n, dtype, hermitian)
                    f, ip, info = factor_case(t, p, kind, uplo, a, 'random')
                    if info == 0 and n in (5, 65, 129):
                        consumers_case(t, p, kind, uplo, a, f, ip, 'random')
                factor_case(t, p, kind, uplo, symmetric(t, 40, dtype, hermitian), 'lda > n', ld_extra=3)
                if hermitian:
                    # The imaginary part of a Hermitian matrix's diagonal is not read.
                    a = symmetric(t, 70, dtype, hermitian)
                    a[np.diag_indices(70)] += 0.5j
                    factor_case(t, p, kind, uplo, a, 'imaginary diagonal ignored')
                factor_case(t, p, kind, uplo, symmetric(t, 150, dtype, hermitian), 'LWORK = 1', lwork=1)
                # Ill-conditioned and indefinite, and a diagonal that forces 2x2 pivots.
                big = 1e5 if p in 'sc' else 1e12
                values = np.geomspace(1, 1 / big, 90) * np.where(np.arange(90) % 2, -1, 1)
                a = symmetric(t, 90, dtype, hermitian, values)
                factor_case(t, p, kind, uplo, a, f'cond {big:g}', check_ipiv=False)
                a = symmetric(t, 100, dtype, hermitian)
                np.fill_diagonal(a, 0)
                f, ip, info = factor_case(t, p, kind, uplo, a, 'zero diagonal (2x2 pivots)')
                t.check(f'{p}{kind}trf {uplo} zero diagonal: 2x2 pivots taken', (ip < 0).any())
                if info == 0:
                    consumers_case(t, p, kind, uplo, a, f, ip, 'zero diagonal')
                # Singular: a zero row and column, and the zero matrix.
                for n, k in [(1, 0), (6, 0), (6, 5), (70, 33), (150, 100)]:
                    a = symmetric(t, n, dtype, hermitian)
                    a[k, :] = 0
                    a[:, k] = 0
                    factor_case(t, p, kind, uplo, a, f'zero row/column {k + 1}')
                factor_case(t, p, kind, uplo, np.zeros((80, 80), dtype, order='F'), 'zero matrix')
                for bad in [np.nan, np.inf]:
                    for n, (i, j) in [(1, (0, 0)), (6, (3, 3)), (70, (40, 2)), (70, (2, 40))]:
                        a = symmetric(t, n, dtype, hermitian)
                        a[i, j] = bad
                        factor_case(t, p, kind, uplo, a, f'{bad} at ({i + 1},{j + 1})', same_info=i == j)
                for n, nrhs in [(0, 2), (3, 0), (1, 1), (10, 3), (65, 1), (140, 9)]:
                    solve_case(t, p, kind, uplo, symmetric(t, n, dtype, hermitian), nrhs, 'random')
                solve_case(t, p, kind, uplo, symmetric(t, 30, dtype, hermitian), 2, 'ldb > n', ldb_extra=4)
                # Several blocks of the level-3 solve, with 2x2 pivots on their edges.
                a = symmetric(t, 300, dtype, hermitian)
                np.fill_diagonal(a, 0)
                solve_case(t, p, kind, uplo, a, 5, 'zero diagonal, ldb > n', ldb_extra=2)
                a = symmetric(t, 20, dtype, hermitian)
                a[7, :] = 0
                a[:, 7] = 0
                solve_case(t, p, kind, uplo, a, 2, 'singular')


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    b = np.zeros((4, 4), order='F')
    w = np.zeros(16)
    ip = np.ones(4, np.int32)
    bad_ip = np.array([1, 9, 1, 1], np.int32)
    cut_ip = np.array([1, 2, 3, -4], np.int32)
    z = np.zeros((4, 4), np.complex128, order='F')
    zb = np.zeros((4, 4), np.complex128, order='F')
    zw = np.zeros(16, np.complex128)
    return [
        ('DSYTRF', 1, [Arg('X'), 2, a, 2, ip, w, 16, 0]),
        ('DSYTRF', 2, [Arg('U'), -1, a, 2, ip, w, 16, 0]),
        ('DSYTRF', 4, [Arg('L'), 3, a, 2, ip, w, 16, 0]),
        ('DSYTRF', 7, [Arg('L'), 3, a, 3, ip, w, 0, 0]),
        ('DSYTRS', 1, [Arg('/'), 2, 1, a, 2, ip, b, 2, 0]),
        ('DSYTRS', 2, [Arg('U'), -2, 1, a, 2, ip, b, 2, 0]),
        ('DSYTRS', 3, [Arg('U'), 2, -1, a, 2, ip, b, 2, 0]),
        ('DSYTRS', 5, [Arg('U'), 2, 1, a, 1, ip, b, 2, 0]),
        ('DSYTRS', 8, [Arg('U'), 2, 1, a, 2, ip, b, 1, 0]),
        ('DSYTRS', 6, [Arg('U'), 4, 1, a, 4, bad_ip, b, 4, 0]),
        ('DSYTRS', 6, [Arg('L'), 4, 1, a, 4, cut_ip, b, 4, 0]),
        ('DSYSV', 5, [Arg('L'), 3, 1, a, 2, ip, b, 3, w, 16, 0]),
        ('DSYSV', 10, [Arg('L'), 3, 1, a, 3, ip, b, 3, w, 0, 0]),
        ('ZHETRF', 1, [Arg('x'), 2, z, 2, ip, zw, 16, 0]),
        ('ZHETRF', 7, [Arg('U'), 2, z, 2, ip, zw, -2, 0]),
        ('ZHETRS', 8, [Arg('U'), 3, 1, z, 3, ip, zb, 2, 0]),
        ('ZHESV', 3, [Arg('U'), 3, -1, z, 3, ip, zb, 3, zw, 16, 0]),
    ]
