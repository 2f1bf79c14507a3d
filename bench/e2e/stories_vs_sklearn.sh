#!/usr/bin/env bash
# copydesk stories vs the scikit-learn pipeline (TfidfVectorizer(sublinear_tf=True) + sparse
# X @ X.T + threshold + connected components) on one generated corpus, in one run.
# Prints the time ratio and the agreement of the pair sets; with OUT_DIR set, keeps the summary
# (JSON) and copydesk's /usr/bin/time -v report there.
#
# usage: bench/e2e/stories_vs_sklearn.sh COPYDESK_BINARY [DOCS=10000] [SEED=1] [THREADS=2]
# env:   GEN_CORPUS (default ../shared/bench/gen_corpus.py beside the repository), OUT_DIR,
#        THRESHOLD (default: copydesk's default story threshold, 0.18), SKIP_SKLEARN=1 (time
#        copydesk alone, e.g. for 100,000 documents where the reference needs over half an hour)
set -euo pipefail
bin=$(realpath "$1")
docs=${2:-10000}
seed=${3:-1}
threads=${4:-2}
here=$(cd "$(dirname "$0")" && pwd)
gen=${GEN_CORPUS:-$here/../../../shared/bench/gen_corpus.py}
threshold=${THRESHOLD:-0.18}
export LC_ALL=C
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 "$gen" --docs "$docs" --seed "$seed" --out "$work/corpus" --no-txt >&2
corpus=$work/corpus/corpus.jsonl
# Warm the page cache so neither side pays for the first read.
cat "$corpus" > /dev/null

start=$(date +%s.%N)
/usr/bin/time -v -o "$work/time.txt" "$bin" stories -j "$threads" --pairs --format json \
  -o "$work/copydesk.json" "$corpus"
end=$(date +%s.%N)
seconds=$(/usr/bin/python3 -c "print(round($end - $start, 3))")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
echo "copydesk stories: $docs documents, $threads threads, ${seconds} s wall, ${rss} KB peak RSS"

if [ -n "${OUT_DIR:-}" ]; then
  mkdir -p "$OUT_DIR"
  # The time report names the command with this machine's paths: keep only the measurements.
  grep -v "Command being timed" "$work/time.txt" > "$OUT_DIR/copydesk-$docs-time.txt"
fi
if [ "${SKIP_SKLEARN:-0}" = 1 ]; then exit 0; fi

/usr/bin/python3 "$here/stories_sklearn.py" --corpus "$corpus" \
  --truth "$work/corpus/ground_truth.json" --copydesk-json "$work/copydesk.json" \
  --copydesk-seconds "$seconds" --threshold "$threshold" \
  ${OUT_DIR:+--out "$OUT_DIR/stories-vs-sklearn-$docs.json"}
