"""The cheap signs that let a normalizer skip its pattern must never hide a match.

Each repair first looks for a sign (a character, a substring, or a pattern that the search
skips to in C) and runs its full pattern only if the sign is there.  A sign that missed a
case would silently turn a repair off, so each one is checked here against its pattern on
text built from the very pieces the patterns are about.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from functools import partial

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from cleantext import (
    all_normalizers,
    captions,
    characters,
    get,
    kernels,
    preset,
    punctuation,
    quotes,
    tokenizers,
    whitespace,
)
from cleantext.core import Normalizer
from cleantext.document import paragraph_spans
from cleantext.testing import any_text, hostile_pieces

from .conftest import ROOT, shared_path

SEPARATORS = st.sampled_from([" ", " ", "", "  ", "\t", "\n", "\u00a0", "\u202f"])
WORDS = ["word", "Then", "a", "1"]


def _search(pattern: re.Pattern[str]) -> Callable[[str], object]:
    return pattern.search


def _orphan_sign(text: str) -> object:
    at_start = punctuation.MARK_AT_FIRST_LINE_START.match(text)
    return at_start or punctuation.MARK_AFTER_LINE_BREAK.search(text)


def _glued_sign(text: str) -> object:
    return punctuation.GLUED_AT_FULL_STOP.search(text) or "?" in text or "!" in text


def _digit_group_changes(text: str) -> bool:
    repaired = tokenizers.SPACED_DIGIT_GROUP.sub(tokenizers._joined_digit_groups, text)
    return repaired != text


# (name, sign, whether the full pattern finds something the sign must have seen, the pieces
# that texts for it are made of)
SIGNS = [
    (
        "doubled period",
        _search(punctuation.DOUBLED_PERIOD_SIGN),
        _search(punctuation.DOUBLED_PERIOD),
        [*WORDS, ".", "..", ",", ":", "”", ")", "…", "word. .", "”. ."],
    ),
    (
        "comma or colon before period",
        _search(punctuation.COMMA_OR_COLON_BEFORE_PERIOD),
        _search(punctuation.COMMA_OR_COLON_THEN_PERIOD),
        [*WORDS, ".", ",", ":", "”", "/", ", .", ":.", ",."],
    ),
    (
        "glued sentences",
        _glued_sign,
        _search(re.compile(punctuation._glued_at("[.?!]"))),
        ["word", "Then", "ab", "Ab", ".", "?", "!", "www.", "/", "@", "ab.Then", "ab?Ab"],
    ),
    (
        "orphan mark",
        _orphan_sign,
        _search(punctuation.ORPHAN_MARK_AT_LINE_START),
        [*WORDS, ".", ",", ";", ":", "...", ". . .", "\n", "\n. a", "\n ; a"],
    ),
    (
        "split clitic",
        tokenizers.has_split_contraction,
        _search(tokenizers.SPLIT_CLITIC),
        ["it", "do", "n't", "'s", "’S", "s", "t", "re", "m", "'", "’", "I", "it 's", "I ’M"],
    ),
    (
        "split apostrophe",
        tokenizers.has_split_contraction,
        _search(tokenizers.SPLIT_APOSTROPHE),
        ["it", "Let", "'s", "s", "t", "re", "ll", "m", "'", "’", "1", "Let’ s", "it' ll"],
    ),
    (
        "digit group",
        _search(tokenizers.SPACED_DIGIT_GROUP_SIGN),
        _digit_group_changes,
        ["140", "000", "1", "12", ",", ", ", "July", "and", "140, 000", "1, 200,000"],
    ),
    (
        "spaced double quotation",
        _search(tokenizers.SPACED_DOUBLE_CLOSER),
        _search(tokenizers.SPACED_DOUBLE_QUOTATION),
        [*WORDS, '"', ",", ".", "“", '" Hi , "', 'a "'],
    ),
    (
        "spaced single quotation",
        _search(tokenizers.SPACED_SINGLE_CLOSER),
        _search(tokenizers.SPACED_SINGLE_QUOTATION),
        [*WORDS, "'", ",", ".", "' Hi '", "a '"],
    ),
    (
        "spaced citation",
        _search(tokenizers.SPACED_CITATION_SIGN),
        _search(tokenizers.SPACED_CITATION),
        [*WORDS, ".", ",", "[", "]", "12", "[1]", "[ 1 ]", "[1 ]", "word . [2]"],
    ),
    (
        "space before mark",
        partial(tokenizers.SPACED_MARK_BRANCHES.reader(), k=1),
        _search(tokenizers.SPACE_BEFORE_MARK),
        [*WORDS, "?", "!", ":", ";", "”", ")", "P", "»", "Why ?", "says :", "no\u00a0!"],
    ),
    (
        "spaced double hyphen",
        _search(tokenizers.SPACED_DOUBLE_HYPHEN_SIGN),
        _search(tokenizers.SPACED_DOUBLE_HYPHEN),
        [*WORDS, ",", ";", "!", "_", "--", "-", "“", "said , --", "_did_ --"],
    ),
    (
        "spaced currency",
        _search(tokenizers.SPACED_CURRENCY_SIGN),
        _search(tokenizers.SPACED_CURRENCY),
        ["$", "£", "€", "¥", "5", "US", "a", "10", "$ 5", "US $ 5", "¥ 10"],
    ),
    (
        "spaced curly opener",
        partial(tokenizers.SPACED_QUOTE_BRANCHES.reader(), k=7),
        _search(tokenizers.SPACED_CURLY_OPENER),
        ["“", "‘", "„", "‚", "word", "'", "(", '"', "“ word", "‚\tword"],
    ),
    (
        "spaced closing mark",
        punctuation.has_spaced_closing_mark,
        _search(punctuation.SPACE_BEFORE_CLOSING_MARK),
        [*WORDS, ",", ";", ".", "...", "”", ")", "]", "'", ".com", " ,", " .", "etc.", "\t."],
    ),
    (
        "photo marker",
        _search(captions.PHOTO_MARKER_AT_BRACKET),
        _search(captions.PHOTO_MARKER),
        ["(", ")", "pictured", "left", "Smith", "second", "(pictured)", "( left )", "(file photo)"],
    ),
]


@pytest.mark.parametrize(("name", "sign", "pattern", "pieces"), SIGNS, ids=[s[0] for s in SIGNS])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_sign_never_hides_a_match(name, sign, pattern, pieces, data):
    words = data.draw(st.lists(st.sampled_from(pieces), max_size=12))
    text = "".join(word + data.draw(SEPARATORS) for word in words)
    if pattern(text):
        assert sign(text), f"{name}: the pattern matches {text!r} but its sign is not found"


# The quotation mark candidates as one pattern: the class of marks, then the conditions.
QUOTATION_MARK_CANDIDATE = re.compile("[\"“”'‘’]" + quotes.QUOTATION_MARK_IF)


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.sampled_from("ab1 _'’‘\"“”.\n"), max_size=30))
def test_quote_mark_candidate_per_mark_is_the_class(text):
    assert quotes.has_quotation_mark(text) == bool(QUOTATION_MARK_CANDIDATE.search(text))


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.sampled_from("ab1 _'’‘\"“”.\n"), max_size=30))
def test_quote_marks_left_out_of_the_search_are_apostrophes(text):
    """``QUOTATION_MARK_CANDIDATE`` skips marks between two letters or digits: each must be
    one that the role rules call an apostrophe or a prime anyway."""
    candidates = {m.start() for m in QUOTATION_MARK_CANDIDATE.finditer(text)}
    for match in quotes.QUOTE_CHAR.finditer(text):
        if match.start() not in candidates:
            assert quotes._role(text, match.start()) in (quotes.APOSTROPHE, quotes.PRIME)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("He said... then. . . and ... more", punctuation.DOUBLED_PERIOD_SIGN),
        (
            "It is at DailyMail .com, and so ... on a .5 mm wire",
            punctuation.has_spaced_closing_mark,
        ),
        ("It is what it's worth, the Halls’ farm", tokenizers.has_split_contraction),
        ('He said "Yes" and "No."', tokenizers.SPACED_DOUBLE_CLOSER),
        ("(CNN) and (left-wing) groups", captions.PHOTO_MARKER_AT_BRACKET),
    ],
)
def test_signs_stay_quiet_on_clean_text(text, sign):
    """The point of a sign: clean text does not wake the pattern behind it."""
    assert not getattr(sign, "search", sign)(text)


# --- Declared signs: the exact gates by which a pipeline skips a step -----------------------
#
# A normalizer's ``signs`` promise that, without any of them, it leaves a text unchanged (in
# every language, with its default options).  A pipeline with the compiled kernels skips a
# step whose signs a text lacks, so a broken promise would silently turn a repair off: each
# registered normalizer that declares signs is checked here, on drawn text and on every real
# text, and a new one is checked without any edit of this file.

SIGNED = [normalizer for normalizer in all_normalizers() if normalizer.signs]
LANGUAGES = ("en", "de", "fr", "es", "pl", "ru", "zh", "ja", "und")


def _calls(normalizer: Normalizer) -> list[Callable[[str], str]]:
    """The normalizer as a pipeline calls it: told each language, if it takes one."""
    if "language" in normalizer.option_defaults:
        return [partial(normalizer.function, language=language) for language in LANGUAGES]
    return [normalizer.function]


def _without_signs(text: str, signs: tuple[str, ...]) -> str | None:
    """``text`` with its signs deleted (a deletion can make another: again, a few times)."""
    for _ in range(8):
        if not any(sign in text for sign in signs):
            return text
        for sign in signs:
            text = text.replace(sign, "")
    return None


def test_normalizers_declare_signs():
    # The steps that most texts have no work for declare them (the point of the gates).
    names = {normalizer.name for normalizer in SIGNED}
    assert {"unescape_entities", "remove_space_before_punctuation", "undo_ptb_tokens"} <= names


def _near_signs(signs: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Text made of a few kinds of piece: the signs' characters one by one (which come
    together into signs, and into what the signs look like), hostile pieces and words."""
    pieces = sorted({*"".join(signs), *hostile_pieces()})
    kinds = st.lists(st.sampled_from(pieces), min_size=1, max_size=6, unique=True)
    return kinds.flatmap(lambda chosen: st.lists(st.sampled_from(chosen), max_size=30)).map("".join)


