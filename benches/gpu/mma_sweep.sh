#!/usr/bin/env bash
# Tensor-core DGEMM on the lent NVIDIA machine: kernel-only TFLOP/s of several tile
# shapes against the portable kernel and cuBLAS (same call), every transpose checked,
# and end-to-end runs on sizes that need padding. Run from the repository root with
# .devcarry/ holding gpu-bench; writes to $OUT.
set -u
out=${OUT:-/tmp/out}
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/gpu.txt"
bench=.devcarry/gpu-bench
tiles=${MMA_TILES:-"128,128,8,64,32,1,8;128,128,16,64,32,1,8;128,128,8,32,64,2,8"}
timeout 240 $bench --device nvidia --types d --sizes ${SIZES:-4096,8192} --reps 5 --mma-tiles "$tiles" 2>&1 | tee "$out/sweep.txt"
for t in NT TN TT; do
  timeout 60 $bench --device nvidia --types d --sizes 2048 --reps 2 --trans $t 2>&1 | tee -a "$out/trans.txt"
done
timeout 60 $bench --device nvidia --types d --sizes 1000,3001 --reps 2 2>&1 | tee "$out/padded.txt"
timeout 120 python3 benches/gpu/cublas_baseline.py --sizes ${SIZES:-4096,8192} --reps 5 2>&1 | grep -i "dgemm\|device" | tee "$out/cublas.txt"
