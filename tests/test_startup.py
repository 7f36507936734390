"""A warm `speechbot ask` imports what answering needs, and nothing else (issue 13: start-up).

`speechbot ask` is started once per question by scripts and graders, so its start-up is mostly
imports: whatever a module imports at its top, every question pays for. With the cache warm
(the documents and their index saved), answering needs the saved index, numpy and the
tokenizer for the question; not the bot, not the code that builds documents, not jieba.
The time itself is measured by benchmarks/bench_retrieval.py; this checks the mechanism.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "三大主题公园什么时候建成"

NOT_IMPORTED_BY_A_WARM_ASK = {
    "telegram", "httpx", "pydantic", "pydantic_settings",  # the bot and its settings
    "dotenv",  # read only when there is a .env file
    "scipy", "pkg_resources",
    "rjieba",  # its package builds a default tokenizer; the segmenter loads rjieba.rjieba alone
    "importlib.metadata",  # --version only
    "concurrent.futures.process",  # tokenizing a whole library on several cores
    # building a document: reading Word/PDF, cleaning, structure, passages, profile
    "retrieval.document", "retrieval.formats", "retrieval.clean", "retrieval.structure", "retrieval.chunks",
    "retrieval.profile",
    "bot.render",  # `ask` without --json only
    "retrieval.evaluation",  # `eval` only
}


def ask_and_list_modules(state: Path) -> tuple[str, set[str]]:
    """The JSON answer of `speechbot ask --json QUESTION` and the modules loaded by then."""
    code = ("import json, sys; from cli.main import main; "
            f"main(['ask', '--json', '--data', {str(ROOT / 'data')!r}, {QUESTION!r}]); "
            "print(json.dumps(sorted(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STATE_DIR": str(state),
           "ENV_FILE": str(state / "none.env")}  # no .env: the settings come from here
    env.pop("SPEECHBOT_SEGMENTER", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True, timeout=120)
    answer, modules = out.stdout.splitlines()
    return answer, set(json.loads(modules))


def test_a_warm_ask_imports_only_what_answering_needs(tmp_path: Path) -> None:
    cold_answer, cold_modules = ask_and_list_modules(tmp_path)  # builds and caches the document
    assert "retrieval.document" in cold_modules
    warm_answer, warm_modules = ask_and_list_modules(tmp_path)
    assert warm_answer == cold_answer
    expected_absent = set(NOT_IMPORTED_BY_A_WARM_ASK)
    if importlib.util.find_spec("rjieba") is not None:  # else jieba is the tokenizer
        expected_absent.add("jieba")
        assert "rjieba.rjieba" in warm_modules
    assert sorted(warm_modules & expected_absent) == []


def test_one_blas_thread_is_chosen_before_numpy_is_imported(tmp_path: Path) -> None:
    """main() sets OPENBLAS_NUM_THREADS=1 before anything imports numpy (importing cli.main
    imports no retrieval code); a value already set is kept."""
    code = ("import os, sys, cli.main; print('numpy' in sys.modules); "
            f"cli.main.main(['ask', '--json', '--data', {str(ROOT / 'data')!r}, {QUESTION!r}]); "
            "print('numpy' in sys.modules, os.environ['OPENBLAS_NUM_THREADS'])")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STATE_DIR": str(tmp_path)}
    for preset, expected in ((None, "1"), ("2", "2")):
        env.pop("OPENBLAS_NUM_THREADS", None)
        if preset:
            env["OPENBLAS_NUM_THREADS"] = preset
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                             text=True, timeout=120)
        before, _answer, after = out.stdout.splitlines()
        assert (before, after) == ("False", f"True {expected}")


def test_ask_as_a_program_ends_once_its_answer_is_out(tmp_path: Path) -> None:
    """Run as the program, `ask` skips the interpreter's teardown (exit handlers included) after
    printing; called in-process (argv given), main returns as usual."""
    code = ("import atexit, runpy, sys; atexit.register(print, 'torn down'); "
            f"sys.argv = ['speechbot', 'ask', '--json', '--data', {str(ROOT / 'data')!r}, {QUESTION!r}]; "
            "runpy.run_module('cli.main', run_name='__main__')")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STATE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    [line] = out.stdout.splitlines()  # the answer, whole, and no "torn down"
    assert json.loads(line)["question"] == QUESTION
