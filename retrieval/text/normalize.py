"""The two normalized forms of a text. Quoted text is never normalized; only compared.

- `normalize`, the matching form: NFKC, lower case, Traditional → Simplified, no spaces
  (one kept between two Latin words or numbers). "２０２２ 年", "2022年" and "2022 年" match.
- `compact`, the compare form: NFKC, no whitespace at all. "X %" and "X％" compare equal;
  letters, script and punctuation are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata

import opencc

_T2S = opencc.OpenCC("t2s")
_SPACES = re.compile(r"\s+")
_SPACE_BETWEEN_LATIN = re.compile(r"(?<=[0-9a-z])\s+(?=[0-9a-z])")


def normalize(text: str) -> str:
    """Matching form of text: NFKC, lower case, simplified characters, no spaces.

    Spaces go, except one between two Latin words or numbers ("new 2022" stays two terms).
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = _T2S.convert(text)
    text = _SPACE_BETWEEN_LATIN.sub("\x00", text)
    return _SPACES.sub("", text).replace("\x00", " ")


def compact(text: str) -> str:
    """Compare form of text: NFKC with all whitespace removed ("X %" = "X％", "2022 年" = "2022年")."""
    return "".join(unicodedata.normalize("NFKC", text).split())
