"""Whitespace layout: line ends, odd spaces, runs of spaces and blank lines, document edges.

The house form is one space between words, no space at the end of a line, paragraphs
separated by a single line break or one blank line (whichever the document uses), and no
whitespace at either end of the document.
"""

from __future__ import annotations

import re
from itertools import chain

from cleantext._chars import EXOTIC_SPACES, HORIZONTAL_SPACES
from cleantext.core import Stage, normalizer
from cleantext.matching import places, run_start, substitute_at

__all__ = [
    "collapse_blank_lines",
    "collapse_spaces",
    "normalize_line_breaks",
    "normalize_spaces",
    "strip_document",
    "strip_trailing_spaces",
]

#: What this family's normalizers look for (line breaks, exotic spaces, runs of spaces and blank
#: lines): the pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (
    "\r\n",
    "\r",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "\t",
    "  ",
    "\u00a0",
    "\u202f",
    "\u3000",
    "\n\n\n",
    " \n",
)

LINE_BREAK_OTHER_THAN_LF = re.compile("\r\n?|[\x0b\x0c\x85\u2028]")
# Looked for one at a time, which is several times faster than searching for the pattern.
LINE_BREAKS_OTHER_THAN_LF = ("\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")
PARAGRAPH_SEPARATOR = re.compile("\u2029")
EXOTIC_SPACE = re.compile(f"[{EXOTIC_SPACES}]")
EXOTIC_SPACE_OR_TAB = re.compile(f"[\t{EXOTIC_SPACES}]")
# The characters of ``EXOTIC_SPACES``, one by one (``normalize_spaces``'s signs).
EXOTIC_SPACE_CHARS = tuple(EXOTIC_SPACES)
# Spaces a language's typography asks for, kept in that language: French puts a no-break or
# thin space before ``; : ! ?`` and ``»`` and after ``«``; Chinese and Japanese write the
# ideographic space (an indent, a gap between names).
TYPOGRAPHIC_SPACES = {
    "fr": re.compile("[\u00a0\u202f\u2009](?=[;:!?»])|(?<=«)[\u00a0\u202f\u2009]"),
    "zh": re.compile("\u3000"),
    "ja": re.compile("\u3000"),
}
# Only between prose: after a word or sentence punctuation, before a word or an opening
# mark.  Spaces that align ASCII art, tables and code (``|   |--``) are left alone.  (The
# search skips to two spaces in C and looks behind there, not at every character.)
SPACE_RUN_BETWEEN_WORDS = re.compile(r"  (?<=[\w.,;:!?'\"’”)\]]  ) *(?=[\w'\"‘“(\[])")
SPACES_AT_LINE_END = re.compile(f"[{HORIZONTAL_SPACES}]+(?=\n|\\Z)")
SPACED_LINE_BREAK = re.compile(f"\n(?<=[{HORIZONTAL_SPACES}]\n)")
BLANK_LINE_RUN = re.compile(f"\n[{HORIZONTAL_SPACES}]*\n(?:[{HORIZONTAL_SPACES}]*\n)+")


@normalizer(stage=Stage.CHARACTERS, signs=LINE_BREAKS_OTHER_THAN_LF)
def normalize_line_breaks(text: str) -> str:
    """Turn CRLF, CR, NEL, VT, FF and U+2028 into ``\\n``; U+2029 into a blank line.

    Windows files, old Mac files, Word exports and JavaScript strings each break lines
    differently; every later step that looks for paragraphs expects ``\\n``.

    >>> normalize_line_breaks("one\\r\\ntwo\\rthree\\u2028four\\u2029five")
    'one\\ntwo\\nthree\\nfour\\n\\nfive'
    >>> normalize_line_breaks("already\\n\\nunix")
    'already\\n\\nunix'
    """
    if not any(char in text for char in LINE_BREAKS_OTHER_THAN_LF):
        return text
    if "\u2029" in text:
        text = PARAGRAPH_SEPARATOR.sub("\n\n", text)
    return LINE_BREAK_OTHER_THAN_LF.sub("\n", text)


