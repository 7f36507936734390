"""The kinds of answer a question can want, and whether a sentence has one.

Which kind a question wants is read by retrieval/question.py (data/rules/question_patterns.txt).

"全年多渠道融资多少" wants a quantity: of two sentences that mention 融资, the one with a
number ("全年多渠道融资 X 余亿元") is the answer. "三大主题公园什么时候建成" wants a time:
"三大主题公园 X 月底前全部建成" beats a sentence without one. Official texts often hide the
figures behind a placeholder X ("X 亿元"), which counts as a number.

"哪一年" asks for a year ("哪天" a day), and is answered only by a sentence that says one
("将2018年作为脱贫攻坚作风建设年"), not by "申办第十六届全国运动会", the bid without its year.

"具体是哪十项" asks for ten items: "办好十项重点民生实事，着力解决群众的急难愁盼问题。" names the
count and lists nothing, and answers only if the items follow it.

A target asked ("今年GDP增长目标定的多少") is not answered by a result a review reports: in a
part headed "一、认真总结成绩…", "国内生产总值19.5亿元,增长15.6%" is last year's outcome.

A yes/no question asks whether its clause holds ("河南汽车以旧换新，外省牌照的车能不能参加"): a
sentence that says little of that clause ("汽车以旧换新超40万辆") does not answer it.

A quantity asked in a unit ("火神山医院有多少张床位", "门票多少钱") is answered only by a passage
holding a figure in that unit: the report's account of an earthquake shares every other word of
"定日地震遇难多少人" and gives no death toll.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from functools import lru_cache

from retrieval.text.numerals import numeral_variants, parse_number


class AnswerType(Enum):
    QUANTITY = "quantity"
    TIME = "time"
    FORMULA = "formula"


# Sentences. A number with or without a unit ("129亿元", "X 亩", "三大", "1500万人以上", "95%",
# "四种类型", "两批").
_NUMERAL = r"(?:\d+(?:[.．]\d+)?|[XＸx]|[一二两三四五六七八九十百千万亿]+)"
# Measure words too ("三篇学术论文", "两艘", "十二岁"), not those a numeral makes an idiom with
# (一度, 一部分, 新一轮).
_UNIT = (r"(?:%|％|余|多|个|项|件|亿|万|千|百|元|亩|套|户|人|名|座|所|条|公里|吨|斤|倍|家|次|批|大"
         r"|种|类|期|台|辆|场|届|篇|本|张|只|头|匹|枚|颗|艘|架|首|份|位|间|处|支|株|棵|卷|集|话|岁"
         r"|米|公顷|公斤|千克|克|天|小时|分钟)")
# A year or a day is a time, no quantity: "有力应对2008年以来最严重的低温雨雪冰冻灾害" gives no loss,
# "1月7日，定日县发生地震" no toll.
_DATES = re.compile(r"(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日")
# A share in words is a quantity too: "约为国家预算收入的一半", "占三分之一".
_HAS_QUANTITY = re.compile(rf"\d|[XＸ]\s*{_UNIT}|{_NUMERAL}\s*{_UNIT}|一半|{_NUMERAL}分之{_NUMERAL}")
# A time: "X 月底前", "6月", "年底", "上半年", "秋季", "2025年", "今年内", "用半年时间", or how
# long something takes ("车程缩至30分钟", "用二十年的时间", "3个工作日内"), or how often ("每天都作出
# 口头指示", "每半年考评一次"): "多久" asks any of them.
_HAS_TIME = re.compile(
    rf"(?:{_NUMERAL}|半)\s*(?:月|年|日|季度|天|周|个?小时|分钟|个?工作日)"
    r"|月底|年底|年内|年末|上半年|下半年|[春夏秋冬]季|之前|以前|前完成|期间|到\s*\d"
    r"|每(?:天|日|周|月|季度?|半?年)"
)


# A way of computing: "年度考评分值=（上半年考评分值+下半年考评分值）÷2", "计算公式为…".
_HAS_FORMULA = re.compile(r"[=＝÷×]|计算公式|计算方法")


def has_answer_type(sentence: str, answer_type: AnswerType | None) -> bool:
    if answer_type is AnswerType.FORMULA:
        return bool(_HAS_FORMULA.search(sentence))
    if answer_type is AnswerType.TIME:
        return bool(_HAS_TIME.search(sentence))
    if answer_type is AnswerType.QUANTITY:
        return _holds_quantity(sentence)
    return False


@lru_cache(maxsize=1 << 16)
def _holds_quantity(sentence: str) -> bool:
    """Whether the sentence holds a quantity, its dates left out (asked of the same sentences by
    question after question: remembered)."""
    if not _HAS_QUANTITY.search(sentence):
        return False
    if "年" not in sentence and "日" not in sentence:  # no date to leave out
        return True
    return _HAS_QUANTITY.search(_DATES.sub("", sentence)) is not None


# The unit a question asks its quantity in, and the units a figure answering it is written in.
# Only units that say what is counted: "多少个", "几项" and "多少" alone are asked of anything.
#   "门票多少钱" → 元 ("票价60元"); "进出口总额多少亿元" → 元 (the unit's last word)
#   "旅居云南今年目标多少人" → 人, 名, 位 ("43.5万名干部")
#   "多少张床位" → 张; "粮食总产多少斤" → 斤 or 吨; "多少亩" → 亩 or 公顷
#   "企业整顿第一批先整多少家" → 家, 个, 户, 所, 间 ("近三百个企业")
#   "湖北累计确诊病例有多少例" → 例 ("确诊病例" alone gives no count)
#   "倒塌了多少间房屋" → 间, "HPV疫苗是几价的" → 价: a classifier of one kind of thing (not 只, 处,
#   条: "乐队共有几只" is answered by "共十二队", "世遗有几处" by "8项", "分几条" asks a list)
# Not "哪几块" (a list question) nor 块 ("拿了多少块金牌" is answered by "8金4银4铜").
#   Measures: "PM2.5平均浓度是多少微克每立方米" → 微克 ("PM2.5平均浓度稳步改善" gives none), 立方米,
#   平方米, 公顷. Not 千瓦: a machine's power is said apart from its name ("葛洲坝水利枢纽第一期工程…
#   第一台十七万千瓦机组"), where _figure_of_something_else would not find it with the name.
_MONEY = "[美欧日港加澳新韩]?元|英镑|台币|卢布|法郎|马克|卢比|比索"  # "斥资77亿美元", "4亿5000万加元"
_ASKED_UNITS = {
    "块钱": _MONEY, "钱": _MONEY, "元": _MONEY, "人": "人|名|位", "名": "名|人|位", "亿": "亿", "万": "万|亿",
    "吨": "吨|斤", "斤": "斤|吨", "公里": "公里|千米", "亩": "亩|公顷",
    "张": "张", "份": "份", "例": "例", "套": "套", "户": "户", "座": "座|个", "家": "家|个|户|所|间",
    "所": "所|个",
    "支": "支", "台": "台", "辆": "辆", "架": "架", "艘": "艘", "篇": "篇", "场": "场", "批": "批",
    "间": "间", "价": "价", "栋": "栋|幢", "幢": "幢|栋", "头": "头", "颗": "颗", "枚": "枚",
    "株": "株|棵", "棵": "棵|株", "匹": "匹", "本": "本|册", "册": "册|本", "层": "层", "口": "口",
    "微克": "微克", "立方米": "立方米|方", "平方米": "平方米|平米", "公顷": "公顷|亩",
}
# A unit's character that begins a word is no unit: "新发放不低于多少支持几万人创业" asks 人, not 支.
_WORD_NOT_UNIT = ("支持|支出|支付|支撑|场所|场景|批准|批复|台阶|头条|户籍|户口|本地|本土|层次|层级|口岸|间隔"
                  "|张贴|份额|名额|名单|名称|所有|所得|座谈")
_ASKED_UNIT = re.compile(rf"(?:多少|(?<!哪)几)[万亿千百]*(?!{_WORD_NOT_UNIT})({'|'.join(_ASKED_UNITS)})")
# A figure: a number ("43.5", "X", "三百"), its order of magnitude ("万", "亿"), "多"/"余".
_FIGURE = r"(?:\d+(?:\.\d+)?|[xX]|[一二两三四五六七八九十百千万亿〇零]+)\s*[万亿千百]*"
# A figure whose unit was said before it ("旅居人数达600万，") answers in any unit.
_BARE_FIGURE = rf"{_FIGURE}(?<=[万亿])(?=[,.;:、)，。；：）]|$)"


# A rate asked ("本科录取率是多少", "青年失业率目标控制在多少", "参保率提高到多少") is a share: "高校毕业生
# 超过1000万人" gives a count, no rate. Not 频率, 汇率, 功率 ("考评频率是多少": "每半年考评一次"), nor the
# 率 of 率先/率领, nor a multiple ("劳动生产率提高了几倍").
_RATE_ASKED = re.compile(r"(?<![频汇功统])率(?![先领])[\u4e00-\u9fff]{0,6}?(?:多少|几)(?!倍)")
_RATE_UNITS = "%|个百分点|成"
# A percentage asked outright ("养老金涨了百分之几", "降了几个百分点") is a share too.
_PERCENT_ASKED = re.compile(r"百分之(?:几(?![十百])|多少)|几个百分点")


# A unit written in letters ("多少GWh", "几MW"): the figure answering is in it.
_ASKED_LETTER_UNIT = re.compile(r"(?:多少|(?<!哪)几)[万亿千百]*([a-z]{1,4})(?![a-z0-9])")


def asked_units(question: str) -> list[str]:
    """The units of each figure the (normalized) question asks in a unit: "方舱医院建了多少座、有多少张
    床位" → ["座|个", "张"]; [] if none (asked_unit then says what it asks for, if anything)."""
    return [_money_or(_ASKED_UNITS[m.group(1)], question) for m in _ASKED_UNIT.finditer(question)]


