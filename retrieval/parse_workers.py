"""Read documents in worker processes, each file within a time and a memory limit.

Why: a document is the one input that a stranger's software made, and reading it runs
third-party parsers (pypdf, python-docx) over it. A 100 KB PDF that draws one form XObject
2,000 times keeps pypdf's text extraction busy for minutes; a crafted file may ask for
gigabytes. Such a file must cost one refusal naming it, never a stuck upload, /reload, start
or shutdown. So a file is made into a Document (decode, clean, sections, passages, profile)
in a child process that gets ParseLimits.seconds of wall time and ParseLimits.memory_mb of
address space (RLIMIT_AS); over either, it is killed and the caller gets a DocumentError
that says so.

Workers are fresh interpreters with the caller's sys.path, not forks of the bot (a fork of a
threaded process can inherit a lock some other thread held). Each takes one job at a time on
its stdin and answers on its stdout, a length-prefixed pickle: only ever between this module
and itself. A batch (the documents read at start or /reload) runs on up to one worker per
core, so a large library is also read faster, with a deadline per file: a file over its time
is killed with its worker and reported, and a new worker takes the next file.

Small plain text (INLINE_BYTES in all) is read in the calling process: it runs only our own
code, and a worker's start (~0.1 s) would be most of its cost, so `speechbot ask` over a small
folder starts no process. PDF and Word files always go to a worker.

stop_all() (the bot's shutdown) kills every worker: a thread waiting on one is released at
once with ParseStopped, so stopping never waits for a parse. Workers also die with the process
that started them (retrieval.child_process).
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.child_process import become_worker, cores
from retrieval.models import Document, DocumentError

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY_MB = 1024
INLINE_BYTES = 512 * 1024  # plain text read in the calling process when a batch holds no more
_POLL_S = 0.25  # a waiting thread looks this often whether a worker died or stop_all() ran
_HEADER = struct.Struct("<Q")  # the length of the pickle that follows
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)  # the folder holding retrieval/
_BOOT = ("import json, sys; sys.path[:0] = json.loads(sys.argv[1]); "
         "from retrieval.parse_workers import serve_jobs; serve_jobs(int(sys.argv[2]), int(sys.argv[3]))")

FAILED_TO_START = "无法启动解析进程，请稍后再试"
BROKEN = "读取时出错，无法解析这个文件"


@dataclass(frozen=True)
class ParseLimits:
    """What reading one file may take: wall-clock seconds and megabytes of address space (0: no limit)."""

    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB


@dataclass(frozen=True)
class ParseJob:
    """One file to read: its name (for messages and the profile), its bytes, an admin's corrections."""

    name: str
    data: bytes
    corrections: Mapping[str, Any] | None = None


class ParseStopped(Exception):
    """stop_all() ran while this parse was waiting (the bot is stopping): it was abandoned."""


def timed_out(name: str, limits: ParseLimits) -> DocumentError:
    return DocumentError(name, f"解析超时（{limits.seconds:g} 秒），文件可能有问题")


def over_memory(name: str, limits: ParseLimits) -> DocumentError:
    return DocumentError(name, f"解析所需内存超过上限（{limits.memory_mb} MB），文件可能有问题")


def crashed(name: str, limits: ParseLimits) -> DocumentError:
    limit = f"（可能超过内存上限 {limits.memory_mb} MB）" if limits.memory_mb else ""
    return DocumentError(name, f"解析进程意外退出{limit}，文件可能有问题")


def parse_document(name: str, data: bytes, corrections: Mapping[str, Any] | None = None,
                   limits: ParseLimits | None = None) -> Document:
    """One file as a Document, within the limits; DocumentError (with the reason) if not."""
    [result] = parse_all([ParseJob(name, data, corrections)], limits)
    if isinstance(result, DocumentError):
        raise result
    return result


Pickled = Callable[[int, bytes], None]  # (job number, the pickle of its Document)


