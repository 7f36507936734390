"""Document profiles: every corpus document and the seed, read by hand, plus synthetic cases.

The expected values below were read from the documents themselves (their title, date and
speaker lines), not from the code's output.
"""

from __future__ import annotations

import datetime
import statistics
import time
from pathlib import Path

import pytest

from retrieval.clean import clean_text, guess_title
from retrieval.profile import KINDS, Profile, apply_overrides, parse_date, profile_of
from retrieval.reader import read_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed"
needs_shared = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
needs_seed = pytest.mark.skipif(not SEED.is_dir(), reason="../shared/seed is not beside the repository")

D = datetime.date
# file: (title, year, place, kind, speaker, date)
Row = tuple[str, int | None, str | None, str, str | None, datetime.date | None]
# file: (title, year, place, kind, speaker, date)
EXPECTED: dict[str, Row] = {
    "2025年河南省政府工作报告.txt": (
        "2025年河南省政府工作报告", 2025, "河南省", "政府工作报告", "王凯", D(2025, 1, 18)),
    "2025年浙江省政府工作报告.txt": (
        "2025年浙江省政府工作报告", 2025, "浙江省", "政府工作报告", "刘捷", D(2025, 1, 14)),
    "2025年湖北省政府工作报告.txt": (
        "2025年湖北省政府工作报告", 2025, "湖北省", "政府工作报告", "李殿勋", D(2025, 1, 16)),
    "2025年北京市政府工作报告.docx": (
        "2025年北京市政府工作报告", 2025, "北京市", "政府工作报告", "殷勇", D(2025, 1, 14)),
    "2025年广东省政府工作报告.docx": (
        "2025年广东省政府工作报告", 2025, "广东省", "政府工作报告", "王伟中", D(2025, 1, 15)),
    # No title, date or speaker in the text (the file starts "各位代表："): the name gives the year.
    "gov_report_1981_national.txt": (
        "1981年政府工作报告（国务院）", 1981, "全国", "政府工作报告", None, None),
    "gov_report_2021_national.txt": (
        "2021年政府工作报告（国务院）", 2021, "全国", "政府工作报告", "李克强", D(2021, 3, 5)),
    "gov_report_2022_national.txt": (
        "2022年政府工作报告（国务院）", 2022, "全国", "政府工作报告", "李克强", D(2022, 3, 5)),
    "gov_report_2025_xizang.txt": (
        "2025年西藏政府工作报告", 2025, "西藏自治区", "政府工作报告", "嘎玛泽登", D(2025, 1, 19)),
    "gov_report_2025_yunnan.txt": (
        "2025年云南省政府工作报告", 2025, "云南省", "政府工作报告", "王予波", D(2025, 1, 18)),
    # The notice's 《…》: the 办法 it carries is the document; dated by its signature line.
    "policy_2022_baotou_digital_government_assessment.txt": (
        "包头市2022年数字政府建设考评办法", 2022, "包头市", "办法", None, D(2022, 4, 14)),
    "speech_2018_xi_poverty_alleviation_symposium.txt": (
        "在打好精准脱贫攻坚战座谈会上的讲话", 2018, "全国", "讲话", "习近平", D(2018, 2, 12)),
    # No title: the occasion from "今天，我们召开…会议"; the date from the press dateline + issue stamp.
    "speech_2020_xi_epidemic_and_economy_deployment_meeting.txt": (
        "在统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议上的讲话", 2020, "全国", "讲话", None,
        D(2020, 2, 23)),
    # An excerpt that names neither its county nor a year.
    "speech_county_economic_work_conference_excerpt.txt": (
        "县长在县委全委(扩大)会暨全县经济工作会议上的讲话", None, None, "讲话", "县长", None),
}
SEED_EXPECTED = ("xx区2022年经济工作会上讲话", 2022, "xx区", "讲话", None, None)


def _profile(path: Path) -> Profile:
    raw = read_text(path)
    return profile_of(path.name, raw, clean_text(raw), guess_title(raw, path.stem))


def _fields(profile: Profile) -> Row:
    return (profile.title, profile.year, profile.place, profile.kind, profile.speaker, profile.date)


def _documents() -> list[Path]:
    corpus = sorted(p for p in CORPUS.glob("*") if p.suffix in (".txt", ".docx"))
    return corpus + sorted(SEED.glob("*.txt"))


def _synthetic(name: str, raw: str) -> Profile:
    return profile_of(name, raw, clean_text(raw), guess_title(raw, Path(name).stem))


