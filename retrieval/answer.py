"""Turn passage scores into an answer: a confident top passage or none, its highlight, its outline.

Ranking: BM25 finds candidates; each candidate is then judged by how much of the question
it holds (coverage: the share of the question's idf found in the passage and its heading
path, a related word counting as found) and by its best sentence (the share found in one
sentence). A fact is usually stated in one sentence, so a passage that answers in one
sentence beats one that mentions the same words far apart.

A question is answered only when one sentence of the top passage holds enough of what it
asks: "xx区有几家银行" finds passages about xx区 everywhere, but none holds 银行, the word
that carries the question, so there is no answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from itertools import islice
from operator import mul

import numpy as np

from retrieval.answer_types import (
    AnswerType,
    count_unlisted,
    has_answer_type,
    has_figure_in,
    reports_result,
    says_per_unit,
    says_time,
)
from retrieval.index import Entry, Index, numbered_depth
from retrieval.list_passage import list_passage
from retrieval.models import Document, Passage, Section
from retrieval.positions import BACK_MATTER, paragraph_points, sections_at, sections_below
from retrieval.question import REFERENCE_WEIGHT, Query
from retrieval.reply import NoAnswer, PassageAnswer
from retrieval.text.normalize import normalize
from retrieval.text.numerals import int_to_chinese, numeral_variants
from retrieval.text.places import places_named_by, provinces_named_by, things_named_in
from retrieval.text.sentences import SENTENCE_ENDS, clause_spans, phrase_spans, split_sentences
from retrieval.text.tokens import compound_parts, equivalent_terms, phrase_words, related_terms
from retrieval.text.years import RELATIVE_YEARS, YEAR, relative_words

# A bare name the library writes with one of these after it somewhere is a city or county's (昆明: 昆明市).
BARE_PLACE_SUFFIXES = ("市", "县", "州")
# A bare attachment heading, whose next line is its title (at most TITLE_LINE_MAX long, no
# sentence): "附件", "附件2：" / "包头市数字政府建设考评指标".
TITLE_LINE_MAX = 40
_BARE_ATTACHMENT = re.compile(r"(?:附件|附表|附录)\s*\d{0,2}[:：]?")
CANDIDATES = 12  # passages re-ranked after BM25 (10–30 measured the same on every question set)
COVERAGE_WEIGHT = 1.5
SENTENCE_WEIGHT = 3.0
HEADING_WEIGHT = 0.3
# A passage under a heading of another year ("2024年工作回顾") for a question about this year.
OTHER_YEAR_PENALTY = 0.5
# 今年/去年 without a year or a document named: the newest document's passage, unless another
# fits the question better by more than this: a tie-break, not a filter.
RECENT_WEIGHT = 0.05
# A position asked of no document in particular is looked for in at most this many documents.
MAX_POSITION_DOCUMENTS = 20
# Other documents answer too ("也见于") when their best passage answers and scores this share of
# the answer's score; at most MAX_ALSO of them are named.
ALSO_SHARE = 0.9
MAX_ALSO = 4
# A passage of a document the question names ("云南…"), times the share of the question that names it.
DOCUMENT_WEIGHT = 1.0
# A word whose idf is at least this share of the highest possible names a document fully.
NAME_RARITY = 0.5
PART_WEIGHT = 2.0  # under the numbered part the question points at ("第二个问题"), half as much
# unless the passage opens with that part's heading
# A section inside the part pointed at whose own heading holds this share of the question's
# words opens where the question points, as the part's heading does.
NAMED_SECTION_SHARE = 0.5
TYPE_WEIGHT = 0.4  # the best sentence holds the kind of answer asked for (a number, a time)
TYPE_BONUS = 0.1  # …which also outweighs a slightly better match when choosing the highlight
RELATED_CREDIT = 0.5  # a related word found counts half as much as the question's own word
# No answer when the best sentence of the top passage (read under its heading path) holds less
# than this share of the question's idf. A sentence rather than the whole passage: a passage
# that mentions 今年, 标准 and 提高 in three places does not answer "今年低保标准提高到多少".
MIN_SENTENCE_SHARE = 0.44
# A question asking how much or when ("富强机场什么时候通航") is answered by a sentence that
# holds a number or a time, or else by one that holds nearly all of the question: the
# passage about the airport's relocation does not say when it opens.
MIN_UNTYPED_SHARE = 0.7
# A list question is answered by a passage, not one sentence: "规划引领方面对产业布局、城建指标和
# 执法各提了什么要求" finds each part of the question in a different sentence of one passage.
# It also counts as answered when the passage (with its heading path) holds this much of it.
MIN_LIST_COVERAGE = 0.5
# A yes/no question ("外省牌照的车能不能参加") is answered by a sentence that says at least this
# share of the clause it asks whether (_whether_unsaid).
MIN_WHETHER_SHARE = 0.5


@dataclass(frozen=True)
class Judged:
    """A candidate passage with the evidence for ranking it."""

    position: int  # index into Index.entries
    bm25: float
    coverage: float  # share of the question in the passage and its heading path
    heading: float  # share of the question in the passage's own heading
    highlight: str
    sentence_share: float  # share of the question in the highlight sentence (with the heading path)
    typed: bool  # the highlight holds the kind of answer asked for
    other_year: bool  # its heading path is about another year than the question
    part_depth: int = 0  # level of the heading with the part number asked for (0: none)
    part_heading_here: bool = False  # and the passage opens with that heading
    score: float = 0.0  # rank_score against the best BM25 among the candidates, set by rank()

    def rank_score(self, best_bm25: float) -> float:
        return self.rank_score_with(best_bm25, self.sentence_share, self.typed)

    def rank_score_with(self, best_bm25: float, sentence_share: float, typed: bool) -> float:
        """rank_score had its best sentence that share of the question and that type."""
        return (self.bm25 / best_bm25 + COVERAGE_WEIGHT * self.coverage
                + SENTENCE_WEIGHT * sentence_share + HEADING_WEIGHT * self.heading
                + TYPE_WEIGHT * typed - OTHER_YEAR_PENALTY * self.other_year
                + PART_WEIGHT * (bool(self.part_depth) + self.part_heading_here) / 2)


@dataclass(frozen=True)
class Wanted:
    """What the question asks for: each of its words, with its idf and the forms that count.

    A form is the word itself (full credit) or a related word (RELATED_CREDIT). A year links
    to the document's own year (YearLink): 今年 counts as found where the year it means in that
    document appears, and "1981年" where a document of 1981 says 今年.
    """

    terms: tuple[tuple[float, tuple[tuple[str, float], ...], YearLink | None], ...]  # idf, forms, year
    total: float
    # Which words may name a document: not the generic request words ("办法" in "有哪些筹钱的
    #办法" does not name the 考评办法). Empty: all of them.
    naming: tuple[bool, ...] = ()
    # A compound word the question's other words tile (贷款额度 = 贷款 + 额度), as (its place, the
    # places of its parts): in a document that never writes the compound, it is found where all its
    # parts are ("助学贷款每人每年最高额度"). `compounds` are all of them, `parts` those in force
    # for the document asked (as_document_says).
    compounds: tuple[tuple[int, tuple[int, ...]], ...] = ()
    parts: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @classmethod
    def of(cls, query: Query, index: Index) -> Wanted:
        importances = _with_terse_reference(query, index)
        terms = tuple(
            (weight * importance, forms, link)
            for (weight, forms, link), importance in zip(
                (_wanted_term(t, index) for t in query.own_terms), importances, strict=True)
        )
        # A year asked of a report named by another ("2022年政府工作报告说2021年粮食产量多少") is
        # what that report speaks of; it names no document (the 2021 report's 2021 targets).
        asked = {str(year) for year in query.years_asked} if query.named_by_year else set()
        naming = tuple((w >= 1.0 and t not in asked) or t in query.naming_words
                       for t, w in zip(query.own_terms, query.own_weights, strict=True))
        # "助学贷款额度" is cut into 贷款额度 and its pieces 贷款, 额度, and also 款额, 贷款额, which
        # straddle them: those are no words of it, and count for nothing.
        compounds, straddling = compound_parts(query.own_terms)
        terms = tuple((0.0, forms, link) if n in straddling else (weight, forms, link)
                      for n, (weight, forms, link) in enumerate(terms))
        compounds = tuple((n, pieces) for n, pieces in compounds  # "北京地铁" is no compound: it names
                          if not any(index.documents_named_by(query.own_terms[i]) for i in pieces))
        return cls(terms, sum(weight for weight, _, _ in terms), naming, compounds=compounds)

    @cached_property
    def asked_of_document(self) -> dict[int, Wanted]:
        """The question as asked of each document's passages (asked_of_passage), as worked out."""
        return {}

    def naming_terms(self) -> Iterable[tuple[float, tuple[tuple[str, float], ...], YearLink | None]]:
        """The words that may name a document."""
        naming = self.naming or (True,) * len(self.terms)
        return (term for term, names in zip(self.terms, naming, strict=True) if names)

    def credits(self, text: str, year: int | None) -> tuple[float, ...]:
        """For each question word, the credit its best form found in normalized text earns."""
        forms, links = self._looked_for
        found = [0.0] * len(self.terms)
        for n, form, credit in forms:
            if credit > found[n] and form in text:
                found[n] = credit
        if year:
            for n, link in links:
                if link.found(text, year):
                    found[n] = 1.0
        for n, pieces in self.parts:
            if found[n] < 1.0 and all(found[i] > 0 for i in pieces):
                found[n] = max(found[n], min(found[i] for i in pieces))
        return tuple(found)

    @cached_property
    def _looked_for(self) -> tuple[tuple[tuple[int, str, float], ...], tuple[tuple[int, YearLink], ...]]:
        """Every word's forms, in order, as (word's place, form, credit), and the words' year links:
        credits() reads every sentence of every candidate, mostly for a few words (found_in)."""
        forms = tuple((n, form, credit) for n, (_, word_forms, _) in enumerate(self.terms)
                      for form, credit in word_forms)
        links = tuple((n, link) for n, (_, _, link) in enumerate(self.terms) if link is not None)
        return forms, links

    def share(self, credits: tuple[float, ...]) -> float:
        """Share of the question's idf that the credits stand for."""
        found = sum(map(mul, self.weights, credits))  # the same sum, in the same order, as term by term
        return found / self.total if self.total else 0.0

    @cached_property
    def weights(self) -> tuple[float, ...]:
        """Each word's idf, apart: share() is asked of every sentence of every candidate."""
        return tuple(weight for weight, _, _ in self.terms)

    def share_found(self, text: str, year: int | None) -> float:
        return self.share(self.credits(text, year))

    def within(self, named: frozenset[str]) -> Wanted:
        """The question as asked of one document: words that only name that document ("云南" of
        the Yunnan report, which says 全省) are not looked for in its passages. Years are kept:
        they also pick the part of a document (二、2022 年的重点工作)."""
        if not named or not any(_names(forms, link, named) for _, forms, link in self.terms):
            return self  # most passages: nothing to leave out, and nothing to build
        kept = tuple((0.0, forms, link) if _names(forms, link, named) else (weight, forms, link)
                     for weight, forms, link in self.terms)
        total = sum(weight for weight, _, _ in kept)
        return replace(self, terms=kept, total=total) if total else self

    def only(self, kept: tuple[bool, ...]) -> Wanted:
        """The question with only the words kept (the rest count as absent), if any has weight."""
        terms = tuple(t if keep else (0.0, t[1], t[2]) for t, keep in zip(self.terms, kept, strict=True))
        total = sum(weight for weight, _, _ in terms)
        return replace(self, terms=terms, total=total) if total and total < self.total else self

    def found_in(self, credits: tuple[float, ...]) -> Wanted:
        """Only the words with credit (the rest count as absent): less to look for in sentences."""
        kept = tuple(t if c > 0 else (t[0], (), None) for t, c in zip(self.terms, credits, strict=True))
        return Wanted(kept, self.total, self.naming, self.compounds, self.parts)


