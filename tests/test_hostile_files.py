"""Hostile and encrypted documents (issue 14): reading is bounded in time and memory, in worker
processes; one bad file is refused by name while everything else goes on.

The XObject bomb is the attack battery's case: a ~100 KB PDF whose one page draws a form
XObject of 2,000 text operations 2,000 times. pypdf's extract_text renders every draw, so the
text is 4 million strings long and takes minutes (> 240 s measured) in the process that reads it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botapi_stub import TOKEN, BotApiStub, parse_html
from telegram.ext import Application
from test_admin_bot import ADMIN, NEW, SEED, SEED_PATH, ask, command, folder, push_upload, speech_2023, upload
from test_reader import PAGES, encrypted, pdf_with_text, sample_docx

from bot.app import build_application, polling, production_rate_limiter
from bot.settings import load_settings
from bot.state import LibraryHolder
from retrieval import parse_workers
from retrieval.library import Library, read_documents
from retrieval.models import DocumentError
from retrieval.parse_workers import ParseJob, ParseLimits, ParseStopped, parse_all, parse_document, runs_here
from retrieval.reader import decode_bytes

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def xobject_bomb_pdf(draws: int = 2000, operations: int = 2000) -> bytes:
    """One page drawing one form XObject `draws` times; the form shows `operations` lines of text."""
    line = b"BT /F1 12 Tf 10 %d Td (Hello world %d) Tj ET\n"
    form = b"".join(line % (i % 700, i) for i in range(operations))
    page = b"q /X1 Do Q\n" * draws
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page), page),
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >>"
        b" /Length %d >>\nstream\n%s\nendstream" % (len(form), form),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(pdf)


@pytest.fixture(autouse=True)
def no_worker_left_behind():
    yield
    assert parse_workers.live_workers() == [], "every worker is stopped by the call that started it"


# -- the XObject bomb ----------------------------------------------------------------------------


def test_the_xobject_bomb_keeps_pypdf_busy_in_the_process_that_reads_it():
    """The failure reproduced: reading it in-process (as every version before did) is still
    running long after any reasonable limit; it is killed here after 5 s."""
    bomb = xobject_bomb_pdf()
    assert 90_000 < len(bomb) < 130_000
    code = textwrap.dedent("""
        import sys
        from retrieval.reader import decode_bytes
        decode_bytes(sys.stdin.buffer.read(), "炸弹.pdf")
    """)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert process.stdin is not None
        process.stdin.write(bomb)
        process.stdin.close()
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(5)
    finally:
        process.kill()
        process.wait()


def test_the_xobject_bomb_is_refused_at_the_time_limit_naming_the_file(caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(DocumentError) as refused:
        parse_document("炸弹.pdf", xobject_bomb_pdf(), limits=ParseLimits(seconds=2))
    took = time.monotonic() - started
    assert refused.value.name == "炸弹.pdf"
    assert refused.value.reason == "解析超时（2 秒），文件可能有问题"
    assert 2 <= took < 15, f"killed at the limit, not at the end ({took:.1f} s)"
    assert "炸弹.pdf" in caplog.text and "超过 2 秒" in caplog.text


def test_a_file_over_the_memory_limit_is_refused_naming_the_limit():
    text = ("第一条 这是一段用来占用内存的测试文字，每一行都一样长。\n" * 600_000).encode()  # ~45 MB
    with pytest.raises(DocumentError) as refused:
        parse_document("大文件.txt", text, limits=ParseLimits(seconds=60, memory_mb=100))
    assert refused.value.name == "大文件.txt"
    assert "内存" in refused.value.reason and "100 MB" in refused.value.reason


def test_one_hostile_file_in_a_batch_is_refused_and_the_others_are_read():
    seed = SEED_PATH.read_bytes()
    jobs = [ParseJob("a.txt", seed * 20), ParseJob("炸弹.pdf", xobject_bomb_pdf()),
            ParseJob("c.pdf", pdf_with_text(["2024年工作报告", "一、主要任务", "建设高标准农田一千万亩。"])),
            ParseJob("d.txt", seed * 21)]
    results = parse_all(jobs, ParseLimits(seconds=3), workers=2)
    assert [type(r).__name__ for r in results] == ["Document", "DocumentError", "Document", "Document"]
    assert isinstance(results[1], DocumentError) and "解析超时" in results[1].reason
    assert [r.name for r in results] == ["a.txt", "炸弹.pdf", "c.pdf", "d.txt"]


def test_a_worker_killed_under_a_file_refuses_that_file_and_the_next_files_are_read(caplog):
    """As when the kernel's OOM killer picks the worker: the file it was reading is refused, the
    file waiting in its pipe goes to a new worker."""
    seed = SEED_PATH.read_bytes()
    jobs = [ParseJob("炸弹.pdf", xobject_bomb_pdf()), ParseJob("b.txt", seed * 20), ParseJob("c.txt", seed)]
    killed: list[int] = []

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 60
        while not (pids := parse_workers.live_workers()) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.5)  # reading the bomb by now, b.txt waiting in its pipe
        os.kill(pids[0], signal.SIGKILL)
        killed.append(pids[0])

    killer = threading.Thread(target=kill_the_worker)
    killer.start()
    with caplog.at_level(logging.WARNING):
        results = parse_all(jobs, ParseLimits(seconds=60), workers=1)
    killer.join()
    assert killed
    assert isinstance(results[0], DocumentError)
    assert results[0].reason == "解析进程意外退出（可能超过内存上限 1024 MB），文件可能有问题"
    assert [type(r).__name__ for r in results[1:]] == ["Document", "Document"]
    assert "退出码 -9" in caplog.text


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
def test_documents_read_in_workers_are_the_documents_read_here():
    paths = [SEED_PATH, *sorted(CORPUS.glob("*.docx")), *sorted(CORPUS.glob("gov_report_202*.txt"))]
    jobs = [ParseJob(p.name, p.read_bytes(), {"year": 2019} if p.suffix == ".docx" else None) for p in paths]
    assert not runs_here(jobs)
    from retrieval.document import build_document

    here = [build_document(j.name, decode_bytes(j.data, j.name), j.corrections) for j in jobs]
    assert parse_all(jobs) == here
    assert here[1].year == 2019, "the corrections travel with the job"


def test_a_document_read_in_a_worker_comes_with_its_pickle_for_the_cache():
    seed = SEED_PATH.read_bytes()
    jobs = [ParseJob("a.txt", seed * 20), ParseJob("空.pdf", pdf_with_text([" "])),
            ParseJob("b.txt", seed * 21)]
    pickles: dict[int, bytes] = {}
    results = parse_all(jobs, workers=2, pickled=pickles.__setitem__)
    assert sorted(pickles) == [0, 2], "one pickle per document read, none for a refusal"
    assert all(pickle.loads(data) == results[number] for number, data in pickles.items())


def test_refusals_are_the_same_in_a_worker():
    jobs = [ParseJob("空.pdf", pdf_with_text([" "])), ParseJob("坏.docx", b"PK\x03\x04 not a zip" * 40_000)]
    assert [str(r) for r in parse_all(jobs)] == [str(r) for r in map(_refusal, jobs)]


def _refusal(job: ParseJob) -> DocumentError:
    try:
        decode_bytes(job.data, job.name)
    except DocumentError as err:
        return err
    raise AssertionError("not refused")


def test_small_plain_text_is_read_here_and_everything_else_in_a_worker():
    seed = SEED_PATH.read_bytes()
    assert runs_here([ParseJob("a.txt", seed), ParseJob("b.md", seed)])
    assert not runs_here([ParseJob("a.txt", seed), ParseJob("b.pdf", pdf_with_text(["正文。"]))])
    assert not runs_here([ParseJob("a.docx", sample_docx())])
    assert not runs_here([ParseJob("a.txt", seed * 40)]), "a large text goes to a worker too"


def test_stop_all_releases_a_thread_waiting_on_a_stuck_parse():
    outcome: list[BaseException] = []

    def parse() -> None:
        try:
            parse_document("炸弹.pdf", xobject_bomb_pdf(), limits=ParseLimits(seconds=300))
        except BaseException as err:
            outcome.append(err)

    thread = threading.Thread(target=parse)
    thread.start()
    deadline = time.monotonic() + 60
    while not parse_workers.live_workers() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert parse_workers.stop_all() == 1
    thread.join(10)
    assert not thread.is_alive()
    assert [type(e) for e in outcome] == [ParseStopped]


def test_reading_a_folder_skips_the_hostile_file_and_loads_the_rest(tmp_path):
    shutil.copy(SEED_PATH, tmp_path / SEED)
    (tmp_path / "炸弹.pdf").write_bytes(xobject_bomb_pdf())
    (tmp_path / "报告.pdf").write_bytes(pdf_with_text(["2024年工作报告", "一、主要任务", "推进乡村振兴。"]))
    documents, errors = read_documents(tmp_path, tmp_path / "cache", ParseLimits(seconds=3))
    assert [d.name for d in documents] == [SEED, "报告.pdf"]
    assert [(e.name, e.reason) for e in errors] == [("炸弹.pdf", "解析超时（3 秒），文件可能有问题")]
    again, _ = read_documents(tmp_path, tmp_path / "cache", ParseLimits(seconds=3))
    assert again == documents


# -- the bot -----------------------------------------------------------------------------------


@pytest.fixture
async def guarded_bot(stub: BotApiStub, seed_library: Library, tmp_path: Path) -> AsyncIterator[Application]:
    """The admin bot (tests/test_admin_bot.py) with PARSE_TIMEOUT=8."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SEED_PATH, data / SEED)
    settings = load_settings(
        env_file=None, telegram_bot_token=TOKEN, telegram_base_url=stub.base_url,
        telegram_base_file_url=stub.base_file_url, admin_ids=str(ADMIN), data_dir=data,
        state_dir=tmp_path / "state", max_upload_mb=1, parse_timeout=8,
    )
    application = build_application(settings, holder=LibraryHolder(seed_library),
                                     rate_limiter=production_rate_limiter())
    async with polling(application, poll_timeout=2):
        yield application
    assert not stub.rejected, [(c.method, c.error) for c in stub.rejected]


