#!/usr/bin/env python3
"""numpy.linalg.solve (xGESV) and numpy.linalg.cholesky (xPOTRF) timed in this process:
run it plain (the wheel's bundled OpenBLAS) and under LD_PRELOAD=liblapack_ai.so (our
native routines, served through the wheel's scipy_*64_ names) to compare end to end.
Prints one line per routine and size: median of --reps calls, in ms."""
import argparse
import statistics
import time

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--sizes", default="4096,8192,16384")
ap.add_argument("--reps", type=int, default=3)
ap.add_argument("--label", default="")
args = ap.parse_args()
rng = np.random.default_rng(0)
for n in map(int, args.sizes.split(",")):
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, 1))
    spd = a @ a.T + n * np.eye(n)
    for name, call in [("dgesv (np.linalg.solve)", lambda: np.linalg.solve(a, b)),
                       ("dpotrf (np.linalg.cholesky)", lambda: np.linalg.cholesky(spd))]:
        call()
        times = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        print(f"{args.label:10} {name:28} n={n:6d} {statistics.median(times) * 1e3:10.1f} ms", flush=True)
