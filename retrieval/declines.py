"""Whether the top passage answers the question, or there is no answer.

A question is answered only when one sentence of the top passage holds enough of what it asks:
"xx区有几家银行" finds passages about xx区 everywhere, but none holds 银行, the word that carries
the question, so there is no answer. Then the answer must be of the kind asked (a figure in the
unit asked, a year, a figure per unit), about the place or thing asked (not the province's GDP for
a city's), of the document the question names, and say what a yes/no question asks whether.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from retrieval.answer_types import (
    AnswerType,
    around_time_or_quantity_asked,
    asked_units,
    asks_exact_figure,
    asks_figure_each,
    asks_one_thing,
    asks_one_year,
    asks_person_or_reason,
    asks_rank,
    asks_result,
    asks_several,
    asks_something,
    asks_which_few,
    asks_which_place,
    before_who_asked,
    count_part_asked,
    count_unlisted,
    done_yet,
    full_name_unsaid,
    gives_only_masked_figures,
    gives_running_total,
    has_answer_type,
    has_figure_in,
    is_place_asked,
    last_clause,
    names_organization_or_person_asked,
    numbers_in_names,
    reason_unsaid,
    reports_result,
    says_per_unit,
    says_rank,
    says_time,
    stated_counts,
    stated_figures,
    states_target,
    which_few_unlisted,
    which_kinds_asked,
    without_codes,
)
from retrieval.evidence import (
    NAME_RARITY,
    Judged,
    Wanted,
    YearLink,
    asked_of_passage,
    document_of,
    named_documents,
    passage_texts,
)
from retrieval.index import Entry, Index
from retrieval.models import OTHER_KIND, Passage
from retrieval.positions import title_line
from retrieval.question import Query
from retrieval.text.normalize import normalize
from retrieval.text.places import (
    mentions_a_place,
    names_a_city,
    places_named_by,
    provinces_named_by,
    quoted_names,
    scope_words,
    things_named_in,
)
from retrieval.text.sentences import (
    ENUMERATION_COMMA,
    clause_spans,
    cut_before,
    neighbouring_phrases,
    phrase_spans,
    sentence_spans,
    split_sentences,
    with_back_references,
)
from retrieval.text.tokens import phrase_words, typed_separators

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
# Less when the passage says what the question quotes: "“八个增长”里跟收入有关的几项分别是多少"
# (_list_coverage_needed).
QUOTED_LIST_COVERAGE = 0.4
# A yes/no question ("外省牌照的车能不能参加") is answered by a sentence that says at least this
# share of the clause it asks whether (_whether_unsaid).
MIN_WHETHER_SHARE = 0.5


def declined(best: Judged, passage: Passage, query: Query, wanted: Wanted, index: Index,
             referenced: dict[int, float]) -> bool:
    """Whether the top passage (judged as best, quoted as passage) is no answer to the question.
    referenced: the documents the question names (referenced_documents)."""
    return (not answers(best, query, index) or _names_an_unknown_code(query, index)
            or _code_unsaid(best, query, index)
            or _about_something_else(best, query, wanted, index)
            or _another_figure(best, query, wanted, index)
            or _count_unlisted(query, passage)
            or _which_few_unlisted(query, passage)
            or _asked_clause_unsaid(best, query, wanted, index)
            or _whether_unsaid(best, query, wanted, index)
            or _asked_word_unsaid(best, query, wanted, index)
            or _kind_asked_unsaid(best, query, wanted, index)
            or _held_only_by_the_document_year(best, query, wanted, index)
            or not from_named(best, referenced, index))


def answers(best: Judged, query: Query, index: Index) -> bool:
    """Whether the top passage answers the question, or there is no answer."""
    if best.other_year or not _holds_years_asked(best, query, index):
        return False
    if query.unit and not all(has_figure_in(_where_figure_is(best, query, index), unit)
                              for unit in asked_units(normalize(query.text)) or [query.unit]):
        return False  # "火神山医院有多少张床位": no figure in 张 in the passage; each unit of several asked
    if query.which_time and not says_time(_where_answer_is(best, query, index), query.which_time):
        return False  # "申办第十六届全国运动会，计划哪一年办": "申办第十六届全国运动会。"
    if query.per_unit and not says_per_unit(_where_answer_is(best, query, index), query.per_unit):
        return False  # "农资补贴每亩地多少钱": "对种粮农民一次性发放200亿元补贴。"
    if asks_rank(normalize(query.text)) and not says_rank(_where_answer_is(best, query, index)):
        return False  # "包头上一年度数字政府考评哪个旗县区排第一": "考评对象：各旗县区人民政府…"
    if not _names_which_asked(best, query, index):
        return False  # "政务云平台是哪家公司承建的": the passage on the platform names no company
    if _official(best, index) and reason_unsaid(normalize(query.text), normalize(best.highlight)):
        return False  # "富强机场为啥要迁建": "富强机场迁建手续获得了…批复" gives no reason
    if full_name_unsaid(normalize(query.text), index.entries[best.position].matchable):
        return False  # "县委全委扩大会上先讲话的王书记全名叫什么": "前面,王书记作了非常重要的讲话"
    if result_for_target(best, query, index):
        return False  # "县长讲话里明年GDP增长目标定了多少": last year's "国内生产总值19.5亿元,增长15.6%"
    sentence = normalize(best.highlight)
    if (asks_result(normalize(query.text)) and states_target(sentence)
            and not reports_result(index.entries[best.position].path_text, sentence)):
        return False  # "二〇二二年全国GDP最后实际增长了多少": "今年…预期目标是：国内生产总值增长5.5%左右"
    if best.sentence_share < MIN_SENTENCE_SHARE:
        several = query.is_list or _two_questions(query.text)
        return several and best.coverage >= _list_coverage_needed(best, query, index)
    if best.typed or query.answer_type is None:
        return True
    if best.sentence_share >= MIN_UNTYPED_SHARE:
        return not _how_much_unsaid(best, query, index)
    # Figures of a list ("就业、物价、粮食各是多少") are in the passage's other sentences: "就业、物价等
    # 预期目标，体现了…要求" holds most words and no figure.
    return (query.is_list and best.coverage >= MIN_LIST_COVERAGE
            and has_answer_type(index.entries[best.position].matchable, query.answer_type))


def _how_much_unsaid(best: Judged, query: Query, index: Index) -> bool:
    """Whether the question asks how much (多少) and the answer's passage, from an official document,
    gives no figure at all: "讲话说适当减免小微企业贷款利息，具体减免多少" restates "适当减免小微企业贷款
    利息" and is not answered by it. Not "几类" (a class: "按乙类传染病…管理"), nor an encyclopedia, which
    may answer in words (CMRC)."""
    return (query.answer_type is AnswerType.QUANTITY and "多少" in query.text and _official(best, index)
            and not has_answer_type(index.entries[best.position].matchable, AnswerType.QUANTITY))


_QUOTED = re.compile(r"[“\"]([^”\"]{2,12})[”\"]")


def _list_coverage_needed(best: Judged, query: Query, index: Index) -> float:
    """How much of a list question its passage must hold (MIN_LIST_COVERAGE), less if the passage
    says what the question quotes ("“八个增长”里跟收入有关的几项分别是多少": "就是实现了“八个增长”…"):
    a name quoted is the list's own, and the rest of the question ("跟收入有关") picks among its items."""
    matchable = index.entries[best.position].matchable
    if any(normalize(quoted) in matchable for quoted in _QUOTED.findall(query.text)):
        return QUOTED_LIST_COVERAGE
    return MIN_LIST_COVERAGE


