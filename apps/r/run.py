#!/usr/bin/python3
"""R's linear algebra with a BLAS/LAPACK library swapped in, against the reference.

Runs `linalg.R` twice: with LIB as libblas.so.3 and liblapack.so.3, and with the
reference Netlib BLAS/LAPACK, each through a directory of links named by
R_LD_LIBRARY_PATH (R's start-up script puts the system library directory ahead of
LD_LIBRARY_PATH, so that variable would not reach R). Each run checks its own residuals
(Netlib-style ratios); then every recorded number (singular values, eigenvalues,
determinants, solutions, condition estimates, norms, lm coefficients, R's messages for
singular and indefinite matrices) must agree with the reference run within its recorded
tolerance. Ends with "N passed, M failed"; exit status 0 iff M == 0.

Usage: apps/r/run.py --lib target/release/liblapack_ai.so
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from swap import command_line, counts, library_dirs  # noqa: E402

# Reads both result files and prints one line per recorded value that differs.
COMPARE = r'''
args <- commandArgs(trailingOnly = TRUE)
ours <- readRDS(args[1]); ref <- readRDS(args[2])
bad <- 0L
for (name in names(ref)) {
  a <- ours[[name]]$value; b <- ref[[name]]$value; rtol <- ref[[name]]$rtol
  same <- if (is.null(a)) FALSE else if (is.character(b)) identical(a, b) else
    length(a) == length(b) && all(abs(a - b) <= rtol * pmax(abs(b), max(abs(b)) * 1e-3, 1e-300))
  if (!same) {
    bad <- bad + 1L
    cat("DIFFERS:", name, "ours", format(head(a, 4)), "reference", format(head(b, 4)), "\n")
  }
}
cat(length(ref) - bad, "passed,", bad, "failed\n")
'''


def run_r(script, script_args, libdir, expect_lib, timeout):
    env = dict(os.environ, R_LD_LIBRARY_PATH=libdir)
    if expect_lib:
        env["EXPECT_LIB"] = expect_lib
    p = subprocess.run(["Rscript", script] + script_args, env=env, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def inner(output):
    """A run's output with its count line reworded, so that only the final one reads
    "N passed, M failed" (tools/test.sh sums every such line)."""
    return re.sub(r"^(\d+) passed, (\d+) failed$", r"\1 ok, \2 not ok", output.rstrip(), flags=re.M)


def main():
    parsed = command_line(__doc__, "Rscript", "r-base-core", 900)
    if parsed is None:
        return 1
    lib, timeout = parsed
    with tempfile.TemporaryDirectory(prefix="r-suite-") as work:
        ours_rds, ref_rds = os.path.join(work, "ours.rds"), os.path.join(work, "reference.rds")
        script = os.path.join(HERE, "linalg.R")
        ours_dir, ref_dir = library_dirs(work, lib)
        status, ours = run_r(script, [ours_rds], ours_dir, lib, timeout)
        print(inner(ours))
        _, reference = run_r(script, [ref_rds], ref_dir, None, timeout)
        own, ref_counts = counts(ours), counts(reference)
        if status == 2 or "verified:" not in ours or own is None or ref_counts is None:
            print(reference[-2000:])
            print("R did not run the checks on both libraries")
            print("0 passed, 1 failed")
            return 1
        compare = os.path.join(work, "compare.R")
        with open(compare, "w") as f:
            f.write(COMPARE)
        _, compared = run_r(compare, [ours_rds, ref_rds], ref_dir, None, timeout)
    print("against the reference LAPACK:")
    print(inner(compared))
    same = counts(compared) or (0, 1)
    passed, failed = own[0] + same[0], own[1] + same[1]
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
