"""xGESDD and xGESVD against reference LAPACK."""

import numpy as np
from common import Arg, DTYPES, THRESH, eps, real_dtype, ratio

SHAPES = [(0, 0), (0, 3), (3, 0), (1, 1), (1, 5), (5, 1), (2, 2), (7, 3), (3, 7),
          (40, 40), (100, 30), (30, 100), (129, 128), (200, 60)]


def lwork_doc(p, routine, jobs, m, n):
    """The documented minimum LWORK."""
    mn, mx = min(m, n), max(m, n)
    if mn == 0:
        return 1
    if routine == 'gesvd':
        return max(1, 2 * mn + mx) if p in 'cz' else max(1, 3 * mn + mx, 5 * mn)
    j = jobs[0]
    if p in 'sd':
        return {'N': 3 * mn + max(mx, 7 * mn), 'O': 3 * mn + max(mx, 5 * mn * mn + 4 * mn),
                'S': 4 * mn * mn + 7 * mn, 'A': 4 * mn * mn + 6 * mn + mx}[j]
    return {'N': 2 * mn + mx, 'O': 2 * mn * mn + 2 * mn + mx, 'S': mn * mn + 3 * mn,
            'A': mn * mn + 2 * mn + mx}[j]


def lrwork(m, n):
    mn, mx = min(m, n), max(m, n)
    return max(1, 5 * mn * mn + 5 * mn, 2 * mx * mn + 2 * mn * mn + mn, 7 * mn)


def call(t, lib, p, routine, jobs, m, a, lda, s, u, ldu, vt, ldvt):
    """One call with LWORK the documented minimum; returns INFO and whether the
    element after WORK(LWORK) is intact."""
    dtype = DTYPES[p]
    n = a.shape[1]
    lw = lwork_doc(p, routine, jobs, m, n)
    work = np.full(lw + 1, 5, dtype)
    rwork = np.zeros(lrwork(m, n), real_dtype(dtype))
    iwork = np.zeros(8 * min(m, n) + 1, np.int32)
    if routine == 'gesdd':
        args = [Arg(jobs[0]), m, n, a, lda, s, u, ldu, vt, ldvt, work, lw]
        args += ([rwork] if p in 'cz' else []) + [iwork]
    else:
        args = [Arg(jobs[0]), Arg(jobs[1]), m, n, a, lda, s, u, ldu, vt, ldvt, work, lw]
        args += [rwork] if p in 'cz' else []
    info = t.call(lib, f'{p}{routine}_', *args, 0)[-1]
    return info, work[lw] == 5


def parts(routine, jobs, m, n):
    """(JOBU, JOBVT) as GESVD names them."""
    if routine == 'gesvd':
        return jobs
    j = jobs[0]
    if j == 'O':
        return ('O', 'A') if m >= n else ('A', 'O')
    return (j, j)


