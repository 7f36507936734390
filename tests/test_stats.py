"""The usage log behind /stats: counts, recent unanswered questions, busiest sections, restarts."""

from __future__ import annotations

import sqlite3

from bot.stats import DAY, UsageLog

NOW = 1_750_000_000.0


SECTION = ("二、重点工作", "二是基础配套")


def fill(log: UsageLog) -> None:
    log.record("去年的老问题", answered=False, at=NOW - 30 * DAY)
    log.record("基础配套有哪些任务", answered=True, doc="2022年讲话", section=SECTION, at=NOW - 3 * DAY)
    log.record("基础配套怎么推进", answered=True, doc="2022年讲话", section=SECTION, at=NOW - 2 * DAY)
    log.record("工作回顾", answered=True, doc="2022年讲话", section=("一、工作回顾",), at=NOW - DAY)
    log.record("火星基地什么时候建成", answered=False, at=NOW - 60)


def test_summary_counts_and_lists(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3")
    fill(log)
    summary = log.summary(now=NOW)
    assert (summary.total, summary.last_7_days, summary.answered, summary.unanswered) == (5, 4, 3, 2)
    assert [q for _, q in summary.recent_unanswered] == ["火星基地什么时候建成", "去年的老问题"]
    assert summary.top_sections == (
        ("2022年讲话", "二、重点工作 › 二是基础配套", 2),
        ("2022年讲话", "一、工作回顾", 1),
    )
    assert summary.questions_logged


def test_an_empty_log_summarises_to_zeros(tmp_path):
    summary = UsageLog(tmp_path / "new" / "usage.sqlite3").summary(now=NOW)
    assert (summary.total, summary.answered, summary.unanswered) == (0, 0, 0)
    assert summary.recent_unanswered == () and summary.top_sections == ()


def test_the_log_survives_a_restart(tmp_path):
    log = UsageLog(tmp_path / "usage.sqlite3")
    fill(log)
    log.close()
    again = UsageLog(tmp_path / "usage.sqlite3")
    again.record("再问一次", answered=False, at=NOW)
    assert again.summary(now=NOW).total == 6


def test_without_log_questions_no_question_text_is_stored(tmp_path):
    path = tmp_path / "usage.sqlite3"
    log = UsageLog(path, log_questions=False)
    fill(log)
    summary = log.summary(now=NOW)
    assert (summary.total, summary.unanswered) == (5, 2), "the counts are kept"
    assert summary.recent_unanswered == () and not summary.questions_logged
    assert summary.top_sections[0][2] == 2, "sections still count"
    log.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM questions WHERE question IS NOT NULL").fetchone() == (0,)
    assert "火星".encode() not in path.read_bytes()


def test_building_a_log_writes_nothing_until_used(tmp_path):
    UsageLog(tmp_path / "state" / "usage.sqlite3")
    assert not (tmp_path / "state").exists()
