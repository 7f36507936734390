"""Questions that point at a numbered part find it, whatever its numbering style."""

from retrieval.document import build_document
from retrieval.library import Library
from retrieval.question import referenced_part
from retrieval.text.markers import heading_number

SPEECH = """关于脱贫攻坚的讲话
第一个问题：深刻认识脱贫攻坚取得的决定性进展
五年来，农村贫困人口大幅减少，贫困地区农民收入较快增长。
第二个问题：清醒把握打赢脱贫攻坚战的困难挑战
深度贫困地区脱贫难度大，一些地方脱贫质量不高。
第三个问题：全面打好脱贫攻坚战
要加强组织领导，坚持精准方略，加大投入力度。
"""


def test_references_in_questions():
    assert referenced_part("第二个问题讲的是什么") == (2, "第二个问题")
    assert referenced_part("十条方针里第六条讲的什么") == (6, "第六条")
    assert referenced_part("第3部分有哪些任务") == (3, "第3部分")
    assert referenced_part("重点任务第二块产业那部分主要讲啥") == (2, "第二块")
    assert referenced_part("第一书记累计派了多少人") is None  # 第一书记 is a title, not a part


def test_numbers_of_headings_in_every_style():
    headings = ["六、讲究生财", "（三）着力稳定", "(3)加强", "二是坚持", "一要推进", "第四，建立",
                "第二个问题：清醒", "第十条 本办法", "2．加强", "十一、其他"]
    assert [heading_number(h) for h in headings] == [6, 3, 3, 2, 1, 4, 2, 10, 2, 11]
    assert heading_number("2.5万人") is None and heading_number("2022 年工作") is None


def test_a_part_named_only_by_its_number_is_quoted():
    library = Library((build_document("speech.txt", SPEECH),))
    answer = library.ask("第二个问题讲的是什么").answer
    assert answer.section == ("第二个问题：清醒把握打赢脱贫攻坚战的困难挑战",)
    assert library.ask("第三个问题有哪些要求").answer.section[0].startswith("第三个问题")


def test_a_time_asked_of_an_item_pointed_at_is_read_in_its_passage():
    """"第三个问题的第六点，把哪一年定成了什么年": the item's best sentence is its heading "第六，加强作风
    建设。"; the year it names comes after, in the passage. An item that names no year is declined."""
    speech = ("关于脱贫攻坚的讲话\n第一个问题：深刻认识脱贫攻坚取得的决定性进展\n"
              "五年来，农村贫困人口大幅减少。\n"
              "第二个问题：清醒把握打赢脱贫攻坚战的困难挑战\n深度贫困地区脱贫难度大。\n"
              "第三个问题：全面打好脱贫攻坚战\n第五，加强组织领导。要压实责任。\n"
              "第六，加强作风建设。党中央决定，把2018年作为脱贫攻坚作风建设年。\n")
    library = Library((build_document("speech.txt", speech),))
    answer = library.ask("第三个问题的第六点，把哪一年定成了什么年").answer
    assert answer is not None and "2018年作为脱贫攻坚作风建设年" in answer.text
    assert library.ask("第三个问题的第五点，把哪一年定成了什么年").answer is None


def test_a_figure_asked_of_an_item_pointed_at_is_highlighted_not_its_heading():
    """"十个方面里第五个，今年城中村和老旧小区各改造多少个" asks a figure of the fifth item: the sentence
    giving it is marked, not the item's heading; "第五个是啥" still marks the heading."""
    report = ("2025年政府工作报告\n各位代表：\n一、2024年工作回顾\n经济稳中向好。\n二、2025年重点工作\n"
              + "".join(f"（{n}）第{n}方面的工作。做好第{n}方面的事情。\n" for n in "一二三四")
              + "（五）更大力度推动新型城镇化。深入实施城市更新行动，"
              "今年改造城中村300个、老旧小区2000个。加快县城建设。\n"
              + "".join(f"（{n}）第{n}方面的工作。做好第{n}方面的事情。\n" for n in "六七八九十"))
    library = Library((build_document("报告.txt", report),))
    answer = library.ask("十个方面重点工作里第五个，今年城中村和老旧小区各改造多少个").answer
    assert answer is not None and "改造城中村300个" in answer.highlight
    answer = library.ask("十个方面重点工作里第五个是啥").answer
    assert answer is not None and answer.highlight.startswith("（五）更大力度推动新型城镇化")
