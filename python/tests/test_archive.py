"""copydesk.Archive: add (incremental dedup), remove, check, len, params, context manager."""
import json

import pytest

import copydesk
from conftest import OTHER, WIRE

COPY = WIRE + " More updates will follow later today as the company tests every pipe in the district."
DRAFT = ("Notre reporter écrit 🍰: officials urged residents of the river district to boil tap water "
         "until further notice after tests found bacteria in the supply. Café owners 🍰 closed.")


def test_add_remove_check_and_len(tmp_path):
    path = tmp_path / "news.archive"
    with copydesk.Archive(path) as a:
        added = a.add([{"id": "wire", "text": WIRE, "source": "AP", "time": "2024-05-01"},
                       ("other", OTHER)])
        assert [(x.id, x.status, x.new) for x in added] == [("wire", "added", True),
                                                            ("other", "added", True)]
        added = a.add([("copy", COPY), ("wire", WIRE)])
        assert [(x.id, x.status, x.new, x.duplicate_of) for x in added] == [
            ("copy", "added", False, ["wire"]), ("wire", "skipped", False, [])]
        assert added[0].duplicates[0].kind == "contained"
        assert added[0].duplicates[0].a_in_b < 1.0 and added[0].duplicates[0].b_in_a == 1.0
        assert len(a) == 3
        assert a.verify() == []

        report = a.check([("draft", DRAFT)])
        (c,) = report
        assert c.id == "draft"
        assert c.verdict in ("copy", "borrows")
        # The passage goes to one archived text (copy holds the wire's text too).
        taken = ("fficials urged residents of the river district to boil tap water until further "
                 "notice after tests found bacteria in the supply")
        (s,) = c.sources
        assert s.reference in ("wire", "copy")
        (p,) = s.passages
        assert DRAFT[p.copy] == "o" + taken
        assert {"wire": WIRE, "copy": COPY}[s.reference][p.reference] == "O" + taken
        assert c.similar and c.similar[0][0] in ("wire", "copy")
        j = json.loads(report.to_json())
        assert j["results"][0]["id"] == "draft"

        assert a.remove(["other", "nope"]) == ["nope"]
        assert len(a) == 2
    assert a.closed
    with pytest.raises(ValueError, match="closed"):
        len(a)
    with copydesk.Archive(path, "r") as r:
        assert len(r) == 2
        assert r.info()["params"]["shingle"] == 5


def test_archive_errors(tmp_path):
    with pytest.raises(copydesk.NotFoundError):
        copydesk.Archive(tmp_path / "missing.archive", "r")
    bad = tmp_path / "not-an-archive"
    bad.write_text("hello\n")
    with pytest.raises(copydesk.CorruptFile, match="not-an-archive"):
        copydesk.Archive(bad)
    path = tmp_path / "a.archive"
    copydesk.Archive(path, shingle=5).close()
    with pytest.raises(copydesk.IncompatibleParams, match="expected"):
        copydesk.Archive(path, shingle=3)
    with pytest.raises(ValueError, match="mode"):
        copydesk.Archive(path, "x")
    with copydesk.Archive(path) as a:
        a.add([("x", WIRE)])
        with pytest.raises(copydesk.InputError, match="^x: already archived with other content"):
            a.add([("x", OTHER)])
        assert [d.status for d in a.add([("x", OTHER)], replace=True)] == ["replaced"]
