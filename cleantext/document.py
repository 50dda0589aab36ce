"""The shared document layer: what several families read from a document, read one way.

A paragraph is a non-blank line (``paragraph_spans``): the caption and quote families work
paragraph by paragraph and must agree on where one ends.  Word triples (``shingles``) are
what near-duplicate paragraphs and a caption retelling the story share, for the caption and
flattened-article families.  ``last_text`` keeps a family's analysis of the last text it read,
so that ``explain``, asking a normalizer why it changed the text it just changed, and a second
normalizer of the family reading the same text, do not analyse it again.

>>> text = "First paragraph.\\n\\nThe second one, longer.\\n"
>>> [text[start:end] for start, end in paragraph_spans(text)]
['First paragraph.', 'The second one, longer.']
>>> sorted(shingles("The second one, longer"))
[('second', 'one', 'longer'), ('the', 'second', 'one')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

__all__ = [
    "WORD",
    "last_text",
    "paragraph_spans",
    "shingles",
    "shingles_in_order",
    "word_triples",
]

_Analysis = TypeVar("_Analysis")

#: A word, as counted and compared by the document-level families.
WORD = re.compile(r"\w+")


def last_text(analyse: Callable[[str], _Analysis]) -> Callable[[str], _Analysis]:
    """Cache ``analyse(text)`` for the last text only (one document's analysis in memory).

    The analysis must be immutable: every caller of the same text gets the same object.

    >>> calls = []
    >>> @last_text
    ... def length(text):
    ...     calls.append(text)
    ...     return len(text)
    >>> length("abc"), length("abc"), length("de"), length("abc"), len(calls)
    (3, 3, 2, 3, 3)
    """
    return lru_cache(maxsize=1)(analyse)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text``, in order."""
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def shingles(paragraph: str) -> set[tuple[str, ...]]:
    """The word triples of ``paragraph``, lower-cased: what near-duplicates share."""
    return set(shingles_in_order(paragraph))


def shingles_in_order(paragraph: str) -> list[tuple[str, ...]]:
    """Every word triple of ``paragraph``, lower-cased, in order (repeats kept)."""
    return word_triples(WORD.findall(paragraph.lower()))


def word_triples(words: list[str]) -> list[tuple[str, ...]]:
    """Every three words in a row of ``words``, in order."""
    return list(zip(words, words[1:], words[2:], strict=False))
