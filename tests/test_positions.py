"""Positional references at any depth, in every numbering style, counted from either end."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.document import build_document
from retrieval.library import Library
from retrieval.positions import sections_at
from retrieval.question import parse_question

REPORT = """2025年某省政府工作报告
各位代表：
一、2024年工作回顾
过去一年，我们做了很多工作。一是经济稳中向好。全年增长5%。二是民生持续改善。新增就业50万人。
二、2025年重点任务
今年要抓好以下九个方面工作。
（一）扩大内需。实施消费提振行动，社会消费品零售总额增长6%。
（二）发展新质生产力。培育未来产业，建设实验室10家。
（三）深化改革开放。推动外贸稳规模优结构，进出口增长3%。
（四）保障和改善民生。办好十件民生实事。
三、全面加强政府自身建设
一是坚持党的全面领导。坚定拥护“两个确立”。
二是坚持依法行政。严格规范公正文明执法。
三是坚持廉洁从政，驰而不息纠治“四风”。
名词解释
1. 新质生产力：以创新起主导作用的先进生产力。
"""


@pytest.fixture(scope="module")
def report():
    return build_document("报告.txt", REPORT)


@pytest.mark.parametrize(("question", "headings"), [
    ("第二部分第（二）项讲的啥", ["（二）发展新质生产力"]),
    ("二、里的第三条是什么", ["（三）深化改革开放"]),
    ("第三部分政府自身建设第三条是什么", ["三是坚持廉洁从政，驰而不息纠治“四风”"]),
    # From the end, in every list: the question's other words pick one. 名词解释 is back matter.
    ("最后一部分讲了什么",
     ["三、全面加强政府自身建设", "（四）保障和改善民生", "三是坚持廉洁从政，驰而不息纠治“四风”"]),
    ("倒数第二条", ["二、2025年重点任务", "（三）深化改革开放", "二是坚持依法行政"]),
    ("第二大项第（二）项是什么", ["（二）发展新质生产力"]),  # 大项: an item of an assessment list
])
def test_a_position_finds_its_section(report, question, headings):
    query = parse_question(question)
    assert [s.heading for s in sections_at(report, query.position, query.list_size)] == headings


def test_the_size_of_the_list_named_picks_the_list():
    query = parse_question("重点任务四个方面里第一个讲什么")
    assert query.position == (1,) and query.list_size == 4
    document = build_document("报告.txt", REPORT)
    assert [s.heading for s in sections_at(document, query.position, query.list_size)] == ["（一）扩大内需"]


def test_the_size_of_the_list_named_picks_one_list_among_siblings():
    """Under one part, three tasks （一）…（三） are followed, after an address, by four 民生实事
    1.…4.: the part's children are two lists, each counted on its own."""
    text = ("2025年某省政府工作报告\n一、2024年工作回顾\n（一）稳增长。\n（二）促改革。\n（三）惠民生。\n"
            "二、2025年重点工作\n（一）扩大内需。\n（二）发展新质生产力。\n（三）深化改革开放。\n"
            "各位代表，今年继续办好四方面民生实事。\n1.医疗方面。免费筛查。\n2.养老方面。新建食堂。\n"
            "3.教育方面。新增学位。\n4.交通方面。新开公交。\n")
    document = build_document("报告.txt", text)

    def at(question: str) -> list[str]:
        query = parse_question(question)
        return [s.heading for s in sections_at(document, query.position, query.list_size)]

    assert at("四方面民生实事第三个是啥") == ["3.教育方面"]
    assert at("3方面重点工作，第三项讲什么") == ["（三）惠民生", "（三）深化改革开放"]
    # The size only chooses the list; it is no word to search for.
    assert "3" not in parse_question("3方面重点工作，第三项讲什么").own_terms


