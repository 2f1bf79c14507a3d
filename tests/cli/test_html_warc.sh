#!/bin/bash
# End-to-end tests of HTML pages, WARC files and --strip-boilerplate (issue 14): exact JSONL
# records (extracted text, --keep-html, removed spans), WARC ids, times and skipped-record counts,
# bad input (a page with no body, a wrong Content-Length, a truncated .warc.gz), line precision
# and recall on corpora/scraped, and the seed pair 000/001 (skipped when ../shared is absent).
# Usage: bash test_html_warc.sh COPYDESK_BINARY SOURCE_DIR
source "$(dirname "$0")/lib.sh"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

# --- HTML pages ---
printf '%s' '<!doctype html><html><head><title>T</title><script>var a;</script></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Water alert lifted</h1>
<p>The city&rsquo;s water is safe to drink again, officials said on Tuesday, after three days of tests found no trace of the bacteria.</p></article>
<footer>&copy; 2026 Aldmoor Times. All rights reserved.</footer></body></html>' > page.html
run_cd dedup --format jsonl page.html
check "html: extracted text" '{"id":"page.html","text":"Home News\n\nWater alert lifted\n\nThe city’s water is safe to drink again, officials said on Tuesday, after three days of tests found no trace of the bacteria.\n\n© 2026 Aldmoor Times. All rights reserved.","cluster":null,"representative":null}' "$out"
run_cd dedup --format jsonl --strip-boilerplate page.html
check "html: stripped, spans" '{"id":"page.html","text":"         \n\nWater alert lifted\n\nThe city’s water is safe to drink again, officials said on Tuesday, after three days of tests found no trace of the bacteria.\n\n                                           ","boilerplate":[[0,9],[160,203]],"cluster":null,"representative":null}' "$out"
run_cd dedup --format json --strip-boilerplate page.html
check "html: counts in JSON" '      "boilerplate_blocks": 2,
      "boilerplate_bytes": 52,' "$(grep -A1 '"boilerplate_blocks"' <<< "$out")"
printf '<p>a &lt;b&gt;</p>' > small.htm
run_cd dedup --format jsonl --keep-html small.htm
check "html: --keep-html" '{"id":"small.htm","text":"a <b>","html":"<p>a &lt;b&gt;</p>","cluster":null,"representative":null}' "$out"
printf '<html><head><title>nothing here</title></head></html>' > empty.html
run_cd dedup empty.html page.html
check "html: no body warns" "copydesk: warning: empty.html: HTML page with no <body> (no text)" "$err"
check "html: no body exit" 0 "$rc"

