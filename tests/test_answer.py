"""Answer selection: the right passage, its best sentence, its outline — or no answer."""

from pathlib import Path

import pytest

from retrieval.answer import answer
from retrieval.document import build_document
from retrieval.index import Index
from retrieval.library import Library
from retrieval.models import Chunk, Document
from retrieval.question import parse_question

PASSAGES = [
    (("一、2021 年工作回顾", "一是发展水平显著提升"),
     "一是发展水平显著提升。全年实现生产总值 X 亿元；完成绿化面积 X 亩，获全市绿化特别奖。", ()),
    (("二、2022 年的重点工作", "二是进一步加强基础配套"),
     "二是进一步加强基础配套。一要推进路网配套。全年基本建成 X 条道路。二要推进生态环境配套。"
     "三大主题公园 X 月底前全部建成并投入运营。三要推进社会事业配套。学校秋季正式开学。",
     ("一要推进路网配套", "二要推进生态环境配套", "三要推进社会事业配套")),
    (("二、2022 年的重点工作", "三是进一步突出产业支撑"),
     "三是进一步突出产业支撑。今年首先要明确招商方向，确保全年有两个以上水饮品产业项目落地。", ()),
]


def library_of(name: str, text: str) -> Library:
    """A library of one document built from text."""
    return Library((build_document(name, text),))


def assert_answered_once_said(name: str, text: str, question: str, said: tuple[str, str],
                              quoted: str = "") -> None:
    """The question is declined from the document's text, and answered once said[0] is replaced by
    said[1], which says what it asks: the answer's highlight then quotes `quoted`."""
    assert said[0] in text
    assert library_of(name, text).ask(question).answer is None
    answer = library_of(name, text.replace(*said)).ask(question).answer
    assert answer is not None and quoted in answer.highlight


def library_index() -> Index:
    chunks, text, pos = [], "", 0
    for path, body, outline in PASSAGES:
        chunks.append(Chunk("speech.txt", path, body, pos, pos + len(body), outline))
        text += body + "\n"
        pos += len(body) + 1
    return Index((Document("speech.txt", "讲话", text, (), tuple(chunks), 2022),))


def ask(question: str, top_k: int = 3):
    return answer(parse_question(question), library_index(), top_k=top_k)


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def test_fact_question_gets_its_passage_and_sentence():
    result = ask("三大主题公园什么时候建成")
    assert result.answer.section == ("二、2022 年的重点工作", "二是进一步加强基础配套")
    assert result.answer.highlight == "三大主题公园 X 月底前全部建成并投入运营。"
    assert result.answer.outline == ()  # not a list question


def test_list_question_gets_the_whole_item_and_its_outline():
    result = ask("2022年基础配套有哪些任务")
    assert result.answer.section[-1] == "二是进一步加强基础配套"
    assert result.answer.outline == ("一要推进路网配套", "二要推进生态环境配套", "三要推进社会事业配套")


def test_quote_is_verbatim():
    result = ask("水饮品产业项目要落地几个")
    assert result.answer.text == PASSAGES[2][1]
    assert result.answer.highlight in result.answer.text


def test_out_of_scope_questions_get_no_answer():
    for question in ["今天天气怎么样", "推荐一部好看的电影", "2023年房价会涨吗", "有几家银行"]:
        result = ask(question)
        assert result.answer is None, question


def test_empty_question_gets_no_answer():
    assert ask("").answer is None
    assert ask("？！").answer is None


def test_results_are_ranked_and_limited_to_top_k():
    result = ask("全年项目", top_k=2)  # "全年" is in every passage
    assert len(result.passages) == 2
    assert result.passages[0].score >= result.passages[1].score


def test_quantity_question_highlights_the_sentence_with_the_number():
    doc_passages = [(("二、2022 年的重点工作", "六要推进土地收储配套"),
                     "六要推进土地收储配套。土地收储是产业落地的基础。全年力争收储土地 X 亩。", ())]
    chunks = [Chunk("d.txt", p, t, 0, len(t), o) for p, t, o in doc_passages]
    index = Index((Document("d.txt", "讲话", doc_passages[0][1], (), tuple(chunks), 2022),))
    result = answer(parse_question("土地收储多少亩"), index, top_k=1)
    assert result.answer.highlight == "全年力争收储土地 X 亩。"


def test_question_about_this_year_prefers_this_years_section():
    passages = [
        (("2024年工作回顾", "六是民生保障全面加强"), "六是民生保障全面加强。全力办好21项民生实事。", ()),
        (("2025年工作安排", "（七）更好保障和改善民生"), "（七）更好保障和改善民生。实施民生实事28项。", ()),
    ]
    chunks, text, pos = [], "", 0
    for path, body, outline in passages:
        chunks.append(Chunk("r.txt", path, body, pos, pos + len(body), outline))
        text, pos = text + body + "\n", pos + len(body) + 1
    index = Index((Document("r.txt", "2025年政府工作报告", text, (), tuple(chunks), 2025),))
    assert answer(parse_question("今年办几件民生实事"), index, top_k=2).answer.section[0] == "2025年工作安排"
    last_year = answer(parse_question("去年办了几件民生实事"), index, top_k=2)
    assert last_year.answer.section[0] == "2024年工作回顾"


def test_a_when_question_needs_a_sentence_with_a_time():
    # 招商 and 项目 are there, 开工 is not, and no sentence says when: no answer.
    assert ask("招商项目什么时候开工").answer is None
    assert ask("三大主题公园什么时候建成").answer.highlight.startswith("三大主题公园 X 月底前")
    # A sentence that holds all of the question answers even without a time.
    assert ask("水饮品产业项目什么时候落地").answer is not None


def test_a_list_question_is_answered_by_a_passage_that_holds_it_across_sentences():
    # 道路, 公园 and 学校 sit in three sentences of one passage; no sentence holds enough of it.
    result = ask("道路、公园和学校有哪些安排")
    assert result.answer is not None and result.answer.section[-1] == "二是进一步加强基础配套"
    assert ask("道路、公园、学校怎么弄").answer is None  # a fact question needs one sentence
    # Several things each asked about (分别, 各) are a list question.
    answer = ask("道路、公园、学校分别怎么弄").answer
    assert answer is not None and answer.section[-1] == "二是进一步加强基础配套"


def test_judging_only_the_candidates_that_can_matter_ranks_as_judging_them_all():
    # rank finishes (finds the best sentence of) a candidate only while its best possible score
    # could still reach the top or the 也见于 line; the answer must be that of judging them all.
    from retrieval.answer import Wanted, answered_elsewhere, judge_passage, named_documents, rank

    index, _ = seed_and_reports(("江苏省", "山东省"))
    pruned = 0
    for question in ["今年经济增长目标是多少", "去年新增就业多少人", "2024年粮食产量", "招商引资有什么要求",
                     "基础配套有哪些任务", "第二个问题讲的是什么", "江苏省今年地区生产总值增长多少",
                     "三大主题公园什么时候建成", "今年收储土地多少亩", "产业项目落地"]:
        query = parse_question(question)
        wanted = Wanted.of(query, index)
        named = named_documents(wanted, index)
        everything = rank(query, wanted, index, named=named, keep=10**6)
        for keep in (1, 3):
            ranked = rank(query, wanted, index, named=named, keep=keep)
            assert ranked[:keep] == everything[:keep], question
            assert answered_elsewhere(ranked, query, index) == answered_elsewhere(everything, query, index)
            pruned += len(everything) - len(ranked)
        for judged in everything if not query.position else []:  # the bound holds
            candidate = judge_passage(query, wanted.within(index.entries[judged.position].named),
                                      judged.position, judged.bm25, index)
            bound = candidate.best_possible(query)
            assert bound is not None and bound[0] >= judged.sentence_share and bound[1] >= judged.typed
    assert pruned > 0, "some candidates were left unjudged"


def test_an_abbreviation_is_answered_where_the_documents_spell_it_out():
    """社零 is written in no passage; its related 社会消费品零售总额 is, as words of a sentence."""
    passages = [
        (("二、主要目标",), "主要预期目标是：经济增长5%左右，城镇新增就业10万人。", ()),
        (("三、重点工作", "（二）提振消费"), "实施提振消费专项行动，力争社会消费品零售总额增长5%以上。", ()),
        (("三、重点工作", "（三）扩大投资"), "力争固定资产投资增长7%，政府投资重点支持在建项目。", ()),
    ]
    chunks, text = [], ""
    for path, body, outline in passages:
        chunks.append(Chunk("report.txt", path, body, len(text), len(text) + len(body), outline))
        text += body + "\n"
    index = Index((Document("report.txt", "报告", text, (), tuple(chunks), 2025),))
    result = answer(parse_question("社零 增长多少"), index, top_k=3)
    assert result.answer is not None
    assert result.answer.highlight == "实施提振消费专项行动，力争社会消费品零售总额增长5%以上。"


def test_a_passage_of_a_document_without_headings_is_read_under_its_first_sentence():
    """An encyclopedia entry names its subject once: "沼鹿主要在什么时候觅食" is answered by
    "它们…主要在清晨和黄昏觅食…", read under "沼鹿（…），又名泽鹿，…的鹿。" as under a heading."""
    entry = ("沼鹿（学名：Rucervus duvaucelii），又名泽鹿，是原住于印度及尼泊尔的鹿。"
             "它们喜欢在沼泽和草原地带成群生活，主要在清晨和黄昏觅食，以青草和水生植物为食。"
             "雄鹿的角有十至十五个分叉。")
    river = "伊洛瓦底江是缅甸最大的河流。它自北向南流经缅甸全境，注入安达曼海。"
    library = Library((build_document("沼鹿.txt", entry), build_document("河流.txt", river)))
    assert not library.documents[0].sections
    reply = library.ask("沼鹿主要在什么时候觅食")
    assert reply.answer is not None and "清晨和黄昏觅食" in reply.answer.highlight
    assert library.ask("伊洛瓦底江主要在什么时候觅食").answer is None  # another entry's subject


def test_a_name_asked_with_who_finds_its_entry():
    """"潘淑是谁的皇后": jieba reads 潘淑是 as one word, which left only 谁 and 皇后 to search
    with, and the entry on another empress (who said 谁) won; the name now finds its entry."""
    pan = ("潘淑（？－252年），会稽句章人，三国时期东吴大帝孙权的皇后，孙亮的生母。"
           "她容貌美丽，在宫中很受宠爱。")
    teng = "滕芳兰，北海剧县人，东吴末帝孙皓的皇后。孙皓问左右：“谁能比得上她？”"
    library = Library((build_document("潘淑.txt", pan), build_document("滕芳兰.txt", teng)))
    reply = library.ask("潘淑是谁的皇后")
    assert reply.answer is not None and reply.answer.doc == "潘淑.txt"
    assert "孙权的皇后" in reply.answer.highlight


def test_words_written_together_in_the_question_are_a_phrase_a_passage_holds(corpus_library):
    """"三大产业转型攻坚战打的是哪三个产业": Hubei's "打好汽车、钢铁、化工三大产业转型攻坚战" holds 产业转型
    and 转型攻坚战 as written; the poverty speech's "三大攻坚战之一" holds the words apart. A phrase
    reorders answers, it never turns one into no answer: "今年地方专项债给了多少额度" is answered by
    the figure, not declined for a passage holding both its phrases and no figure."""
    assert parse_question("2021年发展水平怎么样").phrases == ("发展水平",)  # not 年发展
    assert parse_question("第二部分发展水平怎么样").phrases == ()  # a position: the structure decides
    # Two words joined by 和, 与 or 及 as written ("面临的困难和挑战"); not by 的 ("市场的关系"), too loose
    assert parse_question("国内面临的困难和挑战都有哪些").phrases == ("国内面临", "困难和挑战")
    answer = corpus_library.ask("三大产业转型攻坚战打的是哪三个产业").answer
    assert answer is not None and answer.doc == "2025年湖北省政府工作报告.txt"
    answer = corpus_library.ask("就业增收有哪些措施").answer
    assert answer is not None and answer.doc == "gov_report_2025_xizang.txt"
    answer = corpus_library.ask("今年地方专项债给了多少额度").answer  # Hubei's 地方专项债额度 has no figure
    assert answer is not None and "3.65万亿元" in answer.highlight


def test_documents_named_are_those_and_in_the_order_a_share_per_document_gives():
    # named_documents reads a word naming every document (年, 报告: a share of 0) only to place the
    # documents it names first; the result must be that of adding every share to every document.
    import math
    import random

    from retrieval.evidence import NAME_RARITY, Wanted, named_documents
    from retrieval.text.places import names_a_place

    def every_share(wanted: Wanted, index: Index) -> dict[int, float]:  # the plain loop, as it was
        found: dict[int, float] = {}
        total = len(index.document_names)
        rare = NAME_RARITY * math.log(len(index) + 1)
        for weight, forms, _ in wanted.naming_terms():
            named = index.documents_named_by(forms[0][0]) if weight and forms else set()
            place = names_a_place(forms[0][0])
            rarity = (1.0 if place else min(1.0, index.idf(forms[0][0]) / rare)) if named else 0.0
            share = rarity * math.log(total / len(named)) / math.log(total) if named else 0.0
            for number in named:
                found[number] = found.get(number, 0.0) + share
        return {number: min(share, 1.0) for number, share in found.items() if share > 0}

    rng = random.Random(3)
    places = ["江苏省", "山东省", "云南省", "北京市", "河南省"]
    documents = [build_document(f"{year}年{place}政府工作报告{n}.txt",
                                f"{year}年{place}政府工作报告\n一、工作回顾\n粮食产量稳定，城镇新增就业{n}万人。\n")
                 for n, (year, place) in enumerate((rng.choice([2023, 2024, 2025]), rng.choice(places))
                                                   for _ in range(40))]
    index = Index(tuple(documents))
    words = ["年", "报告", "政府", "2024年", "2023", "江苏", "山东省", "云南", "粮食产量", "就业", "北京市"]
    for _ in range(200):
        question = "".join(rng.sample(words, rng.randint(1, 5)))
        wanted = Wanted.of(parse_question(question), index)
        expected = every_share(wanted, index)
        assert list(named_documents(wanted, index).items()) == list(expected.items()), question


