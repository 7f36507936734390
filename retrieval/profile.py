"""A document's profile: its title, year, place, kind, speaker and date, read from its text.

Why: with many documents loaded, a question such as "云南今年的粮食目标" must first find *which*
document it is about. Each document therefore gets a small profile derived from its header
(title line, date line "——2025年1月18日在云南省第十四届人民代表大会…", speaker line "省长 王予波")
and, when the header says nothing, from cues in its text (各位代表 → a report to a congress,
全省/我省 → a provincial document). The rules are data: `data/rules/places.txt` (provinces and
their short forms, place suffixes, scope words) and `data/rules/profile_words.txt` (kinds,
offices, salutations), each with examples in its header.

The title, in order: the title line the document states (a notice "…关于印发《X》的通知" gives X,
the document it issues: "包头市2022年数字政府建设考评办法" reads better and is what users name;
the notice's issuer becomes the place); a speech's occasion from its opening ("今天，我们召开X
会议" → "在X会议上的讲话"; display() adds its speaker and date); a bare "政府工作报告" qualified
with year and place ("2022年政府工作报告（国务院）", "2025年云南省政府工作报告"); a Chinese file
name; only then an ASCII one.

Everything here is pure and cheap (a few regular-expression passes over the text): the same
input always gives the same profile, in a few milliseconds.

Usage::

    from retrieval.clean import clean_text, guess_title
    raw = read_text(path)
    profile = profile_of(path.name, raw, clean_text(raw), guess_title(raw, path.stem))
    profile.display()        # "2025年云南省政府工作报告"
    profile.aliases          # ("云南省", "云南", "2025年云南", "王予波")
    fixed = apply_overrides(profile, {"place": "云南省", "year": 2025})   # an admin's correction
    Profile.from_json(fixed.to_json()) == fixed
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from retrieval.clean import title_of_line, top_paragraphs, without_decoration
from retrieval.models import OTHER_KIND, PROFILE_FIELDS, Profile
from retrieval.rules import RULES_DIR, parse_rule_groups
from retrieval.text.normalize import nfkc

KINDS = ("政府工作报告", "讲话", "通知", "办法", "规划", "意见", "报告", OTHER_KIND)
NATIONAL = "全国"
MIN_YEAR, MAX_YEAR = 1949, 2100
MAX_TITLE_CHARS = 100
MAX_NAME_CHARS = 30  # place and speaker
_MAX_ALIAS_CHARS = 30  # nobody types a longer name for a document

_HEADER_SEARCH_CHARS = 3000  # the header is at the top
_HEADER_MAX_PARAGRAPHS = 8
_HEADER_LINE_MAX_CHARS = 90  # "2025年1月16日在湖北省…湖北省人民政府代省长李殿勋作政府工作报告。" is 60
_OPENING_CHARS = 1500  # where "各位代表" and "我代表国务院" are looked for
_OCCASION_SEARCH_CHARS = 300  # "同志们，朋友们：在过去8个多月时间里，…今天，我们隆重召开…"
_MIN_SCOPE_WORDS = 3  # fewer 全省/我省… than this says nothing about a document's level
_MIN_PLACE_MENTIONS = 2  # a place named once in the body is not what the document is about
_NAME_CHARS = 7  # at most, of a place's name before its suffix ("凉山彝族" of 凉山彝族自治州)
_SCOPE_CHARS = 30_000  # scope words and place names are counted here: enough, and cheap on a long file
_HAN = "\u4e00-\u9fff"

# --- Rules files ---------------------------------------------------------------------------------


def _groups(name: str) -> dict[str, tuple[str, ...]]:
    """The "[group]" entries of a rules file (see rules.parse_rule_groups)."""
    return parse_rule_groups((RULES_DIR / name).read_text(encoding="utf-8").splitlines())


@dataclass(frozen=True)
class _Rules:
    province_of: dict[str, str]  # every name a text uses (≥ 2 characters) → the full name
    short_forms: dict[str, tuple[str, ...]]  # full name → its short forms of ≥ 2 characters
    abbreviations: dict[str, str]  # full name → its one-character abbreviation (河南省 → 豫)
    province: re.Pattern[str]
    national: re.Pattern[str]
    suffixes: tuple[str, ...]
    local_place: re.Pattern[str]
    suffix_ends: re.Pattern[str]  # the last character of a suffix (_local_places)
    local_reach: int  # characters a place below a province can start before its suffix's last one
    not_places: frozenset[str]
    not_place_starts: tuple[str, ...]
    not_place_endings: tuple[str, ...]
    scope: dict[str, tuple[str, ...]]  # level ("全国", "省", "市"…) → its scope words
    not_scope: re.Pattern[str]  # a run of characters no scope word holds (scope_counts)
    kinds: tuple[tuple[str, tuple[str, ...]], ...]
    title_tails: tuple[str, ...]
    report_salutations: tuple[str, ...]
    speech_salutations: tuple[str, ...]
    offices: tuple[str, ...]
    leaders: tuple[str, ...]
    surnames: tuple[str, ...]
    not_names: tuple[str, ...]
    press_words: tuple[str, ...]
    office_name: re.Pattern[str]
    title_endings: re.Pattern[str]
    salutation_end: re.Pattern[str]  # a salutation and its colon or comma (_split_at_salutation)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    places, words = _groups("places.txt"), _groups("profile_words.txt")
    province_of: dict[str, str] = {}
    short_forms: dict[str, tuple[str, ...]] = {}
    abbreviations: dict[str, str] = {}
    for line in places["provinces"]:
        full, *others = line.split()
        shorts = tuple(w for w in others if len(w) >= 2)  # "藏", "京": too ambiguous to look for
        short_forms[full] = shorts
        abbreviations.update((full, w) for w in others if len(w) == 1)
        for form in (full, *shorts):
            province_of[form] = full
    suffixes = tuple(sorted(places["suffixes"], key=len, reverse=True))
    # A place below a province: a name after a boundary (start, punctuation, 在, 年, a province…)
    # and before a suffix. The name holds none of the suffix characters nor 在/的/上…, so
    # "县长在县委…" yields nothing and "包头市人民政府" yields 包头市.
    name_char = rf"(?:(?![省市县区州旗盟在的和与及上暨于之将对向为])[{_HAN}A-Za-z])"
    local_place = re.compile(
        rf"(?:(?<![{_HAN}A-Za-z0-9０-９“‘「『\"'])|(?<=[在于的和与及到从对向年省市区州盟暨]))"
        # 沧州市: not 沧州
        rf"(?P<place>{name_char}{{1,{_NAME_CHARS}}}?(?:{_alternation(suffixes)})(?:市|县)?)"
    )
    scope = {}
    for line in places["scope"]:
        level, *scope_words = line.split()
        scope[level] = tuple(scope_words)
    kinds = []
    for line in words["kinds"]:
        kind, *endings = line.split()
        kinds.append((kind, tuple(endings)))
    offices = tuple(sorted(words["offices"], key=len, reverse=True))
    return _Rules(
        province_of=province_of,
        short_forms=short_forms,
        abbreviations=abbreviations,
        province=re.compile(_alternation(province_of)),
        national=re.compile(_alternation(places["national"])),
        suffixes=suffixes,
        local_place=local_place,
        suffix_ends=re.compile("[" + "".join(sorted({re.escape(s[-1]) for s in suffixes})) + "]"),
        local_reach=_NAME_CHARS + max(map(len, suffixes)) - 1,
        not_places=frozenset(places["not_places"]),
        not_place_starts=places["not_place_starts"],
        not_place_endings=places["not_place_endings"],
        scope=scope,
        not_scope=re.compile("[^" + "".join(sorted({re.escape(c) for words in scope.values() for w in words
                                                     for c in w})) + "]+"),
        kinds=tuple(kinds),
        title_tails=words["title_tails"],
        report_salutations=words["report_salutations"],
        speech_salutations=words["speech_salutations"],
        offices=offices,
        leaders=tuple(sorted(words["leaders"], key=len, reverse=True)),
        surnames=tuple(" ".join(words["surnames"]).split()),
        not_names=offices + words["not_names"],
        press_words=words["press_words"],
        title_endings=re.compile(_alternation(e for _, endings in kinds for e in endings)),
        salutation_end=re.compile(
            f"(?:{_alternation(words['report_salutations'] + words['speech_salutations'])})[：:!！，,]"),
        # "省长 王予波", "省长王凯作政府工作报告", "市长 殷勇同志作…", "国务院总理李克强"
        office_name=re.compile(
            rf"(?:{_alternation(offices)})\s*(?P<name>(?:(?![在的了和与及是为等作所])[{_HAN}]){{2,4}}?)"
            rf"\s*(?:同志)?\s*(?:所?作|在|$|[，,。\s])"
        ),
    )


# --- The profile ---------------------------------------------------------------------------------


# --- Header ----------------------------------------------------------------------------------------

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# A plan's period: "…发展规划（2021—2025年）" speaks from its first year.
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—\-－–~～至到]+\s*(?:19|20)\d{2}\s*年")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# A line that opens with the date: "——2022年3月5日在第十三届…", "2025年1月18日在河南省…", "（2018年2月12日）"
_DATE_LINE = re.compile(r"^[—\-－–（(\s]*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
# A line that is only a date: the signature of a notice ("2022年4月14日").
_DATE_ONLY = re.compile(
    r"^[ \t\u3000]*[（(]?[ \t\u3000]*(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})[ \t\u3000]*年"
    r"[^\n]{1,12}?日[ \t\u3000]*[）)]?[ \t\u3000]*$",
    re.MULTILINE,
)
# A press reprint's dateline and issue stamp: "（新华社北京2月23日电）《 人民日报 》（ 2020年02月24日 02 版）"
_DATELINE = re.compile(r"[（(]\s*(?:新华社|中新社|人民网)[^（）()\n]{0,20}?(\d{1,2})月(\d{1,2})日电\s*[）)]")
_ISSUE_STAMP = re.compile(r"《\s*[^《》\n]{2,12}报\s*》\s*[（(]\s*((?:19|20)\d{2})\s*年")
# "…的致辞（2020年11月12日，北京）"; not a newspaper's issue stamp "《 人民日报 》（ 2020年10月24日 02 版）".
_OPENING_DATE = re.compile(r"(?<![》\s])\s*[（(]\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_OPENING_DATE_CHARS = 150
# A database export's fields: "发布日期：2022.04.14", "成文日期：2022-04-14".
_METADATA_DATE = re.compile(
    r"(?:发布|印发|成文|发文)日期\s*[:：]\s*(?:19|20)\d{2}[.\-/年]\d{1,2}[.\-/月]\d{1,2}"
)
_DOTTED_DATE = re.compile(r"((?:19|20)\d{2})[.\-/](\d{1,2})[.\-/](\d{1,2})")
# A news agency's dateline glued before the title: "新华社上海11月12日电在浦东开发开放30周年庆祝大会上的讲话"
_PRESS_PREFIX = re.compile(r"^(?:新华社|中新社|人民网)[^，,。电]{0,12}电\s*")
_NUMBER_START = re.compile(r"[（(]?[\u4e00-\u9fff]{1,8}〔\s*\d{4}\s*〕")
_DOCUMENT_NUMBER = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号")  # 包府办发〔2022〕43号
_SENTENCE_END = re.compile(r"[。！？!?；;]$")
_INNER_STOP = re.compile(r"[。！？!?；;：:]")
_LONG_TITLE_MAX_CHARS = 120


def _nfkc(text: str) -> str:
    """NFKC of text: normalize.nfkc, the same and about twice as fast on Chinese text (the header
    lines and the opening read here are mostly full-width punctuation and Han characters)."""
    return nfkc(text)


def header_of(raw: str) -> tuple[list[str], str]:
    """The header lines (title, date, speaker, document number) and the first paragraph after them.

    The header ends at the salutation ("各位代表：", "各旗、县、区人民政府…："), at a heading, or
    at the first long sentence: "在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）" is a header
    line, "习近平党的十八大以后…" the paragraph after it.
    """
    paragraphs = []
    for paragraph in top_paragraphs(raw[:_HEADER_SEARCH_CHARS]):
        for part in _split_glued_title(_PRESS_PREFIX.sub("", without_decoration(paragraph))):
            paragraphs += _split_at_salutation(part)
    header: list[str] = []
    for paragraph in paragraphs[:_HEADER_MAX_PARAGRAPHS]:
        if not _is_header_line(paragraph):
            return header, paragraph
        if paragraph not in header:  # pkulaw repeats the title
            header.append(paragraph)
    return header, paragraphs[_HEADER_MAX_PARAGRAPHS] if len(paragraphs) > _HEADER_MAX_PARAGRAPHS else ""


def _is_long_title(line: str) -> bool:
    """A notice's title longer than clean.title_of_line allows: "安徽省人民政府办公厅关于印发支持工业
    互联网发展若干政策和安徽省工业互联网创新发展行动计划(2021—2023年)的通知" (70 characters)."""
    if len(line) > _LONG_TITLE_MAX_CHARS or _INNER_STOP.search(line):
        return False
    return _kind_of_title(line) in ("通知", "意见", "办法", "规划")


