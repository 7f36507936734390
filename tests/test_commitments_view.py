"""The commitments view: which questions get a listing, the pages' HTML and limits, the buttons."""

from __future__ import annotations

import pytest
from botapi_stub import parse_html, utf16_len

from bot import commitments_view as view
from bot import keyboards, render
from bot.keyboards import Kind
from bot.state import LibraryHolder, Recent
from retrieval.commitments import Commitment, commitment_passage
from retrieval.library import Library
from retrieval.reply import Listing, PassageAnswer

TITLES = {"d.txt": "测试<文档>"}


def commitment(
    text: str,
    section: tuple[str, ...] = ("二、重点工作",),
    *,
    kind: str = "task",
    quantities: tuple[str, ...] = (),
    deadline: str | None = None,
    doc: str = "d.txt",
) -> Commitment:
    return Commitment(doc=doc, section=section, text=text, start=0, end=len(text),
                      kind=kind, quantities=quantities, deadline=deadline)  # type: ignore[arg-type]


def item_lines(message: str) -> list[str]:
    return [line for line in parse_html(message).split("\n") if line[:1].isdigit()]


# -- which questions get a listing -----------------------------------------------------------


def test_list_questions_get_commitments_other_questions_do_not(seed_library: Library) -> None:
    month_end = seed_library.ask("哪些任务要在月底前完成")
    assert isinstance(month_end, Listing)
    assert all("月底前" in (c.deadline or "") for c in month_end.commitments)
    assert isinstance(seed_library.ask("今年的量化指标有哪些"), Listing)
    assert not isinstance(seed_library.ask("xx区的发展思路是什么"), Listing)
    # Every commitment matches on the year alone: no listing, the passage search does better.
    assert isinstance(seed_library.ask("2022年基础配套有哪些任务"), PassageAnswer)
    assert not isinstance(Library(()).ask("哪些任务要在月底前完成"), Listing)


# -- items -----------------------------------------------------------------------------------


def test_document_text_is_escaped_and_quantities_and_deadline_are_bold() -> None:
    item = commitment("<b>投资</b> & 完成 X 亿元，6 月底前开工", kind="deadline",
                      quantities=("X 亿元",), deadline="6 月底前")
    message = view.page_message([item], 0, TITLES, "<script>")
    assert "&lt;b&gt;投资&lt;/b&gt; &amp; 完成 <b>X 亿元</b>，<b>6 月底前</b>开工" in message
    assert "「&lt;script&gt;」" in message and "📄 <b>测试&lt;文档&gt; › 二、重点工作</b>" in message
    assert item_lines(message) == ["1. ⏰ <b>投资</b> & 完成 X 亿元，6 月底前开工"]


def test_kinds_are_marked() -> None:
    items = [commitment("甲", kind="target"), commitment("乙", kind="deadline"), commitment("丙")]
    assert item_lines(view.page_message(items, 0, TITLES)) == ["1. 🎯 甲", "2. ⏰ 乙", "3. 📌 丙"]


def test_overlapping_emphasis_is_merged() -> None:
    assert view.emphasis_spans("全年完成 X 亿元以上", ["X 亿元以上", "X 亿元"]) == [(5, 11)]
    assert view.emphasis_spans("X 个和 X 个", ["X 个"]) == [(0, 3), (5, 8)]


# -- pages -----------------------------------------------------------------------------------


def test_items_are_grouped_by_document_and_section_and_numbered_across_pages() -> None:
    first, second = ("二、重点工作", "一是规划"), ("二、重点工作", "二是配套")
    items = [commitment(f"规划{i}", first) for i in range(5)]
    items += [commitment(f"配套{i}", second) for i in range(7)]
    page1 = parse_html(view.page_message(items, 0, TITLES))
    assert page1.count("📄 ") == 2
    assert page1.index("一是规划") < page1.index("规划4") < page1.index("二是配套")
    assert "共 12 项（第 1/2 页）" in page1
    page2 = parse_html(view.page_message(items, 1, TITLES))
    assert page2.count("📄 ") == 1 and "二是配套" in page2, "a page repeats the header it starts under"
    numbers = [line.split(".")[0] for line in item_lines(view.page_message(items, 1, TITLES))]
    assert numbers == ["9", "10", "11", "12"]
    other_doc = [commitment("甲", first), commitment("乙", first, doc="e.txt")]
    assert parse_html(view.page_message(other_doc, 0, TITLES)).count("📄 ") == 2