_QUESTION_MARK = re.compile(r"[?？]")


def _two_questions(text: str) -> bool:
    """Whether the text is two questions ("三年里城镇安排了多少人就业？国家为此增支减收一共多少钱？"),
    which a passage answers in two sentences: held to the coverage a list is."""
    return len([part for part in _QUESTION_MARK.split(text) if part.strip()]) >= 2


def _official(best: Judged, index: Index) -> bool:
    """Whether the answer is from an official document (a report, a speech, a notice…), which names
    organizations, places and officials in full (_names_which_asked). Other texts need not: an
    encyclopedia entry says "JR东日本" for a company (CMRC), with no suffix to know it by."""
    profile = index.documents[index.entries[best.position].chunk.doc].profile
    return profile is not None and profile.kind != OTHER_KIND


def _names_which_asked(best: Judged, query: Query, index: Index) -> bool:
    """Whether the answer names the organization, place or person by office the question asks which
    of (True if it asks none): "政务云平台是哪家公司承建的" is not answered by the platform's passage,
    which names no company. A place asked is named by the passage or is its document's, if of the
    level asked (answer_types.is_place_asked). Only asked of official documents (_official)."""
    if not _official(best, index):
        return True
    question, text = normalize(query.text), _where_answer_is(best, query, index)
    if asks_which_place(question) and not mentions_a_place(text, besides=question):
        # The document's own place may be the answer: "…“免证可办”的是哪个省" of Henan's report.
        profile = index.documents[index.entries[best.position].chunk.doc].profile
        return profile is not None and profile.place is not None and is_place_asked(question, profile.place)
    return names_organization_or_person_asked(question, text)


def result_for_target(best: Judged, query: Query, index: Index) -> bool:
    """Whether a target is asked and the answer's sentence reports a result under a review's heading."""
    return query.target and reports_result(index.entries[best.position].path_text, normalize(best.highlight))