def _split_glued_title(paragraph: str) -> list[str]:
    """A long title the line joiner glued to the next line, as two lines: "…行动计划(2021—2023年)的通知"
    + the title again or "（皖政办秘〔2021〕82号）" (clean.join_broken_lines takes a line of over 40
    characters for a wrapped one)."""
    endings = _rules().title_endings
    for match in endings.finditer(paragraph[:_LONG_TITLE_MAX_CHARS]):
        head, rest = paragraph[: match.end()], paragraph[match.end() :]
        next_line = rest.startswith(head[:8]) or _NUMBER_START.match(rest)  # the title again, or 〔2021〕82号
        if next_line and len(head) >= 8 and _is_long_title(head):
            return [head, *_split_glued_title(rest)]
    return [paragraph]


def _split_at_salutation(paragraph: str) -> list[str]:
    """A date line glued to the salutation after it ("…省长王凯作政府工作报告各位代表:") as two lines."""
    match = _rules().salutation_end.search(paragraph[1:_HEADER_LINE_MAX_CHARS])
    if match is None:
        return [paragraph]
    cut = match.start() + 1
    return [paragraph[:cut], paragraph[cut:]]


def _is_header_line(line: str) -> bool:
    if not line or line.endswith((":", "：", "，", ",", "、")) or _starts_with_salutation(line):
        return False  # "各位代表：", "大会主席先生，"
    if _DATE_LINE.match(_nfkc(line)):
        return len(line) <= _HEADER_LINE_MAX_CHARS
    if _DOCUMENT_NUMBER.search(line) and len(line) <= 30:
        return True
    if title_of_line(line) or _is_long_title(line):
        return True
    return len(line) <= 20 and not _SENTENCE_END.search(line)  # "国务院总理李克强", "省长 王予波"


