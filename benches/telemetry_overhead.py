"""The cost of the always-on counters: one library built with them (the default) against
one built without (`cargo build --release --no-default-features`), same source.

usage: /usr/bin/python3 benches/telemetry_overhead.py WITH.so WITHOUT.so [--runs 24]
       [--case dgemm:4:100000] ... [--with-env LAPACK_AI_VERBOSE=/tmp/v.log]

Each run is `blasbench LIB ROUTINE N CALLS` (median seconds per call over 7 samples of
CALLS calls); the two libraries alternate, each in turn first. Prints per case the
minimum over the runs of each library and the median of the per-round ratios
with/without (1.00 = no cost). `--with-env NAME=VALUE` sets a variable for the WITH runs
only (WITHOUT may be the same library: the cost of LAPACK_AI_VERBOSE to a file); a value
that is a path is deleted after each run.
"""

import argparse
import os
import statistics
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

p = argparse.ArgumentParser()
p.add_argument("with_lib")
p.add_argument("without_lib")
p.add_argument("--runs", type=int, default=24)
p.add_argument("--case", action="append", help="ROUTINE:N:CALLS (default dgemm:4:100000)")
p.add_argument("--with-env", action="append", default=[], help="NAME=VALUE for the WITH runs")
args = p.parse_args()
cases = args.case or ["dgemm:4:100000"]
exe = os.path.join(tempfile.mkdtemp(), "blasbench")
subprocess.run(["cc", "-O2", "-o", exe, os.path.join(HERE, "blasbench.c"), "-ldl"], check=True)
env = {k: v for k, v in os.environ.items() if not k.startswith("LAPACK_AI_")}


with_env = dict(e.split("=", 1) for e in args.with_env)


def run(lib, routine, n, calls, extra):
    out = subprocess.run([exe, os.path.abspath(lib), routine, n, calls], env={**env, **extra},
                         capture_output=True, text=True, check=True).stdout
    for value in extra.values():
        if "/" in value and os.path.isfile(value):
            os.remove(value)
    return float(out.split()[-1])


for case in cases:
    routine, n, calls = case.split(":")
    times = {"with": [], "without": []}
    ratios = []
    for r in range(args.runs):
        order = [("with", args.with_lib), ("without", args.without_lib)]
        if r % 2:
            order.reverse()
        got = {name: run(lib, routine, n, calls, with_env if name == "with" else {})
               for name, lib in order}
        for name in got:
            times[name].append(got[name])
        ratios.append(got["with"] / got["without"])
    print(f"{routine} n={n} x{calls}: with counters min {min(times['with']) * 1e9:.1f} ns/call, "
          f"without min {min(times['without']) * 1e9:.1f} ns/call, "
          f"ratio of minima {min(times['with']) / min(times['without']):.3f}, "
          f"median paired ratio {statistics.median(ratios):.3f} ({args.runs} rounds)")
