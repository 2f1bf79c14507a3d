#!/bin/bash
# End-to-end tests of `copydesk eval`: exact JSON and table output on hand-written fixtures
# (tests/data/eval), the SVG plot, standard input, the errors, and a real dedup run on
# corpora/newsroom scored against its gold labels.
# Usage: bash test_eval.sh COPYDESK_BINARY SOURCE_DIR
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the checks run in the fixture folder
SRC=$(cd "$2" && pwd)
DATA="$SRC/tests/data/eval"
EXPECTED="$DATA/expected"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# The version changes with releases; everything else must match byte for byte.
normalize() { sed -E 's/^(  "version": )"[^"]*"/\1"X"/'; }

# golden NAME ARGS...: run eval in the fixture folder (so paths in params are relative) and
# compare with expected/NAME.
golden() {
  local name=$1
  shift
  (cd "$DATA" && "$BIN" eval "$@") > "$TMP/$name.raw" 2> "$TMP/$name.err"
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    fail "$name: exit status $rc ($(cat "$TMP/$name.err"))"
    return
  fi
  normalize < "$TMP/$name.raw" > "$TMP/$name"
  if ! diff -u "$EXPECTED/$name" "$TMP/$name" >&2; then fail "$name: output differs"; fi
}

# error NAME 'expected message' ARGS...: exit status 2 and exactly one error line.
error() {
  local name=$1 message=$2
  shift 2
  (cd "$DATA" && "$BIN" eval "$@") > "$TMP/out" 2> "$TMP/err"
  local rc=$?
  [ "$rc" -eq 2 ] || fail "$name: exit status $rc, expected 2"
  [ "$(cat "$TMP/err")" = "copydesk: error: $message" ] ||
    fail "$name: stderr is '$(cat "$TMP/err")', expected 'copydesk: error: $message'"
  [ ! -s "$TMP/out" ] || fail "$name: wrote to standard output"
}

# --- exact output on the fixtures ---------------------------------------------------------
golden clusters.json --truth clusters.tsv --format json dedup.json
golden clusters.txt --truth clusters.tsv dedup.json
golden stories.json --truth stories.tsv --format json stories.json
golden pairs.json --truth pairs.tsv --format json dedup.json
golden pairs-sweep.json --truth pairs.tsv --score max_containment --sweep 0.5:1:0.1 --format json \
  dedup.json
golden pairs-sweep.txt --truth pairs.tsv --score max_containment --sweep 0.5:1:0.1 dedup.json
golden grades.json --truth grades.tsv --format json borrow.json
golden grades.txt --truth grades.tsv --sweep 0:1:0.25 borrow.json
# --level picks one side of a result that has both; --kind overrides the column rule.
golden report-groups.json --truth stories.tsv --level groups --format json report.json
golden grades-binary.json --truth grades-binary.tsv --kind grades --format json borrow.json
# Any grade scale: named levels with --scale (least borrowed first), or averaged numbers.
golden grades-scale.json --truth grades-scale.tsv --scale ND,PD,WD --format json borrow.json
golden grades-mean.txt --truth grades-mean.tsv borrow.json
# Story groups of a stories --pairs result: groups formed again at each sweep threshold, and
# same-story pair labels decided by shared group (or by cosine with --threshold).
golden story-sweep.txt --truth newsroom-stories.tsv --sweep 0.05:0.3:0.05 stories-pairs.json
golden story-sweep.json --truth newsroom-stories.tsv --sweep 0.05:0.3:0.05 --format json \
  stories-pairs.json
golden story-pairs.txt --truth newsroom-story-pairs.tsv --sweep 0.05:0.3:0.05 stories-pairs.json
golden story-pairs-threshold.json --truth newsroom-story-pairs.tsv --threshold 0.21 --format json \
  stories-pairs.json

# -o writes the same bytes as standard output.
(cd "$DATA" && "$BIN" eval --truth clusters.tsv --format json -o "$TMP/o.json" dedup.json) ||
  fail "-o: non-zero exit"
normalize < "$TMP/o.json" | cmp -s - "$EXPECTED/clusters.json" || fail "-o: differs from stdout"

# Standard input: same metrics, the result named "standard input".
(cd "$DATA" && "$BIN" eval --truth clusters.tsv --format json - < dedup.json) > "$TMP/stdin.json" ||
  fail "stdin: non-zero exit"