def _starts_with_salutation(line: str) -> bool:
    rules = _rules()
    return line.startswith(rules.report_salutations + rules.speech_salutations)


# --- Fields ------------------------------------------------------------------------------------------

# "…关于印发《包头市2022年数字政府建设考评办法》的通知", "北京市经济和信息化局印发《…指导意见》的通知"
_NOTICE = re.compile(r"(?:印发|转发|发布|颁布)《(?P<inner>[^《》]{2,80})》的通知$")
# Without book-title marks: "…关于印发安徽省关于加快对接…扎实推进高水平开放实施意见的通知"
_BARE_NOTICE = re.compile(r"(?:印发|转发|发布|颁布)(?P<inner>[^《》]{4,80}?)的通知$")
_OCCASION_TITLE = re.compile(r"^(?:[^在]{0,8}?在)?(?P<occasion>.+?)(?:上的|上|的)(?:讲话|讲稿|致辞|发言)$")
# "今天，我们召开统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议，主要是…"
_OPENING_OCCASION = re.compile(
    r"(?:今天|这次|本次)[，,]?\s*(?:我们)?(?:在这里)?(?:隆重)?(?:召开|举行)(?:的)?(?:一个|这个|这次)?"
    r"(?P<occasion>[^，,。；：:！!]{2,40}?(?:会议|座谈会|大会|论坛|会))[，,。！!]"
)
# "今天，我们在这里隆重集会，纪念中国人民志愿军抗美援朝出国作战70周年。" → 在纪念…70周年大会上的讲话
_OPENING_CELEBRATION = re.compile(
    r"今天，我们(?:在这里)?隆重集会，(?P<occasion>(?:纪念|庆祝)[^，,。；！!]{2,40})[，,。！!]"
)
# Who the report is given for: "我代表国务院", "我代表北京市人民政府", "我受国务院的委托".
_REPRESENT = re.compile(
    r"(?:我代表|我受|根据)(?P<who>[^，,。；]{0,16}?)(?P<body>人民政府|国务院|國務院|政府)"
)
# The opening of a government work report: "现在，我代表省人民政府，向大会报告工作", "我现在根据国务院的
# 决定，向第二届全国人民代表大会第一次会议作政府工作报告", "我受国务院的委托，现在向大会提出关于…的报告".
_REPORT_OPENING = re.compile(
    r"(?:代表|受|根据)[^。]{0,20}?(?:国务院|國務院|政府)[^。]{0,60}?(?:报告|報告)"
)
# A first line cut mid-sentence is no title: "…第三次会议听取和审议了国务院总理李强所作的"
_FRAGMENT_END = re.compile(r"[的了和与及在对把将被从向为]$")
_TITLE_PREFIX_OFFICE = re.compile(r"^(?P<office>[^在，,。]{0,6}?)在")
_TITLE_COMRADE = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,4}?)同志在")  # "李强同志在…上的讲话"


