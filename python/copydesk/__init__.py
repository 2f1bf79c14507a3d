"""copydesk: near-duplicates, stories and borrowed passages in news text, from Python.

The same library as the ``copydesk`` command-line tool, called in-process:

    >>> import copydesk
    >>> r = copydesk.dedup(["a wire story ...", "a wire story ... (copy)", "other news"])
    >>> r.keep, r.duplicates          # ids to keep / to drop (one representative per cluster)
    >>> r.pairs[0].jaccard            # exact scores, as `copydesk dedup`
    >>> r.to_json()                   # byte for byte the JSON of `copydesk dedup --format json`

Documents (``docs``) are any iterable of ``str`` (ids "0", "1", ... by position), of
``(id, text)`` pairs, or of dicts with ``"id"`` and ``"text"`` keys (``id_field`` /
``text_field`` name others). They are pulled from the iterable in batches while the library
works, so a generator over a large file is never held as Python objects. The GIL is released
while the library runs; ``threads=0`` (the default) uses every core, as the CLI does.

Failures raise :class:`Error` subclasses named after the library's error codes
(:class:`InputError`, :class:`IncompatibleParams`, ...) with the library's message; arguments of
the wrong type raise :class:`TypeError`. docs/PYTHON.md has the whole guide.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import _copydesk
from ._copydesk import (  # noqa: F401  (re-exported)
    ArgumentError,
    CorruptFile,
    DuplicateIdError,
    EmptyInput,
    Error,
    IncompatibleParams,
    InputError,
    InternalError,
    IoError,
    NotFoundError,
    Signature,
    UnsupportedVersion,
)

__version__: str = _copydesk.__version__

__all__ = [
    "dedup", "stories", "borrow", "signature", "Archive",
    "DedupResult", "StoriesResult", "BorrowResult", "CheckReport",
    "Document", "Pair", "Cluster", "Group", "Source", "Passage", "Match", "Added", "Checked",
    "Signature",
    "Error", "NotFoundError", "IoError", "InputError", "DuplicateIdError", "ArgumentError",
    "IncompatibleParams", "UnsupportedVersion", "CorruptFile", "EmptyInput", "InternalError",
]

_D = _copydesk.DEFAULTS  # the library's defaults (include/copydesk/*.hpp)
_BATCH = 1000  # documents pulled from the iterable per batch (and at most ~4 MiB of text)


# ---- result records --------------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One input document as a command reports it: its id, word count, and (dedup) its cluster
    id or (stories) its group id, None when in none. ``error`` is set for a document the library
    could not use; ``invalid_utf8`` counts replaced invalid UTF-8 sequences."""
    id: str
    tokens: int
    cluster: Optional[int] = None
    group: Optional[int] = None
    terms: Optional[int] = None
    invalid_utf8: int = 0
    error: Optional[str] = None


@dataclass(frozen=True)
class Pair:
    """A verified duplicate pair, a < b by id. Scores are exact over shingle sets: ``a_in_b`` is
    the share of a's shingles found in b. ``kind`` is "exact", "near" or "contained"."""
    a: str
    b: str
    kind: str
    jaccard: float
    a_in_b: float
    b_in_a: float
    shared: int


@dataclass(frozen=True)
class Cluster:
    """A duplicate cluster: ``members`` in id order and the ``representative`` to keep."""
    id: int
    kind: str
    members: List[str]
    representative: str


@dataclass(frozen=True)
class Group:
    """A story group: members in id order, its label (top centroid terms), mean cosine."""
    id: int
    label: List[str]
    members: List[str]
    cohesion: Optional[float]


@dataclass(frozen=True)
class Passage:
    """An aligned passage. ``copy`` and ``reference`` are slices in Python str indices (code
    points, not UTF-8 bytes): ``copy_text[p.copy]`` is the passage in the copy and
    ``reference_text[p.reference]`` its twin. ``tokens`` counts the copy's words in it,
    ``matched`` those in exactly matching runs."""
    copy: slice
    reference: slice
    tokens: int
    matched: int


