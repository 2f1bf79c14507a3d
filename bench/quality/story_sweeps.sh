#!/bin/bash
# Story-threshold sweeps on labelled corpora: one `copydesk stories --pairs` run per corpus, its
# groups formed again at every threshold by `copydesk eval --sweep` (B-cubed P/R/F1, ARI).
# Corpora: the project's corpora/stories; a generated corpus (full texts and their first 25
# words); and, when ../shared/corpora/dev/gvc is present, the Gun Violence Corpus (full texts,
# their first 30 words, and their titles), which stands for real news of one topic.
# Usage: bash bench/quality/story_sweeps.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$ROOT/build/release}/copydesk
OUT=${2:-$(mktemp -d)}
DEV=$ROOT/../shared/corpora/dev
GEN=$ROOT/../shared/bench/gen_corpus.py
PY=/usr/bin/python3
SWEEP=0.04:0.3:0.02
mkdir -p "$OUT"

# first_words IN.jsonl OUT.jsonl N: each record's text cut to its first N words.
first_words() {
  "$PY" - "$1" "$2" "$3" << 'PYEOF'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as o:
    for line in f:
        r = json.loads(line)
        r["text"] = " ".join(r["text"].split()[:n])
        o.write(json.dumps({"id": r["id"], "text": r["text"]}) + "\n")
PYEOF
}

# sweep NAME INPUT GOLD: stories down to the sweep's lowest threshold, then the sweep table.
sweep() {
  local name=$1 input=$2 gold=$3
  "$BIN" stories --format json --pairs --min-similarity 0.04 -o "$OUT/$name.json" "$input" \
    2> /dev/null
  echo "== $name"
  "$BIN" eval --truth "$gold" --sweep "$SWEEP" "$OUT/$name.json" | sed -n '/^threshold/,$p'
}

sweep corpora-stories "$ROOT/corpora/stories" "$ROOT/corpora/stories/labels.tsv"

if [ -f "$GEN" ]; then
  "$PY" "$GEN" --docs 5000 --seed 3 --no-txt --out "$OUT/gen5k" > /dev/null
  # The generator's story of each document, as an id<TAB>story gold file.
  "$PY" - "$OUT/gen5k/ground_truth.json" "$OUT/gen5k-stories.tsv" << 'PYEOF'
import json, sys
docs = json.load(open(sys.argv[1]))["docs"]
with open(sys.argv[2], "w") as o:
    for doc in sorted(docs):
        o.write("%s\t%s\n" % (doc, docs[doc]["story"]))
PYEOF
  sweep gen5k "$OUT/gen5k/corpus.jsonl" "$OUT/gen5k-stories.tsv"
  first_words "$OUT/gen5k/corpus.jsonl" "$OUT/gen5k-short.jsonl" 25
  sweep gen5k-first25 "$OUT/gen5k-short.jsonl" "$OUT/gen5k-stories.tsv"
fi

if [ -f "$DEV/gvc/gvc.jsonl" ]; then
  sweep gvc "$DEV/gvc/gvc.jsonl" "$DEV/gvc/gvc_incident.tsv"
  first_words "$DEV/gvc/gvc.jsonl" "$OUT/gvc-first30.jsonl" 30
  sweep gvc-first30 "$OUT/gvc-first30.jsonl" "$DEV/gvc/gvc_incident.tsv"
  "$PY" - "$DEV/gvc/gvc_meta.tsv" "$OUT/gvc-titles.jsonl" << 'PYEOF'
import csv, json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as o:
    for row in csv.DictReader(f, delimiter="\t"):
        o.write(json.dumps({"id": row["id"], "text": row["title"]}) + "\n")
PYEOF
  sweep gvc-titles "$OUT/gvc-titles.jsonl" "$DEV/gvc/gvc_incident.tsv"
else
  echo "(no ../shared/corpora/dev/gvc: the real-news sweeps are skipped)"
fi
