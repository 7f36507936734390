"""SparseBM25 must answer exactly as rank_bm25 does: same scores, same rankings, same ties.

Random corpora (fixed seeds) cover the corners where BM25 variants differ:
tiny corpora, empty documents, terms in every document (Okapi's negative idf),
repeated and unknown query tokens. Every case runs twice: with dense columns for
frequent terms and with posting lists only, since both paths must agree.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from retrieval.bm25 import SparseBM25

RANK_BM25 = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}
VARIANTS = tuple(RANK_BM25)
WORDS = ["发展", "经济", "2022", "年", "的", "项目", "建设", "基础", "配套", "任务",
         "a", "b", "c", "d", "e", "f", "g", "h", "产业", "城市", "工作", "推进"]
DATA = Path(__file__).resolve().parent.parent / "data"


def reference(corpus: list[list[str]], variant: str, params: dict) -> BM25Okapi | BM25Plus | BM25L:
    return RANK_BM25[variant](corpus, **params)


def random_params(rng: random.Random, variant: str) -> dict:
    params = {"k1": rng.uniform(0.3, 2.5), "b": rng.choice([0.0, 0.75, rng.uniform(0, 0.99)])}
    if variant == "okapi":
        params["epsilon"] = rng.choice([0.25, rng.uniform(-0.5, 1.0)])
    else:
        params["delta"] = rng.choice([0.5, 1, rng.uniform(0, 2)])
    return params


def random_corpus(rng: random.Random) -> list[list[str]]:
    """1 to 40 documents over a small vocabulary, some empty, some terms in every document."""
    n_docs = rng.choice([1, 2, 3, rng.randint(4, 40)])
    vocab = rng.sample(WORDS, rng.randint(1, len(WORDS)))
    corpus = [[rng.choice(vocab) for _ in range(rng.randint(0, 12))] for _ in range(n_docs)]
    if not any(corpus):
        corpus[0].append(vocab[0])
    if rng.random() < 0.3:  # a term in every document: idf <= 0 for Okapi
        for doc in corpus:
            doc.insert(rng.randint(0, len(doc)), vocab[0])
    return corpus


def random_query(rng: random.Random, corpus: list[list[str]]) -> list[str]:
    """Known tokens, repeats and unknown tokens in random order."""
    known = sorted({t for doc in corpus for t in doc})
    query = [rng.choice(known) for _ in range(rng.randint(0, 6))]
    query += rng.sample(query, min(len(query), rng.randint(0, 2)))  # repeats
    query += ["未知词"] * rng.randint(0, 1)
    rng.shuffle(query)
    return query


def expected_order(scores: np.ndarray, k: int) -> list[int]:
    return sorted(range(len(scores)), key=lambda i: -scores[i])[:k]


def assert_same_as_rank_bm25(corpus: list[list[str]], query: list[str], variant: str, params: dict,
                             **index_options: float) -> None:
    expected = reference(corpus, variant, params).get_scores(query)
    index = SparseBM25(corpus, variant, **params, **index_options)
    scores = index.get_scores(query)
    assert np.abs(scores - expected).max() <= 1e-9
    np.testing.assert_array_equal(scores, expected)  # in fact bit for bit
    for k in (1, 3, len(corpus), len(corpus) + 2):
        assert index.top_k(scores, k).tolist() == expected_order(expected, k)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("hot_memory_mb", [0.0, 256.0])
def test_random_corpora_match_rank_bm25(variant: str, hot_memory_mb: float) -> None:
    rng = random.Random(f"{variant}-{hot_memory_mb}")
    for _ in range(300):
        corpus = random_corpus(rng)
        params = random_params(rng, variant)
        assert_same_as_rank_bm25(corpus, random_query(rng, corpus), variant, params,
                                 hot_memory_mb=hot_memory_mb)


@pytest.mark.parametrize("variant", VARIANTS)
def test_zipfian_corpus_mixes_dense_and_sparse_columns(variant: str) -> None:
    rng = random.Random(7)
    vocab = [f"词{i}" for i in range(400)]
    zipf = [1 / (rank + 1) for rank in range(len(vocab))]
    corpus = [rng.choices(vocab, zipf, k=rng.randint(0, 60)) for _ in range(600)]
    index = SparseBM25(corpus, variant)
    assert 0 < index.n_dense_columns < len(vocab)  # both paths exercised
    for _ in range(30):
        assert_same_as_rank_bm25(corpus, rng.choices(vocab, zipf, k=rng.randint(1, 8)), variant, {})


def test_real_speech_paragraphs_with_jieba_tokens() -> None:
    jieba = pytest.importorskip("jieba")
    text = next(DATA.glob("*.txt")).read_text(encoding="utf-8")
    corpus = [jieba.lcut(p) for p in text.split("\n") if p.strip()]
    for question in ["2022年基础配套有哪些任务", "重点产业项目", "财政总收入增长多少"]:
        for variant in VARIANTS:
            assert_same_as_rank_bm25(corpus, jieba.lcut(question), variant, {})


def test_okapi_floors_negative_idf_at_epsilon_times_average() -> None:
    corpus = [["的", "发展"], ["的", "经济"], ["的"]]
    index = SparseBM25(corpus, "okapi", epsilon=0.25)
    ref = BM25Okapi(corpus)
    assert index.idf("的") == ref.idf["的"] == 0.25 * ref.average_idf
    assert index.idf("发展") == ref.idf["发展"] > 0


@pytest.mark.parametrize("variant", VARIANTS)
def test_idf_and_doc_freq_lookups(variant: str) -> None:
    corpus = [["发展", "经济", "发展"], [], ["经济"], ["项目"]]
    index = SparseBM25(corpus, variant)
    ref = reference(corpus, variant, {})
    assert {t: index.idf(t) for t in ref.idf} == ref.idf
    assert index.doc_freq("发展") == 1 and index.doc_freq("经济") == 2 and index.doc_freq("无") == 0
    assert index.idf("无") == 0.0
    assert index.n_docs == 4 and index.doc_len.tolist() == [3, 0, 1, 1] and index.avgdl == ref.avgdl


def test_bm25plus_gives_documents_without_the_term_idf_times_delta() -> None:
    index = SparseBM25([["发展"], ["经济"], []], "plus", delta=1.0)
    scores = index.get_scores(["发展"])
    assert scores[1] == scores[2] == index.idf("发展") * 1.0
    assert scores[0] > scores[1]


@pytest.mark.parametrize("variant", VARIANTS)
def test_weighted_scores_with_token_counts_equal_get_scores(variant: str) -> None:
    rng = random.Random(variant)
    for _ in range(100):
        corpus = random_corpus(rng)
        index = SparseBM25(corpus, variant)
        query = random_query(rng, corpus)
        np.testing.assert_allclose(index.get_weighted_scores(Counter(query)), index.get_scores(query),
                                   rtol=1e-12, atol=1e-12)
        distinct = list(dict.fromkeys(query))
        np.testing.assert_array_equal(index.get_weighted_scores(dict.fromkeys(distinct, 1.0)),
                                      index.get_scores(distinct))


@pytest.mark.parametrize("variant", VARIANTS)
def test_weighted_scores_are_a_weighted_sum_of_term_scores(variant: str) -> None:
    corpus = [["发展", "经济"], ["经济", "经济", "项目"], [], ["项目", "建设", "发展"]]
    weights = {"发展": 2.5, "项目": 0.4, "未知": 3.0, "经济": -1.0}
    index = SparseBM25(corpus, variant, hot_memory_mb=0.0)
    expected = sum(w * index.get_scores([t]) for t, w in weights.items())
    np.testing.assert_allclose(index.get_weighted_scores(weights), expected, rtol=1e-12)
    dense = SparseBM25(corpus, variant)  # all columns dense in so small a corpus
    np.testing.assert_array_equal(dense.get_weighted_scores(weights), index.get_weighted_scores(weights))


def test_top_k_breaks_ties_by_ascending_index() -> None:
    scores = np.array([1.0, 3.0, 3.0, 0.0, 3.0, 2.0, 0.0, -0.0])
    assert SparseBM25.top_k(scores, 2).tolist() == [1, 2]
    assert SparseBM25.top_k(scores, 4).tolist() == [1, 2, 4, 5]
    assert SparseBM25.top_k(scores, 7).tolist() == [1, 2, 4, 5, 0, 3, 6]
    assert SparseBM25.top_k(scores, 20).tolist() == expected_order(scores, 20)
    assert SparseBM25.top_k(scores, 0).tolist() == []


def test_top_k_matches_a_stable_sort_on_random_scores_with_many_ties() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        scores = rng.integers(-3, 4, size=int(rng.integers(1, 60))).astype(np.float64)
        k = int(rng.integers(1, 70))
        assert SparseBM25.top_k(scores, k).tolist() == expected_order(scores, k)


def test_a_corpus_without_any_token_scores_zero() -> None:
    # rank_bm25 divides by zero here; we answer "nothing matches".
    index = SparseBM25([[], []], "plus")
    assert index.get_scores(["发展"]).tolist() == [0.0, 0.0]


@pytest.mark.parametrize(("corpus", "variant", "options"), [
    ([], "plus", {}),
    ([["a"]], "bm25", {}),
    ([["a"]], "okapi", {"k1": 0.0}),
    ([["a"]], "okapi", {"b": 1.5}),
])
def test_invalid_input_is_rejected(corpus: list, variant: str, options: dict) -> None:
    with pytest.raises(ValueError):
        SparseBM25(corpus, variant, **options)
