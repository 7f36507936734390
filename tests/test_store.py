"""The document folder: names from outside are made safe, writes and removals are atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.library import document_paths
from retrieval.models import DocumentError
from retrieval.store import (
    CONTROL_IN_NAME,
    NAME_TOO_LONG,
    NO_NAME,
    PATH_IN_NAME,
    UNSUPPORTED,
    DocumentStore,
    safe_name,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023年政府工作报告.txt", "2023年政府工作报告.txt"),
        ("  讲话稿.DOCX ", "讲话稿.DOCX"),
        (".hidden.md", "hidden.md"),
        ("...报告.pdf", "报告.pdf"),
        ("e\u0301.txt", "\u00e9.txt"),  # NFC: one name for what looks like one name
    ],
)
def test_safe_names_keep_chinese_and_drop_leading_dots(raw, expected):
    assert safe_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("../../x.txt", PATH_IN_NAME),
        ("/etc/passwd.txt", PATH_IN_NAME),
        ("..\\..\\x.txt", PATH_IN_NAME),
        ("data/x.txt", PATH_IN_NAME),
        ("..", PATH_IN_NAME),
        ("报告\x00.txt", CONTROL_IN_NAME),
        ("报告\n.txt", CONTROL_IN_NAME),
        ("报告\u202etxt.exe", CONTROL_IN_NAME),  # right-to-left override: "报告exe.txt" on screen
        ("", NO_NAME),
        ("...", NO_NAME),
        ("报告.exe", UNSUPPORTED),
        ("报告.doc", UNSUPPORTED),
        ("报告", UNSUPPORTED),
        (". .txt", UNSUPPORTED),
        ("长" * 200 + ".txt", NAME_TOO_LONG),
    ],
)
def test_unsafe_names_are_refused_with_a_reason(raw, reason):
    with pytest.raises(DocumentError) as caught:
        safe_name(raw)
    assert caught.value.reason == reason
    assert all(ch.isprintable() for ch in caught.value.name), "the name shown back has no control characters"


def test_write_creates_the_file_atomically_and_replaces_an_old_one(tmp_path):
    store = DocumentStore(tmp_path)
    store.write("报告.txt", "旧".encode())
    store.write("报告.txt", "新的正文".encode())
    assert (tmp_path / "报告.txt").read_text() == "新的正文"
    assert os.listdir(tmp_path) == ["报告.txt"], "no temporary file is left behind"
    assert store.names() == ["报告.txt"] and store.exists("报告.txt")
    assert store.added_at("报告.txt") is not None


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    store = DocumentStore(tmp_path)
    store.write("报告.txt", "旧的正文".encode())

    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        store.write("报告.txt", "新的正文".encode())
    assert (tmp_path / "报告.txt").read_text() == "旧的正文"
    assert os.listdir(tmp_path) == ["报告.txt"]


def test_a_temporary_file_is_never_loaded_as_a_document(tmp_path):
    (tmp_path / ".upload-abc.tmp").write_text("二、重点工作\n推进道路建设。")
    assert DocumentStore(tmp_path).names() == []
    assert document_paths(tmp_path) == []


def test_remove_deletes_and_reports_a_missing_file(tmp_path):
    store = DocumentStore(tmp_path)
    store.write("报告.txt", "正文".encode())
    assert store.remove("报告.txt") is True
    assert not (tmp_path / "报告.txt").exists()
    assert store.remove("报告.txt") is False
    assert store.added_at("报告.txt") is None


@pytest.mark.parametrize("name", ["../x.txt", "sub/x.txt", "..", ""])
def test_the_store_itself_refuses_paths(tmp_path, name):
    store = DocumentStore(tmp_path / "data")
    (tmp_path / "data").mkdir()
    (tmp_path / "x.txt").write_text("outside")
    with pytest.raises(DocumentError):
        store.write(name, b"x")
    with pytest.raises(DocumentError):
        store.remove(name)
    with pytest.raises(DocumentError):
        store.exists(name)
    assert (tmp_path / "x.txt").read_text() == "outside"
    assert Path(tmp_path / "data").is_dir() and os.listdir(tmp_path / "data") == []


def test_a_link_to_a_file_outside_the_folder_is_skipped_with_a_log_line(tmp_path, caplog):
    """A symbolic link in DATA_DIR once had its outside target quoted to users (issue 14)."""
    from retrieval.library import read_documents

    data, outside = tmp_path / "data", tmp_path / "private"
    data.mkdir()
    outside.mkdir()
    (outside / "机密.txt").write_text("一、内部事项\n这是文档目录之外的内部文件。", encoding="utf-8")
    (data / "报告.txt").write_text("一、重点工作\n推进道路建设，完善基础配套。", encoding="utf-8")
    (data / "链接.txt").symlink_to(outside / "机密.txt")
    (data / "别名.txt").symlink_to(data / "报告.txt")  # inside the folder: an ordinary second name
    (data / "目录链接.md").symlink_to(outside)  # a link to a folder is no document either
    with caplog.at_level("WARNING"):
        documents, errors = read_documents(data)
    assert [d.name for d in documents] == ["别名.txt", "报告.txt"]
    assert errors == []
    assert "跳过 链接.txt" in caplog.text and "文档目录之外" in caplog.text
    assert DocumentStore(data).names() == ["别名.txt", "报告.txt"]
    assert all("内部" not in d.text for d in documents)


def test_links_to_nothing_to_a_folder_or_to_themselves_are_no_documents(tmp_path):
    # document_paths resolves only links (resolving every path was ~0.09 s at 1,000 documents).
    (tmp_path / "报告.txt").write_text("一、重点工作", encoding="utf-8")
    (tmp_path / "断开.txt").symlink_to(tmp_path / "不存在.txt")
    (tmp_path / "自己.txt").symlink_to(tmp_path / "自己.txt")
    (tmp_path / "目录.txt").mkdir()
    (tmp_path / "链接目录.md").symlink_to(tmp_path / "目录.txt")
    assert document_paths(tmp_path) == [tmp_path / "报告.txt"]
