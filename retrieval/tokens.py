"""Turn text into index terms, the same way for passages and for questions.

Matching is done on a normalized copy of the text (full-width → half-width, lower case,
Traditional → Simplified, no spaces), so "２０２２ 年", "2022年" and "2022 年" all give the
same terms. Quoted passages are never normalized: only their terms are.

The word lists this module uses (user dictionary, stoplist, related terms) are data files
in data/rules/, loaded by retrieval/rules.py.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
import opencc

from retrieval import rules
from retrieval.token_cache import fingerprint_files

jieba.setLogLevel(logging.WARNING)

_T2S = opencc.OpenCC("t2s")
_SPACES = re.compile(r"\s+")
_SPACE_BETWEEN_LATIN = re.compile(r"(?<=[0-9a-z])\s+(?=[0-9a-z])")
_LATIN_OR_DIGIT = re.compile(r"[0-9a-z.%]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """jieba with the domain user dictionary; built once per process."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq in rules.user_words():
        tokenizer.add_word(word, freq)
    return tokenizer


def normalize(text: str) -> str:
    """Matching form of text: NFKC, lower case, simplified characters, no spaces.

    Spaces go, except one between two Latin words or numbers ("new 2022" stays two terms).
    """
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = _T2S.convert(text)
    text = _SPACE_BETWEEN_LATIN.sub("\x00", text)
    return _SPACES.sub("", text).replace("\x00", " ")


def _words(normalized: str) -> list[str]:
    """jieba search-mode words: whole terms plus their dictionary sub-words (保障性/保障)."""
    return [w for w in _tokenizer().cut_for_search(normalized, HMM=True) if _is_term(w)]


def _is_term(word: str) -> bool:
    return bool(_HAN.search(word) or _LATIN_OR_DIGIT.fullmatch(word))


def tokenize(text: str) -> list[str]:
    """Index terms of a passage (stopwords removed)."""
    stop = rules.stopwords()
    return [w for w in _words(normalize(text)) if w not in stop]


def question_terms(question: str) -> list[str]:
    """Terms of a question: its question phrases (什么时候, 哪几项, 多少…) cut out, then as a passage.

    Cutting the phrases before splitting keeps their pieces ("时候", "几项") out of the search.
    """
    pieces = rules.question_phrases().split(normalize(question))
    return [term for piece in pieces if piece for term in tokenize(piece)]


def related_terms(term: str) -> frozenset[str]:
    """Words the related-terms file groups with term (not including term itself)."""
    return rules.related().get(term, frozenset())


@lru_cache(maxsize=1)
def tokenizer_fingerprint() -> str:
    """Changes whenever the word lists or this module change: tokens cached before are stale."""
    return fingerprint_files([*rules.RULES_DIR.glob("*.txt"), Path(__file__)], version="tokens-1")