@pytest.mark.parametrize(("question", "expected"), [
    ("第二部分第（二）项讲的啥", "培育未来产业"),
    ("政府工作报告最后一部分讲了什么", "全面加强政府自身建设"),
    ("第三部分政府自身建设第三条是什么", "驰而不息纠治“四风”"),
    # A topic, a link, then a position: counted inside the section the topic names, though
    # 三、全面加强政府自身建设 is itself third, and 二、 is the last but one part.
    ("全面加强政府自身建设的第三条是什么", "驰而不息纠治“四风”"),
    ("重点任务里最后一个方面讲了什么", "办好十件民生实事"),
])
def test_the_library_quotes_the_section_at_a_position(report, question, expected):
    speech = "在某会议上的讲话\n同志们：\n一、关于形势\n形势很好。\n二、关于任务\n任务很重。\n"
    other = build_document("讲话.txt", speech)
    answer = Library((report, other)).ask(question).answer
    assert answer is not None and answer.doc == "报告.txt" and expected in answer.text


def test_a_list_of_the_size_named_is_counted_in_under_the_topic_named_after_the_reference():
    """"…报告3方面重点工作的最后一个": the review also has three items, but 重点工作 (generic words,
    the only ones said after the document reference) names the part whose first list, not the
    四方面民生实事 after it, has three."""
    text = ("2025年某省政府工作报告\n一、2024年工作回顾\n（一）稳增长，某省经济稳中向好。\n（二）促改革。\n"
            "（三）惠民生，某省政府办好民生实事。\n二、2025年目标任务和重点工作\n认真抓好3方面重点工作：\n"
            "（一）扩大内需。\n（二）发展新质生产力。\n（三）深化改革开放。\n各位代表，今年继续办好四方面民生实事。\n"
            "1.医疗方面。免费筛查。\n2.养老方面。新建食堂。\n3.教育方面。新增学位。\n4.交通方面。新开公交。\n")
    other = build_document("讲话.txt", "在某会议上的讲话\n同志们：\n一、关于形势\n形势很好。\n")
    library = Library((build_document("报告.txt", text), other))
    answer = library.ask("某省政府工作报告3方面重点工作的最后一个是什么").answer
    assert answer is not None and answer.highlight.startswith("（三）深化改革开放")


def test_a_year_naming_the_speech_a_position_counts_in_picks_no_passage():
    """"2018年脱贫座谈会讲话的第二个问题" names the speech of 2018; its year is no word the
    second part's passages must say (a later passage saying 当年 is not the part's opening)."""
    speech = ("在脱贫攻坚座谈会上的讲话（2018年2月12日）\n同志们：\n"
              "第一个问题：认识脱贫攻坚的进展。\n进展很大。\n"
              "第二个问题：把握脱贫攻坚的困难挑战。\n困难不少。\n第一，从任务看。任务艰巨。\n"
              "第二，从工作看。有的把预期收入算成当年实际收入，搞数字脱贫。\n"
              "第三个问题：打好脱贫攻坚战。\n要加强领导。\n")
    library = Library((build_document("讲话.txt", speech), build_document("报告.txt", REPORT)))
    answer = library.ask("2018年脱贫攻坚座谈会讲话的第二个问题讲的啥").answer
    assert answer is not None and answer.highlight.startswith("第二个问题：把握脱贫攻坚的困难挑战")


def test_a_part_is_the_shallowest_heading_so_numbered():
    """"第四部分" of a speech whose 三、 holds 第一，…第四，: its 四、, though the question's words
    are in 三、's 第四，. An attachment's 四、 (under 附件, unnumbered) counts as a part too."""
    pad = "要把各项工作抓实抓细抓落地，确保取得实效。" * 8
    parts = ["在疫情防控工作部署会议上的讲话\n同志们：", "一、关于前一段疫情防控工作\n工作有力。",
             "二、关于当前重点工作\n要抓好几项工作。", "三、关于统筹推进经济社会发展工作",
             "第一，落实复工复产。", "第二，加大宏观政策调节力度。", "第三，全面强化稳就业举措。",
             "第四，坚决完成疫情防控下的脱贫攻坚任务。", "四、关于加强党的领导\n各级党组织要履行领导责任。",
             "附件\n考评指标\n一、基础设施（10分）", "二、数据共享（10分）", "三、政务服务（20分）",
             "四、考评指标里的政务公开（10分）"]
    speech = "".join(f"{part}\n{pad}\n" for part in parts)
    library = Library((build_document("讲话.txt", speech),))
    answer = library.ask("疫情防控讲话第四部分讲的啥").answer
    assert answer is not None and answer.section[0] == "四、关于加强党的领导"
    answer = library.ask("考评指标第四部分讲的啥").answer
    assert answer is not None and answer.section[-1] == "四、考评指标里的政务公开（10分）"
    assert parse_question("第四部分讲的啥").part_is_top and not parse_question("第四点讲的啥").part_is_top


