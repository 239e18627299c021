#!/usr/bin/env bash
# Link and load checks of the built library: every reference name exported, the ILP64
# and scipy_ names of the native ones (and of no other), the coverage report, install +
# pkg-config / CMake / gfortran consumers, ILP64 calls, forwarding in preload and
# replacement mode, a program's own XERBLA, LAPACK_AI_FORWARD=off, a NumPy pool forked
# after the parent used the device.
# Usage: reference-tests/link/run.sh   (after cargo build --release)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/reference-tests/link"
lib="$root/target/release/liblapack_ai.so"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
pass() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAILED: $1"; failed=$((failed + 1)); }
expect() { local what=$1; shift; if "$@" >"$work/out" 2>&1; then pass "$what"; else fail "$what"; sed 's/^/    /' "$work/out" | head -20; fi; }

# Every reference BLAS/CBLAS/LAPACK/LAPACKE name is exported, each exactly once.
grep -v '^#' "$root/symbols/reference.tsv" | cut -f1 | sort > "$work/want"
nm -D --defined-only "$lib" | awk '{print $3}' | sort > "$work/have"
missing=$(comm -23 "$work/want" "$work/have" | wc -l)
[ "$missing" = 0 ] && pass "all $(wc -l < "$work/want") reference names exported" \
  || fail "$missing reference names not exported: $(comm -23 "$work/want" "$work/have" | head -5 | tr '\n' ' ')"
[ "$(readelf -d "$lib" | grep -c 'SONAME.*liblapack_ai.so.0')" = 1 ] && pass "soname liblapack_ai.so.0" || fail "soname"
readelf -d "$lib" | grep -q SYMBOLIC && fail "library is linked -Bsymbolic (a program's xerbla_ would not win)" || pass "no -Bsymbolic"

# The coverage report counts every name.
"$root/target/release/lapack-ai" coverage > "$work/coverage" 2>&1
total=$(awk '$1 == "all" {print $4}' "$work/coverage")
[ "$total" = "$(wc -l < "$work/want")" ] && pass "coverage report totals $total names" || fail "coverage report: $(cat "$work/coverage")"

# ILP64 and scipy_ names (NumPy/SciPy pip wheels): every native function under all the
# names the coverage table derives from the symbol table, no forwarded name under any
# name but its own (the wheel's bundled OpenBLAS keeps serving those), nothing else.
"$root/target/release/lapack-ai" coverage --list > "$work/list"
awk -F'\t' '$3 ~ /^native [A-Za-z0-9]+ of / {print $1}' "$work/list" | sort > "$work/abi_want"
missing=$(comm -23 "$work/abi_want" "$work/have")
[ -s "$work/abi_want" ] && [ -z "$missing" ] && pass "$(wc -l < "$work/abi_want") ILP64/scipy_ names of native functions exported" \
  || fail "ILP64/scipy_ names not exported: $(echo "$missing" | head -5 | tr '\n' ' ')"
awk -F'\t' '$3 == "forwarded" {print "scipy_" $1; print $1 "64_"; print "scipy_" $1 "64_"}' "$work/list" | sort > "$work/abi_forwarded"
leaked=$(comm -12 "$work/abi_forwarded" "$work/have")
[ -z "$leaked" ] && pass "no forwarded name exported under an ILP64/scipy_ name" \
  || fail "forwarded names exported under ILP64/scipy_ names: $(echo "$leaked" | head -5 | tr '\n' ' ')"
stray=$(grep -E '^scipy_|64_$' "$work/have" | comm -23 - "$work/abi_want")
[ -z "$stray" ] && pass "every exported ILP64/scipy_ name is in the coverage table" \
  || fail "exported but not in the coverage table: $(echo "$stray" | head -5 | tr '\n' ' ')"

