"""Score every passage of the loaded documents against a question.

Two BM25 fields per passage: its body, and its heading path (with the document title).
A heading says what a whole passage is about ("二、2022 年的重点工作 › 二是进一步加强基础
配套"), so a question word found there counts more than the same word in passing.

BM25 variant: BM25Plus (k1=1.2, b=0.75, delta=1). BM25Okapi's idf is zero or negative for a
term found in half or more of the passages (rank_bm25 issues 39, 43): on a 30-passage speech
"2022" or "配套" would then count for nothing or against a passage. BM25Plus's idf,
log((N+1)/df), stays positive, and its delta keeps long passages from being crushed by length.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

import numpy as np

from retrieval import segmenter
from retrieval.bm25 import (
    Accumulators,
    Approximation,
    GroupPostings,
    PostingsCounter,
    ReadPostings,
    Source,
    SparseBM25,
    Within,
    group_spans,
    pruned_top_k,
    release_freed_memory,
)
from retrieval.models import Chunk, Document
from retrieval.question import Query
from retrieval.text.abbreviations import abbreviation, spelled_out
from retrieval.text.normalize import normalize, normalize_each, normalized_passages
from retrieval.text.sentences import sentence_spans
from retrieval.text.tokens import _terms as index_terms  # the verdicts of tokenize, per word
from retrieval.text.tokens import tokenize
from retrieval.text.years import YEAR, relative_words
from retrieval.words import NO_WORDS, Numbering, Words, number_all

BM25_PARAMS = {"k1": 1.2, "b": 0.75, "delta": 1.0}
# A question finds its candidates from the postings (QueryScores, bm25.pruned_top_k) and scores only
# those exactly; it never reads the dense columns SparseBM25 keeps of frequent terms for its own top
# k: none are built (at 1,000 documents they were 57 MB, made in memory on every reload).
DENSE_COLUMNS_MB = 0.0
HEADING_WEIGHT = 1.0  # weight of the heading field relative to the body
GROUP_POSTINGS_MB = 32.0  # per field, postings of year words kept across questions (bm25.GroupPostings)
READ_POSTINGS_MB = 32.0  # per field, long posting lists kept as read across questions (bm25.ReadPostings)
# A word of a document's name in more of its passages than this is content (xx in a speech about
# xx区, 93% of the passages); in fewer, a name, even where the text often says it (西藏 in 70% of
# Tibet's report's passages).
NAMING_MAX_SHARE = 0.85
TITLE_NAME_CHARS = 3  # a title word this long names the document (naming_words): 省政府, not 政府
# A term in more than this share of the passages, and more than RARE_MIN of them, is taken to be
# in every document (documents_using): what a term's documents are is then not worth working out.
RARE_SHARE = 0.05
RARE_MIN = 10_000
USING_CACHE = 10_000  # terms whose documents are remembered
SPELLED_KEPT = 8  # ways of spelling out one abbreviation kept (spelled_out)
YEAR_SCORES_MB = 16.0  # the year parts of scores kept across questions (Index._by_document_year)


GroupScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (passages' groups, passages) → their scores

# Where a sentence's normalized form is not a piece of its normalized passage (Entry.unmatched).
UNMATCHED = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class Entry:
    """A passage with what scoring needs to know about it.

    Memory decides the shape (1,000 documents are ~43,000 entries and ~340,000 sentences): the
    normalized passage is kept once, and each sentence, verbatim and normalized, is a span of
    the passage and of that normalized text, not two more strings (those were ~130 MB).

    The sentences' spans are worked out when first read, not when the library is built: a
    question reads those of a few dozen passages, and working them out for every passage was
    ~4.5 ms of the ~33 ms of CPU a speech-size document cost to load (1,000 documents: ~4.5 s
    on two cores, the same work again at every cold start), ~0.1 ms a passage when read.
    """

    chunk: Chunk
    title: str
    year: int | None
    named: frozenset[str]  # words that name its document but that its text seldom uses (naming_words)
    matchable: str  # normalized heading path + body, for checking which question words it holds
    path_length: int  # matchable[:path_length] is the normalized heading path
    own_heading: str  # normalized last heading of the path
    path_years: frozenset[int]  # years its heading path names ("二、2022 年的重点工作" → 2022)
    path_numbers: tuple[int | None, ...]  # the number each heading of its path opens with ("二、" → 2)
    # spans and unmatched once read (sentence_spans_in of the fields above): not compared, not stored.
    read_sentences: tuple[bytes, tuple[str, ...]] | None = dataclasses.field(default=None, compare=False,
                                                                            repr=False)

    @property
    def spans(self) -> bytes:
        """Per sentence, as uint32: start, end in chunk.text; start, end in matchable."""
        return self._sentence_spans()[0]

    @property
    def unmatched(self) -> tuple[str, ...]:
        """The normalized sentences found nowhere in matchable, in order (their spans there: UNMATCHED)."""
        return self._sentence_spans()[1]

    def _sentence_spans(self) -> tuple[bytes, tuple[str, ...]]:
        """Worked out on first use and kept (threads that race work out the same)."""
        found = self.read_sentences
        if found is None:
            found = sentence_spans_in(self.chunk.text, self.matchable, self.path_length)
            object.__setattr__(self, "read_sentences", found)  # frozen: its value does not change
        return found

    @property
    def path_text(self) -> str:
        """The normalized heading path."""
        return self.matchable[:self.path_length]

    @property
    def sentences(self) -> tuple[tuple[str, str], ...]:
        """(verbatim sentence, its normalized form) of each sentence (split_sentences), in order."""
        text, normalized, spans = self.chunk.text, self.matchable, memoryview(self.spans).cast("I")
        unmatched = iter(self.unmatched)
        return tuple((text[spans[i]:spans[i + 1]],
                      normalized[spans[i + 2]:spans[i + 3]] if spans[i + 2] != UNMATCHED else next(unmatched))
                     for i in range(0, len(spans), 4))


def sentence_spans_in(text: str, normalized: str, first: int = 0) -> tuple[bytes, tuple[str, ...]]:
    """Entry.spans and Entry.unmatched of a passage: its sentences (split_sentences) as spans of
    text, and each one's normalize() as a span of `normalized` from `first` on, or else kept
    whole in the unmatched tuple. Found by search, so a span always holds exactly normalize()
    of its sentence, whatever normalize does at a sentence's edges."""
    values: list[int] = []
    unmatched: list[str] = []
    at = first
    spans = sentence_spans(text)
    for (start, end), form in zip(spans, normalize_each([text[a:b] for a, b in spans]), strict=True):
        found = normalized.find(form, at)
        if found < 0:
            found = normalized.find(form, first)
        if found < 0:
            unmatched.append(form)
            values += (start, end, UNMATCHED, UNMATCHED)
        else:
            values += (start, end, found, found + len(form))
            at = found + len(form)
    return array("I", values).tobytes(), tuple(unmatched)


