"""What kind of answer a question wants, and whether a sentence holds one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from retrieval.answer_types import AnswerType, asked_unit, count_part_asked, has_answer_type, has_figure_in
from retrieval.question import wanted_type

MONEY = asked_unit("门票多少钱")  # the units an amount of money is written in

if TYPE_CHECKING:
    from retrieval.library import Library


def _library_of(name: str, text: str) -> Library:
    """A library of one document built from its text."""
    from retrieval.document import build_document
    from retrieval.library import Library

    return Library((build_document(name, text),))


@pytest.mark.parametrize(("question", "kind"), [
    ("收储土地多少亩", AnswerType.QUANTITY),
    ("今年办几件民生实事", AnswerType.QUANTITY),
    ("污水处理项目什么时候启动", AnswerType.TIME),
    ("多久考评一次", AnswerType.TIME),
    ("全面严管是哪天定下来的", AnswerType.TIME),
    ("主题公园最晚几月份要建成", AnswerType.TIME),
    ("用多少年让工农业总产值翻两番", AnswerType.TIME),  # how long: "二十年"
    ("几个月完成整改", AnswerType.TIME),
    ("多少年轻人返乡创业", AnswerType.QUANTITY),  # 多少 年轻人, not 多少年
    ("哪几个方面的工作", None),  # a list, not a number
    ("如何优化营商环境", None),
])
def test_wanted_type(question: str, kind: AnswerType | None) -> None:
    assert wanted_type(question) is kind


@pytest.mark.parametrize(("sentence", "kind", "expected"), [
    ("全年多渠道融资 X 余亿元", AnswerType.QUANTITY, True),
    ("城镇新增就业1100万人以上", AnswerType.QUANTITY, True),
    ("大体上有四种类型", AnswerType.QUANTITY, True),
    ("分两批推进", AnswerType.QUANTITY, True),
    ("进一步优化营商环境，激发市场活力", AnswerType.QUANTITY, False),
    ("他一生只发表了三篇学术论文", AnswerType.QUANTITY, True),  # a measure word
    ("经济一度下滑，新一轮改革启动", AnswerType.QUANTITY, False),  # idioms with a numeral
    ("有力应对2008年以来最严重的低温雨雪冰冻灾害", AnswerType.QUANTITY, False),  # a year is a time
    ("1月7日，定日县发生地震", AnswerType.QUANTITY, False),  # so is a day
    ("2024年粮食产量1.3万亿斤", AnswerType.QUANTITY, True),
    ("目前约为国家预算收入的一半", AnswerType.QUANTITY, True),  # a share in words
    ("服务业占三分之一", AnswerType.QUANTITY, True),
    ("有力应对2008年以来最严重的低温雨雪冰冻灾害", AnswerType.TIME, True),
    ("三大主题公园 X 月底前全部建成", AnswerType.TIME, True),
    ("用半年或者更多一点的时间整顿完毕", AnswerType.TIME, True),
    ("力争上半年开工", AnswerType.TIME, True),
    ("力争用二十年的时间使工农业总产值翻两番", AnswerType.TIME, True),  # a duration answers 多久
    ("深圳到中山车程最短缩至30分钟", AnswerType.TIME, True),
    ("3个工作日内办结", AnswerType.TIME, True),
    ("我时刻关注着疫情防控工作,每天都作出口头指示和批示", AnswerType.TIME, True),  # how often
    ("每半年考评一次", AnswerType.TIME, True),
    ("力争用二十年的时间使工农业总产值翻两番", AnswerType.QUANTITY, False),  # 年 is no unit of amount
    ("加快推进项目建设", AnswerType.TIME, False),
    ("加快推进项目建设", None, False),
])
def test_has_answer_type(sentence: str, kind: AnswerType | None, expected: bool) -> None:
    assert has_answer_type(sentence, kind) is expected


@pytest.mark.parametrize(("question", "units"), [
    ("火神山医院有多少张床位", "张"),
    ("定日地震一共造成多少人遇难", "人|名|位"),
    ("河南今年进出口总额目标定的多少亿元", MONEY),  # the unit's last word
    ("六横佛渡千万级集装箱泊位群总投资是多少", MONEY),  # an amount of money, asked with no unit
    ("云南今年10件惠民实事总共要投多少财政资金", MONEY),
    ("财政收入增长多少", ""),  # a growth rate, not the amount
    ("预算外资金相当于预算收入的多少", ""),  # a share of it ("…的一半"), not an amount
    ("总投资多少个项目", ""),
    ("本科录取率是多少", "%|个百分点|成"),  # a rate is a share
    ("考评频率是多少", ""),
    ("人民币汇率是多少", ""),  # no share
    ("全省率先建成多少个国家级创新示范区", ""),  # 率先 is no rate
    ("劳动生产率提高了几倍", ""),  # a multiple
    ("去年上调了退休人员基本养老金，涨了百分之几", "%|个百分点|成"),  # a percentage asked outright
    ("产量有的涨了百分之几十，都列了哪几样", ""),  # tens of percent, said, not asked
    ("1981年全国粮食总产量是多少万吨", "吨|斤"),
    ("企业整顿第一批先整多少家", "家|个|户|所|间"),
    ("今年办几件民生实事", ""),  # 件 counts anything
    ("多少个县区摘帽", ""),
    ("今年GDP增长多少", ""),
    ("基础配套今年要搞哪几块", ""),  # a list question
    ("广东运动员拿了多少块金牌", ""),  # "8金4银4铜": 块 is not said
    ("定日地震一共倒塌了多少间房屋", "间"),  # a classifier says what is counted
    ("免费打的HPV疫苗是几价的", "价"),
    ("进入决赛的乐队共有几只", ""),  # 只 counts anything ("共十二队")
    ("渤海、北部湾已经出油的探井一共有几口", "口"),  # 口 counts wells
    ("秋季计划招多少学生", "人|名|位|人次|万人|学生"),  # people counted by what they are
    ("去年接待了多少游客", "人|名|位|人次|万人|游客"),
    ("今年引进多少人才", "人|名|位"),
    ("建了多少卫生院", ""),
    ("新发放不低于多少支持几万人创业", "人|名|位"),  # 支持 is a word, not the classifier 支
    ("组建了多少支医疗队", "支"),
    ("直接经济损失有多少亿", MONEY),  # money, asked in its order of magnitude only
    ("总投资多少亿", MONEY),
    ("财政一共给了多少补贴资金", MONEY),  # a kind of 资金
    ("粮食产量多少亿斤", "斤|吨"),
    ("pm2.5平均浓度具体是多少微克每立方米", "微克"),  # a measure
    ("新建保障性住房多少万平方米", "平方米|平米"),
])
def test_asked_unit(question: str, units: str) -> None:
    assert asked_unit(question) == units


@pytest.mark.parametrize(("text", "units", "expected"), [
    ("累计选派43.5万名干部担任第一书记", "人|名|位", True),
    ("组织330多支医疗队、41600多名医护人员驰援", "张", False),
    ("总投资x亿元", "元", True),  # a placeholder figure (normalized: lower case)
    ("减少到现在的二百七十六个", "家|个|户|所|间", True),
    ("力争旅居人数达600万,加快打造", "人|名|位", True),  # the unit said before the figure
    ("日喀则定日县发生6.8级地震,第一时间作出重要指示", "人|名|位", False),
    ("世界文化遗产达到8处、居全球城市首位", "元", False),
    ("中轴线门票票价60元", MONEY, True),  # "门票多少钱" asks money, in any currency
    ("斥资77亿美元收购", MONEY, True),
    ("通过4亿5000万加元的经费来挹注为此计划", MONEY, True),
    ("推进六横佛渡千万级集装箱泊位群、3个万吨级码头建设", MONEY, False),
    ("我国有2.9亿在校学生", asked_unit("有多少在校学生"), True),  # the figure before the word itself
    ("渤海、北部湾已经有一批探井出油", "口", False),
])
def test_has_figure_in(text: str, units: str, expected: bool) -> None:
    assert has_figure_in(text, units) is expected


def test_a_question_asking_how_a_figure_is_computed_is_answered_by_its_formula():
    """"年度考评分值咋算": the formula line, not the sentence that says 计算 and shares more words;
    咋算 asks, it is not looked for."""
    from retrieval.question import parse_question

    query = parse_question("数字政府年度考评分值咋算")
    assert query.answer_type is AnswerType.FORMULA and "算" not in query.own_terms
    assert parse_question("计算公式是什么").own_terms  # a text may say 计算公式
    notice = ("某市数字政府建设考评办法\n一、考评方式\n"
              "（一）考评以日常监测、实地调研等方式进行。每半年考评一次。\n"
              "半年考评分值=日常监测（60%）+实地调研（40%）\n年度考评分值=（上半年考评分值+下半年考评分值）÷2\n"
              "（二）以各单位报送分值为基础，参考数字政府专班核实情况，计算各部门分值的平均分值。\n")
    answer = _library_of("办法.txt", notice).ask("年度考评分值咋算").answer
    assert answer is not None and answer.highlight.startswith("年度考评分值=")


@pytest.mark.parametrize(("question", "unit", "answered_by", "not_by"), [
    ("申办全运会计划哪一年办", "年", "将2018年作为作风建设年", "申办第十六届全国运动会"),
    ("庆祝大会哪天开", "日", "1月22日，党中央果断要求", "今年是自治区成立60周年"),
    ("十五运会开幕式定在几月几号", "日", "11月9日开幕", "办好第十五届全国运动会"),
    ("乌镇峰会 开幕日期", "日", "11月20日在乌镇开幕", "持续办好世界互联网大会乌镇峰会"),
    ("17号线全线开通具体是几月份", "月", "三大主题公园 X 月底前全部建成", "开通地铁17号线全线"),
    ("17号线全线具体哪天开通", "日", "定于12月30号开通", "开通地铁17号线全线和6号线南延"),
    ("一号文件哪天发布", "日", "2月3号发布", "落实中央1号文件，出台3号令"),
    ("嫦娥六号哪天返回", "日", "6月25日返回地球", "嫦娥六号实现世界首次月背采样返回"),
    ("2号航站楼哪天投用", "日", "定于3月5号投用", "拉萨贡嘎机场2号航站楼投入使用"),
    ("哪个月开工", "月", "力争上半年开工", "加快推进项目建设"),
])
def test_which_year_month_or_day_is_said_or_not(question, unit, answered_by, not_by):
    from retrieval.answer_types import says_time, which_time_asked

    assert which_time_asked(question) == unit
    assert not which_time_asked("急冻食品为什么还能大幅度延长食品的最佳食用日期？")
    assert says_time(answered_by, unit) and not says_time(not_by, unit)


@pytest.mark.parametrize(("question", "answered_by", "not_by"), [
    ("农资补贴每亩地多少钱", "补贴标准亩均120元", "对种粮农民一次性发放200亿元补贴"),
    ("低保人均月标准提到多少", "低保、特困人均月标准分别提高到1167元、1937元", "提高城乡低保标准"),
    ("残疾人生活补贴每人每月提到多少钱", "从每人每月202元提高到209元", "提高困难残疾人生活补贴"),
    ("清洁取暖改造每户补贴多少", "户均补贴3000元", "北方地区清洁取暖率达到70%"),
    ("中欧班列平均每个月要开多少列", "月均开行中欧班列200列", "中欧班列开行超过2000列"),
])
def test_a_figure_asked_per_unit_is_given_per_that_unit(question, answered_by, not_by):
    from retrieval.answer_types import per_unit_asked, says_per_unit

    per_unit = per_unit_asked(question)
    assert per_unit and says_per_unit(answered_by, per_unit) and not says_per_unit(not_by, per_unit)


def test_a_figure_asked_per_unit_is_declined_without_it():
    """"给种粮农民发的农资补贴，每亩地多少钱": the report gives the total, not a figure per mu."""
    from retrieval.question import parse_question

    report = ("2022年政府工作报告\n各位代表：\n一、2021年工作回顾\n"
              "加强农业生产，保障农资供应，对种粮农民一次性发放200亿元补贴。"
              "国家助学贷款每人每年最高额度增加4000元。\n")
    library = _library_of("报告.txt", report)
    assert library.ask("给种粮农民发的农资补贴一共多少钱").answer is not None
    assert library.ask("给种粮农民发的农资补贴，每亩地多少钱？").answer is None
    answer = library.ask("国家助学贷款每人每年最高额度增加了多少").answer
    assert answer is not None and "4000元" in answer.highlight
    assert parse_question("每亩地多少钱").per_unit and not parse_question("每亩地要种什么").per_unit


def test_a_count_in_rooms_or_valences_is_declined_without_one():
    """"倒塌了多少间房屋" is not answered by the earthquake's magnitude (6.8级), nor "几价" by the
    vaccine's name; a count of rooms is."""
    report = ("2025年政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "今年1月7日，日喀则定日县发生6.8级地震，我们第一时间开展救援。"
              "为全省符合条件的初一在校女生免费接种国产HPV疫苗。\n"
              "二、2025年工作安排\n完成受损房屋修缮1.2万间，确保群众安全过冬。\n")
    library = _library_of("报告.txt", report)
    assert library.ask("定日地震一共倒塌了多少间房屋").answer is None
    assert library.ask("给初一女生免费打的HPV疫苗是几价的").answer is None
    answer = library.ask("今年要修缮多少间受损房屋").answer
    assert answer is not None and "1.2万间" in answer.highlight


