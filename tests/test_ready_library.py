"""A library is ready before it answers: its commitments are found before the swap, and kept.

The failure this guards against (issue 14): after an upload, /remove, /reload or a start with a
large document, every question waited tens of seconds, because the first list question found the
commitments of every document on the answering path.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import pytest
from test_admin_bot import NEW, SEED, SEED_PATH, speech_2023

import retrieval.library as library_module
from bot.documents import Librarian
from bot.state import LibraryHolder
from retrieval.document_cache import commitments_key
from retrieval.library import Library, load_library
from retrieval.store import DocumentStore

LIST_QUESTION = "哪些任务要在月底前完成"


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    shutil.copy(SEED_PATH, data / SEED)
    return data, cache


@pytest.fixture
def librarian(folders: tuple[Path, Path]) -> Librarian:
    data, cache = folders
    library, _ = load_library(data, cache)
    library.commitments()
    return Librarian(LibraryHolder(library), DocumentStore(data), cache)


async def test_every_library_change_swaps_in_a_library_whose_commitments_are_found(librarian):
    document = await librarian.parse(NEW, speech_2023().encode())
    await librarian.add(document, speech_2023().encode())
    assert librarian.holder.library is not None and librarian.holder.library.commitments_ready, "upload"
    await librarian.correct(NEW, {"year": 2023})
    assert librarian.holder.library.commitments_ready, "profile correction"
    await librarian.remove(NEW)
    assert librarian.holder.library.commitments_ready, "removal"
    assert (await librarian.reload()).swapped
    assert librarian.holder.library.commitments_ready, "reload"


async def test_questions_are_answered_from_the_old_library_while_the_new_one_finds_its_commitments(
        librarian, monkeypatch):
    old = librarian.holder.library
    started, release = threading.Event(), threading.Event()
    extract = library_module.extract_commitments

    def slow_extract(document):  # a 10 MB document: tens of seconds
        started.set()
        assert release.wait(10), "the test never released the extraction"
        return extract(document)

    monkeypatch.setattr(library_module, "extract_commitments", slow_extract)
    document = await librarian.parse(NEW, speech_2023().encode())
    adding = asyncio.create_task(librarian.add(document, speech_2023().encode()))
    assert await asyncio.to_thread(started.wait, 10)
    # The new library is still finding its commitments: questions, lists included, are
    # answered at once, on the event loop, from the library that was answering.
    assert librarian.holder.library is old
    reply = old.ask(LIST_QUESTION)
    assert reply.question == LIST_QUESTION and not adding.done()
    release.set()
    await adding
    new = librarian.holder.library
    assert new is not old and new.commitments_ready
    monkeypatch.setattr(library_module, "extract_commitments", _never)
    assert [c.doc for c in new.commitments()].count(NEW) > 0


def _never(document):
    raise AssertionError(f"commitments of {document.name} found again")


def test_a_restart_reads_each_documents_commitments_from_the_cache(folders, monkeypatch):
    data, cache = folders
    first, _ = load_library(data, cache)
    found = first.commitments()
    assert found, "the seed speech has commitments"
    monkeypatch.setattr(library_module, "extract_commitments", _never)
    second, _ = load_library(data, cache)
    assert second.commitments() == found


def test_a_changed_document_or_an_unreadable_entry_is_extracted_again(folders, monkeypatch):
    data, cache = folders
    first, _ = load_library(data, cache)
    first.commitments()
    (data / NEW).write_text(speech_2023(), encoding="utf-8")
    calls: list[str] = []
    extract = library_module.extract_commitments

    def counted(document):
        calls.append(document.name)
        return extract(document)

    monkeypatch.setattr(library_module, "extract_commitments", counted)
    second, _ = load_library(data, cache)
    second.commitments()
    assert calls == [NEW], "only the new document is read"
    seed_entry = cache / f"{commitments_key(second.keys[0])}.commitments.pickle"
    seed_entry.write_bytes(b"not a pickle")
    third, _ = load_library(data, cache)
    assert third.commitments() == second.commitments()
    assert calls == [NEW, SEED]


def test_a_prune_keeps_the_loaded_documents_commitments_only(folders):
    data, cache = folders
    (data / NEW).write_text(speech_2023(), encoding="utf-8")
    both, _ = load_library(data, cache)
    both.commitments()
    (data / NEW).unlink()
    alone, _ = load_library(data, cache)
    kept = sorted(p.name for p in cache.glob("*.commitments.pickle"))
    assert kept == [f"{commitments_key(alone.keys[0])}.commitments.pickle"]


def test_without_a_cache_folder_commitments_are_found_in_memory(folders):
    data, _ = folders
    library = Library(load_library(data)[0].documents)
    assert library.commitments() and library.commitments_ready
