"""List answers: a section's lead-in is quoted with the items under it."""

from pathlib import Path

import pytest

from retrieval.document import build_document
from retrieval.library import Library
from retrieval.list_passage import LIST_LIMIT, list_passage
from retrieval.reply import PassageAnswer


def no_heading_match(heading: str) -> float:
    return 0.0

SPEECH = """关于做好今年工作的讲话
同志们：今天召开会议，部署今年的工作。
一、关于去年的工作
去年我们完成了各项任务，经济运行总体平稳。
二、关于今年的工作
今年我给大家提3点要求。
一要狠抓工作落实。各级干部要把各项任务落到实处。
二要增强忧患意识。要坚持底线思维，防范化解重大风险。
三要提高工作本领。要加强学习，提高专业能力。
"""


def test_lead_in_is_quoted_with_its_items():
    document = build_document("speech.txt", SPEECH)
    lead_in = next(c for c in document.chunks if c.text.startswith("二、关于今年的工作"))
    quoted = list_passage(document, lead_in, no_heading_match)
    text, outline = quoted.text, quoted.outline
    assert quoted.path == ("二、关于今年的工作",)
    assert text.startswith("二、关于今年的工作")
    assert "三要提高工作本领" in text and text in document.text
    assert outline == ("一要狠抓工作落实", "二要增强忧患意识", "三要提高工作本领")


def test_item_without_sub_items_is_not_expanded():
    document = build_document("speech.txt", SPEECH)
    item = next(c for c in document.chunks if c.text.startswith("二要增强忧患意识"))
    assert list_passage(document, item, no_heading_match) is None


def test_long_section_is_cut_at_a_sentence_end_within_the_limit():
    items = "\n".join(f"{n}要推进第{n}项工作。" + "这项工作要抓紧落实到位。" * 20 for n in "一二三四五六七八")
    document = build_document("long.txt", "讲话\n二、今年的重点任务\n今年要完成以下任务。\n" + items + "\n")
    lead_in = next(c for c in document.chunks if c.text.startswith("二、今年的重点任务"))
    quoted = list_passage(document, lead_in, no_heading_match)
    text, outline = quoted.text, quoted.outline
    assert sum(not ch.isspace() for ch in text) <= LIST_LIMIT
    assert text.endswith("。")
    assert 1 <= len(outline) < 8
    assert all(heading in text for heading in outline)


def test_list_question_gets_the_expanded_passage_and_a_fact_question_does_not():
    library = Library((build_document("speech.txt", SPEECH),))
    listed = library.ask("今年的工作提了哪几点要求").answer
    assert "一要狠抓工作落实" in listed.text and "三要提高工作本领" in listed.text
    assert len(listed.outline) == 3
    fact = library.ask("忧患意识要怎么增强").answer
    assert fact.text.startswith("二要增强忧患意识") and fact.outline == ()


def test_an_item_gives_way_to_the_section_above_when_the_question_names_that_section():
    document = build_document("speech.txt", SPEECH)
    item = next(c for c in document.chunks if c.text.startswith("二要增强忧患意识"))

    def names_the_section(heading: str) -> float:
        return 1.0 if "今年的工作" in heading else 0.0

    quoted = list_passage(document, item, names_the_section)
    assert quoted.path == ("二、关于今年的工作",)
    assert quoted.outline == ("一要狠抓工作落实", "二要增强忧患意识", "三要提高工作本领")
    assert list_passage(document, item, lambda heading: 0.3) is None  # too weak a match


def test_the_items_of_the_passage_own_section_are_quoted_when_the_question_names_it():
    body = "".join(f"第{n}段说明整顿的意义和做法，要求各地认真落实。" * 6 + "\n" for n in range(12))
    text = ("报告\n五、企业的全面整顿\n当前要做好以下两项工作：\n一是整顿经济责任制。\n二是整顿劳动组织。\n"
            + body + "企业整顿要同调整结合起来。\n")
    document = build_document("report.txt", text)
    late = next(c for c in document.chunks if "同调整结合起来" in c.text)
    assert late.path == ("五、企业的全面整顿",)

    quoted = list_passage(document, late, lambda heading: 0.3 if "整顿" in heading else 0.0)
    assert quoted.path == ("五、企业的全面整顿",) and len(quoted.outline) == 2
    assert late.text not in quoted.text  # too far down to be quoted with the items
    assert list_passage(document, late, lambda heading: 0.1) is None  # the section was not asked for


ANNOUNCED = """在座谈会上的讲话
第一个问题：深刻认识取得的进展
第一，创造了最好成绩。贫困人口大幅减少。
第二，建立了制度体系。这些制度成果贡献了中国智慧。在伟大实践中，我们积累了许多宝贵经验，主要包括以下几个方面。
一是坚持党的领导，强化组织保证。落实责任。
二是坚持精准方略，提高脱贫实效。解决好扶持谁的问题。
三是坚持群众主体，激发内生动力。
第二个问题：清醒把握困难挑战
深度贫困地区脱贫难度大，一些地方脱贫质量不高，形势依然严峻。
"""