def test_a_count_of_cases_is_asked_in_cases():
    """"湖北累计确诊病例有多少例": 确诊病例 alone, or a count of counties, gives no count of cases."""
    assert asked_unit("湖北累计确诊病例有多少例") == "例"
    assert has_figure_in("累计确诊病例7.5万例", "例")
    assert not has_figure_in("全国有1396个县（区）无确诊病例", "例")


@pytest.mark.parametrize(("heading_path", "sentence", "result"), [
    ("一、认真总结成绩,准确把握态势", "“八个增长”:国内生产总值19.5亿元,增长15.6%;", True),
    ("一、认真总结成绩,准确把握态势", "全面完成了年初确定的目标任务。", False),  # it says a target
    ("二、“十三五”时期发展成就和“十四五”时期主要目标任务", "森林覆盖率达到24.1%。", False),  # looks ahead too
    ("二、2022年重点工作", "国内生产总值增长5.5%左右。", False),  # no review
])
def test_a_review_reports_results_not_targets(heading_path, sentence, result):
    from retrieval.answer_types import reports_result

    assert reports_result(heading_path, sentence) is result


def test_a_target_asked_is_not_answered_by_a_reviews_result():
    """"县长讲话里明年GDP增长目标定了多少": the county speech gives only last year's figures, in a
    part that reviews the year; the growth it reports is no target."""
    speech = ("在全县经济工作会议上的讲话\n同志们:\n一、认真总结成绩,准确把握态势\n"
              "概括起来,就是实现了“八个增长”。\n"
              "“八个增长”:国内生产总值19.5亿元,增长15.6%;固定资产投资33.6亿元,增长55%。\n"
              "二、突出工作重点,全力推进跨越发展\n"
              "今年全县招商引资到位资金力争达到20亿元。\n")
    library = _library_of("讲话.txt", speech)
    assert library.ask("全县国内生产总值去年增长了多少").answer is not None
    assert library.ask("县长讲话里明年GDP增长目标定了多少").answer is None
    answer = library.ask("今年招商引资到位资金的目标是多少").answer
    assert answer is not None and "20亿元" in answer.highlight


