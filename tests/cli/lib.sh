# Helpers for the CLI end-to-end tests. Source this file; then call `check NAME EXPECTED ACTUAL`.
# Each test script gets the copydesk binary as $1 and the source directory as $2.
set -u
COPYDESK=$1
SRC=$2
failures=0
checks=0

# check NAME EXPECTED ACTUAL: exact string comparison, shows a diff on mismatch.
check() {
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    failures=$((failures + 1))
    echo "FAIL: $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -40
  fi
}

# check_file NAME EXPECTED_FILE ACTUAL_TEXT
check_file() {
  check "$1" "$(cat "$2")" "$3"
}

# run_cd: runs copydesk with the given arguments; sets $out, $err and $rc.
run_cd() {
  local e
  e=$(mktemp)
  out=$("$COPYDESK" "$@" 2>"$e")
  rc=$?
  err=$(cat "$e")
  rm -f "$e"
}

finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [[ $failures -eq 0 ]]
}
