"""Worst-case cost of every normalizer on crafted hostile inputs, at 100 KB and 1 MB.

Not part of the test suite (it takes minutes).  Run from the repository's root::

    python -m pip install . && python benchmarks/adversarial.py
    python benchmarks/adversarial.py --only collapse_repeats --sizes 100000 1000000

A cleaner in front of terabytes must not hang on one hostile document.  Every registered
normalizer, and the default pipeline, runs on crafted inputs: the generic ones (each piece
the normalizers look for, repeated until the input has the size) and specific ones made
against a normalizer (``a - a - a -`` for the loop search, ``&amp;amp;amp;…`` for the
escapes, thousands of caption paragraphs…).  CPU time (``time.process_time``) is measured at
each size, in a worker process that the script kills when a case takes longer than
``--timeout`` seconds, so that one hang cannot stall the run; a case whose time at a size
already predicts more than the timeout at the next size is not run there either.  Both count
as failures.

Limits, checked at the largest size: at most 1 s of CPU per MB for a normalizer (2 s for the
pipeline), and at most 12× growth from the smallest size to the largest (10× is linear).
Growth is not judged below 0.05 s at the largest size, where timer noise decides the ratio.
A row over the growth limit is measured once more, at three and nine times the largest
size: a pass over a megabyte costs more per byte than over 100 KB (the string, and what is
made from it, no longer fit the processor's caches; ``str.split()`` alone grows 17–21× from
100 KB to 1 MB here), and where the cost then grows no faster than the input over one of
those two steps (at most 3.6× for 3× the size; a quadratic cost grows 9× at each), the row
passes with a note; ``--strict`` fails it anyway.
The exit status is 1 if any row breaks a limit, raised, or was not idempotent
(``f(f(x)) == f(x)`` is checked at the smallest size).

The table lists every row of a normalizer on the inputs made against it, every row of the
pipeline, every failure, and for each normalizer its slowest row on the other inputs
(``--all`` lists every row).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = "pipeline(default)"
#: CPU seconds per MB allowed at the largest size, for a normalizer and for the pipeline.
NORMALIZER_SECONDS_PER_MB = 1.0
PIPELINE_SECONDS_PER_MB = 2.0
#: Largest growth of the time from the smallest size to the largest (10× is linear).
MAX_GROWTH = 12.0
#: Below this many seconds at the largest size, growth is not judged (noise decides it).
GROWTH_FLOOR = 0.05
#: A row over the growth limit is measured again at three and nine times the largest size:
#: if one of those steps costs at most this many times as much, the growth was a step in the
#: cost per byte (the input outgrew the processor's caches), not a cost that keeps growing,
#: and the row passes (``--strict``: it fails all the same).
BEYOND_GROWTH = 3.6
#: A measurement under this many seconds is repeated (at most ``REPEATS`` times in all) and
#: the fastest kept, so that small times are not noise.
REPEAT_BELOW = 0.05
REPEATS = 5


# ---------------------------------------------------------------------------------------
# Inputs


def repeated(unit: str) -> Callable[[int], str]:
    """``unit`` repeated to ``size`` characters."""

    def build(size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return build


def numbered(template: str, joiner: str = "") -> Callable[[int], str]:
    """``template`` formatted with 0, 1, 2… (``{i}``, and ``{w}``, a word made of the
    number's digits spelled as letters), joined until the text has ``size`` characters."""

    def build(size: int) -> str:
        parts, total, i = [], 0, 0
        while total < size:
            word = "".join("abcdefghij"[int(d)] for d in str(i))
            part = template.format(i=i, w=word.capitalize(), lw=word) + joiner
            parts.append(part)
            total += len(part)
            i += 1
        return "".join(parts)[:size]

    return build


def thue(size_words: int) -> list[int]:
    """A square-free word over three letters (no factor ``xx``): words that repeat often
    but never back to back, the worst case for a search for loops that finds none."""
    # The Thue–Morse sequence's run lengths between its 1s give the square-free ternary word.
    bits = [bin(i).count("1") % 2 for i in range(size_words * 3 + 4)]
    word, run = [], 0
    for bit in bits:
        if bit:
            word.append(run)
            run = 0
        else:
            run += 1
    return word[:size_words]


def square_free(words: tuple[str, str, str], separator: str = " ") -> Callable[[int], str]:
    def build(size: int) -> str:
        count = size // (min(map(len, words)) + len(separator)) + 1
        return separator.join(words[k] for k in thue(count))[:size]

    return build


def corpus_text() -> str:
    """The clean documents of our own corpus, one after another."""
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.expected.txt"))
    ]
    return "\n\n".join(texts)