def _where_answer_is(best: Judged, query: Query, index: Index) -> str:
    """Where the answer of the kind asked (a figure in a unit, a time, a figure per unit) must be
    (normalized): in the answer's sentence, if the question asks one thing ("2018年脱贫座谈会讲话里
    中央财政专项扶贫资金一年是多少亿" is not answered by "…年均增长22.7%" in a passage that gives
    other figures in 亿); else anywhere in its passage: the figures of a list, of an item pointed at
    ("第三个问题的第六点，把哪一年定成了什么年": its sentence is the heading "第六，加强作风建设。", the
    year comes after) or of a question asking two things are often in different sentences."""
    if (query.is_list or query.position or query.part is not None
            or not asks_one_thing(_clauses_of(query.text))):
        return index.entries[best.position].matchable
    return normalize(best.highlight)


def _clauses_of(question: str) -> str:
    """The question normalized, the spaces between its keywords read as commas (typed_separators):
    "藏 今年 新建改造高标准农田 多少亩 培育新型农牧业经营主体 几家" asks two things, as "…多少亩，
    …几家" does."""
    return normalize(typed_separators(question))


def _where_figure_is(best: Judged, query: Query, index: Index) -> str:
    """Where a figure in the unit asked must be (normalized): as _where_answer_is, or anywhere in a
    passage that opens with the answer's sentence and that sentence gives no figure: a passage about
    the thing names it, then gives its figures ("且末机场迁建工程开工。项目总投资约为5.81亿元")."""
    entry, sentence = index.entries[best.position], normalize(best.highlight)
    if sentence in _opening(entry) and not has_answer_type(sentence, AnswerType.QUANTITY):
        return entry.matchable
    return _where_answer_is(best, query, index)


def referenced_documents(query: Query, wanted: Wanted, index: Index, said: str = "") -> dict[int, float]:
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


def from_named(best: Judged, named: dict[int, float], index: Index) -> bool:
    """Whether the answer is from a document the question names in full, if it names one so:
    "县经济工作会议讲话里全县粮食总产量是多少万吨" is not answered by a provincial report. Years
    are no such name: "2018年那次研讨班上列了多少风险" is about a 2020 speech."""
    if not named or max(named.values()) < 1.0:
        return True
    return named.get(document_of(best, index), 0.0) >= 1.0


_RUN = re.compile(r"[0-9a-z.\-]+")
_CODE = re.compile(r"(?=[0-9a-z-]*[a-z])(?=[0-9a-z-]*\d)[0-9a-z-]{2,}")  # m101, g318, m2, 5g; not pm2.5


def _codes(query: Query) -> list[str]:
    """The codes of letters and digits the question names things by (normalized: "m101", "m2")."""
    return [run for run in _RUN.findall(normalize(query.text)) if _CODE.fullmatch(run)]


def _names_an_unknown_code(query: Query, index: Index) -> bool:
    """Whether the question names a thing by a code (of three characters or more) no passage uses:
    "北京地铁M101线今年能通车不" is about a line the report never mentions. A code of letters and
    digits has no other name to be said by; its neighbours (地铁, 通车) would find a passage about
    something else. Codes with a decimal point (PM2.5) are measures, cut differently in different
    sentences."""
    return any(len(code) >= 3 and not index.seen(code) and not all(map(index.seen, phrase_words(code)))
               for code in _codes(query))


