"""A document's passages' words, numbered: each distinct word once, each passage as numbers.

Why: 1,000 speech-size documents hold ~7 million words, ~1.5 million distinct within their
documents. As strings they were pickled by the worker that tokenized them, unpickled by the
loading process and looked up there one by one to number them for the index: ~2 s of that
process's CPU, after the workers were done. Numbered in the worker, a document's words are
a few arrays (cheap to pickle and to store in the caches), and the loading process looks up
each document's distinct words only (number_all).

Numbers follow the order in which the passages first use a word, so number_all numbers a
library's words in the order a count over their strings would (bm25.SparseBM25).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, compress
from typing import Protocol

import numpy as np


class Words:
    """The words of a document's passages (one field's), as `terms` and each passage's numbers.

    Passage i is terms[numbers[k]] for k over its lengths[i] numbers, the passages one after
    another. Iterated, a Words gives each passage's words as a tuple of strings.
    """

    __slots__ = ("terms", "numbers", "lengths")

    def __init__(self, terms: tuple[str, ...], numbers: np.ndarray, lengths: np.ndarray) -> None:
        """terms: each word once, in order of first use; numbers: int32; lengths: int32, per passage."""
        self.terms, self.numbers, self.lengths = terms, numbers, lengths

    @classmethod
    def of(cls, passages: Sequence[Sequence[str]]) -> Words:
        """The passages' words numbered (one dict operation per word, in C: a lookup in a dict whose
        default is its own length gives a new word the next number)."""
        numbers_of: defaultdict[str, int] = defaultdict()
        numbers_of.default_factory = numbers_of.__len__
        lengths = np.fromiter(map(len, passages), dtype=np.int32, count=len(passages))
        numbers = np.fromiter(map(numbers_of.__getitem__, chain.from_iterable(passages)), dtype=np.int32,
                              count=int(lengths.sum(dtype=np.int64)))
        return cls(tuple(numbers_of), numbers, lengths)

    @classmethod
    def kept(cls, words: Sequence[str], keep: Callable[[str], bool], separator: str) -> Words:
        """Words.of(passages), bit for bit, where the passages are the runs of words between two
        separators (len(passages) = separators + 1), each run without the words keep does not
        keep; keep is asked once per distinct word; a separator is never kept.

        Why: tokenizing keeps a passage's index terms of what the segmenter cut, a document's
        passages cut at once (segmenter.cut_each_for_search): ~9 million words at 1,000
        documents, ~7 million kept. Filtering them one by one and then numbering what was kept
        looked every word up twice (~1.6 s of the workers' CPU); here every word is numbered
        once, and the words not kept (separators too) are dropped from the numbers as arrays.
        The kept words keep their order of first use, so their numbers are Words.of's.
        """
        numbers_of: defaultdict[str, int] = defaultdict()
        numbers_of.default_factory = numbers_of.__len__
        every = np.fromiter(map(numbers_of.__getitem__, words), dtype=np.int32, count=len(words))
        keeps = np.fromiter(map(keep, numbers_of), dtype=bool, count=len(numbers_of))
        separator_number = numbers_of.get(separator, -1)
        if separator_number >= 0:
            keeps[separator_number] = False
        kept = keeps[every]  # per word
        renumbered = (np.cumsum(keeps, dtype=np.int32) - 1).astype(np.int32, copy=False)
        numbers = renumbered[every[kept]]
        so_far = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))  # words kept before each word
        breaks = np.flatnonzero(every == separator_number)
        starts, ends = np.concatenate(([0], breaks + 1)), np.append(breaks, len(every))
        lengths = (so_far[ends] - so_far[starts]).astype(np.int32)
        return cls(tuple(compress(numbers_of, keeps.tolist())), numbers, lengths)

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        terms, numbers = self.terms, self.numbers.tolist()
        start = 0
        for length in self.lengths.tolist():
            yield tuple(terms[n] for n in numbers[start:start + length])
            start += length

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Words):
            return NotImplemented
        return (self.terms == other.terms and np.array_equal(self.lengths, other.lengths)
                and np.array_equal(self.numbers, other.numbers))

    __hash__ = None  # type: ignore[assignment]  # mutable arrays inside

    def __getstate__(self) -> tuple[str | tuple[str, ...], np.ndarray, np.ndarray, int]:
        """The terms as one string (joined_terms), unless one of them holds its separator."""
        joined = joined_terms(self.terms)
        return (self.terms if joined is None else joined), self.numbers, self.lengths, len(self.terms)

    def __setstate__(self, state: tuple[str | tuple[str, ...], np.ndarray, np.ndarray, int]) -> None:
        terms, self.numbers, self.lengths, count = state
        self.terms = split_terms(terms, count) if isinstance(terms, str) else terms

    def is_valid(self) -> bool:
        """Whether the parts fit together (what a cache file read back must show)."""
        return (isinstance(self.terms, tuple) and isinstance(self.numbers, np.ndarray)
                and isinstance(self.lengths, np.ndarray) and self.numbers.ndim == 1 and self.lengths.ndim == 1
                and int(self.lengths.sum(dtype=np.int64)) == len(self.numbers)
                and bool((self.lengths >= 0).all())
                and (not len(self.numbers)
                     or (int(self.numbers.min()) >= 0 and int(self.numbers.max()) < len(self.terms))))


TERMS_SEPARATOR = "\x00"


def joined_terms(terms: Sequence[str]) -> str | None:
    """The terms as one string, TERMS_SEPARATOR between two (None if a term holds it).

    Why: a document's words are pickled by the worker that prepares it, for the cache and for
    the loading process, which unpickles them; written as a tuple, each of its ~3,000 distinct
    words is one string to write and one to make again: 0.4 s of the workers' CPU and 0.5 s of
    the loading process's at 1,000 documents. One string is written at once, and split at once.
    """
    joined = TERMS_SEPARATOR.join(terms)
    return joined if joined.count(TERMS_SEPARATOR) == max(len(terms) - 1, 0) else None


def split_terms(joined: str, count: int) -> tuple[str, ...]:
    """The `count` terms joined_terms joined (ValueError if they are not as many)."""
    terms = tuple(joined.split(TERMS_SEPARATOR)) if count else ()
    if len(terms) != count:
        raise ValueError(f"{len(terms)} terms, not {count}")
    return terms


NO_WORDS = Words((), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))  # of no passage


def number_all(documents: Iterable[Words]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The passages of all the documents, in order, numbered across them: (terms, each word's
    number, each passage's length); terms in order of first use, as Words.of would number the
    passages' strings. One lookup per document's distinct word; the rest is array indexing."""
    numbering = Numbering()
    for words in documents:
        numbering.add(words)
    return numbering.result()


class Counter(Protocol):
    """What takes a library's numbered words a few documents at a time (bm25.PostingsCounter)."""

    def add(self, columns: np.ndarray, lengths: np.ndarray) -> None: ...


class Numbering:
    """number_all, a document at a time: add() each document's words in order, then result().

    Why: the loading process numbers a library's words after the last document is prepared,
    ~0.45 s at 1,000 documents that nothing else runs beside; added as each document comes back
    from the workers, the numbering runs while they prepare the others.

    counter: given each document's numbered words as they are added (bm25.PostingsCounter,
    which counts the index's postings as they come), instead of keeping them for result():
    then only terms() tells what was numbered.
    """

    def __init__(self, counter: Counter | None = None) -> None:
        self._numbers_of: defaultdict[str, int] = defaultdict()
        self._numbers_of.default_factory = self._numbers_of.__len__
        self._numbers: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []
        self._added = 0
        self.counter = counter

    def add(self, words: Words) -> None:
        renumbered = np.fromiter(map(self._numbers_of.__getitem__, words.terms), dtype=np.int32,
                                 count=len(words.terms))
        self._added += 1
        if self.counter is not None:
            self.counter.add(renumbered[words.numbers], words.lengths)
            return
        self._numbers.append(renumbered[words.numbers])
        self._lengths.append(words.lengths)

    def __len__(self) -> int:
        """How many documents were added."""
        return self._added

    def terms(self) -> list[str]:
        """Every term numbered, in the order of their numbers."""
        return list(self._numbers_of)

    def result(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        if self.counter is not None:
            raise ValueError("the words were given to the counter, not kept")
        if not self._numbers:
            return [], np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
        return self.terms(), np.concatenate(self._numbers), np.concatenate(self._lengths)
