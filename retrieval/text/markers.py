"""The numbers that open headings, in every numbering style: one definition for every user.

"六、讲究生财" → 6, "（三）着力稳定" → 3, "二是坚持" → 2, "一要推进" → 1, "第四，建立" → 4,
"第二个问题：清醒" → 2, "第十条 本办法" → 10, "2．加强" → 2; "2.5万人" and "2022 年工作" have none.

structure.py's HEADING_RULES is the heading *detector* (which lines are headings, how they nest);
this is the marker *reader*, for text already known or assumed to be a heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache

from retrieval.text.numerals import chinese_to_int
from retrieval.text.sentences import COLONS, COMMAS, ENUMERATION_COMMA

# Heading numbers as headings write them (no 零/百: "一百零二、" is no heading anyone reads back).
_CHINESE = "[一二三四五六七八九十]+"
_DIGITS = r"\d+"


class Style(Enum):
    """A numbering style; the value is its regex, "{n}" standing for the number."""

    DI = "第{n}(?:个问题|部分|条|章|节|[，,、：:])"  # 第二个问题： 第四， 第十条
    PAREN = "[（(]{n}[）)]"  # （三） (3)
    DUN = "{n}、"  # 六、 2、
    ITEM = "{n}[是要]"  # 二是 一要
    DOT = r"{n}[.．](?!\d)"  # 2． 二．  (not 2.5)


ALL_STYLES: tuple[Style, ...] = tuple(Style)
# The styles of a report's own parts: "一、…" and "（一）…".
PART_STYLES: tuple[Style, ...] = (Style.DUN, Style.PAREN)


@dataclass(frozen=True)
class Marker:
    number: int
    style: Style
    end: int  # where the marker (and the whitespace before it) ends in the text


@cache
def _pattern(styles: tuple[Style, ...], chinese_only: bool) -> re.Pattern[str]:
    number = _CHINESE if chinese_only else f"{_CHINESE}|{_DIGITS}"
    alternatives = [style.value.format(n=f"(?P<{style.name}>{number})") for style in styles]
    return re.compile(r"^\s*(?:" + "|".join(alternatives) + ")")


def heading_marker(heading: str, styles: Iterable[Style] = ALL_STYLES,
                   chinese_only: bool = False) -> Marker | None:
    """The number marker a heading opens with, in one of `styles`; None if it has none.

    chinese_only: only numbers written in Chinese ("一、", not "1、").
    """
    styles = tuple(styles)
    match = _pattern(styles, chinese_only).match(heading)
    if not match:
        return None
    style = next(s for s in styles if match.group(s.name))
    number = match.group(style.name)
    value = int(number) if number.isdigit() else chinese_to_int(number)
    return Marker(value, style, match.end()) if value else None


def heading_number(heading: str) -> int | None:
    """The number a heading opens with, in any numbering style; None if it has none."""
    marker = heading_marker(heading)
    return marker.number if marker else None


def without_marker(heading: str) -> str:
    """The heading without its number marker and the spaces or punctuation after it:
    "（一）统筹消费" → "统筹消费", "第一个问题：深刻认识…" → "深刻认识…"."""
    marker = heading_marker(heading)
    return heading[marker.end:].lstrip(" \t" + COLONS + COMMAS + ENUMERATION_COMMA) if marker else heading
