"""Statistics never stall the bot (issue 14): a write lock held elsewhere — a backup, an admin's
sqlite3 session — neither delays answers nor loses records.

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

from botapi_stub import ask
from telegram.ext import Application

from bot.stats import STATS_FILE, UsageLog

QUESTION = "2022年基础配套有哪些任务"
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
