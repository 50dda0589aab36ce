"""The captions family: caption paragraphs found from evidence, label paragraphs left alone."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleantext import captions, explain
from cleantext.captions import (
    THRESHOLD,
    _may_have_candidates,
    _Repetition,
    find_captions,
    remove_caption_paragraphs,
    remove_photo_markers,
)
from cleantext.document import shingles_in_order
from cleantext.testing import (
    ARTIFACTS,
    CAPTION_LOOKALIKES,
    _check,
    any_text,
    clean_articles,
)

from .conftest import read_text, shared_path

BODY = (
    "The harbour trust confirmed on Monday that the old ferry pier will close for repairs.\n"
    "Engineers found that three of the timber piles had rotted below the waterline, the "
    "trust said in a statement.\n"
    "Councillor Ines Marlow said the closure would last until the spring."
)


def with_paragraph(paragraph: str, at: int = 1) -> str:
    parts = BODY.split("\n")
    parts.insert(at, paragraph)
    return "\n".join(parts)


CAPTIONS = [
    # label and no final stop
    "Closed for now: Walkers pass the fenced-off pier on a grey Monday morning",
    # label, photo marker and no final stop
    "Under repair: Councillor Marlow (left) inspects the damaged timber with an engineer",
    # a known photo label
    "Pictured: The old ferry pier seen from the harbour wall at low tide",
    # label and a near-duplicate of a body paragraph, even with a full stop
    "Rotten: Engineers found that three of the timber piles had rotted below the waterline.",
    # a photo marker naming the person and the year
    "Gone: The pier's last ferry ran in the autumn of that year (Marlow pictured in 2019)",
]


@pytest.mark.parametrize("caption", CAPTIONS)
def test_captions_are_dropped(caption):
    assert remove_caption_paragraphs(with_paragraph(caption)) == BODY


@pytest.mark.parametrize("caption", CAPTIONS)
def test_strip_mode_keeps_the_caption_text_without_label_or_marker(caption):
    out = remove_caption_paragraphs(with_paragraph(caption), mode="strip")
    kept = out.split("\n")[1]
    assert ":" not in kept[:25]
    assert "(left)" not in kept and "pictured" not in kept
    assert out.count("\n") == BODY.count("\n") + 1


NOT_CAPTIONS = [
    "Update: The trust said on Tuesday that the pier would reopen in March.",
    "Update: the pier reopens in March",
    "Editor's note: An earlier version of this story gave the wrong date",
    "Correction: The closure was announced on Monday, not Sunday",
    "Ines Marlow said: “We will not let the pier fall into the sea”",
    "The verdict: guilty on all counts, the jury said after four hours",
    "What happens next",
    "Timeline: How the pier fell apart",
    "Opinion: Why the harbour needs its pier back",
    "The ferry leaves at 10:30 on weekdays and at 11:15 at weekends",
    "Location: Harbour Road, next to the lifeboat station",
    "Passengers: 150 a day Operator: the harbour trust Opened: 1911",
    "Myth: The pier was built by the navy",
    # a body sentence that happens to carry a marker keeps its place (the marker goes
    # through remove_photo_markers instead)
    "Councillor Marlow (pictured) said the work would cost more than expected.",
]


@pytest.mark.parametrize("paragraph", NOT_CAPTIONS)
def test_label_paragraphs_that_are_not_captions_stay(paragraph):
    text = with_paragraph(paragraph)
    assert remove_caption_paragraphs(text) == text


def test_interview_transcripts_stay():
    transcript = (
        "The interview has been edited for length.\n"
        "Q: When did you first see the damage\n"
        "A: In the autumn, after the storms had gone through the harbour\n"
        "Q: Who pays for the repairs\n"
        "A: The trust pays, and the council matches what the trust raises"
    )
    assert remove_caption_paragraphs(transcript) == transcript


def test_speaker_turns_stay():
    transcript = (
        "MARLOW: We have waited three years for the money to come through\n"
        "HOST: And now the pier is closing anyway, just as the money arrives\n"
        "MARLOW: That is the irony of it, and nobody on the council denies it"
    )
    assert remove_caption_paragraphs(transcript) == transcript


def test_headings_and_lists_stay():
    text = (
        "What we know\n"
        "1. The pier closes on Monday\n"
        "2. Repairs will last until the spring\n"
        "Key dates: closure on Monday, reopening in March\n" + BODY
    )
    assert remove_caption_paragraphs(text) == text


def test_explain_shows_score_and_evidence():
    text = with_paragraph(CAPTIONS[1])
    (change,) = [c for c in explain(text) if c.normalizer == "remove_caption_paragraphs"]
    assert change.before.startswith("Under repair:")
    assert "caption score 6" in change.reason
    assert "photo marker '(left)'" in change.reason
    assert "no final punctuation" in change.reason


def test_find_captions_reports_below_threshold_too():
    # The same sentence under another label is reported, below the threshold; under
    # "Update:", which is never a caption label, it is not even a candidate.
    sentence = NOT_CAPTIONS[0].removeprefix("Update: ")
    assert sentence != NOT_CAPTIONS[0]
    labelled = find_captions(with_paragraph(f"Pier: {sentence}"))
    assert [v.label for v in labelled] == ["Pier"] and labelled[0].score < THRESHOLD
    assert find_captions(with_paragraph(NOT_CAPTIONS[0])) == []
    verdicts = find_captions(with_paragraph("Quiet: The pier stood empty."))
    assert len(verdicts) == 1 and verdicts[0].score < THRESHOLD


def test_threshold_is_an_option():
    text = with_paragraph("Quiet: The pier stood empty on Monday afternoon.")
    assert remove_caption_paragraphs(text) == text
    assert remove_caption_paragraphs(text, threshold=2) == BODY


def test_bad_mode_is_refused():
    with pytest.raises(ValueError, match="mode must be"):
        remove_caption_paragraphs(BODY, mode="report")


def test_inline_markers_removed_but_other_brackets_kept():
    text = "Marlow (second right) and the engineer (not pictured) met the crew (file photo). Then"
    assert remove_photo_markers(text) == "Marlow and the engineer met the crew. Then"
    # A caption on its own (one sentence, or labelled as one) keeps the positions only.
    alone = "Marlow (second right) and the engineer (not pictured) met the crew (file photo)."
    assert remove_photo_markers(alone) == "Marlow (second right) and the engineer met the crew."
    labelled = (
        "Photo: Marlow (left) meets the crew (pictured).\nThe crew left. Then Marlow (left) spoke."
    )
    assert remove_photo_markers(labelled) == (
        "Photo: Marlow (left) meets the crew.\nThe crew left. Then Marlow spoke."
    )
    kept = "The trust (a charity) and the council (left in charge in 2019) met."
    assert remove_photo_markers(kept) == kept


def test_seed_captions_found_with_their_evidence():
    seed = read_text(shared_path("seed", "000_5975b0bfc26f3497.txt"))
    found = [v for v in find_captions(seed) if v.score >= THRESHOLD]
    labels = {v.label for v in found}
    assert labels == {"Hand in hand", "Revealing conversation", "Dead", "Possible charges"}
    duplicates = {v.label for v in found if any("repeats" in e for e in v.evidence)}
    assert duplicates == {"Revealing conversation", "Possible charges"}


@st.composite
def articles_with_captions(draw: st.DrawFn) -> str:
    """Articles with captions that repeat their paragraphs, and label paragraphs that are not
    captions, so that removing one paragraph changes the evidence for the others."""
    text = draw(clean_articles())
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["paraphrased_caption", "caption_lookalike", "caption"]))
        text = ARTIFACTS[kind](text, draw(st.floats(0, 1)))
    return text


@_check(300)
@given(articles_with_captions(), st.sampled_from(["drop", "strip"]))
def test_removing_captions_never_makes_new_ones(text, mode):
    once = remove_caption_paragraphs(text, mode=mode)
    assert remove_caption_paragraphs(once, mode=mode) == once
    assert all(v.score < THRESHOLD for v in find_captions(once))


@_check(300)
@given(
    st.one_of(
        articles_with_captions(),
        any_text(),
        st.lists(
            st.sampled_from(["\n", " ", "\t", "\u2028", "(pictured)", "Rescue: the a b c d"])
        ).map("".join),
    )
)
def test_texts_ruled_out_by_the_cheap_test_have_no_verdicts(text):
    """The cheap test before the scores (a colon or bracket after the first paragraph) is
    exact: where it says no, no paragraph is even scored."""
    if not _may_have_candidates(text):
        assert find_captions(text) == []


@_check(200)
@given(clean_articles(), st.lists(st.sampled_from(CAPTION_LOOKALIKES), min_size=1, max_size=4))
def test_lookalikes_survive_in_generated_articles(text, lookalikes):
    text = "\n".join([*lookalikes, text])
    assert remove_caption_paragraphs(text) == text


# Hostile inputs: every caption was compared with every paragraph.  Answers are asserted,
# never times (``benchmarks/adversarial.py`` measures those).


def test_hostile_twin_captions_are_all_dropped():
    body = "The star arrived on Monday.\n"
    marked = body + "The star walks with her husband on the beach (pictured)\n" * 900
    assert remove_caption_paragraphs(marked) == body


def test_hostile_flood_of_labelled_paragraphs_is_left_alone():
    # Hundreds of labelled paragraphs sharing their words: no article (see REPETITION_WORK).
    labels = ("".join(chr(65 + (i // 26**k) % 26) for k in range(3)) for i in range(2_000))
    text = "Body went on.\n" + "".join(
        f"Label {label}: The star walks with her husband on the beach\n" for label in labels
    )
    assert find_captions(text) == []
    assert remove_caption_paragraphs(text) == text


def _shares_by_brute_force(paragraphs: list[str], candidates: list[int]):
    """What ``_Repetition`` answers, from every paragraph's triples: each candidate's best
    share of its triples that another paragraph holds (None without triples), and the work
    (for each candidate without a twin, the distinct triple sets that hold each triple)."""
    triples = [frozenset(shingles_in_order(p)) for p in paragraphs]
    best = {
        k: max(
            (len(triples[k] & triples[j]) / len(triples[k]) for j in range(len(triples)) if j != k),
            default=0,
        )
        if triples[k]
        else None
        for k in candidates
    }
    twinless = [k for k in candidates if triples.count(triples[k]) == 1]
    work = sum(
        len({triples[j] for j in range(len(triples)) if t in triples[j]})
        for k in twinless
        for t in triples[k]
    )
    return best, work


@_check(300)
@given(
    st.lists(
        st.lists(st.sampled_from(["we", "won", "the", "cup", "We", "Cup,", "cup."]), max_size=7),
        min_size=1,
        max_size=8,
    ).map(lambda paragraphs: [" ".join(words) for words in paragraphs]),
    st.data(),
)
def test_repetition_counts_what_every_paragraph_read_in_full_would(paragraphs, data):
    """``_Repetition`` reads in full only the candidates and the paragraphs that hold one of
    their triples; its answers are those of every paragraph read in full, whether it counts
    the shared triples by intersecting sets (few pairs) or along the triples' lists."""
    candidates = sorted(data.draw(st.sets(st.integers(0, len(paragraphs) - 1), min_size=1)))
    best, work = _shares_by_brute_force(paragraphs, candidates)
    for direct_pairs in (0, captions.DIRECT_PAIRS):
        with mock.patch.object(captions, "DIRECT_PAIRS", direct_pairs):
            repetition = _Repetition(paragraphs, candidates)
        assert {k: repetition.best(k) for k in candidates} == best
        assert repetition.work == work
