"""fix_mojibake against real mojibake: ftfy's own test cases and spans found in news data."""

from __future__ import annotations

import json

import ftfy
import pytest

from cleantext.encoding import MOJIBAKE_HINT, fix_mojibake

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
