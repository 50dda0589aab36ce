"""Articles flattened to one line (CNN/DailyMail): captions and furniture found at the `` .``
ends that mark the lost line breaks; body sentences kept."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings

from cleantext import clean, get
from cleantext.flattened import find_flattened_lines, is_flattened
from cleantext.testing import END_TOKENS, damaged_articles, flatten

from .conftest import read_text, shared_path
from .test_corpus import DOCUMENTS


def single_line(cleaned: str) -> str:
    """A cleaned article in the flattened form, as ``repair_flattened_article`` leaves it:
    lines joined with spaces, each line without punctuation of its own given a full stop."""
    lines = [line.strip() for line in cleaned.splitlines() if line.strip()]
    return " ".join(
        line if line.endswith(END_TOKENS) or line[-1] in ",;:" else f"{line}." for line in lines
    )


# A quotation left open at the end of a paragraph is closed there (``never changed.”``);
# flattening removes the paragraph break, and with it the one sign that the quotation
# ended, so the single line keeps it open.  Known, and strict: a fix must remove the mark.
QUOTE_CLOSED_AT_PARAGRAPH_END = pytest.mark.xfail(
    strict=True, reason="an unclosed quotation is closed at its paragraph's end; flat text has none"
)
FLATTENED_DOCUMENTS = [
    pytest.param(path, marks=QUOTE_CLOSED_AT_PARAGRAPH_END)
    if path.name == "library-vote.txt"
    else path
    for path in DOCUMENTS
]


@pytest.mark.parametrize("path", FLATTENED_DOCUMENTS, ids=lambda p: p.name)
def test_flattened_corpus_document_cleans_like_the_original(path):
    document = read_text(path)
    assert clean(flatten(document)) == single_line(clean(document))


# The shared DailyMail articles are third-party text, read from ../shared and never quoted
# here: their captions and page furniture are named by position among the article's pieces
# (``PIECE`` splits at sentence ends and at `` .`` line ends, after the header), with the
# number of pieces as a check that the split still means the same.
SHARED_CAPTIONS = {
    "dm-bear-salmon.txt": (20, {3, 4, 5, 6, 12, 13, 19}),
    "dm-bull-rescue.txt": (11, {3, 7, 8}),
    "dm-clinton-iowa.txt": (61, {6, 7, 15, 16, 49, 50}),
    "dm-di-santo.txt": (12, {3, 4, 10, 11}),
}
PIECE = re.compile(r"(?<=[.!?])[\"'’”]* (?=[A-Z'‘“])| \.(?: |\Z)")


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.mark.parametrize("name", sorted(SHARED_CAPTIONS))
def test_shared_flattened_articles_lose_captions_and_keep_the_body(name):
    raw = read_text(shared_path("data", "cnn-dailymail", name))
    assert is_flattened(raw)
    cleaned = clean(raw)
    assert not cleaned.startswith("By") and "PUBLISHED" not in cleaned
    pieces = PIECE.split(get("remove_leading_metadata")(get("fix_mojibake")(raw)))
    size, positions = SHARED_CAPTIONS[name]
    assert len(pieces) == size
    captions = [pieces[k] for k in sorted(positions)]
    body = [piece for k, piece in enumerate(pieces) if k not in positions and piece.strip()]
    kept, body_words = _words(cleaned), " ".join(_words(piece) for piece in body)
    # A caption is gone; one that copies a body sentence leaves the body's copy.
    for caption in captions:
        assert kept.count(_words(caption)) == body_words.count(_words(caption)), caption
    # Every other piece of the article is still there, word for word.
    for piece in body:
        assert _words(piece) in kept, piece
    assert clean(cleaned) == cleaned


def test_flattened_lines_report_their_evidence():
    doc = (
        "The ferry left the harbour at dawn with forty passengers on board. Calm crossing: "
        "The ferry leaves the harbour at dawn with forty passengers . The crossing took an "
        "hour. Weather . It was calm."
    )
    verdicts = {doc[v.start : v.end]: v for v in find_flattened_lines(doc)}
    caption = verdicts["Calm crossing: The ferry leaves the harbour at dawn with forty passengers"]
    assert caption.dropped(4) and "label 'Calm crossing:' +2" in caption.evidence
    heading = verdicts["Weather"]
    assert not heading.dropped(4)
    assert clean(doc) == (
        "The ferry left the harbour at dawn with forty passengers on board. The crossing took "
        "an hour. Weather. It was calm."
    )


# Lines that end in `` .`` and are not captions: each must stay, with a plain full stop.
KEPT_LINES = [
    # a quotation's attribution that lost its full stop
    "The mayor spoke for an hour. 'We will rebuild,' he said . The crowd cheered.",
    # a sub-heading
    "The vote was close. Overcoming adversity . She trained for a year.",
    # a line that introduces a list, and the list
    "Here is how it works: . First round (May 1) Sixteen teams play . Final (May 9) The two "
    "best teams meet . The winner takes the cup.",
    # a hard wrap before a name and after a function word
    "The award went to the mayor of . Ledbury, who was at Ledbury Town . Hall. Then he left.",
    # an interview turn whose label is used again
    "CNN: How many came? AA: Yes, there were many of them at the border that night . "
    "CNN: And now? AA: Fewer.",
]


@pytest.mark.parametrize("doc", KEPT_LINES)
def test_lines_that_are_not_captions_stay(doc):
    cleaned = clean(doc)
    assert _words(cleaned) == _words(doc)
    assert " ." not in cleaned


def test_paragraphs_option_breaks_at_the_marked_line_ends():
    repair = get("repair_flattened_article").configure(paragraphs=True)
    doc = flatten("Overcoming adversity\n\nShe trained for a year. It was hard\n\nResults:\nGold")
    assert (
        repair(doc)
        == "Overcoming adversity.\n\nShe trained for a year. It was hard.\n\nResults:\n\nGold."
    )
    assert repair(repair(doc)) == repair(doc)


def test_tokenized_text_keeps_its_sentences():
    # Every sentence of tokenized text ends in " ."; a loop's two copies must not both go
    # (collapse_repeats keeps one).
    doc = "The line is ready , he said . The line is ready now . The line is ready now . Go ."
    assert get("repair_flattened_article")(doc).count("The line is ready now") == 2
    assert clean(doc) == "The line is ready, he said. The line is ready now. Go."


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_articles())
def test_flattened_damaged_articles_repair_idempotently(article):
    flattened = flatten(article)
    repair = get("repair_flattened_article")
    once = repair(flattened)
    assert repair(once) == once
    assert clean(clean(flattened)) == clean(flattened)


# Hostile inputs: each caption's label was counted in the whole text, each photo marker and
# each run of orphan marks scanned the text before or after it.  Answers are asserted, never
# times (``benchmarks/adversarial.py`` measures those).


def _name(number: int) -> str:
    return "".join(chr(65 + (number // 26**k) % 26) for k in range(2))


def test_hostile_long_flattened_article_loses_its_captions():
    text = "".join(
        f"The crew worked through the night on day {i} and the boat held. Rescue {_name(i)}: "
        "Volunteers wade through the rising water to reach the stranded horse . "
        for i in range(90)
    )
    repaired = get("repair_flattened_article")(text)
    assert "Rescue" not in repaired
    assert repaired.count("The crew worked through the night") == 90


def test_hostile_flattened_floods_are_left_alone():
    repair = get("repair_flattened_article")
    orphans = "a" + ", . " * 5_000  # more line ends than an article has
    assert repair(orphans) == orphans
    line = "Label {}: The star walks (pictured) Then home . "
    labels = "".join(line.format(_name(i)) for i in range(500))
    assert repair(labels) == labels  # more caption labels than are counted


def test_a_title_before_a_name_ends_no_sentence():
    from cleantext.flattened import _last_sentence_start, _sentence_ends

    text = "Crowds came. They cheered Gen. Hart and Prof. Okoye today"
    second = text.index("They")
    assert _sentence_ends(text) == [second]
    assert _last_sentence_start(text, 0, len(text)) == second
    # Lower-cased, ``gen`` is no title: a sentence may end after it.
    assert _sentence_ends("They set the gen. Hart came") == [len("They set the gen. ")]
