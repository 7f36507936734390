"""The pieces that keep the bot running in an office: retries, polling, webhook, health, drain.

Why not python-telegram-bot's run_polling / run_webhook: on SIGTERM they process every
update already fetched and confirm them all to Telegram, so a queue takes as long as it
takes (12.8 s measured, more than Docker's 10 s before SIGKILL) and a killed process
loses what it had confirmed. Here:

- the poller fetches only as many updates as can start at once (getUpdates `limit` = free
  slots), so nothing waits inside the process: the queue stays at Telegram, unconfirmed;
- on SIGTERM it stops fetching and gives what is in flight SHUTDOWN_TIMEOUT seconds. An
  update still running then is cancelled and saved to STATE_DIR/unfinished-updates.json
  (Telegram may already count it as delivered: the next getUpdates confirms a batch while
  it is still being answered), and the next start handles those first;
- in webhook mode an update is answered 200 only once it has been processed (Telegram
  holds the others meanwhile, at most max_connections at a time); updates cut off by the
  drain get 503 and are sent again; GET /healthz answers 200 while the bot runs;
- start-up retries with exponential backoff (1 s → 60 s) while the Bot API is unreachable,
  one log line per failure; a rejected token is not retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, SimpleUpdateProcessor

logger = logging.getLogger(__name__)

BACKOFF_FIRST = 1.0  # seconds before the first retry; doubled each time
BACKOFF_MAX = 60.0
HEALTH_PATH = "/healthz"


class DrainingUpdateProcessor(SimpleUpdateProcessor):
    """python-telegram-bot's concurrent processing, knowing which updates are in flight.

    `outstanding` holds every update handed to the application and not finished, with the
    task processing it once it started; the poller keeps it at most max_concurrent_updates
    long, and drain() waits for it, then cancels what is left.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self.outstanding: dict[int, asyncio.Task[Any] | None] = {}
        self.updates: dict[int, Update] = {}  # the outstanding updates themselves
        self._results: dict[int, asyncio.Future[bool]] = {}
        self._changed = asyncio.Event()

    @property
    def free(self) -> int:
        return self.max_concurrent_updates - len(self.outstanding)

    def expect(self, update: Update) -> asyncio.Future[bool]:
        """Note an update about to be queued; the future says whether it got processed (not cut off)."""
        update_id = update.update_id
        self.outstanding[update_id] = None
        self.updates[update_id] = update
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._results[update_id] = future
        return future

    def forget(self, update_id: int) -> None:
        """An update that will not be processed after all (dropped from the queue at shutdown)."""
        self.outstanding.pop(update_id, None)
        self.updates.pop(update_id, None)
        future = self._results.pop(update_id, None)
        if future is not None and not future.done():
            future.set_result(False)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is not None:
            self.outstanding[update_id] = asyncio.current_task()
        processed = False
        try:
            await coroutine
            processed = True  # handler errors went to the error handler: the update was dealt with
        finally:
            self._finish(update_id, processed)

    def _finish(self, update_id: int | None, processed: bool) -> None:
        if update_id is not None:
            self.outstanding.pop(update_id, None)
            self.updates.pop(update_id, None)
            future = self._results.pop(update_id, None)
            if future is not None and not future.done():
                future.set_result(processed)
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_free(self) -> int:
        """Wait for a free slot; the number of free slots."""
        while self.free <= 0:
            await self._changed.wait()
        return self.free

    async def drain(self, timeout: float) -> list[Update]:
        """Wait up to timeout for the updates in flight; cancel the rest. The updates cut off."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.outstanding and (remaining := deadline - loop.time()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        cut = [self.updates[i] for i in sorted(self.outstanding) if i in self.updates]
        for update_id in list(self.outstanding):
            task = self.outstanding.get(update_id)
            self.forget(update_id)
            if task is not None:
                task.cancel()
        return cut


def processor_of(application: Application) -> DrainingUpdateProcessor:
    processor = application.update_processor
    if not isinstance(processor, DrainingUpdateProcessor):
        raise TypeError("build the application with a DrainingUpdateProcessor (bot.app.build_application)")
    return processor


class Backoff:
    """Exponential delays, 1 s doubling up to 60 s; reset() after a success."""

    def __init__(self, first: float | None = None, cap: float | None = None) -> None:
        self.first = BACKOFF_FIRST if first is None else first
        self.cap = BACKOFF_MAX if cap is None else cap
        self.delay, self.attempt = self.first, 0

    def next(self) -> float:
        delay = self.delay
        self.attempt += 1
        self.delay = min(self.delay * 2, self.cap)
        return delay

    def reset(self) -> None:
        self.delay, self.attempt = self.first, 0


async def sleep_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep, but wake at once when stop is set; True if stopped."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


def reason(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"


async def with_retry(step: Callable[[], Awaitable[None]], stop: asyncio.Event, what: str,
                     backoff: Backoff | None = None) -> bool:
    """Run step until it succeeds, retrying network failures with backoff; False if stopped first.

    InvalidToken and BadRequest (python-telegram-bot makes it a NetworkError) are not
    network trouble: they propagate at once.
    """
    backoff = backoff or Backoff()
    while not stop.is_set():
        try:
            await step()
            return True
        except (InvalidToken, BadRequest):
            raise
        except NetworkError as err:  # TimedOut included
            delay = backoff.next()
            logger.warning("无法连接 Telegram Bot API（%s）：%s；%g 秒后第 %d 次重试",
                           what, reason(err), delay, backoff.attempt)
            if await sleep_or_stop(stop, delay):
                return False
    return False


async def unless_stopped(step: Awaitable[bool], stop: asyncio.Event) -> bool:
    """step's result, or False as soon as stop is set (step is then cancelled)."""
    task = asyncio.ensure_future(step)
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return False
    return task.result()


