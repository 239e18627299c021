"""Calling Fortran LAPACK/BLAS through ctypes.

Arguments are passed the Fortran way: a Python int becomes a pointer to a C int, a str
of one character a pointer to that character plus a hidden length at the end, a NumPy
array (including 0-d scalars such as ALPHA) a pointer to its data. `lapack` appends
INFO and raises on INFO != 0; `query` runs a workspace query (LWORK = -1).
"""

import ctypes
import threading

import numpy as np

from . import _lib, errors, _types

# Tests set this to a list to see every call: (routine, [data address of each array]).
# That is how they prove an operand was passed without a copy.
TRACE = None


def _convert(name, args):
    if TRACE is not None:
        TRACE.append((name, [a.ctypes.data for a in args if isinstance(a, np.ndarray)]))
    out, hidden = [], []
    for a in args:
        if isinstance(a, str):
            out.append(ctypes.c_char_p(a.encode()))
            hidden.append(ctypes.c_size_t(len(a)))
        elif isinstance(a, (int, np.integer)):
            out.append(ctypes.byref(ctypes.c_int(int(a))))
        elif isinstance(a, np.ndarray):
            out.append(ctypes.c_void_p(a.ctypes.data))
        elif isinstance(a, ctypes.c_int):
            out.append(ctypes.byref(a))
        else:
            raise TypeError("lapack_py: cannot pass %r to Fortran" % (a,))
    return out + hidden


def blas(name, *args):
    """Calls Fortran routine `name` ("dgemm_")."""
    getattr(_lib.LIB, name)(*_convert(name, args))


def lapack(name, *args, allow_positive=False):
    """Calls LAPACK routine `name` with INFO appended. Raises LapackError when INFO < 0,
    or INFO > 0 unless `allow_positive`; returns INFO."""
    info = ctypes.c_int(0)
    errors.clear()
    getattr(_lib.LIB, name)(*_convert(name, args + (info,)))
    if info.value < 0 or (info.value > 0 and not allow_positive):
        raise errors.from_info(name, info.value)
    return info.value


def name(dtype, routine, complex_routine=None):
    """The Fortran name of `routine` ("gesdd") for `dtype`: "dgesdd_"; complex dtypes
    use `complex_routine` when the name differs ("orgqr"/"ungqr", "syevd"/"heevd")."""
    if complex_routine and _types.is_complex(dtype):
        routine = complex_routine
    return _types.prefix(dtype) + routine + "_"


class Work:
    """Where a workspace array goes in a workspace query: `Work(dtype)` (WORK, RWORK,
    IWORK of that dtype). LAPACK writes the optimal length into its first element."""

    def __init__(self, dtype):
        self.probe = np.zeros(1, dtype=dtype)

    def size(self):
        value = self.probe[0].real
        if self.probe.dtype.kind in "fc":
            # A length stored in single precision may be rounded down: round up.
            return max(1, int(np.ceil(float(value) * (1 + 1e-6))))
        return max(1, int(value))


def query(routine, *args):
    """Runs a workspace query (the caller passes -1 for the lengths) with a `Work` where
    each workspace array goes; returns the optimal lengths, in order."""
    works = [a for a in args if isinstance(a, Work)]
    lapack(routine, *[a.probe if isinstance(a, Work) else a for a in args])
    return [w.size() for w in works]


_KEPT = threading.local()
KEEP_BYTES = 256 << 20  # workspaces up to this size are kept for the next call


def workspace(dtype, length):
    """A WORK array of at least `length` elements: the calling thread's kept one for
    `dtype` when it is large enough (no fresh pages to fault in on every call, as a C
    caller reusing its workspace has), else a new one, kept if at most KEEP_BYTES."""
    kept = getattr(_KEPT, "arrays", None)
    if kept is None:
        kept = _KEPT.arrays = {}
    dtype = np.dtype(dtype)
    work = kept.get(dtype)
    if work is None or work.size < length:
        work = np.empty(length, dtype)
        if work.nbytes <= KEEP_BYTES:
            kept[dtype] = work
    return work
