"""`python -m lapack_py doctor`: which BLAS/LAPACK this Python's NumPy and SciPy use,
whether liblapack_ai intercepts them, and what to do if not."""

import io
import os
import sys
import contextlib

import numpy as np


def _mapped_blas_libraries():
    """Shared objects mapped into this process whose names mention BLAS/LAPACK."""
    keys = ("blas", "lapack", "mkl", "flexiblas", "accelerate")
    found = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split(maxsplit=5)[-1].strip()
            name = os.path.basename(path).lower()
            if path.startswith("/") and any(k in name for k in keys) and path not in found:
                found.append(path)
    return found


def _build_config(module):
    """The library lines of `module.show_config()` (numpy or scipy), without repeats."""
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        try:
            module.show_config()
        except Exception as e:  # show_config may need optional modules
            print("(show_config failed: %s)" % e)
    keep = []
    for line in text.getvalue().splitlines():
        line = line.strip()
        if any(k in line for k in ("libraries =", "library_dirs =", "name:", "lib directory", "failed")):
            if line not in keep:
                keep.append(line)
    return keep[:12]


def _threadpool_info():
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl.threadpool_info()


def _numpy_goes_through_us(lap):
    """Runs a 64x64 numpy matmul and a numpy.linalg.solve and checks whether our
    counters moved (they only move when NumPy's calls land in our library)."""
    lap.stats_reset()
    a = np.random.default_rng(0).standard_normal((64, 64)) + 64 * np.eye(64)
    a @ a
    np.linalg.solve(a, np.ones(64))
    names = {r["routine"] for r in lap.stats()["routines"] if r["calls"] > 0}
    return "DGEMM" in names, sorted(names)


def report(out=sys.stdout):
    import lapack_py as lap
    from . import _lib

    try:
        import scipy
        import scipy.linalg  # noqa: F401  loads SciPy's BLAS/LAPACK
    except ImportError:
        scipy = None
    scipy_version = scipy.__version__ if scipy else None
    p = lambda *args: print(*args, file=out)
    p("lapack_py doctor")
    p("  %-13s%s (%s)" % ("python", sys.version.split()[0], sys.executable))
    p("  %-13s%s (%s)" % ("numpy", np.__version__, os.path.dirname(np.__file__)))
    p("  %-13s%s" % ("scipy", scipy_version or "not installed"))
    p("  %-13s%s at %s" % ("liblapack_ai", lap.version(), _lib.PATH))
    preloaded = _lib.mapped_copy() == _lib.PATH and "liblapack_ai" in os.environ.get("LD_PRELOAD", "")
    p("  %-13s%s" % ("preloaded", "yes (LD_PRELOAD)" if preloaded else "no"))
    d = lap.devices()
    names = ["%d: %s (%s%s)" % (x["index"], x["name"], "GPU" if x["is_gpu"] else "CPU",
                                ", selected" if x["index"] == d["selected"] else "") for x in d["devices"]]
    p("  %-13s%s%s" % ("OpenCL", "; ".join(names) or "no device",
                               "" if d["selected"] is not None else " -- GPU calls run on the CPU: " + str(d["error"])))
    p("")
    for module in (np, scipy):
        if module is not None:
            p("%s.show_config (libraries):" % module.__name__)
            for line in _build_config(module):
                p("  " + line)
    p("")
    p("BLAS/LAPACK libraries mapped into this process:")
    for path in _mapped_blas_libraries():
        p("  " + path)
    info = _threadpool_info()
    p("")
    if info is None:
        p("threadpoolctl: not installed (pip install threadpoolctl for per-library thread info)")
    else:
        p("threadpoolctl:")
        for entry in info:
            p("  %-10s %-12s threads=%-3s %s" % (entry.get("user_api"), entry.get("internal_api"),
                                                 entry.get("num_threads"), entry.get("filepath")))
    through_us, names = _numpy_goes_through_us(lap)
    p("")
    if through_us:
        p("NumPy's BLAS goes through liblapack_ai: yes (a numpy matmul/solve moved our counters: %s)"
          % ", ".join(names))
        return True
    p("NumPy's BLAS goes through liblapack_ai: no (a numpy matmul did not reach our DGEMM)")
    p("lapack_py itself still uses liblapack_ai. To route NumPy/SciPy through it too:")
    p("  LD_PRELOAD=%s %s your_program.py" % (_lib.PATH, sys.executable))
    p("or swap the system libraries (README.md, 'Using it'). This works for NumPy/SciPy")
    p("built against the system BLAS (Debian's python3-numpy/python3-scipy). Wheels from")
    p("PyPI bundle their own OpenBLAS with renamed symbols (scipy_dgemm_64_, cblas_dgemm64_...,")
    p("64-bit integers), which no preload can intercept: use the distribution's packages or")
    p("build NumPy/SciPy against the system BLAS (pip install --no-binary numpy,scipy ...).")
    return False
