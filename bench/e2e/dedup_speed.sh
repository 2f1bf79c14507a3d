#!/usr/bin/env bash
# Dedup against its physical limits, in one run on one machine:
#   1. speed_of_light (built as its header says) vs copydesk's text -> 128-slot signature
#      (Google Benchmark BM_Signature on the same corpus, one thread, portable Release build);
#   2. `copydesk dedup` end to end on the corpus: wall time, peak RSS (best of 3);
#   3. recall / precision against the generator's ground truth.
# Usage: bench/e2e/dedup_speed.sh [DOCS=100000]   (needs ../shared/bench beside the project)
# Writes bench/results/<date>-<host>/dedup.json and prints ratios.
# Env: COPYDESK_SHARED (default ../shared), BUILD_DIR (default build/bench),
#      RESULTS_DIR (default bench/results/<date>-<host>; bench/run_all.sh sets both).
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-100000}
shared=${COPYDESK_SHARED:-../shared}
build=${BUILD_DIR:-build/bench}
work=${TMPDIR:-/tmp}/copydesk-bench
mkdir -p "$work"
corpus="$work/gen-$docs-seed1"
if [[ ! -f "$corpus/corpus.jsonl" ]]; then
  echo "generating $docs documents..." >&2
  /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$docs" --seed 1 --out "$corpus" --no-txt
fi
gcc -O3 -march=native -o "$work/speed_of_light" "$shared/bench/speed_of_light.c" -lxxhash
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPYDESK_BUILD_BENCHMARKS=ON \
  -DCOPYDESK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target copydesk copydesk_bench_hashing >/dev/null

sol_best=0
cd_best=0
for rep in 1 2 3; do
  sol=$("$work/speed_of_light" "$corpus/corpus.jsonl" 3 | awk -F'\t' '$1=="@@" && $3 ~ /^\(b\)/ {print $6}')
  sig=$(COPYDESK_BENCH_CORPUS="$corpus/corpus.jsonl" "$build/bench/copydesk_bench_hashing" \
          --benchmark_filter='BM_Signature/corpus' --benchmark_min_time=1 --benchmark_format=json |
        /usr/bin/python3 -c 'import json,sys; b=json.load(sys.stdin)["benchmarks"][0]; print(b["bytes_per_second"]/1e6)')
  sol_best=$(/usr/bin/python3 -c "print(max($sol_best, $sol))")
  cd_best=$(/usr/bin/python3 -c "print(max($cd_best, $sig))")
done

best_wall=999999
best_rss=0
for rep in 1 2 3; do
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$build/copydesk" dedup --quiet --format json \
    -j 2 -o "$work/dedup.json" "$corpus/corpus.jsonl"
  read -r wall rss <"$work/time.txt"
  if /usr/bin/python3 -c "import sys; sys.exit(0 if $wall < $best_wall else 1)"; then
    best_wall=$wall
    best_rss=$rss
  fi
done
acc=$(/usr/bin/python3 bench/e2e/dedup_accuracy.py "$corpus/ground_truth.json" "$work/dedup.json")

host=$(hostname -s 2>/dev/null || echo host)
out=${RESULTS_DIR:-bench/results/$(date +%Y-%m-%d)-$host}
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
/usr/bin/python3 - "$out/dedup.json" <<PY
import json, sys
acc = json.loads('''$acc''')
sol, sig = $sol_best, $cd_best
rec = {
  "benchmark": "dedup", "docs": $docs, "cpu": "$cpu", "cores": $(nproc),
  "speed_of_light_b_MBps": round(sol, 1), "copydesk_signature_MBps": round(sig, 1),
  "signature_vs_speed_of_light_b": round(sig / sol, 3), "target_signature_ratio": 0.9,
  "dedup_wall_s": $best_wall, "dedup_peak_rss_MB": round($best_rss / 1024, 1),
  "target_wall_s": 3.0, "target_rss_MB": 600,
  "accuracy": acc,
}
rec["met"] = {
  "signature_ratio": rec["signature_vs_speed_of_light_b"] >= 0.9,
  "wall": rec["dedup_wall_s"] <= 3.0,
  "rss": rec["dedup_peak_rss_MB"] <= 600,
  "recall": (acc["recall"] or 0) >= 0.99,
  "precision": (acc["precision"] or 0) >= 0.99,
}
json.dump(rec, open(sys.argv[1], "w"), indent=2)
print(json.dumps(rec, indent=2))
PY
