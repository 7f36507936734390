"""Cut a document into quotable passages along its sections.

Why: the bot answers by quoting one passage verbatim and naming its section, so a passage
must be a self-contained piece of one section: one section item ("二是进一步加强基础配套。…")
when it fits, never text from two sections.

How (`make_chunks`):
1. spans: the text is partitioned by owner: each stretch belongs to the innermost section
   covering it; text before the first heading belongs to the path (). A parent's text before
   its first child, between children and after its last child are spans of the parent's path,
   except that a parent's bare heading line ("名词解释") opens its first child's passage.
2. passages: a span that starts with its own heading is one passage up to `MAX_CHARS`; an
   unheaded span (a parent's closing paragraphs, the preamble) is grouped up to `GROUP_CHARS`,
   so each passage stays about one topic. Longer spans are cut at paragraph boundaries first,
   then at sentence ends, then at commas, into pieces of similar size; a fragment (a lone
   heading line, a last short sentence) is joined to a neighbouring piece.
3. outline: the items of a list inside the span ("一要…八要"), for list questions; a passage
   carries the items that start inside it. Worked out when a question first quotes the passage
   (outline_of, through Document.outline): each passage keeps its span for it.

Every non-space character of the text is in exactly one chunk, and chunk.text is exactly
text[chunk.start:chunk.end].
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from retrieval.models import Chunk, Section
from retrieval.structure import find_enumeration, paragraphs
from retrieval.text.sentences import (
    COMMAS,
    ENUMERATION_COMMA,
    SEMICOLONS,
    SENTENCE_ENDS,
    char_class,
    split_at,
    trimmed,
)

MAX_CHARS = 1200  # hard limit for one passage
GROUP_CHARS = 800  # target size when grouping unheaded paragraphs
MIN_PIECE_CHARS = 150  # a piece shorter than this joins a neighbour, if they fit together
BARE_ITEM_MAX = 80  # a body-less list line up to this long is not a passage of its own
BARE_HEADING_MAX = 60  # a parent's text this short without 。！？； is just its heading

# An over-long paragraph is cut after its sentences' ends, an over-long sentence after its commas.
_SENTENCE_END = re.compile(char_class(SENTENCE_ENDS))
_CLAUSE_END = re.compile(char_class(COMMAS + SEMICOLONS + ENUMERATION_COMMA))


@dataclass(frozen=True)
class Span:
    """A stretch of text owned by one section path."""

    path: tuple[str, ...]
    start: int
    end: int
    headed: bool  # it starts with the section's own heading
    section: int | None = None  # index of the owning section in the document's sections; None: root


@dataclass
class _Tree:
    section: Section | None  # None for the document root
    index: int | None = None  # the section's index in the document's sections
    children: list[_Tree] = field(default_factory=list)


def make_chunks(doc: str, text: str, sections: tuple[Section, ...]) -> tuple[Chunk, ...]:
    """The passages of a document's text; their outlines are worked out as asked (outline_of)."""
    chunks: list[Chunk] = []
    for span in owned_spans(text, sections):
        limit = MAX_CHARS if span.headed else GROUP_CHARS
        bounds = (span.start, span.end)
        for start, end in split_span(text, span.start, span.end, limit):
            chunks.append(Chunk(doc=doc, path=span.path, text=text[start:end], start=start, end=end,
                                outline=None, section=span.section, id=len(chunks), span=bounds))
    return tuple(chunks)


def outline_of(text: str, chunk: Chunk,
               found: dict[tuple[int, int], tuple[tuple[int, str], ...]] | None = None) -> tuple[str, ...]:
    """The items of the list inside the chunk's span (the document's `text` there) that start
    inside the chunk: its outline (step 3). found: the lists of spans worked out before, by span,
    which this one joins (the passages cut from one span share it)."""
    if chunk.span is None:
        return () if chunk.outline is None else chunk.outline
    listed = found.get(chunk.span) if found is not None else None
    if listed is None:
        listed = find_enumeration(text, *chunk.span)
        if found is not None:
            found[chunk.span] = listed
    return tuple(label for pos, label in listed if chunk.start <= pos < chunk.end)


# --- 1. Spans -------------------------------------------------------------------------------------


def owned_spans(text: str, sections: tuple[Section, ...]) -> list[Span]:
    """Partition text into stretches, each owned by the innermost section covering it."""
    root = _nest(sections)
    spans = [span for span in (_strip(text, s) for s in _spans_of(root, (), 0, len(text)))
             if span.start < span.end]
    return _fold_bare_headings(text, spans)


