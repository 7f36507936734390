"""Score answers against a question file, exactly as ../shared/eval/score.py grades `ask --json`.

Question file lines: {"q": str, "kind": "list"|"fact"|"none", "must": [str] | "any": [[str]]},
optionally "doc" (with a doc root: the question is asked of that document loaded alone).
A passage satisfies a question when, after NFKC and whitespace removal, it holds every string
of `must` (or of one alternative in `any`) and is at most MAX_CHARS long.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from retrieval.text.normalize import compact

MAX_CHARS = 1600


def norm(text: str) -> str:
    """The compare form, curly double quotes made straight (as score.py grades)."""
    return compact(text).replace("\u201d", '"').replace("\u201c", '"')


def _alternatives(item: dict) -> list[list[str]]:
    return item["any"] if "any" in item else [item.get("must", [])]


def satisfies(passage: dict | None, item: dict, field: str = "text") -> bool:
    if not passage:
        return False
    text = norm(passage.get(field) or "")
    if field == "text" and len(text) > MAX_CHARS:
        return False
    return any(all(norm(m) in text for m in alt) for alt in _alternatives(item))


@dataclass
class Score:
    answerable: int = 0
    hit1: int = 0
    hit3: int = 0
    false_reject: int = 0
    facts: int = 0
    highlight: int = 0
    out_of_scope: int = 0
    rejected: int = 0

    def add(self, item: dict, result: dict) -> bool:
        """Count one question; True when it was answered right."""
        answer, results = result.get("answer"), result.get("results") or []
        if item["kind"] == "none":
            self.out_of_scope += 1
            self.rejected += answer is None
            return answer is None
        self.answerable += 1
        ok = satisfies(answer, item)
        self.hit1 += ok
        self.hit3 += any(satisfies(r, item) for r in results[:3])
        self.false_reject += answer is None
        if item["kind"] == "fact":
            self.facts += 1
            self.highlight += satisfies(answer, item, "highlight")
        return ok

    def report(self, wall: float) -> str:
        def pct(x: int, n: int) -> str:
            return f"{100.0 * x / n:.1f}%" if n else "n/a"

        line = (
            f"answerable {self.answerable}: hit@1 {self.hit1} ({pct(self.hit1, self.answerable)}), "
            f"hit@3 {self.hit3} ({pct(self.hit3, self.answerable)}), false-reject {self.false_reject}; "
            f"fact highlight {self.highlight}/{self.facts} ({pct(self.highlight, self.facts)}); "
            f"out-of-scope rejected {self.rejected}/{self.out_of_scope}; wall {wall:.1f}s"
        )
        summary = {
            "hit1": self.hit1 / self.answerable if self.answerable else None,
            "hit3": self.hit3 / self.answerable if self.answerable else None,
            "highlight": self.highlight / self.facts if self.facts else None,
            "reject": self.rejected / self.out_of_scope if self.out_of_scope else None,
            "n": self.answerable + self.out_of_scope,
        }
        return line + "\n" + json.dumps(summary)


def evaluate(
    items: Iterable[dict],
    ask: Callable[[dict], dict],
    on_miss: Callable[[dict, dict], None] | None = None,
) -> str:
    """Ask every question (ask gets the item, returns the JSON answer) and return the report."""
    score, start = Score(), time.time()
    for item in items:
        result = ask(item)
        if not score.add(item, result) and on_miss:
            on_miss(item, result)
    return score.report(time.time() - start)