def _has_han(text: str) -> bool:
    return bool(re.search(f"[{_HAN}]", text))


def signature_of(raw: str) -> tuple[str, str] | None:
    """A notice's signature: the issuer's line and the date line under it ("沧州市人民政府办公室",
    "二〇二二年一月十四日"); the first line that is only a date, anywhere in the file."""
    for match in _DATE_ONLY.finditer(raw):
        if parse_date(match.group()):
            before = raw[: match.start()].rstrip().rsplit("\n", 1)[-1].strip()
            return before, match.group().strip()
    return None


def date_of(header: list[str], raw: str, signature: tuple[str, str] | None = None) -> datetime.date | None:
    """The document's own date: in a header line, else a notice's signature line, else an export's
    "发布日期" field, else a bracketed date at the very start ("…的致辞（2020年11月12日，北京）…"),
    else a press dateline with the newspaper's issue year."""
    candidates = [_nfkc(line) for line in header]
    signature = signature or signature_of(raw)
    if signature:
        candidates.append(signature[1])
    candidates += [m.group() for m in _METADATA_DATE.finditer(_nfkc(raw[:_HEADER_SEARCH_CHARS]))]
    for line in candidates:
        found = parse_date(line)
        if found:
            return found
    opening = _OPENING_DATE.search(_nfkc(raw[:_OPENING_DATE_CHARS]))
    if opening:
        found = parse_date(opening.group())
        if found:
            return found
    tail = _nfkc(raw[-400:])
    dateline, stamp = _DATELINE.search(tail), _ISSUE_STAMP.search(tail)
    if dateline and stamp:
        return _make_date(int(stamp.group(1)), int(dateline.group(1)), int(dateline.group(2)))
    return None


def parse_date(text: str) -> datetime.date | None:
    """The first real date in a text: "2018年2月12日", "二〇二二年四月十四日", "发布日期：2022.04.14"."""
    text = _chinese_digits(_nfkc(text))
    for pattern in (_DATE, _DOTTED_DATE):
        for match in pattern.finditer(text):
            found = _make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if found:
                return found
    return None


_CHINESE_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CHINESE_DATE = re.compile(
    "([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)


def _chinese_digits(text: str) -> str:
    """"二〇二二年四月十四日" → "2022年4月14日": official signatures write dates in Chinese numerals."""

    def digit(word: str) -> int:
        return int(word.translate(_CHINESE_YEAR_DIGITS))

    def number(word: str) -> str:  # "四" → 4, "十" → 10, "十四" → 14, "三十一" → 31
        tens, ten, ones = word.partition("十")
        return str(digit(tens or "一") * 10 + digit(ones or "〇") if ten else digit(tens))

    def arabic(match: re.Match[str]) -> str:
        year = match.group(1).translate(_CHINESE_YEAR_DIGITS)
        return f"{year}年{number(match.group(2))}月{number(match.group(3))}日"

    return _CHINESE_DATE.sub(arabic, text)


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def year_of(name: str, title: str, date: datetime.date | None, text: str) -> int | None:
    """The year the document speaks from, for 今年/去年.

    In order: the year of its own date (a report "2025年工作回顾"… given on 2025年1月18日 speaks
    from 2025, even when its title names another year); a year in the title ("xx区2022年经济
    工作会上讲话"; of a period, its first: "规划（2021—2025年）"); a year in the file name
    ("gov_report_1981_national.txt"); else the year the text names most often (the later one on
    a tie), not counting goals' deadlines ("2060年前"). Like document.document_year, with the
    date line found in the header rather than anywhere in the first 300 characters.
    """
    if date:
        return date.year
    title = _nfkc(title)
    for match in (_YEAR_RANGE.search(title), _YEAR.search(title), _YEAR_IN_NAME.search(Path(name).stem)):
        if match:
            return int(match.group(1))
    text = text.translate(_FULL_WIDTH_DIGITS)  # "１９８１年"; NFKC of a whole text costs more
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(text) if not _is_target_year(text, m))
    return max(years, key=lambda y: (years[y], y)) if years else None


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _is_target_year(text: str, match: re.Match[str]) -> bool:
    """"到2035年", "2060年前": a goal's deadline, not the year a document speaks from."""
    before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
    return before == "到" or after in ("前", "底")


