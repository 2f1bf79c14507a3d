#!/usr/bin/env bash
# Runs clang-tidy (the root .clang-tidy) on the .cpp files changed since this branch left main
# (`git merge-base HEAD origin/main`, else `main`; on main itself, or without either, HEAD~1: the
# last commit's files), against BUILD/compile_commands.json; fails on any warning. Only changed
# files are checked, so it stays quick. Installs clang-tidy-14 with apt-get when missing.
# Usage: scripts/check-tidy.sh [BUILD] [FILE.cpp...]   (files given: those instead of the change)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
shift || true

tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [[ -z "$tidy" ]]; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "check-tidy: installing clang-tidy-14" >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    $sudo apt-get install -y -qq --no-install-recommends clang-tidy-14 >/dev/null
  tidy=$(command -v clang-tidy-14)
fi
if [[ ! -s "$build/compile_commands.json" ]]; then
  echo "check-tidy: $build/compile_commands.json missing: configure $build first" >&2
  exit 2
fi

if (($# > 0)); then
  files=("$@")
else
  base=""
  for ref in origin/main main; do
    if b=$(git merge-base HEAD "$ref" 2>/dev/null) && [[ "$b" != "$(git rev-parse HEAD)" ]]; then
      base=$b
      break
    fi
  done
  if [[ -z "$base" ]]; then
    base=$(git rev-parse -q --verify HEAD~1 || true)
  fi
  if [[ -z "$base" ]]; then
    echo "check-tidy: no base revision (a single commit or a shallow clone): nothing to check"
    exit 0
  fi
  mapfile -t files < <(git diff --name-only --diff-filter=d "$base" -- '*.cpp' |
    grep -E '^(src|tests|fuzz|bench|examples)/' || true)
fi
# Only files the build compiles (bench/ and examples/ are in other builds).
checked=()
for f in "${files[@]}"; do
  if grep -qF "\"file\": \"$PWD/$f\"" "$build/compile_commands.json"; then
    checked+=("$f")
  fi
done
if ((${#checked[@]} == 0)); then
  echo "check-tidy: no changed .cpp file in $build/compile_commands.json"
  exit 0
fi
echo "check-tidy: ${#checked[@]} file(s) against ${base:-the given list}"
# GCC-only warning flags in the database are not clang-tidy's concern.
printf '%s\n' "${checked[@]}" |
  xargs -P 2 -n 1 "$tidy" -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option
echo "check-tidy: no warnings"
