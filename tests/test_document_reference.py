"""A question opening with the document it asks ("…座谈会讲话中，…") is answered from that document's
passage about the rest, not from the passage repeating the document's title; and the years it
names must be in the answer."""

from __future__ import annotations

from retrieval.document import build_document
from retrieval.library import Library

SPEECH = ("在打好精准脱贫攻坚战座谈会上的讲话\n（2018年2月12日）\n"
          "打好精准脱贫攻坚战，是党的十九大提出的三大攻坚战之一。今天召开打好精准脱贫攻坚战座谈会，"
          "就是要研究打好精准脱贫攻坚战的思路和举措。精准脱贫攻坚战座谈会开得很及时。\n"
          "一、脱贫攻坚取得的进展\n党的十八大以来，脱贫攻坚取得决定性进展，5年累计减贫6853万人，"
          "消除绝对贫困人口三分之二以上。到2017年底，贫困人口还剩3046万人。\n"
          "二、下一步的工作\n要坚持精准方略，提高脱贫质量。\n")
REPORT = ("2018年某省政府工作报告\n各位代表：\n一、过去一年工作回顾\n全省生产总值增长7%，减贫30万人。\n"
          "二、今年的主要目标\n今年全省生产总值增长目标为6.5%左右。\n")


def library() -> Library:
    return Library((build_document("脱贫讲话.txt", SPEECH), build_document("某省报告.txt", REPORT)))


def test_the_documents_title_words_do_not_pick_the_passage_repeating_them():
    reply = library().ask("精准脱贫攻坚战座谈会讲话中，5年累计减贫多少人？")
    assert reply.answer is not None and reply.answer.doc == "脱贫讲话.txt"
    assert "6853万人" in reply.answer.highlight


def test_a_year_the_answer_does_not_speak_of_is_declined():
    loaded = library()
    assert loaded.ask("脱贫座谈会讲话里2019年底贫困人口还剩多少").answer is None
    assert "3046万人" in loaded.ask("脱贫座谈会讲话里2017年底贫困人口还剩多少").answer.highlight
    # The year as the document says it counts: 今年 in a report of 2018.
    found = loaded.ask("2018年全省生产总值增长目标是多少")
    assert found.answer is not None and "6.5%" in found.answer.highlight


def test_a_question_naming_a_document_is_not_answered_from_another():
    loaded = library()
    assert loaded.ask("全省生产总值增长目标是多少").answer.doc == "某省报告.txt"
    assert loaded.ask("精准脱贫攻坚战座谈会讲话里全省生产总值增长目标是多少").answer is None


def test_a_year_alone_names_no_document_the_answer_must_come_from():
    """"2018年…" names the 2018 speech by its year, but the 2019 report answers it."""
    report = ("2019年某省政府工作报告\n各位代表：\n一、2018年工作回顾\n"
              "2018年全省生产总值增长目标为6.5%左右，实际增长7%。\n二、今年的主要目标\n今年增长6%左右。\n")
    loaded = Library((build_document("脱贫讲话.txt", SPEECH), build_document("2019报告.txt", report)))
    found = loaded.ask("2018年全省生产总值增长目标是多少")
    assert found.answer is not None and found.answer.doc == "2019报告.txt"


def test_a_document_named_by_its_short_name_is_the_one_asked():
    report = REPORT.replace("2018年某省政府工作报告", "2018年云南省政府工作报告")
    loaded = Library((build_document("脱贫讲话.txt", SPEECH), build_document("云南.txt", report)))
    assert "云南" in loaded.index.alias_words
    assert loaded.ask("5年累计减贫多少人").answer.doc == "脱贫讲话.txt"
    assert loaded.ask("云南5年累计减贫多少人").answer is None  # the Yunnan report does not say



