"""Results against numpy.linalg (and scipy.linalg.lu) on random and edge inputs."""

import numpy as np
import pytest
import scipy.linalg

import lapack_py as lap
from conftest import random, tol

SHAPES = [(1, 1), (5, 5), (7, 4), (4, 7)]


def close(x, y, dtype):
    x, y = np.asarray(x), np.asarray(y)
    assert x.shape == y.shape, (x.shape, y.shape)
    scale = max(1.0, float(np.max(np.abs(y)))) if y.size else 1.0
    np.testing.assert_allclose(x, y, rtol=tol(dtype), atol=tol(dtype) * scale)


def spd(n, dtype, batch=()):
    a = random(batch + (n, n), dtype)
    return a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n, dtype=dtype)


@pytest.mark.parametrize("shape", SHAPES + [(2, 3, 5, 4)])
@pytest.mark.parametrize("full", [True, False])
def test_svd(shape, full, dtype):
    a = random(shape, dtype)
    u, s, vh = lap.svd(a, full_matrices=full)
    assert s.dtype == np.linalg.svd(a)[1].dtype and u.dtype == a.dtype
    close(s, np.linalg.svd(a, compute_uv=False), dtype)
    k = min(shape[-2:])
    close((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], a, dtype)
    close(lap.svd(a, compute_uv=False), s, dtype)
    assert u.shape == np.linalg.svd(a, full_matrices=full)[0].shape


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
def test_svd_empty(shape):
    for got, want in zip(lap.svd(np.zeros(shape)), np.linalg.svd(np.zeros(shape))):
        np.testing.assert_array_equal(got, want)


def test_svd_hermitian(dtype):
    a = spd(5, dtype) - 8 * np.eye(5, dtype=dtype)
    u, s, vh = lap.svd(a, hermitian=True)
    close(s, np.linalg.svd(a, compute_uv=False), dtype)
    close((u * s) @ vh, a, dtype)


@pytest.mark.parametrize("n", [1, 6])
def test_eig(n, dtype):
    a = random((n, n), dtype)
    w, v = lap.eig(a)
    wn = np.linalg.eig(a)[0]
    assert w.dtype == wn.dtype
    close(np.sort_complex(w), np.sort_complex(wn), dtype)
    close(a @ v, v * w, dtype)


def test_eig_real_eigenvalues_stay_real():
    w, v = lap.eig(np.diag([3.0, 1.0, 2.0]))
    assert w.dtype == np.float64 and v.dtype == np.float64
    np.testing.assert_allclose(np.sort(w), [1, 2, 3])


def test_eig_batched_and_ints():
    a = np.arange(2 * 9).reshape(2, 3, 3) % 5
    w, v = lap.eig(a)
    assert w.shape == (2, 3) and v.shape == (2, 3, 3)
    close(a @ v, v * w[:, None, :], np.float64)


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh(uplo, dtype):
    a = spd(6, dtype, batch=(2,))
    # Garbage in the other triangle must be ignored.
    junk = np.triu(random((6, 6), dtype, 1), 1) if uplo == "L" else np.tril(random((6, 6), dtype, 1), -1)
    w, v = lap.eigh(a + junk, UPLO=uplo)
    wn = np.linalg.eigh(a)[0]
    assert w.dtype == wn.dtype
    close(w, wn, dtype)
    close(a @ v, v * w[..., None, :], dtype)


@pytest.mark.parametrize("n, k", [(1, 1), (5, 1), (5, 3)])
def test_solve(n, k, dtype):
    a, b = random((n, n), dtype) + n * np.eye(n, dtype=dtype), random((n, k), dtype, 1)
    close(lap.solve(a, b), np.linalg.solve(a, b), dtype)
    close(lap.solve(a, b[:, 0]), np.linalg.solve(a, b[:, 0]), dtype)


def test_solve_batched_broadcast():
    a = random((3, 4, 4), np.float64) + 4 * np.eye(4)
    b = random((1, 4, 5), np.float64, 1)
    close(lap.solve(a, b), np.linalg.solve(a, b), np.float64)


def test_solve_empty():
    assert lap.solve(np.zeros((0, 0)), np.zeros((0, 2))).shape == (0, 2)
    assert lap.solve(np.zeros((2, 0, 0)), np.zeros((2, 0, 1))).shape == (2, 0, 1)


@pytest.mark.parametrize("shape", [(6, 3), (3, 6), (4, 4), (0, 2)])
@pytest.mark.parametrize("vector", [True, False])
def test_lstsq(shape, vector, dtype):
    a = random(shape, dtype)
    b = random((shape[0],) if vector else (shape[0], 2), dtype, 1)
    got, want = lap.lstsq(a, b), np.linalg.lstsq(a, b, rcond=None)
    close(got[0], want[0], dtype)
    close(got[1], want[1], dtype)
    assert got[2] == want[2]
    close(got[3], want[3], dtype)


@pytest.mark.parametrize("n", [0, 1, 5])
def test_inv_det(n, dtype):
    a = random((n, n), dtype) + n * np.eye(n, dtype=dtype)
    close(lap.inv(a), np.linalg.inv(a), dtype)
    d = lap.det(a)
    assert np.asarray(d).dtype == np.asarray(np.linalg.det(a)).dtype
    close(d, np.linalg.det(a), dtype)


def test_det_singular_and_batched():
    assert lap.det(np.ones((3, 3))) == 0.0
    a = random((2, 3, 3, 3), np.float64)
    close(lap.det(a), np.linalg.det(a), np.float64)
    close(lap.inv(a), np.linalg.inv(a), np.float64)


