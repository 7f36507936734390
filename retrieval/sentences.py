"""Split a passage into sentences, keeping offsets so a sentence can be quoted verbatim.

A sentence ends at 。！？!? (with the closing quotes or brackets right after them) or at a
line break. A long sentence is split further at its semicolons, so the highlight stays a
readable clause: "…生产总值 X 亿元;规模以上工业增加值达到 X%;…" (300 characters) gives
one clause per figure, while "“两个确保”：确保…全部脱贫，消除绝对贫困；确保贫困县全部摘帽…。"
stays whole.
"""

from __future__ import annotations

import re

LONG_SENTENCE = 80  # characters; longer sentences are split at ；;
_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)\"']*|\n|$)")
_CLAUSE = re.compile(r"[^；;]*(?:[；;]+[”’」』）)\"']*|$)")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pieces(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for match in pattern.finditer(text, start, end):
        span = _trimmed(text, *match.span())
        if span[0] < span[1]:
            spans.append(span)
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-blank sentence (or clause of a long one), whitespace excluded."""
    spans = []
    for start, end in _pieces(_SENTENCE, text, 0, len(text)):
        if end - start > LONG_SENTENCE:
            spans += _pieces(_CLAUSE, text, start, end)
        else:
            spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]
