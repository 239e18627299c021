"""stats(), devices(), config(), the gpu= argument and threadpoolctl."""

import os
import subprocess
import sys

import numpy as np
import pytest

import lapack_py as lap

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_python(code, **env):
    full = dict(os.environ, PYTHONPATH=PYTHON_DIR + os.pathsep + os.environ.get("PYTHONPATH", ""), **env)
    done = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def dgemm_backends():
    return {r["backend"]: r["calls"] for r in lap.stats()["routines"] if r["routine"] == "DGEMM"}


def test_stats_count_our_calls():
    lap.stats_reset()
    lap.matmul(np.ones((3, 3)), np.ones((3, 3)))
    assert dgemm_backends() == {"cpu": 1}
    s = lap.stats()
    assert s["version"] == lap.version() and "timed_min_flops" in s


def test_devices_is_a_listing():
    d = lap.devices()
    assert set(d) >= {"selector", "selected", "error", "devices"}
    for dev in d["devices"]:
        assert {"index", "name", "platform", "is_gpu"} <= set(dev)


def test_config_changes_and_restores():
    before = lap.config()
    assert before["backend"] in ("auto", "cpu", "gpu") and before["threads"] >= 1
    with lap.config(backend="cpu", threads=1, verbose=True) as now:
        assert now["backend"] == "cpu" and now["threads"] == 1 and now["verbose"] is True
    after = lap.config()
    assert {k: after[k] for k in ("backend", "threads", "verbose")} == {k: before[k] for k in ("backend", "threads", "verbose")}
    with pytest.raises(ValueError):
        lap.config(backend="tpu")


def test_verbose_switch_prints_a_line_per_call():
    code = ("import lapack_py as lap, numpy as np\n"
            "lap.matmul(np.ones((5, 5)), np.ones((5, 5)))\n"
            "with lap.config(verbose=True):\n"
            "    lap.matmul(np.ones((7, 7)), np.ones((7, 7)))\n"
            "lap.matmul(np.ones((9, 9)), np.ones((9, 9)))\n")
    full = dict(os.environ, PYTHONPATH=PYTHON_DIR)
    full.pop("LAPACK_AI_VERBOSE", None)
    done = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=120)
    lines = [l for l in done.stderr.splitlines() if "DGEMM" in l]
    assert len(lines) == 1 and "m=7" in lines[0], done.stderr


def test_gpu_false_forces_cpu_even_when_environment_says_gpu():
    out = run_python(
        "import lapack_py as lap, numpy as np\n"
        "lap.matmul(np.ones((64, 64)), np.ones((64, 64)), gpu=False)\n"
        "print(sorted({r['backend'] for r in lap.stats()['routines'] if r['routine'] == 'DGEMM'}))\n"
        "print(lap.config()['backend'])",
        LAPACK_AI_BACKEND="gpu", LAPACK_AI_DEVICE="pocl",
    )
    assert out.split("\n")[:2] == ["['cpu']", "gpu"]


def test_gpu_true_runs_matmul_on_pocl():
    if not any("pocl" in (d["platform_vendor"] + d["platform"]).lower() for d in lap.devices()["devices"]):
        pytest.skip("PoCL is not installed")
    out = run_python(
        "import lapack_py as lap, numpy as np\n"
        "a, b = np.random.rand(64, 48), np.random.rand(48, 32)\n"
        "for dt in (np.float32, np.float64, np.complex64, np.complex128):\n"
        "    x, y = a.astype(dt), b.astype(dt)\n"
        "    assert np.allclose(lap.matmul(x, y, gpu=True), x @ y, rtol=1e-4), dt\n"
        "lap.matmul(a, b)\n"  # small: the router keeps it on the CPU
        "print(sorted((r['routine'], r['backend'], r['calls']) for r in lap.stats()['routines'] if r['routine'].endswith('GEMM')))",
        LAPACK_AI_DEVICE="pocl",
    )
    assert "('DGEMM', 'gpu', 1)" in out and "('DGEMM', 'cpu', 1)" in out, out
    assert "('SGEMM', 'gpu', 1)" in out and "('ZGEMM', 'gpu', 1)" in out and "('CGEMM', 'gpu', 1)" in out, out


def test_threadpoolctl_limits_our_threads():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    ours = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "lapack_ai"]
    assert len(ours) == 1 and ours[0]["user_api"] == "blas" and ours[0]["version"] == lap.version()
    with threadpoolctl.threadpool_limits(1):
        assert lap.config()["threads"] == 1
    assert lap.config()["threads"] == ours[0]["num_threads"]
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        assert lap.config()["threads"] == 1


def test_doctor_runs():
    out = run_python("import lapack_py.doctor as d; d.report()")
    assert "NumPy's BLAS goes through liblapack_ai: no" in out and "LD_PRELOAD=" in out
    lib = lap._lib.PATH
    out = run_python("import runpy, sys; sys.argv = ['lapack_py', 'doctor']; runpy.run_module('lapack_py', run_name='__main__')",
                     LD_PRELOAD=lib)
    assert "NumPy's BLAS goes through liblapack_ai: yes" in out, out
