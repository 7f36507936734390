"""Who may ask (bot/access.py), with the real Application against the stand-in Bot API:
private chats, groups, group members in private (getChatMember), inline mode, buttons,
admins, and refusals counted for /stats."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from botapi_stub import TOKEN, BotApiStub, ask, parse_html
from telegram.ext import Application

from bot import access
from bot.admin_views import stats_message
from bot.app import build_application, polling
from bot.settings import SettingsError, load_settings
from bot.state import LibraryHolder
from retrieval.library import Library

QUESTION = "2022年基础配套有哪些任务"
GROUP = -1001234567890  # the stand-in's group chat
ADMIN, ALLOWED, STRANGER = 1, 7, 42


@asynccontextmanager
async def gated_bot(stub: BotApiStub, library: Library, tmp_path: Path, **extra: object
                    ) -> AsyncIterator[Application]:
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, state_dir=tmp_path / "state",
                             admin_ids=str(ADMIN), **extra)
    async with polling(build_application(settings, holder=LibraryHolder(library)), poll_timeout=2) as app:
        yield app
    assert not stub.rejected, [(c.method, c.error) for c in stub.rejected]


def gatekeeper_of(application: Application) -> access.Gatekeeper:
    return next(h.callback for h in application.handlers[access.GATE_GROUP])


async def answered(stub: BotApiStub, user_id: int, text: str = QUESTION, **kwargs: object) -> str:
    """The text of the bot's reply to one message."""
    return (await ask(stub, text, user_id=user_id, **kwargs))["text"]


async def test_private_stranger_gets_one_refusal_with_their_id_and_nothing_else(stub, seed_library, tmp_path):
    async with gated_bot(stub, seed_library, tmp_path, allowed_users=f"{ALLOWED}") as application:
        refusal = await answered(stub, STRANGER)
        assert "<code>42</code>" in refusal and "管理员" in refusal
        assert "blockquote" not in refusal and "讲话" not in refusal, "nothing about the documents"
        assert not stub.of("sendChatAction"), "not even 'typing'"

        stub.message("再问一次", user_id=STRANGER)  # a second try gets no second refusal
        assert "<blockquote" in await answered(stub, ALLOWED)
        assert [c.params["chat_id"] for c in stub.of("sendMessage")] == [STRANGER, ALLOWED]

        summary = application.bot_data.usage.summary()
        assert (summary.refused, summary.refused_users) == (2, 1)
        assert "拒绝未获准的请求：2（1 人）" in parse_html(stats_message(summary))


async def test_allowed_user_and_admin_are_answered(stub, seed_library, tmp_path):
    async with gated_bot(stub, seed_library, tmp_path, allowed_users=f"{ALLOWED}, 8") as application:
        assert "<blockquote" in await answered(stub, ALLOWED)
        assert "<blockquote" in await answered(stub, ADMIN), "admins are always allowed"
        assert application.bot_data.usage.summary().refused == 0


async def test_in_an_allowed_group_anyone_may_ask_but_not_in_private(stub, seed_library, tmp_path):
    async with gated_bot(stub, seed_library, tmp_path, allowed_chats=str(GROUP)):
        reply = await answered(stub, STRANGER, f"/ask {QUESTION}", chat="supergroup")
        assert "<blockquote" in reply
        refusal = await answered(stub, STRANGER)  # the same person, privately
        assert "<code>42</code>" in refusal and "blockquote" not in refusal


async def test_a_group_not_allowed_gets_a_refusal_naming_the_group(stub, seed_library, tmp_path):
    async with gated_bot(stub, seed_library, tmp_path, allowed_chats="-100999"):
        sent = await ask(stub, f"/ask {QUESTION}", user_id=STRANGER, chat="supergroup")
        assert f"<code>{GROUP}</code>" in sent["text"] and "<code>42</code>" in sent["text"]
        assert sent["chat_id"] == GROUP and "reply_parameters" in sent
        assert "blockquote" not in sent["text"]


