#!/usr/bin/env bash
# Every test of liblapack_ai, in order: install what is missing, build, then the Rust
# unit tests, the link tests, the Netlib BLAS/CBLAS/LAPACK suite (replacement and preload
# modes, BLAS with forwarding off, level 3 forced onto OpenCL), the lapack_py package's tests,
# Octave's and R's linear algebra against the reference LAPACK, and NumPy/SciPy's own suites with
# the library swapped in: Debian's packages, then the pip wheels (a venv cached in
# ~/.cache/lapack_ai). Ends with one line "N passed, M failed" summed over every step.
# Usage: tools/test.sh [--quick]   (--quick: skip the NumPy/SciPy suites)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
py=/usr/bin/python3 # Debian's Python, the one with NumPy and SciPy
lib="$root/target/release/liblapack_ai.so"
logs=$(mktemp -d)
total_passed=0 total_failed=0 broken_steps=()

# Runs one step, shows its output, and adds its counts ("N passed, M failed" or
# cargo's "test result: ... N passed; M failed") to the totals.
step() {
  local name=$1; shift
  echo; echo "=== $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$logs/step.log"
  local status=${PIPESTATUS[0]}
  local counts
  counts=$(grep -oE '([0-9]+) passed[,;] ([0-9]+) failed' "$logs/step.log" | awk '{p += $1; f += $3} END {print p + 0, f + 0}')
  read -r p f <<<"$counts"
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
  echo "=== $name: exit $status, $p passed, $f failed, $((SECONDS - start)) s"
  if [ "$status" != 0 ]; then broken_steps+=("$name"); fi
}

tools/install-deps.sh || { echo "cannot install the dependencies"; exit 1; }
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
cargo build --release --locked || { echo "build failed"; exit 1; }
step "header is current" git diff --exit-code -- include/lapack_ai.h
step "rust unit tests" cargo test --release --locked
step "link and load" reference-tests/link/run.sh
step "telemetry" reference-tests/telemetry/run.sh
step "native LAPACK vs reference LAPACK" reference-tests/lapack/run.sh
step "netlib, replacement" "$py" lapack-testing/run.py --lib "$lib" --mode replacement
step "netlib, preload" "$py" lapack-testing/run.py --lib "$lib" --mode preload
# The AVX2 kernels too where the machine has AVX-512 (the widest otherwise hide them).
step "netlib, replacement, AVX2 kernels" "$py" lapack-testing/run.py --lib "$lib" --mode replacement \
  --env LAPACK_AI_SIMD=avx2
step "netlib BLAS+CBLAS, nothing forwarded" "$py" lapack-testing/run.py --lib "$lib" --mode replacement \
  --only "$(cat lapack-testing/native-only.txt)" --env LAPACK_AI_FORWARD=off
step "netlib level-3 BLAS+CBLAS, every level-3 call on OpenCL (PoCL)" "$py" lapack-testing/run.py --lib "$lib" \
  --mode replacement --only 'blat3|cblat3' --env LAPACK_AI_BACKEND=gpu --env LAPACK_AI_DEVICE=pocl
step "lapack_py (python/tests)" python/run_tests.sh
step "Octave's linear-algebra tests, replacement and preload" "$py" apps/octave/run.py --lib "$lib"
step "R's linear algebra against the reference LAPACK" "$py" apps/r/run.py --lib "$lib"
if [ "$quick" = 0 ]; then
  step "numpy/scipy suites, replacement" "$py" python-suites/run.py --lib "$lib" --mode replacement
  step "numpy/scipy pip wheels (ILP64 scipy_*64_ names), preload" python-suites/wheels.sh "$lib"
fi

echo
if [ ${#broken_steps[@]} -gt 0 ]; then echo "steps that failed: ${broken_steps[*]}"; fi
echo "$total_passed passed, $total_failed failed"
[ ${#broken_steps[@]} -eq 0 ] && [ "$total_failed" = 0 ]
