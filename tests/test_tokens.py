"""Tokenization: the same terms for the same meaning, however it is written."""

from pathlib import Path

from retrieval import rules
from retrieval.text.tokens import normalize, question_terms, tokenize
from retrieval.words import Words

SEED = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"


def test_full_width_and_spacing_give_the_same_terms():
    assert tokenize("２０２２ 年基础配套") == tokenize("2022年基础配套") == tokenize("2022 年 基础 配套")


def test_years_and_numbers_stay_matchable():
    assert "2022" in tokenize("2022 年的重点工作")
    assert "2022" in question_terms("2022年有哪些任务")


def test_traditional_is_converted_to_simplified():
    assert tokenize("規劃引領") == tokenize("规划引领")


def test_user_dictionary_keeps_domain_terms_whole_and_fine_grained():
    terms = tokenize("进一步加强基础配套")
    assert "基础配套" in terms  # whole term from data/rules/userdict.txt
    assert {"基础", "配套"} <= set(terms)  # sub-terms, so partial questions still match


def test_question_words_are_dropped_but_content_words_kept():
    terms = question_terms("请问2022年基础配套有哪些任务？")
    assert "任务" in terms and "基础配套" in terms
    assert not {"请问", "哪些", "有哪些", "？"} & set(terms)
    assert "今年" in question_terms("今年要加强什么")
    assert "加强" in question_terms("今年要加强什么")


def test_stoplist_never_holds_content_words():
    assert not {"任务", "今年", "加强", "目标", "工作", "发展"} & rules.stopwords()


def test_normalize_removes_spaces_and_case():
    assert normalize("ＧＤＰ 增长 X%") == "gdp增长x%"


def test_question_phrases_and_their_pieces_do_not_search():
    assert question_terms("污水处理项目什么时候启动") == ["污水", "处理", "污水处理", "项目", "启动"]
    assert "时候" not in question_terms("什么时候开学")
    assert "天定" not in question_terms("是哪天定下来的")  # not 哪 + 天定
    assert question_terms("企业整顿要做好哪几项工作") == ["企业", "整顿", "做好", "工作"]
    assert "项目" in question_terms("哪些项目已经竣工")


def test_words_on_either_side_of_a_question_phrase_stay_apart():
    assert question_terms("五年一共减贫多少人") == ["五年", "减贫", "人"]  # not "减贫人"


def test_framing_and_colloquial_question_words_are_cut():
    assert question_terms("报告里说当前面临哪些问题和挑战") == ["当前", "面临", "问题", "挑战"]
    assert question_terms("能源问题的方针是啥") == ["能源", "问题", "方针"]
    # 些 of "了些啥" asks; it would find the 些 of "一些产业面临增长压力"
    assert question_terms("北京去年养老服务 新建了些啥") == ["北京", "去年", "养老", "服务", "新建"]
    assert "些" not in question_terms("都有些什么新政策")


def test_doing_something_as_a_question_is_cut():
    assert question_terms("城市大脑平台今年要干哪些活") == ["城市", "大脑", "平台", "今年"]
    assert question_terms("看病就医方面今年打算干什么事") == ["看病", "就医", "方面", "今年", "打算"]
    assert "活动" in question_terms("今年有哪些活动")  # 活 only after 哪些/什么/啥, and whole words stay


def test_spoken_words_find_the_formal_ones():
    from retrieval.text.tokens import related_terms

    assert {"增长", "提高"} <= related_terms("涨")
    assert "批复" in related_terms("批下来")
    assert "当前" in related_terms("眼下")
    assert "专项债" in question_terms("今年地方专项债给了多少额度")  # not 专项/债给


def test_spoken_framing_weighs_little_and_spoken_places_find_the_formal_ones():
    from retrieval.question import parse_question
    from retrieval.text.tokens import related_terms

    query = parse_question("他讲的八个增长具体是哪几个数")
    weights = dict(zip(query.own_terms, query.own_weights, strict=True))
    assert weights["讲"] < 1.0 and weights["增长"] == 1.0
    # "县长讲的…" names the speech by its speaker: 县长 names, 讲 is not looked for at all
    assert "讲" not in parse_question("县长讲的八个增长具体是哪几个数").own_terms
    assert "讲" not in parse_question("十条方针里第六条讲的什么").own_terms  # 讲的什么 frames the question
    assert "全县" in related_terms("县里") and "当前" in related_terms("当时")
    assert "固定资产投资" in related_terms("固投") and "积累" in related_terms("攒下")
    assert "个人所得税" in related_terms("个税") and "个税" in question_terms("小孩照护费用能不能抵个税")
    assert "一次" in related_terms("一回")  # "多长时间考一回": 每半年考评一次
    assert "首期" in related_terms("第一期") and "投入运营" in related_terms("投运")
    assert question_terms("那三个主题公园最晚几月份要建成") == ["三个", "主题", "公园", "主题公园", "建成"]


