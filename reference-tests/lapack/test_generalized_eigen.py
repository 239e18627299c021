"""xSYGVD/xHEGVD and xSYGST/xHEGST against reference LAPACK."""

import numpy as np
from common import Arg, DTYPES, THRESH, eps, norm1, real_dtype, ratio
from test_eigen import full_from, hermitian

SIZES = [0, 1, 2, 3, 5, 31, 32, 33, 64, 129, 200]


def name_of(p, routine):
    """dsygvd / zhegvd, dsygst / zhegst."""
    return f'{p}{"he" if p in "cz" else "sy"}{routine}'


def workspace(p, jobz, n):
    """LAPACK's documented minima (LWORK, LRWORK, LIWORK) of xSYGVD / xHEGVD."""
    if n <= 1:
        return (1, 1, 1)
    if p in 'sd':
        return (1 + 6 * n + 2 * n * n, 1, 3 + 5 * n) if jobz == 'V' else (2 * n + 1, 1, 1)
    return (2 * n + n * n, 1 + 5 * n + 2 * n * n, 3 + 5 * n) if jobz == 'V' else (n + 1, n, 1)


def gvd_call(t, lib, p, itype, jobz, uplo, a, lda, b, ldb, w, sizes):
    """One call with workspaces of exactly `sizes` and a guard element after each."""
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    lwork, lrwork, liwork = sizes
    work = np.full(max(lwork, 1) + 1, 5, dtype)
    rwork = np.full(max(lrwork, 1) + 1, 5, rdtype)
    iwork = np.full(max(liwork, 1) + 1, 5, np.int32)
    n = a.shape[1]
    args = [itype, Arg(jobz), Arg(uplo), n, a, lda, b, ldb, w, work, lwork]
    args += ([rwork, lrwork] if p in 'cz' else []) + [iwork, liwork]
    info = t.call(lib, name_of(p, 'gvd') + '_', *args, 0)[-1]
    guards = work[max(lwork, 1)] == 5 and iwork[max(liwork, 1)] == 5 and rwork[max(lrwork, 1)] == 5
    return info, guards


def padded(a, ld, fill, dtype):
    n = a.shape[1]
    full = np.full((max(ld, 1), n), fill, dtype=dtype, order='F')
    full[:a.shape[0]] = a
    return full


def normalization(itype, s, z, n, dtype):
    """Z^H B Z = I (ITYPE 1, 2) or Z^H inv(B) Z = I (3), as a Netlib ratio."""
    gram = z.conj().T @ s @ z if itype < 3 else z.conj().T @ np.linalg.solve(s, z)
    return ratio(gram - np.eye(n), 1.0, n, dtype)


