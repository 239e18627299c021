#!/usr/bin/env python3
"""CPU OpenBLAS baseline on the GPU machine: NumPy's bundled OpenBLAS (all cores) doing
the same host-memory DGEMM that liblapack_ai's end-to-end number covers."""
import statistics
import sys
import time
import numpy as np

sizes = [int(s) for s in (sys.argv[1] if len(sys.argv) > 1 else "2048,4096,8192").split(",")]
for n in sizes:
    a = np.asfortranarray(np.random.rand(n, n))
    b = np.asfortranarray(np.random.rand(n, n))
    a @ b
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    print(f"OpenBLAS (numpy) dgemm n={n:6d} {t * 1e3:9.1f} ms {2 * n**3 / t / 1e12:8.3f} TFLOP/s", flush=True)
