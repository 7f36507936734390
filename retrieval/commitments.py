"""Commitments: what a document promises to do, how much, by when, under which heading.

Team members ask "what did we commit to?" rather than "what does paragraph 7 say?".
A commitment is a sentence (or the part of it from its first marker on) in the
forward-looking part of a document that sets a target, a quantity, a deadline or a
named deliverable, or an item of an 一要…八要 list. What a review part reports as
done (2021 年工作回顾: 完成绿化面积 X 亩…) is not a commitment and is left out.

Every word list and pattern lives in a data file with an example per entry: what a commitment
is in data/rules/commitments.txt, which questions ask for a listing in question_patterns.txt
(read by retrieval/question.py into the Query's intent). This module only applies them:

    sentences → keep the forward-looking ones → trim to the first marker → classify.

Texts stay verbatim: a template placeholder such as "X 亿元" is kept as the quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from retrieval.models import Document, Passage
from retrieval.question import CommitmentsIntent
from retrieval.rules import RULES_DIR, any_of, parse_rule_groups
from retrieval.text import sentences as text_sentences
from retrieval.text.markers import PART_STYLES, heading_marker
from retrieval.text.normalize import compact
from retrieval.text.tokens import search_words, split_words, word_ends
from retrieval.text.years import YEAR

Kind = Literal["target", "deadline", "task"]
Period = Literal["review", "forward"]

RULES_FILE = RULES_DIR / "commitments.txt"


@dataclass(frozen=True)
class Commitment:
    """One commitment; `text` is exactly `document.text[start:end]`."""

    doc: str
    section: tuple[str, ...]
    text: str
    start: int
    end: int
    kind: Kind
    quantities: tuple[str, ...] = ()  # verbatim, e.g. "X 亿元", "95%以上", "两个以上"
    deadline: str | None = None  # verbatim, e.g. "X 月底前", "上半年", "秋季"

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "section": list(self.section),
            "text": self.text,
            "kind": self.kind,
            "quantities": list(self.quantities),
            "deadline": self.deadline,
        }


# --- Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """The compiled contents of data/rules/commitments.txt."""

    target_words: tuple[str, ...]
    result_verbs: tuple[str, ...]
    list_item: re.Pattern[str]
    quantity: re.Pattern[str]
    deadline: re.Pattern[str]
    review_heading_words: tuple[str, ...]
    forward_heading_words: tuple[str, ...]
    forward_tokens: frozenset[str]
    completed_tokens: frozenset[str]
    preface: re.Pattern[str]


def _quantity_pattern(groups: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """Number (digits, X placeholder, or Chinese numerals with a bound) + magnitude + unit + bound."""
    unit = "|".join(re.escape(u) for u in groups["units"])
    magnitude = "|".join(re.escape(m) for m in groups["magnitudes"])
    bound = "|".join(re.escape(b) for b in groups["bounds"])
    number = r"(?<![\dA-Za-z.])(?:\d+(?:\.\d+)?|X{1,2})"
    chinese = r"(?<![一二两三四五六七八九十百千])[一二两三四五六七八九十百千]+"
    measured = rf"{number}\s*(?:余|多)?\s*(?:{magnitude}){{0,2}}\s*(?:{unit})(?:\s*(?:{bound}))?"
    counted = rf"{chinese}(?:余|多)?(?:{unit})(?:{bound})"  # 两个以上; a bare 两个 is not a quantity
    return any_of([measured, counted, *groups["fixed_quantity_patterns"]])


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    groups = parse_rule_groups(path.read_text(encoding="utf-8").splitlines())
    return Rules(
        target_words=groups["target_words"],
        result_verbs=groups["result_verbs"],
        list_item=any_of(groups["list_item_patterns"]),
        quantity=_quantity_pattern(groups),
        deadline=any_of(groups["deadline_patterns"]),
        review_heading_words=groups["review_heading_words"],
        forward_heading_words=groups["forward_heading_words"],
        forward_tokens=frozenset(groups["forward_tokens"]),
        completed_tokens=frozenset(groups["completed_tokens"]),
        preface=any_of(groups["preface_patterns"]),
    )


# --- Parsing one clause --------------------------------------------------------------------


def find_quantities(text: str, rules: Rules | None = None) -> tuple[str, ...]:
    """Quantities as written: "X 亿元", "95%以上", "1.79万套", "两个以上", "翻一番"."""
    rules = rules or load_rules()
    return tuple(m.group(0).strip() for m in rules.quantity.finditer(text))


def find_deadline(text: str, rules: Rules | None = None) -> str | None:
    """The first deadline as written: "X 月底前", "上半年", "秋季"; None if there is none."""
    match = (rules or load_rules()).deadline.search(text)
    return match.group(0) if match else None


def has_marker(text: str, rules: Rules) -> bool:
    """Whether a clause carries anything that makes it a commitment."""
    return bool(
        rules.list_item.search(text)
        or contains_any_word(text, rules.target_words + rules.result_verbs)
        or rules.quantity.search(text)
        or rules.deadline.search(text)
    )


def contains_any_word(text: str, words: Iterable[str]) -> bool:
    """Whether one of words occurs as a word: at least one of its ends on a jieba token boundary.

    "全面完成" and "建成投产" contain 完成 and 建成; "共建成果" (共建|成果) does not contain 建成.
    """
    present = [w for w in words if w in text]
    if not present:
        return False
    boundaries = word_ends(text)
    return any(
        match.start() in boundaries or match.end() in boundaries
        for word in present
        for match in re.finditer(re.escape(word), text)
    )


def classify(text: str, quantities: tuple[str, ...], deadline: str | None, rules: Rules) -> Kind:
    """A deadline wins over a target; a target is a quantity or a stated goal; the rest are tasks."""
    if deadline:
        return "deadline"
    if quantities or contains_any_word(text, rules.target_words):
        return "target"
    return "task"


# --- Forward-looking or review -------------------------------------------------------------

_HEADING_WINDOW = 20  # a heading's words come first; inline headings run on into the body
_SHORT_LINE = 30  # an unnumbered line this short may be a heading


def heading_period(heading: str, year: int | None, rules: Rules) -> Period | None:
    """Whether a heading opens a review or a forward part: by its year, then by its words."""
    opening = heading[:_HEADING_WINDOW]
    years = [int(y) for y in YEAR.findall(opening)]
    if years and year is not None:
        return "forward" if max(years) >= year else "review"
    if any(w in opening for w in rules.review_heading_words):
        return "review"
    if any(w in opening for w in rules.forward_heading_words):
        return "forward"
    return None


def section_period(path: tuple[str, ...], year: int | None, rules: Rules) -> Period | None:
    """The period of the innermost heading on the path that says one."""
    for heading in reversed(path):
        period = heading_period(heading, year, rules)
        if period:
            return period
    return None


def period_lines(text: str, year: int | None, rules: Rules) -> list[tuple[int, Period]]:
    """Where the text switches period, from heading-like lines; works without detected sections.

    A heading-like line is numbered (一、 / （一）) or short and no sentence, and its opening
    names a period by its words, e.g. "一、2021 年工作回顾 2021 年,我们…" or "2025年工作安排".
    """
    switches: list[tuple[int, Period]] = []
    offset = 0
    for line in text.split("\n"):
        numbered = heading_marker(line, PART_STYLES, chinese_only=True)
        if numbered or is_short_title_line(line):
            opening = line[numbered.end:] if numbered else line.strip()
            has_words = any(w in opening[:_HEADING_WINDOW]
                            for w in rules.review_heading_words + rules.forward_heading_words)
            period = heading_period(opening, year, rules) if has_words else None
            if period:
                switches.append((offset, period))
        offset += len(line) + 1
    return switches


def is_short_title_line(line: str) -> bool:
    """Short and without a sentence end: "2025年工作安排", not "去年完成了投资 5 亿元。"."""
    stripped = line.strip()
    return len(stripped) <= _SHORT_LINE and not _ENDS.search(stripped)


def is_forward_phrasing(text: str, rules: Rules) -> bool:
    tokens = set(split_words(text))
    return bool(tokens & rules.forward_tokens) and not tokens & rules.completed_tokens


def is_completed_phrasing(text: str, rules: Rules) -> bool:
    return bool(set(split_words(text)) & rules.completed_tokens)


# --- Sentences -----------------------------------------------------------------------------

# A sentence or ；-clause ends a commitment; a comma-clause ends a lead-in ("今年,首先要…,确保…").
_ENDS = re.compile(text_sentences.char_class(text_sentences.SENTENCE_ENDS + text_sentences.LINE_BREAK))
_CLAUSE_END = re.compile(text_sentences.char_class(text_sentences.COMMAS + text_sentences.COLONS))


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) spans of sentences and ；-clauses, surrounding whitespace excluded."""
    return text_sentences.clause_spans(text)


