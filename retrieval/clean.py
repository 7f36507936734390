"""Turn a decoded document into clean body text: one paragraph per line.

Why: the bot answers by quoting the document verbatim, so cleaning may only *remove* things
that are not the author's text (web-page scaffolding, licence footers, repeated titles,
extraction artifacts) and *re-join* paragraphs that a web page or PDF broke in two. It never
rewrites characters: no NFKC, full-width punctuation and digits stay as written.

The steps, in order (see `clean_text`):
1. normalize line ends and odd spaces (CRLF, U+3000 indentation, zero-width characters…);
2. cut press trailers glued to the very end ("（新华社北京2月23日电）《 人民日报 》（…版）");
3. put a title glued to the body ("…讲话（2018年2月12日）习近平…") on a line of its own;
4. drop whole noise lines, and everything after a footer line — rules in `NOISE_RULES`;
5. drop repeated title lines (`guess_title` returns the title separately);
6. re-join a paragraph broken across lines, but never swallow a heading (`continues_paragraph`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from retrieval.text.normalize import compact, nfkc
from retrieval.text.sentences import (
    CLOSERS,
    COLONS,
    COMMAS,
    ELLIPSIS,
    ENUMERATION_COMMA,
    FULL_STOPS,
    SENTENCE_ENDS,
    char_class,
)

# --- 1. Spacing ---------------------------------------------------------------------------

_LINE_BREAKS = {"\f": "\n", "\v": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"}
_EN_QUAD_TO_HAIR_SPACE = "".join(chr(c) for c in range(0x2000, 0x200B))  # U+2000–U+200A, U+2003 among them
_ODD_SPACES = "\t\u00a0\u1680\u202f\u205f\u3000" + _EN_QUAD_TO_HAIR_SPACE
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_SPACING_TABLE = str.maketrans(
    {**_LINE_BREAKS, **dict.fromkeys(_ODD_SPACES, " "), **dict.fromkeys(_INVISIBLE + _CONTROLS)}
)
# Any character normalize_spacing changes: "\r" and the table's.
_UNSPACED = re.compile("[\r" + "".join(re.escape(chr(code)) for code in _SPACING_TABLE) + "]")


def normalize_spacing(text: str) -> str:
    """LF line ends; odd spaces (NBSP, U+3000, U+2003, tab) become " "; invisible characters go.

    Every other character is kept as written. Text with nothing to change is returned as it is,
    after one scan: cleaning runs this on text that reading already normalized (four times per
    document), and str.translate looks every character up in its table, ~40–170 ns each on
    Chinese text (2.5 s of CPU over 1,000 speech-size documents).
    """
    if _UNSPACED.search(text) is None:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # What str.translate(_SPACING_TABLE) gives, one str.replace per character the text holds: a
    # file indented with U+3000 took 2–5 ms to translate, 0.2–0.4 ms so. The same text, since the
    # table maps each character alone and to "\n", " " or nothing, none of which it maps again.
    for char in set(_UNSPACED.findall(text)):
        text = text.replace(char, _SPACING_TABLE[ord(char)] or "")
    return text


# --- 2, 4. Noise rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoiseRule:
    """One kind of scaffolding. `example` is a real line the rule must remove (tests check it)."""

    name: str
    pattern: re.Pattern[str]
    example: str
    cuts_rest: bool = False  # a footer: drop this line and every line after it


_LINE_NOISE_MAX_CHARS = 120  # noise lines are short; longer lines are never tested against the rules

NOISE_RULES: tuple[NoiseRule, ...] = (
    NoiseRule(
        "breadcrumb",
        re.compile(r"(?:您的|当前)?(?:所在)?位置\s*[:：].*[>›»].*"),
        "位置: 首页 >专题范文 > 讲话稿 > 文章内容",
    ),
    NoiseRule(
        "posting timestamp",
        re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s.*)?"),
        "2022-05-26 17:51:50 投稿作者:网友投稿 点击:",
    ),
    NoiseRule(
        # Two or more "field: value" pairs and nothing else; one field alone may be body text.
        "posting metadata",
        re.compile(r"(?:(?:投稿作者|作者|发布者|责任编辑|编辑|来源|浏览次数|阅读次数|发布时间|点击数|点击)"
                   r"\s*[:：]\s*[^\s:：]*\s*){2,}"),
        "发布时间：2022-05-26 责任编辑：王某",
    ),
    NoiseRule(
        "editor's blurb",
        re.compile(r"(?:下面|以下)是小编.*|.*小编.*(?:供大家参考|欢迎阅读|希望对您有所帮助|仅供参考).*"),
        "下面是小编为大家整理的xx区2022年经济工作会上讲话,供大家参考。",
    ),
    NoiseRule(
        "source header",
        re.compile(r"(?:来源|稿源|文章来源|信息来源)\s*[:：]\s*[^\s。，,；;]{2,20}"),
        "来源：西藏日报",
    ),
    NoiseRule(
        "pkulaw citation code",
        re.compile(r"【法宝引证码】.*"),
        "【法宝引证码】 CLI.12.5115678",
    ),
    NoiseRule(
        "original link",
        re.compile(r"(?:原文链接|原文地址|本文链接)\s*[:：]\s*\S*"),
        "原文链接：https://www.pkulaw.com/lar/ea5258e56c60aba96802bb670d6bf530bdfb.html",
    ),
    NoiseRule(
        "wikisource licence scraps",
        re.compile(r"Public domain|false|true"),
        "Public domain",
    ),
    NoiseRule(
        "page number",
        re.compile(r"第\s*\d+\s*页(?:\s*[/／,，]?\s*共\s*\d+\s*页)?|[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}\s*/\s*\d{1,4}"),
        "- 12 -",
    ),
    NoiseRule(
        # PDF text extraction doubled some glyphs: "在 在", "区 区", "x xx". Such a line is a garbled
        # copy of a line printed elsewhere (here the title); it cannot be quoted, so it goes.
        "doubled glyphs",
        re.compile(r"(?:.*?(?:^|\s)([\u4e00-\u9fff])\s\1(?:\s|$)){2}.*"),
        "在 在 x xx 区 区 2022 年经济工作会上的讲话",
    ),
    NoiseRule(
        "recommended links footer",
        re.compile(r"(?:推荐访问|相关推荐|相关阅读|相关文章|热门推荐|精彩推荐|上一篇|下一篇)(?:\s*[:：].*)?"),
        "推荐访问:会上 经济工作 讲话 在xx区2022年经济工作会上的讲话 经济工作会议2022",
        cuts_rest=True,
    ),
    NoiseRule(
        "you may also like footer",
        re.compile(r"猜你喜欢.*"),
        "猜你喜欢",
        cuts_rest=True,
    ),
    NoiseRule(
        # Wikisource's public-domain box: "本作品是中华人民共和国的 / 法律 / 、/ 法规 / ，国家机关的决议…"
        "wikisource licence footer",
        re.compile(r"本作品(?:是中华人民共和国的|在全世界都属于公有领域|属于公有领域).*|注：中文维基文库社群认为.*"),
        "本作品是中华人民共和国的",
        cuts_rest=True,
    ),
)


@dataclass(frozen=True)
class TrailerRule:
    """Text glued to the very end of a document that is not the author's; removed from the end only."""

    name: str
    pattern: re.Pattern[str]  # must end with \Z
    example: str