@pytest.mark.parametrize("full_scoring_max", [0, 10**9])  # pruned as for a million passages, or not
def test_rank_judges_the_candidates_that_scoring_every_passage_selected(monkeypatch, full_scoring_max):
    import retrieval.index as index_module

    monkeypatch.setattr(index_module, "FULL_SCORING_MAX", full_scoring_max)
    # rank finds its candidates without scoring every passage (Index.scoring): the same passages with the
    # same BM25 scores, bit for bit, as selecting them from every passage's score, for a library and for
    # a question scoped to one document.
    import numpy as np

    from retrieval.answer import (
        CANDIDATES,
        Wanted,
        _most_named,
        _part_candidates,
        _position_candidates,
        named_documents,
        rank,
    )
    from retrieval.bm25 import SparseBM25

    def selected(query, wanted: Wanted, index: Index, docs: tuple[str, ...] | None,
                 named: dict[int, float]) -> dict[int, float]:
        scores = index.scores(query)
        if docs is not None:
            scores = np.where([e.chunk.doc in docs for e in index.entries], scores, 0.0)
        order = [int(i) for i in SparseBM25.top_k(scores, CANDIDATES) if scores[i] > 0]
        if named and docs is None:
            in_named = np.where(_most_named(named, len(index.document_names))[index.document_of], scores, 0.0)
            order += [int(i) for i in SparseBM25.top_k(in_named, CANDIDATES)
                      if in_named[i] > 0 and i not in order]
        order += [i for i in _part_candidates(query, index, docs, named) if i not in order]
        order += [i for i in _position_candidates(query, wanted, index, docs, named, order) if i not in order]
        return {i: float(scores[i]) for i in order}

    index, reports = seed_and_reports(("江苏省", "山东省", "云南省"), "去年完成基础配套项目。")
    for question in ["今年经济增长目标是多少", "去年新增就业多少人", "2024年粮食产量", "招商引资有什么要求",
                     "基础配套有哪些任务", "第二个问题讲的是什么", "江苏省今年地区生产总值增长多少",
                     "云南2024年城镇新增就业", "报告最后一部分讲了啥", "今年收储土地多少亩"]:
        query = parse_question(question)
        wanted = Wanted.of(query, index)
        named = named_documents(wanted, index)
        two = (reports[1].name, reports[5].name)
        for docs in (None, (reports[4].name,), (index.document_names[0],), two):
            ranked = rank(query, wanted, index, docs, named, keep=10**6)
            expected = selected(query, wanted, index, docs, named)
            assert {j.position: j.bm25 for j in ranked} == expected, (question, docs)


def test_a_thing_named_by_a_code_no_passage_uses_is_not_answered_from_its_neighbours():
    """"地铁M101线" is a line the report never mentions; 地铁 and 通车 find another line."""
    report = ("2025年北京市政府工作报告\n各位代表：\n一、重点任务\n"
              "加快轨道交通建设，地铁3号线、12号线今年建成通车，新增运营里程60公里。\n"
              "PM2.5年均浓度降至30.5微克/立方米。\n")
    library = library_of("北京.txt", report)
    assert library.ask("北京地铁12号线今年能通车不").answer is not None
    assert library.ask("北京地铁M101线今年能通车不").answer is None
    assert library.ask("北京PM2.5年均浓度多少").answer is not None  # a measure with a point is no code


def test_a_thing_named_by_a_short_code_is_answered_only_by_a_passage_saying_it():
    """"今年M2增速目标是多少" is not answered by the growth target's passage, which holds every other
    word; "今年5G基站新建多少个" is answered by the passage that says 5G."""
    report = ("2021年政府工作报告\n各位代表：\n一、2021年重点工作\n"
              "经济增速是综合性指标，今年预期目标设定为6%以上，考虑了经济运行恢复情况。\n"
              "加快数字化发展，今年新建5G基站60万个。\n")
    library = library_of("2021.txt", report)
    assert library.ask("今年M2增速目标是多少").answer is None
    assert library.ask("今年经济增速目标是多少").answer is not None
    answer = library.ask("今年5G基站新建多少个").answer
    assert answer is not None and "60万个" in answer.highlight


def test_how_much_is_not_answered_by_a_passage_restating_the_question_without_a_figure():
    """"讲话说适当减免小微企业贷款利息，具体减免多少" holds every word of the speech's sentence, which
    gives no figure: no answer. Said with a figure, it answers."""
    speech = ("在部署会议上的讲话\n同志们：\n第二，加大宏观政策调节力度。\n"
              "要调整完善企业还款付息安排，加大贷款展期、续贷力度，适当减免小微企业贷款利息，防止企业资金"
              "链断裂。\n第三，全面强化就业优先政策。\n要创造条件支持农民工返岗。\n")
    question = "讲话说适当减免小微企业贷款利息，具体减免多少？"
    assert_answered_once_said("讲话.txt", speech, question,
                              ("适当减免小微企业贷款利息", "适当减免小微企业贷款利息1个百分点"), "1个百分点")


def test_how_often_is_answered_by_a_sentence_saying_every_day():
    """"总书记说自己多久作一次口头指示和批示" asks how often: "我…每天都作出口头指示和批示" says it."""
    speech = ("在统筹推进疫情防控和经济社会发展工作部署会议上的讲话\n同志们：\n一、关于前一段疫情防控工作\n"
              "疫情发生后，党中央高度重视。我时刻关注着疫情防控工作，每天都作出口头指示和批示。\n"
              "二、关于当前工作\n要加强疫情防控，抓好复工复产。\n")
    answer = library_of("讲话.txt", speech).ask("疫情防控期间总书记说自己多久作一次口头指示和批示？").answer
    assert answer is not None and "每天都作出" in answer.highlight


def test_a_city_the_passage_never_mentions_is_not_answered_with_the_provinces_figure():
    """"广东报告里深圳市2024年GDP是多少": the province's 地区生产总值 is no answer; a city the
    passage does mention is answered, and so is a city that is the document's own place."""
    report = ("2025年广东省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "2024年全省地区生产总值14.16万亿元，增长3.5%。\n"
              "广州市地区生产总值3.1万亿元，增长2.1%。\n")
    notice = ("包头市数字政府建设考评办法\n包府办发〔2022〕43号\n一、考评对象\n"
              "全市各旗县区人民政府及市直各部门。\n")
    library = Library((build_document("广东.txt", report), build_document("包头.txt", notice)))
    assert library.ask("广东报告里深圳市2024年GDP是多少").answer is None
    assert library.ask("广东报告里2024年GDP是多少").answer is not None
    assert library.ask("广东报告里广州市2024年GDP是多少").answer is not None
    assert library.ask("包头市数字政府考评对象是谁").answer is not None


def test_a_figure_asked_of_a_city_is_not_answered_by_a_passage_that_gives_it_of_others():
    """"湖北报告里武汉市去年地区生产总值多少": the passage mentions 武汉 (its growth rank, its
    port) and gives the province's 生产总值; no clause gives 武汉's. A clause that does answers,
    and so does a passage that opens with the city, as one about it does."""
    review = ("地区生产总值增长5.8%、总量达到60013亿元。武汉在副省级城市中增速靠前，"
              "襄阳、宜昌经济总量突破6000亿元，武汉港集装箱吞吐量达到350万标箱。\n")
    report = "2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n" + review
    answered = ("2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n" + review
                + "二、城市发展\n宜昌市城市建设加快推进。武汉市地区生产总值突破2万亿元，增长5.2%。\n")
    library = library_of("湖北.txt", report)
    assert library.ask("湖北报告里武汉市去年地区生产总值多少").answer is None
    assert library.ask("湖北报告里襄阳市经济总量多少").answer is not None  # "襄阳…经济总量…6000亿元"
    assert library.ask("湖北去年地区生产总值多少").answer is not None  # the province's own
    assert library.ask("武汉港集装箱吞吐量多少").answer is not None
    answered_library = library_of("湖北.txt", answered)
    answer = answered_library.ask("湖北报告里武汉市去年地区生产总值多少").answer
    assert answer is not None and "2万亿元" in answer.text


def test_a_figure_asked_of_a_project_is_not_answered_by_the_figures_of_others():
    """"深中通道总投资是多少亿": the passage names 深中通道 and gives the 总投资 of other projects.
    A sentence that gives the thing's own figure answers, even a clause after its name, and so
    does a passage about the thing."""
    report = ("2025年广东省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "推进重点领域安全能力建设项目142个、总投资1514亿元。"
              "国家重大工程深中通道通车运营，深圳到中山车程最短缩至30分钟。"
              "鄂州花湖机场开通国际国内货线91条，货邮吞吐量达到128万吨。\n"
              "二、交通\n且末机场迁建工程开工。项目总投资约为5.81亿元，飞行区等级4C。\n"
              "三、开放\n五是改革开放走深走实。拉萨贡嘎机场升级为国际机场，物流枢纽获批，查验场建成投运，14个传统边贸点恢复开放。\n")
    library = library_of("广东.txt", report)
    assert library.ask("拉萨贡嘎机场升成国际机场以后开了几条国际航线").answer is None  # 14个 is 4 phrases on
    assert library.ask("深中通道总投资是多少亿").answer is None
    assert library.ask("深中通道通车后深圳到中山车程缩到多少分钟").answer is not None
    assert library.ask("花湖机场货邮吞吐量多少").answer is not None  # a clause after its name
    assert library.ask("且末机场迁建工程总投资多少").answer is not None  # the passage opens with it


def test_a_projects_name_is_read_with_all_its_suffixes_and_the_documents_name_asks_nothing():
    """"1981年政府工作报告里葛洲坝水利枢纽工程总投资是多少": the report says when the project opened
    and its first unit's power, not its investment. The 工程 of its name (after 枢纽) and the 年 of
    the document's name are no words of what is asked, though the sentence holds both."""
    from retrieval.text.places import things_named_in

    assert things_named_in("葛洲坝水利枢纽工程总投资是多少") == ["葛洲坝水利枢纽工程"]
    report = ("1981年政府工作报告\n各位代表：\n一、当前的经济形势\n"
              "基本建设投资压缩到三百亿元。已经施工多年的葛洲坝水利枢纽第一期工程，加快了建设步伐，"
              "今年６月已经通航，第一台十七万千瓦机组已经试运转。\n")
    library = library_of("1981.txt", report)
    assert library.ask("1981年政府工作报告里葛洲坝水利枢纽工程总投资是多少").answer is None
    # The 第一期 of the name the question says too is no figure of it.
    assert library.ask("1981年报告里葛洲坝水利枢纽第一期工程总投资是多少？").answer is None
    answer = library.ask("1981年政府工作报告里葛洲坝水利枢纽第一台机组多少千瓦").answer
    assert answer is not None and "十七万千瓦" in answer.highlight


def test_a_mines_or_power_plants_figure_is_asked_of_it():
    """"马坊川煤矿总投资多少": the county's speech says the mine's construction began, in a sentence
    whose only figure is a power plant's capacity; the plant's capacity is answered."""
    speech = ("在县委全委(扩大)会暨全县经济工作会议上的讲话\n同志们:\n一、认真总结成绩\n"
              "全县完成国内生产总值19.5亿元,增长15.6%。"
              "马坊川煤矿建设全面拉开,三大煤矿前期工作加快推进;2100万千瓦燃煤电厂可研通过专家评审。\n"
              "二、明年的工作\n确保固定资产投资增长20%。\n三、加强作风建设\n要求真务实。\n")
    library = library_of("讲话.txt", speech)
    assert library.ask("马坊川煤矿总投资多少、设计产能多大？").answer is None
    answer = library.ask("燃煤电厂装机多少千瓦").answer
    assert answer is not None and "2100万千瓦" in answer.highlight


def test_a_figure_asked_of_a_name_the_passage_quotes_is_in_the_sentence_naming_it():
    """"胖东来去年营业额多少": the passage quotes “胖东来” in a sentence whose figures are the tourism's.
    A quoted name's own figure answers; a list's short name with its count (“八个增长”) is no name."""
    from retrieval.text.places import quoted_names

    assert quoted_names("“胖东来”出圈，实现“八个增长”，落实“8+4”政策，接入“蒙速办”") == ["胖东来", "蒙速办"]
    report = ("2025年河南省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "过去一年，全省经济稳中向好。文旅市场持续火热，接待游客突破10亿人次，旅游收入超万亿元，"
              "“胖东来”频频出圈。政务服务事项接入“蒙速办”，累计办件120万件。\n"
              "二、2025年主要目标\n实现“八个增长”：地区生产总值增长5.5%，城镇新增就业110万人。\n")
    library = library_of("河南.txt", report)
    assert library.ask("胖东来去年营业额多少").answer is None
    assert library.ask("去年接待游客多少人次").answer is not None
    assert library.ask("“蒙速办”累计办件多少万件").answer is not None
    assert library.ask("“八个增长”里城镇新增就业多少").answer is not None


