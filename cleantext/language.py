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

import re
from collections import Counter

import pycld2
import regex

from cleantext.kernels import english_words

__all__ = ["ENGLISH", "SAMPLE", "UNDETERMINED", "detect", "dominant_script"]

ENGLISH = "en"
#: A document whose language is not known: only universal repairs touch it.
UNDETERMINED = "und"
#: Characters of a document's start that the scripts are counted in: all ``detect`` reads.
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
# A quotation, which may be in another language than the text around it (the one whose
# conventions apply).  Bounded: a quotation longer than a few lines is part of the text.
QUOTATION_OF = (
    ("„", r"„[^„“”\"\n]{1,200}[“”\"]"),
    ("«", r"«[^«»\n]{1,200}»"),
    ("»", r"»[^«»\n]{1,200}«"),
    ("“", r"“[^“”\n]{1,200}”"),
    ('"', r"\"[^\"\n]{1,200}\""),
    ("「", r"「[^「」\n]{1,200}」"),
)
QUOTATION = re.compile("|".join(pattern for _, pattern in QUOTATION_OF))
QUOTATION_OPENERS = tuple(opener for opener, _ in QUOTATION_OF)
# Each kind alone, which the search skips to in C (to the class of the openers that begin
# ``QUOTATION``, it looks at every character): most texts quote with one kind.
QUOTATION_BY_OPENER = tuple((opener, re.compile(pattern)) for opener, pattern in QUOTATION_OF)
#: Words the text must keep without its quotations for those to be left out.
MIN_RUNNING_WORDS = 5
ASCII_LETTERS = re.compile(r"[A-Za-z]+")
# Marks English text does not use, which other languages do: where the language cannot be
# told, they rule English out.
FOREIGN_MARK = re.compile(r"[„«»‚¿¡]")
#: Below this share of English (percent of the text), a text CLD2 calls English is mixed.
MIXED_PERCENT = 60
#: CLD2's answer where it cannot tell.
UNKNOWN = "un"
#: CLD2's codes that ISO 639-1 has replaced.
OLD_CODES = {"iw": "he", "jw": "jv", "in": "id"}
# What CLD2 refuses to read (it raises on controls and lone surrogates).
UNREADABLE = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\p{Cs}]")
# Words, and the function words of which English prose has at least an eighth: text with
# that many is English without asking the identifier.
# (The standard library's ``re``: for a class of letters it is several times faster.)
ENGLISH_WORD_LIKE = re.compile(r"[^\W\d_]+")
# Only words no other Latin-script language writes as often: ``a`` (Czech, Polish, Italian),
# ``to`` (Czech, Polish), ``in``/``was``/``will`` (German), ``on`` (French), ``is`` (Dutch) and
# ``for`` (Danish) made Czech and German sentences look English.
ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "that",
        "with",
        "she",
        "they",
        "this",
        "have",
        "from",
        "are",
        "his",
        "had",
        "not",
        "but",
        "were",
        "been",
        "has",
        "which",
        "their",
        "would",
        "said",
        "its",
    ]
)
ENGLISH_SHARE = 0.12
# (As the English test takes them: ``kernels.english_words``.)
ENGLISH_FUNCTION_WORD_TUPLE = tuple(sorted(ENGLISH_FUNCTION_WORDS))
#: Characters the English test reads: some eighty words tell the share.
ENGLISH_SAMPLE = 500
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


# A Han, Kana or Hangul character writes a syllable or a word: counted as three letters, so
# that English names in Chinese text do not make it Latin-script.
LETTER_WEIGHT = {"Han": 3, "Hiragana": 3, "Katakana": 3, "Hangul": 3}


def dominant_script(text: str) -> str | None:
    """The script most letters of the start of ``text`` are in (None without letters).
    Kana among Han letters make the text Japanese (``Japanese``).

    >>> dominant_script("The café opened"), dominant_script("Привет, мир, как дела?")
    ('Latin', 'Cyrillic')
    >>> dominant_script("大桥周一重新开放，居民们对此表示欢迎")
    'Han'
    >>> dominant_script("東京では今日も朝から雨が降っています"), dominant_script("ありがとう")
    ('Japanese', 'Japanese')
    >>> dominant_script("12 - 34 !") is None
    True
    """
    return _dominant(_script_counts(text))


def _dominant(counts: Counter[str]) -> str | None:
    if not counts:
        return None
    if len(counts) == 1 and "Hiragana" not in counts and "Katakana" not in counts:
        return next(iter(counts))  # most text: one script
    counts = counts.copy()
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
    if sample.isascii():
        return counts
    for match in SCRIPT_LETTER.finditer(ASCII.sub("", sample)):
        script = match.lastgroup or ""
        counts[script] += (match.end() - match.start()) * LETTER_WEIGHT.get(script, 1)
    return counts


