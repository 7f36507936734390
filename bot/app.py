"""Build the python-telegram-bot Application and run it (long polling or webhook).

build_application() is shared by production (run_bot), the tests and the benchmark;
they differ only in the settings (which Bot API server), the rate limiter and whether
a library is handed in ready-made.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    PersistenceInput,
    PicklePersistence,
)

from bot import access, admin, commitments_handlers, handlers, runner
from bot.context import CONTEXT_TYPES, BotData
from bot.documents import Librarian
from bot.http_request import build_request, describe_proxy
from bot.settings import Settings
from bot.state import LibraryHolder
from bot.stats import STATS_FILE, UsageLog
from retrieval.library import load_library
from retrieval.parse_workers import stop_all as stop_parsing
from retrieval.store import DocumentStore, remove_temporary_files

logger = logging.getLogger(__name__)


ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]
UNFINISHED_FILE = "unfinished-updates.json"  # in STATE_DIR: updates cut off by the SIGTERM drain

# Updates handled at once (python-telegram-bot's default is 256). The poller fetches no
# more than there are free slots (bot/runner.py): the rest wait at Telegram. An update
# has at most one Bot API request in flight (typing, then the answer), so with as many
# connections no request ever waits for one, and a slow Bot API cannot make a request
# fail on the pool timeout. Requests held back by the rate limiter hold no connection
# but do hold their update's slot: a group over its 20 messages/min waits ~3 s per
# answer while other chats go on in the other slots.
USERS_FILE = "users.pickle"  # in STATE_DIR: each user's /doc scope (python-telegram-bot's user_data)
RECENT_FILE = "recent-replies.pickle"  # in STATE_DIR: the replies whose buttons are on screen
CONCURRENT_UPDATES = 32
CONNECTIONS = CONCURRENT_UPDATES
EXECUTOR_THREADS = "speechbot-thread"  # the default executor's threads (asyncio.to_thread)
THREAD_GRACE = 1.0  # seconds a stopping bot waits for them after the drain (run_bot)


def production_rate_limiter() -> AIORateLimiter:
    """Telegram's flood limits (≈30 messages/s overall, 20/min per group); a 429 is waited out."""
    return AIORateLimiter(max_retries=3)


def build_application(
    settings: Settings,
    *,
    holder: LibraryHolder | None = None,
    rate_limiter: BaseRateLimiter | None = None,
) -> Application:
    """The bot, with handlers registered. Without a ready holder, post_init loads data_dir."""
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .concurrent_updates(runner.DrainingUpdateProcessor(CONCURRENT_UPDATES))
        .updater(None)  # bot/runner.py polls and serves the webhook itself
        .request(build_request(settings, CONNECTIONS))
        .get_updates_request(build_request(settings, 1))
        .post_init(post_init)
        .context_types(CONTEXT_TYPES)
        .persistence(user_persistence(settings))
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application = builder.build()
    holder = holder or LibraryHolder()
    data: BotData = application.bot_data
    data.configure(settings, holder, UsageLog(settings.state_dir / STATS_FILE, settings.log_questions),
                   Librarian(holder, DocumentStore(settings.data_dir), settings.token_cache_dir,
                             settings.parse_limits))
    # Admin handlers first: uploads and admin buttons before the catch-alls of the question handlers.
    application.add_handler(handlers.NoDataButton(handlers.on_stale))
    admin.register(application)
    commitments_handlers.register(application)
    handlers.register(application)
    access.register(application, settings, data.usage)  # handler group -1: before all of the above
    return application


