"""Restarts keep state: a user's /doc scope and the buttons of recent answers still work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from botapi_stub import TOKEN, BotApiStub, ask, buttons, parse_html, sent_message
from test_admin_bot import NEW, NEW_TITLE, speech_2023

from bot.app import RECENT_FILE, build_application, polling
from bot.render import STALE
from bot.settings import load_settings

SEED = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"


@pytest.fixture
def folders(tmp_path):
    data, state = tmp_path / "data", tmp_path / "state"
    data.mkdir()
    shutil.copy(SEED, data / SEED.name)
    (data / NEW).write_text(speech_2023(), encoding="utf-8")
    return data, state


def application(stub: BotApiStub, data: Path, state: Path):
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, data_dir=data, state_dir=state)
    return build_application(settings)


async def test_scope_and_buttons_survive_a_restart(stub, folders):
    data, state = folders
    async with polling(application(stub, data, state), poll_timeout=1):
        assert NEW_TITLE in parse_html((await ask(stub, f"/doc {NEW_TITLE}"))["text"])
        first = await ask(stub, "基础配套有哪些任务")
        assert parse_html(first["text"]).startswith(f"📄 {NEW_TITLE}")
    assert (state / RECENT_FILE).exists()

    async with polling(application(stub, data, state), poll_timeout=1):  # a new process, in effect
        again = await ask(stub, "基础配套有哪些任务")
        assert parse_html(again["text"]).startswith(f"📄 {NEW_TITLE}"), "the scope is remembered"
        full = next(b for b in buttons(first) if b["text"] == "全文")
        since = len(stub.calls)
        stub.callback(full["callback_data"], sent_message(stub, first))
        shown = (await stub.wait_for("sendMessage", since=since))[0].params
        assert parse_html(shown["text"]).startswith(f"📄 {NEW_TITLE}"), "an old 全文 button still works"


async def test_buttons_from_before_a_change_of_documents_are_stale_after_a_restart(stub, folders):
    data, state = folders
    async with polling(application(stub, data, state), poll_timeout=1):
        first = await ask(stub, "2022年基础配套有哪些任务")
    (data / NEW).unlink()  # the documents changed while the bot was down
    async with polling(application(stub, data, state), poll_timeout=1):
        full = next(b for b in buttons(first) if b["text"] == "全文")
        since = len(stub.calls)
        stub.callback(full["callback_data"], sent_message(stub, first))
        answered = (await stub.wait_for("answerCallbackQuery", since=since))[0].params
        assert answered.get("text") == STALE
