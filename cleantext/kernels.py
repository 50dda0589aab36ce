"""The per-piece kernels behind the normalizers, compiled where possible.

Each kernel is written here in pure Python, and in C in ``_speedups.c``, which
``pip install .`` builds into the top-level module ``_cleantext_speedups`` where a C compiler
and the Python headers are present.  The two give the same result on every input
(``tests/test_kernels.py`` compares them on drawn and real text); the compiled one is used
when it is there, unless the environment variable ``CLEANTEXT_PURE_PYTHON`` is set (to
anything but ``0`` or an empty string).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from functools import cache, partial
from itertools import pairwise
from typing import Any

from cleantext.document import WORD, word_triples

__all__ = [
    "WORD_AND_GAP",
    "BranchSigns",
    "Held",
    "SignFinder",
    "SignScan",
    "compiled_sign_finder",
    "doubled_word_places",
    "english_words",
    "has_surrogate",
    "may_loop",
    "mojibake_sign",
    "py_doubled_word_places",
    "py_english_words",
    "py_find_signs",
    "py_has_surrogate",
    "py_may_loop",
    "py_run_candidates",
    "py_words_held",
    "quote_pairs",
    "run_candidates",
    "speedups",
    "words_held",
]

# A word and the marks, spaces and dashes after it, up to the next word: what the copies of
# a loop repeat piece for piece (``cleantext.loops``).  ``\S*`` runs to the end of the word's
# token, ``\W*`` to the next word: a token holds one word, as the marks inside a token join
# its letters.  ``may_loop`` cuts text the same way in C: a word
# character is what ``str.isalnum`` says, or ``_``; a space what ``str.isspace`` says.
WORD_AND_GAP = re.compile(r"\w\S*\W*")
SURROGATE = re.compile("[\ud800-\udfff]")

#: What ``words_held`` looks for: a word, or a word triple.
Held = str | tuple[str, ...]

#: Pieces whose pairs the pure-Python ``run_candidates`` remembers at once: a long text's
#: distinct pairs would cost a hundred bytes each.
PAIR_WINDOW = 1 << 16


def py_run_candidates(
    pieces: list[str], first: int, end: int, min_words: int, max_words: int
) -> list[int]:
    """Where a run of ``m`` words (``min_words``, at least 3, to ``max_words``) from piece ``r``
    (``first`` to ``end``) may have a copy right after it: the ``m - 1`` pieces from ``r``
    equal the ``m - 1`` from ``r + m``, and the copy's last piece, ``r + 2m - 1``, exists.
    ``r`` and ``m`` for each, flat, in order of ``r`` and then ``m``.

    >>> py_run_candidates("a b c a b c a b".split(), 0, 8, 3, 30)
    [0, 3, 1, 3, 2, 3]
    >>> py_run_candidates("a b c a b".split(), 0, 5, 3, 30)
    []

    A run and its copy start with the same two pieces, at most ``max_words`` apart: such
    pairs are found first (one pass, remembering each pair's last place), and only there
    are whole runs compared.
    """
    first, end, count = max(first, 0), min(end, len(pieces)), len(pieces)
    # Shorter runs are no loops, and their copies share no pair of pieces to find them by.
    min_words = max(min_words, 3)
    if first >= end or max_words < min_words:
        return []
    stop = min(count, end - 1 + 2 * max_words)
    next_same: dict[int, int] = {}  # the next place of each place's pair, if close
    for window in range(first, stop, PAIR_WINDOW):
        seen_from = max(first, window - max_words)
        segment = pieces[seen_from : min(stop, window + PAIR_WINDOW + 1)]
        last_seen: dict[tuple[str, str], int] = {}
        for index, pair in enumerate(pairwise(segment), seen_from):
            before = last_seen.get(pair, -max_words - 1)
            last_seen[pair] = index
            if index - before <= max_words and index >= window:
                next_same[before] = index
    found: list[int] = []
    for run in sorted(r for r in next_same if r < end):
        # Every later place of the run's first pair within reach, nearest first.
        copies, copy = [], next_same[run]
        while copy - run <= max_words:
            copies.append(copy)
            if copy not in next_same:
                break
            copy = next_same[copy]
        for copy in copies:
            words = copy - run
            if words < min_words or run + 2 * words - 1 >= count:
                continue
            if pieces[run : copy - 1] == pieces[copy : copy + words - 1]:
                found += (run, words)
    return found


def py_may_loop(text: str, offset: int, min_words: int, max_words: int) -> bool:
    """Whether ``run_candidates`` finds a run in the pieces of ``text[offset:]`` (``offset``
    at a word character) whose copy's last piece starts with the letters (``\\w+``) that the
    run's last piece starts with: a text where it finds none has no loop (a loop's copy
    repeats the run's last word, which starts with those letters).

    >>> py_may_loop("We won it. We won it. Then", 0, 3, 30), py_may_loop("We won it.", 0, 3, 30)
    (True, False)
    >>> py_may_loop("the rest of the war and of the peace", 0, 3, 30)
    False
    """
    pieces = WORD_AND_GAP.findall(text, offset)
    found = py_run_candidates(pieces, 0, len(pieces), min_words, max_words)
    for run, words in zip(found[::2], found[1::2], strict=True):
        letters = WORD.match(pieces[run + words - 1])
        if letters and pieces[run + 2 * words - 1].startswith(letters.group()):
            return True
    return False


def py_find_signs(groups: tuple[tuple[str, ...], ...], text: str) -> bytes:
    """A byte per group of signs (literal pieces of text): 1 where ``text`` holds one of the
    group's signs, 0 where it holds none.

    >>> py_find_signs(((" ,", " ."), ("@@",), ("“",)), "He said , then")
    b'\\x01\\x00\\x00'
    """
    if any(not sign for group in groups for sign in group):
        raise ValueError("a sign must not be empty")
    return bytes(any(sign in text for sign in group) for group in groups)


#: The characters that ``re`` matches to an ASCII letter they are not, where it ignores case
#: (İ and ı match i, ſ matches s, K matches k).
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"


def py_doubled_word_places(text: str, words: tuple[str, ...]) -> list[int] | None:
    """Where a doubled word of ``words`` (lower-case ASCII) may start, for
    ``cleantext.loops``: ``[]`` where none can, None where one may (the caller searches the
    whole text).  The compiled kernel lists the places themselves (``w`` in any case, no word
    character before it, spaces or tabs, ``w`` again, no word character after); in pure
    Python, finding them costs more than the search they spare, so only the cheap sign is
    asked: lower-cased, ``w w``, or a tab or two spaces in a row.  None too where the text
    holds one of ``FOLDS_TO_ASCII``.

    >>> py_doubled_word_places("The the end", ("the",)), py_doubled_word_places("theatre", ("the",))
    (None, [])
    >>> py_doubled_word_places("wıth wıth", ("with",)), py_doubled_word_places("a  b", ("the",))
    (None, None)
    """
    if any(char in text for char in FOLDS_TO_ASCII) or "\t" in text or "  " in text:
        return None
    # No other character lower-cases into ASCII, or to more than one character, or changes
    # whether it is alphanumeric.
    lowered = text.lower()
    for word in words:
        pair = f"{word} {word}"
        at = lowered.find(pair)
        while at >= 0:
            end = at + len(pair)
            if (at == 0 or not lowered[at - 1].isalnum()) and (
                end == len(lowered) or not lowered[end].isalnum()
            ):
                return None
            at = lowered.find(pair, at + 1)
    return []


# ASCII bytes that are not letters become spaces (the bytes of other characters stay).
_NOT_LETTER_TO_SPACE = bytes(
    byte if byte >= 0x80 or chr(byte).isalpha() else 0x20 for byte in range(256)
)


def py_english_words(text: str, limit: int, words: tuple[str, ...]) -> tuple[int, int]:
    """How many words ``text[:limit]`` has (runs of ASCII letters and of characters outside
    ASCII: ASCII marks, digits and spaces part them), and how many of them are, lower-cased,
    one of ``words`` (lower-case ASCII).

    >>> py_english_words("The cat's 2 mats, and the café", 100, ("the", "and", "s"))
    (7, 4)
    """
    # As bytes, marks and digits turned to spaces: one C pass each.
    split = text[: max(limit, 0)].encode("utf-8", "surrogatepass").translate(_NOT_LETTER_TO_SPACE)
    found = split.lower().split()
    return len(found), sum(map(_encoded(words).__contains__, found))


@cache
def _encoded(words: tuple[str, ...]) -> frozenset[bytes]:
    # (Once per tuple of words: detection asks with the same one for every text.)
    return frozenset(word.encode() for word in words)


def _compiled() -> Any:
    if os.environ.get("CLEANTEXT_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        import _cleantext_speedups  # type: ignore[import-not-found]
    except ImportError:
        return None
    return _cleantext_speedups


_SPEEDUPS = _compiled()
run_candidates: Callable[[list[str], int, int, int, int], list[int]] = (
    _SPEEDUPS.run_candidates if _SPEEDUPS is not None else py_run_candidates
)
#: The compiled test for signs of mojibake, or None: its pure-Python twin is the pair of
#: patterns it stands for, in ``cleantext.encoding`` (``_has_mojibake_sign``).
mojibake_sign: Callable[..., bool] | None = (
    _SPEEDUPS.mojibake_sign if _SPEEDUPS is not None else None
)
#: The compiled ``may_loop``, or None: in pure Python, asking first would cost as much as
#: the search it spares (both cut the text into pieces), so the search is not gated there.
may_loop: Callable[[str, int, int, int], bool] | None = (
    _SPEEDUPS.may_loop if _SPEEDUPS is not None else None
)
#: ``(text, start, end) -> (top_double, top_single, closers, unclosed, glyphs, ambiguous)``:
#: the compiled pairing of a paragraph's quote marks, or None.  Its pure-Python twin is
#: ``_quotations`` in ``cleantext.quotes``, whose fields it gives in order.
quote_pairs: Callable[[str, int, int], tuple[Any, ...]] | None = (
    _SPEEDUPS.quote_pairs if _SPEEDUPS is not None else None
)


#: ``text -> bytes``: ``py_find_signs`` of groups fixed in advance.
SignFinder = Callable[[str], bytes]


def compiled_sign_finder(groups: tuple[tuple[str, ...], ...]) -> SignFinder | None:
    """``py_find_signs`` of ``groups`` in one compiled pass over the text, or None where the
    kernels are pure Python: there, asking first would cost what it spares (the normalizers
    look for their own signs, one ``in`` each)."""
    if _SPEEDUPS is None:
        return None
    return partial(_SPEEDUPS.find_signs, _SPEEDUPS.compile_signs(groups))


#: Where a doubled word may start (see ``py_doubled_word_places``): the compiled kernel
#: lists every place, in order.
doubled_word_places: Callable[[str, tuple[str, ...]], list[int] | None] = (
    _SPEEDUPS.doubled_word_places if _SPEEDUPS is not None else py_doubled_word_places
)


english_words: Callable[[str, int, tuple[str, ...]], tuple[int, int]] = (
    _SPEEDUPS.english_words if _SPEEDUPS is not None else py_english_words
)


def py_words_held(texts: Sequence[str], wanted: set[Held]) -> list[set[Held]]:
    """For each of ``texts``, which of ``wanted`` it holds: a word (a ``str``) among its
    words (its runs of ``\\w``; in C, of characters that ``str.isalnum`` says are, and
    ``_``), a word triple (a tuple of three) as three of its words in a row.

    >>> wanted = {"cat", "dog", ("cat", "sat", "on")}
    >>> held = py_words_held(["The cat sat, on the mat.", "a dog"], wanted)
    >>> held == [{"cat", ("cat", "sat", "on")}, {"dog"}]
    True

    The compiled kernel reads each text once, looking its words up in one table of what is
    wanted, and makes no object for them: the words of the texts, and their triples, cost
    most of what the caption and flattened-article scores took.
    """
    held = []
    for text in texts:
        every = WORD.findall(text)
        held.append(wanted.intersection(every) | wanted.intersection(word_triples(every)))
    return held


#: ``py_words_held``, compiled where the kernels are.
words_held: Callable[[Sequence[str], set[Held]], list[set[Held]]] = (
    _SPEEDUPS.words_held if _SPEEDUPS is not None else py_words_held
)


def py_has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a code point from U+D800 to U+DFFF (a surrogate).

    >>> py_has_surrogate("a\\ud83d b"), py_has_surrogate("a 😀 b")
    (True, False)
    """
    return SURROGATE.search(text) is not None


has_surrogate: Callable[[str], bool] = (
    _SPEEDUPS.has_surrogate if _SPEEDUPS is not None else py_has_surrogate
)


class SignScan:
    """One compiled pass that answers for the groups of several ``BranchSigns`` at once, and
    keeps its answers for the text it was last asked about: the normalizers that share one
    run one after another, mostly on the same text, so one pass serves them all.

    The text and its answers are kept as one tuple, replaced whole, so a thread never reads
    one text's answers for another; the scan keeps that one text alive.
    """

    def __init__(self) -> None:
        self._groups: list[tuple[str, ...]] = []
        self._find: SignFinder | None = None
        self._last: tuple[str | None, bytes] = (None, b"")

    def add(self, groups: tuple[tuple[str, ...], ...]) -> int:
        """Look for ``groups`` too; where their answers start in ``answers``."""
        offset = len(self._groups)
        self._groups.extend(groups)
        self._find = compiled_sign_finder(tuple(self._groups))
        self._last = (None, b"")
        return offset

    def answers(self, text: str) -> bytes:
        """A byte per group added, 1 where ``text`` holds one of the group's signs."""
        last = self._last
        if text is not last[0]:
            assert self._find is not None  # (made where the kernels are compiled only)
            last = self._last = (text, self._find(text))
        return last[1]


class BranchSigns:
    """The signs of a normalizer's branches (a group of literals each, as ``find_signs``
    takes them), for one that asks about several before it runs their patterns.

    ``reader()`` gives a function ``(text, k) -> bool``: whether ``text`` holds one of branch
    ``k``'s signs.  With the compiled kernels, the first question about a text looks for every
    branch's signs in one pass (with those of the other ``BranchSigns`` of ``scan``), and the
    answers hold until another text is asked about (a branch that repaired something gives a
    new string); in pure Python each question is a search.

    >>> read = BranchSigns(((" ,", " ."), ("@@",))).reader()
    >>> read("He said , then", 0), read("He said , then", 1)
    (True, False)
    """

    def __init__(self, groups: tuple[tuple[str, ...], ...], scan: SignScan | None = None) -> None:
        self.groups = groups
        #: Every branch's signs, in order: the normalizer's own (``Normalizer.signs``).
        self.signs = tuple(sign for group in groups for sign in group)
        self._scan = None if _SPEEDUPS is None else scan or SignScan()
        self._offset = 0 if self._scan is None else self._scan.add(groups)
        # In pure Python, each branch's signs by a character of theirs that is not a space:
        # a search for one character (memchr) fails many times faster than one for two, and
        # most texts hold none of a branch's marks.
        self._keyed: list[list[tuple[str, tuple[str, ...]]]] = []
        for group in groups:
            keyed: dict[str, list[str]] = {}
            for sign in group:
                keyed.setdefault(sign.strip()[:1] or sign, []).append(sign)
            self._keyed.append([(key, tuple(signs)) for key, signs in keyed.items()])

    def _search(self, text: str, k: int) -> bool:
        for key, signs in self._keyed[k]:
            if key in text and any(map(text.__contains__, signs)):
                return True
        return False

    def reader(self) -> Callable[[str, int], bool]:
        scan = self._scan
        if scan is None:
            return self._search
        offset = self._offset

        def read(text: str, k: int) -> bool:
            return bool(scan.answers(text)[offset + k])

        return read


def speedups() -> str | None:
    """Where the compiled kernels come from (the extension's file), or None when the pure
    Python ones run (no compiler at install time, or ``CLEANTEXT_PURE_PYTHON`` set)."""
    return None if _SPEEDUPS is None else str(_SPEEDUPS.__file__)
