#!/usr/bin/env bash
# End-to-end: `copydesk dedup` on tests/data fixtures, exact expected output, determinism,
# standard input, and every bad-input rule of DESIGN.md.
source "$(dirname "$0")/lib.sh"
cd "$SRC/tests/data" || exit 1
EXP="$SRC/tests/cli/expected"

run_cd dedup mini
check "table exit" 0 "$rc"
check_file "table output" "$EXP/dedup_mini.txt" "$out"
check "warnings on stderr" "copydesk: warning: mini/latin1.txt: 1 invalid UTF-8 sequence(s) replaced by U+FFFD
copydesk: warning: mini/notes.bin: binary file skipped" "$err"

run_cd dedup --format json mini jsonl/good.jsonl
check "json exit" 0 "$rc"
check_file "json output" "$EXP/dedup_mini.json" "$out"
json1=$out
run_cd dedup --format json -j 1 jsonl/good.jsonl mini
check "json identical for 1 thread and reversed input order" "$json1" "$out"
run_cd dedup --format json -j 4 mini jsonl/good.jsonl
check "json identical for 4 threads" "$json1" "$out"

run_cd dedup --format csv mini
check_file "csv output" "$EXP/dedup_mini.csv" "$out"

run_cd dedup --format jsonl --quiet - < jsonl/good.jsonl
check "jsonl from stdin exit" 0 "$rc"
check_file "jsonl from stdin annotates records" "$EXP/dedup_stdin.jsonl" "$out"
check "quiet stderr" "" "$err"

tmp=$(mktemp -d)
run_cd dedup --format json -o "$tmp/out.json" mini
check "-o writes nothing to stdout" "" "$out"
check "-o file content" "$json1" "$("$COPYDESK" dedup --format json mini jsonl/good.jsonl 2>/dev/null)"
rm -rf "$tmp"

# Bad input: one clear line on stderr, exit 2.
run_cd dedup no/such/dir
check "missing path exit" 2 "$rc"
check "missing path message" "copydesk: error: no/such/dir: no such file or directory" "$err"
run_cd dedup jsonl/bad.jsonl
check "malformed line exit" 2 "$rc"
check "malformed line message names file and line" "copydesk: error: jsonl/bad.jsonl:2: malformed JSON" "${err%% (*}"
run_cd dedup --skip-bad --format json jsonl/bad.jsonl
check "skip-bad exit" 0 "$rc"
check "skip-bad keeps the line as a document" '"jsonl/bad.jsonl:2"' "$(printf '%s' "$out" | grep -o '"jsonl/bad.jsonl:2"' | head -1)"
run_cd dedup jsonl/dup.jsonl
check "duplicate id exit" 2 "$rc"
check "duplicate id names both origins" 'copydesk: error: duplicate id "x": jsonl/dup.jsonl:1 and jsonl/dup.jsonl:3' "$err"
run_cd dedup --strict mini
check "strict turns warnings into errors" 2 "$rc"
run_cd dedup --bogus mini
check "unknown option exit" 2 "$rc"
run_cd dedup --threshold 1.5 mini
check "out-of-range threshold exit" 2 "$rc"
run_cd dedup --bands 40 --rows 4 mini
check "bands x rows beyond slots exit" 2 "$rc"
check "bands x rows message" "copydesk: error: LSH bands x rows (40 x 4 = 160) exceeds the number of MinHash slots (128)" "$err"
run_cd dedup --help
check "help exit" 0 "$rc"
check "help teaches containment" 1 "$(printf '%s' "$out" | grep -c -- '-c,--containment')"
run_cd
check "no command exit" 2 "$rc"
finish
