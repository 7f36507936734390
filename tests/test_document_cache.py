"""Nothing done twice across restarts: what each document became is cached, and only that."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_bm25 import memory_mapped

import retrieval.document as document_module
import retrieval.document_cache as document_cache
import retrieval.library as library_module
from retrieval.bm25 import SparseBM25
from retrieval.library import load_library
from retrieval.text.tokens import tokenize

SEED = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
OTHER = "某县2023年经济工作会议讲话\n同志们：\n一、2023年重点工作\n一是推进基础配套。修建道路10公里。\n"


@pytest.fixture
def folders(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    shutil.copy(SEED, data / SEED.name)
    (data / "other.txt").write_text(OTHER, encoding="utf-8")
    return data, cache


@pytest.fixture
def counted(monkeypatch):
    """Count documents built and prepared for the index (in this process nothing is remembered)."""
    built, prepared = [], []
    # document_cache imports build_document on a cache miss, from retrieval.document: counted there.
    build, prepare = document_module.build_document, library_module.prepare

    def counting_build(name, raw, corrections=None):
        built.append(name)
        return build(name, raw, corrections)

    def counting_prepare(document, body=None):
        prepared.append(document.name)
        return prepare(document, body)

    monkeypatch.setattr(document_module, "build_document", counting_build)
    monkeypatch.setattr(library_module, "prepare", counting_prepare)
    monkeypatch.setattr(library_module, "_RECENT", type(library_module._RECENT)())
    monkeypatch.setattr(document_cache, "_RECENT", type(document_cache._RECENT)())
    return built, prepared


def forget(monkeypatch) -> None:
    """What a new process knows: nothing but the cache folder."""
    monkeypatch.setattr(library_module, "_RECENT", type(library_module._RECENT)())
    monkeypatch.setattr(document_cache, "_RECENT", type(document_cache._RECENT)())
    monkeypatch.setattr(document_cache, "_FILE_KEYS", {})
    monkeypatch.setattr(document_cache, "_PREPARED_KEYS", {})


def test_a_restart_builds_and_prepares_nothing(folders, counted, monkeypatch):
    data, cache = folders
    first, _ = load_library(data, cache)
    assert sorted(counted[0]) == sorted(counted[1]) == ["other.txt", SEED.name]
    counted[0].clear(), counted[1].clear()
    forget(monkeypatch)
    second, _ = load_library(data, cache)
    assert counted == ([], [])
    assert second.ask("修建道路多少公里").to_json() == first.ask("修建道路多少公里").to_json()
    assert second.index.entries == first.index.entries, "the cached entries are those prepared"
    passages = [c for d in second.documents for c in d.chunks]
    assert all(e.chunk is c for e, c in zip(second.index.entries, passages, strict=True)), \
        "each passage is read once and shared, not a second copy for the index"


def test_a_changed_document_is_read_again_alone_and_its_old_entry_pruned(folders, counted, monkeypatch):
    data, cache = folders
    load_library(data, cache)
    entries = set(cache.iterdir())
    counted[0].clear(), counted[1].clear()
    forget(monkeypatch)
    (data / "other.txt").write_text(OTHER.replace("10公里", "25公里"), encoding="utf-8")
    library, _ = load_library(data, cache)
    assert counted == (["other.txt"], ["other.txt"])
    assert "25公里" in library.ask("修建道路多少公里").answer.text
    assert len(set(cache.iterdir()) - entries) >= 2 and len(list(cache.iterdir())) <= len(entries) + 1, \
        "the changed document's old entries are gone"


def test_a_new_pipeline_or_rule_file_reads_everything_again(folders, counted, monkeypatch):
    data, cache = folders
    load_library(data, cache)
    counted[0].clear(), counted[1].clear()
    forget(monkeypatch)
    monkeypatch.setattr(document_cache, "pipeline_fingerprint", lambda: "rules edited")
    load_library(data, cache)
    assert sorted(counted[0]) == sorted(counted[1]) == ["other.txt", SEED.name]


def test_the_fingerprint_covers_the_rule_files_and_the_tokenizer():
    modules = document_cache.pipeline_modules()
    sources = {p.name for p in [*modules, *document_cache.RULES_DIR.glob("*.txt")]}
    assert {"tokens.py", "clean.py", "structure.py", "segmenter.py", "bm25.py", "userdict.txt",
            "related_terms.txt"} <= sources


def test_the_fingerprint_covers_every_module_the_cached_things_are_made_with():
    """Every retrieval module loaded with the document cache (hence by whatever builds a Document,
    a Prepared or a saved index) is fingerprinted; modules only questions use are not, so an
    upgrade of the answering alone keeps the cache."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, retrieval.document_cache as c; c.pipeline_fingerprint(); "
         "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('retrieval')))"],
        cwd=Path(__file__).resolve().parent.parent, check=True, capture_output=True, text=True).stdout.split()
    modules = document_cache.pipeline_modules()
    assert {Path(f).resolve() for f in loaded if not f.endswith("__init__.py")} <= modules
    assert not {"answer.py", "library.py", "reply.py", "commitments.py"} & {p.name for p in modules}


