"""Plain data passed between the pipeline stages.

file → clean text → sections → chunks → index → answer. Each stage takes and
returns these frozen records, so any stage can be tested on its own.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Any


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
    of an enumeration inside the passage (一要…八要), for list questions; None when
    it is worked out as a question quotes the passage (Document.outline), from `span`.
    """

    doc: str
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    outline: tuple[str, ...] | None = ()
    section: int | None = None  # id of the section it belongs to (Document.sections); None: preamble
    id: int = 0  # its index in Document.chunks
    # The stretch of the document's text its outline's list is looked for in (chunks.make_chunks):
    # the text its section owns there, which the passages cut from it share.
    span: tuple[int, int] | None = None


PROFILE_FIELDS = ("title", "year", "place", "kind", "speaker", "date")  # what an admin may correct
OTHER_KIND = "其他"  # the kind of a document no rule knows: an encyclopedia entry, a note


@dataclass(frozen=True)
class Profile:
    """What a document is: enough to tell it from the others a question might be about.

    `aliases` are the short names a user may type for the document ("云南", "2025年云南",
    "企业家座谈会"); they are derived from the other fields, never set on their own.

    Derived from a document's text by retrieval/profile.py, but defined here with the other
    records: a cached Document holds its Profile, and unpickling imports the module of every
    class it meets. profile.py (its rules and ~50 regular expressions, and clean.py's) costs
    ~0.02 s to import, which a warm start, deriving nothing, would pay for just to read it.
    """

    title: str  # "2025年云南省政府工作报告", "2022年政府工作报告（国务院）"
    year: int | None = None  # the year the document speaks from, for 今年/去年
    place: str | None = None  # "云南省", "包头市", "xx区", "全国"
    kind: str = OTHER_KIND  # one of profile.KINDS
    speaker: str | None = None  # "李克强", "王予波", "县长"
    date: datetime.date | None = None  # the date the document gives for itself
    aliases: tuple[str, ...] = ()
    # The lines the document opens with: title, occasion and date, speaker, number
    # ("——2022年3月5日在第十三届全国人民代表大会第五次会议上", "国务院总理李克强"). Where the
    # profile was read from, not what it says: two profiles that say the same are equal.
    header: tuple[str, ...] = field(default=(), compare=False)

    def display(self) -> str:
        """The title shown to users; a speech also names its speaker and date when the title does not."""
        if self.kind != "讲话":
            return self.title
        extra = [self.speaker] if self.speaker and self.speaker not in self.title else []
        if self.date and format_date(self.date) not in self.title:
            extra.append(format_date(self.date))
        return f"{self.title}（{'，'.join(extra)}）" if extra else self.title

    def to_json(self) -> dict[str, Any]:
        """The fields an admin may correct, as JSON values (aliases are derived again on reading)."""
        return {
            "title": self.title,
            "year": self.year,
            "place": self.place,
            "kind": self.kind,
            "speaker": self.speaker,
            "date": self.date.isoformat() if self.date else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Profile:
        """A profile from `to_json` output, validated like an admin's overrides."""
        from retrieval.profile import apply_overrides  # the validation lives with the profile rules

        if not isinstance(data.get("title"), str):
            raise ValueError("档案缺少标题（title）")
        base = cls(title=data["title"])
        return apply_overrides(base, {k: v for k, v in data.items() if k in PROFILE_FIELDS})

    def with_aliases(self) -> Profile:
        """The same profile with its aliases derived from its fields."""
        from retrieval.profile import aliases_of

        return dataclasses.replace(self, aliases=aliases_of(self))


def format_date(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


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

    def outline(self, chunk: Chunk) -> tuple[str, ...]:
        """The passage's outline (Chunk.outline): as given, or worked out from its span the first
        time a question quotes it, and kept for the passages cut from the same span.

        Why not when the document is read: finding the lists of every passage was ~4% of a cold
        load's CPU (~1.1 ms a speech-size document), and only a passage quoted for a list, a part
        or a position ever shows its outline."""
        if chunk.outline is not None:
            return chunk.outline
        if chunk.span is None:
            return ()
        from retrieval.chunks import outline_of  # the parsing modules: imported when first asked

        return outline_of(self.text, chunk, self._enumerations)

    @cached_property
    def _enumerations(self) -> dict[tuple[int, int], tuple[tuple[int, str], ...]]:
        """The list found in each span outline() looked into, as worked out."""
        return {}

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled without its passages' texts, each the slice of its text it is (Chunk.text): a
        parse worker pickles every Document it reads, the loading process and each restart
        unpickle it from the document cache, and the passages held the text a second time (a
        speech-size document's pickle 89 → 47 KB; pickling it 0.50 → 0.30 ms, unpickling 0.49
        → 0.40). A passage whose text is not that slice keeps its own. What was worked out of
        the document and kept with it (_children, _enumerations) is not pickled: worked out
        again when asked."""
        text = self.text
        chunks = tuple((c.doc, c.path, None if c.text == text[c.start:c.end] else c.text, c.start, c.end,
                        c.outline, c.section, c.id, c.span) for c in self.chunks)
        return _document, (self.name, self.title, text, self.sections, chunks, self.year, self.profile)


_PackedChunk = tuple[str, tuple[str, ...], "str | None", int, int, "tuple[str, ...] | None", "int | None",
                     int, "tuple[int, int] | None"]


def _document(name: str, title: str, text: str, sections: tuple[Section, ...],
              chunks: tuple[_PackedChunk, ...], year: int | None, profile: Profile | None) -> Document:
    """The Document that Document.__reduce__ pickled. Its records made as unpickling makes them
    (their fields set, not through the frozen classes' __init__: ~1.5 µs a passage)."""
    document = object.__new__(Document)
    document.__dict__.update(name=name, title=title, text=text, sections=sections, year=year, profile=profile,
                             chunks=tuple(map(_chunk, chunks, repeat(text))))
    return document


def _chunk(packed: _PackedChunk, text: str) -> Chunk:
    doc, path, own, start, end, outline, section, number, span = packed
    chunk = object.__new__(Chunk)
    chunk.__dict__.update(doc=doc, path=path, text=text[start:end] if own is None else own, start=start,
                          end=end, outline=outline, section=section, id=number, span=span)
    return chunk


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
