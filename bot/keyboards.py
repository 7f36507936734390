"""Inline keyboards and the callback data their buttons carry.

Telegram returns callback_data verbatim but lets anyone send any string of up to 64
bytes, so the data is compact, self-describing and parsed strictly, one kind per button:

    p|<gen>|<rid>|<n>   show passage n of a recent reply (paging, edits the message)
    f|<gen>|<rid>|<n>   全文: the whole section of passage n
    s|<gen>|<d>|<s>     section s of document d (-1: the whole document)
    e|<gen>|<i>         ask example question i
    c|<gen>|<rid>|<n>   page n of a recent commitments listing (edits the message)
    o|<gen>|<rid>|<n>   item n of a recent commitments listing, as its quoted passage
    a|<gen>|<rid>|<n>   也见于: the passage of the n-th other document that answers too
    v|<gen>|<rid>|<u>   👍 (u=1) / 👎 (u=0) on a passage answer, counted in /stats
    n                   the "n/N" counter (does nothing)

<gen> is the library generation: after a reload, old buttons are recognised as stale.
<rid> is the reply's random key (24 hex digits, 96 bits): it cannot be guessed from one's
own buttons, so forged data cannot open another user's answer.
Each kind has its own CallbackQueryHandler with the pattern below (bot/handlers.py); data
that matches no pattern, or points at nothing any more, gets the polite "stale" answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.state import REPLY_KEY

MAX_CALLBACK_BYTES = 64
MAX_LABEL = 30  # characters of a section heading shown on a button
NOOP = "n"


class Kind(Enum):
    PAGE = "p"
    FULL = "f"
    SECTION = "s"
    EXAMPLE = "e"
    LISTING_PAGE = "c"
    LISTING_ITEM = "o"
    ALSO = "a"
    VOTE = "v"


RID = REPLY_KEY  # a recent reply's random key (bot/state.py Recent)
_KEY = {  # what stands between the generation and the number, per kind
    Kind.PAGE: RID,
    Kind.FULL: RID,
    Kind.SECTION: r"\d{1,4}",
    Kind.EXAMPLE: "",
    Kind.LISTING_PAGE: RID,
    Kind.LISTING_ITEM: RID,
    Kind.ALSO: RID,
}
PATTERNS: dict[Kind, re.Pattern[str]] = {
    kind: re.compile(rf"{kind.value}\|(\d{{1,9}})\|" + (rf"({key})\|" if key else "()") + r"(-1|\d{1,5})\Z")
    for kind, key in _KEY.items()
}
PATTERNS[Kind.VOTE] = re.compile(rf"v\|(\d{{1,9}})\|({RID})\|([01])\Z")  # the number: 1 👍, 0 👎
VOTE_UP, VOTE_DOWN = "👍", "👎"


@dataclass(frozen=True)
class Callback:
    """Parsed callback data. `key` is a reply id (p, f, c, o) or a document index (s); "" for e."""

    kind: Kind
    generation: int
    key: str
    index: int

    def encode(self) -> str:
        """The callback data; ValueError if it would not fit Telegram's 64 bytes or not parse back."""
        key = [] if self.kind is Kind.EXAMPLE else [self.key]
        data = "|".join([self.kind.value, str(self.generation), *key, str(self.index)])
        if len(data.encode()) > MAX_CALLBACK_BYTES or parse_callback(data, self.kind) != self:
            raise ValueError(f"cannot encode {self!r} as callback data")
        return data


def parse_callback(data: object, kind: Kind) -> Callback | None:
    """The Callback of that kind behind a button, or None for anything we did not make."""
    if not isinstance(data, str) or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    match = PATTERNS[kind].match(data)
    if not match:
        return None
    generation, key, index = match.groups()
    return Callback(kind, int(generation), key, int(index))


def label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def answer_keyboard(
    generation: int, rid: str, index: int, total: int, full: bool, also: Sequence[str] = (),
    votes: bool = False,
) -> InlineKeyboardMarkup | None:
    """◀ 上一条 · n/N · 下一条 ▶ (only with ≥2 results; wraps around), 全文, a button per other
    document that answers too ("也见于：2024年政府工作报告"), and with `votes` the 👍 / 👎 row."""
    rows = []
    if total >= 2:
        prev = Callback(Kind.PAGE, generation, rid, (index - 1) % total).encode()
        nxt = Callback(Kind.PAGE, generation, rid, (index + 1) % total).encode()
        rows.append(
            [
                InlineKeyboardButton("◀ 上一条", callback_data=prev),
                InlineKeyboardButton(f"{index + 1}/{total}", callback_data=NOOP),
                InlineKeyboardButton("下一条 ▶", callback_data=nxt),
            ]
        )
    if full:
        full_data = Callback(Kind.FULL, generation, rid, index).encode()
        rows.append([InlineKeyboardButton("全文", callback_data=full_data)])
    for n, title in enumerate(also):
        data = Callback(Kind.ALSO, generation, rid, n).encode()
        rows.append([InlineKeyboardButton(label(f"也见于：{title}"), callback_data=data)])
    if votes:
        rows.append(vote_row(generation, rid))
    return InlineKeyboardMarkup(rows) if rows else None


def vote_row(generation: int, rid: str) -> list[InlineKeyboardButton]:
    """👍 / 👎 on an answer: how the admins learn which answers miss (shown per section in /stats)."""
    return [
        InlineKeyboardButton(VOTE_UP, callback_data=Callback(Kind.VOTE, generation, rid, 1).encode()),
        InlineKeyboardButton(VOTE_DOWN, callback_data=Callback(Kind.VOTE, generation, rid, 0).encode()),
    ]


def sections_keyboard(
    generation: int, targets: Sequence[tuple[str, int, int | None]]
) -> InlineKeyboardMarkup | None:
    """One button per (label, doc index, section id or None for the whole document); ≤ 90 buttons."""
    rows = [
        [InlineKeyboardButton(label(text), callback_data=section_data(generation, d, s))]
        for text, d, s in targets[:90]
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def section_data(generation: int, doc_index: int, section_id: int | None) -> str:
    index = -1 if section_id is None else section_id
    return Callback(Kind.SECTION, generation, str(doc_index), index).encode()


def examples_keyboard(generation: int, examples: Sequence[str]) -> InlineKeyboardMarkup | None:
    rows = [
        [InlineKeyboardButton(label(q), callback_data=Callback(Kind.EXAMPLE, generation, "", i).encode())]
        for i, q in enumerate(examples[:10])
    ]
    return InlineKeyboardMarkup(rows) if rows else None
