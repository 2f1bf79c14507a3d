#!/usr/bin/env python3
"""Recall and precision of `copydesk dedup --format json` output against gen_corpus.py ground truth.

Usage: dedup_accuracy.py GROUND_TRUTH.json DEDUP.json [threshold]
Truth = ground-truth near-duplicate pairs whose exact 5-shingle Jaccard is >= threshold (0.8).
Found = reported pairs with Jaccard >= threshold. Prints one JSON object.
"""
import json
import sys


def main():
    gt = json.load(open(sys.argv[1]))
    res = json.load(open(sys.argv[2]))
    t = float(sys.argv[3]) if len(sys.argv) > 3 else 0.8
    truth = {(a, b) for a, b, j in gt["near_duplicate_pairs"] if j >= t}
    found = {tuple(sorted((p["a"], p["b"]))) for p in res["pairs"] if p["jaccard"] >= t}
    tp = len(truth & found)
    in_clusters = {tuple(sorted((a, b))) for a, b, _ in gt["near_duplicate_pairs"]}
    out = {
        "threshold": t,
        "truth_pairs": len(truth),
        "found_pairs": len(found),
        "recall": tp / len(truth) if truth else None,
        "precision": tp / len(found) if found else None,
        "reported_pairs_outside_truth_clusters": len({tuple(sorted((p["a"], p["b"]))) for p in res["pairs"]} - in_clusters),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