@dataclass(frozen=True)
class Source:
    """What a copy takes from one reference: shares of the copy (``borrowed``) and of the
    reference (``reused``) inside the passages."""
    reference: str
    borrowed: float
    reused: float
    copy_tokens: int
    reference_tokens: int
    passages: List[Passage]


@dataclass(frozen=True)
class Match:
    """A verified duplicate of a document in an archive (``archived`` is the archived id)."""
    archived: str
    kind: str
    jaccard: float
    a_in_b: float
    b_in_a: float


@dataclass(frozen=True)
class Added:
    """What Archive.add did with one document: ``status`` is "added", "skipped", "replaced" or
    "failed"; ``new`` is False when it duplicates something archived before it."""
    id: str
    status: str
    new: bool
    duplicate_of: List[str]
    cluster: Optional[str]
    duplicates: List[Match]
    note: str


@dataclass(frozen=True)
class Checked:
    """What Archive.check found for one text: its verdict ("duplicate", "copy", "borrows",
    "shares_quotes", "own_words" or "none"), duplicates, sources with passages (slices into the
    checked text and into the archived text), the closest story's label and its most similar
    archived ids."""
    id: str
    verdict: str
    duplicates: List[Match]
    sources: List[Source]
    borrowed: float
    label: List[str]
    similar: List[Tuple[str, float]]
    earliest: Optional[str]


def _passages(ps: Sequence[tuple]) -> List[Passage]:
    return [Passage(slice(cs, ce), slice(rs, re), t, m) for cs, ce, rs, re, t, m in ps]


def _sources(ss: Sequence[tuple]) -> List[Source]:
    return [Source(r, b, u, ct, rt, _passages(ps)) for r, b, u, ct, rt, ps in ss]


def _matches(ms: Sequence[tuple]) -> List[Match]:
    return [Match(*m) for m in ms]


# ---- dedup -----------------------------------------------------------------------------------

class DedupResult:
    """Result of :func:`dedup`. Documents are in id order (as in the CLI's output)."""

    def __init__(self, core: Any) -> None:
        self._core = core
        self.documents: List[Document] = [
            Document(id=d[0], tokens=d[1], invalid_utf8=d[2], error=d[3], cluster=c)
            for d, c in core.documents()]
        self.pairs: List[Pair] = [Pair(*p) for p in core.pairs()]
        self.clusters: List[Cluster] = [Cluster(*c) for c in core.clusters()]

    @property
    def duplicates(self) -> List[str]:
        """Ids to drop: every cluster member but its representative, in id order."""
        return sorted(m for c in self.clusters for m in c.members if m != c.representative)

    @property
    def keep(self) -> List[str]:
        """Ids to keep: documents in no cluster and each cluster's representative, in id order."""
        drop = set(self.duplicates)
        return [d.id for d in self.documents if d.id not in drop]

    def to_json(self) -> str:
        """The JSON of ``copydesk dedup --format json`` for the same documents and settings."""
        return self._core.to_json()

    def __repr__(self) -> str:
        return (f"<copydesk.DedupResult {len(self.documents)} documents, "
                f"{len(self.clusters)} clusters, {len(self.pairs)} pairs>")


def dedup(docs: Iterable[Any], threshold: float = _D["threshold"],
          containment: float = _D["containment"], shingle: int = _D["shingle"], *,
          chars: bool = False, num_perm: int = _D["num_perm"],
          find_contained: bool = True, bands: int = 0, rows: int = 0,
          window: int = _D["window"], max_df: int = _D["fingerprint_max_df"], threads: int = 0, id_field: str = "id", text_field: str = "text",
          batch_size: int = _BATCH) -> DedupResult:
    """Near-duplicates (Jaccard of word shingles >= ``threshold``) and contained duplicates
    (>= ``containment`` of the smaller document's shingles found in the larger), verified
    exactly and grouped into clusters: ``copydesk dedup`` in-process. Options mirror the CLI's
    (``--shingle``, ``--chars``, ``--num-perm``, ``--no-containment`` = find_contained=False,
    ``--bands``/``--rows`` (0: chosen from the threshold), ``--window``, ``--max-df``, ``-j``)."""
    return DedupResult(_copydesk.dedup(
        docs, threshold, containment, shingle, chars, num_perm, find_contained, bands, rows,
        window, max_df, threads, id_field, text_field, batch_size))


