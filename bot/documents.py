"""What the admin commands do to the documents: add an upload, remove one, reload DATA_DIR.

Why one object with one lock: an upload and a /reload arriving together must not interleave
(a reload reading the folder before the upload's file lands, then swapping in a library
without it). Every change runs under one asyncio.Lock, so the second waits for the first and
nothing is lost; meanwhile questions keep being answered from the library currently in the
LibraryHolder, because a new one is built in a thread and installed in a single swap().

Each change builds the new library *before* touching the folder, then writes, then swaps: if
parsing or indexing fails, the folder and the index are both unchanged.

A profile correction (/profile, /rename, /setyear) follows the same steps: the corrected
document is indexed with the others first, then DATA_DIR/.profiles.json is written, then the
new library is swapped in, so /docs, /help and answers show the new title at once.

No Telegram here: the handlers in bot/admin.py parse updates and render replies around this.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bot.state import LibraryHolder
from retrieval.child_process import cores
from retrieval.library import Library, read_documents
from retrieval.models import Document, DocumentError
from retrieval.parse_workers import ParseLimits, parse_document
from retrieval.profile import apply_overrides
from retrieval.store import DocumentStore

logger = logging.getLogger(__name__)

NO_FOLDER = "无法读取文档目录"


class LastDocumentError(Exception):
    """Removing this document would leave no document to answer from."""


class NotLoadedError(Exception):
    """The document to correct is not (or no longer) loaded."""


class NameTakenError(Exception):
    """A new upload's name was taken while it was parsed (the same name uploaded twice at once)."""


@dataclass(frozen=True)
class ReloadResult:
    """What a /reload did: the documents now answering, the files skipped and why."""

    documents: tuple[Document, ...]
    errors: tuple[DocumentError, ...]
    swapped: bool  # False: nothing loaded, so the old library kept answering
    problem: str = ""  # why nothing could be read at all (the folder itself), if so


@dataclass(frozen=True)
class PendingUpload:
    """A parsed upload waiting for the admin to confirm replacing a file of the same name."""

    document: Document
    data: bytes
    user_id: int


@dataclass(frozen=True)
class PendingRemoval:
    name: str
    user_id: int


def too_large(name: str, size: int, max_bytes: int) -> DocumentError | None:
    """The refusal for a file over the upload limit, checked before downloading it."""
    if size <= max_bytes:
        return None
    mb = 1024 * 1024
    return DocumentError(name, f"文件太大（{size / mb:.1f} MB，上限 {max_bytes // mb} MB）")


def ready_library(documents: tuple[Document, ...], cache_dir: Path | None) -> Library:
    """A library that answers every question at once: its commitments are found here, before it
    is swapped in, not by the first list question (a 10 MB document takes ~40 s)."""
    library = Library(documents, cache_dir)
    library.commitments()
    return library


def parse_upload(name: str, data: bytes, limits: ParseLimits | None = None) -> Document:
    """Read the bytes by content and build the document, in a worker process within the limits
    (retrieval.parse_workers); DocumentError with a polite reason if unusable."""
    return parse_document(name, data, None, limits)


T = TypeVar("T")


