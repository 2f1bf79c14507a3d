#!/usr/bin/env bash
# End-to-end tests of `copydesk serve` over an archive of corpora/newsroom, driven with curl on a
# free loopback port: usage errors, health, a check's exact sources, an add with the token, the
# access log (one JSON line per request, no text), SIGTERM (requests finish, archive closed and
# sound), and the crash test: the server killed with SIGKILL in the middle of adds keeps every
# add it answered 201, and the archive verifies.
# Usage: bash test_serve.sh COPYDESK_BINARY SOURCE_DIR
source "$(dirname "$0")/lib.sh"
COPYDESK=$(cd "$(dirname "$COPYDESK")" && pwd)/$(basename "$COPYDESK")
export LC_ALL=C
tmp=$(mktemp -d)
pid=""
cleanup() {
  [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

run_cd serve --archive "$tmp/none.db" --listen 127.0.0.1:0
if [[ $err == *"built without the HTTP server"* ]]; then
  check "a build without serve says so" 2 "$rc"
  echo "note: this copydesk has no server (COPYDESK_SERVE=OFF); nothing else to test"
  finish
  exit $?
fi
check "missing archive: exit 2" 2 "$rc"
check "missing archive: message" "copydesk: error: $tmp/none.db: no such archive" "$err"

# The newsroom corpus without outlet-b, whose draft is then checked against the rest.
mkdir "$tmp/corpus"
cp "$SRC"/corpora/newsroom/*.txt "$tmp/corpus/"
mv "$tmp/corpus/outlet-b-water-alert.txt" "$tmp/outlet-b-water-alert.txt"
"$COPYDESK" archive add -q "$tmp/desk.db" "$tmp/corpus" >/dev/null
run_cd serve --archive "$tmp/desk.db" --listen localhost
check "bad --listen" "copydesk: error: --listen localhost: expected HOST:PORT (e.g. 127.0.0.1:8750)" "$err"
run_cd serve --archive "$tmp/desk.db" --listen 127.0.0.1:99999
check "bad port" "copydesk: error: --listen 127.0.0.1:99999: the port must be 0..65535" "$err"
run_cd serve --archive "$tmp/desk.db" --protect-reads
check "protect reads without a token" "copydesk: error: protecting reads needs a token (--token-file)" "$err"
run_cd serve --archive "$tmp/desk.db" --token-file "$tmp/no-token"
check "missing token file" "copydesk: error: $tmp/no-token: cannot open the token file" "$err"
printf 'test-token-1\n' > "$tmp/token"

# start_server LOG [OPTION...]: serves desk.db on a free port; sets $pid and $base.
start_server() {
  local log=$1
  shift
  rm -f "$log" # made by the server's redirection; a stale one would name the last server's port
  "$COPYDESK" serve --archive "$tmp/desk.db" --listen 127.0.0.1:0 --token-file "$tmp/token" \
    -j 2 "$@" 2> "$log" &
  pid=$!
  base=""
  for _ in $(seq 1 200); do
    base=$(sed -n 's|^copydesk serve: listening on \(http://[^ ]*\)/ .*|\1|p' "$log" 2>/dev/null)
    [[ -n $base ]] && break
    sleep 0.05
  done
  [[ -n $base ]] || { echo "server did not start:"; cat "$log"; exit 1; }
}
json_text() { python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "text": open(sys.argv[2]).read()}))' "$@"; }

start_server "$tmp/log1"
check "health" '{"status":"ok","documents":8}' "$(curl -s "$base/healthz" | tr -d ' \n')"
json_text outlet-b-water-alert.txt "$tmp/outlet-b-water-alert.txt" > "$tmp/draft.json"
sources=$(curl -s -H 'Content-Type: application/json' --data-binary @"$tmp/draft.json" "$base/v1/check" |
  python3 -c 'import json,sys
r = json.load(sys.stdin)["results"][0]
print(r["id"], r["verdict"])
for s in r["sources"]: print(s["archived"], "%.4f" % s["borrowed"], len(s["passages"]))')
check "check: verdict and sources" "$(cat "$SRC/tests/cli/expected/serve_check.txt")" "$sources"
# The same as the CLI's check of that text.
cli=$(cd "$tmp" && "$COPYDESK" check --archive "$tmp/desk.db" --format json outlet-b-water-alert.txt |
  python3 -c 'import json,sys; r = json.load(sys.stdin)["results"][0]; del r["id"]; print(json.dumps(r, sort_keys=True))')
api=$(curl -s -H 'Content-Type: application/json' --data-binary @"$tmp/draft.json" "$base/v1/check" |
  python3 -c 'import json,sys; r = json.load(sys.stdin)["results"][0]; del r["id"]; print(json.dumps(r, sort_keys=True))')
check "check: the CLI's result" "$cli" "$api"
check "add without token" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary '{"id": "n1", "text": "a new story"}' "$base/v1/documents")"
check "add with token" 201 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -H 'Authorization: Bearer test-token-1' --data-binary '{"id": "n1", "text": "a new story"}' "$base/v1/documents")"
check "get it" '"a new story"' "$(curl -s "$base/v1/documents/n1" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["text"]))')"
check "wrong type" 415 "$(curl -s -o /dev/null -w '%{http_code}' --data-binary '{}' "$base/v1/check")"
kill -TERM "$pid"
wait "$pid"
check "SIGTERM: exit 0" 0 "$?"
pid=""
check "SIGTERM: closing line" "copydesk serve: stopped; the archive is closed" "$(tail -n 1 "$tmp/log1")"
log_lines=$(grep -c '^{"time":' "$tmp/log1")
check "access log: one line per request" 7 "$log_lines"
# (in the order the requests came, by request id: a line is written as its answer leaves)
check "access log: statuses" "GET 200, POST 200, POST 200, POST 401, POST 201, GET 200, POST 415" \
  "$(grep '^{"time":' "$tmp/log1" | python3 -c 'import json,sys
lines = sorted(map(json.loads, sys.stdin), key=lambda e: int(e["request_id"].split("-")[1]))
print(", ".join("%s %d" % (e["method"], e["status"]) for e in lines))')"
check "access log: no document text" 0 "$(grep -c 'Castlebrook\|a new story' "$tmp/log1")"
check "verify after SIGTERM" "copydesk archive verify: 9 documents, 0 problems" \
  "$("$COPYDESK" archive verify "$tmp/desk.db")"

# SIGTERM during a long check (1,000 texts of 20 KB, some seconds of work): it is answered 200, while a request that
# comes after the signal gets 503.
python3 -c 'import json,sys
t = open(sys.argv[1]).read() * 3
print(json.dumps({"documents": [{"id": "d%d" % i, "text": t} for i in range(1000)]}))' \
  "$SRC/corpora/newsroom/outlet-a-water-alert.txt" > "$tmp/batch.json"
start_server "$tmp/log2" --max-body 64MB
curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$tmp/batch.json" "$base/v1/check" > "$tmp/batch.status" &
batch=$!
sleep 0.8
kill -TERM "$pid"
sleep 0.1
check "a request after SIGTERM: 503" 503 "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz")"
wait "$batch"
check "the check in flight at SIGTERM: 200" 200 "$(cat "$tmp/batch.status")"
wait "$pid"
check "exit 0 after draining" 0 "$?"
pid=""

# Crash test: adds one document at a time; the server is killed with SIGKILL at a random moment;
# every add answered 201 must be in the archive, and the archive must verify.
for round in 1 2 3 4 5; do
  start_server "$tmp/log-crash"
  : > "$tmp/answered"
  python3 - "$base" "$round" "$tmp/answered" <<'PY' &
import json, sys, urllib.request
base, rnd, answered = sys.argv[1], sys.argv[2], sys.argv[3]
with open(answered, "a") as out:
    for i in range(10000):
        doc = {"id": "crash-%s-%d" % (rnd, i),
               "text": "Crash round %s item %d: the ferry timetable changes on Monday %d." % (rnd, i, i)}
        req = urllib.request.Request(base + "/v1/documents", data=json.dumps(doc).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer test-token-1"})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                if r.status == 201:
                    out.write(doc["id"] + "\n")
                    out.flush()
        except Exception:
            break
PY
  client=$!
  sleep "0.$((RANDOM % 7 + 3))"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  pid=""
  wait "$client"
  n=$(wc -l < "$tmp/answered")
  v=$("$COPYDESK" archive verify "$tmp/desk.db" 2>&1)
  check "crash round $round: verify" "0 problems" "$(grep -o '[0-9]* problems' <<< "$v")"
  start_server "$tmp/log-after"
  missing=0
  while read -r id; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/documents/$id")
    [[ $code == 200 ]] || missing=$((missing + 1))
  done < "$tmp/answered"
  check "crash round $round: every answered add is there ($n)" 0 "$missing"
  [[ $n -gt 0 ]] || echo "note: round $round was killed before its first add"
  kill -TERM "$pid"
  wait "$pid"
  pid=""
done

finish
