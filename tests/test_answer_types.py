"""What kind of answer a question wants, and whether a sentence holds one."""

from __future__ import annotations

import pytest

from retrieval.answer_types import AnswerType, has_answer_type
from retrieval.question import wanted_type


@pytest.mark.parametrize(("question", "kind"), [
    ("收储土地多少亩", AnswerType.QUANTITY),
    ("今年办几件民生实事", AnswerType.QUANTITY),
    ("污水处理项目什么时候启动", AnswerType.TIME),
    ("多久考评一次", AnswerType.TIME),
    ("全面严管是哪天定下来的", AnswerType.TIME),
    ("主题公园最晚几月份要建成", AnswerType.TIME),
    ("用多少年让工农业总产值翻两番", AnswerType.TIME),  # how long: "二十年"
    ("几个月完成整改", AnswerType.TIME),
    ("多少年轻人返乡创业", AnswerType.QUANTITY),  # 多少 年轻人, not 多少年
    ("哪几个方面的工作", None),  # a list, not a number
    ("如何优化营商环境", None),
])
def test_wanted_type(question: str, kind: AnswerType | None) -> None:
    assert wanted_type(question) is kind


@pytest.mark.parametrize(("sentence", "kind", "expected"), [
    ("全年多渠道融资 X 余亿元", AnswerType.QUANTITY, True),
    ("城镇新增就业1100万人以上", AnswerType.QUANTITY, True),
    ("大体上有四种类型", AnswerType.QUANTITY, True),
    ("分两批推进", AnswerType.QUANTITY, True),
    ("进一步优化营商环境，激发市场活力", AnswerType.QUANTITY, False),
    ("他一生只发表了三篇学术论文", AnswerType.QUANTITY, True),  # a measure word
    ("经济一度下滑，新一轮改革启动", AnswerType.QUANTITY, False),  # idioms with a numeral
    ("三大主题公园 X 月底前全部建成", AnswerType.TIME, True),
    ("用半年或者更多一点的时间整顿完毕", AnswerType.TIME, True),
    ("力争上半年开工", AnswerType.TIME, True),
    ("力争用二十年的时间使工农业总产值翻两番", AnswerType.TIME, True),  # a duration answers 多久
    ("深圳到中山车程最短缩至30分钟", AnswerType.TIME, True),
    ("3个工作日内办结", AnswerType.TIME, True),
    ("力争用二十年的时间使工农业总产值翻两番", AnswerType.QUANTITY, False),  # 年 is no unit of amount
    ("加快推进项目建设", AnswerType.TIME, False),
    ("加快推进项目建设", None, False),
])
def test_has_answer_type(sentence: str, kind: AnswerType | None, expected: bool) -> None:
    assert has_answer_type(sentence, kind) is expected