def as_document_says(wanted: Wanted, document: int, index: Index) -> Wanted:
    """The question as one document would say it: a word it never uses is found as its related
    words in full. "GDP" in a report that says 地区生产总值 though another report of the library
    writes GDP (which is why GDP counted as a word of the documents, its related words at half);
    a compound it never writes is found as its parts ("贷款额度": 贷款…额度)."""
    terms, changed = [], False
    for weight, forms, link in wanted.terms:
        if len(forms) > 1 and any(credit < 1.0 for _, credit in forms):
            using = index.documents_using(forms[0][0])
            if using is not None and document not in using:
                forms, changed = tuple((form, 1.0) for form, _ in forms), True
        terms.append((weight, forms, link))
    parts = tuple((n, pieces) for n, pieces in wanted.compounds
                  if wanted.terms[n][1] and _unused(wanted.terms[n][1][0][0], document, index))
    if parts != wanted.parts:
        return replace(wanted, terms=tuple(terms), parts=parts)
    return replace(wanted, terms=tuple(terms)) if changed else wanted


def _unused(term: str, document: int, index: Index) -> bool:
    """Whether the document never uses a word that some others use (a word in nearly every
    passage, 经济社会, is taken to be in every document)."""
    using = index.documents_using(term)
    return using is not None and document not in using


def asked_of_passage(wanted: Wanted, position: int, index: Index) -> Wanted:
    """The question as asked of a passage: without the names of its document (Wanted.within),
    in that document's words (as_document_says)."""
    document = int(index.document_of[position])
    asked = wanted.asked_of_document.get(document)
    if asked is None:  # the same for every passage of the document: worked out once
        asked = as_document_says(wanted.within(index.entries[position].named), document, index)
        wanted.asked_of_document[document] = asked
    return asked


def _names(forms: tuple[tuple[str, float], ...], link: YearLink | None, named: frozenset[str]) -> bool:
    return link is None and bool(forms) and forms[0][0] in named


@dataclass(frozen=True)
class YearLink:
    """A question word tied to a document's year: a relative year (今年: offset 0) is found as
    the year it means there, an absolute year (1981) as the relative word a document of a
    nearby year uses for it (今年 in the 1981 report, 去年 in a 1982 one)."""

    offset: int | None = None
    absolute: int | None = None

    def found(self, text: str, year: int) -> bool:
        if self.offset is not None:
            return str(year + self.offset) in text
        return self.absolute is not None and any(word in text for word in relative_words(self.absolute, year))


def _year_link(term: str) -> YearLink | None:
    if term in RELATIVE_YEARS:
        return YearLink(offset=RELATIVE_YEARS[term])
    if YEAR.fullmatch(term + "年"):
        return YearLink(absolute=int(term))
    return None


