"""Understand a question once: its weighted search terms and its intent.

`parse_question` turns a question into one `Query`: the words to search (question phrases cut,
related words added at a lower weight), the years it means (named: 2022年; relative: 今年, 去年),
the kind of answer it wants (a quantity, a time), whether it asks for a list, the numbered part
it points at (a path of positions: "第三部分第（二）项" → (3, 2)), and whether it asks for a
listing of commitments. The patterns live in data/rules/question_patterns.txt, with examples.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from retrieval import rules
from retrieval.answer_types import (
    AnswerType,
    asked_unit,
    asks_something,
    asks_target,
    count_asked,
    done_yet,
    per_unit_asked,
    whether_clause,
    which_time_asked,
)
from retrieval.text.normalize import compact, normalize
from retrieval.text.numerals import CHINESE_NUMERAL, chinese_to_int, percents_in_digits
from retrieval.text.places import with_province_spelled
from retrieval.text.tokens import phrase_words, question_terms, related_terms, typed_separators
from retrieval.text.years import RELATIVE_YEARS, compared_years, relative_offsets, years_asked_in, years_in

# A figure as written, decimal or with its magnitude: "1.5万", "3.2%", "2万", "一万五千亿".
FIGURE = re.compile(r"(?<![\d.])\d+\.\d+[万亿]?|(?<![\d.])\d+[万亿]"
                    r"|(?<![一二两三四五六七八九十百千万亿])[一二两三四五六七八九十百千]+[万亿][一二两三四五六七八九十百千万亿]*")

# Related words search at a lower weight than the question's own words, so a passage
# that uses the user's exact word still ranks first.
RELATED_WEIGHT = 0.4
# Generic request words (data/rules/generic_words.txt) weigh this much in a question with others.
GENERIC_WEIGHT = 0.3
# Words only of the document reference a question opens with ("西藏报告里…") weigh this much in
# finding the passage: they name the document (Query.naming_words), they do not describe the passage.
REFERENCE_WEIGHT = 0.3
# The year of a document reference by year and kind ("2022年政府工作报告里…") weighs this much when
# the question asks no other year: it says which document first, which part of it second. "2022年
# 政府工作报告里说我国经济发展面临哪三重压力" is answered in the report's review of 2021; at full weight
# the year drew the answer to "二、2022年…" ("今年我国发展面临的风险挑战明显增多"). Still enough to
# prefer the year's part when the rest of the question fits both: "2022年国务院政府工作报告 赤字率".
NAMING_YEAR_WEIGHT = 0.6

Wants = Literal["deadline", "quantity", "target", "task"]


@dataclass(frozen=True)
class CommitmentsIntent:
    """A list question the commitments listing answers: "哪些任务要在月底前完成"."""

    wants: Wants  # which commitments: with a deadline, with quantities, targets, or all tasks
    deadline: str | None = None  # the deadline asked for ("月底前"); None: any deadline
    topic: str = ""  # the question without its question words ("土地收储"), "" if nothing is left


@dataclass(frozen=True)
class Query:
    text: str
    terms: dict[str, float]  # search term → weight (question words 1.0, related words lower)
    own_terms: tuple[str, ...]  # the question's own words, for judging coverage
    own_weights: tuple[float, ...]  # how much each of them counts (see importance)
    year_offsets: tuple[int, ...]  # relative years named (今年 → 0, 去年 → -1)
    is_list: bool
    answer_type: AnswerType | None = None  # a quantity or a time, when the question asks for one
    unit: str = ""  # the units a quantity asked for is in: "多少张床位" → "张" (answer_types.asked_unit)
    which_time: str = ""  # "年" for "哪一年", "日" for "哪天": the answer says one (answer_types.says_time)
    per_unit: tuple[tuple[str, ...], ...] = ()  # "每亩地多少钱": the answer says 每亩 or 亩均 (says_per_unit)
    # Per own term: in the clause a yes/no question asks whether ("…，外省牌照的车能不能参加": 外省,
    # 牌照, 车, 参加; of "…成功了没有" only 成功); () if it asks no yes/no (answer_types.whether_clause).
    whether: tuple[bool, ...] = ()
    target: bool = False  # it asks a target or plan ("增长目标定的多少"): a review's result is none
    count: tuple[str, ...] = ()  # it asks "哪十项": the count as written ("十项", "10项"), to be listed
    # Per own term: said before the position the question points at ("包头考评指标第四个大项是啥，几分":
    # 包头, 考评, 指标, 大项 name what it points into, 几分 what it asks of it).
    before_position: tuple[bool, ...] = ()
    leading: tuple[bool, ...] = ()  # per own term: only in a first piece set apart ("西藏 粮食 目标")
    years: tuple[int, ...] = ()  # years named outright ("2022年")
    part: int | None = None  # the numbered part pointed at with 第: "第二个问题" → 2 (used by ranking)
    # The position pointed at, outermost first, negative from the end: "二、里的第三条" → (2, 3),
    # "倒数第二条" → (-2,), "最后一部分" → (-1,). Not used by ranking yet.
    position: tuple[int, ...] = ()
    list_size: int | None = None  # how many items the list pointed into has: "九个方面里第五个" → 9
    span: int = 1  # how many items from the position are asked for: "九个方面里前三个" → 3
    # The item marker the position ends with ("…工作，二是讲的啥" → "二是"): the section meant is an
    # item headed so, not a part numbered 二 in another style ("二、", "（二）"). "": none.
    item_marker: str = ""
    # Question words written next to each other, as one phrase: the 发展水平 of "2021年发展水平怎么样",
    # which a passage saying "发展水平显著提升" holds and one saying 发展 and 高水平 apart does not.
    phrases: tuple[str, ...] = ()
    reference: str = ""  # the words that named `part` ("第二个问题"), left out of the search
    # `part` names a part, not an item ("第四部分", not "第四点"): the shallowest heading so numbered
    part_is_top: bool = False
    commitments: CommitmentsIntent | None = None  # a list question about commitments
    # Documents named by year and kind: "2023年全国政府工作报告…" → ((2023, "报告"),)
    named_by_year: tuple[tuple[int, str], ...] = ()
    # Words of the document reference the question opens with ("精准脱贫攻坚战座谈会讲话中…"):
    # they name a document at full weight, though they weigh REFERENCE_WEIGHT in the search.
    naming_words: frozenset[str] = frozenset()
    # The question names what it points into before it points: "政府自身建设的第三条",
    # "重点任务里最后一个方面" count inside the section so named, not in the whole document.
    topic_first: bool = False
    # Per own word: said after the position the question points at ("三、里面第六条抓春季农业生产，
    # 要持续防控哪些动物疫病": 抓…疫病), asked of the item there. All False if it points at none.
    after_position: tuple[bool, ...] = ()
    # Years the answer must speak of: those named outright, but not in the document reference
    # ("2021年政府工作报告回顾2020年…" → (2020,)) nor naming a document by year and kind.
    years_asked: tuple[int, ...] = ()
    compared_years: frozenset[str] = frozenset()  # relative years only said as a comparison's base: 比上年

    def years_meant(self, document_year: int | None) -> set[int]:
        """The years the question is about, in a document speaking from document_year."""
        relative = {document_year + off for off in self.year_offsets} if document_year else set()
        return set(self.years_asked) | relative  # not a year naming the document ("2022年…讲话里")


# --- Patterns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    asks_formula: re.Pattern[str]
    formula_question_words: re.Pattern[str]
    asks_time: re.Pattern[str]
    asks_quantity: re.Pattern[str]
    list_question: re.Pattern[str]
    position_step: re.Pattern[str]
    position_link: re.Pattern[str]
    position_link_at_end: re.Pattern[str]
    links: str  # the position links, as one alternation

    def position_link_before(self, words: str) -> re.Pattern[str]:
        """Words that point, with the position link before them, if any."""
        return re.compile(f"(?:{self.links})?{re.escape(words)}")
    part: re.Pattern[str]
    top_noun: re.Pattern[str]
    list_size: re.Pattern[str]
    commitments_list: re.Pattern[str]
    commitments_deadline: re.Pattern[str]
    commitments_any_deadline: frozenset[str]
    commitments_quantity: re.Pattern[str]
    commitments_target: re.Pattern[str]
    commitments_task: re.Pattern[str]
    commitments_question_words: re.Pattern[str]
    document_year: re.Pattern[str]
    document_reference: tuple[re.Pattern[str], ...]
    places_among: re.Pattern[str]


_CHINESE = CHINESE_NUMERAL.pattern
_NUMERAL_CHARACTERS = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = rf"{_CHINESE}|\d+"
# After an item marker, what asks about it: 二是讲的啥, 二要是什么, 四是哪条.
_ITEM_ASKED = "讲|说|是|啥|什么|哪|指的|具体|包括|的内容"


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    groups = rules.question_patterns()
    noun = "|".join(groups["position_nouns"])
    last = "|".join(groups["position_last"])
    from_end = "|".join(groups["position_from_end"])
    not_after_from_end = "".join(f"(?<!{word})" for word in groups["position_from_end"])
    first = "|".join(groups["position_first"])
    not_a_time = "(?![月季年天周小星工多])"  # 前三个月, 头两年 are no items
    not_a_rank = "".join(f"(?<!{word})" for word in groups["rank_scopes"])  # 全省第3个…镇
    step = (rf"(?:{from_end})第(?P<from_end>{_NUMBER})(?:{noun})"  # 倒数第二条
            rf"|{not_a_rank}第[（(]?(?P<ordinal>{_NUMBER})[）)]?(?:{noun})"  # 第三部分, 第（二）项
            # 前三个: 1 (of 3); not "前一段" (a while ago: "前一段主要做了哪些工作")
            rf"|(?:{first})(?!一段)(?P<first_few>{_NUMBER})(?:{noun}){not_a_time}"
            rf"|(?P<last>{last})(?P<last_few>{_NUMBER})?(?:{noun}){not_a_time}"  # 最后两条: -2 (of 2)
            rf"|(?P<marker>{_CHINESE})、|[（(](?P<paren>{_NUMBER})[）)]"  # 二、 （二）; not "1、2月"
            # An item marker asked about: "回顾去年的工作，二是讲的啥", "基础配套里面第七要是啥",
            # quoted or not ("政府自身建设里面“四是”讲的啥"), or quoted at the end ("2018讲话 经验“四是”");
            # not "统一是", "二是指标".
            rf"|(?:(?<![\u4e00-\u9fff])|(?<=[里中的面下]))第?(?P<item>{_CHINESE})[是要]"
            rf"(?:[”\"']?(?={_ITEM_ASKED})|[”\"'](?=$|[,?。]))")
    return _Patterns(
        asks_formula=rules.any_of(groups["asks_formula"] + groups["formula_question_words"]),
        formula_question_words=rules.any_of(groups["formula_question_words"]),
        asks_time=rules.any_of(groups["asks_time"]),
        asks_quantity=rules.any_of(groups["asks_quantity"]),
        list_question=rules.any_of(groups["list_question"]),
        position_step=re.compile(step),
        position_link=re.compile("|".join(groups["position_links"])),
        position_link_at_end=re.compile(f"(?:{'|'.join(groups['position_links'])})$"),
        links="|".join(groups["position_links"]),
        # Ranking's part: 第 + number + what is numbered ("第一书记" is none: 书记 is not a part).
        part=re.compile(not_after_from_end + not_a_rank + rf"第({_NUMBER})(?:{noun})"),
        # How many items the list has that a position counts in: "十条方针里第五条" → 10.
        top_noun=re.compile(f"(?:{'|'.join(groups['position_top_nouns'])})$"),
        # Not inside a longer number; a year may come right before ("广东 2025 十二个方面…").
        list_size=re.compile(rf"(?:(?<![第前头后{_NUMERAL_CHARACTERS}])(?=[{_NUMERAL_CHARACTERS}])"
                             rf"|(?<![第前头后\d])(?=\d))({_NUMBER})(?:{noun})"),
        commitments_list=rules.any_of(groups["commitments_list"]),
        commitments_deadline=rules.any_of(groups["commitments_deadline"]),
        commitments_any_deadline=frozenset(groups["commitments_any_deadline"]),
        commitments_quantity=rules.any_of(groups["commitments_quantity"]),
        commitments_target=rules.any_of(groups["commitments_target"]),
        commitments_task=rules.any_of(groups["commitments_task"]),
        commitments_question_words=rules.any_of(groups["commitments_question_words"]),
        document_year=rules.any_of(groups["document_year"]),
        document_reference=tuple(re.compile(p) for p in groups["document_reference"]),
        places_among=rules.any_of(groups["places_among"]),
    )


# --- Intents ----------------------------------------------------------------------------------


def wanted_type(question: str) -> AnswerType | None:
    """The kind of answer a (normalized) question wants: "收储土地多少亩" → a quantity."""
    patterns = _patterns()
    if patterns.asks_formula.search(question):
        return AnswerType.FORMULA
    if patterns.asks_time.search(question):
        return AnswerType.TIME
    if patterns.asks_quantity.search(question):
        return AnswerType.QUANTITY
    return None


def is_list_question(question: str) -> bool:
    """Whether a (normalized) question asks for an enumeration: "规划引领有哪些要求"."""
    return bool(_patterns().list_question.search(question))


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_to_int(text)


def referenced_part(question: str) -> tuple[int, str] | None:
    """(number, the words that named it) of the first 第-part a (normalized) question points at.

    "第二个问题讲的是什么" → (2, "第二个问题"); "第一书记累计派了多少人" → None.
    """
    match = _patterns().part.search(question)
    value = _number(match.group(1)) if match else None
    return (value, match.group(0)) if match and value else None


def _step_value(match: re.Match[str]) -> int | None:
    if match.group("first_few"):
        return 1
    if match.group("last"):
        few = match.group("last_few")
        value = _number(few) if few else 1
        return -value if value else None
    if match.group("from_end"):
        value = _number(match.group("from_end"))
        return -value if value else None
    number = match.group("ordinal") or match.group("marker") or match.group("paren") or match.group("item")
    return _number(number) if number else None


def position_steps(question: str) -> list[tuple[int, str]]:
    """Each step of the position a (normalized) question points at, outermost first, with the
    words that name it: "湖北报告第三部分政府自身建设第三条" → [(3, "第三部分"), (3, "第三条")].

    Steps follow each other in the question, joined by 里/中/的… (position_links) or by the
    name of the part between them ("第三部分政府自身建设第三条"); negative counts from the end.
    """
    patterns = _patterns()
    steps: list[tuple[int, str]] = []
    match = patterns.position_step.search(question)
    while match:
        value = _step_value(match)
        if value is None:
            break
        steps.append((value, match.group(0)))
        match = patterns.position_step.search(question, match.end())
    return steps


def span_asked(question: str) -> int:
    """How many items from its position the (normalized) question asks for: "九个方面里前三个是啥"
    → 3, "最后两条" → 2; 1 for a single position."""
    for match in _patterns().position_step.finditer(question):
        few = match.group("first_few") or match.group("last_few")
        if few:
            return _number(few) or 1
    return 1


def _inner_step(part: int, steps: list[tuple[int, str]]) -> bool:
    """Whether the 第-reference is a step inside a path that starts elsewhere: "（十一）下面第一点"
    points at the first point of （十一）, not at a part numbered 一."""
    return len(steps) > 1 and steps[0][0] != part


def _before_position(normalized: str, steps: list[tuple[int, str]]) -> str:
    """The question before the first step of the position it points at: the list a position counts
    in is named before it ("九个方面里第五个"); a count after it says what the item holds
    ("考评指标第3条，12345热线升级要实现的五项功能分别说说")."""
    at = normalized.find(steps[0][1]) if steps else -1
    return normalized[:at] if at >= 0 else normalized


def list_size(question: str) -> int | None:
    """How many items the list a position counts in has, when the question says so:
    "九个方面里第五个" → 9, "十件民生实事里第五件" → 10; None when it does not."""
    for match in _patterns().list_size.finditer(question):
        value = _number(match.group(1))
        if value and value > 1:
            return value
    return None


def referenced_position(question: str) -> tuple[int, ...]:
    """The path of positions a (normalized) question points at, outermost first; () if none.

    "第三部分第（二）项" → (3, 2), "二、里的第三条" → (2, 3), "九个方面里第五个" → (5,),
    "最后一部分" → (-1,), "倒数第二条" → (-2,).
    """
    return tuple(value for value, _ in position_steps(question))


def commitments_intent(question: str) -> CommitmentsIntent | None:
    """The commitments a list question asks for, from the question as typed; None if it asks
    for none, or for a topic's tasks (its passage answers that).

    "哪些任务要在月底前完成" → deadline 月底前; "今年的量化指标有哪些" → quantities;
    "土地收储有哪些目标" → targets about 土地收储; "2022年基础配套有哪些任务" → None.
    """
    patterns = _patterns()
    if not patterns.commitments_list.search(question):
        return None
    wants: Wants
    deadline = patterns.commitments_deadline.search(question)
    deadline_words = None
    if deadline:
        wants = "deadline"
        deadline_words = compact(deadline.group(0))
        if deadline_words in patterns.commitments_any_deadline:
            deadline_words = None
    elif patterns.commitments_quantity.search(question):
        wants = "quantity"
    elif patterns.commitments_target.search(question):
        wants = "target"
    elif patterns.commitments_task.search(question):
        wants = "task"
    else:
        return None
    topic = patterns.commitments_question_words.sub("", question).strip()
    if topic and wants == "task":
        return None  # "2022年基础配套有哪些任务": a topic's tasks are its passage, quoted whole
    return CommitmentsIntent(wants=wants, deadline=deadline_words, topic=topic)


# --- The whole step ---------------------------------------------------------------------------


def document_reference(question: str) -> tuple[str, str]:
    """(the document reference a normalized question opens with, the rest): "西藏报告里二要是啥"
    → ("西藏报告", "二要是啥"); ("", question) when it opens with none or nothing is left."""
    for pattern in _patterns().document_reference:
        found = pattern.match(question)
        if found and found.group(1) and len(question) - found.end() >= 2:
            return found.group(1), question[found.end():]
    return "", question


def importance(terms: list[str]) -> dict[str, float]:
    """How much each question word counts: generic request words (安排, 措施…) little, unless the
    question has nothing else ("有哪些任务")."""
    generic = rules.generic_words()
    if all(t in generic for t in terms):
        return dict.fromkeys(terms, 1.0)
    return {t: GENERIC_WEIGHT if t in generic else 1.0 for t in terms}


def _phrases(asked: str, words: list[str]) -> tuple[str, ...]:
    """Pairs of the (full-weight) question words written next to each other in the question, or
    joined by 和, 与 or 及, as one phrase no word of it already is: "2021年发展水平怎么样" →
    ("发展水平",), "面临的困难和挑战" → ("困难和挑战",); not years nor the 年 after one ("年发展")."""
    words = [w for w in words if not _is_year_word(w) and w not in ("年", "月", "日")
             and not any(w != other and w in other for other in words)]  # 工农业, not its 工农, 农业
    pairs = (a + glue + b for a, b in zip(words, words[1:], strict=False) for glue in ("", "和", "与", "及"))
    return tuple(dict.fromkeys(p for p in pairs if len(p) >= 3 and p in asked and p not in words))


def _said_after_position(normalized: str, part: tuple[int, str] | None, steps: list[tuple[int, str]],
                         own: list[str]) -> tuple[bool, ...]:
    """Per own word: in the question after the words pointing at its position (none if none)."""
    pointers = [words for _, words in steps] + ([part[1]] if part else [])
    ends = [normalized.find(words) + len(words) for words in pointers if words in normalized]
    after = normalized[max(ends):] if ends else ""
    return tuple(bool(after) and len(term) > 1 and term in after for term in own)


def _after_position(normalized: str, part: tuple[int, str] | None, steps: list[tuple[int, str]]) -> str:
    """What the question asks of the position it points at, if it points at one: "精准脱贫座谈会上
    总结的几条经验，第四条是啥" asks what the fourth says (是啥), not how many there are (几条);
    "“五个突破”的第二个突破是啥？石油产能到多少了" asks a figure."""
    pointers = [words for _, words in steps] + ([part[1]] if part else [])
    ends = [normalized.find(words) + len(words) for words in pointers if words in normalized]
    after = normalized[max(ends):] if ends else normalized
    return after if asks_something(after) else normalized  # "哪一年提出了第二个百年奋斗目标" asks a year


def parse_question(question: str, known: Callable[[str], bool] | None = None) -> Query:
    """The question as a Query. known: whether the loaded documents use a word (Index.uses), so the
    question is cut into their words where jieba made up others (tokens.question_terms)."""
    # "滇 2024 GDP 总量 增速" is asked as "云南 2024 gdp 总量 增速": documents say 云南, not 滇.
    # "有没有做到百分之百" is asked as "有没有做到100%": documents write percentages in digits.
    normalized = percents_in_digits(with_province_spelled(normalize(typed_separators(question))))
    part = referenced_part(normalized)
    steps = position_steps(normalized)
    asked = normalized
    for words_of_step in {part[1]} | {words for _, words in steps} if part else {w for _, w in steps}:
        # "第三部分" points; it is not looked for, nor the link before it ("重点任务里最后一个方面")
        asked = _patterns().position_link_before(words_of_step).sub(",", asked)
    if steps:  # nor the size of the list it counts in: the 11方面 of "11方面重点工作，第七项讲什么"
        asked = _patterns().list_size.sub(",", asked, count=1)
    # "人口20万以上的县里" names no county's document, as "县里去年GDP多少" does the county's.
    asked = _patterns().places_among.sub(",", asked)
    # "分值咋算" asks for a formula, which says 分值 and not 算 ("年度考评分值=（上半年…）÷2").
    asked = _patterns().formula_question_words.sub(",", asked)
    reference, rest = document_reference(asked)
    # The document reference is searched apart from the rest: the 里 of "讲话里" is no word.
    words = question_terms(f"{reference},{rest}" if reference else asked, known)
    # A figure is one word, however the tokenizer splits it: "1.5万" finds "1.5万" and "15000".
    own = list(dict.fromkeys([*words, *FIGURE.findall(asked)]))
    weight = importance(own)
    naming = _reference_words(reference, rest, own, weight)
    years_asked = tuple(sorted(years_asked_in(_patterns().document_year.sub(",", rest))))
    compared = compared_years(normalized)
    # A year naming a document by its kind ("（21年报告）") when the question asks of another
    # year says which document, not which part of it: "2020年全国GDP增长了多少（2021年报告）"
    # asks the review of 2020, not "三、2021年重点工作". Asking no other year, it is also a weak
    # hint of the part (NAMING_YEAR_WEIGHT); pointing at a position, it names the document the
    # position is counted in, at full weight.
    named_years = {year for year, _ in _patterns().document_year.findall(normalized)}
    naming_years = named_years - set(map(str, years_asked))
    for term in naming | (naming_years & set(own)):
        if term in naming or years_asked:
            weight[term] = min(weight[term], REFERENCE_WEIGHT)
        elif not part and not steps:
            weight[term] = min(weight[term], NAMING_YEAR_WEIGHT)
    terms: dict[str, float] = {}
    for term in words:
        terms[term] = terms.get(term, 0.0) + weight[term]
    for term in own:
        if weight[term] < 1.0:
            continue  # related words of a generic word would only add noise
        for other in sorted(related_terms(term)):  # in one order: scores the same in every process
            # A related phrase is searched by its words ("社会消费品零售总额": 社会, 消费品, 零售…),
            # which share the weight of one related word.
            searched = phrase_words(other)
            for word in searched:
                if word not in terms:
                    terms[word] = RELATED_WEIGHT / len(searched)
    answer_type = wanted_type(_after_position(normalized, part, steps))
    return Query(
        text=question,
        terms=terms,
        own_terms=tuple(own),
        before_position=_said_before_position(normalized, steps, own, weight, reference),
        leading=_leading(normalized, own),
        own_weights=tuple(weight[t] for t in own),
        phrases=() if part or steps else _phrases(asked, [t for t in own if weight[t] >= 1.0]),
        year_offsets=relative_offsets(normalized, compared),
        is_list=is_list_question(normalized),
        answer_type=answer_type,
        unit=asked_unit(normalized),
        which_time=which_time_asked(normalized),
        per_unit=per_unit_asked(normalized) if answer_type is AnswerType.QUANTITY else (),
        whether=_whether(normalized, own),
        target=asks_target(normalized),
        count=count_asked(normalized),
        years=tuple(sorted(years_in(normalized))),
        part=part[0] if part and not _inner_step(part[0], steps) else None,
        position=tuple(value for value, _ in steps),
        item_marker=_item_marker(steps),
        list_size=list_size(_before_position(normalized, steps)) if steps else None,
        span=span_asked(normalized) if steps else 1,
        reference=part[1] if part else "",
        part_is_top=bool(part and _patterns().top_noun.search(part[1])),
        commitments=commitments_intent(question),
        named_by_year=tuple(sorted({(int(year), "讲话" if kind == "讲话" else "报告")
                                    for year, kind in _patterns().document_year.findall(normalized)})),
        naming_words=naming,
        topic_first=_names_a_topic_first(normalized, part, steps),
        after_position=_said_after_position(normalized, part, steps, own),
        years_asked=years_asked,
        compared_years=compared,
    )


def _item_marker(steps: list[tuple[int, str]]) -> str:
    """Query.item_marker: the last step's words if they are an item marker ("四是" of "“四是”")."""
    words = steps[-1][1].lstrip("第").rstrip("”\"'") if steps else ""
    return words if words[-1:] in ("是", "要") else ""


