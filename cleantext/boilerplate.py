"""Leaked metadata, news bylines and datelines, and web boilerplate paragraphs.

Scrapers keep what surrounds an article: fields of the record fused to its first line
(``date 2022-08-21 Hilaria…``), the DailyMail byline and timestamp block, CNN's
``(CNN) --`` dateline marker, and whole paragraphs of page furniture (``Scroll down for
video``, ``Share this article``).  Everything here is anchored to the start of the document,
to whole paragraphs or to whole sentences of furniture, never to words inside a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleantext._chars import ORPHAN_MARKS
from cleantext.core import Stage, normalizer

__all__ = [
    "remove_boilerplate_lines",
    "remove_furniture_sentences",
    "remove_leading_metadata",
]

#: What this family's normalizers look for (metadata fields, bylines, datelines and boilerplate
#: lines): the pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (
    "date 2022-08-21 ",
    "By . ",
    "PUBLISHED: . ",
    "Advertisement\n",
    "Scroll down for video\n",
    ". Scroll down for video ",
    "Share this article\n",
    "Read more: ",
    "(CNN) -- ",
    "LONDON, England ",
    "12:00 EST, 1 January 2014 . ",
)

# Whitespace and orphan marks before the start of a document (``. date 2022-08-21``): the
# punctuation stage removes the marks later, so they must not hide what follows them.  (The
# patterns below are matched, at the start or where the last one ended, never searched.)
# They are taken all at once, never given back (a look-ahead, then the text it saw): what
# follows starts with neither, and giving back a megabyte of spaces one at a time took a
# second.  No document starts with more than a few such marks: past ``MAX_LEADING_MARKS``,
# what follows is not looked at.
MAX_LEADING_MARKS = 64
_START = rf"(?=(?P<lead>\s*(?:[{ORPHAN_MARKS}]\s+){{0,{MAX_LEADING_MARKS}}}))(?P=lead)"

# ``key value`` fields of a scraped record, fused to the start of the text.
METADATA_FIELD = re.compile(
    _START
    + r"""(?:
        (?:date|published|updated|timestamp)(?::[ \t]*|[ \t]+)
            \d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?
      | (?:url|source|link)(?::[ \t]*|[ \t]+)https?://\S+
      | (?:title|headline)[ \t]*:
    )(?:[ \t]+|[ \t]*\n)""",
    re.VERBOSE,
)

# The DailyMail header, flattened (``By . NAME . PUBLISHED: . 15:49 EST, 10 February 2014 .
# | . UPDATED: . …``) or on lines of its own.
_SEP = r"(?:[ \t]+\.(?:[ \t]+|[ \t]*\n[ \t\n]*|\Z)|[ \t]*\n[ \t\n]*)"
_NAME = r"[A-Z][\w'’-]*(?:[ \t]+(?:[A-Z][\w'’-]*|and|for|of|de|van|von|in))*?"
_STAMP = r"\d{1,2}:\d{2}[ \t]+[A-Z]{2,4},[ \t]+\d{1,2}[ \t]+[A-Z][a-z]+[ \t]+\d{4}"
_LAST_UPDATED = (
    r"Last[ \t]+updated[ \t]+at[ \t]+\d{1,2}:\d{2}[ \t]+[AP]M[ \t]+on[ \t]+"
    r"\d{1,2}(?:st|nd|rd|th)[ \t]+[A-Z][a-z]+[ \t]+\d{4}"
)
NEWS_HEADER = re.compile(
    rf"""{_START}(?:
        (?:By(?:[ \t]+\.)?[ \t]+{_NAME}{_SEP}(?:and[ \t]+{_NAME}{_SEP})*)
        (?:(?:PUBLISHED|UPDATED):(?:[ \t]+\.)?[ \t]+{_STAMP}{_SEP}(?:\|(?:[ \t]+\.)?[ \t]+)?)*
        (?:{_LAST_UPDATED}{_SEP})?
      | (?:(?:PUBLISHED|UPDATED):(?:[ \t]+\.)?[ \t]+{_STAMP}{_SEP}(?:\|(?:[ \t]+\.)?[ \t]+)?)+
        (?:{_LAST_UPDATED}{_SEP})?
      | {_LAST_UPDATED}{_SEP}
    )""",
    re.VERBOSE,
)

# ``Hong Kong (CNN) -- `` and the glued ``(CNN)Share`` at the start of CNN stories.  (The
# commas between the place's words come with the spaces before them, if any: with spaces on
# either side of optional commas, ``[ \t]*,*[ \t]+``, a gap of n spaces matched n ways, and
# five words apart by 80 spaces took minutes.)
CNN_DATELINE = re.compile(
    _START + r"(?P<place>[A-Z][\w.'’-]*(?:(?:[ \t]*,+)?[ \t]+[A-Z][\w.'’-]*){0,4}[ \t]*)?"
    r"\((?:CNN|CNN[ \t]?Money|CNN[ \t]Student[ \t]News|EW\.com)\)[ \t]*(?P<dash>--|—|–)?[ \t]*"
)

# Page furniture that makes up a whole paragraph.  Each pattern must match the entire line.
BOILERPLATE_LINE_PATTERNS: tuple[str, ...] = (
    r"scroll down for (?:video|videos|more)\.?",
    r"advertisement|advert|sponsored(?: content)?|story continues below(?: advertisement)?",
    r"share (?:this|the) (?:article|story|page|post)(?: on \w+)?\.?",
    r"click here (?:to|for) [^\n]{1,120}",
    r"read more:[^\n]{0,200}|read more\.?|related articles?:?",
    r"follow @\w+(?: on (?:twitter|x|instagram))?\.?",
    r"follow (?:us|him|her|me|[A-Z]\w+) on (?:twitter|x|facebook|instagram)[^\n]{0,60}",
    r"sign up (?:for|to) [^\n]{0,80}(?:newsletter|alerts?|updates)[^\n]{0,60}",
    r"subscribe (?:now|today|here|to (?:our|the) [^\n]{1,60})[^\n]{0,60}",
    r"(?:we|this (?:site|website)) uses? cookies[^\n]{0,300}",
)


# A sentence of page furniture inside a paragraph, with the space before it: after another
# sentence's end, before the next sentence's capital or the line's end (``the city. Scroll
# down for video More than``, ``in March. Click here to see the full results.``).  Only
# furniture that no article says in its own words.  (`` .``, the line-end mark of a
# flattened article, is left to repair_flattened_article.)
# (A run of them goes at once: the second follows the first's end.)
_FURNITURE = (
    r"(?:scroll down for (?:the )?videos?\.?|click here(?:!| (?:to|for) [^.!?\n\"“”]{1,120}[.!]))"
)
# (It starts with the space and looks behind after it, so that the search skips to spaces in
# C instead of looking behind at every character.)
FURNITURE_SENTENCE = re.compile(
    rf" (?<=[.!?…\"'’”)\]] ){_FURNITURE}(?: {_FURNITURE})*(?= [A-Z“\"‘'(]|[ \t]*$)",
    re.IGNORECASE | re.MULTILINE,
)

# The cheap test for it: the words, in the two cases that occur.
FURNITURE_SIGNS = ("croll down", "CROLL DOWN", "lick here", "LICK HERE")

#: Longest line that can be page furniture; longer lines are prose and are not checked.
MAX_BOILERPLATE_LINE = 400


# Marks standing alone at the start of a line, as remove_orphan_punctuation finds them.
ORPHAN_MARKS_AT_START = re.compile(rf"^(?:[{ORPHAN_MARKS}](?= |$) ?)+")
# What a line of the built-in furniture can start with, past its spaces: a letter a pattern
# above starts with, as the patterns read it (ignoring case: ``ſ`` is an ``s``), or a mark
# that ORPHAN_MARKS_AT_START takes away.  Other lines are not normalized and matched, which
# was a tenth of the time of clean on articles of many short paragraphs
# (``tests/test_punctuation_boilerplate.py`` checks the set against the patterns).
FURNITURE_LINE_STARTS = frozenset("sacrfwtSACRFWT\u017f" + ORPHAN_MARKS)
# And the word a line of it starts with, where no orphan mark comes first (as the patterns
# read it, ignoring case): a line that starts with another (``The``) is not normalized and
# matched either (``tests/test_punctuation_boilerplate.py`` derives the words from the
# patterns).
FURNITURE_FIRST_WORD = re.compile(
    "advert|click|follow|read|related|scroll|share|sign|sponsored|story|subscribe|this|we",
    re.IGNORECASE,
)


@lru_cache(maxsize=32)
def boilerplate_line(extra: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every whole line of page furniture, built-in and ``extra``."""
    patterns = "|".join(f"(?:{p})" for p in BOILERPLATE_LINE_PATTERNS + extra)
    return re.compile(patterns, re.IGNORECASE)


