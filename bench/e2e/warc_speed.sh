#!/usr/bin/env bash
# WARC throughput: builds a synthetic WARC.gz from the generated corpus (bench/gen_warc.py over
# gen_corpus.py's JSONL), then times `copydesk dedup` on it with one thread (HTML extraction
# into dedup), with and without --strip-boilerplate, next to dedup of the same articles as plain
# JSONL. Prints MB/s of WARC.gz (compressed file) and of uncompressed WARC per core (bytes per
# CPU second of the one-thread run).
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
# Best of 3 runs: "WALL CPU" seconds, CPU = user + system time of the one-thread run (on a
# shared machine the wall time includes waiting for a core; CPU time is the cost per core).
run() {
  local best="" out
  for _ in 1 2 3; do
    out=$( { /usr/bin/time -f "%e %U %S" "$copydesk" dedup -j1 -q "$@" > /dev/null; } 2>&1 | tail -1)
    best=$(python3 -c "
w, u, s = map(float, '$out'.split()); b = '$best'
print(f'{w} {u + s}' if not b or u + s < float(b.split()[1]) else b)")
  done
  echo "$best"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "WARC.gz $gz_bytes bytes, uncompressed $raw_bytes bytes, $docs pages"
for mode in plain strip; do
  extra=()
  [[ $mode == strip ]] && extra=(--strip-boilerplate)
  read -r wall cpu <<< "$(run "${extra[@]}" "$work/crawl.warc.gz")"
  python3 -c "print(f'dedup -j1 $mode warc.gz: wall {$wall:.2f} s, cpu {$cpu:.2f} s: {$gz_bytes/1e6/$cpu:.1f} MB/s of WARC.gz per core, {$raw_bytes/1e6/$cpu:.1f} MB/s of uncompressed WARC per core')"
done
read -r wall cpu <<< "$(run "$work/crawl.warc")"
python3 -c "print(f'dedup -j1 plain .warc: wall {$wall:.2f} s, cpu {$cpu:.2f} s: {$raw_bytes/1e6/$cpu:.1f} MB/s of WARC per core')"
read -r wall cpu <<< "$(run "$work/corpus/corpus.jsonl")"
python3 -c "print(f'dedup -j1 of the same articles as JSONL: wall {$wall:.2f} s, cpu {$cpu:.2f} s')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
