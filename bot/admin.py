"""Admin handlers — uploads, /reload, /docs, /remove, /stats — and document scoping (/doc) for everyone.

Admins (ADMIN_IDS) keep the bot's knowledge current without restarting it. Each handler stays
thin: check who is asking, parse, call the Librarian (bot/documents.py), render with
bot/admin_views.py, reply. Anyone else gets one polite refusal, logged with their user id, and
nothing changes. Replies name files, never server paths.

The handlers are registered ahead of bot/handlers.py's catch-alls (a document in a private
chat would otherwise be "please ask in words", and our buttons "stale").
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import suppress

from telegram import BotCommand, BotCommandScopeChat, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import admin_views as views
from bot.documents import LastDocumentError, Librarian, PendingRemoval, PendingUpload, too_large
from bot.settings import Settings
from bot.state import LibraryHolder, example_questions
from bot.stats import UsageLog
from retrieval.models import Answer, Document, DocumentError
from retrieval.store import DocumentStore, safe_name

logger = logging.getLogger(__name__)

LIBRARIAN = "librarian"  # bot_data keys
STATS = "stats"
ADMINS = "admin_ids"
MAX_UPLOAD = "max_upload_bytes"
SCOPE = "scope"  # user_data key: the file name of the document this user's questions go to

STATS_FILE = "usage.sqlite3"
ALL = ("all", "全部", "全部文档", "0")

ADMIN_COMMANDS = [
    BotCommand("docs", "已载入的文档（管理员）"),
    BotCommand("reload", "重新读取文档目录（管理员）"),
    BotCommand("remove", "删除文档，如 /remove 2（管理员）"),
    BotCommand("stats", "使用统计（管理员）"),
    BotCommand("doc", "只在一份文档中提问"),
]


def configure(application: Application, settings: Settings, holder: LibraryHolder) -> None:
    """Put what the admin handlers need into bot_data (called by bot/app.py)."""
    application.bot_data[LIBRARIAN] = Librarian(holder, DocumentStore(settings.data_dir),
                                                settings.token_cache_dir)
    application.bot_data[STATS] = UsageLog(settings.state_dir / STATS_FILE, settings.log_questions)
    application.bot_data[ADMINS] = settings.admin_ids
    application.bot_data[MAX_UPLOAD] = settings.max_upload_bytes


class OurButtons(CallbackQueryHandler):
    """Buttons made by bot/admin_views.py only.

    CallbackQueryHandler lets a query with *empty* data through any pattern; such a forged
    button must reach bot/handlers.py's catch-all ("stale"), not us.
    """

    def check_update(self, update: object) -> bool | object | None:
        if isinstance(update, Update) and update.callback_query and views.is_ours(update.callback_query.data):
            return super().check_update(update)
        return None


def register(application: Application) -> None:
    """Attach the admin and scoping handlers; bot/handlers.register() calls this first."""
    application.add_handlers(
        [
            CommandHandler("reload", on_reload),
            CommandHandler("docs", on_docs),
            CommandHandler("remove", on_remove),
            CommandHandler("stats", on_stats),
            CommandHandler("doc", on_doc),
            MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_upload),
            OurButtons(on_admin_button, pattern=views.is_ours),
        ]
    )


async def set_admin_commands(application: Application, private_commands: list[BotCommand]) -> None:
    """Each admin's own chat menu: everyone's commands, then the admin ones.

    A chat's own menu replaces the private-chat one, hence both. An admin who never opened
    the chat with the bot is skipped (Telegram answers "chat not found").
    """
    commands = [*private_commands, *(c for c in ADMIN_COMMANDS if c not in private_commands)]
    for admin_id in application.bot_data.get(ADMINS, ()):
        with suppress(TelegramError):
            await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(admin_id))


def librarian_of(context: ContextTypes.DEFAULT_TYPE) -> Librarian:
    return context.bot_data[LIBRARIAN]


async def admin_only(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> bool:
    """True for an admin; anyone else is told so, and the attempt is logged with their user id."""
    user = update.effective_user
    if user is not None and user.id in context.bot_data.get(ADMINS, ()):
        return True
    logger.warning("拒绝非管理员 %s：%s", user.id if user else None, action)
    if update.callback_query:
        await update.callback_query.answer(views.ADMIN_ONLY)
    elif update.effective_message:
        await update.effective_message.reply_text(views.ADMIN_ONLY)
    return False


def find_document(documents: tuple[Document, ...], query: str) -> Document | None:
    """A document by its number in /docs, its file name or its title."""
    query = query.strip()
    if query.isdigit() and 1 <= int(query) <= len(documents):
        return documents[int(query) - 1]
    return next((d for d in documents if query in (d.name, d.title)), None)


# -- uploads -------------------------------------------------------------------------------


async def on_upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file in a private chat: check, download, parse; store and index it (or ask before replacing)."""
    message = update.effective_message
    if not await admin_only(update, context, "上传文档"):
        return
    received = await receive(message, context)
    if received is None:
        return
    desk = librarian_of(context)
    try:
        document = await desk.parse(*received)
    except DocumentError as err:
        await message.reply_html(views.rejected(err))
        return
    if desk.has(document.name):
        token = desk.pending.add(PendingUpload(document, received[1], update.effective_user.id))
        markup = views.confirm_keyboard(token, "替换")
        await message.reply_html(views.replace_prompt(document.name), reply_markup=markup)
        return
    await message.reply_html(await store_upload(desk, document, received[1], replaced=False))


