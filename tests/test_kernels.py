"""The compiled kernels give what their pure-Python twins give (``cleantext.kernels``): on
drawn pieces, hostile ones included (every kind of ``str``, lone surrogates), on drawn text
through the normalizers that use them, and on every document of ``../shared``."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleantext.characters
import cleantext.encoding
import cleantext.language
import cleantext.loops
import cleantext.pipeline
import cleantext.quotes
from cleantext import Pipeline, kernels, preset, registry
from cleantext.loops import collapse_repeats
from cleantext.testing import any_text

from .conftest import ROOT, shared_path

compiled = pytest.importorskip(
    "_cleantext_speedups",
    reason="the C extension is not built here (no compiler or Python headers at install)",
)

# Few distinct pieces, so that pairs repeat, in every kind of str: ASCII, Latin-1, two-byte
# and four-byte characters, and a lone surrogate.
PIECE = st.sampled_from(["a ", "b ", "the ", "é ", "Ω, ", "中", "😀 ", "\ud800 ", "a", ""])


@settings(max_examples=600, deadline=None, database=None)
@given(
    st.lists(PIECE, max_size=120),
    st.integers(-3, 130),
    st.integers(-3, 130),
    st.integers(-1, 6),
    st.integers(-1, 35),
)
def test_run_candidates_matches_python(pieces, first, end, min_words, max_words):
    arguments = (pieces, first, end, min_words, max_words)
    assert compiled.run_candidates(*arguments) == kernels.py_run_candidates(*arguments)


def test_run_candidates_across_the_python_window():
    # The pure-Python twin remembers pairs a window at a time; a loop that straddles a
    # window's edge is found by both.
    window = kernels.PAIR_WINDOW
    pieces = [f"w{i % 97} " for i in range(window + 200)]
    pieces[window - 4 : window + 4] = ["x ", "y ", "z ", "v "] * 2
    found = compiled.run_candidates(pieces, 0, len(pieces), 3, 30)
    assert found == kernels.py_run_candidates(pieces, 0, len(pieces), 3, 30)
    assert found[:2] == [window - 4, 4]


# Text made of the characters the tokenizer tells apart: word characters of every width, the
# underscore, spaces of every kind, marks, a lone surrogate.
TEXT = st.lists(
    st.sampled_from([*"ab é中😀_1.,-", "  ", "\n", "\t", "\u00a0", "\u2028", "\ud800"]),
    max_size=120,
).map("".join)


@settings(max_examples=600, deadline=None, database=None)
@given(TEXT, st.integers(-1, 6), st.integers(0, 32))
def test_may_loop_matches_python(text, min_words, max_words):
    start = kernels.WORD_AND_GAP.search(text)
    if start is None:
        return
    arguments = (text, start.start(), min_words, max_words)
    assert compiled.may_loop(*arguments) == kernels.py_may_loop(*arguments)


def test_may_loop_reads_long_text_in_a_ring():
    filler = " ".join(f"w{i}" for i in range(5000)) + " "
    assert not compiled.may_loop(filler, 0, 3, 30)
    looped = filler + "the rain came in. " * 2 + filler
    assert compiled.may_loop(looped, 0, 3, 30) and kernels.py_may_loop(looped, 0, 3, 30)
    with pytest.raises(ValueError):
        compiled.may_loop(filler, 0, 3, 40)  # more than the ring holds
    with pytest.raises(ValueError):
        compiled.may_loop(" a", 0, 3, 30)  # not at a word character


# Characters of mojibake's signs: leads and continuations of every encoding ftfy tries, the
# characters the character stage removes, spaces, combining marks after a letter, C1
# controls, Latin-1 letters, and others.
SIGN_PIECES = st.sampled_from(
    [
        *"ÃÂâÐÑ€™©®¹º¿¡ \u00a0\u200b\u00ad\x00?\x1a\ufffd\x85\x9dÀÿ×÷é中😀\ud800aZ\u0301\u0300",
        *("Ã©", "â€™", "Â\u00a0", "e\u0301\u0302¿"),
    ]
)


@settings(max_examples=800, deadline=None, database=None)
@given(st.lists(SIGN_PIECES, max_size=16).map("".join))
def test_mojibake_sign_matches_its_patterns(text):
    from cleantext.encoding import LATIN1_LETTER_RUN, MOJIBAKE_HINT, _sign_bitmaps

    expected = bool(MOJIBAKE_HINT.search(text) or LATIN1_LETTER_RUN.search(text))
    assert compiled.mojibake_sign(text, *_sign_bitmaps()) is expected


# Signs of every kind of str, some sharing their first characters, some one character long.
SIGN = st.sampled_from([" ,", " .", "..", ". .", "(", "“", "“ ", "é", "中文", "😀", "\ud800", "a"])
SIGN_TEXT = st.lists(
    st.sampled_from([" ", ",", ".", "(", "“", "é", "中", "文", "😀", "\ud800", "a", "b"]),
    max_size=40,
).map("".join)


@settings(max_examples=800, deadline=None, database=None)
@given(st.lists(st.lists(SIGN, max_size=4).map(tuple), max_size=6).map(tuple), SIGN_TEXT)
def test_find_signs_matches_python(groups, text):
    table = compiled.compile_signs(groups)
    assert compiled.find_signs(table, text) == kernels.py_find_signs(groups, text)


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(SIGN_TEXT, min_size=1, max_size=4))
def test_branch_signs_answer_for_the_text_as_it_now_stands(texts):
    # Each text stands for the new string a branch's repair makes: the answers are its own.
    groups = ((" ,", " ."), ("“",), ("é", "中文"), ("a",))
    branches = kernels.BranchSigns(groups)
    pure = kernels.BranchSigns(groups)
    pure._scan = None
    fast, slow = branches.reader(), pure.reader()
    for text in texts:
        for k, group in enumerate(groups):
            expected = any(sign in text for sign in group)
            assert fast(text, k) is expected and slow(text, k) is expected


ENGLISH_PIECES = st.sampled_from(
    [
        *("the", "The", "THE", "of", "and", " ", ".", ",", "1", "é", "中", "\ud800", "x"),
        *("thé", "a", "ofa", "\n", "'", "abcdefghi", "which", "😀", "\x00"),
    ]
)


@settings(max_examples=800, deadline=None, database=None)
@given(st.lists(ENGLISH_PIECES, max_size=40).map("".join), st.integers(-2, 120))
def test_english_words_matches_python(text, limit):
    from cleantext.language import ENGLISH_FUNCTION_WORD_TUPLE as words

    assert compiled.english_words(text, limit, words) == kernels.py_english_words(
        text, limit, words
    )


def test_english_words_rejects_words_it_cannot_read():
    for words in (("The",), ("",), ("é",), ["the"], ("abcdefghi",), ("a1",)):
        with pytest.raises((TypeError, ValueError)):
            compiled.english_words("the the", 10, words)


@settings(max_examples=500, deadline=None, database=None)
@given(
    st.lists(st.sampled_from(["a", "é", "中", "😀", "\ud800", "\udfff", "\ud7ff", "\ue000"])).map(
        "".join
    )
)
def test_has_surrogate_matches_python(text):
    assert compiled.has_surrogate(text) is kernels.py_has_surrogate(text)


def test_find_signs_on_long_text_and_at_its_ends():
    groups = (("@@",), ("b-",), ("x",), ("zz",))
    table = compiled.compile_signs(groups)
    text = "a" * 100_000 + "@@"
    assert compiled.find_signs(table, text) == b"\x01\x00\x00\x00"
    assert compiled.find_signs(table, "x" + text[:-1]) == b"\x00\x00\x01\x00"
    assert compiled.find_signs(table, "z") == b"\x00\x00\x00\x00"


def test_compile_signs_rejects_what_is_not_signs():
    for bad in (["a"], (["a"],), (("a", 1),), (("",),)):
        with pytest.raises((TypeError, ValueError)):
            compiled.compile_signs(bad)
    with pytest.raises(ValueError):
        kernels.py_find_signs((("",),), "a")
    with pytest.raises(TypeError):
        compiled.find_signs(object(), "a")
    with pytest.raises(TypeError):
        compiled.find_signs(compiled.compile_signs((("a",),)), b"a")


# Words and what case-folds into them or stands around them: capitals, the characters that
# lower-case into ASCII or to two characters (U+0130, U+212A) or that re matches to an ASCII
# letter where it ignores case (U+0131, U+017F), letters and digits of other scripts, word
# characters that are no letter (``_``), spaces of every kind, apostrophes and hyphens.
DOUBLED_PIECES = st.sampled_from(
    [
        *("the", "The", "THE", "a", "A", "to", "or", "k", "s", "wıth", "with", " ", "  ", "\t"),
        *("\u00a0", "\n", ".", "_", "'", "-", "’", "1", "\u0130", "\u212a", "\u017f", "é"),
        *("ω", "中", "😀", "\ud800", "\u0307"),
    ]
)
DRAWN_WORDS = ("the", "a", "to", "or", "k", "s", "with")


def doubled_places_reference(text: str, words: tuple[str, ...]) -> list[int] | None:
    """What the compiled ``doubled_word_places`` lists, found by a pattern (on the lower-cased
    text, where every character but those of ``FOLDS_TO_ASCII`` stays alike)."""
    if any(char in text for char in kernels.FOLDS_TO_ASCII):
        return None
    alternatives = "|".join(words)
    pattern = rf"(?<!\w)(?=({alternatives})[ \t]+\1(?!\w))"
    return [match.start() for match in re.finditer(pattern, text.lower())]


@settings(max_examples=800, deadline=None, database=None)
@given(st.lists(DOUBLED_PIECES, max_size=14).map("".join))
def test_doubled_word_places_are_every_place(text):
    assert compiled.doubled_word_places(text, DRAWN_WORDS) == doubled_places_reference(
        text, DRAWN_WORDS
    )


@pytest.mark.parametrize("places", [compiled.doubled_word_places, kernels.py_doubled_word_places])
@settings(max_examples=800, deadline=None, database=None)
@given(text=st.lists(DOUBLED_PIECES, max_size=14).map("".join))
def test_every_doubled_word_starts_at_a_place(places, text):
    """What makes ``cleantext.loops`` match its pattern at the places only: every match of
    the pattern over the whole text starts at one of them, and matching at the places gives
    the very matches of the search (None: the whole text is searched)."""
    found = places(text, cleantext.loops.DOUBLED_WORDS)
    if found is None:
        return
    matches = [m.span() for m in cleantext.loops.DOUBLED_WORD.finditer(text)]
    assert {start for start, _ in matches} <= set(found)
    assert [m.span() for m in cleantext.loops._doubled_at(text, found)] == matches


def test_folds_to_ascii_are_all_that_re_matches_to_an_ascii_letter():
    """The characters for which ``doubled_word_places`` leaves the search to the pattern:
    every character outside ASCII that re, ignoring case, matches to an ASCII letter (as a
    literal, or as a back-reference does)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    # One search over all the characters at once (a call per character took seconds).
    others = "".join(map(chr, range(128, sys.maxunicode + 1)))
    found = set(re.findall(f"(?i)[{letters}]", others, re.DOTALL))
    # Each character after the letter, and the back-reference tried at every place (the
    # lookahead matches no text, so no pair hides the next): the pairs start at even places.
    back = re.compile(r"(?i)(?=(.)\1)", re.DOTALL)
    for letter in letters:
        pairs = letter + letter.join(others)  # the letter, then each character and the letter
        found |= {pairs[m.start() + 1] for m in back.finditer(pairs) if m.start() % 2 == 0}
    assert found == set(kernels.FOLDS_TO_ASCII)


