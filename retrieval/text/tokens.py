"""Turn text into words and index terms: jieba with the domain user dictionary, everywhere.

Passages and questions are matched on their normalized form (see normalize.py); quoted
passages are never normalized, only their terms are. Commitments use the same tokenizer on
their verbatim text (`words`, `word_spans`, `search_words`), so both searches split words alike.

The word lists used (user dictionary, stoplist, related terms, question phrases) are data
files in data/rules/, loaded by retrieval/rules.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval import rules, segmenter
from retrieval.text.normalize import normalize, normalize_all, normalize_each
from retrieval.text.numerals import chinese_to_int
from retrieval.token_cache import fingerprint_files
from retrieval.words import Words

if TYPE_CHECKING:
    import jieba

_LATIN_OR_DIGIT = re.compile(r"[0-9a-z.%]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SPACE_BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """jieba with the domain user dictionary, for words as written (commitments, the admins' new
    words); built on first use, once per process."""
    jieba = segmenter.import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq in rules.user_words():
        tokenizer.add_word(word, freq)
    return tokenizer


def split_words(text: str) -> list[str]:
    """jieba's words of text as written (accurate mode, user dictionary)."""
    return list(tokenizer().lcut(text))


def word_ends(text: str) -> set[int]:
    """Offsets where a word of text ends (accurate mode), 0 and len(text) included."""
    return {0, len(text)} | {end for _, _, end in tokenizer().tokenize(text)}


def search_words(text: str) -> list[str]:
    """Search-mode words of text as written: whole words plus their sub-words (保障性/保障)."""
    return list(tokenizer().lcut_for_search(text))


def _is_term(word: str) -> bool:
    return bool(_HAN.search(word) or _LATIN_OR_DIGIT.fullmatch(word))


class _IndexTerms(dict[str, bool]):
    """Whether a word is an index term: a term (_is_term) and no stopword; worked out once per word.

    Why: a library's passages hold ~7 million words, most of them a few thousand words over and
    over; two regular expressions and a set lookup per word were a third of tokenizing (1.8 s of
    CPU at 1,000 documents), a dictionary lookup is a tenth of that. Kept for one stopword list
    (rules.stopwords(), built once per process), and emptied when it grows past LIMIT.
    """

    LIMIT = 200_000  # words, ~30 MB: bench_library's 1,000 documents hold 15,000, 848 CMRC paragraphs 42,000

    def __init__(self, stop: frozenset[str]) -> None:
        super().__init__()
        self.stop = stop

    def __missing__(self, word: str) -> bool:
        if len(self) >= self.LIMIT:
            self.clear()
        verdict = self[word] = _is_term(word) and word not in self.stop
        return verdict


_index_terms = _IndexTerms(frozenset())


def tokenize(text: str) -> list[str]:
    """Index terms of a passage: jieba search-mode words, whole words plus their dictionary sub-words
    (保障性/保障), from the fastest backend that cuts as jieba does (retrieval/segmenter.py: rjieba
    where installed); punctuation and stopwords removed."""
    terms = _terms()
    return [w for w in segmenter.cut_for_search(normalize(text)) if terms[w]]


def tokenize_passages(texts: Sequence[str]) -> Words:
    """Words.of([tokenize(t) for t in texts]), bit for bit: a document's passages' index terms,
    numbered. The passages are normalized at once (normalize_all, which remembers their forms
    for index.prepare as normalize does) and cut at once (segmenter.cut_each_for_search), and
    each word cut is looked up once (Words.kept)."""
    if not texts:
        return Words.of([])
    words = segmenter.cut_each_for_search(normalize_all(texts))
    return Words.kept(words, _terms().__getitem__, segmenter.PASSAGE_BREAK)


def tokenize_each(texts: Sequence[str]) -> Words:
    """tokenize_passages(texts), bit for bit, for short texts (a document's headings): normalized
    together too (normalize_each), and not remembered: index.prepare does not normalize them
    again, as it does a passage (tokenize_passages)."""
    if not texts:
        return Words.of([])
    words = segmenter.cut_each_for_search(normalize_each(list(texts)))
    return Words.kept(words, _terms().__getitem__, segmenter.PASSAGE_BREAK)


def _terms() -> _IndexTerms:
    """The verdicts for the current stopword list (rules.stopwords(), built once per process)."""
    global _index_terms
    stop = rules.stopwords()
    if _index_terms.stop is not stop:
        _index_terms = _IndexTerms(stop)
    return _index_terms


