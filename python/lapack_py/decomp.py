"""svd (?gesdd), eig (?geev), eigh (?syevd / ?heevd) with numpy.linalg's signatures."""

import numpy as np

from . import _backend, _batch, _call, _layout, _types
from ._call import Work
from ._results import EigResult, EighResult, SVDResult


def _svd(a, dtype, full_matrices, compute_uv):
    m, n = a.shape
    k = min(m, n)
    real = _types.real(dtype)
    ucols, vrows = (m, n) if full_matrices else (k, k)
    if a.flags.c_contiguous and not a.flags.f_contiguous:
        # a^T = U' S V'^H is Fortran-ordered: copying it is a plain memcpy, not a
        # transposing copy, and a = (V'^H)^T S U'^T.
        result = _svd(a.T, dtype, full_matrices, compute_uv)
        return SVDResult(result[2].T, result[1], result[0].T) if compute_uv else result
    if k == 0:
        s = np.empty(0, dtype=real)
        return SVDResult(np.eye(m, ucols, dtype=dtype), s, np.eye(vrows, n, dtype=dtype)) if compute_uv else s
    jobz = ("A" if full_matrices else "S") if compute_uv else "N"
    a = _layout.scratch(a, dtype)
    s = np.empty(k, dtype=real)
    if compute_uv:
        u, vt = np.empty((m, ucols), dtype, order="F"), np.empty((vrows, n), dtype, order="F")
    else:
        u = vt = np.empty(1, dtype)
        ucols = vrows = 1
    iwork = np.empty(8 * k, dtype=np.int32)
    extra = []
    if _types.is_complex(dtype):
        rsize = 7 * k if jobz == "N" else k * max(5 * k + 7, 2 * max(m, n) + 2 * k + 1)
        extra = [np.empty(max(1, rsize), dtype=real)]
    routine = _call.name(dtype, "gesdd")
    head = [jobz, m, n, a, _layout.ld(m), s, u, _layout.ld(m if compute_uv else 1), vt, _layout.ld(vrows)]
    (lwork,) = _call.query(routine, *head, Work(dtype), -1, *extra, iwork)
    _call.lapack(routine, *head, _call.workspace(dtype, lwork), lwork, *extra, iwork)
    return SVDResult(u, s, vt) if compute_uv else s


def svd(a, full_matrices=True, compute_uv=True, hermitian=False, *, gpu=None):
    """Singular value decomposition, as numpy.linalg.svd (through ?gesdd)."""
    a = np.asarray(a)
    _batch.matrices(a)
    dtype = _types.common(a)
    if hermitian:
        return _svd_hermitian(a, compute_uv, gpu)
    with _backend.use(gpu):
        result = _batch.run(lambda x: _svd(x, dtype, full_matrices, compute_uv), [a], [2])
    return SVDResult(*result) if compute_uv else result


def _svd_hermitian(a, compute_uv, gpu):
    """numpy's hermitian=True: from eigh, singular values sorted descending."""
    w, v = eigh(a, gpu=gpu)
    order = np.argsort(np.abs(w), axis=-1)[..., ::-1]
    s = np.take_along_axis(np.abs(w), order, axis=-1)
    if not compute_uv:
        return s
    sign = np.take_along_axis(np.sign(w), order, axis=-1)
    u = np.take_along_axis(v, order[..., np.newaxis, :], axis=-1)
    vh = np.conj(u * sign[..., np.newaxis, :]).swapaxes(-2, -1)
    return SVDResult(u, s, vh)


def _eig(a, dtype, vectors=True):
    n = a.shape[0]
    a = _layout.scratch(a, dtype)
    jobvr = "V" if vectors else "N"
    vl, vr = np.empty(1, dtype), np.empty((n, n) if vectors else (1, 1), dtype, order="F")
    ldvr = _layout.ld(n) if vectors else 1
    routine = _call.name(dtype, "geev")
    if _types.is_complex(dtype):
        w = np.empty(n, dtype)
        head, tail = ["N", jobvr, n, a, _layout.ld(n), w, vl, 1, vr, ldvr], [np.empty(max(1, 2 * n), _types.real(dtype))]
    else:
        wr, wi = np.empty(n, dtype), np.empty(n, dtype)
        head, tail = ["N", jobvr, n, a, _layout.ld(n), wr, wi, vl, 1, vr, ldvr], []
    (lwork,) = _call.query(routine, *head, Work(dtype), -1, *tail)
    _call.lapack(routine, *head, _call.workspace(dtype, lwork), lwork, *tail)
    if _types.is_complex(dtype):
        return w, vr
    if not vectors:
        return wr + 1j * wi, vr
    # Real ?geev stores a conjugate pair's vectors as (real part, imaginary part) columns.
    w = wr + 1j * wi
    v = vr.astype(w.dtype)
    pairs = np.nonzero(wi > 0)[0]
    v[:, pairs] = vr[:, pairs] + 1j * vr[:, pairs + 1]
    v[:, pairs + 1] = np.conj(v[:, pairs])
    return w, v


