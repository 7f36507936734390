"""`speechbot check`: is this installation ready to run? One line per check, exit 0 or 1.

Why: a newcomer (or Docker's HEALTHCHECK, or a systemd ExecStartPre) needs one command
that says what is wrong in words — settings, documents, the road to Telegram (proxy
included) — before or while the bot runs. It changes nothing: it only reads the
documents and calls getMe.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.logging_setup import redact
from bot.settings import Settings, SettingsError, load_settings

OK, FAIL = "✓", "✗"
GET_ME_TIMEOUT = 20.0  # seconds, proxy and retries of a slow connection included


def check_settings(out: TextIO) -> Settings | None:
    try:
        settings = load_settings()
    except SettingsError as err:
        print(f"{FAIL} 设置：{err}", file=out)
        return None
    if not settings.token:
        print(f"{FAIL} 设置：TELEGRAM_BOT_TOKEN 未设置（在 .env 中填写 BotFather 给出的令牌）", file=out)
        return None
    print(f"{OK} 设置：有效（DATA_DIR={settings.data_dir}，STATE_DIR={settings.state_dir}）", file=out)
    return settings


def check_documents(settings: Settings, out: TextIO) -> bool:
    from retrieval.library import load_library

    folder = settings.data_dir
    if not folder.is_dir():
        print(f"{FAIL} 文档：找不到文档目录 {folder.resolve()}", file=out)
        return False
    library, errors = load_library(folder, settings.token_cache_dir, settings.parse_limits)
    skipped = f"，跳过 {len(errors)} 个无法读取的文件" if errors else ""
    if not library.documents:
        print(f"{FAIL} 文档：{folder.resolve()} 中没有可用的文档（.txt .md .docx .pdf）{skipped}", file=out)
        return False
    print(f"{OK} 文档：{len(library.documents)} 份{skipped}", file=out)
    return True


async def _get_me(settings: Settings) -> str:
    from telegram import Bot

    from bot.http_request import build_request

    bot = Bot(settings.token or "", base_url=settings.telegram_base_url,
              base_file_url=settings.telegram_base_file_url, request=build_request(settings, 1))
    async with bot:  # initialize() calls getMe
        return bot.username


def check_telegram(settings: Settings, out: TextIO) -> bool:
    from telegram.error import InvalidToken, TelegramError

    from bot.http_request import describe_proxy

    road = describe_proxy(settings)
    try:
        username = asyncio.run(asyncio.wait_for(_get_me(settings), GET_ME_TIMEOUT))
    except InvalidToken:
        print(f"{FAIL} Telegram：令牌被拒绝（无效或已被撤销，请在 @BotFather 重新获取）", file=out)
        return False
    except (TelegramError, TimeoutError, OSError) as err:
        shown = redact(f"{type(err).__name__}: {err}").replace("\n", " ")
        print(f"{FAIL} Telegram：无法连接 {settings.telegram_base_url}（{road}）：{shown}", file=out)
        return False
    print(f"{OK} Telegram：@{username}（{road}）", file=out)
    return True


def main(out: TextIO | None = None) -> int:
    """Run every check that can run; 0 if all passed, 1 otherwise."""
    out = out or sys.stdout
    settings = check_settings(out)
    if settings is None:
        return 1
    documents = check_documents(settings, out)
    telegram = check_telegram(settings, out)
    return 0 if documents and telegram else 1
