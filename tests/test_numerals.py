"""Chinese and Arabic numerals match each other."""

import pytest

from retrieval.text.numerals import chinese_to_int, int_to_chinese, numeral_variants


def test_chinese_numbers():
    assert [chinese_to_int(t) for t in ["五", "十", "十二", "二十", "三十五", "两"]] == [5, 10, 12, 20, 35, 2]
    # Issue 10: one parser, no longer stopping at 99 (this assertion said "一百二十" → None before).
    assert chinese_to_int("百") is None and chinese_to_int("一百二十") == 120


def test_round_trip():
    assert all(chinese_to_int(int_to_chinese(n)) == n for n in range(1, 100))


def test_variants_of_a_term():
    assert numeral_variants("五年") == {"5年"}
    assert numeral_variants("3点") == {"三点"}
    assert numeral_variants("2022") == set()  # years stay as they are
    assert numeral_variants("发展") == set()
    # A whole figure in each magnitude it has: "是不是一万五千亿" finds "留抵退税约1.5万亿元".
    assert {"1.5万亿", "15000亿"} <= numeral_variants("一万五千亿")
    assert numeral_variants("3000亿") == {"三千亿", "300000000000"}  # no "0.3万亿", no "3e+07万"


@pytest.mark.parametrize(("text", "digits"), [
    ("是不是提高了百分之十四点五", "是不是提高了14.5%"),
    ("有没有做到百分之百", "有没有做到100%"),
    ("增幅超过百分之三十的", "增幅超过30%的"),
    ("百分之二三", "百分之二三"),  # no one numeral: left as it is
])
def test_percentages_spelled_out_are_written_in_digits(text: str, digits: str) -> None:
    from retrieval.text.numerals import percents_in_digits

    assert percents_in_digits(text) == digits


def test_a_percentage_spelled_out_finds_the_one_in_digits():
    """"农村邮路汽车化率有没有做到百分之百" is answered by Xizang's "农村邮路汽车化率达100%": asked as
    百分之百, 百分 and 百分之 are in no sentence of the report, and the yes/no clause was not said."""
    from pathlib import Path

    from retrieval.document import load_document
    from retrieval.library import Library

    path = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gov_report_2025_xizang.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    answer = Library((load_document(path),)).ask("农村邮路汽车化率有没有做到百分之百？").answer
    assert answer is not None and "100%" in answer.highlight