def gvd_case(t, p, itype, jobz, uplo, a, b, name, ld_extra=0, cond=1.0):
    """`cond`: B's condition number; eigenvalues are compared within THRESH * max(1,
    cond / 1000) (both solvers' errors grow as cond(B) eps |lambda|)."""
    n = a.shape[0]
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    lda, ldb = max(1, n + ld_extra), max(1, n + 2 * ld_extra)
    fa, fb = padded(a, lda, 7, dtype), padded(b, ldb, 6, dtype)
    mine_a, mine_b = fa.copy(order='F'), fb.copy(order='F')
    ref_a, ref_b = fa.copy(order='F'), fb.copy(order='F')
    w, w_ref = np.full(n + 1, 9, rdtype), np.full(n + 1, 9, rdtype)
    sizes = workspace(p, jobz, n)
    info, guards = gvd_call(t, t.ours, p, itype, jobz, uplo, mine_a, lda, mine_b, ldb, w, sizes)
    ref_info, _ = gvd_call(t, t.ref, p, itype, jobz, uplo, ref_a, lda, ref_b, ldb, w_ref, sizes)
    label = f'{name_of(p, "gvd")} {itype}{jobz}{uplo} n={n} {name}'
    t.check(f'{label}: nothing written past the workspaces or W', guards and w[n] == 9)
    t.check(f'{label}: rows below n untouched',
            np.array_equal(mine_a[n:], fa[n:]) and np.array_equal(mine_b[n:], fb[n:]))
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        # Inf on B's diagonal is a finite problem (inv(B) has a zero there); otherwise
        # both fail (INFO > 0) or return non-finite eigenvalues.
        ours_ok, ref_ok = (i == 0 and np.isfinite(v[:n]).all() for i, v in [(info, w), (ref_info, w_ref)])
        t.check(f'{label}: succeeds or fails as the reference', ours_ok == ref_ok,
                f'INFO {info}, reference {ref_info}')
        if ours_ok and ref_ok:
            r = np.max(np.abs(w[:n] - w_ref[:n])) / (n * eps(dtype) * max(np.max(np.abs(w_ref[:n])), 1e-30))
            t.check(f'{label}: eigenvalues agree with the reference', r < THRESH, f'ratio {r:.3g}')
        return
    t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    if info > n:
        # B not positive definite: A untouched, B's factor as far as it got.
        t.check(f'{label}: A untouched', np.array_equal(mine_a, fa))
        return
    if info != 0 or n == 0:
        return
    # B's Cholesky factor (its `uplo` triangle), the other triangle untouched.
    tri = np.triu if uplo == 'U' else np.tril
    other = np.tril(np.ones((n, n), bool), -1) if uplo == 'U' else np.triu(np.ones((n, n), bool), 1)
    r = ratio(tri(mine_b[:n]) - tri(ref_b[:n]), tri(ref_b[:n]), n, dtype)
    t.check(f'{label}: B holds its Cholesky factor', r < THRESH, f'ratio {r:.3g}')
    t.check(f'{label}: B other triangle untouched', np.array_equal(mine_b[:n][other], fb[:n][other]))
    w, w_ref = w[:n].astype(float), w_ref[:n].astype(float)
    t.check(f'{label}: ascending', np.all(np.diff(w) >= 0))
    scale = max(np.max(np.abs(w_ref)), np.finfo(rdtype).tiny)
    r = np.max(np.abs(w - w_ref)) / (n * eps(dtype) * scale)
    t.check(f'{label}: eigenvalues agree with the reference', r < THRESH * max(1.0, cond / 1e3),
            f'ratio {r:.3g}')
    if jobz == 'N':
        t.check(f'{label}: A other triangle untouched', np.array_equal(mine_a[:n][other], fa[:n][other]))
        return
    h, s = full_from(a, uplo).astype(np.complex128), full_from(b, uplo).astype(np.complex128)
    z = mine_a[:n].astype(np.complex128)
    # Netlib's xSGT01: the residual and the normalization of each ITYPE.
    if itype == 1:
        resid = h @ z - s @ z * w
    elif itype == 2:
        resid = h @ (s @ z) - z * w
    else:
        resid = s @ (h @ z) - z * w
    size = norm1(h) * norm1(s) * norm1(z) if itype > 1 else (norm1(h) + norm1(s) * scale) * norm1(z)
    r = ratio(resid, size, n, dtype)
    t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')
    # The normalization's error grows with cond(B): no worse than the reference's.
    r = normalization(itype, s, z, n, dtype)
    r_ref = normalization(itype, s, ref_a[:n].astype(np.complex128), n, dtype)
    t.check(f'{label}: normalization', r < max(THRESH, 3 * r_ref), f'ratio {r:.3g}, reference {r_ref:.3g}')


