#!/usr/bin/env bash
# lapack_py's tests (python/tests) against target/release/liblapack_ai.so. Uses a venv
# with pytest and threadpoolctl on top of Debian's NumPy/SciPy, made on first use under
# ~/.cache/lapack_ai/py-venv. Ends with one line "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${LAPACK_PY_VENV:-$HOME/.cache/lapack_ai/py-venv}
if ! "$venv/bin/python" -c "import pytest, threadpoolctl, numpy, scipy" 2>/dev/null; then
  /usr/bin/python3 -m venv --system-site-packages "$venv" &&
    "$venv/bin/pip" install -q pytest "threadpoolctl>=3.3" ||
    { echo "cannot make the test venv $venv"; echo "0 passed, 1 failed"; exit 1; }
fi
cd "$here"
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests "$@" 2>&1 | tee /tmp/lapack_py_tests.$$.log
status=${PIPESTATUS[0]}
summary=$(tail -n 1 /tmp/lapack_py_tests.$$.log)
rm -f /tmp/lapack_py_tests.$$.log
passed=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
failed=$(grep -oE '[0-9]+ (failed|error)' <<<"$summary" | awk '{s += $1} END {print s + 0}')
[ "$status" != 0 ] && [ "${failed:-0}" = 0 ] && failed=1
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
