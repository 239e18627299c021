#!/usr/bin/env bash
# Level-3 BLAS beyond GEMM on the lent GPU machine: dsyrk_ and dtrsm_ from host memory
# (blasbench, seconds per call, median of 7) with LAPACK_AI_BACKEND cpu, auto and gpu,
# after `lapack-ai calibrate`. Run from the repository root with .devcarry/ holding the
# release liblapack_ai.so, lapack-ai and blasbench; writes to $OUT.
set -u
out=${OUT:-/tmp/out}
carry=.devcarry
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
export LAPACK_AI_DEVICE=nvidia LAPACK_AI_NUM_THREADS=$(nproc)
timeout 120 $carry/lapack-ai calibrate 2>&1 | tail -2 | tee "$out/calibrate.txt"
for routine in ${ROUTINES:-dsyrk dtrsm}; do
  for n in ${SIZES:-1024 2048 4096 8192}; do
    for backend in cpu auto gpu; do
      t=$(LAPACK_AI_BACKEND=$backend timeout 120 $carry/blasbench $carry/liblapack_ai.so $routine $n 2>&1 | tail -1)
      echo "$routine n=$n backend=$backend $t" | tee -a "$out/level3.txt"
    done
    LAPACK_AI_BACKEND=auto LAPACK_AI_VERBOSE=1 timeout 120 $carry/blasbench $carry/liblapack_ai.so $routine $n 2>&1 \
      | grep -m1 -i "$routine" | sed "s/^/auto n=$n: /" >> "$out/level3-reasons.txt"
  done
done
