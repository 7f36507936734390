"""The token cache must give exactly the tokens the tokenizer would, and call it only when needed."""

from __future__ import annotations

import gc
import json
import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from retrieval import token_cache
from retrieval.text.tokens import tokenize
from retrieval.token_cache import (
    CACHE_FORMAT,
    document_key,
    fingerprint_files,
    key_of,
    prune_cache,
    tokenize_all,
    tokenize_documents,
)
from retrieval.words import Words

CALLS: Counter[str] = Counter()
DATA = Path(__file__).resolve().parent.parent / "data"

DOCS = [
    ["发展 经济 项目", "基础 配套"],
    ["城市 建设", "", "产业 聚集 区"],
    [],
    ["重点 任务 2022 年"],
]


def counting_tokenize(text: str) -> list[str]:
    """A trivial tokenizer that counts its calls per text."""
    CALLS[text] += 1
    return text.split()


@pytest.fixture(autouse=True)
def reset_calls() -> None:
    CALLS.clear()


def expected_tokens(docs: list[list[str]]) -> list[list[list[str]]]:
    return [[text.split() for text in chunks] for chunks in docs]


def strings(documents: list[Words]) -> list[list[list[str]]]:
    """Numbered tokens (retrieval/words.py) as the tokenizer gave them."""
    return [[list(words) for words in document] for document in documents]


def cache_files(cache_dir: Path) -> list[str]:
    return sorted(p.name for p in cache_dir.iterdir())


def test_without_cache_dir_tokens_are_computed_and_nothing_is_written(tmp_path: Path) -> None:
    assert strings(tokenize_all(DOCS, counting_tokenize, None, "v1")) == expected_tokens(DOCS)
    assert list(tmp_path.iterdir()) == []


def test_cache_hit_returns_identical_tokens_without_calling_the_tokenizer(tmp_path: Path) -> None:
    first = tokenize_all(DOCS, counting_tokenize, tmp_path, "v1")
    assert strings(first) == expected_tokens(DOCS)
    assert sum(CALLS.values()) == 6  # every chunk, the empty one included
    CALLS.clear()
    assert tokenize_all(DOCS, counting_tokenize, tmp_path, "v1") == first
    assert sum(CALLS.values()) == 0


def test_only_the_changed_document_is_tokenized_again(tmp_path: Path) -> None:
    tokenize_all(DOCS, counting_tokenize, tmp_path, "v1")
    CALLS.clear()
    changed = [DOCS[0], ["城市 建设", "", "产业 园区"], DOCS[2], DOCS[3], ["新 文件"]]
    assert strings(tokenize_all(changed, counting_tokenize, tmp_path, "v1")) == expected_tokens(changed)
    assert dict(CALLS) == {"城市 建设": 1, "": 1, "产业 园区": 1, "新 文件": 1}


def test_a_new_fingerprint_invalidates_every_document(tmp_path: Path) -> None:
    tokenize_all(DOCS, counting_tokenize, tmp_path, "v1")
    CALLS.clear()
    tokenize_all(DOCS, counting_tokenize, tmp_path, "v2")
    assert sum(CALLS.values()) == 6


def test_chunk_boundaries_are_part_of_the_key() -> None:
    assert document_key("v1", ["ab", "c"]) != document_key("v1", ["a", "bc"])
    assert document_key("v1", ["ab"]) != document_key("v2", ["ab"])
    assert document_key("v1", ["ab", "c"]) == document_key("v1", ["ab", "c"])


def stored_file(key: str, terms: bytes = "发展\x00经济".encode(), lengths: tuple[int, ...] = (1, 1),
                numbers: tuple[int, ...] = (0, 1), *, count: int = 2, version: int = CACHE_FORMAT,
                magic: bytes = b"SBTOKENS", extra: bytes = b"") -> bytes:
    """A token cache file as store_cached lays it out (token_cache._Layout), any field chosen."""
    header = token_cache._Layout.pack(magic, version, key.encode(), count, len(lengths), len(numbers),
                                      len(terms))
    return (header + terms + np.array(lengths, dtype="<i4").tobytes()
            + np.array(numbers, dtype="<i4").tobytes() + extra)


