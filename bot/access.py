"""Who may ask: ALLOWED_USERS, ALLOWED_CHATS and ALLOW_GROUP_MEMBERS, checked before any handler.

Why a gatekeeper in handler group -1 (python-telegram-bot's pattern): every update passes
it before bot/handlers.py and bot/admin.py see it, so no handler — today's or one added
later — can forget the check, and those modules stay unaware of it. A refused update ends
there with ApplicationHandlerStop.

The rules, in order:
- no allow-list set: everyone may ask (the start-up log says so);
- admins (ADMIN_IDS) and ALLOWED_USERS may ask anywhere, inline mode included;
- in a group listed in ALLOWED_CHATS anyone may ask;
- with ALLOW_GROUP_MEMBERS=true, a member of an allowed group may also ask in private and
  inline, checked with getChatMember and remembered for MEMBER_CACHE_SECONDS either way.

Anyone else gets one polite refusal (again at most once a day) that tells them their numeric
id, so an admin can add them — and nothing about the documents. Inline queries get an empty
result list; buttons a short alert. Every refused update is counted for /stats.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import Chat, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.settings import Settings
from bot.stats import UsageLog

logger = logging.getLogger(__name__)

GATE_GROUP = -1  # before every handler of bot/handlers.py and bot/admin.py (group 0)
MEMBER_CACHE_SECONDS = 600.0  # how long a getChatMember answer is trusted
REFUSE_AGAIN_AFTER = 86_400.0  # one refusal message per user (or group) per day; later ones are silent
_MEMBER_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}

REFUSAL_PRIVATE = (
    "抱歉，这个机器人只回答获准用户的问题。\n"
    "你的 Telegram 用户 id：<code>{user_id}</code>\n"
    "如需使用，请把这个 id 发给机器人的管理员，请其加入允许名单。"
)
REFUSAL_GROUP = (
    "抱歉，这个机器人只在获准的群里回答问题。\n"
    "本群 id：<code>{chat_id}</code>，你的用户 id：<code>{user_id}</code>\n"
    "如需使用，请把 id 发给机器人的管理员，请其加入允许名单。"
)
REFUSAL_BUTTON = "抱歉，你未获准使用这个机器人。你的用户 id：{user_id}，请发给管理员。"


class Gatekeeper:
    """Decides each update; remembers getChatMember answers and whom it has already refused."""

    def __init__(self, settings: Settings, stats: UsageLog | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.admins = settings.admin_ids
        self.users = settings.allowed_users
        self.chats = settings.allowed_chats
        self.group_members = settings.allow_group_members
        self.restricted = settings.access_restricted
        self.stats = stats
        self.clock = clock
        self._members: dict[int, tuple[float, bool]] = {}  # user id -> (until, member of an allowed group)
        self._refused: dict[int, float] = {}  # user or chat id -> when the last refusal was sent

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """TypeHandler callback: return to let the update through, raise ApplicationHandlerStop to drop it."""
        if not self.restricted or await self.allowed(update, context):
            return
        user, chat = update.effective_user, update.effective_chat
        logger.info("拒绝未获准的%s：用户 %s，聊天 %s", _kind(update), user.id if user else "?",
                    chat.id if chat else "-")
        if self.stats is not None:
            self.stats.record_refusal(user.id if user else None, chat.id if chat else None)
        try:
            await self.refuse(update)
        except TelegramError as err:  # the refusal is a courtesy; never let it become an error reply
            logger.warning("拒绝消息未能发出：%s", err)
        raise ApplicationHandlerStop

    async def allowed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        user, chat = update.effective_user, update.effective_chat
        if chat is not None and chat.type != Chat.PRIVATE and chat.id in self.chats:
            return True  # an allowed group: anyone there
        if user is None:
            return False
        if user.id in self.admins or user.id in self.users:
            return True
        in_group = chat is not None and chat.type != Chat.PRIVATE
        if self.group_members and self.chats and not in_group:
            return await self.is_member(user.id, context)
        return False

    async def is_member(self, user_id: int, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Whether the user belongs to one of ALLOWED_CHATS (getChatMember, cached either way)."""
        now = self.clock()
        cached = self._members.get(user_id)
        if cached and cached[0] > now:
            return cached[1]
        member = False
        for chat_id in sorted(self.chats):
            try:
                found = await context.bot.get_chat_member(chat_id, user_id)
            except TelegramError as err:  # bot not in that group, user unknown, network: not a member now
                logger.warning("getChatMember(%s, %s) 失败：%s", chat_id, user_id, err)
                continue
            if found.status in _MEMBER_STATUSES or (
                found.status == ChatMemberStatus.RESTRICTED and getattr(found, "is_member", False)
            ):
                member = True
                break
        self._members[user_id] = (now + MEMBER_CACHE_SECONDS, member)
        return member

    async def refuse(self, update: Update) -> None:
        """One polite refusal naming the id; inline: no results; buttons: an alert."""
        user, chat = update.effective_user, update.effective_chat
        user_id = user.id if user else 0
        if update.inline_query is not None:
            await update.inline_query.answer([], cache_time=0, is_personal=True)
            return
        if update.callback_query is not None:
            await update.callback_query.answer(REFUSAL_BUTTON.format(user_id=user_id), show_alert=True)
            return
        message = update.effective_message
        if message is None or chat is None or user is None:
            return
        private = chat.type == Chat.PRIVATE
        if not private and not message.text:
            return  # service messages (joined, left…) in a group that is not allowed: stay quiet
        key = user_id if private else chat.id
        now = self.clock()
        if now - self._refused.get(key, -REFUSE_AGAIN_AFTER) < REFUSE_AGAIN_AFTER:
            return
        if len(self._refused) > 10_000:  # forget old refusals rather than grow without bound
            self._refused = {k: t for k, t in self._refused.items() if now - t < REFUSE_AGAIN_AFTER}
        self._refused[key] = now
        text = REFUSAL_PRIVATE if private else REFUSAL_GROUP
        await message.reply_html(text.format(user_id=user_id, chat_id=chat.id), do_quote=not private)


def _kind(update: Update) -> str:
    if update.inline_query is not None:
        return "inline 查询"
    if update.callback_query is not None:
        return "按钮"
    return "消息"


def describe(settings: Settings) -> str:
    """One line for the start-up log: who may ask."""
    if not settings.access_restricted:
        return "未设置 ALLOWED_USERS / ALLOWED_CHATS：机器人回答所有人的问题"
    members = "，获准群的成员也可私聊提问" if settings.allow_group_members else ""
    return (f"只回答获准的人：{len(settings.allowed_users)} 个用户、{len(settings.allowed_chats)} 个群"
            f"和 {len(settings.admin_ids)} 位管理员{members}")


def register(application: Application, settings: Settings, stats: UsageLog | None) -> Gatekeeper:
    """Put the gatekeeper in front of every handler (group -1)."""
    gatekeeper = Gatekeeper(settings, stats)
    application.add_handler(TypeHandler(Update, gatekeeper), group=GATE_GROUP)
    return gatekeeper
