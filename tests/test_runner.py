"""Running in an office (bot/runner.py, bot/app.py serve): start-up retries while the Bot API is
down, SIGTERM with a queue of slow updates finishing within SHUTDOWN_TIMEOUT and leaving the
rest unconfirmed, the webhook's health path, and an empty DATA_DIR at start."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest
from botapi_stub import TOKEN, BotApiStub, ask

from bot import runner
from bot.app import UNFINISHED_FILE, build_application, polling, serve
from bot.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "2022年基础配套有哪些任务"
SECRET = TOKEN.split(":", 1)[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_for(port: int, tmp_path: Path, **extra: object) -> Settings:
    base = f"http://127.0.0.1:{port}"
    return load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=f"{base}/bot",
                         telegram_base_file_url=f"{base}/file/bot", state_dir=tmp_path / "state",
                         data_dir=ROOT / "data", **extra)


async def test_start_up_retries_with_backoff_while_the_bot_api_is_down_then_answers(
        tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(runner, "BACKOFF_FIRST", 0.2)
    port = free_port()
    stop = asyncio.Event()
    with caplog.at_level(logging.INFO):
        bot = asyncio.create_task(serve(settings_for(port, tmp_path), stop))
        for _ in range(100):  # 0.2 + 0.4 + 0.8 s: three failures
            await asyncio.sleep(0.05)
            failures = [r for r in caplog.records if "无法连接 Telegram Bot API" in r.getMessage()]
            if len(failures) >= 3:
                break
        assert len(failures) >= 3 and not bot.done()
        delays = [float(r.getMessage().split("；")[1].split(" 秒")[0]) for r in failures[:3]]
        assert delays == [0.2, 0.4, 0.8], "exponential backoff"
        assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failures), "one line each"
        assert all(SECRET not in r.getMessage() for r in failures)

        stub = await BotApiStub().start(port)  # the Bot API comes back
        try:
            answer = await asyncio.wait_for(ask(stub, QUESTION), 30)
            assert "<blockquote" in answer["text"]
        finally:
            stop.set()
            await asyncio.wait_for(bot, 15)
            await stub.stop()


async def test_a_rejected_token_is_not_retried(stub, tmp_path):
    from telegram.error import InvalidToken

    stub.token = "999:" + "B" * 35  # the stand-in now knows another token: ours is refused (401)
    started = time.monotonic()
    with pytest.raises(InvalidToken):  # a retry would first sleep BACKOFF_FIRST (1 s), then forever
        await asyncio.wait_for(serve(settings_for(stub.port, tmp_path), asyncio.Event()), 10)
    assert time.monotonic() - started < 1.0


def test_backoff_doubles_up_to_the_cap():
    backoff = runner.Backoff(1, 60)
    assert [backoff.next() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    backoff.reset()
    assert backoff.next() == 1


async def test_stop_finishes_in_flight_updates_and_leaves_the_queue_unconfirmed(stub, tmp_path):
    """In-loop: 80 queued, each reply slow (0.5 s); stop after the first answers."""
    stub.delays["sendMessage"] = 0.5
    ids = [stub.message(QUESTION, user_id=1000 + i)["update_id"] for i in range(80)]
    stop = asyncio.Event()
    bot = asyncio.create_task(serve(settings_for(stub.port, tmp_path, shutdown_timeout=3), stop))
    await stub.wait_for("sendMessage", count=1, timeout=30)
    stop.set()
    started = time.monotonic()
    await asyncio.wait_for(bot, 10)
    assert time.monotonic() - started <= 3 + 1.0
    answered = {c.params["chat_id"] - 1000 + ids[0] for c in stub.of("sendMessage")}
    assert answered, "what was in flight was finished"
    assert stub.pending, "the rest stays at the Bot API for the next start"
    assert set(stub.pending) | answered == set(ids), "nothing lost"
    assert not set(stub.pending) & answered, "nothing answered twice after a restart"
    assert len(answered) <= 32 + 8, "fetched only what could start"


async def test_updates_cut_off_by_the_timeout_are_handled_at_the_next_start(stub, tmp_path, caplog):
    stub.delays["sendMessage"] = 30  # never finishes within the timeout
    for i in range(5):
        stub.message(QUESTION, user_id=2000 + i)
    stop = asyncio.Event()
    settings = settings_for(stub.port, tmp_path, shutdown_timeout=1)
    bot = asyncio.create_task(serve(settings, stop))
    await stub.wait_for("sendMessage", count=5, timeout=30)
    stop.set()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        await asyncio.wait_for(bot, 10)
    assert time.monotonic() - started <= 1 + 1.0
    assert "5 条消息未处理完" in caplog.text
    saved = json.loads((tmp_path / "state" / UNFINISHED_FILE).read_text())
    assert sorted(u["message"]["chat"]["id"] for u in saved) == list(range(2000, 2005))

    stub.delays.clear()  # the next start answers them, and forgets the file
    since = len(stub.calls)
    stop = asyncio.Event()
    bot = asyncio.create_task(serve(settings, stop))
    answers = await stub.wait_for("sendMessage", count=5, since=since, timeout=30)
    assert {c.params["chat_id"] for c in answers} == set(range(2000, 2005))
    stop.set()
    await asyncio.wait_for(bot, 10)
    assert not (tmp_path / "state" / UNFINISHED_FILE).exists()


async def test_sigterm_with_a_queue_of_slow_updates_exits_within_shutdown_timeout(stub, tmp_path):
    """The real process: `speechbot run`, SIGTERM while 60 slow updates are queued."""
    stub.delays["sendMessage"] = 1.0
    ids = [stub.message(QUESTION, user_id=3000 + i)["update_id"] for i in range(60)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "LOG_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=stub.base_url,
               TELEGRAM_BASE_FILE_URL=stub.base_file_url, DATA_DIR=str(ROOT / "data"),
               SHUTDOWN_TIMEOUT="2", LOG_FORMAT="json", PYTHONPATH=str(ROOT))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await stub.wait_for("sendMessage", count=1, timeout=60)
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, stderr = await asyncio.wait_for(process.communicate(), 15)
        took = time.monotonic() - started
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    assert took <= 2 + 1.5, f"drained in {took:.1f} s"
    lines = stderr.decode().splitlines()
    assert all(json.loads(line)["level"] for line in lines), "LOG_FORMAT=json: one object per line"
    assert SECRET not in stderr.decode()
    answered = {c.params["chat_id"] - 3000 + ids[0] for c in stub.of("sendMessage")}
    unfinished = tmp_path / "state" / UNFINISHED_FILE  # cut off (the rate limiter holds some back)
    saved = {u["update_id"] for u in json.loads(unfinished.read_text())} if unfinished.exists() else set()
    assert stub.pending, "the queue stays at the Bot API"
    assert set(stub.pending) | answered | saved == set(ids), "nothing lost"
    assert not set(stub.pending) & (answered | saved), "nothing handled twice at the next start"


async def test_webhook_mode_serves_a_health_path(stub, tmp_path):
    port = free_port()
    stop = asyncio.Event()
    settings = settings_for(stub.port, tmp_path, webhook_url="https://bot.example.org/hook",
                            webhook_listen="127.0.0.1", webhook_port=port, webhook_secret="s3cret")
    bot = asyncio.create_task(serve(settings, stop))
    try:
        hook = (await stub.wait_for("setWebhook", timeout=30))[0].params
        assert hook["max_connections"] == "32" or hook["max_connections"] == 32
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            health = await client.get("/healthz")
            assert health.status_code == 200 and health.json() == {"ok": True, "documents": 1}
            update = {"update_id": 9, "message": {"message_id": 1, "date": 0, "text": QUESTION,
                                                  "chat": {"id": 7, "type": "private"}, "from": stub.user(7)}}
            forged = await client.post("/hook", json=update)
            assert forged.status_code == 403, "without the secret"
            secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            posted = await client.post("/hook", json=update, headers=secret)
            assert posted.status_code == 200
            assert stub.of("sendMessage"), "answered before the webhook call was acknowledged"
    finally:
        stop.set()
        await asyncio.wait_for(bot, 15)
    assert not stub.of("deleteWebhook"), "the webhook stays set: Telegram keeps updates for the next start"


async def test_an_empty_data_dir_is_a_warning_naming_the_folder(stub, tmp_path, caplog):
    empty = tmp_path / "documents"
    empty.mkdir()
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, state_dir=tmp_path / "state",
                             data_dir=empty)
    with caplog.at_level(logging.WARNING):
        async with polling(build_application(settings)):
            pass
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(empty.resolve()) in w and "没有可用的文档" in w for w in warnings), warnings


async def test_a_missing_data_dir_is_a_warning_and_the_bot_still_starts(stub, tmp_path, caplog):
    missing = tmp_path / "nowhere"
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, state_dir=tmp_path / "state",
                             data_dir=missing)
    with caplog.at_level(logging.WARNING):
        async with polling(build_application(settings)):
            await stub.wait_for("setMyCommands", count=2)
    messages = [r.getMessage() for r in caplog.records]
    assert any(str(missing.resolve()) in m and "不存在" in m for m in messages), messages
    assert missing.is_dir(), "created, so an admin's upload has somewhere to go"


async def test_speechbot_run_with_a_rejected_token_exits_2_at_once_with_one_line(stub, tmp_path):
    stub.token = "999:" + "B" * 35  # our token is refused (401)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "LOG_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=stub.base_url,
               TELEGRAM_BASE_FILE_URL=stub.base_file_url, DATA_DIR=str(ROOT / "data"), LOG_LEVEL="WARNING",
               ALLOWED_USERS="1", PYTHONPATH=str(ROOT))  # an allow-list: no start-up warning about it
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    rejected = "设置错误：TELEGRAM_BOT_TOKEN 被 Telegram 拒绝（令牌无效或已被撤销）"
    assert stderr.decode().splitlines() == [rejected], "no retry was logged"