def _code_unsaid(best: Judged, query: Query, index: Index) -> bool:
    """Whether the question names a thing by a code the answer's passage does not say: "今年M2增速
    目标是多少" is not answered by "今年预期目标设定为6%以上" on the economy's growth, which holds
    every other word. A code has no other name (_names_an_unknown_code)."""
    matchable = index.entries[best.position].matchable
    return any(code not in matchable for code in _codes(query))


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
    name if it is a prefecture-level city's: "昆明地铁6号线什么时候通车" is not answered by
    Beijing's 6号线. A province counts when
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
# figure may come a phrase after its name ("鄂州花湖机场开通国际国内货线91条，货邮吞吐量达到128万吨"),
# so two neighbouring phrases, or a sentence (_subjects_asked).
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
    Some clause (a place's) or two neighbouring phrases (a thing's, _subjects_asked) must hold its
    name, a figure (in the unit asked; not a number of a project's name the question says too: the
    第一期 of "葛洲坝水利枢纽第一期工程总投资是多少") and a word of what is asked ("…武汉…生产总值…亿元";
    not a word of the document's name: the 年 of "1981年政府工作报告里葛洲坝水利枢纽工程总投资是多少"
    asks nothing), unless the passage opens with it, as one about it does ("固始站现有18趟列车…"). A
    place that names the document (全市 of the Baotou notice) asks nothing of this kind."""
    if query.answer_type is not AnswerType.QUANTITY:
        return False
    entry = index.entries[best.position]
    subjects = _subjects_asked(query, entry, index, places)
    if not subjects:
        return False
    opening = _opening(entry)
    asked = asked_of_passage(wanted, best.position, index)
    named_figures = [number for thing in things_named_in(normalize(query.text))
                     for number in numbers_in_names(thing)]
    for subject in subjects:
        if any(name in opening for name in subject.names):
            continue
        topic = [forms for (weight, forms, link), term in zip(asked.terms, query.own_terms, strict=True)
                 if weight > 0 and link is None and term not in subject.said_as
                 and term not in query.naming_words and not any(name in term for name in subject.names)]
        if not any(any(name in piece for name in subject.names)
                   and _holds_figure(_without(piece, named_figures), query)
                   and (not topic or any(form in piece for forms in topic for form, _ in forms))
                   for piece in (entry.matchable[a:b] for a, b in cut_before(with_back_references(
                       subject.pieces(entry.matchable), entry.matchable), entry.matchable, scope_words()))):
            return True
    return False


def _subjects_asked(query: Query, entry: Entry, index: Index,
                    places: list[tuple[str, str]]) -> list[_Subject]:
    """The places and things the question asks a quantity of, as the passage would name them: a
    place by its name without the suffix (武汉), a thing by its rare words the passage holds
    (深中通道 → 深中通道; not 环境 nor 治理 of 傅家河环境治理工程, which many passages use), or by
    the name the passage quotes (胖东来)."""
    text = normalize(query.text)
    # A place named within a thing's name (鄂州花湖机场) is asked as the thing is: its figure may come
    # a clause after the name, in the same sentence.
    subjects = [_Subject((stem,), word, clause_spans if _said_with_a_thing(stem, text, entry.matchable)
                         else phrase_spans)
                for word, stem in places if word not in entry.named and stem not in entry.named]
    rare = NAME_RARITY * math.log(len(index) + 1)
    # A thing the question's last clause asks one figure of has it said beside its name: in its
    # phrase or the next ("拉萨贡嘎机场…开了几条国际航线" is not answered by "拉萨贡嘎机场升级为国际机场，
    # …获批，…投运，…启动，14个传统边贸点恢复开放"). Else in its sentence: a thing the question restates
    # ("云南一带一路南向大通道，中老铁路累计发送旅客多少了"), or several figures asked ("疏堵工程、停车位、
    # 信号灯联网各安排了多少": "完成30项市级疏堵工程，打通20条断头路，…建设2.5万个停车位…").
    asking = last_clause(text)[1]
    for thing in things_named_in(text):
        names = tuple(term for term, weight in zip(query.own_terms, query.own_weights, strict=True)
                      if weight > 0 and len(term) >= 2 and term in thing and term in entry.matchable
                      and index.idf(term) >= rare)
        beside = thing in asking and not asks_several(asking) and ENUMERATION_COMMA not in asking
        if names:
            subjects.append(_Subject(names, thing, neighbouring_phrases if beside else clause_spans))
    # A name the passage sets in quotes and the question says: "胖东来去年营业额多少" is not answered
    # by "…旅游收入超万亿元，“胖东来”频频出圈", whose figures are the tourism's.
    said = {name for subject in subjects for name in subject.names}
    subjects += [_Subject((name,), name, clause_spans) for name in quoted_names(entry.matchable)
                 if name in text and name not in said and not any(name in s.said_as for s in subjects)]
    return subjects


# How many characters after a place the question names must be said with it for the place to
# be the start of a thing's name (_said_with_a_thing): "鄂州花湖" of "鄂州花湖机场".
PLACE_CONTEXT = 2

# How often a document says a word in one passage for the word to be one of its topics
# (_never_said_together): the 2022 report's passage on 国防和军队建设 says 国防 seven times.
TOPIC_MENTIONS = 3

# Words that specify no kind of thing: question words, 之前 / 之后, and a measure word a count
# glues to the next word ("多少个省重点建设项目" → 个省).
_NO_SPECIFIER = ("之", "几", "哪", "多少", "什么")
_COUNTED = r"(?:多少|几|[0-9一二三四五六七八九十两])"


def _said_with_a_thing(place: str, question: str, passage: str) -> bool:
    """Whether the passage names the place as the question does, at the start of a longer name
    or in brackets after one: the 鄂州 of "鄂州花湖机场", the 郑州 of "中欧班列（郑州）", whose
    figures are the thing's, a clause after its name (the place and the PLACE_CONTEXT characters of
    the question after it, or the place in brackets)."""
    if f"({place})" in question and f"({place})" in passage:
        return True
    for match in re.finditer(re.escape(place), question):
        named = question[match.start():match.end() + PLACE_CONTEXT]
        if len(named) == len(place) + PLACE_CONTEXT and named in passage:
            return True
    return False


def _another_figure(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether a quantity is asked and the answer's sentence gives another figure than the one
    asked, or none of its own (the question and the sentence normalized once for all the checks):
    another thing's (_of_another_thing); only the one the question states (_only_the_figure_given);
    a running total for one year's ("中老铁路2024年当年发送旅客多少万人次": "中老铁路累计发送旅客超
    4500万人次", since it opened); a masked one for the figure itself ("xx区2021年生产总值具体是多少亿":
    "全年实现生产总值 X 亿元;…增长 X%", as scraped speeches publish them)."""
    if query.answer_type is not AnswerType.QUANTITY:
        return False
    question, sentence = normalize(query.text), normalize(best.highlight)
    return (_of_another_thing(best, question, sentence, query, wanted, index)
            or _only_the_figure_given(question, sentence)
            or (asks_one_year(question) and gives_running_total(sentence))
            or (asks_exact_figure(question) and gives_only_masked_figures(sentence)))


