"""Scoring on tiny corpora: the BM25 variant must behave on one document and on few passages."""

from dataclasses import replace

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


def test_a_passages_sentences_are_worked_out_when_first_read_and_kept(monkeypatch):
    """Not when the library is built: a question reads the sentences of a few dozen passages."""
    import retrieval.index as index_module
    from retrieval.index import prepare
    from retrieval.text.normalize import normalize
    from retrieval.text.sentences import split_sentences

    worked_out = []
    real = index_module.sentence_spans_in
    monkeypatch.setattr(index_module, "sentence_spans_in", lambda *a: worked_out.append(a) or real(*a))
    document = make_doc("d", [(("一、重点工作",), "推进道路建设。修建道路10公里！"), ((), "改造学校3所。")])
    entries = prepare(document).entries
    assert worked_out == []
    first = entries[0]
    assert first.sentences == tuple((s, normalize(s)) for s in split_sentences(first.chunk.text))
    assert (first.spans, first.unmatched) == real(first.chunk.text, first.matchable, first.path_length)
    assert len(worked_out) == 1, "worked out once, for the passage read only"
    assert first == replace(first, read_sentences=None), "a passage's value is the same, read or not"


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


def random_library(rng, n_documents: int) -> tuple[Document, ...]:
    """Reports of several years (one without), years in their headings and text: what 今年 and 2022年 find."""
    words = ["基础配套", "土地收储", "粮食", "产量", "增长", "推进", "项目", "建设", "就业", "城镇",
             "发展", "经济", "今年", "去年", "明年", "2021年", "2022年", "2023年", "目标", "任务"]
    documents = []
    for n in range(n_documents):
        year = rng.choice([2021, 2022, 2023, None])
        passages = []
        for _ in range(rng.randint(1, 12)):
            year_named = rng.choice([2020, 2021, 2022, 2023])
            heading = (f"{rng.choice('一二三')}、{year_named}年{rng.choice(words)}",)
            body = "，".join(rng.choice(words) for _ in range(rng.randint(1, 15))) + "。"
            passages.append((heading if rng.random() < 0.7 else (), body))
        documents.append(make_doc(f"r{n}", passages, year=year))
    return tuple(documents)


QUESTIONS = ["今年粮食产量增长多少", "去年基础配套有哪些任务", "2022年土地收储", "推进项目建设",
             "明年就业目标", "2021年2023年城镇就业", "发展经济", "天气"]


def test_a_questions_best_passages_are_the_first_of_a_stable_sort_of_every_score(monkeypatch) -> None:
    # Every way QueryScores.best finds them: every passage of a few scored at once, or the postings
    # that can matter read (bm25.pruned_top_k: its paths forced on small indexes).
    import random

    import numpy as np

    import retrieval.bm25 as bm25
    import retrieval.index as index_module

    rng = random.Random(5)
    # FULL_SCORING_MAX 0: these small indexes take the paths of a large one (pruning); 10**9: every
    # passage scored, the best selected from all.
    for exact_max, read_all, lookup_factor, full_max in [(1024, 1 << 15, 10, 0), (0, 0, 10, 0), (0, 0, 0, 0),
                                                         (0, 0, 10**9, 0), (1024, 1 << 15, 10, 10**9)]:
        monkeypatch.setattr(index_module, "FULL_SCORING_MAX", full_max)
        monkeypatch.setattr(index_module, "EXACT_MAX", exact_max)
        monkeypatch.setattr(bm25, "READ_ALL", read_all)
        monkeypatch.setattr(bm25, "LOOKUP_FACTOR", lookup_factor)
        for _ in range(4):
            index = Index(random_library(rng, rng.randint(2, 30)))
            for question in QUESTIONS:
                query = parse_question(question)
                scores = index.scores(query)
                scoring = index.scoring(query)
                asked = rng.choice([0, min(len(index), 20)])  # none too: rank most often asks none
                positions = np.array(sorted(rng.sample(range(len(index)), asked)), dtype=np.int64)
                assert scoring.at(positions).tobytes() == scores[positions].tobytes()
                document = rng.choice(index.document_names)
                named = np.array([rng.random() < 0.3 for _ in index.document_names])
                for k in (1, 12):
                    for within, documents, eligible in [
                            (None, None, np.ones(len(index), dtype=bool)),
                            (index.passages_of(document), None,
                             np.array([e.chunk.doc == document for e in index.entries])),
                            (None, named, named[index.document_of])]:
                        ordered = sorted(np.flatnonzero(eligible).tolist(), key=lambda i: -scores[i])
                        expected = [i for i in ordered if scores[i] > 0][:k]
                        best = scoring.best(k, within=within, documents=documents)
                        assert [i for i, _ in best] == expected, question
                        assert [s for _, s in best] == scores[expected].tolist()  # bit for bit (floats)


