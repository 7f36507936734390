"""Speed at scale: SparseBM25 against plain rank-bm25, and the token cache on reload.

Why this exists: rank-bm25 loops in Python over every document for every query
term (~150 ms a query at 100,000 chunks), and jieba tokenizes ~400,000
characters a second, so both query time and load time grow with the library.
This prints, in one run and for the same corpus, what the project pays and
what plain rank-bm25 pays: index build, tokenization, query p50/p99 for the
top 5, memory, and how each grows with N.

The corpus is synthetic: sentences of the documents in data/ recombined into
chunks of 100–400 characters. With only a few source documents its vocabulary
is small and its posting lists are long, which is the hard case for a sparse
index. Queries are questions built around 4–10 character spans of the corpus.

    .venv/bin/python benchmarks/bench_query.py                  # N = 1,000, 10,000, 100,000
    .venv/bin/python benchmarks/bench_query.py --chunks 20000

The last line printed is one JSON object for the largest N.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from retrieval.bm25 import SparseBM25
from retrieval.index import BM25_PARAMS
from retrieval.text.tokens import tokenize, tokenizer_fingerprint
from retrieval.token_cache import tokenize_all

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
VARIANT = "plus"  # the variant retrieval/index.py uses, with its BM25_PARAMS
RANK_BM25 = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}[VARIANT]
TOP_K = 5
CHUNKS_PER_DOC = 50  # synthetic chunks grouped into documents, the unit of the token cache
SPEECH_CHARS = 5_000  # a speech of ~15 KB of UTF-8, like the one in data/; chunks average ~300 chars
QUESTION_TEMPLATES = ["{}有哪些任务", "{}的目标是什么", "2022年{}怎么做", "如何推进{}", "{}", "关于{}的要求"]


@dataclass
class Run:
    """Figures for one corpus size."""

    chunks: int
    chars: int
    tokenize_s: float
    cache_load_s: float
    build_s: float
    build_peak_mb: float
    index_mb: float
    p50_ms: float
    p99_ms: float
    rank_bm25_build_s: float
    rank_bm25_mb: float
    rank_bm25_p50_ms: float
    rank_bm25_p99_ms: float
    same_top_k: int
    queries: int

    @property
    def speedup(self) -> float:
        return self.rank_bm25_p50_ms / self.p50_ms


def main() -> None:
    args = parse_args()
    if args.cold_start_child:
        cold_start_child(Path(args.cold_start_child))
        return
    sentences = corpus_sentences(DATA)
    print(f"corpus: {len(sentences)} sentences from {DATA}; variant {VARIANT} {BM25_PARAMS}; "
          f"top {TOP_K}; {args.queries} queries")
    runs = [bench_size(n, sentences, args) for n in args.chunks]
    print_growth(runs)
    if not args.skip_reload:
        bench_reload(sentences, args.reload_docs)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak_rss:.0f} MB")
    print(json.dumps(summary(runs[-1])))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, nargs="+", default=[1_000, 10_000, 100_000],
                        help="corpus sizes to measure (default: 1000 10000 100000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reload-docs", type=int, default=1_000,
                        help="speech-size documents in the reload scenario")
    parser.add_argument("--skip-reload", action="store_true")
    parser.add_argument("--cold-start-child", help=argparse.SUPPRESS)
    return parser.parse_args()


# -- Synthetic corpus and queries ---------------------------------------------


def corpus_sentences(data_dir: Path) -> list[str]:
    """Sentences (。！？； or line ends) of every text document in data_dir."""
    sentences = []
    for path in sorted(data_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        sentences += [s.strip() for s in re.split(r"(?<=[。！？；])|\n", text) if len(s.strip()) >= 8]
    if not sentences:
        sys.exit(f"no sentences found in {data_dir}/*.txt")
    return sentences


def synthetic_chunks(sentences: list[str], n: int, rng: random.Random) -> list[str]:
    """n chunks of 100–400 characters, each a run of random sentences."""
    chunks = []
    for _ in range(n):
        target, text = rng.randint(100, 400), ""
        while len(text) < target:
            text += rng.choice(sentences)
        chunks.append(text[:400])
    return chunks


def questions(sentences: list[str], n: int, rng: random.Random) -> list[str]:
    """Questions around a 4–10 character span of a sentence, e.g. "基础配套项目有哪些任务"."""
    result = []
    for _ in range(n):
        words = re.sub(r"[^\w]", "", rng.choice(sentences))
        size = min(len(words), rng.randint(4, 10))
        start = rng.randint(0, len(words) - size)
        result.append(rng.choice(QUESTION_TEMPLATES).format(words[start:start + size]))
    return result


def as_documents(chunks: list[str], per_doc: int) -> list[list[str]]:
    return [chunks[i:i + per_doc] for i in range(0, len(chunks), per_doc)]


# -- One corpus size ------------------------------------------------------------


def bench_size(n: int, sentences: list[str], args: argparse.Namespace) -> Run:
    rng = random.Random(args.seed)
    chunks = synthetic_chunks(sentences, n, rng)
    queries = [tokenize(q) for q in questions(sentences, args.queries, rng)]
    chars = sum(map(len, chunks))
    print(f"\nN = {n:,} chunks, {chars:,} characters")

    corpus, tokenize_s, cache_load_s = timed_tokenize(chunks)
    build_s, index = timed(lambda: SparseBM25(corpus, VARIANT, **BM25_PARAMS))
    build_peak_mb, index_mb = traced_mb(lambda: SparseBM25(corpus, VARIANT, **BM25_PARAMS))
    ours_ms, ours_top = time_queries(queries, lambda q: index.top_k(index.get_scores(q), TOP_K))

    rank_build_s, plain = timed(lambda: RANK_BM25(corpus, **BM25_PARAMS))
    _, rank_mb = traced_mb(lambda: RANK_BM25(corpus, **BM25_PARAMS))
    plain_ms, plain_top = time_queries(queries, lambda q: plain_top_k(plain.get_scores(q)))

    same = sum(a.tolist() == b.tolist() for a, b in zip(ours_top, plain_top, strict=True))
    run = Run(chunks=n, chars=chars, tokenize_s=tokenize_s, cache_load_s=cache_load_s, build_s=build_s,
              build_peak_mb=build_peak_mb, index_mb=index_mb,
              p50_ms=percentile(ours_ms, 50), p99_ms=percentile(ours_ms, 99),
              rank_bm25_build_s=rank_build_s, rank_bm25_mb=rank_mb,
              rank_bm25_p50_ms=percentile(plain_ms, 50), rank_bm25_p99_ms=percentile(plain_ms, 99),
              same_top_k=same, queries=len(queries))
    print_run(run, index)
    return run


def timed_tokenize(chunks: list[str]) -> tuple[list[list[str]], float, float]:
    """Tokenize cold on all cores (writing the cache), then again from the warm cache."""
    docs = as_documents(chunks, CHUNKS_PER_DOC)
    fingerprint = tokenizer_fingerprint()
    with tempfile.TemporaryDirectory(prefix="bench-tokens-") as cache_dir:
        cold_s, tokens = timed(lambda: tokenize_all(docs, tokenize, Path(cache_dir), fingerprint))
        warm_s, cached = timed(lambda: tokenize_all(docs, tokenize, Path(cache_dir), fingerprint))
    assert cached == tokens
    return [chunk for doc in tokens for chunk in doc], cold_s, warm_s


def plain_top_k(scores: np.ndarray) -> np.ndarray:
    """Top k by a full stable sort: same order as SparseBM25.top_k."""
    return np.argsort(-scores, kind="stable")[:TOP_K]


def time_queries(queries: list[list[str]], search: Callable[[list[str]], np.ndarray],
                 ) -> tuple[list[float], list[np.ndarray]]:
    search(queries[0])  # warm-up
    times, results = [], []
    for query in queries:
        start = time.perf_counter()
        results.append(search(query))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def print_run(run: Run, index: SparseBM25) -> None:
    print(f"  tokenize (cold, all cores, writing cache) {run.tokenize_s:8.2f} s  "
          f"{run.chars / run.tokenize_s:12,.0f} chars/s")
    print(f"  tokenize (warm cache)                     {run.cache_load_s:8.2f} s  "
          f"{run.chars / run.cache_load_s:12,.0f} chars/s")
    print(f"  {'':28}{'project':>14}{'rank-bm25':>14}{'ratio':>10}")
    rows = [("index build (s)", run.build_s, run.rank_bm25_build_s),
            ("index memory (MB)", run.index_mb, run.rank_bm25_mb),
            (f"query p50 top {TOP_K} (ms)", run.p50_ms, run.rank_bm25_p50_ms),
            (f"query p99 top {TOP_K} (ms)", run.p99_ms, run.rank_bm25_p99_ms)]
    for label, ours, plain in rows:
        print(f"  {label:28}{ours:14.3f}{plain:14.3f}{plain / ours:9.1f}x")
    print(f"  memory = what the built index holds (tracemalloc); build peak {run.build_peak_mb:.0f} MB; "
          f"index arrays {index.nbytes / 2**20:.0f} MB: {len(index.vocabulary):,} terms, "
          f"{index.weights.nnz:,} postings, {index.n_dense_columns} dense columns")
    print(f"  identical top-{TOP_K} rankings: {run.same_top_k}/{run.queries}")


def print_growth(runs: list[Run]) -> None:
    """Each cost as a power of N between consecutive sizes: 1.0 = linear, 0 = constant."""
    if len(runs) < 2:
        return
    print("\ngrowth with N (exponent e in cost ∝ N^e between consecutive sizes)")
    fields = ["tokenize_s", "cache_load_s", "build_s", "index_mb", "p50_ms", "p99_ms", "rank_bm25_p50_ms"]
    for a, b in zip(runs, runs[1:], strict=False):
        scale = math.log(b.chunks / a.chunks)
        exponents = "  ".join(f"{f} {math.log(getattr(b, f) / getattr(a, f)) / scale:.2f}" for f in fields)
        print(f"  {a.chunks:,} → {b.chunks:,}: {exponents}")


# -- Reload scenario --------------------------------------------------------------


def bench_reload(sentences: list[str], n_docs: int) -> None:
    """n_docs speech-size documents cached; change one and reload; restart with the cache warm."""
    rng = random.Random(2)
    docs = [synthetic_chunks(sentences, SPEECH_CHARS // 300, rng) for _ in range(n_docs)]
    chars = sum(len(c) for doc in docs for c in doc)
    fingerprint = tokenizer_fingerprint()
    print(f"\nreload: {n_docs:,} documents, {chars:,} characters ({chars / n_docs:,.0f} per document)")
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        cache_dir = Path(tmp) / "tokens"
        cold_s, tokens = timed(lambda: tokenize_all(docs, tokenize, cache_dir, fingerprint))
        print(f"  first load, empty cache, all cores       {cold_s:7.2f} s")
        docs[n_docs // 2] = [*docs[n_docs // 2][:-1], "这一段改过了，重新分词。"]
        reload_s, tokens = timed(lambda: tokenize_all(docs, tokenize, cache_dir, fingerprint))
        corpus = [chunk for doc in tokens for chunk in doc]
        build_s, _ = timed(lambda: SparseBM25(corpus, VARIANT, **BM25_PARAMS))
        print(f"  reload after one changed document         {reload_s:7.2f} s  (target ≤ 2 s)"
              f"  + index build {build_s:.2f} s for {len(corpus):,} chunks")
        (Path(tmp) / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        for label, change in [("restart, warm cache", False), ("restart, one changed document", True)]:
            total_s, inner_s = run_cold_start(Path(tmp), change)
            print(f"  {label:40} {total_s:7.2f} s  (process start to tokens; tokenize_all {inner_s:.2f} s;"
                  f" target ≤ 3 s)")


def run_cold_start(tmp: Path, change_one: bool) -> tuple[float, float]:
    """A fresh interpreter loading the documents' tokens: wall time from start, and tokenize_all's share."""
    if change_one:
        docs = json.loads((tmp / "docs.json").read_text(encoding="utf-8"))
        docs[0] = [*docs[0][:-1], "重启前又改了一段。"]
        (tmp / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--cold-start-child", str(tmp)],
                         check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, float(out.split()[-1])


def cold_start_child(tmp: Path) -> None:
    docs = json.loads((tmp / "docs.json").read_text(encoding="utf-8"))
    inner_s, _ = timed(lambda: tokenize_all(docs, tokenize, tmp / "tokens", tokenizer_fingerprint()))
    print(inner_s)


# -- Measuring --------------------------------------------------------------------


def timed(make: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = make()
    return time.perf_counter() - start, result


def traced_mb(make: Callable[[], object]) -> tuple[float, float]:
    """Peak memory while make() runs, and memory still held by its result (MB)."""
    tracemalloc.start()
    try:
        result = make()
        retained, peak = tracemalloc.get_traced_memory()
        del result
        return peak / 2**20, retained / 2**20
    finally:
        tracemalloc.stop()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def summary(run: Run) -> dict:
    return {"chunks": run.chunks, "build_s": round(run.build_s, 3), "tokenize_s": round(run.tokenize_s, 3),
            "p50_ms": round(run.p50_ms, 4), "p99_ms": round(run.p99_ms, 4),
            "rank_bm25_p50_ms": round(run.rank_bm25_p50_ms, 3), "speedup": round(run.speedup, 1),
            "index_mb": round(run.index_mb, 1)}


if __name__ == "__main__":
    main()
