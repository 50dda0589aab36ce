"""Offsets: where each span of a cleaned text came from in the source, and back.

Every step's changes are known (``cleantext.explain``); composed, they give the stretches of
the cleaned text that were rewritten, each with the stretch of the source it came from.
Between two such stretches the two texts are equal character for character, so any span
maps by a shift.

>>> from cleantext import align
>>> alignment = align("The  RNLIâ€™s crew . Scroll down for video\\nThey  came.")
>>> alignment.text
'The RNLI’s crew.\\nThey came.'
>>> start = alignment.text.index("RNLI’s")
>>> alignment.to_source(start, start + len("RNLI’s"))
(5, 13)
>>> alignment.source[5:13]
'RNLIâ€™s'
>>> alignment.to_clean(5, 13)
(4, 10)
>>> alignment.to_clean(alignment.source.index("Scroll"), alignment.source.index("\\n"))
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cleantext.explain import Change

__all__ = ["Alignment", "Composer", "Rewrite"]


class Rewrite(NamedTuple):
    """A stretch of the source (``source_start``, ``source_end``) that the cleaned text
    writes otherwise (``clean_start``, ``clean_end``): either may be empty (an insertion, a
    deletion)."""

    source_start: int
    source_end: int
    clean_start: int
    clean_end: int


@dataclass(frozen=True)
class Alignment:
    """The source, the cleaned text and the rewrites between them, in order.

    Outside the rewrites the texts are equal: ``text[clean_end:next_clean_start] ==
    source[source_end:next_source_start]``, and the stretches before the first have equal
    offsets.
    """

    source: str
    text: str
    rewrites: tuple[Rewrite, ...]

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """The source span that the cleaned span ``text[start:end]`` came from.

        A span inside a rewrite maps to all of what it rewrote; text a step inserted maps to
        the place where it was inserted (an empty span).
        """
        _check_span(start, end, len(self.text))
        return _mapped(self._from_clean, start, end)

    def to_clean(self, start: int, end: int) -> tuple[int, int] | None:
        """The cleaned span that ``source[start:end]`` became, or None if all of it was
        removed (an empty span maps to the place it is at)."""
        _check_span(start, end, len(self.source))
        mapped = _mapped(self._from_source, start, end)
        if start < end and mapped[0] == mapped[1]:
            return None
        return mapped

    @cached_property
    def _from_clean(self) -> _Side:
        return _side(self.rewrites, from_clean=True)

    @cached_property
    def _from_source(self) -> _Side:
        return _side(self.rewrites, from_clean=False)

    def runs(self) -> list[int]:
        """The map as numbers, for readers without this library: the length of an equal
        stretch, then for each rewrite its length in the source and in the cleaned text
        followed by the length of the equal stretch after it (``[equal, source, clean,
        equal, source, clean, equal, …]``, one number and then threes).

        >>> from cleantext import align
        >>> align("a  b .").runs()
        [2, 1, 0, 1, 1, 0, 1]
        """
        runs: list[int] = []
        source_at = 0
        for rewrite in self.rewrites:
            runs += [
                rewrite.source_start - source_at,
                rewrite.source_end - rewrite.source_start,
                rewrite.clean_end - rewrite.clean_start,
            ]
            source_at = rewrite.source_end
        runs.append(len(self.source) - source_at)
        return runs

    @classmethod
    def from_runs(cls, source: str, text: str, runs: Iterable[int]) -> Alignment:
        """The alignment that ``runs()`` wrote.

        >>> from cleantext import align
        >>> alignment = align("a  b .")
        >>> Alignment.from_runs(alignment.source, alignment.text, alignment.runs()) == alignment
        True
        """
        numbers = list(runs)
        if len(numbers) % 3 != 1 or min(numbers, default=-1) < 0:
            raise ValueError("runs are one length and then threes, none negative")
        rewrites = []
        source_at = clean_at = numbers[0]
        for source_length, clean_length, equal in zip(*[iter(numbers[1:])] * 3, strict=True):
            end, clean_end = source_at + source_length, clean_at + clean_length
            rewrites.append(Rewrite(source_at, end, clean_at, clean_end))
            source_at, clean_at = end + equal, clean_end + equal
        if (source_at, clean_at) != (len(source), len(text)):
            raise ValueError("the runs do not cover both texts")
        return cls(source, text, tuple(rewrites))


def _check_span(start: int, end: int, length: int) -> None:
    if not 0 <= start <= end <= length:
        raise ValueError(f"span ({start}, {end}) is not within a text of {length} characters")


class _Side(NamedTuple):
    """The starts and ends of the rewrites on one side, and on the other."""

    starts: list[int]
    ends: list[int]
    other_starts: list[int]
    other_ends: list[int]


def _side(rewrites: tuple[Rewrite, ...], from_clean: bool) -> _Side:
    source = ([r.source_start for r in rewrites], [r.source_end for r in rewrites])
    clean = ([r.clean_start for r in rewrites], [r.clean_end for r in rewrites])
    return _Side(*clean, *source) if from_clean else _Side(*source, *clean)


def _mapped(side: _Side, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` mapped from one side of the rewrites to the other."""
    starts, ends, other_starts, other_ends = side
    # The start: inside a rewrite, its start on the other side; else shifted by the last
    # rewrite that ends at or before it (after a deletion at that place: past it).
    k = bisect.bisect_right(starts, start) - 1
    if k >= 0 and start < ends[k]:
        mapped_start = other_starts[k]
    else:
        k = bisect.bisect_right(ends, start) - 1
        mapped_start = start if k < 0 else other_ends[k] + start - ends[k]
    # The end: inside a rewrite (or at its end), its end on the other side; else shifted by
    # the last rewrite that ends before it (before a deletion at that place: short of it).
    k = bisect.bisect_left(starts, end) - 1
    if k >= 0 and end <= ends[k]:
        mapped_end = other_ends[k]
    else:
        k = bisect.bisect_left(ends, end) - 1
        mapped_end = end if k < 0 else other_ends[k] + end - ends[k]
    return mapped_start, max(mapped_start, mapped_end)