def test_passages_of_a_document_follow_each_other() -> None:
    import random

    rng = random.Random(2)
    index = Index(random_library(rng, 10))
    for name in index.document_names:
        assert [e.chunk.doc == name for e in index.entries].count(True) == len(index.passages_of(name))
        assert all(index.entries[i].chunk.doc == name for i in index.passages_of(name))


def test_the_documents_using_a_term_are_those_with_a_passage_that_uses_it(monkeypatch) -> None:
    # Several passages per document, a term in some passages of some documents (once or in a run),
    # one in none: the documents found from where runs of passages start are exactly those.
    import retrieval.index as index_module

    docs = [make_doc(f"d{n}", [((), "土地收储" if n % 3 == 0 else "项目建设"), ((), "推进项目建设"),
                              ((), "土地收储完成" if n % 2 == 0 else "生态环境")]) for n in range(7)]
    index = Index(tuple(docs))
    for term in ("土地", "项目", "生态", "天气"):
        expected = {n for n, doc in enumerate(docs) if any(term in c.text for c in doc.chunks)}
        assert index.documents_using(term) == expected
    monkeypatch.setattr(index_module, "RARE_MIN", 0)  # in more passages than RARE_SHARE: every document's
    assert Index(tuple(docs)).documents_using("项目") is None


def test_passages_under_a_number_are_those_the_loop_over_every_passage_found():
    # NumberedPassages replaced a loop over every passage with a list per number (~0.12 s of each
    # restart at 1,000 documents): the same (depth, position) pairs, in the same order.
    import random

    from retrieval.index import NumberedPassages

    rng = random.Random(13)
    shapes = [tuple(rng.choice([None, 1, 2, 3, 4, 12]) for _ in range(rng.randint(0, 5))) for _ in range(40)]
    paths = [rng.choice(shapes) for _ in range(3000)]
    under: dict[int, list[tuple[int, int]]] = {}
    for position, path in enumerate(paths):
        for number in {n for n in path if n is not None}:
            under.setdefault(number, []).append((path.index(number), position))
    numbered = NumberedPassages(paths)
    for number in (0, 1, 2, 3, 4, 5, 12, 13):
        assert numbered.passages(number) == sorted(under.get(number, [])), number
    assert NumberedPassages([]).passages(1) == [] and NumberedPassages([(None,), ()]).passages(1) == []


def test_the_passage_opening_a_section_is_found_in_its_own_document():
    from retrieval.document import build_document

    text = ("2022年工作报告\n一、回顾\n去年完成了任务。\n二、今年的工作\n"
            "（一）抓项目\n推进重点项目建设。\n（二）抓民生\n办好民生实事。\n")
    first, second = build_document("a.txt", text), build_document("b.txt", text)
    index = Index((first, second))
    for number, document in enumerate((first, second)):
        assert document.sections
        offset = number * len(first.chunks)
        for section in document.sections:  # the last passage starting at or before its heading
            at = index.opening(document.name, section.id)
            assert at is not None and index.entries[at].chunk.doc == document.name
            starts = [c.start for c in document.chunks]
            assert at - offset == max(i for i, start in enumerate(starts) if start <= section.start or i == 0)
        assert index.opening(document.name, len(document.sections)) is None
    assert index.opening("c.txt", 0) is None


def test_a_years_part_of_the_scores_is_kept_for_the_next_question_with_the_same_words():
    # 今年's part of a score depends on nothing else the question says: worked out once (a third
    # of such a question's answer at 1,000 documents), the same bits, never changed by a caller.
    import numpy as np

    old = make_doc("old", [(("2021年工作回顾",), "完成土地收储"), ((), "2021年收储土地")], year=2021)
    new = make_doc("new", [(("2022年重点工作",), "今年收储土地"), ((), "2021年完成收储")], year=2022)
    index = Index((old, new))
    first = index.scores(parse_question("今年收储土地多少亩"))
    kept = dict(index._year_scores)
    assert len(kept) == 1 and not next(iter(kept.values())).flags.writeable
    again = index.scores(parse_question("今年完成收储多少"))
    assert all(index._year_scores[words] is scores for words, scores in kept.items())  # not again
    assert np.array_equal(first, index.scores(parse_question("今年收储土地多少亩")))
    assert index.scores(parse_question("今年收储土地多少亩")).tobytes() == first.tobytes()
    assert again.tobytes() == Index((old, new)).scores(parse_question("今年完成收储多少")).tobytes()
    index.scores(parse_question("去年收储土地多少亩"))
    assert len(index._year_scores) == 2  # 去年: other words in each document year


def test_spans_are_the_positions_of_the_ranges_in_order() -> None:
    import numpy as np

    from retrieval.index import _spans

    assert _spans(np.array([0, 5, 9]), np.array([2, 5, 12])).tolist() == [0, 1, 9, 10, 11]  # one empty
    assert _spans(np.array([3, 7]), np.array([7, 8])).tolist() == [3, 4, 5, 6, 7]
    assert _spans(np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)).tolist() == []


