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
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import chain, compress, islice
from typing import Protocol

import numpy as np


class Words:
    """The words of a document's passages (one field's), as `terms` and each passage's numbers.

    Passage i is terms[numbers[k]] for k over its lengths[i] numbers, the passages one after
    another. Iterated, a Words gives each passage's words as a tuple of strings.
    """

    __slots__ = ("_terms", "_joined", "_count", "numbers", "lengths")

    def __init__(self, terms: tuple[str, ...], numbers: np.ndarray, lengths: np.ndarray) -> None:
        """terms: each word once, in order of first use; numbers: int32; lengths: int32, per passage."""
        self._terms: tuple[str, ...] | None = terms
        self._joined, self._count = "", len(terms)
        self.numbers, self.lengths = numbers, lengths

    @property
    def terms(self) -> tuple[str, ...]:
        """Each word once, in order of first use. Unpickled, the words are split out of their joined
        string (joined_terms) when first read: a loading process that numbers a preparing worker's
        document by the worker's own numbers (Numbering.add_from) never reads them, and splitting
        a speech-size document's ~3,400 terms was ~0.3 ms of its CPU for each."""
        terms = self._terms
        if terms is None:
            terms = self._terms = split_terms(self._joined, self._count)
            self._joined = ""
        return terms

    @terms.setter
    def terms(self, terms: tuple[str, ...]) -> None:
        self._terms, self._joined, self._count = terms, "", len(terms)

    @property
    def term_count(self) -> int:
        """len(self.terms), without splitting them out."""
        return self._count

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
        if self._terms is None:
            return self._joined, self.numbers, self.lengths, self._count
        joined = joined_terms(self._terms)
        return (self._terms if joined is None else joined), self.numbers, self.lengths, self._count

    def __setstate__(self, state: tuple[str | tuple[str, ...], np.ndarray, np.ndarray, int]) -> None:
        """Split when first read (terms); ValueError here already if they are not `count` terms."""
        terms, self.numbers, self.lengths, count = state
        if isinstance(terms, str):
            if count and terms.count(TERMS_SEPARATOR) + 1 != count:  # as split_terms would find
                raise ValueError(f"not {count} terms")
            self._terms, self._joined, self._count = None, terms, count
        else:
            self.terms = terms

    def is_valid(self) -> bool:
        """Whether the parts fit together (what a cache file read back must show)."""
        if self._terms is None and not isinstance(self._joined, str):
            return False
        return ((self._terms is None or isinstance(self._terms, tuple))
                and isinstance(self.numbers, np.ndarray) and isinstance(self.lengths, np.ndarray)
                and self.numbers.ndim == 1 and self.lengths.ndim == 1
                and int(self.lengths.sum(dtype=np.int64)) == len(self.numbers)
                and bool((self.lengths >= 0).all())
                and (not len(self.numbers)
                     or (int(self.numbers.min()) >= 0 and int(self.numbers.max()) < self._count)))


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
        self._sources: dict[Hashable, np.ndarray] = {}  # add_from's: each source's numbers, here

    def add(self, words: Words) -> None:
        renumbered = np.fromiter(map(self._numbers_of.__getitem__, words.terms), dtype=np.int32,
                                 count=len(words.terms))
        self._add_renumbered(renumbered, words)

    def add_from(self, source: Hashable, new_terms: Sequence[str], local: np.ndarray, words: Words) -> None:
        """add(words), bit for bit, for words a Vocabulary (`source`) numbered: local, each of
        words.terms' number there (Vocabulary.numbered); new_terms, the terms it numbered first
        there, in order. Each source's documents must be added in the order it numbered them,
        and in the order of the library (a preparing worker takes its documents in order).

        Why: the loading process looked up every document's ~3,400 distinct terms (~1.1 ms of its
        CPU for each, 1.1 s at 1,000 documents, beside the two preparing workers on two cores).
        A worker's documents share most of their words: once its first documents are in, a
        document brings a few terms new to it, and the rest is one array lookup.

        Exact: a term the source numbered before was in an earlier document of the source's,
        added before this one, so it has its number here already, as add would find it; the
        terms new to the source are this document's terms in their order of first use, less
        those, so the terms new here are numbered in the order add numbers them."""
        known = self._sources.get(source, _NO_NUMBERS)
        if new_terms:
            known = np.concatenate((known, np.fromiter(map(self._numbers_of.__getitem__, new_terms),
                                                       dtype=np.int32, count=len(new_terms))))
            self._sources[source] = known
        self._add_renumbered(known[local], words)

    def _add_renumbered(self, renumbered: np.ndarray, words: Words) -> None:
        """Add words whose terms have these numbers here."""
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


_NO_NUMBERS = np.zeros(0, dtype=np.int32)


