#!/usr/bin/env bash
# End-to-end: the input formats of issue 14 (part 1): gzip and zstd files, CSV, UTF-16 and legacy
# charsets, directory links; every command reads them as it reads the plain file, and bad input
# ends with one line naming the file and line.
source "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
D=tests/data/inputs
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Every command that reads inputs gives the plain file's output for its .gz and .zst (with the
# file name changed back).
for cmd in "dedup --format json" "dedup --format jsonl" "stories --format json" \
  "borrow --self --format json" "report --format json" "check --archive $TMP/a.db --format json"; do
  rm -f "$TMP/a.db"*
  if [[ $cmd == check* ]]; then
    "$COPYDESK" archive add -q "$TMP/a.db" "$D/wire.jsonl" > /dev/null
  fi
  run_cd $cmd "$D/wire.jsonl"
  plain=$out
  check "$cmd: plain runs" 0 "$rc"
  for ext in gz zst; do
    run_cd $cmd "$D/wire.jsonl.$ext"
    check "$cmd: .$ext exit" 0 "$rc"
    check "$cmd: .$ext like plain" "$plain" "${out//wire.jsonl.$ext/wire.jsonl}"
  done
done
for ext in "" .gz .zst; do
  rm -f "$TMP/b.db"*
  run_cd archive add --format jsonl "$TMP/b.db" "$D/wire.jsonl$ext"
  check "archive add$ext" '{"id":"wire-1","status":"added","new":true,"cluster":"wire-1"}
{"id":"gazette-7","status":"added","new":false,"duplicate_of":["wire-1"],"cluster":"wire-1"}
{"id":"herald-2","status":"added","new":true,"cluster":null}
{"id":"library","status":"added","new":true,"cluster":null}' \
    "$(printf '%s\n' "$out" | sed 's/"text":"[^"]*",//; s/,"duplicate_of":\[\]//')"
done
run_cd idf fit -o "$TMP/plain.idf" "$D/wire.jsonl"
run_cd idf fit -o "$TMP/zst.idf" "$D/wire.jsonl.zst"
check "idf: same model" "same" "$(cmp -s "$TMP/plain.idf" "$TMP/zst.idf" && echo same)"

# Compression is found by magic bytes, whatever the name; .json.gz is JSONL.
cp "$D/wire.jsonl.gz" "$TMP/export.jsonl"
cp "$D/wire.jsonl.zst" "$TMP/c4.json.gz"
run_cd dedup --format csv "$TMP/export.jsonl" "$D/wire.jsonl.gz" --id-field nosuch
check "magic bytes: records" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
$TMP/export.jsonl:1,$TMP/export.jsonl:2,contained,0.7424,0.9245,0.7903,49,1
$TMP/export.jsonl:1,$D/wire.jsonl.gz:1,exact,1.0000,1.0000,1.0000,53,1
$TMP/export.jsonl:1,$D/wire.jsonl.gz:2,contained,0.7424,0.9245,0.7903,49,1
$TMP/export.jsonl:2,$D/wire.jsonl.gz:1,contained,0.7424,0.7903,0.9245,49,1
$TMP/export.jsonl:2,$D/wire.jsonl.gz:2,exact,1.0000,1.0000,1.0000,62,1
$TMP/export.jsonl:3,$D/wire.jsonl.gz:3,exact,1.0000,1.0000,1.0000,27,2
$TMP/export.jsonl:4,$D/wire.jsonl.gz:4,exact,1.0000,1.0000,1.0000,14,3
$D/wire.jsonl.gz:1,$D/wire.jsonl.gz:2,contained,0.7424,0.9245,0.7903,49,1" "$out"
run_cd dedup --format csv "$TMP/c4.json.gz"
check ".json.gz is JSONL" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
gazette-7,wire-1,contained,0.7424,0.7903,0.9245,49,1" "$out"
# A compressed whole file is one document; so is a .gz file inside a directory.
mkdir -p "$TMP/dir"
python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['text'])" \
  "$D/wire.jsonl" | gzip -n > "$TMP/dir/story.txt.gz"
run_cd dedup --format csv "$TMP/dir" "$D/wire.jsonl.zst"
check "compressed whole file" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
gazette-7,story.txt.gz,contained,0.7424,0.7903,0.9245,49,1
gazette-7,wire-1,contained,0.7424,0.7903,0.9245,49,1
story.txt.gz,wire-1,exact,1.0000,1.0000,1.0000,53,1" "$out"

