"""xPSTRF (pivoted Cholesky of a positive semidefinite matrix) against reference LAPACK:
RANK, INFO and PIV as the reference's; P^T A P = U^H U (L L^H) on the computed rank
(the residual LAPACK's xPST01 measures); nothing written outside the triangle."""

import numpy as np
from common import Arg, DTYPES, THRESH, norm1, ratio, real_dtype

SIZES = [1, 2, 3, 5, 31, 63, 64, 65, 100, 129, 200]


def semidefinite(t, n, rank, dtype, spread=10.0):
    """A Hermitian positive semidefinite n x n matrix of the given rank."""
    wide = np.complex128 if np.issubdtype(dtype, np.complexfloating) else np.float64
    q, _ = np.linalg.qr(t.random(n, n, wide)[1])
    values = np.zeros(n)
    values[:rank] = np.geomspace(1.0, 1.0 / spread, rank) if rank else []
    a = (q * values) @ q.conj().T
    a = (a + a.conj().T) / 2
    return np.asfortranarray(a.astype(dtype))


def call(t, lib, p, uplo, a, ld, tol):
    n = a.shape[1]
    dtype = DTYPES[p]
    piv = np.zeros(max(n, 1), np.int32)
    rank = np.array([-7], np.int32)
    tol_box = np.array([tol], real_dtype(dtype))
    work = np.zeros(max(1, 2 * n), real_dtype(dtype))
    info = t.call(lib, f'{p}pstrf_', Arg(uplo), n, a, ld, piv, rank, tol_box, work, 0)[-1]
    return info, int(rank[0]), piv[:n]


def case(t, p, uplo, a, name, tol=-1.0, ld_extra=0, check_piv=True, check_rank=True, residual=True,
         true_rank=None):
    """check_rank off where the rank is decided by rounding noise (TOL = 0); residual off
    for a matrix that is not semidefinite (the factorization stops at a negative pivot).
    With `true_rank`, a RANK equal to it also passes when the reference's differs: the
    zero eigenvalues of a rank-deficient matrix rounded to single precision become noise
    of the order of eps, the size of the default TOL (N eps max diag), so either side of
    it is a correct answer (INFO must then agree with that RANK)."""
    n = a.shape[0]
    dtype = DTYPES[p]
    ld = max(1, n + ld_extra)
    full = np.full((ld, n), 7.0, dtype=dtype, order='F')
    full[:n] = a
    mine, theirs = full.copy(order='F'), full.copy(order='F')
    info, rank, piv = call(t, t.ours, p, uplo, mine, ld, tol)
    ref_info, ref_rank, ref_piv = call(t, t.ref, p, uplo, theirs, ld, tol)
    label = f'{p}pstrf {uplo} n={n} {name}'
    at_noise = true_rank is not None and rank == true_rank != ref_rank
    if at_noise:
        t.check(f'{label}: INFO agrees with RANK at the rounding noise', info == int(rank < n),
                f'INFO {info}, RANK {rank}')
    else:
        t.check(f'{label}: INFO', info == ref_info, f'ours {info}, reference {ref_info}')
    if check_rank:
        t.check(f'{label}: RANK', rank == ref_rank or at_noise, f'ours {rank}, reference {ref_rank}')
    check_piv = check_piv and not at_noise
    if check_piv:
        t.check(f'{label}: PIV', np.array_equal(piv, ref_piv), f'ours {piv[:12]}, reference {ref_piv[:12]}')
    t.check(f'{label}: PIV a permutation', sorted(piv) == list(range(1, n + 1)), f'{piv}')
    strict = np.triu(np.ones((n, n), bool), 1) if uplo == 'L' else np.tril(np.ones((n, n), bool), -1)
    t.check(f'{label}: nothing written outside the {uplo} triangle',
            np.array_equal(full[:n][strict], mine[:n][strict], equal_nan=True)
            and np.array_equal(full[n:], mine[n:]))
    if residual and rank > 0 and np.isfinite(a).all() and sorted(piv) == list(range(1, n + 1)):
        # xPST01: the factor's first RANK columns of L (rows of U) rebuild P^T A P.
        if uplo == 'L':
            f = np.tril(mine[:n]).astype(np.complex128)
            f[:, rank:] = 0
            product = f @ f.conj().T
        else:
            f = np.triu(mine[:n]).astype(np.complex128)
            f[rank:, :] = 0
            product = f.conj().T @ f
        whole = np.tril(a) + np.tril(a, -1).conj().T if uplo == 'L' else np.triu(a) + np.triu(a, 1).conj().T
        permuted = whole[np.ix_(piv - 1, piv - 1)].astype(np.complex128)
        if tol > 0:
            # Stopped at TOL: what is left is semidefinite with a diagonal below TOL, so
            # its entries are below TOL too.
            r = norm1(product - permuted) / (n * tol)
            t.check(f'{label}: residual of P^T A P on the rank below N * TOL', r < 2, f'ratio {r:.3g}')
        else:
            r = ratio(product - permuted, whole, n, dtype)
            t.check(f'{label}: residual of P^T A P on the rank', r < THRESH, f'ratio {r:.3g}')
    return rank


