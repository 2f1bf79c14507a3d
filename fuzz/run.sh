#!/usr/bin/env bash
# Builds every fuzz entry point with clang 14, libFuzzer and ASan/UBSan (the library is
# instrumented too), runs each for SECONDS (default 600) from its fuzz/corpus/<entry>/ seeds, one
# fuzzer process at a time, merges the inputs that add edges back into fuzz/corpus/<entry>/
# (-merge=1 -use_counters=0: existing files stay, and hit counts alone do not keep a file, so the
# committed corpora stay small enough for the replay tests) and appends executions, coverage, corpus sizes and findings to
# fuzz/results/<date>.md. Crash inputs are kept, minimised, in fuzz/results/crashes/.
#
# usage: fuzz/run.sh [SECONDS] [ENTRY...]     (ENTRY: corpus_reader, gold, ...; default all)
# env:   COPYDESK_FUZZ_BUILD   build directory (default build/fuzz)
#        COPYDESK_FUZZ_MAX_LEN longest input in bytes (default 4096)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: fuzz/run.sh [SECONDS] [ENTRY...]" >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
build=${COPYDESK_FUZZ_BUILD:-build/fuzz}
max_len=${COPYDESK_FUZZ_MAX_LEN:-4096}

entries=("$@")
if ((${#entries[@]} == 0)); then
  for src in fuzz/fuzz_*.cpp; do
    name=$(basename "$src" .cpp)
    entries+=("${name#fuzz_}")
  done
fi
targets=()
for e in "${entries[@]}"; do
  [[ -f fuzz/fuzz_$e.cpp ]] || { echo "fuzz/run.sh: no entry point fuzz/fuzz_$e.cpp" >&2; exit 2; }
  targets+=("fuzz_$e")
done

CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOPYDESK_BUILD_FUZZERS=ON >/dev/null
cmake --build "$build" --target "${targets[@]}" -j2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p fuzz/results/crashes
record=fuzz/results/$(date -u +%F).md
if [[ ! -f $record ]]; then
  printf '# Fuzzing record %s\n' "$(date -u +%F)" >"$record"
fi
{
  printf '\n## Run of %s UTC: %s s per entry, max_len %s\n\n' "$(date -u +%H:%M)" "$seconds" "$max_len"
  printf 'Commit %s, %s, %s cores, load average at start %s.\n' \
    "$(git rev-parse --short HEAD)" "$(clang++-14 --version | head -1)" "$(nproc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'Executions and coverage are libFuzzer'"'"'s final stats (cov: edges, ft: features).\n\n'
  printf '| entry | seconds run | executions | exec/s | cov | ft | corpus files before → after | findings |\n'
  printf '|---|---|---|---|---|---|---|---|\n'
} >>"$record"

for e in "${entries[@]}"; do
  bin=$build/fuzz/fuzz_$e
  corpus=fuzz/corpus/$e
  mkdir -p "$corpus" "$work/$e/grown" "$work/$e/crash"
  before=$(find "$corpus" -type f | wc -l)
  log=$work/$e/fuzz.log
  echo "== fuzz_$e: ${seconds}s"
  rc=0
  started=$SECONDS
  "$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=25 -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$work/$e/crash/" "$work/$e/grown" "$corpus" \
    >"$log" 2>&1 || rc=$?
  ran=$((SECONDS - started))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  findings=none
  if ((rc != 0)); then
    findings="exit $rc"
    for crash in "$work/$e/crash"/*; do
      [[ -f $crash ]] || continue
      kept=fuzz/results/crashes/$e-$(basename "$crash")
      "$bin" -minimize_crash=1 -max_total_time=60 -exact_artifact_path="$kept" "$crash" \
        >"$work/$e/minimize.log" 2>&1 || true
      [[ -f $kept ]] || cp "$crash" "$kept"
      what=$(grep -m1 -E 'ERROR: |SUMMARY: |deadly signal' "$log" | sed 's/^==[0-9]*== *//' || true)
      frame=$(grep -m1 -oE ' in copydesk::[^(]*' "$log" || true)
      findings="${what}${frame:+,$frame}; reproducer $kept ($(wc -c <"$kept") bytes)"
      # The log without progress lines and without absolute paths of this checkout or scratch.
      grep -v -E "^#[0-9]+" "$log" | sed -e "s|$PWD/||g" -e "s|$work/|<scratch>/|g" >"$kept.log" || true
    done
  fi
  "$bin" -merge=1 -use_counters=0 -max_len="$max_len" -timeout=25 -rss_limit_mb=2560 "$corpus" "$work/$e/grown" \
    >"$work/$e/merge.log" 2>&1 || echo "fuzz_$e: merge failed (see above)" >&2
  after=$(find "$corpus" -type f | wc -l)
  if ((after > 200)); then
    # Still large: keep the named seeds and reproducers, and of the merged (SHA-1 named) inputs
    # only a greedy set cover of their edges.
    mkdir -p "$work/$e/cover"
    find "$corpus" -regextype posix-extended -type f ! -regex '.*/[0-9a-f]{40}' -exec cp {} "$work/$e/cover/" \;
    "$bin" -set_cover_merge=1 -use_counters=0 -max_len="$max_len" -timeout=25 \
      -rss_limit_mb=2560 "$work/$e/cover" "$corpus" >"$work/$e/cover.log" 2>&1 &&
      find "$corpus" -regextype posix-extended -type f -regex '.*/[0-9a-f]{40}' -delete &&
      cp "$work/$e/cover"/* "$corpus/"
    after=$(find "$corpus" -type f | wc -l)
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s → %s | %s |\n' "$e" "$ran" "${execs:-?}" \
    "${rate:-?}" "${cov:-?}" "${ft:-?}" "$before" "$after" "$findings" >>"$record"
  echo "   executions ${execs:-?}, cov ${cov:-?}, ft ${ft:-?}, corpus $before -> $after, $findings"
done
echo "fuzz/run.sh: record in $record"
