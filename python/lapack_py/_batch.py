"""Stacked inputs: a routine written for single matrices runs over the leading
dimensions of `(..., M, N)` arrays (broadcast against each other, as NumPy's gufuncs do).
"""

import numpy as np

from .errors import LapackError


def matrices(*arrays):
    """Checks that each array has at least two dimensions."""
    for a in arrays:
        if a.ndim < 2:
            raise LapackError(
                "%d-dimensional array given. Array must be at least two-dimensional" % a.ndim
            )


def square(*arrays):
    matrices(*arrays)
    for a in arrays:
        if a.shape[-1] != a.shape[-2]:
            raise LapackError("Last 2 dimensions of the array must be square")


def _identity(shape, dtype):
    return np.eye(*shape, dtype=dtype) if len(shape) == 2 else np.ones(shape, dtype=dtype)


def run(core, arrays, core_ndims):
    """Calls `core(*slices)` for each index of the broadcast leading dimensions of
    `arrays` (array i has `core_ndims[i]` core dimensions). `core` returns an array or a
    tuple of arrays (or scalars); the results are stacked along the leading dimensions.
    A result of a single matrix is returned as `core` made it (no copy)."""
    leading = np.broadcast_shapes(*[a.shape[: a.ndim - k] for a, k in zip(arrays, core_ndims)])
    if leading == ():
        return core(*arrays)
    views = [
        np.broadcast_to(a, leading + a.shape[a.ndim - k :]) if a.shape[: a.ndim - k] != leading else a
        for a, k in zip(arrays, core_ndims)
    ]
    count = int(np.prod(leading))
    if count == 0:
        # No matrix: run one identity (valid input for every routine) to learn the shapes
        # and types of the results.
        sample = core(*[_identity(v.shape[len(leading) :], v.dtype) for v in views])
        single = not isinstance(sample, tuple)
        sample = (sample,) if single else sample
        out = tuple(np.empty(leading + np.shape(r), dtype=np.asarray(r).dtype) for r in sample)
        return out[0] if single else out
    out = None
    for index in np.ndindex(*leading):
        result = core(*[v[index] for v in views])
        single = not isinstance(result, tuple)
        result = (result,) if single else result
        if out is None:
            out = tuple(np.empty(leading + np.shape(r), dtype=np.asarray(r).dtype) for r in result)
        for o, r in zip(out, result):
            o[index] = r
    return out[0] if single else out