def test_an_announced_list_that_follows_the_passage_is_quoted_whole():
    library = Library((build_document("speech.txt", ANNOUNCED),))
    answer = library.ask("积累了哪些宝贵经验").answer
    assert answer.text.startswith("在伟大实践中，我们积累了许多宝贵经验")
    assert "三是坚持群众主体" in answer.text and answer.text in library.documents[0].text
    assert len(answer.outline) == 3 and answer.outline[0].startswith("一是坚持党的领导")
    other = library.ask("建立了哪些制度体系").answer  # the passage itself answers: no list appended
    assert "一是坚持党的领导" not in other.text


@pytest.mark.parametrize(("announcing", "question"), [
    ("当前，要抓好以下几项重点工作。", "当前要抓哪几项重点工作"),
    ("当前，我们要做好以下工作。", "当前要做好哪些工作"),  # 以下 + what follows, at the sentence end
])
def test_an_announced_list_too_long_to_quote_whole_is_quoted_as_an_excerpt(announcing, question):
    filler = "各地区各部门要认真落实，加强组织领导，强化督促检查，确保取得实效。"
    items = ["第一，坚决打好湖北保卫战。", "第二，全力做好北京疫情防控工作。", "第三，科学调配医疗力量。",
             "第四，加快科技研发攻关。", "第五，扩大国际和地区合作。"]
    lead = "二、关于当前疫情防控重点工作\n疫情形势依然严峻复杂。" + announcing
    text = ("在会议上的讲话\n" + lead + "\n"
            + "".join(item + filler * 20 + "\n" for item in items) + "三、关于经济工作\n经济运行总体平稳。\n")
    library = Library((build_document("speech.txt", text),))
    answer = library.ask(question).answer
    pieces = answer.text.split("\n……\n")
    assert len(pieces) == len(items) + 1
    assert pieces[0] == lead
    assert all(piece in text for piece in pieces)  # each piece verbatim
    assert all(any(piece.startswith(item) for piece in pieces) for item in items)  # every item opens
    assert len(answer.outline) == len(items) and len("".join(answer.text.split())) <= LIST_LIMIT
    whole_item = library.ask("湖北保卫战怎么打").answer  # a fact question still gets its passage
    assert "……" not in whole_item.text


def test_a_list_announced_by_its_count_after_an_address_is_quoted_with_its_items():
    """Zhejiang: the tasks （一）…（三）, then an address ("各位代表，…实施好四方面民生实事。") that
    closes them, then 1.…4.: past long tasks, the address's passage is quoted with the items
    that follow it, whole or, when they are too long, as an excerpt of each item's opening."""
    def report(task: str, item: str = "") -> str:
        return ("2025年某省政府工作报告\n二、2025年重点工作\n"
                f"（一）扩大内需。{task}\n（二）发展新质生产力。{task}\n（三）深化改革开放。{task}\n"
                "各位代表，我们坚持尽力而为、量力而行，继续谋划实施好四方面民生实事。\n"
                f"1.医疗卫生方面。免费开展癌症筛查。{item}\n2.养老帮困方面。新增护理员8000人。{item}\n"
                f"3.关爱儿童方面。新改建青少年宫200家。{item}\n4.交通出行方面。新建充电桩2万个。{item}\n")

    question = "今年四方面民生实事都有哪些方面"
    items = ("1.医疗卫生方面", "2.养老帮困方面", "3.关爱儿童方面", "4.交通出行方面")
    short = Library((build_document("report.txt", report("")),)).ask(question).answer
    assert short is not None and short.outline[-4:] == items  # 二、 fits whole, its items with it
    filler = "各地要加强组织领导，强化督促检查。"
    for item in ("", filler * 30):
        library = Library((build_document("report.txt", report(filler * 30, item)),))
        answer = library.ask(question).answer
        assert answer is not None and answer.outline == items
        assert answer.text.startswith("各位代表，我们坚持尽力而为")
        pieces = answer.text.split("\n……\n")
        assert len(pieces) == (5 if item else 1)
        assert all(piece in library.documents[0].text for piece in pieces)


def test_a_part_asked_for_whose_lead_in_fills_the_quote_is_quoted_as_an_excerpt():
    """Xizang's "2025年工作安排" opens with a lead-in longer than a quote: "九个方面，头两个是啥"
    gets its heading and each item's opening, not the lead-in alone."""
    lead = "今年是“十四五”规划收官之年，我们的机遇前所未有，我们的信心无比坚定。" * 60
    text = ("2025年某自治区政府工作报告\n2024年工作回顾\n过去一年，经济稳中向好。\n2025年工作安排\n"
            f"{lead}\n今年，将重点做好以下三个方面工作。\n"
            "（一）坚决维护社会和谐稳定。扎实推进民族团结。\n（二）全力以赴稳预期促增长。落实增量政策。\n"
            "（三）持续挖掘投资消费潜能。加快重大项目建设。\n")
    library = Library((build_document("report.txt", text),))
    answer = library.ask("今年重点做好的三个方面，头两个是啥").answer
    assert answer is not None and "（一）坚决维护社会和谐稳定" in answer.text
    assert "（二）全力以赴稳预期促增长" in answer.text and "\n……\n" in answer.text
    assert all(piece in text for piece in answer.text.split("\n……\n"))