@pytest.mark.parametrize("n", [1, 5])
def test_cholesky(n, dtype):
    a = spd(n, dtype, batch=(2,))
    close(lap.cholesky(a), np.linalg.cholesky(a), dtype)
    u = lap.cholesky(a, upper=True)
    close(np.conj(np.swapaxes(u, -1, -2)) @ u, a, dtype)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (0, 3), (3, 0)])
@pytest.mark.parametrize("mode", ["reduced", "complete", "r", "raw"])
def test_qr(shape, mode, dtype):
    a = random(shape, dtype)
    got, want = lap.qr(a, mode=mode), np.linalg.qr(a, mode=mode)
    if mode == "r":
        close(np.abs(got), np.abs(want), dtype)
    elif mode == "raw":
        close(got[0], want[0], dtype)
        close(got[1], want[1], dtype)
    else:
        q, r = got
        assert q.shape == want[0].shape and r.shape == want[1].shape
        close(q @ r, a, dtype)
        close(np.abs(r), np.abs(want[1]), dtype)


def test_qr_batched():
    a = random((3, 5, 4), np.float64)
    q, r = lap.qr(a)
    close(q @ r, a, np.float64)


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (6, 3), (3, 6)])
def test_lu(shape, dtype):
    a = random(shape, dtype)
    p, l, u = lap.lu(a)
    for got, want in zip((p, l, u), scipy.linalg.lu(a)):
        close(got, want, dtype)
    pl, u2 = lap.lu(a, permute_l=True)
    close(pl @ u2, a, dtype)


@pytest.mark.parametrize("shapes", [((4, 3), (3, 5)), ((3,), (3, 2)), ((4, 3), (3,)), ((3,), (3,)),
                                    ((2, 1, 4, 3), (5, 3, 2)), ((0, 3), (3, 2)), ((2, 0), (0, 3))])
def test_matmul(shapes, dtype):
    a, b = random(shapes[0], dtype), random(shapes[1], dtype, 1)
    got = lap.matmul(a, b)
    want = np.matmul(a, b)
    assert got.dtype == want.dtype
    close(got, want, dtype)


def test_matmul_layouts_and_promotion():
    a = random((6, 5), np.float64)
    b = random((5, 4), np.float64, 1)
    for x in (a, np.asfortranarray(a), a[:, ::-1]):
        for y in (b, np.asfortranarray(b), b[::2].repeat(2, axis=0)[:5]):
            close(lap.matmul(x, y), x @ y, np.float64)
    i = np.arange(6).reshape(2, 3)
    assert lap.matmul(i, i.T).dtype == np.float64
    close(lap.matmul(i, i.T), i @ i.T, np.float64)
    assert lap.matmul(a.astype(np.float32), b).dtype == np.float64


def test_matmul_out():
    a, b = random((3, 4), np.float64), random((4, 2), np.float64, 1)
    out = np.empty((3, 2))
    assert lap.matmul(a, b, out=out) is out
    close(out, a @ b, np.float64)


@pytest.mark.parametrize("name", ["inv", "det", "cholesky", "eigh", "eig", "svd", "qr", "lu"])
def test_empty_batch(name):
    a = np.zeros((0, 3, 3))
    got = getattr(lap, name)(a)
    want = scipy.linalg.lu(np.eye(3)) if name == "lu" else getattr(np.linalg, name)(np.eye(3))
    for g, w in zip(got if isinstance(got, tuple) else (got,), want if isinstance(want, tuple) else (want,)):
        assert g.shape == (0,) + np.shape(w)


def test_lu_batched():
    a = random((2, 4, 3), np.complex128)
    p, l, u = lap.lu(a)
    close(p @ l @ u, a, np.complex128)


@pytest.mark.parametrize("shape", [(1, 1), (6, 6), (3, 5, 5)])
def test_eigvals(shape, dtype):
    a = random(shape, dtype)
    w = lap.eigvals(a)
    want = np.linalg.eigvals(a)
    close(np.sort_complex(w.astype(complex)), np.sort_complex(want.astype(complex)), dtype)
    close(np.sort_complex(w.astype(complex)), np.sort_complex(lap.eig(a).eigenvalues.astype(complex)), dtype)


@pytest.mark.parametrize("n", [1, 6, 20])
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigvalsh(n, uplo, dtype):
    a = spd(n, dtype)
    w = lap.eigvalsh(a, UPLO=uplo)
    assert w.dtype == np.linalg.eigvalsh(a).dtype
    close(w, np.linalg.eigvalsh(a, UPLO=uplo), dtype)


@pytest.mark.parametrize("shape", SHAPES + [(2, 6, 3)])
def test_svdvals_and_pinv(shape, dtype):
    a = random(shape, dtype)
    close(lap.svdvals(a), np.linalg.svd(a, compute_uv=False), dtype)
    p = lap.pinv(a)
    assert p.shape == np.linalg.pinv(a).shape
    close(p, np.linalg.pinv(a), dtype)


def test_pinv_rank_deficient():
    a = np.outer(np.arange(1.0, 6.0), np.arange(1.0, 4.0))
    close(lap.pinv(a), np.linalg.pinv(a), np.float64)
    assert lap.pinv(np.zeros((3, 0))).shape == (0, 3)


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (2, 4, 4)])
def test_slogdet(shape, dtype):
    a = random(shape, dtype)
    sign, logdet = lap.slogdet(a)
    want_sign, want_logdet = np.linalg.slogdet(a)
    close(sign, want_sign, dtype)
    close(logdet, want_logdet, dtype)


def test_slogdet_singular_and_large():
    sign, logdet = lap.slogdet(np.zeros((3, 3)))
    assert sign == 0 and logdet == -np.inf
    big = np.eye(400) * 1e3  # det overflows; its logarithm does not
    sign, logdet = lap.slogdet(big)
    assert sign == 1 and abs(logdet - 400 * np.log(1e3)) < 1e-9 * logdet
