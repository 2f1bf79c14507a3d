# Shared option groups: `report` takes every dedup setting `dedup` takes, spelled the same, and
# finds the same pairs with them; borrow's seed width is --seed-width only (-k is dedup's shingle).
source "$(dirname "$0")/lib.sh"
corpus=$SRC/corpora/newsroom
[[ -d "$corpus" ]] || { echo "FAIL: committed corpus $corpus is missing"; exit 1; }

# pairs_of FILE: "a b kind jaccard" per pair of a dedup or report JSON document.
pairs_of() {
  python3 -c 'import json,sys
d=json.load(sys.stdin)
for p in d["pairs"]: print(p["a"], p["b"], p["kind"], p["jaccard"])'
}

for opts in "--chars -k 7" "--num-perm 64 --bands 16 --rows 4" "--window 5 --max-df 2" \
            "-t 0.5 --no-containment"; do
  # shellcheck disable=SC2086
  run_cd dedup --format json $opts "$corpus"
  dedup_pairs=$(pairs_of <<<"$out")
  # shellcheck disable=SC2086
  run_cd report --format json $opts "$corpus"
  check "report $opts exit" "0" "$rc"
  check "report $opts pairs = dedup $opts pairs" "$dedup_pairs" "$(pairs_of <<<"$out")"
done
# The settings reach the result: character shingles change the pairs' scores.
run_cd report --format json --chars -k 7 "$corpus"
chars=$(pairs_of <<<"$out")
run_cd report --format json "$corpus"
words=$(pairs_of <<<"$out")
[[ "$chars" != "$words" ]] || check "--chars changes report's pairs" "different" "same"

run_cd borrow -k 4 -r "$corpus/wire-water-alert.txt" "$corpus"
check "borrow -k is not an option" "2" "$rc"
[[ "$err" == *"-k"* ]] || check "borrow -k error names the option" "names -k" "$err"
run_cd borrow --seed-width 4 --format json -r "$corpus/wire-water-alert.txt" "$corpus"
check "borrow --seed-width exit" "0" "$rc"
check "borrow --seed-width reaches params" "4" \
  "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["params"]["seed_width"])' <<<"$out")"
finish
