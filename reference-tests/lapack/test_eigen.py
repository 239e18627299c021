"""xSYEVD/xHEEVD and xSYEV/xHEEV against reference LAPACK. xSYEV/xHEEV run LAPACK's
own algorithm: in a child with our library preloaded (so that the reference LAPACK
calls our BLAS) their eigenvalues must equal the reference's bit for bit."""

import json
import os
import subprocess
import sys
import numpy as np
from common import Arg, DTYPES, THRESH, eps, real_dtype, ratio

SIZES = [0, 1, 2, 3, 5, 31, 32, 64, 127, 128, 129, 200]


def name_of(p, routine):
    """dsyevd / zheevd: the real routines are SY, the complex HE."""
    return f'{p}{"he" if p in "cz" else "sy"}{routine}'


def hermitian(t, n, dtype, values):
    """A Hermitian n x n matrix with the given eigenvalues."""
    cplx = np.issubdtype(dtype, np.complexfloating)
    q, _ = np.linalg.qr(t.random(n, n, np.complex128 if cplx else np.float64)[1])
    a = (q * np.asarray(values, dtype=float)) @ q.conj().T
    return np.asfortranarray(((a + a.conj().T) / 2).astype(dtype))


def full_from(a, uplo):
    """The Hermitian matrix whose `uplo` triangle is stored in `a` (real diagonal)."""
    low = np.tril(a, -1) if uplo == 'L' else np.triu(a, 1).conj().T
    return low + low.conj().T + np.diag(np.diag(a).real)


def workspace(p, routine, jobz, n):
    """LAPACK's documented minima (LWORK, LRWORK, LIWORK)."""
    v = jobz == 'V'
    if routine == 'ev':
        return (max(1, (2 * n - 1) if p in 'cz' else (3 * n - 1)), max(1, 3 * n - 2), 1)
    if n <= 1:
        return (1, 1, 1)
    if p in 'sd':
        return (1 + 6 * n + 2 * n * n, 1, 3 + 5 * n) if v else (2 * n + 1, 1, 1)
    return (2 * n + n * n, 1 + 5 * n + 2 * n * n, 3 + 5 * n) if v else (n + 1, n, 1)


def call(t, lib, p, routine, jobz, uplo, a, lda, w, sizes):
    """One call with workspaces of exactly `sizes` (so that a write past the caller's
    LWORK would be seen by the guard element after each array)."""
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    lwork, lrwork, liwork = sizes
    work = np.full(max(lwork, 1) + 1, 5, dtype)
    rwork = np.full(max(lrwork, 1) + 1, 5, rdtype)
    iwork = np.full(max(liwork, 1) + 1, 5, np.int32)
    n = a.shape[1]
    args = [Arg(jobz), Arg(uplo), n, a, lda, w, work, lwork]
    if routine == 'evd':
        args += [rwork, lrwork] if p in 'cz' else []
        args += [iwork, liwork]
    elif p in 'cz':
        args += [rwork]
    info = t.call(lib, name_of(p, routine) + '_', *args, 0)[-1]
    guards = work[max(lwork, 1)] == 5 and iwork[max(liwork, 1)] == 5
    if routine == 'evd' and p in 'cz':
        guards = guards and rwork[max(lrwork, 1)] == 5
    return info, work, guards


