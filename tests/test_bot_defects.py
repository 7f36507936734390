"""The smaller defects of issue 14, each driven through the real bot and the stand-in Bot API.

Every test here failed before its fix: a forged button showing another user's answer, "出错"
for /doc ² and for a 4,091-character argument, ENAMETOOLONG for a long Chinese file name, a
silent overwrite by two same-named uploads at once, "出错" after an answer whose send timed
out, silence for an unknown command, an invisible file name accepted, and one admin's tap
cancelling another admin's confirmation.
"""

from __future__ import annotations

import pickle
import re

import pytest
from botapi_stub import ask, parse_html, sent_message, utf16_len
from test_admin_bot import (
    NEW,
    NEW_TITLE,
    command,
    folder,
    speech_2023,
    upload,
)
from test_admin_bot import admin_bot as admin_bot  # the fixture, used by name below
from test_bot_chat import QUESTION, button

from bot import admin_views, render
from bot.keyboards import MAX_CALLBACK_BYTES, Callback, Kind
from bot.state import LibraryHolder, Recent

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
