"""Passages: exact offsets, nothing lost or doubled, size limits, paths and list outlines.

Texts go through clean_text first, so these tests keep holding as cleaning improves.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

import pytest

from retrieval.chunks import GROUP_CHARS, MAX_CHARS, make_chunks, outline_of
from retrieval.clean import clean_text
from retrieval.document import build_document
from retrieval.models import Chunk
from retrieval.structure import find_sections

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "xx_district_2022_economic_work_speech.txt"
CORPUS = Path(os.environ.get("SPEECHBOT_CORPUS", ROOT.parent / "shared" / "corpus"))
DOCUMENTS = ("seed", "gov_report_2022_national", "gov_report_1981_national", "gov_report_2025_xizang",
             "gov_report_2025_yunnan", "policy_2022_baotou_digital_government_assessment",
             "speech_2018_xi_poverty_alleviation_symposium",
             "speech_2020_xi_epidemic_and_economy_deployment_meeting",
             "speech_county_economic_work_conference_excerpt")

REVIEW = "一、2021 年工作回顾"
TASKS = "二、2022 年的重点工作"


def load(name: str) -> str:
    path = SEED if name == "seed" else CORPUS / f"{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    return clean_text(path.read_text(encoding="utf-8"))


def chunk(text: str) -> tuple[Chunk, ...]:
    """The passages, each with its outline (make_chunks leaves it to be worked out as asked)."""
    return tuple(dataclasses.replace(c, outline=outline_of(text, c))
                 for c in make_chunks("doc.txt", text, find_sections(text)))


def chunks_of(raw: str) -> tuple[Chunk, ...]:
    return chunk(clean_text(raw))


@pytest.fixture(scope="module")
def seed() -> tuple[Chunk, ...]:
    return chunk(load("seed"))


def containing(chunks: tuple[Chunk, ...], words: str) -> Chunk:
    found = [c for c in chunks if words in c.text]
    assert len(found) == 1, f"{words!r} is in {len(found)} chunks"
    return found[0]


# --- Invariants on every real document ----------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_chunks_quote_the_text_exactly_and_cover_all_of_it_once(name):
    text = load(name)
    chunks = chunk(text)
    covered = [0] * len(text)
    for c in chunks:
        assert c.text == text[c.start:c.end]
        assert c.text.strip() == c.text and c.text
        assert len(c.text) <= MAX_CHARS
        assert c.doc == "doc.txt"
        for i in range(c.start, c.end):
            covered[i] += 1
    assert max(covered) == 1  # no overlap
    lost = [i for i, n in enumerate(covered) if n == 0 and not text[i].isspace()]
    assert not lost, text[lost[0]:lost[0] + 30]
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_chunk_path_is_a_section_or_the_preamble(name):
    text = load(name)
    section_paths = {s.path for s in find_sections(text)}
    for c in chunk(text):
        assert c.path == () or c.path in section_paths


# --- The seed speech ----------------------------------------------------------------------------


def test_one_chunk_per_seed_item(seed):
    review = [c.path for c in seed if c.path[:1] == (REVIEW,) and len(c.path) == 2]
    assert review == [(REVIEW, "一是发展水平显著提升"), (REVIEW, "二是项目建设快速推进"),
                      (REVIEW, "三是”三区”建设协调发展"), (REVIEW, "四是借智创新深入推进")]


def test_seed_list_inside_an_item_is_its_outline(seed):
    infrastructure = containing(seed, "二是进一步加强基础配套")
    assert infrastructure.path == (TASKS, "二是进一步加强基础配套")
    assert infrastructure.text.startswith("二是进一步加强基础配套。")
    assert infrastructure.outline == (
        "一要推进路网配套", "二要推进生态环境配套", "三要推进社会事业配套", "四要推进商业体育运动配套",
        "五要推进城市功能配套", "六要推进土地收储配套", "七要推进保障性安居工程配套",
        "八要推进城市重心北迁服务配套")


def test_paragraphs_after_the_last_item_belong_to_the_section(seed):
    problems = containing(seed, "矛盾和问题")
    assert problems.path == (REVIEW,)
    assert problems.outline[:2] == ("一是历史负债沉重", "二是缺乏大项目")
    assert len(problems.outline) == 6
    assert containing(seed, "同时,我们还在党建").path == (REVIEW,)
    assert containing(seed, "我们这些成绩的取得").path == (REVIEW,)


def test_section_text_before_its_first_item_and_the_preamble(seed):
    assert seed[0].path == ()
    assert "同志们" in seed[0].text
    intro = containing(seed, "发展思路和奋斗目标")
    assert intro.path == (TASKS,) and intro.text.startswith(TASKS)


def test_an_outline_is_worked_out_when_asked_the_same_after_the_document_cache():
    text = load("seed")
    document = build_document("xx.txt", text)
    assert all(c.outline is None and c.span is not None for c in document.chunks)
    expected = [outline_of(document.text, c) for c in document.chunks]
    assert any(expected)
    unpickled = pickle.loads(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
    assert [unpickled.outline(c) for c in unpickled.chunks] == expected
    assert [document.outline(c) for c in document.chunks] == expected  # the spans' lists kept
    given = dataclasses.replace(document.chunks[0], outline=("一要", "二要"))
    assert document.outline(given) == ("一要", "二要")  # an outline given is the outline


# --- Corpus passages ----------------------------------------------------------------------------


def test_run_on_speech_is_cut_at_its_sections():
    chunks = chunk(load("speech_2020_xi_epidemic_and_economy_deployment_meeting"))
    first = containing(chunks, "一是及时制定疫情防控战略策略")
    assert first.path == ("一、关于前一段疫情防控工作", "一是及时制定疫情防控战略策略")
    assert first.text.startswith("一是及时制定疫情防控战略策略。")
    assert containing(chunks, "同志们：今天").path == ()


def test_restarted_one_line_items_stay_in_their_parent_passage():
    chunks = chunk(load("gov_report_1981_national"))
    technical = containing(chunks, "一、节约能源，节约原材料")
    assert technical.path == ("（二）今后经济建设的方针",
                              "四、有重点有步骤地进行技术改造，充分发挥现有企业的作用")
    assert technical.outline == ("一、节约能源", "二、改革产品结构", "三、合理地利用资源")


def test_a_bare_heading_line_opens_its_first_child_passage():
    chunks = chunk(load("gov_report_2025_yunnan"))
    assert not any(c.text == "名词解释" for c in chunks)
    glossary = containing(chunks, "名词解释")
    assert glossary.path == ("名词解释", "1.“两重”")
    assert glossary.text.startswith("名词解释\n1.“两重”：")


def test_dash_bullets_are_an_outline():
    chunks = chunk(load("gov_report_2022_national"))
    review = containing(chunks, "——经济保持恢复发展")
    assert review.outline[:2] == ("——经济保持恢复发展", "——创新能力进一步增强")
    assert len(review.outline) == 7


# --- Splitting long sections --------------------------------------------------------------------


def test_long_item_is_split_at_paragraphs_into_pieces_of_similar_size():
    paragraphs = [f"第{n}段。" + "推进项目建设，" * 40 + "取得成效。" for n in range(1, 9)]  # 8 × ~295
    raw = "引言。\n一、重点工作\n" + "\n".join(paragraphs)
    chunks = [c for c in chunks_of(raw) if c.path == ("一、重点工作",)]
    assert len(chunks) == 2
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert chunks[1].text.startswith("第5段。")  # 4 + 4 paragraphs, not 4 + 3 + 1


def test_a_paragraph_longer_than_the_limit_is_split_at_sentences_then_commas():
    sentence = "加快推进项目建设，" * 20 + "确保取得实效。"  # ~187 characters
    long_sentence = "，".join(["持续优化营商环境"] * 200) + "。"  # ~1,800 characters, commas only
    raw = "引言。\n一、重点工作\n" + sentence * 10 + long_sentence
    chunks = [c for c in chunks_of(raw) if c.path == ("一、重点工作",)]
    assert len(chunks) >= 3
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.text.endswith(("。", "，")) for c in chunks)


def test_unheaded_paragraphs_are_grouped_into_passages_of_moderate_size():
    paragraphs = [f"第{n}段。" + "继续做好各项工作，" * 15 + "推动发展。" for n in range(1, 11)]  # 10 × ~145
    raw = "各位代表：\n" + "\n".join(paragraphs)
    chunks = chunks_of(raw)
    assert all(c.path == () for c in chunks)
    assert 2 <= len(chunks) <= 3
    assert all(len(c.text) <= GROUP_CHARS for c in chunks)


def test_short_tail_is_merged_into_the_previous_passage():
    raw = "引言。\n一、重点工作\n" + "推进项目建设，加快发展。" * 100 + "\n最后一句。"
    chunks = [c for c in chunks_of(raw) if c.path == ("一、重点工作",)]
    assert not any(c.text == "最后一句。" for c in chunks)
    assert chunks[-1].text.endswith("最后一句。")


def test_short_section_is_one_chunk_with_heading_and_body():
    chunks = chunks_of("引言。\n一、总体要求\n坚持稳中求进。\n做好各项工作。\n二、重点任务\n扩大内需。")
    assert [(c.path, c.text) for c in chunks] == [
        ((), "引言。"), (("一、总体要求",), "一、总体要求\n坚持稳中求进。\n做好各项工作。"),
        (("二、重点任务",), "二、重点任务\n扩大内需。")]


def test_a_top_level_heading_with_nothing_under_it_keeps_its_own_path():
    text = clean_text("讲话\n同志们：今天召开会议。\n一、关于去年的工作\n去年完成了各项任务。\n"
                      "二、关于今年的工作\n三、关于作风建设\n要加强作风建设，提高效率。\n")
    chunks = make_chunks("s.txt", text, find_sections(text))
    bare = next(c for c in chunks if c.text.startswith("二、关于今年的工作"))
    assert bare.path == ("二、关于今年的工作",)