def eig_case(t, p, routine, jobz, uplo, a, name, ld_extra=0):
    n = a.shape[0]
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    lda = max(1, n + ld_extra)
    full = np.full((lda, n), 7, dtype=dtype, order='F')
    full[:n] = a
    mine, theirs = full.copy(order='F'), full.copy(order='F')
    w, w_ref = np.full(n + 1, 9, rdtype), np.full(n + 1, 9, rdtype)
    sizes = workspace(p, routine, jobz, n)
    info, _, guards = call(t, t.ours, p, routine, jobz, uplo, mine, lda, w, sizes)
    ref_info, _, _ = call(t, t.ref, p, routine, jobz, uplo, theirs, lda, w_ref, sizes)
    label = f'{name_of(p, routine)} {jobz}{uplo} n={n} {name}'
    t.check(f'{label}: nothing written past the workspaces or W', guards and w[n] == 9)
    t.check(f'{label}: rows below n untouched', np.array_equal(mine[n:], full[n:]))
    if not np.isfinite(a).all():
        # Ours: INFO > 0 and NaN in W. The reference either fails too or returns NaN.
        t.check(f'{label}: INFO > 0, W NaN', info > 0 and np.isnan(w[:n]).all(), f'INFO {info}')
        t.check(f'{label}: reference fails too', ref_info > 0 or not np.isfinite(w_ref[:n]).all(),
                f'reference INFO {ref_info}')
        return
    t.check(f'{label}: INFO', info == ref_info == 0, f'ours {info}, reference {ref_info}')
    if info != 0 or n == 0:
        return
    w, w_ref = w[:n], w_ref[:n]
    t.check(f'{label}: ascending', np.all(np.diff(w) >= 0))
    scale = max(np.max(np.abs(w_ref)), np.finfo(rdtype).tiny)
    r = np.max(np.abs(w.astype(float) - w_ref)) / (n * eps(dtype) * scale)
    t.check(f'{label}: eigenvalues agree with the reference', r < THRESH, f'ratio {r:.3g}')
    h = full_from(a, uplo).astype(np.complex128)
    if jobz == 'V':
        z = mine[:n].astype(np.complex128)
        r = ratio(h @ z - z * w.astype(float), h, n, dtype)
        t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')
        r = ratio(z.conj().T @ z - np.eye(n), 1.0, n, dtype)
        t.check(f'{label}: orthogonality', r < THRESH, f'ratio {r:.3g}')
    else:
        strict = np.triu(np.ones((n, n), bool), 1) if uplo == 'L' else np.tril(np.ones((n, n), bool), -1)
        t.check(f'{label}: other triangle untouched', np.array_equal(mine[:n][strict], full[:n][strict]))


def query_case(t, p, routine, jobz, n):
    """LWORK = -1 answers at least the documented minima."""
    dtype = DTYPES[p]
    a = np.zeros((max(n, 1), max(n, 1)), dtype, order='F')
    w = np.zeros(max(n, 1), real_dtype(dtype))
    minima = workspace(p, routine, jobz, n)
    work = np.zeros(2, dtype)
    rwork = np.zeros(2, real_dtype(dtype))
    iwork = np.zeros(2, np.int32)
    args = [Arg(jobz), Arg('L'), n, a, max(n, 1), w, work, -1]
    if routine == 'evd':
        args += ([rwork, -1] if p in 'cz' else []) + [iwork, -1]
    elif p in 'cz':
        args += [rwork]
    info = t.call(t.ours, name_of(p, routine) + '_', *args, 0)[-1]
    label = f'{name_of(p, routine)} {jobz} n={n} query'
    got = [int(work[0].real)]
    if routine == 'evd':
        got += [int(rwork[0]) if p in 'cz' else minima[1], int(iwork[0])]
    else:
        got += [minima[1], minima[2]]
    t.check(label, info == 0 and all(g >= m for g, m in zip(got, minima)),
            f'INFO {info}, answered {got}, minima {minima}')


