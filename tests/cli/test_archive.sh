#!/bin/bash
# End-to-end tests of `copydesk archive` and `copydesk check` on corpora/newsroom: exact table
# output, rerun idempotence, JSON/JSONL keys, --fail-over exit codes, bad input, and the crash test
# (short form): `archive add` killed with SIGKILL at 20 random moments keeps exactly a prefix of
# committed batches, passes `archive verify`, and a rerun finishes the job; no space to write (a
# file size limit) and a read-only file and directory give one clear line and a sound archive,
# and a read-only archive can still be checked.
# Usage: bash test_archive.sh COPYDESK_BINARY SOURCE_DIR
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
cd "$SRC/corpora/newsroom" || fail "no corpora/newsroom"

# archive add: every duplicate found against what came before, then the summary.
out=$("$BIN" archive add "$TMP/a.db" . 2>&1) || fail "archive add exited $?"
expected='status     kind      jaccard  a_in_b   b_in_a   document -> archived
added      near      0.8691   0.9300   0.9300   other-museum-reopening.txt -> other-museum-reopening-copy.txt
added      contained 0.3902   0.8589   0.4170   outlet-b-water-alert.txt -> outlet-a-water-alert.txt
added      contained 0.4966   1.0000   0.4966   wire-water-alert.txt -> outlet-a-water-alert.txt
added      contained 0.7379   0.8397   0.8589   wire-water-alert.txt -> outlet-b-water-alert.txt
copydesk archive add: 9 documents: 9 added, 0 replaced, 0 skipped (already archived), 0 failed; 3 duplicate archived texts; archive now 9 documents'
[[ "$out" == "$expected" ]] || fail "archive add table:
$out"
# The same pairs as batch dedup.
pairs_dedup=$("$BIN" dedup --format csv . | tail -n +2 | cut -d, -f1-6 | sort)
pairs_archive=$("$BIN" archive add "$TMP/b.db" --format json . |
  python3 -c 'import json,sys
for d in json.load(sys.stdin)["documents"]:
    for m in d["duplicates"]:
        a, b, x, y = d["id"], m["archived"], m["a_in_b"], m["b_in_a"]
        if b < a: a, b, x, y = b, a, y, x
        print("%s,%s,%s,%.4f,%.4f,%.4f" % (a, b, m["kind"], m["jaccard"], x, y))' | sort)
[[ "$pairs_dedup" == "$pairs_archive" ]] || fail "archive pairs differ from dedup:
$pairs_dedup
---
$pairs_archive"

# Rerun: everything skipped; JSONL gives every input back with the new keys.
out=$("$BIN" archive add "$TMP/a.db" . | tail -1)
[[ "$out" == "copydesk archive add: 9 documents: 0 added, 0 replaced, 9 skipped (already archived), 0 failed; 0 duplicate archived texts; archive now 9 documents" ]] ||
  fail "rerun: $out"
lines=$("$BIN" archive add "$TMP/a.db" --format jsonl . | python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l)
    print(r["id"], r["status"], r["new"], ",".join(r["duplicate_of"]), r["cluster"])')
expected='other-museum-reopening-copy.txt skipped False  other-museum-reopening-copy.txt
other-museum-reopening.txt skipped False  other-museum-reopening-copy.txt
other-sewage-beaches.txt skipped False  None
outlet-a-water-alert.txt skipped False  outlet-a-water-alert.txt
outlet-b-water-alert.txt skipped False  outlet-a-water-alert.txt
outlet-c-water-alert.txt skipped False  None
outlet-d-water-alert.txt skipped False  None
outlet-e-water-alert.txt skipped False  None
wire-water-alert.txt skipped False  outlet-a-water-alert.txt'
[[ "$lines" == "$expected" ]] || fail "jsonl:
$lines"

# check against an archive of the wire story and the museum piece.
"$BIN" archive add -q "$TMP/w.db" wire-water-alert.txt other-museum-reopening.txt >/dev/null ||
  fail "archive add w.db"
out=$("$BIN" check --archive "$TMP/w.db" outlet-a-water-alert.txt outlet-c-water-alert.txt \
  other-museum-reopening-copy.txt other-sewage-beaches.txt)
expected='other-museum-reopening-copy.txt  DUPLICATE  borrowed 0.9740  prose 0.8395  lede 1.0000
  duplicate  near  jaccard 0.8691  other-museum-reopening.txt
  source     borrowed 0.9740  prose 0.8395  reused 0.9740  1 passages  other-museum-reopening.txt  uncredited
  story      mill, museum, aldmoor, looms, floor  closest other-museum-reopening.txt (0.9789)
other-sewage-beaches.txt  OWN WORDS  borrowed 0.0000  prose 0.0000  lede 0.0000
  story      beaches, company, elland, overflow, storm  closest wire-water-alert.txt (0.1154)
outlet-a-water-alert.txt  DUPLICATE  borrowed 0.4953  prose 0.3978  lede 1.0000
  duplicate  contained  jaccard 0.4966  wire-water-alert.txt
  source     borrowed 0.4953  prose 0.3978  reused 1.0000  1 passages  wire-water-alert.txt  uncredited
  story      castlebrook, water, notice, fenwick, city  closest wire-water-alert.txt (0.6521)
outlet-c-water-alert.txt  SHARES QUOTES  borrowed 0.1188  prose 0.0281  lede 0.0000
  source     borrowed 0.1188  prose 0.0281  reused 0.0942  3 passages  wire-water-alert.txt  uncredited
  story      castlebrook, water, boil, pump, city  closest wire-water-alert.txt (0.4602)
copydesk check: 4 documents, 2 take from the archive'
[[ "$out" == "$expected" ]] || fail "check table:
$out"
# The passages are borrow's.
want=$("$BIN" borrow -r wire-water-alert.txt --format json outlet-c-water-alert.txt |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["sources"][0]["passages"])')
got=$("$BIN" check --archive "$TMP/w.db" --format json outlet-c-water-alert.txt |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["sources"][0]["passages"])')
[[ "$want" == "$got" ]] || fail "check passages differ from borrow: $got vs $want"
# --fail-over: exit 1 on a policy hit, 0 otherwise.
"$BIN" check --archive "$TMP/w.db" --fail-over 0.3 outlet-a-water-alert.txt >/dev/null
[[ $? -eq 1 ]] || fail "--fail-over 0.3 should exit 1"
"$BIN" check --archive "$TMP/w.db" --fail-over 0.5 outlet-a-water-alert.txt >/dev/null ||
  fail "--fail-over 0.5 should exit 0"

# Bad input: one line naming the file, exit 2.
err=$("$BIN" archive info wire-water-alert.txt 2>&1)
rc=$?
[[ $rc -eq 2 && "$err" == "copydesk: error: wire-water-alert.txt: not a copydesk archive, or a damaged one (file is not a database)" ]] ||
  fail "not an archive: rc=$rc $err"
err=$("$BIN" check --archive "$TMP/none.db" wire-water-alert.txt 2>&1)
[[ $? -eq 2 && "$err" == "copydesk: error: $TMP/none.db: no such archive" ]] || fail "missing: $err"
err=$("$BIN" archive add "$TMP/a.db" -k 7 wire-water-alert.txt 2>&1)
[[ $? -eq 2 && "$err" == *"shingle_width: expected 5 (the archive's), got 7" ]] ||
  fail "other settings: $err"
out=$("$BIN" archive remove "$TMP/a.db" nope wire-water-alert.txt 2>"$TMP/err")
[[ "$out" == "copydesk archive remove: 1 removed, 1 not found; archive now 8 documents" &&
  "$(cat "$TMP/err")" == "copydesk: warning: nope: not in the archive" ]] || fail "remove: $out"
out=$("$BIN" archive verify "$TMP/a.db") || fail "verify after remove: $out"
[[ "$out" == "copydesk archive verify: 8 documents, 0 problems" ]] || fail "verify: $out"

# Crash test: SIGKILL during add at 20 moments. After each: the archive opens and verifies, and
# holds a prefix of the input (whole batches: the ids archived are the first K of the input).
python3 - "$TMP/crawl.jsonl" <<'EOF'
import json, random, sys
rng = random.Random(5)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
         for _ in range(4000)]