def test_a_figure_after_a_scope_word_is_the_whole_places_not_the_things_named_before_it():
    """"明阳天成号的单机容量到底是多少兆瓦": "…“明阳天成号”在阳江投运，全省海上风电并网容量超1200万千瓦"
    gives the province's capacity (全省), not the platform's. A figure in the thing's own phrase, or
    in a next phrase without a scope word, still answers."""
    from retrieval.text.sentences import clause_spans, cut_before

    text = "平台“明阳天成号”投运,全省容量超1200万千瓦。下一句"
    assert [text[a:b] for a, b in cut_before(clause_spans(text), text, ("全省",))] == [
        "平台“明阳天成号”投运,", "全省容量超1200万千瓦", "下一句"]
    report = ("2025年广东省政府工作报告\n各位代表：\n一、2024年工作回顾\n六是加强生态环境保护治理。"
              "全球单体容量最大的漂浮式风电平台“明阳天成号”在阳江投运，全省海上风电并网容量超1200万千瓦、"
              "跃居全国首位。“粤电一号”平台装机容量达到50万千瓦，年发电15亿千瓦时。\n"
              "二、2025年工作安排\n全力稳增长。\n")
    library = library_of("广东.txt", report)
    assert library.ask("明阳天成号的单机容量到底是多少兆瓦？").answer is None
    answer = library.ask("粤电一号的装机容量是多少千瓦？").answer
    assert answer is not None and "50万千瓦" in answer.highlight
    answer = library.ask("全省海上风电并网容量是多少？").answer
    assert answer is not None and "1200万千瓦" in answer.highlight


def test_an_answer_without_the_kind_asked_must_say_the_word_the_question_word_asks_of():
    """"漯河金海千亿级氟硅新材料项目总投资多少、啥时候投产" shares the project's rare name with a sentence
    that gives neither a figure nor a time, nor says 投资 or 投产: no answer. A sentence without a
    figure that says the word asked of (规模) still answers by holding nearly all of the question."""
    report = ("2025年河南省政府工作报告\n各位代表：\n三、2025年重点工作\n（三）推动产业体系建设\n"
              "支持企业做大做强，加快洛阳石化百万吨乙烯、漯河金海千亿级氟硅新材料项目建设。"
              "稳步扩大省级金融稳定保障基金规模。\n（四）扩大内需\n全年新增消费200亿元。\n")
    library = library_of("河南.txt", report)
    assert library.ask("漯河金海千亿级氟硅新材料项目总投资多少、啥时候投产？").answer is None
    answer = library.ask("省级金融稳定保障基金规模要扩大到多少？").answer
    assert answer is not None and "基金规模" in answer.highlight


def test_a_reason_asked_is_answered_only_by_a_sentence_giving_one():
    """"富强机场为啥要迁建" is not answered by "富强机场迁建手续获得了国务院和中央军委的批复": the speech
    says the relocation was approved, not why. "为啥把增长目标定在6%左右" is, by the sentence saying
    what the target took into account; "2018年定为啥年" asks a name, no reason."""
    from retrieval.answer_types import reason_unsaid

    assert not reason_unsaid("2018年定为啥年", "将2018年作为脱贫攻坚作风建设年")
    speech = ("xx区2022年经济工作会上的讲话\n同志们：\n一、2021 年工作回顾\n二是项目建设快速推进。"
              "富强机场迁建手续获得了国务院和中央军委的批复，试验段开工前期技术准备工作就绪。\n"
              "二、2022 年的重点工作\n经济增长目标设定为6%左右，综合考虑了促就业、惠民生、稳预期的需要。\n")
    library = library_of("讲话.txt", speech)
    assert library.ask("xx区的富强机场为啥要迁建？").answer is None
    answer = library.ask("为啥把增长目标定在6%左右？").answer
    assert answer is not None and "综合考虑" in answer.highlight
    assert library.ask("富强机场迁建手续获得了谁的批复").answer is not None


def test_a_reason_given_by_a_clause_of_cause_or_of_what_it_is_answers_why():
    """"21年财政支出总规模为啥比上年多": "因财政收入恢复性增长，财政支出总规模比去年增加" gives the cause
    with 因; "为啥要各级学校加强中国历史和地理的教学": "…，这是向学生进行爱国主义教育的一个重要内容"
    says what it is for. Not the 因 of 因地制宜 nor 因素."""
    from retrieval.answer_types import reason_unsaid

    assert not reason_unsaid("财政支出为啥比上年多", "因财政收入恢复性增长,财政支出总规模比去年增加")
    assert not reason_unsaid("为啥要加强历史教学", "各级学校都要加强历史的教学,这是爱国主义教育的重要内容")
    assert reason_unsaid("为啥要建设特色小镇", "因地制宜建设特色小镇")
    assert reason_unsaid("为啥要迁建机场", "机场迁建的影响因素很多")


def test_a_places_figure_may_be_said_in_the_next_sentence_pointing_back_at_it():
    """"抚顺市制订了多少条减产不减收的措施": the report names 抚顺市, then says "他们…制订了减产不减收的
    三十条措施" in the next sentence. A next sentence that does not point back is another subject's."""
    from retrieval.text.sentences import clause_spans, with_back_references

    text = "抚顺市的同志不这样看。他们制订了三十条措施。全国很多。"
    assert [text[a:b] for a, b in with_back_references(clause_spans(text), text)][0] == (
        "抚顺市的同志不这样看。他们制订了三十条措施")
    report = ("1981年政府工作报告\n各位代表：\n一、今后的方针\n解决财政困难的办法是有的。"
              "例如，抚顺市是以重工业为主体的。然而抚顺市财政经济部门的同志不这样看问题。他们千方百计发动群众挖掘潜力，制订了减产不减收的"
              "三十条措施，取得了成效。全国有许多地方实行了二十条措施。\n二、其他\n要讲究用财之道。\n")
    library = library_of("1981.txt", report)
    answer = library.ask("抚顺市制订了多少条减产不减收的措施").answer
    assert answer is not None and "三十条" in answer.highlight
    assert library.ask("沈阳市制订了多少条减产不减收的措施").answer is None


def test_a_count_of_items_asked_is_not_answered_by_a_sentence_that_only_names_the_count():
    """"具体是哪十项": "办好十项重点民生实事，着力解决…。" names the count and lists nothing. A
    sentence that lists them answers, and so does one whose items follow ("一是…二是…")."""
    henan = ("2025年河南省政府工作报告\n各位代表：\n一、2025年重点工作\n"
             "努力让社会保障更完善。加强低收入人口救助帮扶。办好十项重点民生实事，着力解决群众的急难愁盼问题。\n"
             "二、改革\n深化土地要素改革。持续推进“五水综改”。统筹抓好集体林权、医药卫生、供销等领域改革。\n")
    guangdong = ("2025年广东省政府工作报告\n各位代表：\n一、2025年重点工作\n"
                 "办好十件民生实事。今年创新民生实事遴选机制。一是提升养老服务水平；二是提升兜底保障水平；"
                 "三是提供稳定就业保障。\n二、协同发展\n深入开展基础教育提升、医疗卫生发展、职业培训创新三项工程。\n")
    henan_library = library_of("河南.txt", henan)
    assert henan_library.ask("河南今年十项重点民生实事具体是哪十项").answer is None
    assert henan_library.ask("“五水综改”具体是哪五水").answer is None
    assert henan_library.ask("河南今年办几项重点民生实事").answer is not None  # a count, not its items
    library = library_of("广东.txt", guangdong)
    answer = library.ask("广东今年要办哪十件民生实事").answer
    assert answer is not None and "一是提升养老服务水平" in answer.text
    assert library.ask("要开展哪三项工程").answer is not None


def test_a_figure_of_another_thing_of_the_kind_asked_is_no_answer():
    """"个税起征点今年提到多少": the report raises the 增值税起征点 (another 税), and that passage
    never names 个税 nor 个人所得税; "农村土地承包期延长到多少年" is answered by "第二轮土地承包…
    再延长30年" (土地 is the thing asked, said shorter)."""
    report = ("2021年政府工作报告\n各位代表：\n一、2021年重点工作\n"
              "将小规模纳税人增值税起征点从月销售额10万元提高到15万元。"
              "持续开展第二轮土地承包到期后再延长30年试点。\n二、民生\n提高城乡居民收入。"
              "将3岁以下婴幼儿照护费用纳入个人所得税专项附加扣除。\n")
    library = Library((build_document("报告.txt", report),
                       build_document("讲话.txt", "在某会议上的讲话\n同志们：\n一、形势\n经济总体平稳。\n")))
    assert library.ask("个税起征点今年提到多少").answer is None
    answer = library.ask("增值税起征点今年提到多少").answer
    assert answer is not None and "15万元" in answer.highlight
    answer = library.ask("农村土地承包期延长到多少年").answer
    assert answer is not None and "30年" in answer.highlight


def test_a_thing_named_by_two_words_the_document_never_says_together_is_no_answer():
    """"国防预算增长多少": the report speaks of 国防 in a passage of its own and of 预算 in another,
    whose "调入预算稳定调节基金…支出规模扩大2万亿元" is no figure of 国防; a report that says 国防预算
    with its figure answers, and so does a question whose words the finance passage holds."""
    finance = ("一、2022年政府工作任务\n（一）提升积极的财政政策效能。调入预算稳定调节基金等，"
               "支出规模比去年扩大2万亿元以上。今年安排中央本级支出增长3.9%。\n")
    defence = ("（二）国防和军队建设。加强国防科技创新，深化国防和军队改革，完善国防动员体系，"
               "强化全民国防教育。\n（三）民生。提高城乡居民收入。\n")
    opening = "2022年政府工作报告\n各位代表：\n"
    report = library_of("2022年报告.txt", opening + finance + defence)
    assert report.ask("国防预算增长多少").answer is None
    assert report.ask("国防支出增长多少").answer is None
    assert report.ask("国防费预算比上年增长多少").answer is None  # 国防 within 国防费
    answer = report.ask("中央本级支出增长多少").answer
    assert answer is not None and "3.9%" in answer.highlight
    said = defence.replace("完善国防动员体系", "国防预算增长7.1%，完善国防动员体系")
    other = library_of("2022年报告.txt", opening + finance + said)
    answer = other.ask("国防预算增长多少").answer
    assert answer is not None and "7.1%" in answer.highlight


def test_a_figure_the_question_states_is_no_answer_to_the_quantity_it_asks():
    """"高校毕业生超1000万，其中研究生有多少" starts from the total the report gives; the sentence that
    says only that total does not answer it. One that gives another figure does ("从202元提高到209元")."""
    report = ("2022年政府工作报告\n各位代表：\n一、2022年政府工作任务\n"
              "今年高校毕业生超过1000万人，要加强就业创业指导、政策支持和不断线服务。"
              "困难残疾人生活补贴每人每月从202元提高到209元。\n二、民生\n提高城乡居民收入。\n")
    library = library_of("报告.txt", report)
    assert library.ask("2022年高校毕业生超1000万，其中研究生有多少").answer is None
    answer = library.ask("今年高校毕业生有多少").answer
    assert answer is not None and "1000万人" in answer.highlight
    answer = library.ask("困难残疾人生活补贴每人每月从202元提到多少").answer
    assert answer is not None and "209元" in answer.highlight


def test_a_part_of_a_stated_count_needs_a_figure_of_its_own():
    """"210个项目里，工业项目占多少个": the sentence giving the 210 and other figures (32亿元, 57%) gives
    no part of it, though its passage says 工业 elsewhere; one that says how many of them are
    industrial answers."""
    speech = ("在全县经济工作会议上的讲话\n一、认真总结成绩\n"
              "全年实施50万元以上项目210个,完成投资32亿元,增长57%,项目数和投资额均创历史新高。"
              "四个工业集中区加快建设。\n二、明确目标任务\n推动高质量发展。\n")
    question = "县长讲话说全县去年实施的210个50万元以上项目里，工业项目占多少个？"
    assert_answered_once_said("讲话.txt", speech, question,
                              ("完成投资32亿元", "其中工业项目86个,完成投资32亿元"), "86个")


def test_a_part_of_a_stated_amount_of_money_needs_an_amount_of_its_own():
    """"挽回的22.2亿元经济损失中，电信网络诈骗案件挽回了多少": the sentence gives the 22.2亿元 and
    percentages of fraud cases, no amount of their own; one that does answers."""
    report = ("2025年浙江省政府工作报告\n一、2024年工作回顾\n"
              "重拳打击各类经济犯罪、挽回经济损失22.2亿元，电信网络诈骗案件受理数下降12%、损失数下降35.8%。"
              "安全生产形势稳定。\n二、2025年重点工作\n推动高质量发展。\n")
    question = "浙江去年挽回的22.2亿元经济损失中，电信网络诈骗案件挽回了多少？"
    assert_answered_once_said("浙江.txt", report, question,
                              ("受理数下降12%", "挽回损失6.1亿元，受理数下降12%"), "6.1亿元")


def test_a_running_total_is_no_answer_to_one_years_figure():
    """"中老铁路2024年当年发送旅客多少万人次": "累计发送旅客超4500万人次" is the total since it opened;
    asked without a year, or with a year's figure said, it answers."""
    report = ("2025年政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "开通中国首列跨境旅游列车，中老铁路累计发送旅客超4500万人次、货物超5000万吨。"
              "全年接待游客10亿人次，累计增长8%。\n二、2025年工作安排\n提高城乡居民收入。\n")
    library = library_of("报告.txt", report)
    assert library.ask("中老铁路2024年当年发送旅客多少万人次").answer is None
    # "去年一年" asks one year too; the total may come many characters after 累计
    report2 = report.replace("全年接待游客10亿人次，累计增长8%。", "累计完成红树林营造修复5648公顷。")
    assert library_of("报告.txt", report2).ask("去年一年新增红树林营造修复多少亩？").answer is None
    answer = library.ask("中老铁路累计发送旅客多少万人次").answer
    assert answer is not None and "4500万人次" in answer.highlight
    answer = library.ask("2024年全年接待游客多少人次").answer
    assert answer is not None and "10亿人次" in answer.highlight


