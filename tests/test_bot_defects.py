"""The smaller defects of issue 14, each driven through the real bot and the stand-in Bot API.

Every test here failed before its fix: a forged button showing another user's answer, "出错"
for /doc ² and for a 4,091-character argument, ENAMETOOLONG for a long Chinese file name, a
silent overwrite by two same-named uploads at once, "出错" after an answer whose send timed
out, silence for an unknown command, an invisible file name accepted, and one admin's tap
cancelling another admin's confirmation.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botapi_stub import BOT_USERNAME, TOKEN, BotApiStub, ask, buttons, parse_html, sent_message, utf16_len
from telegram.ext import Application
from test_admin_bot import (
    ADMIN,
    NEW,
    NEW_TITLE,
    SEED,
    SEED_PATH,
    command,
    folder,
    holder_of,
    methods,
    push_upload,
    speech_2023,
    tap,
    upload,
)
from test_admin_bot import admin_bot as admin_bot  # the fixture, used by name below
from test_bot_chat import QUESTION, button

from bot import admin_views, app, handlers, render
from bot.app import build_application, polling, production_rate_limiter
from bot.keyboards import MAX_CALLBACK_BYTES, Callback, Kind
from bot.settings import load_settings
from bot.state import LibraryHolder, Recent
from retrieval.library import Library
from retrieval.store import MAX_NAME_BYTES, fit_name

OTHER_ADMIN = 8
LONG = "长" * 4091  # "/doc " + LONG is a whole 4,096-character message


def visible(params: dict) -> str:
    return parse_html(params["text"]) if params.get("parse_mode") == "HTML" else params["text"]


# -- 1. buttons cannot be guessed across users ------------------------------------------------


async def test_a_forged_button_cannot_show_another_users_answer(bot, stub):
    """User 43 tries the ids a sequential counter would have given user 42's answer."""
    first = await ask(stub, QUESTION, user_id=42)
    await ask(stub, "2022年生态配套有哪些任务", user_id=43)
    generation = bot.bot_data.holder.generation
    mine = sent_message(stub, first) | {"chat": stub.chat("private", user_id=43)}
    since = len(stub.calls)
    for n in range(1, 33):
        for data in (f"f|{generation}|{n:x}|0", f"p|{generation}|{n:x}|1", f"a|{generation}|{n:x}|0"):
            before = len(stub.calls)
            stub.callback(data, mine, user_id=43)
            answered = (await stub.wait_for("answerCallbackQuery", since=before))[0].params
            assert answered.get("text") == render.STALE, data
    assert not stub.of("sendMessage", since) and not stub.of("editMessageText", since)
    # The real button still works for the user who got it.
    before = len(stub.calls)
    stub.callback(button(first, "全文"), sent_message(stub, first), user_id=42)
    assert (await stub.wait_for("sendMessage", since=before))[0].params["chat_id"] == 42


def test_reply_keys_are_random_and_fit_every_button():
    recent: Recent[str] = Recent()
    keys = [recent.add(str(i)) for i in range(2000)]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch("[0-9a-f]{24}", key) for key in keys), "96 random bits each"
    assert [recent.get(key) for key in keys[-5:]] == ["1995", "1996", "1997", "1998", "1999"]
    for kind in (Kind.PAGE, Kind.FULL, Kind.LISTING_PAGE, Kind.LISTING_ITEM, Kind.ALSO, Kind.VOTE):
        index = 1 if kind is Kind.VOTE else 99999
        data = Callback(kind, 999_999_999, keys[0], index).encode()  # the longest there can be
        assert len(data.encode()) <= MAX_CALLBACK_BYTES


def test_saved_replies_come_back_and_old_sequential_ids_do_not(tmp_path, seed_library):
    holder = LibraryHolder(seed_library)
    key = holder.recent.add("a reply")  # type: ignore[arg-type]
    holder.save(tmp_path / "recent.pickle")
    restarted = LibraryHolder(seed_library)
    assert restarted.restore(tmp_path / "recent.pickle")
    assert restarted.recent.get(key) == "a reply"
    # A file written by the version with sequential ids: those ids could be guessed, so they go.
    old = {"fingerprint": seed_library.fingerprint, "generation": 1, "recent": [("1", "x"), ("2", "y")]}
    (tmp_path / "old.pickle").write_bytes(pickle.dumps(old))
    upgraded = LibraryHolder(seed_library)
    assert upgraded.restore(tmp_path / "old.pickle")
    assert upgraded.recent.get("1") is None and upgraded.recent.get("2") is None


# -- 2. ordinals in other digits ----------------------------------------------------------------


async def test_ordinals_in_other_unicode_digits_are_refused_politely(admin_bot, stub):
    await upload(stub, NEW, speech_2023().encode())
    before = folder(admin_bot)
    for text in ("/doc ²", "/doc ٢", "/remove ²", "/remove ٢", "/profile ² year=2024"):
        reply = visible((await command(stub, text))[0])
        argument = text.split()[1]
        assert reply.startswith(f"没有找到文档「{argument}」"), text
        assert "编号请用 1、2、3 这样的数字" in reply, text
    assert (await command(stub, "/unsynonym ²"))[0]["text"] == admin_views.UNSYNONYM_USAGE
    assert folder(admin_bot) == before
    assert all(c.params.get("text") != render.SORRY for c in stub.calls)


