"""SparseBM25 must answer exactly as rank_bm25 does: same scores, same rankings, same ties.

Random corpora (fixed seeds) cover the corners where BM25 variants differ:
tiny corpora, empty documents, terms in every document (Okapi's negative idf),
repeated and unknown query tokens. Every case runs twice: with dense columns for
frequent terms and with posting lists only, since both paths must agree.

The top k is selected on float32 scores and re-scored exactly, so it is checked
against a stable sort of the exact float64 scores, bit for bit, with ties, masks,
negative weights and queries matching fewer than k documents; block-max selection
is forced on small corpora by shrinking the block.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from retrieval import bm25
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


def test_top_k_over_blocks_matches_a_stable_sort() -> None:
    """Arrays long enough to be cut into blocks (a library's passages): the scores reaching the
    lower bound found once, and at_least's places read flat, give the same order as a sort."""
    rng = np.random.default_rng(8)
    for _ in range(60):
        n = int(rng.integers(2_000, 50_000))
        scores = np.round(rng.exponential(1.0, n), int(rng.integers(0, 3)))  # many ties when rounded
        scores[rng.random(n) < 0.6] = 0.0
        for k in (1, 3, 12, 40):
            assert SparseBM25.top_k(scores, k).tolist() == expected_order(scores, k)
        blocks = bm25._Blocks(scores, bm25._block_size(n, 12))
        for line in (float(scores.max()), float(np.quantile(scores, 0.999)), 0.0):
            np.testing.assert_array_equal(blocks.at_least(line), np.flatnonzero(scores >= line))


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


# -- Exact top k from float32 candidates ----------------------------------------------


def stable_top(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    eligible = range(len(scores)) if mask is None else np.flatnonzero(mask).tolist()
    return sorted(eligible, key=lambda i: -scores[i])[:k]


def random_weights(rng: random.Random, corpus: list[list[str]]) -> dict[str, float]:
    """Known and unknown terms with positive, negative, fractional and zero weights."""
    known = sorted({t for doc in corpus for t in doc})
    chosen = rng.sample(known, min(len(known), rng.randint(0, 5))) + ["未知词"] * rng.randint(0, 1)
    return {t: rng.choice([1.0, 1.0, 2.0, 0.4, rng.uniform(-1.5, 3.0), 0.0]) for t in chosen}


@pytest.fixture(params=[4, 2048], ids=["small-blocks", "default-blocks"])
def select_block(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Small blocks put even tiny corpora through the block-max cut-off."""
    monkeypatch.setattr(bm25, "SELECT_BLOCK", request.param)
    monkeypatch.setattr(bm25, "MIN_SELECT_BLOCK", min(request.param, bm25.MIN_SELECT_BLOCK))
    return request.param


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("hot_memory_mb", [0.0, 256.0])
@pytest.mark.parametrize("weight_dtype", ["float16", "float32"])
def test_top_k_weighted_equals_a_stable_sort_of_exact_scores(variant: str, hot_memory_mb: float,
                                                             weight_dtype: str, select_block: int) -> None:
    rng = random.Random(f"top-{variant}-{hot_memory_mb}-{weight_dtype}-{select_block}")
    for _ in range(100):
        corpus = random_corpus(rng)
        if rng.random() < 0.3:  # duplicated documents: exact ties everywhere
            corpus = corpus * rng.randint(2, 30)
        index = SparseBM25(corpus, variant, **random_params(rng, variant), hot_memory_mb=hot_memory_mb,
                           weight_dtype=weight_dtype)
        weights = random_weights(rng, corpus)
        full = index.get_weighted_scores(weights)
        mask = None if rng.random() < 0.5 else np.array([rng.random() < 0.6 for _ in corpus])
        for k in (1, 3, 5, len(corpus) + 2):
            top, exact = index.top_k_weighted(weights, k, mask)
            assert top.tolist() == stable_top(full, k, mask)
            np.testing.assert_array_equal(exact, full[top])  # bit for bit, not merely close


@pytest.mark.parametrize("variant", VARIANTS)
def test_top_k_scores_is_rank_bm25s_top_k_with_its_scores(variant: str, select_block: int) -> None:
    rng = random.Random(f"rank-{variant}-{select_block}")
    for _ in range(100):
        corpus = random_corpus(rng)
        params = random_params(rng, variant)
        query = random_query(rng, corpus)  # repeats count once per occurrence, as in rank_bm25
        expected = reference(corpus, variant, params).get_scores(query)
        top, exact = SparseBM25(corpus, variant, **params).top_k_scores(query, 5)
        assert top.tolist() == expected_order(expected, 5)
        np.testing.assert_array_equal(exact, expected[top])


def test_top_k_on_a_zipfian_corpus_large_enough_for_blocks() -> None:
    rng = random.Random(11)
    vocab = [f"词{i}" for i in range(3000)]
    zipf = [1 / (rank + 1) for rank in range(len(vocab))]
    corpus = [rng.choices(vocab, zipf, k=rng.randint(0, 40)) for _ in range(20_000)]
    index = SparseBM25(corpus, "plus", k1=1.2, b=0.75, delta=1.0)
    assert index.n_dense_columns > 0
    for _ in range(40):
        weights = {t: rng.choice([1.0, 0.5, 2.0]) for t in rng.choices(vocab, zipf, k=rng.randint(1, 6))}
        full = index.get_weighted_scores(weights)
        for k in (1, 5, 12):
            top, exact = index.top_k_weighted(weights, k)
            assert top.tolist() == np.argsort(-full, kind="stable")[:k].tolist()
            np.testing.assert_array_equal(exact, full[top])


def test_a_query_matching_fewer_than_k_documents_fills_with_the_lowest_others() -> None:
    corpus = [["a"]] * 5 + [["发展"]] + [["b"]] * 10_000 + [["发展", "发展"]]
    for variant in VARIANTS:
        index = SparseBM25(corpus, variant)
        full = index.get_weighted_scores({"发展": 1.0})
        top, exact = index.top_k_weighted({"发展": 1.0}, 4)
        assert top.tolist() == stable_top(full, 4) and top.tolist()[:2] in ([10_006, 5], [5, 10_006])
        np.testing.assert_array_equal(exact, full[top])
        top, _ = index.top_k_weighted({}, 3)  # nothing asked: everything ties at 0
        assert top.tolist() == [0, 1, 2]
        mask = np.zeros(len(corpus), dtype=bool)
        mask[[7, 9]] = True
        assert index.top_k_weighted({"发展": 1.0}, 5, mask)[0].tolist() == [7, 9]
        assert index.top_k_weighted({"发展": 1.0}, 5, np.zeros(len(corpus), dtype=bool))[0].tolist() == []


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("weight_dtype", ["float16", "float32"])
def test_approximate_scores_are_within_their_margin(variant: str, weight_dtype: str) -> None:
    rng = random.Random(f"margin-{variant}-{weight_dtype}")
    for _ in range(100):
        corpus = random_corpus(rng)
        index = SparseBM25(corpus, variant, **random_params(rng, variant), weight_dtype=weight_dtype)
        weights = random_weights(rng, corpus)
        approx, offset, margin = index.approximate_scores(weights)
        exact = index.get_weighted_scores(weights)
        assert approx.dtype == np.float32
        assert np.all(np.abs(exact - (approx.astype(np.float64) + offset)) <= margin)
        held = index.holds_any(weights)
        assert np.all(approx[~held] == 0)
        assert len(set(exact[~held].tolist())) <= 1  # documents without any term share one score
        docs = np.array(sorted(rng.sample(range(len(corpus)), rng.randint(0, len(corpus)))), dtype=np.int64)
        np.testing.assert_array_equal(index.exact_scores(weights, docs), exact[docs])


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("weight_dtype", ["float16", "float32"])
def test_exact_scorer_gives_full_scores_bit_for_bit_at_any_documents(variant: str, weight_dtype: str) -> None:
    # The scorer works its terms out once and is asked several times (a question rescores its candidates
    # more than once), at documents in any order, repeated, or none; its rows must be _exact_at's bits.
    rng = random.Random(f"scorer-{variant}-{weight_dtype}")
    for _ in range(60):
        corpus = random_corpus(rng)
        index = SparseBM25(corpus, variant, **random_params(rng, variant), weight_dtype=weight_dtype)
        weights = random_weights(rng, corpus)
        exact = index.get_weighted_scores(weights)
        scorer = index.exact_scorer(weights)
        for _ in range(3):
            docs = np.array([rng.randrange(len(corpus)) for _ in range(rng.randint(0, 2 * len(corpus)))],
                            dtype=np.int64)
            np.testing.assert_array_equal(scorer(docs), exact[docs])
            terms = index._weighted(weights)
            shape = (len(terms), len(docs))
            cols = np.broadcast_to(np.array([c for c, _ in terms], dtype=np.int64)[:, None], shape)
            weight = np.broadcast_to(np.array([w for _, w in terms])[:, None], shape)
            np.testing.assert_array_equal(scorer(docs), index._exact_at(cols, weight, docs))  # its bits


@pytest.mark.parametrize("variant", VARIANTS)
def test_scores_by_group_are_each_groups_own_scores_bit_for_bit(variant: str) -> None:
    # Each document on its own group's terms (as Index scores 今年: "2022" in a report of 2022).
    rng = random.Random(f"groups-{variant}")
    for _ in range(100):
        corpus = random_corpus(rng)
        index = SparseBM25(corpus, variant, **random_params(rng, variant))
        groups = [random_weights(rng, corpus) for _ in range(rng.randint(0, 4))]
        group_of = np.array([rng.randint(-1, len(groups) - 1) for _ in corpus], dtype=np.int64)
        expected = np.array([index.get_weighted_scores(groups[g])[d] if g >= 0 else 0.0
                             for d, g in enumerate(group_of.tolist())])
        assert index.exact_scores_by_group(groups, group_of).tobytes() == expected.tobytes()


# -- Build and storage ----------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_build_in_small_batches_and_slices_gives_the_same_index(variant: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(f"batches-{variant}")
    vocab = [f"词{i}" for i in range(200)]
    corpus = [rng.choices(vocab, k=rng.randint(0, 30)) for _ in range(300)]
    whole = SparseBM25(corpus, variant)
    monkeypatch.setattr(bm25, "BUILD_BATCH_DOCS", 7)
    monkeypatch.setattr(bm25, "WEIGHT_SLICE", 5)
    batched = SparseBM25(corpus, variant)
    assert batched.vocabulary == whole.vocabulary
    for name in bm25._ARRAYS:
        np.testing.assert_array_equal(batched._array(name), whole._array(name))
    for _ in range(20):
        assert_same_as_rank_bm25(corpus, rng.choices(vocab, k=4), variant, {})


@pytest.mark.parametrize("variant", VARIANTS)
def test_postings_counted_as_documents_come_give_the_same_index(variant: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """PostingsCounter counts each batch once all its documents are given, a few documents at a
    time, in groups that straddle the batches (and a group of none); SparseBM25.counted is the
    index SparseBM25.numbered builds of all of them at once, bit for bit."""
    from retrieval.words import Numbering, Words

    rng = random.Random(f"counted-{variant}")
    vocab = [f"词{i}" for i in range(200)]
    corpus = [rng.choices(vocab, k=rng.randint(0, 30)) for _ in range(300)]
    monkeypatch.setattr(bm25, "BUILD_BATCH_DOCS", 16)
    groups, first = [], 0
    while first < len(corpus):
        size = rng.choice([0, 1, 3, 15, 16, 17, 40])
        groups.append(Words.of(corpus[first:first + size]))
        first += size
    kept, counting = Numbering(), Numbering(bm25.PostingsCounter())
    for group in groups:
        kept.add(group)
        counting.add(group)
        if len(counting) == len(groups) // 2:  # half of them given: every whole batch counted
            assert counting.counter._counted == sum(map(len, groups[:len(groups) // 2])) // 16 * 16
    whole = SparseBM25.numbered(*kept.result(), variant)
    counted = SparseBM25.counted(counting.terms(), counting.counter, variant)
    assert list(counted.vocabulary.items()) == list(whole.vocabulary.items())
    for name in bm25._ARRAYS:
        np.testing.assert_array_equal(counted._array(name), whole._array(name))
    assert list(SparseBM25(corpus, variant).vocabulary) == list(whole.vocabulary)
    with pytest.raises(ValueError):
        counting.result()  # the words went to the counter


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_build_with_64_bit_keys_gives_the_same_index(variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch's keys are 32-bit while its columns × documents fit (a vocabulary of ~131,000 terms
    at BUILD_BATCH_DOCS): else 64-bit, for the same index."""
    rng = random.Random(f"keys-{variant}")
    vocab = [f"词{i}" for i in range(300)]
    corpus = [rng.choices(vocab, k=rng.randint(0, 30)) for _ in range(200)]
    narrow = SparseBM25(corpus, variant)
    monkeypatch.setattr(bm25, "KEY32_LIMIT", 2000)
    monkeypatch.setattr(bm25, "BUILD_BATCH_DOCS", 9)  # the first batches 32-bit, the later 64-bit
    wide = SparseBM25(corpus, variant)
    assert list(wide.vocabulary.items()) == list(narrow.vocabulary.items())
    for name in bm25._ARRAYS:
        np.testing.assert_array_equal(wide._array(name), narrow._array(name))
    assert_same_as_rank_bm25(corpus, rng.choices(vocab, k=4), variant, {})


def test_term_counts_beyond_a_byte_stay_exact() -> None:
    corpus = [["发展"] * 300 + ["经济"], ["发展"], ["经济"] * 70_000, []]
    for variant in VARIANTS:
        index = SparseBM25(corpus, variant)
        assert index._tf.dtype == np.uint32
        # BM25L's contribution grows with tf past float16's range: its postings fall back to float32
        assert index._weights.dtype == (np.float32 if variant == "l" else np.float16)
        assert_same_as_rank_bm25(corpus, ["发展", "经济"], variant, {})
        top, exact = index.top_k_weighted({"经济": 1.0, "发展": 0.5}, 4)
        np.testing.assert_array_equal(exact, index.get_weighted_scores({"经济": 1.0, "发展": 0.5})[top])


@pytest.mark.parametrize(("weight_dtype", "posting_bytes"), [("float16", 7), ("float32", 9)])
def test_postings_take_seven_or_nine_bytes_and_dense_columns_four_per_document(weight_dtype: str,
                                                                               posting_bytes: int) -> None:
    rng = random.Random(5)
    vocab = [f"词{i}" for i in range(500)]
    corpus = [rng.choices(vocab, k=30) for _ in range(2_000)]
    index = SparseBM25(corpus, "plus", hot_memory_mb=0.0, weight_dtype=weight_dtype)
    per_posting = (index._indices.nbytes + index._tf.nbytes + index._weights.nbytes) / index.nnz
    assert per_posting == posting_bytes
    dense = SparseBM25(corpus, "plus", hot_memory_mb=1.0)
    assert dense._hot.nbytes == dense.n_dense_columns * 4 * len(corpus) <= 2**20


@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load_give_the_same_scores(tmp_path: Path, mmap: bool) -> None:
    rng = random.Random(9)
    vocab = [f"词{i}" for i in range(300)] + ["发展", "a b"]
    zipf = [1 / (rank + 1) for rank in range(len(vocab))]
    corpus = [rng.choices(vocab, zipf, k=rng.randint(0, 40)) for _ in range(1_500)]
    for variant in VARIANTS:
        index = SparseBM25(corpus, variant, k1=1.2, b=0.6, delta=0.8)
        index.save(tmp_path / variant)
        loaded = SparseBM25.load(tmp_path / variant, mmap=mmap)
        assert loaded.vocabulary == index.vocabulary and loaded.n_dense_columns == index.n_dense_columns
        assert memory_mapped(loaded._indices) == mmap
        for _ in range(10):
            query = rng.choices(vocab, zipf, k=4)
            np.testing.assert_array_equal(loaded.get_scores(query), index.get_scores(query))
            weights = dict.fromkeys(query, 0.7)
            for got, want in zip(loaded.top_k_weighted(weights, 5), index.top_k_weighted(weights, 5),
                                 strict=True):
                np.testing.assert_array_equal(got, want)
        assert loaded.idf("发展") == index.idf("发展") and loaded.avgdl == index.avgdl


def test_loading_a_missing_or_partial_index_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        SparseBM25.load(tmp_path / "nothing")
    SparseBM25([["a"], ["b"]], "plus").save(tmp_path / "index")
    (tmp_path / "index" / "indices.npy").unlink()
    with pytest.raises(ValueError):
        SparseBM25.load(tmp_path / "index")


def test_importing_the_module_does_not_import_scipy() -> None:
    code = "import sys, retrieval.bm25; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=DATA.parent, check=True, capture_output=True,
                         text=True)
    assert out.stdout.strip() == "False"


def test_two_indexes_combine_into_one_exact_top_k() -> None:
    """What index.py needs: body + heading fields, approximations added in float64, margins added."""
    rng = random.Random(21)
    vocab = [f"词{i}" for i in range(60)]
    zipf = [1 / (rank + 1) for rank in range(len(vocab))]
    bodies = [rng.choices(vocab, zipf, k=rng.randint(0, 30)) for _ in range(3_000)]
    headings = [rng.choices(vocab[:20], k=rng.randint(0, 4)) for _ in range(3_000)]
    body = SparseBM25(bodies, "plus", k1=1.2, delta=1.0)
    head = SparseBM25(headings, "plus", k1=1.2, delta=1.0)
    for _ in range(30):
        weights = {t: rng.choice([1.0, 0.5, 2.0]) for t in rng.choices(vocab, zipf, k=rng.randint(1, 5))}
        full = body.get_weighted_scores(weights) + head.get_weighted_scores(weights)
        a_body, _, m_body = body.approximate_scores(weights)
        a_head, _, m_head = head.approximate_scores(weights)
        top, exact = bm25.exact_top_k(
            a_body.astype(np.float64) + a_head, m_body + m_head, 7,
            lambda docs, w=weights: body.exact_scores(w, docs) + head.exact_scores(w, docs),
            holds_any=lambda w=weights: body.holds_any(w) | head.holds_any(w))
        assert top.tolist() == np.argsort(-full, kind="stable")[:7].tolist()
        np.testing.assert_array_equal(exact, full[top])


@pytest.mark.parametrize("cache_mb", [0.0, 16.0])
def test_kept_posting_values_do_not_change_scores(cache_mb: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bm25, "VALUE_CACHE_MB", cache_mb)  # 0: the cache is emptied at every term
    monkeypatch.setattr(bm25, "EXACT_COLUMN_MIN_FRACTION", math.inf)  # no term scored from a kept column
    rng = random.Random(4)
    vocab = [f"词{i}" for i in range(50)]
    corpus = [rng.choices(vocab, k=rng.randint(0, 20)) for _ in range(400)]
    index = SparseBM25(corpus, "plus")
    for _ in range(40):  # terms come back again and again
        assert_same_as_rank_bm25(corpus, rng.choices(vocab, k=4), "plus", {})
        query = rng.choices(vocab, k=3)
        np.testing.assert_array_equal(index.get_scores(query), BM25Plus(corpus).get_scores(query))
    assert index._value_cache_bytes <= cache_mb * 2**20 + max(v.nbytes for v in index._value_cache.values())


@pytest.mark.parametrize("fraction", [0.0, 1 / 16, math.inf])  # every term, the long ones, none
def test_kept_exact_columns_do_not_change_scores(fraction: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bm25, "EXACT_COLUMN_MIN_FRACTION", fraction)
    rng = random.Random(5)
    vocab = [f"词{i}" for i in range(30)]
    corpus = [rng.choices(vocab, k=rng.randint(0, 20)) for _ in range(300)]
    index, reference_index = SparseBM25(corpus, "plus", hot_memory_mb=0.0), BM25Plus(corpus)
    for _ in range(20):  # the same terms again: from the kept columns
        weights = {t: rng.choice([1.0, 0.4, 2.5, -0.7]) for t in rng.choices(vocab, k=4)}
        expected = np.zeros(len(corpus))
        for term, weight in weights.items():  # rank_bm25's sums, term after term, weighted
            expected += weight * reference_index.get_scores([term])
        np.testing.assert_array_equal(index.get_weighted_scores(weights), expected)
        query = rng.choices(vocab, k=3)
        np.testing.assert_array_equal(index.get_scores(query), reference_index.get_scores(query))
    assert (index._exact_columns.nbytes > 0) == (fraction < math.inf)


def test_exact_columns_are_made_once_and_kept_within_their_budget() -> None:
    made: list[int] = []

    def make(col: int) -> np.ndarray:
        made.append(col)
        return np.full(1024, float(col))  # 8 KiB

    columns = bm25.ExactColumns(20 / 1024)  # 20 KiB: two columns
    assert columns.get(1, make)[0] == 1.0 and columns.get(2, make)[0] == 2.0
    assert columns.get(1, make)[0] == 1.0 and made == [1, 2] and columns.nbytes == 16 * 1024
    assert columns.get(3, make)[0] == 3.0  # no room: the kept ones are let go, the new one kept
    assert columns.nbytes == 8 * 1024 and columns.get(3, make)[0] == 3.0 and made == [1, 2, 3]
    assert columns.get(1, make)[0] == 1.0 and made == [1, 2, 3, 1]
    huge = bm25.ExactColumns(4 / 1024)  # a column over the whole budget is used, never kept
    assert huge.get(7, make)[0] == 7.0 and huge.nbytes == 0


def test_a_weighted_exact_column_is_the_product_made_once() -> None:
    made: list[int] = []

    def make(col: int) -> np.ndarray:
        made.append(col)
        return np.linspace(0.1, 3.3, 1024) * (col + 1)

    columns = bm25.ExactColumns(1.0)
    weighted = columns.get(4, make, 0.4)
    np.testing.assert_array_equal(weighted, 0.4 * make(4))  # the same bits as multiplying each time
    assert columns.get(4, make, 0.4) is weighted and made == [4, 4] and not weighted.flags.writeable
    plain = columns.get(4, make)  # the plain column is kept apart, and a weighted one made from it
    assert plain is not weighted and made == [4, 4, 4]
    assert columns.get(4, make, 2.5)[0] == 2.5 * plain[0] and made == [4, 4, 4]


@pytest.mark.parametrize("variant", ["plus", "l"])
@pytest.mark.parametrize(("hot_memory_mb", "weight_slice"), [(0.0, 1 << 17), (256.0, 1 << 17), (0.0, 3)])
def test_a_reused_index_answers_as_one_built_from_the_new_corpus(variant: str, hot_memory_mb: float,
                                                                 weight_slice: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents removed, kept and added (a library after a reload): the same scores as rank_bm25's
    over the new corpus, bit for bit, and the same postings and vocabulary as a fresh build."""
    monkeypatch.setattr(bm25, "WEIGHT_SLICE", weight_slice)  # 3: postings merged a few terms at a time
    rng = random.Random(13)
    for _ in range(120):
        old_corpus, new_corpus = random_corpus(rng), random_corpus(rng)
        params = random_params(rng, variant)
        old = SparseBM25(old_corpus, variant, **params, hot_memory_mb=hot_memory_mb)
        kept = sorted(rng.sample(range(len(old_corpus)), rng.randint(0, len(old_corpus))))
        old_ids = [-1] * len(new_corpus) + kept
        rng.shuffle(old_ids)
        slots = iter(kept)
        old_ids = [next(slots) if i >= 0 else -1 for i in old_ids]  # kept ones in their old order
        fresh_docs = iter(new_corpus)
        corpus = [old_corpus[i] if i >= 0 else next(fresh_docs) for i in old_ids]
        fresh = [doc for i, doc in zip(old_ids, corpus, strict=True) if i < 0]
        if not any(corpus):
            continue
        index = old.reused(np.array(old_ids), fresh, hot_memory_mb=hot_memory_mb)
        built = SparseBM25(corpus, variant, **params, hot_memory_mb=hot_memory_mb)
        assert set(index.vocabulary) == set(built.vocabulary) == {t for doc in corpus for t in doc}
        for term, col in index.vocabulary.items():  # each term's postings: documents and counts
            mine = slice(*index._indptr[col:col + 2])
            theirs = slice(*built._indptr[built.vocabulary[term]:][:2])
            np.testing.assert_array_equal(index._indices[mine], built._indices[theirs])
            np.testing.assert_array_equal(index._tf[mine], built._tf[theirs])
            np.testing.assert_array_equal(index._weights[mine], built._weights[theirs])  # bit for bit
            assert index._max_diff[col] == built._max_diff[built.vocabulary[term]]
        expected = reference(corpus, variant, params)
        for _ in range(4):
            query = random_query(rng, corpus)
            np.testing.assert_array_equal(index.get_scores(query), expected.get_scores(query))
            assert index.top_k_scores(query, 3)[0].tolist() == built.top_k_scores(query, 3)[0].tolist()


def test_a_reused_index_refuses_what_it_cannot_reuse() -> None:
    corpus = [["a", "b"], ["b", "c"], ["c"]]
    with pytest.raises(ValueError, match="Okapi"):
        SparseBM25(corpus, "okapi").reused(np.array([0, 1]), [])
    plus = SparseBM25(corpus, "plus")
    with pytest.raises(ValueError, match="increasing"):
        plus.reused(np.array([1, 0]), [])  # kept documents out of order
    with pytest.raises(ValueError, match="increasing"):
        plus.reused(np.array([0, -1]), [])  # a fresh document without its tokens


def memory_mapped(array: np.ndarray) -> bool:
    """Whether the array's memory is a mapped file (an np.memmap, or a view of one)."""
    while array is not None and not isinstance(array, np.memmap):
        array = array.base if isinstance(array.base, np.ndarray) else None
    return array is not None


# -- Exact top k from the postings that can matter (pruned_top_k) --------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_group_scores_of_some_documents_are_those_of_every_document(variant: str) -> None:
    rng = random.Random(f"groups-at-{variant}")
    for _ in range(100):
        corpus = random_corpus(rng)
        index = SparseBM25(corpus, variant, **random_params(rng, variant))
        groups = [random_weights(rng, corpus) for _ in range(rng.randint(0, 4))]
        group_of = np.array([rng.randint(-1, len(groups) - 1) for _ in corpus], dtype=np.int64)
        full = index.exact_scores_by_group(groups, group_of)
        docs = np.array(sorted(rng.sample(range(len(corpus)), rng.randint(0, len(corpus)))), dtype=np.int64)
        at = index.exact_scores_by_group_at(groups, group_of[docs], docs)
        assert at.tobytes() == full[docs].tobytes()


def stable_positive_top(scores: np.ndarray, k: int, eligible: np.ndarray) -> list[int]:
    """What pruned_top_k must give: the first k of a stable sort by descending score, among the eligible
    documents scoring above 0."""
    ordered = sorted(np.flatnonzero(eligible).tolist(), key=lambda d: -scores[d])
    return [d for d in ordered if scores[d] > 0][:k]


@pytest.fixture(params=["read-all", "read", "look-up", "rescore-all"])
def pruning(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way pruned_top_k can take: everything read at once; candidates narrowed by reading; by
    looking up every source left; every candidate rescored without lookups."""
    read_all, factor, rescore_max = {"read-all": (10**9, 10, 64), "read": (0, 10**9, 0),
                                     "look-up": (0, 0, 0), "rescore-all": (0, 0, 10**9)}[request.param]
    monkeypatch.setattr(bm25, "READ_ALL", read_all)
    monkeypatch.setattr(bm25, "LOOKUP_FACTOR", factor)
    monkeypatch.setattr(bm25, "RESCORE_MAX", rescore_max)
    return request.param


def test_pruned_top_k_is_a_stable_sort_of_exact_scores(pruning: str) -> None:
    # Two fields and a group of terms per document (as Index adds body, heading and 今年's year), the
    # sum added in float64 as Index adds it; some corpora repeated (exact ties everywhere), some
    # questions asked of a few ranges of documents only, several questions of one corpus.
    rng = random.Random(f"pruned-{pruning}")
    for _ in range(60):
        corpus = random_corpus(rng)
        if rng.random() < 0.3:
            corpus = corpus * rng.randint(2, 20)
        headings = [rng.sample(doc, min(len(doc), 2)) for doc in corpus]
        params = random_params(rng, "plus")
        body, head = SparseBM25(corpus, "plus", **params), SparseBM25(headings, "plus", **params)
        n_groups = rng.randint(0, 3)
        group_of = np.array([rng.randint(-1, n_groups - 1) for _ in corpus], dtype=np.int64)
        if rng.random() < 0.5:  # groups in runs of documents (a report's passages), found by their ranges
            group_of.sort()
        kept = bm25.GroupPostings(1.0)  # for this grouping, across its questions, as an index keeps them
        # and each field's posting lists as read, all or none of them (as WeightedBM25 keeps the long ones)
        shortest = rng.choice([1, 1 << 20])
        read = (bm25.ReadPostings(1.0, shortest), bm25.ReadPostings(1.0, shortest))
        for _ in range(3):
            weights = {t: w for t, w in random_weights(rng, corpus).items() if w >= 0}
            groups = [{t: 1.0 for t in random_weights(rng, corpus)} for _ in range(n_groups)]
            scale = rng.choice([1.0, 0.3])
            assert_pruned_top_k_is_exact(rng, body, head, weights, groups, group_of, scale, kept, read)


def assert_pruned_top_k_is_exact(rng: random.Random, body: SparseBM25, head: SparseBM25, weights: dict,
                                 groups: list[dict], group_of: np.ndarray, scale: float,
                                 kept: bm25.GroupPostings,
                                 read: tuple[bm25.ReadPostings, bm25.ReadPostings]) -> None:
    n = body.n_docs
    no_term = [body.absent_score(g) for g in groups]
    parts = [body.approximation(weights, body.absent_score(weights), kept=read[0]),
             head.approximation(weights, head.absent_score(weights), scale, read[1]),
             body.group_approximation(groups, no_term, group_of, kept=kept)]
    assert all(part.nonnegative for part in parts)

    def exact(docs: np.ndarray) -> np.ndarray:
        total = (body.exact_scores(weights, docs) - body.absent_score(weights)) \
            + scale * (head.exact_scores(weights, docs) - head.absent_score(weights))
        return total + (body.exact_scores_by_group_at(groups, group_of[docs], docs)
                        - np.array([*no_term, 0.0])[group_of[docs]])

    full = exact(np.arange(n))
    sources = [source for part in parts for source in part.sources]
    error = sum(part.error for part in parts) + 2.0**-45 * (len(parts) + len(sources) + 10) \
        * sum(part.magnitude for part in parts)
    eligible = np.ones(n, dtype=bool)
    if rng.random() < 0.4:  # a few ranges of documents, as a question scoped to some documents
        cuts = sorted(rng.sample(range(n + 1), min(n + 1, 2 * rng.randint(1, 3)) // 2 * 2))
        starts, stops = np.array(cuts[0::2]), np.array(cuts[1::2])
        eligible[:] = False
        for a, b in zip(starts, stops, strict=True):
            eligible[a:b] = True
        sources = [bm25.Within(source, starts, stops, eligible.sum() / n) for source in sources]
    for k in (1, 3, 12, n + 2):
        top, scores = bm25.pruned_top_k(sources, error, k, exact, bm25.Accumulators(n))
        assert top.tolist() == stable_positive_top(full, k, eligible)
        assert scores.tobytes() == full[top].tobytes()  # bit for bit


def test_float32_sums_read_are_within_their_rounding_bound() -> None:
    # pruned_top_k reads sources into float32 sums: each document's sum, however many sources and
    # whatever their weights, within _sum_rounding of the exact sum of what the sources add to it.
    rng = random.Random("float32-sums")
    for _ in range(40):
        corpus = random_corpus(rng) * rng.randint(1, 5)
        index = SparseBM25(corpus, "plus", **random_params(rng, "plus"))
        weights = {t: w for t, w in random_weights(rng, corpus).items() if w > 0}
        groups = [{t: 1.0 for t in random_weights(rng, corpus)} for _ in range(rng.randint(0, 3))]
        group_of = np.array([rng.randint(-1, len(groups) - 1) for _ in corpus], dtype=np.int64)
        parts = [index.approximation(weights, index.absent_score(weights), rng.choice([1.0, 0.3, 7.0])),
                 index.group_approximation(groups, [index.absent_score(g) for g in groups], group_of)]
        sources = [source for part in parts for source in part.sources]
        n = index.n_docs
        acc = np.zeros(n, dtype=np.float32)
        reading = bm25._Reading(acc, 3)
        for source in sources:
            reading.read(source)
        looked_up = [source.lookup(np.arange(n)) for source in sources]
        exact = np.array([math.fsum(values[d] for values in looked_up) for d in range(n)])
        assert acc.dtype == np.float32
        assert np.all(np.abs(acc.astype(np.float64) - exact) <= bm25._sum_rounding(sources))


def test_reading_keeps_the_k_best_sums_and_the_documents_read_from_the_first_read() -> None:
    # _Reading keeps, after every read and without being asked first, the k documents with the highest
    # sums (their k-th highest sum) and each document read above 0 once; its first read, into sums all 0,
    # writes its values rather than adding them: the same sums.
    rng = random.Random("reading")
    for _ in range(30):
        corpus = random_corpus(rng) * rng.randint(1, 4)
        index = SparseBM25(corpus, "plus", **random_params(rng, "plus"))
        weights = {t: w for t, w in random_weights(rng, corpus).items() if w > 0}
        sources = index.approximation(weights, index.absent_score(weights)).sources
        n, k = index.n_docs, rng.choice([1, 3, 12])
        acc = np.zeros(n, dtype=np.float32)
        expected = np.zeros(n, dtype=np.float32)
        reading = bm25._Reading(acc, k)
        for source in sources:
            reading.read(source)
            for docs, added in source.scan():
                expected[docs] = expected[docs] + added
            assert acc.tobytes() == expected.tobytes()
            read = np.unique(np.concatenate([*reading.written, np.empty(0, dtype=np.intp)]))
            sums = np.sort(acc[read])
            # kept as read, before kth is first asked
            assert len(set(reading.best.tolist())) == len(reading.best) == min(k, len(read))
            assert reading.kth() == (float(sums[-k]) if len(read) >= k else -math.inf)
        found = reading.found()
        assert sorted(found.tolist()) == np.flatnonzero(acc > 0).tolist()


def test_reading_finds_only_the_documents_a_first_read_adds_more_than_0_to() -> None:
    # A first read is written into the zeroed sums; a stored contribution that underflowed to 0 adds
    # nothing, and its document is not one found (as when read after another list).
    for values in ([0.5, 0.0, 2.0], [0.5, 1.0, 2.0]):
        acc = np.zeros(10, dtype=np.float32)
        reading = bm25._Reading(acc, 2)
        docs = [1, 4, 7]
        stored = np.array(values, dtype=np.float16)
        reading.read(bm25.TermSource(np.array(docs, dtype=np.int32), stored, 1.0, 2.0))
        assert acc[docs].tolist() == values
        assert sorted(reading.found().tolist()) == [d for d, v in zip(docs, values, strict=True) if v > 0]


def test_reading_finds_only_the_documents_a_later_read_adds_more_than_0_to() -> None:
    # Read after another list, a value that underflowed to 0 raises no sum: its document, 0 before, is not
    # found; one the first list raised is found once, whatever the second adds to it.
    for values in ([0.5, 0.0, 2.0], [0.5, 1.0, 2.0]):
        acc = np.zeros(10, dtype=np.float32)
        reading = bm25._Reading(acc, 2)
        reading.read(bm25.TermSource(np.array([1, 2], dtype=np.int32), np.array([1.0, 3.0], dtype=np.float16),
                                     1.0, 3.0))
        docs = [2, 4, 7]
        reading.read(bm25.TermSource(np.array(docs, dtype=np.int32), np.array(values, dtype=np.float16),
                                     1.0, 2.0))
        assert acc[docs].tolist() == [3.0 + values[0], *values[1:]]
        raised = [d for d, v in zip(docs[1:], values[1:], strict=True) if v > 0]
        assert sorted(reading.found().tolist()) == [1, 2, *raised]


def test_pruned_top_k_lends_its_sums_back_zeroed() -> None:
    corpus = [["发展", "经济"], ["经济"], ["项目", "发展", "发展"], []] * 50
    index = SparseBM25(corpus, "plus")
    weights = {"发展": 1.0, "经济": 0.5}
    part = index.approximation(weights, index.absent_score(weights))
    full = index.get_weighted_scores(weights) - index.absent_score(weights)
    accumulators = bm25.Accumulators(len(corpus))
    for _ in range(2):  # the second question gets the sums the first gave back
        top, _ = bm25.pruned_top_k(part.sources, part.error, 5, lambda d: index.exact_scores(weights, d)
                                   - index.absent_score(weights), accumulators)
        assert top.tolist() == stable_positive_top(full, 5, np.ones(len(corpus), dtype=bool))
    with accumulators.borrowed() as acc:
        assert not acc.any()


def test_stored_contributions_widen_to_float32_as_astype_does() -> None:
    every = np.arange(1 << 16, dtype=np.uint16).view(np.float16)  # every float16, NaNs and infinities too
    for values in (every, every[::3], every[::-1], every[:0]):
        assert bm25._as_float32(values).tobytes() == values.astype(np.float32).tobytes()
    wide = np.random.default_rng(0).random(100).astype(np.float32)
    widened = bm25._as_float32(wide)
    assert widened.tobytes() == wide.tobytes() and widened is not wide  # a copy: kept ones are read-only


def test_approximations_refuse_terms_that_could_lower_a_score() -> None:
    corpus = [["发展", "经济"], ["经济"], ["项目"]]
    index = SparseBM25(corpus, "plus")
    assert index.approximation({"发展": 1.0}, 0.0).nonnegative
    assert not index.approximation({"发展": -1.0}, 0.0).nonnegative
    assert not index.approximation({"发展": 1.0}, 0.0, scale=-1.0).nonnegative
    okapi = SparseBM25([["发展"], ["发展"], ["发展"]], "okapi")
    assert okapi.idf("发展") < 0
    assert not okapi.approximation({"发展": 1.0}, 0.0).nonnegative


def test_the_best_documents_are_found_when_the_stored_contributions_rank_them_lower(pruning: str) -> None:
    # Documents scoring within float16's rounding of each other: by the stored contributions one of the
    # exact top 12 is below the 12th; found all the same, within the error margin.
    rng = random.Random(1)
    terms = ["a", "b", "d", "e", "f"]
    corpus = [[t for t in terms for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5]))]
              + ["c"] * rng.randint(0, 60) for _ in range(2000)]
    index = SparseBM25(corpus, "plus")
    weights = {t: rng.choice([1.0, 0.7, 0.4, 0.3, 2.0]) for t in terms}
    part = index.approximation(weights, index.absent_score(weights))
    full = index.get_weighted_scores(weights) - index.absent_score(weights)
    stored = sum(source.lookup(np.arange(len(corpus))) for source in part.sources)
    everyone = np.ones(len(corpus), dtype=bool)
    assert stored[stable_positive_top(full, 12, everyone)].min() < np.sort(stored)[-12]  # the case
    for k in (1, 12, 40):
        top, scores = bm25.pruned_top_k(part.sources, part.error, k, lambda d: index.exact_scores(weights, d)
                                        - index.absent_score(weights), bm25.Accumulators(len(corpus)))
        assert top.tolist() == stable_positive_top(full, k, everyone)
        assert scores.tobytes() == full[top].tobytes()


def test_posting_lists_kept_as_read_are_the_lists_as_read() -> None:
    # ReadPostings: a list kept (long enough) or not, read again, within the budget or past it; kept
    # lists read-only, and never more kept than the budget.
    rng = random.Random("read-postings")
    corpus = random_corpus(rng) * 3
    index = SparseBM25(corpus, "plus", **random_params(rng, "plus"))
    sizes = [len(index._postings(col)[0]) for col in range(len(index.vocabulary))]
    kept = bm25.ReadPostings(budget_mb=12 * max(sizes) / 2**20, shortest=2)
    for _ in range(200):
        col = rng.randrange(len(sizes))
        docs, values = index._postings(col)
        read_docs, read_values = kept.read(col, docs, values)
        assert read_docs.dtype == np.intp and read_values.dtype == np.float32
        np.testing.assert_array_equal(read_docs, docs)
        np.testing.assert_array_equal(read_values, values.astype(np.float32))
        if sizes[col] < 2:
            assert col not in kept._kept
        assert kept.used == sum(a.nbytes for pair in kept._kept.values() for a in pair) <= kept.budget
        assert all(not a.flags.writeable for pair in kept._kept.values() for a in pair)


def test_posting_lists_read_most_often_stay_kept() -> None:
    # A budget for two of three lists: the two read most often stay, whatever the order of the reads;
    # a list read as often as those kept waits, one read more often takes the place of the least read.
    docs = np.arange(0, 3000, 3, dtype=np.int32)
    values = np.ones(len(docs), dtype=np.float16)
    size = len(docs) * (np.dtype(np.intp).itemsize + 4)
    kept = bm25.ReadPostings(budget_mb=2.5 * size / 2**20, shortest=1)
    for col in (0, 0, 0, 1, 1, 2):
        kept.read(col, docs, values)
    assert set(kept._kept) == {0, 1}
    kept.read(2, docs, values)  # read twice, as often as 1: not kept in its place
    assert set(kept._kept) == {0, 1}
    kept.read(2, docs, values)  # three times: more often than 1
    assert set(kept._kept) == {0, 2}
    first = kept.read(0, docs, values)
    assert kept.read(0, docs, values)[0] is first[0]  # kept, not converted again


def test_posting_lists_kept_by_several_threads_stay_within_the_budget() -> None:
    # Threads answering at once read and keep lists through one ReadPostings: every list read is the list,
    # and what is kept is what is counted, within the budget.
    import threading

    rng = random.Random("read-postings-threads")
    corpus = random_corpus(rng) * 4
    index = SparseBM25(corpus, "plus", **random_params(rng, "plus"))
    columns = range(len(index.vocabulary))
    sizes = [len(index._postings(col)[0]) for col in columns]
    kept = bm25.ReadPostings(budget_mb=5 * max(sizes) * 12 / 2**20, shortest=2)
    wrong: list[int] = []

    def reader(seed: int) -> None:
        picks = random.Random(seed)
        for _ in range(300):
            col = picks.choice(columns)
            docs, values = index._postings(col)
            read_docs, read_values = kept.read(col, docs, values)
            same = np.array_equal(read_docs, docs) and np.array_equal(read_values, values.astype(np.float32))
            if not same:
                wrong.append(col)

    threads = [threading.Thread(target=reader, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong
    assert kept.used == sum(a.nbytes for pair in kept._kept.values() for a in pair) <= kept.budget


def test_sums_are_zeroed_float32_one_per_document() -> None:
    # Accumulators' arrays, on huge pages or not: zeroed, float32, writable, one per document.
    for n in (1, 1000, (bm25.HUGE_PAGE // 4) + 12_345):
        sums = bm25._zeroed_sums(n)
        assert sums.dtype == np.float32 and sums.shape == (n,) and sums.flags.writeable
        assert not sums.any()
        sums[::7] += 1.5
        assert float(sums.sum()) == 1.5 * len(range(0, n, 7))