async def receive(message: Message, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, bytes] | None:
    """(safe file name, bytes) of an uploaded file, or None after telling the admin why not.

    The name and the announced size are checked before anything is downloaded.
    """
    upload, limit = message.document, context.bot_data[MAX_UPLOAD]
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
    """Write and index a parsed upload; the reply text either way."""
    try:
        await desk.add(document, data)
    except OSError:
        logger.exception("保存 %s 失败", document.name)
        return views.SAVE_FAILED
    return views.upload_summary(document, example_questions((document,), 1)[0], replaced)


# -- /reload, /docs, /remove, /stats -------------------------------------------------------


async def on_reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await admin_only(update, context, "/reload"):
        return
    desk, message = librarian_of(context), update.effective_message
    if desk.busy:
        await message.reply_text(views.BUSY)
    result = await desk.reload()
    await message.reply_html(views.reload_message(result))


async def on_docs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await admin_only(update, context, "/docs"):
        return
    desk = librarian_of(context)
    documents = desk.holder.documents
    entries = [views.DocEntry(d, desk.store.added_at(d.name)) for d in documents]
    await reply_pages(
        update.effective_message,
        views.docs_messages(entries, scope_title(context)),
        views.scope_keyboard(desk.holder.generation, documents),
    )


async def on_remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remove <number, file name or title>: ask for confirmation; the button removes it."""
    if not await admin_only(update, context, "/remove"):
        return
    message, desk = update.effective_message, librarian_of(context)
    query = " ".join(context.args or ())
    if not query:
        await message.reply_text(views.REMOVE_USAGE)
        return
    document = find_document(desk.holder.documents, query)
    # A file that failed to load (named by /reload) can be removed by its file name too.
    name = document.name if document else (query if query in desk.store.names() else None)
    if name is None:
        await message.reply_html(views.no_such_document(query))
        return
    token = desk.pending.add(PendingRemoval(name, update.effective_user.id))
    prompt = views.remove_prompt(name, document.title if document else None)
    await message.reply_html(prompt, reply_markup=views.confirm_keyboard(token, "删除"))


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not await admin_only(update, context, "/stats"):
        return
    stats: UsageLog = context.bot_data[STATS]
    await update.effective_message.reply_html(views.stats_message(stats.summary()))


async def on_admin_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Yes/no on a replace or remove prompt, and the scope buttons of /docs and /doc."""
    query = update.callback_query
    if views.parse_scope(query.data) is not None:
        await on_scope_button(update, context)
        return
    confirm = views.parse_confirm(query.data)
    if confirm is None:
        await query.answer(views.EXPIRED)
        return
    if not await admin_only(update, context, f"按钮 {query.data}"):
        return
    yes, token = confirm
    desk = librarian_of(context)
    pending = desk.pending.pop(token)
    if pending is None or pending.user_id != update.effective_user.id:
        await query.answer(views.EXPIRED)
        return
    await query.answer()
    if not yes:
        text = views.CANCELLED
    elif isinstance(pending, PendingUpload):
        text = await store_upload(desk, pending.document, pending.data, replaced=True)
    else:
        text = await remove_document(context, desk, pending.name)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def remove_document(context: ContextTypes.DEFAULT_TYPE, desk: Librarian, name: str) -> str:
    """Remove a confirmed document; the reply text."""
    try:
        if not await desk.remove(name):
            return views.already_gone(name)
    except LastDocumentError:
        return views.last_document(name)
    forget_scope(context, name)
    return views.removed(name, len(desk.holder.documents))


