#!/usr/bin/env bash
# `copydesk borrow` end to end: 10,000 copies of ~600 words against one reference, 2 threads.
#   1. corpus: ../shared/bench/gen_corpus.py makes news-like documents (400-800 words); a small
#      script below picks one as the reference and plants lightly edited passages of it in every
#      tenth copy (1-3 paragraphs) and the whole reference, lightly edited, in every hundredth;
#   2. wall time and peak RSS of `copydesk borrow -j 2` (best of 5; table and JSON output);
#   3. the Google Benchmark suite bench_borrow (copy bytes/s vs 1 and vs 100 references);
#   4. how many planted copies were found (borrowed > 0) and their borrowed share.
# Usage: bench/e2e/borrow_speed.sh [COPIES=10000]
# Env: COPYDESK_SHARED (default ../shared), BUILD_DIR (default build/bench-borrow),
#      RESULTS_DIR (default bench/results/<date>-<host>).
# Writes bench/results/<date>-<host>/borrow.json (no machine paths inside) and prints it.
set -euo pipefail
cd "$(dirname "$0")/../.."
copies=${1:-10000}
shared=${COPYDESK_SHARED:-../shared}
build=${BUILD_DIR:-build/bench-borrow}
work=${TMPDIR:-/tmp}/copydesk-bench
corpus="$work/borrow-$copies-seed1"
export LC_ALL=C

if [[ ! -f "$corpus/ref.txt" ]]; then
  echo "generating $copies documents..." >&2
  mkdir -p "$work"
  rm -rf "$corpus" "$corpus.gen"
  # one more document than copies: it becomes the reference
  /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$((copies + 1))" --seed 1 --out "$corpus.gen"
  /usr/bin/python3 - "$corpus.gen" "$corpus" <<'PY'
import json, os, random, sys
src, out = sys.argv[1], sys.argv[2]
rng = random.Random(1)
docs = [json.loads(l) for l in open(os.path.join(src, "corpus.jsonl"))]
truth = json.load(open(os.path.join(src, "ground_truth.json")))["docs"]
# The reference: the first original story (a fresh text, not a copy of anything).
ref = next(d for d in docs if truth[d["id"]]["kind"] == "original")
ref_paras = [p for p in ref["text"].split("\n\n") if len(p.split()) >= 20]
words = [w for d in docs[:200] for w in d["text"].split()]
def edit(text, rate):
    ws = text.split()
    return " ".join(rng.choice(words) if rng.random() < rate else w for w in ws)
os.makedirs(os.path.join(out, "copies"))
planted = {}
for i, d in enumerate(d for d in docs if d["id"] != ref["id"]):
    paras = d["text"].split("\n\n")
    kind = "none"
    if i % 100 == 0:
        paras = [edit(p, 0.03) for p in ref["text"].split("\n\n")]
        kind = "whole"
    elif i % 10 == 0:
        for _ in range(rng.randint(1, 3)):
            paras.insert(rng.randrange(len(paras) + 1), edit(rng.choice(ref_paras), 0.05))
        kind = "passages"
    name = "c%05d.txt" % i
    planted[name] = kind
    with open(os.path.join(out, "copies", name), "w") as f:
        f.write("\n\n".join(paras) + "\n")
with open(os.path.join(out, "ref.txt"), "w") as f:
    f.write(ref["text"] + "\n")
json.dump(planted, open(os.path.join(out, "planted.json"), "w"))
PY
  rm -rf "$corpus.gen"
fi

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPYDESK_BUILD_BENCHMARKS=ON \
  -DCOPYDESK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target copydesk copydesk_bench_borrow >/dev/null
bin="$(cd "$build" && pwd)/copydesk"

# Best of 5 (wall seconds, peak RSS KiB) for one command line.
best_of_5() {
  local best_wall=999999 best_rss=0 wall rss
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@"
    read -r wall rss <"$work/time.txt"
    if /usr/bin/python3 -c "import sys; sys.exit(0 if $wall < $best_wall else 1)"; then
      best_wall=$wall
      best_rss=$rss
    fi
  done
  echo "$best_wall $best_rss"
}
(cd "$corpus" && best_of_5 "$bin" borrow -j 2 --quiet -r ref.txt copies -o "$work/borrow.txt") \
  >"$work/table.tsv"
(cd "$corpus" && best_of_5 "$bin" borrow -j 2 --quiet -r ref.txt --format json copies \
  -o "$work/borrow.json") >"$work/json.tsv"
read -r table_wall table_rss <"$work/table.tsv"
read -r json_wall json_rss <"$work/json.tsv"

"$build/bench/copydesk_bench_borrow" --benchmark_format=json \
  --benchmark_filter='BM_Borrow_(OneReference|HundredReferences)/(1024|2400)|BM_Borrow_Self' \
  >"$work/micro.json" 2>/dev/null

host=$(hostname -s 2>/dev/null || echo host)
out=${RESULTS_DIR:-bench/results/$(date +%Y-%m-%d)-$host}
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
/usr/bin/python3 - "$out/borrow.json" "$corpus" "$work" <<PY
import json, os, statistics, sys
dest, corpus, work = sys.argv[1], sys.argv[2], sys.argv[3]
planted = json.load(open(os.path.join(corpus, "planted.json")))
res = json.load(open(os.path.join(work, "borrow.json")))
by_id = {r["id"]: r["borrowed"] for r in res["results"]}
nbytes = sum(os.path.getsize(os.path.join(corpus, "copies", n)) for n in planted)
nwords = sum(d["tokens"] for d in res["documents"])
def found(kind):
    ids = [i for i, k in planted.items() if k == kind]
    hit = [by_id[i] for i in ids if by_id[i] > 0]
    return {"copies": len(ids), "with_passages": len(hit),
            "median_borrowed": round(statistics.median([by_id[i] for i in ids]), 4) if ids else None}
micro = {b["name"]: round(b["bytes_per_second"] / 1e6, 1)
         for b in json.load(open(os.path.join(work, "micro.json")))["benchmarks"]}
rec = {
  "benchmark": "borrow", "copies": len(planted), "references": 1,
  "copy_words": nwords, "copy_MB": round(nbytes / 1e6, 2),
  "words_per_copy": round(nwords / len(planted)),
  "cpu": "$cpu", "cores": $(nproc), "threads": 2,
  "command": "copydesk borrow -j 2 -r ref.txt copies [--format json] -o FILE",
  "wall_s_table": $table_wall, "peak_rss_MB_table": round($table_rss / 1024, 1),
  "wall_s_json": $json_wall, "peak_rss_MB_json": round($json_rss / 1024, 1),
  "target_wall_s": 2.0,
  "micro_MBps": micro,
  "planted": {k: found(k) for k in ("whole", "passages", "none")},
}
rec["met"] = {"wall": max(rec["wall_s_table"], rec["wall_s_json"]) <= 2.0}
json.dump(rec, open(dest, "w"), indent=2)
print(json.dumps(rec, indent=2))
PY