def corpus_repeated(size: int) -> str:
    return repeated(corpus_text() + "\n\n")(size)


def flattened_article(size: int) -> str:
    """The corpus flattened as the CNN/DailyMail dataset stores articles: one line, `` .``
    after every line without final punctuation, captions and furniture inline."""
    lines = []
    for i, paragraph in enumerate(corpus_text().split("\n")):
        if paragraph.strip():
            lines.append(paragraph.strip())
        if i % 3 == 0:
            lines.append(f"Rescue {i}: Two volunteers wade through the rising water near pier {i}")
        if i % 5 == 0:
            lines.append("Scroll down for video")
    unit = " ".join(line if line[-1] in ".!?" else line + " ." for line in lines) + " "
    return repeated(unit)(size)


@dataclass(frozen=True)
class Case:
    """A hostile input: how to build it at a size, and the normalizers it was made against
    (its rows are always listed)."""

    name: str
    build: Callable[[int], str]
    targets: tuple[str, ...] = ()


LOOPS = ("collapse_repeats",)
CRAFTED: tuple[Case, ...] = (
    # The loop search: separators of spaces and marks between one-word copies backtracked
    # exponentially; loops, barriers and lines one after another made it quadratic.
    Case("'a - a - …'", repeated("a - "), LOOPS),
    Case("'x . x . …'", repeated("x . "), LOOPS),
    Case("'a , a , …'", repeated("a , "), LOOPS),
    Case("'1 - 1 - …'", repeated("1 - "), LOOPS),
    Case("'word — word — …'", repeated("word — "), LOOPS),
    Case("'a\\t-\\ta\\t-…'", repeated("a\t-\t"), LOOPS),
    Case("'a -- a -- …'", repeated("a -- "), LOOPS),
    Case("'a ; a : a / …'", repeated("a ; a : a / "), LOOPS),
    Case("'a  -  a  -  …'", repeated("a  -  "), LOOPS),
    Case("'a … a … …'", repeated("a … "), LOOPS),
    Case("'“a” “a” …'", repeated("“a” "), LOOPS),
    Case("'a - - - - - - - - b …'", repeated("a - - - - - - - - b - - - - - - - - "), LOOPS),
    Case("'. . …'", repeated(". "), LOOPS),
    Case("'word . word . …'", repeated("word . "), (*LOOPS, "remove_space_before_punctuation")),
    Case("'\" \" …'", repeated('" '), (*LOOPS, "remove_space_inside_quotes")),
    Case("\"' ' …\"", repeated("' "), (*LOOPS, "remove_space_inside_quotes")),
    Case("'( ) ( ) …'", repeated("( ) "), (*LOOPS, "remove_space_before_punctuation")),
    Case("'[1] [1] …'", repeated("[1] "), (*LOOPS, "remove_space_before_marks")),
    Case("' ? ? …'", repeated(" ?"), (*LOOPS, "remove_space_before_marks")),
    Case("spaced URLs", repeated("https: / / example.org / a / b "), (*LOOPS, "join_spaced_urls")),
    Case("one long spaced URL", lambda n: "see https: / / x.org" + repeated(" / a")(n), LOOPS),
    Case("'@@ @@ …'", repeated("@@ "), (*LOOPS, "join_subwords")),
    Case("'gov@@ ern@@ …'", repeated("gov@@ ern@@ "), (*LOOPS, "join_subwords")),
    Case("short lines", repeated("We won the cup.\n"), LOOPS),
    Case("short paragraphs", repeated("We won the cup.\n\n"), LOOPS),
    Case("numbered lines", numbered("Line {i} of the text\n"), LOOPS),
    Case("a loop, then a barrier", repeated("we won the cup we won the cup, "), LOOPS),
    Case("a loop, then a line break", repeated("we won the cup. we won the cup.\n"), LOOPS),
    Case("one long loop", repeated("The police arrived at the scene. "), LOOPS),
    Case("30-word loops", numbered(" ".join(f"w{k}" for k in range(29)) + " {lw}. "), LOOPS),
    Case("31-word period", repeated(" ".join(f"w{k}" for k in range(31)) + " "), LOOPS),
    Case("near loops", numbered("a b c d e {lw}. a b c d e f. "), LOOPS),
    Case("square-free words", square_free(("a", "b", "c")), LOOPS),
    Case("square-free sentences", square_free(("We won.", "They lost.", "Rain fell."), " "), LOOPS),
    Case("square-free, commas", square_free(("a b", "c d,", "e f")), LOOPS),
    Case("'the the …'", repeated("the "), LOOPS),
    Case("'the The …'", repeated("the The "), LOOPS),
    Case("'the theatre …'", repeated("the theatre "), LOOPS),
    Case("'so so far so so …'", repeated("so so so so far "), LOOPS),
    Case("nested loops", lambda n: repeated(nested_loop(6))(n), LOOPS),
    Case("a loop of changing case", repeated("Let it snow let it snow "), LOOPS),
    # Glued sentences: the word around each stop was looked for from the stop to the next
    # space, which a text without spaces does not have.
    Case("'word.Word…' without spaces", repeated("word.Word"), ("space_glued_sentences",)),
    Case("'said.Then …'", repeated("said.Then "), ("space_glued_sentences",)),
    Case("'ab.Cd?Ef!Gh…'", repeated("ab.Cd?Ef!Gh"), ("space_glued_sentences",)),
    Case("glued URL-like", repeated("www.x.Com/ab.Cd"), ("space_glued_sentences",)),
    # Escapes decoded one level per round.
    Case("'&amp;amp;amp;…'", lambda n: "&" + repeated("amp;")(n) + "quot;", ("unescape_entities",)),
    Case("'&#38;#38;#38;…'", lambda n: "&" + repeated("#38;")(n) + "quot;", ("unescape_entities",)),
    Case("'&amp;#38;amp;…'", lambda n: "&" + repeated("amp;#38;")(n), ("unescape_entities",)),
    Case("'&amp;&amp;…'", repeated("&amp;"), ("unescape_entities",)),
    Case("'&amp;quot; …'", repeated("&amp;quot; "), ("unescape_entities",)),
    Case("'&&#97;mp;…'", repeated("&&#97;mp;"), ("unescape_entities",)),
    Case(
        "nested '@ @-@ @'",
        lambda n: repeated("@ ")(n // 2) + "@-@" + repeated(" @")(n // 2),
        ("undo_wikitext_escapes",),
    ),
    Case("'a @-@ b @,@ …'", repeated("a @-@ b @,@ "), ("undo_wikitext_escapes",)),
    Case("'@@-@@ …'", repeated("@@-@@ "), ("undo_wikitext_escapes",)),
    # Captions: every caption paragraph was compared with every other paragraph.
    Case(
        "caption paragraphs",
        numbered("Body {i} went on.\nLabel {w}: The star walks with her husband on the beach\n"),
        ("remove_caption_paragraphs",),
    ),
    Case(
        "distinct captions",
        numbered("Rescue {w}: Crews battle the tide near pier {w} as {w} watches on\n"),
        ("remove_caption_paragraphs",),
    ),
    Case(
        "marked paragraphs",
        repeated("The star walks with her husband on the beach (pictured)\n"),
        ("remove_caption_paragraphs", "remove_photo_markers"),
    ),
    Case(
        "near-duplicate captions",
        numbered("Rescue {w}: the star walks with her husband on the beach at {w}\n"),
        ("remove_caption_paragraphs",),
    ),
    Case(
        "'Hand in hand: ' paragraphs", repeated("Hand in hand: x\n"), ("remove_caption_paragraphs",)
    ),
    # Flattened articles: each caption's label counted in the whole text, each marker sliced
    # the text before it.
    Case("flattened article", flattened_article, ("repair_flattened_article",)),
    Case(
        "flattened captions",
        numbered("Rescue {w}: Crews battle the tide near pier {w} . "),
        ("repair_flattened_article",),
    ),
    Case(
        "flattened markers",
        numbered("Label {w}: The star walks (pictured) Then {w} went home . "),
        ("repair_flattened_article",),
    ),
    Case(
        "flattened wraps", repeated("the mayor of . Ledbury said . "), ("repair_flattened_article",)
    ),
    Case(
        "'a . B . …'",
        repeated("a . B . "),
        ("repair_flattened_article", "remove_wrapped_line_periods"),
    ),
    Case("one line of ' .'", repeated("word . Word . "), ("repair_flattened_article",)),
    # Leading metadata: each field removed sliced the rest of the text.
    Case("'date 2022-08-21 …'", repeated("date 2022-08-21 "), ("remove_leading_metadata",)),
    Case("'By . X . …'", repeated("By . Anna Smith . "), ("remove_leading_metadata",)),
    Case("'(CNN) -- …'", repeated("(CNN) -- "), ("remove_leading_metadata",)),
    Case("'title: …'", repeated("title: "), ("remove_leading_metadata",)),
    Case("'By A B C D …'", lambda n: "By " + repeated("Anna ")(n), ("remove_leading_metadata",)),
    # Punctuation repaired one mark per round.
    Case("'a,.,.,.…'", lambda n: "a" + repeated(",.")(n), ("collapse_doubled_punctuation",)),
    Case("'a:.:.:.…'", lambda n: "a" + repeated(":.")(n), ("collapse_doubled_punctuation",)),
    Case("'a, . , . …'", lambda n: "a" + repeated(", . ")(n), ("collapse_doubled_punctuation",)),
    Case(
        "'a. . . . …'",
        lambda n: "a" + repeated(". ")(n),
        ("collapse_doubled_punctuation", "normalize_ellipses"),
    ),
    Case("'word .. word ..'", repeated("word .. "), ("collapse_doubled_punctuation",)),
    Case("'( a ( a …'", repeated("( a "), ("remove_space_before_punctuation",)),
    Case("'a , , , …'", lambda n: "a" + repeated(" ,")(n), ("remove_space_before_punctuation",)),
    Case(
        "'a ( a ) …' without breaks", repeated("a ( b c ) "), ("remove_space_before_punctuation",)
    ),
    Case("'\\n. \\n. …'", repeated("\n. "), ("remove_orphan_punctuation",)),
    # Quote pairs: a closer of the other family looked through the whole stack of openers,
    # and each minority quotation sliced the text before it.
    Case(
        "'“a “a … a’ a’ …'",
        lambda n: repeated("“a ")(n // 2) + repeated("a’ ")(n - n // 2),
        ("fix_quote_pairs",),
    ),
    Case("'“a.” “a.” ‘a.’ …'", repeated("“a.” “a.” ‘a.’ "), ("fix_quote_pairs",)),
    # Tokens: spaced marks, quotes and digit groups.
    Case("'\" a \" a …'", repeated('" a '), ("remove_space_inside_quotes",)),
    Case("\"' a ' a …\"", repeated("' a "), ("remove_space_inside_quotes",)),
    Case("'_ a _ a …'", repeated("_ a "), ("remove_space_inside_quotes",)),
    Case("'“ a “ a …'", repeated("“ a "), ("remove_space_inside_quotes",)),
    Case("'1, 000, 000, …'", lambda n: "1" + repeated(", 000")(n), ("join_digit_groups",)),
    Case("'1, 2, 3, …'", repeated("1, 2, "), ("join_digit_groups",)),
    # Each split number looked for a month before it from the text's start.
    Case("'for 140, 000 people …'", repeated("for 140, 000 people "), ("join_digit_groups",)),
    Case("'do n't it 's …'", repeated("do n't it 's "), ("undo_ptb_tokens",)),
    Case("'a ' s ' …'", repeated("a ' s ' "), ("undo_ptb_tokens",)),
    Case("'a : a ; a ! …'", repeated("a : a ; a ! "), ("remove_space_before_marks",)),
    Case("'10 : 30 …'", repeated("10 : 30 "), ("remove_space_before_marks",)),
    Case("'US $ 5 …'", repeated("US $ 5 "), ("remove_space_before_marks",)),
    Case("'▁ ▁ …'", repeated("\u2581 "), ("join_subwords",)),
    Case("'<unk> …'", repeated("<unk> "), ("remove_model_tokens",)),
    # Characters and whitespace.
    Case("'Ã©Ã©…'", repeated("Ã©"), ("fix_mojibake",)),
    Case("'â€™ …'", repeated("caf\u00c3\u00a9 it\u00e2\u20ac\u2122s "), ("fix_mojibake",)),
    Case("one long mojibake line", repeated("Ã© a"), ("fix_mojibake",)),
    # The compiled sign scan looks past removable characters after each lead and mark.
    Case("'Â\\u200b…' leads and zero-width runs", repeated("Â" + "\u200b" * 7), ("fix_mojibake",)),
    Case("'e\\u0301…' letters and marks", repeated("e\u0301\u0302\u200b"), ("fix_mojibake",)),
    # Cyrillic read as Latin-1, a line at a time and as one line.
    Case(
        "Windows-1251 read as Latin-1",
        repeated("Ïðèâåò, ìèð! Â ïÿòíèöó ìîñò îòêðîþò.\n"),
        ("fix_mojibake",),
    ),
    Case("'ÃÃÃÃ…' Latin-1 letters", repeated("ÃÃÃÃ©"), ("fix_mojibake",)),
    Case("'  a  …'", repeated("  a"), ("collapse_spaces",)),
    Case("'\\n \\n \\n…'", repeated("\n \n"), ("collapse_blank_lines", "strip_trailing_spaces")),
    Case("corpus, repeated", corpus_repeated),
)


def nested_loop(depth: int) -> str:
    """A loop of loops: ``x y z x y z w x y z x y z w …``, settled one level per round."""
    text = "x y z"
    for level in range(depth):
        text = f"{text} {text} v{level}"
    return text + " "


#: Pieces repeated to the size: the characters and pieces the normalizers look for.
GENERIC_PIECES = (
    " ",
    "\t",
    "\n",
    "\n\n",
    " \n",
    "a ",
    "A ",
    "word ",
    "Word. ",
    "a.",
    "A.",
    ".",
    ". ",
    " .",
    "..",
    ". .",
    "...",
    "…",
    ",",
    " ,",
    ",,",
    ", ",
    ";",
    " ;",
    ":",
    " :",
    " : ",
    "?",
    " ?",
    "!",
    " !",
    "&",
    "&amp;",
    "&#",
    "&#91;",
    "@",
    "@@",
    "@@ ",
    "@-@",
    " @-@ ",
    "(",
    ")",
    "( ",
    " )",
    "()",
    "[",
    "]",
    "[ ",
    " ]",
    "[1]",
    '"',
    ' "',
    '" ',
    "'",
    " '",
    "' ",
    "“",
    "”",
    "‘",
    "’",
    "« ",
    " »",
    "„",
    "-",
    " - ",
    "--",
    " -- ",
    "—",
    "_",
    "_ ",
    "/",
    " / ",
    "+",
    "%",
    " %",
    "$",
    "$ ",
    "$ 1",
    "1",
    "1, ",
    ", 000",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\u00ad",
    "\x85",
    "\r",
    "\u2028",
    "Ã",
    "Ã©",
    "â€",
    "\u2581",
    "<",
    "<unk>",
    "[SEP]",
    "-LRB-",
    " n't",
    " 's",
    "' s",
    "x:",
    "A: ",
    "By . ",
    "date ",
    "(CNN)",
    "(pictured)",
    "(left) ",
    "Pictured: ",
    "http://",
    ": / / ",
    "www.",
    "\ud800",
)


def generic_cases() -> list[Case]:
    pieces: dict[str, None] = dict.fromkeys(GENERIC_PIECES)
    try:  # every family's own pieces, when the registry declares them
        from cleantext.testing import hostile_pieces

        pieces.update(dict.fromkeys(hostile_pieces()))
    except Exception:
        pass
    return [Case(f"repeat {piece!r}", repeated(piece)) for piece in pieces]


def all_cases() -> list[Case]:
    return [*CRAFTED, *generic_cases()]


# ---------------------------------------------------------------------------------------
# The worker: measures one (normalizer, case, size) at a time, read from stdin as JSON.


def worker() -> None:
    from cleantext import all_normalizers, preset

    functions: dict[str, Callable[[str], str]] = {n.name: n for n in all_normalizers()}
    functions[PIPELINE] = preset("default")
    cases = {case.name: case for case in all_cases()}
    built: dict[tuple[str, int], str] = {}
    for line in sys.stdin:
        task = json.loads(line)
        name, case, size = task["normalizer"], task["case"], task["size"]
        key = (case, size)
        if key not in built:
            if all(case != other for other, _ in built):
                built.clear()  # the inputs of one case at a time in memory
            built[key] = cases[case].build(size)
        text = built[key]
        function = functions[name]
        result: dict[str, object] = {"bytes": len(text.encode("utf-8", "surrogatepass"))}
        try:
            best, runs = float("inf"), 0
            while runs < REPEATS:
                start = time.process_time()
                output = function(text)
                best, runs = min(best, time.process_time() - start), runs + 1
                if best >= REPEAT_BELOW and runs >= task.get("runs", 1):
                    break
            result["seconds"] = best
            if task["check"]:
                result["idempotent"] = function(output) == output
        except Exception as error:  # a normalizer must never raise: report it
            result["error"] = repr(error)[:200]
        print(json.dumps(result), flush=True)


class Worker:
    """A worker process, restarted after a timeout."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def run(self, task: dict[str, object], timeout: float) -> dict[str, object]:
        if self.process is None:
            self.process = subprocess.Popen(
                [sys.executable, __file__, "--worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(task) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.stop()
            return {"timeout": True}
        return json.loads(line)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


# ---------------------------------------------------------------------------------------
# The table


@dataclass
class Row:
    normalizer: str
    case: str
    targeted: bool
    seconds: dict[int, float | None]  # None: timed out or skipped
    notes: list[str]
    megabytes: float = 0.0
    # Seconds at the largest size and at three and nine times it, measured again together,
    # if the growth was over the limit.
    beyond: list[float | None] = field(default_factory=list)

    def limit(self) -> float:
        return PIPELINE_SECONDS_PER_MB if self.normalizer == PIPELINE else NORMALIZER_SECONDS_PER_MB

    def per_mb(self) -> float | None:
        last = self.seconds[max(self.seconds)]
        return None if last is None or not self.megabytes else last / self.megabytes

    def growth(self) -> float | None:
        first, last = self.seconds[min(self.seconds)], self.seconds[max(self.seconds)]
        if first is None or last is None or len(self.seconds) < 2:
            return None
        return last / max(first, 1e-6)

    def failures(self) -> list[str]:
        problems = list(self.notes)
        per_mb = self.per_mb()
        if per_mb is not None and per_mb > self.limit():
            problems.append(f"> {self.limit():g} s/MB")
        if self.grows_too_fast() and not self.cache_step():
            problems.append(f"growth > {MAX_GROWTH:g}×{self.beyond_note()}")
        return problems

    def grows_too_fast(self) -> bool:
        growth, last = self.growth(), self.seconds[max(self.seconds)]
        return (
            growth is not None
            and last is not None
            and last >= GROWTH_FLOOR
            and (growth > MAX_GROWTH)
        )

    def cache_step(self) -> bool:
        """Whether the growth stops beyond the largest size: from it to three times it, or
        from there to nine times it, the cost grows at most ``BEYOND_GROWTH`` times (a step
        in the cost per byte where the input outgrows the processor's caches, not a cost
        that grows with the input)."""
        return any(step <= BEYOND_GROWTH for step in self.beyond_steps())

    def beyond_steps(self) -> list[float]:
        seconds = self.beyond
        return [
            after / max(before, 1e-6)
            for before, after in itertools.pairwise(seconds)
            if before is not None and after is not None
        ]

    def beyond_note(self) -> str:
        steps = self.beyond_steps()
        if not steps:
            return ""
        return " (" + ", then ".join(f"×{step:.1f}" for step in steps) + " per 3× the size)"

    def status(self) -> str:
        problems = self.failures()
        if problems:
            return "FAIL: " + "; ".join(problems)
        if self.grows_too_fast():
            return f"ok (cache step{self.beyond_note()})"
        return "ok"


def measure(
    names: list[str],
    cases: list[Case],
    sizes: list[int],
    timeout: float,
    *,
    progress: bool,
    confirm: bool,
) -> list[Row]:
    rows: list[Row] = []
    runner = Worker()
    try:
        for case in cases:
            for name in names:
                targeted = name in case.targets or name == PIPELINE
                row = Row(name, case.name, targeted, {}, [])
                previous: tuple[int, float] | None = None
                for size in sizes:
                    if row.notes and previous is None:
                        row.seconds[size] = None  # failed at a smaller size already
                        continue
                    if previous is not None and previous[1] * size / previous[0] > timeout:
                        row.seconds[size] = None
                        row.notes.append(f"skipped at {label(size)}: hopeless")
                        previous = None
                        continue
                    task = {"normalizer": name, "case": case.name, "size": size}
                    task["check"] = size == sizes[0]
                    result = runner.run(task, timeout)
                    seconds = result.get("seconds")
                    row.seconds[size] = seconds  # type: ignore[assignment]
                    previous = None if seconds is None else (size, seconds)  # type: ignore[assignment]
                    if result.get("timeout"):
                        row.notes.append(f"timed out at {label(size)} (> {timeout:g} s)")
                    if "error" in result:
                        row.notes.append(f"raised {result['error']}")
                    if result.get("idempotent") is False:
                        row.notes.append("not idempotent")
                    if "bytes" in result:
                        row.megabytes = int(result["bytes"]) / 1e6  # type: ignore[call-overload]
                if confirm and row.grows_too_fast() and len(row.failures()) == 1:
                    last = row.seconds[sizes[-1]] or 0.0
                    # The sizes again, one after the other, the faster of two runs each (the
                    # machine's speed changes over minutes); nine times only if affordable.
                    for factor in (1, 3, 9):
                        if 2 * factor * last > timeout:
                            break
                        task = {"normalizer": name, "case": case.name, "runs": 2}
                        task |= {"size": factor * sizes[-1], "check": False}
                        row.beyond.append(runner.run(task, timeout).get("seconds"))  # type: ignore[arg-type]
                rows.append(row)
                if progress:
                    print(f"  {name} × {case.name}: {row.seconds} {row.status()}", file=sys.stderr)
    finally:
        runner.stop()
    return rows


def label(size: int) -> str:
    return f"{size / 1e6:g} MB" if size >= 1_000_000 else f"{size / 1e3:g} KB"


def print_table(rows: list[Row], sizes: list[int], everything: bool) -> None:
    shown: list[Row] = []
    by_normalizer: dict[str, list[Row]] = {}
    for row in rows:
        by_normalizer.setdefault(row.normalizer, []).append(row)
    for group in by_normalizer.values():
        listed = [r for r in group if everything or r.targeted or r.failures()]
        others = [r for r in group if r not in listed]
        if others:
            slowest = max(others, key=lambda r: r.per_mb() or 0.0)
            listed.append(slowest)
            slowest.case = f"{slowest.case} (slowest of {len(others)} others)"
        shown += listed
    width = max([len(r.case) for r in shown] + [10])
    name_width = max([len(r.normalizer) for r in shown] + [10])
    head = " ".join(f"{'s @ ' + label(s):>12}" for s in sizes)
    print(f"{'normalizer':{name_width}} {'input':{width}} {head} {'s/MB':>8} {'growth':>7}  status")
    for row in shown:
        cells = " ".join(
            f"{'—' if row.seconds.get(s) is None else format(row.seconds[s], '.4f'):>12}"
            for s in sizes
        )
        per_mb, growth = row.per_mb(), row.growth()
        per_mb_cell = "—" if per_mb is None else f"{per_mb:.3f}"
        growth_cell = "—" if growth is None else f"{growth:.1f}×"
        status = row.status()
        print(
            f"{row.normalizer:{name_width}} {row.case:{width}} {cells} "
            f"{per_mb_cell:>8} {growth_cell:>7}  {status}"
        )


def main() -> None:
    if "--worker" in sys.argv:
        worker()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="NAME",
        help="normalizers (or 'pipeline') and inputs whose name contains one of these",
    )
    parser.add_argument("--crafted", action="store_true", help="skip the generic inputs")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per measurement")
    parser.add_argument("--all", action="store_true", help="list every row")
    parser.add_argument("--progress", action="store_true", help="each row as it is measured")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="growth over the limit fails even where it stops beyond the largest size",
    )
    args = parser.parse_args()
    sizes = sorted(args.sizes)

    from cleantext import all_normalizers

    names = [n.name for n in all_normalizers()] + [PIPELINE]
    cases = list(CRAFTED) if args.crafted else all_cases()
    if args.only:
        chosen = [n for n in names if any(o in n for o in args.only)]
        matching_cases = [c for c in cases if any(o in c.name for o in args.only)]
        if chosen and not matching_cases:
            names = chosen
        elif matching_cases and not chosen:
            cases = matching_cases
        elif chosen and matching_cases:
            names, cases = chosen, matching_cases
        else:
            sys.exit(f"nothing matches {args.only}")
    start = time.time()
    print(
        f"{len(names)} normalizers × {len(cases)} inputs at {', '.join(map(label, sizes))} "
        f"(CPU seconds; limits: {NORMALIZER_SECONDS_PER_MB:g} s/MB, pipeline "
        f"{PIPELINE_SECONDS_PER_MB:g} s/MB, growth {MAX_GROWTH:g}× "
        f"above {GROWTH_FLOOR:g} s; timeout {args.timeout:g} s; pid {os.getpid()})"
    )
    rows = measure(
        names, cases, sizes, args.timeout, progress=args.progress, confirm=not args.strict
    )
    print_table(rows, sizes, args.all)
    failed = [r for r in rows if r.failures()]
    print(f"\n{len(rows)} rows, {len(failed)} failed, in {time.time() - start:.0f} s of wall time")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