# --- Corpus and seed -----------------------------------------------------------------------------


@needs_shared
def test_every_corpus_document_is_listed_here():
    assert {p.name for p in CORPUS.glob("*") if p.suffix in (".txt", ".docx")} == set(EXPECTED)


@needs_shared
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_profile(name: str):
    profile = _profile(CORPUS / name)
    assert _fields(profile) == EXPECTED[name]


@needs_seed
def test_seed_profile():
    path = next(SEED.glob("*.txt"))
    profile = _profile(path)
    assert _fields(profile) == SEED_EXPECTED
    assert {"xx区", "2022年xx", "经济工作会"} <= set(profile.aliases)


@needs_shared
def test_no_title_is_an_ascii_file_name_when_the_text_offers_one():
    for path in _documents():
        assert not _profile(path).title.isascii(), path.name

@needs_shared
def test_aliases_name_place_year_and_speaker():
    yunnan = _profile(CORPUS / "gov_report_2025_yunnan.txt")
    assert {"云南", "云南省", "2025年云南", "王予波"} <= set(yunnan.aliases)
    national = _profile(CORPUS / "gov_report_2022_national.txt")
    assert {"国务院", "全国", "李克强"} <= set(national.aliases)
    assert "李克强" in _profile(CORPUS / "gov_report_2021_national.txt").aliases
    baotou = _profile(CORPUS / "policy_2022_baotou_digital_government_assessment.txt")
    assert {"包头", "包头市", "2022年包头", "数字政府建设考评办法"} <= set(baotou.aliases)
    county = _profile(CORPUS / "speech_county_economic_work_conference_excerpt.txt")
    assert {"全县经济工作会议", "县委全委(扩大)会"} <= set(county.aliases)
    assert "县长" not in county.aliases  # an office, not a name
    xi = _profile(CORPUS / "speech_2018_xi_poverty_alleviation_symposium.txt")
    assert {"打好精准脱贫攻坚战座谈会", "习近平"} <= set(xi.aliases)
    assert "国务院" not in xi.aliases


@needs_shared
def test_display_adds_speaker_and_date_to_a_speech():
    xi = _profile(CORPUS / "speech_2018_xi_poverty_alleviation_symposium.txt")
    assert xi.display() == "在打好精准脱贫攻坚战座谈会上的讲话（习近平，2018年2月12日）"
    assert _profile(CORPUS / "gov_report_2025_yunnan.txt").display() == "2025年云南省政府工作报告"


@needs_shared
def test_profiles_are_cheap():
    inputs = []
    for path in _documents():
        raw = read_text(path)
        inputs.append((path.name, raw, clean_text(raw), guess_title(raw, path.stem)))
    profile_of(*inputs[0])  # rules loaded once
    times = []
    for args in inputs:
        start = time.perf_counter()
        profile_of(*args)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.02


@needs_shared
def test_json_round_trip_on_every_document():
    for path in _documents():
        profile = _profile(path)
        assert Profile.from_json(profile.to_json()) == profile, path.name


# --- Synthetic documents ------------------------------------------------------------------------


def test_notice_with_a_document_in_book_title_marks():
    raw = ("成都市人民政府办公厅关于印发《成都市2023年营商环境优化实施方案》的通知\n"
           "成办发〔2023〕5号\n各区（市）县人民政府，市政府各部门：\n"
           "现将《成都市2023年营商环境优化实施方案》印发给你们，请认真贯彻执行。\n2023年3月1日\n"
           "一、总体要求\n全市上下要持续优化营商环境。\n")
    profile = _synthetic("notice.txt", raw)
    assert profile.title == "成都市2023年营商环境优化实施方案"
    assert (profile.year, profile.place, profile.kind) == (2023, "成都市", "通知")
    assert profile.date == D(2023, 3, 1)
    assert {"成都", "营商环境优化实施方案"} <= set(profile.aliases)
    measures = _synthetic("n.txt", raw.replace("营商环境优化实施方案", "公共数据管理办法（试行）"))
    assert measures.kind == "办法"


