"""/commitments, /tasks, their buttons and commitments questions, through the stand-in Bot API server.

The seed speech has 35 commitments (5 pages of 8); three of them are due 月底前, and the
keyword search for 月底前 ranks those three first.
The `bot` fixture asserts that the stub refused nothing (bad HTML, >4096, >64 bytes).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from botapi_stub import BOT_USERNAME, BotApiStub, ask, buttons, parse_html, sent_message, utf16_len

from bot import commitments_view as view
from bot import render
from bot.keyboards import MAX_CALLBACK_BYTES
from bot.render import STALE
from bot.state import LibraryHolder
from cli import console
from retrieval.library import Library

DATA = Path(__file__).resolve().parent.parent / "data"
MONTH_END = "哪些任务要在月底前完成"


def button(params: dict, text: str) -> str:
    """The callback_data of the button labelled exactly `text`."""
    found = [b["callback_data"] for b in buttons(params) if b["text"] == text]
    assert found, f"no {text!r} button in {buttons(params)}"
    return found[0]


async def tap(stub: BotApiStub, data: str, message: dict, method: str) -> tuple[dict, dict]:
    """Tap a button; the bot's answerCallbackQuery and its first `method` call."""
    since = len(stub.calls)
    stub.callback(data, message)
    answered = (await stub.wait_for("answerCallbackQuery", since=since))[0].params
    return answered, (await stub.wait_for(method, since=since))[0].params


def numbers(params: dict) -> list[int]:
    """The item numbers shown in a listing message."""
    return [int(n) for n in re.findall(r"^(\d+)\. ", parse_html(params["text"]), re.M)]


# -- /commitments ---------------------------------------------------------------------------------


async def test_commitments_lists_the_first_page_numbered_and_grouped(bot, stub, seed_library: Library):
    total = len(seed_library.commitments())
    pages = view.page_count(total)
    listing = await ask(stub, "/commitments")
    text = listing["text"]
    assert listing["parse_mode"] == "HTML"
    assert text.startswith("📋 <b>任务与目标</b>") and f"共 {total} 项（第 1/{pages} 页）" in text
    assert "📄 <b>xx区2022年经济工作会上讲话 › 二、2022 年的重点工作" in text
    assert numbers(listing) == list(range(1, view.PAGE_SIZE + 1))
    assert re.search(r"^\d+\. [🎯⏰📌] ", parse_html(text), re.M)
    labels = [b["text"] for b in buttons(listing)]
    assert labels == [str(n) for n in range(1, view.PAGE_SIZE + 1)] + ["◀ 上一页", f"1/{pages}", "下一页 ▶"]
    assert all(len(b["callback_data"].encode()) <= MAX_CALLBACK_BYTES for b in buttons(listing))
    assert "reply_parameters" not in listing, "no quoting in a private chat"


async def test_paging_edits_the_listing_and_wraps_around(bot, stub, seed_library: Library):
    pages = view.page_count(len(seed_library.commitments()))
    listing = await ask(stub, "/commitments")
    message = sent_message(stub, listing)
    answered, edit = await tap(stub, button(listing, "下一页 ▶"), message, "editMessageText")
    assert "text" not in answered
    assert edit["message_id"] == 5000 and edit["parse_mode"] == "HTML"
    assert numbers(edit) == list(range(view.PAGE_SIZE + 1, 2 * view.PAGE_SIZE + 1))
    assert f"2/{pages}" in [b["text"] for b in buttons(edit)]
    assert str(view.PAGE_SIZE + 1) in [b["text"] for b in buttons(edit)], "item buttons follow the page"

    _, last = await tap(stub, button(listing, "◀ 上一页"), message, "editMessageText")
    assert f"{pages}/{pages}" in [b["text"] for b in buttons(last)]
    assert numbers(last)[-1] == len(seed_library.commitments())
    _, first = await tap(stub, button(last, "下一页 ▶"), message, "editMessageText")
    assert first["text"] == listing["text"]


async def test_an_item_opens_as_its_quoted_passage_with_the_commitment_bold(bot, stub, seed_library: Library):
    listing = await ask(stub, "/commitments 月底前")
    first = next(c for c in seed_library.commitments() if "月底前" in c.text)
    assert parse_html(listing["text"]).split("\n1. ⏰ ", 1)[1].startswith(first.text)
    answered, opened = await tap(stub, button(listing, "1"), sent_message(stub, listing), "sendMessage")
    assert "text" not in answered
    text = opened["text"]
    assert text.startswith("📄 <b>xx区2022年经济工作会上讲话 › 二、2022 年的重点工作 › 二是进一步加强")
    quote = text.split("<blockquote", 1)[1]
    assert f"<b>{render.escape(first.text)}" in quote, "the commitment is the bold sentence of the quote"
    assert utf16_len(parse_html(text)) <= 4096
    # The passage's section can be shown in full, as from an ordinary answer.
    assert [b["text"] for b in buttons(opened)] == ["全文"]
    _, shown = await tap(stub, button(opened, "全文"), sent_message(stub, opened), "sendMessage")
    assert shown["text"].startswith("📄 <b>") and first.text in parse_html(shown["text"])


async def test_keyword_filters_and_nothing_found_is_polite(bot, stub):
    roads = await ask(stub, "/commitments 道路")
    items = re.findall(r"^\d+\. .*$", parse_html(roads["text"]), re.M)
    assert items and all("道路" in item for item in items)
    assert "「道路」" in roads["text"]
    nothing = await ask(stub, "/commitments <火星>")
    assert nothing["text"] == "没有找到与「&lt;火星&gt;」相关的任务或目标。"
    assert not buttons(nothing)


