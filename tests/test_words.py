"""Numbered words (retrieval/words.py) decode to the words they were made of, and an index built
from them is the index built from the strings, bit for bit."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
from test_bm25 import WORDS, random_corpus

from retrieval.bm25 import SparseBM25
from retrieval.words import NO_WORDS, Words, number_all

PASSAGES = [["发展", "经济", "发展"], [], ["经济", "配套", "2022", "年"]]


def test_words_are_numbered_in_order_of_first_use_and_decode_to_the_passages():
    words = Words.of(PASSAGES)
    assert words.terms == ("发展", "经济", "配套", "2022", "年")
    assert words.numbers.tolist() == [0, 1, 0, 1, 2, 3, 4] and words.numbers.dtype == np.int32
    assert words.lengths.tolist() == [3, 0, 4]
    assert len(words) == 3 and list(words) == [tuple(p) for p in PASSAGES]
    assert words.is_valid() and NO_WORDS.is_valid() and len(NO_WORDS) == 0 and list(NO_WORDS) == []


def test_words_survive_a_pickle_and_compare_by_content():
    words = Words.of(PASSAGES)
    back = pickle.loads(pickle.dumps(words, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == words and list(back) == list(words)
    assert words != Words.of(PASSAGES[:2]) and words != Words.of([["经济"], [], []])


@pytest.mark.parametrize("seed", range(20))
def test_words_kept_are_the_kept_words_of_each_passage_numbered_bit_for_bit(seed):
    rng = random.Random(seed)
    passages = [[rng.choice(WORDS[:12]) for _ in range(rng.randint(0, 9))] for _ in range(rng.randint(1, 6))]
    keep = set(rng.sample(WORDS[:12], rng.randint(0, 12))) | {"|"}  # a separator is never kept
    words = [w for number, p in enumerate(passages) for w in ([] if number == 0 else ["|"]) + p]
    kept = Words.kept(words, keep.__contains__, "|")
    reference = Words.of([[w for w in p if w in keep] for p in passages])
    assert pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL) == pickle.dumps(reference,
                                                                                protocol=pickle.HIGHEST_PROTOCOL)
    assert kept.is_valid() and list(kept) == list(reference)


@pytest.mark.parametrize("parts", [
    Words(("a",), np.array([1], dtype=np.int32), np.array([1], dtype=np.int32)),  # no word 1
    Words(("a",), np.array([0], dtype=np.int32), np.array([2], dtype=np.int32)),  # 1 number for 2
    Words(("a",), np.array([-1], dtype=np.int32), np.array([1], dtype=np.int32)),
])
def test_parts_that_do_not_fit_together_are_not_valid(parts):
    assert not parts.is_valid()


def test_a_library_is_numbered_across_its_documents_as_its_strings_would_be():
    rng = random.Random(7)
    documents = [[[rng.choice(WORDS) for _ in range(rng.randint(0, 9))] for _ in range(rng.randint(0, 5))]
                 for _ in range(30)]
    passages = [p for document in documents for p in document]
    terms, numbers, lengths = number_all(Words.of(d) for d in documents)
    whole = Words.of(passages)
    assert terms == list(whole.terms)
    np.testing.assert_array_equal(numbers, whole.numbers)
    np.testing.assert_array_equal(lengths, whole.lengths)
    assert number_all([])[0] == []


@pytest.mark.parametrize("seed", range(40))
def test_an_index_built_from_numbers_is_the_index_built_from_strings(seed):
    rng = random.Random(seed)
    corpus = random_corpus(rng)
    cut = sorted(rng.sample(range(len(corpus) + 1), 2))  # three documents of passages, some empty
    documents = [corpus[:cut[0]], corpus[cut[0]:cut[1]], corpus[cut[1]:]]
    variant = rng.choice(["okapi", "plus", "l"])
    from_strings = SparseBM25(corpus, variant, hot_memory_mb=0.0)
    terms, numbers, lengths = number_all(Words.of(d) for d in documents)
    from_numbers = SparseBM25.numbered(terms, numbers, lengths, variant, hot_memory_mb=0.0)
    assert from_numbers.vocabulary == from_strings.vocabulary
    for name in ("_indptr", "_indices", "_tf", "_doc_freq", "_weights", "_idf", "doc_len"):
        np.testing.assert_array_equal(getattr(from_numbers, name), getattr(from_strings, name), err_msg=name)
        assert getattr(from_numbers, name).dtype == getattr(from_strings, name).dtype, name
    query = [rng.choice(WORDS) for _ in range(4)]
    np.testing.assert_array_equal(from_numbers.get_scores(query), from_strings.get_scores(query))


@pytest.mark.parametrize("terms", [(), ("",), ("", ""), ("发展", "经济"), ("a\x00b", "c"), ("\x00",)])
def test_terms_are_pickled_as_one_string_unless_one_holds_its_separator(terms):
    words = Words(terms, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))
    back = pickle.loads(pickle.dumps(words, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.terms == terms and isinstance(back.terms, tuple)
    assert isinstance(words.__getstate__()[0], str) == ("\x00" not in "".join(terms))


def test_unpickled_words_split_their_terms_when_first_read():
    """A Words unpickled keeps its terms joined until they are read (Words.terms): pickled again
    unread it is the same bytes, and the terms read are the ones pickled; terms not as many as
    the count say are refused at once, as before."""
    words = Words.of(PASSAGES)
    data = pickle.dumps(words, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    assert back._terms is None and back.term_count == 5 and back.is_valid()
    assert pickle.dumps(back, protocol=pickle.HIGHEST_PROTOCOL) == data
    assert back.terms == words.terms and back._terms is not None and back == words
    assert pickle.loads(pickle.dumps(NO_WORDS)) == NO_WORDS
    bad = pickle.dumps(Words(("a\x00b",), np.array([0], dtype=np.int32), np.array([1], dtype=np.int32)))
    assert pickle.loads(bad).terms == ("a\x00b",)  # a term holding the separator: pickled as a tuple
    state = words.__getstate__()
    short = Words.__new__(Words)
    with pytest.raises(ValueError):
        short.__setstate__((state[0], state[1], state[2], 4))


@pytest.mark.parametrize("seed", range(20))
def test_numbering_by_a_vocabulary_numbers_as_numbering_by_the_terms(seed, monkeypatch):
    """A Vocabulary's kept words are Words.kept's, bit for bit; and Numbering.add_from with its
    numbers (a preparing worker's, kept or numbered) numbers each document as add does: documents
    of several vocabularies in library order, each vocabulary's in the order it numbered them,
    some added by their terms between; a vocabulary starting again past its LIMIT."""
    from retrieval.words import Numbering, Vocabulary

    rng = random.Random(seed)
    monkeypatch.setattr(Vocabulary, "LIMIT", rng.choice([20, 40, 1_000]))
    keep = set(rng.sample(WORDS[:30], 20)).__contains__
    vocabularies = [Vocabulary(name, keep) for name in ("one", "two")]
    plain, by_source = Numbering(), Numbering()
    for _ in range(40):
        passages = [[rng.choice(WORDS[:30]) for _ in range(rng.randint(0, 9))]
                    for _ in range(rng.randint(1, 5))]
        cut = [w for number, p in enumerate(passages) for w in ([] if number == 0 else ["|"]) + p]
        words = Words.kept(cut, keep, "|")
        plain.add(words)
        which, how = rng.randint(0, 2), rng.choice(["kept", "numbered"])
        if which == 2:  # found in the cache: numbered by its terms
            by_source.add(pickle.loads(pickle.dumps(words)))
            continue
        vocabulary = vocabularies[which]
        if how == "kept":
            made, local = vocabulary.kept(cut, "|")
            assert pickle.dumps(made) == pickle.dumps(words)
        else:
            local = vocabulary.numbered(words)
        by_source.add_from(*vocabulary.told(local), pickle.loads(pickle.dumps(words)))
        assert vocabulary._words == list(vocabulary._numbers_of), "each word's verdict, in number order"
    assert by_source.terms() == plain.terms()
    for got, expected in zip(by_source.result(), plain.result(), strict=True):
        assert np.array_equal(got, expected)
    # A word that is no term cannot be numbered so.
    assert Vocabulary("three", keep).numbered(Words.of([["|"]])) is None
