"""The loaded documents and the questions asked of them."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from retrieval.answer import answer
from retrieval.commitments import Commitment, extract_commitments
from retrieval.document import load_document
from retrieval.index import Index
from retrieval.models import Answer, Document, DocumentError
from retrieval.query import parse_question
from retrieval.reader import SUPPORTED_SUFFIXES


class Library:
    """All loaded documents, indexed together; immutable once built, so it can be swapped whole."""

    def __init__(self, documents: tuple[Document, ...]) -> None:
        self.documents = documents
        self.index = Index(documents)

    def ask(self, question: str, top_k: int = 3, doc: str | None = None) -> Answer:
        """Answer a question from all documents, or from one document when doc names it."""
        return answer(parse_question(question), self.index, top_k=top_k, doc=doc)

    @cached_property
    def commitments(self) -> tuple[Commitment, ...]:
        """Targets, deadlines and tasks of every document, extracted on first use."""
        return tuple(c for d in self.documents for c in extract_commitments(d))


def document_paths(data_dir: Path) -> list[Path]:
    """The files in data_dir that can hold a document, in name order."""
    paths = Path(data_dir).iterdir()
    return sorted(p for p in paths if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)


def load_library(data_dir: Path) -> tuple[Library, list[DocumentError]]:
    """Load every supported file in data_dir; a bad file is reported and skipped."""
    documents, errors = [], []
    for path in document_paths(data_dir):
        try:
            documents.append(load_document(path))
        except DocumentError as err:
            errors.append(err)
    return Library(tuple(documents)), errors
