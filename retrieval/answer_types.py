"""What kind of answer a question wants, and whether a sentence has one.

"全年多渠道融资多少" wants a quantity: of two sentences that mention 融资, the one with a
number ("全年多渠道融资 X 余亿元") is the answer. "三大主题公园什么时候建成" wants a time:
"三大主题公园 X 月底前全部建成" beats a sentence without one. Official texts often hide the
figures behind a placeholder X ("X 亿元"), which counts as a number.
"""

from __future__ import annotations

import re
from enum import Enum


class AnswerType(Enum):
    QUANTITY = "quantity"
    TIME = "time"


# Questions. Example: "收储土地多少亩" (quantity), "污水处理项目什么时候启动" (time); "哪几个方面"
# asks for a list, not a number.
_ASKS_TIME = re.compile(
    r"什么时候|啥时候|何时|哪天|哪一天|哪年|哪一年|几月|几号|多久|多长时间|什么时间|期限|截止|最晚|最迟"
)
_ASKS_QUANTITY = re.compile(
    r"多少|(?<!哪)几[个项件点条种类位所家次倍亩套户名座级]|多大|多高|多长|多快|比例|比重|增长率|规模"
)

# Sentences. A number with or without a unit ("129亿元", "X 亩", "三大", "1500万人以上", "95%",
# "四种类型", "两批").
_NUMERAL = r"(?:\d+(?:[.．]\d+)?|[XＸx]|[一二两三四五六七八九十百千万亿]+)"
_UNIT = (r"(?:%|％|余|多|个|项|件|亿|万|千|百|元|亩|套|户|人|名|座|所|条|公里|吨|斤|倍|家|次|批|大"
         r"|种|类|期|台|辆|场|届)")
_HAS_QUANTITY = re.compile(rf"\d|[XＸ]\s*{_UNIT}|{_NUMERAL}\s*{_UNIT}")
# A time: "X 月底前", "6月", "年底", "上半年", "秋季", "2025年", "今年内", "用半年时间".
_HAS_TIME = re.compile(
    rf"(?:{_NUMERAL}|半)\s*(?:月|年|日|季度)|月底|年底|年内|年末|上半年|下半年|[春夏秋冬]季|之前|以前|前完成|期间|到\s*\d"
)


def wanted_type(question: str) -> AnswerType | None:
    if _ASKS_TIME.search(question):
        return AnswerType.TIME
    if _ASKS_QUANTITY.search(question):
        return AnswerType.QUANTITY
    return None


def has_answer_type(sentence: str, answer_type: AnswerType | None) -> bool:
    if answer_type is AnswerType.TIME:
        return bool(_HAS_TIME.search(sentence))
    if answer_type is AnswerType.QUANTITY:
        return bool(_HAS_QUANTITY.search(sentence))
    return False
