"""Cleaning: scaffolding goes, every sentence of the body stays, broken paragraphs are re-joined,
headings stay on lines of their own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrieval.clean import (
    _SPACING_TABLE,
    NOISE_RULES,
    TRAILER_RULES,
    body_lines,
    clean_text,
    compact_lines,
    guess_title,
    join_broken_lines,
    noise_rule_for,
    normalize_spacing,
    top_paragraphs,
)
from retrieval.text.normalize import compact

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "xx_district_2022_economic_work_speech.txt"
CORPUS = ROOT / ".." / "shared" / "corpus"

BODY_1 = "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。"
BODY_2 = "过去一年是党和国家历史上具有里程碑意义的一年。"


def corpus_text(name: str) -> str:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    return path.read_text(encoding="utf-8")


def sentences(text: str) -> list[str]:
    """Whitespace-free pieces of text cut at line ends and at 。！？ (the piece keeps its stop)."""
    return [compact(piece) for piece in re.split(r"(?<=[。！？])|\n", text) if compact(piece)]


def lost_sentences(raw: str, cleaned: str) -> list[str]:
    kept = compact(cleaned)
    return [sentence for sentence in sentences(raw) if sentence not in kept]


def assert_well_formed(cleaned: str) -> None:
    """One paragraph per line: no blank lines, no spaces around lines."""
    assert cleaned
    for line in cleaned.split("\n"):
        assert line, "blank line"
        assert line == line.strip(), f"spaces around {line!r}"


# --- Each noise rule --------------------------------------------------------------------------


@pytest.mark.parametrize("rule", NOISE_RULES, ids=lambda rule: rule.name)
def test_noise_rule_recognises_its_example(rule):
    assert noise_rule_for(rule.example) is rule


@pytest.mark.parametrize("rule", [r for r in NOISE_RULES if not r.cuts_rest], ids=lambda rule: rule.name)
def test_noise_line_is_removed_and_body_kept(rule):
    cleaned = clean_text(f"{BODY_1}\n{rule.example}\n{BODY_2}")
    assert cleaned == f"{BODY_1}\n{BODY_2}"


@pytest.mark.parametrize("rule", [r for r in NOISE_RULES if r.cuts_rest], ids=lambda rule: rule.name)
def test_footer_line_ends_the_document(rule):
    cleaned = clean_text(f"{BODY_1}\n{BODY_2}\n\n{rule.example}\n相关文章一\n相关文章二")
    assert cleaned == f"{BODY_1}\n{BODY_2}"


@pytest.mark.parametrize("rule", TRAILER_RULES, ids=lambda rule: rule.name)
def test_press_trailer_is_cut_from_the_end(rule):
    assert clean_text(BODY_2 + rule.example) == BODY_2
    assert clean_text(BODY_2 + rule.example + BODY_2) == BODY_2 + rule.example + BODY_2  # only at the end


def test_noise_words_inside_body_sentences_are_kept():
    body = (
        "要推进数据共享，来源：各部门报送的数据都要核实。\n"
        "我们要把推荐访问量大的政务服务事项放在首页。\n"
        "本作品集收录了优秀案例，false 信息要及时纠正。\n"
        "数据发布时间：每月10日前。\n"
        "网址：http://www.baotou.gov.cn"
    )
    assert clean_text(body) == body


def test_repeated_title_lines_are_dropped():
    raw = "关于印发考评办法的通知\n关于印发考评办法的通知\n包府办发〔2022〕43号\n各单位：\n现印发给你们。"
    assert clean_text(raw) == "包府办发〔2022〕43号\n各单位：\n现印发给你们。"


def test_doubled_glyph_line_is_dropped():
    raw = "xx区经济工作会上讲话\n\n 在 在 x xx 区 区 2022 年经济工作会上的讲话\n\n 同志们:\n\n 这次会议重要。"
    assert clean_text(raw) == "同志们:\n这次会议重要。"


# --- Re-joining broken paragraphs -------------------------------------------------------------


def test_sentence_broken_across_a_blank_line_is_rejoined_verbatim():
    raw = (
        " 一是发展水平显著提升。坚持把经济增速作为衡量发展的实力见证加快培育。\n\n"
        " 二是项目建设快速推进。坚持把项目建设作为 xx 区全年工作的总抓手加\n\n"
        " 快落实。一年来,我们奋力推进的五十个重点项目建设进度达到预期。\n"
    )
    assert clean_text(raw) == (
        "一是发展水平显著提升。坚持把经济增速作为衡量发展的实力见证加快培育。\n"
        "二是项目建设快速推进。坚持把项目建设作为 xx 区全年工作的总抓手加快落实。"
        "一年来,我们奋力推进的五十个重点项目建设进度达到预期。"
    )


def test_line_breaks_inside_a_paragraph_of_a_blank_line_document_are_removed():
    raw = (
        "政府工作报告\n\n\n——2022年3月5日在第十三届全国人民代表大会第五次会议上\n\n"
        "国务院总理\u3000\n李克强\n\n\n各位代表：\n\n现在，我代表国务院，向大会报告政府工作。\n\n"
        "——生态文明建设持续推进。地级及以上城市细颗粒物（PM\n2.5\n）平均浓度下降9.1%。\n\n"
    )
    assert clean_text(raw).split("\n") == [
        "——2022年3月5日在第十三届全国人民代表大会第五次会议上",
        "国务院总理李克强",
        "各位代表：",
        "现在，我代表国务院，向大会报告政府工作。",
        "——生态文明建设持续推进。地级及以上城市细颗粒物（PM2.5）平均浓度下降9.1%。",
    ]


def test_a_line_cut_inside_a_clause_is_rejoined_across_a_blank_line():
    """A short line holding a comma and ending with no stop was cut in its last clause."""
    raw = ("经济增速是综合性指标，今年预期目标设定\n\u200b\n为6%以上，考虑了经济运行恢复情况。\n\n"
           "做好今年工作，要更好统筹发展和安全。\n")
    assert clean_text(raw).split("\n") == [
        "经济增速是综合性指标，今年预期目标设定为6%以上，考虑了经济运行恢复情况。",
        "做好今年工作，要更好统筹发展和安全。",
    ]


def test_text_cut_around_a_link_is_rejoined():
    raw = "\u3000\u3000国务院已经拟定了《\n关于开展全民义务植树运动的决议\n》，提请大会审定后公布执行。\n\n"
    assert clean_text(raw) == "国务院已经拟定了《关于开展全民义务植树运动的决议》，提请大会审定后公布执行。"


@pytest.mark.parametrize(
    "heading",
    [
        "2024年工作回顾",
        "（一）统筹消费和投资，加快释放内需潜力",
        "一、2025年总体要求",
        "# 标题",
        "## （二）稳增长",
    ],
)
@pytest.mark.parametrize("separator", ["\n", "\n\n"], ids=["single-newline", "blank-line"])
def test_heading_line_is_not_merged_into_its_paragraph(heading, separator):
    paragraph = "过去一年，我们坚持稳中求进工作总基调，经济社会发展取得新的成绩，全年目标任务圆满完成。"
    raw = separator.join([BODY_1, heading, paragraph, heading, paragraph])
    assert clean_text(raw).split("\n") == [*BODY_1.split("\n"), heading, paragraph, heading, paragraph]


def test_lines_wrapped_at_a_pdf_page_width_are_rejoined():
    """Official PDFs wrap at 28 characters per line: shorter than a web page's, often with no stop inside."""
    paragraphs = [
        "我们坚持以习近平新时代中国特色社会主义思想为指导全面贯彻落实党的二十大和二十届二中三中全会精神，"
        "完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，经济运行稳中有进。",
        "过去一年，我们有力应对复杂严峻形势，在攻坚克难中砥砺前行，在转型升级中开拓新局，"
        "迈好了承上启下的关键一步。地区生产总值增长5.3%，粮食总产量1993.5万吨、创历史新高。",
    ]
    page = [paragraph[i : i + 28] for paragraph in paragraphs for i in range(0, len(paragraph), 28)]
    part, chapter = "一、2024年工作回顾", "（一）经济运行稳进提质"
    raw = "\n".join([part, *page, "- 2 -", chapter, *page])
    assert clean_text(raw).split("\n") == [part, *paragraphs, chapter, *paragraphs]


