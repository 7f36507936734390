"""Logging for the bot, with the Bot API token scrubbed from every record.

The token is part of every request URL (https://api.telegram.org/bot<token>/sendMessage),
and those URLs turn up in HTTP clients' debug lines and in exception messages. A filter on the
handlers rewrites each record before it is formatted, so no code path can leak it. Proxy
credentials (socks5://user:password@host) are masked the same way.

LOG_FORMAT picks the shape of a line, and in every shape one record is one line — a
traceback included, its newlines escaped — so `docker logs`, journald and log shippers
never split an error into unrelated lines:
- plain: "time LEVEL logger: message", for a terminal or a file;
- journal: "<priority>LEVEL logger: message" without a time of its own (journald adds
  one) and with the syslog priority prefix journald reads (SyslogLevelPrefix=yes);
- json: one JSON object per line (time, level, logger, message, exception).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import TextIO

TOKEN_PATTERN = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
REDACTED = "bot<redacted>"
# user:password@ in any URL (a PROXY such as socks5://office:secret@10.0.0.1:1080).
URL_CREDENTIALS = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/\s@]+@")


def redact(text: str) -> str:
    """The text without Bot API tokens and without credentials in URLs."""
    return URL_CREDENTIALS.sub(r"\1***@", TOKEN_PATTERN.sub(REDACTED, text))


class RedactTokenFilter(logging.Filter):
    """Replace anything shaped like bot<digits>:<secret> in the message, args and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Render the message once, then drop the args: args may hold URLs or exceptions.
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            record.exc_info = None  # the formatter would otherwise render the raw traceback again
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# syslog priorities (RFC 5424) for the journal format's "<N>" prefix.
_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3, logging.CRITICAL: 2}


class OneLineFormatter(logging.Formatter):
    """The usual text format with newlines escaped as \\n, optionally with a syslog "<N>" prefix."""

    def __init__(self, fmt: str, priority_prefix: bool = False) -> None:
        super().__init__(fmt)
        self.priority_prefix = priority_prefix

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        if self.priority_prefix:
            level = max((n for n in _PRIORITY if n <= record.levelno), default=logging.DEBUG)
            text = f"<{_PRIORITY[level]}>{text}"
        return text


class JsonFormatter(logging.Formatter):
    """One JSON object per record; json.dumps escapes the newlines of messages and tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


def make_formatter(log_format: str = "plain") -> logging.Formatter:
    """The formatter for LOG_FORMAT plain | journal | json."""
    if log_format == "json":
        return JsonFormatter()
    if log_format == "journal":
        return OneLineFormatter("%(levelname)s %(name)s: %(message)s", priority_prefix=True)
    return OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")


def setup_logging(level: str = "INFO", log_format: str = "plain", stream: TextIO | None = None) -> None:
    """Log to stderr through the redacting filter; keep HTTP clients' per-request lines out.

    httpx logs every request URL — the token's hiding place — at INFO; it and httpcore stay
    at WARNING whatever LOG_LEVEL says, and the filter is there should a URL slip through.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(log_format))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    install_redaction()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def install_redaction() -> None:
    """Attach the filter to every root handler (idempotent), e.g. also pytest's capture handler."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactTokenFilter) for f in handler.filters):
            handler.addFilter(RedactTokenFilter())
