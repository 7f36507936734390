"""Turn passage scores into an answer: a confident top passage or none, its highlight, its outline.

Ranking: BM25 finds candidates; each candidate is then judged by how much of the question
it holds (coverage: the share of the question's idf found in the passage and its heading
path, a related word counting as found) and by its best sentence (the share found in one
sentence). A fact is usually stated in one sentence, so a passage that answers in one
sentence beats one that mentions the same words far apart.

Whether the top passage answers at all is retrieval/declines.py's to say; the question as the
documents would say it (Wanted) and a judged candidate (Judged) are in retrieval/evidence.py.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice
from operator import mul

import numpy as np

from retrieval.answer_types import AnswerType, has_answer_type, says_time
from retrieval.declines import answers, declined, from_named, referenced_documents, result_for_target
from retrieval.evidence import (
    Judged,
    Wanted,
    asked_of_passage,
    document_of,
    named_documents,
    searched_as_spelled_out,
)
from retrieval.index import Entry, Index, numbered_depth
from retrieval.list_passage import list_passage
from retrieval.models import Passage, Section
from retrieval.positions import (
    last_number_below,
    lists_of_size,
    numbered_below,
    paragraph_points,
    sections_at,
    sections_below,
    title_line,
)
from retrieval.question import Query, position_steps
from retrieval.reply import NoAnswer, PassageAnswer
from retrieval.text.normalize import normalize
from retrieval.text.numerals import int_to_chinese
from retrieval.text.sentences import split_sentences
from retrieval.text.years import DATE

CANDIDATES = 12  # passages re-ranked after BM25 (10–30 measured the same on every question set)
# 今年/去年 without a year or a document named: the newest document's passage, unless another
# fits the question better by more than this: a tie-break, not a filter.
RECENT_WEIGHT = 0.05
# A position asked of no document in particular is looked for in at most this many documents.
MAX_POSITION_DOCUMENTS = 20
# Other documents answer too ("也见于") when their best passage answers and scores this share of
# the answer's score; at most MAX_ALSO of them are named.
ALSO_SHARE = 0.9
MAX_ALSO = 4
# A passage of the year asked, answering in place of a better ranked one of another year
# (_this_year_if_answered): it holds this share of the words the other's sentence holds, and its
# own sentence at most this much less of the question.
YEAR_SAME_THING = 0.7
YEAR_SENTENCE_SLACK = 0.1
# A target asked where the best passage reports last year's result: a plan's passage answering in
# its place may rank this much lower ("西藏 粮食 目标": the plan's "确保粮食产量稳定在100万吨以上" scores
# 0.74 of the review's "粮食产量突破110万吨"). On every set 0.5, 0.6 and 0.7 answer the same; 0.9 as before.
TARGET_SCORE_SHARE = 0.7
# A passage of a document the question names ("云南…"), times the share of the question that names it.
DOCUMENT_WEIGHT = 1.0
# A section inside the part pointed at whose own heading holds this share of the question's
# words opens where the question points, as the part's heading does.
NAMED_SECTION_SHARE = 0.5
# A sentence holding the kind of answer asked for wins the highlight over one that holds a little
# more of the question.
TYPE_BONUS = 0.15
# A passage holding the question's phrases (Query.phrases: "发展水平") as written, times the share of
# them it holds: words said together in the question are a phrase, not words anywhere apart.
PHRASE_WEIGHT = 0.5
# A bullet opening a paragraph as an item of a list that is not numbered (_dash_points).
DASH_BULLET = "——"


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
    if entry.unmatched:
        sentences = [s for s in entry.sentences if not (opening and s[1] and s[1] in opening)]
        lead = sentences[0][1] if unheaded and sentences else ""
        return _best_of(sentences, f"{entry.path_text}\n{lead}", entry.year, wanted, answer_type)
    # Every normalized sentence is a piece of the normalized passage (none was kept whole:
    # Entry.unmatched): its start and end in the passage and in the normalized passage (Entry.spans).
    text, matchable, spans = entry.chunk.text, entry.matchable, memoryview(entry.spans).cast("I").tolist()
    kept = [i for i in range(0, len(spans), 4) if not (
        opening and (normalized := matchable[spans[i + 2]:spans[i + 3]]) and normalized in opening)
    ] if opening else range(0, len(spans), 4)
    ordered, last = True, 0
    for i in kept:
        if spans[i + 2] < last:
            ordered = False
            break
        last = spans[i + 3]
    lead = matchable[spans[kept[0] + 2]:spans[kept[0] + 3]] if unheaded and kept else ""
    path_text = f"{entry.path_text}\n{lead}"
    if not ordered:
        return _best_of([(text[spans[i]:spans[i + 1]], matchable[spans[i + 2]:spans[i + 3]]) for i in kept],
                        path_text, entry.year, wanted, answer_type, wanted.forms_in(matchable))
    return _best_in_passage(text, matchable, spans, kept, path_text, entry.year, wanted, answer_type)


@lru_cache(maxsize=1024)
def opening_text(title: str, header: tuple[str, ...]) -> str:
    """A document's title and header lines (Profile.header), normalized, one per line."""
    return "\n".join(normalize(line) for line in (title, *header))


