"""xSYEVR/xHEEVR against reference LAPACK: RANGE A/V/I, the eigenvalues an interval
selects (ends included as LAPACK's (VL, VU]), ABSTOL, ISUPPZ, workspace queries."""

import numpy as np
from common import Arg, DTYPES, THRESH, eps, ratio, real_dtype
from test_eigen import full_from, hermitian

SIZES = [1, 2, 3, 5, 16, 17, 31, 64, 129]


def name_of(p):
    return f'{p}{"he" if p in "cz" else "sy"}evr_'


def workspace(p, n):
    """LAPACK's documented minima (LWORK, LRWORK, LIWORK)."""
    if p in 'cz':
        return (max(1, 2 * n), max(1, 24 * n), max(1, 10 * n))
    return (max(1, 26 * n), 1, max(1, 10 * n))


def evr_call(t, lib, p, jobz, rng, uplo, a, lda, bounds, abstol, ldz, sizes=None):
    """One call; returns (INFO, M, W, Z, ISUPPZ, whether the guards after W, Z's
    columns, ISUPPZ and the workspaces held)."""
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    n = a.shape[1]
    vl, vu, il, iu = bounds
    lwork, lrwork, liwork = sizes or workspace(p, n)
    work = np.full(lwork + 1, 5, dtype)
    rwork = np.full(lrwork + 1, 5, rdtype)
    iwork = np.full(liwork + 1, 5, np.int32)
    w = np.full(n + 1, 9, rdtype)
    z = np.full((ldz, n + 1), 8, dtype, order='F')
    isuppz = np.full(2 * n + 2, -3, np.int32)
    scalars = [np.array([x], rdtype) for x in (vl, vu, abstol)]
    args = [Arg(jobz), Arg(rng), Arg(uplo), n, a, lda, scalars[0], scalars[1], il, iu, scalars[2],
            0, w, z, ldz, isuppz, work, lwork]
    args += ([rwork, lrwork] if p in 'cz' else []) + [iwork, liwork]
    ints = t.call(lib, name_of(p), *args, 0)
    info, m = ints[-1], ints[4]  # N, LDA, IL, IU, M, ...
    # LAPACK writes ISUPPZ only for the whole spectrum (and N = 1); for a partial range
    # the caller may pass no room for it (SciPy passes an empty array for RANGE = 'V').
    whole = rng == 'A' or (rng == 'I' and (il, iu) == (1, n)) or n == 1
    isuppz_room = 2 * max(m, 1) if whole and jobz == 'V' else 0
    guards = (w[n] == 9 and work[lwork] == 5 and rwork[lrwork] == 5 and iwork[liwork] == 5
              and np.all(isuppz[isuppz_room:] == -3) and np.all(z[:, max(m, 1):] == 8)
              and np.all(z[n:, :] == 8))
    return info, m, w[:m], z[:n, :m], isuppz[:2 * m], guards


def support(z):
    """(first, last) nonzero row of each column, from 1."""
    out = []
    for col in z.T:
        nz = np.flatnonzero(col)
        out += [nz[0] + 1, nz[-1] + 1] if nz.size else [1, len(col)]
    return np.array(out, np.int32)


