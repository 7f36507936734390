"""Load the editable word lists in data/rules/ (one place that knows where they live).

Each file explains its own format and gives an example in its header comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parents[1] / "data" / "rules"


def _lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a rules file."""
    text = (RULES_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def user_words() -> tuple[tuple[str, int | None], ...]:
    """(word, frequency) pairs of the jieba user dictionary."""
    words = []
    for line in _lines("userdict.txt"):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        words.append((parts[0], freq))
    return tuple(words)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_lines("stopwords.txt"))


@lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    return frozenset(_lines("generic_words.txt"))


@lru_cache(maxsize=1)
def question_phrases() -> re.Pattern[str]:
    """One pattern matching every question phrase of question_words.txt, earlier lines first."""
    return any_of(_lines("question_words.txt"))


# Related-words groups beyond related_terms.txt: the admins' own, added from Telegram
# (retrieval/vocabulary.py), installed with install_extra_related().
_extra_related: tuple[tuple[str, ...], ...] = ()


def install_extra_related(groups: Iterable[Sequence[str]]) -> None:
    """Use these groups as well as related_terms.txt (replacing those installed before).

    The hook that lets the vocabulary grow without a restart: the cache of related() is
    cleared, and every question is parsed afresh, so the next one sees the new groups.
    """
    global _extra_related
    _extra_related = tuple(tuple(group) for group in groups)
    related.cache_clear()
    equivalents.cache_clear()
    related_words_pattern.cache_clear()


EQUIVALENT_MARK = "="  # first on a related-terms line: its words are names of one thing


@lru_cache(maxsize=1)
def related() -> dict[str, frozenset[str]]:
    """Map each word to the other words of every related-terms group it belongs to."""
    groups: dict[str, set[str]] = {}
    for words in map(_related_words, _related_lines()):
        for word in words:
            groups.setdefault(word.lower(), set()).update(w.lower() for w in words if w != word)
    return {word: frozenset(others) for word, others in groups.items()}


@lru_cache(maxsize=1)
def equivalents() -> dict[str, frozenset[str]]:
    """Map each word of an equivalents line ("= 固投 固定资产投资") to the other names of its thing:
    where a passage says one, it says what the question asks, not merely something related."""
    groups: dict[str, set[str]] = {}
    for line in _related_lines():
        words = _related_words(line)
        if line.split()[0] == EQUIVALENT_MARK:
            for word in words:
                groups.setdefault(word.lower(), set()).update(w.lower() for w in words if w != word)
    return {word: frozenset(others) for word, others in groups.items()}


def _related_lines() -> list[str]:
    """The lines of related_terms.txt, then the admins' (installed with install_extra_related)."""
    return [*_lines("related_terms.txt"), *(" ".join(group) for group in _extra_related)]


def _related_words(line: str) -> list[str]:
    return [word for word in line.split() if word != EQUIVALENT_MARK]


@lru_cache(maxsize=1)
def related_words_pattern() -> re.Pattern[str]:
    """Any Chinese word of a related-terms group (longest first): words a question may use that
    the tokenizer does not know, such as the abbreviations 社零 and 固投."""
    words = sorted((w for w in related() if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)),
                   key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words) or r"(?!)")


def parse_rule_groups(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Read "[group]" headers and their entries; " #" starts a comment."""
    groups: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        entry = line.split(" #", 1)[0].strip()
        if not entry or entry.startswith("#"):
            continue
        header = re.fullmatch(r"\[([a-z_]+)\]", entry)
        if header:
            current = groups.setdefault(header.group(1), [])
        elif current is not None:
            current.append(entry)
    return {name: tuple(entries) for name, entries in groups.items()}


def any_of(patterns: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of patterns, tried in order."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def question_patterns() -> dict[str, tuple[str, ...]]:
    """The groups of question_patterns.txt: intent name → its regular expressions, in order."""
    return parse_rule_groups((RULES_DIR / "question_patterns.txt").read_text(encoding="utf-8").splitlines())