def _wanted_term(term: str, index: Index) -> tuple[float, tuple[tuple[str, float], ...], YearLink | None]:
    """A question word's weight and forms.

    When the documents never use the word but use a related one ("GDP" where they say
    生产总值), the related word is their way of saying it: it gets full credit, and the word
    weighs what that related word weighs rather than counting as an unknown word.
    """
    same = ((term, 1.0), *((v, 1.0) for v in sorted(numeral_variants(term))))  # 五年 = 5年
    related = sorted(related_terms(term))
    weights = {r: w for r in related if (w := _phrase_idf(r, index)) is not None}
    if index.seen(term) or not weights:
        names = equivalent_terms(term)  # another name of the thing is the thing: full credit
        forms = (*same, *((r, 1.0 if r in names else RELATED_CREDIT) for r in related))
        return index.idf(term), forms, _year_link(term)
    return min(weights.values()), (*same, *((r, 1.0) for r in related)), _year_link(term)


def _with_terse_reference(query: Query, index: Index) -> tuple[float, ...]:
    """The question's word weights, those of a terse document reference lowered: a first piece
    set apart by a space whose words all name loaded documents ("包头数字政府建设考评 多久考评一次")
    names the document, as "包头数字政府考评办法里…" would, and weighs REFERENCE_WEIGHT in the
    search (the rest of the question still holding a word of full weight): every sentence of the
    notice says 数字政府建设, and "每半年考评一次" is the answer."""
    lead, weights = query.leading, query.own_weights
    if not any(lead):
        return weights
    if not all(index.documents_named_by(t) for t, first in zip(query.own_terms, lead, strict=True) if first):
        return weights
    if not any(w >= 1.0 for w, first in zip(weights, lead, strict=True) if not first):
        return weights
    return tuple(min(w, REFERENCE_WEIGHT) if first else w for w, first in zip(weights, lead, strict=True))


def _phrase_idf(phrase: str, index: Index) -> float | None:
    """The idf of a word the documents use, or of a phrase whose every word they use, weighed by
    its rarest word ("社会消费品零售总额", cut into 社会, 消费品, 零售…); None if they use neither."""
    if index.seen(phrase):
        return index.idf(phrase)
    words = phrase_words(phrase)
    if words == (phrase,) or not all(index.seen(w) for w in words):
        return None
    return max(index.idf(w) for w in words)


@dataclass(frozen=True)
class Sentence:
    text: str
    share: float  # share of the question in the sentence, read under its heading path
    own_share: float  # share in the sentence alone
    typed: bool  # holds the kind of answer asked for (a number, a time)



def best_sentence(entry: Entry, wanted: Wanted, answer_type: AnswerType | None,
                  opening: str = "", unheaded: bool = False) -> Sentence:
    """The sentence that best answers: most of the question under its heading path; among
    equals, one with the kind of answer asked for, then the most of the question by itself.

    `wanted` should hold only the words found somewhere in the passage (Wanted.found_in).
    opening: the normalized lines the document opens with (opening_text); no sentence of them
    answers: "在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）" holds every word of a
    question naming that speech, and answers none of its questions.
    unheaded: the passage is of a document without headings (an encyclopedia entry, a note),
    and is read under its first sentence, which names what it is about as a heading would:
    "沼鹿（学名：…），又名泽鹿，是原住于印度及尼泊尔的鹿。" for the sentences on its habits.
    """
    sentences = [s for s in entry.sentences if not (opening and s[1] and s[1] in opening)]
    lead = sentences[0][1] if unheaded and sentences else ""
    return _best_of(sentences, f"{entry.path_text}\n{lead}", entry.year, wanted, answer_type)


@lru_cache(maxsize=1024)
def opening_text(title: str, header: tuple[str, ...]) -> str:
    """A document's title and header lines (Profile.header), normalized, one per line."""
    return "\n".join(normalize(line) for line in (title, *header))


def _best_of(sentences: Iterable[tuple[str, str]], path_text: str, year: int | None, wanted: Wanted,
             answer_type: AnswerType | None) -> Sentence:
    """best_sentence over (verbatim, normalized) sentences read under a normalized heading path."""
    in_path = wanted.credits(path_text, year)
    best, best_key = None, (-1.0, -1.0)
    for sentence, normalized in sentences:
        own = wanted.credits(normalized, year)
        typed = has_answer_type(normalized, answer_type)
        if not any(own) and best is not None and not typed:
            continue  # holds nothing of the question: cannot beat the sentence already found
        share, own_share = wanted.share(tuple(map(max, in_path, own))), wanted.share(own)
        key = (round(share + TYPE_BONUS * typed, 9), round(own_share, 9))
        if key > best_key:
            best, best_key = Sentence(sentence, share, own_share, typed), key
    return best or Sentence("", 0.0, 0.0, False)


def judge(query: Query, wanted: Wanted, position: int, bm25: float, index: Index,
          at_position: Section | None = None, resolved: bool = False) -> Judged:
    """resolved: the question's position was found in the documents ("第三部分第（二）项",
    "最后一部分"); at_position is then the section at that position this passage opens, if it does."""
    return judge_passage(query, wanted, position, bm25, index, at_position, resolved).finish(query, index)


# A judged candidate's score, had its best sentence that share of the question and that type.
Scoring = Callable[[Judged, float, bool], float]


@dataclass(frozen=True)
class PassageJudged:
    """A candidate judged on all but its best sentence, which is most of the cost of judging:
    rank looks for it only in the candidates whose score could still matter (best_possible)."""

    judged: Judged  # no highlight, sentence_share or typed yet
    held: Wanted  # the question's words, those the passage does not hold counting as absent
    pointed: bool  # the question points at a numbered part or a position
    in_part: bool  # and the passage is in it
    at_heading: str = ""  # the heading of the section at the position asked, which the passage opens

    def finish(self, query: Query, index: Index, score: Scoring | None = None) -> Judged:
        """Judged with its best sentence, and its score if given how to score it."""
        entry = index.entries[self.judged.position]
        profile = index.documents[entry.chunk.doc].profile
        header = profile.header if profile else ()
        opening = "" if entry.chunk.path else opening_text(entry.title, header)  # before any heading
        sentence = best_sentence(entry, self.held, query.answer_type, opening)
        share = _with_part(sentence.share, self.pointed, self.in_part, self.held.total)
        value = score(self.judged, share, sentence.typed) if score else 0.0
        if self.pointed and self.judged.part_heading_here:
            # It opens the part pointed at ("第三部分第六点是啥"): that part's heading says what it
            # is ("第六，不失时机抓好春季农业生产。"), not the sentence holding most of its words.
            heading = _heading_sentence(entry, self.judged.part_depth, self.at_heading)
            sentence = replace(sentence, text=heading or sentence.text)
        if not index.documents[entry.chunk.doc].sections:
            # Ranked as read alone, quoted and judged as read under its first sentence.
            sentence = best_sentence(entry, self.held, query.answer_type, opening, unheaded=True)
            share = _with_part(sentence.share, self.pointed, self.in_part, self.held.total)
        return replace(self.judged, highlight=sentence.text, sentence_share=share, typed=sentence.typed,
                       score=value)

    def best_possible(self, query: Query) -> tuple[float, bool] | None:
        """The best sentence it could have, as (sentence_share, typed): one holding, in full,
        every word of the question the passage holds, and the kind of answer asked for. The
        rank_score_with them is at least that of finish() (the score only grows with the
        sentence's share and type, and so do its floating-point sums); None if the question's
        words do not all weigh ≥ 0 (no such bound)."""
        if any(weight < 0 for weight, _, _ in self.held.terms):
            return None
        share = self.held.share(tuple(1.0 if forms or link else 0.0 for _, forms, link in self.held.terms))
        return _with_part(share, self.pointed, self.in_part, self.held.total), query.answer_type is not None


