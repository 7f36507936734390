"""`speechbot` command line: ask, eval, commitments; run and start the bot or the console chat.

The documents come from --data, else DATA_DIR (the environment, then .env), else data/; what
each document became is cached under STATE_DIR (or a cache folder of its own when STATE_DIR
cannot be written), the same cache the bot uses, so a second run reads nothing again.

Start-up matters here (`speechbot ask` is run once per question by scripts and graders): each
command imports what only it needs, inside the command, so `ask` loads neither the bot, nor
the evaluation, nor the commitments' formatting, nor package metadata for --version.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from retrieval.library import Library


def _questions(args: argparse.Namespace) -> list[str]:
    if args.question:
        return [" ".join(args.question)] if args.join else list(args.question)
    return [line.strip() for line in sys.stdin if line.strip()]


def configured(name: str, default: str) -> str:
    """A setting as the bot reads it: the environment first, then the .env file (ENV_FILE names
    another), else default. Read directly: the command line starts without the bot's settings."""
    if os.environ.get(name):
        return os.environ[name]
    env_file = os.environ.get("ENV_FILE", ".env")
    if not os.path.isfile(env_file):  # dotenv would find nothing either; not importing it saves its import
        return default
    from dotenv import dotenv_values  # pydantic-settings' own .env reader

    return dotenv_values(env_file).get(name) or default


def cache_dir() -> Path | None:
    """STATE_DIR/tokens like the bot, or a cache folder of this user's when that cannot be written."""
    for folder in (Path(configured("STATE_DIR", "state")) / "tokens",
                   Path(tempfile.gettempdir()) / f"speechbot-cache-{os.getuid()}"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return None


def _load(data: str | None) -> Library:
    """Load the documents in data, reporting skipped files on stderr; exit 2 if there are none."""
    from retrieval.library import load_library

    data = data or configured("DATA_DIR", "data")
    if not Path(data).is_dir():
        sys.exit(f"speechbot: 找不到文档目录 {data}")
    library, errors = load_library(Path(data), cache_dir())
    for err in errors:
        print(f"speechbot: 跳过 {err}", file=sys.stderr)
    if not library.documents:
        sys.exit(f"speechbot: {data} 中没有可用的文档（支持 .txt .md .docx .pdf）")
    return library


def cmd_ask(args: argparse.Namespace) -> int:
    library = _load(args.data)
    if not args.json:
        from bot.render import reply_text  # the bot's text rendering, for the plain-text output only
    titles = {d.name: d.title for d in library.documents}
    for question in _questions(args):
        reply = library.ask(question, top_k=args.top)
        if args.json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), flush=True)
        else:
            print(f"问：{question}\n{reply_text(reply, titles)}\n", flush=True)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Score a question file in one process; prints what ../shared/eval/score.py prints."""
    from retrieval.evaluation import evaluate
    from retrieval.library import load_library

    path = Path(args.file)
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    libraries: dict[str | None, Library] = {}

    def library_for(item: dict) -> Library:
        doc = item.get("doc") if args.doc_root else None
        if doc not in libraries:
            if doc:
                with tempfile.TemporaryDirectory(prefix="speechbot-eval-") as data:
                    shutil.copy(Path(args.doc_root) / doc, data)
                    libraries[doc] = load_library(Path(data), cache_dir())[0]
            else:
                libraries[doc] = _load(args.data)
        return libraries[doc]

    def ask(item: dict) -> dict:
        return library_for(item).ask(item["q"], top_k=args.top).to_json()

    def show_miss(item: dict, result: dict) -> None:
        got = result["answer"]
        where = "null" if got is None else " > ".join(got["section"]) + " | " + got["text"][:60]
        print(f"MISS [{item['kind']}] {item.get('doc', '')} {item['q']}  ->  {where}")

    print(evaluate(items, ask, on_miss=show_miss if args.verbose else None))
    return 0


def cmd_commitments(args: argparse.Namespace) -> int:
    """List what the documents commit to (targets, deadlines, tasks), ranked by keyword if one is given."""
    from retrieval.commitments import format_commitments, search_commitments

    library = _load(args.data)
    commitments = list(library.commitments())
    if args.keyword:
        commitments = search_commitments(commitments, args.keyword)
    if args.json:
        for commitment in commitments:
            print(json.dumps(commitment.to_json(), ensure_ascii=False), flush=True)
    else:
        titles = {d.name: d.title for d in library.documents}
        print(format_commitments(commitments, titles) or "没有找到相关的任务或目标。")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Start the Telegram bot (settings from the environment and .env)."""
    from bot.launch import run

    return run()


