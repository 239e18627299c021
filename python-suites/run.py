#!/usr/bin/python3
"""Run Debian's shipped NumPy / SciPy test suites against a BLAS/LAPACK library.

The library under test is swapped in for the system libblas.so.3 / liblapack.so.3
that Debian's numpy and scipy extension modules link against:

  --mode replacement  a temp dir with libblas.so.3, liblapack.so.3, libcblas.so.3,
                      liblapacke.so.3 -> LIB is put first on LD_LIBRARY_PATH, so the
                      dynamic loader never opens the system BLAS/LAPACK at all
  --mode preload      LD_PRELOAD=LIB: the system libraries are still loaded, but
                      every BLAS/LAPACK symbol binds to LIB first
  --mode system       environment unchanged (baseline: whatever the Debian
                      alternatives point at, normally OpenBLAS)
  --mode wheels       LD_PRELOAD=LIB for a --python whose numpy/scipy are the pip
                      wheels (python-suites/wheels.sh makes that venv): they call their
                      bundled OpenBLAS as scipy_dgemm_64_, scipy_cblas_dgemm64_ (numpy,
                      ILP64) and scipy_dgemm_ (scipy, LP64); LIB serves those names for
                      its native routines and leaves the rest to the bundled OpenBLAS.
                      The probe checks exactly that and that LIB's own call counters
                      move; every pytest process prints LIB's report at exit
                      (LAPACK_AI_REPORT=1) and the summary sums its DGEMM/ZGEMM calls.

Before any test runs, a probe process (same environment as the tests) imports
numpy and scipy.linalg, does a dot and a solve, and checks in /proc/self/maps and
with dladdr() that LIB really is mapped and really provides dgemm_/dgesv_/...
If it does not, the script stops with exit status 2. Numpy 2.x's tests live under
numpy/_core/ instead of numpy/core/; either is found.

Then pytest (/usr/bin/python3 -m pytest) runs, one process per suite:
  numpy-linalg   numpy/linalg/tests                                 (~417 tests)
  numpy-dot      numpy/core/tests/test_multiarray.py -k dot/matmul/inner/vdot (~111)
  numpy-einsum   numpy/core/tests/test_einsum.py  (einsum optimize=True -> tensordot -> BLAS) (~64)
  scipy-linalg   scipy/linalg/tests                                 (~3586 tests)
  scipy-sparse-linalg, scipy-optimize, scipy-signal, scipy-stats, scipy-interpolate,
  scipy-other    SciPy's other users of LAPACK (ARPACK/PROPACK from Fortran, the rest
                 through scipy.linalg): ~30,000 tests, ~8 min on 2 cores

Debian 12 (numpy 1.24.2, scipy 1.10.1, pytest 7.2.1) collects 4178 tests in the first four; with the
system OpenBLAS 4163 pass, 8 skip, 5 xfail, 2 xpass, in ~1.5 min on 2 cores (~25 s of
it is numpy's test_huge_vectordot, which needs 18 GB free and skips otherwise).

A tiny pytest plugin (written to the temp dir) records which test is running and
enforces a per-test timeout (faulthandler dumps all thread stacks and exits).  If
the interpreter dies inside a test (segfault, abort, per-test timeout), that test
is counted as failed and the suite is re-run with it deselected (at most
--max-crashes times per suite), so one crash does not hide the rest of the suite.

The last line printed is always exactly "N passed, M failed"; M counts failed
tests, tests with errors, tests that crashed the interpreter, and pytest runs that
did not end normally (no summary line, interpreter crash at exit, collection
errors, whole-suite timeout).  Exit status: 0 iff M == 0, 1 otherwise, 2 if the
library could not be verified as loaded (or bad usage).

Examples:
  /usr/bin/python3 python-suites/run.py --mode replacement --lib target/release/liblapack_ai.so
  /usr/bin/python3 python-suites/run.py --mode preload --lib target/release/liblapack_ai.so --fast
  /usr/bin/python3 python-suites/run.py --mode system
  python-suites/wheels.sh    # --mode wheels in a venv of the pip wheels
  # skip numpy's 18 GB test_huge_vectordot on big machines:
  /usr/bin/python3 python-suites/run.py --mode system --env NPY_AVAILABLE_MEM=4GB

Standard library only.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def native_names():
    """The names with a native body (symbols/native/*.txt), e.g. "dgesv_"."""
    here = os.path.dirname(os.path.abspath(__file__))
    names = set()
    for path in sorted(os.listdir(os.path.join(here, "..", "symbols", "native"))):
        with open(os.path.join(here, "..", "symbols", "native", path)) as f:
            names.update(l.strip() for l in f if l.strip() and not l.startswith("#"))
    return names

DEFAULT_PYTHON = "/usr/bin/python3"

# name, package, paths relative to the package dir, extra pytest args
SUITES = [
    ("numpy-linalg", "numpy", ["linalg/tests"], []),
    ("numpy-dot", "numpy", ["core/tests/test_multiarray.py"],
     ["-k", "dot or matmul or Dot or MatMul or inner or vdot"]),
    ("numpy-einsum", "numpy", ["core/tests/test_einsum.py"], []),
    ("scipy-linalg", "scipy", ["linalg/tests"], []),
    # SciPy's other users of LAPACK and BLAS (ARPACK and PROPACK call LAPACK from
    # Fortran; optimize, signal, stats, interpolate through scipy.linalg).
    ("scipy-sparse-linalg", "scipy", ["sparse/linalg"], []),
    # test_milp_timeout_16545 expects HiGHS (no BLAS/LAPACK in it) to hit a 10 s limit;
    # this machine solves the problem sooner, with OpenBLAS as with any library.
    ("scipy-optimize", "scipy", ["optimize/tests"],
     ["--deselect", "scipy/optimize/tests/test_milp.py::test_milp_timeout_16545"]),
    ("scipy-signal", "scipy", ["signal/tests"], []),
    ("scipy-stats", "scipy", ["stats/tests"], []),
    ("scipy-interpolate", "scipy", ["interpolate/tests"], []),
    ("scipy-other", "scipy", ["integrate/tests", "odr/tests", "spatial/tests",
                              "cluster/tests", "ndimage/tests"], []),
]

REPLACED_SONAMES = ["libblas.so.3", "liblapack.so.3", "libcblas.so.3", "liblapacke.so.3"]

# ---------------------------------------------------------------------------
# Probe run in the child environment: is the library really the one in use?
PROBE = r'''
import ctypes, json, os, re, sys
mode = sys.argv[1]
out = {"errors": []}
import numpy as np
import scipy.linalg as sl
from scipy.linalg import blas as fblas
rng = np.random.default_rng(1)
n = 150
a = rng.standard_normal((n, n)) + n * np.eye(n)
b = rng.standard_normal(n)
c = a @ a.T                                   # cblas_dgemm (numpy)
ref = np.einsum("ij,kj->ik", a, a)            # no BLAS
if not np.allclose(c, ref, rtol=1e-12, atol=1e-9):
    out["errors"].append("numpy matmul result wrong")
if abs(np.dot(b, b) - float((b * b).sum())) > 1e-9 * n:
    out["errors"].append("numpy dot result wrong")
g = fblas.dgemm(1.0, a, a.T)                  # Fortran dgemm_ (scipy)
if not np.allclose(g, ref, rtol=1e-12, atol=1e-9):
    out["errors"].append("scipy dgemm result wrong")
for name, x in (("numpy.linalg.solve", np.linalg.solve(a, b)),
                ("scipy.linalg.solve", sl.solve(a, b))):
    r = np.linalg.norm(a @ x - b) / (np.linalg.norm(a) * np.linalg.norm(x))
    if not r < 1e-12:
        out["errors"].append("%s residual %g" % (name, r))

maps = set()
with open("/proc/self/maps") as f:
    for line in f:
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[5].startswith("/"):
            maps.add(os.path.realpath(parts[5].strip()))
out["mapped"] = sorted(maps)

class DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]
libc = ctypes.CDLL(None)
libc.dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(DlInfo)]

def origin(handle, sym):
    try:
        addr = ctypes.cast(getattr(handle, sym), ctypes.c_void_p).value
    except AttributeError:
        return None
    info = DlInfo()
    if not libc.dladdr(addr, ctypes.byref(info)) or not info.dli_fname:
        return "?"
    return os.path.realpath(info.dli_fname.decode())

def loaded(soname):
    try:
        return ctypes.CDLL(soname, mode=os.RTLD_NOLOAD | os.RTLD_LOCAL)
    except OSError:
        return None

# Which object supplies the symbols the numpy/scipy extension modules bind to?
# preload: the global scope (LD_PRELOAD objects come before everything else);
# replacement/system: the libblas.so.3 / liblapack.so.3 the extensions loaded.
blas_syms = ["dgemm_", "ddot_", "zgemm_", "cblas_dgemm", "cblas_ddot"]
lapack_syms = ["dgesv_", "dgetrf_", "dsyevd_", "dgesdd_", "zheevd_"]
origins = {}
if mode == "preload":
    glob = ctypes.CDLL(None)
    for s in blas_syms + lapack_syms:
        origins[s] = origin(glob, s)
else:
    for soname, syms in (("libblas.so.3", blas_syms), ("liblapack.so.3", lapack_syms)):
        h = loaded(soname)
        for s in syms:
            origins[s] = origin(h, s) if h is not None else "(%s not loaded)" % soname
if mode == "wheels":
    # What the wheels' extension modules bind: the global scope (LIB, preloaded) first,
    # then their own bundled OpenBLAS. LIB's native names must resolve to LIB; forwarded
    # names must resolve to nothing global, so the bundled OpenBLAS serves them.
    glob = ctypes.CDLL(None)
    origins = {s: origin(glob, s) for s in (
        "scipy_cblas_dgemm64_", "scipy_cblas_zgemm64_", "scipy_dcopy_64_", "scipy_dgemm_64_",
        "scipy_dgemm_", "scipy_zgemm_", "scipy_lsame_", "scipy_xerbla_array_")}
    # LAPACK names on both sides of the native/forwarded line (the parent knows which).
    out["lapack"] = {s: origin(glob, s) for s in (
        "scipy_dgesv_64_", "scipy_dgetrf_64_", "scipy_dgesv_", "scipy_dgetrf_",
        "scipy_dsytrf_64_", "scipy_dgees_64_", "scipy_dsytrf_", "scipy_dgees_")}
    z = (a + 1j * a) @ (a - 1j * a)                     # scipy_cblas_zgemm64_ (numpy)
    if not np.allclose(z, 2 * (a @ a), rtol=1e-12, atol=1e-9):
        out["errors"].append("numpy complex matmul result wrong")
    fblas.zgemm(1.0, z, z)                              # scipy_zgemm_ (scipy)
    lib = ctypes.CDLL(sys.argv[2])
    lib.lapack_ai_stats_json.restype = ctypes.c_void_p
    raw = lib.lapack_ai_stats_json()
    stats = json.loads(ctypes.string_at(raw).decode())
    lib.lapack_ai_free_string(ctypes.c_void_p(raw))
    out["calls"] = {}
    for r in stats["routines"]:
        out["calls"][r["routine"]] = out["calls"].get(r["routine"], 0) + r["calls"]
out["origins"] = origins
print("PROBE-JSON " + json.dumps(out))
'''

# ---------------------------------------------------------------------------
# pytest plugin: records the running test, per-test timeout via faulthandler.
PLUGIN = r'''
import faulthandler, os
import pytest

_track = None
_err = None
_timeout = float(os.environ.get("SUITE_GUARD_TEST_TIMEOUT", "0") or 0)

def pytest_configure(config):
    global _track, _err
    path = os.environ.get("SUITE_GUARD_FILE")
    if path:
        _track = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    _err = os.fdopen(os.dup(2), "w")   # real stderr (capture is suspended here)

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid, location):
    if _track is not None:
        os.write(_track, ("start %s\n" % nodeid).encode("utf-8", "replace"))
    if _timeout > 0:
        faulthandler.dump_traceback_later(_timeout, exit=True, file=_err)

@pytest.hookimpl(trylast=True)
def pytest_runtest_logfinish(nodeid, location):
    if _timeout > 0:
        faulthandler.cancel_dump_traceback_later()
    if _track is not None:
        os.write(_track, ("end %s\n" % nodeid).encode("utf-8", "replace"))
'''

# Skips that mean "the library under test did not behave like a system BLAS/LAPACK".
# They stay skips (pytest decided so), but the summary warns about them.
NOTABLE_SKIPS = {
    "Numpy xerbla not linked in":
        "numpy.linalg test_xerbla_override: numpy's own xerbla_ did not receive the "
        "LAPACK argument error (DORGQR called with an illegal argument); some other "
        "XERBLA ran instead (expected with --mode preload, where the preloaded library's "
        "xerbla_ comes first; with OpenBLAS it passes in system and replacement mode; "
        "with the pip wheels it skips without liblapack_ai too: DORGQR is the bundled "
        "OpenBLAS's, which reports to its own xerbla)",
}

SUMMARY_WORDS = ("passed", "failed", "error", "errors", "skipped", "xfailed",
                 "xpassed", "deselected", "warning", "warnings")
COUNT_RE = re.compile(r"(\d+) (%s)\b" % "|".join(SUMMARY_WORDS))
SUMMARY_RE = re.compile(r"\bin \d+(?:\.\d+)?s\b")


def parse_summary(lines):
    """Counts from pytest's final summary line, or None if there is none."""
    # The last one: LAPACK_AI_REPORT's table (a line per routine called, several hundred
    # lines now) may follow it.
    for line in reversed(lines):
        if SUMMARY_RE.search(line) and (COUNT_RE.search(line) or "no tests ran" in line):
            counts = {}
            for num, word in COUNT_RE.findall(line):
                word = {"error": "errors", "warning": "warnings"}.get(word, word)
                counts[word] = counts.get(word, 0) + int(num)
            return counts
    return None


def reported_calls(lines):
    """{routine: calls} from the LAPACK_AI_REPORT=1 tables in a pytest run's output."""
    calls, inside = {}, False
    for line in lines:
        if line.startswith("liblapack_ai report (LAPACK_AI_REPORT=1)"):
            inside = True
            continue
        fields = line.split()
        if inside and len(fields) >= 2 and fields[1].isdigit() and fields[0] != "total":
            calls[fields[0]] = calls.get(fields[0], 0) + int(fields[1])
        elif inside and fields and fields[0] == "total":
            inside = False
    return calls


def die(msg, code=2):
    print("run.py: ERROR: " + msg, file=sys.stderr, flush=True)
    sys.exit(code)


def signame(rc):
    if rc is not None and rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return "signal %d" % -rc
    return "exit status %s" % rc


def run_streaming(cmd, env, cwd, timeout, echo, log):
    """Run cmd, echo/log its combined output live; returns (rc, lines, timed_out)."""
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    lines = []

    def reader():
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace")
            lines.append(line.rstrip("\n"))
            if echo:
                sys.stdout.write(line)
                sys.stdout.flush()
            if log:
                log.write(line)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        # SIGABRT first: faulthandler dumps every thread's stack, then kill.
        for sig, grace in ((signal.SIGABRT, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
    t.join(timeout=30)
    return proc.returncode, lines, timed_out


def unfinished_test(track_file):
    """nodeid of the test that started but never finished, if any."""
    try:
        with open(track_file, encoding="utf-8", errors="replace") as f:
            entries = f.read().splitlines()
    except OSError:
        return None
    started = None
    for e in entries:
        kind, _, nodeid = e.partition(" ")
        if kind == "start":
            started = nodeid
        elif kind == "end" and nodeid == started:
            started = None
    return started


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", help="the BLAS/LAPACK shared library to test")
    ap.add_argument("--mode", required=True,
                    choices=["replacement", "preload", "system", "wheels"],
                    help="how LIB is swapped in (system: not at all; baseline)")
    ap.add_argument("--env", action="append", default=[], metavar="K=V",
                    help="extra environment for the test processes (repeatable)")
    ap.add_argument("--suite", action="append", choices=[s[0] for s in SUITES],
                    help="run only this suite (repeatable; default: all)")
    ap.add_argument("--fast", action="store_true",
                    help='deselect tests marked slow (-m "not slow"), ~40 fewer tests')
    ap.add_argument("--pytest-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for every pytest run (repeatable), e.g. --pytest-arg=-x")
    ap.add_argument("--timeout", type=float, default=3600,
                    help="wall-clock limit per pytest run in seconds (default 3600)")
    ap.add_argument("--test-timeout", type=float, default=600,
                    help="limit per single test in seconds, 0 = none (default 600)")
    ap.add_argument("--max-crashes", type=int, default=5,
                    help="per suite: re-runs after an interpreter crash inside a test (default 5)")
    ap.add_argument("--python", default=DEFAULT_PYTHON,
                    help="interpreter with numpy/scipy/pytest (default /usr/bin/python3)")
    ap.add_argument("--log-dir", help="write each pytest run's full output here")
    ap.add_argument("--quiet", action="store_true", help="do not echo pytest output")
    args = ap.parse_args()

    lib = None
    if args.mode != "system" and not args.lib:
        die("--lib is required for --mode %s" % args.mode)
    if args.mode == "wheels" and args.python == DEFAULT_PYTHON:
        die("--mode wheels wants --python of a venv with the numpy/scipy pip wheels "
            "(python-suites/wheels.sh makes one)")
    if args.lib:
        if not os.path.isfile(args.lib):
            die("library not found: %s" % args.lib)
        lib = os.path.realpath(args.lib)

    work = tempfile.mkdtemp(prefix="blas-suites-")
    try:
        return run_all(args, lib, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(args, lib, work):
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"      # keep /usr/lib/python3 clean
    env.pop("PYTHONSTARTUP", None)
    for kv in args.env:
        if "=" not in kv:
            die("--env wants K=V, got %r" % kv)
        k, v = kv.split("=", 1)
        env[k] = v

    # Locate the installed packages (find_spec does not import them).
    try:
        loc = subprocess.run(
            [args.python, "-c", "import importlib.util as u, json; print(json.dumps("
             "{p: u.find_spec(p).submodule_search_locations[0] for p in ('numpy', 'scipy')}))"],
            env=env, capture_output=True, text=True, check=True)
        pkgdirs = json.loads(loc.stdout)
    except (subprocess.CalledProcessError, OSError, ValueError) as e:
        die("cannot locate numpy/scipy with %s: %s" % (args.python, getattr(e, "stderr", e)))
    rootdir = os.path.dirname(pkgdirs["numpy"])

    if args.mode == "replacement":
        libdir = os.path.join(work, "lib")
        os.mkdir(libdir)
        for so in REPLACED_SONAMES:
            os.symlink(lib, os.path.join(libdir, so))
        old = env.get("LD_LIBRARY_PATH")
        env["LD_LIBRARY_PATH"] = libdir + (":" + old if old else "")
    elif args.mode in ("preload", "wheels"):
        old = env.get("LD_PRELOAD")
        env["LD_PRELOAD"] = lib + (" " + old if old else "")
    if args.mode == "wheels":
        env["LAPACK_AI_REPORT"] = "1"   # each pytest process prints LIB's counters at exit

    print("== mode=%s lib=%s python=%s" % (args.mode, lib or "(system)", args.python))
    for k in ("LD_LIBRARY_PATH", "LD_PRELOAD"):
        if env.get(k):
            print("   %s=%s" % (k, env[k]))
    for kv in args.env:
        print("   --env %s" % kv)
    sys.stdout.flush()

    verify(args, lib, env, work)

    plugdir = os.path.join(work, "plugin")
    os.mkdir(plugdir)
    with open(os.path.join(plugdir, "suite_guard.py"), "w") as f:
        f.write(PLUGIN)
    env["PYTHONPATH"] = plugdir + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["SUITE_GUARD_TEST_TIMEOUT"] = str(args.test_timeout)

    if args.log_dir:
        os.makedirs(args.log_dir, exist_ok=True)

    results = []
    for name, pkg, rel, extra in SUITES:
        if args.suite and name not in args.suite:
            continue
        results.append(run_suite(args, env, work, rootdir, name, pkgdirs[pkg], rel, extra))

    return report(args, results)


def verify(args, lib, env, work):
    probe = os.path.join(work, "probe.py")
    with open(probe, "w") as f:
        f.write(PROBE)
    p = subprocess.run([args.python, probe, args.mode, lib or ""], env=env, cwd=work,
                       capture_output=True, text=True, timeout=600)
    data = None
    for line in p.stdout.splitlines():
        if line.startswith("PROBE-JSON "):
            data = json.loads(line[len("PROBE-JSON "):])
    if p.returncode != 0 or data is None:
        sys.stdout.write(p.stdout)
        sys.stdout.write(p.stderr)
        die("probe process (import numpy + scipy.linalg, dot, solve) failed: %s"
            % signame(p.returncode))

    libish = re.compile(r"^lib.*(blas|lapack|mkl|atlas|blis|flame)")
    mapped = [m for m in data["mapped"] if libish.search(os.path.basename(m))]
    print("   BLAS/LAPACK-like files mapped in the test process:")
    for m in mapped:
        print("     " + m + ("   <== --lib" if m == lib else ""))
    print("   symbol origins (%s):" % ("global scope" if args.mode in ("preload", "wheels")
                                       else "via libblas.so.3 / liblapack.so.3"))
    width = max(len(s) for s in data["origins"])
    for s, o in data["origins"].items():
        print("     %-*s  %s" % (width, s, o or "(not defined)"))

    problems = list(data["errors"])
    if args.mode == "wheels":
        native = native_names()
        for s, o in data["lapack"].items():
            base = s[len("scipy_"):].replace("_64_", "_")
            print("     %-*s  %s" % (width, s, o or "(not in the global scope: the wheel's "
                                     "bundled OpenBLAS serves it)"))
            if base in native and o != lib:
                problems.append("%s (native) resolves to %s, not LIB" % (s, o))
            if base not in native and o is not None:
                problems.append("%s (forwarded) resolves to %s: the wheel's own OpenBLAS "
                                "must serve it" % (s, o))
        print("   LIB's counters after the probe: %s" % json.dumps(data["calls"]))
        for r in ("DGEMM", "ZGEMM"):
            if not data["calls"].get(r):
                problems.append("%s was never counted by LIB: the wheels did not call it" % r)
    if lib:
        if lib not in data["mapped"]:
            problems.append("%s is NOT mapped in the test process" % lib)
        if args.mode != "system":
            for s, o in data["origins"].items():
                if s.startswith("cblas_") and o != lib:
                    # numpy's dot/matmul use CBLAS; without it they bypass --lib
                    print("   WARNING: %s comes from %s, so numpy's dot/matmul do not use "
                          "--lib" % (s, o or "(nowhere)"))
                elif o != lib:
                    problems.append("%s resolves to %s, not to --lib" % (s, o or "(nothing)"))
    if args.mode == "replacement":
        others = [m for m in mapped if m != lib]
        if others:
            print("   note: other BLAS/LAPACK files are mapped too (fine if --lib forwards some "
                  "routines to them; numpy/scipy bind to --lib, checked above):")
            for o in others:
                print("     " + o)
    if problems:
        for pr in problems:
            print("   PROBLEM: " + pr, file=sys.stderr)
        die("the library under test is not what numpy/scipy use; refusing to run tests")
    print("   verified: numpy + scipy.linalg %s" % (
        "use %s" % lib if lib and args.mode != "system" else "work (system libraries)"))
    sys.stdout.flush()


def run_suite(args, env, work, rootdir, name, pkgdir, rel, extra):
    paths = []
    for r in rel:
        path = os.path.join(pkgdir, r)
        if not os.path.exists(path) and r.startswith("core/"):
            path = os.path.join(pkgdir, "_" + r)    # numpy 2.x: numpy/_core
        paths.append(path)
    base = [args.python, "-m", "pytest", "-p", "no:cacheprovider", "-p", "suite_guard",
            "-q", "-rfEs", "--rootdir", rootdir] + extra
    if args.fast:
        base += ["-m", "not slow"]
    base += args.pytest_arg
    res = {"name": name, "counts": {}, "crashed": [], "abnormal": [], "notes": [],
           "time": 0.0, "calls": {}}
    deselect = []
    cwd = os.path.join(work, "cwd-" + name)
    os.mkdir(cwd)
    attempt = 0
    while True:
        attempt += 1
        track = os.path.join(work, "track-%s-%d" % (name, attempt))
        env["SUITE_GUARD_FILE"] = track
        cmd = base + [a for d in deselect for a in ("--deselect", d)] + paths
        print("\n== [%s] %s%s" % (name, shlex.join(cmd),
                                   " (re-run %d)" % (attempt - 1) if attempt > 1 else ""),
              flush=True)
        log = None
        if args.log_dir:
            log = open(os.path.join(args.log_dir, "%s-%s%s.log" % (
                args.mode, name, "" if attempt == 1 else "-rerun%d" % (attempt - 1))), "w")
        t0 = time.monotonic()
        try:
            rc, lines, timed_out = run_streaming(cmd, env, cwd, args.timeout,
                                                 not args.quiet, log)
        finally:
            if log:
                log.close()
        res["time"] += time.monotonic() - t0
        for needle, why in NOTABLE_SKIPS.items():
            if any(l.startswith("SKIPPED") and needle in l for l in lines):
                if why not in res["notes"]:
                    res["notes"].append(why)
        counts = parse_summary(lines)
        stuck = unfinished_test(track)
        for routine, calls in reported_calls(lines).items():
            res["calls"][routine] = res["calls"].get(routine, 0) + calls

        if timed_out:
            res["abnormal"].append("whole run exceeded --timeout %gs (running: %s)"
                                   % (args.timeout, stuck))
        elif counts is None and stuck is not None:
            why = signame(rc)
            if rc == 1 and args.test_timeout > 0:
                why = "per-test timeout %gs (faulthandler exit) or os._exit(1)" % args.test_timeout
            print("\n== [%s] interpreter died in %s: %s" % (name, stuck, why), flush=True)
            res["crashed"].append("%s (%s)" % (stuck, why))
            if stuck not in deselect and len(res["crashed"]) <= args.max_crashes:
                deselect.append(stuck)
                continue          # re-run the suite without the crashing test
            res["abnormal"].append("gave up after %d crashes" % len(res["crashed"]))
        elif counts is None:
            res["abnormal"].append("no pytest summary line (%s; tail: %s)"
                                   % (signame(rc), " | ".join(lines[-3:])))
        else:
            res["counts"] = counts
            bad = counts.get("failed", 0) + counts.get("errors", 0)
            if rc < 0:
                res["abnormal"].append("interpreter %s after the summary" % signame(rc))
            elif rc not in (0, 1):
                res["abnormal"].append("pytest %s (interrupted/internal/usage error/"
                                       "no tests)" % signame(rc))
            elif (rc == 1) != (bad > 0):
                res["abnormal"].append("pytest %s does not match %d failed/errors"
                                       % (signame(rc), bad))
        return res


def report(args, results):
    keys = ["passed", "failed", "errors", "skipped", "xfailed", "xpassed", "deselected"]
    print("\n== summary (mode=%s%s)" % (args.mode, ", --fast" if args.fast else ""))
    print("   %-13s" % "suite" + "".join("%11s" % k for k in keys) + "%9s  %s" % ("time", "status"))
    tot = dict.fromkeys(keys, 0)
    crashed = abnormal = 0
    for r in results:
        for k in keys:
            tot[k] += r["counts"].get(k, 0)
        crashed += len(r["crashed"])
        abnormal += len(r["abnormal"])
        ok = not (r["crashed"] or r["abnormal"] or r["counts"].get("failed")
                  or r["counts"].get("errors"))
        print("   %-13s" % r["name"] + "".join("%11d" % r["counts"].get(k, 0) for k in keys)
              + "%8.1fs  %s" % (r["time"], "ok" if ok else "FAIL"))
        for c in r["crashed"]:
            print("      crashed: " + c)
        for a in r["abnormal"]:
            print("      abnormal run: " + a)
        for w in r["notes"]:
            print("      WARNING (notable skip): " + w)
    if args.mode == "wheels":
        calls = {}
        for r in results:
            for routine, c in r["calls"].items():
                calls[routine] = calls.get(routine, 0) + c
        print("   calls LIB counted (LAPACK_AI_REPORT): " + ", ".join(
            "%s %d" % kv for kv in sorted(calls.items(), key=lambda kv: -kv[1])))
        for routine in ("DGEMM", "ZGEMM"):
            if not calls.get(routine):
                print("   abnormal: %s was never counted by LIB: the wheels did not reach it"
                      % routine)
                abnormal += 1
    n = tot["passed"]
    m = tot["failed"] + tot["errors"] + crashed + abnormal
    print("%d failed, %d errors, %d crashed tests, %d abnormal pytest runs; "
          "%d skipped, %d xfailed, %d xpassed, %d deselected"
          % (tot["failed"], tot["errors"], crashed, abnormal, tot["skipped"],
             tot["xfailed"], tot["xpassed"], tot["deselected"]))
    print("%d passed, %d failed" % (n, m), flush=True)
    return 0 if m == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