@pytest.mark.parametrize("normalizer", SIGNED, ids=lambda n: n.name)
# 100 examples for each of some 40 normalizers (drawing articles is most of the time: 300
# took over three of the suite's ten minutes); the real texts below check every gate too.
@settings(max_examples=100, deadline=None, database=None)
@given(data=st.data())
def test_a_text_without_the_signs_is_left_alone(normalizer, data):
    text = data.draw(st.one_of(_near_signs(normalizer.signs), any_text()))
    bare = _without_signs(text, normalizer.signs)
    assume(bare is not None)
    for call in _calls(normalizer):
        assert call(bare) == bare, f"{normalizer.name} changed {bare!r}, which has no sign of it"


def test_no_real_text_without_the_signs_is_changed():
    """Every real document, and every version of it that the default pipeline makes on its
    way (what the later steps are given), against every declared gate."""
    shared_path("data")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    audit = importlib.import_module("audit")
    groups = tuple(normalizer.signs for normalizer in SIGNED)
    find = kernels.compiled_sign_finder(groups) or partial(kernels.py_find_signs, groups)
    pipeline = preset("default")
    checked, broken = 0, []
    for label, document in audit.audit_documents():
        versions = [document, *(after for _, _, after in pipeline.run(document))]
        for text in versions:
            found = find(text)
            for normalizer, present in zip(SIGNED, found, strict=True):
                if present:
                    continue
                checked += 1
                if any(call(text) != text for call in _calls(normalizer)):
                    broken.append((normalizer.name, label))
    assert not broken, broken[:10]
    assert checked > 100_000


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("remove_control_chars", characters.CONTROL_CHAR),
        ("normalize_spaces", whitespace.EXOTIC_SPACE_OR_TAB),
        ("remove_invisible", characters.INVISIBLE_CHAR),
        ("remove_invisible", characters.DIRECTION_MARK),
        ("normalize_line_breaks", re.compile("[\r\x0b\x0c\x85\u2028\u2029]")),
    ],
)
def test_character_signs_hold_every_character_the_pattern_removes(name, pattern):
    every_character = "".join(map(chr, range(sys.maxunicode + 1)))
    removed = {match.group() for match in re.finditer(pattern.pattern.rstrip("+"), every_character)}
    assert removed <= set(get(name).signs)


# The opener candidate as first written: the look-behind before a class of the marks (which
# made the search look behind at every character), searched for in each paragraph.
PLAIN_OPENER_CANDIDATE = re.compile('(?<![^ \t\n(\\[{—–\\-/"“”\'‘’])["“”‘’](?=\\S)')


@settings(max_examples=800, deadline=None)
@given(text=st.text(st.sampled_from(" \t\n([a1\"“”‘’'-—/.\u00a0"), max_size=30))
@example(text="No.\n“Yes,” she said.\n\nIt’s “fine”.\n “")
def test_paragraphs_with_opener_are_those_the_plain_search_finds(text):
    spans = paragraph_spans(text)
    plain = [
        k for k, (start, end) in enumerate(spans) if PLAIN_OPENER_CANDIDATE.search(text, start, end)
    ]
    assert quotes._paragraphs_with_opener(text, spans) == plain