def test_lower_casing_keeps_length_and_word_characters_but_for_two_characters():
    """What ``py_doubled_word_places`` reads the lower-cased text on: every character but
    U+0130 and U+212A lower-cases to one character, outside ASCII if it was, a word
    character just where the character is."""
    odd = []
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1 or lower.isascii() or lower.isalnum() != char.isalnum():
            odd.append(code)
    assert odd == [0x130, 0x212A]


def test_doubled_word_places_rejects_words_it_cannot_read():
    for words in (("The",), ("",), ("é",), ["the"], ("x" * 33,)):
        with pytest.raises((TypeError, ValueError)):
            compiled.doubled_word_places("the the", words)


# What the roles of quote marks are read from: every mark, runs of them, letters (ASCII,
# and those that re matches to ASCII ones ignoring case), digits (decimal or not: ``²``, ``٣``),
# spaces of every kind, the opening context, the characters of code, the words of elisions
# and possessives.
QUOTE_PIECES = st.sampled_from(
    [
        *('"', "'", "“", "”", "‘", "’", "“‘", "’”", "''''''", '"""""""', "`"),
        *("a", "I", "s", "S", "n", "word", "é", "ı", "ſ", "İ", "中", "_", "2", "²", "٣", "90"),
        *(" ", "  ", "\t", "\n", "\n\n", "\u00a0", "\u2028", "(", "[", "{", "—", "–", "-", "/"),
        *("=", "<", "{", "\\", "f(", ".", ",", "?", "tis", "TWAS", "em", "cause", "til", "bout"),
        *("rock ’n’ roll", "’90s", "6'2\"", 'x = "a"', "Halls’ farm", "General----’s"),
        *('"b”', '“b"', "’90ſ", "’tıs", "‘a’"),
    ]
)


