"""A question naming a document by its year and kind ("2023年政府工作报告…") is answered from that
document or not at all."""

from __future__ import annotations

import pytest

from retrieval.document import build_document
from retrieval.library import Library
from retrieval.question import parse_question
from retrieval.reply import NoAnswer, PassageAnswer


def report(year: int, growth: str) -> str:
    return (f"{year}年某市政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n"
            f"一、过去一年工作回顾\n全市生产总值增长{growth}，城镇新增就业5万人。\n"
            f"二、主要目标\n今年地区生产总值增长目标为{growth}左右，新建学校10所。\n")


SPEECH = "在全县经济工作会议上的讲话\n同志们：\n一、关于发展目标\n全县生产总值增长目标为6%左右。\n"


@pytest.mark.parametrize(("question", "named"), [
    ("2023年全国政府工作报告GDP目标定的多少", ((2023, "报告"),)),
    ("2018年的讲话说了什么", ((2018, "讲话"),)),
    ("1981年那份报告，企业全面整顿要做好哪几项工作", ((1981, "报告"),)),
    ("2025年云南省政府工作报告粮食产量", ((2025, "报告"),)),
    ("2022年基础配套有哪些任务", ()),  # a year of the text, not of a document
    ("2018年脱贫攻坚座谈会讲话的第二个问题讲的啥", ((2018, "讲话"),)),  # the meeting it was given at
    ("2022年经济工作会议上的讲话里", ((2022, "讲话"),)),
    ("2021年增长多少的报告", ()),  # a question between them: the year is asked
])
def test_a_year_before_a_kind_of_document_names_the_document(question, named):
    assert parse_question(question).named_by_year == named


def library(*documents: tuple[str, str]) -> Library:
    return Library(tuple(build_document(name, text) for name, text in documents))


def test_a_report_of_a_year_not_loaded_is_declined_and_the_closest_passages_shown():
    reports = library(("2021.txt", report(2021, "6%")), ("2022.txt", report(2022, "5.5%")))
    found = reports.ask("2022年政府工作报告生产总值增长目标是多少")
    assert isinstance(found, PassageAnswer) and found.answer.doc == "2022.txt"
    asked = "2023年政府工作报告生产总值增长目标是多少"
    assert isinstance(reports.ask(asked.replace("2023", "2021")), PassageAnswer)
    missing = reports.ask(asked)
    assert isinstance(missing, NoAnswer) and missing.results, "no 2023 report: declined, closest shown"


def test_a_document_of_unknown_year_of_the_kind_named_may_be_the_one_asked_for():
    unknown = report(2021, "6%").replace("2021年某市政府工作报告", "某市政府工作报告")
    reports = library(("2022.txt", report(2022, "5.5%")), ("无年份.txt", unknown))
    assert reports.documents[1].year is None
    assert isinstance(reports.ask("2023年政府工作报告生产总值增长目标是多少"), PassageAnswer)


def test_a_speech_of_unknown_year_does_not_stop_a_report_year_being_checked():
    loaded = library(("2022.txt", report(2022, "5.5%")), ("讲话.txt", SPEECH))
    assert loaded.documents[1].year is None
    assert isinstance(loaded.ask("2023年政府工作报告生产总值增长目标是多少"), NoAnswer)


def test_a_report_named_by_year_is_not_answered_from_another_years_report():
    with_tax = report(2021, "6%") + "三、民生\n个人所得税起征点提高到每月5000元。\n"
    reports = library(("2021.txt", with_tax), ("2022.txt", report(2022, "5.5%")))
    assert isinstance(reports.ask("2021年政府工作报告个人所得税起征点提到多少"), PassageAnswer)
    declined = reports.ask("2022年政府工作报告个人所得税起征点提到多少")
    assert isinstance(declined, NoAnswer) and declined.results, "the 2022 report does not say"


def test_a_year_asked_of_a_report_named_by_another_year_names_no_document():
    """"2022年政府工作报告说2021年粮食产量多少": 2021 is what the 2022 report reviews; it does not
    name the 2021 report, whose target for 2021 holds the same words and its year in its heading."""
    def national(year: int, review: str, target: str) -> str:
        return (f"{year}年政府工作报告\n各位代表：\n一、{year - 1}年工作回顾\n{review}\n"
                f"二、{year}年重点工作\n{target}\n")

    reports = library(
        ("2021.txt", national(2021, "粮食产量1.34万亿斤。", "2021年粮食产量保持在1.3万亿斤以上。")),
        ("2022.txt", national(2022, "粮食产量1.37万亿斤，创历史新高。", "粮食产量保持在1.3万亿斤以上。")))
    answer = reports.ask("2022年政府工作报告说2021年粮食产量多少斤").answer
    assert answer is not None and answer.doc == "2022.txt" and "1.37万亿斤" in answer.highlight


