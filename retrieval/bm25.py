"""BM25 scores from a precomputed sparse matrix, bit for bit the same as rank_bm25.

rank_bm25's ``get_scores`` loops in Python over every document for every query
term: about 150 ms per query at 100,000 chunks. Almost all of that work does
not depend on the query, so we do it once at build time. Each (term, document)
pair gets its BM25 contribution precomputed, stored in a sparse matrix with one
column per term; a query then only adds up its terms' columns.

Exactness matters more than it looks. Callers compare scores, break ties by
document order, and test against rank_bm25. So every contribution is computed
with the same floating-point operations, in the same order, as rank_bm25, and
a query adds its terms in query order, as rank_bm25 does. The scores are then
identical to rank_bm25's, not merely close, and so are the rankings and ties.
Two details follow from that:

* BM25Plus gives every document ``idf * delta`` for a query term, also the
  documents without the term. Folding those into one per-query constant would
  round differently, so each term adds its constant to every document in turn.
* Adding a posting list costs a few nanoseconds per posting, adding a dense
  column a fraction of a nanosecond per document. For terms found in many
  documents (的, 工作, 发展 …) we therefore also keep the dense column, within a
  memory budget. Both paths give the same numbers.

Where rank_bm25 yields NaN (``b == 1`` with empty documents) this module
treats the empty documents as containing no term; ``k1`` must be positive.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import Literal

import numpy as np
from scipy import sparse

Variant = Literal["okapi", "plus", "l"]

# rank_bm25's default delta for each variant (BM25Okapi has none).
DEFAULT_DELTA: dict[str, float] = {"okapi": 0.0, "plus": 1.0, "l": 0.5}

# A term found in at least this fraction of documents gets a dense column:
# there, adding N dense values is about as cheap as adding its posting list.
HOT_MIN_DOC_FRACTION = 1 / 16

# Memory allowed for dense columns, by default; the most frequent terms go first.
HOT_MEMORY_MB = 256.0


class SparseBM25:
    """A BM25 index answering like rank_bm25.BM25Okapi / BM25Plus / BM25L.

    ``corpus`` is a list of token lists, one per document (chunk). ``variant``
    picks the rank_bm25 class; ``k1``, ``b``, ``epsilon`` (okapi) and ``delta``
    (plus, l; default as in rank_bm25) are its parameters.
    """

    def __init__(self, corpus: Sequence[Sequence[str]], variant: Variant, *, k1: float = 1.5,
                 b: float = 0.75, epsilon: float = 0.25, delta: float | None = None,
                 hot_memory_mb: float = HOT_MEMORY_MB) -> None:
        _check_parameters(corpus, variant, k1, b)
        self.variant = variant
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.delta = DEFAULT_DELTA[variant] if delta is None else delta

        self.vocabulary, counts, self.doc_len = _count_terms(corpus)
        self.n_docs = len(corpus)
        self.avgdl = int(self.doc_len.sum()) / self.n_docs  # as rank_bm25: empty documents count
        self._doc_freq = np.diff(counts.indptr)
        self._idf = self._compute_idf()

        self.weights = self._contributions(counts)
        # What a term adds to a document without it: idf * delta for BM25Plus, else 0.
        self._absent = self._idf * self.delta if variant == "plus" else np.zeros(len(self._idf))
        self._hot_slot, self._hot = self._dense_columns(hot_memory_mb)

    # -- Vocabulary lookups -------------------------------------------------

    def idf(self, term: str) -> float:
        """The term's idf as rank_bm25 stores it (Okapi: floored); 0.0 for unknown terms."""
        col = self.vocabulary.get(term)
        return 0.0 if col is None else float(self._idf[col])

    def doc_freq(self, term: str) -> int:
        """Number of documents containing the term."""
        col = self.vocabulary.get(term)
        return 0 if col is None else int(self._doc_freq[col])

    @property
    def n_dense_columns(self) -> int:
        """How many frequent terms also have a dense column."""
        return self._hot.shape[1]

    @property
    def nbytes(self) -> int:
        """Memory held by the index arrays (the vocabulary dict not included)."""
        arrays = (self.weights.data, self.weights.indices, self.weights.indptr, self.doc_len,
                  self._doc_freq, self._idf, self._absent, self._hot_slot, self._hot)
        return sum(a.nbytes for a in arrays)

    # -- Queries ------------------------------------------------------------

    def get_scores(self, query_tokens: Iterable[str]) -> np.ndarray:
        """Score of every document, identical to rank_bm25's get_scores.

        A repeated token counts once per occurrence; an unknown token adds 0.
        """
        scores = np.zeros(self.n_docs)
        for token in query_tokens:
            col = self.vocabulary.get(token)
            if col is not None:
                self._add_term(scores, col, 1.0)
        return scores

    def get_weighted_scores(self, weights: Mapping[str, float]) -> np.ndarray:
        """Sum over terms of weight × the term's contribution, added in the mapping's order.

        With token counts as weights this equals get_scores up to rounding
        (2 × c added once instead of c added twice): within 1e-12 relative.
        """
        scores = np.zeros(self.n_docs)
        for term, weight in weights.items():
            col = self.vocabulary.get(term)
            if col is not None and weight != 0:
                self._add_term(scores, col, float(weight))
        return scores

    @staticmethod
    def top_k(scores: np.ndarray, k: int) -> np.ndarray:
        """Indices of the k highest scores, best first; ties go to the lower index.

        The order is exactly ``sorted(range(n), key=lambda i: -scores[i])[:k]``
        (a stable sort by descending score), found with a partial sort.
        Scores must not contain NaN.
        """
        k = min(k, len(scores))
        if k <= 0:
            return np.empty(0, dtype=np.intp)
        cut = -np.partition(-scores, k - 1)[k - 1]  # the k-th highest score
        candidates = np.flatnonzero(scores >= cut)
        if len(candidates) > k:  # several documents tie at the cut: keep the lowest indices
            values = scores[candidates]
            above = candidates[values > cut]
            tied = candidates[values == cut][: k - len(above)]
            candidates = np.concatenate([above, tied])
        return candidates[np.argsort(-scores[candidates], kind="stable")]

    def _add_term(self, scores: np.ndarray, col: int, weight: float) -> None:
        """scores[d] += weight × contribution of term `col` to d, for every document d."""
        slot = self._hot_slot[col]
        if slot >= 0:
            column = self._hot[:, slot]
            scores += column if weight == 1.0 else weight * column
            return
        start, end = self.weights.indptr[col], self.weights.indptr[col + 1]
        docs = self.weights.indices[start:end]
        values = self.weights.data[start:end]
        if weight != 1.0:
            values = weight * values
        absent = self._absent[col]
        if absent == 0.0:
            scores[docs] += values  # docs are distinct within a column
            return
        present = scores[docs]  # BM25Plus: docs with the term get their value, all others the constant
        scores += weight * absent
        scores[docs] = present + values

    # -- Build --------------------------------------------------------------

    def _compute_idf(self) -> np.ndarray:
        """rank_bm25's idf per term, with math.log as it uses (numpy's log may round differently)."""
        n = self.n_docs
        if self.variant == "okapi":
            idf = [math.log(n - f + 0.5) - math.log(f + 0.5) for f in self._doc_freq.tolist()]
            return np.array(_floor_negative_idf(idf, self.epsilon), dtype=np.float64)
        if self.variant == "plus":
            return np.array([math.log((n + 1) / f) for f in self._doc_freq.tolist()], dtype=np.float64)
        return np.array([math.log(n + 1) - math.log(f + 0.5) for f in self._doc_freq.tolist()],
                        dtype=np.float64)

    def _contributions(self, counts: sparse.csc_array) -> sparse.csc_array:
        """Each posting's BM25 contribution, with rank_bm25's exact operations and their order."""
        tf = counts.data
        idf = np.repeat(self._idf, self._doc_freq)
        dl = self.doc_len[counts.indices]
        length_norm = 1 - self.b + self.b * dl / self.avgdl  # no postings at all if avgdl == 0
        k1, delta = self.k1, self.delta
        if self.variant == "okapi":
            values = idf * (tf * (k1 + 1) / (tf + k1 * length_norm))
        elif self.variant == "plus":
            values = idf * (delta + (tf * (k1 + 1)) / (k1 * length_norm + tf))
        else:
            ctd = tf / length_norm
            values = idf * tf * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)
        return sparse.csc_array((values, counts.indices, counts.indptr), shape=counts.shape)

    def _dense_columns(self, memory_mb: float) -> tuple[np.ndarray, np.ndarray]:
        """Dense copies of the most frequent terms' columns, as many as memory_mb allows."""
        n_terms = len(self._doc_freq)
        budget = int(memory_mb * 2**20) // (8 * self.n_docs)
        frequent = np.flatnonzero(self._doc_freq >= self.n_docs * HOT_MIN_DOC_FRACTION)
        hot_terms = frequent[np.argsort(-self._doc_freq[frequent], kind="stable")][:budget]
        slots = np.full(n_terms, -1, dtype=np.intp)
        slots[hot_terms] = np.arange(len(hot_terms))
        hot = np.empty((self.n_docs, len(hot_terms)), order="F")
        for slot, col in enumerate(hot_terms.tolist()):
            start, end = self.weights.indptr[col], self.weights.indptr[col + 1]
            hot[:, slot] = self._absent[col]
            hot[self.weights.indices[start:end], slot] = self.weights.data[start:end]
        return slots, hot