def detect(text: str) -> str:
    """The language of ``text``: a two-letter code, ``und`` where it cannot be told.

    >>> detect("The council said the bridge would reopen on Monday after repairs.")
    'en'
    >>> detect("„Wir sind bereit“, sagte sie am Montag in Berlin vor Journalisten.")
    'de'
    >>> detect("大桥周一重新开放，居民们对此表示欢迎。")
    'zh'
    >>> detect("東京では今日も朝から雨が降っています。")
    'ja'

    The language is the one of the running text, not of what it quotes: a French sentence
    quoting English words keeps French conventions, and English names in Chinese text do
    not outweigh it (a Han character counts as a word's worth of letters).

    >>> detect("Selon le journal, il s’agit de cinquante heures d’enregistrements « inédits ».")
    'fr'
    >>> detect("乐队成员 Anna Berg 和 Tom Reed 将在周日晚上演出。")
    'zh'

    A text with too few letters to tell, in the Latin script or none (``Sunday( 15/05) :``,
    ``148, 503``), is taken as English, this tool's main input: nothing says otherwise.  One
    that uses other languages' marks (``„ « » ¿ ¡``) is undetermined, and gets the universal
    repairs only; so is one CLD2 takes for English on a few names or quoted words, where the
    marks are foreign and none of English's common words is there.

    >>> detect("148, 503"), detect("Oui ?"), detect("Да"), detect("« Halt, alle ! »")
    ('en', 'en', 'und', 'und')
    >>> detect("Sur l’affiche, on lisait : « Coming Soon ».")
    'und'

    """
    sample = text[:SAMPLE]
    encoded = sample.encode("utf-8", "surrogatepass")
    ascii_letters = len(encoded.translate(None, NOT_ASCII_LETTER))
    # Mostly ASCII: each other character weighs at most three letters of its script and adds
    # at least a byte, so where the ASCII letters outnumber three times the added bytes, no
    # script outweighs Latin and the other letters need not be counted.
    if ascii_letters >= MIN_LETTERS and ascii_letters > 3 * (len(encoded) - len(sample)):
        return identify(sample, "Latin")
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
        return _unsure(sample, script)
    return identify(sample, script)


def identify(sample: str, script: str) -> str:
    """The language of a document's start, written in ``script`` (not one that settles it).

    Text that is plainly English (its common function words, outside what it quotes) is
    taken as English at once; the rest goes to CLD2 (``pycld2``), without what it quotes
    where enough is left, and without its ASCII letters where it is in another script (CLD2
    reads a Russian line about an English title as English).  Where CLD2 cannot tell, see
    :func:`_unsure`.
    """
    start = sample[:IDENTIFIED]
    if any(mark in start for mark in QUOTATION_OPENERS):
        running = _without_quotations(start)
        # (Split only as far as the words it needs: the rest is not counted.)
        if len(running.split(maxsplit=MIN_RUNNING_WORDS)) >= MIN_RUNNING_WORDS:
            start = running
    if script == "Latin" and _looks_english(start):
        return ENGLISH
    if script != "Latin":
        start = ASCII_LETTERS.sub(" ", start)
    try:
        found = pycld2.detect(UNREADABLE.sub(" ", start))[2]
    except (pycld2.error, UnicodeError):
        found = ((None, UNKNOWN, 0, 0.0),)
    # CLD2 may list the unknown share first (a punctuated sentence's leftovers): its answer is
    # the first language it names.
    found = tuple(entry for entry in found if entry[1] != UNKNOWN) or ((None, UNKNOWN, 0, 0.0),)
    language = found[0][1]
    if language == UNKNOWN and script != "Latin":
        # CLD2 is unsure of many short sentences in other scripts (a plain Russian one); its
        # best guess there stays within the script, which already rules English out.
        language = _best_guess(start)
    # A text CLD2 finds mixed, English in part, and that quotes with other languages' marks
    # is in the other language, quoting English titles (``v sále zazpívají písně z muzikálů
    # („Cats“, „Grease“)``): its marks follow its own conventions.
    if language == ENGLISH and found[0][2] < MIXED_PERCENT and FOREIGN_MARK.search(sample):
        language = found[1][1] if len(found) > 1 else UNKNOWN
    if language == UNKNOWN or (language == ENGLISH and _foreign_marks_only(sample)):
        return _unsure(sample, script)
    return OLD_CODES.get(language, language)


def _best_guess(start: str) -> str:
    try:
        return str(pycld2.detect(UNREADABLE.sub(" ", start), bestEffort=True)[2][0][1])
    except (pycld2.error, UnicodeError):
        return UNKNOWN


def _unsure(sample: str, script: str) -> str:
    """The language of a text that cannot be identified: English for Latin-script text without
    other languages' marks (this tool's main input), undetermined for the rest."""
    if script == "Latin" and not FOREIGN_MARK.search(sample):
        return ENGLISH
    return UNDETERMINED


def _foreign_marks_only(sample: str) -> bool:
    """Whether the text has other languages' marks and, outside its quotations, not one of
    English's common words: CLD2's "English" is then a guess on a few names or quoted words
    (``er könne das Rennen „by a mile“ gewinnen``)."""
    if not FOREIGN_MARK.search(sample):
        return False
    words = ENGLISH_WORD_LIKE.findall(_without_quotations(sample[:IDENTIFIED]))
    return not any(word.lower() in ENGLISH_FUNCTION_WORDS for word in words)


def _without_quotations(text: str) -> str:
    """``QUOTATION.sub(" ", text)``: with one kind of opener in the text, only that kind's
    pattern can match, and it alone is searched for.

    >>> _without_quotations('He said “we won” and "we lost" today')
    'He said   and   today'
    """
    kinds = [pattern for opener, pattern in QUOTATION_BY_OPENER if opener in text]
    if len(kinds) == 1:
        return kinds[0].sub(" ", text)
    return QUOTATION.sub(" ", text) if kinds else text


def _looks_english(sample: str) -> bool:
    count, english = english_words(sample, ENGLISH_SAMPLE, ENGLISH_FUNCTION_WORD_TUPLE)
    return count >= MIN_WORDS and english >= count * ENGLISH_SHARE