REGULATION = """某市优化营商环境条例
第一章 总则
第一条 为了持续优化营商环境，激发市场主体活力，制定本条例。
第二条 本条例适用于本市行政区域内优化营商环境工作。
第二章 市场主体保护
第三条 市场主体依法享有经营自主权。
第四条 市场主体登记实行告知承诺制，办理时限不超过1个工作日。
第三章 政务服务
第五条 设立12345政务服务便民热线，24小时受理诉求。
"""


@pytest.mark.parametrize(("question", "article"), [
    ("第四条讲的什么", "第四条 市场主体登记实行告知承诺制"),
    ("第5条", "第五条 设立12345政务服务便民热线"),
])
def test_a_short_article_is_found_in_its_chapters_passage(question, article):
    """A one-line article is a line of its chapter's passage, not a passage of its own: "第四条
    讲的什么" quotes the chapter with the article marked."""
    answer = Library((build_document("条例.txt", REGULATION),)).ask(question).answer
    assert answer is not None and answer.highlight.startswith(article)


def test_a_position_after_an_attachments_title_counts_inside_the_attachment():
    """"某市考评指标第四大项是啥": the attachment "附件" / "某市数字政府建设考评指标" holds the 大项;
    the notice's own 四、 and its "（四）…考评指标大项" are not them."""
    pad = "各单位要加强组织领导，按时报送材料，确保考评工作取得实效。" * 6
    items = "".join(f"{numeral}、{name}（10分）\n{pad}\n" for numeral, name in
                    (("一", "政务服务一网通办"), ("二", "政府治理一网统管"), ("三", "政府办公协同"),
                     ("四", "强化基础设施支撑")))
    notice = ("某市数字政府建设考评办法\n一、考评对象\n全市各部门。\n二、考评方式\n（一）日常监测。\n"
              f"（四）对牵头考核单位相同的考评指标大项，由牵头单位明确分值。{pad}\n四、考评结果应用\n"
              f"考评结果全市通报。{pad}\n附件\n某市数字政府建设考评指标\n{items}")
    library = Library((build_document("办法.txt", notice),))
    # What is asked of it after the position ("几分") does not name what it points into.
    for question in ("某市考评指标第四大项是啥", "某市考评指标第四个大项是啥，几分"):
        answer = library.ask(question).answer
        assert answer is not None and answer.section[-1] == "四、强化基础设施支撑（10分）", question
    # The document's own title words (数字政府, 考评, 办法) name no attachment: its 正文's 四、.
    answer = library.ask("某市数字政府考评办法正文第四部分 考评结果怎么用").answer
    assert answer is not None and answer.section[-1] == "四、考评结果应用"