def evr_case(t, p, jobz, rng, uplo, a, bounds, name, abstol=0.0, ld_extra=0, isuppz_as_reference=False):
    n = a.shape[0]
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    lda, ldz = max(1, n + ld_extra), max(1, n + ld_extra)
    full = np.full((lda, n), 7, dtype=dtype, order='F')
    full[:n] = a
    mine, theirs = full.copy(order='F'), full.copy(order='F')
    info, m, w, z, isuppz, guards = evr_call(t, t.ours, p, jobz, rng, uplo, mine, lda, bounds, abstol, ldz)
    label = f'{name_of(p)[:-1]} {jobz}{rng}{uplo} n={n} {name}'
    t.check(f'{label}: nothing written past W, Z(:, M), the workspaces; ISUPPZ only for the whole spectrum', guards)
    t.check(f'{label}: rows below n of A untouched', np.array_equal(mine[n:], full[n:]))
    if not np.isfinite(a).all():
        # Ours: INFO > 0, M = 0 (the reference's answer is arbitrary here).
        t.check(f'{label}: INFO > 0, M = 0', info > 0 and m == 0, f'INFO {info}, M {m}')
        return
    ref_info, ref_m, w_ref, z_ref, isuppz_ref, _ = evr_call(t, t.ref, p, jobz, rng, uplo, theirs, lda,
                                                             bounds, abstol, ldz)
    t.check(f'{label}: INFO', info == ref_info == 0, f'ours {info}, reference {ref_info}')
    t.check(f'{label}: M as the reference', m == ref_m, f'ours {m}, reference {ref_m}')
    if info != 0 or n == 0 or m != ref_m:
        return
    vl, vu, il, iu = bounds
    if rng == 'V' and m:
        t.check(f'{label}: W in (VL, VU]', np.all(w > rdtype.type(vl)) and np.all(w <= rdtype.type(vu)))
    if m == 0:
        return
    t.check(f'{label}: ascending', np.all(np.diff(w) >= 0))
    h = full_from(a, uplo).astype(np.complex128)
    scale = max(np.max(np.abs(np.linalg.eigvalsh(h))), np.finfo(rdtype).tiny)
    r = np.max(np.abs(w.astype(float) - w_ref)) / (max(n, 1) * eps(dtype) * scale)
    slack = max(1.0, abstol / (n * eps(dtype) * scale))
    t.check(f'{label}: eigenvalues agree with the reference', r < THRESH * slack, f'ratio {r:.3g}')
    if jobz != 'V':
        return
    zc = z.astype(np.complex128)
    r = ratio(h @ zc - zc * w.astype(float), scale, n, dtype)
    t.check(f'{label}: residual', r < THRESH * slack, f'ratio {r:.3g}')
    r = ratio(zc.conj().T @ zc - np.eye(m), 1.0, n, dtype)
    t.check(f'{label}: orthogonality', r < THRESH, f'ratio {r:.3g}')
    if rng == 'A' or (il, iu) == (1, n):
        t.check(f'{label}: ISUPPZ is the support of Z', np.array_equal(isuppz, support(z)),
                f'{isuppz[:6]} vs {support(z)[:6]}')
    if isuppz_as_reference and (rng == 'A' or (il, iu) == (1, n)):
        # LAPACK sets ISUPPZ for all eigenvectors only; the order of the unit vectors
        # of a repeated eigenvalue is free.
        pairs = lambda v, s: sorted(zip(v.astype(float), s[0::2], s[1::2]))
        t.check(f'{label}: ISUPPZ as the reference', pairs(w, isuppz) == pairs(w_ref, isuppz_ref),
                f'{isuppz[:8]} vs {isuppz_ref[:8]}')


def query_case(t, p, n):
    """LWORK = LIWORK (= LRWORK) = -1 answers at least the documented minima."""
    dtype, rdtype = DTYPES[p], real_dtype(DTYPES[p])
    minima = workspace(p, n)
    a = np.zeros((max(n, 1), max(n, 1)), dtype, order='F')
    w, z = np.zeros(max(n, 1), rdtype), np.zeros((max(n, 1), max(n, 1)), dtype, order='F')
    isuppz = np.zeros(2 * max(n, 1), np.int32)
    for lib, who in [(t.ours, 'ours'), (t.ref, 'reference')]:
        work, rwork, iwork = np.zeros(2, dtype), np.zeros(2, rdtype), np.zeros(2, np.int32)
        zero = np.zeros(1, rdtype)
        args = [Arg('V'), Arg('A'), Arg('U'), n, a, max(n, 1), zero, zero, 1, n, zero, 0, w, z,
                max(n, 1), isuppz, work, -1]
        args += ([rwork, -1] if p in 'cz' else []) + [iwork, -1]
        info = t.call(lib, name_of(p), *args, 0)[-1]
        got = [int(work[0].real), int(rwork[0]) if p in 'cz' else minima[1], int(iwork[0])]
        t.check(f'{name_of(p)[:-1]} n={n} query ({who})',
                info == 0 and all(g >= mm for g, mm in zip(got, minima)),
                f'INFO {info}, answered {got}, minima {minima}')


