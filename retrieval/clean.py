"""Turn scraped text into clean paragraphs (placeholder, to be completed)."""

from __future__ import annotations


def clean_text(raw: str) -> str:
    """Return the body text, one paragraph per line."""
    lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def guess_title(raw: str, fallback: str) -> str:
    for line in raw.splitlines():
        if line.strip():
            return line.strip()
    return fallback
