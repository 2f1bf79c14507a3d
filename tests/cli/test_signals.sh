#!/usr/bin/env bash
# End-to-end: editor signals (issue 16) on tests/data/signals, own short texts: a wire story,
# an outlet that shares only its quotations, one that lifts its lede and fares paragraph with
# changed numbers and a changed name, and an unrelated story. Exact expected borrow JSON, table
# and CSV, report table, check table; quoted words and the new verdict in the HTML pages.
source "$(dirname "$0")/lib.sh"
cd "$SRC/tests/data/signals/corpus" || exit 1
EXP="$SRC/tests/data/signals/expected"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
strip_version() { grep -v '^  "version": '; }
copies=(quotes-only.txt prose-copy.txt own-words.txt)

run_cd borrow -r wire.txt --format json "${copies[@]}"
check "borrow json exit" 0 "$rc"
check "borrow json" "$(strip_version <"$EXP/borrow.json")" "$(strip_version <<<"$out")"
run_cd borrow -r wire.txt "${copies[@]}"
check_file "borrow table" "$EXP/borrow.txt" "$out"
run_cd borrow -r wire.txt --format csv "${copies[@]}"
check_file "borrow csv" "$EXP/borrow.csv" "$out"
run_cd borrow -r wire.txt --format jsonl quotes-only.txt
check "jsonl: quotes only, no prose" 1 \
  "$(grep -c '"borrowed":0.346939,"borrowed_tokens":51,"borrowed_prose":0.0,"prose_tokens":0' <<<"$out")"

