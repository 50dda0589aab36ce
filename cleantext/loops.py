"""Decoder loops: a sentence or a run of words repeated back to back, and ``the the``.

Translation systems and language models loop (``Never miss updates! Never miss updates!``);
the copies are consecutive, and a comma or a change of case marks a repetition made on purpose.
The search is linear in the text on any input: runs are found from candidate places
(``_LoopPlaces``) in bounded windows, never by a pattern free to backtrack over the text.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, cycle, repeat
from operator import and_
from typing import NamedTuple

from cleantext.core import Stage, fixed_point, normalizer
from cleantext.kernels import WORD_AND_GAP, doubled_word_places, may_loop, run_candidates

#: What this family's normalizer looks for (repeated runs and doubled function words): the
#: pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = ("the the ", "a - ", ". ", "word . ")

__all__ = ["collapse_repeats"]

# A run of three to thirty words repeated back to back, whole sentences included: the loop of
# a decoder (``The police arrived. The police arrived.``).  A word is letters or digits and
# whatever joins them inside a token (``la-la-la``, ``3:0``, ``GB/T`` and ``1,200`` are one
# word each); a run starts where a token does, after its opening quotes and brackets
# (``“The``, not the ``The`` of ``(CNN)"The``).  Words are apart by spaces and marks other
# than commas (a dash between two words is no word of the loop); the copies are separated by
# spaces, optionally after a sentence's end; a comma marks a repetition made on purpose
# (``one more time, one more time``, ``this is messed up, this is messed up``), and so does a
# change of case.  ``_collapse_loops`` replaces each match with ``open`` and ``run``.
MIN_LOOP_WORDS = 3
# A run that ends no sentence is a loop only from this many words: three words repeated
# inside a sentence are as often grammar as a decoder's loop.
MIN_PHRASE_WORDS = 4
QUOTE_OPENERS = "“\"‘'"
QUOTE_CLOSERS = "”\"’'"
MAX_LOOP_WORDS = 30
WORDISH = r"\w+(?:[^\w\s]+\w+)*"
# What stands between two words of a run: spaces and marks, at least one space or tab, no
# comma or line break.  The first space or tab is spelled out, so that a gap matches in one
# way only: with it free to fall on any space (``[^\w\n,]*[ \t][^\w\n,]*``), each gap of
# ``a - a - a - …`` could be matched two ways, and the search backtracked through every
# combination (hours for a line of 128 characters).
WORD_SEPARATOR = r"[^\w\n, \t]*[ \t][^\w\n,]*"
REPEATED_RUN = re.compile(
    rf"(?<!\S)(?P<open>[“\"‘'(\[]*)(?P<run>{WORDISH}"
    rf"(?:{WORD_SEPARATOR}{WORDISH}){{{MIN_LOOP_WORDS - 1},{MAX_LOOP_WORDS - 1}}}?[.!?…]*)"
    r"(?:[ \t]+(?P=run)(?![\w'’-]))+"
)
# A doubled function word is never right in English (``the the``, ``to to``); ``that that``,
# ``had had``, ``is is`` and particles (``gave in in the end``) can be.  ``an an`` is left:
# it is as often a mistyped ``and an`` (``a tall man an an old woman``) as a doubled word.
DOUBLED_WORDS = ("the", "a", "to", "of", "and", "for", "with", "from", "or", "than")
DOUBLED_WORD = re.compile(
    rf"\b({'|'.join(DOUBLED_WORDS)})(?:[ \t]+(?i:\1)\b(?!['’-]))+", re.IGNORECASE
)
# Most rounds of repairs that ``collapse_repeats`` makes: each can uncover a loop or a doubled
# word that the last one made, one level of a loop of loops per round (the documents of the
# corpus and of ``../shared`` settle after two rounds that change something).
REPEAT_ROUNDS = 4


@normalizer(stage=Stage.LOOPS)
def collapse_repeats(text: str, *, language: str = "en") -> str:
    """Collapse back-to-back repeats of a sentence or a run of 4+ words, and ``the the``.

    Only consecutive copies are loops; repetition across the document stays, and so does a
    quotation that is nothing but a repeated sentence (quotations are verbatim).  Loops are
    collapsed in every language; doubled words (English function words) only in English
    (``language``, which a pipeline sets to each document's).

    >>> collapse_repeats("The police arrived. The police arrived. The police arrived. Then")
    'The police arrived. Then'
    >>> collapse_repeats("thank you for your support thank you for your support. The the the end")
    'thank you for your support. The end'
    >>> collapse_repeats("It was set at 3:0. It was set at 3:0. Then")
    'It was set at 3:0. Then'
    >>> collapse_repeats("On Monday the the council met. On Monday the council met.")
    'On Monday the council met.'
    >>> kept = ("He said that that was it; she had had enough; one more time, one more time; "
    ...         "he gave in in the end; Let it snow let it snow; la-la-la la-la-la; "
    ...         "it is messed up, it is messed up, it is messed up; a - a - a - a - a - a; "
    ...         "pupils who walk to school walk to school alone; “Help us. Help us.”")
    >>> collapse_repeats(kept) == kept
    True
    """
    # Each repair can make the other's case (``the the council said. The council said.``
    # is a loop once ``the the`` is one word): both run until neither changes anything.  A
    # text still changing after ``REPEAT_ROUNDS`` rounds is left as it was.
    return fixed_point(_RepeatRounds(doubled_words=language == "en"), text, REPEAT_ROUNDS)


class _RepeatRounds:
    """A round of both repairs of ``collapse_repeats`` per call, for ``fixed_point``.

    A round can only find something near where the round before cut the text (see
    ``_loops``): given that round's output, it looks there only, so that learning that a
    text with thousands of loops has settled does not cost another search of all of it."""

    def __init__(self, *, doubled_words: bool) -> None:
        self._output: str | None = None
        self._cuts: list[int] = []
        self._doubled_words = doubled_words

    def __call__(self, text: str) -> str:
        near = self._cuts if text is self._output else None
        if self._doubled_words:
            text, near = _cut_doubled_words(text, near)
        self._output, self._cuts = _cut_loops(text, near)
        return self._output


def _cut_doubled_words(text: str, near: list[int] | None) -> tuple[str, list[int] | None]:
    """``DOUBLED_WORD.sub(r"\\1", text)``, and where that and ``near`` (places in ``text``)
    are in the new text; ``near`` None stays None (the whole text is new)."""
    # The places where a doubled word can start, found in one compiled pass: the pattern is
    # tried there only (None: anywhere).
    places = doubled_word_places(text, DOUBLED_WORDS)
    if places == []:
        return text, near
    kept, last = [], 0
    removals: list[tuple[int, int]] = []  # (start, end) of what went, in order
    for match in DOUBLED_WORD.finditer(text) if places is None else _doubled_at(text, places):
        kept.append(text[last : match.end(1)])
        removals.append((match.end(1), match.end()))
        last = match.end()
    if not removals:
        return text, near
    kept.append(text[last:])
    if near is None:
        return "".join(kept), None
    moved, gone, removal = [], 0, 0
    for place in sorted([*near, *(start for start, _ in removals)]):
        # All of each removal before ``place`` went, and of one that holds it, what is
        # before it.
        while removal < len(removals) and removals[removal][1] <= place:
            gone += removals[removal][1] - removals[removal][0]
            removal += 1
        inside = removal < len(removals) and removals[removal][0] < place
        moved.append(place - gone - (place - removals[removal][0] if inside else 0))
    return "".join(kept), moved


def _doubled_at(text: str, places: list[int]) -> Iterator[re.Match[str]]:
    """``DOUBLED_WORD.finditer(text)``, where every match starts at one of ``places`` (in
    order): the pattern is matched at each place not inside the last match."""
    end = 0
    for place in places:
        if place >= end and (match := DOUBLED_WORD.match(text, place)) is not None:
            end = match.end()
            yield match


def _collapse_loops(text: str) -> str:
    """``REPEATED_RUN.sub(r"\\g<open>\\g<run>", text)``, with the pattern tried only where a
    loop can start (``_loops``), which gives the same matches at a fraction of the cost;
    repetitions a writer made (``_written_so``) stay.

    >>> _collapse_loops("One, two. We won the cup. We won the cup. Then, they said so they said so")
    'One, two. We won the cup. Then, they said so they said so'
    >>> _collapse_loops('(CNN)"We won it. We won it." Then “We won it. We won it.” Go')
    '(CNN)"We won it. We won it." Then “We won it. We won it.” Go'
    """
    return _cut_loops(text, None)[0]


def _cut_loops(text: str, near: list[int] | None) -> tuple[str, list[int]]:
    """``_collapse_loops(text)``, looking only near the places ``near`` if given (see
    ``_loops``), and where it cut the new text (after each run it kept)."""
    kept, cuts, last, gone = [], [], 0, 0
    for match in _loops(text, near):
        if _written_so(match):
            continue
        kept.append(text[last : match.end("run")])
        cuts.append(match.end("run") - gone)
        gone += match.end() - match.end("run")
        last = match.end()
    if not cuts:
        return text, cuts
    kept.append(text[last:])
    return "".join(kept), cuts


def _written_so(match: re.Match[str]) -> bool:
    """Whether a repetition that looks like a loop is one a writer made, said twice: a phrase
    of fewer than ``MIN_PHRASE_WORDS`` words that ends no sentence (``pupils who walk to
    school walk to school alone``), or words repeated inside a quotation that holds
    nothing else (``"The door is open. The door is open."``: quotations are verbatim)."""
    # Said twice, a short phrase may be grammar, and a quoted sentence what was said; three
    # times and more, either is a loop.
    run = match.group("run")
    if match.group().count(run) > 2:
        return False
    if run[-1] not in ".!?…" and len(WORD.findall(run)) < MIN_PHRASE_WORDS:
        return True
    quoted = any(mark in QUOTE_OPENERS for mark in match.group("open"))
    return quoted and match.string[match.end() : match.end() + 1] in QUOTE_CLOSERS


# Where a chunk of a long text ends, between pieces: a space before a word.
CHUNK_END = re.compile(r"\s(?=\w)")
# Characters from which a text is long (see ``_pieces``), and of each chunk it is read in.
LONG_TEXT = 1 << 20
LONG_TEXT_CHUNK = 1 << 18
# Pieces of a dense text whose places ``_LoopPlaces`` works out at once.
PLACES_WINDOW = 1 << 16
WORD = re.compile(WORDISH)
FIRST_LETTER = re.compile(r"\w")
LETTERS = re.compile(r"\w+")
# Between a run and its copy: the run's closing marks, then spaces or tabs.
COPY_GAP = re.compile(r"([.!?…]*)[ \t]+")
# After a copy, the start of a longer word: ``the cups`` holds no copy of ``the cup``.
INSIDE_WORD = re.compile(r"[\w'’-]")
OPENING_MARKS = "“\"‘'(["
# How many pieces before a place where a round of ``collapse_repeats`` cut the text a run
# that the next round finds can start: its run and first copy reach that place.
NEAR_A_CUT = 2 * MAX_LOOP_WORDS + 2


def _loops(
    text: str, near: list[int] | None = None, *, dense: bool | None = None
) -> Iterator[re.Match[str]]:
    """The matches of ``REPEATED_RUN`` that ``sub`` replaces, in order, in linear time.

    Tried at every word, the pattern costs up to thirty words of matching per word (and
    ``sub`` tries it at every character).  Instead the text is cut into pieces, each a word
    and the gap after it (``WORD_AND_GAP``).  The copy of a run of ``m`` words starts ``m``
    pieces after the run and repeats it piece for piece, but for the last word, which may go
    on in the copy (``3:0.`` copies ``3:0``).  So only where the pieces of a run but its
    last come again right after it can a run start (``_LoopSearch.run_starts``, with the
    compiled kernel ``run_candidates`` where it is built).  From the left, each such place is
    checked as the pattern would check it (``_LoopSearch.has_copy``), the pattern is matched
    at the first that passes, and the search goes on after the match, as ``sub`` does.

    A text that repeats its pieces so much that such places are everywhere (``dense``; by
    default, one with fewer than a third of its pieces different) is searched for all run
    lengths at once and in C instead (``_LoopPlaces``), which leaves few places to check.

    ``near`` are the places where the last round of ``sub`` cut ``text``, if given: each
    match then has a run that starts at most ``NEAR_A_CUT`` pieces before one (a match that
    reaches none was in the text that round searched, where it would have been found, but
    for one inside a run the round kept: runs are shorter than that), and only there are
    runs looked for.
    """
    start_of_words = FIRST_LETTER.search(text)
    if start_of_words is None or near == []:
        return
    # Where the compiled kernels are built, one pass over the text tells most texts that
    # they hold no run repeated right after itself, before any piece is made.
    offset = start_of_words.start()
    if near is None and may_loop and not may_loop(text, offset, MIN_LOOP_WORDS, MAX_LOOP_WORDS):
        return
    search = _LoopSearch(text, start_of_words.start())
    count = len(search.pieces)
    if count < 2 * MIN_LOOP_WORDS:
        return
    regions = [(0, count)] if near is None else search.near(near)
    if dense is None:
        dense = 3 * len(set(search.pieces)) < count
    first = 0  # where ``sub`` goes on after its last match
    for region_begin, region_end in regions:
        # A dense text's places are worked out a window at a time: they cost some thirty
        # bytes a piece.
        size = PLACES_WINDOW if dense else region_end - region_begin
        for begin in range(region_begin, region_end, size):
            end = min(region_end, begin + size)
            if max(begin, first) >= end:
                continue
            if dense:
                places = _LoopPlaces(search, max(begin, first), end)
                run = places.next(max(begin, first))
            else:
                starts = iter(search.run_starts(begin, end))
                run = next(starts, -1)
            while run >= 0:
                lengths = places.lengths(run) if dense else search.lengths(run)
                if run >= first and search.has_copy(run, lengths):
                    match = REPEATED_RUN.match(text, search.token_start(run))
                    if match is not None:  # always, as ``has_copy`` checks what the pattern does
                        yield match
                        first = bisect.bisect_left(search.starts, match.end(), run, count)
                run = places.next(max(run + 1, first)) if dense else next(starts, -1)


def _pieces(text: str, offset: int) -> tuple[list[str], Sequence[int]]:
    """``WORD_AND_GAP.findall(text, offset)`` and where each piece starts.

    A piece costs about 100 bytes as its own string and its start as an int object: 20
    times the text, gigabytes for a document of a hundred megabytes.  A long text is read a
    chunk at a time, each distinct piece kept once (prose repeats its words) and the starts
    kept as machine integers, which makes it about 16 bytes a piece.
    """
    if len(text) < LONG_TEXT:
        found = WORD_AND_GAP.findall(text, offset)
        return found, list(accumulate(map(len, found), initial=offset))
    pieces: list[str] = []
    distinct: dict[str, str] = {}
    start = offset
    while start < len(text):
        # A chunk ends where a word follows a space: no piece runs past that place.
        boundary = CHUNK_END.search(text, start + LONG_TEXT_CHUNK)
        end = len(text) if boundary is None else boundary.end()
        found = WORD_AND_GAP.findall(text, start, end)
        pieces += map(distinct.setdefault, found, found)
        start = end
    return pieces, array("q", accumulate(map(len, pieces), initial=offset))


class _LoopSearch:
    """The pieces of a text (``WORD_AND_GAP``), where runs may start, and the check of each.

    Runs are asked about from left to right, which lets a failed check rule out the next
    ones: when the pieces ``m`` apart differ at piece ``i``, no run of ``m`` words from
    ``i`` or before it has a copy either (``_ruled_out``)."""

    def __init__(self, text: str, offset: int) -> None:
        self.text, self.offset = text, offset
        self.pieces, self.starts = _pieces(text, offset)
        # Before the first word: how many opening marks start its token, if it starts one.
        self.opening_at_start = _opening(text[:offset], at_text_start=True)
        self._about: dict[str, _Piece] = {}
        self._ruled_out = [-1] * (MAX_LOOP_WORDS + 1)
        self._lengths: dict[int, list[int]] = {}  # where runs may start: their lengths

    def about(self, index: int) -> _Piece:
        """What piece ``index``'s word and gap allow."""
        return self.about_piece(self.pieces[index])

    def about_piece(self, piece: str) -> _Piece:
        """What ``piece``'s word and gap allow (worked out once per piece)."""
        about = self._about.get(piece)
        if about is None:
            about = self._about[piece] = _Piece.of(piece)
        return about

    def opening(self, index: int) -> int | None:
        """How many opening marks before word ``index`` start its token, if it starts one."""
        return self.opening_at_start if index == 0 else self.about(index - 1).opening

    def token_start(self, index: int) -> int:
        return self.starts[index] - (self.opening(index) or 0)

    def near(self, places: list[int]) -> list[tuple[int, int]]:
        """The pieces where a run may start that a round finds after one that cut the
        text at ``places`` (see ``_loops``), as spans (first, end) in order."""
        count = len(self.pieces)
        regions: list[tuple[int, int]] = []
        for place in places:
            cut = bisect.bisect_left(self.starts, place, 0, count)
            first, end = max(0, cut - NEAR_A_CUT), min(count, cut + 1)
            if regions and first <= regions[-1][1]:
                regions[-1] = (regions[-1][0], max(regions[-1][1], end))
            else:
                regions.append((first, end))
        return regions

    def run_starts(self, first: int, end: int) -> list[int]:
        """The pieces from ``first`` to ``end`` where a run can start, in order: where the
        pieces of a run but its last come again right after it (``run_candidates``), which
        ``lengths`` then gives."""
        found = run_candidates(self.pieces, first, end, MIN_LOOP_WORDS, MAX_LOOP_WORDS)
        for run, words in zip(found[::2], found[1::2], strict=True):
            self._lengths.setdefault(run, []).append(words)
        return list(dict.fromkeys(found[::2]))

    def lengths(self, run: int) -> list[int]:
        """The lengths a run from piece ``run`` (a place ``run_starts`` found) may have, in
        order."""
        return self._lengths.get(run, [])

    def has_copy(self, run: int, lengths: Iterable[int]) -> bool:
        """Whether a run of one of ``lengths`` words from piece ``run`` has a copy after it,
        as ``REPEATED_RUN`` wants it, checked in order of length."""
        if self.opening(run) is None:
            return False  # the run does not start a token
        pieces, ruled_out = self.pieces, self._ruled_out
        for words in lengths:
            copy = run + words
            last_piece = copy + words - 1  # the piece of the copy's last word
            if last_piece >= len(pieces) or run <= ruled_out[words]:
                continue
            if pieces[run] != pieces[copy]:
                ruled_out[words] = run
                continue
            last = self.about(copy - 1)
            if last.marks is None:
                continue  # no copy after this gap
            if not pieces[last_piece].startswith(last.word):
                ruled_out[words] = copy - 1  # it differs from the piece ``words`` on
                continue
            if pieces[run : copy - 1] != pieces[copy:last_piece]:
                differ = copy - 2
                while pieces[differ] == pieces[differ + words]:
                    differ -= 1
                ruled_out[words] = differ
                continue
            if not all(self.about(index).separates for index in range(run, copy - 1)):
                continue
            after_copy = self.starts[last_piece] + len(last.word)
            if self.text.startswith(last.marks, after_copy) and not INSIDE_WORD.match(
                self.text, after_copy + len(last.marks)
            ):
                return True
        return False


class _Piece(NamedTuple):
    """What the word and the gap of a piece (``WORD_AND_GAP``) allow in a loop."""

    word: str
    marks: str | None  # a run's closing marks, if a copy can start after the gap
    separates: bool  # the gap can be between two words of a run (no comma or line break)
    opening: int | None  # opening marks that start the next token, if the next word starts one

    @classmethod
    def of(cls, piece: str) -> _Piece:
        word = WORD.match(piece).group()  # type: ignore[union-attr]
        gap = piece[len(word) :]
        copy_gap = COPY_GAP.fullmatch(gap)
        separates = "\n" not in gap and "," not in gap and (" " in gap or "\t" in gap)
        return cls(word, copy_gap and copy_gap[1], separates, _opening(gap, at_text_start=False))


def _opening(gap: str, at_text_start: bool) -> int | None:
    """How many opening marks end ``gap`` (a piece, or the text before its first word),
    if a word after it starts a token; else None."""
    unopened = gap.rstrip(OPENING_MARKS)
    if unopened[-1:].isspace() or (at_text_start and not unopened):
        return len(gap) - len(unopened)
    return None


class _LoopPlaces:
    """Where a run of ``m`` words can start, for each ``m``, as far as cheap codes of the
    pieces tell: a necessary condition, worked out in C for many pieces at once.

    Each piece gets a byte that tells it apart, a byte of flags for its gap, and a byte for
    the letters its word starts with (up to a mark); the bytes of all pieces, read as one
    big integer each, are compared with themselves ``m`` pieces on by shifting.  A byte is 0
    where a run of ``m`` words from that piece starts a token, has gaps without a barrier
    and pieces equal to the next ``m`` but for the last, which has a copy's gap after it and
    the first letters of the copy's last word.  ``next`` finds where some ``m`` has a 0.
    """

    def __init__(self, search: _LoopSearch, first: int, end: int) -> None:
        self._first, self._end = first, end
        # The copies of a run that starts before ``end`` end before ``stop``.
        pieces = search.pieces[first : min(len(search.pieces), end + 2 * MAX_LOOP_WORDS)]
        count = len(pieces)
        distinct = list(dict.fromkeys(pieces))
        # The copy's last word starts with the run's, and no letter follows that in the copy:
        # they start with the same letters.
        first_letters = map(re.Match.group, map(LETTERS.match, distinct))  # type: ignore[arg-type]
        codes = zip(
            cycle(range(256)),  # tells pieces apart (the pieces are compared in the end)
            map(_flags, map(search.about_piece, distinct)),
            map(and_, map(hash, first_letters), repeat(255)),
        )
        lanes_of = dict(zip(distinct, map(bytes, codes), strict=True))
        lanes = b"".join(map(lanes_of.__getitem__, pieces))
        shape, flags, letter = (int.from_bytes(lanes[lane::3], "little") for lane in range(3))
        ones = int.from_bytes(b"\1" * count, "little")
        all_ones = ones * 255
        barrier, no_copy = flags & ones * _BARRIER, flags & ones * _NO_COPY_AFTER
        # A piece starts a token as the gap before it tells.
        token = (flags & ones * _NO_TOKEN_AFTER) << 8
        token |= 0 if search.opening(first) is not None else 1
        self._places: list[bytes] = [b""] * MIN_LOOP_WORDS
        anywhere = ones
        for words in range(MIN_LOOP_WORDS, min(MAX_LOOP_WORDS, count // 2) + 1):
            bits = 8 * words
            interior = _window_or((shape ^ (shape >> bits)) | barrier, words - 1)
            last = no_copy | (letter ^ (letter >> bits))
            # Past this the copy's last word would be past the last piece.
            past_end = all_ones >> 8 * (count - 2 * words + 1) << 8 * (count - 2 * words + 1)
            places = interior | (last >> (bits - 8)) | token | past_end
            self._places.append(places.to_bytes(count + 1, "little"))
            folded = places | (places >> 4)
            folded |= folded >> 2
            anywhere &= folded | (folded >> 1)  # a piece's bit 0: no run of any length yet
        self._anywhere = (anywhere & ones).to_bytes(count, "little")

    def next(self, first: int) -> int:
        """The first piece at or after ``first`` where a run may start, or -1."""
        place = self._anywhere.find(b"\0", first - self._first, self._end - self._first)
        return place if place < 0 else self._first + place

    def lengths(self, run: int) -> list[int]:
        """The lengths a run from piece ``run`` may have."""
        at = run - self._first
        return [words for words, places in enumerate(self._places) if places and not places[at]]


def _flags(about: _Piece) -> int:
    """The flags of a piece's gap in ``_LoopPlaces``."""
    return (
        (0 if about.separates else _BARRIER)
        | (0 if about.marks is not None else _NO_COPY_AFTER)
        | (0 if about.opening is not None else _NO_TOKEN_AFTER)
    )


def _window_or(lanes: int, width: int) -> int:
    """The bytes of ``lanes`` or-ed with the ``width - 1`` bytes after each (doubling)."""
    covered = 1
    while 2 * covered <= width:
        lanes |= lanes >> (8 * covered)
        covered *= 2
    if covered < width:
        lanes |= lanes >> (8 * (width - covered))
    return lanes


#: Flags of a gap in ``_LoopPlaces``: it ends every run (a comma, a line break, no space or
#: tab); a copy cannot start after it (it is not a run's closing marks and spaces); the word
#: after it does not start a token.
_BARRIER, _NO_COPY_AFTER, _NO_TOKEN_AFTER = 1, 2, 4