def test_an_article_of_an_attachment_is_any_item_so_numbered_and_the_words_after_it_pick_one():
    """"某市考评指标第3条，12345热线升级要实现哪些功能": the attachment numbers its 大项 三、, their
    parts （三） and its articles 3． throughout; the article about 12345热线 is the one meant."""
    pad = "各单位要加强组织领导，按时报送材料，确保考评工作取得实效。" * 6
    indicators = ("附件\n某市数字政府建设考评指标\n一、政务服务一网通办（25分）\n（一）推进一网通办（3分）\n"
                  f"1．推动政务服务事项全部进驻平台。{pad}\n2．推行告知承诺制。{pad}\n"
                  "（二）政务服务便民热线升级（2分）\n3．全面提升12345政务热线服务水平，实现一单通达、"
                  f"满意度回访、双向互动、保密联络和舆情监控五项功能。{pad}\n"
                  f"（三）网站集约化平台升级（1.5分）\n4．统一建设门户网站。{pad}\n"
                  f"二、政府治理一网统管（25分）\n（一）建设城市大脑（3分）\n5．建设城市运行管理平台。{pad}\n"
                  f"三、政府办公协同（20分）\n（一）升级协同办公平台（3分）\n6．采用云平台构架。{pad}\n")
    notice = ("某市数字政府建设考评办法\n一、考评对象\n全市各部门。\n二、考评方式\n"
              f"日常监测。{pad}\n{indicators}")
    library = Library((build_document("办法.txt", notice),))
    answer = library.ask("某市考评指标第3条，12345热线升级要实现哪些功能？").answer
    assert answer is not None and "一单通达" in answer.text
    answer = library.ask("某市考评指标第三个大项是什么，占多少分").answer  # a 大项: the 三、
    assert answer is not None and answer.section[-1].startswith("三、政府办公协同")
    # The document's own year, named with the item pointed at, need not be said by the item.
    titled = notice.replace("某市数字政府建设考评办法", "某市2022年数字政府建设考评办法", 1)
    titled_library = Library((build_document("办法.txt", titled),))
    answer = titled_library.ask("某市2022年数字政府建设考评办法附件第3条，12345热线要实现几项功能？").answer
    assert answer is not None and "五项功能" in answer.highlight


def test_a_year_in_an_attachments_title_line_is_a_year_of_its_passages():
    """"云南2025年10件惠民实事第七件是啥": the attachment "附件" / "2025年10件惠民实事" says the
    year its 七、 is of, though the 七、 itself does not."""
    pad = "各地各部门要压实责任，确保按期完成年度目标任务，让群众有更多获得感。" * 4
    items = "".join(f"{numeral}、{name}\n年度目标：{pad}\n" for numeral, name in
                    zip("一二三四五六七八九十", ("稳定和扩大就业", "深化一老一小关爱服务", "提升教育质量",
                                          "提高医疗水平", "改善住房条件", "保障饮水安全",
                                          "推动法律援助扩面提质", "丰富文化生活", "改善出行条件",
                                          "实施交通惠民工程"), strict=True))
    report = ("2025年云南省政府工作报告\n各位代表：\n一、2025年重点工作\n继续办好10件惠民实事。"
              f"{pad}\n附件\n2025年10件惠民实事\n{items}")
    library = Library((build_document("云南.txt", report),))
    answer = library.ask("云南2025年10件惠民实事第七件是啥").answer
    assert answer is not None and answer.section[-1] == "七、推动法律援助扩面提质"


def test_an_attachment_named_before_a_link_is_named_by_its_title_line_too():
    """"云南惠民实事附件里倒数第二件是啥": the words before 里 name the attachment by its heading
    ("附件") and its title line ("2025年10件惠民实事") together; the review's （七）, second to last
    of its list, merely says "年度10件惠民实事全部办结"."""
    path = SHARED / "gov_report_2025_yunnan.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    from retrieval.document import load_document

    library = Library((load_document(path),))
    answer = library.ask("云南惠民实事附件里倒数第二件是啥").answer
    assert answer is not None and answer.section[-1] == "九、持续整治提升农村人居环境"


def test_a_list_of_another_size_or_a_year_alone_does_not_name_an_attachment():
    """"2025年重点任务9个方面第七个": the nine tasks' （七）, not the 七、 of the attachment
    "2025年10件惠民实事", whose title holds the year but lists ten."""
    pad = "各地各部门要压实责任，确保按期完成年度目标任务，让群众有更多获得感。" * 4
    tasks = "".join(f"（{numeral}）任务{numeral}\n{pad}\n" for numeral in "一二三四五六七八九")
    items = "".join(f"{numeral}、实事{numeral}\n年度目标：{pad}\n" for numeral in "一二三四五六七八九十")
    report = ("2025年云南省政府工作报告\n各位代表：\n一、2024年工作回顾\n全省经济稳中有进。\n"
              f"二、2025年重点任务\n{tasks}附件\n2025年10件惠民实事\n{items}")
    library = Library((build_document("云南.txt", report),))
    answer = library.ask("云南政府工作报告 2025年重点任务9个方面 第七个是啥").answer
    assert answer is not None and answer.section[-1] == "（七）任务七"


