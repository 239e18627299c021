"""xTRTRS, xTRTRI, xGETRI, xPOTRI against reference LAPACK."""

import numpy as np
from common import Arg, DTYPES, THRESH, ratio


def triangular(t, n, dtype, uplo, diag):
    """A well-conditioned triangular matrix (the other triangle holds junk, which must
    not be read)."""
    a = t.random(n, n, dtype)[1].copy()
    a[np.arange(n), np.arange(n)] += 4.0
    keep = np.triu(np.ones((n, n), bool)) if uplo == 'U' else np.tril(np.ones((n, n), bool))
    full = np.where(keep, a, 1e3)
    tri = np.where(keep, a, 0)
    if diag == 'U':
        tri[np.arange(n), np.arange(n)] = 1
    return np.asfortranarray(full.astype(dtype)), tri.astype(dtype)


def run(t):
    for p, dtype in DTYPES.items():
        for uplo in 'UL':
            for diag in 'NU':
                for n in [0, 1, 2, 15, 16, 17, 40, 100]:
                    full, tri = triangular(t, n, dtype, uplo, diag)
                    # TRTRI: inverse times A is I, junk triangle untouched.
                    inv = full.copy(order='F')
                    info = t.call(t.ours, f'{p}trtri_', Arg(uplo), Arg(diag), n, inv, max(1, n), 0)[-1]
                    label = f'{p}trtri {uplo}{diag} n={n}'
                    t.check(f'{label}: INFO', info == 0, f'INFO {info}')
                    keep = np.triu(np.ones((n, n), bool)) if uplo == 'U' else np.tril(np.ones((n, n), bool))
                    t.check(f'{label}: other triangle untouched', np.array_equal(inv[~keep], full[~keep]))
                    x = np.where(keep, inv, 0)
                    if diag == 'U':
                        x[np.arange(n), np.arange(n)] = 1
                    if n:
                        r = ratio(x.astype(np.complex128) @ tri - np.eye(n), np.linalg.norm(tri, 1) * np.linalg.norm(x, 1), n, dtype)
                        t.check(f'{label}: inv(A) A = I', r < THRESH, f'ratio {r:.3g}')
                    # TRTRS.
                    for trans in 'NTC':
                        _, b = t.random(n, 3, dtype)
                        b = np.asfortranarray(b)
                        xs = b.copy(order='F')
                        info = t.call(t.ours, f'{p}trtrs_', Arg(uplo), Arg(trans), Arg(diag), n, 3, full, max(1, n), xs, max(1, n), 0)[-1]
                        op = {'N': tri, 'T': tri.T, 'C': tri.conj().T}[trans]
                        label = f'{p}trtrs {uplo}{trans}{diag} n={n}'
                        t.check(f'{label}: INFO', info == 0, f'INFO {info}')
                        if n:
                            r = ratio(op.astype(np.complex128) @ xs - b, np.linalg.norm(tri, 1) * np.linalg.norm(xs, 1), n, dtype)
                            t.check(f'{label}: residual', r < THRESH, f'ratio {r:.3g}')
                # Exactly singular: same INFO as the reference, A unchanged by TRTRI.
                full, _ = triangular(t, 30, dtype, uplo, 'N')
                full[11, 11] = 0
                for routine, args in [('trtri', [Arg(uplo), Arg('N'), 30]), ('trtrs', [Arg(uplo), Arg('N'), Arg('N'), 30, 1])]:
                    outs = []
                    for lib in [t.ours, t.ref]:
                        a = full.copy(order='F')
                        extra = [a, 30] + ([np.ones((30, 1), dtype=dtype, order='F'), 30] if routine == 'trtrs' else [])
                        outs.append((t.call(lib, f'{p}{routine}_', *args, *extra, 0)[-1], a))
                    t.check(f'{p}{routine} {uplo} singular: INFO', outs[0][0] == outs[1][0] == 12, f'{outs[0][0]} {outs[1][0]}')
                    t.check(f'{p}{routine} {uplo} singular: A unchanged', np.array_equal(outs[0][1], full))
            # POTRI after the reference's POTRF.
            for n in [0, 1, 5, 16, 17, 50, 120]:
                a = t.hermitian_positive(n, dtype)
                factor = a.copy(order='F')
                t.call(t.ref, f'{p}potrf_', Arg(uplo), n, factor, max(1, n), 0)
                info = t.call(t.ours, f'{p}potri_', Arg(uplo), n, factor, max(1, n), 0)[-1]
                label = f'{p}potri {uplo} n={n}'
                t.check(f'{label}: INFO', info == 0, f'INFO {info}')
                if n:
                    tri = np.triu(factor) if uplo == 'U' else np.tril(factor)
                    inv = tri + (np.triu(tri, 1) if uplo == 'U' else np.tril(tri, -1)).conj().T
                    full_a = np.triu(a) + np.triu(a, 1).conj().T if uplo == 'U' else np.tril(a) + np.tril(a, -1).conj().T
                    r = ratio(inv.astype(np.complex128) @ full_a - np.eye(n), np.linalg.norm(full_a, 1) * np.linalg.norm(inv, 1), n, dtype)
                    t.check(f'{label}: inv(A) A = I', r < THRESH, f'ratio {r:.3g}')
        # GETRI after the reference's GETRF.
        for n in [0, 1, 2, 16, 17, 60, 150]:
            a = t.random(n, n, dtype)[1]
            factor, ipiv = a.copy(order='F'), np.zeros(max(n, 1), np.int32)
            t.call(t.ref, f'{p}getrf_', n, n, factor, max(1, n), ipiv, 0)
            work = np.zeros(max(n, 1) * 64, dtype=dtype)
            mine, theirs = factor.copy(order='F'), factor.copy(order='F')
            info = t.call(t.ours, f'{p}getri_', n, mine, max(1, n), ipiv, work, max(n, 1), 0)[-1]
            ref_info = t.call(t.ref, f'{p}getri_', n, theirs, max(1, n), ipiv, work, len(work), 0)[-1]
            label = f'{p}getri n={n}'
            t.check(f'{label}: INFO (minimum LWORK)', info == ref_info == 0, f'{info} {ref_info}')
            if n:
                r = ratio(mine.astype(np.complex128) @ a - np.eye(n), np.linalg.norm(a, 1) * np.linalg.norm(mine, 1), n, dtype)
                t.check(f'{label}: inv(A) A = I', r < THRESH, f'ratio {r:.3g}')
        a = t.random(20, 20, dtype)[1].copy()
        a[:, 6] = 0
        factor, ipiv = a.copy(order='F'), np.zeros(20, np.int32)
        t.call(t.ref, f'{p}getrf_', 20, 20, factor, 20, ipiv, 0)
        infos = []
        for lib in [t.ours, t.ref]:
            f = factor.copy(order='F')
            infos.append(t.call(lib, f'{p}getri_', 20, f, 20, ipiv, np.zeros(20 * 64, dtype=dtype), 20 * 64, 0)[-1])
        t.check(f'{p}getri singular: INFO as the reference', infos[0] == infos[1] > 0, str(infos))


