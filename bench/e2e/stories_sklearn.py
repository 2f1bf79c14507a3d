#!/usr/bin/env python3
"""Reference story pipeline in scikit-learn, timed, and compared with a copydesk stories run.

TfidfVectorizer(sublinear_tf=True) -> sparse X @ X.T -> pairs with cosine >= threshold ->
connected components. Prints the time ratio, the agreement of the pair sets (copydesk's scored
pairs against scikit-learn's at the same threshold) and B-cubed F1 of both groupings against the
generator's story groups. Run with Debian's /usr/bin/python3 (python3-sklearn).
"""
import argparse
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer


def bcubed(pred, truth):
    """B-cubed F1 of two labelings given as lists (same order)."""
    from collections import Counter
    both = Counter(zip(pred, truth))
    pc, tc = Counter(pred), Counter(truth)
    n = len(pred)
    p = sum(both[(a, b)] / pc[a] for a, b in zip(pred, truth)) / n
    r = sum(both[(a, b)] / tc[b] for a, b in zip(pred, truth)) / n
    return p, r, 2 * p * r / (p + r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, help="corpus.jsonl")
    ap.add_argument("--truth", required=True, help="ground_truth.json")
    ap.add_argument("--copydesk-json", required=True)
    ap.add_argument("--copydesk-seconds", type=float, required=True)
    ap.add_argument("--threshold", type=float, required=True)
    ap.add_argument("--out", help="write the summary as JSON here")
    a = ap.parse_args()

    t0 = time.perf_counter()
    ids, texts = [], []
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            ids.append(rec["id"])
            texts.append(rec["text"])
    x = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    s = (x @ x.T).tocsr()
    s = sp.triu(s, k=1).tocsr()
    s.data[s.data < a.threshold] = 0
    s.eliminate_zeros()
    ncomp, comp = connected_components(s, directed=False)
    sk_seconds = time.perf_counter() - t0

    order = sorted(range(len(ids)), key=lambda i: ids[i])  # copydesk sorts by id
    coo = s.tocoo()
    sk_pairs = {(min(ids[i], ids[j]), max(ids[i], ids[j])) for i, j in zip(coo.row, coo.col)}

    cd = json.load(open(a.copydesk_json, encoding="utf-8"))
    cd_pairs = {(p["a"], p["b"]) for p in cd.get("pairs", []) if p["cosine"] >= a.threshold}
    cd_group = {d["id"]: d["group"] for d in cd["documents"]}

    truth = json.load(open(a.truth, encoding="utf-8"))
    story_of = {}
    for k, members in enumerate(truth["story_groups"]):
        for m in members:
            story_of[m] = k
    t_lab = [story_of.get(i, "single:" + i) for i in ids]
    sk_lab = [int(c) for c in comp]
    cd_lab = [cd_group[i] if cd_group[i] is not None else "none:" + i for i in ids]
    truth_pairs = set()
    for members in truth["story_groups"]:
        ms = sorted(members)
        truth_pairs.update((ms[i], ms[j]) for i in range(len(ms)) for j in range(i + 1, len(ms)))

    inter = len(sk_pairs & cd_pairs)
    union = len(sk_pairs | cd_pairs)
    summary = {
        "documents": len(ids),
        "threshold": a.threshold,
        "copydesk_seconds": round(a.copydesk_seconds, 3),
        "sklearn_seconds": round(sk_seconds, 3),
        "speedup": round(sk_seconds / a.copydesk_seconds, 2),
        "pairs_copydesk": len(cd_pairs),
        "pairs_sklearn": len(sk_pairs),
        "pairs_both": inter,
        "pair_jaccard": round(inter / union, 4) if union else 1.0,
        "story_pairs_truth": len(truth_pairs),
        "story_pair_recall_copydesk": round(len(cd_pairs & truth_pairs) / len(truth_pairs), 4),
        "story_pair_recall_sklearn": round(len(sk_pairs & truth_pairs) / len(truth_pairs), 4),
        "bcubed_f1_copydesk_groups": round(bcubed(cd_lab, t_lab)[2], 4),
        "bcubed_f1_sklearn_components": round(bcubed(sk_lab, t_lab)[2], 4),
        "groups_copydesk": len(cd["groups"]),
        "components_sklearn": int(ncomp),
    }
    del order
    for k, v in summary.items():
        print(f"{k:30} {v}")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
