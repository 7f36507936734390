"""What the bot keeps between updates: the current library and the recent answers.

Both live in one object in `application.bot_data`, so a reload (the admin issue) swaps
the library in a single assignment, and buttons made before it are recognised as stale
by their generation number rather than pointing into the wrong document.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, TypeVar

from retrieval.library import Library
from retrieval.models import Answer, Document, Section
from retrieval.text.markers import without_marker

T = TypeVar("T")
GENERIC_EXAMPLES = ("今年的重点工作有哪些？", "去年取得了哪些成绩？", "下一步有什么要求？")


@dataclass(frozen=True)
class Shown:
    """A section (or, with section None, a whole document) resolved for display."""

    document: Document
    section: Section | None

    @property
    def path(self) -> tuple[str, ...]:
        return self.section.path if self.section else ()

    @property
    def text(self) -> str:
        """The section's own text: up to its first subsection when it has any (those get buttons)."""
        if self.section is None:
            return self.document.text
        end = self.section.end
        children = children_of(self.document, self.section)
        if children:
            end = children[0][1].start
        return self.document.text[self.section.body_start : end].strip()


def children_of(document: Document, section: Section | None) -> list[tuple[int, Section]]:
    """(index, section) of the direct subsections, or the top-level ones for section None."""
    level = section.level + 1 if section else 1
    prefix = section.path if section else ()
    return [
        (i, s) for i, s in enumerate(document.sections) if s.level == level and s.path[: level - 1] == prefix
    ]


class Recent(Generic[T]):
    """A bounded LRU of things shown to users (answers, listings), so their buttons can carry a
    short hex id instead of the thing itself."""

    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, T] = OrderedDict()
        self._ids = itertools.count(1)

    def add(self, item: T) -> str:
        key = format(next(self._ids), "x")
        self._items[key] = item
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> T | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item


class RecentAnswers(Recent[Answer]):
    """The answers paging buttons point at."""


class LibraryHolder:
    """The library currently answering questions, plus a generation bumped on every swap."""

    def __init__(self, library: Library | None = None) -> None:
        self.library = library
        self.generation = 0 if library is None else 1
        self.recent = RecentAnswers()

    def swap(self, library: Library) -> None:
        """Install a new library; buttons made for the old one become stale."""
        self.library, self.generation = library, self.generation + 1
        self.recent = RecentAnswers()

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.library.documents if self.library else ()

    def shown(self, doc_index: int, section_index: int) -> Shown | None:
        """Resolve indexes from a button; None if they point nowhere (forged or stale)."""
        if not 0 <= doc_index < len(self.documents):
            return None
        document = self.documents[doc_index]
        if section_index == -1:
            return Shown(document, None)
        if not 0 <= section_index < len(document.sections):
            return None
        return Shown(document, document.sections[section_index])

    def locate(self, doc_name: str | None, path: tuple[str, ...]) -> tuple[int, int] | None:
        """(doc index, section index) of a section path (-1: the whole document), in doc_name if given."""
        for d, document in enumerate(self.documents):
            if doc_name and document.name != doc_name:
                continue
            if not path:
                return (d, -1) if doc_name else None
            for s, section in enumerate(document.sections):
                if section.path == path:
                    return d, s
        return None

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
