"""Commitments: what a document promises to do, how much, by when, under which heading.

Team members ask "what did we commit to?" rather than "what does paragraph 7 say?".
A commitment is a sentence (or the part of it from its first marker on) in the
forward-looking part of a document that sets a target, a quantity, a deadline or a
named deliverable, or an item of an 一要…八要 list. What a review part reports as
done (2021 年工作回顾: 完成绿化面积 X 亩…) is not a commitment and is left out.

Every word list and pattern lives in one data file, data/rules/commitments.txt, with an
example per entry; this module only applies them:

    sentences → keep the forward-looking ones → trim to the first marker → classify.

Texts stay verbatim: a template placeholder such as "X 亿元" is kept as the quantity.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import jieba

from retrieval.models import Document, Passage
from retrieval.numerals import YEAR
from retrieval.rules import RULES_DIR

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

    def to_json(self) -> dict:
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


def parse_rule_groups(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Read "[group]" headers and their entries; " #" starts a comment."""
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        entry = line.split(" #", 1)[0].strip()
        if not entry or entry.startswith("#"):
            continue
        header = re.fullmatch(r"\[([a-z_]+)\]", entry)
        if header:
            current = groups.setdefault(header.group(1), [])
        elif current is not None:
            current.append(entry)
    return {name: tuple(entries) for name, entries in groups.items()}