def test_notices_as_database_exports_give_them():
    """北大法宝 exports: citation code, link, the title twice, a document number; long titles."""
    head = "【法宝引证码】 CLI.12.4638041\n原文链接：https://www.pkulaw.com/lar/e069.html\n"
    long_title = ("安徽省人民政府办公厅关于印发支持工业互联网发展若干政策和安徽省工业互联网创新发展行动计划"
                  "(2021—2023年)的通知")
    raw = (f"{head}{long_title}\n{long_title}\n（皖政办秘〔2021〕82号）\n各市、县人民政府：\n"
           "现将…印发给你们。\n2021年9月2日\n")
    profile = _synthetic("安徽省人民政府办公厅关于印发支持工业互联网...(FBM-CLI.12.4638041).txt", raw)
    assert (profile.title, profile.kind) == (long_title, "通知")  # no document named: the whole title
    assert (profile.place, profile.date) == ("安徽省", D(2021, 9, 2))
    opinion = ("安徽省推进“三地一区”建设领导小组改革开放新高地执行小组办公室关于印发"
               "安徽省关于加快对接区域全面经济伙伴关系协定(RCEP)经贸新规则扎实推进高水平开放实施意见的通知")
    profile = _synthetic("x.txt", f"{head}{opinion}\n{opinion}\n（皖开放办〔2022〕6号）\n各市人民政府：\n")
    assert profile.title.startswith("安徽省关于加快对接区域全面经济伙伴关系协定(RCEP)")
    assert profile.title.endswith("经贸新规则扎实推进高水平开放实施意见")
    assert (profile.kind, profile.place) == ("意见", "安徽省")  # not the slogan “三地一区”
    bureau = "北京市经济和信息化局印发《关于推进北京市数据专区建设的指导意见》的通知"
    profile = _synthetic("x.txt", f"{bureau}\n京经信发〔2022〕87号\n各区政府,各相关单位：\n")
    assert profile.title == "关于推进北京市数据专区建设的指导意见"
    assert (profile.kind, profile.place) == ("意见", "北京市")
    region = "内蒙古自治区包头市人民政府关于加快数字政府建设的意见"
    assert _synthetic("x.txt", f"{region}\n各旗县区人民政府：\n").place == "包头市"


def test_ascii_file_name_with_a_chinese_title_line():
    raw = ("2024年甘肃省政府工作报告\n——2024年1月25日在甘肃省第十四届人民代表大会第二次会议上\n省长 任振鹤\n"
           "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n一、2023年工作回顾\n全省经济持续回升。\n")
    profile = _synthetic("report_2024_gs.txt", raw)
    expected = ("2024年甘肃省政府工作报告", 2024, "甘肃省", "政府工作报告", "任振鹤", D(2024, 1, 25))
    assert _fields(profile) == expected
    assert {"甘肃", "甘肃省", "2024年甘肃"} <= set(profile.aliases)


def test_bare_government_work_report_is_qualified_with_year_and_place():
    local = ("政府工作报告\n——2023年1月15日在四川省第十四届人民代表大会第一次会议上\n"
             "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n")
    profile = _synthetic("report.txt", local)
    assert (profile.title, profile.place, profile.year) == ("2023年四川省政府工作报告", "四川省", 2023)
    national = ("政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理 李克强\n"
                "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n")
    profile = _synthetic("report.txt", national)
    assert (profile.title, profile.place) == ("2023年政府工作报告（国务院）", "全国")
    assert (profile.speaker, profile.date) == ("李克强", D(2023, 3, 5))


def test_report_title_without_a_year_gets_the_year_of_its_date():
    raw = ("# 内蒙古自治区政府工作报告\n——2024年1月23日在内蒙古自治区第十四届人民代表大会第二次会议上\n"
           "自治区主席 王莉霞\n各位代表：\n")
    profile = _synthetic("nm.docx", raw)
    assert profile.title == "2024年内蒙古自治区政府工作报告"
    assert (profile.place, profile.speaker) == ("内蒙古自治区", "王莉霞")
    assert {"内蒙古", "2024年内蒙古"} <= set(profile.aliases)


def test_a_plan_speaks_from_the_first_year_of_its_period():
    profile = _synthetic("plan.txt", "包头市“十四五”数字经济发展规划（2021—2025年）\n一、发展基础\n")
    assert (profile.kind, profile.year, profile.place) == ("规划", 2021, "包头市")
    raw = "杭州市人民政府办公厅关于印发杭州市数字政府建设实施方案的通知\n各区人民政府：\n"
    notice = _synthetic("n.txt", raw)
    assert (notice.kind, notice.place) == ("通知", "杭州市")
    assert not any("关于" in alias for alias in notice.aliases)  # no "人民政府办公厅关于印发…" alias


