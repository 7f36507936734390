"""The loaded documents and the one place a question enters: Library.ask(question) → Reply."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval import segmenter
from retrieval.answer import answer
from retrieval.child_process import cores
from retrieval.commitments import (
    Commitment,
    answer_from_commitments,
    commitment_passage,
    extract_commitments,
    search_commitments,
)
from retrieval.document_cache import (
    PreparedPickles,
    cached_document,
    commitments_key,
    earlier_index,
    file_key,
    from_pickles,
    has_prepared,
    index_folder,
    keep_document,
    kept_by_loads,
    load_commitments,
    load_prepared,
    prepared_key,
    prepared_pickles,
    save_manifest,
    store_commitments,
    store_document,
    store_prepared,
    store_prepared_pickles,
    stored_prepared_pickles,
    without_words,
)
from retrieval.document_cache import prune as prune_cache
from retrieval.index import (
    FIELDS,
    Earlier,
    Index,
    MissingWords,
    Prepared,
    counting_numberings,
    is_saved,
    prepare,
)
from retrieval.models import Document, DocumentError
from retrieval.question import CommitmentsIntent, Query, parse_question
from retrieval.reader import SUPPORTED_SUFFIXES
from retrieval.reply import Listing, NoAnswer, PassageAnswer, Reply
from retrieval.text.normalize import normalize_all
from retrieval.text.tokens import _terms as index_terms  # the verdicts of tokenize, per word
from retrieval.text.tokens import tokenize, tokenize_passages, tokenizer_fingerprint
from retrieval.text.years import expand_short_years
from retrieval.token_cache import (
    PARALLEL_MIN_CHARS,
    WARM_UP_TEXT,
    document_key,
    document_tokens,
    gc_paused,
    start_worker,
    tokenize_all,
    worker_pool,
)
from retrieval.words import Numbering, Vocabulary, Words

if TYPE_CHECKING:
    from retrieval.parse_workers import ParseLimits

MAX_QUESTION = 500  # characters of a question that are read; the rest is noise
# The document kinds a question's "2022年报告" / "2022年讲话" names (question.named_by_year).
_KINDS = {"报告": frozenset({"政府工作报告", "报告"}), "讲话": frozenset({"讲话"})}
PROFILES_FILE = ".profiles.json"  # in DATA_DIR: admins' profile corrections, file name → fields

logger = logging.getLogger(__name__)


class Library:
    """All loaded documents, indexed together; immutable once built, so it can be swapped whole.

    Splitting text into words is the slow part of building, so each document's words are
    remembered: in this process, and in cache_dir (a state directory) across restarts.
    """

    def __init__(self, documents: tuple[Document, ...], cache_dir: Path | None = None, *,
                 prepared: tuple[Prepared, ...] | None = None) -> None:
        """prepared: each document made ready to index with its words (index.prepare), when the
        caller already has them (benchmarks of a million passages whose words are known)."""
        with collected_once():
            self._build(documents, cache_dir, prepared)

    def _build(self, documents: tuple[Document, ...], cache_dir: Path | None,
               prepared: tuple[Prepared, ...] | None) -> None:
        self.documents = documents
        self.cache_dir = cache_dir
        # The BM25 indexes of exactly these documents are saved once built: a restart loads them
        # and reads no passage's words at all.
        # A library one document away from the last (a /reload, an upload) is made from the
        # last one's saved index: only the new document's words are read and counted.
        saved_in = index_folder(cache_dir, self.fingerprint) if cache_dir else None
        contents = list(zip(self.keys, (len(d.chunks) for d in documents), strict=True))
        earlier = None
        with_words: bool | set[str] = False
        was_saved = is_saved(saved_in)
        if not was_saved:
            earlier = earlier_index(cache_dir, contents, saved_in) if cache_dir and saved_in else None
            with_words = True if earlier is None else {
                key for (key, _), reused in zip(contents, _reused_documents(contents, earlier), strict=True)
                if not reused}
        # Building from every document's words: they are numbered as they come (Numbering).
        numbered = counting_numberings() if with_words is True and prepared is None else None
        if prepared is None:
            prepared = prepare_all(documents, cache_dir, with_words, self.keys, numbered=numbered)
        try:
            self.index = Index(documents, prepared=prepared, saved_in=saved_in, earlier=earlier,
                               numbered=numbered)
        except MissingWords:  # the saved or earlier index could not be read after all
            prepared = prepare_all(documents, cache_dir, True, self.keys)
            self.index = Index(documents, prepared=prepared, saved_in=saved_in)
            was_saved = False
        if saved_in is not None and not was_saved:
            save_manifest(saved_in, contents)
        # The token cache files holding its documents' words (kept by load_library's prune).
        self.tokens_keys = tuple(p.tokens_key for p in prepared if p.tokens_key)
        self._positions = {d.name: i for i, d in enumerate(documents)}
        self._years = {d.year for d in documents if d.year}
        self._commitments: tuple[Commitment, ...] | None = None
        self._extracting = threading.Lock()

    @cached_property
    def fingerprint(self) -> str:
        """Names this library's content: the same documents, read the same way, give the same one."""
        return hashlib.sha256("\0".join(self.keys).encode()).hexdigest()

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """What indexing made of each document is cached under its key (document_cache.prepared_key)."""
        return tuple(map(prepared_key, self.documents))

    def ask(self, question: str, scope: str | None = None, top_k: int = 3) -> Reply:
        """Answer a question from all documents, or only from the document named `scope`.

        A list question about commitments ("哪些任务要在月底前完成") gets the commitments that
        answer it; any other question the passage that does, or no answer.
        """
        question = question.strip()[:MAX_QUESTION]
        if scope is not None and scope not in self._positions:
            scope = None  # a document removed since the user picked it: ask them all
        if not any(ch.isalnum() for ch in question):
            return NoAnswer(question)
        # "22年的报告" means the 2022 report when one is loaded; the reply still shows the question as asked.
        expanded = expand_short_years(question, self._years)
        # its text is the question as asked unless a year was written out; cut as the documents' words are
        query = parse_question(expanded, known=self.index.uses)
        if expanded != question:
            query = dataclasses.replace(query, text=question)
        # A question that only filters the commitments ("今年的量化指标有哪些") is answered by
        # them: no one passage holds them all. A topic's targets ("对城市建设有哪些规划指标要求")
        # are best quoted in their passage, the sentence marked.
        intent = query.commitments
        listing = self._listing(question, intent, scope, top_k) if intent and not intent.topic else None
        if listing is not None:
            return listing
        found = answer(query, self.index, top_k=top_k, docs=(scope,) if scope is not None else None)
        if scope is None and query.named_by_year:
            found = self._from_named_kind(query, found, top_k)
        if isinstance(found, PassageAnswer) and query.named_by_year and (
                any(map(self._not_loaded, query.named_by_year))
                or not self._of_named_year(found.answer.doc, query.named_by_year)):
            # "2023年全国政府工作报告GDP目标" with no 2023 report loaded: the 2022 report's
            # target is no answer; nor, with the 2022 report loaded, is the 2021 report's
            # ("2022年报告个税起征点提到多少"). The closest passages are still shown.
            return NoAnswer(query.text, found.passages)
        return found

    def _from_named_kind(self, query: Query, found: PassageAnswer | NoAnswer,
                         top_k: int) -> PassageAnswer | NoAnswer:
        """The answer from the documents the question names by year and kind, when another answered:
        "2022年政府工作报告回顾2021年有哪些成绩" is not answered by the district's 2022 speech,
        which reviews 2021 too, when the 2022 report is loaded."""
        named = [d.name for d in self.documents if d.profile and any(
            d.year == year and d.profile.kind in _KINDS[kind] for year, kind in query.named_by_year)]
        if not named or (isinstance(found, PassageAnswer) and found.answer.doc in named):
            return found
        again = answer(query, self.index, top_k=top_k, docs=tuple(named))
        return again if isinstance(again, PassageAnswer) else found

    def _of_named_year(self, name: str, named: tuple[tuple[int, str], ...]) -> bool:
        """Whether the document is of a year the question names it by, or no document of such a
        year is loaded (then _not_loaded decides: one of unknown year may be the one asked for)."""
        years = {asked for asked, _ in named}
        if name in self._positions and self.documents[self._positions[name]].year in years:
            return True
        return not any(d.year in years for d in self.documents)

    def _not_loaded(self, named: tuple[int, str]) -> bool:
        """No document of that kind (报告: any report; 讲话: a speech) and year is loaded, and
        every one of that kind has a known year (one of unknown year may be the one asked for)."""
        year, kind = named
        of_kind = [d.year for d in self.documents if d.profile and d.profile.kind in _KINDS[kind]]
        return bool(of_kind) and None not in of_kind and year not in of_kind

    def _listing(self, question: str, intent: CommitmentsIntent, scope: str | None,
                 top_k: int) -> Listing | None:
        """The commitments that answer a list question about them, or None.

        A list of *every* commitment is no answer: "2022年基础配套有哪些任务" matches all of
        them on its year alone, while the passage search finds the section.
        """
        commitments = self.commitments()
        if scope is not None:
            commitments = tuple(c for c in commitments if c.doc == scope)
        found = answer_from_commitments(intent, commitments)
        if not found or len(found) == len(commitments):
            return None
        return self._listed(question, found, top_k)

    def listing(self, keyword: str = "", scope: str | None = None, top_k: int = 3) -> Listing | NoAnswer:
        """/commitments [keyword]: every commitment, or those matching the keyword, best first."""
        commitments = self.commitments()
        if scope is not None and scope in self._positions:
            commitments = tuple(c for c in commitments if c.doc == scope)
        keyword = keyword.strip()[:MAX_QUESTION]
        found = search_commitments(commitments, keyword) if keyword else list(commitments)
        if not found:
            return NoAnswer(keyword)
        return self._listed(keyword, found, top_k)

    def _listed(self, asked: str, found: list[Commitment], top_k: int) -> Listing:
        passages = tuple(commitment_passage(self.documents[self._positions[c.doc]], c) for c in found[:top_k])
        return Listing(asked, tuple(found), passages)

    def commitments(self) -> tuple[Commitment, ...]:
        """Targets, deadlines and tasks of every document, extracted once, on first use.

        Finding them takes seconds for a large document (about 25 s for 1,000 reports), so each
        document's are kept in cache_dir, and the bot calls this before a new library answers.
        The lock makes a burst of first questions (the bot answers 32 at once) extract once.
        """
        with self._extracting:
            if self._commitments is None:
                self._commitments = tuple(c for document, key in zip(self.documents, self.keys, strict=True)
                                          for c in self._document_commitments(document, key))
            return self._commitments

    def _document_commitments(self, document: Document, key: str) -> tuple[Commitment, ...]:
        if self.cache_dir is None:
            return extract_commitments(document)
        stored = load_commitments(self.cache_dir, commitments_key(key))
        if isinstance(stored, tuple) and all(isinstance(c, Commitment) and c.doc == document.name
                                             for c in stored):
            return stored
        found = extract_commitments(document)
        store_commitments(self.cache_dir, commitments_key(key), found)
        return found

    @cached_property
    def commitment_keys(self) -> tuple[str, ...]:
        """Under which keys each document's commitments are cached (kept by a prune)."""
        return tuple(map(commitments_key, self.keys))

    @property
    def commitments_ready(self) -> bool:
        """Whether commitments() returns at once (the first call may take seconds)."""
        return self._commitments is not None

    def position(self, name: str) -> int | None:
        """Where the document of that file name stands in `documents`, or None."""
        return self._positions.get(name)

    def document(self, name: str) -> Document | None:
        position = self._positions.get(name)
        return None if position is None else self.documents[position]


