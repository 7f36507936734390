"""Scoring on tiny corpora: the BM25 variant must behave on one document and on few passages."""

from retrieval.index import Index
from retrieval.models import Chunk, Document
from retrieval.question import parse_question


def make_doc(name: str, passages: list[tuple[tuple[str, ...], str]], year: int | None = 2022) -> Document:
    chunks, text, pos = [], "", 0
    for path, body in passages:
        chunks.append(Chunk(doc=name, path=path, text=body, start=pos, end=pos + len(body)))
        text += body + "\n"
        pos += len(body) + 1
    return Document(name=name, title=name, text=text, sections=(), chunks=tuple(chunks), year=year)


def test_term_in_every_passage_still_counts():
    # BM25Okapi gives such a term idf <= 0 (rank_bm25 issues 39, 43); BM25Plus keeps it positive.
    doc = make_doc("d", [((), "推进路网配套建设"), ((), "推进生态环境配套"), ((), "推进社会事业配套")])
    scores = Index((doc,)).scores(parse_question("配套"))
    assert (scores > 0).all()


def test_single_passage_corpus_scores_a_match_above_zero():
    doc = make_doc("d", [((), "全年力争收储土地 X 亩")])
    assert Index((doc,)).scores(parse_question("收储土地"))[0] > 0
    assert Index((doc,)).scores(parse_question("天气"))[0] == 0


def test_heading_path_decides_between_years():
    doc = make_doc("d", [
        (("一、2021 年工作回顾", "二是项目建设快速推进"), "推进基础配套项目和重点项目建设。"),
        (("二、2022 年的重点工作", "二是进一步加强基础配套"), "推进基础配套项目和重点项目建设。"),
    ])
    scores = Index((doc,)).scores(parse_question("2022年基础配套有哪些任务"))
    assert scores[1] > scores[0]


def test_relative_year_resolves_against_each_documents_year():
    old = make_doc("old", [(("2021年工作回顾",), "完成土地收储")], year=2022)
    new = make_doc("new", [(("2022年工作安排",), "完成土地收储")], year=2022)
    scores = Index((old, new)).scores(parse_question("今年土地收储"))
    assert scores[1] > scores[0]


def test_an_asked_year_finds_the_word_its_document_uses_for_it():
    report = make_doc("1981", [((), "今年轻纺工业的总产值预计比去年增长12%。"),
                               ((), "明年轻纺工业的总产值要继续增长。")], year=1981)
    scores = Index((report,)).scores(parse_question("1981年轻纺工业总产值增长多少"))
    assert scores[0] > scores[1]  # 1981 is 今年 in the 1981 report
    scores = Index((report,)).scores(parse_question("1982年轻纺工业总产值增长多少"))
    assert scores[1] > scores[0]  # and 明年 there


def test_an_asked_year_counts_as_found_where_its_document_says_今年():
    from retrieval.library import Library

    report = make_doc("1981", [((), "1980年增长百分之五。今年预计增长百分之三。")], year=1981)
    answer = Library((report,)).ask("1981年增长多少").answer
    assert answer is not None and answer.highlight == "今年预计增长百分之三。"


def test_years_are_scored_in_one_pass_as_one_pass_per_year_would() -> None:
    # 今年 is "2021" in the 2021 report and "2022" in the 2022 one; 2022年 is 去年 in a 2023 one.
    from functools import partial

    import numpy as np

    from retrieval.index import HEADING_WEIGHT, _year_after
    from retrieval.text.years import relative_words

    documents = tuple(make_doc(f"r{year}", [
        ((f"一、{year - 1}年工作回顾",), f"{year - 1}年完成土地收储，去年粮食增产。"),
        ((f"二、{year}年重点工作",), f"今年收储土地{year}亩，{year}年粮食稳产。"),
        ((), "明年继续推进基础配套。"),
    ], year=year) for year in (2021, 2022, 2023))
    documents += (make_doc("no-year", [((), "2022年收储土地")], year=None),)
    index = Index(documents)

    def one_pass_per_year(words_for):  # how Index scored years before
        total = np.zeros(len(index))
        years = np.array([e.year or 0 for e in index.entries])
        for year in sorted(set(years.tolist()) - {0}):
            words = dict.fromkeys(words_for(year), 1.0)
            if words:
                field_scores = index._body.scores(words) + HEADING_WEIGHT * index._head.scores(words)
                total += (years == year) * field_scores
        return total

    for words_for in [partial(_year_after, offset=offset) for offset in (-1, 0, 1)] + \
            [partial(relative_words, asked) for asked in (2020, 2021, 2022, 2023, 2030)]:
        scores = index._by_document_year(words_for)
        assert scores.tobytes() == one_pass_per_year(words_for).tobytes()
    scores = index.scores(parse_question("今年收储土地多少亩"))
    for report in range(3):  # each report's part about its own year, not the year before
        assert scores[3 * report + 1] > scores[3 * report]


def test_an_entry_keeps_its_sentences_as_spans_that_give_back_every_sentence_and_its_normalized_form():
    # Full-width, traditional and spaced text: normalize() changes it, sentence by sentence.
    from pathlib import Path

    from retrieval.document import load_document
    from retrieval.index import prepare
    from retrieval.text.normalize import normalize
    from retrieval.text.sentences import split_sentences

    seed = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
    made = make_doc("t", [(("一、２０２２ 年經濟工作", "（一）基礎配套"),
                           "今年ＧＤＰ增長 6.5%。 新建學校 3 所；\n改造道路"), ((), "")])
    for document in (made, load_document(seed)):
        for entry, chunk in zip(prepare(document).entries, document.chunks, strict=True):
            path_text = normalize(" ".join(chunk.path))
            assert entry.sentences == tuple((s, normalize(s)) for s in split_sentences(chunk.text))
            assert entry.path_text == path_text
            assert entry.matchable == path_text + normalize(chunk.text)
            assert entry.own_heading == (normalize(chunk.path[-1]) if chunk.path else "")


def test_a_normalized_sentence_not_found_in_the_normalized_passage_is_kept_whole():
    from retrieval.index import UNMATCHED, sentence_spans_in

    spans, unmatched = sentence_spans_in("甲乙。丙丁。", "甲乙。")  # as if normalize lost the second
    assert unmatched == ("丙丁。",)
    assert list(memoryview(spans).cast("I")) == [0, 3, 0, 3, 3, 6, UNMATCHED, UNMATCHED]


def test_scores_do_not_need_the_dense_columns_of_frequent_terms(monkeypatch):
    # Index builds none (DENSE_COLUMNS_MB): questions score every passage exactly, from the postings.
    import retrieval.index as index_module

    documents = tuple(make_doc(f"d{n}", [((f"{n + 1}、基础配套",), f"推进基础配套建设，修建道路{n}公里。"),
                                         ((), "推进工作，发展经济。今年增长5%。")], year=2020 + n)
                      for n in range(20))
    without = Index(documents)
    assert without._body._bm25.n_dense_columns == 0
    monkeypatch.setattr(index_module, "DENSE_COLUMNS_MB", 96.0)
    with_columns = Index(documents)
    assert with_columns._body._bm25.n_dense_columns > 0
    for question in ["推进基础配套", "今年修建道路多少公里", "2022年发展经济"]:
        query = parse_question(question)
        assert with_columns.scores(query).tobytes() == without.scores(query).tobytes()
