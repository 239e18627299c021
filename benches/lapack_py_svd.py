#!/usr/bin/env python3
"""lap.svd against dgesdd_ called directly from C, in the same run.

Both go through the same liblapack_ai (target/release, or --lib) and the same dgesdd_;
the difference is lapack_py's own cost (argument checks, one copy of the input, the
workspace query, allocating U, S, VT). The C program stays up and makes one timed call
per request, so the two alternate call by call, in turn first (machine noise and drift
hit both alike); prints
the medians of `--samples` calls each and the median of the per-pair ratios.

usage: /usr/bin/python3 benches/lapack_py_svd.py [--n 1000] [--samples 21] [--lib PATH]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--samples", type=int, default=21)
    p.add_argument("--lib", default=os.path.join(ROOT, "target", "release", "liblapack_ai.so"))
    args = p.parse_args()
    os.environ["LAPACK_AI_LIB"] = os.path.abspath(args.lib)
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import numpy as np
    import lapack_py as lap

    assert lap._lib.PATH == os.path.abspath(args.lib), lap._lib.PATH
    tmp = tempfile.mkdtemp()
    exe = os.path.join(tmp, "dgesdd_direct")
    os.symlink(os.path.abspath(args.lib), os.path.join(tmp, "liblapack_ai.so.0"))  # its soname
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "dgesdd_direct.c"), os.path.abspath(args.lib),
                    "-Wl,-rpath," + tmp], check=True)
    a = np.random.default_rng(1).uniform(-0.5, 0.5, (args.n, args.n))
    lap.svd(a)  # warm-up
    direct = subprocess.Popen([exe, str(args.n), "0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    c_times, py_times = [], []

    def from_c():
        direct.stdin.write("go\n")
        direct.stdin.flush()
        c_times.append(float(direct.stdout.readline()))

    def from_python():
        t = time.perf_counter()
        lap.svd(a)
        py_times.append(time.perf_counter() - t)

    for i in range(args.samples):  # C first, then Python first, and so on
        for call in (from_c, from_python) if i % 2 == 0 else (from_python, from_c):
            call()
    direct.stdin.close()
    direct.wait()
    c, py = statistics.median(c_times), statistics.median(py_times)
    own = wrapper_cost(lap, a, max(5, args.samples // 3))
    pairs = statistics.median(p / q for p, q in zip(py_times, c_times))
    print("n = %d, %d samples each, threads = %d" % (args.n, len(c_times), lap.config()["threads"]))
    print("dgesdd_ from C : median %.4f s (min %.4f, max %.4f)" % (c, min(c_times), max(c_times)))
    print("lap.svd        : median %.4f s (min %.4f, max %.4f)" % (py, min(py_times), max(py_times)))
    print("lap.svd / C    : %.4f (%+.2f%%) of the medians; median of the pairs' ratios %.4f (%+.2f%%)"
          % (py / c, 100 * (py / c - 1), pairs, 100 * (pairs - 1)))
    print("lapack_py's own work (lap.svd minus its dgesdd_ call): median %.2f ms = %.2f%% of dgesdd_ from C"
          % (own * 1e3, 100 * own / c))


def wrapper_cost(lap, a, samples):
    """lap.svd's time minus that of the dgesdd_ call inside it (timed around the call):
    what lapack_py adds, measured call by call, so the machine's noise on a one-second
    SVD mostly cancels."""
    real, inner = lap._call.lapack, []

    def timed(name, *args, **kw):
        if name != "dgesdd_" or any(isinstance(x, int) and x == -1 for x in args):
            return real(name, *args, **kw)  # other routines, and the workspace query
        t = time.perf_counter()
        info = real(name, *args, **kw)
        inner.append(time.perf_counter() - t)
        return info

    lap._call.lapack = timed
    try:
        own = []
        for _ in range(samples):
            t = time.perf_counter()
            lap.svd(a)
            own.append(time.perf_counter() - t - inner[-1])
    finally:
        lap._call.lapack = real
    return statistics.median(own)


if __name__ == "__main__":
    main()