# What indexing made of recently seen documents, by content: rebuilding the library after an
# upload or a /reload prepares only what changed, even without a cache directory.
_RECENT: OrderedDict[str, Prepared] = OrderedDict()
_RECENT_LIMIT = 2000  # documents


def _reused_documents(contents: list[tuple[str, int]], earlier: Earlier) -> list[bool]:
    """Per document, whether its passages come from the earlier index."""
    reused, first = [], 0
    for _, passages in contents:
        reused.append(passages == 0 or bool(earlier.old_ids[first] >= 0))
        first += passages
    return reused


def prepare_all(documents: tuple[Document, ...], cache_dir: Path | None,
                with_words: bool | set[str] = True,
                keys: tuple[str, ...] | None = None, *, workers: int | None = None,
                min_parallel_chars: int = PARALLEL_MIN_CHARS,
                numbered: Sequence[Numbering] | None = None) -> tuple[Prepared, ...]:
    """Every document made ready to index (index.prepare), from memory, the cache folder, or
    worked out (_prepare_missing: on all cores when there is enough text).

    with_words False: the passages' words are not needed (the index is saved), so they are
    neither read nor kept; a set: only the words of the documents with those prepared keys.
    With a cache folder they are never kept in memory: it holds them. keys: the documents'
    prepared_key, when already known. workers, min_parallel_chars: as token_cache's.
    numbered (with_words True): one Numbering per field (index.FIELDS), given every document's
    words in order as soon as it and those before it are ready, most while workers prepare
    the rest: the index numbers no word after the last one (index.Index's numbered).
    """
    keys = keys or tuple(map(prepared_key, documents))
    found: dict[str, Prepared] = {}
    for key, document in zip(keys, documents, strict=True):
        wanted = with_words if isinstance(with_words, bool) else key in with_words
        ready = _RECENT.get(key)
        if ready is not None and not len(ready.body) and ready.entries and wanted:
            ready = load_prepared(cache_dir, key, document) if cache_dir else None  # the words are on disk
        elif ready is not None and cache_dir and not has_prepared(cache_dir, key):
            store_prepared(cache_dir, key, ready)  # remembered, but not yet on disk
        elif ready is None and cache_dir:
            ready = load_prepared(cache_dir, key, document, wanted)
        if ready is not None:
            found[key] = ready
    numbering = _numbering(keys, found, numbered) if numbered is not None else None
    missing = [(key, d) for key, d in zip(keys, documents, strict=True) if key not in found]
    if missing:
        found.update(_prepare_missing(missing, cache_dir, workers or cores(), min_parallel_chars,
                                      numbering))
    for key in keys:
        _RECENT[key] = without_words(found[key]) if cache_dir else found[key]
        _RECENT.move_to_end(key)
    while len(_RECENT) > max(_RECENT_LIMIT, len(keys)):
        _RECENT.popitem(last=False)
    return tuple(found[key] for key in keys)