class Vocabulary:
    """The terms of the documents a preparing worker makes ready (one field's), each numbered once
    in the order the worker first meets them, for Numbering.add_from in the loading process: each
    document's terms as those numbers, and the terms numbered since the last document.

    It numbers every word cut (kept: its words' numbers are looked up once, as Words.kept's are,
    and give the kept terms' numbers too), and the terms among them apart, in order. Its numbers
    start again from nothing past LIMIT words (a new source, its epoch): a worker preparing a
    huge library keeps no more than that."""

    LIMIT = 1_000_000  # words, ~100 MB; 1,000 speech-size documents hold ~15,000
    _UNSEEN = np.iinfo(np.int32).max

    def __init__(self, name: Hashable, keep: Callable[[str], bool]) -> None:
        """keep: whether a word is a term, asked once per word (as Words.kept's keep)."""
        self._name, self._keep, self._epoch = name, keep, -1
        self.start_again()

    def start_again(self) -> None:
        """Forget every number: the next document is told all its terms, as from a new source."""
        self._epoch += 1
        self._numbers_of: defaultdict[str, int] = defaultdict()
        self._numbers_of.default_factory = self._numbers_of.__len__
        self._words: list[str] = []  # by number
        self._keeps = np.zeros(0, dtype=bool)  # by word number: a term
        self._term_of = np.zeros(0, dtype=np.int32)  # by word number: its number among the terms, or -1
        self._terms: list[str] = []  # by term number
        self._sent = 0  # terms told (numbered)
        self._first = np.zeros(0, dtype=np.int32)  # kept's: by word number, _UNSEEN between two calls

    def _grow(self) -> None:
        """The verdicts and term numbers of the words numbered since the last call.

        Those are the dict's last ones (numbered in order, never removed): read from its end, not
        by skipping the first ones (islice from its start walks every word numbered so far: ~0.3
        ms a call at the ~15,000 words of a worker's half of 1,000 documents, two calls a
        document, and growing with the library)."""
        count = len(self._numbers_of) - len(self._words)
        if not count:
            return
        new = list(islice(reversed(self._numbers_of), count))
        new.reverse()
        self._words += new
        keeps = np.fromiter(map(self._keep, new), dtype=bool, count=len(new))
        terms = np.full(len(new), -1, dtype=np.int32)
        terms[keeps] = np.arange(len(self._terms), len(self._terms) + int(keeps.sum()), dtype=np.int32)
        self._terms += compress(new, keeps.tolist())
        self._keeps = np.concatenate((self._keeps, keeps))
        self._term_of = np.concatenate((self._term_of, terms))
        self._first = np.concatenate((self._first, np.full(len(new), self._UNSEEN, dtype=np.int32)))

    def kept(self, words: Sequence[str], separator: str) -> tuple[Words, np.ndarray]:
        """Words.kept(words, keep, separator), bit for bit, and its terms' numbers here (int32).

        Each word is numbered here (one dict operation each, as Words.kept numbers them in a
        dict of its own), then the document's kept words are numbered again among themselves
        by arrays: where each first stands (np.minimum.at), in that order."""
        if len(self._numbers_of) + len(words) > self.LIMIT:
            self.start_again()
        every = np.fromiter(map(self._numbers_of.__getitem__, words), dtype=np.int32, count=len(words))
        self._grow()
        separator_number = self._numbers_of.get(separator, -1)
        kept = self._keeps[every]
        if separator_number >= 0:
            kept &= every != separator_number
        used = every[kept]
        positions = np.arange(len(used), dtype=np.int32)
        first = self._first
        np.minimum.at(first, used, positions)  # where each word kept is first used
        distinct = used[first[used] == positions]  # in order of first use
        first[distinct] = np.arange(len(distinct), dtype=np.int32)
        numbers = first[used]
        first[distinct] = self._UNSEEN
        so_far = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))  # words kept before each word
        breaks = np.flatnonzero(every == separator_number)
        starts, ends = np.concatenate(([0], breaks + 1)), np.append(breaks, len(every))
        lengths = (so_far[ends] - so_far[starts]).astype(np.int32)
        terms = tuple(map(self._words.__getitem__, distinct.tolist()))
        return Words(terms, numbers, lengths), self._term_of[distinct]

    def numbered(self, words: Words) -> np.ndarray | None:
        """Each of words.terms' number here (int32); None if one of them is no term."""
        if len(self._numbers_of) + words.term_count > self.LIMIT:
            self.start_again()
        numbers = np.fromiter(map(self._numbers_of.__getitem__, words.terms), dtype=np.int32,
                              count=words.term_count)
        self._grow()
        local = self._term_of[numbers]
        return None if len(local) and int(local.min()) < 0 else local

    def told(self, local: np.ndarray) -> tuple[Hashable, list[str], np.ndarray]:
        """What Numbering.add_from takes of a document whose terms have these numbers here (kept or
        numbered, the last call): the source (the vocabulary's name and epoch), the terms numbered
        since the last document told, in order, and the numbers."""
        new = self._terms[self._sent:]
        self._sent = len(self._terms)
        return (self._name, self._epoch), new, local
