"""solve (?gesv), lstsq (?gelsd), inv (?getrf + ?getri), det (?getrf)."""

import numpy as np

from . import _backend, _batch, _call, _layout, _types
from ._call import Work
from ._results import LstsqResult, SlogdetResult
from .errors import LapackError


def _solve(a, b, dtype, overwrite_a, overwrite_b):
    n, nrhs = b.shape
    a = _layout.scratch(a, dtype, overwrite_a)
    x = _layout.scratch(b, dtype, overwrite_b)
    ipiv = np.empty(n, dtype=np.int32)
    _call.lapack(_call.name(dtype, "gesv"), n, nrhs, a, _layout.ld(n), ipiv, x, _layout.ld(n))
    return x


def solve(a, b, *, overwrite_a=False, overwrite_b=False, gpu=None):
    """Solves a x = b, as numpy.linalg.solve (through ?gesv); `b` is a vector when it is
    one-dimensional (NumPy 2's rule), else a stack of (M, K) matrices.

    overwrite_a / overwrite_b (as in scipy.linalg.solve): when `a` / `b` is a single
    Fortran-ordered matrix (or a contiguous vector) of the computed dtype, LAPACK works in
    it with no copy: `a` then holds the LU factors and `b` the solution, and the returned
    array *is* `b`. Otherwise the arrays are copied and left unchanged.
    """
    a, b = np.asarray(a), np.asarray(b)
    _batch.square(a)
    dtype = _types.common(a, b)
    vector = b.ndim == 1
    b2 = b[:, np.newaxis] if vector else b
    if b2.ndim < 2 or b2.shape[-2] != a.shape[-1]:
        raise LapackError(
            "solve: b has shape %s, which does not match a of shape %s" % (b.shape, a.shape)
        )
    with _backend.use(gpu):
        x = _batch.run(lambda p, q: _solve(p, q, dtype, overwrite_a, overwrite_b), [a, b2], [2, 2])
    return x[..., 0] if vector else x


def _lu_factor(a, dtype, singular_ok=False):
    """?getrf on a copy of `a`: (LU factors, pivots, INFO). A singular matrix raises
    unless `singular_ok`."""
    n = a.shape[0]
    a = _layout.scratch(a, dtype)
    ipiv = np.empty(n, dtype=np.int32)
    info = _call.lapack(_call.name(dtype, "getrf"), n, n, a, _layout.ld(n), ipiv, allow_positive=singular_ok)
    return a, ipiv, info


def _inv(a, dtype):
    n = a.shape[0]
    lu, ipiv, _ = _lu_factor(a, dtype)
    routine = _call.name(dtype, "getri")
    (lwork,) = _call.query(routine, n, lu, _layout.ld(n), ipiv, Work(dtype), -1)
    _call.lapack(routine, n, lu, _layout.ld(n), ipiv, _call.workspace(dtype, lwork), lwork)
    return lu


def inv(a, *, gpu=None):
    """The inverse, as numpy.linalg.inv (through ?getrf and ?getri); raises LapackError
    (a numpy.linalg.LinAlgError) for a singular matrix."""
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        return _batch.run(lambda x: _inv(x, dtype), [a], [2])


def _det(a, dtype):
    n = a.shape[0]
    lu, ipiv, info = _lu_factor(a, dtype, singular_ok=True)
    if info > 0:
        return np.zeros((), dtype)
    swaps = np.count_nonzero(ipiv != np.arange(1, n + 1))
    d = np.prod(np.diagonal(lu)) * (-1 if swaps % 2 else 1)
    return np.asarray(d, dtype=dtype)


def det(a, *, gpu=None):
    """The determinant, as numpy.linalg.det (through ?getrf); 0 for a singular matrix."""
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        d = _batch.run(lambda x: _det(x, dtype), [a], [2])
    return d[()] if d.ndim == 0 else d


def _slogdet(a, dtype):
    n = a.shape[0]
    lu, ipiv, info = _lu_factor(a, dtype, singular_ok=True)
    real = _types.real(dtype)
    if info > 0:
        return np.zeros((), dtype), np.asarray(-np.inf, dtype=real)
    diag = np.diagonal(lu)
    swaps = np.count_nonzero(ipiv != np.arange(1, n + 1))
    sign = (-1 if swaps % 2 else 1) * np.prod(diag / np.abs(diag))
    return np.asarray(sign, dtype=dtype), np.asarray(np.sum(np.log(np.abs(diag))), dtype=real)


def slogdet(a, *, gpu=None):
    """(sign, log|det|), as numpy.linalg.slogdet (through ?getrf): no overflow for large
    determinants; sign 0 and logabsdet -inf for a singular matrix."""
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        sign, logdet = _batch.run(lambda x: _slogdet(x, dtype), [a], [2])
    return SlogdetResult(sign[()] if sign.ndim == 0 else sign, logdet[()] if logdet.ndim == 0 else logdet)


def lstsq(a, b, rcond=None, *, gpu=None):
    """Least-squares solution of a x = b, as numpy.linalg.lstsq (through ?gelsd): returns
    (x, residuals, rank, singular values). `rcond` None: machine epsilon times max(M, N)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 2:
        raise LapackError("%d-dimensional array given. Array must be two-dimensional" % a.ndim)
    vector = b.ndim == 1
    b2 = b[:, np.newaxis] if vector else b
    if b2.ndim != 2 or b2.shape[0] != a.shape[0]:
        raise LapackError("Incompatible dimensions: a is %s, b is %s" % (a.shape, b.shape))
    dtype = _types.common(a, b)
    real = _types.real(dtype)
    (m, n), nrhs = a.shape, b2.shape[1]
    if rcond is None:
        rcond = np.finfo(real).eps * max(m, n)
    ldb = max(1, m, n)
    x = np.zeros((ldb, nrhs), dtype=dtype, order="F")
    x[:m] = b2
    a = _layout.scratch(a, dtype)
    s = np.empty(min(m, n), dtype=real)
    rank = _call.ctypes.c_int(0)
    routine = _call.name(dtype, "gelsd")
    head = [m, n, nrhs, a, _layout.ld(m), x, ldb, s, np.asarray(rcond, dtype=real), rank]
    with _backend.use(gpu):
        if _types.is_complex(dtype):
            lwork, lrwork, liwork = _call.query(routine, *head, Work(dtype), -1, Work(real), Work(np.int32))
            tail = [np.empty(lrwork, real), np.empty(liwork, np.int32)]
        else:
            lwork, liwork = _call.query(routine, *head, Work(dtype), -1, Work(np.int32))
            tail = [np.empty(liwork, np.int32)]
        _call.lapack(routine, *head, _call.workspace(dtype, lwork), lwork, *tail)
    solution = x[:n]
    if rank.value == n and m > n:
        residuals = np.sum(np.abs(x[n:m]) ** 2, axis=0).astype(real)
    else:
        residuals = np.empty(0, dtype=real)
    if vector:
        solution = solution[:, 0]
    return LstsqResult(solution, residuals, rank.value, s)
