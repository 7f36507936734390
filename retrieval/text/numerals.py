"""Numbers written in Chinese or in digits are the same number: one parser for both.

"五年" in a question finds "5年" in a document, "3点要求" finds "三点要求", "一百二十条" finds
"120条" and "二〇二二年" finds "2022年". The parser reads 零〇 两 十百千万亿 ("一百零二" → 102,
"三万五千" → 35000, "十万" → 100000), four-digit strings read digit by digit as years
("二〇二二" → 2022) and digits with a magnitude ("1.5万" → 15000).
"""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {**{c: i for i, c in enumerate(DIGITS)}, "〇": 0, "两": 2}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
# The characters of a Chinese numeral; one starts with a digit or 十 ("百姓", "万一" are words).
NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
CHINESE_NUMERAL = re.compile(f"[零〇一二两三四五六七八九十][{NUMERAL_CHARS}]*")
_ARABIC = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_YEAR_DIGITS = 4  # "二〇二二": a year written digit by digit
_MAGNITUDE_NUMBER = re.compile(rf"(\d+(?:\.\d+)?)\s*([{''.join(_BIG_UNITS)}千百]*)")


def chinese_to_int(numeral: str) -> int | None:
    """The value of a Chinese numeral; None if the text is not exactly one well-formed numeral.

    "五" → 5, "十二" → 12, "两" → 2, "一百零二" → 102, "一百二十" → 120, "三万五千" → 35000,
    "二〇二二" → 2022 (a year, digit by digit); "一二", "百", "十一五" → None.
    """
    if not numeral or numeral[0] not in "零〇一二两三四五六七八九十":
        return None
    if len(numeral) == _YEAR_DIGITS and all(c in _DIGIT_VALUE for c in numeral):
        return int("".join(str(_DIGIT_VALUE[c]) for c in numeral))
    total, section, digit = 0, 0, None  # section: the part below the current 万/亿
    for char in numeral:
        if char in _DIGIT_VALUE:
            if digit is not None and _DIGIT_VALUE[char] != 0:
                return None  # "一二" is two digits, not a number
            if _DIGIT_VALUE[char] != 0:
                digit = _DIGIT_VALUE[char]
        elif char in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[char]
            digit = None
        elif char in _BIG_UNITS:
            section += digit or 0
            if not section and not (char == "亿" and total):
                return None
            if char == "万":
                total += section * _BIG_UNITS[char]
            else:
                total = (total + section) * _BIG_UNITS[char]
            section, digit = 0, None
        else:
            return None
    value = total + section + (digit or 0)
    return value or None


def parse_number(text: str) -> float | None:
    """A number as written anywhere: "120", "1.5万" → 15000, "一百二十" → 120, "3千" → 3000."""
    text = text.strip()
    value = chinese_to_int(text)
    if value is not None:
        return value
    match = _MAGNITUDE_NUMBER.fullmatch(text)
    if not match:
        return None
    number = float(match.group(1))
    for unit in match.group(2):
        number *= {**_BIG_UNITS, "千": 1000, "百": 100}[unit]
    return int(number) if number.is_integer() else number


def int_to_chinese(number: int, year: bool = False) -> str | None:
    """120 → "一百二十", 10 → "十", 35000 → "三万五千"; year=True: 2022 → "二〇二二". None below 1."""
    if year:
        return "".join("〇" if d == "0" else DIGITS[int(d)] for d in str(number))
    if number < 1 or number >= 100_000_000 * 10_000:
        return None
    if number >= 100_000_000:
        return _with_big_unit(number, 100_000_000, "亿")
    if number >= 10_000:
        return _with_big_unit(number, 10_000, "万")
    text, skipped_zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            text += ("零" if skipped_zero and text else "") + DIGITS[digit] + unit
            skipped_zero = False
        else:
            skipped_zero = True
    return text[1:] if text.startswith("一十") else text  # 十二, not 一十二


def _with_big_unit(number: int, unit_value: int, unit: str) -> str:
    high, low = divmod(number, unit_value)
    text = f"{int_to_chinese(high)}{unit}"
    if low:
        low_text = int_to_chinese(low) or ""
        if low < unit_value // 10:
            low_text = "零" + ("一" + low_text if low_text.startswith("十") else low_text)
        text += low_text
    return text