# -- scoping: questions to one document ----------------------------------------------------


def scope_of(context: ContextTypes.DEFAULT_TYPE, holder: LibraryHolder) -> str | None:
    """The document this user's questions go to, if they picked one that is still loaded."""
    name = (context.user_data or {}).get(SCOPE)
    return name if name and any(d.name == name for d in holder.documents) else None


def scope_title(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    name = scope_of(context, librarian_of(context).holder)
    return next((d.title for d in librarian_of(context).holder.documents if d.name == name), None)


def forget_scope(context: ContextTypes.DEFAULT_TYPE, name: str) -> None:
    if context.user_data is not None and context.user_data.get(SCOPE) == name:
        del context.user_data[SCOPE]


def set_scope(context: ContextTypes.DEFAULT_TYPE, document: Document | None) -> str:
    """Remember the user's choice (None: all documents); the confirmation text."""
    if context.user_data is not None:
        context.user_data.pop(SCOPE, None)
        if document is not None:
            context.user_data[SCOPE] = document.name
    return views.scoped(document.title if document else None)


async def on_doc(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/doc: pick the document to ask (buttons); /doc 2 or /doc <title> picks directly; /doc all resets."""
    message, holder = update.effective_message, librarian_of(context).holder
    query = " ".join(context.args or ()).strip()
    if not query:
        pages = views.scope_list(holder.documents, scope_title(context))
        await reply_pages(message, pages, views.scope_keyboard(holder.generation, holder.documents))
        return
    if query.lower() in ALL:
        await message.reply_html(set_scope(context, None))
        return
    document = find_document(holder.documents, query)
    text = set_scope(context, document) if document else views.no_such_document(query)
    await message.reply_html(text)


async def on_scope_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query, holder = update.callback_query, librarian_of(context).holder
    generation, index = views.parse_scope(query.data) or (-1, -1)
    if generation != holder.generation or index >= len(holder.documents) or query.message is None:
        await query.answer(views.EXPIRED)
        return
    await query.answer()
    text = set_scope(context, holder.documents[index] if index >= 0 else None)
    await context.bot.send_message(query.message.chat.id, text, parse_mode=ParseMode.HTML)


# -- helpers -------------------------------------------------------------------------------


async def reply_pages(message: Message, pages: list[str], markup: object) -> None:
    """Send messages in order, the buttons under the last."""
    for i, page in enumerate(pages):
        await message.reply_html(page, reply_markup=markup if i == len(pages) - 1 else None)


def record_question(context: ContextTypes.DEFAULT_TYPE, question: str, answer: Answer) -> None:
    """Log a question's outcome for /stats (bot/handlers.py calls this after every answer)."""
    stats: UsageLog | None = context.bot_data.get(STATS)
    if stats is None:
        return
    top = answer.answer
    try:
        if top is None:
            stats.record(question, answered=False)
        else:
            stats.record(question, answered=True, doc=top.title or top.doc, section=top.section)
    except (sqlite3.Error, OSError):  # statistics must never cost the user the answer
        logger.exception("记录统计失败")