def test_the_first_few_items_are_quoted_with_their_list(report):
    """"重点任务里前两个方面是啥": the part they are items of, with its items, not the first alone."""
    answer = Library((report,)).ask("重点任务里前两个方面是啥").answer
    assert answer is not None
    assert "（一）扩大内需" in answer.text and "（二）发展新质生产力" in answer.text


@pytest.mark.parametrize("question", ["春耕生产部署会讲话第二部分第一点是啥",
                                      "部署会讲话第二部分第一点讲的什么"])
def test_a_part_pointed_at_is_highlighted_by_its_heading(question):
    """The heading says what the part is. A sentence of its body that holds more of the question's
    words (those naming the speech) is no answer to "第一点是啥"."""
    speech = ("在全省春耕生产部署会上的讲话\n同志们：\n一、关于形势\n今年春耕形势总体较好。\n二、关于任务\n"
              "第一，抓好备耕工作。各地要把这次春耕生产部署会的精神传达到基层，抓紧检修农机。\n"
              "第二，稳定粮食面积。确保粮食播种面积稳中有增。\n")
    answer = Library((build_document("讲话.txt", speech),)).ask(question).answer
    assert answer is not None and answer.highlight == "第一，抓好备耕工作。"


def test_a_part_pointed_at_is_quoted_with_its_items():
    """"十条方针里第五条讲的什么": the part's heading and lead-in ("…做好以下四项工作：") say
    nothing of what it asks; its items do, so they are quoted with it, and outlined."""
    text = ("某年政府工作报告\n各位代表：\n"
            "四、继续调整农业结构\n农业是基础。要因地制宜发展多种经营。\n"
            "五、分批进行企业的全面整顿\n企业的全面整顿，当前要特别注意做好以下两项工作：\n"
            "一是整顿和完善经济责任制，改进企业经营管理。\n"
            "二是整顿劳动组织，按定员定额组织生产。\n"
            "六、提高科学技术水平\n科学技术是生产力。\n")
    library = Library((build_document("报告.txt", text),))
    answer = library.ask("十条方针里第五条讲的什么").answer
    assert answer is not None and answer.section[-1] == "五、分批进行企业的全面整顿"
    assert "一是整顿和完善经济责任制" in answer.text and "二是整顿劳动组织" in answer.text
    assert [line[:5] for line in answer.outline] == ["一是整顿和", "二是整顿劳"]
    # A question that points nowhere is still answered by its sentence's passage alone.
    plain = library.ask("农业要因地制宜发展什么").answer
    assert plain is not None and plain.outline == ()


@pytest.mark.parametrize(("question", "position", "marker"), [
    ("回顾去年的工作，二是讲的啥", (2,), "二是"),
    ("“一要聚焦主线”后面，二要是啥", (2,), "二要"),  # 一要 inside the quote points nowhere
    ("统一是什么意思", (), ""),
    ("第三部分里的二是讲了什么", (3, 2), "二是"),
    ("基础配套里面第七要是啥", (7,), "七要"),
])
def test_an_item_marker_asked_about_is_a_position(question, position, marker):
    query = parse_question(question)
    assert query.position == position and query.item_marker == marker


