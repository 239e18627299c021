#!/usr/bin/env bash
# Native LAPACK routines against the system's reference LAPACK (see run.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$root/reference-tests/lapack/run.py" --lib "$root/target/release/liblapack_ai.so" "$@"
