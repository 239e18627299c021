#!/usr/bin/env bash
# Installs the built library under PREFIX (default /usr/local):
#   lib/liblapack_ai.so.X.Y.Z (+ .so.X and .so links), include/lapack_ai.h,
#   lib/pkgconfig/lapack_ai.pc, lib/cmake/lapack_ai/, bin/lapack-ai.
# Run `cargo build --release` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(realpath -m "${1:-/usr/local}")
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)
major=${version%%.*}
lib="$root/target/release/liblapack_ai.so"
[ -f "$lib" ] || { echo "install.sh: $lib is missing; run cargo build --release first" >&2; exit 1; }

mkdir -p "$prefix/lib/pkgconfig" "$prefix/lib/cmake/lapack_ai" "$prefix/include" "$prefix/bin"
install -m 755 "$lib" "$prefix/lib/liblapack_ai.so.$version"
ln -sf "liblapack_ai.so.$version" "$prefix/lib/liblapack_ai.so.$major"
ln -sf "liblapack_ai.so.$major" "$prefix/lib/liblapack_ai.so"
install -m 644 "$root/include/lapack_ai.h" "$prefix/include/"
[ -f "$root/target/release/lapack-ai" ] && install -m 755 "$root/target/release/lapack-ai" "$prefix/bin/"
fill() { sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" -e "s|@MAJOR@|$major|g" "$1" > "$2"; }
fill "$root/pkgconfig/lapack_ai.pc.in" "$prefix/lib/pkgconfig/lapack_ai.pc"
fill "$root/cmake/lapack_aiConfig.cmake.in" "$prefix/lib/cmake/lapack_ai/lapack_aiConfig.cmake"
fill "$root/cmake/lapack_aiConfigVersion.cmake.in" "$prefix/lib/cmake/lapack_ai/lapack_aiConfigVersion.cmake"
echo "installed liblapack_ai $version under $prefix"
