#!/usr/bin/env bash
# End-to-end checks of `copydesk stories` and `copydesk idf` on tests/data/stories/docs: exact
# expected table, JSON and CSV; the same bytes for any thread count and input order; IDF model
# fit, use, inspection; clear errors for corrupt, truncated and mismatched models.
# usage: bash test_stories.sh COPYDESK_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
docs=$src/tests/data/stories/docs
expected=$src/tests/data/stories/expected
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
# The version changes with releases; compare everything else.
strip_version() { sed -E 's/"version": "[^"]*"/"version": "X"/'; }

cd "$docs" || exit 1

"$bin" stories . > "$work/table.txt" || fail "table run exited $?"
diff -u "$expected/table.txt" "$work/table.txt" || fail "table output differs"

"$bin" stories --format json . | strip_version > "$work/out.json" || fail "json run"
diff -u "$expected/out.json" "$work/out.json" || fail "JSON output differs"

"$bin" stories --format csv . > "$work/out.csv" || fail "csv run"
diff -u "$expected/out.csv" "$work/out.csv" || fail "CSV output differs"

# Times: articles more than --time-window days apart are not linked; a time that is not ISO 8601
# is a warning naming the document, which is then grouped as if it had none.
"$bin" stories --time-field date "$src/tests/data/stories/dated.jsonl" > "$work/dated.txt" \
  2> "$work/dated.err" || fail "dated run exited $?"
diff -u "$expected/dated.txt" "$work/dated.txt" || fail "dated table differs"
[ "$(cat "$work/dated.err")" = 'copydesk: warning: library-bad-date: date "last Monday" is not an ISO 8601 date; grouped as if it had no time' ] ||
  fail "dated: unexpected stderr: $(cat "$work/dated.err")"
"$bin" stories --time-field date --time-window 400 --format json --pairs \
  "$src/tests/data/stories/dated.jsonl" 2> /dev/null | strip_version > "$work/dated-400.json"
diff -u "$expected/dated-400.json" "$work/dated-400.json" || fail "dated JSON (400 days) differs"
"$bin" stories --time-window 7 . > /dev/null 2> "$work/err.txt"
[ "$(cat "$work/err.txt")" = "copydesk: error: --time-window needs --time-field" ] ||
  fail "--time-window alone: $(cat "$work/err.txt")"

# Same bytes for any thread count and any input order of the same files.
"$bin" stories -j 1 --format json *.txt > "$work/j1.json"
"$bin" stories -j 3 --format json $(ls *.txt | sort -r) > "$work/j3.json"
cmp -s "$work/j1.json" "$work/j3.json" || fail "output depends on threads or input order"
"$bin" stories --pair-search indexed --format json . | strip_version > "$work/indexed.json"
diff <(grep -v '"pair_search"\|"key_terms"\|"candidates"' "$work/out.json") \
  <(grep -v '"pair_search"\|"key_terms"\|"candidates"' "$work/indexed.json") > /dev/null ||
  fail "indexed pair search changes the groups"

# A single document is a group of its own.
"$bin" stories --format csv lottery.txt > "$work/one.csv"
grep -q '^lottery.txt,1,1,' "$work/one.csv" || fail "single document not in group 1"

# IDF models: fit, inspect, use.
"$bin" idf fit -q . -o "$work/m.idf" || fail "idf fit exited $?"
"$bin" idf info "$work/m.idf" > "$work/info.txt" || fail "idf info exited $?"
grep -q '^documents 8$' "$work/info.txt" || fail "idf info: expected 8 documents"
grep -q '^bigrams on$' "$work/info.txt" || fail "idf info: expected bigrams on"
# issue 10: idf info writes through the output path of every command, so a failed write is an
# error (printf lost it and exited 0).
"$bin" idf info "$work/m.idf" > /dev/full 2> "$work/err.txt"
rc=$?
[ "$rc" = 2 ] || fail "idf info > /dev/full exited $rc, expected 2"
[ "$(cat "$work/err.txt")" = "copydesk: error: standard output: write failed: No space left on device" ] ||
  fail "idf info > /dev/full: $(cat "$work/err.txt")"
"$bin" idf info "$work/m.idf" | true
[ "${PIPESTATUS[0]}" = 0 ] || fail "idf info into a closed pipe exited ${PIPESTATUS[0]}"
"$bin" stories --idf-model "$work/m.idf" --format json . > "$work/model.json" ||
  fail "stories --idf-model exited $?"
grep -q '"model_documents": 8' "$work/model.json" || fail "model documents not reported"

# Truncated, corrupt, foreign and mismatched models: exit 2 with one clear line.
check_error() { # expected-substring command...
  local want=$1
  shift
  "$@" > /dev/null 2> "$work/err.txt"
  local rc=$?
  [ "$rc" = 2 ] || fail "$* exited $rc, expected 2"
  grep -q "^copydesk: error: .*$want" "$work/err.txt" || fail "$*: no error line with '$want': $(cat "$work/err.txt")"
}
head -c 30 "$work/m.idf" > "$work/trunc.idf"
check_error "truncated IDF model" "$bin" stories --idf-model "$work/trunc.idf" .
cp "$work/m.idf" "$work/flip.idf"
printf '\377' | dd of="$work/flip.idf" bs=1 seek=60 conv=notrunc 2> /dev/null
check_error "checksum mismatch" "$bin" stories --idf-model "$work/flip.idf" .
check_error "not a copydesk IDF model" "$bin" stories --idf-model "$docs/bridge-1.txt" .
check_error "no such file\|cannot read" "$bin" stories --idf-model "$work/missing.idf" .
"$bin" idf fit -q --no-bigrams . -o "$work/words.idf"
check_error "expected bigrams on, got off" "$bin" stories --idf-model "$work/words.idf" .
check_error "truncated IDF model" "$bin" idf info "$work/trunc.idf"
check_error "" "$bin" stories "$work/does-not-exist"

if [ "$failures" -ne 0 ]; then
  echo "test_stories: $failures failure(s)"
  exit 1
fi
echo "test_stories: all checks passed"