# A preparing worker's numbers for a document's words, per field (FIELDS): Vocabulary.numbered's.
WorkerNumbers = tuple[tuple[Hashable, list[str], np.ndarray], ...]
Ready = Callable[[str, Prepared, WorkerNumbers | None], None]


def _numbering(keys: tuple[str, ...], found: dict[str, Prepared],
               numbered: Sequence[Numbering]) -> Ready:
    """What to call with each document prepared (its key, its Prepared, and its preparing worker's
    numbers for its words, if any): it is put in `found`, and the words of the documents ready in
    order from the first one not numbered yet are given to `numbered`, a Numbering per field. Those
    found already are numbered at once.

    A document prepared by a worker is numbered by the worker's numbers (Numbering.add_from), which
    needs each worker's documents numbered in the order it made them, each once: so it is, where
    the keys are distinct (a library's are: each names its file), for the workers take their
    documents in order and each is numbered as it comes back. Otherwise by its terms (add)."""
    next_one = 0
    by_worker: dict[str, WorkerNumbers] = {}
    distinct = len(set(keys)) == len(keys)

    def ready(key: str, prepared: Prepared, numbers: WorkerNumbers | None = None) -> None:
        nonlocal next_one
        found[key] = prepared
        if numbers is not None and distinct:
            by_worker[key] = numbers
        while next_one < len(keys) and keys[next_one] in found:
            done = found[keys[next_one]]
            worker = by_worker.pop(keys[next_one], None)
            for number, (numbering, field) in enumerate(zip(numbered, FIELDS, strict=True)):
                if worker is None:
                    numbering.add(getattr(done, field))
                else:
                    numbering.add_from(*worker[number], getattr(done, field))
            next_one += 1

    if keys and keys[0] in found:
        ready(keys[0], found[keys[0]])
    return ready