def parse_all(jobs: Sequence[ParseJob], limits: ParseLimits | None = None,
              workers: int | None = None, pickled: Pickled | None = None) -> list[Document | DocumentError]:
    """Each job's Document, or the DocumentError saying why not, in the jobs' order.

    On up to `workers` processes (default: one per core); ParseStopped if stop_all() runs meanwhile.
    A worker sends a Document as its pickle: pickled(job number, those bytes) is called as each
    arrives, for the document cache to store them as they are (pickled once, not again by the
    caller: ~0.7 s of the loading process's CPU at 1,000 documents). Not for a job read here.
    """
    limits = limits or ParseLimits()
    if not jobs:
        return []
    if runs_here(jobs):
        return [_parse_here(job) for job in jobs]
    return _Batch(jobs, limits, max(1, min(workers or cores(), len(jobs))), pickled).run()


def runs_here(jobs: Sequence[ParseJob]) -> bool:
    """Whether the jobs are small plain text, read in this process (see the module's docstring)."""
    from retrieval.reader import is_plain_text

    return (sum(len(job.data) for job in jobs) <= INLINE_BYTES
            and all(is_plain_text(job.data, job.name) for job in jobs))


def stop_all() -> int:
    """Kill every running worker (the bot is stopping); their callers get ParseStopped. How many."""
    global _generation
    with _lock:
        _generation += 1
        workers = list(_live)
    for worker in workers:
        worker.signal_kill()
    return len(workers)


def live_workers() -> list[int]:
    """Process ids of the workers running now."""
    with _lock:
        return [worker.process.pid for worker in _live]


_lock = threading.Lock()
_live: set[_Worker] = set()
_generation = 0  # bumped by stop_all(): batches started before it give up


def _parse_here(job: ParseJob) -> Document | DocumentError:
    from retrieval.document import build_document
    from retrieval.reader import decode_bytes

    try:
        return build_document(job.name, decode_bytes(job.data, job.name), job.corrections)
    except DocumentError as err:
        return err


# -- the calling side --------------------------------------------------------------------------