def _best_of(sentences: Iterable[tuple[str, str]], path_text: str, year: int | None, wanted: Wanted,
             answer_type: AnswerType | None,
             forms: tuple[tuple[int, str, float], ...] | None = None) -> Sentence:
    """best_sentence over (verbatim, normalized) sentences read under a normalized heading path.
    forms: the only forms of the question's words the path and sentences can hold (Wanted.forms_in).

    Wanted.credits and Wanted.share for each sentence, worked out inline (the same sums in the
    same order): this loop reads every sentence of every candidate finished."""
    if forms is None:
        forms = wanted._looked_for[0]
    credit_list, needles = wanted.credit_list, wanted.year_needles(year)
    weights, total = wanted.weights, wanted.total
    in_path = credit_list(path_text, forms, needles)
    best, best_key = None, (-1.0, -1.0)
    for sentence, normalized in sentences:
        own = credit_list(normalized, forms, needles)
        typed = answer_type is not None and has_answer_type(normalized, answer_type)
        if best is not None and not typed and not any(own):
            continue  # holds nothing of the question: cannot beat the sentence already found
        if total:
            share = sum(map(mul, weights, map(max, in_path, own))) / total
            own_share = sum(map(mul, weights, own)) / total
        else:
            share = own_share = 0.0
        key = (round(share + TYPE_BONUS * typed, 9), round(own_share, 9))
        if key > best_key:
            best, best_key = Sentence(sentence, share, own_share, typed), key
    return best or Sentence("", 0.0, 0.0, False)


def _best_in_passage(text: str, matchable: str, spans: list[int], kept: Sequence[int], path_text: str,
                     year: int | None, wanted: Wanted, answer_type: AnswerType | None) -> Sentence:
    """_best_of over the sentences of a passage that are pieces of its normalized text `matchable`:
    those at `kept` in its spans (Entry.spans: start, end in `text`, then in `matchable`), in order,
    none overlapping the next; path_text holds only pieces of it too. The same sentence, shares and
    type, with less work: each form of the question the passage holds is found once in it and
    credited to the sentence each place it is found is in, where _best_of looks for every form in
    every sentence (most sentences hold none; their shares are worked out once); a sentence is cut
    out of the passage only to be read (for a year, for the kind of answer), and the kind of answer
    is looked for only in a sentence that could win with it."""
    forms = wanted.forms_in(matchable)
    needles, parts, size = wanted.year_needles(year), wanted.parts, len(wanted.terms)
    starts = [spans[i + 2] for i in kept]
    ends = [spans[i + 3] for i in kept]
    held: dict[int, list[float]] = {}  # by sentence: the credits of the forms it holds
    # As Wanted.credit_list: forms, then year links (any of a link's words in full), then compounds'
    # parts; a sentence holds a word where a place it is found in the passage is inside it.
    for n, form, credit in (*forms, *((n, word, 1.0) for n, words in needles for word in words)):
        if not form:  # in every sentence
            for k in range(len(starts)):
                every = held.setdefault(k, [0.0] * size)
                every[n] = max(every[n], credit)
            continue
        at = matchable.find(form)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            if k >= 0 and at < ends[k]:
                if at + len(form) <= ends[k]:
                    own = held.get(k)
                    if own is None:
                        own = held[k] = [0.0] * size
                    if credit > own[n]:
                        own[n] = credit
                # Any later place in this sentence adds nothing: credited already, or, as this one,
                # running past its end.
                at = matchable.find(form, ends[k])
            else:
                at = matchable.find(form, at + 1)
    weights, total = wanted.weights, wanted.total
    in_path = wanted.credit_list(path_text, forms, needles)
    none = [0.0] * size
    unheld: tuple[float, float] | None = None  # (share, own_share) of a sentence holding nothing
    shared: dict[tuple[float, ...], tuple[float, float]] = {}  # of a sentence holding those credits
    best, best_key, best_typed = -1, (-1.0, -1.0), False
    for k, start in enumerate(starts):
        own = held.get(k)
        if own is not None:
            for n, pieces in parts:
                if own[n] < 1.0 and all(own[i] > 0 for i in pieces):
                    own[n] = max(own[n], min(own[i] for i in pieces))
        if own is None or not any(own):
            if unheld is None:
                unheld = _shares(weights, total, in_path, none)
            share, own_share = unheld
            found = False
        else:
            credits = tuple(own)
            shares = shared.get(credits)
            if shares is None:  # sentences holding the same words share the same shares
                shares = shared[credits] = _shares(weights, total, in_path, own)
            share, own_share = shares
            found = True
        typed = False
        if answer_type is not None:
            # Cannot win even holding the kind of answer asked (a rounded value is within 1e-9 of
            # the value: most sentences are ruled out without rounding).
            if share + TYPE_BONUS < best_key[0] - 1e-9 or (
                    round(share + TYPE_BONUS, 9), round(own_share, 9)) <= best_key:
                continue
            typed = has_answer_type(matchable[start:ends[k]], answer_type)
        if best >= 0 and not found and not typed:
            continue  # holds nothing of the question: cannot beat the sentence already found
        lead = share + TYPE_BONUS * typed
        if lead < best_key[0] - 1e-9:
            continue
        key = (round(lead, 9), round(own_share, 9))
        if key > best_key:
            best, best_key, best_typed = k, key, typed
            best_share, best_own = share, own_share
    if best < 0:
        return Sentence("", 0.0, 0.0, False)
    i = kept[best]
    return Sentence(text[spans[i]:spans[i + 1]], best_share, best_own, best_typed)