def _leading_junk(text: str, at: int = 0) -> re.Match[str] | None:
    """A record field, news header or CNN dateline at ``at`` in ``text``."""
    for pattern in (METADATA_FIELD, NEWS_HEADER, CNN_DATELINE):
        match = pattern.match(text, at)
        if match and match.group().strip():
            return match
    return None


@normalizer(stage=Stage.DOCUMENT)
def remove_leading_metadata(text: str, *, keep_dateline_place: bool = False) -> str:
    """Remove record fields, bylines, timestamps and CNN datelines at the start of an article.

    Datasets built from scraped records prepend fields of the record to the text
    (``date 2022-08-21 Hilaria…``): only lower-case field names followed by a value of the
    right shape (an ISO date, a URL) are removed, and ``title:`` loses its key, not the
    title.  The CNN/DailyMail dataset keeps each article's header, flattened with `` . ``
    (``By . Daily Mail Reporter . PUBLISHED: . 15:49 EST, 10 February 2014 . | . UPDATED:
    . …`` or ``Last updated at 1:25 AM on 3rd August 2011 .``); CNN stories open with a
    dateline (``Hong Kong (CNN) --``).  They may come in any order and are removed together,
    so one cannot hide another.  ``keep_dateline_place=True`` keeps the place of a dateline
    and drops only the ``(CNN)`` marker.

    >>> remove_leading_metadata(" date 2022-08-21 Hilaria Baldwin stands by her husband")
    'Hilaria Baldwin stands by her husband'
    >>> remove_leading_metadata("url: https://example.com/a date 2022-08-21T10:00Z title: Storm")
    'Storm'
    >>> remove_leading_metadata(". date 2022-08-21 Storm")  # an orphan mark hides nothing
    'Storm'
    >>> remove_leading_metadata("By . Daily Mail Reporter . PUBLISHED: . 15:49 EST, 10 February "
    ...                         "2014 . | . UPDATED: . 15:53 EST, 10 February 2014 . This is it")
    'This is it'
    >>> remove_leading_metadata("By . Mark Duell . and Hugo Gye . UPDATED: . 18:30 EST, "
    ...                         "3 March 2012 . Rush")
    'Rush'
    >>> remove_leading_metadata("Hong Kong (CNN) -- China's third-largest city")
    "China's third-largest city"
    >>> remove_leading_metadata("(CNN)Share your photos")
    'Share your photos'
    >>> remove_leading_metadata("Hong Kong (CNN) -- China's city", keep_dateline_place=True)
    "Hong Kong -- China's city"
    >>> remove_leading_metadata("\\nBy Anna Kowalski\\n"
    ...                         "Last updated at 1:25 AM on 3rd August 2011\\n\\nThe")
    'The'

    Prose that merely starts like a field or a byline stays:

    >>> remove_leading_metadata("Date 2022-08-21 was set for the vote. The date 2022-08-21 held.")
    'Date 2022-08-21 was set for the vote. The date 2022-08-21 held.'
    >>> remove_leading_metadata("By the time the bus arrived . it was late. Published: yesterday.")
    'By the time the bus arrived . it was late. Published: yesterday.'
    >>> remove_leading_metadata("He told CNN (CNN) viewers -- twice")
    'He told CNN (CNN) viewers -- twice'
    """
    # Each piece of junk is looked for where the last one ended (the text is cut once: cut
    # after each, ten thousand fields cost ten thousand copies of the text).
    at = 0
    while match := _leading_junk(text, at):
        at = match.end()
        if keep_dateline_place and match.re is CNN_DATELINE and match.group("place"):
            dash = match.group("dash")
            return match.group("place").strip() + (f" {dash} " if dash else " ") + text[at:]
    return text[at:]


