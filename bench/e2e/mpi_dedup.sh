#!/usr/bin/env bash
# issue 12: dedup over MPI ranks against one process, on a generated corpus (1,000,000 documents,
# ~3.5 GB JSONL, by default):
#   1. one process, 2 threads: wall time and peak RSS;
#   2. `mpirun -np 2` and `-np 8 --oversubscribe`, 1 thread per rank: wall time, each rank's
#      peak RSS (GNU time around every rank), bytes exchanged per document (-v);
#   3. every distributed output byte-identical to the single process's, and recall / precision
#      of the single process's pairs against the generator's ground truth.
# Long and heavy: run it on a quiet machine only.
# Usage: bench/e2e/mpi_dedup.sh [DOCS=1000000] [RANKS="2 8"]
# Writes bench/results/<date>-<host>/mpi_dedup.json.
# Env: COPYDESK_SHARED (default ../shared), BUILD_DIR (default build/bench-mpi), RESULTS_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-1000000}
ranks=${2:-"2 8"}
shared=${COPYDESK_SHARED:-../shared}
build=${BUILD_DIR:-build/bench-mpi}
work=${TMPDIR:-/tmp}/copydesk-bench
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
corpus="$work/gen-$docs-seed1"
if [[ ! -f "$corpus/corpus.jsonl" ]]; then
  echo "generating $docs documents..." >&2
  /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$docs" --seed 1 --out "$corpus" --no-txt
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPYDESK_MPI=ON -DCOPYDESK_BUILD_TESTS=OFF \
  >/dev/null
cmake --build "$build" -j"$(nproc)" --target copydesk >/dev/null

/usr/bin/time -f '%e %M' -o "$work/time-1.txt" "$build/copydesk" dedup --quiet --format json \
  -j 2 -o "$work/mpi-1.json" "$corpus/corpus.jsonl"
read -r wall1 rss1 <"$work/time-1.txt"
acc=$(/usr/bin/python3 bench/e2e/dedup_accuracy.py "$corpus/ground_truth.json" "$work/mpi-1.json")

: >"$work/mpi-runs.tsv"
for n in $ranks; do
  rm -f "$work"/rank-rss-*.txt
  start=$(date +%s.%N)
  # GNU time around each rank, writing to a file named by the rank mpirun gives it.
  mpirun --oversubscribe -np "$n" bash -c \
    '/usr/bin/time -f %M -o "$0/rank-rss-$OMPI_COMM_WORLD_RANK.txt" "$@"' "$work" \
    "$build/copydesk" dedup --quiet -v --format json -j 1 -o "$work/mpi-$n.json" \
    "$corpus/corpus.jsonl" 2>"$work/mpi-$n.err" || true
  end=$(date +%s.%N)
  exchanged=$(grep -o '([0-9.]* per document)' "$work/mpi-$n.err" | tr -dc '0-9.' || echo 0)
  identical=$(cmp -s "$work/mpi-1.json" "$work/mpi-$n.json" && echo true || echo false)
  rss=$(cat "$work"/rank-rss-*.txt 2>/dev/null | sort -n | tail -1)
  printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$(/usr/bin/python3 -c "print(round($end - $start, 2))")" \
    "${rss:-0}" "${exchanged:-0}" "$identical" >>"$work/mpi-runs.tsv"
done

host=$(hostname -s 2>/dev/null || echo host)
out=${RESULTS_DIR:-bench/results/$(date +%Y-%m-%d)-$host}
mkdir -p "$out"
/usr/bin/python3 - "$out/mpi_dedup.json" <<PY
import json, sys
runs = []
for line in open("$work/mpi-runs.tsv"):
    n, wall, rss, exchanged, identical = line.rstrip("\n").split("\t")
    runs.append({"ranks": int(n), "wall_s": float(wall), "max_rank_rss_kb": int(rss or 0),
                 "bytes_exchanged_per_doc": float(exchanged or 0), "identical": identical == "true"})
single = {"threads": 2, "wall_s": $wall1, "rss_kb": $rss1}
for r in runs:
    r["rss_share_of_single"] = round(r["max_rank_rss_kb"] / single["rss_kb"], 3)
    r["wall_vs_single"] = round(r["wall_s"] / single["wall_s"], 3)
rec = {"docs": $docs, "single": single, "mpi": runs, "accuracy": json.loads('''$acc''')}
json.dump(rec, open(sys.argv[1], "w"), indent=2)
print(json.dumps(rec, indent=2))
PY