def test_numbered_heading_stays_even_before_a_line_starting_with_a_comma():
    raw = "一、认真总结成绩,准确把握态势,始终保持加快发展的劲头\n,全县上下努力克服金融危机的冲击。"
    assert clean_text(raw).split("\n") == raw.split("\n")


def test_latin_words_broken_across_lines_keep_a_space():
    raw = "各位代表：\n会上介绍了新加坡的经验，特别是 Digital Government Assessment and\nReview Framework。"
    assert clean_text(raw) == (
        "各位代表：\n会上介绍了新加坡的经验，特别是 Digital Government Assessment and Review Framework。"
    )


# --- Titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("在打好脱贫攻坚战座谈会上的讲话（2018年2月12日）习近平党的…", "在打好脱贫攻坚战座谈会上的讲话"),
        ("[县长在县委书记]县长在县委全委(扩大)会上的讲话\n同志们:", "县长在县委全委(扩大)会上的讲话"),
        ("\ufeff【法宝引证码】 CLI.1\r\n原文链接：https://x.cn/a\r\n关于印发的通知\r\n", "关于印发的通知"),
        ("# 2025年政府工作报告\n## 一、2024年工作回顾\n", "2025年政府工作报告"),
        ("各位代表：\n现在，我代表国务院…", "fallback"),
        ("同志们：今天，我们召开部署会议。", "fallback"),
        ("一、2021年工作回顾\n过去一年…", "fallback"),
        ("", "fallback"),
    ],
)
def test_guess_title(raw, title):
    assert guess_title(raw, "fallback") == title


