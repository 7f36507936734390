"""Build the python-telegram-bot Application and run it (long polling or webhook).

build_application() is shared by production (run_bot), the tests and the benchmark;
they differ only in the settings (which Bot API server), the rate limiter and whether
a library is handed in ready-made.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter

from bot import admin, commitments_handlers, handlers
from bot.context import CONTEXT_TYPES, BotData
from bot.documents import Librarian
from bot.http_request import AiohttpRequest
from bot.settings import Settings
from bot.state import LibraryHolder
from bot.stats import STATS_FILE, UsageLog
from retrieval.library import load_library
from retrieval.store import DocumentStore

logger = logging.getLogger(__name__)


ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]

# Updates handled at once (python-telegram-bot's default is 256). Updates beyond it wait
# in the update queue. An update has at most one Bot API request in flight (typing, then
# the answer), so with as many connections no request ever waits for one, and a slow Bot
# API cannot make a request fail on the pool timeout. Requests held back by the rate
# limiter hold no connection but do hold their update's slot: a group over its 20
# messages/min waits ~3 s per answer while other chats go on in the other slots.
CONCURRENT_UPDATES = 32
CONNECTIONS = CONCURRENT_UPDATES


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
        .concurrent_updates(CONCURRENT_UPDATES)
        .request(AiohttpRequest(CONNECTIONS))
        .get_updates_request(AiohttpRequest(1))
        .post_init(post_init)
        .context_types(CONTEXT_TYPES)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application = builder.build()
    holder = holder or LibraryHolder()
    data: BotData = application.bot_data
    data.configure(settings, holder, UsageLog(settings.state_dir / STATS_FILE, settings.log_questions),
                   Librarian(holder, DocumentStore(settings.data_dir), settings.token_cache_dir))
    # Admin handlers first: uploads and admin buttons before the catch-alls of the question handlers.
    application.add_handler(handlers.NoDataButton(handlers.on_stale))
    admin.register(application)
    commitments_handlers.register(application)
    handlers.register(application)
    return application


async def post_init(application: Application) -> None:
    """Load the documents (in a thread: parsing takes a while) and register the command menu."""
    data: BotData = application.bot_data
    holder = data.holder
    if holder.library is None:
        settings = data.settings
        library, errors = await asyncio.to_thread(load_library, settings.data_dir, settings.token_cache_dir)
        for error in errors:
            logger.warning("跳过文档 %s", error)
        holder.swap(library)
        logger.info("已载入 %d 份文档", len(library.documents))
    await handlers.set_commands(application)
    await admin.set_admin_commands(application, handlers.PRIVATE_COMMANDS)


def run_bot(settings: Settings) -> None:
    """Run until Ctrl-C / SIGTERM: webhook mode when WEBHOOK_URL is set, else long polling."""
    application = build_application(settings, rate_limiter=production_rate_limiter())
    if settings.webhook_url:
        logger.info("webhook 模式，监听 %s:%d", settings.webhook_listen, settings.webhook_port)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        logger.info("长轮询模式")
        application.run_polling(allowed_updates=ALLOWED_UPDATES)



@asynccontextmanager
async def polling(application: Application, poll_timeout: int = 5) -> AsyncIterator[Application]:
    """Run the bot inside an already running event loop (tests, benchmark) until the block exits.

    run_polling() owns the loop and the signals, so it cannot be used there; this does
    the same steps by hand — including post_init, which only run_polling calls itself.
    """
    updater = application.updater
    assert updater is not None  # built by ApplicationBuilder unless told otherwise
    await application.initialize()
    await post_init(application)
    await updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
    )
    await application.start()
    try:
        yield application
    finally:
        await updater.stop()
        await application.stop()
        await application.shutdown()
