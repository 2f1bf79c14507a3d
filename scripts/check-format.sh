#!/usr/bin/env bash
# Fails if a tracked C++ source is not clang-formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format)
git ls-files '*.cpp' '*.hpp' '*.h' | xargs -r "$fmt" --dry-run -Werror
