#!/usr/bin/env bash
# End-to-end: usage errors follow the error contract (one line on stderr, "copydesk: error: ...",
# exit 2, nothing on stdout) and name the --help to read; --help and --version exit 0.
source "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1

# usage ARGS... EXPECTED_STDERR: exit 2, empty stdout, exactly that line on stderr.
usage() {
  local want=${*: -1}
  run_cd "${@:1:$#-1}"
  check "exit 2: ${*:1:$#-1}" 2 "$rc"
  check "no stdout: ${*:1:$#-1}" "" "$out"
  check "stderr: ${*:1:$#-1}" "$want" "$err"
}
usage 'copydesk: error: A subcommand is required (see `copydesk --help`)'
usage dedup 'copydesk: error: inputs is required (see `copydesk dedup --help`)'
usage dedup --window 0 corpora/newsroom \
  'copydesk: error: --window: Value 0 not in range 1 to 1024 (see `copydesk dedup --help`)'
usage report --bogus corpora/newsroom \
  'copydesk: error: The following argument was not expected: --bogus (see `copydesk report --help`)'
usage idf fit 'copydesk: error: inputs is required (see `copydesk idf fit --help`)'
usage frobnicate \
  "copydesk: error: unknown command 'frobnicate' (commands: dedup, borrow, stories, idf, eval, report, archive, check, serve)"

run_cd --version
check "--version exit" 0 "$rc"
check "--version prints a version" 1 "$(printf '%s' "$out" | grep -c -E '^[0-9]+\.[0-9]+\.[0-9]+$')"
run_cd dedup --help
check "--help exit" 0 "$rc"
check "--help goes to stdout" 1 "$(printf '%s' "$out" | grep -c '^Usage: .*copydesk dedup')"
finish
