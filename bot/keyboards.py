"""Inline keyboards and the callback data their buttons carry.

Telegram returns callback_data verbatim but lets anyone send any string of up to 64
bytes, so the data is compact, self-describing and parsed strictly:

    p|<gen>|<qid>|<n>   show result n of a recent answer (paging, edits the message)
    f|<gen>|<qid>|<n>   全文: the whole section of result n
    s|<gen>|<d>|<s>     section s of document d (-1: the whole document)
    e|<gen>|<i>         ask example question i
    c|<gen>|<lid>|<n>   page n of a recent commitments listing (edits the message)
    o|<gen>|<lid>|<n>   item n of a recent commitments listing, as its quoted passage
    n                   the "n/N" counter (does nothing)

<gen> is the library generation: after a reload, old buttons are recognised as stale.
Anything that does not parse is treated exactly like a stale button.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MAX_CALLBACK_BYTES = 64
MAX_LABEL = 30  # characters of a section heading shown on a button
NOOP = "n"

_PATTERNS = {
    "p": re.compile(r"p\|(\d{1,9})\|([0-9a-f]{1,12})\|(\d{1,2})"),
    "f": re.compile(r"f\|(\d{1,9})\|([0-9a-f]{1,12})\|(\d{1,2})"),
    "s": re.compile(r"s\|(\d{1,9})\|(\d{1,4})\|(-1|\d{1,5})"),
    "e": re.compile(r"e\|(\d{1,9})\|()(\d)"),
    "c": re.compile(r"c\|(\d{1,9})\|([0-9a-f]{1,12})\|(\d{1,4})"),
    "o": re.compile(r"o\|(\d{1,9})\|([0-9a-f]{1,12})\|(\d{1,5})"),
}


@dataclass(frozen=True)
class Callback:
    """Parsed callback data. `key` is a qid (p, f), a document index (s) or a listing id (c, o);
    unused for e."""

    kind: str
    generation: int
    key: str
    index: int

    def encode(self) -> str:
        parts = (
            [self.kind, str(self.generation)] + ([self.key] if self.kind != "e" else []) + [str(self.index)]
        )
        data = "|".join(parts)
        assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
        return data


def parse_callback(data: str | None) -> Callback | None:
    """The Callback behind a button, or None for anything we did not make (or the no-op)."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    pattern = _PATTERNS.get(data[0])
    match = pattern.fullmatch(data) if pattern else None
    if not match:
        return None
    generation, key, index = match.groups()
    return Callback(data[0], int(generation), key, int(index))


def label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def answer_keyboard(
    generation: int, qid: str, index: int, total: int, full: bool
) -> InlineKeyboardMarkup | None:
    """◀ 上一条 · n/N · 下一条 ▶ (only with ≥2 results; wraps around) and 全文."""
    rows = []
    if total >= 2:
        prev, nxt = (index - 1) % total, (index + 1) % total
        rows.append(
            [
                InlineKeyboardButton("◀ 上一条", callback_data=Callback("p", generation, qid, prev).encode()),
                InlineKeyboardButton(f"{index + 1}/{total}", callback_data=NOOP),
                InlineKeyboardButton("下一条 ▶", callback_data=Callback("p", generation, qid, nxt).encode()),
            ]
        )
    if full:
        rows.append(
            [InlineKeyboardButton("全文", callback_data=Callback("f", generation, qid, index).encode())]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def sections_keyboard(
    generation: int, targets: Sequence[tuple[str, int, int]]
) -> InlineKeyboardMarkup | None:
    """One button per (label, doc index, section index); Telegram allows about 100 buttons."""
    rows = [
        [InlineKeyboardButton(label(text), callback_data=Callback("s", generation, str(d), s).encode())]
        for text, d, s in targets[:90]
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def examples_keyboard(generation: int, examples: Sequence[str]) -> InlineKeyboardMarkup | None:
    rows = [
        [InlineKeyboardButton(label(q), callback_data=Callback("e", generation, "", i).encode())]
        for i, q in enumerate(examples[:10])
    ]
    return InlineKeyboardMarkup(rows) if rows else None
