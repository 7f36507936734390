"""Commitments in Telegram: /commitments [keyword] (alias /tasks), its buttons, and list questions.

Thin like bot/handlers.py: parse, ask retrieval, render with bot/commitments_view.py,
reply. Listings are kept in a bounded store so their buttons carry only the library
generation and a short id; buttons from before a reload, evicted or forged get the
same polite "stale" answer as every other button.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from contextlib import suppress

from telegram import Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import commitments_view as view
from bot import handlers, keyboards, render
from bot.state import LibraryHolder
from retrieval.commitments import Commitment, search_commitments
from retrieval.library import Library

COMMANDS = ("commitments", "tasks")
LISTINGS = "commitment_listings"  # bot_data key of the RecentListings
CALLBACK_PATTERN = rf"^[{view.PAGE_KIND}{view.OPEN_KIND}]\|"


def handler_list() -> list[BaseHandler]:
    """Registered by handlers.register; the button handler must come before the general one."""
    return [
        CommandHandler(list(COMMANDS), on_commitments),
        CallbackQueryHandler(on_commitments_button, pattern=CALLBACK_PATTERN),
    ]


def listings_of(context: ContextTypes.DEFAULT_TYPE) -> view.RecentListings:
    return context.bot_data.setdefault(LISTINGS, view.RecentListings())


async def commitments_of(library: Library) -> tuple[Commitment, ...]:
    """The library's commitments; the first extraction (seconds for many documents) runs in a thread.

    Library.commitments is a cached_property: once computed it sits in the instance
    dict and costs nothing, so only the first calls pay a thread hop. A library type
    without commitments has none.
    """
    cached = vars(library).get("commitments") if hasattr(library, "__dict__") else None
    if cached is not None:
        return cached
    return await asyncio.to_thread(extract_once, library)


_EXTRACTING = threading.Lock()


def extract_once(library: Library) -> tuple[Commitment, ...]:
    """cached_property has no lock: without this, a burst of first questions extracts once each."""
    with _EXTRACTING:
        return getattr(library, "commitments", ())


# -- messages ------------------------------------------------------------------------


async def on_commitments(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/commitments [keyword]: all commitments, or those matching the keyword, best first."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1)  # after "/commitments" or "/tasks@botname"
    keyword = parts[1].strip()[: handlers.MAX_QUESTION] if len(parts) > 1 else ""
    reply_id = reply_id_for(message)
    holder = handlers.holder_of(context)
    if holder.library is None:
        await message.reply_text(handlers.LOADING, reply_to_message_id=reply_id)
        return
    commitments = await commitments_of(holder.library)
    found = search_commitments(commitments, keyword) if keyword else list(commitments)
    if not found:
        await message.reply_html(view.empty_message(keyword), reply_to_message_id=reply_id)
        return
    await send_listing(context, message.chat_id, holder, found, keyword, reply_id)


async def answer_with_commitments(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, holder: LibraryHolder, question: str,
    reply_id: int | None,
) -> bool:
    """Reply with a listing if the question is answered by the commitments; False if it is not.

    Called by handlers.answer_question before the passage search, so every way of
    asking (private text, /ask, mentions, replies, example buttons) gets the same choice.
    """
    found = view.commitments_answer(await commitments_of(holder.library), question)
    if found is None:
        return False
    await send_listing(context, chat_id, holder, found, question, reply_id)
    return True


def reply_id_for(message: Message) -> int | None:
    """In groups the reply quotes the command; a private chat needs no quoting."""
    return message.message_id if message.chat.type != ChatType.PRIVATE else None


async def send_listing(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    holder: LibraryHolder,
    commitments: Sequence[Commitment],
    topic: str,
    reply_id: int | None,
) -> None:
    """The first page of a listing, with its buttons; the listing is kept for them."""
    listing = view.Listing(holder.generation, topic, tuple(commitments))
    listing_id = listings_of(context).add(listing)
    await context.bot.send_message(
        chat_id,
        view.page_message(listing.commitments, 0, titles_of(holder), topic),
        parse_mode=ParseMode.HTML,
        reply_markup=view.listing_keyboard(holder.generation, listing_id, 0, len(listing.commitments)),
        reply_to_message_id=reply_id,
    )


def titles_of(holder: LibraryHolder) -> dict[str, str]:
    return {d.name: d.title for d in holder.documents}


# -- buttons -------------------------------------------------------------------------


async def on_commitments_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A page of a listing (edits the message) or one item (sends its quoted passage)."""
    query = update.callback_query
    holder = handlers.holder_of(context)
    callback = keyboards.parse_callback(query.data)
    message = query.message if isinstance(query.message, Message) else None
    listing = (
        listings_of(context).current(callback.key, holder.generation)
        if callback and callback.generation == holder.generation
        else None
    )
    if listing is None or message is None:
        await query.answer(handlers.STALE)
        return
    total = len(listing.commitments)

    if callback.kind == view.PAGE_KIND:
        if callback.index >= view.page_count(total):
            await query.answer(handlers.STALE)
            return
        await query.answer()
        text = view.page_message(listing.commitments, callback.index, titles_of(holder), listing.topic)
        markup = view.listing_keyboard(holder.generation, callback.key, callback.index, total)
        with suppress(BadRequest):  # e.g. "message is not modified" after a double tap
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        return

    commitment = listing.commitments[callback.index] if callback.index < total else None
    document = next((d for d in holder.documents if commitment and d.name == commitment.doc), None)
    if commitment is None or document is None:
        await query.answer(handlers.STALE)
        return
    await query.answer()
    passage = view.commitment_passage(document, commitment)
    where = holder.locate(passage.doc, passage.section)
    markup = keyboards.sections_keyboard(holder.generation, [("全文", *where)] if where else [])
    parts = render.passage_messages(passage)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await context.bot.send_message(
            message.chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
        )
