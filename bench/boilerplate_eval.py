#!/usr/bin/env python3
"""Line-level precision and recall of `copydesk --strip-boilerplate` on a labelled set.

Usage: bench/boilerplate_eval.py COPYDESK DIR LABELS.tsv [--per-doc]
  DIR       a folder of pages (HTML or plain text); document ids are paths relative to it
  LABELS    TSV lines "document<TAB>article line"; '#' lines are comments. Every other
            non-blank line of a labelled document's text is page furniture.
A line is one line of the text copydesk compares (for HTML: the extracted text, as
`--format jsonl` gives it); it is kept when --strip-boilerplate left it non-blank. Prints
"documents D lines L article A kept K correct C precision P recall R" (and one such line per
document with --per-doc); exits 0.
"""
import json
import subprocess
import sys
from collections import defaultdict


def records(copydesk, folder, strip):
    cmd = [copydesk, "dedup", "--format", "jsonl", "-q", folder]
    if strip:
        cmd.insert(2, "--strip-boilerplate")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return {r["id"]: r for r in map(json.loads, out.splitlines())}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 3:
        sys.exit(__doc__)
    copydesk, folder, labels_path = args
    gold = defaultdict(set)
    with open(labels_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            doc, text = line.split("\t", 1)
            gold[doc].add(text.strip())
    stripped = records(copydesk, folder, True)
    plain = records(copydesk, folder, False)
    total = defaultdict(int)
    rows = []
    for doc in sorted(gold):
        if doc not in stripped:
            sys.exit(f"boilerplate_eval: {doc}: not among the documents of {folder}")
        # Offsets are bytes: removed text became one space per byte.
        kept_text = stripped[doc]["text"].encode()
        if "text" in plain.get(doc, {}):
            original = plain[doc]["text"].encode()
        else:
            with open(f"{folder}/{doc}", "rb") as f:
                original = f.read()
        if len(original) != len(kept_text):
            sys.exit(f"boilerplate_eval: {doc}: stripped text is not the original's length")
        c = defaultdict(int)
        at = 0
        for line in original.split(b"\n"):
            kept_line = kept_text[at:at + len(line)]
            at += len(line) + 1
            if not line.strip():
                continue
            is_article = line.decode("utf-8", "replace").strip() in gold[doc]
            is_kept = bool(kept_line.strip())
            c["lines"] += 1
            c["article"] += is_article
            c["kept"] += is_kept
            c["correct"] += is_article and is_kept
        rows.append((doc, c))
        for k, v in c.items():
            total[k] += v
    def fmt(c):
        p = c["correct"] / c["kept"] if c["kept"] else 0.0
        r = c["correct"] / c["article"] if c["article"] else 0.0
        return (f"lines {c['lines']} article {c['article']} kept {c['kept']} correct "
                f"{c['correct']} precision {p:.4f} recall {r:.4f}")
    if "--per-doc" in sys.argv:
        for doc, c in rows:
            print(f"{doc} {fmt(c)}")
    print(f"documents {len(rows)} {fmt(total)}")


if __name__ == "__main__":
    main()
