"""Admin handlers — uploads, /reload, /docs, /remove, /stats, profile corrections (/profile,
/rename, /setyear) — and document scoping (/doc) for everyone.

Admins (ADMIN_IDS) keep the bot's knowledge current without restarting it. Each handler stays
thin: check who is asking, parse, call the Librarian (bot/documents.py), render with
bot/admin_views.py, reply. Anyone else gets one polite refusal, logged with their user id, and
nothing changes. Replies name files, never server paths.

The handlers are registered ahead of bot/handlers.py's catch-alls (a document in a private
chat would otherwise be "please ask in words", and our buttons "stale").
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import suppress

from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardMarkup, Message, Update
from telegram import Document as TelegramDocument
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import admin_views as views
from bot.context import Context
from bot.documents import (
    LastDocumentError,
    Librarian,
    NameTakenError,
    NotLoadedError,
    PendingRemoval,
    PendingUpload,
    too_large,
)
from bot.scope import forget_scope, scope_document, set_scope
from bot.state import example_questions
from retrieval.models import Document, DocumentError
from retrieval.store import safe_name
from retrieval.vocabulary import VocabularyError

logger = logging.getLogger(__name__)

ALL = ("all", "全部", "全部文档", "0")

# The newer admin commands come first: the menu ends with docs … doc, as it always has.
ADMIN_COMMANDS = [
    BotCommand("profile", "查看或更正文档档案，如 /profile 3 year=2024（管理员）"),
    BotCommand("rename", "改文档标题，如 /rename 3 新标题（管理员）"),
    BotCommand("setyear", "改文档年份，如 /setyear 3 2024（管理员）"),
    BotCommand("synonym", "添加相关词，如 /synonym 点名批评 通报批评（管理员）"),
    BotCommand("synonyms", "管理员添加的相关词（管理员）"),
    BotCommand("unsynonym", "删除一行相关词，如 /unsynonym 2（管理员）"),
    BotCommand("docs", "已载入的文档（管理员）"),
    BotCommand("reload", "重新读取文档目录（管理员）"),
    BotCommand("remove", "删除文档，如 /remove 2（管理员）"),
    BotCommand("stats", "使用统计（管理员）"),
    BotCommand("doc", "只在一份文档中提问"),
]


def register(application: Application) -> None:
    """Attach the admin and scoping handlers; bot/handlers.register() calls this first."""
    application.add_handlers(
        [
            CommandHandler("reload", on_reload),
            CommandHandler("docs", on_docs),
            CommandHandler("remove", on_remove),
            CommandHandler("stats", on_stats),
            CommandHandler("doc", on_doc),
            CommandHandler("profile", on_profile),
            CommandHandler("rename", on_rename),
            CommandHandler("setyear", on_setyear),
            CommandHandler("synonym", on_synonym),
            CommandHandler("synonyms", on_synonyms),
            CommandHandler("unsynonym", on_unsynonym),
            MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_upload),
            CallbackQueryHandler(on_confirm_button, pattern=views.CONFIRM),
            CallbackQueryHandler(on_scope_button, pattern=views.SCOPE),
        ]
    )


async def set_admin_commands(application: Application, private_commands: list[BotCommand]) -> None:
    """Each admin's own chat menu: everyone's commands, then the admin ones.

    A chat's own menu replaces the private-chat one, hence both. An admin who never opened
    the chat with the bot is skipped (Telegram answers "chat not found").
    """
    commands = [*private_commands, *(c for c in ADMIN_COMMANDS if c not in private_commands)]
    for admin_id in application.bot_data.admins:
        with suppress(TelegramError):
            await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(admin_id))


async def admin_message(update: Update, context: Context, action: str) -> tuple[Message, int] | None:
    """The admin's command message and user id; None (after a polite refusal) for anyone else."""
    message, user = update.effective_message, update.effective_user
    if message is not None and user is not None and await admin_only(update, context, action):
        return message, user.id
    return None


