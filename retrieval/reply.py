"""What a question gets back from Library.ask: one of three replies, plain data for every front end.

Telegram, inline mode, the console chat and `speechbot ask --json` all render these and
nothing else, so the same question gets the same answer everywhere:

- PassageAnswer: a passage answers; its alternatives follow it (the bot pages through them);
- Listing: a list question about commitments ("哪些任务要在月底前完成"), answered with the
  commitments themselves, each also quoted in its passage;
- NoAnswer: nothing in the documents answers; the closest passages become suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from retrieval.commitments import Commitment
from retrieval.models import Passage


@dataclass(frozen=True)
class PassageAnswer:
    question: str
    passages: tuple[Passage, ...]  # the answer first, then its alternatives, best first
    # Other documents that answer too, each with its best passage, when the question names no
    # document ("今年GDP增长目标是多少" of a library holding several years' reports).
    also: tuple[Passage, ...] = ()

    @property
    def answer(self) -> Passage:
        return self.passages[0]

    def to_json(self) -> dict[str, Any]:
        return _contract(self.question, self.answer, self.passages)


@dataclass(frozen=True)
class Listing:
    question: str
    commitments: tuple[Commitment, ...]  # best first
    passages: tuple[Passage, ...]  # the first commitments, each quoted in its passage (highlighted)

    @property
    def answer(self) -> Passage | None:
        """The first commitment in its passage: what `ask --json` reports as the answer."""
        return self.passages[0] if self.passages else None

    def to_json(self) -> dict[str, Any]:
        return _contract(self.question, self.answer, self.passages)


@dataclass(frozen=True)
class NoAnswer:
    question: str
    results: tuple[Passage, ...] = ()  # what the search found, none of it an answer
    answer: None = None  # like the other replies' answer, for code that reads any reply

    @property
    def suggestions(self) -> tuple[Passage, ...]:
        """The closest sections to look at instead: the results' sections, each once."""
        seen: dict[tuple[str, tuple[str, ...]], Passage] = {}
        for passage in self.results:
            if passage.section:
                seen.setdefault((passage.doc, passage.section), passage)
        return tuple(seen.values())

    def to_json(self) -> dict[str, Any]:
        return _contract(self.question, None, self.results)


Reply = PassageAnswer | Listing | NoAnswer


def _contract(question: str, answer: Passage | None, results: tuple[Passage, ...]) -> dict[str, Any]:
    """The `speechbot ask --json` line (graded by ../shared/eval/score.py): keep it stable."""
    return {
        "question": question,
        "answer": answer.to_json() if answer else None,
        "results": [p.to_json() for p in results],
    }
