#!/usr/bin/env bash
# `copydesk dedup` on the same corpus as plain JSONL, .jsonl.gz and .jsonl.zst, in one hyperfine
# run (issue 14): the cost of reading compressed inputs, as ratios to the plain file's wall time.
#   1. corpus: ../shared/bench/gen_corpus.py --docs DOCS --seed 1 --no-txt (corpus.jsonl), then
#      gzip -6 and zstd -3 copies of it (the tools' defaults);
#   2. ROUNDS rounds of hyperfine over the three inputs, one run each per round (a warm-up round
#      first), -j 2: interleaved, so a change in the machine's load hits all three alike;
#   3. the outputs of the three must be identical (same pairs, clusters, documents).
# The headline ratio is the median over rounds of (input's wall / plain's wall in that round);
# the ratio of the means and of the best runs are recorded too.
# Targets: zst wall <= 1.15x plain, gz wall <= 1.5x plain.
# Usage: bench/e2e/compressed_inputs.sh [DOCS=100000] [ROUNDS=5]
# Env: COPYDESK_SHARED (default ../shared), BUILD_DIR (default build/release; built if missing),
#      RESULTS_DIR (default bench/results/<date>-<host>).
# Writes RESULTS_DIR/compressed_inputs.json (hyperfine's summary, sizes, ratios, load average)
# and prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-100000}
rounds=${2:-5}
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
for round in $(seq 0 "$rounds"); do # round 0: warm-up, not counted
  hyperfine --runs 1 --export-json "$run/round-$round.json" \
    -n plain "$bin dedup -q -j 2 --format json -o $run/plain.json $corpus/corpus.jsonl" \
    -n gz "$bin dedup -q -j 2 --format json -o $run/gz.json $corpus/corpus.jsonl.gz" \
    -n zst "$bin dedup -q -j 2 --format json -o $run/zst.json $corpus/corpus.jsonl.zst" >&2
done
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
/usr/bin/python3 - "$run" "$rounds" "$out/compressed_inputs.json" "$corpus" "$docs" \
  "$load_before" "$load_after" "$(git rev-parse --short HEAD)" "$(nproc)" <<'PY'
import json, os, statistics, sys
run, rounds, dest, corpus, docs, load_before, load_after, commit, cores = sys.argv[1:]
kinds = ("plain", "gz", "zst")
times = {k: [] for k in kinds}
cpu = {k: [] for k in kinds}  # user + system seconds: what load does not change much
for i in range(1, int(rounds) + 1):
    for r in json.load(open(os.path.join(run, f"round-{i}.json")))["results"]:
        times[r["command"]].append(r["times"][0])
        cpu[r["command"]].append(r["user"] + r["system"])
size = lambda ext: os.path.getsize(os.path.join(corpus, "corpus.jsonl" + ext))
paired = {k: [t / p for t, p in zip(times[k], times["plain"])] for k in ("gz", "zst")}
rec = {
    "benchmark": "compressed_inputs", "docs": int(docs), "commit": commit, "cores": int(cores),
    "load_average_before": load_before, "load_average_after": load_after,
    "sizes_MB": {k: size({"plain": "", "gz": ".gz", "zst": ".zst"}[k]) / 1e6 for k in kinds},
    "wall_s": {k: {"median": statistics.median(v), "mean": statistics.mean(v), "min": min(v),
                   "max": max(v), "runs": v} for k, v in times.items()},
    "ratio_to_plain": {k: statistics.median(v) for k, v in paired.items()},
    "ratio_of_means": {k: statistics.mean(times[k]) / statistics.mean(times["plain"])
                       for k in ("gz", "zst")},
    "ratio_of_best": {k: min(times[k]) / min(times["plain"]) for k in ("gz", "zst")},
    "cpu_s": {k: {"median": statistics.median(v), "runs": v} for k, v in cpu.items()},
    "cpu_ratio_to_plain": {k: statistics.median(cpu[k]) / statistics.median(cpu["plain"])
                           for k in ("gz", "zst")},
    "targets": {"gz": 1.5, "zst": 1.15},
}
rec["met"] = {k: rec["ratio_to_plain"][k] <= rec["targets"][k] for k in ("gz", "zst")}
json.dump(rec, open(dest, "w"), indent=2)
n = len(times["plain"])
print(f"| input | size MB | wall s: median (min-max), {n} rounds | x plain: median of rounds | of means | of best | target |")
print("|---|---|---|---|---|---|---|")
for k in kinds:
    w = rec["wall_s"][k]
    cells = ["1", "1", "1", ""] if k == "plain" else [
        f"{rec['ratio_to_plain'][k]:.3f}", f"{rec['ratio_of_means'][k]:.3f}",
        f"{rec['ratio_of_best'][k]:.3f}",
        f"<= {rec['targets'][k]} ({'met' if rec['met'][k] else 'not met'})"]
    print(f"| {k} | {rec['sizes_MB'][k]:.1f} | {w['median']:.2f} ({w['min']:.2f}-{w['max']:.2f}) | " +
          " | ".join(cells) + " |")
print("\nCPU (user + system, median): " + ", ".join(
    f"{k} {rec['cpu_s'][k]['median']:.2f} s" + ("" if k == "plain" else
    f" ({rec['cpu_ratio_to_plain'][k]:.3f}x)") for k in kinds))
print(f"\nload average before {load_before}, after {load_after} ({cores} cores); commit {commit}")
PY
