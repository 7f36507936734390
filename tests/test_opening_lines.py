"""The lines a document opens with (title, occasion and date, speaker) say which document it is;
they answer no question about what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.document import build_document
from retrieval.library import Library, load_library
from retrieval.reply import PassageAnswer

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

SPEECH = """在全市乡村振兴座谈会上的讲话（2024年3月1日）
同志们：
今天召开全市乡村振兴座谈会，主要是总结经验、部署工作。五年来，全市农村面貌显著改善，累计减贫6853万人。
一、关于乡村产业
要发展特色产业，建设高标准农田10万亩，培育龙头企业20家。
二、关于乡村建设
要改善农村人居环境，新建农村公路500公里。
"""
REPORT = """2024年某市政府工作报告
各位代表：
现在，我代表市人民政府向大会报告工作。
一、过去一年工作回顾
全市生产总值增长6%，城镇新增就业5万人。
二、今年重点任务
推进城市更新，改造老旧小区100个。
"""


def test_the_profile_keeps_the_header_lines_it_was_read_from():
    speech = build_document("讲话.txt", SPEECH)
    assert speech.profile is not None
    assert speech.profile.header == ("在全市乡村振兴座谈会上的讲话（2024年3月1日）",)


def test_a_question_naming_a_speech_is_not_answered_by_its_title_line():
    library = Library((build_document("讲话.txt", SPEECH), build_document("报告.txt", REPORT)))
    reply = library.ask("乡村振兴座谈会讲话里5年累计减贫多少人")
    assert isinstance(reply, PassageAnswer) and reply.answer.doc == "讲话.txt"
    # The title line holds every word naming the speech and a date (a number): it used to win.
    assert reply.answer.highlight == "五年来，全市农村面貌显著改善，累计减贫6853万人。"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
def test_a_report_named_by_place_and_year_is_answered_from_its_text_not_its_byline(tmp_path):
    names = ("2025年北京市政府工作报告.docx", "2025年河南省政府工作报告.txt", "gov_report_2025_yunnan.txt")
    for name in names:
        (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
    library, _ = load_library(tmp_path)
    beijing = library.document("2025年北京市政府工作报告.docx")
    assert beijing is not None and beijing.profile is not None
    assert any("殷勇同志作政府工作报告" in line for line in beijing.profile.header)
    reply = library.ask("北京市2025年计划重点培育哪些未来产业？")
    assert isinstance(reply, PassageAnswer) and reply.answer.doc == "2025年北京市政府工作报告.docx"
    assert "未来产业" in reply.answer.highlight and "殷勇" not in reply.answer.highlight

