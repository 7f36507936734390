"""What the bot keeps for all chats, typed: python-telegram-bot's bot_data as one small class.

Handlers receive `context: Context` and read `context.bot_data.holder` and friends with their
types known, instead of string keys into a dict.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.documents import Librarian
from bot.settings import Settings
from bot.state import LibraryHolder
from bot.stats import UsageLog


class BotData:
    """Everything shared by the handlers; filled in once by bot/app.py's build_application."""

    settings: Settings
    librarian: Librarian
    usage: UsageLog

    def __init__(self) -> None:
        self.holder = LibraryHolder()
        self.top_k = 3
        self.admins: frozenset[int] = frozenset()
        self.max_upload_bytes = 10 * 1024 * 1024

    def configure(self, settings: Settings, holder: LibraryHolder, usage: UsageLog,
                  librarian: Librarian) -> None:
        self.settings, self.holder, self.usage, self.librarian = settings, holder, usage, librarian
        self.top_k = settings.top_k
        self.admins = settings.admin_ids
        self.max_upload_bytes = settings.max_upload_bytes

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
