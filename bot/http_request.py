"""python-telegram-bot's HTTP layer on aiohttp instead of httpx.

Why: an answer is two Bot API requests (typing, then the message), and through httpx
they cost more CPU than finding the answer: httpcore's pool walks every connection on
every request and probes each idle one's socket, and that bookkeeping grows with the
requests waiting for a connection. aiohttp keeps idle connections in a queue and parses
HTTP in C. On benchmarks/bench_bot.py the bot's CPU per answer fell from ~5 ms to ~2.5 ms
(figures in the README).

It behaves as python-telegram-bot's own HTTPXRequest does:
- parameters are sent form-encoded with JSON values, multipart when a file is uploaded;
- TLS is checked against certifi's CA bundle, as httpx does;
- a proxy comes from the environment (HTTPS_PROXY, NO_PROXY…), looked up once per host:
  aiohttp's own trust_env would read it, and ~/.netrc, on every request in a thread,
  which costs more than the request itself;
- a timeout becomes telegram.error.TimedOut, any other transport failure NetworkError;
  the Bot API's own answers (4xx, 5xx, 429) are BaseRequest's to handle.
aiohttp has no write timeout: a request has the connect and read timeouts, and an
upload is bounded as a whole by media_total_timeout.
"""

from __future__ import annotations

import ssl
import urllib.request
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput


class AiohttpRequest(BaseRequest):
    """Up to `connection_pool_size` keep-alive connections to the Bot API; timeouts in seconds."""

    __slots__ = ("_connect_timeout", "_media_total_timeout", "_pool_size", "_pool_timeout", "_read_timeout",
                 "_session")

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_total_timeout: float | None = 60.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_total_timeout = media_total_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout; get_updates adds its long-polling time to it."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session: it belongs to the running event loop, so not in __init__."""
        if self._session is None or self._session.closed:
            tls = ssl.create_default_context(cafile=certifi.where())
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=tls),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One HTTP request; the status code and body come back whatever the status."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized: call initialize() first")
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        has_files = request_data is not None and request_data.contains_files
        timeout = aiohttp.ClientTimeout(
            total=self._media_total_timeout if has_files else None,
            connect=None if pool is None or connect is None else pool + connect,  # a free connection
            sock_connect=connect,
            sock_read=_given(read_timeout, self._read_timeout),
        )
        try:
            parts = urlsplit(url)
            proxy = _proxy_for(parts.scheme, parts.hostname)
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout, proxy=proxy
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's timeouts all derive from it
            if isinstance(err, aiohttp.ConnectionTimeoutError):
                raise TimedOut("Pool or connect timeout: the request was not sent to Telegram") from err
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """The timeout passed for this request, else the default (DEFAULT_NONE means "not passed")."""
    return default if value is BaseRequest.DEFAULT_NONE else value  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _proxy_for(scheme: str, host: str | None) -> str | None:
    """The proxy the environment sets for this scheme, unless NO_PROXY exempts the host."""
    if host and urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(scheme)


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields as python-telegram-bot encodes them (JSON values); multipart with files."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