TRAILER_RULES: tuple[TrailerRule, ...] = (
    TrailerRule(
        "newspaper issue stamp",
        re.compile(r"《\s*[^《》\n]{2,12}报\s*》\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^（）()\n]{0,12}[）)]\s*\Z"),
        "《 人民日报 》（ 2020年02月24日 02 版）",
    ),
    TrailerRule(
        "news agency dateline",
        re.compile(r"[（(]\s*(?:新华社|中新社|人民网)[^（）()\n]{0,20}电\s*[）)]\s*\Z"),
        "（新华社北京2月23日电）",
    ),
)


def strip_trailers(text: str) -> str:
    """Remove press trailers from the end of the text, however many are stacked."""
    changed = True
    while changed:
        changed = False
        for rule in TRAILER_RULES:
            stripped = rule.pattern.sub("", text)
            if stripped != text:
                text, changed = stripped.rstrip(), True
    return text


# Rules tried alone: a rule with a group (a back-reference, \1, counts it) or flags of its own
# keeps its meaning only in its own expression.
_ALONE_NOISE_RULES = tuple(rule for rule in NOISE_RULES
                           if rule.pattern.groups or rule.pattern.flags != re.compile("").flags)
# Whether any of the other rules matches a whole line: one attempt instead of one per rule, for
# the lines no rule matches (almost all).
_ANY_JOINED_NOISE = re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in NOISE_RULES
                                        if rule not in _ALONE_NOISE_RULES))


