"""Turn answers into message text: HTML for Telegram, plain text for the console.

Pure functions over retrieval's records (Passage, Reply, Document) — no Telegram
objects here, so every rule can be unit-tested with hand-made passages:

- all document and user text is escaped; the only tags are ones we write;
- the highlight sentence is bold inside the quote;
- list answers get a numbered outline of their items above the quote;
- no message exceeds Telegram's 4096 characters *after* entity parsing (counted in
  UTF-16 code units, as Telegram counts); long passages are split at sentence ends
  into several well-formed messages, each with its own blockquote.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.commitments import format_commitments
from retrieval.models import Document, Passage
from retrieval.reply import Listing, NoAnswer, PassageAnswer, Reply
from retrieval.text.sentences import covering_spans

MAX_MESSAGE = 4096  # Telegram's limit on message text after entity parsing
LONG_QUOTE = 500  # quotes longer than this are collapsed (<blockquote expandable>)
MAX_PARTS = 6  # a section or document shown in full is cut after this many messages
SEPARATOR = " › "
MORE = "……"
MAX_ECHO = 60  # characters of a user's own words quoted back in a reply

NO_ANSWER = "文档中没有找到能回答这个问题的内容。"
STALE = "这个按钮已过期，请重新提问"
SORRY = "抱歉，处理这条消息时出错了，请稍后再试。"
LOADING = "文档还在载入，请稍后再试。"
NOT_TEXT = "请用文字提问，例如：2022年基础配套有哪些任务？"
TRY_SECTIONS = "可以试试这些章节："


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (only <, > and & are special)."""
    return html.escape(text, quote=False)


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """User input quoted back in a reply, at most `limit` characters, "…" marking a cut.

    A command may carry 4,000 characters; echoed whole, it pushes the reply past Telegram's
    4,096 and the reply fails (400) instead of saying what was wrong. Plain text: escape after.
    """
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


# -- pieces --------------------------------------------------------------------------


def heading_path(title: str, section: Sequence[str]) -> str:
    """ "xx区2022年经济工作会上讲话 › 二、2022 年的重点工作 › 二是进一步加强基础配套" (plain)."""
    return SEPARATOR.join([title, *section]) if title else SEPARATOR.join(section)


def passage_title(passage: Passage) -> str:
    return passage.title or passage.doc


def outline_lines(outline: Sequence[str]) -> list[str]:
    """ "1. 一要推进路网配套", "2. 二要推进生态配套", … (plain)."""
    return [f"{i}. {item}" for i, item in enumerate(outline, 1)]


def highlight_span(text: str, highlight: str) -> tuple[int, int] | None:
    """Where the highlight sentence sits in the passage, or None if it is not verbatim there."""
    needle = highlight.strip()
    at = text.find(needle) if needle else -1
    return (at, at + len(needle)) if at >= 0 else None


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, covering the text without gaps."""
    return covering_spans(text)


def _quote_html(text: str, start: int, end: int, bold: tuple[int, int] | None, tail: str = "") -> str:
    """<blockquote> of text[start:end] (surrounding blanks trimmed), the part inside `bold` in <b>."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if bold and bold[0] < end and bold[1] > start:
        b0, b1 = max(bold[0], start), min(bold[1], end)
        inner = escape(text[start:b0]) + "<b>" + escape(text[b0:b1]) + "</b>" + escape(text[b1:end])
    else:
        inner = escape(text[start:end])
    tag = "<blockquote expandable>" if end - start > LONG_QUOTE else "<blockquote>"
    return f"{tag}{inner}{escape(tail)}</blockquote>"


def _pack(text: str, budgets: Iterable[int]) -> list[tuple[int, int]]:
    """Cut text into consecutive (start, end) pieces, the i-th fitting budgets[i] UTF-16 units.

    The last budget applies to all further pieces.
    Cuts fall at sentence ends; a single sentence longer than a whole budget is cut
    hard (between characters, never inside a surrogate pair or a tag — tags come later).
    """
    pieces: list[tuple[int, int]] = []
    spans = sentences(text)
    budget_iter = iter(budgets)
    budget = next(budget_iter)
    start = used = 0
    for s0, s1 in spans:
        size = utf16_len(text[s0:s1])
        if used and used + size > budget:
            pieces.append((start, s0))
            start, used, budget = s0, 0, next(budget_iter, budget)
        while size > budget:  # one overlong sentence: cut it at the budget
            cut, room = s0, budget - used
            while cut < s1 and room - utf16_len(text[cut]) >= 0:
                room -= utf16_len(text[cut])
                cut += 1
            pieces.append((start, cut))
            start, s0, used, budget = cut, cut, 0, next(budget_iter, budget)
            size = utf16_len(text[s0:s1])
        used += size
    if start < len(text) or not pieces:
        pieces.append((start, len(text)))
    return pieces