def _money_or(units: str, question: str) -> str:
    """The units asked, or money's when only an order of magnitude is said of an amount of money:
    "直接经济损失有多少亿" is answered in 元, not by "总产达到557亿斤"."""
    return _MONEY if units in ("亿", "万|亿") and _MONEY_IN_MAGNITUDE_ASKED.search(question) else units


def asked_unit(question: str) -> str:
    """The units a figure answering the (normalized) question is in ("人|名|位"), or "" if it
    asks for no unit."""
    match = _ASKED_UNIT.search(question)
    if match:
        return _money_or(_ASKED_UNITS[match.group(1)], question)
    letters = _ASKED_LETTER_UNIT.search(question)
    if letters:
        return letters.group(1)
    if _MONEY_ASKED.search(question):
        return _MONEY
    people = _PEOPLE_ASKED.search(question)
    if people:  # or before the word itself: "我国有2.9亿在校学生"
        return f"{_PEOPLE}|{people[1]}"
    return _RATE_UNITS if _RATE_ASKED.search(question) or _PERCENT_ASKED.search(question) else ""


# Question words: where one stands, a question asks something ("…第二个问题是啥"), and in one clause
# only it asks one thing ("中央财政专项扶贫资金一年是多少亿", "全运会计划哪年在哪座城市举办"), not more
# ("经营主体有多少户，进出口总额多少", "要新接入多少家餐饮，谁牵头", "总投资多少、啥时候投产").
_QUESTION_WORD = re.compile(r"多少|几|谁|哪|什么|啥")
_QUESTION_END = re.compile(r"(?:咋|怎|如何|吗|呢|[?？])")
_CLAUSE_SPLIT = re.compile(r"[,;、?!]")


# The phrases that ask a time or a quantity (question_patterns.txt [asks_time], [asks_quantity]), and
# the words that may stand between one and the word it asks of: "规模预计多大", "计划哪年", "多少是".
_TIME_OR_QUANTITY_ASKED = re.compile(
    r"什么时候|啥时候|何时|哪一?天|哪一?年|几月|几号|多久|多长时间|多少|几|多大|多高|多长|多快")
_BETWEEN = r"(?:是|有|为|达到?|要|到|了|共|一共|总共|约|大约|大概|预计|计划|打算|能|在|的|将|会|还)+"
_BETWEEN_BEFORE = re.compile(_BETWEEN + "$")
_BETWEEN_AFTER = re.compile("^" + _BETWEEN)


