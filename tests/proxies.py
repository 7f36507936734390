"""Tiny in-process proxies (HTTP forward/CONNECT and SOCKS5) for the proxy tests.

They run on the test's own asyncio loop — no external programs — relay to the real
target (the stand-in Bot API) and record what went through them, so a test can assert
that the bot's requests took the proxy and not the direct road. Both can require
credentials, as office proxies often do.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import re
import struct
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_REQUEST_LINE = re.compile(rb"(GET|POST|PUT|HEAD) (\S+) HTTP/1\.[01]\r\n")


@dataclass
class Seen:
    """What one proxy relayed: request targets (HTTP) or addresses (SOCKS), and credentials offered."""

    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of relayed requests
    targets: list[tuple[str, int]] = field(default_factory=list)  # (host, port) connected to
    credentials: list[tuple[str, str]] = field(default_factory=list)
    refused: int = 0  # connections refused for missing or wrong credentials

    @property
    def methods(self) -> set[str]:
        """Bot API methods seen (the last path segment of /bot<token>/<method>), plus 'file' downloads."""
        return {"file" if path.startswith("/file/") else path.rsplit("/", 1)[-1] for _, path in self.requests}


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                sniff: Seen | None = None) -> None:
    """Copy reader to writer until EOF; with sniff, note the HTTP request lines passing by."""
    try:
        while data := await reader.read(65536):
            if sniff is not None:
                sniff.requests += [(m.decode(), p.decode()) for m, p in _REQUEST_LINE.findall(data)]
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _relay(client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                 target: tuple[asyncio.StreamReader, asyncio.StreamWriter], sniff: Seen | None) -> None:
    await asyncio.gather(_pipe(client[0], target[1], sniff), _pipe(target[0], client[1]))


class _Proxy:
    def __init__(self, auth: tuple[str, str] | None = None) -> None:
        self.auth = auth
        self.seen = Seen()
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> _Proxy:
        self._server = await asyncio.start_server(self._track, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _track(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self.serve(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    def url(self, scheme: str) -> str:
        user = f"{self.auth[0]}:{self.auth[1]}@" if self.auth else ""
        return f"{scheme}://{user}127.0.0.1:{self.port}"


class HttpProxy(_Proxy):
    """An HTTP proxy: absolute-form requests are forwarded one by one; CONNECT opens a tunnel."""

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
            method, target, _ = request_line.split(" ", 2)
            headers = dict(line.split(": ", 1) for line in header_lines)
            offered = headers.get("Proxy-Authorization", "")
            if offered.startswith("Basic "):
                user, _, password = base64.b64decode(offered[6:]).decode().partition(":")
                self.seen.credentials.append((user, password))
            if self.auth and offered != "Basic " + base64.b64encode(":".join(self.auth).encode()).decode():
                self.seen.refused += 1
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n"
                             b"Proxy-Authenticate: Basic\r\nConnection: close\r\n\r\n")
                await writer.drain()
                return
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                self.seen.targets.append((host, int(port)))
                upstream = await asyncio.open_connection(host, int(port))
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
                await _relay((reader, writer), upstream, self.seen)
                return
            url = urlsplit(target)
            self.seen.targets.append((url.hostname or "", url.port or 80))
            self.seen.requests.append((method, url.path))
            body = await reader.readexactly(int(headers.get("Content-Length", "0")))
            kept = [f"{k}: {v}" for k, v in headers.items()
                    if not k.lower().startswith("proxy-") and k.lower() not in ("connection", "keep-alive")]
            origin = url.path + (f"?{url.query}" if url.query else "")
            up_reader, up_writer = await asyncio.open_connection(url.hostname, url.port or 80)
            lines = [f"{method} {origin} HTTP/1.1", *kept, "Connection: close", "", ""]
            up_writer.write("\r\n".join(lines).encode("latin-1") + body)
            await up_writer.drain()
            response = await up_reader.read()  # the target closes after one response
            up_writer.close()
            writer.write(response)
            await writer.drain()


class Socks5Proxy(_Proxy):
    """A SOCKS5 proxy (RFC 1928, CONNECT only) with optional user/password auth (RFC 1929)."""

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        assert version == 5
        if self.auth:
            if 2 not in methods:
                writer.write(b"\x05\xff")
                self.seen.refused += 1
                return
            writer.write(b"\x05\x02")
            await reader.readexactly(1)
            user = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
            password = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
            self.seen.credentials.append((user, password))
            if (user, password) != self.auth:
                writer.write(b"\x01\x01")
                self.seen.refused += 1
                return
            writer.write(b"\x01\x00")
        else:
            writer.write(b"\x05\x00")
        _, command, _, kind = await reader.readexactly(4)
        if kind == 1:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif kind == 3:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        else:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        assert command == 1, "CONNECT only"
        self.seen.targets.append((host, port))
        upstream = await asyncio.open_connection(host, port)
        writer.write(b"\x05\x00\x00\x01" + bytes(6))
        await writer.drain()
        await _relay((reader, writer), upstream, self.seen)
