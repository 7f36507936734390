"""Find the section structure of a Chinese official text (讲话稿, 政府工作报告, 文件).

Why: an answer quotes one passage and says where it sits ("二、2022 年的重点工作 › 二是进一步
加强基础配套"), so the chunker needs the heading tree. Official texts mark headings with a
small set of numbering styles (一、 （一） 1． 一是 第一， …), listed in `HEADING_RULES`. Their
rank is NOT fixed: most reports nest 一、 › （一） › 1．, but the 1981 report puts （一） above
一、, and a speech may use 第一个问题： › 第一，. So a heading's level comes from the nesting
order in which the styles appear, never from its style alone.

How, top-down (`find_sections`):
1. blocks: paragraphs (one per line; a line broken mid-sentence is re-joined). A run-on
   paragraph (a speech scraped without line breaks) is cut further at every sentence that
   starts with a marker, so "。二、关于…" opens a section there. Elsewhere a marker counts only
   at the start of a paragraph: "…问题：一是…；二是…" inside a paragraph is a list, not sections.
2. headings: the start of each block is matched against `HEADING_RULES`.
3. tree: headings are placed with a stack of open sections (`_parent_depth`).
4. ends: a section runs to the next heading at its level or above, except that
   - an address to the audience (各位代表！ 同志们：) closes everything below the top level;
   - "items" own only their own paragraph when their list shows that style: the last item of a
     list whose items are single paragraphs does not take the unheaded paragraphs after it
     (seed: "同时，我们还在党建…" after 四是 belongs to 一、, not to 四是). A heading standing on
     a line of its own always owns the paragraphs below it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from retrieval.models import Section
from retrieval.text.numerals import chinese_to_int
from retrieval.text.sentences import COLONS, COMMAS, SENTENCE_ENDS, char_class
from retrieval.text.years import DATE


class Role(Enum):
    """How a heading style behaves in the tree."""

    STRUCTURAL = "structural"  # 一、 （一） 1． …: nests by order of appearance, owns what follows
    ITEM = "item"  # 一是 第一， 一要 首先: paragraph items; never nest under another item style
    BACK = "back"  # 名词解释 附件: back matter, always a top-level part


@dataclass(frozen=True)
class HeadingRule:
    kind: str
    role: Role
    pattern: re.Pattern[str]  # matched at a block start; group "num" holds the number if any
    example: str


_NUM = r"(?P<num>[一二三四五六七八九十百零〇两]{1,5})"  # 一 … 十一 … 二十 … 一百零二

# Every heading style we recognise, tried in this order at the start of a paragraph (or of a
# sentence, in run-on text). The first rule that matches wins.
HEADING_RULES: tuple[HeadingRule, ...] = tuple(
    HeadingRule(kind, role, re.compile(pattern), example)
    for kind, role, pattern, example in (
        ("markdown", Role.STRUCTURAL, r"(?P<hashes>#{1,6})[ \t]+", "# 2025年工作安排"),
        ("back", Role.BACK, r"(?:名词解释|名词注释|附件|附表|附录)\s*\d{0,2}(?=$|[\s：:])",
         "附件 2025年10件惠民实事"),
        ("chapter", Role.STRUCTURAL, rf"第{_NUM}章", "第二章 总体要求"),
        ("part", Role.STRUCTURAL, rf"第{_NUM}部分", "第一部分 2024年工作回顾"),
        ("question", Role.STRUCTURAL, rf"第{_NUM}个问题[：:]?", "第一个问题：深刻认识…"),
        ("article", Role.STRUCTURAL, rf"第{_NUM}条(?=\s)", "第十二条 本办法自印发之日起施行"),
        ("cn_dun", Role.STRUCTURAL, rf"{_NUM}、", "一、2021 年工作回顾"),
        ("cn_paren", Role.STRUCTURAL, rf"[（(]{_NUM}[）)]", "（一）着力稳定宏观经济大盘"),
        ("arabic", Role.STRUCTURAL, r"(?P<num>\d{1,3})(?:\.(?![\d.])|[．、])", "3．10种有色金属：铜…"),
        ("arabic_paren", Role.STRUCTURAL, r"[（(](?P<num>\d{1,2})[）)]", "（1）加强组织领导"),
        ("shi", Role.ITEM, rf"{_NUM}是", "一是发展水平显著提升。"),
        ("yao", Role.ITEM, rf"{_NUM}要(?![素求])", "一要推进路网配套。"),
        ("di", Role.ITEM, rf"第{_NUM}[，,、：:]", "第一，坚决打好湖北保卫战"),
        ("seq", Role.ITEM, r"(?P<word>首先|其次|再次|最后)[，,：:]", "首先，积极探索…"),
    )
)

# A lone 最后， (no 首先 run open) closes a speech: "最后，我给…提3点要求。一要…". It becomes a
# top-level part of its own, so that its 一要… items nest under it.
_CLOSING = HeadingRule("closing", Role.STRUCTURAL, re.compile("最后[，,：:]"), "最后，我提几点要求")

# An unnumbered heading line between two paragraphs: "2024年工作回顾" (Xizang). Short, no
# punctuation at all, and the paragraph before it must have ended a sentence.
_PLAIN = HeadingRule("plain", Role.STRUCTURAL, re.compile(""), "2025年工作安排")
_PLAIN_MAX = 25
_PUNCT = re.compile(r"[，,。.！!？?；;：:、“”\"'‘’《》（）()【】\[\]—…·/|]")
_HAN = re.compile(r"[\u4e00-\u9fff]")

_VOCATIVE = re.compile(r"(?:各位代表|各位委员|代表们|同志们|同志们、朋友们)[！!：:，,]")
_SEQ_NUMBER = {"首先": 1, "其次": 2, "再次": 3, "最后": None}
# Every marker starts with one of these; other positions are skipped without trying the rules.
_MARKER_FIRST_CHARS = frozenset("#名附第一二三四五六七八九十百两（(0123456789首其再最—")

_TERMINAL = re.compile(rf"[{SENTENCE_ENDS}]")
_PROSE = re.compile(rf"[{SENTENCE_ENDS}{COLONS}]")  # a paragraph holding one of these is prose
# Where a sentence starts inside a paragraph: after 。！？；： or a photo credit ("新华社记者 鞠鹏/摄").
_SENTENCE_START = re.compile(rf"(?:(?<=[{SENTENCE_ENDS}{COLONS}])|(?<=/摄))\s*")
# The same places where a list item can start, found from the character that ends the sentence
# before them (m.end() of one is m.end() of the other) and where a marker's first character
# follows. Why: _SENTENCE_START's look-behind is tried at every character, and finding a passage's
# list items with it was 11% of reading a document (1.3 of 11.6 ms); of ~350 sentence starts in a
# speech-size document's passages ~35 open with such a character. One character class first (摄
# then checked for its /), not an alternation, so the regular expression engine skips to the
# candidates: 2.3 times faster over a document.
_ITEM_SENTENCE_START = re.compile(
    rf"[{SENTENCE_ENDS}{COLONS}摄](?:(?<!摄)|(?<=/摄))\s*"
    rf"(?={char_class(''.join(sorted(_MARKER_FIRST_CHARS)))})")
# Where an inline heading stops: the first 。！？；： or a space right after a Chinese character
# ("一、2021 年工作回顾 2021 年,我们…" → "一、2021 年工作回顾").
_HEADING_STOP = re.compile(rf"[{SENTENCE_ENDS}{COLONS}]|(?<=[\u4e00-\u9fff])\s+(?=\S)")
_COMMA = re.compile(r"[，,]")
# "一、关于前一段疫情防控工作新冠肺炎疫情发生后…": a 关于-heading glued to its body ends at
# its last 工作/问题/领导.
_GUAN_YU_END = re.compile(r".*(?:工作|问题|领导)")

HEADING_MAX = 40  # an inline heading longer than this is cut at its first comma
HEADING_MIN = 4  # …but not at a comma this close to the marker
TITLE_LINE_MAX = 60  # a paragraph this short without 。！？； is a heading line when numbered
RUN_ON_MIN = 2000  # a paragraph this long is scraped text that lost its line breaks


class Shape(Enum):
    """How a heading sits in its block; decides what it owns."""

    LINE = "line"  # the block is only the heading: "（一）统筹消费和投资，加快释放内需潜力"
    SENTENCE = "sentence"  # the block is one sentence: "一是保持宏观政策连续性针对性，推动…。"
    INLINE = "inline"  # heading then body: "一是发展水平显著提升。坚持把…"


@dataclass(frozen=True)
class Heading:
    rule: HeadingRule
    kind: str  # rule.kind, refined for markdown ("markdown2" for "## ")
    number: int | None  # 3 for 三、 / （三） / 3． / 三是 / 其次→2; None for unnumbered styles
    text: str  # the heading as it appears in a path
    start: int
    end: int  # where the heading text ends in the document
    shape: Shape


@dataclass(frozen=True)
class Block:
    """A paragraph, or a stretch of a run-on paragraph; offsets into the cleaned text."""

    start: int
    end: int
    heading: Heading | None = None
    vocative: bool = False


# --- Entry point ----------------------------------------------------------------------------


def find_sections(text: str) -> tuple[Section, ...]:
    """All headings of `text` in document order, each with the span it governs."""
    blocks = _blocks(text)
    nodes = _build_tree(blocks)
    _shorten_single_paragraph_lists(nodes)
    _cap_last_items(nodes, [block.end for block in blocks])
    return tuple(_to_section(text, node, i) for i, node in enumerate(nodes))


# --- 1. Blocks --------------------------------------------------------------------------------


def _blocks(text: str) -> list[Block]:
    spans = paragraphs(text)
    blocks: list[Block] = []
    for i, (start, end) in enumerate(spans):
        if end - start >= RUN_ON_MIN:
            blocks.extend(_run_on_blocks(text, start, end))
            continue
        prev = spans[i - 1] if i else None
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        heading = match_heading(text, start, end) or _plain_heading(text, start, end, prev, nxt)
        blocks.append(Block(start, end, heading, _is_vocative(text, start, heading)))
    return blocks


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in text[start:end], a line that breaks a sentence joined on.

    clean_text already re-joins broken lines; this keeps the structure right if it missed one
    ("…总抓手加\\n快落实。").
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        line_start, line_stop = pos, _rstrip(text, pos, line_end)
        while line_start < line_stop and text[line_start].isspace():
            line_start += 1
        pos = line_end + 1
        if line_start >= line_stop:
            continue
        if spans and _breaks_sentence(text, *spans[-1]) and not match_heading(text, line_start, line_stop):
            spans[-1] = (spans[-1][0], line_stop)
        else:
            spans.append((line_start, line_stop))
    return spans


def _breaks_sentence(text: str, start: int, end: int) -> bool:
    """A prose paragraph (it has a 。 or ：) that stops in mid-sentence.

    Its last character first: asked of every paragraph, and most end a sentence.
    """
    last = text[end - 1]
    if not (_HAN.match(last) is not None or last.isalnum() or last in "，,、"):
        return False
    return _PROSE.search(text, start, end) is not None


def _run_on_blocks(text: str, start: int, end: int) -> Iterator[Block]:
    """Cut a paragraph without line breaks at each sentence that opens with a marker or address."""
    cuts: list[tuple[int, Heading | None, bool]] = [(start, match_heading(text, start, end), False)]
    for m in _SENTENCE_START.finditer(text, start, end):
        pos = m.end()
        if pos >= end or pos == start:
            continue
        heading = match_heading(text, pos, end)
        vocative = heading is None and _VOCATIVE.match(text, pos) is not None
        if heading or vocative:
            cuts.append((pos, heading, vocative))
    for i, (pos, heading, vocative) in enumerate(cuts):
        stop = cuts[i + 1][0] if i + 1 < len(cuts) else end
        stop = _rstrip(text, pos, stop)
        if heading is not None and heading.end > stop:
            heading = None
        yield Block(pos, stop, heading, vocative)


def _is_vocative(text: str, start: int, heading: Heading | None) -> bool:
    return heading is None and _VOCATIVE.match(text, start) is not None


# --- 2. Headings ------------------------------------------------------------------------------


def match_heading(text: str, start: int, end: int) -> Heading | None:
    """The numbered heading opening text[start:end], if any (see HEADING_RULES)."""
    if start >= end or text[start] not in _MARKER_FIRST_CHARS:
        return None
    for rule in HEADING_RULES:
        m = rule.pattern.match(text, start, end)
        if m is None:
            continue
        number = _number(m)
        if rule.kind != "seq" and number is None and "num" in rule.pattern.groupindex:
            continue
        kind = rule.kind + str(len(m.group("hashes"))) if rule.kind == "markdown" else rule.kind
        shape, heading_end = _heading_extent(text, start, m.end(), end)
        if heading_end <= m.end() and rule.role is not Role.BACK:
            continue  # a bare marker with nothing after it is not a heading
        heading = _heading_text(text, start, m.end(), heading_end, rule)
        return Heading(rule, kind, number, heading, start, heading_end, shape)
    return None


def _number(m: re.Match[str]) -> int | None:
    groups = m.groupdict()
    if groups.get("word"):
        return _SEQ_NUMBER[groups["word"]]
    num = groups.get("num")
    if not num:
        return None
    return int(num) if num.isdigit() else chinese_to_int(num)


def _heading_extent(text: str, start: int, marker_end: int, end: int) -> tuple[Shape, int]:
    """The heading's shape and where its text ends."""
    if end - start <= TITLE_LINE_MAX and not _TERMINAL.search(text, start, end):
        return Shape.LINE, end
    while marker_end < end and text[marker_end].isspace():  # "第一条 为了…": the space is not a stop
        marker_end += 1
    stop = _HEADING_STOP.search(text, marker_end, end)
    heading_end = stop.start() if stop else end
    if heading_end - start > HEADING_MAX:
        heading_end = _cut_at_comma(text, marker_end, start + HEADING_MAX, heading_end)
    rest = text[heading_end:end].strip(f" \t\n{SENTENCE_ENDS}，,")
    return (Shape.INLINE if rest else Shape.SENTENCE), heading_end


