"""A numbered part asked of a document the question names is looked for in that document, and a
generic request word ("办法") names no document."""

from __future__ import annotations

from retrieval.answer import Wanted, named_documents
from retrieval.document import build_document
from retrieval.library import Library
from retrieval.question import parse_question

PARTS = ("一", "二", "三", "四", "五", "六")


def report(city: str) -> str:
    body = "".join(f"{n}、第{n}方面工作\n{city}要做好第{n}方面的工作，落实各项任务。\n" for n in PARTS)
    return f"2025年{city}政府工作报告\n各位代表：\n{body}"


# Parts 一 to 四 use the question's words (数字政府, 考评, 指标) more than part 五 does, so BM25
# alone does not bring part 五 among the candidates, and 13 reports have a top-level 五、.
def body(part: str) -> str:
    again = "对照考评指标逐项落实数字政府建设，" * 6
    return "".join(f"按数字政府建设考评指标推进{part}工作第{k}批任务，{again}做到全覆盖。\n"
                   for k in range(1, 31))


POLICY = ("包头市人民政府办公室关于印发《包头市数字政府建设考评办法》的通知\n"
          "一、考评对象\n各旗县区人民政府。\n二、考评方式\n实行百分制。\n"
          "附件\n包头市数字政府建设考评指标\n"
          f"一、政务服务（25分）\n{body('政务')}"
          f"二、政府治理（25分）\n{body('治理')}"
          f"三、政府办公（20分）\n{body('办公')}"
          f"四、基础设施（10分）\n{body('设施')}"
          "五、释放数据要素价值（10分）\n推进智慧城市大数据中心建设，推进基础和主题数据库建设。\n")

CITIES = tuple(f"{name}市" for name in "甲乙丙丁戊己庚辛壬癸子丑寅")


def library() -> Library:
    documents = [build_document(f"{city}.txt", report(city)) for city in CITIES]
    return Library((*documents, build_document("包头考评办法.txt", POLICY)))


def test_a_part_of_the_document_named_is_found_below_parts_of_the_same_number_in_others():
    """Thirteen reports have a top-level 五、; the 考评指标's 五、 is one level down, under 附件."""
    reply = library().ask("包头数字政府考评指标第五部分是啥")
    assert reply.answer is not None
    assert reply.answer.doc == "包头考评办法.txt"
    assert "释放数据要素价值" in reply.answer.text


def test_a_generic_request_word_names_no_document():
    loaded = library()
    query = parse_question("财政缺钱，第六条里讲了哪些筹钱的办法")
    named = named_documents(Wanted.of(query, loaded.index), loaded.index)
    policy = loaded.index.document_names.index("包头考评办法.txt")
    assert policy not in named
    # …while a word of its title that is no request word still names it.
    asked = parse_question("数字政府考评第五部分")
    assert policy in named_documents(Wanted.of(asked, loaded.index), loaded.index)
