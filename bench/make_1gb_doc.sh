#!/usr/bin/env bash
# Builds the one-document inputs of the memory measurements (bench/results/2026-12-02-vm/memory.md):
# OUT_DIR/big.txt, the texts of generated articles joined by blank lines up to exactly 1 GiB, and
# OUT_DIR/big.jsonl, the same text as one JSONL line {"id": "big", "text": ...}.
# Usage: bench/make_1gb_doc.sh CORPUS.jsonl [OUT_DIR] (default ${TMPDIR:-/tmp}/copydesk-1gb);
#        SIZE=BYTES makes a document of another size (default 1073741824, 1 GiB);
#        CORPUS.jsonl is a generated corpus (e.g. a part of bench/make_2gb_corpus.sh). Articles
#        are taken in order and repeated from the start if the corpus is smaller than 1 GiB.
set -euo pipefail
corpus=${1:?usage: make_1gb_doc.sh CORPUS.jsonl [OUT_DIR]}
out=${2:-${TMPDIR:-/tmp}/copydesk-1gb}
mkdir -p "$out"
python3 - "$corpus" "$out" "${SIZE:-1073741824}" <<'PY'
import codecs, json, sys
corpus, out = sys.argv[1], sys.argv[2]
size = int(sys.argv[3])
with open(out + "/big.txt", "wb") as f:
    written = 0
    while written < size:
        for line in open(corpus, "rb"):
            piece = json.loads(line)["text"].encode("utf-8") + b"\n\n"
            piece = piece[: size - written]
            f.write(piece)
            written += len(piece)
            if written >= size:
                break
# The JSONL line, written in pieces so the text is never held twice (the incremental decoder
# keeps a UTF-8 sequence cut by a chunk boundary for the next chunk).
dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
with open(out + "/big.txt", "rb") as src, open(out + "/big.jsonl", "w", encoding="utf-8") as f:
    f.write('{"id": "big", "text": "')
    while True:
        chunk = src.read(1 << 24)
        text = dec.decode(chunk, final=not chunk)
        f.write(json.dumps(text, ensure_ascii=False)[1:-1])
        if not chunk:
            break
    f.write('"}\n')
PY
ls -l "$out/big.txt" "$out/big.jsonl"
