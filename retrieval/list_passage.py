"""For a list question, quote a section together with its enumerated items.

"最后提了哪几点要求" matches the short lead-in "最后，我给今天参加会议的同志们提3点要求。",
but the answer is that lead-in with the items under it (一要…二要…三要…). When the best
passage is the lead-in of a section that has items, the quote becomes the section itself,
from its heading on, cut at a sentence end if it runs past LIST_LIMIT, and the items'
headings become the outline.
"""

from __future__ import annotations

from retrieval.models import Chunk, Document, Section
from retrieval.sentences import sentence_spans

LIST_LIMIT = 1500  # most non-space characters quoted for a list answer


def _visible_length(text: str) -> int:
    return sum(not ch.isspace() for ch in text)


def _children(document: Document, section: Section) -> list[Section]:
    level = section.level + 1
    return [s for s in document.sections
            if s.level == level and s.path[:-1] == section.path and section.start <= s.start < section.end]


def _cut(document: Document, start: int, end: int) -> int:
    """The end of the last whole sentence of text[start:end] within LIST_LIMIT visible characters."""
    text = document.text[start:end]
    if _visible_length(text) <= LIST_LIMIT:
        return end
    best = start
    for _, sentence_end in sentence_spans(text):
        if _visible_length(text[:sentence_end]) > LIST_LIMIT:
            break
        best = start + sentence_end
    return best


def _list_section(document: Document, chunk: Chunk) -> Section | None:
    """The deepest section with items that the chunk leads into: the chunk's own section, or
    one whose heading the chunk holds (a heading-only parent shares its first item's chunk)."""
    candidates = [
        s for s in document.sections
        if (s.path == chunk.path and s.start <= chunk.start < s.end) or chunk.start <= s.start < chunk.end
    ]
    with_items = [s for s in candidates if _children(document, s)]
    return max(with_items, key=lambda s: s.level, default=None)


def list_passage(document: Document, chunk: Chunk) -> tuple[str, tuple[str, ...]] | None:
    """(verbatim text, item headings) of the section with items that the chunk leads into, or None."""
    section = _list_section(document, chunk)
    if section is None:
        return None
    start = min(section.start, chunk.start)
    end = _cut(document, start, section.end)
    if end < chunk.end:
        return None  # the quote could not even hold the passage that matched
    children = [c for c in _children(document, section) if c.start < end]
    if not children:
        return None
    return document.text[start:end].strip(), tuple(c.path[-1] for c in children)