@pytest.mark.parametrize(("question", "clause"), [
    ("河南汽车以旧换新,外省牌照的车能不能参加", "外省牌照的车能不能参加"),
    ("3岁以下孩子的照护费用能不能抵个税", "3岁以下孩子的照护费用能不能抵个税"),
    ("有没有清洁能源产业专项资金,第一期给了多少", "有没有清洁能源产业专项资金"),
    ("清洁能源产业专项资金第一期给了多少", ""),
    ("京通京办今年分别要新增多少项 能不能说说", ""),  # a request put politely, no yes/no
    ("考评对象有哪些,可不可以帮我列一下", ""),
    ("有没有说具体压减多少个百分点", "有没有说具体压减多少个百分点"),  # asks whether it is said
])
def test_the_clause_a_yes_no_question_asks(question, clause):
    from retrieval.answer_types import whether_clause

    assert whether_clause(question) == clause


def test_a_yes_no_question_is_answered_only_by_a_sentence_saying_its_clause():
    """"河南汽车以旧换新，外省牌照的车能不能参加": the report counts the cars traded in and says
    nothing of plates from other provinces; "照护费用能不能抵个税" is answered."""
    report = ("2025年政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "318个“两重”项目全面开工，汽车以旧换新超40万辆、家电超450万台。\n"
              "将3岁以下婴幼儿照护费用纳入个人所得税专项附加扣除。\n")
    library = _library_of("报告.txt", report)
    assert library.ask("汽车以旧换新一共多少辆").answer is not None
    assert library.ask("汽车以旧换新，外省牌照的车能不能参加？").answer is None
    answer = library.ask("3岁以下婴幼儿照护费用能不能抵个税").answer
    assert answer is not None and "专项附加扣除" in answer.highlight