def trim_to_first_marker(text: str, rules: Rules) -> int:
    """Offset of the first comma-clause carrying a marker, so the lead-in is left out (and
    leading whitespace, as after an inline heading).

    "今年,首先要明确招商方向,…,确保全年有两个以上水饮品产业项目落地" → from "确保…".
    """
    start = 0
    for match in _CLAUSE_END.finditer(text + "，"):
        if has_marker(text[start:match.start()], rules):
            return start + len(text[start:]) - len(text[start:].lstrip())
        start = match.end()
    return len(text) - len(text.lstrip())


# --- Extraction ----------------------------------------------------------------------------


def extract_commitments(document: Document, rules: Rules | None = None) -> tuple[Commitment, ...]:
    """All commitments of a document, in text order."""
    rules = rules or load_rules()
    switches = period_lines(document.text, document.year, rules)
    found = []
    for sentence_start, end in sentences(document.text):
        start = after_heading(document, sentence_start)
        if start >= end:
            continue
        sentence = document.text[start:end]
        if not has_marker(sentence, rules) or rules.preface.search(sentence):
            continue
        path = section_path(document, start)
        period = section_period(path, document.year, rules) or period_at(switches, start)
        if not is_commitment_in_period(sentence, period, rules):
            continue
        trimmed_start = start + trim_to_first_marker(sentence, rules)
        found.append(make_commitment(document, path, trimmed_start, end, rules))
    return tuple(found)


