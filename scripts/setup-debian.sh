#!/usr/bin/env bash
# Installs the Debian 12 packages copydesk needs to build, test and benchmark (only the missing
# ones). Runs apt-get as root, or through sudo when available. The Python module (python/) is
# built and tested for Debian's own /usr/bin/python3: pybind11-dev, python3-dev, python3-pytest,
# and python3-dask for its example and test. OpenMPI (libopenmpi-dev, openmpi-bin) for
# `mpirun -np N copydesk dedup` and its tests (docs/SCALE.md).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git python3
  libeigen3-dev libxxhash-dev libcli11-dev libicu-dev libsimdjson-dev nlohmann-json3-dev
  libsqlite3-dev libzstd-dev libgumbo-dev zlib1g-dev libcpp-httplib-dev
  libfmt-dev libtbb-dev libgtest-dev libgmock-dev libbenchmark-dev clang-format
  pybind11-dev python3-dev python3-pytest python3-dask
  libopenmpi-dev openmpi-bin
)
if [[ "${COPYDESK_SETUP_EXTRAS:-}" == *bench* ]]; then
  packages+=(hyperfine python3-sklearn libxxhash-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
