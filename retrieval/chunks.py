"""Cut a document into quotable passages along its sections (placeholder)."""

from __future__ import annotations

from retrieval.models import Chunk, Section


def make_chunks(doc: str, text: str, sections: tuple[Section, ...]) -> tuple[Chunk, ...]:
    chunks = []
    pos = 0
    for para in text.split("\n"):
        if para.strip():
            chunks.append(Chunk(doc=doc, path=(), text=para, start=pos, end=pos + len(para)))
        pos += len(para) + 1
    return tuple(chunks)