def _prepare_missing(missing: list[tuple[str, Document]], cache_dir: Path | None, workers: int,
                     min_parallel_chars: int, ready: Ready | None = None) -> dict[str, Prepared]:
    """prepare() of each (prepared key, document), its words from the token cache or tokenized,
    and stored in the cache folder.

    Why on all cores, words and the rest in one pass: preparing is all CPU (tokenizing ~45%,
    normalizing every sentence and tokenizing the headings most of the rest), ~20 s for 1,000
    speech-size documents in one process. A worker sends back what the cache stores (packed:
    no passage text, which this process has) and the words; the same Prepared as made here.
    A few documents (a /reload, an upload) are prepared here: starting workers costs more.
    ready: called with each (key, Prepared) as it is made, in order.
    """
    fingerprint = tokenizer_fingerprint()  # loads the tokenizer's rules
    texts = [[c.text for c in d.chunks] for _, d in missing]
    workers = min(workers, len(missing))
    if workers <= 1 or sum(len(t) for chunks in texts for t in chunks) < min_parallel_chars:
        tokens = tokenize_all(texts, tokenize, cache_dir, fingerprint, workers=1)
        made = {}
        for (key, document), body, chunks in zip(missing, tokens, texts, strict=True):
            made[key] = prepare(document, body)
            if cache_dir:  # which token file holds its words: hashed again, a few documents only
                made[key] = dataclasses.replace(made[key], tokens_key=document_key(fingerprint, chunks))
                store_prepared(cache_dir, key, made[key])
            if ready is not None:
                ready(key, made[key], None)
        return made
    job = _PrepareJob(tuple(missing), cache_dir, fingerprint, numbered=ready is not None)
    # Small batches: no worker idles long at the end (1,000 documents: 7 a batch, ~0.1 s of work).
    batch = max(1, len(missing) // (workers * 64))
    with gc_paused(), worker_pool(workers, tokenize, _start_preparing, (os.getpid(), job)) as pool:
        results = pool.map(_prepare_in_worker, range(len(missing)), chunksize=batch)
        made = {}
        for (key, document), (pickles, numbers) in zip(missing, results, strict=True):
            made[key] = (from_pickles(document, pickles) if pickles is not None
                         else _stored_or_prepared(key, document, cache_dir, fingerprint))
            if ready is not None:
                ready(key, made[key], numbers)
    logger.info("%d documents prepared in %d worker processes", len(missing), workers)
    return made


def _stored_or_prepared(key: str, document: Document, cache_dir: Path | None, fingerprint: str) -> Prepared:
    """A document a worker prepared and stored in the cache folder (_prepare_in_worker): read
    from there; prepared here if its file cannot be read (deleted meanwhile)."""
    pickles = stored_prepared_pickles(cache_dir, key) if cache_dir else None
    if pickles is not None:
        return from_pickles(document, pickles)
    texts = [c.text for c in document.chunks]
    tokens_key, body = document_tokens(texts, tokenize_passages, cache_dir, fingerprint)
    return dataclasses.replace(prepare(document, body), tokens_key=tokens_key if cache_dir else "")


@dataclasses.dataclass(frozen=True)
class _PrepareJob:
    """What the preparing workers share: inherited when forked, so each task is only a number."""

    documents: tuple[tuple[str, Document], ...]  # (prepared key, document)
    cache_dir: Path | None
    fingerprint: str  # the tokenizer's (token_cache)
    numbered: bool = False  # whether the caller numbers the words as they come (WorkerNumbers wanted)


_job: _PrepareJob | None = None  # in a preparing worker: its job
_vocabularies: tuple[Vocabulary, ...] = ()  # in a preparing worker: its terms, per field (FIELDS)
_body_numbers: np.ndarray | None = None  # in a preparing worker: _tokenize_numbered's, of its last call


def _start_preparing(parent_pid: int, job: _PrepareJob) -> None:
    global _job, _vocabularies
    start_worker(parent_pid, tokenize)
    _job = job
    _vocabularies = tuple(Vocabulary(os.getpid(), index_terms().__getitem__) for _ in FIELDS)


def _tokenize_numbered(texts: Sequence[str]) -> Words:
    """tokens.tokenize_passages(texts), bit for bit, its words numbered by the worker's vocabulary
    too (Vocabulary.kept: the words cut are looked up once for both), those numbers kept in
    _body_numbers. Here, not in text/tokens.py: that file is in the tokenizer's fingerprint, and
    changing it would make every token file stale."""
    global _body_numbers
    if not texts:
        return tokenize_passages(texts)
    words, _body_numbers = _vocabularies[0].kept(segmenter.cut_each_for_search(normalize_all(texts)),
                                                 segmenter.PASSAGE_BREAK)
    return words


def _prepare_in_worker(number: int) -> tuple[PreparedPickles | None, WorkerNumbers | None]:
    """Document `number` of the job prepared, stored in the cache folder; the pickles the cache
    stores of it (document_cache.prepared_pickles), to be unpacked onto the caller's own document:
    pickled once for both (the cache's files and the reply were two pickles of the same, ~1 s
    of CPU at 1,000 documents). None when they were stored: the caller reads them from the file.

    Why not sent when stored: ~120 KB a speech-size document, a batch's ~1 MB went through the
    pool's pipe, and a worker could start its next batch only once the loading process's
    result thread, which shares the interpreter lock with the thread unpacking the documents
    before, had read it all: each worker waited ~1 s in all at 1,000 documents. A file just
    written is read back from the page cache in a few tens of microseconds.

    With them, when the caller numbers the words as they come, the worker's own numbers for them
    (Vocabulary, for Numbering.add_from): ~12 KB, and after the first few documents only a few
    terms new to the worker."""
    global _body_numbers
    assert _job is not None, "not a preparing worker"
    key, document = _job.documents[number]
    _body_numbers = None
    tokens_key, body = document_tokens([c.text for c in document.chunks],
                                       _tokenize_numbered if _job.numbered else tokenize_passages,
                                       _job.cache_dir, _job.fingerprint)
    prepared = dataclasses.replace(prepare(document, body), tokens_key=tokens_key if _job.cache_dir else "")
    numbers = None
    if _job.numbered:
        of_body, of_head = _vocabularies
        body_numbers = _body_numbers if _body_numbers is not None else of_body.numbered(prepared.body)
        head_numbers = of_head.numbered(prepared.head)
        if body_numbers is not None and head_numbers is not None:
            numbers = (of_body.told(body_numbers), of_head.told(head_numbers))
        else:  # a word of no term (never, as tokenize keeps them): numbered by its terms, start again
            for vocabulary in _vocabularies:
                vocabulary.start_again()
    pickles = prepared_pickles(prepared)
    if _job.cache_dir and store_prepared_pickles(_job.cache_dir, key, pickles):
        return None, numbers
    return pickles, numbers


def document_paths(data_dir: Path) -> list[Path]:
    """The files in data_dir that can hold a document, in name order.

    A file that resolves outside data_dir (a symbolic link to /etc/…, to another user's folder)
    is skipped with a log line: the bot quotes what it loads to its users, and the folder is
    what the operator chose to share, not whatever a link in it points at.

    Only links are resolved: a name in the folder that is no link is the folder's own file.
    Resolving every path (an lstat per part of it) was ~0.09 s of each restart and /reload at
    1,000 documents; the folder's listing tells which names are links, without a stat.
    """
    folder = Path(data_dir).resolve()
    found = []
    with os.scandir(data_dir) as entries:
        for entry in entries:
            path = Path(data_dir) / entry.name
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if not entry.is_symlink():
                if entry.is_file():
                    found.append(path)
                continue
            if not path.is_file():  # a link to a folder, to nothing, to itself
                continue
            if not path.resolve().is_relative_to(folder):
                logger.warning("跳过 %s：它是指向文档目录之外的链接", path.name)
                continue
            found.append(path)
    return sorted(found, key=lambda path: path.name)  # one folder: as sorting the paths, faster


def read_corrections(data_dir: Path) -> dict[str, dict[str, Any]]:
    """The admins' profile corrections kept beside the documents (DATA_DIR/.profiles.json).

    Why beside them: a correction belongs to a file, so it must survive /reload and restarts
    and move with the folder. The file is a hidden .json, never read as a document. A missing
    file is no corrections; an unreadable one is logged and ignored, so that it can never stop
    the documents themselves from loading.
    """
    path = Path(data_dir) / PROFILES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        logger.warning("无法读取档案更正 %s：%s", PROFILES_FILE, err)
        return {}
    if not isinstance(data, dict):
        logger.warning("档案更正 %s 格式不对，已忽略", PROFILES_FILE)
        return {}
    return {name: fields for name, fields in data.items() if isinstance(fields, dict)}


def read_documents(data_dir: Path, cache_dir: Path | None = None,
                   limits: ParseLimits | None = None) -> tuple[tuple[Document, ...], list[DocumentError]]:
    """Every supported file in data_dir as a Document; a bad file is reported and skipped.

    With a cache_dir, a file read before (same bytes, same pipeline) is not read again. The
    others are read in worker processes, each file within `limits` (retrieval.parse_workers):
    one hostile file is reported, the others load.
    """
    documents, errors, _ = _read(data_dir, cache_dir, limits)
    return documents, errors


def _read(data_dir: Path, cache_dir: Path | None, limits: ParseLimits | None,
          warm: bool = False) -> tuple[tuple[Document, ...], list[DocumentError], list[str]]:
    """The documents, the files' errors, and the document cache keys of the files read. warm:
    the tokenizer is loaded meanwhile when files are read in workers (_warming_tokenizer)."""
    with collected_once():
        return _read_files(data_dir, cache_dir, limits, warm)


def _read_files(data_dir: Path, cache_dir: Path | None, limits: ParseLimits | None,
                warm: bool = False) -> tuple[tuple[Document, ...], list[DocumentError], list[str]]:
    corrections = read_corrections(data_dir)
    found: dict[str, tuple[Document, str] | DocumentError | None] = {}  # in name order; None: to read
    missing: list[tuple[str, bytes, str]] = []  # name, bytes, key
    for path in document_paths(data_dir):
        try:
            key, data = file_key(path, corrections.get(path.name))
            document = cached_document(cache_dir, key)
            if document is None and data is None:  # known, but its Document is gone: read it
                key, data = file_key(path, corrections.get(path.name), remembered=False)
                document = cached_document(cache_dir, key)
        except DocumentError as err:
            found[path.name] = err
            continue
        found[path.name] = None if document is None else (document, key)
        if document is None:
            assert data is not None
            missing.append((path.name, data, key))
    if missing:
        # Imported only when something needs reading: a warm start starts no process.
        from retrieval.parse_workers import ParseJob, parse_all, runs_here

        jobs = [ParseJob(name, data, corrections.get(name)) for name, data, _ in missing]
        warming = _warming_tokenizer() if warm and not runs_here(jobs) else None
        stored: set[int] = set()

        def store(number: int, pickled: bytes) -> None:  # a worker's Document, stored as it arrives
            assert cache_dir is not None
            store_document(cache_dir, missing[number][2], pickled)
            stored.add(number)

        try:
            results = parse_all(jobs, limits, pickled=store if cache_dir else None)
        finally:
            if warming is not None:
                warming.join()
        for number, ((name, _, key), result) in enumerate(zip(missing, results, strict=True)):
            if isinstance(result, Document):
                keep_document(None if number in stored else cache_dir, key, result)
                found[name] = (result, key)
            else:
                found[name] = result
    documents, errors, keys = [], [], []
    for outcome in found.values():
        if isinstance(outcome, DocumentError):
            errors.append(outcome)
        elif outcome is not None:
            documents.append(outcome[0])
            keys.append(outcome[1])
    return tuple(documents), errors, keys


def _warming_tokenizer() -> threading.Thread:
    """A thread loading the tokenizer (its dictionary, the user words, the stopwords), started
    while worker processes read new documents, to be joined when they are done.

    Why: documents read are then prepared (tokenized) by workers forked from this process with
    the tokenizer loaded (token_cache.worker_pool), and loading it there was ~0.16 s in which
    both cores idled, between reading the last document and preparing the first. While the
    workers read, this process mostly waits for them. An error is left to the load that needs
    the tokenizer to raise."""

    def load() -> None:
        with suppress(Exception):
            tokenize(WARM_UP_TEXT)

    thread = threading.Thread(target=load, name="tokenizer-loading", daemon=True)
    thread.start()
    return thread


def load_library(data_dir: Path, cache_dir: Path | None = None,
                 limits: ParseLimits | None = None) -> tuple[Library, list[DocumentError]]:
    """Load every supported file in data_dir into a Library (possibly empty: it then answers nothing).

    cache_dir keeps what each document became across restarts; entries no document of this
    folder, nor of another folder loaded lately with the same cache, needs any more are deleted
    (document_cache.kept_by_loads). limits: what reading one file may take (read_documents).
    """
    with collected_once():
        documents, errors, keys = _read(data_dir, cache_dir, limits, warm=True)
        library = Library(documents, cache_dir)
    if cache_dir and Path(cache_dir).is_dir():
        saved = index_folder(cache_dir, library.fingerprint).name
        used = {*keys, *library.keys, *library.commitment_keys, *library.tokens_keys, saved}
        prune_cache(cache_dir, keep=kept_by_loads(cache_dir, data_dir, used))
    return library, errors


@contextmanager
def collected_once() -> Iterator[None]:
    """The cyclic garbage collector paused while documents are read and a library is built, and
    what was made then moved to its oldest generation at the end, without a collection
    (_promoted).

    Why: a load makes ~400,000 containers (passages, sections, entries) that all stay alive,
    and each full collection on the way rescans everything made so far: at 1,000 documents a
    warm restart spent 0.38 s of its 2.1 s in five full and seventy young collections. Only
    paused, the work would fall on the first questions instead (a 136 ms young collection, then
    a 113 ms one). Collected once at the end (gc.collect(1)) it was ~0.1 s of every load, cold,
    warm or /reload, which found nothing to free (1,000 documents: 0 unreachable each time);
    moved, what the load made sits in the oldest generation, where questions do not rescan it,
    at no cost. Moved while the collector is still paused: once it was back on, the first
    allocation found everything made counted as young and collected it (0.13 s of a cold load
    at 1,000 documents) before the move. Nested (load_library → Library), only the outermost
    moves them: token_cache.gc_paused re-enables the collector only if it was enabled.
    """
    was_enabled = gc.isenabled()
    with gc_paused():
        yield
        if was_enabled:
            _promoted()  # before the collector is back on: else the first allocation collects


def _promoted() -> None:
    """Every object the collector tracks moved to its oldest generation, none traversed: gc.freeze
    then gc.unfreeze, each a splice of the generations' lists. Garbage in a cycle among them, if
    any, is collected by the next full collection, as garbage that outlived two young ones is.
    Where something else froze objects (a pre-forking server), a collection of the young
    generations instead: unfreezing would unfreeze its objects too."""
    if gc.get_freeze_count():
        gc.collect(1)
        return
    gc.freeze()
    gc.unfreeze()
