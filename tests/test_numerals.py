"""Chinese and Arabic numerals match each other."""

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
