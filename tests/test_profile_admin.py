# ruff: noqa: F811  (admin_bot is a fixture shared with test_admin_bot.py, used as a parameter)
"""Correcting a document's profile from Telegram: /profile, /rename, /setyear.

Checked on three sides, like the other admin flows: what the bot replies, what is kept in
DATA_DIR/.profiles.json, and what users see afterwards (/docs, /help, the answer's header) —
also after /reload and after a restart on the same folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from botapi_stub import BotApiStub, parse_html
from telegram.ext import Application
from test_admin_bot import (  # noqa: F401
    ADMIN,
    NEW,
    SEED,
    SEED_PATH,
    USER,
    admin_bot,
    ask,
    command,
    holder_of,
    speech_2023,
    tap,
    upload,
)

from bot import admin_views
from bot.admin import parse_profile_args
from bot.app import build_application, post_init
from retrieval.library import PROFILES_FILE, load_library
from retrieval.store import DocumentStore

QUESTION = "2022年基础配套有哪些任务"
OLD_TITLE = "xx区2022年经济工作会上讲话"


def corrections(application: Application) -> dict:
    path = application.bot_data.librarian.store.data_dir / PROFILES_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


async def text_of(stub: BotApiStub, line: str, user_id: int = ADMIN) -> str:
    return parse_html((await command(stub, line, user_id=user_id))[0]["text"])


# -- pure parts ----------------------------------------------------------------------------------


def test_profile_arguments_name_the_document_then_the_fields() -> None:
    assert parse_profile_args(["3"]) == ("3", {})
    assert parse_profile_args(["3", "title=2024年", "政府工作报告", "year=2024", "place="]) == (
        "3", {"title": "2024年 政府工作报告", "year": "2024", "place": ""})
    assert parse_profile_args(["报告.txt", "年份＝2023", "讲话人=李强", "foo=1"]) == (
        "报告.txt", {"year": "2023", "speaker": "李强", "foo": "1"})


def test_corrections_are_written_atomically_and_dropped_with_the_file(tmp_path: Path) -> None:
    shutil.copy(SEED_PATH, tmp_path / SEED)
    store = DocumentStore(tmp_path)
    store.set_corrections(SEED, {"title": "新标题", "year": 2023})
    assert sorted(p.name for p in tmp_path.iterdir()) == [PROFILES_FILE, SEED], "no temporary file left"
    assert store.corrections() == {SEED: {"title": "新标题", "year": 2023}}
    library, errors = load_library(tmp_path)
    assert not errors and (library.documents[0].title, library.documents[0].year) == ("新标题", 2023)
    assert store.remove(SEED)
    assert store.corrections() == {}


def test_an_unreadable_corrections_file_is_ignored_but_never_overwritten(tmp_path: Path) -> None:
    shutil.copy(SEED_PATH, tmp_path / SEED)
    (tmp_path / PROFILES_FILE).write_text("{not json", encoding="utf-8")
    library, errors = load_library(tmp_path)
    assert not errors and library.documents[0].title == OLD_TITLE
    store = DocumentStore(tmp_path)
    with pytest.raises(OSError, match="无法解析"):
        store.set_corrections(SEED, {"year": 2023})
    assert store.remove(SEED), "removing a file does not depend on it"
    assert (tmp_path / PROFILES_FILE).read_text(encoding="utf-8") == "{not json"


# -- from Telegram ---------------------------------------------------------------------------------


async def test_profile_shows_the_profile_and_corrects_several_fields_at_once(admin_bot, stub):
    shown = await text_of(stub, "/profile 1")
    assert shown.startswith(f"文档档案：《{OLD_TITLE}》（{SEED}）")
    assert "年份（year）：2022" in shown and "讲话人（speaker）：（无）" in shown
    assert "✏️" not in shown.split("\n\n")[0], "nothing corrected yet"
    generation = holder_of(admin_bot).generation

    reply = await text_of(stub, "/profile 1 title=2022年xx区经济工作会议讲话 year=2022 place=xx区 kind=讲话"
                                " speaker=区长 date=2022-01-10")
    title = "2022年xx区经济工作会议讲话（区长，2022年1月10日）"  # a speech names its speaker and date
    assert reply.startswith(f"✅ 已更新档案：《{title}》（{SEED}）")
    assert "讲话人（speaker）：区长 ✏️" in reply and "日期（date）：2022-01-10 ✏️" in reply
    assert corrections(admin_bot) == {SEED: {"title": "2022年xx区经济工作会议讲话", "year": 2022,
                                             "place": "xx区", "kind": "讲话", "speaker": "区长",
                                             "date": "2022-01-10"}}
    assert holder_of(admin_bot).generation == generation + 1, "the library was rebuilt"
    assert (await text_of(stub, "/docs")).startswith(f"已载入 1 份文档\n1. 《{title}》")
    assert f"• {title}" in await text_of(stub, "/help", user_id=USER)
    assert (await ask(stub, QUESTION)).startswith(f"📄 {title} ›")


async def test_rename_and_setyear_survive_reload_and_restart(admin_bot, stub, tmp_path):
    assert (await text_of(stub, f"/rename {SEED} 区经济工作会议讲话")).startswith(
        "✅ 已更新档案：《区经济工作会议讲话》")
    reply = await text_of(stub, "/setyear 1 2023年")
    assert "年份（year）：2023 ✏️" in reply and "标题（title）：区经济工作会议讲话 ✏️" in reply
    assert corrections(admin_bot) == {SEED: {"title": "区经济工作会议讲话", "year": 2023}}
    assert holder_of(admin_bot).documents[0].year == 2023

    assert (await text_of(stub, "/reload")).startswith("✅ 已重新载入 1 份文档。")
    document = holder_of(admin_bot).documents[0]
    assert (document.title, document.year) == ("区经济工作会议讲话", 2023), "read again with the corrections"

    # A restart: a new bot loading the same DATA_DIR itself.
    settings = admin_bot.bot_data.settings
    restarted = build_application(settings)
    await restarted.initialize()
    try:
        await post_init(restarted)
        assert [d.title for d in restarted.bot_data.holder.documents] == ["区经济工作会议讲话"]
        assert restarted.bot_data.holder.library.commitments_ready, "found at start, not by a question"
    finally:
        await restarted.shutdown()


@pytest.mark.parametrize("line, reason", [
    ("/profile 1 year=明年", "年份必须是整数"),
    ("/setyear 1 1800", "年份必须在"),
    ("/profile 1 kind=小说", "类型必须是以下之一"),
    ("/profile 1 colour=红", "未知字段：colour"),
    ("/profile 1 title=", "标题不能为空"),
    ("/profile 1 date=2022-13-45", "日期"),
])
async def test_bad_values_get_one_polite_reply_and_change_nothing(admin_bot, stub, line, reason):
    library = holder_of(admin_bot).library
    reply = await text_of(stub, line)
    assert reply.startswith("没有更改：") and reason in reply and reply.endswith("档案未更改。")
    assert holder_of(admin_bot).library is library
    assert corrections(admin_bot) == {}


async def test_missing_arguments_and_unknown_documents_get_usage(admin_bot, stub):
    assert (await command(stub, "/profile"))[0]["text"] == admin_views.PROFILE_USAGE
    assert (await command(stub, "/rename 1"))[0]["text"] == admin_views.RENAME_USAGE
    assert (await command(stub, "/setyear"))[0]["text"] == admin_views.SETYEAR_USAGE
    assert (await text_of(stub, "/rename 9 新标题")).startswith("没有找到文档「9」")
    assert corrections(admin_bot) == {}


async def test_non_admins_cannot_see_or_correct_profiles(admin_bot, stub):
    library = holder_of(admin_bot).library
    for line in ("/profile 1", "/profile 1 year=2020", "/rename 1 新标题", "/setyear 1 2020"):
        assert (await command(stub, line, user_id=USER))[0]["text"] == admin_views.ADMIN_ONLY
    assert holder_of(admin_bot).library is library and corrections(admin_bot) == {}


async def test_removing_or_replacing_a_document_drops_its_corrections(admin_bot, stub):
    await upload(stub, NEW, speech_2023().encode())
    await text_of(stub, "/rename 2 第二份")
    await text_of(stub, "/setyear 1 2021")
    assert set(corrections(admin_bot)) == {SEED, NEW}
    prompt = (await command(stub, "/remove 2"))[0]
    since = len(stub.calls)
    await tap(stub, prompt, "删除")
    await stub.wait_for("editMessageText", since=since)
    assert set(corrections(admin_bot)) == {SEED}

    prompt = await upload(stub, SEED, SEED_PATH.read_bytes())
    since = len(stub.calls)
    await tap(stub, prompt, "替换")
    await stub.wait_for("editMessageText", since=since)
    assert corrections(admin_bot) == {}, "a replaced file's profile is read from the new text"
    assert holder_of(admin_bot).documents[0].year == 2022


async def test_admins_get_the_profile_commands_in_their_menu(admin_bot, stub):
    menu = next(c.params for c in stub.of("setMyCommands") if c.params["scope"]["type"] == "chat")
    assert {"profile", "rename", "setyear"} <= {c["command"] for c in menu["commands"]}
