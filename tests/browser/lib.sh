# Helpers of the browser tests. Source this file after setting `work` (a scratch directory);
# it finds headless Chromium (installing Debian's with apt-get when it is missing, or exiting 77,
# skipped, with a message when it cannot) and defines:
#   check NAME EXPECTED ACTUAL   exact comparison, counted in $checks / $failures
#   has TEXT FILE                lines of FILE holding TEXT
#   at_least N M                 "yes", or why not
#   chrome ARGS...               headless Chromium with a fresh profile, nothing talking to the
#                                network, $chrome_budget ms of virtual time (default 10000)
failures=0
checks=0
check() { # NAME EXPECTED ACTUAL
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    failures=$((failures + 1))
    echo "FAIL: $1: expected [$2], got [$3]"
  fi
}
has() { grep -c -- "$1" "$2" | tr -d ' '; }   # lines of FILE holding TEXT
at_least() { [[ $1 -ge $2 ]] && echo yes || echo "no ($1 < $2)"; }

browser=""
for b in chromium chromium-browser; do
  command -v "$b" >/dev/null 2>&1 && browser=$b && break
done
if [[ -z $browser ]]; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  if [[ $(id -u) -eq 0 || -n $sudo ]]; then
    echo "browser test: installing Debian chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
      { $sudo apt-get update -qq >/dev/null 2>&1 &&
        $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }
  fi
  command -v chromium >/dev/null 2>&1 && browser=chromium
fi
if [[ -z $browser ]]; then
  echo "SKIP: browser test: chromium is not installed and could not be installed with apt-get" \
    "(needs root or sudo and a reachable Debian mirror)"
  exit 77
fi

chrome() {
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --hide-scrollbars --run-all-compositor-stages-before-draw \
    --virtual-time-budget="${chrome_budget:-10000}" --user-data-dir="$profile" "$@" 2>/dev/null
}