def test_a_done_yet_question_asks_the_word_before_le_meiyou():
    """"申办第十六届全国运动会到底成功了没有" asks whether the bid 成功; the plan's "申办第十六届全国运动
    会。" restates the rest and says nothing of it. "…后来都脱贫了没" is answered by a sentence saying
    脱贫; "可研过了没有" asks 研过, jieba's word in no document, so nothing is checked."""
    from retrieval.answer_types import done_yet

    assert done_yet("申办第十六届全国运动会到底成功了没有?") == "申办第十六届全国运动会到底成功"
    assert done_yet("可研过了没,什么时候开工") == "可研过" and done_yet("没有了吗") == ""
    report = ("2025年政府工作报告\n各位代表：\n一、2024年工作回顾\n成功举办省第十七届运动会。\n"
              "二、2025年重点任务\n完善全民健身赛事体系，申办第十六届全国运动会。\n"
              "2100万千瓦燃煤电厂可研通过专家评审。\n"
              "现行标准下农村贫困人口全部脱贫，贫困县全部摘帽。\n")
    library = _library_of("报告.txt", report)
    assert library.ask("申办第十六届全国运动会到底成功了没有？").answer is None
    assert library.ask("申办第十六届全国运动会，能不能办成").answer is None
    assert library.ask("农村贫困人口后来都脱贫了没").answer is not None
    assert library.ask("燃煤电厂的可研过了没有").answer is not None


