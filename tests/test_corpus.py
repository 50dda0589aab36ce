"""Golden tests: our corpus documents and the seed article against their expected forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleantext import clean, explain

from .conftest import CORPUS, read_text, shared_path

DOCUMENTS = sorted(p for p in CORPUS.glob("*.txt") if not p.name.endswith(".expected.txt"))


def expected_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".txt") + ".expected.txt")


def test_corpus_is_not_empty():
    assert DOCUMENTS, f"no documents in {CORPUS}"
    for path in DOCUMENTS:
        assert expected_path(path).exists(), f"{path.name} has no expected version"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_corpus_document(path):
    # Expected files are stored as text files, ending in one newline; clean() strips it.
    expected = read_text(expected_path(path))
    assert clean(read_text(path)) + "\n" == expected


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_expected_versions_are_fixed_points(path):
    expected = read_text(expected_path(path))
    assert clean(expected) + "\n" == expected


SEED = ("seed", "000_5975b0bfc26f3497.txt")


def test_seed_explain_lists_changes():
    raw = read_text(shared_path(*SEED))
    changes = explain(raw)
    assert changes, "the seed needs repairs; explain found none"
    first = changes[0]  # the leaked record field and the stray space before it
    assert (first.normalizer, first.start) == ("remove_leading_metadata", 0)
    assert first.before.startswith(" date 2022-08-21") and not first.after.startswith("date")
    assert "collapse_doubled_punctuation" in {c.normalizer for c in changes}  # "on set. ."


def test_seed_golden():
    raw = read_text(shared_path(*SEED))
    expected = read_text(shared_path("seed", "000_5975b0bfc26f3497.expected.txt"))
    assert clean(raw) + "\n" == expected