def test_a_province_named_by_its_one_character_abbreviation_names_its_report():
    """"豫 2025 经济增长目标", "粤省今年…": users type a province's abbreviation; the reports of two
    provinces with the same target words are told apart by it."""
    from retrieval.profile import abbreviated_names

    assert abbreviated_names("河南省") == ("豫", "豫省") and abbreviated_names("西藏自治区") == ("藏",)
    assert abbreviated_names("包头市") == () and abbreviated_names(None) == ()

    def report(place: str, target: str) -> str:
        return (f"2025年{place}政府工作报告\n各位代表：\n一、2025年主要目标\n"
                f"今年主要预期目标是：经济增长{target}左右，城镇新增就业100万人以上。\n")

    loaded = Library((build_document("河南.txt", report("河南省", "5.5%")),
                      build_document("浙江.txt", report("浙江省", "5%"))))
    assert loaded.index.documents_named_by("豫") and loaded.index.documents_named_by("浙省")
    for question, target in (("豫 2025 经济增长目标", "5.5%"), ("浙 2025 经济增长目标", "5%")):
        found = loaded.ask(question)
        assert found.answer is not None and f"经济增长{target}" in found.answer.highlight
    # A name of the document, not a word its passages are looked for by: "大京郊" is no answer.
    beijing = ("2025年北京市政府工作报告\n各位代表：\n一、2025年主要目标\n"
               "实现城镇新增就业不少于26万人，居民收入增长与经济增长同步。\n"
               "二、乡村振兴\n坚持大城市带动大京郊、大京郊服务大城市，推动农业增效益、农民增收入。\n")
    from retrieval.index import naming_words

    document = build_document("北京.txt", beijing)
    assert "京" in naming_words(document, [c.text for c in document.chunks])
    loaded = Library((document, build_document("河南.txt", report("河南省", "5.5%"))))
    found = loaded.ask("京 2025 城镇新增就业 目标")
    assert found.answer is not None and "26万人" in found.answer.highlight


def test_the_capital_names_beijings_report_and_cutting_is_said_as_reducing():
    """"首都去年“三公”经费压减了几个点": 首都 names Beijing's report as 北京 does; 压减 is said 减少 and
    "几个点" asks a percentage, no word of "“三公”经费减少4%". Guangdong's "公用经费压减5%" is not it."""
    beijing = ("2025年北京市政府工作报告\n各位代表：\n一、2024年工作回顾\n"
               "出台过紧日子负面清单，“三公”经费减少4%。首都功能持续优化。\n二、2025年重点任务\n"
               "加快建设国际科技创新中心。\n")
    guangdong = ("2025年广东省政府工作报告\n各位代表：\n一、2024年工作回顾\n"
                 "省直部门公用经费压减5%，政府购买服务支出下降7%。\n二、2025年重点任务\n"
                 "加快建设制造强省。\n")
    from retrieval.question import parse_question

    query = parse_question("首都去年“三公”经费压减了几个点")
    assert "点" not in query.own_terms and "减少" in query.terms
    loaded = Library((build_document("北京.txt", beijing), build_document("广东.txt", guangdong)))
    assert "首都" in loaded.index.alias_words
    answer = loaded.ask("首都去年“三公”经费压减了几个点").answer
    assert answer is not None and answer.doc == "北京.txt" and "减少4%" in answer.highlight


def test_a_position_points_into_the_document_named_not_at_anothers_numbered_part():
    """"县长讲话“八个增长”里的第五项，城镇居民人均可支配收入是多少": the speech lists its eight growths
    inline; a report's heading "（五）城乡区域协调发展" is numbered 五 but is not in the speech named."""
    speech = ("县长在县委全委(扩大)会暨全县经济工作会议上的讲话\n同志们:\n一、认真总结成绩\n"
              "概括起来,就是实现了“八个增长”:国内生产总值19.5亿元,增长15.6%;"
              "城镇居民人均可支配收入10345元,增长12%;农民人均纯收入3010元,增长10%。\n"
              "二、明年的工作\n确保固定资产投资增长20%。\n")
    report = ("2025年云南省政府工作报告\n各位代表：\n一、2024年工作回顾\n（五）城乡区域协调发展。"
              "城镇居民人均可支配收入增长4.5%，农村居民人均可支配收入增长6.4%。\n"
              "（六）民生保障扎实有力。新增就业50万人。\n")
    loaded = Library((build_document("讲话.txt", speech), build_document("云南.txt", report)))
    answer = loaded.ask("县长讲话“八个增长”里的第五项，城镇居民人均可支配收入是多少？").answer
    assert answer is not None and answer.doc == "讲话.txt" and "10345元" in answer.text