def test_untitled_report_to_a_congress_is_recognised_by_its_opening():
    raw = ("各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n"
           "全市经济运行稳中向好，我市、全市、市委…\n")
    profile = _synthetic("bericht_2023.txt", raw)
    assert (profile.kind, profile.year) == ("政府工作报告", 2023)
    assert profile.title == "2023年政府工作报告"  # no place named anywhere: year only


def test_older_report_openings_are_recognised():
    """1959–1980 reports open "我受国务院的委托" or "根据国务院的决定" rather than "我代表国务院"."""
    for opening in ("我受国务院的委托，现在向大会提出关于1980、1981年国民经济计划安排的报告，请予审议。",
                    "我现在根据国务院的决定，向第二届全国人民代表大会第一次会议作政府工作报告。"):
        raw = f"各位代表：\n{opening}\n全国各族人民…全国…我国…\n"
        profile = _synthetic("gov_report_1980_national.txt", raw)
        assert (profile.kind, profile.place) == ("政府工作报告", "全国")
        assert profile.title == "1980年政府工作报告（国务院）"


def test_a_resolution_on_the_report_is_no_report():
    raw = ("第十三届全国人民代表大会第五次会议关于政府工作报告的决议\n"
           "（2022年3月11日第十三届全国人民代表大会第五次会议通过）\n"
           "第十三届全国人民代表大会第五次会议听取和审议了国务院总理李克强所作的政府工作报告。\n")
    profile = _synthetic("r.txt", raw)
    assert (profile.kind, profile.place, profile.date) == ("其他", "全国", D(2022, 3, 11))
    cut = _synthetic("r.txt", "第十二届全国人民代表大会第二次会议听取和审议了国务院总理李克强所作的\n"
                              "政府工作报告。\n")
    assert not cut.title.endswith("的")  # a line cut mid-sentence is no title


def test_docx_heading_title():
    raw = "# 在南宁市优化营商环境大会上的讲话\n同志们：\n今天，我们召开全市优化营商环境大会。\n一、认清形势\n"
    profile = _synthetic("speech.docx", raw)
    assert profile.title == "在南宁市优化营商环境大会上的讲话"
    assert (profile.kind, profile.place) == ("讲话", "南宁市")
    assert {"南宁", "南宁市优化营商环境大会", "优化营商环境大会"} <= set(profile.aliases)


def test_no_title_falls_back_to_the_file_name():
    raw = "同志们：\n我讲三点意见。\n一、认清形势\n全县上下要再接再厉。\n"
    chinese = _synthetic("2024年渭源县经济工作会议讲话.txt", raw)
    assert chinese.title == "2024年渭源县经济工作会议讲话"
    assert (chinese.year, chinese.place, chinese.kind) == (2024, "渭源县", "讲话")
    ascii_only = _synthetic("notes_2024.txt", raw)
    assert (ascii_only.title, ascii_only.year, ascii_only.kind) == ("notes_2024", 2024, "讲话")
    assert ascii_only.place is None  # 全县 names no county


def test_national_speech_is_not_placed_in_the_province_it_discusses():
    raw = ("同志们：\n今天，我们召开中央经济工作会议。\n"
           "湖北、武汉的工作很重要，湖北要抓紧，武汉要抓紧，湖北、湖北。\n"
           "全党全国要团结一心，我国经济长期向好，全国各族人民…\n")
    profile = _synthetic("talk.txt", raw)
    assert (profile.title, profile.place) == ("在中央经济工作会议上的讲话", "全国")


def test_speech_titles_from_openings_and_press_reprints():
    celebration = ("同志们，朋友们：今天，我们在这里隆重集会，纪念中国人民志愿军抗美援朝出国作战70周年。"
                   "70年前…（新华社北京10月23日电）《 人民日报 》（ 2020年10月24日 02 版）")
    profile = _synthetic("xi_51.txt", celebration)
    assert profile.title == "在纪念中国人民志愿军抗美援朝出国作战70周年大会上的讲话"
    assert (profile.kind, profile.date) == ("讲话", D(2020, 10, 23))
    symposium = "今天，我们召开一个企业家座谈会，一是同大家谈谈心，二是给大家鼓鼓劲。"
    assert _synthetic("xi_28.txt", symposium).title == "在企业家座谈会上的讲话"
    glued = ("新华社上海11月12日电在浦东开发开放30周年庆祝大会上的讲话（2020年11月12日）"
             "习近平女士们，先生们，同志们：30年前，国际形势风云变幻……")
    profile = _synthetic("xi_46.txt", glued)
    assert profile.title == "在浦东开发开放30周年庆祝大会上的讲话"
    assert (profile.speaker, profile.place) == ("习近平", None)  # the dateline's 上海 is not its place
    guests = _synthetic("x.txt", "大会主席先生，世界卫生组织总干事先生，各位代表：\n首先，我认为…\n")
    assert guests.speaker is None  # 先生 is no name
    forum = ("共抗疫情，共促复苏，共谋和平——在第三届巴黎和平论坛的致辞（2020年11月12日，北京）"
             "中华人民共和国主席 习近平尊敬的马克龙总统，…到2035年…2035年远景目标…2060年前实现碳中和…")
    assert _synthetic("xi_45.txt", forum).date == D(2020, 11, 12)


