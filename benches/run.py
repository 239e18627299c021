#!/usr/bin/env python3
"""BLAS benchmark: liblapack_ai against OpenBLAS in the same run.

For every routine and size, runs `blasbench` on each library in turn, `--rounds` times
(alternating, so machine noise hits both alike); each run is itself the median of 7
samples. Prints a Markdown table of median times and the ratio OpenBLAS time / our time
(above 1.0: we are faster), and the tiny-call row (n = 4, 100,000 calls). A GEMV routine
may name its TRANS after a colon: `dgemv:T`, `zgemv:C` (default N). GER, SYMV/HEMV,
SYR2/HER2, TRMV and TRSV of any precision are timed by level2bench.c.

usage: /usr/bin/python3 benches/run.py [--lib PATH] [--baseline PATH] [--threads N]
                                        [--routines dgemm,...] [--sizes 4,32,...]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ROUTINES = ["dgemm", "sgemm", "zgemm", "dsyrk", "dtrsm", "dgemv", "ddot", "daxpy"]
SIZES = [4, 32, 256, 1024, 2048, 4096]
TINY_CALLS = 100_000


def build_bench(name):
    exe = os.path.join(tempfile.mkdtemp(), name)
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, name + ".c"), "-ldl"], check=True)
    return exe


def is_level2(name):
    """Routines timed by level2bench.c rather than blasbench.c."""
    return any(kind in name for kind in ("ger", "symv", "hemv", "syr2", "her2", "trmv", "trsv"))


def time_call(exe, lib, routine, n, calls, env):
    args = [exe, lib, routine, str(n)] + ([str(calls)] if calls else [])
    out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {out.stderr.strip()}")
    return float(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", default=os.path.join(ROOT, "target/release/liblapack_ai.so"))
    ap.add_argument("--baseline", default="/usr/lib/x86_64-linux-gnu/libopenblas.so.0")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--routines", default=",".join(ROUTINES))
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads), LAPACK_AI_NUM_THREADS=str(args.threads))
    exes = {"blas": build_bench("blasbench"), "level2": build_bench("level2bench")}
    print(f"threads: {args.threads}; ours: {args.lib}; baseline: {args.baseline}; rounds: {args.rounds}\n")
    print("| routine | n | ours (s/call) | OpenBLAS (s/call) | OpenBLAS/ours |")
    print("|---|---|---|---|---|")
    for routine in args.routines.split(","):
        name, _, trans = routine.partition(":")
        call_env = dict(env, BLASBENCH_GEMV_TRANS=trans) if trans else env
        cases = [(n, 0) for n in map(int, args.sizes.split(","))]
        if name in ("dgemm", "sgemm", "zgemm", "dgemv", "ddot", "daxpy"):
            cases.append((4, TINY_CALLS))
        for n, calls in cases:
            ours, base = [], []
            exe = exes["level2" if is_level2(name) else "blas"]
            for _ in range(args.rounds):
                ours.append(time_call(exe, args.lib, name, n, calls, call_env))
                base.append(time_call(exe, args.baseline, name, n, calls, call_env))
            o, b = statistics.median(ours), statistics.median(base)
            label = f"{n} ({calls:,} calls)" if calls else str(n)
            print(f"| {routine} | {label} | {o:.3e} | {b:.3e} | {b / o:.2f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
