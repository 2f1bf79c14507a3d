# issue 19 (memory that stays bounded): a document larger than the memory limit allows for the
# command (--memory-limit / the command's bytes of memory per byte of one document) stops the run
# up front with exit 2 and one line naming the document, the limit and the option; scaled down
# here to a limit of a few hundred bytes.
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.\n' >"$work/small.txt"
head -c 400 /dev/zero | tr '\0' 'a' >"$work/big.txt"
printf '{"id": "big", "text": "%s"}\n' "$(cat "$work/big.txt")" >"$work/big.jsonl"

run_cd stories --memory-limit 2100 "$work/big.txt"
check "stories refuses" "2" "$rc"
check "stories message" "copydesk: error: $work/big.txt: 400 bytes: copydesk stories needs about \
21 bytes of memory per byte of one document, so documents up to 100 bytes fit in the memory \
limit of 2100 bytes (--memory-limit)" "$err"
check "stories writes nothing" "" "$out"

run_cd report --memory-limit 2800 "$work/big.jsonl"
check "report refuses a JSONL line" "2" "$rc"
check "report message" "copydesk: error: $work/big.jsonl:1: 400 bytes: copydesk report needs \
about 28 bytes of memory per byte of one document, so documents up to 100 bytes fit in the \
memory limit of 2800 bytes (--memory-limit)" "$err"

run_cd dedup --memory-limit 800 "$work/big.txt"
check "dedup refuses" "2" "$rc"
run_cd borrow --self --memory-limit 2300 "$work/big.txt"
check "borrow refuses" "2" "$rc"

# Within the limit nothing changes.
run_cd stories --format json --memory-limit 2100 "$work/small.txt"
check "small document runs" "0" "$rc"
run_cd stories --format json "$work/small.txt"
ref=$out
run_cd stories --format json --memory-limit 2100 "$work/small.txt"
check "same output" "$ref" "$out"
finish