async def test_full_width_digits_pick_the_document_as_ascii_ones_do(admin_bot, stub):
    await upload(stub, NEW, speech_2023().encode())
    picked = visible((await command(stub, "/doc ２", user_id=42))[0])
    assert picked.startswith(f"好的，之后的问题只在《{NEW_TITLE}》")
    prompt = visible((await command(stub, "/remove ２"))[0])
    assert prompt.startswith(f"确定要删除《{NEW_TITLE}》（{NEW}）吗？")


# -- 3. echoes of user input are trimmed --------------------------------------------------------


@pytest.mark.parametrize("text", [
    f"/doc {LONG}",
    f"/remove {LONG}",
    f"/profile {LONG}",
    f"/profile 1 kind={LONG}",
    f"/profile 1 year={LONG}",
    f"/synonym {LONG} 短词",
    f"/commitments {LONG}",
])
async def test_a_4091_character_argument_is_echoed_trimmed(admin_bot, stub, text):
    reply = visible((await command(stub, text[:4096]))[0])
    assert reply != render.SORRY
    assert "长" * 10 in reply and "长…" in reply, "the echo is cut, and says so"
    assert utf16_len(reply) < 400


def test_shorten_keeps_short_text_and_cuts_long_text_with_an_ellipsis():
    assert render.shorten("报告") == "报告"
    assert render.shorten("长" * 100, 10) == "长" * 9 + "…"
    assert render.shorten("  两端空白  ") == "两端空白"
    assert render.shorten("😀" * 50, 10) == "😀" * 9 + "…"


# -- 4. a long Chinese file name ----------------------------------------------------------------


async def test_a_long_chinese_file_name_is_stored_shortened(admin_bot, stub):
    name = "关于" + "长" * 110 + ".txt"  # 112 characters, 340 bytes in UTF-8
    reply = visible(await upload(stub, name, speech_2023().encode()))
    assert reply.startswith("✅ 已载入《"), reply
    stored = [n for n in folder(admin_bot) if n != SEED]
    assert len(stored) == 1 and stored[0].startswith("关于长长") and stored[0].endswith("….txt")
    assert len(stored[0].encode()) <= 255
    assert f"（{stored[0]}）" in reply, "the reply names the file as stored"
    assert stored[0] in [d.name for d in holder_of(admin_bot).documents]


def test_fit_name_cuts_the_stem_at_a_character_boundary_and_keeps_the_extension():
    assert fit_name("长" * 78 + ".txt") == "长" * 78 + ".txt", "238 bytes: as it is"
    assert fit_name("长" * 79 + ".docx") == "长" * 77 + "….docx"
    cut = fit_name("😀" * 70 + ".pdf")  # four bytes each
    assert cut == "😀" * 58 + "….pdf" and len(cut.encode()) <= MAX_NAME_BYTES


# -- 5. two same-named uploads at once ----------------------------------------------------------


async def test_two_same_named_uploads_at_once_ask_before_the_second_replaces(admin_bot, stub):
    desk = admin_bot.bot_data.librarian
    checked = asyncio.Event()
    checks = []
    has = desk.has

    def counting_has(name: str) -> bool:
        checks.append(name)
        if len(checks) >= 2:
            checked.set()
        return has(name)

    desk.has = counting_has
    first, second = speech_2023().encode(), (speech_2023() + "\n四、补充\n补充内容。\n").encode()
    await desk.lock.acquire()  # a change running: both uploads get past their check, then wait
    try:
        since = len(stub.calls)
        push_upload(stub, NEW, first)
        push_upload(stub, NEW, second)
        await asyncio.wait_for(checked.wait(), 20)
    finally:
        desk.lock.release()
    replies = [c.params for c in await stub.wait_for("sendMessage", since=since, count=2)]
    texts = sorted(visible(r) for r in replies)
    assert texts[0].startswith(f"✅ 已载入《{NEW_TITLE}》"), texts
    assert texts[1] == f"已有同名文档「{NEW}」。要用新文件替换它吗？", texts
    stored = folder(admin_bot)[NEW]
    assert stored in (first, second)
    prompt = next(r for r in replies if "替换" in [b["text"] for b in buttons(r)])
    since = len(stub.calls)
    await tap(stub, prompt, "替换")
    await stub.wait_for("editMessageText", since=since)
    assert folder(admin_bot)[NEW] == (second if stored == first else first), "replaced once confirmed"


# -- 6. a send that times out -------------------------------------------------------------------


