"""Load one file into a Document: read → clean → sections → chunks."""

from __future__ import annotations

import re
from pathlib import Path

from retrieval.chunks import make_chunks
from retrieval.clean import clean_text, guess_title
from retrieval.models import Document, DocumentError
from retrieval.reader import read_text
from retrieval.structure import find_sections

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def build_document(name: str, raw: str) -> Document:
    """Build a Document from decoded text; raise DocumentError if nothing usable remains."""
    text = clean_text(raw)
    if not text.strip():
        raise DocumentError(name, "清理网页杂质后没有正文")
    sections = find_sections(text)
    chunks = make_chunks(name, text, sections)
    if not chunks:
        raise DocumentError(name, "没有可检索的段落")
    title = guess_title(raw, Path(name).stem)
    return Document(name=name, title=title, text=text, sections=sections, chunks=chunks,
                    year=document_year(title, text))


def document_year(title: str, text: str) -> int | None:
    """The year a document speaks from: the year in its title, else the latest year in its opening."""
    match = _YEAR.search(title)
    if match:
        return int(match.group(1))
    years = [int(y) for y in _YEAR.findall(text[:2000])]
    return max(years) if years else None


def load_document(path: Path) -> Document:
    return build_document(path.name, read_text(path))
