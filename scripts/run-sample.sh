#!/usr/bin/env bash
# Installs what is missing, builds copydesk and runs the main job on the project's own sample
# newsroom corpus (corpora/newsroom). The README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$jobs" --target copydesk
./build/release/copydesk dedup corpora/newsroom