def test_a_report_named_by_year_and_kind_answers_before_a_speech_of_that_year():
    """"2022年政府工作报告回顾2021年有哪些成绩": the district's 2022 speech reviews 2021 too, in more
    of the question's words, but the question names the report."""
    speech = ("在2022年全区经济工作会议上的讲话\n同志们：\n一、2021年工作回顾\n"
              "回顾2021年，区政府工作在各方面都取得了成绩，各方面成绩来之不易，下面报告成绩。\n")
    review = ("2022年某市政府工作报告\n各位代表：\n一、2021年工作回顾\n"
              "回顾2021年，我们取得了新的成绩：全市生产总值增长5.5%，城镇新增就业5万人。\n")
    loaded = library(("2022.txt", review), ("讲话.txt", speech))
    assert loaded.documents[1].year == 2022
    found = loaded.ask("2022年政府工作报告回顾2021年，都有哪些方面的成绩")
    assert isinstance(found, PassageAnswer) and found.answer.doc == "2022.txt"
    spoken = loaded.ask("2022年的讲话回顾2021年，都有哪些方面的成绩")
    assert isinstance(spoken, PassageAnswer) and spoken.answer.doc == "讲话.txt"


def test_a_year_and_kind_naming_many_documents_asks_them_all_again_at_once(monkeypatch):
    """A library of one report per place and year: "2022年政府工作报告…" names each of them; they
    are asked again together, in one answer, not one answer apiece."""
    import retrieval.library as library_module

    reports = [(f"{n}.txt", f"2022年第{n}市政府工作报告\n各位代表：\n一、民生\n今年新建学校10所。\n")
               for n in range(7)]
    speech = ("在2022年全县经济工作会议上的讲话\n同志们：\n一、关于发展目标\n"
              "按照政府工作报告，全县生产总值增长目标为6%左右，政府工作报告提出的增长目标要完成。\n")
    loaded = library(*reports, ("讲话.txt", speech))
    calls: list[tuple[str, ...] | None] = []
    original = library_module.answer

    def counted(*args, **kwargs):
        calls.append(kwargs.get("docs"))
        return original(*args, **kwargs)

    monkeypatch.setattr(library_module, "answer", counted)
    found = loaded.ask("2022年政府工作报告生产总值增长目标是多少")
    assert calls == [None, tuple(name for name, _ in reports)]
    assert isinstance(found, PassageAnswer) and found.answer.doc == "讲话.txt"  # none of them says it


def test_the_year_naming_the_report_does_not_pick_its_part_when_another_year_is_asked():
    """"2020年全国GDP增长了多少（21年报告）": 2021 names the report; the answer is its review of
    2020, not "二、2021年重点工作" with this year's target. Without another year asked, the year
    also means the report's own year: "2021年政府工作报告 GDP增长目标" is its 2021 part."""
    text = ("2021年政府工作报告\n各位代表：\n一、2020年工作回顾\n经过艰苦努力，全年国内生产总值增长2.3%。\n"
            "二、2021年重点工作\n2021年全国国内生产总值增长目标为6%以上，2021年要保持宏观政策连续性，"
            "国内生产总值增长6%以上，全国城镇新增就业1100万人以上。\n")
    loaded = library(("2021.txt", text))
    review = loaded.ask("2020年全国GDP增长了多少（21年报告）")
    assert isinstance(review, PassageAnswer) and "2.3%" in review.answer.highlight
    target = loaded.ask("2021年政府工作报告 全国GDP增长目标")
    assert isinstance(target, PassageAnswer) and "6%以上" in target.answer.highlight


def test_this_years_target_answers_where_last_years_result_ranks_first():
    """Henan's 2025 report: "河南今年整车和新能源汽车产量目标是多少" ranks last year's "汽车整车产量突破
    110万辆，新能源汽车产量突破70万辆" first (it says 汽车产量 twice), which is of another year and
    declined; this year's "力争整车产量200万辆、新能源汽车140万辆" of the same report answers. A target
    the report does not set for this year is still declined."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "2025年河南省政府工作报告.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    library = Library((build_document(path.name, path.read_text(encoding="utf-8")),))
    reply = library.ask("河南今年整车和新能源汽车产量目标是多少")
    assert isinstance(reply, PassageAnswer) and "整车产量200万辆" in reply.passages[0].highlight
    assert reply.passages[1].highlight.startswith("汽车整车产量突破110万辆")  # ranked below it now
    assert isinstance(library.ask("河南今年旅游接待人次目标是多少"), NoAnswer)


def national_report(year: int, session: str, poverty: str) -> str:
    return (f"政府工作报告\n——{year}年3月5日在第十三届全国人民代表大会第{session}次会议上\n"
            "国务院总理 李克强\n各位代表：\n"
            f"一、过去一年工作回顾\n脱贫攻坚成果举世瞩目，{poverty}农村贫困人口实现脱贫。\n"
            "二、今年工作安排\n今年发展主要预期目标是：国内生产总值增长6%以上。\n")


def test_a_national_report_is_named_by_the_congress_session_it_was_given_at():
    """"十三届全国人大四次会议上的政府工作报告说…" names the report given "在第十三届全国人民代表大会第
    四次会议上", as people shorten it, not the one of the fifth session."""
    from retrieval.profile import congress_names

    header = ("——2021年3月5日在第十三届全国人民代表大会第四次会议上",)
    assert congress_names(header) == ["十三届全国人大四次会议"]
    lib = library(("2021年国务院政府工作报告.txt", national_report(2021, "四", "5575万")),
                  ("2022年国务院政府工作报告.txt", national_report(2022, "五", "1000万")))
    for session, doc, figure in (("四", "2021", "5575万"), ("五", "2022", "1000万")):
        reply = lib.ask(f"十三届全国人大{session}次会议上的政府工作报告说，有多少农村贫困人口实现脱贫？")
        assert isinstance(reply, PassageAnswer)
        assert doc in reply.answer.doc and figure in reply.answer.highlight