sed 's/"result": "standard input"/"result": "dedup.json"/' "$TMP/stdin.json" | normalize |
  cmp -s - "$EXPECTED/clusters.json" || fail "stdin: differs from the file run"

# --- the plot --------------------------------------------------------------------------------
if (cd "$DATA" && "$BIN" eval --truth pairs.tsv --sweep 0:1:0.05 --plot "$TMP/pr.svg" dedup.json \
  > /dev/null); then
  head -c 5 "$TMP/pr.svg" | grep -q '<?xml' || fail "plot: no XML declaration"
  tail -n 1 "$TMP/pr.svg" | grep -qx '</svg>' || fail "plot: does not end with </svg>"
  [ "$(grep -c '<polyline' "$TMP/pr.svg")" -eq 3 ] || fail "plot: expected 3 lines (P, R, F1)"
  for label in '>precision<' '>recall<' '>F1<' '>best F1<' '>0.5<' '>1.0<'; do
    grep -q -- "$label" "$TMP/pr.svg" || fail "plot: no $label"
  done
  ! grep -qE 'href|<script|@import|url\(' "$TMP/pr.svg" || fail "plot: refers to something external"
  ! grep -q '>-0' "$TMP/pr.svg" || fail "plot: a tick labelled -0"
  if command -v python3 > /dev/null; then
    python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$TMP/pr.svg" ||
      fail "plot: not well-formed XML"
  fi
else
  fail "plot: non-zero exit"
fi

# --- errors: exit 2, one line naming what is wrong --------------------------------------------
error missing-truth 'nope.tsv: no such file' --truth nope.tsv dedup.json
error missing-result 'nope.json: no such file' --truth clusters.tsv nope.json
error ambiguous-level 'report.json has both dedup clusters and story groups; choose one with --level clusters|groups' \
  --truth clusters.tsv report.json
error plot-without-sweep '--plot needs --sweep FROM:TO:STEP' --truth pairs.tsv --plot x.svg dedup.json
error sweep-on-clusters '--sweep on a clusters gold file applies to story groups (stories --pairs output), not to dedup clusters' \
  --truth clusters.tsv --sweep 0:1:0.1 dedup.json
error sweep-without-pairs 'stories.json has no story pairs with "cosine": a sweep of story groups forms the groups again from them (run copydesk stories --format json --pairs)' \
  --truth stories.tsv --sweep 0.1:0.3:0.1 stories.json
error sweep-below-floor "sweep threshold 0.0200 is below the pair floor 0.0500 of stories-pairs.json (pairs under it were not listed; run stories with --min-similarity at most the sweep's lowest threshold, above 0)" \
  --truth newsroom-stories.tsv --sweep 0.02:0.3:0.02 stories-pairs.json
error bad-sweep '--sweep "0:2:0.1": range out of order or outside [0,1] (expected FROM:TO:STEP with 0 <= FROM <= TO <= 1 and STEP > 0, e.g. 0.1:0.9:0.05)' \
  --truth pairs.tsv --sweep 0:2:0.1 dedup.json
error off-scale 'grades-scale.tsv:4: grade "WD" is not on the --scale (ND, PD, XD)' \
  --truth grades-scale.tsv --scale ND,PD,XD borrow.json
error bad-scale '--scale "ND,PD,nd": "nd" is listed twice (expected 2 or more distinct names, least borrowed first, e.g. ND,PD,WD)' \
  --truth grades-scale.tsv --scale ND,PD,nd borrow.json
error scale-without-it 'grades-scale.tsv:4: expected a grade (none, heavy, light, cut or a number >= 0; --scale names another scale), got "WD"' \
  --truth grades-scale.tsv borrow.json
error grades-vs-dedup 'dedup.json has no "results" (grades gold files are scored against copydesk borrow --format json output)' \
  --truth grades.tsv dedup.json
error kind-mismatch 'pairs.tsv: --kind clusters needs 2 tab-separated fields (id, label), the file has 3' \
  --truth pairs.tsv --kind clusters dedup.json
error not-json 'clusters.tsv: not valid JSON: parse error at line 1, column 1: syntax error while parsing value - invalid literal; last read: '"'"'#'"'"'' \
  --truth clusters.tsv clusters.tsv