def is_commitment_in_period(sentence: str, period: Period | None, rules: Rules) -> bool:
    """Review parts hold none; forward parts all but past facts; elsewhere forward phrasing decides."""
    if period == "review":
        return False
    if period == "forward":
        return not is_completed_phrasing(sentence, rules)
    return bool(rules.list_item.search(sentence)) or is_forward_phrasing(sentence, rules)


def make_commitment(document: Document, path: tuple[str, ...], start: int, end: int,
                    rules: Rules) -> Commitment:
    text = document.text[start:end]
    quantities = find_quantities(text, rules)
    deadline = find_deadline(text, rules)
    return Commitment(doc=document.name, section=path, text=text, start=start, end=end,
                      kind=classify(text, quantities, deadline, rules),
                      quantities=quantities, deadline=deadline)


def period_at(switches: list[tuple[int, Period]], offset: int) -> Period | None:
    """The period set by the last heading-like line at or before offset."""
    period = None
    for switch_offset, switch_period in switches:
        if switch_offset > offset:
            break
        period = switch_period
    return period


def section_path(document: Document, offset: int) -> tuple[str, ...]:
    """Heading path of the innermost section (else chunk) that contains offset."""
    containing = [s for s in document.sections if s.start <= offset < s.end]
    if containing:
        return max(containing, key=lambda s: (s.level, s.start)).path
    for chunk in document.chunks:
        if chunk.start <= offset < chunk.end:
            return chunk.path
    return ()


def after_heading(document: Document, offset: int) -> int:
    """Move an offset inside a heading to where its body starts: a section title is no commitment.

    "二、2022 年的重点工作 2022 年 xx 区的发展思路…" keeps only "2022 年 xx 区的发展思路…".
    """
    for section in document.sections:
        if section.start <= offset < section.body_start:
            return section.body_start
    return offset



# --- Search --------------------------------------------------------------------------------


MIN_WORD_SHARE = 0.5  # a commitment matching fewer of the keyword's words is not listed


