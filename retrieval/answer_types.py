"""The kinds of answer a question can want, and whether a sentence has one.

Which kind a question wants is read by retrieval/question.py (data/rules/question_patterns.txt).

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


# Sentences. A number with or without a unit ("129亿元", "X 亩", "三大", "1500万人以上", "95%",
# "四种类型", "两批").
_NUMERAL = r"(?:\d+(?:[.．]\d+)?|[XＸx]|[一二两三四五六七八九十百千万亿]+)"
# Measure words too ("三篇学术论文", "两艘", "十二岁"), not those a numeral makes an idiom with
# (一度, 一部分, 新一轮).
_UNIT = (r"(?:%|％|余|多|个|项|件|亿|万|千|百|元|亩|套|户|人|名|座|所|条|公里|吨|斤|倍|家|次|批|大"
         r"|种|类|期|台|辆|场|届|篇|本|张|只|头|匹|枚|颗|艘|架|首|份|位|间|处|支|株|棵|卷|集|话|岁"
         r"|米|公顷|公斤|千克|克|天|小时|分钟)")
_HAS_QUANTITY = re.compile(rf"\d|[XＸ]\s*{_UNIT}|{_NUMERAL}\s*{_UNIT}")
# A time: "X 月底前", "6月", "年底", "上半年", "秋季", "2025年", "今年内", "用半年时间", or how
# long something takes ("车程缩至30分钟", "用二十年的时间", "3个工作日内"): "多久" asks either.
_HAS_TIME = re.compile(
    rf"(?:{_NUMERAL}|半)\s*(?:月|年|日|季度|天|周|个?小时|分钟|个?工作日)"
    r"|月底|年底|年内|年末|上半年|下半年|[春夏秋冬]季|之前|以前|前完成|期间|到\s*\d"
)


def has_answer_type(sentence: str, answer_type: AnswerType | None) -> bool:
    if answer_type is AnswerType.TIME:
        return bool(_HAS_TIME.search(sentence))
    if answer_type is AnswerType.QUANTITY:
        return bool(_HAS_QUANTITY.search(sentence))
    return False
