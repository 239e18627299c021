"""NumPy with liblapack_ai preloaded and every GEMM forced onto an OpenCL device: the
parent multiplies on the device, then a multiprocessing pool (fork, Python's default on
Linux) multiplies in children. The children must not touch the parent's device (CUDA
forbids it; a held lock or a half-done opening would hang them): their products run on
the CPU, right, and the parent keeps its device. Exit status 0 when all holds."""
import multiprocessing as mp
import sys

import numpy as np


def reference(a, b):
    # Elementwise products and sums, no BLAS.
    return (a[:, :, None] * b[None, :, :]).sum(axis=1)


def product(seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((150, 120)), rng.standard_normal((120, 90))
    return float(np.abs(a @ b - reference(a, b)).max())


def main():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((200, 170)), rng.standard_normal((170, 160))
    if np.abs(a @ b - reference(a, b)).max() > 1e-11:
        sys.exit("parent product wrong before the fork")
    with mp.get_context("fork").Pool(2) as pool:
        errors = pool.map(product, range(6), chunksize=1)
    if max(errors) > 1e-11:
        sys.exit(f"child products wrong: {errors}")
    if np.abs(b.T @ a.T - reference(b.T, a.T)).max() > 1e-11:
        sys.exit("parent product wrong after the fork")
    print(f"ok: 6 child products, largest error {max(errors):.1e}")


if __name__ == "__main__":
    main()
