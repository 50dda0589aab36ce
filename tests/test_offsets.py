"""The offset map of ``align``: for every normalizer and preset, on drawn text, the corpus and
the real data in ``../shared``, it covers both texts, keeps order, and maps every stretch
outside a rewrite onto equal text."""

from __future__ import annotations

import importlib
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext import PRESETS, Alignment, Pipeline, align, all_normalizers, clean, preset
from cleantext.testing import any_text, damaged_articles

from .conftest import ROOT, read_text, shared_path
from .test_corpus import DOCUMENTS

PIPELINES = [Pipeline([n], name=n.name) for n in all_normalizers()] + [
    preset(name) for name in PRESETS
]
# A capitalised word: the stand-in for an entity found in cleaned text.
NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")


def check(alignment: Alignment) -> None:
    """The map's promises, or an assertion error that says which one broke."""
    source, text = alignment.source, alignment.text
    source_at = clean_at = 0
    for rewrite in alignment.rewrites:
        assert source_at <= rewrite.source_start <= rewrite.source_end, rewrite
        assert clean_at <= rewrite.clean_start <= rewrite.clean_end, rewrite
        equal = rewrite.source_start - source_at
        assert equal == rewrite.clean_start - clean_at, ("unequal stretch", rewrite)
        assert source[source_at : rewrite.source_start] == text[clean_at : rewrite.clean_start]
        source_at, clean_at = rewrite.source_end, rewrite.clean_end
    assert len(source) - source_at == len(text) - clean_at, "the map does not cover both"
    assert source[source_at:] == text[clean_at:]
    assert Alignment.from_runs(source, text, alignment.runs()) == alignment


def check_names(alignment: Alignment) -> None:
    """Each capitalised word of the cleaned text maps back onto the same word of the source
    where no rewrite touches it, and onto text that holds it otherwise (or the place where
    it was inserted)."""
    for match in NAME.finditer(alignment.text):
        start, end = alignment.to_source(match.start(), match.end())
        inside = alignment.source[start:end]
        touched = any(
            r.clean_start < match.end() and match.start() < r.clean_end for r in alignment.rewrites
        )
        if not touched:
            assert inside == match.group(), (match.group(), inside)
            assert alignment.to_clean(start, end) == match.span()
        else:
            assert start <= end


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: p.name)
def test_map_of_every_normalizer_and_preset(pipeline):
    @settings(max_examples=60, deadline=None, database=None)
    @given(any_text())
    def mapped(text: str) -> None:
        alignment = pipeline.align(text)
        assert alignment.source == text
        assert alignment.text == pipeline(text)
        check(alignment)
        check_names(alignment)

    mapped()


@settings(max_examples=100, deadline=None, database=None)
@given(damaged_articles(), st.data())
def test_spans_map_in_order_both_ways(article, data):
    alignment = align(article)
    size = len(alignment.text)
    a = data.draw(st.integers(0, size))
    b = data.draw(st.integers(a, size))
    c = data.draw(st.integers(b, size))
    first, second = alignment.to_source(a, b), alignment.to_source(b, c)
    # In order (spans that share a rewrite both map to all of it, so they may overlap).
    assert first[0] <= first[1] and second[0] <= second[1]
    assert first[0] <= second[0] and first[1] <= second[1]
    if a < b < c:  # (an empty span at a deletion maps past it, as a span starting there)
        assert alignment.to_source(a, c) == (first[0], second[1])
    # Back again: the cleaned span of a source span holds what it came from, unless it
    # holds inserted text, which came from no source text.
    inserted = any(
        r.source_start == r.source_end and r.clean_start < b and a < r.clean_end
        for r in alignment.rewrites
    )
    back = alignment.to_clean(*alignment.to_source(a, b))
    if back is not None and not inserted:
        assert back[0] <= a and b <= back[1]


def test_rewrites_map_whole_and_removals_say_so():
    source = "Prices rose . Scroll down for video\nThe cafÃ© opened on Main Street ."
    alignment = align(source)
    assert alignment.text == clean(source) == "Prices rose.\nThe café opened on Main Street."
    cafe = alignment.text.index("café")
    assert alignment.to_source(cafe, cafe + 4) == (source.index("cafÃ©"), source.index(" opened"))
    street = alignment.text.index("Main Street")
    assert alignment.to_source(street, street + 11) == (
        source.index("Main Street"),
        source.index("Main Street") + 11,
    )
    assert alignment.to_clean(source.index("Scroll"), source.index("\n")) is None
    # A span of a rewrite maps to all of what it rewrote (``é`` to ``Ã©``), the rest of the
    # word to itself; an empty span to its place.
    broken = source.index("Ã©")
    assert alignment.to_source(cafe + 3, cafe + 4) == (broken, broken + 2)
    word = source.index("cafÃ©")
    assert alignment.to_source(cafe + 1, cafe + 2) == (word + 1, word + 2)
    assert alignment.to_source(0, 0) == (0, 0)
    with pytest.raises(ValueError, match="not within"):
        alignment.to_source(5, len(alignment.text) + 1)
    with pytest.raises(ValueError, match="not within"):
        alignment.to_clean(3, 2)


def test_inserted_text_maps_to_the_place_it_was_inserted():
    source = "“It rained. She said.\n\nThe end."
    alignment = align(source)
    assert alignment.text == "“It rained. She said.”\n\nThe end."
    closer = alignment.text.index("”")
    place = source.index("\n")
    assert alignment.to_source(closer, closer + 1) == (place, place)


def test_runs_are_plain_numbers_that_rebuild_the_map():
    alignment = align("a  b .")
    assert alignment.runs() == [2, 1, 0, 1, 1, 0, 1]  # "a " kept, " " gone, "b" kept…
    with pytest.raises(ValueError, match="cover"):
        Alignment.from_runs(alignment.source, alignment.text, [1, 2, 1, 9])
    with pytest.raises(ValueError, match="threes"):
        Alignment.from_runs(alignment.source, alignment.text, [1, 2])


def test_a_text_that_does_not_settle_is_mapped_to_itself(monkeypatch):
    pipeline = Pipeline(["collapse_spaces"])
    # PIPELINE_ROUNDS is read when the passes run: with none, nothing settles.
    monkeypatch.setattr(importlib.import_module("cleantext.pipeline"), "PIPELINE_ROUNDS", 0)
    alignment = pipeline.align("a  b")
    assert (alignment.text, alignment.rewrites) == ("a  b", ())


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_corpus_maps(path):
    alignment = align(read_text(path))
    check(alignment)
    check_names(alignment)


def test_real_data_maps():
    """Every document of ``../shared`` (over 10,000): outside the rewrites, equal text."""
    shared_path("data")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    audit = importlib.import_module("audit")
    count = 0
    for _label, text in audit.audit_documents():
        alignment = align(text)
        assert alignment.text == clean(text)
        check(alignment)
        count += 1
    assert count > 10_000