def svd_case(t, p, routine, jobs, a, name, ld_extra=0):
    m, n = a.shape
    k = min(m, n)
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    ju, jv = parts(routine, jobs, m, n)
    lda = max(1, m + ld_extra)
    full = np.full((lda, n), 7, dtype, order='F')
    full[:m] = a
    ldu, ldvt = max(1, m + 2), max(1, n + 2)
    results = []
    # The reference stops the process (xLASCL's XERBLA) on an Inf; a NaN it only
    # meets safely in GESDD.
    finite = np.isfinite(a).all() or (routine == 'gesdd' and np.isnan(a).any())
    for lib in (t.ours, t.ref) if finite else (t.ours, t.ours):
        x = full.copy(order='F')
        s = np.full(k + 1, 9, rdtype)
        u = np.full((ldu, m), 3, dtype, order='F')
        vt = np.full((ldvt, n), 3, dtype, order='F')
        info, guard = call(t, lib, p, routine, jobs, m, x, lda, s, u, ldu, vt, ldvt)
        results.append((info, guard, x, s, u, vt))
    (info, guard, x, s, u, vt), (ref_info, _, _, s_ref, _, _) = results
    label = f'{p}{routine} {"".join(jobs)} {m}x{n} {name}'
    t.check(f'{label}: nothing written past LWORK or S', guard and s[k] == 9)
    t.check(f'{label}: rows below m untouched', np.array_equal(x[m:], full[m:]))
    ucols = m if ju == 'A' else k
    vrows = n if jv == 'A' else k
    if ju not in 'AS':
        t.check(f'{label}: U untouched', (u == 3).all())
    if jv not in 'AS':
        t.check(f'{label}: VT untouched', (vt == 3).all())
    else:
        t.check(f'{label}: VT rows below the part untouched', (vt[vrows:] == 3).all())
    if not np.isfinite(a).all():
        if routine == 'gesdd' and np.isnan(a).any():
            t.check(f'{label}: INFO -4 as the reference', info == ref_info == -4, f'ours {info}, reference {ref_info}')
        else:
            t.check(f'{label}: INFO > 0, S NaN', info > 0 and np.isnan(s[:k]).all(), f'INFO {info}')
        return
    t.check(f'{label}: INFO', info == ref_info == 0, f'ours {info}, reference {ref_info}')
    if info != 0 or k == 0:
        return
    s, s_ref = s[:k].astype(float), s_ref[:k]
    t.check(f'{label}: descending, nonnegative', np.all(np.diff(s) <= 0) and s[-1] >= 0)
    r = np.max(np.abs(s - s_ref)) / (k * eps(dtype) * max(s_ref[0], np.finfo(rdtype).tiny))
    t.check(f'{label}: singular values agree with the reference', r < THRESH, f'ratio {r:.3g}')
    if ju == 'N' or jv == 'N':
        if ju != jv:
            # One side only: check its orthonormality.
            q = (x[:m, :k] if ju == 'O' else u[:m, :ucols]) if ju != 'N' else \
                (x[:k, :n] if jv == 'O' else vt[:vrows, :n]).conj().T
            r = ratio(q.conj().T.astype(np.complex128) @ q - np.eye(q.shape[1]), 1.0, max(m, n), dtype)
            t.check(f'{label}: orthogonality', r < THRESH, f'ratio {r:.3g}')
        # With no vectors A is destroyed (LAPACK's contract): ours computes a tall A's
        # values in A itself; only the rows below m must stay as they were (checked above).
        return
    uu = (x[:m, :k] if ju == 'O' else u[:m, :ucols]).astype(np.complex128)
    vv = (x[:k, :n] if jv == 'O' else vt[:vrows, :n]).astype(np.complex128)
    r = ratio(uu[:, :k] * s @ vv[:k] - a, a, max(m, n), dtype)
    t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')
    r = ratio(uu.conj().T @ uu - np.eye(uu.shape[1]), 1.0, m, dtype)
    t.check(f'{label}: U orthogonality', r < THRESH, f'ratio {r:.3g}')
    r = ratio(vv @ vv.conj().T - np.eye(vv.shape[0]), 1.0, n, dtype)
    t.check(f'{label}: VT orthogonality', r < THRESH, f'ratio {r:.3g}')


def query_case(t, p, routine, jobs, m, n):
    dtype = DTYPES[p]
    a = np.zeros((max(m, 1), max(n, 1)), dtype, order='F')
    work = np.zeros(2, dtype)
    s = np.zeros(max(1, min(m, n)), real_dtype(dtype))
    rwork = np.zeros(1, real_dtype(dtype))
    iwork = np.zeros(1, np.int32)
    if routine == 'gesdd':
        args = [Arg(jobs[0]), m, n, a, max(m, 1), s, a, max(m, 1), a, max(n, 1), work, -1]
        args += ([rwork] if p in 'cz' else []) + [iwork]
    else:
        args = [Arg(jobs[0]), Arg(jobs[1]), m, n, a, max(m, 1), s, a, max(m, 1), a, max(n, 1), work, -1]
        args += [rwork] if p in 'cz' else []
    info = t.call(t.ours, f'{p}{routine}_', *args, 0)[-1]
    minimum = lwork_doc(p, routine, jobs, m, n)
    if routine == 'gesdd':
        # The reference's own answer can be below its documented minimum (square 'A').
        ours = work[0].real
        t.call(t.ref, f'{p}{routine}_', *args, 0)
        minimum = min(minimum, work[0].real)
        work[0] = ours
    t.check(f'{p}{routine} {"".join(jobs)} {m}x{n} query', info == 0 and work[0].real >= minimum,
            f'INFO {info}, answered {work[0]}, minimum {minimum}')


