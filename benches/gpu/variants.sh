#!/usr/bin/env bash
# Kernel-file variants of the tensor-core DGEMM on the lent NVIDIA machine, kernel only:
# each variant "name:NAME=VALUE;NAME=VALUE" is the kernel file gemm_mma.cl with those #defines
# prepended (read through LAPACK_AI_KERNEL_DIR; "old" is gemm_mma_old.cl, the kernel
# before this work; "builtin" the library's own), timed in its own gpu-bench process (TILES besides the default tile)
# at SIZES in TRANS (EXTRA: more gpu-bench arguments); then CHECK: every transpose at odd sizes for each variant, and cuBLAS.
# Run from a folder holding gpu-bench, cublas_baseline.py and the kernel files.
set -u
out=${OUT:-/tmp/out}
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$out/gpu.txt"
export XDG_CACHE_HOME=/tmp/vcache
bench="./gpu-bench --device nvidia --types d --kernel-only"
mkdir -p /tmp/k
kdir() {  # variant spec -> kernel folder
  local name=${1%%:*} defs=${1#*:} src=gemm_mma.cl
  [ "$name" = old ] && src=gemm_mma_old.cl
  [ "$name" = builtin ] && { echo ""; return; }
  mkdir -p /tmp/k/$name
  { [ "$defs" != "$1" ] && echo "$defs" | tr ';' '\n' | sed '/^$/d; s/^/#define /; s/=/ /'; cat $src; } > /tmp/k/$name/gemm_mma.cl
  echo /tmp/k/$name
}
for v in ${VARIANTS:-}; do
  d=$(kdir "$v")
  for t in ${TRANS:-NN}; do
    echo "== ${v%%:*} $t" | tee -a "$out/sweep.txt"
    LAPACK_AI_KERNEL_DIR=$d LAPACK_AI_BUILD_LOG=1 timeout 200 $bench --sizes "${SIZES:-2048,4096,8192,16384}" --reps ${REPS:-5} \
      --trans $t ${TILES:+--mma-tiles "$TILES"} ${EXTRA:-} 2>>"$out/buildlog.txt" \
      | tee -a "$out/raw.txt" | grep "n=" | tee -a "$out/sweep.txt"
  done
done
for v in ${CHECK:-}; do
  d=$(kdir "$v")
  for t in NN NT TN TT; do
    echo "== ${v%%:*} $t" >> "$out/trans.txt"
    LAPACK_AI_KERNEL_DIR=$d timeout 100 $bench --sizes 1000,2047,4097 --reps 1 --trans $t \
      ${TILES:+--mma-tiles "$TILES"} >> "$out/trans.txt" 2>&1
  done
done
echo "transposes: $(grep -c ' ok ' "$out/trans.txt" 2>/dev/null) ok, $(grep -c WRONG "$out/trans.txt" 2>/dev/null) wrong, $(grep -c -i 'fail\|error' "$out/trans.txt" 2>/dev/null) failed" | tee -a "$out/sweep.txt"
[ "${CUBLAS:-1}" = 0 ] || timeout 120 python3 cublas_baseline.py --types dgemm --sizes ${CUBLAS_SIZES:-2048,4096,8192,16384} --reps 5 2>&1 | tee -a "$out/sweep.txt"
