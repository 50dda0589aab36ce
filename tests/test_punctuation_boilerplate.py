"""Stray punctuation and boilerplate: each case of issue #4, repaired and left alone."""

from __future__ import annotations

import re
import sys

import pytest

from cleantext import clean, get

REPAIRED = [
    # (normalizer, damaged, repaired)
    ("collapse_doubled_punctuation", "on set. .", "on set."),
    ("collapse_doubled_punctuation", "he left.. Then", "he left. Then"),
    ("collapse_doubled_punctuation", "the gun,, he said", "the gun, he said"),
    ("collapse_doubled_punctuation", "one;; two", "one; two"),
    ("collapse_doubled_punctuation", "the end,. Next", "the end. Next"),
    ("collapse_doubled_punctuation", "he said:. Next", "he said: Next"),
    ("remove_space_before_punctuation", "word , word", "word, word"),
    ("remove_space_before_punctuation", "the bull . Colin", "the bull. Colin"),
    ("remove_space_before_punctuation", "Obama ( left ) spoke", "Obama (left) spoke"),
    ("remove_space_before_punctuation", "see [ 1 ] here", "see [1] here"),
    ("remove_orphan_punctuation", ". The meeting began", "The meeting began"),
    ("remove_orphan_punctuation", "First.\n,\n. Second", "First.\n\nSecond"),
    ("space_glued_sentences", "the community.Dr Venter", "the community. Dr Venter"),
    ("normalize_ellipses", "and then.... nothing", "and then... nothing"),
    ("normalize_ellipses", "and then . . . nothing", "and then ... nothing"),
    ("normalize_ellipses", "Wait… and then. . . nothing", "Wait… and then… nothing"),
    (
        "remove_leading_metadata",
        "By . Daily Mail Reporter . PUBLISHED: . 12:00 EST, 1 January 2014 . | . "
        "UPDATED: . 13:05 EST, 1 January 2014 . The story",
        "The story",
    ),
    ("remove_leading_metadata", "Last updated at 4:15 PM on 10th February 2011 . Text", "Text"),
    ("remove_leading_metadata", "date 2022-08-21 Hilaria Baldwin", "Hilaria Baldwin"),
    ("remove_leading_metadata", "title: Storm warning\nThe storm", "Storm warning\nThe storm"),
    ("remove_leading_metadata", "WASHINGTON (CNN) -- The Senate voted", "The Senate voted"),
    ("remove_boilerplate_lines", "One.\nScroll down for video\nTwo.", "One.\nTwo."),
    ("remove_boilerplate_lines", "One.\nADVERTISEMENT\nTwo.", "One.\nTwo."),
    ("remove_boilerplate_lines", "One.\nClick here to watch the video\nTwo.", "One.\nTwo."),
    ("remove_boilerplate_lines", "One.\nSign up for our daily newsletter\nTwo.", "One.\nTwo."),
    ("remove_boilerplate_lines", "One.\nWe use cookies to improve your experience.", "One.\n"),
    ("remove_boilerplate_lines", "One.\nFollow @MailOnline on Twitter\nTwo.", "One.\nTwo."),
]

LEFT_ALONE = [
    "It cost 3.50 at 10.30 a.m. in the U.S., e.g. in Jan. 2019.",
    "Visit DailyMail.com or www.example.org/path.html today.",
    "What?! No!! “Really?!” he asked.",
    "They believe… [investigators are] close. Wait...",
    "1. First item\n2. Second item",
    "Good news :) and bad news :( and ;-)",
    "See ../docs and ./configure, then etc., and so on.",
    "The advertisement was banned. Click here, she said, to see it.",
    "Scroll down for video of the rescue, which took four hours.",
    "Date 2022-08-21 was chosen. By the time we arrived, it was late.",
    "He told CNN (CNN) viewers -- twice.",
    "Prices rose .5 per cent; the .com boom ended.",
    "Mr.Smith and Node.js and U.S.A.",
    "|   |   |-- setup.py",
    "Parts:\n, WHEELS AND AXLES",
    "Tools for\n. zip files",
]


@pytest.mark.parametrize(("name", "damaged", "repaired"), REPAIRED)
def test_repaired(name, damaged, repaired):
    assert get(name)(damaged) == repaired


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_left_alone_by_the_default_pipeline(text):
    assert clean(text) == text


def test_boilerplate_list_is_extensible():
    custom = get("remove_boilerplate_lines").configure(extra=(r"photo: [\w ]+",))
    assert custom("Photo: Jane Doe\nBody.") == "Body."
    assert get("remove_boilerplate_lines")("Photo: Jane Doe\nBody.") == "Photo: Jane Doe\nBody."
    with pytest.raises(re.error):  # a bad pattern fails when configured, not mid-run
        get("remove_boilerplate_lines").configure(extra=("(unclosed",))


def test_cnn_dateline_can_keep_the_place():
    keep = get("remove_leading_metadata").configure(keep_dateline_place=True)
    assert keep("Hong Kong (CNN) -- China's city") == "Hong Kong -- China's city"


