"""Quote repairs (issue #3): what is repaired, and what must be left alone."""

from __future__ import annotations

import pytest

from cleantext import clean, get

fix = get("fix_quote_pairs")

REPAIRED = [
    # mismatched pair: the closer takes the opener's family
    (
        "“Take all the time to be sad. I’m here.’ She left.",
        "“Take all the time to be sad. I’m here.” She left.",
    ),
    ("‘Not now,” he said.", "‘Not now,’ he said."),
    # unclosed at the end of a paragraph whose next paragraph is narration
    (
        "He said: “It was so unnecessary.\n\nThe case goes on.",
        "He said: “It was so unnecessary.”\n\nThe case goes on.",
    ),
    ('She said: "We will appeal.\nThe court rose.', 'She said: "We will appeal."\nThe court rose.'),
    # mis-curled marks take the direction their place asks for
    ("He said ”yes.” Then", "He said “yes.” Then"),
]

LEFT_ALONE = [
    "“Correctly paired,” she said, “in curly quotes.”",
    '"Correctly paired," she said, "in straight quotes."',
    "I’m sure the Halls’ lawyer said it’s O’Neill’s, from the ’90s and rock ’n’ roll.",
    "I'm sure the Halls' lawyer said it's O'Neill's, from the '90s and rock 'n' roll.",
    "’Tis true, and 'Tis true.",
    "He is 6′2″ and 6'2\" tall, with 30' of rope.",
    "Run print('hello') or x = \"a\" or `echo 'hi'` in code.",
    "“First paragraph of a speech.\n\n“Second paragraph, and the end.”",
    "“He told me, ‘Never again,’ and left,” she said.",
    "‘He told me, “Never again,” and left,’ she said.",
    "The so-called ‘reform’ and the ‘new deal’ failed.",
    "\"It is over,' she said.",
    "Rock 'n roll, takin' it easy, 'the King,' said \"My hands [get] cold!\" he says.",
    "“A long quotation opens. Then one sentence. Then two. Then three. Then four.\n\nNarration.",
    "A paragraph that stops mid-sentence “with a quote and\n\ncarries on here.”",
    "“Seven,” he said.\n\n“Eight.” ‘Nine,’ she said. “Ten.”",
]


@pytest.mark.parametrize(("damaged", "repaired"), REPAIRED)
def test_repaired(damaged, repaired):
    assert fix(damaged) == repaired


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_left_alone(text):
    assert fix(text) == text
    assert clean(text) == text


def test_minority_family_speech_takes_the_document_family_and_swaps_nested():
    doc = (
        "“One,” he said. “Two,” he said. “Three,” he said.\n\n"
        "‘He told me “never again.” It hurt,’ she said."
    )
    assert fix(doc).endswith("“He told me ‘never again.’ It hurt,” she said.")


def test_minority_needs_a_clear_majority():
    doc = "“One,” he said. ‘Two,’ he said. “Three,” he said. ‘Four,’ he said."
    assert fix(doc) == doc


def test_unclosed_minority_quote_is_closed_in_the_document_family():
    doc = "“A.” “B.” “C.” He said. ‘It was so unnecessary. I think about it.\n\nNext."
    assert fix(doc) == "“A.” “B.” “C.” He said. “It was so unnecessary. I think about it.”\n\nNext."


FOREIGN = [
    ("Er sagte „nein“ dazu.", "Er sagte “nein” dazu."),
    ("He said „no” twice.", "He said “no” twice."),
    ("A ‚small‘ thing.", "A ‘small’ thing."),
    ("Il a dit « non » hier.", "Il a dit “non” hier."),
    ("Er sagte »nein« dazu.", "Er sagte “nein” dazu."),
    ("A ‹little› one.", "A ‘little’ one."),
    ("He said ``yes'' to it.", "He said “yes” to it."),
    ('Straight "document" with «guillemets».', 'Straight "document" with "guillemets".'),
]


@pytest.mark.parametrize(("damaged", "repaired"), FOREIGN)
def test_foreign_quotes_take_the_document_style(damaged, repaired):
    assert get("normalize_foreign_quotes")(damaged) == repaired


def test_foreign_quotes_kept_in_their_own_language():
    german = get("normalize_foreign_quotes").configure(language="de")
    assert german("Er sagte „nein“ dazu.") == "Er sagte „nein“ dazu."
    assert get("normalize_foreign_quotes")("Read more » here") == "Read more » here"


def test_style_conversion_both_ways():
    curly = get("set_quote_style")
    straight = curly.configure(style="straight")
    text = "\"It's the '90s,\" she said of Al's 6'2\" son, 'the tall one.'"
    assert curly(text) == "“It’s the ’90s,” she said of Al’s 6'2\" son, ‘the tall one.’"
    assert straight(curly(text)) == text
    with pytest.raises(ValueError, match="style must be"):
        curly.configure(style="fancy")


def test_a_sentence_repeated_back_to_back_does_not_change_where_a_quotation_closes():
    # collapse_repeats runs after the quotes; if the loop's copy counted as a sentence, the
    # quotation would be "too far back" to close on the first run and close on the second.
    looped = (
        "“The plan was agreed, and it’s ‘not over’ yet. The bridge opens on Friday morning. "
        "The bridge opens on Friday morning.\n\nThe mayor left."
    )
    once = clean(looped)
    assert "Friday morning.”\n" in once and once.count("The bridge opens") == 1
    assert clean(once) == once


def test_a_run_of_quote_debris_is_left_alone():
    # More than MAX_RUN marks side by side are no quotation: neither restyled nor paired
    # (the marks of the quotation around them still are).
    debris = "“''''''''”’’’’’’’’’"
    assert get("set_quote_style")(debris) == debris
    assert fix(f"“It read {debris} and stopped.’ Then") == f"“It read {debris} and stopped.” Then"
    assert get("set_quote_style")("He wrote ''''''' and 'left'") == "He wrote ''''''' and ‘left’"


def test_a_closer_of_the_other_family_closes_the_innermost_opener():
    # The stack of openers is counted per family: a closer whose family no opener has
    # takes the innermost opener's family (it looked through the whole stack before).
    assert fix("“a “b c’ d’") == "“a “b c” d”"
    assert fix("“a ‘b c’ d’") == "“a ‘b c’ d”"
