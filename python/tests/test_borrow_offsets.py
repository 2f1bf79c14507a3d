"""Passages are slices in Python str indices (code points), for ASCII, é, CJK and emoji."""
import pytest

import copydesk
from conftest import WIRE

TAKEN = ("the mayor said the old bridge will close for repairs from the first of June until "
         "the end of the summer holidays")


@pytest.mark.parametrize("prefix", ["", "Café société é à ü. ", "東京都の発表によると、",
                                    "🎉🎉 Breaking 👩‍👩‍👧 news 𝔘𝔫𝔦𝔠𝔬𝔡𝔢: "])
def test_slices_cut_the_borrowed_text_out_of_both_strings(prefix):
    copy = prefix + "In other news, " + TAKEN + ". Élodie Müller reported. 終わり 🚀"
    # The reference shares only TAKEN with the copy (shared words around it would join the
    # passage across the gap).
    ref = "Über 🙂 ñandú 北京: " + TAKEN + ", officials added."
    r = copydesk.borrow(("copy", copy), [("ref", ref), ("wire", WIRE)])
    assert len(r.sources) == 1
    s = r.sources[0]
    assert s.reference == "ref"
    assert len(s.passages) == 1
    p = s.passages[0]
    assert copy[p.copy] == TAKEN
    assert ref[p.reference] == TAKEN
    assert p.tokens == len(TAKEN.split()) == p.matched
    assert 0 < r.borrowed < 1 and s.borrowed == r.borrowed


def test_passages_across_many_blocks_of_non_ascii_text():
    # Long texts: offsets past several 64-byte blocks, multi-byte characters straddling them.
    filler = " ".join(f"ünïcödé{i} 漢字{i} 🙂{i}" for i in range(200))
    copy = filler + " " + TAKEN + " " + filler
    ref = "🙂" * 101 + " " + TAKEN + " é" * 33
    r = copydesk.borrow(copy, [ref])
    p = r.sources[0].passages
    assert [copy[x.copy] for x in p] == [TAKEN]
    assert [ref[x.reference] for x in p] == [TAKEN]
    assert r.id == "copy" and r.sources[0].reference == "0"


def test_self_repetition_slices():
    body = "Residents were told to boil water before drinking it until the tests are clear again"
    doc = "Alert: " + body + ". 🚰 Again: " + body + "."
    r = copydesk.borrow(doc, self=True)
    assert r.sources == []
    assert len(r.self_passages) == 1
    p = r.self_passages[0]
    assert doc[p.copy] == body and doc[p.reference] == body
    assert p.reference.stop <= p.copy.start
    assert r.tokens == 32 and r.self_repeated == 30 / 32  # all but "Alert" and "Again"


def test_borrow_errors():
    with pytest.raises(copydesk.ArgumentError, match="nothing to compare"):
        copydesk.borrow("text")
    with pytest.raises(copydesk.ArgumentError):
        copydesk.borrow("text", ["ref"], min_tokens=1)
    with pytest.raises(copydesk.DuplicateIdError, match='duplicate reference id "r"'):
        copydesk.borrow("text", [("r", "a"), ("r", "b")])
