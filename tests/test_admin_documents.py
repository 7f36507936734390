"""Admin document operations without Telegram: parsing each format, add/remove/reload, views."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import docx
import pytest
from botapi_stub import parse_html, utf16_len
from test_admin_bot import NEW, NEW_TITLE, SEED, SEED_PATH, speech_2023
from test_reader import docx_bytes, pdf_with_text

from bot import admin_views as views
from bot.documents import LastDocumentError, Librarian, parse_upload, too_large
from bot.state import LibraryHolder
from bot.stats import UsageSummary
from retrieval.document import build_document
from retrieval.library import Library, read_documents
from retrieval.models import DocumentError
from retrieval.store import DocumentStore

SPEECH = (
    "2024年工作报告\n一、主要任务\n（一）推进乡村振兴\n建设高标准农田一千万亩，稳定粮食播种面积。\n"
    "二、保障措施\n加强组织领导。\n"
)


# -- parsing each format -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("报告.txt", SPEECH.encode("utf-8")),
        ("报告.txt", SPEECH.encode("utf-8-sig")),
        ("报告.txt", SPEECH.encode("utf-16")),
        ("报告.txt", SPEECH.encode("gbk")),
        ("报告.md", SPEECH.replace("一、", "# 一、").replace("二、", "# 二、").encode()),
    ],
)
def test_text_uploads_in_every_encoding_give_the_same_document(name, data):
    document = parse_upload(name, data)
    assert document.title == "2024年工作报告"
    assert [s.heading for s in document.sections if s.level == 1][0].endswith("一、主要任务")
    assert any("高标准农田一千万亩" in c.text for c in document.chunks)


def test_docx_upload_headings_and_numbering_become_sections():
    word = docx.Document()
    word.add_heading("2024年工作报告", level=0)
    word.add_heading("一、主要任务", level=1)
    word.add_heading("（一）推进乡村振兴", level=2)
    word.add_paragraph("建设高标准农田一千万亩。")
    word.add_heading("二、保障措施", level=1)
    word.add_paragraph("加强组织领导。")
    document = parse_upload("报告.docx", docx_bytes(word))
    assert document.title == "2024年工作报告"
    assert [s.path for s in document.sections] == [
        ("一、主要任务",),
        ("一、主要任务", "（一）推进乡村振兴"),
        ("二、保障措施",),
    ]


def test_pdf_upload_gives_its_text_layer_as_a_document():
    pages = ["2024年工作报告", "一、主要任务", "建设高标准农田一千万亩。"]
    document = parse_upload("报告.pdf", pdf_with_text(pages))
    assert document.title == "2024年工作报告" and document.sections[0].heading == "一、主要任务"


def test_the_size_limit():
    assert too_large("a.txt", 10 << 20, 10 << 20) is None
    error = too_large("a.txt", (10 << 20) + 1, 10 << 20)
    assert error.name == "a.txt" and error.reason == "文件太大（10.0 MB，上限 10 MB）"


# -- year preference across documents -----------------------------------------------------------


def test_a_question_naming_a_year_picks_the_document_of_that_year(seed_library):
    library = Library((*seed_library.documents, build_document(NEW, speech_2023())))
    assert library.ask("2022年基础配套有哪些任务").answer.doc == SEED
    assert library.ask("2023年基础配套有哪些任务").answer.doc == NEW
    assert library.ask("2023年的重点工作有哪些").answer.doc == NEW
    assert library.ask("基础配套有哪些任务", scope=NEW).answer.doc == NEW, "scoped to one document"


# -- the Librarian ------------------------------------------------------------------------------


@pytest.fixture
def librarian(tmp_path, seed_library) -> Librarian:
    shutil.copy(SEED_PATH, tmp_path / SEED)
    return Librarian(LibraryHolder(seed_library), DocumentStore(tmp_path))


async def test_add_then_remove(librarian, tmp_path):
    document = await librarian.parse(NEW, speech_2023().encode())
    await librarian.add(document, speech_2023().encode())
    assert [d.name for d in librarian.holder.documents] == [SEED, NEW]
    assert (tmp_path / NEW).read_text() == speech_2023()
    assert await librarian.remove(NEW) is True
    assert [d.name for d in librarian.holder.documents] == [SEED] and not (tmp_path / NEW).exists()
    assert await librarian.remove(NEW) is False


async def test_the_last_document_cannot_be_removed(librarian, tmp_path):
    library = librarian.holder.library
    with pytest.raises(LastDocumentError):
        await librarian.remove(SEED)
    assert (tmp_path / SEED).exists() and librarian.holder.library is library


async def test_a_failed_write_leaves_the_index_unchanged(librarian, tmp_path, monkeypatch):
    library = librarian.holder.library
    document = await librarian.parse(NEW, speech_2023().encode())

    def disk_full(name: str, data: bytes) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(librarian.store, "write", disk_full)
    with pytest.raises(OSError):
        await librarian.add(document, b"")
    assert librarian.holder.library is library and not (tmp_path / NEW).exists()


async def test_reload_of_a_missing_folder_keeps_the_old_index(librarian, tmp_path):
    library = librarian.holder.library
    librarian.store = DocumentStore(tmp_path / "gone")
    result = await librarian.reload()
    assert not result.swapped and result.problem == "无法读取文档目录"
    assert librarian.holder.library is library
    assert "gone" not in views.reload_message(result) and str(tmp_path) not in views.reload_message(result)


def test_read_documents_reports_every_bad_file(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.docx").write_text("不是 Word")
    documents, errors = read_documents(tmp_path)
    assert documents == ()
    assert [(e.name, e.reason) for e in errors] == [
        ("a.txt", "文件为空"),
        ("b.docx", "不是有效的 Word（.docx）文件：文件已损坏或不是 zip 格式"),
    ]


# -- views --------------------------------------------------------------------------------------


def test_a_long_docs_list_spans_messages_within_telegrams_limit(seed_library):
    document = seed_library.documents[0]
    entries = [views.DocEntry(document, datetime(2025, 3, 1, 9, 30)) for _ in range(100)]
    pages = views.docs_messages(entries, None)
    assert len(pages) > 1
    for page in pages:
        assert utf16_len(parse_html(page)) <= 4096
    text = "\n".join(parse_html(page) for page in pages)
    assert text.count("添加于 2025-03-01 09:30") == 100 and "\n100. 《" in text
    markup = views.scope_keyboard(1, [document] * 100)
    assert len([row for row in markup.inline_keyboard]) == views.MAX_BUTTONS


def test_document_and_user_text_is_escaped(seed_library):
    document = build_document("<b>.txt", "<script>标题</script>\n一、任务\n推进<道路>建设。\n")
    summary = views.upload_summary(document, "任务有哪些要求？")
    assert "&lt;script&gt;" in summary and "<script>" not in summary
    parse_html(summary)
    stats = UsageSummary(3, 3, 1, 2, ((0.0, "<b>问题</b> & 答案"),), (("<i>", "一、任务", 1),), True)
    parse_html(views.stats_message(stats))
    assert "&lt;b&gt;问题&lt;/b&gt; &amp; 答案" in views.stats_message(stats)


def test_stats_without_question_text_says_so():
    stats = UsageSummary(3, 1, 1, 2, (), (), False)
    text = parse_html(views.stats_message(stats))
    assert "提问总数：3（近 7 天 1）" in text and "LOG_QUESTIONS=false" in text


def test_rejections_name_the_file_and_the_reason():
    text = views.rejected(DocumentError("报告.docx", "Word 文档压缩比异常，疑似压缩炸弹，已拒绝"))
    assert text == "没有载入「报告.docx」：Word 文档压缩比异常，疑似压缩炸弹，已拒绝。\n文档未更改。"


def test_scope_and_confirm_callbacks_parse_strictly():
    assert views.parse_scope("sc|3|-1") == (3, -1) and views.parse_scope("sc|3|1") == (3, 1)
    assert views.parse_confirm("ay|1f") == (True, "1f") and views.parse_confirm("an|1f") == (False, "1f")
    for forged in ("sc|x|1", "sc|1|", "ay|", "ay|zz", "ay|1|2", "", "s|1|0|0"):
        assert views.parse_scope(forged) is None and views.parse_confirm(forged) is None
    assert views.parse_scope("") is None and views.parse_confirm(None) is None and views.parse_scope("sc|1|0")


def test_upload_summary_lists_the_top_level_outline():
    document = build_document(NEW, speech_2023())
    text = parse_html(views.upload_summary(document, "示例？"))
    assert text.startswith(f"✅ 已载入《{NEW_TITLE}》（{NEW}）\n")
    top = [s.heading for s in document.sections if s.level == 1]
    assert "\n".join(f"• {h}" for h in top) in text and text.endswith("可以这样问：示例？")


def test_the_server_path_never_appears_in_a_summary(tmp_path):
    document = build_document(Path("report.txt").name, SPEECH)
    assert str(tmp_path) not in views.upload_summary(document, "示例？")


# -- the console reads what admins upload ---------------------------------------------------------


def test_speechbot_ask_reads_every_uploadable_format(tmp_path, capsys):
    from cli.main import main

    word = docx.Document()
    word.add_heading("2025年政府工作报告", level=0)
    word.add_heading("一、就业", level=1)
    word.add_paragraph("城镇新增就业一千二百万人以上。")
    (tmp_path / "word.docx").write_bytes(docx_bytes(word))
    pages = ["2024年工作报告", "一、主要任务", "建设高标准农田一千万亩。"]
    (tmp_path / "pdf.pdf").write_bytes(pdf_with_text(pages))
    (tmp_path / "gbk.txt").write_bytes("2023年讲话\n一、生态\n植树造林三万亩。\n".encode("gbk"))
    questions = ["城镇新增就业多少人", "高标准农田建设多少亩", "植树造林多少亩"]
    assert main(["ask", "--data", str(tmp_path), "--json", *questions]) == 0
    answers = [json.loads(line)["answer"] for line in capsys.readouterr().out.splitlines()]
    assert [a["doc"] for a in answers] == ["word.docx", "pdf.pdf", "gbk.txt"]


async def test_reload_fills_the_token_cache(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "tokens"
    data.mkdir()
    shutil.copy(SEED_PATH, data / SEED_PATH.name)
    librarian = Librarian(LibraryHolder(), DocumentStore(data), cache)
    result = await librarian.reload()
    assert result.swapped and [d.name for d in result.documents] == [SEED_PATH.name]
    assert list(cache.iterdir()), "what the documents became is cached"