def test_a_full_name_asked_of_a_surname_and_office_must_be_written_out():
    """"先讲话的王书记全名叫什么": "前面,王书记作了非常重要的讲话" does not say it; "县委书记王建国"
    does. "新上任的代市长叫什么名字" asks no surname's name (的, 代 are none)."""
    from retrieval.answer_types import full_name_unsaid

    assert full_name_unsaid("先讲话的王书记全名叫什么", "前面,王书记作了非常重要的讲话")
    assert not full_name_unsaid("王书记全名叫什么", "县委书记王建国同志讲话")
    assert not full_name_unsaid("王书记全名叫什么", "王建国书记讲话")
    assert not full_name_unsaid("新上任的代市长叫什么名字", "代市长作了讲话")
    speech = ("县长在县委全委(扩大)会暨全县经济工作会议上的讲话\n同志们:\n"
              "前面,王书记作了非常重要的讲话,指明了今年及今后发展的方向和重点。\n"
              "一、认真总结成绩\n全县完成国内生产总值19.5亿元。\n")
    library = _library_of("讲话.txt", speech)
    assert library.ask("县委全委扩大会上先讲话的王书记全名叫什么？").answer is None
    assert library.ask("王书记作了什么讲话").answer is not None


def test_a_result_asked_is_not_answered_by_a_target():
    """"二〇二二年全国GDP最后实际增长了多少" asks what was achieved; the 2022 report gives only the target
    "国内生产总值增长5.5%左右". The target asked, or last year's result asked, is answered."""
    from retrieval.answer_types import asks_result, states_target

    assert asks_result("2022年gdp最后实际增长了多少") and asks_result("最终完成了多少")
    assert not asks_result("今年gdp增长目标是多少") and not asks_result("最后一部分讲了啥")
    assert states_target("今年发展主要预期目标是:国内生产总值增长5.5%左右;")
    report = ("2022年政府工作报告\n各位代表：\n一、2021年工作回顾\n"
              "国内生产总值增长8.1%，经济发展保持全球领先。\n"
              "二、2022年经济社会发展总体要求\n今年发展主要预期目标是：国内生产总值增长5.5%左右；"
              "城镇新增就业1100万人以上。\n")
    library = _library_of("报告.txt", report)
    assert library.ask("二〇二二年全国GDP最后实际增长了多少").answer is None
    answer = library.ask("2022年GDP增长目标是多少").answer
    assert answer is not None and "5.5%左右" in answer.highlight
    answer = library.ask("2021年GDP实际增长了多少").answer
    assert answer is not None and "8.1%" in answer.highlight