def test_an_item_marker_points_at_the_item_headed_so():
    """"…自身建设，二是讲的啥" means the item "二是坚持依法行政", not 二、 nor （二）; where the
    document says its 二要 inside a paragraph, the words find that paragraph."""
    text = REPORT.replace("名词解释\n", "四、2025年工作要求\n实现全年目标，要把握以下几点。一要稳字当头。"
                                       "二要创新驱动，培育新动能。\n名词解释\n")
    library = Library((build_document("报告.txt", text),))
    item = library.ask("政府自身建设，二是讲的啥").answer
    assert item is not None and item.section[-1] == "二是坚持依法行政"
    inline = library.ask("实现全年目标“一要稳字当头”后面，二要是啥").answer
    assert inline is not None and "二要创新驱动" in inline.highlight + inline.text


def test_a_position_no_heading_has_is_an_item_its_passage_lists_inline():
    """"五个突破第二个是啥": the speech lists its 五个突破 inside one paragraph (一是…二是…), and
    no heading is second; the paragraph is quoted with its 二是 marked. So is "基础配套里面第三要"
    where the 一要…八要 of 基础配套 run on in its paragraphs."""
    speech = ("县委经济工作会议讲话\n一、认真总结成绩\n过去一年，全县经济保持较快发展。"
              "“五个突破”:一是项目工作取得新突破。全年实施50万元以上项目210个,完成投资32亿元。"
              "二是工业发展取得新突破。石油产能突破35万吨,刘园子煤矿实现了三井贯通。"
              "三是“三农”工作取得新突破。粮食总产再创新高,农民人均纯收入2333元。\n")
    library = Library((build_document("讲话.txt", speech),))
    answer = library.ask("县经济工作会议讲话 五个突破第二个是啥").answer
    assert answer is not None and answer.highlight == "二是工业发展取得新突破。"
    district = ("xx区经济工作会上讲话\n一、2021年工作回顾\n全区经济稳中有进。\n二、2022年的重点工作\n"
                "一是进一步坚持规划引领。科学的规划是核心价值所在，要严格实施规划，做到对号入座。\n"
                "二是进一步加强基础配套。基础配套建设是城市建设和产业项目建设基础的基础。"
                "一要推进路网配套，全力推进主干道路建设，打通断头路和瓶颈路。二要推进生态环境配套，"
                "三大主题公园年底前全部建成并投入运营。三要推进社会事业配套，新建中小学和幼儿园各两所，"
                "启动区医院迁建工程。四要推进商业配套，着力引进大型商超和连锁机构。\n")
    library = Library((build_document("区.txt", district),))
    answer = library.ask("2022重点工作第二是基础配套，里面第三要是啥").answer
    assert answer is not None and answer.highlight.startswith("三要推进社会事业配套")


SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/corpus is not beside the repository")
def test_positions_in_real_reports():
    from retrieval.document import load_document

    hubei = load_document(SHARED / "2025年湖北省政府工作报告.txt")
    assert [s.heading for s in sections_at(hubei, (3, 3))] == ["三是坚持依法行政，努力建设法治政府"]
    beijing = load_document(SHARED / "2025年北京市政府工作报告.docx")
    assert [s.heading[:13] for s in sections_at(beijing, (8,))] == ["（八）深入践行人民城市理念"]
    speech = load_document(SHARED / "speech_2020_xi_epidemic_and_economy_deployment_meeting.txt")
    assert [s.heading for s in sections_at(speech, (3, 8))] == ["第八，稳住外贸外资基本盘"]


@pytest.mark.parametrize("question", ["第二部分里基础配套方面有哪些任务", "第二部分的基础配套讲了什么"])
def test_a_part_and_a_topic_find_the_topics_section_within_the_part(seed_library, question):
    """The part's opening passage ("二、2022 年的重点工作") is not the answer when the question also
    names the section of it that it asks about."""
    reply = seed_library.ask(question)
    assert reply.answer is not None
    assert reply.answer.section[0].startswith("二、") and reply.answer.section[-1] == "二是进一步加强基础配套"