def quote_messages(
    header: str,
    text: str,
    *,
    highlight: str = "",
    outline: Sequence[str] = (),
    note: str = "",
    limit: int = MAX_MESSAGE,
    max_parts: int = MAX_PARTS,
) -> list[str]:
    """Header line (first message only), a note, the outline, then the text quoted across as many
    messages as needed.

    `header` and `note` are plain text. Each returned string is a complete HTML message whose
    visible length is at most `limit`. With more than `max_parts` pieces the last one
    kept ends in "……".
    """
    items = ([note] if note else []) + outline_lines(outline)
    head_plain = "📄 " + header + "\n" + "".join(line + "\n" for line in items)
    head_html = "📄 <b>" + escape(header) + "</b>\n" + "".join(escape(line) + "\n" for line in items)
    if not text.strip():  # a heading with nothing under it: no empty quote
        return [head_html.rstrip("\n")]
    reserve = utf16_len(MORE)  # room for the "……" of a cut-off last part
    first_budget = limit - utf16_len(head_plain) - reserve
    if first_budget < limit // 4:  # an absurdly long outline: drop it rather than the quote
        header = header[: limit // 4]
        return quote_messages(header, text, highlight=highlight, limit=limit, max_parts=max_parts)
    pieces = _pack(text, [first_budget, limit - reserve])  # the last budget repeats
    bold = highlight_span(text, highlight)
    kept = pieces[:max_parts]
    messages = []
    for i, (start, end) in enumerate(kept):
        tail = MORE if i == len(kept) - 1 and len(pieces) > len(kept) else ""
        messages.append((head_html if i == 0 else "") + _quote_html(text, start, end, bold, tail))
    return messages


# -- answers -------------------------------------------------------------------------


def passage_messages(passage: Passage, *, also: Sequence[Passage] = (), max_parts: int = MAX_PARTS,
                     limit: int = MAX_MESSAGE) -> list[str]:
    """The HTML messages quoting one result. max_parts=1 gives a single (possibly cut) message.
    `also`: other documents that answer too, named under the header ("也见于：…")."""
    return quote_messages(
        heading_path(passage_title(passage), passage.section),
        passage.text,
        highlight=passage.highlight,
        outline=passage.outline,
        note=also_line(also),
        limit=limit,
        max_parts=max_parts,
    )


def also_line(also: Sequence[Passage]) -> str:
    """ "也见于：2024年政府工作报告 · 2023年政府工作报告" (plain), or "" when no other document answers."""
    return "也见于：" + " · ".join(passage_title(p) for p in also) if also else ""


def suggestions_of(reply: NoAnswer, limit: int = 3) -> tuple[Passage, ...]:
    """The closest sections to try instead, as the passages that stand in them."""
    return reply.suggestions[:limit]


def no_answer_message(reply: NoAnswer) -> str:
    """Say plainly that the documents do not answer it; list the closest sections. No quote."""
    question = reply.question.strip()
    shown = question if len(question) <= 40 else question[:40] + "…"
    lines = [f"关于「{escape(shown)}」，{NO_ANSWER}"]
    suggestions = suggestions_of(reply)
    if suggestions:
        lines += ["", TRY_SECTIONS] + [f"• {escape(SEPARATOR.join(p.section))}" for p in suggestions]
    return "\n".join(lines)


def inline_description(passage: Passage, limit: int = 120) -> str:
    """Inline result description: the highlight sentence (plain; Telegram shows it as-is)."""
    text = (passage.highlight or passage.text).strip().replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


# -- help and table of contents -----------------------------------------------------


def help_message(titles: Sequence[str], bot_username: str | None = None) -> str:
    """What the bot knows and how to ask; the example questions come as buttons."""
    mention = f"@{bot_username}" if bot_username else "@机器人"
    known = "\n".join(f"• {escape(t)}" for t in titles) or "（还没有载入任何文档）"
    return (
        "我会从下面的文档中原文引用能回答问题的段落，并标出最相关的一句：\n"
        f"{known}\n\n"
        "<b>怎么问</b>\n"
        "• 私聊：直接发送问题。\n"
        f"• 群聊：/ask 问题，或 {escape(mention)} 问题，或回复我的消息。\n"
        f"• 任意聊天中输入 {escape(mention)} 问题，可以选一段原文发出去。\n"
        "• /sections 查看目录。\n\n"
        "试试这些问题："
    )


@dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents: which document and section (None: the whole document)."""

    doc_index: int
    section_id: int | None
    label: str
    level: int


def toc_entries(documents: Sequence[Document], max_level: int = 2) -> list[TocEntry]:
    """Documents and their sections down to max_level, in reading order."""
    entries = []
    for d, document in enumerate(documents):
        entries.append(TocEntry(d, None, document.title, 0))
        entries += [
            TocEntry(d, section.id, section.heading, section.level)
            for section in document.sections
            if section.level <= max_level
        ]
    return entries


def toc_message(entries: Sequence[TocEntry], limit: int = MAX_MESSAGE, buttons: bool = True) -> str:
    """The table of contents as one message: deeper levels go first, then lines past the limit.
    buttons: the message comes with a button per section (Telegram, not the console)."""
    deepest = max((e.level for e in entries), default=0)
    lines = ["<b>目录</b>（点按钮查看章节）" if buttons else "<b>目录</b>"]
    for entry in entries:
        if entry.level == 0:
            lines.append(f"\n📄 <b>{escape(entry.label)}</b>")
        else:
            lines.append("　" * (entry.level - 1) + "• " + escape(entry.label))
    message = "\n".join(lines)
    if utf16_len(html_to_text(message)) <= limit:
        return message
    if deepest > 1:
        return toc_message([e for e in entries if e.level < deepest], limit, buttons)
    while lines and utf16_len(html_to_text("\n".join(lines))) > limit - 2:
        lines.pop()
    return "\n".join(lines + ["…"])


def html_to_text(message: str) -> str:
    """The visible text of one of our own messages (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", message))


# -- console (plain text) --------------------------------------------------------------


def passage_text(passage: Passage) -> str:
    """The same answer as plain text: where it stands, the items, the quote, then its best sentence."""
    lines = ["📄 " + heading_path(passage_title(passage), passage.section), *outline_lines(passage.outline)]
    lines += ["> " + line for line in passage.text.split("\n")]
    marked = highlight_span(passage.text, passage.highlight)
    if passage.highlight and marked and passage.highlight != passage.text:
        lines.append("最相关的一句：" + passage.highlight)
    return "\n".join(lines)


def reply_text(reply: Reply, titles: dict[str, str] | None = None) -> str:
    """Console rendering of a whole reply, the same content the bot sends, as plain text."""
    if isinstance(reply, NoAnswer):
        lines = [NO_ANSWER]
        suggestions = suggestions_of(reply)
        if suggestions:
            lines += [TRY_SECTIONS] + ["• " + SEPARATOR.join(p.section) for p in suggestions]
        return "\n".join(lines)
    if isinstance(reply, Listing):
        return format_commitments(reply.commitments, titles or {})
    lines = [passage_text(reply.answer)]
    if reply.also:
        lines += ["", also_line(reply.also)]
        lines += [f"• {heading_path(passage_title(p), p.section)}：{inline_description(p, 60)}"
                  for p in reply.also]
    others = [p for p in reply.passages[1:] if p not in reply.also]  # each passage once
    if others:
        lines += ["", "其他相关段落："]
        lines += [
            f"{i}. {heading_path(passage_title(p), p.section)}：{inline_description(p, 40)}"
            for i, p in enumerate(others, 2)
        ]
    return "\n".join(lines)


def results_of(reply: Reply) -> tuple[Passage, ...]:
    """The passages a reply quotes (inline results): the answer and its alternatives, then the
    other documents that answer too; none for no answer."""
    if isinstance(reply, NoAnswer):
        return ()
    also = reply.also if isinstance(reply, PassageAnswer) else ()
    return reply.passages + tuple(p for p in also if p not in reply.passages)

