"""jieba's search-mode segmentation with the project's user dictionary, from the fastest backend installed.

Why: tokenizing is most of what loading a library costs. jieba in Python cuts about
300,000 characters a second, loads its dictionary in ~0.6 s in every process, and its
import pulls in pkg_resources (~0.14 s) just to locate that dictionary. rjieba binds
jieba-rs, the same algorithm over the same dictionary in Rust: many times the speed,
and a dictionary that loads in a fraction of the time.

jieba stays the reference. rjieba differs from it in one systematic way, measured over
every corpus document and 2,700 CMRC paragraphs: runs of Latin letters and digits joined
by ``+#&._%-`` ("5g-a", "3-5", "pm2.5", "2022-05-26") are cut differently (jieba: 3 / - / 5,
jieba-rs: 3-5). So the text is split into jieba's own blocks, exactly as jieba.cut does;
a block of Han characters, Latin letters and digits only (almost all text) is cut by
rjieba, and a block holding one of those characters by jieba's own steps over rjieba's
dictionary (_symbol_block_cut): jieba's Python dictionary costs 0.6 s and 72 MB in every
process that loads it, and "3.5%" is in almost every report. Only a block holding one of
the few dictionary words with such a character (c++, c#, at&t) is cut by jieba. What remains
is jieba-rs's HMM on rare unknown-word runs: 2 blocks in 80,000 differ (常在较 → 常在/较
where jieba says 常/在/较). tests/test_segmenter.py measures this on every corpus document.

rjieba is not called block by block, though: a passage holds ~18 blocks between its commas,
and the Python around each call cost more than rjieba's cut of it. jieba-rs splits text
into the same blocks as jieba and cuts each alone, so the text between two blocks holding
+#&._%- is handed to it whole; only where the text holds a Han character jieba does not
count as one (CJK extension A, U+9FD6–U+9FFF, compatibility ideographs, the supplementary
planes: jieba-rs does) is it cut block by block. And a block holding one of those symbols
("增长3.5%") recurs across a library: its words are kept, not worked out again each time.

Where rjieba is not installed, or ``SPEECHBOT_SEGMENTER=jieba`` is set, jieba serves
everything, imported without pkg_resources. Nothing heavy happens at import: backends
and dictionaries load on the first cut, so a process that never tokenizes never pays.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from retrieval import rules

if TYPE_CHECKING:
    import rjieba

Cutter = Callable[[str], list[str]]

# Forces a backend: "jieba" or "rjieba" (an error when rjieba is not installed); unset picks the fastest.
BACKEND_ENV = "SPEECHBOT_SEGMENTER"

# jieba.cut's block pattern (jieba/__init__.py re_han_default) and its whitespace split (re_skip_default).
_JIEBA_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+)")
_JIEBA_SKIP = re.compile("(\r\n|\\s)")
# Blocks rjieba cuts as jieba does; any other block is cut by _symbol_block_cut.
_RJIEBA_SAFE = re.compile("[\u4e00-\u9fd5a-zA-Z0-9]+")
# What jieba's blocks hold beyond those, and its words with them (jieba's dictionary, lower
# case: tests/test_segmenter.py checks the list): a block with one of these goes to jieba.
_SYMBOL = re.compile(r"([+#&._%\-])")
_JIEBA_SYMBOL_WORDS = ("at&t", "c#", "c++")
# jieba/finalseg: Han runs of a buffer are cut by the HMM, other runs at these pieces ("3.5%").
_FINALSEG_HAN = re.compile("([\u4E00-\u9FD5]+)")
_FINALSEG_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_ALNUM = re.compile("[a-zA-Z0-9]+")
# A jieba block holding one of +#&._%-: one that no block character precedes (a block's start),
# its run of other block characters, then a symbol, then the rest of the block. Possessive runs
# and the start test keep the search linear in the text.
_SYMBOL_BLOCK = re.compile("(?<![\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-])[\u4e00-\u9fd5a-zA-Z0-9]*+[+#&._%\\-]"
                           "[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]*+")
# symbol_blocks' pieces of it: the run of other block characters before a symbol (matched in the
# reversed text) and the rest of the block from the symbol on.
_BLOCK_BEFORE = re.compile("[\u4e00-\u9fd5a-zA-Z0-9]*+")
_BLOCK_FROM = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]*+")
# Han characters that jieba-rs reads into its blocks and jieba does not (jieba: \u4e00-\u9fd5).
_RJIEBA_ONLY_HAN = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_SYMBOL_CUTS_LIMIT = 100_000  # symbol blocks whose words a cutter keeps (a library's are ~10,000)


_taught: frozenset[str] = frozenset()  # words admins added at run time (retrieval/vocabulary.py)


def teach(words: frozenset[str]) -> None:
    """Make these the words added at run time (replacing those taught before): both backends are
    rebuilt on their next cut, since jieba-rs cannot forget a word."""
    global _taught
    if words != _taught:
        _taught = words
        _cutter.cache_clear()
        _rjieba_dictionary.cache_clear()
        _jieba_tokenizer.cache_clear()
        jieba_cutter.cache_clear()


def cut_for_search(normalized_text: str) -> list[str]:
    """jieba's ``cut_for_search(normalized_text, HMM=True)`` with the project's user words, as a list.

    Whole words and, for words of three or more characters, their dictionary sub-words
    (保障性住房 → 保障, 保障性, 住房, 保障性住房), punctuation and spaces included as jieba gives
    them: choosing index terms is the caller's business (retrieval/text/tokens.py).
    """
    return _cutter()(normalized_text)


PASSAGE_BREAK = "\n"  # between texts cut at once (cut_each_for_search): a word of its own to jieba


def cut_each_for_search(normalized_texts: Sequence[str]) -> list[str]:
    """The cut_for_search words of each text, one text after another, PASSAGE_BREAK between two:
    [*cut_for_search(t1), "\n", *cut_for_search(t2), …], bit for bit, for normalized texts (no
    line break in them).

    Why: a document's ~45 passages were cut one call each, and the Python around a call (and
    rjieba's own per call) cost about a quarter of cutting them (~0.7 s of CPU at 1,000
    documents). Cut as one text, their line breaks between: jieba, and jieba-rs alike, ends a
    block at a line break and yields the line break as a word of its own, and a symbol block
    (_SYMBOL_BLOCK) starts and ends at one as at the text's start and end; so no word reaches
    across, and each text is cut as alone. Texts are cut one by one where that does not hold
    for certain: with the jieba backend, where a text holds a line break, and where one holds a
    Han character only jieba-rs reads into blocks (the hybrid cutter then cuts block by block).
    """
    joined = PASSAGE_BREAK.join(normalized_texts)
    if (_backend() == "rjieba" and joined.count(PASSAGE_BREAK) == len(normalized_texts) - 1
            and not _RJIEBA_ONLY_HAN.search(joined)):
        return cut_for_search(joined)
    words: list[str] = []
    for number, text in enumerate(normalized_texts):
        if number:
            words.append(PASSAGE_BREAK)
        words += cut_for_search(text)
    return words


def is_dictionary_word(word: str) -> bool:
    """Whether the tokenizer's dictionary (with the project's user words) holds the word:
    "减税降费" yes; "固投涨", which jieba's HMM made up of unknown characters, no."""
    if _backend() == "rjieba":
        return bool(_rjieba_dictionary().has_word(word))
    return jieba_has_word(word)


