#!/usr/bin/env python3
"""LAPACK benchmark: liblapack_ai against OpenBLAS in the same run.

For every routine and size, runs `lapackbench` on each library in turn, `--rounds`
times (alternating, so machine noise hits both alike); each run is itself the median
of 7 samples (LAPACKBENCH_SAMPLES=K in the environment: K, for calls of many seconds).
Prints a Markdown table of median times and the ratio OpenBLAS time / our time (above
1.0: we are faster). Routines that are not native in the library are
still measured (then both sides run LAPACK code over their own BLAS).

usage: /usr/bin/python3 benches/lapack_run.py [--lib PATH] [--baseline PATH]
           [--threads N] [--routines dgetrf,...] [--sizes 64,256,...] [--rounds R]
"""
import argparse
import os
import statistics
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ROUTINES = ["dgesv", "dgetrf", "dpotrf", "dgeqrf", "dgeqp3", "dgelsy", "dgesdd", "dgesvd", "dsyevd",
            "dsyevr", "dsyevr_i10", "dsyevr_i100", "dgeev", "dgelsd", "zgetrf", "zheevd"]
SIZES = [64, 256, 1024, 2048, 4096]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", default=os.path.join(ROOT, "target/release/liblapack_ai.so"))
    ap.add_argument("--baseline", default="/usr/lib/x86_64-linux-gnu/libopenblas.so.0")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--routines", default=",".join(ROUTINES))
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = ap.parse_args()
    exe = os.path.join(tempfile.mkdtemp(), "lapackbench")
    subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "lapackbench.c"), "-ldl"], check=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads), LAPACK_AI_NUM_THREADS=str(args.threads))
    print(f"threads: {args.threads}; ours: {args.lib}; baseline: {args.baseline}; rounds: {args.rounds}\n")
    print("| routine | n | ours (s/call) | OpenBLAS (s/call) | OpenBLAS/ours |")
    print("|---|---|---|---|---|")
    for routine in args.routines.split(","):
        for n in map(int, args.sizes.split(",")):
            times = {args.lib: [], args.baseline: []}
            try:
                for _ in range(args.rounds):
                    for lib in times:
                        out = subprocess.run([exe, lib, routine, str(n)], capture_output=True, text=True,
                                             env=env, timeout=1800)
                        if out.returncode != 0:
                            raise RuntimeError(out.stderr.strip())
                        times[lib].append(float(out.stdout))
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"| {routine} | {n} | failed: {e} | | |", flush=True)
                continue
            ours, base = statistics.median(times[args.lib]), statistics.median(times[args.baseline])
            print(f"| {routine} | {n} | {ours:.3e} | {base:.3e} | {base / ours:.2f} |", flush=True)


if __name__ == "__main__":
    main()
