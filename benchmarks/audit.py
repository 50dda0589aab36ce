"""Audit what the pipeline changes on real data, and what it leaves behind.

Not part of the test suite (a developer tool).  Run from the repository's root, with
``../shared`` beside it::

    python benchmarks/audit.py sample --out /tmp/audit/sample.jsonl
    python benchmarks/audit.py sample --per-normalizer 10 --datasets cnn-hf-validation
    python benchmarks/audit.py residues > /tmp/audit/residues.md
    python benchmarks/audit.py residues --max-docs 200

``sample`` runs the pipeline (``--pipeline``, a preset name) over every document of
``../shared`` (the documents of ``benchmarks/bench.py``'s ``real_documents()``, plus the
cases of ``ftfy-test-cases/negative.json``, which must stay unchanged), locates every change
in the original document, and writes a deterministic sample of them, stratified by data set
and normalizer, to ``--out`` as JSON Lines, one change per line, for a human to judge.  The
file holds third-party text: keep it outside the repository (the default is under /tmp).
Verdicts go to ``tests/audit/judgments.jsonl``, in our own words, where
``tests/test_audit.py`` keeps them as regression tests.  It also prints how many changes each
normalizer made in each data set (all of them, not only the sampled ones).

``residues`` counts artifacts (a regular expression each, see ``ARTIFACTS``) per data set in
the raw text, after the pipeline, after ``ftfy.fix_text`` and after sacremoses's
detokenizer, as markdown tables: what each tool leaves behind.

A data set is the first component of a document's label (``cnn-hf-validation`` for
``cnn-hf-validation/articles.jsonl:12:article``); our own ``corpus`` is left out unless
``--datasets`` names it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import SHARED_DATA, real_documents

from cleantext import Pipeline, preset
from cleantext.explain import SourcePositions

#: Characters of the step's input shown on each side of a sampled change.
CONTEXT = 40
#: ftfy's negative cases: text that only looks damaged.  ``real_documents()`` reads JSON
#: Lines and plain text only, so this JSON file is added here.
NEGATIVE_CASES = Path("ftfy-test-cases") / "negative.json"
#: The complete WMT system and reference files: the references are edited translations, a
#: control set of their own (``real_documents()`` reads neither).
REFERENCES = Path("wmt-mt-outputs") / "full_files"
REFERENCES_DATASET = "wmt-references"
#: The fields of a sampled change, in the order written.
SAMPLE_FIELDS = (
    "dataset",
    "doc",
    "normalizer",
    "start",
    "end",
    "before",
    "after",
    "context_before",
    "context_after",
    "reason",
    "before_sha",
    "after_sha",
)
#: Our own articles: they have golden tests (tests/test_corpus.py), not audits.
OWN_DATASETS = ("corpus",)

#: Words that cannot end a sentence: a `` . `` after one is a flattened line break.
FUNCTION_WORDS = "the a an of to in on at for by and or with from his her their its my our"


def _after_function_word(mark: str) -> str:
    """A pattern for ``mark`` (a literal, matched first so that the search is fast) when a
    function word comes before it: one fixed-width look-behind per word length."""
    lengths = sorted({len(word) for word in FUNCTION_WORDS.split()})
    behind = "|".join(
        rf"(?<=\b(?i:{'|'.join(w for w in FUNCTION_WORDS.split() if len(w) == n)}){mark})"
        for n in lengths
    )
    return f"{mark}(?:{behind})"


@dataclass(frozen=True)
class Artifact:
    """A kind of residue: a pattern whose matches are counted.

    ``signs`` are literal pieces of which every match contains one; a text with none of
    them is not searched (the patterns that cannot start with a literal are slow).
    """

    pattern: re.Pattern[str]
    signs: tuple[str, ...] = ()

    def count(self, text: str) -> int:
        if self.signs and not any(sign in text for sign in self.signs):
            return 0
        return len(self.pattern.findall(text))


# Artifact kinds for ``residues``.  Each pattern counts occurrences and is written not to
# match clean, edited prose: ``artifact_pattern_problems`` runs each on damaged and clean
# sentences of our own before any count is printed.  Patterns start with a literal where
# they can, with their look-behinds after it, so that the search skips ahead fast.
ARTIFACTS: dict[str, Artifact] = {
    # A sentence end and its closing quote glued to the next sentence or quotation:
    # ``wasted."Life``.  In edited text a closing quote after a full stop is followed by a
    # space, a line break or more closing marks, never by a capital.
    "glued after closing quote": Artifact(re.compile(r"[.!?][\"'”’]{1,2}[\"“'‘]?(?=[A-Z])")),
    # A quotation opened by one kind of double quote and closed by the other on one line,
    # with no double quote between: ``"yes”``, ``“yes"``.  A straight closing quote
    # followed later by a curly quotation has that curly opener between, so it is not
    # counted.
    "mixed straight/curly pair": Artifact(re.compile(r"\"[^\"“”\n]*”|“[^\"“”\n]*\"")),
    # Treebank opening quotes: a lone backtick at the start of a token, before a space and
    # a word (`` ` the cleaner``), or a pair of backticks (not a Markdown code fence).
    # A backtick glued to the end of a word is a Markdown code span closing, not counted.
    "backtick quote": Artifact(re.compile(r"(?<!`)``(?!`)|(?<![^\s(\[])`(?= \w)"), ("`",)),
    # The DailyMail video teaser with text before or after it on its line; alone on a line
    # it is a paragraph that ``remove_boilerplate_lines`` handles and is not counted here.
    "scroll down for video inline": Artifact(
        re.compile(
            r"(?im)\S[^\S\n]*\bscroll down for videos?\b|\bscroll down for videos?\b(?![ \t.:!]*$)"
        ),
        ("croll", "CROLL"),
    ),
    # Link teasers at the start of a line or sentence: ``Click here to``, ``READ: ``.
    "teaser/link line": Artifact(
        re.compile(
            r"(?m)(?:^|(?<=[.!?] )|(?<=[.!?][\"'”’] ))[ \t]*"
            r"(?:Click here\b|CLICK HERE\b|READ(?: MORE)?: )"
        ),
        ("Click here", "CLICK HERE", "READ"),
    ),
    # Caption markers left in a sentence: ``, pictured,`` and ``, pictured in May,``.
    "pictured marker": Artifact(re.compile(r", pictured[^,.\n]{0,40},")),
    # The same sentence of three or more words twice in a row (a caption repeating the body,
    # or a generation loop).  It starts with a capital at a line start or after a space
    # that follows a mark (a sentence end, a quote, a colon), not after a word or comma: a
    # run of words that repeats from inside a sentence is left to the pipeline's loop
    # search.  Words are single-space separated, so the pattern cannot backtrack; a sentence
    # ends at its first mark (optionally spaced, as in `` .``).
    "repeated sentence": Artifact(
        re.compile(
            r"([A-Z](?:(?<=^[A-Z])|(?<=\n[A-Z])|(?<=[^\w,] [A-Z]))"
            r"[^.!?\s]*(?: [^.!?\s]+){2,} ?[.!?])[ \t]+\1(?![^\s\"”’'])"
        )
    ),
    # A flattened line break after a word that cannot end a sentence, before a lower-case
    # word: ``The . couple``.  Only function words: in lower-cased data a `` . `` after any
    # other word is a sentence end.
    "wrap mark after short word": Artifact(re.compile(_after_function_word(r" \. ") + "(?=[a-z])")),
    # Left-to-right and right-to-left marks, invisible in any text editor.
    "directional mark U+200E/F": Artifact(re.compile("[\u200e\u200f]")),
    # CNN/DailyMail's `` . `` that joins lines and ends sentences; spaced ellipses
    # (``. . .``) are not counted.
    "spaced full stop ' . '": Artifact(re.compile(r" \. (?<=[^\s.] \. )(?=[^\s.])")),
    # A doubled full stop ``. .`` that is not part of a spaced ellipsis ``. . .``.
    "doubled full stop '. .'": Artifact(re.compile(r"\. \.(?<!\.\. \.)(?<![.\s]\s\. \.)(?! ?\.)")),
    # A tokenizer's space before a comma.
    "space before comma": Artifact(re.compile(r" ,(?<=\S ,)")),
    # Moses and HTML escapes that the tokenizer wrote and nobody decoded.
    "Moses/HTML escape": Artifact(re.compile(r"&(?:apos|quot|amp|lt|gt|#39|#91|#93|#124);")),
    # BPE continuation marks: ``gov@@ ern@@ ment``.
    "BPE '@@ '": Artifact(re.compile(r"@@(?<=\w@@)(?= |$)")),
    # SentencePiece's word-boundary mark.
    "SentencePiece '▁'": Artifact(re.compile("▁")),
    # PTB-split contractions: ``do n't``, ``it 's``, ``we 're``; not a quotation opening
    # on a word that starts so (``'re-elected'``, ``'dear'``).
    "split contraction": Artifact(
        re.compile(r" (?<=\w )(?:n[’']t|[’'](?:s|re|ll|ve|m|d))(?![\w-])")
    ),
    # UTF-8 read as Latin-1 or Windows-1252: ``Ã©``, ``â€™``, ``Â£``.  Each of these pairs
    # is rare in real words of any language.
    "mojibake": Artifact(re.compile("â€|Ã[\u0080-\u00bf]|Â[\u0080-\u00bf]")),
}

# Damaged sentences of our own, each with how many times each kind must count in it, and
# clean sentences in which no kind may count.  Checked at every ``residues`` run and by
# ``tests/test_audit.py``.
ARTIFACT_EXAMPLES: dict[str, tuple[tuple[str, int], ...]] = {
    "glued after closing quote": (
        ('The plan was wasted."Life goes on," he said.', 1),
        ("She was honest.'But nobody asked.' Then she left.", 1),
        ('He said "No."“Then go.”', 1),
    ),
    "mixed straight/curly pair": (
        ('He said "yes” and left.', 1),
        ('She wrote “no" twice, then “maybe".', 2),
    ),
    "backtick quote": (
        ("the mayor said ` we will rebuild ' .", 1),
        ("`` we will rebuild , '' he said .", 1),
    ),
    "scroll down for video inline": (
        ("The bear escaped . Scroll down for video . It was seen later .", 1),
        ("Scroll down for video The bear escaped.", 1),
    ),
    "teaser/link line": (
        ("Click here to see the gallery.", 1),
        ("The mayor spoke. CLICK HERE for more.", 1),
        ("READ: The full statement\nREAD MORE: Earlier story", 2),
    ),
    "pictured marker": (
        ("The captain, pictured, said the boat was fine.", 1),
        ("Ms Lee, pictured at the launch last month, was pleased.", 1),
    ),
    "repeated sentence": (
        ("The ferry left at noon. The ferry left at noon. Nobody waved.", 1),
        ("The ferry left at noon . The ferry left at noon . Nobody waved .", 1),
        ("Then, at noon, the ferry left. Then, at noon, the ferry left.", 1),
        ("She said it twice: Go home now. Go home now.", 1),
        ("It was the ferry. The ferry left at noon.", 0),
    ),
    "wrap mark after short word": (
        ("The . couple married in the . spring.", 2),
        ("Tickets went on sale for . members only.", 1),
        ("the man saw him . he ran away . a dog barked .", 0),  # lower-cased sentence ends
    ),
    "directional mark U+200E/F": (("Paris\u200e and Tel Aviv\u200f.", 2),),
    "spaced full stop ' . '": (("The bakery reopened . Queues formed . ", 1),),
    "doubled full stop '. .'": (("They waited. . Then they left. .", 2),),
    "space before comma": (("The mayor , who spoke first , left .", 2),),
    "Moses/HTML escape": (("It &apos;s &quot;fine&quot; &amp; safe", 4),),
    "BPE '@@ '": (("the gov@@ ern@@ ment said", 2),),
    "SentencePiece '▁'": (("▁the▁mayor", 2),),
    "split contraction": (("We do n't know , it 's late and we ’re tired .", 3),),
    "mojibake": (("Tickets cost Â£5 at the cafÃ© â€” cheap", 3),),
}
CLEAN_EXAMPLES = (
    'The plan was wasted. "Life goes on," he said.',
    'She said “yes” and he said "no" and then “maybe.”',
    "“Come here,” she said.\n“No,” he said. 'Fine.'",
    "Use `git status` to see it, or `git diff` for more.\n```\ncode\n```",
    "Scroll down for video\nThe bear escaped.",
    "Scroll down for video .",
    "To book, click here or call. Readers can click here.",
    "He was, as pictured by the press, a hero.",
    "Go away. Go away. The ferry left at noon. It left at noon.",
    "Wait . . . and then . . . nothing. It cost $1.5 million, 3.5 per cent.",
    "Rock 'n' roll is here. The 'sixties were loud. We're fine, it's late.",
    "She wants to be 're-elected' and 'dealt with' at once.",
    "Café, naïve, São Paulo, Ärger, Ångström, Ølstykke, Âge, Ãgua.",
    "AT&T and Q&A; Tom & Jerry.",
    "e-mail me@example.org at 10:30. U.S. troops left.",
    'Mr. Smith said it. He said: "It\'s over." Then he left.',
)


def artifact_pattern_problems() -> list[str]:
    """How the patterns miscount our examples (empty when every count is right)."""
    problems = []
    for kind, examples in ARTIFACT_EXAMPLES.items():
        for text, expected in examples:
            found = ARTIFACTS[kind].count(text)
            if found != expected:
                problems.append(f"{kind}: {found} (not {expected}) in {text!r}")
    for text in CLEAN_EXAMPLES:
        for kind, artifact in ARTIFACTS.items():
            if artifact.count(text):
                problems.append(f"{kind}: counts in clean text {text!r}")
    return problems


@dataclass(frozen=True)
class SourceChange:
    """A change one normalizer made, located in the original document.

    ``start`` and ``end`` are offsets into the pipeline's input; ``context_before`` and
    ``context_after`` come from the text as that normalizer received it.
    """

    normalizer: str
    start: int
    end: int
    before: str
    after: str
    reason: str
    context_before: str
    context_after: str


def source_changes(pipeline: Pipeline, text: str) -> Iterator[SourceChange]:
    """Every change ``pipeline`` makes to ``text``, with offsets into ``text`` itself.

    The one mapping of changes to source offsets: ``sample`` writes these offsets and
    ``tests/test_audit.py`` looks judgments up by them.

    >>> text = "Tickets cost Â£5 , today ."
    >>> for c in source_changes(preset("default"), text):
    ...     print(c.normalizer, c.start, repr(text[c.start : c.end]), repr(c.after))
    fix_mojibake 13 'Â£5' '£5'
    remove_space_before_punctuation 16 ' ' ''
    remove_space_before_punctuation 24 ' ' ''
    """
    positions = SourcePositions()
    for step_input, changes in pipeline.trace(text):
        for change in changes:
            yield SourceChange(
                normalizer=change.normalizer,
                start=positions.source(change.start),
                end=positions.source(change.end),
                before=change.before,
                after=change.after,
                reason=change.reason,
                context_before=step_input[max(0, change.start - CONTEXT) : change.start],
                context_after=step_input[change.end : change.end + CONTEXT],
            )
        # After the step's own changes are located: they are offsets into its input.
        positions.add(changes)


def sha(text: str) -> str:
    """The first 12 hex digits of the SHA-1 of ``text``'s UTF-8: names a text without it."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def dataset_of(label: str) -> str:
    """The data set of a document label: its first path component; the WMT reference
    translations (edited text, a control) are a data set of their own."""
    if label.startswith(f"{REFERENCES.as_posix()}/"):
        return REFERENCES_DATASET
    return label.split("/", 1)[0]


