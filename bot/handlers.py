"""Update handlers: parse the update, ask the library, render, reply.

Each handler stays thin, like python-telegram-bot's examples; every question, however it
arrives, goes through ask() to Library.ask and comes back as a Reply that send_reply() renders.
The text comes from bot/render.py, the buttons from bot/keyboards.py.

Who gets an answer:
- private chat: every text message is a question;
- groups: /ask <question> (also /ask@<botname>), messages that @mention the bot, and
  replies to the bot's own messages — everything else is left alone;
- inline mode: "@bot question" in any chat lists the passages of the same reply.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import commitments_view as listing_view
from bot import keyboards, render
from bot.context import Context
from bot.keyboards import Kind
from bot.scope import scope_of
from bot.state import LibraryHolder
from retrieval.commitments import commitment_passage
from retrieval.models import Passage
from retrieval.reply import Listing, NoAnswer, PassageAnswer, Reply

logger = logging.getLogger(__name__)

ASK_USAGE = "用法：/ask 问题，例如 /ask 2022年基础配套有哪些任务"
UNKNOWN_COMMAND = "没有 {} 这个命令。直接发送问题即可，/help 查看怎么提问。"
UNKNOWN_GROUP_COMMAND = "没有 {} 这个命令。在群里提问请用 /ask 问题，/help 查看怎么提问。"
TYPING_AFTER = 1.0  # s: an answer not ready by then gets "typing" (answer_question says why)
VOTE_THANKS = "谢谢反馈"

PRIVATE_COMMANDS = [
    BotCommand("help", "我知道哪些文档、怎么提问"),
    BotCommand("sections", "文档目录"),
    BotCommand("commitments", "任务、目标和时限，如 /commitments 道路"),
]
GROUP_COMMANDS = [
    BotCommand("ask", "提问，如 /ask 基础配套有哪些任务"),
    BotCommand("help", "我知道哪些文档、怎么提问"),
    BotCommand("sections", "文档目录"),
    BotCommand("commitments", "任务、目标和时限，如 /commitments 道路"),
]


def register(application: Application) -> None:
    """Attach the question handlers and one button handler per kind; called by bot/app.py."""
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    application.add_handlers(
        [
            CommandHandler(["start", "help"], on_help),
            CommandHandler("sections", on_sections),
            CommandHandler("ask", on_ask),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_private_text),
            MessageHandler(groups & filters.TEXT & ~filters.COMMAND, on_group_text),
            MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_private_other),
            MessageHandler(filters.COMMAND, on_unknown_command),  # after every CommandHandler (app.py)
            CallbackQueryHandler(on_page, pattern=keyboards.PATTERNS[Kind.PAGE]),
            CallbackQueryHandler(on_full, pattern=keyboards.PATTERNS[Kind.FULL]),
            CallbackQueryHandler(on_section, pattern=keyboards.PATTERNS[Kind.SECTION]),
            CallbackQueryHandler(on_example, pattern=keyboards.PATTERNS[Kind.EXAMPLE]),
            CallbackQueryHandler(on_listing_page, pattern=keyboards.PATTERNS[Kind.LISTING_PAGE]),
            CallbackQueryHandler(on_listing_item, pattern=keyboards.PATTERNS[Kind.LISTING_ITEM]),
            CallbackQueryHandler(on_also, pattern=keyboards.PATTERNS[Kind.ALSO]),
            CallbackQueryHandler(on_vote, pattern=keyboards.PATTERNS[Kind.VOTE]),
            CallbackQueryHandler(on_noop, pattern=f"^{keyboards.NOOP}$"),
            CallbackQueryHandler(on_stale),  # anything else: forged, or from an older version
            InlineQueryHandler(on_inline),
        ]
    )
    application.add_error_handler(on_error)


async def set_commands(application: Application) -> None:
    """The command menu, separately for private chats and groups (run from post_init)."""
    await application.bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await application.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())


# -- asking ------------------------------------------------------------------------------


async def ask(context: Context, question: str) -> Reply | None:
    """The library's reply to a question (in the user's chosen document), counted for /stats;
    None while the documents are still loading."""
    data = context.bot_data
    library = data.holder.library
    if library is None:
        return None
    scope = scope_of(context.user_data, data.holder)
    if library.commitments_ready:  # about a millisecond: answer on the loop
        reply = library.ask(question, scope, top_k=data.top_k)
    else:  # the first question extracts every commitment (seconds for a large library)
        reply = await asyncio.to_thread(library.ask, question, scope, data.top_k)
    data.usage.record_reply(reply)  # queued for the stats writer thread: never waits, never raises
    return reply


async def answer_message(context: Context, message: Message, question: str) -> None:
    """Answer a question typed in a chat; in groups the answer quotes the question it answers."""
    reply_id = message.message_id if message.chat.type != ChatType.PRIVATE else None
    await answer_question(context, message.chat_id, question, reply_id)


async def answer_question(context: Context, chat_id: int, question: str, reply_id: int | None = None) -> None:
    """Ask, send the reply; "typing" only while an answer is late (TYPING_AFTER) and the limiter idle.

    Why not always: a "typing" costs one of Telegram's ≈30 requests/s, as much as an answer; sent
    before every answer it halved the answers under load (issue 14: 15/s, p99 70 s). Most answers
    are ready in milliseconds, and then the answer itself is the feedback.
    """
    if not has_words(question):
        await context.bot.send_message(chat_id, render.NOT_TEXT, reply_to_message_id=reply_id)
        return
    if context.bot_data.holder.library is None:
        await context.bot.send_message(chat_id, render.LOADING, reply_to_message_id=reply_id)
        return
    asking = asyncio.ensure_future(ask(context, question))
    try:
        await asyncio.wait({asking}, timeout=TYPING_AFTER)
        if not asking.done() and not limiter_busy(context.bot):
            with suppress(TelegramError):  # "typing" is a courtesy; never let it cost the answer
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        reply = await asking
    finally:
        asking.cancel()  # nothing when done; an update cancelled meanwhile leaves no task behind
    if reply is not None:
        await send_reply(context, chat_id, reply, reply_id)


def limiter_busy(bot: object) -> bool:
    """Whether more than half of Telegram's overall rate (the last second's) is in use: a "typing"
    then would only delay someone's answer. Reads the bucket python-telegram-bot's AIORateLimiter
    keeps in _base_limiter; without one (another limiter, or none) nothing is busy."""
    bucket = getattr(getattr(bot, "rate_limiter", None), "_base_limiter", None)
    if bucket is None or not hasattr(bucket, "has_capacity"):
        return False
    return not bucket.has_capacity(bucket.max_rate / 2)


def has_words(text: str) -> bool:
    """True if there is anything to search for: letters, digits or Chinese characters."""
    return any(ch.isalnum() for ch in text)


# -- messages ------------------------------------------------------------------------


async def on_help(update: Update, context: Context) -> None:
    holder = context.bot_data.holder
    text = render.help_message([d.title for d in holder.documents], context.bot.username)
    markup = keyboards.examples_keyboard(holder.generation, holder.examples())
    if update.effective_message:
        await update.effective_message.reply_html(text, reply_markup=markup)


async def on_sections(update: Update, context: Context) -> None:
    holder = context.bot_data.holder
    entries = render.toc_entries(holder.documents)
    # Buttons: each document that has no headings, and every top-level section.
    targets = [
        (e.label, e.doc_index, e.section_id)
        for e in entries
        if e.level == 1 or (e.level == 0 and not holder.documents[e.doc_index].sections)
    ]
    markup = keyboards.sections_keyboard(holder.generation, targets)
    if update.effective_message:
        await update.effective_message.reply_html(render.toc_message(entries), reply_markup=markup)


async def on_ask(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    # Everything after "/ask" or "/ask@botname", keeping the user's own spacing.
    parts = (message.text or "").split(maxsplit=1)
    question = parts[1].strip() if len(parts) > 1 else ""
    if not question:
        await message.reply_text(ASK_USAGE)
        return
    await answer_message(context, message, question)


async def on_private_text(update: Update, context: Context) -> None:
    if update.effective_message:
        message = update.effective_message
        await answer_message(context, message, (message.text or "").strip())


async def on_group_text(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    question = addressed_question(message, context.bot.id, context.bot.username)
    if question is not None:
        await answer_message(context, message, question.strip())


async def on_private_other(update: Update, context: Context) -> None:
    """Stickers, photos and the like in a private chat: say what the bot can read."""
    if update.effective_message:
        await update.effective_message.reply_text(render.NOT_TEXT)


async def on_unknown_command(update: Update, context: Context) -> None:
    """A /command no handler took: one line on how to ask, rather than silence. In groups only
    /cmd@ourbot: a bare /cmd there may be meant for another bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0]
    group = message.chat.type != ChatType.PRIVATE
    if group and not command.lower().endswith(f"@{context.bot.username}".lower()):
        return
    await message.reply_text(unknown_command(command, group))


