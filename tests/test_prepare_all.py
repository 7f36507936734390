"""A library's documents made ready on all cores are exactly those made ready one by one.

prepare_all hands a large batch to worker processes, which tokenize each document, prepare it
(index.prepare) and send back what the cache stores of it. The words, entries and sentences of
every corpus document must be what the plain serial path makes, whether they come back from a
worker, from the cache folder the workers filled, or from the token cache alone.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import retrieval.library as library_module
from retrieval.document import build_document, load_document
from retrieval.document_cache import load_prepared, prepared_key
from retrieval.index import Prepared, document_words, prepare
from retrieval.library import prepare_all
from retrieval.models import Document
from retrieval.reader import SUPPORTED_SUFFIXES
from retrieval.text.tokens import tokenize
from retrieval.token_cache import key_of

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FOLDERS = (SHARED / "corpus", SHARED / "seed", ROOT / "data")


@pytest.fixture(scope="module")
def documents() -> tuple[Document, ...]:
    """Every document of ../shared/corpus, ../shared/seed and data/ (the last always there)."""
    paths = [p for folder in FOLDERS if folder.is_dir() for p in sorted(folder.iterdir())
             if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and p.name != "SOURCES.md"]
    found = tuple(load_document(p) for p in paths)
    assert found
    if len(found) == 1:  # ../shared is not beside the repository: two more, so both workers run even
        seed = found[0]  # when only every other document is missing (two of three)
        found += tuple(build_document(f"{year}.txt", seed.text.replace("2022", str(year)))
                       for year in (2023, 2024))
    return found


@pytest.fixture(scope="module")
def serial(documents: tuple[Document, ...]) -> tuple[Prepared, ...]:
    """The reference: each document prepared here, its passages tokenized by prepare itself."""
    return tuple(prepare(d) for d in documents)


@pytest.fixture
def counted_prepare(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the documents prepared in this process (a forked worker counts in its own copy)."""
    calls: list[str] = []
    real = library_module.prepare

    def counting(document: Document, body: list[list[str]] | None = None) -> Prepared:
        calls.append(document.name)
        return real(document, body)

    monkeypatch.setattr(library_module, "prepare", counting)
    monkeypatch.setattr(library_module, "_RECENT", type(library_module._RECENT)())
    return calls


def same(made: tuple[Prepared, ...], serial: tuple[Prepared, ...]) -> None:
    assert [p.document.name for p in made] == [p.document.name for p in serial]
    for got, expected in zip(made, serial, strict=True):
        name = expected.document.name
        assert got.body == expected.body, name
        assert got.head == expected.head, name
        assert got.name_words == expected.name_words, name
        assert got.entries == expected.entries, name
        assert [e.sentences for e in got.entries] == [e.sentences for e in expected.entries], name
        assert all(e.chunk is c for e, c in zip(got.entries, got.document.chunks, strict=True)), \
            "entries point at this process's own passages"
    assert [replace(p, tokens_key="") for p in made] == list(serial)  # tokens_key: see token_files_named


def token_files_named(made: tuple[Prepared, ...], cache: Path) -> bool:
    """Whether each document names the token cache file holding its words (documents of the same
    passages share one), and those are the files."""
    return {p.tokens_key for p in made} == {key_of(f.name) for f in cache.glob("tokens-*.tokens")}


def test_prepared_in_worker_processes_as_one_by_one(documents, serial, counted_prepare):
    made = prepare_all(documents, None, workers=2, min_parallel_chars=0)
    assert counted_prepare == [], "the workers prepared them, not this process"
    same(made, serial)


def test_prepared_here_alike_with_one_core(documents, serial, counted_prepare):
    made = prepare_all(documents, None, workers=1)
    assert counted_prepare == [d.name for d in documents]
    same(made, serial)


def test_prepared_here_each_document_names_its_token_file(documents, serial, counted_prepare, tmp_path):
    made = prepare_all(documents, tmp_path, workers=1)
    same(made, serial)
    assert token_files_named(made, tmp_path)
    library_module._RECENT.clear()
    assert {p.tokens_key for p in prepare_all(documents, None, workers=1)} == {""}, "no cache, no file"


def test_a_small_batch_is_prepared_here(documents, serial, counted_prepare):
    """A /reload or an upload: starting workers would cost more than the work."""
    made = prepare_all(documents[-1:], None, workers=2)
    assert counted_prepare == [documents[-1].name]
    same(made, serial[-1:])


def test_what_the_workers_stored_is_read_back_alike(documents, serial, counted_prepare, tmp_path):
    made = prepare_all(documents, tmp_path, workers=2, min_parallel_chars=0)
    same(made, serial)
    stored = tuple(load_prepared(tmp_path, prepared_key(d), d) for d in documents)
    assert all(p is not None for p in stored)
    same(stored, serial)  # type: ignore[arg-type]
    assert list(tmp_path.glob("tokens-*.tokens")), "the token cache is filled too"
    assert token_files_named(made, tmp_path) and token_files_named(stored, tmp_path)  # type: ignore[arg-type]
    # A new pipeline (another index.py) misses every prepared entry: the token cache still holds
    # the words, and what is prepared from them is the same.
    for path in tmp_path.glob("*.pickle"):
        path.unlink()
    library_module._RECENT.clear()
    same(prepare_all(documents, tmp_path, workers=2, min_parallel_chars=0), serial)