def _check_parameters(corpus: Sequence[Sequence[str]], variant: str, k1: float, b: float) -> None:
    if variant not in DEFAULT_DELTA:
        raise ValueError(f"unknown BM25 variant {variant!r}; expected one of {sorted(DEFAULT_DELTA)}")
    if not corpus:
        raise ValueError("cannot index an empty corpus")
    if not k1 > 0 or not 0 <= b <= 1:
        raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")


def _count_terms(corpus: Sequence[Sequence[str]]) -> tuple[dict[str, int], sparse.csc_array, np.ndarray]:
    """Vocabulary (term → column, in order of first appearance), term counts per document, lengths.

    The order of first appearance is rank_bm25's order too, which fixes the
    order in which Okapi sums idfs for its average.
    """
    vocabulary = {term: col for col, term in enumerate(dict.fromkeys(chain.from_iterable(corpus)))}
    doc_len = np.fromiter(map(len, corpus), dtype=np.int64, count=len(corpus))
    total = int(doc_len.sum())
    cols = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(corpus)), dtype=np.int64, count=total)
    rows = np.repeat(np.arange(len(corpus), dtype=np.int64), doc_len)
    counts = sparse.coo_array((np.ones(total), (rows, cols)), shape=(len(corpus), len(vocabulary))).tocsc()
    counts.sum_duplicates()  # tf per (document, term); also sorts each column's documents
    return vocabulary, counts, doc_len


def _floor_negative_idf(idf: list[float], epsilon: float) -> list[float]:
    """BM25Okapi: a negative idf becomes epsilon × the average idf (of all terms, before flooring)."""
    if not idf:
        return idf
    total = 0.0
    for value in idf:  # a plain running sum, as rank_bm25 does: np.sum would round differently
        total += value
    floor = epsilon * (total / len(idf))
    return [floor if value < 0 else value for value in idf]