async def test_tasks_is_an_alias(bot, stub):
    commitments = await ask(stub, "/commitments 学校")
    tasks = await ask(stub, "/tasks 学校")
    assert tasks["text"] == commitments["text"] and "共 2 项" in tasks["text"]
    assert [b["text"] for b in buttons(tasks)] == ["1", "2"]


async def test_commitments_in_a_group_with_and_without_the_bot_name(bot, stub):
    stub.message("/commitments@other_bot", chat="supergroup")
    for text in ("/commitments 月底前", f"/commitments@{BOT_USERNAME} 月底前", f"/tasks@{BOT_USERNAME}"):
        since = len(stub.calls)
        update = stub.message(text, chat="supergroup")
        reply = (await stub.wait_for("sendMessage", since=since))[0].params
        assert reply["text"].startswith("📋 <b>任务与目标</b>")
        assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert len(stub.of("sendMessage")) == 3, "the command for another bot was left alone"
    # Buttons work on a group message too.
    _, edit = await tap(stub, button(reply, "下一页 ▶"), sent_message(stub, reply, "supergroup"),
                        "editMessageText")
    assert numbers(edit)[0] == view.PAGE_SIZE + 1


async def test_forged_and_stale_listing_buttons_get_a_polite_answer(bot, stub):
    listing = await ask(stub, "/commitments 学校")
    message = sent_message(stub, listing)
    holder: LibraryHolder = bot.bot_data.holder
    generation = holder.generation
    open_first = button(listing, "1")
    listing_id = open_first.split("|")[2]
    forged = [
        f"o|{generation}|{listing_id}|2",  # item 3 of a 2-item listing
        f"c|{generation}|{listing_id}|1",  # page 2 of a 1-page listing
        f"o|{generation}|fffff|0",  # no such listing
        f"o|{generation + 3}|{listing_id}|0",  # another generation
        f"o|{generation}|{listing_id}|0|x",
        f"c|{generation}|{listing_id}|-1",
        f"o|{generation}|{listing_id.upper()}Z|0",
        "c|<b>|&|1",
        "o" * 65,
    ]
    for data in forged:
        since = len(stub.calls)
        stub.callback(data, message)
        answered = (await stub.wait_for("answerCallbackQuery", since=since))[0].params
        assert answered.get("text") == STALE, data
    # After a reload every button of the old listing is stale, even with the new generation forged in.
    holder.swap(holder.library)
    for data in (open_first, open_first.replace(f"o|{generation}|", f"o|{holder.generation}|", 1)):
        since = len(stub.calls)
        stub.callback(data, message)
        assert (await stub.wait_for("answerCallbackQuery", since=since))[0].params["text"] == STALE
    assert not stub.of("editMessageText") and len(stub.of("sendMessage")) == 1


# -- questions ------------------------------------------------------------------------------------


async def test_a_month_end_question_is_answered_with_the_listing(bot, stub):
    listing = await ask(stub, MONTH_END)
    text = parse_html(listing["text"])
    assert text.startswith(f"📋 任务与目标「{MONTH_END}」 · 共 3 项")
    items = re.findall(r"^\d+\. .*$", text, re.M)
    assert len(items) == 3 and all(item.split()[1] == "⏰" and "月底前" in item for item in items)
    assert "<b>X 月底前</b>" in listing["text"]
    assert [b["text"] for b in buttons(listing)] == ["1", "2", "3"]
    _, opened = await tap(stub, button(listing, "2"), sent_message(stub, listing), "sendMessage")
    assert "<blockquote" in opened["text"] and "<b>三大广场 X 月底前" in opened["text"]


async def test_ask_in_a_group_can_be_answered_with_the_listing(bot, stub):
    update = stub.message("/ask 今年的量化指标有哪些", chat="supergroup")
    reply = (await stub.wait_for("sendMessage"))[0].params
    assert reply["text"].startswith("📋 <b>任务与目标</b>")
    assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]


async def test_ordinary_questions_are_still_answered_with_a_passage(bot, stub):
    for question in ("2022年基础配套有哪些任务", "xx区的发展思路是什么"):
        reply = await ask(stub, question)
        assert reply["text"].startswith("📄 <b>") and "<blockquote" in reply["text"], question
        assert "◀ 上一条" in [b["text"] for b in buttons(reply)]


# -- console --------------------------------------------------------------------------------------


def test_console_lists_commitments_for_the_command_and_for_questions():
    stdin = io.StringIO(f"/commitments 月底前\n{MONTH_END}\n/tasks 火星\n2022年基础配套有哪些任务\n")
    stdout = io.StringIO()
    assert console.chat(DATA, 3, stdin=stdin, stdout=stdout) == 0
    listing, question, nothing, passage = stdout.getvalue().strip().split("\n\n")[:4]
    assert listing.startswith("xx区2022年经济工作会上讲话 › 二、2022 年的重点工作")
    assert len(re.findall(r"^\d+\. \[时限\] .*月底前", listing, re.M)) == 3
    assert len(re.findall(r"^\d+\. \[时限\] .*月底前", question, re.M)) == 3
    assert question.splitlines() == listing.splitlines()[:4], "the three due 月底前 come first"
    assert nothing == "没有找到与「火星」相关的任务或目标。"
    assert passage.startswith("📄 xx区2022年经济工作会上讲话") and "> " in passage