def _cut_at_comma(text: str, lo: int, limit: int, hi: int) -> int:
    """The first comma after a few characters of text[lo:hi], else `limit`."""
    comma = _COMMA.search(text, lo + HEADING_MIN, hi)
    return comma.start() if comma else limit


def _heading_text(text: str, start: int, marker_end: int, end: int, rule: HeadingRule) -> str:
    if rule.kind == "markdown":
        start = marker_end
    heading = text[start:end].replace("\n", "").strip()
    glued = _GUAN_YU_END.match(heading) if text.startswith("关于", marker_end) else None
    return glued.group(0) if glued else heading


def _plain_heading(text: str, start: int, end: int, prev: tuple[int, int] | None,
                   nxt: tuple[int, int] | None) -> Heading | None:
    """An unnumbered heading line such as "2024年工作回顾" between two prose paragraphs."""
    line = text[start:end]
    if prev is None or nxt is None or len(line) > _PLAIN_MAX or _PUNCT.search(line):
        return None
    if not _HAN.search(line) or DATE.fullmatch(line.replace(" ", "")):
        return None
    previous_ended = text[prev[1] - 1] in SENTENCE_ENDS + "”\"’"
    next_is_prose = _TERMINAL.search(text, nxt[0], nxt[1]) is not None
    if not (previous_ended and next_is_prose):
        return None
    return Heading(_PLAIN, "plain", None, line, start, end, Shape.LINE)


