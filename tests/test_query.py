"""Question parsing: weighted terms, relative years, list questions."""

from retrieval.question import RELATED_WEIGHT, parse_question


def test_related_terms_are_added_at_lower_weight():
    query = parse_question("GDP增长多少")
    assert query.terms["gdp"] == 1.0
    assert query.terms["生产总值"] == RELATED_WEIGHT
    assert "生产总值" not in query.own_terms


def test_relative_years_are_recognised():
    assert parse_question("今年收储土地多少亩").year_offsets == (0,)
    assert parse_question("去年完成了什么").year_offsets == (-1,)
    assert parse_question("2022年的目标").year_offsets == ()
    assert parse_question("2021年报告：上一年城镇新增就业多少").year_offsets == (-1,)


def test_list_questions_are_recognised():
    assert parse_question("规划引领有哪些要求").is_list
    assert parse_question("工作重点是哪几点").is_list
    assert parse_question("最后给参会的同志提了哪3点要求").is_list
    assert parse_question("企业整顿要做好哪四项工作").is_list
    assert not parse_question("哪个部门牵头").is_list
    assert not parse_question("三大主题公园什么时候建成").is_list
    # Several things, each asked its figure: the answer is the passage that gives them all.
    assert parse_question("消费、积累、零售这些指标各是多少").is_list
    assert parse_question("受教育年限、预期寿命分别咋定的").is_list
    assert not parse_question("各级政府要做什么").is_list
    assert not parse_question("城镇新增就业和失业率目标定了多少").is_list


def test_empty_question_has_no_terms():
    assert parse_question("   ？？").own_terms == ()


def test_generic_request_words_weigh_less_unless_alone():
    query = parse_question("教育方面有什么安排")
    assert query.terms["教育"] == 1.0
    assert query.terms["安排"] < 0.5 and query.terms["方面"] < 0.5
    assert "部署" not in query.terms  # no related words for a generic word
    assert parse_question("有哪些任务").terms["任务"] == 1.0