def noise_rule_for(line: str) -> NoiseRule | None:
    """The first noise rule that matches the whole (stripped) line, if any."""
    if len(line) > _LINE_NOISE_MAX_CHARS:
        return None
    # When none of the joined rules matches, the first rule that does, if any, is one tried alone.
    rules = NOISE_RULES if _ANY_JOINED_NOISE.fullmatch(line) else _ALONE_NOISE_RULES
    for rule in rules:
        if rule.pattern.fullmatch(line):
            return rule
    return None


def drop_noise_lines(lines: list[str]) -> list[str]:
    """Lines without noise lines; a footer line ends the document."""
    kept = []
    for line in lines:
        rule = noise_rule_for(line) if line else None
        if rule is None:
            kept.append(line)
        elif rule.cuts_rest:
            break
    return kept


# --- 6. Re-joining broken paragraphs -----------------------------------------------------------

# Line ends. At the end of a *line* more closes a sentence than inside one: a title's 】》 may
# follow the full stop, an ellipsis (… or ...) ends it too, and so does a bracket "（25分）".
_LINE_CLOSERS = CLOSERS + "】》"
_BRACKET_CLOSE = "）)"
# A line ending like this ends a sentence or a lead-in ("同志们：", "…；"), closing quotes allowed.
_LINE_END = char_class(SENTENCE_ENDS + COLONS + ELLIPSIS + _BRACKET_CLOSE)
_SENTENCE_END = re.compile(rf"(?:{_LINE_END}|\.{{3}}){char_class(_LINE_CLOSERS)}*$")
# Only these end a sentence for sure: after them even a line starting with "，" is a new paragraph.
_FULL_STOP_END = re.compile(rf"(?:{char_class(FULL_STOPS + ELLIPSIS)}|\.{{3}}){char_class(_LINE_CLOSERS)}*$")
_INNER_FULL_STOP = re.compile(char_class(SENTENCE_ENDS))
_INNER_COMMA = re.compile(char_class(COMMAS) + r".*[\u4e00-\u9fff\w]$")  # a clause begun, the line cut in it
# A line ending in an opening bracket or a comma stops mid-sentence.
_OPEN_END = re.compile(char_class("《“‘「『【（(" + COMMAS + ENUMERATION_COMMA) + "$")
# A line starting with closing punctuation (no ASCII quote: it may open) continues the line before it.
_CLOSE_START = re.compile(
    "^" + char_class("》”’」』】）)" + COMMAS + ENUMERATION_COMMA + SENTENCE_ENDS + COLONS))
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")  # "# 标题" lines come from Word heading styles
_NUMBERING_MARKER = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十百]+[、.．]"  # 一、
    r"|[（(][一二三四五六七八九十百]+[）)]"  # （一） (一)
    r"|[（(]\d{1,3}[）)]"  # （1）
    r"|\d{1,3}(?:[、．]|\.(?!\d))"  # 1、 1． 1.   (not "2.5")
    r"|第[一二三四五六七八九十百\d]+(?:[章节条部篇]|部分|个问题|[，,、])"  # 第一章 第一个问题 第一，
    r"|[一二三四五六七八九十]+(?:是|要)"  # 一是 一要
    r"|[①-⑳]"
    r"|——"  # "——2022年3月5日在…会议上", "——经济保持恢复发展。"
    r")"
)
HEADING_MAX_CHARS = 40  # the longest corpus heading is 38 chars (yunnan 三（二）)
WRAPPED_LINE_MIN_CHARS = 40  # a longer line without a sentence end was wrapped by a web page
_SHORT_LINE_MAX_CHARS = 20
_PAGE_LINE_MIN_CHARS = 16  # PDF line widths worth detecting; shorter lines are ends of paragraphs
_PAGE_LINE_MIN_LINES = 8
_PAGE_LINE_MIN_SHARE = 0.4  # share of those lines within one character of the width
_SPACE_RUN = re.compile(r" {2,}")