def unknown_command(command: str, group: bool = False) -> str:
    """The help line for an unknown command (its @botname dropped, a long one cut)."""
    name = render.shorten(command.split("@", 1)[0], 40)
    return (UNKNOWN_GROUP_COMMAND if group else UNKNOWN_COMMAND).format(name)


def addressed_question(message: Message, bot_id: int, bot_username: str) -> str | None:
    """The question in a group message meant for the bot, or None for other chatter."""
    text = message.text or ""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot_id:
        return text
    mention = f"@{bot_username}".lower()
    for entity, value in message.parse_entities([MessageEntity.MENTION]).items():
        if value.lower() == mention:
            return (text[: entity.offset] + text[entity.offset + entity.length :]).strip()
    return None


# -- replies -------------------------------------------------------------------------


async def send_reply(context: Context, chat_id: int, reply: Reply, reply_id: int | None) -> None:
    """Render any reply into messages with their buttons."""
    holder = context.bot_data.holder
    if isinstance(reply, NoAnswer):
        targets = [
            (render.SEPARATOR.join(p.section), position, p.section_id)
            for p in render.suggestions_of(reply)
            if (position := holder.position(p.doc)) is not None and p.section_id is not None
        ]
        await context.bot.send_message(
            chat_id, render.no_answer_message(reply), parse_mode=ParseMode.HTML,
            reply_markup=keyboards.sections_keyboard(holder.generation, targets),
            reply_to_message_id=reply_id,
        )
        return
    rid = holder.recent.add(reply)
    if isinstance(reply, Listing):
        await context.bot.send_message(
            chat_id,
            listing_view.page_message(reply.commitments, 0, titles_of(holder), reply.question),
            parse_mode=ParseMode.HTML,
            reply_markup=listing_view.listing_keyboard(holder.generation, rid, 0, len(reply.commitments)),
            reply_to_message_id=reply_id,
        )
        return
    parts = render.passage_messages(reply.answer, also=reply.also)
    markup = answer_markup(holder, rid, reply, 0)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await context.bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None,
            reply_to_message_id=reply_id if i == 0 else None,
        )