def audit_documents() -> Iterator[tuple[str, str]]:
    """``(label, text)`` of every document ``real_documents()`` yields, then the cases of
    ``ftfy-test-cases/negative.json`` (labelled ``…/negative.json:N:original``, N from 1),
    then each line of the WMT reference translations (``…/NAME.ref.A.en:LINE``)."""
    yield from real_documents()
    for path in sorted((SHARED_DATA / REFERENCES).glob("*.ref.*")):
        label = path.relative_to(SHARED_DATA).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        yield from ((f"{label}:{n}", line) for n, line in enumerate(lines, 1) if line.strip())
    path = SHARED_DATA / NEGATIVE_CASES
    if path.is_file():
        cases = json.loads(path.read_text(encoding="utf-8"))
        for number, case in enumerate(cases, 1):
            if isinstance(case, dict) and isinstance(case.get("original"), str):
                yield f"{NEGATIVE_CASES.as_posix()}:{number}:original", case["original"]


def selected_documents(datasets: Iterable[str] | None) -> Iterator[tuple[str, str, str]]:
    """``(dataset, label, text)`` of the documents of the wanted data sets (default: all of
    ``../shared``)."""
    wanted = set(datasets) if datasets else None
    for label, text in audit_documents():
        dataset = dataset_of(label)
        if (dataset in wanted) if wanted is not None else dataset not in OWN_DATASETS:
            yield dataset, label, text


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A markdown table, numbers right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def sample(args: argparse.Namespace) -> None:
    """The ``sample`` mode: write a stratified sample of changes, print counts of all."""
    pipeline = preset(args.pipeline)
    start = time.perf_counter()
    # Per (data set, normalizer), every change in document order, as JSON-ready records.
    groups: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    documents: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    for dataset, label, text in selected_documents(args.datasets):
        documents[dataset] += 1
        found = False
        for change in source_changes(pipeline, text):
            found = True
            record = {"dataset": dataset, "doc": label, **asdict(change)}
            record["before_sha"], record["after_sha"] = sha(change.before), sha(change.after)
            groups[dataset, change.normalizer].append(record)
        changed[dataset] += found
    if not documents:
        sys.exit("no documents found (is ../shared beside the clone? are --datasets right?)")
    seconds = time.perf_counter() - start

    chosen: list[dict[str, object]] = []
    for (dataset, name), records in sorted(groups.items()):
        # A generator per group, seeded by its name: one group's sample does not move when
        # another data set or normalizer gains or loses changes.
        rng = random.Random(f"{args.seed}:{dataset}:{name}")
        picked = sorted(rng.sample(range(len(records)), min(args.per_normalizer, len(records))))
        chosen += [records[i] for i in picked]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for record in chosen:
            handle.write(
                json.dumps({f: record[f] for f in SAMPLE_FIELDS}, ensure_ascii=False) + "\n"
            )

    sets = sorted(documents)
    names = [n.name for n in pipeline.leaves() if any((d, n.name) in groups for d in sets)]

    def row(title: str, cells: list[int]) -> list[str]:
        return [title, *map(str, cells), str(sum(cells))]

    rows = [row(name, [len(groups.get((d, name), [])) for d in sets]) for name in names]
    rows.append(
        row("**all changes**", [sum(len(groups.get((d, n), [])) for n in names) for d in sets])
    )
    rows.append(row("documents changed", [changed[d] for d in sets]))
    rows.append(row("documents read", [documents[d] for d in sets]))
    print(f"# Changes of the {args.pipeline} pipeline per normalizer and data set\n")
    print(markdown_table(["normalizer", *sets, "total"], rows))
    print(
        f"\n{len(chosen)} changes sampled (up to {args.per_normalizer} per normalizer and "
        f"data set, seed {args.seed}) to {args.out}; {seconds:.1f} s to trace "
        f"{sum(documents.values())} documents."
    )