def test_a_goal_year_is_not_the_year_a_text_speaks_from():
    text = "到2035年基本实现现代化，2060年前实现碳中和，2060年前……2021年是开局之年。"
    assert _synthetic("letter.txt", text).year == 2021


def test_provincial_text_without_header_takes_the_province_it_names_most():
    raw = "各位代表：\n全省经济稳中向好，全省上下、我省、省委、青海要……青海的生态，青海的民生，北京的支持。\n"
    assert _synthetic("x.txt", raw).place == "青海省"


def test_signature_dates_in_chinese_numerals_and_export_fields():
    notice = ("关于做好2022年春节期间安全生产工作的通知\n各县区人民政府：\n请认真做好安全生产工作。\n"
              "沧州市人民政府办公室\n二〇二二年一月十四日\n")
    profile = _synthetic("n.txt", notice)
    assert (profile.date, profile.year, profile.kind) == (D(2022, 1, 14), 2022, "通知")
    assert profile.place == "沧州市"  # the issuer it is signed by
    export = "发布部门：某市人民政府 发布日期：2021.12.30\n关于加强数据安全管理的意见\n各区人民政府：\n"
    assert _synthetic("e.txt", export).date == D(2021, 12, 30)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("二〇二二年四月十四日", D(2022, 4, 14)),
        ("二〇二二年十月一日", D(2022, 10, 1)),
        ("二〇二二年十二月三十一日", D(2022, 12, 31)),
        ("２０２２年３月５日", D(2022, 3, 5)),
        ("发布日期：2022.04.14", D(2022, 4, 14)),
        ("2022年2月30日", None),
        ("二〇二二年二月三十日", None),
    ],
)
def test_parse_date(text: str, date: datetime.date | None):
    assert parse_date(text) == date


def test_a_press_dateline_is_not_the_place():
    raw = ("政府工作报告\n新华社北京3月5日电\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n"
           "国务院总理 李克强\n各位代表：\n现在，我代表国务院，向大会报告政府工作。\n")
    assert _synthetic("r.txt", raw).place == "全国"


def test_a_city_named_like_its_province():
    raw = "2024年吉林市政府工作报告\n各位代表：\n现在，我代表市人民政府，向大会报告工作。\n"
    profile = _synthetic("r.txt", raw)
    assert (profile.place, profile.title) == ("吉林市", "2024年吉林市政府工作报告")
    assert _synthetic("r.txt", raw.replace("吉林市", "吉林省")).place == "吉林省"


def test_speaker_named_in_the_title():
    raw = "市委书记张伟在全市经济工作会议上的讲话\n同志们：\n今天的会议很重要。\n"
    profile = _synthetic("s.txt", raw)
    assert (profile.speaker, profile.kind) == ("张伟", "讲话")
    assert "全市经济工作会议" in profile.aliases
    leader = _synthetic("s.txt", "习近平：在企业家座谈会上的讲话\n各位企业家：\n")
    assert leader.speaker == "习近平"
    assert "企业家座谈会" in leader.aliases
    reported = _synthetic("s.txt", "关于政府工作报告的决议\n会议听取了国务院总理李强所作的政府工作报告。\n")
    assert reported.speaker is None  # not in the header
    comrade = _synthetic("s.txt", "张伟同志在全市经济工作会议上的讲话\n（2024年1月5日）\n同志们：\n")
    assert (comrade.speaker, comrade.date) == ("张伟", D(2024, 1, 5))
    local = _synthetic("s.txt", "在全市2024年经济工作会议上的讲话\n市委书记 张伟\n（2024年1月5日）\n同志们：")
    assert (local.speaker, local.date, local.year) == ("张伟", D(2024, 1, 5), 2024)
    award = _synthetic("s.txt", "关于表彰2023年度优秀县长的决定\n各乡镇：\n")
    assert award.speaker is None  # "县长的决定" names nobody
    titled = _synthetic("s.txt", "在全县经济工作会议上的讲话\n讲话稿\n同志们：\n")
    assert titled.speaker is None  # "讲话稿" on a line of its own is no name