def _is_year(number: str, after: str) -> bool:
    return len(number) == _YEAR_DIGITS and number[:2] in ("19", "20") and after.startswith("年")


# A figure with a magnitude ("1.5万", "3亿") and a round figure without one ("15000").
_MAGNITUDE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?[万亿]")
_ROUND = re.compile(r"(?<![\d.])[1-9]\d{4,}(?![\d.])")
# A term that is a whole figure of ten thousand or more: "15000", "1.5万", "一万五千亿".
_WHOLE_FIGURE = re.compile(r"\d{5,}|\d+(?:\.\d+)?[万亿]+"
                           r"|[一二两三四五六七八九十百千零〇]+[万亿][一二两三四五六七八九十百千万亿零〇]*")


def numeral_variants(term: str) -> set[str]:
    """The term with its number written the other way; empty if it has none.

    "五年" ↔ "5年", "一百二十条" ↔ "120条", "二〇二二年" ↔ "2022年", and a figure with its
    magnitude written out or not: "1.5万" ↔ "15000", "3亿" ↔ "300000000"; a whole figure also
    in each magnitude it has: "一万五千亿" → "1.5万亿", "15000亿". A bare year stays as it is
    ("2022"); decimals have no Chinese form here.
    """
    variants = set()
    for match in _MAGNITUDE.finditer(term):  # 1.5万 → 15000
        value = parse_number(match.group())
        if value is not None and value == int(value):
            variants.add(term[:match.start()] + str(int(value)) + term[match.end():])
    for match in _ROUND.finditer(term):  # 15000 → 1.5万
        number = int(match.group())
        unit, scale = ("亿", 10**8) if number % 10**7 == 0 and number >= 10**8 else ("万", 10**4)
        if number % (scale // 10) == 0:
            written = f"{number / scale:g}{unit}"
            variants.add(term[:match.start()] + written + term[match.end():])
    for match in CHINESE_NUMERAL.finditer(term):
        value = chinese_to_int(match.group())
        if value is not None:
            variants.add(term[:match.start()] + str(value) + term[match.end():])
    for match in _ARABIC.finditer(term):
        digits, after = match.group(), term[match.end():]
        if "." in digits:
            continue
        if len(digits) == _YEAR_DIGITS and digits[:2] in ("19", "20"):
            chinese = int_to_chinese(int(digits), year=True) if _is_year(digits, after) else None
        else:
            chinese = int_to_chinese(int(digits)) if not digits.startswith("0") else None
        if chinese:
            variants.add(term[:match.start()] + chinese + after)
    value = parse_number(term) if _WHOLE_FIGURE.fullmatch(term) else None
    if value is not None and value >= 10**4 and value == int(value):  # 一万五千亿 → 1.5万亿, 15000亿
        for unit, scale in (("万亿", 10**12), ("亿", 10**8), ("万", 10**4)):
            mantissa = value / scale
            if 1 <= mantissa < 10**5 and mantissa == round(mantissa, 2):
                variants.add(f"{mantissa:.2f}".rstrip("0").rstrip(".") + unit)
    variants.discard(term)
    return variants


# A percentage spelled out: "百分之十四点五" is 14.5%, "百分之百" 100%, as documents write them.
_PERCENT_SPELLED = re.compile(r"百分之([零〇一二两三四五六七八九十百]+)(?:点([零〇一二三四五六七八九]+))?")


def percents_in_digits(text: str) -> str:
    """The text with each percentage spelled out in Chinese written in digits: "是不是提高了百分之
    十四点五" → "是不是提高了14.5%"; "有没有做到百分之百" → "有没有做到100%". A numeral not read
    (a malformed one) is left as it is."""
    def digits(match: re.Match[str]) -> str:
        whole, decimals = match.groups()
        value = 100 if whole == "百" else chinese_to_int(whole)
        if value is None:
            return match[0]
        fraction = "".join(str(_DIGIT_VALUE[c]) for c in decimals) if decimals else ""
        return f"{value}.{fraction}%" if fraction else f"{value}%"
    return _PERCENT_SPELLED.sub(digits, text)
