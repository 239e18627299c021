#!/usr/bin/python3
"""A plain NumPy program that exercises BLAS and LAPACK, and checks every answer.

Run it with liblapack_ai swapped in for the system BLAS/LAPACK, e.g.
    examples/run_numpy_demo.sh target/release/liblapack_ai.so
or by hand:
    LD_PRELOAD=$PWD/target/release/liblapack_ai.so /usr/bin/python3 examples/numpy_demo.py

Options: --n N (matrix size, default 500), --lib PATH (the library that must be
mapped; default: any liblapack_ai*), --any-lib (do not require a particular library).
Exit status: 0 if every residual is within tolerance and the library is loaded.
"""
import argparse
import os
import sys
import time

import numpy as np


def mapped_blas_lapack():
    """Files named lib*blas*/lib*lapack* that this process has mapped."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split(None, 5)
            if len(fields) == 6 and fields[5].startswith("/"):
                base = os.path.basename(fields[5].strip())
                if base.startswith("lib") and ("blas" in base or "lapack" in base):
                    found.add(os.path.realpath(fields[5].strip()))
    return sorted(found)


def rel(x, y):
    """||x|| / ||y|| in the Frobenius norm."""
    return np.linalg.norm(x) / np.linalg.norm(y)


def main():
    ap = argparse.ArgumentParser(description="NumPy BLAS/LAPACK demo with residual checks")
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--lib")
    ap.add_argument("--any-lib", action="store_true")
    args = ap.parse_args()
    n = args.n
    rng = np.random.default_rng(2024)
    A = rng.standard_normal((n, n))
    B = rng.standard_normal((n, n))
    b = rng.standard_normal(n)
    S = A + A.T                                   # symmetric
    P = A @ A.T + n * np.eye(n)                   # symmetric positive definite
    T = rng.standard_normal((2 * n, n))           # tall, for least squares
    t = rng.standard_normal(2 * n)
    Q0, _ = np.linalg.qr(B)                       # orthogonal, so det(Q0 D Q0^T) = prod(D)
    d = np.exp(rng.uniform(-0.5, 0.5, n))
    I = np.eye(n)

    # Each check: name, LAPACK/BLAS routine numpy calls, size, operation, residual(result)
    checks = [
        ("matmul", "dgemm", f"{n}x{n}", lambda: A @ B,
         lambda C: rel(C @ b - A @ (B @ b), A) / (np.linalg.norm(B) * np.linalg.norm(b))),
        ("solve", "dgesv", f"{n}x{n}", lambda: np.linalg.solve(A, b),
         lambda x: rel(A @ x - b, A) / np.linalg.norm(x)),
        ("inv", "dgesv", f"{n}x{n}", lambda: np.linalg.inv(A),
         lambda X: rel(A @ X - I, A) / np.linalg.norm(X)),
        ("eigh", "dsyevd", f"{n}x{n}", lambda: np.linalg.eigh(S),
         lambda r: max(rel(S @ r[1] - r[1] * r[0], S), rel(r[1].T @ r[1] - I, I))),
        ("svd", "dgesdd", f"{n}x{n}", lambda: np.linalg.svd(A),
         lambda r: max(rel((r[0] * r[1]) @ r[2] - A, A), rel(r[0].T @ r[0] - I, I),
                       rel(r[2] @ r[2].T - I, I))),
        ("lstsq", "dgelsd", f"{2*n}x{n}", lambda: np.linalg.lstsq(T, t, rcond=None)[0],
         lambda x: rel(T.T @ (T @ x - t), T) / (np.linalg.norm(T) * np.linalg.norm(x)
                                                 + np.linalg.norm(t))),
        ("qr", "dgeqrf+dorgqr", f"{n}x{n}", lambda: np.linalg.qr(A),
         lambda r: max(rel(r[0] @ r[1] - A, A), rel(r[0].T @ r[0] - I, I),
                       rel(np.tril(r[1], -1), A))),
        ("det", "dgetrf", f"{n}x{n}", lambda: np.linalg.det((Q0 * d) @ Q0.T),
         lambda v: abs(v - np.prod(d)) / np.prod(d)),
        ("cholesky", "dpotrf", f"{n}x{n}", lambda: np.linalg.cholesky(P),
         lambda L: max(rel(L @ L.T - P, P), rel(np.triu(L, 1), P))),
    ]
    tol = 100 * n * np.finfo(float).eps           # generous: well-conditioned inputs

    print(f"{'operation':<10} {'routine':<14} {'size':<10} {'time':>10} {'residual':>10}"
          f" {'tol':>9}  ok")
    failed = []
    for name, routine, size, run, residual in checks:
        start = time.perf_counter()
        result = run()
        ms = (time.perf_counter() - start) * 1e3
        res = float(residual(result))
        ok = np.isfinite(res) and res <= tol
        if not ok:
            failed.append(name)
        print(f"{name:<10} {routine:<14} {size:<10} {ms:8.1f}ms {res:10.2e} {tol:9.1e}"
              f"  {'OK' if ok else 'FAIL'}")

    libs = mapped_blas_lapack()
    print("\nBLAS/LAPACK files mapped in this process:")
    for lib in libs:
        print("  " + lib)
    want = os.path.realpath(args.lib) if args.lib else None
    loaded = want in libs if want else any("liblapack_ai" in os.path.basename(l) for l in libs)
    print(f"{want or 'liblapack_ai'} loaded: {'yes' if loaded else 'NO'}")
    if not loaded and not args.any_lib:
        print("  swap it in: LD_PRELOAD=/path/to/liblapack_ai.so /usr/bin/python3 " + sys.argv[0])
        failed.append("library not loaded")
    print("all checks passed" if not failed else "FAILED: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
