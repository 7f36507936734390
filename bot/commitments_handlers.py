"""/commitments [keyword] (alias /tasks): the commitments listing, on demand.

Thin like bot/handlers.py: parse, ask the library for the listing, and send it with
handlers.send_reply — the same rendering and buttons as a list question answered by
commitments. List questions themselves ("哪些任务要在月底前完成") go through Library.ask.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler

from bot import commitments_view as view
from bot import render
from bot.context import Context
from bot.handlers import send_reply
from bot.scope import scope_of
from retrieval.reply import NoAnswer

COMMANDS = ("commitments", "tasks")


def register(application: Application) -> None:
    application.add_handler(CommandHandler(list(COMMANDS), on_commitments))


async def on_commitments(update: Update, context: Context) -> None:
    """/commitments [keyword]: all commitments, or those matching the keyword, best first."""
    message = update.effective_message
    if message is None:
        return
    parts = (message.text or "").split(maxsplit=1)  # after "/commitments" or "/tasks@botname"
    keyword = parts[1].strip() if len(parts) > 1 else ""
    reply_id = message.message_id if message.chat.type != ChatType.PRIVATE else None  # groups: quote it
    holder = context.bot_data.holder
    if holder.library is None:
        await message.reply_text(render.LOADING, reply_to_message_id=reply_id)
        return
    reply = holder.library.listing(keyword, scope_of(context.user_data, holder), context.bot_data.top_k)
    if isinstance(reply, NoAnswer):
        await message.reply_html(view.empty_message(keyword), reply_to_message_id=reply_id)
        return
    await send_reply(context, message.chat_id, reply, reply_id)