def gaps(values):
    """Interval ends halfway between neighbouring (distinct) eigenvalues."""
    v = np.sort(values)
    return (v[:-1] + v[1:]) / 2


def glued_wilkinson(copies, glue, dtype):
    """`copies` Wilkinson W21+ matrices on the diagonal, glued by `glue` on the
    off-diagonal between them (LAPACK's classic hard case for inverse iteration: each
    eigenvalue repeats `copies` times to within far less than the cluster tolerance).
    Complex: the off-diagonal gets unit phases."""
    n = 21 * copies
    d = np.tile(np.abs(np.arange(-10, 11)).astype(float), copies)
    e = np.ones(n - 1)
    e[20::21] = glue
    a = np.diag(d).astype(np.complex128)
    phases = np.exp(1j * np.arange(1, n)) if np.issubdtype(dtype, np.complexfloating) else 1.0
    a += np.diag(e * phases, -1) + np.diag(np.conj(e * phases), 1)
    return np.asfortranarray(a.astype(dtype) if np.issubdtype(dtype, np.complexfloating) else a.real.astype(dtype))


def inverse_iteration_cases(t, p, jobz, uplo):
    """Selections of at most a quarter of the spectrum (inverse iteration on T, then
    the reduction's reflectors): small index ranges at both ends and inside, narrow
    intervals, clusters and repeated eigenvalues."""
    dtype = DTYPES[p]
    n = 200
    values = np.sort(t.rng.uniform(-1, 1, n))
    a = hermitian(t, n, dtype, values)
    mids = gaps(values)
    for il, iu in [(1, 1), (1, 10), (95, 105), (191, 200), (151, 200)]:
        evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, il, iu), f'random IL={il} IU={iu}')
    evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, 20, 35), 'lda, ldz > n, IL=20 IU=35', ld_extra=3)
    for lo, hi in [(0, 9), (100, 130), (170, 199)]:
        evr_case(t, p, jobz, 'V', uplo, a, (mids[lo], mids[hi - 1], 0, 0), f'random {hi - lo} in (VL, VU]')
    for copies, glue in [(5, 1e-10), (4, 1e-14), (3, 1e-6)]:
        a = glued_wilkinson(copies, glue, dtype)
        n = a.shape[0]
        for il, iu in [(1, 12), (n - 14, n), (n // 2 - 3, n // 2 + 3)]:
            evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, il, iu), f'glued Wilkinson {copies}x{glue:g} IL={il} IU={iu}')
        evr_case(t, p, jobz, 'V', uplo, a, (9.5, 11.0, 0, 0), f'glued Wilkinson {copies}x{glue:g} (9.5, 11]')
    # Repeated and nearly repeated eigenvalues inside a random spectrum.
    n = 160
    values = np.sort(np.concatenate([np.full(12, 0.25), 0.6 + 1e-11 * np.arange(15),
                                     t.rng.uniform(-1, 1, n - 27)]))
    a = hermitian(t, n, dtype, values)
    for lo, hi in [(0.2, 0.3), (0.59, 0.61), (0.2, 0.61)]:
        evr_case(t, p, jobz, 'V', uplo, a, (lo, hi, 0, 0), f'clusters ({lo}, {hi}]')
    first = int(np.searchsorted(values, 0.25)) + 1
    evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, first - 3, first + 20), 'clusters by index')
    # Norms near overflow and underflow (A is scaled for the reduction; the solves too).
    values = np.sort(t.rng.uniform(-1, 1, 100))
    mids = gaps(values)
    for factor, what in [((1e30, 1e300)[p in 'dz'], 'near overflow'), ((1e-30, 1e-300)[p in 'dz'], 'near underflow')]:
        a = hermitian(t, 100, dtype, values * factor)
        evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, 3, 12), f'{what} IL=3 IU=12')
        evr_case(t, p, jobz, 'V', uplo, a, (mids[40] * factor, mids[55] * factor, 0, 0), f'{what} (VL, VU]')
    diag = np.asfortranarray(np.diag(np.linspace(1, 5, 30) * (1e30, 1e300)[p in 'dz']).astype(dtype))
    evr_case(t, p, jobz, 'I', uplo, diag, (0.0, 0.0, 2, 6), 'diagonal near overflow')
    # Split matrix: equal eigenvalues on blocks the reduction decouples.
    block = hermitian(t, 8, dtype, [-2, -1, 0, 0.5, 1, 1.5, 2, 3])
    a = np.asfortranarray(np.kron(np.eye(10), block).astype(dtype))
    evr_case(t, p, jobz, 'V', uplo, a, (0.2, 1.2, 0, 0), 'ten equal blocks (0.2, 1.2]')
    evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, 1, 20), 'ten equal blocks IL=1 IU=20')


