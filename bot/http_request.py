"""The bot's HTTP layer: python-telegram-bot's own HTTPXRequest, pointed at the right proxy.

Why HTTPXRequest and not a hand-written client: the office that runs the bot reaches
Telegram through a local proxy, often SOCKS5 only. httpx (with the `socks` extra) speaks
http://, https://, socks5:// and socks5h:// proxies, with credentials, and reads
HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY from the environment once, when the
client is built. The aiohttp layer this replaces spent half the CPU per answer, but at
the 30 questions/s Telegram lets a bot answer both meet the target with room to spare
(benchmarks/bench_bot.py; figures in the README), so the simpler, maintained path wins.

Which proxy: the PROXY setting when set (it wins over the environment, NO_PROXY
included), else what the environment says for the Bot API's scheme, else none.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Mapping
from urllib.parse import urlsplit

from telegram.request import HTTPXRequest

from bot.settings import Settings, mask_proxy


def build_request(settings: Settings, connections: int, *, read_timeout: float = 5.0) -> HTTPXRequest:
    """A pool of `connections` keep-alive connections to the Bot API, through the configured proxy.

    proxy=None leaves httpx's trust_env on, so the environment's proxy variables apply.
    """
    return HTTPXRequest(
        connection_pool_size=connections,
        read_timeout=read_timeout,
        write_timeout=5.0,
        connect_timeout=5.0,
        pool_timeout=1.0,
        media_write_timeout=60.0,  # admin uploads of up to MAX_UPLOAD_MB go the other way; this is ours
        proxy=settings.proxy_url,
    )


def describe_proxy(settings: Settings, environ: Mapping[str, str] | None = None) -> str:
    """One phrase for the start-up log: which proxy the Bot API requests go through, credentials masked."""
    if settings.proxy_url:
        return f"代理 {mask_proxy(settings.proxy_url)}（PROXY）"
    parts = urlsplit(settings.telegram_base_url)
    environ = os.environ if environ is None else environ
    proxies = {k.lower(): v for k, v in environ.items() if k.lower().endswith("_proxy") and v}
    no_proxy = proxies.get("no_proxy", "")
    if parts.hostname and no_proxy and _bypassed(parts.hostname, no_proxy):
        return "不使用代理（NO_PROXY）"
    for name in (f"{parts.scheme}_proxy", "all_proxy"):
        if proxies.get(name):
            return f"代理 {mask_proxy(proxies[name])}（环境变量 {name.upper()}）"
    return "不使用代理"


def _bypassed(host: str, no_proxy: str) -> bool:
    """Whether NO_PROXY exempts host (the rule urllib applies, as httpx does for plain host names)."""
    # In the standard library since Python 2, but missing from typeshed's stubs.
    return bool(urllib.request.proxy_bypass_environment(host, {"no": no_proxy}))  # type: ignore[attr-defined]
