"""Tests run against the package in python/ (unless LAPACK_PY_INSTALLED=1 tests the
installed one) and the library it finds (see lapack_py/_lib.py)."""

import os
import pathlib
import sys

import numpy as np
import pytest

if os.environ.get("LAPACK_PY_INSTALLED") != "1":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

DTYPES = [np.float32, np.float64, np.complex64, np.complex128]


def random(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)


def tol(dtype):
    """Relative tolerance for results of `dtype` on the small matrices used here."""
    return 2e-3 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-10


@pytest.fixture(params=DTYPES, ids=lambda d: np.dtype(d).name)
def dtype(request):
    return request.param
