"""Find the sections a question points at by position: "第三部分第（二）项", "最后一部分", "倒数第二条".

A position is a path of steps (retrieval/question.py): (3, 2) is the second item of the third
part; negative steps count from the end. Documents number their parts in many styles (三、
（二） 2． 二是 第二，), and a question's outermost step need not be the document's top level
("北京报告重点任务第（八）项" skips 三、2025年重点任务; "十件民生实事里第五件" is deep in a
part), so the first step matches at any level: every list has a fifth item, and the question's
other words pick the list. Each further step is looked for among the children of the sections
found so far, then, if none is numbered so, one level deeper at a time. Back matter (名词解释,
附件) is never "the last part".
"""

from __future__ import annotations

import re

from retrieval.models import Document, Section
from retrieval.text.normalize import normalize
from retrieval.text.sentences import SENTENCE_ENDS

BACK_MATTER = "back"  # structure.HEADING_RULES kind of 名词解释 / 附件 headings
# A bare attachment heading, whose next line is its title (at most TITLE_LINE_MAX long, no
# sentence): "附件", "附件2：" / "包头市数字政府建设考评指标".
TITLE_LINE_MAX = 40
_BARE_ATTACHMENT = re.compile(r"(?:附件|附表|附录)\s*\d{0,2}[:：]?")


def sections_at(document: Document, position: tuple[int, ...], size: int | None = None) -> list[Section]:
    """The sections at that position in the document, outermost step first; [] if none.

    `size` is the length of the list the first step counts in, when the question says it
    ("九个方面里第五个": 9): lists of that length are preferred, if the document has any.
    """
    if not position:
        return []
    groups = [document.children(None), *(document.children(s.id) for s in document.sections)]
    sized = [g for group in groups for g in lists_of_size(group, size)]
    found = [s for group in (sized or groups) for s in _pick(group, position[0])]
    for step in position[1:]:
        found = [s for parent in found for s in _step(document, parent, step)]
    return found


def lists_of_size(siblings: tuple[Section, ...], size: int | None) -> list[tuple[Section, ...]]:
    """The lists of `size` items among siblings (back matter not counted): all of them, or a run
    numbered in one style (_lists)."""
    if size is None:
        return []
    return [g for g in (siblings, *_lists(siblings)) if len([s for s in g if s.kind != BACK_MATTER]) == size]


def _lists(siblings: tuple[Section, ...]) -> list[tuple[Section, ...]]:
    """The lists among siblings: runs numbered in one style, when there are several. Under
    Zhejiang's 二、 the eleven tasks （一）…（十一） are followed by ten 民生实事 1.…10.: "11方面重点
    工作里第七项" counts in the first, "十方面民生实事第七个" in the second."""
    runs: list[list[Section]] = []
    for section in siblings:
        if runs and runs[-1][-1].kind == section.kind:
            runs[-1].append(section)
        else:
            runs.append([section])
    return [tuple(run) for run in runs] if len(runs) > 1 else []


def sections_below(document: Document, section: Section, position: tuple[int, ...],
                   size: int | None = None) -> list[Section]:
    """The sections at that position counted inside one section ("重点任务里最后一个方面": the
    last of 三、2025年重点任务's items), its children first, else deeper; [] if none. With `size`,
    the first step counts in the list of its children of that size: "11方面重点工作的最后一个" in
    Zhejiang's 二、, whose eleven tasks （一）…（十一） are followed by ten 民生实事 1.…10."""
    if not position:
        return [section]
    sized = lists_of_size(document.children(section.id), size)
    first = position[0]
    found = [s for group in sized for s in _pick(group, first)] if sized else _step(document, section, first)
    for step in position[1:]:
        found = [s for parent in found for s in _step(document, parent, step)]
    return found


def numbered_below(document: Document, section: Section, number: int) -> list[Section]:
    """Every section inside `section`, at any depth, numbered `number`, in document order: "考评指标
    第3条" may be the 三、, a （三） or the 3． of the attachment (words asked of it tell which)."""
    found, level = [], list(document.children(section.id))
    while level:
        found += [s for s in level if s.number == number]
        level = [child for s in level for child in document.children(s.id)]
    return sorted(found, key=lambda s: s.start)


def last_number_below(document: Document, section: Section) -> int:
    """The highest number of a section inside `section`, at any depth: the last article of an
    attachment numbered 1．… 90． across its parts ("考评指标倒数第二条" is its 89．); 0 if none."""
    highest, level = 0, list(document.children(section.id))
    while level:
        highest = max([highest, *(s.number for s in level if s.number is not None)])
        level = [child for s in level for child in document.children(s.id)]
    return highest


def _step(document: Document, parent: Section, step: int) -> list[Section]:
    """The sections one step below parent: its children, else the nearest level that has a match."""
    level = [parent]
    while level:
        groups = [document.children(p.id) for p in level]
        found = [s for group in groups for s in _pick(group, step)]
        if found:
            return found
        level = [s for group in groups for s in group]
    return []


def _pick(siblings: tuple[Section, ...], step: int) -> list[Section]:
    """The sibling numbered `step`, or counted from the end for a negative step (in a list)."""
    if step < 0:
        if len(siblings) < 2:
            return []
        body = [s for s in siblings if s.kind != BACK_MATTER]
        return [body[step]] if len(body) >= -step else []
    return [s for s in siblings if s.number == step]


# A paragraph under a numbered heading that opens with a short sentence of its own is one of the
# heading's points, as if it were numbered: under "（十一）提高城市本质安全水平…", "毫不放松抓好安全
# 生产。全面深化…" is the first point and "深化城市韧性提升行动。…" the second; the paragraph that
# opens "坚持未雨绸缪、防控结合，妥善防范化解各种风险挑战，…。" is the heading's lead-in, no point.
POINT_LEAD_CHARS = 16


def paragraph_points(text: str) -> list[str]:
    """The opening sentences of the points a section's passage lists as paragraphs (its text, the
    heading on the first line), in order; [] if its paragraphs do not open so."""
    points = []
    for paragraph in text.split("\n")[1:]:
        lead = paragraph.strip().split("。", 1)[0]
        if lead and len(lead) <= POINT_LEAD_CHARS and "，" not in lead and lead != paragraph.strip():
            points.append(lead + "。")
    return points


def title_line(document: Document, section: Section) -> str:
    """The line under a bare back-matter heading that names what it is ("附件" / "包头市数字政府
    建设考评指标"), or ""."""
    if section.kind != BACK_MATTER or not _BARE_ATTACHMENT.fullmatch(normalize(section.heading)):
        return ""
    end = document.text.find("\n", section.body_start)
    line = document.text[section.body_start:end if end >= 0 else None].strip()
    return line if 0 < len(line) <= TITLE_LINE_MAX and not any(c in line for c in SENTENCE_ENDS) else ""
