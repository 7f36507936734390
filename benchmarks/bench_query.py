"""BM25 at scale: the project's index against rank-bm25, rank-bm25-rs and bm25s, in one run.

Why this exists: a library only grows, and a district office's server has 1–2 GB. This
measures, for the same synthetic corpus and the same queries, what each BM25 costs —
build time, resident memory, build peak, query p50/p99 for the top 5 — and whether its
top 5 is the exact one.

Corpus: sentences of CMRC 2018 (dev + trial contexts, general Chinese from every topic)
and of every document in ../shared/corpus, ../shared/seed and data/, tokenized once with
the project's tokenizer (cached in the temp directory), recombined into passages of
100–400 characters. A passage's tokens are its sentences' tokens, shared, so a million
passages fit in memory. Queries are questions built around 4–10 character spans.

Reference: rank_bm25.BM25Plus's scores (a stable sort, ties to the lower index) where it
is run (it loops in Python: --rank-bm25-max, default 100,000 passages); above that, the
project's exact float64 scores over every passage, which tests/test_bm25.py shows are
rank_bm25's bit for bit. Peers run only where installed (`pip install -e '.[bench]'`);
each is timed as get_scores + the same partial top-5 selection.

Memory is measured from /proc/self/status: resident = VmRSS after the build minus before,
build peak = VmHWM during the build (reset through /proc/self/clear_refs) minus before.

The whole answer is measured too (issue 13: p50 ≤ 3 ms, p99 ≤ 15 ms at 1M passages): the same
passages as documents of a Library, asked bench_library's question mix and the queries as
questions with Library.ask (measure_library; --skip-library to leave it out), first in the
process that built the library, then in a new process that loads it from its saved files as a
restarted bot does (served_p50_ms, served_p99_ms; --skip-served to leave it out).

    .venv/bin/python benchmarks/bench_query.py                      # N = 1,000, 10,000, 100,000
    .venv/bin/python benchmarks/bench_query.py --chunks 1000000
    .venv/bin/python benchmarks/bench_query.py --segmenter     # jieba vs retrieval/segmenter.py

The last line printed is one JSON object for the largest N; ask_p50_ms and ask_p99_ms are the
whole answer's (Library.ask), the rest of "library" how it was built; replies_sha256 names every
reply (passages and exact scores), so that two versions of the code can be compared (--replies
writes them out, one line per question).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import importlib.util
import json
import math
import os
import pickle
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.bm25 import SparseBM25  # noqa: E402
from retrieval.index import BM25_PARAMS, Prepared, prepare  # noqa: E402
from retrieval.library import Library  # noqa: E402
from retrieval.models import Chunk, Document, Profile, Section  # noqa: E402
from retrieval.reader import read_text  # noqa: E402
from retrieval.reply import NoAnswer, PassageAnswer, Reply  # noqa: E402
from retrieval.text.tokens import tokenize, tokenizer_fingerprint  # noqa: E402

T = TypeVar("T")
SHARED = ROOT.parent / "shared"
CMRC_FILES = ("cmrc2018_dev.json", "cmrc2018_trial.json")
TOP_K = 5
QUESTION_TEMPLATES = ["{}有哪些任务", "{}的目标是什么", "2022年{}怎么做", "如何推进{}", "{}", "关于{}的要求"]
CACHE_DIR = Path(tempfile.gettempdir()) / "speechbot-bench-query"
# The library measured at each size: documents as bench_library's speech-size ones (42,733
# passages in 1,000), each with PARTS numbered parts of ITEMS items.
PASSAGES_PER_DOCUMENT = 43
PARTS, ITEMS = 4, 3
NUMERALS = "一二三四五六七八九十"


@dataclass
class Measured:
    """One implementation at one size, measured in a process of its own."""

    build_s: float = 0.0
    rss_mb: float = 0.0  # resident memory the built index adds
    build_peak_mb: float = 0.0  # highest resident memory during the build, above the memory before it
    p50_ms: float = 0.0  # get_scores (ours: top_k_weighted) + top 5, per query
    p99_ms: float = 0.0
    same_top5: int = 0  # queries whose top 5 is the exact one, in order
    queries: int = 0
    extra: dict = field(default_factory=dict)


def main() -> None:
    args = parse_args()
    if args.child:
        child_main(args)
        return
    if args.segmenter:
        bench_segmenter()
        return
    sentences, tokens = sentence_pool()
    vocabulary = len({t for ts in tokens for t in ts})
    print(f"corpus: {len(sentences):,} sentences, {sum(map(len, sentences)):,} characters, "
          f"{vocabulary:,} distinct terms; BM25Plus {BM25_PARAMS}; top {TOP_K}; {args.queries} queries")
    print(f"peers installed: {', '.join(name for name in PEERS if installed(name)) or 'none'}; "
          "each implementation is built and queried in a fresh process")
    results = [bench_size(n, args) for n in args.chunks]
    print(json.dumps(results[-1]))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, nargs="+", default=[1_000, 10_000, 100_000],
                        help="corpus sizes to measure (default: 1000 10000 100000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rank-bm25-max", type=int, default=100_000,
                        help="largest N at which plain rank-bm25 runs (it takes ~1.5 s a query at 1M)")
    parser.add_argument("--rank-bm25-queries", type=int, default=50,
                        help="queries asked of rank-bm25 (all queries for everyone else)")
    parser.add_argument("--skip-peers", action="store_true", help="only the project's index")
    parser.add_argument("--skip-save", action="store_true", help="do not time save/load")
    parser.add_argument("--skip-library", action="store_true", help="do not measure Library.ask")
    parser.add_argument("--skip-served", action="store_true",
                        help="do not measure Library.ask in a new process loading the saved library")
    parser.add_argument("--replies", type=Path,
                        help="write every Library.ask reply (passages, exact scores) here, one JSON line "
                             "each, to compare two versions of the code question by question")
    parser.add_argument("--library-passes", type=int, default=2,
                        help="timed passes of Library.ask over every question")
    parser.add_argument("--segmenter", action="store_true",
                        help="instead: jieba against retrieval/segmenter.py on the same sentences")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--served-from", help=argparse.SUPPRESS)
    return parser.parse_args()


# -- Synthetic corpus and queries ---------------------------------------------


def source_texts() -> list[str]:
    """CMRC contexts and every document found in ../shared and data/."""
    texts = []
    for name in CMRC_FILES:
        path = SHARED / "corpus" / name
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))["data"]
            texts += [p["context"] for article in data for p in article["paragraphs"]]
    for folder in (SHARED / "corpus", SHARED / "seed", ROOT / "data"):
        for path in sorted(folder.glob("*")):
            if path.suffix in (".txt", ".docx") and path.name != "SOURCES.md":
                texts.append(read_text(path))
    if not texts:
        sys.exit(f"no source text in {SHARED} or {ROOT / 'data'}")
    return texts


def split_sentences(texts: list[str]) -> list[str]:
    """Sentences (。！？； or line ends) of at least 8 characters, each once."""
    sentences = (s.strip() for text in texts for s in re.split(r"(?<=[。！？；])|\n", text))
    return list(dict.fromkeys(s for s in sentences if len(s) >= 8))


def sentence_pool(quiet: bool = False) -> tuple[list[str], list[list[str]]]:
    """Sentences and their project tokens, tokenized once and cached by content and tokenizer."""
    sentences = split_sentences(source_texts())
    digest = hashlib.sha256(tokenizer_fingerprint().encode())
    for sentence in sentences:
        digest.update(sentence.encode("utf-8") + b"\0")
    path = CACHE_DIR / f"sentences-{digest.hexdigest()[:20]}.json"
    if path.exists():
        tokens = json.loads(path.read_text(encoding="utf-8"))
        if not quiet:
            print(f"sentence tokens from {path}")
    else:
        start = time.perf_counter()
        tokens = [tokenize(s) for s in sentences]
        elapsed = time.perf_counter() - start
        print(f"tokenized {sum(map(len, sentences)):,} characters in {elapsed:.1f} s; cached in {path}")
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
    interned = {}  # one str object per distinct term, shared by every passage
    tokens = [[interned.setdefault(t, t) for t in ts] for ts in tokens]
    return sentences, tokens


def passage_draws(sentences: list[str], n: int, rng: random.Random) -> Iterator[list[int]]:
    """The sentences (by position) of n passages of 100–400 characters, each a run of random sentences."""
    lengths = [len(s) for s in sentences]
    for _ in range(n):
        target, size, picked = rng.randint(100, 400), 0, []
        while size < target:
            i = rng.randrange(len(sentences))
            picked.append(i)
            size += lengths[i]
        yield picked


def synthetic_passages(sentences: list[str], tokens: list[list[str]], n: int,
                       rng: random.Random) -> tuple[list[list[str]], int]:
    """n passages (passage_draws): their tokens, and the total characters."""
    passages, chars = [], 0
    for picked in passage_draws(sentences, n, rng):
        passages.append(list(chain.from_iterable(tokens[i] for i in picked)))
        chars += sum(len(sentences[i]) for i in picked)
    return passages, chars


def questions(sentences: list[str], n: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    """Questions around a 4–10 character span of a sentence, with their distinct query terms."""
    result = []
    while len(result) < n:
        words = re.sub(r"[^\w]", "", rng.choice(sentences))
        size = min(len(words), rng.randint(4, 10))
        start = rng.randint(0, len(words) - size)
        question = rng.choice(QUESTION_TEMPLATES).format(words[start:start + size])
        terms = list(dict.fromkeys(tokenize(question)))
        if terms:
            result.append((question, terms))
    return result


def synthetic_library(sentences: list[str], tokens: list[list[str]], n: int, rng: random.Random,
                      seed: int) -> tuple[tuple[Document, ...], tuple[Prepared, ...], int]:
    """The n passages of synthetic_passages (the same draws) as documents of PASSAGES_PER_DOCUMENT,
    shaped as bench_library's: a government report of its own place and year, its passages under
    four numbered parts (一、…) of three items each (（一）…), a part's and an item's heading
    opening their first passage, so that questions about years, parts and places find them.

    Returns the documents, each made ready to index with its passages' words (index.prepare:
    the sentences' tokens are known, only the headings are tokenized), and the characters."""
    layout = random.Random(f"library-{seed}")  # apart from rng: the draws stay those of the BM25 corpus
    headings = [s for s in sentences if 6 <= len(s) <= 24 and s[-1] not in "。！？；"] or sentences
    draws = passage_draws(sentences, n, rng)
    documents: list[Document] = []
    prepared: list[Prepared] = []
    lead_tokens: dict[str, list[str]] = {}
    chars = 0
    for number in range(math.ceil(n / PASSAGES_PER_DOCUMENT)):
        year, place = 2001 + number % 26, f"第{number + 1}区"
        title, name = f"{place}{year}年政府工作报告", f"doc_{number:07d}_{year}.txt"
        picks = list(islice(draws, PASSAGES_PER_DOCUMENT))
        groups = [picks[g::PARTS * ITEMS] for g in range(PARTS * ITEMS)]  # passages of each item
        text, sections, chunks, words = title + "\n", list[Section](), list[Chunk](), list[list[str]]()
        for part in range(PARTS):
            items = [(item, group) for item in range(ITEMS) if (group := groups[part * ITEMS + item])]
            if not items:  # the last document may be short
                break
            part_heading = f"{NUMERALS[part]}、{layout.choice(headings)}"
            part_id, part_start = len(sections), len(text)
            sections.append(Section(path=(part_heading,), start=part_start,
                                    body_start=part_start + len(part_heading) + 1, end=0,
                                    number=part + 1, kind="cn_dun", id=part_id))
            for item, group in items:
                item_heading = f"（{NUMERALS[item]}）{layout.choice(headings)}"
                item_id, item_start = len(sections), len(text) + (len(part_heading) + 1 if item == 0 else 0)
                path = (part_heading, item_heading)
                for k, picked in enumerate(group):
                    opening = (part_heading + "\n" if item == 0 else "") + item_heading + "\n"
                    lead = opening if k == 0 else ""  # the headings open the item's first passage
                    passage = lead + "".join(sentences[i] for i in picked)
                    if lead not in lead_tokens:
                        lead_tokens[lead] = tokenize(lead)
                    chunks.append(Chunk(doc=name, path=path, text=passage, start=len(text),
                                        end=len(text) + len(passage), section=item_id, id=len(chunks)))
                    words.append(lead_tokens[lead] + list(chain.from_iterable(tokens[i] for i in picked)))
                    text += passage + "\n"
                    chars += len(passage) - len(lead)
                sections.append(Section(path=path, start=item_start,
                                        body_start=item_start + len(item_heading) + 1, end=len(text),
                                        number=item + 1, kind="cn_paren", id=item_id, parent=part_id))
            sections[part_id] = dataclasses.replace(sections[part_id], end=len(text))
        profile = Profile(title=title, year=year, place=place, kind="政府工作报告").with_aliases()
        document = Document(name=name, title=title, text=text, sections=tuple(sections), chunks=tuple(chunks),
                            year=year, profile=profile)
        documents.append(document)
        prepared.append(prepare(document, words))
        lead_tokens.clear()
    return tuple(documents), tuple(prepared), chars