class _Worker:
    """One worker process and its two pipes; used and stopped by the thread that started it.

    It may hold a second job in its pipe while it reads the first, so that it does not wait
    for this thread to be scheduled between two files (a library is mostly small files).
    Only a job that fits in the pipe's buffer is queued so: writing it can never block this
    thread while the worker is busy.
    """

    def __init__(self, limits: ParseLimits) -> None:
        requests_in, self.requests = os.pipe()
        self.replies, replies_out = os.pipe()
        command = [sys.executable, "-c", _BOOT, json.dumps([_PACKAGE_ROOT, *sys.path]), str(os.getpid()),
                   str(limits.memory_mb)]
        try:
            self.process = subprocess.Popen(command, stdin=requests_in, stdout=replies_out,
                                            stderr=subprocess.DEVNULL, env=_worker_environment())
        except BaseException:
            self._close()
            raise
        finally:
            os.close(requests_in)
            os.close(replies_out)
        self.room = _pipe_room(self.requests)
        self.jobs: deque[int] = deque()  # sent, not answered yet; the first is being read
        self.deadline = 0.0  # of the first
        with _lock:
            _live.add(self)

    def send(self, job: int, payload: bytes, seconds: float) -> bool:
        """Hand over a job; False if the worker is gone."""
        try:
            _write_frame(self.requests, payload)
        except OSError:  # BrokenPipeError: it died
            return False
        if not self.jobs:
            self.deadline = time.monotonic() + seconds
        self.jobs.append(job)
        return True

    def can_queue(self, payload: bytes) -> bool:
        """Whether a second job may wait in the pipe (see the class docstring)."""
        return len(self.jobs) == 1 and _HEADER.size + len(payload) <= self.room

    def receive(self, seconds: float) -> tuple[int, str, Any]:
        """The first job and the worker's reply to it; kind "gone" if it died instead."""
        job = self.jobs.popleft()
        self.deadline = time.monotonic() + seconds  # the next job, if any, starts now
        try:
            reply = pickle.loads(_read_frame(self.replies))
        except (EOFError, OSError, pickle.UnpicklingError):
            return job, "gone", None
        return job, reply[0], reply[1:]

    def died(self) -> bool:
        return self.process.poll() is not None

    def signal_kill(self) -> None:
        """SIGKILL, from any thread; the fds are closed by the owner's stop()."""
        if self.process.returncode is None:
            with suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Kill the process, reap it and close the pipes."""
        with _lock:
            _live.discard(self)
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                self.process.kill()
        self.process.wait()
        self._close()

    def _close(self) -> None:
        for fd in (self.requests, self.replies):
            with suppress(OSError):
                os.close(fd)


class _Batch:
    """Jobs spread over at most `workers` processes, each job with its own deadline."""

    def __init__(self, jobs: Sequence[ParseJob], limits: ParseLimits, workers: int,
                 pickled: Pickled | None) -> None:
        self.jobs, self.limits, self.workers, self.pickled = jobs, limits, workers, pickled
        self.results: list[Document | DocumentError | None] = [None] * len(jobs)
        self.payloads: dict[int, bytes] = {}
        with _lock:
            self.generation = _generation

    def run(self) -> list[Document | DocumentError]:
        todo = deque(range(len(self.jobs)))
        running: list[_Worker] = []
        try:
            while todo or any(worker.jobs for worker in running):
                self._check_stopped()
                self._hand_out(todo, running)
                if any(worker.jobs for worker in running):
                    self._collect(todo, running)
        finally:
            for worker in running:
                worker.stop()
        return [result if result is not None else DocumentError(job.name, BROKEN)
                for job, result in zip(self.jobs, self.results, strict=True)]

    def _hand_out(self, todo: deque[int], running: list[_Worker]) -> None:
        """Give every idle worker a job (starting workers up to the limit), and a second one
        to a busy worker when it fits in its pipe."""
        while todo:
            index = todo[0]
            payload = self._payload(index)
            worker = next((w for w in running if not w.jobs), None)
            if worker is None and len(running) < self.workers:
                try:
                    worker = _Worker(self.limits)
                except OSError as err:
                    log.error("无法启动解析进程：%s", err)
                    if running:
                        break  # the running ones take it later
                    todo.popleft()
                    self.results[index] = DocumentError(self.jobs[index].name, FAILED_TO_START)
                    continue
                running.append(worker)
            worker = worker or next((w for w in running if w.can_queue(payload)), None)
            if worker is None:
                break
            todo.popleft()
            del self.payloads[index]
            if worker.send(index, payload, self.limits.seconds):
                continue
            if worker.jobs:  # it died reading its first job, which _collect reports; this one waits
                todo.appendleft(index)
                break
            self._lost(worker, running, todo)
            self._check_stopped()
            self.results[index] = self._crashed(self.jobs[index].name, worker)

    def _collect(self, todo: deque[int], running: list[_Worker]) -> None:
        """Wait for the first reply or deadline (at most _POLL_S); take what came, kill what is late."""
        busy = [worker for worker in running if worker.jobs]
        wait = min(worker.deadline for worker in busy) - time.monotonic()
        with suppress(InterruptedError):
            ready, _, _ = select.select([w.replies for w in busy], [], [], min(max(wait, 0.0), _POLL_S))
        for worker in busy:
            name = self.jobs[worker.jobs[0]].name
            if worker.replies in ready:
                job, kind, fields = worker.receive(self.limits.seconds)
                if kind == "gone":
                    self._lost(worker, running, todo)
                    self._check_stopped()
                    self.results[job] = self._crashed(name, worker)
                    continue
                self.results[job] = self._outcome(job, name, kind, fields)
                if kind == "memory":  # the worker has ended: its heap may be in a bad state
                    self._lost(worker, running, todo)
            elif time.monotonic() >= worker.deadline:
                job = worker.jobs.popleft()
                self._lost(worker, running, todo)
                log.warning("解析 %s 超过 %g 秒，已终止", name, self.limits.seconds)
                self.results[job] = timed_out(name, self.limits)
            elif worker.died():  # no end-of-file seen: another process holds a copy of its pipe
                job = worker.jobs.popleft()
                self._lost(worker, running, todo)
                self._check_stopped()
                self.results[job] = self._crashed(name, worker)

    @staticmethod
    def _lost(worker: _Worker, running: list[_Worker], todo: deque[int]) -> None:
        """Stop a worker that died or is killed; a job still waiting in its pipe goes back first in line."""
        running.remove(worker)
        worker.stop()
        todo.extendleft(reversed(worker.jobs))
        worker.jobs.clear()

    def _payload(self, index: int) -> bytes:
        """The job as sent to a worker; made once (it may wait for a worker through several rounds)."""
        if index not in self.payloads:
            job = self.jobs[index]
            corrections = dict(job.corrections) if job.corrections else None
            self.payloads[index] = pickle.dumps((job.name, job.data, corrections),
                                                protocol=pickle.HIGHEST_PROTOCOL)
        return self.payloads[index]

    def _outcome(self, job: int, name: str, kind: str, fields: tuple[Any, ...]) -> Document | DocumentError:
        document = pickle.loads(fields[0]) if kind == "ok" and isinstance(fields[0], bytes) else None
        if isinstance(document, Document):
            if self.pickled is not None:
                self.pickled(job, fields[0])
            return document
        if kind == "error":
            return DocumentError(str(fields[0]), str(fields[1]))
        if kind == "memory":
            log.warning("解析 %s 超过内存上限 %d MB，已终止", name, self.limits.memory_mb)
            return over_memory(name, self.limits)
        log.error("解析 %s 时出错：%s", name, fields[0] if fields else kind)  # a bug of ours: the traceback
        return DocumentError(name, BROKEN)

    def _crashed(self, name: str, worker: _Worker) -> DocumentError:
        """The refusal of a file whose worker died; the exit status goes to the log (-9: killed,
        by the kernel's OOM killer for one; -11: a crash in a C library)."""
        log.warning("解析 %s 时解析进程意外退出（退出码 %s）", name, worker.process.returncode)
        return crashed(name, self.limits)

    def _check_stopped(self) -> None:
        with _lock:
            if _generation != self.generation:
                raise ParseStopped


def _pipe_room(fd: int) -> int:
    """Bytes that fit in the pipe's buffer (raised to 1 MiB where Linux allows it)."""
    try:
        import fcntl

        set_size, get_size = getattr(fcntl, "F_SETPIPE_SZ", 1031), getattr(fcntl, "F_GETPIPE_SZ", 1032)
        with suppress(OSError):
            fcntl.fcntl(fd, set_size, 1 << 20)
        return int(fcntl.fcntl(fd, get_size)) // 2  # half: never near a page-accounting edge
    except (ImportError, OSError):
        return 0  # unknown: never queue a second job


def _worker_environment() -> dict[str, str]:
    # One BLAS thread, should anything import numpy: its threads' buffers count against RLIMIT_AS.
    return {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def _write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _read_frame(fd: int) -> bytes:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return _read_exactly(fd, size)


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# -- the worker side ---------------------------------------------------------------------------


def serve_jobs(parent_pid: int, memory_mb: int) -> None:
    """A worker's life: limits first, then one job at a time from stdin, each reply on stdout."""
    become_worker(parent_pid)
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    requests, replies = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # a stray print() must not break a reply
    logging.disable(logging.CRITICAL)  # the caller reports; stderr is /dev/null anyway
    from retrieval.document import build_document
    from retrieval.reader import decode_bytes

    while True:
        reply: tuple[Any, ...]
        try:
            name, data, corrections = pickle.loads(_read_frame(requests))
        except EOFError:
            return
        except MemoryError:  # the file alone is over the limit
            _write_frame(replies, pickle.dumps(("memory",)))
            return
        try:  # the Document as its pickle: what the caller's document cache stores (parse_all)
            document = build_document(name, decode_bytes(data, name), corrections)
            reply = ("ok", pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
            del document
        except DocumentError as err:
            reply = ("error", err.name, err.reason)
        except MemoryError:
            reply = ("memory",)
        except Exception:  # a bug of ours, not the file's: the caller logs the traceback
            import traceback

            reply = ("bug", traceback.format_exc(limit=20))
        del data
        try:
            payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            reply, payload = ("memory",), pickle.dumps(("memory",))
        _write_frame(replies, payload)
        if reply[0] == "memory":
            return