def _of_another_thing(best: Judged, question: str, sentence: str, query: Query, wanted: Wanted,
                      index: Index) -> bool:
    """Whether the quantity is asked of a thing the answer's passage does not name, its figure
    being another thing's."""
    read = _Read.of(best, question, sentence, index)
    asked = asked_of_passage(wanted, best.position, index)
    return (_of_another_kind(read, query, asked, index)
            or _never_said_together(read, document_of(best, index), query, asked, index))


@dataclass(frozen=True)
class _Read:
    """What both checks of _of_another_thing (and _whether_unsaid's) read: the answer's passage, the
    question and the answer's sentence (normalized), and the idf a rare word of the library has."""

    entry: Entry
    question: str
    sentence: str
    rare: float

    @classmethod
    def of(cls, best: Judged, question: str, sentence: str, index: Index) -> _Read:
        return cls(index.entries[best.position], question, sentence, NAME_RARITY * math.log(len(index) + 1))


def _only_the_figure_given(question: str, sentence: str) -> bool:
    """Whether the (normalized) question states a figure and the answer's sentence holds that figure
    and no other: "2022年高校毕业生超1000万，其中研究生有多少" is not answered by "今年高校毕业生超过
    1000万人，要加强就业创业指导…", which says the total the question starts from; nor, when it asks a
    part of that count, holds no other figure in its classifier (count_part_asked). A name the
    question quotes states its figures too: "“万名村医培优提质”行动每年培训多少名村医" is not answered by
    "开展“万名村医培优提质”行动。"."""
    stated = [figure for figure in stated_figures(question) + stated_counts(question) if figure in sentence]
    stated += [name for name in quoted_names(question)
               if name in sentence and has_answer_type(name, AnswerType.QUANTITY)]
    if not stated:
        return False
    rest = _without(without_codes(sentence), stated)
    if asks_figure_each(last_clause(question)[1]):  # "1000座5G基站，三大运营商各建多少座": two at least
        return len(stated_figures(rest)) < 2  # not an item's number ("59．新增5G基站…")
    part = count_part_asked(question)
    if part:
        return not has_figure_in(rest, part)
    return not has_answer_type(rest, AnswerType.QUANTITY)


