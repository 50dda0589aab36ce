"""Character-level repairs: surrogates, control characters, invisible characters, NFC."""

from __future__ import annotations

import re
import unicodedata

from cleantext.core import Stage, normalizer
from cleantext.kernels import has_surrogate

__all__ = [
    "fix_surrogates",
    "nfc",
    "remove_control_chars",
    "remove_invisible",
]

#: What this family's normalizers look for (controls, surrogates, invisible and joining characters,
#: combining marks): the pieces that ``cleantext.testing.hostile_text()`` builds hostile strings
#: from.
HOSTILE_PIECES = (
    "\x00",
    "\x07",
    "\x7f",
    "\x85",
    "\x9d",
    "\ud83d",
    "\ude00",
    "\udfff",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u200e",
    "\u202b",
    "\u05d0",
    "e\u0301",
    "\u0301",
)

SURROGATE_PAIR_OR_LONE = re.compile("([\ud800-\udbff])([\udc00-\udfff])|[\ud800-\udfff]")

# C0 and C1 controls except tab, the line breaks LF/VT/FF/CR and NEL (line breaks are the
# business of ``normalize_line_breaks``), plus DEL.  C1 controls that are really
# Windows-1252 punctuation have been decoded by ``fix_mojibake``, which runs first.
C0_CONTROLS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]))
C1_CONTROLS = "".join(map(chr, [*range(0x80, 0x85), *range(0x86, 0xA0)]))
CONTROL_CHAR = re.compile(f"[{C0_CONTROLS}{C1_CONTROLS}]+")
C0_CONTROL_CHAR = re.compile(f"[{C0_CONTROLS}]+")

# Format characters that have no business in article text: zero-width space, word joiner,
# BOM / zero-width no-break space, soft hyphen, Mongolian vowel separator, invisible math
# operators, deprecated format characters, interlinear annotation marks.
INVISIBLE_CHARS = (
    "\u200b\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufff9\ufffa\ufffb"
)
INVISIBLE_CHAR = re.compile(f"[{INVISIBLE_CHARS}]+")

# Marks and controls of writing direction (LRM, RLM, ALM, the embeddings, overrides and
# isolates): they order right-to-left script among left-to-right text and do nothing else,
# so a text without right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko and the
# others of their blocks) has no use for them; copied from web pages, they split words.
DIRECTION_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
DIRECTION_MARK = re.compile(f"[{DIRECTION_MARKS}]+")
RIGHT_TO_LEFT_LETTER = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)

# ZWJ and ZWNJ shape emoji sequences and Arabic, Persian and Indic words, so a run of them is
# only removed where it touches ASCII, whitespace or an end of the text.
JOINER_RUN_BY_ASCII = re.compile(
    r"(?:(?<=[\x00-\x7f\s])|^)[\u200c\u200d]+|[\u200c\u200d]+(?=[\x00-\x7f\s]|$)"
)
JOINERS = ("\u200c", "\u200d")


def _join_surrogates(match: re.Match[str]) -> str:
    high, low = match.group(1), match.group(2)
    if high is None:
        return "\ufffd"
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


@normalizer(stage=Stage.CHARACTERS)
def fix_surrogates(text: str) -> str:
    """Join UTF-16 surrogate pairs into one character; replace lone surrogates with U+FFFD.

    JSON written by JavaScript escapes emoji as two surrogates (``"\\ud83d\\ude00"``), and
    truncation can cut a pair in half.  Python keeps both as code points that cannot be
    written as UTF-8, so a later write fails far from the cause.

    >>> fix_surrogates("smile \\ud83d\\ude00!")
    'smile 😀!'
    >>> fix_surrogates("cut \\ud83d")
    'cut \\ufffd'
    >>> fix_surrogates("already fine 😀")
    'already fine 😀'
    """
    if text.isascii() or not has_surrogate(text):
        return text
    return SURROGATE_PAIR_OR_LONE.sub(_join_surrogates, text)


