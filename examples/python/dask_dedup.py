#!/usr/bin/env python3
"""Global dedup of a JSONL crawl with dask.bag: copydesk runs inside each partition, and the
partitions' signatures are merged for the duplicates that cross partitions.

    python3 examples/python/dask_dedup.py crawl.jsonl [--blocksize 1MB] [--threshold 0.8]

1. Per partition (in parallel: copydesk releases the GIL, so dask's threaded scheduler keeps
   every core busy): copydesk.dedup finds the duplicates inside the partition; each survivor
   gets its MinHash signature (copydesk.signature, shipped as bytes).
2. Across partitions: the signatures' slots are cut into LSH bands; survivors that share a band
   in different partitions are candidates (foldby over band keys).
3. The candidates' texts are verified exactly by one more copydesk.dedup, so every reported
   score is exact, as in a single `copydesk dedup` run.
Prints the ids to drop, one per line. Needs Debian's python3-dask.
"""
import argparse
import json
import sys

import dask
import dask.bag as db

import copydesk

BANDS, ROWS = 21, 6  # the layout copydesk chooses for threshold 0.8 and 128 slots


def local_dedup(records, threshold):
    """One partition: its own duplicates, and (id, text, signature bytes) of its survivors."""
    records = list(records)
    r = copydesk.dedup(((x["id"], x["text"]) for x in records), threshold=threshold, threads=1)
    keep = set(r.keep)
    survivors = [(x["id"], x["text"], bytes(copydesk.signature(x["text"])))
                 for x in records if x["id"] in keep]
    return [{"dropped": r.duplicates, "survivors": survivors}]


def band_keys(item):
    doc_id, _, sig = item
    slots = copydesk.Signature.from_bytes(sig).slots
    return [((b, tuple(slots[b * ROWS:(b + 1) * ROWS])), doc_id) for b in range(BANDS)]


def global_dedup(bag, threshold=0.8):
    """Ids to drop from the records of `bag` (dicts with "id" and "text"), sorted."""
    parts = bag.map_partitions(local_dedup, threshold)
    dropped = parts.map(lambda p: p["dropped"]).flatten()
    survivors = parts.map(lambda p: p["survivors"]).flatten()
    # Band buckets holding more than one survivor give the cross-partition candidates.
    buckets = survivors.map(band_keys).flatten().foldby(
        lambda kv: kv[0], lambda acc, kv: acc | {kv[1]}, frozenset(),
        lambda a, b: a | b, frozenset())
    candidates = buckets.filter(lambda kv: len(kv[1]) > 1).map(lambda kv: kv[1]).flatten()
    local_drops, cand_ids, texts = dask.compute(dropped, candidates, survivors)
    cand_ids = set(cand_ids)
    verified = copydesk.dedup([(i, t) for i, t, _ in texts if i in cand_ids],
                              threshold=threshold)
    return sorted(set(local_drops) | set(verified.duplicates))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("crawl")
    ap.add_argument("--blocksize", default="1MB", help="bytes of JSONL per partition")
    ap.add_argument("--threshold", type=float, default=0.8)
    args = ap.parse_args(argv)
    bag = db.read_text(args.crawl, blocksize=args.blocksize).filter(str.strip).map(json.loads)
    with dask.config.set(scheduler="threads"):
        drop = global_dedup(bag, args.threshold)
    sys.stdout.write("".join(d + "\n" for d in drop))
    print(f"{len(drop)} duplicates to drop ({bag.npartitions} partitions)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