@pytest.mark.parametrize(("question", "topic_first"), [
    ("全面加强政府自身建设的第三条是什么", True),
    ("重点任务里最后一个方面讲了什么", True),
    ("湖北报告里全面加强政府自身建设的第三条是什么", True),  # after the document reference
    ("包头考评指标 政务服务一网通办下面第（三）项是啥", True),  # 下面 links too
    ("去年工作回顾第一部分总结了几点", False),  # no link: the words name the part pointed at
    ("第三部分政府自身建设第三条是什么", False),  # the position first
])
def test_a_topic_named_before_a_position_is_what_the_position_counts_in(question, topic_first):
    assert parse_question(question).topic_first is topic_first


def test_a_point_is_a_paragraph_opening_with_a_short_sentence_under_a_heading_without_parts():
    """"（十一）下面第一点是什么": （十一） has no numbered parts; its points are the paragraphs that open
    with a short sentence of their own ("毫不放松抓好安全生产。"), after the lead-in paragraph."""
    from retrieval.positions import paragraph_points

    text = ("（十一）提高城市本质安全水平，切实维护首都和谐稳定\n"
            "坚持未雨绸缪、防控结合，妥善防范化解各种风险挑战，确保首都政治安全、社会安定。\n"
            "毫不放松抓好安全生产。全面深化安全生产治本攻坚，推动重大事故隐患动态清零。\n"
            "深化城市韧性提升行动。建立健全首都韧性城市规划及标准体系。\n"
            "构建大平安工作格局。坚持和发展新时代“枫桥经验”。\n")
    assert paragraph_points(text) == ["毫不放松抓好安全生产。", "深化城市韧性提升行动。",
                                      "构建大平安工作格局。"]
    report = ("2025年某市政府工作报告\n各位代表：\n一、2024年工作回顾\n一是经济稳中向好。二是民生持续改善。\n"
              "二、2025年重点任务\n（一）扩大内需\n实施消费提振行动。\n"
              "（二）发展新质生产力\n培育未来产业。\n" + text)
    library = Library((build_document("报告.txt", report),))
    answer = library.ask("报告（十一）下面第二点是什么").answer
    assert answer is not None and answer.highlight == "深化城市韧性提升行动。"
    answer = library.ask("（十一）下面最后一点讲的啥").answer
    assert answer is not None and answer.highlight == "构建大平安工作格局。"


def test_an_article_counted_from_the_end_is_the_attachment_s_last_numbers():
    """"某市考评指标倒数第二条，牵头考核单位是谁": the attachment numbers its articles 1．… across its
    大项 (四、 is the last 大项, （一） the last part): the second article from the end is its 5．,
    not the second 大项 from the end."""
    pad = "各单位要加强组织领导，按时报送材料，确保考评工作取得实效。" * 6
    indicators = ("附件\n某市数字政府建设考评指标\n一、政务服务一网通办（25分）\n（一）推进一网通办（3分）\n"
                  f"1．推动政务服务事项全部进驻平台。{pad}（牵头考核单位：市政务服务局）\n"
                  f"2．推行告知承诺制。{pad}（牵头考核单位：市司法局）\n"
                  f"二、政府治理一网统管（25分）\n（一）建设城市大脑（3分）\n3．建设城市运行管理平台。{pad}"
                  "（牵头考核单位：市大数据局）\n"
                  f"三、政府办公协同（20分）\n（一）升级协同办公平台（3分）\n4．采用云平台构架。{pad}"
                  "（牵头考核单位：市政府办公室）\n"
                  f"四、强化基础设施支撑（10分）\n（一）夯实网络基础（3分）\n5．提供标准化组件和运行环境。{pad}"
                  f"（牵头考核单位：市工信局、市科技局）\n6．加强宣传推广。{pad}（牵头考核单位：市委宣传部）\n")
    notice = ("某市数字政府建设考评办法\n一、考评对象\n全市各部门。\n二、考评方式\n"
              f"日常监测。{pad}\n{indicators}")
    library = Library((build_document("办法.txt", notice),))
    answer = library.ask("某市考评指标倒数第二条，牵头考核单位是谁？").answer
    assert answer is not None and "市工信局、市科技局" in answer.text
    answer = library.ask("某市考评指标最后一条的牵头考核单位是哪几个？").answer
    assert answer is not None and "市委宣传部" in answer.highlight
