#!/usr/bin/env bash
# issue 12: `mpirun -np N copydesk dedup` gives byte for byte what one process gives, for N = 1,
# 2, 3, 5 (oversubscribed on a small machine), on corpora/, on a generated corpus with planted
# near and contained duplicates across rank boundaries, for every input kind and format; and
# the same one-line error (exit 2) for a malformed line or a duplicate id in a later rank's range.
# Usage: test_mpi_dedup.sh COPYDESK SOURCE_DIR MPIEXEC
source "$(dirname "$0")/../cli/lib.sh"
MPIEXEC=${3:-mpirun}
# OpenMPI refuses root unless told; CI runs as root.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Shared-memory transport only, and no warnings about the machine's network.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_base_warn_component_unused=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_np N ARGS...: copydesk on N ranks, one thread each; sets $out, $err (copydesk's lines only:
# mpirun adds its own report of the failed job) and $rc.
run_np() {
  local n=$1
  shift
  out=$(timeout 300 "$MPIEXEC" --oversubscribe -np "$n" "$COPYDESK" "$@" 2>"$tmp/err")
  rc=$?
  err=$(grep '^copydesk' "$tmp/err")
}

# same_as_one NAME ARGS...: every N gives the single process's stdout, stderr and exit code.
same_as_one() {
  local name=$1
  shift
  run_cd "$@"
  local want=$out want_err=$err want_rc=$rc
  for n in 1 2 3 5; do
    run_np "$n" "$@"
    check "$name: -np $n output" "$want" "$out"
    check "$name: -np $n stderr" "$want_err" "$err"
    check "$name: -np $n exit code" "$want_rc" "$rc"
  done
}

same_as_one "corpora json" dedup -j1 --format json "$SRC/corpora"
same_as_one "newsroom table" dedup -j1 "$SRC/corpora/newsroom"

