"""Locate what a normalizer changed, as a list of :class:`Change` records.

Explanations are computed by running the normalizers themselves and comparing each step's
input and output, so an explanation can never disagree with what ``clean`` does.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, compress, count
from operator import not_
from typing import Any

try:  # difflib's matcher compiled, with the same answers (tests/test_explain_exact.py)
    from cydifflib import SequenceMatcher  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - a platform without its wheels
    from difflib import SequenceMatcher

__all__ = ["Change", "SourcePositions", "changes_between", "with_reasons"]

# The units a change is reported in: words, line breaks, runs of other whitespace, and
# single other characters.
DIFF_TOKEN = re.compile(r"\w+|\r\n|[\r\n]|[^\S\r\n]+|[^\w\s]")
# Segments compared before tokens: a line with its break, or a sentence with its closing
# quotes or brackets and the spaces after it, when more of the line follows that is not
# another mark (``. . .`` is one ellipsis, not three sentences; trailing spaces
# stay with their line, so that a line and the same line without them fall in step).
# Tokens from which two stretches that differ in whitespace only are compared pair by pair
# (``_differences``): below, the matcher is as cheap, and it says the same.
SMALL_DIFF = 200
# Characters up to which the stretch that two texts differ in is compared token by token at
# once (longer, it is cut into segments first).
SHORT_STRETCH = 400
# (Read as ``[^\r\n]*?`` up to the first place where a segment may end, which tries that at
# every character; here runs without a line break or a sentence mark go at once, and so do
# marks that end no sentence.)
_SENTENCE_END = r"[.!?…][\"'’”)\]]* +(?=[^\s.!?…])"
SEGMENT = re.compile(
    rf"(?:[^\r\n.!?…]+|(?!{_SENTENCE_END})[.!?…])*(?:{_SENTENCE_END}|\r\n|[\r\n]|\Z)"
)


@dataclass(frozen=True)
class Change:
    """One change made by one normalizer.

    ``start`` and ``end`` are offsets into the text *as that normalizer received it*;
    ``before`` is ``text[start:end]`` and ``after`` is what replaced it.
    """

    normalizer: str
    start: int
    end: int
    before: str
    after: str
    reason: str = ""

    def line(self, text: str) -> int:
        """The 1-based line of ``text`` (the normalizer's input) on which the change starts."""
        return text.count("\n", 0, self.start) + 1


def _token_changes(name: str, old: str, new: str, offset: int) -> list[Change]:
    """Token-level changes between two differing stretches of text."""
    old_tokens = DIFF_TOKEN.findall(old)
    new_tokens = DIFF_TOKEN.findall(new)
    old_starts = _starts(old_tokens)
    new_starts = _starts(new_tokens)
    # Spans [i1, i2) of old tokens and [j1, j2) of new tokens that differ.  Two edits with a
    # single unchanged token between them (``c ,d`` -> ``c, d``) read better as one change.
    spans: list[list[int]] = []
    for i1, i2, j1, j2 in _differences(old_tokens, new_tokens):
        if spans and i1 - spans[-1][1] <= 1 and j1 - spans[-1][3] <= 1:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    # Character offsets [old_start, old_end, new_start, new_end] of each span.
    regions = [
        [old_starts[i1], old_starts[i2], new_starts[j1], new_starts[j2]] for i1, i2, j1, j2 in spans
    ]
    for k, region in enumerate(regions):
        start, end, new_start, new_end = region
        if (old[start:end] + new[new_start:new_end]).isspace():
            continue
        # Report whole words (``cafÃ©`` -> ``café``, not ``Ã©`` -> ``é``).  Text between two
        # spans is identical on both sides, so both sides widen by the same amount, and a
        # span never widens past its neighbours.
        floor = regions[k - 1][1] if k else 0
        ceiling = regions[k + 1][0] if k + 1 < len(regions) else len(old)
        left, right = start, end
        while left > floor and not old[left - 1].isspace():
            left -= 1
        while right < ceiling and not old[right].isspace():
            right += 1
        region[:] = [left, right, new_start - (start - left), new_end + (right - end)]
    merged: list[list[int]] = []
    for region in regions:
        if merged and region[0] == merged[-1][1]:  # touching spans read as one change
            merged[-1][1], merged[-1][3] = region[1], region[3]
        else:
            merged.append(region)
    return [
        Change(name, offset + start, offset + end, old[start:end], new[new_start:new_end])
        for start, end, new_start, new_end in merged
    ]


def _differences(old: list[str], new: list[str]) -> Iterator[tuple[int, int, int, int]]:
    """The spans of ``old`` and ``new`` tokens that differ, in order (``SequenceMatcher``'s
    opcodes other than ``equal``).

    Where the two differ in whitespace only (a step that spaced glued sentences, or removed
    spaces before marks, all through a long line), the other tokens pair up in order, and
    only the whitespace between two pairs can differ: found so in linear time, where the
    matcher costs a square of the tokens.
    """
    small = len(old) + len(new) < SMALL_DIFF
    # (The tokens that are not whitespace, and where they are, picked in C.)
    old_solid = [] if small else list(map(not_, map(str.isspace, old)))
    new_solid = [] if small else list(map(not_, map(str.isspace, new)))
    if small or list(compress(old, old_solid)) != list(compress(new, new_solid)):
        first = _common_prefix(old, new)
        last = _common_prefix(old[first:][::-1], new[first:][::-1])
        middle_old, middle_new = old[first : len(old) - last], new[first : len(new) - last]
        matcher = SequenceMatcher(None, middle_old, middle_new, autojunk=len(middle_old) > 2000)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                yield first + i1, first + i2, first + j1, first + j2
        return
    # Between consecutive pairs (and before the first, after the last): whitespace only.
    solid_old, solid_new = compress(count(), old_solid), compress(count(), new_solid)
    i_at = j_at = 0
    for i, j in [*zip(solid_old, solid_new, strict=True), (len(old), len(new))]:
        # The tokens a gap starts and ends with alike (a line's break after its trailing
        # spaces) are equal, as the matcher finds them.
        start, end, new_start, new_end = i_at, i, j_at, j
        while start < end and new_start < new_end and old[start] == new[new_start]:
            start, new_start = start + 1, new_start + 1
        while start < end and new_start < new_end and old[end - 1] == new[new_end - 1]:
            end, new_end = end - 1, new_end - 1
        if (start, new_start) != (end, new_end):
            yield start, end, new_start, new_end
        i_at, j_at = i + 1, j + 1


def _starts(tokens: list[str]) -> list[int]:
    """Offsets where each token starts, plus the total length as a final sentinel."""
    return list(accumulate(map(len, tokens), initial=0))


def _segments(text: str) -> list[str]:
    """``text`` cut after each line break and after each sentence end followed by spaces.

    >>> _segments("One. Two?  Three\\nfour")
    ['One. ', 'Two?  ', 'Three\\n', 'four']
    """
    return [segment for segment in SEGMENT.findall(text) if segment]


def _words(segment: str) -> str:
    """A segment without its spaces: what two segments that differ in spacing share
    (``Heritage . `` and ``Heritage.``, a space before a mark removed)."""
    return "".join(segment.split())


def changes_between(name: str, old: str, new: str) -> list[Change]:
    """The changes that turn ``old`` into ``new``, located first by segment, then by token.

    Segments are lines and, inside long lines, sentences: a token-level comparison of a
    whole flattened article (one line of thousands of tokens) costs tens of milliseconds
    per change, a comparison of the sentences that differ almost nothing.

    >>> for change in changes_between("demo", "a  b\\nkeep\\nc ,d", "a b\\nkeep\\nc, d"):
    ...     print(change.start, change.end, repr(change.before), repr(change.after))
    1 3 '  ' ' '
    10 14 'c ,d' 'c, d'
    >>> for change in changes_between("demo", "One.  \\n \\nTwo.  \\n", "One.\\n\\nTwo.\\n"):
    ...     print(change.start, change.end, repr(change.before), repr(change.after))
    4 6 '  ' ''
    7 8 ' ' ''
    13 15 '  ' ''
    """
    if old == new:
        return []
    # Only the stretch from the first difference to the last is compared: the rest is
    # equal, and a step that changed one place in a long text would pay for all of it.  A
    # short stretch inside a line, widened to whole words, is compared token by token at
    # once; any other is cut into its lines' segments first.
    same = _common_prefix(old, new)
    tail = _common_prefix(old[same:][::-1], new[same:][::-1])
    start, end = _word_start(old, same), _word_end(old, len(old) - tail)
    new_end = len(new) - (len(old) - end)
    stretch, new_stretch = old[start:end], new[start:new_end]
    if (
        len(stretch) <= SHORT_STRETCH
        and len(new_stretch) <= SHORT_STRETCH
        and "\n" not in stretch
        and "\n" not in new_stretch
    ):
        return _token_changes(name, stretch, new_stretch, start)
    offset = old.rfind("\n", 0, same) + 1
    line_end = old.find("\n", len(old) - tail)
    old_end = len(old) if line_end < 0 else line_end + 1
    old, new = old[offset:old_end], new[offset : len(new) - (len(old) - old_end)]
    old_lines = _segments(old)
    new_lines = _segments(new)
    old_starts = _starts(old_lines)
    new_starts = _starts(new_lines)
    # Segments are matched by their words and marks: where a step changed only spaces, every
    # line differs, and a comparison of whole lines matched the wrong ones (paragraphs were
    # reported as deleted and inserted again).  Segments matched so are then compared one
    # by one.
    old_words = [_words(line) for line in old_lines]
    new_words = [_words(line) for line in new_lines]
    # Where the step changed spaces only, the segments pair one to one (what the matcher
    # would find, at a fraction of its cost).
    opcodes = (
        [("equal", 0, len(old_words), 0, len(new_words))]
        if old_words == new_words
        else SequenceMatcher(None, old_words, new_words, False).get_opcodes()
    )
    found: list[Change] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                if old_lines[i] != new_lines[j]:
                    found.extend(
                        _token_changes(name, old_lines[i], new_lines[j], offset + old_starts[i])
                    )
            continue
        old_part = old[old_starts[i1] : old_starts[i2]]
        new_part = new[new_starts[j1] : new_starts[j2]]
        found.extend(_token_changes(name, old_part, new_part, offset + old_starts[i1]))
    # An insertion may be followed by a change at the same place (a line given its break,
    # then lines inserted there): two changes with one start, whose order a replay cannot
    # tell, so they are reported as one.
    merged: list[Change] = []
    for change in found:
        if merged and merged[-1].start == merged[-1].end == change.start:
            last = merged[-1]
            merged[-1] = replace(
                last,
                end=change.end,
                before=last.before + change.before,
                after=last.after + change.after,
            )
        else:
            merged.append(change)
    return merged


def _word_start(text: str, at: int) -> int:
    """Where the word around ``text[at]`` starts, and the whitespace before it: a place
    where no token (``DIFF_TOKEN``) is cut."""
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at


def _word_end(text: str, at: int) -> int:
    """Where the word that ends at or goes on past ``at`` ends, and the whitespace after it."""
    while at < len(text) and not text[at].isspace():
        at += 1
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _common_prefix(a: Sequence[Any], b: Sequence[Any]) -> int:
    """How many characters (or tokens) ``a`` and ``b`` start with alike: spans twice as long
    each time are compared while they are alike, then the span that is not is halved (in C:
    a loop over the items costs as much as the comparison of a step's texts saves, and a
    difference near the start is found at once).

    >>> _common_prefix("abcdef", "abcxef"), _common_prefix("abc", "ab"), _common_prefix([], [1])
    (3, 2, 0)
    """
    limit = min(len(a), len(b))
    low, size = 0, 1
    while low < limit and a[low : low + size] == b[low : low + size]:
        low, size = min(limit, low + size), size * 2
    high = min(limit, low + size)
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def with_reasons(changes: list[Change], reasons: list[tuple[int, int, str]]) -> list[Change]:
    """Attach to each change the reason given for a span it overlaps."""
    if not reasons:
        return changes
    explained = []
    for change in changes:
        reason = next(
            (why for start, end, why in reasons if start <= change.end and change.start <= end),
            "",
        )
        explained.append(replace(change, reason=reason) if reason else change)
    return explained


class SourcePositions:
    """Where a place in the text a step received was in the pipeline's input.

    Steps are added in order with their changes (as :func:`changes_between` lists them);
    :meth:`source` maps a place in the input of the next step back through every step
    added.  A place inside what a change wrote maps to the place as far into what it
    replaced, in proportion (``\\r\\n\\r\\n`` made ``\\n\\n``: the second ``\\n`` was the
    second ``\\r\\n``); an insertion maps to where it was inserted.

    >>> source, repaired = "Tickets cost Â£5  today .", "Tickets cost £5  today ."
    >>> positions = SourcePositions()
    >>> positions.add(changes_between("fix_mojibake", source, repaired))
    >>> positions.add(changes_between("remove_space", repaired, "Tickets cost £5  today."))
    >>> at = positions.source(len("Tickets cost £5  today"))  # the full stop, cleaned
    >>> at, source[at]
    (24, '.')
    """

    def __init__(self) -> None:
        # Per step, per change in order: where it starts and ends in the step's output,
        # and in its input.
        self._steps: list[tuple[list[int], list[int], list[int], list[int]]] = []

    def add(self, changes: list[Change]) -> None:
        """Add a step, by its changes (offsets into its input)."""
        out_starts: list[int] = []
        out_ends: list[int] = []
        in_starts: list[int] = []
        in_ends: list[int] = []
        shift = 0  # how much longer the output is than the input so far
        for change in sorted(changes, key=lambda c: c.start):
            out_starts.append(change.start + shift)
            out_ends.append(change.start + shift + len(change.after))
            in_starts.append(change.start)
            in_ends.append(change.end)
            shift += len(change.after) - len(change.before)
        self._steps.append((out_starts, out_ends, in_starts, in_ends))

    def source(self, place: int) -> int:
        """Where ``place`` (in the next step's input) was in the pipeline's input."""
        for out_starts, out_ends, in_starts, in_ends in reversed(self._steps):
            k = bisect.bisect_right(out_starts, place) - 1
            if k < 0:
                continue  # before the step's first change: nothing moved
            if place < out_ends[k]:
                written, replaced = out_ends[k] - out_starts[k], in_ends[k] - in_starts[k]
                place = in_starts[k] + (place - out_starts[k]) * replaced // written
            else:
                place = in_ends[k] + place - out_ends[k]
        return place
