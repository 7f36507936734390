"""Places a question names by their full name: "武汉市", "凉山彝族自治州"; the projects and
facilities it names ("深中通道", "傅家河环境治理工程"); and the names a passage sets in quotes
("“胖东来”频频出圈").

The words come from data/rules/places.txt, the file the document profile reads too
(retrieval/profile.py): its provinces, and its words that only end like a place (全县, 大型超市
ends in 超市). This module reads just those groups, so that answering a question does not import
the profile's code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from retrieval.rules import RULES_DIR, parse_rule_groups

# Suffixes of a place a question names by its full name ("武汉市", "环县"): not 区, which ends too
# many words that are no place of their own (核心区, 自贸区…). Longest first.
SUFFIXES = ("自治州", "自治县", "市", "县", "州", "旗", "盟")


# What a prefecture-level city's full name ends in, after the bare name a question may use.
CITY_SUFFIXES = ("市", "地区", "盟")


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, ...]]:
    return parse_rule_groups((RULES_DIR / "places.txt").read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=1)
def _rules() -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """Every name of a province, the words that only end like a place, the phrases before a suffix."""
    groups = _groups()
    provinces = frozenset(name for line in groups["provinces"] for name in line.split())
    return provinces, tuple(groups["not_places"]), tuple(groups["not_place_starts"])


@lru_cache(maxsize=1)
def scope_words() -> tuple[str, ...]:
    """The words a document uses for the whole of its own place or for the country ("全省", "我市",
    "全国"): a phrase opening with one speaks of that whole, not of a thing named before it."""
    return tuple(word for line in _groups()["scope"] for word in line.split()[1:])


def places_named_by(words: Iterable[str]) -> list[tuple[str, str]]:
    """(word, its name without the suffix) for each word that names a city, county or prefecture
    by its full name: "武汉市" → ("武汉市", "武汉"). Not a word that only ends like one (大型超市,
    全县, 这次县), a province (湖北省), nor a name of one character (环县: 环 is in too many
    words to be looked for)."""
    provinces, not_places, not_place_starts = _rules()
    found = []
    for word in words:
        suffix = next((s for s in SUFFIXES if word.endswith(s)), None)
        if suffix is None or len(word) <= len(suffix) + 1 or word in provinces:
            continue
        if word.endswith(not_places) or word.startswith(not_place_starts):
            continue
        found.append((word, word[: -len(suffix)]))
    return found


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    return frozenset(name for line in _groups()["cities"] for name in line.split())


def names_a_city(word: str) -> bool:
    """Whether a bare word is a prefecture-level city's name without its suffix: 武汉 (武汉市),
    锡林郭勒 (锡林郭勒盟), though no document writes it in full."""
    return any(word + suffix in _cities() for suffix in CITY_SUFFIXES)


def names_a_place(word: str) -> bool:
    """Whether the word is a province's, a city's or a county's name: 湖北, 湖北省, 包头, 包头市."""
    return bool(provinces_named_by([word]) or places_named_by([word])) or names_a_city(word)


def mentions_a_place(text: str, besides: str = "") -> bool:
    """Whether the (normalized) text names a place: a province or a prefecture-level city, with or
    without its suffix ("在杭州举办", "湖北"), or any name of two characters or more before a place
    suffix ("蒙自市", "兰考县"; not 全县, 各市, 城市). Not one the text `besides` names (the question:
    "第三届大湾区全球招商大会是在哪座城市开的" is not answered by "第三届大湾区…")."""
    if _names_a_place(text, besides):
        return True
    names = _rules()[0] | _cities()
    return any(name in text and name not in besides for name in names if len(name) > 1) or any(
        name[:-len(suffix)] in text and name[:-len(suffix)] not in besides
        for name in _cities() for suffix in CITY_SUFFIXES
        if name.endswith(suffix) and len(name) - len(suffix) > 1)


def _names_a_place(text: str, besides: str) -> bool:
    """Whether the text holds a name before a place suffix that `besides` does not end the same way;
    a match `besides` holds is read again without its suffix ("西部地区脱贫县中" for "哪个地区的脱贫县")."""
    return any(match[0][-3:] not in besides or _names_a_place(match[0][:-1], besides)
               for match in _NAMED_PLACE.finditer(text))


# Not "有一个乡", "某镇": no name before the suffix; nor "实现登记业务全市", a run of words ending in 全市.
_NAMED_PLACE = re.compile(r"(?<![全各本我该每个两多城])[\u4e00-\u9fff]{2,}(?<![个某这那哪每全各本我该])"
                          r"(?:省|市|县|区|州|旗|盟|镇|乡|村)")


def provinces_named_by(words: Iterable[str]) -> list[str]:
    """The words that name a province-level place, in full or short: "上海市", "上海", "西藏"."""
    provinces = _rules()[0]
    return [word for word in words if word in provinces and len(word) > 1]


@lru_cache(maxsize=1)
def _facility() -> re.Pattern[str]:
    """A run of Chinese characters ending in facility suffixes, as short as it can be before them and
    with every suffix that follows: "葛洲坝水利枢纽工程" (枢纽 then 工程), not "葛洲坝水利枢纽"."""
    suffixes = _groups()["facility_suffixes"]
    return re.compile(rf"[\u4e00-\u9fff]{{2,10}}?(?:{'|'.join(map(re.escape, suffixes))})+")


def things_named_in(text: str) -> list[str]:
    """The projects and facilities the (normalized) text names, each with the words before its
    suffix that may name it: "深中通道总投资是多少亿" → ["深中通道"]; "区里讲话提到的傅家河环境治理
    工程总投资多少" → ["区里讲话提到的傅家河环境治理工程"] (which of its words name it is for the
    caller to tell, by how rare they are)."""
    return _facility().findall(text)


# A name set in quotes ("“胖东来”频频出圈", "接入“蒙速办”"), not a list's short name with its count
# ("“八个增长”", "“8+4”经济政策体系", "“十四五”"), which stands for the items it counts.
_QUOTED = re.compile(r"[“\"「]([^“”\"「」]{2,12})[”\"」]")
_COUNT = re.compile(r"[0-9一二三四五六七八九十百千两+]")


def quoted_names(text: str) -> list[str]:
    """The names the (normalized) text sets in quotes, once each, in order: "文旅市场持续火热，“胖东来”
    频频出圈" → ["胖东来"]."""
    return [name for name in dict.fromkeys(_QUOTED.findall(text)) if not _COUNT.search(name)]


# A province typed by its one-character abbreviation at the start of a terse question, before a
# space, a year or a relative year: "滇 2024 GDP 总量 增速", "豫今年整车产量要冲到多少", "粤2025目标".
# Not the first character of a name: 鄂州, 京津冀, 沪昆高铁.
_LEADING_ABBREVIATION = re.compile(r"^(\S)(?=[\s,]|\d|今年|去年|明年|前年|上年)")  # a space is typed as ","


@lru_cache(maxsize=1)
def _short_names() -> dict[str, str]:
    """Each province's one-character abbreviation → its short name: "滇" → "云南"."""
    short = {}
    for line in _groups()["provinces"]:
        names = line.split()
        abbreviations = [name for name in names if len(name) == 1]
        if abbreviations and len(names) > 2:
            short[abbreviations[0]] = names[1]
    return short


def with_province_spelled(question: str) -> str:
    """The (normalized) question with a leading province abbreviation written as the province's
    short name, which documents and their names use: "滇 2024 gdp 总量" → "云南 2024 gdp 总量"."""
    match = _LEADING_ABBREVIATION.match(question)
    name = _short_names().get(match[1]) if match else None
    return name + question[1:] if name else question