async def test_group_members_may_ask_in_private_checked_with_get_chat_member(stub, seed_library, tmp_path):
    stub.members[GROUP] = {STRANGER: "member", 43: "left", 44: "administrator"}
    async with gated_bot(stub, seed_library, tmp_path, allowed_chats=str(GROUP),
                         allow_group_members="true") as application:
        assert "<blockquote" in await answered(stub, STRANGER)
        assert "<blockquote" in await answered(stub, 44)
        assert "<code>43</code>" in await answered(stub, 43)
        checks = [(c.params["chat_id"], c.params["user_id"]) for c in stub.of("getChatMember")]
        assert checks == [(GROUP, STRANGER), (GROUP, 44), (GROUP, 43)]

        await answered(stub, STRANGER)  # cached: no second getChatMember
        assert len(stub.of("getChatMember")) == 3

        gatekeeper = gatekeeper_of(application)  # after the cache's time limit: asked again
        later = gatekeeper.clock() + access.MEMBER_CACHE_SECONDS + 1
        gatekeeper.clock = lambda: later
        stub.members[GROUP][STRANGER] = "left"  # has left the group meanwhile
        assert "<code>42</code>" in await answered(stub, STRANGER)
        assert len(stub.of("getChatMember")) == 4


async def test_without_allow_group_members_a_member_is_refused_in_private(stub, seed_library, tmp_path):
    stub.members[GROUP] = {STRANGER: "member"}
    async with gated_bot(stub, seed_library, tmp_path, allowed_chats=str(GROUP)):
        assert "<code>42</code>" in await answered(stub, STRANGER)
        assert not stub.of("getChatMember")


async def test_inline_answers_only_allowed_users(stub, seed_library, tmp_path):
    async with gated_bot(stub, seed_library, tmp_path, allowed_users=str(ALLOWED)) as application:
        stub.inline(QUESTION, user_id=STRANGER)
        refused = (await stub.wait_for("answerInlineQuery"))[0].params
        assert refused["results"] == []
        since = len(stub.calls)
        stub.inline(QUESTION, user_id=ALLOWED)
        allowed = (await stub.wait_for("answerInlineQuery", since=since))[0].params
        assert allowed["results"], "an allowed user gets the passages"
        assert application.bot_data.usage.summary().refused == 1


async def test_a_strangers_button_tap_gets_an_alert_with_their_id(stub, seed_library, tmp_path):
    async with gated_bot(stub, seed_library, tmp_path, allowed_users=str(ALLOWED)):
        first = await ask(stub, QUESTION, user_id=ALLOWED)
        data = first["reply_markup"]["inline_keyboard"][0][-1]["callback_data"]
        message = {"message_id": 5000, "date": 0, "chat": stub.chat(user_id=STRANGER), "text": "x"}
        since = len(stub.calls)
        stub.callback(data, message, user_id=STRANGER)
        alert = (await stub.wait_for("answerCallbackQuery", since=since))[0].params
        assert "42" in alert["text"] and alert["show_alert"] in (True, "true")
        await asyncio.sleep(0.2)
        assert not stub.of("editMessageText", since) and not stub.of("sendMessage", since)


async def test_no_allow_list_answers_everyone_and_says_so(stub, seed_library, tmp_path):
    async with gated_bot(stub, seed_library, tmp_path):
        assert "<blockquote" in await answered(stub, STRANGER)
    assert "回答所有人" in access.describe(load_settings(env_file=None))
    restricted = load_settings(env_file=None, allowed_users="7,8", allowed_chats="-100123")
    assert access.describe(restricted).startswith("只回答获准的人：2 个用户、1 个群")


def test_allow_lists_are_parsed_and_bad_ones_are_one_line(monkeypatch):
    monkeypatch.setenv("ALLOWED_CHATS", "-1001234567890， -100456")
    monkeypatch.setenv("ALLOWED_USERS", " 7,8 ")
    settings = load_settings(env_file=None)
    assert settings.allowed_chats == {-1001234567890, -100456} and settings.allowed_users == {7, 8}
    monkeypatch.setenv("ALLOWED_USERS", "alice")
    with pytest.raises(SettingsError, match=r"^设置错误：ALLOWED_USERS 应为逗号分隔的数字用户 id"):
        load_settings(env_file=None)