async def in_own_thread(function: Callable[..., T], *args: Any) -> T:
    """function(*args) in a daemon thread of its own, awaited.

    Why not asyncio.to_thread: a parse may wait on its worker for PARSE_TIMEOUT; in the default
    executor (6 threads on 2 cores), which also answers questions, a few such waits would stall
    every question, and the interpreter's exit would wait for them.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def succeed(result: T) -> None:
        if not future.done():  # done: the awaiting task was cancelled
            future.set_result(result)

    def fail(error: BaseException) -> None:
        if not future.done():
            future.set_exception(error)

    def run() -> None:
        try:
            result = function(*args)
        except BaseException as err:  # handed to the awaiting task
            with contextlib.suppress(RuntimeError):  # the event loop is closed: the bot has stopped
                loop.call_soon_threadsafe(fail, err)
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(succeed, result)

    threading.Thread(target=run, name=f"parse-{getattr(function, '__name__', 'job')}", daemon=True).start()
    return await future


class PendingActions:
    """Confirmations waiting for a button tap, by a short token that fits in callback data.

    Bounded (an upload holds its bytes until confirmed); a token is used once, and only by the
    admin who asked (each item carries their user_id: the handler checks it before pop()).
    """

    def __init__(self, capacity: int = 8) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, PendingUpload | PendingRemoval] = OrderedDict()
        self._ids = itertools.count(1)

    def add(self, item: PendingUpload | PendingRemoval) -> str:
        token = format(next(self._ids), "x")
        self._items[token] = item
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return token

    def get(self, token: str) -> PendingUpload | PendingRemoval | None:
        return self._items.get(token)

    def pop(self, token: str) -> PendingUpload | PendingRemoval | None:
        return self._items.pop(token, None)


class Librarian:
    """Adds, removes and reloads documents, one change at a time, swapping the holder's library."""

    def __init__(self, holder: LibraryHolder, store: DocumentStore, cache_dir: Path | None = None,
                 limits: ParseLimits | None = None) -> None:
        self.holder = holder
        self.store = store
        self.cache_dir = cache_dir  # the token cache: only new or changed documents are re-tokenized
        self.limits = limits or ParseLimits()  # reading one file: PARSE_TIMEOUT, PARSE_MEMORY_MB
        self.lock = asyncio.Lock()
        self.pending = PendingActions()
        # Uploads parsed at once (each a worker process of up to PARSE_MEMORY_MB); more wait
        # here for their turn, at most PARSE_TIMEOUT per file ahead of them.
        self._parsing = asyncio.Semaphore(2 * cores())

    @property
    def busy(self) -> bool:
        """True while a change is running: the next one will wait for it."""
        return self.lock.locked()

    def has(self, name: str) -> bool:
        """A document of this file name is loaded or stored."""
        return any(d.name == name for d in self.holder.documents) or self.store.exists(name)

    async def parse(self, name: str, data: bytes) -> Document:
        """Validate an upload in a worker process, within the limits; outside the lock, so a
        hostile file stalls nothing else (DocumentError naming it when time or memory runs out)."""
        async with self._parsing:
            return await in_own_thread(parse_upload, name, data, self.limits)

    async def add(self, document: Document, data: bytes, *, replace: bool = True) -> None:
        """Index the new document with all the others (replacing one of the same name), store it, swap.

        replace=False: NameTakenError if the name exists by now. Checked under the lock, because the
        handler's own check ran before parsing: two uploads of one name would both pass it.
        """
        async with self.lock:
            if not replace and self.has(document.name):
                raise NameTakenError(document.name)
            kept = [d for d in self.holder.documents if d.name != document.name]
            ordered = tuple(sorted([*kept, document], key=lambda d: d.name))
            library = await asyncio.to_thread(ready_library, ordered, self.cache_dir)
            await asyncio.to_thread(self.store.write, document.name, data)
            # A replaced file is a new text: its profile is read from it afresh, so corrections
            # made to the old one (its year, say) do not silently apply to it.
            await asyncio.to_thread(self.store.drop_corrections, document.name)
            self.holder.swap(library)
        logger.info("已上传文档 %s（共 %d 份）", document.name, len(library.documents))

    async def remove(self, name: str) -> bool:
        """Delete the file and drop the document from the index; False if neither existed.

        LastDocumentError for the only loaded document: an index of nothing cannot answer
        anything, so the last document is replaced by uploading another, not removed.
        """
        async with self.lock:
            kept = tuple(d for d in self.holder.documents if d.name != name)
            loaded = len(kept) != len(self.holder.documents)
            if loaded and not kept:
                raise LastDocumentError(name)
            library = await asyncio.to_thread(ready_library, kept, self.cache_dir) if loaded else None
            removed = self.store.remove(name)
            if library is not None:
                self.holder.swap(library)
        if loaded or removed:
            logger.info("已删除文档 %s", name)
        return loaded or removed

    async def correct(self, name: str, changes: Mapping[str, Any]) -> Document:
        """Correct a loaded document's profile (title, year, place, kind, speaker, date).

        ValueError (a polite Chinese message from retrieval.profile) for a bad value and
        NotLoadedError for a document that is gone: either way nothing changes. Otherwise the
        fields are kept in DATA_DIR/.profiles.json (merged with earlier corrections) and the
        library is rebuilt with the corrected document.
        """
        async with self.lock:
            document = next((d for d in self.holder.documents if d.name == name), None)
            if document is None or document.profile is None:
                raise NotLoadedError(name)
            profile = apply_overrides(document.profile, changes)
            stored = profile.to_json()
            fields = {**self.store.corrections().get(name, {}), **{key: stored[key] for key in changes}}
            corrected = dataclasses.replace(document, title=profile.display(), year=profile.year,
                                            profile=profile)
            documents = tuple(corrected if d.name == name else d for d in self.holder.documents)
            library = await asyncio.to_thread(ready_library, documents, self.cache_dir)
            await asyncio.to_thread(self.store.set_corrections, name, fields)
            self.holder.swap(library)
        logger.info("已更正文档 %s 的档案：%s", name, ", ".join(changes))
        return corrected

    def corrected_fields(self, name: str) -> frozenset[str]:
        """The profile fields of a document an admin has corrected (shown as such by /profile)."""
        return frozenset(self.store.corrections().get(name, {}))

    async def reload(self) -> ReloadResult:
        """Re-read DATA_DIR in a thread; swap only if at least one document loaded."""
        async with self.lock:
            try:
                data_dir = self.store.data_dir
                documents, errors = await asyncio.to_thread(read_documents, data_dir, self.cache_dir,
                                                            self.limits)
            except OSError as err:
                logger.error("无法读取文档目录：%s", err)
                return ReloadResult(self.holder.documents, (), False, NO_FOLDER)
            for error in errors:
                logger.warning("跳过文档 %s", error)
            if not documents:
                return ReloadResult(self.holder.documents, tuple(errors), False)
            library = await asyncio.to_thread(ready_library, documents, self.cache_dir)
            self.holder.swap(library)
        logger.info("已重新载入 %d 份文档", len(library.documents))
        return ReloadResult(library.documents, tuple(errors), True)