def titles_of(holder: LibraryHolder) -> dict[str, str]:
    return {d.name: d.title for d in holder.documents}


def answer_markup(holder: LibraryHolder, rid: str, reply: PassageAnswer,
                  index: int) -> InlineKeyboardMarkup | None:
    """Paging buttons, 全文 when the passage's section (or document) can be shown, 也见于, 👍/👎."""
    full = holder.position(reply.passages[index].doc) is not None
    also = [render.passage_title(p) for p in reply.also]
    return keyboards.answer_keyboard(holder.generation, rid, index, len(reply.passages), full, also,
                                     votes=True)


async def send_shown(context: Context, chat_id: int, doc_index: int, section_id: int | None) -> bool:
    """Send a section (or whole document) as quoted messages, its subsections as buttons."""
    holder = context.bot_data.holder
    shown = holder.shown(doc_index, section_id)
    if shown is None:
        return False
    header = render.heading_path(shown.document.title, shown.path)
    parts = render.quote_messages(header, shown.text)
    subsections = [(s.heading, doc_index, s.id) for s in shown.children]
    markup = keyboards.sections_keyboard(holder.generation, subsections)
    for i, part in enumerate(parts):
        await context.bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if i == len(parts) - 1 else None
        )
    return True


async def send_passage(context: Context, chat_id: int, passage: Passage) -> None:
    """One quoted passage (a listing item opened), with a 全文 button for its section."""
    holder = context.bot_data.holder
    position = holder.position(passage.doc)
    targets = [("全文", position, passage.section_id)] if position is not None else []
    markup = keyboards.sections_keyboard(holder.generation, targets)
    parts = render.passage_messages(passage)
    for i, part in enumerate(parts):
        await context.bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if i == len(parts) - 1 else None
        )


