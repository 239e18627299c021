#!/usr/bin/env bash
# Run on the lent GPU machine from the repository root, with .devcarry/ holding the
# release build (liblapack_ai.so, gpu-bench, blasbench). Writes everything to $OUT.
set -u
out=${OUT:-/tmp/out}
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/gpu.txt"
carry=.devcarry
export LAPACK_AI_DEVICE=nvidia
$carry/gpu-bench --list 2>&1 | tee "$out/devices.txt"
timeout 200 $carry/gpu-bench --device nvidia --types d,s,z --sizes 2048,4096,8192 --reps 3 2>&1 | tee "$out/gpu-bench.txt"
timeout 120 python3 benches/gpu/cublas_baseline.py --sizes 2048,4096,8192 --reps 5 2>&1 | tee "$out/cublas.txt"
timeout 120 python3 benches/gpu/cpu_baseline.py 2048,4096,8192 2>&1 | tee "$out/cpu-openblas.txt"
# dgemm_ from host memory through the router: auto vs cpu vs gpu (benches/gpu/router.sh).
OUT="$out" bash benches/gpu/router.sh
