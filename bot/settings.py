"""Bot settings, read from the environment and a .env file (documented in .env.example).

Everything the operator can change lives here, validated once at start-up, so a typo
becomes one readable line ("设置错误：TOP_K 应为正整数 (got 'abc')") instead of a
traceback from deep inside the bot.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:
    from retrieval.parse_workers import ParseLimits

# What each setting expects, in the words of the one-line error message.
_EXPECTED = {
    "TELEGRAM_BOT_TOKEN": "为 BotFather 给出的令牌：数字、冒号、至少 35 个字母数字 _ -"
    "（形如 123456789:AAH…），不含空格或引号",
    "TELEGRAM_BASE_URL": "为以 http:// 或 https:// 开头的网址",
    "TELEGRAM_BASE_FILE_URL": "为以 http:// 或 https:// 开头的网址",
    "ADMIN_IDS": "为逗号分隔的数字用户 id，如 12345,67890",
    "DATA_DIR": "为文档目录的路径",
    "TOP_K": "为 1 到 10 之间的正整数",
    "LOG_LEVEL": "为 DEBUG、INFO、WARNING、ERROR 之一",
    "WEBHOOK_URL": "为以 https:// 开头的公网网址，或留空",
    "WEBHOOK_LISTEN": "为监听地址，如 0.0.0.0",
    "WEBHOOK_PORT": "为 1 到 65535 之间的端口号",
    "WEBHOOK_SECRET": "为 1 到 256 个字母、数字、_ 或 -",
    "MAX_UPLOAD_MB": "为 1 到 50 之间的整数（api.telegram.org 只让机器人下载 ≤ 20 MB 的文件）",
    "STATE_DIR": "为保存统计数据和分词缓存的目录路径",
    "LOG_QUESTIONS": "为 true 或 false",
    "PROXY": "为 http://、https://、socks5:// 或 socks5h:// 开头的代理地址，如 socks5h://127.0.0.1:1080，或留空",
    "ALLOWED_USERS": "为逗号分隔的数字用户 id，如 12345,67890，或留空",
    "ALLOWED_CHATS": "为逗号分隔的数字群组 id，如 -1001234567890，或留空",
    "ALLOW_GROUP_MEMBERS": "为 true 或 false",
    "LOG_FORMAT": "为 plain、journal、json 之一",
    "SHUTDOWN_TIMEOUT": "为 1 到 300 之间的秒数",
    "PARSE_TIMEOUT": "为 1 到 3600 之间的秒数",
    "PARSE_MEMORY_MB": "为 0（不限）或 256 到 65536 之间的整数（MB）",
}

TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]{35,}")
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
# The proxy variables httpx reads from the environment (either case), checked like PROXY.
ENVIRONMENT_PROXIES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")
ENV_FILE_VARIABLE = "ENV_FILE"
_FIND = object()  # load_settings(env_file=...) default: $ENV_FILE, else ./.env


class SettingsError(ValueError):
    """A setting that cannot be used; str() is the one line shown to the operator."""


class Settings(BaseSettings):
    """The bot's configuration. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    # NoDecode: read "1,2,3" as a plain string and split it below, rather than as JSON.
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    data_dir: Path = Path("data")
    top_k: int = Field(default=3, ge=1, le=10)
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    max_upload_mb: int = Field(default=10, ge=1, le=50)  # admin uploads (api.telegram.org serves ≤ 20 MB)
    state_dir: Path = Path("state")  # usage statistics (SQLite) and the token cache

    @property
    def token_cache_dir(self) -> Path:
        """Where each document's words are cached, so restarts and reloads skip jieba for them."""
        return self.state_dir / "tokens"
    log_questions: bool = True  # false: /stats keeps counts only, never the question text
    # Outgoing proxy for every Bot API request (getUpdates and downloads included). Secret:
    # it may carry credentials. Empty: HTTPS_PROXY / ALL_PROXY / NO_PROXY from the environment.
    proxy: SecretStr | None = None
    # Who may ask (bot/access.py). Both empty: everyone. Admins are always allowed.
    allowed_users: Annotated[frozenset[int], NoDecode] = frozenset()
    allowed_chats: Annotated[frozenset[int], NoDecode] = frozenset()
    allow_group_members: bool = False  # members of an allowed group may also ask in private
    log_format: str = "plain"  # plain | journal (systemd adds the time) | json
    shutdown_timeout: float = Field(default=8.0, ge=1, le=300)  # SIGTERM: seconds to finish in-flight updates
    # Reading one document (an upload, or a file at start and /reload) runs in a worker process
    # killed past these: seconds of wall time, and megabytes of address space (0: no limit).
    # A normal parse needs < 100 MB (a 2,000-page PDF: 73 MB); 1024 leaves room for any library.
    parse_timeout: float = Field(default=60.0, ge=1, le=3600)
    parse_memory_mb: int = Field(default=1024, ge=0, le=65536)

    @property
    def access_restricted(self) -> bool:
        """False when no allow-list is set: the bot then answers everyone (and says so at start)."""
        return bool(self.allowed_users or self.allowed_chats)

    @property
    def parse_limits(self) -> ParseLimits:
        from retrieval.parse_workers import ParseLimits

        return ParseLimits(seconds=self.parse_timeout, memory_mb=self.parse_memory_mb)

    @field_validator("parse_memory_mb")
    @classmethod
    def _memory(cls, value: int) -> int:
        if 0 < value < 256:  # the worker's interpreter alone needs ~50 MB of address space
            raise ValueError("too little memory")
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not TOKEN_SHAPE.fullmatch(value):
            raise ValueError("bad token")  # never echo the token itself
        return value

    @field_validator("proxy", mode="before")
    @classmethod
    def _proxy_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or proxy_problem(value.strip()):
            raise ValueError("bad proxy")
        return value.strip()

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        shown = str(value).strip().lower()
        if shown not in {"plain", "journal", "json"}:
            raise ValueError("bad log format")
        return shown

    @field_validator("telegram_base_url", "telegram_base_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("not a url")
        return value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not value.startswith("https://"):
            raise ValueError("not an https url")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("bad secret")  # never echo the secret itself
        return value

    @field_validator("admin_ids", "allowed_users", "allowed_chats", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace("，", ",").split(",") if part.strip())
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        level = str(value).strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("bad level")
        return level

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def token(self) -> str | None:
        """The token in clear, only for handing to python-telegram-bot."""
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def proxy_url(self) -> str | None:
        """The PROXY setting in clear (credentials included), only for the HTTP client."""
        return self.proxy.get_secret_value() if self.proxy else None


def proxy_problem(url: str) -> str | None:
    """Why url cannot be used as a proxy, or None. Never quotes credentials."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "no scheme"
    if scheme.lower() not in PROXY_SCHEMES:
        return f"scheme {scheme[:10]!r}"
    host = rest.rsplit("@", 1)[-1].split("/", 1)[0]
    if not host or host.startswith(":"):
        return "no host"
    return None


def mask_proxy(url: str) -> str:
    """The proxy URL fit for a log line: user name and password become ***."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{scheme}{sep}{authority}{slash}{path}"


def find_env_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """$ENV_FILE if set (it must exist), else .env in the working directory if there is one.

    One rule, documented in .env.example and the README: systemd sets WorkingDirectory and
    compose passes env_file, so both find it; anything else names it with ENV_FILE.
    """
    environ = os.environ if environ is None else environ
    named = environ.get(ENV_FILE_VARIABLE, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(f"设置错误：ENV_FILE 指向的文件不存在：{path}")
        return path
    local = Path(".env")
    return local if local.is_file() else None


def _environment_proxy_problem(environ: Mapping[str, str]) -> str | None:
    """The first HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (any case) httpx would refuse, as an error line."""
    for name in ENVIRONMENT_PROXIES:
        for variant in (name, name.lower()):
            value = environ.get(variant, "").strip()
            if value and "://" in value and proxy_problem(value):  # httpx reads "host:port" as http
                return f"设置错误：环境变量 {variant} 应{_EXPECTED['PROXY']}"
    return None


def load_settings(env_file: Path | str | None | object = _FIND, **overrides: object) -> Settings:
    """Read the settings, turning any validation failure into a one-line SettingsError.

    env_file: a path, None for the environment only, or by default find_env_file().
    """
    path = find_env_file() if env_file is _FIND else env_file
    try:
        settings = Settings(_env_file=path, **overrides)  # type: ignore[call-arg, arg-type]
    except ValidationError as err:
        first = err.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "?"
        got = first.get("input")
        # Echo what was typed, except for secrets, proxies (credentials) and whole-object inputs.
        secret = "TOKEN" in name or "SECRET" in name or name == "PROXY"
        shown = "" if secret or isinstance(got, dict) else f" (got {got!r})"
        if name == "PROXY" and isinstance(got, str):
            shown = f" ({proxy_problem(got.strip())})"
        raise SettingsError(f"设置错误：{name} 应{_EXPECTED.get(name, '为有效值')}{shown}") from None
    if not settings.proxy:
        problem = _environment_proxy_problem(os.environ)
        if problem:
            raise SettingsError(problem)
    return settings