def kind_of(title: str, text: str) -> str:
    """One of KINDS: from the title's last word, else from the salutation that opens the body."""
    rules = _rules()
    kind = _kind_of_title(title)
    if kind != OTHER_KIND:
        return kind
    opening = text[:_OPENING_CHARS]
    first_lines = opening.split("\n")[:6]
    if any(line.startswith(rules.report_salutations) for line in first_lines):
        return "政府工作报告" if _REPORT_OPENING.search(opening) else "报告"
    if any(line.startswith(rules.speech_salutations) for line in first_lines):
        return "讲话"
    return OTHER_KIND


def notice_inner(title: str) -> str | None:
    """The document a notice issues: "…关于印发《X》的通知" → X; without the marks only when X ends
    like a document ("…实施意见的通知"): "关于印发…若干政策和…行动计划的通知" keeps its whole title."""
    quoted = _NOTICE.search(title)
    if quoted:
        return quoted.group("inner")
    bare = _BARE_NOTICE.search(title)
    if bare and _kind_of_title(bare.group("inner")) != OTHER_KIND:
        return bare.group("inner")
    return None


def _kind_of_title(title: str) -> str:
    rules = _rules()
    inner = notice_inner(title)
    if inner:
        kind = _kind_of_title(inner)
        return kind if kind != OTHER_KIND else "通知"
    core = re.sub(r"[（(][^（）()]*[）)]$", "", title.strip()) or title  # "…规划（2021—2025年）"
    for tail in rules.title_tails:
        core = core.removesuffix(tail)
    for kind, endings in rules.kinds:
        if core.endswith(endings):
            return kind
    return OTHER_KIND


_CITY_SUFFIXES = ("市", "县", "州")


@dataclass(frozen=True)
class _Place:
    name: str
    start: int
    end: int
    level: str  # "全国", "省" (a province, autonomous region or municipality), or a suffix: "市", "县"…


def places_in(line: str, below: bool = True) -> list[_Place]:
    """The places a line names, in order: provinces, places below them, and national words.

    below False: no place below a province is looked for (in a long text that is most of the
    cost), only provinces and national words.
    """
    rules = _rules()
    found, spans = [], []
    for m in rules.province.finditer(line):
        full, after = rules.province_of[m.group()], line[m.end() : m.end() + 1]
        if m.group() != full and after in _CITY_SUFFIXES:  # "吉林市" is a city of 吉林省
            found.append(_Place(m.group() + after, m.start(), m.end() + 1, after))
            spans.append((m.start(), m.end() + 1))
        else:
            found.append(_Place(full, m.start(), m.end(), "省"))
            spans.append((m.start(), m.end()))
    for m in rules.national.finditer(line):  # once: over a whole text each search costs ~0.1 ms
        found.append(_Place(NATIONAL, m.start(), m.end(), NATIONAL))
        spans.append((m.start(), m.end()))
    # The positions those names cover: a set, not a scan of every name per place (a 30,000-character
    # report names ~25 provinces and ~85 places, _place_by_scope: 0.2 s of CPU per 300 documents).
    covered = {i for start, end in spans for i in range(start, end)} if below else set()
    for match in _local_places(line) if below else ():
        name = match.group("place")
        start, end = match.span("place")
        if name in rules.not_places or name.startswith(rules.not_place_starts):
            continue
        if name.endswith(rules.not_place_endings):  # 数据专区, 经济开发区
            continue
        if not covered.isdisjoint(range(start, end)):  # part of a province's name
            continue
        level = next(suffix for suffix in rules.suffixes if name.endswith(suffix))
        if len(name) > len(level):
            found.append(_Place(name, start, end, level))
    return sorted(found, key=lambda p: p.start)


def _local_places(line: str) -> Iterator[re.Match[str]]:
    """rules.local_place.finditer(line), match for match, the expression run only where a place can be.

    Why: run over a whole text (_place_by_scope reads 30,000 characters) it tries every
    position, ~0.8 ms for a speech-size document. A match is at most _NAME_CHARS characters, a
    suffix, and one 市/县 (local_place), so it lies within [z - local_reach, z + 2) of its
    suffix's last character z: the expression is run on those stretches, merged where they meet,
    in order. The same matches: no match crosses from one stretch into another, the search of a
    stretch sees the characters before it (a lookbehind does), and no attempt that succeeds on the
    whole line reaches past the stretch's end (each suffix's own last character is in it).
    """
    rules = _rules()
    start = end = 0
    for found in rules.suffix_ends.finditer(line):
        low, high = max(0, found.start() - rules.local_reach), found.start() + 2
        if low > end:
            if end > start:
                yield from rules.local_place.finditer(line, start, end)
            start = low
        end = high
    if end > start:
        yield from rules.local_place.finditer(line, start, end)


