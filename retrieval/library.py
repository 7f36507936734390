"""The loaded documents and the questions asked of them."""

from __future__ import annotations

from collections import OrderedDict
from functools import cached_property
from pathlib import Path

from retrieval.answer import answer
from retrieval.commitments import Commitment, extract_commitments
from retrieval.document import load_document
from retrieval.index import Index
from retrieval.models import Answer, Document, DocumentError
from retrieval.question import parse_question
from retrieval.reader import SUPPORTED_SUFFIXES
from retrieval.text.tokens import tokenize, tokenizer_fingerprint
from retrieval.token_cache import cache_path, document_key, store_cached, tokenize_all


class Library:
    """All loaded documents, indexed together; immutable once built, so it can be swapped whole.

    Splitting text into words is the slow part of building, so each document's words are
    remembered: in this process, and in cache_dir (a state directory) across restarts.
    """

    def __init__(self, documents: tuple[Document, ...], cache_dir: Path | None = None) -> None:
        self.documents = documents
        self.index = Index(documents, body_tokens=_passage_tokens(documents, cache_dir))

    def ask(self, question: str, top_k: int = 3, doc: str | None = None) -> Answer:
        """Answer a question from all documents, or from one document when doc names it."""
        return answer(parse_question(question), self.index, top_k=top_k, doc=doc)

    @cached_property
    def commitments(self) -> tuple[Commitment, ...]:
        """Targets, deadlines and tasks of every document, extracted on first use."""
        return tuple(c for d in self.documents for c in extract_commitments(d))


# Tokens of recently indexed documents, by content key: rebuilding the library after an upload
# or a reload re-tokenizes only what changed, even without a cache directory.
_RECENT_TOKENS: OrderedDict[str, list[list[str]]] = OrderedDict()
_RECENT_LIMIT = 2000  # documents


def _passage_tokens(documents: tuple[Document, ...], cache_dir: Path | None) -> list[list[str]]:
    """The terms of every passage of every document, in order."""
    fingerprint = tokenizer_fingerprint()
    keys = [document_key(fingerprint, [c.text for c in d.chunks]) for d in documents]
    missing = [i for i, key in enumerate(keys) if key not in _RECENT_TOKENS]
    fresh = tokenize_all([[c.text for c in documents[i].chunks] for i in missing], tokenize, cache_dir,
                         fingerprint)
    for i, tokens in zip(missing, fresh, strict=True):
        _RECENT_TOKENS[keys[i]] = tokens
    for key in keys:
        _RECENT_TOKENS.move_to_end(key)
        if cache_dir and not cache_path(cache_dir, key).exists():  # remembered, but not yet on disk
            store_cached(cache_dir, key, _RECENT_TOKENS[key])
    while len(_RECENT_TOKENS) > max(_RECENT_LIMIT, len(keys)):
        _RECENT_TOKENS.popitem(last=False)
    return [tokens for key in keys for tokens in _RECENT_TOKENS[key]]


def document_paths(data_dir: Path) -> list[Path]:
    """The files in data_dir that can hold a document, in name order."""
    paths = Path(data_dir).iterdir()
    return sorted(p for p in paths if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)


def read_documents(data_dir: Path) -> tuple[tuple[Document, ...], list[DocumentError]]:
    """Every supported file in data_dir as a Document; a bad file is reported and skipped."""
    documents, errors = [], []
    for path in document_paths(data_dir):
        try:
            documents.append(load_document(path))
        except DocumentError as err:
            errors.append(err)
    return tuple(documents), errors


def load_library(data_dir: Path, cache_dir: Path | None = None) -> tuple[Library, list[DocumentError]]:
    """Load every supported file in data_dir into a Library (possibly empty: it then answers nothing)."""
    documents, errors = read_documents(data_dir)
    return Library(documents, cache_dir), errors
