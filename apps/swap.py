"""What apps/octave/run.py and apps/r/run.py share: a program runs once with the library
under test as libblas.so.3 and liblapack.so.3 and once with the reference Netlib
libraries, each from a directory of links that the program's loader searches first."""
import argparse
import os
import re
import shutil

REFERENCE = {
    "libblas.so.3": "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3",
    "liblapack.so.3": "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3",
}


def link_dir(work, name, targets):
    """work/name holding one link per soname in `targets` (soname -> file)."""
    d = os.path.join(work, name)
    os.makedirs(d)
    for soname, target in targets.items():
        os.symlink(target, os.path.join(d, soname))
    return d


def library_dirs(work, lib):
    """(directory serving `lib` under both sonames, directory serving the reference)."""
    return link_dir(work, "ours", {s: lib for s in REFERENCE}), link_dir(work, "reference", REFERENCE)


def counts(output):
    """(passed, failed) from the last "N passed, M failed" line, or None."""
    found = re.findall(r"^(\d+) passed, (\d+) failed$", output, re.M)
    return (int(found[-1][0]), int(found[-1][1])) if found else None


def command_line(doc, program, package, timeout):
    """A runner's arguments: (the library's absolute path, seconds per run), or None
    after printing the failing count line when `program` is not installed."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", required=True, help="the BLAS/LAPACK shared library to test")
    ap.add_argument("--timeout", type=float, default=timeout, help="seconds per run")
    args = ap.parse_args()
    if not shutil.which(program):
        print(f"{program} not found (apt-get install {package})")
        print("0 passed, 1 failed")
        return None
    return os.path.realpath(args.lib), args.timeout
