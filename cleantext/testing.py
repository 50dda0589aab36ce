"""Hypothesis strategies for article-like text, and checks for the normalizer contract.

Use them to test your own normalizers the way cleantext tests its own (they need Hypothesis:
``pip install 'cleantext-articles[testing]'``)::

    from cleantext.testing import assert_idempotent, assert_total
    assert_idempotent(my_normalizer)
    assert_total(my_normalizer)

``clean_articles()`` generates professionally edited text (balanced curly quotes,
apostrophes, abbreviations, decimals, domains, primes): every normalizer must leave it
unchanged.  ``damaged_articles()`` injects the artifacts that cleantext repairs, of every
family, into such text.  ``hostile_text()`` builds strings out of the very pieces the
normalizers look for (every family declares its ``HOSTILE_PIECES``), alone or spliced into
articles: where stages interact, that is where idempotence breaks.  ``any_text()`` mixes all
of those with arbitrary code points, lone surrogates and NUL included.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleantext import registry

__all__ = [
    "ARTIFACTS",
    "any_text",
    "assert_idempotent",
    "assert_keeps_clean_text",
    "assert_total",
    "clean_articles",
    "damaged_articles",
    "flatten",
    "foreign_articles",
    "hostile_pieces",
    "hostile_text",
    "paragraphs",
    "sentences",
]

Normalize = Callable[[str], str]

# A small vocabulary of our own, shaped like news prose.
NOUNS = (
    "council",
    "police",
    "minister",
    "bakery",
    "river",
    "court",
    "report",
    "village",
    "team",
    "season",
    "budget",
    "hospital",
    "school",
    "family",
    "weather",
    "company",
    "election",
    "bridge",
    "museum",
    "festival",
    "coach",
    "shareholders",
    "volunteers",
    "investigators",
)
NAMES = (
    "Marguerite Okafor",
    "José Ferreira",
    "Dr. Anna Kowalski",
    "Mr. Tom Hale",
    "Priya Nair",
    "the U.S. Senate",
    "St. Mary’s Hospital",
    "Zoë Brandt",
    "O’Neill",
)
VERBS = (
    "said",
    "announced",
    "confirmed",
    "reopened",
    "rejected",
    "approved",
    "visited",
    "warned",
    "delayed",
    "praised",
    "questioned",
    "expected",
    "reported",
    "closed",
)
FILLERS = (
    "on Tuesday",
    "at 10.30 a.m.",
    "in Jan. 2019",
    "for £3.50",
    "by 2.5 per cent",
    "after the flood",
    "in the ’90s",
    "with rock ’n’ roll",
    "e.g. the budget",
    "on DailyMail.com",
    "at 6′2″ tall",
    "that that plan",
    "since 1961",
    "for $1,200",
    "in the town’s centre",
    "before the vote",
    "near the Halls’ farm",
    "— as expected —",
    "(the second time this year)",
    "within 48 hours",
    "at No. 10",
    "by 3-1",
)
OPENERS = ("The", "A", "Last week the", "On Monday the", "Officials said the", "This year the")


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """One well-formed sentence, sometimes a quotation with attribution."""
    parts = [draw(st.sampled_from(OPENERS)), draw(st.sampled_from(NOUNS))]
    parts.append(draw(st.sampled_from(VERBS)))
    # Edited prose does not repeat a phrase back to back (that is a decoder loop).
    parts.extend(draw(st.lists(st.sampled_from(FILLERS + NOUNS), max_size=3, unique=True)))
    if draw(st.booleans()):
        parts.insert(draw(st.integers(2, len(parts))), draw(st.sampled_from(NAMES)) + ",")
    body = " ".join(parts).rstrip(",")
    kind = draw(st.integers(0, 5))
    if kind == 0:
        speaker = draw(st.sampled_from(NAMES))
        return f"“{body},” {speaker} said. “We weren’t ready.”"
    if kind == 1:
        return f"“{body} — and it’s ‘not over’ yet,” she said."
    if kind == 2 and not body.endswith("."):
        return body + draw(st.sampled_from(("?", "!", "…", "...")))
    # A sentence that ends in an abbreviation ("a.m.") takes no second full stop.
    return body if body.endswith(".") else body + "."


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """A paragraph of one to four sentences."""
    return " ".join(draw(st.lists(sentences(), min_size=1, max_size=4, unique=True)))


@st.composite
def clean_articles(draw: st.DrawFn) -> str:
    """A clean article: paragraphs separated by one blank line (or by single line breaks)."""
    separator = draw(st.sampled_from(("\n\n", "\n")))
    return separator.join(draw(st.lists(paragraphs(), min_size=1, max_size=6)))


def _mojibake(text: str) -> str:
    import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-1252

    return text.encode("utf-8", "surrogatepass").decode("sloppy-windows-1252")


def _insert(fragment: str) -> Callable[[str, float], str]:
    """Insert ``fragment`` at a word boundary near the drawn position."""

    def damage(text: str, where: float) -> str:
        i = int(len(text) * where)
        i = text.find(" ", i)
        return text + fragment if i < 0 else text[:i] + fragment + text[i:]

    return damage


def _replace(old: str, new: str) -> Callable[[str, float], str]:
    """Replace the first ``old`` at or after the drawn position with ``new``."""

    def damage(text: str, where: float) -> str:
        i = text.find(old, int(len(text) * where))
        return text if i < 0 else text[:i] + new + text[i + len(old) :]

    return damage


def _mojibake_paragraph(text: str, where: float) -> str:
    parts = text.split("\n")
    k = int(len(parts) * where) % len(parts)
    parts[k] = _mojibake(parts[k])
    return "\n".join(parts)


CAPTION_LABELS = ("Hand in hand", "Revealing conversation", "Possible charges", "STAGED", "Dead")
# Label paragraphs that are not captions and must survive next to real ones.
CAPTION_LOOKALIKES = (
    "Update: The council confirmed the figures on Friday.",
    "Editor's note: An earlier version misspelt a name.",
    "Q: Why now\nA: Because the money ran out",
    "Marguerite Okafor said: “We are not going anywhere”",
    "The verdict: guilty on all counts, the jury said.",
    "Timeline",
    "It opens at 10:30 daily",
)


def _paraphrased_caption(text: str, where: float) -> str:
    """Repeat a paragraph of the article as a labelled caption without its full stop,
    its first sentence dropped or kept, next to the paragraph or elsewhere."""
    parts = text.split("\n")
    k = int(len(parts) * where) % len(parts)
    sentences = [s for s in parts[k].split(". ") if s]
    body = ". ".join(sentences[1:] if len(sentences) > 1 and where > 0.5 else sentences)
    label = CAPTION_LABELS[int(where * 97) % len(CAPTION_LABELS)]
    parts.insert((k + int(where * 7)) % (len(parts) + 1), f"{label}: {body.rstrip('.')}")
    return "\n".join(parts)


def _caption_lookalike(text: str, where: float) -> str:
    parts = text.split("\n")
    lookalike = CAPTION_LOOKALIKES[int(where * 101) % len(CAPTION_LOOKALIKES)]
    parts.insert(int(len(parts) * where) % (len(parts) + 1), lookalike)
    return "\n".join(parts)


# What the CNN/DailyMail scripts count as final punctuation (``END_TOKENS`` of
# ``make_datafiles.py`` and of Hugging Face's ``cnn_dailymail`` loader).
END_TOKENS = (".", "!", "?", "...", "'", "`", '"', "\u2019", "\u201d", ")")


def flatten(document: str) -> str:
    """Flatten an article as the CNN/DailyMail scripts did: strip each line, drop empty
    ones, append `` .`` to a line without final punctuation, join with spaces.

    >>> flatten("Rescue: Crews battle the tide\\n\\nThe bull was saved.\\n(pictured)")
    'Rescue: Crews battle the tide . The bull was saved. (pictured)'
    """
    lines = [line.strip() for line in document.splitlines()]
    return " ".join(line if line.endswith(END_TOKENS) else f"{line} ." for line in lines if line)


# Each artifact damages an article the way real pipelines do: a function of the text and a
# position (a fraction of the text length, drawn by Hypothesis) that returns damaged text.
ARTIFACTS: dict[str, Callable[[str, float], str]] = {
    # encoding and characters
    "mojibake": _mojibake_paragraph,
    "bom": lambda t, w: "\ufeff" + t,
    "control": _insert("\x00\x07"),
    "zero_width": _insert("\u200b"),
    "soft_hyphen": _replace("ment", "men\u00adt"),
    "decomposed": _replace("é", "e\u0301"),
    "lone_surrogate": _insert("\ud83d"),
    "surrogate_pair": _insert("\ud83d\ude00"),
    # whitespace
    "crlf": lambda t, w: t.replace("\n", "\r\n"),
    "line_separator": _replace("\n", "\u2028"),
    "nbsp": _replace(" ", "\u00a0"),
    "double_space": _replace(" ", "  "),
    "trailing_space": _replace("\n", "  \n"),
    "blank_lines": _replace("\n", "\n\n\n \n"),
    "leading_space": lambda t, w: " \n " + t,
    # punctuation and boilerplate
    "double_period": _replace(".", ". ."),
    "space_before_comma": _replace(",", " ,"),
    "cnn_separator": _replace(". ", " . "),
    "metadata_prefix": lambda t, w: "date 2022-08-21 " + t,
    "byline": lambda t, w: (
        "By . Daily Mail Reporter . PUBLISHED: . 12:00 EST, 1 January 2014 . " + t
    ),
    "scroll_down": _replace("\n", "\nScroll down for video\n"),
    "web_furniture": _replace("\n", "\nAdvertisement\nShare this article\nRead more: Storm\n"),
    "doubled_comma": _replace(",", ",,"),
    "comma_period": _replace(".", ",."),
    "dot_run": _replace("...", "....."),
    "spaced_ellipsis": _replace("…", ". . ."),
    "orphan_mark": _replace("\n", "\n. "),
    "glued_sentence": _replace(". ", "."),
    "wrapped_line": _replace(" the ", " the . "),
    "spaced_brackets": _replace("(", "( "),
    "cnn_dateline": lambda t, w: "LONDON, England (CNN) -- " + t,
    "flattened": lambda t, w: flatten(t),
    # captions
    "caption": _replace("\n", "\nHand in hand: The coach stands by the team (pictured in 2019)\n"),
    "inline_photo_marker": _replace(" said", " (pictured) said"),
    "paraphrased_caption": _paraphrased_caption,
    "caption_lookalike": _caption_lookalike,
    # quotes
    "single_for_double": _replace("“", "‘"),
    "unclosed_quote": _replace("”", ""),
    "mixed_pair": _replace("”", "’"),
    "low9_quote": _replace("“", "„"),
    "guillemets": _replace("“", "« "),
    "ptb_quotes": _replace("“", "``"),
    # machine translation and tokenizer output
    "moses_escape": _replace("’", "&apos;"),
    "double_escape": _replace("&", "&amp;amp;"),
    "bpe": _replace("ment", "m@@ ent"),
    "sentencepiece": _replace(" the", "▁the"),
    "ptb_contraction": _replace("n’t", " n't"),
    "french_spacing": _replace("?", " ?"),
    "model_token": _insert(" <unk>"),
    "loop": lambda t, w: t + " " + t.split("\n")[-1],
    "doubled_word": _replace(" the ", " the the "),
    "wikitext": _replace("-", " @-@ "),
    "digit_group_space": _replace("1,200", "1, 200"),
    "spaced_quote": _replace("“", "“ "),
    "spaced_colon": _replace(": ", " : "),
    "ptb_bracket": _replace("(", "-LRB- "),
}


@st.composite
def damaged_articles(draw: st.DrawFn, min_artifacts: int = 1, max_artifacts: int = 5) -> str:
    """A clean article with artifacts of any family injected at drawn positions."""
    text = draw(clean_articles())
    names = draw(
        st.lists(st.sampled_from(sorted(ARTIFACTS)), min_size=min_artifacts, max_size=max_artifacts)
    )
    for name in names:
        text = ARTIFACTS[name](text, draw(st.floats(0, 1)))
    return text


#: Sentences of our own in other languages and scripts, each in its own conventions.
FOREIGN_SENTENCES = (
    "„Wir öffnen die Brücke am Montag“, sagte die Bürgermeisterin.",
    "Die Arbeiten dauerten länger als geplant.",
    "« Pourquoi si tard ? » demanda-t-elle au conseil.",
    "¿Por qué tan tarde? ¡Nadie lo sabe todavía!",
    "„Most otevřeme v pondělí,“ řekla starostka.",
    "«Мы откроем мост в понедельник», — сказала мэр.",
    "“市长说：‘大桥周一重新开放。’”",
    "「橋は月曜日に再開します」と市長は述べた。",
    "״נפתח את הגשר ביום שני״, אמרה ראש העירייה.",
)


@st.composite
def foreign_articles(draw: st.DrawFn) -> str:
    """Articles in another language, or mixed with English ones, with artifacts that every
    language's text can have (a zero-width space, an entity, mojibake, a BPE split)."""
    parts = draw(
        st.lists(st.one_of(st.sampled_from(FOREIGN_SENTENCES), sentences()), min_size=1, max_size=8)
    )
    text = draw(st.sampled_from([" ", "\n\n"])).join(parts)
    for damage in draw(st.lists(st.sampled_from(sorted(FOREIGN_DAMAGE)), max_size=3)):
        text = FOREIGN_DAMAGE[damage](text, draw(st.floats(0, 1)))
    return text


