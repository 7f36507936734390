"""What the bot keeps between updates: the current library and the replies whose buttons are on screen.

Both live in one object in bot_data, so a reload (an admin command) swaps the library in a
single assignment, and buttons made before it are recognised as stale by their generation
number rather than pointing into the wrong document.
"""

from __future__ import annotations

import logging
import pickle
import re
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from retrieval.library import Library
from retrieval.models import Document, Section
from retrieval.reply import Listing, PassageAnswer
from retrieval.store import atomic_write
from retrieval.text.markers import without_marker

logger = logging.getLogger(__name__)
T = TypeVar("T")
GENERIC_EXAMPLES = ("今年的重点工作有哪些？", "去年取得了哪些成绩？", "下一步有什么要求？")
WithButtons = PassageAnswer | Listing  # a reply whose buttons point back into it
REPLY_KEY = "[0-9a-f]{1,24}"  # what buttons may carry as a reply key (parsing only bounds it)
_RANDOM_KEY = re.compile(r"[0-9a-f]{24}\Z")  # what Recent.add makes: secrets.token_hex(12)


@dataclass(frozen=True)
class Shown:
    """A section (or, with section None, a whole document) resolved for display."""

    document: Document
    section: Section | None

    @property
    def path(self) -> tuple[str, ...]:
        return self.section.path if self.section else ()

    @property
    def children(self) -> tuple[Section, ...]:
        return self.document.children(self.section.id if self.section else None)

    @property
    def text(self) -> str:
        """The section's own text: up to its first subsection when it has any (those get buttons)."""
        if self.section is None:
            return self.document.text
        end = self.children[0].start if self.children else self.section.end
        return self.document.text[self.section.body_start : end].strip()


class Recent(Generic[T]):
    """A bounded LRU of replies shown to users, so their buttons can carry a short key
    instead of the reply itself.

    Keys are random (96 bits), not counted: Telegram lets a client send any callback data,
    and a counter would let one user open another user's answer by trying the ids just
    below their own. A key is only ever seen in the buttons of the chat it was sent to.
    """

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, T] = OrderedDict()

    def add(self, item: T) -> str:
        key = secrets.token_hex(12)
        while key in self._items:  # never in practice; cheap to be sure
            key = secrets.token_hex(12)
        self._items[key] = item
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> T | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def items(self) -> list[tuple[str, T]]:
        """Everything kept, oldest first."""
        return list(self._items.items())

    def restore(self, items: list[tuple[str, T]]) -> None:
        """Take back what items() gave (after a restart). Keys of the older, counted kind are
        dropped: they could be guessed (their buttons get the polite "expired" answer)."""
        for key, item in items[-self.capacity:]:
            if isinstance(key, str) and _RANDOM_KEY.match(key):
                self._items[key] = item


class LibraryHolder:
    """The library currently answering questions, plus a generation bumped on every swap."""

    def __init__(self, library: Library | None = None) -> None:
        self.library = library
        self.generation = 0 if library is None else 1
        self.recent: Recent[WithButtons] = Recent()

    def swap(self, library: Library) -> None:
        """Install a new library; buttons made for the old one become stale."""
        self.library, self.generation = library, self.generation + 1
        self.recent = Recent()

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.library.documents if self.library else ()

    def shown(self, doc_index: int, section_id: int | None) -> Shown | None:
        """Resolve ids from a button; None if they point nowhere (forged or stale)."""
        if not 0 <= doc_index < len(self.documents):
            return None
        document = self.documents[doc_index]
        if section_id is None:
            return Shown(document, None)
        if not 0 <= section_id < len(document.sections):
            return None
        return Shown(document, document.sections[section_id])

    def save(self, path: Path) -> None:
        """Keep the replies whose buttons are on screen, for the next start (written atomically)."""
        if self.library is None:
            return
        kept = {"fingerprint": self.library.fingerprint, "generation": self.generation,
                "recent": self.recent.items()}
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))

    def restore(self, path: Path) -> bool:
        """After a restart: the buttons of the replies kept work again if the documents are the
        same; otherwise they are stale (the generation moves past the saved one). True if restored."""
        try:
            kept = pickle.loads(path.read_bytes())
            fingerprint, generation, recent = kept["fingerprint"], int(kept["generation"]), kept["recent"]
        except FileNotFoundError:
            return False
        except Exception as err:  # an unreadable file only costs the old buttons
            logger.warning("无法读取 %s：%s", path.name, err)
            return False
        if self.library is not None and fingerprint == self.library.fingerprint:
            self.generation = generation
            self.recent.restore(recent)
            return True
        self.generation = max(self.generation, generation + 1)
        return False

    def position(self, name: str) -> int | None:
        """The index of the document of that file name, for buttons."""
        return self.library.position(name) if self.library else None

    def examples(self, count: int = 3) -> list[str]:
        """Example questions made from section headings spread over the documents."""
        return example_questions(self.documents, count)


def example_questions(documents: tuple[Document, ...], count: int = 3) -> list[str]:
    """Questions made from section headings spread over the documents (also for one new upload)."""
    headings = [s.heading for d in documents for s in d.sections if s.level >= 2]
    topics = [t for t in (without_marker(h).rstrip("。：:；;，,") for h in headings) if 2 <= len(t) <= 16]
    if len(topics) < count:
        return list(GENERIC_EXAMPLES[:count])
    step = len(topics) / count
    return [f"{topics[int(i * step)]}有哪些要求？" for i in range(count)]