def run(t):
    for p, dtype in DTYPES.items():
        big, tiny = (1e35, 1e-35) if p in 'sc' else (1e300, 1e-300)
        for routine, joblist in [('gesdd', ['N', 'S', 'A', 'O']),
                                 ('gesvd', ['NN', 'AA', 'SS', 'OS', 'SO', 'ON', 'NO', 'AN', 'NA', 'OA', 'AO', 'SN'])]:
            for jobs in joblist:
                for m, n in [(0, 0), (1, 1), (10, 3), (3, 10), (100, 20), (20, 100)]:
                    query_case(t, p, routine, jobs, m, n)
                shapes = SHAPES if jobs in ('N', 'S', 'A', 'O', 'AA', 'NN', 'OS') else SHAPES[:10]
                for m, n in shapes:
                    svd_case(t, p, routine, jobs, t.random(m, n, dtype)[1].copy(order='F'), 'random')
                svd_case(t, p, routine, jobs, t.random(30, 20, dtype)[1].copy(order='F'), 'lda > m', ld_extra=4)
                if routine == 'gesvd' and jobs not in ('AA', 'NN', 'OS'):
                    continue
                # Values alone: also through the QR (m >= 1.6 n) and A^H (wide) paths.
                values_only = [(130, 40), (40, 130)] if jobs in ('N', 'NN') else []
                for m, n in [(60, 40), (40, 60)] + values_only:
                    k = min(m, n)
                    graded = np.geomspace(1, 1e-12 if p in 'dz' else 1e-6, k)
                    svd_case(t, p, routine, jobs, t.with_singular_values(m, n, dtype, graded), 'ill-conditioned')
                    rank = np.concatenate([t.rng.uniform(1, 2, 10), np.zeros(k - 10)])
                    svd_case(t, p, routine, jobs, t.with_singular_values(m, n, dtype, rank), 'rank 10')
                    svd_case(t, p, routine, jobs, np.zeros((m, n), dtype, order='F'), 'zero')
                    for factor, what in [(big, 'huge'), (tiny, 'tiny')]:
                        a = t.with_singular_values(m, n, dtype, t.rng.uniform(0.5, 1, k) * factor)
                        svd_case(t, p, routine, jobs, a, f'{what} norm')
                # Above 128 faer's divide and conquer runs with 16-wide leaves (svd_params).
                if jobs in ('S', 'A', 'AA'):
                    for m, n in [(150, 140), (140, 150)]:
                        k = min(m, n)
                        rank = np.concatenate([t.rng.uniform(1, 2, 70), np.zeros(k - 70)])
                        svd_case(t, p, routine, jobs, t.with_singular_values(m, n, dtype, rank), 'rank 70, D&C leaves')
                        graded = np.geomspace(1, 1e-12 if p in 'dz' else 1e-6, k)
                        svd_case(t, p, routine, jobs, t.with_singular_values(m, n, dtype, graded), 'graded, D&C leaves')
                for bad in [np.nan, np.inf]:
                    for m, n, i, j in [(1, 1, 0, 0), (5, 3, 4, 1), (30, 50, 2, 40)]:
                        a = t.random(m, n, dtype)[1].copy(order='F')
                        a[i, j] = bad
                        svd_case(t, p, routine, jobs, a, f'{bad} at ({i + 1},{j + 1})')


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    s = np.zeros(4)
    work = np.zeros(200)
    iwork = np.zeros(100, np.int32)
    z = np.zeros((4, 4), np.complex128, order='F')
    zwork = np.zeros(200, np.complex128)
    return [
        ('DGESDD', 1, [Arg('X'), 2, 2, a, 2, s, a, 2, a, 2, work, 200, iwork, 0]),
        ('DGESDD', 2, [Arg('N'), -1, 2, a, 2, s, a, 2, a, 2, work, 200, iwork, 0]),
        ('DGESDD', 3, [Arg('N'), 2, -1, a, 2, s, a, 2, a, 2, work, 200, iwork, 0]),
        ('DGESDD', 5, [Arg('N'), 2, 1, a, 1, s, a, 1, a, 1, work, 5, iwork, 0]),
        ('DGESDD', 8, [Arg('A'), 2, 1, a, 2, s, a, 1, a, 1, work, 5, iwork, 0]),
        ('DGESDD', 10, [Arg('A'), 1, 2, a, 1, s, a, 1, a, 1, work, 5, iwork, 0]),
        ('DGESDD', 12, [Arg('N'), 4, 4, a, 4, s, a, 4, a, 4, work, 10, iwork, 0]),
        ('ZGESDD', 12, [Arg('A'), 4, 4, z, 4, s, z, 4, z, 4, zwork, 10, work, iwork, 0]),
        ('DGESVD', 1, [Arg('X'), Arg('N'), 0, 0, a, 1, s, a, 1, a, 1, work, 1, 0]),
        ('DGESVD', 2, [Arg('N'), Arg('X'), 0, 0, a, 1, s, a, 1, a, 1, work, 1, 0]),
        ('DGESVD', 2, [Arg('O'), Arg('O'), 0, 0, a, 1, s, a, 1, a, 1, work, 1, 0]),
        ('DGESVD', 3, [Arg('N'), Arg('N'), -1, 0, a, 1, s, a, 1, a, 1, work, 1, 0]),
        ('DGESVD', 4, [Arg('N'), Arg('N'), 0, -1, a, 1, s, a, 1, a, 1, work, 1, 0]),
        ('DGESVD', 6, [Arg('N'), Arg('N'), 2, 1, a, 1, s, a, 1, a, 1, work, 5, 0]),
        ('DGESVD', 9, [Arg('A'), Arg('N'), 2, 1, a, 2, s, a, 1, a, 1, work, 5, 0]),
        ('DGESVD', 11, [Arg('N'), Arg('A'), 1, 2, a, 1, s, a, 1, a, 1, work, 5, 0]),
        ('DGESVD', 13, [Arg('N'), Arg('N'), 4, 4, a, 4, s, a, 4, a, 4, work, 10, 0]),
        ('ZGESVD', 13, [Arg('A'), Arg('A'), 4, 4, z, 4, s, z, 4, z, 4, zwork, 5, work, 0]),
    ]
