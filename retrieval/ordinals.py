"""Questions that point at a numbered part: "第二个问题讲的是什么", "十条方针里第六条讲的什么",
"第三部分有哪些任务". The number is matched against the numbers that open headings
("二、", "（二）", "二是", "第二，", "第二个问题：", "第二条", "2．"), whatever the style.
"""

from __future__ import annotations

import re

from retrieval.numerals import chinese_to_int

# In a question: 第 + number + what is numbered. "第一书记" is no ordinal reference (书记 is
# not a kind of part), so the noun after the number is required.
_REFERENCE = re.compile(
    r"第([一二两三四五六七八九十]+|\d+)(?:个问题|个方面|方面|部分|大部分|大块|块|条|点|项|章|节|段|个)"
)  # 块 as people say it: "重点任务第二块讲啥"
# At the start of a heading. Example: "六、讲究生财…" → 6, "（三）…" → 3, "第二个问题：…" → 2.
_HEADING_NUMBER = re.compile(
    r"^\s*(?:第([一二三四五六七八九十]+|\d+)(?:个问题|部分|条|章|节|[，,、：:])"
    r"|[（(]([一二三四五六七八九十]+|\d+)[）)]"
    r"|([一二三四五六七八九十]+|\d+)(?:[、是要]|[.．](?!\d)))"
)


def _value(number: str) -> int | None:
    return int(number) if number.isdigit() else chinese_to_int(number)


def referenced_part(question: str) -> tuple[int, str] | None:
    """(number, the words that named it) when the question points at a numbered part."""
    match = _REFERENCE.search(question)
    if not match:
        return None
    value = _value(match.group(1))
    return (value, match.group(0)) if value else None


def heading_number(heading: str) -> int | None:
    """The number a heading opens with, in any numbering style; None if it has none."""
    match = _HEADING_NUMBER.match(heading)
    if not match:
        return None
    return _value(next(g for g in match.groups() if g))


# The ordinal that opens a heading, with the space after it: "二、" "（三）" "一是" "二要" "第四，" "1." …
_MARKER = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十百\d]+[）)、.．]|[一二三四五六七八九十]+[是要]|第[一二三四五六七八九十]+[，、]?)\s*"
)


def strip_marker(heading: str) -> str:
    """The heading without its ordinal: "二是进一步加强基础配套" → "进一步加强基础配套"."""
    return _MARKER.sub("", heading)
