"""What the bot keeps for all chats, typed: python-telegram-bot's bot_data as one small class.

Handlers receive `context: Context` and read `context.bot_data.holder` and friends with their
types known, instead of string keys into a dict.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.documents import Librarian
from bot.settings import Settings
from bot.state import LibraryHolder
from bot.stats import UsageLog
from retrieval.vocabulary import VOCABULARY_FILE, Vocabulary

logger = logging.getLogger(__name__)


class BotData:
    """Everything shared by the handlers; filled in once by bot/app.py's build_application."""

    settings: Settings
    librarian: Librarian
    usage: UsageLog
    vocabulary: Vocabulary  # the admins' related words (/synonym), in STATE_DIR

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
        # The admins' related words apply from the first question after a (re)start.
        self.vocabulary = Vocabulary(settings.state_dir / VOCABULARY_FILE)
        try:
            self.vocabulary.install()
        except OSError as err:
            logger.warning("无法读取管理员添加的相关词：%s", err)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
