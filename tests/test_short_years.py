"""Years typed with two digits ("22年的报告") mean a loaded document's year."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval.library import load_library
from retrieval.reply import PassageAnswer
from retrieval.text.years import expand_short_years

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
KNOWN = {1981, 2021, 2022}


@pytest.mark.parametrize(("text", "expanded"), [
    ("22年的政府工作报告说去年GDP多少", "2022年的政府工作报告说去年GDP多少"),
    ("21年政府工作报告赤字率定的多少", "2021年政府工作报告赤字率定的多少"),
    ("81年那个报告说用多少年翻两番", "1981年那个报告说用多少年翻两番"),
    ("22 年基础配套", "2022 年基础配套"),
    ("2022年基础配套", "2022年基础配套"),  # written in full already
    ("25年的目标", "25年的目标"),  # no document of 2025 (or 1925) is loaded
    ("改革开放40年来", "改革开放40年来"),  # spans of years, not a year
    ("用21年时间", "用21年时间"),
    ("21年间增长", "21年间增长"),
    ("22年内完成", "22年内完成"),
    ("80年代的报告", "80年代的报告"),
    ("1.5年", "1.5年"),
])
def test_two_digit_years_of_loaded_documents_are_written_in_full(text, expanded):
    assert expand_short_years(text, KNOWN) == expanded


@pytest.mark.parametrize(("text", "expanded"), [
    ("二〇二二年政府工作报告里赤字率", "2022年政府工作报告里赤字率"),
    ("二零二一年报告", "2021年报告"),
    ("一九八一年的报告", "1981年的报告"),
    ("八一年那个报告里，工农业总产值比上年涨了多少", "1981年那个报告里，工农业总产值比上年涨了多少"),
    ("二二年报告", "2022年报告"),
    ("三四年内完成", "三四年内完成"),  # no document of 2034: three or four years
    ("十一年", "十一年"),  # 十 is no digit: eleven years
    ("五年规划", "五年规划"),
    ("三〇〇五年", "三〇〇五年"),  # no year of 19xx or 20xx
])
def test_years_in_chinese_digits_are_written_in_digits(text, expanded):
    assert expand_short_years(text, KNOWN) == expanded


def test_the_latest_of_several_matching_years_is_meant():
    assert expand_short_years("21年报告", {1921, 2021}) == "2021年报告"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize(("asked", "name"), [
    ("21年政府工作报告里赤字率是多少", "gov_report_2021_national.txt"),
    ("22年政府工作报告里赤字率是多少", "gov_report_2022_national.txt"),
])
def test_a_short_year_picks_the_report_of_that_year(tmp_path, asked, name):
    for report in ("gov_report_2021_national.txt", "gov_report_2022_national.txt"):
        shutil.copy(CORPUS / report, tmp_path / report)
    library, _ = load_library(tmp_path)
    reply = library.ask(asked)
    assert reply.question == asked, "the reply shows the question as the user typed it"
    assert isinstance(reply, PassageAnswer) and reply.answer.doc == name
    assert "赤字率" in reply.answer.highlight


def test_a_relative_year_after_bi_is_a_comparisons_base_not_a_year_asked():
    from retrieval.text.years import compared_years, relative_offsets

    assert compared_years("工农业总产值比上年涨了多少") == {"上年"}
    assert relative_offsets("工农业总产值比上年涨了多少") == ()
    assert relative_offsets("去年粮食产量比上年增长多少") == (-1,)  # 去年 is asked, 上年 compared
    assert compared_years("上年的产量比上年增长多少") == frozenset()  # 上年 also asked outright


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
def test_growth_compared_with_the_year_before_is_this_years(tmp_path):
    """"八一年那个报告里，工农业生产总值比上年涨了多少" asks 1981's growth, which the report says "比上年
    增长３％以上"; 上年 is no year 1980 to find ("１９８０年同…１９５２年相比，工农业总产值增长八点一倍").
    (Asked as "工农业总产值…", the phrase 工农业总产值 prefers the 1982 plan's sentence, which writes it.)
    """
    shutil.copy(CORPUS / "gov_report_1981_national.txt", tmp_path)
    answer = load_library(tmp_path)[0].ask("八一年那个报告里，工农业生产总值比上年涨了多少").answer
    assert answer is not None and "而且将比上年增长３％以上" in answer.highlight
