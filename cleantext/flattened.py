"""Articles flattened to one line, as the CNN/DailyMail dataset stores them.

The dataset scripts joined each article's lines with spaces and appended `` .`` to every line
that had no final punctuation of its own.  Those `` .`` ends are the only trace of the lost
line breaks, and they mark exactly the lines that a body paragraph never is: captions
(``Rescue: Crew members battle the tide .``), the byline, ``Scroll down for video .``,
sub-headings.  Here the flattened form is recognised, the line each mark ends is scored with
the evidence of the caption family, and captions and page furniture are removed; the marks
of the lines that stay become ordinary full stops and those of hard wraps go, so nothing of
the flattening is left for a second run to see.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import islice

from cleantext._chars import ORPHAN_MARKS
from cleantext.boilerplate import boilerplate_line
from cleantext.captions import (
    CAPITALIZED_WORD,
    CAPTION_LABEL,
    MIN_CAPTION_WORDS,
    PHOTO_MARKER_AT_BRACKET,
    PHOTO_WORDS,
    SHINGLE_CONTAINMENT,
    THRESHOLD,
    UNPUNCTUATED_END,
    caption_label,
    label_evidence,
    length_evidence,
)
from cleantext.core import Scope, Stage, normalizer
from cleantext.document import WORD, last_text, shingles
from cleantext.kernels import Held, words_held
from cleantext.punctuation import is_abbreviation

#: What this family's normalizers look for (the line-end marks of flattened articles, around short
#: lines): the pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (" . ", " .", "said . ", "the . ", "Rescue: Crews ", " . The ")

__all__ = [
    "FlattenedLine",
    "find_flattened_lines",
    "is_flattened",
    "is_tokenized",
    "repair_flattened_article",
]

# The `` .`` that the scripts appended to a line without final punctuation: a space and a
# full stop after a word, a bracket or a mark, before the next line or the end.  A stop
# before a lower-case word (``str.islower``, so ``é`` too) is a hard wrap inside a sentence
# (``have lowered his . voice``), not a line of its own; ``remove_wrapped_line_periods``
# joins those, but a wrap tells that the marks after it, in the same sentence, are wraps as
# well.  (The pattern starts with the mark and looks behind after it, so that the search
# skips to marks in C.)
ANY_MARK = re.compile(r" \.(?<=[^\s.] \.)(?= |\s*\Z)")
# A line that a hard wrap cut inside a sentence: it ends in a word that cannot end one
# (``the mayor of . Ledbury was photographed``), or the next line opens with a fragment
# that ends the sentence (``at Ledbury Town . Hall. The day``).  Its mark is removed.
UNFINISHED_WORDS = (
    "a an the and or but nor of to in on at for with from by as into than that which who "
    "whose his her its their our my your is are was were be been has have had"
)
WRAP_WORDS = frozenset(UNFINISHED_WORDS.split())
# The longest line of a hard-wrapped paragraph, in characters.
MAX_WRAPPED_LINE = 100
LAST_WORD = re.compile(r"(\w+)\W*\Z")
# What precedes a word that starts a sentence (looked for in the few characters before it).
SENTENCE_START_BEFORE = re.compile(r"(?:\A|[.!?][\"'’”)\]]*)[ \t]*\Z")
WRAPPED_FRAGMENT = re.compile(r"[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}[.!?](?= |\Z)")
# Where a sentence ends inside a line: a final mark, closing quotes or brackets, a space
# and a capital, a digit or an opening quote; stray marks after it (``park. . Scroll``)
# belong to it.  (It starts at the mark, which the search skips to in C; the word before
# it, ``LAST_WORD``, tells ``Mr.`` apart.)
SENTENCE_END = re.compile(
    r"[.!?…](?<! [.!?…])[\"”’')]*(?:[ \t]+[.,;:](?= ))*[ \t]+(?=[A-Z0-9\"“‘'(])"
)
# Marks standing alone at the start of a line, as remove_orphan_punctuation finds them.
LEADING_ORPHANS = re.compile(rf"(?:[{ORPHAN_MARKS}](?= |\Z) ?)+")
# A sentence already finished before its closing quotes or brackets: ``weren’t.” .``.
FINISHED = re.compile(r"[.!?…][\"”’')\]]+\Z")
# Marks that end a line by themselves; the `` .`` after one is dropped, not kept as a stop.
OWN_MARKS = frozenset(".,;:!?…|-–—")
# Words too common to show that a line retells the story.
COMMON_WORDS = (
    "a an the and or but of to in on at for with from by as is are was were be been has have "
    "had his her its their he she it they this that these those who which after before during "
    "while will would can could not no"
)
STOPWORDS = frozenset(COMMON_WORDS.split())
#: Most line ends (`` .`` marks) of a flattened text that is repaired: each line costs tens
#: of microseconds to score, and a text with more is not one article (a dataset flattened to
#: one line?) but is left alone (the articles of the corpus and ``../shared`` have at most 87).
MAX_FLATTENED_LINES = 1000
#: Longest flattened text that is repaired: scoring keeps every word of the body (its
#: triples), some 20 times the text in memory, and a longer line is not one article either
#: (the longest document of the corpus and ``../shared`` has 39,119 characters).
MAX_FLATTENED_CHARACTERS = 500_000
#: Most different caption labels whose uses in a flattened text are counted (each costs a
#: pass over the text): a text with more is left alone, a flood of captions and no article
#: (the articles of the corpus and ``../shared`` have at most a handful).
MAX_COUNTED_LABELS = 100
# Share of a line's content words found elsewhere in the article for it to retell the story.
CONTENT_OVERLAP = 0.5
# Share of a line's word triples found elsewhere (beyond the caption family's
# SHINGLE_CONTAINMENT, for a repeat) that makes it a copy of a body sentence, which edited
# prose never makes.
NEAR_COPY = 0.8


@dataclass(frozen=True)
class FlattenedLine:
    """The last sentence of a former line without final punctuation, and its verdict.

    ``start``/``end`` delimit the sentence, ``mark_end`` the `` .`` after it (equal to
    ``end`` for an unpunctuated last line); ``furniture`` is page furniture
    (``Scroll down for video``), dropped whatever the score.
    """

    start: int
    end: int
    mark_end: int
    score: int
    evidence: tuple[str, ...]
    furniture: bool = False

    def dropped(self, threshold: int) -> bool:
        return self.furniture or self.score >= threshold

    def describe(self) -> str:
        if self.furniture:
            return "flattened line: page furniture"
        return f"flattened line, caption score {self.score:g} ({'; '.join(self.evidence)})"


def is_flattened(text: str) -> bool:
    """Whether ``text`` is one line with `` .`` line ends.

    >>> is_flattened("The bull sank. Rescue: Crews battle the tide . Colin Midwinter said")
    True
    >>> is_flattened("Two lines .\\nEach with a stop .")
    False
    >>> is_flattened("One sentence with a spaced stop .")
    False
    """
    if " . " not in text or "\n" in text.strip():
        return False
    # At least two lines: a mark with text after it (one sentence ending in `` .`` is not
    # an article).
    # (The same test of the next word as ``_line_ends``: where they disagreed, a first run
    # joined a wrap before ``â`` and a second one took the text for flattened.)
    return any(
        text[m.end() : m.end() + 1] == " " and not text[m.end() + 1 : m.end() + 2].islower()
        for m in ANY_MARK.finditer(text)
    )


def is_tokenized(text: str) -> bool:
    """Whether ``text`` spaces its commas, as a tokenizer does: then every sentence may end
    in `` .``, and that ending tells nothing about captions.

    >>> is_tokenized("He said , then left . Colin , who agreed , went")
    True
    """
    spaced = text.count(" ,")
    return spaced * 4 > text.count(", ") - text.count(" , ")


def _line_ends(text: str, tokenized: bool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The `` .`` marks of former line ends, and those of hard wraps before a capital; an
    unpunctuated last line ends at the end of the text, with an empty mark.

    A mark is a wrap when the word before it cannot end a sentence (``WRAP_WORDS``), when
    the next line opens with a fragment that ends one (``WRAPPED_FRAGMENT``), or when it
    follows another wrap closely with no sentence ending between: the lines of a
    hard-wrapped paragraph (``Among . the volunteers … was Priya . Nair, who``).  In
    tokenized text no stop is attached to its sentence, so that last sign is not read.
    """
    ends, wraps = [], []
    previous_wrap = -1  # where the last wrap mark (before a capital or not) ended
    for match in ANY_MARK.finditer(text):
        start, end = match.span()
        if text[end + 1 : end + 2].islower():
            previous_wrap = end
            continue  # remove_wrapped_line_periods joins these
        last = LAST_WORD.search(text, max(0, start - 30), start)
        # A bracket closes its phrase: the word inside (``(and so on) .``) ends nothing; and
        # a word in capitals inside a sentence is a name or a letter (``hepatitis A .``), not
        # an article (``prisons?' A . 2008 law``).
        wrapped = (
            (
                last is not None
                and text[start - 1] not in ")]"
                and last.group(1).lower() in WRAP_WORDS
                and not (
                    last.group(1).isupper()
                    and not SENTENCE_START_BEFORE.search(
                        text, max(0, last.start(1) - 8), last.start(1)
                    )
                )
            )
            or WRAPPED_FRAGMENT.match(text, end + 1) is not None
            or (
                not tokenized
                and previous_wrap >= 0
                and start - previous_wrap <= MAX_WRAPPED_LINE
                and not SENTENCE_END.search(text, previous_wrap, start)
            )
        )
        if wrapped:
            wraps.append((start, end))
            previous_wrap = end
        else:
            ends.append((start, end))
    # The scripts count ``)`` as final punctuation, so a caption that ends in a photo
    # marker (``Standing firm: Mrs Achebe … (file photo)``) got no mark: a labelled
    # sentence that a marker ends, before a capital, ended a line too.
    sentence_ends: list[int] | None = None
    for match in PHOTO_MARKER_AT_BRACKET.finditer(text):
        end = match.end()
        if text[end : end + 1] == " " and text[end + 1 : end + 2].isupper():
            start = match.start()
            while start and text[start - 1] in " \t":
                start -= 1  # the spaces before go with it
            if sentence_ends is None:
                sentence_ends = _sentence_ends(text)
            # The last sentence before the marker, as ``_last_sentence_start(text, 0,
            # start)`` finds it (without a search from the text's start for each marker).
            before = bisect.bisect_left(sentence_ends, start) - 1
            if CAPTION_LABEL.match(text, sentence_ends[before] if before >= 0 else 0, end):
                ends.append((end, end))
    stripped = len(text.rstrip())
    # The last line of a truncated article has no mark at all: it ends in a word.
    last_line_unpunctuated = UNPUNCTUATED_END.search(text, stripped - 1, stripped)
    if last_line_unpunctuated and (not ends or max(ends)[1] < stripped):
        ends.append((stripped, stripped))
    return sorted(ends), wraps


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of ``text`` but the first starts (``Mr.`` ends none), in order:
    ``_last_sentence_start(text, 0, end)`` is the last of them before ``end`` (a sentence
    end's capital must be before ``end``), or 0."""
    return [
        match.end()
        for match in SENTENCE_END.finditer(text)
        if (word := LAST_WORD.search(text, max(0, match.start() - 20), match.start() + 1)) is None
        or not is_abbreviation(word.group(1))
    ]


def _last_sentence_start(text: str, start: int, end: int) -> int:
    """Where the last sentence of ``text[start:end]`` starts (``Mr.`` ends none)."""
    for match in reversed(list(SENTENCE_END.finditer(text, start, end))):
        word = LAST_WORD.search(text, max(start, match.start() - 20), match.start() + 1)
        if word is None or not is_abbreviation(word.group(1)):
            return match.end()
    return start


def _line_spans(text: str, ends: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """``(sentence start, sentence end, mark end)`` of the last sentence before each end."""
    spans, line_start = [], len(text) - len(text.lstrip())
    for mark_start, mark_end in ends:
        # Marks left alone at a line's start (``. Scroll down for video .``) are not its
        # sentence: they would hide what the line is.
        orphans = LEADING_ORPHANS.match(text, line_start, mark_start)
        if orphans is not None and orphans.end() < mark_start:
            line_start = orphans.end()
        spans.append((_last_sentence_start(text, line_start, mark_start), mark_start, mark_end))
        line_start = mark_end + 1
    return spans


def _content_words(text: str) -> list[str]:
    return [word for word in WORD.findall(text.lower()) if word not in STOPWORDS]


def _repetition_evidence(
    mine: set[tuple[str, ...]], words: set[str], body_holds: set[Held]
) -> tuple[int, list[str]]:
    """How much of a line (its word triples ``mine`` and content ``words``) the body says
    too (``body_holds``: which of them it holds): a caption retells the story."""
    if mine:
        repeated = len(mine & body_holds) / len(mine)
        if repeated >= NEAR_COPY:
            return 3, [f"copies a sentence of the article ({repeated:.0%}) +3"]
        if repeated >= SHINGLE_CONTAINMENT:
            return 2, [f"repeats the article ({repeated:.0%}) +2"]
    if words:
        share = len(words & body_holds) / len(words)
        if share >= CONTENT_OVERLAP:
            return 1, [f"retells the article ({share:.0%} of its words) +1"]
    return 0, []


def _labels(text: str, lines: list[str]) -> list[str | None] | None:
    """The caption label of each line, or None.  A label that opens another sentence of
    the article too is a speaker turn or a list item (``Q:``, ``CNN:``), not a caption's.

    Each label's uses are counted in the whole text: with more than ``MAX_COUNTED_LABELS``
    different labels, a flood of captions and no article, None for all."""
    labels = [caption_label(line, CAPTION_LABEL.match(line)) for line in lines]
    uses = dict.fromkeys(label for label in labels if label)
    if len(uses) > MAX_COUNTED_LABELS:
        return None
    for label in uses:
        uses[label] = text.count(f"{label}: ")
    return [label if label and uses[label] == 1 else None for label in labels]


def find_flattened_lines(text: str) -> list[FlattenedLine]:
    """Score the last sentence of every line that a `` .`` ends; the verdicts, in order.

    Evidence: no final punctuation +2 (every such line has it); a caption label +2
    (``Pictured:`` +3, with the label checks of the caption family); a photo marker or
    photo words (``(left)``, ``, pictured,``) +2; a copy of a body sentence +3, a repeat of
    the article +2, or most of its words found in the article +1; next to another line
    without punctuation +1.  Against: under 7 words (a heading) -2, over 60 -2, capitalized
    like a headline -2, ending in a colon (it introduces what follows) -2, an item of a list
    that a line ending in a colon introduces -3.

    >>> doc = ("Volunteers worked all night to free a horse from the flood. Rescue: Two "
    ...        "volunteers wade through the rising water to reach the horse . It was unhurt.")
    >>> [(doc[v.start : v.end], v.score) for v in find_flattened_lines(doc)]
    [('Rescue: Two volunteers wade through the rising water to reach the horse', 4)]
    """
    return list(_analyse(text)[2])


@last_text
def _analyse(
    text: str,
) -> tuple[bool, tuple[tuple[int, int], ...], tuple[FlattenedLine, ...]]:
    """Whether ``text`` is tokenized, its hard wraps, and the verdicts on its lines (none
    when it is not flattened)."""
    if len(text) > MAX_FLATTENED_CHARACTERS or not is_flattened(text):
        return False, (), ()
    if next(islice(ANY_MARK.finditer(text), MAX_FLATTENED_LINES, None), None) is not None:
        return False, (), ()  # more lines than an article has: left alone
    tokenized = is_tokenized(text)
    ends, wraps = _line_ends(text, tokenized)
    verdicts = _score_lines(text, _line_spans(text, ends), tokenized)
    if verdicts is None:
        return False, (), ()  # too many caption labels: left alone
    return tokenized, tuple(wraps), tuple(verdicts)


def _score_lines(
    text: str, spans: list[tuple[int, int, int]], tokenized: bool
) -> list[FlattenedLine] | None:
    if not spans:
        return []
    lines = [text[start:end] for start, end, _ in spans]
    labels = _labels(text, lines)
    if labels is None:
        return None
    # In tokenized text every sentence may end in `` .``: the ending, the lines around it
    # and repetition (a loop's copies are sentences too) tell nothing there.
    line_evidence = not tokenized
    # A line is whole when the line before it also ended in `` .``: two such lines in a row.
    whole = [k > 0 and spans[k - 1][2] + 1 == span[0] for k, span in enumerate(spans)]
    # Lines in a row after one that ends in a colon are the items it introduces
    # (``How it works: . Round one (May 1) Sixteen teams play … .``).
    listed = [False] * len(spans)
    for k in range(1, len(spans)):
        listed[k] = whole[k] and (lines[k - 1].endswith(":") or listed[k - 1])
    counts = [len(WORD.findall(line)) for line in lines]
    # A neighbour counts when it could be a caption itself, not a heading or a list's lead.
    sizable = [
        count >= MIN_CAPTION_WORDS and not line.endswith(":")
        for count, line in zip(counts, lines, strict=True)
    ]
    # What the body holds: the article without the lines scored here, so that two copies
    # of one line (a decoder's loop, both ending in `` .``) are not evidence for each other.
    # Only what some line holds is looked for, all that the lines are compared with (the
    # body's words and their triples cost most of the scoring); tokenized text needs none.
    body_holds: set[Held] = set()  # which of the lines' triples and words the body holds
    line_triples: list[set[tuple[str, ...]]] = []
    line_words: list[set[str]] = []
    if line_evidence:
        line_triples = [shingles(line) for line in lines]
        line_words = [set(_content_words(line)) for line in lines]
        body = (
            "".join(
                text[previous[2] if previous else 0 : span[0]] + " "
                for previous, span in zip([None, *spans], spans, strict=False)
            )
            + text[spans[-1][2] :]
        )
        [body_holds] = words_held([body.lower()], set().union(*line_words, *line_triples))
    furniture = boilerplate_line(())
    verdicts = []
    for k, ((start, end, mark_end), line) in enumerate(zip(spans, lines, strict=True)):
        if furniture.fullmatch(" ".join(line.split())):
            verdicts.append(FlattenedLine(start, end, mark_end, 0, (), furniture=True))
            continue
        score, evidence = 0, []
        if line_evidence:
            score, evidence = 2, ["no final punctuation +2"]
        if label := labels[k]:
            more, why = label_evidence(line, label)
            score, evidence = score + more, evidence + why
        if marker := PHOTO_MARKER_AT_BRACKET.search(line) or PHOTO_WORDS.search(line):
            score += 2
            evidence.append(f"photo marker '{marker.group().strip(' ,')}' +2")
        if line_evidence:
            more, why = _repetition_evidence(line_triples[k], line_words[k], body_holds)
            score, evidence = score + more, evidence + why
            if (whole[k] and sizable[k - 1]) or (
                k + 1 < len(spans) and whole[k + 1] and sizable[k + 1]
            ):
                score += 1
                evidence.append("next to another line without punctuation +1")
        if listed[k]:
            score -= 3
            evidence.append("an item of a list introduced by a colon -3")
        more, why = length_evidence(counts[k])
        score, evidence = score + more, evidence + why
        # A sentence about a photo has a verb and common words; a line of capitalized words
        # is a heading, a name or a list entry (``Jul 19 Ledbury, Herefordshire Market Hall``).
        if not label and 2 * len(CAPITALIZED_WORD.findall(line)) > counts[k]:
            score -= 2
            evidence.append("capitalized like a headline -2")
        if line.endswith(":"):
            score -= 2
            evidence.append("introduces what follows -2")
        verdicts.append(FlattenedLine(start, end, mark_end, score, tuple(evidence)))
    return verdicts


def _flattened_reasons(text: str, **options: object) -> list[tuple[int, int, str]]:
    threshold = options.get("threshold", THRESHOLD)
    return [
        (v.start, v.mark_end, v.describe())
        for v in find_flattened_lines(text)
        if v.dropped(threshold)  # type: ignore[arg-type]
    ]


class _Orphans:
    """Where the marks left alone at a place end (``LEADING_ORPHANS``), each run of them
    matched once: every line of ``a, . , . , …`` starts inside one run, and matched from each
    line, the run cost its length per line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._runs: list[tuple[int, int]] = []  # (a mark of a run, the end of the run)

    def end(self, at: int) -> int | None:
        """Where the run of marks at ``at`` ends, or None if none starts there."""
        if at >= len(self.text) or self.text[at] not in ".,;:":
            return None
        # A run is a mark, a space, a mark…: from any of its marks it ends where it does.
        known = bisect.bisect_right(self._runs, (at, len(self.text))) - 1
        if known >= 0 and self._runs[known][0] <= at < self._runs[known][1]:
            return self._runs[known][1]
        match = LEADING_ORPHANS.match(self.text, at)
        if match is None:
            return None
        bisect.insort(self._runs, (at, match.end()))
        return match.end()


def _wrap_edit(text: str, start: int, end: int, orphans: _Orphans) -> tuple[int, int, str]:
    """Join a hard wrap: its mark goes, and marks left alone after it (``By . . Daily``)."""
    if text[end : end + 1] == " " and (orphans_end := orphans.end(end + 1)) is not None:
        return start, orphans_end, " " if orphans_end < len(text) else ""
    return start, end, ""


@normalizer(stage=Stage.DOCUMENT, explainer=_flattened_reasons, scope=Scope.ENGLISH)
def repair_flattened_article(
    text: str, *, threshold: int = THRESHOLD, paragraphs: bool = False
) -> str:
    """Remove the captions and page furniture of an article flattened to one line.

    The CNN/DailyMail dataset stores an article as one line and appended `` .`` to each
    line without final punctuation, so its captions, sub-headings and ``Scroll down for
    video`` survive inline.  The last sentence of each such line is scored (see
    ``find_flattened_lines``) and dropped at ``threshold`` (default 4), page furniture
    always; the `` .`` of every line that stays becomes a plain full stop (or goes, after
    a mark of its own).  The output keeps the input's single line; ``paragraphs=True``
    breaks it into paragraphs where the line ends were marked (lines that ended in their
    own punctuation were joined without a trace, and stay joined).  Text with line breaks,
    or with more line ends or characters than an article has (``MAX_FLATTENED_LINES``,
    ``MAX_FLATTENED_CHARACTERS``), is left alone; in tokenized text, where any sentence may
    end in `` .``, only page furniture and labelled or marked captions go.

    >>> repair_flattened_article(
    ...     "The horse was stuck in the flood. Scroll down for video . Rescue: Two "
    ...     "volunteers wade through the rising water to reach the horse . It was unhurt.")
    'The horse was stuck in the flood. It was unhurt.'
    >>> print(repair_flattened_article("Overcoming adversity . She trained for a year. Her "
    ...                                "coach said it was worth it . Results:", paragraphs=True))
    Overcoming adversity.
    <BLANKLINE>
    She trained for a year. Her coach said it was worth it.
    <BLANKLINE>
    Results:

    Body sentences that end in `` .`` are kept, and text that is not flattened is left as
    it is:

    >>> repair_flattened_article("He went home. Later, he said . Then he slept.")
    'He went home. Later, he said. Then he slept.'
    >>> kept = "Two lines .\\nEach with a stop ."
    >>> repair_flattened_article(kept) == kept
    True
    """
    tokenized, wraps, verdicts = _analyse(text)
    if not verdicts and not wraps:
        return text
    # Edits as (start, end, replacement), in order and never overlapping: a dropped
    # sentence goes with its mark and one space beside it, a kept line's mark becomes a
    # full stop (or goes, after a mark of its own), a wrap's mark goes.  In tokenized text
    # a `` .`` may be any sentence's end or an abbreviation's stop (``Mr . Darcy``): only
    # drops, wraps and marks after a finished sentence are made there, the rest is the
    # punctuation family's.
    orphans = _Orphans(text)
    edits = [_wrap_edit(text, start, end, orphans) for start, end in wraps]
    for verdict in verdicts:
        start, end, mark_end = verdict.start, verdict.end, verdict.mark_end
        # (Looked for just before the end: a search from the start would cost the whole text.)
        finished = text[end - 1] in OWN_MARKS or FINISHED.search(text, max(0, end - 8), end)
        if tokenized and not verdict.dropped(threshold) and not finished:
            continue  # the one mark that is surely the scripts' is after a finished one
        if verdict.dropped(threshold):
            if text[mark_end : mark_end + 1] == " ":
                mark_end += 1
                # Marks left alone at the start of the next line go too (``. Rescuers``),
                # as remove_orphan_punctuation removes them from a line's start.
                if (orphans_end := orphans.end(mark_end)) is not None:
                    mark_end = orphans_end
            elif start > 0 and text[start - 1] == " ":
                start -= 1
            edits.append((start, mark_end, ""))
        else:
            stop = "" if mark_end == end or finished else "."
            if text[mark_end : mark_end + 1] == " ":
                # The next line starts here; marks left alone at its start go.
                mark_end += 1
                if (orphans_end := orphans.end(mark_end)) is not None:
                    mark_end = orphans_end
                if mark_end < len(text):
                    stop += "\n\n" if paragraphs else " "
            edits.append((end, mark_end, stop))
    edits.sort()
    pieces, last = [], 0
    for start, end, replacement in edits:
        if end <= last:
            continue  # a wrap inside a dropped sentence went with it
        start = max(start, last)  # two drops in a row share the space between them
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