def test_a_new_cache_format_gives_every_entry_a_new_key(monkeypatch):
    before = document_cache.pipeline_fingerprint()
    document_cache.pipeline_fingerprint.cache_clear()
    monkeypatch.setattr(document_cache, "CACHE_FORMAT", document_cache.CACHE_FORMAT + 1)
    try:
        assert document_cache.pipeline_fingerprint() != before
    finally:
        document_cache.pipeline_fingerprint.cache_clear()


def test_words_stored_as_strings_before_they_were_numbered_are_not_read(folders, counted, monkeypatch):
    """A prepared entry whose words are in the layout before CACHE_FORMAT 4 (each passage's words
    as strings) is refused, so the document's words are made again. Each entry is one file."""
    data, cache = folders
    library, _ = load_library(data, cache)
    assert not list(cache.glob("*.words.pickle")), "the words are in the prepared entry's file"
    key, document = library.keys[0], library.documents[0]
    stored = document_cache.load_prepared(cache, key, document)
    assert stored is not None and list(stored.body) == [tuple(tokenize(c.text)) for c in document.chunks]
    entry = cache / f"{key}.prepared.pickle"
    with entry.open("rb") as file:
        rest = pickle.load(file)
    entry.write_bytes(pickle.dumps(rest) + pickle.dumps((tuple(stored.body), tuple(stored.head))))
    assert document_cache.load_prepared(cache, key, document) is None
    assert document_cache.load_prepared(cache, key, document, with_words=False) is not None


def test_words_files_of_the_layout_before_are_pruned(folders):
    data, cache = folders
    cache.mkdir()
    (cache / f"{'0' * 64}.words.pickle").write_bytes(b"words apart, CACHE_FORMAT 3")
    load_library(data, cache)
    assert not list(cache.glob("*.words.pickle"))


def test_an_unreadable_entry_is_built_again(folders, counted, monkeypatch):
    data, cache = folders
    load_library(data, cache)
    for entry in cache.rglob("*"):  # the documents, their words and the saved index alike
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    counted[0].clear(), counted[1].clear()
    forget(monkeypatch)
    library, errors = load_library(data, cache)
    assert not errors and len(library.documents) == 2 and sorted(counted[0]) == ["other.txt", SEED.name]


def test_a_restart_loads_the_saved_index_and_reads_no_words(folders, counted, monkeypatch):
    """The BM25 indexes of the whole library are saved: a restart reads neither a passage's words
    nor builds anything, and answers exactly as before."""
    data, cache = folders
    first, _ = load_library(data, cache)
    assert any(p.name.startswith("index-") for p in cache.iterdir())
    forget(monkeypatch)
    read_words = []
    load = document_cache.load_prepared

    def counting_load(cache_dir, key, document, with_words=True):
        read_words.append(with_words)
        return load(cache_dir, key, document, with_words)

    monkeypatch.setattr(library_module, "load_prepared", counting_load)
    second, _ = load_library(data, cache)
    assert read_words == [False, False], "no passage's words were read"
    for question in ("修建道路多少公里", "2022年基础配套有哪些任务"):
        assert second.ask(question).to_json() == first.ask(question).to_json()


def test_a_library_one_document_away_is_made_from_the_last_saved_index(folders, monkeypatch):
    """A /reload after one file changed and one was added counts only their words; it answers
    exactly as a library built from nothing, and its own index is saved for the next one."""
    data, cache = folders
    load_library(data, cache)
    third = OTHER.replace("某县", "某镇").replace("10公里", "7公里")
    (data / "third.txt").write_text(third, encoding="utf-8")
    (data / "other.txt").write_text(OTHER.replace("10公里", "25公里"), encoding="utf-8")
    words_read, reused, steps = [], [], []
    real_load, real_reused, real_save = library_module.load_prepared, SparseBM25.reused, SparseBM25.save

    def load_prepared(cache_dir, key, document, with_words=True):
        if with_words:
            words_read.append(key)
        return real_load(cache_dir, key, document, with_words)

    def counting_reused(index, old_ids, fresh, **options):
        reused.append(len(fresh))
        steps.append("reused")
        return real_reused(index, old_ids, fresh, **options)

    def saving(index, folder):
        steps.append(f"saved {Path(folder).name}")
        return real_save(index, folder)

    monkeypatch.setattr(library_module, "load_prepared", load_prepared)
    monkeypatch.setattr(SparseBM25, "reused", counting_reused)
    monkeypatch.setattr(SparseBM25, "save", saving)
    library, _ = load_library(data, cache)
    new_passages = len(library.document("third.txt").chunks) + len(library.document("other.txt").chunks)
    assert reused == [new_passages, new_passages]  # body and heading fields
    # One field at a time, saved before the next is made, and served from the saved files.
    assert steps == ["reused", "saved body", "reused", "saved head"]
    assert memory_mapped(library.index._body._bm25._indices)
    assert memory_mapped(library.index._head._bm25._indices)
    assert library.keys[library.position(SEED.name)] not in words_read, "the kept document's words were read"
    scratch, _ = load_library(data)  # no cache: built from every word
    for question in ["修建道路多少公里", "2022年基础配套有哪些任务", "某镇修路多少公里", "今天天气怎么样"]:
        assert library.ask(question).to_json() == scratch.ask(question).to_json()
    terms = {"修建": 1.0, "道路": 1.0, "基础": 1.0, "公里": 2.0}
    np.testing.assert_array_equal(library.index._body.scores(terms), scratch.index._body.scores(terms))
    saved = [p for p in cache.iterdir() if p.name.startswith("index-")]
    assert len(saved) == 1 and (saved[0] / "documents.json").is_file()


