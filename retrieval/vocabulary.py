"""The admins' own related words, grown from Telegram (/synonym) and applied without a restart.

Why a file of its own, in STATE_DIR rather than data/rules/related_terms.txt: the rules files
are the project's (versioned, reviewed, shipped); what an office adds while using the bot is
its state, and must survive upgrades of the code. A line means what a line of
related_terms.txt means: its words are related, a question using one also searches the others;
a line opening with "=" names one thing several ways, and its words count in full.

Applying a line takes two steps, both at once and both undone when the line is removed:
- retrieval.rules.install_extra_related() adds the groups to what related_terms() returns;
  questions are parsed one by one, so the next question uses them;
- a word jieba does not know ("点名批评" is cut into 点名 / 批评) is taught to the tokenizer,
  or no question would ever contain it as one term. Passages already indexed keep their words
  (the token cache keys on data/rules/ only), so a line helps most when one of its words is a
  word the documents already use — which is how admins use it: a question's word → theirs.

The file is written atomically (temporary file, then rename), like the documents.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from retrieval import rules, segmenter
from retrieval.store import atomic_write
from retrieval.text.normalize import normalize
from retrieval.text.tokens import tokenizer

VOCABULARY_FILE = "related_terms.txt"  # in STATE_DIR
MIN_WORD_CHARS = 2  # one character matches inside too many unrelated words
MAX_WORD_CHARS = 20
MAX_WORDS = 12  # per line
MAX_LINES = 500

_SEPARATORS = re.compile(r"[\s,，、;；/|~～]+")
_HEADER = """\
# Related words added by admins from Telegram (/synonym 点名批评 通报批评), one group a line,
# like data/rules/related_terms.txt: a question using one word of a line also searches the others.
# Written by the bot; /synonyms lists the lines, /synonym remove N deletes one.
"""

_lock = threading.Lock()
_taught: set[str] = set()  # words this module added to jieba's dictionary


class VocabularyError(ValueError):
    """A line that cannot be added or removed; the message (Chinese) says why."""


def parse_line(text: str) -> tuple[str, ...]:
    """The words of an admin's line, checked: at least two different words of ≥ 2 characters,
    after an optional "=" (the words name one thing: rules.EQUIVALENT_MARK)."""
    text = text.strip()
    mark = text.startswith(rules.EQUIVALENT_MARK)
    if mark:
        text = text[len(rules.EQUIVALENT_MARK):]
    words = tuple(dict.fromkeys(w for w in _SEPARATORS.split(text.strip()) if w))
    if any(w.startswith("#") for w in words):
        raise VocabularyError("词语不能以 # 开头（文件里 # 表示注释）")
    short = [w for w in words if len(w) < MIN_WORD_CHARS]
    if short:
        raise VocabularyError(f"词语至少要 {MIN_WORD_CHARS} 个字：{'、'.join(short)}")
    long = [w for w in words if len(w) > MAX_WORD_CHARS]
    if long:
        raise VocabularyError(f"词语最多 {MAX_WORD_CHARS} 个字：{'、'.join(long)}")
    if len({normalize(w) for w in words}) < 2:
        raise VocabularyError("一行至少要有两个不同的词语，用空格隔开")
    if len(words) > MAX_WORDS:
        raise VocabularyError(f"一行最多 {MAX_WORDS} 个词语")
    return (rules.EQUIVALENT_MARK, *words) if mark else words


class Vocabulary:
    """STATE_DIR/related_terms.txt: the admins' lines, in the order they were added."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def lines(self) -> list[tuple[str, ...]]:
        """The lines kept (a missing file: none)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        kept = (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
        return [tuple(line.split()) for line in kept]

    def add(self, text: str) -> tuple[str, ...]:
        """Check, keep and apply a new line; VocabularyError (nothing changes) if it cannot be."""
        words = parse_line(text)
        lines = self.lines()
        same = {normalize(w) for w in words}
        if any({normalize(w) for w in line} == same for line in lines):
            raise VocabularyError("这一行已经有了")
        if len(lines) >= MAX_LINES:
            raise VocabularyError(f"最多 {MAX_LINES} 行，请先删除不用的行")
        self._write([*lines, words])
        return words

    def remove(self, number: int) -> tuple[str, ...]:
        """Delete line `number` (1-based, as /synonyms shows) and stop applying it."""
        lines = self.lines()
        if not 1 <= number <= len(lines):
            raise VocabularyError(f"没有第 {number} 行（现有 {len(lines)} 行，见 /synonyms）")
        removed = lines.pop(number - 1)
        self._write(lines)
        return removed

    def install(self) -> None:
        """Apply the kept lines to question parsing (at start-up; add/remove do it themselves)."""
        install(self.lines())

    def _write(self, lines: Sequence[tuple[str, ...]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(" ".join(words) + "\n" for words in lines)
        atomic_write(self.path, (_HEADER + body).encode("utf-8"))
        install(lines)


def install(groups: Iterable[Sequence[str]]) -> None:
    """Make these groups (replacing any installed before) related words for the next question."""
    normalized = [tuple(w if w == rules.EQUIVALENT_MARK else normalize(w) for w in group) for group in groups]
    words = {w for group in normalized for w in group if w != rules.EQUIVALENT_MARK}
    with _lock:
        if not words and not _taught:  # nothing to teach or unteach: leave jieba unloaded
            rules.install_extra_related(normalized)
            return
        jieba = tokenizer()
        for word in sorted(_taught - words):
            jieba.del_word(word)
            _taught.discard(word)
        for word in sorted(words - _taught):
            if not jieba.FREQ.get(word):
                jieba.add_word(word)
                _taught.add(word)
        rules.install_extra_related(normalized)
        segmenter.teach(frozenset(_taught))
