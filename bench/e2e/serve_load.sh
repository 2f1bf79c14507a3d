#!/usr/bin/env bash
# `copydesk serve` under load, on loopback only, bounded in count and time:
#   1. corpus: ../shared/bench/gen_corpus.py --docs DOCS+max(ADDS,1000) --seed 1 (news-like
#      articles of 400-800 words); the first DOCS are archived with `archive add`, the last ADDS
#      are added through the API during the run;
#   2. the server (`serve -j THREADS`, port 0, a token) and CLIENTS concurrent clients (Python
#      threads, one kept-alive connection each) sending CHECKS checks of archived and new
#      articles, while one more client adds the ADDS documents one request each;
#   3. reported: errors (any answer other than 200 / 201, or no answer), p50 / p90 / p99 / max
#      latency per check and per add (client side), checks per second, the server's RSS sampled
#      every second, whether every added document is there afterwards (GET), and whether
#      `archive verify` passes after a SIGTERM.
# Targets (issue 18): 0 errors, p50 <= 10 ms, p99 <= 50 ms per check.
# Usage: bench/e2e/serve_load.sh [DOCS=100000] [CHECKS=20000] [ADDS=1000] [CLIENTS=32] [THREADS=2]
# Env: COPYDESK_SHARED (default ../shared), COPYDESK (default build/release/copydesk),
#      MAX_SECONDS (default 1800: the load phase stops there, counted as unfinished requests).
# The client runs on the same machine and takes CPU from the server: say so with the numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs=${1:-100000}
checks=${2:-20000}
adds=${3:-1000}
clients=${4:-32}
threads=${5:-2}
shared=${COPYDESK_SHARED:-../shared}
bin=${COPYDESK:-build/release/copydesk}
max_seconds=${MAX_SECONDS:-1800}
work=${TMPDIR:-/tmp}/copydesk-bench
# One corpus per archive size: DOCS archived, then at least 1,000 more to add from.
extra=$((adds > 1000 ? adds : 1000))
total=$((docs + extra))
corpus="$work/gen-$total-seed1"
export LC_ALL=C
mkdir -p "$work"
if [[ ! -s "$corpus/corpus.jsonl" ]]; then
  echo "generating $total documents..." >&2
  /usr/bin/python3 "$shared/bench/gen_corpus.py" --docs "$total" --seed 1 --out "$corpus" \
    --no-txt --no-jaccard >/dev/null
fi
db="$work/serve-load-$docs-of-$total.db"
if [[ ! -s "$db" || ! -s "$db.ready" ]]; then
  rm -f "$db" "$db-wal" "$db-shm" "$db.ready"
  head -n "$docs" "$corpus/corpus.jsonl" > "$work/serve-load-in.jsonl"
  echo "archiving $docs documents..." >&2
  "$bin" archive add -q -j 2 "$db" "$work/serve-load-in.jsonl" >/dev/null
  echo ok > "$db.ready"
fi
# A fresh copy per run, so that the adds of one run do not meet those of the last.
cp "$db" "$work/serve-load-run.db"
run_db="$work/serve-load-run.db"
rm -f "$run_db-wal" "$run_db-shm"
tail -n "$adds" "$corpus/corpus.jsonl" > "$work/serve-load-adds.jsonl"
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$token" > "$work/serve-load.token"

rm -f "$work/serve-load.log" # a stale log would name the last run's port
"$bin" serve -q --archive "$run_db" --listen 127.0.0.1:0 -j "$threads" \
  --max-connections $((clients + 8)) --token-file "$work/serve-load.token" 2> "$work/serve-load.log" &
server=$!
trap 'kill -9 $server 2>/dev/null || true' EXIT
base=""
for _ in $(seq 1 600); do
  base=$(sed -n 's|^copydesk serve: listening on \(http://[^ ]*\)/ .*|\1|p' "$work/serve-load.log")
  [[ -n $base ]] && break
  sleep 0.1
done
[[ -n $base ]] || { cat "$work/serve-load.log" >&2; exit 1; }

/usr/bin/python3 - "$base" "$server" "$corpus/corpus.jsonl" "$work/serve-load-adds.jsonl" \
  "$docs" "$checks" "$clients" "$token" "$max_seconds" "$threads" <<'PY'