class WeightedBM25:
    """BM25Plus scores for a weighted bag of query terms, from the sparse index in retrieval/bm25.py.

    BM25Plus adds idf × delta for each query term to every passage, with the term or without;
    that per-query constant is taken off again, so a passage holding none of the terms scores 0.
    """

    def __init__(self, index: SparseBM25 | None) -> None:
        """index: the field's BM25 index (built, or loaded from its saved files); None: no passages."""
        self._bm25 = index
        self.n_docs = index.n_docs if index is not None else 0
        self._unseen_idf = math.log(self.n_docs + 1.0)
        # Postings of year words in the passages of the years that use them (今年: "2022" in 2022's).
        self._group_postings = GroupPostings(GROUP_POSTINGS_MB)
        self._read_postings = ReadPostings(READ_POSTINGS_MB)  # long posting lists as read

    def scores(self, terms: dict[str, float]) -> np.ndarray:
        if self._bm25 is None:
            return np.zeros(0)
        scores = self._bm25.get_weighted_scores(terms)
        scores -= self._constant(terms)  # in place: the same subtraction, without another array
        return scores

    def scores_at(self, terms: dict[str, float], docs: np.ndarray) -> np.ndarray:
        """scores(terms)[docs], bit for bit, computed for those passages only."""
        return self.scorer(terms)(docs)

    def scorer(self, terms: dict[str, float]) -> Callable[[np.ndarray], np.ndarray]:
        """scores_at(terms, ·), with the terms and their constant worked out once."""
        if self._bm25 is None:
            return lambda docs: np.zeros(len(docs))
        exact, constant = self._bm25.exact_scorer(terms), self._constant(terms)
        return lambda docs: exact(docs) - constant

    def scores_by_group(self, groups: list[dict[str, float]], group_of: np.ndarray) -> np.ndarray:
        """Each passage d's scores(groups[group_of[d]])[d], bit for bit (0 for group -1), in one
        pass over the groups' terms (SparseBM25.exact_scores_by_group)."""
        if self._bm25 is None:
            return np.zeros(0)
        return self._bm25.exact_scores_by_group(groups, group_of) - self._constants(groups)[group_of]

    def scores_by_group_at(self, groups: list[dict[str, float]], group_of: np.ndarray,
                           docs: np.ndarray) -> np.ndarray:
        """scores_by_group(groups, ...)[docs], bit for bit, for those passages only (group_of: theirs)."""
        return self.group_scorer(groups)(group_of, docs)

    def group_scorer(self, groups: list[dict[str, float]]) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        """scores_by_group_at(groups, ·, ·), with the groups' terms and constants worked out once."""
        if self._bm25 is None:
            return lambda group_of, docs: np.zeros(len(docs))
        exact, constants = self._bm25.exact_group_scorer(groups), self._constants(groups)
        return lambda group_of, docs: exact(group_of, docs) - constants[group_of]

    def approximation(self, terms: dict[str, float], scale: float) -> Approximation | None:
        """scale × scores(terms) as a sum of the terms' stored contributions (SparseBM25.approximation);
        None when a passage without any of the terms would not score exactly 0, as pruned_top_k needs
        (BM25Plus's idf × delta added for each term and the constant taken off may round apart)."""
        if self._bm25 is None:
            return Approximation([], 0.0, 0.0, True)
        constant = self._constant(terms)
        if self._bm25.absent_score(terms) - constant != 0.0:
            return None
        return self._bm25.approximation(terms, constant, scale, self._read_postings)

    def group_approximation(self, groups: list[dict[str, float]], group_of: np.ndarray, scale: float,
                            spans: list[tuple[np.ndarray, np.ndarray]]) -> Approximation | None:
        """As approximation, for scale × scores_by_group(groups, group_of); spans: each group's passages
        as ranges (bm25.group_spans)."""
        if self._bm25 is None:
            return Approximation([], 0.0, 0.0, True)
        constants = self._constants(groups)
        if any(self._bm25.absent_score(terms) - constant != 0.0
               for terms, constant in zip(groups, constants, strict=False)):  # not the last: group -1
            return None
        return self._bm25.group_approximation(groups, constants[:-1].tolist(), group_of, scale, spans,
                                              self._group_postings)

    def _constant(self, terms: dict[str, float]) -> float:
        """What BM25Plus gives every passage for these terms, with them or without: taken off every score."""
        assert self._bm25 is not None
        return sum(w * self._bm25.idf(t) for t, w in terms.items()) * BM25_PARAMS["delta"]

    def _constants(self, groups: list[dict[str, float]]) -> np.ndarray:
        """Each group's _constant, and 0.0 last, for the passages of group -1."""
        return np.array([self._constant(terms) for terms in groups] + [0.0])

    def seen(self, term: str) -> bool:
        return self._bm25 is not None and self._bm25.doc_freq(term) > 0

    def idf(self, term: str) -> float:
        """Informativeness of a term; one never seen is as informative as the rarest seen term."""
        return self._bm25.idf(term) if self._bm25 is not None and self.seen(term) else self._unseen_idf

    def postings(self, term: str) -> np.ndarray:
        """The passages using the term."""
        return self._bm25.postings(term) if self._bm25 is not None else np.empty(0, dtype=np.intp)


def _year_after(year: int, offset: int) -> list[str]:
    """今年 (offset 0) in a document of 2022 is "2022"; 去年 (-1) is "2021"."""
    return [str(year + offset)]


def year_words(query: Query) -> list[Callable[[int], list[str]]]:
    """For each year the question names, the words it is in a document of a given year: 今年 the year
    it means there, 1981年 the word that document uses for it (今年 in the report of 1981)."""
    relative: list[Callable[[int], list[str]]] = [partial(_year_after, offset=o) for o in query.year_offsets]
    return relative + [partial(relative_words, asked) for asked in query.years]


