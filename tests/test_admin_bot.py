"""Admin flows with the real bot over HTTP, through the stand-in Bot API server (file download included).

Each flow is checked on three sides: what the bot sends, what is in DATA_DIR afterwards, and
which documents answer questions. Failures must leave the folder and the index unchanged.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
import os
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pypdf
import pytest
from botapi_stub import TOKEN, BotApiStub, Call, buttons, parse_html, sent_message
from telegram.ext import Application
from test_bot_chat import button
from test_reader import pdf_with_text, sample_docx, zip_with_zeros

from bot import admin_views, documents
from bot.app import build_application, polling, production_rate_limiter
from bot.settings import load_settings
from bot.state import LibraryHolder
from retrieval.library import Library

ADMIN, USER = 7, 42
SEED = "xx_district_2022_economic_work_speech.txt"
SEED_PATH = Path(__file__).resolve().parent.parent / "data" / SEED
NEW = "xx_district_2023_economic_work_speech.txt"
NEW_TITLE = "xx区2023年经济工作会上讲话"
_file_ids = itertools.count(1)


def speech_2023() -> str:
    """The seed speech moved one year on: the same sections, every year one later."""
    return SEED_PATH.read_text().replace("2022", "2O23").replace("2021", "2022").replace("2O23", "2023")


@pytest.fixture
async def admin_bot(stub: BotApiStub, seed_library: Library, tmp_path: Path) -> AsyncIterator[Application]:
    """The bot with ADMIN_IDS=7, DATA_DIR holding the seed speech, uploads limited to 1 MB."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SEED_PATH, data / SEED)
    settings = load_settings(
        env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
        telegram_base_file_url=stub.base_file_url, admin_ids=str(ADMIN), data_dir=data,
        state_dir=tmp_path / "state", max_upload_mb=1,
    )
    application = build_application(settings, holder=LibraryHolder(seed_library),
                                     rate_limiter=production_rate_limiter())
    async with polling(application, poll_timeout=2):
        yield application
    assert not stub.rejected, [(c.method, c.error) for c in stub.rejected]
    sent = " ".join(str(c.params) for c in stub.calls)
    assert str(tmp_path) not in sent, "no server path ever reaches a chat"


def holder_of(application: Application) -> LibraryHolder:
    return application.bot_data.holder


def folder(application: Application) -> dict[str, bytes]:
    data = application.bot_data.librarian.store.data_dir
    return {name: (data / name).read_bytes() for name in sorted(os.listdir(data))}


def push_upload(stub: BotApiStub, name: str, data: bytes, user_id: int = ADMIN, size: int | None = None
                ) -> str:
    file_id = f"file{next(_file_ids)}"
    stub.add_file(file_id, data)
    upload = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
              "file_size": len(data) if size is None else size}
    stub.message(None, user_id=user_id, chat_id=None, document=upload)
    return file_id


async def upload(stub: BotApiStub, name: str, data: bytes, **kwargs) -> dict:
    """Send a file to the bot; the params of its reply."""
    since = len(stub.calls)
    push_upload(stub, name, data, **kwargs)
    return (await stub.wait_for("sendMessage", since=since))[0].params


async def command(stub: BotApiStub, text: str, user_id: int = ADMIN, count: int = 1) -> list[dict]:
    since = len(stub.calls)
    stub.message(text, user_id=user_id)
    return [c.params for c in await stub.wait_for("sendMessage", since=since, count=count)]


async def tap(stub: BotApiStub, params: dict, label: str, user_id: int = ADMIN) -> Call:
    """Tap a button of a sent message; the answerCallbackQuery call."""
    since = len(stub.calls)
    message = sent_message(stub, params) | {"chat": stub.chat("private", user_id=user_id)}
    stub.callback(button(params, label), message, user_id=user_id)
    return (await stub.wait_for("answerCallbackQuery", since=since))[0]


async def ask(stub: BotApiStub, question: str, user_id: int = USER) -> str:
    since = len(stub.calls)
    stub.message(question, user_id=user_id)
    return parse_html((await stub.wait_for("sendMessage", since=since))[0].params["text"])


def methods(stub: BotApiStub, since: int = 0) -> list[str]:
    return [c.method for c in stub.calls[since:]]


