"""Worker processes die with the bot, and stopping never waits for them (issue 14).

kill -9 of a process while its tokenizer pool, its preparing pool or a parse worker runs leaves
no orphan; SIGTERM ends `speechbot run` within SHUTDOWN_TIMEOUT while an upload's parse is stuck
or while a hostile file is being read at start; temporary files a killed run left are removed
at start.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from botapi_stub import TOKEN, BotApiStub
from proc_tree import alive, children, wait_for_children, wait_until_gone
from test_admin_bot import ADMIN, SEED, SEED_PATH, push_upload
from test_hostile_files import xobject_bomb_pdf

from bot.app import serve
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS_TEXT = ROOT / "data" / SEED

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def python(code: str) -> subprocess.Popen[str]:
    """A Python process running code with this checkout first on its path; prints "ready" first."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE)


def kill_and_reap(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(30)
    if process.stdout:
        process.stdout.close()


def test_kill_9_while_tokenizing_on_all_cores_leaves_no_worker():
    process = python(f"""
        from pathlib import Path
        from retrieval.text.tokens import tokenize
        from retrieval.token_cache import tokenize_documents
        texts = [Path({str(CORPUS_TEXT)!r}).read_text(encoding="utf-8")] * 400  # ~6 M characters
        print("ready", flush=True)
        tokenize_documents([texts], tokenize, workers=2, min_parallel_chars=0)
        print("done", flush=True)
    """)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        workers = wait_for_children(process.pid, 2, timeout=60)
        assert len(workers) == 2, "the pool started its workers"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        assert wait_until_gone(workers, timeout=10) == [], "no orphaned tokenizer worker"
    finally:
        kill_and_reap(process)


def test_kill_9_while_preparing_a_library_on_all_cores_leaves_no_worker(tmp_path):
    process = python(f"""
        from pathlib import Path
        from retrieval.document import load_document
        from retrieval.library import prepare_all
        documents = (load_document(Path({str(CORPUS_TEXT)!r})),) * 400  # ~6 M characters
        print("ready", flush=True)
        prepare_all(documents, Path({str(tmp_path)!r}), workers=2)
        print("done", flush=True)
    """)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        workers = wait_for_children(process.pid, 2, timeout=60)
        assert len(workers) == 2, "the pool started its workers"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        assert wait_until_gone(workers, timeout=10) == [], "no orphaned preparing worker"
    finally:
        kill_and_reap(process)


def test_kill_9_while_a_parse_is_stuck_leaves_no_worker(tmp_path):
    bomb = tmp_path / "炸弹.pdf"
    bomb.write_bytes(xobject_bomb_pdf())
    process = python(f"""
        from pathlib import Path
        from retrieval.parse_workers import ParseLimits, parse_document
        print("ready", flush=True)
        parse_document("炸弹.pdf", Path({str(bomb)!r}).read_bytes(), limits=ParseLimits(seconds=300))
    """)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        [worker] = wait_for_children(process.pid, 1, timeout=60)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
        assert wait_until_gone([worker], timeout=10) == []
    finally:
        kill_and_reap(process)


def test_a_tokenizer_worker_forked_from_the_bot_ends_on_sigterm():
    """The bot's event loop handles SIGTERM; a forked worker inherited that and ignored it."""
    process = python("""
        import asyncio, os, signal, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from retrieval.text.tokens import tokenize
        from retrieval.token_cache import start_worker

        async def main():
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, lambda: None)
            with ProcessPoolExecutor(1, initializer=start_worker, initargs=(os.getpid(), tokenize)) as pool:
                print(pool.submit(os.getpid).result(), flush=True)
                time.sleep(60)

        asyncio.run(main())
    """)
    try:
        assert process.stdout is not None
        worker = int(process.stdout.readline())
        os.kill(worker, signal.SIGTERM)
        assert wait_until_gone([worker], timeout=10) == []
    finally:
        kill_and_reap(process)


# -- the bot ---------------------------------------------------------------------------------


def bot_environment(stub: BotApiStub, data: Path, state: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WEBHOOK_", "LOG_", "PARSE_", "ADMIN_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=stub.base_url,
               TELEGRAM_BASE_FILE_URL=stub.base_file_url, DATA_DIR=str(data), STATE_DIR=str(state),
               ADMIN_IDS=str(ADMIN), SHUTDOWN_TIMEOUT="2", PARSE_TIMEOUT="300", PYTHONPATH=str(ROOT),
               **extra)
    return env


async def sigterm_and_time(process: asyncio.subprocess.Process) -> tuple[float, str]:
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    return time.monotonic() - started, stderr.decode()


async def test_sigterm_ends_the_bot_within_shutdown_timeout_while_an_upload_parse_is_stuck(stub, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / SEED).write_bytes(SEED_PATH.read_bytes())
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "run", cwd=tmp_path,
        env=bot_environment(stub, data, tmp_path / "state"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await stub.wait_for("setMyCommands", count=2, timeout=60)
        push_upload(stub, "炸弹.pdf", xobject_bomb_pdf())
        workers = await asyncio.to_thread(wait_for_children, process.pid, 1, 60)
        assert workers, "the upload is being parsed in a worker"
        took, stderr = await sigterm_and_time(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr
    assert took <= 2 + 3, f"stopped in {took:.1f} s (SHUTDOWN_TIMEOUT=2)"
    assert wait_until_gone(workers, timeout=5) == []
    assert os.listdir(data) == [SEED], "nothing of the upload was stored"


async def test_sigterm_while_a_hostile_file_is_read_at_start_ends_the_bot(stub, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / SEED).write_bytes(SEED_PATH.read_bytes())
    (data / "炸弹.pdf").write_bytes(xobject_bomb_pdf())
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "run", cwd=tmp_path,
        env=bot_environment(stub, data, tmp_path / "state"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        workers = await asyncio.to_thread(wait_for_children, process.pid, 1, 60)
        assert workers, "the start reads the documents in workers"
        took, stderr = await sigterm_and_time(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr
    assert took <= 2 + 3, f"stopped in {took:.1f} s"
    assert not [c for c in stub.calls if c.method == "getUpdates"], "it never started polling"
    assert wait_until_gone(workers, timeout=5) == []
    assert not [pid for pid in children(process.pid) if alive(pid)]


def test_run_bot_does_not_wait_for_a_busy_thread_after_serving():
    """asyncio.run, then the interpreter, wait for every thread of the default executor; one still
    building an index when the bot stops is abandoned after THREAD_GRACE (1 s)."""
    process = python(f"""
        import asyncio, time
        import bot.app
        from bot.settings import load_settings

        async def serve(settings, stop=None):
            asyncio.get_running_loop().run_in_executor(None, time.sleep, 60)  # an index being built
            await asyncio.sleep(0.1)

        bot.app.serve = serve
        print("ready", flush=True)
        bot.app.run_bot(load_settings(env_file=None, telegram_bot_token={TOKEN!r}))
        print("returned", flush=True)  # never: the process exits from run_bot
    """)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        started = time.monotonic()
        assert process.wait(30) == 0
        took = time.monotonic() - started
        assert process.stdout.read() == ""
    finally:
        kill_and_reap(process)
    assert took < 10, f"exited after {took:.1f} s, not after the thread's 60 s"


async def test_temporary_files_of_a_killed_run_are_removed_at_start(stub, tmp_path):
    data, state = tmp_path / "data", tmp_path / "state"
    data.mkdir()
    (data / SEED).write_bytes(SEED_PATH.read_bytes())
    leftovers = [data / ".upload-k2x9_a.tmp", state / "tokens" / ".tokens-3f9a.tmp",
                 state / "tokens" / ".document-77b1.tmp"]
    kept = [data / "notes.tmp", state / "tokens" / "keep.tmp"]  # not ours: left alone
    for path in leftovers + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
                             telegram_base_file_url=stub.base_file_url, data_dir=data, state_dir=state)
    stop = asyncio.Event()
    bot = asyncio.create_task(serve(settings, stop))
    try:
        await stub.wait_for("setMyCommands", timeout=60)
        assert [p.name for p in leftovers if p.exists()] == []
        assert all(p.exists() for p in kept)
    finally:
        stop.set()
        await asyncio.wait_for(bot, 30)
