#!/usr/bin/env bash
# `copydesk archive add` and `copydesk check` end to end on a generated corpus.
#   1. corpus: ../shared/bench/gen_corpus.py --docs N --seed 1 (news-like, with near duplicates and
#      rewrites); the last 1,000 documents are held back as queries;
#   2. `archive add` of the rest into a new archive (-j 2): wall time, peak RSS, archive size as a
#      share of the input JSONL's size;
#   3. `check` of the held-back documents, one thread: wall time per document (whole run / N;
#      includes passages and the story search) and peak RSS;
#   4. `archive verify` passes.
# Usage: bench/e2e/archive_speed.sh [DOCS=100000]
# Env: COPYDESK_SHARED (default ../shared), COPYDESK (default build/release/copydesk),
#      RESULTS_DIR (default bench/results/<date>-<host>).
# Writes RESULTS_DIR/archive.json (no machine paths inside) and prints it.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-100000}
shared=${COPYDESK_SHARED:-../shared}
bin=${COPYDESK:-build/release/copydesk}
work=${TMPDIR:-/tmp}/copydesk-bench
corpus="$work/gen-$docs-seed1"
results=${RESULTS_DIR:-bench/results/$(date +%F)-$(hostname -s)}
export LC_ALL=C
mkdir -p "$work" "$results"
if [[ ! -s "$corpus/corpus.jsonl" ]]; then
  echo "generating $docs documents..." >&2
  /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$docs" --seed 1 --out "$corpus" --no-txt >/dev/null
fi
head -n "$((docs - 1000))" "$corpus/corpus.jsonl" >"$work/archive-in.jsonl"
tail -n 1000 "$corpus/corpus.jsonl" >"$work/archive-queries.jsonl"
db="$work/archive-bench.db"
rm -f "$db" "$db-wal" "$db-shm"

measure() { # measure OUT_PREFIX CMD...: wall seconds and peak RSS (KB) into OUT_PREFIX.{s,kb}
  local prefix=$1
  shift
  /usr/bin/time -f "%e %M" -o "$prefix.time" "$@" >/dev/null
  read -r secs kb <"$prefix.time"
  echo "$secs" >"$prefix.s"
  echo "$kb" >"$prefix.kb"
}
measure "$work/add" "$bin" archive add -q -j 2 "$db" "$work/archive-in.jsonl"
measure "$work/check" "$bin" check -q -j 1 --format jsonl --archive "$db" "$work/archive-queries.jsonl"
"$bin" archive verify "$db" >/dev/null
in_bytes=$(stat -c %s "$work/archive-in.jsonl")
db_bytes=$(($(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0)))
/usr/bin/python3 - "$results/archive.json" <<PY
import json, sys
add_s, add_kb = float(open("$work/add.s").read()), int(open("$work/add.kb").read())
chk_s, chk_kb = float(open("$work/check.s").read()), int(open("$work/check.kb").read())
r = {
  "corpus": "gen_corpus.py --docs $docs --seed 1; the last 1000 documents held back as queries",
  "archived_documents": $docs - 1000,
  "add": {"seconds": add_s, "peak_rss_mb": round(add_kb / 1024, 1), "threads": 2,
          "target_seconds": 30, "met": add_s <= 30},
  "size": {"input_jsonl_bytes": $in_bytes, "archive_bytes": $db_bytes,
           "ratio": round($db_bytes / $in_bytes, 3), "target_ratio": 1.0,
           "met": $db_bytes <= $in_bytes},
  "add_rss": {"target_mb": 800, "met": add_kb / 1024 <= 800},
  "check": {"queries": 1000, "seconds": chk_s, "ms_per_query": round(chk_s, 3),
            "peak_rss_mb": round(chk_kb / 1024, 1), "threads": 1},
}
json.dump(r, open(sys.argv[1], "w"), indent=2)
print(json.dumps(r, indent=2))
PY