def jieba_has_word(word: str) -> bool:
    """is_dictionary_word as the jieba backend answers it (loads jieba's dictionary)."""
    return bool(_jieba_tokenizer().FREQ.get(word))


@lru_cache(maxsize=1)
def _rjieba_dictionary() -> Any:
    """The one rjieba tokenizer of the process, with the user words: it cuts, and it is asked
    which words it holds."""
    return _rjieba_tokenizer()


def backend_name() -> str:
    """"rjieba" (with jieba for the few blocks it cuts differently) or "jieba"."""
    return _backend()


@lru_cache(maxsize=1)
def _backend() -> str:
    forced = os.environ.get(BACKEND_ENV, "").strip().lower()
    if forced in ("jieba", "rjieba"):
        return forced
    if forced:
        raise ValueError(f"{BACKEND_ENV}={forced!r}: expected 'jieba' or 'rjieba'")
    # Looked up, not imported: choosing the backend (and fingerprinting caches by it) loads nothing.
    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"


@lru_cache(maxsize=1)
def _cutter() -> Cutter:
    """The chosen backend's search-mode cut, user words added; built once per process."""
    return _hybrid_cutter() if _backend() == "rjieba" else jieba_cutter()


def _hybrid_cutter(whole_runs: bool = True) -> Cutter:
    """rjieba's cut with jieba's for the blocks rjieba cuts differently (see the module's docstring).

    whole_runs False: every block handed to rjieba alone, as jieba.cut splits the text (the
    reference that tests/test_segmenter.py compares the whole runs with).
    """
    tokenizer = _rjieba_dictionary()
    rjieba_cut = tokenizer.cut_for_search
    symbol_words = {*_JIEBA_SYMBOL_WORDS, *(w.lower() for w in (*_taught, *(w for w, _ in rules.user_words()))
                                            if _SYMBOL.search(w))}
    symbol_cuts: dict[str, list[str]] = {}  # block -> its words (never handed out to be changed)
    searched: dict[str, list[str]] = {}  # a word of those blocks -> its search-mode words (idem)

    def symbol_block(block: str) -> list[str]:
        words = symbol_cuts.get(block)
        if words is None:
            lowered = block.lower()
            if any(word in lowered for word in symbol_words):
                words = jieba_cutter()(block)
            else:
                words = _symbol_block_cut(block, tokenizer, searched)
            if len(symbol_cuts) >= _SYMBOL_CUTS_LIMIT:
                symbol_cuts.clear()
                searched.clear()
            symbol_cuts[block] = words
        return words

    def cut(text: str) -> list[str]:
        if not whole_runs or _RJIEBA_ONLY_HAN.search(text):
            return cut_blocks(text)
        words: list[str] = []
        at = 0
        for start, end in symbol_blocks(text):
            if start > at:
                words += rjieba_cut(text[at:start], True)
            words += symbol_block(text[start:end])
            at = end
        if at < len(text):
            words += rjieba_cut(text[at:] if at else text, True)
        return words

    def cut_blocks(text: str) -> list[str]:
        words: list[str] = []
        for i, block in enumerate(_JIEBA_BLOCK.split(text)):
            if not block:
                continue
            if i % 2:  # a captured jieba block: Han characters, Latin letters, digits, +#&._%-
                words += rjieba_cut(block, True) if _RJIEBA_SAFE.fullmatch(block) else symbol_block(block)
            else:  # between blocks jieba yields whitespace as is, every other character alone
                for piece in _JIEBA_SKIP.split(block):
                    if _JIEBA_SKIP.fullmatch(piece):
                        words.append(piece)
                    else:
                        words += piece
        return words

    return cut