def eig(a, *, gpu=None):
    """Eigenvalues and right eigenvectors, as numpy.linalg.eig (through ?geev): real
    results for a real matrix whose eigenvalues are all real, complex otherwise."""
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        w, v = _batch.run(lambda x: _eig(x, dtype), [a], [2])
    if not _types.is_complex(dtype) and np.all(w.imag == 0):
        w, v = w.real, v.real
    return EigResult(w, v)


def _eigh(a, dtype, uplo, vectors=True):
    n = a.shape[0]
    a = _layout.scratch(a, dtype)
    w = np.empty(n, dtype=_types.real(dtype))
    routine = _call.name(dtype, "syevd", "heevd")
    head = ["V" if vectors else "N", uplo, n, a, _layout.ld(n), w]
    if _types.is_complex(dtype):
        sizes = _call.query(routine, *head, Work(dtype), -1, Work(w.dtype), -1, Work(np.int32), -1)
        kinds = [dtype, w.dtype, np.int32]
    else:
        sizes = _call.query(routine, *head, Work(dtype), -1, Work(np.int32), -1)
        kinds = [dtype, np.int32]
    tail = []
    for size, kind in zip(sizes, kinds):
        tail += [_call.workspace(kind, size), size]
    _call.lapack(routine, *head, *tail)
    return w, a


def eigh(a, UPLO="L", *, gpu=None):
    """Eigenvalues (ascending) and eigenvectors of a Hermitian/symmetric matrix, as
    numpy.linalg.eigh (through ?syevd / ?heevd); only the `UPLO` triangle is read."""
    if UPLO not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        w, v = _batch.run(lambda x: _eigh(x, dtype, UPLO), [a], [2])
    return EighResult(w, v)


def eigvals(a, *, gpu=None):
    """Eigenvalues only, as numpy.linalg.eigvals (?geev without vectors)."""
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        w = _batch.run(lambda x: _eig(x, dtype, vectors=False)[0], [a], [2])
    if not _types.is_complex(dtype) and np.all(w.imag == 0):
        w = w.real
    return w


def eigvalsh(a, UPLO="L", *, gpu=None):
    """Eigenvalues (ascending) of a Hermitian/symmetric matrix, as numpy.linalg.eigvalsh
    (?syevd / ?heevd without vectors)."""
    if UPLO not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    a = np.asarray(a)
    _batch.square(a)
    dtype = _types.common(a)
    with _backend.use(gpu):
        return _batch.run(lambda x: _eigh(x, dtype, UPLO, vectors=False)[0], [a], [2])


def svdvals(a, *, gpu=None):
    """Singular values (descending), as numpy.linalg.svdvals (?gesdd without vectors)."""
    return svd(a, compute_uv=False, gpu=gpu)


def pinv(a, rcond=None, hermitian=False, *, rtol=None, gpu=None):
    """Moore-Penrose pseudo-inverse, as numpy.linalg.pinv: singular values at or below
    rtol * largest are treated as zero (default max(M, N) * eps)."""
    a = np.asarray(a)
    _batch.matrices(a)
    dtype = _types.common(a)
    cutoff = rcond if rcond is not None else rtol
    if cutoff is None:
        cutoff = max(a.shape[-2:]) * np.finfo(_types.real(dtype)).eps
    if a.shape[-1] == 0 or a.shape[-2] == 0:
        return np.zeros(a.shape[:-2] + (a.shape[-1], a.shape[-2]), dtype=dtype)
    u, s, vh = svd(a, full_matrices=False, hermitian=hermitian, gpu=gpu)
    keep = s > np.asarray(cutoff)[..., np.newaxis] * np.max(s, axis=-1, keepdims=True)
    inverse = np.where(keep, 1 / np.where(keep, s, 1), 0)
    return np.matmul(np.conj(vh).swapaxes(-2, -1) * inverse[..., np.newaxis, :], np.conj(u).swapaxes(-2, -1))
