#!/bin/bash
# corpora/gen_news.py at small scale: the corpus is deterministic from --seed, its gold files are
# what `copydesk eval` reads, and copydesk dedup finds its duplicates (metrics asserted high).
# Story and borrow metrics are printed for information when those commands exist.
# Usage: bash test_gen_news.sh COPYDESK_BINARY SOURCE_DIR
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the checks run in a temp folder
SRC=$(cd "$2" && pwd)
GEN="$SRC/corpora/gen_news.py"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

if ! command -v python3 > /dev/null; then
  echo "test_gen_news: skipped (no python3)"
  exit 0
fi

python3 "$GEN" --docs 200 --seed 1 --out "$TMP/a" 2> /dev/null || fail "generator failed"
python3 "$GEN" --docs 200 --seed 1 --out "$TMP/b" 2> /dev/null || fail "generator failed (2nd run)"
python3 "$GEN" --docs 200 --seed 2 --out "$TMP/c" 2> /dev/null || fail "generator failed (seed 2)"
for f in corpus.jsonl graded-sources.jsonl clusters.tsv stories.tsv pairs.tsv grades.tsv \
  manifest.json; do
  [ -s "$TMP/a/$f" ] || fail "$f missing or empty"
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between two runs with --seed 1"
done
cmp -s "$TMP/a/corpus.jsonl" "$TMP/c/corpus.jsonl" && fail "--seed 2 gave the same corpus"
[ "$(wc -l < "$TMP/a/corpus.jsonl")" -eq 200 ] || fail "corpus.jsonl does not hold 200 documents"
[ "$(wc -l < "$TMP/a/clusters.tsv")" -eq 201 ] || fail "clusters.tsv does not label 200 documents"

cd "$TMP/a" || exit 1
"$BIN" dedup --format json -o dedup.json corpus.jsonl || fail "copydesk dedup failed"
"$BIN" eval --truth clusters.tsv --format json dedup.json > clusters.json || fail "eval clusters"
"$BIN" eval --truth pairs.tsv --score max_containment --format json dedup.json > pairs.json ||
  fail "eval pairs"
extra=""
if "$BIN" stories --help > /dev/null 2>&1; then
  "$BIN" stories --format json -o stories-out.json corpus.jsonl &&
    "$BIN" eval --truth stories.tsv --format json stories-out.json > stories.json ||
    fail "stories + eval"
  extra="$extra stories.json"
fi
if "$BIN" borrow --help > /dev/null 2>&1; then
  "$BIN" borrow --format json -o borrow-out.json -r graded-sources.jsonl corpus.jsonl &&
    "$BIN" eval --truth grades.tsv --format json borrow-out.json > grades.json ||
    fail "borrow + eval"
  extra="$extra grades.json"
fi

python3 - clusters.json pairs.json $extra << 'EOF' || fail "dedup metrics on the generated corpus are too low"
import json, sys
c = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
print("gen_news 200 docs, dedup clusters: pairwise F1 %.4f, B-cubed F1 %.4f, ARI %.4f, NMI %.4f"
      % (c["pairwise"]["f1"], c["bcubed"]["f1"], c["ari"], c["nmi"]))
print("gen_news 200 docs, dedup pairs: P %.4f, R %.4f, F1 %.4f, AUC %.4f"
      % (p["pairwise"]["precision"], p["pairwise"]["recall"], p["pairwise"]["f1"], p["auc"]))
for extra in sys.argv[3:]:
    e = json.load(open(extra))
    if "bcubed" in e:
        print("gen_news 200 docs, stories: B-cubed F1 %.4f, ARI %.4f" % (e["bcubed"]["f1"], e["ari"]))
    else:
        print("gen_news 200 docs, borrow grades: Spearman %s, AUC %s, bucket accuracy %s"
              % (e["spearman"], e["auc"], e["buckets"]["accuracy"]))
ok = (c["counts"]["missing"] == 0 and c["pairwise"]["f1"] >= 0.95 and c["ari"] >= 0.95
      and c["bcubed"]["f1"] >= 0.97 and p["pairwise"]["f1"] >= 0.95 and p["auc"] >= 0.98)
sys.exit(0 if ok else 1)
EOF

if [ "$failures" -ne 0 ]; then
  echo "test_gen_news: $failures failure(s)" >&2
  exit 1
fi
echo "test_gen_news: all passed"
