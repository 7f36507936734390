"""Conversations with the real bot over HTTP, through the stand-in Bot API server.

Retrieval quality is not asserted here (it is still improving); these tests check what
the bot sends: request shapes, escaping, lengths, buttons and the flows of the issue.
The `bot` fixture also asserts that the stub refused nothing (bad HTML, >4096, >64 bytes).
"""

from __future__ import annotations

import re

from botapi_stub import BOT_ID, BOT_USERNAME, TOKEN, ask, buttons, parse_html, sent_message, utf16_len

from bot.handlers import ASK_USAGE
from bot.keyboards import MAX_CALLBACK_BYTES
from bot.render import NO_ANSWER, NOT_TEXT, STALE
from bot.state import LibraryHolder
from retrieval.models import Passage
from retrieval.reply import NoAnswer, PassageAnswer, Reply

QUESTION = "2022年基础配套有哪些任务"


def button(params: dict, text: str) -> str:
    """The callback_data of the button labelled `text` (or containing it)."""
    found = [b["callback_data"] for b in buttons(params) if text in b["text"]]
    assert found, f"no {text!r} button in {buttons(params)}"
    return found[0]


# -- private chat ------------------------------------------------------------------------


async def test_private_question_gets_a_quoted_answer(bot, stub):  # "typing": tests/test_typing.py
    stub.message(QUESTION)
    answer = (await stub.wait_for("sendMessage"))[0].params

    assert answer["chat_id"] == 42 and answer["parse_mode"] == "HTML"
    text = answer["text"]
    assert text.startswith("📄 <b>xx区2022年经济工作会上讲话")
    assert re.search(r"<blockquote( expandable)?>.*</blockquote>$", text, re.S)
    assert "<b>" in text.split("<blockquote", 1)[1], "the highlight sentence is bold inside the quote"
    assert "reply_parameters" not in answer, "no quoting in a private chat"
    labels = [b["text"] for b in buttons(answer)]
    assert labels == ["◀ 上一条", "1/3", "下一条 ▶", "全文", "👍", "👎"]
    assert all(len(b["callback_data"].encode()) <= MAX_CALLBACK_BYTES for b in buttons(answer))


async def test_paging_edits_the_message_through_all_results(bot, stub):
    first = await ask(stub, QUESTION)
    message = sent_message(stub, first)
    seen = [first["text"]]
    params = first
    for n in (2, 3, 1):
        since = len(stub.calls)
        stub.callback(button(params, "下一条"), message)
        edit = (await stub.wait_for("editMessageText", since=since))[0].params
        await stub.wait_for("answerCallbackQuery", since=since)
        assert edit["message_id"] == 5000 and edit["parse_mode"] == "HTML"
        assert f"{n}/3" in [b["text"] for b in buttons(edit)]
        seen.append(edit["text"])
        params = edit
    assert len(set(seen[:3])) == 3, "three different results"
    assert seen[3] == seen[0], "paging wraps around"

    since = len(stub.calls)
    stub.callback(button(params, "上一条"), message)
    edit = (await stub.wait_for("editMessageText", since=since))[0].params
    assert "3/3" in [b["text"] for b in buttons(edit)]


async def test_full_text_button_sends_the_whole_section(bot, stub):
    first = await ask(stub, QUESTION)
    since = len(stub.calls)
    stub.callback(button(first, "全文"), sent_message(stub, first))
    await stub.wait_for("answerCallbackQuery", since=since)
    parts = await stub.wait_for("sendMessage", since=since)
    assert parts[0].params["text"].startswith("📄 <b>")
    assert all("<blockquote" in p.params["text"] for p in parts)
    # The passage shown as the answer is part of the section shown in full.
    quoted = parse_html(first["text"])[-30:]
    assert quoted in "".join(parse_html(p.params["text"]) for p in parts)


async def test_the_counter_button_does_nothing_quietly(bot, stub):
    first = await ask(stub, QUESTION)
    since = len(stub.calls)
    stub.callback(button(first, "1/3"), sent_message(stub, first))
    answered = (await stub.wait_for("answerCallbackQuery", since=since))[0].params
    assert "text" not in answered
    assert not stub.of("editMessageText", since)