def ends_sentence(line: str) -> bool:
    return _search_end(_SENTENCE_END, line)


def ends_full_stop(line: str) -> bool:
    return _search_end(_FULL_STOP_END, line)


def ends_open(line: str) -> bool:
    """A line ending in an opening bracket or a comma (_OPEN_END)."""
    return _OPEN_END.search(line, max(0, len(line) - 2)) is not None  # its one character, maybe a "\n" after


def _search_end(end: re.Pattern[str], line: str) -> bool:
    """end.search(line) for _SENTENCE_END or _FULL_STOP_END, searched from the last place a match
    can start: an end character or "..." followed by closers only, up to "$" (the end, or a last
    "\n"), so no earlier than 3 characters before the closers at the end.

    Why: searched from the start, the expression is tried at every character of the line (its
    first part is no single character class the engine could skip to); re-joining a document's
    lines asks this of each paragraph so far, ~1 ms of CPU a speech-size document.
    """
    body = line[:-1] if line.endswith("\n") else line
    return end.search(line, max(0, len(body.rstrip(_LINE_CLOSERS)) - 3)) is not None


def starts_with_marker(line: str) -> bool:
    return bool(_NUMBERING_MARKER.match(line))


def is_markdown_heading(line: str) -> bool:
    return bool(_MARKDOWN_HEADING.match(line))


def is_heading_line(line: str) -> bool:
    """A short numbered line with no sentence inside it: "一、2025年总体要求", "（一）统筹消费和投资…"."""
    return (
        starts_with_marker(line)
        and len(line) <= HEADING_MAX_CHARS
        and not _INNER_FULL_STOP.search(line[:-1])
    )


def looks_wrapped(line: str) -> bool:
    """A line that stops mid-sentence: long (a web page wrapped it), or cut after a sentence or a
    clause inside it ("经济增速是综合性指标，今年预期目标设定" + "为6%以上，考虑了…")."""
    return (len(line) > WRAPPED_LINE_MIN_CHARS or bool(_INNER_FULL_STOP.search(line))
            or bool(_INNER_COMMA.search(line)))


def continues_paragraph(previous: str, line: str, soft_break: bool = False, full_line: bool = False) -> bool:
    """Whether `line` continues the paragraph `previous` (both stripped, non-empty).

    `soft_break` is true when the document separates paragraphs with blank lines and these two
    lines are not: then a lone newline is a wrap ("国务院总理\\n李克强").
    `full_line` is true when the last line of `previous` filled a PDF page's width.
    The order of the tests matters; each one is a rule seen in the corpus.
    """
    if is_markdown_heading(previous) or is_markdown_heading(line) or line == previous:
        return False  # a heading, or a title repeated on the next line
    if ends_full_stop(previous):
        return False  # "…。" then anything: a new paragraph
    if _CLOSE_START.match(line):
        return not is_heading_line(previous)  # "…拟定了《关于…决议" + "》，提请…"; not "一、…劲头" + ",全县…"
    if ends_sentence(previous):
        return False  # "同志们：", "…（25分）"
    if ends_open(previous):
        return True  # "…国务院已经拟定了《" + "关于开展…"
    if starts_with_marker(line) or is_heading_line(previous):
        return False  # "主办单位：…" + "四、…";  "（一）统筹消费和投资…" + its paragraph
    if soft_break and len(line) <= _SHORT_LINE_MAX_CHARS and not ends_sentence(line):
        return True  # "国务院总理" + "李克强"
    return full_line or looks_wrapped(previous)  # "…总抓手加" + "快落实。…"; not "2024年工作回顾" + paragraph


