"""Reference counts and memory stay flat over 10,000 calls (no leak in the binding)."""
import gc
import sys
import tracemalloc

import copydesk
from conftest import OTHER, WIRE


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def cheap_calls(i, text):
    """Four calls of the binding that take microseconds each."""
    s = copydesk.signature(text)
    assert copydesk.Signature.from_bytes(bytes(s)).jaccard(s) == 1.0
    b = copydesk.borrow(("copy", text), [("ref", WIRE)])
    assert b.sources[0].passages[0].copy.start == 0
    try:
        copydesk.Signature.from_bytes(b"x")
    except copydesk.CorruptFile:
        pass


def stage_calls(i, text):
    """A dedup and a failing dedup: documents streamed through the feed, results, an error."""
    r = copydesk.dedup([("a", text), ("b", text), {"id": "c", "text": OTHER}], threads=1)
    assert r.duplicates == ["b"]
    try:
        copydesk.dedup([("x", "a"), ("x", "b")], threads=1)
    except copydesk.DuplicateIdError:
        pass


def test_no_leak_over_10000_calls():
    # 10,000 rounds of every kind of call: 60,000 calls into the module.
    for i in range(100):  # warm-up: allocator pools, caches, thread stacks
        cheap_calls(i, WIRE + f" Update {i}: é 東京 🎉.")
        stage_calls(i, WIRE)
    gc.collect()
    text = WIRE + " Update: é 東京 🎉."
    refs_before = sys.getrefcount(text)
    objects_before = len(gc.get_objects())
    rss_before = rss_bytes()
    tracemalloc.start()
    snap_before = tracemalloc.take_snapshot()
    for i in range(10_000):
        cheap_calls(i, text)
        stage_calls(i, text)
    gc.collect()
    snap_after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    python_growth = sum(s.size_diff for s in snap_after.compare_to(snap_before, "filename"))
    rss_growth = rss_bytes() - rss_before
    print(f"10,000 calls: Python heap {python_growth / 1024:.1f} KiB, RSS {rss_growth / 1024:.0f} "
          f"KiB, objects {len(gc.get_objects()) - objects_before:+d}")
    assert sys.getrefcount(text) == refs_before
    # Generous bounds: one leaked result per call would be megabytes (Python heap) and tens of
    # megabytes (RSS); tracemalloc's bookkeeping and allocator slack stay well below (measured:
    # about 1 KiB and 16 KiB).
    assert python_growth < 256 * 1024
    assert len(gc.get_objects()) - objects_before < 1000
    assert rss_growth < 4 * 1024 * 1024