async def test_a_stuck_upload_blocks_no_question_upload_or_reload_and_is_refused_by_name(guarded_bot, stub):
    since = len(stub.calls)
    push_upload(stub, "炸弹.pdf", xobject_bomb_pdf())
    deadline = time.monotonic() + 30
    while not parse_workers.live_workers() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    [stuck] = parse_workers.live_workers()

    assert "xx区2022年经济工作会上讲话" in await ask(stub, "基础配套有哪些任务")
    stored = parse_html((await upload(stub, NEW, speech_2023().encode()))["text"])
    assert "已载入" in stored
    [reloaded] = await command(stub, "/reload")
    assert parse_html(reloaded["text"]).startswith("✅ 已重新载入 2 份文档。")
    assert parse_workers.live_workers() == [stuck], "all of that while the parse was still running"

    deadline = time.monotonic() + 30
    while not (refusal := [c for c in stub.of("sendMessage", since) if "炸弹.pdf" in c.params["text"]]):
        assert time.monotonic() < deadline, "the refusal came"
        await asyncio.sleep(0.05)
    assert [parse_html(c.params["text"]) for c in refusal] == [
        "没有载入「炸弹.pdf」：解析超时（8 秒），文件可能有问题。\n文档未更改。"]
    assert sorted(folder(guarded_bot)) == [SEED, NEW]
    assert [d.name for d in guarded_bot.bot_data.holder.documents] == [SEED, NEW]


async def test_an_upload_that_needs_a_password_is_refused_as_protected(guarded_bot, stub):
    data = encrypted(pdf_with_text(PAGES), "AES-128", user_password="secret")
    text = parse_html((await upload(stub, "加密.pdf", data))["text"])
    assert text.startswith("没有载入「加密.pdf」：PDF 有密码保护")
    assert sorted(folder(guarded_bot)) == [SEED]


async def test_an_owner_password_aes_upload_is_loaded(guarded_bot, stub):
    text = parse_html((await upload(stub, "加密.pdf", encrypted(pdf_with_text(PAGES), "AES-256")))["text"])
    assert "已载入《2024年工作报告》（加密.pdf）" in text