def uses_blank_line_paragraphs(lines: list[str]) -> bool:
    """Whether most lines are followed by a blank line (web scrapes) rather than by text (DOCX)."""
    text_lines = [i for i, line in enumerate(lines) if line]
    followed_by_blank = sum(1 for i in text_lines if i + 1 == len(lines) or not lines[i + 1])
    return followed_by_blank * 2 > len(text_lines)


def glue(previous: str, line: str) -> str:
    """Join two pieces of one paragraph: nothing in between, except a space between two Latin words."""
    if previous[-1].isascii() and previous[-1].isalpha() and line[0].isascii() and line[0].isalpha():
        return f"{previous} {line}"
    return previous + line


def page_line_width(lines: list[str]) -> int | None:
    """The width at which a PDF wrapped its lines (28 characters in official documents), if it did.

    Such text has many lines of (nearly) the same length; scraped and Word text does not.
    """
    lengths = Counter(len(line) for line in lines if len(line) >= _PAGE_LINE_MIN_CHARS)
    total = sum(lengths.values())
    if total < _PAGE_LINE_MIN_LINES:
        return None
    width = max(lengths, key=lambda n: lengths[n - 1] + lengths[n] + lengths[n + 1])
    at_width = lengths[width - 1] + lengths[width] + lengths[width + 1]
    return width if at_width >= _PAGE_LINE_MIN_SHARE * total else None


def join_broken_lines(lines: list[str]) -> list[str]:
    """Paragraphs from stripped lines ("" = blank line), re-joining the ones broken in two."""
    blank_line_paragraphs = uses_blank_line_paragraphs(lines)
    width = page_line_width(lines)
    paragraphs: list[str] = []
    blank_before, last_line = False, ""
    for line in lines:
        if not line:
            blank_before = True
            continue
        soft_break = blank_line_paragraphs and not blank_before
        full_line = width is not None and len(last_line) >= width - 1
        if paragraphs and continues_paragraph(paragraphs[-1], line, soft_break, full_line):
            paragraphs[-1] = glue(paragraphs[-1], line)
        else:
            paragraphs.append(line)
        blank_before, last_line = False, line
    return paragraphs


# --- 3, 5. Titles -------------------------------------------------------------------------------

_SITE_TAG = re.compile(r"^\[[^\[\]]{1,20}\]")  # "[县长在县委书记]县长在…的讲话": a tag the site put in front
# "在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）": a title and the date it was given.
_DATED_TITLE = re.compile(
    r"^(?P<title>[^。！？；\n]{4,60}?(?:讲话|报告|发言|致辞|讲稿|通知|意见|办法))"
    r"\s*(?P<date>[（(]\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[）)])"
)
_TITLE_MAX_CHARS = 60
_TITLE_SEARCH_CHARS = 3000  # the title is at the top


def split_glued_header(text: str) -> str:
    """Put a dated title glued to the body ("…讲话（2018年2月12日）习近平党的十八大以后…") on its own line."""
    match = _DATED_TITLE.match(text)
    if match and not text[match.end() : match.end() + 1].isspace():
        return text[: match.end()] + "\n" + text[match.end() :]
    return text


