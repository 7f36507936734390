"""Load one file into a Document: read → clean → sections → chunks, and its profile."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from retrieval.chunks import make_chunks
from retrieval.clean import clean_text, guess_title
from retrieval.models import Document, DocumentError
from retrieval.profile import apply_overrides, profile_of
from retrieval.reader import read_text
from retrieval.structure import find_sections


def build_document(name: str, raw: str, corrections: Mapping[str, Any] | None = None) -> Document:
    """Build a Document from decoded text; raise DocumentError if nothing usable remains.

    `corrections` are an admin's fixes to the profile read from the text ({"year": 2024}).
    """
    title = guess_title(raw, "")  # the title line, if any, read once for cleaning and the profile
    text = clean_text(raw, title)
    if not text.strip():
        raise DocumentError(name, "清理网页杂质后没有正文")
    sections = find_sections(text)
    chunks = make_chunks(name, text, sections)
    if not chunks:
        raise DocumentError(name, "没有可检索的段落")
    profile = profile_of(name, raw, text, title or Path(name).stem)
    if corrections:
        with suppress(ValueError):  # a correction saved by an older version that no longer applies
            profile = apply_overrides(profile, corrections)
    return Document(name=name, title=profile.display(), text=text, sections=sections, chunks=chunks,
                    year=profile.year, profile=profile)


def load_document(path: Path, corrections: Mapping[str, Any] | None = None) -> Document:
    return build_document(path.name, read_text(path), corrections)
