"""Turn passage scores into an answer: a confident top passage or none, its highlight, its outline.

A question is answered only when the top passage holds most of what the question is about,
measured by coverage: the share of the question's informativeness (idf) that the passage
contains, counting a related word as a match. "xx区有几家银行" finds passages about xx区
everywhere, but none holds 银行, the word that carries the question: no answer.
"""

from __future__ import annotations

import numpy as np

from retrieval.index import Entry, Index
from retrieval.models import Answer, Passage
from retrieval.query import Query
from retrieval.sentences import sentence_spans
from retrieval.tokens import normalize, related_terms

MIN_COVERAGE = 0.5  # below this share of the question's idf in the top passage: no answer


def coverage(query: Query, entry: Entry, index: Index) -> float:
    """Share of the question's idf found in the passage (heading path included)."""
    total = found = 0.0
    for term in query.own_terms:
        weight = index.idf(term)
        total += weight
        if term in entry.matchable or any(r in entry.matchable for r in related_terms(term)):
            found += weight
    return found / total if total else 0.0


def best_sentence(text: str, query: Query, index: Index) -> str:
    """The sentence of the passage that holds the most question idf (ties: the earlier one)."""
    best, best_score = "", -1.0
    for start, end in sentence_spans(text):
        sentence = normalize(text[start:end])
        score = sum(w * index.idf(t) for t, w in query.terms.items() if t in sentence)
        if score > best_score + 1e-9:
            best, best_score = text[start:end], score
    return best


def to_passage(entry: Entry, score: float, query: Query, index: Index) -> Passage:
    chunk = entry.chunk
    return Passage(
        doc=chunk.doc,
        section=chunk.path,
        text=chunk.text,
        highlight=best_sentence(chunk.text, query, index),
        outline=chunk.outline if query.is_list else (),
        score=float(score),
        title=entry.title,
    )


def answer(query: Query, index: Index, top_k: int, doc: str | None = None) -> Answer:
    if not query.own_terms or not len(index):
        return Answer(question=query.text, answer=None)
    scores = index.scores(query)
    order = np.argsort(-scores, kind="stable")
    ranked = [i for i in order if doc is None or index.entries[i].chunk.doc == doc][: max(top_k, 1)]
    results = tuple(to_passage(index.entries[i], scores[i], query, index) for i in ranked)
    confident = bool(ranked) and scores[ranked[0]] > 0 and (
        coverage(query, index.entries[ranked[0]], index) >= MIN_COVERAGE
    )
    if confident:
        return Answer(question=query.text, answer=results[0], results=results)
    suggestions = tuple(p.section for p in results if p.section)
    return Answer(question=query.text, answer=None, results=results, suggestions=suggestions)