def _whether(normalized: str, own: list[str]) -> tuple[bool, ...]:
    """Query.whether: the words of the clause asking whether, or of a 了没有 question only the word
    done, the longest said right before it (成功 of "申办第十六届全国运动会到底成功了没有"; 批下来, not
    下来, of "机场迁建手续批下来了没", a word no document holds, which asks nothing checked)."""
    done = done_yet(normalized)
    said = [term for term in own if done and done.endswith(term)]
    if said:
        verb = max(said, key=len)
        return tuple(term == verb for term in own)
    return _in_clause(whether_clause(normalized), own)


def _in_clause(clause: str, own: list[str]) -> tuple[bool, ...]:
    return tuple(term in clause for term in own) if clause else ()


def _said_before_position(normalized: str, steps: list[tuple[int, str]], own: list[str],
                          weight: dict[str, float], reference: str) -> tuple[bool, ...]:
    """Per own word: said before the position, at full weight, and no year: a generic word (the 工作
    of "九个方面工作里第五个") or a year (the 2025 of "云南2025年重点任务9个方面第七个") names no
    topic. All True if the question names nothing so. But when only the document reference it
    opens with names something, the generic words said after it name the topic: "浙江省政府工作
    报告11方面重点工作的最后一个" counts in the list under "…重点工作", not in the review's."""
    starts = [normalized.find(words) for _, words in steps if words in normalized]
    before = normalized[:min(starts)] if starts else ""
    kept = tuple(term in before and weight[term] >= 1.0 and len(term) > 1 and not _is_year_word(term)
                 for term in own)
    after_reference = before[len(reference):] if reference and before.startswith(reference) else ""
    if after_reference and not any(k and term in after_reference for k, term in zip(kept, own, strict=True)):
        kept = tuple(term in after_reference and len(term) > 1 and not _is_year_word(term) for term in own)
    return kept if any(kept) else (True,) * len(own)


