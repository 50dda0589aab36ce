"""The cheap signs that let a normalizer skip its pattern must never hide a match.

Each repair first looks for a sign (a character, a substring, or a pattern that the search
skips to in C) and runs its full pattern only if the sign is there.  A sign that missed a
case would silently turn a repair off, so each one is checked here against its pattern on
text built from the very pieces the patterns are about.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext import captions, punctuation, quotes, tokenizers

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
        _search(punctuation.GLUED_SENTENCES),
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
        tokenizers.has_spaced_mark,
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
        _search(tokenizers.SPACED_CURLY_OPENER_SIGN),
        _search(tokenizers.SPACED_CURLY_OPENER),
        ["“", "‘", "„", "‚", "word", "'", "(", '"', "“ word", "‚\tword"],
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


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.sampled_from("ab1 _'’‘\"“”.\n"), max_size=30))
def test_quote_marks_left_out_of_the_search_are_apostrophes(text):
    """``QUOTATION_MARK_CANDIDATE`` skips marks between two letters or digits: each must be
    one that the role rules call an apostrophe or a prime anyway."""
    candidates = {m.start() for m in quotes.QUOTATION_MARK_CANDIDATE.finditer(text)}
    for match in quotes.QUOTE_CHAR.finditer(text):
        if match.start() not in candidates:
            assert quotes._role(text, match.start()) in (quotes.APOSTROPHE, quotes.PRIME)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("He said... then. . . and ... more", punctuation.DOUBLED_PERIOD_SIGN),
        ("It is what it's worth, the Halls’ farm", tokenizers.has_split_contraction),
        ('He said "Yes" and "No."', tokenizers.SPACED_DOUBLE_CLOSER),
        ("(CNN) and (left-wing) groups", captions.PHOTO_MARKER_AT_BRACKET),
    ],
)
def test_signs_stay_quiet_on_clean_text(text, sign):
    """The point of a sign: clean text does not wake the pattern behind it."""
    assert not getattr(sign, "search", sign)(text)