def _any_of(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _quantity_pattern(groups: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """Number (digits, X placeholder, or Chinese numerals with a bound) + magnitude + unit + bound."""
    unit = "|".join(re.escape(u) for u in groups["units"])
    magnitude = "|".join(re.escape(m) for m in groups["magnitudes"])
    bound = "|".join(re.escape(b) for b in groups["bounds"])
    number = r"(?<![\dA-Za-z.])(?:\d+(?:\.\d+)?|X{1,2})"
    chinese = r"(?<![一二两三四五六七八九十百千])[一二两三四五六七八九十百千]+"
    measured = rf"{number}\s*(?:余|多)?\s*(?:{magnitude}){{0,2}}\s*(?:{unit})(?:\s*(?:{bound}))?"
    counted = rf"{chinese}(?:余|多)?(?:{unit})(?:{bound})"  # 两个以上; a bare 两个 is not a quantity
    return _any_of([measured, counted, *groups["fixed_quantity_patterns"]])


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    groups = parse_rule_groups(path.read_text(encoding="utf-8").splitlines())
    return Rules(
        target_words=groups["target_words"],
        result_verbs=groups["result_verbs"],
        list_item=_any_of(groups["list_item_patterns"]),
        quantity=_quantity_pattern(groups),
        deadline=_any_of(groups["deadline_patterns"]),
        review_heading_words=groups["review_heading_words"],
        forward_heading_words=groups["forward_heading_words"],
        forward_tokens=frozenset(groups["forward_tokens"]),
        completed_tokens=frozenset(groups["completed_tokens"]),
        preface=_any_of(groups["preface_patterns"]),
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
    boundaries = {0, len(text)} | {end for _, _, end in jieba.tokenize(text)}
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

_NUMBERED_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
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
        numbered = _NUMBERED_HEADING.match(line)
        if numbered or is_short_title_line(line):
            opening = line[numbered.end():] if numbered else line.strip()
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
    return len(stripped) <= _SHORT_LINE and not _SENTENCE_END.search(stripped)


def is_forward_phrasing(text: str, rules: Rules) -> bool:
    tokens = set(jieba.lcut(text))
    return bool(tokens & rules.forward_tokens) and not tokens & rules.completed_tokens


def is_completed_phrasing(text: str, rules: Rules) -> bool:
    return bool(set(jieba.lcut(text)) & rules.completed_tokens)


# --- Sentences -----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_CLAUSE_END = re.compile(r"[，,：:]")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """[start, end) spans of sentences and ；-clauses, surrounding whitespace excluded."""
    start = 0
    for match in _SENTENCE_END.finditer(text + "\n"):
        end = match.start()
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = start + len(piece) - len(piece.lstrip())
            yield lead, lead + len(stripped)
        start = match.end()


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


def normalise(text: str) -> str:
    """NFKC, whitespace removed: "X %" and "X％" compare equal."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


MIN_WORD_SHARE = 0.5  # a commitment matching fewer of the keyword's words is not listed


def search_commitments(commitments: Iterable[Commitment], keyword: str) -> list[Commitment]:
    """Commitments matching keyword, best first: the whole keyword in the text, then in the
    section path, then by the share of the keyword's words found; ties keep text order."""
    key = normalise(keyword)
    words = {w for w in (normalise(t) for t in jieba.lcut_for_search(keyword)) if w}
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
    text = normalise(commitment.text)
    section = normalise("".join(commitment.section))
    if key in text:
        return 3.0
    if key in section:
        return 2.0
    if not words:
        return 0.0
    share = sum(1 for w in words if w in text or w in section) / len(words)
    return share if share >= MIN_WORD_SHARE else 0.0


# --- Questions answered from the commitments -------------------------------------------------

# Only list questions: "三大主题公园什么时候建成" or "收储土地多少亩" ask for one fact, which the
# quoted passage answers with its sentence marked; "哪些任务要在月底前完成" asks for a list.
_ASKS_FOR_LIST = re.compile(r"哪些|列出|有几|几项|清单|所有|全部")
_ASKS_FOR_DEADLINE = re.compile(
    r"月底前|月底|年底|上半年|下半年|季度|[春夏秋冬]季|什么时候|何时|期限|时间节点"
)
_ASKS_FOR_QUANTITY = re.compile(r"量化|指标|多少|数字")
_ASKS_FOR_TARGET = re.compile(r"目标")
_ASKS_FOR_TASK = re.compile(r"任务|承诺|要做|工作安排|重点工作")
_QUESTION_WORDS = re.compile(
    r"哪些|什么时候|什么|多少|列出|有几|几项|清单|今年|全年|[的了吗呢要在有是和都？?]|"
    r"量化指标|指标|目标|任务|承诺|要做|工作安排|重点工作|完成|"
    r"月底前|月底|年底|上半年|下半年|季度|[春夏秋冬]季|何时|期限|时间节点"
)


def answer_from_commitments(question: str, commitments: Iterable[Commitment]) -> list[Commitment] | None:
    """Answer list questions about commitments; None when the question is not one or nothing fits.

    "哪些任务要在月底前完成" → commitments whose deadline says 月底前;
    "今年的量化指标有哪些" → commitments with quantities;
    "土地收储有哪些目标" → those quantified commitments that mention 土地收储.
    """
    if not _ASKS_FOR_LIST.search(question):
        return None
    selected = select_by_question_kind(question, list(commitments))
    if selected is None:
        return None
    topic = commitment_topic(question)
    if topic and not _asks_for_attribute(question):
        return None  # "2022年基础配套有哪些任务": a topic's tasks are its passage, quoted whole
    if topic:
        selected = search_commitments(selected, topic)
    return selected or None


def commitment_topic(question: str) -> str:
    """What a question about commitments is about, its question words left out: "土地收储有哪些目标"
    → "土地收储"; "" for a pure filter ("哪些任务要在月底前完成")."""
    return _QUESTION_WORDS.sub("", question).strip()


def _asks_for_attribute(question: str) -> bool:
    """Whether the question asks for a deadline, a quantity or a target (not just "tasks")."""
    return any(p.search(question) for p in (_ASKS_FOR_DEADLINE, _ASKS_FOR_QUANTITY, _ASKS_FOR_TARGET))


def select_by_question_kind(question: str, commitments: list[Commitment]) -> list[Commitment] | None:
    """The commitments a question's frame asks for, or None if it asks for none of them."""
    deadline = _ASKS_FOR_DEADLINE.search(question)
    if deadline:
        wanted = normalise(deadline.group(0))
        vague = wanted in {"什么时候", "何时", "期限", "时间节点"}
        return [c for c in commitments
                if c.deadline and (vague or wanted in normalise(c.deadline))]
    if _ASKS_FOR_QUANTITY.search(question):
        return [c for c in commitments if c.quantities]
    if _ASKS_FOR_TARGET.search(question):
        return [c for c in commitments if c.quantities or c.kind == "target"]
    if _ASKS_FOR_TASK.search(question):
        return commitments
    return None


# --- One commitment quoted ---------------------------------------------------------------


def commitment_passage(document: Document, commitment: Commitment) -> Passage:
    """The chunk containing the commitment as a quoted result, the commitment as its highlight.

    Should a commitment run past its chunk's end, the quote is extended to cover it, so
    the highlight is always found verbatim in the quote.
    """
    containing = [c for c in document.chunks if c.start <= commitment.start < c.end]
    if containing:
        chunk = containing[0]
        start, end, path, outline = chunk.start, max(chunk.end, commitment.end), chunk.path, chunk.outline
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