def document_words(document: Document) -> str:
    """What names a document, read with every one of its passages: its title, place, speaker and
    the short names users type ("云南", "王予波"). A Yunnan report says 全省, not 云南: "云南今年的
    粮食目标" still finds 云南 under its passages."""
    profile = document.profile
    if profile is None:
        return document.title
    from retrieval.profile import SAID_FROM_WITHIN  # here: a warm start reads prepared documents only

    # Not "区里", "县里" (profile._said_from_within): cut into 区 and 里, they would name the document
    # for every question saying "…计划里…". prepare adds every alias whole to the heading words.
    aliases = (alias for alias in profile.aliases if alias not in SAID_FROM_WITHIN)
    return " ".join(dict.fromkeys(w for w in (document.title, profile.place, profile.speaker, profile.kind,
                                               *aliases) if w))


def naming_words(document: Document, passages: list[str]) -> frozenset[str]:
    """Names of the document (its place, speaker, kind, short names) that most of its passages do
    not use: "云南" for the Yunnan report, which says 全省; "西藏" for Tibet's, which says it
    in many of them, but not throughout. They say which document a question is about, not what a
    passage is about: "西藏今年GDP目标多少" is answered by "主要预期目标是：地区生产总值增长7%以上", not by a
    sentence that says 西藏 and 经济总量. Nor is a name the text uses throughout ("xx" in a speech
    about xx区), nor a title word it mostly uses ("考评" of a 考评办法 is its subject). A title's
    long words are names ("湖北省政府" of "2025年湖北省政府工作报告", which writes 省政府 seldom)."""
    profile = document.profile
    if profile is None:
        return frozenset()
    names = (profile.place, profile.speaker, profile.kind, *profile.aliases)
    words = {normalize(w) for w in names if w}
    words |= {w for w in tokenize(document.title) if len(w) >= TITLE_NAME_CHARS}
    from retrieval.profile import abbreviated_names  # here: a warm start reads prepared documents only

    abbreviations = set(abbreviated_names(profile.place))  # 京: one character, but a name ("京 2025 …")
    limit = NAMING_MAX_SHARE * len(passages)
    return frozenset(w for w in words | abbreviations if (len(w) > 1 or w in abbreviations)
                     and sum(w in p for p in passages) < limit)


def _aliases(document: Document) -> tuple[str, ...]:
    return document.profile.aliases if document.profile else ()


# What a passage's heading path gives it: normalized path, own heading, path years and numbers.
PathFields = tuple[str, str, frozenset[int], tuple[int | None, ...]]


def _entry(chunk: Chunk, document: Document, named: frozenset[str], body: str,
           path_fields: PathFields) -> Entry:
    """body: normalize(chunk.text); path_fields: what its heading path gives (see _path_fields)."""
    path_text, own_heading, path_years, path_numbers = path_fields
    return Entry(chunk=chunk, title=document.title, year=document.year, named=named,
                 matchable=path_text + body, path_length=len(path_text), own_heading=own_heading,
                 path_years=path_years, path_numbers=path_numbers)


def _path_fields(document: Document, names: str = "") -> tuple[list[PathFields], list[str]]:
    """Each chunk's normalized heading path, own heading, path years and numbers, worked out once per
    section: the passages of a section share them (and share them in the cache's pickle); and each
    chunk's heading field normalized: normalize(" ".join((names, *chunk.path))).

    Each distinct heading of the document is normalized once, all of them together with the names
    (normalize_each), and a path's and a field's forms are joined from their parts' (joined_forms):
    a document's ~40 heading fields and ~40 paths each repeat the names and the headings above
    them, and normalizing each whole was ~1.6 ms of preparing a speech-size document."""
    keys = list(dict.fromkeys((c.section, c.path) for c in document.chunks))
    headings = list(dict.fromkeys(heading for _, path in keys for heading in path))
    forms = normalize_each([names, *headings])
    form_of = dict(zip(headings, forms[1:], strict=True))
    found: dict[tuple[int | None, tuple[str, ...]], tuple[PathFields, str]] = {}
    for key in keys:
        path_forms = [form_of[heading] for heading in key[1]]
        path_text = joined_forms(path_forms)
        found[key] = ((path_text, path_forms[-1] if path_forms else "",
                       frozenset(int(y) for y in YEAR.findall(path_text)),
                       tuple(s.number for s in document.lineage(key[0]))),
                      joined_forms([forms[0], *path_forms]))
    chosen = [found[c.section, c.path] for c in document.chunks]
    return [fields for fields, _ in chosen], [field for _, field in chosen]


_LATIN = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")  # normalize keeps a space only between two


def joined_forms(forms: Sequence[str]) -> str:
    """normalize(" ".join(texts)), bit for bit, from forms = [normalize(t) for t in texts].

    Exact, because normalize maps a text to NFKC, lower case and simplified characters, then
    removes each run of whitespace but one between two Latin letters or digits (a space), and
    a space is a boundary none of the mappings reads across: NFKC composes and reorders nothing
    across a starter that combines with nothing; lower() looks across no space for its final
    sigma rule; and no key of OpenCC's t2s dictionaries holds whitespace (checked: TSPhrases,
    TSCharacters, TSCharactersExt, CJK_Compatibility_Ideographs). So the joined text maps to the
    parts' mapped texts joined by spaces, and each run of whitespace where two parts meet, with
    the parts' own runs at their edges and any empty part between, is one run between the last
    character of one form and the first of the next non-empty one: a space where both are Latin.
    (A NUL, which normalize makes a space after the runs, is no Latin character either way.)"""
    text = ""
    for form in forms:
        if form:
            if text and text[-1] in _LATIN and form[0] in _LATIN:
                text += " "
            text += form
    return text


# A piece of a normalized text: one of jieba's blocks (segmenter._JIEBA_BLOCK: what jieba, and
# jieba-rs, cut alone) and what follows it up to the next block, or what comes before the first.
_BLOCK = "\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-"
_PIECES = re.compile(f"[{_BLOCK}]+[^{_BLOCK}]*|[^{_BLOCK}]+")