def test_a_masked_figure_is_no_answer_to_a_question_asking_the_figure_itself():
    """Scraped speeches publish figures as "X": "xx区2021年生产总值具体是多少亿" asks the figure itself
    and "全年实现生产总值 X 亿元" does not give it; asked plainly, the masked sentence is the answer
    (the seed's questions quote "全年多渠道融资 X 余亿元"), and a figure given answers either way."""
    speech = ("xx区经济工作会议讲话\n一、2021 年工作回顾\n"
              "2021 年,xx 区全年实现生产总值 X 亿元;实现财政总收入 X 亿元,增长 X%。"
              "全年多渠道融资 12 亿元,建设资金矛盾得到化解。\n二、2022 年的重点工作\n"
              "三大主题公园 X 月底前全部建成。\n")
    library = library_of("讲话.txt", speech)
    assert library.ask("xx区2021年生产总值具体是多少亿").answer is None
    assert library.ask("xx区2021年GDP到底是多少亿？").answer is None
    answer = library.ask("xx区2021年生产总值是多少亿").answer
    assert answer is not None and "生产总值 X 亿元" in answer.highlight
    answer = library.ask("全年多渠道融资具体是多少亿").answer
    assert answer is not None and "12 亿元" in answer.highlight


def test_a_figure_asked_of_what_the_question_restates_must_be_said_of():
    """"湖北报告提到李德仁院士获国家最高科学技术奖，奖金是多少" restates the report and asks what it
    does not say (奖金): the passage matched the restatement. Asked of what the passage does say,
    or with a first clause that asks too, it answers."""
    report = ("2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "李德仁院士获国家最高科学技术奖，全省研发投入增长12%。"
              "“胖东来”频频出圈，全省接待游客突破10亿人次。\n二、2025年重点任务\n"
              "设立科技创新基金，规模100亿元。\n")
    library = library_of("报告.txt", report)
    assert library.ask("湖北报告提到李德仁院士获国家最高科学技术奖，奖金是多少").answer is None
    assert library.ask("河南报告说胖东来出圈了，那胖东来去年营业额到底多少？").answer is None
    answer = library.ask("湖北报告提到李德仁院士获国家最高科学技术奖，研发投入增长多少").answer
    assert answer is not None and "12%" in answer.highlight
    answer = library.ask("要设立科技创新基金，规模多少").answer
    assert answer is not None and "100亿元" in answer.highlight


def test_a_person_asked_of_what_the_question_restates_must_be_said_of():
    """"1981年报告提到女排第一次夺得世界冠军，主教练是谁": the report names the title, not the coach;
    a person the passage does say (牵头 by whom) is answered. 名字 is not asked so: "用的什么名字"
    is answered by a 化名 (CMRC)."""
    report = ("1981年政府工作报告\n各位代表：\n一、当前的经济形势\n"
              "我国女排第一次夺得世界冠军，全国人民受到鼓舞。科技攻关由国家科委牵头组织。\n"
              "二、今后的方针\n县委王书记作了重要讲话。\n")
    library = library_of("1981年报告.txt", report)
    assert library.ask("1981年报告提到女排第一次夺得世界冠军，主教练是谁？").answer is None
    assert library.ask("讲话里提到的王书记，全名叫什么？").answer is None
    assert library.ask("报告说女排第一次夺得世界冠军，原因是啥").answer is None
    answer = library.ask("报告说要搞科技攻关，由谁牵头？").answer
    assert answer is not None and "国家科委牵头" in answer.highlight


