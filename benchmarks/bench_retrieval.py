"""Retrieval speed on the seed speech: start-up of `speechbot ask`, and warm queries.

Prints, for the documents in data/:
- start-up: wall time of `speechbot ask --json QUESTION` from process start to its exit, on a
  warm cache (the tokenizer's dictionary load included; target ≤ 0.35 s), best and median of
  several runs. It runs this checkout's code (`python -m cli.main` from the repository, with the
  interpreter running this script), so a second working tree measures its own code. Measured
  twice: with the code compiled, as installed (the Docker image compiles it at build; a venv
  writes __pycache__ at the first start), and compiled at every start, as happens only where
  PYTHONDONTWRITEBYTECODE is set and nothing was compiled (this sandbox);
- cleaning, and finding the sections and passages of, a 100 kB document made of the seed and
  the corpus's .txt documents (targets: each well under 50 ms; the seed cleans in under 10 ms),
  best of several runs (these were timed tests; a noisy machine made them fail);
- load: reading, cleaning, chunking and indexing the documents in one process;
- warm queries: median and p99 per question over the development questions, repeated
  (target: median ≤ 2 ms).
CMRC at scale is benchmarks/bench_cmrc.py; the sparse index at 100,000 chunks is
benchmarks/bench_query.py.

    .venv/bin/python benchmarks/bench_retrieval.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.chunks import make_chunks  # noqa: E402
from retrieval.clean import clean_text  # noqa: E402
from retrieval.library import load_library  # noqa: E402
from retrieval.structure import find_sections  # noqa: E402

QUESTIONS = ROOT.parent / "shared" / "eval" / "seed_dev.jsonl"
SEED = ROOT / "data" / "xx_district_2022_economic_work_speech.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
FALLBACK_QUESTIONS = ["2022年基础配套有哪些任务", "三大主题公园什么时候建成", "今年收储土地多少亩",
                      "今天天气怎么样"]


def startup_seconds(runs: int, compiled: bool) -> list[float]:
    """Seconds per `speechbot ask --json` process, after one untimed run that fills the caches.
    compiled: Python's bytecode cache is written and read (in a folder of its own, so the
    repository is left as it is); otherwise nothing is written, and code with no __pycache__ of
    its own (this repository's, unless compiled in place) is compiled from source at every start."""
    command = [sys.executable, "-m", "cli.main", "ask", "--json", "三大主题公园什么时候建成"]
    with tempfile.TemporaryDirectory() as pycache:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        if compiled:
            env["PYTHONPYCACHEPREFIX"] = pycache
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def best_ms(function: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def text_steps_ms() -> dict[str, float]:
    """Cleaning the seed, and cleaning and chunking 100 kB of the seed and the corpus's .txt files."""
    seed = SEED.read_text(encoding="utf-8")
    documents = [seed] + [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    raw = "\n\n".join(documents)
    while len(raw) < 100_000:
        raw += "\n\n" + raw
    raw = raw[:100_000]
    text = "\n".join(clean_text(document) for document in documents)  # each with its own footer
    while len(text) < 100_000:
        text += "\n" + text
    text = text[:100_000]
    return {"clean_seed_ms": best_ms(lambda: clean_text(seed)),
            "clean_100kb_ms": best_ms(lambda: clean_text(raw)),
            "chunk_100kb_ms": best_ms(lambda: make_chunks("big.txt", text, find_sections(text)))}


def questions() -> list[str]:
    if not QUESTIONS.exists():
        return FALLBACK_QUESTIONS
    return [json.loads(line)["q"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="start-up runs")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the questions")
    args = parser.parse_args()

    for compiled, how in ((True, "code compiled, as installed"), (False, "code compiled at every start")):
        times = startup_seconds(args.runs, compiled)
        print(f"start-up (speechbot ask --json, warm cache, process start to exit; {how}): "
              f"best {min(times):.2f} s, median {statistics.median(times):.2f} s over {args.runs} runs")

    steps = text_steps_ms()
    print(f"text steps (best of 5): clean the seed {steps['clean_seed_ms']:.1f} ms, clean 100 kB "
          f"{steps['clean_100kb_ms']:.1f} ms, "
          f"sections and passages of 100 kB {steps['chunk_100kb_ms']:.1f} ms")

    start = time.perf_counter()
    library, _ = load_library(ROOT / "data")
    load_s = time.perf_counter() - start
    print(f"load data/: {len(library.documents)} documents, {len(library.index)} passages in {load_s:.2f} s")

    asked = questions()
    for question in asked:  # warm up caches
        library.ask(question)
    latencies = []
    for _ in range(args.repeat):
        for question in asked:
            t0 = time.perf_counter()
            library.ask(question)
            latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    print(f"warm queries: {len(latencies)} asked, median {statistics.median(latencies):.2f} ms, "
          f"p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