import http.client, json, os, random, statistics, sys, threading, time, urllib.parse
base, server_pid, corpus, adds_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
docs, checks, clients, token = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
max_seconds, threads = float(sys.argv[9]), int(sys.argv[10])
url = urllib.parse.urlsplit(base)
rng = random.Random(1)
# Check queries: archived articles and the ones being added, in a fixed random order.
texts = []
with open(corpus) as f:
    for i, line in enumerate(f):
        if i % max(1, (docs // 4000)) == 0:
            texts.append(json.loads(line)["text"])
queries = [json.dumps({"text": texts[rng.randrange(len(texts))]}).encode() for _ in range(checks)]
words = [len(json.loads(q)["text"].split()) for q in queries[:500]]
to_add = [json.loads(l) for l in open(adds_file)]
deadline = time.monotonic() + max_seconds
lock = threading.Lock()
next_q = [0]
check_ms, add_ms, errors = [], [], []

def conn():
    return http.client.HTTPConnection(url.hostname, url.port, timeout=60)

def post(c, path, body, headers):
    c.request("POST", path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    return r.status, data

def checker():
    c = conn()
    mine = []
    while time.monotonic() < deadline:
        with lock:
            i = next_q[0]
            next_q[0] += 1
        if i >= len(queries):
            break
        t0 = time.perf_counter()
        try:
            status, _ = post(c, "/v1/check", queries[i], {"Content-Type": "application/json"})
        except Exception as e:
            status = repr(e)
            c.close()
            c = conn()
        ms = (time.perf_counter() - t0) * 1000
        if status != 200:
            with lock:
                errors.append(("check", status))
        mine.append(ms)
    with lock:
        check_ms.extend(mine)

added = []
def adder():
    c = conn()
    h = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    for d in to_add:
        if time.monotonic() >= deadline:
            break
        body = json.dumps({"id": "load-" + d["id"], "text": d["text"]}).encode()
        t0 = time.perf_counter()
        try:
            status, _ = post(c, "/v1/documents", body, h)
        except Exception as e:
            status = repr(e)
            c.close()
            c = conn()
        add_ms.append((time.perf_counter() - t0) * 1000)
        if status == 201:
            added.append("load-" + d["id"])
        else:
            with lock:
                errors.append(("add", status))

rss = []
stop_sampling = threading.Event()
def sampler():
    while not stop_sampling.is_set():
        try:
            with open("/proc/%d/status" % server_pid) as f:
                for l in f:
                    if l.startswith("VmRSS:"):
                        rss.append(int(l.split()[1]) // 1024)
        except OSError:
            pass
        stop_sampling.wait(1.0)

load = os.getloadavg()[0]
s = threading.Thread(target=sampler); s.start()
t_start = time.perf_counter()
ts = [threading.Thread(target=checker) for _ in range(clients)] + [threading.Thread(target=adder)]
for t in ts: t.start()
for t in ts: t.join()
wall = time.perf_counter() - t_start
stop_sampling.set(); s.join()
missing = 0
c = conn()
for i in added:
    c.request("GET", "/v1/documents/" + urllib.parse.quote(i, safe=""))
    r = c.getresponse(); r.read()
    if r.status != 200:
        missing += 1

def pct(v, p):
    if not v: return float("nan")
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
print("copydesk serve load test (bench/e2e/serve_load.sh)")
print("archive: %d generated documents (gen_corpus.py --seed 1), server -j %d, %d cores, "
      "load average %.2f at the start" % (docs, threads, os.cpu_count(), load))
print("queries: %d checks of articles of %d words on average (sampled), %d clients; "
      "%d adds meanwhile from one client" % (len(queries), statistics.mean(words), clients, len(to_add)))
print("the clients run on the same machine (Python threads)")
print("wall time %.1f s, %.1f checks/s" % (wall, len(check_ms) / wall))
print("errors: %d%s" % (len(errors), (" " + repr(errors[:5])) if errors else ""))
print("check ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (%d answered)" %
      (pct(check_ms, 50), pct(check_ms, 90), pct(check_ms, 99), max(check_ms or [0]), len(check_ms)))
print("add ms:   p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (%d added)" %
      (pct(add_ms, 50), pct(add_ms, 90), pct(add_ms, 99), max(add_ms or [0]), len(added)))
print("added documents present afterwards: %d of %d" % (len(added) - missing, len(added)))
print("server RSS MiB: first %d, max %d, last %d (%d samples)" %
      (rss[0] if rss else 0, max(rss or [0]), rss[-1] if rss else 0, len(rss)))
p50, p99 = pct(check_ms, 50), pct(check_ms, 99)
print("targets: errors 0 %s; p50 <= 10 ms %s; p99 <= 50 ms %s" %
      ("met" if not errors else "NOT met", "met" if p50 <= 10 else "NOT met",
       "met" if p99 <= 50 else "NOT met"))
PY
kill -TERM "$server"
wait "$server" || { echo "server exited $?"; exit 1; }
trap - EXIT
echo "server stopped on SIGTERM: $(tail -n 1 "$work/serve-load.log")"
echo "archive verify: $("$bin" archive verify "$run_db")"
