#!/usr/bin/env bash
# Derives symbols/reference.tsv, the list of every name that reference BLAS, CBLAS,
# LAPACK and LAPACKE 3.11 export, from Debian's libblas3, liblapack3 and liblapacke.
# Columns: name, family (blas|cblas|lapack|lapacke), kind (func|data).
# A name that two libraries define (lsame_, xerbla_) is listed once, under the first.
set -euo pipefail
lib=${LIBDIR:-/usr/lib/x86_64-linux-gnu}
out=${1:-$(dirname "$0")/../symbols/reference.tsv}
{
  printf '# name\tfamily\tkind\n'
  # nm -D --defined-only prints "ADDR TYPE NAME"; T is code, B/D is data.
  list() { nm -D --defined-only "$1" | awk '{ kind = ($2 == "T" || $2 == "W") ? "func" : "data"; print $3 "\t" kind }'; }
  list "$lib/blas/libblas.so.3" | awk -F'\t' '{ fam = ($1 ~ /^cblas_/ || $2 == "data") ? "cblas" : "blas"; print $1 "\t" fam "\t" $2 }' | sort
  list "$lib/lapack/liblapack.so.3" | awk -F'\t' '{ print $1 "\tlapack\t" $2 }' | sort
  list "$lib/liblapacke.so.3" | awk -F'\t' '{ print $1 "\tlapacke\t" $2 }' | sort
} | awk -F'\t' '/^#/ || !seen[$1]++' > "$out"
echo "wrote $out: $(grep -vc '^#' "$out") names" >&2
