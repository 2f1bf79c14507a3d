# scripts/check-borders.py: passes on the tree as it is, and names each kind of breach when one
# is planted in a copy of the tree (private header of another module, a later stage, a third-party
# header in a public header, a third-party library outside its module).
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fresh() {
  rm -rf "$work/tree"
  mkdir -p "$work/tree/src" "$work/tree/cmake"
  cp -r "$SRC/src/lib" "$work/tree/src/lib"
  cp -r "$SRC/include" "$work/tree/include"
  cp "$SRC/cmake/version.hpp.in" "$work/tree/cmake/"
}
borders() {
  out=$(python3 "$SRC/scripts/check-borders.py" "$work/tree" 2>&1)
  rc=$?
}

fresh
borders
check "clean tree" "0 check-borders: module borders hold" "$rc $out"

fresh
echo '#include "tfidf/terms.hpp"' >>"$work/tree/src/lib/dedup/dedup.cpp"
borders
check "private header of another module" "1
check-borders: src/lib/dedup/dedup.cpp: includes tfidf/terms.hpp, a private header of src/lib/tfidf/
check-borders: 1 problem(s)" "$rc
$out"

fresh
echo '#include <copydesk/writers.hpp>' >>"$work/tree/src/lib/shingle/shingle.cpp"
borders
check "forward reach" "1
check-borders: src/lib/shingle/shingle.cpp: includes <copydesk/writers.hpp> (layer 8), a later stage than src/lib/shingle/ (layer 2)
check-borders: 1 problem(s)" "$rc
$out"

fresh
echo '#include <Eigen/SparseCore>' >>"$work/tree/include/copydesk/stories.hpp"
borders
check "third-party header in a public header" "1
check-borders: include/copydesk/stories.hpp: public header includes <Eigen/SparseCore>: only copydesk and standard headers may reach consumers
check-borders: include/copydesk/stories.hpp: includes Eigen/SparseCore, which only src/lib/tfidf/ may use
check-borders: 2 problem(s)" "$rc
$out"

fresh
echo '#include <xxhash.h>' >>"$work/tree/src/lib/minhash/minhash.cpp"
borders
check "third-party library outside its module" "1
check-borders: src/lib/minhash/minhash.cpp: includes xxhash.h, which only src/lib/shingle/ may use
check-borders: 1 problem(s)" "$rc
$out"

finish
