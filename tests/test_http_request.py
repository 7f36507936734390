"""AiohttpRequest, the bot's HTTP layer, against small local servers: what goes over the wire,
and how failures reach python-telegram-bot (as its TimedOut / NetworkError / BadRequest…).

The bot tests (test_bot_*.py) use it too, against the stand-in Bot API; these cover what
the stand-in does not: uploads, timeouts, refused connections, proxies.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # how Bot methods build RequestData

from bot.http_request import AiohttpRequest, _proxy_for


class Recorder:
    """A tiny Bot API: /bot<token>/<method> records the request and answers by the method name."""

    def __init__(self) -> None:
        self.requests: list[dict] = []

    async def handle(self, request: web.Request) -> web.Response:
        form = await request.post()
        fields = {k: v if isinstance(v, str) else (v.filename, v.file.read(), v.content_type)
                  for k, v in form.items()}
        self.requests.append({"method": request.match_info["method"], "headers": dict(request.headers),
                              "fields": fields})
        match request.match_info["method"]:
            case "slow":
                await asyncio.sleep(2)
            case "refuse":
                return web.json_response({"ok": False, "error_code": 400,
                                          "description": "Bad Request: chat not found"}, status=400)
            case "flood":
                return web.json_response({"ok": False, "error_code": 429, "description": "Too Many Requests",
                                          "parameters": {"retry_after": 7}}, status=429)
        return web.json_response({"ok": True, "result": {"echo": True}})

    async def file(self, request: web.Request) -> web.Response:
        return web.Response(body=b"\xe6\x96\x87\xe4\xbb\xb6 content")


@pytest.fixture
async def server() -> AsyncIterator[tuple[TestServer, Recorder]]:
    recorder = Recorder()
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", recorder.handle)
    app.router.add_get("/file/bot{token}/{path:.+}", recorder.file)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    yield test_server, recorder
    await test_server.close()


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    _proxy_for.cache_clear()
    request = AiohttpRequest(4, read_timeout=0.5)
    await request.initialize()
    yield request
    await request.shutdown()
    _proxy_for.cache_clear()


def url(server: TestServer, method: str) -> str:
    return f"http://127.0.0.1:{server.port}/bot123:secret/{method}"


async def test_parameters_are_form_fields_with_json_values(server, request_) -> None:
    test_server, recorder = server
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("下一条 ▶", callback_data="p:1")]])
    data = RequestData([RequestParameter.from_input("chat_id", 42),
                        RequestParameter.from_input("text", "<b>问</b> & 答"),
                        RequestParameter.from_input("reply_markup", markup)])
    result = await request_.post(url(test_server, "sendMessage"), data)
    assert result == {"echo": True}
    sent = recorder.requests[0]
    assert sent["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert "python-telegram-bot" in sent["headers"]["User-Agent"]
    assert sent["fields"]["chat_id"] == "42"
    assert sent["fields"]["text"] == "<b>问</b> & 答"
    assert json.loads(sent["fields"]["reply_markup"]) == markup.to_dict()


async def test_an_upload_is_multipart(server, request_) -> None:
    test_server, recorder = server
    data = RequestData([RequestParameter.from_input("chat_id", 42),
                        RequestParameter.from_input("document", InputFile(b"hello", filename="a.txt"))])
    await request_.post(url(test_server, "sendDocument"), data)
    sent = recorder.requests[0]
    assert sent["headers"]["Content-Type"].startswith("multipart/form-data")
    assert sent["fields"]["chat_id"] == "42"
    assert [f for f in sent["fields"].values() if isinstance(f, tuple)] == [("a.txt", b"hello", "text/plain")]


async def test_download_returns_the_bytes(server, request_) -> None:
    test_server, _ = server
    body = await request_.retrieve(f"http://127.0.0.1:{test_server.port}/file/bot123:secret/documents/x")
    assert body == "文件 content".encode()


async def test_bot_api_errors_become_telegram_errors(server, request_) -> None:
    test_server, _ = server
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await request_.post(url(test_server, "refuse"))
    with pytest.raises(RetryAfter) as flood:
        await request_.post(url(test_server, "flood"))
    assert flood.value.retry_after == 7


async def test_a_slow_answer_is_timed_out(server, request_) -> None:
    test_server, _ = server
    with pytest.raises(TimedOut):
        await request_.post(url(test_server, "slow"))
    # the read timeout can be raised per request, as get_updates does for long polling
    assert await request_.post(url(test_server, "getMe"), read_timeout=5) == {"echo": True}


async def test_waiting_too_long_for_a_connection_is_timed_out(server) -> None:
    test_server, recorder = server
    request = AiohttpRequest(1, pool_timeout=0.1, connect_timeout=0.1)
    await request.initialize()
    try:
        slow = asyncio.create_task(request.post(url(test_server, "slow"), read_timeout=5))
        await asyncio.sleep(0.1)  # the slow request holds the only connection
        with pytest.raises(TimedOut, match="not sent"):
            await request.post(url(test_server, "getMe"))
        assert [r["method"] for r in recorder.requests] == ["slow"]
        assert await slow == {"echo": True}
    finally:
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error(request_) -> None:
    listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    listener.close()
    await listener.wait_closed()
    with pytest.raises(NetworkError, match="aiohttp"):
        await request_.post(f"http://127.0.0.1:{port}/bot123:secret/getMe")


async def test_not_initialized_is_a_clear_error() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="initialize"):
        await request.do_request("http://127.0.0.1:1/x", "GET")
    await request.initialize()
    await request.shutdown()
    await request.shutdown()  # twice is harmless, as python-telegram-bot may do on stop
    await request.initialize()  # and it can start again
    await request.shutdown()


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[int, list[bytes]]]:
    """A plain HTTP proxy that answers every request itself and records its request line."""
    lines: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        lines.append(await reader.readline())
        body = b'{"ok": true, "result": "via proxy"}'
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(serve, "127.0.0.1", 0)
    yield listener.sockets[0].getsockname()[1], lines
    listener.close()
    await listener.wait_closed()


async def test_the_proxy_comes_from_the_environment(server, proxy, monkeypatch) -> None:
    test_server, recorder = server
    proxy_port, lines = proxy
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    _proxy_for.cache_clear()
    request = AiohttpRequest()
    await request.initialize()
    try:
        assert await request.post(url(test_server, "getMe")) == "via proxy"
        assert lines[0].startswith(f"POST {url(test_server, 'getMe')} HTTP/1.1".encode())
        assert not recorder.requests

        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        _proxy_for.cache_clear()
        assert await request.post(url(test_server, "getMe")) == {"echo": True}
        assert len(lines) == 1 and len(recorder.requests) == 1
    finally:
        await request.shutdown()
        _proxy_for.cache_clear()
