#!/usr/bin/env bash
# Installs what is missing, builds copydesk and runs the main job on the project's own sample
# newsroom corpus (corpora/newsroom): `copydesk report`, a summary on the terminal and the whole
# report as one self-contained page, report.html. The README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$jobs" --target copydesk
./build/release/copydesk report corpora/newsroom --html report.html
echo
echo "The full report is in $PWD/report.html (one self-contained file: open it in any browser)."