def search_commitments(commitments: Iterable[Commitment], keyword: str) -> list[Commitment]:
    """Commitments matching keyword, best first: the whole keyword in the text, then in the
    section path, then by the share of the keyword's words found; ties keep text order."""
    key = compact(keyword)
    words = {w for w in (compact(t) for t in search_words(keyword)) if w}
    # One-character pieces ("前" of "月底前") match inside unrelated words ("前期"): drop them
    # when the keyword has longer words.
    words = {w for w in words if len(w) > 1} or words
    if not key:
        return []
    scored = []
    for order, commitment in enumerate(commitments):
        score = match_score(commitment, key, words)
        if score > 0:
            scored.append((-score, order, commitment))
    return [c for _, _, c in sorted(scored, key=lambda item: item[:2])]


def match_score(commitment: Commitment, key: str, words: set[str]) -> float:
    text = compact(commitment.text)
    section = compact("".join(commitment.section))
    if key in text:
        return 3.0
    if key in section:
        return 2.0
    if not words:
        return 0.0
    share = sum(1 for w in words if w in text or w in section) / len(words)
    return share if share >= MIN_WORD_SHARE else 0.0


# --- Questions answered from the commitments -------------------------------------------------

def answer_from_commitments(intent: CommitmentsIntent | None,
                            commitments: Iterable[Commitment]) -> list[Commitment] | None:
    """Answer a list question about commitments from its intent (Query.commitments, see
    retrieval/question.py); None when the question is not one or nothing fits.

    "哪些任务要在月底前完成" → commitments whose deadline says 月底前;
    "今年的量化指标有哪些" → commitments with quantities;
    "土地收储有哪些目标" → those quantified commitments that mention 土地收储.
    """
    if intent is None:
        return None
    selected = select_by_intent(intent, list(commitments))
    if intent.topic:
        selected = search_commitments(selected, intent.topic)
    return selected or None


def select_by_intent(intent: CommitmentsIntent, commitments: list[Commitment]) -> list[Commitment]:
    """The commitments of the kind a question asks for."""
    if intent.wants == "deadline":
        wanted = intent.deadline
        return [c for c in commitments if c.deadline and (wanted is None or wanted in compact(c.deadline))]
    if intent.wants == "quantity":
        return [c for c in commitments if c.quantities]
    if intent.wants == "target":
        return [c for c in commitments if c.quantities or c.kind == "target"]
    return commitments


# --- One commitment quoted ---------------------------------------------------------------


def commitment_passage(document: Document, commitment: Commitment) -> Passage:
    """The chunk containing the commitment as a quoted result, the commitment as its highlight.

    Should a commitment run past its chunk's end, the quote is extended to cover it, so
    the highlight is always found verbatim in the quote.
    """
    containing = [c for c in document.chunks if c.start <= commitment.start < c.end]
    if containing:
        chunk = containing[0]
        start, end, path = chunk.start, max(chunk.end, commitment.end), chunk.path
        outline = document.outline(chunk)
        section = chunk.section
    else:  # a document without chunks there: quote the commitment itself
        start, end, path, outline = commitment.start, commitment.end, commitment.section, ()
        section = None
    return Passage(
        doc=document.name,
        section=path,
        text=document.text[start:end],
        highlight=commitment.text,
        outline=outline,
        score=1.0,
        title=document.title,
        section_id=section,
    )


# --- Plain-text listing --------------------------------------------------------------------

KIND_LABELS: dict[str, str] = {"target": "目标", "deadline": "时限", "task": "任务"}


def format_commitments(commitments: Iterable[Commitment], titles: Mapping[str, str] | None = None) -> str:
    """A numbered list; consecutive commitments of one document and section share a header,
    which names the document by its title when `titles` (file name → title) knows it."""
    lines: list[str] = []
    previous: tuple[str, tuple[str, ...]] | None = None
    for number, commitment in enumerate(commitments, start=1):
        place = (commitment.doc, commitment.section)
        if place != previous:
            name = (titles or {}).get(commitment.doc, commitment.doc)
            lines.append("\n" + " › ".join((name, *commitment.section)))
            previous = place
        lines.append(f"{number}. [{KIND_LABELS[commitment.kind]}] {commitment.text}{details(commitment)}")
    return "\n".join(lines).strip()


def details(commitment: Commitment) -> str:
    parts = []
    if commitment.quantities:
        parts.append("数量：" + "、".join(commitment.quantities))
    if commitment.deadline:
        parts.append("期限：" + commitment.deadline)
    return f"（{'；'.join(parts)}）" if parts else ""