# --- 3. Tree ----------------------------------------------------------------------------------


@dataclass
class _Node:
    heading: Heading
    block_end: int  # end of the heading's own block
    end: int  # end of the whole section (set when it is closed)
    path: tuple[str, ...]
    parent: int | None  # index into the node list
    children: int = 0

    @property
    def role(self) -> Role:
        return self.heading.rule.role

    @property
    def kind(self) -> str:
        return self.heading.kind


def _build_tree(blocks: list[Block]) -> list[_Node]:
    nodes: list[_Node] = []
    stack: list[int] = []  # indices of the open sections, outermost first

    def close(depth: int, at: int) -> None:
        while len(stack) > depth:
            nodes[stack.pop()].end = at

    last_end = 0
    for block in blocks:
        if block.vocative:
            close(min(len(stack), 1), last_end)
        heading = block.heading
        if heading is not None:
            heading = _as_closing(heading, [nodes[i] for i in stack])
            depth = _parent_depth([nodes[i] for i in stack], heading)
            close(depth, last_end)
            parent = stack[-1] if stack else None
            path = (nodes[parent].path if parent is not None else ()) + (heading.text,)
            if parent is not None:
                nodes[parent].children += 1
            nodes.append(_Node(heading, block.end, block.end, path, parent))
            stack.append(len(nodes) - 1)
        last_end = block.end
    close(0, last_end)
    return nodes