# People counted by what they are, the word ending as such words do ("招了多少学生", "接待了多少游客",
# "培训多少名教师", "多少人才"): a figure of people answers ("招生3000人", "游客1.2亿人次", "2.9亿在校
# 学生"), not "实施首批粤港高校联合资助计划".
_PEOPLE_ASKED = re.compile(r"多少(?:名|位|个)?([\u4e00-\u9fff]{1,3}?[生客员工师者]|人才|人口|干部)"
                           r"(?![\u4e00-\u9fff])")
_PEOPLE = "人|名|位|人次|万人"


# An amount of money asked without its unit: "总投资多少", "安排了多少财政资金", "给了多少补贴资金",
# "货运收入有多少" are answered in 元 ("总投资5.81亿元"), not by "二期" or "3个项目"; not "财政收入
# 增长多少" (a rate) nor "预算外资金相当于预算收入的多少" (a share: "约为国家预算收入的一半").
_MONEY_WORDS = "投资|资金|经费|收入|费用|金额|预算|造价|拨款|损失"
_MONEY_ASKED = re.compile(rf"(?:{_MONEY_WORDS})(?:{_BETWEEN})?(?<!的)多少"
                          r"(?![万亿千百]*[\u4e00-\u9fffa-z])|多少[\u4e00-\u9fff]{0,2}?(?:投资|资金|经费|费用|钱)")
# The same asked in an order of magnitude only: "直接经济损失有多少亿", "总投资多少万".
_MONEY_IN_MAGNITUDE_ASKED = re.compile(rf"(?:{_MONEY_WORDS})(?:{_BETWEEN})?(?<!的)多少[万亿千百]+"
                                       r"(?![\u4e00-\u9fffa-z])")


def around_time_or_quantity_asked(question: str) -> Iterator[tuple[str, str]]:
    """For each phrase of the (normalized) question asking a time or a quantity, the question before
    it and after it, without the words between: "项目总投资多少、啥时候投产" → ("项目总投资", "、啥时候投产"),
    ("项目总投资多少、", "投产")."""
    for match in _TIME_OR_QUANTITY_ASKED.finditer(question):
        yield (_BETWEEN_BEFORE.sub("", question[:match.start()]),
               _BETWEEN_AFTER.sub("", question[match.end():]))


def asks_one_thing(question: str) -> bool:
    """Whether the (normalized) question asks one thing: its figure is then in one sentence."""
    asking = [clause for clause in _CLAUSE_SPLIT.split(question) if _QUESTION_WORD.search(clause)]
    return len(asking) == 1


def asks_something(text: str) -> bool:
    """Whether a piece of a (normalized) question asks anything: a question word, 咋, 怎, 如何, or a
    question's particle or mark ("…第四条呢?")."""
    return _QUESTION_WORD.search(text) is not None or _QUESTION_END.search(text) is not None


# A rate said as a bare number after its name: "首集收视率为7.07".
_RATE_SAID = re.compile(r"率(?:为|是|达到?|提高到|降至|降到)?\s*\d")


def has_figure_in(text: str, units: str) -> bool:
    """Whether the (normalized) text holds a figure in one of the units (asked_unit)."""
    return _figure_pattern(units).search(text) is not None


@lru_cache(maxsize=64)
def _figure_pattern(units: str) -> re.Pattern[str]:
    rate_said = f"|{_RATE_SAID.pattern}" if units == _RATE_UNITS else ""
    return re.compile(rf"{_FIGURE}\s*[多余]?\s*(?:{units})|{_BARE_FIGURE}{rate_said}")


# A figure asked per unit ("每亩地多少钱", "人均可支配收入多少", "每人每月提到多少") is answered by a
# sentence that says it per that unit: "对种粮农民一次性发放200亿元补贴" gives no 每亩; "从每人每月
# 202元提高到209元" does. Each group is one unit, as questions and reports write it.
_PER_UNIT = (
    ("每人", "人均", "每名", "每位", "每个人"), ("每户", "户均"), ("每亩", "亩均"), ("每生", "生均"),
    ("每辆",), ("每台",), ("每吨", "吨均"), ("每平米", "每平方米"), ("每床", "床均"),
    ("每天", "每日", "日均"), ("每月", "月均", "月标准", "每个月"), ("年均",),
)


def per_unit_asked(question: str) -> tuple[tuple[str, ...], ...]:
    """The units a figure is asked per, each as its ways of writing it ("每亩地" → ("每亩", "亩均"))."""
    return tuple(group for group in _PER_UNIT if any(form in question for form in group))


