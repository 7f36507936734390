"""Usage statistics for /stats: every question asked, whether it was answered, and where from.

Why SQLite (stdlib sqlite3) in STATE_DIR: the counts must survive restarts, and the admins'
most useful view — recent questions the documents do not answer — needs the question text
kept somewhere queryable. With LOG_QUESTIONS=false the text is never stored (NULL), only the
outcome and the section that answered, so the counts still work.

👍/👎 taps on answers are kept in a table of their own (votes), one row per user and answer: a
second tap changes the vote rather than adding one. Who voted (the Telegram user id) is kept
only for that; /stats shows counts per section and the latest questions that got 👎.

Each question is one INSERT on the event loop. In WAL mode with synchronous=NORMAL a commit
does not wait for the disk, so recording costs well under a millisecond; the connection is
opened on first use so that merely building the bot (tests, the console) writes nothing.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from retrieval.reply import NoAnswer, Reply

SEPARATOR = " › "
STATS_FILE = "usage.sqlite3"  # in STATE_DIR
DAY = 86_400.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,            -- unix time
    question TEXT,               -- NULL when LOG_QUESTIONS=false
    answered INTEGER NOT NULL,   -- 1: a passage was quoted; 0: "not found"
    doc TEXT,                    -- the answering document's title, when answered
    section TEXT                 -- its section path joined by " › ", when answered
);
CREATE INDEX IF NOT EXISTS questions_at ON questions (at);
CREATE TABLE IF NOT EXISTS refusals (  -- updates from people not on the allow-list (bot/access.py)
    at REAL NOT NULL,
    user_id INTEGER,
    chat_id INTEGER
);
"""
_VOTES_SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,            -- unix time of the latest tap
    question TEXT,               -- the question answered; NULL when LOG_QUESTIONS=false
    doc TEXT,                    -- the answer's document title
    section TEXT,                -- its section path joined by " › "
    up INTEGER NOT NULL,         -- 1: 👍, 0: 👎
    voter INTEGER NOT NULL,      -- Telegram user id: one vote per user and answer
    answer TEXT NOT NULL,        -- the answer voted on: "<chat id>:<message id>"
    UNIQUE (voter, answer)
);
CREATE INDEX IF NOT EXISTS votes_at ON votes (at);
"""


@dataclass(frozen=True)
class UsageSummary:
    """What /stats shows."""

    total: int
    last_7_days: int
    answered: int
    unanswered: int
    recent_unanswered: tuple[tuple[float, str], ...]  # (unix time, question), newest first
    top_sections: tuple[tuple[str, str, int], ...]  # (document title, section path, times), most first
    questions_logged: bool
    refused: int = 0  # updates refused by the allow-list (bot/access.py)
    refused_users: int = 0  # from how many different users
    # 👍/👎 (the votes table): (document title, section path, 👍, 👎), most voted first …
    votes_by_section: tuple[tuple[str, str, int, int], ...] = ()
    # … and the latest answers that got 👎: (unix time, question, document title, section path)
    recent_down: tuple[tuple[float, str, str, str], ...] = ()


class UsageLog:
    """The questions log in STATE_DIR/usage.sqlite3."""

    def __init__(self, path: Path, log_questions: bool = True) -> None:
        self.path = Path(path)
        self.log_questions = log_questions
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            db.executescript(_VOTES_SCHEMA)
            self._db = db
        return self._db

    def record(
        self,
        question: str,
        answered: bool,
        doc: str | None = None,
        section: tuple[str, ...] = (),
        at: float | None = None,
    ) -> None:
        """Log one question and its outcome (the text only when LOG_QUESTIONS is on)."""
        with self.db:
            self.db.execute(
                "INSERT INTO questions (at, question, answered, doc, section) VALUES (?, ?, ?, ?, ?)",
                (
                    time.time() if at is None else at,
                    question if self.log_questions else None,
                    int(answered),
                    doc if answered else None,
                    SEPARATOR.join(section) if answered else None,
                ),
            )

    def record_reply(self, reply: Reply) -> None:
        """Log what a question got: the first passage quoted (a listing's first item), or no answer."""
        if isinstance(reply, NoAnswer) or not reply.passages:
            self.record(reply.question, answered=False)
            return
        top = reply.passages[0]
        self.record(reply.question, answered=True, doc=top.title or top.doc, section=top.section)

    def record_refusal(self, user_id: int | None, chat_id: int | None, at: float | None = None) -> None:
        """Count one update refused by the allow-list; the ids let an admin see who keeps trying."""
        with self.db:
            self.db.execute("INSERT INTO refusals (at, user_id, chat_id) VALUES (?, ?, ?)",
                            (time.time() if at is None else at, user_id, chat_id))

    def record_vote(self, reply: Reply, up: bool, voter: int, answer: str, at: float | None = None) -> None:
        """Keep a 👍/👎 on an answer (about its first passage); the same user again changes it."""
        if isinstance(reply, NoAnswer) or not reply.passages:
            return
        top = reply.passages[0]
        with self.db:
            self.db.execute(
                "INSERT INTO votes (at, question, doc, section, up, voter, answer)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (voter, answer) DO UPDATE SET up = excluded.up, at = excluded.at",
                (
                    time.time() if at is None else at,
                    reply.question if self.log_questions else None,
                    top.title or top.doc,
                    SEPARATOR.join(top.section),
                    int(up),
                    voter,
                    answer,
                ),
            )

    def vote_summary(self, recent: int = 10, top: int = 5) -> tuple[
            tuple[tuple[str, str, int, int], ...], tuple[tuple[float, str, str, str], ...]]:
        """👍/👎 per section (most voted first) and the latest 👎 with their questions."""
        sections = self.db.execute(
            "SELECT doc, section, SUM(up), SUM(1 - up) FROM votes"
            " GROUP BY doc, section ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT ?",
            (top,),
        ).fetchall()
        down = self.db.execute(
            "SELECT at, question, doc, section FROM votes WHERE up = 0 AND question IS NOT NULL"
            " ORDER BY at DESC, id DESC LIMIT ?",
            (recent,),
        ).fetchall()
        return (
            tuple((doc or "", section or "", ups, downs) for doc, section, ups, downs in sections),
            tuple((at, q, doc or "", section or "") for at, q, doc, section in down),
        )

    def summary(self, now: float | None = None, recent: int = 10, top: int = 5) -> UsageSummary:
        now = time.time() if now is None else now
        db = self.db
        total, answered = db.execute("SELECT COUNT(*), COALESCE(SUM(answered), 0) FROM questions").fetchone()
        (week,) = db.execute("SELECT COUNT(*) FROM questions WHERE at >= ?", (now - 7 * DAY,)).fetchone()
        unanswered = db.execute(
            "SELECT at, question FROM questions WHERE answered = 0 AND question IS NOT NULL"
            " ORDER BY at DESC, id DESC LIMIT ?",
            (recent,),
        ).fetchall()
        sections = db.execute(
            "SELECT doc, section, COUNT(*) AS n FROM questions WHERE answered = 1"
            " GROUP BY doc, section ORDER BY n DESC, MAX(at) DESC LIMIT ?",
            (top,),
        ).fetchall()
        refusals = db.execute("SELECT COUNT(*), COUNT(DISTINCT user_id) FROM refusals").fetchone()
        refused, refused_users = refusals
        votes_by_section, recent_down = self.vote_summary(recent, top)
        return UsageSummary(
            total=total,
            last_7_days=week,
            answered=answered,
            unanswered=total - answered,
            recent_unanswered=tuple((at, q) for at, q in unanswered),
            top_sections=tuple((doc or "", section or "", n) for doc, section, n in sections),
            questions_logged=self.log_questions,
            refused=refused,
            refused_users=refused_users,
            votes_by_section=votes_by_section,
            recent_down=recent_down,
        )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
