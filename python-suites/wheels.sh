#!/usr/bin/env bash
# NumPy 2.x and SciPy pip wheels with liblapack_ai preloaded: the wheels call their
# bundled OpenBLAS as scipy_dgemm_64_ / scipy_cblas_dgemm64_ (numpy, ILP64) and
# scipy_dgemm_ (scipy, LP64); we serve those names for every native routine. Runs
# numpy.linalg, numpy's dot/matmul/einsum tests and scipy.linalg (-m "not slow", as
# SciPy's fast CI) through python-suites/run.py --mode wheels, which first proves in a
# probe process that the wheel names bind to us (forwarded names to the bundled OpenBLAS)
# and that our counters move, then requires non-zero DGEMM/ZGEMM counts from the suites'
# LAPACK_AI_REPORT tables. Ends with "N passed, M failed".
#
# The venv is cached in $LAPACK_AI_WHEELS_VENV (default ~/.cache/lapack_ai/wheels-venv);
# delete it to upgrade the wheels. Without the library (--baseline) every test of these
# suites passes with numpy 2.4.6 / scipy 1.17.1, so nothing is deselected.
# Usage: python-suites/wheels.sh [LIB | --baseline]   (default target/release/liblapack_ai.so)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:-$root/target/release/liblapack_ai.so}
how=(--mode wheels --lib "$lib")
[ "$lib" = --baseline ] && how=(--mode system)   # the wheels' own OpenBLAS only
venv=${LAPACK_AI_WHEELS_VENV:-$HOME/.cache/lapack_ai/wheels-venv}
wheels=("numpy==2.4.*" "scipy==1.17.*" "pytest" "hypothesis")

if ! "$venv/bin/python" -c 'import numpy, scipy, pytest, hypothesis' 2>/dev/null; then
  echo "wheels: creating $venv (pip install ${wheels[*]})"
  /usr/bin/python3 -m venv "$venv" && "$venv/bin/pip" install -q "${wheels[@]}" || {
    echo "wheels: cannot create the venv (needs python3-venv and network access)"
    echo "0 passed, 1 failed"
    exit 1
  }
fi
"$venv/bin/python" -c 'import numpy, scipy; print("wheels: numpy", numpy.__version__, "scipy", scipy.__version__)'

# NPY_AVAILABLE_MEM: numpy's test_huge_vectordot (18 GB, 25 s) skips, as on small CI machines.
# The linear-algebra suites only (SciPy's other suites run on Debian's SciPy).
exec /usr/bin/python3 "$root/python-suites/run.py" "${how[@]}" \
  --python "$venv/bin/python" --fast --env NPY_AVAILABLE_MEM=4GB --test-timeout 300 \
  --suite numpy-linalg --suite numpy-dot --suite numpy-einsum --suite scipy-linalg
