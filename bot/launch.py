"""Entry points behind `speechbot run` and `speechbot start` (what `make run` calls).

Settings problems end here as one line on stderr and exit code 2 — never a traceback,
and never the token.
"""

from __future__ import annotations

import sys

from bot.logging_setup import redact, setup_logging
from bot.settings import Settings, SettingsError, load_settings

EXIT_SETTINGS = 2
NO_TOKEN = "设置错误：TELEGRAM_BOT_TOKEN 未设置（在 .env 中填写 BotFather 给出的令牌，见 .env.example）"


def _settings() -> Settings | None:
    try:
        return load_settings()
    except SettingsError as err:
        print(err, file=sys.stderr)
        return None


def run() -> int:
    """Start the Telegram bot; a missing token is a settings error."""
    settings = _settings()
    if settings is None:
        return EXIT_SETTINGS
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_SETTINGS
    setup_logging(settings.log_level, settings.log_format)
    # Imported late: the console chat does not need telegram.
    from telegram.error import InvalidToken, NetworkError

    from bot.app import run_bot

    try:
        run_bot(settings)
    except InvalidToken:
        print("设置错误：TELEGRAM_BOT_TOKEN 被 Telegram 拒绝（令牌无效或已被撤销）", file=sys.stderr)
        return EXIT_SETTINGS
    except NetworkError as err:  # start-up retries network trouble; what is left is e.g. a BadRequest
        reason = redact(str(err))
        print(f"无法连接 Telegram Bot API（{settings.telegram_base_url}）：{reason}", file=sys.stderr)
        return 1
    return 0


def start() -> int:
    """The Telegram bot when a token is configured, otherwise the console chat."""
    settings = _settings()
    if settings is None:
        return EXIT_SETTINGS
    if settings.token:
        return run()
    from bot.stats import STATS_FILE, UsageLog
    from cli.console import chat

    usage = UsageLog(settings.state_dir / STATS_FILE, settings.log_questions)
    return chat(settings.data_dir, settings.top_k, usage)
