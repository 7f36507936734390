"""Running the bot: command menu, rate limits, server errors, the error handler, log redaction,
file download, settings errors and the `speechbot run` process (polling and webhook)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from botapi_stub import TOKEN, BotApiStub

from bot.logging_setup import RedactTokenFilter, install_redaction, redact
from bot.render import SORRY
from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "2022年基础配套有哪些任务"
SECRET = TOKEN.split(":", 1)[1]


async def test_command_menu_is_registered_for_private_chats_and_groups(bot, stub):
    menus = {
        c.params["scope"]["type"]: [cmd["command"] for cmd in c.params["commands"]]
        for c in stub.of("setMyCommands")
    }
    assert menus == {
        "all_private_chats": ["help", "sections", "commitments"],
        "all_group_chats": ["ask", "help", "sections", "commitments"],
    }


async def test_a_429_is_waited_out_and_the_answer_still_delivered(bot, stub):
    stub.fail_next("sendMessage", status=429, retry_after=1)
    stub.message(QUESTION)
    sent = await stub.wait_for("sendMessage")
    attempts = [c for c in stub.calls if c.method == "sendMessage"]
    assert [c.error for c in attempts] == ["injected 429", None]
    assert attempts[1].at - attempts[0].at >= 1.0, "the retry waited retry_after"
    assert "<blockquote" in sent[0].params["text"]


async def test_a_500_on_one_reply_apologises_and_the_next_answer_is_normal(bot, stub, caplog):
    stub.fail_next("sendMessage", status=500)
    stub.message(QUESTION)
    apology = (await stub.wait_for("sendMessage"))[0].params
    assert apology["text"] == SORRY, "the user hears that something went wrong, without internals"
    since = len(stub.calls)
    stub.message(QUESTION)
    answer = (await stub.wait_for("sendMessage", since=since))[0].params
    assert "<blockquote" in answer["text"]
    assert "Internal Server Error" in caplog.text, "the exception is logged"


async def test_a_failing_handler_does_not_stop_the_bot(bot, stub, caplog):
    holder = bot.bot_data.holder

    class Broken:
        documents = holder.library.documents
        commitments_ready = True

        def ask(self, question: str, scope: str | None = None, top_k: int = 3):
            raise RuntimeError(f"boom at {stub.base_url}{TOKEN}/sendMessage")

    good = holder.library
    holder.library = Broken()
    install_redaction()  # as setup_logging does for the real handlers; here pytest's capture handler
    stub.message(QUESTION)
    assert (await stub.wait_for("sendMessage"))[0].params["text"] == SORRY
    holder.library = good
    since = len(stub.calls)
    stub.message(QUESTION)
    assert "<blockquote" in (await stub.wait_for("sendMessage", since=since))[0].params["text"]
    assert "boom at" in caplog.text and "bot<redacted>" in caplog.text
    assert TOKEN not in caplog.text and SECRET not in caplog.text


async def test_updates_are_handled_concurrently(bot, stub):
    """Twenty users at once all get answers (one slow reply does not hold up the others)."""
    for user in range(1, 21):
        stub.message(QUESTION, user_id=user)
    sent = await stub.wait_for("sendMessage", count=20)
    assert {c.params["chat_id"] for c in sent} == set(range(1, 21))


async def test_files_can_be_fetched_through_the_file_url(bot, stub):
    stub.add_file("doc1", "讲话稿正文".encode())
    telegram_file = await bot.bot.get_file("doc1")
    content = await telegram_file.download_as_bytearray()
    assert bytes(content).decode() == "讲话稿正文"
    assert [c.method for c in stub.calls if c.method in ("getFile", "downloadFile")] == [
        "getFile",
        "downloadFile",
    ]


def test_redaction_filter_scrubs_message_args_and_traceback():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "GET %s failed", (f"https://h/bot{TOKEN}/getMe",), None
    )
    try:
        raise httpx.ConnectError(f"connect to https://api.telegram.org/bot{TOKEN}/getUpdates")
    except httpx.ConnectError:
        record.exc_info = sys.exc_info()
    RedactTokenFilter().filter(record)
    text = logging.Formatter().format(record)
    assert SECRET not in text and text.count("bot<redacted>") == 2
    assert redact("no token here bot") == "no token here bot"


def test_settings_errors_are_one_line_naming_the_setting(monkeypatch):
    monkeypatch.setenv("TOP_K", "abc")
    with pytest.raises(SettingsError, match=r"^设置错误：TOP_K 应为 .* \(got 'abc'\)$"):
        load_settings(env_file=None)
    monkeypatch.setenv("TOP_K", "3")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token-but-secret")
    with pytest.raises(SettingsError) as err:
        load_settings(env_file=None)
    assert "TELEGRAM_BOT_TOKEN" in str(err.value) and "not-a-token" not in str(err.value)


def test_settings_come_from_a_dotenv_file(tmp_path, monkeypatch):
    for name in ("TELEGRAM_BOT_TOKEN", "ADMIN_IDS", "TOP_K", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    env = tmp_path / ".env"
    env.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nADMIN_IDS=1, 22,333\nTOP_K=5\nWEBHOOK_URL=\n")
    settings = load_settings(env_file=env)
    assert settings.token == TOKEN and settings.admin_ids == {1, 22, 333} and settings.top_k == 5
    assert settings.webhook_url is None and settings.telegram_base_url == "https://api.telegram.org/bot"
    assert SECRET not in repr(settings)


# -- the `speechbot run` process ----------------------------------------------------------


def _env(stub: BotApiStub, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "TOP_K", "LOG_"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=stub.base_url,
        TELEGRAM_BASE_FILE_URL=stub.base_file_url,
        DATA_DIR=str(ROOT / "data"),
        LOG_LEVEL="DEBUG",
        **extra,
    )
    return env


async def _speechbot(stub: BotApiStub, tmp_path: Path, **extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cli.main",
        "run",
        cwd=tmp_path,
        env={**_env(stub, **extra), "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> str:
    if process.returncode is None:
        process.send_signal(2)  # SIGINT, as Ctrl-C: run_polling/run_webhook shut down cleanly
    stdout, stderr = await asyncio.wait_for(process.communicate(), 20)
    return (stdout + stderr).decode()


async def test_speechbot_run_polls_answers_and_never_prints_the_token(stub, tmp_path):
    stub.fail_next("sendMessage", status=500)  # an error whose handling gets logged
    process = await _speechbot(stub, tmp_path)
    try:
        await stub.wait_for("setMyCommands", count=2, timeout=30)
        stub.message(QUESTION)
        assert (await stub.wait_for("sendMessage"))[0].params["text"] == SORRY
        since = len(stub.calls)
        stub.message(QUESTION)
        assert "<blockquote" in (await stub.wait_for("sendMessage", since=since))[0].params["text"]
    finally:
        output = await _stop(process)
    assert "Internal Server Error" in output, "the failure was logged"
    assert SECRET not in output


async def test_speechbot_run_uses_a_webhook_when_webhook_url_is_set(stub, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = await _speechbot(
        stub,
        tmp_path,
        WEBHOOK_URL="https://bot.example.org/tg-hook",
        WEBHOOK_SECRET="s3cret",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    try:
        hook = (await stub.wait_for("setWebhook", timeout=30))[0].params
        assert hook["url"] == "https://bot.example.org/tg-hook" and hook["secret_token"] == "s3cret"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": QUESTION,
                "chat": {"id": 7, "type": "private"},
                "from": stub.user(7),
            },
        }
        async with httpx.AsyncClient() as client:
            for _ in range(100):  # the webhook server starts listening right after setWebhook
                try:
                    response = await client.post(
                        f"http://127.0.0.1:{port}/tg-hook",
                        content=json.dumps(update),
                        headers={
                            "X-Telegram-Bot-Api-Secret-Token": "s3cret",
                            "Content-Type": "application/json",
                        },
                    )
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
        assert response.status_code == 200
        sent = (await stub.wait_for("sendMessage"))[0].params
        assert sent["chat_id"] == 7 and "<blockquote" in sent["text"]
        assert not stub.of("getUpdates")
    finally:
        output = await _stop(process)
    assert SECRET not in output


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TOP_K": "abc"}, "设置错误：TOP_K 应为 1 到 10 之间的正整数 (got 'abc')"),
        ({"TELEGRAM_BOT_TOKEN": ""}, "设置错误：TELEGRAM_BOT_TOKEN 未设置"),
        ({"WEBHOOK_URL": "http://insecure"}, "设置错误：WEBHOOK_URL 应为"),
    ],
)
def test_speechbot_run_with_bad_settings_prints_one_line_and_exits_2(tmp_path, env, expected):
    stub = BotApiStub()
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**_env(stub), "PYTHONPATH": str(ROOT), **env},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1 and result.stderr.startswith(expected)
    assert "Traceback" not in result.stderr and SECRET not in result.stderr