# --- Overrides --------------------------------------------------------------------------------------


def _base() -> Profile:
    profile = Profile(title="2025年云南省政府工作报告", year=2025, place="云南省", kind="政府工作报告")
    return profile.with_aliases()


def test_overrides_correct_fields_and_derive_aliases_again():
    corrections = {"place": "贵州省", "year": "2024年", "speaker": "李炳军", "date": "2024年1月23日"}
    fixed = apply_overrides(_base(), corrections)
    assert (fixed.place, fixed.year, fixed.speaker, fixed.date) == ("贵州省", 2024, "李炳军", D(2024, 1, 23))
    assert {"贵州", "2024年贵州", "李炳军"} <= set(fixed.aliases)
    assert "云南" not in fixed.aliases
    cleared = apply_overrides(fixed, {"speaker": "", "date": None})
    assert (cleared.speaker, cleared.date) == (None, None)
    assert apply_overrides(_base(), {"date": "2025-01-18"}).date == D(2025, 1, 18)
    assert apply_overrides(_base(), {}) == _base()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"year": 1948}, "1949"),
        ({"year": 2101}, "2100"),
        ({"year": "明年"}, "年份"),
        ({"year": True}, "年份"),
        ({"kind": "新闻"}, "类型"),
        ({"date": "2025-02-30"}, "日期"),
        ({"date": "昨天"}, "日期"),
        ({"title": "  "}, "标题"),
        ({"title": "长" * 101}, "标题"),
        ({"place": 5}, "地点"),
        ({"speaker": "名" * 31}, "讲话人"),
        ({"author": "x"}, "未知字段"),
    ],
)
def test_bad_overrides_are_refused_in_chinese(overrides: dict, message: str):
    with pytest.raises(ValueError, match=message):
        apply_overrides(_base(), overrides)


def test_json_round_trip_and_bad_json():
    profile = apply_overrides(_base(), {"speaker": "王予波", "date": "2025-01-18"})
    data = profile.to_json()
    assert data["date"] == "2025-01-18" and "aliases" not in data
    assert Profile.from_json(data) == profile
    with pytest.raises(ValueError):
        Profile.from_json({"year": 2025})
    with pytest.raises(ValueError):
        Profile.from_json({**data, "kind": "小说"})


def test_kinds_are_the_documented_set():
    assert KINDS == ("政府工作报告", "讲话", "通知", "办法", "规划", "意见", "报告", "其他")


@needs_shared
def test_places_below_a_province_are_found_where_the_whole_line_finds_them():
    """_local_places runs the place expression near suffixes only: the same matches as over the
    whole text, on every corpus document (whole and line by line) and on random strings of
    suffixes, boundaries and name characters."""
    import random

    from retrieval.profile import _local_places, _rules

    pattern = _rules().local_place

    def found(matches):
        return [(m.span(), m.group("place")) for m in matches]

    for path in sorted([*CORPUS.glob("*.txt"), *SEED.glob("*.txt")]):
        text = read_text(path)
        assert found(_local_places(text)) == found(pattern.finditer(text)), path.name
        for line in text.splitlines():
            assert found(_local_places(line)) == found(pattern.finditer(line))
    rng = random.Random(5)
    alphabet = "自治州县旗地区新市盟省在的和与及上年北京包头凉山彝族a1“ ，。"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert found(_local_places(text)) == found(pattern.finditer(text)), text


def test_scope_words_are_counted_as_str_count_counts_them():
    """scope_counts counts in the text reduced to the scope words' characters: the same counts as
    str.count over the whole text, on every corpus document and on words side by side, overlapping
    (全省委) or cut by other characters (全 省, 全\\n省)."""
    from retrieval.profile import _rules, scope_counts

    texts = ["全省委我省全省省委", "全 省，我\n省；本省。全国全國", "区委全区我区本区区区委", "",
             "全" * 7 + "省" * 7, *(read_text(path) for path in sorted(CORPUS.glob("*.txt")))]
    for text in texts:
        expected = {level: sum(text.count(w) for w in words) for level, words in _rules().scope.items()}
        assert scope_counts(text) == expected, text[:20]