# A generated corpus (small, made here, not committed) with planted pairs that straddle ranks:
# copies of the first records, lightly edited, and pages that embed them, at the end of the file.
python3 "$SRC/corpora/gen_news.py" --docs 2000 --seed 12 --out "$tmp/gen" >/dev/null
python3 - "$tmp/gen/corpus.jsonl" <<'PY'
import json, sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().splitlines()
extra = []
for i in range(0, 40, 4):
    rec = json.loads(lines[i])
    words = rec["text"].split(" ")
    words[len(words) // 2] = "planted"
    extra.append({"id": "planted-near-%d" % i, "text": " ".join(words)})
    nav = " ".join("Home News Sport Weather Contact menu item %d" % k for k in range(60))
    extra.append({"id": "planted-page-%d" % i, "text": nav + "\n\n" + rec["text"] + "\n\n" + nav})
# halfway and at the end, so the copies sit in other ranks' byte ranges than their sources
half = len(lines) // 2
out = lines[:half] + [json.dumps(e) for e in extra[:10]] + lines[half:] + [json.dumps(e) for e in extra[10:]]
open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
gen=$tmp/gen/corpus.jsonl
same_as_one "generated json" dedup -j1 --format json "$gen"
run_cd dedup -j1 --format json "$gen"
planted=$(python3 -c '
import json, sys
r = json.load(sys.stdin)
ids = [d["id"] for d in r["documents"]]
print(sum(1 for p in r["pairs"] if ids[p["a"]].startswith("planted") or ids[p["b"]].startswith("planted")) if isinstance(r["pairs"][0]["a"], int) else
      sum(1 for p in r["pairs"] if p["a"].startswith("planted") or p["b"].startswith("planted")))' <<<"$out")
check "planted pairs found (near and contained)" "yes" "$( ((planted >= 20)) && echo yes || echo "no ($planted)")"
for f in csv jsonl; do
  run_cd dedup -j1 --format "$f" "$gen"
  want=$out
  run_np 3 dedup -j1 --format "$f" "$gen"
  check "generated $f -np 3" "$want" "$out"
done

# The same records as files of a directory, and standard input.
mkdir -p "$tmp/dir/a" "$tmp/dir/b"
python3 - "$gen" "$tmp/dir" <<'PY'
import json, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    if i >= 300:
        break
    rec = json.loads(line)
    sub = "a" if i % 2 else "b"
    open("%s/%s/%s.txt" % (sys.argv[2], sub, rec["id"]), "w", encoding="utf-8").write(rec["text"])
PY
same_as_one "directory" dedup -j1 --format json "$tmp/dir"
same_as_one "directory and JSONL together" dedup -j1 --format json "$tmp/dir" "$gen"
run_cd dedup -j1 --format json - <"$gen"
want=$out
for n in 2 5; do
  run_np "$n" dedup -j1 --format json - <"$gen"
  check "stdin -np $n" "$want" "$out"
done

# Fewer files than ranks, and nothing at all.
mkdir -p "$tmp/two"
head -c 3000 "$SRC/corpora/newsroom/wire-water-alert.txt" >"$tmp/two/wire.txt"
cp "$tmp/two/wire.txt" "$tmp/two/copy.txt"
same_as_one "two files" dedup -j1 --format json "$tmp/two"
: >"$tmp/empty.jsonl"
same_as_one "empty JSONL" dedup -j1 --format json "$tmp/empty.jsonl"
mkdir -p "$tmp/none"
same_as_one "empty directory" dedup -j1 --format json "$tmp/none"

# A malformed line in rank 2's range (0-based: 55% into the file is rank 2 of 5; with --skip-bad
# off, a second one at 80% is in rank 2 of 3 and must not be the one reported), a duplicate id whose second copy is
# in a later rank's range, and --skip-bad turning the line into a listed document and a warning.
python3 - "$gen" "$tmp/bad.jsonl" "$tmp/dup.jsonl" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
bad = list(lines)
at = int(len(bad) * 0.55)
bad[at] = '{"id": "broken", "text": "never closed\n'
bad[int(len(bad) * 0.8)] = '{"id": "later", oops}\n'
open(sys.argv[2], "w", encoding="utf-8").writelines(bad)
open(sys.argv[2] + ".line", "w").write(str(at + 1))
dup = list(lines)
dup[int(len(dup) * 0.9)] = dup[3]
open(sys.argv[3], "w", encoding="utf-8").writelines(dup)
PY
same_as_one "malformed line" dedup -j1 --format json "$tmp/bad.jsonl"
check "malformed line: exit 2" "2" "$rc"
check "malformed line: names file and line" "yes" "$(grep -q "bad.jsonl:$(cat "$tmp/bad.jsonl.line"): malformed JSON" <<<"$err" && echo yes)"
sed -n "$(cat "$tmp/bad.jsonl.line")!p" "$tmp/bad.jsonl" >"$tmp/bad2.jsonl"
same_as_one "malformed line in rank 2 of 3" dedup -j1 --format json "$tmp/bad2.jsonl"
check "second malformed line: reported" "yes" "$(grep -q 'bad2.jsonl:[0-9]*: malformed JSON' <<<"$err" && echo yes)"
same_as_one "skip-bad" dedup -j1 --skip-bad --format json "$tmp/bad.jsonl"
same_as_one "duplicate id across ranks" dedup -j1 --format json "$tmp/dup.jsonl"
check "duplicate id: exit 2" "2" "$rc"

# -o: the file appears once complete, with nothing left beside it.
run_cd dedup -j1 --format json "$gen"
want=$out
run_np 3 dedup -j1 --format json -o "$tmp/out.json" "$gen"
check "-o file -np 3" "$want" "$(cat "$tmp/out.json")"
check "-o leaves no temporary file" "out.json" "$(ls "$tmp" | grep '^out\.json')"

# Commands that do not split yet refuse more than one rank.
run_np 2 stories "$SRC/corpora/newsroom"
check "stories on 2 ranks: exit 2" "2" "$rc"

finish