def cmd_start(args: argparse.Namespace) -> int:
    """What `make run` calls: the Telegram bot if TELEGRAM_BOT_TOKEN is set, else the console chat."""
    from bot.launch import start

    return start()


DATA_HELP = "folder of documents (default: DATA_DIR from the environment or .env, else data/)"
TOP_HELP = "passages per question, the answer first (default: 3)"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # only for --version

    try:
        return version("speechbot")
    except PackageNotFoundError:  # run from a checkout that was not installed
        return "unknown"


class _VersionAction(argparse.Action):
    """--version, looked up when asked: argparse's own action wants the string up front, and
    importlib.metadata searching the installed packages is ~0.01 s of every command."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        print(f"speechbot {_version()}")
        parser.exit()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="speechbot", description="原文引用讲话稿和政府工作报告，回答问题。")
    top.add_argument("--version", action=_VersionAction, help="show the version and exit")
    sub = top.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer questions from the documents")
    ask.add_argument("question", nargs="*", help="questions; read from standard input, one per line, if none")
    ask.add_argument("--data", help=DATA_HELP)
    ask.add_argument("--top", type=int, default=3, help=TOP_HELP)
    ask.add_argument("--json", action="store_true", help="one JSON line per question (graded by score.py)")
    ask.add_argument("--join", action="store_true", help=argparse.SUPPRESS)
    ask.set_defaults(func=cmd_ask)
    ev = sub.add_parser("eval", help="score a question file (same report as shared/eval/score.py)")
    ev.add_argument("file", help="question file, one JSON object per line")
    ev.add_argument("--data", help=DATA_HELP + "; all questions are asked of it")
    ev.add_argument("--doc-root", help="questions name a document in this folder, each loaded alone")
    ev.add_argument("--top", type=int, default=3, help=TOP_HELP)
    ev.add_argument("-v", "--verbose", action="store_true", help="print each question answered wrong")
    ev.set_defaults(func=cmd_eval)
    commit = sub.add_parser("commitments", help="list targets, deadlines and tasks the documents commit to")
    commit.add_argument("keyword", nargs="?", help="rank the commitments matching this keyword first")
    commit.add_argument("--data", help=DATA_HELP)
    commit.add_argument("--json", action="store_true", help="one JSON line per commitment")
    commit.set_defaults(func=cmd_commitments)
    sub.add_parser("run", help="start the Telegram bot").set_defaults(func=cmd_run)
    sub.add_parser("start", help="the Telegram bot if a token is set, else the console chat").set_defaults(
        func=cmd_start
    )
    sub.add_parser("check", help="check settings, documents and the Bot API; exit 0 or 1").set_defaults(
        func=lambda args: __import__("bot.check").check.main()
    )
    return top


def main(argv: list[str] | None = None) -> int:
    # One OpenBLAS thread, unless told otherwise. numpy starts OpenBLAS's thread pool when it is
    # imported (by the retrieval code, after this line), yet nothing here does linear algebra:
    # BM25 adds and sorts. On a busy 2-core machine starting the pool doubled numpy's import
    # (0.11 s against 0.055 s, median of 20).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = parser().parse_args(argv)
    try:
        code = int(args.func(args))
    except BrokenPipeError:  # `speechbot ask … | head`: the reader has gone; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    if argv is None and args.command == "ask":  # run as the program, not called by a test
        _exit_now(code)
    return code


def _exit_now(code: int) -> NoReturn:
    """End `speechbot ask` as soon as its answers are out, skipping the interpreter's teardown.

    Why: `ask` is started once per question by scripts and graders, and tearing the interpreter
    down (freeing the tokenizer's dictionary, numpy and every module) is ~0.02 s of each run,
    spent after the answers are printed. `ask` prints with flush=True, writes no file that is
    not already closed, and registers no exit handler, so nothing is lost.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
