"""What ranking and declining weigh: the question as asked of the index, and a candidate judged.

`Wanted` is the question as the documents would say it: each of its words with its idf and the
forms that count as it (a related word at half credit, another name of the thing in full, "GDP"
as 生产总值 in a report that never writes GDP), and the words that only name a document ("云南…"),
left out when the passages of that document are read. `Judged` is a candidate passage with the
evidence for ranking it: its BM25 score, the share of the question it holds, its best sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from operator import mul

from retrieval.index import Index
from retrieval.question import REFERENCE_WEIGHT, Query
from retrieval.text.numerals import numeral_variants
from retrieval.text.places import names_a_place
from retrieval.text.tokens import compound_parts, equivalent_terms, phrase_words, related_terms
from retrieval.text.years import RELATIVE_YEARS, YEAR, relative_words

# A candidate's score (Judged.rank_score_with): BM25 against the best candidate's, plus these
# times the share of the question in the passage, in its best sentence, in its own heading.
COVERAGE_WEIGHT = 1.5
SENTENCE_WEIGHT = 3.0
HEADING_WEIGHT = 0.3
# A passage under a heading of another year ("2024年工作回顾") for a question about this year.
OTHER_YEAR_PENALTY = 0.5
# A word whose idf is at least this share of the highest possible names a document fully.
NAME_RARITY = 0.5
PART_WEIGHT = 2.0  # under the numbered part the question points at ("第二个问题"), half as much
# unless the passage opens with that part's heading
TYPE_WEIGHT = 0.4  # the best sentence holds the kind of answer asked for (a number, a time)
RELATED_CREDIT = 0.5  # a related word found counts half as much as the question's own word


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

    def finished(self, highlight: str, sentence_share: float, typed: bool, score: float) -> Judged:
        """The candidate with its best sentence and score: replace() of those fields, without its
        look at every field (a dozen candidates a question)."""
        return Judged(self.position, self.bm25, self.coverage, self.heading, highlight, sentence_share, typed,
                      self.other_year, self.part_depth, self.part_heading_here, score)

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
    # The words of the document reference the question opens with (Query.naming_words): where a
    # document's name holds one ("县委全委扩大会" in "在县委全委(扩大)会暨全县经济工作会议上的讲话"),
    # it names that document, as a word equal to its name does (within).
    reference: frozenset[str] = frozenset()

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
        # A year naming the document a position is counted in ("2018年脱贫座谈会讲话的第二个问题") is
        # no year its passages speak of: 当年 in the second part's passages is not it.
        naming_only = ({str(year) for year, _ in query.named_by_year} - set(map(str, query.years_asked))
                       if query.position or query.part is not None else set())
        # So is a relative year only named as a comparison's base: the 上年 of "比上年涨了多少" is found
        # as written ("比上年增长３％"), not as last year's number.
        naming_only |= query.compared_years
        terms = tuple((weight, forms, None if term in naming_only else link)
                      for (weight, forms, link), term in zip(terms, query.own_terms, strict=True))
        # The count a question asks the items of ("指哪四个") is its question word: looked for where the
        # documents say it ("做好以下四项工作"), but no word the question misses where none does.
        terms = tuple((0.0, forms, link) if term in query.count and not index.seen(term)
                      else (weight, forms, link)
                      for (weight, forms, link), term in zip(terms, query.own_terms, strict=True))
        # "助学贷款额度" is cut into 贷款额度 and its pieces 贷款, 额度, and also 款额, 贷款额, which
        # straddle them: those are no words of it, and count for nothing.
        compounds, straddling = compound_parts(query.own_terms)
        terms = tuple((0.0, forms, link) if n in straddling else (weight, forms, link)
                      for n, (weight, forms, link) in enumerate(terms))
        compounds = tuple((n, pieces) for n, pieces in compounds  # "北京地铁" is no compound: it names
                          if not any(index.documents_named_by(query.own_terms[i]) for i in pieces))
        return cls(terms, sum(weight for weight, _, _ in terms), naming, compounds=compounds,
                   reference=query.naming_words)

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
        return tuple(self.credit_list(text, self._looked_for[0], self.year_needles(year)))

    def credit_list(self, text: str, forms: tuple[tuple[int, str, float], ...],
                    needles: tuple[tuple[int, tuple[str, ...]], ...]) -> list[float]:
        """credits(text, year) as a list, looking only for `forms` of _looked_for's (all of them, or
        those a text the given text is a piece of holds: forms_in), needles: year_needles(year)."""
        found = [0.0] * len(self.terms)
        for n, form, credit in forms:
            if credit > found[n] and form in text:
                found[n] = credit
        for n, words in needles:
            if any(word in text for word in words):
                found[n] = 1.0
        for n, pieces in self.parts:
            if found[n] < 1.0 and all(found[i] > 0 for i in pieces):
                found[n] = max(found[n], min(found[i] for i in pieces))
        return found

    def year_needles(self, year: int | None) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """Per word with a year link, what a text of a document of that year holds when it holds the
        word (YearLink.found: any of them); () for a document without a year."""
        links = self._looked_for[1]
        if not year or not links:
            return ()
        needles = self._needles.get(year)
        if needles is None:  # asked of every sentence of every candidate: worked out once a year
            needles = self._needles[year] = tuple((n, link.needles(year)) for n, link in links)
        return needles

    @cached_property
    def _needles(self) -> dict[int, tuple[tuple[int, tuple[str, ...]], ...]]:
        """year_needles by year, as worked out."""
        return {}

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

    def within(self, named: frozenset[str], inside: frozenset[str] = frozenset()) -> Wanted:
        """The question as asked of one document: words that only name that document ("云南" of
        the Yunnan report, which says 全省) are not looked for in its passages, nor the words of
        its reference that only the document's name says (inside: reference_inside). Years are
        kept: they also pick the part of a document (二、2022 年的重点工作)."""
        if not named:
            return self
        if not inside and named.isdisjoint(self._name_words):
            return self  # most passages: nothing to leave out, and nothing to build
        kept = tuple((0.0, forms, link) if _names(forms, link, named | inside) else (weight, forms, link)
                     for weight, forms, link in self.terms)
        total = sum(weight for weight, _, _ in kept)
        return replace(self, terms=kept, total=total) if total else self

    @cached_property
    def _name_words(self) -> tuple[str, ...]:
        """The first form of each word that within() leaves out where it names the document (_names)."""
        return tuple(forms[0][0] for _, forms, link in self.terms if link is None and forms)

    @cached_property
    def _said_otherwise(self) -> tuple[tuple[int, str], ...]:
        """(place, word) of each word with related forms at less than full credit: a document that
        never uses the word says it in those forms (as_document_says)."""
        return tuple((n, forms[0][0]) for n, (_, forms, _) in enumerate(self.terms)
                     if len(forms) > 1 and any(credit < 1.0 for _, credit in forms))

    def only(self, kept: tuple[bool, ...]) -> Wanted:
        """The question with only the words kept (the rest count as absent), if any has weight."""
        terms = tuple(t if keep else (0.0, t[1], t[2]) for t, keep in zip(self.terms, kept, strict=True))
        total = sum(weight for weight, _, _ in terms)
        return replace(self, terms=terms, total=total) if total and total < self.total else self

    def found_in(self, credits: Sequence[float]) -> Wanted:
        """Only the words with credit (the rest count as absent): less to look for in sentences."""
        found = tuple([c > 0 for c in credits])
        held = self._held.get(found)
        if held is None:  # the same for every candidate holding the same words: made once
            kept = tuple([t if c else (t[0], (), None) for t, c in zip(self.terms, found, strict=True)])
            held = self._held[found] = Wanted(kept, self.total, self.naming, self.compounds, self.parts,
                                             self.reference)
            held.__dict__["weights"] = self.weights  # the same: not worked out again
        return held

    @cached_property
    def _held(self) -> dict[tuple[bool, ...], Wanted]:
        """found_in by which words have credit, as made."""
        return {}

    def forms_in(self, text: str) -> tuple[tuple[int, str, float], ...]:
        """The forms (as _looked_for's) that the normalized text holds: those its pieces can hold."""
        return tuple(form for form in self._looked_for[0] if form[1] in text)


def searched_as_spelled_out(query: Query, index: Index) -> Query:
    """The question searching, for each numbered abbreviation it uses ("四早"), the words of the
    list the passages spell it out as (早发现、早报告…), which share its weight: no passage uses the
    abbreviation itself, so it would find none."""
    extra: dict[str, float] = {}
    for term in query.own_terms:
        lists = index.spelled_out(term)
        for spelled in lists:
            words = list(dict.fromkeys(phrase_words(spelled.replace("、", ""))))
            for word in words:
                extra[word] = extra.get(word, 0.0) + query.terms.get(term, 1.0) / len(words) / len(lists)
    if not extra:
        return query
    return replace(query, terms={**query.terms, **{w: query.terms.get(w, 0.0) + v for w, v in extra.items()}})


def as_document_says(wanted: Wanted, document: int, index: Index) -> Wanted:
    """The question as one document would say it: a word it never uses is found as its related
    words in full. "GDP" in a report that says 地区生产总值 though another report of the library
    writes GDP (which is why GDP counted as a word of the documents, its related words at half);
    a compound it never writes is found as its parts ("贷款额度": 贷款…额度)."""
    unused = {n for n, word in wanted._said_otherwise if _unused(word, document, index)}
    terms = tuple((weight, tuple((form, 1.0) for form, _ in forms) if n in unused else forms, link)
                  for n, (weight, forms, link) in enumerate(wanted.terms)) if unused else wanted.terms
    parts = tuple((n, pieces) for n, pieces in wanted.compounds
                  if wanted.terms[n][1] and _unused(wanted.terms[n][1][0][0], document, index))
    if parts != wanted.parts:
        return replace(wanted, terms=terms, parts=parts)
    return replace(wanted, terms=terms) if unused else wanted


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
        named = index.entries[position].named
        asked = as_document_says(wanted.within(named, reference_inside(wanted, named, document, index)),
                                 document, index)
        wanted.asked_of_document[document] = asked
    return asked


_BRACKETS = re.compile(r"[()（）]")


def reference_inside(wanted: Wanted, named: frozenset[str], document: int, index: Index) -> frozenset[str]:
    """The words of the question's document reference that only the document's name says: held
    by one of its names (brackets left out) and by at most one of its passages (the one opening
    with its title). "县委全委扩大会上县长说…" names the speech "在县委全委(扩大)会暨全县经济工作会议上的
    讲话" by 县委, 全委, 扩大会, which none of its passages about the economy says; the 脱贫攻坚 of
    "打好精准脱贫攻坚战座谈会讲话" is said throughout the speech, and is looked for."""
    if not wanted.reference:
        return frozenset()
    names = [_BRACKETS.sub("", name) for name in named]
    words = [word for word in wanted.reference if any(word in name for name in names)]
    if not words:
        return frozenset()
    passages = passage_texts(document, index)
    return frozenset(word for word in words if sum(word in text for text in passages) <= 1)


def passage_texts(document: int, index: Index) -> list[str]:
    """The normalized texts of a document's passages (Entry.matchable), in order."""
    return [index.entries[i].matchable for i in index.passages_of(index.document_names[document])]


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
        return any(word in text for word in self.needles(year))

    def needles(self, year: int) -> tuple[str, ...]:
        """What a text of a document of that year holds, any of them, when it holds the year."""
        if self.offset is not None:
            return (str(year + self.offset),)
        return tuple(relative_words(self.absolute, year)) if self.absolute is not None else ()


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
    spelled = index.spelled_out(term)
    if spelled:  # "四早" is found where it is spelled out (早发现、早报告、早隔离、早治疗): a sentence
        same = tuple((form, 1.0) for form in spelled)  # only naming it ("落实“四早”要求") says nothing of it
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


def document_of(judged: Judged, index: Index) -> int:
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
        # word every passage uses (发展 in a title about 经济社会发展) names little, unless it is a
        # place: 湖北 names Hubei's report fully, though the epidemic speech says 湖北 throughout.
        word = forms[0][0] if forms else ""
        rarity = (1.0 if names_a_place(word) else min(1.0, index.idf(word) / rare)) if named else 0.0
        share = rarity * math.log(total / len(named)) / math.log(total) if named else 0.0  # each document's
        shares.append((named, share))
    listed = set().union(*(named for named, share in shares if share > 0))
    found: dict[int, float] = {}
    for named, share in shares:
        if share > 0:
            if not found:  # 0.0 + share is share: the first word's documents at once (hundreds for a year)
                found = dict.fromkeys(named, share)
                continue
            get = found.get
            for number in named:
                found[number] = get(number, 0.0) + share
        elif len(found) < len(listed):  # adds nothing (x + 0.0 == x), but may name a listed one first
            for number in named:
                if number in listed and number not in found:
                    found[number] = 0.0
    if found and min(found.values()) > 0.0 and max(found.values()) <= 1.0:
        return found  # what the comprehension below would make of it
    return {number: min(share, 1.0) for number, share in found.items() if share > 0}