# -- uploads that work -------------------------------------------------------------------------


async def test_gbk_text_upload_is_stored_indexed_and_summarised(admin_bot, stub):
    generation = holder_of(admin_bot).generation
    data = speech_2023().encode("gbk")
    reply = await upload(stub, NEW, data)
    text = parse_html(reply["text"])
    assert f"已载入《{NEW_TITLE}》（{NEW}）" in text
    document = next(d for d in holder_of(admin_bot).documents if d.name == NEW)
    assert f"共 {len(document.sections)} 个章节、{len(document.chunks)} 个段落" in text
    assert "一级目录\n• 一、2022 年工作回顾" in text
    assert "可以这样问：" in text and text.rstrip().endswith("？")
    assert [m for m in methods(stub) if m in ("getFile", "downloadFile")] == ["getFile", "downloadFile"]
    assert folder(admin_bot)[NEW] == data, "stored as uploaded (the loader reads GBK by content)"
    assert sorted(folder(admin_bot)) == [SEED, NEW], "no temporary file left behind"
    assert holder_of(admin_bot).generation == generation + 1
    assert NEW_TITLE in await ask(stub, "2023年基础配套有哪些任务")


async def test_docx_upload_keeps_its_headings_as_sections(admin_bot, stub):
    data = sample_docx()
    text = parse_html((await upload(stub, "报告.docx", data))["text"])
    assert "已载入《2025年政府工作报告》（报告.docx）" in text
    assert "• 一、2024年工作回顾" in text
    assert folder(admin_bot)["报告.docx"] == data, "the original .docx is stored"
    assert any(d.name == "报告.docx" for d in holder_of(admin_bot).documents)


async def test_pdf_upload_reads_the_text_layer(admin_bot, stub):
    data = pdf_with_text(["2024年工作报告", "一、主要任务", "全面推进乡村振兴，建设高标准农田一千万亩。"])
    text = parse_html((await upload(stub, "工作报告.pdf", data))["text"])
    assert "已载入《2024年工作报告》（工作报告.pdf）" in text
    assert folder(admin_bot)["工作报告.pdf"] == data
    assert "高标准农田" in await ask(stub, "高标准农田建设多少亩")


async def test_a_same_named_upload_asks_before_replacing(admin_bot, stub):
    old = folder(admin_bot)[SEED]
    new = speech_2023().encode()
    prompt = await upload(stub, SEED, new)
    assert parse_html(prompt["text"]) == f"已有同名文档「{SEED}」。要用新文件替换它吗？"
    assert [b["text"] for b in buttons(prompt)] == ["替换", "取消"]
    assert folder(admin_bot)[SEED] == old, "nothing written before the answer"

    since = len(stub.calls)
    await tap(stub, prompt, "取消")
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    assert edit["text"] == admin_views.CANCELLED and folder(admin_bot)[SEED] == old

    generation = holder_of(admin_bot).generation
    prompt = await upload(stub, SEED, new)
    since = len(stub.calls)
    await tap(stub, prompt, "替换")
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    assert f"已替换并载入《{NEW_TITLE}》" in parse_html(edit["text"])
    assert folder(admin_bot) == {SEED: new}
    assert [d.title for d in holder_of(admin_bot).documents] == [NEW_TITLE], "the old version is gone"
    assert holder_of(admin_bot).generation == generation + 1

    answered = await tap(stub, prompt, "替换")  # the same button again
    assert answered.params["text"] == admin_views.EXPIRED


# -- uploads that are refused: a clear reply, nothing written, the index unchanged --------------


def scanned_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