def test_glued_title_goes_on_a_line_of_its_own():
    raw = "在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）习近平党的十八大以后，我先后在延安召开座谈会。"
    assert clean_text(raw).split("\n") == [
        "在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）",
        "习近平党的十八大以后，我先后在延安召开座谈会。",
    ]


# --- The seed document ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_raw() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_clean(seed_raw) -> str:
    return clean_text(seed_raw)


def test_every_sentence_of_the_seed_body_survives(seed_raw, seed_clean):
    body = seed_raw[seed_raw.index("同志们") : seed_raw.index("推荐访问")]
    body_sentences = [compact(s) for s in re.split(r"(?<=[。！？])", body) if compact(s)]
    assert len(body_sentences) > 60
    kept = compact(seed_clean)
    assert [s for s in body_sentences if s not in kept] == []


def test_seed_title_and_noise_are_gone(seed_raw, seed_clean):
    assert guess_title(seed_raw, "fallback") == "xx区2022年经济工作会上讲话"
    assert seed_clean.startswith("同志们:\n这次召开的 xx 区 2022 年经济工作会")
    assert seed_clean.endswith("让他们在分...")
    noise = ["xx区2022年经济工作会上讲话", "位置:", "2022-05-26", "投稿作者", "小编", "在 在", "推荐访问"]
    assert [piece for piece in noise if piece in seed_clean] == []


def test_seed_broken_sentences_are_rejoined(seed_clean):
    lines = seed_clean.split("\n")
    assert "二是项目建设快速推进。坚持把项目建设作为 xx 区全年工作的总抓手加快落实。一年来" in seed_clean
    assert "得到进一步提升;其次" in seed_clean
    assert "群众对征地拆迁的期望值过高" in seed_clean
    assert "不遗余力地推进IT、装备制造" in seed_clean
    assert len(lines) == 17  # 同志们 + 16 paragraphs (was 23 lines with the broken ones)
    assert_well_formed(seed_clean)


def test_normalize_spacing_changes_exactly_what_the_table_does():
    """The scan that skips text with nothing to change finds every character the reference changes."""
    everything = "".join(chr(c) for c in range(0x3100) if not 0xD800 <= c < 0xE000)
    reference = everything.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACING_TABLE)
    assert normalize_spacing(everything) == reference
    for char in everything:
        changed = char.replace("\r", "\n").translate(_SPACING_TABLE) != char
        assert (normalize_spacing(char) != char) == changed, hex(ord(char))


def test_normalize_spacing_returns_normalized_text_itself(seed_raw):
    once = normalize_spacing(seed_raw + "\r\n\u3000\u3000正文\u200b")
    assert normalize_spacing(once) is once


def test_top_paragraphs_are_the_cleaned_paragraphs_of_the_top_read_once(seed_raw):
    top = seed_raw[:3000]
    assert top_paragraphs(top) == tuple(join_broken_lines(body_lines(top)))
    assert top_paragraphs(seed_raw[:3000]) is top_paragraphs(top)  # the title and the header share it


# --- The corpus -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusCase:
    noise: tuple[str, ...]  # must be gone (SOURCES.md lists it)
    body_end: str | None  # where the body ends: the licence footer or the press trailer
    heading_lines: tuple[str, ...]  # must each be a line of its own
    joined: tuple[str, ...] = ()  # text that was broken across lines in the file


WIKISOURCE_FOOTER = ("本作品是中华人民共和国的", "Public domain", "false", "维基文库", "公有领域")

