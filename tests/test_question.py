"""One question-understanding step: a question becomes one Query with its intent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.answer_types import AnswerType
from retrieval.question import CommitmentsIntent, parse_question, referenced_position


@pytest.mark.parametrize(("question", "position"), [
    ("第二个问题讲的是什么", (2,)),
    ("十条方针里第六条讲的什么", (6,)),  # 十条 counts, 第六条 points
    ("第3部分有哪些任务", (3,)),
    ("第 3 部分有哪些任务", (3,)),  # questions are read normalized
    ("第三部分第（二）项讲什么", (3, 2)),
    ("第三部分里面的第二条", (3, 2)),
    ("二、里的第三条是什么", (2, 3)),
    ("第三部分政府自身建设里面“四是”讲的啥", (3, 4)),  # a quoted item marker
    ("座谈会上总结的经验，四是哪条", (4,)),  # which one the marker is
    ("2018讲话 经验“四是”", (4,)),  # quoted at the end: asked as written
    ("统一是", ()),  # no marker asked
    ("九个方面里第五个是什么", (5,)),
    ("最后一部分讲了什么", (-1,)),
    ("倒数第二条是什么", (-2,)),
    ("第一百二十条怎么规定", (120,)),
    ("第一书记累计派了多少人", ()),  # 书记 is not a kind of part
    ("全省第3个GDP超千亿元的镇是哪个镇", ()),  # a rank in the province, not a position
    ("最后给参会的同志提了哪3点要求", ()),  # 最后 without a kind of part after it
    ("今年1、2月份工业增长多少", ()),  # digits before 、 are numbers, not a heading marker
])
def test_position_is_a_path_of_ordinals(question: str, position: tuple[int, ...]) -> None:
    assert parse_question(question).position == position


def test_a_rank_in_a_place_points_at_no_part() -> None:
    """"全省第3个…镇" ranks a town in the province; it is no third part of the report."""
    assert parse_question("全省第3个GDP超千亿元的镇是哪个镇？").part is None
    assert parse_question("第3个方面讲了啥").part == 3


@pytest.mark.parametrize(("question", "position", "span", "is_list"), [
    ("九个方面里前三个是啥", (1,), 3, True),  # the first three items: from 1, three of them
    ("头两条讲的什么", (1,), 2, True),
    ("八个“聚力”，最后两个是啥", (-2,), 2, True),  # the last two: from the last but one
    ("最后一部分讲了什么", (-1,), 1, False),
    ("前两个月工业增长多少", (), 1, False),  # a time, not items
    ("头两年完成多少投资", (), 1, False),
    ("讲话里前一段主要做了哪些工作", (), 1, True),  # a while ago, not the first paragraph
])
def test_the_first_or_last_few_items_are_a_span(question: str, position: tuple[int, ...], span: int,
                                               is_list: bool) -> None:
    query = parse_question(question)
    assert (query.position, query.span, query.is_list) == (position, span, is_list)


def test_the_first_few_size_no_list() -> None:
    """"前三个" counts the items asked for; the list they are in may have any length."""
    assert parse_question("去年工作回顾分了几个方面，前三个是啥").list_size is None
    assert parse_question("九个方面里前三个是啥").list_size == 9
    # A count after the position says what the item holds, not the list it counts in.
    assert parse_question("包头考评指标第3条，12345热线升级要实现的五项功能分别说说").list_size is None


def test_a_list_size_right_after_a_year_is_read() -> None:
    """"广东 2025 十二个方面重点工作 倒数第三个": the year's digits end where the size begins; a
    number inside a longer one ("第十二个方面", "第112条") is no size."""
    assert parse_question("广东 2025 十二个方面重点工作 倒数第三个").list_size == 12
    assert parse_question("2025年10件惠民实事第七件").list_size == 10
    assert parse_question("第十二个方面第三条").list_size is None
    assert parse_question("附件第112条第二款").list_size is None


def test_part_stays_the_first_number_named_with_di() -> None:
    """Ranking reads `part` as before: the first 第-reference, whose words leave the search, unless
    it is a step inside a path that starts before it ("二、里的第三条", "（十一）下面第一点": the
    position path says where; a part numbered 三 or 一 elsewhere is no answer)."""
    query = parse_question("第三部分第（二）项讲什么")
    assert (query.part, query.reference) == (3, "第三部分")
    assert "第三部分" not in "".join(query.own_terms)
    assert parse_question("二、里的第三条是什么").part is None
    query = parse_question("北京报告（十一）下面第一点是什么内容")
    assert (query.part, query.position) == (None, (11, 1))
    assert parse_question("最后一部分讲了什么").part is None  # new forms: not used by ranking yet
    assert parse_question("倒数第二条是什么").part is None
    assert parse_question("第一书记累计派了多少人").part is None


def test_an_item_marker_quoted_is_the_marker_asked() -> None:
    assert parse_question("政府自身建设里面“四是”讲的啥").item_marker == "四是"
    assert parse_question("基础配套里面第七要是啥").item_marker == "七要"
    assert parse_question("第三部分第二条").item_marker == ""


def test_referenced_position_reads_normalized_text() -> None:
    assert referenced_position("第三部分的第二条") == (3, 2)
    assert referenced_position("没有位置") == ()


@pytest.mark.parametrize(("question", "answer_type", "is_list"), [
    ("收储土地多少亩", AnswerType.QUANTITY, False),
    ("三大主题公园什么时候建成", AnswerType.TIME, False),
    ("规划引领有哪些要求", None, True),
    ("企业整顿要做好哪四项工作", None, True),
    ("哪几个方面的工作", None, True),
    ("哪个部门牵头", None, False),
    ("讲话最后提的三点要求是什么", None, True),  # a count of items asks for them all
    ("五个方面的工作是什么", None, True),
    ("第三点要求是什么", None, False),  # one item, pointed at
    ("精准脱贫座谈会上总结的几条经验,第四条是啥", None, False),  # 几条 before the position asks nothing
    ("“五个突破”的第二个突破是啥?石油产能到多少了", AnswerType.QUANTITY, False),  # after it, a figure
    ("哪一年提出了第二个百年奋斗目标", AnswerType.TIME, False),  # nothing asked after it: the whole question
    ("一个问题", None, False),
    ("农村人口比例是多少", AnswerType.QUANTITY, False),
    ("1981年报告讲调整要调整哪些比例关系", None, True),  # which proportions: no figure asked
])
def test_answer_type_and_list(question: str, answer_type: AnswerType | None, is_list: bool) -> None:
    query = parse_question(question)
    assert (query.answer_type, query.is_list) == (answer_type, is_list)


def test_years_named_and_relative() -> None:
    query = parse_question("２０２２ 年和去年的目标")
    assert query.years == (2022,) and query.year_offsets == (-1,)
    assert query.years_meant(2023) == {2022}
    assert parse_question("今年和明年的任务").years_meant(2022) == {2022, 2023}


@pytest.mark.parametrize(("question", "intent"), [
    ("哪些任务要在月底前完成", CommitmentsIntent("deadline", "月底前")),
    ("哪些工作何时完成", CommitmentsIntent("deadline", None, "工作")),  # 何时: any deadline
    ("今年的量化指标有哪些", CommitmentsIntent("quantity")),
    ("今年有哪些目标", CommitmentsIntent("target")),
    ("土地收储有哪些目标", CommitmentsIntent("target", topic="土地收储")),
    ("有哪些任务", CommitmentsIntent("task")),
    ("2022年基础配套有哪些任务", None),  # a topic's tasks: its passage answers
    ("三大主题公园什么时候建成", None),  # one fact, not a list
    ("规划引领", None),
])
def test_commitments_intent(question: str, intent: CommitmentsIntent | None) -> None:
    assert parse_question(question).commitments == intent


def test_a_question_gives_its_terms_in_one_order_in_every_process() -> None:
    """Related words are added in one order, whatever the string hash seed: scores are sums in
    that order, so their last bits (and a tie's winner) would otherwise differ between processes."""
    code = ("from retrieval.question import parse_question; "
            "print(list(parse_question('GDP增长多少，困难和问题有哪些').terms.items()))")
    runs = {subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parent.parent,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1 and "生产总值" in runs.pop()


@pytest.mark.parametrize(("question", "kept", "cut"), [
    ("赤字率定的多少", "赤字", "率定"),  # not jieba's 率定 (calibrate)
    ("城镇新增就业目标定的多少来着", "目标", "定"),
    ("2018年定为啥年", "2018", "定"),
    ("确定了什么目标", "确定", ""),  # the verb stays
    ("规定了哪些要求", "规定", ""),
])
def test_setting_as_a_question_is_cut_not_a_verb_ending_in_ding(question: str, kept: str, cut: str) -> None:
    terms = parse_question(question).own_terms
    assert kept in terms
    assert not cut or cut not in terms


@pytest.mark.parametrize(("question", "terms"), [
    ("老师好，考评对象有哪些？麻烦列一下", ("考评", "对象")),
    ("领导好，麻烦帮我查一下今年GDP目标，谢谢", ("今年", "gdp", "目标")),
    ("您好，考评对象都包括谁", ("考评", "对象", "包括")),
    ("群众的麻烦事怎么解决", ("群众", "麻烦", "烦事", "麻烦事", "解决")),  # 麻烦 asks nothing of anyone here
])
def test_greetings_and_thanks_are_no_words_of_the_question(question: str, terms: tuple[str, ...]) -> None:
    """"老师好，…麻烦列一下": staff greet and thank; a passage holding 老师 or 谢谢 is no better."""
    assert parse_question(question).own_terms == terms


def test_asking_for_examples_is_no_word_of_the_question() -> None:
    """"要组织科研攻关的项目都举了哪些例子": the report names the projects ("…等项目的科研攻关") and
    says neither 举 nor 例子; the question asks for them as a list."""
    query = parse_question("您好，81年报告要组织科研攻关的项目都举了哪些例子？")
    assert query.own_terms == ("81", "年", "报告", "组织", "科研", "攻关", "项目") and query.is_list
    assert "例子" not in parse_question("举个例子说明一下数字政府").own_terms


@pytest.mark.parametrize(("question", "terms"), [
    ("潘淑是谁的皇后", ("潘淑", "皇后")),  # jieba alone: 潘淑是 / 谁 / 皇后
    ("王沈是哪里人？", ("王沈", "人")),
    ("今年GDP目标是多少", ("今年", "gdp", "目标")),
    ("贫困县脱贫主体责任谁来担", ("贫困", "贫困县", "脱贫", "主体", "责任", "来担")),
])
def test_who_and_the_copula_before_a_question_word_are_cut(question: str, terms: tuple[str, ...]) -> None:
    """An unknown name glued to the 是 after it (潘淑是) is a word no passage holds; 谁 asks for
    a person and is no word of the answer ("孙权的皇后潘淑…")."""
    assert parse_question(question).own_terms == terms


@pytest.mark.parametrize(("question", "terms"), [
    ("半年分值由哪几块构成，各占多少", ("半年", "分值", "各")),
    ("考评指标里一网通办占多少分", ("考评", "指标", "网通", "一网通", "办", "分")),  # nor the 里 after 指标
    ("全市由各区县组成", ("全市", "由", "各", "区县", "组成")),  # a statement: no question word after 由
    ("大数据中心建设这一项占几分", ("大", "数据", "中心", "数据中心", "建设", "分")),  # 这一项 points
    ("课间时长调整到几分钟", ("课间", "时", "长", "调整", "分钟")),  # not the word 几分
])
def test_the_parts_and_share_asked_are_question_words(question: str, terms: tuple[str, ...]) -> None:
    """"由哪几块构成" and "占多少" say what is asked (the parts, a share), not what it is about: the
    formula "半年考评分值=日常监测（60%）+实地调研（20%）…" writes none of 由, 块, 构成 or 占."""
    assert parse_question(question).own_terms == terms


def test_spoken_doing_as_a_question_is_no_word_of_it() -> None:
    """"中央指导组去年在湖北干了啥", "精准扶贫重点工作要搞哪几项": 干 and 搞 ask what was done."""
    terms = parse_question("中央指导组去年在湖北干了啥").own_terms
    assert terms == ("中央", "指导", "指导组", "去年", "湖北")
    assert "搞" not in parse_question("精准扶贫重点工作要搞哪几项").own_terms


def test_what_else_is_asked_beside_a_thing_is_no_word_of_it() -> None:
    """"除了党建，还在哪些方面搞出了新成效" asks what else the review lists: 党建 is read, 除了 is not."""
    terms = parse_question("xx区去年除了党建，还在哪些方面搞出了新成效").own_terms
    assert "党建" in terms and "除了" not in terms


@pytest.mark.parametrize(("question", "terms"), [
    ("北京冬奥会是用哪几个词形容的", ("北京", "冬奥", "冬奥会")),
    ("扶贫标准被比作啥", ("扶贫", "标准")),
    ("基础配套被说成是项目建设的啥", ("基础", "配套", "基础配套", "项目", "建设")),
    ("这种庙宇被称为什么", ("这种", "庙宇", "称")),  # a text says 称为: searched (as jieba cuts it)
    ("xx区生态环境配套 道路绿化 咋说", ("xx", "区", "生态", "环境", "生态环境", "配套", "道路", "绿化")),
    ("“四个集中”的救治要求，具体怎么表述的", ("四个", "集中", "救治", "要求")),
])
def test_how_something_is_described_is_a_question_word(question: str, terms: tuple[str, ...]) -> None:
    """"用哪几个词形容", "被比作啥" ask for the description, which a passage gives without saying
    形容 or 比作 ("成功举办了简约、安全、精彩的北京冬奥会"); "咋说", "怎么表述的" for what it says."""
    assert parse_question(question).own_terms == terms


@pytest.mark.parametrize(("question", "terms"), [
    ("企业全面整顿当前要做好的几项工作分别是", ("企业", "全面", "整顿", "当前", "做好", "工作")),
    ("残疾人两项补贴分别提到多少", ("残疾", "残疾人", "两项", "补贴", "分别", "提到")),
])
def test_asking_several_at_once_is_a_question_word(question: str, terms: tuple[str, ...]) -> None:
    """"…分别是" asks the items, which a list introduces without 分别 ("当前要特别注意做好以下四项
    工作："); the 分别 of "分别提到多少" is the sentence's own ("分别从每人每月202元…提高到…")."""
    assert parse_question(question).own_terms == terms


@pytest.mark.parametrize(("question", "terms", "is_list"), [
    ("养老服务要建多少、转型多少，帮我列一下", ("养老", "服务", "要建", "转型"), True),
    ("“八个增长”都有哪些指标，数给我列一下", ("八个", "增长", "指标"), True),
    ("民生保障干成了哪些 给列一下数", ("民生", "保障", "干成"), True),
    ("算账式那几种都列出来", ("算账", "式"), True),
    ("中欧班列今年开多少列", ("中欧", "班列", "今年", "开", "列"), False),  # a name and a count
    ("打算引进哪些大超市？麦德龙之外还有谁", ("打算", "引进", "大", "超市", "麦德龙"), True),  # the rest
])
def test_a_request_to_list_is_a_question_phrase(question: str, terms: tuple[str, ...], is_list: bool) -> None:
    """"帮我列一下" asks for a list and is no word of it: jieba's 我列 and 数给 are in no passage."""
    query = parse_question(question)
    assert (query.own_terms, query.is_list) == (terms, is_list)


def test_a_count_pointed_back_at_asks_no_quantity() -> None:
    """"那几种" points at the kinds just named ("算账式那几种都列出来"); "几种" alone asks how many."""
    assert parse_question("算账式那几种都列出来").answer_type is None
    assert parse_question("脱贫有几种方式").answer_type is AnswerType.QUANTITY
    assert not parse_question("脱贫有几种方式").is_list


def test_kinds_counted_then_asked_all_by_name_is_a_list() -> None:
    """"批评的几种数字脱贫、虚假脱贫都叫啥式脱贫" asks the name of each kind (算账式, 指标式, …): a list,
    whose items are in the passage's sentences, not in one."""
    assert parse_question("讲话批评的几种数字脱贫、虚假脱贫都叫啥式脱贫？").is_list
    assert parse_question("讲话批评的数字脱贫、虚假脱贫，有几种“式”脱贫都说说").is_list
    assert parse_question("这几种情况都是什么原因").is_list is False  # 这几种 points back, asks no kinds


def test_a_hedge_is_a_generic_word() -> None:
    """"留抵退税规模预计多大" asks the figure, however hedged: 预计 frames the question."""
    query = parse_question("留抵退税规模预计多大")
    weights = dict(zip(query.own_terms, query.own_weights, strict=True))
    assert weights["预计"] < 1.0 and weights["规模"] == 1.0


def test_spaces_typed_between_chinese_keywords_separate_them() -> None:
    """"河南固投 社零 目标": without the spaces jieba cuts 固投社 and 零."""
    query = parse_question("河南固投 社零 目标")
    assert {"固投", "社零", "目标"} <= set(query.own_terms)
    assert "固投社" not in query.own_terms
    # A space beside a number or a Latin word is not a separator of this kind: "2022 年" = "2022年".
    assert parse_question("2022 年 GDP 目标").own_terms == parse_question("2022年GDP目标").own_terms


def test_a_related_phrase_is_searched_by_its_words() -> None:
    """社零's related 社会消费品零售总额 is no index term; its words are, sharing one related weight."""
    from retrieval.question import RELATED_WEIGHT
    from retrieval.text.tokens import phrase_words

    words = phrase_words("社会消费品零售总额")
    assert len(words) > 1 and "零售" in words
    terms = parse_question("社零增长多少").terms
    assert "社会消费品零售总额" not in terms
    assert all(terms[w] <= RELATED_WEIGHT for w in words if w not in ("增长",))
    assert sum(terms[w] for w in words if w in terms and w not in ("增长",)) > 0


@pytest.mark.parametrize(("question", "kept", "not_kept"), [
    ("社零增长多少", {"社零", "增长"}, {"社", "零增长"}),  # 社 left alone: 社零 is a related word
    ("企业整顿第一批准备先整多少家企业", {"第一批", "准备"}, {"批准"}),  # cut across, nothing alone
    ("去年减税降费加退税一共多少钱", {"减税降费"}, {"降费"}),  # inside a longer word
    ("今年主要预期目标", {"预期", "目标"}, {"预期目标"}),  # several words even alone
    ("西藏去年固投涨了多少", {"固投", "涨"}, {"固投涨"}),  # inside a word no dictionary holds
])
def test_a_related_word_the_tokenizer_broke_is_kept_whole(question: str, kept: set[str],
                                                          not_kept: set[str]) -> None:
    terms = set(parse_question(question).own_terms)
    assert kept <= terms
    assert not (not_kept & terms)


@pytest.mark.parametrize(("question", "reference"), [
    ("精准脱贫攻坚战座谈会讲话中,5年累计减贫多少人?", "精准脱贫攻坚战座谈会讲话"),
    ("西藏报告里二要是啥", "西藏报告"),
    ("2022年的政府工作报告说去年gdp多少万亿", "2022年的政府工作报告"),
    ("疫情部署会上说火神山医院有多少张床位", "疫情部署会"),
    ("李殿勋代省长说今年民生实事是几大类几项", "李殿勋代省长"),  # a speaker, by office
    ("殷勇市长提到的回天行动计划投资多少", "殷勇市长"),
    ("第一书记精准有什么要求", ""),  # an office named, but nobody said anything
    ("统筹疫情防控和经济社会发展讲话最后提了哪3点要求", "统筹疫情防控和经济社会发展讲话"),
    ("抗疫中表现不好的干部,讲话点了哪几种情况", ""),  # never across a comma
    ("全县经济工作会议,去年克服了哪些不利影响", "全县经济工作会议"),  # a meeting typed alone first
    ("从五届人大三次会议到这次会议,政府作过几次报告", ""),  # a span of time, not a meeting named
    ("2008年北京奥运会,拉诺米获得了怎样的成绩", ""),  # an event, not a meeting
    ("社会保障有哪些措施", ""),  # 社会 is no meeting
    ("2022年基础配套有哪些任务", ""),
])
def test_the_document_reference_a_question_opens_with(question: str, reference: str) -> None:
    from retrieval.question import document_reference

    assert document_reference(question)[0] == reference


def test_words_of_the_document_reference_weigh_little_but_name_the_document() -> None:
    from retrieval.question import REFERENCE_WEIGHT

    query = parse_question("精准脱贫攻坚战座谈会讲话中，5年累计减贫多少人？")
    weights = dict(zip(query.own_terms, query.own_weights, strict=True))
    assert {"精准脱贫", "座谈会", "讲话"} <= query.naming_words
    assert all(weights[w] == REFERENCE_WEIGHT for w in query.naming_words)
    assert weights["减贫"] == weights["累计"] == 1.0
    # The 里 of "讲话里" is no word, and a year in the reference keeps its weight.
    county = parse_question("2024年县经济工作会议讲话里全县粮食总产量是多少万吨")
    assert "里" not in county.own_terms and "2024" not in county.naming_words
    # Nor the 提 of "报告里提的", which a passage's 提速 would hold.
    assert "提" not in parse_question("云南报告里提的渝昆高铁全线啥时候通车").own_terms
    # A question that is all reference keeps its words.
    assert not parse_question("精准脱贫攻坚战座谈会讲话讲了什么").naming_words


@pytest.mark.parametrize(("question", "years"), [
    ("脱贫座谈会讲话里2019年底贫困人口还剩多少", (2019,)),
    ("2021年政府工作报告回顾2020年全年GDP增长多少", (2020,)),  # 2021 names the report
    ("1981年报告第（三）部分讲的啥", ()),
    ("2022年基础配套有哪些任务", (2022,)),
])
def test_the_years_an_answer_must_speak_of(question: str, years: tuple[int, ...]) -> None:
    assert parse_question(question).years_asked == years


def test_a_year_naming_the_document_is_not_a_year_the_passage_must_be_about() -> None:
    """"某区2022年经济工作会讲话里…": its 2021 review may answer; "2022年基础配套…" asks 2022's part."""
    assert parse_question("某区2022年经济工作会讲话里，制约发展的矛盾和问题有哪些").years_meant(2022) == set()
    assert parse_question("2022年基础配套有哪些任务").years_meant(2022) == {2022}
    assert parse_question("去年的成绩有哪些").years_meant(2022) == {2021}


def test_which_words_the_dictionary_holds_is_the_same_whichever_backend_cuts() -> None:
    from retrieval import segmenter

    for word, held in [("减税降费", True), ("固投涨", False), ("基础配套", True), ("咋整", False)]:
        assert segmenter.is_dictionary_word(word) is held, word
        assert segmenter.jieba_has_word(word) is held, word  # the fallback's answer
