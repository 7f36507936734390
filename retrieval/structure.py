"""Find the section structure of a Chinese official text (placeholder)."""

from __future__ import annotations

from retrieval.models import Section


def find_sections(text: str) -> tuple[Section, ...]:
    return ()
