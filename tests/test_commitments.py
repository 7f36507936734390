"""Commitment extraction: measured against hand labels, plus the rules one by one.

The labels (tests/labels/, see its README) were written by reading the documents, before
the extractor was tuned. `pytest -s tests/test_commitments.py` prints the figures.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli.main import main
from retrieval.commitments import (
    Commitment,
    answer_from_commitments,
    contains_any_word,
    extract_commitments,
    find_deadline,
    find_quantities,
    load_rules,
    search_commitments,
)
from retrieval.document import build_document, load_document
from retrieval.models import Document, Section
from retrieval.question import parse_question
from retrieval.text.normalize import compact

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "labels"
SEED = ROOT / "data" / "xx_district_2022_economic_work_speech.txt"
CORPUS = Path(os.environ.get("SPEECHBOT_CORPUS", ROOT.parent / "shared" / "corpus"))

MIN_RECALL = 0.90
MIN_PRECISION = 0.85


def listing(question: str, commitments: tuple[Commitment, ...]) -> list[Commitment] | None:
    """The commitments listing that answers a question (its intent read by parse_question)."""
    return answer_from_commitments(parse_question(question).commitments, commitments)


@pytest.fixture(scope="module")
def seed() -> Document:
    return load_document(SEED)


@pytest.fixture(scope="module")
def seed_commitments(seed: Document) -> tuple[Commitment, ...]:
    return extract_commitments(seed)


def only(commitments: tuple[Commitment, ...], key: str) -> Commitment:
    found = [c for c in commitments if compact(key) in compact(c.text)]
    assert len(found) == 1, f"{key!r} is in {len(found)} commitments"
    return found[0]


# --- Precision and recall against the hand labels -------------------------------------------


def read_label_keys(path: Path) -> list[str]:
    return [json.loads(line)["key"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def precision_recall(commitments: tuple[Commitment, ...], keys: list[str]) -> tuple[float, float]:
    """Precision: share of extracted items containing a label; recall: share of labels found in an item.

    Labels cover whole documents, so every extracted item counts."""
    texts = [compact(c.text) for c in commitments]
    wanted = [compact(k) for k in keys]
    correct = sum(1 for text in texts if any(k in text for k in wanted))
    found = sum(1 for k in wanted if any(k in text for text in texts))
    return correct / max(len(texts), 1), found / len(wanted)


def within(document: Document, span: tuple[str, str] | None) -> tuple[int, int]:
    """[start, end) of the labelled part: from the first marker string up to the second."""
    if span is None:
        return 0, len(document.text)
    start = document.text.index(span[0])
    return start, document.text.index(span[1], start)


@pytest.mark.parametrize(
    ("labels", "document_path", "span"),
    [
        ("seed_commitments.jsonl", SEED, None),
        ("gov_report_2025_xizang_commitments.jsonl", CORPUS / "gov_report_2025_xizang.txt", None),
        ("gov_report_2025_yunnan_heldout_commitments.jsonl", CORPUS / "gov_report_2025_yunnan.txt",
         ("（一）统筹消费和投资", "（三）")),
    ],
)
def test_extraction_meets_precision_and_recall_targets(labels: str, document_path: Path,
                                                        span: tuple[str, str] | None) -> None:
    if not document_path.exists():
        pytest.skip(f"{document_path} not available (set SPEECHBOT_CORPUS)")
    keys = read_label_keys(LABELS / labels)
    document = load_document(document_path)
    start, end = within(document, span)
    commitments = tuple(c for c in extract_commitments(document) if start <= c.start < end)
    precision, recall = precision_recall(commitments, keys)
    print(f"\n{labels}: {len(commitments)} extracted, {len(keys)} labels, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert recall >= MIN_RECALL
    assert precision >= MIN_PRECISION


def test_precision_recall_counts_what_it_says() -> None:
    def item(text: str) -> Commitment:
        return Commitment(doc="d", section=(), text=text, start=0, end=len(text), kind="task")

    commitments = (item("全年力争收储土地 X 亩"), item("一要推进路网配套"), item("同步做好道路绿化"))
    keys = ["收储土地 X亩", "一要推进路网配套", "秋季正式开学"]
    assert precision_recall(commitments, keys) == (2 / 3, 2 / 3)


# --- The seed speech, case by case ---------------------------------------------------------


def test_review_achievements_are_not_commitments(seed_commitments: tuple[Commitment, ...]) -> None:
    texts = [compact(c.text) for c in seed_commitments]
    for achievement in ("完成绿化面积 X 亩", "完成土地收储整理 X 亩", "开工建设保障房 X 套"):
        assert not any(compact(achievement) in text for text in texts)


def test_land_reserve_is_a_target_with_its_acreage(seed_commitments: tuple[Commitment, ...]) -> None:
    land = only(seed_commitments, "全年力争收储土地 X 亩")
    assert land.kind == "target"
    assert land.quantities[0] == "X 亩"
    assert land.deadline is None


def test_theme_parks_have_a_month_end_deadline(seed_commitments: tuple[Commitment, ...]) -> None:
    parks = only(seed_commitments, "三大主题公园 X 月底前全部建成并投入运营")
    assert (parks.kind, parks.deadline) == ("deadline", "X 月底前")


def test_school_opening_is_due_in_autumn(seed_commitments: tuple[Commitment, ...]) -> None:
    school = only(seed_commitments, "秋季正式开学")
    assert (school.kind, school.deadline, school.quantities) == ("deadline", "秋季", ("X 所",))


def test_list_items_are_tasks(seed_commitments: tuple[Commitment, ...]) -> None:
    item = only(seed_commitments, "六要推进土地收储配套")
    assert (item.kind, item.quantities, item.deadline) == ("task", (), None)


def test_lead_in_before_the_first_marker_is_trimmed(seed_commitments: tuple[Commitment, ...]) -> None:
    water = only(seed_commitments, "两个以上水饮品产业项目落地")
    assert water.text.startswith("确保全年有两个以上")
    assert water.quantities == ("两个以上",)


def test_heading_is_cut_from_a_commitment_that_runs_on_from_it() -> None:
    text = "二、2022 年的重点工作 确保全年生产总值增长 X%以上。"
    heading_end = text.index(" 确保")
    document = Document(name="t.txt", title="2022年讲话", text=text, chunks=(), year=2022,
                        sections=(Section(("二、2022 年的重点工作",), 0, heading_end, len(text)),))
    (commitment,) = extract_commitments(document)
    assert commitment.text == "确保全年生产总值增长 X%以上"
    assert commitment.section == ("二、2022 年的重点工作",)


def test_commitment_text_is_the_document_span(seed: Document,
                                              seed_commitments: tuple[Commitment, ...]) -> None:
    assert seed_commitments
    for commitment in seed_commitments:
        assert seed.text[commitment.start:commitment.end] == commitment.text
        assert commitment.doc == seed.name


# --- Forward or review, on small documents ---------------------------------------------------


def commitment_texts(raw: str) -> list[str]:
    return [c.text for c in extract_commitments(build_document("t.txt", raw))]


def test_review_heading_excludes_and_forward_heading_includes() -> None:
    raw = ("xx区2022年经济工作会上讲话\n一、2021 年工作回顾\n完成绿化面积 X 亩。\n"
           "二、2022 年的重点工作\n全年力争收储土地 X 亩。")
    assert commitment_texts(raw) == ["全年力争收储土地 X 亩"]


def test_past_fact_inside_a_forward_part_is_excluded() -> None:
    raw = ("2025年政府工作报告\n2025年工作安排\n60年来，西藏经济总量翻了七番以上。\n"
           "新建和改造高标准农田20万亩。")
    assert commitment_texts(raw) == ["新建和改造高标准农田20万亩"]


def test_without_period_headings_phrasing_decides() -> None:
    raw = "讲话\n去年完成了投资 5 亿元。\n我们今年要确保完成投资 8 亿元。"
    assert commitment_texts(raw) == ["我们今年要确保完成投资 8 亿元"]


def test_prefaces_and_list_announcements_are_not_commitments() -> None:
    raw = ("2025年工作安排\n要完成全年目标任务,需要我们进一步切实增强创新意识。\n"
           "实现全年目标任务，要重点把握以下几个方面。一要聚焦主线。")
    assert commitment_texts(raw) == ["一要聚焦主线"]


# --- Quantities, deadlines, words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quantities"),
    [
        ("规模以上工业增加值增长 X%以上", ("X%以上",)),
        ("完成投资X 亿元", ("X 亿元",)),
        ("全年力争收储土地 X 亩,争取报批回 X亩", ("X 亩", "X亩")),
        ("确保全年有两个以上水饮品产业项目落地", ("两个以上",)),
        ("新建续建保障性安居工程1.79万套", ("1.79万套",)),
        ("分别控制在5%和3%以内", ("5%", "3%以内")),
        ("全力做好 X 余家机关", ("X 余家",)),
        ("财政科技投入再翻一番", ("翻一番",)),
        ("粮食产量保持在1.3万亿斤以上", ("1.3万亿斤以上",)),
        ("坚决做到“两个维护”", ()),
        ("加快G318、G219建设", ()),
        ("三大主题公园", ()),
        ("xx 区 2022 年经济工作", ()),
    ],
)
def test_find_quantities(text: str, quantities: tuple[str, ...]) -> None:
    assert find_quantities(text) == quantities


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("三大广场 X 月底前全部建成", "X 月底前"),
        ("在 6 月底前全面完成", "6 月底前"),
        ("上半年力争建成投产 X 个项目", "上半年"),
        ("秋季正式开学", "秋季"),
        ("2023 年底前全面完成", "2023 年底前"),
        ("全年力争收储土地 X 亩", None),
    ],
)
def test_find_deadline(text: str, deadline: str | None) -> None:
    assert find_deadline(text) == deadline


def test_marker_words_must_start_or_end_on_a_word_boundary() -> None:
    assert contains_any_word("全面完成国企改革", ["完成"])
    assert contains_any_word("力争建成投产", ["建成"])
    assert not contains_any_word("巩固结对共建成果", ["建成"])


def test_rules_file_has_every_group() -> None:
    rules = load_rules()
    assert "确保" in rules.target_words and "建成" in rules.result_verbs
    assert rules.list_item.search("八要推进城市重心北迁服务配套")


# --- Search and questions ------------------------------------------------------------------


def test_search_ranks_text_matches_before_section_matches() -> None:
    in_section = Commitment("d", ("二是进一步加强基础配套", "土地收储"), "完成投资 X 亿元", 0, 9, "target")
    in_text = Commitment("d", (), "全年力争收储土地 X 亩", 20, 32, "target")
    unrelated = Commitment("d", (), "秋季正式开学", 40, 46, "deadline")
    assert search_commitments([in_section, in_text, unrelated], "收储土地") == [in_text, in_section]
    assert search_commitments([unrelated], "收储土地") == []


def test_month_end_question_lists_month_end_commitments(seed_commitments: tuple[Commitment, ...]) -> None:
    answer = listing("哪些任务要在月底前完成", seed_commitments)
    assert answer is not None
    assert len(answer) == 3
    assert all("月底前" in c.deadline for c in answer)


def test_quantified_targets_question_lists_quantities(seed_commitments: tuple[Commitment, ...]) -> None:
    answer = listing("今年的量化指标有哪些", seed_commitments)
    assert answer is not None
    assert any(c.quantities == ("X 亩", "X亩") for c in answer)
    assert all(c.quantities for c in answer)


def test_goals_question_lists_all_targets(seed_commitments: tuple[Commitment, ...]) -> None:
    answer = listing("今年有哪些目标", seed_commitments)
    assert answer is not None
    assert any(c.text == "确保建设进度达到预期" for c in answer)
    assert all(c.quantities or c.kind == "target" for c in answer)


def test_question_with_a_topic_is_narrowed_to_it(seed_commitments: tuple[Commitment, ...]) -> None:
    answer = listing("土地收储有哪些目标", seed_commitments)
    assert answer is not None
    assert "收储土地 X 亩" in answer[0].text


def test_a_single_fact_is_left_to_the_passage_search(seed_commitments: tuple[Commitment, ...]) -> None:
    assert listing("三大主题公园什么时候建成", seed_commitments) is None
    assert listing("土地收储的目标是多少", seed_commitments) is None


def test_other_questions_are_left_to_the_passage_search(seed_commitments: tuple[Commitment, ...]) -> None:
    assert listing("xx区的发展思路是什么", seed_commitments) is None
    assert listing("规划引领", seed_commitments) is None


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_json_lines_carry_the_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["commitments", "--data", str(SEED.parent), "--json", "收储土地"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and set(rows[0]) == {"doc", "section", "text", "kind", "quantities", "deadline"}
    assert "收储土地 X 亩" in rows[0]["text"]
    assert rows[0]["quantities"][0] == "X 亩"


def test_cli_lists_commitments_numbered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["commitments", "--data", str(SEED.parent)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("xx区2022年经济工作会上讲话 › ")  # documents named by their title
    assert "1. [" in out and "（期限：X 月底前）" in out


def test_keyword_search_ignores_one_character_pieces_and_weak_matches():
    from retrieval.commitments import search_commitments

    found = search_commitments(extract_commitments(load_document(SEED)), "月底前")
    assert len(found) == 3
    assert all("月底前" in c.text for c in found)


def test_a_topics_tasks_are_left_to_the_passage_search():
    commitments = extract_commitments(load_document(SEED))
    assert listing("2022年基础配套有哪些任务", commitments) is None
    assert listing("基础配套有哪些任务要在月底前完成", commitments)