async def admin_only(update: Update, context: Context, action: str) -> bool:
    """True for an admin; anyone else is told so, and the attempt is logged with their user id."""
    user = update.effective_user
    if context.bot_data.is_admin(user.id if user else None):
        return True
    logger.warning("拒绝非管理员 %s：%s", user.id if user else None, action)
    if update.callback_query:
        await update.callback_query.answer(views.ADMIN_ONLY)
    elif update.effective_message:
        await update.effective_message.reply_text(views.ADMIN_ONLY)
    return False


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def ordinal(text: str) -> int | None:
    """The number in "2", or "２" as a Chinese keyboard types it; None for anything else.

    Not str.isdigit() and int(): they take "²" (and int() then fails: "出错") or "٢" (read as a
    2 nobody meant). Other digits get no number; not_found() says how to write one.
    """
    text = text.strip().translate(_FULL_WIDTH_DIGITS)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def find_document(documents: tuple[Document, ...], query: str) -> Document | None:
    """A document by its number in /docs, its file name or its title."""
    query = query.strip()
    number = ordinal(query)
    if number is not None and 1 <= number <= len(documents):
        return documents[number - 1]
    return next((d for d in documents if query in (d.name, d.title)), None)


def not_found(query: str, listing: str = "/docs") -> str:
    """The reply for a document that find_document() did not find, with a hint for "²"-like numbers."""
    odd = query.strip().isdigit() and not query.strip().translate(_FULL_WIDTH_DIGITS).isascii()
    return views.no_such_document(query, listing, odd_digits=odd)


# -- uploads -------------------------------------------------------------------------------


async def on_upload(update: Update, context: Context) -> None:
    """A file in a private chat: check, download, parse; store and index it (or ask before replacing)."""
    asked = await admin_message(update, context, "上传文档")
    upload = asked[0].document if asked else None
    if asked is None or upload is None:
        return
    message, user_id = asked
    received = await receive(message, upload, context)
    if received is None:
        return
    desk = context.bot_data.librarian
    try:
        document = await desk.parse(*received)
    except DocumentError as err:
        await message.reply_html(views.rejected(err))
        return
    if not desk.has(document.name):
        try:
            await message.reply_html(await store_upload(desk, document, received[1], replaced=False))
            return
        except NameTakenError:  # the same name uploaded again meanwhile, and stored first
            pass
    token = desk.pending.add(PendingUpload(document, received[1], user_id))
    markup = views.confirm_keyboard(token, "替换")
    await message.reply_html(views.replace_prompt(document.name), reply_markup=markup)


async def receive(message: Message, upload: TelegramDocument, context: Context) -> tuple[str, bytes] | None:
    """(safe file name, bytes) of an uploaded file, or None after telling the admin why not.

    The name and the announced size are checked before anything is downloaded.
    """
    limit = context.bot_data.max_upload_bytes
    try:
        name = safe_name(upload.file_name or "")
    except DocumentError as err:
        await message.reply_html(views.rejected(err))
        return None
    error = too_large(name, upload.file_size or 0, limit)
    if error is None:
        try:
            data = bytes(await (await upload.get_file()).download_as_bytearray())
        except TelegramError as err:
            logger.warning("下载 %s 失败：%s", name, err)
            error = DocumentError(name, "无法从 Telegram 下载这个文件")
        else:
            error = too_large(name, len(data), limit)
    if error is not None:
        await message.reply_html(views.rejected(error))
        return None
    return name, data


async def store_upload(desk: Librarian, document: Document, data: bytes, replaced: bool) -> str:
    """Write and index a parsed upload; the reply text either way. Not `replaced`: NameTakenError
    if the name was taken meanwhile (the caller asks before replacing)."""
    try:
        await desk.add(document, data, replace=replaced)
    except OSError:
        logger.exception("保存 %s 失败", document.name)
        return views.SAVE_FAILED
    return views.upload_summary(document, example_questions((document,), 1)[0], replaced)