NOISE = (
    "位置: 首页 >专题范文 > 讲话稿 > 文章内容\n2022-05-26 17:51:50 投稿作者:网友投稿 点击:\n"
    "下面是小编为大家整理的xx区2022年经济工作会上讲话,供大家参考。\n上一篇：xx讲话\n下一篇：yy讲话\n"
)
BAD_FILES = {
    "binary junk named .txt": ("junk.txt", bytes(range(256)) * 40, "二进制文件"),
    "empty file": ("empty.txt", b"", "文件为空"),
    "docx that is not a zip": ("报告.docx", "这只是文本".encode(), "不是有效的 Word（.docx）文件"),
    "zip bomb disguised as docx": ("报告.docx", zip_with_zeros("word/document.xml", 8 << 20), "压缩炸弹"),
    "pdf without a text layer": ("扫描件.pdf", scanned_pdf(), "没有文字层"),
    "every line is noise": ("noise.txt", NOISE.encode(), "没有正文"),
    "old word .doc": ("讲话.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "只支持"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
async def test_bad_uploads_are_refused_and_change_nothing(admin_bot, stub, case):
    name, data, reason = BAD_FILES[case]
    before, generation = folder(admin_bot), holder_of(admin_bot).generation
    text = parse_html((await upload(stub, name, data))["text"])
    assert text.startswith(f"没有载入「{name}」：") and reason in text and text.endswith("文档未更改。")
    assert folder(admin_bot) == before
    assert holder_of(admin_bot).generation == generation


BAD_NAMES = {
    "path traversal": ("../../x.txt", "不能包含路径"),
    "absolute path": ("/etc/cron.d/x.txt", "不能包含路径"),
    "control characters": ("报告\x07\x1b[2J.txt", "控制字符"),
    "right-to-left override": ("报告\u202etxt.exe", "控制字符"),
}


@pytest.mark.parametrize("case", list(BAD_NAMES))
async def test_bad_file_names_are_refused_before_downloading(admin_bot, stub, case, tmp_path):
    name, reason = BAD_NAMES[case]
    before = folder(admin_bot)
    text = parse_html((await upload(stub, name, speech_2023().encode()))["text"])
    assert reason in text and "文档未更改" in text
    assert "getFile" not in methods(stub) and "downloadFile" not in methods(stub)
    assert folder(admin_bot) == before
    assert not (tmp_path / "x.txt").exists() and not (tmp_path.parent / "x.txt").exists()


async def test_a_file_over_the_size_limit_is_refused_before_downloading(admin_bot, stub):
    before = folder(admin_bot)
    text = parse_html((await upload(stub, "大文件.txt", b"x", size=3 * 1024 * 1024))["text"])
    assert "文件太大（3.0 MB，上限 1 MB）" in text
    assert "getFile" not in methods(stub)
    assert folder(admin_bot) == before


async def test_a_file_larger_than_announced_is_refused_after_downloading(admin_bot, stub):
    before = folder(admin_bot)
    text = parse_html((await upload(stub, "大文件.txt", "很长".encode() * 300_000, size=100))["text"])
    assert "文件太大" in text and folder(admin_bot) == before


# -- /reload -----------------------------------------------------------------------------------


async def test_reload_loads_new_files_and_names_the_ones_it_skips(admin_bot, stub):
    data = admin_bot.bot_data.librarian.store.data_dir
    (data / NEW).write_text(speech_2023())
    (data / "坏文件.txt").write_bytes(bytes(range(256)) * 10)
    generation = holder_of(admin_bot).generation
    text = parse_html((await command(stub, "/reload"))[0]["text"])
    assert text.startswith("✅ 已重新载入 2 份文档。")
    assert "跳过 1 个文件：\n• 坏文件.txt：这是二进制文件，不是文本" in text
    assert [d.name for d in holder_of(admin_bot).documents] == [SEED, NEW]
    assert holder_of(admin_bot).generation == generation + 1


async def test_reload_keeps_the_old_index_when_nothing_loads(admin_bot, stub):
    data = admin_bot.bot_data.librarian.store.data_dir
    (data / SEED).write_bytes(b"")
    (data / "noise.txt").write_text(NOISE)
    library = holder_of(admin_bot).library
    text = parse_html((await command(stub, "/reload"))[0]["text"])
    assert text.startswith("⚠️ 没有任何文档能载入，仍使用原来的 1 份文档。")
    assert f"• {SEED}：文件为空" in text and "• noise.txt：清理网页杂质后没有正文" in text
    assert holder_of(admin_bot).library is library
    assert "基础配套" in await ask(stub, "2022年基础配套有哪些任务")


async def test_questions_during_a_reload_are_answered_from_the_old_index(admin_bot, stub, monkeypatch):
    release, started = threading.Event(), threading.Event()
    read_documents = documents.read_documents

    def slow_read_documents(data_dir: Path, cache_dir: Path | None = None, limits=None):
        started.set()
        release.wait(10)
        return read_documents(data_dir, cache_dir, limits)

    monkeypatch.setattr(documents, "read_documents", slow_read_documents)
    (admin_bot.bot_data.librarian.store.data_dir / NEW).write_text(speech_2023())
    library = holder_of(admin_bot).library
    since = len(stub.calls)
    stub.message("/reload", user_id=ADMIN)
    assert await asyncio.to_thread(started.wait, 10)
    assert "xx区2022年经济工作会上讲话" in await ask(stub, "基础配套有哪些任务"), "answered meanwhile"
    assert holder_of(admin_bot).library is library
    release.set()
    replies = await stub.wait_for("sendMessage", since=since, count=2)
    assert parse_html(replies[-1].params["text"]).startswith("✅ 已重新载入 2 份文档。")
    assert len(holder_of(admin_bot).documents) == 2


async def test_an_upload_and_a_reload_at_the_same_time_both_happen(admin_bot, stub):
    librarian = admin_bot.bot_data.librarian
    await librarian.lock.acquire()  # a change already running: both must wait for it
    try:
        since = len(stub.calls)
        stub.message("/reload", user_id=ADMIN)
        push_upload(stub, NEW, speech_2023().encode())
        busy = await stub.wait_for("sendMessage", since=since)
        assert busy[0].params["text"] == admin_views.BUSY
        await stub.wait_for("downloadFile", since=since)
    finally:
        librarian.lock.release()
    replies = [parse_html(c.params["text"]) for c in await stub.wait_for("sendMessage", since=since, count=3)]
    assert any(r.startswith("✅ 已重新载入") for r in replies)
    assert any(r.startswith(f"✅ 已载入《{NEW_TITLE}》") for r in replies)
    assert sorted(folder(admin_bot)) == [SEED, NEW]
    assert sorted(d.name for d in holder_of(admin_bot).documents) == [SEED, NEW], "nothing lost"


# -- /docs, scoping, /remove, /stats -----------------------------------------------------------


async def test_docs_lists_documents_and_scopes_questions_to_one(admin_bot, stub):
    await upload(stub, NEW, speech_2023().encode())
    reply = (await command(stub, "/docs"))[0]
    text = parse_html(reply["text"])
    assert text.startswith("已载入 2 份文档\n1. 《xx区2022年经济工作会上讲话》\n")
    for document in holder_of(admin_bot).documents:
        counts = f"{len(document.sections)} 个章节 · {len(document.chunks)} 个段落"
        assert f"{document.name} · {counts} · 添加于 20" in text
    assert [b["text"] for b in buttons(reply)] == [
        "只问 1. xx区2022年经济工作会上讲话", f"只问 2. {NEW_TITLE}", "全部文档",
    ]
    # "2022年" picks the 2022 speech; scoped to the 2023 one, the answer comes from it.
    since = len(stub.calls)
    await tap(stub, reply, "只问 2.")
    confirmation = (await stub.wait_for("sendMessage", since=since))[0].params["text"]
    assert confirmation.startswith(f"好的，之后的问题只在《{NEW_TITLE}》中查找。")
    assert (await ask(stub, "2022年基础配套有哪些任务", user_id=ADMIN)).startswith(f"📄 {NEW_TITLE} ›")
    assert (await ask(stub, "2022年基础配套有哪些任务")).startswith("📄 xx区2022年"), "others are not scoped"
    since = len(stub.calls)
    await tap(stub, reply, "全部文档")
    await stub.wait_for("sendMessage", since=since)
    assert (await ask(stub, "2022年基础配套有哪些任务", user_id=ADMIN)).startswith("📄 xx区2022年")


async def test_any_user_can_scope_with_doc(admin_bot, stub):
    await upload(stub, NEW, speech_2023().encode())
    reply = (await command(stub, "/doc", user_id=USER))[0]
    assert f"2. {NEW_TITLE}" in parse_html(reply["text"])
    picked = (await command(stub, "/doc 2", user_id=USER))[0]["text"]
    assert picked.startswith(f"好的，之后的问题只在《{NEW_TITLE}》")
    assert (await ask(stub, "2022年基础配套有哪些任务")).startswith(f"📄 {NEW_TITLE}")
    assert (await command(stub, "/doc 全部", user_id=USER))[0]["text"] == "好的，之后的问题在全部文档中查找。"
    missing = (await command(stub, "/doc 99", user_id=USER))[0]["text"]
    assert parse_html(missing).startswith("没有找到文档「99」")


async def test_remove_asks_then_removes_the_file_and_the_document(admin_bot, stub):
    await upload(stub, NEW, speech_2023().encode())
    prompt = (await command(stub, "/remove 2"))[0]
    assert parse_html(prompt["text"]) == f"确定要删除《{NEW_TITLE}》（{NEW}）吗？删除后将不再用它回答问题。"
    assert NEW in folder(admin_bot), "nothing removed before the confirmation"
    since = len(stub.calls)
    await tap(stub, prompt, "删除")
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    assert parse_html(edit["text"]) == f"🗑 已删除「{NEW}」，现有 1 份文档。"
    assert sorted(folder(admin_bot)) == [SEED]
    assert [d.name for d in holder_of(admin_bot).documents] == [SEED]


async def test_remove_of_a_missing_document_or_the_last_one_changes_nothing(admin_bot, stub):
    before, library = folder(admin_bot), holder_of(admin_bot).library
    reply = (await command(stub, "/remove 不存在的文档.txt"))[0]
    assert parse_html(reply["text"]) == "没有找到文档「不存在的文档.txt」。用 /docs 查看已载入的文档和编号。"
    assert (await command(stub, "/remove"))[0]["text"] == admin_views.REMOVE_USAGE
    prompt = (await command(stub, f"/remove {SEED}"))[0]
    since = len(stub.calls)
    await tap(stub, prompt, "删除")
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    assert "是唯一的文档，不能删除" in edit["text"]
    assert folder(admin_bot) == before and holder_of(admin_bot).library is library


async def test_stats_counts_questions_and_lists_the_unanswered(admin_bot, stub):
    await ask(stub, "2022年基础配套有哪些任务")
    await ask(stub, "2022年基础配套有哪些任务")
    await ask(stub, "火星基地的建设")
    text = parse_html((await command(stub, "/stats"))[0]["text"])
    assert "提问总数：3（近 7 天 3）" in text
    assert "已回答：2（66%） · 未回答：1" in text
    assert "火星基地的建设" in text.split("最近未回答的问题")[1]
    assert "1. xx区2022年经济工作会上讲话 › 二、2022 年的重点工作" in text
    assert "— 2 次" in text


# -- access ------------------------------------------------------------------------------------


async def test_non_admins_are_refused_logged_and_change_nothing(admin_bot, stub, caplog):
    caplog.set_level(logging.WARNING, logger="bot.admin")
    before, library = folder(admin_bot), holder_of(admin_bot).library
    for text in ("/reload", "/docs", "/remove 1", "/stats"):
        assert (await command(stub, text, user_id=USER))[0]["text"] == admin_views.ADMIN_ONLY
    assert (await upload(stub, NEW, speech_2023().encode(), user_id=USER))["text"] == admin_views.ADMIN_ONLY
    assert "getFile" not in methods(stub)
    # An admin's confirmation button tapped by someone else does nothing either.
    prompt = (await command(stub, "/remove 1"))[0]
    answered = await tap(stub, prompt, "删除", user_id=USER)
    assert answered.params["text"] == admin_views.ADMIN_ONLY
    assert folder(admin_bot) == before and holder_of(admin_bot).library is library
    refusals = [r.getMessage() for r in caplog.records if "拒绝非管理员" in r.getMessage()]
    assert len(refusals) == 6 and all(f"拒绝非管理员 {USER}" in r for r in refusals)


async def test_admins_get_the_admin_commands_in_their_menu(admin_bot, stub):
    menus = [c.params for c in stub.of("setMyCommands") if c.params["scope"]["type"] == "chat"]
    assert [m["scope"]["chat_id"] for m in menus] == [ADMIN]
    commands = [c["command"] for c in menus[0]["commands"]]
    assert commands[0] == "help", "the admin keeps everyone's commands"
    assert commands[-5:] == ["docs", "reload", "remove", "stats", "doc"]
