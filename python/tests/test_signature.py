"""copydesk.signature: Jaccard estimates, merge, the versioned binary form and its params."""
import pytest

import copydesk
from conftest import OTHER, WIRE


def test_jaccard_of_equal_and_different_texts():
    a = copydesk.signature(WIRE)
    assert a.jaccard(copydesk.signature(WIRE)) == 1.0
    assert a.jaccard(copydesk.signature(OTHER)) < 0.1
    est, lo, hi = a.similarity(copydesk.signature(WIRE + " Updates follow."))
    assert lo <= est <= hi and 0.6 < est < 1.0
    assert a.params == {"unit": "words", "shingle": 5, "num_perm": 128,
                        "hash_seed": a.params["hash_seed"], "normalization": 1,
                        "family": "xxh3-fss-v1"}
    assert len(a.slots) == 128 and not a.is_empty
    assert copydesk.signature("").is_empty


def test_bytes_round_trip_and_size():
    s = copydesk.signature(WIRE, shingle=3, num_perm=64)
    data = bytes(s)
    assert len(data) == 48 + 4 * 64
    assert copydesk.Signature.from_bytes(data) == s
    assert copydesk.Signature.from_bytes(data, shingle=3, num_perm=64) == s


def test_params_are_checked():
    s = copydesk.signature(WIRE, shingle=3)
    with pytest.raises(copydesk.IncompatibleParams, match="expected .*5.*got .*3") as e:
        copydesk.Signature.from_bytes(bytes(s), shingle=5)
    assert e.value.code == "incompatible_params"
    with pytest.raises(copydesk.IncompatibleParams):
        s.jaccard(copydesk.signature(WIRE))
    with pytest.raises(copydesk.IncompatibleParams):
        s.merge(copydesk.signature(WIRE, chars=True, shingle=3))
    with pytest.raises(copydesk.ArgumentError):
        copydesk.signature(WIRE, num_perm=0)


def test_corrupt_bytes():
    data = bytearray(bytes(copydesk.signature(WIRE)))
    data[60] ^= 0xFF
    with pytest.raises(copydesk.CorruptFile):
        copydesk.Signature.from_bytes(bytes(data))
    with pytest.raises(copydesk.CorruptFile):
        copydesk.Signature.from_bytes(b"not a signature")
    with pytest.raises(TypeError):
        copydesk.signature(b"bytes")


def test_merge_is_the_union():
    a, b = copydesk.signature(WIRE), copydesk.signature(OTHER)
    u = copydesk.signature(WIRE + "\n\n" + OTHER)
    m = a.merge(b)
    # The union's signature, up to the few shingles that span the join of the two texts.
    assert m.jaccard(u) > 0.8
    assert m.slots == [min(x, y) for x, y in zip(a.slots, b.slots)]
