#!/usr/bin/env bash
# dgemm_ from host memory through the router on the lent GPU machine: LAPACK_AI_BACKEND
# cpu, auto and gpu at n = 16..8192 (seconds per call, blasbench's median of 7).
set -u
out=${OUT:-/tmp/out}
carry=.devcarry
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
export LAPACK_AI_DEVICE=nvidia LAPACK_AI_NUM_THREADS=$(nproc)
for n in 16 64 256 384 512 768 1024 1536 2048 4096 8192; do
  for backend in cpu auto gpu; do
    t=$(LAPACK_AI_BACKEND=$backend timeout 60 $carry/blasbench $carry/liblapack_ai.so dgemm $n 2>&1 | tail -1)
    echo "dgemm_ n=$n backend=$backend $t" | tee -a "$out/router.txt"
  done
done