#: Who made a rewrite: each change's normalizer and reason, in the order they were made.
Label = tuple[tuple[str, str], ...]


class Composer:
    """The rewrites of a run of steps, composed one step at a time (``add``), each with the
    normalizers and reasons of the changes it is made of (``labels``, in the same order)."""

    def __init__(self) -> None:
        # Rewrites with their clean side in the text after the last step added.
        self.rewrites: list[Rewrite] = []
        self.labels: list[Label] = []

    def add(self, changes: Iterable[Change]) -> None:
        """Add a step, by its changes (offsets into its input, in order, not overlapping)."""
        composed = list(_composed(self.rewrites, self.labels, sorted(changes, key=_change_start)))
        self.rewrites = [rewrite for rewrite, _ in composed]
        self.labels = [label for _, label in composed]


def _change_start(change: Change) -> tuple[int, int]:
    return change.start, change.end


def _composed(
    rewrites: list[Rewrite], labels: list[Label], changes: list[Change]
) -> Iterator[tuple[Rewrite, Label]]:
    """``rewrites`` (their clean side in a step's input, with their ``labels``) followed by
    ``changes`` (the step's changes), as rewrites whose clean side is in the step's output,
    each labelled with what it is made of.

    Rewrites and changes that overlap in the step's input become one rewrite; those that
    only touch stay apart, so that a span maps no wider than what rewrote it.
    """
    # Every interval of the step's input, in order of start: an old rewrite (kind 0) or a
    # change (kind 1), the change without what its two sides start and end with alike
    # (``said.`` -> ``said.”`` inserts one mark: reported as words, it is mapped as what it
    # changed).
    events = sorted(
        [(r.clean_start, r.clean_end, 0, i) for i, r in enumerate(rewrites)]
        + [(*_changed_part(c), 1, i) for i, c in enumerate(changes)]
    )
    shift = 0  # how much longer the output is than the input, before the current group
    delta = 0  # input offset minus source offset in the equal stretch before the group
    k = 0
    while k < len(events):
        first, end = events[k][0], events[k][1]
        source_start: int | None = None
        source_end: int | None = None
        group_delta = delta
        growth = 0
        label: dict[tuple[str, str], None] = {}  # ordered, without repeats
        group_start = k
        while k < len(events) and (k == group_start or events[k][0] < end):
            begin, stop, kind, index = events[k]
            if kind == 0:
                rewrite = rewrites[index]
                if begin == first and source_start is None:
                    source_start = rewrite.source_start
                if stop >= end:
                    source_end = rewrite.source_end
                group_delta = rewrite.clean_end - rewrite.source_end
                label.update(dict.fromkeys(labels[index]))
            else:
                change = changes[index]
                growth += len(change.after) - len(change.before)
                label[change.normalizer, change.reason] = None
                if stop > end:
                    source_end = None  # the change reaches further: an equal stretch's place
            end = max(end, stop)
            k += 1
        if source_start is None:
            source_start = first - delta
        if source_end is None:
            source_end = end - group_delta
        yield Rewrite(source_start, source_end, first + shift, end + shift + growth), tuple(label)
        shift += growth
        delta = group_delta


def _changed_part(change: Change) -> tuple[int, int]:
    """Where in the step's input a change's two sides differ: its span without the
    characters both sides start and end with."""
    before, after = change.before, change.after
    same = 0
    while same < min(len(before), len(after)) and before[same] == after[same]:
        same += 1
    tail = 0
    while tail < min(len(before), len(after)) - same and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return change.start + same, change.end - tail