@settings(max_examples=1200, deadline=None, database=None)
@given(st.lists(QUOTE_PIECES, max_size=30).map("".join), st.data())
def test_quote_pairs_match_python(text, data):
    """The compiled pairing gives ``_quotations``'s every field, over each paragraph, the
    whole text and a drawn span (whose end cuts what the patterns see, not what ``_role``
    sees)."""
    start = data.draw(st.integers(0, len(text)))
    _assert_quote_pairs_match(text, (start, data.draw(st.integers(start, len(text)))))


@pytest.mark.parametrize(
    "text",
    [
        '“‘a’ "b” c',  # a mixed pair inside a double quotation keeps its style
        "He said: ‘’90ſ, ’tıs” all.",  # elisions whose letters fold to ASCII
    ],
)
def test_quote_pairs_match_python_where_drawn_text_seldom_goes(text):
    _assert_quote_pairs_match(text, (1, len(text) - 1))


def _assert_quote_pairs_match(text: str, span: tuple[int, int]) -> None:
    for start, end in [*cleantext.quotes.paragraph_spans(text), (0, len(text)), span]:
        python = cleantext.quotes._paired_in_python(text, start, end)
        assert compiled.quote_pairs(text, start, end) == (
            python.top[cleantext.quotes.DOUBLE],
            python.top[cleantext.quotes.SINGLE],
            python.closers,
            python.unclosed,
            python.glyphs,
            python.ambiguous,
        ), (start, end)


