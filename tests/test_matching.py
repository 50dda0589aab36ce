"""A substitution tried only where a match can start (``cleantext.matching``) must make the
very text that the pattern's own substitution makes: each use is checked here against
``pattern.sub`` on text built from the pieces its pattern is about, where a start left out of
the places tried would show as a match left unreplaced."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleantext import (
    boilerplate,
    captions,
    language,
    punctuation,
    quotes,
    tokenizers,
    whitespace,
)
from cleantext._chars import HORIZONTAL_SPACES
from cleantext.matching import (
    matches_of_any,
    places,
    places_of_any,
    run_start,
    substitute_at,
    word_start,
)
from cleantext.testing import hostile_pieces

SEPARATORS = st.sampled_from(["", " ", "  ", "\t", " \t", "\n", "\u00a0"])
WORDS = ["word", "Then", "a", "1", "etc", "Mr", "café", "_"]
SINGLE_PAIR = quotes._pair_in_english("‘", "’")

# (name, the substitution tried at places, the pattern's own, the pieces texts are made of)
USES: list[tuple[str, Callable[[str], str], Callable[[str], str], list[str]]] = [
    (
        "doubled period",
        punctuation._single_periods,
        lambda text: punctuation.DOUBLED_PERIOD.sub(punctuation._one_period, text),
        [*WORDS, ".", "..", ". .", "...", "”", ")", "/", "%", "word. .", "”. .", "'"],
    ),
    (
        "comma or colon then period",
        punctuation._periods_after_comma_or_colon_removed,
        lambda text: punctuation.COMMA_OR_COLON_THEN_PERIOD.sub(
            punctuation._comma_or_colon_alone, text
        ),
        [*WORDS, ".", ",", ":", ";", "”", "/", ", .", ":.", ",.", "  .", "with"],
    ),
    (
        "space before closing mark",
        punctuation._unspaced_closing_marks,
        lambda text: punctuation.SPACE_BEFORE_CLOSING_MARK.sub(punctuation._mark_only, text),
        [*WORDS, ",", ";", ".", "...", "”", ")", "]", "'", ".com", "the", "trailing", "etc."],
    ),
    (
        "wrapped line period",
        punctuation._wrap_periods_dropped,
        lambda text: punctuation.WRAPPED_LINE_PERIOD.sub(punctuation._drop_wrap_period, text),
        [*WORDS, "his", "voice", " . ", ".", "his . voice", "http:/", "@", ".x", "etc", "vs ."],
    ),
    (
        "space before mark",
        tokenizers._unspaced_marks,
        lambda text: tokenizers.SPACE_BEFORE_MARK.sub(tokenizers._unspaced_mark, text),
        [*WORDS, "?", "!", ":", ";", "”", ")", "P", "»", "Why ?", "says :", "no\u00a0!", ":)"],
    ),
    (
        "split empty quotes",
        tokenizers._joined_empty_quotes,
        lambda text: tokenizers.SPLIT_EMPTY_QUOTES.sub(
            lambda match: (match.group(1) or "") + "''", text
        ),
        [*WORDS, "'", "' '", "b", "r", "f", "(", ")", ",", "b ' '", "(' '", "' ' '"],
    ),
    (
        "treebank single pair",
        lambda text: quotes._ptb_single_pairs(text, SINGLE_PAIR),
        lambda text: quotes.PTB_SINGLE_PAIR.sub(SINGLE_PAIR, text),
        [*WORDS, "`", "` ", "'", ",", ".", "?", "it's", "(` ", "` it's over,'", "players'"],
    ),
    (
        "digit groups",
        tokenizers.join_digit_groups,
        lambda text: (
            tokenizers.SPACED_DIGIT_GROUP.sub(tokenizers._joined_digit_groups, text)
            if tokenizers.SPACED_DIGIT_GROUP_SIGN.search(text)
            else text
        ),
        [
            *("140", "000", "1", "12", "1234", ",", ", ", "July", "a1", "٣٤٥", "14:00"),
            *("140, 000", "1, 000", "12, 000"),
        ],
    ),
    (
        "spaced time",
        tokenizers._unspaced_times,
        lambda text: tokenizers.SPACED_TIME.sub(r"\1:\2", text),
        [*WORDS, "10", "3", "123", " : ", ":", "30", "300", "a10", "٣", "10 : 30", "3 : 1"],
    ),
    (
        "quotations left out",
        language._without_quotations,
        lambda text: language.QUOTATION.sub(" ", text),
        [*WORDS, "„", "“", "”", '"', "«", "»", "「", "」", "\n", "„Ja“", "«non»", "“yes”", '"no"'],
    ),
    (
        "spaces at line ends",
        whitespace._line_ends_stripped,
        lambda text: whitespace.SPACES_AT_LINE_END.sub("", text),
        [*WORDS, " ", "\t", "\u00a0", "\u2003", "\u3000", "\n", "\r", "a  \n", "\u200b"],
    ),
    (
        "photo markers",
        captions._photo_markers_removed,
        lambda text: captions.PHOTO_MARKER.sub(captions._PhotoMarkers(text).removed, text),
        [
            *WORDS,
            "(",
            ")",
            " ",
            "\t",
            "(left)",
            "(pictured)",
            "( right )",
            "Ann",
            "\n",
            "Pictured:",
        ],
    ),
    (
        "model tokens",
        tokenizers._without_model_tokens,
        lambda text: tokenizers.SPACED_MODEL_TOKEN.sub(
            "", tokenizers.UNKNOWN_INSIDE_WORD.sub("\ufffd", text)
        ),
        [*WORDS, "<unk>", "<UNK>", "[UNK]", "[SEP]", "</s>", "<", "[", " ", "\t", "gov", "<<"],
    ),
    (
        "spaced curly closer",
        tokenizers._unspaced_curly_closers,
        lambda text: tokenizers.SPACED_CURLY_CLOSER.sub(r"\1", text),
        [*WORDS, "”", "’", "“", "‘", ".", ",", "?", ")", "+", "-", "…", '"', "'", "’s"],
    ),
]


@pytest.mark.parametrize(("name", "tried", "sub", "pieces"), USES, ids=[u[0] for u in USES])
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_tried_at_places_substitutes_as_the_pattern_does(name, tried, sub, pieces, data):
    pieces = pieces + data.draw(st.lists(st.sampled_from(sorted(hostile_pieces())), max_size=3))
    words = data.draw(st.lists(st.sampled_from(pieces), max_size=16))
    text = "".join(word + data.draw(SEPARATORS) for word in words)
    assert tried(text) == sub(text), f"{name} on {text!r}"


@pytest.mark.parametrize(("name", "tried", "sub", "pieces"), USES, ids=[u[0] for u in USES])
def test_tried_at_places_on_the_cases_the_patterns_are_for(name, tried, sub, pieces):
    text = (
        "He said , then . . left.. Then:. the ” end , . with his . voice etc . and "
        "“Yes ” and ‘no ’ but ’90s , . Done ., ; a trailing , here”. . . ok ? b ' ' or "
        "` it's over,' she said for 140, 000 or 1, 200 people at 10 : 30 “yes” (pictured) \n"
        "gov<unk>ment <pad>"
    )
    assert tried(text) == sub(text)
    assert tried(text) != text  # (each use has something to do here)


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.sampled_from("ab ,;.\t"), max_size=40))
@example(text="a ,b ,")
def test_substitute_at_every_place_is_sub(text):
    """Tried at every place, ``substitute_at`` is ``sub``; tried at a superset of the
    starts, too (the extra places fail or are inside a match)."""
    pattern = re.compile(r"(?<=\w)[ \t]*([,;.])")
    first = lambda match: match.group(1)  # noqa: E731
    assert substitute_at(pattern, first, text, range(len(text))) == pattern.sub(r"\1", text)
    starts = (run_start(text, at, " \t") for at in places(re.compile("[,;.]"), text))
    assert substitute_at(pattern, first, text, starts) == pattern.sub(r"\1", text)


@given(text=st.text(max_size=30))
def test_word_start_is_where_a_word_pattern_starts(text):
    for at in range(len(text) + 1):
        run = re.search(r"\w*\Z", text[:at])
        assert run is not None
        assert word_start(text, at) == run.start()


# Patterns that began with a look-behind (tried at every character), as first written, and the
# pattern now (a literal or a class first, the look-behind after it): the same matches.
REWRITTEN = [
    (
        tokenizers.BPE_MARKER,
        r"(?<=\w)(?:@@(?: |$))+",
        ["gov", "@@", " ", "@", "\n", "a@b", "@@ @@", "x@@"],
    ),
    (
        punctuation.DOT_RUN,
        r"(?<!\.)\.(?: \.){2,}(?! ?\.)|(?<!\.)\.{4,}",
        [".", " .", ". . .", "....", " ", "a", "..", ". ."],
    ),
    (quotes.PRIME_OR_CLOSER, r'(?<=\d)"', ["6", "'", '"', "2", "a", " ", '2"']),
    (
        tokenizers.MODEL_TOKEN,
        r"<(?:unk|s|/s|pad|mask|eos|bos|sep|cls|UNK|PAD|MASK|EOS|BOS)>|<\|endoftext\|>|"
        r"\[(?:UNK|SEP|CLS|PAD|MASK)\]",
        ["<", ">", "[", "]", "unk", "s", "/s", "UNK", "SEP", "|endoftext|", "<unk>", "a", "<|"],
    ),
    (tokenizers.SPACED_PERCENT, r"(?<=\d) %", ["5", "9", "a", " ", "%", "50 %", "\n"]),
    (
        tokenizers.SPACED_FINAL_QUOTE,
        r'(?<=[.!?,;:]) (")$',
        ["a", ".", ",", ":", ";", "?", " ", '"', "\n", '. "'],
    ),
    (
        quotes.SPACED_STRAIGHT_OPENER_PAIR,
        r'(?<=\w )" (?=\w)([^"“”‘’\'\n]{1,300}?(?<=\S))”',
        ["the", " ", '"', '" ', "”", "“", "'", ",", "effect", '" greenhouse', "\n", "9"],
    ),
    (
        boilerplate.FURNITURE_SENTENCE,
        r"(?<=[.!?…\"'’”)\]])(?: (?:scroll down for (?:the )?videos?\.?"
        r"|click here(?:!| (?:to|for) [^.!?\n\"“”]{1,120}[.!])))+"
        r"(?= [A-Z“\"‘'(]|[ \t]*$)",
        [
            "It ended.",
            " Scroll down for video",
            " click here!",
            " Click here to see it.",
            " More",
            " then",
            " ",
            "\n",
            "”",
        ],
    ),
]


@pytest.mark.parametrize(
    ("pattern", "written", "pieces"), REWRITTEN, ids=[r[0].pattern[:12] for r in REWRITTEN]
)
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_rewritten_pattern_matches_as_first_written(pattern, written, pieces, data):
    reference = re.compile(written, pattern.flags)
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=16)))
    found = [(match.span(), match.groups()) for match in pattern.finditer(text)]
    assert found == [(match.span(), match.groups()) for match in reference.finditer(text)]


@pytest.mark.parametrize(
    ("pattern", "written", "pieces"), REWRITTEN, ids=[r[0].pattern[:12] for r in REWRITTEN]
)
def test_rewritten_pattern_finds_its_cases(pattern, written, pieces):
    text = (
        'a gov@@ ern@@ ment@@ @@ <unk> at 90 % said. . . 6\'2" then: "\n'
        'the " greenhouse effect” or the " ,x” It '
        'ended. Scroll down for video Click here to see it. More and left."It'
    )
    found = [match.span() for match in pattern.finditer(text)]
    assert found, "the text has a case of the pattern"
    assert found == [match.span() for match in re.compile(written, pattern.flags).finditer(text)]


# Classes of marks written as one pattern per mark (a search skips to a literal in C, and
# tries a class at every character), and the class as one pattern: the same matches.
GLUED_PIECES = [
    "a",
    "A",
    "b",
    ")",
    ".",
    "!",
    "?",
    '"',
    "”",
    "“",
    " ",
    "\n",
    'a."',
    '"A',
    "”It",
    "ab",
]
ONE_PER_MARK = [
    (
        "glued at a quote",
        punctuation.GLUED_AT_QUOTE_OF_MARK,
        punctuation._glued_at_quote('["”“]') + "|" + punctuation.GLUED_AT_TWO_QUOTES,
        GLUED_PIECES,
    ),
    (
        "glued sentence",
        punctuation.GLUED_SENTENCE_OF_MARK,
        punctuation._glued_at("[.?!]"),
        [*GLUED_PIECES, "Then", "ab.Then", "ab?Ab"],
    ),
    (
        "spaced closing mark",
        [sign for _, sign in punctuation.SPACED_CLOSING_MARK_SIGNS],
        "[,;.](?:(?<=[ \t][,;])(?=[ \t\n”’\"']|$)|(?<=[ \t]\\.)(?=[ \t\n”’\"')\\]]|$))",
        ["a", " ", "\t", ",", ";", ".", "”", ")", "]", "\n", "'"],
    ),
    (
        "spaced mark",
        tokenizers.SPACED_MARK_OF_MARK,
        "[?!:;](?<=[ \u00a0\u202f].)",
        ["a", " ", "\u00a0", "\u202f", "?", "!", ":", ";", "\t"],
    ),
    (
        "spaced closing curly",
        tokenizers.SPACED_CLOSING_CURLY_OF_MARK,
        "[”’](?<=[ \t].)(?!\\w)",
        ["a", " ", "\t", "”", "’", "“", "s", "."],
    ),
]


@pytest.mark.parametrize(
    ("name", "patterns", "written", "pieces"), ONE_PER_MARK, ids=[o[0] for o in ONE_PER_MARK]
)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_one_pattern_per_mark_matches_as_the_class(name, patterns, written, pieces, data):
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=20)))
    reference = re.compile(written)
    found = [match.span() for match in matches_of_any(patterns, text)]
    assert found == [match.span() for match in reference.finditer(text)]
    assert list(places_of_any(patterns, text)) == list(places(reference, text))


def test_horizontal_spaces_are_the_characters_of_their_class():
    """``run_start`` looks characters up in the class body: it must hold no range."""
    every_character = "".join(map(chr, range(0x10000)))
    in_class = set(re.findall(f"[{HORIZONTAL_SPACES}]", every_character))
    assert set(HORIZONTAL_SPACES) == in_class
