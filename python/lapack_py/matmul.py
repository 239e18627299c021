"""matmul: NumPy's `a @ b` through our GEMM (?gemm_), for the four LAPACK dtypes.

No operand is copied when it is C- or Fortran-contiguous with the right dtype: a
C-ordered matrix is the transpose of a Fortran-ordered one, so it is passed as is with
the other TRANS. The result (C-ordered, as NumPy's) is computed as C^T = B^T A^T into
its own memory, or straight into `out` when that is contiguous with the right dtype.
"""

import numpy as np

from . import _backend, _batch, _call, _types


def _operand(x, dtype):
    """(array to pass, TRANS giving x^T from it, its leading dimension)."""
    if not (x.dtype == dtype and x.flags.aligned and (x.flags.c_contiguous or x.flags.f_contiguous)):
        x = np.ascontiguousarray(x, dtype=dtype)
    rows, cols = x.shape
    if x.flags.c_contiguous:
        return x, "N", max(1, cols)  # its memory, read in Fortran order, is x^T
    return x, "T", max(1, rows)


def _gemm(a, b, dtype, out=None):
    (m, k), n = a.shape, b.shape[1]
    c = out if out is not None else np.empty((m, n), dtype=dtype)
    if m == 0 or n == 0:
        return c
    a, ta, lda = _operand(a, dtype)
    b, tb, ldb = _operand(b, dtype)
    one, zero = np.ones((), dtype), np.zeros((), dtype)
    # C^T (n x m, Fortran order = c's C order) = B^T A^T.
    _call.blas(_call.name(dtype, "gemm"), tb, ta, n, m, k, one, b, ldb, a, lda, zero, c, max(1, n))
    return c


def _out_usable(out, shape, dtype):
    return (
        out is not None and out.shape == shape and out.dtype == dtype
        and out.flags.c_contiguous and out.flags.writeable and out.flags.aligned
    )


def matmul(a, b, out=None, *, gpu=None):
    """Matrix product of `a` and `b` with numpy.matmul's rules (vectors promoted, leading
    dimensions broadcast). Integer inputs are computed in float64. `gpu`: None lets the
    library decide, True forces the GPU backend, False the CPU."""
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul: Input operand does not have enough dimensions")
    dtype = _types.common(a, b)
    a2 = a[np.newaxis, :] if a.ndim == 1 else a
    b2 = b[:, np.newaxis] if b.ndim == 1 else b
    if a2.shape[-1] != b2.shape[-2]:
        raise ValueError(
            "matmul: Input operand 1 has a mismatch in its core dimension 0 "
            "(size %d is different from %d)" % (b2.shape[-2], a2.shape[-1])
        )
    with _backend.use(gpu):
        if a2.ndim == 2 and b2.ndim == 2 and a.ndim == 2 and b.ndim == 2:
            shape = (a2.shape[0], b2.shape[1])
            if _out_usable(out, shape, dtype):
                return _gemm(a2, b2, dtype, out)
            result = _gemm(a2, b2, dtype)
        else:
            result = _batch.run(lambda x, y: _gemm(x, y, dtype), [a2, b2], [2, 2])
    if a.ndim == 1:
        result = result[..., 0, :]
    if b.ndim == 1:
        result = result[..., 0]
    if out is not None:
        out[...] = result
        return out
    return result
