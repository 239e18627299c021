#!/usr/bin/env bash
# dgemm_ (or ROUTINE, e.g. zgemm) from host memory through the router on the lent GPU
# machine: LAPACK_AI_BACKEND
# cpu, auto and gpu at n = 16..8192 (seconds per call, blasbench's median of 7), the three
# backends (BACKENDS, default "cpu auto gpu") interleaved ROUNDS times (default 1), in an order
# that rotates each round, so that drift hits them alike. With
# CALIBRATE=1, `lapack-ai calibrate` (carried as .devcarry/lapack-ai) measures this machine
# first and auto runs on the measured cost model; the choice and reason of auto at each
# size is logged from LAPACK_AI_VERBOSE. CARRY names the folder of the carried binaries
# (default .devcarry).
set -u
out=${OUT:-/tmp/out}
carry=${CARRY:-.devcarry}
mkdir -p /etc/OpenCL/vendors "$out"
[ -f /etc/OpenCL/vendors/nvidia.icd ] || echo libnvidia-opencl.so.1 > /etc/OpenCL/vendors/nvidia.icd
export LAPACK_AI_DEVICE=nvidia LAPACK_AI_NUM_THREADS=$(nproc)
if [ "${CALIBRATE:-0}" = 1 ]; then
  timeout 120 $carry/lapack-ai calibrate 2>&1 | tee "$out/calibrate.txt"
  timeout 30 $carry/lapack-ai info 2>&1 | tee -a "$out/calibrate.txt"
fi
backends=(${BACKENDS:-cpu auto gpu})
for n in ${SIZES:-16 64 256 384 512 768 1024 1536 2048 4096 8192}; do
  for round in $(seq "${ROUNDS:-1}"); do
    # The order rotates each round, so that no backend always runs right after the same
    # one (a 16-thread CPU run before it may leave the host slower for the next process).
    for i in "${!backends[@]}"; do
      backend=${backends[$(( (i + round - 1) % ${#backends[@]} ))]}
      t=$(LAPACK_AI_BACKEND=$backend timeout ${CALL_TIMEOUT:-60} $carry/blasbench $carry/liblapack_ai.so ${ROUTINE:-dgemm} $n 2>&1 | tail -1)
      echo "${ROUTINE:-dgemm}_ n=$n backend=$backend round=$round $t" | tee -a "$out/router.txt"
    done
  done
  LAPACK_AI_BACKEND=auto LAPACK_AI_VERBOSE=1 BLASBENCH_SAMPLES=1 timeout ${CALL_TIMEOUT:-60} $carry/blasbench $carry/liblapack_ai.so ${ROUTINE:-dgemm} $n 2>&1 \
    | grep -m1 -i "${ROUTINE:-dgemm}" | sed "s/^/auto n=$n: /" >> "$out/router-reasons.txt"
done