def heading_words(headings: Sequence[str]) -> Words:
    """Words.of([tokenize(h) for h in headings]), bit for bit (field_words of their forms)."""
    distinct = list(dict.fromkeys(headings))
    form_of = dict(zip(distinct, normalize_each(distinct), strict=True))
    return field_words([form_of[h] for h in headings])


def field_words(forms: Sequence[str]) -> Words:
    """Words.of([tokenize(t) for t in texts]), bit for bit, where forms = [normalize(t) for t in
    texts]: each distinct piece of the forms (_PIECES) cut once, all of them at once, and each
    text given the words of its pieces in order.

    Why: a document's ~43 passages have ~40 distinct heading fields (the names of the document
    and the heading path), ~270 pieces, of which ~110 distinct: the document's names and a top
    heading's opening are one piece in every field under that heading. Cut field by field they
    were ~1.1 ms of preparing a speech-size document, their words numbered ~0.8 ms.

    Exact, as segmenter.cut_each_for_search is: jieba cuts each block alone, and yields each
    character between two blocks alone (whitespace too), so a text's words are its pieces'
    words, each piece cut as alone. Distinct pieces follow the order of their first use, so
    their words are numbered in the order the texts first use them, as Words.of numbers them."""
    distinct: dict[str, int] = {}
    of_form: dict[str, list[int]] = {}
    which: list[int] = []
    counts = np.zeros(len(forms), dtype=np.intp)
    for number, form in enumerate(forms):
        pieces = of_form.get(form)
        if pieces is None:
            pieces = of_form[form] = [distinct.setdefault(piece, len(distinct))
                                      for piece in _PIECES.findall(form)]
        which += pieces
        counts[number] = len(pieces)
    cut = Words.kept(segmenter.cut_each_for_search(list(distinct)), index_terms().__getitem__,
                     segmenter.PASSAGE_BREAK) if distinct else NO_WORDS
    used = np.array(which, dtype=np.intp)
    ends = np.cumsum(cut.lengths, dtype=np.intp)
    numbers = cut.numbers[_spans((ends - cut.lengths)[used], ends[used])]
    words_before = np.concatenate(([0], np.cumsum(cut.lengths[used], dtype=np.intp)))
    pieces_before = np.concatenate(([0], np.cumsum(counts)))
    lengths = (words_before[pieces_before[1:]] - words_before[pieces_before[:-1]]).astype(np.int32)
    return Words(cut.terms, numbers, lengths)


@dataclass(frozen=True)
class Prepared:
    """Everything indexing needs from one document, worked out once: its passages' words (body
    and heading field), their normalized sentences, and the words that name the document.
    Library keeps it in the document cache, so a restart tokenizes and normalizes nothing."""

    document: Document
    body: Words  # each passage's terms (NO_WORDS: not loaded)
    head: Words  # each passage's heading-field terms (names + path)
    entries: tuple[Entry, ...]
    name_words: tuple[str, ...]  # the words that name the document (Index.documents_named_by)
    # The token cache's key for its passages' words (token_cache.document_key; "" when none was
    # used): the token file a prune of the cache folder keeps while the document is loaded.
    tokens_key: str = ""


# What a Prepared keeps of each Entry beyond its passage, title and year (see packed).
PackedEntry = tuple[frozenset[str], str, int, str, frozenset[int], tuple[int | None, ...]]
PackedPrepared = tuple[tuple[PackedEntry, ...], tuple[str, ...], str]  # entries, name words, tokens key


def packed(prepared: Prepared) -> PackedPrepared:
    """A Prepared without its document (nor its words) for the cache, which holds the document
    apart: stored twice, every passage would be read twice and kept twice in memory."""
    return tuple((e.named, e.matchable, e.path_length, e.own_heading, e.path_years, e.path_numbers)
                 for e in prepared.entries), prepared.name_words, prepared.tokens_key


def unpacked(document: Document, stored: PackedPrepared) -> Prepared:
    """The Prepared that packed stored, its entries pointing at this document's passages again."""
    entries, name_words, tokens_key = stored
    if len(entries) != len(document.chunks):
        raise ValueError("the stored entries are not this document's passages")
    return Prepared(document=document, body=NO_WORDS, head=NO_WORDS, name_words=name_words, entries=tuple(
        Entry(chunk, document.title, document.year, *fields)
        for chunk, fields in zip(document.chunks, entries, strict=True)), tokens_key=tokens_key)


def prepare(document: Document, body: Words | Sequence[Sequence[str]] | None = None) -> Prepared:
    """A document made ready to index; body: its passages' terms when already known.

    The words are kept numbered (retrieval/words.py): each distinct word of the document once,
    not one string per occurrence, less to pickle to the cache and from a worker process
    (library.prepare_all), and numbered for the index where they are made."""
    names = document_words(document)
    bodies = normalized_passages([c.text for c in document.chunks])
    named = naming_words(document, bodies)
    words = tokenize(names) + [normalize(a) for a in _aliases(document)]
    # Imported here: a warm start reads prepared documents only.
    from retrieval.profile import abbreviated_names, congress_names

    words += abbreviated_names(document.profile.place if document.profile else None)
    # The congress session a national report was given at names it, as its place does, but is no word
    # of its headings: the heading text every passage is searched with stays the same.
    words += tokenize(" ".join(congress_names(document.profile.header))) if document.profile else []
    if body is None:
        body = [tokenize(c.text) for c in document.chunks]
    path_fields, heading_forms = _path_fields(document, names)
    return Prepared(
        document=document,
        body=body if isinstance(body, Words) else Words.of(body),
        head=field_words(heading_forms),
        entries=tuple(_entry(c, document, named, b, fields)
                      for c, b, fields in zip(document.chunks, bodies, path_fields, strict=True)),
        name_words=tuple(dict.fromkeys(words)),
    )


def is_saved(folder: Path | None) -> bool:
    """Whether both fields' indexes were saved whole in folder (their parameters file is written
    last), without loading them; a damaged one is found when loaded (Index raises MissingWords)."""
    return folder is not None and all((folder / field / "bm25.json").is_file() for field in ("body", "head"))


def saved_fields(folder: Path | None) -> tuple[SparseBM25, SparseBM25] | None:
    """The body and heading indexes saved in folder, or None if they are not (wholly) there."""
    if folder is None:
        return None
    try:
        return SparseBM25.load(folder / "body"), SparseBM25.load(folder / "head")
    except ValueError:
        return None


