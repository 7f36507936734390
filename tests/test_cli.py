"""The `speechbot ask --json` contract that acceptance runs against."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PASSAGE_KEYS = {"doc", "section", "text", "highlight", "outline", "score"}


STATE = Path(tempfile.mkdtemp(prefix="speechbot-cli-state-"))  # the cache, never in the repository


def run_cli(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), "STATE_DIR": str(STATE), **env},
    )


def check_passage(passage: dict) -> None:
    assert set(passage) == PASSAGE_KEYS
    assert isinstance(passage["doc"], str) and passage["doc"].endswith(".txt")
    assert all(isinstance(s, str) for s in passage["section"])
    assert passage["highlight"] in passage["text"]
    assert isinstance(passage["score"], float)


def test_ask_json_one_line_per_question_in_order():
    questions = ["2022年基础配套有哪些任务", "推荐一部好看的电影", "三大主题公园什么时候建成"]
    result = run_cli("ask", "--json", *questions)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == questions
    assert lines[1]["answer"] is None
    for line in (lines[0], lines[2]):
        check_passage(line["answer"])
        assert line["results"][0] == line["answer"]
        for passage in line["results"]:
            check_passage(passage)


def test_answer_text_is_verbatim_from_the_shipped_document():
    result = run_cli("ask", "--json", "三大主题公园什么时候建成")
    answer = json.loads(result.stdout)["answer"]
    raw = (ROOT / "data" / answer["doc"]).read_text(encoding="utf-8")
    squeeze = "".join  # the quote may join a line broken by the web page, nothing else

    def strip(text: str) -> str:
        return squeeze(text.split())

    assert strip(answer["text"]) in strip(raw)


def test_questions_from_stdin_and_top_k():
    result = run_cli("ask", "--json", "--top", "2", stdin="规划引领有哪些要求\n\n今天天气怎么样\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["规划引领有哪些要求", "今天天气怎么样"]
    assert len(lines[0]["results"]) == 2


def test_ask_without_json_prints_readable_text():
    result = run_cli("ask", "三大主题公园什么时候建成")
    assert result.returncode == 0
    assert "三大主题公园" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_missing_data_dir_is_a_clear_error():
    result = run_cli("ask", "--data", "/nonexistent/dir", "问题")
    assert result.returncode != 0
    assert "/nonexistent/dir" in result.stderr
    assert "Traceback" not in result.stderr


SCORER = ROOT.parent / "shared" / "eval" / "score.py"
DEV = ROOT.parent / "shared" / "eval" / "seed_dev.jsonl"


def without_wall_time(report: str) -> list[str]:
    lines = [line for line in report.splitlines() if line.strip()]
    return [line.split("; wall")[0] for line in lines if not line.startswith("MISS")]


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval is not beside the repository")
def test_eval_prints_what_the_shared_scorer_prints():
    ours = run_cli("eval", str(DEV))
    theirs = subprocess.run(
        [sys.executable, str(SCORER), str(DEV), "--cmd", f"{sys.executable} -m cli.main ask --json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert ours.returncode == 0 and theirs.returncode == 0, theirs.stdout + theirs.stderr
    assert without_wall_time(ours.stdout) == without_wall_time(theirs.stdout)


def test_questions_the_issue_names_as_out_of_scope_get_no_answer():
    questions = ["今天天气怎么样", "2023年房价会涨吗", "推荐一部好看的电影", "xx区有几家银行"]
    result = run_cli("ask", "--json", *questions)
    assert [json.loads(line)["answer"] for line in result.stdout.splitlines()] == [None] * 4


def test_ask_reads_data_dir_and_caches_under_state_dir(tmp_path):
    data = tmp_path / "docs"
    data.mkdir()
    speech = "某县讲话\n同志们：\n一、重点工作\n一是修建道路10公里。\n"
    (data / "other.txt").write_text(speech, encoding="utf-8")
    state = tmp_path / "state"
    result = run_cli("ask", "--json", "修建道路多少公里", DATA_DIR=str(data), STATE_DIR=str(state))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answer"]["doc"] == "other.txt"
    assert list((state / "tokens").iterdir()), "the same cache as the bot's"


def test_every_option_has_help_and_there_is_a_version():
    for command in ("ask", "eval", "commitments"):
        helped = run_cli(command, "--help").stdout
        assert "--data" in helped and "folder of documents" in helped
    assert run_cli("--version").stdout.startswith("speechbot ")


def test_a_closed_pipe_ends_quietly():
    shell = f"{sys.executable} -m cli.main ask 基础配套 基础配套 基础配套 | head -c 1"
    result = subprocess.run(shell, shell=True, capture_output=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "STATE_DIR": str(STATE)})
    errors = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in errors and "BrokenPipe" not in errors
