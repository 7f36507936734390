# ruff: noqa: F811  (admin_bot is a fixture shared with test_admin_bot.py, used as a parameter)
"""Statistics never stall the bot (issue 14): a write lock held elsewhere — a backup, an admin's
sqlite3 session — neither delays answers nor loses records; /stats reads off the event loop, says
so politely when even reading is locked out, and shows counts only in a group.

The lock is held by a second sqlite3 connection to the same file, as the issue reproduced it.
Nothing here depends on timing: each assertion is about what happened while the lock was still
held, or after it was released.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from botapi_stub import ask, parse_html
from telegram.ext import Application
from test_admin_bot import ADMIN, USER, admin_bot, command  # noqa: F401
from test_votes import tap

from bot import admin_views as views
from bot.stats import DAY, STATS_FILE, UsageLog, UsageSummary

QUESTION = "2022年基础配套有哪些任务"
MARS = "火星基地的建设"
NOW = 1_750_000_000.0


@contextmanager
def write_lock(path: Path, exclusive: bool = False) -> Iterator[sqlite3.Connection]:
    """Hold the database's write lock from another connection (exclusive: readers kept out too)."""
    holder = sqlite3.connect(path, isolation_level=None)
    if exclusive:  # as `PRAGMA locking_mode=EXCLUSIVE` in an admin's session does in WAL mode
        holder.execute("PRAGMA journal_mode=WAL")
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
    else:
        holder.execute("BEGIN IMMEDIATE")
    try:
        yield holder
    finally:
        holder.close()  # rolls back: the lock is released


def rows(path: Path, question: str) -> int:
    """Questions logged with this text, as another process would read them."""
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM questions WHERE question = ?", (question,)).fetchone()[0]


def usage_of(application: Application) -> UsageLog:
    return application.bot_data.usage


# -- in the bot ----------------------------------------------------------------------------------


async def test_questions_are_answered_while_the_database_is_locked_and_counted_after(bot, stub):
    usage = usage_of(bot)
    await ask(stub, "基础配套")  # the database exists, in WAL mode, as after any first question
    assert await asyncio.to_thread(usage.flush, 10)
    with write_lock(usage.path):
        answer = await ask(stub, QUESTION)
        assert answer["text"].startswith("📄"), "answered while the lock is held"
        since = len(stub.calls)
        stub.message("/help")
        await stub.wait_for("sendMessage", since=since)
        assert not usage.flush(timeout=0), "the record is still waiting for the lock"
        assert rows(usage.path, QUESTION) == 0
    assert await asyncio.to_thread(usage.flush, 10), "written once the lock is released"
    assert rows(usage.path, QUESTION) == 1


async def test_stats_while_locked_says_so_politely_and_the_bot_goes_on(admin_bot, stub):
    usage = usage_of(admin_bot)
    # An exclusive lock can only be had while no other connection is open: here, before the
    # bot's first question opened the writer's.
    with write_lock(usage.path, exclusive=True):
        assert (await ask(stub, MARS, user_id=USER))["text"], "questions are answered"
        assert (await command(stub, "/stats"))[0]["text"] == views.STATS_BUSY
        assert (await ask(stub, QUESTION, user_id=USER))["text"].startswith("📄"), "and still answered"
    text = parse_html((await command(stub, "/stats"))[0]["text"])
    assert "提问总数：2" in text, "the questions asked during the lock are counted after it"


async def test_stats_in_a_group_shows_counts_but_no_ones_questions(admin_bot, stub):
    answer = await ask(stub, QUESTION, user_id=USER)
    await tap(stub, answer, "👎", 5001, USER, USER)
    assert not (await ask(stub, MARS, user_id=USER))["text"].startswith("📄"), "not answered"

    since = len(stub.calls)
    stub.message("/stats", chat="group", user_id=ADMIN)
    group = parse_html((await stub.wait_for("sendMessage", since=since))[0].params["text"])
    assert "提问总数：2（近 7 天 2）" in group and "已回答：1（50%） · 未回答：1" in group
    assert "👍 0 · 👎 1" in group, "votes are counted per section"
    assert MARS not in group and QUESTION not in group, "no question of anyone's reaches the group"
    assert views.STATS_IN_PRIVATE in group

    private = parse_html((await command(stub, "/stats"))[0]["text"])
    assert MARS in private.split("最近未回答的问题")[1]
    assert QUESTION in private.split("最近被点 👎 的问题")[1]
    assert views.STATS_IN_PRIVATE not in private


