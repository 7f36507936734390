"""Commitments as the bot shows them: which questions get a listing, pages of HTML, their buttons.

Pure functions over retrieval's records, in the style of bot/render.py (no Telegram
objects besides the keyboard markup, so every rule can be unit-tested):

- a listing is numbered across pages and grouped under "📄 title › section" headers;
- each item is marked by kind (🎯 target, ⏰ deadline, 📌 task) and quoted verbatim,
  escaped, with its quantities and deadline in bold where they stand;
- a page never exceeds Telegram's 4096 characters after entity parsing: overlong
  items are cut (with "…"), the tap on their number shows the whole passage;
- opening an item quotes the chunk that contains it, the commitment sentence in bold,
  exactly as an ordinary answer is quoted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import keyboards
from bot.render import MAX_MESSAGE, SEPARATOR, escape, html_to_text, utf16_len
from bot.state import Recent
from retrieval.commitments import Commitment, answer_from_commitments
from retrieval.models import Document, Passage
from retrieval.question import parse_question

PAGE_SIZE = 8
BUTTONS_PER_ROW = 4
KIND_MARKS: dict[str, str] = {"target": "🎯", "deadline": "⏰", "task": "📌"}
LEGEND = "🎯 目标 · ⏰ 时限 · 📌 任务 — 点数字查看原文"
HEADER_CHARS = 120  # a "📄 title › path" header longer than this is cut
ITEM_CAPS = (400, 240, 140, 80)  # item text caps tried in turn until the page fits
MORE = "…"

NONE_FOUND = "文档中没有找到任务或目标。"
NONE_FOR_KEYWORD = "没有找到与「{}」相关的任务或目标。"

PAGE_KIND = "c"  # callback kinds registered in bot/keyboards.py
OPEN_KIND = "o"


def commitments_answer(commitments: Sequence[Commitment], question: str) -> list[Commitment] | None:
    """The commitments that answer a question, or None when a quoted passage should answer it.

    retrieval decides which questions are about commitments; the bot adds one rule: a
    list of *every* commitment is no answer to a question. "2022年基础配套有哪些任务"
    matches all of them on its year alone, while the passage search finds the section;
    the whole list stays one /commitments away.
    """
    found = answer_from_commitments(parse_question(question).commitments, commitments)
    if not found or len(found) == len(commitments):
        return None
    return found


# -- one item ------------------------------------------------------------------------


def emphasis_spans(text: str, parts: Sequence[str]) -> list[tuple[int, int]]:
    """Where the quantities and the deadline stand in the text, in order, overlaps merged."""
    spans = []
    for part in parts:
        at = text.find(part) if part else -1
        while at >= 0:
            spans.append((at, at + len(part)))
            at = text.find(part, at + len(part))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def item_html(number: int, commitment: Commitment, cap: int) -> str:
    """ "3. ⏰ 三大主题公园 <b>X 月底前</b>全部建成并投入运营" — at most cap characters of text."""
    text = commitment.text  # one sentence: never spans a line break
    deadline = [commitment.deadline] if commitment.deadline else []
    spans = emphasis_spans(text, [*commitment.quantities, *deadline])
    cut = len(text) > cap
    shown = text[: cap - 1] if cut else text
    out, position = [], 0
    for start, end in spans:
        if start >= len(shown):
            break
        end = min(end, len(shown))
        out += [escape(shown[position:start]), "<b>", escape(shown[start:end]), "</b>"]
        position = end
    out.append(escape(shown[position:]))
    return f"{number}. {KIND_MARKS[commitment.kind]} {''.join(out)}{MORE if cut else ''}"


def place_header(commitment: Commitment, titles: Mapping[str, str]) -> str:
    """ "📄 <b>xx区2022年经济工作会上讲话 › 二、2022 年的重点工作</b>"."""
    path = SEPARATOR.join([titles.get(commitment.doc, commitment.doc), *commitment.section])
    if len(path) > HEADER_CHARS:
        path = path[: HEADER_CHARS - 1] + MORE
    return f"📄 <b>{escape(path)}</b>"


# -- pages -----------------------------------------------------------------------------


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def listing_title(total: int, topic: str = "") -> str:
    """ "📋 <b>任务与目标</b>「月底前」· 共 3 项"; the topic is the keyword or the question."""
    shown = topic if len(topic) <= 40 else topic[:40] + MORE
    about = f"「{escape(shown)}」" if shown else ""
    return f"📋 <b>任务与目标</b>{about} · 共 {total} 项"


def page_message(
    commitments: Sequence[Commitment],
    page: int,
    titles: Mapping[str, str],
    topic: str = "",
    *,
    size: int = PAGE_SIZE,
    limit: int = MAX_MESSAGE,
) -> str:
    """Page `page` (from 0) of a listing as one HTML message of at most `limit` visible characters."""
    pages = page_count(len(commitments), size)
    first = page * size
    shown = commitments[first : first + size]
    title = listing_title(len(commitments), topic)
    if pages > 1:
        title += f"（第 {page + 1}/{pages} 页）"
    for cap in ITEM_CAPS:
        lines = [title]
        previous = None
        for number, commitment in enumerate(shown, start=first + 1):
            place = (commitment.doc, commitment.section)
            if place != previous:
                lines += ["", place_header(commitment, titles)]
                previous = place
            lines.append(item_html(number, commitment, cap))
        lines += ["", LEGEND]
        message = "\n".join(lines)
        if utf16_len(html_to_text(message)) <= limit:
            return message
    raise ValueError(f"a page of {size} commitments does not fit in {limit} characters")


def empty_message(keyword: str = "") -> str:
    return escape(NONE_FOR_KEYWORD.format(keyword)) if keyword else NONE_FOUND


def listing_keyboard(
    generation: int, listing_id: str, page: int, total: int, size: int = PAGE_SIZE
) -> InlineKeyboardMarkup:
    """A numbered button per item of the page, then ◀ 上一页 · n/N · 下一页 ▶ (wrapping) if paged."""
    first = page * size
    numbers = range(first, min(first + size, total))
    items = [
        InlineKeyboardButton(
            str(n + 1), callback_data=keyboards.Callback(OPEN_KIND, generation, listing_id, n).encode()
        )
        for n in numbers
    ]
    rows = [items[i : i + BUTTONS_PER_ROW] for i in range(0, len(items), BUTTONS_PER_ROW)]
    pages = page_count(total, size)
    if pages > 1:

        def to(target: int) -> str:
            return keyboards.Callback(PAGE_KIND, generation, listing_id, target % pages).encode()

        rows.append(
            [
                InlineKeyboardButton("◀ 上一页", callback_data=to(page - 1)),
                InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=keyboards.NOOP),
                InlineKeyboardButton("下一页 ▶", callback_data=to(page + 1)),
            ]
        )
    return InlineKeyboardMarkup(rows)


# -- one item opened -------------------------------------------------------------------


def commitment_passage(document: Document, commitment: Commitment) -> Passage:
    """The chunk containing the commitment as a quoted result, the commitment as its highlight.

    Should a commitment run past its chunk's end, the quote is extended to cover it, so
    the highlight is always found verbatim in the quote.
    """
    containing = [c for c in document.chunks if c.start <= commitment.start < c.end]
    if containing:
        chunk = containing[0]
        start, end, path, outline = chunk.start, max(chunk.end, commitment.end), chunk.path, chunk.outline
    else:  # a document without chunks there: quote the commitment itself
        start, end, path, outline = commitment.start, commitment.end, commitment.section, ()
    return Passage(
        doc=document.name,
        section=path,
        text=document.text[start:end],
        highlight=commitment.text,
        outline=outline,
        score=1.0,
        title=document.title,
    )


@dataclass(frozen=True)
class Listing:
    """A listing shown to a user, kept so its buttons can carry a short id instead of the list."""

    generation: int
    topic: str
    commitments: tuple[Commitment, ...]


class RecentListings(Recent[Listing]):
    """The listings whose buttons are on screen; a listing from another library generation is stale."""

    def __init__(self, capacity: int = 2048) -> None:
        super().__init__(capacity)

    def current(self, key: str, generation: int) -> Listing | None:
        """The listing, or None if unknown, evicted or made from another library generation."""
        listing = self.get(key)
        return listing if listing is not None and listing.generation == generation else None
