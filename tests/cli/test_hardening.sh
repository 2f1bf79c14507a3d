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
    (ulimit -v 400000 && exec "$COPYDESK" dedup -q -j2 - > /dev/null 2> "$TMP/oom.err")
  rc=$?
  err=$(cat "$TMP/oom.err")
  check "out of memory: exit" 3 "$rc"
  check "out of memory: one line" "copydesk: error: out of memory" "$err"
fi

finish