with open(sys.argv[1], "w") as f:
    for i in range(1500):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(150, 450)))
        f.write(json.dumps({"id": "c%05d" % i, "text": text}) + "\n")
EOF
ids_in() {
  python3 -c 'import sqlite3,sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(" ".join(r[0] for r in c.execute("select id from docs order by doc")))' "$1"
}
all_ids=$(python3 -c 'import json,sys
print(" ".join(json.loads(l)["id"] for l in open(sys.argv[1])))' "$TMP/crawl.jsonl")
rm -f "$TMP/k.db"*
for round in $(seq 1 20); do
  "$BIN" archive add -q -j1 --batch-mb 1 "$TMP/k.db" "$TMP/crawl.jsonl" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 9))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [[ -e "$TMP/k.db" ]] || continue
  v=$("$BIN" archive verify "$TMP/k.db" 2>&1) || fail "round $round: verify after kill: $v"
  have=$(ids_in "$TMP/k.db")
  [[ "$all_ids" == "$have"* ]] || fail "round $round: archived ids are not a prefix of the input"
done
out=$("$BIN" archive add -q --batch-mb 1 --format json "$TMP/k.db" "$TMP/crawl.jsonl" |
  python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]
print(s["added"] + s["skipped"], s["archive_documents"], s["failed"])')
[[ "$out" == "1500 1500 0" ]] || fail "rerun after kills: $out"
v=$("$BIN" archive verify "$TMP/k.db") || fail "final verify: $v"
[[ "$(ids_in "$TMP/k.db")" == "$all_ids" ]] || fail "final archive is not the input"
# No space: `archive add` under a file size limit (SIGXFSZ ignored, so writes fail with EFBIG as
# on a full disk) fails with one line saying so; the archive keeps what it held, verifies, and a
# rerun without the limit finishes the job.
"$BIN" archive add -q "$TMP/full.db" . >/dev/null || fail "full: first add"
before=$(ids_in "$TMP/full.db")
err=$( (ulimit -f 600; trap '' XFSZ; exec "$BIN" archive add -q "$TMP/full.db" "$TMP/crawl.jsonl") 2>&1 >/dev/null)
rc=$?
[[ $rc -eq 2 ]] || fail "full: exit $rc (expected 2): $err"
[[ "$err" == "copydesk: error: $TMP/full.db: cannot run the statement: no space to write: disk full or a file size limit (disk I/O error); the archive keeps what was committed before" ]] ||
  fail "full: message: $err"