def _shares(weights: tuple[float, ...], total: float, in_path: list[float],
            own: list[float]) -> tuple[float, float]:
    """Wanted.share of a sentence's credits read under its heading path, and alone."""
    if not total:
        return 0.0, 0.0
    return sum(map(mul, weights, map(max, in_path, own))) / total, sum(map(mul, weights, own)) / total


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
        if self.pointed and self.judged.part_heading_here and not (query.answer_type and sentence.typed):
            # It opens the part pointed at ("第三部分第六点是啥"): that part's heading says what it
            # is ("第六，不失时机抓好春季农业生产。"), not the sentence holding most of its words;
            # unless the question asks a kind of answer of it that the best sentence holds ("十个方面
            # 里第五个，今年城中村和老旧小区各改造多少个": "…今年改造城中村300个、老旧小区2000个").
            heading = _heading_sentence(entry, self.judged.part_depth, self.at_heading)
            beyond = heading and _asked_beyond_heading(self.held, query, heading, entry.year)
            if beyond:
                # "民生实事第1条医疗卫生方面，AED要配到什么程度": the item's heading "1.医疗卫生方面。"
                # restates what it is; "配置AED达每10万人45台" says what is asked of it.
                found = best_sentence(entry, beyond, query.answer_type, opening)
                if found.own_share > 0:
                    sentence = replace(sentence, text=found.text)
            elif heading and not _says_more_of_what_is_asked(self.held, query, sentence.text, heading,
                                                             entry.year):
                sentence = replace(sentence, text=heading)
        if query.which_time and not says_time(normalize(sentence.text), query.which_time):
            # "考评办法是哪天印发的": the notice's passage asked of is signed with its date, on a line
            # of its own ("2022年4月14日"), which holds no word of the question.
            dated = _date_line(entry, query.which_time)
            if dated:
                sentence = replace(sentence, text=dated)
        if not index.documents[entry.chunk.doc].sections:
            # Ranked as read alone, quoted and judged as read under its first sentence.
            sentence = best_sentence(entry, self.held, query.answer_type, opening, unheaded=True)
            share = _with_part(sentence.share, self.pointed, self.in_part, self.held.total)
        return self.judged.finished(sentence.text, share, sentence.typed, value)

    def best_possible(self, query: Query) -> tuple[float, bool] | None:
        """The best sentence it could have, as (sentence_share, typed): one holding, in full,
        every word of the question the passage holds, and the kind of answer asked for. The
        rank_score_with them is at least that of finish() (the score only grows with the
        sentence's share and type, and so do its floating-point sums); None if the question's
        words do not all weigh ≥ 0 (no such bound)."""
        if min(self.held.weights, default=0.0) < 0:
            return None
        share = self.held.share(tuple([1.0 if forms or link else 0.0 for _, forms, link in self.held.terms]))
        return _with_part(share, self.pointed, self.in_part, self.held.total), query.answer_type is not None