async def test_forged_and_stale_buttons_get_a_polite_answer(bot, stub):
    first = await ask(stub, QUESTION)
    message = sent_message(stub, first)
    forged = [
        "",
        "x",
        "p|1|zz|1",
        "p|1|1|99",
        "s|1|7|0",
        "s|1|0|999",
        "e|1|9",
        "f|1|ffffff|0",
        "p|1|1|1|extra",
        "<b>&</b>",
        "💥" * 16,
    ]
    holder: LibraryHolder = bot.bot_data.holder
    stale = button(first, "下一条").replace(f"p|{holder.generation}|", f"p|{holder.generation + 5}|", 1)
    for data in [*forged, stale]:
        since = len(stub.calls)
        stub.callback(data, message)
        answered = (await stub.wait_for("answerCallbackQuery", since=since))[0].params
        assert answered.get("text") == STALE, data
    # The buttons of a message from before a reload are stale too.
    holder.swap(holder.library)
    since = len(stub.calls)
    stub.callback(button(first, "下一条"), message)
    assert (await stub.wait_for("answerCallbackQuery", since=since))[0].params["text"] == STALE
    assert not stub.of("editMessageText")


async def test_help_lists_documents_and_example_buttons_that_ask(bot, stub):
    for command in ("/start", "/help"):
        reply = await ask(stub, command)
        assert "xx区2022年经济工作会上讲话" in reply["text"] and reply["parse_mode"] == "HTML"
        assert len(buttons(reply)) == 3
    since = len(stub.calls)
    stub.callback(buttons(reply)[0]["callback_data"], sent_message(stub, reply))
    answer = (await stub.wait_for("sendMessage", since=since))[0].params
    assert "<blockquote" in answer["text"] or NO_ANSWER in answer["text"]


async def test_sections_lists_the_contents_and_a_tap_shows_a_section(bot, stub):
    toc = await ask(stub, "/sections")
    assert "目录" in toc["text"] and "xx区2022年经济工作会上讲话" in toc["text"]
    assert buttons(toc), "sections can be tapped"
    since = len(stub.calls)
    first = buttons(toc)[0]
    stub.callback(first["callback_data"], sent_message(stub, toc))
    shown = (await stub.wait_for("sendMessage", since=since))[0].params
    heading = first["text"].rstrip("…")
    assert shown["text"].startswith("📄 <b>") and heading in shown["text"].split("\n", 1)[0]


async def test_no_answer_says_so_with_suggestions_and_no_quote(bot, stub):
    holder: LibraryHolder = bot.bot_data.holder

    class Unanswered:
        """A library that answers nothing, suggesting two real sections."""

        documents = holder.library.documents

        commitments_ready = True

        def ask(self, question: str, scope: str | None = None, top_k: int = 3) -> Reply:
            sections = self.documents[0].sections[:2]
            weak = tuple(Passage(self.documents[0].name, s.path, "…", "", (), 0.1, section_id=s.id)
                         for s in sections)
            return NoAnswer(question, weak)

        def position(self, name: str) -> int | None:
            return 0 if name == self.documents[0].name else None

    holder.swap(Unanswered())  # type: ignore[arg-type]
    reply = await ask(stub, "月球基地什么时候建成")
    assert NO_ANSWER in reply["text"] and "可以试试这些章节" in reply["text"]
    assert "<blockquote" not in reply["text"]
    if holder.documents[0].sections:
        assert len(buttons(reply)) == 2
        since = len(stub.calls)
        stub.callback(buttons(reply)[0]["callback_data"], sent_message(stub, reply))
        assert (await stub.wait_for("sendMessage", since=since))[0].params["text"].startswith("📄")


async def test_html_in_the_question_is_escaped_everywhere(bot, stub):
    nasty = "<b>x</b> & <script>alert(1)</script> 基础配套"
    reply = await ask(stub, nasty)
    assert "<script>" not in reply["text"]
    holder: LibraryHolder = bot.bot_data.holder
    holder.swap(
        type(
            "Nothing",
            (),
            {"documents": (), "commitments_ready": True,
             "ask": lambda self, q, scope=None, top_k=3: NoAnswer(q)},
        )()
    )
    reply = await ask(stub, nasty)
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;" in reply["text"]
    assert parse_html(reply["text"]).count("<script>") == 1, "shown to the user as typed"


async def test_a_5000_character_question_is_answered_within_limits(bot, stub):
    reply = await ask(stub, ("基础配套" * 1250)[:5000])
    assert utf16_len(parse_html(reply["text"])) <= 4096