class MissingWords(ValueError):
    """The index must be built, and some documents were prepared without their words."""


@dataclass(frozen=True)
class Earlier:
    """The saved index of an earlier library that shares documents with this one (a library
    after one file changed): passage i of this library is its passage old_ids[i], or, where
    that is -1, a passage of a document it did not hold, whose words Prepared carries."""

    folder: Path
    old_ids: np.ndarray


FIELDS = ("body", "head")  # each passage's words, and its heading field's


def counting_numberings() -> tuple[Numbering, Numbering]:
    """A Numbering per field (FIELDS) for Index's numbered, each counting the index's postings
    as documents are added (bm25.PostingsCounter): building the index after the last document
    then counts only the last batch."""
    return Numbering(PostingsCounter()), Numbering(PostingsCounter())


def _bm25_fields(prepared: tuple[Prepared, ...], folder: Path | None, earlier: Earlier | None = None,
                 numbered: Sequence[Numbering] | None = None) -> tuple[WeightedBM25, WeightedBM25]:
    saved = saved_fields(folder)
    if saved is not None:
        return WeightedBM25(saved[0]), WeightedBM25(saved[1])
    old: list[SparseBM25 | None] = list(saved_fields(earlier.folder) or ()) if earlier is not None else []
    fields = []
    for number, field in enumerate(FIELDS):
        # One field at a time, and served from its saved files before the next is made: the
        # built arrays of both fields are never in memory at once.
        made = _reused_field(prepared, earlier, old[number], field) if earlier and old else None
        if made is None:
            if any(len(p.body) != len(p.entries) or len(p.head) != len(p.entries) for p in prepared):
                raise MissingWords("the passages' words are needed to build the index")
            given = numbered[number] if numbered and len(numbered[number]) == len(prepared) else None
            if given is not None and isinstance(given.counter, PostingsCounter):
                passages = any(p.entries for p in prepared)
                made = SparseBM25.counted(given.terms(), given.counter, "plus", k1=BM25_PARAMS["k1"],
                                          b=BM25_PARAMS["b"], delta=BM25_PARAMS["delta"],
                                          hot_memory_mb=DENSE_COLUMNS_MB) if passages else None
            else:
                terms, numbers, lengths = (given.result() if given is not None
                                           else number_all(getattr(p, field) for p in prepared))
                made = SparseBM25.numbered(terms, numbers, lengths, "plus", k1=BM25_PARAMS["k1"],
                                           b=BM25_PARAMS["b"], delta=BM25_PARAMS["delta"],
                                           hot_memory_mb=DENSE_COLUMNS_MB) if len(lengths) else None
                del terms, numbers, lengths
        if old:
            old[number] = None  # the earlier index's pages of this field are no longer needed
        if folder is not None and made is not None:
            fields.append(_served_from(folder / field, made))
        else:
            fields.append(WeightedBM25(made))
        del made  # else the built arrays would stay until the next field is made
        release_freed_memory()
    return fields[0], fields[1]


def _served_from(folder: Path, built: SparseBM25) -> WeightedBM25:
    """The built index saved in folder, and served from there, memory-mapped: the built arrays
    are freed, and only the pages questions touch stay resident (a small server's memory is
    the limit). If it cannot be saved, served as built (only the next restart is slower)."""
    try:
        built.save(folder)
        return WeightedBM25(SparseBM25.load(folder))
    except (OSError, ValueError) as err:
        logging.getLogger(__name__).warning("could not save the index in %s (%s)", folder, err)
        return WeightedBM25(built)


def _reused_field(prepared: tuple[Prepared, ...], earlier: Earlier, old: SparseBM25 | None,
                  field: str) -> SparseBM25 | None:
    """A field made from an earlier library's (SparseBM25.reused): only the passages of new
    documents are counted. None when the earlier index is gone or does not fit."""
    fresh = earlier.old_ids < 0
    if old is None or len(fresh) != sum(len(p.entries) for p in prepared):
        return None
    first = 0
    words: list[tuple[str, ...]] = []
    for ready in prepared:
        if fresh[first:first + len(ready.entries)].any():
            if len(ready.body) != len(ready.entries) or len(ready.head) != len(ready.entries):
                return None
            words += getattr(ready, field)  # a few documents' words, as strings
        first += len(ready.entries)
    try:
        return old.reused(earlier.old_ids, words, hot_memory_mb=DENSE_COLUMNS_MB)
    except (ValueError, IndexError) as err:  # e.g. a fresh document prepared without its words
        logging.getLogger(__name__).warning("could not reuse the index in %s (%s)", earlier.folder, err)
        return None


def numbered_depth(path_numbers: tuple[int | None, ...], number: int) -> int:
    """How many numbered headings stand above the first heading numbered `number` on a path.
    Unnumbered ones do not count: an attachment's 四、 (under 附件) is its fourth part, as the
    report's own 四、 is; a speech's 第四， under 三、 is one level down."""
    return sum(n is not None for n in path_numbers[:path_numbers.index(number)])


class NumberedPassages:
    """The passages under a heading of each number ("二、", "（二）", "第二个问题" → 2): for each
    number, (depth, position) of every passage with such a heading on its path, depth being the
    index of the first such heading in the path, in order of depth, then position.

    Why arrays, and lists only as asked: built in a Python loop over every passage, with a list
    per number, it was ~0.12 s of each restart and /reload at 1,000 documents. Paths are few
    (the numbers on a path, not its words: a few hundred distinct), so each distinct path's
    pairs are worked out once and spread to its passages by numpy, then sorted once.
    """

    def __init__(self, paths: Sequence[tuple[int | None, ...]]) -> None:
        kinds: dict[tuple[int | None, ...], int] = {}
        kind = np.fromiter((kinds.setdefault(path, len(kinds)) for path in paths), dtype=np.intp,
                           count=len(paths))
        # Each distinct path's (number, depth) pairs, path after path.
        pair_count = np.zeros(len(kinds), dtype=np.intp)
        numbers: list[int] = []
        depths: list[int] = []
        for path, k in kinds.items():
            held = {n for n in path if n is not None}
            numbers += held
            depths += (path.index(n) for n in held)
            pair_count[k] = len(held)
        pair_start = np.cumsum(pair_count) - pair_count
        # Every passage's pairs: passage p has its path's pair_count pairs, from its pair_start on.
        per_passage = pair_count[kind]
        position = np.repeat(np.arange(len(paths), dtype=np.intp), per_passage)
        first_of_passage = np.cumsum(per_passage) - per_passage
        pair = np.repeat(pair_start[kind] - first_of_passage, per_passage) + np.arange(len(position))
        number = np.array(numbers, dtype=np.int64)[pair] if numbers else np.zeros(0, dtype=np.int64)
        depth = np.array(depths, dtype=np.int64)[pair] if depths else np.zeros(0, dtype=np.int64)
        order = np.lexsort((position, depth, number))  # by number, then depth, then position
        self._number, self._depth, self._position = number[order], depth[order], position[order]
        self._lists: dict[int, list[tuple[int, int]]] = {}

    def passages(self, number: int) -> list[tuple[int, int]]:
        """(depth, position) of the passages under a heading numbered `number`, shallowest first."""
        found = self._lists.get(number)
        if found is None:
            start, end = np.searchsorted(self._number, [number, number + 1])
            depths, positions = self._depth[start:end].tolist(), self._position[start:end].tolist()
            found = list(zip(depths, positions, strict=True))
            self._lists[number] = found
        return found


