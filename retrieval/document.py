"""Load one file into a Document: read → clean → sections → chunks."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from retrieval.chunks import make_chunks
from retrieval.clean import clean_text, guess_title
from retrieval.models import Document, DocumentError
from retrieval.reader import read_text
from retrieval.structure import find_sections
from retrieval.text.years import YEAR

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def build_document(name: str, raw: str) -> Document:
    """Build a Document from decoded text; raise DocumentError if nothing usable remains."""
    text = clean_text(raw)
    if not text.strip():
        raise DocumentError(name, "清理网页杂质后没有正文")
    sections = find_sections(text)
    chunks = make_chunks(name, text, sections)
    if not chunks:
        raise DocumentError(name, "没有可检索的段落")
    title = guess_title(raw, Path(name).stem)
    return Document(name=name, title=title, text=text, sections=sections, chunks=chunks,
                    year=document_year(name, title, text))


def document_year(name: str, title: str, text: str) -> int | None:
    """The year a document speaks from, so 今年/去年 in a question mean what they meant there.

    In order: a year in the title ("xx区2022年经济工作会上讲话"); the date line of a speech
    near its start ("（2018年2月12日）"); a year in the file name ("gov_report_1981.txt");
    else the year the text names most often (the later one on a tie).
    """
    title, head = unicodedata.normalize("NFKC", title), unicodedata.normalize("NFKC", text[:300])
    for match in (YEAR.search(title), _DATE.search(head), _YEAR_IN_NAME.search(name)):
        if match:
            return int(match.group(1))
    years = Counter(int(y) for y in YEAR.findall(unicodedata.normalize("NFKC", text)))
    return max(years, key=lambda y: (years[y], y)) if years else None


def load_document(path: Path) -> Document:
    return build_document(path.name, read_text(path))