# ---- stories ---------------------------------------------------------------------------------

class StoriesResult:
    """Result of :func:`stories`: ``groups`` largest first, ``documents`` in id order."""

    def __init__(self, core: Any) -> None:
        self._core = core
        self.documents: List[Document] = [
            Document(id=d[0], tokens=d[1], invalid_utf8=d[2], error=d[3], group=g, terms=t)
            for d, g, t in core.documents()]
        self.groups: List[Group] = [Group(*g) for g in core.groups()]

    def to_json(self) -> str:
        """The JSON of ``copydesk stories --format json`` for the same documents and settings."""
        return self._core.to_json()

    def __repr__(self) -> str:
        return f"<copydesk.StoriesResult {len(self.documents)} documents, {len(self.groups)} groups>"


def stories(docs: Iterable[Any], threshold: float = _D["story_threshold"], *,
            min_similarity: Optional[float] = None, min_df: int = _D["min_df"],
            max_df: float = _D["max_df"],
            bigrams: bool = True, stop_words: bool = True, idf_model: str = "",
            background: bool = True, label_terms: int = _D["label_terms"], threads: int = 0,
            id_field: str = "id", text_field: str = "text",
            batch_size: int = _BATCH) -> StoriesResult:
    """Groups documents that cover the same story (TF-IDF cosine, average link), with labels:
    ``copydesk stories`` in-process. ``min_similarity`` defaults to threshold / 2, as in the
    CLI; ``bigrams=False`` is ``--no-bigrams``, ``stop_words=False`` ``--no-stop-words``,
    ``background=False`` ``--no-background``, ``idf_model`` ``--idf-model``."""
    return StoriesResult(_copydesk.stories(
        docs, threshold, min_similarity, min_df, max_df, bigrams, stop_words, idf_model,
        background, label_terms, threads, id_field, text_field, batch_size))


# ---- borrow ----------------------------------------------------------------------------------

class BorrowResult:
    """Result of :func:`borrow` for one copy: total ``borrowed`` share and per-reference
    ``sources`` (most borrowed first) with passages as slices into the original strings."""

    def __init__(self, core: Any) -> None:
        self._core = core
        (self.id, self.tokens, self.borrowed, self.borrowed_tokens, sources,
         self.self_repeated, self_passages) = core.value
        self.sources: List[Source] = _sources(sources)
        self.self_passages: List[Passage] = _passages(self_passages)

    def to_json(self) -> str:
        """The JSON of ``copydesk borrow --format json`` for this copy and these references."""
        return self._core.to_json()

    def __repr__(self) -> str:
        return (f"<copydesk.BorrowResult {self.id!r} borrowed={self.borrowed:.4f} "
                f"from {len(self.sources)} sources>")


def borrow(copy: Any, references: Optional[Iterable[Any]] = None, *, seed_width: int = _D["seed_width"],
           min_tokens: int = _D["min_tokens"], max_gap: int = _D["max_gap"],
           max_postings: int = _D["max_postings"], self: bool = False,
           id_field: str = "id", text_field: str = "text") -> BorrowResult:
    """How much of ``copy`` comes from ``references``, and which passages: ``copydesk borrow``
    for one copy. ``copy`` is a str (id "copy"), an (id, text) pair or a dict; ``references``
    any iterable of documents (str references get ids "0", "1", ...). ``self=True`` also finds
    passages repeated inside the copy (``--self``). References are compared in id order."""
    return BorrowResult(_copydesk.borrow(copy, references, seed_width, min_tokens, max_gap,
                                         max_postings, self, id_field, text_field))


