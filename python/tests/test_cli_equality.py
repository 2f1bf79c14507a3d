"""Results of the module equal the CLI's JSON byte for byte on the committed corpora."""
import json

import copydesk
from conftest import CORPORA, read_dir


def test_dedup_json_equals_cli_on_newsroom(cli):
    expected = cli("dedup", "--format", "json", CORPORA / "newsroom")
    r = copydesk.dedup(read_dir(CORPORA / "newsroom"))
    assert r.to_json() == expected
    # The objects say what the JSON says.
    j = json.loads(expected)
    assert [c.members for c in r.clusters] == [c["members"] for c in j["clusters"]]
    assert [c.representative for c in r.clusters] == [c["representative"] for c in j["clusters"]]
    # The JSON prints scores with 6 decimals; the objects hold the doubles.
    assert [(p.a, p.b, round(p.jaccard, 6), round(p.a_in_b, 6), round(p.b_in_a, 6))
            for p in r.pairs] == \
        [(p["a"], p["b"], p["jaccard"], p["a_in_b"], p["b_in_a"]) for p in j["pairs"]]
    assert [(d.id, d.tokens, d.cluster) for d in r.documents] == \
        [(d["id"], d["tokens"], d["cluster"]) for d in j["documents"]]


def test_dedup_json_equals_cli_with_options(cli):
    args = ["--threshold", "0.5", "--containment", "0.6", "--shingle", "3", "--num-perm", "64"]
    expected = cli("dedup", "--format", "json", *args, CORPORA / "graded")
    r = copydesk.dedup(read_dir(CORPORA / "graded"), threshold=0.5, containment=0.6, shingle=3,
                       num_perm=64, threads=1)
    assert r.to_json() == expected
    assert len(r.pairs) > 0


def test_dedup_json_equals_cli_chars_no_containment(cli):
    expected = cli("dedup", "--format", "json", "--chars", "--shingle", "7", "--no-containment",
                   CORPORA / "newsroom")
    r = copydesk.dedup(read_dir(CORPORA / "newsroom"), chars=True, shingle=7,
                       find_contained=False)
    assert r.to_json() == expected


def test_stories_json_equals_cli(cli):
    expected = cli("stories", "--format", "json", CORPORA / "stories")
    r = copydesk.stories(read_dir(CORPORA / "stories"))
    assert r.to_json() == expected
    j = json.loads(expected)
    assert [g.members for g in r.groups] == [g["members"] for g in j["groups"]]
    assert [g.label for g in r.groups] == [g["label"] for g in j["groups"]]


def test_dedup_of_jsonl_records_equals_cli(cli, tmp_path):
    # The same texts as JSONL records with non-ASCII text; the module gets the parsed dicts.
    docs = read_dir(CORPORA / "newsroom")
    lines = [json.dumps({"id": i, "text": t + " Café 東京 🎉"}, ensure_ascii=False)
             for i, t in docs]
    path = tmp_path / "crawl.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = cli("dedup", "--format", "json", path)
    with open(path, encoding="utf-8") as f:
        r = copydesk.dedup(json.loads(line) for line in f)
    assert r.to_json() == expected


def test_borrow_json_equals_cli(cli):
    copy = CORPORA / "newsroom" / "outlet-a-water-alert.txt"
    ref = CORPORA / "newsroom" / "wire-water-alert.txt"
    expected = json.loads(cli("borrow", "--format", "json", "-r", ref, copy))
    copy_text, ref_text = copy.read_bytes().decode("utf-8"), ref.read_bytes().decode("utf-8")
    r = copydesk.borrow((str(copy), copy_text), [(str(ref), ref_text)])
    assert json.loads(r.to_json()) == expected
    # The CLI's passages are byte offsets; the module's slices cut the same text out of the str.
    src = expected["results"][0]["sources"][0]
    assert len(r.sources[0].passages) == len(src["passages"]) > 0
    for p, q in zip(r.sources[0].passages, src["passages"]):
        assert copy_text[p.copy] == copy_text.encode()[q["copy"][0]:q["copy"][1]].decode()
        assert ref_text[p.reference] == \
            ref_text.encode()[q["reference"][0]:q["reference"][1]].decode()
        assert p.tokens == q["tokens"]
    assert round(r.borrowed, 6) == expected["results"][0]["borrowed"]


def test_archive_check_json_equals_cli(cli, tmp_path):
    path = tmp_path / "news.archive"
    docs = read_dir(CORPORA / "newsroom")
    wire = [d for d in docs if d[0].startswith("wire")]
    with copydesk.Archive(path) as a:
        a.add(wire)
    draft = CORPORA / "newsroom" / "outlet-b-water-alert.txt"
    expected = cli("check", "--archive", path, "--format", "json", draft)
    with copydesk.Archive(path, "r") as a:
        report = a.check([(str(draft), draft.read_bytes().decode("utf-8"))])
    assert report.to_json() == expected
    assert report[0].sources[0].reference == "wire-water-alert.txt"


def test_borrow_with_changed_facts_equals_cli(cli):
    # A copy that changed numbers and a name inside its passage: the edits ("changes") and the
    # counts come out of the module as out of `copydesk borrow`.
    data = CORPORA.parent / "tests" / "data" / "signals" / "corpus"
    copy, ref = data / "prose-copy.txt", data / "wire.txt"
    expected = json.loads(cli("borrow", "--format", "json", "-r", ref, copy))
    r = copydesk.borrow((str(copy), copy.read_text(encoding="utf-8")),
                        [(str(ref), ref.read_text(encoding="utf-8"))])
    got = json.loads(r.to_json())
    assert got == expected
    kinds = [c["kind"] for p in got["results"][0]["sources"][0]["passages"] for c in p["changes"]]
    assert kinds == ["number", "number", "number", "name"]