def test_an_earlier_index_that_cannot_be_reused_is_built_again_in_full(folders, monkeypatch):
    data, cache = folders
    load_library(data, cache)
    for body in cache.glob("index-*/body/bm25.json"):
        body.unlink()  # the earlier index is incomplete, its manifest still there
    forget(monkeypatch)
    (data / "other.txt").write_text(OTHER.replace("10公里", "25公里"), encoding="utf-8")
    library, _ = load_library(data, cache)
    assert "25公里" in library.ask("修建道路多少公里").answer.text
    question = "2022年基础配套有哪些任务"
    assert library.ask(question).to_json() == load_library(data)[0].ask(question).to_json()


def token_files(cache: Path) -> set[str]:
    return {p.name for p in cache.glob("tokens-*.tokens")}


def test_token_files_are_pruned_with_their_documents(folders, counted, monkeypatch):
    """A document's token cache file goes when the document is changed or removed, or is tokenized
    by another tokenizer; a restart that reads no words keeps them all."""
    data, cache = folders
    load_library(data, cache)
    first = token_files(cache)
    assert len(first) == 2
    forget(monkeypatch)
    load_library(data, cache)
    assert token_files(cache) == first
    forget(monkeypatch)
    (data / "other.txt").write_text(OTHER.replace("10公里", "25公里"), encoding="utf-8")
    load_library(data, cache)
    changed = token_files(cache)
    assert len(changed) == 2 and len(changed & first) == 1, "the changed document's old file is gone"
    forget(monkeypatch)
    (data / "other.txt").unlink()
    load_library(data, cache)
    assert token_files(cache) == changed & first, "the removed document's file is gone"
    forget(monkeypatch)
    monkeypatch.setattr(document_cache, "pipeline_fingerprint", lambda: "rules edited")
    monkeypatch.setattr(library_module, "tokenizer_fingerprint", lambda: "another tokenizer")
    load_library(data, cache)
    assert len(token_files(cache)) == 1 and not token_files(cache) & first, "the old tokenizer's file is gone"


def test_loading_another_folder_with_the_same_cache_prunes_nothing_the_first_needs(
        folders, counted, monkeypatch):
    """`speechbot ask --data OTHER` (or an evaluation loading each document alone) shares the bot's
    cache: it must not delete the entries the bot's next restart reads."""
    data, cache = folders
    load_library(data, cache)
    tokens = token_files(cache)
    other = data.parent / "other-data"
    other.mkdir()
    (other / "third.txt").write_text(OTHER.replace("某县", "某区"), encoding="utf-8")
    load_library(other, cache)
    assert tokens <= token_files(cache), "nor the token files of its documents"
    counted[0].clear(), counted[1].clear()
    forget(monkeypatch)
    load_library(data, cache)
    assert counted == ([], []), "the first folder's documents are read from the cache"


def test_entries_of_a_folder_not_loaded_for_a_long_time_are_pruned(folders, monkeypatch):
    import os
    import time

    data, cache = folders
    load_library(data, cache)
    other = data.parent / "other-data"
    other.mkdir()
    (other / "third.txt").write_text(OTHER.replace("某县", "某区"), encoding="utf-8")
    before = set(cache.iterdir())
    old = time.time() - (document_cache.LOAD_KEPT_DAYS + 1) * 86400
    for record in (cache / "loads").iterdir():
        os.utime(record, (old, old))
    load_library(other, cache)
    assert not any(p.name.endswith(".document.pickle") and p in before for p in cache.iterdir())
    assert len(list((cache / "loads").iterdir())) == 1


