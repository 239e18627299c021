"""Shared machinery of the native-LAPACK reference tests: calling a Fortran routine
through ctypes in our library and in the system's reference LAPACK, the input kinds
every routine is tried on, Netlib-style error ratios, and the pass/fail tally.

A routine test module defines `run(t)` and uses `t.ours` / `t.ref` (ctypes handles),
`t.call(lib, name, *args)` and `t.check(name, condition, detail)`.
"""

import ctypes
import numpy as np

REFERENCE_LAPACK = '/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3'

# Netlib's test programs flag a ratio above 30 (their default THRESH).
THRESH = 30.0

DTYPES = {'s': np.float32, 'd': np.float64, 'c': np.complex64, 'z': np.complex128}


def eps(dtype):
    """LAPACK's xLAMCH('E'): relative machine precision (half an ulp of 1)."""
    return np.finfo(dtype).eps / 2


def real_dtype(dtype):
    return np.finfo(dtype).dtype


class Arg:
    """A Fortran CHARACTER argument: passed by pointer, its length appended at the end."""

    def __init__(self, char):
        self.char = char


def integer_type(ilp64):
    return ctypes.c_int64 if ilp64 else ctypes.c_int32


class Tally:
    def __init__(self, ours, ref, verbose=False):
        self.ours, self.ref = ours, ref
        self.passed = self.failed = 0
        self.verbose = verbose
        self.rng = np.random.default_rng(20261126)

    def check(self, name, ok, detail=''):
        if ok:
            self.passed += 1
            if self.verbose:
                print(f'ok   {name}')
        else:
            self.failed += 1
            print(f'FAIL {name} {detail}')

    def call(self, lib, name, *args, ilp64=False, restype=None):
        """Calls Fortran routine `name` of `lib`. Arguments: numpy arrays (passed by
        pointer; must be Fortran-ordered and writable when written), Python ints
        (passed by reference as INTEGER), floats/complex (passed by reference as the
        routine's scalar type is decided by the caller: wrap in a 1-element array),
        and Arg('N') for CHARACTER. Returns the INTEGER arguments' final values in a
        list, in order (INFO last for LAPACK routines); for a function (`restype`
        given, a ctypes type) its value instead."""
        int_t = integer_type(ilp64)
        c_args, ints, lengths = [], [], []
        for a in args:
            if isinstance(a, Arg):
                buf = ctypes.create_string_buffer(a.char.encode(), 1)
                c_args.append(buf)
                lengths.append(ctypes.c_size_t(1))
            elif isinstance(a, (int, np.integer)):
                box = int_t(int(a))
                ints.append(box)
                c_args.append(ctypes.byref(box))
            elif isinstance(a, np.ndarray):
                c_args.append(ctypes.c_void_p(a.ctypes.data) if a.size else
                              ctypes.c_void_p(a.ctypes.data or 8))
            else:
                raise TypeError(f'argument {a!r}')
        fn = getattr(lib, name)
        fn.restype = restype
        value = fn(*c_args, *lengths)
        return value if restype else [box.value for box in ints]

    # ----- inputs -----

    def random(self, m, n, dtype, ld=None):
        """An m x n matrix with entries in [-1, 1) (complex: both parts), stored with
        leading dimension `ld` >= m: returns (full ld x n array, its m x n view)."""
        ld = max(ld or m, 1)
        full = self.rng.uniform(-1, 1, (ld, n))
        if np.issubdtype(dtype, np.complexfloating):
            full = full + 1j * self.rng.uniform(-1, 1, (ld, n))
        full = np.asfortranarray(full.astype(dtype))
        return full, full[:m, :]

    def with_singular_values(self, m, n, dtype, values):
        """An m x n matrix with the given singular values (random orthogonal factors)."""
        k = min(m, n)
        u, _ = np.linalg.qr(self.random(m, m, np.complex128 if np.issubdtype(dtype, np.complexfloating) else np.float64)[1])
        v, _ = np.linalg.qr(self.random(n, n, u.dtype)[1])
        s = np.zeros((m, n))
        s[np.arange(k), np.arange(k)] = values
        return np.asfortranarray((u @ s @ v.conj().T).astype(dtype))

    def hermitian_positive(self, n, dtype, cond=10.0):
        """A Hermitian positive definite n x n matrix with condition number `cond`."""
        values = np.geomspace(1.0, 1.0 / cond, n) if n else np.zeros(0)
        q, _ = np.linalg.qr(self.random(n, n, np.complex128 if np.issubdtype(dtype, np.complexfloating) else np.float64)[1])
        a = (q * values) @ q.conj().T
        a = (a + a.conj().T) / 2
        return np.asfortranarray(a.astype(dtype))


def norm1(a):
    """The 1-norm (max column sum), 0 for empty matrices, NaN-propagating."""
    if a.size == 0:
        return 0.0
    return float(np.max(np.sum(np.abs(a.astype(np.complex128)), axis=0)))


def ratio(residual, scale, n, dtype):
    """Netlib's test ratio ||residual|| / (n ||scale|| eps), 0 when both vanish."""
    r = norm1(residual)
    s = norm1(scale) if isinstance(scale, np.ndarray) else float(scale)
    if r == 0:
        return 0.0
    return r / (max(n, 1) * max(s, np.finfo(np.float64).tiny) * eps(dtype))


def outside_untouched(full, m, n):
    """Rows m..ld of an ld x n array (the part below the m x n matrix) are a copy of
    what the caller had: no write outside the documented output."""
    return full[m:, :n]
