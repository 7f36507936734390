"""For a list question (or one pointing at a part), quote a section together with its enumerated items.

"最后提了哪几点要求" matches the short lead-in "最后，我给今天参加会议的同志们提3点要求。",
but the answer is that lead-in with the items under it (一要…二要…三要…). When the best
passage is the lead-in of a section that has items, the quote becomes the section itself,
from its heading on, cut at a sentence end if it runs past LIST_LIMIT, and the items'
headings become the outline.

When the passage announces the list ("当前，要抓好以下几项重点工作。") and the cut would lose
items, the quote is an excerpt instead: the heading and lead-in, then the opening sentences
of every item, each piece verbatim, with a line "……" wherever text is left out. The reader
sees all seven items rather than the first two in full; 全文 shows the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from retrieval.models import Chunk, Document, Section
from retrieval.text.sentences import (
    FULL_STOPS,
    LINE_BREAK,
    LONG_SENTENCE,
    SEMICOLONS,
    ends_at,
    sentence_spans,
    split_at,
)

LIST_LIMIT = 1500  # most non-space characters quoted for a list answer
ELISION = "……"  # on a line of its own in an excerpt, where text is left out
# A sentence that announces a list: "主要包括以下几个方面。", "我们主要做了以下工作。", "提几点要求：".
# Or that ends on how many items follow: "…继续谋划实施好十方面民生实事。" before 1.…10.
_ANNOUNCES = re.compile(r"以下[几一二三四五六七八九十\d]*[个项点条]?方面|以下[\u4e00-\u9fff]{0,6}[。：:]\s*$"
                        r"|如下|[:：]\s*$"
                        r"|(?:\d+|[两三四五六七八九十]+)个?(?:方面|件|项|条)[\u4e00-\u9fff]{0,6}[。：:]\s*$")
MIN_HEADING_MATCH = 0.4  # a section above is meant only if its heading holds this much of the question
# The passage's own section is quoted for its items even when the quote cannot reach the passage
# itself, if its heading holds this much of the question: "企业全面整顿眼下要抓哪几项工作" matching
# a late paragraph of "五、分批进行企业的全面整顿…" wants that section's 一是…四是.
MIN_OWN_SECTION_MATCH = 0.25


def _visible_length(text: str) -> int:
    return len("".join(text.split()))  # str.split() splits at exactly the str.isspace() characters


def _children(document: Document, section: Section) -> list[Section]:
    return list(document.children(section.id))


# sentence_spans' separators (retrieval/text/sentences.py), for _sentence_ends.
_SENTENCE_END = re.compile(f"{ends_at(FULL_STOPS)}|{LINE_BREAK}")
_CLAUSE_END = re.compile(ends_at(SEMICOLONS))


def _sentence_ends(text: str) -> Iterator[int]:
    """The end of each of sentence_spans(text), in order, found as they are read: _cut stops at
    the first past its limit, often early in a part of a report of 20,000 characters."""
    for start, end in split_at(text, _SENTENCE_END):
        if end - start > LONG_SENTENCE:
            for _, clause_end in split_at(text, _CLAUSE_END, start, end):
                yield clause_end
        else:
            yield end


def _cut(document: Document, start: int, end: int, limit: int = LIST_LIMIT) -> int:
    """The end of the last whole sentence of text[start:end] within `limit` visible characters."""
    text = document.text[start:end]
    if _visible_length(text) <= limit:
        return end
    best, counted, visible = start, 0, 0
    for sentence_end in _sentence_ends(text):
        visible += _visible_length(text[counted:sentence_end])
        counted = sentence_end
        if visible > limit:
            break
        best = start + sentence_end
    return best


def _list_section(document: Document, chunk: Chunk, part_asked: bool = False) -> Section | None:
    """The deepest section with items that the chunk leads into: the chunk's own section, or
    one whose heading the chunk holds (a heading-only parent shares its first item's chunk).
    The shallowest instead when a numbered part was asked for: "第五部分是啥，里面分哪几块"
    matching the chunk "五、释放数据要素价值 （一）推进智慧城市大数据中心建设 68．…" wants
    五's items, not （一）'s."""
    candidates = [
        s for s in document.sections
        if (s.path == chunk.path and s.start <= chunk.start < s.end) or chunk.start <= s.start < chunk.end
    ]
    with_items = [s for s in candidates if _children(document, s)]
    if part_asked:
        return min(with_items, key=lambda s: s.level, default=None)
    return max(with_items, key=lambda s: s.level, default=None)


@dataclass(frozen=True)
class ListPassage:
    path: tuple[str, ...]  # the section quoted
    text: str  # verbatim, from its heading on
    outline: tuple[str, ...]  # its items' headings
    section: int | None = None  # id of the section quoted (Document.sections)
    excerpt: bool = False  # verbatim pieces joined by ELISION lines, not one span of the document


def _ancestor_lists(document: Document, chunk: Chunk) -> list[Section]:
    """Sections above the chunk that hold items (the chunk being one of them, or inside one)."""
    return [s for s in document.lineage(chunk.section)[:-1] if _children(document, s)]


def list_passage(document: Document, chunk: Chunk, heading_match: Callable[[str], float],
                 highlight: str = "", part_asked: bool = False) -> ListPassage | None:
    """The section with items to quote for a list question whose best passage is chunk, or None.

    Normally the section the chunk leads into. But when the question names a section above
    better than the chunk's own heading ("企业全面整顿要抓哪几项工作" matching an item
    "四是整顿财政纪律" of "五、分批进行企业的全面整顿…"), the items of that section are meant;
    and when the sentence that matched (highlight) announces a list that follows the chunk,
    that list is.
    """
    own = heading_match(chunk.path[-1]) if chunk.path else 0.0
    above = max(_ancestor_lists(document, chunk), key=lambda s: (heading_match(s.path[-1]), s.level),
                default=None)
    # Not when a position was asked: "重点任务里最后一个方面" names 三、2025年重点任务 better than
    # its last item's heading, but points at that item.
    if not part_asked and above is not None and heading_match(above.path[-1]) > max(own, MIN_HEADING_MATCH):
        return _quote(document, above, above.start)
    section = _list_section(document, chunk, part_asked)
    if section is None:
        return _announced_run(document, chunk, highlight)
    quoted = _quote(document, section, min(section.start, chunk.start))
    if quoted is None or not quoted.text:
        # Its lead-in alone fills the quote (Xizang's "2025年工作安排" before （一）…（九）): when
        # the part itself was asked for, its heading and each item's opening.
        return _excerpt(document, section, _children(document, section)) if part_asked else None
    if chunk.text not in quoted.text and heading_match(section.path[-1]) < MIN_OWN_SECTION_MATCH:
        # The quote cannot hold the passage that matched, and its section was not asked for; the
        # passage may announce items that follow it (after an address, "…十方面民生实事。" 1.…10.)
        return _announced_run(document, chunk, highlight)
    items = _children(document, section)
    if (part_asked or _ANNOUNCES.search(highlight)) and chunk.end <= items[0].start:
        return _whole_list(document, section, items, quoted)  # the lead-in announcing the list matched
    return quoted


def _whole_list(document: Document, section: Section, items: list[Section],
                quoted: ListPassage) -> ListPassage:
    """The quote if it reaches every item, else an excerpt that does (when one fits)."""
    if len(quoted.outline) == len(items):
        return quoted
    return _excerpt(document, section, items) or quoted


def _excerpt(document: Document, section: Section, items: list[Section]) -> ListPassage | None:
    """The heading, the lead-in's last sentences and each item's opening sentences, each piece
    verbatim, or None when even the items' first sentences do not fit in LIST_LIMIT."""
    budget = LIST_LIMIT // (len(items) + 1)
    pieces = _lead_in(document, section, items[0].start, budget)
    for item in items:
        end = _cut(document, item.start, item.end, budget)
        if end == item.start:  # even the first sentence is longer than the budget: take it whole
            first = sentence_spans(document.text[item.start:item.end])
            end = item.start + first[0][1] if first else item.end
        pieces.append(document.text[item.start:end].strip())
    text = f"\n{ELISION}\n".join(p for p in pieces if p)
    if _visible_length(text) > LIST_LIMIT:
        return None
    return ListPassage(section.path, text, tuple(item.path[-1] for item in items), section.id, excerpt=True)


