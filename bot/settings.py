"""Bot settings, read from the environment and a .env file (documented in .env.example).

Everything the operator can change lives here, validated once at start-up, so a typo
becomes one readable line ("设置错误：TOP_K 应为正整数 (got 'abc')") instead of a
traceback from deep inside the bot.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# What each setting expects, in the words of the one-line error message.
_EXPECTED = {
    "TELEGRAM_BOT_TOKEN": "为 BotFather 给出的令牌，形如 123456:ABC-def",
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
}


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

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or ":" not in value or not value.split(":", 1)[0].isdigit():
            raise ValueError("bad token")  # never echo the token itself
        return value

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

    @field_validator("admin_ids", mode="before")
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


def load_settings(env_file: Path | str | None = ".env", **overrides: object) -> Settings:
    """Read the settings, turning any validation failure into a one-line SettingsError."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg, arg-type]
    except ValidationError as err:
        first = err.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "?"
        got = first.get("input")
        # Echo what was typed, except for secrets and whole-object inputs.
        shown = "" if "TOKEN" in name or "SECRET" in name or isinstance(got, dict) else f" (got {got!r})"
        raise SettingsError(f"设置错误：{name} 应{_EXPECTED.get(name, '为有效值')}{shown}") from None
