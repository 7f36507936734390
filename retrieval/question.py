"""Understand a question once: its weighted search terms and its intent.

`parse_question` turns a question into one `Query`: the words to search (question phrases cut,
related words added at a lower weight), the years it means (named: 2022年; relative: 今年, 去年),
the kind of answer it wants (a quantity, a time), whether it asks for a list, the numbered part
it points at (a path of positions: "第三部分第（二）项" → (3, 2)), and whether it asks for a
listing of commitments. The patterns live in data/rules/question_patterns.txt, with examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from retrieval import rules
from retrieval.answer_types import AnswerType
from retrieval.text.normalize import compact, normalize
from retrieval.text.numerals import CHINESE_NUMERAL, chinese_to_int
from retrieval.text.tokens import question_terms, related_terms
from retrieval.text.years import relative_offsets, years_in

# A figure as written, decimal or with its magnitude: "1.5万", "3.2%", "2万".
FIGURE = re.compile(r"(?<![\d.])\d+\.\d+[万亿]?|(?<![\d.])\d+[万亿]")

# Related words search at a lower weight than the question's own words, so a passage
# that uses the user's exact word still ranks first.
RELATED_WEIGHT = 0.4
# Generic request words (data/rules/generic_words.txt) weigh this much in a question with others.
GENERIC_WEIGHT = 0.3

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
    years: tuple[int, ...] = ()  # years named outright ("2022年")
    part: int | None = None  # the numbered part pointed at with 第: "第二个问题" → 2 (used by ranking)
    # The position pointed at, outermost first, negative from the end: "二、里的第三条" → (2, 3),
    # "倒数第二条" → (-2,), "最后一部分" → (-1,). Not used by ranking yet.
    position: tuple[int, ...] = ()
    list_size: int | None = None  # how many items the list pointed into has: "九个方面里第五个" → 9
    reference: str = ""  # the words that named `part` ("第二个问题"), left out of the search
    commitments: CommitmentsIntent | None = None  # a list question about commitments
    # Documents named by year and kind: "2023年全国政府工作报告…" → ((2023, "报告"),)
    named_by_year: tuple[tuple[int, str], ...] = ()

    def years_meant(self, document_year: int | None) -> set[int]:
        """The years the question is about, in a document speaking from document_year."""
        relative = {document_year + off for off in self.year_offsets} if document_year else set()
        return set(self.years) | relative


# --- Patterns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    asks_time: re.Pattern[str]
    asks_quantity: re.Pattern[str]
    list_question: re.Pattern[str]
    position_step: re.Pattern[str]
    position_link: re.Pattern[str]
    part: re.Pattern[str]
    list_size: re.Pattern[str]
    commitments_list: re.Pattern[str]
    commitments_deadline: re.Pattern[str]
    commitments_any_deadline: frozenset[str]
    commitments_quantity: re.Pattern[str]
    commitments_target: re.Pattern[str]
    commitments_task: re.Pattern[str]
    commitments_question_words: re.Pattern[str]
    document_year: re.Pattern[str]


_CHINESE = CHINESE_NUMERAL.pattern
_NUMERAL_CHARACTERS = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = rf"{_CHINESE}|\d+"


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    groups = rules.question_patterns()
    noun = "|".join(groups["position_nouns"])
    last = "|".join(groups["position_last"])
    from_end = "|".join(groups["position_from_end"])
    not_after_from_end = "".join(f"(?<!{word})" for word in groups["position_from_end"])
    step = (rf"(?:{from_end})第(?P<from_end>{_NUMBER})(?:{noun})"  # 倒数第二条
            rf"|第[（(]?(?P<ordinal>{_NUMBER})[）)]?(?:{noun})"  # 第三部分, 第（二）项
            rf"|(?P<last>{last})(?:{noun})"  # 最后一部分
            rf"|(?P<marker>{_CHINESE})、|[（(](?P<paren>{_NUMBER})[）)]")  # 二、 （二）; not "1、2月"
    return _Patterns(
        asks_time=rules.any_of(groups["asks_time"]),
        asks_quantity=rules.any_of(groups["asks_quantity"]),
        list_question=rules.any_of(groups["list_question"]),
        position_step=re.compile(step),
        position_link=re.compile("|".join(groups["position_links"])),
        # Ranking's part: 第 + number + what is numbered ("第一书记" is none: 书记 is not a part).
        part=re.compile(not_after_from_end + rf"第({_NUMBER})(?:{noun})"),
        # How many items the list has that a position counts in: "十条方针里第五条" → 10.
        list_size=re.compile(rf"(?<![第\d{_NUMERAL_CHARACTERS}])({_NUMBER})(?:{noun})"),
        commitments_list=rules.any_of(groups["commitments_list"]),
        commitments_deadline=rules.any_of(groups["commitments_deadline"]),
        commitments_any_deadline=frozenset(groups["commitments_any_deadline"]),
        commitments_quantity=rules.any_of(groups["commitments_quantity"]),
        commitments_target=rules.any_of(groups["commitments_target"]),
        commitments_task=rules.any_of(groups["commitments_task"]),
        commitments_question_words=rules.any_of(groups["commitments_question_words"]),
        document_year=rules.any_of(groups["document_year"]),
    )


# --- Intents ----------------------------------------------------------------------------------


def wanted_type(question: str) -> AnswerType | None:
    """The kind of answer a (normalized) question wants: "收储土地多少亩" → a quantity."""
    patterns = _patterns()
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
    if match.group("last"):
        return -1
    if match.group("from_end"):
        value = _number(match.group("from_end"))
        return -value if value else None
    number = match.group("ordinal") or match.group("marker") or match.group("paren")
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


def importance(terms: list[str]) -> dict[str, float]:
    """How much each question word counts: generic request words (安排, 措施…) little, unless the
    question has nothing else ("有哪些任务")."""
    generic = rules.generic_words()
    if all(t in generic for t in terms):
        return dict.fromkeys(terms, 1.0)
    return {t: GENERIC_WEIGHT if t in generic else 1.0 for t in terms}


def parse_question(question: str) -> Query:
    normalized = normalize(question)
    part = referenced_part(normalized)
    steps = position_steps(normalized)
    asked = normalized
    for words_of_step in {part[1]} | {words for _, words in steps} if part else {w for _, w in steps}:
        asked = asked.replace(words_of_step, " ")  # "第三部分" points; it is not looked for
    words = question_terms(asked if part or steps else question)
    # A figure is one word, however the tokenizer splits it: "1.5万" finds "1.5万" and "15000".
    own = list(dict.fromkeys([*words, *FIGURE.findall(normalized)]))
    weight = importance(own)
    terms: dict[str, float] = {}
    for term in words:
        terms[term] = terms.get(term, 0.0) + weight[term]
    for term in own:
        if weight[term] < 1.0:
            continue  # related words of a generic word would only add noise
        for other in sorted(related_terms(term)):  # in one order: scores the same in every process
            if other not in terms:
                terms[other] = RELATED_WEIGHT
    return Query(
        text=question,
        terms=terms,
        own_terms=tuple(own),
        own_weights=tuple(weight[t] for t in own),
        year_offsets=relative_offsets(normalized),
        is_list=is_list_question(normalized),
        answer_type=wanted_type(normalized),
        years=tuple(sorted(years_in(normalized))),
        part=part[0] if part else None,
        position=tuple(value for value, _ in steps),
        list_size=list_size(normalized) if steps else None,
        reference=part[1] if part else "",
        commitments=commitments_intent(question),
        named_by_year=tuple(sorted({(int(year), "讲话" if kind == "讲话" else "报告")
                                    for year, kind in _patterns().document_year.findall(normalized)})),
    )
