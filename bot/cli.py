"""`speechbot` command line: ask, eval, start (placeholder for run)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from retrieval.library import load_library


def _questions(args: argparse.Namespace) -> list[str]:
    if args.question:
        return [" ".join(args.question)] if args.join else list(args.question)
    return [line.strip() for line in sys.stdin if line.strip()]


def cmd_ask(args: argparse.Namespace) -> int:
    library, errors = load_library(Path(args.data))
    for err in errors:
        print(f"跳过 {err}", file=sys.stderr)
    for question in _questions(args):
        answer = library.ask(question, top_k=args.top)
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            p = answer.answer
            print(f"问：{question}")
            print(" › ".join(p.section) + "\n" + p.text if p else "文档中没有找到答案。")
            print()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="speechbot")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer questions from the documents")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--data", default="data")
    ask.add_argument("--top", type=int, default=3)
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--join", action="store_true", help=argparse.SUPPRESS)
    ask.set_defaults(func=cmd_ask)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