v=$("$BIN" archive verify "$TMP/full.db") || fail "full: verify after the failed add: $v"
[[ "$(ids_in "$TMP/full.db")" == "$before"* ]] || fail "full: documents lost"
out=$("$BIN" archive add -q --format json "$TMP/full.db" "$TMP/crawl.jsonl" |
  python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["archive_documents"], s["failed"])')
[[ "$out" == "1509 0" ]] || fail "full: rerun without the limit: $out"

# Read-only: a file and a directory this user cannot write (root drops to nobody with setpriv).
as_reader() {
  if [[ $(id -u) -eq 0 ]]; then
    setpriv --reuid 65534 --regid 65534 --clear-groups "$@"
  else
    "$@"
  fi
}
if [[ $(id -u) -ne 0 ]] || command -v setpriv >/dev/null; then
  mkdir -p "$TMP/ro" && cp "$TMP/a.db" "$TMP/ro/a.db" && chmod 444 "$TMP/ro/a.db" && chmod 555 "$TMP/ro"
  chmod 755 "$TMP" # nobody must reach the directory
  err=$(as_reader "$BIN" archive add -q "$TMP/ro/a.db" wire-water-alert.txt 2>&1 >/dev/null)
  rc=$?
  [[ $rc -eq 2 && "$err" == "copydesk: error: $TMP/ro/a.db: cannot write the archive: the file or its directory is read-only (copydesk check can still read it)" ]] ||
    fail "read-only add: exit $rc: $err"
  out=$(as_reader "$BIN" check --archive "$TMP/ro/a.db" --format csv wire-water-alert.txt) ||
    fail "read-only check: exit $?"
  [[ "$(grep -c '^wire-water-alert.txt,duplicate,' <<<"$out")" -ge 1 ]] || fail "read-only check: $out"
  [[ ! -e "$TMP/ro/a.db-wal" && ! -e "$TMP/ro/a.db-shm" ]] || fail "read-only: files were made beside it"
  v=$(as_reader "$BIN" archive verify "$TMP/ro/a.db") || fail "read-only: verify: $v"
  chmod 755 "$TMP/ro"
else
  echo "note: root without setpriv: read-only archive not checked"
fi
echo "test_archive: all checks passed"