# -- /reload, /docs, /remove, /stats -------------------------------------------------------


async def on_reload(update: Update, context: Context) -> None:
    asked = await admin_message(update, context, "/reload")
    if asked is None:
        return
    desk, message = context.bot_data.librarian, asked[0]
    if desk.busy:
        await message.reply_text(views.BUSY)
    result = await desk.reload()
    await message.reply_html(views.reload_message(result))


async def on_docs(update: Update, context: Context) -> None:
    asked = await admin_message(update, context, "/docs")
    if asked is None:
        return
    desk = context.bot_data.librarian
    documents = desk.holder.documents
    entries = [views.DocEntry(d, desk.store.added_at(d.name)) for d in documents]
    await reply_pages(
        asked[0],
        views.docs_messages(entries, scope_title(context)),
        views.scope_keyboard(desk.holder.generation, documents),
    )


async def on_remove(update: Update, context: Context) -> None:
    """/remove <number, file name or title>: ask for confirmation; the button removes it."""
    asked = await admin_message(update, context, "/remove")
    if asked is None:
        return
    (message, user_id), desk = asked, context.bot_data.librarian
    query = " ".join(context.args or ())
    if not query:
        await message.reply_text(views.REMOVE_USAGE)
        return
    document = find_document(desk.holder.documents, query)
    # A file that failed to load (named by /reload) can be removed by its file name too.
    name = document.name if document else (query if query in desk.store.names() else None)
    if name is None:
        await message.reply_html(not_found(query))
        return
    token = desk.pending.add(PendingRemoval(name, user_id))
    prompt = views.remove_prompt(name, document.title if document else None)
    await message.reply_html(prompt, reply_markup=views.confirm_keyboard(token, "删除"))


async def on_stats(update: Update, context: Context) -> None:
    """Usage statistics, read in a thread (a lock held elsewhere must not stall the bot); in a group
    counts only, since the questions are users' own words."""
    asked = await admin_message(update, context, "/stats")
    if asked is None:
        return
    message = asked[0]
    try:
        summary = await asyncio.to_thread(context.bot_data.usage.summary)
    except (sqlite3.Error, OSError) as err:  # e.g. an exclusive lock held by an admin's sqlite3 session
        logger.warning("无法读取统计：%s", err)
        await message.reply_text(views.STATS_BUSY)
        return
    private = message.chat.type == ChatType.PRIVATE
    await message.reply_html(views.stats_message(summary, private=private))


async def on_confirm_button(update: Update, context: Context) -> None:
    """Yes/no on a replace or remove prompt, by the admin who asked for it only."""
    query = update.callback_query
    assert query is not None  # a CallbackQueryHandler only runs for callback queries
    confirm = views.parse_confirm(query.data)
    if confirm is None:
        await query.answer(views.EXPIRED)
        return
    if not await admin_only(update, context, f"按钮 {query.data}"):
        return
    yes, token = confirm
    desk = context.bot_data.librarian
    pending = desk.pending.get(token)
    if pending is None:
        await query.answer(views.EXPIRED)
        return
    if pending.user_id != query.from_user.id:  # another admin (in a group, say): theirs stays pending
        await query.answer(views.NOT_YOURS)
        return
    desk.pending.pop(token)  # no await since get(): a double tap finds it gone
    await query.answer()
    if not yes:
        text = views.CANCELLED
    elif isinstance(pending, PendingUpload):
        text = await store_upload(desk, pending.document, pending.data, replaced=True)
    else:
        text = await remove_document(context, desk, pending.name)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def remove_document(context: Context, desk: Librarian, name: str) -> str:
    """Remove a confirmed document; the reply text."""
    try:
        if not await desk.remove(name):
            return views.already_gone(name)
    except LastDocumentError:
        return views.last_document(name)
    forget_scope(context.user_data, name)
    return views.removed(name, len(desk.holder.documents))


# -- /profile, /rename, /setyear -----------------------------------------------------------