def _lead_in(document: Document, section: Section, first_item: int, budget: int) -> list[str]:
    """The section's heading and the end of its text before the first item, where a list is
    announced ("当前，要抓好以下几项重点工作。"), as far as the budget allows."""
    whole = document.text[section.start:first_item]
    if _visible_length(whole) <= budget:
        return [whole.strip()]
    heading = document.text[section.start:section.body_start].strip()
    intro = document.text[section.body_start:first_item]
    tail, room = len(intro), budget - _visible_length(heading)
    for start, _ in reversed(sentence_spans(intro)):
        if _visible_length(intro[start:]) > room:
            break
        tail = start
    return [heading, intro[tail:].strip()]


def _announced_run(document: Document, chunk: Chunk, highlight: str) -> ListPassage | None:
    """A passage that announces a list ("…积累了许多宝贵经验，主要包括以下几个方面。") followed
    at once by items numbered from one (一是…六是) that the structure placed beside it, as in a
    speech without line breaks: quote from the announcing sentence through the items."""
    if not _ANNOUNCES.search(highlight) or highlight not in chunk.text:
        return None  # no sentence of the passage is the highlight and announces (most passages)
    announcing = [start for start, end in sentence_spans(chunk.text)
                  if chunk.text[start:end] == highlight and _ANNOUNCES.search(chunk.text, start, end)]
    run = _run_after(document, chunk)
    if not announcing or not run:
        return None
    start = chunk.start + announcing[-1]
    items = tuple(s.path[-1] for s in run)
    owner = document.lineage(chunk.section)[-2:][0] if chunk.section is not None else None
    path, section = (owner.path, owner.id) if owner else (chunk.path, None)
    if _cut(document, start, run[-1].end) == run[-1].end:
        return ListPassage(path, document.text[start:run[-1].end].strip(), items, section)
    # Too long to quote whole: the announcing sentence and each item's opening sentences, if
    # they fit ("十方面民生实事" 1.医疗卫生方面。…); not whole parts of a speech ("讲以下三个方面").
    pieces = [document.text[start:chunk.end].strip()]
    budget = LIST_LIMIT // (len(run) + 1)
    for item in run:
        pieces.append(document.text[item.start:_cut(document, item.start, item.end, budget)].strip())
    text = f"\n{ELISION}\n".join(pieces)
    if not all(pieces) or _visible_length(text) > LIST_LIMIT:
        return None
    return ListPassage(path, text, items, section, excerpt=True)


def _run_after(document: Document, chunk: Chunk) -> list[Section]:
    """Sections starting where the chunk ends, numbered 1, 2, 3… at one level."""
    following = [s for s in document.sections if s.start >= chunk.end]
    if not following or document.text[chunk.end:following[0].start].strip():
        return []
    first = following[0]
    run = [s for s in following if s.level == first.level and s.path[:-1] == first.path[:-1]]
    numbered = []
    for expected, section in enumerate(run, start=1):
        if section.number != expected:
            break
        numbered.append(section)
    return numbered if len(numbered) >= 2 else []


def _quote(document: Document, section: Section, start: int) -> ListPassage | None:
    end = _cut(document, start, section.end)
    children = [c for c in _children(document, section) if c.start < end]
    if not children:
        return None
    return ListPassage(section.path, document.text[start:end].strip(), tuple(c.path[-1] for c in children),
                       section.id)
