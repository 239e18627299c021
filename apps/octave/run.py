#!/usr/bin/python3
"""Octave's own linear-algebra tests with a BLAS/LAPACK library swapped in.

Runs `linalg_tests.m` (Octave's tests of lu, chol, qr, svd, eig, schur, inv, ... and of
scripts/linear-algebra) with LIB as libblas.so.3 and liblapack.so.3 (a directory of links
first on LD_LIBRARY_PATH, the way an `update-alternatives` switch looks to Octave), with
LIB in LD_PRELOAD (Octave's own BLAS/LAPACK serving what LIB forwards), and with the
reference Netlib BLAS/LAPACK in the link directory. A test that fails with LIB counts as
failed unless
  - it fails the same way with the reference LAPACK (the test expects another
    implementation's behaviour: Octave 7's inv(Inf(2,2)) test, for one, expects
    OpenBLAS's NaNs), or
  - it is listed in known-differences.txt: there each entry is a line of the test's
    code and the reason, for results that LAPACK's contract leaves open (the sign of a singular
    vector, the last ulps of two different algorithms).
Prints every such test and ends with "N passed, M failed"; exit status 0 iff M == 0.

Usage: apps/octave/run.py --lib target/release/liblapack_ai.so
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from swap import command_line, counts, library_dirs  # noqa: E402


def run_octave(loader, expect_lib, timeout):
    """Octave's exit status and output with the loader variables `loader` set."""
    env = dict(os.environ, **loader)
    if expect_lib:
        env["EXPECT_LIB"] = expect_lib
    p = subprocess.run(["octave-cli", "--norc", "--no-history", os.path.join(HERE, "linalg_tests.m")],
                       env=env, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def failing_blocks(output):
    """{test file: [block text]} of the blocks Octave reports failed (known bugs aside)."""
    failed, current, block = {}, None, None
    for line in output.splitlines():
        if line.startswith(">>>>> processing "):
            current = os.path.basename(line.split()[-1])
            block = None
        elif line.startswith("***** "):
            block = [line[6:].strip()]
        elif line.startswith("!!!!! "):
            if block is not None and "known bug" not in line and current:
                failed.setdefault(current, []).append("\n".join(block))
            block = None
        elif block is not None:
            block.append(line.strip())
    return failed


def known_differences():
    """The code lines that name the tests listed in known-differences.txt."""
    entries = []
    with open(os.path.join(HERE, "known-differences.txt")) as f:
        for line in f:
            if line.startswith("test: "):
                entries.append(line[len("test: "):].strip())
    return entries


def first_code_line(block):
    lines = [l for l in block.split("\n") if l]
    # "test" alone heads a block whose code starts on the next line
    return lines[1] if len(lines) > 1 and lines[0] in ("test", "testif") else lines[0]


def judged(status, ours, as_reference, known, lib):
    """(passed, failed) of one run with LIB, given the reference run's failing blocks and
    the known differences, printing each failing test and how it is counted."""
    print("\n".join(l for l in ours.splitlines() if re.match(r"^(verified|\S+\s+\d+ passed)", l)))
    totals = counts(ours)
    if status == 2 or "verified:" not in ours or totals is None:
        print(ours[-3000:])
        print(f"Octave did not run the tests with {lib} loaded")
        return 0, 1
    failed = 0
    for test_file, blocks in failing_blocks(ours).items():
        for block in blocks:
            named = next((line for line in block.split("\n") if line in known), None)
            if block in as_reference.get(test_file, []):
                print(f"as the reference LAPACK: {test_file}: {first_code_line(block)}")
            elif named is not None:
                print(f"known difference:        {test_file}: {named}")
            else:
                failed += 1
                print(f"FAILED:                  {test_file}:\n    " + block.replace("\n", "\n    "))
    return totals[0], failed


def main():
    parsed = command_line(__doc__, "octave-cli", "octave", 1800)
    if parsed is None:
        return 1
    lib, timeout = parsed
    with tempfile.TemporaryDirectory(prefix="octave-suite-") as work:
        ours_dir, ref_dir = library_dirs(work, lib)
        runs = {
            "replacement": run_octave({"LD_LIBRARY_PATH": ours_dir}, lib, timeout),
            "preload": run_octave({"LD_PRELOAD": lib}, lib, timeout),
        }
        _, reference = run_octave({"LD_LIBRARY_PATH": ref_dir}, None, timeout)
    as_reference, known = failing_blocks(reference), known_differences()
    passed = failed = 0
    for mode, (status, ours) in runs.items():
        print(f"== {mode}")
        p, f = judged(status, ours, as_reference, known, lib)
        passed += p
        failed += f
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
