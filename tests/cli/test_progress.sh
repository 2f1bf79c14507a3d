#!/usr/bin/env bash
# End-to-end: the progress display of `dedup`, `stories` and `borrow` (report has its own checks in
# test_report.sh). On a terminal every stage gets a line and the byte stage a full bar; on a pipe,
# and with --quiet, standard error carries no progress. Standard output never does.
source "$(dirname "$0")/lib.sh"
cd "$SRC/tests/data" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bar='\[########################\] 100%'

# On a pipe: nothing but warnings on stderr, and stdout as without progress.
run_cd dedup mini
check "dedup: no progress on a pipe" 0 "$(printf '%s' "$err" | grep -c -E 'copydesk: (sketch|candidates|verify)')"
run_cd stories stories/docs
check "stories: no progress on a pipe" 0 "$(printf '%s' "$err" | grep -c -E 'copydesk: (read|vectors|pairs|groups)')"
run_cd borrow --reference borrow/wire.txt borrow/copies
check "borrow: no progress on a pipe" 0 "$(printf '%s' "$err" | grep -c -E 'copydesk: (references|borrow)')"

if ! command -v script >/dev/null 2>&1; then
  echo "note: 'script' not found; terminal progress not checked"
  finish
  exit $?
fi

# tty CMD...: runs copydesk under a pseudo-terminal, stdout to $tmp/out.txt; sets $log.
tty() {
  local args
  args=$(printf ' %q' "$@")
  script -qec "$COPYDESK$args -o $tmp/out.txt" /dev/null >"$tmp/tty.log" 2>&1
  log=$(tr '\r' '\n' <"$tmp/tty.log")
}
has() { printf '%s\n' "$log" | grep -c -E "$1"; }

tty dedup --format json mini
for stage in sketch candidates verify; do
  check "dedup: a finished line for $stage" 1 "$((($(has "^.*copydesk: $stage .*[0-9.]+s$") > 0)))"
done
check "dedup: the sketch stage shows a full bar over the input bytes" 1 "$((($(has "copydesk: sketch +$bar") > 0)))"
check "dedup: progress leaves stdout alone" "$("$COPYDESK" dedup --format json mini 2>/dev/null)" "$(cat "$tmp/out.txt")"

tty stories --format json stories/docs
for stage in read vectors pairs groups; do
  check "stories: a finished line for $stage" 1 "$((($(has "^.*copydesk: $stage .*[0-9.]+s$") > 0)))"
done
check "stories: the read stage shows a full bar" 1 "$((($(has "copydesk: read +$bar") > 0)))"
check "stories: progress leaves stdout alone" "$("$COPYDESK" stories --format json stories/docs 2>/dev/null)" "$(cat "$tmp/out.txt")"

tty borrow --format json --reference borrow/wire.txt borrow/copies
check "borrow: references line counts documents" 1 "$((($(has '^.*copydesk: references +\[#+\] 100%  1/1  [0-9.]+s$') > 0)))"
check "borrow: the copies stage shows a full bar" 1 "$((($(has "copydesk: borrow +$bar") > 0)))"
check "borrow: progress leaves stdout alone" "$("$COPYDESK" borrow --format json --reference borrow/wire.txt borrow/copies 2>/dev/null)" "$(cat "$tmp/out.txt")"

for cmd in "dedup mini" "stories stories/docs" "borrow --reference borrow/wire.txt borrow/copies"; do
  # shellcheck disable=SC2086 # the words of $cmd are separate arguments
  tty $cmd --quiet
  check "${cmd%% *}: --quiet silences progress on a terminal" 0 "$(has 'copydesk: ')"
done
finish
