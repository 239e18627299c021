#!/usr/bin/env bash
# Tensor-core DGEMM limits on the lent NVIDIA machine (kernel only, operands on the
# device): kernel builds read from k/<variant>/gemm_mma.cl (LAPACK_AI_KERNEL_DIR; the
# variant "builtin" is the library's own), each with the tiles in TILES besides the
# default; diagnostic builds prepend "#define DIAG 1" (no global loads after the first
# slice) or "#define DIAG 2" (global loads, no mma). Then every transpose on odd sizes,
# the registers and spills ptxas reports for each built kernel, and cuBLAS in the same
# call. Run from a folder holding gpu-bench, cublas_baseline.py and k/; writes to $OUT.
set -u
out=${OUT:-/tmp/out}
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$out/gpu.txt"
export XDG_CACHE_HOME=/tmp/klcache
rm -rf "$XDG_CACHE_HOME"
bench="./gpu-bench --device nvidia --types d"
dir_of() { [ "$1" = builtin ] || echo "k/$1"; }
for v in ${VARIANTS:-builtin}; do
  echo "== $v" | tee -a "$out/sweep.txt"
  LAPACK_AI_KERNEL_DIR=$(dir_of $v) timeout 300 $bench --sizes "${SIZES:-2048,4096,8192}" --reps 5 \
    --mma-tiles "${TILES:-128,128,8,64,32,1,0}" 2>&1 | grep -v "end-to-end\|Portable" | tee -a "$out/sweep.txt"
done
for v in ${FINAL_VARIANTS:-}; do
  echo "== $v" | tee -a "$out/final.txt"
  LAPACK_AI_KERNEL_DIR=$(dir_of $v) timeout 300 $bench --sizes "${FINAL_SIZES:-16384}" --reps 5 \
    2>&1 | grep -v "Portable" | tee -a "$out/final.txt"
done
for v in ${TRANS_VARIANTS:-builtin}; do
  for t in NN NT TN TT; do
    echo "== $v $t" >> "$out/trans.txt"
    LAPACK_AI_KERNEL_DIR=$(dir_of $v) timeout 120 $bench --sizes 1000,2047,4097 --reps 1 --trans $t \
      --mma-tiles "${TILES:-128,128,8,64,32,1,0}" >> "$out/trans.txt" 2>&1
  done
done
echo "transposes: $(grep -c ' ok ' "$out/trans.txt") ok, $(grep -c WRONG "$out/trans.txt") wrong"
ptxas=$(command -v ptxas || ls /usr/local/cuda*/bin/ptxas 2>/dev/null | head -1)
for f in "$XDG_CACHE_HOME"/lapack_ai/kernels/*.bin; do
  tr -d '\000' < "$f" > /tmp/k.ptx
  echo "== $(basename $f) $(grep -a -m1 -o 'reqntid [0-9, ]*' /tmp/k.ptx) $(grep -a -o '\.shared .align [0-9]* .b8 [^;]*' /tmp/k.ptx | tr '\n' ' ') $(grep -a -c 'mma.sync' /tmp/k.ptx) mma"
  $ptxas -arch=sm_90 -v /tmp/k.ptx -o /dev/null 2>&1 | grep -a -v "^ptxas info    : Compiling\|^ptxas info    : Function properties" | head -4
done 2>&1 | tee "$out/ptxas.txt"
timeout 120 python3 cublas_baseline.py --types dgemm --sizes ${CUBLAS_SIZES:-2048,4096,8192,16384} --reps 5 2>&1 | tee "$out/cublas.txt"