def _heading_sentence(entry: Entry, depth: int, heading: str = "") -> str | None:
    """The passage's sentence that opens with the heading at that depth of its path (its own
    heading for 0), or with the heading given (a short article the passage holds as a line of
    its chapter: "第六条 市场主体登记实行告知承诺制…"), verbatim; None if its path is not that
    deep or no sentence does."""
    path = entry.chunk.path
    if not heading:
        if not path or depth > len(path):
            return None
        heading = path[depth - 1 if depth else -1]
    heading = normalize(heading)[:12]
    return next((verbatim for verbatim, normalized in entry.sentences if normalized.startswith(heading)),
                None)


def _with_part(share: float, pointed: bool, in_part: bool, total: float) -> float:
    """A numbered part asked for ("第二个问题") weighs as much as all the question's words."""
    if not pointed:
        return share
    return (share + in_part) / 2 if total else float(in_part)


def judge_passage(query: Query, wanted: Wanted, position: int, bm25: float, index: Index,
                  at_position: Section | None = None, resolved: bool = False,
                  inline_items: bool = False, point: str | None = None) -> PassageJudged:
    """A candidate judged on all but its best sentence (see judge). inline_items: no heading of its
    document is at the position asked, which may then be an item the passage lists inline; point:
    the opening sentence of the paragraph the position asked is (_point_candidates)."""
    entry = index.entries[position]
    years = query.years_meant(entry.year)
    in_passage = wanted.credits(entry.matchable, entry.year)
    if resolved:
        in_part = at_position is not None
    else:
        # "第四部分" is the shallowest part so numbered, not a 第四， inside 三、
        in_part = query.part is not None and query.part in entry.path_numbers and (
            not query.part_is_top
            or numbered_depth(entry.path_numbers, query.part) == index.shallowest_depth(position, query.part))
    pointed = query.part is not None or resolved
    # "五个突破第二个是啥": a position no heading has, asked of a passage that lists its items inline
    # ("“五个突破”:一是项目工作取得新突破。…二是工业发展取得新突破。…").
    inline = point or (_inline_item(entry, query) if inline_items and query.position else None)
    if inline:
        in_part = pointed = True
    heading = wanted.share_found(entry.own_heading, entry.year)
    # "第二部分基础配套这块": the section of the part that the question's words name is where it
    # points, as much as the part's own opening ("二是进一步加强基础配套" under "二、…").
    named_within = in_part and heading >= NAMED_SECTION_SHARE and _opens_its_section(entry)
    return PassageJudged(Judged(
        position=position,
        bm25=bm25,
        coverage=_with_part(wanted.share(in_passage), pointed, in_part, wanted.total),
        heading=heading,
        highlight="",
        sentence_share=0.0,
        typed=False,
        other_year=bool(years and entry.path_years and not years & entry.path_years),
        part_depth=at_position.level if at_position else len(query.position) if point else (
            entry.path_numbers.index(query.part) + 1 if in_part and query.part and not inline else 0),
        part_heading_here=at_position is not None or named_within or bool(inline)
        or (in_part and _opens_with_numbered_heading(entry, query.part or 0)),
    ), wanted.found_in(in_passage), pointed, in_part, at_position.heading if at_position else (inline or ""))


def _inline_item(entry: Entry, query: Query) -> str | None:
    """The sentence of the passage that opens with the item marker at the position asked ("二是…",
    "七要…"), when the passage lists such items inline (a neighbour's marker is in it too), or
    None. Not for a part ("第二部分"): that is a heading."""
    if len(query.position) != 1 or query.position[0] < 1 or query.part_is_top:
        return None
    for nth, neighbours in _item_markers(query.position[0], query.item_marker[-1:] or "是要"):
        if not any(marker in entry.matchable for marker in neighbours):
            continue
        for verbatim, normalized in entry.sentences:
            if normalized.startswith(nth):
                return verbatim
    return None


