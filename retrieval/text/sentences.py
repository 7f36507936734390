"""What ends a sentence or a clause, defined once, and the splitters built on it.

A sentence ends at 。！？!? (FULL_STOPS), a clause also at ；; (SEMICOLONS), each with the
closing quotes or brackets right after them (CLOSERS), and at a line break. A module that
needs another set (clean.py also ends a lead-in line at ：) composes it from these names.

Three ways to cut, one splitter (`split_at`):
- `sentence_spans`: sentences for highlights, whitespace trimmed; a long sentence is cut
  further at its semicolons, so "…生产总值 X 亿元;规模以上工业增加值达到 X%;…" (300
  characters) gives one clause per figure, while a short "…消除绝对贫困；确保…。" stays whole;
- `clause_spans`: every 。！？；and line break ends a piece, terminator left out (commitments);
- `phrase_spans`: a comma and a colon end one too (the place a figure in it is of);
- `neighbouring_phrases`: two phrases side by side (the thing a figure in them is of);
- `covering_spans`: sentences covering the text without gaps, blanks kept (for display).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

FULL_STOPS = "。！？!?"
SEMICOLONS = "；;"
COLONS = "：:"
COMMAS = "，,"
ENUMERATION_COMMA = "、"
ELLIPSIS = "…"
CLOSERS = "”’」』）)\"'"  # closing quotes and brackets that stay with the sentence before them
LINE_BREAK = "\n"
SENTENCE_ENDS = FULL_STOPS + SEMICOLONS  # what ends a sentence or a clause

LONG_SENTENCE = 80  # characters; longer sentences are split at ；;


def char_class(chars: str) -> str:
    """A regex character class of exactly these characters: char_class("。；") == "[。；]"."""
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


def ends_at(chars: str, closers: str = CLOSERS) -> str:
    """Regex of a run of these end characters with the closing quotes/brackets after them."""
    return f"{char_class(chars)}+{char_class(closers)}*"


_SENTENCE_END = re.compile(f"{ends_at(FULL_STOPS)}|{LINE_BREAK}")
_CLAUSE_END = re.compile(ends_at(SEMICOLONS))
_ANY_END = re.compile(char_class(SENTENCE_ENDS + LINE_BREAK))
_PHRASE_END = re.compile(char_class(SENTENCE_ENDS + COMMAS + COLONS + LINE_BREAK))
_COVERING_END = re.compile(f"{ends_at(SENTENCE_ENDS)}|{LINE_BREAK}")


def split_at(text: str, separator: re.Pattern[str], start: int = 0, end: int | None = None,
             keep: bool = True, trim: bool = True) -> Iterator[tuple[int, int]]:
    """[start, end) of the pieces of text[start:end] between separators.

    keep: a separator stays at the end of the piece before it; trim: whitespace around a piece
    is left out and blank pieces are skipped (else pieces cover the text, only empty ones skipped).
    """
    end = len(text) if end is None else end
    pos = start
    # _piece written out: a generator per piece cost a third of cutting a library's ~340,000 sentences.
    for match in separator.finditer(text, start, end):
        piece_end = match.end() if keep else match.start()
        piece_start, piece_end = trimmed(text, pos, piece_end) if trim else (pos, piece_end)
        if piece_start < piece_end:
            yield piece_start, piece_end
        pos = match.end()
    yield from _piece(text, pos, end, trim)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either end of text[start:end]."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _piece(text: str, start: int, end: int, trim: bool) -> Iterator[tuple[int, int]]:
    if trim:
        start, end = trimmed(text, start, end)
    if start < end:
        yield start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-blank sentence (or clause of a long one), whitespace excluded."""
    spans: list[tuple[int, int]] = []
    pos = 0
    # split_at(text, _SENTENCE_END) written out: loading a library cuts every passage (index.prepare).
    for stop in [*(match.end() for match in _SENTENCE_END.finditer(text)), len(text)]:
        start, end = trimmed(text, pos, stop)
        pos = stop
        if end - start > LONG_SENTENCE:
            spans += split_at(text, _CLAUSE_END, start, end)
        elif start < end:
            spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def clause_spans(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of sentences and ；-clauses, the end character and surrounding whitespace excluded."""
    return split_at(text, _ANY_END, keep=False)


def phrase_spans(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of the pieces between any end, comma or colon, those characters excluded."""
    return split_at(text, _PHRASE_END, keep=False)


def neighbouring_phrases(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of every two neighbouring phrases of a clause (phrase_spans; one, if the clause
    has one): where a thing's figure is said, its name's phrase and the next ("鄂州花湖机场开通国际国内货
    线91条，货邮吞吐量达到128万吨"), not four phrases on ("…国际机场，…获批，…投运，…启动，14个…")."""
    for start, end in clause_spans(text):
        phrases = [(start + a, start + b) for a, b in phrase_spans(text[start:end])]
        if len(phrases) == 1:
            yield phrases[0]
        for (first, _), (_, last) in zip(phrases, phrases[1:], strict=False):
            yield first, last


def cut_before(pieces: Iterable[tuple[int, int]], text: str,
               openings: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """[start, end) of the given pieces of text, each cut before every phrase of it that opens with
    one of `openings` (a phrase that names its own subject: "…“明阳天成号”在阳江投运，全省海上风电并网
    容量超1200万千瓦" cut before 全省, whose figure is the province's)."""
    for start, end in pieces:
        cut = start
        for a, _ in phrase_spans(text[start:end]):
            if a and text.startswith(openings, start + a):
                yield cut, start + a
                cut = start + a
        yield cut, end


# A sentence that opens by pointing back at the subject of the one before: "然而抚顺市财政经济部门的同志
# 不这样看问题。他们千方百计…，制订了减产不减收的三十条措施".
_BACK_REFERENCE = ("他们", "它们", "该市", "该县", "该区", "该省", "该地", "这个市", "这个县", "其中")


def with_back_references(pieces: Iterable[tuple[int, int]], text: str) -> Iterator[tuple[int, int]]:
    """[start, end) of the given pieces of text, each reaching to the end of the next sentence when
    that sentence opens by pointing back (他们, 该市…): what it says is still of the piece's subject."""
    for start, end in pieces:
        after = end
        while after < len(text) and not text[after].isalnum() and text[after] not in "“\"":
            after += 1
        if text.startswith(_BACK_REFERENCE, after):
            match = _ANY_END.search(text, after)
            end = match.start() if match else len(text)
        yield start, end


def covering_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or ；-clause with its closers, covering the text without gaps."""
    return list(split_at(text, _COVERING_END, trim=False)) or [(0, len(text))]