class Index:
    """All passages of a set of documents, ready to score."""

    def __init__(self, documents: tuple[Document, ...], body_tokens: list[list[str]] | None = None,
                 prepared: tuple[Prepared, ...] | None = None, saved_in: Path | None = None,
                 earlier: Earlier | None = None, numbered: Sequence[Numbering] | None = None) -> None:
        """body_tokens: each passage's terms, in order, when already known; prepared: each
        document made ready (see prepare), which makes building the index cheap; saved_in: a
        folder where the BM25 indexes of exactly these documents are (loaded, memory-mapped) or
        are to be saved once built; earlier: a saved index to build from, sharing documents.
        Prepared without words needs them saved in one of the two. numbered: per field (FIELDS),
        the prepared documents' words already numbered in order (words.Numbering), as number_all
        would number them, to build the index from when there is none to load."""
        if prepared is None:
            bounds = [0]
            for d in documents:
                bounds.append(bounds[-1] + len(d.chunks))
            prepared = tuple(prepare(d, body_tokens[a:b] if body_tokens is not None else None)
                             for d, a, b in zip(documents, bounds[:-1], bounds[1:], strict=True))
        self.documents = {d.name: d for d in documents}
        self.entries = tuple(e for p in prepared for e in p.entries)
        self._body, self._head = _bm25_fields(prepared, saved_in, earlier, numbered)
        # Which documents a word names (their title, place, speaker, short names), for questions
        # that say which document they are about: "云南" → the Yunnan report.
        self.document_names = tuple(d.name for d in documents)
        self._named_by: dict[str, set[int]] = {}
        for number, ready in enumerate(prepared):
            for word in ready.name_words:
                self._named_by.setdefault(word, set()).add(number)
        position_of = {name: number for number, name in enumerate(self.document_names)}
        # The passage each section's heading stands in (where "第三部分第（二）项" begins), by
        # document number: worked out for a document the first time a question asks (opening).
        self._openings: dict[int, dict[int, int]] = {}
        self.document_of = np.array([position_of[e.chunk.doc] for e in self.entries], dtype=np.intp)
        self._years = np.array([e.year or 0 for e in self.entries])
        # Passages by the number of a heading on their path ("二、" → 2), shallowest heading first:
        # "第二个问题" finds its candidates without a pass over every passage.
        self._under = NumberedPassages([e.path_numbers for e in self.entries])
        self._shallowest: dict[int, dict[int, int]] = {}  # shallowest_depth's, by document, as asked
        self._distinct_years = sorted(set(self._years.tolist()) - {0})
        self._using: dict[str, frozenset[int] | None] = {}  # documents_using, as questions ask
        self._spelled: dict[str, tuple[str, ...]] = {}  # spelled_out, as questions ask
        # _by_document_year's scores, by the words of each document year.
        self._year_scores: dict[tuple[tuple[str, ...], ...], np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def scores(self, query: Query) -> np.ndarray:
        terms = dict(query.terms)
        # Added in place, the heading field's scores as they are at weight 1 (1.0 × x is x, bit for
        # bit): two arrays of every passage fewer than body + HEADING_WEIGHT × head.
        total = self._body.scores(terms)
        head = self._head.scores(terms)
        total += head if HEADING_WEIGHT == 1.0 else HEADING_WEIGHT * head
        for words_for in year_words(query):
            total += self._by_document_year(words_for)
        return total

    def _by_document_year(self, words_for: Callable[[int], list[str]]) -> np.ndarray:
        """Each passage scored on the words its own document's year calls for.

        One pass over those words' postings, not one pass over the index per year: a library
        of reports from 30 years would score every passage 30 times for a 今年.

        Kept for the next question with the same words (a year's part of a score depends on
        nothing else the question says): 今年, 去年 and the years asked recur, and their part was
        a third of such a question's answer at 1,000 documents (2.8 of 9 ms). Read-only: callers
        add it to their own arrays.
        """
        words = tuple(tuple(words_for(year)) for year in self._distinct_years)
        kept = self._year_scores.get(words)
        if kept is not None:
            return kept
        groups = [dict.fromkeys(year_words, 1.0) for year_words in words]
        scores = (self._body.scores_by_group(groups, self._year_number)
                  + HEADING_WEIGHT * self._head.scores_by_group(groups, self._year_number))
        scores.flags.writeable = False
        if len(self._year_scores) >= max(1, int(YEAR_SCORES_MB * 2**20) // max(1, scores.nbytes)):
            self._year_scores.clear()
        self._year_scores[words] = scores
        return scores

    @cached_property
    def _year_number(self) -> np.ndarray:
        """Each passage's year as a position in _distinct_years; -1 for a document without a year.
        Worked out on the first question that names a year."""
        number = np.searchsorted(self._distinct_years, self._years)
        return np.where(self._years == 0, -1, number)

    @cached_property
    def _year_spans(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The passages of each year in _distinct_years, as ranges (bm25.group_spans)."""
        return group_spans(self._year_number, len(self._distinct_years))

    def opening(self, document: str, section: int) -> int | None:
        """The position of the passage that opens a section (holds its heading).

        Why worked out per document as asked: a table of every section of every document was
        ~0.1 s of each restart and /reload at 1,000 documents (56,000 sections); a question
        looks into the sections of a few."""
        number = self._document_number.get(document)
        if number is None:
            return None
        openings = self._openings.get(number)
        if openings is None:
            first = int(self._first_passage[number])
            chunks = self.documents[document].chunks
            starts = [c.start for c in chunks]
            openings = {s.id: first + max(bisect_right(starts, s.start) - 1, 0)
                        for s in self.documents[document].sections}
            self._openings[number] = openings
        return openings.get(section)

    @cached_property
    def alias_words(self) -> frozenset[str]:
        """The short names users type for documents (云南, 包头, 王予波): a question using one
        says which document it asks. Worked out on the first question that could use them."""
        return frozenset(normalize(alias) for document in self.documents.values() if document.profile
                         for alias in document.profile.aliases)

    def documents_using(self, term: str) -> frozenset[int] | None:
        """The documents whose passages use a term; None for a term in so many passages (发展 in a
        large library) that it is taken to be in every document."""
        if term not in self._using:
            if len(self._using) >= USING_CACHE:
                self._using.clear()
            passages = self._body.postings(term)
            rare = len(passages) <= max(RARE_SHARE * len(self.entries), RARE_MIN)
            if rare:
                # Ascending passages, and a document's passages follow each other: its documents ascend,
                # each once per run. Where a run starts, not np.unique (hashing, then a sort): 50,000
                # passages in 0.17 ms, not 3.3, the first time a question asks the term.
                documents = self.document_of[passages]
                starts = np.ones(len(documents), dtype=bool)
                starts[1:] = documents[1:] != documents[:-1]
                self._using[term] = frozenset(documents[starts].tolist())
            else:
                self._using[term] = None
        return self._using[term]

    def spelled_out(self, term: str) -> tuple[str, ...]:
        """How the passages spell out a numbered abbreviation ("四早": "早发现、早报告、早隔离、早治疗";
        text/abbreviations.py), most written first; () for any other word. Worked out for a word the
        first time a question uses it, over the passages holding its key."""
        if term not in self._spelled:
            found = abbreviation(term)
            lists: dict[str, int] = {}
            if found is not None:
                count, key = found
                for entry in self.entries:
                    if key in entry.matchable:
                        for spelled in spelled_out(count, key, entry.matchable):
                            lists[spelled] = lists.get(spelled, 0) + 1
            if len(self._spelled) >= USING_CACHE:
                self._spelled.clear()
            self._spelled[term] = tuple(sorted(lists, key=lambda s: -lists[s])[:SPELLED_KEPT])
        return self._spelled[term]

    def documents_named_by(self, word: str) -> set[int]:
        """The documents (by position in document_names) whose names hold the word."""
        return self._named_by.get(word, set())

    def shallowest_depth(self, position: int, number: int) -> int | None:
        """The least numbered_depth of a heading numbered `number` in the passage's document:
        "第四部分" is the shallowest 四. Worked out for a document the first time it is asked."""
        document = int(self.document_of[position])
        depths = self._shallowest.get(document)
        if depths is None:
            depths = {}
            first, end = int(self._first_passage[document]), int(self._first_passage[document + 1])
            for numbers in {entry.path_numbers for entry in self.entries[first:end]}:
                for numbered in numbers:
                    if numbered is not None:
                        depth = numbered_depth(numbers, numbered)
                        depths[numbered] = min(depth, depths.get(numbered, depth))
            self._shallowest[document] = depths
        return depths.get(number)

    def under_number(self, number: int) -> list[tuple[int, int]]:
        """(depth, position) of the passages with a heading numbered `number` on their path, in
        order of depth then position; depth is that heading's index in the path."""
        return self._under.passages(number)

    def idf(self, term: str) -> float:
        return self._body.idf(term)

    def seen(self, term: str) -> bool:
        """Whether any passage uses the term."""
        return self._body.seen(term)

    def uses(self, word: str) -> bool:
        """Whether a passage uses the word or a document is named by it (its speaker, its place)."""
        return self.seen(word) or bool(self.documents_named_by(word)) or word in self.alias_words

    def passages_of(self, doc: str) -> range:
        """The positions of one document's passages (for questions scoped to it): they follow each other.
        Empty for a document not loaded."""
        number = self._document_number.get(doc)
        if number is None:
            return range(0)
        return range(int(self._first_passage[number]), int(self._first_passage[number + 1]))

    def scoring(self, query: Query) -> QueryScores:
        """The question's scores, for the passages asked and its best passages (QueryScores)."""
        return QueryScores(self, query)

    @cached_property
    def _document_number(self) -> dict[str, int]:
        return {name: number for number, name in enumerate(self.document_names)}

    @cached_property
    def _first_passage(self) -> np.ndarray:
        """The position of each document's first passage, and len(self) last."""
        return np.searchsorted(self.document_of, np.arange(len(self.document_names) + 1))

    @cached_property
    def _accumulators(self) -> Accumulators:
        return Accumulators(len(self.entries))


# Passages below which a question scoped to a few documents scores them all, exactly, at once.
EXACT_MAX = 1024
# Up to this many passages every passage is scored exactly once and the best selected from all:
# at 42,733 passages (1,000 speeches) that is 1.7 ms for "今年经济增长的预期目标是多少", where
# pruning, built for a million, paid its per-list and per-range overhead twice (4.5 ms over all
# passages, 6.3 ms over the 333 documents the question names). The same passages and scores.
FULL_SCORING_MAX = 200_000


class QueryScores:
    """One question's scores, Index.scores(query) bit for bit, for the passages asked; and its best
    passages, found without scoring every passage.

    Why: at 1M passages, scoring every passage exactly, term by term, for both fields and for every
    document year took most of an answer's time, yet an answer only looks at a dozen candidates. The
    best are found from the stored approximate contributions, only the posting lists that can matter
    read (bm25.pruned_top_k), and only the candidates scored exactly: the same candidates, the same
    scores, bit for bit.
    """

    def __init__(self, index: Index, query: Query) -> None:
        self.index, self.query = index, query
        self.terms = dict(query.terms)

    @cached_property
    def year_groups(self) -> list[list[dict[str, float]]]:
        """Per year the question names, its words in each document year (as Index._by_document_year).

        Worked out when first read (at(), the pruned search): a library scored in full (up to
        FULL_SCORING_MAX passages) rarely reads them, and they were ~40 µs of each question naming
        a year (its words in each of the library's 26 years)."""
        return [[dict.fromkeys(words_for(year), 1.0) for year in self.index._distinct_years]
                for words_for in year_words(self.query)]

    def at(self, positions: np.ndarray) -> np.ndarray:
        """Index.scores(query)[positions], bit for bit: the same operations, for those passages only."""
        positions = np.asarray(positions, dtype=np.int64)
        if not len(positions):  # rank asks the passages found by their place, most often none: ~100 array
            return np.zeros(0)  # operations (a search per term and field) for nothing
        body, head, years = self._scorers
        total = body(positions) + HEADING_WEIGHT * head(positions)
        if years:
            group_of = self.index._year_number[positions]
            for year_body, year_head in years:
                total += year_body(group_of, positions) + HEADING_WEIGHT * year_head(group_of, positions)
        return total

    @cached_property
    def _scorers(self) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray],
                                list[tuple[GroupScorer, GroupScorer]]]:
        """What at() adds up, worked out once: the fields' scorers, and each year's."""
        index = self.index
        years = [(index._body.group_scorer(groups), index._head.group_scorer(groups))
                 for groups in self.year_groups]
        return index._body.scorer(self.terms), index._head.scorer(self.terms), years

    def best(self, k: int, within: range | None = None,
             documents: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(position, score) of the k best passages scoring above 0, best first, ties to the lower
        position: the first k of a stable sort of Index.scores(query) that are > 0, among the passages
        `within` (one document's), or of the documents where `documents` (by number) is True, or all."""
        index = self.index
        if len(index) <= FULL_SCORING_MAX:
            return self._best_of_all(k, within, documents)
        positions = None
        if within is not None and len(within) <= EXACT_MAX:
            positions = np.arange(within.start, within.stop, dtype=np.int64)
        elif documents is not None:
            chosen = np.flatnonzero(documents)
            starts, ends = index._first_passage[chosen], index._first_passage[chosen + 1]
            if int((ends - starts).sum()) <= EXACT_MAX:
                positions = np.concatenate([np.arange(a, b, dtype=np.int64)
                                            for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
                                           or [np.empty(0, dtype=np.int64)])
        if positions is not None:
            scores = self.at(positions)
            above = np.flatnonzero(scores > 0)
            top = above[np.argsort(-scores[above], kind="stable")[:k]]
            return list(zip(positions[top].tolist(), scores[top].tolist(), strict=True))
        approximation = self._approximation
        if approximation is None:
            return self._best_of_all(k, within, documents)
        sources, error = approximation
        ranges = (np.array([within.start]), np.array([within.stop])) if within is not None \
            else _ranges(index._first_passage, documents) if documents is not None else None
        if ranges is not None:
            starts, stops = ranges
            share = int((stops - starts).sum()) / len(index)
            sources = [Within(s, starts, stops, share) for s in sources]
        top, scores = pruned_top_k(sources, error, k, self.at, index._accumulators)
        return list(zip(top.tolist(), scores.tolist(), strict=True))

    @cached_property
    def _approximation(self) -> tuple[list[Source], float] | None:
        """The question's sources (every term of both fields, each year's words) and the error of their
        sum against Index.scores (pruned_top_k); None when a field cannot give one (every passage is then
        scored). Each part is within its own error of what it adds to the total; adding the parts rounds
        at most once per part and per source, each time by 2^-53 of the magnitudes' sum at most."""
        index = self.index
        parts = [index._body.approximation(self.terms, 1.0),
                 index._head.approximation(self.terms, HEADING_WEIGHT)]
        if self.year_groups:
            group_of, spans = index._year_number, index._year_spans
            for groups in self.year_groups:
                parts += [index._body.group_approximation(groups, group_of, 1.0, spans),
                          index._head.group_approximation(groups, group_of, HEADING_WEIGHT, spans)]
        if any(part is None or not part.nonnegative for part in parts):
            return None
        ready = [part for part in parts if part is not None]
        sources = [source for part in ready for source in part.sources]
        rounding = 2.0**-45 * (len(ready) + len(sources) + 10) * sum(part.magnitude for part in ready)
        return sources, sum(part.error for part in ready) + rounding

    @cached_property
    def _every_score(self) -> np.ndarray:
        """Index.scores(query), once for the question's several selections."""
        return self.index.scores(self.query)

    def _best_of_all(self, k: int, within: range | None,
                     documents: np.ndarray | None) -> list[tuple[int, float]]:
        """best, from every passage's exact score.

        Selected among the passages asked only (their scores in order: the same ties to the lower
        position), not among every score with the others set to 0: a question naming documents
        selects again among theirs, and at 42,733 passages making the array of every score
        (0 where not asked) and selecting from it cost ~0.4 ms for the few hundred asked."""
        scores = self._every_score
        if within is not None:
            positions = np.arange(within.start, within.stop)
        elif documents is not None:
            positions = _spans(*_ranges(self.index._first_passage, documents))
        else:
            positions = None
        asked = scores if positions is None else scores[positions]
        if not (asked > 0).any():  # a question of no word the passages use ("第二个问题讲的是什么"):
            return []  # no best to select, and selecting k of tied scores is the slowest case (~0.4 ms)
        # The k best by a partial sort (SparseBM25.top_k: ties to the lower position), not a sort of all.
        top = SparseBM25.top_k(asked, k)
        top = top[asked[top] > 0]
        if positions is not None:
            top = positions[top]
        return [(i, float(scores[i])) for i in top.tolist()]


def _spans(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The positions of the ranges [starts[i], stops[i]), in order, as one array."""
    lengths = stops - starts
    if not len(lengths):
        return np.zeros(0, dtype=np.intp)
    # Each position is its range's start plus its place in the range: one repeat and one arange.
    return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))


def _ranges(first_passage: np.ndarray, documents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The passages of the documents marked, as ranges [starts[i], stops[i]), neighbours joined."""
    marked = np.concatenate(([False], documents, [False]))
    edges = np.flatnonzero(marked[1:] != marked[:-1])  # where a run of marked documents begins, ends
    return first_passage[edges[0::2]], first_passage[edges[1::2]]