CORPUS_CASES: dict[str, CorpusCase] = {
    "gov_report_2022_national.txt": CorpusCase(
        noise=WIKISOURCE_FOOTER,
        body_end="本作品是中华人民共和国的",
        heading_lines=(
            "一、2021年工作回顾",
            "三、2022年政府工作任务",
            "（二）着力稳市场主体保就业，加大宏观政策实施力度。",
        ),
        joined=("细颗粒物（PM2.5）平均浓度下降9.1%。", "国务院总理李克强"),
    ),
    "gov_report_1981_national.txt": CorpusCase(
        noise=WIKISOURCE_FOOTER,
        body_end="本作品是中华人民共和国的",
        heading_lines=(
            "（一）当前的经济形势",
            "（二）今后经济建设的方针",
            "十、从一切为人民的思想出发，统筹安排生产建设和人民生活",
        ),
        joined=("国务院已经拟定了《关于开展全民义务植树运动的决议》，提请大会审定后公布执行。",),
    ),
    "gov_report_2025_xizang.txt": CorpusCase(
        noise=("来源：西藏日报",),
        body_end=None,
        heading_lines=("2024年工作回顾", "2025年工作安排", "各位代表："),
    ),
    "gov_report_2025_yunnan.txt": CorpusCase(
        noise=("来源：北京日报",),
        body_end=None,
        heading_lines=(
            "（一）统筹消费和投资，加快释放内需潜力",
            "二、2025年总体要求",
            "（二）坚持把发展特色优势产业作为主攻方向，构建符合省情实际的现代化产业体系",
            "名词解释",
            "附件",
            "十、实施交通惠民工程",
        ),
    ),
    "policy_2022_baotou_digital_government_assessment.txt": CorpusCase(
        noise=("【法宝引证码】", "CLI.12.5115678", "原文链接", "pkulaw.com"),
        body_end=None,
        heading_lines=("一、考评对象", "（一）一体化政务服务平台建设（3分）", "三、政府办公统一协同（20分）"),
    ),
    "speech_2020_xi_epidemic_and_economy_deployment_meeting.txt": CorpusCase(
        noise=("新华社北京2月23日电", "人民日报", "02 版"),
        body_end="（新华社北京2月23日电）",
        heading_lines=(),
    ),
    "speech_2018_xi_poverty_alleviation_symposium.txt": CorpusCase(
        noise=(),
        body_end=None,
        heading_lines=("在打好精准脱贫攻坚战座谈会上的讲话（2018年2月12日）",),
    ),
    "speech_county_economic_work_conference_excerpt.txt": CorpusCase(
        noise=("[县长在县委书记]",),
        body_end=None,
        heading_lines=("同志们:", "一、认真总结成绩,准确把握态势,始终保持加快发展的劲头"),
    ),
}


@pytest.fixture(scope="module", params=sorted(CORPUS_CASES))
def corpus_doc(request) -> tuple[str, str, str, CorpusCase]:
    raw = corpus_text(request.param)
    return request.param, raw, clean_text(raw), CORPUS_CASES[request.param]


def test_corpus_noise_is_gone(corpus_doc):
    _, raw, cleaned, case = corpus_doc
    for noise in case.noise:
        assert noise in raw
        assert noise not in cleaned


def test_corpus_body_sentences_all_survive(corpus_doc):
    _, raw, cleaned, case = corpus_doc
    body = raw[: raw.index(case.body_end)] if case.body_end else raw
    title = compact(guess_title(raw, ""))
    checked = [s for s in sentences(body) if s != title and not any(compact(n) in s for n in case.noise)]
    assert len(checked) > 0.9 * len(sentences(body)) - 5
    assert lost_sentences("\n".join(checked), cleaned) == []


def test_corpus_headings_stay_lines_of_their_own(corpus_doc):
    _, _, cleaned, case = corpus_doc
    lines = cleaned.split("\n")
    for heading in case.heading_lines:
        assert heading in lines


def test_corpus_broken_text_is_joined(corpus_doc):
    _, _, cleaned, case = corpus_doc
    for text in case.joined:
        assert text in cleaned


def test_corpus_output_is_one_paragraph_per_line_without_the_title(corpus_doc):
    _, raw, cleaned, _ = corpus_doc
    assert_well_formed(cleaned)
    title = guess_title(raw, "")
    if title:
        assert title not in cleaned.split("\n")