def _as_closing(heading: Heading, open_nodes: list[_Node]) -> Heading:
    """A lone 最后， (no 首先/其次 open) becomes a closing top-level part."""
    is_lone_last = heading.kind == "seq" and heading.number is None
    if is_lone_last and open_nodes and not any(n.kind == "seq" for n in open_nodes):
        return Heading(_CLOSING, "closing", None, heading.text, heading.start, heading.end,
                       heading.shape)
    return heading


def _parent_depth(open_nodes: list[_Node], heading: Heading) -> int:
    """How many open sections stay open around `heading` (its level is this plus one).

    - back matter and a closing 最后 are top-level; markdown ranks by its number of #;
    - a style already open continues its list: the open one numbered one less becomes a
      sibling (searching from the innermost); 一 restarting an open style starts a nested
      list (1981: 一、二、三、 inside 四、), or a new list beside it for item styles;
    - a new style nests under the innermost open section, except that an item style never
      nests under another item style (2018: 一是 after 第三， is a list beside 第一，…第三，).
    """
    if heading.rule.role is Role.BACK or heading.kind == "closing":
        return 0
    if heading.rule.kind == "markdown":  # "## x" closes any open "## y" or "### z"
        for i, node in enumerate(open_nodes):
            if node.heading.rule.kind == "markdown" and node.kind >= heading.kind:
                return i
    same = [i for i, node in enumerate(open_nodes) if node.kind == heading.kind]
    for i in reversed(same):
        previous = open_nodes[i].heading.number
        if heading.number is None or previous is None or heading.number == previous + 1:
            return i
    if same:
        restarts = heading.number == 1
        if restarts and heading.rule.role is Role.STRUCTURAL:
            return len(open_nodes)
        return same[-1]
    depth = len(open_nodes)
    if heading.rule.role is Role.ITEM:
        while depth and open_nodes[depth - 1].role is Role.ITEM:
            depth -= 1
    return depth