DAMAGE: dict[str, Callable[[str], bytes]] = {
    "empty": lambda key: b"",
    "cut in its header": lambda key: stored_file(key)[:40],
    "cut in its numbers": lambda key: stored_file(key)[:-2],
    "a byte too many": lambda key: stored_file(key, extra=b"x"),
    "another key": lambda key: stored_file("0" * 64),
    "another format": lambda key: stored_file(key, version=CACHE_FORMAT - 1),
    "no magic": lambda key: stored_file(key, magic=b"SBTOKENZ"),
    "one chunk of two": lambda key: stored_file(key, lengths=(2,)),
    "word 2 of 2": lambda key: stored_file(key, numbers=(0, 2)),
    "a negative word": lambda key: stored_file(key, numbers=(0, -1)),
    "lengths not the words'": lambda key: stored_file(key, lengths=(2, 1)),
    "2 terms, not 3": lambda key: stored_file(key, count=3),
    "not UTF-8": lambda key: stored_file(key, terms=b"\xff\x00\xfe"),
    "JSON of format 3": lambda key: json.dumps({"format": 3, "key": key, "terms": "发展\x00经济", "count": 2,
                                                "lengths": [1, 1], "numbers": "AAAAAAEAAAA="}).encode(),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_corrupt_cache_file_is_ignored_and_rewritten(tmp_path: Path, damage: Callable[[str], bytes],
                                                       caplog: pytest.LogCaptureFixture) -> None:
    docs = [["发展 经济", "基础 配套"]]
    tokenize_all(docs, counting_tokenize, tmp_path, "v1")
    key = document_key("v1", docs[0])
    token_cache.cache_path(tmp_path, key).write_bytes(damage(key))
    CALLS.clear()
    with caplog.at_level(logging.WARNING):
        assert strings(tokenize_all(docs, counting_tokenize, tmp_path, "v1")) == expected_tokens(docs)
    assert sum(CALLS.values()) == 2
    assert "token cache: ignoring" in caplog.text
    CALLS.clear()
    assert strings(tokenize_all(docs, counting_tokenize, tmp_path, "v1")) == expected_tokens(docs)
    assert sum(CALLS.values()) == 0  # the rewritten file is good


def test_a_cache_file_holds_the_words_numbered(tmp_path: Path) -> None:
    docs = [["发展 经济 发展", "经济 配套"]]
    [stored] = tokenize_all(docs, counting_tokenize, tmp_path, "v1")
    assert stored.terms == ("发展", "经济", "配套")
    assert stored.numbers.tolist() == [0, 1, 0, 1, 2] and stored.lengths.tolist() == [3, 2]
    key = document_key("v1", docs[0])
    assert token_cache.cache_path(tmp_path, key).read_bytes() == stored_file(
        key, "发展\x00经济\x00配套".encode(), (3, 2), (0, 1, 0, 1, 2), count=3)
    assert CACHE_FORMAT == 4
    assert strings(tokenize_all(docs, counting_tokenize, tmp_path, "v1")) == expected_tokens(docs)


def test_words_with_a_term_holding_the_separator_are_not_stored(tmp_path: Path) -> None:
    docs = [["a\x00b c"]]
    assert strings(tokenize_all(docs, counting_tokenize, tmp_path, "v1")) == expected_tokens(docs)
    assert cache_files(tmp_path) == []


def test_writes_leave_only_complete_files(tmp_path: Path) -> None:
    tokenize_all(DOCS, counting_tokenize, tmp_path, "v1")
    keys = [document_key("v1", chunks) for chunks in DOCS]
    assert cache_files(tmp_path) == sorted(f"tokens-{key}.tokens" for key in keys)


def test_a_failed_write_leaves_no_file_and_does_not_fail_the_load(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(token_cache.os, "replace", failing_replace)
    assert strings(tokenize_all(DOCS, counting_tokenize, tmp_path, "v1")) == expected_tokens(DOCS)
    assert cache_files(tmp_path) == []


def test_prune_removes_files_of_documents_no_longer_loaded(tmp_path: Path) -> None:
    tokenize_all(DOCS, counting_tokenize, tmp_path, "v1")
    (tmp_path / ".tokens-crashed.tmp").write_text("half")
    (tmp_path / "unrelated.txt").write_text("keep me")
    tokenize_all(DOCS[:1], counting_tokenize, tmp_path, "v1", prune=True)
    assert cache_files(tmp_path) == sorted([f"tokens-{document_key('v1', DOCS[0])}.tokens", "unrelated.txt"])
    assert prune_cache(tmp_path, keep=set()) == 1
    (tmp_path / f"tokens-{'c' * 64}.json").write_text("{}")  # a file of format 3: pruned by its key
    assert key_of(f"tokens-{'c' * 64}.json") == "c" * 64 and prune_cache(tmp_path, keep=set()) == 1


def test_parallel_tokenizing_gives_the_serial_result() -> None:
    docs = [[f"第{i}段 内容 {j}" for j in range(i % 4)] for i in range(50)]
    serial = tokenize_documents(docs, str.split, workers=1)
    assert tokenize_documents(docs, str.split, workers=2, min_parallel_chars=0) == serial
    assert strings(serial) == expected_tokens(docs)


def test_parallel_tokenizing_with_the_project_tokenizer(tmp_path: Path) -> None:
    text = next(DATA.glob("*.txt")).read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    docs = [paragraphs[i::3] for i in range(3)]
    serial = tokenize_all(docs, tokenize, None, "v1", workers=1)
    assert strings(serial) == [[tokenize(p) for p in chunks] for chunks in docs]
    parallel = tokenize_all(docs, tokenize, tmp_path, "v1", workers=2, min_parallel_chars=0)
    assert parallel == serial
    assert tokenize_all(docs, tokenize, tmp_path, "v1") == serial  # and back from the cache


def test_fingerprint_files_changes_with_content(tmp_path: Path) -> None:
    rules = tmp_path / "words.txt"
    rules.write_text("基础配套\n", encoding="utf-8")
    before = fingerprint_files([rules], "tokens-1")
    assert fingerprint_files([rules], "tokens-1") == before
    assert fingerprint_files([rules], "tokens-2") != before
    rules.write_text("基础配套\n重点项目\n", encoding="utf-8")
    assert fingerprint_files([rules], "tokens-1") != before


def failing_tokenize(text: str) -> list[str]:
    raise RuntimeError("tokenizer broke")


def test_the_garbage_collector_is_back_on_afterwards(tmp_path: Path) -> None:
    tokenize_all(DOCS, counting_tokenize, tmp_path, "v1")
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        tokenize_all([["新 内容"]], failing_tokenize, tmp_path, "v1")
    assert gc.isenabled()


def test_a_file_is_written_whole_through_a_temporary_name_of_its_own(tmp_path: Path, monkeypatch) -> None:
    """write_atomically: the parts in order, the folder made if missing, a temporary name left by a
    process that had this id before skipped, and no temporary file left when writing fails; the
    temporary names are ones a prune removes."""
    import itertools
    import os

    from retrieval.token_cache import write_atomically

    folder = tmp_path / "new" / "cache"
    write_atomically(folder, "a.bin", ".tokens-", (b"one", b"", b"two"))
    assert (folder / "a.bin").read_bytes() == b"onetwo" and sorted(os.listdir(folder)) == ["a.bin"]
    monkeypatch.setattr(token_cache, "_temporary_names", itertools.count(7))
    stale = folder / f".tokens-{os.getpid()}-7.tmp"
    stale.write_bytes(b"left by a crash")
    write_atomically(str(folder), "a.bin", ".tokens-", [b"again"])
    assert (folder / "a.bin").read_bytes() == b"again" and stale.read_bytes() == b"left by a crash"

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(token_cache.os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_atomically(folder, "b.bin", ".tokens-", [b"x"])
    assert sorted(os.listdir(folder)) == sorted(["a.bin", stale.name])
    assert prune_cache(folder, keep=set()) == 1 and not stale.exists()