# -- One corpus size: each implementation in a child process --------------------------


def bench_size(n: int, args: argparse.Namespace) -> dict:
    """Every implementation at size n, compared with the exact top 5."""
    ours = run_child("project", n, args)
    info = ours.extra
    print(f"\nN = {n:,} passages, {info['chars']:,} characters, {info['tokens']:,} tokens; "
          f"{info['vocabulary']:,} terms, {info['postings']:,} postings, "
          f"{info['dense_columns']} dense columns")
    exact = info.pop("exact_top")
    ours.same_top5 = sum(top == ref for top, ref in zip(info.pop("top"), exact, strict=True))
    ours_scores = info.pop("scores")
    print_measured("project (SparseBM25)", ours)
    print(f"    index arrays {info['nbytes_mb']:.0f} MB; float32 scoring alone p50 "
          f"{info['approx_p50_ms']:.2f} ms; reference: exact float64 scores of every passage, stable sort")
    if "save_s" in info:
        print(f"    save {info['save_s']:.2f} s, load (memory-mapped) {info['load_s']:.3f} s, then p50 "
              f"{info['loaded_p50_ms']:.2f} ms, identical top 5 and scores "
              f"{info['loaded_same']}/{ours.queries}")
    result = {"chunks": n, **{k: info[k] for k in ("chars", "vocabulary", "postings", "dense_columns")},
              "reference": "exact float64 top 5 (bit-identical to rank_bm25 where it runs)",
              "ours": rounded({**asdict(ours), "extra": None}), "ours_extra": rounded(info), "peers": {}}
    del result["ours"]["extra"]
    for name in PEERS if not args.skip_peers else ():
        if not installed(name):
            continue
        if name == "rank-bm25" and n > args.rank_bm25_max:
            print(f"  {name:22} skipped above {args.rank_bm25_max:,} passages (--rank-bm25-max)")
            continue
        peer = run_child(name, n, args)
        top, scores = peer.extra.pop("top"), peer.extra.pop("scores")
        peer.same_top5 = sum(t == ref for t, ref in zip(top, exact, strict=False))
        if name == "rank-bm25":  # our exact scores are rank_bm25's, bit for bit?
            same_scores = sum(a == b for a, b in zip(scores, ours_scores, strict=False))
            result["ours_scores_equal_rank_bm25"] = f"{same_scores}/{len(scores)}"
            print(f"  our top-5 scores equal to rank_bm25's, bit for bit: {same_scores}/{len(scores)}")
        print_measured(name, peer)
        result["peers"][name] = rounded({k: v for k, v in asdict(peer).items() if k != "extra"})
    if not args.skip_library:
        library = run_child("library", n, args)
        extra = library.extra
        print(f"  Library.ask (full answer) over {extra['documents']:,} documents, "
              f"{extra['passages']:,} passages: "
              f"p50 {library.p50_ms:.2f} ms, p99 {library.p99_ms:.2f} ms ({library.queries} questions × "
              f"{args.library_passes}, {extra['answered']} answered); built in {library.build_s:.1f} s "
              f"({extra['prepare_s']:.1f} s making documents ready), resident {library.rss_mb:.0f} MB, "
              f"build peak {library.build_peak_mb:.0f} MB, index files {extra['index_files_mb']:.0f} MB")
        print(f"    replies (passages, exact scores) of every question: sha256 {extra['replies_sha256']}")
        if "served_p50_ms" in extra:
            same = "the same replies" if extra["served_replies_sha256"] == extra["replies_sha256"] else \
                "OTHER REPLIES"
            print(f"  Library.ask in a new process that loaded the saved library in "
                  f"{extra['served_load_s']:.1f} s (a restarted bot): p50 {extra['served_p50_ms']:.2f} ms, "
                  f"p99 {extra['served_p99_ms']:.2f} ms, resident {extra['served_rss_mb']:.0f} MB, {same}")
            result.update(served_p50_ms=round(extra["served_p50_ms"], 3),
                          served_p99_ms=round(extra["served_p99_ms"], 3))
        result.update(ask_p50_ms=round(library.p50_ms, 3), ask_p99_ms=round(library.p99_ms, 3),
                      library=rounded({k: v for k, v in {**asdict(library), **extra}.items()
                                       if k not in ("extra", "same_top5")}))
    return result