# -- buttons: one handler per kind ------------------------------------------------------


class NoDataButton(CallbackQueryHandler):
    """A button without callback data: python-telegram-bot passes it through every pattern, so
    this handler, registered before all others, answers it as stale."""

    def check_update(self, update: object) -> bool:
        return isinstance(update, Update) and update.callback_query is not None \
            and not update.callback_query.data


def recent_reply(context: Context, data: object, kind: Kind) -> tuple[keyboards.Callback, Reply] | None:
    """The button's data and the reply it points into, if both are still current."""
    holder = context.bot_data.holder
    callback = keyboards.parse_callback(data, kind)
    if callback is None or callback.generation != holder.generation:
        return None
    reply = holder.recent.get(callback.key)
    return (callback, reply) if reply is not None else None


def chat_of(update: Update) -> int | None:
    query = update.callback_query
    message = query.message if query and isinstance(query.message, Message) else None
    return message.chat_id if message else None


async def on_page(update: Update, context: Context) -> None:
    """◀ / ▶: show another passage of the same answer in place."""
    query = update.callback_query
    assert query is not None  # a CallbackQueryHandler only runs for callback queries
    callback, reply = recent_reply(context, query.data, Kind.PAGE) or (None, None)
    if callback is None or not isinstance(reply, PassageAnswer) \
            or not 0 <= callback.index < len(reply.passages):
        await query.answer(render.STALE)
        return
    await query.answer()
    text = render.passage_messages(reply.passages[callback.index], max_parts=1)[0]
    markup = answer_markup(context.bot_data.holder, callback.key, reply, callback.index)
    with suppress(BadRequest):  # e.g. "message is not modified" after a double tap
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_full(update: Update, context: Context) -> None:
    """全文: the whole section of the passage shown."""
    query = update.callback_query
    assert query is not None
    found = recent_reply(context, query.data, Kind.FULL)
    chat_id = chat_of(update)
    if found is None or chat_id is None or not isinstance(found[1], PassageAnswer) \
            or not 0 <= found[0].index < len(found[1].passages):
        await query.answer(render.STALE)
        return
    passage = found[1].passages[found[0].index]
    position = context.bot_data.holder.position(passage.doc)
    if position is None:
        await query.answer(render.STALE)
        return
    await query.answer()
    await send_shown(context, chat_id, position, passage.section_id)


async def on_section(update: Update, context: Context) -> None:
    """A section button (/sections, suggestions, subsections)."""
    query = update.callback_query
    assert query is not None
    holder = context.bot_data.holder
    callback = keyboards.parse_callback(query.data, Kind.SECTION)
    chat_id = chat_of(update)
    section_id = None if callback is None or callback.index == -1 else callback.index
    if callback is None or callback.generation != holder.generation or chat_id is None \
            or holder.shown(int(callback.key), section_id) is None:
        await query.answer(render.STALE)
        return
    await query.answer()
    await send_shown(context, chat_id, int(callback.key), section_id)


async def on_example(update: Update, context: Context) -> None:
    """An example question from /help, asked as if typed."""
    query = update.callback_query
    assert query is not None
    holder = context.bot_data.holder
    callback = keyboards.parse_callback(query.data, Kind.EXAMPLE)
    examples = holder.examples()
    message = query.message if isinstance(query.message, Message) else None
    if callback is None or callback.generation != holder.generation or message is None \
            or not 0 <= callback.index < len(examples):
        await query.answer(render.STALE)
        return
    await query.answer()
    await answer_question(context, message.chat_id, examples[callback.index])


