"""Numbered abbreviations: a count and a key that the text spells out as that many items.

Speeches coin them and people ask by them: "四早" is 早发现、早报告、早隔离、早治疗 (four items,
each holding 早), "四集中" is 集中患者、集中专家、集中资源、集中救治, "三区" is 产业聚集区、现代城市
新区、城乡统筹示范区 (each ending in 区). A question's word of that shape is found where the text
lists exactly that many such items, which is how the documents say it; no list of abbreviations
is kept.
"""

from __future__ import annotations

import re

from retrieval.text.numerals import chinese_to_int

# A count and a key of one or two characters: 四早, 三区, 四集中 (abbreviation: three items or
# more, fewer tell no list from a pair of words: 两新). Not a count of a
# measure word (三个, 五项, 十大) nor a number (十四五).
ABBREVIATION = re.compile(r"([三四五六七八九十])([\u4e00-\u9fff]{1,2})")
NOT_KEYS = frozenset("个项条件点次大类种名位年月日天周倍成期批家所座部些")
# An item of the list is short: at most this many characters besides the key.
ITEM_CHARS = 8
_CLAUSE_ENDS = re.compile(r"[，,。；;：:！!？?\s（）()“”\"]")


def abbreviation(term: str) -> tuple[int, str] | None:
    """(count, key) if the word is a numbered abbreviation of three items or more: "四早" → (4, "早")."""
    match = ABBREVIATION.fullmatch(term)
    if match is None or match[2][0] in NOT_KEYS or any(c in "一二三四五六七八九十百千" for c in match[2]):
        return None
    count = chinese_to_int(match[1])
    return (count, match[2]) if count else None


def spelled_out(count: int, key: str, text: str) -> list[str]:
    """The lists in a (normalized) text of exactly `count` items joined by 、, each holding the key,
    as they are written there (the first and last items cut to the length of the others): for
    (4, "早") "早发现、早报告、早隔离、早治疗", from "我们提出早发现、早报告、早隔离、早治疗的防控要求和…"."""
    if text.count(key) < count:
        return []
    found = []
    for clause in _CLAUSE_ENDS.split(text):
        parts = clause.split("、")
        for start in range(len(parts) - count + 1):
            window = parts[start:start + count]
            middle = window[1:-1]
            short = all(len(part) <= ITEM_CHARS + len(key) for part in middle)
            if not short or not all(key in part for part in window):
                continue
            if (start > 0 and key in parts[start - 1] and len(parts[start - 1]) <= ITEM_CHARS + len(key)) or (
                    start + count < len(parts) and key in parts[start + count]):
                continue  # a longer list
            found.append("、".join([_first(window[0], middle, key), *middle, _last(window[-1], middle, key)]))
    return found


def _first(part: str, middle: list[str], key: str) -> str:
    """The first item of a list, without the words before it: items that open with the key open
    there ("我们提出早发现" → "早发现"); items that end with it are cut a character shorter than
    the shortest other item ("重点推进产业聚集区" → "产业聚集区", before "现代城市新区")."""
    at = part.rfind(key)
    if all(item.startswith(key) for item in middle):
        return part[at:]
    if at + len(key) == len(part) and all(item.endswith(key) for item in middle):
        return part[max(0, len(part) - min(map(len, middle)) + 1):]
    return part


def _last(part: str, middle: list[str], key: str) -> str:
    """The last item of a list, without the words after it ("早治疗的防控要求和…" → "早治疗")."""
    at = part.find(key)
    if all(item.endswith(key) for item in middle):
        return part[:at + len(key)]
    return part[:at + max(map(len, middle))] if at == 0 else part
