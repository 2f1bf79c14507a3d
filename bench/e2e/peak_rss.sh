#!/usr/bin/env bash
# Peak resident memory and wall time of one copydesk run, as one line:
#   <peak RSS MB> MB, <wall> s, exit <code>: <command>
# Usage: bench/e2e/peak_rss.sh COPYDESK ARGS... (output goes to a temporary file, removed after).
# Needs GNU time at /usr/bin/time. Wall times on a shared machine are only rough.
set -uo pipefail
bin=$1
shift
out=$(mktemp)
log=$(mktemp)
/usr/bin/time -v "$bin" "$@" -o "$out" 2>"$log" >/dev/null
code=$?
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
grep -m1 '^copydesk: error' "$log" >&2 || true
rm -f "$out" "$log"
echo "$((rss_kb / 1024)) MB, $wall, exit $code: copydesk $*"