def run(t):
    for p, dtype in DTYPES.items():
        big, tiny = (1e35, 1e-35) if p in 'sc' else (1e300, 1e-300)
        for routine in ['evd', 'ev']:
            for jobz in 'NV':
                for n in [0, 1, 2, 10, 100]:
                    query_case(t, p, routine, jobz, n)
                for uplo in 'UL':
                    sizes = SIZES if routine == 'evd' else [0, 1, 2, 7, 64, 150]
                    for n in sizes:
                        values = t.rng.uniform(-1, 1, n)
                        eig_case(t, p, routine, jobz, uplo, hermitian(t, n, dtype, values), 'random')
                    eig_case(t, p, routine, jobz, uplo, t.random(40, 40, dtype)[1].copy(order='F'),
                             'general matrix (one triangle read)', ld_extra=3)
                    n = 150
                    eig_case(t, p, routine, jobz, uplo, hermitian(t, n, dtype, t.rng.uniform(-1, 1, n)),
                             'lda > n', ld_extra=5)
                    graded = np.geomspace(1, 1e-12 if p in 'dz' else 1e-6, n) * np.where(np.arange(n) % 2, -1, 1)
                    eig_case(t, p, routine, jobz, uplo, hermitian(t, n, dtype, graded), 'ill-conditioned')
                    # DDRVST's type 10 kind: eigenvalues clustered within ulps of +-1.
                    cluster = np.where(np.arange(n) % 2, -1, 1) * (1 + eps(dtype) * t.rng.integers(-3, 4, n))
                    eig_case(t, p, routine, jobz, uplo, hermitian(t, n, dtype, cluster), 'clustered')
                    rank = np.concatenate([t.rng.uniform(1, 2, 40), np.zeros(n - 40)])
                    eig_case(t, p, routine, jobz, uplo, hermitian(t, n, dtype, rank), 'rank 40')
                    eig_case(t, p, routine, jobz, uplo, np.eye(n, dtype=dtype, order='F'), 'identity')
                    eig_case(t, p, routine, jobz, uplo, np.zeros((n, n), dtype, order='F'), 'zero')
                    for factor, what in [(big, 'huge'), (tiny, 'tiny')]:
                        a = hermitian(t, 60, dtype, t.rng.uniform(-1, 1, 60) * factor)
                        eig_case(t, p, routine, jobz, uplo, a, f'{what} norm')
                    # Order 200 runs faer's divide and conquer, whose tolerances are absolute:
                    # unscaled, norms 1e-19 and 1e21 gave eigenvalues 2% and 1e-4 off. (Own
                    # generator: the shared stream's later matrices stay as they were.)
                    g = np.random.default_rng(20261129)
                    for factor in [1e-20, 1e20, big, tiny]:
                        m = g.standard_normal((200, 200)) + (1j * g.standard_normal((200, 200)) if p in 'cz' else 0)
                        q = np.linalg.qr(m)[0]
                        a = (q * (g.uniform(-1, 1, 200) * factor)) @ q.conj().T
                        a = np.asfortranarray(((a + a.conj().T) / 2).astype(dtype))
                        eig_case(t, p, routine, jobz, uplo, a, f'norm {factor:g}')
                    for bad in [np.nan, np.inf]:
                        for n, (i, j) in [(2, (1, 0)), (6, (3, 3)), (140, (100, 2))]:
                            a = hermitian(t, n, dtype, t.rng.uniform(-1, 1, n))
                            a[i, j] = a[j, i] = bad
                            eig_case(t, p, routine, jobz, uplo, a, f'{bad} at ({i + 1},{j + 1})')
    jobz_agreement(t)
    same_blas(t)


def ev_values(t, lib, p, jobz, uplo, a, lwork):
    """W and INFO of xSYEV/xHEEV from `lib` on a copy of `a` with LWORK `lwork`."""
    n = a.shape[0]
    dtype = DTYPES[p]
    b = a.copy(order='F')
    w = np.zeros(max(n, 1), real_dtype(dtype))
    args = [Arg(jobz), Arg(uplo), n, b, max(n, 1), w, np.zeros(max(lwork, 1), dtype), lwork]
    if p in 'cz':
        args.append(np.zeros(max(1, 3 * n - 2), real_dtype(dtype)))
    info = t.call(lib, name_of(p, 'ev') + '_', *args, 0)[-1]
    return info, w[:n]


def jobz_agreement(t):
    """JOBZ = 'N' (xSTERF) and 'V' (xSTEQR) eigenvalues agree to rounding: LAPACK's two
    iterations are not the same arithmetic, so they need not be identical."""
    for p, dtype in DTYPES.items():
        for uplo in 'UL':
            for n, kind in [(7, 'random'), (150, 'random'), (60, 'clustered')]:
                if kind == 'clustered':
                    values = 1 + eps(dtype) * np.arange(n) * np.where(np.arange(n) % 2, -1, 1)
                else:
                    values = t.rng.uniform(-1, 1, n)
                a = hermitian(t, n, dtype, values)
                minimum = max(1, 2 * n - 1 if p in 'cz' else 3 * n - 1)
                info_n, w_n = ev_values(t, t.ours, p, 'N', uplo, a, minimum)
                info_v, w_v = ev_values(t, t.ours, p, 'V', uplo, a, minimum)
                scale = max(np.max(np.abs(w_v)), np.finfo(real_dtype(dtype)).tiny)
                r = np.max(np.abs(w_n.astype(float) - w_v)) / (n * eps(dtype) * scale)
                t.check(f'{name_of(p, "ev")} {uplo} n={n} {kind}: JOBZ N and V values agree',
                        info_n == info_v == 0 and r < THRESH, f'INFO {info_n}/{info_v}, ratio {r:.3g}')


