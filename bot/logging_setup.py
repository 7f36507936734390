"""Logging for the bot, with the Bot API token scrubbed from every record.

The token is part of every request URL (https://api.telegram.org/bot<token>/sendMessage),
and those URLs turn up in HTTP clients' debug lines and in exception messages. A filter on the
handlers rewrites each record before it is formatted, so no code path can leak it.
"""

from __future__ import annotations

import logging
import re
import sys

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


def setup_logging(level: str = "INFO") -> None:
    """Log to stderr through the redacting filter; keep HTTP clients' per-request lines out."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
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