def test_a_sentence_with_the_figure_asked_is_marked_over_one_with_a_little_more_of_the_question():
    """The 2022 report alone: "2022年留抵退税规模多大" marks "预计全年退税减税约2.5万亿元，其中留抵退税约
    1.5万亿元…", not "…今年对留抵税额提前实行大规模退税。", which holds 规模 and no figure."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gov_report_2022_national.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    answer = _library_of(path.name, path.read_text(encoding="utf-8")).ask("2022年留抵退税规模多大").answer
    assert answer is not None and "其中留抵退税约1.5万亿元" in answer.highlight


def test_a_rank_is_no_first_item_of_a_list():
    """"完成西直门等15个商圈改造升级" names one of fifteen; a "居全国第一，" later in the passage ranks
    something, it starts no list of the others."""
    from retrieval.answer_types import count_unlisted

    sentence = "完成西直门等15个商圈改造升级,成功举办京彩灯会等系列大型活动。"
    assert count_unlisted(sentence, "数字经济增加值占比居全国第一,营商环境持续优化。", ("15个", "十五个"))
    assert not count_unlisted(sentence, "第一,西单商圈。第二,王府井商圈。", ("15个", "十五个"))


@pytest.mark.parametrize(("clause", "asked"), [
    ("首批是哪几家", True),
    ("具体开征的是哪几种税", True),  # kinds of a thing
    ("5件大中型水库分别是哪5座", True),
    ("香港四大才子是指哪四位", True),
    ("阿拉伯的乐器之王是哪一种", False),  # which one: one thing, no list
    ("最近的主要港口是哪一个", False),
    ("完整是哪十六个字", False),  # a phrase quoted, not items
    ("有哪几个方面", False),  # a part, whose items are its sub-headings
    ("新建的几大主题公园分别叫什么名字", True),  # the names of a few counted
    ("主题公园叫什么名字", False),  # one name
])
def test_which_few_things_asked(clause: str, asked: bool) -> None:
    from retrieval.answer_types import asks_which_few

    assert asks_which_few(clause) is asked


def test_which_few_are_listed_in_the_clause_saying_the_words_or_the_next():
    """"开征一些新税" lists none; "是指香港四位文人，分别为金庸、倪匡、黄霑和蔡澜" lists them in the
    clause after the one saying 香港."""
    from retrieval.answer_types import which_few_unlisted

    assert which_few_unlisted("要加强税收和海关工作,恢复一些税收,开征一些新税,实行烟酒专卖。", "",
                              ["开征", "新税"])
    sentence = "「香港四大才子」,是指香港四位文人,分别为金庸、倪匡、黄霑和蔡澜,四人各有所长。"
    assert not which_few_unlisted(sentence, "", ["香港", "四位"])
    # counts of kinds side by side name no item of any
    parks = ["主题", "公园", "主题公园"]
    assert which_few_unlisted("开工建设x条道路、x大主题公园和x个公建项目。", "", parks)
    assert not which_few_unlisted("建成人民公园、滨河公园和湿地公园3大主题公园。", "", parks)


def test_a_count_among_counts_of_other_kinds_lists_none_of_its_items():
    """"5件大中型水库分别是哪5座": the report counts them in 件, among other counted kinds ("3件大型灌区、
    5件大中型水库和…"), and names none."""
    from retrieval.answer_types import count_asked, count_unlisted

    count = count_asked("云南今年开工建设的5件大中型水库分别是哪5座")
    assert "5件" in count and "5座" in count
    sentence = "加快水运枢纽等项目建设,开工建设3件大型灌区、5件大中型水库和滇中引水二期骨干等重点水利工程。"
    assert count_unlisted(sentence, "", count)
    assert not count_unlisted("开工建设5件大中型水库:甲水库、乙水库、丙水库、丁水库、戊水库。", "", count)


@pytest.mark.parametrize(("text", "ranked"), [
    ("经济总量居全国第3位", True),
    ("是香港第二大货柜码头营运商", True),
    ("排名第一", True),
    ("位居全国前列", True),
    ("第一、第三产业增加值分别增长2.5%、3.9%", False),  # ordinals counting kinds
    ("第十二批试点", False),
    ("第三次全国土壤普查", False),
])
def test_a_rank_said_or_not(text: str, ranked: bool) -> None:
    """"云南去年GDP在全国排第几位" is not answered by "…第一、第三产业增加值分别增长…": no rank."""
    from retrieval.answer_types import says_rank

    assert says_rank(text) is ranked


@pytest.mark.parametrize(("question", "place", "asked"), [
    ("免证可办的是哪个省", "河南省", True),
    ("免证可办的是哪个省", "广西壮族自治区", True),
    ("在哪个城市投运的", "广东省", False),
    ("在哪个市投运的", "包头市", True),
    ("是哪个县", "xx区", False),
])
def test_a_documents_place_is_of_the_level_asked_or_not(question: str, place: str, asked: bool) -> None:
    from retrieval.answer_types import is_place_asked

    assert is_place_asked(question, place) is asked


@pytest.mark.parametrize(("question", "units"), [
    ("全县去年实施的210个项目里，工业项目占多少个", "|".join("个项件座家条种类所户")),
    ("湖北今年55项民生实事里，教育类的一共有几项", "项|个"),
    ("全县去年实施了多少个项目", ""),  # no count stated
    ("“三个一批”项目去年实施了多少个", ""),  # a count in a quoted name
    ("民生实事第七件，要办理多少件法律援助案件", ""),  # 第七件 is an ordinal
    ("210个项目总投资多少亿", ""),  # another unit asked
    ("驰援湖北的330多支医疗队里，军队派出了多少支", "支"),  # other classifiers in their own units
    ("41600多名医护人员里，有多少名是护士", "名|人|位"),
    ("挽回的22.2亿元经济损失中，电信网络诈骗案件挽回了多少", MONEY),  # a part of money stated
    ("3.65万亿元地方专项债里，河南分到多少", MONEY),
    ("210个50万元以上项目里，工业项目占多少个", "|".join("个项件座家条种类所户")),  # 个, not 元
    ("安排2000亿元中央预算内投资，增长多少", ""),  # 中央 is no part
    ("民生实事第9项便民服务里，站点新增多少", ""),  # an item pointed at
])
def test_count_part_asked(question: str, units: str) -> None:
    assert count_part_asked(question) == units