def _is_year_word(term: str) -> bool:
    """A year ("2022") or a relative one (今年, 去年): it names no document nor topic, it picks a
    part of one."""
    return term.isdigit() or term in RELATIVE_YEARS


def _leading(normalized: str, own: list[str]) -> tuple[bool, ...]:
    """Per own word: only in the question's first piece, when a space or comma sets one apart
    ("包头数字政府建设考评 多久考评一次"), and no year (it also picks the part of a report)."""
    pieces = [p for p in re.split(r"[\s,，]+", normalized) if p]
    if len(pieces) < 2:
        return (False,) * len(own)
    first = pieces[0]
    rest = normalized[normalized.find(first) + len(first):]
    return tuple(term in first and term not in rest and not _is_year_word(term) for term in own)


def _names_a_topic_first(normalized: str, part: tuple[int, str] | None, steps: list[tuple[int, str]]) -> bool:
    """Whether the question, after its document reference, names a topic and then points inside
    it, joined by a position link: "政府自身建设的第三条", "重点任务里最后一个方面"; not
    "去年工作回顾第一部分", where the part pointed at is the one the words name."""
    rest = document_reference(normalized)[1]
    pointers = [words for _, words in steps] + ([part[1]] if part else [])
    starts = [rest.find(words) for words in pointers if words in rest]
    if not starts:
        return False
    before = rest[:min(starts)]
    link = _patterns().position_link_at_end.search(before)
    return link is not None and bool(question_terms(before[:link.start()]))


# A document's number (文号): "包府办发〔2022〕43号". Its 2022 and 43 name the document, as its other
# words do; they are no year its passages speak of.
_DOCUMENT_NUMBER = re.compile(r"[〔\[(]\d{4}[〕\])]\d{1,4}号")


def _reference_words(reference: str, rest: str, own: list[str], weight: dict[str, float]) -> frozenset[str]:
    """The question's words found only in the document reference it opens with, if the rest of
    the question still has a word of full weight to search for. Years are kept out: "今年政府
    工作报告GDP目标" also asks for this year's part of the report."""
    if not reference:
        return frozenset()
    in_rest = set(question_terms(rest))
    numbered = _DOCUMENT_NUMBER.search(reference) is not None
    naming = frozenset(t for t in question_terms(reference)
                       if t in weight and t not in in_rest and (numbered or not _is_year_word(t)))
    if not any(weight[t] >= 1.0 for t in own if t not in naming):
        return frozenset()
    return naming
