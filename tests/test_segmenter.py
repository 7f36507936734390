"""retrieval/segmenter.py must cut exactly as jieba does, whichever backend serves it.

The reference is built here from jieba itself, as retrieval/text/tokens.py builds it: a
jieba.Tokenizer, the user words of data/rules/userdict.txt added in file order,
cut_for_search with HMM. It is compared with the module on built-in lines (Latin and
digit runs, user words, punctuation, spaces) and on every line, passage and heading of
every document in ../shared (corpus and seed), the text the bot really indexes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import pytest

from retrieval import rules, segmenter
from retrieval.text.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

LINES = [
    "2022年基础配套有哪些任务",
    "全区地区生产总值增长5.3%，一般公共预算收入完成12.5亿元",
    "加快5g-a商用部署，设区市pm2.5平均浓度稳中有降",
    "供浙气源综合价格下降3-5分/立方米，为全省0-6岁儿童免费开展孤独症筛查",
    "建于1958-1965年；2022-05-26发布；www.pkulaw.com；c++与c#；r&d投入",
    "new 2022 gdp增长，保障性安居工程和棚户区改造",
    "“十四五”规划（2021—2025年）：一是……二是……",
    "征地拆迁、招商引资、土地收储、到位资金",
    "\r\n空白\t字符  之间",
    "",
    "。",
    "abc_def",
]


@lru_cache(maxsize=1)
def reference() -> Callable[[str], list[str]]:
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq in rules.user_words():
        tokenizer.add_word(word, freq)
    return lambda text: list(tokenizer.cut_for_search(text, HMM=True))


@pytest.fixture(params=["rjieba", "jieba"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The module with each backend forced in turn (rjieba skipped where not installed)."""
    if request.param == "rjieba":
        pytest.importorskip("rjieba", reason="rjieba not installed: jieba serves every cut")
    monkeypatch.setenv(segmenter.BACKEND_ENV, request.param)
    segmenter._backend.cache_clear()
    segmenter._cutter.cache_clear()
    yield request.param
    segmenter._backend.cache_clear()
    segmenter._cutter.cache_clear()


def test_built_in_lines_cut_as_jieba_does(backend: str) -> None:
    assert segmenter.backend_name() == backend
    for line in LINES:
        for text in (line, normalize(line)):
            assert segmenter.cut_for_search(text) == reference()(text), text


def test_search_mode_gives_user_words_and_their_sub_words(backend: str) -> None:
    words = segmenter.cut_for_search("保障性安居工程和基础配套")
    assert "保障性安居工程" in words and "基础配套" in words  # user words stay whole
    assert {"保障", "安居", "工程", "基础", "配套"} <= set(words)  # and give their sub-words


def corpus_texts() -> Iterator[tuple[str, str]]:
    """(where, normalized text) for every line, passage and heading path of every shared document."""
    from retrieval.document import load_document
    from retrieval.reader import read_text

    paths = [p for folder in (SHARED / "corpus", SHARED / "seed") for p in sorted(folder.glob("*"))
             if p.suffix in (".txt", ".docx") and p.name != "SOURCES.md"]
    assert paths, f"no documents in {SHARED}"
    for path in paths:
        document = load_document(path)
        for line in read_text(path).splitlines():
            yield f"{path.name} line", normalize(line)
        for chunk in document.chunks:
            yield f"{path.name} passage", normalize(chunk.text)
            yield f"{path.name} heading", normalize(" ".join((document.title, *chunk.path)))


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"{SHARED}/corpus not present")
def test_every_corpus_document_cuts_as_jieba_does(backend: str) -> None:
    texts = list(corpus_texts())
    differing = [(where, text[:40]) for where, text in texts if segmenter.cut_for_search(text) !=
                 reference()(text)]
    assert len(texts) > 2000
    assert differing == []  # 100% on the corpus; jieba-rs's rare HMM differences are not in it


def test_jieba_is_imported_without_pkg_resources() -> None:
    code = ("import sys; from retrieval import segmenter; segmenter.import_jieba(); "
            "print('jieba' in sys.modules, 'pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "False"]


def test_importing_the_module_loads_no_backend() -> None:
    code = "import sys; import retrieval.segmenter; print('jieba' in sys.modules, 'rjieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"]


def test_rjieba_cuts_without_its_package_default_tokenizer() -> None:
    """rjieba's package builds a tokenizer of its own on import (its whole dictionary parsed);
    the segmenter loads only the compiled module, and a later ``import rjieba`` still works."""
    pytest.importorskip("rjieba", reason="rjieba not installed: jieba serves every cut")
    code = ("import sys; from retrieval import segmenter; words = segmenter.cut_for_search('基础配套'); "
            "print('rjieba' in sys.modules, 'jieba' in sys.modules); "
            "import rjieba; print(rjieba.Jieba is segmenter.rjieba_class(), rjieba.cut('基础配套') != [])")
    env = {k: v for k, v in os.environ.items() if k != segmenter.BACKEND_ENV}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True)
    assert out.stdout.split() == ["False", "False", "True", "True"]


def test_an_unknown_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(segmenter.BACKEND_ENV, "thulac")
    segmenter._backend.cache_clear()
    try:
        with pytest.raises(ValueError, match="thulac"):
            segmenter.backend_name()
    finally:
        segmenter._backend.cache_clear()


def test_the_symbol_words_are_jiebas() -> None:
    """Blocks holding a dictionary word with +#&._%- are cut by jieba itself; the list is jieba's."""
    tokenizer = segmenter.import_jieba().Tokenizer()
    tokenizer.initialize()
    words = {w.lower() for w, count in tokenizer.FREQ.items() if count and re.search(r"[+#&._%\-]", w)}
    assert words == set(segmenter._JIEBA_SYMBOL_WORDS)


