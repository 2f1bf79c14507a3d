#!/usr/bin/env bash
# Runs two copydesk binaries on the same inputs and fails on the first output that differs: every
# command and output format on the committed corpora/ and tests/data/, and dedup, stories, borrow
# and report on a generated 10,000-document corpus. For refactors that must not change behaviour.
# Usage: scripts/compare-outputs.sh [--skip-help] OLD_BINARY NEW_BINARY [GEN_CORPUS_DIR]
#   --skip-help: do not compare --help texts (for a change that adds or regroups options).
#   GEN_CORPUS_DIR: made with ../shared/bench/gen_corpus.py --docs 10000 --seed 1 --no-txt when
#   missing (default ${TMPDIR:-/tmp}/copydesk-compare-10k).
set -euo pipefail
cd "$(dirname "$0")/.."
skip_help=0
if [[ "${1:-}" == --skip-help ]]; then
  skip_help=1
  shift
fi
old_bin=$(realpath "$1")
new_bin=$(realpath "$2")
gen=${3:-${TMPDIR:-/tmp}/copydesk-compare-10k}
if [[ ! -s "$gen/corpus.jsonl" ]]; then
  /usr/bin/python3 ../shared/bench/gen_corpus.py --docs 10000 --seed 1 --out "$gen" --no-txt >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Both run as `copydesk` (found on PATH), so messages that show argv[0] compare equal.
mkdir -p "$work/bin-old" "$work/bin-new"
cp "$old_bin" "$work/bin-old/copydesk"
cp "$new_bin" "$work/bin-new/copydesk"
runs=0

# same ARGS...: both binaries, stdout, stderr, exit code and any file written under $work/out.
same() {
  local b
  for b in old new; do
    mkdir -p "$work/$b"
    rm -rf "${work:?}/$b"/*
    (cd "$work/$b" && set +e && PATH="$work/bin-$b:$PATH" copydesk "$@" >stdout 2>stderr </dev/null
      echo $? >rc)
  done
  if ! diff -r "$work/old" "$work/new" >"$work/diff"; then
    echo "compare-outputs: differs: copydesk $*" >&2
    head -20 "$work/diff" >&2
    exit 1
  fi
  runs=$((runs + 1))
}

src=$PWD
for corpus in corpora/newsroom corpora/stories corpora/graded tests/data/mini; do
  c=$src/$corpus
  for fmt in table json jsonl csv; do
    same dedup --format "$fmt" "$c"
    same stories --format "$fmt" "$c"
    same borrow --self --format "$fmt" "$c"
  done
  same report "$c"
  same report --format json "$c"
  same report --html report.html "$c"
done
wire=$src/corpora/newsroom/wire-water-alert.txt
for fmt in table json jsonl csv; do
  same borrow -r "$wire" --format "$fmt" "$src/corpora/newsroom"
done
same borrow -r "$wire" --html review.html "$src/corpora/newsroom"
for j in "$src"/tests/data/jsonl/*.jsonl; do
  same dedup --format json "$j"
  same dedup --format json --skip-bad "$j"
done
same idf fit "$src/corpora/newsroom" -o model.idf
"$new_bin" idf fit "$src/corpora/newsroom" -o "$work/model.idf" 2>/dev/null
same idf info "$work/model.idf"
same stories --format json --idf-model "$work/model.idf" "$src/corpora/stories"
for t in "$src"/tests/data/eval/*.tsv; do
  for r in "$src"/tests/data/eval/*.json; do
    same eval --truth "$t" "$r"
  done
done
same dedup -v
if ((skip_help == 0)); then
  same --help
  for cmd in dedup stories borrow report eval idf; do
    same "$cmd" --help
  done
fi

g=$gen/corpus.jsonl
first=$(head -1 "$g" | /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["text"])')
printf '%s\n' "$first" >"$work/ref.txt"
same dedup --format json -j2 "$g"
same dedup --format jsonl -j2 "$g"
same stories --format json -j2 "$g"
same borrow -r "$work/ref.txt" --format json -j2 "$g"
same report --format json -j2 "$g"
same report --html report.html -j2 "$g"
echo "compare-outputs: $runs runs, outputs identical"
