#!/usr/bin/env bash
# End-to-end: `copydesk report` on tests/data/report/corpus (own short texts: a wire story, a page
# that carries it, a rewrite that quotes it, an independent report, a piece printed twice, two
# copies of a notice full of hostile markup, an empty file and a binary file). Exact expected
# table and JSON, identical output for any thread count, a self-contained and escaped HTML page,
# progress only on a terminal, and the bad-input rules.
source "$(dirname "$0")/lib.sh"
cd "$SRC/tests/data" || exit 1
EXP="$SRC/tests/data/report/expected"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run_cd report report/corpus
check "table exit" 0 "$rc"
check_file "table output" "$EXP/report.txt" "$out"
check "binary file warned on stderr" "copydesk: warning: report/corpus/blob.bin: binary file skipped" "$err"

run_cd report --format json -j 1 report/corpus
check "json exit" 0 "$rc"
check_file "json output" "$EXP/report.json" "$out"
json1=$out
run_cd report --format json -j 4 report/corpus
check "json identical for 1 and 4 threads" "$json1" "$out"

# HTML: byte-identical for 1 and 3 threads, written to the file only (stdout holds the table).
run_cd report --quiet -j 1 --html "$tmp/one.html" report/corpus
check "html exit" 0 "$rc"
check_file "stdout is the table with --html" "$EXP/report.txt" "$out"
check "quiet stderr" "" "$err"
run_cd report --quiet -j 3 --html "$tmp/three.html" --format json -o "$tmp/three.json" report/corpus
check "-o leaves stdout empty" "" "$out"
check "html identical for 1 and 3 threads" "same" "$(cmp -s "$tmp/one.html" "$tmp/three.html" && echo same)"
check "-o json identical" "$json1" "$(cat "$tmp/three.json")"

page="$tmp/one.html"
count() { grep -o -- "$1" "$page" | wc -l | tr -d ' '; }
check "hostile <script> only escaped" 0 "$(count '<script>alert')"
check "hostile <img only escaped" 0 "$(count '<img')"
check "hostile </textarea> only escaped" 0 "$(count '</textarea>')"
check "no stray </script> beyond the page's two" 2 "$(count '</script>')"
check "escaped <script> present" 1 "$((($(count '&lt;script&gt;alert(1)&lt;/script&gt;') > 0)))"
check "escaped <img present" 1 "$((($(count '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;') > 0)))"
check "escaped </textarea> present" 1 "$((($(count '&lt;/textarea&gt;') > 0)))"
check "nothing fetched: no URL, src attribute, url() or link" 0 "$(grep -c -E 'https?:|src="|url\(|@import|<link' "$page")"
check "story cards" 3 "$(count '<article class="story"')"
check "passage views" 5 "$(count '<details class="view"')"

# Hostile ids from JSONL on standard input.
printf '%s\n' \
  '{"id": "<img src=x onerror=alert(5)>", "text": "The harbour bridge was closed on Monday after a crack was found in a steel support during an inspection by the county engineers."}' \
  '{"id": "\"><script>alert(6)</script>", "text": "The harbour bridge was closed on Monday after a crack was found in a steel support during an inspection by the county engineers."}' \
  > "$tmp/ids.jsonl"
run_cd report --quiet --html "$tmp/ids.html" - < "$tmp/ids.jsonl"
check "stdin exit" 0 "$rc"
check "hostile ids escaped" 0 "$(grep -c -E '<img|<script>alert' "$tmp/ids.html")"
check "hostile id shown escaped" 1 "$((($(grep -c '&lt;img src=x onerror=alert(5)&gt;' "$tmp/ids.html") > 0)))"
check "exact duplicates found on stdin" 1 "$((($(printf '%s' "$out" | grep -c 'DUPLICATE: exact duplicate') == 2)))"

# Progress: never on a pipe; on a terminal a stage line per stage, silenced by --quiet.
run_cd report --format json -o "$tmp/p.json" report/corpus
check "no progress when stderr is not a terminal" 0 "$(printf '%s' "$err" | grep -c 'copydesk: read')"
if command -v script >/dev/null 2>&1; then
  script -qec "$COPYDESK report -o $tmp/tty.txt report/corpus" /dev/null > "$tmp/tty.log" 2>&1
  for stage in read dedup stories borrow; do
    check "progress line for $stage on a terminal" 1 "$((($(grep -c "copydesk: $stage" "$tmp/tty.log") > 0)))"
  done
  check "progress bar on a terminal" 1 "$((($(grep -c '\[########################\] 100%' "$tmp/tty.log") > 0)))"
  script -qec "$COPYDESK report --quiet -o $tmp/tty.txt report/corpus" /dev/null > "$tmp/tty.log" 2>&1
  check "--quiet silences progress on a terminal" 0 "$(grep -c 'copydesk: ' "$tmp/tty.log")"
else
  echo "note: 'script' not found; terminal progress not checked"
fi

# Bad input: one clear line on stderr, exit 2.
run_cd report no/such/dir
check "missing path exit" 2 "$rc"
check "missing path message" "copydesk: error: no/such/dir: no such file or directory" "$err"
run_cd report --strict report/corpus
check "strict turns the binary-file warning into an error" 2 "$rc"
run_cd report --format csv report/corpus
check "csv is not a report format" 2 "$rc"
run_cd report --bogus report/corpus
check "unknown option exit" 2 "$rc"
run_cd report --jaccard 1.5 report/corpus
check "out-of-range threshold exit" 2 "$rc"
run_cd report -t 0 report/corpus
check "a zero Jaccard threshold is refused, as in dedup" 2 "$rc"
run_cd report --format json -t 0.5 report/corpus
check "-t sets the dedup threshold, as in dedup" '"threshold": 0.5,' \
  "$(printf '%s' "$out" | grep -m1 -o '"threshold": 0.5,')"
short_out=$out
run_cd report --format json --jaccard 0.5 report/corpus
check "--jaccard is the same option as -t/--threshold" "$short_out" "$out"
run_cd report jsonl/dup.jsonl
check "duplicate id exit" 2 "$rc"
run_cd report --format json report/corpus/empty.txt
check "a single empty file is a report, not an error" 0 "$rc"
check "empty file listed with 0 tokens" '"tokens": 0,' "$(printf '%s' "$out" | grep -m1 -o '"tokens": 0,')"
run_cd report --help
check "help exit" 0 "$rc"
finish