def run_child(name: str, n: int, args: argparse.Namespace) -> Measured:
    command = [sys.executable, __file__, "--child", name, "--child-n", str(n), "--queries", str(args.queries),
               "--seed", str(args.seed), "--rank-bm25-queries", str(args.rank_bm25_queries),
               "--library-passes", str(args.library_passes)]
    if args.skip_save:
        command.append("--skip-save")
    if args.skip_served:
        command.append("--skip-served")
    if args.replies:
        command += ["--replies", str(args.replies)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return Measured(**json.loads(out.splitlines()[-1]))


def child_main(args: argparse.Namespace) -> None:
    """Build one implementation over the size's corpus and answer every query; print JSON."""
    if args.child == "served":
        serve_saved(args)
        return
    sentences, tokens = sentence_pool(quiet=True)
    rng = random.Random(args.seed)
    if args.child == "library":
        print(json.dumps(asdict(measure_library(sentences, tokens, rng, args))))
        return
    corpus, chars = synthetic_passages(sentences, tokens, args.child_n, rng)
    queries = [terms for _, terms in questions(sentences, args.queries, rng)]
    if args.child == "project":
        measured = measure_ours(corpus, queries, args)
        measured.extra.update(chars=chars, tokens=sum(map(len, corpus)))
    else:
        if args.child == "rank-bm25":
            queries = queries[: args.rank_bm25_queries]
        get_scores, measured = build_measured(lambda: PEERS[args.child](corpus))

        def search(query: list[str]) -> tuple[list[int], list[float]]:
            scores = np.asarray(get_scores(query))
            top = SparseBM25.top_k(scores, TOP_K)
            return top.tolist(), scores[top].tolist()

        times, results = time_queries(queries, search)
        measured.p50_ms, measured.p99_ms = percentile(times, 50), percentile(times, 99)
        measured.extra = {"top": [t for t, _ in results], "scores": [s for _, s in results]}
    measured.queries = len(queries)
    print(json.dumps(asdict(measured)))


def measure_library(sentences: list[str], tokens: list[list[str]], rng: random.Random,
                    args: argparse.Namespace) -> Measured:
    """Library.ask, the whole answer, over the size's passages as documents (synthetic_library):
    question parsing, BM25 over both fields with each document's years, re-ranking with best
    sentences, the commitments of list questions. Questions: bench_library's mix (years,
    今年/去年, "第二个问题", topics, one out of scope), then the BM25 queries as questions.
    The index is saved in a temporary folder and served from it, memory-mapped, as the bot's is.
    build_s and the memory figures take in making the documents ready (normalized passages
    and sentences) as well as the index; p50/p99 after one untimed pass over every question."""
    from bench_library import QUESTIONS

    with tempfile.TemporaryDirectory(prefix="bench-query-library-") as cache:
        gc.collect()
        before = status_mb("VmRSS")
        reset_peak()
        start = time.perf_counter()
        documents, prepared, chars = synthetic_library(sentences, tokens, args.child_n, rng, args.seed)
        prepare_s = time.perf_counter() - start
        library = Library(documents, Path(cache), prepared=prepared)
        build_s = time.perf_counter() - start
        gc.collect()
        measured = Measured(build_s=build_s, build_peak_mb=status_mb("VmHWM") - before)
        asked = QUESTIONS + [question for question, _ in questions(sentences, args.queries, rng)]
        if not args.skip_served:
            save_for_serving(Path(cache), documents, prepared, asked)
        del prepared
        replies, times = ask_all(library, asked, args.library_passes)
        answered = sum(reply["answer"] is not None for reply in replies)
        measured.rss_mb = status_mb("VmRSS") - before
        measured.p50_ms, measured.p99_ms = percentile(times, 50), percentile(times, 99)
        measured.queries = len(asked)
        index_files = sum(f.stat().st_size for f in Path(cache).rglob("*.npy"))
        measured.extra = {"prepare_s": prepare_s, "documents": len(documents), "answered": answered,
                          "passages": len(library.index), "chars": chars,
                          "index_files_mb": index_files / 2**20,
                          "replies_sha256": hashlib.sha256(json.dumps(replies).encode()).hexdigest()}
        if not args.skip_served:  # what a restarted bot does: a new process loads the saved library
            del library
            gc.collect()
            measured.extra.update(served(cache, args))
        if args.replies:
            args.replies.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in replies),
                                    encoding="utf-8")
    return measured


