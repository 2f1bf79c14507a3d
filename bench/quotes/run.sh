#!/bin/bash
# Precision and recall of the quote finder on the labelled set (labelled.txt, every quotation
# wrapped in ⟦ ⟧): builds copydesk_quote_eval in BUILD_DIR (default build/release) and runs it.
# Usage: bash bench/quotes/run.sh [BUILD_DIR] [-v]   (-v lists every false and missed quotation)
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build/release}
shift || true
cmake --build "$BUILD" --target copydesk_quote_eval -j1 >/dev/null
"$BUILD/tests/copydesk_quote_eval" "$SRC/bench/quotes/labelled.txt" "$@"
