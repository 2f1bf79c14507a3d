#!/usr/bin/env bash
# Browser test of the HTML report: loads pages written by `copydesk report` in headless Chromium,
# checks the rendered DOM (stories, clusters, heatmap, passages, the page's own script ran) and
# that hostile document text and ids did not execute, and takes screenshots.
# Usage: bash test_report_browser.sh COPYDESK_BINARY SOURCE_DIR
# Installs Debian's chromium with apt-get when it is missing; exits 77 (skipped) with a message
# when it cannot. Screenshots and pages stay in $COPYDESK_BROWSER_OUT (default: a temp dir).
set -u
COPYDESK=$1
SRC=$2
source "$(dirname "$0")/lib.sh" # check, has, at_least, chrome; exits 77 without Chromium

out=${COPYDESK_BROWSER_OUT:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Hostile documents: if any of this ran, the page title would change or elements would appear.
payload='</textarea></script><script>document.title="PWNED";document.documentElement.setAttribute("data-pwned","script")</script>'
payload+=' "><img src=x onerror="document.title=&quot;PWNED&quot;;document.documentElement.setAttribute(&quot;data-pwned&quot;,&quot;img&quot;)">'
payload+=" <svg onload=\"document.body.appendChild(document.createElement('pwned'))\"></svg>"
body='The river ferry service between the two piers will stop for a week while the landing stage is rebuilt, the harbour office said on Tuesday.'
json_escape() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
{
  printf '{"id": %s, "text": %s}\n' "$(json_escape 'hostile-a.txt')" "$(json_escape "$body $payload $body")"
  printf '{"id": %s, "text": %s}\n' "$(json_escape 'hostile-b.txt')" "$(json_escape "$body $payload $body Updated.")"
  printf '{"id": %s, "text": %s}\n' "$(json_escape '<img src=x onerror="document.title=1">id.txt')" "$(json_escape "$body")"
} > "$work/hostile.jsonl"

# The control: the same payload as raw HTML must run in this browser, or the test proves nothing.
printf '<!DOCTYPE html><html><head><title>control</title></head><body>%s</body></html>\n' \
  "$payload" > "$work/control.html"
chrome --dump-dom "file://$work/control.html" > "$work/control.dom"
check "control: raw payload executes in this browser" 1 "$(has 'PWNED' "$work/control.dom" | cut -c1)"

"$COPYDESK" report --quiet --html "$out/report.html" "$SRC/tests/data/report/corpus" \
  "$work/hostile.jsonl" > /dev/null
check "report written" 0 "$?"
dom="$work/report.dom"
chrome --dump-dom "file://$out/report.html#v1" > "$dom"
check "DOM dumped" yes "$(at_least "$(wc -c < "$dom")" 10000)"
check "title untouched" 1 "$(has '<title>copydesk report</title>' "$dom")"
check "no PWNED title" 0 "$(has '<title>PWNED' "$dom")"
check "no data-pwned attribute" 0 "$(has 'data-pwned="' "$dom")"
check "no injected element" 0 "$(has '<pwned' "$dom")"
check "no injected img" 0 "$(has '<img' "$dom")"
check "hostile text shown as text" yes "$(at_least "$(has '&lt;script&gt;document.title' "$dom")" 1)"
check "hostile id shown as text" yes "$(at_least "$(has '&lt;img src=x onerror=' "$dom")" 1)"
check "story cards" yes "$(at_least "$(grep -o '<article class="story"' "$dom" | wc -l)" 3)"
check "bridge story with its four documents" 4 "$(tr '\n' ' ' < "$dom" | grep -o '<article class="story" id="g1">.*' | sed 's|</article>.*||' | grep -o '<td><span class="doc">' | wc -l | tr -d ' ')"
check "verdicts rendered" yes "$(at_least "$(grep -o 'class="verdict v-' "$dom" | wc -l)" 8)"
check "cluster table rows" yes "$(at_least "$(grep -o '<tr id="c[0-9]*"' "$dom" | wc -l)" 3)"
check "heatmap cells" yes "$(at_least "$(grep -o '<rect ' "$dom" | wc -l)" 10)"
check "passages marked" yes "$(at_least "$(grep -o '<mark id=' "$dom" | wc -l)" 10)"
check "the page's script opened the linked view" 1 "$(grep -o '<details class="view" id="v1"[^>]*>' "$dom" | grep -c 'open')"
chrome --window-size=1280,1600 --screenshot="$out/report.png" "file://$out/report.html" > /dev/null
check "screenshot taken" yes "$(at_least "$(wc -c < "$out/report.png" 2>/dev/null || echo 0)" 20000)"

# check --html: a hostile draft against an archive of a hostile text stays inert, and its
# passages are marked in both columns.
head -1 "$work/hostile.jsonl" > "$work/archived.jsonl"
sed -n 2p "$work/hostile.jsonl" > "$work/draft.jsonl"
"$COPYDESK" archive add -q "$work/h.db" "$work/archived.jsonl" > /dev/null
"$COPYDESK" check --archive "$work/h.db" --html "$out/check.html" "$work/draft.jsonl" > /dev/null
chrome --dump-dom "file://$out/check.html" > "$work/check.dom"
check "check page: title untouched" 1 "$(has '<title>copydesk check</title>' "$work/check.dom")"
check "check page: no PWNED, no injected element or img" "0 0 0 0" \
  "$(has '<title>PWNED' "$work/check.dom") $(has 'data-pwned="' "$work/check.dom") $(has '<pwned' "$work/check.dom") $(has '<img' "$work/check.dom")"
check "check page: hostile text shown as text" yes "$(at_least "$(has '&lt;script&gt;document.title' "$work/check.dom")" 1)"
check "check page: passages marked" yes "$(at_least "$(grep -o '<mark id=' "$work/check.dom" | wc -l)" 2)"

# Editor signals on tests/data/signals: the changed facts of prose-copy.txt are underlined in
# both columns of its passage view and counted in a badge; credit badges are rendered.
"$COPYDESK" report --quiet --html "$out/signals.html" "$SRC/tests/data/signals/corpus" > /dev/null
chrome --dump-dom "file://$out/signals.html" | tr '\n' ' ' > "$work/signals.dom"
check "signals: changed numbers underlined in both columns" 6 \
  "$(grep -o '<span class="chg chg-number"' "$work/signals.dom" | wc -l | tr -d ' ')"
check "signals: the changed name, with the other text's word" 1 \
  "$(grep -o '<span class="chg chg-name" title="name changed; the source has “Lines”">Ferries</span>' "$work/signals.dom" | wc -l | tr -d ' ')"
check "signals: changed-facts badge" 1 \
  "$(grep -o '<span class="badge facts">4 changed facts</span>' "$work/signals.dom" | wc -l | tr -d ' ')"
check "signals: credit badges" yes \
  "$(at_least "$(grep -o '<span class="badge uncredited">no credit line</span>' "$work/signals.dom" | wc -l)" 2)"
chrome --window-size=1280,1600 --screenshot="$out/signals.png" "file://$out/signals.html" > /dev/null
# With publication times, the story card draws the copy chain, earliest first.
python3 - "$SRC/tests/data/signals/corpus" > "$work/timed.jsonl" <<'PY'
import json, os, sys
times = {"wire.txt": "2026-02-03T08:00Z", "prose-copy.txt": "2026-02-03T14:30Z",
         "quotes-only.txt": "2026-02-04", "own-words.txt": None}
for name, t in times.items():
    rec = {"id": name, "text": open(os.path.join(sys.argv[1], name), encoding="utf-8").read()}
    if t:
        rec["time"] = t
    print(json.dumps(rec))
PY
"$COPYDESK" report --quiet --time-field time --html "$out/chain.html" "$work/timed.jsonl" > /dev/null
chrome --dump-dom "file://$out/chain.html" | tr '\n' ' ' > "$work/chain.dom"
check "copy chain: wire first, then the copies in time order" 1 \
  "$(grep -o '<p class="chain">.*</p>' "$work/chain.dom" | sed 's|</p>.*|</p>|' | sed 's/<[^>]*>//g' | grep -c '^Copy chain (by publication time): wire.txt 2026-02-03T08:00Z → prose-copy.txt 2026-02-03T14:30Z (takes from wire.txt) → quotes-only.txt 2026-02-04 (takes from wire.txt)$')"

seeds="$SRC/../shared/corpora/seeds"
if [[ -d $seeds ]]; then
  "$COPYDESK" report --quiet --html "$out/seeds.html" "$seeds" > /dev/null
  chrome --dump-dom "file://$out/seeds.html" | tr '\n' ' ' > "$work/seeds.dom"
  story() { grep -o "<article class=\"story\" id=\"g$1\">.*" "$work/seeds.dom" | sed 's|</article>.*||'; }
  story1=$(story 1)
  check "seeds: first story has four documents" 4 "$(grep -o '<td><span class="doc">[0-9]*_' <<< "$story1" | wc -l | tr -d ' ')"
  check "seeds: 001 contained in 000" 1 "$(grep -c 'contained in 000_' <<< "$story1")"
  check "seeds: 003 shares quotes with 001" 1 "$(grep -c 'shares quotes with 001_' <<< "$story1")"
  check "seeds: 002 in its own words" 1 "$(grep -o 'v-own_words' <<< "$story1" | wc -l | tr -d ' ')"
  check "seeds: 004 repeats itself" 1 "$(story 2 | grep -c '004_.*repeats itself')"
  chrome --window-size=1280,1300 --screenshot="$out/seeds.png" "file://$out/seeds.html" > /dev/null
  check "seeds screenshot taken" yes "$(at_least "$(wc -c < "$out/seeds.png" 2>/dev/null || echo 0)" 20000)"
else
  echo "note: $seeds not found; seed page not checked"
fi

echo "browser test: pages and screenshots in $out"
echo "$((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
