"""The text toolkit: one definition of normalization, sentence ends, numerals, years, markers."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from retrieval.text.markers import PART_STYLES, Style, heading_marker, without_marker
from retrieval.text.normalize import _remembered as remember
from retrieval.text.normalize import (
    compact,
    nfkc,
    normalize,
    normalize_all,
    normalize_each,
    normalized_passages,
)
from retrieval.text.numerals import chinese_to_int, int_to_chinese, numeral_variants, parse_number
from retrieval.text.sentences import (
    char_class,
    clause_spans,
    covering_spans,
    neighbouring_phrases,
    phrase_spans,
    sentence_spans,
    split_sentences,
)
from retrieval.text.years import relative_offsets, relative_words, years_in


def test_two_normalized_forms() -> None:
    assert normalize("２０２２ 年 GDP 增長") == "2022年gdp增长"
    assert normalize("new 2022") == "new 2022"
    assert compact("X ％ 以上\n") == "X%以上"
    assert compact("GDP 增長") == "GDP增長"  # the compare form keeps case and script


def test_the_fast_nfkc_is_nfkc() -> None:
    """nfkc maps some characters itself first; the result must be NFKC's, bit for bit."""
    tricky = ["，。：；（）", "ＡＢＣ１２３", "①⑴㈠Ⅻ", "\u3000全角空格", "ﬁ ½ ²", "e\u0301 café", "兀\uf900",
              "㍻ ㎞ ™", "\u1100\u1161 한", "ｶﾞ", "", "plain ascii"]
    root = Path(__file__).resolve().parent.parent
    lines = [line for path in sorted((root / "data").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    for text in tricky + lines:
        assert nfkc(text) == unicodedata.normalize("NFKC", text), text


def test_the_punctuation_nfkc_replaces_first_is_mapped_as_nfkc_maps_it() -> None:
    """Replaced one after another, before the rest: so each must map to what NFKC makes of it,
    and to nothing that anything else maps again."""
    from retrieval.text.normalize import _COMMON, _compatibility_map

    pattern, _ = _compatibility_map()
    for wide, narrow in _COMMON:
        assert unicodedata.normalize("NFKC", wide) == narrow and not pattern.search(narrow)


def _normalize_as_written(text: str) -> str:
    """normalize() as first written, the plainest way: the reference its faster form must match."""
    import opencc

    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():
        text = opencc.OpenCC("t2s").convert(text)
    text = re.sub(r"(?<=[0-9a-z])\s+(?=[0-9a-z])", "\x00", text)
    return re.sub(r"\s+", "", text).replace("\x00", " ")


def test_normalize_is_the_plain_definition_bit_for_bit() -> None:
    """normalize skips the space rules where there is no space, and maps NFKC's single
    characters by a pattern: neither may change any result (the index and its cache rely on it)."""
    tricky = ["", "plain ascii", "new  2022\tGDP", "a\x00b", "中\x00文", "全角\u3000空格 ２０２２ 年",
              "e\u0301 café", "ＡＢＣ，①⑴㈠Ⅻ", "發展與變革", "x \n y", "１ ２", "ﬁ ½ ²", "\r\n", "Ⅻ 年"]
    root = Path(__file__).resolve().parent.parent
    corpus = root.parent / "shared" / "corpus"
    files = [*sorted((root / "data").glob("*.txt")), *sorted(corpus.glob("*.txt"))]
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 1000 or not corpus.is_dir()
    for text in tricky + lines + [s for line in lines for s in split_sentences(line)]:
        assert normalize(text) == _normalize_as_written(text), text


def test_normalize_each_is_normalize_of_each_text_bit_for_bit() -> None:
    """normalize_each works a passage's sentences out together: exactly what normalize gives each,
    on every passage of the project's documents and the shared corpus, and on tricky texts
    (spaces and NULs the space rule reads, traditional characters, combining accents, the final
    sigma, Latin text beside Chinese, ASCII beside text OpenCC converts, line breaks)."""
    root = Path(__file__).resolve().parent.parent
    corpus = root.parent / "shared" / "corpus"
    files = [*sorted((root / "data").glob("*.txt")), *sorted(corpus.glob("*.txt"))]
    passages = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    tricky = [["發展與變革。", "new  2022\tGDP", "a\x00b"], ["e", "\u0301 café", "ΑΣ", "Σ", "ΣΑ"],
              ["ＡＢＣ，①⑴㈠Ⅻ", " 全角\u3000空格 ", "plain ascii", "乾隆", "頭髮"], ["", "", "x"],
              ["with\nbreak", "發"], ["単"], ["x \x1c y", "發展"], ["new", "2022"]]
    groups = tricky + [split_sentences(p) for p in passages]
    assert sum(len(g) > 1 for g in groups) > 500 or not corpus.is_dir()
    for texts in groups:
        assert normalize_each(texts) == [normalize(t) for t in texts], texts
    # The whole of ASCII is left as it is by the conversion to simplified characters, which
    # normalize skips for ASCII text and normalize_each does not.
    ascii_text = "".join(map(chr, range(128))).replace("\n", "")
    assert normalize_each([ascii_text, "發"]) == [normalize(ascii_text), "发"]


def test_normalize_all_is_normalize_of_each_text_bit_for_bit_and_remembers_passages() -> None:
    """normalize_all works a document's passages out together, line breaks in them: exactly what
    normalize gives each, on every document of the project and the shared corpus (each file's
    paragraphs as passages of one to three lines), and on tricky texts (line breaks beside
    Latin words the space rule keeps apart, the final sigma across a line break, a combining
    accent after one); the forms are remembered for normalized_passages to give back."""
    root = Path(__file__).resolve().parent.parent
    corpus = root.parent / "shared" / "corpus"
    files = [*sorted((root / "data").glob("*.txt")), *sorted(corpus.glob("*.txt"))]
    tricky = [["new\n2022", "ΑΣ\nb", "Σ\nσ", " x \n\n y ", "２０２２ 年\n開發", "\n", "", "a\n\u0301b"],
              ["發展與變革。\nnew  2022\tGDP", "a\x00b\nc"], ["單"], ["x", "y"]]
    groups = list(tricky)
    for path in files:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        groups.append(["\n".join(lines[i:i + 1 + i % 3]) for i in range(0, len(lines), 3)])
    for texts in groups:
        remember.clear()
        expected = [normalize(t) for t in texts]
        remember.clear()  # not read back from what normalize remembered
        assert normalize_all(texts) == expected, texts
    passages = ["發展" * 150 + "\n第二行", "短", "Ｘ ％"]
    remember.clear()
    forms = normalize_all(passages)
    assert [remember[p] for p in passages] == forms  # short ones too, for normalized_passages
    assert normalize(passages[0]) is forms[0]


def test_normalized_passages_reads_back_what_normalize_all_worked_out() -> None:
    """index.prepare reads the passages tokenizing just normalized (normalize_all) back, short
    ones too, and works out those it did not (a document whose words came from the cache)."""
    passages = ["發展與變革。\nnew  2022", "短", "乾隆"]
    remember.clear()
    forms = normalize_all(passages[:2])
    assert normalized_passages(passages) == [normalize(p) for p in passages]
    assert normalized_passages(passages)[:2] == forms and normalized_passages(passages)[1] is forms[1]
    remember.clear()
    assert normalized_passages(passages) == [normalize(p) for p in passages]


def test_sentences_keep_their_closers_and_long_ones_split_at_semicolons() -> None:
    text = "他说：“要抓落实。”下一句！\n第三句"
    assert split_sentences(text) == ["他说：“要抓落实。”", "下一句！", "第三句"]
    long = "；".join(["规模以上工业增加值增长百分之八左右"] * 6) + "。"
    assert len(sentence_spans(long)) == 6
    # Blank pieces are skipped, whitespace (a full-width space too) trimmed; a sentence over 80
    # characters is cut at its semicolons, the clauses trimmed too.
    spaced = "  第一句。  \n\n 第二句！”  第三句；" + "长" * 81 + "；尾\u3000"
    assert split_sentences(spaced) == ["第一句。", "第二句！”", "第三句；", "长" * 81 + "；", "尾"]
    assert sentence_spans("") == [] and split_sentences(" \n。") == ["。"]


def test_clauses_leave_the_end_out_and_covering_spans_leave_no_gap() -> None:
    text = " 一要推进；二要配套。\n三要落实 "
    assert [text[s:e] for s, e in clause_spans(text)] == ["一要推进", "二要配套", "三要落实"]
    phrases = "武汉在副省级城市中增速靠前，襄阳经济总量突破6000亿元；港口：吞吐量350万标箱。"
    assert [phrases[s:e] for s, e in phrase_spans(phrases)] == [
        "武汉在副省级城市中增速靠前", "襄阳经济总量突破6000亿元", "港口", "吞吐量350万标箱"]
    assert [phrases[s:e] for s, e in neighbouring_phrases(phrases)] == [
        "武汉在副省级城市中增速靠前，襄阳经济总量突破6000亿元", "港口：吞吐量350万标箱"]
    assert [text[s:e] for s, e in neighbouring_phrases(text)] == ["一要推进", "二要配套", "三要落实"]
    spans = covering_spans(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert covering_spans("") == [(0, 0)]


def test_char_class_escapes_what_a_class_needs() -> None:
    assert re.fullmatch(char_class("]-^"), "-")
    assert not re.fullmatch(char_class("]-^"), "a")


@pytest.mark.parametrize(("numeral", "value"), [
    ("零", None), ("一二", None), ("百", None), ("十一五", None),
    ("两", 2), ("十", 10), ("一百零二", 102), ("一百二十", 120), ("三千零五", 3005),
    ("三万五千", 35000), ("十万", 100000), ("一亿五千万", 150000000), ("二〇二二", 2022),
])
def test_one_parser_for_chinese_numerals(numeral: str, value: int | None) -> None:
    assert chinese_to_int(numeral) == value


def test_numbers_as_written_and_back() -> None:
    assert parse_number("1.5万") == 15000 and parse_number("120") == 120 and parse_number("一百二十") == 120
    assert parse_number("许多") is None
    assert all(chinese_to_int(int_to_chinese(n) or "") == n for n in range(1, 20000))
    assert int_to_chinese(2022, year=True) == "二〇二二"


def test_variants_both_ways() -> None:
    assert numeral_variants("一百二十条") == {"120条"}
    assert numeral_variants("120条") == {"一百二十条"}
    assert numeral_variants("二〇二二年") == {"2022年"}
    assert numeral_variants("2022年") == {"二〇二二年"}
    assert numeral_variants("百姓") == set() and numeral_variants("1.5万") == {"15000"}


def test_years() -> None:
    assert years_in("2021年和2022 年") == {2021, 2022}
    assert relative_offsets("去年和今年") == (-1, 0)
    assert relative_words(1981, 1981) == ["今年", "本年", "当年"]


def test_heading_markers() -> None:
    marker = heading_marker("（三）着力稳定")
    assert marker is not None and (marker.number, marker.style, marker.end) == (3, Style.PAREN, 3)
    assert heading_marker("1、加强", PART_STYLES, chinese_only=True) is None
    assert heading_marker("一是加强", PART_STYLES) is None
    assert without_marker("第一个问题：深刻认识") == "深刻认识"
    assert without_marker("二是 坚持") == "坚持"
    assert without_marker("没有编号") == "没有编号"


def test_figures_match_however_they_are_written():
    """一百二十条 = 120条, 二〇二二年 = 2022年, 1.5万 = 15000: where matching needs it."""
    from retrieval.document import build_document
    from retrieval.library import Library
    from retrieval.text.numerals import numeral_variants

    assert numeral_variants("1.5万人") == {"15000人"} and "1.5万" in numeral_variants("15000")
    assert numeral_variants("3亿") >= {"300000000"} and numeral_variants("一百二十条") == {"120条"}
    text = ("某区2024年工作安排\n一、重点任务\n今年城镇新增就业15000人。全年建成保障性住房120套。\n"
            "二、保障措施\n加强组织领导。\n")
    library = Library((build_document("安排.txt", text),))
    assert library.ask("新增就业1.5万人是哪一年的目标").answer.highlight == "今年城镇新增就业15000人。"
    assert library.ask("建成一百二十套保障房").answer.highlight == "全年建成保障性住房120套。"


def test_remembered_passages_normalize_as_worked_out(monkeypatch):
    """normalize keeps long texts' forms: the same as working them out, the first time, again,
    and after what it kept was emptied; short texts are kept apart, as few."""
    from retrieval.document import load_document
    from retrieval.text import normalize as module

    seed = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
    texts = [c.text for c in load_document(seed).chunks] + ["ＧＤＰ增长 3.5 ％，New 2022 發展" * 20]
    assert sum(len(t) >= module.REMEMBER_CHARS for t in texts) > 5
    monkeypatch.setattr(module, "REMEMBER_TEXTS", 4)
    for _ in range(2):
        assert [normalize(t) for t in texts] == [module._normalized(t) for t in texts]
    assert len(module._remembered) <= 4
    assert "ｇｄｐ" not in normalize(texts[-1]) and "发展" in normalize(texts[-1])
    normalize("短句")
    assert "短句" not in module._remembered and module._short["短句"] == "短句"
    monkeypatch.setattr(module, "SHORT_TEXTS", 3)
    short = [sentence for t in texts for sentence in t.split("。") if len(sentence) < module.REMEMBER_CHARS]
    short += ["  Ｎew  2022 發展 ", "\x00a\x00 b", ""]
    assert len(set(short)) > 10
    for _ in range(2):
        assert [normalize(t) for t in short] == [module._normalized(t) for t in short]
    assert len(module._short) <= 3


def test_spaces_go_as_the_two_space_rules_took_them():
    """normalize's one pass over runs of spaces equals the rules it replaced (spaces between Latin
    letters or digits marked by NUL, every other space removed, NUL back to a space), on the
    seed's lines and passages and on edge cases."""
    from retrieval.document import load_document
    from retrieval.text import normalize as module

    def reference(text: str) -> str:
        text = nfkc(text).lower()
        text = module._T2S.convert(text) if not text.isascii() else text
        text = re.sub(r"(?<=[0-9a-z])\s+(?=[0-9a-z])", "\x00", text)
        return re.sub(r"\s+", "", text).replace("\x00", " ")

    seed = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
    document = load_document(seed)
    texts = [document.text, *document.text.split("\n"), *(" ".join(c.path) + c.text for c in document.chunks)]
    texts += ["a b", " a b ", "a  \n b", "x\x00y", "ab 12 中 c", "a \x00 b", "\x00 a", "a\u3000b", "Ａ b",
              "new 2022", "2022 年", "x\t\ty\n", "中 文\n字", "a\x1cb", "中\u2028文 a", "é b", "ß 1",
              "a\n\nb 中"]
    assert [module._normalized(t) for t in texts] == [reference(t) for t in texts]


def test_the_places_a_question_names_by_full_name():
    from retrieval.text.places import places_named_by

    words = ["湖北省", "武汉市", "去年", "gdp", "大型超市", "全县", "环县", "凉山彝族自治州", "自贸区", "县"]
    # 环县: a name of one character is too short to look for in a passage.
    assert places_named_by(words) == [("武汉市", "武汉"), ("凉山彝族自治州", "凉山彝族")]