def place_of(title: str, header: list[str], name: str, text: str, issuer: str = "") -> str | None:
    """The place the document is about (a rule list with examples heads data/rules/places.txt).

    1. the title, then the other header lines (not a press line: "新华社北京3月5日电"), then the
       issuer a notice is signed by ("沧州市人民政府办公室"), then a Chinese file name: the first
       place a line names, a province or a city ("包头市人民政府办公室…"), or 全国 (全国人民代表大会,
       国务院), the city when it follows its province ("内蒙古自治区包头市");
    2. "我代表国务院" → 全国, "我代表北京市人民政府" → 北京市;
    3. the level the text speaks for (全省/我省/省委… against 全国/全党/我国) and the place of that
       level it names most; 全国 for a national text. The national report names many provinces
       and a provincial one names its own cities, so counting names alone would mislead.
    """
    stem = Path(name).stem
    rules = _rules()
    lines = [line for line in header if not any(word in line for word in rules.press_words)]
    for line in (title, *lines, issuer, stem if _has_han(stem) else ""):
        main = _main_place(places_in(line))
        if main:
            return main
    represent = _REPRESENT.search(text[:_OPENING_CHARS])
    if represent:
        if represent.group("body") in ("国务院", "國務院"):
            return NATIONAL
        found = places_in(represent.group("who"))
        if found:
            return found[-1].name
    return _place_by_scope(text)


def _main_place(found: list[_Place]) -> str | None:
    """The place a header line is about: the first it names ("包头市人民政府办公室关于印发《包头市…》",
    "北京市…数据专区"), or the city right after a province ("内蒙古自治区包头市" → 包头市)."""
    if not found:
        return None
    first = found[0]
    for place in found[1:]:
        contiguous = place.start == first.end and first.level == "省" and not first.name.endswith("市")
        if contiguous and place.level not in ("省", NATIONAL):
            return place.name
    return first.name


def scope_counts(text: str) -> dict[str, int]:
    """How often each level's scope words (全省, 我省, 省委…) occur in text: the sum of their str.count.

    Why: 34 words, each counted over a speech-size text, were a third of _place_by_scope. They are
    counted in the text with every run of the characters no scope word holds made one line break:
    ~6% as long, and the same counts, since every occurrence of a word lies within a run of its
    characters, kept as it was, and no word holds a line break (a rules line is split at spaces).
    """
    rules = _rules()
    scoped = rules.not_scope.sub("\n", text)
    return {level: sum(scoped.count(w) for w in words) for level, words in rules.scope.items()}


def _place_by_scope(text: str) -> str | None:
    rules = _rules()
    text = text[:_SCOPE_CHARS]
    counts = scope_counts(text)
    local = {level: n for level, n in counts.items() if level != NATIONAL and n >= _MIN_SCOPE_WORDS}
    if not local:
        return NATIONAL if counts.get(NATIONAL, 0) >= _MIN_SCOPE_WORDS else None
    level = max(local, key=lambda lv: local[lv])
    named: Counter[str] = Counter()
    if level in ("省", "区", "市"):  # 全区 of an autonomous region, 全市 of a municipality
        for match in rules.province.finditer(text):
            full = rules.province_of[match.group()]
            if level == "省" or full.endswith(level if level != "区" else "自治区"):
                named[full] += 1
    # A place below a province has its suffix as its level (or, a city after a province's short
    # name, 市/县/州): at the level of a province (省) or a league (盟) none counts, and looking for
    # them in 30,000 characters was a third of reading a document whose title names no place.
    below = level in rules.suffixes or level in _CITY_SUFFIXES
    for place in places_in(text, below):
        if place.level == level:
            named[place.name] += 1
    ranked = [(name, n) for name, n in named.most_common() if n >= _MIN_PLACE_MENTIONS]
    return ranked[0][0] if ranked else None


def speaker_of(title: str, header: list[str], after: str) -> str | None:
    """Who gave the speech or report: "国务院总理 李克强", "省长王凯作政府工作报告", "市委书记王某某在…的
    讲话", a leader's name glued after a dated title or before "在…", a name on a line of its own,
    "张伟同志在…的讲话"; else the office a title starts with ("县长在…的讲话" → 县长)."""
    rules = _rules()
    for line in (title, *header):
        match = rules.office_name.search(line)
        if match and not match.group("name").endswith(rules.not_names):
            return match.group("name")
    for line in header[1:]:
        bare = line.removesuffix("同志").strip()
        if re.fullmatch(f"[{_HAN}]{{2,4}}", bare) and bare.startswith(rules.surnames) and not places_in(bare):
            return bare  # "习近平" on a line of its own; not "讲话稿" or "（摘要）"
    for leader in rules.leaders:
        if title.startswith(leader) or after.startswith(leader):
            return leader
        if any(line.endswith(leader) for line in header):
            return leader
    comrade = _TITLE_COMRADE.match(title)
    if comrade and comrade.group("name").startswith(rules.surnames):
        return comrade.group("name")
    office = _TITLE_PREFIX_OFFICE.match(title)
    if office and office.group("office").endswith(rules.offices):
        return office.group("office")
    return None


def _stated_title(name: str, title_guess: str, header: list[str]) -> str | None:
    """The title the document states, if any: the guessed title line, unless it is the file name
    or a line cut mid-sentence."""
    stem = Path(name).stem
    guess = _PRESS_PREFIX.sub("", without_decoration(title_guess))
    firsts = [title_of_line(line) or (line if _is_long_title(line) else "") for line in header[:1]]
    for candidate in (guess, *firsts):
        if _is_title(candidate) and candidate != stem:
            return candidate
    return None