@normalizer(stage=Stage.CHARACTERS, signs=("\t", *EXOTIC_SPACE_CHARS))
def normalize_spaces(text: str, *, tabs: bool = True, language: str = "und") -> str:
    """Turn no-break, thin, ideographic and other exotic spaces (and tabs) into plain spaces.

    HTML ``&nbsp;`` and typographic spaces survive extraction as characters that look like a
    space but do not split words for most tools; tabs inside prose are layout leftovers.
    Set ``tabs=False`` to keep tabs.

    >>> normalize_spaces("10\\u00a0km from\\u2009the\\u3000city\\tcentre")
    '10 km from the city centre'
    >>> normalize_spaces("a\\ttab", tabs=False)
    'a\\ttab'

    Spaces the document's language asks for (``language``, which a pipeline sets) stay:
    French no-break and thin spaces at ``; : ! ? « »``, the ideographic space in Chinese and
    Japanese.

    >>> normalize_spaces("«\\u00a0Pourquoi\\u202f?\\u00a0» dit\\u00a0: 9\\u00a0km", language="fr")
    '«\\xa0Pourquoi\\u202f?\\xa0» dit\\xa0: 9 km'
    """
    if text.isascii() and (not tabs or "\t" not in text):
        return text
    exotic = EXOTIC_SPACE_OR_TAB if tabs else EXOTIC_SPACE
    kept = TYPOGRAPHIC_SPACES.get(language.partition("-")[0])
    if kept is None or not kept.search(text):
        return exotic.sub(" ", text)
    return exotic.sub(lambda m: m[0] if kept.match(text, m.start()) else " ", text)


@normalizer(stage=Stage.SPACING, signs=("  ",))
def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces between words to one space; indentation is left alone.

    Double spaces come from typewriter habits, from joined lines, and from every repair that
    deletes a word or a mark between two spaces.

    >>> collapse_spaces("The  police   arrived.  “Then,”  she said")
    'The police arrived. “Then,” she said'
    >>> collapse_spaces("    indented line")
    '    indented line'
    >>> collapse_spaces("|   |   |-- setup.py")
    '|   |   |-- setup.py'
    """
    if "  " not in text:
        return text
    return SPACE_RUN_BETWEEN_WORDS.sub(" ", text)


@normalizer(stage=Stage.SPACING)
def strip_trailing_spaces(text: str) -> str:
    """Remove spaces and tabs at the end of each line.

    >>> strip_trailing_spaces("end of line  \\nnext\\t\\n")
    'end of line\\nnext\\n'
    >>> strip_trailing_spaces("no trailing space\\nhere")
    'no trailing space\\nhere'
    """
    if " \n" not in text and "\t\n" not in text and not text.endswith((" ", "\t")):
        return text
    return _line_ends_stripped(text)


def _line_ends_stripped(text: str) -> str:
    """``SPACES_AT_LINE_END.sub("", text)``, tried where a match can start (see
    ``cleantext.matching``): where the spaces before a line break, or the text's end, start
    (the pattern begins with a class, which a search tries at every character)."""
    ends = chain(places(SPACED_LINE_BREAK, text), (len(text),))
    starts = (run_start(text, end, HORIZONTAL_SPACES) for end in ends)
    return substitute_at(SPACES_AT_LINE_END, "", text, starts)


@normalizer(stage=Stage.SPACING)
def collapse_blank_lines(text: str) -> str:
    """Collapse two or more blank lines into one; one blank line between paragraphs stays.

    Extractors leave the blank lines of removed images, ads and captions behind.

    >>> collapse_blank_lines("First paragraph.\\n\\n\\n\\n \\nSecond.")
    'First paragraph.\\n\\nSecond.'
    >>> collapse_blank_lines("One.\\n\\nTwo.\\nThree.")
    'One.\\n\\nTwo.\\nThree.'
    """
    if "\n" not in text:
        return text
    return BLANK_LINE_RUN.sub("\n\n", text)


@normalizer(stage=Stage.SPACING)
def strip_document(text: str) -> str:
    """Remove whitespace at the start and end of the document.

    >>> strip_document("\\n  The ferry left at noon.\\n\\n")
    'The ferry left at noon.'
    >>> strip_document("    Indented first line is kept only inside the text")
    'Indented first line is kept only inside the text'

    Inner line breaks and indentation stay:

    >>> kept = "First paragraph.\\n\\n    An indented quotation."
    >>> strip_document(kept) == kept
    True
    """
    return text.strip()