def run(t):
    for p, dtype in DTYPES.items():
        rdtype = real_dtype(dtype)
        big, tiny = (1e30, 1e-30) if p in 'sc' else (1e290, 1e-290)
        for n in [0, 1, 2, 10, 100]:
            query_case(t, p, n)
        for jobz in 'NV':
            for uplo in 'UL':
                for rng in 'AIV':
                    evr_case(t, p, jobz, rng, uplo, np.zeros((0, 0), dtype, order='F'), (0.0, 1.0, 1, 0), 'empty')
                for n in SIZES:
                    values = np.sort(t.rng.uniform(-1, 1, n))
                    a = hermitian(t, n, dtype, values)
                    evr_case(t, p, jobz, 'A', uplo, a, (0.0, 0.0, 0, 0), 'random')
                    for il, iu in sorted({(1, 1), (1, n), (n, n), (max(1, n // 3), max(1, 2 * n // 3)),
                                          (min(2, n), max(min(2, n), n - 1))}):
                        evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, il, iu), f'random IL={il} IU={iu}')
                    mids = gaps(values)
                    ends = [(-2.0, 2.0), (-2.0, -1.5), (1.5, 2.0)]
                    if n > 1:
                        k = len(mids) - 1
                        ends += [(mids[0], mids[-1]), (mids[k // 3], mids[(2 * k) // 3]), (-2.0, mids[k // 2])]
                    for vl, vu in ends:
                        if vl < vu:
                            evr_case(t, p, jobz, 'V', uplo, a, (vl, vu, 0, 0), f'random ({vl:.3g}, {vu:.3g}]')
                n = 40
                a = hermitian(t, n, dtype, t.rng.uniform(-1, 1, n))
                evr_case(t, p, jobz, 'I', uplo, a, (0.0, 0.0, 5, 30), 'lda, ldz > n', ld_extra=3)
                evr_case(t, p, jobz, 'V', uplo, a, (-0.5, 0.5, 0, 0), 'lda, ldz > n', ld_extra=3)
                evr_case(t, p, jobz, 'V', uplo, t.random(n, n, dtype)[1].copy(order='F'),
                         (-0.3, 0.4, 0, 0), 'general matrix (one triangle read)')
                # Eigenvalues exactly on the interval ends: integers on the diagonal (with
                # repeats), a diagonal matrix's eigenvectors are unit vectors.
                d = np.array([3, -1, 2, 2, 0, 5, -1, 4, 3, 1, 2, -2], float)
                diag = np.asfortranarray(np.diag(d).astype(dtype))
                for vl, vu in [(-1, 2), (2, 3), (-3, -1), (0, 5), (-2, 4), (5, 6), (1.5, 2)]:
                    evr_case(t, p, jobz, 'V', uplo, diag, (vl, vu, 0, 0), f'integer diagonal ({vl}, {vu}]',
                             isuppz_as_reference=True)
                for rng, bounds in [('A', (0, 0, 0, 0)), ('I', (0, 0, 3, 9)), ('I', (0, 0, 1, 12))]:
                    evr_case(t, p, jobz, rng, uplo, diag, bounds, 'integer diagonal', isuppz_as_reference=True)
                # Block diagonal: each eigenvector lives on its block's rows.
                blocks = np.zeros((12, 12), dtype)
                blocks[:5, :5] = hermitian(t, 5, dtype, [1, 2, 3, 4, 5])
                blocks[5:, 5:] = hermitian(t, 7, dtype, -np.arange(1.5, 8.5))
                blocks = np.asfortranarray(blocks)
                evr_case(t, p, jobz, 'A', uplo, blocks, (0, 0, 0, 0), 'block diagonal')
                evr_case(t, p, jobz, 'V', uplo, blocks, (-4.0, 3.5, 0, 0), 'block diagonal')
                n = 100
                eye = np.eye(n, dtype=dtype, order='F')
                for vl, vu in [(0.5, 1.0), (1.0, 2.0), (0.5, 0.9), (0.0, 1.5)]:
                    evr_case(t, p, jobz, 'V', uplo, eye, (vl, vu, 0, 0), f'identity ({vl}, {vu}]')
                evr_case(t, p, jobz, 'I', uplo, eye, (0, 0, 10, 20), 'identity')
                zero = np.zeros((n, n), dtype, order='F')
                evr_case(t, p, jobz, 'V', uplo, zero, (-1.0, 0.0, 0, 0), 'zero (-1, 0]')
                evr_case(t, p, jobz, 'V', uplo, zero, (0.0, 1.0, 0, 0), 'zero (0, 1]')
                evr_case(t, p, jobz, 'I', uplo, zero, (0, 0, 1, 50), 'zero')
                rank = np.sort(np.concatenate([t.rng.uniform(1, 2, 30), np.zeros(n - 30)]))
                a = hermitian(t, n, dtype, rank)
                evr_case(t, p, jobz, 'I', uplo, a, (0, 0, 60, 80), 'rank 30')
                evr_case(t, p, jobz, 'V', uplo, a, (0.5, 3.0, 0, 0), 'rank 30 (0.5, 3]')
                graded = np.geomspace(1, 1e-12 if p in 'dz' else 1e-6, n) * np.where(np.arange(n) % 2, -1, 1)
                a = hermitian(t, n, dtype, graded)
                mids = gaps(graded)
                evr_case(t, p, jobz, 'I', uplo, a, (0, 0, 20, 70), 'ill-conditioned')
                evr_case(t, p, jobz, 'V', uplo, a, (mids[10], mids[90], 0, 0), 'ill-conditioned')
                values = np.sort(t.rng.uniform(-1, 1, 60))
                for factor, what in [(big, 'huge'), (tiny, 'tiny')]:
                    a = hermitian(t, 60, dtype, values * factor)
                    mids = gaps(values) * factor
                    evr_case(t, p, jobz, 'V', uplo, a, (mids[5], mids[40], 0, 0), f'{what} norm')
                    evr_case(t, p, jobz, 'I', uplo, a, (0, 0, 7, 33), f'{what} norm')
                a = hermitian(t, 60, dtype, values)
                mids = gaps(values)
                for abstol in [2 * np.finfo(rdtype).tiny, 1e-3]:
                    evr_case(t, p, jobz, 'V', uplo, a, (mids[5], mids[40], 0, 0), f'ABSTOL {abstol:.3g}',
                             abstol=abstol)
                    evr_case(t, p, jobz, 'I', uplo, a, (0, 0, 3, 50), f'ABSTOL {abstol:.3g}', abstol=abstol)
                inverse_iteration_cases(t, p, jobz, uplo)
                for bad in [np.nan, np.inf]:
                    for n, (i, j) in [(2, (1, 0)), (30, (3, 3))]:
                        a = hermitian(t, n, dtype, t.rng.uniform(-1, 1, n))
                        a[i, j] = a[j, i] = bad
                        for rng, bounds in [('A', (0, 0, 0, 0)), ('V', (-0.5, 0.5, 0, 0)), ('I', (0, 0, 1, 2))]:
                            evr_case(t, p, jobz, rng, uplo, a, bounds, f'{bad} at ({i + 1},{j + 1})')


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    w = np.zeros(4)
    work = np.zeros(200)
    iwork = np.zeros(100, np.int32)
    z = np.zeros((4, 4), np.complex128, order='F')
    zwork = np.zeros(100, np.complex128)
    one, two = np.array([1.0]), np.array([2.0])

    def d(jobz, rng, uplo, n, lda, vl, vu, il, iu, ldz, lwork, liwork):
        return [Arg(jobz), Arg(rng), Arg(uplo), n, a, lda, vl, vu, il, iu, one, 0, w, a, ldz,
                iwork, work, lwork, iwork, liwork, 0]

    def zh(rng, n, ldz, lwork, lrwork, liwork, il=1, iu=1):
        return [Arg('V'), Arg(rng), Arg('L'), n, z, 2, one, two, il, iu, one, 0, w, z, ldz,
                iwork, zwork, lwork, work, lrwork, iwork, liwork, 0]

    return [
        ('DSYEVR', 1, d('X', 'A', 'U', 2, 2, one, two, 1, 1, 2, 100, 100)),
        ('DSYEVR', 2, d('N', 'X', 'U', 2, 2, one, two, 1, 1, 2, 100, 100)),
        ('DSYEVR', 3, d('N', 'A', '/', 2, 2, one, two, 1, 1, 2, 100, 100)),
        ('DSYEVR', 4, d('N', 'A', 'U', -1, 2, one, two, 1, 1, 2, 100, 100)),
        ('DSYEVR', 6, d('N', 'A', 'U', 3, 2, one, two, 1, 1, 3, 100, 100)),
        ('DSYEVR', 8, d('N', 'V', 'U', 2, 2, two, one, 1, 1, 2, 100, 100)),
        ('DSYEVR', 8, d('N', 'V', 'U', 2, 2, one, one, 1, 1, 2, 100, 100)),
        ('DSYEVR', 9, d('N', 'I', 'U', 2, 2, one, two, 0, 1, 2, 100, 100)),
        ('DSYEVR', 9, d('N', 'I', 'U', 2, 2, one, two, 3, 3, 2, 100, 100)),
        ('DSYEVR', 10, d('N', 'I', 'U', 2, 2, one, two, 2, 1, 2, 100, 100)),
        ('DSYEVR', 10, d('N', 'I', 'U', 2, 2, one, two, 1, 3, 2, 100, 100)),
        ('DSYEVR', 15, d('N', 'A', 'U', 2, 2, one, two, 1, 1, 0, 100, 100)),
        ('DSYEVR', 15, d('V', 'A', 'U', 2, 2, one, two, 1, 1, 1, 100, 100)),
        ('DSYEVR', 18, d('V', 'A', 'U', 2, 2, one, two, 1, 1, 2, 51, 100)),
        ('DSYEVR', 20, d('N', 'I', 'L', 2, 2, one, two, 1, 2, 2, 52, 19)),
        ('ZHEEVR', 15, zh('A', 2, 1, 100, 100, 100)),
        ('ZHEEVR', 18, zh('A', 2, 2, 3, 100, 100)),
        ('ZHEEVR', 20, zh('I', 2, 2, 4, 47, 100, 1, 2)),
        ('ZHEEVR', 22, zh('A', 2, 2, 4, 48, 19)),
    ]
