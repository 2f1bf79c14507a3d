# Type stubs of the copydesk package (the pure-Python part and its native module).
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

__version__: str

DocumentLike = Union[str, Tuple[str, str], List[str], Mapping[str, Any]]

class Error(Exception):
    code: Optional[str]

class NotFoundError(Error, FileNotFoundError): ...
class IoError(Error, OSError): ...
class InputError(Error, ValueError): ...
class DuplicateIdError(Error, ValueError): ...
class ArgumentError(Error, ValueError): ...
class IncompatibleParams(Error, ValueError): ...
class UnsupportedVersion(Error): ...
class CorruptFile(Error): ...
class EmptyInput(Error): ...
class InternalError(Error): ...

@dataclass(frozen=True)
class Document:
    id: str
    tokens: int
    cluster: Optional[int] = ...
    group: Optional[int] = ...
    terms: Optional[int] = ...
    invalid_utf8: int = ...
    error: Optional[str] = ...

@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    kind: str
    jaccard: float
    a_in_b: float
    b_in_a: float
    shared: int

@dataclass(frozen=True)
class Cluster:
    id: int
    kind: str
    members: List[str]
    representative: str

@dataclass(frozen=True)
class Group:
    id: int
    label: List[str]
    members: List[str]
    cohesion: Optional[float]

@dataclass(frozen=True)
class Passage:
    copy: slice
    reference: slice
    tokens: int
    matched: int

@dataclass(frozen=True)
class Source:
    reference: str
    borrowed: float
    reused: float
    copy_tokens: int
    reference_tokens: int
    passages: List[Passage]

@dataclass(frozen=True)
class Match:
    archived: str
    kind: str
    jaccard: float
    a_in_b: float
    b_in_a: float

@dataclass(frozen=True)
class Added:
    id: str
    status: str
    new: bool
    duplicate_of: List[str]
    cluster: Optional[str]
    duplicates: List[Match]
    note: str

@dataclass(frozen=True)
class Checked:
    id: str
    verdict: str
    duplicates: List[Match]
    sources: List[Source]
    borrowed: float
    label: List[str]
    similar: List[Tuple[str, float]]
    earliest: Optional[str]

class DedupResult:
    documents: List[Document]
    pairs: List[Pair]
    clusters: List[Cluster]
    @property
    def keep(self) -> List[str]: ...
    @property
    def duplicates(self) -> List[str]: ...
    def to_json(self) -> str: ...

class StoriesResult:
    documents: List[Document]
    groups: List[Group]
    def to_json(self) -> str: ...

class BorrowResult:
    id: str
    tokens: int
    borrowed: float
    borrowed_tokens: int
    sources: List[Source]
    self_repeated: float
    self_passages: List[Passage]
    def to_json(self) -> str: ...

class CheckReport:
    results: List[Checked]
    def __iter__(self) -> Iterator[Checked]: ...
    def __len__(self) -> int: ...
    def __getitem__(self, i: int) -> Checked: ...
    def to_json(self) -> str: ...

class Signature:
    @property
    def params(self) -> dict: ...
    @property
    def slots(self) -> List[int]: ...
    @property
    def is_empty(self) -> bool: ...
    def jaccard(self, other: Signature) -> float: ...
    def similarity(self, other: Signature) -> Tuple[float, float, float]: ...
    def merge(self, other: Signature) -> Signature: ...
    def __bytes__(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, *, shingle: Optional[int] = ..., num_perm: Optional[int] = ...,
                   chars: Optional[bool] = ...) -> Signature: ...
    def __eq__(self, other: object) -> bool: ...

def dedup(docs: Iterable[DocumentLike], threshold: float = ..., containment: float = ...,
          shingle: int = ..., *, chars: bool = ..., num_perm: int = ...,
          find_contained: bool = ..., bands: int = ..., rows: int = ..., window: int = ...,
          max_df: int = ..., threads: int = ..., id_field: str = ..., text_field: str = ...,
          batch_size: int = ...) -> DedupResult: ...

def stories(docs: Iterable[DocumentLike], threshold: float = ..., *,
            min_similarity: Optional[float] = ..., min_df: int = ..., max_df: float = ...,
            bigrams: bool = ..., stop_words: bool = ..., idf_model: str = ...,
            background: bool = ..., label_terms: int = ..., threads: int = ...,
            id_field: str = ..., text_field: str = ..., batch_size: int = ...) -> StoriesResult: ...

def borrow(copy: DocumentLike, references: Optional[Iterable[DocumentLike]] = ..., *,
           seed_width: int = ..., min_tokens: int = ..., max_gap: int = ...,
           max_postings: int = ..., self: bool = ..., id_field: str = ...,
           text_field: str = ...) -> BorrowResult: ...

def signature(text: str, shingle: int = ..., num_perm: int = ..., *,
              chars: bool = ...) -> Signature: ...

class Archive:
    def __init__(self, path: str, mode: str = ..., *, shingle: Optional[int] = ...,
                 num_perm: Optional[int] = ..., chars: Optional[bool] = ...) -> None: ...
    def add(self, docs: Iterable[DocumentLike], *, replace: bool = ..., threshold: float = ...,
            containment: float = ..., find_contained: bool = ..., threads: int = ...,
            id_field: str = ..., text_field: str = ..., batch_size: int = ...) -> List[Added]: ...
    def remove(self, ids: Iterable[str]) -> List[str]: ...
    def check(self, texts: Iterable[DocumentLike], *, threshold: float = ...,
              containment: float = ..., find_contained: bool = ..., max_sources: int = ...,
              similar: int = ..., id_field: str = ..., text_field: str = ...) -> CheckReport: ...
    def info(self) -> dict: ...
    def verify(self) -> List[str]: ...
    def compact(self) -> None: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __len__(self) -> int: ...
    def __enter__(self) -> Archive: ...
    def __exit__(self, *exc: object) -> None: ...
