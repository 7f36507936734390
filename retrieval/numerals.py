"""Numbers written in Chinese or in digits are the same number: "五年" in a question finds
"5年" in a document, and "3点要求" finds "三点要求"."""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
# A year as official texts write it: "2022年", "2022 年" (full-width digits: NFKC the text first).
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CHINESE_NUMBER = re.compile(r"[一二两三四五六七八九十]+")
_ARABIC_NUMBER = re.compile(r"\d+")


def chinese_to_int(text: str) -> int | None:
    """"五" → 5, "十二" → 12, "二十" → 20, "两" → 2; None for anything else (百 and up included)."""
    text = text.replace("两", "二")
    if text == "十":
        return 10
    tens, _, ones = text.partition("十")
    if any(len(part) > 1 or (part and part not in _DIGITS) for part in (tens, ones)):
        return None
    if "十" in text:
        return (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)
    return _DIGITS.index(text) if text else None


def int_to_chinese(number: int) -> str | None:
    if not 0 < number < 100:
        return None
    tens, ones = divmod(number, 10)
    if not tens:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def numeral_variants(term: str) -> set[str]:
    """The term with its number written the other way ("五年" ↔ "5年"); empty if it has none."""
    variants = set()
    for match in _CHINESE_NUMBER.finditer(term):
        value = chinese_to_int(match.group())
        if value is not None:
            variants.add(term[:match.start()] + str(value) + term[match.end():])
    for match in _ARABIC_NUMBER.finditer(term):
        chinese = int_to_chinese(int(match.group()))
        if chinese:
            variants.add(term[:match.start()] + chinese + term[match.end():])
    variants.discard(term)
    return variants