def test_a_documents_prepared_key_is_hashed_once_and_follows_the_pipeline(monkeypatch):
    # A /reload's library holds the same Document objects but for the changed files: their texts
    # (14M characters at 1,000 documents, 0.08 s) are not hashed again.
    from retrieval.document_cache import prepared_key

    document = document_module.build_document("a.txt", "一、重点工作\n推进道路建设。\n")
    key = prepared_key(document)
    hashed = []
    real = document_cache.hashlib.sha256
    monkeypatch.setattr(document_cache.hashlib, "sha256", lambda *a: hashed.append(a) or real(*a))
    assert prepared_key(document) == key and hashed == []
    twin = document_module.build_document("a.txt", "一、重点工作\n推进道路建设。\n")
    assert prepared_key(twin) == key and len(hashed) == 1  # another object: hashed, the same key
    monkeypatch.setattr(document_cache, "pipeline_fingerprint", lambda: "rules edited")
    assert prepared_key(document) != key


def test_a_prune_deletes_stale_entries_old_index_folders_and_leftover_temporary_files(tmp_path):
    kept, stale = "a" * 64, "b" * 64
    for name in (f"{kept}.document.pickle", f"{stale}.document.pickle", f"{stale}.prepared.pickle",
                 ".document-x1.tmp", f"tokens-{kept}.tokens", f"tokens-{stale}.tokens", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "index-old" / "body").mkdir(parents=True)
    (tmp_path / "index-new").mkdir()
    (tmp_path / "index-file").write_bytes(b"not a folder")
    removed = document_cache.prune(tmp_path, keep={kept, "index-new"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{kept}.document.pickle", "index-file", "index-new", "notes.txt", f"tokens-{kept}.tokens"]
    assert removed == 5
    assert document_cache.prune(tmp_path / "missing", keep=set()) == 0


def test_a_reload_reads_only_the_files_that_changed(folders, monkeypatch):
    # Every /reload read and hashed every file (42 MB at 1,000 documents) to find the one changed.
    import os

    data, cache = folders
    forget(monkeypatch)
    monkeypatch.setattr(document_cache, "RACY_SECONDS", 0.0)  # these files were all written just now
    read: list[str] = []
    real = document_cache._read_file
    monkeypatch.setattr(document_cache, "_read_file", lambda path: read.append(path.name) or real(path))
    load_library(data, cache)
    assert sorted(read) == ["other.txt", SEED.name]
    read.clear()
    load_library(data, cache)
    assert read == []
    other = data / "other.txt"
    times = other.stat()
    other.write_text(OTHER.replace("10公里", "25公里"), encoding="utf-8")  # the same size
    os.utime(other, ns=(times.st_atime_ns, times.st_mtime_ns))  # and modification time, as cp -p keeps it
    library, _ = load_library(data, cache)
    assert read == ["other.txt"] and "25公里" in library.ask("修建道路多少公里").answer.text
    read.clear()
    monkeypatch.setattr(document_cache, "_RECENT", type(document_cache._RECENT)())
    library, _ = load_library(data)  # known files, but their Documents are gone: read after all
    assert sorted(read) == ["other.txt", SEED.name] and len(library.documents) == 2


def test_a_file_changed_in_the_last_seconds_is_read_at_every_load(folders, monkeypatch):
    # Its times may not change again if it is written again within the same tick of the clock.
    data, cache = folders
    forget(monkeypatch)
    read: list[str] = []
    real = document_cache._read_file
    monkeypatch.setattr(document_cache, "_read_file", lambda path: read.append(path.name) or real(path))
    load_library(data, cache)
    load_library(data, cache)
    assert sorted(read) == ["other.txt", "other.txt", SEED.name, SEED.name]


def test_a_document_is_pickled_without_its_passages_texts_and_unpickled_alike():
    """Document.__reduce__: the passages' texts are slices of the document's text, so they are not
    pickled twice; unpickled, every field is as before, a passage whose text is no such slice
    keeps its own, and what was worked out of the document (_children) is worked out again."""
    import dataclasses
    import pickle

    from retrieval.document import load_document

    seed = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
    document = load_document(seed)
    children = document.children(None)
    data = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert back == document and type(back) is type(document)
    for field in dataclasses.fields(document):
        assert getattr(back, field.name) == getattr(document, field.name), field.name
    assert all(type(c) is type(document.chunks[0]) and vars(c) == vars(d)
               for c, d in zip(back.chunks, document.chunks, strict=True))
    assert "_children" not in vars(back) and back.children(None) == children
    assert len(data) < 1.5 * len(document.text.encode())  # the passages' texts are not in it twice
    changed = dataclasses.replace(document, chunks=(dataclasses.replace(document.chunks[0], text="另一段"),
                                                    *document.chunks[1:]))
    again = pickle.loads(pickle.dumps(changed))
    assert again == changed and again.chunks[0].text == "另一段"