def test_a_part_asked_for_by_number_is_quoted_with_every_item():
    filler = "各地区各部门要认真落实，加强组织领导，强化督促检查，确保取得实效。" * 20
    items = [f"第{n}，做好第{n}项工作。" for n in "一二三四五"]
    text = ("讲话\n三、关于统筹经济社会发展\n经济长期向好的基本面没有改变。\n"
            + "".join(item + filler + "\n" for item in items) + "四、关于党的领导\n正文。\n")
    document = build_document("speech.txt", text)
    lead = next(c for c in document.chunks if c.text.startswith("三、"))
    asked = list_passage(document, lead, no_heading_match, "经济长期向好的基本面没有改变。", part_asked=True)
    assert asked.excerpt and all(any(p.startswith(i) for p in asked.text.split("\n……\n")) for i in items)
    plain = list_passage(document, lead, no_heading_match, "经济长期向好的基本面没有改变。")
    assert not plain.excerpt and items[-1] not in plain.text  # cut after the first items


def test_a_count_of_items_asked_for_gets_the_items():
    text = ("在某某会议上的讲话\n一、关于经济工作\n要稳增长，保就业。\n"
            "最后，我给今天参加会议的同志们提3点要求。\n一要狠抓工作落实。落实是关键。\n"
            "二要增强忧患意识。防范风险。\n三要提高工作本领。加强学习。\n")
    library = Library((build_document("讲话.txt", text),))
    reply = library.ask("讲话最后给参会同志提的三点要求是什么？")
    assert isinstance(reply, PassageAnswer)
    items = ("一要狠抓工作落实", "二要增强忧患意识", "三要提高工作本领")
    assert all(item in reply.answer.text for item in items)


def test_a_part_asked_for_by_number_is_quoted_whole_when_its_passage_opens_its_first_item_too():
    """The chunk holds 五's heading, （一）'s heading and item 1: a question asking for part 五 gets
    五 with （一） and （二）; otherwise the deepest list, （一）'s items, is the one meant."""
    text = ("考评指标\n五、释放数据要素价值（10分）\n（一）推进大数据中心建设（3分）\n"
            "1．建设政务大数据中心。\n2．汇聚各类政务数据。\n"
            "（二）推进主题数据库建设（2分）\n3．建设基础数据库。\n4．建设主题数据库。\n")
    document = build_document("指标.txt", text)
    opening = next(c for c in document.chunks if c.text.startswith("五、"))
    assert "（一）推进大数据中心建设" in opening.text
    asked = list_passage(document, opening, no_heading_match, part_asked=True)
    assert asked.path[-1] == "五、释放数据要素价值（10分）"
    assert asked.outline == ("（一）推进大数据中心建设（3分）", "（二）推进主题数据库建设（2分）")
    deepest = list_passage(document, opening, no_heading_match)
    assert deepest.path[-1] == "（一）推进大数据中心建设（3分）"


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize(("name", "question", "said"), [
    ("gov_report_1981_national.txt", "82年计划里消费、积累、零售这些指标各是多少",
     ("消费部分增长５．７％", "积累部分增长３．２％", "社会商品零售总额增长８％")),
    ("gov_report_2022_national.txt", "去年经济成绩单：GDP、财政收入、新增就业各多少？",
     ("国内生产总值达到114万亿元", "全国财政收入突破20万亿元", "城镇新增就业1269万人")),
])
def test_several_things_each_asked_its_figure_are_answered_by_the_passage_giving_them(name, question, said):
    """"消费、积累、零售…各是多少" asks three figures, given in three sentences of one passage: the
    passage answers as a list question's does, though no sentence holds enough of the question."""
    from retrieval.document import load_document

    answer = Library((load_document(CORPUS / name),)).ask(question).answer
    assert answer is not None and all(text in answer.text for text in said)


def test_a_list_of_figures_is_answered_by_a_passage_holding_them_though_its_best_sentence_has_none(
        corpus_library: Library):
    """"…就业、物价、粮食各是多少？", all documents loaded: the best sentence of the 2021 report's
    targets passage ("经济增速、就业、物价等预期目标，体现了…") holds most words and no figure; its
    other sentences give them."""
    answer = corpus_library.ask("2021年报告今年主要预期目标里，就业、物价、粮食各是多少？").answer
    assert answer is not None and answer.doc == "gov_report_2021_national.txt"
    assert all(text in answer.text for text in ("城镇新增就业1100万人以上", "居民消费价格涨幅3%左右"))
