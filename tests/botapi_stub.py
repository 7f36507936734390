"""A stand-in Telegram Bot API server on 127.0.0.1, for driving the real bot over HTTP.

The bot under test talks to it exactly as to api.telegram.org (through
TELEGRAM_BASE_URL / TELEGRAM_BASE_FILE_URL). The stub

- queues updates the test injects and hands them out through long-polling getUpdates;
- records every request (method + decoded parameters) for assertions;
- rejects what Telegram rejects: malformed or unsupported HTML, text over 4096
  characters after entity parsing (UTF-16 code units), callback data over 64 bytes,
  answering a callback query twice — rejected calls are kept in `rejected`;
- can be told to answer the next call of a method with 429 (retry_after) or 500.

It runs on the caller's asyncio loop (tornado), so tests simply `await stub.start()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

TOKEN = "123456:TEST-fake-token-AAAAAAAAAAAAAAAAAAAA"  # the shape BotFather gives (35+ after ":")
BOT_ID = 123456
BOT_USERNAME = "speech_test_bot"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64

# Parameters that arrive JSON-encoded (python-telegram-bot form-encodes them as JSON strings).
_JSON_PARAMS = {
    "reply_markup",
    "commands",
    "scope",
    "results",
    "reply_parameters",
    "allowed_updates",
    "link_preview_options",
    "entities",
    "button",
}
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "user_id"}

# Telegram's HTML: allowed tags and their allowed attributes.
_ALLOWED_TAGS = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "span": {"class"},
    "tg-spoiler": set(),
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
    "tg-emoji": {"emoji-id"},
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_PIECE = re.compile(r"<[^<>]*>|&#\d+;|&#x[0-9a-fA-F]+;|&[a-zA-Z]+;|[^<&]+|[<&]")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"]*\"|='[^']*')?)*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:=\"([^\"]*)\"|='([^']*)')?")


class TelegramReject(Exception):
    """A request Telegram would refuse: becomes a 400 Bad Request."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The visible text of an HTML-mode message, or TelegramReject as Telegram would raise it."""
    out, stack = [], []
    for match in _PIECE.finditer(text):
        piece = match.group()
        if piece in ("<", "&") or (piece[0] not in "<&" and ">" in piece):
            raise TelegramReject(f"can't parse entities: unescaped {piece!r} at byte offset {match.start()}")
        if piece.startswith("&"):
            name = piece[1:-1]
            if name.startswith("#"):
                out.append(chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:])))
            elif name in _NAMED_ENTITIES:
                out.append(_NAMED_ENTITIES[name])
            else:
                raise TelegramReject(f"can't parse entities: unsupported entity {piece!r}")
        elif piece.startswith("<"):
            tag = _TAG.fullmatch(piece)
            if not tag:
                raise TelegramReject(f"can't parse entities: malformed tag {piece!r}")
            closing, name, attrs = tag.group(1), tag.group(2).lower(), tag.group(3)
            if name not in _ALLOWED_TAGS:
                raise TelegramReject(f'can\'t parse entities: unsupported start tag "{name}"')
            if closing:
                if not stack or stack[-1] != name:
                    raise TelegramReject(f'can\'t parse entities: unexpected end tag "{name}"')
                stack.pop()
                continue
            found = {m.group(1).lower(): m.group(2) or m.group(3) or "" for m in _ATTR.finditer(attrs)}
            if set(found) - _ALLOWED_TAGS[name]:
                raise TelegramReject(f"can't parse entities: unsupported attribute in <{name}>")
            if name == "span" and found.get("class") != "tg-spoiler":
                raise TelegramReject("can't parse entities: span without class tg-spoiler")
            if name == "blockquote" and "blockquote" in stack:
                raise TelegramReject("can't parse entities: nested blockquote")
            stack.append(name)
        else:
            out.append(piece)
    if stack:
        raise TelegramReject(
            f"can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


def check_text(text: Any, parse_mode: str | None) -> str:
    """Validate message text as sendMessage/editMessageText do; return the visible text."""
    if not isinstance(text, str) or not text.strip():
        raise TelegramReject("message text is empty")
    visible = parse_html(text) if (parse_mode or "").upper() == "HTML" else text
    if not visible.strip():
        raise TelegramReject("message text is empty")
    if utf16_len(visible) > MAX_TEXT:
        raise TelegramReject("message is too long")
    return visible


def check_markup(markup: Any) -> None:
    """Inline keyboards: every button has text and callback_data of 1–64 bytes (or a url)."""
    if markup is None:
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise TelegramReject("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise TelegramReject("BUTTON_DATA_INVALID")


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    error: str | None = None  # set when the stub answered with an error


def _entities(text: str) -> list[dict]:
    """bot_command and mention entities, with offsets in UTF-16 code units like Telegram."""
    found = []
    for match in re.finditer(r"(?<!\w)/[a-zA-Z0-9_]+(?:@\w+)?|@\w+", text):
        kind = "bot_command" if match.group().startswith("/") else "mention"
        if kind == "bot_command" and match.start() != 0:
            continue
        offset = utf16_len(text[: match.start()])
        found.append({"type": kind, "offset": offset, "length": utf16_len(match.group())})
    return found


class BotApiStub:
    """The stand-in server. Tests push updates and inspect `calls`."""

    def __init__(self, token: str = TOKEN, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.username = username
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self.pushed_at: dict[int, float] = {}  # update_id -> when the test pushed it
        self._updates: list[dict] = []
        self._failures: dict[str, list[tuple[int, int]]] = {}
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._open_queries: set[str] = set()
        self._changed = asyncio.Condition()
        self._server: tornado.httpserver.HTTPServer | None = None
        self._closing = False
        self.listeners: list[Callable[[Call], None]] = []  # called with every successful call
        self.members: dict[int, dict[int, str]] = {}  # getChatMember: chat id -> {user id: status}
        self.delays: dict[str, float] = {}  # method -> seconds to wait before answering (a slow Bot API)
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------

    async def start(self, port: int = 0) -> BotApiStub:
        """Listen on 127.0.0.1 at port (0: any free one)."""
        routes = [
            (r"/bot([^/]+)/(\w+)", _MethodHandler, {"stub": self}),
            (r"/file/bot([^/]+)/(.+)", _FileHandler, {"stub": self}),
        ]
        self._server = tornado.httpserver.HTTPServer(tornado.web.Application(routes))
        sockets = tornado.netutil.bind_sockets(port, "127.0.0.1")
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._closing = True  # release long polls still waiting
        async with self._changed:
            self._changed.notify_all()
        if self._server:
            self._server.stop()
            await self._server.close_all_connections()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- what tests do -----------------------------------------------------------------

    def fail_next(self, method: str, status: int = 500, retry_after: int = 1) -> None:
        """Answer the next call of method with 429 (retry_after seconds) or another error status."""
        self._failures.setdefault(method, []).append((status, retry_after))

    def add_file(self, file_id: str, content: bytes) -> None:
        self.files[file_id] = content

    def push(self, update: dict) -> dict:
        """Queue an update (given without update_id) for the next getUpdates."""
        update = {"update_id": next(self._ids), **update}
        self._updates.append(update)
        self.pushed_at[update["update_id"]] = time.monotonic()
        self._notify()
        return update

    def user(self, user_id: int = 42) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}"}

    def chat(self, kind: str = "private", chat_id: int | None = None, user_id: int = 42) -> dict:
        if kind == "private":
            return {"id": chat_id or user_id, "type": "private", "first_name": f"用户{user_id}"}
        return {"id": chat_id or -1001234567890, "type": kind, "title": "区政府工作群"}

    def message(
        self,
        text: str | None = None,
        *,
        chat: str = "private",
        user_id: int = 42,
        reply_to: dict | None = None,
        **extra: Any,
    ) -> dict:
        """A message update from a user; commands and @mentions get their entities."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat, user_id=user_id),
            "from": self.user(user_id),
            **extra,
        }
        if text is not None:
            message["text"] = text
            entities = _entities(text)
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self.push({"message": message})

    def sticker(self, *, chat: str = "private", user_id: int = 42) -> dict:
        sticker = {
            "file_id": "CAAC-sticker",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😀",
        }
        return self.message(None, chat=chat, user_id=user_id, sticker=sticker)

    def callback(self, data: str, message: dict | None, user_id: int = 42) -> dict:
        """A button tap on one of the bot's messages (as returned by sendMessage)."""
        query_id = f"cb{next(self._ids)}"
        self._open_queries.add(query_id)
        query = {"id": query_id, "from": self.user(user_id), "chat_instance": "ci1", "data": data}
        if message is not None:
            query["message"] = message
        return self.push({"callback_query": query})

    def inline(self, query: str, user_id: int = 42) -> dict:
        query_id = f"iq{next(self._ids)}"
        self._open_queries.add(query_id)
        return self.push(
            {"inline_query": {"id": query_id, "from": self.user(user_id), "query": query, "offset": ""}}
        )

    @property
    def pending(self) -> list[int]:
        """Ids of the updates not confirmed yet (getUpdates offset): what a restarted bot would get."""
        return [u["update_id"] for u in self._updates]

    def of(self, method: str, since: int = 0) -> list[Call]:
        """Successful calls of method, from index `since` of `calls` on."""
        return [c for c in self.calls[since:] if c.method == method and c.error is None]

    @property
    def rejected(self) -> list[Call]:
        """Calls refused for a reason Telegram would refuse them (not injected failures)."""
        return [c for c in self.calls if c.error and not c.error.startswith("injected")]

    async def wait_for(
        self, method: str, count: int = 1, since: int = 0, timeout: float = 10.0
    ) -> list[Call]:
        """Wait until at least `count` successful calls of method happened after index `since`."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: len(self.of(method, since)) >= count), timeout
                )
            except TimeoutError:
                raise AssertionError(
                    f"waited {timeout}s for {count}× {method}; got {[c.method for c in self.calls[since:]]}"
                ) from None
        return self.of(method, since)

    def _notify(self) -> None:
        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    # -- the Bot API ---------------------------------------------------------------------

    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict]:
        call = Call(method, params)
        self.calls.append(call)
        if method in self.delays:
            self._notify()  # wait_for sees a slow call arrive, not only once it is answered
            await asyncio.sleep(self.delays[method])
        try:
            failure = self._failures.get(method)
            if failure:
                status, retry_after = failure.pop(0)
                call.error = f"injected {status}"
                if status == 429:
                    return 429, {
                        "ok": False,
                        "error_code": 429,
                        "parameters": {"retry_after": retry_after},
                        "description": f"Too Many Requests: retry after {retry_after}",
                    }
                return status, {"ok": False, "error_code": status, "description": "Internal Server Error"}
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                call.error = "not found"
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            try:
                result = await handler(params)
            except TelegramReject as reject:
                call.error = str(reject)
                return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {reject}"}
            for listener in self.listeners:
                listener(call)
            return 200, {"ok": True, "result": result}
        finally:
            self._notify()

    async def _api_getMe(self, params: dict) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "讲话稿助手",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def _api_deleteWebhook(self, params: dict) -> bool:
        return True

    async def _api_setWebhook(self, params: dict) -> bool:
        return True

    async def _api_getUpdates(self, params: dict) -> list[dict]:
        offset = params.get("offset") or 0
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = min(float(params.get("timeout") or 0), 5.0)
        if not self._updates and timeout:
            async with self._changed:
                with_timeout = self._changed.wait_for(lambda: bool(self._updates) or self._closing)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(with_timeout, timeout)
        return self._updates[: params.get("limit") or 100]

    def _sent(self, params: dict, text: str, message_id: int | None = None) -> dict:
        chat_id = params["chat_id"]
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "区政府工作群"}
        message = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "讲话稿助手", "username": self.username},
            "text": text,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_sendMessage(self, params: dict) -> dict:
        visible = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        return self._sent(params, visible)

    async def _api_editMessageText(self, params: dict) -> dict | bool:
        visible = check_text(params.get("text"), params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            return True
        return self._sent(params, visible, params["message_id"])

    async def _api_answerCallbackQuery(self, params: dict) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_queries:
            raise TelegramReject("query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text") or "") > 200:
            raise TelegramReject("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        return True

    async def _api_answerInlineQuery(self, params: dict) -> bool:
        query_id = params.get("inline_query_id")
        if query_id not in self._open_queries:
            raise TelegramReject("query is too old and response timeout expired or query ID is invalid")
        results = params.get("results") or []
        if len(results) > 50:
            raise TelegramReject("RESULTS_TOO_MUCH")
        for result in results:
            if not result.get("title") or not 1 <= len(str(result.get("id", "")).encode()) <= 64:
                raise TelegramReject("RESULT_ID_INVALID")
            content = result.get("input_message_content") or {}
            check_text(content.get("message_text"), content.get("parse_mode"))
            check_markup(result.get("reply_markup"))
        self._open_queries.discard(query_id)
        return True

    async def _api_sendChatAction(self, params: dict) -> bool:
        if params.get("action") not in {"typing", "upload_document", "upload_photo"}:
            raise TelegramReject("wrong parameter action in request")
        return True

    async def _api_setMyCommands(self, params: dict) -> bool:
        for command in params.get("commands") or []:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise TelegramReject("BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise TelegramReject("BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    async def _api_getChatMember(self, params: dict) -> dict:
        """A member's status in a group the test set up in `members` (absent users have "left")."""
        chat = self.members.get(params.get("chat_id"))
        if chat is None:
            raise TelegramReject("chat not found")
        status = chat.get(params.get("user_id"), "left")
        member: dict[str, Any] = {"status": status, "user": self.user(params.get("user_id"))}
        if status in ("creator", "administrator"):
            member["is_anonymous"] = False
        if status == "administrator":  # every right Telegram lists for an administrator, none granted
            rights = ("be_edited", "manage_chat", "delete_messages", "manage_video_chats", "restrict_members",
                      "promote_members", "change_info", "invite_users", "post_stories", "edit_stories",
                      "delete_stories")
            member.update({f"can_{right}": False for right in rights})
        return member

    async def _api_getFile(self, params: dict) -> dict:
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise TelegramReject("invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }


def _decode(name: str, raw: str) -> Any:
    if name in _JSON_PARAMS:
        return json.loads(raw)
    if name in _INT_PARAMS and re.fullmatch(r"-?\d+", raw):
        return int(raw)
    return raw


class _MethodHandler(tornado.web.RequestHandler):
    def initialize(self, stub: BotApiStub) -> None:
        self.stub = stub

    async def post(self, token: str, method: str) -> None:
        if token != self.stub.token:
            self.set_status(401)
            self.finish({"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            params = json.loads(self.request.body or b"{}")
        else:
            params = {k: _decode(k, v[0].decode()) for k, v in self.request.body_arguments.items()}
        status, body = await self.stub.handle(method, params)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))

    get = post


class _FileHandler(tornado.web.RequestHandler):
    def initialize(self, stub: BotApiStub) -> None:
        self.stub = stub

    async def get(self, token: str, path: str) -> None:
        file_id = path.rsplit("/", 1)[-1]
        if token != self.stub.token or file_id not in self.stub.files:
            self.set_status(404)
            self.finish()
            return
        self.stub.calls.append(Call("downloadFile", {"file_path": path}))
        self.finish(self.stub.files[file_id])


# -- helpers for tests that talk to the bot through the stand-in ------------------------------


def buttons(params: dict) -> list[dict]:
    """The inline buttons of a sent message, row by row."""
    markup = params.get("reply_markup") or {"inline_keyboard": []}
    return [button for row in markup["inline_keyboard"] for button in row]


def sent_message(stub: BotApiStub, params: dict, chat: str = "private") -> dict:
    """The message object the bot would see in a callback for a message it sent."""
    return {
        "message_id": 5000,
        "date": 0,
        "chat": stub.chat(chat),
        "text": parse_html(params["text"]),
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "bot"},
    }


async def ask(stub: BotApiStub, text: str, **kwargs) -> dict:
    """Send a user message and return the parameters of the bot's next sendMessage."""
    since = len(stub.calls)
    stub.message(text, **kwargs)
    return (await stub.wait_for("sendMessage", since=since))[0].params
