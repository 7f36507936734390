"""Numbered abbreviations ("四早", "三区") are found where the documents spell them out."""

from __future__ import annotations

import pytest

from retrieval.document import build_document
from retrieval.library import Library
from retrieval.text.abbreviations import abbreviation, spelled_out
from retrieval.text.normalize import normalize


@pytest.mark.parametrize(("term", "read"), [
    ("四早", (4, "早")),
    ("四集中", (4, "集中")),
    ("三区", (3, "区")),
    ("三个", None),  # a count of a measure word
    ("十大", None),
    ("十四五", None),  # a number
    ("两新", None),  # two items: too few to tell a list from a pair of words
])
def test_a_count_and_a_key_make_an_abbreviation(term, read):
    assert abbreviation(term) == read


def test_a_list_of_that_many_items_each_holding_the_key_spells_it_out():
    text = normalize("我们提出早发现、早报告、早隔离、早治疗的防控要求和"
                     "集中患者、集中专家、集中资源、集中救治的救治要求，把提高收治率作为突出任务来抓。")
    assert spelled_out(4, "早", text) == ["早发现、早报告、早隔离、早治疗"]
    assert spelled_out(4, "集中", text) == ["集中患者、集中专家、集中资源、集中救治"]
    assert spelled_out(3, "早", text) == []  # four items, not three
    zones = normalize("重点推进产业聚集区、现代城市新区、城乡统筹示范区建设,强化基础先行")
    assert spelled_out(3, "区", zones) == ["产业聚集区、现代城市新区、城乡统筹示范区"]


SPEECH = ("在统筹推进疫情防控和经济社会发展工作部署会议上的讲话\n同志们：\n一、关于疫情防控\n"
          "要坚决遏制疫情扩散输出，织密织牢社区防控网，落实“四早”要求，找到管好每一个风险环节。\n"
          "二、关于救治\n我们提出早发现、早报告、早隔离、早治疗的防控要求和"
          "集中患者、集中专家、集中资源、集中救治的救治要求，"
          "把提高收治率和治愈率作为突出任务来抓。\n三、关于复工复产\n要落实分区分级精准复工复产。\n"
          "四、关于作风\n要落实落细各项措施，狠抓工作落实。\n")


@pytest.mark.parametrize("question", [
    "落实“四早”要求，四早是哪四早", "防控的四早要求和救治的四集中要求分别是啥"])
def test_a_question_by_abbreviation_is_answered_where_it_is_spelled_out(question):
    """Not by the sentence that only names it ("落实“四早”要求"), which says nothing of what it is."""
    answer = Library((build_document("讲话.txt", SPEECH),)).ask(question).answer
    assert answer is not None and "早发现、早报告、早隔离、早治疗" in answer.highlight


def test_the_count_asked_after_which_is_no_word_the_document_misses():
    """"防控要求里的“四早”指哪四个", asked of the speech alone: it never says 四个, which asks which
    ones (the count listed) and is no word a sentence must hold."""
    from pathlib import Path

    path = (Path(__file__).resolve().parents[2] / "shared" / "corpus"
            / "speech_2020_xi_epidemic_and_economy_deployment_meeting.txt")
    if not path.exists():
        pytest.skip(f"{path} not available")
    library = Library((build_document(path.name, path.read_text(encoding="utf-8")),))
    answer = library.ask("防控要求里的“四早”指哪四个").answer
    assert answer is not None and "早发现、早报告、早隔离、早治疗" in answer.highlight