def test_a_document_named_in_full_answers_though_another_ranks_a_little_above_it(corpus_library):
    """"浙江报告里十方面民生实事第8个方面讲的啥", asked of the corpus's reports: Guangdong's "八是提升
    县域医疗服务水平…" ranks a little above, but the question names Zhejiang's report, whose
    8.交通出行方面 answers; the reply declined before (an answer from an unnamed document is none)."""
    reply = corpus_library.ask("浙江报告里十方面民生实事第8个方面讲的啥")
    assert reply.answer is not None and reply.answer.doc == "2025年浙江省政府工作报告.txt"
    assert "交通出行方面" in reply.answer.highlight


def test_a_meeting_typed_alone_before_the_question_names_the_speech_given_there(corpus_library):
    """"全县经济工作会议 去年克服了哪些不利影响": the meeting typed first, set apart by a space, names
    the county speech as "全县经济工作会议上讲…" would. Beijing's "克服秋冬季大雾静稳等不利气象条件影响"
    says more of the question's words and ranked first."""
    reply = corpus_library.ask("全县经济工作会议 去年克服了哪些不利影响")
    county = "speech_county_economic_work_conference_excerpt.txt"
    assert reply.answer is not None and reply.answer.doc == county
    assert "克服金融危机的冲击" in reply.answer.highlight


def test_a_short_name_the_answers_passage_says_is_its_subject_not_a_reference():
    """"党中央哪天要求湖北省对人员外流实施全面严格管控": 湖北省 names Hubei's report, but the speech's
    passage says it: the question is about what the passage says of Hubei. A short name the
    passage does not say still holds the answer to its document ("云南5年累计减贫多少人")."""
    speech = ("在统筹推进疫情防控和经济社会发展工作部署会议上的讲话\n同志们：\n一、疫情防控\n"
              "1月22日，党中央果断要求湖北省对人员外流实施全面严格管控。\n")
    hubei = ("2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n湖北省经济总量达到60013亿元。"
             "湖北省加强疫情防控常态化管理。\n二、2025年目标\n湖北省生产总值增长6%左右。\n")
    loaded = Library((build_document("讲话.txt", speech), build_document("湖北.txt", hubei)))
    assert "湖北省" in loaded.index.alias_words
    found = loaded.ask("党中央哪天要求湖北省对人员外流实施全面严格管控")
    assert found.answer is not None and "1月22日" in found.answer.highlight


def test_reference_words_only_the_documents_name_says_are_not_looked_for_in_its_passages() -> None:
    """"县委全委扩大会上县长说全县生产总值多少" names the speech "在县委全委(扩大)会暨全县经济工作会议上
    的讲话" by words its name holds (brackets left out) and none of its passages says: they are not
    looked for there. A word its passages say too (经济, 全县) is."""
    from retrieval.document import build_document
    from retrieval.evidence import Wanted, reference_inside
    from retrieval.library import Library
    from retrieval.question import parse_question

    speech = ("在县委全委(扩大)会暨全县经济工作会议上的讲话\n县长 张三\n"
              "一、认真总结成绩\n过去一年全县经济稳中向好。“八个增长”:国内生产总值19.5亿元,增长15.6%。\n"
              "二、明确目标任务\n今年全县经济工作要稳字当头，生产总值增长10%以上。\n")
    report = "2025年湖北省政府工作报告\n各位代表：\n一、2024年工作回顾\n全省地区生产总值增长5.8%。\n"
    index = Library((build_document("县长讲话.txt", speech), build_document("湖北报告.txt", report))).index
    document = index.document_names.index("县长讲话.txt")
    named = index.entries[index.passages_of("县长讲话.txt")[1]].named

    def inside(question: str) -> frozenset[str]:
        return reference_inside(Wanted.of(parse_question(question), index), named, document, index)

    assert {"县委", "全委", "扩大会"} <= inside("县委全委扩大会上县长说全县生产总值多少")
    said = inside("全县经济工作会议讲话里生产总值多少")
    assert "会议" in said and "经济" not in said and "全县" not in said
    assert not reference_inside(Wanted.of(parse_question("县委全委扩大会上县长说全县生产总值多少"), index),
                                index.entries[index.passages_of("湖北报告.txt")[0]].named,
                                index.document_names.index("湖北报告.txt"), index)