@lru_cache(maxsize=64)
def _item_markers(number: int, styles: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each style (是, 要), the marker of item `number` ("二是") and of its neighbours and the
    first ("一是", "三是"): worked out once, not for every candidate passage."""
    others = sorted({number - 1, number + 1, 1} - {number, 0})
    return tuple((f"{int_to_chinese(number)}{style}", tuple(f"{int_to_chinese(k)}{style}" for k in others))
                 for style in styles)


def _opens_its_section(entry: Entry) -> bool:
    """The passage is the first of its section: it starts with its own heading."""
    return bool(entry.chunk.path) and entry.chunk.text.startswith(entry.chunk.path[-1][:10])


def _opens_with_numbered_heading(entry: Entry, number: int) -> bool:
    """The passage starts with the heading numbered `number` itself (its first passage)."""
    heading = entry.chunk.path[entry.path_numbers.index(number)]
    return entry.chunk.text.startswith(heading[:10])


def rank(query: Query, wanted: Wanted, index: Index, docs: tuple[str, ...] | None = None,
         named: dict[int, float] | None = None, keep: int = CANDIDATES) -> list[Judged]:
    """Candidates in answer order, best first, each with its score, from the documents `docs`
    only if given; named: named_documents, if already known.

    Only the candidates that can matter to the answer are listed: the best `keep`, and any
    other that could score ALSO_SHARE of the best (answered_elsewhere). Finding a passage's best
    sentence is most of the cost of judging it, so candidates are finished best bound first
    (PassageJudged.best_possible) until no other can reach those. The BM25 candidates are found
    without scoring every passage (Index.scoring): the same passages and scores as from all of them.
    """
    scoring = index.scoring(query)
    if docs is not None and len(docs) > 1:
        asked = np.zeros(len(index.document_names), dtype=bool)
        asked[[index.document_names.index(name) for name in docs]] = True
        scores = dict(scoring.best(CANDIDATES, documents=asked))
    else:
        scores = dict(scoring.best(CANDIDATES, within=index.passages_of(docs[0]) if docs else None))
    if named is None:
        named = named_documents(wanted, index)
    if named and docs is None:  # the passages of the documents the question names are candidates too
        most_named = _most_named(named, len(index.document_names))
        for position, value in scoring.best(CANDIDATES, documents=most_named):
            scores.setdefault(position, value)
    order = list(scores)
    order += [i for i in _part_candidates(query, index, docs, named) if i not in scores]
    at_position = _position_candidates(query, wanted, index, docs, named, order)
    order += [i for i in at_position if i not in order]
    points = {} if at_position or len(query.position) < 2 else _point_candidates(
        query, index, _position_documents(index, docs, named, order))
    order += [i for i in points if i not in order]
    if not order:
        return []
    others = order[len(scores):]  # found by their place, not their words: scored now
    scores.update(zip(others, scoring.at(np.array(others, dtype=np.int64)).tolist(), strict=True))
    positioned = {int(index.document_of[i]) for i in at_position}
    candidates = [judge_passage(query, asked_of_passage(wanted, i, index), i, scores[i], index,
                                at_position.get(i) if at_position else None, bool(at_position),
                                int(index.document_of[i]) not in positioned, points.get(i))
                  for i in order]
    best = max(c.judged.bm25 for c in candidates) or 1.0
    newest = _newest_asked(query, named, [c.judged for c in candidates], index)

    def score(j: Judged, sentence_share: float, typed: bool) -> float:
        return (j.rank_score_with(best, sentence_share, typed)
                + DOCUMENT_WEIGHT * named.get(_document(j, index), 0.0)
                + RECENT_WEIGHT * (index.entries[j.position].year == newest))

    bounds = []
    for candidate in candidates:
        bound = candidate.best_possible(query)
        bounds.append(math.inf if bound is None else score(candidate.judged, *bound))
    finished: dict[int, Judged] = {}  # by place in order
    for n in sorted(range(len(candidates)), key=lambda n: -bounds[n]):
        if len(finished) >= keep:
            found = sorted((j.score for j in finished.values()), reverse=True)
            if bounds[n] < min(found[keep - 1], ALSO_SHARE * found[0]):
                break  # nor can any candidate after it: they are bound no higher
        finished[n] = candidates[n].finish(query, index, score)
    # Among passages in the part asked for, the shallowest heading ("第二个问题" itself) first.
    return sorted((finished[n] for n in sorted(finished)), key=lambda j: (-j.score, j.part_depth or 99))


def _most_named(named: dict[int, float], documents: int) -> np.ndarray:
    """Mask over the document numbers: the documents the question names the most (several may tie).

    Indexed by Index.document_of it marks their passages: one gather, where np.isin would sort."""
    best = max(named.values())  # once: within the comprehension it made a question naming 300 documents slow
    mask = np.zeros(documents, dtype=bool)
    mask[[d for d, share in named.items() if share == best]] = True
    return mask


def _newest_asked(query: Query, named: dict[int, float], judged: list[Judged], index: Index) -> int | None:
    """The year of the newest candidate document, when the question says 今年/去年 but names no
    year and no document: "今年GDP增长目标" asked of several years' reports means the latest."""
    if not query.year_offsets or query.years or named:
        return None
    years = [index.entries[j.position].year for j in judged]
    return max((y for y in years if y is not None), default=None)


def _document(judged: Judged, index: Index) -> int:
    return int(index.document_of[judged.position])


def named_documents(wanted: Wanted, index: Index, by_years: bool = True) -> dict[int, float]:
    """How much of the question names each document (by its title, place, speaker, kind or short
    names), as a share of the question's idf: "云南今年粮食产量目标" names the Yunnan report.
    Only documents named at all are listed; with one document loaded, none is. by_years=False:
    by its words other than years ("2021年开工建设了哪些重点项目" names no 2021 report).

    They are listed in the order the question's words name them (it orders position candidates). A
    word naming every document (年, 报告 in every title) names each by a share of 0: it is read only
    to place first the listed documents it names before another word does, not once per document
    of thousands on every question."""
    if len(index.document_names) < 2 or not wanted.total:
        return {}
    total = len(index.document_names)
    rare = NAME_RARITY * math.log(len(index) + 1)  # the idf of a word held by few passages
    shares: list[tuple[set[int], float]] = []
    for weight, forms, link in wanted.naming_terms():
        if link is not None and not by_years:
            continue
        named = index.documents_named_by(forms[0][0]) if weight and forms else set()
        # A word naming one document of many names it fully, 报告 (every report) none; and a
        # word every passage uses (发展 in a title about 经济社会发展) names little.
        rarity = min(1.0, index.idf(forms[0][0]) / rare) if named else 0.0
        share = rarity * math.log(total / len(named)) / math.log(total) if named else 0.0  # each document's
        shares.append((named, share))
    listed = set().union(*(named for named, share in shares if share > 0))
    found: dict[int, float] = {}
    for named, share in shares:
        if share > 0:
            for number in named:
                found[number] = found.get(number, 0.0) + share
        elif len(found) < len(listed):  # adds nothing (x + 0.0 == x), but may name a listed one first
            for number in named:
                if number in listed and number not in found:
                    found[number] = 0.0
    return {number: min(share, 1.0) for number, share in found.items() if share > 0}


def _position_candidates(query: Query, wanted: Wanted, index: Index, docs: tuple[str, ...] | None,
                         named: dict[int, float], found_by_words: list[int]) -> dict[int, Section]:
    """The passages opening the sections a position points at (passage → the section),
    in the documents asked, else the documents named, else those whose passages the question's
    words found, else the first MAX_POSITION_DOCUMENTS: "报告最后一部分讲了啥" → the last part
    of each report. Only for positions the heading numbers alone do not find: a path of two
    steps or more, a count from the end, or a single number without 第 ("（八）讲的啥")."""
    position = query.position
    if not position:
        return {}
    names = _position_documents(index, docs, named, found_by_words)
    # "政府自身建设的第三条" counts inside the section so named; so does "包头考评指标第四大项",
    # without a link, inside an attachment its title line names ("附件" / "包头市数字政府建设考评指标").
    inside = _inside_topics(query, wanted, index, names, attachments_only=not query.topic_first)
    if inside:
        return inside
    if (len(position) == 1 and position[0] > 0 and query.part is not None and query.list_size is None
            and index.under_number(query.part)):
        return {}
    found: dict[int, Section] = {}
    for name in names:
        sections = sections_at(index.documents[name], position, query.list_size)
        _add_openings(found, sections, name, query, index)
    return found


def _position_documents(index: Index, docs: tuple[str, ...] | None, named: dict[int, float],
                        found_by_words: list[int]) -> list[str]:
    """The documents a position is looked for in (see _position_candidates)."""
    if docs is not None:
        return list(docs)
    if named:
        best = max(named.values())
        return [index.document_names[d] for d, share in named.items() if share == best]
    if found_by_words:
        return list(dict.fromkeys(index.entries[i].chunk.doc for i in found_by_words))
    return list(index.document_names[:MAX_POSITION_DOCUMENTS])


def _point_candidates(query: Query, index: Index, names: Iterable[str]) -> dict[int, str]:
    """For a path whose last step no heading has ("（十一）下面第一点"), the passage opening each
    section at the rest of the path that has no numbered parts but points as paragraphs
    (positions.paragraph_points), with the opening sentence of the point asked."""
    position = query.position
    if len(position) < 2:
        return {}
    found: dict[int, str] = {}
    for name in names:
        document = index.documents[name]
        if sections_at(document, position, query.list_size):
            continue
        for section in sections_at(document, position[:-1], query.list_size):
            opening = index.opening(name, section.id)
            if opening is None or document.children(section.id):
                continue
            points = paragraph_points(index.entries[opening].chunk.text)
            step = position[-1]
            if points and -len(points) <= step <= len(points) and step:
                found[opening] = points[step - 1 if step > 0 else step]
    return found


def _add_openings(found: dict[int, Section], sections: Iterable[Section], name: str, query: Query,
                  index: Index) -> None:
    """Add the passage opening each section (passage → the section) that is headed by
    the item marker asked for, if any ("二是讲的啥": 二是…, not 二、 nor （二）)."""
    document = index.documents[name]
    if query.span > 1:  # "九个方面里前三个是啥": the list they are items of, quoted with its items
        parents = dict.fromkeys(s.parent for s in sections if s.parent is not None)
        sections = [document.sections[i] for i in parents]
    for section in sections:
        if section.heading.startswith(query.item_marker):
            opening = index.opening(name, section.id)
            if opening is not None:
                found.setdefault(opening, section)


def _inside_topics(query: Query, wanted: Wanted, index: Index, names: list[str],
                   attachments_only: bool = False) -> dict[int, Section]:
    """For a question naming what it points into ("政府自身建设的第三条"), the sections at the
    position counted inside each section whose own heading holds NAMED_SECTION_SHARE of the
    question ("三、全面加强政府自身建设" → its "三是坚持依法行政…"), not that section itself,
    though it may be third too. attachments_only: only attachments, each named by its heading
    and title line (a question naming one with no link: "包头考评指标第四大项")."""
    found: dict[int, Section] = {}
    for name in names:
        document = index.documents[name]
        for topic in document.sections:
            title = _title_line(document, topic)
            if attachments_only and not title:
                continue
            opening = index.opening(name, topic.id)
            children = document.children(topic.id)
            if opening is None or not children:
                continue
            if query.list_size and len(children) != query.list_size:
                continue  # "重点任务9个方面第七个" does not count in an attachment of 10 惠民实事
            asked = wanted.within(index.entries[opening].named).only(query.before_position)
            named_as = normalize(topic.heading + title)
            if asked.share_found(named_as, document.year) < NAMED_SECTION_SHARE:
                continue
            if title and not _names_apart(asked, named_as, normalize(document.title)):
                continue  # "考评办法正文第四部分": words of the document's own title name no attachment
            _add_openings(found, sections_below(document, topic, query.position), name, query, index)
    return found


def _names_apart(wanted: Wanted, named_as: str, document_title: str) -> bool:
    """Whether a question word found in an attachment's name is not in its document's title
    ("包头考评指标…": 指标, in "包头市数字政府建设考评指标", not in "…考评办法")."""
    return any(weight > 0 and any(form in named_as and form not in document_title for form, _ in forms)
               for weight, forms, _ in wanted.terms)


def _title_line(document: Document, section: Section) -> str:
    """The line under a bare back-matter heading that names what it is ("附件" / "包头市数字政府
    建设考评指标"), or ""."""
    if section.kind != BACK_MATTER or not _BARE_ATTACHMENT.fullmatch(normalize(section.heading)):
        return ""
    end = document.text.find("\n", section.body_start)
    line = document.text[section.body_start:end if end >= 0 else None].strip()
    return line if 0 < len(line) <= TITLE_LINE_MAX and not any(c in line for c in SENTENCE_ENDS) else ""


def _part_candidates(query: Query, index: Index, docs: tuple[str, ...] | None,
                     named: dict[int, float]) -> list[int]:
    """Passages under a heading numbered as the question asks ("第六条" → "六、…"), shallowest first,
    in the documents asked, else in the documents the question names most ("包头考评指标第五部分":
    not the 五、 of every report in the library), else in any."""
    if query.part is None:
        return []
    found = (i for _, i in index.under_number(query.part))
    if docs is not None:
        found = (i for i in found if index.entries[i].chunk.doc in docs)
    elif named:
        best = max(named.values())
        asked = {d for d, share in named.items() if share == best}
        found = (i for i in found if int(index.document_of[i]) in asked)
    return list(islice(found, CANDIDATES))


def _quotes_section(query: Query) -> bool:
    """Whether the answer quotes a section with its items (list_passage): for a list question,
    and for one pointing at a part ("十条方针里第五条讲的什么"), whose heading and lead-in alone
    ("五、分批进行企业的全面整顿…当前要特别注意做好以下四项工作：") leave out what it says."""
    return query.is_list or query.part is not None or bool(query.position)


def to_passage(judged: Judged, query: Query, wanted: Wanted, index: Index) -> Passage:
    entry = index.entries[judged.position]
    path, text, outline, highlight = entry.chunk.path, entry.chunk.text, entry.chunk.outline, judged.highlight
    section = entry.chunk.section
    quotes_section = _quotes_section(query)
    if quotes_section:
        expanded = list_passage(index.documents[entry.chunk.doc], entry.chunk,
                                lambda heading: wanted.share_found(normalize(heading), None), highlight,
                                part_asked=judged.part_depth > 0)
        if expanded:
            path, text, outline, section = expanded.path, expanded.text, expanded.outline, expanded.section
            if highlight not in text:
                sentences = [(s, normalize(s)) for s in split_sentences(text)]
                highlight = _best_of(sentences, normalize(" ".join(path)), entry.year, wanted,
                                     query.answer_type).text
    return Passage(
        doc=entry.chunk.doc,
        section=path,
        text=text,
        highlight=highlight,
        outline=outline if quotes_section else (),
        score=judged.score,
        title=entry.title,
        section_id=section,
    )


def _answers(best: Judged, query: Query, index: Index) -> bool:
    """Whether the top passage answers the question, or there is no answer."""
    if best.other_year or not _holds_years_asked(best, query, index):
        return False
    if query.unit and not has_figure_in(index.entries[best.position].matchable, query.unit):
        return False  # "火神山医院有多少张床位": no figure in 张 in the passage
    if query.which_time and not says_time(normalize(best.highlight), query.which_time):
        return False  # "申办第十六届全国运动会，计划哪一年办": "申办第十六届全国运动会。"
    if query.per_unit and not says_per_unit(normalize(best.highlight), query.per_unit):
        return False  # "农资补贴每亩地多少钱": "对种粮农民一次性发放200亿元补贴。"
    if query.target and reports_result(index.entries[best.position].path_text, normalize(best.highlight)):
        return False  # "县长讲话里明年GDP增长目标定了多少": last year's "国内生产总值19.5亿元,增长15.6%"
    if best.sentence_share < MIN_SENTENCE_SHARE:
        return query.is_list and best.coverage >= MIN_LIST_COVERAGE
    return best.typed or query.answer_type is None or best.sentence_share >= MIN_UNTYPED_SHARE


def _referenced(query: Query, wanted: Wanted, index: Index, said: str = "") -> dict[int, float]:
    """The documents the question says it asks: by the reference it opens with ("西藏报告里…")
    or by a short name of a document ("云南…", "包头…"), not by years nor by other words its
    title happens to share ("去年经济社会发展取得了哪些成绩" is no question about the speech on
    统筹推进疫情防控和经济社会发展). said: the normalized text of the answer's passage; a short
    name it says is what the passage is about, no reference ("党中央哪天要求湖北省对人员外流实施
    全面严格管控" is asked of the speech that says so, not of Hubei's report)."""
    if len(index.document_names) < 2:
        return {}
    naming = tuple(bool(forms) and (forms[0][0] in query.naming_words or (
        forms[0][0] in index.alias_words and forms[0][0] not in said)) for _, forms, _ in wanted.terms)
    if not any(naming):
        return {}
    return named_documents(replace(wanted, naming=naming), index, by_years=False)


def _from_named(best: Judged, named: dict[int, float], index: Index) -> bool:
    """Whether the answer is from a document the question names in full, if it names one so:
    "县经济工作会议讲话里全县粮食总产量是多少万吨" is not answered by a provincial report. Years
    are no such name: "2018年那次研讨班上列了多少风险" is about a 2020 speech."""
    if not named or max(named.values()) < 1.0:
        return True
    return named.get(_document(best, index), 0.0) >= 1.0


_RUN = re.compile(r"[0-9a-z.\-]+")
_CODE = re.compile(r"(?=[0-9a-z-]*[a-z])(?=[0-9a-z-]*\d)[0-9a-z-]{3,}")  # m101, g318; not pm2.5


def _names_an_unknown_code(query: Query, index: Index) -> bool:
    """Whether the question names a thing by a code no passage uses: "北京地铁M101线今年能通车不"
    is about a line the report never mentions. A code of letters and digits has no other name
    to be said by; its neighbours (地铁, 通车) would find a passage about something else. Codes
    with a decimal point (PM2.5) are measures, cut differently in different sentences."""
    codes = (run for run in _RUN.findall(normalize(query.text)) if _CODE.fullmatch(run))
    return any(not index.seen(code) and not all(map(index.seen, phrase_words(code))) for code in codes)


def _about_something_else(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether the answer is about another place or thing than the question names (the places
    it names are looked up once for both checks)."""
    places = _places_asked(query, index)
    return (_names_another_place(best, query, index, places)
            or _figure_of_something_else(best, query, wanted, index, places))


def _names_another_place(best: Judged, query: Query, index: Index, places: list[tuple[str, str]]) -> bool:
    """Whether the question names a city or county that the answer's passage never mentions,
    and that does not name the answer's document: "广东省政府工作报告里深圳市2024年GDP是多少" is
    not answered by the province's figure, "包头市数字政府建设考评办法的文号" is answered by the
    Baotou notice, which says 全市. A city is named by its full name (深圳市), or by its bare
    name where the library writes it in full somewhere: "昆明地铁6号线什么时候通车" is not
    answered by Beijing's 6号线 when the Yunnan report speaks of 昆明市. A province counts when
    no document is of it: a provincial report does not name its own province (全省), but another
    province's figures are not its own."""
    entry = index.entries[best.position]
    if any(word not in entry.matchable and not index.documents_named_by(word)
           for word in provinces_named_by(query.own_terms)):
        return True  # "上海市2025年政府工作报告 GDP增长目标多少" with no Shanghai report loaded
    return any(stem not in entry.matchable and word not in entry.named and stem not in entry.named
               for word, stem in places)


# The pieces of a passage a figure is read in (retrieval/text/sentences.py). A clause names the
# place its figure is of ("武汉在副省级城市中增速靠前，襄阳、宜昌经济总量突破6000亿元"); a facility's
# figure may come a clause after its name ("鄂州花湖机场开通国际国内货线91条，货邮吞吐量达到128万吨"),
# so a sentence.
Pieces = Callable[[str], Iterable[tuple[int, int]]]


@dataclass(frozen=True)
class _Subject:
    """A place or thing a quantity is asked of: the words that name it in a passage, the question's
    words that are its name (not what is asked of it), the pieces its figure is read in."""

    names: tuple[str, ...]
    said_as: str
    pieces: Pieces


def _figure_of_something_else(best: Judged, query: Query, wanted: Wanted, index: Index,
                              places: list[tuple[str, str]]) -> bool:
    """Whether a quantity asked of a city, county, project or facility comes, in the answer's
    passage, only with other ones:
    - "湖北报告里武汉市去年地区生产总值多少" is not answered by the province's "地区生产总值…60013
      亿元" in a passage that says "武汉在副省级城市中增速靠前" elsewhere;
    - "深中通道总投资是多少亿" is not answered by the 总投资 of 142 other projects in a passage
      that names 深中通道 elsewhere.
    Some clause (a place's) or sentence (a thing's) must hold its name, a figure (in the unit
    asked) and a word of what is asked ("…武汉…生产总值…亿元"), unless the passage opens with it,
    as one about it does ("固始站现有18趟列车…"). A place that names the document (全市 of the
    Baotou notice) asks nothing of this kind."""
    if query.answer_type is not AnswerType.QUANTITY:
        return False
    entry = index.entries[best.position]
    subjects = _subjects_asked(query, entry, index, places)
    if not subjects:
        return False
    opening = entry.matchable[: entry.matchable.find("。", entry.path_length) + 1 or None]
    asked = asked_of_passage(wanted, best.position, index)
    for subject in subjects:
        if any(name in opening for name in subject.names):
            continue
        topic = [forms for (weight, forms, link), term in zip(asked.terms, query.own_terms, strict=True)
                 if weight > 0 and link is None and term not in subject.said_as
                 and not any(name in term for name in subject.names)]
        if not any(any(name in piece for name in subject.names) and _holds_figure(piece, query)
                   and (not topic or any(form in piece for forms in topic for form, _ in forms))
                   for piece in (entry.matchable[a:b] for a, b in subject.pieces(entry.matchable))):
            return True
    return False


def _subjects_asked(query: Query, entry: Entry, index: Index,
                    places: list[tuple[str, str]]) -> list[_Subject]:
    """The places and things the question asks a quantity of, as the passage would name them: a
    place by its name without the suffix (武汉), a thing by its rare words the passage holds
    (深中通道 → 深中通道; not 环境 nor 治理 of 傅家河环境治理工程, which many passages use)."""
    subjects = [_Subject((stem,), word, phrase_spans) for word, stem in places
                if word not in entry.named and stem not in entry.named]
    rare = NAME_RARITY * math.log(len(index) + 1)
    for thing in things_named_in(normalize(query.text)):
        names = tuple(term for term, weight in zip(query.own_terms, query.own_weights, strict=True)
                      if weight > 0 and len(term) >= 2 and term in thing and term in entry.matchable
                      and index.idf(term) >= rare)
        if names:
            subjects.append(_Subject(names, thing, clause_spans))
    return subjects


# Words that specify no kind of thing: question words, 之前 / 之后, and a measure word a count
# glues to the next word ("多少个省重点建设项目" → 个省).
_NO_SPECIFIER = ("之", "几", "哪", "多少", "什么")
_COUNTED = r"(?:多少|几|[0-9一二三四五六七八九十两])"


def _of_another_kind(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether a quantity asked of one thing of a kind ("个税起征点") is given, in the answer's
    sentence, of another of that kind ("增值税起征点": another word ending in 税 right before
    起征点), and the passage never names the one asked (个税, nor 个人所得税). The thing (起征点) and
    the word that specifies it are rare words of the library, written together in the question;
    the one before it in the sentence shares its last character (the kind: 税) and no other
    ("第二轮土地承包" is the 农村土地承包 asked, "老年人免费接种" the 老人免费 asked)."""
    if query.answer_type is not AnswerType.QUANTITY:
        return False
    entry = index.entries[best.position]
    text, sentence = normalize(query.text), normalize(best.highlight)
    rare = NAME_RARITY * math.log(len(index) + 1)
    terms = query.own_terms
    for n, specifier in enumerate(terms):
        if not _specifies(specifier, wanted.terms[n], query, text, entry, index, rare):
            continue
        forms = wanted.terms[n][1]
        for k in range(n + 1, len(terms)):
            thing, (weight, _, link) = terms[k], wanted.terms[k]
            if (weight <= 0 or link is not None or len(thing) < 2 or specifier + thing not in text
                    or index.idf(thing) < rare):
                continue
            at = sentence.find(thing)
            before = sentence[max(at - 3, 0):at]
            if at > 0 and any(before[-1:] == form[-1] and not set(form[:-1]) & set(before)
                              for form, _ in forms):
                return True
    return False


def _specifies(word: str, term: tuple[float, tuple[tuple[str, float], ...], YearLink | None], query: Query,
               text: str, entry: Entry, index: Index, rare: float) -> bool:
    """Whether a question word may specify a thing (个税 of 个税起征点) and the passage lacks it;
    text: the question, normalized."""
    weight, forms, link = term
    if weight <= 0 or link is not None or len(word) < 2 or any(form in entry.matchable for form, _ in forms):
        return False
    idfs = [index.idf(form) for form, _ in forms if index.seen(form)]
    return (bool(idfs) and max(idfs) >= rare and not word.startswith(_NO_SPECIFIER)
            and not re.search(_COUNTED + re.escape(word), text)
            and word not in query.naming_words and word not in index.alias_words
            and not index.documents_named_by(word))


def _holds_figure(piece: str, query: Query) -> bool:
    """Whether a piece of a passage holds a figure, in the unit asked if the question asks one."""
    return has_figure_in(piece, query.unit) if query.unit else has_answer_type(piece, AnswerType.QUANTITY)


def _count_unlisted(query: Query, passage: Passage) -> bool:
    """Whether the question asks for a count of items ("哪十项") and the passage's best sentence
    names that count without listing them, nor do they follow in the quote: "河南十项重点民生实事
    具体是哪十项" is not answered by "办好十项重点民生实事，着力解决群众的急难愁盼问题。"."""
    if not query.count:
        return False
    sentence, text = normalize(passage.highlight), normalize(passage.text)
    at = text.find(sentence)
    return count_unlisted(sentence, text[at + len(sentence):] if at >= 0 else "", query.count)


def _whether_unsaid(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether the answer's sentence, read with its passage's opening (which names what a passage
    is about), says less than MIN_WHETHER_SHARE of the clause a yes/no question asks whether:
    "河南汽车以旧换新，外省牌照的车能不能参加" is not answered by "汽车以旧换新超40万辆", which says
    nothing of 外省牌照; "3岁以下婴幼儿照护费用能不能抵个税" is, by "将3岁以下婴幼儿照护费用纳入个人
    所得税专项附加扣除"."""
    if not any(query.whether):
        return False
    asked = asked_of_passage(wanted, best.position, index)
    clause = asked.only(query.whether)
    if clause is asked and not all(query.whether):
        return False  # no word of the clause weighs anything
    entry = index.entries[best.position]
    opening = entry.matchable[: entry.matchable.find("。", entry.path_length) + 1 or None]
    return clause.share_found(opening + normalize(best.highlight), entry.year) < MIN_WHETHER_SHARE


def _places_asked(query: Query, index: Index) -> list[tuple[str, str]]:
    """(word, its name without the suffix) of each city or county the question names."""
    full = places_named_by(query.own_terms)
    bare = [(word, word) for word in query.own_terms
            if len(word) >= 2 and not places_named_by([word])
            and any(index.seen(word + suffix) for suffix in BARE_PLACE_SUFFIXES)]
    return full + bare


def _holds_years_asked(best: Judged, query: Query, index: Index) -> bool:
    """Whether the answer's passage (with its heading path, and the title line of the attachment
    it is in) holds each year the question names outright, as written or as its document says it:
    "脱贫座谈会讲话里2019年底贫困人口还剩多少" is not answered by a 2018 speech's "2017年底的3046万
    人", but "2021年国内生产总值达到多少" is by "去年国内生产总值达到114万亿元" in the 2022 report,
    and "云南2025年10件惠民实事第七件" by the 七、 of the attachment "附件" / "2025年10件惠民实事".
    The passage, not the highlighted sentence: the year is often said a sentence before the answer
    ("2011年…。他获得了…")."""
    if not query.years_asked:
        return True
    entry = index.entries[best.position]
    missing = [year for year in query.years_asked if str(year) not in entry.matchable
               and not (entry.year and YearLink(absolute=year).found(entry.matchable, entry.year))]
    title = normalize(_attachment_title(entry, index)) if missing else ""
    return all(str(year) in title for year in missing)


def _attachment_title(entry: Entry, index: Index) -> str:
    """The title line of the attachment the entry's passage is in ("2025年10件惠民实事"), or ""."""
    document = index.documents[entry.chunk.doc]
    section_id = entry.chunk.section
    while section_id is not None:
        section = document.sections[section_id]
        title = _title_line(document, section)
        if title:
            return title
        section_id = section.parent
    return ""


def answer(query: Query, index: Index, top_k: int,
           docs: tuple[str, ...] | None = None) -> PassageAnswer | NoAnswer:
    """The passage that answers the question (from the documents `docs` only, if given), or none."""
    if (not query.own_terms and query.part is None and not query.position) or not len(index):
        return NoAnswer(query.text)
    wanted = Wanted.of(query, index)
    named = named_documents(wanted, index)
    ranked = rank(query, wanted, index, docs, named, keep=max(top_k, 1))

    def passage(judged: Judged) -> Passage:
        return to_passage(judged, query, asked_of_passage(wanted, judged.position, index), index)

    said = index.entries[ranked[0].position].matchable if ranked else ""
    referenced = _referenced(query, wanted, index, said)
    ranked = _named_first(ranked, referenced, index)
    results = tuple(passage(j) for j in ranked[: max(top_k, 1)])
    if (not ranked or not _answers(ranked[0], query, index) or _names_an_unknown_code(query, index)
            or _about_something_else(ranked[0], query, wanted, index)
            or _of_another_kind(ranked[0], query, asked_of_passage(wanted, ranked[0].position, index), index)
            or _count_unlisted(query, results[0])
            or _whether_unsaid(ranked[0], query, wanted, index)
            or not _from_named(ranked[0], referenced, index)):
        return NoAnswer(query.text, results)
    asked_of_one = docs is not None or bool(named)
    also = () if asked_of_one else tuple(passage(j) for j in answered_elsewhere(ranked, query, index))
    return PassageAnswer(query.text, results, also)


def _named_first(ranked: list[Judged], referenced: dict[int, float], index: Index) -> list[Judged]:
    """The ranking with the best passage of the document the question names in full first, when
    another document's ranks above it and it answers nearly as well (ALSO_SHARE of its score, as
    another document must to be named as answering too): "浙江报告里十方面民生实事第8个方面" is
    answered by Zhejiang's 8.交通出行方面, not by Guangdong's "八是…", which _from_named would
    decline. A passage of the named document that answers much worse is no answer: the question is
    declined ("云南5年累计减贫多少人" where only a speech gives a five-year figure)."""
    if not ranked or _from_named(ranked[0], referenced, index):
        return ranked
    for n, judged in enumerate(ranked):
        if judged.score < ALSO_SHARE * ranked[0].score:
            break
        if _from_named(judged, referenced, index):
            return [judged, *ranked[:n], *ranked[n + 1:]]
    return ranked


def answered_elsewhere(ranked: list[Judged], query: Query, index: Index) -> list[Judged]:
    """The best passage of each other document that answers nearly as well as the answer does:
    "今年GDP增长目标是多少" asked of a library of reports is answered by each of them."""
    best = ranked[0]
    seen = {_document(best, index)}
    found = []
    for judged in ranked[1:]:
        number = _document(judged, index)
        if number in seen:
            continue
        seen.add(number)
        if judged.score >= ALSO_SHARE * best.score and _answers(judged, query, index):
            found.append(judged)
    return found[:MAX_ALSO]
