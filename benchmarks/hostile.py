"""Idempotence and totality on hostile strings: every normalizer and every preset.

Not part of the test suite (it takes minutes).  Run from the repository's root::

    python -m pip install '.[test]' && python benchmarks/hostile.py

With a fixed seed it builds ``--count`` strings (10,000 by default) out of the pieces the
normalizers look for (``cleantext.testing.hostile_pieces()``: every family's
``HOSTILE_PIECES`` and plain words), a few kinds of piece per string, half of them spliced
into a paragraph of our own corpus.  Every registered normalizer and every preset must return
a ``str`` without raising and be idempotent on each.  Failures are printed shrunk (pieces,
then characters, removed while the failure stays), and the exit status is 1 if there were any.

For the presets it also reports how many passes the pipeline took to settle (see the
decision in ``cleantext.core``): the second pass is the price of idempotence by construction.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from cleantext import PIPELINE_ROUNDS, PRESETS, Pipeline, all_normalizers, preset
from cleantext.testing import hostile_pieces

ROOT = Path(__file__).resolve().parent.parent


def corpus_paragraphs() -> list[str]:
    """Paragraphs of our own corpus documents (their clean versions)."""
    paragraphs = []
    for path in sorted((ROOT / "corpus").glob("*.expected.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return paragraphs


def hostile_strings(count: int, seed: int, max_pieces: int) -> list[str]:
    """``count`` strings of a few kinds of hostile piece each, half spliced into a paragraph."""
    rng = random.Random(seed)
    pieces = hostile_pieces()
    paragraphs = corpus_paragraphs()
    strings = []
    for _ in range(count):
        kinds = rng.sample(pieces, rng.randint(1, 5))
        junk = "".join(rng.choice(kinds) for _ in range(rng.randint(1, max_pieces)))
        if rng.random() < 0.5:
            paragraph = rng.choice(paragraphs)
            at = rng.randint(0, len(paragraph))
            junk = paragraph[:at] + junk + paragraph[at:]
        strings.append(junk)
    return strings


def failure(normalize: Callable[[str], str], text: str) -> str | None:
    """Why ``normalize`` breaks its contract on ``text``, or None if it keeps it."""
    try:
        once = normalize(text)
        if not isinstance(once, str):
            return f"returned {type(once).__name__}"
        twice = normalize(once)
    except Exception as error:  # the contract is that nothing is raised: report, go on
        return f"raised {error!r}"
    return None if twice == once else f"once {once!r}, twice {twice!r}"


def shrink(normalize: Callable[[str], str], text: str) -> str:
    """A shorter text that still fails: remove chunks, halving their size down to one
    character, while the failure stays (a greedy delta debugging)."""
    size = max(1, len(text) // 2)
    while True:
        i = 0
        while i < len(text):
            candidate = text[:i] + text[i + size :]
            if candidate != text and failure(normalize, candidate) is not None:
                text = candidate
            else:
                i += size
        if size == 1:
            return text
        size //= 2


def passes(pipeline: Pipeline, text: str) -> int:
    """How many passes ``pipeline`` makes over ``text`` (``PIPELINE_ROUNDS + 1``: unsettled)."""
    steps = list(pipeline.leaves())
    for round_ in range(1, PIPELINE_ROUNDS + 1):
        before = text
        for step in steps:
            text = step(text)
        if text == before:
            return round_
    return PIPELINE_ROUNDS + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="strings per normalizer")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-pieces", type=int, default=40)
    parser.add_argument("--only", help="check only this normalizer or preset")
    parser.add_argument("--show", type=int, default=5, help="shrunk failures shown per item")
    args = parser.parse_args(argv)

    strings = hostile_strings(args.count, args.seed, args.max_pieces)
    items: list = [*all_normalizers(), *(preset(name) for name in PRESETS)]
    if args.only:
        items = [item for item in items if item.name == args.only]
    print(f"{len(strings)} hostile strings (seed {args.seed}), {len(items)} items")
    total = 0
    for item in items:
        start = time.process_time()
        failed = [text for text in strings if failure(item, text) is not None]
        seconds = time.process_time() - start
        total += len(failed)
        print(f"{item.name:34} {len(failed):6} failures  {seconds:7.1f} s CPU")
        shown = sorted({shrink(item, text) for text in failed[: args.show * 4]}, key=len)
        for text in shown[: args.show]:
            print(f"    {text!r}: {failure(item, text)}")
        if isinstance(item, Pipeline):
            counts = Counter(passes(item, text) for text in strings)
            summary = ", ".join(
                f"{n if n <= PIPELINE_ROUNDS else 'unsettled'}: {counts[n]}" for n in sorted(counts)
            )
            print(f"    passes to settle: {summary}")
    print(f"total failures: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
