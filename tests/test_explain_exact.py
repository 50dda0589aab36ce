"""What ``explain`` and ``align`` do for speed changes no change they report.

The changes (which the audit's verdicts are keyed by) must stay the ones the plain forms
give: cydifflib's compiled ``SequenceMatcher`` where it is installed, against difflib's; the
segment pattern, against its plain lazy form; the common-prefix search, against a loop.
"""

from __future__ import annotations

import difflib
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext import preset

explain = sys.modules["cleantext.explain"]  # (the package exports a function of that name)

# Few distinct tokens, so that sequences share runs and repeat: what the matcher's longest
# blocks, its junk heuristic (over 200 items) and its ties are about.
TOKENS = st.lists(st.sampled_from(["a", "b", "c", " ", "\n", "the", ".", "é"]), max_size=260)


@settings(max_examples=600, deadline=None, database=None)
@given(TOKENS, TOKENS, st.booleans())
def test_the_matcher_gives_difflibs_opcodes(old, new, autojunk):
    found = explain.SequenceMatcher(None, old, new, autojunk).get_opcodes()
    assert [tuple(op) for op in found] == difflib.SequenceMatcher(
        None, old, new, autojunk
    ).get_opcodes()


def test_changes_are_those_difflib_gives(monkeypatch):
    pipeline = preset("default")
    text = (
        "He said , then left .Colin ( left ) agreed ;It 's the  end.Next one\n"
        "Tickets cost Â£5  today .And the the  council met. The council met."
    )
    steps = pipeline.run(text)
    assert steps
    fast = [explain.changes_between(step.name, before, after) for step, before, after in steps]
    monkeypatch.setattr(explain, "SequenceMatcher", difflib.SequenceMatcher)
    slow = [explain.changes_between(step.name, before, after) for step, before, after in steps]
    assert fast == slow


def test_the_compiled_matcher_is_used_where_installed():
    pytest.importorskip("cydifflib", reason="cydifflib is not installed here")
    assert explain.SequenceMatcher.__module__.startswith("cydifflib")


# ``explain.SEGMENT`` as first written: up to the first place a segment may end, lazily.
PLAIN_SEGMENT = re.compile(r"[^\r\n]*?(?:[.!?…][\"'’”)\]]* +(?=[^\s.!?…])|\r\n|[\r\n]|\Z)")
SEGMENT_PIECES = ["a", " ", "  ", ".", "!", "?", "…", '"', "'", "’", "”", ")", "]", "\n", "\r"]


@settings(max_examples=1000, deadline=None, database=None)
@given(st.lists(st.sampled_from([*SEGMENT_PIECES, "\r\n", "b.", "\t", "\u00a0"]), max_size=16))
def test_segments_are_those_of_the_plain_pattern(pieces):
    text = "".join(pieces)
    assert explain.SEGMENT.findall(text) == PLAIN_SEGMENT.findall(text)


@settings(max_examples=1000, deadline=None, database=None)
@given(st.text("ab", max_size=40), st.text("ab", max_size=12), st.booleans())
def test_common_prefix_is_the_one_a_loop_finds(start, rest, as_list):
    a, b = start + rest, start
    if as_list:
        a, b = list(a), list(b)
    expected = 0
    while expected < min(len(a), len(b)) and a[expected] == b[expected]:
        expected += 1
    assert explain._common_prefix(a, b) == explain._common_prefix(b, a) == expected