# Installed: C through pkg-config, C through CMake, Fortran with -llapack_ai.
prefix="$work/prefix"
expect "install.sh" "$root/tools/install.sh" "$prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
expect "pkg-config C program builds" sh -c "cc '$here/use_all.c' -o '$work/use_all' \$(pkg-config --cflags --libs lapack_ai) -Wl,-rpath,'$prefix/lib' -lm"
expect "pkg-config C program runs" "$work/use_all"
expect "C program loads liblapack_ai, no other BLAS/LAPACK" sh -c "ldd '$work/use_all' | grep -q liblapack_ai && ! ldd '$work/use_all' | grep -qE 'lib(open)?blas|liblapack\.'"
expect "CMake find_package(lapack_ai) configures" cmake -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix"
expect "CMake project builds" cmake --build "$work/cmake"
expect "CMake-built program runs" "$work/cmake/use_all"
expect "gfortran -llapack_ai builds" gfortran "$here/solve.f90" -o "$work/solve" -L"$prefix/lib" -llapack_ai -Wl,-rpath,"$prefix/lib"
expect "Fortran program runs" "$work/solve"
expect "ILP64 C program builds" cc "$here/ilp64.c" -o "$work/ilp64" -L"$prefix/lib" -llapack_ai -Wl,-rpath,"$prefix/lib"
expect "ILP64 entry points: 64-bit integers, nothing truncated" env LAPACK_AI_ERRORS=quiet "$work/ilp64"

# A program built against the system BLAS/LAPACK, run with ours in both drop-in modes.
replace="$work/replace"
mkdir -p "$replace"
for name in libblas.so.3 liblapack.so.3 libcblas.so.3 liblapacke.so.3; do ln -s "$lib" "$replace/$name"; done
cc "$here/own_xerbla.c" -o "$work/own_xerbla" -llapack -lblas
cc "$here/ilaver.c" -o "$work/ilaver" -llapack -lblas
expect "preload: the program's own xerbla_ wins" env LD_PRELOAD="$lib" "$work/own_xerbla"
expect "replacement: the program's own xerbla_ wins" env LD_LIBRARY_PATH="$replace" "$work/own_xerbla"
cc -shared -fPIC -DMODULE "$here/local_module.c" -o "$work/module.so" -llapack -lblas
cc "$here/local_module.c" -o "$work/load_module" -ldl
expect "replacement, loaded RTLD_LOCAL: a forwarded routine's argument error returns" \
  env LD_LIBRARY_PATH="$replace" "$work/load_module" "$work/module.so"
expect "preload: a forwarded name (ILAVER) reaches the process's LAPACK" env LD_PRELOAD="$lib" "$work/ilaver"
expect "replacement: a forwarded name reaches reference LAPACK" sh -c "LD_LIBRARY_PATH='$replace' '$work/ilaver' | grep -qx '3.11.0'"
expect "an unusable LAPACK_AI_FALLBACK warns and the known paths still serve" sh -c \
  "LAPACK_AI_FALLBACK=/nonexistent/liblapack.so LD_LIBRARY_PATH='$replace' '$work/ilaver' 2>&1 | grep -q 'LAPACK_AI_FALLBACK=/nonexistent' && LAPACK_AI_FALLBACK=/nonexistent/liblapack.so LD_LIBRARY_PATH='$replace' '$work/ilaver' 2>/dev/null | grep -qx '3.11.0'"
expect "LAPACK_AI_FALLBACK serves forwarded names" sh -c \
  "LAPACK_AI_FALLBACK=/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3 LD_LIBRARY_PATH='$replace' '$work/ilaver' | grep -qx '3.11.0'"
LAPACK_AI_FORWARD=off LD_LIBRARY_PATH="$replace" "$work/ilaver" > "$work/off" 2>&1
status=$?
[ "$status" -ge 128 ] && grep -q "ILAVER has no native implementation and LAPACK_AI_FORWARD=off" "$work/off" \
  && pass "LAPACK_AI_FORWARD=off: a forwarded name fails loudly" || fail "LAPACK_AI_FORWARD=off (status $status): $(cat "$work/off")"

# NumPy with every GEMM forced onto PoCL: a multiprocessing pool forked after the parent
# used the device computes on the CPU, correctly, and says why once.
expect "fork: NumPy pool children of a parent that used the device compute on the CPU" sh -c \
  "LD_PRELOAD='$lib' LAPACK_AI_BACKEND=gpu LAPACK_AI_DEVICE=pocl timeout 120 /usr/bin/python3 '$here/fork_children.py' 2>&1 | tee '$work/fork' | grep -q '^ok: 6 child products' && grep -q 'forked' '$work/fork'"

# NumPy on the CPU: children forked after the parent's threaded calls (and a grandchild)
# build their own pool, keep their threads and give the parent's bits.
expect "fork: children and grandchildren keep the pool's threads and the parent's bits" sh -c \
  "LD_PRELOAD='$lib' LAPACK_AI_NUM_THREADS=2 timeout 300 /usr/bin/python3 '$here/fork_threads.py' | grep -q '^ok: 3 children'"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