def _is_title(line: str) -> bool:
    if not line or not _has_han(line):
        return False
    return not _DATE_LINE.match(_nfkc(line)) and not _FRAGMENT_END.search(line)


def _occasion_title(opening: str) -> str | None:
    """A speech's title from its opening: "今天，我们召开X会议" → "在X会议上的讲话"."""
    meeting = _OPENING_OCCASION.search(opening)
    if meeting:
        return f"在{meeting.group('occasion')}上的讲话"
    celebration = _OPENING_CELEBRATION.search(opening)
    return f"在{celebration.group('occasion')}大会上的讲话" if celebration else None


def _bare_report(title: str) -> bool:
    """A 政府工作报告 title that names no place: "政府工作报告", "2022年政府工作报告"."""
    rest = _YEAR.sub("", _nfkc(title)).strip()
    return rest == "政府工作报告"


def _qualified_report_title(year: int | None, place: str | None) -> str:
    """"2022年政府工作报告（国务院）", "2025年云南省政府工作报告"."""
    prefix = f"{year}年" if year else ""
    if place == NATIONAL:
        return f"{prefix}政府工作报告（国务院）"
    return f"{prefix}{place or ''}政府工作报告"


def profile_of(name: str, raw: str, text: str, title_guess: str) -> Profile:
    """The profile of one document.

    name: the file name; raw: the decoded file text before cleaning (its header is read from
    it); text: the cleaned text (cues and counts); title_guess: clean.guess_title(raw, stem).
    """
    header, after = header_of(raw)
    stated = _stated_title(name, title_guess, header)
    title = (notice_inner(stated) or stated) if stated else None
    if title is None:
        title = _occasion_title(text[:_OCCASION_SEARCH_CHARS])
    stem = Path(name).stem
    named = stem if _has_han(stem) else None  # "2025年北京市政府工作报告.docx": an admin's name
    kind = kind_of(stated or title or named or "", text)
    signature = signature_of(raw)
    date = date_of(header, raw, signature)
    year = year_of(name, stated or "", date, text)
    place = place_of(stated or "", header, name, text, signature[0] if signature else "")
    speaker = speaker_of(stated or "", header, after)
    if kind == "政府工作报告" and (title is None or _bare_report(title)):
        title = _qualified_report_title(year, place)
    elif kind == "政府工作报告" and title and year and not _YEAR.search(_nfkc(title)):
        title = f"{year}年{title}"  # "内蒙古自治区政府工作报告" given on 2024年1月23日
    if title is None:
        title = stem  # a Chinese or, failing all else, an ASCII file name
    return Profile(title=title, year=year, place=place, kind=kind, speaker=speaker, date=date,
                   header=tuple(header)).with_aliases()


# --- Aliases ------------------------------------------------------------------------------------------


def short_place_names(place: str) -> tuple[str, ...]:
    """The names a user may type for a place: "云南省" → 云南; "包头市" → 包头; "xx区" → xx."""
    rules = _rules()
    if place in rules.short_forms:
        return rules.short_forms[place]
    for suffix in rules.suffixes:
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return (place[: -len(suffix)],)
    return ()


# How a place's own staff speak of it: "区里今年GDP增速目标定的多少" asks of the district's speech.
_WITHIN = {"区": "区里", "县": "县里", "市": "市里", "旗": "旗里", "州": "州里"}
SAID_FROM_WITHIN = frozenset(_WITHIN.values())


def _said_from_within(place: str) -> tuple[str, ...]:
    """"区里" for a district (xx区), "县里" for a county, "市里" for a city: not for a province nor an
    autonomous region (西藏自治区 says 全区 too, but its staff say 区里 of their own 区 less than a
    district's do)."""
    if place in _rules().province_of.values() or place.endswith("自治区"):
        return ()
    return tuple(word for suffix, word in _WITHIN.items() if place.endswith(suffix))


def _said_from_within_by_office(speaker: str) -> tuple[str, ...]:
    """"县里" for a speech of an unnamed county's 县长 ("县长在县委全委(扩大)会…上的讲话"): its staff
    ask "县里去年GDP多少" of it as a district's ask "区里…" of theirs. Not for a 省长's."""
    level = speaker[-2:-1] if speaker.endswith("长") else ""
    return (_WITHIN[level],) if level in _WITHIN else ()


def abbreviated_names(place: str | None) -> tuple[str, ...]:
    """The names a user may type for a province by its one-character abbreviation: "粤" and "粤省"
    for 广东省 ("粤省今年安排了多少个省重点建设项目", "豫 2025 经济增长目标"). Not looked for in texts
    (藏, 京 are in many words), only among a question's words, where a common one (台, 新) weighs
    little as it does in every passage."""
    abbreviation = _rules().abbreviations.get(place or "")
    if not abbreviation:
        return ()
    return (abbreviation, f"{abbreviation}省") if place and place.endswith("省") else (abbreviation,)


def occasion_of(title: str) -> str | None:
    """The meeting a speech was given at: "在打好精准脱贫攻坚战座谈会上的讲话" → 打好精准脱贫攻坚战座谈会."""
    match = _OCCASION_TITLE.match(title)
    return match.group("occasion") if match else None