def question_terms(question: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """Terms of a question: its question phrases (什么时候, 哪几项, 多少…) cut out, then as a passage.

    Cutting the phrases before splitting keeps their pieces ("时候", "几项") out of the search.
    known: whether the documents use a word; where the tokenizer made up words they do not use,
    the words they do use are looked for instead (_made_up_runs, _known_cut).
    """
    phrases = rules.question_phrases()
    # split puts what a phrase's groups matched between the pieces (A-not-A, "管不管", captures its
    # verb): only the pieces between phrases are searched.
    pieces = phrases.split(normalize(question))[:: phrases.groups + 1]
    return [term for piece in pieces if piece for term in _known_piece_terms(piece, known)]


_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def _known_piece_terms(piece: str, known: Callable[[str], bool] | None) -> list[str]:
    """_piece_terms, each run of _made_up_runs cut into the words the documents use (_known_cut)."""
    words = tokenize(piece)
    runs = _made_up_runs(piece, words, known) if known is not None else []
    if known is None or not runs:
        return _piece_terms(piece, words)
    terms, start = [], 0
    for run_start, run_end in runs:
        run_start, run_end, cut = _known_cut(piece, run_start, run_end, known, floor=start)
        used = [w for w in cut if len(w) > 1 and _terms()[w]]
        if not used:
            continue  # nothing the documents use in it: the tokenizer's words are kept
        terms += _piece_terms(piece[start:run_start]) if run_start > start else []
        terms += used
        start = run_end
    return terms + (_piece_terms(piece[start:]) if start < len(piece) else [])


_LONGEST_WORD = 6


def _known_cut(piece: str, start: int, end: int, known: Callable[[str], bool],
               floor: int) -> tuple[int, int, list[str]]:
    """The span start:end of the piece cut into words the documents use and single characters, as
    many characters as possible in such words (the fewest words among those): "好差评里" → 好, 差评,
    里. The character before and the one after the span join it when a word of the cut takes them
    ("差评要" → 差评, 要, the 差 cut apart of "…的差评要"); none before floor (an earlier run's)."""
    lo, hi = max(start - 1, floor), min(end + 1, len(piece))
    text = piece[lo:hi]
    # best[i]: (characters in known words, -words) over text[:i], and the words
    best: list[tuple[tuple[int, int], list[str]]] = [((0, 0), [])]
    for i in range(1, len(text) + 1):
        options = [((best[i - 1][0][0], best[i - 1][0][1] - 1), [*best[i - 1][1], text[i - 1]])]
        for size in range(2, min(_LONGEST_WORD, i) + 1):
            word = text[i - size:i]
            if _HAN_WORD.fullmatch(word) and (known(word) or related_terms(word)):
                score, words = best[i - size]
                options.append(((score[0] + size, score[1] - 1), [*words, word]))
        best.append(max(options, key=lambda option: option[0]))
    words = best[-1][1]
    # keep the borrowed characters only where a word of more than one character took them
    if lo < start and len(words[0]) == 1:
        words, lo = words[1:], start
    if hi > end and len(words[-1]) == 1:
        words, hi = words[:-1], end
    return lo, hi, words


def _made_up_runs(piece: str, words: list[str], known: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The spans of the piece (merged where they touch) of words the tokenizer's HMM made up (no
    dictionary word) that no document uses: "好差评里的差评要" → 好差评里 (好差, 评里) and 评要. A
    question's spoken words glue a character of one word to the next ("评里", "建了", "区要"),
    which the documents, written, never do; a name the documents use or are named by ("嘎玛泽登",
    "刘捷") is kept, as is a related word ("社零"). words: the piece's terms (tokenize)."""
    spans = sorted((found.start(), found.end()) for word in set(words)
                   if _HAN_WORD.fullmatch(word) and not segmenter.is_dictionary_word(word)
                   and not known(word) and not related_terms(word)
                   for found in re.finditer(re.escape(word), piece))
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    return runs


def typed_separators(question: str) -> str:
    """The question with each space typed between two Chinese words made a comma.

    Example: "河南固投 社零 目标" → "河南固投,社零,目标", so 固投 and 社零 are words, not 固投社
    and 零. Documents lose such spaces (a scraped page breaks lines mid-word), so only questions
    are cut there; a space beside a number or a Latin word is left to normalize ("2022 年").
    """
    return _SPACE_BETWEEN_HAN.sub(",", question)


def _piece_terms(piece: str, terms: list[str] | None = None) -> list[str]:
    """Terms of a piece of a question, keeping whole a related word the tokenizer cut apart.

    Example: "社零增长" is cut 社/零增长, leaving 社 alone, though 社零 alone is one word
    (社会消费品零售总额 in the related-terms file): the terms are 社零, 增长. "固投涨了多少" is cut
    固投涨, a word no dictionary holds: the terms are 固投, 涨. Left to the tokenizer: a related
    word that is several words even alone ("预期目标": 预期, 目标), one the cut runs across
    without leaving a character of it alone ("第一批准备" holds 批准, but is 第一批/准备), and one
    inside a dictionary word ("减税降费" holds 降费). terms: tokenize(piece), if already cut.
    """
    terms = tokenize(piece) if terms is None else terms
    alone = {term for term in terms if len(term) == 1}
    made_up = [term for term in terms if len(term) > 1 and not segmenter.is_dictionary_word(term)]
    broken = [found for found in rules.related_words_pattern().finditer(piece)
              if found.group() not in terms and _one_word(found.group())
              and (alone.intersection(found.group()) or any(found.group() in term for term in made_up))]
    if not broken:
        return terms
    terms, start = [], 0
    for found in broken:
        terms += [*tokenize(piece[start:found.start()]), found.group()]
        start = found.end()
    return terms + tokenize(piece[start:])


@lru_cache(maxsize=4096)
def _one_word(word: str) -> bool:
    """Whether the tokenizer reads word, alone, as that one word (社零: yes; 预期目标: no)."""
    return tokenize(word) == [word]


@lru_cache(maxsize=4096)
def phrase_words(phrase: str) -> tuple[str, ...]:
    """The index terms a related word stands for: itself when it is one term, else its words."""
    words = tokenize(phrase)
    return (phrase,) if not words or phrase in words else tuple(dict.fromkeys(words))


def compound_parts(words: Sequence[str]) -> tuple[tuple[tuple[int, tuple[int, ...]], ...], set[int]]:
    """The question's compound words that its other words tile, and the words that straddle them.

    Search-mode cutting gives a long word with the words inside it: "助学贷款额度" → 贷款额度, 贷款,
    额度, and also 款额, 贷款额. Each compound tiled by the fewest other words is returned as (its
    place, the places of its parts): (贷款额度, (贷款, 额度)). A word inside it that straddles two
    parts (款额, 贷款额) is none of its words; its place is in the returned set. Nor is any word
    inside a Chinese figure ("一亿五千万": 一亿, 五千, 千万, 五千万), which is found as one number.
    """
    place: dict[str, int] = {}
    for n, word in enumerate(words):
        place.setdefault(word, n)
    compounds: list[tuple[int, tuple[int, ...]]] = []
    straddling: set[int] = set()
    for n, word in enumerate(words):
        if len(word) >= 3 and chinese_to_int(word) is not None:  # "一亿五千万" is 1.5亿, not 一亿 and
            straddling.update(m for m, other in enumerate(words)  # 五千万 (nor 千万, a word of its own)
                              if m != n and len(other) >= 2 and other in word)
            continue
        pieces = _fewest_pieces(word, place) if len(word) >= 3 else ()
        if len(pieces) < 2:
            continue
        compounds.append((n, tuple(place[piece] for piece in pieces)))
        ends = {sum(map(len, pieces[: k + 1])) for k in range(len(pieces) - 1)}
        for m, other in enumerate(words):
            if m != n and len(other) >= 2 and other not in pieces and other in word:
                start = word.find(other)
                if any(start < end < start + len(other) for end in ends):
                    straddling.add(m)
    return tuple(compounds), straddling


def _fewest_pieces(word: str, known: dict[str, int]) -> tuple[str, ...]:
    """The word cut into the fewest known words other than itself, or () if they do not tile it."""
    best: dict[int, tuple[str, ...]] = {0: ()}
    for start in range(len(word)):
        if start not in best:
            continue
        for end in range(start + 1, len(word) + 1):
            piece = word[start:end]
            fewer = end not in best or len(best[end]) > len(best[start]) + 1
            if piece != word and piece in known and fewer:
                best[end] = (*best[start], piece)
    return best.get(len(word), ())


def equivalent_terms(term: str) -> frozenset[str]:
    """Other names of the thing term names (an "=" line of the related-terms file)."""
    return rules.equivalents().get(term, frozenset())


def related_terms(term: str) -> frozenset[str]:
    """Words the related-terms file groups with term (not including term itself)."""
    return rules.related().get(term, frozenset())


@lru_cache(maxsize=1)
def tokenizer_fingerprint() -> str:
    """Changes whenever the word lists or the tokenizing code change: tokens cached before are stale."""
    files = [*rules.RULES_DIR.glob("*.txt"), Path(__file__), Path(__file__).with_name("normalize.py"),
             Path(segmenter.__file__)]
    return fingerprint_files(files, version=f"tokens-1/{segmenter.backend_name()}")