def residue_tools(pipeline: Pipeline) -> dict[str, Callable[[str], str] | None]:
    """The tools compared by ``residues``; None for one that is not installed."""
    tools: dict[str, Callable[[str], str] | None] = {"raw": lambda text: text, "clean": pipeline}
    try:
        import ftfy

        tools["ftfy"] = ftfy.fix_text
    except ImportError:
        tools["ftfy"] = None
    try:
        from sacremoses import MosesDetokenizer

        detokenizer = MosesDetokenizer(lang="en")
        # Its input is a list of tokens: split on whitespace, so line breaks are lost.
        tools["sacremoses"] = lambda text: detokenizer.detokenize(text.split())
    except ImportError:
        tools["sacremoses"] = None
    return tools


def residues(args: argparse.Namespace) -> None:
    """The ``residues`` mode: artifact counts per kind, tool and data set, as markdown."""
    problems = artifact_pattern_problems()
    if problems:  # counts of a pattern that miscounts our own sentences mean nothing
        sys.exit("artifact patterns miscount:\n  " + "\n  ".join(problems))
    tools = residue_tools(preset(args.pipeline))
    start = time.perf_counter()
    # counts[dataset][tool][kind]
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    documents: Counter[str] = Counter()
    limited: Counter[str] = Counter()
    spent: dict[str, float] = defaultdict(float)  # seconds per tool, without the counting
    for dataset, _, text in selected_documents(args.datasets):
        if args.max_docs is not None and documents[dataset] >= args.max_docs:
            limited[dataset] += 1
            continue
        documents[dataset] += 1
        for tool, function in tools.items():
            if function is None:
                continue
            began = time.perf_counter()
            output = function(text)
            spent[tool] += time.perf_counter() - began
            for kind, artifact in ARTIFACTS.items():
                counts[dataset][tool][kind] += artifact.count(output)
    if not documents:
        sys.exit("no documents found (is ../shared beside the clone? are --datasets right?)")
    seconds = time.perf_counter() - start

    total: dict[str, Counter[str]] = defaultdict(Counter)
    for per_tool in counts.values():
        for tool, kinds in per_tool.items():
            total[tool].update(kinds)
    print(f"# Residues per artifact kind: raw, {args.pipeline} pipeline, ftfy, sacremoses\n")
    print(
        "Occurrences of each kind (patterns in `benchmarks/audit.py`). ftfy.fix_text uncurls "
        "quotes by default; sacremoses detokenizes `text.split()`, so its output has no line "
        "breaks and the line-based kinds count differently there."
    )
    if limited:
        print(
            f"\nLimited by --max-docs {args.max_docs}: "
            + ", ".join(f"{d} read {documents[d]} of {documents[d] + limited[d]}" for d in limited)
        )
    for title, table in [*sorted(counts.items()), ("total", total)]:
        read = sum(documents.values()) if title == "total" else documents[title]
        print(f"\n## {title} ({read} documents)\n")
        rows = [
            [kind, *(str(table[t][kind]) if tools[t] else "n/a" for t in tools)]
            for kind in ARTIFACTS
        ]
        print(markdown_table(["kind", *tools], rows))
    times = ", ".join(f"{tool} {spent[tool]:.1f} s" for tool in tools if tools[tool])
    print(f"\n{sum(documents.values())} documents in {seconds:.1f} s ({times}).")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    for name, function, help_ in (
        ("sample", sample, "write a stratified sample of changes for a hand audit"),
        ("residues", residues, "count artifacts left by the pipeline, ftfy and sacremoses"),
    ):
        mode = modes.add_parser(name, help=help_)
        mode.set_defaults(run=function)
        mode.add_argument("--pipeline", default="default", help="a preset name")
        mode.add_argument(
            "--datasets",
            type=lambda value: [d for d in value.split(",") if d],
            help="comma-separated data sets (default: every one of ../shared)",
        )
    chooser = modes.choices["sample"]
    chooser.add_argument("--per-normalizer", type=int, default=30, help="per data set")
    chooser.add_argument("--seed", type=int, default=0)
    chooser.add_argument(
        "--out",
        type=Path,
        default=Path("/tmp/cleantext-audit/sample.jsonl"),
        help="the review file (third-party text: keep it out of the repository)",
    )
    modes.choices["residues"].add_argument(
        "--max-docs", type=int, default=None, help="documents per data set (default: all)"
    )
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
