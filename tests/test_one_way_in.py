"""One way in: the same question gets the same reply from every front end, and each is counted.

Private chat, a group (/ask), inline mode, the console chat and `speechbot ask` all go through
Library.ask; the quoted passage (or the commitments listing) must be the same everywhere.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from botapi_stub import ask, parse_html
from test_admin_bot import NEW, NEW_TITLE, speech_2023

from bot.stats import UsageLog
from cli import console
from retrieval.document import build_document
from retrieval.library import Library

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PASSAGE_QUESTION = "2022年基础配套有哪些任务"  # a passage, quoted with its items
LISTING_QUESTION = "哪些任务要在月底前完成"  # a commitments listing
BEST = "二是进一步加强基础配套"


async def inline_titles(stub, question: str) -> list[str]:
    since = len(stub.calls)
    stub.inline(question)
    params = (await stub.wait_for("answerInlineQuery", since=since))[0].params
    return [parse_html(r["input_message_content"]["message_text"]) for r in params["results"]]


async def test_every_front_end_gets_the_same_passage_and_is_counted(bot, stub, tmp_path):
    private = parse_html((await ask(stub, PASSAGE_QUESTION))["text"])
    group = parse_html((await ask(stub, f"/ask {PASSAGE_QUESTION}", chat="supergroup"))["text"])
    inline = await inline_titles(stub, PASSAGE_QUESTION)
    usage = UsageLog(tmp_path / "console.sqlite3")
    out = io.StringIO()
    assert console.chat(DATA, 3, usage, stdin=io.StringIO(PASSAGE_QUESTION + "\n"), stdout=out) == 0
    command = [sys.executable, "-m", "cli.main", "ask", "--json", "--data", str(DATA), PASSAGE_QUESTION]
    cli = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    answer = json.loads(cli.stdout)["answer"]

    header = f"📄 xx区2022年经济工作会上讲话 › 二、2022 年的重点工作 › {BEST}"
    for shown in (private, group, inline[0], out.getvalue()):
        assert shown.startswith(header), shown[:80]
    assert answer["section"][-1] == BEST
    assert answer["text"].replace("\n", "") in private.replace("\n", "")

    counted = bot.bot_data.usage.summary()
    assert counted.total == 3 and counted.answered == 3, "private, group and inline are all counted"
    assert usage.summary().total == 1 and usage.summary().top_sections[0][1].endswith(BEST), "and the console"


async def test_a_listing_is_the_same_in_a_chat_inline_and_the_console(bot, stub):
    private = parse_html((await ask(stub, LISTING_QUESTION))["text"])
    inline = await inline_titles(stub, LISTING_QUESTION)
    out = io.StringIO()
    console.chat(DATA, 3, stdin=io.StringIO(LISTING_QUESTION + "\n"), stdout=out)
    first = out.getvalue().strip().splitlines()[1]  # "1. [时限] 三大主题公园 X 月底前…（期限：X 月底前）"
    commitment = first.split("] ", 1)[1].split("（", 1)[0]
    assert "任务与目标" in private and commitment in private
    assert commitment in inline[0], "inline offers the first commitment in its passage"
    assert bot.bot_data.usage.summary().total == 2


async def test_inline_questions_follow_the_users_document_scope(bot, stub, seed_library):
    """/doc applies to inline mode too, as to every other way of asking."""
    bot.bot_data.holder.swap(Library((*seed_library.documents, build_document(NEW, speech_2023()))))
    assert (await inline_titles(stub, "基础配套有哪些任务"))[0].startswith("📄 xx区2022年经济工作会上讲话")
    await ask(stub, f"/doc {NEW_TITLE}")
    titles = await inline_titles(stub, "基础配套有哪些任务")
    assert titles and all(t.startswith(f"📄 {NEW_TITLE}") for t in titles)


def test_the_console_is_plain_text_without_buttons():
    out = io.StringIO()
    asked = io.StringIO(f"/sections\n{PASSAGE_QUESTION}\n/commitments 月底前\n")
    console.chat(DATA, 3, stdin=asked, stdout=out)
    text = out.getvalue()
    assert "按钮" not in text and "点数字" not in text
    assert "<b>" not in text and "**" not in text and "&lt;" not in text
