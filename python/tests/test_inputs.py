"""Every input form of `docs`, streaming in batches, keep / duplicates, and the errors."""
import pytest

import copydesk
from conftest import OTHER, WIRE

COPY = WIRE + " More updates will follow later today as the company tests every pipe in the district."


def ids_and_pairs(r):
    return [d.id for d in r.documents], [(p.a, p.b, p.kind) for p in r.pairs]


def test_plain_strings_get_their_position_as_id():
    r = copydesk.dedup([WIRE, OTHER, COPY])
    assert ids_and_pairs(r) == (["0", "1", "2"], [("0", "2", "contained")])
    # The representative of a contained pair is the larger text (more tokens).
    assert r.clusters[0].representative == "2"
    assert r.keep == ["1", "2"]
    assert r.duplicates == ["0"]
    assert r.documents[0].cluster == 1 and r.documents[1].cluster is None


def test_pairs_tuples_lists_dicts_and_generators_agree():
    forms = [
        [("wire", WIRE), ("other", OTHER), ("copy", COPY)],
        [["wire", WIRE], ["other", OTHER], ["copy", COPY]],
        [{"id": "wire", "text": WIRE}, {"id": "other", "text": OTHER},
         {"id": "copy", "text": COPY, "url": "https://example.org/x"}],
        (d for d in [("wire", WIRE), ("other", OTHER), ("copy", COPY)]),
        iter({"wire": WIRE, "other": OTHER, "copy": COPY}.items()),
    ]
    for docs in forms:
        r = copydesk.dedup(docs)
        assert ids_and_pairs(r) == (["copy", "other", "wire"], [("copy", "wire", "contained")])
        assert r.keep == ["copy", "other"] and r.duplicates == ["wire"]
        assert r.pairs[0].b_in_a == 1.0


def test_custom_fields_and_missing_id():
    r = copydesk.dedup([{"url": "u1", "body": WIRE}, {"body": WIRE}],
                       id_field="url", text_field="body")
    assert [d.id for d in r.documents] == ["1", "u1"]
    assert [(p.a, p.b, p.kind, p.jaccard) for p in r.pairs] == [("1", "u1", "exact", 1.0)]


def test_batches_of_one_give_the_same_result():
    docs = [(f"d{i:03d}", (WIRE if i % 3 else OTHER) + f" Item {i}.") for i in range(60)]
    a = copydesk.dedup(docs, batch_size=1, threads=2)
    b = copydesk.dedup(docs, batch_size=1000, threads=1)
    assert a.to_json() == b.to_json()
    assert len(a.clusters) == 2


def test_the_iterable_is_consumed_lazily():
    pulled = []

    def gen():
        for i in range(5000):
            pulled.append(i)
            yield (f"d{i}", WIRE if i == 0 else f"note {i} about something else entirely")
    r = copydesk.dedup(gen(), batch_size=100)
    assert len(r.documents) == 5000 and pulled == list(range(5000))


def test_empty_input_and_empty_texts_are_reported():
    r = copydesk.dedup([])
    assert r.documents == [] and r.keep == []
    r = copydesk.dedup([("e", ""), ("w", "   ")])
    assert [(d.id, d.tokens) for d in r.documents] == [("e", 0), ("w", 0)]
    assert r.pairs == []


def test_type_errors_name_the_document():
    with pytest.raises(TypeError, match=r"not a single str: wrap one text in a list"):
        copydesk.dedup("just one text")
    with pytest.raises(TypeError, match=r"not a dict"):
        copydesk.dedup({"a": WIRE})
    with pytest.raises(TypeError, match=r"not int"):
        copydesk.dedup(42)
    with pytest.raises(TypeError, match=r"^document 1: expected a str, an \(id, text\) pair"):
        copydesk.dedup([WIRE, b"bytes"])
    with pytest.raises(TypeError, match=r"^document 0: its text must be a str, not int"):
        copydesk.dedup([("a", 3)])
    with pytest.raises(TypeError, match=r"^document 0: a tuple or list must be \(id, text\), got 3"):
        copydesk.dedup([("a", "b", "c")])
    with pytest.raises(TypeError, match=r"^document 2: the dict has no \"text\" key"):
        copydesk.dedup([WIRE, OTHER, {"id": "x"}])


def test_library_errors_are_copydesk_errors():
    with pytest.raises(copydesk.DuplicateIdError, match=r'^duplicate id "a": docs:1 and docs:3$') as e:
        copydesk.dedup([("a", WIRE), ("b", OTHER), ("a", COPY)], batch_size=1)
    assert e.value.code == "duplicate_id"
    assert isinstance(e.value, copydesk.Error) and isinstance(e.value, ValueError)
    with pytest.raises(copydesk.ArgumentError) as e:
        copydesk.dedup([WIRE], threshold=1.5)
    assert "threshold" in str(e.value)
    with pytest.raises(copydesk.ArgumentError):
        copydesk.dedup([WIRE], shingle=0)
    with pytest.raises(copydesk.NotFoundError) as e:
        copydesk.stories([WIRE], idf_model="no/such/model.idf")
    assert "no/such/model.idf" in str(e.value)


def test_an_exception_of_the_iterable_propagates_unchanged():
    def gen():
        yield WIRE
        raise KeyError("from the caller's generator")
    with pytest.raises(KeyError, match="from the caller's generator"):
        copydesk.dedup(gen())
    # The module is still usable afterwards.
    assert len(copydesk.dedup([WIRE, WIRE]).pairs) == 1


def test_lone_surrogates_are_refused():
    with pytest.raises(UnicodeEncodeError):
        copydesk.dedup(["abc \ud800 def"])


def test_stories_groups_and_documents():
    flood = "Heavy rain flooded the old town and the river rose to a record level, officials said."
    docs = [("f1", flood), ("f2", flood + " Schools were closed."), ("w", WIRE)]
    r = copydesk.stories(docs)
    assert r.groups[0].members == ["f1", "f2"]
    assert r.groups[0].cohesion is not None and r.groups[0].cohesion > 0.5
    assert {d.id: d.group for d in r.documents}["f1"] == r.groups[0].id


def test_bad_argument_types_are_type_errors(tmp_path):
    with pytest.raises(TypeError):
        copydesk.dedup([WIRE], threshold="high")
    with pytest.raises(TypeError):
        copydesk.signature(WIRE, shingle="5")
    with pytest.raises(TypeError, match="must be a str"):
        with copydesk.Archive(tmp_path / "a.archive") as a:
            a.remove([1, 2])