# "title=…", "年份=2024", "place＝" (empty: clear the field).
_FIELD = re.compile(r"([A-Za-z\u4e00-\u9fff]{1,10})[=＝](.*)\Z", re.S)
FIELD_NAMES = {**{f: f for f in views.PROFILE_FIELDS}, **{v: f for f, v in views.PROFILE_FIELDS.items()},
               "地区": "place", "发言人": "speaker"}


def parse_profile_args(args: Sequence[str]) -> tuple[str, dict[str, str]]:
    """(document reference, {field: value}) of "/profile 3 title=… year=2024".

    A word without "=" continues the value before it, so a title may contain spaces; the words
    before the first field name the document. Unknown field names are passed on, to be refused
    by retrieval.profile.apply_overrides with the list of fields that exist.
    """
    reference: list[str] = []
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for word in args:
        match = _FIELD.match(word)
        if match:
            current = FIELD_NAMES.get(match.group(1).lower(), match.group(1))
            fields[current] = [match.group(2)] if match.group(2) else []
        elif current is None:
            reference.append(word)
        else:
            fields[current].append(word)
    return " ".join(reference), {key: " ".join(words) for key, words in fields.items()}


async def on_profile(update: Update, context: Context) -> None:
    """/profile 3 shows the profile; /profile 3 title=… year=… corrects it."""
    asked = await admin_message(update, context, "/profile")
    if asked is not None:
        reference, changes = parse_profile_args(context.args or ())
        await correct_profile(asked[0], context, reference, changes, views.PROFILE_USAGE)


async def on_rename(update: Update, context: Context) -> None:
    """/rename 3 新标题: the title shown in /docs, /help and every answer."""
    await correct_one_field(update, context, "/rename", "title", views.RENAME_USAGE)


async def on_setyear(update: Update, context: Context) -> None:
    """/setyear 3 2024: the year 今年/去年 and year-naming questions are resolved against."""
    await correct_one_field(update, context, "/setyear", "year", views.SETYEAR_USAGE)


async def correct_one_field(update: Update, context: Context, command: str, field: str, usage: str) -> None:
    """A shortcut for one field: the document first, then the value (which may hold spaces)."""
    asked = await admin_message(update, context, command)
    if asked is not None:
        args = context.args or []
        value = " ".join(args[1:])
        changes = {field: value} if value else None
        await correct_profile(asked[0], context, args[0] if args else "", changes, usage)


async def correct_profile(message: Message, context: Context, reference: str,
                          changes: dict[str, str] | None, usage: str) -> None:
    """Find the document; show its profile (no changes given) or correct it. changes=None: usage."""
    desk = context.bot_data.librarian
    if not reference or changes is None:
        await message.reply_text(usage)
        return
    document = find_document(desk.holder.documents, reference)
    if document is None:
        await message.reply_html(not_found(reference))
        return
    if not changes:
        await message.reply_html(views.profile_message(document, desk.corrected_fields(document.name)))
        return
    try:
        corrected = await desk.correct(document.name, changes)
    except ValueError as err:
        await message.reply_html(views.profile_rejected(str(err)))
        return
    except NotLoadedError:
        await message.reply_html(views.already_gone(document.name))
        return
    except OSError:
        logger.exception("保存 %s 的档案更正失败", document.name)
        await message.reply_text(views.SAVE_FAILED)
        return
    shown = views.profile_message(corrected, desk.corrected_fields(corrected.name), updated=True)
    await message.reply_html(shown)


# -- /synonym, /synonyms, /unsynonym --------------------------------------------------------

REMOVE_WORDS = ("remove", "rm", "del", "delete", "删除", "删")