def test_a_document_holds_each_distinct_word_once_and_its_passages_as_numbers(documents, serial,
                                                                              counted_prepare):
    """Each field's words are numbered (retrieval/words.py): each distinct word once (memory while
    building, bytes pickled from a worker and to the cache), and the numbers decode to the words
    the tokenizer gives each passage, also after the way back from a worker."""
    for made in (serial, prepare_all(documents, None, workers=2, min_parallel_chars=0)):
        for ready in made:
            name, chunks = ready.document.name, ready.document.chunks
            for field in (ready.body, ready.head):
                assert len(set(field.terms)) == len(field.terms), name
                assert field.numbers.dtype == np.int32 and len(field) == len(chunks), name
            assert list(ready.body) == [tuple(tokenize(c.text)) for c in chunks], name
            names = document_words(ready.document)
            assert list(ready.head) == [tuple(tokenize(" ".join((names, *c.path)))) for c in chunks], name


def test_a_worker_sends_back_only_what_it_could_not_store(documents, serial, counted_prepare, tmp_path,
                                                          monkeypatch):
    """With a cache folder a worker stores what it prepared and the loading process reads it from
    the file, not from the worker's pipe; a file gone meanwhile is prepared here, alike."""
    read = []
    real = library_module.stored_prepared_pickles
    monkeypatch.setattr(library_module, "stored_prepared_pickles",
                        lambda cache_dir, key: read.append(key) or real(cache_dir, key))
    made = prepare_all(documents, tmp_path, workers=2, min_parallel_chars=0)
    same(made, serial)
    assert counted_prepare == [] and sorted(read) == sorted(prepared_key(d) for d in documents)
    library_module._RECENT.clear()
    for path in tmp_path.glob("*.pickle"):
        path.unlink()
    monkeypatch.setattr(library_module, "stored_prepared_pickles", lambda cache_dir, key: None)
    made = prepare_all(documents, tmp_path, workers=2, min_parallel_chars=0)
    same(made, serial)
    assert counted_prepare == [d.name for d in documents], "prepared here, their words from the token files"
    assert token_files_named(made, tmp_path)


def test_the_words_are_numbered_in_order_as_the_documents_are_ready(documents, serial, counted_prepare,
                                                                    tmp_path, monkeypatch):
    """prepare_all's numbered: each field's words numbered as number_all numbers the documents'
    in order, whether the documents come from workers, from the cache folder, or both mixed."""
    from retrieval.index import FIELDS
    from retrieval.words import Numbering, Vocabulary, number_all

    def numbered_alike(numbered: tuple[Numbering, Numbering], made: tuple[Prepared, ...]) -> None:
        for numbering, field in zip(numbered, FIELDS, strict=True):
            assert len(numbering) == len(made)
            terms, numbers, lengths = numbering.result()
            expected = number_all(getattr(p, field) for p in made)
            assert terms == expected[0]
            assert np.array_equal(numbers, expected[1]) and np.array_equal(lengths, expected[2])

    by_worker = []
    real_add_from = Numbering.add_from

    def add_from(self, *numbers):  # type: ignore[no-untyped-def]
        by_worker.append(numbers[0])
        return real_add_from(self, *numbers)

    monkeypatch.setattr(Numbering, "add_from", add_from)
    numbered = (Numbering(), Numbering())
    made = prepare_all(documents, tmp_path, workers=2, min_parallel_chars=0, numbered=numbered)
    same(made, serial)
    numbered_alike(numbered, made)
    keys = [prepared_key(d) for d in documents]
    if len(set(keys)) < len(keys):  # the seed is in ../shared/seed and data/: numbered by its terms
        assert by_worker == []
        unique = {key: number for number, key in enumerate(keys)}
        documents = tuple(documents[n] for n in unique.values())
        serial = tuple(serial[n] for n in unique.values())
        for path in tmp_path.glob("*.pickle"):
            path.unlink()
        library_module._RECENT.clear()
        numbered = (Numbering(), Numbering())
        made = prepare_all(documents, tmp_path, workers=2, min_parallel_chars=0, numbered=numbered)
        same(made, serial)
        numbered_alike(numbered, made)
    assert len(by_worker) == 2 * len(documents), "each numbered by its worker's numbers"
    # Every other document's prepared entry gone: found and prepared ones alternate; and the
    # workers' vocabularies start again every few documents (Vocabulary.LIMIT).
    for document in documents[::2]:
        (tmp_path / f"{prepared_key(document)}.prepared.pickle").unlink()
    library_module._RECENT.clear()
    monkeypatch.setattr(Vocabulary, "LIMIT", 2_000)
    by_worker.clear()
    numbered = (Numbering(), Numbering())
    made = prepare_all(documents, tmp_path, workers=2, min_parallel_chars=0, numbered=numbered)
    same(made, serial)
    numbered_alike(numbered, made)
    assert len(by_worker) == 2 * len(documents[::2])
    assert len({source for source in by_worker}) > 4 or len(documents) < 4, "new epochs"


def test_an_index_of_postings_counted_as_documents_come_is_the_index_of_every_word(documents, serial,
                                                                                   monkeypatch):
    """Index's numbered with counting_numberings (as a library's cold load builds it: the postings
    counted batch by batch as documents are numbered) gives each field's index, bit for bit, as
    numbering all the documents' words at once does."""
    from retrieval import bm25
    from retrieval.index import FIELDS, Index, counting_numberings

    monkeypatch.setattr(bm25, "BUILD_BATCH_DOCS", 50)  # several batches, most counted before the last
    numbered = counting_numberings()
    for ready in serial:
        for numbering, field in zip(numbered, FIELDS, strict=True):
            numbering.add(getattr(ready, field))
    counted = Index(documents, prepared=serial, numbered=numbered)
    whole = Index(documents, prepared=serial)
    for field in ("_body", "_head"):
        built, expected = getattr(counted, field)._bm25, getattr(whole, field)._bm25
        assert list(built.vocabulary.items()) == list(expected.vocabulary.items())
        for name in bm25._ARRAYS:
            np.testing.assert_array_equal(built._array(name), expected._array(name))
