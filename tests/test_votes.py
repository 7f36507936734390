# ruff: noqa: F811  (admin_bot is a fixture shared with test_admin_bot.py, used as a parameter)
"""👍/👎 under every passage answer: recorded once per user and answer, counted per section in /stats."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from botapi_stub import BotApiStub, Call, buttons, parse_html, sent_message
from test_admin_bot import USER, admin_bot, command, holder_of  # noqa: F401

from bot import keyboards
from bot.admin_views import stats_message
from bot.handlers import VOTE_THANKS
from bot.keyboards import MAX_CALLBACK_BYTES, Callback, Kind, parse_callback
from bot.render import SEPARATOR, STALE
from bot.stats import STATS_FILE, UsageLog
from retrieval.models import Passage
from retrieval.reply import NoAnswer, PassageAnswer

QUESTION = "2022年基础配套有哪些任务"
OTHER = "土地收储整理了多少亩"
NOW = 1_750_000_000.0


# -- buttons and the log, without Telegram ----------------------------------------------------------


def test_vote_buttons_carry_their_own_kind_and_parse_strictly() -> None:
    up, down = keyboards.vote_row(123456789, "fffffffffff")
    assert (up.text, down.text) == ("👍", "👎")
    assert up.callback_data == "v|123456789|fffffffffff|1"
    assert down.callback_data == "v|123456789|fffffffffff|0"
    assert all(len(str(b.callback_data).encode()) <= MAX_CALLBACK_BYTES for b in (up, down))
    assert parse_callback(up.callback_data, Kind.VOTE) == Callback(Kind.VOTE, 123456789, "fffffffffff", 1)
    for forged in ("v|1|a|2", "v|1|a|-1", "v|1|xyz|1", "v|1|a|1|", "p|1|a|1", None):
        assert parse_callback(forged, Kind.VOTE) is None
    with pytest.raises(ValueError):
        Callback(Kind.VOTE, 1, "a", 2).encode()
    markup = keyboards.answer_keyboard(1, "a", 0, 1, False, votes=True)
    assert markup is not None and [b.text for b in markup.inline_keyboard[-1]] == ["👍", "👎"]


def answer(question: str, section: tuple[str, ...]) -> PassageAnswer:
    passage = Passage(doc="a.txt", section=section, text="……", highlight="", outline=(), score=1.0,
                      title="2022年讲话")
    return PassageAnswer(question, (passage,))


def test_one_vote_per_user_and_answer_counted_per_section(tmp_path: Path) -> None:
    log = UsageLog(tmp_path / STATS_FILE)
    roads, land = answer("道路怎么建", ("二、重点工作", "二是道路")), answer("收储多少亩", ("一、回顾",))
    log.record_vote(roads, up=True, voter=1, answer="1:10", at=NOW)
    log.record_vote(roads, up=False, voter=1, answer="1:10", at=NOW + 1)  # changed, not added
    log.record_vote(roads, up=True, voter=2, answer="1:10", at=NOW + 2)
    log.record_vote(land, up=True, voter=1, answer="1:11", at=NOW + 3)
    log.record_vote(NoAnswer("火星"), up=False, voter=1, answer="1:12", at=NOW + 4)  # nothing to vote on
    summary = log.summary(now=NOW + 5)
    assert summary.votes_by_section == (
        ("2022年讲话", "二、重点工作 › 二是道路", 1, 1),
        ("2022年讲话", "一、回顾", 1, 0),
    )
    assert summary.recent_down == ((NOW + 1, "道路怎么建", "2022年讲话", "二、重点工作 › 二是道路"),)
    assert summary.total == 0, "votes are not questions"
    text = parse_html(stats_message(summary))
    assert "回答反馈（👍/👎，按章节）\n1. 2022年讲话 › 二、重点工作 › 二是道路 — 👍 1 · 👎 1" in text
    assert "最近被点 👎 的问题\n• " in text and "道路怎么建（答：二、重点工作 › 二是道路）" in text


def test_without_question_logging_votes_are_counted_but_no_text_is_kept(tmp_path: Path) -> None:
    log = UsageLog(tmp_path / STATS_FILE, log_questions=False)
    log.record_vote(answer("道路怎么建", ("二、重点工作",)), up=False, voter=1, answer="1:10", at=NOW)
    assert log.summary(now=NOW).votes_by_section == (("2022年讲话", "二、重点工作", 0, 1),)
    assert log.summary(now=NOW).recent_down == ()
    kept = sqlite3.connect(tmp_path / STATS_FILE).execute("SELECT question FROM votes").fetchall()
    assert kept == [(None,)]
    assert "不记录问题原文" in stats_message(log.summary(now=NOW)).split("最近被点")[1]


# -- from Telegram ------------------------------------------------------------------------------------


async def ask_in(stub: BotApiStub, question: str, user_id: int) -> dict:
    since = len(stub.calls)
    stub.message(question, user_id=user_id)
    return (await stub.wait_for("sendMessage", since=since))[0].params


async def tap(stub: BotApiStub, params: dict, label: str, message_id: int, chat_id: int, user_id: int,
              data: str | None = None) -> Call:
    """Tap a button (or send forged data) on the bot's message `message_id` in chat `chat_id`."""
    since = len(stub.calls)
    chat = stub.chat("private", user_id=chat_id)
    message = sent_message(stub, params) | {"message_id": message_id, "chat": chat}
    if data is None:
        data = next(b["callback_data"] for b in buttons(params) if b["text"] == label)
    stub.callback(data, message, user_id=user_id)
    return (await stub.wait_for("answerCallbackQuery", since=since))[0]


