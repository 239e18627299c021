#!/usr/bin/env bash
# Installs what building and testing liblapack_ai needs on Debian/Ubuntu (idempotent).
# Rust comes from rustup when cargo is missing.
set -euo pipefail
packages=(
  build-essential gfortran pkg-config cmake            # C/Fortran link tests, pkg-config, CMake
  libblas3 liblapack3 liblapacke liblapacke-dev        # reference providers for forwarded names
  libblas-dev liblapack-dev                            # cblas.h / lapacke.h for the C link test
  libblas-test liblapack-test                          # the Netlib test programs
  libopenblas0-pthread                                 # the benchmark baseline
  python3-numpy python3-scipy python3-pytest python3-hypothesis   # NumPy/SciPy and their suites
  python3-venv python3-pip                             # the pip-wheel suites' venv (python-suites/wheels.sh)
  pocl-opencl-icd ocl-icd-opencl-dev clinfo            # OpenCL on the CPU for the GPU-path tests
  chromium python3-pil                                 # the dashboard/report tests: headless browser, screenshot checks
  octave r-base-core                                   # Octave's and R's linear algebra on the library (apps/)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
  echo "install-deps: installing Rust with rustup"
  $sudo apt-get install -y -q curl ca-certificates
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
