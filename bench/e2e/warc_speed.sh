#!/usr/bin/env bash
# WARC throughput: builds a synthetic WARC.gz from the generated corpus (bench/gen_warc.py over
# gen_corpus.py's JSONL), then times `copydesk dedup` on it with one thread (HTML extraction
# into dedup), with and without --strip-boilerplate, next to dedup of the same articles as plain
# JSONL. Prints MB/s of WARC.gz (compressed file) and of uncompressed WARC per core.
# Usage: bench/e2e/warc_speed.sh [COPYDESK] [DOCS]   (COPYDESK_SHARED: the shared bench folder)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
copydesk=${1:-$here/build/release/copydesk}
docs=${2:-10000}
shared=${COPYDESK_SHARED:-$here/../shared}
work=${TMPDIR:-/tmp}/copydesk-bench/warc-$docs
mkdir -p "$work"
if [[ ! -f $work/corpus/corpus.jsonl ]]; then
  python3 "$shared/bench/gen_corpus.py" --docs "$docs" --seed 1 --out "$work/corpus" --no-txt >/dev/null
fi
[[ -f $work/crawl.warc.gz ]] || python3 "$here/bench/gen_warc.py" "$work/corpus/corpus.jsonl" "$work/crawl.warc.gz"
[[ -f $work/crawl.warc ]] || gzip -dc "$work/crawl.warc.gz" > "$work/crawl.warc"
gz_bytes=$(stat -c %s "$work/crawl.warc.gz")
raw_bytes=$(stat -c %s "$work/crawl.warc")
run() { # best of 3 wall seconds
  local best=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N)
    "$copydesk" dedup -j1 -q "$@" > /dev/null
    e=$(date +%s.%N)
    best=$(python3 -c "b='$best'; t=$e-$s; print(t if not b or t < float(b) else b)")
  done
  echo "$best"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "WARC.gz $gz_bytes bytes, uncompressed $raw_bytes bytes, $docs pages"
for mode in plain strip; do
  extra=()
  [[ $mode == strip ]] && extra=(--strip-boilerplate)
  t=$(run "${extra[@]}" "$work/crawl.warc.gz")
  python3 -c "print(f'dedup -j1 $mode warc.gz: {$t:.3f} s, {$gz_bytes/1e6/$t:.1f} MB/s of WARC.gz, {$raw_bytes/1e6/$t:.1f} MB/s of uncompressed WARC')"
done
t=$(run "$work/corpus/corpus.jsonl")
python3 -c "print(f'dedup -j1 of the same articles as JSONL: {$t:.3f} s')"