# The lede of prose-copy.txt is its first paragraph under the headline: cut it out by offsets.
lede=$(python3 -c 'import json,sys
r = json.load(sys.stdin)["results"]
c = [x for x in r if x["id"] == "prose-copy.txt"][0]
b, e = c["lede"]
print(open("prose-copy.txt", "rb").read()[b:e].decode())' <<<"$(strip_version <"$EXP/borrow.json")")
check "lede bytes" "Fares on the Porthaven harbour ferry will rise by 25 percent from the first of April, the operator said on Monday, blaming the cost of fuel and a shortage of trained crew" "$lede"

run_cd report .
check "report exit" 0 "$rc"
check_file "report table" "$EXP/report.txt" "$out"
run_cd report --format json .
verdicts=$(python3 -c 'import json,sys
j = json.load(sys.stdin)
print(" ".join(d["id"] + "=" + str(d["verdict"]) for d in j["documents"]))' <<<"$out")
check "report verdicts" "own-words.txt=None prose-copy.txt=borrows quotes-only.txt=shares_quotes wire.txt=borrows" "$verdicts"

# Changed facts: every edit inside prose-copy.txt's passage, its kind, and its words cut out of
# both texts by the offsets given.
changes=$(python3 -c 'import json,sys
r = json.load(sys.stdin)["results"]
c = [x for x in r if x["id"] == "prose-copy.txt"][0]
copy = open("prose-copy.txt", "rb").read()
wire = open("wire.txt", "rb").read()
for p in c["sources"][0]["passages"]:
    for f in p["changes"]:
        a, b = f["copy"]
        x, y = f["reference"]
        ok = copy[a:b].decode() == f["copy_text"] and wire[x:y].decode() == f["reference_text"]
        print(f["kind"], f["copy_text"], f["reference_text"], "offsets-ok" if ok else "offsets-wrong")
print("changed_facts", c["sources"][0]["changed_facts"])' <<<"$(strip_version <"$EXP/borrow.json")")
check "changed facts: kinds, words and offsets" "number 25 20 offsets-ok
number 3.75 3.60 offsets-ok
number 75 72 offsets-ok
name Ferries Lines offsets-ok
changed_facts 4" "$changes"

# check: the same signals against an archive of the wire.
"$COPYDESK" archive add -q "$tmp/w.db" wire.txt >/dev/null
run_cd check --archive "$tmp/w.db" quotes-only.txt prose-copy.txt
check_file "check table" "$EXP/check.txt" "$out"
run_cd check --archive "$tmp/w.db" --format csv quotes-only.txt
check "check csv" "id,verdict,borrowed,match,archived,kind,score,source,time,borrowed_prose,lede_borrowed,credited,credit,changed_facts,found
quotes-only.txt,shares_quotes,0.3469,source,wire.txt,borrowed,0.3469,,,0.0000,0.0000,false,,0," "$out"

# HTML: quoted words styled in both columns, the signal shares in the legend, the new pill.
"$COPYDESK" borrow -r wire.txt --html "$tmp/b.html" "${copies[@]}" >/dev/null
check "borrow html: quotation in the copy" 1 \
  "$(grep -c '<span class="q">&quot;People who cross twice a day' "$tmp/b.html")"
check "borrow html: quotation inside a passage of the wire" 1 \
  "$(grep -c '<mark id="c2s0p0r" data-twin="c2s0p0c" style="background:#ffd8a8" title="13 words, copied in quotes-only.txt"><span class="q">' "$tmp/b.html")"
check "borrow html: legend (bar tooltip and line)" 2 \
  "$(grep -c '34.7% borrowed, 0.0% outside quotes, 0.0% of the lede' "$tmp/b.html")"
"$COPYDESK" report --quiet --html "$tmp/r.html" . >/dev/null
check "report html: shares-quotes pill" 1 \
  "$(grep -o '<span class="verdict v-shares_quotes">shares quotes</span>' "$tmp/r.html" | sort -u | wc -l | tr -d ' ')"
check "report html: quotations marked" 1 "$(grep -c 'span.q{' "$tmp/r.html")"
check "borrow html: changed facts marked in both columns" 8 \
  "$(grep -o '<span class="chg chg-\(number\|name\)"' "$tmp/b.html" | wc -l | tr -d ' ')"
check "borrow html: the copy's changed figure names the wire's" 1 \
  "$(grep -c '<span class="chg chg-number" title="number changed; the source has “3.60”">3.75</span>' "$tmp/b.html")"
check "borrow html: changed-facts badge" 1 "$(grep -c '<span class="badge facts">4 changed facts</span>' "$tmp/b.html")"
check "report html: changed facts marked" 1 \
  "$(grep -c '<span class="chg chg-name" title="name changed; the source has “Lines”">Ferries</span>' "$tmp/r.html")"

# check --html: the draft beside the archived wire, the signals marked as on the borrow page.
run_cd check --archive "$tmp/w.db" --html "$tmp/check.html" quotes-only.txt prose-copy.txt
check "check html: exit and table unchanged" "0" "$rc"
check "check html: verdict pills" 2 \
  "$(grep -o '<span class="verdict v-\(borrows\|shares_quotes\)">' "$tmp/check.html" | wc -l | tr -d ' ')"
check "check html: passages marked in both columns (1 + 3 passages, twice)" 8 \
  "$(grep -o '<mark id="c[01]s0p[0-9]*[cr]" data-twin=' "$tmp/check.html" | wc -l | tr -d ' ')"
check "check html: changed facts and their badge" "8 1" \
  "$(grep -o '<span class="chg chg-\(number\|name\)"' "$tmp/check.html" | wc -l | tr -d ' ') $(grep -c '<span class="badge facts">4 changed facts</span>' "$tmp/check.html")"
check "check html: nothing fetched" 0 "$(grep -c 'src=\|href="http' "$tmp/check.html")"

# First publisher: the same texts as JSONL with times in both orders (the quotes-only outlet
# dated a day before the wire, the prose copy hours after it) and one without a time.
python3 - >"$tmp/timed.jsonl" <<'PY'
import json
times = {"wire.txt": "2026-02-03T08:00Z", "prose-copy.txt": "2026-02-03T14:30Z",
         "quotes-only.txt": "2026-02-02", "own-words.txt": None, "bad-time.txt": "soon"}
for name, t in times.items():
    rec = {"id": name, "text": open(name if name != "bad-time.txt" else "prose-copy.txt",
                                    encoding="utf-8").read()}
    if t:
        rec["time"] = t
    print(json.dumps(rec))
PY
grep '"wire.txt"' "$tmp/timed.jsonl" >"$tmp/wire.jsonl"
grep -v '"wire.txt"' "$tmp/timed.jsonl" >"$tmp/copies.jsonl"
run_cd borrow -r "$tmp/wire.jsonl" --time-field time "$tmp/copies.jsonl"
check "first publisher: borrow table" "4 documents, 1 references, 3 borrow (seeds of 3 words, passages of >= 8 matched words, gaps <= 4)

copy             reference   borrowed    prose     lede   reused  longest  credited  facts      found
bad-time.txt     wire.txt       48.2%    48.2%   100.0%    23.1%       68        no      4    unknown
own-words.txt    -               0.0%     0.0%     0.0%        -        -         -      -          -
prose-copy.txt   wire.txt       48.2%    48.2%   100.0%    23.1%       68        no      4    earlier
quotes-only.txt  wire.txt       34.7%     0.0%     0.0%    17.3%       20        no      0      later" "$out"
check "first publisher: a time that is not ISO 8601 is named" \
  'copydesk: warning: bad-time.txt: time "soon" is not an ISO 8601 date; taken as no time' "$err"
run_cd borrow -r "$tmp/wire.jsonl" --time-field time --format json "$tmp/copies.jsonl"
found=$(python3 -c 'import json,sys
j = json.load(sys.stdin)
print("params", j["params"]["time_field"], "reference", j["references"][0]["time"])
for r in j["results"]:
    for s in r.get("sources", []):
        print(r["id"], r["time"], s["found"], " ".join(str(p["first_holder"]) for p in s["passages"]))' <<<"$out")
check "first publisher: borrow json" "params time reference 2026-02-03T08:00Z
bad-time.txt None unknown None
prose-copy.txt 2026-02-03T14:30Z earlier wire.txt
quotes-only.txt 2026-02-02 later quotes-only.txt quotes-only.txt quotes-only.txt" "$found"
grep -v '"bad-time.txt"' "$tmp/timed.jsonl" >"$tmp/report.jsonl"
run_cd report --time-field time "$tmp/report.jsonl"
check "first publisher: report findings" "      48.2% of its words are found in wire.txt (1 passage, longest 68 words; 48.2% outside quotes; 100.0% of the lede; 4 changed facts; found earlier in wire.txt)
      34.7% of its words are found in wire.txt (3 passages, longest 20 words; 0.0% outside quotes; 0.0% of the lede; found later in wire.txt)
      23.1% of its words are found in prose-copy.txt (1 passage, longest 68 words; 23.1% outside quotes; 86.5% of the lede; 4 changed facts; found later in prose-copy.txt)
      17.3% of its words are found in quotes-only.txt (3 passages, longest 20 words; 0.0% outside quotes; 0.0% of the lede; found earlier in quotes-only.txt)" \
  "$(grep 'of its words are found in' <<<"$out")"
"$COPYDESK" report --quiet --time-field time --html "$tmp/t.html" "$tmp/report.jsonl" >/dev/null
check "first publisher: copy chain in the story card" '<p class="chain"><b>Copy chain</b> (by publication time): <span class="doc">quotes-only.txt</span> <small>2026-02-02</small> &rarr; <span class="doc">wire.txt</span> <small>2026-02-03T08:00Z</small> <small>(takes from quotes-only.txt)</small> &rarr; <span class="doc">prose-copy.txt</span> <small>2026-02-03T14:30Z</small> <small>(takes from wire.txt)</small></p>' \
  "$(grep -o '<p class="chain">.*</p>' "$tmp/t.html")"
run_cd report --time-window 3 "$tmp/report.jsonl"
check "first publisher: --time-window needs --time-field" "2 copydesk: error: --time-window needs --time-field" "$rc $err"
"$COPYDESK" archive add -q --time-field time "$tmp/t.db" "$tmp/wire.jsonl" >/dev/null
run_cd check --archive "$tmp/t.db" --time-field time --format csv "$tmp/copies.jsonl"
check "first publisher: check csv" "id,verdict,borrowed,match,archived,kind,score,source,time,borrowed_prose,lede_borrowed,credited,credit,changed_facts,found
bad-time.txt,borrows,0.4823,source,wire.txt,borrowed,0.4823,,2026-02-03T08:00Z,0.4823,1.0000,false,,4,unknown
own-words.txt,none,0.0000,,,,,,,0.0000,0.0000,,,,
prose-copy.txt,borrows,0.4823,source,wire.txt,borrowed,0.4823,,2026-02-03T08:00Z,0.4823,1.0000,false,,4,earlier
quotes-only.txt,shares_quotes,0.3469,source,wire.txt,borrowed,0.3469,,2026-02-03T08:00Z,0.0000,0.0000,false,,0,later" "$out"

# Credit lines: a built-in phrasing ("with wire reports"), none, and a newsroom's own line from
# --credits that licenses the wire by name.
cd "$SRC/tests/data/signals/credits" || exit 1
credit_copies=(credited.txt uncredited.txt own-credit.txt)
run_cd borrow -r ../corpus/wire.txt --credits newsroom-credits.tsv "${credit_copies[@]}"
check "credits: borrow table" "3 documents, 1 references, 3 borrow (seeds of 3 words, passages of >= 8 matched words, gaps <= 4)

copy            reference            borrowed    prose     lede   reused  longest  credited  facts
credited.txt    ../corpus/wire.txt      57.1%    57.1%   100.0%    10.8%       32       yes      0
own-credit.txt  ../corpus/wire.txt      92.5%    92.5%   100.0%    13.2%       37       yes      1
uncredited.txt  ../corpus/wire.txt      55.2%    55.2%   100.0%    10.8%       32        no      0" "$out"
run_cd borrow -r ../corpus/wire.txt "${credit_copies[@]}"
check "credits: without the file, own-credit.txt is uncredited" "no" \
  "$(awk '$1 == "own-credit.txt" {print $(NF-1)}' <<<"$out")"
run_cd borrow -r ../corpus/wire.txt --credits newsroom-credits.tsv --format json "${credit_copies[@]}"
credits=$(python3 -c 'import json,sys
for r in json.load(sys.stdin)["results"]:
    s = r["sources"][0]
    print(r["id"], s["credited"], s["credit"])' <<<"$out")
check "credits: json" "credited.txt True with wire reports
own-credit.txt True (Coastline Wire)
uncredited.txt False None" "$credits"
run_cd borrow -r ../corpus/wire.txt --credits missing.tsv credited.txt
check "credits: missing file" "2 copydesk: error: missing.tsv: credits file not found" "$rc $err"

"$COPYDESK" archive add -q "$tmp/c.db" ../corpus/wire.txt >/dev/null
run_cd check --archive "$tmp/c.db" --fail-over 0.3 credited.txt
check "check: credited source over the limit fails" 1 "$rc"
run_cd check --archive "$tmp/c.db" --fail-over 0.3 --uncredited-only credited.txt
check "check: --uncredited-only passes a credited source" 0 "$rc"
check "check: table names the credit line" 1 "$(grep -c 'credited: with wire reports' <<<"$out")"
run_cd check --archive "$tmp/c.db" --fail-over 0.3 --uncredited-only credited.txt uncredited.txt
check "check: --uncredited-only still fails an uncredited source" 1 "$rc"
check "check: table says uncredited" 1 "$(grep -c 'uncredited$' <<<"$out")"

"$COPYDESK" borrow -r ../corpus/wire.txt --html "$tmp/c.html" "${credit_copies[@]}" >/dev/null
check "html: credit badge" 1 "$(grep -c '<span class="badge credited">credited: with wire reports</span>' "$tmp/c.html")"
check "html: no-credit badges (uncredited.txt, own-credit.txt)" 2 "$(grep -o '<span class="badge uncredited">no credit line</span>' "$tmp/c.html" | wc -l | tr -d ' ')"
finish
