"""Usage statistics for /stats: every question asked, whether it was answered, and where from.

Why SQLite (stdlib sqlite3) in STATE_DIR: the counts must survive restarts, and the admins'
most useful view — recent questions the documents do not answer — needs the question text
kept somewhere queryable. With LOG_QUESTIONS=false the text is never stored (NULL), only the
outcome and the section that answered, so the counts still work.

👍/👎 taps on answers are kept in a table of their own (votes), one row per user and answer: a
second tap changes the vote rather than adding one. Who voted (the Telegram user id) is kept
only for that; /stats shows counts per section and the latest questions that got 👎.

Nothing here runs on the event loop or makes a user wait (issue 14: while a backup or an
admin's sqlite3 session held the write lock, each question froze the whole bot for the 5 s
busy wait). Recording a question, a refusal or a vote only puts the row on a queue; one writer
thread owns the write connection and writes whatever is queued in one transaction (WAL mode,
synchronous=NORMAL: a commit does not wait for the disk). When the lock is held elsewhere the
writer waits BUSY_TIMEOUT per attempt and retries, so the rows go in once the lock is released;
a row still unwritten after RETRY_FOR (or beyond MAX_PENDING waiting rows) is dropped with a
log line — statistics may lose a row, a user never loses or waits for an answer. summary() reads
through a connection of its own, from a thread (/stats); in WAL mode readers are not blocked by
a writer, so only an exclusive lock elsewhere makes it fail, and /stats then says so. close()
writes the queue at shutdown, waiting at most CLOSE_TIMEOUT. The writer starts with the first
record, so merely building the bot (tests, the console) writes nothing.
"""

from __future__ import annotations

import atexit
import logging
import math
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, SimpleQueue

from retrieval.reply import NoAnswer, Reply

logger = logging.getLogger(__name__)

SEPARATOR = " › "
STATS_FILE = "usage.sqlite3"  # in STATE_DIR
DAY = 86_400.0