async def test_a_send_answered_after_the_read_timeout_gets_no_apology_too(stub, seed_library, tmp_path,
                                                                        monkeypatch, caplog):
    real = app.build_request

    def build_request(settings, connections):  # only the pool for sending: getUpdates long-polls
        return real(settings, connections, read_timeout=0.5 if connections > 1 else 5.0)

    monkeypatch.setattr(app, "build_request", build_request)
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, state_dir=tmp_path / "state")
    application = build_application(settings, holder=LibraryHolder(seed_library),
                                    rate_limiter=production_rate_limiter())
    stub.delays["sendMessage"] = 2.0  # Telegram got it, but answers after the bot stopped waiting
    caplog.set_level(logging.WARNING, logger="bot.handlers")
    async with polling(application, poll_timeout=1):
        stub.message(QUESTION)
        await stub.wait_for("sendMessage")
    # The drain at the end of polling() waited for the update, error handler included.
    sent = [c.params["text"] for c in stub.calls if c.method == "sendMessage"]
    assert len(sent) == 1 and sent[0].startswith("📄"), sent
    assert any("超时" in r.getMessage() for r in caplog.records), "the timeout is logged"


# -- 7. unknown commands ------------------------------------------------------------------------


async def test_unknown_commands_get_a_help_line_in_private_and_when_addressed(bot, stub):
    reply = await ask(stub, "/foo")
    assert reply["text"] == handlers.unknown_command("/foo")
    assert reply["text"].startswith("没有 /foo 这个命令。") and "/help" in reply["text"]
    long = await ask(stub, "/" + "x" * 200)
    assert "…" in long["text"] and len(long["text"]) < 150

    since = len(stub.calls)
    stub.message("/foo", chat="supergroup")  # maybe another bot's: left alone
    stub.message("/foo@other_bot", chat="supergroup")
    addressed = stub.message(f"/foo@{BOT_USERNAME}", chat="supergroup")
    reply = (await stub.wait_for("sendMessage", since=since))[0].params
    assert reply["text"] == handlers.unknown_command(f"/foo@{BOT_USERNAME}", group=True)
    assert reply["text"].startswith("没有 /foo 这个命令。") and "/ask" in reply["text"]
    assert reply["reply_parameters"]["message_id"] == addressed["message"]["message_id"]
    await ask(stub, QUESTION)  # one more round trip for anything still coming
    assert len(stub.of("sendMessage", since)) == 2


# -- 8. invisible file names --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ㅤ.txt", "\u3000.txt", " \u3164\u3000.md", "\u2800.pdf", "\u115f\u1160.docx",
                                  "\uffa0.txt", "\u00a0.txt"])
async def test_invisible_file_names_are_refused_before_downloading(admin_bot, stub, name):
    before = folder(admin_bot)
    text = visible(await upload(stub, name, speech_2023().encode()))
    assert "文件名看不见" in text and text.endswith("文档未更改。"), text
    assert "getFile" not in methods(stub)
    assert folder(admin_bot) == before


# -- 9. confirmations belong to the admin who asked ---------------------------------------------


@pytest.fixture
async def two_admins(stub: BotApiStub, seed_library: Library, tmp_path: Path) -> AsyncIterator[Application]:
    """The admin bot with two admins, 7 and 8."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SEED_PATH, data / SEED)
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, admin_ids=f"{ADMIN},{OTHER_ADMIN}",
                             data_dir=data, state_dir=tmp_path / "state")
    application = build_application(settings, holder=LibraryHolder(seed_library),
                                    rate_limiter=production_rate_limiter())
    async with polling(application, poll_timeout=2):
        yield application
    assert not stub.rejected, [(c.method, c.error) for c in stub.rejected]


async def group_tap(stub: BotApiStub, params: dict, label: str, user_id: int) -> dict:
    since = len(stub.calls)
    stub.callback(button(params, label), sent_message(stub, params, chat="supergroup"), user_id=user_id)
    return (await stub.wait_for("answerCallbackQuery", since=since))[0].params


async def test_another_admins_tap_leaves_a_removal_pending(two_admins, stub):
    await upload(stub, NEW, speech_2023().encode())
    since = len(stub.calls)
    stub.message("/remove 2", chat="supergroup", user_id=ADMIN)  # asked in the admins' group
    prompt = (await stub.wait_for("sendMessage", since=since))[0].params
    for label in ("删除", "取消"):
        answered = await group_tap(stub, prompt, label, OTHER_ADMIN)
        assert answered["text"] == admin_views.NOT_YOURS
    assert NEW in folder(two_admins) and len(holder_of(two_admins).documents) == 2
    assert not stub.of("editMessageText", since), "the prompt is still there"
    since = len(stub.calls)
    await group_tap(stub, prompt, "删除", ADMIN)
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    assert visible(edit) == f"🗑 已删除「{NEW}」，现有 1 份文档。"


async def test_another_admins_tap_leaves_a_replacement_pending(two_admins, stub):
    old = folder(two_admins)[SEED]
    prompt = await upload(stub, SEED, speech_2023().encode())
    answered = await tap(stub, prompt, "替换", user_id=OTHER_ADMIN)  # forged: the prompt is in 7's chat
    assert answered.params["text"] == admin_views.NOT_YOURS
    assert folder(two_admins)[SEED] == old
    since = len(stub.calls)
    await tap(stub, prompt, "替换")
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    assert f"已替换并载入《{NEW_TITLE}》" in visible(edit)