async def threads_ended(prefix: str, timeout: float) -> bool:
    """Wait up to timeout for the threads whose names start with prefix to end; whether they did."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while any(t.name.startswith(prefix) and t.is_alive() for t in threading.enumerate()):
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.02)
    return True


class Poller:
    """Long polling that fetches only what can start now, and remembers what to confirm."""

    def __init__(self, application: Application, allowed_updates: list[str], poll_timeout: int = 10) -> None:
        self.application = application
        self.processor = processor_of(application)
        self.allowed_updates = allowed_updates
        self.poll_timeout = poll_timeout
        self.offset: int | None = None  # the next getUpdates offset: confirms everything before it

    async def run(self, stop: asyncio.Event) -> None:
        backoff = Backoff()
        capacity = self.processor.max_concurrent_updates
        while not stop.is_set():
            free = await self.processor.wait_free()
            if free < capacity // 4:  # a moment for more to finish: fewer, fuller getUpdates
                await asyncio.sleep(0.005)
                free = self.processor.free
            try:
                updates = await self.application.bot.get_updates(
                    offset=self.offset, limit=min(free, 100), timeout=self.poll_timeout,
                    allowed_updates=self.allowed_updates,
                )
            except InvalidToken:
                raise
            except TelegramError as err:  # network, 5xx, Conflict (a second instance polling)…
                delay = backoff.next()
                logger.warning("获取消息失败：%s；%g 秒后重试", reason(err), delay)
                await sleep_or_stop(stop, delay)
                continue
            backoff.reset()
            for update in updates:
                self.processor.expect(update)
                await self.application.update_queue.put(update)
            if updates:
                self.offset = updates[-1].update_id + 1
                await asyncio.sleep(0)  # let their processing start before the next getUpdates is built

    async def confirm(self) -> None:
        """Tell Telegram that everything fetched is dealt with (answered, or saved by save_unfinished)."""
        if self.offset is None:
            return
        try:
            confirming = self.application.bot.get_updates(offset=self.offset, limit=1, timeout=0)
            await asyncio.wait_for(confirming, 3)
        except (TelegramError, TimeoutError) as err:
            logger.warning("未能确认已处理的消息（下次启动时可能重复处理）：%s", reason(err))


def drop_queued(application: Application) -> int:
    """Take updates not yet started out of the update queue (they stay unconfirmed at Telegram)."""
    dropped = 0
    processor = processor_of(application)
    while not application.update_queue.empty():
        update = application.update_queue.get_nowait()
        application.update_queue.task_done()
        if isinstance(update, Update):
            processor.forget(update.update_id)
        dropped += 1
    return dropped


async def drain(application: Application, timeout: float) -> list[Update]:
    """After fetching stopped: finish in-flight updates within timeout; the updates cut off."""
    drop_queued(application)
    processor = processor_of(application)
    if processor.outstanding:
        logger.info("等待处理中的 %d 条消息（最多 %.0f 秒）", len(processor.outstanding), timeout)
    cut = await processor.drain(timeout)
    if cut:
        logger.warning("停止时仍有 %d 条消息未处理完，已中止；它们将在下次启动时重新处理", len(cut))
    return cut


def save_unfinished(path: Path, updates: list[Update]) -> None:
    """Keep updates cut off by the drain for the next start (added to what is already kept)."""
    if not updates:
        return
    kept = _read_unfinished(path)
    kept += [u.to_dict() for u in updates]
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)


def _read_unfinished(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        logger.warning("无法读取 %s，忽略：%s", path, err)
        return []
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


async def resume_unfinished(application: Application, path: Path) -> int:
    """Queue the updates the previous run had to cut off, then forget the file. How many."""
    kept = _read_unfinished(path)
    path.unlink(missing_ok=True)
    processor = processor_of(application)
    for data in kept:
        update = Update.de_json(data, application.bot)
        processor.expect(update)
        await application.update_queue.put(update)
    if kept:
        logger.info("重新处理上次停止时未完成的 %d 条消息", len(kept))
    return len(kept)


# -- webhook ------------------------------------------------------------------------------


class WebhookServer:
    """Receives Telegram's webhook posts and serves GET /healthz, on one port (tornado)."""

    def __init__(self, application: Application, url_path: str, secret: str | None,
                 health: Callable[[], dict[str, Any]]) -> None:
        self.application = application
        self.stopping = False
        path = "/" + url_path.strip("/")
        routes: list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]] = [
            (HEALTH_PATH, _HealthHandler, {"server": self, "health": health}),
            (re.escape(path.rstrip("/")) + "/?", _WebhookHandler, {"server": self, "secret": secret}),
        ]
        self._http = tornado.httpserver.HTTPServer(tornado.web.Application(routes))
        self.port = 0

    def listen(self, host: str, port: int) -> None:
        sockets = tornado.netutil.bind_sockets(port, host)
        self._http.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

    def stop_accepting(self) -> None:
        self.stopping = True
        self._http.stop()

    async def close(self) -> None:
        await asyncio.sleep(0.05)  # let the 503s of updates cut off by the drain go out
        await self._http.close_all_connections()


class _HealthHandler(tornado.web.RequestHandler):
    def initialize(self, server: WebhookServer, health: Callable[[], dict[str, Any]]) -> None:
        self.server, self.health = server, health

    def get(self) -> None:
        if self.server.stopping:
            self.set_status(503)
            self.finish({"ok": False, "status": "stopping"})
            return
        self.finish({"ok": True, **self.health()})


class _WebhookHandler(tornado.web.RequestHandler):
    def initialize(self, server: WebhookServer, secret: str | None) -> None:
        self.server, self.secret = server, secret

    async def post(self) -> None:
        offered = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if self.secret and not hmac.compare_digest(offered.encode(), self.secret.encode()):
            self.set_status(403)
            return
        if self.server.stopping:
            self.set_status(503)  # Telegram sends it again, to the next start
            return
        application = self.server.application
        try:
            update = Update.de_json(json.loads(self.request.body), application.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            return
        processed = processor_of(application).expect(update)
        await application.update_queue.put(update)
        self.set_status(200 if await processed else 503)