async def on_listing_page(update: Update, context: Context) -> None:
    """◀ 上一页 / 下一页 ▶ of a commitments listing, in place."""
    query = update.callback_query
    assert query is not None
    callback, listing = recent_reply(context, query.data, Kind.LISTING_PAGE) or (None, None)
    if callback is None or not isinstance(listing, Listing) \
            or not 0 <= callback.index < listing_view.page_count(len(listing.commitments)):
        await query.answer(render.STALE)
        return
    holder = context.bot_data.holder
    await query.answer()
    text = listing_view.page_message(listing.commitments, callback.index, titles_of(holder), listing.question)
    markup = listing_view.listing_keyboard(holder.generation, callback.key, callback.index,
                                           len(listing.commitments))
    with suppress(BadRequest):  # e.g. "message is not modified" after a double tap
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_listing_item(update: Update, context: Context) -> None:
    """A commitment's number: quote the passage it stands in, the commitment in bold."""
    query = update.callback_query
    assert query is not None
    found = recent_reply(context, query.data, Kind.LISTING_ITEM)
    chat_id = chat_of(update)
    library = context.bot_data.holder.library
    if found is None or chat_id is None or library is None or not isinstance(found[1], Listing) \
            or not 0 <= found[0].index < len(found[1].commitments):
        await query.answer(render.STALE)
        return
    commitment = found[1].commitments[found[0].index]
    document = library.document(commitment.doc)
    if document is None:
        await query.answer(render.STALE)
        return
    await query.answer()
    await send_passage(context, chat_id, commitment_passage(document, commitment))


async def on_also(update: Update, context: Context) -> None:
    """也见于：show the passage another document answers with."""
    query = update.callback_query
    assert query is not None
    callback, reply = recent_reply(context, query.data, Kind.ALSO) or (None, None)
    chat_id = chat_of(update)
    if callback is None or chat_id is None or not isinstance(reply, PassageAnswer) \
            or not 0 <= callback.index < len(reply.also):
        await query.answer(render.STALE)
        return
    await query.answer()
    await send_passage(context, chat_id, reply.also[callback.index])


async def on_vote(update: Update, context: Context) -> None:
    """👍/👎 under an answer: kept for /stats, one vote per user and answer (a second tap changes it)."""
    query = update.callback_query
    assert query is not None
    callback, reply = recent_reply(context, query.data, Kind.VOTE) or (None, None)
    message = query.message if isinstance(query.message, Message) else None
    if callback is None or message is None or not isinstance(reply, PassageAnswer):
        await query.answer(render.STALE)
        return
    context.bot_data.usage.record_vote(reply, up=callback.index == 1, voter=query.from_user.id,  # queued
                                       answer=f"{message.chat_id}:{message.message_id}")
    await query.answer(VOTE_THANKS)


async def on_noop(update: Update, context: Context) -> None:
    """The "n/N" counter between the paging buttons."""
    if update.callback_query:
        await update.callback_query.answer()


async def on_stale(update: Update, context: Context) -> None:
    """A button we did not make, or in a format this version no longer uses."""
    if update.callback_query:
        await update.callback_query.answer(render.STALE)


# -- inline mode ---------------------------------------------------------------------


async def on_inline(update: Update, context: Context) -> None:
    """ "@bot question": the passages of the same reply as articles, each sending its quote."""
    inline = update.inline_query
    if inline is None:
        return
    question = inline.query.strip()
    reply = await ask(context, question) if has_words(question) else None
    articles = [
        InlineQueryResultArticle(
            id=str(i),
            title=keyboards.label(render.SEPARATOR.join(p.section) or render.passage_title(p)),
            description=render.inline_description(p),
            input_message_content=InputTextMessageContent(
                render.passage_messages(p, max_parts=1)[0], parse_mode=ParseMode.HTML
            ),
        )
        for i, p in enumerate(render.results_of(reply) if reply else ())
    ]
    await inline.answer(articles, cache_time=60 if reply else 5)


# -- errors --------------------------------------------------------------------------


async def on_error(update: object, context: Context) -> None:
    """Log the exception, tell the user something went wrong (no internals), carry on.

    Not after a request that timed out: Telegram may well have done it (a sendMessage answered
    after the read timeout has reached the user), and "出错" under an answer is wrong.
    """
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, TimedOut):
        logger.warning("处理更新 %s 时 Telegram 响应超时（请求可能已经完成，不再向用户道歉）：%s",
                       update_id, context.error)
        return
    logger.error("处理更新 %s 时出错", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    with suppress(TelegramError):  # the apology may fail too (e.g. Telegram is down)
        if update.callback_query:
            await update.callback_query.answer(render.SORRY)
        elif update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, render.SORRY)