# --- WARC ---
# rec TYPE ID EXTRA BLOCK [LENGTH]: one WARC record (CRLF line ends).
rec() {
  local len=${5:-${#4}}
  printf 'WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\n%sContent-Length: %s\r\n\r\n%s\r\n\r\n' "$1" "$2" "$3" "$len" "$4"
}
resp() { # resp ID URL DATE BODY (printf -v: a command substitution would drop the last CRLF)
  local http extra
  printf -v http 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n%s' "$4"
  printf -v extra 'WARC-Target-URI: %s\r\nWARC-Date: %s\r\nContent-Type: application/http; msgtype=response\r\n' "$2" "$3"
  rec response "$1" "$extra" "$http"
}
LC_ALL=C
{
  rec warcinfo 0000 "" "software: test"
  rec request 0001 "" "GET / HTTP/1.1"
  resp 0002 http://a.example/one 2026-11-02T10:00:00Z "<p>Council approves the budget for road repairs across the county.</p>"
  resp 0003 http://a.example/two 2026-11-03T11:30:00Z "<p>Council approves the budget for road repairs across the county.</p>"
  rec metadata 0004 "" "fetchTimeMs: 3"
} > crawl.warc
run_cd dedup --format jsonl -v crawl.warc
check "warc: records" '{"id":"urn:uuid:0002","text":"Council approves the budget for road repairs across the county.","cluster":1,"representative":"urn:uuid:0002"}
{"id":"urn:uuid:0003","text":"Council approves the budget for road repairs across the county.","cluster":1,"representative":"urn:uuid:0002"}' "$out"
check "warc: counts" "copydesk: read: 2 HTML pages, 5 WARC records (skipped: 1 metadata records, 1 request records, 1 warcinfo records)" "$(grep 'copydesk: read' <<< "$err")"
run_cd dedup --id-field url crawl.warc
check "warc: url ids" "a                     b                     kind       jaccard  a_in_b  b_in_a
http://a.example/one  http://a.example/two  exact      1.0000   1.0000  1.0000" "$(tail -2 <<< "$out")"
gzip -c crawl.warc > whole.warc.gz
run_cd dedup --format csv whole.warc.gz
check "warc.gz: one member" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
urn:uuid:0002,urn:uuid:0003,exact,1.0000,1.0000,1.0000,6,1" "$out"
# Common Crawl layout: a gzip member per record; then the file cut in the middle of a member.
{
  rec warcinfo 0000 "" "software: test" | gzip -c
  resp 0002 http://a.example/one 2026-11-02T10:00:00Z "<p>one</p>" | gzip -c
} > members.warc.gz
size=$(stat -c %s members.warc.gz)
head -c $((size - 12)) members.warc.gz > cut.warc.gz
first=$(rec warcinfo 0000 "" "software: test" | gzip -c | wc -c)
run_cd dedup cut.warc.gz
check "warc.gz: truncated" "copydesk: error: cut.warc.gz: truncated gzip stream: the member at byte $first ends before its end (the file was cut short)" "$err"
check "warc.gz: truncated exit" 2 "$rc"
{
  rec warcinfo 0000 "" "software: test"
  rec request 0001 "" "GET / HTTP/1.1" 5
  resp 0002 http://a.example/one 2026-11-02T10:00:00Z "<p>one</p>"
} > badlen.warc
at=$(rec warcinfo 0000 "" "software: test" | wc -c)
run_cd dedup badlen.warc
check "warc: wrong Content-Length" "copydesk: error: badlen.warc: WARC record 2 at byte $at: Content-Length 5 does not match the record: its block is not followed by the blank line (CRLF CRLF) that ends a record" "$err"
check "warc: wrong Content-Length exit" 2 "$rc"
run_cd dedup --skip-bad --format jsonl badlen.warc
check "warc: --skip-bad keeps the next record" '{"id":"urn:uuid:0002","text":"one","cluster":null,"representative":null}' "$out"
printf 'garbage\n' > garbage.warc
run_cd dedup garbage.warc
check "warc: not a WARC" 'copydesk: error: garbage.warc: WARC record 1 at byte 0: a record must start with "WARC/1.0" or "WARC/1.1", got "garbage"' "$err"
# archive add takes WARC-Date as the time with --time-field time.
run_cd archive add --time-field time --url-field url --format jsonl a.cdx crawl.warc
check "archive add from WARC" '{"id":"urn:uuid:0002","time":"2026-11-02T10:00:00Z","url":"http://a.example/one","text":"Council approves the budget for road repairs across the county.","status":"added","new":true,"duplicate_of":[],"cluster":"urn:uuid:0002"}
{"id":"urn:uuid:0003","time":"2026-11-03T11:30:00Z","url":"http://a.example/two","text":"Council approves the budget for road repairs across the county.","status":"added","new":false,"duplicate_of":["urn:uuid:0002"],"cluster":"urn:uuid:0002"}' "$out"

# --- furniture on labelled pages: exact counts ---
got=$(python3 "$SRC/bench/boilerplate_eval.py" "$COPYDESK" "$SRC/corpora/scraped" "$SRC/corpora/scraped-labels.tsv")
check "scraped: line precision/recall" "documents 6 lines 275 article 80 kept 77 correct 77 precision 1.0000 recall 0.9625" "$got"

# --- the seeds: 000 is 001 inside a page (skipped when the shared corpora are absent) ---
SEEDS="$SRC/../shared/corpora/seeds"
if [[ -d $SEEDS ]]; then
  run_cd dedup --format csv "$SEEDS"
  check "seeds: before" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
000_c90e9a87c354ed49.txt,001_897ea59156dc2a13.txt,contained,0.4254,0.4332,0.9598,525,1" "$out"
  run_cd dedup --format csv --strip-boilerplate "$SEEDS"
  check "seeds: stripped" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
000_c90e9a87c354ed49.txt,001_897ea59156dc2a13.txt,near,0.8129,0.8735,0.9214,504,1" "$out"
else
  echo "seeds: skipped ($SEEDS not present)"
fi
finish
