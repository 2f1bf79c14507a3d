#!/usr/bin/env bash
# Installs what is missing, builds copydesk (Release, warnings as errors) and runs every test:
# unit, CLI end-to-end, fuzz-replay, the Python module's pytest suite (built for Debian's
# /usr/bin/python3) and dedup under mpirun (label mpi, oversubscribed). The README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCOPYDESK_WERROR=ON -DCOPYDESK_PYTHON=ON >/dev/null
cmake --build build/release -j"$jobs"
ctest --test-dir build/release -L "unit|cli|fuzz|python|mpi" --output-on-failure -j"$jobs"