# -- the log itself ---------------------------------------------------------------------------------


def test_records_wait_for_the_lock_then_go_in_together(tmp_path: Path) -> None:
    log = UsageLog(tmp_path / STATS_FILE)
    log.record("先问的", answered=False, at=NOW)
    assert log.flush()
    with write_lock(log.path):
        for i in range(3):
            log.record(f"锁住时问的{i}", answered=False, at=NOW + i)
        assert log.summary(now=NOW).total == 1, "a summary shows what is written, not waiting for the lock"
        assert not log.flush(timeout=0)
    assert log.flush()
    assert log.summary(now=NOW + 5).total == 4
    log.close()


def test_a_record_the_lock_holds_up_too_long_is_dropped_with_a_log_line(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="bot.stats")
    log = UsageLog(tmp_path / STATS_FILE, retry_for=0.0)  # gives up at the first busy attempt
    log.record("先问的", answered=False, at=NOW)
    assert log.flush()
    with write_lock(log.path):
        log.record("锁住时问的", answered=False, at=NOW + 1)
        assert log.flush(), "settled: dropped, not waiting"
    assert any("丢弃 1 条记录" in r.getMessage() for r in caplog.records)
    assert [q for _, q in log.summary(now=NOW).recent_unanswered] == ["先问的"]
    log.record("锁放开后问的", answered=False, at=NOW + 2)  # the writer goes on
    assert log.summary(now=NOW).total == 2
    log.close()


def test_close_writes_what_is_queued(tmp_path: Path) -> None:
    log = UsageLog(tmp_path / STATS_FILE)
    for i in range(200):
        log.record(f"问题{i}", answered=i % 2 == 0, doc="讲话", section=("一、回顾",), at=NOW - i)
    log.record_refusal(9, 9, at=NOW)
    assert log.close() is True
    with sqlite3.connect(tmp_path / STATS_FILE) as db:
        assert db.execute("SELECT COUNT(*) FROM questions").fetchone() == (200,)
        assert db.execute("SELECT COUNT(*) FROM refusals").fetchone() == (1,)


def test_close_gives_up_on_a_lock_after_its_timeout(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="bot.stats")
    log = UsageLog(tmp_path / STATS_FILE)
    log.record("先问的", answered=False, at=NOW)
    assert log.flush()
    with write_lock(log.path):
        log.record("锁住时问的", answered=False, at=NOW + 1)
        assert log.close(timeout=0.1) is False
        assert any("丢弃 1 条记录" in r.getMessage() for r in caplog.records)


def test_a_summary_before_any_record_needs_no_writer(tmp_path: Path) -> None:
    log = UsageLog(tmp_path / "state" / STATS_FILE)
    assert log.summary(now=NOW).total == 0
    assert log.flush(timeout=0) and log.close()


# -- what /stats shows in a group ----------------------------------------------------------------------


def test_the_group_view_has_counts_and_no_question_text() -> None:
    summary = UsageSummary(
        total=3, last_7_days=2, answered=1, unanswered=2,
        recent_unanswered=((NOW - DAY, "私下问的问题"),), top_sections=(("讲话", "一、回顾", 1),),
        questions_logged=True, refused=1, refused_users=1,
        votes_by_section=(("讲话", "一、回顾", 0, 1),),
        recent_down=((NOW, "被点踩的问题", "讲话", "一、回顾"),),
    )
    group = parse_html(views.stats_message(summary, private=False))
    assert "私下问的问题" not in group and "被点踩的问题" not in group
    assert "提问总数：3（近 7 天 2）" in group and "1. 讲话 › 一、回顾 — 1 次" in group
    assert "1. 讲话 › 一、回顾 — 👍 0 · 👎 1" in group
    assert views.STATS_IN_PRIVATE in group
    full = parse_html(views.stats_message(summary))
    assert "私下问的问题" in full and "被点踩的问题" in full and views.STATS_IN_PRIVATE not in full
