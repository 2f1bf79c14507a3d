#!/usr/bin/env bash
# `copydesk report` end to end on a generated corpus, 2 threads:
#   1. corpus: ../shared/bench/gen_corpus.py --docs DOCS --seed 1 --no-txt (corpus.jsonl);
#   2. wall time, CPU time and peak RSS of `copydesk report -j 2 --html FILE --format json -o FILE`
#      (best of 3 by wall time), the stage times it prints with --verbose, HTML and JSON sizes;
#   3. the same with -j 1: JSON and HTML must be byte-identical to the 2-thread run;
#   4. the HTML page opened in headless Chromium (when installed): the DOM is dumped and checked
#      for the page's sections, and the time to load it is recorded.
# Usage: bench/e2e/report_speed.sh [DOCS=10000]
# Env: COPYDESK_SHARED (default ../shared), BUILD_DIR (default build/release; built if missing),
#      RESULTS_DIR (default bench/results/<date>-<host>).
# Writes RESULTS_DIR/report.json (no machine paths inside): docs, wall_s, html_MB, peak_rss_MB,
# ... and the targets (wall <= 5 s on 2 cores, HTML < 20 MB, opens in Chromium) with met flags.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-10000}
shared=${COPYDESK_SHARED:-../shared}
build=${BUILD_DIR:-build/release}
work=${TMPDIR:-/tmp}/copydesk-bench
corpus="$work/gen-$docs-seed1"
export LC_ALL=C
mkdir -p "$work"

if [[ ! -f "$corpus/corpus.jsonl" ]]; then
  echo "generating $docs documents..." >&2
  /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$docs" --seed 1 --out "$corpus" --no-txt
fi
if [[ ! -x "$build/copydesk" ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target copydesk >/dev/null
fi
bin="$build/copydesk"
run=$(mktemp -d "$work/report-run.XXXXXX")
trap 'rm -rf "$run"' EXIT
cat "$corpus/corpus.jsonl" >/dev/null # warm the page cache

best_wall=999999
for rep in 1 2 3; do
  /usr/bin/time -f '%e %M %U %S' -o "$run/time.txt" "$bin" report -j 2 --quiet --verbose \
    --html "$run/report.html" --format json -o "$run/report.json" "$corpus/corpus.jsonl" \
    2>"$run/stages.txt"
  read -r wall rss user sys <"$run/time.txt"
  if /usr/bin/python3 -c "import sys; sys.exit(0 if $wall < $best_wall else 1)"; then
    best_wall=$wall best_rss=$rss best_user=$user best_sys=$sys
    cp "$run/stages.txt" "$run/best-stages.txt"
  fi
  echo "run $rep: wall ${wall}s, user ${user}s, sys ${sys}s, peak RSS $((rss / 1024)) MB" >&2
done
html_bytes=$(stat -c %s "$run/report.html")
json_bytes=$(stat -c %s "$run/report.json")

"$bin" report -j 1 --quiet --html "$run/one.html" --format json -o "$run/one.json" \
  "$corpus/corpus.jsonl"
identical=false
cmp -s "$run/one.html" "$run/report.html" && cmp -s "$run/one.json" "$run/report.json" &&
  identical=true

# Chromium: load the page, dump the DOM after scripts ran.
opened=null
load_s=null
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -n $browser ]]; then
  profile=$(mktemp -d "$run/profile.XXXXXX")
  start=$(date +%s.%N)
  if timeout 300 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --dump-dom "file://$run/report.html" >"$run/dom.html" 2>/dev/null; then
    load_s=$(echo "$(date +%s.%N) - $start" | bc -l)
    opened=false
    if grep -q '<h2 id="stories">' "$run/dom.html" && grep -q '<h2 id="documents">' "$run/dom.html" &&
      grep -q '<svg' "$run/dom.html" && grep -q '</html>' "$run/dom.html"; then
      opened=true
    fi
  else
    opened=false
  fi
else
  echo "chromium not installed: the page was not opened (apt-get install chromium)" >&2
fi

host=$(hostname -s 2>/dev/null || echo host)
out=${RESULTS_DIR:-bench/results/$(date +%Y-%m-%d)-$host}
mkdir -p "$out"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
load=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 - "$out/report.json" "$run/best-stages.txt" "$run/report.json" <<PY
import json, re, sys
dest, stages_file, report_file = sys.argv[1:]
stages = {}
m = re.search(r"read ([\d.]+)s, dedup ([\d.]+)s, stories ([\d.]+)s, borrow and repeats ([\d.]+)s",
              open(stages_file).read())
if m:
    stages = dict(zip(["read", "dedup", "stories", "borrow_and_repeats"],
                      [float(x) for x in m.groups()]))
summary = json.load(open(report_file))["summary"]
opened = json.loads("$opened")
load_s = json.loads("$load_s" if "$load_s" != "null" else "null")
rec = {
    "benchmark": "report", "docs": $docs, "threads": 2, "cpu": "$cpu", "cores": $(nproc),
    "load_average_at_end": "$load",
    "corpus": "gen_corpus.py --docs $docs --seed 1 --no-txt (corpus.jsonl)",
    "command": "copydesk report -j 2 --html FILE --format json -o FILE corpus.jsonl",
    "wall_s": $best_wall, "user_s": $best_user, "sys_s": $best_sys,
    "peak_rss_MB": round($best_rss / 1024, 1),
    "stage_s": stages,
    "html_MB": round($html_bytes / 1e6, 2), "json_MB": round($json_bytes / 1e6, 2),
    "identical_for_1_and_2_threads": json.loads("$identical"),
    "chromium_opened": opened,
    "chromium_load_s": None if load_s is None else round(load_s, 2),
    "summary": {k: summary[k] for k in ("documents", "tokens", "clusters", "pairs", "groups",
                                        "multi_document_groups", "compared", "self_repeating")},
    "targets": {"wall_s": 5.0, "html_MB": 20.0},
}
rec["met"] = {"wall": rec["wall_s"] <= 5.0, "html": rec["html_MB"] < 20.0,
              "opens_in_chromium": opened, "identical": json.loads("$identical")}
json.dump(rec, open(dest, "w"), indent=2)
print(json.dumps(rec, indent=2))
PY