def test_a_rank_asked_must_be_said():
    """"哪个旗县区排第一" asks a rank: the notice's "考评对象：各旗县区人民政府" gives none; "增速全国
    第3" does. A part counted ("排第一个的是啥") asks no rank."""
    notice = ("包头市数字政府建设考评办法\n一、考评对象\n各旗县区人民政府、稀土高新区管委会。\n"
              "二、考评方式\n考评每半年进行一次。\n")
    library = library_of("办法.txt", notice)
    assert library.ask("包头上一年度数字政府考评哪个旗县区排第一？").answer is None
    answer = library.ask("数字政府考评对象有哪些").answer
    assert answer is not None and "各旗县区" in answer.highlight
    report = ("2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "地区生产总值增长5.8％、增速全国第3，总量达到60013亿元。\n")
    answer = library_of("报告.txt", report).ask("湖北去年经济增速多少，在全国排第几？").answer
    assert answer is not None and "增速全国第3" in answer.highlight


def test_a_company_asked_is_not_answered_by_a_hospital_named_as_a_project():
    """"北医大制药那个项目是哪家企业投资建的": the review lists projects, one of them "xx医院(儿童医院)",
    and names no company; once it says who invested ("由华润医药集团投资建设"), it answers."""
    speech = ("xx区2022年经济工作会上讲话\n同志们:\n一、2021 年工作回顾\n二是项目建设快速推进。\n"
              "国土大厦、xx医院(儿童医院)、公安大厦、北医大制药等一大批重点项目建设速度加快;\n"
              "二、2022 年的重点工作\n全力推进招商引资。\n")
    assert_answered_once_said("讲话.txt", speech, "北医大制药那个项目是哪家企业投资建的？",
                              ("北医大制药等", "北医大制药(由华润医药集团投资建设)等"), "华润医药集团")


def test_a_list_named_by_what_the_question_quotes_needs_less_of_the_rest_of_it():
    """"县长讲话“八个增长”里跟收入有关的几项分别是多少" quotes the list's name; the county speech's
    passage saying "实现了“八个增长”" and listing them answers, though 县长, 讲话, 跟, 有关 are not in
    it. Without the quotation marks, too little of the question is in the passage."""
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    path = corpus / "speech_county_economic_work_conference_excerpt.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    library = library_of(path.name, path.read_text(encoding="utf-8"))
    answer = library.ask("县长讲话“八个增长”里跟收入有关的几项分别是多少？").answer
    assert answer is not None and "农民人均纯收入2333元" in answer.text
    assert library.ask("县长讲话八个增长里跟收入有关的几项分别是多少？").answer is None


def test_which_province_is_answered_by_the_provinces_own_report():
    """"有197项高频事项实现“免证可办”的是哪个省" is answered by Henan's report, whose passage names
    no place: the document's place is the answer. A city asked is not answered by a province's."""
    report = ("2025年河南省政府工作报告\n各位代表：\n一、2024 年工作回顾\n（五）改革开放深化拓展。\n"
              "数字政府加快建设，17项“高效办成一件事”上线运行，197项高频事项“免证可办”。\n"
              "二、2025年工作总体要求\n今年要稳中求进。\n")
    library = library_of("2025年河南省政府工作报告.txt", report)
    answer = library.ask("有197项高频事项实现“免证可办”的是哪个省？").answer
    assert answer is not None and "免证可办" in answer.highlight
    assert library.ask("有197项高频事项实现“免证可办”的是哪个市？").answer is None


def test_two_questions_in_one_message_are_answered_by_a_passage_answering_both():
    """"三年里城镇安排了多少人就业？国家为此增支减收一共多少钱？" is answered by the 1981 report's
    passage giving both figures in two sentences, though neither sentence holds enough of both; asked
    as one question without the first question mark, it is not."""
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    path = corpus / "gov_report_1981_national.txt"
    if not path.exists():
        pytest.skip(f"{path} not available")
    library = library_of(path.name, path.read_text(encoding="utf-8"))
    answer = library.ask("三年里城镇安排了多少人就业？国家为此增支减收一共多少钱？").answer
    assert answer is not None and "两千多万人就业" in answer.text and "四百零五亿元" in answer.text
    assert library.ask("三年里城镇安排了多少人就业，国家为此增支减收一共多少钱？").answer is None


def test_keywords_set_apart_by_spaces_ask_as_many_things_as_clauses_do():
    """"藏 今年 新建改造高标准农田 多少亩 培育新型农牧业经营主体 几家" asks two figures, in two
    sentences of the passage, as "…多少亩，…几家" does: each unit's figure is looked for in the passage."""
    report = ("2025年西藏自治区政府工作报告\n各位代表：\n二、2025年工作安排\n(五)统筹推进城乡融合发展。\n"
              "新建和改造高标准农田20万亩。培育新型农牧业经营主体500家以上。\n(六)加快改革开放。\n"
              "深化重点领域改革。\n")
    library = library_of("2025年西藏自治区政府工作报告.txt", report)
    for question in ("藏 今年 新建改造高标准农田 多少亩 培育新型农牧业经营主体 几家",
                     "藏今年新建改造高标准农田多少亩，培育新型农牧业经营主体几家"):
        answer = library.ask(question).answer
        assert answer is not None and "500家" in answer.text, question


def test_which_organization_place_or_official_asked_must_be_named_in_an_official_document():
    """An official document names organizations, places and officials in full: a passage naming
    none of the kind asked ("哪家公司", "哪个城市", "哪位省领导") does not say which. An encyclopedia
    entry need not (CMRC: "JR东日本" is a company), and is not held to it."""
    speech = ("xx区2022年经济工作会上讲话\n同志们:\n一、2021 年工作回顾\n"
              "建成政务云平台，全区部门全部上云。新上任的代市长徐启方同志带队来区里调研。"
              "12345热线升级，牵头单位：区政府办公室。\n"
              "二、2022 年的重点工作\n全力筹办第十届运动会，在杭州举办分赛区。"
              "第三届大湾区全球招商大会达成投资项目1933个。\n"
              "时隔12年再夺奥运会金牌，全国运动会成绩居第1位。\n"
              "三、考评方式\n第三方评估：委托第三方机构对全区数字政府建设工作开展评估，以评促改。\n")
    library = library_of("讲话.txt", speech)
    assert library.ask("政务云平台是哪家公司承建的").answer is None
    assert library.ask("政务云平台是跟哪所高校合作建的").answer is None  # a school: none named
    named = library_of("讲话.txt", speech.replace("全区部门全部上云。", "全区部门全部上云，与浙江大学合作。"))
    answer = named.ask("政务云平台是跟哪所高校合作建的").answer
    assert answer is not None and "浙江大学" in answer.highlight
    assert library.ask("人才行动是哪位省领导牵头调研").answer is None
    assert library.ask("时隔12年再夺奥运会金牌的是哪位运动员？").answer is None  # 运动员, not 运动
    assert library.ask("数字政府考评委托的第三方评估机构是哪家公司？").answer is None  # its words again
    assert library.ask("政务云平台分别是哪两家企业承建的").answer is None
    assert library.ask("考评办法有没有说委托的第三方评估机构是哪一家？").answer is None
    assert library.ask("第三届大湾区全球招商大会是在哪座城市开的？").answer is None  # its own place
    for question, said in (("12345热线升级哪个单位牵头", "区政府办公室"),
                           ("哪位代市长带队来区里调研", "代市长徐启方"),
                           ("第十届运动会分赛区在哪个城市举办", "在杭州举办"),
                           ("第十届运动会分赛区在哪座城市办", "在杭州举办")):
        answer = library.ask(question).answer
        assert answer is not None and said in answer.highlight, question
    entry = "武藏浦和站\n武藏浦和站是一个位于埼玉县埼玉市南区的铁路车站，由JR东日本经营。\n"
    answer = library_of("武藏浦和站.txt", entry).ask("武藏浦和站由什么公司经营？").answer
    assert answer is not None and "JR东日本" in answer.highlight


def test_a_figure_asked_within_a_part_is_found_in_its_passage_not_at_the_parts_opening():
    """"第二部分“十四五”主要目标里，森林覆盖率要达到多少" asks the sentence of part 二 saying 森林覆盖率,
    a passage below the part's opening; "第二部分讲的啥" still gets the opening."""
    filler = "坚持稳中求进工作总基调，统筹发展和安全，推动高质量发展取得新成效。" * 14
    report = ("2021年政府工作报告\n各位代表：\n一、2020年工作回顾\n过去一年，经济增长2.3%。\n"
              "二、“十三五”时期发展成就和“十四五”时期主要目标任务\n过去五年，国内生产总值增加到100万亿元，"
              "生态环境明显改善。“十四五”时期主要目标要达到新水平。" + filler + "\n"
              "——提高经济发展质量。国内生产总值年均增长保持在合理区间。" + filler + "\n"
              "——推动绿色发展。构建自然保护地体系，森林覆盖率达到24.1%。" + filler + "\n"
              "三、2021年重点工作\n今年发展主要预期目标是：国内生产总值增长6%以上。\n")
    library = library_of("2021.txt", report)
    answer = library.ask("第二部分“十四五”主要目标里，森林覆盖率要达到多少？").answer
    assert answer is not None and "24.1%" in answer.highlight
    answer = library.ask("第二部分讲的啥").answer
    assert answer is not None and answer.highlight.startswith("二、")


def test_what_is_asked_of_an_item_pointed_at_is_highlighted_not_its_heading():
    """"三、里面第六条抓春季农业生产，要持续防控哪些动物疫病" asks of the sixth item what one of its
    sentences says; "第三部分第六条是啥" asks the item itself: its heading."""
    speech = ("在部署会议上的讲话\n同志们：\n一、关于疫情形势\n疫情形势总体向好。\n"
              "三、关于统筹推进经济社会发展工作\n第一，落实分区分级精准复工复产。要尽快复工。\n"
              "第二，加大宏观政策调节力度。积极的财政政策要更加积极有为。\n"
              "第三，全面强化稳就业举措。要减负、稳岗、扩就业并举。\n"
              "第四，坚决完成脱贫攻坚任务。要加大攻坚力度。\n"
              "第五，推动企业复工复产。要落实分区分级精准防控。\n"
              "第六，不失时机抓好春季农业生产。现在，春耕备耕已从南到北陆续展开。"
              "要持续加强非洲猪瘟、高致病性禽流感等重大动物疫病防控，促进畜牧水产养殖业全面发展。\n")
    library = library_of("讲话.txt", speech)
    answer = library.ask("部署会讲话三、里面第六条抓春季农业生产，要持续防控哪些动物疫病？").answer
    assert answer is not None and "非洲猪瘟" in answer.highlight
    answer = library.ask("部署会讲话第三部分第六条是啥").answer
    assert answer is not None and answer.highlight.startswith("第六，不失时机抓好春季农业生产")


def test_what_is_asked_after_restating_an_items_heading_is_highlighted():
    """"民生实事第1条医疗卫生方面，AED要配到什么程度": the question restates the item's heading
    ("1.医疗卫生方面。") and asks what its sentence "配置AED达每10万人45台" says; "第1条的标题是啥"
    restates none of it and asks the heading."""
    report = ("2025年政府工作报告\n各位代表：\n二、2025年重点工作\n"
              "今年继续办好十方面民生实事。\n1.医疗卫生方面。为全省重点人群免费开展结直肠癌筛查。"
              "为全省60岁以上老年人免费接种流感疫苗。配置AED达每10万人45台。\n"
              "2.养老服务方面。新增认知障碍照护床位5000张。\n")
    library = library_of("报告.txt", report)
    answer = library.ask("十方面民生实事第1条医疗卫生方面，AED要配到什么程度？").answer
    assert answer is not None and answer.highlight.startswith("配置AED")
    answer = library.ask("十方面民生实事第1条的标题是啥").answer
    assert answer is not None and answer.highlight.startswith("1.医疗卫生方面")


def test_a_position_counts_the_dash_bullets_of_a_part_without_numbered_items():
    """The 2021 report lists its "十四五" goals as nine paragraphs opening with ——, under 二、 and
    over several passages: "第二部分…那九条里的倒数第三条" is the seventh, "第二部分第一条" the first."""
    goals = ["着力提升发展质量效益，保持经济持续健康发展", "坚持创新驱动发展，加快发展现代产业体系",
             "形成强大国内市场，构建新发展格局", "全面推进乡村振兴，完善新型城镇化战略",
             "优化区域经济布局，促进区域协调发展", "全面深化改革开放，持续增强发展动力和活力",
             "推动绿色发展，促进人与自然和谐共生", "持续增进民生福祉，扎实推动共同富裕",
             "统筹发展和安全，建设更高水平的平安中国"]
    body = "".join(f"——{goal}。" + "围绕这一目标深化改革，落实各项举措。" * 12 + "\n" for goal in goals)
    report = ("2021年政府工作报告\n各位代表：\n一、2020年工作回顾\n经济稳定恢复。\n"
              "二、“十四五”时期主要目标任务\n“十四五”时期经济社会发展主要目标是：\n" + body
              + "三、2021年重点工作\n（一）保持宏观政策连续性。\n（二）深入推进重点领域改革。\n")
    library = library_of("2021年报告.txt", report)
    assert len({p.text for p in library.ask("第二部分主要目标", top_k=12).passages if "——" in p.text}) > 1
    answer = library.ask("2021年政府工作报告第二部分主要目标那九条里的倒数第三条是啥").answer
    assert answer is not None and answer.highlight == "——推动绿色发展，促进人与自然和谐共生。"
    answer = library.ask("第二部分九条目标里第一条是啥").answer
    assert answer is not None and answer.highlight.startswith("——着力提升发展质量效益")


def test_the_day_a_notice_was_issued_is_its_date_line():
    """"包府办发〔2022〕43号这个考评办法是哪天印发的": the notice is signed "2022年4月14日" on a line of
    its own, under the paragraph the question's words find (it cites another 包府办发 notice); that
    line is marked."""
    notice = ("包头市人民政府办公室关于印发《包头市2022年数字政府建设考评办法》的通知\n包府办发〔2022〕43号\n"
              "各旗、县、区人民政府：\n按照市政府2022年第4次常务会议和《包头市人民政府办公室关于印发包头市"
              "数字政府建设行动方案（2021—2023年）的通知》（包府办发〔2022〕10号）要求，经市人民政府同意，"
              "将《包头市2022年数字政府建设考评办法》印发给你们，请认真抓好落实。\n2022年4月14日\n"
              "一、考评对象\n各旗县区人民政府。\n二、考评方式\n考评采取日常监测、年度考评相结合的方式。\n")
    library = library_of("通知.txt", notice)
    answer = library.ask("包府办发〔2022〕43号这个考评办法是哪天印发的").answer
    assert answer is not None and answer.highlight == "2022年4月14日"


def test_what_a_restating_question_asks_must_be_in_a_sentence_without_a_figure():
    """A sentence without a figure answers a quantity only by holding nearly all of the question:
    "…设立金融稳定保障基金，发挥存款保险制度…的作用" holds all the restatement of "2022年报告说要设立
    金融稳定保障基金，基金规模是多少", and the 规模 of its passage is the budget's ("支出规模")."""
    report = ("2022年政府工作报告\n各位代表：\n三、2022年政府工作任务\n（一）稳定宏观经济大盘\n"
              "保持经济运行在合理区间。今年赤字率拟按2.8%左右安排，支出规模比去年扩大2万亿元以上。"
              "加强风险预警、防控机制和能力建设，设立金融稳定保障基金，发挥存款保险制度和行业保障基金的作用。\n"
              "（二）保障和改善民生\n提高城乡居民收入。\n")
    library = library_of("2022年报告.txt", report)
    assert library.ask("2022年报告说要设立金融稳定保障基金，基金规模是多少？").answer is None
    answer = library.ask("2022年报告说要扩大支出，支出规模是多少？").answer
    assert answer is not None and "2万亿元" in answer.highlight


def test_put_to_use_is_asked_as_yunyong_and_written_as_yingyong():
    """"考评结果怎么运用，报给谁": the notice heads it "四、考评结果应用" (related_terms.txt: 运用 应用)."""
    notice = ("包头市数字政府建设考评办法\n一、考评方式\n考评每半年进行一次，考评结果按百分制计分。\n"
              "二、考评结果应用\n考评结果全市通报并上报市委、市政府、市纪委监委。\n")
    answer = library_of("办法.txt", notice).ask("包头数字政府考评结果怎么运用，报给谁？").answer
    assert answer is not None and "上报市委" in answer.highlight


def test_a_whole_years_figure_is_asked_as_quanian_and_written_as_niandu():
    """"全年的考评分怎么算出来": the notice writes the year's score as 年度考评分值 (related_terms.txt:
    全年 年度), not the half-year's formula that shares 考评 and 分."""
    notice = ("包头市数字政府建设考评办法\n一、考评方式\n考评每半年进行一次。"
              "半年考评分值=日常监测（60%）+实地调研（20%）+民意调查（20%）。\n二、考评结果\n"
              "年度考评分值=（上半年考评分值+下半年考评分值）÷2。考评结果报市委、市政府。\n")
    answer = library_of("办法.txt", notice).ask("全年的考评分怎么算出来").answer
    assert answer is not None and "年度考评分值" in answer.highlight


def test_a_target_asked_is_answered_by_the_plan_when_last_years_result_ranks_first():
    """"西藏 粮食 目标": the review's "粮食产量突破110万吨" says 粮食产量 and ranks first; it is last
    year's result, and the plan's "确保粮食产量稳定在100万吨以上" answers. Asked for the result, the
    review answers."""
    report = ("2025年西藏自治区政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "打好农牧业提质增效攻坚战，粮食产量突破110万吨，粮食播种面积稳定在280万亩，第一产业增加值增长"
              "10%以上。全面完成年度目标任务，地区生产总值增长6.3%。\n二、2025年工作安排\n"
              "今年经济社会发展的主要预期目标是：地区生产总值增长7%左右，城镇调查失业率5.5%以内。\n"
              "坚持稳粮、兴牧、强特色，确保粮食产量稳定在100万吨以上。\n三、加强政府自身建设\n锚定目标任务，狠抓工作落实。\n")
    library = library_of("西藏报告.txt", report)
    answer = library.ask("西藏 粮食 目标").answer
    assert answer is not None and "确保粮食产量" in answer.highlight
    answer = library.ask("西藏去年粮食产量多少").answer
    assert answer is not None and "110万吨" in answer.highlight


def test_a_zones_figure_must_be_given_of_the_zone(seed_library):
    """"傅家河产业片区规划面积有多大": the seed names the zone (片区, places.txt facility_suffixes) in a
    passage about attracting investment, whose area figure is the district core zone's ("xx 区核心区
    X 平方公里"), not the zone's."""
    assert seed_library.ask("傅家河产业片区规划面积有多大").answer is None
    answer = seed_library.ask("xx区核心区开发建设了多少平方公里").answer
    assert answer is not None and "平方公里" in answer.highlight


@pytest.mark.parametrize(("first", "second", "question", "together"), [
    ("国防", "预算", "2022年国防费预算比上年增长多少", True),  # within 国防费
    ("旅游", "收入", "今年旅游总收入目标是多少", True),  # within 总收入
    ("贫困户", "因病", "建档立卡贫困户里因病、因残致贫的占比", False),  # 里 between them
])
def test_words_written_together_within_the_words_a_question_is_cut_into(first, second, question, together):
    from retrieval.declines import _written_together
    from retrieval.question import parse_question

    terms = parse_question(question).own_terms
    assert _written_together(first, second, terms, question) is together


def test_a_variant_of_the_word_asked_is_no_other_thing_of_its_kind(corpus_library):
    """"浙江给多大年纪的老人免费打流感疫苗": "为全省60岁以上老年人免费接种流感疫苗" ends 老年人 as 老人
    does, and shares its 老: the same thing, not another of the kind. Asked of the corpus's documents."""
    answer = corpus_library.ask("浙江给多大年纪的老人免费打流感疫苗？").answer
    assert answer is not None and "60岁以上老年人" in answer.highlight


def test_a_count_the_question_states_asks_for_its_items_and_a_list_in_another_clause_is_not_them():
    """"55项民生实事具体是哪55项": "实施10大类55项民生实事，涵盖就业、教育…等领域" lists fields in
    another clause, not the 55; "50个养老服务中心分别布局在哪几个区" states the count and asks which.
    Items in the count's own clause ("…、…等20个未来产业") or announced by a colon answer; counts of
    other kinds after it ("博士点57个、硕士点106个") do not."""
    from retrieval.answer_types import count_asked, count_unlisted

    assert count_asked("50个养老服务中心分别布局在哪几个区") == ("50个", "五十个")
    assert count_asked("55项民生实事中教育类具体有哪几项")[0] == "55项"
    assert count_asked("新建50个养老服务中心") == ()  # states a count, asks no items
    assert not count_unlisted("重点培育人形机器人、商业航天、生物制造等20个未来产业", "", ("20个",))
    assert not count_unlisted("“八个增长”:国内生产总值19.5亿元,增长15.6%;", "", ("八个", "8个"))
    # the list before the count is of who built the four towns, not of the towns
    assert count_unlisted("广州、深圳援助梅州建设4个小镇，受灾群众春节前将入住新居。", "", ("4个", "四个"))
    # the list after the count, far from it, is of what else was done
    assert count_unlisted("过境免签扩展到9个州(市)并延长至240小时、入境游客增长50%。", "", ("9个", "九个"))
    assert not count_unlisted("有三个众所周知的显微镜学分支:光学,电子,和扫描探针显微镜。", "", ("三个",))
    # items in clauses on are of something else; before the count, or after its last mention, its own
    assert count_unlisted("加强分类指导,严守“四道防线”,步步推进、层层深入,形成了全面动员、全面部署、"
                          "全面加强疫情防控的战略格局。", "", ("四道", "4道"))
    assert not count_unlisted("其中丛林、战俘营和机场为通关必须,即最少可以只打这三关。", "", ("三关", "3关"))
    assert not count_unlisted("需要有三师七证在场,其中的三师,指的是「出家阿阇梨」、「羯磨阿阇梨」、"
                              "「教授阿阇梨」。", "", ("三师", "3师"))
    assert not count_unlisted("推进“三区”、产业集聚区、现代城市新区、城乡统筹示范区建设", "", ("三区",))
    # a count followed by counts of other things lists none of its items; one after its listed items does
    assert count_unlisted("7所高等院校获批设置，新增博士点57个、硕士点106个，建设11家中心。", "",
                          ("57个", "五十七个"))
    assert not count_unlisted("新增浙东工业母机、长三角大飞机等国家先进制造业集群4个、总数达到8个。", "",
                              ("4个", "四个"))
    assert count_asked("今年要治理的15处积水点具体在哪些路口")[0] == "15处"
    report = ("2025年湖北省政府工作报告\n各位代表：\n一、2025年重点工作\n"
              "今年继续实施10大类55项民生实事，涵盖就业、教育、医疗、养老、育幼、安居、出行等领域。"
              "在“老老人”数量较多的区域新建50个养老服务中心，优化养老助餐点布局。\n"
              "二、产业\n重点培育人形机器人、商业航天、生物制造等20个未来产业。\n")
    library = library_of("湖北.txt", report)
    assert library.ask("湖北今年10大类55项民生实事具体是哪55项？").answer is None
    assert library.ask("新建的50个养老服务中心，分别布局在哪几个区？").answer is None
    assert library.ask("今年民生实事涵盖哪些领域").answer is not None
    assert library.ask("重点培育的20个未来产业都有哪些").answer is not None


def test_a_terse_document_reference_set_apart_by_a_space_weighs_as_a_reference():
    """"某市数字政府建设考评 多久考评一次": the first piece names the notice, whose every sentence
    says 数字政府建设; the answer is the sentence that says how often, "每半年考评一次"."""
    from retrieval.question import parse_question

    assert parse_question("西藏 粮食 目标").leading == (True, False, False)
    assert not any(parse_question("2022年报告 赤字率").leading[:1])  # a year is no reference: it picks a part
    notice = ("某市2022年数字政府建设考评办法\n一、考评方式\n"
              "（一）考评以日常监测、实地调研等方式进行。每半年考评一次。\n"
              "日常监测：根据全市数字政府建设重点任务，监测考评对象推进数字政府建设的落实情况。\n"
              "二、考评结果\n考评结果在全市数字政府建设工作会议上通报。\n")
    library = library_of("某市考评办法.txt", notice)
    answer = library.ask("某市数字政府建设考评 多久考评一次").answer
    assert answer is not None and answer.highlight == "每半年考评一次。"


def test_a_province_no_document_is_of_is_not_answered_by_another_provinces_report():
    """"上海市2025年政府工作报告 GDP增长目标多少" with only Beijing's report loaded: its target is
    not Shanghai's. A province whose report is loaded names it (and its text says 全市)."""
    beijing = ("2025年北京市政府工作报告\n各位代表：\n一、2025年主要预期目标\n"
               "今年经济社会发展主要预期目标是：地区生产总值增长5%左右。\n")
    library = library_of("北京.txt", beijing)
    assert library.ask("上海市2025年政府工作报告 GDP增长目标多少").answer is None
    assert library.ask("北京市2025年政府工作报告 GDP增长目标多少").answer is not None
    assert library.ask("2025年GDP增长目标多少").answer is not None


def test_a_province_names_its_report_though_another_document_speaks_of_it_throughout():
    """"湖北2025年一般公共预算收入增长目标是多少": Hubei's report gives no such target and Beijing's
    does, which is no answer. 湖北 names Hubei's report fully, though the epidemic speech says 湖北
    in most of its passages (a word many passages use names a document only in part)."""
    beijing = ("2025年北京市政府工作报告\n各位代表：\n一、2025年主要预期目标\n"
               "今年主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右。\n")
    hubei = ("2025年湖北省政府工作报告\n各位代表：\n一、2025年主要预期目标\n"
             "今年主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业70万人以上。\n")
    speech = "在统筹推进疫情防控和经济社会发展工作部署会议上的讲话\n" + "".join(
        f"{number}、第{number}项工作\n湖北是疫情防控的主战场，第{number}批医疗队驰援湖北，做好湖北的救治工作。\n"
        for number in "一二三四五六七八")
    library = Library((build_document("北京.txt", beijing), build_document("湖北.txt", hubei),
                       build_document("讲话.txt", speech)))
    assert library.ask("湖北2025年一般公共预算收入增长目标是多少").answer is None
    answer = library.ask("北京2025年一般公共预算收入增长目标是多少").answer
    assert answer is not None and answer.doc == "北京.txt"
    answer = library.ask("湖北2025年城镇新增就业目标是多少").answer
    assert answer is not None and answer.doc == "湖北.txt"


def test_a_prefecture_level_city_named_bare_is_a_city():
    """"昆明地铁6号线什么时候通车" is not answered by Beijing's 6号线, with or without the Yunnan
    report that speaks of 昆明市; a bare word that is no city's name (地铁) is no place."""
    beijing = ("2025年北京市政府工作报告\n各位代表：\n一、重点任务\n"
               "年底前开通地铁17号线全线和6号线南延，新增运营里程60公里。\n")
    yunnan = ("2025年云南省政府工作报告\n各位代表：\n一、重点任务\n"
              "支持昆明市建设区域性国际中心城市，推进滇中城市群一体化发展。\n")
    library = Library((build_document("北京.txt", beijing), build_document("云南.txt", yunnan)))
    assert library.ask("地铁6号线什么时候通车").answer is not None
    assert library.ask("昆明地铁6号线什么时候通车").answer is None
    assert library.ask("昆明要建设什么中心城市").answer is not None  # the passage names 昆明市
    assert library_of("北京.txt", beijing).ask("昆明地铁6号线什么时候通车").answer is None


def test_a_citys_figure_is_in_the_clause_naming_it_unless_it_names_a_thing_the_passage_names():
    """"湖北省报告里武汉去年GDP是多少", with no document writing 武汉市, is not answered by the
    province's passage naming 武汉 in a clause without its figure; "鄂州花湖机场" and "中欧班列
    （郑州）" name things whose figures are theirs, a clause after their names; 贫困 (of 贫困县) is
    no place."""
    hubei = ("2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
             "过去一年，我们攻坚克难。全省地区生产总值增长5.8%，武汉在副省级城市中增速靠前，襄阳、宜昌经济总量突破6000亿元。"
             "鄂州花湖机场开通国际国内货线91条，货邮吞吐量达到128万吨。"
             "高质量建设中欧班列（郑州）集结中心，开行班列4000班次。"
             "全省农村贫困人口大幅减少，由2012年底的200万人减少到2017年底的60万人，20个贫困县摘帽。\n")
    library = library_of("湖北.txt", hubei)
    assert library.ask("湖北省报告里武汉去年GDP是多少").answer is None
    assert library.ask("鄂州花湖机场去年货邮吞吐量多少万吨").answer is not None
    assert library.ask("中欧班列（郑州）开行了多少班次").answer is not None
    assert library.ask("农村贫困群众减少到了多少万人").answer is not None


def test_a_place_within_a_things_name_needs_the_things_figure_in_its_sentence(corpus_library):
    """"广州新机场总投资多少亿元": Guangdong's report names 广州新机场 (开工建设…) in a sentence with no
    figure of it, and gives other projects' figures elsewhere in the passage."""
    from retrieval.document import load_document

    guangdong = Library((load_document(CORPUS / "2025年广东省政府工作报告.docx"),))
    assert guangdong.ask("广东今年开工建设的广州新机场总投资多少亿元？").answer is None
    assert corpus_library.ask("广东今年开工建设的广州新机场总投资多少亿元？").answer is None


def test_a_municipality_named_bare_is_a_city_another_reports_targets_do_not_answer(corpus_library):
    """"北京2025年全社会固定资产投资增长目标是多少？": Beijing's report gives none; Tibet's does, and is
    no answer (北京, like 北京市, is a city the answer's passage must name)."""
    assert corpus_library.ask("北京2025年全社会固定资产投资增长目标是多少？").answer is None
    answer = corpus_library.ask("西藏2025年全社会固定资产投资增长目标是多少？").answer
    assert answer is not None and answer.doc == "gov_report_2025_xizang.txt"


def test_a_quantity_asked_in_a_unit_the_passage_has_no_figure_in_is_not_answered():
    """"定日地震遇难多少人": the report tells of the earthquake and the rebuilding, and gives no
    count of people; the same passage answers how many homes were rebuilt, which it gives in 户.
    (A passage that gave any count in 人, of those moved say, would pass: the unit is checked,
    not what is counted.)"""
    report = ("2025年西藏自治区政府工作报告\n各位代表：\n一、2024年工作回顾\n"
              "今年1月7日，日喀则定日县发生6.8级地震，我们第一时间开展抢险救灾，"
              "妥善安置受灾群众，恢复重建农房1.2万户。\n")
    library = library_of("西藏.txt", report)
    assert library.ask("定日地震后恢复重建农房多少户").answer is not None
    assert library.ask("定日地震是几级").answer is not None  # 级 counts anything: not checked
    assert library.ask("定日地震遇难多少人").answer is None
    assert library.ask("定日地震后重建农房花了多少钱").answer is None


def test_a_rate_asked_is_answered_by_a_share_not_a_count():
    """"高校毕业生就业率目标是多少": the report counts the graduates (1000万人) and gives no rate;
    "参保率提高到多少" is answered by 95%. 频率 is no share."""
    from retrieval.answer_types import asked_unit

    assert asked_unit("青年失业率目标控制在多少") == asked_unit("本科录取率是多少") != ""
    assert asked_unit("考评频率是多少") == ""
    report = ("2022年政府工作报告\n各位代表：\n一、就业\n"
              "今年高校毕业生超过1000万人，要加强就业创业指导、政策支持和不断线服务。\n"
              "二、社会保障\n健全多层次社会保障体系，基本养老保险参保率提高到95%。\n")
    library = library_of("2022.txt", report)
    assert library.ask("2022年报告定的高校毕业生就业率目标是多少").answer is None
    assert library.ask("今年高校毕业生有多少人").answer is not None
    answer = library.ask("基本养老保险参保率提高到多少").answer
    assert answer is not None and "95%" in answer.highlight


def test_one_figure_asked_in_a_unit_is_in_the_answers_sentence():
    """"中央财政专项扶贫资金一年是多少亿": the sentence naming the fund gives its growth (22.7%), and
    another sentence of the passage a figure in 亿 of something else. A question asking two things
    (in two clauses) finds them in different sentences; a foreign currency is money; a rate may be
    a bare number."""
    from retrieval.answer_types import asked_unit, asks_one_thing, has_figure_in

    assert asks_one_thing("专项扶贫资金一年是多少亿")
    assert not asks_one_thing("经营主体有多少户,进出口总额多少")
    assert not asks_one_thing("项目总投资多少、啥时候投产")
    assert asks_one_thing("全运会计划哪年在哪座城市举办")  # two question words, one thing asked of
    assert has_figure_in("斥资77亿美元收购", asked_unit("斥资多少钱"))
    assert has_figure_in("首集收视率为7.07", asked_unit("收视率是多少"))
    speech = ("在打好精准脱贫攻坚战座谈会上的讲话\n一、脱贫攻坚取得的成就\n"
              "中央财政专项扶贫资金年均增长22.7%，省级财政专项扶贫资金年均增长26.9%。"
              "全国农村贫困人口累计减少6853万人，易地扶贫搬迁投入资金超过6000亿元。\n")
    library = library_of("讲话.txt", speech)
    assert library.ask("中央财政专项扶贫资金一年是多少亿").answer is None
    assert library.ask("易地扶贫搬迁投入资金多少亿").answer is not None
    assert library.ask("中央财政专项扶贫资金年均增长多少，贫困人口减少多少万人").answer is not None


def test_which_year_or_day_is_answered_only_by_a_sentence_that_says_one():
    """"申办第十六届全国运动会，计划哪一年办": the report says the bid, not its year; "庆祝大会哪天
    开": it says the anniversary, not the day."""
    report = ("2025年湖北省政府工作报告\n各位代表：\n一、2025年重点工作\n"
              "完善全民健身赛事体系，申办第十六届全国运动会。"
              "将2025年作为营商环境提升年，办好第十五届全国运动会分赛区赛事。\n"
              "二、民族团结\n今年是自治区成立60周年，隆重举办庆祝大会。1月22日，果断要求对人员外流实施严格管控。\n")
    library = library_of("湖北.txt", report)
    assert library.ask("申办第十六届全国运动会，计划哪一年办？").answer is None
    # Two question words in one clause ask of one thing: its answer is one sentence, not the passage,
    # whose other sentence says 2025年.
    assert library.ask("湖北申办的第十六届全国运动会计划哪年在哪座城市举办？").answer is None
    assert library.ask("申办第十六届全国运动会要完善什么").answer is not None
    answer = library.ask("哪一年是营商环境提升年").answer
    assert answer is not None and "2025年" in answer.highlight
    assert library.ask("自治区成立60周年庆祝大会哪天开").answer is None
    answer = library.ask("对人员外流实施严格管控是哪天定的").answer
    assert answer is not None and "1月22日" in answer.highlight


def seed_and_reports(places: tuple[str, ...], review: str = "") -> tuple[Index, list[Document]]:
    """The index of the seed speech and each place's reports of 2023–2025 (yearly_report), and those."""
    from pathlib import Path

    from retrieval.document import load_document

    reports = [yearly_report(year, place, review) for year in (2023, 2024, 2025) for place in places]
    data = Path(__file__).resolve().parents[1] / "data"
    return Index((load_document(data / "xx_district_2022_economic_work_speech.txt"), *reports)), reports


def yearly_report(year: int, place: str, review: str = "") -> Document:
    """A province's report of a year: its review of the year before (with `review` added), its targets."""
    return build_document(f"{year}年{place}政府工作报告.txt", f"""{year}年{place}政府工作报告
一、{year - 1}年工作回顾
过去一年，全省经济稳中有进，新增就业{year % 100}万人，粮食产量稳定。{review}
二、{year}年主要目标任务
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业{year % 90}万人以上。
（一）扩大有效需求。实施提振消费专项行动，推进基础配套项目建设。
（二）发展现代化产业体系。培育新兴产业和未来产业，招商引资取得新成效。
""")


def test_the_year_naming_the_document_is_no_word_of_its_answer():
    """"1981年政府工作报告里国防费安排了多少亿" is not answered by the 1981 report's sentence on the
    year's deficit: its １９８１ and 亿 are the only words it shares, and the year only says which
    report it is in. The same report's sentence on the deficit answers a question about the deficit."""
    report = ("1981年国务院政府工作报告\n各位代表：\n（一）当前的经济形势\n"
              "如果不采取有力措施加以解决，１９８１年还会有一百几十亿元的赤字，国家经济将陷入被动。\n"
              "（二）今后的经济建设方针\n要加强农业，发展轻工业，搞好能源的节约和开发。\n")
    library = library_of("1981.txt", report)
    assert library.ask("1981年政府工作报告里国防费安排了多少亿").answer is None
    answer = library.ask("1981年政府工作报告里赤字还会有多少亿？").answer
    assert answer is not None and "赤字" in answer.highlight


def test_a_year_naming_the_report_counts_in_a_passage_asked_of_several_things(corpus_library):
    """A question asking several things ("守住多少亿亩红线、新建多少高标准农田，还要加大哪两类土地的
    保护利用") is answered by its passage, not one sentence: the 2022 report's sentence "新建1亿亩
    高标准农田" holding little of it besides the year naming the report (2022, in its part's heading)
    does not make the passage no answer."""
    answer = corpus_library.ask("22年报告耕地这块：守住多少亿亩红线、新建多少高标准农田，还要加大哪两类"
                                "土地的保护利用？").answer
    assert answer is not None and "黑土地保护" in answer.text and "18亿亩耕地红线" in answer.text


def test_a_year_naming_the_report_is_a_weak_hint_of_its_part():
    """"2022年政府工作报告里说我国经济发展面临哪三重压力" is answered in the 2022 report's review of
    2021, which says so, not by the part on 2022, whose sentence shares 今年 (2022), 我国, 经济,
    发展, 面临, 压力."""
    report = ("2022年政府工作报告\n各位代表：\n一、2021年工作回顾\n过去一年，主要目标任务较好完成。"
              "在肯定成绩的同时，我们也清醒看到面临的问题和挑战。"
              "我国经济发展面临需求收缩、供给冲击、预期转弱三重压力。局部疫情时有发生。\n"
              "二、2022年经济社会发展总体要求和政策取向\n综合研判国内外形势，今年我国经济发展面临的风险挑战"
              "明显增多，压力不小，必须爬坡过坎。2022年发展主要预期目标是：国内生产总值增长5.5%左右。\n")
    library = library_of("2022.txt", report)
    answer = library.ask("2022年政府工作报告里说我国经济发展面临哪三重压力？").answer
    assert answer is not None and "三重压力" in answer.highlight


def test_medals_asked_as_gold_silver_bronze_are_a_quantity_asked():
    """"拿了几金几银几铜" asks how many medals: its 几金, 几银, 几铜 are question words, not words to find
    (no passage says them), and the answer is the sentence giving the count."""
    report = ("2025年广东省政府工作报告\n各位代表：\n一、2024年工作回顾\n七是繁荣发展文化事业。"
              "我省运动员在2024年巴黎奥运会上斩获8金4银4铜、金牌数奖牌数均居全国首位，在残奥会上斩获"
              "12金8银4铜、多次打破世界纪录。\n二、2025年工作安排\n全力办好十五运会和残特奥会。\n")
    library = library_of("广东.txt", report)
    answer = library.ask("广东运动员在巴黎残奥会上拿了几金几银几铜？").answer
    assert answer is not None and "12金8银4铜" in answer.highlight


def test_an_event_named_by_its_day_in_quotes_says_the_day():
    """镇雄“1·22”山体滑坡 happened on 22 January: "那次山体滑坡是哪天的" is answered by the sentence
    naming it, not declined for saying no 日."""
    from retrieval.answer_types import says_time

    assert says_time("稳妥处置镇雄“1·22”山体滑坡灾害", "日")
    assert not says_time("建成1.22万个5g基站", "日")
    report = ("2025年云南省政府工作报告\n各位代表：\n一、2024年工作回顾\n（八）安全底板加固筑牢。"
              "稳妥处置镇雄“1·22”山体滑坡灾害，高效处置15起森林火灾。\n")
    library = library_of("云南.txt", report)
    answer = library.ask("镇雄那次山体滑坡灾害是哪天的？").answer
    assert answer is not None and "1·22" in answer.highlight


def test_which_few_asked_is_answered_only_by_a_sentence_that_lists_them():
    """"首批是哪几家" is not answered by "成功组建首批国家实验室", which names none; "新增的两家5A级景区是
    哪两家" is, by "新增钟祥明显陵、麻城龟峰山2家5A级景区", and "要增强哪几个心" by clauses set apart
    by ；."""
    report = ("2021年政府工作报告\n各位代表：\n一、2020年工作回顾\n五是大力促进科技创新。"
              "建设国际科技创新中心和综合性国家科学中心，成功组建首批国家实验室。\n"
              "六是扩大内需。着力促进文旅消费，新增钟祥明显陵、麻城龟峰山2家5A级景区，旅游收入增长15.2％。\n"
              "七是加强干部队伍建设。领导干部必须增强必胜之心，勇当先锋；必须增强责任之心，主动担当；"
              "必须增强谨慎之心，一抓到底。\n")
    library = library_of("2021.txt", report)
    assert library.ask("2021年报告说成功组建首批国家实验室，首批是哪几家？").answer is None
    answer = library.ask("去年新增的两家5A级景区是哪两家？").answer
    assert answer is not None and "麻城龟峰山" in answer.highlight
    answer = library.ask("领导干部要增强哪几个心").answer
    assert answer is not None and "必胜之心" in answer.text


def test_the_question_s_own_words_joined_list_nothing_it_asks():
    """"北迁的机关和企业总部单位具体有哪几家": "全力做好X余家机关和企业总部单位的北迁服务" joins two
    words of the question with 和 and names no unit; a sentence naming them answers."""
    speech = ("xx区2022年经济工作会议上的讲话\n二、2022年的重点工作\n八要推进城市重心北迁服务配套。在规划、"
              "用地和环境保障上，全力做好X余家机关和企业总部单位的北迁建设各项服务工作。\n"
              "三、切实加强组织领导，确保各项任务落到实处\n加强组织领导。\n")
    question = "xx区今年要北迁的机关和企业总部单位具体有哪几家？"
    assert_answered_once_said("xx区.txt", speech, question, ("X余家机关", "区法院、区税务局等X余家机关"))


def test_a_sentence_whose_only_figures_are_the_question_s_gives_no_figure():
    """"北京今年要建成的2个万卡智算集群…总投资多少" is not answered by "…推动全市5G移动网络深度覆盖，建成
    2个万卡智算集群。": its 2个 is the question's, its 5G a code. A sentence with the investment does."""
    from retrieval.answer_types import without_codes

    assert without_codes("推动全市5g移动网络,g318国道") == "推动全市g移动网络,g国道"
    assert without_codes("文件大小约300mb") == "文件大小约300mb"
    report = ("2025年北京市政府工作报告\n各位代表：\n二、2025年重点任务\n（五）发展新质生产力。"
              "提速建设光网之都、万兆之城，推动全市5G移动网络深度覆盖，建成2个万卡智算集群。\n"
              "（六）扩大有效投资。推进3个重大水利工程，总投资120亿元。\n")
    library = library_of("北京.txt", report)
    assert library.ask("北京今年要建成的2个万卡智算集群分别落在哪个区、总投资多少？").answer is None
    answer = library.ask("北京今年3个重大水利工程总投资多少？").answer
    assert answer is not None and "120亿元" in answer.highlight


def test_a_unit_asked_in_letters_needs_a_figure_in_it():
    """"亿纬动力超级工厂设计产能是多少GWh" is not answered by a sentence that names the factory among
    other projects with no figure in GWh; a sentence giving one does answer."""
    from retrieval.answer_types import asked_unit

    assert asked_unit("设计产能是多少gwh") == "gwh"
    assert asked_unit("新建5g基站多少个") != "g"
    report = ("2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n（一）聚力稳增长。"
              "亿纬动力超级工厂、武汉新型显示面板等3296个重大项目加快建设，完成投资1.5万亿元。\n"
              "（二）聚力新能源。全省新增储能装机规模达到500兆瓦，新建充电桩3万个。\n")
    library = library_of("湖北.txt", report)
    assert library.ask("湖北亿纬动力超级工厂设计产能是多少GWh？").answer is None
    report2 = report.replace("新建充电桩3万个。", "新建充电桩3万个。宁德时代基地设计产能达到60GWh。")
    answer = library_of("湖北.txt", report2).ask("宁德时代基地设计产能是多少GWh？").answer
    assert answer is not None and "60GWh" in answer.highlight


def test_staff_abbreviations_of_indicators_find_their_full_names():
    """"长护险" is 长期护理保险 and "社消零" 社会消费品零售总额 (data/rules/related_terms.txt; 社消零 kept
    whole by the user dictionary, or jieba reads 社消/零增长): last year's figure is in the review,
    which writes the full name."""
    report = ("2025年浙江省政府工作报告\n各位代表：\n一、2024年工作回顾\n（十）大力保障和改善民生。"
              "长期护理保险参保人数4526万人，社会消费品零售总额增长4.5%。\n二、2025年目标任务\n"
              "2.养老帮困方面。持续推进长护险提质扩面，新增参保人数1500万人。\n")
    library = library_of("浙江.txt", report)
    answer = library.ask("浙江长护险参保人数去年达到多少？").answer
    assert answer is not None and "4526万人" in answer.highlight
    answer = library.ask("去年社消零增长了多少？").answer
    assert answer is not None and "4.5%" in answer.highlight


def test_a_rise_asked_as_zhangfu_is_found_as_shangzhang():
    """"2020年 CPI 涨幅" asks the review's "居民消费价格上涨2.5％" (涨幅: related to 上涨, 增幅), not
    next year's target "居民消费价格涨幅3%左右"."""
    report = ("2021年政府工作报告\n各位代表：\n一、2020年工作回顾\n二是优先稳就业保民生。"
              "城镇新增就业1186万人，居民消费价格上涨2.5％。\n三、2021年重点工作\n"
              "今年发展主要预期目标是：城镇新增就业1100万人以上；居民消费价格涨幅3%左右。\n")
    library = library_of("2021.txt", report)
    answer = library.ask("21年报告 2020年 CPI 涨幅").answer
    assert answer is not None and "2.5％" in answer.highlight


def test_each_unit_asked_needs_its_figure():
    """"方舱医院一共建了多少座、有多少张床位" asks a figure in 座 and one in 张: a passage with figures in
    支 and 名 (the medical teams sent) and none in 张 does not answer it; one with both does."""
    speech = ("在部署会议上的讲话\n同志们：\n一、关于前一段疫情防控工作\n二是加强对武汉防疫的统一指挥。"
              "调派330多支医疗队、41600多名医护人员驰援，迅速开设火神山、雷神山等集中收治医院和方舱医院，"
              "千方百计增加床位供给，建成16个方舱医院。\n")
    assert_answered_once_said("讲话.txt", speech, "方舱医院一共建了多少座、有多少张床位？",
                              ("建成16个方舱医院。", "建成16个方舱医院，共1.3万张床位。"), "1.3万张")


def test_a_kind_asked_by_which_one_must_be_said():
    """"湖北选手在世界技能大赛上拿的那块金牌是哪个项目" is not answered by "我省选手在世界技能大赛上获得1金
    1银", which names no 项目; "由哪个部门牵头" is, by a sentence naming the 部门; "哪个地方" asks a place,
    which is named, not called 地方."""
    report = ("2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n（六）聚力惠民生。开展职业技能培训"
              "59.2万人次，我省选手在世界技能大赛上获得1金1银、实现历史性突破。\n二、2025年工作安排\n"
              "智慧城市建设由省数据局等部门牵头推进。\n“622”联农带农模式在恩施州推广。\n")
    library = library_of("湖北.txt", report)
    assert library.ask("湖北选手在世界技能大赛上拿的那块金牌是哪个项目？").answer is None
    answer = library.ask("智慧城市建设由哪个部门牵头？").answer
    assert answer is not None and "省数据局" in answer.highlight
    answer = library.ask("“622”联农带农模式在哪个地方推广？").answer
    assert answer is not None and "恩施州" in answer.highlight


def test_an_amount_of_money_asked_without_a_unit_needs_a_figure_in_yuan():
    """"六横佛渡千万级集装箱泊位群总投资是多少" asks an amount in 元: the sentence that names the berths
    among projects ("3个万吨级码头") gives none; one giving the investment does answer."""
    report = ("2025年浙江省政府工作报告\n各位代表：\n一、2025年主要任务\n（三）建设交通强省。"
              "推进六横佛渡千万级集装箱泊位群、3个万吨级码头建设，新建港口泊位12个。\n"
              "（四）扩大有效投资。全省重大项目完成投资1.2万亿元。\n")
    assert_answered_once_said("浙江.txt", report, "六横佛渡千万级集装箱泊位群总投资是多少",
                              ("3个万吨级码头建设，", "3个万吨级码头建设，泊位群总投资120亿元，"), "120亿元")


def test_a_figure_asked_within_an_item_pointed_at_is_found_further_into_its_section():
    """"十条方针第五条里，第一批先整顿的近三百个企业要用多长时间整顿完": the answer is passages into
    "五、分批进行企业的全面整顿", after its four 一是…四是; the passage opening the item, which holds
    none of it, is no better for opening it."""
    filler = "要坚持实事求是，一切从实际出发，量力而行，讲求实效，反对形式主义和官僚主义。" * 12
    report = ("1981年政府工作报告\n（二）今后经济建设的方针\n四、积极发展对外贸易。\n" + filler + "\n"
              "五、分批进行企业的全面整顿和必要改组\n必须分批地对现有企业进行全面整顿。" + filler + "\n"
              "企业的全面整顿，当前要特别注意做好以下四项工作：\n一是整顿和完善经济责任制。" + filler + "\n"
              "二是整顿劳动组织。" + filler + "\n"
              "企业的整顿工作要点面结合，准备在两三年内分批完成。第一批先选择对国民经济有特别重大意义的"
              "近三百个企业，用半年或者更多一点的时间整顿完毕。" + filler + "\n"
              "六、以提高经济效益为中心。\n" + filler + "\n")
    library = library_of("1981.txt", report)
    answer = library.ask("十条方针第五条里，第一批先整顿的近三百个企业要用多长时间整顿完？").answer
    assert answer is not None and "用半年或者更多一点的时间" in answer.highlight


def test_who_holds_a_role_is_answered_only_by_a_sentence_saying_the_role():
    """"女子排球队第一次夺得世界冠军，当时主教练是谁": the report praises the team and names no coach;
    a sentence saying 主教练 does answer. 谁 after a verb ("许可证发给了谁") asks no role."""
    from retrieval.answer_types import before_who_asked

    assert list(before_who_asked("女排当时主教练是谁")) == ["女排当时主教练"]
    assert list(before_who_asked("首张生产许可证发给了谁")) == []
    report = ("1981年政府工作报告\n（一）当前的经济形势\n体育战线今年以来捷报频传，最近女子排球队又第一次"
              "夺得了世界冠军，这对全国各族人民是一个鼓舞。\n（二）今后的方针\n发展教育科学文化事业。\n")
    question = "报告表扬的女子排球队第一次夺得世界冠军，当时主教练是谁？"
    assert_answered_once_said("1981.txt", report, question,
                              ("这对全国", "主教练袁伟民功不可没，这对全国"), "主教练")


def test_which_township_is_not_answered_by_a_sentence_naming_none():
    """"打印费就花了10多万元的那个乡，到底是哪个乡": the speech says "有一个乡", which names no place
    (一个乡, 某镇 are none); a sentence naming the township answers."""
    from retrieval.answer_types import asks_which_place
    from retrieval.text.places import mentions_a_place

    assert asks_which_place("到底是哪个乡") and not mentions_a_place("有一个乡迎接各类扶贫检查团")
    assert mentions_a_place("兰考县东坝头乡迎接检查")
    # a place the question names is not the one it asks; another before it in the same name is
    assert not mentions_a_place("第三届大湾区全球招商大会", besides="第三届大湾区招商大会是在哪座城市开的")
    assert mentions_a_place("在西部地区脱贫县中集中支持", besides="要在哪个地区的脱贫县里集中支持")
    speech = ("在打好精准脱贫攻坚战座谈会上的讲话\n第二，从脱贫攻坚工作看。媒体报道，有一个乡迎接各类扶贫"
              "检查团，仅打印费就花了10多万元。\n第三，从贫困群众看。一些贫困群众等靠要思想严重。\n")
    question = "扶贫检查光打印费就花了10多万元的那个乡，到底是哪个乡？"
    assert_answered_once_said("讲话.txt", speech, question, ("有一个乡", "东坝头乡"), "东坝头乡")


def test_a_figure_asked_of_each_needs_a_figure_each():
    """"新增的1000座5G基站，三大运营商各建多少座": the indicator gives the 1000 the question states and
    a running total, no figure per operator; a sentence giving one each answers."""
    notice = ("包头市数字政府建设考评指标\n四、强化基础设施支撑（10分）\n"
              "59．新增5G基站1000座，累计建设5G基站4600个。\n60．推进千兆光网覆盖。\n")
    question = "考评指标第59条新增的1000座5G基站，三大运营商各建多少座？"
    assert_answered_once_said("包头.txt", notice, question,
                              ("累计建设5G基站4600个", "其中移动建设500座、电信建设300座、联通建设200座"))


def test_which_document_says_it_is_asked_by_words_no_passage_holds():
    """"城市闲置房产改成旅居长租房，这是谁家提的" asks which document says it (the reply names it):
    谁家提的 is no word of the answer, whose cut 家提 (jieba's) declined it."""
    report = ("2025年河南省政府工作报告\n各位代表：\n一、2025年重点工作\n（一）更大力度推动全方位扩大内需。"
              "推动城市闲置房产向旅居长租功能房转变。加快发展银发经济。\n（二）推进新型城镇化。"
              "城镇老旧小区改造开工1500个以上。\n")
    answer = library_of("河南.txt", report).ask("城市闲置房产改成旅居长租房，这是谁家提的").answer
    assert answer is not None and "旅居长租功能房" in answer.highlight


def test_a_percentage_asked_is_not_answered_by_the_same_words_without_one():
    """"22年报告说去年上调了退休人员基本养老金，涨了百分之几": the report says "上调退休人员基本养老金。"
    and no figure; asked with 百分之几, the question asks a share, which that sentence does not give."""
    report = ("2022年政府工作报告\n各位代表：\n一、2021年工作回顾\n七是着力保障和改善民生。"
              "上调退休人员基本养老金。城乡低保标准提高。\n二、2022年政府工作任务\n"
              "居民医保人均财政补助标准提高30元。\n")
    library = library_of("2022年报告.txt", report)
    assert library.ask("22年报告说去年上调了退休人员基本养老金，涨了百分之几？").answer is None
    answered = library.ask("22年报告说去年上调了退休人员基本养老金没有？").answer
    assert answered is not None and "上调退休人员基本养老金" in answered.highlight


def test_a_figure_of_a_name_the_question_quotes_is_no_figure_it_asks():
    """"“万名村医培优提质”行动每年培训多少名村医": the report's "开展“万名村医培优提质”行动。" says the
    name, whose 万名 is no count of the village doctors trained each year."""
    report = ("2025年云南省政府工作报告\n各位代表：\n一、2025年重点任务\n（八）加大保障和改善民生力度。"
              "开展“万名村医培优提质”行动。新建乡镇卫生院10个。\n")
    library = library_of("云南.txt", report)
    assert library.ask("“万名村医培优提质”行动每年培训多少名村医？").answer is None
    answered = library.ask("“万名村医培优提质”行动今年开展吗？").answer
    assert answered is not None and "万名村医培优提质" in answered.highlight


def test_which_of_two_grew_faster_is_answered_by_their_figures():
    """"云南去年技术合同登记数和成交额，哪个涨得多": 哪个 asks which of the two, not which one of a kind
    the answer must name; the sentence giving both growth rates answers it."""
    report = ("2025年云南省政府工作报告\n各位代表：\n一、2024年工作回顾\n（三）改革创新纵深拓展。"
              "技术合同登记数、成交额分别增长21.4%、25.2%，专利开放许可声明数居全国前列。\n"
              "（四）开放势能愈加强劲。进出口总额增长15%。\n")
    answer = library_of("云南.txt", report).ask("云南去年技术合同登记数和成交额，哪个涨得多").answer
    assert answer is not None and "25.2%" in answer.highlight


def test_which_one_of_a_kind_still_needs_the_kind_said():
    from retrieval.answer_types import which_kinds_asked

    assert list(which_kinds_asked("那块金牌是哪个项目")) == ["项目"]
    assert list(which_kinds_asked("gdp和固定资产投资,哪个增得快")) == []
    assert list(which_kinds_asked("哪个更高")) == []


def test_words_pointing_at_an_item_the_question_names_are_not_searched():
    """"基础数据动态更新和校正 那条咋写的": 那条 points back at the item the question names and 咋写的
    asks what it says; neither is a word of the answer ("71．建立基础数据动态更新和校正完善机制。"),
    nor is the 里 of "民生实事里" ("浙江民生实事里关爱儿童方面都安排了啥")."""
    from retrieval.question import parse_question

    assert parse_question("基础数据动态更新和校正 那条咋写的").own_terms[-2:] == ("更新", "校正")
    terms = parse_question("浙江民生实事里关爱儿童方面都安排了啥").own_terms
    assert "里" not in terms and "实事" in terms
    assert not {"里", "面"} & set(parse_question("民生实事里面就业创业有哪些任务").own_terms)  # 里面 whole
    assert "县里" in parse_question("县里去年GDP多少").own_terms  # a place's staff naming it
    assert "里程" in parse_question("地铁总里程到多少公里了").own_terms
    notice = ("包头市数字政府建设考评指标\n五、释放数据要素价值（10分）\n"
              "（一）推进智慧城市大数据中心建设（3分）\n70．建设城市大数据中心。\n71．建立基础数据动态更新和校正完善机制。\n72．推进数据共享。\n"
              "六、筑牢安全防护体系（5分）\n73．健全安全监测机制。\n")
    answer = library_of("包头.txt", notice).ask("包头考评指标里 基础数据动态更新和校正 那条咋写的").answer
    assert answer is not None and "71．建立基础数据动态更新和校正完善机制" in answer.highlight


def test_yes_or_no_asked_as_a_not_a_searches_neither_half():
    """"被外国制裁的企业，政府管不管" asks whether: 管不管 is no word of the answer ("支持受制裁企业应对
    外部打压"), which it declined."""
    from retrieval.question import parse_question

    assert parse_question("被外国制裁的企业，政府管不管").own_terms == ("外国", "制裁", "企业", "政府")
    report = ("2025年北京市政府工作报告\n各位代表：\n一、2025年重点任务\n（五）着力发展壮大高精尖产业。"
              "支持受制裁企业应对外部打压。推动集成电路产业发展。\n（六）落实税费政策。"
              "将小规模纳税人增值税起征点从月销售额10万元提高到15万元。\n")
    answer = library_of("北京.txt", report).ask("被外国制裁的企业，政府管不管").answer
    assert answer is not None and "受制裁企业" in answer.highlight


def test_whether_another_thing_of_the_kind_asked_changes_is_no_answer(corpus_library):
    """"个税起征点今年会不会上调", asked of the corpus: the 2021 report's "将小规模纳税人增值税起征点…提高
    到15万元" speaks of another 起征点, as it does when asked how much ("个税起征点提到多少")."""
    assert corpus_library.ask("个税起征点今年会不会上调").answer is None


def test_a_summary_asked_searches_what_is_summed_up():
    """"人口政策用一句话概括是啥": the 1981 report sums it up ("限制人口的数量，提高人口的素质，这就是我们的
    人口政策"); 一句话, 概括 are no words of it, and declined it."""
    report = ("1981年政府工作报告\n各位代表：\n十、统筹安排生产建设和人民生活\n我国人口多，耕地少，"
              "随着人口的增长，这个矛盾将越来越尖锐。限制人口的数量，提高人口的素质，这就是我们的人口政策。"
              "要继续提倡晚婚。\n")
    answer = library_of("1981.txt", report).ask("人口政策用一句话概括是啥").answer
    assert answer is not None and "这就是我们的人口政策" in answer.highlight


def test_several_places_asked_are_not_answered_by_the_documents_own_place():
    """"包头不动产登记“四城通办”是哪四个城市": the notice says "持续开展“四城通办”" and names no city.
    包头, its own city, may answer "哪个城市" asked of it, not which four; nor is "实现登记业务全市"
    (words ending in 全市) a place named."""
    from retrieval.answer_types import asks_which_place, is_place_asked
    from retrieval.text.places import mentions_a_place

    assert asks_which_place("是哪四个城市") and not is_place_asked("是哪四个城市", "包头市")
    assert is_place_asked("在哪个城市投运的", "包头市")
    assert not mentions_a_place("实现登记业务全市通办")
    notice = ("包头市2022年数字政府建设考评办法\n一、考评内容\n考评以日常监测方式进行。\n"
              "二、政务服务（25分）\n"
              "38．推行抵押登记“不见面”办理。使用全市统一的不动产登记平台，实现登记业务全市通办，"
              "并持续开展“四城通办”。（1分）\n39．推进水电气暖报装。\n")
    library = library_of("包头考评办法.txt", notice)
    assert library.ask("包头不动产登记“四城通办”是哪四个城市？").answer is None
    assert library.ask("包头不动产登记“四城通办”还搞不搞").answer is not None


def test_a_heading_asked_in_its_words_searches_what_it_is_about():
    """"八一年报告里讲经济体制改革的那条方针，标题原话是啥" asks the heading's words: 标题, 原话 are no
    words of it ("八、积极稳妥地改革经济体制，充分有效地调动各方面的积极性"), and declined it."""
    from retrieval.question import parse_question

    terms = parse_question("八一年报告里讲经济体制改革的那条方针，标题原话是啥").own_terms
    assert not {"标题", "原话"} & set(terms) and "方针" in terms
    assert "题目" in parse_question("科研攻关题目有哪些").own_terms  # a subject, not asked about


def test_what_a_question_asks_after_restating_a_sentence_may_be_in_the_next_one():
    """"领导干部专业能力跟不上，要求成为啥样的领导": the speech's "一些领导干部的治理能力和专业能力明显跟
    不上，必须引起高度重视。" restates it, and the next sentence says what is asked ("使自己成为内行领导")."""
    speech = ("在统筹推进疫情防控和经济社会发展工作部署会议上的讲话\n同志们：\n三要提高工作本领。"
              "这次疫情防控工作中，一些领导干部的治理能力和专业能力明显跟不上，必须引起高度重视。"
              "各级领导干部要加强学习，使自己成为内行领导。\n四要加强作风建设。要力戒形式主义。\n")
    answer = library_of("讲话.txt", speech).ask("领导干部专业能力跟不上，要求成为啥样的领导").answer
    assert answer is not None and "专业能力" in answer.text and "内行领导" in answer.text


def test_which_few_mentioned_are_looked_for_wherever_the_passage_says_them():
    """"县长讲话里提到的煤矿都有哪几个" asks the mines the passage names anywhere: its best sentence,
    "刘园子煤矿实现了三井贯通", lists none, but "毛家川、甜水堡、甜水南三大煤矿前期工作加快推进" does.
    A passage naming a mine in no list does not answer which few."""
    speech = ("县长在全县经济工作会议上的讲话\n同志们:\n一、认真总结成绩\n二是工业发展取得新突破。"
              "石油产能突破35万吨。刘园子煤矿实现了三井贯通。马坊川煤矿建设全面拉开,"
              "毛家川、甜水堡、甜水南三大煤矿前期工作加快推进。\n二、今年的工作\n要抓好项目建设。\n")
    answer = library_of("县长讲话.txt", speech).ask("县长讲话里提到的煤矿都有哪几个").answer
    assert answer is not None and "毛家川、甜水堡、甜水南" in answer.text
    single = speech.replace("马坊川煤矿建设全面拉开,毛家川、甜水堡、甜水南三大煤矿前期工作加快推进。", "")
    assert library_of("县长讲话.txt", single).ask("县长讲话里提到的煤矿都有哪几个").answer is None
