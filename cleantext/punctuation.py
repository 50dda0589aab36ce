"""Stray punctuation: doubled marks, spaces on the wrong side of marks, orphan marks, ellipses.

Scrapers, summarisation datasets and translation leave punctuation debris: ``on set. .``,
``he said , then``, the CNN/DailyMail `` . `` left where line breaks were flattened, a
paragraph that starts with ``. ``.  Every pattern here is anchored on what cannot occur in
edited prose, and leaves decimals (``3.50``), times (``10.30``), abbreviations (``U.S.``,
``a.m.``, ``e.g.``), domains (``DailyMail.com``), ``?!``, and ellipses alone.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from functools import partial

from cleantext._chars import EMOTICON_FACE, ORPHAN_MARKS
from cleantext.core import Scope, Stage, fixed_point, normalizer
from cleantext.language import ENGLISH
from cleantext.matching import (
    matches_of_any,
    places,
    places_of_any,
    run_start,
    substitute_at,
    word_start,
)

__all__ = [
    "collapse_doubled_punctuation",
    "normalize_ellipses",
    "remove_orphan_punctuation",
    "remove_space_before_comma",
    "remove_space_before_punctuation",
    "remove_wrapped_line_periods",
    "space_glued_sentences",
]

#: What this family's normalizers look for (doubled and spaced marks, dot runs, glued sentences,
#: brackets, orphan marks): the pieces that ``cleantext.testing.hostile_text()`` builds hostile
#: strings from.
HOSTILE_PIECES = (
    ". .",
    "..",
    "....",
    ". . .",
    "…",
    " ,",
    ",,",
    ";;",
    ",.",
    ":.",
    " .",
    ".The",
    "( ",
    " )",
    "[",
    "]",
    "%",
    "\n. ",
)

# Three or more dots spaced (". . .") or four or more unspaced ("...."), not preceded by
# another dot.
# (It starts with the stop and looks behind after it, so that the search skips to stops in C.)
DOT_RUN = re.compile(r"\.(?<!\.\.)(?:(?: \.){2,}(?! ?\.)|\.{3,})")
# Marks repeated for emphasis (``?????``, ``!!!``): informal writing, whose long dot runs are
# its style, not damage.
EMPHATIC_MARKS = re.compile(r"[?!]{3,}")
ELLIPSIS_CHAR = "…"

# Characters after which a space before , . ; ) ] is misplaced: the end of a word, a number
# or a closing quote or bracket.
WORD_END = r"[\w”’\"')\]%»]"
# A comma or semicolon may also follow an abbreviation's stop (``etc. ,``); a mark may be
# followed by a closing bracket (``packages .)``).  (The first space is matched before the
# look-behind at what precedes it, so that the search skips to spaces in C instead of looking
# behind at every character.)
# A mark named in prose after a determiner is a noun, not punctuation: ``a trailing , in a
# list``, ``the ; separator``.  (A look-behind for each word, as they differ in length: in
# the pattern, where a function called for every match to check the word before cost a
# second per megabyte of ``a , a , …``.)
MARK_AS_NOUN_WORDS = ("a", "an", "the", "trailing", "leading")
_NOT_AFTER_NOUN_WORD = "".join(rf"(?<!\b(?i:{word})[ \t])" for word in MARK_AS_NOUN_WORDS)
SPACE_BEFORE_CLOSING_MARK = re.compile(
    rf"[ \t]{_NOT_AFTER_NOUN_WORD}(?:(?<={WORD_END}[ \t])|(?<=\w\.[ \t])(?=[ \t]*[,;]))"
    r"[ \t]*(?:([,;])(?=[ \t\n”’\"']|$)|(\.)(?!\.)(?=[ \t\n”’\"')\]]|$))"
)
# Its cheap sign: a mark right after a space or tab and before what the pattern wants after
# it.  One pattern per mark, each starting with it, so that the search skips to the mark in C
# (the pattern stops at every space and looks behind there).
SPACED_CLOSING_MARK_SIGNS = (
    (",", re.compile(",(?<=[ \t],)(?=[ \t\n”’\"']|$)")),
    (";", re.compile(";(?<=[ \t];)(?=[ \t\n”’\"']|$)")),
    (".", re.compile("\\.(?<=[ \t]\\.)(?=[ \t\n”’\"')\\]]|$)")),
)
# A bracketed insertion with spaces inside; not emoticons such as ``:(``, ``;-)`` or
# ``( o_o )``.
BRACKETED = re.compile(
    rf"([(\[])(?<![:;=-][(\[])(?![ \t]*{EMOTICON_FACE}[ \t]*[)\]])"
    r"[ \t]*([^()\[\]\n]*?[^\s:;=-])[ \t]*([)\]])"
)

# ". ." and ".." at the end of a word or quote (not "...", not "../"), ",,", ";;", ",.", ":.".
DOUBLED_PERIOD = re.compile(rf"(?<={WORD_END})[ \t]?\.[ \t]?\.(?![.a-z0-9_/]|[ \t]\.)")
# Its cheap sign: the same match, looked behind from the first stop instead of at every
# character, so that the search skips to full stops in C (an ellipsis's second and third
# dots do not follow a word's end).
DOUBLED_PERIOD_SIGN = re.compile(
    rf"\.(?:(?<={WORD_END}\.)|(?<={WORD_END}[ \t]\.))[ \t]?\.(?![.a-z0-9_/]|[ \t]\.)"
)
# The start of a sentence glued to the stop before it: a capital, after an opening mark.
SENTENCE_START = re.compile("[\"'“‘]?[A-Z]")
DOUBLED_COMMA_OR_SEMICOLON = re.compile(r"([,;])\1+")
COMMA_OR_COLON_THEN_PERIOD = re.compile(rf"(?<={WORD_END})[ \t]*([,:])[ \t]*\.(?![.\w/])")
LOWER_CASE_WORD_AFTER = re.compile(r"[ \t]+[a-z]")
# The cheap test for it: the search skips to full stops in C (a literal is found several
# times faster than a character class) and looks behind at each; two spaces or tabs before
# a stop stand for a longer gap.
COMMA_OR_COLON_BEFORE_PERIOD = re.compile(r"\.(?<=[,:]\.)|\.(?<=[,:][ \t]\.)|\.(?<=[ \t][ \t]\.)")
# The signs of ``collapse_doubled_punctuation`` (``Normalizer.signs``): two stops with at most
# a space or tab between, ``,,``, ``;;``, and what ``COMMA_OR_COLON_BEFORE_PERIOD`` looks behind.
DOUBLED_PUNCTUATION_TRIGGERS = (
    *("..", ". .", ".\t.", ",,", ";;", ",.", ":."),
    *(first + space + "." for first in ",: \t" for space in " \t"),
)
#: Most rounds of ``collapse_doubled_punctuation``: one repair can make another's case
#: (``,. .``), and real text settles after one round that changes something.
DOUBLED_PUNCTUATION_ROUNDS = 4

# `` . `` before a lower-case word: a hard line break inside a sentence that the
# CNN/DailyMail scripts flattened (``lowered his . voice``, ``Lawyers said Smith . defamed``,
# ``The . couple``); in a cased document no sentence starts in lower case.  (A word with a
# capital inside, ``iPhone``, may start one, and so may an address, ``https://``.)
# Abbreviations keep their stop.
WRAPPED_LINE_PERIOD = re.compile(r"\b(\w+) \.(?= [a-z]+\b(?!:/|[/@]|\.\w))")
SPACED_STOP = re.compile(" \\. ")
ABBREVIATIONS = frozenset(
    [
        "etc",
        "vs",
        "approx",
        "no",
        "nos",
        "st",
        "dr",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "govt",
        "dept",
        "est",
        "fig",
        "vol",
        "p",
        "pp",
        "cf",
        "al",
        "viz",
        "ca",
    ]
)
# Capitalised abbreviations that may stand before a lower-case word (``Prof . said``): the
# stop may be theirs.  (``ABBREVIATIONS`` are compared in lower case too.)
TITLE_ABBREVIATIONS = frozenset(
    [
        "Prof",
        "Gen",
        "Gov",
        "Sen",
        "Rep",
        "Lt",
        "Col",
        "Sgt",
        "Capt",
        "Cmdr",
        "Adm",
        "Rev",
        "Hon",
        "Mt",
        "Ft",
        "Jan",
        "Feb",
        "Aug",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    ]
)


def is_abbreviation(word: str) -> bool:
    """Whether a stop after ``word`` may be an abbreviation's, not a sentence's end.

    >>> [is_abbreviation(word) for word in ("etc", "Mr", "Prof", "prof", "Smith")]
    [True, True, True, False, False]
    """
    return word.lower() in ABBREVIATIONS or word in TITLE_ABBREVIATIONS


# Spaces between a word (or a closing quotation mark or bracket) and a comma before a space
# or the end: ``Oui , mais``.  (Only the first space of a run passes the look-behind, so a
# long run of spaces is read once.)
# (After ``a``, ``the``, ``trailing``… the comma is named, not used: ``a trailing , in``.)
SPACE_BEFORE_COMMA = re.compile(
    r"(?<=[\w)\]\"”’»«›])"
    + "".join(rf"(?<!\b(?i:{word}))" for word in MARK_AS_NOUN_WORDS)
    + r"[ \t]+,(?=\s|\Z)"
)
CAPITALISED_SENTENCE_START = re.compile(r"[.!?][ \t]+[A-Z]")

# A paragraph that starts with a lone mark, or is nothing but one.
# (Followed by a space or the line end, so ``.5``, ``...`` and ``:)`` are not orphans.)
# A spaced ellipsis (". . .") is not an orphan either.
ORPHAN_MARK_AT_LINE_START = re.compile(
    rf"^[ \t]*(?!\.[ \t]\.[ \t]\.)(?:[{ORPHAN_MARKS}](?=[ \t]|$)[ \t]*)+", re.MULTILINE
)
# Its cheap sign: a mark at the start of the text or after a line break (the search skips to
# line breaks in C; the multi-line ``^`` is tried at every character).
MARK_AT_FIRST_LINE_START = re.compile(rf"[ \t]*[{ORPHAN_MARKS}]")
MARK_AFTER_LINE_BREAK = re.compile(rf"\n[ \t]*[{ORPHAN_MARKS}]")

# A lower-case word, a sentence mark, then a capitalised word, with no space between: two
# sentences glued together where a line break was lost.  The token check below keeps URLs,
# domains, e-mail addresses and file paths.
# (The look-behind comes after the mark, so that the search skips to marks in C.)


def _glued_at(mark: str) -> str:
    """The pattern of a sentence glued at ``mark`` (a mark, or a class of marks)."""
    return rf"{mark}(?=[A-Z][a-z]+\b)(?<=[a-z]{{2}}{mark})"


# One pattern per mark, each starting with it: a search skips to a literal in C, where it
# tries a class of marks at every character (ten times the cost).  The full stop's alone is
# the cheap sign.
GLUED_AT_FULL_STOP = re.compile(_glued_at(r"\."))
GLUED_SENTENCE_OF_MARK = (
    GLUED_AT_FULL_STOP,
    re.compile(_glued_at(r"\?")),
    re.compile(_glued_at("!")),
)
CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+")
# A sentence's end, a quotation mark and the next sentence, with no space: ``feel."It``,
# ``feel.”It``, ``left.“We``.  (It starts at the mark and looks behind after it, so that the
# search skips to quotation marks in C.)
STRAIGHT_QUOTE = re.compile('"')
# Words in the first person after a closing mark, before the next mark: speech that goes
# on (the quotation ran into the next paragraph, which opened it again), so the mark was an
# opener.  At most 300 characters are looked at.
FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|[Mm]y|[Mm]e|[Uu]s)\b")
UNQUOTED_RUN_AFTER = re.compile(r"[^\n\"]{0,300}")


# (The sentence may end with a quoted word: ``a "wasted opportunity"."Although``.  Two marks
# glued between sentences, ``clean.""They``, are a closer and an opener.)
def _glued_at_quote(mark: str) -> str:
    """The pattern of a sentence glued at a quotation mark ``mark`` (or a class of them)."""
    return rf'{mark}(?<=[\w)"”][.!?]{mark})(?=[A-Z])'


GLUED_AT_TWO_QUOTES = r'"(?<=[\w)][.!?]")(?="[A-Z])'
# One pattern per mark, as above; the straight mark's two readings follow the mark, so that
# the search still skips to it.
GLUED_AT_QUOTE_OF_MARK = (
    re.compile(r'"(?:(?<=[\w)"”][.!?]")(?=[A-Z])|(?<=[\w)][.!?]")(?="[A-Z]))'),
    re.compile(_glued_at_quote("”")),
    re.compile(_glued_at_quote("“")),
)
#: Glued sentences after a lower-case word that show a document's paragraphs were joined
#: without a space (XSum's articles): only there is ``Ukraine.Separatist`` taken for two
#: sentences, and ``One.Tel`` elsewhere left as a name.  (With 2, 26 more sentences of the
#: XSum articles in ``../shared`` stayed glued, and no name was split with 1.)
JOINED_DOCUMENT_GLUES = 1
URL_LIKE = re.compile(r"://|www\.|@|/|\.(?:com|org|net|co|uk|io|gov|edu)\b", re.IGNORECASE)
# The signs of glued sentences besides the full stop's: each mark, and its pattern.
GLUED_SIGNS = tuple(zip("?!", GLUED_SENTENCE_OF_MARK[1:], strict=True)) + tuple(
    zip('"”“', GLUED_AT_QUOTE_OF_MARK, strict=True)
)
TOKEN_AROUND = re.compile(r"\S+")
# The signs of ``space_glued_sentences`` (``Normalizer.signs``): a sentence's mark right
# before a capital or a quotation mark, which every pattern above holds.
GLUED_TRIGGERS = tuple(
    mark + after for mark in ".?!" for after in (*string.ascii_uppercase, '"', "”", "“")
)


def _dominant_ellipsis(text: str) -> str:
    """``…`` if the document writes more ellipses that way than as three dots."""
    if ELLIPSIS_CHAR not in text:
        return "..."
    three_dots = len(re.findall(r"(?<!\.)\.\.\.(?!\.)", text))
    return ELLIPSIS_CHAR if text.count(ELLIPSIS_CHAR) > three_dots else "..."


@normalizer(stage=Stage.PUNCTUATION, scope=Scope.ENGLISH, signs=("....", ". . ."))
def normalize_ellipses(text: str) -> str:
    """Turn runs of four or more dots and spaced dots (``. . .``) into the document's ellipsis.

    Extraction and OCR turn ellipses into ``....`` or ``. . .``; other repairs must not take
    them for doubled full stops.  The ellipsis is kept as an ellipsis, in the form the
    document itself uses most (``…`` or ``...``).

    >>> normalize_ellipses("He paused. . . then spoke....")
    'He paused... then spoke...'
    >>> normalize_ellipses("Wait… it’s gone. . . again")
    'Wait… it’s gone… again'
    >>> normalize_ellipses("Believe it… [investigators are] sure... 3.50")
    'Believe it… [investigators are] sure... 3.50'
    >>> normalize_ellipses("WHERE ARE YOU....?????  ......COME HOME")
    'WHERE ARE YOU....?????  ......COME HOME'
    """
    if "...." not in text and ". . ." not in text:
        return text
    if EMPHATIC_MARKS.search(text):
        return text
    ellipsis = _dominant_ellipsis(text)
    return DOT_RUN.sub(ellipsis, text)


@normalizer(stage=Stage.PUNCTUATION, scope=Scope.ENGLISH, signs=DOUBLED_PUNCTUATION_TRIGGERS)
def collapse_doubled_punctuation(text: str) -> str:
    """Collapse ``. .``, ``..``, ``,,``, ``;;``, ``,.`` and ``:.`` to a single mark.

    Machine translation and sentence splitters add a full stop to text that already had
    one (the seed's ``on set. .``); joined fields leave ``,,``.  Ellipses, ``?!``, ``!!``,
    ``../`` paths and abbreviations followed by a comma (``etc.,``) stay.

    >>> collapse_doubled_punctuation("on set. . The gun,, he said.. Then:. Tired ..")
    'on set. The gun, he said. Then: Tired.'
    >>> collapse_doubled_punctuation("Wait... what?! No!! See ../docs, U.S., etc., and 3.50.")
    'Wait... what?! No!! See ../docs, U.S., etc., and 3.50.'
    >>> collapse_doubled_punctuation("published last month..The report said: .")
    'published last month.The report said:'
    >>> collapse_doubled_punctuation("in the museums. .‘One of them. .“Another")
    'in the museums. ‘One of them. “Another'
    >>> collapse_doubled_punctuation("Run it in the build context: ./configure")
    'Run it in the build context: ./configure'
    >>> collapse_doubled_punctuation("The whales swim off Devon, . with most seen in May, .")
    'The whales swim off Devon, with most seen in May.'
    """
    # ",. ." becomes ". ." and then ".": the repairs run until nothing changes (a text still
    # changing after ``DOUBLED_PUNCTUATION_ROUNDS`` rounds, ``a,.,.,.…``, is left as it was).
    return fixed_point(_collapse_doubled_punctuation_once, text, DOUBLED_PUNCTUATION_ROUNDS)


def _collapse_doubled_punctuation_once(text: str) -> str:
    # Each pattern runs only where its cheap sign is in the text (an ellipsis is a sign of
    # ``..``, so the signs are looked for again after each round); the first and the last
    # are tried only back from their signs' places, which is that test.
    text = _single_periods(text)
    if ",," in text or ";;" in text:
        text = DOUBLED_COMMA_OR_SEMICOLON.sub(r"\1", text)
    return _periods_after_comma_or_colon_removed(text)


def _single_periods(text: str) -> str:
    """``DOUBLED_PERIOD.sub(_one_period, text)``, tried where a match can start (see
    ``cleantext.matching``): a match's first stop is where ``DOUBLED_PERIOD_SIGN`` matches,
    and the match starts there or at the space or tab before it."""
    starts = (start for at in places(DOUBLED_PERIOD_SIGN, text) for start in (at - 1, at))
    return substitute_at(DOUBLED_PERIOD, _one_period, text, starts)


def _periods_after_comma_or_colon_removed(text: str) -> str:
    """``COMMA_OR_COLON_THEN_PERIOD.sub(_comma_or_colon_alone, text)``, tried where a match
    can start: back from each stop that ``COMMA_OR_COLON_BEFORE_PERIOD`` finds."""
    stops = places(COMMA_OR_COLON_BEFORE_PERIOD, text)
    starts = map(partial(_comma_or_colon_start, text), stops)
    return substitute_at(COMMA_OR_COLON_THEN_PERIOD, _comma_or_colon_alone, text, starts)


def _comma_or_colon_start(text: str, stop: int) -> int:
    """Where a ``COMMA_OR_COLON_THEN_PERIOD`` match whose stop is ``text[stop]`` starts: at
    the spaces or tabs before the comma or colon that the spaces or tabs before it follow."""
    mark = run_start(text, stop, " \t") - 1
    return run_start(text, mark, " \t") if mark >= 0 and text[mark] in ",:" else stop


def _one_period(match: re.Match[str]) -> str:
    # ``museums. .'One``: the sentence ended at the first stop, the space after it is the
    # one before the next sentence, to which the second stop is glued; it stays.
    spaced = match.group().lstrip(" \t")[1:2] in " \t"
    return ". " if spaced and SENTENCE_START.match(match.string, match.end()) else "."


def _comma_or_colon_alone(match: re.Match[str]) -> str:
    # ``, .`` before a lower-case word is a comma and a hard-wrap mark (``off Devon, . with``):
    # the sentence goes on.  Elsewhere the stop ends the sentence (``he said, .``).
    if match.group(1) == ":":
        return ":"
    return "," if LOWER_CASE_WORD_AFTER.match(match.string, match.end()) else "."


def _drop_wrap_period(match: re.Match[str]) -> str:
    word = match.group(1)
    if is_abbreviation(word):
        return match.group()
    return word


@normalizer(stage=Stage.PUNCTUATION, scope=Scope.ENGLISH, signs=(" . ",))
def remove_wrapped_line_periods(text: str) -> str:
    """Remove the `` .`` that marks a flattened line break inside a sentence.

    The CNN/DailyMail scripts appended `` .`` to every source line without final
    punctuation, including lines that a hard wrap had cut mid-sentence: ``have lowered his .
    voice, grown hair``.  Such a stop sits between two lower-case words; in a cased document
    that never happens at a real sentence end.  Lower-cased documents (where every sentence
    starts in lower case) and abbreviations (``etc .``) are left alone.

    >>> remove_wrapped_line_periods("It lowered his . voice and thickened bones, which . help. He")
    'It lowered his voice and thickened bones, which help. He'
    >>> remove_wrapped_line_periods("Lawyers said Smith . defamed them. The . couple left.")
    'Lawyers said Smith defamed them. The couple left.'
    >>> remove_wrapped_line_periods("Sales fell at Apple . iPhone sales, Mr . and Prof . did. So")
    'Sales fell at Apple . iPhone sales, Mr . and Prof . did. So'
    >>> remove_wrapped_line_periods("all lower case . no capitals . anywhere")
    'all lower case . no capitals . anywhere'
    >>> remove_wrapped_line_periods("Pens, pencils etc . and more. Then")
    'Pens, pencils etc . and more. Then'
    """
    if " . " not in text or not CAPITALISED_SENTENCE_START.search(text):
        return text
    return _wrap_periods_dropped(text)


def _wrap_periods_dropped(text: str) -> str:
    """``WRAPPED_LINE_PERIOD.sub(_drop_wrap_period, text)``, tried where a match can start:
    a match is a word before a `` . ``, and starts where the word does."""
    starts = (word_start(text, at) for at in places(SPACED_STOP, text))
    return substitute_at(WRAPPED_LINE_PERIOD, _drop_wrap_period, text, starts)


def _mark_only(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)


def _unspaced_closing_marks(text: str) -> str:
    """``SPACE_BEFORE_CLOSING_MARK.sub(_mark_only, text)``, tried where a match can start: a
    match ends with a mark that one of ``SPACED_CLOSING_MARK_SIGNS`` finds, and starts where
    the spaces and tabs before it start."""
    marks = places_of_any((sign for _, sign in SPACED_CLOSING_MARK_SIGNS), text)
    starts = (run_start(text, at, " \t") for at in marks)
    return substitute_at(SPACE_BEFORE_CLOSING_MARK, _mark_only, text, starts)


def has_spaced_closing_mark(text: str) -> bool:
    """Whether ``text`` has the sign of ``SPACE_BEFORE_CLOSING_MARK``: a space or tab before
    ``, ; .`` that may end a word (``he said , then``, not ``.com`` or `` ...``)."""
    return any(mark in text and sign.search(text) for mark, sign in SPACED_CLOSING_MARK_SIGNS)


# The signs of ``remove_space_before_punctuation`` (``Normalizer.signs``): its first test.
SPACED_PUNCTUATION_TRIGGERS = (" ,", " .", " ;", "( ", "[ ", " )", " ]")


@normalizer(stage=Stage.PUNCTUATION, scope=Scope.ENGLISH, signs=SPACED_PUNCTUATION_TRIGGERS)
def remove_space_before_punctuation(text: str) -> str:
    """Remove the space before ``,`` ``.`` ``;`` and closing brackets, and after opening ones.

    Tokenized text and the CNN/DailyMail dataset put spaces around punctuation
    (``he said , then``, ``the bull . Colin``, ``( left )``).  A mark is only moved when it
    ends a word and is followed by a space or the end of the line, so ``.5``, ``.com`` and
    ``...`` are not touched; ``?``, ``!`` and ``:`` are left to the machine-translation
    family, which knows about French spacing.

    >>> remove_space_before_punctuation("He said , then left . Colin ( left ) agreed ;")
    'He said, then left. Colin (left) agreed;'
    >>> remove_space_before_punctuation("Fla. ; etc. , and (more packages .) too")
    'Fla.; etc., and (more packages.) too'
    >>> remove_space_before_punctuation("Prices rose .5 per cent at DailyMail .com ...")
    'Prices rose .5 per cent at DailyMail .com ...'
    >>> remove_space_before_punctuation("Smile :) or ;) then ( ) and a trailing , here")
    'Smile :) or ;) then ( ) and a trailing , here'
    """
    if not any(sign in text for sign in SPACED_PUNCTUATION_TRIGGERS):
        return text
    if has_spaced_closing_mark(text):
        unspaced = _unspaced_closing_marks(text)
        # ``cents . ,``: the comma's stop was spaced too.  (If the first pass changed
        # nothing, neither would a second.)
        if unspaced != text and (" ," in unspaced or " ;" in unspaced):
            unspaced = _unspaced_closing_marks(unspaced)
        text = unspaced
    if "( " in text or "[ " in text or " )" in text or " ]" in text or "\t" in text:
        text = BRACKETED.sub(lambda m: m.group(1) + m.group(2) + m.group(3), text)
    return text


@normalizer(stage=Stage.PUNCTUATION, signs=(" ,", "\t,"))
def remove_space_before_comma(text: str, *, language: str = "und") -> str:
    """Remove the space before a comma, which no language writes (``Oui , mais``).

    Tokenizers and translation systems space commas off in every language; French, which
    spaces ``; : ! ?``, does not space a comma either.  English text has it done with the rest
    of its punctuation (``remove_space_before_punctuation``), so for English (``language``,
    which a pipeline sets to each document's) this leaves it to that rule.  Only a comma after
    a letter, digit or closing mark and before a space is moved: ``3 ,5`` and a comma alone
    on a line stay.

    >>> remove_space_before_comma("Oui , mais non . Ja , aber ; Да , но »gut« , sagte er")
    'Oui, mais non . Ja, aber ; Да, но »gut«, sagte er'
    >>> remove_space_before_comma("3 ,5 and\\n, alone and the end ,")
    '3 ,5 and\\n, alone and the end,'
    >>> remove_space_before_comma("Oui, mais non ; 3 ,5 ; a trailing , in a list")
    'Oui, mais non ; 3 ,5 ; a trailing , in a list'
    """
    if language == ENGLISH or (" ," not in text and "\t," not in text):
        return text
    return SPACE_BEFORE_COMMA.sub(",", text)


@normalizer(stage=Stage.PUNCTUATION)
def remove_orphan_punctuation(text: str) -> str:
    """Remove a full stop, comma, semicolon or colon standing alone at the start of a line.

    When a dataset joins lines with `` . `` and they are split again, or a sentence splitter
    cuts after the space, a paragraph can begin with ``. ``.  Only full stops before a
    capital go, and marks alone on their line: before other words, a mark may join a line
    to the one before it, which a dataset cut apart.

    >>> remove_orphan_punctuation(". The meeting ended.\\n,\\nNext paragraph.")
    'The meeting ended.\\n\\nNext paragraph.'
    >>> remove_orphan_punctuation("...and then\\n.5 per cent\\n:)\\n. . . later")
    '...and then\\n.5 per cent\\n:)\\n. . . later'
    >>> remove_orphan_punctuation(", AND PARTS\\n. zip files\\n; and so on")
    ', AND PARTS\\n. zip files\\n; and so on'
    """
    if not (MARK_AT_FIRST_LINE_START.match(text) or MARK_AFTER_LINE_BREAK.search(text)):
        return text
    return ORPHAN_MARK_AT_LINE_START.sub(_orphan_removed, text)


def _orphan_removed(match: re.Match[str]) -> str:
    # Alone on its line, or full stops before a sentence (``. The meeting``), the marks are
    # debris; before other words they may join the line to the one before, which a dataset
    # cut apart (``, MECHANIC`` continues a list, ``. amassing`` is an extension's dot).
    text, end = match.string, match.end()
    if end == len(text) or text[end] == "\n":
        return ""
    full_stops = not match.group().strip(" \t.")
    return "" if full_stops and text[end].isupper() else match.group()


def _glued_at_quotes(text: str) -> list[int]:
    """Where a space goes between a sentence and the next one glued at a quotation mark:
    after a closing mark (``feel."It``, ``feel.”It``), before an opening one (``left.“We``).

    A straight ``"`` must be told apart, and three readings must agree on it: the marks
    before it in its line (an odd number: it closes), and the nearest marks before and
    after it whose role their spacing shows (`` "Word`` opens, ``word," `` closes; marks
    alternate).  A quotation that runs into the next paragraph has no closer there, and only
    the readings together notice: ``them."You're going …," she said`` is left alone, and so
    is every mark of a line with an odd number of them, and a closer before words in the
    first person (``changed."I didn't``), which are speech going on.
    """
    places: list[int] = []
    line_start = -1
    roles: dict[int, bool | None] = {}  # glued mark -> closes (None: not certain)
    for match in matches_of_any(GLUED_AT_QUOTE_OF_MARK, text):
        mark = match.start()
        quote = text[mark]
        if quote != '"':
            places.append(mark + 1 if quote == "”" else mark)
            continue
        if text[mark + 1] == '"':
            places.append(mark + 1)  # between the closer and the opener
            continue
        start = text.rfind("\n", 0, mark) + 1
        if start != line_start:
            end = text.find("\n", mark)
            line_start = start
            roles = _straight_quote_roles(text, start, len(text) if end < 0 else end)
        closes = roles.get(mark)
        if closes and _in_first_person(text, mark + 1):
            closes = None  # ``them."Now I …``: speech goes on, in the next paragraph's quotation
        if closes is not None:
            places.append(mark + 1 if closes else mark)
    return places


def _in_first_person(text: str, at: int) -> bool:
    """Whether the text from ``at`` to the next quotation mark speaks in the first person."""
    run = UNQUOTED_RUN_AFTER.match(text, at)
    return run is not None and FIRST_PERSON.search(text, at, run.end()) is not None


def _straight_quote_roles(text: str, start: int, end: int) -> dict[int, bool | None]:
    """For each ``"`` in ``text[start:end]``: True if it closes, False if it opens, None
    if the readings of ``_glued_at_quotes`` disagree."""
    marks = [m.start() for m in STRAIGHT_QUOTE.finditer(text, start, end)]
    # With an odd number of marks a quotation runs on without a closer somewhere, and no
    # count can be trusted: only the marks around a glued one, read both ways, decide (and
    # where they agree, they decide with an even number too).
    counted = len(marks) % 2 == 0
    # The role that a mark's spacing shows, and the roles that the nearest such marks before
    # and after give it (marks alternate).
    shown = [_shown_role(text, at, start, end) for at in marks]
    backward: list[bool | None] = []
    behind: bool | None = None  # whether the mark before this one closes
    for k in range(len(marks)):
        backward.append(None if behind is None else not behind)
        behind = shown[k] if shown[k] is not None else backward[k]
    roles: dict[int, bool | None] = {}
    ahead: bool | None = None  # whether the mark after this one closes
    for k in range(len(marks) - 1, -1, -1):
        forward = None if ahead is None else not ahead
        by_count = k % 2 == 1  # odd number before it: it closes
        if forward is not None and forward == backward[k]:
            # The marks around it agree: a count that disagrees was thrown off by a
            # quotation that ran on elsewhere in the line.
            roles[marks[k]] = forward
        elif counted and forward in (None, by_count) and backward[k] in (None, by_count):
            roles[marks[k]] = by_count
        else:
            roles[marks[k]] = None
        ahead = shown[k] if shown[k] is not None else forward
    return roles


def _shown_role(text: str, at: int, start: int, end: int) -> bool | None:
    """True if the spacing around the ``"`` at ``at`` shows a closer, False an opener."""
    before = text[at - 1] if at > start else " "
    after = text[at + 1] if at + 1 < end else " "
    if before.isspace() or before in "([{—–":
        return None if after.isspace() else False
    if after.isspace() or after in ",;:)]}":
        return True
    return None


def _word_start(text: str, mark: int, token_start: int) -> int:
    """Where the letters before ``text[mark]`` start (within its token)."""
    start = mark
    while start > token_start and text[start - 1].isalpha():
        start -= 1
    return start


@normalizer(stage=Stage.PUNCTUATION, scope=Scope.ENGLISH, signs=GLUED_TRIGGERS)
def space_glued_sentences(text: str) -> str:
    """Put a space between two sentences glued together (``community.Dr Venter``).

    When paragraphs are joined without a separator, a sentence ends and the next starts
    with no space.  Only a lower-case word, ``.``, ``?`` or ``!`` and a capitalised word are
    separated; domains, URLs, e-mail addresses and initials are left alone.

    >>> space_glued_sentences("It helps the community.Dr Venter said so.Really?Yes")
    'It helps the community. Dr Venter said so. Really? Yes'
    >>> space_glued_sentences("Read DailyMail.com, www.Example.org, U.S.A. and a.m.")
    'Read DailyMail.com, www.Example.org, U.S.A. and a.m.'
    >>> space_glued_sentences("Mail jo.Smith@example.com, see Node.js or ~/src/app.Main")
    'Mail jo.Smith@example.com, see Node.js or ~/src/app.Main'

    A capitalised word before a full stop may be a name with a dot in it (``One.Tel``,
    ``Diia.Business``): whether a sentence ends there is not certain, so it stays, unless the
    document's paragraphs were joined (``JOINED_DOCUMENT_GLUES`` glued sentences after a
    lower-case word) and the two words are not glued so anywhere else:

    >>> space_glued_sentences("Shares in One.Tel and Diia.Business fell sharply on Monday.")
    'Shares in One.Tel and Diia.Business fell sharply on Monday.'
    >>> space_glued_sentences("It reached Kyiv.Separatists said no.It was One.Tel, One.Tel again")
    'It reached Kyiv. Separatists said no. It was One.Tel, One.Tel again'

    At a quotation mark, the space goes on the side where the quotation is not (see
    ``_glued_at_quotes``); where that is not certain, nothing changes:

    >>> space_glued_sentences('He said: "It felt natural."It sounds risky."We won."Then')
    'He said: "It felt natural." It sounds risky. "We won." Then'
    >>> space_glued_sentences('She said it was "unfair."The end.“Next” and a " mark.')
    'She said it was "unfair."The end. “Next” and a " mark.'
    """
    if not GLUED_AT_FULL_STOP.search(text) and not any(
        mark in text and sign.search(text) for mark, sign in GLUED_SIGNS
    ):
        return text
    # Where to put a space: after every glued mark, and after a full stop that follows a
    # capitalised word (``Ukraine.Separatist``, or ``One.Tel``) only in a document whose
    # paragraphs were joined: one with other glued sentences, where that word and the next
    # are not glued so anywhere else (a dotted name recurs).
    glued = _glued_at_quotes(text)
    maybe_names: list[tuple[int, str]] = []
    # The token (between spaces) around the mark is looked at once, however many marks it
    # holds: looked for from each mark, a text without spaces cost its length per mark.
    token_end, url_like = -1, False
    for match in matches_of_any(GLUED_SENTENCE_OF_MARK, text):
        mark = match.start()
        if mark >= token_end:
            token_start = text.rfind(" ", 0, mark) + 1
            token_end = text.find(" ", mark)
            if token_end < 0:
                token_end = len(text)
            url_like = URL_LIKE.search(text, token_start, token_end) is not None
        if url_like:
            continue
        word_start = _word_start(text, mark, token_start)
        if text[mark] == "." and text[word_start].isupper():
            next_word = CAPITALISED_WORD.match(text, match.end())
            name_end = next_word.end() if next_word else match.end()
            maybe_names.append((match.end(), text[word_start:name_end]))
        else:
            glued.append(match.end())
    if len(glued) >= JOINED_DOCUMENT_GLUES:
        recurring = Counter(name for _, name in maybe_names)
        glued += [place for place, name in maybe_names if recurring[name] == 1]
        glued.sort()
    pieces: list[str] = []
    last = 0
    for place in glued:
        pieces += (text[last:place], " ")
        last = place
    pieces.append(text[last:])
    return "".join(pieces)