# Hostile inputs: each took seconds to hours before its normalizer was made linear.  Their
# answers are asserted, never their time (``benchmarks/adversarial.py`` measures that).


def test_hostile_glued_sentences_without_spaces():
    # The word around each stop was looked for from the stop to the next space.  (A hyphen
    # after each capitalised word: the word before a stop must be lower-case.)
    text = "word.Word-" * 5_000
    assert get("space_glued_sentences")(text) == text.replace(".Word", ". Word")
    dotted_names = "Word.Word" * 5_000
    assert get("space_glued_sentences")(dotted_names) == dotted_names
    url_like = "www.x.Com/ab.Cd" * 2_000
    assert get("space_glued_sentences")(url_like) == url_like


def test_hostile_spaced_marks():
    unspace = get("remove_space_before_punctuation")
    assert unspace("x , " * 5_000) == "x, " * 5_000
    assert unspace("a , " * 5_000) == "a , " * 5_000  # ``a ,``: the mark named as a noun
    collapse = get("collapse_doubled_punctuation")
    assert collapse("a" + ",." * 10_000) == "a." + ",." * 9_999


def test_hostile_leading_metadata():
    remove = get("remove_leading_metadata")
    # Each field removed cut the rest of the text.
    assert remove("date 2022-08-21 " * 5_000 + "Storm") == "Storm"
    assert remove("By . Anna Smith . " * 3_000 + "Storm") == "Storm"
    # Words far apart before ``(CNN)``: each gap matched as many ways as it had spaces.
    far_apart = "A" + (" " * 3_000 + "A") * 5 + " x"
    assert remove(far_apart) == far_apart
    # More orphan marks than a document starts with: what follows is not looked at.
    marked = ". " * 100 + "date 2022-08-21 Storm"
    assert remove(marked) == marked
    assert remove(". " * 10 + "date 2022-08-21 Storm") == "Storm"


try:  # the parser of re patterns: private, and renamed in Python 3.11
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


def _first_literals(parsed) -> set[str]:
    """The characters a parsed pattern's match can start with, where every way to start is a
    literal (the built-in furniture's patterns: words, in groups and alternatives)."""
    op, value = parsed[0]
    if op is sre_constants.LITERAL:
        return {chr(value)}
    if op is sre_constants.BRANCH:
        return set().union(*(_first_literals(branch) for branch in value[1]))
    if op is sre_constants.SUBPATTERN:
        return _first_literals(value[-1])
    raise AssertionError(f"a furniture pattern starts with {op}: extend this test")


def _leading_literals(items: list) -> set[str]:
    """The literal text each way to match a parsed pattern starts with, up to the first item
    that is not a literal (groups and alternatives opened)."""
    prefix = ""
    for k, (op, value) in enumerate(items):
        if op is sre_constants.LITERAL:
            prefix += chr(value)
        elif op is sre_constants.SUBPATTERN:
            rest = list(value[-1]) + items[k + 1 :]
            return {prefix + tail for tail in _leading_literals(rest)}
        elif op is sre_constants.BRANCH:
            rest = items[k + 1 :]
            return {
                prefix + tail for branch in value[1] for tail in _leading_literals([*branch, *rest])
            }
        else:
            break
    return {prefix}


def test_furniture_lines_start_with_a_word_the_prefilter_lets_through():
    from cleantext.boilerplate import BOILERPLATE_LINE_PATTERNS, FURNITURE_FIRST_WORD

    words = FURNITURE_FIRST_WORD.pattern.split("|")
    for pattern in BOILERPLATE_LINE_PATTERNS:
        for start in _leading_literals(list(sre_parse.parse(pattern))):
            assert any(start.startswith(word) for word in words), (pattern, start)
    # (What the test derives: the first words of the patterns.)
    derived = {
        start.split()[0]
        for p in BOILERPLATE_LINE_PATTERNS
        for start in _leading_literals(list(sre_parse.parse(p)))
    }
    assert {"scroll", "advertisement", "read", "we", "this"} <= derived


@pytest.mark.parametrize(
    "line",
    [
        "Scroll down for video",
        " . Advertisement",
        "\u00a0Share this article",
        "SIGN UP for our newsletter today",
        "ſcroll down for video",
        "We use cookies to improve the site",
        "this website uses cookies",
    ],
)
def test_furniture_lines_pass_the_prefilter(line):
    from cleantext.boilerplate import _may_be_furniture, remove_boilerplate_lines

    assert _may_be_furniture(line)
    assert remove_boilerplate_lines(f"Body.\n{line}\nMore.") == "Body.\nMore."


def test_furniture_lines_start_with_what_the_prefilter_lets_through():
    from cleantext.boilerplate import BOILERPLATE_LINE_PATTERNS, FURNITURE_LINE_STARTS

    firsts = set().union(
        *(_first_literals(sre_parse.parse(pattern)) for pattern in BOILERPLATE_LINE_PATTERNS)
    )
    # Every character the patterns take for one of those, as they ignore case.
    folded = re.compile(f"[{''.join(sorted(firsts))}]", re.IGNORECASE)
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert {match.group() for match in folded.finditer(every)} <= FURNITURE_LINE_STARTS