def _says_more_of_what_is_asked(wanted: Wanted, query: Query, sentence: str, heading: str,
                                year: int | None) -> bool:
    """Whether the sentence by itself holds more than the heading sentence of the words the
    question says after its position: "三、里面第六条抓春季农业生产，要持续防控哪些动物疫病" asks of
    the item "第六，不失时机抓好春季农业生产。" what "要持续加强非洲猪瘟…等重大动物疫病防控" says. A
    question saying nothing after it ("湖北报告第三部分政府自身建设，第四条是啥") asks the heading."""
    after = query.after_position
    if len(after) != len(wanted.terms) or not any(after):
        return False
    asked = wanted.only(after)
    return asked.share_found(normalize(sentence), year) > asked.share_found(normalize(heading), year)


def _date_line(entry: Entry, unit: str) -> str | None:
    """The passage's sentence that is only a date (a notice's signature, "2022年4月14日") saying the
    unit asked ("日" of 哪天), verbatim."""
    return next((verbatim for verbatim, normalized in entry.sentences
                 if DATE.fullmatch(normalized) and says_time(normalized, unit)), None)


def _asked_beyond_heading(wanted: Wanted, query: Query, heading: str, year: int | None) -> Wanted | None:
    """When the question restates the item's name after its position and then asks something of
    it, the words it asks with: those the item's heading sentence does not hold ("第1条医疗卫生方面，
    AED要配到什么程度" → aed, 配到, 程度); else None. Words after the position that restate none of
    the heading ask the heading itself: "第一个方面的标题是啥", "第（三）项是啥 几分"."""
    after = query.after_position
    if len(after) != len(wanted.terms) or not any(after):
        return None
    held = wanted.credits(normalize(heading), year)
    if not any(a and c for a, c in zip(after, held, strict=True)):
        return None
    beyond = wanted.only(tuple(a and not c for a, c in zip(after, held, strict=True)))
    return None if beyond is wanted else beyond


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
                  inline_items: bool = False, point: str | None = None,
                  outside: bool = False, continues: bool = False) -> PassageJudged:
    """A candidate judged on all but its best sentence (see judge). inline_items: no heading of its
    document is at the position asked, which may then be an item the passage lists inline; point:
    the opening sentence of the paragraph the position asked is (_point_candidates); outside: the
    question names other documents than the passage's, whose positions it points at; continues: the
    passage is further into the section at_position (_continuing), in it without opening it."""
    entry = index.entries[position]
    in_passage = wanted.credits(entry.matchable, entry.year)
    if outside:
        in_part = False
    elif resolved:
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
        other_year=bool(entry.path_years) and _of_other_years(query, entry),
        part_depth=at_position.level if at_position else len(query.position) if point else (
            entry.path_numbers.index(query.part) + 1 if in_part and query.part and not inline else 0),
        part_heading_here=(at_position is not None and not continues) or named_within or bool(inline)
        or (in_part and not _asks_within(query) and _opens_with_numbered_heading(entry, query.part or 0)),
    ), wanted.found_in(in_passage), pointed, in_part, at_position.heading if at_position else (inline or ""))


def _weights_after_position(query: Query) -> list[float]:
    """The weights of the question's words said after the position it points at: words of full weight
    there ("第3条，12345热线升级要实现的五项功能") say which of several items so numbered is meant."""
    return [weight for asked, weight in zip(query.after_position, query.own_weights, strict=True) if asked]


def _asks_within(query: Query) -> bool:
    """Whether the question asks a figure or a time of something within the part it points at, by words
    after the position: "2021年报告第二部分“十四五”主要目标里，森林覆盖率要达到多少" asks the sentence of
    the part that says 森林覆盖率, in a passage further down, not the part's opening (which the
    bonus for opening with the part's heading would rank first). "第二部分讲的啥", "第四部分标题是啥"
    and "第六条里讲了哪些筹钱的办法" ask the part itself."""
    return query.answer_type is not None and max(_weights_after_position(query), default=0.0) > 0


