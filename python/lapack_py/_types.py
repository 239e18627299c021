"""The four LAPACK precisions, as a table: NumPy dtype <-> routine prefix s/d/c/z.

Inputs are promoted as numpy.linalg does: integers and booleans to float64, float16 to
float32; the common type of several operands is NumPy's result type.
"""

import numpy as np

# dtype -> (prefix, real dtype of the same precision)
_TABLE = {
    np.dtype(np.float32): ("s", np.dtype(np.float32)),
    np.dtype(np.float64): ("d", np.dtype(np.float64)),
    np.dtype(np.complex64): ("c", np.dtype(np.float32)),
    np.dtype(np.complex128): ("z", np.dtype(np.float64)),
}


def common(*arrays):
    """The LAPACK dtype for computing on `arrays` together."""
    dtype = np.result_type(*arrays)
    if dtype.kind in "biu":
        return np.dtype(np.float64)
    if dtype == np.float16:
        return np.dtype(np.float32)
    if dtype not in _TABLE:
        raise TypeError("lapack_py: arrays of type %s are not supported" % dtype)
    return dtype


def prefix(dtype):
    """'s', 'd', 'c' or 'z'."""
    return _TABLE[np.dtype(dtype)][0]


def real(dtype):
    """float32 for float32/complex64, float64 for float64/complex128."""
    return _TABLE[np.dtype(dtype)][1]


def is_complex(dtype):
    return np.dtype(dtype).kind == "c"


def complex_of(dtype):
    """complex64 for float32/complex64, complex128 for float64/complex128."""
    return np.result_type(dtype, np.complex64)