def test_heading_words_are_the_words_of_each_heading_numbered_as_words_of_numbers_them() -> None:
    """index.heading_words tokenizes each distinct heading once; a passage gets its heading's words."""
    from retrieval.index import heading_words
    from retrieval.text.tokens import tokenize
    from retrieval.words import Words

    headings = ["xx区 二、2022年的重点工作", "xx区 二、2022年的重点工作", "xx区 一、回顾", "",
                "xx区 二、2022年的重点工作 （一）加强基础配套", "xx区 一、回顾", ""]
    for some in (headings, headings[:1], headings[2:], []):
        made, expected = heading_words(some), Words.of([tokenize(h) for h in some])
        assert made == expected
        assert (made.numbers.dtype, made.lengths.dtype) == (expected.numbers.dtype, expected.lengths.dtype)


def test_prepare_reads_each_passages_heading_path_as_normalize_does() -> None:
    """The sections' paths are normalized together (index._path_fields): the same forms, years and
    numbers as normalizing each, shared by the passages of a section."""
    from pathlib import Path

    from retrieval.document import load_document
    from retrieval.index import prepare
    from retrieval.text.normalize import normalize

    seed = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
    document = load_document(seed)
    entries = prepare(document).entries
    for entry in entries:
        path = entry.chunk.path
        assert entry.path_text == normalize(" ".join(path))
        assert entry.own_heading == (normalize(path[-1]) if path else "")
        assert entry.path_numbers == tuple(s.number for s in document.lineage(entry.chunk.section))
    assert any(entry.path_years for entry in entries)


# Texts whose edges and insides try normalize's rules: Latin letters and digits meeting across a
# join (a space kept), full-width forms, traditional characters, a final sigma, a NUL, empty and
# blank texts, jieba's symbol blocks (3.5%, c++), a Han character only jieba-rs reads into blocks.
_EDGES = ["xx区", "二、2022年的重点工作", "", "  ", "ＧＤＰ 2022", "new", "2022 年", "（一）加强基础配套",
          "開發區", "ΑΣ", "Σ b", "a\x00", "\x00b", "增长3.5%，c++ 项目", " 前后有空格 ", "㐀字", "pm2.5浓度",
          "5g-a"]


def _heading_texts() -> list[list[str]]:
    """Each document's names and headings (data/, ../shared/corpus where present), and _EDGES."""
    from pathlib import Path

    from retrieval.document import load_document
    from retrieval.index import document_words

    root = Path(__file__).resolve().parents[1]
    paths = sorted([*(root / "data").glob("*.txt"), *(root.parent / "shared" / "corpus").glob("*.txt")])
    found = [_EDGES]
    for path in paths:
        document = load_document(path)
        found.append([document_words(document), *dict.fromkeys(h for c in document.chunks for h in c.path)])
    return found


def test_joined_forms_are_the_normalized_join_of_the_texts() -> None:
    """index.joined_forms: normalize(" ".join(texts)) from each text's normalize, over every
    document's names and headings and texts made to try each rule at a join."""
    import itertools

    from retrieval.index import joined_forms
    from retrieval.text.normalize import normalize

    for texts in _heading_texts():
        for some in itertools.chain(itertools.permutations(texts[:6], 3), [texts, texts[:1], []],
                                    ([texts[0], *texts[i:i + 3]] for i in range(len(texts)))):
            assert joined_forms([normalize(t) for t in some]) == normalize(" ".join(some)), some
    for some in itertools.product(_EDGES, repeat=2):
        assert joined_forms([normalize(t) for t in some]) == normalize(" ".join(some)), some


def test_field_words_are_each_texts_words_from_its_pieces() -> None:
    """index.field_words (each distinct piece cut once) and _path_fields' heading fields: the words
    of tokenize of each text, numbered as Words.of numbers them."""
    from pathlib import Path

    from retrieval import segmenter
    from retrieval.document import load_document
    from retrieval.index import _PIECES, _path_fields, document_words, field_words
    from retrieval.text.normalize import normalize
    from retrieval.text.tokens import tokenize
    from retrieval.words import Words

    # The pieces start where jieba's blocks do.
    assert _PIECES.pattern.startswith(segmenter._JIEBA_BLOCK.pattern[1:-1])
    for texts in _heading_texts():
        fields = [" ".join(texts[:k]) for k in range(len(texts) + 1)] + texts + _EDGES
        assert field_words([normalize(t) for t in fields]) == Words.of([tokenize(t) for t in fields])
    assert field_words([]) == Words.of([])
    assert field_words(["", ""]) == Words.of([[], []])
    seed = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
    document = load_document(seed)
    names = document_words(document)
    _, forms = _path_fields(document, names)
    assert forms == [normalize(" ".join((names, *c.path))) for c in document.chunks]
