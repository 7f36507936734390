"""Update handlers: parse the update, ask the library, render, reply.

Each handler stays thin, like python-telegram-bot's examples; the text comes from
bot/render.py, the buttons from bot/keyboards.py and the documents from bot/state.py.

Who gets an answer:
- private chat: every text message is a question;
- groups: /ask <question> (also /ask@<botname>), messages that @mention the bot, and
  replies to the bot's own messages — everything else is left alone;
- inline mode: "@bot question" in any chat lists the top passages.
"""

from __future__ import annotations

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
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import admin, commitments_handlers, keyboards, render
from bot.state import LibraryHolder, children_of
from retrieval.models import Answer, Passage

logger = logging.getLogger(__name__)

HOLDER = "library"  # bot_data key of the LibraryHolder
TOP_K = "top_k"  # bot_data key of the number of results per question
MAX_QUESTION = 500  # characters of a question passed to retrieval; the rest is noise

STALE = "这个按钮已过期，请重新提问"
SORRY = "抱歉，处理这条消息时出错了，请稍后再试。"
LOADING = "文档还在载入，请稍后再试。"
NOT_TEXT = "请用文字提问，例如：2022年基础配套有哪些任务？"
ASK_USAGE = "用法：/ask 问题，例如 /ask 2022年基础配套有哪些任务"

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
    """Attach every handler; called once by bot/app.py."""
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    admin.register(application)  # first: uploads and admin buttons before the catch-alls below
    application.add_handlers(
        [
            CommandHandler(["start", "help"], on_help),
            CommandHandler("sections", on_sections),
            CommandHandler("ask", on_ask),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_private_text),
            MessageHandler(groups & filters.TEXT & ~filters.COMMAND, on_group_text),
            MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, on_private_other),
            *commitments_handlers.handler_list(),  # /commitments, /tasks and their buttons
            CallbackQueryHandler(on_button),
            InlineQueryHandler(on_inline),
        ]
    )
    application.add_error_handler(on_error)


async def set_commands(application: Application) -> None:
    """The command menu, separately for private chats and groups (run from post_init)."""
    await application.bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await application.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())


def holder_of(context: ContextTypes.DEFAULT_TYPE) -> LibraryHolder:
    return context.bot_data[HOLDER]


# -- messages ------------------------------------------------------------------------


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    holder = holder_of(context)
    text = render.help_message([d.title for d in holder.documents], context.bot.username)
    markup = keyboards.examples_keyboard(holder.generation, holder.examples())
    await update.effective_message.reply_html(text, reply_markup=markup)


async def on_sections(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    holder = holder_of(context)
    entries = render.toc_entries(holder.documents)
    # Buttons: each document that has no headings, and every top-level section.
    targets = [
        (e.label, e.doc_index, e.section_index)
        for e in entries
        if e.level == 1 or (e.level == 0 and not holder.documents[e.doc_index].sections)
    ]
    markup = keyboards.sections_keyboard(holder.generation, targets)
    await update.effective_message.reply_html(render.toc_message(entries), reply_markup=markup)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    # Everything after "/ask" or "/ask@botname", keeping the user's own spacing.
    parts = (message.text or "").split(maxsplit=1)
    question = parts[1] if len(parts) > 1 else ""
    if not question.strip():
        await message.reply_text(ASK_USAGE)
        return
    await answer_question(context, message.chat_id, question, reply_to=message)


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    await answer_question(context, message.chat_id, message.text, reply_to=message)


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    question = addressed_question(message, context.bot.id, context.bot.username)
    if question is not None:
        await answer_question(context, message.chat_id, question, reply_to=message)


async def on_private_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos and the like in a private chat: say what the bot can read."""
    await update.effective_message.reply_text(NOT_TEXT)


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


def has_words(text: str) -> bool:
    """True if there is anything to search for: letters, digits or Chinese characters."""
    return any(ch.isalnum() for ch in text)


async def answer_question(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, question: str, reply_to: Message | None = None
) -> None:
    """Show "typing", ask the library, reply with the top passage (or the no-answer note)."""
    question = question.strip()[:MAX_QUESTION]
    # In groups the answer quotes the question it answers; a private chat needs no quoting.
    reply_id = reply_to.message_id if reply_to and reply_to.chat.type != ChatType.PRIVATE else None
    if not has_words(question):
        await context.bot.send_message(chat_id, NOT_TEXT, reply_to_message_id=reply_id)
        return
    holder = holder_of(context)
    if holder.library is None:
        await context.bot.send_message(chat_id, LOADING, reply_to_message_id=reply_id)
        return
    with suppress(TelegramError):  # "typing" is a courtesy; never let it cost the answer
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    if await commitments_handlers.answer_with_commitments(context, chat_id, holder, question, reply_id):
        return  # a list question about commitments ("哪些任务要在月底前完成") gets the listing
    # ask() takes about a millisecond, so it runs on the loop rather than in a thread.
    answer = holder.library.ask(question, top_k=context.bot_data[TOP_K], doc=admin.scope_of(context, holder))
    admin.record_question(context, question, answer)
    await send_answer(context, chat_id, holder, answer, reply_id)


def results_of(answer: Answer) -> tuple[Passage, ...]:
    """The passages to page through, the confident answer first."""
    if answer.answer is None:
        return ()
    return (answer.answer, *(p for p in answer.results if p != answer.answer))


async def send_answer(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    holder: LibraryHolder,
    answer: Answer,
    reply_id: int | None,
) -> None:
    if answer.answer is None:
        targets = []
        for path in render.suggestions_of(answer):
            where = holder.locate(None, path)
            if where:
                targets.append((render.SEPARATOR.join(path), *where))
        markup = keyboards.sections_keyboard(holder.generation, targets)
        await context.bot.send_message(
            chat_id,
            render.no_answer_message(answer),
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_to_message_id=reply_id,
        )
        return
    results = results_of(answer)
    qid = holder.recent.add(answer)
    parts = render.passage_messages(results[0])
    markup = answer_markup(holder, qid, results, 0)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await context.bot.send_message(
            chat_id,
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if last else None,
            reply_to_message_id=reply_id if i == 0 else None,
        )


def answer_markup(
    holder: LibraryHolder, qid: str, results: tuple[Passage, ...], index: int
) -> InlineKeyboardMarkup | None:
    """Paging buttons, plus 全文 when the passage's section (or document) can be shown."""
    passage = results[index]
    full = holder.locate(passage.doc, passage.section) is not None
    return keyboards.answer_keyboard(holder.generation, qid, index, len(results), full)


async def send_shown(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    holder: LibraryHolder,
    doc_index: int,
    section_index: int,
) -> bool:
    """Send a section (or whole document) as quoted messages, its subsections as buttons."""
    shown = holder.shown(doc_index, section_index)
    if shown is None:
        return False
    header = render.heading_path(shown.document.title, shown.path)
    parts = render.quote_messages(header, shown.text)
    children = children_of(shown.document, shown.section)
    markup = keyboards.sections_keyboard(holder.generation, [(s.heading, doc_index, i) for i, s in children])
    for i, part in enumerate(parts):
        await context.bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if i == len(parts) - 1 else None
        )
    return True


