#!/bin/bash
# End-to-end tests of `copydesk borrow` on tests/data/borrow: golden JSON, table and CSV, thread
# and input-order independence, JSONL, the HTML page (escaping, self-contained), bad input.
# Usage: bash test_borrow.sh COPYDESK_BINARY SOURCE_DIR   (exits non-zero on the first mismatch)
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: we cd below
SRC=$2
DATA="$SRC/tests/data/borrow"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# The version changes with releases; everything else must match byte for byte.
strip_version() { grep -v '^  "version": ' "$1"; }

cd "$DATA" || fail "no fixture folder $DATA"

# Golden outputs (ids are relative: run from the fixture folder).
"$BIN" borrow -r wire.txt -r release.txt --self --format json copies >"$TMP/out.json" ||
  fail "json run exited $?"
diff -u <(strip_version expected/borrow.json) <(strip_version "$TMP/out.json") ||
  fail "JSON differs from expected/borrow.json"
"$BIN" borrow -r wire.txt -r release.txt --self copies >"$TMP/out.txt" || fail "table run failed"
diff -u expected/borrow.txt "$TMP/out.txt" || fail "table differs from expected/borrow.txt"
"$BIN" borrow -r wire.txt -r release.txt --format csv copies wire.txt >"$TMP/out.csv" ||
  fail "csv run failed"
diff -u expected/borrow.csv "$TMP/out.csv" || fail "CSV differs from expected/borrow.csv"

# Same bytes for any thread count, any order of inputs and references, and with -o.
for j in 1 2 4; do
  "$BIN" borrow -j "$j" -r release.txt -r wire.txt --self --format json \
    copies/outlet-b.txt copies/notice.txt copies/outlet-a.txt copies/empty.txt >"$TMP/j$j.json" ||
    fail "run with -j $j failed"
done
cmp -s "$TMP/j1.json" "$TMP/j2.json" && cmp -s "$TMP/j1.json" "$TMP/j4.json" ||
  fail "output depends on the thread count"
"$BIN" borrow -j 3 -r release.txt -r wire.txt --self --format json -o "$TMP/o.json" \
  copies/empty.txt copies/outlet-a.txt copies/notice.txt copies/outlet-b.txt || fail "-o run failed"
cmp -s "$TMP/j1.json" "$TMP/o.json" || fail "output depends on the input order"

# JSONL: one result per input document.
"$BIN" borrow -r wire.txt --format jsonl copies >"$TMP/out.jsonl" || fail "jsonl run failed"
[ "$(wc -l <"$TMP/out.jsonl")" -eq 4 ] || fail "JSONL should have 4 lines"
grep -q '^{"id":"outlet-a.txt","tokens":117,"borrowed":0.581197,' "$TMP/out.jsonl" ||
  fail "JSONL line for outlet-a.txt"

# Passages point at the right bytes: cut them out of the texts with the reported offsets.
python_free_check() {
  # $1 file, $2 start, $3 end, $4 expected text
  local got
  got=$(tail -c +"$(($2 + 1))" "$1" | head -c "$(($3 - $2))")
  [ "$got" = "$4" ] || fail "bytes [$2,$3) of $1 are '$got', expected '$4'"
}
python_free_check copies/outlet-a.txt 262 346 \
  "We have run out of temporary fixes, and the engineers were very clear about the risk"
python_free_check wire.txt 374 458 \
  "We have run out of temporary fixes, and the engineers were very clear about the risk"
grep -q '"copy": \[' "$TMP/out.json" || fail "passages carry copy offsets"

# HTML: self-contained, every piece of document text escaped.
mkdir -p "$TMP/in"
printf '%s\n' 'Warning <script>alert(1)</script> and "><img src=x onerror=alert(1)> and </textarea> end.' \
  'The city council voted on Tuesday to close the eastern ferry terminal for eighteen months.' \
  >"$TMP/in/<i>hostile.txt"
"$BIN" borrow -r wire.txt --self --html "$TMP/page.html" "$TMP/in" >/dev/null ||
  fail "--html run failed"
grep -q '<script>alert' "$TMP/page.html" && fail "raw <script> from a document in the page"
grep -q '<img' "$TMP/page.html" && fail "raw <img from a document in the page"
grep -q '</textarea>' "$TMP/page.html" && fail "raw </textarea> from a document in the page"
grep -q '<i>hostile' "$TMP/page.html" && fail "raw document id in the page"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/page.html" || fail "escaped <script> missing"
grep -q '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' "$TMP/page.html" || fail "escaped <img missing"
grep -q '&lt;/textarea&gt;' "$TMP/page.html" || fail "escaped </textarea> missing"
grep -q '&lt;i&gt;hostile.txt' "$TMP/page.html" || fail "escaped id missing"
[ "$(grep -c '<script' "$TMP/page.html")" -eq 1 ] || fail "the page should hold exactly one script"
grep -Eq 'https?://|<link|@import|src="' "$TMP/page.html" && fail "the page fetches something"
grep -q 'data-twin=' "$TMP/page.html" || fail "passages are not linked"
"$BIN" borrow -r wire.txt -r release.txt --html "$TMP/fixture.html" copies >/dev/null ||
  fail "--html on the fixture failed"
[ "$(grep -o '<mark id="c2s0p0c"' "$TMP/fixture.html" | wc -l)" -eq 1 ] || fail "copy mark missing"
grep -q '<mark id="c2s0p0r" data-twin="c2s0p0c"' "$TMP/fixture.html" || fail "twin mark missing"

# Bad input: exit 2 and one line on stderr.
expect_error() { # $1 expected stderr substring, rest: arguments
  local want=$1
  shift
  "$BIN" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  local rc=$?
  [ "$rc" -eq 2 ] || fail "exit $rc (expected 2) for: $*"
  [ "$(wc -l <"$TMP/stderr")" -eq 1 ] || fail "expected one stderr line for: $* ($(cat "$TMP/stderr"))"
  grep -q "^copydesk: error: .*$want" "$TMP/stderr" || fail "stderr '$(cat "$TMP/stderr")' lacks '$want'"
}
expect_error "reference missing.txt: no such file or directory" borrow -r missing.txt copies
expect_error "nope: no such file or directory" borrow -r wire.txt nope
expect_error "give at least one --reference, or --self" borrow copies
expect_error "min-tokens" borrow -r wire.txt --min-tokens 2 copies
"$BIN" borrow -r wire.txt --bogus copies >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown option should exit 2"

# An empty reference is reported (a warning; --strict makes it an error) and borrows nothing.
: >"$TMP/blank.txt"
"$BIN" borrow -r "$TMP/blank.txt" --format csv copies >"$TMP/blank.csv" 2>"$TMP/blank.err" ||
  fail "empty reference should not fail"
grep -q "warning: .*blank.txt: reference is empty" "$TMP/blank.err" || fail "no warning for empty reference"
grep -q '^outlet-a.txt,,0.0000,' "$TMP/blank.csv" || fail "empty reference should give 0"
"$BIN" borrow --strict -r "$TMP/blank.txt" copies >/dev/null 2>&1
[ $? -eq 2 ] || fail "--strict with an empty reference should exit 2"

# A reference that is also an input (however its path is spelled) is not compared with itself.
"$BIN" borrow -r wire.txt ./wire.txt copies/outlet-a.txt >"$TMP/self.txt" || fail "self run failed"
grep -q '^note: ./wire.txt: also given as a reference: not compared with itself' "$TMP/self.txt" ||
  fail "no note for a reference given as input"
grep -q '^./wire.txt  *-  *0.0%' "$TMP/self.txt" || fail "reference compared with itself"

echo "test_borrow: all checks passed"