def user_persistence(settings: Settings) -> PicklePersistence:
    """Each user's choices (their /doc scope) kept in STATE_DIR across restarts."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    return PicklePersistence(settings.state_dir / USERS_FILE, update_interval=30,
                             store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True,
                                                         callback_data=False))


def recent_file(application: Application) -> Path:
    data: BotData = application.bot_data
    return data.settings.state_dir / RECENT_FILE


async def pre_shutdown(application: Application) -> None:
    """Keep the replies whose buttons are on screen, so they still work after the restart; write
    the statistics still queued (bot/stats.py: a bounded wait, should a lock be held elsewhere)."""
    try:
        application.bot_data.holder.save(recent_file(application))
    except Exception as err:  # only the old buttons are lost; stopping must go on
        logger.warning("无法保存最近的回答：%s", err)
    await asyncio.to_thread(application.bot_data.usage.close)


async def post_init(application: Application) -> None:
    """Load the documents (in a thread: parsing takes a while) and register the command menu."""
    data: BotData = application.bot_data
    holder = data.holder
    if holder.library is None:
        settings = data.settings
        if not settings.data_dir.is_dir():  # the bot still starts: admins can upload documents
            logger.warning("文档目录 %s 不存在：将创建它；放入文档后重启，或由管理员上传",
                           settings.data_dir.resolve())
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        remove_leftovers(settings)
        library, errors = await asyncio.to_thread(load_library, settings.data_dir, settings.token_cache_dir,
                                                  settings.parse_limits)
        await asyncio.to_thread(library.commitments)  # found before the first question, not by it
        for error in errors:
            logger.warning("跳过文档 %s", error)
        holder.swap(library)
        logger.info("已载入 %d 份文档", len(library.documents))
        if holder.restore(recent_file(application)):
            logger.info("上次的回答按钮仍然有效")
        if not library.documents:
            logger.warning("文档目录 %s 中没有可用的文档（.txt .md .docx .pdf）：机器人还回答不了问题；"
                           "把文档放进该目录后重启，或由管理员上传", settings.data_dir.resolve())
    await handlers.set_commands(application)
    await admin.set_admin_commands(application, handlers.PRIVATE_COMMANDS)


def remove_leftovers(settings: Settings) -> None:
    """Temporary files of atomic writes that a killed run never renamed (uploads, caches)."""
    removed = remove_temporary_files(settings.data_dir)
    if settings.token_cache_dir.is_dir():
        removed += remove_temporary_files(settings.token_cache_dir, (".tokens-", ".document-"))
    if removed:
        logger.info("已删除上次意外停止留下的 %d 个临时文件", removed)


def run_bot(settings: Settings) -> None:
    """Run until SIGTERM / Ctrl-C: webhook mode when WEBHOOK_URL is set, else long polling.

    Stopping never waits long for a thread of ours: asyncio.run (and then the interpreter)
    would wait for every thread of the default executor, and one may still be building an
    index for seconds. Parses waiting on a worker are released by killing the worker (serve);
    what is still running THREAD_GRACE seconds later is abandoned: the process exits anyway,
    every file it writes being written atomically (a leftover temporary file is removed at
    the next start).
    """
    executor = ThreadPoolExecutor(thread_name_prefix=EXECUTOR_THREADS)

    async def main() -> None:
        asyncio.get_running_loop().set_default_executor(executor)
        await serve(settings)
        executor.shutdown(wait=False, cancel_futures=True)
        if not await runner.threads_ended(EXECUTOR_THREADS, THREAD_GRACE):
            logger.warning("停止时仍有后台任务（如建立索引）未完成：不再等待，直接退出")
            logging.shutdown()
            os._exit(0)

    asyncio.run(main())


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """The bot in production (bot/runner.py explains why not run_polling / run_webhook).

    Connects with retries, loads the documents, then polls or serves the webhook until stop
    is set (by SIGTERM or SIGINT unless a stop event is handed in), and drains.
    """
    application = build_application(settings, rate_limiter=production_rate_limiter())
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    logger.info("Bot API：%s，%s", settings.telegram_base_url, describe_proxy(settings))
    # No allow-list: say loudly that everyone is answered.
    logger.log(logging.INFO if settings.access_restricted else logging.WARNING, access.describe(settings))

    async def connect() -> None:
        await application.initialize()  # getMe: InvalidToken here means the token is wrong
        await post_init(application)  # documents (loaded once) and the command menu

    try:
        # Stopping while the documents load (a slow or hostile file) ends the start at once.
        connected = runner.with_retry(connect, stop, settings.telegram_base_url)
        if not await runner.unless_stopped(connected, stop):
            return
        await application.start()
        if settings.webhook_url:
            await _serve_webhook(application, settings, stop)
        else:
            await _serve_polling(application, settings, stop)
    finally:
        # Parses still running after the drain are abandoned: killing their workers releases
        # the threads waiting on them (and a start or /reload reading files stops reading).
        if stop_parsing():
            logger.info("已终止正在进行的文档解析")
        await pre_shutdown(application)
        if application.running:
            await application.stop()
        await application.shutdown()
        logger.info("已停止")


async def _serve_polling(application: Application, settings: Settings, stop: asyncio.Event) -> None:
    await runner.with_retry(lambda: application.bot.delete_webhook(), stop, settings.telegram_base_url)
    poller = runner.Poller(application, ALLOWED_UPDATES)
    logger.info("长轮询模式")
    unfinished = settings.state_dir / UNFINISHED_FILE
    await runner.resume_unfinished(application, unfinished)
    polling_task = asyncio.create_task(poller.run(stop))
    stopped = asyncio.create_task(stop.wait())
    await asyncio.wait({polling_task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if polling_task.done():
        polling_task.result()  # InvalidToken (token revoked while running) ends the bot
    logger.info("收到停止信号：不再获取新消息")
    polling_task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling_task
    runner.save_unfinished(unfinished, await runner.drain(application, settings.shutdown_timeout))
    await poller.confirm()


async def _serve_webhook(application: Application, settings: Settings, stop: asyncio.Event) -> None:
    assert settings.webhook_url is not None
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    holder = application.bot_data.holder
    server = runner.WebhookServer(application, urlsplit(settings.webhook_url).path, secret,
                                  health=lambda: {"documents": len(holder.documents)})
    server.listen(settings.webhook_listen, settings.webhook_port)
    logger.info("webhook 模式，监听 %s:%d（健康检查 GET %s）", settings.webhook_listen, server.port,
                runner.HEALTH_PATH)

    async def set_webhook() -> None:
        await application.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                          allowed_updates=ALLOWED_UPDATES, max_connections=CONCURRENT_UPDATES)

    try:
        if await runner.with_retry(set_webhook, stop, settings.telegram_base_url):
            await stop.wait()
        logger.info("收到停止信号：不再接收新消息")
        server.stop_accepting()
        await runner.drain(application, settings.shutdown_timeout)
    finally:
        await server.close()


@asynccontextmanager
async def polling(application: Application, poll_timeout: int = 5) -> AsyncIterator[Application]:
    """Run the bot inside an already running event loop (tests, benchmark) until the block exits.

    The same poller and drain as production (serve), minus signals and retries.
    """
    await application.initialize()
    await post_init(application)
    await application.start()
    stop = asyncio.Event()
    poller = runner.Poller(application, ALLOWED_UPDATES, poll_timeout=poll_timeout)
    polling_task = asyncio.create_task(poller.run(stop))
    try:
        yield application
    finally:
        stop.set()
        polling_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling_task
        await runner.drain(application, 5.0)
        await poller.confirm()
        await pre_shutdown(application)
        await application.stop()
        await application.shutdown()