def _of_other_years(query: Query, entry: Entry) -> bool:
    """Whether the years the question means, if any, are none of those the passage's heading path names."""
    years = query.years_meant(entry.year)
    return bool(years) and not years & entry.path_years


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
    continuing = _continuing(at_position, order, index) if at_position and _asks_within(query) else {}
    # "县长讲话“八个增长”里的第五项" points into the speech it names in full (as from_named reads it),
    # not at another report's （五）.
    in_full = {d for d, share in named.items() if share >= 1.0}
    candidates = [judge_passage(query, asked_of_passage(wanted, i, index), i, scores[i], index,
                                (at_position.get(i) or continuing.get(i)) if at_position else None,
                                bool(at_position or points), int(index.document_of[i]) not in positioned,
                                points.get(i), continues=i in continuing,
                                outside=bool(in_full) and int(index.document_of[i]) not in in_full)
                  for i in order]
    best = max(c.judged.bm25 for c in candidates) or 1.0
    newest = _newest_asked(query, named, [c.judged for c in candidates], index)
    phrased = {i: phrase_share(query, index.entries[i]) for i in order} if query.phrases else {}

    def score(j: Judged, sentence_share: float, typed: bool) -> float:
        return (j.rank_score_with(best, sentence_share, typed)
                + DOCUMENT_WEIGHT * named.get(document_of(j, index), 0.0)
                + RECENT_WEIGHT * (index.entries[j.position].year == newest)
                + PHRASE_WEIGHT * phrased.get(j.position, 0.0))

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


def _continuing(at_position: dict[int, Section], order: list[int], index: Index) -> dict[int, Section]:
    """The candidates that continue a section at the position asked, after the passage opening it
    (passage → the section): "十条方针第五条里，第一批先整顿的近三百个企业要用多长时间整顿完" asks a
    sentence three passages into "五、分批进行企业的全面整顿和必要改组", in the part as much as its
    opening, though not opening it."""
    opened: dict[tuple[str, int | None], tuple[int, Section]] = {
        (index.entries[opening].chunk.doc, section.id): (index.entries[opening].chunk.id, section)
        for opening, section in at_position.items()}
    found: dict[int, Section] = {}
    for position in order:
        chunk = index.entries[position].chunk
        first = opened.get((chunk.doc, chunk.section))
        if first is not None and first[0] < chunk.id:
            found[position] = first[1]
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
            points = [(opening, point) for point in paragraph_points(index.entries[opening].chunk.text)]
            if query.list_size is None or len(points) != query.list_size:
                points = _dash_points(index, opening) or points
            step = position[-1]
            if points and -len(points) <= step <= len(points) and step:
                passage, point = points[step - 1 if step > 0 else step]
                found[passage] = point
    return found


def _dash_points(index: Index, opening: int) -> list[tuple[int, str]]:
    """(passage, opening sentence) of each paragraph of a section without subsections that opens
    with a —— bullet, in order, over all its passages (they follow the one opening it): the 2021
    report's "十四五" goals, nine paragraphs "——推动绿色发展，促进人与自然和谐共生。…" under 二、
    ("第二部分…那九条里的倒数第三条")."""
    first = index.entries[opening].chunk
    points = []
    for position in range(opening, index.passages_of(first.doc).stop):
        chunk = index.entries[position].chunk
        if chunk.section != first.section:
            break
        for paragraph in chunk.text.split("\n"):
            paragraph = paragraph.strip()
            if paragraph.startswith(DASH_BULLET) and not paragraph.startswith(DASH_BULLET * 2):
                points.append((position, paragraph.split("。", 1)[0] + "。"))
    return points


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
            title = title_line(document, topic)
            if attachments_only and not title:
                continue
            opening = index.opening(name, topic.id)
            children = document.children(topic.id)
            if opening is None or not children:
                continue
            if query.list_size and not lists_of_size(children, query.list_size):
                continue  # "重点任务9个方面第七个" does not count in an attachment of 10 惠民实事
            asked = wanted.within(index.entries[opening].named).only(query.before_position)
            named_as = normalize(topic.heading + title)
            if asked.share_found(named_as, document.year) < NAMED_SECTION_SHARE:
                continue
            if title and not _names_apart(asked, named_as, normalize(document.title)):
                continue  # "考评办法正文第四部分": words of the document's own title name no attachment
            # "考评指标第3条，12345热线升级…": an article (条) of an attachment numbered at three levels
            # (三、, （三）, 3．) is any of them; the words after it pick the one meant.
            if (len(query.position) == 1 and query.position[0] != 0 and _asks_an_article(query)
                    and max(_weights_after_position(query), default=0.0) >= 1.0):
                below = numbered_below(document, topic, query.position[0] if query.position[0] > 0
                                       else last_number_below(document, topic) + 1 + query.position[0])
            else:
                below = sections_below(document, topic, query.position, query.list_size)
            _add_openings(found, below, name, query, index)
    return found