def says_per_unit(text: str, per_unit: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the (normalized) text gives a figure per each unit asked."""
    return all(any(form in text for form in group) for group in per_unit)


# "哪一年", "哪年", "何年" ask for a year; "2018年", "光海君七年", "同年", "次年", "今年" say one.
# "哪天", "哪一天", "几月几号", "何日", "什么日期", a terse "开幕日期" ask for a day ("为什么还能延长
# 最佳食用日期" does not); "1月22日", "3月5号", "当天", "次日" say one; a 号 only after a month: not the
# 号 of a name ("6号线", "1号文件", "嫦娥六号", "2号航站楼", "国发〔2024〕1号").
# "几月份", "哪个月" ask for a month; "6月", "X 月底前", "年底", "上半年" say one.
_WHICH = {"年": re.compile(r"哪一?年|何年"),
          "日": re.compile(r"哪一?天|几月几[日号]|哪[日号]|何日|[什哪]\w?日期"
                          r"|^(?!.*(?:什么|为何|怎|如何|哪|多少|几|谁)).*日期[?？]?$"),
          "月": re.compile(r"几月|哪个?月")}
_SAYS = {
    "年": re.compile(r"(?:\d{1,4}|[一二三四五六七八九十〇零元]{1,4})\s*年|[今明去当同次翌前后]年"),
    # An event named by its day in quotes is dated by it: "镇雄“1·22”山体滑坡" happened on 22 January.
    "日": re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
                    r"|月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*号|[今明昨当同次翌]日|[今明昨当]天"
                    r"|[“\"]\d{1,2}[·・.]\d{1,2}[”\"]"),
    "月": re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[XＸx])\s*月|年[底初中末]|[上下]半年|季度"),
}


def which_time_asked(question: str) -> str:
    """"年", "月" or "日" if the (normalized) question asks which year, month or day, else ""."""
    return next((unit for unit, pattern in _WHICH.items() if pattern.search(question)), "")


def says_time(text: str, unit: str) -> bool:
    """Whether the (normalized) text names a year ("年"), a month ("月") or a day ("日")."""
    return _SAYS[unit].search(text) is not None


# "哪十项", "哪五水", "哪3点" ask for that many items; from three on ("哪两种" is answered by "满族
# 姓氏与汉族姓氏两种", a list with no list mark). Not "哪一年", "哪一步": one thing.
_WHICH_COUNT = re.compile(r"哪([二两三四五六七八九十\d][一二两三四五六七八九十\d]{0,2})([\u4e00-\u9fff])")
# So does a count the question states when it asks which ones: "50个养老服务中心分别布局在哪几个区",
# "55项民生实事中教育类具体有哪几项".
_STATED_COUNT = re.compile(r"([二两三四五六七八九十\d][一二两三四五六七八九十百\d]{0,3})"
                           r"([个项件座家条种类所处])")
_WHICH_ONES = re.compile(r"哪几|哪些|分别[是叫]|什么名字|叫啥|叫什么")
# The count's own clause lists them: right after the count ("“三区”、产业集聚区…"), after a colon ("有
# 三个众所周知的显微镜学分支：光学，电子…", "“八个增长”:国内生产总值…") or before it, up to 等 ("人形
# 机器人、商业航天…等20个未来产业", "…、长三角大飞机等国家先进制造业集群4个"). Not "广州、深圳援助梅州
# 建设4个小镇", whose list is of those who built the four, nor "过境免签扩展到9个州（市）并延长至240小时、
# …", whose list is of what else was done.
_CLAUSE_END = "，,；;。"
_LISTED_BEFORE = re.compile(r"等[^、，,]{0,12}$")  # "…、长三角大飞机等国家先进制造业集群4个"
_COUNTS_AFTER = re.compile(r"[、和][^，,。；;、]{0,8}?" + _STATED_COUNT.pattern)
_CLAUSE_LIST = re.compile(r"[、：:]")
_LISTED_AFTER = re.compile(r"[^，,。；;]{0,10}、|[^，,。；;]*[：:]")
# Items of a list within the sentence: "实施十项工程，即…、…、…".
_ITEM_MARK = re.compile(r"[、；;]")
# The first item of a list after the sentence that counts them: "办好十件民生实事。…一是为老年人…",
# "提3点要求。一要狠抓工作落实", "第一，", "（一）", "1." (not "第一轮", "1.5", nor a rank: "居全国第一，");
# a heading "一、" right after.
_FIRST_ITEM = re.compile(r"一是|一要|(?<![国省市区县球界])第一[，,、：:]|[（(][一1][)）]"
                         r"|(?<![\d.])1[.．、](?!\d)")
_FIRST_HEADING = re.compile(r"[一1][、.．]")


def count_asked(question: str) -> tuple[str, ...]:
    """How the count of items the (normalized) question asks for is written, each way:
    "河南十项民生实事具体是哪十项" → ("十项", "10项"); () if it asks for no count of three or more."""
    match = _WHICH_COUNT.search(question)
    if not match and _WHICH_ONES.search(question):
        match = _STATED_COUNT.search(question)
    if not match or (parse_number(match.group(1)) or 0) < 3:
        return ()
    number, noun = match.groups()
    # The same count stated before in another classifier is how the text counts them: "5件大中型水库
    # 分别是哪5座" → also 5件.
    nouns = [noun, *(stated[2] for stated in _STATED_COUNT.finditer(question, 0, match.start())
                     if stated[1] == number and stated[2] != noun)]
    return tuple(form for noun in dict.fromkeys(nouns)
                 for form in (number + noun, *sorted(variant + noun for variant in numeral_variants(number))))


def count_unlisted(sentence: str, after: str, count: tuple[str, ...]) -> bool:
    """Whether the (normalized) sentence names the count asked for and lists no items of it, nor is
    followed by a first item in the text after it: "持续推进“五水综改”。" for "哪五水"; "今年继续实施
    10大类55项民生实事，涵盖就业、教育、医疗…等领域" for "哪55项" (seven fields, in another clause)."""
    found = [(at, at + len(words)) for at, words in ((sentence.find(words), words) for words in count)
             if at >= 0]
    if not found or _FIRST_ITEM.search(after) or _FIRST_HEADING.match(after):
        return False
    at, end = min(found)
    start, _ = _clause_around(sentence, at, at, _CLAUSE_END)
    before = sentence[start:at]
    if _CLAUSE_LIST.search(before) and _LISTED_BEFORE.search(before):
        return False
    # A count followed by counts of other things ("新增博士点57个、硕士点106个") is one item of a list
    # of kinds, as is one listed after them (below): neither list names its items.
    if _COUNTS_AFTER.match(sentence, end):
        return True
    if _LISTED_AFTER.match(sentence, at):
        return False
    size = parse_number(count[0][:-1]) or 0
    # A count listed among counts of other things ("开工建设3件大型灌区、5件大中型水库和…") is one item
    # of a list of kinds: the list before it names none of its own items.
    if before.endswith(("、", "和")) and _STATED_COUNT.search(re.split(r"[、和]", before)[-2]):
        return True
    # Items the sentence lists come before the count ("丛林、战俘营和机场为通关必须，即最少只打这三关")
    # or in the clause after its last mention ("其中的三师，指的是「…」、「…」、「…」"), not clauses on
    # ("严守“四道防线”，步步推进、层层深入，形成了全面动员、全面部署…").
    last = max(sentence.rfind(words) for words in count)
    _, end = _clause_around(sentence, last, last, _CLAUSE_END)
    _, next_end = _clause_around(sentence, end + 1, end + 1, _CLAUSE_END)
    return len(_ITEM_MARK.findall(sentence, 0, next_end)) + 1 < size - 1


# Which few things, asked at the end of a clause: "首批是哪几家", "约谈了哪几个省", "是哪两家", "开征的是
# 哪几种税", "分别是哪5座". Not "哪些", "哪几项", "哪几个方面": those ask for a part, whose items are its
# sub-headings or the next passages; nor which one ("哪一种"), nor a phrase ("哪十六个字").
_WHICH_FEW = re.compile(r"哪(?:[几两]|[二三四五六七八九十][一二三四五六七八九十]*|(?!1(?!\d))\d+)"
                        r"(?:家|个(?!字)|座|种|所|位|名|艘)[\u4e00-\u9fff]?$"
                        # and the names of a few things counted: "新建的几大主题公园分别叫什么名字"
                        r"|几[大个家座所处][\u4e00-\u9fff]{1,8}?(?:分别)?叫(?:什么|啥)(?:名字)?$")
# Items listed in a clause ("钟祥明显陵、麻城龟峰山", "A和B", quoted names side by side), or in a
# sentence of clauses set apart by ；or opened by a colon ("必须增强必胜之心，…；必须增强责任之心…").
_LISTED_IN_CLAUSE = re.compile(r"、|和|与|及|”“")
_LISTED_IN_SENTENCE = re.compile(r"[；;：:]")
_CLAUSE = re.compile(r"[,，;；。]")
# How far after the sentence a list it opens may start ("…组建了以下实验室：一是…").
_LIST_START = 200


def asks_which_few(clause: str) -> bool:
    """Whether the (normalized) clause asks which few things, at its end."""
    return _WHICH_FEW.search(clause) is not None


def which_few_unlisted(sentence: str, after: str, words: list[str]) -> bool:
    """Whether the (normalized) sentence lists nothing where it says any of the words (each clause
    saying one; the whole sentence if none does), nor is followed by a first item in the text after it."""
    if _FIRST_ITEM.search(after[:_LIST_START]) or _LISTED_IN_SENTENCE.search(sentence):
        return False
    pieces = _CLAUSE.split(sentence)
    # A clause saying a word, and the one after it: "是指香港四位文人，分别为金庸、倪匡、黄霑和蔡澜".
    clauses = [pieces[n] + "," + pieces[n + 1] if n + 1 < len(pieces) else pieces[n]
               for n, piece in enumerate(pieces) if any(word in piece for word in words)]
    return not any(_lists_items(_without_joined(clause, words)) for clause in clauses or [sentence])


# An item counted: "X条道路", "3大主题公园", "两个公建项目".
_COUNTED_ITEM = re.compile(r"(?:\d+|[xX]|[一二两三四五六七八九十百千]+)\s*[多余]?\s*"
                           r"[个条大项件座家所处种类批支台]")


def _lists_items(clause: str) -> bool:
    """Whether the (normalized) clause lists items, not only counts of kinds: "开工建设X条道路、X大主题
    公园和X个公建项目" names no park."""
    items = _LISTED_IN_CLAUSE.split(clause)
    return len(items) > 1 and not all(_COUNTED_ITEM.search(item) for item in items)


def _without_joined(clause: str, words: list[str]) -> str:
    """The clause without the question's own words joined by 和, 与, 及 or 、: they list nothing it
    asks ("北迁的机关和企业总部单位有哪几家": "全力做好X余家机关和企业总部单位的北迁…")."""
    for first in words:
        for second in words:
            if first != second:
                for joint in "和与及、":
                    clause = clause.replace(first + joint + second, ",")
    return clause


# A target or plan asked: "今年GDP增长目标定的多少", "预期增长多少", "计划增长多少", "打算建几个".
_TARGET_ASKED = re.compile(r"目标|预期|计划|打算")
# A review: a heading that looks back ("一、认真总结成绩,准确把握态势", "2024年工作回顾", "“十三五”
# 时期发展成就") and not also ahead ("…成就和“十四五”时期主要目标任务", "…成绩和下一步工作安排").
_REVIEW = re.compile(r"^(?!.*(?:目标|任务|安排|部署|重点工作)).*(?:回顾|总结|成绩|成就)")
# A sentence that states a target, even within a review ("全面完成了年初确定的目标任务", "力争…").
_TARGET_SAID = re.compile(r"目标|预期|力争|计划|确保")


# A result asked ("二〇二二年全国GDP最后实际增长了多少", "最终完成了多少"), and a sentence that gives only
# a target ("今年发展主要预期目标是：国内生产总值增长5.5%左右"), which does not answer it.
_RESULT_ASKED = re.compile(r"实际|最终|最后.{0,3}(?:增长|完成|达到)")
_TARGET_STATED = re.compile(r"预期目标|目标是|目标为|左右")


# A rank asked ("增速全国排第几", "哪个旗县区排第一", "第几名"), and a sentence that gives one ("增速
# 全国第3", "居全国首位", "位居前列"). Not an item counted: "矛盾问题排第一个的是啥" points at a part.
_RANK_ASKED = re.compile(r"排(?:在|名)?第(?:几|一)(?![个条项点件部块])|第几(?:名|位)|全国第几"
                         r"|排名(?:怎么样|如何|多少)")
# A rank said: "居全国第3", "第二大货柜码头营运商", "首位"; not ordinals that count kinds or times
# ("第一、第三产业增加值分别增长2.5%、3.9%", "第二批", "第三次").
_RANK_SAID = re.compile(r"第\s*[\d一二三四五六七八九十]+(?![\d一二三四五六七八九十]|[、,]第|[产批次届轮期])"
                        r"|首位|榜首|居首|之首|前列|前\s*\d|领先|冠军")


def asks_rank(question: str) -> bool:
    """Whether the (normalized) question asks where something ranks."""
    return _RANK_ASKED.search(question) is not None


def says_rank(text: str) -> bool:
    """Whether the (normalized) text says where something ranks."""
    return _RANK_SAID.search(text) is not None


# Which one of a kind is asked: an organization ("政务云平台是哪家公司承建的", "12345热线升级哪个单位
# 牵头", "两个水饮品项目分别是哪两家企业"; not "哪两家" alone: "新设立的是哪两家交易所" asks no company), a
# place ("那位县委书记是哪个县的", "“622”模式是哪个地方搞的", "在哪座城市举办"), a person by office or role
# ("哪位代市长带队来调研", "哪位省领导牵头", "再夺奥运会金牌的是哪位运动员"). An organization is named
# as one ends ("市政府办公室", "…有限公司", "省发展改革委"); a person asked so, by the office (the 代市长
# of "代市长徐启方").
_WHICH_ORGANIZATION = re.compile(r"哪一?家|哪(?:[两几]家|个|两个|几个)(?:部门|单位|机构|公司|企业)"
                                 r"|什么(?:公司|企业|机构)|哪一?所(?:高校|大学|学校|院校)")
_ORGANIZATION = re.compile(r"[\u4e00-\u9fff]{2,}(?:公司|集团|银行|医院|大学|学院|研究院|研究所|局|委|办"
                           r"|办公室|厅|机构|单位|部门)")
# A company asked ("哪家企业", "什么公司") is named as one: "…集团", "…公司", "…银行".
_COMPANY_ASKED = re.compile(r"公司|企业")
_COMPANY = re.compile(r"(?:公司|集团|银行)$")
# Not an organization: all or each of them ("全区部门全部上云", "各单位", "有关部门").
_ANY_ORGANIZATION = re.compile(r"(?:全|各|本|该|有关|相关|其他|所有)[省市区县]?(?:部门|单位|机构)")
_WHICH_PLACE = re.compile(r"哪[个座](?:县|市|省|区|地方|城市|地区|州|乡|镇|村)"
                          r"|哪(?:些|几|[两三四五六七八九十]|\d+)个(?:县|市|省|地方|城市)")  # 哪四个城市
# The person's title ends as a title does (代市长, 省领导, 运动员, 院士, 总理), else is two characters.
_WHICH_PERSON = re.compile(r"哪位([\u4e00-\u9fff]{1,3}?[长员士记导家师手任练官理]|[\u4e00-\u9fff]{2})")


def asks_which_place(question: str) -> bool:
    """Whether the (normalized) question asks which place."""
    return _WHICH_PLACE.search(question) is not None


def is_place_asked(question: str, place: str) -> bool:
    """Whether the place (a document's: "河南省", "包头市") is of the level the (normalized) question
    asks which of: "…“免证可办”的是哪个省" is answered by Henan's report, its passage naming no place;
    "在哪个城市投运的" is not answered by Guangdong's, a province; "哪四个城市" by no one place."""
    match = _WHICH_PLACE.search(question)
    if match is None or not match[0].startswith(("哪个", "哪座")):
        return False
    level = match[0][-1] if match[0][-1] in "县市省区州乡镇村" else match[0][-2:]
    return place.endswith(level) or (level == "省" and place.endswith("自治区"))


# "哪个项目", "哪一个国家": which one of a kind, the kind named after it. Not which of two compares
# more ("GDP和固定资产投资，哪个增得快", "哪个更高"): their figures answer, no kind is named.
_COMPARED = r"(?:更|最)?(?:(?:增|涨|降|升|跌|减)得?)?更?[快慢多少高低大小](?=$|[,.?!;])"
_WHICH_ONE = re.compile(rf"哪一?个(?!{_COMPARED})")


# Who is asked of a role said right before 谁, ending as a title does (as _WHICH_PERSON's): "女排
# 当时主教练是谁", "牵头单位负责人是谁". Not a verb ("许可证发给了谁", "考评对象都包括谁").
_WHO = re.compile(r"(?:是|叫|为)?谁")
_TITLE_END = re.compile(r"[长员士记导家师手任练官理人]$")


def before_who_asked(question: str) -> Iterator[str]:
    """The (normalized) question before each 谁 asked of a role, without the words between ("当时
    主教练是谁" → "当时主教练"): the role ends it, and an answer naming the person says it."""
    for match in _WHO.finditer(question):
        before = _BETWEEN_BEFORE.sub("", question[:match.start()])
        if _TITLE_END.search(before):
            yield before


def which_kinds_asked(question: str) -> Iterator[str]:
    """The (normalized) question after each "哪个" asking which one of a kind (the kind comes first
    in it: "项目？"), not which place ("哪个市", "哪个地方": a place is named, not called 市)."""
    for match in _WHICH_ONE.finditer(question):
        if _WHICH_PLACE.match(question, match.start()) is None:
            yield question[match.end():]


def names_organization_or_person_asked(question: str, text: str) -> bool:
    """Whether the (normalized) text names an organization, or a person by the office, that the
    (normalized) question asks which of; True if it asks neither."""
    which = _WHICH_ORGANIZATION.search(question)
    if which:
        named = _ORGANIZATION.findall(_ANY_ORGANIZATION.sub(",", text))
        if _COMPANY_ASKED.match(question, which.end()) or _COMPANY_ASKED.search(which[0]):
            # "哪家企业投资建的": not answered by "xx医院(儿童医院)", a project
            named = [name for name in named if _COMPANY.search(name)]
        if all(_restated(name, question) for name in named):
            return False
    person = _WHICH_PERSON.search(question)
    return person is None or person[1] in text


def _restated(name: str, question: str) -> bool:
    """Whether an organization's name is only the question's words again, so no name: "委托第三方机构"
    for "考评委托的第三方评估机构是哪家公司" (委托, 第三方, 机构; at most one character of it not)."""
    unsaid, at = 0, 0
    while at < len(name):
        size = next((n for n in range(len(name) - at, 1, -1) if name[at:at + n] in question), 0)
        if size:
            at += size
        else:
            unsaid, at = unsaid + 1, at + 1
    return unsaid <= 1


def asks_result(question: str) -> bool:
    """Whether the (normalized) question asks what was achieved, not what was planned."""
    return _RESULT_ASKED.search(question) is not None and not asks_target(question)


def states_target(sentence: str) -> bool:
    """Whether the (normalized) sentence states a target."""
    return _TARGET_STATED.search(sentence) is not None


# A figure a question states ("高校毕业生超1000万，其中研究生有多少"): digits with their order of
# magnitude; not a code (5G, PM2.5, M2, "1·22", 12345热线: five digits or more without 万/亿) nor a date.
_STATED = re.compile(r"(?<![0-9a-z.·])\d+(?:\.\d+)?[万亿千百]*(?![0-9a-z.·年月日号\-+])")
_CODE_DIGITS = 5


def stated_figures(question: str) -> list[str]:
    """The figures the (normalized) question states: "高校毕业生超1000万,其中研究生有多少" → ["1000万"]."""
    return [figure for figure in _STATED.findall(question)
            if not (figure.isdigit() and len(figure) >= _CODE_DIGITS)]


# A count the question states with its unit ("2个万卡智算集群", "三大化纤厂"; not one it asks, "哪六个",
# "前几个", nor the count in a quoted name, "“五个突破”"), and a code of digits and a letter ("5g",
# "g318"), which is no figure: said by a sentence, neither gives a figure of its own. Not a figure with
# a unit in letters: "300mb", "50km".
_NOT_A_STATED_COUNT = "(?<![0-9a-z.哪第前“])"
_STATED_UNIT = re.compile(rf"{_NOT_A_STATED_COUNT}(?:\d+|[一二两三四五六七八九十百千]+)\s*{_UNIT}")
_DIGITS_OF_CODE = re.compile(r"(?<![0-9.])\d+(?=[a-z](?![a-z]))|(?<=[a-z])\d+")


def stated_counts(question: str) -> list[str]:
    """The counts with a unit the (normalized) question states: "四川三大化纤厂总投资" → ["三大"]."""
    return _STATED_UNIT.findall(question)


def without_codes(text: str) -> str:
    """The (normalized) text without the digits of its codes: "推动全市5g移动网络" → "推动全市g移动网络"."""
    return _DIGITS_OF_CODE.sub("", text)


# A number that is part of a project's name: an ordinal ("葛洲坝水利枢纽第一期工程") or a scale
# ("千亿级氟硅新材料项目"). Said by the question, it is no figure an answer gives.
_NUMBER_IN_NAME = re.compile(r"第[0-9一二两三四五六七八九十百千]+|[0-9一二两三四五六七八九十百千万亿]+级")


def numbers_in_names(name: str) -> list[str]:
    """The numbers in a (normalized) name: "葛洲坝水利枢纽第一期工程" → ["第一"]."""
    return _NUMBER_IN_NAME.findall(name)


# The figure itself asked ("xx区2021年生产总值具体是多少亿", "到底是多少"), and a sentence whose figures
# the text masks ("全年实现生产总值 X 亿元;…增长 X%"): a masked figure is no figure given. Without
# 具体 or 到底 the masked sentence is still the answer ("全年多渠道融资多少": "…融资 X 余亿元").
_EXACT_ASKED = re.compile(r"具体|到底|究竟|确切|准确|精确")
_MASKED = re.compile(rf"(?<![0-9a-z])x(?![0-9a-z])\s*(?:余|多)?\s*{_UNIT}?")


def asks_exact_figure(question: str) -> bool:
    """Whether the (normalized) question insists on the figure itself."""
    return _EXACT_ASKED.search(question) is not None


def gives_only_masked_figures(sentence: str) -> bool:
    """Whether the (normalized) sentence's only figures are masked as "x" (its dates left out)."""
    return _MASKED.search(sentence) is not None and not _holds_quantity(_MASKED.sub("", sentence))


# A figure asked for one year ("2024年当年", "一整年", "全年"), and a running total ("累计发送旅客超4500万
# 人次"): a sentence that gives the total and says no year's figure does not answer.
_ONE_YEAR = re.compile(r"当年|一整年|全年|一年里|这一年|年度|(?<=[去今年])一年")  # "去年一年新增…多少亩"
_CUMULATIVE = re.compile(r"累计[^,;。]{0,12}?(?:\d|[一二三四五六七八九十两]+[万亿千百])")


def asks_one_year(question: str) -> bool:
    """Whether the (normalized) question asks a figure for one year."""
    return _ONE_YEAR.search(question) is not None


def gives_running_total(sentence: str) -> bool:
    """Whether the (normalized) sentence gives a running total (累计…) and no year's figure."""
    return _CUMULATIVE.search(sentence) is not None and _ONE_YEAR.search(sentence) is None


def asks_target(question: str) -> bool:
    """Whether the (normalized) question asks for a target or plan."""
    return _TARGET_ASKED.search(question) is not None


def reports_result(heading_path: str, sentence: str) -> bool:
    """Whether the (normalized) sentence, under that heading path, reports a result, not a target:
    it stands in a review and says no target of its own."""
    return _REVIEW.search(heading_path) is not None and _TARGET_SAID.search(sentence) is None


# Yes/no questions: "外省牌照的车能不能参加", "个体工商户可不可以申请", "有没有硬指标", "是否纳入".
# Not a request put politely: "…分别要新增多少项,能不能说说", "可不可以帮我列一下".
_WHETHER = re.compile(r"(?:能不能|可不可以|能否)(?!(?:给我|帮我|帮忙)?(?:说|讲|介绍|列|告诉|概括|总结|解释))"
                      r"|可以不|会不会|有没有|是否|行不行|让不让")
_CLAUSE_MARKS = ",，;；。?？"


# A question that restates what a document says and then asks one thing of it: "湖北报告提到李德仁
# 院士获国家最高科学技术奖，奖金是多少" (the last clause asks, the first only restates; asks_something
# tells them apart). Not one whose last clause asks several things ("银龄人才计划今年引进留用3600名，
# 各类别分别多少").
_SEVERAL = re.compile(r"分别|各(?:是|有|要|自|占|为|项|部分|类)")


def last_clause(question: str) -> tuple[str, str]:
    """The (normalized) question before its last clause, and that clause: "李德仁院士获国家最高科学
    技术奖,奖金是多少" → ("李德仁院士获国家最高科学技术奖,", "奖金是多少"); ("", question) if one clause."""
    text = question.rstrip(_CLAUSE_MARKS)
    start = max(text.rfind(mark) for mark in _CLAUSE_MARKS) + 1
    return text[:start], text[start:]


# A person or a reason asked: "主教练是谁", "王书记全名叫什么", "由哪位院士牵头"; "入境游客增长186.8%，
# 原因是啥", "为什么". Not the 为什么 of a name asked: "这种庙宇被称为什么".
_PERSON_OR_REASON = re.compile(r"谁|哪位|什么人|啥人|全名|原因|为啥|(?<![称名作成改])为什么|为何")


# A full name asked of someone named by surname and office: "先讲话的王书记全名叫什么" is answered
# only by a text that writes the name out ("王建国书记", "书记王建国"), not by "王书记作了重要讲话".
_OFFICES = "书记|县长|市长|省长|区长|主任|局长|部长|主席|总理|同志"
# Not a word before an office that is no surname: the 的 of "新上任的市长", the 代 of 代市长.
_NO_SURNAME = "的代副新老前原这那该位常省市县区委"
_FULL_NAME_ASKED = re.compile(rf"(?![{_NO_SURNAME}])([\u4e00-\u9fff])({_OFFICES})[^,，。?？]{{0,6}}?"
                              r"(?:全名|全称|叫什么名字|叫啥名字)")


def full_name_unsaid(question: str, text: str) -> bool:
    """Whether the (normalized) question asks the full name of a surname and office ("王书记全名叫
    什么") and the (normalized) text does not write it out."""
    asked = _FULL_NAME_ASKED.search(question)
    if asked is None:
        return False
    surname, office = asked[1], asked[2]
    name = rf"{surname}[\u4e00-\u9fff]{{1,2}}"
    return re.search(rf"(?<!{surname}){name}{office}|{office}{name}", text) is None


def asks_person_or_reason(clause: str) -> bool:
    """Whether the (normalized) clause asks for a person or a reason."""
    return _PERSON_OR_REASON.search(clause) is not None


# A reason asked ("富强机场为啥要迁建", "湖北为啥把增长目标定在6%左右"), not the 为啥 of a name asked
# ("2018年定为啥年", "被称为什么"); and the words a text gives a reason with ("综合考虑了促就业、惠民生…",
# "由于…", "为了…", "旨在…", a clause of cause "因财政收入恢复性增长，…" or of what it is "…，这是…重要内容").
_REASON_ASKED = re.compile(r"原因|(?<![定称名作成改])为(?:啥|什么|何)")
_REASON_GIVEN = re.compile(r"因为|由于|为了|以便|原因|考虑|旨在|出于|所以|因此|得益于|在于|基于|着眼"
                           r"|鉴于|是为|目的|意义|需要|有利于|有助于"
                           r"|(?:^|[,;])因(?!地|素|此)|,这是")


def reason_unsaid(question: str, text: str) -> bool:
    """Whether the (normalized) question asks a reason and the (normalized) text gives none."""
    return _REASON_ASKED.search(question) is not None and _REASON_GIVEN.search(text) is None


def asks_several(clause: str) -> bool:
    """Whether the (normalized) clause asks several things at once (各是多少, 分别)."""
    return _SEVERAL.search(clause) is not None


# A figure asked of each ("三大运营商各建多少座", "各有几个"): one figure each.
_EACH_ASKED = re.compile(r"各[\u4e00-\u9fff]?(?:多少|几)")


def asks_figure_each(clause: str) -> bool:
    """Whether the (normalized) clause asks several figures: several things (asks_several) or one of each."""
    return asks_several(clause) or _EACH_ASKED.search(clause) is not None


# A part of a count the question states, asked in the count's own classifier ("210个项目里，工业项目
# 占多少个", "55项民生实事里，教育类的有几项"): answered only by another figure of that classifier, not
# by the sentence that gives the total ("实施10大类55项民生实事"). 个 counts anything; so does any
# classifier for 个 ("新增5g基站1000个，已建成多少个": "建成3万座"). The others answer in their own
# units ("驰援湖北的330多支医疗队里，军队派出了多少支": 支).
_COUNTING = "个项件座家条种类所户"
_CLASSIFIERS = _COUNTING + "支台辆架艘篇场批间栋幢颗枚株棵本册张份例套名人吨亩"
_PART_ASKED = re.compile(rf"(?:多少|(?<!哪)几)([{_CLASSIFIERS}])")
# A count stated in a classifier: "330多支" (the classifier in the braces).
_STATED_IN = _NOT_A_STATED_COUNT + r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)[万亿千百]*[多余]?{}"