def _asked_clause_unsaid(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether a question that first restates what a document says and then asks a figure, a
    time, a person or a reason of it ("湖北报告提到李德仁院士获国家最高科学技术奖，奖金是多少",
    "…女排第一次夺得世界冠军，主教练是谁") finds none of the words only its last clause says (奖金,
    主教练) in the answer's passage: the passage matched the restatement and
    says nothing of what is asked. Not what else a question asks: that is often said in other
    words (CMRC: "这种庙宇被称为什么"). Not a list, an item pointed at, nor a question whose first
    clauses ask too ("12345热线升级哪个单位牵头，啥时候要弄完") or whose last asks several things."""
    if query.is_list or query.position or query.part is not None:
        return False
    premise, clause = last_clause(normalize(query.text))
    if query.answer_type is None and not asks_person_or_reason(clause):
        return False
    if not premise or asks_something(premise) or asks_several(clause):
        return False
    asked = asked_of_passage(wanted, best.position, index)
    own = zip(query.own_terms, query.own_weights, asked.terms, strict=True)
    kept = tuple(term in clause and term not in premise and len(term) > 1 and weight >= 1.0 and link is None
                 for term, weight, (_, _, link) in own)
    new = asked.only(kept)
    if new is asked:
        return False  # the last clause says nothing new, or everything
    entry = index.entries[best.position]
    # A sentence without the kind of answer asked answers by holding nearly all of the question
    # (MIN_UNTYPED_SHARE): then what is asked must be in it, not anywhere in its passage.
    sentence = normalize(best.highlight)
    said = entry.matchable if best.typed else _opening(entry) + sentence + _sentence_after(entry, sentence)
    return new.share_found(said, entry.year) == 0


def _sentence_after(entry: Entry, sentence: str) -> str:
    """The sentence after the answer's in its passage, normalized ("" if none): a question restating
    one sentence asks what the next one says ("领导干部专业能力跟不上，要求成为啥样的领导": "…专业能力
    明显跟不上，必须引起高度重视。" then "各级领导干部要…使自己成为内行领导")."""
    text = entry.matchable
    at = text.find(sentence)
    if at < 0 or not sentence:
        return ""
    rest = text[at + len(sentence):]
    spans = sentence_spans(rest)
    return rest[spans[0][0]:spans[0][1]] if spans else ""


def _written_together(first: str, second: str, terms: tuple[str, ...], text: str) -> bool:
    """Whether the (normalized) question writes one word right before another, or within words
    it is cut into: 国防 before 预算 in "国防费预算" (国防费), 旅游 before 收入 in "旅游总收入" (总收入)."""
    return (first + second in text
            or any(term.startswith(first) and term + second in text for term in terms)
            or any(term.endswith(second) and first + term in text for term in terms))


def _of_another_kind(read: _Read, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether a quantity asked of one thing of a kind ("个税起征点") is given, in the answer's
    sentence, of another of that kind ("增值税起征点": another word ending in 税 right before
    起征点), and the passage never names the one asked (个税, nor 个人所得税). The thing (起征点) and
    the word that specifies it are rare words of the library, written together in the question;
    the one before it in the sentence shares its last character (the kind: 税) and no other
    ("第二轮土地承包" is the 农村土地承包 asked, "老年人免费接种" the 老人免费 asked)."""
    entry, text, sentence, rare = read.entry, read.question, read.sentence, read.rare
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


def _never_said_together(read: _Read, document: int, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether a quantity is asked of a thing named by two words ("国防预算", "国防支出") that the
    answer's document never says together: the 2022 report speaks of 国防 in a passage of its
    own and of 预算 and 支出 in others, so "2022年报告国防预算增长多少" is not answered by "…调入预算
    稳定调节基金等，支出规模比去年扩大2万亿元以上", which lacks 国防. The first word is one the
    passage lacks, rare in the library (as _specifies), and a topic of the document (said at least
    TOPIC_MENTIONS times in one passage, so not a word said in passing); the second is in the
    answer's sentence; no passage of the document holds both."""
    entry, text, sentence, rare = read.entry, read.question, read.sentence, read.rare
    terms = query.own_terms
    passages: list[str] | None = None
    pairs = ((n, k) for n in range(len(terms)) for k in range(n + 1, min(n + 3, len(terms))))
    for n, k in pairs:
        first, second = terms[n], terms[k]
        weight, _, link = wanted.terms[k]
        if (weight <= 0 or link is not None or second not in sentence
                or not _written_together(first, second, terms, text)
                or not _specifies(first, wanted.terms[n], query, text, entry, index, rare)):
            continue
        if passages is None:
            passages = passage_texts(document, index)
        holding = [passage for passage in passages if first in passage]
        if (max((passage.count(first) for passage in holding), default=0) >= TOPIC_MENTIONS
                and not any(second in passage for passage in holding)):
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


def _without(text: str, words: list[str]) -> str:
    """The text without any of the words."""
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def _holds_figure(piece: str, query: Query) -> bool:
    """Whether a piece of a passage holds a figure, in the unit asked if the question asks one."""
    return has_figure_in(piece, query.unit) if query.unit else has_answer_type(piece, AnswerType.QUANTITY)


def _count_unlisted(query: Query, passage: Passage) -> bool:
    """Whether the question asks for a count of items ("哪十项") and the passage's best sentence
    names that count without listing them, nor do they follow in the quote: "河南十项重点民生实事
    具体是哪十项" is not answered by "办好十项重点民生实事，着力解决群众的急难愁盼问题。"."""
    if not query.count:
        return False
    return count_unlisted(*_highlight_and_after(passage), query.count)


def _highlight_and_after(passage: Passage) -> tuple[str, str]:
    """The passage's best sentence and the text after it in the quote (normalized): where a list the
    sentence announces would follow."""
    sentence, text = normalize(passage.highlight), normalize(passage.text)
    at = text.find(sentence)
    return sentence, text[at + len(sentence):] if at >= 0 else ""


def _which_few_unlisted(query: Query, passage: Passage) -> bool:
    """Whether the question asks which few things ("首批是哪几家", "约谈了哪几个省") and the passage's
    best sentence names none, nor do they follow in the quote: "2021年报告说成功组建首批国家实验室，首批
    是哪几家" is not answered by "…，成功组建首批国家实验室。", which only says there are some. The
    clauses of the sentence that say the question's words must list items (which_few_unlisted)."""
    question = last_clause(normalize(query.text))[1]
    if not asks_which_few(question):
        return False
    words = [term for term, weight in zip(query.own_terms, query.own_weights, strict=True)
             if weight > 0 and len(term) >= 2 and term in question]
    if _MENTIONED.search(question):  # "讲话里提到的煤矿都有哪几个": each named where the passage says it
        sentences = split_sentences(normalize(passage.text))
        return all(which_few_unlisted(sentence, "", words) for sentence in sentences
                   if any(word in sentence for word in words))
    return which_few_unlisted(*_highlight_and_after(passage), words)


# Things asked as mentioned anywhere ("提到的煤矿都有哪几个"), not as one sentence's list.
_MENTIONED = re.compile(r"(?:提到|提及|说到|讲到|点到)(?:了|过)?的")


def _whether_unsaid(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether the answer's sentence, read with its passage's opening (which names what a passage
    is about), says less than MIN_WHETHER_SHARE of the clause a yes/no question asks whether:
    "河南汽车以旧换新，外省牌照的车能不能参加" is not answered by "汽车以旧换新超40万辆", which says
    nothing of 外省牌照; "3岁以下婴幼儿照护费用能不能抵个税" is, by "将3岁以下婴幼儿照护费用纳入个人
    所得税专项附加扣除"."""
    if not any(query.whether):
        return False
    if done_yet(normalize(query.text)) and not any(
            index.seen(term) for term, done in zip(query.own_terms, query.whether, strict=True) if done):
        return False  # "燃煤电厂的可研过了没有": 研过 (jieba's word) is no document's word, asks nothing
    asked = asked_of_passage(wanted, best.position, index)
    clause = asked.only(query.whether)
    if clause is asked and not all(query.whether):
        return False  # no word of the clause weighs anything
    entry = index.entries[best.position]
    sentence = normalize(best.highlight)
    if clause.share_found(_opening(entry) + sentence, entry.year) < MIN_WHETHER_SHARE:
        return True
    # Nor by what is said of another thing of the kind asked: "个税起征点今年会不会上调" is not
    # answered by "将小规模纳税人增值税起征点…提高到15万元" (as "个税起征点提到多少" is not).
    read = _Read.of(best, normalize(query.text), sentence, index)
    return _of_another_kind(read, query, asked, index)


def _places_asked(query: Query, index: Index) -> list[tuple[str, str]]:
    """(word, its name without the suffix) of each city or county the question names: in full
    (武汉市, 固始县), or by the bare name of a prefecture-level city (武汉; places.txt [cities]).
    Not a bare word the library happens to write before a suffix: 贫困 of 贫困县 is no place."""
    full = places_named_by(query.own_terms)
    bare = [(word, word) for word in query.own_terms
            if len(word) >= 2 and not places_named_by([word]) and names_a_city(word)]
    return full + bare


def _holds_years_asked(best: Judged, query: Query, index: Index) -> bool:
    """Whether the answer's passage (with its heading path, and the title line of the attachment
    it is in) holds each year the question names outright, as written or as its document says it:
    "脱贫座谈会讲话里2019年底贫困人口还剩多少" is not answered by a 2018 speech's "2017年底的3046万
    人", but "2021年国内生产总值达到多少" is by "去年国内生产总值达到114万亿元" in the 2022 report,
    and "云南2025年10件惠民实事第七件" by the 七、 of the attachment "附件" / "2025年10件惠民实事".
    The passage, not the highlighted sentence: the year is often said a sentence before the answer
    ("2011年…。他获得了…"). A question pointing at an item names its document's own year with it
    ("包头2022年数字政府建设考评办法附件第47条…新增多少户"): the item need not say it."""
    if not query.years_asked:
        return True
    entry = index.entries[best.position]
    missing = [year for year in query.years_asked if str(year) not in entry.matchable
               and not (entry.year and YearLink(absolute=year).found(entry.matchable, entry.year))
               and not (query.position and year == entry.year)]
    title = normalize(_attachment_title(entry, index)) if missing else ""
    return all(str(year) in title for year in missing)


def _attachment_title(entry: Entry, index: Index) -> str:
    """The title line of the attachment the entry's passage is in ("2025年10件惠民实事"), or ""."""
    document = index.documents[entry.chunk.doc]
    section_id = entry.chunk.section
    while section_id is not None:
        section = document.sections[section_id]
        title = title_line(document, section)
        if title:
            return title
        section_id = section.parent
    return ""


def _opening(entry: Entry) -> str:
    """The entry's heading path and first sentence (normalized): a passage about a thing opens with it."""
    return entry.matchable[: entry.matchable.find("。", entry.path_length) + 1 or None]


def _asked_word_unsaid(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether an answer without the kind asked (no figure for "多少", no time for "啥时候"), taken
    for holding nearly all of the question (MIN_UNTYPED_SHARE), lacks the word a question word asks
    of: "河南漯河金海千亿级氟硅新材料项目总投资多少、啥时候投产" shares the project's rare name with
    "…加快…漯河金海千亿级氟硅新材料项目建设。", which says nothing of 投资 nor of 投产; "金融稳定保障基金
    规模有多大" with "设立金融稳定保障基金", no 规模. The word right before the question word or right
    after it (past 是, 预计, 计划…), in any of its forms, in the sentence (or the passage, if it opens
    with the sentence). Only asked of official documents (_official): an encyclopedia says when a
    sea snake comes out ("扁尾海蛇通常在什么时候出没") in other words (CMRC)."""
    if (best.typed or query.answer_type is None or best.sentence_share < MIN_UNTYPED_SHARE
            or not _official(best, index)):
        return False
    text = normalize(query.text)
    asked = asked_of_passage(wanted, best.position, index)
    entry, sentence = index.entries[best.position], normalize(best.highlight)
    # A passage about the thing opens with it, and may say the rest after: "且末机场迁建工程开工。项目
    # 总投资约为5.81亿元".
    said = entry.matchable if sentence in _opening(entry) else sentence
    return any(_word_beside_unsaid(query, asked, said, before, after)
               for before, after in around_time_or_quantity_asked(text))


def _word_beside_unsaid(query: Query, asked: Wanted, said: str, before: str, after: str) -> bool:
    """Whether a word of the question (of two characters or more, searched, no year nor document
    name) that the question says right before a question word (ending `before`) or right after it
    (opening `after`) is in none of its forms in the normalized text `said`."""
    own = zip(query.own_terms, query.own_weights, asked.terms, strict=True)
    return any(len(term) >= 2 and weight > 0 and link is None and term not in query.naming_words
               and (before.endswith(term) or after.startswith(term))
               and not any(form in said for form, _ in forms)
               for term, weight, (_, forms, link) in own)


def _held_only_by_the_document_year(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether the answer's sentence holds enough of the question (MIN_SENTENCE_SHARE) only by saying
    the year the question names its document by: "1981年政府工作报告里国防费安排了多少亿" is not
    answered by "…１９８１年还会有一百几十亿元的赤字…" of the 1981 report, whose 1981 only says which
    document it is in; without it, 国防费 and 安排 are missing. Not for lists (a list's answer is its
    passage) nor positions (the year names the document the position is counted in); a question
    asking several things is answered where _where_answer_is reads, its passage ("守住多少亿亩红线、
    新建多少高标准农田，还要加大哪两类土地的保护利用")."""
    if query.is_list or query.position or query.part is not None or best.sentence_share < MIN_SENTENCE_SHARE:
        return False
    entry = index.entries[best.position]
    naming = {year for year, _ in query.named_by_year} - set(query.years_asked)
    if entry.year not in naming:
        return False
    asked = asked_of_passage(wanted, best.position, index)
    kept = tuple(not (forms and forms[0][0] == str(entry.year)) for _, forms, _ in asked.terms)
    reduced = asked.only(kept)
    if reduced is asked:
        return False
    where = entry.path_text + _where_answer_is(best, query, index)
    return reduced.share_found(where, entry.year) < MIN_SENTENCE_SHARE


def _kind_asked_unsaid(best: Judged, query: Query, wanted: Wanted, index: Index) -> bool:
    """Whether a question asking which one of a kind ("那块金牌是哪个项目", "在哪个国家比的", "由哪个
    部门牵头") is answered by a sentence that does not say the kind, in any of its forms: "我省选手在世界
    技能大赛上获得1金1银" names no 项目; or one asking who holds a role ("女排当时主教练是谁") by a
    sentence that does not say the role ("女子排球队又第一次夺得了世界冠军"). Official documents only
    (_official); not a position ("（六）是哪个方面": the heading is the answer)."""
    if not _official(best, index) or query.position or query.part is not None:
        return False
    asked = asked_of_passage(wanted, best.position, index)
    sentence = normalize(best.highlight)
    question = normalize(query.text)
    around = [*(("", after) for after in which_kinds_asked(question)),
              *((before, "") for before in before_who_asked(question))]
    return any(_word_beside_unsaid(query, asked, sentence, before, after) for before, after in around)
