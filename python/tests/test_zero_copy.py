"""Operands are passed without a copy when their layout allows it: proven by the data
addresses handed to Fortran (lapack_py._call.TRACE)."""

import numpy as np
import pytest

import lapack_py as lap
from lapack_py import _call
from conftest import random


@pytest.fixture
def trace():
    _call.TRACE = []
    yield _call.TRACE
    _call.TRACE = None


@pytest.mark.parametrize("order_a", ["C", "F"])
@pytest.mark.parametrize("order_b", ["C", "F"])
def test_matmul_passes_operands_straight_through(trace, order_a, order_b):
    a = np.asarray(random((40, 30), np.float64), order=order_a)
    b = np.asarray(random((30, 20), np.float64, 1), order=order_b)
    c = lap.matmul(a, b)
    np.testing.assert_allclose(c, a @ b, rtol=1e-12)
    ((name, pointers),) = trace
    assert name == "dgemm_"
    assert a.ctypes.data in pointers and b.ctypes.data in pointers
    assert c.ctypes.data in pointers  # written in place, not copied afterwards


def test_matmul_out_is_written_in_place(trace):
    a, b, out = random((8, 8), np.complex64), random((8, 8), np.complex64, 1), np.empty((8, 8), np.complex64)
    assert lap.matmul(a, b, out=out) is out
    assert out.ctypes.data in trace[0][1]


def test_matmul_copies_a_strided_operand(trace):
    a = random((10, 10), np.float64)[:, ::2]
    lap.matmul(a, np.eye(5))
    assert a.ctypes.data not in trace[0][1]


def test_solve_overwrite_b_returns_b_itself(trace):
    a = np.asfortranarray(random((6, 6), np.float64) + 6 * np.eye(6))
    b = np.asfortranarray(random((6, 2), np.float64, 1))
    a0, b0 = a.copy(), b.copy()
    x = lap.solve(a, b, overwrite_a=True, overwrite_b=True)
    assert x is b
    np.testing.assert_allclose(a0 @ x, b0, atol=1e-12)
    ((name, pointers),) = trace
    assert name == "dgesv_" and a.ctypes.data in pointers and b.ctypes.data in pointers


def test_solve_overwrite_vector(trace):
    a = np.asfortranarray(np.diag([2.0, 4.0]))
    b = np.array([2.0, 8.0])
    x = lap.solve(a, b, overwrite_b=True)
    assert x.ctypes.data == b.ctypes.data
    np.testing.assert_allclose(b, [1.0, 2.0])


def test_solve_without_overwrite_leaves_inputs_alone(trace):
    a = np.asfortranarray(random((5, 5), np.float64) + 5 * np.eye(5))
    b = np.asfortranarray(random((5, 1), np.float64, 1))
    a0, b0 = a.copy(), b.copy()
    x = lap.solve(a, b)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
    assert x.ctypes.data != b.ctypes.data
    assert a.ctypes.data not in trace[0][1] and b.ctypes.data not in trace[0][1]


def test_overwrite_ignored_when_dtype_differs(trace):
    a = np.asfortranarray(2 * np.eye(3))
    b = np.ones((3, 1), np.float32, order="F")  # computed in float64: b is copied
    x = lap.solve(a, b, overwrite_a=True, overwrite_b=True)
    assert x is not b and x.dtype == np.float64
    np.testing.assert_array_equal(b, np.ones((3, 1)))
    assert b.ctypes.data not in trace[0][1] and a.ctypes.data in trace[0][1]
