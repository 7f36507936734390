"""Tokenize each document once: tokens cached by content, misses tokenized on all cores.

Tokenizing is the expensive part of loading: jieba manages about 400,000
characters a second, so a large library takes a minute to tokenize while the
index over the tokens builds in seconds. Between a /reload or a restart almost
every document is unchanged, so each document's tokens are kept in a file in
the state directory, named by a hash of the tokenizer's fingerprint and the
document's chunk texts. A changed document or a new tokenizer gives a new
name; only those documents are tokenized again, in parallel when there is
enough text to repay starting worker processes.

A document's tokens are kept numbered (retrieval/words.py): each distinct word once (all in one
string, words.joined_terms) and the passages' words as numbers. A file holds them as they are
in memory (_Layout): a header, the terms' UTF-8, then the lengths and numbers as 32-bit
integers. It was JSON (the numbers in base64): writing it cost the workers ~0.55 ms of CPU a
speech-size document, and once a cold load at 1,000 documents, reading it back ~0.35 ms.

The cache is only ever an optimisation: a missing, unreadable or corrupt file
is tokenized again and rewritten, and a failed write is logged and ignored.
Files are written to a temporary name and renamed into place, so a reader
never sees half a file.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import logging
import os
import struct
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.words import Words, joined_terms, split_terms

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)

Tokenizer = Callable[[str], list[str]]

# Bump when the file layout changes: old files then simply miss (2: numbered words; 3: the terms as
# one string, words.joined_terms, where no term holds its separator: writing ~3,000 strings one by
# one cost as much as pickling them, ~0.3 s of CPU at 1,000 documents; 4: no JSON, _Layout).
CACHE_FORMAT = 4
PARALLEL_MIN_CHARS = 200_000  # below this, starting worker processes costs more than it saves
WARM_UP_TEXT = "初始化分词词典"  # jieba loads its dictionary on first use
_PREFIX, _SUFFIX, _TMP_PREFIX = "tokens-", ".tokens", ".tokens-"
_OLD_SUFFIX = ".json"  # the files of formats 1 to 3: never read, only pruned (key_of)
# A file's header: magic, CACHE_FORMAT, the key (sha256 hex), how many terms, passages and words,
# and the bytes of the terms' UTF-8 (joined_terms) that follow; then each passage's length and
# each word's number, little-endian int32.
_Layout = struct.Struct("<8sI64sIIII")
_MAGIC = b"SBTOKENS"


def tokenize_all(texts_by_doc: Sequence[Sequence[str]], tokenize: Tokenizer, cache_dir: Path | None,
                 fingerprint: str, workers: int | None = None, *,
                 min_parallel_chars: int = PARALLEL_MIN_CHARS, prune: bool = False) -> list[Words]:
    """Tokens of every chunk of every document: ``list(result[doc])[chunk] == tuple(tokenize(text))``.

    ``tokenize`` must be a module-level function (worker processes receive it
    by name). ``fingerprint`` names the tokenizer version, e.g. a hash of its
    rule files (see fingerprint_files): change it and every document is
    tokenized again. ``cache_dir`` None disables the cache. ``workers`` defaults
    to the number of cores. ``prune`` deletes cache files of documents not
    passed in this call.
    """
    keys = [document_key(fingerprint, chunks) for chunks in texts_by_doc]
    with gc_paused():
        results = [load_cached(cache_dir, key, len(chunks)) if cache_dir else None
                   for key, chunks in zip(keys, texts_by_doc, strict=True)]
        misses = {keys[i]: texts_by_doc[i] for i, tokens in enumerate(results) if tokens is None}
        fresh = dict(zip(misses, tokenize_documents(list(misses.values()), tokenize, workers,
                                                    min_parallel_chars), strict=True))
    log.info("tokens: %d documents from cache, %d tokenized", len(keys) - len(misses), len(misses))
    if cache_dir:
        for key, tokens in fresh.items():
            store_cached(cache_dir, key, tokens)
        if prune:
            prune_cache(cache_dir, keep=set(keys))
    return [tokens if tokens is not None else fresh[key] for key, tokens in zip(keys, results, strict=True)]


PassagesTokenizer = Callable[[Sequence[str]], Words]  # Words.of([tokenize(t) for t in texts]), made faster


def document_tokens(texts: Sequence[str], tokenize_passages: PassagesTokenizer, cache_dir: Path | None,
                    fingerprint: str) -> tuple[str, Words]:
    """One document's tokens (tokenize_all of one document, tokenized here): from the cache, or
    tokenized and stored; with the key they are cached under (document_key), which the caller
    keeps to say which file a prune must keep. For a worker process that does more with the
    document than tokenize it. tokenize_passages: the tokenizer of tokenize_all, over a
    document's passages at once (text.tokens.tokenize_passages)."""
    key = document_key(fingerprint, texts)
    tokens = load_cached(cache_dir, key, len(texts)) if cache_dir else None
    if tokens is None:
        tokens = tokenize_passages(texts)
        if cache_dir:
            store_cached(cache_dir, key, tokens)
    return key, tokens


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of token lists are created.

    Each new container counts towards the next collection, and full collections
    rescan everything alive: loading 100,000 chunks' tokens took a third longer
    with the collector running. Token lists hold only strings, so no cycle is
    missed; anything else is collected once the collector is back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def document_key(fingerprint: str, chunks: Sequence[str]) -> str:
    """sha256 of the cache format, the tokenizer fingerprint and the chunk texts (boundaries included)."""
    digest = hashlib.sha256(f"speechbot-tokens/{CACHE_FORMAT}\0{fingerprint}\0".encode())
    for text in chunks:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def fingerprint_files(paths: Iterable[Path], version: str = "") -> str:
    """A tokenizer fingerprint: hash of a version string and the names and contents of its rule files."""
    digest = hashlib.sha256(version.encode())
    for path in sorted(Path(p) for p in paths):
        digest.update(f"\0{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# -- Tokenizing -------------------------------------------------------------


def tokenize_documents(docs: Sequence[Sequence[str]], tokenize: Tokenizer, workers: int | None = None,
                       min_parallel_chars: int = PARALLEL_MIN_CHARS) -> list[Words]:
    """Tokenize every chunk, on all cores when there is at least min_parallel_chars of text."""
    texts = [text for chunks in docs for text in chunks]
    workers = min(workers or _cores(), len(texts))
    if workers <= 1 or sum(map(len, texts)) < min_parallel_chars:
        tokens = [tokenize(text) for text in texts]
    else:
        tokens = _tokenize_in_processes(texts, tokenize, workers)
    bounds = [0, *accumulate(len(chunks) for chunks in docs)]
    return [Words.of(tokens[start:end]) for start, end in pairwise(bounds)]


def _tokenize_in_processes(texts: list[str], tokenize: Tokenizer, workers: int) -> list[list[str]]:
    batch = max(1, len(texts) // (workers * 8))
    with worker_pool(workers, tokenize, start_worker, (os.getpid(), tokenize)) as pool:
        return list(pool.map(tokenize, texts, chunksize=batch))


def worker_pool(workers: int, tokenize: Tokenizer, initializer: Callable[..., object],
                initargs: tuple[Any, ...]) -> ProcessPoolExecutor:
    """A pool of `workers` processes forked from this one, each running initializer(*initargs)
    first, which must call start_worker (die with the bot, tokenizer loaded).

    Forked, where the system can: they inherit the dictionary that `tokenize`, called here once,
    loads, and initargs as they are in memory, not pickled (a library's documents, to work on
    by number).
    """
    tokenize(WARM_UP_TEXT)
    import multiprocessing  # ~0.01 s a warm start skips
    from concurrent.futures import ProcessPoolExecutor

    forked = "fork" in multiprocessing.get_all_start_methods()
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork") if forked else None,
                               initializer=initializer, initargs=initargs)


def _cores() -> int:
    """Cores this process may run on (fewer than os.cpu_count() under a CPU affinity mask)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_worker(parent_pid: int, tokenize: Tokenizer) -> None:
    """Worker initializer: die with the bot (a killed bot left its ~100 MB workers running, deaf
    to SIGTERM: they had its asyncio signal set-up), then load the tokenizer's dictionaries
    before the first real task."""
    from retrieval.child_process import become_worker

    become_worker(parent_pid)
    tokenize(WARM_UP_TEXT)


# -- Cache files ------------------------------------------------------------


def cache_path(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / f"{_PREFIX}{key}{_SUFFIX}"


def key_of(name: str) -> str | None:
    """The key of the cache file of that name (cache_path), or None if it is no cache file: a
    prune of the folder (document_cache.prune) keeps it while a loaded document uses the key.
    A file of an earlier format (.json) has a key no document uses any more: it is pruned."""
    if not name.startswith(_PREFIX):
        return None
    suffix = next((s for s in (_SUFFIX, _OLD_SUFFIX) if name.endswith(s)), None)
    return name[len(_PREFIX):-len(suffix)] if suffix is not None else None


def load_cached(cache_dir: Path, key: str, n_chunks: int) -> Words | None:
    """The cached tokens of a document, or None when missing, unreadable or not what we wrote."""
    path = cache_path(cache_dir, key)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        log.warning("token cache: ignoring unreadable %s (%s)", path.name, err)
        return None
    tokens = _words(data, key)
    if tokens is None or len(tokens) != n_chunks:
        log.warning("token cache: ignoring malformed %s", path.name)
        return None
    return tokens


def _words(data: bytes, key: str) -> Words | None:
    """The Words a file of ours holds (store_cached), or None if it is not one."""
    if len(data) < _Layout.size:
        return None
    magic, version, stored_key, count, passages, words, terms_size = _Layout.unpack_from(data)
    terms_end = _Layout.size + terms_size
    if (magic != _MAGIC or version != CACHE_FORMAT
            or stored_key.rstrip(b"\0") != key.encode("ascii", "replace")
            or len(data) != terms_end + 4 * (passages + words)):
        return None
    try:
        terms = split_terms(data[_Layout.size:terms_end].decode("utf-8", "surrogatepass"), count)
    except ValueError:  # not UTF-8, or not as many terms
        return None
    lengths = np.frombuffer(data, "<i4", passages, terms_end).astype(np.int32)
    numbers = np.frombuffer(data, "<i4", words, terms_end + 4 * passages).astype(np.int32)
    tokens = Words(terms, numbers, lengths)
    return tokens if tokens.is_valid() else None


def store_cached(cache_dir: Path, key: str, tokens: Words) -> None:
    """Write a document's tokens atomically (temporary file, then rename); failures are only logged.
    Words with a term holding joined_terms' separator are not stored (tokenized again next time)."""
    joined = joined_terms(tokens.terms)
    if joined is None:
        return
    try:
        terms = joined.encode("utf-8", "surrogatepass")
        header = _Layout.pack(_MAGIC, CACHE_FORMAT, key.encode("ascii"), len(tokens.terms),
                              len(tokens.lengths), len(tokens.numbers), len(terms))
        write_atomically(cache_dir, f"{_PREFIX}{key}{_SUFFIX}", _TMP_PREFIX,
                         (header, terms, tokens.lengths.astype("<i4").tobytes(),
                          tokens.numbers.astype("<i4").tobytes()))
    except (OSError, ValueError, struct.error) as err:  # ValueError: a key that is not ASCII
        log.warning("token cache: could not write %s (%s)", key, err)


_temporary_names = itertools.count()  # write_atomically's, in this process


def write_atomically(folder: Path | str, name: str, prefix: str, parts: Iterable[bytes]) -> None:
    """Write the parts, one after another, to the file `name` in folder (made if missing) through a
    temporary file there, prefix + this process's id and a number + ".tmp", renamed into place:
    a reader never sees half a file, and a file left by a crash is one a prune knows. OSError if
    it cannot be written (the temporary file is removed).

    Why not tempfile.mkstemp and Path(folder).mkdir each time: a cold load writes three files
    a document (its Document, its token file, what preparing made of it), and the random names,
    Path objects and the mkdir call were ~0.1 ms of CPU a file, half of writing it. The name is
    unique as mkstemp's is: opened only if no file has it (O_EXCL), else the next number."""
    folder = os.fspath(folder)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    for attempt in range(10_000):
        temporary = os.path.join(folder, f"{prefix}{os.getpid()}-{next(_temporary_names)}.tmp")
        try:
            fd = os.open(temporary, flags, 0o600)
            break
        except FileExistsError:  # left by a process that had this id before
            continue
        except FileNotFoundError:
            if attempt:
                raise
            os.makedirs(folder, exist_ok=True)
    else:
        raise FileExistsError(f"no free temporary name in {folder}")
    try:
        with os.fdopen(fd, "wb") as file:
            for part in parts:
                file.write(part)
        os.replace(temporary, os.path.join(folder, name))
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def prune_cache(cache_dir: Path, keep: Collection[str]) -> int:
    """Delete cache files whose key is not in keep, and temporary files left by a crash; return the count."""
    removed = 0
    for path in Path(cache_dir).iterdir():
        name = path.name
        key = key_of(name)
        stale = key is not None and key not in keep
        if stale or (name.startswith(_TMP_PREFIX) and name.endswith(".tmp")):
            with suppress(OSError):
                path.unlink()
                removed += 1
    return removed
