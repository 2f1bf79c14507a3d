#!/usr/bin/env bash
# Builds the ~2.2 GB, 600,000-document JSONL corpus of the memory measurements
# (bench/results/2026-12-02-vm/memory.md): the generator keeps a whole corpus in memory
# (> 19 GB at 600k), so six 100k corpora with different seeds are generated one at a time and
# joined, each id prefixed with its part ("s1-d0000000", ...) so ids stay unique.
# Usage: bench/make_2gb_corpus.sh [OUT_DIR] (default ${TMPDIR:-/tmp}/copydesk-2gb)
#        COPYDESK_SHARED points at the shared folder with bench/gen_corpus.py (default ../shared).
#        JOBS=N generates N parts at a time (default 1; each needs ~3 GB of memory).
# Writes OUT_DIR/corpus.jsonl; the parts stay in OUT_DIR/part<N>/ and are reused.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${COPYDESK_SHARED:-$here/../shared}
out=${1:-${TMPDIR:-/tmp}/copydesk-2gb}
jobs=${JOBS:-1}
gen=$shared/bench/gen_corpus.py
[ -f "$gen" ] || { echo "make_2gb_corpus.sh: $gen not found (set COPYDESK_SHARED)" >&2; exit 2; }
mkdir -p "$out"

make_part() {
  local s=$1
  if [ ! -s "$out/part$s/corpus.jsonl" ]; then
    # Into a temporary folder first, so a stopped run never leaves a part that looks complete.
    rm -rf "$out/part$s.tmp"
    python3 "$gen" --docs 100000 --seed "$s" --out "$out/part$s.tmp" --no-txt --no-jaccard >/dev/null
    rm -rf "$out/part$s"
    mv "$out/part$s.tmp" "$out/part$s"
  fi
}

running=0
for s in 1 2 3 4 5 6; do
  make_part "$s" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

: >"$out/corpus.jsonl.tmp"
for s in 1 2 3 4 5 6; do
  # Every line starts with {"id": "d...", as the generator writes it.
  sed "s/^{\"id\": \"/{\"id\": \"s$s-/" "$out/part$s/corpus.jsonl" >>"$out/corpus.jsonl.tmp"
done
mv "$out/corpus.jsonl.tmp" "$out/corpus.jsonl"
wc -lc "$out/corpus.jsonl"
