"""Substitution tried only where a match can start, for the families' slow-to-search patterns.

``re`` skips ahead in C only to a pattern's literal first character.  A pattern that begins
with a look-behind, ``\\b`` or a class of characters (``(?<=\\w)[ \\t]+([”’])``) is tried at
every character: on a text that has what it looks for, its substitution cost more than the
rest of the normalizer.  What such a pattern
matches holds a rarer character (the mark a space stands before), found in C by a search
that starts with it; the match starts a short, known way back from there (the start of the
run of spaces, or of the word, before it).  ``substitute_at`` tries the pattern at those
places only, with ``Pattern.match``, which reads what is behind the place as a search does.

>>> SPACED_CLOSER = re.compile(r"(?<=\\w)[ \\t]+([”’])(?!\\w)")
>>> text = "“Yes  ” and ‘no ’ and ’90s"
>>> starts = (run_start(text, at, " \\t") for at in places(re.compile("[”’]"), text))
>>> substitute_at(SPACED_CLOSER, r"\\1", text, starts)
'“Yes” and ‘no’ and ’90s'
>>> SPACED_CLOSER.sub(r"\\1", text)
'“Yes” and ‘no’ and ’90s'
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial

__all__ = ["matches_of_any", "places", "places_of_any", "run_start", "substitute_at", "word_start"]


def places(pattern: re.Pattern[str], text: str) -> Iterator[int]:
    """Where ``pattern`` matches in ``text``: the start of every match, overlapping ones too
    (each search starts one character after the last match's start).

    >>> list(places(re.compile(r"\\.\\.?"), "a... b."))
    [1, 2, 3, 6]
    """
    match = pattern.search(text)
    while match is not None:
        yield match.start()
        match = pattern.search(text, match.start() + 1)


def places_of_any(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[int]:
    """``places`` of several patterns, in order: where the patterns are one class of marks
    written as one pattern per mark, each starting with it, whose searches skip to their mark
    in C (to a class, a search tries the pattern at every character).

    >>> list(places_of_any([re.compile(","), re.compile(";")], "a, b; c, d"))
    [1, 4, 7]
    """
    return heapq.merge(*(places(pattern, text) for pattern in patterns))


def matches_of_any(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """The matches of several patterns that each match one character (a mark, and what they
    look around it for), in order: ``finditer`` of their class written as one pattern.

    >>> marks = [re.compile("!(?= )"), re.compile("[?](?= )")]
    >>> [match.start() for match in matches_of_any(marks, "Why? No! Yes!")]
    [3, 7]
    """
    return heapq.merge(*(pattern.finditer(text) for pattern in patterns), key=_start)


def _start(match: re.Match[str]) -> int:
    return match.start()


def substitute_at(
    pattern: re.Pattern[str],
    replace: str | Callable[[re.Match[str]], str],
    text: str,
    starts: Iterable[int],
) -> str:
    """``pattern.sub(replace, text)``, with ``pattern`` tried only at ``starts``; ``replace``
    is a function of the match or a template, as for ``sub``.

    ``starts`` must be in increasing order (repeats allowed) and hold the start of every
    non-empty match that ``pattern`` can have in ``text``: then the first start at or after
    the end of the last match where ``pattern`` matches is the leftmost match a search from
    there finds, which is how ``sub`` goes on.  ``pattern`` must not match the empty string.
    """
    if isinstance(replace, str):
        replace = partial(re.Match.expand, template=replace)
    pieces: list[str] = []
    last = 0
    for at in starts:
        if at < last:
            continue  # inside a match already replaced
        match = pattern.match(text, at)
        if match is not None:
            pieces += (text[last:at], replace(match))
            last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def run_start(text: str, at: int, characters: str | Callable[[str], bool]) -> int:
    """Where the run of ``characters`` (or of characters for which it is true) that ends
    before ``text[at]`` starts (``at`` if none).

    >>> run_start("said  \\t, then", 7, " \\t"), run_start("said, then", 4, " \\t")
    (4, 4)
    >>> run_start("for 140, 000", 7, str.isdecimal)
    4
    """
    inside = characters.__contains__ if isinstance(characters, str) else characters
    while at > 0 and inside(text[at - 1]):
        at -= 1
    return at


def word_start(text: str, at: int) -> int:
    """Where the run of word characters (``\\w``) that ends before ``text[at]`` starts.

    (``\\w`` of ``re`` is ``str.isalnum`` and ``_``.)

    >>> word_start("the café_2 .", 10), word_start("the . x", 4)
    (4, 4)
    """
    while at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_"):
        at -= 1
    return at
