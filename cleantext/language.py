"""The language of a document, which decides the conventions it is cleaned by.

English conventions (quote pairs and styles, no space before ``?!:;`` or ``%``, Treebank
contractions, English caption labels…) would damage text in other languages: German ``„…“``,
French ``« … »`` and ``Pourquoi ?``, Chinese ``‘…’`` inside ``“…”``.  A pipeline runs its
English normalizers (``Scope.ENGLISH``) only on documents in English; the universal repairs
run on every document.

The language is told in two steps.  Letters in a script that English is not written in
(Han, Kana, Hangul, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai…) settle it at once,
by one scan of the document's start.  Latin-script text goes to CLD2, the Compact Language
Detector of Chromium (``pycld2``: its tables are compiled in, it runs offline, loads at once
and reads some 39,000 texts a second; see :func:`identify`).
"""

from __future__ import annotations

from collections import Counter

import pycld2
import regex

__all__ = ["ENGLISH", "UNDETERMINED", "detect", "dominant_script"]

ENGLISH = "en"
#: A document whose language is not known: only universal repairs touch it.
UNDETERMINED = "und"
#: Characters of a document's start that the scripts are counted in.
SAMPLE = 2_000
#: Letters below which a script count says nothing (a title, a number, a few symbols).
MIN_LETTERS = 12
# One pattern finds every letter and says its script (the group that matched): one scan.
SCRIPTS = (
    "Latin",
    "Han",
    "Hiragana",
    "Katakana",
    "Hangul",
    "Cyrillic",
    "Greek",
    "Arabic",
    "Hebrew",
    "Devanagari",
    "Thai",
    "Armenian",
    "Georgian",
    "Bengali",
    "Tamil",
)
# The bytes that are not ASCII letters, deleted to count those (``bytes.translate``).
NOT_ASCII_LETTER = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())
ASCII = regex.compile(r"[\x00-\x7f]+")
SCRIPT_LETTER = regex.compile("|".join(f"(?P<{s}>\\p{{Script={s}}}+)" for s in SCRIPTS))
#: Characters of a document's start that the identifier reads (its verdict does not change
#: much after a paragraph, its cost grows with the text).
IDENTIFIED = 1_000
#: CLD2's answer where it cannot tell.
UNKNOWN = "un"
#: CLD2's codes that ISO 639-1 has replaced.
OLD_CODES = {"iw": "he", "jw": "jv", "in": "id"}
# What CLD2 refuses to read (it raises on controls and lone surrogates).
UNREADABLE = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Cs}]")
# Words, and the function words of which English prose has at least a fifth: text with that
# many is English without asking the identifier (other languages have almost none of them).
ENGLISH_WORD_LIKE = regex.compile(r"\p{L}+")
ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "for",
        "it",
        "was",
        "on",
        "with",
        "as",
        "he",
        "she",
        "they",
        "be",
        "at",
        "by",
        "this",
        "have",
        "from",
        "or",
        "an",
        "are",
        "his",
        "her",
        "had",
        "not",
        "but",
        "were",
        "been",
        "has",
        "which",
        "their",
        "will",
        "would",
        "said",
        "its",
    ]
)
ENGLISH_SHARE = 0.2
MIN_WORDS = 8
#: The language of a script that only one language in our scope writes in; the others
#: (Cyrillic, Arabic…) are left to the identifier, with the script as a fallback.
SCRIPT_LANGUAGE = {
    "Hangul": "ko",
    "Greek": "el",
    "Hebrew": "he",
    "Thai": "th",
    "Armenian": "hy",
    "Georgian": "ka",
    "Bengali": "bn",
    "Tamil": "ta",
}


def dominant_script(text: str) -> str | None:
    """The script most letters of the start of ``text`` are in (None without letters).
    Kana among Han letters make the text Japanese (``Japanese``).

    >>> dominant_script("The café opened"), dominant_script("Привет, мир, как дела?")
    ('Latin', 'Cyrillic')
    >>> dominant_script("小鸟是森林医生，没有它们树就会生病")
    'Han'
    >>> dominant_script("東京では今日も朝から雨が降っています")
    'Japanese'
    >>> dominant_script("12 - 34 !") is None
    True
    """
    return _dominant(_script_counts(text))


def _dominant(counts: Counter[str]) -> str | None:
    counts = counts.copy()
    if not counts:
        return None
    kana = counts.pop("Hiragana", 0) + counts.pop("Katakana", 0)
    if kana and (kana + counts["Han"]) * 2 > sum(counts.values()) + kana:
        return "Japanese"
    return counts.most_common(1)[0][0]


def _script_counts(text: str) -> Counter[str]:
    """Letters per script in the start of ``text``.  ASCII letters are counted by one
    deletion of every other byte; only the rest is asked its script (a pattern of script
    properties reads some ten times slower, and most text is mostly ASCII)."""
    sample = text[:SAMPLE]
    counts: Counter[str] = Counter()
    ascii_letters = len(sample.encode("utf-8", "surrogatepass").translate(None, NOT_ASCII_LETTER))
    if ascii_letters:
        counts["Latin"] = ascii_letters
    for match in SCRIPT_LETTER.finditer(ASCII.sub("", sample)):
        counts[match.lastgroup or ""] += match.end() - match.start()
    return counts


def detect(text: str) -> str:
    """The language of ``text``: a two-letter code, ``und`` where it cannot be told.

    >>> detect("The council said the bridge would reopen on Monday after repairs.")
    'en'
    >>> detect("„Wir sind bereit“, sagte sie am Montag in Berlin vor Journalisten.")
    'de'
    >>> detect("小鸟是森林医生，没有它们树就会生病。")
    'zh'
    >>> detect("東京では今日も朝から雨が降っています。")
    'ja'

    A text with too few letters to tell, in the Latin script or none (``Sunday( 15/05) :``,
    ``148, 503``), is taken as English, this tool's main input: nothing says otherwise.

    >>> detect("148, 503"), detect("Oui ?"), detect("Да")
    ('en', 'en', 'und')
    """
    counts = _script_counts(text)
    script = _dominant(counts)
    if script is None:
        return ENGLISH
    if script == "Japanese":
        return "ja"
    if script == "Han":
        return "zh"
    if script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[script]
    if sum(counts.values()) < MIN_LETTERS:
        return ENGLISH if script == "Latin" else UNDETERMINED
    return identify(text[:SAMPLE], script)


def identify(sample: str, script: str) -> str:
    """The language of a document's start, written in ``script`` (not one that settles it).

    Text that is plainly English (its common function words) is taken as English at once;
    the rest goes to CLD2 (``pycld2``).  Where CLD2 cannot tell (``un``), a Latin-script text
    is taken as English, this tool's main input, and keeps the English repairs; a text in
    another script is undetermined, and gets the universal repairs only.
    """
    if script == "Latin" and _looks_english(sample):
        return ENGLISH
    readable = UNREADABLE.sub(" ", sample[:IDENTIFIED])
    try:
        language = pycld2.detect(readable)[2][0][1]
    except (pycld2.error, UnicodeError):
        language = UNKNOWN
    if language == UNKNOWN:
        return ENGLISH if script == "Latin" else UNDETERMINED
    return OLD_CODES.get(language, language)


def _looks_english(sample: str) -> bool:
    words = ENGLISH_WORD_LIKE.findall(sample[:IDENTIFIED])
    english = sum(word.lower() in ENGLISH_FUNCTION_WORDS for word in words)
    return len(words) >= MIN_WORDS and english >= len(words) * ENGLISH_SHARE
