"""Console chat: the bot's answers as plain text, for use without a Telegram token.

Questions come from stdin, one per line, so `echo 2022年基础配套有哪些任务 | make run`
prints the answer and exits; at a terminal it shows a prompt.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot import render
from bot.commitments_view import commitments_answer, empty_message
from bot.state import LibraryHolder
from retrieval.commitments import format_commitments, search_commitments
from retrieval.library import load_library

PROMPT = "问> "
HELP = "输入问题后回车；/sections 查看目录，/commitments [关键词] 任务和目标，/help 查看说明，Ctrl-D 退出。"


def chat(data_dir: Path, top_k: int, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    if not Path(data_dir).is_dir():
        print(f"设置错误：DATA_DIR 应为文档目录的路径 (got {str(data_dir)!r})", file=sys.stderr)
        return 2
    library, errors = load_library(data_dir)
    for error in errors:
        print(f"跳过文档 {error}", file=sys.stderr)
    holder = LibraryHolder(library)
    interactive = stdin.isatty()
    if interactive:
        titles = "、".join(d.title for d in library.documents) or "（没有文档）"
        print(f"已载入：{titles}\n{HELP}", file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        question = line.strip()
        if not question:
            continue
        print(reply(holder, question, top_k), file=stdout, flush=True)
        print(file=stdout)
    return 0


def reply(holder: LibraryHolder, question: str, top_k: int) -> str:
    """What the bot would answer, as plain text."""
    if question in ("/help", "/start"):
        titles = "\n".join(f"• {d.title}" for d in holder.documents)
        examples = "\n".join(f"• {q}" for q in holder.examples())
        return f"{titles}\n{HELP}\n试试这些问题：\n{examples}"
    if question == "/sections":
        return render.html_to_text(render.toc_message(render.toc_entries(holder.documents)))
    titles = {d.name: d.title for d in holder.documents}
    command, *rest = question.split(maxsplit=1)
    if command in ("/commitments", "/tasks"):
        keyword = rest[0] if rest else ""
        commitments = holder.library.commitments
        found = search_commitments(commitments, keyword) if keyword else list(commitments)
        return format_commitments(found, titles) or render.html_to_text(empty_message(keyword))
    found = commitments_answer(holder.library.commitments, question)  # the same choice as the bot's
    if found:
        return format_commitments(found, titles)
    return render.answer_text(holder.library.ask(question, top_k=top_k))
