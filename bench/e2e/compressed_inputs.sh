#!/usr/bin/env bash
# `copydesk dedup` on the same corpus as plain JSONL, .jsonl.gz and .jsonl.zst, in one hyperfine
# run (issue 14): the cost of reading compressed inputs, as ratios to the plain file's wall time.
#   1. corpus: ../shared/bench/gen_corpus.py --docs DOCS --seed 1 --no-txt (corpus.jsonl), then
#      gzip -6 and zstd -3 copies of it (the tools' defaults);
#   2. hyperfine, alternating the three inputs (warm-up 1, RUNS runs each), -j 2;
#   3. the outputs of the three must be identical (same pairs, clusters, documents).
# Targets: zst wall <= 1.15x plain, gz wall <= 1.5x plain.
# Usage: bench/e2e/compressed_inputs.sh [DOCS=100000] [RUNS=5]
# Env: COPYDESK_SHARED (default ../shared), BUILD_DIR (default build/release; built if missing),
#      RESULTS_DIR (default bench/results/<date>-<host>).
# Writes RESULTS_DIR/compressed_inputs.json (hyperfine's summary, sizes, ratios, load average)
# and prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-100000}
runs=${2:-5}
shared=${COPYDESK_SHARED:-../shared}
build=${BUILD_DIR:-build/release}
work=${TMPDIR:-/tmp}/copydesk-bench
corpus="$work/gen-$docs-seed1"
export LC_ALL=C
mkdir -p "$work"
for tool in hyperfine gzip zstd; do
  command -v "$tool" >/dev/null || {
    echo "compressed_inputs.sh: needs $tool (COPYDESK_SETUP_EXTRAS=bench scripts/setup-debian.sh)" >&2
    exit 2
  }
done

if [[ ! -f "$corpus/corpus.jsonl" ]]; then
  echo "generating $docs documents..." >&2
  /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$docs" --seed 1 --out "$corpus" --no-txt
fi
[[ -f "$corpus/corpus.jsonl.gz" ]] || gzip -6 -n -k -c "$corpus/corpus.jsonl" >"$corpus/corpus.jsonl.gz"
[[ -f "$corpus/corpus.jsonl.zst" ]] || zstd -q -3 -c "$corpus/corpus.jsonl" >"$corpus/corpus.jsonl.zst"
if [[ ! -x "$build/copydesk" ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target copydesk >/dev/null
fi
bin="$build/copydesk"
run=$(mktemp -d "$work/compressed-run.XXXXXX")
trap 'rm -rf "$run"' EXIT
cat "$corpus"/corpus.jsonl* >/dev/null # warm the page cache

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
hyperfine --warmup 1 --runs "$runs" --export-json "$run/hyperfine.json" \
  -n plain "$bin dedup -q -j 2 --format json -o $run/plain.json $corpus/corpus.jsonl" \
  -n gz "$bin dedup -q -j 2 --format json -o $run/gz.json $corpus/corpus.jsonl.gz" \
  -n zst "$bin dedup -q -j 2 --format json -o $run/zst.json $corpus/corpus.jsonl.zst" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
for f in gz zst; do
  cmp -s "$run/plain.json" "$run/$f.json" || {
    echo "compressed_inputs.sh: the $f output differs from the plain one" >&2
    exit 1
  }
done

host=$(hostname -s 2>/dev/null || echo host)
out=${RESULTS_DIR:-bench/results/$(date +%Y-%m-%d)-$host}
mkdir -p "$out"
/usr/bin/python3 - "$run/hyperfine.json" "$out/compressed_inputs.json" "$corpus" "$docs" \
  "$load_before" "$load_after" "$(git rev-parse --short HEAD)" "$(nproc)" <<'PY'
import json, os, sys
hf, dest, corpus, docs, load_before, load_after, commit, cores = sys.argv[1:]
res = {r["command"]: r for r in json.load(open(hf))["results"]}
size = lambda ext: os.path.getsize(os.path.join(corpus, "corpus.jsonl" + ext))
plain = res["plain"]["mean"]
rec = {
    "benchmark": "compressed_inputs", "docs": int(docs), "commit": commit, "cores": int(cores),
    "load_average_before": load_before, "load_average_after": load_after,
    "sizes_MB": {"plain": size("") / 1e6, "gz": size(".gz") / 1e6, "zst": size(".zst") / 1e6},
    "wall_s": {k: {"mean": r["mean"], "stddev": r["stddev"], "min": r["min"], "runs": len(r["times"])}
               for k, r in res.items()},
    "ratio_to_plain": {"gz": res["gz"]["mean"] / plain, "zst": res["zst"]["mean"] / plain},
    "targets": {"gz": 1.5, "zst": 1.15},
}
rec["met"] = {k: rec["ratio_to_plain"][k] <= rec["targets"][k] for k in ("gz", "zst")}
json.dump(rec, open(dest, "w"), indent=2)
print(f"| input | size MB | wall s (mean ± sd, {rec['wall_s']['plain']['runs']} runs) | x plain | target |")
print("|---|---|---|---|---|")
for k in ("plain", "gz", "zst"):
    w = rec["wall_s"][k]
    ratio = 1.0 if k == "plain" else rec["ratio_to_plain"][k]
    target = "" if k == "plain" else f"<= {rec['targets'][k]} ({'met' if rec['met'][k] else 'not met'})"
    print(f"| {k} | {rec['sizes_MB'][k]:.1f} | {w['mean']:.2f} ± {w['stddev']:.2f} | {ratio:.3f} | {target} |")
print(f"\nload average before {load_before}, after {load_after} ({cores} cores); commit {commit}")
PY
