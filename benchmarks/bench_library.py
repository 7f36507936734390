"""How long 100 speech-size documents take to load, and whether questions are answered during /reload.

    .venv/bin/python benchmarks/bench_library.py [--docs 100] [--baseline-seconds 1]

The documents are variants of the seed speech (data/): each is its body three times over
(~16,000 characters, a long speech), with its own district name, years and figures, so every
passage is new text and nothing is served from the token memo of an earlier document.

Figures printed:
- cold load: load_library over the folder (parse + tokenize + index), the ≤ 10 s target;
- /reload (Librarian.reload, what the command runs) with unchanged files, and cold (memo cleared);
- questions asked on the event loop while a reload runs in its thread, as the bot asks them:
  how many were answered, their latency (p50/p99/max) against a quiet baseline, and that every
  one came from the old library until the single swap.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.documents import Librarian  # noqa: E402
from bot.state import LibraryHolder  # noqa: E402
from retrieval import library as library_module  # noqa: E402
from retrieval.library import load_library  # noqa: E402
from retrieval.store import DocumentStore  # noqa: E402

SEED = ROOT / "data" / "xx_district_2022_economic_work_speech.txt"
QUESTIONS = ["2022年基础配套有哪些任务", "生产总值是多少", "招商引资有什么要求", "下一步重点工作",
             "道路建设进展"]


def variant(seed: str, i: int, rng: random.Random, parts: int = 3) -> str:
    """District i's speech of another year: the seed's text `parts` times over, each with its own figures."""
    year = 2000 + i % 25
    text = seed.replace("xx区", f"第{i}区").replace("xx 区", f"第{i}区")
    text = text.replace("2022", str(year)).replace("2021", str(year - 1))
    head, _, body = text.partition("同志们")
    filled = ["".join(str(rng.randint(2, 999)) if ch == "X" else ch for ch in body) for _ in range(parts)]
    return head + "同志们" + "\n".join(filled)


def write_corpus(folder: Path, count: int) -> int:
    rng, seed = random.Random(7), SEED.read_text(encoding="utf-8")
    total = 0
    for i in range(count):
        text = variant(seed, i, rng)
        (folder / f"speech_{i:03d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency_line(label: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{label:<28} n={len(ms):>5}  p50={statistics.median(ms):6.2f} ms"
            f"  p99={percentile(ms, 0.99):6.2f} ms  max={max(ms):7.2f} ms")


async def ask_until(holder: LibraryHolder, done: asyncio.Event, seconds: float
                    ) -> tuple[list[float], set[int]]:
    """Ask on the event loop (as the bot does), yielding between questions; latencies and generations seen."""
    latencies, generations = [], set()
    end = time.perf_counter() + seconds
    i = 0
    while not done.is_set() and (seconds == 0 or time.perf_counter() < end):
        generation = holder.generation
        start = time.perf_counter()
        holder.library.ask(QUESTIONS[i % len(QUESTIONS)])
        latencies.append(time.perf_counter() - start)
        generations.add(generation)
        i += 1
        await asyncio.sleep(0)  # let the loop run other updates, as between two bot updates
    return latencies, generations


async def during_reload(librarian: Librarian, cold: bool) -> None:
    if cold:
        library_module._RECENT_TOKENS.clear()  # the worst case: every document tokenized again
    done = asyncio.Event()
    generation = librarian.holder.generation
    asker = asyncio.create_task(ask_until(librarian.holder, done, 0))
    start = time.perf_counter()
    result = await librarian.reload()
    elapsed = time.perf_counter() - start
    done.set()
    latencies, generations = await asker
    label = "cold" if cold else "warm"
    print(f"/reload ({label}, {len(result.documents)} docs): {elapsed:5.2f} s")
    print(latency_line("  answers during /reload", latencies))
    print(f"  generations answering while reloading: {sorted(generations)} (old = {generation}),"
          f" now {librarian.holder.generation}")


async def main_async(count: int, baseline_seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        folder = Path(tmp)
        chars = write_corpus(folder, count)
        print(f"{count} documents, {chars / count / 1000:.1f} k characters each on average")

        start = time.perf_counter()
        library, errors = load_library(folder)
        elapsed = time.perf_counter() - start
        passages = sum(len(d.chunks) for d in library.documents)
        print(f"cold load_library: {elapsed:5.2f} s  ({len(library.documents)} docs, {passages} passages,"
              f" {len(errors)} errors)  target ≤ 10 s: {'OK' if elapsed <= 10 else 'MISSED'}")

        holder = LibraryHolder(library)
        quiet, _ = await ask_until(holder, asyncio.Event(), baseline_seconds)
        print(latency_line("answers, quiet", quiet))

        librarian = Librarian(holder, DocumentStore(folder))
        await during_reload(librarian, cold=False)
        await during_reload(librarian, cold=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--baseline-seconds", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(main_async(args.docs, args.baseline_seconds))


if __name__ == "__main__":
    main()
