"""Years: named outright ("2022年") or relative to the year a document speaks from (今年, 去年).

"今年" in a 2022 speech is 2022; in the 1981 report it is 1981. ("全年", the whole year, is
not one: "全年多渠道融资" can be about any year.)
"""

from __future__ import annotations

import re

# A year as official texts write it: "2022年", "2022 年" (full-width digits: NFKC the text first).
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")

# A year written with two digits, as people type it: "22年的政府工作报告", "81年那个报告". Not a
# span of years: "30年来", "20年间", "15年内", "用25年时间", "40多年", "80年代" (a decade).
SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})(\s*年)(?!\s*(?:来|间|内|多|时间|以来|左右|以上|之内|里|期间|代))")

# A year written in Chinese digits, one character a digit: "二〇二二年", "一九八一年", and the
# short "八一年", "二二年" (read as SHORT_YEAR is). Not "十一年" (eleven years: 十 is no digit) nor
# a longer run ("一二三年").
_CHINESE_DIGITS = "〇零一二三四五六七八九"
_AS_DIGITS = str.maketrans(_CHINESE_DIGITS, "00123456789")
CHINESE_YEAR = re.compile(rf"(?<![{_CHINESE_DIGITS}十百千万])"
                          rf"([{_CHINESE_DIGITS}]{{4}}|[{_CHINESE_DIGITS}]{{2}})(?=\s*年)")

# A full date, in digits or Chinese digits: "2022年4月14日", "二〇二二年四月十四日". A line that is only
# one is a notice's signature, no heading (structure.py), and answers which day it was issued
# (answer.py).
_DATE_DIGIT = "[\\d〇零一二三四五六七八九十]"
DATE = re.compile(rf"{_DATE_DIGIT}{{2,4}}年{_DATE_DIGIT}{{1,3}}月{_DATE_DIGIT}{{1,3}}日")

# Relative year words → offset from the document's year.
RELATIVE_YEARS: dict[str, int] = {
    "今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "上一年": -1, "前年": -2, "明年": 1,
}


def years_in(text: str) -> set[int]:
    """The years named outright: "2021年和2022 年" → {2021, 2022}."""
    return {int(y) for y in YEAR.findall(text)}


# The year a span starts from: "云南是不是1950年以来头一回汛期零伤亡" asks of the span up to now,
# which a review of 2024 tells ("首次实现自1950年以来…零伤亡"), not of the year 1950.
_SINCE_YEAR = re.compile(r"(?:19|20)\d{2}\s*年以来")


def years_asked_in(text: str) -> set[int]:
    """The years named outright as what the text asks about, not as where a span starts."""
    return years_in(_SINCE_YEAR.sub(",", text))


def relative_offsets(text: str, compared: frozenset[str] | None = None) -> tuple[int, ...]:
    """Offsets of the relative years named, sorted: "去年和今年" → (-1, 0); not one only named
    as what a change is measured against ("比上年涨了多少": compared_years(text), if not given)."""
    compared = compared_years(text) if compared is None else compared
    return tuple(sorted({offset for word, offset in RELATIVE_YEARS.items()
                         if word in text and word not in compared}))


# A relative year right after 比 or 较 is the base a change is measured against, not the year
# asked about: "工农业总产值比上年涨了多少" asks this year's growth, said "比上年增长３％".
_COMPARED = re.compile(rf"(?:比|较)({'|'.join(sorted(RELATIVE_YEARS, key=len, reverse=True))})")


def compared_years(text: str) -> frozenset[str]:
    """The relative year words the text names only as a comparison's base ("比上年")."""
    compared = {m[1] for m in _COMPARED.finditer(text)}
    return frozenset(word for word in compared
                     if text.count(word) == len(re.findall(f"(?:比|较){word}", text)))


def relative_words(asked: int, year: int) -> list[str]:
    """What a document of `year` calls the year `asked`: 1981 is 今年 in the 1981 report."""
    return [word for word, offset in RELATIVE_YEARS.items() if year + offset == asked]


def expand_short_years(text: str, known: set[int]) -> str:
    """Write "22年" as the year it shortens, when a loaded document is of that year: "22年的报告"
    → "2022年的报告" with a 2022 report loaded (the latest such year if several: 2021 over 1921).

    Without a document of that year the text is left alone: "25年" may then be a span of years.
    """
    def full(match: re.Match[str]) -> str:
        candidates = [year for year in known if year % 100 == int(match[1])]
        return f"{max(candidates)}{match[2]}" if candidates else match[0]

    return SHORT_YEAR.sub(full, _with_digit_years(text, known))


def _with_digit_years(text: str, known: set[int]) -> str:
    """Chinese-digit years in digits: "二〇二二年" → "2022年" (a year of 19xx or 20xx); "八一年" →
    "81年" when a loaded document is of a year ending so (as SHORT_YEAR reads it), else as it was
    ("三四年" is three or four years)."""
    def digits(match: re.Match[str]) -> str:
        value = match[1].translate(_AS_DIGITS)
        if len(value) == 4:
            return value if value.startswith(("19", "20")) else match[0]
        return value if any(year % 100 == int(value) for year in known) else match[0]

    return CHINESE_YEAR.sub(digits, text)