BUSY_TIMEOUT = 0.2  # s: one write's wait for a lock held elsewhere; the writer then retries
RETRY_FOR = 60.0  # s: how long a record waits for such a lock before it is dropped (logged)
RETRY_PAUSE = 0.05  # s: between attempts, should SQLite report busy without waiting
READ_TIMEOUT = 1.0  # s: /stats' wait for a lock that keeps even readers out (an exclusive one)
SUMMARY_WAIT = 5.0  # s: at most, for the writer to try what was queued before a summary
CLOSE_TIMEOUT = 1.0  # s: at most, for the queued records at shutdown (then up to BUSY_TIMEOUT more)
MAX_PENDING = 10_000  # records waiting at most (a lock held for minutes at full load); more are dropped
MAX_BATCH = 1_000  # records per transaction
LOG_EVERY = 10.0  # s: dropped records are logged at once, then summed up at most this often

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
    """The questions log in STATE_DIR/usage.sqlite3: records queued to a writer thread, read on demand.

    record(), record_reply(), record_refusal() and record_vote() only queue the row and return
    (they never raise and never wait); summary() reads through a connection of its own and can
    wait (callers off the event loop); close() writes what is queued, waiting at most a bound.
    """

    def __init__(self, path: Path, log_questions: bool = True, *, busy_timeout: float = BUSY_TIMEOUT,
                 retry_for: float = RETRY_FOR) -> None:
        self.path = Path(path)
        self.log_questions = log_questions
        self.busy_timeout = busy_timeout
        self.retry_for = retry_for
        self._lock = threading.Lock()
        self._writer: _Writer | None = None  # started by the first record, so building writes nothing
        self._refused = 0  # records refused because MAX_PENDING were waiting

    def record(
        self,
        question: str,
        answered: bool,
        doc: str | None = None,
        section: tuple[str, ...] = (),
        at: float | None = None,
    ) -> None:
        """Log one question and its outcome (the text only when LOG_QUESTIONS is on)."""
        self._queue(
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
        self._queue("INSERT INTO refusals (at, user_id, chat_id) VALUES (?, ?, ?)",
                    (time.time() if at is None else at, user_id, chat_id))

    def record_vote(self, reply: Reply, up: bool, voter: int, answer: str, at: float | None = None) -> None:
        """Keep a 👍/👎 on an answer (about its first passage); the same user again changes it."""
        if isinstance(reply, NoAnswer) or not reply.passages:
            return
        top = reply.passages[0]
        self._queue(
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

    def _queue(self, sql: str, params: tuple[object, ...]) -> None:
        with self._lock:
            if self._writer is None:
                self._writer = _Writer(self.path, self.busy_timeout, self.retry_for)
                atexit.register(self.close)  # the console and tests may end without closing
            writer = self._writer
        if not writer.put(_Write(sql, params, time.monotonic())):
            self._refused += 1
            if self._refused % 1000 == 1:
                logger.warning("统计写入积压 %d 条（数据库被占用？）：新的记录被丢弃，已丢弃 %d 条",
                               MAX_PENDING, self._refused)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every record queued so far is written or dropped; False if timeout came first."""
        writer = self._writer
        return writer is None or writer.wait_settled(timeout)

    def summary(self, now: float | None = None, recent: int = 10, top: int = 5) -> UsageSummary:
        """What /stats shows. Blocks (run it in a thread): it first lets the writer try what is
        queued, so a question just asked is counted unless a lock elsewhere holds it up, then
        reads. Raises sqlite3.Error when even reading is locked out (an exclusive lock elsewhere)."""
        writer = self._writer
        if writer is not None:
            writer.wait_current(SUMMARY_WAIT)
        now = time.time() if now is None else now
        db = _connect(self.path, READ_TIMEOUT)
        try:
            return _summary(db, now, recent, top, self.log_questions)
        finally:
            db.close()

    def close(self, timeout: float = CLOSE_TIMEOUT) -> bool:
        """Write what is queued, waiting at most `timeout` seconds (a lock held elsewhere); the rest
        is dropped with a log line. True if everything was written. A later record starts afresh."""
        with self._lock:
            writer, self._writer = self._writer, None
        atexit.unregister(self.close)
        if writer is None:
            return True
        return writer.stop(timeout)


@dataclass(frozen=True)
class _Write:
    sql: str
    params: tuple[object, ...]
    at: float  # time.monotonic() when queued: how long it has waited for a lock


class _Writer:
    """The thread that owns the write connection; records reach it through a queue, in order.

    It takes whatever is queued (up to MAX_BATCH) and writes it in one transaction, so a backlog
    that built up behind a lock goes in at once. A lock held elsewhere costs one busy wait of
    busy_timeout per attempt; records older than retry_for are then dropped (logged), the others
    retried. Any other SQLite or disk error drops the batch (logged). The counters, guarded by
    `changed`, let callers wait for what was queued before them: `settled` counts the records
    written or dropped (they are taken in order), `attempts` the transactions tried.
    """

    def __init__(self, path: Path, busy_timeout: float, retry_for: float) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.retry_for = retry_for
        self.queue: SimpleQueue[_Write | None] = SimpleQueue()  # None: stop once the queue is written
        self.changed = threading.Condition()
        self.queued = self.settled = self.attempts = 0
        self.abandon = threading.Event()  # set by stop() when its wait ran out: drop the rest and end
        self._dropped = self._dropped_logged = 0
        self._logged_at = -math.inf
        self.thread = threading.Thread(target=self._run, name="usage-log-writer", daemon=True)
        self.thread.start()

    def put(self, write: _Write) -> bool:
        with self.changed:
            if self.queued - self.settled >= MAX_PENDING:
                return False
            self.queued += 1
        self.queue.put(write)
        return True

    def wait_settled(self, timeout: float) -> bool:
        with self.changed:
            target = self.queued
            return self.changed.wait_for(lambda: self.settled >= target, timeout)

    def wait_current(self, timeout: float) -> bool:
        """Until what is queued now is written or dropped, or an attempt begun after now has failed
        (a lock held elsewhere): then a read sees every record that can be written at the moment."""
        with self.changed:
            target, begun = self.queued, self.attempts
            return self.changed.wait_for(
                lambda: self.settled >= target or self.attempts >= begun + 2, timeout)

    def stop(self, timeout: float) -> bool:
        self.queue.put(None)
        self.thread.join(timeout)
        if self.thread.is_alive():  # still waiting for a lock: give up on what is left
            self.abandon.set()
            self.thread.join(self.busy_timeout + 0.5)
        if self.thread.is_alive():
            logger.warning("统计写入线程未能及时结束：尚未写入的记录将丢失")
        with self.changed:
            return self.settled >= self.queued and self._dropped == 0

    def _run(self) -> None:
        db: sqlite3.Connection | None = None
        batch: list[_Write] = []
        stopping = False
        try:
            while True:
                if not batch and not stopping:
                    item = self.queue.get()
                    stopping = item is None
                    batch += [item] if item is not None else []
                while len(batch) < MAX_BATCH:  # whatever else is waiting
                    try:
                        item = self.queue.get_nowait()
                    except Empty:
                        break
                    if item is None:
                        stopping = True
                    else:
                        batch.append(item)
                if not batch:
                    if stopping:
                        return
                    continue
                if self.abandon.is_set():
                    self._drop(batch, "关闭时数据库仍被占用")
                    batch = []
                    continue  # and take what else is queued, to account for it the same way
                db, batch = self._attempt(db, batch)
                if batch:
                    self.abandon.wait(RETRY_PAUSE)  # SQLite may report busy without waiting
        finally:
            if db is not None:
                db.close()

    def _attempt(self, db: sqlite3.Connection | None,
                 batch: list[_Write]) -> tuple[sqlite3.Connection | None, list[_Write]]:
        """Write the batch in one transaction; the connection to go on with and what is left to retry."""
        try:
            if db is None:
                db = _connect(self.path, self.busy_timeout)
            with db:
                for write in batch:
                    db.execute(write.sql, write.params)
        except (sqlite3.Error, OSError) as err:
            if not _busy(err):
                logger.error("写入统计失败：%s", err)
                if db is not None:
                    db.close()
                self._drop(batch, f"写入失败：{type(err).__name__}")
                return None, []
            now = time.monotonic()
            expired = [w for w in batch if now - w.at >= self.retry_for]
            if expired:
                self._drop(expired, f"数据库被占用超过 {self.retry_for:g} 秒")
            else:
                self._count()
            return db, [w for w in batch if now - w.at < self.retry_for]
        self._count(settled=len(batch))
        return db, []

    def _count(self, settled: int = 0) -> None:
        """One attempt over: `settled` more records written or dropped."""
        with self.changed:
            self.attempts += 1
            self.settled += settled
            self.changed.notify_all()

    def _drop(self, writes: list[_Write], reason: str) -> None:
        """Give up on some records; logged at once, then at most every LOG_EVERY seconds."""
        self._dropped += len(writes)
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY or self.abandon.is_set():
            logger.warning("统计未能写入（%s）：丢弃 %d 条记录", reason, self._dropped - self._dropped_logged)
            self._dropped_logged, self._logged_at = self._dropped, now
        self._count(settled=len(writes))


def _busy(err: Exception) -> bool:
    """A lock held by another connection or process (SQLITE_BUSY, SQLITE_LOCKED and their variants)."""
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return isinstance(err, sqlite3.OperationalError) and ("locked" in str(err) or "busy" in str(err))


def _connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection with the tables in place (created on first use); busy_timeout: its lock wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=busy_timeout)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        db.executescript(_VOTES_SCHEMA)
    except BaseException:
        db.close()
        raise
    return db


def _vote_summary(db: sqlite3.Connection, recent: int, top: int) -> tuple[
        tuple[tuple[str, str, int, int], ...], tuple[tuple[float, str, str, str], ...]]:
    """👍/👎 per section (most voted first) and the latest 👎 with their questions."""
    sections = db.execute(
        "SELECT doc, section, SUM(up), SUM(1 - up) FROM votes"
        " GROUP BY doc, section ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT ?",
        (top,),
    ).fetchall()
    down = db.execute(
        "SELECT at, question, doc, section FROM votes WHERE up = 0 AND question IS NOT NULL"
        " ORDER BY at DESC, id DESC LIMIT ?",
        (recent,),
    ).fetchall()
    return (
        tuple((doc or "", section or "", ups, downs) for doc, section, ups, downs in sections),
        tuple((at, q, doc or "", section or "") for at, q, doc, section in down),
    )


def _summary(db: sqlite3.Connection, now: float, recent: int, top: int,
             questions_logged: bool) -> UsageSummary:
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
    refused, refused_users = db.execute("SELECT COUNT(*), COUNT(DISTINCT user_id) FROM refusals").fetchone()
    votes_by_section, recent_down = _vote_summary(db, recent, top)
    return UsageSummary(
        total=total,
        last_7_days=week,
        answered=answered,
        unanswered=total - answered,
        recent_unanswered=tuple((at, q) for at, q in unanswered),
        top_sections=tuple((doc or "", section or "", n) for doc, section, n in sections),
        questions_logged=questions_logged,
        refused=refused,
        refused_users=refused_users,
        votes_by_section=votes_by_section,
        recent_down=recent_down,
    )
