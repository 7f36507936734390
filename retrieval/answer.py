"""Turn passage scores into an answer: a confident top passage or none, its highlight, its outline.

Ranking: BM25 finds candidates; each candidate is then judged by how much of the question
it holds (coverage: the share of the question's idf found in the passage and its heading
path, a related word counting as found) and by its best sentence (the share found in one
sentence). A fact is usually stated in one sentence, so a passage that answers in one
sentence beats one that mentions the same words far apart.

A question is answered only when the top passage covers most of what it asks:
"xx区有几家银行" finds passages about xx区 everywhere, but none holds 银行, the word that
carries the question, so there is no answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.index import Entry, Index
from retrieval.models import Answer, Passage
from retrieval.query import Query
from retrieval.tokens import related_terms

CANDIDATES = 30  # passages re-ranked after BM25
COVERAGE_WEIGHT = 0.5
SENTENCE_WEIGHT = 0.5
MIN_COVERAGE = 0.5  # below this share of the question's idf in the top passage: no answer


@dataclass(frozen=True)
class Judged:
    """A candidate passage with the evidence for ranking it."""

    position: int  # index into Index.entries
    bm25: float
    coverage: float
    highlight: str
    sentence_share: float

    def rank_score(self, best_bm25: float) -> float:
        return self.bm25 / best_bm25 + COVERAGE_WEIGHT * self.coverage + SENTENCE_WEIGHT * self.sentence_share


@dataclass(frozen=True)
class Wanted:
    """What the question asks for: each of its words with its idf and the words that also count."""

    terms: tuple[tuple[float, tuple[str, ...]], ...]
    total: float

    @classmethod
    def of(cls, query: Query, index: Index) -> Wanted:
        terms = tuple((index.idf(t), (t, *sorted(related_terms(t)))) for t in query.own_terms)
        return cls(terms, sum(weight for weight, _ in terms))

    def share_found(self, text: str) -> float:
        """Share of the question's idf whose words (or related words) occur in normalized text."""
        if not self.total:
            return 0.0
        found = sum(weight for weight, forms in self.terms if any(f in text for f in forms))
        return found / self.total


def best_sentence(entry: Entry, wanted: Wanted) -> tuple[str, float]:
    """The sentence holding the largest share of the question (ties: the earlier one)."""
    best, best_share = "", -1.0
    for sentence, normalized in entry.sentences:
        share = wanted.share_found(normalized)
        if share > best_share + 1e-9:
            best, best_share = sentence, share
    return best, max(best_share, 0.0)


def judge(wanted: Wanted, position: int, bm25: float, index: Index) -> Judged:
    entry = index.entries[position]
    highlight, sentence_share = best_sentence(entry, wanted)
    return Judged(position, bm25, wanted.share_found(entry.matchable), highlight, sentence_share)


def rank(query: Query, index: Index, doc: str | None = None) -> list[Judged]:
    """Candidates in answer order, best first."""
    scores = index.scores(query)
    if doc is not None:
        scores = np.where([e.chunk.doc == doc for e in index.entries], scores, 0.0)
    order = [int(i) for i in np.argsort(-scores, kind="stable")[:CANDIDATES] if scores[i] > 0]
    if not order:
        return []
    wanted = Wanted.of(query, index)
    judged = [judge(wanted, i, float(scores[i]), index) for i in order]
    best = judged[0].bm25
    return sorted(judged, key=lambda j: -j.rank_score(best))


def to_passage(judged: Judged, query: Query, index: Index, score: float) -> Passage:
    entry = index.entries[judged.position]
    return Passage(
        doc=entry.chunk.doc,
        section=entry.chunk.path,
        text=entry.chunk.text,
        highlight=judged.highlight,
        outline=entry.chunk.outline if query.is_list else (),
        score=score,
        title=entry.title,
    )


def answer(query: Query, index: Index, top_k: int, doc: str | None = None) -> Answer:
    if not query.own_terms or not len(index):
        return Answer(question=query.text, answer=None)
    ranked = rank(query, index, doc)
    best = ranked[0].bm25 if ranked else 1.0
    results = tuple(to_passage(j, query, index, j.rank_score(best)) for j in ranked[: max(top_k, 1)])
    if ranked and ranked[0].coverage >= MIN_COVERAGE:
        return Answer(question=query.text, answer=results[0], results=results)
    suggestions = tuple(p.section for p in results if p.section)
    return Answer(question=query.text, answer=None, results=results, suggestions=suggestions)