# Truncated and corrupt streams: exit 2 naming the file and the last complete line; --skip-bad
# keeps what came before and lists the lost rest as a document with an error.
head -c 300 "$D/wire.jsonl.gz" > "$TMP/cut.jsonl.gz"
run_cd dedup --format csv "$TMP/cut.jsonl.gz"
check "truncated gzip: exit" 2 "$rc"
check "truncated gzip: message" "copydesk: error: $TMP/cut.jsonl.gz: truncated gzip stream (the input ends inside a compressed member) after line 1, the last complete one" "$err"
run_cd dedup --skip-bad --format jsonl "$TMP/cut.jsonl.gz"
check "truncated gzip, --skip-bad: exit" 0 "$rc"
check "truncated gzip, --skip-bad: documents" '{"id":"'"$TMP"'/cut.jsonl.gz:2","tokens":0,"error":"truncated gzip stream (the input ends inside a compressed member) after line 1, the last complete one","cluster":null,"representative":null}
{"id":"wire-1","cluster":null,"representative":null}' \
  "$(printf '%s\n' "$out" | sed 's/"text":"[^"]*",//')"
check "truncated gzip, --skip-bad: warning" "copydesk: warning: $TMP/cut.jsonl.gz: truncated gzip stream (the input ends inside a compressed member) after line 1, the last complete one (the rest is skipped)" "$err"
# A zstd file of two frames whose second is cut in half.
python3 - "$D/wire.jsonl.zst" "$TMP/half.jsonl.zst" << 'PY'
import sys
frame = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(frame + frame[: len(frame) // 2])
PY
run_cd dedup --format csv "$TMP/half.jsonl.zst"
check "zstd frame cut in half: exit" 2 "$rc"
check "zstd frame cut in half: message" "copydesk: error: $TMP/half.jsonl.zst: truncated zstd stream (the input ends inside a frame) after line 4, the last complete one" "$err"
printf 'garbage' | cat "$D/wire.jsonl.gz" - > "$TMP/trailing.jsonl.gz"
run_cd dedup --format csv "$TMP/trailing.jsonl.gz"
check "bytes after the last gzip member" "copydesk: error: $TMP/trailing.jsonl.gz: corrupt gzip stream (incorrect header check) after line 4, the last complete one" "$err"

# CSV: quoted commas, doubled quotes, a newline inside quotes, a row without an id (FILE:ROW);
# JSONL output carries each row as an object of its columns.
run_cd dedup --format jsonl "$D/cms.csv"
check "csv: rows as records" '{"id":"gazette-7","headline":"Harbour \"works\", at last","cluster":1,"representative":"gazette-7"}
{"headline":"Library","text":"The town library opens a reading room for children on Saturdays,\nwith volunteers who read aloud every hour.","id":"tests/data/inputs/cms.csv:4","cluster":null,"representative":null}
{"id":"wire-1","headline":"Quay to close","cluster":1,"representative":"gazette-7"}' \
  "$(printf '%s\n' "$out" | sed 's/"text":"PORT[^"]*",//')"
run_cd dedup --format csv --text-field headline "$D/cms.csv"
check "csv: --text-field names a column" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster" "$out"
run_cd dedup --text-field body "$D/cms.csv"
check "csv: no such column" "copydesk: error: $D/cms.csv:1: the header has no column \"body\" (its columns: \"id\", \"headline\", \"text\"); --text-field names the column of the text" "$err"
run_cd dedup --format csv "$D/unterminated.csv"
check "csv: unterminated quote: exit" 2 "$rc"
check "csv: unterminated quote: message" "copydesk: error: $D/unterminated.csv:3: field 2: unterminated quoted field (its closing quote is missing)" "$err"
run_cd dedup --skip-bad --format jsonl "$D/unterminated.csv"
check "csv: unterminated quote, --skip-bad" '{"id":"ok","text":"A row that is fine.","cluster":null,"representative":null}
{"id":"tests/data/inputs/unterminated.csv:3","tokens":0,"error":"field 2: unterminated quoted field (its closing quote is missing)","cluster":null,"representative":null}' "$out"
printf 'id,text\na,one\nb,two,three\n' > "$TMP/wide.csv"
run_cd dedup "$TMP/wide.csv"
check "csv: wrong number of fields" "copydesk: error: $TMP/wide.csv:3: 3 field(s), but the header has 2 (a field holding the delimiter must be quoted)" "$err"
gzip -n -c "$D/cms.csv" > "$TMP/cms.csv.gz"
printf 'id\ttext\nt1\tThe town library opens a reading room for children on Saturdays, with volunteers who read aloud every hour.\n' > "$TMP/t.tsv"
run_cd dedup --format csv "$TMP/cms.csv.gz" "$TMP/t.tsv"
check "csv.gz and tsv" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
$TMP/cms.csv.gz:4,t1,exact,1.0000,1.0000,1.0000,14,1
gazette-7,wire-1,contained,0.7424,0.7903,0.9245,49,2" "$out"

# UTF-16 with a byte order mark is text (it was "binary file skipped"); --encoding converts
# legacy 8-bit files.
run_cd dedup --format csv "$D/utf16le.txt" "$D/wire.jsonl"
check "utf-16" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster
gazette-7,$D/utf16le.txt,exact,1.0000,1.0000,1.0000,62,1
gazette-7,wire-1,contained,0.7424,0.7903,0.9245,49,1
$D/utf16le.txt,wire-1,contained,0.7424,0.7903,0.9245,49,1" "$out"
# The copy's passage ends at byte 376 of its 377 UTF-8 bytes (375 characters: its two dashes
# are U+2013, three bytes each); the reference's, whose dashes are ASCII, at 374.
run_cd borrow --format json -r "$D/wire.jsonl" "$D/utf16le.txt"
check "utf-16: offsets in the UTF-8 text" "gazette-7 [0, 376] [0, 374]" \
  "$(printf '%s' "$out" | python3 -c 'import json,sys; s=json.load(sys.stdin)["results"][0]["sources"][0]; p=s["passages"][0]; print(s["reference"], p["copy"], p["reference"])')"
# Café, “works”, €: four 8-bit characters, invalid UTF-8 without --encoding.
run_cd dedup --format json --encoding windows-1252 "$D/cp1252.txt"
check "--encoding: converted" "tokens 32, invalid 0" \
  "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin)["documents"][0]; print("tokens", d["tokens"], end=", "); print("invalid", d.get("invalid_utf8", 0))')"
run_cd dedup --format json "$D/cp1252.txt"
check "without --encoding: repaired" "tokens 32, invalid 4" \
  "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin)["documents"][0]; print("tokens", d["tokens"], end=", "); print("invalid", d.get("invalid_utf8", 0))')"
run_cd dedup --encoding klingon "$D/cp1252.txt"
check "--encoding: unknown" "copydesk: error: --encoding: unknown character set \"klingon\" (ICU converter names such as windows-1252, ISO-8859-1, UTF-16LE)" "$err"

# A directory with a symbolic-link loop: links to directories are not followed by default (no
# "duplicate id"); --follow follows them and names the loop.
mkdir -p "$TMP/site/news"
cp "$D/utf16le.txt" "$TMP/site/news/a.txt"
ln -s .. "$TMP/site/news/up"
run_cd dedup --format csv "$TMP/site"
check "link loop: exit" 0 "$rc"
check "link loop: not followed" "a,b,kind,jaccard,a_in_b,b_in_a,shared,cluster" "$out"
check "link loop: no warning" "" "$err"
run_cd dedup --follow --format csv "$TMP/site"
check "--follow: exit" 0 "$rc"
check "--follow: the loop named" "copydesk: warning: $TMP/site/news/up: directory loop skipped: it leads back to $TMP/site, which is being walked" "$err"

# A 200 MB single-line record (made here, not committed): over the default --max-doc-bytes it is
# listed with an error, without being held in memory; raised past it, --memory-limit refuses it
# with its own error; in a gzip file the same.
python3 - "$TMP/huge.jsonl" << 'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"id": "small", "text": "one two three"}\n{"id": "huge", "text": "')
    f.write("word " * 40_000_000)
    f.write('"}\n{"id": "after", "text": "four five six"}\n')
PY
gzip -1 -n -c "$TMP/huge.jsonl" > "$TMP/huge.jsonl.gz"
for f in huge.jsonl huge.jsonl.gz; do
  run_cd dedup --format jsonl "$TMP/$f"
  check "$f: exit" 0 "$rc"
  check "$f: listed with an error" '{"id":"'"$TMP/$f"':2","tokens":0,"error":"200000026 bytes, larger than the document size limit of 67108864 bytes (--max-doc-bytes)","cluster":null,"representative":null}
{"id":"after","text":"four five six","cluster":null,"representative":null}
{"id":"small","text":"one two three","cluster":null,"representative":null}' "$out"
  run_cd dedup --max-doc-bytes 300000000 --memory-limit 1000000000 "$TMP/$f"
  check "$f: memory limit" "copydesk: error: $TMP/$f:2: 200000000 bytes: copydesk dedup needs about 8 bytes of memory per byte of one document, so documents up to 125000000 bytes fit in the memory limit of 1000000000 bytes (--memory-limit)" "$err"
done
finish
