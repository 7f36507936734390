"""Plain data passed between the pipeline stages.

file → clean text → sections → chunks → index → answer. Each stage takes and
returns these frozen records, so any stage can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrieval.profile import Profile


class DocumentError(ValueError):
    """A file that cannot be loaded; the message names the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class Section:
    """One heading of a document and the span of text it governs.

    `path` holds the headings from the top level down to this one (inclusive).
    Offsets index into the cleaned text: [start, end) is the whole section,
    heading included; `body_start` is where the text after the heading begins.
    """

    path: tuple[str, ...]
    start: int
    body_start: int
    end: int
    number: int | None = None  # the number its heading opens with: 3 for 三、 / （三） / 三是 / 其次→2
    kind: str = ""  # its numbering style, from structure.HEADING_RULES: "cn_dun", "cn_paren", "shi"…
    id: int = 0  # its index in Document.sections
    parent: int | None = None  # id of the section it sits in; None at the top level

    @property
    def heading(self) -> str:
        return self.path[-1]

    @property
    def level(self) -> int:
        return len(self.path)


@dataclass(frozen=True)
class Chunk:
    """A passage that can be quoted as an answer.

    `text` is exactly `document_text[start:end]`. `outline` lists the headings
    of an enumeration inside the passage (一要…八要), for list questions.
    """

    doc: str
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    outline: tuple[str, ...] = ()
    section: int | None = None  # id of the section it belongs to (Document.sections); None: preamble
    id: int = 0  # its index in Document.chunks


@dataclass(frozen=True)
class Document:
    """A loaded document: its cleaned text, structure and passages."""

    name: str  # file name, e.g. "xx_district_2022_economic_work_speech.txt"
    title: str  # human title, e.g. "xx区2022年经济工作会上讲话"
    text: str  # cleaned text, paragraphs separated by "\n"
    sections: tuple[Section, ...]
    chunks: tuple[Chunk, ...]
    year: int | None = None  # the year the document speaks from, for 今年/去年
    profile: Profile | None = None  # what the document is: title, year, place, kind, speaker, date

    def lineage(self, section: int | None) -> tuple[Section, ...]:
        """The sections from the top level down to `section`: its heading path, as sections."""
        chain: list[Section] = []
        while section is not None:
            chain.append(self.sections[section])
            section = chain[-1].parent
        return tuple(reversed(chain))

    def children(self, section: int | None) -> tuple[Section, ...]:
        """The direct subsections of a section, or the top-level sections for None."""
        return self._children.get(section, ())

    @cached_property
    def _children(self) -> dict[int | None, tuple[Section, ...]]:
        found: dict[int | None, list[Section]] = {}
        for s in self.sections:
            found.setdefault(s.parent, []).append(s)
        return {parent: tuple(kids) for parent, kids in found.items()}


@dataclass(frozen=True)
class Passage:
    """One quoted result, in the shape of the `ask --json` contract."""

    doc: str
    section: tuple[str, ...]
    text: str
    highlight: str
    outline: tuple[str, ...]
    score: float
    title: str = ""  # document title, for rendering; not part of the JSON contract
    section_id: int | None = None  # id of the section quoted (Document.sections); None: no heading

    def to_json(self) -> dict:
        return {
            "doc": self.doc,
            "section": list(self.section),
            "text": self.text,
            "highlight": self.highlight,
            "outline": list(self.outline),
            "score": round(self.score, 4),
        }
