"""The verdicts of hand audits of real changes, kept as regression tests.

``benchmarks/audit.py sample`` draws changes the default pipeline makes on ``../shared/data``;
a reviewer judges them and writes each verdict as a line of ``tests/audit/judgments.jsonl``:
``dataset``, ``doc`` (the label of ``benchmarks/bench.py``'s ``real_documents()``),
``normalizer``, ``start`` and ``end`` (offsets into the original document), ``before_sha``
and ``after_sha`` (the first 12 hex digits of the SHA-1 of the replaced and the replacing
text), ``verdict`` (``correct``, ``wrong`` or ``wrong-open``) and a ``note`` in our own
words: the file names third-party text by place and digest, never quotes it.

A ``correct`` change must still be made (by any normalizer: the same start in the source and
the same texts), a ``wrong`` one must not be.  ``wrong-open`` is a wrong change not fixed yet:
it must still be made, so that the fix that removes it also turns the verdict into ``wrong``
(as a strict expected failure would).  Each document is loaded and traced once.
"""

from __future__ import annotations

import doctest
import importlib
import json
import re
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from cleantext import preset

from .conftest import ROOT, shared_path

# benchmarks/ is not a package: audit.py (and the bench.py it imports) load from its folder,
# as when it is run as a script.  The location of changes comes from audit.py itself, so the
# offsets and digests checked here are the ones the sample file shows.
sys.path.insert(0, str(ROOT / "benchmarks"))
audit = importlib.import_module("audit")

JUDGMENTS_PATH = Path(__file__).parent / "audit" / "judgments.jsonl"
FIELDS = {"dataset", "doc", "normalizer", "start", "end", "before_sha", "after_sha"}
FIELDS |= {"verdict", "note"}
VERDICTS = ("correct", "wrong", "wrong-open")
SHA = re.compile(r"[0-9a-f]{12}")
# Five words in a row of a note found in the document: the note quotes the source.
WORDS_QUOTED = 5


def read_judgments() -> list[dict]:
    if not JUDGMENTS_PATH.exists():
        return []
    lines = JUDGMENTS_PATH.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


JUDGMENTS = read_judgments()
BY_DOCUMENT: dict[str, list[dict]] = defaultdict(list)
for judgment in JUDGMENTS:
    BY_DOCUMENT[judgment.get("doc", "")].append(judgment)
NO_JUDGMENTS = pytest.mark.skipif(
    not JUDGMENTS,
    reason=f"{JUDGMENTS_PATH.relative_to(ROOT)} holds no judgments yet: judge a sample of "
    "`python benchmarks/audit.py sample` and add the verdicts",
)


@cache
def judged_documents() -> dict[str, str]:
    """The text of every judged document, read in one pass over the data."""
    return {label: text for label, text in audit.audit_documents() if label in BY_DOCUMENT}


def describe(judgment: dict) -> str:
    return (
        f"{judgment['verdict']} {judgment['normalizer']} at {judgment['start']}-"
        f"{judgment['end']} ({judgment['note']})"
    )


def test_audit_examples():
    """audit.py's own examples: the source offsets of changes, and the artifact patterns
    on damaged and clean sentences of ours (no third-party data needed)."""
    assert doctest.testmod(audit).failed == 0
    assert not audit.artifact_pattern_problems()


@NO_JUDGMENTS
@pytest.mark.parametrize("number", range(len(JUDGMENTS)), ids=lambda n: f"line{n + 1}")
def test_judgment_is_well_formed(number):
    judgment = JUDGMENTS[number]
    assert set(judgment) == FIELDS, f"fields: {sorted(judgment)}"
    assert judgment["verdict"] in VERDICTS
    assert judgment["dataset"] == audit.dataset_of(judgment["doc"])
    assert isinstance(judgment["start"], int) and isinstance(judgment["end"], int)
    assert 0 <= judgment["start"] <= judgment["end"]
    assert SHA.fullmatch(judgment["before_sha"]) and SHA.fullmatch(judgment["after_sha"])
    assert 0 < len(judgment["note"]) <= 200, "a note is a short description"


@NO_JUDGMENTS
@pytest.mark.parametrize("label", sorted(BY_DOCUMENT))
def test_judged_changes(label):
    shared_path("data")
    text = judged_documents().get(label)
    assert text is not None, f"{label} is not among the documents of ../shared (renamed?)"
    # (source start, before digest, after digest) of every change, with who made it.
    made = {
        (change.start, audit.sha(change.before), audit.sha(change.after)): change.normalizer
        for change in audit.source_changes(preset("default"), text)
    }
    problems = []
    for judgment in BY_DOCUMENT[label]:
        words = judgment["note"].split()
        for i in range(len(words) - WORDS_QUOTED + 1):
            quoted = " ".join(words[i : i + WORDS_QUOTED])
            if quoted in text:
                problems.append(f"the note quotes the document ({quoted!r}): use our own words")
        key = (judgment["start"], judgment["before_sha"], judgment["after_sha"])
        if judgment["verdict"] in ("correct", "wrong-open") and key not in made:
            problems.append(f"no longer made: {describe(judgment)}")
        elif judgment["verdict"] == "wrong" and key in made:
            problems.append(f"made again, by {made[key]}: {describe(judgment)}")
    assert not problems, "\n".join(problems)