@normalizer(stage=Stage.DOCUMENT)
def remove_boilerplate_lines(text: str, *, extra: tuple[str, ...] = ()) -> str:
    """Remove whole paragraphs of page furniture such as ``Scroll down for video``.

    Extractors keep the text of buttons and banners as paragraphs of their own.  Only whole
    lines that match a pattern are removed, never words inside a sentence.  ``extra`` adds
    your own whole-line regular expressions (matched case-insensitively against the line with
    its spacing tidied).

    >>> remove_boilerplate_lines("Rescue crews arrived.\\nScroll down for video\\n"
    ...                          "Advertisement\\nThe bull")
    'Rescue crews arrived.\\nThe bull'
    >>> remove_boilerplate_lines("Share this article\\nFollow @cleantext\\nRead more: Storm")
    ''
    >>> remove_boilerplate_lines("The advertisement was banned. Click here, she said, to see it.")
    'The advertisement was banned. Click here, she said, to see it.'
    >>> remove_boilerplate_lines("Photo: Reuters\\nBody", extra=(r"photo: \\w+",))
    'Body'
    """
    pattern = boilerplate_line(extra)
    lines = text.splitlines(keepends=True)
    # Lines are compared as the later stages will leave them: spacing tidied, and without
    # the orphan marks that the punctuation stage removes from a line's start (``. Advert``).
    # Without ``extra`` patterns, only a line that starts as furniture can is looked at.
    prefilter = not extra
    kept = [
        line
        for line in lines
        if len(line) > MAX_BOILERPLATE_LINE
        or (prefilter and not _may_be_furniture(line))
        or not pattern.fullmatch(ORPHAN_MARKS_AT_START.sub("", " ".join(line.split())))
    ]
    return text if len(kept) == len(lines) else "".join(kept)