def test_quote_pairs_rejects_a_span_outside_the_text():
    for start, end in ((-1, 2), (2, 1), (0, 9)):
        with pytest.raises(ValueError):
            compiled.quote_pairs("“a” b", start, end)
    with pytest.raises(TypeError):
        compiled.quote_pairs(b"a", 0, 1)


# Words in every kind of str, words that differ only past the first character or in length,
# and what parts words: marks, spaces, a combining mark (a word character for neither re nor
# str.isalnum), digits and ``_`` (word characters), a lone surrogate.
HELD_WORDS = ["a", "ab", "b", "é", "éa", "中", "😀a", "_", "1", "\ud800a", "a\ud800"]
HELD_PIECES = st.sampled_from([*HELD_WORDS, " ", ", ", ".", "\u0301", "\u00a0", "-"])
HELD_WORD = st.sampled_from([*HELD_WORDS, "", "a b", "ab_1"])


@settings(max_examples=800, deadline=None, database=None)
@given(
    st.lists(st.lists(HELD_PIECES, max_size=30).map("".join), max_size=4),
    st.sets(HELD_WORD | st.tuples(HELD_WORD, HELD_WORD, HELD_WORD)),
)
def test_words_held_matches_python(texts, wanted):
    assert compiled.words_held(texts, wanted) == kernels.py_words_held(texts, wanted)


def test_words_held_in_long_texts_and_with_much_wanted():
    words = [f"w{k}" for k in range(5000)]
    texts = [" ".join(words), " ".join(reversed(words)), ""]
    triples = {tuple(words[k : k + 3]) for k in range(0, 4990, 11)} | {("w1", "w2", "w4")}
    wanted = {*words[::7], "w5000", "w", *triples}
    held = compiled.words_held(texts, frozenset(wanted))
    assert held == kernels.py_words_held(texts, wanted)
    assert len(held[0]) == len(wanted) - 3 and len(held[1]) == len(words[::7]) and not held[2]


def test_words_held_rejects_what_is_not_texts_and_words():
    for texts, wanted in (
        (["a b c"], ["a"]),
        (["a b c"], {1}),
        (["a b c"], {("a", "b")}),
        (["a b c"], {("a", "b", 1)}),
        ([b"a"], {"a"}),
        (None, {"a"}),
    ):
        with pytest.raises(TypeError):
            compiled.words_held(texts, wanted)