@normalizer(stage=Stage.CHARACTERS, signs=tuple(C0_CONTROLS + C1_CONTROLS))
def remove_control_chars(text: str, *, c1: bool = True) -> str:
    """Remove C0/C1 control characters and DEL (tab and line breaks are kept).

    Controls come from binary junk, terminal output and mis-decoded bytes; they are invisible
    in most viewers and break tokenizers and JSON consumers.  C1 controls that are really
    Windows-1252 punctuation (``\x92`` for ``’``) are repaired by ``fix_mojibake``, which
    runs before this.  ``c1=False`` keeps C1 controls.

    >>> remove_control_chars("NUL\\x00 and bell\\x07 and DEL\\x7f")
    'NUL and bell and DEL'
    >>> remove_control_chars("undefined in cp1252: \\x81\\x9d.")
    'undefined in cp1252: .'
    >>> remove_control_chars("tab\\tand\\nline breaks stay\\r\\n")
    'tab\\tand\\nline breaks stay\\r\\n'
    """
    pattern = CONTROL_CHAR if c1 else C0_CONTROL_CHAR
    if text.isprintable() or not pattern.search(text):
        return text
    return pattern.sub("", text)


@normalizer(stage=Stage.CHARACTERS, signs=(*INVISIBLE_CHARS, *DIRECTION_MARKS, *JOINERS))
def remove_invisible(text: str) -> str:
    """Remove zero-width characters, BOMs and soft hyphens that hide inside words.

    Web pages insert zero-width spaces and soft hyphens as line-break hints and BOMs survive
    file concatenation; in plain text they split words invisibly (``co\\xadoperate`` does
    not match ``cooperate``).  Zero-width joiners are kept where they join non-ASCII
    characters, because emoji sequences and Persian or Indic words need them; marks of
    writing direction (``\\u200e``) are kept in a text with right-to-left letters, where
    they order it.

    >>> remove_invisible("\\ufeffco\\u00adoperate with\\u200b the\\u2060 team")
    'cooperate with the team'
    >>> remove_invisible("word\\u200d ")
    'word '
    >>> remove_invisible("family 👩\\u200d👧 and می\\u200cخواهم")
    'family 👩\\u200d👧 and می\\u200cخواهم'
    >>> remove_invisible("Kyiv\\u200e (Ukraine) and \\u202bLondon\\u202c")
    'Kyiv (Ukraine) and London'
    >>> kept = "He said \\u200f\\u05e9\\u05dc\\u05d5\\u05dd\\u200f today"  # Hebrew: marks stay
    >>> remove_invisible(kept) == kept
    True
    """
    if text.isascii():
        return text
    # One character at a time: each is a memchr-like scan, several times faster than
    # searching for the character class.
    if any(map(text.__contains__, INVISIBLE_CHARS)):
        text = INVISIBLE_CHAR.sub("", text)
    # Direction marks go before joiners are looked at: a joiner that a mark kept from the end
    # of the text or from ASCII is there once the mark is gone.
    if any(map(text.__contains__, DIRECTION_MARKS)) and not RIGHT_TO_LEFT_LETTER.search(text):
        text = DIRECTION_MARK.sub("", text)
    if any(map(text.__contains__, JOINERS)):
        text = JOINER_RUN_BY_ASCII.sub("", text)
    return text


@normalizer(stage=Stage.CHARACTERS)
def nfc(text: str) -> str:
    """Compose characters to Unicode normal form C (``e`` + combining acute becomes ``é``).

    Text from macOS file systems, PDFs and some keyboards stores accents as separate
    combining marks; the two forms look identical but do not compare or search as equal.
    NFC changes no character's appearance (unlike NFKC, which folds ``ﬁ``, ``²`` and
    full-width forms, and is not applied).

    >>> nfc("Cafe\\u0301") == "Caf\\u00e9"
    True
    >>> nfc("ﬁne x² ＡＢＣ")
    'ﬁne x² ＡＢＣ'
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
