"""Library.ask, this code against an earlier commit's, in one process over one library (A/B).

Why: answer-time changes of a few percent are below the noise of separate runs on a shared
machine. Here the earlier commit's question-time modules (QUESTION_MODULES, read with
`git show`) are loaded beside the current ones over the same Index, each question is asked by
both alternately (which goes first alternates too), and each one's time is its best over the
passes. Every reply (Reply.to_json) is compared: the line "replies equal" must say all.

Only modules outside the document cache's fingerprint may differ between the two commits
(document_cache.pipeline_modules: index.py, bm25.py, question.py … build what both share);
the script stops if one does.

    .venv/bin/python benchmarks/ab_ask.py 223f366           # ../shared/corpus and the seed, every set
    .venv/bin/python benchmarks/ab_ask.py 223f366 --data DIR --passes 5
    .venv/bin/python benchmarks/ab_ask.py 223f366 --served-from DIR    # bench_query's saved library

--served-from: a folder bench_query.py saved a library in for its served child (served.pickle
beside the index files), kept rather than deleted; its questions are asked.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.document_cache import pipeline_modules  # noqa: E402
from retrieval.library import Library, load_library  # noqa: E402

# Loaded from the earlier commit, in this order (each imports the earlier ones' old versions).
QUESTION_MODULES = ("evidence", "declines", "list_passage", "answer", "library")
QUESTION_SETS = ("../shared/eval/seed_dev.jsonl", "tests/eval/corpus_questions.jsonl",
                 "benchmarks/questions/*.jsonl")


def old_modules(commit: str) -> types.ModuleType:
    """The commit's QUESTION_MODULES as retrieval._old_<name>; returns its library module."""
    module = None
    for name in QUESTION_MODULES:
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:retrieval/{name}.py"],
                                capture_output=True, text=True, check=True).stdout
        for other in QUESTION_MODULES:
            source = re.sub(rf"\bfrom retrieval\.{other} import", f"from retrieval._old_{other} import",
                            source)
        module = types.ModuleType(f"retrieval._old_{name}")
        module.__file__ = f"<{commit}:retrieval/{name}.py>"
        module.__package__ = "retrieval"
        sys.modules[module.__name__] = module
        exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102
    assert module is not None
    return module


def check_shared(commit: str) -> None:
    """Stop if the commit differs from the work tree in a module both libraries share."""
    paths = [str(p.relative_to(ROOT)) for p in pipeline_modules()]
    differ = subprocess.run(["git", "-C", str(ROOT), "diff", "--name-only", commit, "--", *paths],
                            capture_output=True, text=True, check=True).stdout.split()
    if differ:
        sys.exit(f"{commit} differs in modules both would share: {', '.join(differ)}")


def library_folder() -> Path:
    """A temporary folder holding ../shared/corpus's documents and the seed: the library the
    question sets are asked of."""
    folder = Path(tempfile.mkdtemp(prefix="ab_ask_"))
    for path in [*(ROOT.parent / "shared" / "corpus").glob("*.txt"),
                 *(ROOT.parent / "shared" / "corpus").glob("*.docx"), *(ROOT / "data").glob("*.txt")]:
        shutil.copy(path, folder)
    return folder


def questions() -> list[str]:
    files = [f for pattern in QUESTION_SETS for f in sorted(ROOT.glob(pattern))]
    return [json.loads(line)["q"] for f in files for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commit")
    parser.add_argument("--data", type=Path, help="documents, all loaded together (default: copies of "
                        "../shared/corpus's documents and the seed in a temporary folder)")
    parser.add_argument("--cache", type=Path, help="document cache folder (default: none)")
    parser.add_argument("--served-from", type=Path, help="a saved bench_query library instead")
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    check_shared(args.commit)
    old_library = old_modules(args.commit)
    start = time.perf_counter()
    if args.served_from:
        with open(args.served_from / "served.pickle", "rb") as file:
            documents, ready, asked = pickle.load(file)
        new = Library(documents, args.served_from, prepared=ready)
        del ready
    else:
        new, asked = load_library(args.data or library_folder(), args.cache)[0], questions()
    print(f"{len(new.index):,} passages loaded in {time.perf_counter() - start:.1f} s", flush=True)
    old = old_library.Library.__new__(old_library.Library)
    old.__dict__.update(new.__dict__)  # the same documents and Index
    same = sum(old.ask(q, top_k=3).to_json() == new.ask(q, top_k=3).to_json() for q in asked)
    print(f"{len(asked)} questions, replies equal: {same}/{len(asked)}", flush=True)
    best_old, best_new = [float("inf")] * len(asked), [float("inf")] * len(asked)
    clock = time.perf_counter
    gc.collect()
    gc.disable()
    for p in range(args.passes):
        for i, q in enumerate(asked):
            first, second = (old, new) if (i + p) % 2 else (new, old)
            t0 = clock()
            first.ask(q, top_k=3)
            t1 = clock()
            second.ask(q, top_k=3)
            t2 = clock()
            a, b = (t1 - t0, t2 - t1) if first is old else (t2 - t1, t1 - t0)
            best_old[i], best_new[i] = min(best_old[i], a), min(best_new[i], b)
        gc.collect()
    gc.enable()
    for name, times in (("old", best_old), ("new", best_new)):
        ms = sorted(t * 1000 for t in times)
        print(f"{name} p50 {statistics.median(ms):.3f} mean {statistics.mean(ms):.3f} "
              f"p99 {ms[int(0.99 * (len(ms) - 1))]:.3f} ms")
    change = [(n - o) * 1000 for o, n in zip(best_old, best_new, strict=True)]
    share = statistics.mean(best_new) / statistics.mean(best_old) * 100 - 100
    print(f"per question new - old: median {statistics.median(change):+.3f} "
          f"mean {statistics.mean(change):+.3f} ms ({share:+.1f}% of the mean)")


if __name__ == "__main__":
    main()
