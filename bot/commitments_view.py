"""Commitments listings as the bot shows them: pages of HTML and their buttons.

Pure functions over retrieval's records, in the style of bot/render.py (no Telegram
objects besides the keyboard markup, so every rule can be unit-tested):

- a listing is numbered across pages and grouped under "📄 title › section" headers;
- each item is marked by kind (🎯 target, ⏰ deadline, 📌 task) and quoted verbatim,
  escaped, with its quantities and deadline in bold where they stand;
- a page never exceeds Telegram's 4096 characters after entity parsing: overlong
  items are cut (with "…"), the tap on their number shows the whole passage
  (retrieval.commitments.commitment_passage), quoted as an ordinary answer is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import keyboards
from bot.keyboards import Kind
from bot.render import MAX_MESSAGE, SEPARATOR, escape, html_to_text, shorten, utf16_len
from retrieval.commitments import Commitment

PAGE_SIZE = 8
BUTTONS_PER_ROW = 4
KIND_MARKS: dict[str, str] = {"target": "🎯", "deadline": "⏰", "task": "📌"}
LEGEND = "🎯 目标 · ⏰ 时限 · 📌 任务 — 点数字查看原文"
HEADER_CHARS = 120  # a "📄 title › path" header longer than this is cut
ITEM_CAPS = (400, 240, 140, 80)  # item text caps tried in turn until the page fits
MORE = "…"

NONE_FOUND = "文档中没有找到任务或目标。"
NONE_FOR_KEYWORD = "没有找到与「{}」相关的任务或目标。"



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
    return escape(NONE_FOR_KEYWORD.format(shorten(keyword))) if keyword else NONE_FOUND


def listing_keyboard(
    generation: int, listing_id: str, page: int, total: int, size: int = PAGE_SIZE
) -> InlineKeyboardMarkup:
    """A numbered button per item of the page, then ◀ 上一页 · n/N · 下一页 ▶ (wrapping) if paged."""
    first = page * size
    numbers = range(first, min(first + size, total))
    items = [
        InlineKeyboardButton(
            str(n + 1),
            callback_data=keyboards.Callback(Kind.LISTING_ITEM, generation, listing_id, n).encode(),
        )
        for n in numbers
    ]
    rows = [items[i : i + BUTTONS_PER_ROW] for i in range(0, len(items), BUTTONS_PER_ROW)]
    pages = page_count(total, size)
    if pages > 1:

        def to(target: int) -> str:
            return keyboards.Callback(Kind.LISTING_PAGE, generation, listing_id, target % pages).encode()

        rows.append(
            [
                InlineKeyboardButton("◀ 上一页", callback_data=to(page - 1)),
                InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=keyboards.NOOP),
                InlineKeyboardButton("下一页 ▶", callback_data=to(page + 1)),
            ]
        )
    return InlineKeyboardMarkup(rows)


# -- one item opened -------------------------------------------------------------------
