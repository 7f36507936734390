"""A word one document of the library uses is not thereby the word of every document: in a report
that never writes GDP, its related 经济总量 is how that report says it."""

from __future__ import annotations

from retrieval.document import build_document
from retrieval.evidence import Wanted, as_document_says
from retrieval.library import Library
from retrieval.question import parse_question

ZHEJIANG = ("2025年浙江省政府工作报告\n各位代表：\n一、过去一年工作回顾\n全省GDP增长5.5%，新增就业100万人。\n"
            "二、今年的工作\n坚持项目为王，确保重大项目投资增速保持在较高水平。\n")
YUNNAN = ("2025年云南省政府工作报告\n各位代表：\n一、过去一年工作回顾\n全省地区生产总值增长3.3%。\n"
          "二、2025年总体要求\n今年经济社会发展的主要预期目标建议为：地区生产总值增长5%左右，产业投资增长7%左右。\n"
          "三、重点工作\n高新技术企业数增速保持全国前列。\n")


def library() -> Library:
    return Library((build_document("浙江.txt", ZHEJIANG), build_document("云南.txt", YUNNAN)))


def test_a_related_word_counts_in_full_in_a_document_that_never_uses_the_word():
    loaded = library()
    index = loaded.index
    wanted = Wanted.of(parse_question("GDP增速目标"), index)
    gdp = next(forms for _, forms, _ in wanted.terms if forms[0][0] == "gdp")
    assert dict(gdp)["经济总量"] < 1.0  # the library uses GDP (in Zhejiang's report)
    zhejiang, yunnan = index.document_names.index("浙江.txt"), index.document_names.index("云南.txt")
    asked_of_yunnan = as_document_says(wanted, yunnan, index)
    in_yunnan = next(forms for _, forms, _ in asked_of_yunnan.terms if forms[0][0] == "gdp")
    assert dict(in_yunnan)["经济总量"] == 1.0
    in_zhejiang = next(forms for _, forms, _ in as_document_says(wanted, zhejiang, index).terms
                       if forms[0][0] == "gdp")
    assert in_zhejiang == gdp  # Zhejiang writes GDP: its 经济总量 stays a related word


def test_the_named_report_is_answered_in_its_own_words():
    reply = library().ask("云南今年GDP增速目标定的多少")
    assert reply.answer is not None and reply.answer.doc == "云南.txt"
    assert "地区生产总值增长5%左右" in reply.answer.highlight


def test_a_name_the_text_often_says_still_names_its_document_but_one_it_says_throughout_does_not():
    from retrieval.index import naming_words

    passages = ["西藏经济总量翻番", "西藏农牧民增收", "全区粮食丰收", "西藏旅游兴旺", "全区就业稳定"]
    text = "2025年西藏自治区政府工作报告\n各位代表：\n" + "。\n".join(passages) + "。\n"
    report = build_document("西藏.txt", text)
    assert report.profile is not None and "西藏" in report.profile.aliases
    assert "西藏" in naming_words(report, passages)  # in 3 of 5 passages: still its name
    throughout = [f"西藏{p}" for p in passages]
    assert "西藏" not in naming_words(report, throughout)  # in every passage: what the text is about


def test_a_titles_long_words_name_its_document_unless_the_text_says_them_throughout():
    """"湖北省政府加强自身建设提出了哪几个坚持": 湖北省政府 of the title "2025年湖北省政府工作报告" names
    the report, and is not looked for in its passages; 政府 (two characters) is a word of them."""
    from retrieval.index import naming_words

    passages = ["坚持依法行政，建设法治政府", "坚持人民至上", "省政府将加强自身建设", "坚持清正廉洁",
                "全省经济向好"]
    text = "2025年湖北省政府工作报告\n各位代表：\n" + "。\n".join(passages) + "。\n"
    report = build_document("湖北.txt", text)
    names = naming_words(report, passages)
    assert {"湖北省政府", "省政府"} <= names and "政府" not in names
    throughout = [f"省政府{p}" for p in passages]
    assert "省政府" not in naming_words(report, throughout)


def test_another_name_of_the_thing_counts_in_full_a_related_word_half():
    """"= GDP 生产总值 …" in the related-terms file: in Zhejiang's report, which writes GDP too, its
    生产总值 still says what "GDP增长目标" asks; 经济总量, only related, counts half."""
    from retrieval import rules

    assert "生产总值" in rules.equivalents()["gdp"] and "经济总量" not in rules.equivalents()["gdp"]
    assert "经济总量" in rules.related()["gdp"]
    index = library().index
    gdp = dict(next(forms for _, forms, _ in Wanted.of(parse_question("GDP增长目标"), index).terms
                    if forms[0][0] == "gdp"))
    assert gdp["生产总值"] == 1.0 and gdp["经济总量"] < 1.0
