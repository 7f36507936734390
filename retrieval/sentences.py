"""Split a passage into sentences, keeping offsets so a sentence can be quoted verbatim."""

from __future__ import annotations

import re

# A sentence ends at 。！？；; !? (and the closing quotes or brackets right after them), or at a
# line break. Example: "一要推进路网配套。全年基本建成 X 条道路；" gives two sentences.
_SENTENCE = re.compile(r"[^。！？；;!?\n]*(?:[。！？；;!?]+[”’」』）)\"']*|\n|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-blank sentence, surrounding whitespace excluded."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]
