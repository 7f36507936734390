"""The question sets: the development questions' thresholds and the held-out sets as regression guards.

Scored in-process exactly as ../shared/eval/score.py scores `speechbot ask --json`
(retrieval/evaluation.py mirrors its rules). The held-out sets in tests/eval/ were written
without looking at the retrieval code; their floors sit below today's figures, to catch
regressions, not to tune against.
"""

import json
import shutil
from pathlib import Path

import pytest

from retrieval.evaluation import Score
from retrieval.library import load_library

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED_DEV = SHARED / "eval" / "seed_dev.jsonl"
CORPUS = SHARED / "corpus"


def score(path: Path, tmp_path: Path, doc_root: Path | None = None) -> Score:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    libraries = {}
    result = Score()
    for item in items:
        doc = item.get("doc") if doc_root else None
        if doc not in libraries:
            if doc:
                folder = tmp_path / doc
                folder.mkdir()
                shutil.copy(doc_root / doc, folder)
                libraries[doc] = load_library(folder)[0]
            else:
                libraries[doc] = load_library(ROOT / "data")[0]
        result.add(item, libraries[doc].ask(item["q"]).to_json())
    return result


@pytest.mark.skipif(not SEED_DEV.exists(), reason="../shared/eval is not beside the repository")
def test_development_questions_meet_the_targets(tmp_path):
    result = score(SEED_DEV, tmp_path)
    assert result.hit1 / result.answerable >= 0.95
    assert result.hit3 == result.answerable
    assert result.highlight / result.facts >= 0.90
    assert result.rejected == result.out_of_scope
    assert result.false_reject == 0


def test_held_out_seed_questions(tmp_path):
    result = score(ROOT / "tests" / "eval" / "seed_extra_questions.jsonl", tmp_path)
    assert result.hit1 / result.answerable >= 0.80
    assert result.hit3 / result.answerable >= 0.94
    assert result.false_reject == 0


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the repository")
def test_held_out_corpus_questions(tmp_path):
    result = score(ROOT / "tests" / "eval" / "corpus_questions.jsonl", tmp_path, doc_root=CORPUS)
    assert result.hit1 / result.answerable >= 0.92
    assert result.hit3 / result.answerable >= 0.95
    assert result.highlight / result.facts >= 0.88
    assert result.false_reject <= 1
    assert result.rejected / result.out_of_scope >= 0.6
