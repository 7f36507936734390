"""Understand a question: its weighted search terms, the years it means, whether it asks for a list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval import rules
from retrieval.answer_types import AnswerType, wanted_type
from retrieval.numerals import YEAR
from retrieval.ordinals import referenced_part
from retrieval.tokens import normalize, question_terms, related_terms

# Related words search at a lower weight than the question's own words, so a passage
# that uses the user's exact word still ranks first.
RELATED_WEIGHT = 0.4
# Generic request words (data/rules/generic_words.txt) weigh this much in a question with others.
GENERIC_WEIGHT = 0.3

# Relative years, resolved against each document's own year (今年 in a 2022 speech is 2022).
# ("全年", the whole year, is not one: "全年多渠道融资" can be about any year.)
RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}


def relative_words(asked: int, year: int) -> list[str]:
    """What a document of `year` calls the year `asked`: 1981 is 今年 in the 1981 report."""
    return [word for word, offset in RELATIVE_YEARS.items() if year + offset == asked]

# Questions that ask for an enumeration: the answer is a whole item with its sub-items.
# Example: "规划引领有哪些要求", "工作重点是哪几点", "提了哪3点要求", "主要任务包括什么".
_LIST_QUESTION = re.compile(
    r"哪些|哪几|哪(?:\d+|[两三四五六七八九十]+)[个点项条件方大]|几个方面|几点|几项|包括什么"
    r"|有什么(?:任务|要求|措施|安排|举措)|主要任务"
)




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
    part: int | None = None  # a numbered part pointed at: "第二个问题" → 2 (see ordinals.py)

    def years_meant(self, document_year: int | None) -> set[int]:
        """The years the question is about, in a document speaking from document_year."""
        relative = {document_year + off for off in self.year_offsets} if document_year else set()
        return set(self.years) | relative


def importance(terms: list[str]) -> dict[str, float]:
    """How much each question word counts: generic request words (安排, 措施…) little, unless the
    question has nothing else ("有哪些任务")."""
    generic = rules.generic_words()
    if all(t in generic for t in terms):
        return dict.fromkeys(terms, 1.0)
    return {t: GENERIC_WEIGHT if t in generic else 1.0 for t in terms}


def parse_question(question: str) -> Query:
    part = referenced_part(normalize(question))
    words = question_terms(normalize(question).replace(part[1], " ") if part else question)
    own = list(dict.fromkeys(words))
    weight = importance(own)
    terms: dict[str, float] = {}
    for term in words:
        terms[term] = terms.get(term, 0.0) + weight[term]
    for term in own:
        if weight[term] < 1.0:
            continue  # related words of a generic word would only add noise
        for other in related_terms(term):
            if other not in terms:
                terms[other] = RELATED_WEIGHT
    normalized = normalize(question)
    offsets = tuple(sorted({off for word, off in RELATIVE_YEARS.items() if word in normalized}))
    return Query(
        text=question,
        terms=terms,
        own_terms=tuple(own),
        own_weights=tuple(weight[t] for t in own),
        year_offsets=offsets,
        is_list=bool(_LIST_QUESTION.search(normalized)),
        answer_type=wanted_type(normalized),
        years=tuple(sorted({int(y) for y in YEAR.findall(normalized)})),
        part=part[0] if part else None,
    )