def where(application, question: str) -> str:
    top = holder_of(application).library.ask(question).passages[0]
    return SEPARATOR.join([top.title, *top.section])


def votes(application) -> list[tuple]:
    assert application.bot_data.usage.flush(), "votes are written by the stats writer thread"
    path = application.bot_data.settings.state_dir / STATS_FILE
    return sqlite3.connect(path).execute("SELECT voter, answer, up FROM votes ORDER BY id").fetchall()


async def test_taps_are_recorded_changed_and_shown_per_section_in_stats(admin_bot, stub):
    first = await ask_in(stub, QUESTION, USER)
    assert [b["text"] for b in buttons(first)][-2:] == ["👍", "👎"], "the last row of every answer"
    assert (await tap(stub, first, "👍", 5001, USER, USER)).params["text"] == VOTE_THANKS
    assert (await tap(stub, first, "👎", 5001, USER, USER)).params["text"] == VOTE_THANKS
    await tap(stub, first, "👍", 5001, USER, 43)  # another member of the chat, as in a group
    other = await ask_in(stub, OTHER, 43)
    await tap(stub, other, "👍", 5002, 43, 43)
    assert votes(admin_bot) == [(USER, f"{USER}:5001", 0), (43, f"{USER}:5001", 1), (43, "43:5002", 1)]

    text = parse_html((await command(stub, "/stats"))[0]["text"])
    feedback = text.split("回答反馈（👍/👎，按章节）\n")[1]
    assert feedback.startswith(f"1. {where(admin_bot, QUESTION)} — 👍 1 · 👎 1\n"
                               f"2. {where(admin_bot, OTHER)} — 👍 1 · 👎 0\n")
    down = text.split("最近被点 👎 的问题\n")[1].split("\n\n")[0].splitlines()
    assert len(down) == 1 and QUESTION in down[0]
    assert "/synonym" in text.split("最近被点 👎 的问题")[1], "what to do about it"
    assert "提问总数：2" in text, "votes are not counted as questions"


async def test_paging_keeps_the_vote_row(admin_bot, stub):
    first = await ask_in(stub, QUESTION, USER)
    since = len(stub.calls)
    await tap(stub, first, "下一条 ▶", 5001, USER, USER)
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    labels = [b["text"] for b in buttons(edit)]
    assert "2/3" in labels and labels[-2:] == ["👍", "👎"]
    assert (await tap(stub, edit, "👎", 5001, USER, USER)).params["text"] == VOTE_THANKS
    assert votes(admin_bot) == [(USER, f"{USER}:5001", 0)]


async def test_stale_and_forged_vote_buttons_get_the_polite_stale_answer(admin_bot, stub):
    first = await ask_in(stub, QUESTION, USER)
    up = next(b["callback_data"] for b in buttons(first) if b["text"] == "👍")
    generation, rid = up.split("|")[1:3]
    for forged in (f"v|{generation}|fffff|1", f"v|{generation}|{rid}|2", f"v|{generation}|{rid}|-1",
                   f"v|{int(generation) + 5}|{rid}|1", f"v|{generation}|{rid}|1|0"):
        assert (await tap(stub, first, "", 5001, USER, USER, data=forged)).params["text"] == STALE
    assert "✅ 已重新载入" in parse_html((await command(stub, "/reload"))[0]["text"])
    assert (await tap(stub, first, "👍", 5001, USER, USER)).params["text"] == STALE, "after a reload"
    assert votes(admin_bot) == []
