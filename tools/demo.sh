#!/usr/bin/env bash
# The newcomer's first command: installs what is missing, builds liblapack_ai, and runs
# a real NumPy program (examples/numpy_demo.py) with the library swapped in under
# Debian's NumPy, once as the system libblas.so.3/liblapack.so.3 and once via LD_PRELOAD.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools/install-deps.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
cargo build --release
examples/run_numpy_demo.sh "$root/target/release/liblapack_ai.so"
