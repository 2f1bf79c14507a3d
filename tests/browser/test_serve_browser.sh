#!/usr/bin/env bash
# Browser test of the page of `copydesk serve`: serves an archive of corpora/newsroom (without
# outlet-b), opens the page in headless Chromium with a draft in the URL (#text=..., which the
# page fills in and checks), and reads the rendered DOM: the verdict, the right archived source,
# passages marked in both texts, the closest story; then the same with hostile text, which must
# stay text (no script runs, no element appears), and takes a screenshot.
# Usage: bash test_serve_browser.sh COPYDESK_BINARY SOURCE_DIR
# Installs Debian's chromium with apt-get when it is missing; exits 77 (skipped) with a message
# when it cannot. Screenshots stay in $COPYDESK_BROWSER_OUT (default: a temp dir).
set -u
COPYDESK=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
if "$COPYDESK" serve --archive /nonexistent.db 2>&1 | grep -q "built without the HTTP server"; then
  echo "SKIP: this copydesk was built without the server (COPYDESK_SERVE=OFF)"
  exit 77
fi
source "$(dirname "$0")/lib.sh" # check, has, at_least, chrome; exits 77 without Chromium
chrome_budget=15000 # the page fetches the check and the archived text

out=${COPYDESK_BROWSER_OUT:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
pid=""
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# The URL fragment that makes the page check TEXT as ID.
fragment() { python3 -c 'import sys, urllib.parse
print("#" + urllib.parse.urlencode({"id": sys.argv[1], "text": open(sys.argv[2]).read()},
                                   quote_via=urllib.parse.quote))' "$1" "$2"; }

mkdir "$work/corpus"
cp "$SRC"/corpora/newsroom/*.txt "$work/corpus/"
mv "$work/corpus/outlet-b-water-alert.txt" "$work/draft.txt"
"$COPYDESK" archive add -q "$work/desk.db" "$work/corpus" >/dev/null
"$COPYDESK" serve --archive "$work/desk.db" --listen 127.0.0.1:0 2> "$work/log" &
pid=$!
base=""
for _ in $(seq 1 200); do
  base=$(sed -n 's|^copydesk serve: listening on \(http://[^ ]*\)/ .*|\1|p' "$work/log" 2>/dev/null)
  [[ -n $base ]] && break
  sleep 0.05
done
[[ -n $base ]] || { echo "FAIL: the server did not start"; cat "$work/log"; exit 1; }

# 1. A draft that copies the wire (outlet-b): its source and passages.
dom="$out/draft.dom"
chrome --dump-dom "$base/$(fragment outlet-b.txt "$work/draft.txt")" > "$dom"
check "DOM dumped" yes "$(at_least "$(wc -c < "$dom")" 5000)"
check "the check finished" 1 "$(has '<body data-state="done">' "$dom")"
check "verdict" 1 "$(has '<span id="verdict" class="verdict v-duplicate">duplicate</span>' "$dom")"
check "the source row" 1 "$(has '<td>outlet-a-water-alert.txt</td>' "$dom")"
check "the archived text's title" 1 "$(has 'archived: outlet-a-water-alert.txt' "$dom")"
check "passages marked in the draft" yes "$(at_least "$(grep -o '<mark id="c[0-9]*"' "$dom" | wc -l)" 1)"
check "passages marked in the archived text" yes "$(at_least "$(grep -o '<mark id="r[0-9]*"' "$dom" | wc -l)" 1)"
check "a passage holds the wire's words" yes "$(at_least "$(tr '\n' ' ' < "$dom" | grep -o '<mark id="r0"[^<]*Castlebrook' | wc -l)" 1)"
check "closest story" 1 "$(has 'closest archived story: wire-water-alert.txt' "$dom")"
chrome --window-size=1280,1400 --screenshot="$out/serve.png" "$base/$(fragment outlet-b.txt "$work/draft.txt")" > /dev/null
check "screenshot taken" yes "$(at_least "$(wc -c < "$out/serve.png" 2>/dev/null || echo 0)" 20000)"

# 2. Hostile text around copied passages, and a hostile id: shown as text, nothing runs.
payload='</textarea></script><script>document.title="PWNED";document.documentElement.setAttribute("data-pwned","script")</script>'
payload+=' "><img src=x onerror="document.title=&quot;PWNED&quot;;document.documentElement.setAttribute(&quot;data-pwned&quot;,&quot;img&quot;)">'
payload+=" <svg onload=\"document.body.appendChild(document.createElement('pwned'))\"></svg>"
{ echo "$payload"; cat "$SRC/corpora/newsroom/wire-water-alert.txt"; echo "$payload"; } > "$work/hostile.txt"
printf '<!DOCTYPE html><html><head><title>control</title></head><body>%s</body></html>\n' \
  "$payload" > "$work/control.html"
chrome --dump-dom "file://$work/control.html" > "$work/control.dom"
check "control: raw payload executes in this browser" 1 "$(has 'PWNED' "$work/control.dom" | cut -c1)"
dom="$out/hostile.dom"
chrome --dump-dom "$base/$(fragment '<img src=x onerror=alert(1)>' "$work/hostile.txt")" > "$dom"
check "hostile: the check finished" 1 "$(has '<body data-state="done">' "$dom")"
check "hostile: title untouched" 1 "$(has '<title>copydesk check</title>' "$dom")"
check "hostile: no data-pwned attribute" 0 "$(has 'data-pwned="' "$dom")"
check "hostile: no injected element" 0 "$(has '<pwned' "$dom")"
check "hostile: no img element" 0 "$(has '<img' "$dom")"
check "hostile: shown as text" yes "$(at_least "$(has '&lt;script&gt;document.title' "$dom")" 1)"
check "hostile: the copied page found" yes "$(at_least "$(has '<td>outlet-a-water-alert.txt</td>' "$dom")" 1)"

echo "browser test: screenshots and DOMs in $out"
echo "$((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