def _asks_an_article(query: Query) -> bool:
    """Whether the question points at an article (条): "第3条", "倒数第二条", "最后一条" (a step counted
    from the end names no part: its words are read again from the question)."""
    if query.reference.endswith("条"):
        return True
    steps = position_steps(normalize(query.text)) if query.position[0] < 0 else []
    return bool(steps) and steps[-1][1].endswith("条")


def _names_apart(wanted: Wanted, named_as: str, document_title: str) -> bool:
    """Whether a question word found in an attachment's name is not in its document's title
    ("包头考评指标…": 指标, in "包头市数字政府建设考评指标", not in "…考评办法")."""
    return any(weight > 0 and any(form in named_as and form not in document_title for form, _ in forms)
               for weight, forms, _ in wanted.terms)


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
    path, text, highlight = entry.chunk.path, entry.chunk.text, judged.highlight
    outline: tuple[str, ...] = ()
    section = entry.chunk.section
    quotes_section = _quotes_section(query)
    if quotes_section:  # the only answers that show the passage's outline
        outline = index.documents[entry.chunk.doc].outline(entry.chunk)
        matched: dict[str, float] = {}  # list_passage asks of some headings twice

        def heading_match(heading: str) -> float:
            share = matched.get(heading)
            if share is None:
                share = matched[heading] = wanted.share_found(_heading_form(heading), None)
            return share

        expanded = list_passage(index.documents[entry.chunk.doc], entry.chunk, heading_match, highlight,
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


# normalize() of a heading list_passage weighs (the same few headings, question after question).
_heading_form = lru_cache(maxsize=4096)(normalize)


def phrase_share(query: Query, entry: Entry) -> float:
    """The share of the question's phrases (Query.phrases) the passage holds as written."""
    if not query.phrases:
        return 0.0
    return sum(phrase in entry.matchable for phrase in query.phrases) / len(query.phrases)


def answer(query: Query, index: Index, top_k: int,
           docs: tuple[str, ...] | None = None) -> PassageAnswer | NoAnswer:
    """The passage that answers the question (from the documents `docs` only, if given), or none."""
    if (not query.own_terms and query.part is None and not query.position) or not len(index):
        return NoAnswer(query.text)
    query = searched_as_spelled_out(query, index)
    wanted = Wanted.of(query, index)
    named = named_documents(wanted, index)
    ranked = rank(query, wanted, index, docs, named, keep=max(top_k, 1))

    def passage(judged: Judged) -> Passage:
        return to_passage(judged, query, asked_of_passage(wanted, judged.position, index), index)

    said = index.entries[ranked[0].position].matchable if ranked else ""
    referenced = referenced_documents(query, wanted, index, said)
    if docs is not None:  # named or not, the documents asked of are these
        referenced = {d: share for d, share in referenced.items() if index.document_names[d] in docs}
    ranked = _named_first(ranked, referenced, index)
    results = tuple(passage(j) for j in ranked[: max(top_k, 1)])
    if not ranked:
        return NoAnswer(query.text, results)
    if declined(ranked[0], results[0], query, wanted, index, referenced):
        plain = _without_phrases_if_answered(ranked, query, wanted, index, referenced, passage)
        if plain is ranked:
            plain = _this_year_if_answered(ranked, query, wanted, index, referenced, passage)
        if plain is ranked:
            return NoAnswer(query.text, results)
        ranked, results = plain, tuple(passage(j) for j in plain[: max(top_k, 1)])
    asked_of_one = docs is not None or bool(named)
    also = () if asked_of_one else tuple(passage(j) for j in answered_elsewhere(ranked, query, index))
    return PassageAnswer(query.text, results, also)


def _without_phrases_if_answered(ranked: list[Judged], query: Query, wanted: Wanted, index: Index,
                                 referenced: dict[int, float],
                                 passage: Callable[[Judged], Passage]) -> list[Judged]:
    """The ranking without the phrase bonus, if its best passage answers where the phrases' best
    does not (else `ranked` itself): a phrase reorders answers ("今年地方专项债给了多少额度" is not
    declined because a passage saying "地方专项债额度均居全国前列" without a figure holds both its
    phrases)."""
    if not query.phrases:
        return ranked
    def plain_score(j: Judged) -> float:
        return j.score - PHRASE_WEIGHT * phrase_share(query, index.entries[j.position])

    plain = max(ranked, key=plain_score)
    if plain is ranked[0] or declined(plain, passage(plain), query, wanted, index, referenced):
        return ranked
    return [plain, *(j for j in ranked if j is not plain)]


def _this_year_if_answered(ranked: list[Judged], query: Query, wanted: Wanted, index: Index,
                           referenced: dict[int, float],
                           passage: Callable[[Judged], Passage]) -> list[Judged]:
    """The ranking with a passage of the year asked first, if the best passage is of another year
    or reports a result where a target is asked ("西藏 粮食 目标": "粮食产量突破110万吨" in the review;
    so declined), and one of the same document about the same thing answers nearly as well:
    "河南今年整车和新能源汽车产量目标是多少" ranks last year's "汽车整车产量突破110万辆，新能源汽车产量
    突破70万辆" first (it says 汽车产量 twice), and this year's "力争整车产量200万辆、新能源汽车140万辆"
    answers. About the same thing: its passage holds YEAR_SAME_THING of the question's words (by
    idf) that the declined sentence holds, and its own sentence nearly as much of the question
    (within YEAR_SENTENCE_SLACK); a passage of this year about something else ("确保粮食产量稳定在
    100万吨以上" for "今年旅游接待人次目标") is no answer. Else `ranked` itself."""
    top = ranked[0]
    result = result_for_target(top, query, index)
    if not top.other_year and not result:
        return ranked
    sentence = normalize(top.highlight)
    held = [(term, index.idf(term)) for term in query.own_terms
            if term in sentence and not term.isdigit() and term != "年"]
    lowest = (TARGET_SCORE_SHARE if result and not top.other_year else ALSO_SHARE) * top.score
    for judged in ranked[1:]:
        if judged.score < lowest:
            break
        if (judged.other_year or document_of(judged, index) != document_of(top, index)
                or judged.sentence_share < top.sentence_share - YEAR_SENTENCE_SLACK):
            continue
        text = index.entries[judged.position].matchable
        if sum(idf for term, idf in held if term in text) < YEAR_SAME_THING * sum(idf for _, idf in held):
            continue
        if not declined(judged, passage(judged), query, wanted, index, referenced):
            return [judged, *(j for j in ranked if j is not judged)]
    return ranked


def _named_first(ranked: list[Judged], referenced: dict[int, float], index: Index) -> list[Judged]:
    """The ranking with the best passage of the document the question names in full first, when
    another document's ranks above it and it answers nearly as well (ALSO_SHARE of its score, as
    another document must to be named as answering too): "浙江报告里十方面民生实事第8个方面" is
    answered by Zhejiang's 8.交通出行方面, not by Guangdong's "八是…", which _from_named would
    decline. A passage of the named document that answers much worse is no answer: the question is
    declined ("云南5年累计减贫多少人" where only a speech gives a five-year figure)."""
    if not ranked or from_named(ranked[0], referenced, index):
        return ranked
    for n, judged in enumerate(ranked):
        if judged.score < ALSO_SHARE * ranked[0].score:
            break
        if from_named(judged, referenced, index):
            return [judged, *ranked[:n], *ranked[n + 1:]]
    return ranked


def answered_elsewhere(ranked: list[Judged], query: Query, index: Index) -> list[Judged]:
    """The best passage of each other document that answers nearly as well as the answer does:
    "今年GDP增长目标是多少" asked of a library of reports is answered by each of them."""
    best = ranked[0]
    seen = {document_of(best, index)}
    found = []
    for judged in ranked[1:]:
        number = document_of(judged, index)
        if number in seen:
            continue
        seen.add(number)
        if judged.score >= ALSO_SHARE * best.score and answers(judged, query, index):
            found.append(judged)
    return found[:MAX_ALSO]