def symbol_blocks(text: str) -> list[tuple[int, int]]:
    """The spans of _SYMBOL_BLOCK.finditer(text), found from the symbols: each symbol not in the
    block found last opens a new one, which reaches back over the other block characters before
    it and on to the block's end.

    Why: _SYMBOL_BLOCK is tried at every character of the text (its start test first), ~40 ns
    each, 0.55 ms of a speech-size document's ~14,000 characters; the ~60 symbols are found by
    a search for one character class, which the engine scans for without trying the pattern.
    Exact: a block holding a symbol is found at its first symbol, the characters before it in
    the block being Han characters, Latin letters and digits only; the next symbol searched is
    past the block, after a character that is no block's."""
    spans: list[tuple[int, int]] = []
    at, reversed_text = 0, ""
    for found in _SYMBOL.finditer(text):
        symbol = found.start()
        if symbol < at:
            continue
        if not reversed_text:
            reversed_text = text[::-1]
        before = len(text) - symbol  # where the character before the symbol is in reversed_text
        run_before, rest = _BLOCK_BEFORE.match(reversed_text, before), _BLOCK_FROM.match(text, symbol)
        assert run_before is not None and rest is not None  # a pattern of one starred class always matches
        at = rest.end()
        spans.append((symbol - (run_before.end() - before), at))
    return spans


def _rjieba_tokenizer() -> Any:
    tokenizer = rjieba_class()()
    for word, freq in [*rules.user_words(), *((w, None) for w in sorted(_taught))]:
        # freq None: jieba-rs, like jieba, suggests the frequency that keeps the word whole.
        tokenizer.add_word(word, freq, None)
    return tokenizer


