"""Loading a folder of documents, and not tokenizing the same document twice."""

from pathlib import Path

import pytest

import retrieval.library as library_module
from retrieval.library import Library, load_library

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def counted_tokenize(monkeypatch):
    calls = []
    real = library_module.tokenize

    def tokenize(text: str) -> list[str]:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(library_module, "tokenize", tokenize)
    monkeypatch.setattr(library_module, "_RECENT", type(library_module._RECENT)())
    return calls


def test_restart_with_a_token_cache_tokenizes_nothing(tmp_path, counted_tokenize, monkeypatch):
    first, errors = load_library(DATA, cache_dir=tmp_path)
    assert not errors and counted_tokenize  # tokenized once, and written to the cache
    assert list(tmp_path.iterdir())
    counted_tokenize.clear()
    monkeypatch.setattr(library_module, "_RECENT", type(library_module._RECENT)())
    second, _ = load_library(DATA, cache_dir=tmp_path)
    assert counted_tokenize == []
    question = "三大主题公园什么时候建成"
    assert second.ask(question).to_json() == first.ask(question).to_json()


def test_rebuilding_a_library_in_process_reuses_tokens(counted_tokenize):
    library, _ = load_library(DATA)
    counted_tokenize.clear()
    Library(library.documents)
    assert counted_tokenize == []


def test_bad_file_is_skipped_and_named(tmp_path):
    (tmp_path / "speech.txt").write_bytes((DATA / "xx_district_2022_economic_work_speech.txt").read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    library, errors = load_library(tmp_path)
    assert [d.name for d in library.documents] == ["speech.txt"]
    assert [e.name for e in errors] == ["empty.txt"]


def test_a_library_of_no_documents_answers_nothing(tmp_path):
    library, errors = load_library(tmp_path)
    assert library.documents == () and errors == []
    answer = library.ask("2022年基础配套有哪些任务")
    assert answer.answer is None and answer.results == ()
    assert library.commitments() == ()


def test_documents_made_ready_by_the_caller_are_indexed_as_they_are(counted_tokenize):
    from retrieval.index import prepare

    documents, errors = library_module.read_documents(DATA)
    assert not errors
    prepared = tuple(prepare(d) for d in documents)
    counted_tokenize.clear()
    library = Library(documents, prepared=prepared)
    assert not counted_tokenize, "the caller's words were used, not tokenized again"
    assert library.index.entries == tuple(e for p in prepared for e in p.entries)
    built = Library(documents)
    for question in ["2022年基础配套有哪些任务", "第二个问题讲的是什么", "今天天气怎么样"]:
        assert library.ask(question).to_json() == built.ask(question).to_json()



def test_a_load_moves_what_it_made_to_the_oldest_generation_and_leaves_the_collector_on(tmp_path):
    # A warm restart of 1,000 documents spent 0.38 s of 2.1 s in collections rescanning what it
    # had made (five full, seventy young): the collector is paused while loading, and what the
    # load made moved to the oldest generation after, where questions' young collections do not
    # rescan it, without a collection (one of the young generations was ~0.1 s, freeing nothing).
    import gc

    load_library(DATA, cache_dir=tmp_path)  # the cache filled: the next load is a warm restart
    library_module._RECENT.clear()
    collected: list[int] = []

    def record(phase: str, info: dict) -> None:
        if phase == "start":
            collected.append(info["generation"])

    gc.callbacks.append(record)
    threshold = gc.get_threshold()
    gc.set_threshold(50)  # what a load makes is far more: moved once the collector was on, it was collected
    try:
        library, _ = load_library(DATA, cache_dir=tmp_path)
        gc.set_threshold(*threshold)
        assert collected == [] and gc.isenabled() and library.documents
        entry = library.index.entries[0]
        assert gc.is_tracked(entry) and any(o is entry for o in gc.get_objects(2))
        assert not any(o is entry for generation in (0, 1) for o in gc.get_objects(generation))
        assert gc.get_freeze_count() == 0, "nothing left frozen"
        with pytest.raises(FileNotFoundError):
            load_library(tmp_path / "no such folder", cache_dir=tmp_path)
        assert gc.isenabled()
        gc.disable()
        collected.clear()
        load_library(DATA, cache_dir=tmp_path)  # a caller that paused it finds it paused still
        assert collected == [] and not gc.isenabled()
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(record)
        gc.enable()


def test_files_read_in_workers_load_the_tokenizer_meanwhile(tmp_path, monkeypatch):
    """While worker processes read new files, a thread loads the tokenizer that preparing them
    needs; none starts for small files read in this process (a /reload), nor for a warm start."""
    import threading

    from retrieval import document_cache, parse_workers
    from retrieval.token_cache import WARM_UP_TEXT

    calls = []
    real = library_module.tokenize

    def tokenize(text: str) -> list[str]:
        calls.append((threading.current_thread().name, text))
        return real(text)

    monkeypatch.setattr(library_module, "tokenize", tokenize)
    load_library(DATA, cache_dir=tmp_path / "inline")
    assert not any(name == "tokenizer-loading" for name, _ in calls)
    monkeypatch.setattr(parse_workers, "INLINE_BYTES", 0)  # every file to a worker
    monkeypatch.setattr(document_cache, "_RECENT", type(document_cache._RECENT)())  # read again
    load_library(DATA, cache_dir=tmp_path / "workers")
    assert ("tokenizer-loading", WARM_UP_TEXT) in calls
    calls.clear()
    load_library(DATA, cache_dir=tmp_path / "workers")  # nothing to read
    assert not any(name == "tokenizer-loading" for name, _ in calls)


def test_loading_the_tokenizer_in_a_thread_leaves_its_error_to_the_load(monkeypatch):
    import threading

    raised = []
    monkeypatch.setattr(threading, "excepthook", raised.append)

    def broken(text: str) -> list[str]:
        raise RuntimeError("no dictionary")

    monkeypatch.setattr(library_module, "tokenize", broken)
    library_module._warming_tokenizer().join()
    assert raised == []
