"""Build the python-telegram-bot Application and run it (long polling or webhook).

build_application() is shared by production (run_bot), the tests and the benchmark;
they differ only in the settings (which Bot API server), the rate limiter and whether
a library is handed in ready-made.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter

from bot import admin, handlers
from bot.settings import Settings
from bot.state import LibraryHolder
from retrieval.library import load_library

logger = logging.getLogger(__name__)

def _skip_sniffio_probe() -> None:
    """Make httpcore's per-request `import sniffio` instant when sniffio is not installed.

    httpcore tries that import on every request to detect trio; a failing import scans
    sys.path each time (about 0.3 ms, a third of the bot's CPU per answer). Recording the
    absence once in sys.modules makes it fail immediately. (Installing sniffio also works.)
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_skip_sniffio_probe()

ALLOWED_UPDATES = ["message", "callback_query", "inline_query"]
SETTINGS = "settings"  # bot_data key

# Updates handled at once, and HTTP connections to the Bot API. python-telegram-bot's
# defaults (256 of each) cost CPU, not just memory: on every request httpcore's pool
# checks each idle connection for expiry (a socket readability probe each), so once a
# burst has opened a few hundred connections that bookkeeping alone is ~20% of the bot's
# CPU (benchmarks/bench_bot.py). An answer is two short requests in a row, so a few
# connections per concurrent update suffice; updates beyond CONCURRENT_UPDATES wait in
# the update queue, and requests held back by the rate limiter hold no connection (but
# their updates do hold a slot: a group over its 20 messages/min waits ~3 s per answer,
# hence twice as many slots as connections).
CONCURRENT_UPDATES = 32
CONNECTIONS = 16


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
        .connection_pool_size(CONNECTIONS)
        .post_init(post_init)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    application = builder.build()
    application.bot_data[handlers.HOLDER] = holder or LibraryHolder()
    application.bot_data[handlers.TOP_K] = settings.top_k
    application.bot_data[SETTINGS] = settings
    admin.configure(application, settings, application.bot_data[handlers.HOLDER])
    handlers.register(application)
    return application


async def post_init(application: Application) -> None:
    """Load the documents (in a thread: parsing takes a while) and register the command menu."""
    holder: LibraryHolder = application.bot_data[handlers.HOLDER]
    if holder.library is None:
        settings: Settings = application.bot_data[SETTINGS]
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
    await application.initialize()
    await post_init(application)
    await application.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
    )
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