def test_symbol_blocks_are_found_where_the_block_pattern_finds_them() -> None:
    """symbol_blocks (from the symbols) gives _SYMBOL_BLOCK.finditer's spans: on the built-in lines
    and on random texts of Han characters, letters, digits, symbols, punctuation and spaces."""
    import random

    rng = random.Random(13)
    alphabet = "中国增长a1Z9.%-+_#&，。 \n（）\u3400"
    texts = LINES + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    for text in texts:
        expected = [found.span() for found in segmenter._SYMBOL_BLOCK.finditer(text)]
        assert segmenter.symbol_blocks(text) == expected, text


def test_symbol_block_words_kept_across_blocks_are_the_words_of_each_alone() -> None:
    """_symbol_block_cut with its words' search-mode words kept across blocks (as a cutter keeps
    them) cuts each block as alone, on random blocks and on the symbol blocks of the built-in lines."""
    if segmenter._backend() != "rjieba":
        pytest.skip("rjieba not installed")
    import random

    rng = random.Random(7)
    alphabet = "地区生产总值增长降至浓度中小学a1b.%-+Z9_#&五"
    blocks = [text[start:end] for text in LINES for start, end in segmenter.symbol_blocks(normalize(text))]
    blocks += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16))) for _ in range(3000)]
    tokenizer, searched = segmenter._rjieba_tokenizer(), {}
    for block in blocks:
        assert segmenter._symbol_block_cut(block, tokenizer, searched) == segmenter._symbol_block_cut(
            block, tokenizer), block
    assert searched


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"{SHARED}/corpus not present")
def test_symbol_blocks_cut_as_jieba_does_without_its_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every block of the corpus and of CMRC 2018 holding +#&._%- ("降至15%", "pm2.5浓度", "换新+回收"),
    as written and normalized: the same words as jieba's, and jieba's dictionary never loaded."""
    if segmenter._backend() != "rjieba":
        pytest.skip("rjieba not installed")
    contexts = [p["context"] for a in json.loads((SHARED / "corpus" / "cmrc2018_dev.json").read_text(
        encoding="utf-8"))["data"] for p in a["paragraphs"]]
    texts = [text for _, text in corpus_texts()] + contexts + [normalize(c) for c in contexts]
    blocks = {b for text in texts for i, b in enumerate(segmenter._JIEBA_BLOCK.split(text))
              if i % 2 and b and not segmenter._RJIEBA_SAFE.fullmatch(b)}
    tokenizer = segmenter._rjieba_tokenizer()
    expected = {b: reference()(b) for b in blocks}
    assert len(blocks) > 1000
    mismatched = [b for b in blocks if not any(w in b.lower() for w in segmenter._JIEBA_SYMBOL_WORDS)
                  and segmenter._symbol_block_cut(b, tokenizer) != expected[b]]
    assert mismatched == []
    text = normalize("PM2.5平均浓度降至20.6微克，增长3.5%，换新+回收")
    want = reference()(text)
    segmenter._cutter.cache_clear()
    monkeypatch.setattr(segmenter, "jieba_cutter", lambda: pytest.fail("jieba's dictionary was loaded"))
    assert segmenter.cut_for_search(text) == want
    segmenter._cutter.cache_clear()


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"{SHARED}/corpus not present")
def test_whole_runs_cut_as_block_by_block() -> None:
    """rjieba given the text between symbol blocks whole cuts it as it cuts each block alone: on
    every line, passage and heading of the corpus and every CMRC 2018 paragraph, as written and
    normalized (where jieba-rs's rare HMM differences from jieba are), and on the built-in lines."""
    if segmenter._backend() != "rjieba":
        pytest.skip("rjieba not installed")
    contexts = [p["context"] for a in json.loads((SHARED / "corpus" / "cmrc2018_dev.json").read_text(
        encoding="utf-8"))["data"] for p in a["paragraphs"]]
    edges = ["中国\u9fa6国家的\u3400人", "增长3.5%\r\n下降\t2.0%  ", "豈有此理，c++与r&d", "pm2.5.", "-",
             "a-b-c"]
    texts = [text for _, text in corpus_texts()] + contexts + [normalize(c) for c in contexts] + LINES + edges
    whole, blocks = segmenter._hybrid_cutter(), segmenter._hybrid_cutter(whole_runs=False)
    assert len(texts) > 4000
    assert [text[:40] for text in texts if whole(text) != blocks(text)] == []
    assert sum(1 for text in texts if segmenter._SYMBOL_BLOCK.search(text)) > 1000  # both paths were taken


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"{SHARED}/corpus not present")
def test_texts_cut_at_once_are_cut_as_each_alone() -> None:
    """cut_each_for_search: each text's words, a line break between, as cutting each alone gives
    them: on the corpus's passages and lines and CMRC 2018's paragraphs, normalized, 40 at a time,
    and on texts that are cut one by one (a rare Han character, a line break, none at all)."""
    contexts = [p["context"] for a in json.loads((SHARED / "corpus" / "cmrc2018_dev.json").read_text(
        encoding="utf-8"))["data"] for p in a["paragraphs"]]
    texts = [normalize(t) for t in [text for _, text in corpus_texts()] + contexts + LINES]
    groups = [texts[i:i + 40] for i in range(0, len(texts), 40)]
    groups += [["中国\u9fa6国家的", "增长3.5%"], ["一\n二", "三"], ["", ""], [""], [], ["-", "c++", "pm2.5"]]

    def alone(group: list[str]) -> list[str]:
        words: list[str] = []
        for number, text in enumerate(group):
            words += ([segmenter.PASSAGE_BREAK] if number else []) + segmenter.cut_for_search(text)
        return words

    assert [g[:1] for g in groups if segmenter.cut_each_for_search(g) != alone(g)] == []
