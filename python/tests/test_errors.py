"""Failures raise LapackError, a numpy.linalg.LinAlgError with the library's words."""

import numpy as np
import pytest

import lapack_py as lap
from lapack_py import _lib


def test_singular_solve_explained_by_the_library():
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    with pytest.raises(np.linalg.LinAlgError) as e:
        lap.solve(a, np.ones(3))
    assert isinstance(e.value, lap.LapackError)
    assert e.value.routine == "DGESV" and e.value.info == 3
    assert str(e.value) == _lib.api("explain", b"DGESV", 3)
    assert str(e.value).startswith("DGESV: U(3,3) is exactly zero; the matrix is singular.")


@pytest.mark.parametrize("dtype, prefix", [(np.float32, "S"), (np.complex128, "Z")])
def test_singular_inv_names_the_precision(dtype, prefix):
    with pytest.raises(lap.LapackError, match="^%sGETRF: U\\(1,1\\) is exactly zero" % prefix):
        lap.inv(np.zeros((2, 2), dtype))


def test_not_positive_definite():
    with pytest.raises(lap.LapackError, match="DPOTRF: the leading minor of order 2 is not positive definite"):
        lap.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]]))


def test_argument_error_text_is_recorded(capfd):
    # A bad argument reaches XERBLA, which records the explanation for this thread.
    from lapack_py import _call

    with pytest.raises(lap.LapackError) as e:
        _call.lapack("dgesv_", -1, 1, np.zeros(1), 1, np.zeros(1, np.int32), np.zeros(1), 1)
    assert e.value.info == -1
    assert str(e.value) == "DGESV: argument 1 (N = -1) must be >= 0."
    assert _lib.api("last_error") is None  # read once


@pytest.mark.parametrize("call", [
    lambda: lap.solve(np.ones((2, 3)), np.ones(2)),
    lambda: lap.solve(np.eye(3), np.ones(2)),
    lambda: lap.inv(np.ones(3)),
    lambda: lap.eigh(np.ones((2, 3))),
    lambda: lap.det(np.ones((3, 2))),
    lambda: lap.svd(np.ones(3)),
    lambda: lap.lstsq(np.ones((3, 2)), np.ones(2)),
])
def test_bad_shapes(call):
    with pytest.raises(np.linalg.LinAlgError):
        call()


def test_bad_options():
    with pytest.raises(ValueError):
        lap.eigh(np.eye(2), UPLO="X")
    with pytest.raises(ValueError):
        lap.qr(np.eye(2), mode="bogus")
    with pytest.raises(ValueError):
        lap.matmul(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(TypeError):
        lap.svd(np.eye(2, dtype=np.longdouble))
