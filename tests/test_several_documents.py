"""A library of several documents: which one a question is about, and when several answer."""

from __future__ import annotations

import io

import pytest
from botapi_stub import ask, buttons, parse_html, sent_message

from bot import render
from cli import console
from retrieval.document import build_document
from retrieval.library import Library
from retrieval.reply import PassageAnswer


def report(year: int, place: str, growth: str, jobs: str) -> str:
    return f"""{year}年{place}政府工作报告
各位代表：
一、{year - 1}年工作回顾
过去一年，全省经济稳中有进，新增就业{jobs}万人。
二、{year}年主要目标任务
今年经济社会发展的主要预期目标是：地区生产总值增长{growth}左右，城镇新增就业{jobs}万人以上。
（一）扩大有效需求。实施提振消费专项行动。
（二）发展现代化产业体系。培育新兴产业和未来产业。
"""


@pytest.fixture(scope="module")
def library() -> Library:
    return Library((
        build_document("2024年江苏省政府工作报告.txt", report(2024, "江苏省", "5.5%", "60")),
        build_document("2025年江苏省政府工作报告.txt", report(2025, "江苏省", "5%", "65")),
        build_document("2025年山东省政府工作报告.txt", report(2025, "山东省", "6%", "40")),
    ))


def test_a_question_naming_a_document_is_answered_from_it(library):
    for question, doc, figure in [
        ("山东省今年地区生产总值增长目标是多少", "2025年山东省政府工作报告.txt", "6%"),
        ("2024年江苏省政府工作报告的生产总值增长目标", "2024年江苏省政府工作报告.txt", "5.5%"),
        ("江苏省2025年新增就业目标", "2025年江苏省政府工作报告.txt", "65万人"),
    ]:
        reply = library.ask(question)
        assert isinstance(reply, PassageAnswer) and reply.answer.doc == doc, question
        assert figure in reply.answer.highlight and not reply.also, "a named document answers alone"


def test_a_question_naming_none_prefers_the_newest_and_says_where_else(library):
    reply = library.ask("今年地区生产总值增长目标是多少")
    assert isinstance(reply, PassageAnswer)
    assert reply.answer.doc.startswith("2025年"), "今年 without a year: the newest documents"
    others = {p.doc for p in reply.also}
    assert reply.answer.doc not in others and len(others) == 2, "the other two reports answer too"


def test_the_console_names_the_other_documents(library, tmp_path):
    for document in library.documents:
        (tmp_path / document.name).write_text(document.text, encoding="utf-8")
    out = io.StringIO()
    console.chat(tmp_path, 3, stdin=io.StringIO("今年地区生产总值增长目标是多少\n"), stdout=out)
    text = out.getvalue()
    assert "也见于：" in text and text.count("• ") >= 2


async def test_the_bot_offers_a_button_per_other_document(bot, stub, library):
    bot.bot_data.holder.swap(library)
    reply = await ask(stub, "今年地区生产总值增长目标是多少")
    assert "也见于：" in parse_html(reply["text"])
    also = [b for b in buttons(reply) if b["text"].startswith("也见于：")]
    assert len(also) == 2
    since = len(stub.calls)
    stub.callback(also[0]["callback_data"], sent_message(stub, reply))
    shown = (await stub.wait_for("sendMessage", since=since))[0].params
    title = also[0]["text"].removeprefix("也见于：").rstrip("…")
    assert parse_html(shown["text"]).startswith(f"📄 {title}") and "<blockquote" in shown["text"]


async def test_inline_mode_lists_each_document_as_a_result(bot, stub, library):
    bot.bot_data.holder.swap(library)
    since = len(stub.calls)
    stub.inline("今年地区生产总值增长目标是多少")
    results = (await stub.wait_for("answerInlineQuery", since=since))[0].params["results"]
    titles = {parse_html(r["input_message_content"]["message_text"]).split(" › ")[0] for r in results}
    assert len(titles) == 3, "each report that answers is offered"


def test_also_line_names_titles():
    passage = library_passage("甲")
    assert render.also_line((passage,)) == "也见于：甲" and render.also_line(()) == ""


def library_passage(title: str):
    from retrieval.models import Passage

    return Passage("d.txt", ("一、",), "正文。", "正文。", (), 1.0, title=title)