def run(t):
    for p, dtype in DTYPES.items():
        for uplo in 'UL':
            for n in SIZES:
                case(t, p, uplo, semidefinite(t, n, n, dtype), 'full rank')
                case(t, p, uplo, semidefinite(t, n, (n + 1) // 2, dtype), f'rank {(n + 1) // 2}',
                     true_rank=(n + 1) // 2)
            case(t, p, uplo, semidefinite(t, 40, 40, dtype), 'lda > n', ld_extra=3)
            case(t, p, uplo, semidefinite(t, 150, 150, dtype, 1e3), 'TOL given', tol=1e-2)
            rank = case(t, p, uplo, semidefinite(t, 100, 70, dtype), 'rank 70, TOL = 0', tol=0.0, check_piv=False,
                        check_rank=False)
            t.check(f'{p}pstrf {uplo} rank 70, TOL = 0: RANK at least 70', rank >= 70, f'RANK {rank}')
            big = 1e5 if p in 'sc' else 1e12
            case(t, p, uplo, semidefinite(t, 80, 80, dtype, big), f'cond {big:g}', check_piv=False)
            case(t, p, uplo, np.zeros((10, 10), dtype, order='F'), 'zero matrix')
            a = semidefinite(t, 30, 30, dtype)
            np.fill_diagonal(a, -1.0)
            case(t, p, uplo, a, 'negative diagonal')
            a = semidefinite(t, 30, 30, dtype)
            a[4, 4] = -50.0
            case(t, p, uplo, a, 'indefinite', residual=False)
            for bad in [np.nan, np.inf]:
                for n, (i, j) in [(1, (0, 0)), (6, (3, 3)), (70, (40, 2)), (70, (2, 40))]:
                    a = semidefinite(t, n, n, dtype)
                    a[i, j] = bad
                    case(t, p, uplo, a, f'{bad} at ({i + 1},{j + 1})', check_piv=False)
            # N = 0: a quick return that leaves RANK alone, as the reference does.
            answers = [call(t, lib, p, uplo, np.zeros((1, 0), dtype, order='F'), 1, -1.0)
                       for lib in (t.ours, t.ref)]
            t.check(f'{p}pstrf {uplo} n=0: INFO and RANK as the reference',
                    answers[0][:2] == answers[1][:2], f'ours {answers[0][:2]}, reference {answers[1][:2]}')


def illegal(t):
    """(routine, bad position, arguments)."""
    a = np.zeros((4, 4), order='F')
    piv = np.zeros(4, np.int32)
    tol = np.array([-1.0])
    w = np.zeros(8)
    z = np.zeros((4, 4), np.complex128, order='F')
    return [
        ('DPSTRF', 1, [Arg('X'), 2, a, 2, piv, 0, tol, w, 0]),
        ('DPSTRF', 2, [Arg('U'), -1, a, 2, piv, 0, tol, w, 0]),
        ('DPSTRF', 4, [Arg('L'), 3, a, 2, piv, 0, tol, w, 0]),
        ('ZPSTRF', 4, [Arg('U'), 4, z, 3, piv, 0, tol, w, 0]),
    ]