SERVED_FILE = "served.pickle"  # the documents, made ready without their words, and the questions


def save_for_serving(cache: Path, documents: tuple[Document, ...], prepared: tuple[Prepared, ...],
                     asked: list[str]) -> None:
    """Write what served() loads: the documents, made ready without their words (the index has
    them), and the questions. In a forked process, so that this one's memory figures stay the
    library's own."""
    pid = os.fork()
    if pid == 0:
        ready = tuple(dataclasses.replace(p, body=(), head=()) for p in prepared)
        with open(cache / SERVED_FILE, "wb") as file:
            pickle.dump((documents, ready, asked), file, protocol=pickle.HIGHEST_PROTOCOL)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        sys.exit(f"could not save the library for serving (status {status})")


def served(cache: str, args: argparse.Namespace) -> dict:
    """Library.ask in a new process that loads the library as a restarted bot does: its documents
    as the document cache gives them back, its index memory-mapped from the saved files."""
    command = [sys.executable, __file__, "--child", "served", "--served-from", cache,
               "--library-passes", str(args.library_passes)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def serve_saved(args: argparse.Namespace) -> None:
    """The child of served(): load, one untimed pass, then the timed passes; print JSON."""
    start = time.perf_counter()
    with open(Path(args.served_from) / SERVED_FILE, "rb") as file:
        documents, ready, asked = pickle.load(file)
    library = Library(documents, Path(args.served_from), prepared=ready)
    load_s = time.perf_counter() - start
    replies, times = ask_all(library, asked, args.library_passes)
    print(json.dumps({"served_load_s": load_s, "served_p50_ms": percentile(times, 50),
                      "served_p99_ms": percentile(times, 99), "served_rss_mb": status_mb("VmRSS"),
                      "served_replies_sha256": hashlib.sha256(json.dumps(replies).encode()).hexdigest()}))


def ask_all(library: Library, asked: list[str], passes: int) -> tuple[list[dict], list[float]]:
    """Every question's reply (reply_record) from an untimed pass, then milliseconds per
    Library.ask over `passes` timed passes."""
    replies = [reply_record(library.ask(q, top_k=3)) for q in asked]
    times = []
    for _ in range(passes):
        for question in asked:
            begin = time.perf_counter()
            library.ask(question, top_k=3)
            times.append((time.perf_counter() - begin) * 1000)
    return replies, times


def reply_record(reply: Reply) -> dict:
    """A reply as compared between versions of the code: its kind, and each passage it quotes (answer,
    alternatives or results, other documents) by document, section, highlight and exact score (hex)."""
    passages = reply.results if isinstance(reply, NoAnswer) else reply.passages
    also = reply.also if isinstance(reply, PassageAnswer) else ()
    return {"question": reply.question, "kind": type(reply).__name__,
            "answer": reply.answer.doc if reply.answer else None,
            "passages": [(p.doc, p.section_id, p.highlight, p.score.hex()) for p in (*passages, *also)]}


def measure_ours(corpus: list[list[str]], queries: list[list[str]], args: argparse.Namespace) -> Measured:
    index, measured = build_measured(lambda: SparseBM25(corpus, "plus", **BM25_PARAMS))
    # Warm-up with an empty query too: numpy pays ~10 ms in a process's first call of some sorting
    # and set routines, which only queries matching fewer than 5 passages reach.
    times, ours = time_queries(queries, lambda q: index.top_k_weighted(dict.fromkeys(q, 1.0), TOP_K),
                               warm_up=[queries[0], []])
    measured.p50_ms, measured.p99_ms = percentile(times, 50), percentile(times, 99)
    # the margin only: keeping 200 score arrays alive would time page faults, not scoring
    approx_times, _ = time_queries(queries, lambda q: index.approximate_scores(dict.fromkeys(q, 1.0))[2])
    exact_top = [np.argsort(-index.get_weighted_scores(dict.fromkeys(q, 1.0)), kind="stable")[:TOP_K].tolist()
                 for q in queries]
    measured.extra = {"vocabulary": len(index.vocabulary), "postings": index.nnz,
                      "dense_columns": index.n_dense_columns, "nbytes_mb": index.nbytes / 2**20,
                      "approx_p50_ms": percentile(approx_times, 50),
                      "top": [top.tolist() for top, _ in ours], "scores": [s.tolist() for _, s in ours],
                      "exact_top": exact_top}
    if not args.skip_save:
        with tempfile.TemporaryDirectory(prefix="bench-bm25-") as tmp:
            save_s, _ = timed(lambda: index.save(tmp))
            load_s, loaded = timed(lambda: SparseBM25.load(tmp))
            times, again = time_queries(queries,
                                        lambda q: loaded.top_k_weighted(dict.fromkeys(q, 1.0), TOP_K))
            same = sum(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
                       for a, b in zip(again, ours, strict=True))
            measured.extra.update(save_s=save_s, load_s=load_s, loaded_p50_ms=percentile(times, 50),
                                  loaded_same=same)
    return measured


# -- Peers ----------------------------------------------------------------------


def make_rank_bm25(corpus: list[list[str]]) -> Callable[[list[str]], np.ndarray]:
    from rank_bm25 import BM25Plus

    return BM25Plus(corpus, **BM25_PARAMS).get_scores


def make_rank_bm25_rs(corpus: list[list[str]]) -> Callable[[list[str]], np.ndarray]:
    from rank_bm25_rs import BM25Plus

    return BM25Plus(corpus, **BM25_PARAMS).get_scores


def make_bm25s(corpus: list[list[str]]) -> Callable[[list[str]], np.ndarray]:
    import bm25s

    retriever = bm25s.BM25(method="bm25+", **BM25_PARAMS)
    retriever.index(corpus, show_progress=False)
    return retriever.get_scores


PEERS: dict[str, Callable[[list[list[str]]], Callable[[list[str]], np.ndarray]]] = {
    "rank-bm25": make_rank_bm25, "rank-bm25-rs": make_rank_bm25_rs, "bm25s": make_bm25s}
MODULES = {"rank-bm25": "rank_bm25", "rank-bm25-rs": "rank_bm25_rs", "bm25s": "bm25s"}


def installed(name: str) -> bool:
    return importlib.util.find_spec(MODULES[name]) is not None


# -- Tokenizer backends ---------------------------------------------------------------


STARTUP_CODE = """
import sys, time
start, cpu = time.perf_counter(), time.process_time()
from retrieval import segmenter
words = segmenter.cut_for_search("2022年基础配套有哪些任务")
print(time.perf_counter() - start, time.process_time() - cpu, segmenter.backend_name(),
      "pkg_resources" in sys.modules)
"""
PLAIN_JIEBA_CODE = """
import sys, time
start, cpu = time.perf_counter(), time.process_time()
import jieba
jieba.lcut("2022年基础配套有哪些任务")
print(time.perf_counter() - start, time.process_time() - cpu, "plain-jieba", "pkg_resources" in sys.modules)
"""


def bench_segmenter(runs: int = 5) -> None:
    """Import + first cut of each backend in fresh processes, then speed and equality on the sentences."""
    import os

    from retrieval import segmenter
    from retrieval.text.normalize import normalize

    result: dict = {}
    for label, code, backend in [("jieba (segmenter, no pkg_resources)", STARTUP_CODE, "jieba"),
                                 ("rjieba (segmenter)", STARTUP_CODE, "rjieba"),
                                 ("import jieba; jieba.lcut", PLAIN_JIEBA_CODE, "")]:
        env = {**os.environ, segmenter.BACKEND_ENV: backend} if backend else dict(os.environ)
        samples = []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                                 capture_output=True, text=True).stdout.split()
            samples.append((float(out[0]), float(out[1]), out[3] == "True"))
        wall, cpu = min(s[0] for s in samples), min(s[1] for s in samples)
        print(f"  import + first cut, {label:38} best of {runs}: wall {wall:.3f} s, CPU {cpu:.3f} s, "
              f"pkg_resources imported: {samples[0][2]}")
        result[label] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "pkg_resources": samples[0][2]}

    sentences = [normalize(s) for s in split_sentences(source_texts())]
    chars = sum(map(len, sentences))
    reference, ours = segmenter.jieba_cutter(), segmenter.cut_for_search
    reference(sentences[0]), ours(sentences[0])  # dictionaries loaded before timing
    jieba_s, expected = timed(lambda: [reference(s) for s in sentences])
    ours_s, got = timed(lambda: [ours(s) for s in sentences])
    same = sum(a == b for a, b in zip(expected, got, strict=True))
    print(f"  {len(sentences):,} sentences, {chars:,} characters (CMRC + shared documents), normalized:")
    print(f"    jieba {chars / jieba_s:12,.0f} chars/s; segmenter ({segmenter.backend_name()}) "
          f"{chars / ours_s:12,.0f} chars/s ({jieba_s / ours_s:.1f}x); identical {same:,}/{len(sentences):,}")
    for sentence, a, b in [(s, a, b) for s, a, b in zip(sentences, expected, got, strict=True) if a != b][:5]:
        print(f"    differs: {sentence[:40]}  jieba {[w for w in a if w not in b]}  "
              f"segmenter {[w for w in b if w not in a]}")
    result.update(sentences=len(sentences), identical=same, jieba_chars_per_s=round(chars / jieba_s),
                  segmenter_chars_per_s=round(chars / ours_s), backend=segmenter.backend_name())
    print(json.dumps(result, ensure_ascii=False))