# --- 4. Ends ----------------------------------------------------------------------------------


def _shorten_single_paragraph_lists(nodes: list[_Node]) -> None:
    """The last item of a list of one-paragraph items gives the paragraphs after it back.

    In the seed, 一是…四是 are single paragraphs, so "同时，我们还在党建…" after 四是 belongs to
    一、. In Xizang, (一)…(八) each own several paragraphs, so (九) keeps the ones after it too.
    A list of one item decides by its style: items (一是) give back, 一、/（一） keep.
    """
    for run in _runs(nodes):
        last = nodes[run[-1]]
        if last.children or last.heading.shape is Shape.LINE:
            continue
        if len(run) == 1:
            owns = last.role is not Role.ITEM
        else:
            owns = any(nodes[i].end > nodes[i].block_end for i in run[:-1])
        if not owns and (last.heading.shape is Shape.INLINE or len(run) > 1):
            last.end = last.block_end


def _cap_last_items(nodes: list[_Node], block_ends: list[int]) -> None:
    """The last item of a list of paragraph items (一是…四是) takes no more paragraphs after its
    own than the longest item before it: the text after that is the parent's again.

    1981, under 五、: 三是… owns one paragraph after its own and so does 四是整顿财政纪律。
    ("健全财务会计制度…"); "围绕以上工作，要着重做好整顿领导班子的工作…" is 五、's again.
    """
    def paragraphs_after(node: _Node) -> list[int]:  # block_ends is in document order
        return block_ends[bisect_right(block_ends, node.block_end):bisect_right(block_ends, node.end)]

    for run in _runs(nodes):
        last = nodes[run[-1]]
        if len(run) < 2 or last.role is not Role.ITEM or last.children or last.heading.shape is Shape.LINE:
            continue
        allowed = max(len(paragraphs_after(nodes[i])) for i in run[:-1])
        owned = paragraphs_after(last)
        if len(owned) > allowed:
            last.end = owned[allowed - 1] if allowed else last.block_end


def _runs(nodes: list[_Node]) -> list[list[int]]:
    """Lists: consecutive siblings of the same style under the same parent."""
    runs: list[list[int]] = []
    last_child: dict[int | None, list[int]] = {}
    for i, node in enumerate(nodes):
        run = last_child.get(node.parent)
        if run is not None and nodes[run[-1]].kind == node.kind:
            run.append(i)
        else:
            run = [i]
            runs.append(run)
            last_child[node.parent] = run
    return runs


