"""Rendering rules, on hand-made passages: escaping, highlighting, outline, splitting, limits."""

from __future__ import annotations

import re

import pytest
from botapi_stub import parse_html

from bot import render
from retrieval.models import Passage
from retrieval.reply import NoAnswer, PassageAnswer


def passage(
    text: str, highlight: str = "", outline: tuple[str, ...] = (), section=("二、重点工作",)
) -> Passage:
    return Passage(
        doc="speech.txt",
        section=section,
        text=text,
        highlight=highlight,
        outline=outline,
        score=1.0,
        title="xx区2022年经济工作会上讲话",
    )


def test_header_quote_and_bold_highlight():
    [message] = render.passage_messages(passage("第一句。第二句重要。第三句。", highlight="第二句重要。"))
    assert message == (
        "📄 <b>xx区2022年经济工作会上讲话 › 二、重点工作</b>\n"
        "<blockquote>第一句。<b>第二句重要。</b>第三句。</blockquote>"
    )


def test_document_and_user_text_is_escaped():
    p = Passage(
        doc="d",
        section=("<i>章节</i>",),
        text="a<b>&c</b> 5 > 3",
        highlight="&c",
        outline=("<x>",),
        score=1,
        title="T&<T>",
    )
    [message] = render.passage_messages(p)
    assert parse_html(message) == "📄 T&<T> › <i>章节</i>\n1. <x>\na<b>&c</b> 5 > 3"
    assert "<b>&amp;c</b>" in message
    no_answer = render.no_answer_message(NoAnswer("<script>&", (passage("x", section=("<二>",)),)))
    assert "&lt;script&gt;&amp;" in no_answer and "&lt;二&gt;" in no_answer
    assert parse_html(no_answer)  # well-formed


def test_highlight_not_in_text_means_no_bold():
    [message] = render.passage_messages(passage("第一句。第二句。", highlight="不在原文里。"))
    assert "<b>" not in message.split("<blockquote>")[1]


def test_outline_is_numbered_above_the_quote():
    [message] = render.passage_messages(
        passage("一要推进路网配套。二要推进生态配套。", outline=("一要推进路网配套", "二要推进生态配套"))
    )
    head, quote = message.split("<blockquote>")
    assert head.endswith("</b>\n1. 一要推进路网配套\n2. 二要推进生态配套\n")
    assert "一要推进路网配套" in quote


def test_long_quotes_are_expandable_short_ones_not():
    assert "<blockquote expandable>" in render.passage_messages(passage("很长的一句话。" * 100))[0]
    assert "<blockquote>" in render.passage_messages(passage("短句。"))[0]


@pytest.mark.parametrize(
    "unit", ["推进基础配套建设，确保质量进度。", "😀表情符号占两个单位！", "&<>需要转义的符号；"]
)
def test_splitting_keeps_every_message_within_4096_and_loses_nothing(unit):
    text = unit * 1000
    messages = render.passage_messages(
        passage(text, highlight=unit * 3, outline=("一要", "二要")), max_parts=99
    )
    assert len(messages) > 1
    for message in messages:
        assert render.utf16_len(parse_html(message)) <= render.MAX_MESSAGE
        assert message.count("<blockquote") == message.count("</blockquote>") == 1
    assert messages[0].startswith("📄") and not any(m.startswith("📄") for m in messages[1:])
    quoted = "".join(re.search(r"<blockquote[^>]*>(.*)</blockquote>", m, re.S).group(1) for m in messages)
    assert parse_html(quoted) == text
    assert all(parse_html(m).endswith(unit[-1]) for m in messages), "cut at sentence ends"


def test_a_sentence_longer_than_a_message_is_cut_hard_but_valid():
    text = "没有句号的超长段落" * 1000 + "。"
    messages = render.passage_messages(passage(text, highlight=text), max_parts=99)
    assert all(render.utf16_len(parse_html(m)) <= render.MAX_MESSAGE for m in messages)
    assert "".join(parse_html(m).split("\n")[-1] for m in messages) == text
    assert all("<b>" in m for m in messages), "the highlight is bold in every part it spans"


def test_max_parts_cuts_with_an_ellipsis():
    [message] = render.passage_messages(passage("推进基础配套建设。" * 1000), max_parts=1)
    assert message.endswith(render.MORE + "</blockquote>")
    assert render.utf16_len(parse_html(message)) <= render.MAX_MESSAGE


def test_sentences_cover_the_text():
    text = "第一句。第二句！“引号里的话。”第三句？\n没有标点的结尾"
    spans = render.sentences(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert text[spans[2][0] : spans[2][1]] == "“引号里的话。”"


def test_no_answer_has_suggestions_and_no_quote():
    answer = NoAnswer("月球基地", (passage("x", section=("二、重点工作", "二是基础配套")),))
    message = render.no_answer_message(answer)
    assert render.NO_ANSWER in message and "二、重点工作 › 二是基础配套" in message
    assert "blockquote" not in message
    weak = NoAnswer("q", (passage("x", section=("三、要求",)), passage("y", section=("三、要求",))))
    assert render.no_answer_message(weak).count("三、要求") == 1, "each weak result's section once"


def test_plain_text_names_the_highlight_for_the_console_without_markup():
    p = passage("第一句。第二句重要。", highlight="第二句重要。", outline=("一要",))
    text = render.reply_text(PassageAnswer("q", (p, passage("别的段落。", section=("三、",)))))
    assert text.splitlines()[:4] == [
        "📄 xx区2022年经济工作会上讲话 › 二、重点工作",
        "1. 一要",
        "> 第一句。第二句重要。",
        "最相关的一句：第二句重要。",
    ]
    assert "**" not in text and "<b>" not in text
    assert "其他相关段落" in text and "三、" in text
    assert render.NO_ANSWER in render.reply_text(NoAnswer("q"))


def test_table_of_contents_drops_deeper_levels_when_too_long():
    entries = [render.TocEntry(0, None, "文档", 0)] + [
        render.TocEntry(0, i, f"第{i}节" + "很长的小标题" * 5, 1 + i % 2) for i in range(300)
    ]
    message = render.toc_message(entries)
    assert render.utf16_len(parse_html(message)) <= render.MAX_MESSAGE
    assert "第0节" in message and "第1节" not in message, "level 2 dropped, level 1 kept"