def _fold_bare_headings(text: str, spans: list[Span]) -> list[Span]:
    """A parent whose own text is only its heading ("名词解释") opens its first child's passage."""
    folded: list[Span] = []
    for span in reversed(spans):
        following = folded[-1] if folded else None
        is_bare = span.headed and span.end - span.start <= BARE_HEADING_MAX and not _SENTENCE_END.search(
            text, span.start, span.end)
        if is_bare and following and following.path[:len(span.path)] == span.path:
            folded[-1] = Span(following.path, span.start, following.end, following.headed, following.section)
        else:
            folded.append(span)
    return folded[::-1]


def _nest(sections: tuple[Section, ...]) -> _Tree:
    """Rebuild the section tree from document-ordered, properly nested sections."""
    root = _Tree(None)
    stack = [root]
    for index, section in enumerate(sections):
        while len(stack) > 1 and not _contains(stack[-1].section, section):
            stack.pop()
        node = _Tree(section, index)
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _contains(outer: Section | None, inner: Section) -> bool:
    if outer is None:
        return True
    return outer.start <= inner.start and inner.end <= outer.end and outer.level < inner.level


def _spans_of(tree: _Tree, path: tuple[str, ...], start: int, end: int) -> Iterator[Span]:
    pos = start
    for child in tree.children:
        section = child.section
        assert section is not None
        if _is_bare_item(child):
            continue  # stays in the parent's span: "一、节约能源，…；" is a line of its list
        if section.start > pos:
            yield Span(path, pos, section.start, pos == start and tree.section is not None, tree.index)
        yield from _spans_of(child, section.path, section.start, section.end)
        pos = section.end
    if pos < end:
        yield Span(path, pos, end, pos == start and tree.section is not None, tree.index)


def _is_bare_item(tree: _Tree) -> bool:
    """A short list line with no body and no sub-items (1981: "三、合理地利用资源，提高综合利用水平。")."""
    section = tree.section
    assert section is not None
    is_short = section.end - section.start <= BARE_ITEM_MAX
    # Only inside a section: a top-level heading with nothing under it keeps its own path.
    return section.level > 1 and is_short and not tree.children and section.body_start >= section.end


def _strip(text: str, span: Span) -> Span:
    return Span(span.path, *trimmed(text, span.start, span.end), span.headed, span.section)


# --- 2. Passages ----------------------------------------------------------------------------------


def split_span(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into pieces of similar size, each at most `limit` (≤ MAX_CHARS) long.

    Cuts go between paragraphs; only if that leaves a fragment no neighbour can take (a heading
    line before a paragraph of almost MAX_CHARS) are paragraphs cut between sentences as well.
    """
    if end - start <= limit:
        return [(start, end)]
    pieces = _merge_fragments(_pack(list(_units(text, start, end, by_sentence=False)), limit))
    if any(_is_fragment(piece) for piece in pieces):
        pieces = _merge_fragments(_pack(list(_units(text, start, end, by_sentence=True)), limit))
    return pieces


def _units(text: str, start: int, end: int, by_sentence: bool) -> Iterator[tuple[int, int]]:
    """Paragraphs (or sentences); a paragraph or sentence over MAX_CHARS in sentences or clauses."""
    for para_start, para_end in paragraphs(text, start, end):
        if para_end - para_start <= MAX_CHARS and not by_sentence:
            yield para_start, para_end
            continue
        for sent_start, sent_end in split_at(text, _SENTENCE_END, para_start, para_end):
            if sent_end - sent_start <= MAX_CHARS:
                yield sent_start, sent_end
            else:
                yield from _clauses(text, sent_start, sent_end)


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Clauses of an over-long sentence, hard-cut at MAX_CHARS if one has no comma at all."""
    for clause_start, clause_end in split_at(text, _CLAUSE_END, start, end):
        for cut in range(clause_start, clause_end, MAX_CHARS):
            yield cut, min(cut + MAX_CHARS, clause_end)


def _pack(units: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Group consecutive units into pieces near total/n long, n being the fewest that fit `limit`."""
    total = units[-1][1] - units[0][0]
    target = total / math.ceil(total / limit)
    pieces: list[tuple[int, int]] = []
    piece_start, piece_end = units[0]
    for unit_start, unit_end in units[1:]:
        if unit_end - piece_start > limit or piece_end - piece_start >= target:
            pieces.append((piece_start, piece_end))
            piece_start = unit_start
        piece_end = unit_end
    pieces.append((piece_start, piece_end))
    return pieces


def _is_fragment(piece: tuple[int, int]) -> bool:
    return piece[1] - piece[0] < MIN_PIECE_CHARS


def _merge_fragments(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join each fragment to the piece before it, or else after it, when the two fit in MAX_CHARS."""
    merged: list[tuple[int, int]] = []
    for piece in pieces:
        has_fragment = merged and (_is_fragment(piece) or _is_fragment(merged[-1]))
        if has_fragment and piece[1] - merged[-1][0] <= MAX_CHARS:
            merged[-1] = (merged[-1][0], piece[1])
        else:
            merged.append(piece)
    return merged