def test_a_document_named_by_its_number_is_searched_without_it() -> None:
    """"包府办发〔2022〕43号里，半年考评日常监测占多少权重" opens with the notice's 文号: all its words,
    2022 and 43 too, name the document and are not looked for in the passage that answers, which
    cites another notice (包府办发〔2022〕10号) in its preamble."""
    from retrieval.question import parse_question

    query = parse_question("包府办发〔2022〕43号里，半年考评日常监测占多少权重？")
    assert {"包府", "办发", "2022", "43", "号"} <= query.naming_words
    assert not query.years_asked
    notice = ("包头市数字政府建设考评办法\n包府办发〔2022〕43号\n"
              "按照《关于印发包头市数字政府建设行动方案的通知》（包府办发〔2022〕10号）要求，制定本办法。\n"
              "一、考评方式\n考评以日常监测、实地调研等方式进行。每半年考评一次。\n"
              "半年考评分值=日常监测（60%）+实地调研（40%）\n二、考评结果\n考评结果作为评先依据。\n")
    answer = Library((build_document("包头考评办法.txt", notice),)).ask(
        "包府办发〔2022〕43号里，半年考评日常监测占多少权重？").answer
    assert answer is not None and "日常监测（60%）" in answer.highlight


def test_a_districts_staff_saying_qu_li_ask_of_the_districts_document() -> None:
    """"区里今年GDP增速目标定的多少" is asked by the district's own staff: 区里 names the xx区 speech
    (as 县里 a county's, 市里 a city's), not a province's report with a growth target too. Not cut
    into 区 and 里: "…报告里…" names no district."""
    from retrieval.profile import aliases_of

    speech = ("xx区2022年经济工作会上的讲话\n同志们：\n一、2021 年工作回顾\n全区生产总值增长8%。\n"
              "二、2022 年的重点工作\n今年全区经济工作的主要预期目标是：地区生产总值增长7.5%左右。\n")
    report = ("2022年云南省政府工作报告\n各位代表：\n一、2021年工作回顾\n全省生产总值增长7.3%。\n"
              "二、2022年目标任务\n今年全省经济社会发展的主要预期目标是：地区生产总值增长7%左右。\n")
    loaded = Library((build_document("xx区讲话.txt", speech), build_document("云南.txt", report)))
    district = next(d for d in loaded.index.documents.values() if d.name == "xx区讲话.txt")
    assert district.profile is not None and "区里" in aliases_of(district.profile)
    answer = loaded.ask("区里今年GDP增速目标定的多少？").answer
    assert answer is not None and answer.doc == "xx区讲话.txt" and "7.5%" in answer.highlight
    answer = loaded.ask("云南报告里今年GDP增速目标定的多少？").answer
    assert answer is not None and answer.doc == "云南.txt"


def test_an_unnamed_countys_staff_saying_xian_li_ask_of_its_county_heads_speech() -> None:
    """"县里去年城镇新增就业多少人" asked of the speech of a county no line names ("县长在…全县经济
    工作会议上的讲话"): 县里 names it as 区里 names a district's, so a national report's 城镇新增就业
    is no answer. After 的, 县里 says among counties and names none ("人口20万以上的县里…")."""
    speech = ("县长在县委全委(扩大)会暨全县经济工作会议上的讲话\n同志们:\n一、认真总结成绩\n"
              "去年全县国内生产总值19.5亿元,增长15.6%;地方财政收入8188万元,增长32.3%。\n")
    report = ("2021年政府工作报告\n各位代表：\n一、2020年工作回顾\n"
              "城镇新增就业1186万人，年末全国城镇调查失业率降到5.2%。\n二、2021年重点工作\n在人口20万以上的县，今年要建成一所特殊教育学校，共建成30所。\n")
    loaded = Library((build_document("县长讲话.txt", speech), build_document("2021年报告.txt", report)))
    assert loaded.ask("县里去年城镇新增就业多少人？").answer is None
    answer = loaded.ask("县里去年国内生产总值多少？").answer
    assert answer is not None and answer.doc == "县长讲话.txt" and "19.5亿元" in answer.highlight
    answer = loaded.ask("人口20万以上的县里，今年要建成几所特殊教育学校？").answer
    assert answer is not None and answer.doc == "2021年报告.txt"