# So is a part of an amount of money the question states ("挽回的22.2亿元经济损失中，电信网络诈骗
# 案件挽回了多少"): in 元, not "…受理数下降12%". Not an item pointed at ("第9项便民服务里").
_PART_OF_MONEY = re.compile(rf"(?<!第)\d+(?:\.\d+)?[万亿千百]*(?:{_MONEY})[\u4e00-\u9fff]{{0,8}}?"
                            r"(?:中|里)(?=[,，]|有)")


def count_part_asked(question: str) -> str:
    """The units a figure answering the (normalized) question is in, when it asks a part of a count
    it states in the same classifier ("个|项", "支") or of an amount of money (元), or ""."""
    asked = _PART_ASKED.search(question)
    if not asked:
        money = _PART_OF_MONEY.search(question)
        rest = question[money.end():] if money else ""
        return _MONEY if "多少" in rest and not asked_unit(rest) else ""
    classifier = asked.group(1)
    if not re.search(_STATED_IN.format(classifier), question[:asked.start()]):
        return ""
    if classifier == "个":
        return "|".join(_COUNTING)
    return f"{classifier}|个" if classifier in _COUNTING else _ASKED_UNITS.get(classifier, classifier)


def whether_clause(question: str) -> str:
    """The clause of the (normalized, separators typed) question that asks whether, or "":
    "河南汽车以旧换新,外省牌照的车能不能参加" → "外省牌照的车能不能参加"."""
    match = _WHETHER.search(question)
    if not match:
        return ""
    start, end = _clause_around(question, match.start(), match.end(), _CLAUSE_MARKS)
    return question[start:end]


# A yes/no asked of what was done, at the end of a clause: "湖北申办第十六届全国运动会到底成功了没有"
# asks whether it 成功, the word said before 了没有; the rest restates what a document says
# ("申办第十六届全国运动会。", which does not answer).
_DONE_YET = re.compile(r"了没有?(?![\u4e00-\u9fff])")


def done_yet(question: str) -> str:
    """The (normalized) question's words before a 了没有 ending its clause, or "": "湖北申办第十六届全国运动会
    到底成功了没有" → "湖北申办第十六届全国运动会到底成功"."""
    match = _DONE_YET.search(question)
    if not match:
        return ""
    start, _ = _clause_around(question, match.start(), match.end(), _CLAUSE_MARKS)
    return question[start:match.start()]


def _clause_around(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    """The bounds of the clause of text holding text[start:end]: from after the last mark before
    it to the first mark after it (or the text's ends)."""
    opening = max(text.rfind(mark, 0, start) for mark in marks) + 1
    closing = min((at for at in (text.find(mark, end) for mark in marks) if at >= 0), default=len(text))
    return opening, closing
