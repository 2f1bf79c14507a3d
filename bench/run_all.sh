#!/usr/bin/env bash
# The whole bench suite in one command, and one record of it:
#   1. builds the benchmarks (Release, portable: no -march=native on copydesk);
#   2. runs every Google Benchmark suite (build/.../bench/copydesk_bench_*) with a short min time;
#   3. runs the whole-command scripts in bench/e2e/ (dedup vs speed_of_light, borrow, stories vs
#      scikit-learn, stories alone on 100,000 documents, report);
#   4. writes bench/results/<date>-<host>[-quick]/suite.json: machine, commit, the micro
#      benchmarks' headline numbers and every speed/accuracy target of the dedup, borrow, stories
#      and report issues with the measured value, the ratio and met: true|false; prints a table.
# The e2e scripts write their own JSON (dedup.json, borrow.json, stories-vs-sklearn-N.json, ...)
# into the same directory. Corpora are generated into ${TMPDIR:-/tmp}/copydesk-bench once and
# reused. Budget: under 10 minutes on a quiet 2-core machine once the corpora exist.
#
# Usage: bench/run_all.sh [--quick] [--no-build] [--only STEP[,STEP...]]
#   --quick      small corpora (a smoke run of the machinery; its numbers meet no target), results
#                in bench/results/<date>-<host>-quick/
#   --no-build   use the binaries already in BUILD_DIR
#   --only       steps to run: micro, dedup, borrow, stories, stories-large, report
# Env: COPYDESK_SHARED (default ../shared: gen_corpus.py, speed_of_light.c),
#      BUILD_DIR (default build-benchsuite), RESULTS_DIR (default bench/results/<run name>),
#      MIN_TIME (Google Benchmark --benchmark_min_time, seconds), JOBS (build jobs, default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=0
build_step=1
only="micro,dedup,borrow,stories,stories-large,report"
while [[ $# -gt 0 ]]; do
  case "$1" in
  --quick) quick=1 ;;
  --no-build) build_step=0 ;;
  --only) only=$2; shift ;;
  --only=*) only=${1#--only=} ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "run_all.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

export LC_ALL=C
shared=${COPYDESK_SHARED:-../shared}
shared=$(cd "$shared" 2>/dev/null && pwd) || {
  echo "run_all.sh: ${COPYDESK_SHARED:-../shared} not found (set COPYDESK_SHARED)" >&2
  exit 2
}
build=${BUILD_DIR:-build-benchsuite}
mkdir -p "$build"
build=$(cd "$build" && pwd)
host=$(hostname -s 2>/dev/null || echo host)
run_name="$(date +%Y-%m-%d)-$host"
# Corpus sizes: the targets' sizes, or small ones for a smoke run.
if [[ $quick == 1 ]]; then
  run_name+="-quick"
  dedup_docs=2000 borrow_copies=500 stories_docs=1000 stories_large_docs=5000 report_docs=1000
  min_time=${MIN_TIME:-0.01}
else
  dedup_docs=100000 borrow_copies=10000 stories_docs=10000 stories_large_docs=100000
  report_docs=10000
  min_time=${MIN_TIME:-0.1}
fi
out=${RESULTS_DIR:-bench/results/$run_name}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=${TMPDIR:-/tmp}/copydesk-bench
mkdir -p "$work"
logs=$(mktemp -d "$work/suite-logs.XXXXXX")
steps="$logs/steps.tsv"
: >"$steps"
suite_start=$(date +%s.%N)
load_start=$(cut -d' ' -f1 /proc/loadavg)

wants() { [[ ",$only," == *",$1,"* ]]; }

# step NAME COMMAND...: runs one step with its output in a log, records ok/failed and seconds.
# A failed step does not stop the suite; its targets are recorded as not measured.
step() {
  local name=$1 t0 t1 rc
  shift
  printf '%-14s ' "$name" >&2
  t0=$(date +%s.%N)
  set +e
  # A subshell with errexit of its own, so a failing command inside a step function fails it.
  (set -e; "$@") >"$logs/$name.log" 2>&1
  rc=$?
  set -e
  t1=$(date +%s.%N)
  local secs
  secs=$(echo "$t1 - $t0" | bc -l)
  if [[ $rc == 0 ]]; then
    printf 'ok      %6.1f s\n' "$secs" >&2
    printf '%s\tok\t%.1f\n' "$name" "$secs" >>"$steps"
  else
    printf 'FAILED  %6.1f s  (exit %d; last lines of its log below)\n' "$secs" "$rc" >&2
    tail -n 15 "$logs/$name.log" | sed 's/^/    /' >&2
    printf '%s\tfailed (exit %d)\t%.1f\n' "$name" "$rc" "$secs" >>"$steps"
  fi
}
skip() { printf '%-14s skipped (%s)\n' "$1" "$2" >&2; printf '%s\tskipped: %s\t0\n' "$1" "$2" >>"$steps"; }

# ---- 1. build ----------------------------------------------------------------------------------
build_all() {
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOPYDESK_BUILD_BENCHMARKS=ON \
    -DCOPYDESK_BUILD_TESTS=OFF -DCOPYDESK_NATIVE=OFF
  cmake --build "$build" -j"${JOBS:-$(nproc)}"
}
echo "copydesk bench suite: run $run_name (logs in $logs)" >&2
if [[ $build_step == 1 ]]; then
  step build build_all
  if ! grep -q $'^build\tok' "$steps"; then
    echo "run_all.sh: build failed; see $logs/build.log" >&2
    exit 3
  fi
fi
bin="$build/copydesk"

# ---- 2. micro benchmarks -----------------------------------------------------------------------
mkdir -p "$logs/micro"
micro_all() {
  local exe stage rc=0 n=0
  for exe in "$build"/bench/copydesk_bench_*; do
    [[ -x $exe ]] || continue
    n=$((n + 1))
    stage=${exe##*/copydesk_bench_}
    echo "== $stage"
    # The hashing suite runs on its seeded synthetic corpus here; dedup_speed.sh times it on the
    # generated corpus against speed_of_light.
    env -u COPYDESK_BENCH_CORPUS "$exe" --benchmark_format=json \
      --benchmark_min_time="$min_time" >"$logs/micro/$stage.json" || rc=1
  done
  [[ $n -gt 0 ]] || { echo "no copydesk_bench_* in $build/bench" >&2; return 1; }
  return $rc
}
if wants micro; then step micro micro_all; fi

# ---- 3. whole commands -------------------------------------------------------------------------
e2e_env=(env COPYDESK_SHARED="$shared" BUILD_DIR="$build" RESULTS_DIR="$out")
if wants dedup; then
  step dedup "${e2e_env[@]}" bench/e2e/dedup_speed.sh "$dedup_docs"
fi
if wants borrow; then
  step borrow "${e2e_env[@]}" bench/e2e/borrow_speed.sh "$borrow_copies"
fi
if wants stories; then
  if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
    step stories env GEN_CORPUS="$shared/bench/gen_corpus.py" OUT_DIR="$out" \
      bench/e2e/stories_vs_sklearn.sh "$bin" "$stories_docs" 1 2
  else
    skip stories "python3-sklearn is not installed"
  fi
fi

# Stories alone at 100,000 documents: the reference pipeline would need over half an hour, so
# copydesk runs by itself, on the same gen_corpus.py corpus the dedup step uses (same arguments,
# same bytes), with the command line stories_vs_sklearn.sh uses. Exact all-pairs cannot run at
# that size either, so bench/tools/stories_recall.cpp then checks the indexed pair search
# against exact cosines of 5,000 sampled documents (every pair they take part in).
stories_large() {
  local docs=$1 corpus="$work/gen-$1-seed1"
  if [[ ! -f $corpus/corpus.jsonl ]]; then
    /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$docs" --seed 1 --out "$corpus" --no-txt
  fi
  cat "$corpus/corpus.jsonl" >/dev/null # warm the page cache
  /usr/bin/time -v -o "$logs/stories-large-time.txt" "$bin" stories -j 2 --pairs --format json \
    -o "$work/stories-large.json" "$corpus/corpus.jsonl"
  grep -v "Command being timed" "$logs/stories-large-time.txt" >"$out/copydesk-$docs-time.txt"
  rm -f "$work/stories-large.json"
  "$build/bench/copydesk_stories_recall" "$corpus/corpus.jsonl" 5000 1 2 \
    >"$out/stories-recall-$docs.json"
  cat "$out/stories-recall-$docs.json"
}
if wants stories-large; then step stories-large stories_large "$stories_large_docs"; fi

# ---- report ------------------------------------------------------------------------------------
# bench/e2e/report_speed.sh writes $RESULTS_DIR/report.json ("docs", "wall_s", "html_MB", ...),
# which bench/suite_record.py reads.
if wants report; then
  step report "${e2e_env[@]}" bench/e2e/report_speed.sh "$report_docs"
fi

# ---- 4. the record -----------------------------------------------------------------------------
suite_end=$(date +%s.%N)
sizes="dedup=$dedup_docs,borrow=$borrow_copies,stories=$stories_docs"
sizes+=",stories_large=$stories_large_docs,report=$report_docs"
/usr/bin/python3 bench/suite_record.py --out "$out/suite.json" --run-name "$run_name" \
  --quick "$quick" --micro-dir "$logs/micro" --steps "$steps" --sizes "$sizes" \
  --seconds "$(echo "$suite_end - $suite_start" | bc -l)" --min-time "$min_time" \
  --load "$load_start,$(cut -d' ' -f1 /proc/loadavg)" --build-dir "$build" "$out"
echo "logs: $logs" >&2
# Exit 1 when a step failed (its targets are null in the record); unmet targets are results, not
# failures.
if grep -q $'\tfailed' "$steps"; then exit 1; fi
