"""CMRC 2018 dev: does the speech-tuned retrieval still find the right passage in general Chinese?

Each of the 848 contexts is loaded as a document through the full pipeline (cleaning,
structure, chunks); each of the 3,219 questions is asked of all of them at once. A hit@1 is a
top passage from the question's own context. Printed beside it, in the same run: plain
jieba.lcut + rank_bm25.BM25Okapi over whole contexts (the baseline the issue quotes, 91.3%),
the share of (answerable) questions the project declines to answer, and the timings.

    .venv/bin/python benchmarks/bench_cmrc.py [--file ../shared/corpus/cmrc2018_dev.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import jieba
from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.document import build_document  # noqa: E402
from retrieval.library import Library  # noqa: E402
from retrieval.models import DocumentError  # noqa: E402
from retrieval.reply import NoAnswer  # noqa: E402

DEFAULT_FILE = ROOT.parent / "shared" / "corpus" / "cmrc2018_dev.json"


def load_cmrc(path: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Contexts by id, and (question, context id) pairs."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    contexts, questions = {}, []
    for article in data:
        for para in article["paragraphs"]:
            contexts[para["id"]] = para["context"]
            questions += [(qa["question"], para["id"]) for qa in para["qas"]]
    return contexts, questions


def baseline_hit1(contexts: dict[str, str], questions: list[tuple[str, str]]) -> float:
    ids = list(contexts)
    bm25 = BM25Okapi([jieba.lcut(contexts[i]) for i in ids])
    hits = 0
    for question, cid in questions:
        scores = bm25.get_scores(jieba.lcut(question))
        hits += ids[max(range(len(ids)), key=scores.__getitem__)] == cid
    return hits / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain BM25Okapi baseline")
    args = parser.parse_args()
    contexts, questions = load_cmrc(args.file)

    start = time.perf_counter()
    documents, skipped = [], 0
    for cid, text in contexts.items():
        try:
            documents.append(build_document(cid, text))
        except DocumentError:
            skipped += 1
    library = Library(tuple(documents))
    build_s = time.perf_counter() - start

    hits = rejected = 0
    latencies = []
    start = time.perf_counter()
    for question, cid in questions:
        t0 = time.perf_counter()
        answer = library.ask(question, top_k=1)
        latencies.append((time.perf_counter() - t0) * 1000)
        quoted = answer.results if isinstance(answer, NoAnswer) else answer.passages  # declined: its best
        hits += bool(quoted) and quoted[0].doc == cid
        rejected += answer.answer is None
    ask_s = time.perf_counter() - start
    n = len(questions)
    print(f"contexts {len(contexts)} ({skipped} rejected by ingestion), passages {len(library.index)}, "
          f"questions {n}")
    print(f"project: passage hit@1 {hits / n:.1%} ({hits}), declined {rejected} ({rejected / n:.1%})")
    print(f"project: build {build_s:.1f}s, {n} questions {ask_s:.1f}s, "
          f"median {statistics.median(latencies):.2f} ms, total {build_s + ask_s:.1f}s")
    if not args.no_baseline:
        baseline = baseline_hit1(contexts, questions)
        print(f"baseline jieba.lcut + BM25Okapi over contexts: hit@1 {baseline:.1%}")


if __name__ == "__main__":
    main()