def _may_be_furniture(line: str) -> bool:
    """Whether ``line`` starts as a line of the built-in furniture can: with an orphan mark,
    or with a letter of ``FURNITURE_LINE_STARTS`` and a word of ``FURNITURE_FIRST_WORD``."""
    stripped = line.lstrip()
    first = stripped[:1]
    if first not in FURNITURE_LINE_STARTS:
        return False
    return first in ORPHAN_MARKS or FURNITURE_FIRST_WORD.match(stripped) is not None


@normalizer(stage=Stage.DOCUMENT, signs=FURNITURE_SIGNS)
def remove_furniture_sentences(text: str) -> str:
    """Remove ``Scroll down for video`` and ``Click here for …`` sentences inside a paragraph.

    DailyMail pages put the line above their video, and many pages a link after the story;
    where paragraphs were joined, it stays between two sentences of the article.  Only the
    whole sentence goes, and only after another sentence's end; a sentence that mentions
    scrolling or clicking stays.

    >>> remove_furniture_sentences("He was stopped. Scroll down for video More than 20 came.")
    'He was stopped. More than 20 came.'
    >>> remove_furniture_sentences("It ended. Scroll down for video.\\nNext paragraph.")
    'It ended.\\nNext paragraph.'
    >>> remove_furniture_sentences("They met in March. Click here to see the results. Most")
    'They met in March. Most'
    >>> kept = "Readers scroll down for video clips. She said to scroll down for video first."
    >>> remove_furniture_sentences(kept) == kept
    True
    """
    if all(sign not in text for sign in FURNITURE_SIGNS):
        return text
    return FURNITURE_SENTENCE.sub("", text)