def test_corpus_characters_are_kept_verbatim():
    raw = corpus_text("gov_report_1981_national.txt")
    body = raw[: raw.index("本作品是中华人民共和国的")]
    cleaned = clean_text(raw)
    assert "１９８２年经济和社会发展计划要点（草案）" in cleaned  # full-width digits are not NFKC'd
    assert sorted(compact(cleaned)) == sorted(compact(body))  # the same characters, only breaks removed


def test_line_ends_are_searched_near_the_end_only_with_the_same_verdicts():
    """ends_sentence, ends_full_stop and ends_open search from the last place a match can start
    (clean._search_end): the same verdict as searching the whole line, on every short line over
    the characters that matter, a last "\\n" included."""
    import itertools

    from retrieval import clean

    alphabet = ["。", "：", "）", ")", "”", "》", ".", "…", "，", "（", "字", "\n"]
    for size in range(1, 6):
        for chars in itertools.product(alphabet, repeat=size):
            line = "".join(chars)
            assert clean.ends_sentence(line) == bool(clean._SENTENCE_END.search(line)), line
            assert clean.ends_full_stop(line) == bool(clean._FULL_STOP_END.search(line)), line
            assert clean.ends_open(line) == bool(clean._OPEN_END.search(line)), line


def test_noise_rules_spacing_and_decoration_as_written_one_by_one():
    """noise_rule_for (joined rules tried at once, the others alone), body_lines (runs of spaces
    made one in the whole text) and without_decoration (lines starting with neither # nor [ only
    stripped) give what the rules and expressions give applied one by one, line by line, on every
    line of the corpus, the seed and the rules' examples."""
    from retrieval import clean

    def first_rule(line: str) -> clean.NoiseRule | None:
        fits = len(line) <= clean._LINE_NOISE_MAX_CHARS
        return next((rule for rule in NOISE_RULES if fits and rule.pattern.fullmatch(line)), None)

    corpus = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    texts = [SEED.read_text(encoding="utf-8"), *corpus,
             "\n".join(rule.example for rule in NOISE_RULES), "  a   b  \n\n   \n 在 在 x xx 区 区 2022 ",
             "# 标题\n## [站]标题\n[标签]正文\n #x\n[]\n#"]
    for text in texts:
        lines = text.split("\n")
        for line in lines + [line.strip() for line in lines]:
            assert noise_rule_for(line) == first_rule(line), line
            assert clean.without_decoration(line) == clean._SITE_TAG.sub(
                "", clean._MARKDOWN_HEADING.sub("", line)).strip(), line
        spaced = clean.split_glued_header(clean.strip_trailers(normalize_spacing(text).strip()))
        assert body_lines(text) == clean.drop_noise_lines(
            [clean._SPACE_RUN.sub(" ", line.strip()) for line in spaced.split("\n")])


def test_spacing_is_the_table_applied_to_every_character():
    """normalize_spacing replaces the characters a text holds one by one: the same text as
    str.translate with its table, for every character the table maps, alone, side by side and
    next to line ends, and for the corpus files as read."""
    def translated(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACING_TABLE)

    mapped = "".join(map(chr, _SPACING_TABLE))
    texts = [mapped, "中" + "中".join(mapped) + "\r\n\r\r", *(f"a{c}\r\n{c}b{c}" for c in mapped),
             "\u3000\u3000第一\r\n\u200b第二\t\u00ad", "no change", ""]
    texts += [path.read_bytes().decode("utf-8", "replace") for path in sorted(CORPUS.glob("*.txt"))]
    for text in texts:
        assert normalize_spacing(text) == translated(text), repr(text[:30])


def test_compact_lines_is_compact_of_each_line_bit_for_bit() -> None:
    """compact_lines works a document's lines out together: exactly what compact gives each, on
    every line of the project's documents and the shared corpus, and on tricky texts (combining
    accents, compatibility forms, spaces NFKC makes, separators str.split cuts at, line breaks)."""
    files = [SEED, *sorted(CORPUS.glob("*.txt"))]
    documents = [path.read_text(encoding="utf-8").split("\n") for path in files]
    tricky = [["e", "\u0301 café", "ＡＢＣ，①⑴㈠Ⅻ"], [" 全角\u3000空格 ", "x \x1c y", "\u00a0%", "X ％"],
              ["with\nbreak", "發"], ["単"], ["", "", "x"], ["\u2028a", "b\u0085c", "\ufb01 ﬁ"]]
    for texts in tricky + documents:
        assert compact_lines(texts) == [compact(t) for t in texts], texts
