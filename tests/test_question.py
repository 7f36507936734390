"""One question-understanding step: a question becomes one Query with its intent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.answer_types import AnswerType
from retrieval.question import CommitmentsIntent, parse_question, referenced_position


@pytest.mark.parametrize(("question", "position"), [
    ("第二个问题讲的是什么", (2,)),
    ("十条方针里第六条讲的什么", (6,)),  # 十条 counts, 第六条 points
    ("第3部分有哪些任务", (3,)),
    ("第 3 部分有哪些任务", (3,)),  # questions are read normalized
    ("第三部分第（二）项讲什么", (3, 2)),
    ("第三部分里面的第二条", (3, 2)),
    ("二、里的第三条是什么", (2, 3)),
    ("九个方面里第五个是什么", (5,)),
    ("最后一部分讲了什么", (-1,)),
    ("倒数第二条是什么", (-2,)),
    ("第一百二十条怎么规定", (120,)),
    ("第一书记累计派了多少人", ()),  # 书记 is not a kind of part
    ("最后给参会的同志提了哪3点要求", ()),  # 最后 without a kind of part after it
    ("今年1、2月份工业增长多少", ()),  # digits before 、 are numbers, not a heading marker
])
def test_position_is_a_path_of_ordinals(question: str, position: tuple[int, ...]) -> None:
    assert parse_question(question).position == position


def test_part_stays_the_first_number_named_with_di() -> None:
    """Ranking reads `part` as before: the first 第-reference, whose words leave the search."""
    query = parse_question("第三部分第（二）项讲什么")
    assert (query.part, query.reference) == (3, "第三部分")
    assert "第三部分" not in "".join(query.own_terms)
    assert parse_question("二、里的第三条是什么").part == 3
    assert parse_question("最后一部分讲了什么").part is None  # new forms: not used by ranking yet
    assert parse_question("倒数第二条是什么").part is None
    assert parse_question("第一书记累计派了多少人").part is None


def test_referenced_position_reads_normalized_text() -> None:
    assert referenced_position("第三部分的第二条") == (3, 2)
    assert referenced_position("没有位置") == ()


@pytest.mark.parametrize(("question", "answer_type", "is_list"), [
    ("收储土地多少亩", AnswerType.QUANTITY, False),
    ("三大主题公园什么时候建成", AnswerType.TIME, False),
    ("规划引领有哪些要求", None, True),
    ("企业整顿要做好哪四项工作", None, True),
    ("哪几个方面的工作", None, True),
    ("哪个部门牵头", None, False),
    ("讲话最后提的三点要求是什么", None, True),  # a count of items asks for them all
    ("五个方面的工作是什么", None, True),
    ("第三点要求是什么", None, False),  # one item, pointed at
    ("一个问题", None, False),
])
def test_answer_type_and_list(question: str, answer_type: AnswerType | None, is_list: bool) -> None:
    query = parse_question(question)
    assert (query.answer_type, query.is_list) == (answer_type, is_list)


def test_years_named_and_relative() -> None:
    query = parse_question("２０２２ 年和去年的目标")
    assert query.years == (2022,) and query.year_offsets == (-1,)
    assert query.years_meant(2023) == {2022}
    assert parse_question("今年和明年的任务").years_meant(2022) == {2022, 2023}


@pytest.mark.parametrize(("question", "intent"), [
    ("哪些任务要在月底前完成", CommitmentsIntent("deadline", "月底前")),
    ("哪些工作何时完成", CommitmentsIntent("deadline", None, "工作")),  # 何时: any deadline
    ("今年的量化指标有哪些", CommitmentsIntent("quantity")),
    ("今年有哪些目标", CommitmentsIntent("target")),
    ("土地收储有哪些目标", CommitmentsIntent("target", topic="土地收储")),
    ("有哪些任务", CommitmentsIntent("task")),
    ("2022年基础配套有哪些任务", None),  # a topic's tasks: its passage answers
    ("三大主题公园什么时候建成", None),  # one fact, not a list
    ("规划引领", None),
])
def test_commitments_intent(question: str, intent: CommitmentsIntent | None) -> None:
    assert parse_question(question).commitments == intent


def test_a_question_gives_its_terms_in_one_order_in_every_process() -> None:
    """Related words are added in one order, whatever the string hash seed: scores are sums in
    that order, so their last bits (and a tie's winner) would otherwise differ between processes."""
    code = ("from retrieval.question import parse_question; "
            "print(list(parse_question('GDP增长多少，困难和问题有哪些').terms.items()))")
    runs = {subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parent.parent,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1 and "生产总值" in runs.pop()


@pytest.mark.parametrize(("question", "kept", "cut"), [
    ("赤字率定的多少", "赤字", "率定"),  # not jieba's 率定 (calibrate)
    ("城镇新增就业目标定的多少来着", "目标", "定"),
    ("2018年定为啥年", "2018", "定"),
    ("确定了什么目标", "确定", ""),  # the verb stays
    ("规定了哪些要求", "规定", ""),
])
def test_setting_as_a_question_is_cut_not_a_verb_ending_in_ding(question: str, kept: str, cut: str) -> None:
    terms = parse_question(question).own_terms
    assert kept in terms
    assert not cut or cut not in terms
