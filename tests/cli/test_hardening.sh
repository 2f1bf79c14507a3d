#!/usr/bin/env bash
# End-to-end: hostile and unusual input (issue 19) ends with one clear line and the right exit
# code, never a crash, a hang or a silently wrong result.
source "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# ulimit -v cannot be combined with AddressSanitizer, which reserves terabytes of address space.
sanitized=0
if ldd "$COPYDESK" 2> /dev/null | grep -q 'libasan\|libtsan'; then
  sanitized=1
fi

# error NAME EXPECTED_RC EXPECTED_STDERR ARGS...: exit code, exact stderr, nothing on stdout.
error() {
  local name=$1 want_rc=$2 want_err=$3
  shift 3
  run_cd "$@"
  check "$name: exit" "$want_rc" "$rc"
  check "$name: stderr" "$want_err" "$err"
  check "$name: stdout" "" "$out"
}

# issue 19 item 1: bands x rows wrapped in 32 bits (segfault, or out of memory).
error "bands x rows wraps" 2 \
  "copydesk: error: LSH bands x rows (65536 x 65536 = 4294967296) exceeds the number of MinHash slots (128)" \
  dedup --bands 65536 --rows 65536 corpora/stories

# issue 19 item 4: -j has an upper bound; running out of memory while workers wait is exit 3
# with one line, not SIGABRT from a joinable std::thread.
error "-j bound" 2 \
  'copydesk: error: --threads: Value 4294967295 not in range 0 to 1024 (see `copydesk dedup --help`)' \
  dedup -j4294967295 corpora/stories
if [[ $sanitized == 0 ]]; then
  head -c 300000000 /dev/zero |
    (ulimit -v 400000 && exec "$COPYDESK" dedup -q -j2 --max-doc-bytes 1000000000 - > /dev/null 2> "$TMP/oom.err")
  rc=$?
  err=$(cat "$TMP/oom.err")
  check "out of memory: exit" 3 "$rc"
  check "out of memory: one line" "copydesk: error: out of memory" "$err"
fi

# issue 19 items 2 and 3: two links to "." made the walk exponential (a hang); a link to a file
# was a duplicate id. Directory links are not followed; --follow follows them and skips loops.
mkdir -p "$TMP/d"
echo "hi there" > "$TMP/d/a.txt"
ln -s . "$TMP/d/s1"
ln -s . "$TMP/d/s2"
ln -s a.txt "$TMP/d/latest.txt"
run_cd dedup --format csv -q "$TMP/d"
check "links: exit" 0 "$rc"
check "links: a linked file is its own document" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
a.txt,latest.txt,exact,1.0000,1.0000,1.0000,1,1" "$out"
out=$(timeout 60 "$COPYDESK" dedup --follow --format csv "$TMP/d" 2>&1 > /dev/null)
check "--follow: loops skipped with a warning" "copydesk: warning: $TMP/d/s1: directory loop skipped: it leads back to $TMP/d, which is being walked
copydesk: warning: $TMP/d/s2: directory loop skipped: it leads back to $TMP/d, which is being walked" "$out"

# issue 19 item 6: a process substitution is read to its end, not as an empty document.
echo "one two three four five six" > "$TMP/a.txt"
run_cd dedup --format csv <(cat "$TMP/a.txt") "$TMP/a.txt"
check "pipe input: read and compared" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
/dev/fd/63,$TMP/a.txt,exact,1.0000,1.0000,1.0000,2,1" "$out"

# issue 19 item 13: a standard-input line over --max-doc-bytes is listed with an error and a
# warning and left out of the spool: the records after it are read again correctly.
big=$(head -c 300 /dev/zero | tr '\0' x)
out=$(printf '{"id":"a","text":"one two"}\n{"id":"big","text":"%s"}\n{"id":"b","text":"three"}\n' "$big" |
  "$COPYDESK" dedup --max-doc-bytes 100 --format jsonl - 2> "$TMP/err")
check "stdin over the limit: records" '{"id":"<stdin>:2","tokens":0,"error":"322 bytes, larger than the document size limit of 100 bytes (--max-doc-bytes)","cluster":null,"representative":null}
{"id":"a","text":"one two","cluster":null,"representative":null}
{"id":"b","text":"three","cluster":null,"representative":null}' "$out"
check "stdin over the limit: warning" "copydesk: warning: <stdin>:2: 322 bytes, larger than the document size limit of 100 bytes (--max-doc-bytes)" "$(cat "$TMP/err")"
error "--max-doc-bytes range" 2 \
  'copydesk: error: --max-doc-bytes: Value 0 not in range 1 to 4294967295 (see `copydesk stories --help`)' \
  stories --max-doc-bytes 0 corpora/stories

# issue 19 item 10: a control character in an id is escaped in error lines and tables.
printf '{"id":"a\\nb\\u001b[31m","text":"one two three four five six"}\n{"id":"a\\nb\\u001b[31m","text":"x"}\n' > "$TMP/ctl.jsonl"
error "control characters in an error" 2 \
  "copydesk: error: duplicate id \"a\\nb\\x1b[31m\": $TMP/ctl.jsonl:1 and $TMP/ctl.jsonl:2" \
  dedup "$TMP/ctl.jsonl"
printf '{"id":"a\\nb","text":"one two three four five six"}\n{"id":"c\\u0085","text":"one two three four five six"}\n' > "$TMP/ctl2.jsonl"
run_cd dedup "$TMP/ctl2.jsonl"
check "control characters in a table" '2 documents (0 unusable), 1 duplicate clusters, 1 pairs (Jaccard >= 0.80 or containment >= 0.80)

cluster  kind       size  representative
1        exact      2     a\nb

a        b        kind       jaccard  a_in_b  b_in_a
a\nb     c\u0085  exact      1.0000   1.0000  1.0000' "$out"

finish