def test_a_year_a_span_starts_from_is_no_year_asked():
    """"云南是不是1950年以来头一回汛期洪涝灾害人员零伤亡" asks of the span up to now: the 2024 review
    answers it ("首次实现自1950年以来…零伤亡"), not being a passage about 1950."""
    assert parse_question("1950年以来头一回汛期洪涝灾害人员零伤亡吗").years_asked == ()
    assert parse_question("1950年汛期洪涝灾害有伤亡吗").years_asked == (1950,)
    report = ("2025年云南省政府工作报告\n各位代表：\n一、2024年工作回顾\n（八）安全底板加固筑牢。"
              "有效应对14轮强降雨，首次实现自1950年以来汛期洪涝灾害人员“零伤亡”。\n"
              "二、2025年工作安排\n（一）防汛。完善汛期洪涝灾害防御体系，减少人员伤亡。\n")
    library = Library((build_document("云南.txt", report),))
    answer = library.ask("云南是不是1950年以来头一回汛期洪涝灾害人员零伤亡？").answer
    assert answer is not None and "首次实现" in answer.highlight


def test_a_province_typed_by_its_abbreviation_names_its_report():
    """"滇 2024 GDP 总量 增速" asks Yunnan's report as "云南 2024 …" would: documents say 云南, never
    滇, so the abbreviation is spelled out at the start of a terse question; not the 鄂 of 鄂州."""
    from retrieval.text.places import with_province_spelled

    assert with_province_spelled("滇2024gdp总量,增速") == "云南2024gdp总量,增速"
    assert with_province_spelled("豫今年整车产量") == "河南今年整车产量"
    assert with_province_spelled("粤,今年,社零,目标") == "广东,今年,社零,目标"  # "粤 今年 社零 目标"
    assert with_province_spelled("鄂州花湖机场") == "鄂州花湖机场"
    assert with_province_spelled("京津冀协同发展") == "京津冀协同发展"
    hubei = ("2025年湖北省政府工作报告\n一、2024年工作回顾\n全省地区生产总值增长5.8％、增速全国第3，总量达到"
             "60013亿元；湖北经济稳中向好。\n二、2025年工作安排\n湖北要扩大有效投资。\n")
    yunnan = ("2025年云南省政府工作报告\n一、2024年工作回顾\n全省地区生产总值总量达到31534亿元、增长3.3%，"
              "规模以上工业增加值增长3.3%。云南生态环境持续改善。\n二、2025年工作安排\n云南要扩大有效投资。\n")
    library = Library((build_document("2025年湖北省政府工作报告.txt", hubei),
                       build_document("2025年云南省政府工作报告.txt", yunnan)))
    answer = library.ask("滇 2024 GDP 总量 增速").answer
    assert answer is not None and answer.doc == "2025年云南省政府工作报告.txt"


def test_a_report_named_by_year_answers_though_another_is_named_by_its_session():
    """"1981年五届人大四次会议报告十条方针的第四条是啥": the 2021 report's header names 人大 and 第四次
    会议, the 1981 report has no header; asked again of the 1981 report the year and kind name, the
    2021 report's name is no reason to decline the 1981 report's fourth principle."""
    r1981 = ("1981年政府工作报告\n各位代表：\n（一）当前的经济形势\n今年国民经济继续调整。\n"
             "（二）今后经济建设的方针\n一、依靠政策和科学，加快农业的发展。农业是国民经济的基础。\n二、把消费品工业的发展放到重要地位。\n"
             "三、提高能源的利用效率。\n四、有重点有步骤地进行技术改造，充分发挥现有企业的作用。技术改造要有重点。\n"
             "五、分批进行企业的全面整顿。\n")
    r2021 = ("政府工作报告\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n国务院总理 李克强\n"
             "各位代表：\n一、2020年工作回顾\n过去一年，经济增长2.3%。\n二、2021年重点工作\n四、推进技术改造。加快发展现代产业体系。\n")
    loaded = Library((build_document("gov_report_1981_national.txt", r1981),
                      build_document("gov_report_2021_national.txt", r2021)))
    found = loaded.ask("1981年五届人大四次会议报告十条方针的第四条是啥？").answer
    assert found is not None and found.doc == "gov_report_1981_national.txt"
    assert found.highlight.startswith("四、有重点有步骤地进行技术改造")
