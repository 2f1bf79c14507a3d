#!/usr/bin/env bash
# Two builds of copydesk side by side in one run: each command on the same corpus, the two
# binaries alternating (hyperfine -N --warmup 1), so drift in the machine's load hits both alike.
# Prints a markdown table of mean ± sd per binary and the NEW/OLD ratio; with -o FILE also
# writes it there. Output bytes are not compared here: scripts/compare-outputs.sh does that.
# Usage: bench/before_after.sh OLD_BINARY NEW_BINARY CORPUS.jsonl [RUNS=5] [-o FILE]
#   CORPUS: a JSONL corpus (gen_corpus.py writes corpus.jsonl); its first record is the borrow
#   reference. Commands: dedup -j1 / -j2, stories -j2, report -j2 (JSON and table), borrow -r
#   FIRST -j2 (output to /dev/null). Needs hyperfine (scripts/setup-debian.sh with COPYDESK_SETUP_EXTRAS=bench).
set -euo pipefail
old=$1
new=$2
corpus=$3
runs=${4:-5}
outfile=""
if [[ "${5:-}" == "-o" ]]; then
  outfile=$6
fi
command -v hyperfine >/dev/null || { echo "before_after: hyperfine is missing" >&2; exit 2; }
export LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -1 "$corpus" >"$work/first.jsonl"

commands=(
  "dedup --format json -j1 $corpus"
  "dedup --format json -j2 $corpus"
  "stories --format json -j2 $corpus"
  "report --format json -j2 $corpus"
  "report -j2 $corpus"
  "borrow -r $work/first.jsonl --format json -j2 $corpus"
)
table="| command (output to /dev/null) | before | after | after/before |
|---|---|---|---|"
for c in "${commands[@]}"; do
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/h.json" \
    --output=null "$old $c" "$new $c" >/dev/null 2>&1 ||
    { echo "before_after: hyperfine failed on: $c" >&2; exit 1; }
  row=$(/usr/bin/python3 - "$work/h.json" "$c" "$corpus" "$work/first.jsonl" <<'PY'
import json, math, sys
res = json.load(open(sys.argv[1]))["results"]
name = sys.argv[2].replace(sys.argv[3], "CORPUS").replace(sys.argv[4], "FIRST")
(a, b) = res
ra = b["mean"] / a["mean"]
# ratio's sd from both relative sds
sd = ra * math.sqrt((a["stddev"] / a["mean"]) ** 2 + (b["stddev"] / b["mean"]) ** 2)
def fmt(r):
    m, s = r["mean"], r["stddev"]
    return f"{m*1000:.0f} ms ± {s*1000:.0f}" if m < 1 else f"{m:.3f} s ± {s:.3f}"
print(f"| `{name}` | {fmt(a)} | {fmt(b)} | {ra:.2f} ± {sd:.2f} |")
PY
)
  table+=$'\n'"$row"
done
echo "$table"
if [[ -n "$outfile" ]]; then
  echo "$table" >"$outfile"
fi
