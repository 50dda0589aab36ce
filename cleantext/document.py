"""The shared document layer: what several families read from a document, read one way.

A paragraph is a non-blank line (``paragraph_spans``): the caption and quote families work
paragraph by paragraph and must agree on where one ends.  Word triples (``shingles``) are
what near-duplicate paragraphs and a caption retelling the story share, for the caption and
flattened-article families.

>>> text = "First paragraph.\\n\\nThe second one, longer.\\n"
>>> [text[start:end] for start, end in paragraph_spans(text)]
['First paragraph.', 'The second one, longer.']
>>> sorted(shingles("The second one, longer"))
[('second', 'one', 'longer'), ('the', 'second', 'one')]
"""

from __future__ import annotations

import re

__all__ = ["WORD", "paragraph_spans", "shingles", "shingles_in_order", "word_triples"]

#: A word, as counted and compared by the document-level families.
WORD = re.compile(r"\w+")


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