def test_run_candidates_rejects_what_is_not_a_list_of_str():
    with pytest.raises(TypeError):
        compiled.run_candidates(("a", "b"), 0, 2, 3, 30)
    with pytest.raises(TypeError):
        compiled.run_candidates(["a", 1, "a", 1], 0, 4, 3, 30)
    with pytest.raises(TypeError):
        compiled.run_candidates(["a"], 0, 1)


SIGN_FINDER = cleantext.pipeline._sign_finder


def _both(function, text):
    """``function(text)`` with the compiled kernels and with the pure-Python ones (a pipeline
    then also runs every step, its signs unasked, as it does without the kernels)."""
    fast = function(text)
    cleantext.loops.run_candidates = kernels.py_run_candidates
    cleantext.loops.may_loop = None
    cleantext.encoding.mojibake_sign = None
    cleantext.loops.doubled_word_places = kernels.py_doubled_word_places
    cleantext.language.english_words = kernels.py_english_words
    cleantext.characters.has_surrogate = kernels.py_has_surrogate
    cleantext.quotes.quote_pairs = None
    cleantext.pipeline._sign_finder = lambda groups: None
    branches = _branch_signs()
    scans = [signs._scan for signs in branches]
    for signs in branches:
        signs._scan = None
    try:
        if isinstance(function, Pipeline):  # a copy, which works out its plans anew
            function = Pipeline(function.steps, language=function.language)
        slow = function(text)
    finally:
        cleantext.loops.run_candidates = kernels.run_candidates
        cleantext.loops.may_loop = kernels.may_loop
        cleantext.encoding.mojibake_sign = kernels.mojibake_sign
        cleantext.loops.doubled_word_places = kernels.doubled_word_places
        cleantext.language.english_words = kernels.english_words
        cleantext.characters.has_surrogate = kernels.has_surrogate
        cleantext.quotes.quote_pairs = kernels.quote_pairs
        cleantext.pipeline._sign_finder = SIGN_FINDER
        for signs, scan in zip(branches, scans, strict=True):
            signs._scan = scan
    return fast, slow


def _branch_signs() -> list[kernels.BranchSigns]:
    """Every family module's ``BranchSigns``."""
    found = []
    for name in registry.FAMILY_MODULES:
        module = importlib.import_module(name)
        found += [
            value for value in vars(module).values() if isinstance(value, kernels.BranchSigns)
        ]
    assert found  # the families that ask about several signs have them
    return found


@settings(max_examples=300, deadline=None, database=None)
@given(any_text())
def test_normalizers_give_the_same_text_either_way(text):
    for function in (collapse_repeats, cleantext.encoding.fix_mojibake, preset("default")):
        fast, slow = _both(function, text)
        assert fast == slow


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("He went wıth wıth them.", "He went wıth them."),  # dotless i: matched as i
        ("Of ſo many, the  THE\tthe end", "Of ſo many, the end"),
        ("He went with wıth them.", "He went with wıth them."),  # a back-reference does not
    ],
)
def test_doubled_words_in_letters_that_fold_to_ascii(text, cleaned):
    """The pattern ignores case the way re does (``ı`` matches ``i``): the places that
    the kernels give must not hide a doubled word from it, either way (the sign the kernels
    gave before, read on the lower-cased text, did)."""
    assert _both(collapse_repeats, text) == (cleaned, cleaned)


def test_every_real_document_cleans_the_same_either_way():
    shared_path("data")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    audit = importlib.import_module("audit")
    count = 0
    pipeline = preset("default")
    for label, text in audit.audit_documents():
        fast, slow = _both(pipeline, text)
        assert fast == slow, label
        count += 1
    assert count > 10_000


def test_the_compiled_kernels_can_be_turned_off():
    assert kernels.speedups() is not None
    script = "import cleantext; print(cleantext.speedups())"
    env = dict(os.environ, CLEANTEXT_PURE_PYTHON="1")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "None", result.stderr
    version = subprocess.run(
        [sys.executable, "-m", "cleantext", "--version"], env=env, capture_output=True, text=True
    )
    assert "pure Python kernels" in version.stdout