async def on_synonym(update: Update, context: Context) -> None:
    """/synonym 点名批评 通报批评 adds a related-words line; /synonym remove 2 deletes line 2."""
    asked = await admin_message(update, context, "/synonym")
    if asked is None:
        return
    args, message = context.args or [], asked[0]
    if not args:
        await message.reply_text(views.SYNONYM_USAGE)
    elif args[0].lower() in REMOVE_WORDS:
        await remove_synonyms(message, context, args[1:])
    else:
        vocabulary = context.bot_data.vocabulary
        words = await change_vocabulary(message, lambda: vocabulary.add(" ".join(args)))
        if words is not None:
            logger.info("管理员 %s 添加相关词：%s", asked[1], " ".join(words))
            await message.reply_html(views.synonym_added(words, len(vocabulary.lines())))


async def on_unsynonym(update: Update, context: Context) -> None:
    """/unsynonym 2: the same as /synonym remove 2."""
    asked = await admin_message(update, context, "/unsynonym")
    if asked is not None:
        await remove_synonyms(asked[0], context, context.args or [])


async def remove_synonyms(message: Message, context: Context, args: Sequence[str]) -> None:
    number = ordinal(args[0]) if len(args) == 1 else None
    if number is None:
        await message.reply_text(views.UNSYNONYM_USAGE)
        return
    words = await change_vocabulary(message, lambda: context.bot_data.vocabulary.remove(number))
    if words is not None:
        logger.info("删除相关词：%s", " ".join(words))
        await message.reply_html(views.synonym_removed(words))


async def change_vocabulary(message: Message,
                            change: Callable[[], tuple[str, ...]]) -> tuple[str, ...] | None:
    """The words of the line added or removed; None after telling the admin why nothing changed."""
    try:
        return change()
    except VocabularyError as err:
        await message.reply_html(views.synonym_rejected(str(err)))
    except OSError:
        logger.exception("保存相关词失败")
        await message.reply_text(views.SAVE_FAILED)
    return None


async def on_synonyms(update: Update, context: Context) -> None:
    asked = await admin_message(update, context, "/synonyms")
    if asked is not None:
        await asked[0].reply_html(views.synonyms_message(context.bot_data.vocabulary.lines()))


# -- scoping: questions to one document ----------------------------------------------------


def scope_title(context: Context) -> str | None:
    document = scope_document(context.user_data, context.bot_data.holder)
    return document.title if document else None


async def on_doc(update: Update, context: Context) -> None:
    """/doc: pick the document to ask (buttons); /doc 2 or /doc <title> picks directly; /doc all resets."""
    message, holder = update.effective_message, context.bot_data.librarian.holder
    if message is None:
        return
    query = " ".join(context.args or ()).strip()
    if not query:
        pages = views.scope_list(holder.documents, scope_title(context))
        await reply_pages(message, pages, views.scope_keyboard(holder.generation, holder.documents))
        return
    if query.lower().translate(_FULL_WIDTH_DIGITS) in ALL:
        set_scope(context.user_data, None)
        await message.reply_html(views.scoped(None))
        return
    document = find_document(holder.documents, query)
    if document is None:
        await message.reply_html(not_found(query, "/doc"))
        return
    set_scope(context.user_data, document)
    await message.reply_html(views.scoped(document.title))


async def on_scope_button(update: Update, context: Context) -> None:
    query, holder = update.callback_query, context.bot_data.librarian.holder
    assert query is not None  # a CallbackQueryHandler only runs for callback queries
    generation, index = views.parse_scope(query.data) or (-1, -1)
    if generation != holder.generation or index >= len(holder.documents) or query.message is None:
        await query.answer(views.EXPIRED)
        return
    await query.answer()
    document = holder.documents[index] if index >= 0 else None
    set_scope(context.user_data, document)
    await context.bot.send_message(query.message.chat.id, views.scoped(document.title if document else None),
                                   parse_mode=ParseMode.HTML)


# -- helpers -------------------------------------------------------------------------------


async def reply_pages(message: Message, pages: list[str], markup: InlineKeyboardMarkup | None) -> None:
    """Send messages in order, the buttons under the last."""
    for i, page in enumerate(pages):
        await message.reply_html(page, reply_markup=markup if i == len(pages) - 1 else None)
