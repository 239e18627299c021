#!/bin/sh
# Run examples/numpy_demo.py with a BLAS/LAPACK library swapped in, both ways:
#   1. replacement: a temp dir whose libblas.so.3 / liblapack.so.3 (and libcblas.so.3,
#      liblapacke.so.3) link to LIBPATH, first on LD_LIBRARY_PATH;
#   2. preload:     LD_PRELOAD=LIBPATH.
# Usage: examples/run_numpy_demo.sh LIBPATH [demo options, e.g. --n 1000]
# Exit status 0 only if the demo passed both ways.
set -u
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 path/to/liblapack_ai.so [numpy_demo.py options]" >&2
    exit 2
fi
LIB=$(realpath "$1"); shift
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-/usr/bin/python3}   # Debian's python3 with python3-numpy

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
for so in libblas.so.3 liblapack.so.3 libcblas.so.3 liblapacke.so.3; do
    ln -s "$LIB" "$dir/$so"
done

echo "== replacement: LD_LIBRARY_PATH=$dir ($dir/libblas.so.3 -> $LIB)"
LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$PY" "$HERE/numpy_demo.py" --lib "$LIB" "$@"
rc_replacement=$?

echo
echo "== preload: LD_PRELOAD=$LIB"
LD_PRELOAD="$LIB${LD_PRELOAD:+ $LD_PRELOAD}" "$PY" "$HERE/numpy_demo.py" --lib "$LIB" "$@"
rc_preload=$?

echo
echo "replacement: $([ $rc_replacement -eq 0 ] && echo OK || echo "FAILED (exit $rc_replacement)")," \
     "preload: $([ $rc_preload -eq 0 ] && echo OK || echo "FAILED (exit $rc_preload)")"
[ $rc_replacement -eq 0 ] && [ $rc_preload -eq 0 ]