def gst_case(t, p, itype, uplo, a, b, name, ld_extra=0):
    """xSYGST on B's factor (from the reference xPOTRF): the `uplo` triangle of the
    reduced matrix against the reference's, the rest of A untouched."""
    n = a.shape[0]
    dtype = DTYPES[p]
    lda = max(1, n + ld_extra)
    factor = b.copy(order='F')
    t.call(t.ref, f'{p}potrf_', Arg(uplo), n, factor, max(1, n), 0)
    fa = padded(a, lda, 7, dtype)
    mine, theirs = fa.copy(order='F'), fa.copy(order='F')
    fb = factor.copy(order='F')
    info = t.call(t.ours, name_of(p, 'gst') + '_', itype, Arg(uplo), n, mine, lda, fb, max(1, n), 0)[-1]
    ref_info = t.call(t.ref, name_of(p, 'gst') + '_', itype, Arg(uplo), n, theirs, lda,
                      factor.copy(order='F'), max(1, n), 0)[-1]
    label = f'{name_of(p, "gst")} {itype}{uplo} n={n} {name}'
    t.check(f'{label}: INFO', info == ref_info == 0, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: B untouched', np.array_equal(fb, factor))
    if n == 0:
        return
    keep = np.tril(np.ones((lda, n), bool), -1) if uplo == 'U' else np.triu(np.ones((lda, n), bool), 1)
    keep[n:] = True
    t.check(f'{label}: outside the triangle untouched', np.array_equal(mine[keep], fa[keep]))
    tri = np.triu if uplo == 'U' else np.tril
    ours_c, ref_c = tri(mine[:n]), tri(theirs[:n])
    t.check(f'{label}: real diagonal', np.all(np.diag(ours_c).imag == 0))
    r = ratio(ours_c - ref_c, ref_c, n, dtype)
    t.check(f'{label}: reduced matrix agrees with the reference', r < THRESH, f'ratio {r:.3g}')


def query_case(t, p, jobz, n):
    """LWORK = -1 answers at least the documented minima, as the reference's query."""
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    minima = workspace(p, jobz, n)
    for lib, who in [(t.ours, 'ours'), (t.ref, 'reference')]:
        a = np.zeros((max(n, 1), max(n, 1)), dtype, order='F')
        b = np.eye(max(n, 1), dtype=dtype, order='F')
        w = np.zeros(max(n, 1), rdtype)
        work, rwork, iwork = np.zeros(2, dtype), np.zeros(2, rdtype), np.zeros(2, np.int32)
        args = [1, Arg(jobz), Arg('U'), n, a, max(n, 1), b, max(n, 1), w, work, -1]
        args += ([rwork, -1] if p in 'cz' else []) + [iwork, -1]
        info = t.call(lib, name_of(p, 'gvd') + '_', *args, 0)[-1]
        got = [int(work[0].real), int(rwork[0]) if p in 'cz' else minima[1], int(iwork[0])]
        t.check(f'{name_of(p, "gvd")} {jobz} n={n} query ({who})',
                info == 0 and all(g >= m for g, m in zip(got, minima)),
                f'INFO {info}, answered {got}, minima {minima}')


def not_definite(t, n, k, dtype):
    """A Hermitian B whose leading minors are positive definite up to order k - 1 and
    not at order k (its (k, k) entry is lowered below the Schur complement)."""
    b = t.hermitian_positive(n, dtype, cond=10.0).astype(np.complex128 if np.issubdtype(dtype, np.complexfloating) else np.float64)
    lead = b[:k - 1, :k - 1]
    col = b[:k - 1, k - 1]
    schur = (col.conj() @ np.linalg.solve(lead, col)).real if k > 1 else 0.0
    b[k - 1, k - 1] = schur - 0.5
    return np.asfortranarray(b.astype(dtype))


def run(t):
    for p, dtype in DTYPES.items():
        for jobz in 'NV':
            for n in [0, 1, 2, 10, 100]:
                query_case(t, p, jobz, n)
        for itype in (1, 2, 3):
            for uplo in 'UL':
                for n in [0, 1, 2, 5, 64, 129]:
                    a = hermitian(t, n, dtype, t.rng.uniform(-1, 1, n))
                    gst_case(t, p, itype, uplo, a, t.hermitian_positive(n, dtype, 100.0), 'random', ld_extra=n % 3)
                for jobz in 'NV':
                    for n in SIZES:
                        a = hermitian(t, n, dtype, t.rng.uniform(-1, 1, n))
                        b = t.hermitian_positive(n, dtype, 10.0)
                        gvd_case(t, p, itype, jobz, uplo, a, b, 'random')
                    n = 70
                    gvd_case(t, p, itype, jobz, uplo, hermitian(t, n, dtype, t.rng.uniform(-1, 1, n)),
                             t.hermitian_positive(n, dtype, 10.0), 'lda, ldb > n', ld_extra=3)
                    gvd_case(t, p, itype, jobz, uplo, t.random(40, 40, dtype)[1].copy(order='F'),
                             t.random(40, 40, dtype)[1] * 0.1 + 10 * np.eye(40, dtype=dtype),
                             'general matrices (one triangle read)')
                    cond = 1e6 if p in 'dz' else 1e2
                    gvd_case(t, p, itype, jobz, uplo, hermitian(t, n, dtype, t.rng.uniform(-1, 1, n)),
                             t.hermitian_positive(n, dtype, cond), f'B of condition {cond:g}', cond=cond)
                    rank = np.concatenate([t.rng.uniform(1, 2, 20), np.zeros(n - 20)])
                    gvd_case(t, p, itype, jobz, uplo, hermitian(t, n, dtype, rank),
                             t.hermitian_positive(n, dtype, 10.0), 'A of rank 20')
                    gvd_case(t, p, itype, jobz, uplo, np.zeros((n, n), dtype, order='F'),
                             np.eye(n, dtype=dtype, order='F'), 'A = 0, B = I')
                    for k in [1, 2, 37, n]:
                        gvd_case(t, p, itype, jobz, uplo, hermitian(t, n, dtype, t.rng.uniform(-1, 1, n)),
                                 not_definite(t, n, k, dtype), f'B indefinite at minor {k}')
                    for bad in [np.nan, np.inf]:
                        for n, (i, j) in [(2, (1, 0)), (30, (3, 3))]:
                            a = hermitian(t, n, dtype, t.rng.uniform(-1, 1, n))
                            a[i, j] = a[j, i] = bad
                            gvd_case(t, p, itype, jobz, uplo, a, t.hermitian_positive(n, dtype, 10.0),
                                     f'{bad} in A at ({i + 1},{j + 1})')
                        b = t.hermitian_positive(4, dtype, 10.0)
                        b[2, 2] = bad
                        gvd_case(t, p, itype, jobz, uplo, hermitian(t, 4, dtype, t.rng.uniform(-1, 1, 4)),
                                 b, f'{bad} on B\'s diagonal')


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    w = np.zeros(4)
    work = np.zeros(100)
    iwork = np.zeros(100, np.int32)
    z = np.zeros((4, 4), np.complex128, order='F')
    zwork = np.zeros(100, np.complex128)
    return [
        ('DSYGVD', 1, [0, Arg('N'), Arg('U'), 2, a, 2, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYGVD', 1, [4, Arg('N'), Arg('U'), 2, a, 2, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYGVD', 2, [1, Arg('X'), Arg('U'), 2, a, 2, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYGVD', 3, [1, Arg('N'), Arg('/'), 2, a, 2, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYGVD', 4, [1, Arg('N'), Arg('U'), -1, a, 2, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYGVD', 6, [1, Arg('N'), Arg('U'), 3, a, 2, a, 3, w, work, 100, iwork, 100, 0]),
        ('DSYGVD', 8, [1, Arg('N'), Arg('U'), 3, a, 3, a, 2, w, work, 100, iwork, 100, 0]),
        ('DSYGVD', 11, [2, Arg('N'), Arg('U'), 2, a, 2, a, 2, w, work, 4, iwork, 100, 0]),
        ('DSYGVD', 11, [3, Arg('V'), Arg('L'), 2, a, 2, a, 2, w, work, 20, iwork, 100, 0]),
        ('DSYGVD', 13, [1, Arg('V'), Arg('L'), 2, a, 2, a, 2, w, work, 21, iwork, 12, 0]),
        ('ZHEGVD', 1, [5, Arg('N'), Arg('L'), 2, z, 2, z, 2, w, zwork, 100, work, 100, iwork, 100, 0]),
        ('ZHEGVD', 8, [1, Arg('N'), Arg('L'), 2, z, 2, z, 1, w, zwork, 100, work, 100, iwork, 100, 0]),
        ('ZHEGVD', 11, [1, Arg('N'), Arg('L'), 2, z, 2, z, 2, w, zwork, 2, work, 100, iwork, 100, 0]),
        ('ZHEGVD', 13, [1, Arg('V'), Arg('L'), 2, z, 2, z, 2, w, zwork, 8, work, 18, iwork, 100, 0]),
        ('ZHEGVD', 15, [1, Arg('V'), Arg('L'), 2, z, 2, z, 2, w, zwork, 8, work, 21, iwork, 12, 0]),
        ('DSYGST', 1, [0, Arg('U'), 2, a, 2, a, 2, 0]),
        ('DSYGST', 2, [1, Arg('X'), 2, a, 2, a, 2, 0]),
        ('DSYGST', 3, [1, Arg('U'), -1, a, 2, a, 2, 0]),
        ('DSYGST', 5, [1, Arg('U'), 3, a, 2, a, 3, 0]),
        ('DSYGST', 7, [2, Arg('L'), 3, a, 3, a, 2, 0]),
        ('ZHEGST', 1, [4, Arg('U'), 2, z, 2, z, 2, 0]),
        ('ZHEGST', 7, [3, Arg('U'), 2, z, 2, z, 1, 0]),
    ]