def without_decoration(line: str) -> str:
    """The line without a markdown "#" prefix or a site tag in front."""
    if not line.startswith(("#", "[")):  # most lines: neither expression would change them
        return line.strip()
    return _SITE_TAG.sub("", _MARKDOWN_HEADING.sub("", line)).strip()


def title_of_line(line: str) -> str:
    """The title a paragraph states, or "" when it is not a title: a short line that is no sentence."""
    line = without_decoration(line)
    dated = _DATED_TITLE.match(line)
    if dated:
        return dated.group("title")
    if not 2 <= len(line) <= _TITLE_MAX_CHARS or ends_sentence(line) or ends_open(line):
        return ""
    if starts_with_marker(line) or _INNER_FULL_STOP.search(line):
        return ""
    return line


def guess_title(raw: str, fallback: str) -> str:
    """The document's title: its first paragraph when that is a title line, else `fallback`.

    Noise lines before it (breadcrumbs, 来源, 法宝引证码…) are skipped. A first paragraph that is
    a sentence or a salutation ("各位代表：", "同志们：今天…") means the file has no title.
    """
    paragraphs = top_paragraphs(raw[:_TITLE_SEARCH_CHARS])
    return (title_of_line(paragraphs[0]) if paragraphs else "") or fallback


@lru_cache(maxsize=8)
def top_paragraphs(top: str) -> tuple[str, ...]:
    """The paragraphs of the top of a document (its first few thousand characters), cleaned as
    its body is. Kept for the last few: the title (guess_title) and the profile's header
    (profile.header_of) both read the first 3,000 characters of each document."""
    return tuple(join_broken_lines(body_lines(top)))


def drop_title_lines(lines: list[str], title: str) -> list[str]:
    """Lines without those that only repeat the title (the seed repeats it three times).

    A dated title line ("…讲话（2018年2月12日）") is kept: it is the only place the date is given.
    """
    key = compact(title)
    if not key:
        return list(lines)
    compared = compact_lines([without_decoration(line) for line in lines])
    return [line for line, form in zip(lines, compared, strict=True) if form != key]


def compact_lines(lines: list[str]) -> list[str]:
    """[compact(line) for line in lines], bit for bit, for lines without a line break.

    Why: drop_title_lines compares every line of a document with its title, and most of
    compact's time went into each call's fixed costs. The lines are joined with line breaks,
    mapped to NFKC once and cut apart again: exact, because NFKC composes and reorders nothing
    across a line break (see normalize.normalize_each) and maps nothing to one. A line holding a
    line break, or a result that does not cut back into as many pieces, is worked out one by one.
    Here, not in text/normalize.py: that file is in the tokenizer's fingerprint, and changing it
    would make every token file stale.
    """
    if len(lines) < 2 or any("\n" in line for line in lines):
        return [compact(line) for line in lines]
    pieces = nfkc("\n".join(lines)).split("\n")
    if len(pieces) != len(lines):
        return [compact(line) for line in lines]
    return ["".join(piece.split()) for piece in pieces]


# --- The whole pass ---------------------------------------------------------------------------


def body_lines(raw: str) -> list[str]:
    """Stripped lines ("" for a blank line) without press trailers, noise lines and footers."""
    text = split_glued_header(strip_trailers(normalize_spacing(raw).strip()))
    # Runs of spaces made one in the whole text, then each line stripped: the same lines as each
    # stripped then its runs made one (a run reaches no line's text across its end or a line
    # break), in one call instead of one per line.
    return drop_noise_lines([line.strip() for line in _SPACE_RUN.sub(" ", text).split("\n")])


def clean_text(raw: str, title: str | None = None) -> str:
    """The body text, one paragraph per line: no blank lines, no spaces around lines.

    title: guess_title(raw, ""), when the caller has worked it out already (it reads the
    document's title for its profile too): it is the same, and costs a tenth of the cleaning.
    """
    if title is None:
        title = guess_title(raw, "")
    lines = drop_title_lines(body_lines(raw), title)
    return "\n".join(join_broken_lines(lines))