# The session of the national people's congress a report was given at, as people shorten it: "在第十三届
# 全国人民代表大会第四次会议上" → "十三届全国人大四次会议". Not a province's ("河南省第十四届人民代表大会
# 第三次会议"): every provincial report of a year was given at its 十四届人大三次会议, which names none.
_CONGRESS = re.compile(r"第?([一二三四五六七八九十]+)届全国人民代表大会第([一二三四五六七八九十]+)次会议")


def congress_names(header: tuple[str, ...]) -> list[str]:
    """The short names of the congress session the header lines say the document was given at."""
    return [f"{nth}届全国人大{session}次会议" for line in header
            for nth, session in _CONGRESS.findall(_nfkc(line))]


def aliases_of(profile: Profile) -> tuple[str, ...]:
    """Short names for the document, for document-level ranking: place names, year + place,
    the speaker's name, the occasion of a speech, the title without its place and year."""
    rules = _rules()
    found: list[str] = []
    place, year = profile.place, profile.year
    if place == NATIONAL:
        if profile.kind == "政府工作报告":
            found.append("国务院")
        found.append(NATIONAL)
    elif place:
        shorts = short_place_names(place)
        found += [place, *shorts, *_said_from_within(place)]
        if year:
            found.append(f"{year}年{shorts[0] if shorts else place}")
    elif profile.speaker:
        found += _said_from_within_by_office(profile.speaker)
    if profile.speaker and not profile.speaker.endswith(rules.offices):  # 李克强, not 县长
        found.append(profile.speaker)
    occasion = occasion_of(profile.title) if profile.kind == "讲话" else None
    core = _without_place_and_year(occasion or profile.title, place)
    if occasion:
        found += [occasion, core, *core.split("暨")]
    elif _is_short_name(core, profile):
        found.append(core)
    seen: list[str] = []
    for alias in found:
        alias = alias.strip()
        if 2 <= len(alias) <= _MAX_ALIAS_CHARS and alias not in seen:
            seen.append(alias)
    return tuple(seen)


def _is_short_name(core: str, profile: Profile) -> bool:
    """The title without its place and year names the document ("数字政府建设考评办法"); not a
    bare kind ("政府工作报告") nor a notice's "人民政府办公厅关于印发…"."""
    if not core or core in KINDS or core == profile.title or profile.kind == "政府工作报告":
        return False
    return "关于" not in core


def _without_place_and_year(title: str, place: str | None) -> str:
    """"包头市2022年数字政府建设考评办法" → 数字政府建设考评办法."""
    core = title
    names = [place, *short_place_names(place)] if place and place != NATIONAL else []
    names.sort(key=len, reverse=True)
    changed = True
    while changed:
        before = core
        core = re.sub(r"^\s*(?:19|20)\d{2}\s*年(?:度)?", "", core)
        for alias in names:
            core = core.removeprefix(alias)
        changed = core != before
    return core.strip()


# --- Corrections ---------------------------------------------------------------------------------------

_FIELDS = PROFILE_FIELDS


def apply_overrides(profile: Profile, overrides: Mapping[str, Any]) -> Profile:
    """The profile with an admin's corrections applied; ValueError (in Chinese) on a bad value.

    Keys: title, year, place, kind, speaker, date. None or "" clears year, place, speaker, date.
    """
    unknown = [key for key in overrides if key not in _FIELDS]
    if unknown:
        raise ValueError(f"未知字段：{'、'.join(map(str, unknown))}（可修改：{'、'.join(_FIELDS)}）")
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        changes[key] = _VALIDATORS[key](value)
    return dataclasses.replace(profile, **changes).with_aliases()


def _check_title(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("标题不能为空")
    if len(value.strip()) > MAX_TITLE_CHARS:
        raise ValueError(f"标题太长（最多 {MAX_TITLE_CHARS} 个字）")
    return value.strip()


def _check_year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*年?\s*", value):
        value = int(value.strip().removesuffix("年"))
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"年份必须是整数，例如 2025（收到：{value!r}）")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"年份必须在 {MIN_YEAR}–{MAX_YEAR} 之间（收到：{value}）")
    return value


def _check_name(label: str) -> Any:
    def check(value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError(f"{label}必须是文字（收到：{value!r}）")
        if len(value.strip()) > MAX_NAME_CHARS:
            raise ValueError(f"{label}太长（最多 {MAX_NAME_CHARS} 个字）")
        return value.strip()

    return check


def _check_kind(value: Any) -> str:
    if value not in KINDS:
        raise ValueError(f"类型必须是以下之一：{'、'.join(KINDS)}（收到：{value!r}）")
    return str(value)


def _check_date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        parsed: datetime.date | None = value
    elif isinstance(value, str):
        text = _nfkc(value.strip())
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        chinese = _DATE.fullmatch(text)
        match = iso or chinese
        parsed = _make_date(*(int(g) for g in match.groups())) if match else None
    else:
        parsed = None
    if parsed is None:
        raise ValueError(f"日期无效，请写作 2025-01-18 或 2025年1月18日（收到：{value!r}）")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"日期的年份必须在 {MIN_YEAR}–{MAX_YEAR} 之间（收到：{value!r}）")
    return parsed


_VALIDATORS = {
    "title": _check_title,
    "year": _check_year,
    "place": _check_name("地点"),
    "kind": _check_kind,
    "speaker": _check_name("讲话人"),
    "date": _check_date,
}
