#!/usr/bin/env bash
# On the lent GPU machine, from the repository root, .devcarry/ holding the release
# liblapack_ai.so: NumPy's solve and cholesky with the wheel's OpenBLAS (all cores),
# then with our library preloaded on the CPU only and with the router free to use the GPU.
# CARRY names the folder holding liblapack_ai.so (default .devcarry), REPS the timed calls
# after the warm-up one (default 3), SIZES the orders.
set -u
out=${OUT:-/tmp/out}
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/gpu.txt"
lib=$PWD/${CARRY:-.devcarry}/liblapack_ai.so
sizes=${SIZES:-4096,8192,16384}
export LAPACK_AI_DEVICE=nvidia LAPACK_AI_NUM_THREADS=$(nproc)
timeout 200 python3 benches/gpu/numpy_lapack.py --sizes "$sizes" --reps "${REPS:-3}" --label openblas 2>&1 | tee -a "$out/numpy_lapack.txt"
LD_PRELOAD=$lib LAPACK_AI_BACKEND=cpu timeout 200 python3 benches/gpu/numpy_lapack.py --sizes "$sizes" --reps "${REPS:-3}" --label ours-cpu 2>&1 | tee -a "$out/numpy_lapack.txt"
LD_PRELOAD=$lib LAPACK_AI_BACKEND=auto LAPACK_AI_REPORT=1 timeout 200 python3 benches/gpu/numpy_lapack.py --sizes "$sizes" --reps "${REPS:-3}" --label ours-auto 2>&1 | tee -a "$out/numpy_lapack.txt"