def illegal(t):
    a = np.zeros((4, 4), order='F')
    b = np.zeros((4, 4), order='F')
    ip = np.ones(4, np.int32)
    w = np.zeros(16)
    return [
        ('DTRTRS', 1, [Arg('X'), Arg('N'), Arg('N'), 2, 1, a, 2, b, 2, 0]),
        ('DTRTRS', 2, [Arg('U'), Arg('X'), Arg('N'), 2, 1, a, 2, b, 2, 0]),
        ('DTRTRS', 3, [Arg('U'), Arg('N'), Arg('X'), 2, 1, a, 2, b, 2, 0]),
        ('DTRTRS', 4, [Arg('U'), Arg('N'), Arg('N'), -1, 1, a, 2, b, 2, 0]),
        ('DTRTRS', 5, [Arg('U'), Arg('N'), Arg('N'), 2, -1, a, 2, b, 2, 0]),
        ('DTRTRS', 7, [Arg('U'), Arg('N'), Arg('N'), 3, 1, a, 2, b, 3, 0]),
        ('DTRTRS', 9, [Arg('U'), Arg('N'), Arg('N'), 3, 1, a, 3, b, 2, 0]),
        ('DTRTRI', 1, [Arg('X'), Arg('N'), 2, a, 2, 0]),
        ('DTRTRI', 2, [Arg('U'), Arg('X'), 2, a, 2, 0]),
        ('DTRTRI', 3, [Arg('U'), Arg('N'), -1, a, 2, 0]),
        ('DTRTRI', 5, [Arg('U'), Arg('N'), 3, a, 2, 0]),
        ('DPOTRI', 1, [Arg('X'), 2, a, 2, 0]),
        ('DPOTRI', 2, [Arg('U'), -1, a, 2, 0]),
        ('DPOTRI', 4, [Arg('U'), 3, a, 2, 0]),
        ('DGETRI', 1, [-1, a, 1, ip, w, 16, 0]),
        ('DGETRI', 3, [3, a, 2, ip, w, 16, 0]),
        ('DGETRI', 6, [3, a, 3, ip, w, 2, 0]),
        ('DGETRI', 4, [4, a, 4, np.array([1, 2, 7, 4], np.int32), w, 16, 0]),
    ]
