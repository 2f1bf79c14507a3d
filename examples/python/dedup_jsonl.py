#!/usr/bin/env python3
"""Splits a JSONL crawl into the records to keep and the duplicates to drop.

    python3 examples/python/dedup_jsonl.py crawl.jsonl kept.jsonl dropped.jsonl [--threshold 0.8]

Each record needs an "id" and a "text" (--id-field / --text-field name others). The crawl is
read twice, line by line: once streamed into copydesk.dedup (never held as Python objects),
once to write every line, unchanged, to kept.jsonl or, with "duplicate_of" (the cluster's
representative, which is kept) added, to dropped.jsonl. Every input line lands in one file.
"""
import argparse
import json
import sys

import copydesk


def records(path, id_field, text_field):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("crawl")
    ap.add_argument("kept")
    ap.add_argument("dropped")
    ap.add_argument("--threshold", type=float, default=0.8, help="Jaccard of near-duplicates")
    ap.add_argument("--containment", type=float, default=0.8,
                    help="share of the smaller text found in the larger")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--text-field", default="text")
    args = ap.parse_args(argv)

    result = copydesk.dedup(records(args.crawl, args.id_field, args.text_field),
                            threshold=args.threshold, containment=args.containment,
                            id_field=args.id_field, text_field=args.text_field)
    representative = {m: c.representative for c in result.clusters for m in c.members
                      if m != c.representative}
    kept = dropped = 0
    with open(args.kept, "w", encoding="utf-8") as k, open(args.dropped, "w", encoding="utf-8") as d:
        for position, rec in enumerate(records(args.crawl, args.id_field, args.text_field)):
            doc_id = str(rec.get(args.id_field, position))
            if doc_id in representative:
                rec["duplicate_of"] = representative[doc_id]
                d.write(json.dumps(rec, ensure_ascii=False) + "\n")
                dropped += 1
            else:
                k.write(json.dumps(rec, ensure_ascii=False) + "\n")
                kept += 1
    print(f"{kept} kept, {dropped} dropped ({len(result.clusters)} clusters, "
          f"{len(result.pairs)} pairs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