# Issue 19 item 3 (found by fuzz_eval): a number beyond double range is an input error, not a crash.
printf '{"pairs": [{"a": "x", "b": "y", "jaccard": 4e444}]}\n' > "$TMP/huge.json"
error huge-number "$TMP/huge.json: not valid JSON: number overflow parsing '4e444'" \
  --truth pairs.tsv "$TMP/huge.json"
"$BIN" eval --truth "$DATA/clusters.tsv" --format csv "$DATA/dedup.json" > /dev/null 2>&1
[ $? -eq 2 ] || fail "--format csv: expected exit status 2"

# --- a real run: copydesk dedup on corpora/newsroom against its gold labels ----------------
if "$BIN" dedup --format json -o "$TMP/newsroom.json" "$SRC/corpora/newsroom" 2> "$TMP/err"; then
  "$BIN" eval --truth "$DATA/newsroom-clusters.tsv" --format json "$TMP/newsroom.json" \
    > "$TMP/nc.json" || fail "newsroom clusters: non-zero exit"
  grep -q '"missing": 0,' "$TMP/nc.json" || fail "newsroom clusters: gold documents missing"
  "$BIN" eval --truth "$DATA/newsroom-pairs.tsv" --score max_containment --format json \
    "$TMP/newsroom.json" > "$TMP/np.json" || fail "newsroom pairs: non-zero exit"
  # corpora/newsroom/EXPECTED.md: exactly the four copy relations, nothing else.
  if command -v python3 > /dev/null; then
    python3 - "$TMP/nc.json" "$TMP/np.json" << 'EOF' || fail "newsroom: metrics below expectation"
import json, sys
c = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
ok = c["pairwise"]["f1"] == 1.0 and c["ari"] == 1.0 and p["pairwise"]["f1"] == 1.0 and p["auc"] == 1.0
print("newsroom: cluster pairwise F1 %s, ARI %s; pair F1 %s, AUC %s"
      % (c["pairwise"]["f1"], c["ari"], p["pairwise"]["f1"], p["auc"]), file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
  fi
else
  fail "newsroom: copydesk dedup failed: $(cat "$TMP/err")"
fi

# --- a real run: stories on corpora/stories, swept -------------------------------------------
if "$BIN" stories --format json --pairs --min-similarity 0.02 -o "$TMP/st.json" \
  "$SRC/corpora/stories" 2> "$TMP/err"; then
  "$BIN" eval --truth "$SRC/corpora/stories/labels.tsv" --format json "$TMP/st.json" > "$TMP/st-plain.json" ||
    fail "stories: plain eval failed"
  "$BIN" eval --truth "$SRC/corpora/stories/labels.tsv" --sweep 0.02:0.4:0.02 --format json "$TMP/st.json" \
    > "$TMP/st-sweep.json" || fail "stories: sweep failed"
  if command -v python3 > /dev/null; then
    python3 - "$TMP/st.json" "$TMP/st-plain.json" "$TMP/st-sweep.json" << 'EOF' ||
import json, sys
stories, plain, sweep = (json.load(open(p)) for p in sys.argv[1:])
t = stories["params"]["threshold"]
# The point at the result's own threshold reproduces its groups exactly.
at = [p for p in sweep["sweep"] if abs(p["threshold"] - t) < 1e-9]
ok = len(at) == 1 and at[0]["bcubed"] == plain["bcubed"] and at[0]["ari"] == plain["ari"] \
    and at[0]["predicted_clusters"] == plain["counts"]["predicted_clusters"]
# Lower thresholds merge groups: B-cubed recall never falls as the threshold falls.
recalls = [p["bcubed"]["recall"] for p in sweep["sweep"]]
ok = ok and all(a >= b for a, b in zip(recalls, recalls[1:]))
print("stories: B-cubed F1 %s at %s, best %s at %s" % (plain["bcubed"]["f1"], t,
      sweep["best"]["bcubed"]["f1"], sweep["best"]["threshold"]), file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
      fail "stories: sweep does not reproduce the stories groups at their threshold"
  fi
else
  fail "stories: copydesk stories failed: $(cat "$TMP/err")"
fi

if [ "$failures" -ne 0 ]; then
  echo "test_eval: $failures failure(s)" >&2
  exit 1
fi
echo "test_eval: all passed"