#: Damage that is damage in any language.
FOREIGN_DAMAGE = {
    "zero_width": _insert("\u200b"),
    "entity": _insert(" &amp; "),
    "bpe": _insert("@@ "),
    "mojibake": _mojibake_paragraph,
    "doubled_space": _insert("  "),
}


#: Any code point, surrogates and controls included (Hypothesis leaves surrogates out by default).
ALL_CODE_POINTS = st.characters(exclude_categories=())


#: Plain pieces that hostile strings mix with the families' own: the words a pattern needs on
#: either side of a mark, and the separators where it stops.
PLAIN_PIECES = ("a", "A", "x", "word", "Word", "the ", "1", " ", "\n", "said. ", "We won. ")


def hostile_pieces() -> tuple[str, ...]:
    """What hostile strings are made of: every family's ``HOSTILE_PIECES`` and plain pieces."""
    return registry.hostile_pieces() + PLAIN_PIECES


def _splice(article: str, junk: str, where: float) -> str:
    i = int(len(article) * where)
    return article[:i] + junk + article[i:]


def hostile_text(max_pieces: int = 40) -> st.SearchStrategy[str]:
    """Strings made of the pieces the normalizers look for, alone or spliced into an article.

    Not article-like at all (``'«Ã»'``, ``'the the  \'s'``, ``'»«▁?'``): each piece sets off a
    normalizer, and the next piece is what another normalizer looks for.  Hypothesis shrinks
    a failure to the few pieces that matter.
    """
    # A few pieces are drawn first and the string is made of those only: interactions are
    # between two or three kinds of piece, and out of all of them at once they come too rarely.
    kinds = st.lists(st.sampled_from(hostile_pieces()), min_size=1, max_size=5, unique=True)
    junk = kinds.flatmap(
        lambda chosen: st.lists(st.sampled_from(chosen), min_size=1, max_size=max_pieces)
    ).map("".join)
    spliced = st.builds(_splice, damaged_articles(max_artifacts=2), junk, st.floats(0, 1))
    return st.one_of(junk, spliced)