def test_index_terms_are_the_terms_that_are_no_stopwords(monkeypatch):
    """tokenize's word-by-word verdicts, kept per word, equal working each one out: on the seed's
    passages and on words seen again after the kept verdicts were emptied (LIMIT)."""
    from retrieval import segmenter
    from retrieval.document import load_document
    from retrieval.text import tokens

    texts = [c.text for c in load_document(SEED).chunks]
    texts += ["ＧＤＰ增长3.5%，new 2022的“十四五”规划", "。，的了"]

    def reference(text: str) -> list[str]:
        return [w for w in segmenter.cut_for_search(normalize(text))
                if tokens._is_term(w) and w not in rules.stopwords()]

    assert [tokenize(t) for t in texts] == [reference(t) for t in texts]
    monkeypatch.setattr(tokens._IndexTerms, "LIMIT", 50)
    monkeypatch.setattr(tokens, "_index_terms", tokens._IndexTerms(rules.stopwords()))
    assert [tokenize(t) for t in texts] == [reference(t) for t in texts]
    assert len(tokens._index_terms) <= 50
    # A document's passages at once: the same words, numbered as Words.of numbers them.
    assert list(tokens.tokenize_passages(texts)) == [tuple(reference(t)) for t in texts]
    assert tokens.tokenize_passages(texts) == Words.of([tokenize(t) for t in texts])
    # Short texts normalized together too (a document's headings): the same words again.
    headings = [*texts, "", "一、2022年 工作\n回顾", "ＧＤＰ 目标", "", "new 2022"]
    assert tokens.tokenize_each(headings) == Words.of([tokenize(t) for t in headings])
    assert tokens.tokenize_each([]) == Words.of([])


def test_a_compound_is_tiled_by_the_question_words_inside_it_and_straddling_words_are_none():
    """"助学贷款额度" is cut into 贷款额度 with 贷款, 额度 inside it, and also 款额, 贷款额, which straddle
    the two; 湖北省政府 is 湖北 + 省政府 (the fewest pieces), and 湖北省 straddles them."""
    from retrieval.text.tokens import compound_parts

    words = ("国家", "助学", "贷款", "款额", "额度", "贷款额", "贷款额度", "提高")
    compounds, straddling = compound_parts(words)
    assert compounds == ((6, (2, 4)),)
    assert {words[n] for n in straddling} == {"款额", "贷款额"}
    words = ("湖北", "政府", "湖北省", "省政府", "湖北省政府", "加强")
    compounds, straddling = compound_parts(words)
    assert compounds == ((4, (0, 3)),) and {words[n] for n in straddling} == {"湖北省"}
    assert compound_parts(("起征", "起征点", "提到")) == ((), set())  # 点 is no word of the question


def test_the_words_inside_a_chinese_figure_are_none_of_the_question():
    """"有一亿五千万吗" asks 1.5亿 (numeral_variants): 一亿, 五千, 千万 and 五千万 are pieces of the
    figure, and a passage saying "实时人口1.5亿左右" holds none of them."""
    from retrieval.document import build_document
    from retrieval.library import Library
    from retrieval.text.tokens import compound_parts

    words = ("实时", "人口", "一亿", "五千", "千万", "五千万", "一亿五千万")
    compounds, straddling = compound_parts(words)
    assert compounds == () and {words[n] for n in straddling} == {"一亿", "五千", "千万", "五千万"}
    report = ("2025年广东省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "营商环境优良，实时人口1.5亿左右，新出生人口数量居全国第一。\n"
              "二、2025年工作安排\n千万工程深入实施，新增就业五千人。\n")
    library = Library((build_document("广东.txt", report),))
    answer = library.ask("广东现在实时人口大概多少？有一亿五千万吗").answer
    assert answer is not None and "1.5亿" in answer.highlight


def test_a_compound_a_document_never_writes_is_found_where_all_its_parts_are():
    """"国家助学贷款额度提高了多少": the report writes 助学贷款每人每年最高额度, never 贷款额度."""
    from retrieval.document import build_document
    from retrieval.library import Library

    report = ("2022年政府工作报告\n各位代表：\n一、2021年工作回顾\n"
              "国家助学贷款每人每年最高额度增加4000元，惠及500多万在校生。\n"
              "二、2022年政府工作任务\n加大对企业贷款支持，普惠小微贷款额度增长。推进助学工作。\n")
    other = "2022年某省政府工作报告\n各位代表：\n一、工作\n贷款额度稳步增长，全省贷款余额增加。\n"
    library = Library((build_document("报告.txt", report), build_document("某省.txt", other)))
    answer = library.ask("国家助学贷款额度提高了多少？").answer
    assert answer is not None and "增加4000元" in answer.highlight


def test_a_word_the_documents_use_is_found_where_the_tokenizer_made_up_words_around_it():
    """"好差评中的差评要怎么处理": jieba's HMM cuts 好差/评中/…/评要, words no document uses; the
    documents' 差评 ("完善“好差评”工作机制，对差评限期答复") is searched instead. Made-up words
    with nothing the documents use in them are left as they are; so is all of it without `known`."""
    used = {"差评", "处理"}
    plain = question_terms("好差评中的差评要怎么处理")
    assert "好差" in plain and "差评" not in plain  # the tokenizer's words, as they were
    terms = question_terms("好差评中的差评要怎么处理", known=used.__contains__)
    assert "差评" in terms and not {"好差", "评中", "评要"} & set(terms)
    assert question_terms("筹钱的办法", known=used.__contains__) == question_terms("筹钱的办法")


def test_a_question_is_cut_as_the_loaded_documents_words_are():
    """Asked of the library, the question finds the passage saying 差评, which it did not when
    its made-up words were searched (the sentence held too little of the question)."""
    from retrieval.document import build_document
    from retrieval.library import Library

    notice = ("包头市数字政府建设考评指标\n一、政务服务（25分）\n"
              "15．完善“好差评”工作机制，对差评限期答复、限期整改。\n"
              "16．加强评价数据综合分析和应用，优化办事流程。\n二、基础设施（10分）\n17．新增5G基站1000座。\n")
    answer = Library((build_document("包头.txt", notice),)).ask("好差评里的差评要怎么处理").answer
    assert answer is not None and "对差评限期答复" in answer.highlight