# -- Measuring --------------------------------------------------------------------


def status_mb(field_name: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field_name} in /proc/self/status")


def reset_peak() -> None:
    """Make VmHWM the current RSS, so the next peak read is this step's."""
    Path("/proc/self/clear_refs").write_text("5")


def build_measured(make: Callable[[], T]) -> tuple[T, Measured]:
    """Build something, with its time, resident memory and build peak above the memory before it."""
    gc.collect()
    before = status_mb("VmRSS")
    reset_peak()
    start = time.perf_counter()
    result = make()
    elapsed = time.perf_counter() - start
    gc.collect()
    return result, Measured(build_s=elapsed, rss_mb=status_mb("VmRSS") - before,
                        build_peak_mb=status_mb("VmHWM") - before)


def time_queries(queries: list[list[str]], search: Callable[[list[str]], T],
                 warm_up: list[list[str]] | None = None) -> tuple[list[float], list[T]]:
    """Milliseconds per query and the results, after warm-up queries (default: the first query)."""
    for query in warm_up if warm_up is not None else queries[:1]:
        search(query)
    times, results = [], []
    for query in queries:
        start = time.perf_counter()
        results.append(search(query))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def timed(make: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = make()
    return time.perf_counter() - start, result


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def print_measured(name: str, m: Measured) -> None:
    print(f"  {name:22} build {m.build_s:7.2f} s  resident {m.rss_mb:7.0f} MB  "
          f"build peak {m.build_peak_mb:7.0f} MB  top-{TOP_K} p50 {m.p50_ms:8.2f} ms  "
          f"p99 {m.p99_ms:8.2f} ms  exact top {TOP_K} {m.same_top5}/{m.queries}")


def rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    main()