def any_text() -> st.SearchStrategy[str]:
    """Damaged articles (in English, other languages and mixed), hostile strings, arbitrary
    strings, and articles with noise after."""
    noise = st.text(ALL_CODE_POINTS, max_size=200)
    return st.one_of(
        damaged_articles(),
        foreign_articles(),
        hostile_text(),
        noise,
        st.tuples(damaged_articles(), noise).map(lambda pair: pair[0] + pair[1]),
    )


def _check(max_examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
        # Without a database, a rare failure is replayed from the blob printed with it
        # (``@reproduce_failure``), in CI as here.
        print_blob=True,
    )


def _name(normalizer: Normalize) -> str:
    name = getattr(normalizer, "name", None) or getattr(normalizer, "__name__", None)
    return str(name) if name else repr(normalizer)


def assert_idempotent(
    *normalizers: Normalize,
    max_examples: int = 200,
    texts: st.SearchStrategy[str] | None = None,
) -> None:
    """Fail with a minimal counterexample unless ``normalizer(normalizer(x)) == normalizer(x)``
    for every given normalizer and every text drawn from ``texts`` (by default ``any_text()``).

    Several normalizers are checked on the same texts, which costs far less than drawing
    texts for each (drawing an article costs more than cleaning it).

    >>> assert_idempotent(str.strip, max_examples=20)
    >>> assert_idempotent(str.strip, str.lower, max_examples=20, texts=hostile_text())
    """

    @_check(max_examples)
    @given(any_text() if texts is None else texts)
    def idempotent(text: str) -> None:
        for normalizer in normalizers:
            once = normalizer(text)
            twice = normalizer(once)
            assert twice == once, (
                f"{_name(normalizer)} not idempotent:\n"
                f" input {text!r}\n once  {once!r}\n twice {twice!r}"
            )

    idempotent()


def assert_total(
    *normalizers: Normalize,
    max_examples: int = 200,
    texts: st.SearchStrategy[str] | None = None,
) -> None:
    """Fail unless every given normalizer returns a ``str`` for every text drawn from
    ``texts`` (by default ``any_text()``), without raising.

    >>> assert_total(str.upper, max_examples=20)
    """

    @_check(max_examples)
    @given(any_text() if texts is None else texts)
    def total(text: str) -> None:
        for normalizer in normalizers:
            result = normalizer(text)
            assert isinstance(result, str), (
                f"{_name(normalizer)} returned {type(result).__name__}, not str"
            )

    total()


def assert_keeps_clean_text(*normalizers: Normalize, max_examples: int = 200) -> None:
    """Fail unless every given normalizer leaves clean, professionally edited text unchanged.

    >>> assert_keeps_clean_text(str.rstrip, max_examples=20)
    """

    @_check(max_examples)
    @given(clean_articles())
    def keeps(text: str) -> None:
        for normalizer in normalizers:
            result = normalizer(text)
            assert result == text, (
                f"{_name(normalizer)} changed clean text:\n input  {text!r}\n output {result!r}"
            )

    keeps()