def _symbol_block_cut(block: str, tokenizer: Any, searched: dict[str, list[str]] | None = None) -> list[str]:
    """jieba's cut_for_search of one block holding +#&._%- ("降至15%", "pm2.5浓度"), with
    rjieba's dictionary: jieba's own steps (jieba/__init__.py __cut_DAG, finalseg.cut).

    No dictionary word spans those characters (but _JIEBA_SYMBOL_WORDS), so jieba's best route
    over the block is the best route over each run between them; rjieba without HMM gives it
    (its runs of single letters and digits joined, split again here). Single-character steps
    are buffered as jieba buffers them; a buffer that is no word goes to jieba's finalseg:
    its Han runs by the HMM, the rest in pieces like "3.5%". Checked against jieba on every
    block of the corpus and CMRC 2018 (tests/test_segmenter.py).

    searched: each word's search-mode words (its dictionary 2- and 3-grams, then itself), kept
    by the caller across blocks, where words recur ("地区生产总值增长6.5%": nine grams looked up).
    A symbol is told from a run by its place in _SYMBOL.split's list (odd: the captured symbol)."""
    has_word = tokenizer.has_word
    words: list[str] = []
    buffer = ""

    def flush() -> None:
        nonlocal buffer
        if len(buffer) == 1 or has_word(buffer):
            words.extend(buffer)
        else:
            for run in _FINALSEG_HAN.split(buffer):
                if _FINALSEG_HAN.fullmatch(run):
                    # The HMM on the run alone: a digit after it makes rjieba treat it as jieba's
                    # finalseg does (a trailing run of singles is otherwise left as singles).
                    words.extend(tokenizer.cut(run + "0", True)[:-1])
                elif run:
                    words.extend(piece for piece in _FINALSEG_SKIP.split(run) if piece)
        buffer = ""

    for number, run in enumerate(_SYMBOL.split(block)):
        if number % 2:  # a symbol: a single step
            buffer += run
            continue
        for step in tokenizer.cut(run, False) if run else ():
            if len(step) == 1 or (_ALNUM.fullmatch(step) and not has_word(step)):
                buffer += step  # letters and digits rjieba joined: single steps to jieba
            else:
                if buffer:
                    flush()
                words.append(step)
    if buffer:
        flush()
    search: list[str] = []
    for word in words:  # jieba's cut_for_search: the dictionary's 2- and 3-grams of longer words
        found = searched.get(word) if searched is not None else None
        if found is None:
            size = len(word)
            found = []
            if size > 2:
                found += [gram for gram in (word[i:i + 2] for i in range(size - 1)) if has_word(gram)]
            if size > 3:
                found += [gram for gram in (word[i:i + 3] for i in range(size - 2)) if has_word(gram)]
            found.append(word)
            if searched is not None:
                searched[word] = found
        search += found
    return search


@lru_cache(maxsize=1)
def jieba_cutter() -> Cutter:
    """The reference: jieba's own Tokenizer with the user words added in file order."""
    search = _jieba_tokenizer().cut_for_search
    return lambda text: list(search(text, HMM=True))


@lru_cache(maxsize=1)
def _jieba_tokenizer() -> Any:
    """jieba's own Tokenizer with the user words, once per process (and per set of taught words)."""
    tokenizer = import_jieba().Tokenizer()
    tokenizer.initialize()
    for word, freq in [*rules.user_words(), *((w, None) for w in sorted(_taught))]:
        tokenizer.add_word(word, freq)
    return tokenizer


def rjieba_class() -> type[rjieba.Jieba]:
    """rjieba's Jieba class, without building the tokenizer rjieba's package builds on import.

    ``import rjieba`` runs rjieba/__init__.py, which makes a module-level ``Jieba()`` for its
    ``rjieba.cut`` functions: its whole dictionary parsed (~0.09 s), a tokenizer this project
    never uses, since it needs one with the user words added. So the compiled module
    ``rjieba.rjieba`` is loaded on its own and registered under its name: a later
    ``import rjieba`` anywhere in the process finds it there (a compiled module can be
    initialized only once per process) and builds its default tokenizer then.
    """
    if "rjieba" in sys.modules:
        return sys.modules["rjieba"].Jieba
    if "rjieba.rjieba" not in sys.modules:
        package = importlib.util.find_spec("rjieba")
        locations = package.submodule_search_locations if package else None
        spec = importlib.machinery.PathFinder.find_spec("rjieba.rjieba", locations) if locations else None
        if spec is None or spec.loader is None:  # not the layout expected: import it the usual way
            import rjieba

            return rjieba.Jieba
        module = importlib.util.module_from_spec(spec)
        sys.modules["rjieba.rjieba"] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:  # as the import system does: no half-loaded module left behind
            del sys.modules["rjieba.rjieba"]
            raise
    return sys.modules["rjieba.rjieba"].Jieba


def import_jieba() -> ModuleType:
    """Import jieba without pkg_resources, which it only uses to find its dictionary file.

    jieba 0.42 tries ``import pkg_resources`` and, when that fails, opens the file next to
    its module instead; with setuptools installed the import alone costs ~0.14 s and a
    deprecation warning. Blocking it during jieba's import takes the fallback, which
    reads the same file. A pkg_resources that something else imported first is used.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import raise
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba
