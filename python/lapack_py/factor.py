"""cholesky (?potrf), qr (?geqrf + ?orgqr / ?ungqr), lu (?getrf, scipy.linalg.lu's p, l, u)."""

import numpy as np

from . import _backend, _batch, _call, _layout, _types
from ._call import Work
from ._results import QRResult


def _cholesky(a, dtype, upper):
    n = a.shape[0]
    c = _layout.scratch(a, dtype)
    _call.lapack(_call.name(dtype, "potrf"), "U" if upper else "L", n, c, _layout.ld(n))
    c[np.tril_indices(n, -1) if upper else np.triu_indices(n, 1)] = 0
    return c


def cholesky(a, *, upper=False, gpu=None):
    """The Cholesky factor L (a = L L^H), or U (a = U^H U) when `upper`, as
    numpy.linalg.cholesky (through ?potrf); raises LapackError when a is not positive
    definite."""
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        return _batch.run(lambda x: _cholesky(x, dtype, upper), [a], [2])


def _orgqr(q, k, tau, dtype):
    """Forms the m x q.shape[1] matrix Q in `q` from k reflectors (in its first k columns)."""
    m, cols = q.shape
    routine = _call.name(dtype, "orgqr", "ungqr")
    head = [m, cols, k, q, _layout.ld(m), tau]
    (lwork,) = _call.query(routine, *head, Work(dtype), -1)
    _call.lapack(routine, *head, _call.workspace(dtype, lwork), lwork)
    return q


def _qr(a, dtype, mode):
    m, n = a.shape
    k = min(m, n)
    h = _layout.scratch(a, dtype)
    tau = np.empty(max(1, k), dtype)
    routine = _call.name(dtype, "geqrf")
    (lwork,) = _call.query(routine, m, n, h, _layout.ld(m), tau, Work(dtype), -1)
    _call.lapack(routine, m, n, h, _layout.ld(m), tau, _call.workspace(dtype, lwork), lwork)
    tau = tau[:k]
    if mode == "raw":
        return h.T, tau
    if mode == "r":
        return np.triu(h[:k])
    if mode == "complete":
        q = np.empty((m, m), dtype, order="F")
        q[:, :k] = h[:, :k]
        return _orgqr(q, k, tau, dtype), np.triu(h)
    r = np.triu(h[:k])
    q = h if m >= n else np.array(h[:, :m], order="F")  # m x k either way
    return _orgqr(q, k, tau, dtype), r


def qr(a, mode="reduced", *, gpu=None):
    """QR decomposition, as numpy.linalg.qr: mode 'reduced' (Q m x k, R k x n),
    'complete' (Q m x m, R m x n), 'r' (R only) or 'raw' ((h, tau) as LAPACK leaves them)."""
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError("Unrecognized mode '%s'" % mode)
    a = np.asarray(a)
    _batch.matrices(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        result = _batch.run(lambda x: _qr(x, dtype, mode), [a], [2])
    return result if mode in ("r", "raw") else QRResult(*result)


def _lu(a, dtype, permute_l, overwrite_a):
    m, n = a.shape
    k = min(m, n)
    f = _layout.scratch(a, dtype, overwrite_a)
    ipiv = np.empty(max(1, k), dtype=np.int32)
    # INFO > 0 (an exactly zero pivot) still gives a valid factorization: no error.
    _call.lapack(_call.name(dtype, "getrf"), m, n, f, _layout.ld(m), ipiv, allow_positive=True)
    perm = np.arange(m)
    for i, p in enumerate(ipiv[:k] - 1):
        perm[i], perm[p] = perm[p], perm[i]
    l = np.tril(f[:, :k], -1) + np.eye(m, k, dtype=dtype)
    u = np.triu(f[:k])
    if permute_l:
        pl = np.empty_like(l)
        pl[perm] = l
        return pl, u
    p = np.zeros((m, m), dtype=_types.real(dtype))
    p[perm, np.arange(m)] = 1
    return p, l, u


def lu(a, permute_l=False, overwrite_a=False, check_finite=True, *, gpu=None):
    """LU decomposition with partial pivoting, as scipy.linalg.lu (through ?getrf):
    returns (p, l, u) with a = p @ l @ u, or (p @ l, u) when `permute_l`."""
    a = np.asarray(a)
    _batch.matrices(a)
    if check_finite and not np.isfinite(a).all():
        raise ValueError("array must not contain infs or NaNs")
    dtype = _types.common(a)
    with _backend.use(gpu):
        return _batch.run(lambda x: _lu(x, dtype, permute_l, overwrite_a), [a], [2])