# -- buttons -------------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Paging, 全文, sections and example questions; anything unknown gets a polite "stale"."""
    query = update.callback_query
    holder = holder_of(context)
    callback = keyboards.parse_callback(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if query.data == keyboards.NOOP:
        await query.answer()
        return
    if callback is None or callback.generation != holder.generation or message is None:
        await query.answer(STALE)
        return
    chat_id = message.chat_id

    if callback.kind in ("p", "f"):
        answer = holder.recent.get(callback.key)
        results = results_of(answer) if answer else ()
        if not 0 <= callback.index < len(results):
            await query.answer(STALE)
            return
        passage = results[callback.index]
        if callback.kind == "p":
            await query.answer()
            text = render.passage_messages(passage, max_parts=1)[0]
            markup = answer_markup(holder, callback.key, results, callback.index)
            with suppress(BadRequest):  # e.g. "message is not modified" after a double tap
                await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
            return
        where = holder.locate(passage.doc, passage.section)
        if where is None:
            await query.answer(STALE)
            return
        await query.answer()
        await send_shown(context, chat_id, holder, *where)

    elif callback.kind == "s":
        if holder.shown(int(callback.key), callback.index) is None:
            await query.answer(STALE)
            return
        await query.answer()
        await send_shown(context, chat_id, holder, int(callback.key), callback.index)

    elif callback.kind == "e":
        examples = holder.examples()
        if callback.index >= len(examples):
            await query.answer(STALE)
            return
        await query.answer()
        await answer_question(context, chat_id, examples[callback.index])


# -- inline mode ---------------------------------------------------------------------


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "@bot question": the top passages as articles, each sending the rendered quote."""
    inline = update.inline_query
    question = inline.query.strip()[:MAX_QUESTION]
    holder = holder_of(context)
    if not has_words(question) or holder.library is None:
        await inline.answer([], cache_time=5)
        return
    answer = holder.library.ask(question, top_k=context.bot_data[TOP_K])
    articles = [
        InlineQueryResultArticle(
            id=str(i),
            title=keyboards.label(render.SEPARATOR.join(p.section) or render.passage_title(p)),
            description=render.inline_description(p),
            input_message_content=InputTextMessageContent(
                render.passage_messages(p, max_parts=1)[0], parse_mode=ParseMode.HTML
            ),
        )
        for i, p in enumerate(results_of(answer))
    ]
    await inline.answer(articles, cache_time=60)


# -- errors --------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception, tell the user something went wrong (no internals), carry on."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("处理更新 %s 时出错", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    with suppress(TelegramError):  # the apology may fail too (e.g. Telegram is down)
        if update.callback_query:
            await update.callback_query.answer(SORRY)
        elif update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, SORRY)