async def test_long_passages_are_split_into_valid_messages(bot, stub):
    holder: LibraryHolder = bot.bot_data.holder
    text = "".join(f"第{i}句，推进基础配套建设，<确保>质量&进度。" for i in range(400))
    passage = Passage(
        doc="d.txt",
        section=("二、重点工作",),
        text=text,
        highlight="第7句，推进基础配套建设，<确保>质量&进度。",
        outline=("一要推进路网配套", "二要推进生态配套"),
        score=1.0,
        title="测试<文档>",
    )

    class Long:
        documents = ()
        commitments_ready = True

        def ask(self, question: str, scope: str | None = None, top_k: int = 3) -> Reply:
            return PassageAnswer(question, (passage,))

        def position(self, name: str) -> int | None:
            return None

    holder.swap(Long())  # type: ignore[arg-type]
    since = len(stub.calls)
    stub.message("很长的答案")
    parts = await stub.wait_for("sendMessage", count=2, since=since)
    await stub.wait_for("sendMessage", count=len(text) // 4000 + 1, since=since)
    parts = stub.of("sendMessage", since)
    assert all(utf16_len(parse_html(p.params["text"])) <= 4096 for p in parts)
    assert (
        parts[0]
        .params["text"]
        .startswith("📄 <b>测试&lt;文档&gt; › 二、重点工作</b>\n1. 一要推进路网配套\n2. 二要")
    )
    assert all("<blockquote expandable>" in p.params["text"] for p in parts)
    assert "".join(parse_html(p.params["text"]).split("\n")[-1] for p in parts) == text
    assert not buttons(parts[0].params), "one result: no paging; buttons only on the last part"


async def test_emoji_only_and_stickers_get_a_hint(bot, stub):
    reply = await ask(stub, "😀🎉👍")
    assert reply["text"] == NOT_TEXT
    since = len(stub.calls)
    stub.sticker()
    assert (await stub.wait_for("sendMessage", since=since))[0].params["text"] == NOT_TEXT
    assert not stub.of("sendChatAction")


# -- groups ----------------------------------------------------------------------------


async def test_group_ask_command_with_and_without_botname(bot, stub):
    for text in (f"/ask {QUESTION}", f"/ask@{BOT_USERNAME} {QUESTION}"):
        since = len(stub.calls)
        update = stub.message(text, chat="supergroup")
        reply = (await stub.wait_for("sendMessage", since=since))[0].params
        assert "<blockquote" in reply["text"]
        assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]
    reply = await ask(stub, "/ask", chat="supergroup")
    assert reply["text"] == ASK_USAGE


async def test_group_mentions_and_replies_are_answered_other_chatter_is_not(bot, stub):
    stub.message("今天中午吃什么？", chat="supergroup")
    stub.message("@someone_else 基础配套", chat="supergroup")
    stub.sticker(chat="supergroup")
    stub.message(f"/ask@other_bot {QUESTION}", chat="supergroup")
    mention = await ask(stub, f"@{BOT_USERNAME} {QUESTION}", chat="supergroup")
    assert "<blockquote" in mention["text"]

    bot_message = {
        "message_id": 777,
        "date": 0,
        "chat": stub.chat("supergroup"),
        "text": "之前的回答",
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "bot", "username": BOT_USERNAME},
    }
    reply = await ask(stub, "那生态配套呢？", chat="supergroup", reply_to=bot_message)
    assert "<blockquote" in reply["text"]
    # Only the mention and the reply were answered.
    assert len(stub.of("sendMessage")) == 2


# -- inline mode -----------------------------------------------------------------------


async def test_inline_query_lists_top_passages_with_rendered_quotes(bot, stub):
    since = len(stub.calls)
    stub.inline(QUESTION)
    params = (await stub.wait_for("answerInlineQuery", since=since))[0].params
    results = params["results"]
    assert 1 <= len(results) <= 3
    for result in results:
        assert result["type"] == "article" and result["title"] and result["description"]
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML" and "<blockquote" in content["message_text"]
    since = len(stub.calls)
    stub.inline("")
    assert (await stub.wait_for("answerInlineQuery", since=since))[0].params["results"] == []


async def test_the_token_never_reaches_a_user(bot, stub):
    await ask(stub, QUESTION)
    await ask(stub, "/help")
    assert all(TOKEN not in str(c.params) for c in stub.calls)
