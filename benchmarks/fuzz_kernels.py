"""Fuzz the compiled kernels against their pure-Python twins with atheris (libFuzzer).

Not part of the test suite.  Each input is turned into a ``str`` (of any kind: ASCII,
Latin-1, two- and four-byte characters, lone surrogates, drawn from the characters the
kernels tell apart) and a few integers; every kernel must give what its twin gives, and
must not crash.  Run from the repository's root, after ``pip install atheris``::

    python benchmarks/fuzz_kernels.py -atheris_runs=500000

With an AddressSanitizer build of the extension (see CONTRIBUTING.md) first on the path and
``LD_PRELOAD`` set to gcc's libasan, it also checks that no kernel reads out of bounds.
libFuzzer's options pass through (``-max_total_time=600``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from cleantext import all_normalizers, kernels
    from cleantext.document import WORD
    from cleantext.encoding import LATIN1_LETTER_RUN, MOJIBAKE_HINT, _sign_bitmaps
    from cleantext.language import ENGLISH_FUNCTION_WORD_TUPLE
    from cleantext.quotes import DOUBLE, SINGLE, _paired_in_python

import _cleantext_speedups as compiled

# The tests' pattern for what doubled_word_places lists (its pure-Python twin asks only a
# cheap sign), from the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_kernels import doubled_places_reference

# What the kernels look at: word characters of every width, spaces of every kind, marks,
# mojibake's leads and continuations, combining marks, C1 controls, a lone surrogate.
ALPHABET = (
    "ab_1 \t\n\u00a0\u2028.,-?!'\"“”‘’ÃÂâ€™©¿\u200b\u00ad\x00\x1a\x85\ufffdÀÿ×÷éЖ中😀\ud800"
    "\u0301\u0300\u0130\u0131\u017f\u212aTheoAsn²([=\\—"
)
BITMAPS = _sign_bitmaps()
# The signs the default pipeline looks for, and a table of them.
REGISTERED_SIGNS = tuple(n.signs for n in all_normalizers() if n.signs)
REGISTERED_TABLE = compiled.compile_signs(REGISTERED_SIGNS)


def text_of(data: atheris.FuzzedDataProvider, most: int) -> str:
    size = data.ConsumeIntInRange(0, most)
    return "".join(ALPHABET[data.ConsumeIntInRange(0, len(ALPHABET) - 1)] for _ in range(size))


def one_input(raw: bytes) -> None:
    data = atheris.FuzzedDataProvider(raw)
    text = text_of(data, 200)
    expected = bool(MOJIBAKE_HINT.search(text) or LATIN1_LETTER_RUN.search(text))
    assert compiled.mojibake_sign(text, *BITMAPS) is expected, repr(text)
    start = kernels.WORD_AND_GAP.search(text)
    min_words, max_words = data.ConsumeIntInRange(-1, 6), data.ConsumeIntInRange(0, 32)
    if start is not None:
        arguments = (text, start.start(), min_words, max_words)
        assert compiled.may_loop(*arguments) == kernels.py_may_loop(*arguments), repr(text)
    pieces = kernels.WORD_AND_GAP.findall(text) + [text_of(data, 3) for _ in range(8)]
    first, end = data.ConsumeIntInRange(-3, 60), data.ConsumeIntInRange(-3, 60)
    arguments2 = (pieces, first, end, min_words, max_words)
    assert compiled.run_candidates(*arguments2) == kernels.py_run_candidates(*arguments2)
    words = ("the", "a", "to", "of")
    doubled = compiled.doubled_word_places(text, words)
    assert doubled == doubled_places_reference(text, words), repr(text)
    limit = data.ConsumeIntInRange(-1, 250)
    english = compiled.english_words(text, limit, ENGLISH_FUNCTION_WORD_TUPLE)
    assert english == kernels.py_english_words(text, limit, ENGLISH_FUNCTION_WORD_TUPLE)
    assert compiled.has_surrogate(text) is kernels.py_has_surrogate(text), repr(text)
    found = compiled.find_signs(REGISTERED_TABLE, text)
    assert found == kernels.py_find_signs(REGISTERED_SIGNS, text), repr(text)
    groups = tuple(
        tuple(text_of(data, 3) or "a" for _ in range(data.ConsumeIntInRange(0, 3)))
        for _ in range(data.ConsumeIntInRange(0, 4))
    )
    found = compiled.find_signs(compiled.compile_signs(groups), text)
    assert found == kernels.py_find_signs(groups, text), repr((groups, text))
    # Words and triples of the text itself, and drawn ones (which seldom are held).
    own = WORD.findall(text)
    wanted: set[str | tuple[str, ...]] = {
        text_of(data, 3) for _ in range(data.ConsumeIntInRange(0, 6))
    }
    wanted |= set(own[data.ConsumeIntInRange(0, 8) :: 3])
    wanted |= {
        (text_of(data, 2), text_of(data, 2), text_of(data, 2))
        for _ in range(data.ConsumeIntInRange(0, 6))
    }
    in_a_row = list(zip(own, own[1:], own[2:], strict=False))
    wanted |= set(in_a_row[data.ConsumeIntInRange(0, 8) :: 2])
    texts = [text, text_of(data, 40), text[len(text) // 2 :]]
    held = compiled.words_held(texts, wanted)
    assert held == kernels.py_words_held(texts, wanted), repr((texts, wanted))
    start = data.ConsumeIntInRange(0, len(text))
    end = data.ConsumeIntInRange(start, len(text))
    paired = _paired_in_python(text, start, end)
    fields = (paired.top[DOUBLE], paired.top[SINGLE], paired.closers, paired.unclosed)
    fields += (paired.glyphs, paired.ambiguous)
    assert compiled.quote_pairs(text, start, end) == fields, repr((text, start, end))


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
