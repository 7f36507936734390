"""Turn text into index terms (placeholder: to be replaced by the full tokenizer)."""

from __future__ import annotations

import jieba


def tokenize(text: str) -> list[str]:
    """Index terms of a passage: jieba's search-mode tokens, whitespace dropped."""
    return [t for t in jieba.lcut_for_search(text) if t.strip()]
