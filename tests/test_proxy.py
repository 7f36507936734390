"""The bot behind a proxy: PROXY from the settings, or HTTP(S)_PROXY / ALL_PROXY / NO_PROXY from
the environment, through a local HTTP proxy and a local SOCKS5 proxy (tests/proxies.py), against
the stand-in Bot API. Every kind of request must take the proxy: getMe, getUpdates, the answer,
and file downloads."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botapi_stub import TOKEN, BotApiStub, ask
from proxies import HttpProxy, Socks5Proxy

from bot.app import build_application, polling
from bot.http_request import describe_proxy
from bot.logging_setup import install_redaction
from bot.settings import Settings, SettingsError, load_settings
from bot.state import LibraryHolder
from retrieval.library import Library

QUESTION = "2022年基础配套有哪些任务"
CREDENTIALS = ("office", "pa55-w0rd")
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the machine running the tests leaks in."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def settings_for(stub: BotApiStub, tmp_path: Path, **extra: object) -> Settings:
    return load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                         telegram_base_file_url=stub.base_file_url, state_dir=tmp_path / "state", **extra)


async def exchange(settings: Settings, stub: BotApiStub, library: Library) -> None:
    """Start the bot, ask one question, download one file; both must work."""
    stub.add_file("doc1", "讲话稿正文".encode())
    async with polling(build_application(settings, holder=LibraryHolder(library))) as application:
        answer = await ask(stub, QUESTION)
        assert "<blockquote" in answer["text"]
        telegram_file = await application.bot.get_file("doc1")
        assert bytes(await telegram_file.download_as_bytearray()).decode() == "讲话稿正文"


@pytest.fixture
async def http_proxy() -> AsyncIterator[HttpProxy]:
    proxy = await HttpProxy(CREDENTIALS).start()
    yield proxy
    await proxy.stop()


@pytest.fixture
async def socks_proxy() -> AsyncIterator[Socks5Proxy]:
    proxy = await Socks5Proxy(CREDENTIALS).start()
    yield proxy
    await proxy.stop()


ALL_KINDS = {"getMe", "getUpdates", "sendMessage", "getFile", "file"}


async def test_proxy_setting_http_with_credentials(stub, http_proxy, seed_library, tmp_path):
    settings = settings_for(stub, tmp_path, proxy=http_proxy.url("http"))
    await exchange(settings, stub, seed_library)
    assert http_proxy.seen.methods >= ALL_KINDS, http_proxy.seen.methods
    assert set(http_proxy.seen.targets) == {("127.0.0.1", stub.port)}
    assert set(http_proxy.seen.credentials) == {CREDENTIALS} and not http_proxy.seen.refused


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
async def test_proxy_setting_socks5_with_credentials(stub, socks_proxy, seed_library, tmp_path, scheme):
    settings = settings_for(stub, tmp_path, proxy=socks_proxy.url(scheme))
    await exchange(settings, stub, seed_library)
    assert socks_proxy.seen.methods >= ALL_KINDS, socks_proxy.seen.methods
    assert set(socks_proxy.seen.targets) == {("127.0.0.1", stub.port)}
    assert set(socks_proxy.seen.credentials) == {CREDENTIALS} and not socks_proxy.seen.refused


async def test_wrong_proxy_credentials_mean_no_request_reaches_the_bot_api(stub, http_proxy, tmp_path):
    from telegram.error import NetworkError

    settings = settings_for(stub, tmp_path, proxy=f"http://office:wrong@127.0.0.1:{http_proxy.port}")
    application = build_application(settings, holder=LibraryHolder())
    with pytest.raises(NetworkError):
        await application.initialize()
    await application.shutdown()
    assert http_proxy.seen.refused and not stub.calls


async def test_http_proxy_from_the_environment_and_no_proxy(stub, seed_library, tmp_path, monkeypatch):
    proxy = await HttpProxy().start()  # environment proxies usually have no credentials
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url("http"))  # the stand-in is http://
        await exchange(settings_for(stub, tmp_path), stub, seed_library)
        assert proxy.seen.methods >= ALL_KINDS

        before = len(proxy.seen.requests)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        await exchange(settings_for(stub, tmp_path), stub, seed_library)
        assert len(proxy.seen.requests) == before, "NO_PROXY: straight to the Bot API"
    finally:
        await proxy.stop()


async def test_all_proxy_socks5_from_the_environment(stub, seed_library, tmp_path, monkeypatch):
    proxy = await Socks5Proxy().start()
    try:
        monkeypatch.setenv("ALL_PROXY", proxy.url("socks5"))
        await exchange(settings_for(stub, tmp_path), stub, seed_library)
        assert proxy.seen.methods >= ALL_KINDS
    finally:
        await proxy.stop()


async def test_proxy_setting_wins_over_the_environment(stub, http_proxy, seed_library, tmp_path, monkeypatch):
    other = await Socks5Proxy().start()
    try:
        monkeypatch.setenv("ALL_PROXY", other.url("socks5"))
        await exchange(settings_for(stub, tmp_path, proxy=http_proxy.url("http")), stub, seed_library)
        assert http_proxy.seen.methods >= ALL_KINDS and not other.seen.targets
    finally:
        await other.stop()


# -- settings and logging ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["sock5://127.0.0.1:1080", "ftp://u:p@proxy:21", "127.0.0.1:1080",
                                   "socks5://", "http://user:topsecret@"])
def test_a_wrong_proxy_is_one_line_without_credentials(value, monkeypatch):
    monkeypatch.setenv("PROXY", value)
    with pytest.raises(SettingsError) as err:
        load_settings(env_file=None)
    line = str(err.value)
    assert line.startswith("设置错误：PROXY 应为 http://、https://、socks5:// 或 socks5h://")
    assert "\n" not in line and "topsecret" not in line and ":p@" not in line


@pytest.mark.parametrize("value", ["http://127.0.0.1:3128", "https://proxy.example.org",
                                   "socks5://u:p@127.0.0.1:1080", "SOCKS5H://127.0.0.1:1080", ""])
def test_good_proxies_are_accepted(value, monkeypatch):
    monkeypatch.setenv("PROXY", value)
    settings = load_settings(env_file=None)
    assert settings.proxy_url == (value or None)
    assert "u:p" not in repr(settings)


def test_a_wrong_environment_proxy_is_one_line(monkeypatch):
    monkeypatch.setenv("https_proxy", "socks4://127.0.0.1:1080")
    with pytest.raises(SettingsError, match=r"^设置错误：环境变量 https_proxy 应为 http://"):
        load_settings(env_file=None)
    monkeypatch.setenv("PROXY", "socks5h://127.0.0.1:1080")  # PROXY set: the environment is not used
    assert load_settings(env_file=None).proxy_url == "socks5h://127.0.0.1:1080"


def test_the_proxy_in_the_start_up_log_hides_credentials(tmp_path):
    settings = load_settings(env_file=None, proxy="socks5h://office:pa55@10.0.0.1:1080")
    assert describe_proxy(settings, {}) == "代理 socks5h://***@10.0.0.1:1080（PROXY）"
    plain = load_settings(env_file=None)
    assert describe_proxy(plain, {"https_proxy": "http://u:pw@p:3128"}) == \
        "代理 http://***@p:3128（环境变量 HTTPS_PROXY）"
    assert describe_proxy(plain, {"ALL_PROXY": "socks5://p:1080"}) == \
        "代理 socks5://p:1080（环境变量 ALL_PROXY）"
    assert describe_proxy(plain, {"ALL_PROXY": "socks5://p:1080", "NO_PROXY": ".telegram.org"}) == \
        "不使用代理（NO_PROXY）"
    assert describe_proxy(plain, {}) == "不使用代理"


def test_proxy_credentials_in_log_records_are_redacted(caplog):
    install_redaction()
    with caplog.at_level(logging.INFO):
        logging.getLogger("httpx").warning("connect via socks5://office:pa55-w0rd@10.0.0.1:1080 failed")
    assert "pa55-w0rd" not in caplog.text and "socks5://***@10.0.0.1:1080" in caplog.text