def same_blas_child(lib):
    """In a child with our library preloaded: for each case, whether our xSYEV/xHEEV
    and the reference LAPACK's (calling our BLAS) give identical INFO and W."""
    import ctypes
    import common
    ours = ctypes.CDLL(lib)
    ref = ctypes.CDLL(common.REFERENCE_LAPACK)
    t = common.Tally(ours, ref)
    results = []
    for p, dtype in DTYPES.items():
        for n in [2, 5, 17, 40, 100, 150]:
            for jobz in 'NV':
                for uplo in 'UL':
                    # LAPACK's minimum (unblocked reduction) and its optimum (blocked).
                    for lwork in [max(1, (2 if p in 'cz' else 3) * n - 1), (33 if p in 'cz' else 34) * n]:
                        if n == 5 and lwork > 100:
                            values = [1, 1 + 2 * eps(dtype), 1 - 2 * eps(dtype), -1, -1 + eps(dtype)]
                        else:
                            values = t.rng.uniform(-1, 1, n)
                        a = hermitian(t, n, dtype, values)
                        if n == 17:
                            # A -0.0 where the first reflector starts: xLARFG's SIGN
                            # follows the sign bit, so beta is positive.
                            i, j = (1, 0) if uplo == 'L' else (n - 2, n - 1)
                            a[i, j] = a[j, i] = -0.0
                        info, w = ev_values(t, ours, p, jobz, uplo, a, lwork)
                        ref_info, w_ref = ev_values(t, ref, p, jobz, uplo, a, lwork)
                        same = info == ref_info and np.array_equal(w, w_ref)
                        kind = ' (-0.0 first)' if n == 17 else ''
                        results.append([f'{name_of(p, "ev")} {jobz}{uplo} n={n}{kind} LWORK={lwork}', bool(same),
                                        float(np.max(np.abs(w.astype(float) - w_ref), initial=0))])
    print(json.dumps(results))


def same_blas(t):
    lib = t.ours._name
    here = os.path.dirname(os.path.abspath(__file__))
    code = f'import sys; sys.path.insert(0, {here!r}); import test_eigen; test_eigen.same_blas_child({lib!r})'
    child = subprocess.run([sys.executable, '-c', code], env=dict(os.environ, LD_PRELOAD=lib),
                           capture_output=True, text=True)
    t.check('same-BLAS child ran', child.returncode == 0, child.stderr[-2000:])
    if child.returncode != 0:
        return
    for label, same, difference in json.loads(child.stdout.splitlines()[-1]):
        t.check(f'{label}: W bitwise equal to the reference LAPACK on our BLAS', same,
                f'largest difference {difference:.3g}')


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    w = np.zeros(4)
    work = np.zeros(100)
    iwork = np.zeros(100, np.int32)
    z = np.zeros((4, 4), np.complex128, order='F')
    zwork = np.zeros(100, np.complex128)
    return [
        ('DSYEVD', 1, [Arg('X'), Arg('U'), 2, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYEVD', 2, [Arg('N'), Arg('/'), 2, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYEVD', 3, [Arg('N'), Arg('U'), -1, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYEVD', 5, [Arg('N'), Arg('U'), 3, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYEVD', 8, [Arg('N'), Arg('U'), 2, a, 2, w, work, 4, iwork, 100, 0]),
        ('DSYEVD', 8, [Arg('V'), Arg('U'), 2, a, 2, w, work, 20, iwork, 100, 0]),
        ('DSYEVD', 10, [Arg('V'), Arg('U'), 2, a, 2, w, work, 27, iwork, 12, 0]),
        ('ZHEEVD', 8, [Arg('N'), Arg('L'), 2, z, 2, w, zwork, 2, work, 100, iwork, 100, 0]),
        ('ZHEEVD', 10, [Arg('V'), Arg('L'), 2, z, 2, w, zwork, 8, work, 18, iwork, 100, 0]),
        ('ZHEEVD', 12, [Arg('V'), Arg('L'), 2, z, 2, w, zwork, 8, work, 21, iwork, 12, 0]),
        ('DSYEV', 1, [Arg('A'), Arg('U'), 2, a, 2, w, work, 100, 0]),
        ('DSYEV', 2, [Arg('N'), Arg('X'), 2, a, 2, w, work, 100, 0]),
        ('DSYEV', 3, [Arg('N'), Arg('U'), -1, a, 2, w, work, 100, 0]),
        ('DSYEV', 8, [Arg('N'), Arg('L'), 3, a, 3, w, work, 7, 0]),
        ('ZHEEV', 5, [Arg('N'), Arg('L'), 3, z, 2, w, zwork, 100, work, 0]),
        ('DSYEV', 5, [Arg('V'), Arg('U'), 2, a, 1, w, work, 100, 0]),
        ('DSYEV', 8, [Arg('V'), Arg('U'), 2, a, 2, w, work, 4, 0]),
        ('ZHEEV', 8, [Arg('V'), Arg('U'), 2, z, 2, w, zwork, 2, work, 0]),
    ]
