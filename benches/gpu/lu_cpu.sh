#!/usr/bin/env bash
# The CPU LU and Cholesky on all cores of the lent machine: lapackbench dgetrf, dgesv and
# dpotrf (median of 7 samples each) with LAPACK_AI_BACKEND=cpu against pip NumPy's OpenBLAS
# (its ILP64 scipy_*_64_ names through ilp64_shim.so) and Debian's libopenblas when there,
# alternating ROUNDS times (default 3). CARRY names the folder holding liblapack_ai.so,
# lapackbench and ilp64_shim.so (default .devcarry).
set -u
out=${OUT:-/tmp/out}
carry=${CARRY:-.devcarry}
mkdir -p "$out"
threads=${THREADS:-$(nproc)}
ob=$(python3 -c "import numpy, glob, os; print(sorted(glob.glob(os.path.join(os.path.dirname(numpy.__file__), '..', 'numpy.libs', '*openblas*')))[0])")
debian=$(ls /usr/lib/x86_64-linux-gnu/libopenblas.so.0 2>/dev/null)
echo "threads=$threads pip-openblas=$ob debian-openblas=${debian:-none}" | tee -a "$out/lu.txt"
export LAPACK_AI_BACKEND=cpu LAPACK_AI_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads ILP64_LIB=$ob
for n in ${SIZES:-1024 2048 4096}; do
  for r in ${ROUTINES:-dgetrf dgesv dpotrf}; do
    for round in $(seq "${ROUNDS:-3}"); do
      echo "$r n=$n round=$round openblas $(timeout 60 $carry/lapackbench $carry/ilp64_shim.so $r $n 2>&1 | tail -1)" | tee -a "$out/lu.txt"
      [ -n "$debian" ] && echo "$r n=$n round=$round debian-openblas $(timeout 60 $carry/lapackbench $debian $r $n 2>&1 | tail -1)" | tee -a "$out/lu.txt"
      echo "$r n=$n round=$round ours $(timeout 60 $carry/lapackbench $carry/liblapack_ai.so $r $n 2>&1 | tail -1)" | tee -a "$out/lu.txt"
    done
  done
done
