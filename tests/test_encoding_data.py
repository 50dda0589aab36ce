"""fix_mojibake against real mojibake: ftfy's own test cases and spans found in news data."""

from __future__ import annotations

import json

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext.core import fixed_point
from cleantext.encoding import (
    _FTFY_ENCODING_ONLY,
    C1_CONTROL,
    MAX_ROUNDS,
    MOJIBAKE_HINT,
    _character_stage,
    _repair,
    _repaired,
    fix_mojibake,
)
from cleantext.testing import ALL_CODE_POINTS, _mojibake, damaged_articles, hostile_text

from .conftest import shared_path


def ftfy_cases(name: str) -> list[dict]:
    return json.loads(shared_path("data", "ftfy-test-cases", name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["in-the-wild.json", "synthetic.json"])
def test_matches_ftfy_encoding_repair(name):
    """Each case's ``fixed-encoding`` (ftfy's encoding steps only) is what we produce."""
    cases = [c for c in ftfy_cases(name) if "fixed-encoding" in c and c.get("expect") == "pass"]
    assert cases, f"{name} has no encoding-only cases"
    wrong = [
        (c["original"], fix_mojibake(c["original"]))
        for c in cases
        if fix_mojibake(c["original"]) != c["fixed-encoding"]
    ]
    assert not wrong, wrong[:3]


def test_language_names_match_ftfy():
    """Cases without an encoding-only answer: same result as ftfy.fix_encoding."""
    for case in ftfy_cases("language-names.json"):
        assert fix_mojibake(case["original"]) == ftfy.fix_encoding(case["original"])


def test_pre_check_never_hides_mojibake_from_ftfy():
    """Whenever ftfy's encoding repair would change a line, the cheap pre-check lets it through."""
    lines = [
        line
        for name in (
            "in-the-wild.json",
            "synthetic.json",
            "language-names.json",
            "negative.json",
            "known-failures.json",
        )
        for case in ftfy_cases(name)
        for line in case["original"].split("\n")
    ]
    hidden = [
        line for line in lines if ftfy.fix_encoding(line) != line and not MOJIBAKE_HINT.search(line)
    ]
    assert not hidden, hidden[:3]


def test_negative_cases_unchanged():
    """Text that only looks like mojibake stays as it is (where ftfy agrees)."""
    cases = [c for c in ftfy_cases("negative.json") if c["fixed"] == c["original"]]
    changed = [c["original"] for c in cases if fix_mojibake(c["original"]) != c["original"]]
    assert not changed, changed[:3]


def test_mojibake_found_in_news_is_repaired_like_ftfy():
    path = shared_path("data", "mojibake-in-news", "found_in_collected_news.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 20
    for row in rows:
        assert fix_mojibake(row["original_full"]) == row["ftfy_fix_encoding_full"], row["doc_id"]


# --- ftfy is not asked again about its own output ---------------------------------------
#
# ``_repaired`` skips the question where the line is what ftfy returned: ftfy repairs until a
# step of its own changes nothing, so it gives its output back unchanged.  Both that promise
# (of the installed ftfy) and the result (against ``fixed_point``, asking every time) are
# checked on every case of ftfy's tests and on drawn mojibake.


def _repaired_asking_every_time(line: str) -> str:
    return fixed_point(lambda text: _repair(text) or text, line, MAX_ROUNDS)


def _check_repair_rounds(line: str) -> None:
    fixed = ftfy.fix_encoding(line, _FTFY_ENCODING_ONLY)
    assert ftfy.fix_encoding(fixed, _FTFY_ENCODING_ONLY) == fixed, line
    assert _repaired(line) == _repaired_asking_every_time(line), line


def test_ftfy_output_is_not_asked_again_on_ftfys_cases():
    originals = [
        case["original"]
        for name in ("in-the-wild.json", "synthetic.json", "language-names.json")
        for case in ftfy_cases(name)
    ]
    assert len(originals) > 100
    for original in originals:
        for line in original.split("\n"):
            _check_repair_rounds(line)


@settings(max_examples=150, deadline=None, database=None)
@given(st.one_of(damaged_articles(), hostile_text(), st.text(ALL_CODE_POINTS, max_size=60)))
def test_ftfy_output_is_not_asked_again(text):
    # Mojibake of mojibake, and with controls and zero-width characters in it: lines that
    # take ftfy more than one round.
    for line in (text, _mojibake(text), _mojibake(_mojibake(text)) + "\x81\u200b"):
        for piece in line.split("\n"):
            _check_repair_rounds(piece)


@pytest.mark.parametrize(
    "answers",
    [
        {"a": "b", "b": "b"},  # a repair that gives its line back: settled
        {"a": "b", "b": "c"},  # settled on the third round
        {"a": "b", "b": "a"},  # never settles: the line is left as it was
        {"a": "b", "b": "c", "c": "d", "d": "e", "e": "f"},  # settles past MAX_ROUNDS
    ],
)
def test_repair_rounds_end_as_fixed_point_ends(monkeypatch, answers):
    """The rounds of ``_repaired`` end where ``fixed_point``'s do, whatever ``_repair`` says
    (here a table; None where it finds nothing)."""
    monkeypatch.setattr(
        "cleantext.encoding._repair", lambda line, ftfy_output=False: answers.get(line)
    )
    assert _repaired("a") == fixed_point(lambda line: answers.get(line) or line, "a", MAX_ROUNDS)


@settings(max_examples=500, deadline=None, database=None)
@given(st.one_of(hostile_text(), st.text(ALL_CODE_POINTS, max_size=60)))
def test_without_c1_controls_the_c1_stage_is_the_other_one(text):
    """Why ``_candidates`` leaves out the stage that removes C1 controls where the line has
    none: the character stage makes none."""
    line = C1_CONTROL.sub("", text)
    assert _character_stage(line, c1=True) == _character_stage(line, c1=False)
