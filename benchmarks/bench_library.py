"""A library of speech-size documents: cold load, warm restart, reload of one changed document, answers.

    .venv/bin/python benchmarks/bench_library.py [--docs 1000] [--passes 10] [--during-reload]

Why: the bot restarts on every upgrade and its library only grows. Targets (issue 13, 1,000
documents on the 2-core machine): warm restart ≤ 3 s, cold load ≤ 15 s, reload after one
changed document ≤ 1 s, Library.ask p99 ≤ 5 ms, resident memory ≤ 500 MB.

Documents: real paragraphs and headings of every document in ../shared/corpus, ../shared/seed
and data/ (as the project parses them), shuffled and recombined into new documents of
~13,000 characters: government reports (一、 / （一）), speeches (第一个问题： / （一）) and work
plans, each with its own place name, year, date line and years in the text shifted to it.

Every figure comes from a fresh process, as a restart would:
- cold_s: `load_library(data_dir, cache_dir)` with an empty cache dir, process start to loaded
  (also printed: the CPU seconds it took, in that process and in its workers, and its peak memory);
- warm_restart_s: the same in a new process, the cache now filled;
- reload_one_s: in the serving process (warm), one document changed on disk, load_library again;
- ask_p50_ms / ask_p99_ms: Library.ask over a fixed mix of questions (years, 今年/去年, "第二个
  问题", topics), every question asked --passes times after one warm-up pass;
- rss_mb: peak resident memory of the serving process (ru_maxrss), which loaded and answered,
  then reloaded while that first library was still held, as the bot's reload keeps serving.
With --during-reload the serving process also asks while bot.documents.Librarian.reload runs.

The last line printed is one JSON object:
{"docs", "passages", "cold_s", "warm_restart_s", "reload_one_s", "rss_mb", "ask_p50_ms", "ask_p99_ms"}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.library import Library, load_library  # noqa: E402

SHARED = ROOT.parent / "shared"
SOURCE_DIRS = (SHARED / "corpus", SHARED / "seed", ROOT / "data")
TARGET_CHARS = 13_000
NUMERALS = "一二三四五六七八九十"
_LEADING_NUMBER = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+(?:个问题|部分|章|条)?[，,、：:]?"
                             r"|[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]"
                             r"|\d+[、．.]|[一二三四五六七八九十]+是)\s*")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-3]\d)(?=\s*年)")
QUESTIONS = [
    "2021年基础配套有哪些任务", "今年经济增长的预期目标是多少", "去年地区生产总值增长多少",
    "第二个问题讲的是什么", "第三个问题有哪些要求", "第一部分讲了什么",
    "2018年脱贫攻坚有什么要求", "2023年粮食产量是多少", "2010年城镇新增就业多少人",
    "招商引资有什么要求", "营商环境怎么优化", "财政收入增长多少", "下一步重点工作是什么",
    "如何推进乡村振兴", "生态环境保护有哪些措施", "2025年要办好哪些民生实事",
    "科技创新怎么抓", "疫情防控有什么部署", "今年要完成哪些重点项目", "今天天气怎么样",
]


def ask(library: Library, question: str) -> object:
    """The one call into the library's question API (adapt here if Library.ask's signature changes)."""
    return library.ask(question, top_k=3)


# -- Documents ------------------------------------------------------------------


def source_material() -> tuple[list[str], list[tuple[str, int]]]:
    """Heading texts (numbering stripped) and (paragraph, its document's year) of every source document."""
    from retrieval.document import load_document

    headings: dict[str, None] = {}
    paragraphs: list[tuple[str, int]] = []
    for folder in SOURCE_DIRS:
        for path in sorted(folder.glob("*")):
            if path.suffix not in (".txt", ".docx") or path.name == "SOURCES.md":
                continue
            document = load_document(path)
            year = document.year or 2022
            for chunk in document.chunks:
                for heading in chunk.path:
                    text = _LEADING_NUMBER.sub("", heading).strip()
                    if 4 <= len(text) <= 40:
                        headings[text] = None
                paragraphs += [(p.strip(), year) for p in chunk.text.split("\n") if len(p.strip()) >= 40]
    if not paragraphs:
        sys.exit(f"no source documents in {', '.join(map(str, SOURCE_DIRS))}")
    return list(headings), paragraphs


def compose(i: int, headings: list[str], paragraphs: list[tuple[str, int]]) -> tuple[str, str]:
    """Document i: (file name, text) — a report, speech or work plan of its own place and year."""
    rng = random.Random(i)
    year = 2001 + i % 26
    place = f"第{i + 1}区"
    kind = i % 3
    title = [f"{place}{year}年政府工作报告", f"在{place}{year}年经济工作会议上的讲话",
             f"{place}{year}年工作要点"][kind]
    lines = [title, f"（{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日）"]
    if kind == 1:
        lines.append("同志们：今天召开这次会议，主要任务是总结工作、部署任务。下面，我讲几个问题。")
    size, part = 0, 0
    while size < TARGET_CHARS and part < len(NUMERALS):
        top = NUMERALS[part]
        heading = rng.choice(headings)
        lines.append(f"第{top}个问题：{heading}" if kind == 1 else f"{top}、{heading}")
        for sub in range(rng.randint(2, 4)):
            lines.append(f"（{NUMERALS[sub]}）{rng.choice(headings)}")
            for _ in range(rng.randint(1, 3)):
                text, source_year = rng.choice(paragraphs)
                text = _YEAR.sub(lambda m, shift=year - source_year: str(int(m.group(1)) + shift), text)
                lines.append(text)
                size += len(text)
        part += 1
    return f"doc_{i:04d}_{year}.txt", "\n".join(lines) + "\n"


def write_documents(folder: Path, count: int) -> int:
    headings, paragraphs = source_material()
    total = 0
    for i in range(count):
        name, text = compose(i, headings, paragraphs)
        (folder / name).write_text(text, encoding="utf-8")
        total += len(text)
    return total


# -- Processes --------------------------------------------------------------------


def run_child(mode: str, folder: Path, args: argparse.Namespace) -> tuple[float, dict]:
    """Wall time of a fresh process running mode, from start to exit, and the JSON it printed last."""
    command = [sys.executable, __file__, "--child", mode, "--folder", str(folder),
               "--passes", str(args.passes)]
    if args.during_reload:
        command.append("--during-reload")
    start = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, json.loads(out.splitlines()[-1])


def child_load(folder: Path) -> dict:
    result = _loaded(folder)[1]
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _loaded(folder: Path) -> tuple[Library, dict]:
    start = time.perf_counter()
    library, errors = load_library(folder / "data", folder / "cache")
    used = os.times()  # CPU: less disturbed than wall time by other jobs on a shared machine
    return library, {"load_s": time.perf_counter() - start, "docs": len(library.documents),
                     "passages": sum(len(d.chunks) for d in library.documents), "errors": len(errors),
                     "cpu_s": used.user + used.system,
                     "workers_cpu_s": used.children_user + used.children_system}


def child_serve(folder: Path, args: argparse.Namespace) -> dict:
    """Load warm and answer; reload after one changed document while that library still serves
    (as bot.documents.Librarian does); answer the question mix with the new one; peak memory."""
    serving, result = _loaded(folder)
    for question in QUESTIONS:  # the serving library has answered: the pages questions touch are in
        ask(serving, question)
    changed = sorted((folder / "data").glob("*.txt"))[len(result) % 7]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("。", "。这一段改过了。", 1), encoding="utf-8")
    start = time.perf_counter()
    library, _ = load_library(folder / "data", folder / "cache")
    result["reload_one_s"] = time.perf_counter() - start
    del serving  # swapped out once the new library is ready
    for question in QUESTIONS:  # warm-up pass
        ask(library, question)
    latencies = []
    for _ in range(args.passes):
        for question in QUESTIONS:
            start = time.perf_counter()
            ask(library, question)
            latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    result["ask_p50_ms"] = latencies[len(latencies) // 2]
    result["ask_p99_ms"] = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    result["asked"] = len(latencies)
    if args.during_reload:
        result["during_reload"] = answers_during_reload(library, folder)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def answers_during_reload(library: Library, folder: Path) -> dict:
    """Questions asked on the event loop while Librarian.reload runs in its thread, as the bot asks them."""
    import asyncio

    from bot.documents import Librarian
    from bot.state import LibraryHolder
    from retrieval.store import DocumentStore

    async def run() -> dict:
        holder = LibraryHolder(library)
        librarian = Librarian(holder, DocumentStore(folder / "data"))
        reloading = asyncio.create_task(librarian.reload())
        latencies, i = [], 0
        start = time.perf_counter()
        while not reloading.done():
            t0 = time.perf_counter()
            ask(holder.library, QUESTIONS[i % len(QUESTIONS)])
            latencies.append((time.perf_counter() - t0) * 1000)
            i += 1
            await asyncio.sleep(0)
        await reloading
        latencies.sort()
        return {"reload_s": time.perf_counter() - start, "answered": len(latencies),
                "p50_ms": latencies[len(latencies) // 2] if latencies else None,
                "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] if latencies else None}

    return asyncio.run(run())


# -- Main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--passes", type=int, default=10, help="times each question is asked")
    parser.add_argument("--during-reload", action="store_true", help="also ask while Librarian.reload runs")
    parser.add_argument("--child", choices=["load", "serve"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_load(args.folder) if args.child == "load" else child_serve(args.folder, args)))
        return

    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        folder = Path(tmp)
        (folder / "data").mkdir()
        start = time.perf_counter()
        chars = write_documents(folder / "data", args.docs)
        print(f"{args.docs} documents, {chars:,} characters ({chars / args.docs:,.0f} each), "
              f"written in {time.perf_counter() - start:.1f} s")
        cold_s, cold = run_child("load", folder, args)
        print(f"cold load, empty cache (new process):  {cold_s:6.2f} s  "
              f"(load_library {cold['load_s']:.2f} s; "
              f"{cold['docs']} docs, {cold['passages']:,} passages, {cold['errors']} errors)  target ≤ 15 s")
        print(f"    CPU {cold['cpu_s']:.1f} s in that process, {cold['workers_cpu_s']:.1f} s in its workers; "
              f"its peak resident memory {cold['rss_mb']:.0f} MB")
        warm_s, warm = run_child("load", folder, args)
        print(f"warm restart, cache filled (new process): {warm_s:6.2f} s  "
              f"(load_library {warm['load_s']:.2f} s)  target ≤ 3 s")
        _, serve = run_child("serve", folder, args)
        print(f"reload after one changed document:     {serve['reload_one_s']:6.2f} s  target ≤ 1 s")
        print(f"Library.ask, {serve['asked']} questions:  p50 {serve['ask_p50_ms']:.2f} ms, "
              f"p99 {serve['ask_p99_ms']:.2f} ms  target p99 ≤ 5 ms")
        if "during_reload" in serve:
            print(f"answers during Librarian.reload: {serve['during_reload']}")
        print(f"peak resident memory of the serving process: {serve['rss_mb']:.0f} MB  target ≤ 500 MB")
    print(json.dumps({"docs": cold["docs"], "passages": cold["passages"], "cold_s": round(cold_s, 2),
                      "warm_restart_s": round(warm_s, 2), "reload_one_s": round(serve["reload_one_s"], 2),
                      "rss_mb": round(serve["rss_mb"]), "ask_p50_ms": round(serve["ask_p50_ms"], 2),
                      "ask_p99_ms": round(serve["ask_p99_ms"], 2)}))


if __name__ == "__main__":
    main()
