"""The two normalized forms of a text. Quoted text is never normalized; only compared.

- `normalize`, the matching form: NFKC, lower case, Traditional → Simplified, no spaces
  (one kept between two Latin words or numbers). "２０２２ 年", "2022年" and "2022 年" match.
- `compact`, the compare form: NFKC, no whitespace at all. "X %" and "X％" compare equal;
  letters, script and punctuation are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import cast

import opencc

_T2S = opencc.OpenCC("t2s")
_SPACES = re.compile(r"\s+")
_LATIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")  # [0-9a-z]
_SPACE_OR_NUL = re.compile(r"[\s\x00]")  # what the space rule below can change
_LATIN_SPACE_LATIN = re.compile(r"[0-9a-z]\s+[0-9a-z]")  # a run of spaces the space rule may keep
_SPACE_OR_NUL_NOT_NEWLINE = re.compile(r"[^\S\n]|\x00")  # the same, but the line breaks normalize_each adds


def normalize(text: str) -> str:
    """Matching form of text: NFKC, lower case, simplified characters, no spaces.

    Spaces go, except one between two Latin words or numbers ("new 2022" stays two terms).

    A passage's form is remembered for a while (texts of REMEMBER_CHARS or more): preparing a
    document normalizes each passage right after tokenizing it did (index.prepare after
    tokens.tokenize), 0.9 s of CPU over 1,000 speech-size documents. Shorter texts (sentences,
    questions, clauses) are kept apart, the last SHORT_TEXTS of them: answering one question
    normalizes the same few sentences and clauses of its candidates again and again (the
    declining checks, declines.answers: 11 to 100 calls a question on bench_library's mix, 3 to 12
    distinct texts; ~10% of Library.ask's time at 1,000 documents).
    """
    if len(text) < REMEMBER_CHARS:
        found = _short.get(text)
        if found is None:
            if len(_short) >= SHORT_TEXTS:
                _short.clear()  # atomic, as _remember's
            found = _short[text] = _normalized(text)
        return found
    found = _remembered.get(text)
    return _remember(text, _normalized(text)) if found is None else found


def normalize_each(texts: list[str]) -> list[str]:
    """[normalize(t) for t in texts], bit for bit, for texts without a line break: the sentences
    of a passage, worked out together.

    Why: a library's ~340,000 sentences were each normalized alone (index.prepare), and most of
    the time went into each call's fixed costs (OpenCC's above all). Here the texts are joined
    with line breaks, mapped to NFKC, lower-cased and converted to simplified characters once,
    and cut apart again. Exact, because a line break is a boundary no step reaches across: NFKC
    composes and reorders nothing across a starter that combines with nothing; lower() reads
    no cased letter across it (the final sigma rule stops there); OpenCC's dictionaries come
    from line-based files, so no key or value holds one, and its longest-match conversion
    cannot run over it. The space rule, which a line break would disturb, is applied to each
    text alone. A text holding a line break, or a result that does not cut back into as many
    pieces, is worked out one by one.
    """
    if len(texts) < 2 or any("\n" in t for t in texts):
        return [_normalized(t) for t in texts]
    joined = nfkc("\n".join(texts)).lower()
    if not joined.isascii():
        joined = _T2S.convert(joined)
    pieces = joined.split("\n")
    if len(pieces) != len(texts):
        return [_normalized(t) for t in texts]
    if _SPACE_OR_NUL_NOT_NEWLINE.search(joined) is None:
        return pieces
    return [_spaced(piece) if _SPACE_OR_NUL.search(piece) else piece for piece in pieces]


def normalize_all(texts: Sequence[str]) -> list[str]:
    """[normalize(t) for t in texts], bit for bit, for texts that may hold line breaks: a
    document's passages, worked out together, and remembered, short ones too, for
    normalized_passages (index.prepare) to read back.

    Why: tokenizing a document normalizes its ~45 passages, and one call each cost ~1.55 ms of
    a speech-size document, ~0.4 ms of it each call's fixed costs (OpenCC's, the full-width
    replacements of nfkc). Exact as normalize_each is: the texts are joined with line breaks,
    and NFKC, lower() and OpenCC map a line break to itself and read nothing across one, so the
    joined result cut at its line breaks gives every line of every text, each as alone; a
    text's own lines are joined again. The space rule, which reads a text's line breaks as
    spaces, is applied to each text alone. If the lines do not come back as many, one by one.
    """
    if len(texts) < 2:
        return [_remember(t, _normalized(t)) for t in texts]
    joined = nfkc("\n".join(texts)).lower()
    if not joined.isascii():
        joined = _T2S.convert(joined)
    lines = joined.split("\n")
    counts = [t.count("\n") + 1 for t in texts]
    if len(lines) != sum(counts):
        return [_remember(t, _normalized(t)) for t in texts]
    forms, at = [], 0
    for text, count in zip(texts, counts, strict=True):
        form = lines[at] if count == 1 else "\n".join(lines[at:at + count])
        at += count
        if _SPACE_OR_NUL.search(form) is not None:
            form = _spaced(form)
        forms.append(_remember(text, form))
    return forms


def normalized_passages(texts: Sequence[str]) -> list[str]:
    """normalize_all(texts), each form normalize_all remembered read back (tokenizing a document
    just normalized its passages: index.prepare reads them again), the rest worked out.

    Why: normalize reads back only passages of REMEMBER_CHARS or more, not to look every
    sentence up; a third of a speech-size document's passages are shorter, and normalizing
    them again was ~0.4 ms of preparing it."""
    forms = [_remembered.get(text) for text in texts]
    missing = [text for text, form in zip(texts, forms, strict=True) if form is None]
    if not missing:
        return cast(list[str], forms)  # none is None
    worked_out = iter(normalize_all(missing))
    return [next(worked_out) if form is None else form for form in forms]


def _remember(text: str, form: str) -> str:
    if len(_remembered) >= REMEMBER_TEXTS:
        _remembered.clear()  # atomic, unlike evicting one entry while another thread reads
    _remembered[text] = form
    return form


REMEMBER_CHARS = 200  # passages average 330 characters, sentences 41
REMEMBER_TEXTS = 2048  # a document's passages, a few MB at most
_remembered: dict[str, str] = {}
SHORT_TEXTS = 4096  # shorter texts kept by normalize (< REMEMBER_CHARS each: ~1 MB, at most a few)
_short: dict[str, str] = {}


def _normalized(text: str) -> str:
    text = nfkc(text).lower()
    if not text.isascii():
        text = _T2S.convert(text)
    if _SPACE_OR_NUL.search(text) is None:  # most sentences: the space rule would change nothing
        return text
    return _spaced(text)


def _spaced(spaced: str) -> str:
    """The space rule of normalize, on text already mapped to NFKC, lower-cased and simplified.

    Where no run of spaces lies between two Latin letters or digits (most passages: their line
    breaks between Chinese sentences), every run goes: str.split's whitespace is the pattern's
    \\s (both Unicode's, str.isspace), without a call for each run."""
    if _LATIN_SPACE_LATIN.search(spaced) is None:
        text = "".join(spaced.split())
        return text.replace("\x00", " ") if "\x00" in text else text

    def space(run: re.Match[str]) -> str:
        """A run of spaces: one space between two Latin letters or digits, else nothing."""
        start, end = run.span()
        if start > 0 and end < len(spaced) and spaced[start - 1] in _LATIN and spaced[end] in _LATIN:
            return " "
        return ""

    # One pass over the runs of spaces, not a look around every character (twice as fast on a
    # passage); a NUL becomes a space, as it did when NUL marked the spaces kept.
    text = _SPACES.sub(space, spaced)
    return text.replace("\x00", " ") if "\x00" in text else text


def compact(text: str) -> str:
    """Compare form of text: NFKC with all whitespace removed ("X %" = "X％", "2022 年" = "2022年")."""
    return "".join(nfkc(text).split())


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), about twice as fast on Chinese text.

    Why: NFKC's quick check fails on every sentence with a full-width comma, and then the
    whole sentence is decomposed and composed again; loading a library normalizes every
    sentence. The characters NFKC changes on their own ("，" → ",", "１" → "1", "①" → "1")
    are mapped first; what is left is almost always already normalized, which is cheap to
    check. Exact: NFKC of the mapped text equals NFKC of the text, and the rare text still
    not normalized (a combining accent) is normalized in full. The mapping is not str.translate,
    which looks up every character of the text in the table (three times slower on Chinese,
    where only punctuation is mapped): the full-width punctuation of almost every sentence is
    replaced first, then anything else the table maps, if any, by a regular expression.
    """
    pattern, table = _compatibility_map()
    for wide, narrow in _COMMON:
        if wide in text:
            text = text.replace(wide, narrow)
    mapped = pattern.sub(lambda found: table[found.group()], text) if pattern.search(text) else text
    return mapped if unicodedata.is_normalized("NFKC", mapped) else unicodedata.normalize("NFKC", mapped)


# The characters _compatibility_map maps that Chinese text is full of ("，" 78% of them in the
# corpus), with their NFKC: plain ASCII, which the table leaves alone, so replacing these one
# after another and the rest in one pass maps every character exactly as the table does.
_COMMON = (("，", ","), ("（", "("), ("）", ")"), ("：", ":"), ("；", ";"))


@lru_cache(maxsize=1)
def _compatibility_map() -> tuple[re.Pattern[str], dict[str, str]]:
    """NFKC of each character NFKC changes alone, in the blocks Chinese text draws on: Latin-1
    (² ½), punctuation, letter-like and number forms, enclosed numbers (① ⑴ ㈠), CJK symbols
    (the ideographic space), compatibility ideographs and the full-width forms (，１Ａ); and a
    pattern matching any one of those characters."""
    blocks = (range(0xA0, 0x100), range(0x2000, 0x2C00), range(0x3000, 0x3400), range(0xF900, 0xFB00),
              range(0xFE10, 0xFE70), range(0xFF00, 0xFFF0))
    table = {}
    for code in (c for block in blocks for c in block):
        normal = unicodedata.normalize("NFKC", chr(code))
        if normal != chr(code):
            table[chr(code)] = normal
    return re.compile("[" + "".join(map(re.escape, table)) + "]"), table