@pytest.mark.parametrize("unit", ["很", "😀", "<&>"])
def test_a_page_of_huge_items_stays_within_telegram_limits(unit: str) -> None:
    section = ("很长的章节标题" * 40,)
    item = commitment(unit * 3000 + "X 亿元", section, quantities=("X 亿元",))
    items = [item] * view.PAGE_SIZE
    message = view.page_message(items, 0, TITLES)
    assert utf16_len(parse_html(message)) <= render.MAX_MESSAGE
    assert all(line.endswith("…") for line in item_lines(message)), "cut items say so"
    assert len(item_lines(message)) == view.PAGE_SIZE


def test_a_cut_inside_a_bold_quantity_keeps_the_html_well_formed() -> None:
    item = commitment("很" * 395 + "投资 X 亿元", quantities=("X 亿元",))
    message = view.page_message([item], 0, TITLES)
    parse_html(message)  # raises on unbalanced tags
    assert item_lines(message)[0].endswith("…")


def test_empty_results_are_polite_and_escaped() -> None:
    assert view.empty_message() == view.NONE_FOUND
    assert "「&lt;火星&gt;」" in view.empty_message("<火星>")


# -- buttons -----------------------------------------------------------------------------------


def labels(markup) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]


def test_one_page_has_item_buttons_only() -> None:
    markup = view.listing_keyboard(1, "a", 0, 3)
    assert labels(markup) == [["1", "2", "3"]]


def test_paged_listing_has_numbered_items_and_wrapping_page_buttons() -> None:
    markup = view.listing_keyboard(3, "1f", 1, 20)
    assert labels(markup) == [
        ["9", "10", "11", "12"], ["13", "14", "15", "16"], ["◀ 上一页", "2/3", "下一页 ▶"]
    ]
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    item, page = Kind.LISTING_ITEM, Kind.LISTING_PAGE
    assert keyboards.parse_callback(data[0], item) == keyboards.Callback(item, 3, "1f", 8)
    assert keyboards.parse_callback(data[-3], page) == keyboards.Callback(page, 3, "1f", 0)
    assert keyboards.parse_callback(data[-1], page) == keyboards.Callback(page, 3, "1f", 2)
    assert data[-2] == keyboards.NOOP
    last = view.listing_keyboard(3, "1f", 2, 20)
    wrapped = keyboards.parse_callback(last.inline_keyboard[-1][-1].callback_data, Kind.LISTING_PAGE)
    assert wrapped is not None and wrapped.index == 0, "wraps around"


def test_callback_data_fits_64_bytes_at_the_largest_ids() -> None:
    markup = view.listing_keyboard(999_999_999, "f" * 12, 1249, 99_999)
    for row in markup.inline_keyboard:
        for button in row:
            assert len(button.callback_data.encode()) <= keyboards.MAX_CALLBACK_BYTES
            data = button.callback_data
            assert data == keyboards.NOOP or any(keyboards.parse_callback(data, k) for k in Kind)


# -- an item opened, the listing store -----------------------------------------------------------


def test_an_opened_item_is_its_chunk_quoted_with_the_commitment_bold(seed_library: Library) -> None:
    document = seed_library.documents[0]
    for item in seed_library.commitments():
        passage = commitment_passage(document, item)
        assert item.text in passage.text and passage.highlight == item.text
        assert passage.title == document.title
    parks = next(c for c in seed_library.commitments() if "三大主题公园" in c.text)
    message = render.passage_messages(commitment_passage(document, parks))[0]
    assert f"<b>{render.escape(parks.text)}" in message and "<blockquote" in message


def test_listings_are_bounded_and_tied_to_their_generation(seed_library: Library) -> None:
    holder = LibraryHolder(seed_library)
    holder.recent = Recent(capacity=2)
    ids = [holder.recent.add(Listing("q", (), ())) for _ in range(3)]
    assert holder.recent.get(ids[0]) is None, "the oldest is evicted"
    assert holder.recent.get(ids[2]) is not None
    holder.swap(seed_library)
    assert holder.recent.get(ids[2]) is None, "a listing made before a reload is stale"
    assert holder.recent.get("zzz") is None
