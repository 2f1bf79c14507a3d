"""The examples of examples/python/ on small generated crawls: the JSONL split and the dask.bag
global dedup (which must find what one copydesk.dedup over the whole crawl finds)."""
import json
import random
import sys

import pytest

import copydesk
from conftest import SOURCE_DIR

sys.path.insert(0, str(SOURCE_DIR / "examples" / "python"))


def crawl(n=300, seed=7):
    """Articles of 80 random words; every 10th is a light edit (one word changed) of an earlier
    article, so duplicates cross any partitioning."""
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(3000)]
    out = []
    for i in range(n):
        if i % 10 == 9:
            words = out[rng.randrange(len(out))]["text"].split()
            words[rng.randrange(len(words))] = "changed"
        else:
            words = [rng.choice(vocab) for _ in range(80)]
        out.append({"id": f"a{i:04d}", "text": " ".join(words), "url": f"https://x.org/{i}"})
    return out


def test_dedup_jsonl_splits_every_line(tmp_path):
    import dedup_jsonl
    recs = crawl()
    src = tmp_path / "crawl.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    kept, dropped = tmp_path / "kept.jsonl", tmp_path / "dropped.jsonl"
    assert dedup_jsonl.main([str(src), str(kept), str(dropped)]) == 0
    k = [json.loads(x) for x in kept.read_text(encoding="utf-8").splitlines()]
    d = [json.loads(x) for x in dropped.read_text(encoding="utf-8").splitlines()]
    r = copydesk.dedup(recs)
    assert [x["id"] for x in k] == sorted(r.keep) and [x["id"] for x in d] == r.duplicates
    assert len(k) + len(d) == len(recs) and len(d) == 30
    kept_ids = {x["id"] for x in k}
    assert all(x["duplicate_of"] in kept_ids for x in d)
    assert k[0]["url"] == "https://x.org/0"


def test_dask_global_dedup_equals_one_run():
    pytest.importorskip("dask")
    import dask
    import dask.bag as db
    import dask_dedup
    recs = crawl(400, 11)
    with dask.config.set(scheduler="threads"):
        drop = dask_dedup.global_dedup(db.from_sequence(recs, npartitions=5))
    whole = copydesk.dedup(recs)
    # The representative of a cluster may differ (a partition keeps its own); the number of
    # documents dropped and the clusters they come from may not.
    assert len(drop) == len(whole.duplicates) == 40
    in_cluster = {m for c in whole.clusters for m in c.members}
    assert set(drop) <= in_cluster
