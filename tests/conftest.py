"""Shared fixtures. The bot fixtures run the real Application against tests/botapi_stub.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botapi_stub import TOKEN, BotApiStub
from telegram.ext import Application

from bot.app import build_application, polling, production_rate_limiter
from bot.settings import load_settings
from bot.state import LibraryHolder
from retrieval.library import Library, load_library

DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="session")
def seed_library() -> Library:
    """The repository's data/ loaded once (loading takes about a second)."""
    library, errors = load_library(DATA)
    assert not errors
    return library


@pytest.fixture(scope="session")
def corpus_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The documents of ../shared/corpus (.txt and .docx) loaded together once, as a library the
    question sets ask all loaded; skipped where ../shared is not beside the repository."""
    import shutil

    documents = sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.docx")])
    if len(documents) < 10:
        pytest.skip(f"{CORPUS} not available")
    folder = tmp_path_factory.mktemp("corpus")
    for path in documents:
        shutil.copy(path, folder)
    library, errors = load_library(folder)
    assert not errors
    return library


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    server = await BotApiStub().start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(stub: BotApiStub, seed_library: Library, tmp_path: Path) -> AsyncIterator[Application]:
    """The bot, long-polling the stub, with the production rate limiter; nothing it sent was refused."""
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, top_k=3,
                             state_dir=tmp_path / "state")  # usage statistics, never in the repository
    application = build_application(settings, holder=LibraryHolder(seed_library),
                                     rate_limiter=production_rate_limiter())
    async with polling(application, poll_timeout=2):
        yield application
    assert not stub.rejected, [(c.method, c.error) for c in stub.rejected]