def _to_section(text: str, node: _Node, index: int) -> Section:
    heading = node.heading
    end = _rstrip(text, heading.start, node.end)
    body_start = heading.end
    after_heading = SENTENCE_ENDS + COLONS + COMMAS
    while body_start < end and (text[body_start].isspace() or text[body_start] in after_heading):
        body_start += 1
    return Section(path=node.path, start=heading.start, body_start=min(body_start, end), end=end,
                   number=heading.number, kind=heading.kind, id=index, parent=node.parent)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# --- Enumerations inside a passage (for Chunk.outline) ---------------------------------------

# Styles that form an inline list after a sentence end ("…问题:一是…;二是…"), and styles that
# form one only as consecutive paragraphs ("一、节约能源…；" / "——经济保持恢复发展。").
_INLINE_LIST_KINDS = frozenset({"shi", "yao", "di", "seq", "cn_paren", "arabic_paren"})
_LINE_LIST_KINDS = _INLINE_LIST_KINDS | {"cn_dun", "arabic", "dash"}
_DASH = HeadingRule("dash", Role.ITEM, re.compile("——(?=[^—\\s])"), "——经济保持恢复发展。")
_LIST_RULES = (*HEADING_RULES, _DASH)
_LABEL_STOP = re.compile(rf"[{SENTENCE_ENDS}，,：:]")
LABEL_MAX = 30


def find_enumeration(text: str, start: int, end: int) -> tuple[tuple[int, str], ...]:
    """The longest list inside text[start:end]: (offset, label) per item.

    "…一要推进路网配套。全年…二要推进生态环境配套。…" → ((p1, "一要推进路网配套"), …).
    Items start a sentence or a line, are numbered 1, 2, 3… in one style (—— bullets just
    follow each other), and there are at least two; a marker at `start` itself is the
    passage's own heading and is skipped.
    """
    runs: list[list[tuple[int, str]]] = []
    open_runs: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    for pos, line_start in _item_starts(text, start, end):
        marker = _list_marker(text, pos, end, line_start)
        if marker is None:
            continue
        kind, number, label = marker
        previous, run = open_runs.get(kind, (0, []))
        if number is None:  # 最后 or a —— bullet: the next item of whatever run is open
            number = previous + 1 if run or kind == "dash" else 0
        if number == 1:
            run = [(pos, label)]
            runs.append(run)
        elif run and number == previous + 1:
            run.append((pos, label))
        else:
            continue
        open_runs[kind] = (number, run)
    longest = max(runs, key=len, default=[])
    return tuple(longest) if len(longest) >= 2 else ()


def _item_starts(text: str, start: int, end: int) -> Iterator[tuple[int, bool]]:
    """Positions after `start` where a line or a sentence begins with one of _MARKER_FIRST_CHARS
    (no list item starts anywhere else); True for a line start."""
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        if pos != start and text[pos] in _MARKER_FIRST_CHARS:
            yield pos, True
        # A sentence starts after each end found from pos on (_ITEM_SENTENCE_START): one found before
        # pos would start one at pos, the line's or the passage's own start, never yielded here.
        # The look-ahead skips an end whose next character opens no marker; the next end is
        # looked for from the same place as after a match (the spaces in between end nothing).
        for m in _ITEM_SENTENCE_START.finditer(text, pos, line_end):
            yield m.end(), False
        pos = line_end + 1


def _list_marker(text: str, pos: int, end: int, line_start: bool) -> tuple[str, int | None, str] | None:
    """The list marker at pos (one of _item_starts): (kind, number, label), or None."""
    kinds = _LINE_LIST_KINDS if line_start else _INLINE_LIST_KINDS
    for rule in _LIST_RULES:
        m = rule.pattern.match(text, pos, end)
        if m is None:
            continue
        number = _number(m)
        if rule.kind not in kinds or (number is None and rule.kind not in ("seq", "dash")):
            return None
        stop = _LABEL_STOP.search(text, m.end(), end)
        label_end = min(stop.start() if stop else end, pos + LABEL_MAX)
        return rule.kind, number, text[pos:label_end].replace("\n", "").strip()
    return None
