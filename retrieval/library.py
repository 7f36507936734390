"""The loaded documents and the questions asked of them (first, naive version)."""

from __future__ import annotations

from pathlib import Path

import jieba
from rank_bm25 import BM25Plus

from retrieval.document import load_document
from retrieval.models import Answer, Document, DocumentError, Passage
from retrieval.reader import SUPPORTED_SUFFIXES


class Library:
    """All loaded documents, indexed together; immutable once built."""

    def __init__(self, documents: tuple[Document, ...]) -> None:
        self.documents = documents
        self._chunks = [c for d in documents for c in d.chunks]
        self._titles = {d.name: d.title for d in documents}
        corpus = [jieba.lcut(c.text) or [""] for c in self._chunks]
        self._bm25 = BM25Plus(corpus) if corpus else None

    def ask(self, question: str, top_k: int = 3, doc: str | None = None) -> Answer:
        if not self._bm25 or not question.strip():
            return Answer(question=question, answer=None)
        scores = self._bm25.get_scores(jieba.lcut(question))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        results = []
        for i in order:
            chunk = self._chunks[i]
            if doc and chunk.doc != doc:
                continue
            results.append(Passage(doc=chunk.doc, section=chunk.path, text=chunk.text,
                                   highlight=chunk.text[:80], outline=chunk.outline,
                                   score=float(scores[i]), title=self._titles[chunk.doc]))
            if len(results) == top_k:
                break
        return Answer(question=question, answer=results[0] if results else None, results=tuple(results))


def load_library(data_dir: Path) -> tuple[Library, list[DocumentError]]:
    """Load every supported file in data_dir; a bad file is reported and skipped."""
    documents, errors = [], []
    for path in sorted(Path(data_dir).iterdir()):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or not path.is_file():
            continue
        try:
            documents.append(load_document(path))
        except DocumentError as err:
            errors.append(err)
    return Library(tuple(documents)), errors
