"""Settings a newcomer trips over (token shape, where .env is found, new settings' errors) and the
log formats (plain / journal / json: one record, one line, nothing secret)."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from botapi_stub import TOKEN

from bot.logging_setup import setup_logging
from bot.settings import SettingsError, find_env_file, load_settings

ROOT = Path(__file__).resolve().parent.parent
SECRET = TOKEN.split(":", 1)[1]


@pytest.mark.parametrize("token", ["123:", "123456:" + "A" * 34, "123456:" + "A" * 20 + " " + "A" * 20,
                                   "abc:" + "A" * 35, '"123456:' + "A" * 35 + '"', "123456" + "A" * 35])
def test_a_token_of_the_wrong_shape_is_one_line_that_never_echoes_it(token, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    with pytest.raises(SettingsError) as err:
        load_settings(env_file=None)
    line = str(err.value)
    assert line.startswith("设置错误：TELEGRAM_BOT_TOKEN 应为 BotFather 给出的令牌") and "\n" not in line
    assert "AAAAAAAAAA" not in line and "123:" not in line


def test_a_token_of_the_right_shape_is_accepted(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAH" + "x_-9" * 9)
    assert load_settings(env_file=None).token.startswith("123456789:AAH")


def test_env_file_is_found_in_the_working_directory_or_named_by_env_file(tmp_path, monkeypatch):
    monkeypatch.delenv("ENV_FILE", raising=False)
    monkeypatch.delenv("TOP_K", raising=False)
    monkeypatch.chdir(tmp_path)
    assert find_env_file() is None
    (tmp_path / ".env").write_text("TOP_K=4\n")
    assert load_settings().top_k == 4
    elsewhere = tmp_path / "etc" / "speechbot.env"
    elsewhere.parent.mkdir()
    elsewhere.write_text("TOP_K=6\n")
    monkeypatch.setenv("ENV_FILE", str(elsewhere))
    assert load_settings().top_k == 6, "ENV_FILE wins over ./.env"
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "missing.env"))
    with pytest.raises(SettingsError, match=r"^设置错误：ENV_FILE 指向的文件不存在：.*missing\.env$"):
        load_settings()


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("LOG_FORMAT", "xml", "设置错误：LOG_FORMAT 应为 plain、journal、json 之一 (got 'xml')"),
    ("SHUTDOWN_TIMEOUT", "0", "设置错误：SHUTDOWN_TIMEOUT 应为 1 到 300 之间的秒数 (got '0')"),
    ("ALLOW_GROUP_MEMBERS", "maybe", "设置错误：ALLOW_GROUP_MEMBERS 应为 true 或 false (got 'maybe')"),
])
def test_new_settings_have_one_line_errors(name, value, expected, monkeypatch):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings(env_file=None)
    assert str(err.value) == expected


def test_every_setting_is_documented_in_env_example():
    from bot.settings import Settings

    documented = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {name.upper() for name in Settings.model_fields} <= documented


# -- log formats --------------------------------------------------------------------------------


def log_with_traceback(log_format: str) -> str:
    stream = io.StringIO()
    setup_logging("INFO", log_format, stream)
    try:
        raise RuntimeError(f"boom at https://api.telegram.org/bot{TOKEN}/getMe\nsecond line")
    except RuntimeError:
        logging.getLogger("bot.test").exception("处理失败 via socks5://office:pa55@10.0.0.1:1080")
    logging.getLogger("bot.test").warning("注意")
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot%s/getMe", TOKEN)
    setup_logging("WARNING")  # back to the default for the other tests
    return stream.getvalue()


@pytest.mark.parametrize("log_format", ["plain", "journal", "json"])
def test_each_format_keeps_a_traceback_in_one_line_without_secrets(log_format):
    text = log_with_traceback(log_format)
    lines = text.splitlines()
    assert len(lines) == 2, lines  # the error with its traceback, the warning; httpx's INFO line is dropped
    assert "Traceback" in lines[0] and "second line" in lines[0]
    assert SECRET not in text and "pa55" not in text and "bot<redacted>" in text


def test_plain_has_a_timestamp_journal_a_priority_and_no_timestamp():
    plain = log_with_traceback("plain").splitlines()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ERROR bot.test: 处理失败", plain[0])
    journal = log_with_traceback("journal").splitlines()
    assert journal[0].startswith("<3>ERROR bot.test: 处理失败") and journal[1] == "<4>WARNING bot.test: 注意"
    assert not re.search(r"\d{4}-\d\d-\d\d", journal[0])


def test_json_is_one_object_per_line():
    error, warning = (json.loads(line) for line in log_with_traceback("json").splitlines())
    assert error["level"] == "ERROR" and error["logger"] == "bot.test"
    assert error["message"].startswith("处理失败 via socks5://***@10.0.0.1:1080")
    assert error["exception"].startswith("Traceback") and "RuntimeError" in error["exception"]
    assert warning == {"time": warning["time"], "level": "WARNING", "logger": "bot.test", "message": "注意"}


# -- speechbot check ----------------------------------------------------------------------------


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATA_DIR", "STATE_DIR", "PROXY", "ENV_FILE"))}
    return subprocess.run([sys.executable, "-m", "cli.main", "check"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={**clean, "PYTHONPATH": str(ROOT), **env})


async def test_check_passes_against_a_working_bot_api(stub, tmp_path):
    import asyncio

    result = await asyncio.to_thread(
        run_check, tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=stub.base_url,
        DATA_DIR=str(ROOT / "data"))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line[:4] for line in lines] == ["✓ 设置", "✓ 文档", "✓ Te"]
    assert lines[1] == "✓ 文档：1 份" and "@speech_test_bot" in lines[2]
    assert SECRET not in result.stdout + result.stderr


def test_check_fails_with_one_line_per_problem(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_check(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",
                       DATA_DIR=str(empty))
    assert result.returncode == 1
    settings, documents, telegram = result.stdout.splitlines()
    assert settings.startswith("✓ 设置")
    assert documents.startswith("✗ 文档：") and str(empty) in documents
    assert telegram.startswith("✗ Telegram：无法连接 http://127.0.0.1:9/bot") and SECRET not in telegram

    bad = run_check(tmp_path, TELEGRAM_BOT_TOKEN="123:", DATA_DIR=str(empty))
    assert bad.returncode == 1 and bad.stdout.startswith("✗ 设置：设置错误：TELEGRAM_BOT_TOKEN")
    assert bad.stdout.count("\n") == 1