# ---- signatures ------------------------------------------------------------------------------

def signature(text: str, shingle: int = _D["shingle"], num_perm: int = _D["num_perm"], *, chars: bool = False) -> Signature:
    """MinHash signature of one text, sketched exactly as ``copydesk dedup`` sketches a document.
    ``a.jaccard(b)`` estimates the Jaccard similarity; ``bytes(sig)`` is the versioned binary
    form and ``Signature.from_bytes(data, shingle=..., num_perm=...)`` reads it back and
    refuses other params (IncompatibleParams)."""
    return _copydesk.signature(text, shingle, num_perm, chars)


# ---- archive ---------------------------------------------------------------------------------

class CheckReport:
    """What :meth:`Archive.check` found: a list of :class:`Checked`, one per text (in id order
    in ``to_json()``, in input order here)."""

    def __init__(self, core: Any) -> None:
        self._core = core
        self.results: List[Checked] = [
            Checked(i, v, _matches(d), _sources(s), b, list(l), [tuple(x) for x in sim], e)
            for i, v, d, s, b, l, sim, e in core.values]

    def __iter__(self) -> Iterator[Checked]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, i: int) -> Checked:
        return self.results[i]

    def to_json(self) -> str:
        """The JSON of ``copydesk check --archive A --format json`` for the same texts."""
        return self._core.to_json()


class Archive:
    """A persistent, growing index in one SQLite file (``copydesk archive``). ``mode`` "a"
    creates it if missing, "w" requires it, "r" opens it read-only. ``shingle``, ``num_perm``
    and ``chars`` (when given) are the settings of a new archive, and an existing one must have
    them (IncompatibleParams otherwise). Use as a context manager, or call close()."""

    def __init__(self, path: str, mode: str = "a", *, shingle: Optional[int] = None,
                 num_perm: Optional[int] = None, chars: Optional[bool] = None) -> None:
        self._core = _copydesk.ArchiveCore(str(path), mode, shingle, num_perm, chars)

    def add(self, docs: Iterable[Any], *, replace: bool = False,
            threshold: float = _D["threshold"], containment: float = _D["containment"], find_contained: bool = True, threads: int = 0,
            id_field: str = "id", text_field: str = "text",
            batch_size: int = _BATCH) -> List[Added]:
        """Adds documents (one transaction per batch), each compared first with everything
        archived: incremental dedup. Dicts may carry "source", "time" (ISO 8601) and "url"."""
        return [Added(i, s, n, list(d), c, _matches(m), note)
                for i, s, n, d, c, m, note in self._core.add(
                    docs, replace, threshold, containment, find_contained, threads, id_field,
                    text_field, batch_size)]

    def remove(self, ids: Iterable[str]) -> List[str]:
        """Removes documents by id; returns the ids that were not archived."""
        return list(self._core.remove(ids))

    def check(self, texts: Iterable[Any], *, threshold: float = _D["threshold"],
              containment: float = _D["containment"], find_contained: bool = True,
              max_sources: int = _D["max_sources"], similar: int = _D["similar"],
              id_field: str = "id", text_field: str = "text") -> CheckReport:
        """Compares each text with the archive (``copydesk check --archive``)."""
        return CheckReport(self._core.check(texts, threshold, containment, find_contained,
                                            max_sources, similar, id_field, text_field))

    def info(self) -> dict:
        """Counts, params, sizes and format version (``copydesk archive info``)."""
        return self._core.info()

    def verify(self) -> List[str]:
        """Problems found by ``copydesk archive verify`` (empty when the archive is sound)."""
        return list(self._core.verify())

    def compact(self) -> None:
        """Folds the write-ahead log in and rebuilds the file without free pages."""
        self._core.compact()

    def close(self) -> None:
        """Closes the archive (later calls raise ValueError)."""
        self._core.close()

    @property
    def closed(self) -> bool:
        return self._core.closed

    def __len__(self) -> int:
        return self._core.size()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
