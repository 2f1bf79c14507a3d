#!/usr/bin/env bash
# Line-level precision/recall of --strip-boilerplate on a labelled set (default: the project's
# scraped pages, corpora/scraped with corpora/scraped-labels.tsv).
# Usage: bench/e2e/boilerplate_eval.sh [COPYDESK] [DIR LABELS.tsv]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
copydesk=${1:-$here/build/release/copydesk}
dir=${2:-$here/corpora/scraped}
labels=${3:-$here/corpora/scraped-labels.tsv}
python3 "$here/bench/boilerplate_eval.py" "$copydesk" "$dir" "$labels" --per-doc
