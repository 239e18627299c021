#!/usr/bin/env bash
# DGEMM tensor-core tile sweep on the lent NVIDIA machine, kernel only, every tile of
# TILES (';'-separated MmaParams strings: "BM,BN,BK,WM,WN,STAGES,GROUP_M[,COPY,MMA_K[,FRAG_PIPE[,MAX_REGS]]]")
# timed in one process against the library's default kernel on the same operands; then
# every transpose on odd sizes, registers and spills per tile (ptxas on the PTX NVIDIA's
# OpenCL built, one kernel cache a tile), and cuBLAS in the same call. Kernels come from
# the library, or from $KDIR/gemm_mma.cl when KDIR is set (LAPACK_AI_KERNEL_DIR). Run from
# a folder holding gpu-bench and cublas_baseline.py; writes to $OUT.
set -u
out=${OUT:-/tmp/out}
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$out/gpu.txt"
export LAPACK_AI_KERNEL_DIR=${KDIR:-}
bench="./gpu-bench --device nvidia --types d --kernel-only"
tiles=${TILES:?TILES is required}
ptxas=$(command -v ptxas || ls /usr/local/cuda*/bin/ptxas 2>/dev/null | head -1)
# cuobjdump / nvdisasm (SASS=1): next to ptxas, or the ones PyTorch's Triton carries.
PATH=$PATH:$(dirname "$ptxas"):$(ls -d /usr/local/lib/python3*/dist-packages/triton/backends/nvidia/bin /usr/lib/python3*/site-packages/triton/backends/nvidia/bin 2>/dev/null | tr '\n' :)
# Registers and spills: each tile built alone into its own cache (the default kernel's
# binaries, built first, are left out).
XDG_CACHE_HOME=/tmp/kc/default $bench --sizes 128 --reps 1 > /dev/null 2>&1
IFS=';' read -ra list <<< "$tiles"
i=0
for t in "${list[@]}"; do
  i=$((i + 1))
  dir=/tmp/kc/$i
  mkdir -p $dir/lapack_ai/kernels
  cp /tmp/kc/default/lapack_ai/kernels/*.bin $dir/lapack_ai/kernels/ 2>/dev/null
  XDG_CACHE_HOME=$dir timeout 120 $bench --sizes 128 --reps 1 --mma-tiles "$t" 2>&1 | grep -v "n=" >> "$out/build.txt"
  # An 11th field is the register cap (-cl-nv-maxrregcount): give ptxas the same.
  cap=$(echo "$t" | awk -F, 'NF >= 11 && $11 > 0 { print "-maxrregcount " $11 }')
  for f in $dir/lapack_ai/kernels/*.bin; do
    [ -f "/tmp/kc/default/lapack_ai/kernels/$(basename $f)" ] && continue
    tr -d '\000' < "$f" > /tmp/k.ptx
    echo "== $t: $(grep -a -o '\.maxnreg [0-9]*' /tmp/k.ptx | head -1) $($ptxas -arch=sm_90 $cap -v /tmp/k.ptx -o /tmp/k$i.cubin 2>&1 | grep -a -o 'Used [0-9]* registers\|[0-9]* bytes spill stores\|[0-9]* bytes smem' | tr '\n' ' ')"
    # SASS of the tile (SASS=1), for the instruction mix of the main loop: one file for
    # all tiles (the device call returns only a few files).
    if [ -n "${SASS:-}" ] && [ -f /tmp/k$i.cubin ]; then
      { echo "== $t"; cuobjdump -sass /tmp/k$i.cubin 2>/dev/null || nvdisasm /tmp/k$i.cubin 2>/dev/null; } >> "$out/sass.txt"
    fi
  done
done 2>&1 | tee "$out/ptxas.txt"
echo "== default: $(for f in /tmp/kc/default/lapack_ai/kernels/*.bin; do tr -d '\000' < $f > /tmp/k.ptx; $ptxas -arch=sm_90 -v /tmp/k.ptx -o /dev/null 2>&1 | grep -a -o 'Used [0-9]* registers\|[0-9]* bytes spill stores' | tr '\n' ' '; done)" | tee -a "$out/ptxas.txt"
export XDG_CACHE_HOME=/tmp/kc/all
timeout 300 $bench --sizes "${SIZES:-2048,4096,8192,16384}" --reps "${REPS:-5}" --mma-tiles "$tiles" 2>&1 | tee "$out/sweep.txt"
for t in NN NT TN TT; do
  echo "== $t" >> "$out/trans.txt"
  timeout 120 $bench --sizes 1000,2047,4097 --reps 1 --trans $t --mma-tiles "$tiles" >> "$out/trans.txt" 2>&1
done
echo "transposes: $(grep -c ' ok ' "$out/trans.txt") ok, $(grep -c WRONG "$out/trans.txt") wrong, $(grep -c -i 'fail\|error' "$out/trans.txt") failed builds"
timeout 120 python3 cublas_baseline.py --types dgemm --sizes ${CUBLAS_SIZES:-2048,4096,8192,16384} --reps 5 2>&1 | tee "$out/cublas.txt"
